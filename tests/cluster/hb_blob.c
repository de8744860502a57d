/*
 * hb-blob: sends files as group messages through lib/cluster and prints a
 * SHA-256 of every message it receives, so a test can prove that a large
 * message (a CIB) arrives byte for byte, compressed on the wire or not.
 * Joins --group, waits for --members members, optionally asks the local
 * vigil-hbd to damage its next N compressed messages (--corrupt-zip N, lab
 * fault injection), sends every --send FILE in order, and prints
 *   got FROM BYTES SHA256
 * per delivered message (its own included).  Exit 0 once --expect messages
 * arrived, 1 on a timeout or a send error, 2 on usage or connect errors.
 * With --until-eof it stays in the group after that until its standard input
 * ends: a sender that left at once would take its group membership, and so
 * the delivery of what is still in flight, with it.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <getopt.h>
#include <glib-unix.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <vigil/cluster.h>

typedef struct blob {
	vg_cluster_t *c;
	GMainLoop *loop;
	const vg_hacf_t *cfg;
	unsigned members, expect, received, corrupt;
	GPtrArray *files;
	bool sending, failed, until_eof, done;
} blob_t;

static gboolean on_stdin(gint fd, GIOCondition cond, gpointer data)
{
	blob_t *b = data;
	char buf[256];

	if (read(fd, buf, sizeof(buf)) > 0)
		return G_SOURCE_CONTINUE;
	if (b->done)
		g_main_loop_quit(b->loop);
	else
		b->until_eof = false; /* quit as soon as everything arrived */
	return G_SOURCE_REMOVE;
}

static void on_deliver(vg_cluster_t *c, const vg_cluster_node_t *from, const vg_msg_t *msg,
                       void *data)
{
	blob_t *b = data;
	const char *payload = vg_msg_get(msg, "data");
	char *sum;

	if (strcmp(vg_msg_type(msg), "hb-blob") != 0 || payload == NULL) {
		fprintf(stderr, "hb-blob: unexpected message from %s\n", from->name);
		b->failed = true;
		return;
	}
	sum = g_compute_checksum_for_string(G_CHECKSUM_SHA256, payload, -1);
	printf("got %s %zu %s\n", from->name, strlen(payload), sum);
	fflush(stdout);
	g_free(sum);
	if (++b->received >= b->expect) {
		b->done = true;
		if (!b->until_eof)
			g_main_loop_quit(b->loop);
	}
}

static int corrupt_zip(blob_t *b)
{
	vg_error_t err = {0};
	vg_ipc_client_t *ipc = vg_ipc_connect("hbd", b->cfg->instance, &err);
	vg_msg_t *req, *reply = NULL;
	int64_t rc = -1;

	if (ipc == NULL) {
		fprintf(stderr, "hb-blob: %s\n", err.msg);
		return -1;
	}
	req = vg_msg_new("hb-fault");
	vg_msg_set_int(req, "corrupt-zip", b->corrupt);
	if (vg_ipc_call(ipc, req, &reply, 5000, &err) != 0 ||
	    vg_msg_get_int(reply, "rc", &rc) != 0 || rc != 0)
		fprintf(stderr, "hb-blob: corrupt-zip refused: %s\n",
		        err.msg[0]
		            ? err.msg
		            : (vg_msg_get(reply, "reason") ? vg_msg_get(reply, "reason") : "?"));
	vg_msg_free(req);
	vg_msg_free(reply);
	vg_ipc_disconnect(ipc);
	return rc == 0 ? 0 : -1;
}

static gboolean send_all(gpointer data)
{
	blob_t *b = data;

	if (b->corrupt > 0 && corrupt_zip(b) != 0) {
		b->failed = true;
		g_main_loop_quit(b->loop);
		return G_SOURCE_REMOVE;
	}
	for (guint i = 0; i < b->files->len; i++) {
		const char *path = g_ptr_array_index(b->files, i);
		vg_msg_t *m = vg_msg_new("hb-blob");
		vg_error_t err = {0};
		gchar *text = NULL;
		GError *gerr = NULL;
		int rc;

		if (!g_file_get_contents(path, &text, NULL, &gerr)) {
			fprintf(stderr, "hb-blob: %s\n", gerr->message);
			g_error_free(gerr);
			vg_msg_free(m);
			b->failed = true;
			g_main_loop_quit(b->loop);
			return G_SOURCE_REMOVE;
		}
		vg_msg_set(m, "data", text);
		g_free(text);
		rc = vg_cluster_send(b->c, 0, m, &err);
		vg_msg_free(m);
		if (rc != 0) {
			fprintf(stderr, "hb-blob: send %s: %s\n", path, err.msg);
			b->failed = true;
			g_main_loop_quit(b->loop);
			return G_SOURCE_REMOVE;
		}
	}
	return G_SOURCE_REMOVE;
}

static void on_view(vg_cluster_t *c, const vg_cluster_view_t *v, void *data)
{
	blob_t *b = data;

	if (!b->sending && v->n_members >= b->members) {
		b->sending = true;
		g_idle_add(send_all, b);
	}
}

static void on_gone(vg_cluster_t *c, void *data)
{
	blob_t *b = data;

	fprintf(stderr, "hb-blob: vigil-hbd went away\n");
	b->failed = true;
	g_main_loop_quit(b->loop);
}

static gboolean on_timeout(gpointer data)
{
	blob_t *b = data;

	fprintf(stderr, "hb-blob: timed out (received %u of %u)\n", b->received, b->expect);
	b->failed = true;
	g_main_loop_quit(b->loop);
	return G_SOURCE_REMOVE;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"config", required_argument, NULL, 'c'},
	    {"group", required_argument, NULL, 'g'},
	    {"members", required_argument, NULL, 'm'},
	    {"send", required_argument, NULL, 's'},
	    {"expect", required_argument, NULL, 'e'},
	    {"timeout", required_argument, NULL, 't'},
	    {"corrupt-zip", required_argument, NULL, 'z'},
	    {"until-eof", no_argument, NULL, 'u'},
	    {NULL, 0, NULL, 0},
	};
	blob_t b = {.members = 1};
	vg_cluster_callbacks_t cb = {
	    .deliver = on_deliver, .view = on_view, .disconnected = on_gone};
	const char *config = NULL, *group = "blob";
	int timeout_s = 60, o;
	vg_hacf_t *cfg = NULL;
	vg_error_t err = {0};

	b.files = g_ptr_array_new();
	while ((o = getopt_long(argc, argv, "c:g:m:s:e:t:z:u", opts, NULL)) != -1) {
		switch (o) {
		case 'c':
			config = optarg;
			break;
		case 'g':
			group = optarg;
			break;
		case 'm':
			b.members = (unsigned)atoi(optarg);
			break;
		case 's':
			g_ptr_array_add(b.files, optarg);
			break;
		case 'e':
			b.expect = (unsigned)atoi(optarg);
			break;
		case 't':
			timeout_s = atoi(optarg);
			break;
		case 'z':
			b.corrupt = (unsigned)atoi(optarg);
			break;
		case 'u':
			b.until_eof = true;
			break;
		default:
			fprintf(stderr, "usage: hb-blob -c HA.CF [--group G] [--members K] "
			                "[--send FILE]... [--expect N] [--timeout S] "
			                "[--corrupt-zip N] [--until-eof]\n");
			return 2;
		}
	}
	if (config == NULL) {
		fprintf(stderr, "hb-blob: -c HA.CF is required\n");
		return 2;
	}
	vg_log_init_tool("hb-blob");
	if (vg_hacf_load(config, &cfg, &err) != 0 ||
	    vg_cluster_connect(cfg, group, &cb, &b, &b.c, &err) != 0) {
		fprintf(stderr, "hb-blob: %s\n", err.msg);
		vg_hacf_free(cfg);
		return 2;
	}
	b.cfg = cfg;
	b.loop = g_main_loop_new(NULL, FALSE);
	vg_cluster_attach(b.c, NULL);
	g_timeout_add_seconds((guint)timeout_s, on_timeout, &b);
	if (b.until_eof)
		g_unix_fd_add(0, G_IO_IN | G_IO_HUP | G_IO_ERR, on_stdin, &b);
	if (b.expect > 0)
		g_main_loop_run(b.loop);
	else if (b.files->len > 0)
		fprintf(stderr, "hb-blob: --send needs --expect (at least its own messages)\n");
	vg_cluster_disconnect(b.c);
	vg_hacf_free(cfg);
	g_main_loop_unref(b.loop);
	g_ptr_array_unref(b.files);
	return b.failed || b.received < b.expect ? 1 : 0;
}
