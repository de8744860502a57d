/*
 * Nvpair sets: score order, first_id, equal scores in Pacemaker's order (the
 * last set in the document wins, checked against crm_simulate 2.1.5),
 * overwrite, "#default", rule gating with next_change, id-refs of sets and
 * nvpairs, the legacy <attributes> wrapper.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include <vigil/common.h>

typedef struct fixture {
	xmlDoc *doc;
	xmlNode *root;
	GHashTable *idx;
	GHashTable *out;
	vg_rule_ctx_t ctx;
} fixture_t;

static void load(fixture_t *f, const char *xml)
{
	memset(f, 0, sizeof(*f));
	assert_int_equal(vg_xml_parse(xml, strlen(xml), "test", NULL, &f->doc, NULL), 0);
	f->root = xmlDocGetRootElement(f->doc);
	f->idx = vg_xml_id_index(f->root, NULL);
	f->out = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	f->ctx.id_index = f->idx;
}

static void unload(fixture_t *f)
{
	g_hash_table_destroy(f->out);
	g_hash_table_destroy(f->idx);
	xmlFreeDoc(f->doc);
}

static const char *get(fixture_t *f, const char *name)
{
	return g_hash_table_lookup(f->out, name);
}

static xmlNode *by_id(fixture_t *f, const char *id)
{
	return g_hash_table_lookup(f->idx, id);
}

static void score_order(void **state)
{
	fixture_t f;

	(void)state;
	load(&f,
	     "<p id='p'>"
	     "<meta_attributes id='low' score='1'><nvpair id='a1' name='a' value='low'/>"
	     "<nvpair id='b1' name='b' value='low'/></meta_attributes>"
	     "<meta_attributes id='high' score='INFINITY'><nvpair id='a2' name='a' value='high'/>"
	     "</meta_attributes>"
	     "<meta_attributes id='mid' score='10'><nvpair id='a3' name='a' value='mid'/>"
	     "<nvpair id='c3' name='c' value='mid'/></meta_attributes>"
	     "<instance_attributes id='other'><nvpair id='a4' name='a' value='other'/>"
	     "</instance_attributes></p>");
	vg_nvset_unpack(f.root, "meta_attributes", &f.ctx, NULL, false, f.out, NULL);
	assert_string_equal(get(&f, "a"), "high");
	assert_string_equal(get(&f, "b"), "low");
	assert_string_equal(get(&f, "c"), "mid");
	assert_int_equal(g_hash_table_size(f.out), 3);
	/* with overwrite the last set processed (lowest score) wins */
	g_hash_table_remove_all(f.out);
	vg_nvset_unpack(f.root, "meta_attributes", &f.ctx, NULL, true, f.out, NULL);
	assert_string_equal(get(&f, "a"), "low");
	/* first_id goes before every score */
	g_hash_table_remove_all(f.out);
	vg_nvset_unpack(f.root, "meta_attributes", &f.ctx, "low", false, f.out, NULL);
	assert_string_equal(get(&f, "a"), "low");
	/* existing values are kept without overwrite, replaced with it */
	g_hash_table_remove_all(f.out);
	g_hash_table_insert(f.out, g_strdup("c"), g_strdup("caller"));
	vg_nvset_unpack(f.root, "meta_attributes", &f.ctx, NULL, false, f.out, NULL);
	assert_string_equal(get(&f, "c"), "caller");
	vg_nvset_unpack(f.root, "meta_attributes", &f.ctx, NULL, true, f.out, NULL);
	assert_string_equal(get(&f, "c"), "mid");
	unload(&f);
}

/* Equal scores: Pacemaker visits them in reverse document order, so the last
 * set in the document wins (crm_simulate: target-role Stopped then Started
 * leaves the resource enabled). */
static void equal_scores(void **state)
{
	fixture_t f;

	(void)state;
	load(&f, "<p id='p'>"
	         "<meta_attributes id='m1'><nvpair id='x1' name='target-role' value='Stopped'/>"
	         "</meta_attributes>"
	         "<meta_attributes id='m2' score='0'><nvpair id='x2' name='target-role' "
	         "value='Started'/></meta_attributes>"
	         "<meta_attributes id='m3' score='-5'><nvpair id='x3' name='target-role' "
	         "value='Slave'/></meta_attributes></p>");
	vg_nvset_unpack(f.root, "meta_attributes", &f.ctx, NULL, false, f.out, NULL);
	assert_string_equal(get(&f, "target-role"), "Started");
	unload(&f);
}

static void rule_gating(void **state)
{
	fixture_t f;
	GHashTable *node = g_hash_table_new(g_str_hash, g_str_equal);
	vg_time_t next = VG_TIME_NEVER, t;

	(void)state;
	load(&f, "<p id='p'>"
	         "<instance_attributes id='n1' score='3'>"
	         "<rule id='r1'><expression id='e1' attribute='#uname' operation='eq' "
	         "value='node1'/></rule><nvpair id='v1' name='ip' value='10.0.0.1'/>"
	         "</instance_attributes>"
	         "<instance_attributes id='summer' score='2'>"
	         "<rule id='r2'><date_expression id='d2' operation='in_range' start='2024-06-01' "
	         "end='2024-08-31'/></rule><nvpair id='v2' name='mode' value='summer'/>"
	         "</instance_attributes>"
	         "<instance_attributes id='two-rules' score='2'>"
	         "<rule id='r3'><expression id='e3' attribute='#uname' operation='eq' "
	         "value='nodeX'/></rule>"
	         "<rule id='r4'><expression id='e4' attribute='#uname' operation='eq' "
	         "value='node2'/></rule><nvpair id='v3' name='ip' value='10.0.0.2'/>"
	         "</instance_attributes>"
	         "<instance_attributes id='fallback'><nvpair id='v4' name='ip' value='10.0.0.9'/>"
	         "<nvpair id='v5' name='mode' value='normal'/></instance_attributes></p>");
	f.ctx.node_attrs = node;
	assert_int_equal(vg_time_parse("2024-07-01", &f.ctx.now), 0);
	g_hash_table_insert(node, "#uname", "node1");
	vg_nvset_unpack(f.root, "instance_attributes", &f.ctx, NULL, false, f.out, &next);
	assert_string_equal(get(&f, "ip"), "10.0.0.1");
	assert_string_equal(get(&f, "mode"), "summer");
	assert_int_equal(vg_time_parse("2024-08-31T00:00:01", &t), 0);
	assert_int_equal(next, t);
	/* node2: its set has two rules, the second one passes */
	g_hash_table_remove_all(f.out);
	g_hash_table_insert(node, "#uname", "node2");
	assert_int_equal(vg_time_parse("2024-09-01", &f.ctx.now), 0);
	next = VG_TIME_NEVER;
	vg_nvset_unpack(f.root, "instance_attributes", &f.ctx, NULL, false, f.out, &next);
	assert_string_equal(get(&f, "ip"), "10.0.0.2");
	assert_string_equal(get(&f, "mode"), "normal");
	assert_int_equal(next, VG_TIME_NEVER);
	/* node3: only the set without rules */
	g_hash_table_remove_all(f.out);
	g_hash_table_insert(node, "#uname", "node3");
	vg_nvset_unpack(f.root, "instance_attributes", &f.ctx, NULL, false, f.out, NULL);
	assert_string_equal(get(&f, "ip"), "10.0.0.9");
	g_hash_table_destroy(node);
	unload(&f);
}

static void id_refs(void **state)
{
	fixture_t f;

	(void)state;
	load(&f, "<cib id='c'>"
	         "<op id='op1'><meta_attributes id='shared' score='5'>"
	         "<nvpair id='s1' name='timeout' value='20s'/></meta_attributes></op>"
	         "<op id='op2'><meta_attributes id-ref='shared'/>"
	         "<meta_attributes id-ref='nowhere'/>"
	         "<meta_attributes id-ref='s1'/>"
	         "<meta_attributes id='own'><nvpair id='o1' name='timeout' value='60s'/>"
	         "<nvpair id='o2' id-ref='s1'/>"
	         "<nvpair id='o3' name='on-fail' id-ref='s1'/></meta_attributes></op></cib>");
	vg_nvset_unpack(by_id(&f, "op2"), "meta_attributes", &f.ctx, NULL, false, f.out, NULL);
	/* the referenced set (score 5) wins over the own one (score 0) */
	assert_string_equal(get(&f, "timeout"), "20s");
	/* an nvpair reference supplies what the nvpair itself lacks */
	assert_string_equal(get(&f, "on-fail"), "20s");
	assert_int_equal(g_hash_table_size(f.out), 2);
	/* without an id index, references cannot be followed */
	g_hash_table_remove_all(f.out);
	f.ctx.id_index = NULL;
	vg_nvset_unpack(by_id(&f, "op2"), "meta_attributes", &f.ctx, NULL, false, f.out, NULL);
	assert_string_equal(get(&f, "timeout"), "60s");
	f.ctx.id_index = f.idx;
	unload(&f);
}

static void defaults_and_legacy(void **state)
{
	fixture_t f;

	(void)state;
	load(&f,
	     "<p id='p'>"
	     "<meta_attributes id='a' score='2'><nvpair id='a1' name='x' value='#default'/>"
	     "</meta_attributes>"
	     "<meta_attributes id='b' score='1'><attributes><nvpair id='b1' name='x' value='1'/>"
	     "<nvpair id='b2' name='y' value='2'/><nvpair id='b3' name='z'/></attributes>"
	     "</meta_attributes></p>");
	g_hash_table_insert(f.out, g_strdup("x"), g_strdup("caller"));
	vg_nvset_unpack(f.root, "meta_attributes", &f.ctx, NULL, false, f.out, NULL);
	/* "#default" dropped the caller's value, then the lower set filled it */
	assert_string_equal(get(&f, "x"), "1");
	assert_string_equal(get(&f, "y"), "2");
	assert_null(get(&f, "z"));
	/* NULL context and NULL parent are harmless */
	g_hash_table_remove_all(f.out);
	vg_nvset_unpack(f.root, "meta_attributes", NULL, NULL, false, f.out, NULL);
	assert_string_equal(get(&f, "y"), "2");
	vg_nvset_unpack(NULL, "meta_attributes", NULL, NULL, false, f.out, NULL);
	unload(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(score_order),         cmocka_unit_test(equal_scores),
	    cmocka_unit_test(rule_gating),         cmocka_unit_test(id_refs),
	    cmocka_unit_test(defaults_and_legacy),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
