/*
 * Unit test of ctld_graph.c, the transition graph walker: synapses fire in
 * dependency order, a failure stops new actions while in-flight ones finish,
 * and the graph is idle exactly when nothing is in flight and nothing more
 * can fire.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "ctld_private.h"

static const char graph_xml[] =
    "<transition_graph transition_id=\"7\">"
    "<synapse id=\"0\"><action_set><rsc_op id=\"1\" operation=\"stop\" on_node=\"n1\">"
    "<primitive id=\"a\" class=\"ocf\" provider=\"heartbeat\" type=\"Dummy\"/>"
    "<attributes CRM_meta_timeout=\"20000\"/></rsc_op></action_set><inputs/></synapse>"
    "<synapse id=\"1\"><action_set><pseudo_event id=\"2\" operation=\"stopped\"/></action_set>"
    "<inputs><trigger><rsc_op id=\"1\"/></trigger></inputs></synapse>"
    "<synapse id=\"2\"><action_set><rsc_op id=\"3\" operation=\"start\" on_node=\"n2\">"
    "<primitive id=\"a\" class=\"ocf\" provider=\"heartbeat\" type=\"Dummy\"/>"
    "<attributes CRM_meta_timeout=\"20000\"/></rsc_op></action_set>"
    "<inputs><trigger><pseudo_event id=\"2\"/></trigger></inputs></synapse>"
    "<synapse id=\"3\"><action_set><crm_event id=\"4\" operation=\"stonith\" on_node=\"n3\">"
    "<attributes CRM_meta_stonith_action=\"reboot\"/></crm_event></action_set><inputs/></synapse>"
    "</transition_graph>";

static ctld_graph_t *load(void)
{
	xmlDoc *doc = NULL;
	assert_int_equal(vg_xml_parse(graph_xml, strlen(graph_xml), "graph", NULL, &doc, NULL), 0);
	ctld_graph_t *g = ctld_graph_new(xmlDocGetRootElement(doc), 7);
	xmlFreeDoc(doc);
	return g;
}

static int ids(GPtrArray *a, int *out)
{
	for (guint i = 0; i < a->len; i++)
		out[i] = ((ctld_action_t *)g_ptr_array_index(a, i))->id;
	int n = (int)a->len;
	g_ptr_array_unref(a);
	return n;
}

static void test_order(void **state)
{
	ctld_graph_t *g = load();
	int got[8];
	(void)state;
	assert_int_equal(ctld_graph_id(g), 7);
	assert_int_equal(ids(ctld_graph_runnable(g), got), 2); /* stop and stonith */
	assert_int_equal(got[0], 1);
	assert_int_equal(got[1], 4);
	assert_int_equal(ctld_graph_action(g, 4)->kind, CTLD_ACT_CRM);
	assert_string_equal(ctld_action_attr(ctld_graph_action(g, 4), "CRM_meta_stonith_action"),
	                    "reboot");
	assert_int_equal(ids(ctld_graph_runnable(g), got), 0); /* nothing twice */
	assert_false(ctld_graph_idle(g));
	ctld_graph_confirm(g, 1, true);
	assert_int_equal(ids(ctld_graph_runnable(g), got), 1);
	assert_int_equal(got[0], 2);
	ctld_graph_confirm(g, 2, true);
	assert_int_equal(ids(ctld_graph_runnable(g), got), 1);
	assert_int_equal(got[0], 3);
	ctld_graph_confirm(g, 3, true);
	assert_false(ctld_graph_idle(g)); /* stonith still in flight */
	ctld_graph_confirm(g, 4, true);
	assert_true(ctld_graph_idle(g));
	assert_false(ctld_graph_aborted(g));
	ctld_graph_free(g);
}

static void test_failure_stops(void **state)
{
	ctld_graph_t *g = load();
	int got[8];
	unsigned fired, confirmed;
	(void)state;
	assert_int_equal(ids(ctld_graph_runnable(g), got), 2);
	ctld_graph_confirm(g, 1, false); /* the stop failed */
	assert_true(ctld_graph_aborted(g));
	assert_int_equal(ids(ctld_graph_runnable(g), got), 0);
	assert_false(ctld_graph_idle(g)); /* the fencing is still running */
	ctld_graph_confirm(g, 4, true);
	assert_true(ctld_graph_idle(g));
	assert_int_equal(ctld_graph_counts(g, &fired, &confirmed), 4);
	assert_int_equal(fired, 2);
	assert_int_equal(confirmed, 2);
	ctld_graph_free(g);
}

static void test_abort(void **state)
{
	ctld_graph_t *g = load();
	int got[8];
	(void)state;
	assert_int_equal(ids(ctld_graph_runnable(g), got), 2);
	ctld_graph_abort(g);
	ctld_graph_confirm(g, 1, true);
	ctld_graph_confirm(g, 4, true);
	assert_int_equal(ids(ctld_graph_runnable(g), got), 0);
	assert_true(ctld_graph_idle(g));
	ctld_graph_free(g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_order),
	    cmocka_unit_test(test_failure_stops),
	    cmocka_unit_test(test_abort),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
