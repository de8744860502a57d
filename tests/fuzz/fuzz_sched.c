/*
 * Fuzz target for the scheduler: bytes -> safe XML parse -> vg_sched_run()
 * (unpack + schedule) -> every output of the result (graph, summary, scores,
 * status text) -> the graph walked to completion with each result recorded
 * into the CIB's status, as `vigil simulate -S` does.  Any input must end
 * in an error code or a result, never a crash, a leak or a hang.
 * Inputs whose root is <transition_graph> go to the graph walker instead
 * (graphs the controller executes), with an empty CIB for the history.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdint.h>
#include <string.h>

#include <vigil/common.h>
#include <vigil/sched.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int fire(vg_graph_t *g, vg_graph_action_t *a, void *data)
{
	xmlNode *cib = data;
	char *text = vg_graph_action_text(a);

	g_free(text);
	if (a->type == VG_GRAPH_RSC && a->node != NULL) {
		vg_op_result_t res = {0};
		vg_error_t err = {0};

		res.rsc_id = vg_graph_action_rsc_name(a);
		res.rsc_class = a->rsc_class;
		res.rsc_provider = a->rsc_provider;
		res.rsc_type = a->rsc_type;
		res.task = a->task;
		res.interval_ms = a->interval_ms;
		res.rc = a->target_rc;
		res.target_rc = a->target_rc;
		res.when = 1700000000;
		res.params = a->params;
		res.origin = "fuzz";
		(void)vg_history_record_op(cib, a->node, a->node_uuid, &res, &err);
	} else if (a->type == VG_GRAPH_FENCE && a->node != NULL) {
		vg_history_node_down(cib, a->node, "fuzz");
	}
	vg_graph_confirm(g, a, false);
	return 0;
}

static void exercise(xmlNode *cib, vg_sched_result_t *r)
{
	const vg_sched_cluster_view_t *v = vg_sched_result_cluster(r);
	const GPtrArray *summary = vg_sched_result_summary(r);
	xmlNode *gx = vg_sched_result_graph(r);
	GString *out = g_string_new(NULL);
	char *scores = vg_sched_result_scores(r);
	vg_graph_t *g = NULL;

	g_free(scores);
	if (v != NULL) {
		vg_sched_print_banner(out, v);
		vg_sched_print_status(out, v, VG_PRINT_PENDING | VG_PRINT_FAILED_OPS);
	}
	for (guint i = 0; summary != NULL && i < summary->len; i++)
		g_string_append(out, g_ptr_array_index(summary, i));
	g_string_free(out, TRUE);
	if (gx != NULL && vg_graph_unpack(gx, &g, NULL) == 0) {
		char *dot = vg_graph_dot(g);
		size_t passes = 0;

		g_free(dot);
		vg_graph_use_history(g, cib);
		while (vg_graph_execute(g, fire, cib) == VG_GRAPH_ACTIVE &&
		       passes++ <= vg_graph_n_actions(g))
			;
		vg_graph_free(g);
	}
}

static void walk_graph(const xmlNode *gx)
{
	static const char empty[] = "<cib><configuration><nodes/><resources/></configuration>"
	                            "<status/></cib>";
	xmlDoc *cib = NULL;
	vg_graph_t *g = NULL;
	size_t passes = 0;

	if (vg_graph_unpack(gx, &g, NULL) != 0)
		return;
	if (vg_xml_parse(empty, sizeof(empty) - 1, "empty", NULL, &cib, NULL) == 0) {
		vg_graph_use_history(g, xmlDocGetRootElement(cib));
		while (vg_graph_execute(g, fire, xmlDocGetRootElement(cib)) == VG_GRAPH_ACTIVE &&
		       passes++ <= vg_graph_n_actions(g))
			;
		xmlFreeDoc(cib);
	}
	vg_graph_free(g);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	xmlDoc *doc = NULL;
	vg_sched_result_t *r = NULL;
	vg_sched_options_t opts = {.show_scores = true};

	if (vg_xml_parse((const char *)data, size, "fuzz", NULL, &doc, NULL) != 0)
		return 0;
	if (vg_xml_is(xmlDocGetRootElement(doc), "transition_graph")) {
		walk_graph(xmlDocGetRootElement(doc));
		xmlFreeDoc(doc);
		return 0;
	}
	if (vg_sched_run(xmlDocGetRootElement(doc), 1700000000, &opts, &r, NULL) == 0 &&
	    r != NULL) {
		exercise(xmlDocGetRootElement(doc), r);
		vg_sched_result_free(r);
		/* Schedule the CIB the simulation produced as well. */
		if (vg_sched_run(xmlDocGetRootElement(doc), 1700000000, &opts, &r, NULL) == 0)
			vg_sched_result_free(r);
	}
	xmlFreeDoc(doc);
	return 0;
}
