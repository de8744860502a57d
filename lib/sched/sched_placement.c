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

/*
 * migration-threshold reached on node n.  The failures of an anonymous
 * clone count for the clone, not for one instance number: every instance
 * of the same configured resource is kept off n, or another instance
 * would start where the failed one was just stopped (and stop again).
 */
static void ban_failed(sc_t *sc, sc_rsc_t *r, sc_node_t *n)
{
	r->scores[n->index] = -INF;
	if (r->clone == NULL || r->clone->unique || r->base == NULL)
		return;
	for (guint i = 0; i < sc->all->len; i++) {
		sc_rsc_t *o = sc->all->pdata[i];
		if (o != r && o->kind == RSC_PRIMITIVE && o->clone == r->clone &&
		    g_strcmp0(o->base, r->base) == 0)
			o->scores[n->index] = -INF;
	}
}

/*
 * shutdown-lock: what ran on a node shutting down cleanly stays with that
 * node (stopped, banned from every other node) until it returns and starts
 * it again, or shutdown-lock-limit passes.  The lock dates from the
 * node's shutdown request (its "shutdown" attribute, else now).
 */
static vg_time_t shutdown_time(const sc_t *sc, const sc_node_t *n)
{
	const char *v = g_hash_table_lookup(n->attrs, "shutdown");
	gint64 t = v != NULL ? g_ascii_strtoll(v, NULL, 10) : 0;

	return t > 0 ? (vg_time_t)t : sc->now;
}

static void shutdown_lock(sc_t *sc, sc_rsc_t *r)
{
	if (!sc->shutdown_lock || r->is_fencing || r->clone != NULL)
		return;
	if (r->lock_node != NULL) {
		/* locked by its history, yet active: leave it alone (the lock
		 * cannot hold any more) */
		if (r->running_on->len > 0) {
			r->lock_node = NULL;
			r->lock_time = 0;
		}
	} else if (r->running_on->len == 1) {
		/* only what runs on exactly one node that leaves cleanly */
		sc_node_t *n = r->running_on->pdata[0];
		if (n->shutdown && !n->unclean) {
			r->lock_node = n;
			r->lock_time = shutdown_time(sc, n);
		}
	}
	if (r->lock_node == NULL)
		return;
	if (sc->shutdown_lock_limit > 0) {
		vg_time_t until = r->lock_time + (vg_time_t)sc->shutdown_lock_limit;
		if (until > sc->now && until < sc->recheck)
			sc->recheck = until;
	}
	for (guint k = 0; k < sc->nodes->len; k++)
		if ((int)k != r->lock_node->index)
			r->scores[k] = -INF;
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
				ban_failed(sc, r, h->node);
		}
		shutdown_lock(sc, r);
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

static bool is_mandatory(const sc_coloc_t *c)
{
	return c->score >= INF || c->score <= -INF;
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

	bool role_dep = (c->dep_role == ROLE_UNKNOWN || c->dep_role == ROLE_STARTED) &&
	                (c->prim_role == ROLE_PROMOTED || c->prim_role == ROLE_UNPROMOTED) &&
	                c->prim->kind == RSC_CLONE && c->prim->promotable;

	if (c->score == 0 || (!coloc_role_applies(c) && !role_dep))
		return;
	if (c->prim->kind == RSC_CLONE) {
		for (guint i = 0; i < sc->nodes->len; i++) {
			bool with =
			    role_dep ? sc_clone_role_on(c->prim, sc->nodes->pdata[i], c->prim_role)
			             : sc_clone_on(c->prim, sc->nodes->pdata[i]);
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

/* The best score of d on a node that can run it and shares n's value of attr. */
static int best_matching(sc_t *sc, const sc_rsc_t *d, const char *attr, const sc_node_t *n)
{
	const char *val;
	int best = -INF;

	if (!strcmp(attr, "#uname")) { /* the common case: no lookup at all */
		int s = d->scores[n->index];
		return sc_can_run(sc, n) && s != UNSET ? s : -INF;
	}
	val = attr_of(n, attr);
	for (guint j = 0; val != NULL && j < sc->nodes->len; j++) {
		const sc_node_t *m = sc->nodes->pdata[j];
		const char *v2 = attr_of(m, attr);
		int s = d->scores[j];
		if (v2 != NULL && !strcmp(v2, val) && sc_can_run(sc, m) && s != UNSET && s > best)
			best = s;
	}
	return best;
}

/* Add d's preferences, scaled by factor, into w (as Pacemaker rounds them:
 * a non-zero score never vanishes, a double negative is ignored). */
static void add_scaled(sc_t *sc, int *w, const sc_rsc_t *d, const char *attr, double factor)
{
	for (guint k = 0; k < sc->nodes->len; k++) {
		int score = best_matching(sc, d, attr, sc->nodes->pdata[k]);
		double f;
		int weight;

		if (factor < 0 && score < 0)
			continue;
		if (w[k] == UNSET)
			continue;
		f = factor * score;
		weight = (int)(f < 0 ? f - 0.5 : f + 0.5);
		if (weight == 0 && score != 0)
			weight = factor > 0 ? 1 : -1;
		w[k] = vg_score_add(weight, w[k]);
	}
}

/*
 * The primary side: every dependent with influence adds its preferences,
 * scaled by score/INFINITY, and so, recursively, do its own dependents
 * (each link with its own factor) -- except behind a group placed with it
 * by a finite score, which pulls with its first member alone; a merge that
 * would leave no usable node is rolled back.  `seen` breaks loops.
 */
static void merge_dependents(sc_t *sc, sc_rsc_t *r, int *w, double sign, int which,
                             GHashTable *seen)
{
	for (guint i = 0; i < r->as_prim->len; i++) {
		sc_coloc_t *c = r->as_prim->pdata[i];
		sc_rsc_t *d = c->dep;
		double f = sign * (double)c->score / INF;
		int *save;

		if (!c->influence || !coloc_role_applies(c) || d->kind != RSC_PRIMITIVE ||
		    g_hash_table_contains(seen, d) || f == 0)
			continue;
		if ((which == 1 && !is_mandatory(c)) || (which == 2 && is_mandatory(c)))
			continue;
		save = sc_scores_dup(sc, w);
		add_scaled(sc, w, d, c->node_attr, f);
		/* a group optionally placed with r pulls with its first
		 * member's preferences only, not with what follows it in turn */
		if (any_runnable(sc, w) && !(c->dep_group && c->score < INF)) {
			g_hash_table_add(seen, d);
			merge_dependents(sc, d, w, f < 0 ? -1.0 : 1.0, 0, seen);
			g_hash_table_remove(seen, d);
		}
		if (!any_runnable(sc, w))
			memcpy(w, save, sizeof(int) * sc->nodes->len);
		g_free(save);
	}
}

/* r's own scores with its dependents' preferences merged in (what pulls
 * it where), into w (one int per node). */
void sc_pull_weights(sc_t *sc, sc_rsc_t *r, int *w)
{
	GHashTable *seen = g_hash_table_new(NULL, NULL);

	memcpy(w, r->scores, sizeof(int) * sc->nodes->len);
	g_hash_table_add(seen, r);
	merge_dependents(sc, r, w, 1.0, 0, seen);
	g_hash_table_destroy(seen);
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

/* Resources that need fencing may not start while a lost node that cannot
 * be fenced might still run them. */
static bool needs_fencing_first(sc_t *sc, const sc_rsc_t *r)
{
	if (!sc->stonith_enabled || r->requires == NULL ||
	    (strcmp(r->requires, "fencing") && strcmp(r->requires, "unfencing")))
		return false;
	/* only when no fencing device is configured at all */
	for (guint i = 0; i < sc->all->len; i++)
		if (((sc_rsc_t *)sc->all->pdata[i])->is_fencing &&
		    !((sc_rsc_t *)sc->all->pdata[i])->orphan)
			return false;
	for (guint i = 0; i < sc->nodes->len; i++) {
		const sc_node_t *n = sc->nodes->pdata[i];
		if (n->unclean && !n->online && !sc->have_quorum &&
		    !strcmp(sc->no_quorum_policy, "stop"))
			return true;
	}
	return false;
}

/* crm_simulate -s lines: the scores a primitive is placed with. */
static void show_scores(sc_t *sc, const sc_rsc_t *r)
{
	char buf[16];

	for (guint i = 0; i < sc->nodes->len; i++) {
		const sc_node_t *n = sc->nodes->pdata[i];
		int v = r->scores[i] == UNSET ? -INF : r->scores[i];
		g_string_append_printf(sc->scores,
		                       "pcmk__primitive_assign: %s allocation score on %s: %s\n",
		                       r->id, n->name, vg_score_str(v, buf));
	}
}

/* r placed with (or away from) its primaries: those of the later members
 * of a group r leads, then r's own; `mandatory` picks one kind. */
static void apply_this_with(sc_t *sc, sc_rsc_t *r, int *w, bool mandatory)
{
	/* a group is placed by its first member, which takes along the
	 * colocations of the later members with things outside the group */
	if (r->parent != NULL && r->parent->kind == RSC_GROUP && r->parent->children->len > 1 &&
	    r->parent->children->pdata[0] == r)
		for (guint m = 1; m < r->parent->children->len; m++) {
			sc_rsc_t *mem = r->parent->children->pdata[m];
			for (guint i = 0; mem->as_dep != NULL && i < mem->as_dep->len; i++) {
				sc_coloc_t *c = mem->as_dep->pdata[i];
				int *save;
				if (c->prim->parent == r->parent ||
				    c->prim->kind != RSC_PRIMITIVE || is_mandatory(c) != mandatory)
					continue;
				if (c->prim->assign_state == 0)
					sc_assign_primitive(sc, c->prim, NULL);
				save = sc_scores_dup(sc, w);
				apply_coloc(sc, w, c);
				if (!any_runnable(sc, w))
					memcpy(w, save, sizeof(int) * sc->nodes->len);
				g_free(save);
			}
		}
	for (guint i = 0; i < r->as_dep->len; i++) {
		sc_coloc_t *c = r->as_dep->pdata[i];
		int *save;
		if (is_mandatory(c) != mandatory)
			continue;
		if (c->prim->kind == RSC_CLONE)
			sc_clone_assign(sc, c->prim);
		else if (c->prim->kind != RSC_PRIMITIVE)
			continue;
		else if (c->prim->assign_state == 0)
			sc_assign_primitive(sc, c->prim, NULL);
		/* a finite preference that leaves nowhere to run is dropped */
		save = sc_scores_dup(sc, w);
		apply_coloc(sc, w, c);
		if (!mandatory && !any_runnable(sc, w))
			memcpy(w, save, sizeof(int) * sc->nodes->len);
		g_free(save);
	}
}

void sc_assign_primitive(sc_t *sc, sc_rsc_t *r, sc_node_t *prefer)
{
	int *w;
	GHashTable *seen;

	if (r->assign_state != 0)
		return;
	r->assign_state = 1;
	w = sc_scores_dup(sc, r->scores);
	/* mandatory colocations first, both ways, then the optional ones:
	 * an optional one that would leave nowhere to run is then dropped
	 * rather than one that keeps a member of a group runnable */
	for (int pass = 0; pass < 2; pass++) {
		bool mandatory = pass == 0;
		apply_this_with(sc, r, w, mandatory);
		seen = g_hash_table_new(NULL, NULL);
		g_hash_table_add(seen, r);
		merge_dependents(sc, r, w, 1.0, mandatory ? 1 : 2, seen);
		g_hash_table_destroy(seen);
	}
	memcpy(r->scores, w, sizeof(int) * sc->nodes->len);
	g_free(w);
	if (sc->opts.show_scores)
		show_scores(sc, r);

	bool blocked = false;
	for (guint i = 0; r->blocked && i < r->running_on->len; i++)
		blocked |= !((sc_node_t *)r->running_on->pdata[i])->unclean || !sc->stonith_enabled;
	if (!r->managed || r->orphan || blocked) {
		/* stays where it is */
		r->assigned =
		    r->orphan ? NULL : (r->running_on->len > 0 ? r->running_on->pdata[0] : NULL);
		if (r->orphan && r->managed == false && r->running_on->len > 0)
			r->assigned = r->running_on->pdata[0];
	} else if (r->running_on->len == 0 && needs_fencing_first(sc, r)) {
		r->assigned = NULL; /* a lost node might still run it */
	} else if (sc->stop_all || r->target_role == ROLE_STOPPED ||
	           (r->running_on->len > 1 && !strcmp(r->multiple_active, "stop_only"))) {
		r->assigned = NULL;
	} else {
		r->assigned = choose(sc, r, r->scores, prefer);
	}
	if (r->assigned != NULL) {
		r->assigned->n_assigned++;
		consume(r, r->assigned);
	}
	r->next_role = r->assigned != NULL ? ROLE_STARTED : ROLE_STOPPED;
	r->assign_state = 2;
}

/* A top-level resource's weight on node k for ordering: a group's members
 * together (a banned member sinks the group). */
static int sort_weight(const sc_rsc_t *r, int k)
{
	int w = 0;

	if (r->kind == RSC_PRIMITIVE)
		return r->scores[k] == UNSET ? -INF : r->scores[k];
	if (r->kind != RSC_GROUP)
		return 0;
	for (guint i = 0; i < r->children->len; i++)
		w = vg_score_add(w, sort_weight(r->children->pdata[i], k));
	return w;
}

static sc_node_t *sort_node(const sc_rsc_t *r)
{
	while (r != NULL && r->kind == RSC_GROUP)
		r = r->children->len > 0 ? r->children->pdata[0] : NULL;
	if (r == NULL || r->kind != RSC_PRIMITIVE || r->running_on->len == 0)
		return NULL;
	return r->running_on->pdata[0];
}

typedef struct sort_ctx {
	sc_t *sc;
} sort_ctx_t;

/*
 * Placement order: priority; then, between two active resources, the one
 * with the higher weight where it runs; then configuration order.
 */
static gint by_priority(gconstpointer a, gconstpointer b, gpointer data)
{
	const sc_rsc_t *x = *(sc_rsc_t *const *)a, *y = *(sc_rsc_t *const *)b;
	sc_t *sc = ((sort_ctx_t *)data)->sc;
	sc_node_t *nx, *ny;

	if (x->priority != y->priority)
		return x->priority > y->priority ? -1 : 1;
	nx = sort_node(x);
	ny = sort_node(y);
	/* only a placement strategy sorts by where they are wanted */
	if (strcmp(sc->placement_strategy, "default") != 0 && nx != NULL && ny != NULL) {
		int wx = sort_weight(x, nx->index), wy = sort_weight(y, ny->index);
		if (wx != wy)
			return wx > wy ? -1 : 1;
	}
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
	{
		sort_ctx_t ctx = {sc};
		g_ptr_array_sort_with_data(order, by_priority, &ctx);
	}
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
