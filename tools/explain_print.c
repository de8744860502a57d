/*
 * explain_print.c: a report (explain_why.c) as sentences, or as XML for
 * scripts (<explain> with <now>, <next>, <scores>, <reasons>, <actions>,
 * <notes>).  Only formats; never computes.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include "explain_private.h"

static char *join(const GPtrArray *a)
{
	GString *s = g_string_new(NULL);
	for (guint i = 0; a && i < a->len; i++)
		g_string_append_printf(s, "%s%s", i ? (i + 1 == a->len ? " and " : ", ") : "",
		                       (const char *)g_ptr_array_index(a, i));
	return g_string_free(s, FALSE);
}

static bool same(const GPtrArray *a, const GPtrArray *b)
{
	if (a->len != b->len)
		return false;
	for (guint i = 0; i < a->len; i++) {
		bool f = false;
		for (guint k = 0; k < b->len; k++)
			f |= !strcmp(g_ptr_array_index(a, i), g_ptr_array_index(b, k));
		if (!f)
			return false;
	}
	return true;
}

static const char *kind_name(const vg_sched_rsc_view_t *r)
{
	switch (r->kind) {
	case VG_SCHED_RSC_GROUP:
		return "group";
	case VG_SCHED_RSC_CLONE:
		return r->promotable ? "promotable clone" : "clone";
	case VG_SCHED_RSC_BUNDLE:
		return "bundle";
	default:
		return "primitive";
	}
}

static void header(GString *o, const ex_report_t *rep)
{
	const vg_sched_rsc_view_t *r = rep->r;
	g_string_append_printf(o, "Resource %s (%s", r->id, kind_name(r));
	if (r->kind == VG_SCHED_RSC_PRIMITIVE && r->type)
		g_string_append_printf(o, " %s%s%s:%s", r->standard ? r->standard : "",
		                       r->provider ? ":" : "", r->provider ? r->provider : "",
		                       r->type);
	if (r->parent)
		g_string_append_printf(o, ", in %s %s", kind_name(r->parent), r->parent->id);
	g_string_append(o, ")\n");
	char *now = join(rep->now), *next = join(rep->next);
	if (rep->now->len)
		g_string_append_printf(o, "  Now: active on %s (role %s).\n", now, r->role);
	else
		g_string_append(o, "  Now: stopped.\n");
	g_string_append(o, "  After the pending transition: ");
	if (!rep->next->len && !rep->now->len)
		g_string_append(o, "stays stopped.\n");
	else if (!rep->next->len)
		g_string_append_printf(o, "stopped on %s.\n", now);
	else if (same(rep->now, rep->next))
		g_string_append_printf(o, "stays on %s.\n", next);
	else if (!rep->now->len)
		g_string_append_printf(o, "starts on %s.\n", next);
	else
		g_string_append_printf(o, "moves from %s to %s.\n", now, next);
	g_free(now);
	g_free(next);
}

/* "It runs on X because ..." from the per-node totals. */
static void why_here(GString *o, const ex_report_t *rep)
{
	if (!rep->next->len || rep->r->kind == VG_SCHED_RSC_CLONE ||
	    (rep->r->parent && rep->r->parent->kind == VG_SCHED_RSC_CLONE) || rep->nodes->len < 2)
		return;
	const char *target = g_ptr_array_index(rep->next, 0);
	for (guint i = 0; i < rep->prims->len; i++) {
		const vg_sched_rsc_view_t *p = g_ptr_array_index(rep->prims, i);
		if (p->blocked || !p->managed) {
			g_string_append_printf(
			    o,
			    "  It stays on %s because the cluster does not touch %s "
			    "(%s, see the notes): scores do not move it.\n",
			    target, p->id, p->blocked ? "blocked" : "not managed");
			return;
		}
	}
	const ex_node_t *best = NULL, *mine = NULL;
	for (guint i = 0; i < rep->nodes->len; i++) {
		const ex_node_t *en = g_ptr_array_index(rep->nodes, i);
		int s = en->have_sched ? en->sched : en->total;
		if (!en->usable || !en->fits)
			continue;
		if (!best || s > (best->have_sched ? best->sched : best->total))
			best = en;
		if (!strcmp(en->n->name, target))
			mine = en;
	}
	if (!mine || !best)
		return;
	int ms = mine->have_sched ? mine->sched : mine->total;
	int bs = best->have_sched ? best->sched : best->total;
	char b1[16];
	int ties = 0;
	for (guint i = 0; i < rep->nodes->len; i++) {
		const ex_node_t *en = g_ptr_array_index(rep->nodes, i);
		ties += en->usable && en->fits && (en->have_sched ? en->sched : en->total) == ms;
	}
	if (ms == bs && ties == 1)
		g_string_append_printf(o,
		                       "  It runs on %s because %s has the highest score (%s).\n",
		                       target, target, vg_score_str(ms, b1));
	else if (ms == bs)
		g_string_append_printf(o,
		                       "  Several nodes have its highest score (%s): the scheduler "
		                       "keeps the node it is on, else takes the least loaded, "
		                       "else the first by name: %s.\n",
		                       vg_score_str(ms, b1), target);
	else
		g_string_append_printf(
		    o,
		    "  It runs on %s although %s scores higher in this breakdown: "
		    "something this explanation does not model (a colocation "
		    "with resources placed later, a clone instance, an order) "
		    "decided; see 'vigil simulate -s'.\n",
		    target, best->n->name);
}

static void scores(GString *o, const ex_report_t *rep)
{
	if (!rep->nodes->len)
		return;
	bool group = rep->prims->len > 1 && rep->r->kind != VG_SCHED_RSC_CLONE;
	g_string_append_printf(o,
	                       "\nScores per node%s (the highest score among allowed nodes wins; "
	                       "-INFINITY means it may not run there):\n",
	                       group ? ", all members of the group together" : "");
	for (guint i = 0; i < rep->nodes->len; i++) {
		const ex_node_t *en = g_ptr_array_index(rep->nodes, i);
		char b[16], b2[16];
		g_string_append_printf(o, "  %s: %s", en->n->name, vg_score_str(en->total, b));
		bool instance = rep->r->parent && rep->r->parent->kind == VG_SCHED_RSC_CLONE;
		if (en->have_sched && en->sched != en->total && instance &&
		    en->sched <= -VG_SCORE_INFINITY)
			g_string_append(o, " (the scheduler gave this node to another instance)");
		else if (en->have_sched && en->sched != en->total)
			g_string_append_printf(o, " (the scheduler's own score: %s)",
			                       vg_score_str(en->sched, b2));
		if (!en->usable)
			g_string_append(o, ", but the node cannot run resources");
		else if (!en->fits)
			g_string_append(o, ", but it does not fit on the node");
		else if (en->total <= -VG_SCORE_INFINITY)
			g_string_append(o, ", cannot run here");
		g_string_append_c(o, '\n');
		if (!en->terms->len)
			g_string_append(o, "      nothing prefers or avoids this node\n");
		for (guint k = 0; k < en->terms->len; k++) {
			const ex_term_t *t = g_ptr_array_index(en->terms, k);
			char num[20];
			g_snprintf(num, sizeof(num), "%s%s", t->score > 0 ? "+" : "",
			           vg_score_str(t->score, b));
			bool filter = !t->counts && t->score <= -VG_SCORE_INFINITY &&
			              (!strcmp(t->kind, "node") || !strcmp(t->kind, "utilization"));
			if (t->counts)
				g_string_append_printf(o, "    %10s  %s\n", num, t->text);
			else if (filter)
				g_string_append_printf(o, "    %10s  %s\n", "excluded", t->text);
			else
				g_string_append_printf(o, "    %10s  %s\n", "(not used)", t->text);
		}
	}
}

char *ex_print_text(const ex_ctx_t *ctx, const ex_report_t *rep)
{
	GString *o = g_string_new(NULL);
	(void)ctx;
	header(o, rep);
	why_here(o, rep);
	if (rep->reasons->len) {
		g_string_append(o,
		                rep->next->len ? "\nWorth knowing:\n" : "\nWhy it is stopped:\n");
		for (guint i = 0; i < rep->reasons->len; i++)
			g_string_append_printf(
			    o, "  - %s\n", ((ex_term_t *)g_ptr_array_index(rep->reasons, i))->text);
	} else if (!rep->next->len) {
		g_string_append(o, "\nWhy it is stopped:\n  - no node can run it: every node has a "
		                   "score of -INFINITY (see below)\n");
	}
	scores(o, rep);
	g_string_append(o, "\nPlanned actions:\n");
	if (!rep->actions->len)
		g_string_append(o, "  none\n");
	for (guint i = 0; i < rep->actions->len; i++)
		g_string_append_printf(o, "  %s\n",
		                       (const char *)g_ptr_array_index(rep->actions, i));
	if (rep->notes->len) {
		g_string_append(o, "\nNotes:\n");
		for (guint i = 0; i < rep->notes->len; i++)
			g_string_append_printf(o, "  - %s\n",
			                       (const char *)g_ptr_array_index(rep->notes, i));
	}
	return g_string_free(o, FALSE);
}

static void node_list(xmlNode *parent, const char *name, const GPtrArray *nodes)
{
	xmlNode *n = vg_xml_new_child(parent, name);
	for (guint i = 0; i < nodes->len; i++)
		vg_xml_set(vg_xml_new_child(n, "node"), "name", g_ptr_array_index(nodes, i));
}

char *ex_print_xml(const ex_ctx_t *ctx, const ex_report_t *rep)
{
	(void)ctx;
	xmlDoc *doc = xmlNewDoc((const xmlChar *)"1.0");
	xmlNode *root = vg_xml_new_child(NULL, "explain");
	xmlDocSetRootElement(doc, root);
	vg_xml_set(root, "resource", rep->r->id);
	vg_xml_set(root, "kind", kind_name(rep->r));
	vg_xml_set(root, "role", rep->r->role);
	node_list(root, "now", rep->now);
	node_list(root, "next", rep->next);
	xmlNode *sc = vg_xml_new_child(root, "scores");
	char b[16];
	for (guint i = 0; i < rep->nodes->len; i++) {
		const ex_node_t *en = g_ptr_array_index(rep->nodes, i);
		xmlNode *n = vg_xml_new_child(sc, "node");
		vg_xml_set(n, "name", en->n->name);
		vg_xml_set(n, "score", vg_score_str(en->total, b));
		vg_xml_set(n, "usable", en->usable && en->fits ? "true" : "false");
		if (en->have_sched)
			vg_xml_set(n, "scheduler-score", vg_score_str(en->sched, b));
		for (guint k = 0; k < en->terms->len; k++) {
			const ex_term_t *t = g_ptr_array_index(en->terms, k);
			xmlNode *x = vg_xml_new_child(n, "term");
			vg_xml_set(x, "kind", t->kind);
			vg_xml_set(x, "id", t->id);
			vg_xml_set(x, "score", vg_score_str(t->score, b));
			vg_xml_set(x, "applied", t->counts ? "true" : "false");
			vg_xml_set(x, "text", t->text);
		}
	}
	xmlNode *rs = vg_xml_new_child(root, "reasons");
	for (guint i = 0; i < rep->reasons->len; i++) {
		const ex_term_t *t = g_ptr_array_index(rep->reasons, i);
		xmlNode *x = vg_xml_new_child(rs, "reason");
		vg_xml_set(x, "kind", t->kind);
		vg_xml_set(x, "id", t->id);
		vg_xml_set(x, "text", t->text);
	}
	xmlNode *as = vg_xml_new_child(root, "actions");
	for (guint i = 0; i < rep->actions->len; i++) {
		const char *a = g_ptr_array_index(rep->actions, i);
		while (*a == ' ')
			a++;
		vg_xml_set(vg_xml_new_child(as, "action"), "text", a);
	}
	xmlNode *ns = vg_xml_new_child(root, "notes");
	for (guint i = 0; i < rep->notes->len; i++)
		vg_xml_set(vg_xml_new_child(ns, "note"), "text", g_ptr_array_index(rep->notes, i));
	char *s = vg_xml_dump(root, true);
	xmlFreeDoc(doc);
	return s;
}
