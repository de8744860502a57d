/*
 * Helpers shared by the time and rule tests: parse an expected time, and
 * evaluate a rule given as XML text, checking its result and next change.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef VIGIL_TEST_RULES_TEST_H
#define VIGIL_TEST_RULES_TEST_H

#include <stdio.h>
#include <string.h>

#include <vigil/common.h>

/* An ISO 8601 text that must parse. */
static inline vg_time_t T(const char *s)
{
	vg_time_t t = 0;

	if (vg_time_parse(s, &t) != 0)
		fail_msg("test time \"%s\" does not parse", s);
	return t;
}

/* Evaluate the root element of xml with ctx (its id_index is set to the
 * document's for the call); returns vg_rule_eval's code, and checks that a
 * failure comes with a message. */
static inline int eval(const char *xml, vg_rule_ctx_t *ctx, bool *result, vg_time_t *next)
{
	xmlDoc *doc = NULL;
	vg_error_t err = {0};
	int rc;

	assert_int_equal(vg_xml_parse(xml, strlen(xml), "test", NULL, &doc, &err), 0);
	ctx->id_index = vg_xml_id_index(xmlDocGetRootElement(doc), NULL);
	rc = vg_rule_eval(xmlDocGetRootElement(doc), ctx, result, next, &err);
	if (rc != 0)
		assert_true(strlen(err.msg) > 0);
	g_hash_table_destroy(ctx->id_index);
	ctx->id_index = NULL;
	xmlFreeDoc(doc);
	return rc;
}

/* A valid rule evaluated at `now` (date_spec fields read at `offset`) gives
 * `want`, and its next change is `next` (NULL: none; "-": not checked). */
static inline void check_rule(const char *xml, const char *now, int offset, bool want,
                              const char *next)
{
	vg_rule_ctx_t ctx = {.now = T(now), .date_offset = offset};
	vg_time_t got = VG_TIME_NEVER;
	bool r = !want;
	char buf[64];

	if (eval(xml, &ctx, &r, &got) != 0)
		fail_msg("%s: refused", xml);
	if (r != want)
		fail_msg("%s at %s: gave %s", xml, now, r ? "true" : "false");
	if (next != NULL && strcmp(next, "-") == 0)
		return;
	if (got != (next ? T(next) : VG_TIME_NEVER))
		fail_msg("%s at %s: next change %s, expected %s", xml, now,
		         vg_time_str(got, buf, sizeof(buf)), next ? next : "never");
}

#endif /* VIGIL_TEST_RULES_TEST_H */
