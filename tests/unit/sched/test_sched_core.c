/*
 * Unit tests of libvigil-sched's core: a start on the only node, a
 * -INFINITY colocation, fencing of an unclean
 * node before its resources recover, and that two runs give identical
 * output (no hidden state).
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

#define NODES2 "<nodes><node id='1' uname='node1'/><node id='2' uname='node2'/></nodes>"
#define UP(n, id)                           \
	"<node_state id='" id "' uname='" n \
	"' in_ccm='true' crmd='online' join='member' expected='member'>"
#define NOSTONITH                                                                          \
	"<crm_config><cluster_property_set id='o'><nvpair id='o1' name='stonith-enabled' " \
	"value='false'/></cluster_property_set></crm_config>"
#define DUMMY(id) "<primitive id='" id "' class='ocf' provider='heartbeat' type='Dummy'/>"

static char *summary_of(const char *cib)
{
	xmlDoc *doc = NULL;
	vg_error_t err = {0};
	vg_sched_result_t *res = NULL;
	GString *out = g_string_new("");
	const GPtrArray *s;

	assert_int_equal(vg_xml_parse(cib, strlen(cib), "test", NULL, &doc, &err), 0);
	assert_int_equal(vg_sched_run(xmlDocGetRootElement(doc), 1000, NULL, &res, &err), 0);
	s = vg_sched_result_summary(res);
	for (guint i = 0; i < s->len; i++) {
		char **w = g_strsplit_set(s->pdata[i], " ", -1);
		for (char **p = w; *p; p++)
			if (**p)
				g_string_append_printf(out, "%s ", *p);
		g_strfreev(w);
		g_string_append(out, "|");
	}
	assert_non_null(vg_sched_result_graph(res));
	vg_sched_result_free(res);
	xmlFreeDoc(doc);
	return g_string_free(out, FALSE);
}

static void test_start(void **state)
{
	char *s = summary_of(
	    "<cib have-quorum='1'><configuration>" NOSTONITH
	    "<nodes><node id='1' uname='node1'/></nodes><resources>" DUMMY(
	        "rsc1") "</resources><constraints/></configuration><status>" UP("node1",
	                                                                        "1") "</"
	                                                                             "node_state></"
	                                                                             "status></"
	                                                                             "cib>");
	(void)state;
	assert_string_equal(s, "* Start rsc1 ( node1 ) |");
	g_free(s);
}

static const char *running_failed =
    "<cib have-quorum='1'><configuration>" NOSTONITH NODES2 "<resources>"
    "<primitive id='rsc1' class='ocf' provider='heartbeat' type='Dummy'><meta_attributes id='m'>"
    "<nvpair id='m1' name='migration-threshold' value='1'/></meta_attributes></primitive>"
    "</resources><constraints/></configuration><status>" UP(
        "node1", "1") "<transient_attributes id='1'><instance_attributes id='t'>"
                      "<nvpair id='t1' name='fail-count-rsc1' "
                      "value='1'/></instance_attributes></transient_attributes>"
                      "<lrm id='1'><lrm_resources><lrm_resource id='rsc1' class='ocf' "
                      "provider='heartbeat' type='Dummy'>"
                      "<lrm_rsc_op id='a' operation='start' interval='0' rc-code='0' op-status='0' "
                      "call-id='1' transition-key='1:1:0:x'/>"
                      "<lrm_rsc_op id='b' operation='monitor' interval='10000' rc-code='7' "
                      "op-status='0' call-id='2' transition-key='2:1:0:x'/>"
                      "</lrm_resource></lrm_resources></lrm></node_state>" UP(
                          "node2",
                          "2") "<lrm id='2'><lrm_resources><lrm_resource id='rsc1' class='ocf' "
                               "provider='heartbeat' type='Dummy'>"
                               "<lrm_rsc_op id='c' operation='monitor' interval='0' rc-code='7' "
                               "op-status='0' call-id='1' transition-key='1:1:7:x'/>"
                               "</lrm_resource></lrm_resources></lrm></node_state></status></cib>";

static void test_anti_colocation(void **state)
{
	char *s = summary_of(
	    "<cib have-quorum='1'><configuration>" NOSTONITH NODES2 "<resources>" DUMMY("a") DUMMY(
	        "b") "</resources><constraints>"
	             "<rsc_colocation id='c' rsc='b' with-rsc='a' score='-INFINITY'/>"
	             "<rsc_location id='l' rsc='a' node='node2' score='10'/>"
	             "</constraints></configuration><status>" UP("node1", "1") "</node_state>" UP(
	                 "node2", "2") "</node_state></status></cib>");
	(void)state;
	assert_string_equal(s, "* Start a ( node2 ) |* Start b ( node1 ) |");
	g_free(s);
}

static void test_fence_unclean(void **state)
{
	char *s = summary_of("<cib have-quorum='1'><configuration>" NODES2 "<resources>" DUMMY(
	    "rsc1") "</resources><constraints/></configuration><status>"
	            "<node_state id='1' uname='node1' in_ccm='false' crmd='offline' join='member' "
	            "expected='member'>"
	            "<lrm id='1'><lrm_resources><lrm_resource id='rsc1' class='ocf' "
	            "provider='heartbeat' type='Dummy'>"
	            "<lrm_rsc_op id='a' operation='start' interval='0' rc-code='0' op-status='0' "
	            "call-id='1' transition-key='1:1:0:x'/>"
	            "</lrm_resource></lrm_resources></lrm></node_state>" UP(
	                "node2", "2") "</node_state></status></cib>");
	(void)state;
	assert_string_equal(s, "* Fence (reboot) node1 'peer is no longer part of the cluster' |"
	                       "* Move rsc1 ( node1 -> node2 ) |");
	g_free(s);
}

static void test_repeatable(void **state)
{
	char *a = summary_of(running_failed), *b = summary_of(running_failed);
	(void)state;
	assert_string_equal(a, b);
	g_free(a);
	g_free(b);
}

static const char *cib_group_failure_moves_group =
    "<cib admin_epoch='0' epoch='1' num_updates='0' validate-with='pacemaker-3.0' have-quorum='1'>"
    "<configuration><crm_config><cluster_property_set id='o'><nvpair id='o1' "
    "name='stonith-enabled' value='false'/></cluster_property_set></crm_config>"
    "<nodes><node id='1' uname='node1'/><node id='2' uname='node2'/></nodes>"
    "<resources><group id='g'><primitive id='a' class='ocf' provider='heartbeat' "
    "type='Dummy'/><primitive id='b' class='ocf' provider='heartbeat' "
    "type='Dummy'/></group></resources><constraints/></configuration>"
    "<status><node_state id='1' uname='node1' in_ccm='true' crmd='online' join='member' "
    "expected='member'><transient_attributes id='1'><instance_attributes id='t1'><nvpair id='t1a' "
    "name='fail-count-b#start_0' "
    "value='INFINITY'/></instance_attributes></transient_attributes><lrm id='1'><lrm_resources>"
    "<lrm_resource id='a' class='ocf' provider='heartbeat' type='Dummy'><lrm_rsc_op id='a1' "
    "operation='start' interval='0' rc-code='0' op-status='0' call-id='1' transition-key='1:1:0:x' "
    "op-digest='f2317cad3d54cec5d7d7aa7d0bf35cf8'/></lrm_resource>"
    "<lrm_resource id='b' class='ocf' provider='heartbeat' type='Dummy'><lrm_rsc_op id='b1' "
    "operation='start' interval='0' rc-code='1' op-status='0' call-id='2' transition-key='2:1:0:x' "
    "op-digest='f2317cad3d54cec5d7d7aa7d0bf35cf8'/></lrm_resource>"
    "</lrm_resources></lrm></node_state>"
    "<node_state id='2' uname='node2' in_ccm='true' crmd='online' join='member' "
    "expected='member'><lrm id='2'><lrm_resources>"
    "<lrm_resource id='a' class='ocf' provider='heartbeat' type='Dummy'><lrm_rsc_op id='a2' "
    "operation='monitor' interval='0' rc-code='7' op-status='0' call-id='1' "
    "transition-key='1:1:7:x' op-digest='f2317cad3d54cec5d7d7aa7d0bf35cf8'/></lrm_resource>"
    "<lrm_resource id='b' class='ocf' provider='heartbeat' type='Dummy'><lrm_rsc_op id='b2' "
    "operation='monitor' interval='0' rc-code='7' op-status='0' call-id='2' "
    "transition-key='2:1:7:x' op-digest='f2317cad3d54cec5d7d7aa7d0bf35cf8'/></lrm_resource>"
    "</lrm_resources></lrm></node_state></status></cib>";

static void test_group_failure_moves_group(void **state)
{
	char *s = summary_of(cib_group_failure_moves_group);
	(void)state;
	assert_string_equal(s, "* Move a ( node1 -> node2 ) |* Recover b ( node1 -> node2 ) |");
	g_free(s);
}

static const char *cib_order_restarts_dependent =
    "<cib admin_epoch='0' epoch='1' num_updates='0' validate-with='pacemaker-3.0' have-quorum='1'>"
    "<configuration><crm_config><cluster_property_set id='o'><nvpair id='o1' "
    "name='stonith-enabled' value='false'/></cluster_property_set></crm_config>"
    "<nodes><node id='1' uname='node1'/><node id='2' uname='node2'/></nodes>"
    "<resources><primitive id='A' class='ocf' provider='heartbeat' type='Dummy'/><primitive id='B' "
    "class='ocf' provider='heartbeat' type='Dummy'/></resources>"
    "<constraints><rsc_order id='o' first='A' then='B'/><rsc_location id='l1' rsc='A' node='node1' "
    "score='100'/><rsc_location id='l2' rsc='B' node='node1' "
    "score='100'/></constraints></configuration>"
    "<status><node_state id='1' uname='node1' in_ccm='true' crmd='online' join='member' "
    "expected='member'><lrm id='1'><lrm_resources>"
    "<lrm_resource id='A' class='ocf' provider='heartbeat' type='Dummy'><lrm_rsc_op id='a1' "
    "operation='start' interval='0' rc-code='0' op-status='0' call-id='1' transition-key='1:1:0:x' "
    "op-digest='f2317cad3d54cec5d7d7aa7d0bf35cf8'/><lrm_rsc_op id='a3' operation='monitor' "
    "interval='10000' rc-code='7' op-status='0' call-id='3' transition-key='3:1:0:x' "
    "op-digest='f2317cad3d54cec5d7d7aa7d0bf35cf8'/></lrm_resource>"
    "<lrm_resource id='B' class='ocf' provider='heartbeat' type='Dummy'><lrm_rsc_op id='b1' "
    "operation='start' interval='0' rc-code='0' op-status='0' call-id='2' transition-key='2:1:0:x' "
    "op-digest='f2317cad3d54cec5d7d7aa7d0bf35cf8'/></lrm_resource>"
    "</lrm_resources></lrm></node_state>"
    "<node_state id='2' uname='node2' in_ccm='true' crmd='online' join='member' "
    "expected='member'><lrm id='2'><lrm_resources>"
    "<lrm_resource id='A' class='ocf' provider='heartbeat' type='Dummy'><lrm_rsc_op id='a2' "
    "operation='monitor' interval='0' rc-code='7' op-status='0' call-id='1' "
    "transition-key='1:1:7:x' op-digest='f2317cad3d54cec5d7d7aa7d0bf35cf8'/></lrm_resource>"
    "<lrm_resource id='B' class='ocf' provider='heartbeat' type='Dummy'><lrm_rsc_op id='b2' "
    "operation='monitor' interval='0' rc-code='7' op-status='0' call-id='2' "
    "transition-key='2:1:7:x' op-digest='f2317cad3d54cec5d7d7aa7d0bf35cf8'/></lrm_resource>"
    "</lrm_resources></lrm></node_state></status></cib>";

static void test_order_restarts_dependent(void **state)
{
	char *s = summary_of(cib_order_restarts_dependent);
	(void)state;
	assert_string_equal(
	    s, "* Recover A ( node1 ) |* Restart B ( node1 ) due to required A start |");
	g_free(s);
}

static const char *cib_clone_instances =
    "<cib admin_epoch='0' epoch='1' num_updates='0' validate-with='pacemaker-3.0' have-quorum='1'>"
    "<configuration><crm_config><cluster_property_set id='o'><nvpair id='o1' "
    "name='stonith-enabled' value='false'/></cluster_property_set></crm_config>"
    "<nodes><node id='1' uname='node1'/><node id='2' uname='node2'/></nodes>"
    "<resources><clone id='C'><primitive id='p' class='ocf' provider='heartbeat' "
    "type='Dummy'/></clone></resources><constraints/></configuration>"
    "<status><node_state id='1' uname='node1' in_ccm='true' crmd='online' join='member' "
    "expected='member'><lrm id='1'><lrm_resources/></lrm></node_state>"
    "<node_state id='2' uname='node2' in_ccm='true' crmd='online' join='member' "
    "expected='member'><lrm id='2'><lrm_resources/></lrm></node_state></status></cib>";

static void test_clone_instances(void **state)
{
	char *s = summary_of(cib_clone_instances);
	(void)state;
	assert_string_equal(s, "* Start p:0 ( node1 ) |* Start p:1 ( node2 ) |");
	g_free(s);
}

static gpointer run_thread(gpointer data)
{
	return summary_of(data);
}

/* No hidden state: runs in parallel give what one run gives. */
static void test_parallel(void **state)
{
	const char *cibs[] = {cib_group_failure_moves_group, cib_order_restarts_dependent,
	                      cib_clone_instances, cib_group_failure_moves_group};
	GThread *t[G_N_ELEMENTS(cibs)];
	(void)state;
	for (size_t i = 0; i < G_N_ELEMENTS(cibs); i++)
		t[i] = g_thread_new("sched", run_thread, (gpointer)cibs[i]);
	for (size_t i = 0; i < G_N_ELEMENTS(cibs); i++) {
		char *got = g_thread_join(t[i]), *want = summary_of(cibs[i]);
		assert_string_equal(got, want);
		g_free(got);
		g_free(want);
	}
}

static void test_not_a_cib(void **state)
{
	xmlDoc *doc = NULL;
	vg_sched_result_t *res = NULL;
	vg_error_t err = {0};
	(void)state;
	assert_int_equal(vg_xml_parse("<x/>", 4, "t", NULL, &doc, &err), 0);
	assert_int_equal(vg_sched_run(xmlDocGetRootElement(doc), 0, NULL, &res, &err), VG_EINVAL);
	assert_null(res);
	xmlFreeDoc(doc);
}

/* How many graph events of `operation` (or with that operation_key) on
 * `node` the CIB's transition has
 * (each action once: the copies listed as inputs are not counted). */
static int graph_count(const char *cib, const char *operation, const char *node)
{
	xmlDoc *doc = NULL;
	vg_error_t err = {0};
	vg_sched_result_t *res = NULL;
	GPtrArray *todo = g_ptr_array_new();
	int n = 0;

	assert_int_equal(vg_xml_parse(cib, strlen(cib), "test", NULL, &doc, &err), 0);
	assert_int_equal(vg_sched_run(xmlDocGetRootElement(doc), 1000, NULL, &res, &err), 0);
	g_ptr_array_add(todo, vg_sched_result_graph(res));
	while (todo->len > 0) {
		xmlNode *x = g_ptr_array_steal_index(todo, todo->len - 1);

		if ((g_strcmp0(vg_xml_get(x, "operation"), operation) == 0 ||
		     g_strcmp0(vg_xml_get(x, "operation_key"), operation) == 0) &&
		    g_strcmp0(vg_xml_get(x, "on_node"), node) == 0)
			n++;
		for (xmlNode *c = x->children; c != NULL; c = c->next)
			if (c->type == XML_ELEMENT_NODE && !vg_xml_is(c, "inputs"))
				g_ptr_array_add(todo, c);
	}
	g_ptr_array_free(todo, TRUE);
	vg_sched_result_free(res);
	xmlFreeDoc(doc);
	return n;
}

/* rsc1 has a parameter; its failed probe on node1 was recorded with digest
 * DIGEST (the one of no parameters at all, or the current one). */
#define FAILED_PROBE(DIGEST)                                                                       \
	"<cib have-quorum='1'><configuration>" NOSTONITH NODES2 "<resources>"                      \
	"<primitive id='rsc1' class='ocf' provider='heartbeat' type='Dummy'>"                      \
	"<instance_attributes id='i'><nvpair id='i1' name='state' value='/x'/>"                    \
	"</instance_attributes></primitive></resources><constraints/></configuration>"             \
	"<status>" UP(                                                                             \
	    "node1", "1") "<lrm id='1'><lrm_resources>"                                            \
	                  "<lrm_resource id='rsc1' class='ocf' provider='heartbeat' type='Dummy'>" \
	                  "<lrm_rsc_op id='rsc1_last_failure_0' operation='monitor' interval='0' " \
	                  "rc-code='5' "                                                           \
	                  "op-status='0' call-id='1' transition-key='1:1:7:x' op-digest='" DIGEST  \
	                  "'/>"                                                                    \
	                  "</lrm_resource></lrm_resources></lrm></node_state>" UP(                 \
	                      "node2", "2") "</node_state></status></cib>"

static void test_failure_with_old_params_cleared(void **state)
{
	GHashTable *p = g_hash_table_new(g_str_hash, g_str_equal);
	char *now, *cib;

	(void)state;
	assert_int_equal(graph_count(FAILED_PROBE("f2317cad3d54cec5d7d7aa7d0bf35cf8"),
	                             "clear_failcount", "node1"),
	                 1);
	g_hash_table_insert(p, "state", "/x");
	now = vg_sched_op_digest(p, 0);
	cib = g_strdup_printf(FAILED_PROBE("%s"), now);
	assert_int_equal(graph_count(cib, "clear_failcount", "node1"), 0);
	g_free(cib);
	g_free(now);
	g_hash_table_destroy(p);
}

/* The agent changed while the resource was stopped: its old history is
 * deleted before it starts with the new one. */
static void test_replaced_agent_history_deleted(void **state)
{
	const char *cib =
	    "<cib have-quorum='1'><configuration>" NOSTONITH
	    "<nodes><node id='1' uname='node1'/></nodes>"
	    "<resources><primitive id='rsc1' class='lsb' type='apache'/></resources><constraints/>"
	    "</configuration><status>" UP(
	        "node1",
	        "1") "<lrm id='1'><lrm_resources>"
	             "<lrm_resource id='rsc1' class='ocf' provider='heartbeat' type='apache'>"
	             "<lrm_rsc_op id='rsc1_last_0' operation='stop' interval='0' rc-code='0' "
	             "op-status='0' "
	             "call-id='2' transition-key='1:1:0:x'/></lrm_resource></lrm_resources></lrm>"
	             "</node_state></status></cib>";

	(void)state;
	assert_int_equal(graph_count(cib, "delete", "node1"), 1);
	assert_int_equal(graph_count(cib, "start", "node1"), 1);
}

/* A failed recurring monitor that is no longer configured is cancelled
 * even though the recovery's stop would end it. */
static void test_unconfigured_monitor_cancelled(void **state)
{
	const char *cib =
	    "<cib have-quorum='1'><configuration>" NOSTONITH
	    "<nodes><node id='1' uname='node1'/></nodes>"
	    "<resources>" DUMMY(
	        "rsc1") "</resources><constraints/>"
	                "</configuration><status>" UP(
	                    "node1",
	                    "1") "<lrm id='1'><lrm_resources>"
	                         "<lrm_resource id='rsc1' class='ocf' provider='heartbeat' "
	                         "type='Dummy'>"
	                         "<lrm_rsc_op id='rsc1_start_0' operation='start' interval='0' "
	                         "rc-code='0' op-status='0' "
	                         "call-id='1' transition-key='1:1:0:x'/>"
	                         "<lrm_rsc_op id='rsc1_monitor_1' operation='monitor' interval='1' "
	                         "rc-code='1' op-status='4' "
	                         "call-id='2' "
	                         "transition-key='2:1:0:x'/></lrm_resource></lrm_resources></lrm>"
	                         "</node_state></status></cib>";

	(void)state;
	assert_int_equal(graph_count(cib, "stop", "node1"), 1);
	assert_int_equal(graph_count(cib, "cancel", "node1"), 1);
}

/* shutdown-lock: a lock older than shutdown-lock-limit releases the
 * resource and clears the history that held it (now = 1000 in these tests). */
#define LOCKED(SINCE)                                                                              \
	"<cib have-quorum='1'><configuration><crm_config><cluster_property_set id='o'>"            \
	"<nvpair id='o1' name='stonith-enabled' value='false'/>"                                   \
	"<nvpair id='o2' name='shutdown-lock' value='true'/>"                                      \
	"<nvpair id='o3' name='shutdown-lock-limit' value='5m'/></cluster_property_set>"           \
	"</crm_config>" NODES2 "<resources>" DUMMY(                                                \
	    "rsc1") "</resources><constraints/>"                                                   \
	            "</configuration><status>" UP(                                                 \
	                "node1",                                                                   \
	                "1") "</node_state>"                                                       \
	                     "<node_state id='2' uname='node2' in_ccm='false' crmd='offline' "     \
	                     "join='down' "                                                        \
	                     "expected='down'><lrm id='2'><lrm_resources><lrm_resource id='rsc1' " \
	                     "class='ocf' "                                                        \
	                     "provider='heartbeat' type='Dummy' shutdown-lock='" SINCE "'>"        \
	                     "<lrm_rsc_op id='rsc1_last_0' operation='stop' interval='0' "         \
	                     "rc-code='0' op-status='0' "                                          \
	                     "call-id='2' "                                                        \
	                     "transition-key='1:1:0:x'/></lrm_resource></lrm_resources></lrm>"     \
	                     "</node_state></status></cib>"

static void test_expired_shutdown_lock(void **state)
{
	(void)state;
	assert_int_equal(graph_count(LOCKED("900"), "lrm_delete", "node2"), 0);
	assert_int_equal(graph_count(LOCKED("900"), "start", "node1"), 0);
	assert_int_equal(graph_count(LOCKED("600"), "lrm_delete", "node2"), 1);
	assert_int_equal(graph_count(LOCKED("600"), "start", "node1"), 1);
}

/* notify=true: two instances start and each hears about it afterwards
 * (post); nobody was active before, so there is no pre notification. */
static void test_clone_notifications(void **state)
{
	const char *cib =
	    "<cib have-quorum='1'><configuration>" NOSTONITH NODES2 "<resources>"
	    "<clone id='C'><meta_attributes id='cm'><nvpair id='cm1' name='notify' value='true'/>"
	    "</meta_attributes>" DUMMY("p") "</clone></resources><constraints/></configuration>"
	                                    "<status>" UP("node1", "1") "</node_state>" UP(
	                                        "node2", "2") "</node_state></status></cib>";
	const char *plain =
	    "<cib have-quorum='1'><configuration>" NOSTONITH NODES2 "<resources>"
	    "<clone id='C'>" DUMMY("p") "</clone></resources><constraints/></configuration>"
	                                "<status>" UP("node1", "1") "</node_state>" UP(
	                                    "node2", "2") "</node_state></status></cib>";

	(void)state;
	assert_int_equal(graph_count(cib, "start", "node1"), 1);
	assert_int_equal(graph_count(cib, "notify", "node1"), 1);
	assert_int_equal(graph_count(cib, "notify", "node2"), 1);
	assert_int_equal(graph_count(plain, "notify", "node1"), 0);
}

/* A promote without a start in the history began the current run: the
 * Promoted monitor recorded before it is gone and is scheduled again. */
static void test_monitor_older_than_promote(void **state)
{
	const char *cib =
	    "<cib have-quorum='1'><configuration>" NOSTONITH
	    "<nodes><node id='1' uname='node1'/></nodes>"
	    "<resources><clone id='C'><meta_attributes id='cm'><nvpair id='cm1' name='promotable' "
	    "value='true'/><nvpair id='cm2' name='clone-max' value='1'/></meta_attributes>"
	    "<primitive id='p' class='ocf' provider='pacemaker' type='Stateful'><operations>"
	    "<op id='p-m4' name='monitor' interval='4s' role='Unpromoted'/>"
	    "<op id='p-m5' name='monitor' interval='5s' role='Promoted'/></operations></primitive>"
	    "</clone></resources><constraints><rsc_location id='l' rsc='C' role='Promoted' "
	    "node='node1' score='100'/></constraints></configuration><status>" UP(
	        "node1",
	        "1") "<lrm id='1'><lrm_resources><lrm_resource id='p:0' class='ocf' "
	             "provider='pacemaker' type='Stateful'>"
	             "<lrm_rsc_op id='p:0_last_0' operation='promote' interval='0' rc-code='0' "
	             "op-status='0' "
	             "call-id='9' transition-key='1:1:0:x'/>"
	             "<lrm_rsc_op id='p:0_monitor_5000' operation='monitor' interval='5000' "
	             "rc-code='8' op-status='0' "
	             "call-id='5' transition-key='2:1:8:x'/></lrm_resource></lrm_resources></lrm>"
	             "</node_state></status></cib>";

	(void)state;
	assert_int_equal(graph_count(cib, "monitor", "node1"), 1);
	assert_int_equal(graph_count(cib, "promote", "node1"), 0);
}

/* An unmanaged promoted instance stays promoted: it is monitored with the
 * Promoted monitor, and no other instance is promoted in its place. */
static void test_unmanaged_promoted_monitor(void **state)
{
	const char *cib =
	    "<cib have-quorum='1'><configuration>" NOSTONITH NODES2
	    "<resources><clone id='C'><meta_attributes id='cm'><nvpair id='cm1' name='promotable' "
	    "value='true'/><nvpair id='cm2' name='is-managed' value='false'/></meta_attributes>"
	    "<primitive id='p' class='ocf' provider='pacemaker' type='Stateful'><operations>"
	    "<op id='p-m15' name='monitor' interval='15s'/>"
	    "<op id='p-m16' name='monitor' interval='16s' "
	    "role='Promoted'/></operations></primitive>"
	    "</clone></resources><constraints/></configuration><status>" UP(
	        "node1", "1") "<transient_attributes id='1'><instance_attributes id='t1'>"
	                      "<nvpair id='t11' name='master-p' "
	                      "value='5'/></instance_attributes></transient_attributes>"
	                      "<lrm id='1'><lrm_resources><lrm_resource id='p' class='ocf' "
	                      "provider='pacemaker' type='Stateful'>"
	                      "<lrm_rsc_op id='p_last_0' operation='monitor' interval='0' "
	                      "rc-code='8' op-status='0' "
	                      "call-id='3' "
	                      "transition-key='1:1:7:x'/></lrm_resource></lrm_resources></lrm></"
	                      "node_state>" UP(
	                          "node2",
	                          "2") "<transient_attributes id='2'><instance_attributes id='t2'>"
	                               "<nvpair id='t21' name='master-p' "
	                               "value='50'/></instance_attributes></transient_attributes>"
	                               "<lrm id='2'><lrm_resources><lrm_resource id='p' "
	                               "class='ocf' provider='pacemaker' type='Stateful'>"
	                               "<lrm_rsc_op id='p_last_0' operation='monitor' interval='0' "
	                               "rc-code='0' op-status='0' "
	                               "call-id='3' "
	                               "transition-key='1:1:7:x'/></lrm_resource></lrm_resources></"
	                               "lrm></node_state>"
	                               "</status></cib>";
	char *s = summary_of(cib);

	(void)state;
	assert_string_equal(s, "");
	g_free(s);
	assert_int_equal(graph_count(cib, "p:0_monitor_16000", "node1") +
	                     graph_count(cib, "p:1_monitor_16000", "node1"),
	                 1);
	assert_int_equal(graph_count(cib, "p:0_monitor_16000", "node2") +
	                     graph_count(cib, "p:1_monitor_16000", "node2"),
	                 0);
}

/* A failed demote leaves the instance Unpromoted (staying Promoted would
 * retry the demote forever): it is recovered as Unpromoted. */
static void test_failed_demote(void **state)
{
	char *s = summary_of(
	    "<cib have-quorum='1'><configuration>" NOSTONITH
	    "<nodes><node id='1' uname='node1'/></nodes>"
	    "<resources><clone id='C'><meta_attributes id='cm'><nvpair id='cm1' name='promotable' "
	    "value='true'/><nvpair id='cm2' name='clone-max' value='1'/></meta_attributes>"
	    "<primitive id='p' class='ocf' provider='pacemaker' "
	    "type='Stateful'/></clone></resources>"
	    "<constraints/></configuration><status>" UP(
	        "node1",
	        "1") "<lrm id='1'><lrm_resources>"
	             "<lrm_resource id='p' class='ocf' provider='pacemaker' type='Stateful'>"
	             "<lrm_rsc_op id='a' operation='start' interval='0' rc-code='0' op-status='0' "
	             "call-id='3' transition-key='1:1:0:x'/>"
	             "<lrm_rsc_op id='b' operation='promote' interval='0' rc-code='0' "
	             "op-status='0' call-id='4' transition-key='1:1:0:x'/>"
	             "<lrm_rsc_op id='c' operation='demote' interval='0' rc-code='1' op-status='0' "
	             "call-id='5' transition-key='1:1:0:x'/>"
	             "</lrm_resource></lrm_resources></lrm></node_state></status></cib>");

	(void)state;
	assert_string_equal(s, "* Recover p:0 ( Unpromoted node1 ) |");
	g_free(s);
}

/* The value of attributes/@attr of the graph action with `key` (g_free). */
static char *graph_attr(const char *cib, const char *key, const char *attr)
{
	xmlDoc *doc = NULL;
	vg_error_t err = {0};
	vg_sched_result_t *res = NULL;
	xmlNode *syn, *set, *act, *at;
	char *v = NULL;

	assert_int_equal(vg_xml_parse(cib, strlen(cib), "test", NULL, &doc, &err), 0);
	assert_int_equal(vg_sched_run(xmlDocGetRootElement(doc), 1000, NULL, &res, &err), 0);
	VG_XML_FOREACH(syn, vg_sched_result_graph(res), "synapse")
	{
		set = vg_xml_first(syn, "action_set");
		act = set != NULL ? vg_xml_first(set, "rsc_op") : NULL;
		at = act != NULL ? vg_xml_first(act, "attributes") : NULL;
		if (at != NULL && g_strcmp0(vg_xml_get(act, "operation_key"), key) == 0)
			v = g_strdup(vg_xml_get(at, attr));
	}
	vg_sched_result_free(res);
	xmlFreeDoc(doc);
	return v;
}

/* The Promoted monitor of a new promoted instance expects rc 8 and says its
 * role; every instance action tells the agent about its clone. */
static void test_promoted_monitor_meta(void **state)
{
	const char *cib =
	    "<cib have-quorum='1'><configuration>" NOSTONITH
	    "<nodes><node id='1' uname='node1'/></nodes>"
	    "<resources><clone id='C'><meta_attributes id='cm'><nvpair id='cm1' name='promotable' "
	    "value='true'/><nvpair id='cm2' name='clone-max' value='1'/></meta_attributes>"
	    "<primitive id='p' class='ocf' provider='pacemaker' type='Stateful'><operations>"
	    "<op id='p-m10' name='monitor' interval='10s' role='Promoted'/>"
	    "<op id='p-m11' name='monitor' interval='11s' "
	    "role='Unpromoted'/></operations></primitive>"
	    "</clone></resources><constraints/></configuration><status>" UP(
	        "node1", "1") "<transient_attributes id='1'><instance_attributes id='t1'>"
	                      "<nvpair id='t11' name='master-p' "
	                      "value='5'/></instance_attributes></transient_attributes>"
	                      "</node_state></status></cib>";
	char *rc = graph_attr(cib, "p:0_monitor_10000", "CRM_meta_op_target_rc");
	char *role = graph_attr(cib, "p:0_monitor_10000", "CRM_meta_role");
	char *clone = graph_attr(cib, "p:0_start_0", "CRM_meta_clone_max");

	(void)state;
	assert_string_equal(rc, "8");
	assert_string_equal(role, "Promoted");
	assert_string_equal(clone, "1");
	g_free(rc);
	g_free(role);
	g_free(clone);
}

/* The operation keys the graph action with `key` waits for, joined by ','
 * (g_free). */
static char *graph_inputs(const char *cib, const char *key)
{
	xmlDoc *doc = NULL;
	vg_error_t err = {0};
	vg_sched_result_t *res = NULL;
	xmlNode *syn, *set, *act, *in, *trig, *op;
	GString *out = g_string_new("");

	assert_int_equal(vg_xml_parse(cib, strlen(cib), "test", NULL, &doc, &err), 0);
	assert_int_equal(vg_sched_run(xmlDocGetRootElement(doc), 1000, NULL, &res, &err), 0);
	VG_XML_FOREACH(syn, vg_sched_result_graph(res), "synapse")
	{
		set = vg_xml_first(syn, "action_set");
		act = set != NULL ? vg_xml_first(set, "rsc_op") : NULL;
		if (act == NULL || g_strcmp0(vg_xml_get(act, "operation_key"), key) != 0)
			continue;
		in = vg_xml_first(syn, "inputs");
		VG_XML_FOREACH(trig, in, "trigger")
		{
			for (op = trig->children; op != NULL; op = op->next)
				if (op->type == XML_ELEMENT_NODE)
					g_string_append_printf(out, "%s,",
					                       vg_xml_get(op, "operation_key"));
		}
	}
	vg_sched_result_free(res);
	xmlFreeDoc(doc);
	return g_string_free(out, FALSE);
}

/* A started instance being promoted: its new Promoted monitor (which
 * expects rc 8) waits for the promote, or it would see rc 0 and fail. */
static void test_promoted_monitor_after_promote(void **state)
{
	const char *cib =
	    "<cib have-quorum='1'><configuration>" NOSTONITH
	    "<nodes><node id='1' uname='node1'/></nodes>"
	    "<resources><clone id='C'><meta_attributes id='cm'><nvpair id='cm1' name='promotable' "
	    "value='true'/><nvpair id='cm2' name='clone-max' value='1'/></meta_attributes>"
	    "<primitive id='p' class='ocf' provider='pacemaker' type='Stateful'><operations>"
	    "<op id='p-m10' name='monitor' interval='10s' role='Promoted'/>"
	    "<op id='p-m11' name='monitor' interval='11s' "
	    "role='Unpromoted'/></operations></primitive>"
	    "</clone></resources><constraints/></configuration><status>" UP(
	        "node1",
	        "1") "<lrm id='1'><lrm_resources><lrm_resource id='p' class='ocf' "
	             "provider='pacemaker' "
	             "type='Stateful'><lrm_rsc_op id='p_last_0' operation_key='p_start_0' "
	             "operation='start' transition-key='1:1:0:x' transition-magic='0:0;1:1:0:x' "
	             "call-id='2' rc-code='0' op-status='0' "
	             "interval='0'/></lrm_resource></lrm_resources></lrm>"
	             "<transient_attributes id='1'><instance_attributes id='t1'>"
	             "<nvpair id='t11' name='master-p' "
	             "value='5'/></instance_attributes></transient_attributes>"
	             "</node_state></status></cib>";
	char *in = graph_inputs(cib, "p:0_monitor_10000");

	(void)state;
	assert_non_null(strstr(in, "p:0_promote_0,"));
	g_free(in);
}

/* An anonymous clone with clone-max=1 but history of two active instances
 * on node1: the extra one is an orphan instance (p:1) that is stopped. */
static void test_clone_orphan_instance(void **state)
{
	char *s = summary_of(
	    "<cib have-quorum='1'><configuration>" NOSTONITH
	    "<nodes><node id='1' uname='node1'/></nodes>"
	    "<resources><clone id='C'><meta_attributes id='cm'><nvpair id='cm2' name='clone-max' "
	    "value='1'/></meta_attributes>" DUMMY(
	        "p") "</clone></resources>"
	             "<constraints/></configuration><status>" UP(
	                 "node1",
	                 "1") "<lrm id='1'><lrm_resources>"
	                      "<lrm_resource id='p:0' class='ocf' provider='heartbeat' "
	                      "type='Dummy'>"
	                      "<lrm_rsc_op id='a' operation='start' interval='0' rc-code='0' "
	                      "op-status='0' call-id='3' transition-key='1:1:0:x'/>"
	                      "</lrm_resource><lrm_resource id='p:1' class='ocf' "
	                      "provider='heartbeat' type='Dummy'>"
	                      "<lrm_rsc_op id='b' operation='start' interval='0' rc-code='0' "
	                      "op-status='0' call-id='4' transition-key='1:1:0:x'/>"
	                      "</lrm_resource><lrm_resource id='p:2' class='ocf' "
	                      "provider='heartbeat' type='Dummy'>"
	                      "<lrm_rsc_op id='c' operation='stop' interval='0' rc-code='0' "
	                      "op-status='0' call-id='5' transition-key='1:1:0:x'/>"
	                      "</lrm_resource></lrm_resources></lrm></node_state></status></cib>");

	(void)state;
	assert_string_equal(s, "* Stop p:1 ( node1 ) due to node availability |");
	g_free(s);
}

/* An anonymous clone instance stopped on node1 after reaching
 * migration-threshold there: no other instance starts in its place (it
 * would be stopped again at once, for ever). */
static void test_clone_threshold_bans_all_instances(void **state)
{
	char *s = summary_of(
	    "<cib have-quorum='1'><configuration>" NOSTONITH "<nodes><node id='1' uname='node1'/>"
	    "<node id='2' uname='node2'/></nodes>"
	    "<resources><clone id='C'>" DUMMY(
	        "p") "</clone></resources><constraints/>"
	             "<rsc_defaults><meta_attributes id='rd'><nvpair id='rd1' "
	             "name='migration-threshold' "
	             "value='3'/></meta_attributes></rsc_defaults></configuration><status>" UP(
	                 "node1",
	                 "1") "<lrm id='1'><lrm_resources>"
	                      "<lrm_resource id='p' class='ocf' provider='heartbeat' type='Dummy'>"
	                      "<lrm_rsc_op id='a' operation='stop' interval='0' rc-code='0' "
	                      "op-status='0' call-id='5' transition-key='1:1:0:x'/>"
	                      "</lrm_resource></lrm_resources></lrm><transient_attributes id='1'>"
	                      "<instance_attributes id='t1'><nvpair id='t11' "
	                      "name='fail-count-p#monitor_10000' "
	                      "value='3'/></instance_attributes></transient_attributes></"
	                      "node_state>" UP("node2",
	                                       "2") "<lrm id='2'><lrm_resources>"
	                                            "<lrm_resource id='p' class='ocf' "
	                                            "provider='heartbeat' type='Dummy'>"
	                                            "<lrm_rsc_op id='b' operation='start' "
	                                            "interval='0' rc-code='0' op-status='0' "
	                                            "call-id='4' transition-key='1:1:0:x'/>"
	                                            "</lrm_resource></lrm_resources></lrm></"
	                                            "node_state></status></cib>");

	(void)state;
	assert_null(strstr(s, "node1"));
	g_free(s);
}

/* LSB agents cannot run as distinct instances: a globally-unique clone of
 * one is anonymous, so it is probed once per node (as instance 0). */
static void test_lsb_clone_forced_anonymous(void **state)
{
	const char *cib =
	    "<cib have-quorum='1'><configuration>" NOSTONITH
	    "<nodes><node id='1' uname='node1'/></nodes>"
	    "<resources><clone id='C'><meta_attributes id='cm'><nvpair id='cm1' "
	    "name='globally-unique' "
	    "value='true'/><nvpair id='cm2' name='clone-max' value='2'/></meta_attributes>"
	    "<primitive id='p' class='lsb' type='foo'/></clone></resources>"
	    "<constraints/></configuration><status>" UP("node1",
	                                                "1") "</node_state></status></cib>";

	(void)state;
	assert_int_equal(graph_count(cib, "p:0_monitor_0", "node1"), 1);
	assert_int_equal(graph_count(cib, "p:1_monitor_0", "node1"), 0);
}

/* rsc_ticket rsc-role=Promoted: without the ticket nothing is promoted,
 * but the instances still run (default loss-policy demote). */
static void test_promoted_ticket(void **state)
{
	char *s = summary_of(
	    "<cib have-quorum='1'><configuration>" NOSTONITH
	    "<nodes><node id='1' uname='node1'/></nodes>"
	    "<resources><clone id='C'><meta_attributes id='cm'><nvpair id='cm1' name='promotable' "
	    "value='true'/><nvpair id='cm2' name='clone-max' value='1'/></meta_attributes>"
	    "<primitive id='p' class='ocf' provider='pacemaker' "
	    "type='Stateful'/></clone></resources>"
	    "<constraints><rsc_location id='l' rsc='C' role='Promoted' node='node1' score='10'/>"
	    "<rsc_ticket id='t' rsc='C' rsc-role='Promoted' "
	    "ticket='T'/></constraints></configuration>"
	    "<status>" UP("node1", "1") "</node_state></status></cib>");

	(void)state;
	assert_string_equal(s, "* Start p:0 ( node1 ) |");
	g_free(s);
}

/* Two monitors with one interval (Promoted and Unpromoted): neither is
 * scheduled, and the one running is not cancelled either. */
static void test_duplicate_monitor_kept(void **state)
{
	const char *cib =
	    "<cib have-quorum='1'><configuration>" NOSTONITH
	    "<nodes><node id='1' uname='node1'/></nodes>"
	    "<resources><clone id='C'><meta_attributes id='cm'><nvpair id='cm1' name='promotable' "
	    "value='true'/><nvpair id='cm2' name='clone-max' value='1'/></meta_attributes>"
	    "<primitive id='p' class='ocf' provider='pacemaker' type='Stateful'><operations>"
	    "<op id='m1' name='monitor' interval='5s' role='Promoted'/>"
	    "<op id='m2' name='monitor' interval='5s' role='Unpromoted'/></operations></primitive>"
	    "</clone></resources><constraints/></configuration><status>" UP(
	        "node1", "1") "<lrm id='1'><lrm_resources><lrm_resource id='p' class='ocf' "
	                      "provider='pacemaker' type='Stateful'>"
	                      "<lrm_rsc_op id='a' operation='start' interval='0' rc-code='0' "
	                      "op-status='0' call-id='2' transition-key='1:1:0:x'/>"
	                      "<lrm_rsc_op id='b' operation='monitor' interval='5000' rc-code='0' "
	                      "op-status='0' call-id='3' transition-key='1:1:0:x'/>"
	                      "</lrm_resource></lrm_resources></lrm></node_state></status></cib>";

	(void)state;
	assert_int_equal(graph_count(cib, "cancel", "node1"), 0);
	assert_int_equal(graph_count(cib, "monitor", "node1"), 0);
}

/* rsc_ticket with a resource_set role=Promoted: the set's role applies. */
static void test_promoted_ticket_set(void **state)
{
	char *s = summary_of(
	    "<cib have-quorum='1'><configuration>" NOSTONITH
	    "<nodes><node id='1' uname='node1'/></nodes>"
	    "<resources><clone id='C'><meta_attributes id='cm'><nvpair id='cm1' name='promotable' "
	    "value='true'/><nvpair id='cm2' name='clone-max' value='1'/></meta_attributes>"
	    "<primitive id='p' class='ocf' provider='pacemaker' "
	    "type='Stateful'/></clone></resources>"
	    "<constraints><rsc_location id='l' rsc='C' role='Promoted' node='node1' score='10'/>"
	    "<rsc_ticket id='t' ticket='T'><resource_set id='s' role='Promoted'>"
	    "<resource_ref id='C'/></resource_set></rsc_ticket></constraints></configuration>"
	    "<status>" UP("node1", "1") "</node_state></status></cib>");

	(void)state;
	assert_string_equal(s, "* Start p:0 ( node1 ) |");
	g_free(s);
}

/* clone-min=2 on a clone that can run on one node only: what is ordered
 * after it may not start. */
static void test_clone_min(void **state)
{
	char *s = summary_of(
	    "<cib have-quorum='1'><configuration>" NOSTONITH
	    "<nodes><node id='1' uname='node1'/></nodes>"
	    "<resources><clone id='C'><meta_attributes id='cm'><nvpair id='cm1' name='clone-min' "
	    "value='2'/></meta_attributes>" DUMMY("p") "</clone>" DUMMY(
	        "after") "</resources>"
	                 "<constraints><rsc_order id='o' first='C' then='after' "
	                 "kind='Mandatory'/></constraints>"
	                 "</configuration><status>" UP("node1",
	                                               "1") "</node_state></status></cib>");

	(void)state;
	assert_string_equal(s, "* Start p:0 ( node1 ) |* Start after ( node1 ) due to unrunnable "
	                       "clone-one-or-more:o (blocked) |");
	g_free(s);
}

#define DIGEST_CIB(D, FS)                                                                         \
	"<cib have-quorum='1'><configuration>" NOSTONITH                                          \
	"<nodes><node id='1' uname='node1'/></nodes>"                                             \
	"<resources><primitive id='r' class='ocf' provider='heartbeat' type='Dummy'><operations>" \
	"<op id='m' name='monitor' interval='10s' timeout='30s'/></operations></primitive>"       \
	"</resources><constraints/></configuration><status>" UP(                                  \
	    "node1", "1") "<lrm id='1'><lrm_resources><lrm_resource id='r' class='ocf' "          \
	                  "provider='heartbeat' type='Dummy'>"                                    \
	                  "<lrm_rsc_op id='a' operation='start' interval='0' rc-code='0' "        \
	                  "op-status='0' call-id='2' transition-key='1:1:0:x'/>"                  \
	                  "<lrm_rsc_op id='b' operation='monitor' interval='10000' rc-code='0' "  \
	                  "op-status='0' call-id='3' "                                            \
	                  "transition-key='1:1:0:x' crm_feature_set='" FS "' op-digest='" D "'/>" \
	                  "</lrm_resource></lrm_resources></lrm>"                                 \
	                  "</node_state></status></cib>"

/* A running monitor recorded by an old version with a digest of the
 * parameters alone (recurring digests cover the timeout) is scheduled
 * again; one recorded with the timeout is left alone, and so is one that
 * vigil's controller recorded (feature set 3: parameters alone). */
static void test_recurring_digest_with_timeout(void **state)
{
	GHashTable *p = g_hash_table_new(g_str_hash, g_str_equal);
	char *plain = vg_sched_op_digest(p, 0), *with, *cib1, *cib2, *cib3;

	(void)state;
	g_hash_table_insert(p, "CRM_meta_timeout", "30000");
	with = vg_sched_op_digest(p, 10000);
	cib1 = g_strdup_printf(DIGEST_CIB("%s", "2.0"), plain);
	cib2 = g_strdup_printf(DIGEST_CIB("%s", "2.0"), with);
	cib3 = g_strdup_printf(DIGEST_CIB("%s", "3.16.2"), plain);
	assert_int_equal(graph_count(cib1, "monitor", "node1"), 1);
	assert_int_equal(graph_count(cib2, "monitor", "node1"), 0);
	assert_int_equal(graph_count(cib3, "monitor", "node1"), 0);
	g_free(cib1);
	g_free(cib2);
	g_free(cib3);
	g_free(plain);
	g_free(with);
	g_hash_table_destroy(p);
}

/* multiple-active=stop_unexpected: active on two nodes, it is stopped only
 * where it should not run and left alone (no stop, no start) where it stays. */
static void test_stop_unexpected(void **state)
{
	const char *cib =
	    "<cib have-quorum='1'><configuration>" NOSTONITH NODES2 "<resources>"
	    "<primitive id='r' class='ocf' provider='heartbeat' type='Dummy'><meta_attributes "
	    "id='m'>"
	    "<nvpair id='m1' name='multiple-active' "
	    "value='stop_unexpected'/></meta_attributes></primitive>"
	    "</resources><constraints><rsc_location id='l' rsc='r' node='node1' "
	    "score='10'/></constraints>"
	    "</configuration><status>" UP(
	        "node1",
	        "1") "<lrm id='1'><lrm_resources>"
	             "<lrm_resource id='r' class='ocf' provider='heartbeat' type='Dummy'>"
	             "<lrm_rsc_op id='a' operation='start' interval='0' rc-code='0' op-status='0' "
	             "call-id='2' transition-key='1:1:0:x'/>"
	             "</lrm_resource></lrm_resources></lrm></node_state>" UP(
	                 "node2",
	                 "2") "<lrm id='2'><lrm_resources>"
	                      "<lrm_resource id='r' class='ocf' provider='heartbeat' type='Dummy'>"
	                      "<lrm_rsc_op id='b' operation='start' interval='0' rc-code='0' "
	                      "op-status='0' call-id='2' transition-key='1:1:0:x'/>"
	                      "</lrm_resource></lrm_resources></lrm></node_state></status></cib>";

	(void)state;
	assert_int_equal(graph_count(cib, "stop", "node2"), 1);
	assert_int_equal(graph_count(cib, "stop", "node1"), 0);
	assert_int_equal(graph_count(cib, "start", "node1"), 0);
}

/* Groups in a chain of weak colocations (B with A, C with B, score 10):
 * A is pulled by B's first member only, not by C behind it, which prefers
 * node2 more strongly than B prefers node1. */
static void test_group_chain_pull(void **state)
{
	char *s = summary_of(
	    "<cib have-quorum='1'><configuration>" NOSTONITH NODES2 "<resources>"
	    "<group id='A'>" DUMMY("a1") DUMMY(
	        "a2") "</group>"
	              "<group id='B'>" DUMMY("b1") DUMMY(
	                  "b2") "</group>"
	                        "<group id='C'>" DUMMY("c1") DUMMY(
	                            "c2") "</group></resources><constraints>"
	                                  "<rsc_location id='lb' rsc='B' node='node1' score='100'/>"
	                                  "<rsc_location id='lc' rsc='C' node='node2' score='200'/>"
	                                  "<rsc_colocation id='co1' rsc='B' with-rsc='A' "
	                                  "score='10'/>"
	                                  "<rsc_colocation id='co2' rsc='C' with-rsc='B' "
	                                  "score='10'/></constraints>"
	                                  "</configuration><status>" UP(
	                                      "node1",
	                                      "1") "</node_state>" UP("node2",
	                                                              "2") "</node_state></"
	                                                                   "status></cib>");

	(void)state;
	assert_string_equal(s,
	                    "* Start a1 ( node1 ) |* Start a2 ( node1 ) |* Start b1 ( node1 ) |"
	                    "* Start b2 ( node1 ) |* Start c1 ( node2 ) |* Start c2 ( node2 ) |");
	g_free(s);
}

/* Unpromoted instances must be with A (on node2): the instance there is
 * the one left Unpromoted, the other one is promoted although node2 has
 * the better promotion score. */
static void test_unpromoted_with_primitive(void **state)
{
	char *s =
	    summary_of("<cib have-quorum='1'><configuration>" NOSTONITH NODES2 "<resources>" DUMMY(
	        "A") "<clone id='C'><meta_attributes id='cm'><nvpair id='cm1' name='promotable' "
	             "value='true'/>"
	             "</meta_attributes><primitive id='p' class='ocf' provider='pacemaker' "
	             "type='Stateful'/>"
	             "</clone></resources><constraints><rsc_location id='l' rsc='A' node='node2' "
	             "score='100'/>"
	             "<rsc_location id='lp2' rsc='C' role='Promoted' node='node2' score='50'/>"
	             "<rsc_location id='lp1' rsc='C' role='Promoted' node='node1' score='10'/>"
	             "<rsc_colocation id='co' rsc='C' rsc-role='Unpromoted' with-rsc='A' "
	             "score='INFINITY'/>"
	             "</constraints></configuration><status>" UP("node1", "1") "</node_state>" UP(
	                 "node2", "2") "</node_state></status></cib>");

	(void)state;
	assert_non_null(strstr(s, "* Start A ( node2 ) |"));
	assert_non_null(strstr(s, "( Stopped -> Promoted node1 )"));
	g_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_start),
	    cmocka_unit_test(test_anti_colocation),
	    cmocka_unit_test(test_fence_unclean),
	    cmocka_unit_test(test_repeatable),
	    cmocka_unit_test(test_group_failure_moves_group),
	    cmocka_unit_test(test_order_restarts_dependent),
	    cmocka_unit_test(test_clone_instances),
	    cmocka_unit_test(test_parallel),
	    cmocka_unit_test(test_not_a_cib),
	    cmocka_unit_test(test_failure_with_old_params_cleared),
	    cmocka_unit_test(test_replaced_agent_history_deleted),
	    cmocka_unit_test(test_unconfigured_monitor_cancelled),
	    cmocka_unit_test(test_expired_shutdown_lock),
	    cmocka_unit_test(test_clone_notifications),
	    cmocka_unit_test(test_monitor_older_than_promote),
	    cmocka_unit_test(test_unmanaged_promoted_monitor),
	    cmocka_unit_test(test_failed_demote),
	    cmocka_unit_test(test_promoted_monitor_meta),
	    cmocka_unit_test(test_promoted_monitor_after_promote),
	    cmocka_unit_test(test_clone_orphan_instance),
	    cmocka_unit_test(test_clone_threshold_bans_all_instances),
	    cmocka_unit_test(test_lsb_clone_forced_anonymous),
	    cmocka_unit_test(test_promoted_ticket),
	    cmocka_unit_test(test_duplicate_monitor_kept),
	    cmocka_unit_test(test_promoted_ticket_set),
	    cmocka_unit_test(test_clone_min),
	    cmocka_unit_test(test_recurring_digest_with_timeout),
	    cmocka_unit_test(test_stop_unexpected),
	    cmocka_unit_test(test_group_chain_pull),
	    cmocka_unit_test(test_unpromoted_with_primitive),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
