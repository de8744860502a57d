/*
 * ctld_election.c: one DC per partition, chosen deterministically and kept
 * stable.
 *
 *   STARTING --joined--> WAITING --announce--> MEMBER
 *                           |                    |  ^  (dc lost: lowest name
 *                           | wait over          |  |   in the group takes over)
 *                           v                    v  |
 *                          (lowest name?) ----> DC -+ (clash with a lower name:
 *                                                       step down)
 *
 * Rules: a node that joins a group which already has a DC waits for the DC
 * to announce itself (the DC does so on every view change), so a running DC
 * is never replaced by a newcomer.  When nobody announces within the wait,
 * or the DC leaves the view, the member with the lowest name becomes DC;
 * every member computes the same answer from the same view.  Two DCs in
 * one view (after a partition heals): the lower name stays.
 * Invariant: el_state == DC  <=>  c->dc == c->me.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define VG_LOG_SUBSYS "election"
#include "config.h"

#include <string.h>

#include "ctld_private.h"

#define WAIT_MS 1000

typedef ctld_el_state_t (*el_action_fn)(ctld_t *c, const char *arg);

static const char *const state_names[] = {"starting", "waiting", "member", "dc"};
static const char *const event_names[] = {"joined", "dc-lost", "wait-over", "announce", "dc-clash"};

const char *ctld_el_state_name(ctld_el_state_t s)
{
	return s < CTLD_EL_N_STATES ? state_names[s] : "?";
}

bool ctld_is_dc(const ctld_t *c)
{
	return c->el_state == CTLD_EL_DC;
}

static void set_dc(ctld_t *c, const char *name)
{
	if (g_strcmp0(c->dc, name) == 0)
		return;
	vg_log_notice("DC is now %s (was %s)", name ? name : "unknown", c->dc ? c->dc : "unknown");
	g_free(c->dc);
	c->dc = g_strdup(name);
	c->dc_generation++;
	ctld_ipc_dc_changed(c);
}

static void announce(ctld_t *c)
{
	vg_msg_t *m = vg_msg_new("dc-announce");
	vg_msg_set(m, "dc", c->me);
	ctld_peer_send(c, NULL, m);
	vg_msg_free(m);
}

static gboolean wait_over(gpointer data)
{
	ctld_t *c = data;
	c->el_timer = 0;
	ctld_election_event(c, CTLD_EV_WAIT_OVER, NULL);
	return G_SOURCE_REMOVE;
}

static char *lowest_member(ctld_t *c)
{
	GPtrArray *names = ctld_peer_group_names(c);
	char *low = names->len ? g_strdup(g_ptr_array_index(names, 0)) : g_strdup(c->me);
	g_ptr_array_unref(names);
	return low;
}

static ctld_el_state_t become_dc(ctld_t *c)
{
	set_dc(c, c->me);
	c->el_state = CTLD_EL_DC; /* ctld_is_dc() must hold for what follows */
	announce(c);
	ctld_join_became_dc(c);
	return CTLD_EL_DC;
}

static ctld_el_state_t follow(ctld_t *c, const char *dc)
{
	if (c->el_state == CTLD_EL_DC)
		ctld_transition_stop(c);
	set_dc(c, dc);
	return CTLD_EL_MEMBER;
}

static ctld_el_state_t start_wait(ctld_t *c, const char *arg)
{
	/* Say hello: a DC announces itself and takes this controller in even
	 * when the group view did not change (a quick restart). */
	vg_msg_t *m = vg_msg_new("hello");
	ctld_peer_send(c, NULL, m);
	vg_msg_free(m);
	c->el_timer = g_timeout_add(WAIT_MS, wait_over, c);
	return CTLD_EL_WAITING;
}

static ctld_el_state_t elect_lowest(ctld_t *c, const char *arg)
{
	char *low = lowest_member(c);
	ctld_el_state_t next = strcmp(low, c->me) == 0 ? become_dc(c) : follow(c, low);
	g_free(low);
	return next;
}

static ctld_el_state_t adopt(ctld_t *c, const char *dc)
{
	if (c->el_timer) {
		g_source_remove(c->el_timer);
		c->el_timer = 0;
	}
	return follow(c, dc);
}

static ctld_el_state_t clash(ctld_t *c, const char *other)
{
	if (strcmp(other, c->me) < 0) {
		vg_log_notice("%s is also DC and wins by name: stepping down", other);
		ctld_cib_send_offer(c, other);
		return follow(c, other);
	}
	announce(c);
	return CTLD_EL_DC;
}

static const struct el_row {
	ctld_el_state_t state;
	ctld_el_event_t event;
	el_action_fn action; /* returns the next state */
} rows[] = {
    {CTLD_EL_STARTING, CTLD_EV_JOINED, start_wait},
    {CTLD_EL_STARTING, CTLD_EV_ANNOUNCE, adopt},
    {CTLD_EL_WAITING, CTLD_EV_ANNOUNCE, adopt},
    {CTLD_EL_WAITING, CTLD_EV_WAIT_OVER, elect_lowest},
    {CTLD_EL_WAITING, CTLD_EV_DC_LOST, elect_lowest},
    {CTLD_EL_MEMBER, CTLD_EV_DC_LOST, elect_lowest},
    {CTLD_EL_MEMBER, CTLD_EV_ANNOUNCE, adopt},
    {CTLD_EL_DC, CTLD_EV_ANNOUNCE, clash},
    {CTLD_EL_DC, CTLD_EV_DC_CLASH, clash},
};

void ctld_election_event(ctld_t *c, ctld_el_event_t ev, const char *arg)
{
	for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
		if (rows[i].state != c->el_state || rows[i].event != ev)
			continue;
		ctld_el_state_t old = c->el_state;
		ctld_el_state_t next = rows[i].action(c, arg);
		c->el_state = next;
		if (old != next)
			vg_log_info("%s --%s--> %s", state_names[old], event_names[ev],
			            state_names[next]);
		VG_CHECK((next == CTLD_EL_DC) == (g_strcmp0(c->dc, c->me) == 0), );
		return;
	}
	vg_log_debug("event %s ignored in state %s", event_names[ev], state_names[c->el_state]);
}

void ctld_election_view_changed(ctld_t *c)
{
	ctld_peer_t *self = ctld_peer_get(c, c->me, false);

	if (c->el_state == CTLD_EL_STARTING) {
		if (self && self->in_group)
			ctld_election_event(c, CTLD_EV_JOINED, NULL);
		return;
	}
	if (c->el_state == CTLD_EL_DC) {
		announce(c);
		return;
	}
	if (c->dc) {
		ctld_peer_t *dc = ctld_peer_get(c, c->dc, false);
		if (!dc || !dc->in_group)
			ctld_election_event(c, CTLD_EV_DC_LOST, NULL);
	}
}
