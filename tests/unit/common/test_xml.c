/*
 * Safe XML parsing: hostile inputs are refused with a clear error in bounded
 * memory; accessors, canonical form, digests and the id index behave.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <vigil/common.h>

static int parse(const char *s, xmlDoc **doc, vg_error_t *err)
{
	vg_error_clear(err);
	return vg_xml_parse(s, strlen(s), "test", NULL, doc, err);
}

static void well_formed(void **state)
{
	vg_error_t err = {0};
	xmlDoc *doc;
	xmlNode *root, *c;
	int n = 0;

	(void)state;
	assert_int_equal(
	    parse("<a x='1'>\n  <b id='b1'/><c/><b id='b2' v='&amp;'/></a>", &doc, &err), 0);
	root = xmlDocGetRootElement(doc);
	assert_string_equal(vg_xml_get(root, "x"), "1");
	assert_null(vg_xml_get(root, "y"));
	VG_XML_FOREACH(c, root, "b")
	n++;
	assert_int_equal(n, 2);
	assert_string_equal(vg_xml_get(vg_xml_find(root, "b", "b2"), "v"), "&");
	xmlFreeDoc(doc);
}

static void malformed_has_line(void **state)
{
	vg_error_t err = {0};
	xmlDoc *doc;

	(void)state;
	assert_int_equal(parse("<a>\n<b>\n</a>", &doc, &err), VG_EPARSE);
	assert_null(doc);
	assert_non_null(strstr(err.msg, "line 3"));
	assert_int_equal(parse("", &doc, &err), VG_EPARSE);
}

static void billion_laughs_refused(void **state)
{
	const char *bomb =
	    "<?xml version=\"1.0\"?>\n"
	    "<!DOCTYPE lolz [\n <!ENTITY lol \"lol\">\n"
	    " <!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
	    "]>\n<lolz>&lol2;</lolz>";
	vg_error_t err = {0};
	xmlDoc *doc;

	(void)state;
	assert_int_equal(parse(bomb, &doc, &err), VG_EPARSE);
	assert_non_null(strstr(err.msg, "DOCTYPE"));
}

static void external_entity_refused(void **state)
{
	const char *xxe = "<!DOCTYPE a [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><a>&x;</a>";
	vg_error_t err = {0};
	xmlDoc *doc;

	(void)state;
	assert_int_equal(parse(xxe, &doc, &err), VG_EPARSE);
	assert_null(doc);
}

static void deep_nesting_refused(void **state)
{
	GString *s = g_string_new(NULL);
	vg_error_t err = {0};
	xmlDoc *doc;
	int rc;

	(void)state;
	for (int i = 0; i < 10000; i++)
		g_string_append(s, "<a>");
	for (int i = 0; i < 10000; i++)
		g_string_append(s, "</a>");
	rc = parse(s->str, &doc, &err);
	assert_true(rc == VG_ETOOBIG || rc == VG_EPARSE);
	assert_null(doc);
	g_string_free(s, TRUE);
}

static void huge_attribute_refused(void **state)
{
	size_t n = 100u * 1024 * 1024;
	char *buf = g_malloc(n + 64);
	vg_error_t err = {0};
	xmlDoc *doc;
	size_t off;
	int rc;

	(void)state;
	off = (size_t)sprintf(buf, "<a v=\"");
	memset(buf + off, 'x', n);
	off += n;
	off += (size_t)sprintf(buf + off, "\"/>");
	rc = vg_xml_parse(buf, off, "big", NULL, &doc, &err);
	assert_true(rc == VG_ETOOBIG || rc == VG_EPARSE);
	assert_null(doc);
	assert_true(strlen(err.msg) > 0);
	g_free(buf);
}

static void oversize_input_refused(void **state)
{
	vg_xml_limits_t lim = {.max_size = 10, .max_depth = 10, .max_attr_len = 10};
	vg_error_t err = {0};
	xmlDoc *doc;

	(void)state;
	assert_int_equal(vg_xml_parse("<aaaaaaaaaaaaaaa/>", 18, "x", &lim, &doc, &err), VG_ETOOBIG);
	vg_error_clear(&err);
	assert_int_equal(vg_xml_parse("<a v='12345678901'/>", 20, "x", NULL, &doc, &err), 0);
	xmlFreeDoc(doc);
	lim.max_size = 100;
	assert_int_equal(vg_xml_parse("<a v='12345678901'/>", 20, "x", &lim, &doc, &err),
	                 VG_ETOOBIG);
	assert_non_null(strstr(err.msg, "attribute v"));
}

static void canonical_and_digest(void **state)
{
	vg_error_t err = {0};
	xmlDoc *a, *b;
	char *ca, *cb, *da, *db;

	(void)state;
	assert_int_equal(parse("<r x=\"1\">\n  <!-- note -->\n  <c y='&lt;'/>\n</r>", &a, &err), 0);
	assert_int_equal(parse("<r x='1'><c y=\"&lt;\"></c></r>", &b, &err), 0);
	ca = vg_xml_canonical(xmlDocGetRootElement(a));
	cb = vg_xml_canonical(xmlDocGetRootElement(b));
	assert_string_equal(ca, "<r x=\"1\"><c y=\"&lt;\"/></r>");
	assert_string_equal(ca, cb);
	da = vg_xml_digest(xmlDocGetRootElement(a));
	db = vg_xml_digest(xmlDocGetRootElement(b));
	assert_int_equal(strlen(da), 32);
	assert_string_equal(da, db);
	g_free(ca);
	g_free(cb);
	g_free(da);
	g_free(db);
	xmlFreeDoc(a);
	xmlFreeDoc(b);
}

static void id_index(void **state)
{
	vg_error_t err = {0};
	const char *dup;
	GHashTable *idx;
	xmlDoc *doc;

	(void)state;
	assert_int_equal(
	    parse("<r id='r'><a id='x'/><b id='y'><c id='x'/></b><d id-ref='y'/></r>", &doc, &err),
	    0);
	idx = vg_xml_id_index(xmlDocGetRootElement(doc), &dup);
	assert_int_equal(g_hash_table_size(idx), 3);
	assert_string_equal(dup, "x");
	assert_string_equal(vg_xml_name(g_hash_table_lookup(idx, "x")), "a");
	assert_string_equal(
	    vg_xml_name(vg_xml_deref(vg_xml_first(xmlDocGetRootElement(doc), "d"), idx)), "b");
	g_hash_table_destroy(idx);
	xmlFreeDoc(doc);
}

/* Files are read a chunk at a time: a declaration cut by a chunk boundary is
 * refused as well, and a clean file of the same shape parses. */
static void file_doctype_across_chunks(void **state)
{
	(void)state;
	for (size_t off = 3990; off < 4010; off++) {
		char path[] = "/tmp/test_xml_XXXXXX";
		int fd = mkstemp(path);
		GString *s = g_string_new("<a>");
		vg_error_t err = {0};
		xmlDoc *doc = NULL;

		assert_true(fd >= 0);
		for (size_t i = 3; i < off; i++)
			g_string_append_c(s, (i % 50) ? ' ' : '\n');
		g_string_append(s, "<!DOCTYPE x></a>");
		assert_int_equal(write(fd, s->str, s->len), (ssize_t)s->len);
		close(fd);
		assert_int_equal(vg_xml_parse_file(path, NULL, &doc, &err), VG_EPARSE);
		assert_null(doc);
		assert_non_null(strstr(err.msg, "DOCTYPE"));
		vg_error_clear(&err);
		/* the same bytes without the declaration are fine */
		g_string_truncate(s, s->len - 16);
		g_string_append(s, "<!-- DOC --></a>");
		g_file_set_contents(path, s->str, (gssize)s->len, NULL);
		assert_int_equal(vg_xml_parse_file(path, NULL, &doc, &err), 0);
		assert_non_null(doc);
		xmlFreeDoc(doc);
		unlink(path);
		g_string_free(s, TRUE);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(well_formed),
	    cmocka_unit_test(malformed_has_line),
	    cmocka_unit_test(billion_laughs_refused),
	    cmocka_unit_test(external_entity_refused),
	    cmocka_unit_test(file_doctype_across_chunks),
	    cmocka_unit_test(deep_nesting_refused),
	    cmocka_unit_test(huge_attribute_refused),
	    cmocka_unit_test(oversize_input_refused),
	    cmocka_unit_test(canonical_and_digest),
	    cmocka_unit_test(id_index),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
