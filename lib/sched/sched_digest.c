/*
 * sched_digest.c: Pacemaker's op-digest of an operation's parameters, the
 * MD5 of "<parameters name="value" .../>" with the names sorted.
 *
 * Never reads the CIB itself.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define VG_LOG_SUBSYS "sched"
#include <string.h>

#include "sched_private.h"

static void escape(GString *s, const char *v)
{
	for (; *v; v++) {
		switch (*v) {
		case '<': g_string_append(s, "&lt;"); break;
		case '>': g_string_append(s, "&gt;"); break;
		case '&': g_string_append(s, "&amp;"); break;
		case '"': g_string_append(s, "&quot;"); break;
		default: g_string_append_c(s, *v);
		}
	}
}

char *vg_sched_op_digest(GHashTable *params, guint interval_ms)
{
	GString *s = g_string_new("<parameters");
	GList *keys = params != NULL ? g_hash_table_get_keys(params) : NULL, *l;
	char *d;

	keys = g_list_sort(keys, (GCompareFunc)strcmp);
	for (l = keys; l != NULL; l = l->next) {
		const char *k = l->data;
		if (g_str_has_prefix(k, "CRM_meta_") &&
		    !(interval_ms > 0 && !strcmp(k, "CRM_meta_timeout")))
			continue;
		g_string_append_printf(s, " %s=\"", k);
		escape(s, g_hash_table_lookup(params, k));
		g_string_append_c(s, '"');
	}
	g_list_free(keys);
	g_string_append(s, "/>\n");
	d = vg_digest_md5(s->str, s->len);
	g_string_free(s, TRUE);
	return d;
}
