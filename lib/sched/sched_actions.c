/*
 * sched_actions.c: the actions each resource needs: probes where its state
 * is unknown, stops where it runs but should not (or must restart), the
 * start where it was placed, recurring monitors (per role, including
 * role=Stopped monitors), and the pseudo actions of groups.
 *
 * Owns the action table (creation, lookup by key and node) and the initial
 * required / runnable flags; orderings and their effects on those flags
 * live in sched_ordering.c.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define VG_LOG_SUBSYS "sched"
#include <string.h>

#include "sched_private.h"

char *sc_op_key(const char *rsc, const char *task, guint interval_ms)
{
	return g_strdup_printf("%s_%s_%u", rsc, task, interval_ms);
}

static char *table_key(const char *key, const sc_node_t *n)
{
	return g_strdup_printf("%s@%s", key, n != NULL ? n->name : "");
}

/* A resource's actions are found in its own short list (no key strings). */
sc_action_t *sc_find_action(sc_t *sc, sc_rsc_t *rsc, const char *task, guint interval_ms,
                            sc_node_t *node)
{
	(void)sc;
	for (guint i = 0; rsc->actions != NULL && i < rsc->actions->len; i++) {
		sc_action_t *a = rsc->actions->pdata[i];
		if (a->node == node && a->interval_ms == interval_ms && !strcmp(a->task, task))
			return a;
	}
	return NULL;
}

static sc_action_t *new_action(sc_t *sc, char *key, const char *task, guint iv, sc_rsc_t *rsc,
                               sc_node_t *node, unsigned flags)
{
	return sc_action_new(sc, key, task, iv, rsc, node, flags);
}

sc_action_t *sc_action_new(sc_t *sc, char *key, const char *task, guint iv, sc_rsc_t *rsc,
                           sc_node_t *node, unsigned flags)
{
	sc_action_t *a = g_new0(sc_action_t, 1);

	a->seq = (int)sc->actions->len;
	a->key = key;
	a->task = g_strdup(task);
	a->interval_ms = iv;
	a->rsc = rsc;
	a->node = node;
	a->flags = flags;
	a->before = g_ptr_array_new();
	a->after = g_ptr_array_new();
	a->meta = sc_strtable();
	if (rsc != NULL && rsc->kind == RSC_PRIMITIVE)
		a->op = sc_find_op(rsc, task, iv);
	g_ptr_array_add(sc->actions, a);
	if (rsc != NULL) {
		if (rsc->actions == NULL)
			rsc->actions = g_ptr_array_new();
		g_ptr_array_add(rsc->actions, a);
	} else {
		g_hash_table_insert(sc->action_by_key, table_key(key, node), a);
	}
	return a;
}

sc_action_t *sc_action(sc_t *sc, sc_rsc_t *rsc, const char *task, guint interval_ms,
                       sc_node_t *node, unsigned flags)
{
	sc_action_t *a = sc_find_action(sc, rsc, task, interval_ms, node);

	if (a != NULL)
		return a;
	return new_action(sc, sc_op_key(rsc->id, task, interval_ms), task, interval_ms, rsc, node,
	                  flags);
}

/* A pseudo action of no resource, found by its key. */
sc_action_t *sc_pseudo_node(sc_t *sc, const char *key)
{
	return new_action(sc, g_strdup(key), key, 0, NULL, NULL,
	                  ACT_PSEUDO | ACT_RUNNABLE | ACT_OPTIONAL);
}

sc_action_t *sc_pseudo(sc_t *sc, const char *key, const char *task, sc_rsc_t *rsc)
{
	sc_action_t *a = sc_find_action(sc, rsc, task, 0, NULL);

	if (a != NULL)
		return a;
	return new_action(sc, g_strdup(key), task, 0, rsc, NULL,
	                  ACT_PSEUDO | ACT_RUNNABLE | ACT_OPTIONAL);
}

void sc_require(sc_action_t *a, const char *reason)
{
	if (!(a->flags & ACT_OPTIONAL))
		return;
	a->flags &= ~ACT_OPTIONAL;
	if (reason != NULL && a->reason == NULL)
		a->reason = g_strdup(reason);
}

void sc_unrunnable(sc_action_t *a)
{
	a->flags &= ~ACT_RUNNABLE;
}

static bool needs_restart(sc_t *sc, sc_rsc_t *r, sc_hist_t *h)
{
	(void)sc;
	(void)r;
	return h->failed || h->digest_changed || h->type_changed;
}

static bool probed_on(sc_rsc_t *r, sc_node_t *n)
{
	for (guint k = 0; k < r->hist->len; k++) {
		sc_hist_t *h = r->hist->pdata[k];
		if (h->node == n && h->probed)
			return true;
	}
	return false;
}

/* Anonymous clones are probed once per node: by the instance placed there,
 * else by the first instance; none when any instance is known there. */
static bool probe_owner(sc_rsc_t *r, sc_node_t *n)
{
	sc_rsc_t *c = r->clone, *owner = NULL, *first = NULL;

	for (guint i = 0; i < c->children->len; i++) {
		sc_rsc_t *inst = c->children->pdata[i];
		sc_rsc_t *m = inst;
		if (inst->kind != RSC_PRIMITIVE) {
			m = NULL;
			for (guint k = 0; k < inst->children->len; k++)
				if (!g_strcmp0(((sc_rsc_t *)inst->children->pdata[k])->base,
				               r->base))
					m = inst->children->pdata[k];
		}
		if (m == NULL)
			continue;
		if (probed_on(m, n))
			return false;
		if (first == NULL)
			first = m;
		if (owner == NULL && sc_instance_lead(inst) != NULL &&
		    sc_instance_lead(inst)->assigned == n)
			owner = m;
	}
	if (owner == NULL)
		owner = first;
	return owner == r;
}

static void probes(sc_t *sc, sc_rsc_t *r)
{
	if (!sc->startup_probes || r->orphan)
		return;
	for (guint i = 0; i < sc->nodes->len; i++) {
		sc_node_t *n = sc->nodes->pdata[i];
		sc_hist_t *h = NULL;
		sc_action_t *p;
		bool never = false;

		if (!n->online || n->unclean || n->pending)
			continue;
		for (guint k = 0; k < r->hist->len; k++)
			if (((sc_hist_t *)r->hist->pdata[k])->node == n)
				h = r->hist->pdata[k];
		if (h != NULL && h->probed)
			continue;
		if (r->clone != NULL && !r->clone->unique && !probe_owner(r, n))
			continue;
		for (guint k = 0; k < sc->locations->len; k++) {
			sc_location_t *l = sc->locations->pdata[k];
			sc_rsc_t *lr = r;
			bool mine = false;
			for (; lr != NULL; lr = lr->parent)
				mine |= l->rsc == lr;
			if (!mine)
				continue;
			if (l->discovery_never && g_array_index(l->scores, int, i) != G_MININT)
				never = true;
			if (l->discovery_exclusive && g_array_index(l->scores, int, i) == G_MININT)
				never = true;
		}
		if (never)
			continue;
		p = sc_action(sc, r, "monitor", 0, n, ACT_RUNNABLE | ACT_PROBE);
		g_hash_table_replace(p->meta, g_strdup("op_target_rc"), g_strdup("7"));
	}
}

static bool op_applies(const sc_op_t *op, sc_role_t role)
{
	if (op->interval_ms == 0 || !op->enabled || strcmp(op->name, "monitor"))
		return false;
	if (op->role == ROLE_UNKNOWN)
		return role == ROLE_STARTED || role == ROLE_UNPROMOTED;
	return op->role == role;
}

static void monitors(sc_t *sc, sc_rsc_t *r)
{
	sc_node_t *next = r->assigned;

	for (guint i = 0; i < r->ops->len; i++) {
		sc_op_t *op = r->ops->pdata[i];

		if (next != NULL && op_applies(op, r->next_role)) {
			sc_action_t *m = sc_action(sc, r, op->name, op->interval_ms, next,
			                           ACT_RUNNABLE | ACT_OPTIONAL);
			sc_hist_t *h = sc_hist(r, next);
			char *key = sc_op_key(r->id, op->name, op->interval_ms);
			const sc_lrm_op_t *rec =
			    h->recurring != NULL ? g_hash_table_lookup(h->recurring, key) : NULL;
			if (rec == NULL ||
			    (r->managed && r->start != NULL && !(r->start->flags & ACT_OPTIONAL)) ||
			    !sc_recurring_digest_ok(r, op, rec) || h->reload_only)
				sc_require(m, NULL);
			if (r->maintenance || next->maintenance)
				m->flags |= ACT_OPTIONAL; /* nothing is monitored in maintenance */
			g_free(key);
		}
		if (op_applies(op, ROLE_STOPPED) && r->managed) {
			for (guint k = 0; k < sc->nodes->len; k++) {
				sc_node_t *n = sc->nodes->pdata[k];
				sc_action_t *m;
				char *key;
				if (n == next || !n->online || n->unclean || n->pending)
					continue;
				m = sc_action(sc, r, op->name, op->interval_ms, n,
				              ACT_RUNNABLE | ACT_OPTIONAL);
				m->meta = m->meta;
				g_hash_table_replace(m->meta, g_strdup("op_target_rc"),
				                     g_strdup("7"));
				key = sc_op_key(r->id, op->name, op->interval_ms);
				sc_hist_t *hn = sc_hist(r, n);
				if (hn->recurring == NULL ||
				    !g_hash_table_contains(hn->recurring, key))
					sc_require(m, NULL);
				g_free(key);
			}
		}
	}
}

/* Parameters that can change without a restart: reload where it stays. */
static void reloads(sc_t *sc, sc_rsc_t *r)
{
	sc_node_t *next = r->assigned;
	sc_hist_t *h;
	sc_action_t *rl;

	if (next == NULL || !(r->start->flags & ACT_OPTIONAL) || !r->managed)
		return;
	h = sc_hist(r, next);
	if (!h->reload_only || h->role <= ROLE_STOPPED)
		return;
	rl = sc_action(sc, r, "reload-agent", 0, next, ACT_RUNNABLE);
	(void)rl;
}

/*
 * allow-migrate: a healthy resource moving between two healthy nodes is
 * migrated (migrate_to on the source, migrate_from on the target, then the
 * stop there; the start becomes a pseudo action).
 */
/* Is the last entry of h a successful migrate_to towards next? */
static bool migrate_to_done(const sc_hist_t *h, const sc_node_t *next)
{
	const sc_lrm_op_t *last = NULL;

	for (guint k = 0; h->lrm_rsc != NULL && k < h->lrm_rsc->n_ops; k++) {
		const sc_lrm_op_t *op = &h->lrm_rsc->ops[k];
		if (op->interval_ms == 0 && (last == NULL || op->call > last->call))
			last = op;
	}
	return last != NULL && !g_strcmp0(last->task, "migrate_to") && last->rc == 0 &&
	       last->status == 0 && !g_strcmp0(last->migrate_target, next->name);
}

static void migration(sc_t *sc, sc_rsc_t *r)
{
	sc_node_t *cur, *next = r->assigned;
	sc_action_t *to, *from, *stop;

	if (!sc_true(g_hash_table_lookup(r->meta, "allow-migrate")) || !r->managed || r->failed ||
	    r->blocked || r->running_on->len != 1 || next == NULL || r->clone != NULL || r->pending)
		return;
	cur = r->running_on->pdata[0];
	if (cur == next || !cur->online || cur->unclean || cur->fenced ||
	    !(r->start->flags & ACT_RUNNABLE) || (r->start->flags & ACT_OPTIONAL))
		return;
	stop = sc_find_action(sc, r, "stop", 0, cur);
	if (stop == NULL || !(stop->flags & ACT_RUNNABLE))
		return;
	r->migrating = true;
	to = sc_action(sc, r, "migrate_to", 0, cur, ACT_RUNNABLE);
	/* a migration begun towards next (its migrate_to done, the last thing
	 * recorded here) is completed: migrate_from and the stop remain */
	if (migrate_to_done(sc_hist(r, cur), next))
		to->flags |= ACT_OPTIONAL;
	from = sc_action(sc, r, "migrate_from", 0, next, ACT_RUNNABLE);
	for (int i = 0; i < 2; i++) {
		sc_action_t *m = i == 0 ? to : from;
		g_hash_table_replace(m->meta, g_strdup("migrate_source"), g_strdup(cur->name));
		g_hash_table_replace(m->meta, g_strdup("migrate_target"), g_strdup(next->name));
	}
	r->start->flags |= ACT_PSEUDO;
}

/* Promotable instances: promote where it should become Promoted, demote
 * where it is Promoted and will not stay so (or stops). */
static void roles(sc_t *sc, sc_rsc_t *r)
{
	sc_node_t *next = r->assigned;

	/* a primitive found promoted (no promotable clone around it) goes
	 * down through demote, wherever it is active */
	if (r->clone == NULL && r->role == ROLE_PROMOTED)
		for (guint i = 0; i < r->running_on->len; i++)
			sc_action(sc, r, "demote", 0, r->running_on->pdata[i],
			          ACT_RUNNABLE | ACT_OPTIONAL);
	if (r->clone == NULL || !r->clone->promotable)
		return;
	if (next != NULL && r->next_role == ROLE_PROMOTED) {
		sc_action_t *p = sc_action(sc, r, "promote", 0, next, ACT_RUNNABLE | ACT_OPTIONAL);
		sc_hist_t *h = sc_hist(r, next);
		if (h->role != ROLE_PROMOTED || !(r->start->flags & ACT_OPTIONAL))
			sc_require(p, NULL);
		if (!(r->start->flags & ACT_RUNNABLE) || !r->managed)
			sc_unrunnable(p);
	}
	for (guint i = 0; i < r->running_on->len; i++) {
		sc_node_t *n = r->running_on->pdata[i];
		sc_hist_t *h = sc_hist(r, n);
		sc_action_t *stop = sc_find_action(sc, r, "stop", 0, n), *d;

		if (h->role != ROLE_PROMOTED)
			continue;
		d = sc_action(sc, r, "demote", 0, n, ACT_RUNNABLE | ACT_OPTIONAL);
		if (n != next || r->next_role != ROLE_PROMOTED ||
		    (stop != NULL && !(stop->flags & ACT_OPTIONAL)))
			sc_require(d, NULL);
		if (!r->managed || (stop != NULL && !(stop->flags & ACT_RUNNABLE)))
			sc_unrunnable(d);
		if (n->unclean)
			d->flags |= ACT_PSEUDO;
	}
}

static void primitive_actions(sc_t *sc, sc_rsc_t *r)
{
	sc_node_t *next = r->assigned;
	bool restart = false;
	bool blocked = r->blocked;

	/* a block on a node being fenced ends with the fencing */
	if (blocked) {
		blocked = false;
		for (guint i = 0; i < r->running_on->len; i++)
			blocked |= !((sc_node_t *)r->running_on->pdata[i])->fenced;
		r->blocked = blocked;
	}
	bool unexpected_only = false; /* multiple-active=stop_unexpected: keep it where it stays */

	for (guint i = 0; next != NULL && i < r->running_on->len; i++)
		unexpected_only |= r->running_on->pdata[i] == next;
	unexpected_only = unexpected_only && r->running_on->len > 1 &&
	                  !strcmp(r->multiple_active, "stop_unexpected");
	probes(sc, r);
	/* stops where it runs and should not, or must restart */
	for (guint i = 0; i < r->running_on->len; i++) {
		sc_node_t *n = r->running_on->pdata[i];
		sc_hist_t *h = sc_hist(r, n);
		sc_action_t *s;

		if (unexpected_only && n == next && !needs_restart(sc, r, h))
			continue; /* stays running where it is */
		s = sc_action(sc, r, "stop", 0, n, ACT_RUNNABLE | ACT_OPTIONAL);
		if (r->stop_first == NULL)
			r->stop_first = s;
		if (n != next || (r->running_on->len > 1 && !unexpected_only))
			sc_require(s, NULL);
		if (n == next && needs_restart(sc, r, h)) {
			sc_require(s, NULL);
			restart = true;
		}
		if (!r->managed || blocked)
			sc_unrunnable(s);
		if (n->unclean && n->fenced) {
			s->flags |= ACT_PSEUDO;
		} else if (n->unclean && !n->online) {
			/* a lost node we may not fence: nothing can stop it */
			sc_unrunnable(s);
			if (s->reason == NULL)
				s->reason = g_strdup(!sc->have_quorum &&
				                             !strcmp(sc->no_quorum_policy, "stop")
				                         ? "no quorum"
				                         : "");
		}
	}
	r->start = sc_action(sc, r, "start", 0, next, ACT_RUNNABLE | ACT_OPTIONAL);
	if (next == NULL) {
		sc_unrunnable(r->start);
	} else {
		bool there = false;
		for (guint i = 0; i < r->running_on->len; i++)
			there |= r->running_on->pdata[i] == next;
		if (!there || restart || r->running_on->len > 1)
			sc_require(r->start, NULL);
		/* it already runs there: the "start" only orders what follows */
		if (unexpected_only && !restart)
			r->start->flags |= ACT_PSEUDO;
	}
	/* an unmanaged resource stays as it is: its start is a no-op where it
	 * runs (so what depends on it is not held back) and impossible elsewhere */
	if ((!r->managed || blocked) && !(r->start->flags & ACT_OPTIONAL))
		sc_unrunnable(r->start);
	/* demote: promotable instances keep running (unpromoted) */
	if (!sc->have_quorum && strcmp(sc->no_quorum_policy, "ignore") &&
	    strcmp(r->requires, "nothing") &&
	    !(sc_quorum_demotes(sc) && r->clone != NULL && r->clone->promotable)) {
		bool stop_policy = strcmp(sc->no_quorum_policy, "freeze") != 0;
		const char *why = stop_policy ? "no quorum" : "quorum freeze";

		/* freeze: only what is active here may start (also elsewhere) */
		if (next != NULL && (stop_policy || r->running_on->len == 0)) {
			sc_unrunnable(r->start);
			if (r->start->reason == NULL)
				r->start->reason = g_strdup(why);
		}
		/* without quorum nothing keeps running */
		for (guint i = 0; stop_policy && i < r->running_on->len; i++) {
			sc_node_t *n = r->running_on->pdata[i];
			sc_action_t *s = sc_find_action(sc, r, "stop", 0, n);
			if (s != NULL && !n->fenced) {
				sc_require(s, why);
				if (s->reason == NULL)
					s->reason = g_strdup(why);
			}
		}
	}
	/* a node still joining may run it already: no start before it was probed */
	if (next != NULL && (r->start->flags & ACT_RUNNABLE) && !(r->start->flags & ACT_OPTIONAL))
		for (guint i = 0; i < sc->nodes->len; i++) {
			sc_node_t *n = sc->nodes->pdata[i];
			sc_hist_t *h = NULL;
			if (!n->pending || n->state == NULL ||
			    !sc_true(vg_xml_get(n->state, "in_ccm")))
				continue;
			for (guint k = 0; k < r->hist->len; k++)
				if (((sc_hist_t *)r->hist->pdata[k])->node == n)
					h = r->hist->pdata[k];
			if (h == NULL || !h->probed) {
				sc_unrunnable(r->start);
				if (r->start->reason == NULL)
					r->start->reason = g_strdup("");
				break;
			}
		}
	reloads(sc, r);
	migration(sc, r);
	roles(sc, r);
	monitors(sc, r);
}

/*
 * History housekeeping on each node: recurring operations no longer wanted
 * there are cancelled (unless a stop ends them anyway), orphans' history is
 * deleted once they are stopped, and fail-counts that expired or belong to
 * orphans are cleared.
 */
static bool has_failcount(sc_node_t *n, const char *id)
{
	GHashTableIter it;
	gpointer k;
	size_t l = strlen(id);

	g_hash_table_iter_init(&it, n->attrs);
	while (g_hash_table_iter_next(&it, &k, NULL))
		if (g_str_has_prefix(k, "fail-count-") && !strncmp((char *)k + 11, id, l) &&
		    (((char *)k)[11 + l] == 0 || ((char *)k)[11 + l] == '#'))
			return true;
	return false;
}

static bool op_applies(const sc_op_t *op, sc_role_t role);

static bool stop_required(sc_t *sc, sc_rsc_t *r, sc_node_t *n)
{
	sc_action_t *stop = sc_find_action(sc, r, "stop", 0, n);
	return stop != NULL && !(stop->flags & ACT_OPTIONAL) && (stop->flags & ACT_RUNNABLE);
}

/* The configured op with this name and interval, preferring one for `role`
 * (a Promoted and an Unpromoted monitor may share an interval). */
static sc_op_t *op_for_role(sc_rsc_t *r, const char *name, guint iv, sc_role_t role)
{
	sc_op_t *first = NULL;

	for (guint i = 0; i < r->ops->len; i++) {
		sc_op_t *op = r->ops->pdata[i];

		if (op->interval_ms != iv || g_strcmp0(op->name, name))
			continue;
		if (op_applies(op, role))
			return op;
		if (first == NULL)
			first = op;
	}
	return first;
}

static void cancel_unwanted(sc_t *sc, sc_rsc_t *r, sc_hist_t *h)
{
	sc_node_t *n = h->node;
	bool running_here = h->role > ROLE_STOPPED;
	GList *keys, *l;

	if (h->recurring == NULL)
		return;
	keys = g_list_sort(g_hash_table_get_keys(h->recurring), (GCompareFunc)strcmp);

	for (l = keys; l != NULL; l = l->next) {
		const sc_lrm_op_t *op = g_hash_table_lookup(h->recurring, l->data);
		const char *task = op->task;
		const char *ivs = op->interval_s;
		guint iv = ivs != NULL ? (guint)g_ascii_strtoull(ivs, NULL, 10) : 0;
		sc_op_t *cfg = task != NULL ? op_for_role(r, task, iv, r->next_role) : NULL;
		bool stopped_op = cfg != NULL && cfg->role == ROLE_STOPPED;
		bool wanted;
		sc_action_t *c;

		if (task == NULL || iv == 0 || (cfg != NULL && cfg->duplicate))
			continue; /* a duplicated definition still names it: kept */
		if (running_here && (cfg != NULL || r->orphan) && stop_required(sc, r, n))
			continue; /* the stop ends it; a monitor no longer
			           * configured is cancelled all the same */
		if (!running_here && !stopped_op)
			continue;
		wanted = cfg != NULL && cfg->enabled &&
		         (stopped_op ? r->assigned != n
		                     : (r->assigned != n || op_applies(cfg, r->next_role)));
		if (n->maintenance && running_here)
			wanted = false; /* nothing is monitored in maintenance */
		if (wanted || (cfg == NULL && !sc->stop_orphan_actions))
			continue;
		c = sc_action(sc, r, "cancel", iv, n, ACT_RUNNABLE);
		g_free(c->key);
		c->key = sc_op_key(r->id, task, iv);
		g_hash_table_replace(c->meta, g_strdup("operation"), g_strdup(task));
	}
	g_list_free(keys);
}

/* A shutdown lock past shutdown-lock-limit: the history that held it is
 * deleted (by the DC, cluster-wide: that node may be away). */
static bool lock_expired(const sc_hist_t *h)
{
	return h->lock_expired && !h->node->unclean;
}

static void housekeeping(sc_t *sc, sc_rsc_t *r)
{
	if (r->orphan)
		for (guint i = 0; i < sc->nodes->len; i++) {
			sc_node_t *n = sc->nodes->pdata[i];
			if (n->online && !n->unclean && has_failcount(n, r->id))
				sc_action(sc, r, "clear_failcount", 0, n,
				          ACT_CLUSTER | ACT_RUNNABLE);
		}
	for (guint i = 0; i < r->hist->len; i++) {
		sc_hist_t *h = r->hist->pdata[i];
		sc_node_t *n = h->node;

		if (lock_expired(h))
			sc_action(sc, r, "lrm_delete", 0, n, ACT_CLUSTER | ACT_RUNNABLE);
		if (!n->online || n->unclean)
			continue;
		if (h->type_changed && r->managed && !r->blocked && !r->failed)
			sc_action(sc, r, "delete", 0, n, ACT_RUNNABLE | ACT_OPTIONAL);
		if (!r->orphan && h->expired_failure && h->raw_fail_count > 0)
			sc_action(sc, r, "clear_failcount", 0, n, ACT_CLUSTER | ACT_RUNNABLE);
		/* a failure recorded with other parameters than today's */
		if (h->last_failure_op != NULL && r->managed &&
		    sc_failure_digest_changed(r, h->last_failure_op))
			sc_action(sc, r, "clear_failcount", 0, n, ACT_CLUSTER | ACT_RUNNABLE);
		if (r->orphan && h->probed && r->managed && r->clone == NULL)
			sc_action(sc, r, "delete", 0, n, ACT_RUNNABLE);
		cancel_unwanted(sc, r, h);
	}
}

static void group_actions(sc_t *sc, sc_rsc_t *g)
{
	char *k;
	const char *tasks[] = {"start",   "running",  "stop",   "stopped",
	                       "promote", "promoted", "demote", "demoted"};

	for (size_t i = 0; i < (g->promotable ? G_N_ELEMENTS(tasks) : 4); i++) {
		k = sc_op_key(g->id, tasks[i], 0);
		sc_pseudo(sc, k, tasks[i], g);
		g_free(k);
	}
}

void sc_create_actions(sc_t *sc)
{
	for (guint i = 0; i < sc->all->len; i++) {
		sc_rsc_t *r = sc->all->pdata[i];
		if (r->kind == RSC_PRIMITIVE) {
			primitive_actions(sc, r);
			housekeeping(sc, r);
		} else
			group_actions(sc, r);
	}
}

/* Nodes asked to shut down leave once everything there has stopped. */
static void shutdowns(sc_t *sc)
{
	for (guint i = 0; i < sc->nodes->len; i++) {
		sc_node_t *n = sc->nodes->pdata[i];
		char *key;

		if (!n->online || !n->shutdown || n->unclean)
			continue;
		key = g_strdup_printf("do_shutdown-%s", n->name);
		new_action(sc, key, "do_shutdown", 0, NULL, n, ACT_CLUSTER | ACT_RUNNABLE);
	}
}

/* Fence unclean nodes (when fencing is enabled). */
void sc_create_fencing(sc_t *sc)
{
	shutdowns(sc);
	for (guint i = 0; i < sc->nodes->len; i++) {
		sc_node_t *n = sc->nodes->pdata[i];
		char *key;
		sc_action_t *f;

		if (!n->unclean || !sc->stonith_enabled)
			continue;
		/* without quorum only members of this partition may be fenced */
		if (!sc->have_quorum && strcmp(sc->no_quorum_policy, "ignore") && !n->online)
			continue;
		key = g_strdup_printf("stonith-%s-%s", n->name, sc->stonith_action);
		f = new_action(sc, key, "stonith", 0, NULL, n, ACT_FENCE | ACT_RUNNABLE);
		n->fenced = true;
		g_hash_table_replace(f->meta, g_strdup("stonith_action"),
		                     g_strdup(sc->stonith_action));
	}
}
