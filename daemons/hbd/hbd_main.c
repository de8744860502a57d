/*
 * vigil-hbd: the heartbeat layer of a vigil node (cluster_layer heartbeat).
 * Wiring only: options, ha.cf and authkeys, logging, media, IPC, timers and
 * the main loop.  The work lives in the files hbd.h lists.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define VG_LOG_SUBSYS "hbd"
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib-unix.h>

#include "hbd.h"

#ifndef VG_SYSCONFDIR
#define VG_SYSCONFDIR "/etc/vigil"
#endif

static void usage(FILE *f)
{
	fprintf(f, "Usage: vigil-hbd [-c|--config FILE] [-f|--foreground] [--check] [-h|--help]\n"
	           "\n"
	           "The vigil heartbeat layer: liveness over UDP and serial media, membership\n"
	           "views, quorum and reliable group messaging for the node's other daemons.\n"
	           "\n"
	           "  -c, --config FILE  ha.cf to read (default " VG_SYSCONFDIR "/ha.cf)\n"
	           "  -f, --foreground   log to stderr, do not detach\n"
	           "      --check        validate ha.cf and authkeys, print \"configuration OK\"\n"
	           "      --dump         print the configuration as understood, then exit\n"
	           "  -h, --help         this text\n"
	           "\n"
	           "See vigil-hbd(8), ha.cf(5) and authkeys(5).\n");
}

static gboolean on_signal(gpointer data)
{
	hbd_t *h = data;

	vg_log_notice("shutting down on signal");
	g_main_loop_quit(h->loop);
	return G_SOURCE_CONTINUE;
}

static gboolean on_keepalive(gpointer data)
{
	hbd_heartbeat_send(data);
	return G_SOURCE_CONTINUE;
}

static gboolean on_tick(gpointer data)
{
	hbd_t *h = data;
	gint64 now = g_get_monotonic_time();

	hbd_media_tick(h);
	hbd_peer_tick(h, now);
	hbd_view_update(h);
	hbd_stream_tick(h, now);
	if (h->hb_due)
		hbd_heartbeat_send(h);
	return G_SOURCE_CONTINUE;
}

static int setup(hbd_t *h, vg_error_t *err)
{
	int rc;

	h->hb = vg_hacf_hb(h->cfg);
	h->my_name = h->cfg->instance;
	h->my_id = vg_hacf_node_id(h->cfg, h->my_name);
	if (h->my_id == 0 && h->hb->autojoin == VG_HB_AUTOJOIN_NONE)
		return vg_error_set(err, VG_ECONFIG,
		                    "%s: this node (%s) has no node line and autojoin is none",
		                    h->cfg->path, h->my_name);
	if (h->my_id == 0)
		h->my_id =
		    (hb_crc32(0, h->my_name, strlen(h->my_name)) | 0x80000000u) & 0xfffffffeu;
	rc = hb_auth_load(h->hb->authkeys, h->hb->insecure_auth, &h->auth, err);
	if (rc != 0)
		return rc;
	h->cluster = hb_cluster_id(h->cfg->cluster_name);
	return 0;
}

static int run(hbd_t *h, vg_error_t *err)
{
	guint tick_ms = (guint)CLAMP(h->cfg->keepalive_ms / 5, 10, 100);
	int rc = hbd_incarnation_next(h->cfg->state_dir, &h->incarnation, err);

	if (rc != 0)
		return rc;
	h->started = g_get_monotonic_time();
	hbd_peers_init(h);
	hbd_view_init(h);
	hbd_stream_init(h);
	rc = hbd_media_open(h, err);
	if (rc == 0)
		rc = hbd_ipc_start(h, err);
	if (rc != 0)
		return rc;
	hbd_realtime(h->cfg);
	vg_log_notice("node %s (id %u, incarnation %" G_GUINT64_FORMAT
	              ") in cluster %s: started [mono %.3f]",
	              h->my_name, h->my_id, h->incarnation, h->cfg->cluster_name,
	              g_get_monotonic_time() / 1e6);
	h->loop = g_main_loop_new(NULL, FALSE);
	g_unix_signal_add(SIGTERM, on_signal, h);
	g_unix_signal_add(SIGINT, on_signal, h);
	h->hb_source = g_timeout_add((guint)h->cfg->keepalive_ms, on_keepalive, h);
	h->tick_source = g_timeout_add(tick_ms, on_tick, h);
	hbd_view_update(h);
	hbd_heartbeat_send(h);
	g_main_loop_run(h->loop);
	g_source_remove(h->hb_source);
	g_source_remove(h->tick_source);
	if (h->hb_idle != 0)
		g_source_remove(h->hb_idle);
	if (h->join_timer != 0)
		g_source_remove(h->join_timer);
	g_main_loop_unref(h->loop);
	return 0;
}

static void teardown(hbd_t *h)
{
	hbd_ipc_stop(h);
	hbd_media_close(h);
	hbd_stream_free(h);
	hbd_view_free(h);
	hbd_peers_free(h);
	hb_auth_free(h->auth);
	if (h->fault_block != NULL)
		g_hash_table_destroy(h->fault_block);
	vg_hacf_free(h->cfg);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"config", required_argument, NULL, 'c'}, {"foreground", no_argument, NULL, 'f'},
	    {"check", no_argument, NULL, 'C'},        {"dump", no_argument, NULL, 'D'},
	    {"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0},
	};
	const char *config = VG_SYSCONFDIR "/ha.cf";
	bool foreground = false, check = false, dump = false;
	hbd_t h = {0};
	vg_error_t err = {0};
	vg_log_config_t lc = {.ident = "vigil-hbd"};
	int c, rc;

	while ((c = getopt_long(argc, argv, "c:fh", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			config = optarg;
			break;
		case 'f':
			foreground = true;
			break;
		case 'C':
			check = true;
			break;
		case 'D':
			dump = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "vigil-hbd: unexpected argument \"%s\"\n", argv[optind]);
		usage(stderr);
		return 2;
	}
	vg_log_init_tool("vigil-hbd");
	rc = vg_hacf_load(config, &h.cfg, &err);
	if (rc == 0)
		rc = setup(&h, &err);
	if (rc != 0) {
		fprintf(stderr, "vigil-hbd: %s\n", err.msg);
		teardown(&h);
		vg_log_fini();
		return 1;
	}
	if (check || dump) {
		char *text = dump ? vg_hacf_dump(h.cfg) : NULL;

		fputs(dump ? text : "configuration OK\n", stdout);
		g_free(text);
		teardown(&h);
		vg_log_fini();
		return 0;
	}
	lc.foreground = foreground;
	lc.logfile = h.cfg->log_file;
	lc.facility = h.cfg->log_facility > 0 ? h.cfg->log_facility : 0;
	lc.level = h.cfg->debug ? LOG_DEBUG : LOG_INFO;
	vg_log_init(&lc);
	rc = run(&h, &err);
	if (rc != 0)
		vg_log_error("%s", err.msg);
	teardown(&h);
	vg_log_fini();
	return rc == 0 ? 0 : 1;
}
