/*
 * explain_terms.c: per node, what a resource's allocation score is made of.
 *
 * Terms, each a small mirror of the scheduler's rule (lib/sched/
 * sched_placement.c and sched_constraints.c) kept as simple as an admin's
 * reading of it:
 *   node         offline, unclean, standby, maintenance, shutting down: -INFINITY
 *   location     rsc_location on the resource or a parent (node= or rules,
 *                evaluated with the node's attributes), rsc-pattern included;
 *                symmetric-cluster=false: no constraint means not allowed
 *   stickiness   resource-stickiness (inherited, rsc_defaults; clone
 *                instances 1 by default) where the resource is active
 *   failures     fail-counts at migration-threshold ban the node (unless
 *                failure-timeout has passed since the last failure)
 *   colocation   with a resource placed first: its placement after the
 *                transition decides (INFINITY: only where it runs)
 *   utilization  placement-strategy other than default: free capacity
 * A group is placed as a whole: the terms of all its members add up, as the
 * scheduler sums them into the first member.  The scheduler stays the
 * authority: its own score is shown next to this breakdown when reported.
 * Never changes the CIB or the scheduler's result.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "explain_private.h"

#define INF VG_SCORE_INFINITY

ex_term_t *ex_term_new(const char *kind, const char *id, int score, bool counts, const char *fmt,
                       ...)
{
	ex_term_t *t = g_new0(ex_term_t, 1);
	va_list ap;
	t->kind = g_strdup(kind);
	t->id = g_strdup(id);
	t->score = score;
	t->counts = counts;
	va_start(ap, fmt);
	t->text = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	return t;
}

void ex_term_free(gpointer p)
{
	ex_term_t *t = p;
	g_free(t->kind);
	g_free(t->id);
	g_free(t->text);
	g_free(t);
}

static char *base_id(const char *id)
{
	const char *colon = strrchr(id, ':');
	return colon ? g_strndup(id, (gsize)(colon - id)) : g_strdup(id);
}

xmlNode *ex_rsc_xml(const ex_ctx_t *ctx, const vg_sched_rsc_view_t *r)
{
	char *b = base_id(r->id);
	xmlNode *x = g_hash_table_lookup(ctx->ids, b);
	g_free(b);
	return x;
}

static const char *nv_lookup(const xmlNode *parent, const char *set_name, const char *name)
{
	GHashTable *t = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	vg_nvset_unpack(parent, set_name, NULL, NULL, false, t, NULL);
	const char *v = g_hash_table_lookup(t, name);
	/* the value lives in the tree: find that pointer again to return it borrowed */
	const xmlNode *set, *nv;
	const char *out = NULL;
	if (v)
		VG_XML_FOREACH(set, parent, set_name)
	VG_XML_FOREACH(nv, set, "nvpair")
	if (!out && g_strcmp0(vg_xml_get(nv, "name"), name) == 0 &&
	    g_strcmp0(vg_xml_get(nv, "value"), v) == 0)
		out = vg_xml_get(nv, "value");
	g_hash_table_destroy(t);
	return out;
}

const char *ex_own_meta(const ex_ctx_t *ctx, const vg_sched_rsc_view_t *r, const char *name)
{
	xmlNode *x = ex_rsc_xml(ctx, r);
	return x ? nv_lookup(x, "meta_attributes", name) : NULL;
}

char *ex_meta(const ex_ctx_t *ctx, const vg_sched_rsc_view_t *r, const char *name)
{
	for (const vg_sched_rsc_view_t *p = r; p; p = p->parent) {
		const char *v = ex_own_meta(ctx, p, name);
		if (v)
			return g_strdup(v);
	}
	xmlNode *defs = vg_xml_first(ctx->cfg, "rsc_defaults");
	const char *v = defs ? nv_lookup(defs, "meta_attributes", name) : NULL;
	return g_strdup(v);
}

static bool has(const GPtrArray *a, const char *s)
{
	for (guint i = 0; a && i < a->len; i++)
		if (g_strcmp0(g_ptr_array_index(a, i), s) == 0)
			return true;
	return false;
}

/* Ids a constraint may name to reach r: r and its parents, base ids. */
static GPtrArray *self_ids(const vg_sched_rsc_view_t *r)
{
	GPtrArray *ids = g_ptr_array_new_with_free_func(g_free);
	for (const vg_sched_rsc_view_t *p = r; p; p = p->parent) {
		g_ptr_array_add(ids, base_id(p->id));
		if (strchr(p->id, ':'))
			g_ptr_array_add(ids, g_strdup(p->id));
	}
	return ids;
}

static bool loc_applies(const xmlNode *l, const GPtrArray *self)
{
	const char *rsc = vg_xml_get(l, "rsc"), *pat = vg_xml_get(l, "rsc-pattern");
	if (rsc)
		return has(self, rsc);
	if (!pat)
		return false;
	GRegex *re = g_regex_new(pat, 0, 0, NULL);
	bool m = false;
	for (guint i = 0; re && i < self->len; i++)
		m |= g_regex_match(re, g_ptr_array_index(self, i), 0, NULL);
	if (re)
		g_regex_unref(re);
	return m;
}

static const char *score_str(int s, char buf[16])
{
	return vg_score_str(s, buf);
}

static void add(ex_node_t *en, ex_term_t *t)
{
	g_ptr_array_add(en->terms, t);
}

/* ---------------------------------------------------------------- node */

static void node_state(const ex_ctx_t *ctx, ex_node_t *en)
{
	const vg_sched_node_view_t *n = en->n;
	const char *why = n->unclean
	                      ? "is unclean (lost without a clean shutdown) and waits to be fenced"
	                  : !n->online        ? "is offline"
	                  : n->pending        ? "is still joining the cluster"
	                  : n->standby_onfail ? "is in standby after a failure with on-fail=standby"
	                  : n->standby        ? "is in standby"
	                  : n->maintenance    ? "is in maintenance mode"
	                  : n->shutdown       ? "is shutting down"
	                                      : NULL;
	en->usable = why == NULL;
	if (why)
		/* a filter, not a score: the scheduler scores the node, then skips it */
		add(en, ex_term_new("node", n->name, -INF, false,
		                    "node %s %s: it runs no resources", n->name, why));
	(void)ctx;
}

/* ------------------------------------------------------------ locations */

static void rule_term(const ex_ctx_t *ctx, ex_node_t *en, const xmlNode *l, const xmlNode *rule,
                      const char *role)
{
	vg_rule_ctx_t rc = {.node_attrs = en->n->attrs, .now = ctx->now, .id_index = ctx->ids};
	bool ok = false;
	vg_error_t err = {0};
	vg_rule_eval(rule, &rc, &ok, NULL, &err);
	const char *rid = vg_xml_get(rule, "id") ? vg_xml_get(rule, "id") : vg_xml_get(l, "id");
	int score = 0;
	char buf[16];
	const char *sa = vg_xml_get(rule, "score-attribute");
	if (sa) {
		const char *v = g_hash_table_lookup(en->n->attrs, sa);
		if (!v || vg_score_parse(v, &score) != 0)
			score = 0;
	} else if (vg_score_parse(vg_xml_get(rule, "score"), &score) != 0) {
		score = 0;
	}
	if (role)
		add(en, ex_term_new("location", vg_xml_get(l, "id"), score, false,
		                    "location %s (rule %s) applies only to the %s role",
		                    vg_xml_get(l, "id"), rid, role));
	else if (!ok)
		add(en, ex_term_new("location", vg_xml_get(l, "id"), score, false,
		                    "location %s: rule %s does not match on %s, its score %s is "
		                    "not applied%s%s",
		                    vg_xml_get(l, "id"), rid, en->n->name, score_str(score, buf),
		                    err.msg[0] ? ": " : "", err.msg));
	else if (sa)
		add(en, ex_term_new(
		            "location", vg_xml_get(l, "id"), score, true,
		            "location %s: rule %s matches on %s, score from node attribute %s: %s",
		            vg_xml_get(l, "id"), rid, en->n->name, sa, score_str(score, buf)));
	else
		add(en, ex_term_new("location", vg_xml_get(l, "id"), score, true,
		                    "location %s: rule %s matches on %s: %s", vg_xml_get(l, "id"),
		                    rid, en->n->name, score_str(score, buf)));
}

static const char *role_only(const xmlNode *x)
{
	const char *role = vg_xml_get(x, "role");
	if (!role || !strcmp(role, "Started") || !strcmp(role, "Stopped"))
		return NULL;
	return role;
}

static bool locations(const ex_ctx_t *ctx, ex_node_t *en, const GPtrArray *self)
{
	xmlNode *cons = vg_xml_first(ctx->cfg, "constraints"), *l, *rule;
	bool any = false;
	char buf[16];
	VG_XML_FOREACH(l, cons, "rsc_location")
	{
		if (!loc_applies(l, self))
			continue;
		const char *id = vg_xml_get(l, "id");
		const char *node = vg_xml_get(l, "node");
		if (node) {
			int s = 0;
			vg_score_parse(vg_xml_get(l, "score"), &s);
			if (strcmp(node, en->n->name) != 0)
				continue;
			any = true;
			const char *who = g_str_has_prefix(id, "cli-ban-")
			                      ? " (a ban by 'vigil resource ban')"
			                  : g_str_has_prefix(id, "cli-prefer-")
			                      ? " (a move by 'vigil resource move')"
			                      : "";
			if (role_only(l))
				add(en, ex_term_new("location", id, s, false,
				                    "location %s applies only to the %s role", id,
				                    role_only(l)));
			else
				add(en,
				    ex_term_new("location", id, s, true, "location %s%s: %s on %s",
				                id, who, score_str(s, buf), node));
			continue;
		}
		VG_XML_FOREACH(rule, l, "rule")
		{
			any = true;
			rule_term(ctx, en, l, rule,
			          role_only(rule) ? role_only(rule) : role_only(l));
		}
	}
	return any;
}

/* ----------------------------------------------------------- stickiness */

static void stickiness(const ex_ctx_t *ctx, ex_node_t *en, const vg_sched_rsc_view_t *p)
{
	if (!has(p->running_on, en->n->name))
		return;
	char *v = ex_meta(ctx, p, "resource-stickiness");
	int s = 0;
	bool dflt = false;
	if (!v && p->parent && p->parent->kind == VG_SCHED_RSC_CLONE) {
		s = 1; /* the scheduler's default for clone instances */
		dflt = true;
	} else if (v) {
		vg_score_parse(v, &s);
	}
	char buf[16];
	if (!p->managed)
		add(en, ex_term_new("stickiness", p->id, 0, false,
		                    "%s is not managed: stickiness does not apply", p->id));
	else if (s != 0 && p->running_on->len == 1)
		add(en, ex_term_new("stickiness", p->id, s, true,
		                    "%s is active on %s: resource-stickiness %s%s", p->id,
		                    en->n->name, score_str(s, buf),
		                    dflt ? " (the default for clone instances)" : ""));
	else if (s == 0)
		add(en, ex_term_new(
		            "stickiness", p->id, 0, false,
		            "%s is active on %s but has no resource-stickiness: it does not prefer "
		            "to stay",
		            p->id, en->n->name));
	g_free(v);
}

/* ------------------------------------------------------------- failures */

static xmlNode *transient(const ex_ctx_t *ctx, const char *uname)
{
	xmlNode *st = vg_xml_first(ctx->cib, "status"), *ns;
	VG_XML_FOREACH(ns, st, "node_state")
	if (g_strcmp0(vg_xml_get(ns, "uname"), uname) == 0)
		return vg_xml_first(ns, "transient_attributes");
	return NULL;
}

static void failures(const ex_ctx_t *ctx, ex_node_t *en, const vg_sched_rsc_view_t *p)
{
	xmlNode *ta = transient(ctx, en->n->name), *ia, *nv;
	if (!ta)
		return;
	char *b = base_id(p->id);
	char *fc = g_strdup_printf("fail-count-%s", b), *lf = g_strdup_printf("last-failure-%s", b);
	int count = 0;
	vg_time_t last = 0;
	VG_XML_FOREACH(ia, ta, "instance_attributes")
	VG_XML_FOREACH(nv, ia, "nvpair")
	{
		const char *name = vg_xml_get(nv, "name"), *val = vg_xml_get(nv, "value");
		size_t n = strlen(fc);
		int v = 0;
		if (name && !strncmp(name, fc, n) && (name[n] == 0 || name[n] == '#') &&
		    vg_score_parse(val, &v) == 0)
			count = vg_score_add(count, v);
		n = strlen(lf);
		if (name && !strncmp(name, lf, n) && (name[n] == 0 || name[n] == '#') && val &&
		    g_ascii_strtoll(val, NULL, 10) > last)
			last = g_ascii_strtoll(val, NULL, 10);
	}
	if (count > 0) {
		char *mt = ex_meta(ctx, p, "migration-threshold"),
		     *ft = ex_meta(ctx, p, "failure-timeout");
		int thr = INF;
		if (mt)
			vg_score_parse(mt, &thr);
		uint64_t ft_ms = 0;
		if (ft)
			vg_interval_parse_ms(ft, &ft_ms);
		bool expired =
		    ft_ms > 0 && last > 0 && ctx->now >= last + (vg_time_t)(ft_ms / 1000);
		char buf[16];
		if (expired)
			add(en, ex_term_new(
			            "failures", p->id, 0, false,
			            "%s failed %d time(s) on %s, but failure-timeout=%s has passed "
			            "since the last failure: the failures no longer count",
			            p->id, count, en->n->name, ft));
		else if (thr > 0 && count >= thr && ft)
			add(en,
			    ex_term_new(
			        "failures", p->id, -INF, true,
			        "%s failed %d time(s) on %s and migration-threshold is %s: banned "
			        "from %s until the failures are cleaned up or expire "
			        "(failure-timeout=%s)",
			        p->id, count, en->n->name, score_str(thr, buf), en->n->name, ft));
		else if (thr > 0 && count >= thr)
			add(en,
			    ex_term_new(
			        "failures", p->id, -INF, true,
			        "%s failed %d time(s) on %s and migration-threshold is %s: banned "
			        "from %s until the failures are cleaned up",
			        p->id, count, en->n->name, score_str(thr, buf), en->n->name));
		else
			add(en,
			    ex_term_new("failures", p->id, 0, false,
			                "%s failed %d time(s) on %s; it is banned from there at %s "
			                "(migration-threshold)",
			                p->id, count, en->n->name, score_str(thr, buf)));
		g_free(mt);
		g_free(ft);
	}
	g_free(b);
	g_free(fc);
	g_free(lf);
}

/* ----------------------------------------------------------- colocation */

typedef struct pair {
	const char *con, *dep, *prim, *node_attr, *dep_role, *prim_role;
	int score;
} pair_t;

/* Colocation pairs (dependent, primary) from the constraints: the simple
 * form, and sets reduced the way the scheduler chains them (simplified:
 * in a sequential set each member follows the one before it; across sets
 * every member of a set follows the members of the next). */
static GArray *coloc_pairs(const ex_ctx_t *ctx)
{
	GArray *out = g_array_new(FALSE, TRUE, sizeof(pair_t));
	xmlNode *cons = vg_xml_first(ctx->cfg, "constraints"), *c, *set, *ref, *ns, *r2;
	VG_XML_FOREACH(c, cons, "rsc_colocation")
	{
		int s = 0;
		vg_score_parse(vg_xml_get(c, "score"), &s);
		pair_t p = {.con = vg_xml_get(c, "id"),
		            .score = s,
		            .node_attr = vg_xml_get(c, "node-attribute")};
		if (vg_xml_get(c, "rsc")) {
			p.dep = vg_xml_get(c, "rsc");
			p.prim = vg_xml_get(c, "with-rsc");
			p.dep_role = vg_xml_get(c, "rsc-role");
			p.prim_role = vg_xml_get(c, "with-rsc-role");
			g_array_append_val(out, p);
			continue;
		}
		VG_XML_FOREACH(set, c, "resource_set")
		{
			const char *prev = NULL;
			bool seq = g_strcmp0(vg_xml_get(set, "sequential"), "false") != 0;
			VG_XML_FOREACH(ref, set, "resource_ref")
			{
				if (seq && prev) {
					pair_t q = p;
					q.dep = vg_xml_get(ref, "id");
					q.prim = prev;
					g_array_append_val(out, q);
				}
				prev = vg_xml_get(ref, "id");
				ns = vg_xml_next(set, "resource_set");
				if (ns)
					VG_XML_FOREACH(r2, ns, "resource_ref")
					{
						pair_t q = p;
						q.dep = vg_xml_get(ref, "id");
						q.prim = vg_xml_get(r2, "id");
						g_array_append_val(out, q);
					}
			}
		}
	}
	return out;
}

static const char *attr_of(const vg_sched_node_view_t *n, const char *attr)
{
	return g_hash_table_lookup(n->attrs, attr ? attr : "#uname");
}

static const vg_sched_node_view_t *node_named(const ex_ctx_t *ctx, const char *name)
{
	for (guint i = 0; i < ctx->v->nodes->len; i++) {
		const vg_sched_node_view_t *n = g_ptr_array_index(ctx->v->nodes, i);
		if (g_strcmp0(n->name, name) == 0)
			return n;
	}
	return NULL;
}

static char *join(const GPtrArray *a)
{
	GString *s = g_string_new(NULL);
	for (guint i = 0; a && i < a->len; i++)
		g_string_append_printf(s, "%s%s", i ? (i + 1 == a->len ? " and " : ", ") : "",
		                       (const char *)g_ptr_array_index(a, i));
	return g_string_free(s, FALSE);
}

static void colocations(const ex_ctx_t *ctx, ex_node_t *en, const GPtrArray *self, GArray *pairs,
                        bool first_subject)
{
	char buf[16];
	for (guint i = 0; i < pairs->len; i++) {
		pair_t *p = &g_array_index(pairs, pair_t, i);
		if (!has(self, p->dep) || p->score == 0)
			continue;
		/* a constraint on a parent is counted once for the whole group */
		if (!first_subject && g_strcmp0(g_ptr_array_index(self, 0), p->dep) != 0)
			continue;
		const vg_sched_rsc_view_t *w = ex_find(ctx, p->prim);
		if (!w)
			continue;
		GPtrArray *wn = ex_next_nodes(ctx, w);
		const char *mine = attr_of(en->n, p->node_attr);
		bool with = false;
		for (guint k = 0; k < wn->len; k++) {
			const vg_sched_node_view_t *m = node_named(ctx, g_ptr_array_index(wn, k));
			with |= m && mine && g_strcmp0(attr_of(m, p->node_attr), mine) == 0;
		}
		char *where = wn->len ? join(wn) : NULL;
		const char *role =
		    p->prim_role && strcmp(p->prim_role, "Started") ? p->prim_role : NULL;
		GString *rn = g_string_new(NULL);
		if (role)
			g_string_append_printf(rn, " (in the %s role)", role);
		if (p->node_attr)
			g_string_append_printf(rn, " (nodes alike by attribute %s)", p->node_attr);
		if (p->score >= INF && with)
			add(en,
			    ex_term_new("colocation", p->con, 0, true,
			                "colocation %s: must run with %s%s, which will run on %s",
			                p->con, p->prim, rn->str, where));
		else if (p->score >= INF && where)
			add(en,
			    ex_term_new("colocation", p->con, -INF, true,
			                "colocation %s: must run with %s%s, which will run on %s",
			                p->con, p->prim, rn->str, where));
		else if (p->score >= INF)
			add(en,
			    ex_term_new(
			        "colocation", p->con, -INF, true,
			        "colocation %s: must run with %s%s, which will not run anywhere",
			        p->con, p->prim, rn->str));
		else if (p->score <= -INF && with)
			add(en, ex_term_new(
			            "colocation", p->con, -INF, true,
			            "colocation %s: must not run with %s%s, which will run on %s",
			            p->con, p->prim, rn->str, en->n->name));
		else if (p->score > -INF && with)
			add(en,
			    ex_term_new("colocation", p->con, p->score, true,
			                "colocation %s: %s with %s%s, which will run on %s", p->con,
			                score_str(p->score, buf), p->prim, rn->str, en->n->name));
		g_string_free(rn, TRUE);
		g_free(where);
		g_ptr_array_unref(wn);
	}
}

/*
 * Dependents pull their primary: a resource that must run with r (INFINITY)
 * adds its own positive preferences (locations, stickiness) to r's score,
 * and so on down the chain.  A simplified mirror of the scheduler's merge
 * of colocated node scores (only mandatory colocations, only what is >= 0).
 */
static void dependents(const ex_ctx_t *ctx, ex_node_t *en, const GPtrArray *self, GArray *pairs,
                       const GPtrArray *subjects, int depth)
{
	char buf[16];
	if (depth > 3)
		return;
	for (guint i = 0; i < pairs->len; i++) {
		pair_t *p = &g_array_index(pairs, pair_t, i);
		if (p->score < INF || !has(self, p->prim) || has(subjects, p->dep) || p->dep_role ||
		    p->prim_role)
			continue;
		const vg_sched_rsc_view_t *d = ex_find(ctx, p->dep);
		if (!d || d->kind != VG_SCHED_RSC_PRIMITIVE)
			continue;
		ex_node_t tmp = {.n = en->n, .terms = g_ptr_array_new_with_free_func(ex_term_free)};
		GPtrArray *dself = self_ids(d);
		locations(ctx, &tmp, dself);
		stickiness(ctx, &tmp, d);
		int sum = 0;
		for (guint k = 0; k < tmp.terms->len; k++) {
			ex_term_t *t = g_ptr_array_index(tmp.terms, k);
			if (t->counts)
				sum = vg_score_add(sum, t->score);
		}
		if (sum > 0)
			add(en,
			    ex_term_new("dependent", p->con, sum, true,
			                "%s must run with %s (colocation %s) and prefers %s by %s: "
			                "its preference counts here too",
			                p->dep, p->prim, p->con, en->n->name, score_str(sum, buf)));
		dependents(ctx, en, dself, pairs, subjects, depth + 1);
		g_ptr_array_unref(dself);
		g_ptr_array_unref(tmp.terms);
	}
}

/* ---------------------------------------------------------- utilization */

static GHashTable *util_of(const xmlNode *x)
{
	GHashTable *t = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	if (x)
		vg_nvset_unpack(x, "utilization", NULL, NULL, false, t, NULL);
	return t;
}

static void used_by(const ex_ctx_t *ctx, const vg_sched_rsc_view_t *r, const char *node,
                    const GPtrArray *exclude, const char *attr, long long *sum)
{
	if (r->kind == VG_SCHED_RSC_PRIMITIVE) {
		if (has(exclude, r->id))
			return;
		GPtrArray *nx = ex_next_nodes(ctx, r);
		if (has(nx, node)) {
			GHashTable *u = util_of(ex_rsc_xml(ctx, r));
			const char *v = g_hash_table_lookup(u, attr);
			if (v)
				*sum += g_ascii_strtoll(v, NULL, 10);
			g_hash_table_destroy(u);
		}
		g_ptr_array_unref(nx);
		return;
	}
	for (guint i = 0; r->children && i < r->children->len; i++)
		used_by(ctx, g_ptr_array_index(r->children, i), node, exclude, attr, sum);
}

static void utilization(const ex_ctx_t *ctx, ex_node_t *en, const vg_sched_rsc_view_t *p,
                        const GPtrArray *subject_ids)
{
	const char *strategy = g_hash_table_lookup(ctx->props, "placement-strategy");
	if (!strategy || !strcmp(strategy, "default"))
		return;
	GHashTable *need = util_of(ex_rsc_xml(ctx, p));
	xmlNode *nodes = vg_xml_first(ctx->cfg, "nodes"), *nx, *cfgnode = NULL;
	VG_XML_FOREACH(nx, nodes, "node")
	if (g_strcmp0(vg_xml_get(nx, "uname"), en->n->name) == 0)
		cfgnode = nx;
	GHashTable *cap = util_of(cfgnode);
	GHashTableIter it;
	gpointer k, v;
	g_hash_table_iter_init(&it, need);
	while (g_hash_table_iter_next(&it, &k, &v)) {
		long long want = g_ascii_strtoll(v, NULL, 10), used = 0;
		const char *c = g_hash_table_lookup(cap, k);
		if (!c) {
			en->fits = false;
			add(en, ex_term_new("utilization", p->id, -INF, false,
			                    "%s needs %s %lld but node %s declares no %s capacity",
			                    p->id, (char *)k, want, en->n->name, (char *)k));
			continue;
		}
		for (guint i = 0; i < ctx->v->resources->len; i++)
			used_by(ctx, g_ptr_array_index(ctx->v->resources, i), en->n->name,
			        subject_ids, k, &used);
		long long capv = g_ascii_strtoll(c, NULL, 10);
		/* like node state a filter applied after scoring */
		if (capv - used < want)
			en->fits = false;
		if (capv - used < want)
			add(en, ex_term_new("utilization", p->id, -INF, false,
			                    "%s needs %s %lld but only %lld of %lld is free on %s "
			                    "(placement-strategy=%s)",
			                    p->id, (char *)k, want, capv - used, capv, en->n->name,
			                    strategy));
		else
			add(en, ex_term_new("utilization", p->id, 0, false,
			                    "%s needs %s %lld; %lld of %lld is free on %s", p->id,
			                    (char *)k, want, capv - used, capv, en->n->name));
	}
	g_hash_table_destroy(need);
	g_hash_table_destroy(cap);
}

/* ---------------------------------------------------------------- sums */

/* The scheduler's own number, from its show-scores text, when it gave one:
 * "<stage>: RSC allocation score on NODE: SCORE" (the last line wins). */
static bool sched_score(const ex_ctx_t *ctx, const char *rsc, const char *node, int *out)
{
	if (!ctx->scores || !*ctx->scores)
		return false;
	char *needle = g_strdup_printf(" %s allocation score on %s: ", rsc, node);
	bool found = false;
	for (const char *p = strstr(ctx->scores, needle); p; p = strstr(p + 1, needle)) {
		char *val = g_strndup(p + strlen(needle), strcspn(p + strlen(needle), "\n"));
		found = vg_score_parse(val, out) == 0 || found;
		g_free(val);
	}
	g_free(needle);
	return found;
}

void ex_terms(const ex_ctx_t *ctx, ex_report_t *rep, const char *only_node)
{
	const char *sym = g_hash_table_lookup(ctx->props, "symmetric-cluster");
	bool symmetric = !sym || g_ascii_strcasecmp(sym, "false") != 0;
	GArray *pairs = coloc_pairs(ctx);
	GPtrArray *subject_ids = g_ptr_array_new();
	for (guint i = 0; i < rep->prims->len; i++)
		g_ptr_array_add(
		    subject_ids,
		    (gpointer)((const vg_sched_rsc_view_t *)g_ptr_array_index(rep->prims, i))->id);
	for (guint i = 0; i < ctx->v->nodes->len; i++) {
		const vg_sched_node_view_t *n = g_ptr_array_index(ctx->v->nodes, i);
		if (only_node && g_strcmp0(n->name, only_node) != 0)
			continue;
		ex_node_t *en = g_new0(ex_node_t, 1);
		en->n = n;
		en->fits = true;
		en->terms = g_ptr_array_new_with_free_func(ex_term_free);
		node_state(ctx, en);
		bool allowed = false;
		for (guint k = 0; k < rep->prims->len; k++) {
			const vg_sched_rsc_view_t *p = g_ptr_array_index(rep->prims, k);
			GPtrArray *self = self_ids(p);
			guint before = en->terms->len;
			allowed |= locations(ctx, en, self);
			stickiness(ctx, en, p);
			failures(ctx, en, p);
			colocations(ctx, en, self, pairs, k == 0);
			if (k == 0)
				dependents(ctx, en, self, pairs, subject_ids, 0);
			utilization(ctx, en, p, subject_ids);
			g_ptr_array_unref(self);
			/* a group's members add up: say which member each term is for */
			for (guint t = before; rep->prims->len > 1 && t < en->terms->len; t++) {
				ex_term_t *term = g_ptr_array_index(en->terms, t);
				char *txt = g_strdup_printf("[%s] %s", p->id, term->text);
				g_free(term->text);
				term->text = txt;
			}
		}
		if (!symmetric && !allowed)
			add(en, ex_term_new("location", NULL, -INF, true,
			                    "symmetric-cluster=false and no location constraint "
			                    "allows %s on %s",
			                    rep->rsc, n->name));
		en->total = 0;
		for (guint k = 0; k < en->terms->len; k++) {
			ex_term_t *t = g_ptr_array_index(en->terms, k);
			if (t->counts)
				en->total = vg_score_add(en->total, t->score);
		}
		const vg_sched_rsc_view_t *first =
		    rep->prims->len ? g_ptr_array_index(rep->prims, 0) : NULL;
		en->have_sched = first && sched_score(ctx, first->id, n->name, &en->sched);
		g_ptr_array_add(rep->nodes, en);
	}
	g_ptr_array_unref(subject_ids);
	g_array_free(pairs, TRUE);
}
