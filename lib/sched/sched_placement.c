/*
 * sched_placement.c: where each resource should run.
 *
 * Owns the node scores of every primitive (location constraints, failure
 * bans after migration-threshold, stickiness on the current node), the
 * order resources are assigned in, colocation (the primary is placed first;
 * dependents' preferences flow back into the primary with their influence)
 * and the choice of node (best score, then the current node, then the
 * least loaded, then the name).  Groups are placed member by member, each
 * with the one before it.  Never creates actions.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define VG_LOG_SUBSYS "sched"
#include <string.h>

#include "sched_private.h"

#define UNSET G_MININT

static int add(int a, int b)
{
	if (a == UNSET)
		return b;
	if (b == UNSET)
		return a;
	return vg_score_add(a, b);
}

static void apply_location(sc_t *sc, sc_location_t *l, sc_rsc_t *r)
{
	if (r->kind != RSC_PRIMITIVE) {
		for (guint i = 0; i < r->children->len; i++)
			apply_location(sc, l, r->children->pdata[i]);
		return;
	}
	for (guint i = 0; i < sc->nodes->len; i++) {
		int s = g_array_index(l->scores, int, i);
		if (s != UNSET)
			r->scores[i] = add(r->scores[i], s);
	}
}

static bool holds_role(const sc_location_t *l)
{
	return l->role == ROLE_UNKNOWN || l->role == ROLE_STARTED;
}

/* Locations, failure bans and stickiness into r->scores. */
void sc_apply_locations(sc_t *sc)
{
	for (guint i = 0; i < sc->all->len; i++) {
		sc_rsc_t *r = sc->all->pdata[i];
		for (guint k = 0; k < sc->nodes->len; k++) {
			int banned = r->scores[k] == -INF;
			r->scores[k] = sc->symmetric ? 0 : UNSET;
			if (banned)
				r->scores[k] = -INF;
		}
	}
	for (guint i = 0; i < sc->locations->len; i++) {
		sc_location_t *l = sc->locations->pdata[i];
		if (holds_role(l))
			apply_location(sc, l, l->rsc);
	}
	for (guint i = 0; i < sc->all->len; i++) {
		sc_rsc_t *r = sc->all->pdata[i];

		if (r->kind != RSC_PRIMITIVE)
			continue;
		for (guint k = 0; k < r->hist->len; k++) {
			sc_hist_t *h = r->hist->pdata[k];
			if (h->fail_count > 0 && h->fail_count >= r->migration_threshold)
				r->scores[h->node->index] = -INF;
		}
		if (r->managed && r->stickiness != 0 && r->running_on->len == 1) {
			sc_node_t *n = r->running_on->pdata[0];
			if (r->scores[n->index] != UNSET)
				r->scores[n->index] = add(r->scores[n->index], r->stickiness);
		}
	}
}

/* ---------------------------------------------------------- colocation */

static const char *attr_of(const sc_node_t *n, const char *attr)
{
	return g_hash_table_lookup(n->attrs, attr);
}

static bool any_runnable(sc_t *sc, const int *w)
{
	for (guint i = 0; i < sc->nodes->len; i++)
		if (w[i] != UNSET && w[i] >= 0 && sc_can_run(sc, sc->nodes->pdata[i]))
			return true;
	return false;
}

static bool coloc_role_applies(const sc_coloc_t *c)
{
	return (c->dep_role == ROLE_UNKNOWN || c->dep_role == ROLE_STARTED) &&
	       (c->prim_role == ROLE_UNKNOWN || c->prim_role == ROLE_STARTED);
}

/* The dependent side: r is placed with (or away from) c->prim. */
static void apply_coloc(sc_t *sc, int *w, const sc_coloc_t *c)
{
	sc_node_t *p = c->prim->assigned;
	const char *value;

	if (c->score == 0 || !coloc_role_applies(c))
		return;
	if (c->prim->kind == RSC_CLONE) {
		for (guint i = 0; i < sc->nodes->len; i++) {
			bool with = sc_clone_on(c->prim, sc->nodes->pdata[i]);
			if (with && c->score < INF)
				w[i] = add(w[i], c->score);
			else if (!with && c->score >= INF)
				w[i] = -INF;
		}
		return;
	}
	if (p == NULL) {
		if (c->score >= INF)
			for (guint i = 0; i < sc->nodes->len; i++)
				w[i] = -INF;
		return;
	}
	value = attr_of(p, c->node_attr);
	for (guint i = 0; i < sc->nodes->len; i++) {
		const char *v = attr_of(sc->nodes->pdata[i], c->node_attr);
		if (value != NULL && v != NULL && !strcmp(v, value)) {
			if (c->score < INF)
				w[i] = add(w[i], c->score);
		} else if (c->score >= INF) {
			w[i] = -INF;
		}
	}
}

/* The primary side: dependents' preferences, scaled by score/INFINITY. */
static void merge_dependents(sc_t *sc, sc_rsc_t *r, int *w, double factor, bool only_pos,
			     GHashTable *seen)
{
	for (guint i = 0; i < r->as_prim->len; i++) {
		sc_coloc_t *c = r->as_prim->pdata[i];
		sc_rsc_t *d = c->dep;
		double f;

		if ( !c->influence || !coloc_role_applies(c) ||
		    d->kind != RSC_PRIMITIVE || d->assign_state != 0 ||
		    g_hash_table_contains(seen, d))
			continue;
		f = factor * (double)c->score / INF;
		/* too weak to move any score by a point: stop here */
		if (f * INF < 1.0 && f * INF > -1.0)
			continue;
		g_hash_table_add(seen, d);
		{
			int *save = g_memdup2(w, sizeof(int) * sc->nodes->len);
			for (guint k = 0; k < sc->nodes->len; k++) {
				sc_node_t *n = sc->nodes->pdata[k];
				const char *val = attr_of(n, c->node_attr);
				int dw = UNSET;
				bool by_name = !strcmp(c->node_attr, "#uname");
				if (by_name)
					dw = d->scores[k];
				/* the best score of d on nodes sharing the attribute */
				for (guint j = 0; !by_name && j < sc->nodes->len; j++) {
					const char *v2 = attr_of(sc->nodes->pdata[j], c->node_attr);
					if (val != NULL && v2 != NULL && !strcmp(val, v2) &&
					    d->scores[j] != UNSET && (dw == UNSET || d->scores[j] > dw))
						dw = d->scores[j];
				}
				if (dw == UNSET)
					continue;
				int s;
				if (dw >= INF || dw <= -INF)
					s = (f >= 1.0 || f <= -1.0) ? (int)(dw * (f > 0 ? 1 : -1))
								    : (int)(f * dw);
				else
					s = (int)(f * dw);
				if (f < 0 && dw < 0)
					continue;
				if (only_pos && s < 0)
					continue;
				if (w[k] == UNSET)
					continue;
				w[k] = add(w[k], s);
			}
			merge_dependents(sc, d, w, f, true, seen);
			if (!any_runnable(sc, w))
				memcpy(w, save, sizeof(int) * sc->nodes->len);
			g_free(save);
		}
	}
}

/* ----------------------------------------------------------- choosing */

/* placement-strategy other than default: does r still fit on n? */
static bool fits(sc_t *sc, const sc_rsc_t *r, const sc_node_t *n)
{
	GHashTableIter it;
	gpointer k, v;

	if (!strcmp(sc->placement_strategy, "default") || r->utilization == NULL)
		return true;
	g_hash_table_iter_init(&it, r->utilization);
	while (g_hash_table_iter_next(&it, &k, &v)) {
		int need = sc_score(v, 0);
		int cap = sc_score(g_hash_table_lookup(n->utilization, k), 0);
		int used = GPOINTER_TO_INT(g_hash_table_lookup(n->util_used, k));
		if (need > 0 && cap - used < need)
			return false;
	}
	return true;
}

static void consume(const sc_rsc_t *r, sc_node_t *n)
{
	GHashTableIter it;
	gpointer k, v;

	if (r->utilization == NULL)
		return;
	g_hash_table_iter_init(&it, r->utilization);
	while (g_hash_table_iter_next(&it, &k, &v)) {
		int used = GPOINTER_TO_INT(g_hash_table_lookup(n->util_used, k));
		g_hash_table_replace(n->util_used, g_strdup(k),
				     GINT_TO_POINTER(used + sc_score(v, 0)));
	}
}

static sc_node_t *choose(sc_t *sc, sc_rsc_t *r, const int *w, sc_node_t *prefer)
{
	sc_node_t *best = NULL, *cur = r->running_on->len > 0 ? r->running_on->pdata[0] : NULL;
	int bw = 0;

	for (guint i = 0; i < sc->nodes->len; i++) {
		sc_node_t *n = sc->nodes->pdata[i];
		int s = w[i];

		if (s == UNSET || s < 0 || !sc_can_run(sc, n) || !fits(sc, r, n))
			continue;
		if (best == NULL || s > bw) {
			best = n;
			bw = s;
			continue;
		}
		if (s < bw)
			continue;
		/* equal scores: balance, then stay, then node order */
		if (n->n_assigned != best->n_assigned) {
			if (n->n_assigned < best->n_assigned)
				best = n;
			continue;
		}
		if (best == cur)
			continue;
		if (n == cur || strcmp(n->name, best->name) < 0)
			best = n;
	}
	if (best != NULL && prefer != NULL && prefer != best && w[prefer->index] == bw &&
	    sc_can_run(sc, prefer) && fits(sc, r, prefer))
		best = prefer;
	return best;
}

static bool quorum_blocks_new(sc_t *sc)
{
	return !sc->have_quorum && strcmp(sc->no_quorum_policy, "ignore") != 0;
}

void sc_assign_primitive(sc_t *sc, sc_rsc_t *r, sc_node_t *prefer)
{
	int *w;
	GHashTable *seen;

	if (r->assign_state != 0)
		return;
	r->assign_state = 1;
	w = g_memdup2(r->scores, sizeof(int) * sc->nodes->len);
	for (guint i = 0; i < r->as_dep->len; i++) {
		sc_coloc_t *c = r->as_dep->pdata[i];
		if (c->prim->kind == RSC_CLONE)
			sc_clone_assign(sc, c->prim);
		else if (c->prim->kind != RSC_PRIMITIVE)
			continue;
		else if (c->prim->assign_state == 0)
			sc_assign_primitive(sc, c->prim, NULL);
		apply_coloc(sc, w, c);
	}
	seen = g_hash_table_new(NULL, NULL);
	g_hash_table_add(seen, r);
	merge_dependents(sc, r, w, 1.0, false, seen);
	g_hash_table_destroy(seen);
	memcpy(r->scores, w, sizeof(int) * sc->nodes->len);
	g_free(w);

	bool blocked = false;
	for (guint i = 0; r->blocked && i < r->running_on->len; i++)
		blocked |= !((sc_node_t *)r->running_on->pdata[i])->unclean || !sc->stonith_enabled;
	if (!r->managed || r->orphan || blocked) {
		/* stays where it is */
		r->assigned = r->orphan ? NULL
					: (r->running_on->len > 0 ? r->running_on->pdata[0] : NULL);
		if (r->orphan && r->managed == false && r->running_on->len > 0)
			r->assigned = r->running_on->pdata[0];
	} else if (sc->stop_all || r->target_role == ROLE_STOPPED ||
		   (r->running_on->len > 1 && !strcmp(r->multiple_active, "stop_only"))) {
		r->assigned = NULL;
	} else {
		r->assigned = choose(sc, r, r->scores, prefer);
		if (r->assigned != NULL && quorum_blocks_new(sc) &&
		    !strcmp(sc->no_quorum_policy, "freeze")) {
			/* frozen: only what already runs keeps running */
			bool running_there = false;
			for (guint k = 0; k < r->running_on->len; k++)
				running_there |= r->running_on->pdata[k] == r->assigned;
			if (!running_there && r->running_on->len > 0) {
				sc_node_t *c0 = r->running_on->pdata[0];
				if (sc_can_run(sc, c0))
					r->assigned = c0;
			}
		}
	}
	if (r->assigned != NULL) {
		r->assigned->n_assigned++;
		consume(r, r->assigned);
	}
	r->next_role = r->assigned != NULL ? ROLE_STARTED : ROLE_STOPPED;
	r->assign_state = 2;
}

static int current_score(const sc_rsc_t *r)
{
	if (r->running_on->len == 0)
		return G_MININT;
	return r->scores[((sc_node_t *)r->running_on->pdata[0])->index];
}

static gint by_priority(gconstpointer a, gconstpointer b)
{
	const sc_rsc_t *x = *(sc_rsc_t *const *)a, *y = *(sc_rsc_t *const *)b;
	int sx, sy;

	if (x->priority != y->priority)
		return x->priority > y->priority ? -1 : 1;
	sx = current_score(x);
	sy = current_score(y);
	if (sx != sy)
		return sx > sy ? -1 : 1;
	return x->index - y->index;
}

static void leaves(sc_rsc_t *r, GPtrArray *out)
{
	if (r->kind == RSC_PRIMITIVE) {
		g_ptr_array_add(out, r);
		return;
	}
	for (guint i = 0; i < r->children->len; i++)
		leaves(r->children->pdata[i], out);
}

void sc_assign(sc_t *sc)
{
	GPtrArray *order = g_ptr_array_new();

	for (guint i = 0; i < sc->top->len; i++)
		g_ptr_array_add(order, sc->top->pdata[i]);
	g_ptr_array_sort(order, by_priority);
	for (guint i = 0; i < order->len; i++) {
		GPtrArray *ls = g_ptr_array_new();
		sc_rsc_t *r = order->pdata[i];
		if (r->kind == RSC_CLONE)
			sc_clone_assign(sc, r);
		leaves(r, ls);
		for (guint k = 0; k < ls->len; k++)
			sc_assign_primitive(sc, ls->pdata[k], NULL);
		g_ptr_array_free(ls, TRUE);
	}
	g_ptr_array_free(order, TRUE);
	for (guint i = 0; i < sc->all->len; i++) {
		sc_rsc_t *r = sc->all->pdata[i];
		if (r->kind == RSC_CLONE && r->promotable)
			sc_clone_promote(sc, r);
	}
}
