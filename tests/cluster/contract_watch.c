/*
 * cluster-watch: a lib/cluster client for the contract tests and the
 * detection benchmark.  Joins a group with the node's ha.cf (whatever its
 * cluster_layer) and prints, one line each, flushed, with wall-clock
 * milliseconds so that a test can time events against its own clock:
 *   ready t=MS id=ID name=NAME
 *   view t=MS id=VIEW members=a,b joined=... left=... nodes=a,b,c
 *   quorum t=MS quorate=yes|no votes=N expected=M
 *   disconnected t=MS
 *   reconnected t=MS id=ID name=NAME     (with --reconnect)
 * Runs until --timeout seconds pass (exit 0), the layer goes away (exit 3;
 * with --reconnect it connects again every 100 ms instead, as vigil-fenced
 * does) or SIGTERM/SIGINT (exit 0).  Connect errors: stderr, exit 2.
 * It never sends messages: hb-client does the messaging checks.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

#include <glib-unix.h>

#include <vigil/cluster.h>

typedef struct watch {
	GMainLoop *loop;
	const vg_hacf_t *cfg;
	const char *group;
	vg_cluster_t *c;
	bool reconnect;
	int rc;
} watch_t;

static const vg_cluster_callbacks_t callbacks;

static long long now_ms(void)
{
	return g_get_real_time() / 1000;
}

static void print_nodes(const char *key, const vg_cluster_node_t *n, size_t count)
{
	printf(" %s=", key);
	for (size_t i = 0; i < count; i++)
		printf("%s%s", i ? "," : "", n[i].name);
}

static void on_view(vg_cluster_t *c, const vg_cluster_view_t *v, void *data)
{
	(void)c, (void)data;
	printf("view t=%lld id=%" G_GUINT64_FORMAT, now_ms(), v->view_id);
	print_nodes("members", v->members, v->n_members);
	print_nodes("joined", v->joined, v->n_joined);
	print_nodes("left", v->left, v->n_left);
	print_nodes("nodes", v->nodes, v->n_nodes);
	printf("\n");
	fflush(stdout);
}

static void on_quorum(vg_cluster_t *c, const vg_cluster_quorum_t *q, void *data)
{
	(void)c, (void)data;
	printf("quorum t=%lld quorate=%s votes=%u expected=%u\n", now_ms(),
	       q->quorate ? "yes" : "no", q->votes, q->expected_votes);
	fflush(stdout);
}

static gboolean try_again(gpointer data)
{
	watch_t *w = data;
	vg_error_t err = {0};

	if (w->c != NULL)
		vg_cluster_disconnect(w->c);
	w->c = NULL;
	if (vg_cluster_connect(w->cfg, w->group, &callbacks, w, &w->c, &err) != 0) {
		w->c = NULL;
		return G_SOURCE_CONTINUE;
	}
	printf("reconnected t=%lld id=%u name=%s\n", now_ms(), vg_cluster_local_id(w->c),
	       vg_cluster_local_name(w->c));
	fflush(stdout);
	vg_cluster_attach(w->c, NULL);
	return G_SOURCE_REMOVE;
}

static void on_gone(vg_cluster_t *c, void *data)
{
	watch_t *w = data;

	(void)c;
	printf("disconnected t=%lld\n", now_ms());
	fflush(stdout);
	if (w->reconnect) {
		/* the handle only accepts disconnect now: do it from the loop */
		g_timeout_add(100, try_again, w);
		return;
	}
	w->rc = 3;
	g_main_loop_quit(w->loop);
}

static const vg_cluster_callbacks_t callbacks = {
    .view = on_view, .quorum = on_quorum, .disconnected = on_gone};

static gboolean on_stop(gpointer data)
{
	g_main_loop_quit(((watch_t *)data)->loop);
	return G_SOURCE_REMOVE;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"config", required_argument, NULL, 'c'},
	    {"group", required_argument, NULL, 'g'},
	    {"timeout", required_argument, NULL, 't'},
	    {"reconnect", no_argument, NULL, 'r'},
	    {NULL, 0, NULL, 0},
	};
	const char *config = NULL, *group = "watch";
	int timeout_s = 120, o;
	watch_t w = {0};
	vg_hacf_t *cfg = NULL;
	vg_error_t err = {0};

	while ((o = getopt_long(argc, argv, "c:g:t:r", opts, NULL)) != -1) {
		switch (o) {
		case 'c':
			config = optarg;
			break;
		case 'g':
			group = optarg;
			break;
		case 't':
			timeout_s = atoi(optarg);
			break;
		case 'r':
			w.reconnect = true;
			break;
		default:
			fprintf(stderr, "usage: cluster-watch -c HA.CF [--group G] [--timeout S] "
			                "[--reconnect]\n");
			return 2;
		}
	}
	if (config == NULL) {
		fprintf(stderr, "cluster-watch: -c HA.CF is required\n");
		return 2;
	}
	vg_log_init_tool("cluster-watch");
	w.group = group;
	if (vg_hacf_load(config, &cfg, &err) == 0)
		w.cfg = cfg;
	if (w.cfg == NULL || vg_cluster_connect(cfg, group, &callbacks, &w, &w.c, &err) != 0) {
		fprintf(stderr, "cluster-watch: %s\n", err.msg);
		vg_hacf_free(cfg);
		return 2;
	}
	printf("ready t=%lld id=%u name=%s\n", now_ms(), vg_cluster_local_id(w.c),
	       vg_cluster_local_name(w.c));
	fflush(stdout);
	w.loop = g_main_loop_new(NULL, FALSE);
	vg_cluster_attach(w.c, NULL);
	g_timeout_add_seconds((guint)timeout_s, on_stop, &w);
	g_unix_signal_add(SIGTERM, on_stop, &w);
	g_unix_signal_add(SIGINT, on_stop, &w);
	g_main_loop_run(w.loop);
	vg_cluster_disconnect(w.c);
	vg_hacf_free(cfg);
	g_main_loop_unref(w.loop);
	return w.rc;
}
