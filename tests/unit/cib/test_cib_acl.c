/*
 * Unit tests: ACLs.  Read filtering, write refusal (whole), deny overriding
 * write, attribute-level permissions, unrestricted users.
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

static const char cib_text[] =
    "<cib admin_epoch=\"0\" epoch=\"1\" num_updates=\"0\" validate-with=\"pacemaker-3.9\">"
    "<configuration><crm_config><cluster_property_set id=\"o\">"
    "<nvpair id=\"o-acl\" name=\"enable-acl\" value=\"true\"/></cluster_property_set>"
    "</crm_config><nodes/><resources>"
    "<primitive id=\"web\" class=\"ocf\" provider=\"heartbeat\" type=\"apache\">"
    "<instance_attributes id=\"web-ia\"><nvpair id=\"web-port\" name=\"port\" value=\"80\"/>"
    "</instance_attributes></primitive>"
    "<primitive id=\"secret\" class=\"ocf\" provider=\"heartbeat\" type=\"Dummy\"/>"
    "</resources><constraints/>"
    "<acls>"
    "<acl_target id=\"alice\"><role id=\"reader\"/><role id=\"rsc\"/></acl_target>"
    "<acl_target id=\"tom\"><role id=\"reader\"/><role id=\"values\"/></acl_target>"
    "<acl_role id=\"reader\"><acl_permission id=\"r1\" kind=\"read\" xpath=\"/cib\"/></acl_role>"
    "<acl_role id=\"rsc\"><acl_permission id=\"w1\" kind=\"write\" "
    "xpath=\"/cib/configuration/resources\"/>"
    "<acl_permission id=\"d1\" kind=\"deny\" reference=\"secret\"/></acl_role>"
    "<acl_role id=\"values\"><acl_permission id=\"v1\" kind=\"write\" object-type=\"nvpair\" "
    "attribute=\"value\"/></acl_role>"
    "</acls></configuration><status/></cib>";

static xmlDoc *doc_of(const char *s)
{
	xmlDoc *doc = NULL;

	assert_int_equal(vg_xml_parse(s, strlen(s), "t", NULL, &doc, NULL), 0);
	return doc;
}

static vg_cib_acl_t *acl_for(xmlDoc *cib, const char *user)
{
	vg_cib_acl_t *acl = NULL;

	assert_int_equal(vg_cib_acl_new(xmlDocGetRootElement(cib), user, false, &acl, NULL), 0);
	return acl;
}

static int write_as(xmlDoc *cib, vg_cib_acl_t *acl, vg_cib_op_t op, const char *section,
                    const char *data)
{
	xmlDoc *d = doc_of(data), *out = NULL;
	vg_cib_request_t req = {
	    .op = op, .section = section, .data = xmlDocGetRootElement(d), .acl = acl};
	vg_error_t err = {0};
	int rc = vg_cib_apply(xmlDocGetRootElement(cib), &req, &out, NULL, &err);

	if (rc == 0)
		assert_non_null(out);
	else
		assert_null(out);
	xmlFreeDoc(out);
	xmlFreeDoc(d);
	return rc;
}

static void test_read_filter(void **state)
{
	xmlDoc *cib = doc_of(cib_text), *out = NULL;
	vg_cib_acl_t *alice = acl_for(cib, "alice"), *carol = acl_for(cib, "carol");
	xmlNode *root;

	(void)state;
	assert_non_null(alice);
	assert_int_equal(vg_cib_query(xmlDocGetRootElement(cib), NULL, NULL, alice, &out, NULL), 0);
	root = xmlDocGetRootElement(out);
	assert_non_null(vg_xml_find(root, "primitive", "web"));
	assert_null(vg_xml_find(root, "primitive", "secret"));
	xmlFreeDoc(out);
	/* a user who reads only resources still sees the versions */
	{
		const char *t =
		    "<cib admin_epoch=\"0\" epoch=\"4\" num_updates=\"2\"><configuration>"
		    "<crm_config><cluster_property_set id=\"o\"><nvpair id=\"o-acl\" "
		    "name=\"enable-acl\" value=\"true\"/></cluster_property_set></crm_config>"
		    "<resources><primitive id=\"p\" class=\"ocf\" provider=\"x\" type=\"y\"/>"
		    "</resources><acls><acl_target id=\"ro\"><role id=\"r\"/></acl_target>"
		    "<acl_role id=\"r\"><acl_permission id=\"r1\" kind=\"read\" "
		    "xpath=\"//resources\"/></acl_role></acls></configuration><status/></cib>";
		xmlDoc *c2 = doc_of(t), *o2 = NULL;
		vg_cib_acl_t *ro = acl_for(c2, "ro");

		assert_int_equal(vg_cib_query(xmlDocGetRootElement(c2), NULL, NULL, ro, &o2, NULL),
		                 0);
		assert_string_equal(vg_xml_get(xmlDocGetRootElement(o2), "epoch"), "4");
		assert_non_null(vg_xml_find(xmlDocGetRootElement(o2), "primitive", "p"));
		assert_null(vg_xml_find(xmlDocGetRootElement(o2), "nvpair", "o-acl"));
		xmlFreeDoc(o2);
		vg_cib_acl_free(ro);
		xmlFreeDoc(c2);
	}
	assert_int_equal(vg_cib_query(xmlDocGetRootElement(cib), NULL, "//primitive[@id='secret']",
	                              alice, &out, NULL),
	                 VG_ENOENT);
	assert_int_equal(
	    vg_cib_query(xmlDocGetRootElement(cib), "resources", NULL, carol, &out, NULL),
	    VG_EPERM);
	vg_cib_acl_free(alice);
	vg_cib_acl_free(carol);
	xmlFreeDoc(cib);
}

static void test_write(void **state)
{
	xmlDoc *cib = doc_of(cib_text);
	vg_cib_acl_t *alice = acl_for(cib, "alice"), *tom = acl_for(cib, "tom");

	(void)state;
	assert_int_equal(write_as(cib, alice, VG_CIB_OP_CREATE, "resources",
	                          "<primitive id=\"db\" class=\"ocf\" provider=\"heartbeat\" "
	                          "type=\"pgsql\"/>"),
	                 0);
	/* deny overrides write */
	assert_int_equal(write_as(cib, alice, VG_CIB_OP_MODIFY, "resources",
	                          "<primitive id=\"secret\" description=\"x\"/>"),
	                 VG_EPERM);
	/* read-only part */
	assert_int_equal(write_as(cib, alice, VG_CIB_OP_MODIFY, "crm_config",
	                          "<nvpair id=\"o-acl\" value=\"false\"/>"),
	                 VG_EPERM);
	/* one allowed and one refused change: refused whole */
	assert_int_equal(
	    write_as(cib, alice, VG_CIB_OP_REPLACE, "resources",
	             "<resources><primitive id=\"web\" class=\"ocf\" provider=\"heartbeat\" "
	             "type=\"nginx\"/></resources>"),
	    VG_EPERM);
	/* attribute-level: value yes, name no */
	assert_int_equal(
	    write_as(cib, tom, VG_CIB_OP_MODIFY, NULL, "<nvpair id=\"web-port\" value=\"8080\"/>"),
	    0);
	assert_int_equal(
	    write_as(cib, tom, VG_CIB_OP_MODIFY, NULL, "<nvpair id=\"web-port\" name=\"listen\"/>"),
	    VG_EPERM);
	vg_cib_acl_free(alice);
	vg_cib_acl_free(tom);
	xmlFreeDoc(cib);
}

static void test_unrestricted(void **state)
{
	xmlDoc *cib = doc_of(cib_text);

	(void)state;
	assert_null(acl_for(cib, "root"));
	assert_null(acl_for(cib, "hacluster"));
	xmlFreeDoc(cib);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_read_filter),
	    cmocka_unit_test(test_write),
	    cmocka_unit_test(test_unrestricted),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
