/*
 * ISO 8601 date-times, durations and Pacemaker intervals.
 *
 * Owns the proleptic Gregorian calendar arithmetic (days from 1970-01-01),
 * parsing of calendar (2005-01-20), ordinal (2005-020) and week (2005-W03-4)
 * dates in extended and basic form, times of day, zone offsets, ISO durations
 * and Pacemaker's interval syntax ("10s", "500ms", bare seconds, "PT1M").
 * Never reads the clock or the process time zone: every conversion takes its
 * zone offset explicitly, so the scheduler stays deterministic.
 *
 * Deviations from Pacemaker 2.1.5 (its iso8601 tool was the oracle): a
 * date-time without a zone is UTC (Pacemaker: the local zone); a zone glued
 * to the time ("12:00:00+01:00") counts, where Pacemaker honours it only
 * after a space; adding years keeps the calendar day (clamped to the month's
 * end: 2024-02-29 + P1Y = 2025-02-28) where Pacemaker keeps the ordinal day
 * (2025-03-01); "1.5s" is 1500 ms and garbage after an interval unit is
 * refused.  Reduced dates ("2005", "2005-01", "2005-W03") are accepted.
 * Like Pacemaker, a duration may give hours and seconds without the T
 * ("P10S", used in real CIBs); "P1M" stays a month.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <vigil/common.h>

#define SECS_PER_DAY 86400

/* Largest duration component we accept: far beyond any sane use, far below
 * overflow of int64 seconds. */
#define MAX_COMPONENT 100000000000LL

static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;

	if ((a % b != 0) && ((a < 0) != (b < 0)))
		q--;
	return q;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's method). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= (m <= 2);
	era = floor_div(y, 400);
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int *y, int *m, int *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = floor_div(z, 146097);
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

/* ISO weekday of a day number: Monday 1 ... Sunday 7 (1970-01-01 was a Thursday). */
static int weekday_of_days(int64_t days)
{
	return (int)(((days + 3) % 7 + 7) % 7) + 1;
}

bool vg_is_leap_year(int year)
{
	return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

static int days_in_month(int year, int month)
{
	static const int dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	if (month == 2 && vg_is_leap_year(year))
		return 29;
	return dim[month - 1];
}

/* Day number of the Monday that starts ISO week 1 of weekyear. */
static int64_t iso_year_start(int weekyear)
{
	int64_t jan4 = days_from_civil(weekyear, 1, 4);

	return jan4 - (weekday_of_days(jan4) - 1);
}

static int iso_weeks_in_year(int weekyear)
{
	return (int)((iso_year_start(weekyear + 1) - iso_year_start(weekyear)) / 7);
}

void vg_iso_week(int year, int month, int day, int *weekyear, int *week, int *weekday)
{
	int64_t days = days_from_civil(year, month, day);
	int wy = year;

	if (days < iso_year_start(wy))
		wy--;
	else if (days >= iso_year_start(wy + 1))
		wy++;
	if (weekyear != NULL)
		*weekyear = wy;
	if (week != NULL)
		*week = (int)((days - iso_year_start(wy)) / 7) + 1;
	if (weekday != NULL)
		*weekday = weekday_of_days(days);
}

vg_time_t vg_datetime_to_time(const vg_datetime_t *dt)
{
	return days_from_civil(dt->year, dt->month, dt->day) * SECS_PER_DAY +
	       (int64_t)dt->hour * 3600 + (int64_t)dt->minute * 60 + dt->second - dt->offset;
}

/* Instants shown as dates are kept within years 1..9999, so that callers
 * may pass VG_TIME_NEVER or garbage without overflow. */
#define MIN_TIME (-62135596800LL) /* 0001-01-01T00:00:00Z */
#define MAX_TIME 253402300799LL   /* 9999-12-31T23:59:59Z */

void vg_time_to_datetime(vg_time_t t, int offset, vg_datetime_t *out)
{
	int64_t local = (t < MIN_TIME ? MIN_TIME : t > MAX_TIME ? MAX_TIME : t) + offset;
	int64_t days = floor_div(local, SECS_PER_DAY);
	int64_t secs = local - days * SECS_PER_DAY;

	civil_from_days(days, &out->year, &out->month, &out->day);
	out->hour = (int)(secs / 3600);
	out->minute = (int)(secs / 60 % 60);
	out->second = (int)(secs % 60);
	out->offset = offset;
}

const char *vg_time_str(vg_time_t t, char *buf, size_t len)
{
	vg_datetime_t dt;

	if (t == VG_TIME_NEVER) {
		snprintf(buf, len, "never");
		return buf;
	}
	vg_time_to_datetime(t, 0, &dt);
	snprintf(buf, len, "%04d-%02d-%02d %02d:%02d:%02dZ", dt.year, dt.month, dt.day, dt.hour,
	         dt.minute, dt.second);
	return buf;
}

/* ------------------------------------------------------------ date parsing */

/* Exactly n digits at *p into *out; advances *p. */
static bool take_digits(const char **p, int n, int *out)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)(*p)[i]))
			return false;
		v = v * 10 + ((*p)[i] - '0');
	}
	*p += n;
	*out = v;
	return true;
}

static int count_digits(const char *p)
{
	int n = 0;

	while (isdigit((unsigned char)p[n]))
		n++;
	return n;
}

/* Week date: after the 'W'.  ext: dashes between fields. */
static bool parse_week_date(const char **p, int year, bool ext, int64_t *days)
{
	int week, wday = 1;

	if (!take_digits(p, 2, &week))
		return false;
	if (ext && **p == '-') {
		(*p)++;
		if (!take_digits(p, 1, &wday))
			return false;
	} else if (!ext && isdigit((unsigned char)**p)) {
		take_digits(p, 1, &wday);
	}
	if (week < 1 || week > iso_weeks_in_year(year) || wday < 1 || wday > 7)
		return false;
	*days = iso_year_start(year) + (int64_t)(week - 1) * 7 + (wday - 1);
	return true;
}

static bool ordinal_days(int year, int yday, int64_t *days)
{
	if (yday < 1 || yday > (vg_is_leap_year(year) ? 366 : 365))
		return false;
	*days = days_from_civil(year, 1, 1) + yday - 1;
	return true;
}

static bool calendar_days(int year, int month, int day, int64_t *days)
{
	if (month < 1 || month > 12 || day < 1 || day > days_in_month(year, month))
		return false;
	*days = days_from_civil(year, month, day);
	return true;
}

/* YYYY-MM-DD, YYYY-MM, YYYY-DDD, YYYY-Www[-D], YYYYMMDD, YYYYDDD, YYYYWww[D], YYYY. */
static bool parse_date(const char **p, int64_t *days)
{
	int year, a = 0, b = 0;
	int n;

	if (!take_digits(p, 4, &year) || year < 1)
		return false;
	if (**p == '-') {
		(*p)++;
		if (**p == 'W') {
			(*p)++;
			return parse_week_date(p, year, true, days);
		}
		n = count_digits(*p);
		if (n == 3) {
			take_digits(p, 3, &a);
			return ordinal_days(year, a, days);
		}
		if (n != 2)
			return false;
		take_digits(p, 2, &a);
		b = 1;
		if (**p == '-') {
			(*p)++;
			if (!take_digits(p, 2, &b) || isdigit((unsigned char)**p))
				return false;
		}
		return calendar_days(year, a, b, days);
	}
	if (**p == 'W') {
		(*p)++;
		return parse_week_date(p, year, false, days);
	}
	n = count_digits(*p);
	if (n == 4) {
		take_digits(p, 2, &a);
		take_digits(p, 2, &b);
		return calendar_days(year, a, b, days);
	}
	if (n == 3) {
		take_digits(p, 3, &a);
		return ordinal_days(year, a, days);
	}
	if (n != 0)
		return false;
	return calendar_days(year, 1, 1, days);
}

/* hh[:mm[:ss[.fff]]] or hh[mm[ss[.fff]]]; fractions of a second are dropped. */
static bool parse_time_of_day(const char **p, int *secs)
{
	int h, m = 0, s = 0;
	bool ext;

	if (!take_digits(p, 2, &h))
		return false;
	ext = (**p == ':');
	if (ext || isdigit((unsigned char)**p)) {
		if (ext)
			(*p)++;
		if (!take_digits(p, 2, &m))
			return false;
		if ((ext && **p == ':') || (!ext && isdigit((unsigned char)**p))) {
			if (ext)
				(*p)++;
			if (!take_digits(p, 2, &s))
				return false;
			if (**p == '.' || **p == ',') {
				(*p)++;
				if (count_digits(*p) == 0)
					return false;
				*p += count_digits(*p);
			}
		}
	}
	if (h > 24 || m > 59 || s > 60 || (h == 24 && (m != 0 || s != 0)))
		return false;
	*secs = h * 3600 + m * 60 + s;
	return true;
}

/* Z, +hh, +hh:mm, +hhmm (or -). */
static bool parse_zone(const char **p, int *offset)
{
	int sign, h, m = 0;

	if (**p == 'Z') {
		(*p)++;
		*offset = 0;
		return true;
	}
	if (**p != '+' && **p != '-')
		return false;
	sign = (**p == '-') ? -1 : 1;
	(*p)++;
	if (!take_digits(p, 2, &h))
		return false;
	if (**p == ':')
		(*p)++;
	if (isdigit((unsigned char)**p) && !take_digits(p, 2, &m))
		return false;
	if (h > 23 || m > 59)
		return false;
	*offset = sign * (h * 3600 + m * 60);
	return true;
}

static int parse_iso(const char *s, vg_time_t *t, int *offset)
{
	const char *p = s;
	int64_t days;
	int secs = 0;

	*offset = 0;
	if (s == NULL)
		return VG_EINVAL;
	while (isspace((unsigned char)*p))
		p++;
	if (!parse_date(&p, &days))
		return VG_EINVAL;
	if (*p == 'T' || (*p == ' ' && isdigit((unsigned char)p[1]))) {
		p++;
		if (!parse_time_of_day(&p, &secs))
			return VG_EINVAL;
	}
	if (*p == ' ' && (p[1] == 'Z' || p[1] == '+' || p[1] == '-'))
		p++;
	if ((*p == 'Z' || *p == '+' || *p == '-') && !parse_zone(&p, offset))
		return VG_EINVAL;
	while (isspace((unsigned char)*p))
		p++;
	if (*p != '\0')
		return VG_EINVAL;
	*t = days * SECS_PER_DAY + secs - *offset;
	return 0;
}

int vg_time_parse(const char *s, vg_time_t *out)
{
	int offset;

	return parse_iso(s, out, &offset);
}

int vg_datetime_parse(const char *s, vg_datetime_t *out)
{
	vg_time_t t;
	int offset, rc;

	rc = parse_iso(s, &t, &offset);
	if (rc == 0)
		vg_time_to_datetime(t, offset, out);
	return rc;
}

/* --------------------------------------------------------------- durations */

/* Unsigned decimal with optional fraction: *whole, and the fraction scaled
 * to millionths in *micro. */
static bool take_number(const char **p, int64_t *whole, int64_t *micro, bool *has_frac)
{
	int n = count_digits(*p);
	int64_t v = 0, f = 0;

	if (n == 0 || n > 12)
		return false;
	for (int i = 0; i < n; i++)
		v = v * 10 + ((*p)[i] - '0');
	*p += n;
	*has_frac = false;
	if (**p == '.' || **p == ',') {
		int k;

		(*p)++;
		n = count_digits(*p);
		if (n == 0)
			return false;
		for (k = 0; k < n && k < 6; k++)
			f = f * 10 + ((*p)[k] - '0');
		for (; k < 6; k++)
			f *= 10;
		*p += n;
		*has_frac = true;
	}
	*whole = v;
	*micro = f;
	return v <= MAX_COMPONENT;
}

int vg_duration_parse(const char *s, vg_duration_t *out)
{
	/* Designators in the order ISO requires; seconds per unit (0: calendar). */
	static const struct {
		char c;
		bool time;
		int64_t unit;
	} parts[] = {
	    {'Y', false, 0},
	    {'M', false, 0},
	    {'W', false, 7 * SECS_PER_DAY},
	    {'D', false, SECS_PER_DAY},
	    {'H', true, 3600},
	    {'M', true, 60},
	    {'S', true, 1},
	};
	vg_duration_t d = {0};
	const char *p = s;
	size_t next = 0;
	bool in_time = false, any = false, frac_seen = false;

	if (s == NULL || *p != 'P')
		return VG_EINVAL;
	p++;
	while (*p != '\0') {
		int64_t whole, micro;
		bool frac;
		size_t i;

		if (*p == 'T' && !in_time) {
			in_time = true;
			p++;
			if (*p == '\0')
				return VG_EINVAL;
			continue;
		}
		if (frac_seen || !take_number(&p, &whole, &micro, &frac))
			return VG_EINVAL;
		for (i = next; i < G_N_ELEMENTS(parts); i++)
			if (parts[i].c == *p &&
			    (parts[i].time == in_time || (*p == 'H' || *p == 'S')))
				break;
		if (i == G_N_ELEMENTS(parts))
			return VG_EINVAL;
		p++;
		next = i + 1;
		any = true;
		frac_seen = frac;
		if (parts[i].unit == 0) {
			if (frac || whole > 100000)
				return VG_EINVAL;
			if (parts[i].c == 'Y')
				d.years = (int)whole;
			else
				d.months = (int)whole;
			continue;
		}
		if (whole > MAX_COMPONENT / parts[i].unit)
			return VG_EINVAL;
		d.seconds += whole * parts[i].unit;
		d.ms += micro * parts[i].unit / 1000;
		if (d.seconds > MAX_COMPONENT)
			return VG_EINVAL;
	}
	if (!any)
		return VG_EINVAL;
	d.seconds += d.ms / 1000;
	d.ms %= 1000;
	*out = d;
	return 0;
}

vg_time_t vg_time_add_duration_at(vg_time_t t, const vg_duration_t *d, int sign, int offset)
{
	int64_t s = (sign < 0) ? -1 : 1, r;

	if (t == VG_TIME_NEVER)
		return t;
	if (d->years != 0 || d->months != 0) {
		vg_datetime_t dt;
		int64_t months;
		int dim;

		vg_time_to_datetime(t, offset, &dt);
		months = (int64_t)dt.year * 12 + (dt.month - 1) +
		         s * ((int64_t)d->years * 12 + d->months);
		dt.year = (int)floor_div(months, 12);
		dt.month = (int)(months - (int64_t)dt.year * 12) + 1;
		dim = days_in_month(dt.year, dt.month);
		if (dt.day > dim)
			dt.day = dim;
		t = vg_datetime_to_time(&dt);
	}
	if (__builtin_add_overflow(t, s * d->seconds, &r)) /* saturate */
		return (s > 0) ? INT64_MAX : INT64_MIN;
	return r;
}

vg_time_t vg_time_add_duration(vg_time_t t, const vg_duration_t *d, int sign)
{
	return vg_time_add_duration_at(t, d, sign, 0);
}

/* --------------------------------------------------------------- intervals */

int vg_interval_parse_ms(const char *s, uint64_t *ms)
{
	static const struct {
		const char *unit;
		uint64_t mult, div;
	} units[] = {
	    {"", 1000, 1},     {"ms", 1, 1},      {"msec", 1, 1},     {"us", 1, 1000},
	    {"usec", 1, 1000}, {"s", 1000, 1},    {"sec", 1000, 1},   {"m", 60000, 1},
	    {"min", 60000, 1}, {"h", 3600000, 1}, {"hr", 3600000, 1},
	};
	const char *p = s;
	int64_t whole, micro;
	bool frac;
	char unit[8];
	size_t n = 0;

	if (s == NULL)
		return VG_EINVAL;
	while (isspace((unsigned char)*p))
		p++;
	if (*p == 'P') {
		vg_duration_t d;
		char buf[64];
		size_t len = strcspn(p, " \t\r\n");

		if (len >= sizeof(buf))
			return VG_EINVAL;
		memcpy(buf, p, len);
		buf[len] = '\0';
		for (p += len; isspace((unsigned char)*p); p++)
			;
		if (*p != '\0' || vg_duration_parse(buf, &d) != 0 || d.years != 0 || d.months != 0)
			return VG_EINVAL;
		*ms = (uint64_t)d.seconds * 1000 + (uint64_t)d.ms;
		return 0;
	}
	if (!take_number(&p, &whole, &micro, &frac))
		return VG_EINVAL;
	while (isspace((unsigned char)*p))
		p++;
	while (isalpha((unsigned char)*p) && n < sizeof(unit) - 1)
		unit[n++] = *p++;
	unit[n] = '\0';
	while (isspace((unsigned char)*p))
		p++;
	if (*p != '\0')
		return VG_EINVAL;
	for (size_t i = 0; i < G_N_ELEMENTS(units); i++) {
		if (strcasecmp(unit, units[i].unit) != 0)
			continue;
		/* whole <= MAX_COMPONENT and micro < 10^6: neither product overflows */
		*ms = (uint64_t)whole * units[i].mult / units[i].div +
		      (uint64_t)micro * units[i].mult / units[i].div / 1000000;
		return 0;
	}
	return VG_EINVAL;
}
