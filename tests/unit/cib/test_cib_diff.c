/*
 * Unit tests: diff and patch.  For pairs of documents A, B:
 * patch(A, diff(A, B)) is canonically B; a patch for another version is
 * refused and leaves the document unchanged; Pacemaker-style patches apply.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include <vigil/cib.h>

static xmlDoc *load(const char *s)
{
	xmlDoc *doc = NULL;
	vg_error_t err = {0};

	if (vg_cib_parse(s, strlen(s), "test", &doc, &err) != 0)
		fail_msg("%s", err.msg);
	return doc;
}

static void roundtrip(const char *a, const char *b)
{
	xmlDoc *da = load(a), *db = load(b), *patch = NULL;
	vg_error_t err = {0};
	char *ca, *cb;

	assert_int_equal(vg_cib_diff(xmlDocGetRootElement(da), xmlDocGetRootElement(db),
	                             VG_CIB_DIFF_DIGEST, &patch, &err),
	                 0);
	if (patch != NULL) {
		int rc = vg_cib_patch(xmlDocGetRootElement(da), xmlDocGetRootElement(patch), &err);

		if (rc != 0) {
			char *p = vg_xml_dump(xmlDocGetRootElement(patch), true);
			fail_msg("patch failed: %s\n%s", err.msg, p);
		}
	}
	ca = vg_xml_canonical(xmlDocGetRootElement(da));
	cb = vg_xml_canonical(xmlDocGetRootElement(db));
	assert_string_equal(ca, cb);
	g_free(ca);
	g_free(cb);
	if (patch)
		xmlFreeDoc(patch);
	xmlFreeDoc(da);
	xmlFreeDoc(db);
}

#define HEAD                                                                                \
	"<cib admin_epoch=\"0\" epoch=\"1\" num_updates=\"0\"><configuration><crm_config/>" \
	"<nodes/><resources>"
#define HEAD2                                                                               \
	"<cib admin_epoch=\"0\" epoch=\"2\" num_updates=\"0\"><configuration><crm_config/>" \
	"<nodes/><resources>"
#define TAIL "</resources><constraints/></configuration><status/></cib>"

static void test_roundtrips(void **state)
{
	(void)state;
	roundtrip(HEAD TAIL, HEAD TAIL);
	roundtrip(HEAD "<primitive id=\"a\"/>" TAIL, HEAD2 "<primitive id=\"a\" x=\"1\"/>" TAIL);
	roundtrip(HEAD "<primitive id=\"a\" x=\"1\" y=\"2\"/>" TAIL,
	          HEAD2 "<primitive id=\"a\" z=\"3\" y=\"2\"/>" TAIL);
	roundtrip(HEAD "<primitive id=\"a\"/><primitive id=\"b\"/><primitive id=\"c\"/>" TAIL,
	          HEAD2 "<primitive id=\"c\"/><primitive id=\"a\"/><primitive id=\"b\"/>" TAIL);
	roundtrip(HEAD "<primitive id=\"a\"/><primitive id=\"b\"/><primitive id=\"c\"/>" TAIL,
	          HEAD2 "<primitive id=\"d\"/><primitive id=\"b\"/><primitive id=\"e\"/>"
	                "<primitive id=\"a\"/>" TAIL);
	roundtrip(HEAD "<group id=\"g\"><primitive id=\"a\"/><primitive id=\"b\"/></group>" TAIL,
	          HEAD2 "<group id=\"g\"><primitive id=\"b\"><meta_attributes id=\"m\"/>"
	                "</primitive><primitive id=\"a\"/></group>" TAIL);
	/* id-less repeats and text force whole replacement */
	roundtrip(HEAD "<x><y a=\"1\"/><y a=\"2\"/></x>" TAIL,
	          HEAD2 "<x><y a=\"2\"/><y a=\"3\"/><y/></x>" TAIL);
	roundtrip(HEAD "<x id=\"t\">hello</x>" TAIL, HEAD2 "<x id=\"t\">world</x>" TAIL);
	/* mixed content: text stays where it was relative to the elements */
	roundtrip(HEAD "<x id=\"m\"><a id=\"1\"/>text<b id=\"2\"/></x>" TAIL,
	          HEAD2 "<x id=\"m\"><c id=\"3\"/>text<b id=\"2\"/></x>" TAIL);
	/* only the attribute order differs */
	roundtrip(HEAD "<primitive id=\"a\" x=\"1\" y=\"2\"/>" TAIL,
	          HEAD2 "<primitive y=\"2\" id=\"a\" x=\"1\"/>" TAIL);
	/* an id-less element next to a namesake with an id */
	roundtrip("<cib epoch=\"1\"><configuration/><status><node_state id=\"1\"/>"
	          "<node_state uname=\"x\"/></status></cib>",
	          "<cib epoch=\"2\"><configuration/><status><node_state id=\"1\"/></status></cib>");
	roundtrip("<cib epoch=\"1\"><configuration/><status><node_state id=\"1\"/>"
	          "<node_state uname=\"x\"/></status></cib>",
	          "<cib epoch=\"2\"><configuration/><status><node_state id=\"1\"/>"
	          "<node_state uname=\"x\" a=\"b\"/></status></cib>");
	roundtrip(HEAD "<primitive id=\"it's\"/>" TAIL,
	          HEAD2 "<primitive id=\"it's\" v=\"&quot;\"/>" TAIL);
}

static void test_wrong_version(void **state)
{
	xmlDoc *a = load(HEAD "<primitive id=\"a\"/>" TAIL);
	xmlDoc *b = load(HEAD2 "<primitive id=\"b\"/>" TAIL);
	xmlDoc *patch = NULL;
	vg_error_t err = {0};
	char *before, *after;

	(void)state;
	assert_int_equal(
	    vg_cib_diff(xmlDocGetRootElement(a), xmlDocGetRootElement(b), 0, &patch, &err), 0);
	assert_non_null(patch);
	assert_true(vg_cib_patch_is_config(xmlDocGetRootElement(patch)));
	/* apply to b (version 0.2.0): refused, unchanged */
	before = vg_xml_canonical(xmlDocGetRootElement(b));
	assert_int_equal(vg_cib_patch(xmlDocGetRootElement(b), xmlDocGetRootElement(patch), &err),
	                 VG_EVERSION);
	after = vg_xml_canonical(xmlDocGetRootElement(b));
	assert_string_equal(before, after);
	g_free(before);
	g_free(after);
	xmlFreeDoc(patch);
	xmlFreeDoc(a);
	xmlFreeDoc(b);
}

/* A failing change in the middle leaves the document as it was. */
static void test_atomic(void **state)
{
	xmlDoc *a = load(HEAD "<primitive id=\"a\" v=\"1\"/>" TAIL), *p = NULL;
	const char *ptxt =
	    "<diff format=\"2\"><version><source admin_epoch=\"0\" epoch=\"1\" num_updates=\"0\"/>"
	    "<target admin_epoch=\"0\" epoch=\"2\" num_updates=\"0\"/></version>"
	    "<change operation=\"modify\" path=\"/cib/configuration/resources/primitive[@id='a']\">"
	    "<change-list><change-attr name=\"v\" operation=\"set\" value=\"2\"/></change-list>"
	    "</change>"
	    "<change operation=\"delete\" "
	    "path=\"/cib/configuration/resources/primitive[@id='a']\"/>"
	    "<change operation=\"create\" path=\"/cib/configuration/resources\" position=\"0\">"
	    "<primitive id=\"n\"/></change>"
	    "<change operation=\"delete\" path=\"/cib/configuration/nodes/node[@id='zz']\"/>"
	    "</diff>";
	vg_error_t err = {0};
	char *before, *after;

	(void)state;
	assert_int_equal(vg_xml_parse(ptxt, strlen(ptxt), "p", NULL, &p, NULL), 0);
	before = vg_xml_canonical(xmlDocGetRootElement(a));
	assert_int_equal(vg_cib_patch(xmlDocGetRootElement(a), xmlDocGetRootElement(p), &err),
	                 VG_ENOENT);
	after = vg_xml_canonical(xmlDocGetRootElement(a));
	assert_string_equal(before, after);
	g_free(before);
	g_free(after);
	xmlFreeDoc(p);
	xmlFreeDoc(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_roundtrips),
	    cmocka_unit_test(test_wrong_version),
	    cmocka_unit_test(test_atomic),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
