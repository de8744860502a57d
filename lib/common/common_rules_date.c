/*
 * <date_expression> and <date_spec>: whether a time falls in a range or
 * matches a cron-like spec, and the next time that answer can change (the
 * controller arms its re-check timer with it).
 *
 * in_range is inclusive at both ends (start <= now <= end), gt is now > start,
 * lt is now < end, as in Pacemaker.  A <duration> is added to start in
 * start's own zone.  date_spec fields (years, months, monthdays, hours,
 * minutes, seconds, yeardays, weekyears, weeks, weekdays; "N", "N-M", "N-",
 * "-M") are read in the zone offset the caller gives.  Deprecated "moon" is
 * ignored.  Pacemaker sets no re-check time for date_spec; vigil computes
 * it (within a bounded search).  Results were checked against crm_rule
 * 2.1.5; they differ only where a year is added to Feb 29 (common_time.c).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define VG_LOG_SUBSYS "rules"
#include "common_rules_private.h"

#define SECS_PER_DAY 86400
/* Bound on the steps of a next-change search (each step jumps at least to
 * the next second, minute, hour, day, month or year that could matter). */
#define MAX_SEARCH_STEPS 20000
/* date_spec answers are computed for times within +-5000 years of 1970. */
#define MAX_SEARCH_TIME (5000LL * 366 * SECS_PER_DAY)
/* The Gregorian calendar repeats every 400 years, weekdays included: a
 * spec without years/weekyears that matches nothing in 401 years never does.
 * With them, the search jumps to the first such year, so 1000 years do. */
#define CYCLE_SECS     (401LL * 366 * SECS_PER_DAY)
#define MAX_YEARS_SECS (1000LL * 366 * SECS_PER_DAY)

/* ------------------------------------------------------------- date_spec */

/* A time broken down into every date_spec field. */
typedef struct parts {
	int v[10];
} parts_t;

enum unit { U_SEC, U_MIN, U_HOUR, U_DAY, U_MONTH, U_YEAR, U_WEEKYEAR };

/* Fields from coarse to fine: the search for a match jumps on the first
 * failing field to the next value of its unit. */
static const struct field {
	const char *name;
	enum unit unit;
	unsigned steps; /* units to look ahead for a change before giving up */
} fields[] = {
    {"years", U_YEAR, 0},      {"weekyears", U_WEEKYEAR, 0}, {"months", U_MONTH, 12},
    {"monthdays", U_DAY, 400}, {"yeardays", U_DAY, 400},     {"weeks", U_DAY, 400},
    {"weekdays", U_DAY, 8},    {"hours", U_HOUR, 24},        {"minutes", U_MIN, 60},
    {"seconds", U_SEC, 60},
};

static int64_t floor_div(int64_t a, int64_t b)
{
	return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

static void breakdown(int64_t local, parts_t *p)
{
	vg_datetime_t dt;
	int wy, wk, wd;

	vg_time_to_datetime(local, 0, &dt);
	vg_iso_week(dt.year, dt.month, dt.day, &wy, &wk, &wd);
	p->v[0] = dt.year;
	p->v[1] = wy;
	p->v[2] = dt.month;
	p->v[3] = dt.day;
	p->v[4] = (int)((local - vg_datetime_to_time(&(vg_datetime_t){dt.year, 1, 1, 0, 0, 0, 0})) /
	                SECS_PER_DAY) +
	          1;
	p->v[5] = wk;
	p->v[6] = wd;
	p->v[7] = dt.hour;
	p->v[8] = dt.minute;
	p->v[9] = dt.second;
}

/* A field value "N", "N-M", "N-" or "-M" (Pacemaker's range syntax); -1 for
 * an open end. */
static bool parse_range(const char *s, long long *lo, long long *hi)
{
	char *end;

	*lo = *hi = -1;
	if (s == NULL || *s == '\0' || strcmp(s, "-") == 0)
		return false;
	if (*s == '-') {
		errno = 0;
		*hi = strtoll(s + 1, &end, 10);
		return end != s + 1 && *end == '\0' && errno == 0 && *hi >= 0;
	}
	errno = 0;
	*lo = strtoll(s, &end, 10);
	if (end == s || errno != 0 || *lo < 0)
		return false;
	if (*end == '\0') {
		*hi = *lo;
		return true;
	}
	if (*end != '-')
		return false;
	s = end + 1;
	if (*s == '\0')
		return true;
	*hi = strtoll(s, &end, 10);
	return end != s && *end == '\0' && errno == 0 && *hi >= 0;
}

typedef struct spec {
	bool present[G_N_ELEMENTS(fields)];
	long long lo[G_N_ELEMENTS(fields)], hi[G_N_ELEMENTS(fields)];
	bool valid;
} spec_t;

static void spec_load(const xmlNode *n, spec_t *s)
{
	s->valid = (n != NULL);
	for (size_t i = 0; n != NULL && i < G_N_ELEMENTS(fields); i++) {
		const char *v = vg_xml_get(n, fields[i].name);

		s->present[i] = (v != NULL);
		if (v != NULL && !parse_range(v, &s->lo[i], &s->hi[i]))
			s->valid = false;
	}
}

static bool in_range(const spec_t *s, size_t i, long long v)
{
	return !s->present[i] ||
	       ((s->lo[i] < 0 || v >= s->lo[i]) && (s->hi[i] < 0 || v <= s->hi[i]));
}

/* Index of the first (coarsest) failing field, or -1 when all match; the
 * broken-down time in *p. */
static int first_failing(const spec_t *s, int64_t local, parts_t *p)
{
	breakdown(local, p);
	for (size_t i = 0; i < G_N_ELEMENTS(fields); i++)
		if (!in_range(s, i, p->v[i]))
			return (int)i;
	return -1;
}

bool vg_date_spec_match_at(const xmlNode *spec, vg_time_t t, int offset)
{
	spec_t s;

	spec_load(spec, &s);
	if (t < -MAX_SEARCH_TIME || t > MAX_SEARCH_TIME)
		t = (t < 0) ? -MAX_SEARCH_TIME : MAX_SEARCH_TIME;
	return s.valid && first_failing(&s, t + offset, &(parts_t){{0}}) < 0;
}

bool vg_date_spec_match(const xmlNode *spec, vg_time_t t)
{
	return vg_date_spec_match_at(spec, t, 0);
}

/* Start of the unit after the one holding `local`. */
static int64_t next_unit(int64_t local, enum unit u)
{
	vg_datetime_t dt;
	int wy;

	switch (u) {
	case U_SEC:
		return local + 1;
	case U_MIN:
		return (floor_div(local, 60) + 1) * 60;
	case U_HOUR:
		return (floor_div(local, 3600) + 1) * 3600;
	case U_DAY:
		return (floor_div(local, SECS_PER_DAY) + 1) * SECS_PER_DAY;
	default:
		break;
	}
	vg_time_to_datetime(local, 0, &dt);
	if (u == U_WEEKYEAR) {
		int wd;

		/* ISO week 1 of the next week-year is the week holding January 4th */
		vg_iso_week(dt.year, dt.month, dt.day, &wy, NULL, NULL);
		vg_iso_week(wy + 1, 1, 4, NULL, NULL, &wd);
		dt = (vg_datetime_t){wy + 1, 1, 4, 0, 0, 0, 0};
		return vg_datetime_to_time(&dt) - (int64_t)(wd - 1) * SECS_PER_DAY;
	}
	if (u == U_MONTH && dt.month < 12)
		dt = (vg_datetime_t){dt.year, dt.month + 1, 1, 0, 0, 0, 0};
	else
		dt = (vg_datetime_t){dt.year + 1, 1, 1, 0, 0, 0, 0};
	return vg_datetime_to_time(&dt);
}

/* Currently matching: the earliest time one field leaves its range. */
static int64_t next_mismatch(const spec_t *s, int64_t local)
{
	int64_t best = VG_TIME_NEVER;

	for (size_t i = 0; i < G_N_ELEMENTS(fields); i++) {
		int64_t t = local;
		parts_t p;

		if (!s->present[i])
			continue;
		if (fields[i].steps == 0) { /* years only grow: leave after the upper end */
			vg_datetime_t dt = {(int)s->hi[i], 12, 28, 0, 0, 0, 0};

			if (s->hi[i] < 0 || s->hi[i] > 9998)
				continue;
			/* Dec 28 is always in the last ISO week of its year */
			t = next_unit(vg_datetime_to_time(&dt), fields[i].unit);
		} else {
			unsigned k;

			for (k = 0; k < fields[i].steps; k++) {
				t = next_unit(t, fields[i].unit);
				breakdown(t, &p);
				if (!in_range(s, i, p.v[i]))
					break;
			}
			if (k == fields[i].steps)
				continue;
		}
		if (t < best)
			best = t;
	}
	return best;
}

/* Field i fails at t: the next time worth checking.  Straight to the lower
 * end of the range when it lies ahead in the enclosing period, else to the
 * start of the next unit (the next Monday for weeks). */
static int64_t skip(const spec_t *s, int i, int64_t t, const parts_t *p)
{
	static const int64_t period[] = {[7] = SECS_PER_DAY, [8] = 3600, [9] = 60};
	static const int64_t unit[] = {[7] = 3600, [8] = 60, [9] = 1};
	static const int limit[] = {
	    [0] = 9999, [2] = 12, [3] = 31, [4] = 366, [7] = 23, [8] = 59, [9] = 59};
	long long lo = s->lo[i];
	vg_datetime_t dt = {p->v[0], 1, 1, 0, 0, 0, 0};
	int64_t target;
	parts_t q;

	/* above the range: on to the period that holds the field */
	static const enum unit enclosing[] = {
	    [2] = U_YEAR, [3] = U_MONTH, [4] = U_YEAR, [5] = U_WEEKYEAR,
	    [7] = U_DAY,  [8] = U_HOUR,  [9] = U_MIN};

	if (i == 5 || i == 6) { /* weeks and weekdays: on to the next Monday */
		if (i == 6 && lo >= 0 && p->v[6] < lo && lo <= 7)
			return (floor_div(t, SECS_PER_DAY) + lo - p->v[6]) * SECS_PER_DAY;
		if (i == 5 && s->hi[5] >= 0 && p->v[5] > s->hi[5])
			return next_unit(t, U_WEEKYEAR);
		return (floor_div(t, SECS_PER_DAY) + 8 - p->v[6]) * SECS_PER_DAY;
	}
	if (lo < 0 || p->v[i] >= lo || lo > limit[i])
		return (i >= 2 && enclosing[i] != U_SEC) ? next_unit(t, enclosing[i])
		                                         : next_unit(t, fields[i].unit);
	switch (i) {
	case 0:
		dt.year = (int)lo;
		return vg_datetime_to_time(&dt);
	case 2:
		dt.month = (int)lo;
		return vg_datetime_to_time(&dt);
	case 3:
		dt.month = p->v[2];
		dt.day = (int)lo;
		break;
	case 4:
		dt.day = (int)lo;
		break;
	case 7:
	case 8:
	case 9:
		return floor_div(t, period[i]) * period[i] + lo * unit[i];
	default:
		return next_unit(t, fields[i].unit);
	}
	/* a day that may not exist in this month or year (31st, day 366) */
	target = vg_datetime_to_time(&dt);
	breakdown(target, &q);
	if (q.v[0] != p->v[0] || (i == 3 && q.v[2] != p->v[2]))
		return next_unit(t, fields[i].unit);
	return target;
}

/* A field whose range misses every value it can take ("months=13", "5-3"). */
static bool spec_impossible(const spec_t *s)
{
	static const long long min[] = {1, 1, 1, 1, 1, 1, 1, 0, 0, 0};
	static const long long max[] = {9999, 9999, 12, 31, 366, 53, 7, 23, 59, 59};

	for (size_t i = 0; i < G_N_ELEMENTS(fields); i++) {
		if (!s->present[i])
			continue;
		if ((s->lo[i] >= 0 && s->lo[i] > max[i]) || (s->hi[i] >= 0 && s->hi[i] < min[i]) ||
		    (s->lo[i] >= 0 && s->hi[i] >= 0 && s->lo[i] > s->hi[i]))
			return true;
	}
	return false;
}

/* Not matching: the earliest later time when every field matches. */
static int64_t next_match(const spec_t *s, int64_t local)
{
	int64_t t = local + 1;
	int64_t horizon = (s->present[0] || s->present[1]) ? MAX_YEARS_SECS : CYCLE_SECS;

	if (spec_impossible(s))
		return VG_TIME_NEVER;

	for (unsigned k = 0; k < MAX_SEARCH_STEPS && t - local < horizon; k++) {
		parts_t p;
		int i = first_failing(s, t, &p);

		if (i < 0)
			return t;
		if (fields[i].steps == 0 && s->hi[i] >= 0 && p.v[i] > s->hi[i])
			return VG_TIME_NEVER; /* years never come back */
		t = skip(s, i, t, &p);
	}
	return VG_TIME_NEVER;
}

vg_time_t vg_date_spec_next_change(const xmlNode *spec, vg_time_t t, int offset)
{
	spec_t s;
	int64_t next;

	spec_load(spec, &s);
	if (!s.valid || t < -MAX_SEARCH_TIME || t > MAX_SEARCH_TIME)
		return VG_TIME_NEVER;
	next = (first_failing(&s, t + offset, &(parts_t){{0}}) < 0) ? next_mismatch(&s, t + offset)
	                                                            : next_match(&s, t + offset);
	return next == VG_TIME_NEVER ? VG_TIME_NEVER : next - offset;
}

/* ------------------------------------------------------- date_expression */

static void lower(vg_time_t *next_change, vg_time_t now, vg_time_t t)
{
	if (next_change != NULL && t > now && t < *next_change)
		*next_change = t;
}

/* start + <duration years=.. months=.. weeks=.. days=.. hours=.. minutes=.. seconds=..> */
static int duration_end(const xmlNode *e, const xmlNode *dur, const vg_datetime_t *start,
                        vg_time_t *end, vg_error_t *err)
{
	static const struct {
		const char *name;
		int64_t secs; /* 0: calendar years/months */
	} comps[] = {
	    {"years", 0},           {"months", 0},   {"weeks", 7 * SECS_PER_DAY},
	    {"days", SECS_PER_DAY}, {"hours", 3600}, {"minutes", 60},
	    {"seconds", 1},
	};
	vg_duration_t d = {0};

	for (size_t i = 0; i < G_N_ELEMENTS(comps); i++) {
		const char *v = vg_xml_get(dur, comps[i].name);
		char *endp;
		long long n;

		if (v == NULL)
			continue;
		errno = 0;
		n = strtoll(v, &endp, 10);
		if (endp == v || *endp != '\0' || errno != 0 || n > 1000000000LL ||
		    n < -1000000000LL)
			return vg__rule_invalid(e, err, "duration %s=\"%s\" is not an integer",
			                        comps[i].name, v);
		if (comps[i].secs == 0 && i == 0)
			d.years = (int)n;
		else if (comps[i].secs == 0)
			d.months = (int)n;
		else
			d.seconds += n * comps[i].secs;
	}
	*end = vg_time_add_duration_at(vg_datetime_to_time(start), &d, 1, start->offset);
	return 0;
}

int vg_date_expr_eval(const xmlNode *e, vg_time_t now, int offset, bool *result,
                      vg_time_t *next_change, vg_error_t *err)
{
	const char *op = vg_xml_get(e, "operation");
	const char *s_start = vg_xml_get(e, "start");
	const char *s_end = vg_xml_get(e, "end");
	const xmlNode *dur = vg_xml_first(e, "duration");
	vg_datetime_t start_dt;
	vg_time_t start = 0, end = 0;
	bool has_start = false, has_end = false;
	int rc;

	*result = false;
	if (s_start != NULL) {
		if (vg_datetime_parse(s_start, &start_dt) != 0)
			return vg__rule_invalid(e, err, "start \"%s\" is not an ISO 8601 date-time",
			                        s_start);
		start = vg_datetime_to_time(&start_dt);
		has_start = true;
	}
	if (s_end != NULL) {
		if (vg_time_parse(s_end, &end) != 0)
			return vg__rule_invalid(e, err, "end \"%s\" is not an ISO 8601 date-time",
			                        s_end);
		has_end = true;
	} else if (has_start && dur != NULL) {
		rc = duration_end(e, dur, &start_dt, &end, err);
		if (rc != 0)
			return rc;
		has_end = true;
	}

	if (op == NULL || g_ascii_strcasecmp(op, "in_range") == 0) {
		if (!has_start && !has_end)
			return vg__rule_invalid(e, err,
			                        "in_range needs start, end or start+duration");
		if (has_start && now < start) {
			lower(next_change, now, start);
		} else if (has_end && now > end) {
			/* over for good */
		} else {
			*result = true;
			if (has_end) /* still true during the last second */
				lower(next_change, now, end + 1);
		}
	} else if (g_ascii_strcasecmp(op, "gt") == 0) {
		if (!has_start)
			return vg__rule_invalid(e, err, "gt needs start");
		*result = now > start;
		if (!*result)
			lower(next_change, now, start + 1);
	} else if (g_ascii_strcasecmp(op, "lt") == 0) {
		if (!has_end)
			return vg__rule_invalid(e, err, "lt needs end");
		*result = now < end;
		if (*result)
			lower(next_change, now, end);
	} else if (g_ascii_strcasecmp(op, "date_spec") == 0) {
		const xmlNode *spec = vg_xml_first(e, "date_spec");
		spec_t s;

		spec_load(spec, &s);
		if (!s.valid)
			return vg__rule_invalid(e, err,
			                        "date_spec missing or with a malformed field");
		*result = vg_date_spec_match_at(spec, now, offset);
		if (next_change != NULL) /* the search costs; only when asked */
			lower(next_change, now, vg_date_spec_next_change(spec, now, offset));
	} else {
		return vg__rule_invalid(
		    e, err, "operation \"%s\" is not in_range, gt, lt or date_spec", op);
	}
	return 0;
}
