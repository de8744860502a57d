/*
 * ctld_join.c: membership into the status section (DC only).
 *
 * A node whose controller joins gets node_state in_ccm=true crmd=online
 * join=member expected=member, a full copy of the CIB, and its operation
 * history wiped so that the scheduler re-probes it: the probes bring every
 * resource's real state on that node into the status (this is the join
 * protocol's "collect each node's history").  With shutdown-lock, what its
 * clean shutdown locked to it keeps its history (stopped, locked): the
 * scheduler starts it there again, which releases the lock.  A new DC trusts the history
 * the old DC recorded for nodes that stayed members (results of operations
 * still in flight reach the new DC, which records them).  A node that leaves the
 * membership without announcing a clean shutdown keeps expected=member, so
 * the scheduler sees it unclean and fences it; after a clean shutdown it
 * gets expected=down and no fencing.  A controller that leaves the group
 * while its node stays in the membership is restarting (vigild respawns it):
 * nothing is changed until it is back.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define VG_LOG_SUBSYS "join"
#include "config.h"

#include <string.h>

#include <vigil/cib.h>
#include <vigil/sched.h>

#include "ctld_private.h"

const char *ctld_join_node_id(ctld_t *c, const char *node)
{
	xmlNode *nodes = vg_cib_section(ctld_cib_root(c), "nodes", false), *n;
	if (nodes)
		VG_XML_FOREACH(n, nodes, "node")
	if (g_strcmp0(vg_xml_get(n, "uname"), node) == 0 && vg_xml_get(n, "id"))
		return vg_xml_get(n, "id");
	return node;
}

static void ensure_config_node(ctld_t *c, const char *node)
{
	xmlNode *nodes = vg_cib_section(ctld_cib_root(c), "nodes", true), *n;
	VG_XML_FOREACH(n, nodes, "node")
	if (g_strcmp0(vg_xml_get(n, "uname"), node) == 0)
		return;
	ctld_peer_t *p = ctld_peer_get(c, node, false);
	n = vg_xml_new_child(nodes, "node");
	if (p && p->id) {
		char id[16];
		g_snprintf(id, sizeof(id), "%u", p->id);
		vg_xml_set(n, "id", id);
	} else {
		vg_xml_set(n, "id", node);
	}
	vg_xml_set(n, "uname", node);
	vg_xml_set(n, "type", "member");
}

xmlNode *ctld_join_node_state(ctld_t *c, const char *node)
{
	xmlNode *st = ctld_cib_status(c), *ns;
	ensure_config_node(c, node);
	VG_XML_FOREACH(ns, st, "node_state")
	if (g_strcmp0(vg_xml_get(ns, "uname"), node) == 0)
		return ns;
	ns = vg_xml_new_child(st, "node_state");
	vg_xml_set(ns, "id", ctld_join_node_id(c, node));
	vg_xml_set(ns, "uname", node);
	vg_xml_set(ns, "in_ccm", "false");
	vg_xml_set(ns, "crmd", "offline");
	vg_xml_set(ns, "crm-debug-origin", "vigil-ctld");
	vg_xml_set(ns, "join", "down");
	vg_xml_set(ns, "expected", "down");
	return ns;
}

static void set_state(ctld_t *c, const char *node, const char *in_ccm, const char *crmd,
                      const char *join, const char *expected)
{
	xmlNode *ns = ctld_join_node_state(c, node);
	if (in_ccm)
		vg_xml_set(ns, "in_ccm", in_ccm);
	if (crmd)
		vg_xml_set(ns, "crmd", crmd);
	if (join)
		vg_xml_set(ns, "join", join);
	if (expected)
		vg_xml_set(ns, "expected", expected);
	ctld_cib_changed(c);
}

/* Gone cleanly or fenced: nothing of what it ran or said is left, except,
 * after a clean shutdown with the cluster option shutdown-lock, the history
 * of what is locked to it (the scheduler keeps those resources stopped until
 * the node is back or shutdown-lock-limit passes). */
static void node_down(ctld_t *c, const char *node, bool clean)
{
	ctld_join_node_state(c, node); /* with the id of its configured <node> */
	if (clean)
		vg_history_node_left(ctld_cib_root(c), node, NULL);
	else
		vg_history_node_down(ctld_cib_root(c), node, NULL);
	ctld_cib_changed(c);
}

void ctld_join_member_up(ctld_t *c, const char *node)
{
	if (!ctld_is_dc(c))
		return;
	vg_log_info("node %s: joined; re-probing its resources", node);
	if (strcmp(node, c->me) != 0) {
		ctld_cib_flush(c);
		ctld_cib_send_full(c, node);
	}
	ctld_join_node_state(c, node);
	vg_history_node_up(ctld_cib_root(c), node, NULL);
	ctld_attrd_write(c, node, "shutdown", NULL, false);
	vg_history_clear_node(ctld_cib_root(c), node);
	ctld_cib_changed(c);
	ctld_transition_trigger(c, "node joined");
}

void ctld_join_member_down(ctld_t *c, const char *node, bool group_only)
{
	ctld_peer_t *p = ctld_peer_get(c, node, false);
	if (!ctld_is_dc(c))
		return;
	if (group_only) {
		vg_log_warn("node %s: its controller left; waiting for it to come back", node);
		ctld_transition_trigger(c, "controller left");
		return;
	}
	ctld_transition_node_lost(c, node);
	const char *expected = vg_xml_get(ctld_join_node_state(c, node), "expected");
	if ((p && p->shutdown) || g_strcmp0(expected, "down") == 0) {
		vg_log_info("node %s: left after a clean shutdown", node);
		node_down(c, node, true);
	} else {
		vg_log_warn("node %s: lost without a clean shutdown (%.3f)", node,
		            g_get_real_time() / 1e6);
		set_state(c, node, "false", "offline", "down", NULL);
	}
	ctld_transition_trigger(c, "node left");
}

void ctld_join_node_fenced(ctld_t *c, const char *node, unsigned joins)
{
	node_down(c, node, false);
	ctld_peer_t *p = ctld_peer_get(c, node, false);
	if (p)
		p->shutdown = false;
	/* A reboot can be quicker than the fencer's answer: a controller of the
	 * node that came into the group after the fencing was asked for runs on
	 * the rebooted node, which is up again (else it would stay offline). */
	if (p && p->member && p->in_group && p->joins != joins) {
		vg_log_notice("node %s: back from its fencing already", node);
		ctld_join_member_up(c, node);
	}
}

void ctld_join_became_dc(ctld_t *c)
{
	GHashTableIter it;
	gpointer v;
	xmlNode *ns;

	ctld_cib_flush(c); /* snapshot for the patches that follow */
	vg_xml_set(ctld_cib_root(c), "dc-uuid", ctld_join_node_id(c, c->me));
	/* Nodes we have no controller for are down (fenced when they were up). */
	VG_XML_FOREACH(ns, ctld_cib_status(c), "node_state")
	{
		ctld_peer_t *p = ctld_peer_get(c, vg_xml_get(ns, "uname"), false);
		if (!p || !p->member) {
			vg_xml_set(ns, "in_ccm", "false");
			vg_xml_set(ns, "crmd", "offline");
			vg_xml_set(ns, "join", "down");
		}
	}
	ctld_cib_changed(c);
	ctld_cib_flush(c);
	ctld_cib_send_full(c, NULL);
	/* Members the old DC knew keep their recorded history (re-probing them
	 * would hold recovery up); only nodes without a node_state that says
	 * they are members are taken in from scratch. */
	g_hash_table_iter_init(&it, c->peers);
	while (g_hash_table_iter_next(&it, NULL, &v)) {
		ctld_peer_t *p = v;
		if (!p->member || !p->in_group)
			continue;
		xmlNode *st = ctld_join_node_state(c, p->name);
		if (g_strcmp0(vg_xml_get(st, "join"), "member") != 0 ||
		    g_strcmp0(vg_xml_get(st, "crmd"), "online") != 0)
			ctld_join_member_up(c, p->name);
	}
	ctld_fence_sync_devices(c);
	ctld_transition_trigger(c, "new DC");
}
