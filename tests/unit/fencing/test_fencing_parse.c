/*
 * Parsers of untrusted device answers: the JSON scanner behind the Redfish
 * plugin, the ePowerSwitch and IP-Power pages, fence-agent metadata, and
 * the XML form of fencing records (round trip and rejection).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include <vigil/fencing.h>

#include "fencing_json.h"

static void json(void **state)
{
	static const char *const ps[] = {"PowerState", NULL};
	static const char *const tgt[] = {"Actions", "#ComputerSystem.Reset", "target", NULL};
	static const char *const mem[] = {"Members", "[]", "@odata.id", NULL};
	const char *doc =
	    "{\"Id\": \"2\", \"N\": [1, 2.5e3, -0.1, true, false, null, {}],"
	    " \"PowerState\" : \"Off\", \"Actions\": {\"#ComputerSystem.Reset\": "
	    "{\"target\": \"/a\\/b\\u0041\"}}, \"Members\": [{\"@odata.id\": \"x/1\"},"
	    " {\"@odata.id\": \"x/2\"}]}";
	char *v;
	(void)state;
	v = fence_json_get(doc, strlen(doc), ps);
	assert_string_equal(v, "Off");
	g_free(v);
	v = fence_json_get(doc, strlen(doc), tgt);
	assert_string_equal(v, "/a/bA");
	g_free(v);
	v = fence_json_get(doc, strlen(doc), mem);
	assert_string_equal(v, "x/1\nx/2");
	g_free(v);
	v = vg_fence_redfish_power_state(doc, strlen(doc));
	assert_string_equal(v, "Off");
	g_free(v);

	static const char *const bad[] = {
	    "",
	    "{",
	    "{\"PowerState\": \"On\"",
	    "{\"PowerState\": \"On\"} x",
	    "{\"PowerState\": On}",
	    "{\"PowerState\": 1}",
	    "[\"PowerState\"]",
	    "{\"PowerState\": \"\\q\"}",
	    "{\"PowerState\": \"a\nb\"}",
	};
	for (size_t i = 0; i < G_N_ELEMENTS(bad); i++)
		assert_null(fence_json_get(bad[i], strlen(bad[i]), ps));
	/* depth bound */
	GString *deep = g_string_new(NULL);
	for (int i = 0; i < 100; i++)
		g_string_append(deep, "{\"a\":");
	g_string_append(deep, "1");
	for (int i = 0; i < 100; i++)
		g_string_append_c(deep, '}');
	assert_null(fence_json_get(deep->str, deep->len, ps));
	g_string_free(deep, TRUE);
}

static void pages(void **state)
{
	const char *eps = "<html>P01=1<br>\nP02=0 <BR>\np03=1<br>P14=1</html>";
	const char *ipp = "<html>P60=1,P61=0,P62=1,P600=0</html>";
	(void)state;
	assert_int_equal(vg_fence_http_eps_state(eps, strlen(eps), 1), 1);
	assert_int_equal(vg_fence_http_eps_state(eps, strlen(eps), 2), 0);
	assert_int_equal(vg_fence_http_eps_state(eps, strlen(eps), 3), 1);
	assert_int_equal(vg_fence_http_eps_state(eps, strlen(eps), 14), -1); /* no <br> */
	assert_int_equal(vg_fence_http_eps_state(eps, strlen(eps), 5), -1);
	assert_int_equal(vg_fence_http_eps_state(eps, 8, 1), -1); /* truncated */
	assert_int_equal(vg_fence_http_ippower_state(ipp, strlen(ipp), 60), 1);
	assert_int_equal(vg_fence_http_ippower_state(ipp, strlen(ipp), 61), 0);
	assert_int_equal(vg_fence_http_ippower_state(ipp, strlen(ipp), 63), -1);
	assert_int_equal(vg_fence_http_ippower_state(NULL, 0, 60), -1);
}

static void metadata(void **state)
{
	const char *ok = "<?xml version=\"1.0\"?><resource-agent name=\"fence_x\"><parameters>"
	                 "<parameter name=\"ip\"/><parameter name=\"port\"/></parameters><actions>"
	                 "<action name=\"on\"/><action name=\"off\"/></actions></resource-agent>";
	GPtrArray *p = NULL, *a = NULL;
	vg_error_t err = {0};
	(void)state;
	assert_int_equal(vg_fence_metadata_parse(ok, strlen(ok), &p, &a, &err), 0);
	assert_int_equal(p->len, 2);
	assert_string_equal(g_ptr_array_index(p, 1), "port");
	assert_int_equal(a->len, 2);
	g_ptr_array_unref(p);
	g_ptr_array_unref(a);
	static const char *const bad[] = {
	    "not xml",
	    "<other/>",
	    "<resource-agent><parameters><parameter/></parameters></resource-agent>",
	    "<resource-agent><parameters><parameter name=\"a=b\"/></parameters></resource-agent>",
	    "<!DOCTYPE x [<!ENTITY e \"boom\">]><resource-agent>&e;</resource-agent>",
	};
	for (size_t i = 0; i < G_N_ELEMENTS(bad); i++)
		assert_int_not_equal(
		    vg_fence_metadata_parse(bad[i], strlen(bad[i]), NULL, NULL, NULL), 0);
}

static void records(void **state)
{
	vg_fence_record_t r = {
	    .id = "n1-1-5",
	    .target = "node2",
	    .action = VG_FENCE_OFF,
	    .origin = "node1",
	    .executor = "node1",
	    .device = "pdu",
	    .level = 2,
	    .state = VG_FENCE_FAILED,
	    .rc = VG_ETIMEDOUT,
	    .reason = "pdu: timed out",
	    .requested = 100,
	    .completed = 160,
	};
	vg_fence_record_t *back = NULL;
	(void)state;
	xmlNode *x = vg_fence_record_to_xml(&r, NULL);
	assert_int_equal(vg_fence_record_from_xml(x, &back, NULL), 0);
	assert_string_equal(back->target, "node2");
	assert_int_equal(back->action, VG_FENCE_OFF);
	assert_int_equal(back->level, 2);
	assert_int_equal(back->state, VG_FENCE_FAILED);
	assert_int_equal(back->rc, VG_ETIMEDOUT);
	assert_int_equal(back->completed, 160);
	assert_false(back->confirmed);
	vg_fence_record_free(back);
	vg_xml_set(x, "rc", "5"); /* positive rc: not a VG_E* code */
	assert_int_equal(vg_fence_record_from_xml(x, &back, NULL), VG_EPARSE);
	vg_xml_set(x, "rc", "-8");
	vg_xml_set(x, "state", "maybe");
	assert_int_equal(vg_fence_record_from_xml(x, &back, NULL), VG_EPARSE);
	vg_xml_set(x, "state", "done");
	vg_xml_set(x, "action", "explode");
	assert_int_equal(vg_fence_record_from_xml(x, &back, NULL), VG_EPARSE);
	xmlFreeNode(x);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(json),
	    cmocka_unit_test(pages),
	    cmocka_unit_test(metadata),
	    cmocka_unit_test(records),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
