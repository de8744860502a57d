/*
 * sched_nodes.c: nodes, their attributes (configured, transient, built-in)
 * and their state (online, offline, unclean, pending, standby, maintenance,
 * shutdown) from <nodes> and the node_state entries of <status>.
 *
 * The online/unclean decision follows Pacemaker's rules for clusters with
 * and without fencing.  Never looks at resource history.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define VG_LOG_SUBSYS "sched"
#include <string.h>

#include "sched_private.h"

static void fence_reason(sc_node_t *n, const char *why)
{
	n->unclean = true;
	if (n->fence_reason == NULL)
		n->fence_reason = g_strdup(why);
}

/* Pacemaker's decision when fencing is enabled. */
static bool online_fencing(sc_t *sc, sc_node_t *n, xmlNode *st)
{
	const char *in_ccm = vg_xml_get(st, "in_ccm");
	const char *crmd = vg_xml_get(st, "crmd");
	const char *join = vg_xml_get(st, "join");
	const char *exp = vg_xml_get(st, "expected");
	const char *term = g_hash_table_lookup(n->attrs, "terminate");
	bool in_cluster = sc_true(in_ccm) || (in_ccm != NULL && g_ascii_isdigit(in_ccm[0]) &&
	                                      strcmp(in_ccm, "0") != 0);
	bool crmd_online = crmd != NULL && (!strcmp(crmd, "online") ||
	                                    (g_ascii_isdigit(crmd[0]) && strcmp(crmd, "0")));
	bool terminate =
	    term != NULL && (sc_true(term) || (g_ascii_isdigit(term[0]) && strcmp(term, "0")));

	if (in_ccm == NULL && !crmd_online) {
		/* never seen in the membership: with startup-fencing, unclean */
		const char *sf = g_hash_table_lookup(sc->config_opts, "startup-fencing");
		if (sf == NULL || sc_true(sf))
			fence_reason(n, "node is unclean");
		return false;
	}
	if (join == NULL)
		join = "down";
	if (exp == NULL)
		exp = "down"; /* never expected up: joining or gone, not lost */
	if (n->shutdown && in_cluster && crmd_online && !strcmp(join, "member"))
		return true;
	if (n->shutdown && !in_cluster && !crmd_online)
		return false;
	if (!terminate && exp != NULL && !strcmp(exp, "down")) {
		if (in_cluster || crmd_online) {
			n->standby = true;
			n->pending = true;
		}
		return false;
	}
	if (terminate && !strcmp(join, "down") && !in_cluster && !crmd_online)
		return false;
	if (!in_cluster) {
		fence_reason(n, "peer is no longer part of the cluster");
		return false;
	}
	if (!crmd_online) {
		fence_reason(n, "peer process is no longer available");
		return false;
	}
	if (terminate) {
		fence_reason(n, "termination was requested");
		return false;
	}
	if (!strcmp(join, "member"))
		return true;
	if (!strcmp(join, "pending") || !strcmp(join, "down")) {
		n->standby = true;
		n->pending = true;
		return false;
	}
	fence_reason(n, "peer was in an unknown state");
	return false;
}

/* Without fencing, a node that left is simply offline. */
static bool online_no_fencing(sc_node_t *n, xmlNode *st)
{
	const char *in_ccm = vg_xml_get(st, "in_ccm");
	const char *crmd = vg_xml_get(st, "crmd");
	const char *join = vg_xml_get(st, "join");
	bool in_cluster = sc_true(in_ccm) || (in_ccm != NULL && g_ascii_isdigit(in_ccm[0]) &&
	                                      strcmp(in_ccm, "0") != 0);
	bool crmd_online = crmd != NULL && (!strcmp(crmd, "online") ||
	                                    (g_ascii_isdigit(crmd[0]) && strcmp(crmd, "0")));

	if (!in_cluster)
		return false;
	if (crmd_online && join != NULL && !strcmp(join, "member"))
		return true;
	if (crmd_online || (join != NULL && !strcmp(join, "pending"))) {
		n->pending = true;
		n->standby = true;
	}
	return false;
}

static void set_builtins(sc_t *sc, sc_node_t *n)
{
	const char *cn = g_hash_table_lookup(sc->config_opts, "cluster-name");

	g_hash_table_replace(n->attrs, g_strdup("#uname"), g_strdup(n->name));
	g_hash_table_replace(n->attrs, g_strdup("#id"), g_strdup(n->id));
	g_hash_table_replace(n->attrs, g_strdup("#kind"), g_strdup(n->kind));
	g_hash_table_replace(n->attrs, g_strdup("#is_dc"), g_strdup(n->is_dc ? "true" : "false"));
	if (cn != NULL)
		g_hash_table_replace(n->attrs, g_strdup("#cluster-name"), g_strdup(cn));
	if (!g_hash_table_contains(n->attrs, "#site-name"))
		g_hash_table_replace(n->attrs, g_strdup("#site-name"),
		                     g_strdup(cn != NULL ? cn : n->name));
}

static void unpack_node_attrs(sc_t *sc, sc_node_t *n, xmlNode *cfg)
{
	vg_rule_ctx_t ctx;
	xmlNode *ta;

	sc_rule_ctx(sc, &ctx, n);
	set_builtins(sc, n);
	if (n->state != NULL && (ta = vg_xml_first(n->state, "transient_attributes")) != NULL)
		vg_nvset_unpack(ta, "instance_attributes", &ctx, NULL, false, n->attrs,
		                &sc->recheck);
	if (cfg != NULL) {
		vg_nvset_unpack(cfg, "instance_attributes", &ctx, NULL, false, n->attrs,
		                &sc->recheck);
		vg_nvset_unpack(cfg, "utilization", &ctx, NULL, false, n->utilization,
		                &sc->recheck);
	}
	set_builtins(sc, n);
}

static sc_node_t *node_new(sc_t *sc, const char *id, const char *name, const char *type)
{
	sc_node_t *n = g_new0(sc_node_t, 1);

	n->index = (int)sc->nodes->len;
	n->id = g_strdup(id != NULL ? id : name);
	n->name = g_strdup(name != NULL ? name : id);
	n->kind = (type != NULL && !strcmp(type, "remote")) ? "remote" : "cluster";
	n->remote = type != NULL && !strcmp(type, "remote");
	n->attrs = sc_strtable();
	n->utilization = sc_strtable();
	n->util_used = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	g_ptr_array_add(sc->nodes, n);
	g_hash_table_insert(sc->node_by_name, n->name, n);
	g_hash_table_insert(sc->node_by_id, n->id, n);
	return n;
}

static void node_state(sc_t *sc, sc_node_t *n, xmlNode *cfg)
{
	const char *v;

	n->have_state = n->state != NULL;
	unpack_node_attrs(sc, n, cfg);
	v = g_hash_table_lookup(n->attrs, "shutdown");
	n->shutdown = v != NULL && strcmp(v, "0") && strcmp(v, "false");
	if (n->state != NULL) {
		v = vg_xml_get(n->state, "expected");
		n->expected_up = v != NULL && !strcmp(v, "member");
		n->online = sc->stonith_enabled ? online_fencing(sc, n, n->state)
		                                : online_no_fencing(n, n->state);
	} else if (sc->stonith_enabled && n->remote == false) {
		/* Never seen: with startup-fencing, assume the worst. */
		v = g_hash_table_lookup(sc->config_opts, "startup-fencing");
		if (v == NULL || sc_true(v))
			fence_reason(n, "node is unclean");
	}
	if (sc_true(g_hash_table_lookup(n->attrs, "standby")))
		n->standby = true;
	if (sc_true(g_hash_table_lookup(n->attrs, "maintenance")) || sc->maintenance_mode)
		n->maintenance = true;
	if (!n->online && !n->unclean)
		n->shutdown = false;
	/* suicide: a partition without quorum fences its own members */
	if (!sc->have_quorum && !strcmp(sc->no_quorum_policy, "suicide") && n->online &&
	    sc->stonith_enabled && sc_true(vg_xml_get(sc->cib, "no-quorum-panic"))) {
		n->unclean = true;
		g_free(n->fence_reason);
		n->fence_reason = g_strdup("cluster does not have quorum");
	}
}

int sc_unpack_nodes(sc_t *sc, vg_error_t *err)
{
	xmlNode *nodes = vg_xml_first(sc->config, "nodes"), *x;
	GHashTable *state_by_id = g_hash_table_new(g_str_hash, g_str_equal);
	GHashTable *state_by_name = g_hash_table_new(g_str_hash, g_str_equal);
	GPtrArray *cfgs = g_ptr_array_new();

	(void)err;
	if (sc->status != NULL)
		VG_XML_FOREACH(x, sc->status, "node_state")
		{
			const char *id = vg_xml_get(x, "id"), *un = vg_xml_get(x, "uname");
			if (id != NULL && !g_hash_table_contains(state_by_id, id))
				g_hash_table_insert(state_by_id, (char *)id, x);
			if (un != NULL && !g_hash_table_contains(state_by_name, un))
				g_hash_table_insert(state_by_name, (char *)un, x);
		}
	if (nodes != NULL)
		VG_XML_FOREACH(x, nodes, "node")
		{
			const char *id = vg_xml_get(x, "id"), *un = vg_xml_get(x, "uname");
			sc_node_t *n;

			if ((id == NULL && un == NULL) ||
			    (un != NULL && g_hash_table_contains(sc->node_by_name, un)) ||
			    (un == NULL && g_hash_table_contains(sc->node_by_name, id)))
				continue;
			n = node_new(sc, id, un, vg_xml_get(x, "type"));
			n->state = id != NULL ? g_hash_table_lookup(state_by_id, id) : NULL;
			if (n->state == NULL)
				n->state = g_hash_table_lookup(state_by_name, n->name);
			g_ptr_array_add(cfgs, x);
		}
	for (guint i = 0; i < sc->nodes->len; i++) {
		sc_node_t *n = sc->nodes->pdata[i];

		if (sc->opts.dc_name != NULL)
			n->is_dc = !strcmp(sc->opts.dc_name, n->name);
		else if (sc->dc_uuid != NULL)
			n->is_dc = !strcmp(sc->dc_uuid, n->id);
		if (n->is_dc)
			sc->dc = n;
		node_state(sc, n, cfgs->pdata[i]);
	}
	g_ptr_array_free(cfgs, TRUE);
	g_hash_table_destroy(state_by_id);
	g_hash_table_destroy(state_by_name);
	return 0;
}
