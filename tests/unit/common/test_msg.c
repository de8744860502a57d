/*
 * vg_msg: round trips with fields and XML bodies, and refusal of garbage.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include <vigil/common.h>

static vg_msg_t *roundtrip(const vg_msg_t *m)
{
	vg_error_t err = {0};
	vg_msg_t *out;
	uint8_t *buf;
	size_t len;

	assert_int_equal(vg_msg_encode(m, &buf, &len), 0);
	assert_int_equal(vg_msg_decode(buf, len, 0, &out, &err), 0);
	g_free(buf);
	return out;
}

static void fields_and_body(void **state)
{
	vg_msg_t *m = vg_msg_new("op-result");
	vg_error_t err = {0};
	xmlDoc *doc;
	vg_msg_t *r;
	int64_t v;
	const char *n, *val;

	(void)state;
	vg_msg_set(m, "rsc", "ip1");
	vg_msg_set_int(m, "rc", -7);
	vg_msg_set(m, "empty", "");
	vg_msg_set(m, "rsc", "ip2"); /* replaces */
	assert_int_equal(vg_xml_parse("<cib epoch='3'><x/></cib>", 25, "t", NULL, &doc, &err), 0);
	vg_msg_set_xml(m, xmlDocGetRootElement(doc));
	xmlFreeDoc(doc);

	r = roundtrip(m);
	assert_string_equal(vg_msg_type(r), "op-result");
	assert_string_equal(vg_msg_get(r, "rsc"), "ip2");
	assert_string_equal(vg_msg_get(r, "empty"), "");
	assert_int_equal(vg_msg_get_int(r, "rc", &v), 0);
	assert_int_equal(v, -7);
	assert_int_equal(vg_msg_get_int(r, "rsc", &v), VG_EINVAL);
	assert_int_equal(vg_msg_get_int(r, "nope", &v), VG_ENOENT);
	assert_string_equal(vg_xml_get(vg_msg_xml(r), "epoch"), "3");
	assert_true(vg_msg_field(r, 0, &n, &val));
	assert_string_equal(n, "t");
	assert_false(vg_msg_field(r, 4, &n, &val));
	vg_msg_set(r, "rsc", NULL);
	assert_null(vg_msg_get(r, "rsc"));
	vg_msg_free(r);
	vg_msg_free(m);
}

static void garbage_refused(void **state)
{
	static const uint8_t bad_magic[] = "XXXX\0\0\0\0\0\0\0\0";
	/* one field claiming 4 GiB of name */
	static const uint8_t huge_len[] = {'V',  'G',  'M', '1', 0, 0, 0, 1, 0xff, 0xff,
	                                   0xff, 0xff, 'a', 0,   0, 0, 0, 0, 0,    0};
	/* duplicate field names */
	static const uint8_t dup[] = {'V', 'G', 'M', '1', 0, 0, 0,   2, 0, 0, 0, 1,   'a', 0, 0, 0,
	                              1,   'x', 0,   0,   0, 1, 'a', 0, 0, 0, 1, 'y', 0,   0, 0, 0};
	/* body length beyond the buffer */
	static const uint8_t body[] = {'V', 'G', 'M', '1', 0, 0, 0, 0, 0, 0, 0, 9, '<', 'a'};
	vg_error_t err = {0};
	vg_msg_t *m;

	(void)state;
	assert_int_equal(vg_msg_decode(bad_magic, 12, 0, &m, &err), VG_EPARSE);
	assert_null(m);
	assert_int_equal(vg_msg_decode(huge_len, sizeof(huge_len), 0, &m, &err), VG_EPARSE);
	assert_int_equal(vg_msg_decode(dup, sizeof(dup), 0, &m, &err), VG_EPARSE);
	assert_int_equal(vg_msg_decode(body, sizeof(body), 0, &m, &err), VG_EPARSE);
	assert_int_equal(vg_msg_decode(body, sizeof(body), 4, &m, &err), VG_ETOOBIG);
}

static void bad_body_is_null(void **state)
{
	static const uint8_t msg[] = {'V', 'G', 'M', '1', 0, 0, 0, 0, 0, 0, 0, 3, '<', 'a', '>'};
	vg_error_t err = {0};
	vg_msg_t *m;

	(void)state;
	assert_int_equal(vg_msg_decode(msg, sizeof(msg), 0, &m, &err), 0);
	assert_null(vg_msg_xml(m));
	assert_null(vg_msg_xml(m));
	vg_msg_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(fields_and_body),
	    cmocka_unit_test(garbage_refused),
	    cmocka_unit_test(bad_body_is_null),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
