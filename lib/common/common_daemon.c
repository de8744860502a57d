/*
 * Daemon start-up shared by the daemons that take only the standard options
 * (`-c|--config FILE`, `-f|--foreground`, `--check`, `-h|--help`): parse
 * them, load ha.cf, answer --check, set up logging.  The daemon keeps its own
 * help text and everything after logging (detaching, IPC, the main loop);
 * this file never forks, opens sockets or installs signal handlers.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>

#include <vigil/common.h>

int vg_daemon_setup(int argc, char **argv, const char *ident, void (*usage)(FILE *out),
                    vg_daemon_t *d)
{
	static const struct option opts[] = {
	    {"config", required_argument, NULL, 'c'},
	    {"foreground", no_argument, NULL, 'f'},
	    {"check", no_argument, NULL, 'C'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	bool check = false;
	vg_error_t err = {0};
	int c;

	d->config = VG_SYSCONFDIR "/ha.cf";
	d->foreground = false;
	d->cfg = NULL;
	while ((c = getopt_long(argc, argv, "c:fh", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			d->config = optarg;
			break;
		case 'f':
			d->foreground = true;
			break;
		case 'C':
			check = true;
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
		fprintf(stderr, "%s: unexpected argument \"%s\"\n", ident, argv[optind]);
		usage(stderr);
		return 2;
	}
	if (vg_hacf_load(d->config, &d->cfg, &err) != 0) {
		fprintf(stderr, "%s: %s\n", ident, err.msg[0] ? err.msg : "cannot read ha.cf");
		fprintf(stderr, "%s: give the configuration file with -c FILE (default %s)\n",
		        ident, VG_SYSCONFDIR "/ha.cf");
		return 1;
	}
	if (check) {
		printf("configuration OK\n");
		vg_hacf_free(d->cfg);
		d->cfg = NULL;
		return 0;
	}
	vg_log_config_t lc = {.ident = ident,
	                      .foreground = d->foreground,
	                      .logfile = d->cfg->log_file,
	                      .facility = d->cfg->log_facility,
	                      .level = d->cfg->debug ? LOG_DEBUG : 0};
	vg_log_init(&lc);
	return -1;
}
