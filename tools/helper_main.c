/*
 * vigil-agent-helper: dispatch on argv[0] (crm_attribute, crm_master,
 * attrd_updater, crm_node; symlinks to this program), or on the first
 * argument when called by its own name.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib.h>
#include <vigil/common.h>

#include "helper_private.h"

static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
} helpers[] = {
    {"crm_attribute", helper_crm_attribute},
    {"crm_master", helper_crm_master},
    {"attrd_updater", helper_attrd_updater},
    {"crm_node", helper_crm_node},
};

int main(int argc, char **argv)
{
	char *base = g_path_get_basename(argv[0]);
	vg_log_init_tool(base);
	for (int shift = 0; shift < 2 && argc > shift; shift++) {
		const char *name = shift ? argv[1] : base;
		for (size_t i = 0; i < G_N_ELEMENTS(helpers); i++)
			if (strcmp(name, helpers[i].name) == 0) {
				g_free(base);
				return helpers[i].run(argc - shift, argv + shift);
			}
	}
	bool help = argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0);
	if (!help && argc > 1)
		fprintf(stderr, "vigil-agent-helper: unknown helper '%s'\n", argv[1]);
	fprintf(help ? stdout : stderr,
	        "Usage: vigil-agent-helper crm_attribute|crm_master|attrd_updater|crm_node "
	        "[OPTIONS]\n(normally called through symlinks of those names in vigil's "
	        "libexec directory)\n\n"
	        "  -h, --help  show this help; 'vigil-agent-helper HELPER --help' shows\n"
	        "              a helper's options.  See vigil-agent-helper(8).\n");
	g_free(base);
	return help ? HELPER_EXIT_OK : HELPER_EXIT_USAGE;
}
