/*
 * ctld_shutdown.c: leaving the cluster cleanly.  The node asks the DC for a
 * shutdown (the DC sets its "shutdown" attribute, so the scheduler moves its
 * resources away and ends with a do_shutdown action for it); when the DC
 * releases it (expected=down, so nobody fences it) the controller exits with
 * CTLD_EXIT_SHUTDOWN, which tells vigild to stop the rest of the node.
 * Without a DC, or when the DC never answers, the controller leaves after
 * SHUTDOWN_TIMEOUT_S anyway.
 *
 * The DC releasing itself does not leave at once: actions of its running
 * transition may still be in flight on other nodes (a start just sent
 * elsewhere), and a successor that does not know about them would run the
 * resource a second time.  It leaves once its graph is idle (every fired
 * action confirmed or timed out, ctld_transition.c calls
 * ctld_shutdown_leave_if_idle) and after the results are in the replicated
 * CIB.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define VG_LOG_SUBSYS "shutdown"
#include "config.h"

#include <string.h>

#include "ctld_private.h"

#define SHUTDOWN_TIMEOUT_S 120

static bool graph_busy(const ctld_t *c)
{
	return ctld_transition_busy(c);
}

static gboolean give_up(gpointer data)
{
	ctld_t *c = data;
	c->shutdown_timer = 0;
	if (graph_busy(c)) {
		/* Every fired action has a timer: the graph does become idle. */
		vg_log_warn("no shutdown release in %d s: leaving once transition %d is idle",
		            SHUTDOWN_TIMEOUT_S, c->graph_id);
		c->leave_when_idle = true;
		return G_SOURCE_REMOVE;
	}
	vg_log_warn("no shutdown confirmation from the DC in %d s: leaving anyway",
	            SHUTDOWN_TIMEOUT_S);
	ctld_shutdown_on_ok(c);
	return G_SOURCE_REMOVE;
}

void ctld_shutdown_begin(ctld_t *c)
{
	if (c->shutting_down)
		return;
	c->shutting_down = true;
	vg_log_notice("node %s: shutting down; asking the DC to move resources away", c->me);
	if (!c->dc) {
		ctld_shutdown_on_ok(c);
		return;
	}
	c->shutdown_timer = g_timeout_add_seconds(SHUTDOWN_TIMEOUT_S, give_up, c);
	vg_msg_t *m = vg_msg_new("shutdown-req");
	if (ctld_is_dc(c)) {
		vg_msg_set(m, "from", c->me);
		ctld_messages_dispatch(c, c->me, m);
	} else {
		ctld_peer_send(c, c->dc, m);
	}
	vg_msg_free(m);
}

void ctld_shutdown_on_ok(ctld_t *c)
{
	if (c->shutdown_timer)
		g_source_remove(c->shutdown_timer);
	c->shutdown_timer = 0;
	vg_log_notice("node %s: released; leaving the cluster", c->me);
	c->exit_code = CTLD_EXIT_SHUTDOWN;
	if (ctld_is_dc(c))
		ctld_cib_flush(c);
	g_main_loop_quit(c->loop);
}

void ctld_shutdown_release(ctld_t *c, const char *node)
{
	ctld_peer_t *p = ctld_peer_get(c, node, false);
	if (!node)
		return;
	if (p)
		p->shutdown = true;
	xmlNode *ns = ctld_join_node_state(c, node);
	vg_xml_set(ns, "expected", "down");
	ctld_cib_changed(c);
	ctld_cib_flush(c);
	vg_log_notice("node %s: resources moved away; it may leave", node);
	if (strcmp(node, c->me) == 0) {
		c->leave_when_idle = true;
		/* Called from inside the graph walk (do_shutdown): the walk
		 * itself leaves once it is idle. */
		if (graph_busy(c))
			vg_log_notice("node %s: waiting for transition %d's actions in flight "
			              "before leaving",
			              c->me, c->graph_id);
		else
			ctld_shutdown_leave_if_idle(c);
		return;
	}
	vg_msg_t *m = vg_msg_new("shutdown-ok");
	ctld_peer_send(c, node, m);
	vg_msg_free(m);
}

bool ctld_shutdown_leave_if_idle(ctld_t *c)
{
	if (!c->leave_when_idle || graph_busy(c))
		return false;
	c->leave_when_idle = false;
	ctld_shutdown_on_ok(c); /* flushes the results recorded so far */
	return true;
}
