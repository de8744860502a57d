/*
 * Date rules: date_expression (in_range, gt, lt, durations, zones) with the
 * next time the result changes, date_spec fields with ranges and their next
 * change in a given zone.  In-range results match crm_rule 2.1.5 except that
 * a year added to Feb 29 ends on Feb 28 (Pacemaker: Mar 1).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <vigil/common.h>

#include "rules_test.h"

#define E_TRUE "<expression id='t' attribute='n' operation='eq' value='9'/>"

static void date_expressions(void **state)
{
	static const struct {
		const char *now, *expr;
		bool want;
		const char *next; /* NULL: no change ahead */
	} cases[] = {
	    {"2024-06-01", "operation='in_range' start='2024-01-01' end='2024-12-31'", true,
	     "2024-12-31T00:00:01"},
	    {"2023-06-01", "operation='in_range' start='2024-01-01' end='2024-12-31'", false,
	     "2024-01-01"},
	    {"2025-06-01", "operation='in_range' start='2024-01-01' end='2024-12-31'", false, NULL},
	    /* both ends inclusive */
	    {"2024-01-01", "start='2024-01-01' end='2024-12-31'", true, "2024-12-31T00:00:01"},
	    {"2024-12-31", "start='2024-01-01' end='2024-12-31'", true, "2024-12-31T00:00:01"},
	    {"2024-12-31T00:00:01", "start='2024-01-01' end='2024-12-31'", false, NULL},
	    {"2020-01-01", "operation='in_range' end='2024-12-31'", true, "2024-12-31T00:00:01"},
	    {"2030-01-01", "operation='in_range' start='2024-01-01'", true, NULL},
	    {"2024-06-01", "operation='gt' start='2024-06-01'", false, "2024-06-01T00:00:01"},
	    {"2024-06-01T00:00:01", "operation='gt' start='2024-06-01'", true, NULL},
	    {"2024-05-31", "operation='lt' end='2024-06-01'", true, "2024-06-01"},
	    {"2024-06-01", "operation='lt' end='2024-06-01'", false, NULL},
	    /* zones in start/end */
	    {"2024-06-01T10:30:00Z", "operation='gt' start='2024-06-01T12:00:00+02:00'", true,
	     NULL},
	    {"2024-06-01T10:30:00Z", "operation='lt' end='2024-06-01T06:00:00-05:00'", true,
	     "2024-06-01T11:00:00Z"},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char xml[512];

		snprintf(xml, sizeof(xml), "<rule id='r'><date_expression id='d' %s/></rule>",
		         cases[i].expr);
		check_rule(xml, cases[i].now, 0, cases[i].want, cases[i].next);
	}
}
static void durations_in_rules(void **state)
{
	static const struct {
		const char *now, *start, *dur;
		bool want;
		const char *next;
	} cases[] = {
	    {"2024-01-31T12:00:00", "2024-01-31", "months='1'", true, "2024-02-29T00:00:01"},
	    {"2024-02-29T00:00:01", "2024-01-31", "months='1'", false, NULL},
	    {"2024-03-01", "2024-02-29", "years='1'", true, "2025-02-28T00:00:01"},
	    {"2024-01-01T01:00:00", "2024-01-01", "hours='1' minutes='30'", true,
	     "2024-01-01T01:30:01"},
	    {"2024-01-10", "2024-01-01", "weeks='1' days='2'", true, "2024-01-10T00:00:01"},
	    {"2024-01-10T00:00:01", "2024-01-01", "weeks='1' days='2'", false, NULL},
	    {"2024-01-01T00:00:30", "2024-01-01", "seconds='30'", true, "2024-01-01T00:00:31"},
	    /* month added on the start's own wall clock: Mar 1 00:30 at +02:00
	     * (Feb 29 22:30Z) + 1 month = Apr 1 00:30 at +02:00 */
	    {"2024-03-30T00:00:00Z", "2024-03-01T00:30:00+02:00", "months='1'", true,
	     "2024-03-31T22:30:01Z"},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char xml[512];

		snprintf(xml, sizeof(xml),
		         "<rule id='r'><date_expression id='d' operation='in_range' start='%s'>"
		         "<duration id='u' %s/></date_expression></rule>",
		         cases[i].start, cases[i].dur);
		check_rule(xml, cases[i].now, 0, cases[i].want, cases[i].next);
	}
}
/* next_change over a combination: the earliest of the evaluated parts. */
static void next_change_combined(void **state)
{
	GHashTable *node = g_hash_table_new(g_str_hash, g_str_equal);
	vg_rule_ctx_t ctx = {.now = T("2024-06-01"), .node_attrs = node};
	vg_time_t next = VG_TIME_NEVER;
	bool r;

	(void)state;
	g_hash_table_insert(node, "n", "9");
	assert_int_equal(eval("<rule id='r'>"
	                      "<date_expression id='a' operation='lt' end='2024-09-01'/>"
	                      "<date_expression id='b' operation='in_range' start='2024-01-01' "
	                      "end='2024-07-01'/>" E_TRUE "</rule>",
	                      &ctx, &r, &next),
	                 0);
	assert_true(r);
	assert_int_equal(next, T("2024-07-01T00:00:01"));
	/* the caller's earlier value is kept */
	next = T("2024-06-02");
	assert_int_equal(eval("<rule id='r'><date_expression id='a' operation='lt' "
	                      "end='2024-09-01'/></rule>",
	                      &ctx, &r, &next),
	                 0);
	assert_int_equal(next, T("2024-06-02"));
	g_hash_table_destroy(node);
}
/* A rule around one date_spec with the given attributes. */
#define SPEC_RULE                                                                           \
	"<rule id='r'><date_expression id='d' operation='date_spec'><date_spec id='s' %s/>" \
	"</date_expression></rule>"

static void date_spec_fields(void **state)
{
	/* 2024-06-05 is a Wednesday, ISO week 23, day 157 of the year */
	static const struct {
		const char *spec;
		bool want;
	} cases[] = {
	    {"years='2024'", true},
	    {"years='2020-2023'", false},
	    {"years='2025-'", false},
	    {"years='-2024'", true},
	    {"months='6'", true},
	    {"months='1-5'", false},
	    {"monthdays='1-5'", true},
	    {"monthdays='6-31'", false},
	    {"hours='9-17'", true},
	    {"hours='0-8'", false},
	    {"minutes='30'", true},
	    {"minutes='31-59'", false},
	    {"seconds='15'", true},
	    {"seconds='0-14'", false},
	    {"weekdays='1-5'", true},
	    {"weekdays='6-7'", false},
	    {"weekdays='3'", true},
	    {"yeardays='157'", true},
	    {"yeardays='1-156'", false},
	    {"weeks='23'", true},
	    {"weeks='1-22'", false},
	    {"weekyears='2024'", true},
	    {"weekyears='2023'", false},
	    {"hours='9-' weekdays='-3'", true},
	    {"months='6' monthdays='5' hours='10'", true},
	    {"months='6' monthdays='5' hours='11'", false},
	    {"", true},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char xml[512];

		snprintf(xml, sizeof(xml), SPEC_RULE, cases[i].spec);
		check_rule(xml, "2024-06-05T10:30:15Z", 0, cases[i].want, "-");
	}
}

static void date_spec_next_change(void **state)
{
	static const struct {
		const char *now, *spec;
		int offset;
		bool want;
		const char *next; /* NULL: never */
	} cases[] = {
	    /* inside office hours: ends at 18:00; outside: starts at 09:00 */
	    {"2024-06-05T10:30:00Z", "hours='9-17'", 0, true, "2024-06-05T18:00:00Z"},
	    {"2024-06-05T20:00:00Z", "hours='9-17'", 0, false, "2024-06-06T09:00:00Z"},
	    {"2024-06-05T10:30:00Z", "hours='9-17' weekdays='1-5'", 0, true,
	     "2024-06-05T18:00:00Z"},
	    /* Friday evening -> Monday morning */
	    {"2024-06-07T18:00:00Z", "hours='9-17' weekdays='1-5'", 0, false,
	     "2024-06-10T09:00:00Z"},
	    /* the zone the fields are read in: 09:00 at +02:00 is 07:00Z */
	    {"2024-06-05T06:00:00Z", "hours='9-17'", 7200, false, "2024-06-05T07:00:00Z"},
	    {"2024-06-05T15:00:00Z", "hours='9-17'", 7200, true, "2024-06-05T16:00:00Z"},
	    {"2024-06-05T10:30:00Z", "minutes='0-29'", 0, false, "2024-06-05T11:00:00Z"},
	    /* Monday, six matching days in a row */
	    {"2024-06-03T10:00:00Z", "weekdays='1-6'", 0, true, "2024-06-09T00:00:00Z"},
	    {"2024-06-09T10:00:00Z", "weekdays='1-6'", 0, false, "2024-06-10T00:00:00Z"},
	    {"2024-06-09T10:00:00Z", "weekdays='1-7'", 0, true, NULL},
	    {"2024-06-09T10:00:00Z", "weekdays='8'", 0, false, NULL},
	    {"2024-06-09T10:00:00Z", "hours='17-9'", 0, false, NULL},
	    {"2024-06-09T10:00:00Z", "weekyears='2024-2025'", 0, true, "2025-12-29T00:00:00Z"},
	    {"2024-06-09T10:00:00Z", "years='2023-2026'", 0, true, "2027-01-01T00:00:00Z"},
	    {"2024-06-05T10:30:10Z", "seconds='10-19'", 0, true, "2024-06-05T10:30:20Z"},
	    {"2024-06-05T10:30:00Z", "months='12'", 0, false, "2024-12-01T00:00:00Z"},
	    {"2024-12-15T00:00:00Z", "months='12'", 0, true, "2025-01-01T00:00:00Z"},
	    {"2024-06-05T10:30:00Z", "years='2024'", 0, true, "2025-01-01T00:00:00Z"},
	    {"2024-06-05T10:30:00Z", "years='2020-2023'", 0, false, NULL},
	    {"2024-06-05T10:30:00Z", "years='2026-'", 0, false, "2026-01-01T00:00:00Z"},
	    {"2024-06-05T10:30:00Z", "years='2024-'", 0, true, NULL},
	    {"2024-06-05T10:30:00Z", "hours='0-23'", 0, true, NULL},
	    {"2024-06-05T10:30:00Z", "monthdays='29' months='2'", 0, false, "2028-02-29T00:00:00Z"},
	    {"2024-06-05T10:30:00Z", "weeks='53'", 0, false, "2026-12-28T00:00:00Z"},
	    {"2024-06-05T10:30:00Z", "weekyears='2025'", 0, false, "2024-12-30T00:00:00Z"},
	    {"2024-12-31T00:00:00Z", "weekyears='2025'", 0, true, "2025-12-29T00:00:00Z"},
	    {"2024-06-05T10:30:00Z", "yeardays='366'", 0, false, "2024-12-31T00:00:00Z"},
	    {"2024-06-05T10:30:00Z", "months='2' monthdays='30'", 0, false, NULL},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char xml[512];

		snprintf(xml, sizeof(xml), SPEC_RULE, cases[i].spec);
		check_rule(xml, cases[i].now, cases[i].offset, cases[i].want, cases[i].next);
	}
}

/* The public date helpers used outside rules (e.g. by tools). */
static void date_api(void **state)
{
	const char *xml = "<x><date_spec id='s' hours='9-17' weekdays='1-5'/>"
	                  "<date_spec id='bad' hours='9-x'/>"
	                  "<date_expression id='d' operation='gt'/></x>";
	xmlDoc *doc = NULL;
	xmlNode *root, *spec, *badspec, *expr;
	vg_error_t err = {0};
	bool r = true;

	(void)state;
	assert_int_equal(vg_xml_parse(xml, strlen(xml), "t", NULL, &doc, NULL), 0);
	root = xmlDocGetRootElement(doc);
	spec = vg_xml_find(root, "date_spec", "s");
	badspec = vg_xml_find(root, "date_spec", "bad");
	expr = vg_xml_find(root, "date_expression", "d");
	/* Wednesday 2024-06-05 */
	assert_true(vg_date_spec_match(spec, T("2024-06-05T09:00:00Z")));
	assert_false(vg_date_spec_match(spec, T("2024-06-05T08:59:59Z")));
	assert_false(vg_date_spec_match(spec, T("2024-06-08T12:00:00Z")));
	/* 08:30Z is 09:30 at +01:00 and 03:30 at -05:00 */
	assert_true(vg_date_spec_match_at(spec, T("2024-06-05T08:30:00Z"), 3600));
	assert_false(vg_date_spec_match_at(spec, T("2024-06-05T08:30:00Z"), -5 * 3600));
	assert_int_equal(vg_date_spec_next_change(spec, T("2024-06-05T08:30:00Z"), -5 * 3600),
	                 T("2024-06-05T09:00:00-05:00"));
	assert_false(vg_date_spec_match(badspec, T("2024-06-05T10:00:00Z")));
	assert_false(vg_date_spec_match(NULL, T("2024-06-05T10:00:00Z")));
	assert_int_equal(vg_date_spec_next_change(badspec, 0, 0), VG_TIME_NEVER);
	/* no overflow at the ends of time */
	assert_int_equal(vg_date_spec_next_change(spec, VG_TIME_NEVER, 3600), VG_TIME_NEVER);
	(void)vg_date_spec_match_at(spec, VG_TIME_NEVER, 3600);
	(void)vg_date_spec_match_at(spec, INT64_MIN, -3600);
	/* errors name the element and leave the result false */
	assert_int_equal(vg_date_expr_eval(expr, 0, 0, &r, NULL, &err), VG_EINVAL);
	assert_false(r);
	assert_non_null(strstr(err.msg, "date_expression d"));
	xmlFreeDoc(doc);
}

/* Random specs: the answer is the same everywhere between now and the
 * reported next change, and differs at it. */
static void date_spec_next_change_random(void **state)
{
	static const struct {
		const char *name;
		int lo, hi;
	} f[] = {
	    {"months", 1, 12},     {"monthdays", 1, 31}, {"yeardays", 1, 366},
	    {"weeks", 1, 53},      {"weekdays", 1, 7},   {"hours", 0, 23},
	    {"minutes", 0, 59},    {"seconds", 0, 59},   {"weekyears", 2024, 2030},
	    {"years", 2024, 2030},
	};
	GRand *rnd = g_rand_new_with_seed(20241121);
	vg_time_t base = T("2024-01-01");

	(void)state;
	for (int n = 0; n < 400; n++) {
		char xml[512] = "<date_spec id='s'";
		xmlDoc *doc = NULL;
		xmlNode *spec;
		vg_time_t now = base + g_rand_int_range(rnd, 0, 3 * 366 * 86400);
		int offset = g_rand_int_range(rnd, -12, 15) * 3600,
		    nf = g_rand_int_range(rnd, 1, 4);
		vg_time_t next;
		bool at_now;

		for (int k = 0; k < nf; k++) {
			int i = g_rand_int_range(rnd, 0, G_N_ELEMENTS(f));
			int a = g_rand_int_range(rnd, f[i].lo, f[i].hi + 1);
			int b = g_rand_int_range(rnd, a, f[i].hi + 1);
			char part[64];

			snprintf(part, sizeof(part), " %s='%d-%d'", f[i].name, a, b);
			if (strstr(xml, f[i].name) == NULL)
				g_strlcat(xml, part, sizeof(xml));
		}
		g_strlcat(xml, "/>", sizeof(xml));
		assert_int_equal(vg_xml_parse(xml, strlen(xml), "t", NULL, &doc, NULL), 0);
		spec = xmlDocGetRootElement(doc);
		at_now = vg_date_spec_match_at(spec, now, offset);
		next = vg_date_spec_next_change(spec, now, offset);
		if (next != VG_TIME_NEVER) {
			assert_true(next > now);
			if (vg_date_spec_match_at(spec, next, offset) == at_now ||
			    vg_date_spec_match_at(spec, next - 1, offset) != at_now)
				fail_msg("%s at %lld (offset %d): wrong next change %lld", xml,
				         (long long)now, offset, (long long)next);
		}
		for (int k = 0; k < 300; k++) {
			vg_time_t span = (next == VG_TIME_NEVER ? 400 * 86400 : next - now);
			vg_time_t t =
			    now + 1 + (vg_time_t)(g_rand_double(rnd) * (double)(span - 1));

			if (t < next && vg_date_spec_match_at(spec, t, offset) != at_now)
				fail_msg("%s at %lld (offset %d): changes at %lld before %lld", xml,
				         (long long)now, offset, (long long)t, (long long)next);
		}
		xmlFreeDoc(doc);
	}
	g_rand_free(rnd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(date_expressions),
	    cmocka_unit_test(durations_in_rules),
	    cmocka_unit_test(next_change_combined),
	    cmocka_unit_test(date_spec_fields),
	    cmocka_unit_test(date_spec_next_change),
	    cmocka_unit_test(date_api),
	    cmocka_unit_test(date_spec_next_change_random),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
