/*
 * sched_ordering.c: orderings between actions and what they imply.
 *
 * Owns the implicit orderings (probe before start, stop before start,
 * start before its monitors, group members one after another inside the
 * group's pseudo actions, fencing before the stops it implies), the
 * orderings from rsc_order constraints, and the propagation of
 * "required" and "runnable" along them until nothing changes (a start that
 * can not run stops the resource; a stop that must happen restarts what
 * depends on it).  Never chooses nodes.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define VG_LOG_SUBSYS "sched"
#include <string.h>

#include "sched_private.h"

void sc_order(sc_t *sc, sc_action_t *first, sc_action_t *then, unsigned flags)
{
	sc_edge_t *e;

	if (first == NULL || then == NULL || first == then)
		return;
	e = g_new0(sc_edge_t, 1);
	e->first = first;
	e->then = then;
	e->flags = flags;
	g_ptr_array_add(first->after, e);
	g_ptr_array_add(then->before, e);
	g_ptr_array_add(sc->edges, e);
}

static void stops_of(sc_t *sc, sc_rsc_t *r, GPtrArray *out)
{
	for (guint i = 0; i < r->running_on->len; i++) {
		sc_action_t *s = sc_find_action(sc, r, "stop", 0, r->running_on->pdata[i]);
		if (s != NULL)
			g_ptr_array_add(out, s);
	}
}

static sc_action_t *group_pseudo(sc_t *sc, sc_rsc_t *g, const char *task)
{
	return sc_find_action(sc, g, task, 0, NULL);
}

/*
 * A monitor checks the role the instance is in once it runs: a Promoted
 * monitor after the promote (it expects rc 8), a monitor of the next role
 * after the demote of a Promoted instance.  Without this a new Promoted
 * monitor can run before the promote, see rc 0 and count as a failure.
 */
static void role_change_before_monitor(sc_t *sc, sc_rsc_t *r, sc_node_t *n, sc_action_t *m)
{
	if (r->clone == NULL || !r->clone->promotable)
		return;
	if (r->next_role == ROLE_PROMOTED)
		sc_order(sc, sc_find_action(sc, r, "promote", 0, n), m, ORD_OPTIONAL);
	else if (sc_hist(r, n)->role == ROLE_PROMOTED)
		sc_order(sc, sc_find_action(sc, r, "demote", 0, n), m, ORD_OPTIONAL);
}

static void primitive_orders(sc_t *sc, sc_rsc_t *r)
{
	GPtrArray *stops = g_ptr_array_new();

	stops_of(sc, r, stops);
	for (guint i = 0; i < sc->nodes->len; i++) {
		sc_action_t *p = sc_find_action(sc, r, "monitor", 0, sc->nodes->pdata[i]);
		if (p != NULL) {
			sc_order(sc, p, r->start, ORD_OPTIONAL);
			for (guint k = 0; k < stops->len; k++)
				sc_order(sc, p, stops->pdata[k], ORD_OPTIONAL);
		}
	}
	{
		sc_action_t *promote =
		    r->assigned != NULL ? sc_find_action(sc, r, "promote", 0, r->assigned) : NULL;
		sc_order(sc, r->start, promote, ORD_RUNNABLE_LEFT | ORD_IMPLIES_THEN);
		for (guint k = 0; k < stops->len; k++) {
			sc_action_t *s = stops->pdata[k];
			sc_action_t *d = sc_find_action(sc, r, "demote", 0, s->node);
			sc_order(sc, d, s, ORD_IMPLIES_FIRST);
			sc_order(sc, d, promote, ORD_OPTIONAL);
		}
		if (r->clone != NULL && r->clone->promotable) {
			sc_rsc_t *c = r->clone;
			sc_order(sc, group_pseudo(sc, c, "promote"), promote, ORD_RUNNABLE_LEFT);
			sc_order(sc, promote, group_pseudo(sc, c, "promoted"), ORD_OPTIONAL);
			for (guint k = 0; k < r->running_on->len; k++) {
				sc_action_t *d =
				    sc_find_action(sc, r, "demote", 0, r->running_on->pdata[k]);
				sc_order(sc, group_pseudo(sc, c, "demote"), d, ORD_OPTIONAL);
				sc_order(sc, d, group_pseudo(sc, c, "demoted"), ORD_OPTIONAL);
			}
		}
	}
	if (r->migrating) {
		sc_action_t *to = sc_find_action(sc, r, "migrate_to", 0, r->running_on->pdata[0]);
		sc_action_t *from = sc_find_action(sc, r, "migrate_from", 0, r->assigned);
		for (guint i = 0; i < sc->nodes->len; i++)
			sc_order(sc, sc_find_action(sc, r, "monitor", 0, sc->nodes->pdata[i]), to,
			         ORD_OPTIONAL);
		sc_order(sc, to, from, ORD_RUNNABLE_LEFT);
		for (guint k = 0; k < stops->len; k++)
			sc_order(sc, from, stops->pdata[k], ORD_RUNNABLE_LEFT);
	}
	for (guint k = 0; k < stops->len; k++) {
		sc_action_t *s = stops->pdata[k];
		char *sk = g_strdup_printf("do_shutdown-%s@%s", s->node->name, s->node->name);
		sc_order(sc, s, g_hash_table_lookup(sc->action_by_key, sk), ORD_RUNNABLE_LEFT);
		g_free(sk);
		/* history of another agent is deleted once it is stopped */
		sc_order(sc, s, sc_find_action(sc, r, "delete", 0, s->node),
		         r->orphan ? ORD_OPTIONAL : ORD_IMPLIES_THEN | ORD_RUNNABLE_LEFT);
		/* moving: no start elsewhere before it has stopped here */
		sc_order(sc, s, r->start,
		         ORD_IMPLIES_THEN | ORD_RESTART |
		             (s->node != r->assigned && r->managed ? ORD_RUNNABLE_LEFT : 0));
		if (s->node->fenced) {
			char *key =
			    g_strdup_printf("stonith-%s-%s", s->node->name, sc->stonith_action);
			char *tk = g_strdup_printf("%s@%s", key, s->node->name);
			sc_action_t *f = g_hash_table_lookup(sc->action_by_key, tk);
			sc_order(sc, f, s, ORD_IMPLIES_THEN | ORD_RUNNABLE_LEFT);
			g_free(key);
			g_free(tk);
		}
	}
	for (guint i = 0; i < r->ops->len; i++) {
		sc_op_t *op = r->ops->pdata[i];
		if (op->interval_ms == 0)
			continue;
		for (guint k = 0; k < sc->nodes->len; k++) {
			sc_node_t *n = sc->nodes->pdata[k];
			sc_action_t *m = sc_find_action(sc, r, op->name, op->interval_ms, n);
			if (m == NULL)
				continue;
			if (n == r->assigned && op->role != ROLE_STOPPED) {
				/* an unmanaged resource is monitored where it is */
				sc_order(sc, r->start, m,
				         ORD_IMPLIES_THEN | (r->managed ? ORD_RUNNABLE_LEFT : 0));
				role_change_before_monitor(sc, r, n, m);
			} else {
				for (guint j = 0; j < stops->len; j++)
					if (((sc_action_t *)stops->pdata[j])->node == n)
						sc_order(sc, stops->pdata[j], m,
						         ORD_IMPLIES_THEN | ORD_RUNNABLE_LEFT);
			}
		}
	}
	g_ptr_array_free(stops, TRUE);
}

static void group_orders(sc_t *sc, sc_rsc_t *g)
{
	sc_action_t *start = group_pseudo(sc, g, "start"),
	            *running = group_pseudo(sc, g, "running");
	sc_action_t *stop = group_pseudo(sc, g, "stop"), *stopped = group_pseudo(sc, g, "stopped");
	sc_rsc_t *prev = NULL;

	sc_order(sc, stopped, start, ORD_OPTIONAL);
	for (guint i = 0; i < g->children->len; i++) {
		sc_rsc_t *m = g->children->pdata[i];
		GPtrArray *stops = g_ptr_array_new();

		if (m->kind != RSC_PRIMITIVE) {
			g_ptr_array_free(stops, TRUE);
			continue;
		}
		stops_of(sc, m, stops);
		sc_order(sc, start, m->start, ORD_IMPLIES_THEN | ORD_RUNNABLE_LEFT);
		sc_order(sc, m->start, running, ORD_RUNNABLE_LEFT | ORD_IMPLIES_THEN);
		for (guint k = 0; k < stops->len; k++) {
			sc_order(sc, stop, stops->pdata[k], ORD_IMPLIES_THEN);
			sc_order(sc, stops->pdata[k], stopped, ORD_IMPLIES_THEN);
		}
		if (prev != NULL) {
			GPtrArray *pstops = g_ptr_array_new();
			sc_order(sc, prev->start, m->start, ORD_IMPLIES_THEN | ORD_RUNNABLE_LEFT);
			/* a member active behind one that is not (one added in the
			 * middle): it stops before that one starts */
			if (m->running_on->len > 0 && prev->kind == RSC_PRIMITIVE &&
			    prev->running_on->len == 0)
				for (guint k = 0; k < stops->len; k++)
					sc_order(sc, stops->pdata[k], prev->start,
					         ORD_IMPLIES_FIRST | ORD_RUNNABLE_LEFT);
			stops_of(sc, prev, pstops);
			for (guint k = 0; k < stops->len; k++)
				for (guint j = 0; j < pstops->len; j++)
					sc_order(sc, stops->pdata[k], pstops->pdata[j],
					         ORD_IMPLIES_FIRST | ORD_RUNNABLE_LEFT |
					             ORD_INTERNAL);
			g_ptr_array_free(pstops, TRUE);
		}
		prev = m;
		g_ptr_array_free(stops, TRUE);
	}
}

static sc_action_t *instance_action(sc_t *sc, sc_rsc_t *inst, const char *task)
{
	if (inst->kind == RSC_PRIMITIVE)
		return !strcmp(task, "start") ? inst->start : NULL;
	return group_pseudo(sc, inst, task);
}

static void clone_orders(sc_t *sc, sc_rsc_t *c)
{
	sc_action_t *start = group_pseudo(sc, c, "start"),
	            *running = group_pseudo(sc, c, "running");
	sc_action_t *stop = group_pseudo(sc, c, "stop"), *stopped = group_pseudo(sc, c, "stopped");

	sc_order(sc, stopped, start, ORD_OPTIONAL);
	if (c->promotable) {
		sc_order(sc, running, group_pseudo(sc, c, "promote"), ORD_OPTIONAL);
		sc_order(sc, group_pseudo(sc, c, "demoted"), stop, ORD_OPTIONAL);
		sc_order(sc, group_pseudo(sc, c, "demoted"), group_pseudo(sc, c, "promote"),
		         ORD_OPTIONAL);
	}
	for (guint i = 0; i < c->children->len; i++) {
		sc_rsc_t *inst = c->children->pdata[i];
		GPtrArray *stops = g_ptr_array_new();

		sc_order(sc, start, instance_action(sc, inst, "start"), ORD_RUNNABLE_LEFT);
		sc_order(
		    sc,
		    instance_action(sc, inst, inst->kind == RSC_PRIMITIVE ? "start" : "running"),
		    running, ORD_ONE_OR_MORE);
		if (inst->kind == RSC_PRIMITIVE) {
			stops_of(sc, inst, stops);
			for (guint k = 0; k < stops->len; k++) {
				sc_order(sc, stop, stops->pdata[k], ORD_OPTIONAL);
				sc_order(sc, stops->pdata[k], stopped, ORD_OPTIONAL);
			}
		} else {
			sc_order(sc, stop, group_pseudo(sc, inst, "stop"), ORD_OPTIONAL);
			sc_order(sc, group_pseudo(sc, inst, "stopped"), stopped, ORD_OPTIONAL);
		}
		g_ptr_array_free(stops, TRUE);
	}
}

/* Actions a constraint's (resource, task) stands for. */
static void actions_for(sc_t *sc, sc_rsc_t *r, const char *task, bool as_first, GPtrArray *out)
{
	if (r->kind == RSC_PRIMITIVE) {
		if (!strcmp(task, "start") || !strcmp(task, "running")) {
			if (r->start != NULL)
				g_ptr_array_add(out, r->start);
		} else if (!strcmp(task, "stop") || !strcmp(task, "stopped")) {
			stops_of(sc, r, out);
		} else if (!strcmp(task, "promote") || !strcmp(task, "demote")) {
			for (guint i = 0; i < sc->nodes->len; i++) {
				sc_action_t *a =
				    sc_find_action(sc, r, task, 0, sc->nodes->pdata[i]);
				if (a != NULL)
					g_ptr_array_add(out, a);
			}
		}
		return;
	}
	if (r->kind == RSC_GROUP || r->kind == RSC_CLONE) {
		const char *t = task;
		if (!strcmp(task, "start"))
			t = as_first ? "running" : "start";
		else if (!strcmp(task, "stop"))
			t = as_first ? "stopped" : "stop";
		else if (!strcmp(task, "promote"))
			t = as_first ? "promoted" : "promote";
		else if (!strcmp(task, "demote"))
			t = as_first ? "demoted" : "demote";
		sc_action_t *a = group_pseudo(sc, r, t);
		if (a != NULL)
			g_ptr_array_add(out, a);
		return;
	}
	for (guint i = 0; i < r->children->len; i++)
		actions_for(sc, r->children->pdata[i], task, as_first, out);
}

/* The starts of the primitives r consists of. */
static void leaf_starts(sc_rsc_t *r, GPtrArray *out)
{
	if (r->kind == RSC_PRIMITIVE) {
		if (r->start != NULL)
			g_ptr_array_add(out, r->start);
		return;
	}
	for (guint i = 0; i < r->children->len; i++)
		leaf_starts(r->children->pdata[i], out);
}

/* Where a clone instance is to be active (next), or where it is active
 * now; a cloned group is where its members are. */
static sc_node_t *instance_node(sc_rsc_t *inst, bool next)
{
	if (next && inst->assigned != NULL)
		return inst->assigned;
	if (!next && inst->running_on->len > 0)
		return inst->running_on->pdata[0];
	for (guint i = 0; inst->children != NULL && i < inst->children->len; i++) {
		sc_node_t *n = instance_node(inst->children->pdata[i], next);
		if (n != NULL)
			return n;
	}
	return NULL;
}

/*
 * An order between two clones whose dependent clone is interleaved binds
 * each of its instances only to the first clone's instance on the same
 * node: where both are to be for a start or promotion, where both are for
 * a stop or demotion.  Without a first instance there, an instance that
 * may start only after the first clone cannot start at all.
 */
static void interleaved_orders(sc_t *sc, sc_rsc_order_t *o)
{
	bool up = !strcmp(o->then_task, "start") || !strcmp(o->then_task, "promote");
	bool needs_first = (o->flags & ORD_RUNNABLE_LEFT) && up;

	for (guint i = 0; i < o->then->children->len; i++) {
		sc_rsc_t *t = o->then->children->pdata[i], *f = NULL;
		sc_node_t *n = instance_node(t, up);
		GPtrArray *fa = g_ptr_array_new(), *ta = g_ptr_array_new();

		for (guint k = 0; n != NULL && k < o->first->children->len && f == NULL; k++)
			if (instance_node(o->first->children->pdata[k], up) == n)
				f = o->first->children->pdata[k];
		actions_for(sc, t, o->then_task, false, ta);
		if (f != NULL) {
			actions_for(sc, f, o->first_task, true, fa);
			for (guint a = 0; a < fa->len; a++)
				for (guint b = 0; b < ta->len; b++)
					sc_order(sc, fa->pdata[a], ta->pdata[b], o->flags);
		} else if (needs_first && n != NULL) {
			/* Where it runs, it must restart (its first instance
			 * goes) but cannot start again: the clone's running is
			 * still a change what is ordered after the clone sees. */
			bool restart = instance_node(t, false) == n;
			for (guint b = 0; b < ta->len; b++) {
				if (restart)
					sc_require(ta->pdata[b], NULL);
				sc_unrunnable(ta->pdata[b]);
			}
			if (restart)
				sc_require(group_pseudo(sc, o->then, "running"), NULL);
			t->no_local_first = true;
		}
		g_ptr_array_free(fa, TRUE);
		g_ptr_array_free(ta, TRUE);
	}
}

static void constraint_orders(sc_t *sc)
{
	for (guint i = 0; i < sc->rsc_orders->len; i++) {
		sc_rsc_order_t *o = sc->rsc_orders->pdata[i];
		GPtrArray *fa, *ta;

		/* interleave is the dependent clone's choice: the then side,
		 * or the first side of the inverse (stop) order */
		if (o->first->kind == RSC_CLONE && o->then->kind == RSC_CLONE &&
		    (o->inverse ? o->first : o->then)->interleave && !(o->flags & ORD_VIA_PSEUDO)) {
			interleaved_orders(sc, o);
			continue;
		}
		fa = g_ptr_array_new();
		ta = g_ptr_array_new();

		if (o->flags & ORD_VIA_PSEUDO) {
			/* every instance of the first clone feeds one pseudo action
			 * that is runnable when any of them is */
			char *key = g_strdup_printf("clone-one-or-more:%s", o->id);
			char *tk = g_strdup_printf("%s@", key);
			sc_action_t *p = g_hash_table_lookup(sc->action_by_key, tk);
			g_free(tk);
			if (p == NULL)
				p = sc_pseudo_node(sc, key);
			p->min_runnable = MAX(p->min_runnable, sc_clone_min(o->first));
			g_free(key);
			actions_for(sc, o->first, "start", true, fa);
			for (guint k = 0; k < o->first->children->len; k++) {
				sc_rsc_t *inst = o->first->children->pdata[k];
				sc_rsc_t *lead = sc_instance_lead(inst);
				if (lead != NULL && lead->start != NULL)
					sc_order(sc, lead->start, p, ORD_ONE_OR_MORE);
			}
			actions_for(sc, o->then, o->then_task, false, ta);
			for (guint b = 0; b < ta->len; b++)
				sc_order(sc, p, ta->pdata[b], ORD_IMPLIES_THEN | ORD_RUNNABLE_LEFT);
			g_ptr_array_free(fa, TRUE);
			g_ptr_array_free(ta, TRUE);
			continue;
		}
		actions_for(sc, o->first, o->first_task, true, fa);
		if ((o->flags & ORD_ASYMMETRICAL) && o->then->kind != RSC_PRIMITIVE &&
		    !strcmp(o->then_task, "start"))
			/* it holds back each member or instance on its own, so
			 * what already runs keeps running */
			leaf_starts(o->then, ta);
		else
			actions_for(sc, o->then, o->then_task, false, ta);
		for (guint a = 0; a < fa->len; a++)
			for (guint b = 0; b < ta->len; b++)
				sc_order(sc, fa->pdata[a], ta->pdata[b], o->flags);
		g_ptr_array_free(fa, TRUE);
		g_ptr_array_free(ta, TRUE);
	}
}

void sc_order_actions(sc_t *sc)
{
	for (guint i = 0; i < sc->all->len; i++) {
		sc_rsc_t *r = sc->all->pdata[i];
		if (r->kind == RSC_PRIMITIVE)
			primitive_orders(sc, r);
	}
	for (guint i = 0; i < sc->all->len; i++) {
		sc_rsc_t *r = sc->all->pdata[i];
		if (r->kind == RSC_GROUP)
			group_orders(sc, r);
		else if (r->kind == RSC_CLONE)
			clone_orders(sc, r);
	}
	constraint_orders(sc);
}

/* ---------------------------------------------------------- propagation */

static const char *rsc_name(const sc_action_t *a)
{
	return a->rsc != NULL ? a->rsc->id : a->node != NULL ? a->node->name : "";
}

static bool required(const sc_action_t *a)
{
	return !(a->flags & ACT_OPTIONAL);
}

static bool runnable(const sc_action_t *a)
{
	return a->flags & ACT_RUNNABLE;
}

static bool running_on(const sc_rsc_t *r, const sc_node_t *n)
{
	for (guint i = 0; r != NULL && i < r->running_on->len; i++)
		if (r->running_on->pdata[i] == n)
			return true;
	return false;
}

/* Reasons flow through the start / stop pseudo actions of groups and clones. */
static bool pass_through(const sc_action_t *f)
{
	return (f->flags & ACT_PSEUDO) && f->reason != NULL && f->node == NULL && f->rsc != NULL &&
	       (f->rsc->kind == RSC_GROUP || f->rsc->kind == RSC_CLONE) &&
	       (!strcmp(f->task, "start") || !strcmp(f->task, "stop"));
}

/* A start that can not happen where the resource runs: stop it there. */
static bool stop_unstartable(sc_t *sc, sc_action_t *start, const sc_action_t *why)
{
	sc_rsc_t *r = start->rsc;
	bool changed = false;

	if (r == NULL || r->kind != RSC_PRIMITIVE || strcmp(start->task, "start"))
		return false;
	for (guint i = 0; i < r->running_on->len; i++) {
		sc_action_t *s = sc_find_action(sc, r, "stop", 0, r->running_on->pdata[i]);
		if (s != NULL && !required(s)) {
			char *reason =
			    start->reason != NULL ? g_strdup(start->reason)
			    : pass_through(why)
			        ? g_strdup(why->reason)
			        : g_strdup_printf("unrunnable %s %s", rsc_name(why), why->task);
			sc_require(s, reason);
			g_free(reason);
			changed = true;
		}
	}
	return changed;
}

static bool one_or_more_runnable(const sc_action_t *then)
{
	int need = MAX(then->min_runnable, 1);

	for (guint i = 0; i < then->before->len; i++) {
		sc_edge_t *e = then->before->pdata[i];
		if ((e->flags & ORD_ONE_OR_MORE) && runnable(e->first) && --need == 0)
			return true;
	}
	return false;
}

static bool apply_edge(sc_t *sc, sc_edge_t *e)
{
	sc_action_t *f = e->first, *t = e->then;
	bool changed = false;
	char *reason;

	/* first is needed but cannot run: then is needed too (which is its
	 * reason) and cannot run either */
	if ((e->flags & ORD_IMPLIES_THEN) && (e->flags & ORD_RUNNABLE_LEFT) && required(f) &&
	    !runnable(f) && runnable(t) && !required(t) && t->reason == NULL && f->rsc != NULL &&
	    f->rsc != t->rsc && !pass_through(f))
		t->reason = g_strdup_printf("required %s %s", rsc_name(f), f->task);
	if ((e->flags & ORD_RUNNABLE_LEFT) && !runnable(f) && runnable(t)) {
		sc_unrunnable(t);
		/* a blocked stop keeps its own reason unless its group blocked it */
		if (!strcmp(t->task, "stop") &&
		    (!(e->flags & ORD_INTERNAL) || t->rsc == NULL || t->rsc->assigned == NULL))
			;
		else if (t->reason == NULL && pass_through(f))
			t->reason = g_strdup(f->reason);
		else if (t->reason == NULL && f->rsc == NULL && f->node == NULL)
			t->reason = g_strdup_printf("unrunnable %s", f->key);
		else if (t->reason == NULL)
			t->reason = g_strdup_printf("unrunnable %s %s", rsc_name(f), f->task);
		stop_unstartable(sc, t, f);
		changed = true;
	}
	/* asymmetrical: irrelevant to a stop of what is stopped and to a start
	 * of what already runs there */
	if ((e->flags & ORD_ASYMMETRICAL) && !runnable(f) && runnable(t) && t->rsc != NULL &&
	    !(!strcmp(t->task, "stop") && t->rsc->running_on->len == 0) &&
	    !(!strcmp(t->task, "start") && !required(t) && running_on(t->rsc, t->node))) {
		sc_unrunnable(t);
		if (t->reason == NULL)
			t->reason = g_strdup_printf("unrunnable %s %s", rsc_name(f), f->task);
		stop_unstartable(sc, t, f);
		changed = true;
	}
	if ((e->flags & ORD_ONE_OR_MORE) && runnable(t) && !one_or_more_runnable(t)) {
		sc_unrunnable(t);
		stop_unstartable(sc, t, f);
		changed = true;
	}
	/* a migration's start only orders what follows: it restarts nothing */
	if ((e->flags & ORD_IMPLIES_THEN) && required(f) && runnable(f) && !required(t) &&
	    !(f->rsc != NULL && f->rsc->migrating && f == f->rsc->start && t->rsc != f->rsc)) {
		if (f->rsc != NULL && f->rsc == t->rsc)
			reason = NULL; /* a restart of its own */
		else if (pass_through(f))
			reason = g_strdup(f->reason); /* the cause behind the pseudo action */
		else
			reason = g_strdup_printf("required %s %s", rsc_name(f), f->task);
		sc_require(t, reason);
		g_free(reason);
		changed = true;
	}
	/* nor does a migration's stop force what must stop before it */
	if ((e->flags & ORD_IMPLIES_FIRST) && required(t) && !required(f) &&
	    !(t->rsc != NULL && t->rsc->migrating && !strcmp(t->task, "stop") &&
	      f->rsc != t->rsc) &&
	    !(t->flags & ACT_PSEUDO && t->rsc != NULL && t->rsc->kind != RSC_PRIMITIVE)) {
		sc_require(f, NULL);
		changed = true;
	}
	if ((e->flags & ORD_RESTART) && required(t) && runnable(t) && !required(f) &&
	    t->node == f->node && running_on(t->rsc, t->node)) {
		sc_require(f, NULL);
		changed = true;
	}
	return changed;
}

/* What must run with something that cannot start can not start either. */
static bool block_colocated(sc_t *sc)
{
	bool changed = false;

	for (guint i = 0; i < sc->colocs->len; i++) {
		sc_coloc_t *c = sc->colocs->pdata[i];
		sc_action_t *ps = c->prim->start, *ds = c->dep->start;
		char *why;

		/* to be promoted only with a primary that cannot start: the
		 * promotion cannot happen */
		if (c->score >= INF && c->dep_role == ROLE_PROMOTED && ps != NULL &&
		    !runnable(ps) && c->dep->kind == RSC_PRIMITIVE &&
		    c->prim->kind == RSC_PRIMITIVE && c->prim_role <= ROLE_STARTED &&
		    c->dep->assigned != NULL && c->prim->assigned != NULL) {
			sc_action_t *p = sc_find_action(sc, c->dep, "promote", 0, c->dep->assigned);
			if (p != NULL && runnable(p)) {
				sc_unrunnable(p);
				if (p->reason == NULL)
					p->reason =
					    g_strdup_printf("colocation with %s", c->prim->id);
				changed = true;
			}
		}
		if (c->score < INF || ps == NULL || ds == NULL || runnable(ps) || !runnable(ds) ||
		    c->dep->kind != RSC_PRIMITIVE || c->prim->kind != RSC_PRIMITIVE ||
		    c->dep_role > ROLE_STARTED || c->prim_role > ROLE_STARTED ||
		    (c->dep->parent != NULL && c->dep->parent == c->prim->parent))
			continue;
		if (ds->node == NULL || c->prim->assigned == NULL)
			continue;
		why = g_strdup_printf("colocation with %s", c->prim->id);
		sc_unrunnable(ds);
		if (ds->reason == NULL)
			ds->reason = g_strdup(why);
		for (guint k = 0; k < c->dep->running_on->len; k++) {
			sc_action_t *s =
			    sc_find_action(sc, c->dep, "stop", 0, c->dep->running_on->pdata[k]);
			if (s != NULL && !required(s))
				sc_require(s, why);
		}
		g_free(why);
		changed = true;
	}
	return changed;
}

/* An unmanaged resource is not started by the cluster: a start of it that
 * turns out to be needed (to restart it behind something) cannot run. */
static bool unmanaged_starts(sc_t *sc)
{
	bool changed = false;

	for (guint i = 0; i < sc->all->len; i++) {
		sc_rsc_t *r = sc->all->pdata[i];
		sc_action_t *s = r->start;

		if (r->kind != RSC_PRIMITIVE || r->managed || s == NULL || !required(s) ||
		    !runnable(s) || (s->flags & ACT_PSEUDO))
			continue;
		sc_unrunnable(s);
		changed = true;
	}
	return changed;
}

/* Is a the stop or start of a resource that migrates (so it can happen as
 * part of a migration)? */
static bool migrate_runnable(const sc_action_t *a)
{
	return a->rsc != NULL && a->rsc->migrating && !(a->flags & ACT_PSEUDO && a->node == NULL) &&
	       (!strcmp(a->task, "stop") || !strcmp(a->task, "start"));
}

/* Is a required, or, for a group's or clone's stop, is any of its
 * members' stops required? */
static bool stop_required(const sc_action_t *a)
{
	if (required(a))
		return true;
	if (a->node != NULL || a->rsc == NULL || a->rsc->kind == RSC_PRIMITIVE)
		return false;
	for (guint k = 0; k < a->after->len; k++) {
		const sc_edge_t *e = a->after->pdata[k];
		const sc_rsc_t *p = e->then->rsc;
		while (p != NULL && p != a->rsc)
			p = p->parent;
		if (p != NULL && !strcmp(e->then->task, "stop") && stop_required(e->then))
			return true;
	}
	return false;
}

/* Does r (or a member or instance of it) start somewhere? */
static bool starts(const sc_rsc_t *r)
{
	if (r->kind == RSC_PRIMITIVE)
		return r->start != NULL && required(r->start) && runnable(r->start);
	for (guint i = 0; i < r->children->len; i++)
		if (starts(r->children->pdata[i]))
			return true;
	return false;
}

/*
 * A resource may migrate only if what must stop after it can, too: when
 * its stop is to come before the required stop of another resource that
 * is no migration (a real stop, a group's or clone's stop) and that starts
 * again (which its migration would have to wait for: a loop), it is
 * stopped and started instead ("unmigrateable <that resource> stop").
 */
/* r is stopped (and started, if it can) instead of migrated. */
static void drop_migration(sc_t *sc, sc_rsc_t *r)
{
	sc_action_t *to = sc_find_action(sc, r, "migrate_to", 0, r->running_on->pdata[0]);
	sc_action_t *from = sc_find_action(sc, r, "migrate_from", 0, r->assigned);

	r->migrating = false;
	if (to != NULL)
		to->flags |= ACT_OPTIONAL;
	if (from != NULL)
		from->flags |= ACT_OPTIONAL;
	r->start->flags &= ~ACT_PSEUDO;
}

static bool cancel_migrations(sc_t *sc)
{
	bool changed = false;

	for (guint i = 0; i < sc->all->len; i++) {
		sc_rsc_t *r = sc->all->pdata[i];
		sc_action_t *stop;

		if (!r->migrating)
			continue;
		/* it cannot start where it was to go: it only stops */
		if (!runnable(r->start)) {
			drop_migration(sc, r);
			changed = true;
			continue;
		}
		stop = sc_find_action(sc, r, "stop", 0, r->running_on->pdata[0]);
		for (guint k = 0; stop != NULL && k < stop->after->len; k++) {
			sc_edge_t *e = stop->after->pdata[k];
			sc_action_t *t = e->then;

			if (!(e->flags & ORD_IMPLIES_FIRST) || t->rsc == r || t->rsc == NULL ||
			    strcmp(t->task, "stop") || !stop_required(t) || migrate_runnable(t) ||
			    !starts(t->rsc))
				continue;
			r->unmigratable =
			    g_strdup_printf("unmigrateable %s %s", t->rsc->id, t->task);
			drop_migration(sc, r);
			changed = true;
			break;
		}
	}
	return changed;
}

void sc_propagate(sc_t *sc)
{
	bool changed = true;

	for (int round = 0; changed && round < 1000; round++) {
		changed = false;
		for (guint i = 0; i < sc->edges->len; i++)
			changed |= apply_edge(sc, sc->edges->pdata[i]);
		changed |= block_colocated(sc);
		changed |= unmanaged_starts(sc);
		if (!changed)
			changed = cancel_migrations(sc);
	}
	/* history of a replaced agent goes only when the new one starts there */
	for (guint i = 0; i < sc->actions->len; i++) {
		sc_action_t *a = sc->actions->pdata[i];
		sc_rsc_t *r = a->rsc;
		if (r == NULL || r->orphan || strcmp(a->task, "delete"))
			continue;
		if (r->start == NULL || r->start->node != a->node || !runnable(r->start) ||
		    !required(r->start)) {
			a->flags |= ACT_OPTIONAL;
			continue;
		}
		/* also when nothing stops first (stopped there already): the
		 * old agent's history goes before the new one starts */
		a->flags &= ~ACT_OPTIONAL;
		sc_order(sc, a, r->start, ORD_OPTIONAL);
	}
}
