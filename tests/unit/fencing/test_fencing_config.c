/*
 * Fencing configuration from the CIB: devices and their pcmk_* parameters
 * (host list/map/check, delays, action overrides and timeouts, kinds),
 * cluster options, malformed input named in the error, and topology level
 * selection by name, pattern and attribute in index order.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include <vigil/fencing.h>

static vg_fence_config_t *load(const char *xml, int expect_rc, vg_error_t *err)
{
	xmlDoc *doc = NULL;
	vg_fence_config_t *c = NULL;
	assert_int_equal(vg_xml_parse(xml, strlen(xml), "test", NULL, &doc, NULL), 0);
	assert_int_equal(vg_fence_config_from_cib(xmlDocGetRootElement(doc), &c, NULL, err),
	                 expect_rc);
	xmlFreeDoc(doc);
	return c;
}

#define NV(id, n, v) "<nvpair id=\"" id "\" name=\"" n "\" value=\"" v "\"/>"

static const char *const cib1 =
    "<cib><configuration><crm_config><cluster_property_set id=\"o\">" NV("o1", "stonith-timeout",
                                                                         "90s")
        NV("o2", "priority-fencing-delay",
           "15") "</cluster_property_set></crm_config>"
                 "<nodes><node id=\"1\" uname=\"node1\"><instance_attributes id=\"n1\">" NV(
                     "n1a", "rack",
                     "r1") "</instance_attributes></node>"
                           "<node id=\"2\" uname=\"node2\"/></nodes>"
                           "<resources>"
                           "<primitive id=\"pdu\" class=\"stonith\" "
                           "type=\"fence_eps\"><instance_attributes id=\"a\">" NV("a1", "ip",
                                                                                  "10.0.0.9")
                               NV("a2", "pcmk_host_map", "node1:1;node2=2, node3:03") NV(
                                   "a3", "pcmk_delay_base",
                                   "2s") NV("a4", "pcmk_delay_max",
                                            "5s") NV("a5", "pcmk_reboot_action", "off")
                                   NV("a6", "pcmk_off_timeout", "30s") NV("a7", "pcmk_action_limit", "-1") "</instance_attributes><meta_attributes id=\"am\">" NV(
                                       "am1", "priority",
                                       "10") "</meta_attributes><operations><op id=\"m\" "
                                             "name=\"monitor\" interval=\"30s\"/></operations>"
                                             "</primitive>"
                                             "<group id=\"g\"><primitive id=\"glue\" "
                                             "class=\"stonith\" type=\"external/ippower9258\">"
                                             "<instance_attributes id=\"b\">" NV(
                                                 "b1", "pcmk_host_list",
                                                 "node1 node2,node4") "</instance_attributes></"
                                                                      "primitive></group>"
                                                                      "<primitive id=\"rf\" "
                                                                      "class=\"stonith\" "
                                                                      "type=\"vigil-redfish\"><"
                                                                      "instance_attributes "
                                                                      "id=\"c\">" NV(
                                                                          "c1", "pcmk_host_check",
                                                                          "none") "</"
                                                                                  "instance_"
                                                                                  "attributes></"
                                                                                  "primitive>"
                                                                                  "<primitive "
                                                                                  "id=\"dyn\" "
                                                                                  "class="
                                                                                  "\"stonith\" "
                                                                                  "type=\"fence_"
                                                                                  "xvm\"/>"
                                                                                  "<primitive "
                                                                                  "id=\"web\" "
                                                                                  "class=\"ocf\" "
                                                                                  "provider="
                                                                                  "\"heartbeat\" "
                                                                                  "type=\"apache\"/"
                                                                                  ">"
                                                                                  "</resources>"
                                                                                  "<fencing-"
                                                                                  "topology>"
                                                                                  "<fencing-level "
                                                                                  "id=\"l-attr\" "
                                                                                  "target-"
                                                                                  "attribute="
                                                                                  "\"rack\" "
                                                                                  "target-value="
                                                                                  "\"r1\" "
                                                                                  "index=\"1\" "
                                                                                  "devices="
                                                                                  "\"glue\"/>"
                                                                                  "<fencing-level "
                                                                                  "id=\"l-name2\" "
                                                                                  "target="
                                                                                  "\"node1\" "
                                                                                  "index=\"2\" "
                                                                                  "devices=\"pdu,"
                                                                                  "rf\"/>"
                                                                                  "<fencing-level "
                                                                                  "id=\"l-pat\" "
                                                                                  "target-pattern="
                                                                                  "\"node[0-9]\" "
                                                                                  "index=\"1\" "
                                                                                  "devices=\"rf\"/>"
                                                                                  "<fencing-level "
                                                                                  "id=\"l-pat3\" "
                                                                                  "target-pattern="
                                                                                  "\"node\" "
                                                                                  "index=\"3\" "
                                                                                  "devices=\"dyn\"/"
                                                                                  ">"
                                                                                  "</"
                                                                                  "fencing-"
                                                                                  "topology></"
                                                                                  "configuration></"
                                                                                  "cib>";

static void devices(void **state)
{
	(void)state;
	vg_error_t err = {0};
	vg_fence_config_t *c = load(cib1, 0, &err);
	assert_int_equal(c->devices->len, 4); /* the ocf primitive is not a device */
	assert_int_equal(c->stonith_timeout_ms, 90000);
	assert_int_equal(c->priority_fencing_delay_ms, 15000);

	vg_fence_device_t *d = vg_fence_config_device(c, "pdu");
	assert_non_null(d);
	assert_int_equal(d->kind, VG_FENCE_KIND_AGENT);
	assert_int_equal(d->host_check, VG_FENCE_CHECK_STATIC);
	assert_string_equal(g_hash_table_lookup(d->host_map, "node2"), "2");
	assert_string_equal(g_hash_table_lookup(d->host_map, "node3"), "03");
	assert_int_equal(d->delay_base_ms, 2000);
	assert_int_equal(d->delay_max_ms, 5000);
	assert_int_equal(d->action_limit, -1);
	assert_int_equal(d->priority, 10);
	assert_int_equal(d->monitor_interval_ms, 30000);
	assert_string_equal(vg_fence_device_agent_action(d, VG_FENCE_REBOOT), "off");
	assert_string_equal(vg_fence_device_agent_action(d, VG_FENCE_ON), "on");
	assert_int_equal(vg_fence_device_timeout(d, VG_FENCE_OFF, 1), 30000);
	assert_int_equal(vg_fence_device_timeout(d, VG_FENCE_ON, 7), 7);
	char *port = vg_fence_device_port(d, "node1");
	assert_string_equal(port, "1");
	g_free(port);
	port = vg_fence_device_port(d, "node9");
	assert_string_equal(port, "node9");
	g_free(port);
	assert_true(vg_fence_device_static_match(d, "node3"));
	assert_false(vg_fence_device_static_match(d, "node4"));
	/* pcmk_* parameters stay visible for the runners to filter */
	assert_non_null(g_hash_table_lookup(d->params, "ip"));

	d = vg_fence_config_device(c, "glue");
	assert_int_equal(d->kind, VG_FENCE_KIND_EXTERNAL);
	assert_int_equal(d->host_list->len, 3);
	assert_true(vg_fence_device_static_match(d, "node4"));
	assert_int_equal(d->action_limit, 1);

	d = vg_fence_config_device(c, "rf");
	assert_int_equal(d->kind, VG_FENCE_KIND_NATIVE);
	assert_true(vg_fence_device_static_match(d, "anything"));

	d = vg_fence_config_device(c, "dyn");
	assert_int_equal(d->host_check, VG_FENCE_CHECK_DYNAMIC);
	assert_false(vg_fence_device_static_match(d, "node1"));
	vg_fence_config_free(c);
}

static void topology(void **state)
{
	(void)state;
	vg_fence_config_t *c = load(cib1, 0, NULL);
	GPtrArray *l = vg_fence_topology_levels(c, "node1");
	/* index 1: attribute and pattern both match; one level per index */
	assert_int_equal(l->len, 2);
	vg_fence_level_t *a = g_ptr_array_index(l, 0), *b = g_ptr_array_index(l, 1);
	assert_int_equal(a->index, 1);
	assert_string_equal(a->id, "l-pat");
	assert_int_equal(b->index, 2);
	assert_int_equal(b->devices->len, 2);
	g_ptr_array_unref(l);

	l = vg_fence_topology_levels(c, "node2"); /* pattern only; "node" is anchored */
	assert_int_equal(l->len, 1);
	assert_string_equal(((vg_fence_level_t *)g_ptr_array_index(l, 0))->id, "l-pat");
	g_ptr_array_unref(l);

	l = vg_fence_topology_levels(c, "node10"); /* no pattern match */
	assert_int_equal(l->len, 0);
	g_ptr_array_unref(l);
	vg_fence_config_free(c);
}

static void errors(void **state)
{
	static const struct {
		const char *xml;
		const char *words;
	} bad[] = {
	    {"<cib><configuration><fencing-topology><fencing-level id=\"x\" target=\"n\" "
	     "index=\"0\" devices=\"d\"/></fencing-topology></configuration></cib>",
	     "index"},
	    {"<cib><configuration><fencing-topology><fencing-level id=\"x\" index=\"1\" "
	     "devices=\"d\"/></fencing-topology></configuration></cib>",
	     "target"},
	    {"<cib><configuration><fencing-topology><fencing-level id=\"x\" target-pattern=\"(\" "
	     "index=\"1\" devices=\"d\"/></fencing-topology></configuration></cib>",
	     "regular expression"},
	    {"<cib><configuration><fencing-topology><fencing-level id=\"x\" target=\"n\" "
	     "index=\"1\" devices=\" , \"/></fencing-topology></configuration></cib>",
	     "no devices"},
	    {"<status/>", "expected"},
	};
	(void)state;
	for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
		vg_error_t err = {0};
		load(bad[i].xml, VG_ECONFIG, &err);
		assert_non_null(strstr(err.msg, bad[i].words));
	}
}

static void bad_devices(void **state)
{
	static const char *const prims[] = {
	    "<primitive id=\"d\" class=\"stonith\" type=\"fence_x\"><instance_attributes "
	    "id=\"i\">" NV("i1", "pcmk_host_map", "node1") "</instance_attributes></primitive>",
	    "<primitive id=\"d\" class=\"stonith\" type=\"fence_x\"><instance_attributes "
	    "id=\"i\">" NV("i1", "pcmk_host_check",
	                   "sometimes") "</instance_attributes></primitive>",
	    "<primitive id=\"d\" class=\"stonith\" type=\"fence_x\"><instance_attributes "
	    "id=\"i\">" NV("i1", "pcmk_delay_max", "soon") "</instance_attributes></primitive>",
	    "<primitive id=\"d\" class=\"stonith\" type=\"fence_x\"><instance_attributes "
	    "id=\"i\">" NV("i1", "pcmk_action_limit", "0") "</instance_attributes></primitive>",
	    "<primitive id=\"d\" class=\"stonith\" type=\"../../bin/sh\"/>",
	    "<primitive id=\"d\" class=\"ocf\" type=\"fence_x\"/>",
	};
	(void)state;
	for (size_t i = 0; i < G_N_ELEMENTS(prims); i++) {
		xmlDoc *doc = NULL;
		vg_fence_device_t *d = NULL;
		vg_error_t err = {0};
		assert_int_equal(vg_xml_parse(prims[i], strlen(prims[i]), "t", NULL, &doc, NULL),
		                 0);
		assert_int_equal(
		    vg_fence_device_from_xml(xmlDocGetRootElement(doc), NULL, &d, &err),
		    VG_ECONFIG);
		assert_null(d);
		assert_non_null(strstr(err.msg, "d"));
		xmlFreeDoc(doc);
	}
}

static void actions(void **state)
{
	vg_fence_action_t a;
	(void)state;
	assert_int_equal(vg_fence_action_parse("reset", &a), 0);
	assert_int_equal(a, VG_FENCE_REBOOT);
	assert_int_equal(vg_fence_action_parse("off", &a), 0);
	assert_int_equal(a, VG_FENCE_OFF);
	assert_int_equal(vg_fence_action_parse("explode", &a), VG_EINVAL);
	assert_string_equal(vg_fence_action_name(VG_FENCE_MONITOR), "monitor");
	assert_string_equal(vg_fence_action_name((vg_fence_action_t)99), "unknown");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(devices),     cmocka_unit_test(topology), cmocka_unit_test(errors),
	    cmocka_unit_test(bad_devices), cmocka_unit_test(actions),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
