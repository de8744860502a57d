/*
 * explain_why.c: where a resource is and will be, what the transition does
 * to it, and why it is stopped (or stays put) when it is.
 *
 * Placement after the transition is read from the graph: the nodes where it
 * is active now, minus stops, plus starts and migrations.  Reasons are
 * checked in the order an admin would look: cluster-wide switches (stop-all,
 * maintenance, quorum), the resource's own settings (target-role, managed,
 * blocked), a node that must be fenced first (and what fencing did), tickets,
 * mandatory orders and colocations with resources that will not run (followed
 * a few steps along the chain), then "no node can run it" with each node's
 * first -INFINITY term.  Never decides anything the scheduler did not.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdarg.h>
#include <string.h>

#include <vigil/fencing.h>

#include "explain_private.h"
#include "vigil_live.h"

#define INF         VG_SCORE_INFINITY
#define CHAIN_DEPTH 4

/* The live helpers' lookup, then "rsc" inside a clone: its first instance "rsc:0". */
const vg_sched_rsc_view_t *ex_find(const ex_ctx_t *ctx, const char *id)
{
	const vg_sched_rsc_view_t *f = vg_live_find_rsc(ctx->v, id);
	if (f)
		return f;
	char *inst = g_strdup_printf("%s:0", id);
	f = vg_live_find_rsc(ctx->v, inst);
	g_free(inst);
	return f;
}

static bool has(const GPtrArray *a, const char *s)
{
	for (guint i = 0; a && i < a->len; i++)
		if (g_strcmp0(g_ptr_array_index(a, i), s) == 0)
			return true;
	return false;
}

static void add_unique(GPtrArray *a, const char *s)
{
	if (s && !has(a, s))
		g_ptr_array_add(a, g_strdup(s));
}

static void prims_of(const vg_sched_rsc_view_t *r, GPtrArray *out)
{
	if (r->kind == VG_SCHED_RSC_PRIMITIVE) {
		g_ptr_array_add(out, (gpointer)r);
		return;
	}
	for (guint i = 0; r->children && i < r->children->len; i++)
		prims_of(g_ptr_array_index(r->children, i), out);
}

static bool action_is_for(const vg_graph_action_t *a, const vg_sched_rsc_view_t *p)
{
	return a->type == VG_GRAPH_RSC &&
	       (g_strcmp0(a->rsc_id, p->id) == 0 || g_strcmp0(a->rsc_long_id, p->id) == 0);
}

static void next_of_prim(const ex_ctx_t *ctx, const vg_sched_rsc_view_t *p, GPtrArray *out)
{
	/* now, minus stops, minus fenced nodes, plus starts and migrations */
	GPtrArray *on = g_ptr_array_new_with_free_func(g_free);
	for (guint i = 0; p->running_on && i < p->running_on->len; i++)
		add_unique(on, g_ptr_array_index(p->running_on, i));
	for (size_t i = 0; ctx->graph && i < vg_graph_n_actions(ctx->graph); i++) {
		vg_graph_action_t *a = vg_graph_action(ctx->graph, i);
		if (!action_is_for(a, p) || !a->node || strcmp(a->task, "stop") != 0)
			continue;
		for (guint k = 0; k < on->len; k++)
			if (!strcmp(g_ptr_array_index(on, k), a->node))
				g_ptr_array_remove_index(on, k--);
	}
	/* a node being fenced loses everything on it */
	for (size_t i = 0; ctx->graph && i < vg_graph_n_actions(ctx->graph); i++) {
		vg_graph_action_t *a = vg_graph_action(ctx->graph, i);
		if (a->type != VG_GRAPH_FENCE || !a->node)
			continue;
		for (guint k = 0; k < on->len; k++)
			if (!strcmp(g_ptr_array_index(on, k), a->node))
				g_ptr_array_remove_index(on, k--);
	}
	for (size_t i = 0; ctx->graph && i < vg_graph_n_actions(ctx->graph); i++) {
		vg_graph_action_t *a = vg_graph_action(ctx->graph, i);
		if (action_is_for(a, p) && a->node &&
		    (!strcmp(a->task, "start") || !strcmp(a->task, "migrate_from")))
			add_unique(on, a->node);
	}
	for (guint i = 0; i < on->len; i++)
		add_unique(out, g_ptr_array_index(on, i));
	g_ptr_array_unref(on);
}

GPtrArray *ex_next_nodes(const ex_ctx_t *ctx, const vg_sched_rsc_view_t *r)
{
	GPtrArray *prims = g_ptr_array_new(), *out = g_ptr_array_new_with_free_func(g_free);
	prims_of(r, prims);
	for (guint i = 0; i < prims->len; i++)
		next_of_prim(ctx, g_ptr_array_index(prims, i), out);
	g_ptr_array_unref(prims);
	return out;
}

/* --------------------------------------------------------------- reasons */

static void reason(GPtrArray *out, const char *kind, const char *id, const char *fmt, ...)
    G_GNUC_PRINTF(4, 5);
static void reason(GPtrArray *out, const char *kind, const char *id, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *text = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	for (guint i = 0; i < out->len; i++)
		if (!strcmp(((ex_term_t *)g_ptr_array_index(out, i))->text, text)) {
			g_free(text);
			return;
		}
	g_ptr_array_add(out, ex_term_new(kind, id, 0, true, "%s", text));
	g_free(text);
}

static GPtrArray *self_ids(const vg_sched_rsc_view_t *r)
{
	GPtrArray *ids = g_ptr_array_new_with_free_func(g_free);
	for (const vg_sched_rsc_view_t *p = r; p; p = p->parent) {
		const char *colon = strrchr(p->id, ':');
		g_ptr_array_add(ids,
		                colon ? g_strndup(p->id, (gsize)(colon - p->id)) : g_strdup(p->id));
	}
	return ids;
}

static bool will_run(const ex_ctx_t *ctx, const char *id)
{
	const vg_sched_rsc_view_t *w = ex_find(ctx, id);
	if (!w)
		return false;
	GPtrArray *n = ex_next_nodes(ctx, w);
	bool yes = n->len > 0;
	g_ptr_array_unref(n);
	return yes;
}

static void why_stopped(const ex_ctx_t *ctx, const vg_sched_rsc_view_t *r, int depth,
                        GPtrArray *out);

/* "... and W will not run: <W's first reason>" a few steps along a chain. */
static void follow(const ex_ctx_t *ctx, const char *id, int depth, GPtrArray *out)
{
	const vg_sched_rsc_view_t *w = ex_find(ctx, id);
	if (w && depth < CHAIN_DEPTH)
		why_stopped(ctx, w, depth + 1, out);
}

static bool mandatory(const xmlNode *o)
{
	const char *kind = vg_xml_get(o, "kind");
	int s = 1;
	if (kind)
		return strcmp(kind, "Mandatory") == 0;
	if (vg_xml_get(o, "score"))
		vg_score_parse(vg_xml_get(o, "score"), &s);
	return s > 0;
}

static void orders(const ex_ctx_t *ctx, const GPtrArray *self, int depth, const char *who,
                   GPtrArray *out)
{
	xmlNode *cons = vg_xml_first(ctx->cfg, "constraints"), *o, *set, *ref, *prev_set;
	VG_XML_FOREACH(o, cons, "rsc_order")
	{
		if (!mandatory(o))
			continue;
		const char *id = vg_xml_get(o, "id");
		if (vg_xml_get(o, "then")) {
			const char *first = vg_xml_get(o, "first");
			const char *fa = vg_xml_get(o, "first-action");
			if (!has(self, vg_xml_get(o, "then")) || !first || will_run(ctx, first))
				continue;
			reason(
			    out, "order", id,
			    "order %s: %s may start only after %s %s, and %s will not be running",
			    id, who, first, fa && strcmp(fa, "start") ? fa : "has started", first);
			follow(ctx, first, depth, out);
			continue;
		}
		/* sets: a member waits for the members before it (sequential) and
		 * for the set before its own (all of it, or one with require-all=false) */
		prev_set = NULL;
		VG_XML_FOREACH(set, o, "resource_set")
		{
			const char *before = NULL;
			bool seq = g_strcmp0(vg_xml_get(set, "sequential"), "false") != 0;
			VG_XML_FOREACH(ref, set, "resource_ref")
			{
				const char *rid = vg_xml_get(ref, "id");
				if (has(self, rid)) {
					if (seq && before && !will_run(ctx, before)) {
						reason(out, "order", id,
						       "order %s: %s may start only after %s, "
						       "which will not be running",
						       id, who, before);
						follow(ctx, before, depth, out);
					}
					if (prev_set) {
						bool any = false, all = true;
						xmlNode *pr;
						const char *stopped = NULL;
						VG_XML_FOREACH(pr, prev_set, "resource_ref")
						{
							bool w =
							    will_run(ctx, vg_xml_get(pr, "id"));
							any |= w;
							all &= w;
							if (!w && !stopped)
								stopped = vg_xml_get(pr, "id");
						}
						bool req_all =
						    g_strcmp0(vg_xml_get(prev_set, "require-all"),
						              "false") != 0;
						if (req_all ? !all : !any) {
							reason(out, "order", id,
							       "order %s: %s may start only after "
							       "%s the set before it, "
							       "and %s will not be running",
							       id, who,
							       req_all ? "all of" : "one of",
							       stopped);
							follow(ctx, stopped, depth, out);
						}
					}
				}
				before = rid;
			}
			prev_set = set;
		}
	}
}

static void colocations(const ex_ctx_t *ctx, const GPtrArray *self, int depth, const char *who,
                        GPtrArray *out)
{
	xmlNode *cons = vg_xml_first(ctx->cfg, "constraints"), *c;
	VG_XML_FOREACH(c, cons, "rsc_colocation")
	{
		int s = 0;
		vg_score_parse(vg_xml_get(c, "score"), &s);
		const char *with = vg_xml_get(c, "with-rsc");
		if (s < INF || !has(self, vg_xml_get(c, "rsc")) || !with || will_run(ctx, with))
			continue;
		reason(out, "colocation", vg_xml_get(c, "id"),
		       "colocation %s: %s must run with %s, and %s will not be running",
		       vg_xml_get(c, "id"), who, with, with);
		follow(ctx, with, depth, out);
	}
}

static void tickets(const ex_ctx_t *ctx, const GPtrArray *self, const char *who, GPtrArray *out)
{
	xmlNode *cons = vg_xml_first(ctx->cfg, "constraints"), *t, *ts;
	xmlNode *tk = vg_xml_first(vg_xml_first(ctx->cib, "status"), "tickets");
	VG_XML_FOREACH(t, cons, "rsc_ticket")
	{
		if (!has(self, vg_xml_get(t, "rsc")))
			continue;
		const char *name = vg_xml_get(t, "ticket");
		bool granted = false, standby = false;
		if (tk)
			VG_XML_FOREACH(ts, tk, "ticket_state")
		if (g_strcmp0(vg_xml_get(ts, "id"), name) == 0) {
			granted = g_strcmp0(vg_xml_get(ts, "granted"), "true") == 0;
			standby = g_strcmp0(vg_xml_get(ts, "standby"), "true") == 0;
		}
		if (!granted || standby)
			reason(out, "ticket", vg_xml_get(t, "id"),
			       "ticket %s is %s (rsc_ticket %s, loss-policy=%s): %s may not run",
			       name, standby ? "in standby" : "not granted", vg_xml_get(t, "id"),
			       vg_xml_get(t, "loss-policy") ? vg_xml_get(t, "loss-policy") : "stop",
			       who);
	}
}

static const vg_fence_record_t *last_fence(const ex_ctx_t *ctx, const char *node)
{
	const vg_fence_record_t *last = NULL;
	for (guint i = 0; ctx->fence_history && i < ctx->fence_history->len; i++) {
		const vg_fence_record_t *f = g_ptr_array_index(ctx->fence_history, i);
		if (g_strcmp0(f->target, node) == 0)
			last = f;
	}
	return last;
}

static bool fence_planned(const ex_ctx_t *ctx, const char *node)
{
	for (size_t i = 0; ctx->graph && i < vg_graph_n_actions(ctx->graph); i++) {
		vg_graph_action_t *a = vg_graph_action(ctx->graph, i);
		if (a->type == VG_GRAPH_FENCE && g_strcmp0(a->node, node) == 0)
			return true;
	}
	return false;
}

static void unclean_nodes(const ex_ctx_t *ctx, const vg_sched_rsc_view_t *p, GPtrArray *out)
{
	for (guint i = 0; p->running_on && i < p->running_on->len; i++) {
		const char *name = g_ptr_array_index(p->running_on, i);
		for (guint k = 0; k < ctx->v->nodes->len; k++) {
			const vg_sched_node_view_t *n = g_ptr_array_index(ctx->v->nodes, k);
			if (strcmp(n->name, name) || !n->unclean)
				continue;
			reason(
			    out, "fencing", name,
			    "%s was active on %s, which is unclean: it can be recovered elsewhere "
			    "only once %s has been fenced",
			    p->id, name, name);
			const vg_fence_record_t *f = last_fence(ctx, name);
			if (!ctx->v->stonith_enabled)
				reason(out, "fencing", name,
				       "fencing is disabled (stonith-enabled=false): the cluster "
				       "cannot make "
				       "sure %s is down",
				       name);
			else if (f && f->state == VG_FENCE_FAILED)
				reason(out, "fencing", name, "the last fencing of %s failed%s%s",
				       name, f->reason ? ": " : "", f->reason ? f->reason : "");
			else if (f && f->state == VG_FENCE_PENDING)
				reason(out, "fencing", name, "fencing of %s is in progress", name);
			else if (fence_planned(ctx, name))
				reason(out, "fencing", name,
				       "the pending transition fences %s first, then recovers %s",
				       name, p->id);
			else
				reason(out, "fencing", name,
				       "no fencing of %s is planned yet: %s waits for it", name,
				       p->id);
		}
	}
}

static void why_stopped(const ex_ctx_t *ctx, const vg_sched_rsc_view_t *r, int depth,
                        GPtrArray *out)
{
	GPtrArray *prims = g_ptr_array_new();
	prims_of(r, prims);
	if (ctx->v->stop_all)
		reason(out, "cluster", NULL, "the cluster option stop-all-resources is true");
	for (const vg_sched_rsc_view_t *q = r; q; q = q->parent) {
		const char *tr = ex_own_meta(ctx, q, "target-role");
		if (tr && !g_ascii_strcasecmp(tr, "Stopped"))
			reason(out, "target-role", q->id,
			       "%s has target-role=Stopped: the cluster keeps it stopped "
			       "('vigil resource start %s' clears it)",
			       q->id, q->id);
	}
	for (guint i = 0; i < prims->len; i++) {
		const vg_sched_rsc_view_t *p = g_ptr_array_index(prims, i);
		const char *tr = ex_own_meta(ctx, p, "target-role");
		if (tr && !g_ascii_strcasecmp(tr, "Stopped") && p != r)
			reason(out, "target-role", p->id, "%s has target-role=Stopped", p->id);
		unclean_nodes(ctx, p, out);
	}
	if (!ctx->v->have_quorum && g_strcmp0(ctx->v->no_quorum_policy, "ignore") != 0)
		reason(out, "quorum", NULL,
		       "this partition has no quorum and no-quorum-policy=%s: %s",
		       ctx->v->no_quorum_policy ? ctx->v->no_quorum_policy : "stop",
		       g_strcmp0(ctx->v->no_quorum_policy, "freeze") == 0
		           ? "resources keep running where they are but nothing new starts"
		           : "resources are stopped");
	GPtrArray *self = g_ptr_array_new_with_free_func(g_free);
	for (guint i = 0; i < prims->len; i++) {
		GPtrArray *s = self_ids(g_ptr_array_index(prims, i));
		for (guint k = 0; k < s->len; k++)
			add_unique(self, g_ptr_array_index(s, k));
		g_ptr_array_unref(s);
	}
	tickets(ctx, self, r->id, out);
	orders(ctx, self, depth, r->id, out);
	colocations(ctx, self, depth, r->id, out);
	/* a group member waits for the member before it */
	if (r->parent && r->parent->kind == VG_SCHED_RSC_GROUP) {
		const vg_sched_rsc_view_t *g = r->parent, *before = NULL;
		for (guint i = 0; i < g->children->len && g_ptr_array_index(g->children, i) != r;
		     i++)
			before = g_ptr_array_index(g->children, i);
		if (before && !will_run(ctx, before->id)) {
			reason(out, "group", g->id,
			       "%s is in group %s after %s: it starts after %s and runs with it, "
			       "and %s "
			       "will not be running",
			       r->id, g->id, before->id, before->id, before->id);
			if (depth < CHAIN_DEPTH)
				why_stopped(ctx, before, depth + 1, out);
		}
	}
	g_ptr_array_unref(self);
	g_ptr_array_unref(prims);
}

/* ------------------------------------------------------------------ build */

static void actions(const ex_ctx_t *ctx, ex_report_t *rep)
{
	const GPtrArray *sum = vg_sched_result_summary(ctx->res);
	for (guint i = 0; sum && i < sum->len; i++) {
		const char *line = g_ptr_array_index(sum, i);
		char **tok = g_strsplit_set(line, " \t", -1);
		GPtrArray *words = g_ptr_array_new();
		for (char **t = tok; *t; t++)
			if (**t)
				g_ptr_array_add(words, *t);
		bool mine = false;
		for (guint k = 0; words->len > 2 && k < rep->prims->len; k++) {
			const vg_sched_rsc_view_t *p = g_ptr_array_index(rep->prims, k);
			mine |= !strcmp(g_ptr_array_index(words, 2), p->id);
		}
		if (words->len > 2 && !strcmp(g_ptr_array_index(words, 2), rep->rsc))
			mine = true;
		if (mine)
			g_ptr_array_add(rep->actions, g_strdup(line));
		g_ptr_array_unref(words);
		g_strfreev(tok);
	}
	for (size_t i = 0; ctx->graph && i < vg_graph_n_actions(ctx->graph); i++) {
		vg_graph_action_t *a = vg_graph_action(ctx->graph, i);
		bool mine = false;
		for (guint k = 0; k < rep->prims->len; k++)
			mine |= action_is_for(a, g_ptr_array_index(rep->prims, k));
		if (a->type == VG_GRAPH_FENCE && a->node && has(rep->now, a->node))
			mine = true;
		if (mine) {
			char *t = vg_graph_action_text(a);
			g_ptr_array_add(rep->actions, g_strconcat("  ", t, NULL));
			g_free(t);
		}
	}
}

/* The first mandatory colocation `id` (or a parent) depends on, NULL when none. */
static const xmlNode *mandatory_coloc(const ex_ctx_t *ctx, const char *id)
{
	const vg_sched_rsc_view_t *r = ex_find(ctx, id);
	xmlNode *cons = vg_xml_first(ctx->cfg, "constraints"), *c;
	if (!r)
		return NULL;
	GPtrArray *self = self_ids(r);
	const xmlNode *found = NULL;
	VG_XML_FOREACH(c, cons, "rsc_colocation")
	{
		int s = 0;
		vg_score_parse(vg_xml_get(c, "score"), &s);
		if (!found && s >= INF && vg_xml_get(c, "with-rsc") &&
		    has(self, vg_xml_get(c, "rsc")))
			found = c;
	}
	g_ptr_array_unref(self);
	return found;
}

/* "c runs with b (colocation c-with-b), b with a (colocation b-with-a)":
 * who really decides the placement of a resource colocated with others. */
static void chain_note(const ex_ctx_t *ctx, ex_report_t *rep)
{
	GString *s = g_string_new(NULL);
	const char *cur = rep->r->id;
	GPtrArray *seen = g_ptr_array_new_with_free_func(g_free);
	for (int depth = 0; depth < CHAIN_DEPTH; depth++) {
		const xmlNode *c = mandatory_coloc(ctx, cur);
		if (!c || has(seen, vg_xml_get(c, "with-rsc")))
			break;
		add_unique(seen, cur);
		g_string_append_printf(s, "%s%s runs with %s (colocation %s)", depth ? ", " : "",
		                       cur, vg_xml_get(c, "with-rsc"), vg_xml_get(c, "id"));
		cur = vg_xml_get(c, "with-rsc");
	}
	if (s->len) {
		const vg_sched_rsc_view_t *last = ex_find(ctx, cur);
		GPtrArray *n = last ? ex_next_nodes(ctx, last) : NULL;
		char *where = NULL;
		if (n && n->len) {
			GString *w = g_string_new(NULL);
			for (guint i = 0; i < n->len; i++)
				g_string_append_printf(w, "%s%s", i ? ", " : "",
				                       (const char *)g_ptr_array_index(n, i));
			where = g_string_free(w, FALSE);
		}
		g_ptr_array_add(
		    rep->notes,
		    g_strdup_printf("placement follows a chain: %s; so %s decides, and it "
		                    "will %s%s ('vigil explain %s' tells why)",
		                    s->str, cur, where ? "run on " : "not run", where ? where : "",
		                    cur));
		g_free(where);
		if (n)
			g_ptr_array_unref(n);
	}
	g_ptr_array_unref(seen);
	g_string_free(s, TRUE);
}

/* Clones: the instances and where they run; promotable clones: the
 * promotion scores the agents set (node attribute master-<rsc>). */
static void clone_notes(const ex_ctx_t *ctx, ex_report_t *rep)
{
	const vg_sched_rsc_view_t *cl =
	    rep->r->kind == VG_SCHED_RSC_CLONE ? rep->r : rep->r->parent;
	if (!cl || cl->kind != VG_SCHED_RSC_CLONE)
		return;
	GString *s = g_string_new(NULL);
	for (guint i = 0; cl->children && i < cl->children->len; i++) {
		const vg_sched_rsc_view_t *in = g_ptr_array_index(cl->children, i);
		GPtrArray *n = ex_next_nodes(ctx, in);
		g_string_append_printf(s, "%s%s %s", i ? ", " : "", in->id,
		                       n->len ? (const char *)g_ptr_array_index(n, 0) : "stopped");
		g_ptr_array_unref(n);
	}
	char *max = ex_meta(ctx, cl, "clone-max");
	g_ptr_array_add(rep->notes,
	                g_strdup_printf("clone %s: %s%s; instances after the transition: %s",
	                                cl->id, max ? "clone-max=" : "one instance per node",
	                                max ? max : "", s->str));
	g_free(max);
	g_string_free(s, TRUE);
	if (!cl->promotable || !cl->children || !cl->children->len)
		return;
	const vg_sched_rsc_view_t *in = g_ptr_array_index(cl->children, 0);
	while (in->kind != VG_SCHED_RSC_PRIMITIVE && in->children && in->children->len)
		in = g_ptr_array_index(in->children, 0);
	const char *colon = strrchr(in->id, ':');
	char *base = colon ? g_strndup(in->id, (gsize)(colon - in->id)) : g_strdup(in->id);
	char *attr = g_strdup_printf("master-%s", base);
	GString *p = g_string_new(NULL);
	for (guint i = 0; i < ctx->v->nodes->len; i++) {
		const vg_sched_node_view_t *n = g_ptr_array_index(ctx->v->nodes, i);
		const char *v = g_hash_table_lookup(n->attrs, attr);
		if (v)
			g_string_append_printf(p, "%s%s %s", p->len ? ", " : "", n->name, v);
	}
	char *pm = ex_meta(ctx, cl, "promoted-max");
	if (p->len)
		g_ptr_array_add(
		    rep->notes,
		    g_strdup_printf("promotion scores (%s, set by the agent with crm_master): "
		                    "%s; the highest %s promoted",
		                    attr, p->str, pm && strcmp(pm, "1") ? "ones are" : "one is"));
	else
		g_ptr_array_add(
		    rep->notes,
		    g_strdup_printf("no node has a promotion score (%s): the agent sets one "
		                    "with crm_master once it runs; until then no instance "
		                    "is promoted",
		                    attr));
	g_free(pm);
	g_string_free(p, TRUE);
	g_free(attr);
	g_free(base);
}

static void notes(const ex_ctx_t *ctx, ex_report_t *rep)
{
	chain_note(ctx, rep);
	clone_notes(ctx, rep);
	/* unmanaged, blocked, failed: said whether it runs or not */
	for (guint i = 0; i < rep->prims->len; i++) {
		const vg_sched_rsc_view_t *p = g_ptr_array_index(rep->prims, i);
		if (!p->managed)
			g_ptr_array_add(
			    rep->notes,
			    g_strdup_printf("%s is not managed (is-managed=false or maintenance): "
			                    "the cluster neither starts, stops nor moves it",
			                    p->id));
		if (p->blocked)
			g_ptr_array_add(
			    rep->notes,
			    g_strdup_printf("%s is blocked: an operation failed with on-fail=block "
			                    "or a stop failed without fencing; the cluster leaves "
			                    "it alone until it is cleaned up",
			                    p->id));
		if (p->failed)
			g_ptr_array_add(rep->notes, g_strdup_printf("%s has failed", p->id));
	}
	if (ctx->v->maintenance_mode)
		g_ptr_array_add(rep->notes,
		                g_strdup("the cluster is in maintenance mode: nothing is "
		                         "started, stopped or moved"));
}

int ex_report_build(const ex_ctx_t *ctx, const char *rsc, const char *only_node, ex_report_t **out,
                    vg_error_t *err)
{
	const vg_sched_rsc_view_t *r = ex_find(ctx, rsc);
	if (!r)
		return vg_error_set(err, VG_ENOENT, "no resource '%s' in the cluster", rsc);
	bool node_known = only_node == NULL;
	for (guint i = 0; !node_known && i < ctx->v->nodes->len; i++)
		node_known = !g_strcmp0(
		    ((const vg_sched_node_view_t *)g_ptr_array_index(ctx->v->nodes, i))->name,
		    only_node);
	if (!node_known)
		return vg_error_set(err, VG_ENOENT, "no node '%s' in the cluster", only_node);
	ex_report_t *rep = g_new0(ex_report_t, 1);
	rep->rsc = rsc;
	rep->r = r;
	rep->prims = g_ptr_array_new();
	/* placement subjects: a group as a whole (also for one member), a clone
	 * through its first instance */
	const vg_sched_rsc_view_t *subject = r;
	if (r->parent && r->parent->kind == VG_SCHED_RSC_GROUP)
		subject = r->parent;
	if (subject->kind == VG_SCHED_RSC_CLONE && subject->children && subject->children->len)
		subject = g_ptr_array_index(subject->children, 0);
	prims_of(subject, rep->prims);
	rep->now = g_ptr_array_new_with_free_func(g_free);
	GPtrArray *mine = g_ptr_array_new();
	prims_of(r, mine);
	for (guint i = 0; i < mine->len; i++) {
		const vg_sched_rsc_view_t *p = g_ptr_array_index(mine, i);
		for (guint k = 0; p->running_on && k < p->running_on->len; k++)
			add_unique(rep->now, g_ptr_array_index(p->running_on, k));
	}
	g_ptr_array_unref(mine);
	rep->next = ex_next_nodes(ctx, r);
	rep->nodes = g_ptr_array_new();
	rep->reasons = g_ptr_array_new_with_free_func(ex_term_free);
	rep->actions = g_ptr_array_new_with_free_func(g_free);
	rep->notes = g_ptr_array_new_with_free_func(g_free);
	ex_terms(ctx, rep, only_node);
	if (rep->next->len == 0)
		why_stopped(ctx, r, 0, rep->reasons);
	else
		for (guint i = 0; i < rep->prims->len; i++)
			unclean_nodes(ctx, g_ptr_array_index(rep->prims, i), rep->reasons);
	actions(ctx, rep);
	notes(ctx, rep);
	*out = rep;
	return 0;
}

void ex_report_free(ex_report_t *rep)
{
	if (!rep)
		return;
	for (guint i = 0; i < rep->nodes->len; i++) {
		ex_node_t *en = g_ptr_array_index(rep->nodes, i);
		g_ptr_array_unref(en->terms);
		g_free(en);
	}
	g_ptr_array_unref(rep->nodes);
	g_ptr_array_unref(rep->prims);
	g_ptr_array_unref(rep->now);
	g_ptr_array_unref(rep->next);
	g_ptr_array_unref(rep->reasons);
	g_ptr_array_unref(rep->actions);
	g_ptr_array_unref(rep->notes);
	g_free(rep);
}
