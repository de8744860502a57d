/*
 * Unit tests of lib/sched/sched_history.c: the lrm_rsc_op entries, node
 * state changes, fail-counts and -i/-F specs, as the scheduler and
 * crm_simulate expect to find them in a CIB's status.
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

static const char base_cib[] =
    "<cib><configuration><crm_config/><nodes>"
    "<node id=\"101\" uname=\"node1\"/><node id=\"102\" uname=\"node2\"/></nodes>"
    "<resources><primitive id=\"rsc1\" class=\"ocf\" provider=\"heartbeat\" type=\"Dummy\"/>"
    "<template id=\"t\" class=\"lsb\" type=\"cron\"/><primitive id=\"rsc2\" template=\"t\"/>"
    "</resources><constraints/></configuration><status/></cib>";

static xmlDoc *load(void)
{
	xmlDoc *doc = NULL;
	vg_error_t err = {0};

	assert_int_equal(vg_xml_parse(base_cib, sizeof(base_cib) - 1, "test", NULL, &doc, &err), 0);
	return doc;
}

static xmlNode *find_op(xmlNode *cib, const char *id)
{
	return vg_xml_find(vg_xml_first(cib, "status"), "lrm_rsc_op", id);
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
	r.origin = "test";
	return r;
}

static void test_record_success(void **state)
{
	xmlDoc *doc = load();
	xmlNode *cib = xmlDocGetRootElement(doc), *op, *ns;
	vg_op_result_t r = result("start", 0, 0, 0);
	vg_error_t err = {0};

	(void)state;
	op = vg_history_record_op(cib, "node1", NULL, &r, &err);
	assert_non_null(op);
	assert_string_equal(vg_xml_get(op, "id"), "rsc1_last_0");
	assert_string_equal(vg_xml_get(op, "operation_key"), "rsc1_start_0");
	assert_string_equal(vg_xml_get(op, "call-id"), "1");
	assert_string_equal(vg_xml_get(op, "rc-code"), "0");
	assert_string_equal(vg_xml_get(op, "last-rc-change"), "1700000000");
	assert_string_equal(vg_xml_get(op, "transition-magic"),
	                    "0:0;1:-1:0:xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx");
	/* The node_state took the configured node id. */
	ns = vg_history_node_state(cib, "node1", NULL, false);
	assert_string_equal(vg_xml_get(ns, "id"), "101");

	/* A recurring monitor gets its own entry and the next call id. */
	r = result("monitor", 10000, 0, 0);
	op = vg_history_record_op(cib, "node1", NULL, &r, &err);
	assert_string_equal(vg_xml_get(op, "id"), "rsc1_monitor_10000");
	assert_string_equal(vg_xml_get(op, "call-id"), "2");
	assert_string_equal(vg_xml_get(op, "interval"), "10000");

	/* A probe that found it stopped is a success (expected 7). */
	r = result("monitor", 0, 7, 7);
	op = vg_history_record_op(cib, "node2", NULL, &r, &err);
	assert_string_equal(vg_xml_get(op, "id"), "rsc1_last_0");
	assert_string_equal(vg_xml_get(op, "rc-code"), "7");
	xmlFreeDoc(doc);
}

static void test_record_failure(void **state)
{
	xmlDoc *doc = load();
	xmlNode *cib = xmlDocGetRootElement(doc), *op;
	vg_op_result_t r = result("start", 0, 1, 0);
	vg_error_t err = {0};

	(void)state;
	r.exit_reason = "boom";
	op = vg_history_record_op(cib, "node1", NULL, &r, &err);
	assert_non_null(op);
	/* A failed one-shot op updates both last_failure_0 and last_0. */
	assert_non_null(find_op(cib, "rsc1_last_failure_0"));
	op = find_op(cib, "rsc1_last_0");
	assert_non_null(op);
	assert_string_equal(vg_xml_get(op, "rc-code"), "1");
	assert_string_equal(vg_xml_get(op, "exit-reason"), "boom");

	/* A failed recurring monitor only writes last_failure_0. */
	r = result("monitor", 10000, 7, 0);
	vg_history_record_op(cib, "node1", NULL, &r, &err);
	op = find_op(cib, "rsc1_last_failure_0");
	assert_string_equal(vg_xml_get(op, "operation_key"), "rsc1_monitor_10000");
	assert_null(find_op(cib, "rsc1_monitor_10000"));
	xmlFreeDoc(doc);
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

static void test_failcount_and_nodes(void **state)
{
	xmlDoc *doc = load();
	xmlNode *cib = xmlDocGetRootElement(doc), *ns;
	vg_op_result_t r = result("start", 0, 0, 0);
	vg_error_t err = {0};

	(void)state;
	vg_history_record_failure(cib, "node1", "rsc1", "monitor", 10000, 7, 1700000001);
	vg_history_record_failure(cib, "node1", "rsc1", "monitor", 10000, 1, 1700000002);
	assert_string_equal(transient(cib, "node1", "fail-count-rsc1#monitor_10000"), "2");
	assert_string_equal(transient(cib, "node1", "last-failure-rsc1#monitor_10000"),
	                    "1700000002");
	/* Probes finding a resource stopped and successes are no failures. */
	vg_history_record_failure(cib, "node2", "rsc1", "monitor", 0, 7, 1);
	vg_history_record_failure(cib, "node2", "rsc1", "start", 0, 0, 1);
	assert_null(transient(cib, "node2", "fail-count-rsc1#monitor_0"));

	vg_history_record_op(cib, "node1", NULL, &r, &err);
	assert_int_equal(vg_history_node_up(cib, "node1", "test"), 0);
	ns = vg_history_node_state(cib, "node1", NULL, false);
	assert_string_equal(vg_xml_get(ns, "crmd"), "online");
	assert_string_equal(vg_xml_get(ns, "in_ccm"), "true");
	assert_int_equal(vg_history_node_fail(cib, "node1", "test"), 0);
	assert_string_equal(vg_xml_get(ns, "in_ccm"), "false");
	assert_string_equal(vg_xml_get(ns, "crmd"), "online");
	assert_non_null(find_op(cib, "rsc1_last_0"));
	/* Down (or fenced): history and transient attributes are gone. */
	assert_int_equal(vg_history_node_down(cib, "node1", "test"), 0);
	assert_string_equal(vg_xml_get(ns, "join"), "down");
	assert_null(find_op(cib, "rsc1_last_0"));
	assert_null(transient(cib, "node1", "fail-count-rsc1#monitor_10000"));
	/* An unknown node gets a node_state named after it. */
	assert_int_equal(vg_history_node_up(cib, "node9", "test"), 0);
	assert_string_equal(vg_xml_get(vg_history_node_state(cib, "node9", NULL, false), "id"),
	                    "node9");
	xmlFreeDoc(doc);
}

static void test_specs(void **state)
{
	char *rsc, *task, *node;
	guint iv;
	int rc;
	vg_error_t err = {0};

	(void)state;
	assert_int_equal(vg_history_parse_op_spec("web_server_monitor_20000@node-1.example=7", &rsc,
	                                          &task, &iv, &node, &rc, &err),
	                 0);
	assert_string_equal(rsc, "web_server");
	assert_string_equal(task, "monitor");
	assert_int_equal(iv, 20000);
	assert_string_equal(node, "node-1.example");
	assert_int_equal(rc, 7);
	g_free(rsc), g_free(task), g_free(node);

	assert_int_equal(
	    vg_history_parse_op_spec("vm:1_migrate_to_0@n2=1", &rsc, &task, &iv, &node, &rc, &err),
	    0);
	assert_string_equal(rsc, "vm:1");
	assert_string_equal(task, "migrate_to");
	g_free(rsc), g_free(task), g_free(node);

	static const char *const bad[] = {"",
	                                  "x",
	                                  "rsc_start_0",
	                                  "rsc_start_0@n1",
	                                  "rsc_start_0@n1=",
	                                  "rsc_start_x@n1=0",
	                                  "start_0@n1=0",
	                                  "rsc_start_0@=1",
	                                  "rsc_start_0@n1=abc",
	                                  "_0@n=1"};
	for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
		vg_error_clear(&err);
		assert_int_equal(
		    vg_history_parse_op_spec(bad[i], &rsc, &task, &iv, &node, &rc, &err),
		    VG_EINVAL);
		assert_null(rsc);
	}
}

static void test_inject(void **state)
{
	xmlDoc *doc = load();
	xmlNode *cib = xmlDocGetRootElement(doc), *op, *lrm_rsc;
	vg_error_t err = {0};

	(void)state;
	assert_int_equal(vg_history_inject_op(cib, "rsc1_monitor_10000@node2=7", 5, "t", &err), 0);
	op = find_op(cib, "rsc1_last_failure_0");
	assert_non_null(op);
	assert_string_equal(vg_xml_get(op, "rc-code"), "7");
	assert_string_equal(transient(cib, "node2", "fail-count-rsc1#monitor_10000"), "1");
	/* Class and type come from the template when the primitive has none. */
	assert_int_equal(vg_history_inject_op(cib, "rsc2_start_0@node1=0", 5, "t", &err), 0);
	lrm_rsc = vg_xml_find(vg_xml_first(cib, "status"), "lrm_resource", "rsc2");
	assert_non_null(lrm_rsc);
	assert_string_equal(vg_xml_get(lrm_rsc, "class"), "lsb");
	assert_string_equal(vg_xml_get(lrm_rsc, "type"), "cron");
	vg_error_clear(&err);
	assert_int_equal(vg_history_inject_op(cib, "nosuch_start_0@node1=0", 5, "t", &err),
	                 VG_ENOENT);
	xmlFreeDoc(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_record_success),
	    cmocka_unit_test(test_record_failure),
	    cmocka_unit_test(test_failcount_and_nodes),
	    cmocka_unit_test(test_specs),
	    cmocka_unit_test(test_inject),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
