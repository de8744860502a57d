/*
 * Unit tests: upgrades of Heartbeat-2 and Pacemaker-1.x syntax.  The result
 * validates against vigil's schema, keeps every id, and says the same thing
 * in today's words.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <vigil/cib.h>

static const char old_cib[] =
    "<cib admin_epoch=\"0\" epoch=\"1\" num_updates=\"0\" have_quorum=\"true\" "
    "generated=\"true\"><configuration>"
    "<crm_config><cluster_property_set id=\"bo\"><attributes>"
    "<nvpair id=\"o1\" name=\"stonith_enabled\" value=\"false\"/>"
    "<nvpair id=\"o2\" name=\"default-resource-stickiness\" value=\"100\"/>"
    "</attributes></cluster_property_set></crm_config>"
    "<nodes><node id=\"n1\" uname=\"node1\" type=\"normal\"/></nodes>"
    "<resources><master id=\"ms\"><meta_attributes id=\"ms-m\">"
    "<nvpair id=\"ms-m1\" name=\"master-max\" value=\"1\"/>"
    "<nvpair id=\"ms-m2\" name=\"target-role\" value=\"Master\"/></meta_attributes>"
    "<primitive id=\"d\" class=\"ocf\" provider=\"linbit\" type=\"drbd\">"
    "<operations><op id=\"d-m\" name=\"monitor\" interval=\"10s\" role=\"Slave\"/>"
    "</operations></primitive></master>"
    "<primitive id=\"fs\" class=\"ocf\" provider=\"heartbeat\" type=\"Filesystem\"/>"
    "</resources><constraints>"
    "<rsc_colocation id=\"c\" rsc=\"fs\" with-rsc=\"ms\" with-rsc-role=\"Master\" "
    "score=\"INFINITY\"/>"
    "<rsc_order id=\"o\" from=\"fs\" to=\"ms\" to_action=\"promote\" action=\"start\"/>"
    "</constraints></configuration><status/></cib>";

static void test_upgrade(void **state)
{
	xmlDoc *doc = NULL;
	xmlNode *cib, *n;
	GHashTable *before, *after;
	GHashTableIter it;
	gpointer k;
	GPtrArray *log = g_ptr_array_new_with_free_func(g_free);
	vg_error_t err = {0};
	bool changed = false;
	char *before_text;

	(void)state;
	assert_int_equal(vg_cib_parse(old_cib, strlen(old_cib), "old", &doc, &err), 0);
	cib = xmlDocGetRootElement(doc);
	before_text = vg_xml_canonical(cib);
	assert_int_equal(vg_cib_upgrade(cib, &changed, log, &err), 0);
	assert_true(changed);
	assert_true(log->len > 5);
	/* every id survives */
	{
		xmlDoc *orig = NULL;

		assert_int_equal(
		    vg_xml_parse(before_text, strlen(before_text), "b", NULL, &orig, NULL), 0);
		before = vg_xml_id_index(xmlDocGetRootElement(orig), NULL);
		after = vg_xml_id_index(cib, NULL);
		g_hash_table_iter_init(&it, before);
		while (g_hash_table_iter_next(&it, &k, NULL))
			if (!g_hash_table_contains(after, k))
				fail_msg("id %s lost in the upgrade", (const char *)k);
		g_hash_table_destroy(before);
		g_hash_table_destroy(after);
		xmlFreeDoc(orig);
	}
	n = vg_xml_find(cib, "clone", "ms");
	assert_non_null(n);
	assert_null(vg_xml_find(cib, "master", NULL));
	assert_non_null(vg_xml_find(n, "nvpair", "ms-m1"));
	assert_string_equal(vg_xml_get(vg_xml_find(n, "nvpair", "ms-m1"), "name"), "promoted-max");
	assert_string_equal(vg_xml_get(vg_xml_find(n, "nvpair", "ms-m2"), "value"), "Promoted");
	assert_string_equal(vg_xml_get(vg_xml_find(cib, "op", "d-m"), "role"), "Unpromoted");
	assert_string_equal(vg_xml_get(vg_xml_find(cib, "rsc_colocation", "c"), "with-rsc-role"),
	                    "Promoted");
	assert_string_equal(vg_xml_get(vg_xml_find(cib, "rsc_order", "o"), "first"), "ms");
	assert_string_equal(vg_xml_get(vg_xml_find(cib, "rsc_order", "o"), "then-action"), "start");
	assert_string_equal(vg_xml_get(vg_xml_find(cib, "nvpair", "o1"), "name"),
	                    "stonith-enabled");
	assert_null(vg_xml_find(cib, "attributes", NULL));
	assert_non_null(vg_xml_find(vg_cib_section(cib, "rsc_defaults", false), "nvpair", "o2"));
	assert_string_equal(vg_xml_get(vg_xml_find(cib, "node", "n1"), "type"), "member");
	assert_string_equal(vg_xml_get(cib, "validate-with"), VG_CIB_SCHEMA_LATEST);
	assert_string_equal(vg_xml_get(cib, "have-quorum"), "true");
	assert_null(vg_xml_get(cib, "generated"));
	if (vg_cib_validate(doc, NULL, &err) != 0)
		fail_msg("upgraded CIB does not validate: %s", err.msg);
	/* a second upgrade changes nothing */
	assert_int_equal(vg_cib_upgrade(cib, &changed, NULL, &err), 0);
	assert_false(changed);
	g_free(before_text);
	g_ptr_array_unref(log);
	xmlFreeDoc(doc);
}

static void test_unknown_schema(void **state)
{
	const char *s = "<cib validate-with=\"pacemaker-9.9\"/>";
	xmlDoc *doc = NULL;
	vg_error_t err = {0};

	(void)state;
	assert_int_equal(vg_cib_parse(s, strlen(s), "x", &doc, &err), 0);
	assert_int_equal(vg_cib_upgrade(xmlDocGetRootElement(doc), NULL, NULL, &err), VG_ESCHEMA);
	xmlFreeDoc(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_upgrade),
	    cmocka_unit_test(test_unknown_schema),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
