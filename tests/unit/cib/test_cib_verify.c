/*
 * Unit tests: verify reports each kind of error and warning with the
 * element's id, and a clean CIB has no errors.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include <vigil/cib.h>

static const char bad[] =
    "<cib admin_epoch=\"0\" epoch=\"1\" num_updates=\"0\" validate-with=\"pacemaker-3.9\">"
    "<configuration><crm_config><cluster_property_set id=\"o\">"
    "<nvpair id=\"o1\" name=\"no-quorum-policy\" value=\"ignore\"/>"
    "<nvpair id=\"o2\" name=\"frobnicate\" value=\"1\"/>"
    "<nvpair id=\"o3\" name=\"stonith-timeout\" value=\"soon\"/>"
    "</cluster_property_set></crm_config>"
    "<nodes><node id=\"1\" uname=\"n1\"/><node id=\"2\" uname=\"n2\"/><node id=\"3\" uname=\"n3\"/>"
    "</nodes><resources>"
    "<primitive id=\"a\" class=\"ocf\" provider=\"heartbeat\" type=\"Dummy\">"
    "<meta_attributes id=\"a-m\"><nvpair id=\"a-m1\" name=\"is-managed\" value=\"maybe\"/>"
    "</meta_attributes><operations>"
    "<op id=\"a-mon1\" name=\"monitor\" interval=\"10s\"/>"
    "<op id=\"a-mon2\" name=\"monitor\" interval=\"10s\"/>"
    "<op id=\"a-bad\" name=\"monitor\" interval=\"often\"/></operations></primitive>"
    "<primitive id=\"dup\" class=\"ocf\" provider=\"heartbeat\" type=\"Dummy\"/>"
    "<group id=\"g\"><primitive id=\"dup\" class=\"ocf\" provider=\"heartbeat\" type=\"Dummy\"/>"
    "</group>"
    "<primitive id=\"t\" template=\"nosuch\"/>"
    "</resources><constraints>"
    "<rsc_location id=\"l1\" rsc=\"ghost\" node=\"n1\" score=\"100\"/>"
    "<rsc_location id=\"l2\" rsc=\"a\" node=\"n1\" score=\"lots\"/>"
    "<rsc_colocation id=\"c1\" rsc=\"a\" with-rsc=\"a\" score=\"INFINITY\"/>"
    "<rsc_order id=\"r1\" first=\"a\" then=\"missing\"/>"
    "</constraints></configuration><status/></cib>";

static bool has(GPtrArray *f, vg_cib_severity_t sev, const char *id, const char *words)
{
	for (guint i = 0; i < f->len; i++) {
		const vg_cib_finding_t *x = g_ptr_array_index(f, i);

		if (x->severity == sev && strcmp(x->id, id) == 0 && strstr(x->message, words))
			return true;
	}
	return false;
}

static void test_bad(void **state)
{
	xmlDoc *doc = NULL;
	GPtrArray *f = vg_cib_findings_new();
	int errors;

	(void)state;
	assert_int_equal(vg_cib_parse(bad, strlen(bad), "bad", &doc, NULL), 0);
	errors = vg_cib_verify(xmlDocGetRootElement(doc), f);
	for (guint i = 0; i < f->len; i++) {
		const vg_cib_finding_t *x = g_ptr_array_index(f, i);

		print_message("# %s %s: %s\n", x->severity == VG_CIB_ERROR ? "E" : "W", x->id,
		              x->message);
	}
	assert_true(has(f, VG_CIB_ERROR, "dup", "unique"));
	assert_true(has(f, VG_CIB_ERROR, "l1", "ghost"));
	assert_true(has(f, VG_CIB_ERROR, "l2", "score"));
	assert_true(has(f, VG_CIB_ERROR, "c1", "itself"));
	assert_true(has(f, VG_CIB_ERROR, "r1", "missing"));
	assert_true(has(f, VG_CIB_ERROR, "t", "template"));
	assert_true(has(f, VG_CIB_ERROR, "a-mon2", "duplicates"));
	assert_true(has(f, VG_CIB_ERROR, "a-bad", "duration"));
	assert_true(has(f, VG_CIB_ERROR, "a-m1", "is-managed"));
	assert_true(has(f, VG_CIB_WARNING, "o3", "duration"));
	assert_true(has(f, VG_CIB_WARNING, "o2", "unknown cluster option"));
	assert_true(has(f, VG_CIB_WARNING, "o1", "split brain"));
	assert_int_equal(errors, 9);
	g_ptr_array_unref(f);
	xmlFreeDoc(doc);
}

static void test_clean(void **state)
{
	const char *good =
	    "<cib admin_epoch=\"0\" epoch=\"1\" num_updates=\"0\" validate-with=\"pacemaker-3.9\">"
	    "<configuration><crm_config/><nodes><node id=\"1\" uname=\"n1\"/></nodes><resources>"
	    "<primitive id=\"f\" class=\"stonith\" type=\"fence_ipmilan\"/>"
	    "<primitive id=\"a\" class=\"ocf\" provider=\"heartbeat\" type=\"Dummy\"/>"
	    "</resources><constraints/></configuration><status/></cib>";
	xmlDoc *doc = NULL;
	GPtrArray *f = vg_cib_findings_new();

	(void)state;
	assert_int_equal(vg_cib_parse(good, strlen(good), "good", &doc, NULL), 0);
	assert_int_equal(vg_cib_verify(xmlDocGetRootElement(doc), f), 0);
	assert_int_equal(f->len, 0);
	g_ptr_array_unref(f);
	xmlFreeDoc(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_bad),
	    cmocka_unit_test(test_clean),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
