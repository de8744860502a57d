/*
 * `vigil simulate -S`: executing a transition graph without a cluster.
 *
 * Every action "succeeds" with the result the scheduler expected
 * (CRM_meta_op_target_rc) unless an -F spec says otherwise; the result is
 * written into the CIB's status with the same recording code the controller
 * uses for real results, fencing takes the node down and clears its
 * history, pseudo and cluster actions are only listed.  A failed action
 * aborts the rest of the graph, as in a real cluster.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define VG_LOG_SUBSYS "simulate"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <vigil/common.h>
#include <vigil/sched.h>

#include "simulate_private.h"

typedef struct sim_exec {
	xmlNode *cib;
	const sim_opts_t *o;
	vg_time_t now;
	FILE *out;
	vg_error_t *err;
} sim_exec_t;

static void say(sim_exec_t *x, const vg_graph_action_t *a)
{
	char *text;

	if (x->out == NULL)
		return;
	text = vg_graph_action_text(a);
	fprintf(x->out, "  * %s\n", text);
	g_free(text);
}

/* Does lrm_resource `id` exist in node's history? */
static bool has_history(xmlNode *cib, const char *node, const char *id)
{
	xmlNode *ns = vg_history_node_state(cib, node, NULL, false);
	xmlNode *lrm, *rscs, *r;

	if (ns == NULL || (lrm = vg_xml_first(ns, "lrm")) == NULL ||
	    (rscs = vg_xml_first(lrm, "lrm_resources")) == NULL)
		return false;
	VG_XML_FOREACH(r, rscs, "lrm_resource")
	{
		const char *rid = vg_xml_get(r, "id");

		if (rid != NULL && strcmp(rid, id) == 0)
			return true;
	}
	return false;
}

/* An -F spec for this action: "<rsc>_<task>_<interval>@<node>=<rc>", where
 * rsc may be the instance name or the configured name. */
static bool injected_failure(const sim_exec_t *x, const vg_graph_action_t *a, const char *name,
                             int *rc, const char **match)
{
	const char *names[2] = {name, a->rsc_id};

	for (guint i = 0; x->o->op_fail != NULL && i < x->o->op_fail->len; i++) {
		const char *spec = g_ptr_array_index(x->o->op_fail, i);

		for (int k = 0; k < 2; k++) {
			char *key;
			bool hit;

			if (names[k] == NULL || (k == 1 && strcmp(names[0], names[1]) == 0))
				continue;
			key = g_strdup_printf("%s_%s_%u@%s=", names[k], a->task, a->interval_ms,
			                      a->node);
			hit = g_ascii_strncasecmp(key, spec, strlen(key)) == 0;
			if (hit) {
				const char *num = spec + strlen(key);
				char *end = NULL;
				long v = strtol(num, &end, 10);

				g_free(key);
				if (end != num && *end == '\0') {
					*rc = (int)v;
					*match = names[k];
					return true;
				}
				fprintf(stderr,
				        "vigil simulate: invalid failed operation '%s' "
				        "(the result code must be an integer)\n",
				        spec);
				continue;
			}
			g_free(key);
		}
	}
	return false;
}

static int sim_rsc(sim_exec_t *x, vg_graph_t *g, vg_graph_action_t *a)
{
	const char *name = vg_graph_action_rsc_name(a);
	const char *hist_name = a->rsc_id;
	const char *match = NULL;
	vg_op_result_t res = {0};
	int rc = a->target_rc;
	bool failed = false;

	say(x, a);
	if (a->node == NULL) {
		vg_graph_confirm(g, a, false);
		return 0;
	}
	if (strcmp(a->task, "delete") == 0 || strcmp(a->task, "meta-data") == 0) {
		vg_graph_confirm(g, a, false);
		return 0;
	}
	/* Keep writing to an existing history entry under either name. */
	if (has_history(x->cib, a->node, name))
		hist_name = name;
	if (injected_failure(x, a, name, &rc, &match)) {
		failed = true;
		if (x->out != NULL)
			fprintf(x->out, "Pretending action %d failed with rc=%d\n", a->id, rc);
		sim_print_failure_fields(x->out, x->cib, a->node, match, a->task, a->interval_ms,
		                         rc, x->now);
		vg_graph_abort(g, VG_SCORE_INFINITY, "simulated failure");
		vg_history_record_failure(x->cib, a->node, match, a->task, a->interval_ms, rc,
		                          x->now);
	}
	res.rsc_id = hist_name;
	res.rsc_class = a->rsc_class;
	res.rsc_provider = a->rsc_provider;
	res.rsc_type = a->rsc_type;
	res.task = a->task;
	res.interval_ms = a->interval_ms;
	res.rc = rc;
	res.op_status = 0;
	res.target_rc = a->target_rc;
	res.when = x->now;
	res.exit_reason = failed ? "User-injected result" : NULL;
	res.params = a->params;
	res.migrate_source = g_hash_table_lookup(a->params, "CRM_meta_migrate_source");
	res.migrate_target = g_hash_table_lookup(a->params, "CRM_meta_migrate_target");
	res.origin = SIM_ORIGIN;
	if (vg_history_record_op(x->cib, a->node, a->router_node ? a->node : a->node_uuid, &res,
	                         x->err) == NULL) {
		fprintf(stderr, "vigil simulate: action %d (%s): %s\n", a->id,
		        a->key ? a->key : a->task, x->err->msg);
		vg_error_clear(x->err);
	}
	vg_graph_confirm(g, a, failed);
	return 0;
}

static int fire(vg_graph_t *g, vg_graph_action_t *a, void *data)
{
	sim_exec_t *x = data;

	switch (a->type) {
	case VG_GRAPH_RSC:
		return sim_rsc(x, g, a);
	case VG_GRAPH_FENCE: {
		const char *op = g_hash_table_lookup(a->params, "CRM_meta_stonith_action");

		say(x, a);
		if (a->node != NULL && (op == NULL || g_ascii_strcasecmp(op, "on") != 0))
			vg_history_node_down(x->cib, a->node, SIM_ORIGIN);
		break;
	}
	case VG_GRAPH_PSEUDO:
	case VG_GRAPH_CLUSTER:
		say(x, a);
		break;
	}
	vg_graph_confirm(g, a, false);
	return 0;
}

void sim_print_failure_fields(FILE *out, xmlNode *cib, const char *node, const char *rsc,
                              const char *task, guint interval_ms, int rc, vg_time_t now)
{
	xmlNode *ns;
	const char *id;

	if (out == NULL || rc == 0 || (rc == 7 && interval_ms == 0))
		return;
	ns = vg_history_node_state(cib, node, NULL, false);
	id = ns != NULL ? vg_xml_get(ns, "id") : NULL;
	if (id == NULL)
		id = node;
	fprintf(out, "  * Injecting attribute fail-count-%s#%s_%u=value++ into /node_state '%s'\n",
	        rsc, task, interval_ms, id);
	fprintf(out, "  * Injecting attribute last-failure-%s#%s_%u=%lld into /node_state '%s'\n",
	        rsc, task, interval_ms, (long long)now, id);
}

void sim_print_failure(FILE *out, xmlNode *cib, const char *spec, vg_time_t now)
{
	char *rsc = NULL, *task = NULL, *node = NULL;
	guint interval_ms = 0;
	int rc = 0;

	if (vg_history_parse_op_spec(spec, &rsc, &task, &interval_ms, &node, &rc, NULL) == 0)
		sim_print_failure_fields(out, cib, node, rsc, task, interval_ms, rc, now);
	g_free(rsc);
	g_free(task);
	g_free(node);
}

int sim_execute(xmlNode *cib, const vg_sched_result_t *r, const sim_opts_t *o, vg_time_t now,
                FILE *out, vg_error_t *err)
{
	sim_exec_t x = {.cib = cib, .o = o, .now = now, .out = out, .err = err};
	vg_graph_t *g = NULL;
	vg_graph_status_t st;
	xmlNode *gx = vg_sched_result_graph(r);

	if (gx == NULL)
		return VG_GRAPH_COMPLETE;
	if (vg_graph_unpack(gx, &g, err) != 0)
		return -1;
	vg_graph_use_history(g, cib);
	/* Every action is confirmed while it fires, so each pass either makes
	 * progress or ends the graph; the bound only guards against a graph
	 * that would keep one pass "active" without confirming anything. */
	for (size_t pass = 0;; pass++) {
		st = vg_graph_execute(g, fire, &x);
		if (st != VG_GRAPH_ACTIVE)
			break;
		if (pass > vg_graph_n_actions(g) + 1) {
			st = VG_GRAPH_TERMINATED;
			break;
		}
	}
	vg_graph_free(g);
	return (int)st;
}
