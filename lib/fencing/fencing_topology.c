/*
 * fencing_topology.c: which fencing-topology levels apply to a target:
 * by node name, by POSIX extended regular expression on the name
 * (anchored on the whole name), or by a node attribute's value.  Levels
 * are returned by index; at equal index a name match comes before a
 * pattern, a pattern before an attribute.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define VG_LOG_SUBSYS "fencing"
#include <regex.h>
#include <string.h>

#include "fencing_private.h"

static bool pattern_match(const char *pattern, const char *target)
{
	char *anchored = g_strdup_printf("^(%s)$", pattern);
	regex_t re;
	bool m = false;
	if (regcomp(&re, anchored, REG_EXTENDED | REG_NOSUB) == 0) {
		m = regexec(&re, target, 0, NULL, 0) == 0;
		regfree(&re);
	}
	g_free(anchored);
	return m;
}

static bool level_applies(const vg_fence_config_t *c, const vg_fence_level_t *l, const char *target)
{
	GHashTable *attrs;
	const char *v;
	switch (l->kind) {
	case VG_FENCE_LEVEL_NODE:
		return strcmp(l->target, target) == 0;
	case VG_FENCE_LEVEL_PATTERN:
		return pattern_match(l->target, target);
	case VG_FENCE_LEVEL_ATTRIBUTE:
		attrs = g_hash_table_lookup(c->node_attrs, target);
		v = attrs ? g_hash_table_lookup(attrs, l->target) : NULL;
		return v != NULL && strcmp(v, l->value) == 0;
	}
	return false;
}

static gint by_index(gconstpointer a, gconstpointer b)
{
	const vg_fence_level_t *x = *(vg_fence_level_t *const *)a;
	const vg_fence_level_t *y = *(vg_fence_level_t *const *)b;
	if (x->index != y->index)
		return x->index - y->index;
	return (int)x->kind - (int)y->kind;
}

GPtrArray *vg_fence_topology_levels(const vg_fence_config_t *c, const char *target)
{
	GPtrArray *out = g_ptr_array_new();
	for (guint i = 0; i < c->levels->len; i++) {
		vg_fence_level_t *l = g_ptr_array_index(c->levels, i);
		if (level_applies(c, l, target))
			g_ptr_array_add(out, l);
	}
	g_ptr_array_sort(out, by_index);
	/* One level per index: the most specific kind wins. */
	for (guint i = 1; i < out->len;) {
		vg_fence_level_t *prev = g_ptr_array_index(out, i - 1);
		vg_fence_level_t *cur = g_ptr_array_index(out, i);
		if (prev->index == cur->index)
			g_ptr_array_remove_index(out, i);
		else
			i++;
	}
	return out;
}
