/*
 * Unit tests: parsing with root checks, versions and bump rules, the
 * operations and vg_cib_apply's transaction.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include <vigil/cib.h>

static const char base[] =
    "<cib admin_epoch=\"0\" epoch=\"5\" num_updates=\"3\" validate-with=\"pacemaker-3.9\">"
    "<configuration><crm_config/><nodes><node id=\"1\" uname=\"node1\"/></nodes>"
    "<resources><primitive id=\"ip\" class=\"ocf\" provider=\"heartbeat\" type=\"IPaddr2\">"
    "<instance_attributes id=\"ip-ia\"><nvpair id=\"ip-ia-ip\" name=\"ip\" "
    "value=\"10.0.0.1\"/></instance_attributes></primitive></resources>"
    "<constraints/></configuration><status/></cib>";

static xmlDoc *load(const char *s)
{
	xmlDoc *doc = NULL;
	vg_error_t err = {0};

	assert_int_equal(vg_cib_parse(s, strlen(s), "test", &doc, &err), 0);
	return doc;
}

static xmlDoc *elem(const char *s)
{
	xmlDoc *doc = NULL;

	assert_int_equal(vg_xml_parse(s, strlen(s), "data", NULL, &doc, NULL), 0);
	return doc;
}

static void test_parse_root(void **state)
{
	xmlDoc *doc = NULL;
	vg_error_t err = {0};
	const char *conf = "<configuration/>";
	const char *bad = "<cib><configuration>";

	(void)state;
	assert_int_equal(vg_cib_parse(conf, strlen(conf), "x", &doc, &err), VG_EINVAL);
	assert_non_null(strstr(err.msg, "<configuration>"));
	vg_error_clear(&err);
	assert_int_equal(vg_cib_parse(bad, strlen(bad), "x", &doc, &err), VG_EPARSE);
	assert_null(doc);
	/* unreadable versions are normalized, so reading and writing agree */
	doc = load("<cib epoch=\"*\" admin_epoch=\"007\" num_updates=\"-1\"/>");
	assert_string_equal(vg_xml_get(xmlDocGetRootElement(doc), "epoch"), "0");
	assert_string_equal(vg_xml_get(xmlDocGetRootElement(doc), "admin_epoch"), "7");
	assert_string_equal(vg_xml_get(xmlDocGetRootElement(doc), "num_updates"), "0");
	xmlFreeDoc(doc);
	doc = load("<cib/>");
	assert_non_null(vg_cib_section(xmlDocGetRootElement(doc), "resources", false));
	assert_string_equal(vg_xml_get(xmlDocGetRootElement(doc), "epoch"), "0");
	xmlFreeDoc(doc);
}

static void test_versions(void **state)
{
	vg_cib_version_t a = {0, 5, 3}, b = {0, 5, 4}, c = {1, 0, 0};
	xmlDoc *doc = load(base);
	xmlNode *cib = xmlDocGetRootElement(doc);
	vg_cib_version_t v;

	(void)state;
	assert_true(vg_cib_version_cmp(&a, &b) < 0);
	assert_true(vg_cib_version_cmp(&c, &b) > 0);
	assert_int_equal(vg_cib_version_cmp(&a, &a), 0);
	vg_cib_bump_status(cib);
	vg_cib_version_get(cib, &v);
	assert_int_equal(v.num_updates, 4);
	vg_cib_bump_config(cib);
	vg_cib_version_get(cib, &v);
	assert_int_equal(v.epoch, 6);
	assert_int_equal(v.num_updates, 0);
	xmlFreeDoc(doc);
}

static void apply_ok(xmlDoc **doc, vg_cib_op_t op, const char *section, const char *xpath,
                     const char *data, int want)
{
	xmlDoc *d = data ? elem(data) : NULL;
	vg_cib_request_t req = {.op = op,
	                        .section = section,
	                        .xpath = xpath,
	                        .data = d ? xmlDocGetRootElement(d) : NULL};
	xmlDoc *out = NULL, *patch = NULL;
	vg_error_t err = {0};
	int rc = vg_cib_apply(xmlDocGetRootElement(*doc), &req, &out, &patch, &err);

	if (rc != want)
		fail_msg("apply: rc %d want %d: %s", rc, want, err.msg);
	if (rc == 0) {
		xmlFreeDoc(*doc);
		*doc = out;
	}
	if (patch)
		xmlFreeDoc(patch);
	if (d)
		xmlFreeDoc(d);
}

static void test_apply_versions(void **state)
{
	xmlDoc *doc = load(base);
	vg_cib_version_t v;

	(void)state;
	apply_ok(&doc, VG_CIB_OP_CREATE, "resources", NULL,
	         "<primitive id=\"web\" class=\"ocf\" provider=\"heartbeat\" type=\"apache\"/>", 0);
	vg_cib_version_get(xmlDocGetRootElement(doc), &v);
	assert_int_equal(v.epoch, 6);
	assert_int_equal(v.num_updates, 0);
	apply_ok(&doc, VG_CIB_OP_CREATE, "resources", NULL,
	         "<primitive id=\"web\" class=\"ocf\" "
	         "type=\"x\"/>",
	         VG_EEXIST);
	apply_ok(&doc, VG_CIB_OP_CREATE, "status", NULL, "<node_state id=\"1\" uname=\"node1\"/>",
	         0);
	vg_cib_version_get(xmlDocGetRootElement(doc), &v);
	assert_int_equal(v.epoch, 6);
	assert_int_equal(v.num_updates, 1);
	apply_ok(&doc, VG_CIB_OP_MODIFY, NULL, NULL, "<nvpair id=\"ip-ia-ip\" value=\"10.0.0.2\"/>",
	         0);
	assert_string_equal(
	    vg_xml_get(vg_xml_find(xmlDocGetRootElement(doc), "nvpair", "ip-ia-ip"), "value"),
	    "10.0.0.2");
	apply_ok(&doc, VG_CIB_OP_MODIFY, "resources", NULL, "<primitive id=\"nope\"/>", VG_ENOENT);
	apply_ok(&doc, VG_CIB_OP_DELETE, NULL, "//primitive[@id='web']", NULL, 0);
	assert_null(vg_xml_find(xmlDocGetRootElement(doc), "primitive", "web"));
	apply_ok(&doc, VG_CIB_OP_DELETE, "resources", NULL, "<primitive id=\"web\"/>", VG_ENOENT);
	apply_ok(&doc, VG_CIB_OP_REPLACE, "resources", NULL, "<resources/>", 0);
	assert_null(vg_xml_find(xmlDocGetRootElement(doc), "primitive", "ip"));
	vg_cib_version_get(xmlDocGetRootElement(doc), &v);
	assert_int_equal(v.epoch, 9);
	/* an older whole CIB is refused, a newer one keeps its version */
	apply_ok(&doc, VG_CIB_OP_REPLACE, NULL, NULL, "<cib epoch=\"2\"/>", VG_EVERSION);
	apply_ok(&doc, VG_CIB_OP_REPLACE, NULL, NULL,
	         "<cib epoch=\"20\" num_updates=\"0\" admin_epoch=\"0\"/>", 0);
	vg_cib_version_get(xmlDocGetRootElement(doc), &v);
	assert_int_equal(v.epoch, 20);
	apply_ok(&doc, VG_CIB_OP_ERASE, NULL, NULL, NULL, 0);
	xmlFreeDoc(doc);
}

/* In place: a refused write (schema) leaves the document as it was. */
static void test_inplace_rollback(void **state)
{
	xmlDoc *doc = load(base), *d = elem("<primitive id=\"bad\" class=\"ocf\"/>");
	xmlDoc *d2 = elem("<nvpair id=\"ip-ia-ip\" value=\"10.9.9.9\"/>"), *patch = NULL;
	vg_cib_request_t req = {
	    .op = VG_CIB_OP_CREATE, .section = "resources", .data = xmlDocGetRootElement(d)};
	vg_error_t err = {0};
	char *before = vg_xml_canonical(xmlDocGetRootElement(doc)), *after;
	vg_cib_version_t v;

	(void)state;
	assert_int_equal(vg_cib_apply_inplace(doc, &req, &patch, &err), VG_ESCHEMA);
	assert_null(patch);
	after = vg_xml_canonical(xmlDocGetRootElement(doc));
	assert_string_equal(before, after);
	g_free(after);
	req.op = VG_CIB_OP_MODIFY;
	req.section = NULL;
	req.data = xmlDocGetRootElement(d2);
	vg_error_clear(&err);
	assert_int_equal(vg_cib_apply_inplace(doc, &req, &patch, &err), 0);
	assert_non_null(patch);
	vg_cib_version_get(xmlDocGetRootElement(doc), &v);
	assert_int_equal(v.epoch, 6);
	assert_string_equal(
	    vg_xml_get(vg_xml_find(xmlDocGetRootElement(doc), "nvpair", "ip-ia-ip"), "value"),
	    "10.9.9.9");
	g_free(before);
	xmlFreeDoc(patch);
	xmlFreeDoc(d);
	xmlFreeDoc(d2);
	xmlFreeDoc(doc);
}

static void test_query(void **state)
{
	xmlDoc *doc = load(base), *out = NULL;
	xmlNode *cib = xmlDocGetRootElement(doc);
	vg_error_t err = {0};

	(void)state;
	assert_int_equal(vg_cib_query(cib, "nodes", NULL, NULL, &out, &err), 0);
	assert_true(vg_xml_is(xmlDocGetRootElement(out), "nodes"));
	xmlFreeDoc(out);
	assert_int_equal(vg_cib_query(cib, NULL, "//nvpair[@name='ip']", NULL, &out, &err), 0);
	assert_string_equal(vg_xml_get(xmlDocGetRootElement(out), "value"), "10.0.0.1");
	xmlFreeDoc(out);
	assert_int_equal(vg_cib_query(cib, NULL, "//*[@id]", NULL, &out, &err), 0);
	assert_true(vg_xml_is(xmlDocGetRootElement(out), "xpath-query"));
	xmlFreeDoc(out);
	assert_int_equal(vg_cib_query(cib, NULL, "//nothing", NULL, &out, &err), VG_ENOENT);
	vg_error_clear(&err);
	assert_int_equal(vg_cib_query(cib, NULL, "//[", NULL, &out, &err), VG_EINVAL);
	vg_error_clear(&err);
	assert_int_equal(vg_cib_query(cib, "bogus", NULL, NULL, &out, &err), VG_EINVAL);
	xmlFreeDoc(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parse_root),       cmocka_unit_test(test_versions),
	    cmocka_unit_test(test_apply_versions),   cmocka_unit_test(test_query),
	    cmocka_unit_test(test_inplace_rollback),
	};

	setenv("VIGIL_SCHEMA_DIR", getenv("VIGIL_SCHEMA_DIR") ?: "", 0);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
