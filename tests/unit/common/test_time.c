/*
 * ISO 8601 time: calendar, ordinal and week dates, zones, leap years, week 53,
 * durations with calendar-aware addition, and Pacemaker interval syntax.
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

/* Expected times are ISO text parsed by T() (rules_test.h); the plainest
 * forms are checked against epoch numbers first. */
static void epoch_anchors(void **state)
{
	(void)state;
	assert_int_equal(T("1970-01-01T00:00:00Z"), 0);
	assert_int_equal(T("2000-03-01 00:00:00"), 951868800);
	assert_int_equal(T("2038-01-19T03:14:08Z"), 2147483648LL);
	assert_int_equal(T("1969-12-31T23:59:59Z"), -1);
	assert_int_equal(T("2024-02-29T12:00:00Z"), 1709208000);
}

static void date_forms(void **state)
{
	static const struct {
		const char *in, *utc;
	} cases[] = {
	    {"2005-01-20", "2005-01-20 00:00:00"},
	    {"20050120", "2005-01-20 00:00:00"},
	    {"2005-020", "2005-01-20 00:00:00"},
	    {"2005020", "2005-01-20 00:00:00"},
	    {"2005-W03-4", "2005-01-20 00:00:00"},
	    {"2005W034", "2005-01-20 00:00:00"},
	    {"2005-W03", "2005-01-17 00:00:00"},
	    {"2005-01", "2005-01-01 00:00:00"},
	    {"2005", "2005-01-01 00:00:00"},
	    {"2005-01-20T12", "2005-01-20 12:00:00"},
	    {"2005-01-20T12:34", "2005-01-20 12:34:00"},
	    {"2005-01-20 12:34:56", "2005-01-20 12:34:56"},
	    {"2005-01-20T123456", "2005-01-20 12:34:56"},
	    {"2005-01-20T12:34:56.789Z", "2005-01-20 12:34:56"},
	    {"2005-01-20T24:00:00", "2005-01-21 00:00:00"},
	    {"2005-01-20T12:00:00+01:00", "2005-01-20 11:00:00"},
	    {"2005-01-20T12:00:00+0530", "2005-01-20 06:30:00"},
	    {"2005-01-20T12:00:00-05", "2005-01-20 17:00:00"},
	    {"2005-01-20 12:00:00 Z", "2005-01-20 12:00:00"},
	    {"  2005-366 ", NULL}, /* 2005 is not a leap year */
	    {"2004-366", "2004-12-31 00:00:00"},
	    {"2008-W01-1", "2007-12-31 00:00:00"},
	    {"2009-W53-7", "2010-01-03 00:00:00"},
	    {"2005-W01-1", "2005-01-03 00:00:00"},
	    {"2020-W53-5", "2021-01-01 00:00:00"},
	};
	char buf[64], want[64];
	vg_time_t t;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int rc = vg_time_parse(cases[i].in, &t);

		if (cases[i].utc == NULL) {
			assert_int_equal(rc, VG_EINVAL);
			continue;
		}
		assert_int_equal(rc, 0);
		snprintf(want, sizeof(want), "%sZ", cases[i].utc);
		assert_string_equal(vg_time_str(t, buf, sizeof(buf)), want);
	}
}

static void bad_dates(void **state)
{
	static const char *const bad[] = {
	    "",
	    "2005-13-01",
	    "2005-02-29",
	    "1900-02-29",
	    "2005-00-10",
	    "2005-01-32",
	    "2005-000",
	    "2005-W00-1",
	    "2005-W53-1",
	    "2004-W54-1",
	    "2005-W01-8",
	    "2005-01-20T25:00",
	    "2005-01-20T24:30",
	    "2005-01-20T12:60",
	    "2005-01-20T12:00+25:00",
	    "2005-01-20 x",
	    "05-01-20",
	    "2005-1-20",
	    "2005-01-20T",
	    "2005-01-20T12:00:00.Z",
	    "garbage",
	    "P1D",
	};
	vg_time_t t = 42;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (vg_time_parse(bad[i], &t) != VG_EINVAL)
			fail_msg("accepted bad date \"%s\"", bad[i]);
	}
	assert_int_equal(vg_time_parse(NULL, &t), VG_EINVAL);
	assert_int_equal(t, 42);
}

static void leap_years(void **state)
{
	static const struct {
		int year;
		bool leap;
	} cases[] = {
	    {1900, false}, {2000, true}, {2024, true}, {2023, false}, {2100, false}, {2400, true},
	};
	vg_time_t t;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char s[32];

		assert_int_equal(vg_is_leap_year(cases[i].year), cases[i].leap);
		snprintf(s, sizeof(s), "%d-02-29", cases[i].year);
		assert_int_equal(vg_time_parse(s, &t), cases[i].leap ? 0 : VG_EINVAL);
		snprintf(s, sizeof(s), "%d-366", cases[i].year);
		assert_int_equal(vg_time_parse(s, &t), cases[i].leap ? 0 : VG_EINVAL);
	}
	/* Feb 28 -> next day is Feb 29 or Mar 1 */
	assert_int_equal(T("2000-02-28") + 86400, T("2000-02-29"));
	assert_int_equal(T("1900-02-28") + 86400, T("1900-03-01"));
	assert_int_equal(T("2024-03-01") - T("2024-01-01"), 60 * 86400);
}

static void week_53(void **state)
{
	static const struct {
		int y, m, d, wy, wk, wd;
	} cases[] = {
	    {2004, 12, 31, 2004, 53, 5}, {2005, 1, 2, 2004, 53, 7},   {2005, 1, 3, 2005, 1, 1},
	    {2009, 12, 31, 2009, 53, 4}, {2010, 1, 3, 2009, 53, 7},   {2015, 12, 31, 2015, 53, 4},
	    {2016, 1, 3, 2015, 53, 7},   {2020, 12, 31, 2020, 53, 4}, {2021, 1, 3, 2020, 53, 7},
	    {2021, 1, 4, 2021, 1, 1},    {2007, 12, 31, 2008, 1, 1},  {2008, 12, 29, 2009, 1, 1},
	    {2005, 1, 20, 2005, 3, 4},   {2023, 6, 15, 2023, 24, 4},  {2024, 12, 30, 2025, 1, 1},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int wy, wk, wd;

		vg_iso_week(cases[i].y, cases[i].m, cases[i].d, &wy, &wk, &wd);
		assert_int_equal(wy, cases[i].wy);
		assert_int_equal(wk, cases[i].wk);
		assert_int_equal(wd, cases[i].wd);
	}
	/* years without week 53 refuse it */
	assert_int_not_equal(vg_time_parse("2005-W53-1", &(vg_time_t){0}), 0);
	assert_int_not_equal(vg_time_parse("2021-W53-1", &(vg_time_t){0}), 0);
}

/* Every day of 1999..2031: calendar -> ordinal and week text -> same time. */
static void round_trip(void **state)
{
	vg_time_t t0 = T("1999-01-01"), t1 = T("2032-01-01");

	(void)state;
	for (vg_time_t t = t0; t < t1; t += 86400) {
		vg_datetime_t dt;
		char s[32];
		int wy, wk, wd, yday;

		vg_time_to_datetime(t, 0, &dt);
		yday =
		    (int)((t - vg_datetime_to_time(&(vg_datetime_t){dt.year, 1, 1, 0, 0, 0, 0})) /
		          86400) +
		    1;
		snprintf(s, sizeof(s), "%04d-%03d", dt.year, yday);
		assert_int_equal(T(s), t);
		vg_iso_week(dt.year, dt.month, dt.day, &wy, &wk, &wd);
		snprintf(s, sizeof(s), "%04d-W%02d-%d", wy, wk, wd);
		assert_int_equal(T(s), t);
		snprintf(s, sizeof(s), "%04d%02d%02dT000000Z", dt.year, dt.month, dt.day);
		assert_int_equal(T(s), t);
	}
}

/* Zones are fixed offsets in ISO text: the same instant written in +01:00
 * and -05:00 across the European and US DST switches maps to one UTC time. */
static void zone_offsets_across_dst(void **state)
{
	vg_datetime_t dt;

	(void)state;
	/* EU summer time starts 2024-03-31 01:00Z: CET +01:00 becomes CEST +02:00 */
	assert_int_equal(T("2024-03-31T01:59:59+01:00"), T("2024-03-31T00:59:59Z"));
	assert_int_equal(T("2024-03-31T03:00:00+02:00"), T("2024-03-31T01:00:00Z"));
	assert_int_equal(T("2024-03-31T03:00:00+02:00") - T("2024-03-31T01:59:59+01:00"), 1);
	/* US DST ends 2024-11-03 06:00Z: EDT -04:00 becomes EST -05:00 */
	assert_int_equal(T("2024-11-03T01:30:00-04:00"), T("2024-11-03T05:30:00Z"));
	assert_int_equal(T("2024-11-03T01:30:00-05:00"), T("2024-11-03T06:30:00Z"));
	assert_int_equal(T("2024-11-03T01:30:00-05:00") - T("2024-11-03T01:30:00-04:00"), 3600);
	/* a zone can move the date across a month and year end */
	assert_int_equal(T("2024-12-31T23:30:00-05:00"), T("2025-01-01T04:30:00Z"));
	assert_int_equal(T("2025-01-01T00:30:00+01:00"), T("2024-12-31T23:30:00Z"));
	assert_int_equal(vg_datetime_parse("2024-03-01T00:30:00+01:00", &dt), 0);
	assert_int_equal(dt.offset, 3600);
	assert_int_equal(dt.day, 1);
	assert_int_equal(dt.month, 3);
	vg_time_to_datetime(vg_datetime_to_time(&dt), 0, &dt);
	assert_int_equal(dt.month, 2);
	assert_int_equal(dt.day, 29);
	assert_int_equal(dt.hour, 23);
}

static void durations(void **state)
{
	static const struct {
		const char *in;
		int years, months;
		int64_t seconds, ms;
	} ok[] = {
	    {"P1DT2H", 0, 0, 93600, 0},
	    {"P2W", 0, 0, 1209600, 0},
	    {"PT1M", 0, 0, 60, 0},
	    {"PT0.5S", 0, 0, 0, 500},
	    /* Pacemaker reads H and S without the T too */
	    {"P10S", 0, 0, 10, 0},
	    {"P1H", 0, 0, 3600, 0},
	    {"P1DT10S", 0, 0, 86410, 0},
	    {"PT1.25S", 0, 0, 1, 250},
	    {"P1Y2M3DT4H5M6S", 1, 2, 273906, 0},
	    {"PT36H", 0, 0, 129600, 0},
	    {"P0D", 0, 0, 0, 0},
	    {"PT1.5M", 0, 0, 90, 0},
	    {"P1M", 0, 1, 0, 0},
	    {"PT0,001S", 0, 0, 0, 1},
	};
	static const char *const bad[] = {
	    "",       "P",        "PT",   "1D",    "P1",
	    "PD",     "PT1D",     "P1DT", "P1M1Y", "PT1S2M",
	    "P1.5Y",  "PT1.5M1S", "P-1D", "P1D ",  "P99999999999999D",
	    "PT1S2S",
	};
	vg_duration_t d;

	(void)state;
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		assert_int_equal(vg_duration_parse(ok[i].in, &d), 0);
		assert_int_equal(d.years, ok[i].years);
		assert_int_equal(d.months, ok[i].months);
		assert_int_equal(d.seconds, ok[i].seconds);
		assert_int_equal(d.ms, ok[i].ms);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (vg_duration_parse(bad[i], &d) == 0)
			fail_msg("accepted bad duration \"%s\"", bad[i]);
}

static void add_durations(void **state)
{
	static const struct {
		const char *start, *dur;
		int sign;
		const char *want;
	} cases[] = {
	    {"2024-01-31", "P1M", 1, "2024-02-29"},
	    {"2023-01-31", "P1M", 1, "2023-02-28"},
	    {"2024-03-31", "P1M", -1, "2024-02-29"},
	    {"2024-02-29", "P1Y", 1, "2025-02-28"},
	    {"2024-02-29", "P4Y", 1, "2028-02-29"},
	    {"2024-12-15", "P1M", 1, "2025-01-15"},
	    {"2025-01-15", "P1M", -1, "2024-12-15"},
	    {"2023-12-31T23:00:00", "PT2H", 1, "2024-01-01T01:00:00"},
	    {"2024-02-28", "P1D", 1, "2024-02-29"},
	    {"1900-02-28", "P1D", 1, "1900-03-01"},
	    {"2024-01-31T10:00:00", "P1M1DT1H", 1, "2024-03-01T11:00:00"},
	    {"2024-05-31", "P1Y3M", -1, "2023-02-28"},
	    {"2024-01-01", "P2W", 1, "2024-01-15"},
	};
	vg_duration_t d;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(vg_duration_parse(cases[i].dur, &d), 0);
		assert_int_equal(vg_time_add_duration(T(cases[i].start), &d, cases[i].sign),
		                 T(cases[i].want));
	}
	/* calendar parts follow the wall clock of the zone: 2024-03-01 00:30 at
	 * +02:00 is Feb 29 22:30Z; a month earlier is Feb 1 at +02:00 but Jan 29
	 * in UTC */
	assert_int_equal(vg_duration_parse("P1M", &d), 0);
	assert_int_equal(vg_time_add_duration_at(T("2024-03-01T00:30:00+02:00"), &d, -1, 7200),
	                 T("2024-02-01T00:30:00+02:00"));
	assert_int_equal(vg_time_add_duration(T("2024-03-01T00:30:00+02:00"), &d, -1),
	                 T("2024-01-29T22:30:00Z"));
}

static void intervals(void **state)
{
	static const struct {
		const char *in;
		uint64_t ms;
	} ok[] = {
	    {"10s", 10000},   {"500ms", 500},       {"1m", 60000},    {"1h", 3600000},
	    {"30", 30000},    {"PT1M", 60000},      {"0", 0},         {"10 s", 10000},
	    {"10sec", 10000}, {"2min", 120000},     {"1hr", 3600000}, {"250msec", 250},
	    {"1500us", 1},    {" 20 ", 20000},      {"1.5s", 1500},   {"P1D", 86400000},
	    {"PT0.5S", 500},  {"PT1H30M", 5400000}, {"10S", 10000},   {"2H", 7200000},
	    {"P10S", 10000},
	};
	static const char *const bad[] = {
	    "",    "abc", "-5",  "10x",  "10 s s",    "s",          "P1M",
	    "P1Y", "PT",  "1e3", "10ss", "5 minutes", "PT1M extra", "1..5s",
	};
	uint64_t ms = 7;

	(void)state;
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		if (vg_interval_parse_ms(ok[i].in, &ms) != 0)
			fail_msg("refused interval \"%s\"", ok[i].in);
		assert_int_equal(ms, ok[i].ms);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (vg_interval_parse_ms(bad[i], &ms) == 0)
			fail_msg("accepted bad interval \"%s\"", bad[i]);
	assert_int_equal(vg_interval_parse_ms(NULL, &ms), VG_EINVAL);
}

/* Out-of-range instants neither overflow nor crash (UBSan checks this). */
static void extremes(void **state)
{
	vg_duration_t d = {.years = 1, .seconds = 10};
	vg_datetime_t dt;
	char buf[64];

	(void)state;
	assert_string_equal(vg_time_str(VG_TIME_NEVER, buf, sizeof(buf)), "never");
	assert_string_equal(vg_time_str(INT64_MIN, buf, sizeof(buf)), "0001-01-01 00:00:00Z");
	assert_string_equal(vg_time_str(INT64_MAX - 1, buf, sizeof(buf)), "9999-12-31 23:59:59Z");
	vg_time_to_datetime(INT64_MAX - 1, 14 * 3600, &dt);
	assert_int_equal(dt.year, 10000);
	assert_int_equal(vg_time_add_duration(VG_TIME_NEVER, &d, 1), VG_TIME_NEVER);
	d.years = 0;
	d.seconds = 100;
	assert_int_equal(vg_time_add_duration(INT64_MAX - 5, &d, 1), INT64_MAX);
	assert_int_equal(vg_time_add_duration(INT64_MIN + 5, &d, -1), INT64_MIN);
	assert_int_equal(vg_time_parse("9999-12-31T23:59:59Z", &(vg_time_t){0}), 0);
	assert_int_equal(vg_time_parse("0000-01-01", &(vg_time_t){0}), VG_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(epoch_anchors),
	    cmocka_unit_test(date_forms),
	    cmocka_unit_test(bad_dates),
	    cmocka_unit_test(leap_years),
	    cmocka_unit_test(week_53),
	    cmocka_unit_test(round_trip),
	    cmocka_unit_test(zone_offsets_across_dst),
	    cmocka_unit_test(durations),
	    cmocka_unit_test(add_durations),
	    cmocka_unit_test(intervals),
	    cmocka_unit_test(extremes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
