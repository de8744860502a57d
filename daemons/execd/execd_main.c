/*
 * vigil-execd: the executor of a vigil node.  Wiring only: options, ha.cf,
 * logging, the IPC server ("execd" service of the instance), signals, the
 * main loop and a clean exit that takes every running agent down with it.
 * The work is in execd_ops.c, the request table in execd_messages.c, the
 * orphan protection in execd_orphans.c.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define VG_LOG_SUBSYS "execd"
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib-unix.h>

#include "execd_private.h"

static void usage(FILE *out)
{
	fprintf(out,
	        "Usage: vigil-execd [OPTIONS]\n\n"
	        "Run OCF and LSB resource agents on this node for vigil-ctld: one operation\n"
	        "at a time per resource, at most --max-children agents at once, recurring\n"
	        "monitors that report changes.  Agents never outlive it.\n\n"
	        "  -c, --config FILE       ha.cf to read (default %s/ha.cf)\n"
	        "  -f, --foreground        stay in the foreground, log to stderr\n"
	        "      --check             check the configuration and exit\n"
	        "      --instance NAME     node instance name (overrides ha.cf)\n"
	        "      --state-dir DIR     state directory (overrides ha.cf)\n"
	        "      --run-dir DIR       runtime directory (overrides ha.cf)\n"
	        "      --max-children N    agents running at once on this node\n"
	        "                          (default: VIGIL_EXECD_MAX_CHILDREN or 2 x CPUs, at "
	        "least 4)\n"
	        "  -h, --help              show this help\n",
	        VG_SYSCONFDIR);
}

typedef struct opts {
	const char *config;
	const char *instance, *state_dir, *run_dir;
	bool foreground, check, config_given;
	unsigned max_children;
} opts_t;

static int parse_opts(int argc, char **argv, opts_t *o)
{
	static const struct option longopts[] = {
	    {"config", required_argument, NULL, 'c'},
	    {"foreground", no_argument, NULL, 'f'},
	    {"check", no_argument, NULL, 'C'},
	    {"help", no_argument, NULL, 'h'},
	    {"instance", required_argument, NULL, 'I'},
	    {"state-dir", required_argument, NULL, 'S'},
	    {"run-dir", required_argument, NULL, 'R'},
	    {"max-children", required_argument, NULL, 'M'},
	    {NULL, 0, NULL, 0},
	};
	int c;

	o->config = VG_SYSCONFDIR "/ha.cf";
	while ((c = getopt_long(argc, argv, "c:fh", longopts, NULL)) != -1) {
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
		case 'R':
			o->run_dir = optarg;
			break;
		case 'M':
			o->max_children = (unsigned)strtoul(optarg, NULL, 10);
			if (o->max_children == 0 || o->max_children > 10000) {
				fprintf(stderr, "vigil-execd: --max-children wants 1..10000\n");
				return 2;
			}
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
		fprintf(stderr, "vigil-execd: unexpected argument '%s' (options only)\n",
		        argv[optind]);
		usage(stderr);
		return 2;
	}
	return -1;
}

static unsigned default_max_children(void)
{
	const char *env = g_getenv("VIGIL_EXECD_MAX_CHILDREN");
	long n = env != NULL ? strtol(env, NULL, 10) : 0;

	if (n > 0 && n <= 10000)
		return (unsigned)n;
	n = sysconf(_SC_NPROCESSORS_ONLN);
	return (unsigned)MAX(4, 2 * MAX(n, 1));
}

static gboolean on_drain_timeout(gpointer data)
{
	*(bool *)data = true;
	return G_SOURCE_REMOVE;
}

/* Reap the agents just killed (their results go out as cancelled), for at
 * most two seconds. */
static void drain(execd_t *d)
{
	bool expired = false;
	guint t = g_timeout_add(2000, on_drain_timeout, &expired);

	while (d->active > 0 && !expired)
		g_main_context_iteration(NULL, TRUE);
	if (!expired)
		g_source_remove(t);
}

static gboolean on_term(gpointer data)
{
	g_main_loop_quit(data);
	return G_SOURCE_CONTINUE;
}

int main(int argc, char **argv)
{
	opts_t o = {0};
	vg_hacf_t *cfg = NULL;
	vg_error_t err = {0};
	const char *instance, *run_dir;
	execd_t *d;
	GMainLoop *loop;
	int rc = parse_opts(argc, argv, &o);

	if (rc >= 0)
		return rc;
	/* ha.cf is required unless the instance is given on the command line. */
	if ((o.config_given || o.instance == NULL || g_file_test(o.config, G_FILE_TEST_EXISTS)) &&
	    vg_hacf_load(o.config, &cfg, &err) != 0) {
		fprintf(stderr, "vigil-execd: %s\n", err.msg[0] ? err.msg : "cannot read ha.cf");
		return 1;
	}
	if (o.check) {
		printf("configuration OK\n");
		vg_hacf_free(cfg);
		return 0;
	}
	instance = o.instance ? o.instance : cfg->instance;
	run_dir = o.run_dir ? o.run_dir : cfg != NULL ? cfg->run_dir : VG_RUNDIR;
	vg_log_config_t lc = {.ident = "vigil-execd",
	                      .foreground = o.foreground,
	                      .logfile = cfg ? cfg->log_file : NULL,
	                      .facility = cfg ? cfg->log_facility : 0,
	                      .level = cfg && cfg->debug ? LOG_DEBUG : 0};
	vg_log_init(&lc);
	if (g_mkdir_with_parents(run_dir, 0750) != 0)
		vg_log_warn("%s: cannot create the runtime directory: %s", run_dir,
		            g_strerror(errno));
	if (!o.foreground && daemon(0, 0) != 0) {
		vg_log_error("cannot detach: %s", g_strerror(errno));
		vg_hacf_free(cfg);
		vg_log_fini();
		return 1;
	}
	signal(SIGPIPE, SIG_IGN);

	loop = g_main_loop_new(NULL, FALSE);
	d = execd_new(instance, run_dir, o.max_children ? o.max_children : default_max_children());
	d->loop = loop;
	/* Before we run anything: whatever a crashed predecessor left running. */
	execd_groups_reap_stale(d);
	d->srv = vg_ipc_server_start("execd", instance, execd_on_request, execd_on_closed, d, &err);
	if (d->srv == NULL) {
		vg_log_error("cannot start the IPC server: %s", err.msg);
		execd_free(d);
		g_main_loop_unref(loop);
		vg_hacf_free(cfg);
		vg_log_fini();
		return 1;
	}
	g_unix_signal_add(SIGTERM, on_term, loop);
	g_unix_signal_add(SIGINT, on_term, loop);
	vg_log_notice("node %s: vigil-execd running (boot %s, at most %u agents at once)", instance,
	              d->boot_id, d->max_children);
	g_main_loop_run(loop);

	vg_log_notice("node %s: vigil-execd stopping", instance);
	execd_kill_all(d);
	drain(d);
	vg_ipc_server_stop(d->srv);
	unlink(d->groups_path);
	execd_free(d);
	g_main_loop_unref(loop);
	vg_hacf_free(cfg);
	vg_log_fini();
	return 0;
}
