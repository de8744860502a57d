/*
 * sched_view.c: the read-only cluster view (vg_sched_cluster_view_t) that
 * status printers and tools read: nodes, resources with their current
 * state, failed operations, cluster-wide flags.
 *
 * Only copies pointers out of the working set; never decides anything.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define VG_LOG_SUBSYS "sched"
#include "sched_private.h"

static void node_view(sc_node_t *n)
{
	vg_sched_node_view_t *v = &n->view;

	v->name = n->name;
	v->id = n->id;
	v->kind = n->remote ? "remote" : "member";
	v->online = n->online;
	v->unclean = n->unclean;
	v->pending = n->pending;
	v->standby = n->standby;
	v->standby_onfail = n->standby_onfail;
	v->maintenance = n->maintenance;
	v->shutdown = n->shutdown;
	v->is_dc = n->is_dc;
	v->expected_up = n->expected_up;
	v->attrs = n->attrs;
}

static void rsc_view(sc_rsc_t *r)
{
	vg_sched_rsc_view_t *v = &r->view;

	v->id = r->id;
	v->kind = r->kind == RSC_PRIMITIVE ? VG_SCHED_RSC_PRIMITIVE
	          : r->kind == RSC_GROUP   ? VG_SCHED_RSC_GROUP
	                                   : VG_SCHED_RSC_CLONE;
	v->standard = r->cls;
	v->provider = r->prov;
	v->type = r->type;
	v->role = sc_role_str(r->role == ROLE_UNKNOWN ? ROLE_STOPPED : r->role);
	v->target_role = g_hash_table_lookup(r->meta, "target-role");
	v->pending_task = r->pending_task;
	v->running_on = g_ptr_array_new();
	for (guint i = 0; i < r->running_on->len; i++)
		g_ptr_array_add(v->running_on, ((sc_node_t *)r->running_on->pdata[i])->name);
	v->failed = r->failed;
	v->managed = r->managed;
	v->blocked = r->blocked;
	v->orphan = r->orphan;
	v->promotable = r->promotable;
	v->unique = r->unique;
	v->locked_to = r->hist_lock != NULL ? r->hist_lock->name : NULL;
	v->parent = r->parent != NULL ? &r->parent->view : NULL;
	if (r->kind == RSC_CLONE && r->xml != NULL) {
		xmlNode *c = vg_xml_first(r->xml, "primitive");
		if (c == NULL)
			c = vg_xml_first(r->xml, "group");
		v->child_id = c != NULL ? vg_xml_get(c, "id") : NULL;
		v->clone_max = r->clone_max;
	}
	v->children = g_ptr_array_new();
	for (guint i = 0; i < r->children->len; i++)
		g_ptr_array_add(v->children, &((sc_rsc_t *)r->children->pdata[i])->view);
}

void sc_build_view(sc_t *sc)
{
	vg_sched_cluster_view_t *v = &sc->view;

	v->nodes = g_ptr_array_new();
	v->resources = g_ptr_array_new();
	for (guint i = 0; i < sc->nodes->len; i++) {
		sc_node_t *n = sc->nodes->pdata[i];
		node_view(n);
		g_ptr_array_add(v->nodes, &n->view);
	}
	for (guint i = 0; i < sc->all->len; i++)
		rsc_view(sc->all->pdata[i]);
	for (guint i = 0; i < sc->all->len; i++) {
		sc_rsc_t *r = sc->all->pdata[i];
		/* an orphan instance of a clone is shown with its clone */
		if (r->orphan && r->clone != NULL && r->running_on->len > 0) {
			r->view.parent = &r->clone->view;
			g_ptr_array_add(r->clone->view.children, &r->view);
		}
	}
	for (guint i = 0; i < sc->top->len; i++) {
		sc_rsc_t *r = sc->top->pdata[i];
		/* orphans that are stopped are not shown */
		if (r->orphan && (r->running_on->len == 0 || r->clone != NULL))
			continue;
		g_ptr_array_add(v->resources, &r->view);
	}
	v->failed_ops = sc->failed_ops;
	v->dc = sc->dc != NULL ? sc->dc->name : NULL;
	v->have_quorum = sc->have_quorum;
	v->stonith_enabled = sc->stonith_enabled;
	v->maintenance_mode = sc->maintenance_mode;
	v->stop_all = sc->stop_all;
	v->no_quorum_policy = sc->no_quorum_policy;
}
