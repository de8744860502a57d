/*
 * sched_clone.c: clones as the scheduler sees them: numbered instances of
 * the cloned primitive or group (<id>:<n>), history of anonymous clones
 * mapped onto instances, instance placement (running instances stay where
 * they are up to an even share per node, at most clone-node-max per node,
 * then the rest by score, failed ones last) and, for promotable clones, which
 * instances are promoted (promotion scores, role locations and colocations).
 *
 * Never creates actions (sched_actions.c does, with the clone's pseudo
 * actions).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define VG_LOG_SUBSYS "sched"
#include <string.h>

#include "sched_private.h"

/* The primitive of instance `inst` whose configured id is `base`. */
static sc_rsc_t *member_of(sc_rsc_t *inst, const char *base)
{
	if (inst->kind == RSC_PRIMITIVE)
		return !g_strcmp0(inst->base, base) ? inst : NULL;
	for (guint i = 0; i < inst->children->len; i++) {
		sc_rsc_t *m = member_of(inst->children->pdata[i], base);
		if (m != NULL)
			return m;
	}
	return NULL;
}

static bool hist_on(sc_rsc_t *r, sc_node_t *n, bool running)
{
	if (r->kind != RSC_PRIMITIVE) {
		for (guint i = 0; i < r->children->len; i++)
			if (hist_on(r->children->pdata[i], n, running))
				return true;
		return false;
	}
	for (guint i = 0; i < r->hist->len; i++) {
		sc_hist_t *h = r->hist->pdata[i];
		if ((n == NULL || h->node == n) && (!running || h->role > ROLE_STOPPED))
			return true;
	}
	return false;
}

/* Where an instance (or any member of it) is active so far, NULL if nowhere. */
static sc_node_t *active_on(sc_rsc_t *r)
{
	if (r->kind != RSC_PRIMITIVE) {
		for (guint i = 0; i < r->children->len; i++) {
			sc_node_t *n = active_on(r->children->pdata[i]);
			if (n != NULL)
				return n;
		}
		return NULL;
	}
	for (guint i = 0; i < r->hist->len; i++) {
		sc_hist_t *h = r->hist->pdata[i];
		if (h->role > ROLE_STOPPED || h->pending)
			return h->node;
	}
	return NULL;
}

/*
 * The instance a history entry named `id` on node n belongs to.  Unique
 * clones name instances exactly; anonymous ones do not, so, as Pacemaker:
 * the instance already active on n (unless this member already ran there:
 * then the entry is a leftover), else the first instance active nowhere.
 * NULL: no instance for it (a duplicate history entry).
 */
sc_rsc_t *sc_clone_history_rsc(sc_t *sc, const char *id, sc_node_t *n)
{
	char *base = g_strdup(id), *colon = strrchr(base, ':');
	sc_rsc_t *c, *found = NULL, *inactive = NULL;
	bool skip_inactive = false;

	if (colon != NULL)
		*colon = 0;
	c = g_hash_table_lookup(sc->clone_of, base);
	if (c == NULL) {
		g_free(base);
		return NULL;
	}
	if (c->unique) {
		found = sc_rsc(sc, id);
		g_free(base);
		return found != NULL && found->kind == RSC_PRIMITIVE ? found : NULL;
	}
	for (guint i = 0; i < c->children->len && found == NULL; i++) {
		sc_rsc_t *inst = c->children->pdata[i];
		sc_node_t *where = active_on(inst);
		sc_rsc_t *m = member_of(inst, base);

		if (where != NULL) {
			if (where == n && m != NULL) {
				if (hist_on(m, n, true))
					skip_inactive = true;
				else
					found = m;
			}
		} else if (!skip_inactive && inactive == NULL) {
			inactive = m;
		}
	}
	if (found == NULL && !skip_inactive)
		found = inactive;
	g_free(base);
	return found;
}

/* The first primitive of an instance (a group instance's first member). */
sc_rsc_t *sc_instance_lead(sc_rsc_t *inst)
{
	while (inst != NULL && inst->kind != RSC_PRIMITIVE)
		inst = inst->children->len > 0 ? inst->children->pdata[0] : NULL;
	return inst;
}

static sc_node_t *current_node(sc_rsc_t *inst)
{
	sc_rsc_t *lead = sc_instance_lead(inst);
	return lead != NULL && lead->running_on->len > 0 ? lead->running_on->pdata[0] : NULL;
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

static void assign_instance(sc_t *sc, sc_rsc_t *inst, int *count, int limit, sc_node_t *prefer)
{
	sc_rsc_t *lead = sc_instance_lead(inst);
	GPtrArray *ls = g_ptr_array_new();
	int *save;

	if (lead == NULL || lead->assign_state != 0) {
		g_ptr_array_free(ls, TRUE);
		return;
	}
	save = sc_scores_dup(sc, lead->scores);
	for (guint k = 0; k < sc->nodes->len; k++)
		if (count[k] >= limit)
			lead->scores[k] = -INF;
	sc_assign_primitive(sc, lead, prefer);
	leaves(inst, ls);
	for (guint k = 0; k < ls->len; k++)
		sc_assign_primitive(sc, ls->pdata[k], NULL);
	g_ptr_array_free(ls, TRUE);
	(void)save;
	g_free(save);
	if (lead->assigned != NULL)
		count[lead->assigned->index]++;
}

/* Place a running instance where it runs, or leave it unplaced for the
 * second round when it may not stay. */
static void keep_instance(sc_t *sc, sc_rsc_t *inst, int *count, int limit, sc_node_t *cur)
{
	GPtrArray *ls = g_ptr_array_new();
	GPtrArray *saved = g_ptr_array_new_with_free_func(g_free);
	size_t sz = sizeof(int) * sc->nodes->len;
	sc_rsc_t *lead = sc_instance_lead(inst);

	leaves(inst, ls);
	for (guint k = 0; k < ls->len; k++) {
		sc_rsc_t *l = ls->pdata[k];
		g_ptr_array_add(saved, sc_scores_dup(sc, l->scores));
		if (l->assign_state != 0) {
			g_ptr_array_free(ls, TRUE);
			g_ptr_array_free(saved, TRUE);
			return;
		}
	}
	/* placed where it runs and nowhere else (no shuffling of instances) */
	for (guint k = 0; k < sc->nodes->len; k++)
		if ((int)k != cur->index)
			lead->scores[k] = -INF;
	assign_instance(sc, inst, count, limit, cur);
	if (lead->assigned != cur) {
		/* undo: it will be placed with the others */
		if (lead->assigned != NULL)
			count[lead->assigned->index]--;
		for (guint k = 0; k < ls->len; k++) {
			sc_rsc_t *l = ls->pdata[k];
			if (l->assigned != NULL)
				l->assigned->n_assigned--;
			memcpy(l->scores, saved->pdata[k], sz);
			l->assigned = NULL;
			l->assign_state = 0;
			l->next_role = ROLE_STOPPED;
		}
	} else {
		for (guint k = 0; k < ls->len; k++) {
			sc_rsc_t *l = ls->pdata[k];
			int keep = l->scores[cur->index];
			memcpy(l->scores, saved->pdata[k], sz);
			l->scores[cur->index] = keep;
		}
	}
	g_ptr_array_free(ls, TRUE);
	g_ptr_array_free(saved, TRUE);
}

void sc_clone_assign(sc_t *sc, sc_rsc_t *c)
{
	int *count;

	if (c->assign_state != 0)
		return;
	c->assign_state = 1;
	count = g_new0(int, MAX(sc->nodes->len, 1));
	/* running instances first, each where it runs if it may stay, but no
	 * more per node than an even spread over the usable nodes needs */
	int usable = 0, even;
	for (guint k = 0; k < sc->nodes->len; k++)
		usable += sc_can_run(sc, sc->nodes->pdata[k]);
	even = usable > 0 ? c->clone_max / usable : 0;
	even = MIN(even, c->clone_node_max);
	for (guint i = 0; i < c->children->len; i++) {
		sc_rsc_t *inst = c->children->pdata[i];
		sc_node_t *cur = current_node(inst);
		if (cur != NULL && count[cur->index] < even)
			keep_instance(sc, inst, count, even, cur);
	}
	/* then the rest, failed instances last */
	for (int failed = 0; failed < 2; failed++)
		for (guint i = 0; i < c->children->len; i++) {
			sc_rsc_t *inst = c->children->pdata[i];
			sc_rsc_t *lead = sc_instance_lead(inst);
			if (lead != NULL && (int)lead->failed == failed)
				assign_instance(sc, inst, count, c->clone_node_max, NULL);
		}
	g_free(count);
	c->assign_state = 2;
	if (c->promotable)
		sc_clone_promote(sc, c);
}

/* Is an instance of c placed on n in role `role`? */
bool sc_clone_role_on(const sc_rsc_t *c, const sc_node_t *n, sc_role_t role)
{
	for (guint i = 0; i < c->children->len; i++) {
		sc_rsc_t *lead = sc_instance_lead(c->children->pdata[i]);
		if (lead != NULL && lead->assigned == n && lead->next_role == role)
			return true;
	}
	return false;
}

/* Nodes where some instance of clone c was placed. */
bool sc_clone_on(const sc_rsc_t *c, const sc_node_t *n)
{
	for (guint i = 0; i < c->children->len; i++) {
		sc_rsc_t *lead = sc_instance_lead(c->children->pdata[i]);
		if (lead != NULL && lead->assigned == n)
			return true;
	}
	return false;
}

/* ------------------------------------------------------------ promotion */

static int promotion_attr(const sc_rsc_t *inst, const sc_node_t *n, bool *found)
{
	char *name;
	const char *v = NULL;

	/* the name its history is kept under, then its own, then the clone's */
	if (inst->clone_name != NULL) {
		name = g_strdup_printf("master-%s", inst->clone_name);
		v = g_hash_table_lookup(n->attrs, name);
		g_free(name);
	}
	if (v == NULL) {
		name = g_strdup_printf("master-%s", inst->id);
		v = g_hash_table_lookup(n->attrs, name);
		g_free(name);
	}
	if (v == NULL && inst->base != NULL) {
		name = g_strdup_printf("master-%s", inst->base);
		v = g_hash_table_lookup(n->attrs, name);
		g_free(name);
	}
	*found = v != NULL;
	return v != NULL ? sc_score(v, 0) : 0;
}

static bool names(const sc_rsc_t *r, const sc_rsc_t *target)
{
	for (; r != NULL; r = r->parent)
		if (r == target)
			return true;
	return false;
}

/* How much instance `inst` wants to be promoted where it was placed. */
static int promotion_score(sc_t *sc, sc_rsc_t *c, sc_rsc_t *inst, bool *can)
{
	sc_node_t *n = sc_instance_lead(inst)->assigned;
	bool found = false;
	int score = 0;

	if (inst->kind == RSC_PRIMITIVE) {
		score = promotion_attr(inst, n, &found);
	} else {
		/* a cloned group: its members' scores together */
		for (guint i = 0; i < inst->children->len; i++) {
			bool f;
			int s = promotion_attr(inst->children->pdata[i], n, &f);
			if (f) {
				score = vg_score_add(score, s);
				found = true;
			}
		}
	}
	*can = found;
	for (guint i = 0; i < sc->locations->len; i++) {
		sc_location_t *l = sc->locations->pdata[i];
		int s = g_array_index(l->scores, int, n->index);
		if (l->role != ROLE_PROMOTED || !names(inst, l->rsc) || s == G_MININT)
			continue;
		score = vg_score_add(score, s);
		*can = true;
	}
	for (guint i = 0; i < sc->colocs->len; i++) {
		sc_coloc_t *co = sc->colocs->pdata[i];
		sc_node_t *other;
		if (co->score == 0)
			continue;
		if (co->dep_role == ROLE_PROMOTED &&
		    (co->dep == c || names(inst, co->dep) || names(co->dep, inst)) &&
		    co->prim->kind == RSC_PRIMITIVE) {
			other = co->prim->assigned;
			if (other == n) {
				score = vg_score_add(score, co->score);
				/* to be promoted with what is placed here */
				if (co->score >= INF)
					*can = true;
			} else if (co->score >= INF)
				score = -INF;
		} else if (co->dep_role == ROLE_UNPROMOTED &&
		           (co->dep == c || names(inst, co->dep) || names(co->dep, inst)) &&
		           co->prim->kind == RSC_PRIMITIVE) {
			/* Unpromoted instances belong with it: the one placed
			 * there is the one not to promote (and the other way
			 * round for a negative score) */
			if (co->prim->assigned == n)
				score = vg_score_add(score, co->score >= INF    ? -INF
				                            : co->score <= -INF ? INF
				                                                : -co->score);
		} else if (co->prim_role == ROLE_PROMOTED && co->prim == c &&
		           co->dep->kind == RSC_PRIMITIVE && co->influence) {
			/* what wants to be with the promoted instance pulls it */
			int *pw = g_new0(int, MAX(sc->nodes->len, 1));
			int d;
			sc_pull_weights(sc, co->dep, pw);
			d = pw[n->index];
			g_free(pw);
			if (d != G_MININT && d != 0) {
				double f = (double)co->score / INF * d;
				int add = (int)(f < 0 ? f - 0.5 : f + 0.5);
				score = vg_score_add(score, add);
			}
		}
	}
	return score;
}

typedef struct cand {
	sc_rsc_t *inst;
	int score;
	bool promoted_now;
} cand_t;

static gint by_promotion(gconstpointer a, gconstpointer b)
{
	const cand_t *x = a, *y = b;

	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	if (x->promoted_now != y->promoted_now)
		return x->promoted_now ? -1 : 1;
	return x->inst->instance - y->inst->instance;
}

static void set_role(sc_rsc_t *inst, sc_role_t role)
{
	if (inst->kind == RSC_PRIMITIVE) {
		if (inst->assigned != NULL)
			inst->next_role = role;
		return;
	}
	for (guint i = 0; i < inst->children->len; i++)
		set_role(inst->children->pdata[i], role);
}

/* Without quorum, no-quorum-policy=demote demotes promotable instances
 * (and stops everything else, as "stop" does). */
bool sc_quorum_demotes(const sc_t *sc)
{
	return !sc->have_quorum && !strcmp(sc->no_quorum_policy, "demote");
}

/* Choose the promoted instances of promotable clone c (after placement). */
void sc_clone_promote(sc_t *sc, sc_rsc_t *c)
{
	if (c->promoted_done)
		return;
	c->promoted_done = true;
	GArray *cands = g_array_new(FALSE, FALSE, sizeof(cand_t));
	int *per_node = g_new0(int, MAX(sc->nodes->len, 1));
	int promoted = 0;

	for (guint i = 0; i < c->children->len; i++) {
		sc_rsc_t *inst = c->children->pdata[i];
		sc_rsc_t *lead = sc_instance_lead(inst);
		cand_t cd = {inst, 0, false};
		bool can;

		if (lead == NULL || lead->assigned == NULL)
			continue;
		set_role(inst, ROLE_UNPROMOTED);
		cd.promoted_now = lead->role == ROLE_PROMOTED;
		if (!lead->managed) {
			/* left as it is, and a promoted one takes its place */
			if (cd.promoted_now) {
				set_role(inst, ROLE_PROMOTED);
				per_node[lead->assigned->index]++;
				promoted++;
			}
			continue;
		}
		cd.score = promotion_score(sc, c, inst, &can);
		/* no-quorum-policy=demote: nothing is promoted without quorum */
		if (!can || cd.score < 0 || sc_quorum_demotes(sc))
			continue;
		g_array_append_val(cands, cd);
	}
	g_array_sort(cands, by_promotion);
	for (guint i = 0; i < cands->len && promoted < c->promoted_max; i++) {
		cand_t *cd = &g_array_index(cands, cand_t, i);
		sc_node_t *n = sc_instance_lead(cd->inst)->assigned;
		if (per_node[n->index] >= c->promoted_node_max)
			continue;
		per_node[n->index]++;
		promoted++;
		set_role(cd->inst, ROLE_PROMOTED);
	}
	g_array_free(cands, TRUE);
	g_free(per_node);
}

/* Ban r from node n; for an anonymous clone instance, every instance. */
void sc_ban(sc_rsc_t *r, sc_node_t *n)
{
	sc_rsc_t *c = r->clone;

	if (c == NULL || c->unique || r->base == NULL) {
		r->scores[n->index] = -INF;
		return;
	}
	for (guint i = 0; i < c->children->len; i++) {
		sc_rsc_t *m = member_of(c->children->pdata[i], r->base);
		if (m != NULL)
			m->scores[n->index] = -INF;
	}
}
