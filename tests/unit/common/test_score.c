/*
 * Scores: parsing of every spelling of infinity, clamping, and the
 * saturating sum where -INFINITY beats +INFINITY.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <vigil/common.h>

static void parse_spellings(void **state)
{
	static const struct {
		const char *in;
		int out;
	} ok[] = {
	    {"INFINITY", VG_SCORE_INFINITY},
	    {"+INFINITY", VG_SCORE_INFINITY},
	    {"-INFINITY", -VG_SCORE_INFINITY},
	    {"inf", VG_SCORE_INFINITY},
	    {"-inf", -VG_SCORE_INFINITY},
	    {"+inf", VG_SCORE_INFINITY},
	    {"0", 0},
	    {"-50", -50},
	    {"+12", 12},
	    {"2000000", VG_SCORE_INFINITY},
	    {"-9999999999999", -VG_SCORE_INFINITY},
	};
	static const char *const bad[] = {"", "abc", "12abc", "INFINITYX", "- 5"};
	int v;

	(void)state;
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		assert_int_equal(vg_score_parse(ok[i].in, &v), 0);
		assert_int_equal(v, ok[i].out);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		v = 77;
		assert_int_equal(vg_score_parse(bad[i], &v), VG_EINVAL);
		assert_int_equal(v, 77);
	}
}

static void add_saturates(void **state)
{
	const int inf = VG_SCORE_INFINITY;

	(void)state;
	assert_int_equal(vg_score_add(5, 7), 12);
	assert_int_equal(vg_score_add(inf, -inf), -inf);
	assert_int_equal(vg_score_add(-inf, inf), -inf);
	assert_int_equal(vg_score_add(inf, 5), inf);
	assert_int_equal(vg_score_add(999999, 5), inf);
	assert_int_equal(vg_score_add(-999999, -5), -inf);
	assert_int_equal(vg_score_add(inf, inf), inf);
}

static void to_string(void **state)
{
	char buf[16];

	(void)state;
	assert_string_equal(vg_score_str(VG_SCORE_INFINITY, buf), "INFINITY");
	assert_string_equal(vg_score_str(-VG_SCORE_INFINITY, buf), "-INFINITY");
	assert_string_equal(vg_score_str(-42, buf), "-42");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(parse_spellings),
	    cmocka_unit_test(add_saturates),
	    cmocka_unit_test(to_string),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
