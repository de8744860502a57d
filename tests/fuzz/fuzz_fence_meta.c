/*
 * Fuzz target: fence-agent metadata (`fence_X -o metadata` output, which
 * vigil-fenced reads from agents it did not write).  Parsing must never
 * crash; a parsed document must yield only named parameters.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <vigil/fencing.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	GPtrArray *params = NULL, *actions = NULL;
	if (vg_fence_metadata_parse((const char *)data, size, &params, &actions, NULL) != 0)
		return 0;
	for (guint i = 0; i < params->len; i++) {
		const char *p = g_ptr_array_index(params, i);
		if (p == NULL || *p == '\0' || strchr(p, '=') != NULL)
			abort();
	}
	g_ptr_array_unref(params);
	g_ptr_array_unref(actions);
	return 0;
}
