/*
 * Unit tests of lib/sched/sched_graph.c: firing order, confirmations,
 * failures and aborts, batch-limit with actions in flight (the way the
 * controller uses it), end states, and the executed-action text.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include <vigil/common.h>
#include <vigil/sched.h>

#define RSC(id, op, node, extra)                                                   \
	"<rsc_op id=\"" id "\" operation=\"" op "\" operation_key=\"r" id "_" op   \
	"_0\" on_node=\"" node "\" on_node_uuid=\"" node "\"><primitive id=\"r" id \
	"\" class=\"ocf\" provider=\"heartbeat\" type=\"Dummy\"/><attributes " extra "/></rsc_op>"
#define TRIG(id) "<trigger><rsc_op id=\"" id "\"/></trigger>"

/* A then B then C (document order C, B, A), plus D needing a missing action. */
static const char chain[] =
    "<transition_graph transition_id=\"3\">"
    "<synapse id=\"0\"><action_set>" RSC("3", "start", "n1", "") "</action_set><inputs>" TRIG(
        "2") "</inputs></synapse>"
             "<synapse id=\"1\"><action_set>" RSC(
                 "2", "start", "n1",
                 "") "</action_set><inputs>" TRIG("1") "</inputs></synapse>"
                                                       "<synapse id=\"2\"><action_set>" RSC(
                                                           "1", "start", "n1",
                                                           "") "</action_set><inputs/></synapse>"
                                                               "</transition_graph>";

typedef struct log {
	GString *order;
	bool confirm; /* confirm at once (simulation) or leave in flight */
	int fail_id;  /* action to report failed */
} log_t;

static int fire(vg_graph_t *g, vg_graph_action_t *a, void *data)
{
	log_t *l = data;

	g_string_append_printf(l->order, "%d ", a->id);
	if (l->confirm) {
		if (a->id == l->fail_id)
			vg_graph_abort(g, VG_SCORE_INFINITY, "test");
		vg_graph_confirm(g, a, a->id == l->fail_id);
	}
	return 0;
}

static vg_graph_t *unpack(const char *text, xmlDoc **doc)
{
	vg_graph_t *g = NULL;
	vg_error_t err = {0};

	assert_int_equal(vg_xml_parse(text, strlen(text), "graph", NULL, doc, &err), 0);
	assert_int_equal(vg_graph_unpack(xmlDocGetRootElement(*doc), &g, &err), 0);
	return g;
}

static vg_graph_status_t run(vg_graph_t *g, log_t *l)
{
	vg_graph_status_t st;
	int passes = 0;

	do
		st = vg_graph_execute(g, fire, l);
	while (st == VG_GRAPH_ACTIVE && ++passes < 20);
	return st;
}

static void test_order_and_complete(void **state)
{
	xmlDoc *doc;
	vg_graph_t *g = unpack(chain, &doc);
	log_t l = {g_string_new(NULL), true, -1};

	(void)state;
	assert_int_equal(vg_graph_transition_id(g), 3);
	assert_int_equal(vg_graph_n_actions(g), 3);
	assert_int_equal(run(g, &l), VG_GRAPH_COMPLETE);
	assert_string_equal(l.order->str, "1 2 3 ");
	assert_true(vg_graph_find_action(g, 3)->flags & VG_GRAPH_ACTION_CONFIRMED);
	g_string_free(l.order, TRUE);
	vg_graph_free(g);
	xmlFreeDoc(doc);
}

static void test_failure_stops(void **state)
{
	xmlDoc *doc;
	vg_graph_t *g = unpack(chain, &doc);
	log_t l = {g_string_new(NULL), true, 2};

	(void)state;
	/* As in Pacemaker, a graph whose remaining actions wait on a failed
	 * one is over ("Complete"): only skipping a ready action is "Stopped". */
	assert_int_equal(run(g, &l), VG_GRAPH_COMPLETE);
	assert_string_equal(l.order->str, "1 2 ");
	assert_false(vg_graph_find_action(g, 3)->flags & VG_GRAPH_ACTION_EXECUTED);
	g_string_free(l.order, TRUE);
	vg_graph_free(g);
	xmlFreeDoc(doc);
}

/* Actions in flight: nothing new fires until they are confirmed. */
static void test_in_flight(void **state)
{
	xmlDoc *doc;
	vg_graph_t *g = unpack(chain, &doc);
	log_t l = {g_string_new(NULL), false, -1};

	(void)state;
	assert_int_equal(vg_graph_execute(g, fire, &l), VG_GRAPH_ACTIVE);
	assert_string_equal(l.order->str, "1 ");
	assert_int_equal(vg_graph_execute(g, fire, &l), VG_GRAPH_ACTIVE);
	assert_string_equal(l.order->str, "1 ");
	vg_graph_confirm(g, vg_graph_find_action(g, 1), false);
	assert_int_equal(vg_graph_execute(g, fire, &l), VG_GRAPH_ACTIVE);
	assert_string_equal(l.order->str, "1 2 ");
	vg_graph_confirm(g, vg_graph_find_action(g, 2), false);
	vg_graph_execute(g, fire, &l);
	vg_graph_confirm(g, vg_graph_find_action(g, 3), false);
	assert_int_equal(vg_graph_execute(g, fire, &l), VG_GRAPH_COMPLETE);
	assert_string_equal(l.order->str, "1 2 3 ");
	g_string_free(l.order, TRUE);
	vg_graph_free(g);
	xmlFreeDoc(doc);
}

/* batch-limit counts actions in flight, not ones confirmed while firing. */
static void test_batch_limit(void **state)
{
	static const char text[] =
	    "<transition_graph batch-limit=\"1\">"
	    "<synapse id=\"0\"><action_set>" RSC(
	        "1", "start", "n1",
	        "") "</action_set><inputs/></synapse>"
	            "<synapse id=\"1\"><action_set>" RSC(
	                "2", "start", "n2",
	                "") "</action_set><inputs/></synapse></transition_graph>";
	xmlDoc *doc;
	vg_graph_t *g = unpack(text, &doc);
	log_t l = {g_string_new(NULL), false, -1};

	(void)state;
	vg_graph_execute(g, fire, &l);
	assert_string_equal(l.order->str, "1 ");
	vg_graph_confirm(g, vg_graph_find_action(g, 1), false);
	vg_graph_execute(g, fire, &l);
	assert_string_equal(l.order->str, "1 2 ");
	g_string_free(l.order, TRUE);
	vg_graph_free(g);
	xmlFreeDoc(doc);

	g = unpack(text, &doc);
	l = (log_t){g_string_new(NULL), true, -1};
	assert_int_equal(vg_graph_execute(g, fire, &l), VG_GRAPH_ACTIVE);
	assert_string_equal(l.order->str, "1 2 ");
	g_string_free(l.order, TRUE);
	vg_graph_free(g);
	xmlFreeDoc(doc);
}

/* A clean-up synapse of priority INFINITY runs after a failed input; an
 * input that names no action leaves the graph terminated. */
static void test_priority_and_terminated(void **state)
{
	static const char text[] =
	    "<transition_graph>"
	    "<synapse id=\"0\"><action_set>" RSC(
	        "1", "stop", "n1",
	        "") "</action_set><inputs/></synapse>"
	            "<synapse id=\"1\" priority=\"INFINITY\"><action_set>"
	            "<pseudo_event id=\"2\" operation=\"stopped\" operation_key=\"g_stopped_0\"/>"
	            "</action_set><inputs>" TRIG(
	                "1") "</inputs></synapse>"
	                     "<synapse id=\"2\"><action_set>" RSC(
	                         "3", "start", "n2",
	                         "") "</action_set><inputs>" TRIG("99") "</inputs></synapse>"
	                                                                "<synapse "
	                                                                "id=\"3\"><action_set>" RSC(
	                                                                    "4", "start", "n2",
	                                                                    "") "</"
	                                                                        "action_set><"
	                                                                        "inputs/></synapse>"
	                                                                        "</"
	                                                                        "transition_graph>";
	xmlDoc *doc;
	vg_graph_t *g = unpack(text, &doc);
	log_t l = {g_string_new(NULL), true, 1};

	(void)state;
	/* Failure with abort: 4 is skipped, 2 still runs, 3 never can. */
	assert_int_equal(run(g, &l), VG_GRAPH_STOPPED);
	assert_string_equal(l.order->str, "1 2 ");
	g_string_free(l.order, TRUE);
	vg_graph_free(g);
	xmlFreeDoc(doc);

	g = unpack(text, &doc);
	l = (log_t){g_string_new(NULL), true, -1};
	assert_int_equal(run(g, &l), VG_GRAPH_TERMINATED);
	assert_string_equal(l.order->str, "1 2 4 ");
	assert_string_equal(vg_graph_status_str(VG_GRAPH_TERMINATED), "Terminated");
	g_string_free(l.order, TRUE);
	vg_graph_free(g);
	xmlFreeDoc(doc);
}

static void test_text(void **state)
{
	static const char text[] =
	    "<transition_graph>"
	    "<synapse id=\"0\"><action_set>" RSC(
	        "1", "monitor", "node1",
	        "CRM_meta_interval=\"10000\" CRM_meta_op_target_rc=\"0\"") "<pseudo_event id=\"2\" "
	                                                                   "operation=\"stonith\" "
	                                                                   "operation_key="
	                                                                   "\"stonith-node2-off\" "
	                                                                   "on_node=\"node2\"/>"
	                                                                   "<crm_event id=\"3\" "
	                                                                   "operation=\"stonith\" "
	                                                                   "operation_key="
	                                                                   "\"stonith-node2-off\" "
	                                                                   "on_node=\"node2\"><"
	                                                                   "attributes "
	                                                                   "CRM_meta_stonith_"
	                                                                   "action=\"off\"/></"
	                                                                   "crm_event>"
	                                                                   "<crm_event id=\"4\" "
	                                                                   "operation=\"do_"
	                                                                   "shutdown\" "
	                                                                   "on_node=\"node1\"/>"
	                                                                   "<crm_event id=\"5\" "
	                                                                   "operation=\"clear_"
	                                                                   "failcount\" "
	                                                                   "on_node=\"node1\">"
	                                                                   "<primitive id=\"web\" "
	                                                                   "class=\"ocf\" "
	                                                                   "type=\"apache\"/></"
	                                                                   "crm_event>"
	                                                                   "<rsc_op id=\"6\" "
	                                                                   "operation=\"start\" "
	                                                                   "on_node=\"node1\"><"
	                                                                   "primitive id=\"db\" "
	                                                                   "long-id=\"db:2\" "
	                                                                   "class=\"ocf\" "
	                                                                   "type=\"x\"/></rsc_op>"
	                                                                   "</action_set><inputs/"
	                                                                   "></synapse></"
	                                                                   "transition_graph>";
	static const char *const want[] = {
	    "Resource action: r1              monitor=10000 on node1",
	    "Pseudo action:   stonith-node2-off on node2",
	    "Fencing node2 (off)",
	    "Cluster action:  do_shutdown on node1",
	    "Cluster action:  clear_failcount for web on node1",
	    "Resource action: db:2            start on node1",
	};
	xmlDoc *doc;
	vg_graph_t *g = unpack(text, &doc);

	(void)state;
	assert_int_equal(vg_graph_n_actions(g), G_N_ELEMENTS(want));
	for (size_t i = 0; i < G_N_ELEMENTS(want); i++) {
		char *t = vg_graph_action_text(vg_graph_action(g, i));

		assert_string_equal(t, want[i]);
		g_free(t);
	}
	assert_int_equal(vg_graph_action(g, 0)->interval_ms, 10000);
	assert_int_equal(vg_graph_action(g, 2)->type, VG_GRAPH_FENCE);
	vg_graph_free(g);
	xmlFreeDoc(doc);
}

static void test_bad_graphs(void **state)
{
	static const char *const bad[] = {
	    "<cib/>",
	    "<transition_graph><synapse id=\"0\"><action_set><rsc_op id=\"1\" "
	    "operation=\"start\"/></action_set></synapse></transition_graph>",
	    "<transition_graph><synapse id=\"0\"><action_set><pseudo_event "
	    "operation=\"x\"/></action_set></synapse></transition_graph>",
	    "<transition_graph><synapse id=\"0\"><action_set><bogus id=\"1\"/>"
	    "</action_set></synapse></transition_graph>",
	    "<transition_graph><synapse id=\"0\"/></transition_graph>",
	};

	(void)state;
	for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
		xmlDoc *doc = NULL;
		vg_graph_t *g = NULL;
		vg_error_t err = {0};

		assert_int_equal(vg_xml_parse(bad[i], strlen(bad[i]), "g", NULL, &doc, &err), 0);
		assert_int_equal(vg_graph_unpack(xmlDocGetRootElement(doc), &g, &err), VG_EPARSE);
		assert_null(g);
		assert_true(err.msg[0] != '\0');
		xmlFreeDoc(doc);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_order_and_complete),
	    cmocka_unit_test(test_failure_stops),
	    cmocka_unit_test(test_in_flight),
	    cmocka_unit_test(test_batch_limit),
	    cmocka_unit_test(test_priority_and_terminated),
	    cmocka_unit_test(test_text),
	    cmocka_unit_test(test_bad_graphs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
