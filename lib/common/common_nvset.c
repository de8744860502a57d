/*
 * Nvpair sets (instance_attributes, meta_attributes, utilization,
 * cluster_property_set, ...) unpacked into a name -> value table with
 * Pacemaker's precedence: the set named first_id first, then by score,
 * highest first; a set whose rules are all false is skipped; without
 * overwrite the first set to name a value wins.  A value of "#default"
 * removes what an earlier set put there.  Sets and nvpairs may be id-refs.
 *
 * Among sets of equal score the order is Pacemaker's (up to 2.1.x): it
 * collects sets by prepending and sorts stably, so equal sets are visited in
 * reverse document order and, without overwrite, the last one in the
 * document wins.  Never evaluates anything but the sets' own rules.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#define VG_LOG_SUBSYS "nvset"
#include <vigil/common.h>

typedef struct entry {
	const xmlNode *set; /* after id-ref resolution */
	int score;
	size_t pos; /* document position */
	bool first; /* the set named first_id */
} entry_t;

static gint entry_order(gconstpointer a, gconstpointer b)
{
	const entry_t *x = a, *y = b;

	if (x->first != y->first)
		return x->first ? -1 : 1;
	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	/* reverse document order among equals, as Pacemaker */
	return (x->pos < y->pos) - (x->pos > y->pos);
}

/* A set applies when it has no rule or any of its rules passes. */
static bool set_applies(const xmlNode *set, const vg_rule_ctx_t *ctx, vg_time_t *next_change)
{
	xmlNode *rule;
	bool any = false;

	VG_XML_FOREACH(rule, set, "rule")
	{
		bool ok = false;

		any = true;
		vg_rule_eval(rule, ctx, &ok, next_change, NULL);
		if (ok)
			return true;
	}
	return !any;
}

static void populate(const xmlNode *set, const vg_rule_ctx_t *ctx, bool overwrite, GHashTable *out)
{
	const xmlNode *list = set;
	xmlNode *nv;

	/* pre-1.0 CIBs wrap the pairs in <attributes> */
	if (vg_xml_first(set, NULL) != NULL && vg_xml_is(vg_xml_first(set, NULL), "attributes"))
		list = vg_xml_first(set, NULL);
	VG_XML_FOREACH(nv, list, "nvpair")
	{
		xmlNode *ref = vg_xml_deref(nv, ctx->id_index);
		const char *name = vg_xml_get(nv, "name");
		const char *value = vg_xml_get(nv, "value");

		if (name == NULL && ref != NULL)
			name = vg_xml_get(ref, "name");
		if (value == NULL && ref != NULL)
			value = vg_xml_get(ref, "value");
		if (name == NULL || value == NULL)
			continue;
		if (g_ascii_strcasecmp(value, "#default") == 0)
			g_hash_table_remove(out, name);
		else if (overwrite || !g_hash_table_contains(out, name))
			g_hash_table_replace(out, g_strdup(name), g_strdup(value));
	}
}

void vg_nvset_unpack(const xmlNode *parent, const char *set_name, const vg_rule_ctx_t *ctx,
                     const char *first_id, bool overwrite, GHashTable *out, vg_time_t *next_change)
{
	static const vg_rule_ctx_t none = {0};
	GArray *sets;
	xmlNode *child;
	size_t pos = 0;

	if (parent == NULL)
		return;
	if (ctx == NULL)
		ctx = &none;
	sets = g_array_new(FALSE, FALSE, sizeof(entry_t));
	VG_XML_FOREACH(child, parent, set_name)
	{
		xmlNode *set = vg_xml_deref(child, ctx->id_index);
		const char *score = NULL;
		entry_t e = {.pos = pos++};

		if (set == NULL || !vg_xml_is(set, vg_xml_name(child))) {
			vg_log_warn("%s %s: id-ref \"%s\" names no %s; ignoring it",
			            vg_xml_name(child),
			            vg_xml_get(child, "id") ? vg_xml_get(child, "id") : "",
			            vg_xml_get(child, "id-ref"), vg_xml_name(child));
			continue;
		}
		e.set = set;
		e.first = first_id != NULL && vg_xml_get(set, "id") != NULL &&
		          g_ascii_strcasecmp(vg_xml_get(set, "id"), first_id) == 0;
		score = vg_xml_get(set, "score");
		if (score != NULL && vg_score_parse(score, &e.score) != 0)
			e.score = 0;
		g_array_append_val(sets, e);
	}
	g_array_sort(sets, entry_order);
	for (guint i = 0; i < sets->len; i++) {
		const entry_t *e = &g_array_index(sets, entry_t, i);

		if (set_applies(e->set, ctx, next_change))
			populate(e->set, ctx, overwrite, out);
	}
	g_array_free(sets, TRUE);
}
