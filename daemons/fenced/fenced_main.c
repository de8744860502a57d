/*
 * vigil-fenced: the fencer of a vigil node.  Wiring only: options, ha.cf,
 * logging, the IPC server (fenced_ipc.c), device monitors
 * (fenced_monitor.c), peers (fenced_peers.c), the main loop.  The work is libvigil-fencing's.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define VG_LOG_SUBSYS "fenced"
#include "config.h"

#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib-unix.h>

#include "fenced_private.h"

static void usage(FILE *out)
{
	fprintf(out,
	        "Usage: vigil-fenced [OPTIONS]\n\n"
	        "The fencer of a vigil node: runs the fencing devices configured in the\n"
	        "CIB (fence-agents, cluster-glue external plugins, vigil's native Redfish\n"
	        "and HTTP power-switch plugins) with fencing-topology, confirms off by\n"
	        "status, keeps the fencing history, and answers requests from vigil-ctld\n"
	        "and `vigil fence` on the socket vigil-fenced-INSTANCE.\n\n"
	        "  -c, --config FILE     ha.cf to read (default %s/ha.cf)\n"
	        "  -f, --foreground      stay in the foreground, log to stderr\n"
	        "      --check           check the configuration (and --cib) and exit\n"
	        "      --instance NAME   node name (overrides ha.cf's instance)\n"
	        "      --state-dir DIR   state directory (overrides ha.cf's state_dir)\n"
	        "      --cib FILE        read devices and topology from this CIB file\n"
	        "                        (normally vigil-ctld pushes the CIB)\n"
	        "  -h, --help            show this help\n",
	        VG_SYSCONFDIR);
}

static gboolean on_term(gpointer data)
{
	g_main_loop_quit(data);
	return G_SOURCE_REMOVE;
}

typedef struct opts {
	const char *config, *instance, *state_dir, *cib;
	bool foreground, check, config_given;
} opts_t;

static int parse_opts(int argc, char **argv, opts_t *o)
{
	static const struct option lo[] = {
	    {"config", required_argument, NULL, 'c'},
	    {"foreground", no_argument, NULL, 'f'},
	    {"check", no_argument, NULL, 'C'},
	    {"instance", required_argument, NULL, 'I'},
	    {"state-dir", required_argument, NULL, 'S'},
	    {"cib", required_argument, NULL, 'X'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	int c;
	o->config = VG_SYSCONFDIR "/ha.cf";
	while ((c = getopt_long(argc, argv, "c:fh", lo, NULL)) != -1) {
		switch (c) {
		case 'c':
			o->config = optarg;
			o->config_given = true;
			break;
		case 'f':
			o->foreground = true;
			break;
		case 'C':
			o->check = true;
			break;
		case 'I':
			o->instance = optarg;
			break;
		case 'S':
			o->state_dir = optarg;
			break;
		case 'X':
			o->cib = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "vigil-fenced: unexpected argument '%s' (options only)\n",
		        argv[optind]);
		usage(stderr);
		return 2;
	}
	return -1;
}

int main(int argc, char **argv)
{
	opts_t o = {0};
	vg_hacf_t *hacf = NULL;
	vg_error_t err = {0};
	vg_fence_config_t *cfg = NULL;
	fenced_t f = {0};
	int rc = parse_opts(argc, argv, &o);
	if (rc >= 0)
		return rc;

	/* ha.cf is required unless the node is named on the command line. */
	if (vg_hacf_load(o.config, &hacf, &err) != 0 && (o.config_given || o.instance == NULL)) {
		fprintf(stderr, "vigil-fenced: %s\n", err.msg[0] ? err.msg : "cannot read ha.cf");
		return 1;
	}
	vg_error_clear(&err);
	if (o.cib != NULL && vg_fence_config_load_file(o.cib, &cfg, &err) != 0) {
		fprintf(stderr, "vigil-fenced: %s\n", err.msg);
		vg_hacf_free(hacf);
		return 1;
	}
	if (o.check) {
		if (cfg != NULL)
			printf("%s: %u fencing device(s), %u topology level(s)\n", o.cib,
			       cfg->devices->len, cfg->levels->len);
		printf("configuration OK\n");
		vg_fence_config_free(cfg);
		vg_hacf_free(hacf);
		return 0;
	}
	f.instance = g_strdup(o.instance ? o.instance : hacf->instance);
	vg_log_config_t lc = {.ident = "vigil-fenced",
	                      .foreground = o.foreground,
	                      .logfile = hacf ? hacf->log_file : NULL,
	                      .facility = hacf ? hacf->log_facility : 0,
	                      .level = hacf && hacf->debug ? LOG_DEBUG : 0};
	vg_log_init(&lc);
	signal(SIGPIPE, SIG_IGN);

	GMainLoop *loop = g_main_loop_new(NULL, FALSE);
	f.engine = vg_fence_engine_new(f.instance);
	f.hacf = hacf;
	fenced_monitor_start(&f);
	fenced_peers_start(&f);
	if (cfg != NULL)
		fenced_set_config(&f, cfg);
	if (fenced_ipc_start(&f, &err) != 0) {
		vg_log_error("node %s: cannot start the IPC server: %s", f.instance, err.msg);
		rc = 1;
		goto out;
	}
	g_unix_signal_add(SIGTERM, on_term, loop);
	g_unix_signal_add(SIGINT, on_term, loop);
	vg_log_notice("node %s: fencer ready (%u device(s))", f.instance,
	              vg_fence_engine_config(f.engine)->devices->len);
	g_main_loop_run(loop);
	vg_log_notice("node %s: fencer stopping", f.instance);
	rc = 0;
out:
	fenced_ipc_stop(&f);
	fenced_peers_stop(&f);
	fenced_monitor_stop(&f);
	vg_fence_config_free(f.pending_cfg);
	vg_fence_engine_free(f.engine);
	g_main_loop_unref(loop);
	g_free(f.instance);
	vg_hacf_free(hacf);
	vg_log_fini();
	return rc;
}
