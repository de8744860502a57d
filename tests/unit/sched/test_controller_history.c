/*
 * Unit tests of what vigil-ctld takes from lib/sched to execute graphs and
 * record real results: actions in flight while the graph waits for them,
 * abort after a failure, the controller's fail-count rules, cancelled and
 * deleted history (lrm_delete, cleanup), digests recorded as computed on the
 * executing node, and the scheduler reading such a history back without
 * redoing anything.
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

static xmlDoc *parse(const char *text)
{
	xmlDoc *doc = NULL;
	vg_error_t err = {0};

	assert_int_equal(vg_xml_parse(text, strlen(text), "test", NULL, &doc, &err), 0);
	return doc;
}

/* ------------------------------------------------------- graph execution */

/* stop(1) -> stopped(2) -> start(3); probe(4) independent. */
static const char graph_xml[] =
    "<transition_graph transition_id=\"7\">"
    "<synapse id=\"0\"><action_set><rsc_op id=\"1\" operation=\"stop\" "
    "operation_key=\"a_stop_0\" on_node=\"n1\">"
    "<primitive id=\"a\" class=\"ocf\" provider=\"heartbeat\" type=\"Dummy\"/>"
    "<attributes CRM_meta_timeout=\"20000\"/></rsc_op></action_set><inputs/></synapse>"
    "<synapse id=\"1\"><action_set><pseudo_event id=\"2\" operation=\"stopped\"/></action_set>"
    "<inputs><trigger><rsc_op id=\"1\"/></trigger></inputs></synapse>"
    "<synapse id=\"2\"><action_set><rsc_op id=\"3\" operation=\"start\" "
    "operation_key=\"a_start_0\" on_node=\"n2\">"
    "<primitive id=\"a\" class=\"ocf\" provider=\"heartbeat\" type=\"Dummy\"/>"
    "<attributes CRM_meta_timeout=\"20000\"/></rsc_op></action_set>"
    "<inputs><trigger><pseudo_event id=\"2\"/></trigger></inputs></synapse>"
    "<synapse id=\"3\"><action_set><rsc_op id=\"4\" operation=\"monitor\" "
    "operation_key=\"b_monitor_0\" on_node=\"n3\">"
    "<primitive id=\"b\" class=\"ocf\" provider=\"heartbeat\" type=\"Dummy\"/>"
    "<attributes CRM_meta_timeout=\"20000\" CRM_meta_op_target_rc=\"7\"/></rsc_op>"
    "</action_set><inputs/></synapse>"
    "</transition_graph>";

/* Like the controller: pseudo events at once, everything else later. */
typedef struct walk {
	int fired[8];
	int n;
} walk_t;

static int fire_later(vg_graph_t *g, vg_graph_action_t *a, void *data)
{
	walk_t *w = data;

	w->fired[w->n++] = a->id;
	if (a->type == VG_GRAPH_PSEUDO)
		vg_graph_confirm(g, a, false);
	return 0;
}

static vg_graph_t *load_graph(xmlDoc **doc)
{
	vg_graph_t *g = NULL;
	vg_error_t err = {0};

	*doc = parse(graph_xml);
	assert_int_equal(vg_graph_unpack(xmlDocGetRootElement(*doc), &g, &err), 0);
	return g;
}

static void test_in_flight(void **state)
{
	xmlDoc *doc;
	vg_graph_t *g = load_graph(&doc);
	walk_t w = {0};

	(void)state;
	assert_int_equal(vg_graph_in_flight(g), 0);
	assert_int_equal(vg_graph_execute(g, fire_later, &w), VG_GRAPH_ACTIVE);
	assert_int_equal(w.n, 2); /* stop and probe, nothing that waits for the stop */
	assert_int_equal(w.fired[0], 1);
	assert_int_equal(w.fired[1], 4);
	assert_int_equal(vg_graph_in_flight(g), 2);
	/* nothing new while the stop is in flight */
	assert_int_equal(vg_graph_execute(g, fire_later, &w), VG_GRAPH_ACTIVE);
	assert_int_equal(w.n, 2);

	vg_graph_confirm(g, vg_graph_find_action(g, 1), false);
	assert_int_equal(vg_graph_in_flight(g), 1);
	assert_int_equal(vg_graph_execute(g, fire_later, &w), VG_GRAPH_ACTIVE);
	assert_int_equal(vg_graph_execute(g, fire_later, &w), VG_GRAPH_ACTIVE);
	assert_int_equal(w.n, 4); /* stopped, then start */
	assert_int_equal(w.fired[3], 3);
	vg_graph_confirm(g, vg_graph_find_action(g, 3), false);
	vg_graph_confirm(g, vg_graph_find_action(g, 4), false);
	assert_int_equal(vg_graph_in_flight(g), 0);
	assert_int_equal(vg_graph_execute(g, fire_later, &w), VG_GRAPH_COMPLETE);
	vg_graph_free(g);
	xmlFreeDoc(doc);
}

/* A failed action stops the rest: its dependents never fire, the graph ends
 * once the actions in flight are in. */
static void test_failure_aborts(void **state)
{
	xmlDoc *doc;
	vg_graph_t *g = load_graph(&doc);
	walk_t w = {0};

	(void)state;
	assert_int_equal(vg_graph_execute(g, fire_later, &w), VG_GRAPH_ACTIVE);
	vg_graph_confirm(g, vg_graph_find_action(g, 1), true);
	vg_graph_abort(g, VG_SCORE_INFINITY, "action failed");
	assert_int_equal(vg_graph_execute(g, fire_later, &w), VG_GRAPH_ACTIVE); /* probe */
	assert_int_equal(w.n, 2);
	assert_int_equal(vg_graph_in_flight(g), 1);
	vg_graph_confirm(g, vg_graph_find_action(g, 4), false);
	assert_int_not_equal(vg_graph_execute(g, fire_later, &w), VG_GRAPH_ACTIVE);
	assert_int_equal(w.n, 2);
	assert_int_equal(vg_graph_find_action(g, 3)->flags & VG_GRAPH_ACTION_EXECUTED, 0);
	vg_graph_free(g);
	xmlFreeDoc(doc);
}

/* --------------------------------------------------------------- history */

static const char base_cib[] =
    "<cib have-quorum=\"1\" epoch=\"1\" num_updates=\"0\" admin_epoch=\"0\">"
    "<configuration><crm_config><cluster_property_set id=\"cib-bootstrap-options\">"
    "<nvpair id=\"o1\" name=\"stonith-enabled\" value=\"false\"/>%s"
    "</cluster_property_set></crm_config>"
    "<nodes><node id=\"101\" uname=\"node1\"/><node id=\"102\" uname=\"node2\"/></nodes>"
    "<resources><primitive id=\"rsc1\" class=\"ocf\" provider=\"heartbeat\" type=\"Dummy\">"
    "<instance_attributes id=\"rsc1-ia\"><nvpair id=\"rsc1-f\" name=\"fake\" value=\"x\"/>"
    "</instance_attributes><operations>"
    "<op id=\"rsc1-m\" name=\"monitor\" interval=\"10s\" timeout=\"30s\"/>"
    "</operations></primitive></resources><constraints/></configuration>"
    "<status>"
    "<node_state id=\"101\" uname=\"node1\" in_ccm=\"true\" crmd=\"online\" join=\"member\" "
    "expected=\"member\"/>"
    "<node_state id=\"102\" uname=\"node2\" in_ccm=\"true\" crmd=\"online\" join=\"member\" "
    "expected=\"member\"/>"
    "</status></cib>";

static xmlDoc *load_cib(const char *extra_option)
{
	char *text = g_strdup_printf(base_cib, extra_option ? extra_option : "");
	xmlDoc *doc = parse(text);

	g_free(text);
	return doc;
}

static xmlNode *find_op(xmlNode *cib, const char *id)
{
	return vg_xml_find(vg_xml_first(cib, "status"), "lrm_rsc_op", id);
}

static const char *transient(xmlNode *cib, const char *node, const char *name)
{
	xmlNode *ns = vg_history_node_state(cib, node, NULL, false);
	xmlNode *nv;

	if (ns == NULL)
		return NULL;
	for (nv = vg_xml_find(ns, "nvpair", NULL); nv != NULL; nv = vg_xml_next(nv, "nvpair"))
		if (strcmp(vg_xml_get(nv, "name"), name) == 0)
			return vg_xml_get(nv, "value");
	return NULL;
}

static vg_op_result_t result(const char *task, guint interval, int rc, int target)
{
	vg_op_result_t r = {0};

	r.rsc_id = "rsc1";
	r.rsc_class = "ocf";
	r.rsc_provider = "heartbeat";
	r.rsc_type = "Dummy";
	r.task = task;
	r.interval_ms = interval;
	r.rc = rc;
	r.target_rc = target;
	r.when = 1700000000;
	r.origin = "do_update_resource";
	return r;
}

static xmlNode *record(xmlNode *cib, const char *node, const vg_op_result_t *r)
{
	vg_error_t err = {0};
	xmlNode *op = vg_history_record_op(cib, node, NULL, r, &err);

	assert_non_null(op);
	return op;
}

static void test_result_failed(void **state)
{
	vg_op_result_t r = result("monitor", 0, 7, 7);

	(void)state;
	assert_false(vg_history_result_failed(&r));
	r.rc = 0; /* a probe that finds it running where nothing was expected */
	assert_true(vg_history_result_failed(&r));
	r.op_status = -1; /* pending */
	assert_false(vg_history_result_failed(&r));
	r.op_status = 1; /* cancelled */
	assert_false(vg_history_result_failed(&r));
	r = result("start", 0, 0, 0);
	r.op_status = 2; /* timed out */
	assert_true(vg_history_result_failed(&r));
}

static void test_count_failure(void **state)
{
	xmlDoc *doc = load_cib(NULL);
	xmlNode *cib = xmlDocGetRootElement(doc);

	(void)state;
	/* start-failure-is-fatal defaults to true */
	assert_int_equal(vg_history_count_failure(cib, "node1", "rsc1", "start", 0, 1700000001),
	                 VG_SCORE_INFINITY);
	assert_string_equal(transient(cib, "node1", "fail-count-rsc1#start_0"), "INFINITY");
	assert_string_equal(transient(cib, "node1", "last-failure-rsc1#start_0"), "1700000001");
	assert_int_equal(vg_history_count_failure(cib, "node1", "rsc1", "stop", 0, 1),
	                 VG_SCORE_INFINITY);
	assert_int_equal(vg_history_count_failure(cib, "node1", "rsc1", "monitor", 10000, 1), 1);
	assert_int_equal(vg_history_count_failure(cib, "node1", "rsc1", "monitor", 10000, 2), 2);
	assert_string_equal(transient(cib, "node1", "fail-count-rsc1#monitor_10000"), "2");
	assert_int_equal(vg_history_count_failure(cib, "node1", "rsc1", "promote", 0, 1), 1);
	/* probes and notifications count nothing */
	assert_int_equal(vg_history_count_failure(cib, "node1", "rsc1", "monitor", 0, 1), 0);
	assert_int_equal(vg_history_count_failure(cib, "node1", "rsc1", "notify", 0, 1), 0);
	assert_null(transient(cib, "node1", "fail-count-rsc1#monitor_0"));
	xmlFreeDoc(doc);

	doc = load_cib("<nvpair id=\"o2\" name=\"start-failure-is-fatal\" value=\"false\"/>");
	cib = xmlDocGetRootElement(doc);
	assert_int_equal(vg_history_count_failure(cib, "node2", "rsc1", "start", 0, 1), 1);
	assert_int_equal(vg_history_count_failure(cib, "node2", "rsc1", "start", 0, 1), 2);
	xmlFreeDoc(doc);
}

static void test_clear_failcount(void **state)
{
	xmlDoc *doc = load_cib(NULL);
	xmlNode *cib = xmlDocGetRootElement(doc);

	(void)state;
	vg_history_count_failure(cib, "node1", "rsc1", "monitor", 10000, 1);
	vg_history_count_failure(cib, "node1", "rsc1", "start", 0, 1);
	vg_history_count_failure(cib, "node2", "rsc1", "start", 0, 1);
	vg_history_count_failure(cib, "node1", "rsc10", "start", 0, 1);
	vg_history_set_transient(cib, "node1", "other", "1");

	vg_history_clear_failcount(cib, "node1", "rsc1", "start_0");
	assert_null(transient(cib, "node1", "fail-count-rsc1#start_0"));
	assert_null(transient(cib, "node1", "last-failure-rsc1#start_0"));
	assert_non_null(transient(cib, "node1", "fail-count-rsc1#monitor_10000"));
	vg_history_clear_failcount(cib, NULL, "rsc1", NULL);
	assert_null(transient(cib, "node1", "fail-count-rsc1#monitor_10000"));
	assert_null(transient(cib, "node2", "fail-count-rsc1#start_0"));
	/* another resource whose name starts alike, and other attributes stay */
	assert_non_null(transient(cib, "node1", "fail-count-rsc10#start_0"));
	assert_string_equal(transient(cib, "node1", "other"), "1");
	xmlFreeDoc(doc);
}

static void test_remove_and_forget(void **state)
{
	xmlDoc *doc = load_cib(NULL);
	xmlNode *cib = xmlDocGetRootElement(doc);
	vg_op_result_t r = result("start", 0, 0, 0);

	(void)state;
	r.call_id = 5;
	record(cib, "node1", &r);
	r = result("monitor", 10000, 0, 0);
	r.call_id = 6;
	record(cib, "node1", &r);
	record(cib, "node2", &r);

	/* the cancellation of an older run leaves the newer record alone */
	assert_false(vg_history_remove_op(cib, "node1", "rsc1", "monitor", 10000, 3));
	assert_non_null(find_op(cib, "rsc1_monitor_10000"));
	assert_true(vg_history_remove_op(cib, "node1", "rsc1", "monitor", 10000, 6));
	assert_false(vg_history_remove_op(cib, "node1", "rsc1", "monitor", 10000, 0));
	assert_non_null(find_op(cib, "rsc1_last_0"));
	assert_false(vg_history_remove_op(cib, "node1", "nothing", "monitor", 10000, 0));

	/* after a stop the recurring records go, the failure of one stays */
	r = result("monitor", 10000, 1, 0);
	record(cib, "node2", &r);
	vg_history_drop_recurring(cib, "node2", "rsc1");
	{
		xmlNode *ns = vg_history_node_state(cib, "node2", NULL, false);
		assert_null(vg_xml_find(ns, "lrm_rsc_op", "rsc1_monitor_10000"));
		assert_non_null(vg_xml_find(ns, "lrm_rsc_op", "rsc1_last_failure_0"));
	}

	/* lrm_delete on one node, cleanup everywhere */
	vg_history_forget_rsc(cib, "node2", "rsc1");
	assert_null(
	    vg_xml_find(vg_history_node_state(cib, "node2", NULL, false), "lrm_resource", "rsc1"));
	assert_non_null(
	    vg_xml_find(vg_history_node_state(cib, "node1", NULL, false), "lrm_resource", "rsc1"));
	vg_history_forget_rsc(cib, NULL, "rsc1");
	assert_null(vg_xml_find(vg_xml_first(cib, "status"), "lrm_resource", "rsc1"));

	/* a joining node's history goes, its state stays */
	record(cib, "node1", &r);
	vg_history_clear_node(cib, "node1");
	assert_null(vg_xml_find(vg_history_node_state(cib, "node1", NULL, false), "lrm", NULL));
	assert_string_equal(vg_xml_get(vg_history_node_state(cib, "node1", NULL, false), "crmd"),
	                    "online");
	xmlFreeDoc(doc);
}

/* In flight (pending, call-id -1) and recorded as given by the executor. */
static void test_controller_fields(void **state)
{
	xmlDoc *doc = load_cib(NULL);
	xmlNode *cib = xmlDocGetRootElement(doc), *op;
	vg_op_result_t r = result("start", 0, 193, 0);

	(void)state;
	r.op_status = -1;
	r.call_id = -1;
	r.transition_key = "3:7:0:101";
	op = record(cib, "node1", &r);
	assert_string_equal(vg_xml_get(op, "id"), "rsc1_last_0");
	assert_string_equal(vg_xml_get(op, "call-id"), "-1");
	assert_string_equal(vg_xml_get(op, "transition-magic"), "-1:193;3:7:0:101");
	assert_string_equal(vg_xml_get(op, "on_node"), "node1");
	assert_null(find_op(cib, "rsc1_last_failure_0"));

	r = result("start", 0, 0, 0);
	r.call_id = 12;
	r.op_digest = "0123456789abcdef0123456789abcdef";
	op = record(cib, "node1", &r);
	assert_string_equal(vg_xml_get(op, "call-id"), "12");
	assert_string_equal(vg_xml_get(op, "op-digest"), r.op_digest);
	xmlFreeDoc(doc);
}

/*
 * The digests the executing node computes over the action's attributes are
 * the ones the scheduler compares with: after start and monitor results
 * recorded that way, it has nothing to do.
 */
static void test_digest_roundtrip(void **state)
{
	xmlDoc *doc = load_cib(NULL);
	xmlNode *cib = xmlDocGetRootElement(doc), *gx, *n;
	GHashTable *attrs = g_hash_table_new(g_str_hash, g_str_equal);
	vg_sched_result_t *res = NULL;
	vg_error_t err = {0};
	vg_op_result_t r;
	char *start_digest, *mon_digest;
	int actions = 0;

	(void)state;
	/* what a graph's <attributes> hold for the start and the monitor */
	g_hash_table_insert(attrs, "fake", "x");
	g_hash_table_insert(attrs, "CRM_meta_timeout", "20000");
	g_hash_table_insert(attrs, "CRM_meta_on_node", "node1");
	start_digest = vg_sched_op_digest(attrs, 0);
	g_hash_table_insert(attrs, "CRM_meta_interval", "10000");
	g_hash_table_insert(attrs, "CRM_meta_timeout", "30000");
	mon_digest = vg_sched_op_digest(attrs, 10000);
	assert_string_not_equal(start_digest, mon_digest);

	r = result("monitor", 0, 7, 7);
	record(cib, "node2", &r);
	r = result("start", 0, 0, 0);
	r.op_digest = start_digest;
	record(cib, "node1", &r);
	r = result("monitor", 10000, 0, 0);
	r.op_digest = mon_digest;
	record(cib, "node1", &r);

	assert_int_equal(vg_sched_run(cib, 1700000100, NULL, &res, &err), 0);
	gx = vg_sched_result_graph(res);
	for (n = gx ? vg_xml_find(gx, "rsc_op", NULL) : NULL; n; n = vg_xml_next(n, "rsc_op"))
		actions++;
	assert_int_equal(actions, 0);
	vg_sched_result_free(res);

	/* a different timeout is a changed definition: the monitor is redone */
	xmlDoc *doc2 = vg_xml_copy_doc(cib);
	xmlNode *cib2 = xmlDocGetRootElement(doc2);
	xmlNode *op = vg_xml_find(cib2, "op", "rsc1-m");
	vg_xml_set(op, "timeout", "40s");
	assert_int_equal(vg_sched_run(cib2, 1700000100, NULL, &res, &err), 0);
	gx = vg_sched_result_graph(res);
	actions = 0;
	for (n = gx ? vg_xml_find(gx, "rsc_op", NULL) : NULL; n; n = vg_xml_next(n, "rsc_op"))
		if (g_strcmp0(vg_xml_get(n, "operation_key"), "rsc1_monitor_10000") == 0)
			actions++;
	assert_int_equal(actions, 1);
	vg_sched_result_free(res);
	xmlFreeDoc(doc2);

	g_free(start_digest);
	g_free(mon_digest);
	g_hash_table_destroy(attrs);
	xmlFreeDoc(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_in_flight),         cmocka_unit_test(test_failure_aborts),
	    cmocka_unit_test(test_result_failed),     cmocka_unit_test(test_count_failure),
	    cmocka_unit_test(test_clear_failcount),   cmocka_unit_test(test_remove_and_forget),
	    cmocka_unit_test(test_controller_fields), cmocka_unit_test(test_digest_roundtrip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
