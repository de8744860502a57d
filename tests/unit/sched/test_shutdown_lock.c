/*
 * Unit tests of shutdown-lock across the controller's side of lib/sched:
 * the stop of a node leaving cleanly carries the lock in the graph, the
 * recorded stop keeps it on the lrm_resource, a clean departure and a
 * rejoin keep locked history (and only that), the scheduler holds the
 * resource on the node until shutdown-lock-limit (with a recheck time at
 * the expiry) and then deletes the locked history; a start back on the
 * node releases the lock.
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

#define T_SHUTDOWN 1700000090
#define LIMIT      60

/* node1 (asked to shut down at T_SHUTDOWN) runs rsc1; node2 has probed it. */
static xmlDoc *load_cib(const char *lock, const char *limit)
{
	char *text = g_strdup_printf(
	    "<cib epoch=\"1\" num_updates=\"0\" admin_epoch=\"0\" have-quorum=\"1\">"
	    "<configuration><crm_config><cluster_property_set id=\"cib-bootstrap-options\">"
	    "<nvpair id=\"o1\" name=\"stonith-enabled\" value=\"false\"/>"
	    "<nvpair id=\"o2\" name=\"shutdown-lock\" value=\"%s\"/>"
	    "<nvpair id=\"o3\" name=\"shutdown-lock-limit\" value=\"%s\"/>"
	    "</cluster_property_set></crm_config>"
	    "<nodes><node id=\"1\" uname=\"node1\"/><node id=\"2\" uname=\"node2\"/></nodes>"
	    "<resources><primitive id=\"rsc1\" class=\"ocf\" provider=\"heartbeat\" "
	    "type=\"Dummy\"/></resources><constraints/></configuration>"
	    "<status>"
	    "<node_state id=\"1\" uname=\"node1\" in_ccm=\"true\" crmd=\"online\" "
	    "join=\"member\" expected=\"member\">"
	    "<transient_attributes id=\"1\"><instance_attributes id=\"s1\">"
	    "<nvpair id=\"s1-sd\" name=\"shutdown\" value=\"%d\"/></instance_attributes>"
	    "</transient_attributes>"
	    "<lrm id=\"1\"><lrm_resources><lrm_resource id=\"rsc1\" class=\"ocf\" "
	    "provider=\"heartbeat\" type=\"Dummy\"><lrm_rsc_op id=\"rsc1_last_0\" "
	    "operation_key=\"rsc1_start_0\" operation=\"start\" "
	    "transition-key=\"2:0:0:x\" transition-magic=\"0:0;2:0:0:x\" call-id=\"2\" "
	    "rc-code=\"0\" op-status=\"0\" interval=\"0\" last-rc-change=\"1700000000\" "
	    "on_node=\"node1\"/></lrm_resource></lrm_resources></lrm></node_state>"
	    "<node_state id=\"2\" uname=\"node2\" in_ccm=\"true\" crmd=\"online\" "
	    "join=\"member\" expected=\"member\">"
	    "<lrm id=\"2\"><lrm_resources><lrm_resource id=\"rsc1\" class=\"ocf\" "
	    "provider=\"heartbeat\" type=\"Dummy\"><lrm_rsc_op id=\"rsc1_last_0\" "
	    "operation_key=\"rsc1_monitor_0\" operation=\"monitor\" "
	    "transition-key=\"1:0:7:x\" transition-magic=\"0:7;1:0:7:x\" call-id=\"1\" "
	    "rc-code=\"7\" op-status=\"0\" interval=\"0\" last-rc-change=\"1700000000\" "
	    "on_node=\"node2\"/></lrm_resource></lrm_resources></lrm></node_state>"
	    "</status></cib>",
	    lock, limit, T_SHUTDOWN);
	xmlDoc *doc = NULL;
	vg_error_t err = {0};

	assert_int_equal(vg_xml_parse(text, strlen(text), "test", NULL, &doc, &err), 0);
	g_free(text);
	return doc;
}

static vg_sched_result_t *schedule(xmlNode *cib, vg_time_t now)
{
	vg_sched_result_t *res = NULL;
	vg_error_t err = {0};
	vg_sched_options_t opts = {0};

	assert_int_equal(vg_sched_run(cib, now, &opts, &res, &err), 0);
	return res;
}

/* The graph's first action with this operation_key, NULL when none. */
static xmlNode *graph_action(vg_sched_result_t *res, const char *key)
{
	xmlNode *g = vg_sched_result_graph(res);

	for (xmlNode *n = g; n != NULL;) {
		if (n->type == XML_ELEMENT_NODE &&
		    g_strcmp0(vg_xml_get(n, "operation_key"), key) == 0 && n->parent != NULL &&
		    g_strcmp0((const char *)n->parent->name, "action_set") == 0)
			return n;
		/* depth-first walk */
		if (n->children != NULL)
			n = n->children;
		else {
			while (n != NULL && n != g && n->next == NULL)
				n = n->parent;
			n = (n == NULL || n == g) ? NULL : n->next;
		}
	}
	return NULL;
}

static xmlNode *lrm_rsc(xmlNode *cib, const char *node)
{
	xmlNode *ns = vg_history_node_state(cib, node, NULL, false), *lrm, *rscs;

	if (ns == NULL || (lrm = vg_xml_first(ns, "lrm")) == NULL ||
	    (rscs = vg_xml_first(lrm, "lrm_resources")) == NULL)
		return NULL;
	return vg_xml_first(rscs, "lrm_resource");
}

static vg_op_result_t result(const char *task, int rc, int call, vg_time_t lock)
{
	vg_op_result_t r = {
	    .rsc_id = "rsc1",
	    .task = task,
	    .rc = rc,
	    .target_rc = rc == 7 ? 7 : 0,
	    .call_id = call,
	    .when = T_SHUTDOWN + 1,
	    .origin = "test",
	    .shutdown_lock = lock,
	};
	return r;
}

static void record(xmlNode *cib, const char *node, const vg_op_result_t *r)
{
	vg_error_t err = {0};

	assert_non_null(vg_history_record_op(cib, node, NULL, r, &err));
}

static const char *view_locked_to(vg_sched_result_t *res)
{
	const vg_sched_cluster_view_t *v = vg_sched_result_cluster(res);

	for (guint i = 0; i < v->resources->len; i++) {
		const vg_sched_rsc_view_t *r = g_ptr_array_index(v->resources, i);
		if (strcmp(r->id, "rsc1") == 0)
			return r->locked_to;
	}
	fail();
	return NULL;
}

/* The whole life of a lock, from the stop to its expiry. */
static void test_lock_lifecycle(void **state)
{
	char limit[16];
	xmlDoc *doc;
	xmlNode *cib, *stop;
	vg_sched_result_t *res;
	vg_op_result_t r;

	(void)state;
	g_snprintf(limit, sizeof(limit), "%ds", LIMIT);
	doc = load_cib("true", limit);
	cib = xmlDocGetRootElement(doc);

	/* node1 shuts down: rsc1 stops there, locked since the request */
	res = schedule(cib, T_SHUTDOWN + 2);
	stop = graph_action(res, "rsc1_stop_0");
	assert_non_null(stop);
	assert_string_equal(vg_xml_get(stop, "shutdown-lock"), "1700000090");
	assert_null(graph_action(res, "rsc1_start_0"));
	assert_int_equal(vg_sched_result_recheck(res), T_SHUTDOWN + LIMIT);
	vg_sched_result_free(res);

	/* the stop's result keeps the lock; a pending record does not touch it */
	r = result("stop", 0, 3, T_SHUTDOWN);
	r.op_status = -1;
	record(cib, "node1", &r);
	assert_null(vg_xml_get(lrm_rsc(cib, "node1"), "shutdown-lock"));
	r = result("stop", 0, 3, T_SHUTDOWN);
	record(cib, "node1", &r);
	assert_string_equal(vg_xml_get(lrm_rsc(cib, "node1"), "shutdown-lock"), "1700000090");

	/* node1 leaves cleanly: the locked history stays, node2's is untouched */
	assert_int_equal(vg_history_node_left(cib, "node1", NULL), 0);
	assert_non_null(lrm_rsc(cib, "node1"));
	assert_null(
	    vg_xml_first(vg_history_node_state(cib, "node1", NULL, false), "transient_attributes"));

	/* away and locked: nothing starts, status shows the lock */
	res = schedule(cib, T_SHUTDOWN + 10);
	assert_null(graph_action(res, "rsc1_start_0"));
	assert_string_equal(view_locked_to(res), "node1");
	assert_int_equal(vg_sched_result_recheck(res), T_SHUTDOWN + LIMIT);
	vg_sched_result_free(res);

	/* past the limit: the locked history is deleted, rsc1 starts on node2 */
	res = schedule(cib, T_SHUTDOWN + LIMIT);
	assert_non_null(graph_action(res, "rsc1_lrm_delete_0"));
	assert_non_null(graph_action(res, "rsc1_start_0"));
	assert_null(view_locked_to(res));
	vg_sched_result_free(res);
	xmlFreeDoc(doc);
}

/* Back before the limit: rsc1 starts on node1 again, and that releases it. */
static void test_lock_rejoin(void **state)
{
	xmlDoc *doc = load_cib("true", "0");
	xmlNode *cib = xmlDocGetRootElement(doc), *start;
	vg_sched_result_t *res;
	vg_op_result_t r = result("stop", 0, 3, T_SHUTDOWN);

	(void)state;
	record(cib, "node1", &r);
	assert_int_equal(vg_history_node_left(cib, "node1", NULL), 0);
	/* it joins again: unlocked history would go, the locked stays */
	assert_int_equal(vg_history_node_up(cib, "node1", NULL), 0);
	vg_history_clear_node(cib, "node1");
	assert_non_null(lrm_rsc(cib, "node1"));

	res = schedule(cib, T_SHUTDOWN + 100000);
	start = graph_action(res, "rsc1_start_0");
	assert_non_null(start);
	assert_string_equal(vg_xml_get(start, "on_node"), "node1");
	assert_string_equal(vg_xml_get(start, "shutdown-lock"), "1700000090");
	assert_int_equal(vg_sched_result_recheck(res), VG_TIME_NEVER);
	vg_sched_result_free(res);

	r = result("start", 0, 4, T_SHUTDOWN);
	record(cib, "node1", &r);
	assert_null(vg_xml_get(lrm_rsc(cib, "node1"), "shutdown-lock"));
	xmlFreeDoc(doc);
}

/* Without shutdown-lock: no lock in the graph, and history goes as before. */
static void test_no_lock(void **state)
{
	xmlDoc *doc = load_cib("false", "0");
	xmlNode *cib = xmlDocGetRootElement(doc), *stop;
	vg_sched_result_t *res;
	vg_op_result_t r = result("stop", 0, 3, T_SHUTDOWN);

	(void)state;
	res = schedule(cib, T_SHUTDOWN + 2);
	stop = graph_action(res, "rsc1_stop_0");
	assert_non_null(stop);
	assert_null(vg_xml_get(stop, "shutdown-lock"));
	assert_non_null(graph_action(res, "rsc1_start_0"));
	vg_sched_result_free(res);

	/* a lock written anyway is not kept when the option is off */
	record(cib, "node1", &r);
	assert_int_equal(vg_history_node_left(cib, "node1", NULL), 0);
	assert_null(lrm_rsc(cib, "node1"));
	xmlFreeDoc(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_lock_lifecycle),
	    cmocka_unit_test(test_lock_rejoin),
	    cmocka_unit_test(test_no_lock),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
