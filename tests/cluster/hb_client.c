/*
 * hb-client: a lib/cluster client for tests and benchmarks.  Joins a group,
 * waits until the group view has --members members, sends --count messages
 * of --size bytes (fields seq, sent-us, data), and checks that every member's
 * messages arrive exactly once and in order (seq 1, 2, ... per sender).
 * Prints views, then a summary with latency percentiles and throughput:
 *   result: ok received=N latency-p50-ms=X latency-p99-ms=Y mbytes-per-s=Z
 * Exit 0 when --expect messages arrived from each of the first full view's
 * members in order, 1 on a violation or timeout, 2 on usage or connect errors.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <vigil/cluster.h>

typedef struct client {
	vg_cluster_t *c;
	GMainLoop *loop;
	const char *group;
	unsigned members, count, expect, rate;
	size_t size;
	uint32_t dest;
	int timeout_s, linger_s;
	bool quiet, sending, failed, lingering;
	unsigned sent;
	char *data;
	GHashTable *last_seq;    /* from id -> last seq */
	GHashTable *expect_from; /* ids of the first full view */
	GArray *lat_us;
	gint64 first_rx, last_rx;
	uint64_t rx_bytes;
	unsigned received;
} client_t;

static gboolean quit_later(gpointer data)
{
	g_main_loop_quit(((client_t *)data)->loop);
	return G_SOURCE_REMOVE;
}

static void check_done(client_t *cl)
{
	GHashTableIter it;
	gpointer k;

	if (cl->expect_from == NULL || cl->sent < cl->count)
		return;
	g_hash_table_iter_init(&it, cl->expect_from);
	while (g_hash_table_iter_next(&it, &k, NULL))
		if (GPOINTER_TO_UINT(g_hash_table_lookup(cl->last_seq, k)) < cl->expect)
			return;
	if (cl->linger_s > 0 && !cl->lingering) {
		cl->lingering = true;
		g_timeout_add_seconds((guint)cl->linger_s, quit_later, cl);
	} else if (cl->linger_s <= 0) {
		g_main_loop_quit(cl->loop);
	}
}

static void on_deliver(vg_cluster_t *c, const vg_cluster_node_t *from, const vg_msg_t *msg,
                       void *data)
{
	client_t *cl = data;
	int64_t seq = 0, sent = 0;
	guint last =
	    GPOINTER_TO_UINT(g_hash_table_lookup(cl->last_seq, GUINT_TO_POINTER(from->id)));
	const char *payload = vg_msg_get(msg, "data");
	gint64 now = g_get_monotonic_time(), lat;

	if (strcmp(vg_msg_type(msg), "hb-test") != 0 || vg_msg_get_int(msg, "seq", &seq) != 0 ||
	    vg_msg_get_int(msg, "sent-us", &sent) != 0) {
		fprintf(stderr, "hb-client: unexpected message from %s\n", from->name);
		cl->failed = true;
		return;
	}
	if ((guint)seq != last + 1) {
		fprintf(stderr, "hb-client: from %s: seq %" G_GINT64_FORMAT " after %u (%s)\n",
		        from->name, seq, last, (guint)seq <= last ? "duplicate" : "gap");
		cl->failed = true;
		g_main_loop_quit(cl->loop);
		return;
	}
	if (payload == NULL || strlen(payload) != cl->size) {
		fprintf(stderr, "hb-client: from %s: payload of %zu bytes, expected %zu\n",
		        from->name, payload ? strlen(payload) : 0, cl->size);
		cl->failed = true;
	}
	g_hash_table_insert(cl->last_seq, GUINT_TO_POINTER(from->id), GUINT_TO_POINTER((guint)seq));
	lat = now - sent;
	g_array_append_val(cl->lat_us, lat);
	if (cl->first_rx == 0)
		cl->first_rx = now;
	cl->last_rx = now;
	cl->rx_bytes += cl->size;
	cl->received++;
	check_done(cl);
}

static gboolean send_some(gpointer data)
{
	client_t *cl = data;
	unsigned batch = cl->rate ? 1 : 16;

	for (unsigned i = 0; i < batch && cl->sent < cl->count; i++) {
		vg_msg_t *m = vg_msg_new("hb-test");
		vg_error_t err = {0};
		int rc;

		vg_msg_set_int(m, "seq", cl->sent + 1);
		vg_msg_set_int(m, "sent-us", g_get_monotonic_time());
		vg_msg_set(m, "data", cl->data);
		rc = vg_cluster_send(cl->c, cl->dest, m, &err);
		vg_msg_free(m);
		if (rc == VG_EAGAIN)
			return G_SOURCE_CONTINUE;
		if (rc != 0) {
			fprintf(stderr, "hb-client: send: %s\n", err.msg);
			cl->failed = true;
			g_main_loop_quit(cl->loop);
			return G_SOURCE_REMOVE;
		}
		cl->sent++;
	}
	if (cl->sent < cl->count)
		return G_SOURCE_CONTINUE;
	check_done(cl);
	return G_SOURCE_REMOVE;
}

static void on_view(vg_cluster_t *c, const vg_cluster_view_t *v, void *data)
{
	client_t *cl = data;

	if (!cl->quiet) {
		/* the time lets benchmarks measure detection against CLOCK_MONOTONIC */
		printf("view %" G_GUINT64_FORMAT " at %.6f:", v->view_id,
		       g_get_monotonic_time() / 1e6);
		for (size_t i = 0; i < v->n_members; i++)
			printf(" %s", v->members[i].name);
		for (size_t i = 0; i < v->n_left; i++)
			printf(" (left %s)", v->left[i].name);
		printf(" | nodes:");
		for (size_t i = 0; i < v->n_nodes; i++)
			printf(" %s", v->nodes[i].name);
		printf("\n");
		fflush(stdout);
	}
	if (!cl->sending && v->n_members >= cl->members) {
		cl->sending = true;
		cl->expect_from = g_hash_table_new(g_direct_hash, g_direct_equal);
		for (size_t i = 0; i < v->n_members; i++)
			if (cl->dest == 0 || cl->dest == vg_cluster_local_id(c))
				g_hash_table_add(cl->expect_from,
				                 GUINT_TO_POINTER(v->members[i].id));
		if (cl->dest != 0 && cl->dest != vg_cluster_local_id(c))
			g_hash_table_remove_all(cl->expect_from);
		if (cl->rate)
			g_timeout_add(1000 / cl->rate, send_some, cl);
		else
			g_idle_add(send_some, cl);
	}
}

static void on_gone(vg_cluster_t *c, void *data)
{
	client_t *cl = data;

	fprintf(stderr, "hb-client: vigil-hbd went away\n");
	cl->failed = true;
	g_main_loop_quit(cl->loop);
}

static gboolean on_timeout(gpointer data)
{
	client_t *cl = data;

	fprintf(stderr, "hb-client: timed out (sent %u of %u, received %u)\n", cl->sent, cl->count,
	        cl->received);
	cl->failed = true;
	g_main_loop_quit(cl->loop);
	return G_SOURCE_REMOVE;
}

static gint cmp_i64(gconstpointer a, gconstpointer b)
{
	gint64 x = *(const gint64 *)a, y = *(const gint64 *)b;

	return x < y ? -1 : x > y;
}

static void summary(client_t *cl)
{
	double p50 = 0, p99 = 0, secs = (cl->last_rx - cl->first_rx) / 1e6, mbs = 0;

	if (cl->lat_us->len > 0) {
		g_array_sort(cl->lat_us, cmp_i64);
		p50 = g_array_index(cl->lat_us, gint64, cl->lat_us->len / 2) / 1000.0;
		p99 = g_array_index(cl->lat_us, gint64, (cl->lat_us->len * 99) / 100) / 1000.0;
	}
	if (secs > 0)
		mbs = cl->rx_bytes / secs / 1e6;
	printf("result: %s received=%u latency-p50-ms=%.3f latency-p99-ms=%.3f mbytes-per-s=%.2f "
	       "msgs-per-s=%.0f\n",
	       cl->failed ? "FAILED" : "ok", cl->received, p50, p99, mbs,
	       secs > 0 ? cl->received / secs : 0.0);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"config", required_argument, NULL, 'c'},  {"group", required_argument, NULL, 'g'},
	    {"members", required_argument, NULL, 'm'}, {"count", required_argument, NULL, 'n'},
	    {"size", required_argument, NULL, 's'},    {"expect", required_argument, NULL, 'e'},
	    {"dest", required_argument, NULL, 'd'},    {"timeout", required_argument, NULL, 't'},
	    {"rate", required_argument, NULL, 'r'},    {"quiet", no_argument, NULL, 'q'},
	    {"linger", required_argument, NULL, 'l'},  {NULL, 0, NULL, 0},
	};
	client_t cl = {.group = "test", .members = 1, .count = 10, .size = 16, .timeout_s = 60};
	vg_cluster_callbacks_t cb = {
	    .deliver = on_deliver, .view = on_view, .disconnected = on_gone};
	const char *config = NULL;
	int expect = -1, o;
	vg_hacf_t *cfg = NULL;
	vg_error_t err = {0};

	while ((o = getopt_long(argc, argv, "c:g:m:n:s:e:d:t:r:ql:", opts, NULL)) != -1) {
		switch (o) {
		case 'c':
			config = optarg;
			break;
		case 'g':
			cl.group = optarg;
			break;
		case 'm':
			cl.members = (unsigned)atoi(optarg);
			break;
		case 'n':
			cl.count = (unsigned)atoi(optarg);
			break;
		case 's':
			cl.size = (size_t)atol(optarg);
			break;
		case 'e':
			expect = atoi(optarg);
			break;
		case 'd':
			cl.dest = (uint32_t)atol(optarg);
			break;
		case 't':
			cl.timeout_s = atoi(optarg);
			break;
		case 'r':
			cl.rate = (unsigned)atoi(optarg);
			break;
		case 'q':
			cl.quiet = true;
			break;
		case 'l':
			cl.linger_s = atoi(optarg);
			break;
		default:
			fprintf(stderr,
			        "usage: hb-client -c HA.CF [--group G] [--members K] [--count N] "
			        "[--size B] [--expect N] [--dest ID] [--rate PER_S] [--timeout S] "
			        "[--linger S]\n");
			return 2;
		}
	}
	if (config == NULL) {
		fprintf(stderr, "hb-client: -c HA.CF is required\n");
		return 2;
	}
	cl.expect = expect < 0 ? cl.count : (unsigned)expect;
	vg_log_init_tool("hb-client");
	if (vg_hacf_load(config, &cfg, &err) != 0 ||
	    vg_cluster_connect(cfg, cl.group, &cb, &cl, &cl.c, &err) != 0) {
		fprintf(stderr, "hb-client: %s\n", err.msg);
		vg_hacf_free(cfg);
		return 2;
	}
	cl.data = g_malloc(cl.size + 1);
	memset(cl.data, 'x', cl.size);
	cl.data[cl.size] = '\0';
	cl.last_seq = g_hash_table_new(g_direct_hash, g_direct_equal);
	cl.lat_us = g_array_new(FALSE, FALSE, sizeof(gint64));
	cl.loop = g_main_loop_new(NULL, FALSE);
	vg_cluster_attach(cl.c, NULL);
	g_timeout_add_seconds((guint)cl.timeout_s, on_timeout, &cl);
	g_main_loop_run(cl.loop);
	summary(&cl);
	vg_cluster_disconnect(cl.c);
	vg_hacf_free(cfg);
	g_main_loop_unref(cl.loop);
	g_free(cl.data);
	g_hash_table_destroy(cl.last_seq);
	if (cl.expect_from)
		g_hash_table_destroy(cl.expect_from);
	g_array_unref(cl.lat_us);
	return cl.failed ? 1 : 0;
}
