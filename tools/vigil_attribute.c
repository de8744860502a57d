/*
 * `vigil attribute`: query and set node attributes of the running cluster,
 * transient ("reboot", the default, as attrd) or permanent ("forever").
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "vigil_live.h"
#include "vigil_tool.h"

#define PROG "attribute"

static const char usage_text[] =
    "Usage: vigil attribute [OPTIONS] get|set|delete NAME [VALUE]\n\n"
    "  -N, --node NODE       the node (default: this node)\n"
    "  -l, --lifetime L      reboot (transient, default) or forever (permanent)\n"
    "  -d, --dampen MS       set: wait MS for further changes before writing\n"
    "  -h, --help            show this help\n\n"
    "Exit status: 0 done, 1 error, 2 usage, 69 not running, 105 not set.\n";

int vg_tool_attribute(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"node", required_argument, NULL, 'N'},
	    {"lifetime", required_argument, NULL, 'l'},
	    {"dampen", required_argument, NULL, 'd'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	const char *node = NULL;
	bool perm = false;
	unsigned dampen = 0;
	int o;
	optind = 1;
	while ((o = getopt_long(argc, argv, "N:l:d:h", opts, NULL)) != -1) {
		switch (o) {
		case 'N':
			node = optarg;
			break;
		case 'l':
			if (strcmp(optarg, "forever") != 0 && strcmp(optarg, "reboot") != 0) {
				fprintf(stderr,
				        "vigil attribute: --lifetime is 'reboot' or 'forever', "
				        "not '%s'\n",
				        optarg);
				return 2;
			}
			perm = strcmp(optarg, "forever") == 0;
			break;
		case 'd':
			if (!*optarg || strspn(optarg, "0123456789") != strlen(optarg)) {
				fprintf(stderr,
				        "vigil attribute: --dampen wants milliseconds as a whole "
				        "number (e.g. -d 5000), not '%s'\n",
				        optarg);
				return 2;
			}
			dampen = (unsigned)g_ascii_strtoull(optarg, NULL, 10);
			break;
		case 'h':
			fputs(usage_text, stdout);
			return 0;
		default:
			fputs(usage_text, stderr);
			return 2;
		}
	}
	int n = argc - optind;
	char **a = argv + optind;
	if (n < 2 || (strcmp(a[0], "set") == 0 ? n != 3 : n != 2) ||
	    (strcmp(a[0], "get") != 0 && strcmp(a[0], "set") != 0 && strcmp(a[0], "delete") != 0)) {
		if (n >= 1)
			fprintf(stderr, "vigil attribute: expected get NAME, set NAME VALUE or "
			                "delete NAME\n");
		fputs(usage_text, stderr);
		return 2;
	}
	vg_client_t *c = vg_live_connect(PROG);
	if (!c)
		return 69;
	vg_error_t err = {0};
	int rc, code = 0;
	if (strcmp(a[0], "get") == 0) {
		char *v = NULL;
		rc = vg_client_attr_get(c, node, a[1], perm, &v, &err);
		if (rc == 0)
			printf("%s\n", v);
		g_free(v);
	} else if (strcmp(a[0], "set") == 0) {
		rc = vg_client_attr_set(c, node, a[1], a[2], perm, dampen, &err);
	} else if (strcmp(a[0], "delete") == 0) {
		rc = vg_client_attr_set(c, node, a[1], NULL, perm, 0, &err);
	} else {
		fputs(usage_text, stderr);
		vg_client_free(c);
		return 2;
	}
	if (rc)
		code = vg_live_fail(PROG, rc, &err);
	vg_client_free(c);
	return code;
}
