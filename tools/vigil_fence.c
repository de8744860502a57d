/*
 * `vigil fence`: not built yet in this tree.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>

#include "vigil_tool.h"

int vg_tool_fence(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "vigil fence: not available in this version\n");
	return 2;
}
