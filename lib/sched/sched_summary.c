/*
 * sched_summary.c: the Transition Summary lines, one per resource that
 * changes and one per node fenced, worded and padded as crm_simulate
 * prints them (Start, Stop, Move, Recover, Restart, with "due to" reasons
 * and "(blocked)" for what can not happen).
 *
 * Reads the decisions only; never changes them.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define VG_LOG_SUBSYS "sched"
#include <string.h>

#include "sched_private.h"

static bool req(const sc_action_t *a)
{
	return a != NULL && !(a->flags & ACT_OPTIONAL);
}

static bool run(const sc_action_t *a)
{
	return a != NULL && (a->flags & ACT_RUNNABLE);
}

static void line(sc_t *sc, int width, const char *verb, const char *rsc, const char *where,
                 const char *tail)
{
	g_ptr_array_add(sc->summary, g_strdup_printf("* %-8s   %-*s ( %s )%s%s", verb, width, rsc,
	                                             where, tail[0] ? "  " : "", tail));
}

static const char *rname(sc_role_t r)
{
	return r == ROLE_PROMOTED     ? "Promoted"
	       : r == ROLE_UNPROMOTED ? "Unpromoted"
	                              : sc_role_str(r);
}

/* Why a resource that stays on cur restarts there ("" when unsaid). */
static char *restart_tail(sc_rsc_t *r, sc_node_t *cur, const sc_action_t *start)
{
	sc_hist_t *h = sc_hist(r, cur);
	/* the definition change is the start's reason, which a start that
	 * requires nothing does not keep (it is re-checked as always
	 * runnable, reason cleared) */
	bool quiet = h->type_changed || h->digest_quiet ||
	             (h->digest_changed && !g_strcmp0(r->requires, "nothing"));

	if (quiet)
		return g_strdup("");
	if (h->digest_changed)
		return g_strdup("due to resource definition change");
	if (start != NULL && start->reason != NULL)
		return g_strdup_printf("due to %s", start->reason);
	return g_strdup("");
}

/* Instances of promotable clones name their roles. */
static bool promotable_summary(sc_t *sc, sc_rsc_t *r, int w)
{
	sc_node_t *cur = r->running_on->len > 0 ? r->running_on->pdata[0] : NULL;
	sc_node_t *next = r->assigned;
	sc_action_t *start = r->start, *stop = NULL, *promote = NULL, *demote = NULL;
	sc_role_t cr = r->role, nr = r->next_role;
	char *where, *tail;

	if (r->clone == NULL || !r->clone->promotable || r->running_on->len > 1)
		return false;
	if (cur != NULL) {
		stop = sc_find_action(sc, r, "stop", 0, cur);
		demote = sc_find_action(sc, r, "demote", 0, cur);
	}
	if (next != NULL)
		promote = sc_find_action(sc, r, "promote", 0, next);
	if (cur == NULL) {
		if (next == NULL || !req(start))
			return true;
		if (nr == ROLE_PROMOTED && promote != NULL && req(promote)) {
			/* to be promoted here: said of the promotion, blocked with
			 * the promotion's own reason (the start's is not its) */
			where = g_strdup_printf("Stopped -> Promoted %s", next->name);
			tail = run(promote) && run(start) ? g_strdup("")
			       : promote->reason != NULL
			           ? g_strdup_printf("due to %s (blocked)", promote->reason)
			           : g_strdup("blocked");
			line(sc, w, "Promote", r->id, where, tail);
			g_free(tail);
			g_free(where);
			return true;
		}
		return false;
	}
	if (!r->managed || r->blocked)
		return true;
	if (next == NULL || !run(start)) {
		if (!req(stop))
			return true;
		where = g_strdup_printf("%s %s", rname(cr), cur->name);
		if (!run(stop))
			tail = g_strdup_printf("due to %s (blocked)",
			                       stop->reason ? stop->reason : "node availability");
		else
			tail = g_strdup_printf("due to %s",
			                       stop->reason ? stop->reason : "node availability");
		line(sc, w, "Stop", r->id, where, tail);
		g_free(where);
		g_free(tail);
		return true;
	}
	if (next == cur) {
		if (req(stop) && req(start)) {
			where = g_strdup_printf("%s %s", rname(cr), cur->name);
			tail = r->failed ? g_strdup("") : restart_tail(r, cur, start);
			line(sc, w, r->failed ? "Recover" : "Restart", r->id, where, tail);
			g_free(tail);
			g_free(where);
		} else if (cr == ROLE_UNPROMOTED && nr == ROLE_PROMOTED && req(promote)) {
			where = g_strdup_printf("Unpromoted -> Promoted %s", cur->name);
			line(sc, w, "Promote", r->id, where, run(promote) ? "" : "blocked");
			g_free(where);
		} else if (cr == ROLE_PROMOTED && nr != ROLE_PROMOTED && req(demote)) {
			where = g_strdup_printf("Promoted -> Unpromoted %s", cur->name);
			line(sc, w, "Demote", r->id, where, "");
			g_free(where);
		} else if (cr == ROLE_PROMOTED && req(demote) && req(promote)) {
			where = g_strdup_printf("Promoted %s", cur->name);
			line(sc, w, "Re-promote", r->id, where, "");
			g_free(where);
		}
		return true;
	}
	if (nr == ROLE_PROMOTED && cr != ROLE_PROMOTED)
		where = g_strdup_printf("%s -> Promoted %s", rname(cr), next->name);
	else
		where = g_strdup_printf("%s -> %s %s", cur->name, next->name, rname(nr));
	line(sc, w,
	     r->failed && (!cur->fenced || cur->failure_fenced) ? "Recover"
	     : nr != cr                                         ? "Promote"
	                                                        : "Move",
	     r->id, where, "");
	g_free(where);
	return true;
}

/* Is this start blocked because a whole clone, or (interleaved) the
 * instance of another clone beside it, can not start? */
static bool blocked_by_clone(sc_t *sc, const sc_action_t *start)
{
	for (guint i = 0; start->reason != NULL && i < sc->all->len; i++) {
		sc_rsc_t *c = sc->all->pdata[i];
		char *text;
		bool match;
		if (c->kind != RSC_CLONE && (c->parent == NULL || c->parent->kind != RSC_CLONE ||
		                             c->parent == start->rsc->clone))
			continue;
		text = g_strdup_printf("unrunnable %s ", c->id);
		match = g_str_has_prefix(start->reason, text);
		g_free(text);
		if (match)
			return true;
	}
	return false;
}

/* An interleaved instance held back by its node lacking the first clone's
 * instance: Pacemaker gives no reason for it. */
static bool held_by_interleave(const sc_rsc_t *r)
{
	for (; r != NULL && r->clone != NULL; r = r->parent)
		if (r->no_local_first)
			return true;
	return false;
}

static void primitive_summary(sc_t *sc, sc_rsc_t *r, int w)
{
	sc_node_t *cur = r->running_on->len > 0 ? r->running_on->pdata[0] : NULL;
	sc_node_t *next = r->assigned;
	sc_action_t *start = r->start, *stop = NULL;
	char *where, *tail;

	if (promotable_summary(sc, r, w))
		return;
	if (cur != NULL)
		stop = sc_find_action(sc, r, "stop", 0, cur);
	if (r->running_on->len > 1 && r->managed && !r->blocked) {
		if (next != NULL && run(start) && next != cur) {
			/* said of the first node it is active on */
			where = r->role != r->next_role
			            ? g_strdup_printf("%s %s -> %s %s", rname(r->role), cur->name,
			                              rname(r->next_role), next->name)
			            : g_strdup_printf("%s -> %s", cur->name, next->name);
			line(sc, w, r->failed ? "Recover" : "Move", r->id, where, "");
			g_free(where);
			return;
		}
		if (next != NULL && run(start)) {
			if (!strcmp(r->multiple_active, "stop_unexpected"))
				line(sc, w, "Recover", r->id, next->name,
				     "due to being multiply active");
			else if (r->failed)
				line(sc, w, "Recover", r->id, next->name, "");
			else
				line(sc, w, "Restart", r->id, next->name, "");
			return;
		}
		for (guint i = 0; i < r->running_on->len; i++) {
			sc_node_t *n = r->running_on->pdata[i];
			sc_action_t *s = sc_find_action(sc, r, "stop", 0, n);
			if (req(s))
				line(sc, w, "Stop", r->id, n->name, "due to node availability");
		}
		return;
	}
	if (cur == NULL) {
		if (next == NULL || !req(start))
			return;
		if (run(start)) {
			line(sc, w, "Start", r->id, next->name, "");
		} else if (r->clone != NULL &&
		           (blocked_by_clone(sc, start) || held_by_interleave(r))) {
			/* instances of a clone held back by another clone: silent */
		} else {
			tail = start->reason != NULL && start->reason[0]
			           ? g_strdup_printf("due to %s (blocked)", start->reason)
			           : g_strdup("blocked");
			line(sc, w, "Start", r->id, next->name, tail);
			g_free(tail);
		}
		return;
	}
	if (r->blocked && next != cur && req(stop) && !run(stop) && r->clone == NULL) {
		/* it must leave a node it cannot be stopped on */
		tail = stop->reason != NULL && stop->reason[0]
		           ? g_strdup_printf("due to %s (blocked)", stop->reason)
		           : g_strdup("blocked");
		line(sc, w, "Stop", r->id, cur->name, tail);
		g_free(tail);
		return;
	}
	if (!r->managed || r->blocked)
		return;
	if (next == NULL || !run(start) || (next != cur && !run(stop))) {
		if (!req(stop))
			return;
		if (r->clone != NULL && cur->unclean && !run(stop))
			return; /* instances on a lost node are not listed */
		if (stop->reason == NULL && !run(start) && run(stop) && held_by_interleave(r)) {
			line(sc, w, "Stop", r->id, cur->name, "");
			return;
		}
		/* placed elsewhere but unable to start there: why it cannot */
		if (stop->reason == NULL && next != NULL && start != NULL && !run(start) &&
		    start->reason != NULL && start->reason[0] && run(stop)) {
			tail = g_strdup_printf("due to %s", start->reason);
			line(sc, w, "Stop", r->id, cur->name, tail);
			g_free(tail);
			return;
		}
		if (!run(stop) && stop->reason != NULL && !stop->reason[0])
			tail = g_strdup("blocked");
		else if (!run(stop))
			tail = g_strdup_printf("due to %s (blocked)",
			                       stop->reason ? stop->reason : "node availability");
		else
			tail = g_strdup_printf("due to %s",
			                       stop->reason ? stop->reason : "node availability");
		line(sc, w, "Stop", r->id, cur->name, tail);
		g_free(tail);
		return;
	}
	if (next == cur) {
		sc_action_t *rl = sc_find_action(sc, r, "reload-agent", 0, cur);
		if (rl != NULL && (!req(stop) || !req(start))) {
			line(sc, w, "Reload", r->id, cur->name, "");
			return;
		}
		if (!req(stop) || !req(start))
			return;
		if (r->failed)
			line(sc, w, "Recover", r->id, cur->name, "");
		else {
			tail = restart_tail(r, cur, start);
			line(sc, w, "Restart", r->id, cur->name, tail);
			g_free(tail);
		}
		return;
	}
	where = g_strdup_printf("%s -> %s", cur->name, next->name);
	tail =
	    r->unmigratable != NULL ? g_strdup_printf("due to %s", r->unmigratable) : g_strdup("");
	/* a failure recovers; a resource whose node is fenced for another
	 * reason (it left the membership) only moves */
	line(sc, w,
	     r->migrating                                         ? "Migrate"
	     : r->failed && (!cur->fenced || cur->failure_fenced) ? "Recover"
	                                                          : "Move",
	     r->id, where, tail);
	g_free(tail);
	g_free(where);
}

void sc_build_summary(sc_t *sc)
{
	int w = 0;

	for (guint i = 0; i < sc->nodes->len; i++) {
		sc_node_t *n = sc->nodes->pdata[i];
		if (n->fenced)
			g_ptr_array_add(
			    sc->summary,
			    g_strdup_printf("* Fence (%s) %s '%s'", sc->stonith_action, n->name,
			                    n->fence_reason ? n->fence_reason : "node is unclean"));
	}
	for (guint i = 0; i < sc->all->len; i++) {
		sc_rsc_t *r = sc->all->pdata[i];
		if (r->kind == RSC_PRIMITIVE)
			w = MAX(w, (int)strlen(r->id));
	}
	for (guint i = 0; i < sc->all->len; i++) {
		sc_rsc_t *r = sc->all->pdata[i];
		if (r->kind == RSC_PRIMITIVE)
			primitive_summary(sc, r, w);
	}
}
