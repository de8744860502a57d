/*
 * vigild: the supervisor of a vigil node.  Wiring only: options, ha.cf,
 * logging, signals, the main loop.  The child table lives in
 * vigild_children.c, starting/respawning/stopping in vigild_supervise.c.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define VG_LOG_SUBSYS "vigild"
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib-unix.h>
#include <vigil/common.h>

#include "vigild_private.h"

static void usage(FILE *out)
{
	fprintf(out,
	        "Usage: vigild [OPTIONS]\n\n"
	        "Start and supervise the daemons of one vigil node: vigil-hbd (with\n"
	        "cluster_layer heartbeat), vigil-ctld, vigil-execd and vigil-fenced.\n"
	        "Crashed children are respawned (at most 5 times a minute).  SIGTERM\n"
	        "moves this node's resources away, then stops the children.\n\n"
	        "  -c, --config FILE   ha.cf to read and hand to the children\n"
	        "                      (default %s/ha.cf)\n"
	        "  -f, --foreground    stay in the foreground, log to stderr\n"
	        "      --check         check the configuration and exit\n"
	        "  -h, --help          show this help\n",
	        VG_SYSCONFDIR);
}

static gboolean on_term(gpointer data)
{
	vigild_stop(data);
	return G_SOURCE_CONTINUE;
}

int main(int argc, char **argv)
{
	vg_daemon_t d;
	int setup = vg_daemon_setup(argc, argv, "vigild", usage, &d);

	if (setup >= 0)
		return setup;
	vg_hacf_t *cfg = d.cfg;
	bool foreground = d.foreground;
	char *abs_config = g_canonicalize_filename(d.config, NULL);
	if (!foreground && daemon(0, 0) != 0) {
		vg_log_error("cannot detach: %s", g_strerror(errno));
		return 1;
	}
	bool heartbeat = !cfg->cluster_layer || strcmp(cfg->cluster_layer, "heartbeat") == 0;
	vg_log_notice("node %s: starting (cluster layer %s)", cfg->instance,
	              heartbeat ? "heartbeat" : cfg->cluster_layer);

	GMainLoop *loop = g_main_loop_new(NULL, FALSE);
	vigild_t *v = vigild_new(abs_config, heartbeat, loop);
	g_unix_signal_add(SIGTERM, on_term, v);
	g_unix_signal_add(SIGINT, on_term, v);
	int rc = vigild_start(v);
	g_main_loop_run(loop);
	vg_log_notice("node %s: stopped", cfg->instance);
	vigild_free(v);
	g_main_loop_unref(loop);
	g_free(abs_config);
	vg_hacf_free(cfg);
	vg_log_fini();
	return rc == 0 ? 0 : 1;
}
