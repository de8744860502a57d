/*
 * Unit tests for exec_meta.c: a full <resource-agent> document, the DOCTYPE
 * line most agents print, and garbage (not XML, wrong root, nameless
 * parameters, internal DTD subsets and entities, oversized and deep input)
 * which must give an error, never a crash.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>
#include <vigil/exec.h>

static const char good[] =
    "<?xml version=\"1.0\"?>\n"
    "<!DOCTYPE resource-agent SYSTEM \"ra-api-1.dtd\">\n"
    "<resource-agent name=\"Thing\" version=\"2.1\">\n"
    "<version>1.1</version>\n"
    "<longdesc lang=\"en\">Long\ntext</longdesc>\n"
    "<shortdesc lang=\"en\">  Short  </shortdesc>\n"
    "<parameters>\n"
    " <parameter name=\"ip\" unique=\"1\" required=\"1\">\n"
    "  <shortdesc lang=\"en\">address</shortdesc>\n"
    "  <content type=\"string\"/>\n"
    " </parameter>\n"
    " <parameter name=\"count\" reloadable=\"true\">\n"
    "  <content type=\"integer\" default=\"5\"/>\n"
    " </parameter>\n"
    " <parameter name=\"bare\"/>\n"
    "</parameters>\n"
    "<actions>\n"
    " <action name=\"start\" timeout=\"20s\"/>\n"
    " <action name=\"monitor\" timeout=\"30\" interval=\"10s\" depth=\"10\" role=\"Promoted\"/>\n"
    " <action name=\"stop\" timeout=\"2min\"/>\n"
    " <action name=\"odd\" timeout=\"soon\"/>\n"
    "</actions>\n"
    "</resource-agent>\n";

static void test_good(void **state)
{
	vg_ra_meta_t *m = NULL;
	const vg_ra_param_t *p;
	const vg_ra_action_t *a;

	(void)state;
	assert_int_equal(vg_exec_meta_parse(good, strlen(good), &m, NULL), VG_OK);
	assert_string_equal(m->name, "Thing");
	assert_string_equal(m->version, "1.1");
	assert_string_equal(m->shortdesc, "Short");
	assert_string_equal(m->longdesc, "Long\ntext");
	assert_int_equal(m->params->len, 3);
	p = vg_exec_meta_param(m, "ip");
	assert_true(p->required && p->unique && !p->reloadable);
	assert_string_equal(p->type, "string");
	assert_null(p->default_value);
	assert_string_equal(p->shortdesc, "address");
	p = vg_exec_meta_param(m, "count");
	assert_string_equal(p->type, "integer");
	assert_string_equal(p->default_value, "5");
	assert_true(p->reloadable);
	assert_string_equal(vg_exec_meta_param(m, "bare")->type, "string");
	assert_null(vg_exec_meta_param(m, "nope"));
	a = vg_exec_meta_action(m, "start");
	assert_int_equal(a->timeout_ms, 20000);
	a = vg_exec_meta_action(m, "monitor");
	assert_int_equal(a->timeout_ms, 30000);
	assert_int_equal(a->interval_ms, 10000);
	assert_int_equal(a->depth, 10);
	assert_string_equal(a->role, "Promoted");
	assert_int_equal(vg_exec_meta_action(m, "stop")->timeout_ms, 120000);
	assert_int_equal(vg_exec_meta_action(m, "odd")->timeout_ms, 0);
	vg_exec_meta_free(m);
}

static void expect_bad(const char *doc, size_t len, int code)
{
	vg_ra_meta_t *m = (vg_ra_meta_t *)0x1;
	vg_error_t err = {0};

	assert_int_equal(vg_exec_meta_parse(doc, len, &m, &err), code);
	assert_null(m);
	assert_true(err.msg[0] != '\0');
}

static void test_garbage(void **state)
{
	static const char *bad[] = {
	    "not xml at all",
	    "<resource-agent name=\"x\">",
	    "<other/>",
	    "<resource-agent><parameters><parameter/></parameters></resource-agent>",
	    "<resource-agent><actions><action timeout=\"1s\"/></actions></resource-agent>",
	    "<!DOCTYPE r [<!ENTITY a \"aaaa\">]><resource-agent>&a;</resource-agent>",
	    "<?xml version=\"1.0\"?><!DOCTYPE resource-agent [ <!ENTITY x SYSTEM "
	    "\"file:///etc/passwd\"> ]>"
	    "<resource-agent name=\"&x;\"/>",
	};
	GString *deep = g_string_new("<resource-agent>");
	char *huge;

	(void)state;
	for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
		vg_ra_meta_t *m = NULL;

		assert_int_not_equal(vg_exec_meta_parse(bad[i], strlen(bad[i]), &m, NULL), VG_OK);
		assert_null(m);
	}
	expect_bad("", 0, VG_EPARSE);
	for (int i = 0; i < 200; i++)
		g_string_append(deep, "<x>");
	assert_int_not_equal(
	    vg_exec_meta_parse(deep->str, deep->len, &(vg_ra_meta_t *){NULL}, NULL), VG_OK);
	g_string_free(deep, TRUE);
	huge = g_malloc0(VG_RA_META_MAX_SIZE + 10);
	memset(huge, ' ', VG_RA_META_MAX_SIZE + 9);
	expect_bad(huge, VG_RA_META_MAX_SIZE + 9, VG_ETOOBIG);
	g_free(huge);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_good),
	    cmocka_unit_test(test_garbage),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
