/*
 * Scores with Pacemaker's semantics: +-INFINITY (1000000) are absorbing values,
 * sums saturate, and -INFINITY beats +INFINITY (a ban outweighs a preference).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>

#include <vigil/common.h>

int vg_score_parse(const char *s, int *out)
{
	const char *p;
	char *end;
	long long v;

	if (s == NULL)
		return VG_EINVAL;
	while (*s == ' ' || *s == '\t')
		s++;
	p = s;
	if (*p == '+' || *p == '-')
		p++;
	if (strcasecmp(p, "INFINITY") == 0 || strcasecmp(p, "inf") == 0) {
		*out = (*s == '-') ? -VG_SCORE_INFINITY : VG_SCORE_INFINITY;
		return 0;
	}
	errno = 0;
	v = strtoll(s, &end, 10);
	if (end == s)
		return VG_EINVAL;
	while (*end == ' ' || *end == '\t')
		end++;
	if (*end != '\0')
		return VG_EINVAL;
	if (errno == ERANGE || v > VG_SCORE_INFINITY)
		v = (v < 0) ? -VG_SCORE_INFINITY : VG_SCORE_INFINITY;
	if (v < -VG_SCORE_INFINITY)
		v = -VG_SCORE_INFINITY;
	*out = (int)v;
	return 0;
}

int vg_score_add(int a, int b)
{
	long long sum;

	if (a <= -VG_SCORE_INFINITY || b <= -VG_SCORE_INFINITY)
		return -VG_SCORE_INFINITY;
	if (a >= VG_SCORE_INFINITY || b >= VG_SCORE_INFINITY)
		return VG_SCORE_INFINITY;
	sum = (long long)a + b;
	if (sum >= VG_SCORE_INFINITY)
		return VG_SCORE_INFINITY;
	if (sum <= -VG_SCORE_INFINITY)
		return -VG_SCORE_INFINITY;
	return (int)sum;
}

const char *vg_score_str(int score, char buf[16])
{
	if (score >= VG_SCORE_INFINITY)
		return "INFINITY";
	if (score <= -VG_SCORE_INFINITY)
		return "-INFINITY";
	snprintf(buf, 16, "%d", score);
	return buf;
}
