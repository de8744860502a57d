/*
 * sched_run.c: vg_sched_run() -- the scheduler as one pipeline of named
 * stages over a working set (sc_t) -- and the result accessors.
 *
 * Owns the order of the stages and the lifetime of everything they build.
 * Never does I/O, keeps no globals: each run has its own sc_t.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define VG_LOG_SUBSYS "sched"
#include <string.h>

#include "sched_private.h"

static sc_t *sc_new(xmlNode *cib, vg_time_t now, const vg_sched_options_t *opts)
{
	sc_t *sc = g_new0(sc_t, 1);

	sc->cib = cib;
	sc->now = now;
	sc->recheck = VG_TIME_NEVER;
	if (opts != NULL)
		sc->opts = *opts;
	sc->config = vg_xml_first(cib, "configuration");
	sc->status = vg_xml_first(cib, "status");
	sc->id_index = vg_xml_id_index(sc->config, NULL);
	sc->nodes = g_ptr_array_new();
	sc->node_by_name = g_hash_table_new(g_str_hash, g_str_equal);
	sc->node_by_id = g_hash_table_new(g_str_hash, g_str_equal);
	sc->top = g_ptr_array_new();
	sc->all = g_ptr_array_new();
	sc->rsc_by_id = g_hash_table_new(g_str_hash, g_str_equal);
	sc->clone_of = g_hash_table_new(g_str_hash, g_str_equal);
	sc->locations = g_ptr_array_new();
	sc->colocs = g_ptr_array_new();
	sc->rsc_orders = g_ptr_array_new();
	sc->actions = g_ptr_array_new();
	sc->action_by_key = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	sc->edges = g_ptr_array_new_with_free_func(g_free);
	sc->summary = g_ptr_array_new_with_free_func(g_free);
	sc->scores = g_string_new("");
	sc->failed_ops = g_ptr_array_new_with_free_func(g_free);
	sc->strings = g_ptr_array_new_with_free_func(g_free);
	return sc;
}

/* Both entry points: the CIB tree and, for a vg_sched_input_t, its
 * history records (NULL: read them from the tree's <status>). */
int sc_run(xmlNode *cib_root, const sc_lrm_store_t *lrm, vg_time_t now,
           const vg_sched_options_t *opts, vg_sched_result_t **out, vg_error_t *err)
{
	sc_t *sc;
	int rc;

	*out = NULL;
	if (cib_root == NULL || !vg_xml_is(cib_root, "cib"))
		return vg_error_set(err, VG_EINVAL, "the input is not a <cib> element");
	if (vg_xml_first(cib_root, "configuration") == NULL)
		return vg_error_set(err, VG_EINVAL, "the CIB has no <configuration> section");
	sc = sc_new(cib_root, now, opts);
	sc->lrm_input = lrm;

	/* unpack: what the CIB says */
	if ((rc = sc_unpack_options(sc, err)) < 0 || (rc = sc_unpack_nodes(sc, err)) < 0 ||
	    (rc = sc_unpack_resources(sc, err)) < 0 || (rc = sc_unpack_status(sc, err)) < 0 ||
	    (rc = sc_unpack_constraints(sc, err)) < 0) {
		sc_free(sc);
		return rc;
	}
	/* decide: where everything should run */
	sc_apply_locations(sc);
	sc_assign(sc);
	/* act: what has to happen, in which order */
	sc_create_fencing(sc);
	sc_create_actions(sc);
	sc_order_actions(sc);
	sc_propagate(sc);
	sc_create_notifications(sc);
	/* report */
	sc_build_summary(sc);
	sc_build_graph(sc);
	sc_build_view(sc);

	*out = g_new0(vg_sched_result_t, 1);
	(*out)->sc = sc;
	return 0;
}

int vg_sched_run(xmlNode *cib_root, vg_time_t now, const vg_sched_options_t *opts,
                 vg_sched_result_t **out, vg_error_t *err)
{
	return sc_run(cib_root, NULL, now, opts, out, err);
}

static void free_action(gpointer p)
{
	sc_action_t *a = p;

	g_free(a->key);
	g_free(a->task);
	g_free(a->reason);
	g_hash_table_destroy(a->meta);
	g_ptr_array_free(a->before, TRUE);
	g_ptr_array_free(a->after, TRUE);
	g_free(a);
}

static void free_hist(gpointer p)
{
	sc_hist_t *h = p;

	if (h->recurring != NULL)
		g_hash_table_destroy(h->recurring);
	g_free(h);
}

static void free_rsc(gpointer p)
{
	sc_rsc_t *r = p;

	g_free(r->id);
	g_free(r->clone_name);
	g_free(r->unmigratable);
	g_ptr_array_free(r->children, TRUE);
	g_hash_table_destroy(r->meta);
	g_hash_table_destroy(r->params);
	if (r->utilization != NULL)
		g_hash_table_destroy(r->utilization);
	g_ptr_array_free(r->ops, TRUE);
	g_ptr_array_set_free_func(r->hist, free_hist);
	g_ptr_array_free(r->hist, TRUE);
	g_free(r->hist_at);
	g_ptr_array_free(r->running_on, TRUE);
	g_free(r->scores);
	if (r->actions != NULL)
		g_ptr_array_free(r->actions, TRUE);
	if (r->as_dep != NULL)
		g_ptr_array_free(r->as_dep, TRUE);
	if (r->as_prim != NULL)
		g_ptr_array_free(r->as_prim, TRUE);
	if (r->view.running_on != NULL)
		g_ptr_array_free(r->view.running_on, TRUE);
	if (r->view.children != NULL)
		g_ptr_array_free(r->view.children, TRUE);
	g_free(r);
}

static void free_node(gpointer p)
{
	sc_node_t *n = p;

	g_free(n->name);
	g_free(n->id);
	g_free(n->fence_reason);
	g_hash_table_destroy(n->attrs);
	g_hash_table_destroy(n->utilization);
	g_hash_table_destroy(n->util_used);
	g_free(n);
}

static void free_location(gpointer p)
{
	sc_location_t *l = p;

	g_free(l->id);
	g_array_free(l->scores, TRUE);
	g_free(l);
}

static void free_coloc(gpointer p)
{
	sc_coloc_t *c = p;

	g_free(c->id);
	g_free(c->node_attr);
	g_free(c);
}

static void free_order(gpointer p)
{
	sc_rsc_order_t *o = p;

	g_free(o->id);
	g_free(o->first_task);
	g_free(o->then_task);
	g_free(o);
}

void sc_free(sc_t *sc)
{
	if (sc == NULL)
		return;
	g_ptr_array_set_free_func(sc->actions, free_action);
	g_ptr_array_free(sc->actions, TRUE);
	g_hash_table_destroy(sc->action_by_key);
	g_ptr_array_free(sc->edges, TRUE);
	g_ptr_array_set_free_func(sc->locations, free_location);
	g_ptr_array_free(sc->locations, TRUE);
	g_ptr_array_set_free_func(sc->colocs, free_coloc);
	g_ptr_array_free(sc->colocs, TRUE);
	g_ptr_array_set_free_func(sc->rsc_orders, free_order);
	g_ptr_array_free(sc->rsc_orders, TRUE);
	g_ptr_array_set_free_func(sc->all, free_rsc);
	g_ptr_array_free(sc->all, TRUE);
	g_ptr_array_free(sc->top, TRUE);
	g_hash_table_destroy(sc->rsc_by_id);
	g_hash_table_destroy(sc->clone_of);
	g_ptr_array_set_free_func(sc->nodes, free_node);
	g_ptr_array_free(sc->nodes, TRUE);
	g_hash_table_destroy(sc->node_by_name);
	g_hash_table_destroy(sc->node_by_id);
	if (sc->tags != NULL)
		g_hash_table_destroy(sc->tags);
	if (sc->ticket_granted != NULL)
		g_hash_table_destroy(sc->ticket_granted);
	if (sc->config_opts != NULL)
		g_hash_table_destroy(sc->config_opts);
	if (sc->id_index != NULL)
		g_hash_table_destroy(sc->id_index);
	g_ptr_array_free(sc->summary, TRUE);
	g_string_free(sc->scores, TRUE);
	g_ptr_array_free(sc->failed_ops, TRUE);
	g_ptr_array_free(sc->strings, TRUE);
	if (sc->view.nodes != NULL)
		g_ptr_array_free(sc->view.nodes, TRUE);
	if (sc->view.resources != NULL)
		g_ptr_array_free(sc->view.resources, TRUE);
	if (sc->graph != NULL)
		xmlFreeDoc(sc->graph);
	sc_lrm_store_free(sc->lrm_own);
	g_free(sc);
}

void vg_sched_result_free(vg_sched_result_t *r)
{
	if (r == NULL)
		return;
	sc_free(r->sc);
	g_free(r);
}

xmlNode *vg_sched_result_graph(const vg_sched_result_t *r)
{
	return xmlDocGetRootElement(r->sc->graph);
}

const GPtrArray *vg_sched_result_summary(const vg_sched_result_t *r)
{
	return r->sc->summary;
}

char *vg_sched_result_scores(const vg_sched_result_t *r)
{
	return g_strdup(r->sc->scores->str);
}

vg_time_t vg_sched_result_recheck(const vg_sched_result_t *r)
{
	return r->sc->recheck;
}

const vg_sched_cluster_view_t *vg_sched_result_cluster(const vg_sched_result_t *r)
{
	return &r->sc->view;
}
