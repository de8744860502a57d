/*
 * `vigil`: one command, many subcommands.  This file is only the dispatch
 * table and the top-level help; each subcommand lives in its own file.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <vigil/common.h>

#include "vigil_tool.h"

static const struct subcommand {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
} subcommands[] = {
    {"status", vg_tool_status, "show the cluster: nodes, resources, failures, fencing"},
    {"configure", vg_tool_configure, "edit the configuration in the crm-style language"},
    {"resource", vg_tool_resource, "start, stop, move, ban, clean up resources"},
    {"node", vg_tool_node, "standby, online, maintenance, shutdown, list nodes"},
    {"cib", vg_tool_cib, "query and edit the CIB as XML (live, or offline with -x FILE)"},
    {"simulate", vg_tool_simulate, "run the scheduler on a CIB (crm_simulate-compatible)"},
    {"fence", vg_tool_fence, "fence a node, list devices, show fencing history"},
    {"attribute", vg_tool_attribute, "query and set node attributes"},
    {"membership", vg_tool_membership, "show the heartbeat layer's view: nodes, links, quorum"},
    {"ra", vg_tool_ra, "list resource agents and show their metadata"},
    {"explain", vg_tool_explain, "explain why the cluster placed a resource where it is"},
};

static void usage(FILE *out)
{
	fprintf(out, "Usage: vigil COMMAND [OPTIONS...]\n\n"
	             "vigil manages a high-availability cluster.  Commands:\n\n");
	for (size_t i = 0; i < G_N_ELEMENTS(subcommands); i++)
		fprintf(out, "  %-11s %s\n", subcommands[i].name, subcommands[i].summary);
	fprintf(out, "\n  -h, --help     show this help\n"
	             "      --version  print vigil's version\n\n"
	             "Run 'vigil COMMAND --help' for a command's options; "
	             "'man vigil-COMMAND' for details.\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return 0;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("vigil %s\n", PACKAGE_VERSION);
		return 0;
	}
	vg_log_init_tool("vigil");
	for (size_t i = 0; i < G_N_ELEMENTS(subcommands); i++)
		if (strcmp(argv[1], subcommands[i].name) == 0)
			return subcommands[i].run(argc - 1, argv + 1);
	fprintf(stderr, "vigil: unknown %s '%s'; run 'vigil --help' for the list\n",
	        argv[1][0] == '-' ? "option" : "command", argv[1]);
	return 2;
}
