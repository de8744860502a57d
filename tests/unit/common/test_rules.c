/*
 * Rules: every operation and type of <expression>, Pacemaker's type defaults
 * (the expression table matches crm_simulate 2.1.5 case by case), value-source,
 * #role, and/or nesting, id-refs, rsc/op expressions.  Dates: test_rules_date.c.
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

static GHashTable *attrs(void)
{
	GHashTable *h = g_hash_table_new(g_str_hash, g_str_equal);

	g_hash_table_insert(h, "#uname", "node1");
	g_hash_table_insert(h, "#kind", "cluster");
	g_hash_table_insert(h, "n", "9");
	g_hash_table_insert(h, "f", "2.5");
	g_hash_table_insert(h, "s", "Beta");
	g_hash_table_insert(h, "v", "1.10.2");
	g_hash_table_insert(h, "x", "abc");
	return h;
}

/* One <expression> against the node attributes of attrs(). */
static void expressions(void **state)
{
	static const struct {
		const char *attr, *op, *value, *type;
		bool want;
	} cases[] = {
	    /* defaults: ordering compares as integer/number, equality as string */
	    {"n", "lt", "10", NULL, true},
	    {"n", "gt", "10", NULL, false},
	    {"n", "lt", "10", "string", false},
	    {"n", "lte", "9", NULL, true},
	    {"n", "gte", "9", NULL, true},
	    {"n", "gte", "10", NULL, false},
	    {"n", "eq", "09", NULL, false},
	    {"n", "eq", "09", "integer", true},
	    {"n", "ne", "09", "integer", false},
	    {"n", "ne", "09", NULL, true},
	    {"f", "gt", "2.25", NULL, true},
	    {"f", "lt", "10", NULL, true},
	    {"f", "eq", "2.50", "number", true},
	    {"f", "eq", "2.50", NULL, false},
	    {"f", "lt", "3", "integer", true}, /* 2 < 3: leading digits count */
	    {"n", "gt", "1e1", "number", false},
	    {"n", "lt", "1e1", "number", true},
	    /* strings compare case-insensitively */
	    {"s", "eq", "beta", NULL, true},
	    {"s", "eq", "beta", "string", true},
	    {"s", "lt", "gamma", "string", true},
	    {"s", "gt", "alpha", "string", true},
	    {"s", "ne", "BETA", NULL, false},
	    /* unparsable numbers fall back to string comparison */
	    {"x", "lt", "abd", "integer", true},
	    {"x", "gt", "abb", "number", true},
	    {"x", "lt", "5", NULL, false},
	    /* versions */
	    {"v", "gt", "1.9", "version", true},
	    {"v", "gt", "1.9", NULL, false},
	    {"v", "lt", "1.10.10", "version", true},
	    {"v", "eq", "1.10.2.0", "version", true},
	    {"v", "gte", "1.10.2", "version", true},
	    {"v", "lte", "1.10.1", "version", false},
	    {"v", "ne", "1.10.2", "version", false},
	    /* absent attribute: only ne and not_defined hold */
	    {"none", "eq", "1", NULL, false},
	    {"none", "ne", "1", NULL, true},
	    {"none", "lt", "1", NULL, false},
	    {"none", "gt", "1", NULL, false},
	    {"none", "not_defined", NULL, NULL, true},
	    {"none", "defined", NULL, NULL, false},
	    {"n", "defined", NULL, NULL, true},
	    {"n", "not_defined", NULL, NULL, false},
	    /* no value: eq/ne against absent, ordering false */
	    {"n", "eq", NULL, NULL, false},
	    {"n", "ne", NULL, NULL, true},
	    {"n", "gt", NULL, NULL, false},
	    /* node identity attributes, operations in any case */
	    {"#uname", "eq", "node1", NULL, true},
	    {"#uname", "EQ", "node2", NULL, false},
	    {"#kind", "ne", "remote", NULL, true},
	};
	vg_rule_ctx_t ctx = {.node_attrs = attrs()};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char xml[512];
		bool r = !cases[i].want;

		snprintf(
		    xml, sizeof(xml),
		    "<rule id='r'><expression id='e' attribute='%s' operation='%s'%s%s%s%s%s%s/>"
		    "</rule>",
		    cases[i].attr, cases[i].op, cases[i].value ? " value='" : "",
		    cases[i].value ? cases[i].value : "", cases[i].value ? "'" : "",
		    cases[i].type ? " type='" : "", cases[i].type ? cases[i].type : "",
		    cases[i].type ? "'" : "");
		assert_int_equal(eval(xml, &ctx, &r, NULL), 0);
		if (r != cases[i].want)
			fail_msg("case %zu: %s %s %s (%s) gave %d", i, cases[i].attr, cases[i].op,
			         cases[i].value ? cases[i].value : "-",
			         cases[i].type ? cases[i].type : "-", r);
	}
	g_hash_table_destroy(ctx.node_attrs);
}

static void invalid_expressions(void **state)
{
	static const char *const bad[] = {
	    "<expression id='e' attribute='n' value='1'/>",
	    "<expression id='e' attribute='n' operation='like' value='1'/>",
	    "<expression id='e' operation='eq' value='1'/>",
	    "<expression id='e' attribute='n' operation='eq' value='9' type='float'/>",
	    "<expression id='e' attribute='n' operation='eq' value='9' value-source='env'/>",
	    "<date_expression id='d' operation='gt'/>",
	    "<date_expression id='d' operation='lt' start='2020-01-01'/>",
	    "<date_expression id='d' operation='in_range'/>",
	    "<date_expression id='d' operation='in_range' start='2020-13-01'/>",
	    "<date_expression id='d' operation='soon' start='2020-01-01'/>",
	    "<date_expression id='d' operation='date_spec'/>",
	    "<date_expression id='d' operation='date_spec'><date_spec id='s' hours='9-x'/>"
	    "</date_expression>",
	    "<date_expression id='d' start='2020-01-01'><duration id='u' days='one'/>"
	    "</date_expression>",
	    "<bogus id='b'/>",
	};
	vg_rule_ctx_t ctx = {.node_attrs = attrs(), .now = T("2024-06-01")};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char xml[512];
		bool r = true;

		snprintf(xml, sizeof(xml), "<rule id='r'>%s</rule>", bad[i]);
		if (eval(xml, &ctx, &r, NULL) != VG_EINVAL || r)
			fail_msg("invalid %s was not refused", bad[i]);
	}
	g_hash_table_destroy(ctx.node_attrs);
}

static void value_sources(void **state)
{
	GHashTable *params = g_hash_table_new(g_str_hash, g_str_equal);
	GHashTable *meta = g_hash_table_new(g_str_hash, g_str_equal);
	GHashTable *node = attrs();
	vg_rule_ctx_t ctx = {.node_attrs = node, .rsc_params = params, .rsc_meta = meta};
	bool r;

	(void)state;
	g_hash_table_insert(params, "limit", "9");
	g_hash_table_insert(meta, "want", "node1");
	assert_int_equal(eval("<rule id='r'><expression id='e' attribute='n' operation='eq' "
	                      "value='limit' value-source='param' type='integer'/></rule>",
	                      &ctx, &r, NULL),
	                 0);
	assert_true(r);
	assert_int_equal(eval("<rule id='r'><expression id='e' attribute='#uname' operation='eq' "
	                      "value='want' value-source='meta'/></rule>",
	                      &ctx, &r, NULL),
	                 0);
	assert_true(r);
	assert_int_equal(eval("<rule id='r'><expression id='e' attribute='#uname' operation='eq' "
	                      "value='want' value-source='literal'/></rule>",
	                      &ctx, &r, NULL),
	                 0);
	assert_false(r);
	/* a param that is not set compares as absent */
	assert_int_equal(eval("<rule id='r'><expression id='e' attribute='n' operation='ne' "
	                      "value='nope' value-source='param'/></rule>",
	                      &ctx, &r, NULL),
	                 0);
	assert_true(r);
	/* no node to compare with: attribute expressions never hold */
	ctx.node_attrs = NULL;
	assert_int_equal(eval("<rule id='r'><expression id='e' attribute='n' "
	                      "operation='not_defined'/></rule>",
	                      &ctx, &r, NULL),
	                 0);
	assert_false(r);
	g_hash_table_destroy(node);
	g_hash_table_destroy(params);
	g_hash_table_destroy(meta);
}

static void roles(void **state)
{
	static const struct {
		const char *role, *op, *value;
		bool want;
	} cases[] = {
	    {"Promoted", "eq", "Master", true},     {"Promoted", "eq", "Promoted", true},
	    {"Unpromoted", "eq", "Slave", true},    {"Started", "eq", "Started", true},
	    {"Promoted", "ne", "Unpromoted", true}, {"Started", "ne", "Promoted", false},
	    {"Promoted", "defined", NULL, true},    {"Started", "defined", NULL, false},
	    {"Started", "not_defined", NULL, true}, {"Unpromoted", "not_defined", NULL, false},
	    {NULL, "eq", "Started", false},         {NULL, "not_defined", NULL, false},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		vg_rule_ctx_t ctx = {.rsc_role = cases[i].role};
		char xml[256];
		bool r;

		snprintf(xml, sizeof(xml),
		         "<rule id='r'><expression id='e' attribute='#role' operation='%s'%s%s%s/>"
		         "</rule>",
		         cases[i].op, cases[i].value ? " value='" : "",
		         cases[i].value ? cases[i].value : "", cases[i].value ? "'" : "");
		assert_int_equal(eval(xml, &ctx, &r, NULL), 0);
		if (r != cases[i].want)
			fail_msg("role case %zu", i);
	}
}

#define E_TRUE  "<expression id='t' attribute='n' operation='eq' value='9'/>"
#define E_FALSE "<expression id='f' attribute='n' operation='eq' value='8'/>"
#define E_BAD   "<expression id='b' attribute='n' value='8'/>"

static void boolean_ops(void **state)
{
	static const struct {
		const char *xml;
		bool want;
		int rc;
	} cases[] = {
	    {"<rule id='r'>" E_TRUE E_TRUE "</rule>", true, 0},
	    {"<rule id='r' boolean-op='and'>" E_TRUE E_FALSE "</rule>", false, 0},
	    {"<rule id='r' boolean-op='or'>" E_FALSE E_TRUE "</rule>", true, 0},
	    {"<rule id='r' boolean-op='OR'>" E_FALSE E_FALSE "</rule>", false, 0},
	    /* nesting: (false or (true and true)) and true */
	    {"<rule id='r'><rule id='r1' boolean-op='or'>" E_FALSE "<rule id='r2'>" E_TRUE E_TRUE
	     "</rule></rule>" E_TRUE "</rule>",
	     true, 0},
	    {"<rule id='r' boolean-op='or'><rule id='r1'>" E_TRUE E_FALSE "</rule>"
	     "<rule id='r2' boolean-op='or'>" E_FALSE "</rule></rule>",
	     false, 0},
	    /* an invalid expression is false; "or" still passes on a true branch */
	    {"<rule id='r' boolean-op='or'>" E_BAD E_TRUE "</rule>", true, VG_EINVAL},
	    {"<rule id='r'>" E_TRUE E_BAD "</rule>", false, VG_EINVAL},
	    /* first decisive expression stops the rule: the invalid one is not seen */
	    {"<rule id='r'>" E_FALSE E_BAD "</rule>", false, 0},
	    {"<rule id='r' boolean-op='or'>" E_TRUE E_BAD "</rule>", true, 0},
	    /* empty rules: "and" passes, "or" fails (Pacemaker) */
	    {"<rule id='r'/>", true, 0},
	    {"<rule id='r' boolean-op='or'/>", false, 0},
	    {"<rule id='r' boolean-op='xor'>" E_TRUE "</rule>", false, VG_EINVAL},
	    /* id-ref to a rule elsewhere in the document */
	    {"<rule id='r'><rule id-ref='shared'/><rule id='shared'>" E_TRUE "</rule></rule>", true,
	     0},
	    {"<rule id='r' boolean-op='or'><rule id-ref='shared'/>"
	     "<rule id='shared'>" E_FALSE "</rule></rule>",
	     false, 0},
	};
	vg_rule_ctx_t ctx = {.node_attrs = attrs()};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char xml[1024];
		bool r = !cases[i].want;

		g_strlcpy(xml, cases[i].xml, sizeof(xml));
		assert_int_equal(eval(xml, &ctx, &r, NULL), cases[i].rc);
		if (r != cases[i].want)
			fail_msg("boolean case %zu gave %d", i, r);
	}
	g_hash_table_destroy(ctx.node_attrs);
}

/* id-refs resolved through the document's id index. */
static void id_refs(void **state)
{
	vg_rule_ctx_t ctx = {.node_attrs = attrs()};
	xmlDoc *doc = NULL;
	bool r = false;
	const char *xml =
	    "<x><rule id='shared'><expression id='e' attribute='n' operation='gt' value='5'/>"
	    "</rule><rule id='user' boolean-op='and'><rule id-ref='shared'/></rule>"
	    "<rule id='dangling'><rule id-ref='missing'/></rule>"
	    "<rule id='loop'><rule id-ref='loop'/></rule>"
	    "<rule id='wrongkind'><rule id-ref='e'/></rule></x>";
	xmlNode *root;

	(void)state;
	assert_int_equal(vg_xml_parse(xml, strlen(xml), "t", NULL, &doc, NULL), 0);
	root = xmlDocGetRootElement(doc);
	ctx.id_index = vg_xml_id_index(root, NULL);
	assert_int_equal(vg_rule_eval(vg_xml_find(root, "rule", "user"), &ctx, &r, NULL, NULL), 0);
	assert_true(r);
	assert_int_equal(vg_rule_eval(vg_xml_find(root, "rule", "dangling"), &ctx, &r, NULL, NULL),
	                 VG_EINVAL);
	assert_false(r);
	assert_int_equal(vg_rule_eval(vg_xml_find(root, "rule", "loop"), &ctx, &r, NULL, NULL),
	                 VG_EINVAL);
	assert_false(r);
	assert_int_equal(vg_rule_eval(vg_xml_find(root, "rule", "wrongkind"), &ctx, &r, NULL, NULL),
	                 VG_EINVAL);
	assert_false(r);
	g_hash_table_destroy(ctx.id_index);
	g_hash_table_destroy(ctx.node_attrs);
	xmlFreeDoc(doc);
}

static void rsc_and_op_expressions(void **state)
{
	static const struct {
		const char *expr;
		bool want;
	} cases[] = {
	    {"<rsc_expression id='x' class='ocf' provider='heartbeat' type='IPaddr2'/>", true},
	    {"<rsc_expression id='x' class='ocf' provider='heartbeat'/>", true},
	    {"<rsc_expression id='x' provider='heartbeat' type='IPaddr2'/>", true},
	    /* no provider never matches a resource with one (Pacemaker 2.1.5) */
	    {"<rsc_expression id='x' class='ocf' type='IPaddr2'/>", false},
	    {"<rsc_expression id='x' type='IPaddr2'/>", false},
	    {"<rsc_expression id='x' class='lsb'/>", false},
	    {"<rsc_expression id='x' provider='pacemaker'/>", false},
	    {"<rsc_expression id='x' type='Dummy'/>", false},
	    {"<op_expression id='x' name='monitor'/>", true},
	    {"<op_expression id='x' name='monitor' interval='10s'/>", true},
	    {"<op_expression id='x' name='monitor' interval='10000ms'/>", true},
	    {"<op_expression id='x' name='monitor' interval='PT10S'/>", true},
	    {"<op_expression id='x' name='monitor' interval='0'/>", false},
	    {"<op_expression id='x' name='start'/>", false},
	};
	vg_rule_ctx_t ctx = {.rsc_standard = "ocf",
	                     .rsc_provider = "heartbeat",
	                     .rsc_agent = "IPaddr2",
	                     .op_name = "monitor",
	                     .op_interval_ms = 10000};
	vg_rule_ctx_t none = {0};
	bool r;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char xml[512];

		snprintf(xml, sizeof(xml), "<rule id='r'>%s</rule>", cases[i].expr);
		assert_int_equal(eval(xml, &ctx, &r, NULL), 0);
		if (r != cases[i].want)
			fail_msg("case %s gave %d", cases[i].expr, r);
		/* outside a resource/operation context they never hold */
		assert_int_equal(eval(xml, &none, &r, NULL), 0);
		assert_false(r);
	}
	assert_int_equal(eval("<rule id='r'><op_expression id='x' name='monitor' interval='soon'/>"
	                      "</rule>",
	                      &ctx, &r, NULL),
	                 VG_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(expressions),
	    cmocka_unit_test(invalid_expressions),
	    cmocka_unit_test(value_sources),
	    cmocka_unit_test(roles),
	    cmocka_unit_test(boolean_ops),
	    cmocka_unit_test(id_refs),
	    cmocka_unit_test(rsc_and_op_expressions),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
