/*
 * sched_util.c: small helpers every scheduler stage uses: Pacemaker's
 * boolean and score spellings, roles, string ownership, lookups and the
 * rule context for a node.
 *
 * Never decides anything about the cluster.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define VG_LOG_SUBSYS "sched"
#include <string.h>

#include "sched_private.h"

static const char *const role_names[] = {
    [ROLE_UNKNOWN] = "Unknown",       [ROLE_STOPPED] = "Stopped",   [ROLE_STARTED] = "Started",
    [ROLE_UNPROMOTED] = "Unpromoted", [ROLE_PROMOTED] = "Promoted",
};

const char *sc_role_str(sc_role_t r)
{
	return role_names[r];
}

sc_role_t sc_role_parse(const char *s)
{
	if (s == NULL)
		return ROLE_UNKNOWN;
	if (!g_ascii_strcasecmp(s, "Stopped"))
		return ROLE_STOPPED;
	if (!g_ascii_strcasecmp(s, "Started"))
		return ROLE_STARTED;
	if (!g_ascii_strcasecmp(s, "Slave") || !g_ascii_strcasecmp(s, "Unpromoted"))
		return ROLE_UNPROMOTED;
	if (!g_ascii_strcasecmp(s, "Master") || !g_ascii_strcasecmp(s, "Promoted"))
		return ROLE_PROMOTED;
	return ROLE_UNKNOWN;
}

const char *sc_str(sc_t *sc, char *s)
{
	if (s != NULL)
		g_ptr_array_add(sc->strings, s);
	return s;
}

bool sc_true(const char *s)
{
	if (s == NULL)
		return false;
	return !g_ascii_strcasecmp(s, "true") || !g_ascii_strcasecmp(s, "yes") ||
	       !g_ascii_strcasecmp(s, "on") || !g_ascii_strcasecmp(s, "y") || !strcmp(s, "1");
}

int sc_score(const char *s, int dflt)
{
	int v;

	if (s == NULL || vg_score_parse(s, &v) < 0) {
		/* Pacemaker reads "1.0"-style values as their integer part. */
		if (s != NULL && (g_ascii_isdigit(s[0]) || s[0] == '-' || s[0] == '+'))
			return (int)CLAMP(g_ascii_strtoll(s, NULL, 10), -INF, INF);
		return dflt;
	}
	return v;
}

guint sc_ms(const char *s, guint dflt)
{
	uint64_t ms;

	if (s == NULL || vg_interval_parse_ms(s, &ms) < 0)
		return dflt;
	return (guint)MIN(ms, G_MAXUINT);
}

GHashTable *sc_strtable(void)
{
	return g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
}

void sc_rule_ctx(sc_t *sc, vg_rule_ctx_t *ctx, sc_node_t *node)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->now = sc->now;
	ctx->id_index = sc->id_index;
	ctx->node_attrs = node != NULL ? node->attrs : NULL;
}

sc_node_t *sc_node(sc_t *sc, const char *name)
{
	return name != NULL ? g_hash_table_lookup(sc->node_by_name, name) : NULL;
}

sc_rsc_t *sc_rsc(sc_t *sc, const char *id)
{
	return id != NULL ? g_hash_table_lookup(sc->rsc_by_id, id) : NULL;
}

int sc_node_score(const sc_rsc_t *r, const sc_node_t *n)
{
	return r->scores[n->index];
}

bool sc_can_run(sc_t *sc, const sc_node_t *n)
{
	(void)sc;
	return n->online && !n->unclean && !n->standby && !n->pending && !n->shutdown &&
	       !n->maintenance;
}

int *sc_scores_dup(const sc_t *sc, const int *src)
{
	int *copy = g_new0(int, MAX(sc->nodes->len, 1));

	if (sc->nodes->len > 0)
		memcpy(copy, src, sizeof(int) * sc->nodes->len);
	return copy;
}
