/*
 * sched_constraints.c: the <constraints> section: rsc_location (node and
 * score, rules with score-attribute, role, resource-discovery, rsc-pattern),
 * rsc_colocation and rsc_order (pairs and resource sets) and rsc_ticket;
 * tags expand to the resources they name.
 *
 * Only records constraints: location scores are applied in
 * sched_placement.c, colocations there too, orders in sched_ordering.c.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define VG_LOG_SUBSYS "sched"
#include <string.h>

#include "sched_private.h"

#define UNSET G_MININT

/* Resources an id names: a resource or a tag. */
static void expand(sc_t *sc, const char *id, GPtrArray *out)
{
	GPtrArray *tag;
	sc_rsc_t *r = sc_rsc(sc, id);

	if (r != NULL) {
		g_ptr_array_add(out, r);
		return;
	}
	if (id == NULL)
		return;
	if ((tag = g_hash_table_lookup(sc->tags, id)) != NULL) {
		for (guint i = 0; i < tag->len; i++)
			expand(sc, tag->pdata[i], out);
		return;
	}
	/* a template stands for every primitive made from it */
	for (guint i = 0; i < sc->all->len; i++) {
		r = sc->all->pdata[i];
		if (r->tmpl != NULL && !g_strcmp0(vg_xml_get(r->tmpl, "id"), id) && r->instance < 0)
			g_ptr_array_add(out, r);
	}
}

static sc_location_t *loc_new(sc_t *sc, const char *id, sc_rsc_t *r, const char *role,
                              const char *discovery)
{
	sc_location_t *l = g_new0(sc_location_t, 1);

	l->id = g_strdup(id);
	l->rsc = r;
	l->role = sc_role_parse(role);
	l->scores = g_array_sized_new(FALSE, FALSE, sizeof(int), sc->nodes->len);
	for (guint i = 0; i < sc->nodes->len; i++) {
		int u = UNSET;
		g_array_append_val(l->scores, u);
	}
	l->discovery_never = discovery != NULL && !strcmp(discovery, "never");
	l->discovery_exclusive = discovery != NULL && !strcmp(discovery, "exclusive");
	g_ptr_array_add(sc->locations, l);
	return l;
}

static int rule_score(sc_t *sc, xmlNode *rule, sc_node_t *n, bool *ok)
{
	const char *sa = vg_xml_get(rule, "score-attribute");
	const char *s = vg_xml_get(rule, "score");

	*ok = true;
	if (sa != NULL) {
		const char *v = g_hash_table_lookup(n->attrs, sa);
		if (v == NULL) {
			*ok = false;
			return 0;
		}
		return sc_score(v, 0);
	}
	(void)sc;
	return sc_score(s, 0);
}

static void unpack_location_for(sc_t *sc, xmlNode *x, sc_rsc_t *r, const char *role)
{
	const char *id = vg_xml_get(x, "id");
	const char *node = vg_xml_get(x, "node");
	const char *disc = vg_xml_get(x, "resource-discovery");
	sc_location_t *l = loc_new(sc, id, r, role, disc);
	xmlNode *rule;

	if (node != NULL) {
		sc_node_t *n = sc_node(sc, node);
		if (n != NULL)
			g_array_index(l->scores, int, n->index) =
			    sc_score(vg_xml_get(x, "score"), 0);
		return;
	}
	VG_XML_FOREACH(rule, x, "rule")
	{
		xmlNode *rr = vg_xml_deref(rule, sc->id_index);
		const char *rrole = rr != NULL ? vg_xml_get(rr, "role") : NULL;

		if (rr == NULL)
			continue;
		if (rrole != NULL && l->role == ROLE_UNKNOWN)
			l->role = sc_role_parse(rrole);
		for (guint i = 0; i < sc->nodes->len; i++) {
			sc_node_t *n = sc->nodes->pdata[i];
			vg_rule_ctx_t ctx;
			bool pass = false, ok;
			int score;

			sc_rule_ctx(sc, &ctx, n);
			ctx.rsc_standard = r->cls;
			ctx.rsc_provider = r->prov;
			ctx.rsc_agent = r->type;
			ctx.rsc_params = r->params;
			ctx.rsc_meta = r->meta;
			vg_rule_eval(rr, &ctx, &pass, &sc->recheck, NULL);
			if (!pass)
				continue;
			score = rule_score(sc, rr, n, &ok);
			if (!ok)
				continue;
			int *cur = &g_array_index(l->scores, int, i);
			*cur = *cur == UNSET ? score : vg_score_add(*cur, score);
		}
	}
}

static void unpack_location(sc_t *sc, xmlNode *x)
{
	GPtrArray *rs = g_ptr_array_new();
	const char *pattern = vg_xml_get(x, "rsc-pattern");
	const char *role = vg_xml_get(x, "role");
	xmlNode *set, *ref;

	if (pattern != NULL) {
		GRegex *re = g_regex_new(pattern, 0, 0, NULL);
		if (re != NULL) {
			for (guint i = 0; i < sc->all->len; i++) {
				sc_rsc_t *r = sc->all->pdata[i];
				if (r->parent == NULL && !r->orphan &&
				    g_regex_match(re, r->id, 0, NULL))
					g_ptr_array_add(rs, r);
			}
			g_regex_unref(re);
		}
	} else {
		expand(sc, vg_xml_get(x, "rsc"), rs);
	}
	VG_XML_FOREACH(set, x, "resource_set")
	VG_XML_FOREACH(ref, set, "resource_ref")
	expand(sc, vg_xml_get(ref, "id"), rs);
	for (guint i = 0; i < rs->len; i++)
		unpack_location_for(sc, x, rs->pdata[i], role);
	g_ptr_array_free(rs, TRUE);
}

static void coloc_add(sc_t *sc, const char *id, sc_rsc_t *dep, sc_rsc_t *prim, int score,
                      const char *drole, const char *prole, const char *attr, const char *infl)
{
	sc_coloc_t *c;

	if (dep == NULL || prim == NULL || dep == prim)
		return;
	c = g_new0(sc_coloc_t, 1);
	c->id = g_strdup(id);
	c->dep = dep;
	c->prim = prim;
	c->score = score;
	c->dep_role = sc_role_parse(drole);
	c->prim_role = sc_role_parse(prole);
	if (c->dep_role == ROLE_STARTED)
		c->dep_role = ROLE_UNKNOWN;
	if (c->prim_role == ROLE_STARTED)
		c->prim_role = ROLE_UNKNOWN;
	c->node_attr = g_strdup(attr != NULL ? attr : "#uname");
	c->influence = infl != NULL ? sc_true(infl) : dep->critical;
	g_ptr_array_add(sc->colocs, c);
}

static void set_members(sc_t *sc, xmlNode *set, GPtrArray *out)
{
	xmlNode *ref;

	VG_XML_FOREACH(ref, set, "resource_ref")
	expand(sc, vg_xml_get(ref, "id"), out);
}

static void unpack_colocation(sc_t *sc, xmlNode *x)
{
	const char *id = vg_xml_get(x, "id");
	int score = sc_score(vg_xml_get(x, "score"), 0);
	const char *attr = vg_xml_get(x, "node-attribute");
	const char *infl = vg_xml_get(x, "influence");
	xmlNode *set;
	GPtrArray *prev = NULL;
	const char *prev_role = NULL;
	bool prev_seq = true;

	if (vg_xml_first(x, "resource_set") == NULL) {
		GPtrArray *a = g_ptr_array_new(), *b = g_ptr_array_new();
		expand(sc, vg_xml_get(x, "rsc"), a);
		expand(sc, vg_xml_get(x, "with-rsc"), b);
		/* templates and tags become unordered sets, which place nothing
		 * relative to each other here */
		if (a->len > 1 && b->len > 1)
			g_ptr_array_set_size(a, 0);
		for (guint i = 0; i < a->len; i++)
			for (guint j = 0; j < b->len; j++)
				coloc_add(sc, id, a->pdata[i], b->pdata[j], score,
				          vg_xml_get(x, "rsc-role"), vg_xml_get(x, "with-rsc-role"),
				          attr, infl);
		g_ptr_array_free(a, TRUE);
		g_ptr_array_free(b, TRUE);
		return;
	}
	/* Sets: within a sequential set each member follows the previous;
	 * a later set is placed with the earlier one. */
	VG_XML_FOREACH(set, x, "resource_set")
	{
		GPtrArray *m = g_ptr_array_new();
		const char *seq = vg_xml_get(set, "sequential");
		const char *role = vg_xml_get(set, "role");
		int sscore = sc_score(vg_xml_get(set, "score"), score);

		set_members(sc, set, m);
		if (sscore < 0 && (seq == NULL || sc_true(seq))) {
			/* keeping a set apart: each member away from every other */
			for (guint i = 1; i < m->len; i++)
				for (guint j = 0; j < i; j++)
					coloc_add(sc, id, m->pdata[i], m->pdata[j], sscore, role,
					          role, attr, infl);
		} else if (seq == NULL || sc_true(seq)) {
			for (guint i = 1; i < m->len; i++)
				coloc_add(sc, id, m->pdata[i], m->pdata[i - 1], sscore, role, role,
				          attr, infl);
		} else if (sscore != 0 && vg_xml_get(set, "score") != NULL) {
			for (guint i = 0; i < m->len; i++)
				for (guint j = i + 1; j < m->len; j++)
					coloc_add(sc, id, m->pdata[j], m->pdata[i], sscore, role,
					          role, attr, infl);
		}
		if (prev != NULL && prev->len > 0 && m->len > 0) {
			/* an earlier set is placed with the later one: its first
			 * member (every member, unless sequential) with the later
			 * set's last member (every member, unless sequential) */
			for (guint i = 0; i < prev->len; i++) {
				if (prev_seq && i > 0)
					break;
				for (guint k = m->len; k-- > 0;) {
					coloc_add(sc, id, prev->pdata[i], m->pdata[k], score,
					          prev_role, role, attr, infl);
					if (seq == NULL || sc_true(seq))
						break;
				}
			}
		}
		if (prev != NULL)
			g_ptr_array_free(prev, TRUE);
		prev = m;
		prev_role = role;
		prev_seq = seq == NULL || sc_true(seq);
	}
	if (prev != NULL)
		g_ptr_array_free(prev, TRUE);
}

static void order_add(sc_t *sc, const char *id, sc_rsc_t *first, const char *ft, sc_rsc_t *then,
                      const char *tt, unsigned flags)
{
	sc_rsc_order_t *o;

	if (first == NULL || then == NULL || first == then)
		return;
	o = g_new0(sc_rsc_order_t, 1);
	o->id = g_strdup(id);
	o->first = first;
	o->then = then;
	o->first_task = g_strdup(ft);
	o->then_task = g_strdup(tt);
	o->flags = flags;
	g_ptr_array_add(sc->rsc_orders, o);
}

static const char *invert_task(const char *t)
{
	static const char *const pairs[][2] = {
	    {"start", "stop"},      {"stop", "start"},       {"promote", "demote"},
	    {"demote", "promote"},  {"promoted", "demoted"}, {"demoted", "promoted"},
	    {"running", "stopped"}, {"stopped", "running"},
	};
	for (size_t i = 0; i < G_N_ELEMENTS(pairs); i++)
		if (!strcmp(pairs[i][0], t))
			return pairs[i][1];
	return NULL;
}

static unsigned order_flags(const char *kind, int score, bool *serialize)
{
	*serialize = false;
	if (kind != NULL) {
		if (!g_ascii_strcasecmp(kind, "Optional"))
			return ORD_OPTIONAL;
		if (!g_ascii_strcasecmp(kind, "Serialize")) {
			*serialize = true;
			return ORD_OPTIONAL | ORD_SERIALIZE;
		}
		return ORD_IMPLIES_THEN | ORD_RUNNABLE_LEFT;
	}
	if (score == 0)
		return ORD_OPTIONAL;
	return ORD_IMPLIES_THEN | ORD_RUNNABLE_LEFT;
}

int sc_clone_min(const sc_rsc_t *c)
{
	return sc_score(g_hash_table_lookup(c->meta, "clone-min"), 0);
}

static void order_pair(sc_t *sc, const char *id, sc_rsc_t *a, const char *at, sc_rsc_t *b,
                       const char *bt, unsigned flags, bool symmetrical)
{
	/* A mandatory order that is not symmetrical neither forces nor restarts
	 * its then side: it only keeps it from running when first cannot. */
	if (!symmetrical && (flags & ORD_IMPLIES_THEN))
		flags = (flags & ~(ORD_IMPLIES_THEN | ORD_RUNNABLE_LEFT)) | ORD_ASYMMETRICAL;
	order_add(sc, id, a, at, b, bt, flags);
	if (symmetrical && !(flags & ORD_SERIALIZE)) {
		const char *ia = invert_task(at), *ib = invert_task(bt);
		unsigned iflags = flags;
		if (ia == NULL || ib == NULL)
			return;
		if (flags & ORD_IMPLIES_THEN)
			iflags = ORD_IMPLIES_FIRST | ORD_RUNNABLE_LEFT;
		/* when any one of the first clone's instances does, stopping one
		 * of them does not stop the then side: the inverse only orders */
		if (flags & ORD_ONE_OR_MORE)
			iflags &= ~ORD_IMPLIES_FIRST;
		iflags &= ~(ORD_ONE_OR_MORE | ORD_VIA_PSEUDO);
		guint before = sc->rsc_orders->len;
		order_add(sc, id, b, ib, a, ia, iflags);
		if (sc->rsc_orders->len > before)
			((sc_rsc_order_t *)sc->rsc_orders->pdata[before])->inverse = true;
	}
}

static void unpack_order(sc_t *sc, xmlNode *x)
{
	const char *id = vg_xml_get(x, "id");
	const char *kind = vg_xml_get(x, "kind");
	const char *sym = vg_xml_get(x, "symmetrical");
	int score = sc_score(vg_xml_get(x, "score"), INF);
	bool serialize;
	unsigned flags = order_flags(kind, score, &serialize);
	bool symmetrical = sym == NULL ? !serialize : sc_true(sym);
	xmlNode *set;
	GPtrArray *prev = NULL;
	const char *prev_action = NULL;
	bool prev_seq = true, prev_require_all = true;

	if (vg_xml_first(x, "resource_set") == NULL) {
		GPtrArray *a = g_ptr_array_new(), *b = g_ptr_array_new();
		const char *fa = vg_xml_get(x, "first-action");
		const char *ta = vg_xml_get(x, "then-action");
		expand(sc, vg_xml_get(x, "first"), a);
		expand(sc, vg_xml_get(x, "then"), b);
		if (fa == NULL)
			fa = "start";
		if (ta == NULL)
			ta = fa;
		/* require-all=false: any one instance of the first clone will do */
		if (!sc_true(vg_xml_get(x, "require-all")) &&
		    vg_xml_get(x, "require-all") != NULL && a->len == 1 &&
		    ((sc_rsc_t *)a->pdata[0])->kind == RSC_CLONE)
			flags = (flags & ~ORD_RUNNABLE_LEFT) | ORD_ONE_OR_MORE | ORD_VIA_PSEUDO;
		/* clone-min: that many instances of the first clone will do */
		else if (a->len == 1 && ((sc_rsc_t *)a->pdata[0])->kind == RSC_CLONE &&
		         sc_clone_min(a->pdata[0]) > 0 && (flags & ORD_IMPLIES_THEN) &&
		         !strcmp(fa, "start"))
			flags = (flags & ~ORD_RUNNABLE_LEFT) | ORD_ONE_OR_MORE | ORD_VIA_PSEUDO;
		for (guint i = 0; i < a->len; i++)
			for (guint j = 0; j < b->len; j++)
				order_pair(sc, id, a->pdata[i], fa, b->pdata[j], ta, flags,
				           symmetrical);
		g_ptr_array_free(a, TRUE);
		g_ptr_array_free(b, TRUE);
		return;
	}
	VG_XML_FOREACH(set, x, "resource_set")
	{
		GPtrArray *m = g_ptr_array_new();
		const char *seq = vg_xml_get(set, "sequential");
		const char *act = vg_xml_get(set, "action");
		const char *ra = vg_xml_get(set, "require-all");
		const char *skind = vg_xml_get(set, "kind");
		bool sequential = seq == NULL || sc_true(seq);
		bool require_all = ra == NULL || sc_true(ra);
		unsigned sflags = flags;

		if (skind != NULL)
			sflags = order_flags(skind, score, &serialize);
		if (act == NULL)
			act = "start";
		set_members(sc, set, m);
		if (sequential && require_all)
			for (guint i = 1; i < m->len; i++)
				order_pair(sc, id, m->pdata[i - 1], act, m->pdata[i], act, sflags,
				           symmetrical);
		if (prev != NULL) {
			/* previous set -> this set: last (or all, when not
			 * sequential) of prev before first (or all) of this */
			guint pa = prev_seq && prev_require_all ? prev->len - 1 : 0;
			unsigned f = flags;
			if (!prev_require_all)
				f = (f & ~ORD_RUNNABLE_LEFT) | ORD_ONE_OR_MORE;
			for (guint i = pa; i < prev->len; i++)
				for (guint j = 0; j < m->len; j++) {
					order_pair(sc, id, prev->pdata[i], prev_action, m->pdata[j],
					           act, f, symmetrical);
					if (sequential)
						break;
				}
		}
		if (prev != NULL)
			g_ptr_array_free(prev, TRUE);
		prev = m;
		prev_action = act;
		prev_seq = sequential;
		prev_require_all = require_all;
	}
	if (prev != NULL)
		g_ptr_array_free(prev, TRUE);
}

static bool rsc_running(const sc_rsc_t *r)
{
	if (r->running_on->len > 0)
		return true;
	for (guint i = 0; i < r->children->len; i++)
		if (rsc_running(r->children->pdata[i]))
			return true;
	return false;
}

static void ticket_ban(sc_t *sc, const char *id, sc_rsc_t *r, const char *role)
{
	sc_location_t *l = loc_new(sc, id, r, role, NULL);

	for (guint k = 0; k < sc->nodes->len; k++)
		g_array_index(l->scores, int, k) = -INF;
}

/*
 * One resource of an rsc_ticket whose ticket is not granted (or in
 * standby).  A ticket lost while the resource runs applies the loss-policy
 * (fence and freeze only to resources in the constraint's role, instance by
 * instance); otherwise the resource may not run (or, for rsc-role=Promoted
 * with a policy other than stop, only not be promoted).
 */
static void ticket_apply(sc_t *sc, const char *id, sc_rsc_t *r, bool granted, bool standby,
                         sc_role_t role, const char *policy)
{
	bool promoted_only = role == ROLE_PROMOTED;

	if (!granted && rsc_running(r)) {
		if ((!strcmp(policy, "fence") || !strcmp(policy, "freeze")) &&
		    r->children->len > 0) {
			for (guint i = 0; i < r->children->len; i++)
				ticket_apply(sc, id, r->children->pdata[i], granted, standby, role,
				             policy);
			return;
		}
		if (!strcmp(policy, "stop")) {
			ticket_ban(sc, id, r, NULL);
		} else if (!strcmp(policy, "demote")) {
			if (!promoted_only)
				ticket_ban(sc, id, r, NULL);
		} else if (role == ROLE_UNKNOWN || role == r->role) {
			if (!strcmp(policy, "fence")) {
				ticket_ban(sc, id, r, NULL);
				for (guint k = 0; k < r->running_on->len; k++) {
					sc_node_t *n = r->running_on->pdata[k];
					n->unclean = true;
					if (n->fence_reason == NULL)
						n->fence_reason =
						    g_strdup("deadman ticket was lost");
				}
			} else if (r->running_on->len > 0) { /* freeze */
				r->blocked = true;
			}
		}
	} else if (!granted || standby) {
		if (!promoted_only || !strcmp(policy, "stop"))
			ticket_ban(sc, id, r, NULL);
	}
	/* whatever happens to the rest, nothing is promoted without it */
	if (promoted_only)
		ticket_ban(sc, id, r, "Promoted");
}

static void unpack_ticket(sc_t *sc, xmlNode *x)
{
	const char *ticket = vg_xml_get(x, "ticket");
	const char *policy = vg_xml_get(x, "loss-policy");
	sc_role_t role = sc_role_parse(vg_xml_get(x, "rsc-role"));
	const char *g;
	GPtrArray *rs = g_ptr_array_new();
	xmlNode *set;

	if (ticket == NULL)
		goto out;
	g = g_hash_table_lookup(sc->ticket_granted, ticket);
	if (g != NULL && !strcmp(g, "1"))
		goto out;
	if (role == ROLE_STARTED)
		role = ROLE_UNKNOWN;
	if (policy == NULL || (strcmp(policy, "stop") && strcmp(policy, "demote") &&
	                       strcmp(policy, "fence") && strcmp(policy, "freeze")))
		policy = role == ROLE_PROMOTED ? "demote" : "stop";
	if (!strcmp(policy, "fence") && !sc->stonith_enabled)
		policy = "stop";
	expand(sc, vg_xml_get(x, "rsc"), rs);
	for (guint i = 0; i < rs->len; i++)
		ticket_apply(sc, vg_xml_get(x, "id"), rs->pdata[i], g != NULL && strcmp(g, "0"),
		             g != NULL && !strcmp(g, "s"), role, policy);
	/* a set names its own role */
	VG_XML_FOREACH(set, x, "resource_set")
	{
		sc_role_t srole = sc_role_parse(vg_xml_get(set, "role"));
		const char *spolicy = vg_xml_get(x, "loss-policy") != NULL ? policy
		                      : srole == ROLE_PROMOTED             ? "demote"
		                                                           : "stop";

		if (srole == ROLE_STARTED)
			srole = ROLE_UNKNOWN;
		if (!strcmp(spolicy, "fence") && !sc->stonith_enabled)
			spolicy = "stop";
		g_ptr_array_set_size(rs, 0);
		set_members(sc, set, rs);
		for (guint i = 0; i < rs->len; i++)
			ticket_apply(sc, vg_xml_get(x, "id"), rs->pdata[i],
			             g != NULL && strcmp(g, "0"), g != NULL && !strcmp(g, "s"),
			             srole, spolicy);
	}
out:
	g_ptr_array_free(rs, TRUE);
}

static void unpack_tickets_state(sc_t *sc)
{
	xmlNode *tk = sc->status != NULL ? vg_xml_first(sc->status, "tickets") : NULL, *st;

	sc->ticket_granted = g_hash_table_new(g_str_hash, g_str_equal);
	if (tk == NULL)
		return;
	VG_XML_FOREACH(st, tk, "ticket_state")
	{
		const char *id = vg_xml_get(st, "id");
		if (id != NULL)
			g_hash_table_replace(sc->ticket_granted, (char *)id,
			                     !sc_true(vg_xml_get(st, "granted"))  ? "0"
			                     : sc_true(vg_xml_get(st, "standby")) ? "s"
			                                                          : "1");
	}
}

/* First / last primitive member of a group (NULL when empty). */
static sc_rsc_t *member(sc_rsc_t *g, bool last)
{
	if (g->children->len == 0)
		return NULL;
	return g->children->pdata[last ? g->children->len - 1 : 0];
}

/*
 * Groups are placed member by member: each member with the one before it,
 * constraints naming the group act on its first member (or its last, for
 * mandatory colocations with the group, which needs all of it up).
 */
static gint by_primary_priority(gconstpointer a, gconstpointer b)
{
	const sc_coloc_t *x = *(sc_coloc_t *const *)a, *y = *(sc_coloc_t *const *)b;
	int px = x->prim->priority, py = y->prim->priority;

	if (px != py)
		return px > py ? -1 : 1;
	return 0;
}

static void expand_groups(sc_t *sc)
{
	guint n = sc->colocs->len;

	/* a clone placed with something: each instance is */
	for (guint i = 0; i < n; i++) {
		sc_coloc_t *c = sc->colocs->pdata[i];
		sc_rsc_t *cl = c->dep;
		if (cl == NULL || cl->kind != RSC_CLONE || c->score == 0)
			continue;
		for (guint k = 0; k < cl->children->len; k++) {
			sc_rsc_t *inst = cl->children->pdata[k];
			coloc_add(sc, c->id, inst, c->prim, c->score, sc_role_str(c->dep_role),
			          sc_role_str(c->prim_role), c->node_attr,
			          c->influence ? "true" : "false");
		}
		c->score = 0;
	}
	n = sc->colocs->len;
	for (guint i = 0; i < n; i++) {
		sc_coloc_t *c = sc->colocs->pdata[i];
		c->dep_group = c->dep != NULL && c->dep->kind == RSC_GROUP;
		while (c->dep != NULL && c->dep->kind == RSC_GROUP)
			c->dep = member(c->dep, false);
		while (c->prim != NULL && c->prim->kind == RSC_GROUP)
			c->prim = member(c->prim, c->score >= INF);
		if (c->dep == NULL || c->prim == NULL || c->dep == c->prim)
			c->score = 0;
	}
	for (guint i = 0; i < sc->all->len; i++) {
		sc_rsc_t *g = sc->all->pdata[i];
		const char *col;

		if (g->kind != RSC_GROUP)
			continue;
		col = g_hash_table_lookup(g->meta, "collocated");
		if (col != NULL && !sc_true(col))
			continue;
		for (guint k = 1; k < g->children->len; k++)
			coloc_add(sc, g->id, g->children->pdata[k], g->children->pdata[k - 1], INF,
			          NULL, NULL, NULL, "true");
	}
	/* per-resource indexes, in constraint order */
	for (guint i = 0; i < sc->all->len; i++) {
		sc_rsc_t *r = sc->all->pdata[i];
		r->as_dep = g_ptr_array_new();
		r->as_prim = g_ptr_array_new();
	}
	for (guint i = 0; i < sc->colocs->len; i++) {
		sc_coloc_t *c = sc->colocs->pdata[i];
		if (c->score == 0)
			continue;
		g_ptr_array_add(c->dep->as_dep, c);
		g_ptr_array_add(c->prim->as_prim, c);
	}
	/* a dependent follows its highest-priority primaries first */
	for (guint i = 0; i < sc->all->len; i++) {
		sc_rsc_t *r = sc->all->pdata[i];
		if (r->as_dep->len > 1)
			g_ptr_array_sort(r->as_dep, by_primary_priority);
	}
}

int sc_unpack_constraints(sc_t *sc, vg_error_t *err)
{
	xmlNode *cons = vg_xml_first(sc->config, "constraints"), *x;

	(void)err;
	unpack_tickets_state(sc);
	if (cons == NULL) {
		expand_groups(sc);
		return 0;
	}
	for (x = vg_xml_first(cons, NULL); x != NULL; x = vg_xml_next(x, NULL)) {
		xmlNode *c = vg_xml_deref(x, sc->id_index);
		if (c == NULL)
			continue;
		if (vg_xml_is(c, "rsc_location"))
			unpack_location(sc, c);
		else if (vg_xml_is(c, "rsc_colocation"))
			unpack_colocation(sc, c);
		else if (vg_xml_is(c, "rsc_order"))
			unpack_order(sc, c);
		else if (vg_xml_is(c, "rsc_ticket"))
			unpack_ticket(sc, c);
	}
	expand_groups(sc);
	return 0;
}
