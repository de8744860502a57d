/*
 * sched_notify.c: notifications of clones with notify=true.
 *
 * For each of demote, stop, start and promote that some instance really
 * does in this transition, the clone gets pre and post notifications around
 * it: every instance that is active across the step hears about it before
 * (pre) and after (post), through "notify" actions wrapped in the clone's
 * pseudo actions <clone>_pre_notify_<task>_0 / _confirmed-pre_notify_... and
 * <clone>_post_notify_<done>_0 / _confirmed-post_notify_....  The instance
 * actions carry the lists agents read (CRM_meta_notify_start_resource, ...).
 *
 * Runs after the decisions are final (sc_propagate); never changes them.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define VG_LOG_SUBSYS "sched"
#include <string.h>

#include "sched_private.h"

/* The steps in the order a transition takes them, with their "done" name. */
static const struct phase {
	const char *task, *done;
} phases[] = {
    {"demote", "demoted"},
    {"stop", "stopped"},
    {"start", "running"},
    {"promote", "promoted"},
};

/* Everything one clone's notifications need. */
typedef struct notify_run {
	sc_t *sc;
	sc_rsc_t *clone;
	GPtrArray *prims;  /* sc_rsc_t *: every primitive instance (or member) */
	GHashTable *lists; /* CRM_meta name (without prefix) -> value */
} notify_run_t;

static void leaves(sc_rsc_t *r, GPtrArray *out)
{
	if (r->kind == RSC_PRIMITIVE) {
		g_ptr_array_add(out, r);
		return;
	}
	for (guint i = 0; i < r->children->len; i++)
		leaves(r->children->pdata[i], out);
}

/* The instance's `task` action that really happens (any node), else NULL. */
static sc_action_t *required_action(sc_t *sc, sc_rsc_t *p, const char *task)
{
	(void)sc;
	for (guint i = 0; p->actions != NULL && i < p->actions->len; i++) {
		sc_action_t *a = p->actions->pdata[i];

		if (a->interval_ms == 0 && a->node != NULL && !(a->flags & ACT_OPTIONAL) &&
		    !strcmp(a->task, task))
			return a;
	}
	return NULL;
}

/* One "X_resource" / "X_uname" pair of lists; empty lists are a blank, as
 * agents have always seen them. */
static void add_list(GHashTable *lists, const char *name, GString *rscs, GString *unames)
{
	g_hash_table_replace(lists, g_strdup_printf("notify_%s_resource", name),
	                     g_strdup(rscs->len ? rscs->str : " "));
	if (unames != NULL)
		g_hash_table_replace(lists, g_strdup_printf("notify_%s_uname", name),
		                     g_strdup(unames->len ? unames->str : " "));
}

static void append(GString *s, const char *word)
{
	if (s->len)
		g_string_append_c(s, ' ');
	g_string_append(s, word);
}

/* The lists of who is active, starting, stopping, ... (instance order). */
static void build_lists(notify_run_t *nr)
{
	enum { ACTIVE, INACTIVE, PROMOTED, UNPROMOTED, START, STOP, PROMOTE, DEMOTE, N_LISTS };
	static const char *const names[N_LISTS] = {"active", "inactive", "promoted", "unpromoted",
	                                           "start",  "stop",     "promote",  "demote"};
	GString *r[N_LISTS], *u[N_LISTS];

	for (int k = 0; k < N_LISTS; k++) {
		r[k] = g_string_new("");
		u[k] = g_string_new("");
	}
	for (guint i = 0; i < nr->prims->len; i++) {
		sc_rsc_t *p = nr->prims->pdata[i];
		sc_node_t *cur = p->running_on->len ? p->running_on->pdata[0] : NULL;

		if (p->role > ROLE_STOPPED && cur != NULL) {
			int k = p->role == ROLE_PROMOTED     ? PROMOTED
			        : p->role == ROLE_UNPROMOTED ? UNPROMOTED
			                                     : -1;
			append(r[ACTIVE], p->id);
			append(u[ACTIVE], cur->name);
			if (k >= 0) {
				append(r[k], p->id);
				append(u[k], cur->name);
			}
		} else {
			append(r[INACTIVE], p->id);
		}
		for (int k = START; k <= DEMOTE; k++) {
			sc_action_t *a = required_action(nr->sc, p, names[k]);
			if (a != NULL) {
				append(r[k], p->id);
				append(u[k], a->node->name);
			}
		}
	}
	for (int k = 0; k < N_LISTS; k++)
		add_list(nr->lists, names[k], r[k], k == INACTIVE ? NULL : u[k]);
	/* the names agents written before the role rename still read */
	add_list(nr->lists, "master", r[PROMOTED], u[PROMOTED]);
	add_list(nr->lists, "slave", r[UNPROMOTED], u[UNPROMOTED]);
	for (int k = 0; k < N_LISTS; k++) {
		g_string_free(r[k], TRUE);
		g_string_free(u[k], TRUE);
	}
}

static void copy_lists(notify_run_t *nr, sc_action_t *a)
{
	GHashTableIter it;
	gpointer k, v;

	g_hash_table_iter_init(&it, nr->lists);
	while (g_hash_table_iter_next(&it, &k, &v))
		g_hash_table_replace(a->meta, g_strdup(k), g_strdup(v));
}

static sc_action_t *wrapper(notify_run_t *nr, const char *kind, const char *task, bool runnable)
{
	char *key = g_strdup_printf("%s_%s_notify_%s_0", nr->clone->id, kind, task);
	char *ptask = g_strdup_printf("%s_notify_%s", kind, task);
	sc_action_t *a = sc_pseudo(nr->sc, key, ptask, nr->clone);

	a->flags &= ~ACT_OPTIONAL;
	if (!runnable)
		a->flags &= ~ACT_RUNNABLE;
	g_free(ptask);
	g_free(key);
	return a;
}

/* Tell instance p on node n, between the wrapper `w` and its confirmation. */
static void notify(notify_run_t *nr, sc_rsc_t *p, sc_node_t *n, const char *kind, const char *task,
                   sc_action_t *w, sc_action_t *confirm)
{
	sc_action_t *a;

	if (!n->online || !(w->flags & ACT_RUNNABLE))
		return;
	a = sc_action_new(nr->sc, g_strdup_printf("%s_%s_notify_%s_0", p->id, kind, task), "notify",
	                  0, p, n, ACT_RUNNABLE);
	g_hash_table_replace(a->meta, g_strdup("notify_type"), g_strdup(kind));
	g_hash_table_replace(a->meta, g_strdup("notify_operation"), g_strdup(task));
	g_hash_table_replace(a->meta, g_strdup("notify_key_type"), g_strdup(kind));
	g_hash_table_replace(a->meta, g_strdup("notify_key_operation"), g_strdup(task));
	copy_lists(nr, a);
	sc_order(nr->sc, w, a, ORD_OPTIONAL);
	sc_order(nr->sc, a, confirm, ORD_OPTIONAL);
	/* the instance's own step waits for the pre notifications */
	if (!strcmp(kind, "pre")) {
		sc_action_t *own = required_action(nr->sc, p, task);
		if (own != NULL)
			sc_order(nr->sc, confirm, own, ORD_OPTIONAL);
	}
}

/* One step: the wrappers, then who hears about it (Pacemaker's rules: an
 * instance leaving hears before but not after, one arriving after but not
 * before, one staying both). */
static sc_action_t *phase_notify(notify_run_t *nr, const struct phase *ph, sc_action_t *prev_done)
{
	sc_t *sc = nr->sc;
	sc_action_t *step = sc_find_action(sc, nr->clone, ph->task, 0, NULL);
	sc_action_t *done = sc_find_action(sc, nr->clone, ph->done, 0, NULL);
	sc_action_t *pre, *pre_done, *post, *post_done;
	bool any = false;
	bool leaving = !strcmp(ph->task, "stop") || !strcmp(ph->task, "demote");

	for (guint i = 0; i < nr->prims->len && !any; i++)
		any = required_action(sc, nr->prims->pdata[i], ph->task) != NULL;
	if (!any)
		return prev_done;
	pre = wrapper(nr, "pre", ph->task, true);
	pre_done = wrapper(nr, "confirmed-pre", ph->task, true);
	post = wrapper(nr, "post", ph->done, done == NULL || (done->flags & ACT_RUNNABLE));
	post_done = wrapper(nr, "confirmed-post", ph->done, post->flags & ACT_RUNNABLE);
	sc_order(sc, pre, pre_done, ORD_OPTIONAL);
	if (step != NULL)
		sc_order(sc, pre_done, step, ORD_OPTIONAL);
	if (done != NULL)
		sc_order(sc, done, post, ORD_OPTIONAL);
	sc_order(sc, post, post_done, ORD_OPTIONAL);
	if (prev_done != NULL)
		sc_order(sc, prev_done, pre, ORD_OPTIONAL);

	for (guint i = 0; i < nr->prims->len; i++) {
		sc_rsc_t *p = nr->prims->pdata[i];
		sc_action_t *stop = required_action(sc, p, "stop");
		sc_action_t *start = required_action(sc, p, "start");
		sc_action_t *own = required_action(sc, p, ph->task);

		if (own != NULL)
			copy_lists(nr, own);
		if (leaving && p->role > ROLE_STOPPED)
			for (guint k = 0; k < p->running_on->len; k++) {
				sc_node_t *n = p->running_on->pdata[k];

				notify(nr, p, n, "pre", ph->task, pre, pre_done);
				if (!strcmp(ph->task, "demote") || stop == NULL)
					notify(nr, p, n, "post", ph->task, post, post_done);
			}
		if (!leaving && p->next_role > ROLE_STOPPED && p->assigned != NULL) {
			if (strcmp(ph->task, "start") || start == NULL)
				notify(nr, p, p->assigned, "pre", ph->task, pre, pre_done);
			notify(nr, p, p->assigned, "post", ph->task, post, post_done);
		}
	}
	return post_done;
}

static void clone_notify(sc_t *sc, sc_rsc_t *c)
{
	notify_run_t nr = {.sc = sc, .clone = c};
	sc_action_t *prev = NULL;

	nr.prims = g_ptr_array_new();
	nr.lists = sc_strtable();
	for (guint i = 0; i < c->children->len; i++)
		leaves(c->children->pdata[i], nr.prims);
	build_lists(&nr);
	for (size_t i = 0; i < G_N_ELEMENTS(phases); i++)
		prev = phase_notify(&nr, &phases[i], prev);
	g_hash_table_destroy(nr.lists);
	g_ptr_array_free(nr.prims, TRUE);
}

void sc_create_notifications(sc_t *sc)
{
	for (guint i = 0; i < sc->all->len; i++) {
		sc_rsc_t *r = sc->all->pdata[i];

		if (r->kind == RSC_CLONE && sc_true(g_hash_table_lookup(r->meta, "notify")))
			clone_notify(sc, r);
	}
}
