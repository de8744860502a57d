/*
 * vigil-ctld: the controller of a vigil node.  Wiring only: options, ha.cf,
 * logging, the CIB replica, client IPC, the cluster layer, the executor and
 * fencer connections, the main loop, teardown.  ctld_private.h lists where
 * everything else lives.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define VG_LOG_SUBSYS "ctld"
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib-unix.h>
#include <vigil/common.h>

#include "ctld_private.h"

static void usage(FILE *out)
{
	fprintf(out,
	        "Usage: vigil-ctld [OPTIONS]\n\n"
	        "The controller of a vigil node: keeps this node's copy of the CIB,\n"
	        "takes part in the DC election, and (as DC) runs the scheduler and\n"
	        "carries out its decisions through every node's executor and fencer.\n"
	        "Normally started by vigild.\n\n"
	        "  -c, --config FILE   ha.cf to read (default %s/ha.cf)\n"
	        "  -f, --foreground    stay in the foreground, log to stderr\n"
	        "      --check         check the configuration and exit\n"
	        "  -h, --help          show this help\n\n"
	        "SIGTERM: move this node's resources away, then exit.\n",
	        VG_SYSCONFDIR);
}

static gboolean on_term(gpointer data)
{
	ctld_shutdown_begin(data);
	return G_SOURCE_CONTINUE;
}

int main(int argc, char **argv)
{
	vg_error_t err = {0};
	vg_daemon_t d;
	ctld_t c = {0};
	int setup = vg_daemon_setup(argc, argv, "vigil-ctld", usage, &d);

	if (setup >= 0)
		return setup;
	c.cfg = d.cfg;
	c.me = c.cfg->instance;
	c.loop = g_main_loop_new(NULL, FALSE);

	if (ctld_cib_load(&c, &err) != 0 || ctld_ipc_start(&c, &err) != 0 ||
	    ctld_peer_start(&c, &err) != 0) {
		vg_log_error("cannot start: %s", err.msg);
		c.exit_code = 1;
		goto out;
	}
	ctld_execd_start(&c);
	ctld_fence_start(&c);
	g_unix_signal_add(SIGTERM, on_term, &c);
	g_unix_signal_add(SIGINT, on_term, &c);
	vg_log_notice("node %s: controller running", c.me);
	g_main_loop_run(c.loop);
out:
	ctld_transition_stop(&c);
	ctld_peer_stop(&c);
	ctld_ipc_stop(&c);
	ctld_execd_stop(&c);
	ctld_fence_stop(&c);
	ctld_cib_close(&c);
	if (c.local_ops)
		g_hash_table_destroy(c.local_ops);
	if (c.promoted)
		g_hash_table_destroy(c.promoted);
	if (c.stonith_started)
		g_hash_table_destroy(c.stonith_started);
	if (c.dampen)
		g_hash_table_destroy(c.dampen);
	g_free(c.dc);
	g_free(c.execd_boot);
	g_main_loop_unref(c.loop);
	vg_hacf_free(c.cfg);
	vg_log_fini();
	return c.exit_code;
}
