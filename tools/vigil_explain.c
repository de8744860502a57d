/*
 * `vigil explain`: not built yet in this tree.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>

#include "vigil_tool.h"

int vg_tool_explain(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "vigil explain: not available in this version\n");
	return 2;
}
