/*
 * Unit tests of the streaming entry point (vg_sched_input_read): it gives
 * the same decisions, graph and failed operations as vg_sched_run() on the
 * whole tree; its CIB keeps node_state attributes and transient attributes
 * but no <lrm>; bytes fed one at a time parse the same; declarations are
 * refused even when cut between two reads; wrong roots, broken XML and
 * failing sources end in the right error codes.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include <vigil/common.h>
#include <vigil/sched.h>

#define OP(id, task, iv, rc, call, extra)                                                     \
	"<lrm_rsc_op id='" id "' operation='" task "' interval='" iv "' rc-code='" rc         \
	"' op-status='0' call-id='" call "' transition-key='1:1:0:abc' last-rc-change='900' " \
	"op-digest='f2317cad3d54cec5d7d7aa7d0bf35cf8' crm_feature_set='3.16.1' " extra "/>"

/* Running, failed, orphaned and standby cases in one CIB. */
static const char cib_text[] =
    "<cib have-quorum='1' dc-uuid='1'><configuration><crm_config>"
    "<cluster_property_set id='o'><nvpair id='o1' name='stonith-enabled' value='false'/>"
    "</cluster_property_set></crm_config>"
    "<nodes><node id='1' uname='node1'/><node id='2' uname='node2'/>"
    "<node id='3' uname='node3'/></nodes>"
    "<resources>"
    "<primitive id='a' class='ocf' provider='heartbeat' type='Dummy'><operations>"
    "<op id='a-m' name='monitor' interval='10s'/></operations></primitive>"
    "<primitive id='b' class='ocf' provider='heartbeat' type='Dummy'/>"
    "<primitive id='c' class='ocf' provider='heartbeat' type='Dummy'/>"
    "</resources><constraints/></configuration><status>"
    "<node_state id='1' uname='node1' in_ccm='true' crmd='online' join='member' "
    "expected='member'><lrm id='1'><lrm_resources>"
    "<lrm_resource id='a' class='ocf' provider='heartbeat' type='Dummy'>" OP("a_last_0", "start",
                                                                             "0", "0", "3", "")
        OP("a_monitor_10000", "monitor", "10000", "0", "4",
           "") "</lrm_resource>"
               "<lrm_resource id='b' class='ocf' provider='heartbeat' type='Dummy'>" OP(
                   "b_last_0", "start", "0", "0", "5", "")
                   OP("b_last_failure_0", "monitor", "10000", "1", "6",
                      "exit-reason='went away'") "</lrm_resource>"
                                                 "<lrm_resource id='gone' class='ocf' "
                                                 "provider='heartbeat' type='Dummy'>" OP(
                                                     "gone_last_0", "start", "0", "0", "7",
                                                     "") "</lrm_resource></lrm_resources></lrm>"
                                                         "<transient_attributes "
                                                         "id='1'><instance_attributes id='t1'>"
                                                         "<nvpair id='t1-f' "
                                                         "name='fail-count-b#monitor_10000' "
                                                         "value='1'/>"
                                                         "<nvpair id='t1-l' "
                                                         "name='last-failure-b#monitor_10000' "
                                                         "value='900'/>"
                                                         "</instance_attributes></"
                                                         "transient_attributes></node_state>"
                                                         "<node_state id='2' uname='node2' "
                                                         "in_ccm='true' crmd='online' "
                                                         "join='member' "
                                                         "expected='member'><transient_attributes "
                                                         "id='2'><instance_attributes id='t2'>"
                                                         "<nvpair id='t2-s' name='standby' "
                                                         "value='on'/></instance_attributes>"
                                                         "</transient_attributes><lrm "
                                                         "id='2'><lrm_resources>"
                                                         "<lrm_resource id='c' class='ocf' "
                                                         "provider='heartbeat' type='Dummy'>" OP(
                                                             "c_last_0", "start", "0", "0", "2",
                                                             "") "</lrm_resource></lrm_resources></"
                                                                 "lrm></node_state>"
                                                                 "<node_state id='3' uname='node3' "
                                                                 "in_ccm='true' crmd='online' "
                                                                 "join='member' "
                                                                 "expected='member'/>"
                                                                 "</status></cib>";

/* Summary lines, graph and failed operations as one string. */
static char *outcome(const vg_sched_result_t *r)
{
	const GPtrArray *s = vg_sched_result_summary(r);
	const vg_sched_cluster_view_t *v = vg_sched_result_cluster(r);
	GString *out = g_string_new("");
	char *graph = vg_xml_dump(vg_sched_result_graph(r), false);

	for (guint i = 0; i < s->len; i++)
		g_string_append_printf(out, "%s\n", (const char *)s->pdata[i]);
	for (guint i = 0; i < v->failed_ops->len; i++) {
		const vg_sched_failed_op_view_t *f = v->failed_ops->pdata[i];
		g_string_append_printf(out, "failed %s %s rc=%d call=%d when=%lld reason=%s\n",
		                       f->op_key, f->node, f->rc, f->call_id,
		                       (long long)f->last_rc_change,
		                       f->exit_reason ? f->exit_reason : "-");
	}
	g_string_append(out, graph);
	g_free(graph);
	return g_string_free(out, FALSE);
}

static char *tree_outcome(const char *text)
{
	xmlDoc *doc = NULL;
	vg_error_t err = {0};
	vg_sched_result_t *r = NULL;
	char *s;

	assert_int_equal(vg_xml_parse(text, strlen(text), "test", NULL, &doc, &err), 0);
	assert_int_equal(vg_sched_run(xmlDocGetRootElement(doc), 1000, NULL, &r, &err), 0);
	s = outcome(r);
	vg_sched_result_free(r);
	xmlFreeDoc(doc);
	return s;
}

static void test_same_as_tree(void **state)
{
	vg_sched_input_t *in = NULL;
	vg_sched_result_t *r = NULL;
	vg_error_t err = {0};
	char *tree = tree_outcome(cib_text), *streamed;

	(void)state;
	assert_int_equal(vg_sched_input_parse(cib_text, strlen(cib_text), "test", &in, &err), 0);
	assert_int_equal(vg_sched_run_input(in, 1000, NULL, &r, &err), 0);
	streamed = outcome(r);
	assert_string_equal(streamed, tree);
	/* the case says something: a restart, a stop of the orphan, a move */
	assert_non_null(strstr(tree, "Recover"));
	assert_non_null(strstr(tree, "gone"));
	assert_non_null(strstr(tree, "Move"));
	assert_non_null(strstr(tree, "went away"));
	vg_sched_result_free(r);
	vg_sched_input_free(in);
	g_free(tree);
	g_free(streamed);
}

static void test_cib_without_history(void **state)
{
	vg_sched_input_t *in = NULL;
	vg_error_t err = {0};
	xmlNode *cib, *st;

	(void)state;
	assert_int_equal(vg_sched_input_parse(cib_text, strlen(cib_text), "test", &in, &err), 0);
	cib = vg_sched_input_cib(in);
	assert_true(vg_xml_is(cib, "cib"));
	assert_string_equal(vg_xml_get(cib, "dc-uuid"), "1");
	assert_non_null(vg_xml_find(cib, "primitive", "a"));
	st = vg_xml_find(cib, "node_state", "2");
	assert_non_null(st);
	assert_string_equal(vg_xml_get(st, "crmd"), "online");
	assert_non_null(vg_xml_find(st, "nvpair", "t2-s"));
	assert_null(vg_xml_find(cib, "lrm", NULL));
	assert_null(vg_xml_find(cib, "lrm_rsc_op", NULL));
	vg_sched_input_free(in);
}

/* A source handing out `step` bytes per call, failing at `fail_at`. */
typedef struct dribble {
	const char *text;
	size_t len, pos, step, fail_at;
} dribble_t;

static int dribble_read(void *ctx, char *buf, int len)
{
	dribble_t *d = ctx;
	size_t n = MIN(MIN((size_t)len, d->step), d->len - d->pos);

	if (d->fail_at > 0 && d->pos >= d->fail_at)
		return -1;
	memcpy(buf, d->text + d->pos, n);
	d->pos += n;
	return (int)n;
}

static void test_one_byte_reads(void **state)
{
	dribble_t d = {.text = cib_text, .len = strlen(cib_text), .step = 1};
	vg_sched_input_t *in = NULL;
	vg_sched_result_t *r = NULL;
	vg_error_t err = {0};
	char *tree = tree_outcome(cib_text), *streamed;

	(void)state;
	assert_int_equal(vg_sched_input_read(dribble_read, &d, "test", &in, &err), 0);
	assert_int_equal(vg_sched_run_input(in, 1000, NULL, &r, &err), 0);
	streamed = outcome(r);
	assert_string_equal(streamed, tree);
	vg_sched_result_free(r);
	vg_sched_input_free(in);
	g_free(tree);
	g_free(streamed);
}

static int read_with_step(const char *text, size_t step, size_t fail_at, vg_error_t *err)
{
	dribble_t d = {.text = text, .len = strlen(text), .step = step, .fail_at = fail_at};
	vg_sched_input_t *in = NULL;
	int rc = vg_sched_input_read(dribble_read, &d, "test", &in, err);

	if (rc == 0)
		assert_non_null(in);
	else
		assert_null(in);
	vg_sched_input_free(in);
	return rc;
}

static void test_refusals(void **state)
{
	static const char doctype[] = "<?xml version='1.0'?><!DOCTYPE cib [<!ENTITY x 'y'>]>"
	                              "<cib><configuration/><status/></cib>";
	static const char inner[] = "<cib><configuration/><status><!ENTITY x 'y'></status></cib>";
	vg_error_t err = {0};

	(void)state;
	/* a declaration, whole or cut anywhere between two reads */
	for (size_t step = 1; step <= 4; step++) {
		assert_int_equal(read_with_step(doctype, step, 0, &err), VG_EPARSE);
		assert_non_null(strstr(err.msg, "DOCTYPE"));
		vg_error_clear(&err);
	}
	assert_int_equal(read_with_step(inner, 3, 0, &err), VG_EPARSE);
	vg_error_clear(&err);
	/* comments are fine */
	assert_int_equal(read_with_step("<cib><!-- c --><configuration/></cib>", 2, 0, &err), 0);
	assert_int_equal(read_with_step("<resources/>", 64, 0, &err), VG_EINVAL);
	assert_non_null(strstr(err.msg, "<cib>"));
	vg_error_clear(&err);
	assert_int_equal(read_with_step("<cib><configuration></cib>", 64, 0, &err), VG_EPARSE);
	assert_non_null(strstr(err.msg, "line 1"));
	vg_error_clear(&err);
	assert_int_equal(read_with_step("", 64, 0, &err), VG_EPARSE);
	vg_error_clear(&err);
	assert_int_equal(read_with_step(cib_text, 64, 200, &err), VG_EIO);
	vg_error_clear(&err);
}

/* Two inputs scheduled side by side give what each gives alone. */
static void test_two_inputs(void **state)
{
	vg_sched_input_t *a = NULL, *b = NULL;
	vg_sched_result_t *ra = NULL, *rb = NULL;
	vg_error_t err = {0};
	char *sa, *sb, *tree = tree_outcome(cib_text);

	(void)state;
	assert_int_equal(vg_sched_input_parse(cib_text, strlen(cib_text), "a", &a, &err), 0);
	assert_int_equal(vg_sched_input_parse(cib_text, strlen(cib_text), "b", &b, &err), 0);
	assert_int_equal(vg_sched_run_input(a, 1000, NULL, &ra, &err), 0);
	assert_int_equal(vg_sched_run_input(b, 1000, NULL, &rb, &err), 0);
	vg_sched_input_free(NULL);
	sa = outcome(ra);
	sb = outcome(rb);
	assert_string_equal(sa, tree);
	assert_string_equal(sb, tree);
	vg_sched_result_free(ra);
	vg_sched_result_free(rb);
	vg_sched_input_free(a);
	vg_sched_input_free(b);
	g_free(sa);
	g_free(sb);
	g_free(tree);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_same_as_tree),   cmocka_unit_test(test_cib_without_history),
	    cmocka_unit_test(test_one_byte_reads), cmocka_unit_test(test_refusals),
	    cmocka_unit_test(test_two_inputs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
