/*
 * Unit tests for the agent standards (exec_env.c, exec_agent.c, exec_codes.c,
 * exec_lsb.c): the OCF environment, every OCF return code, exit codes outside
 * the standard, exit reasons, missing and non-executable agents, the stonith
 * refusal, timeouts, LSB status mapping and synthesized LSB meta-data, agent
 * lists.  Agents are small shell scripts written into a temporary OCF root.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <vigil/exec.h>

static char *root; /* temporary OCF root */
static char *lsbdir;
static vg_exec_paths_t paths;

static void write_agent(const char *dir, const char *name, const char *body, mode_t mode)
{
	char *path = g_build_filename(dir, name, NULL);

	assert_true(g_file_set_contents(path, body, -1, NULL));
	assert_int_equal(chmod(path, mode), 0);
	g_free(path);
}

static int setup(void **state)
{
	char *prov;

	(void)state;
	root = g_dir_make_tmp("vigil-ocf-XXXXXX", NULL);
	prov = g_build_filename(root, "resource.d", "test", NULL);
	g_mkdir_with_parents(prov, 0755);
	lsbdir = g_build_filename(root, "init.d", NULL);
	g_mkdir_with_parents(lsbdir, 0755);
	write_agent(prov, "env", "#!/bin/sh\nenv | sort\nexit 0\n", 0755);
	write_agent(prov, "rc",
	            "#!/bin/sh\necho \"ocf-exit-reason:first\" >&2\n"
	            "echo \"ocf-exit-reason:code $OCF_RESKEY_rc\" >&2\nexit $OCF_RESKEY_rc\n",
	            0755);
	write_agent(prov, "noexec", "#!/bin/sh\nexit 0\n", 0644);
	write_agent(prov, "hang", "#!/bin/sh\nsleep 100 &\nsleep 100\n", 0755);
	write_agent(
	    lsbdir, "svc",
	    "#!/bin/sh\n### BEGIN INIT INFO\n# Provides: svc\n"
	    "# Short-Description: a test service\n# Description: <test> & more\n"
	    "### END INIT INFO\n"
	    "case \"$1\" in status) exit ${CODE:-3};; start|stop) exit 0;; *) exit 3;; esac\n",
	    0755);
	g_free(prov);
	paths.ocf_root = root;
	paths.lsb_dir = lsbdir;
	paths.libexec_dir = "/opt/vigil-helpers";
	setenv("VIGIL_TEST_SECRET", "leak", 1);
	setenv("VIGIL_LAB", "/tmp/lab-x", 1); /* passed through: helpers need it */
	return 0;
}

static int teardown(void **state)
{
	char *argv[] = {"/bin/rm", "-rf", root, NULL};

	(void)state;
	g_spawn_sync(NULL, argv, NULL, 0, NULL, NULL, NULL, NULL, NULL, NULL);
	g_free(root);
	g_free(lsbdir);
	return 0;
}

static GHashTable *table(void)
{
	return g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
}

static void run(const char *klass, const char *prov, const char *type, const char *action,
                GHashTable *params, GHashTable *meta, uint64_t timeout_ms,
                vg_exec_agent_result_t *res)
{
	vg_exec_agent_op_t op = {.rsc_id = "r1",
	                         .klass = klass,
	                         .provider = prov,
	                         .type = type,
	                         .action = action,
	                         .params = params,
	                         .meta = meta,
	                         .timeout_ms = timeout_ms,
	                         .interval_ms = 10000,
	                         .paths = &paths};

	vg_exec_agent_run_sync(&op, res);
}

static void test_ocf_env(void **state)
{
	GHashTable *params = table(), *meta = table();
	vg_exec_agent_result_t res;
	char *expect;

	(void)state;
	g_hash_table_insert(params, g_strdup("ip"), g_strdup("10.0.0.1"));
	g_hash_table_insert(params, g_strdup("OCF_CHECK_LEVEL"), g_strdup("10"));
	g_hash_table_insert(meta, g_strdup("notify-type"), g_strdup("pre"));
	g_hash_table_insert(meta, g_strdup("clone_max"), g_strdup("2"));
	g_hash_table_insert(meta, g_strdup("timeout"), g_strdup("999"));
	run("ocf", "test", "env", "monitor", params, meta, 5000, &res);
	assert_int_equal(res.status, VG_OP_DONE);
	assert_int_equal(res.rc, 0);
	assert_non_null(strstr(res.out, "OCF_RESKEY_ip=10.0.0.1\n"));
	assert_non_null(strstr(res.out, "OCF_CHECK_LEVEL=10\n"));
	assert_null(strstr(res.out, "OCF_RESKEY_OCF_CHECK_LEVEL"));
	assert_non_null(strstr(res.out, "OCF_RESKEY_CRM_meta_notify_type=pre\n"));
	assert_non_null(strstr(res.out, "OCF_RESKEY_CRM_meta_clone_max=2\n"));
	assert_non_null(strstr(res.out, "OCF_RESKEY_CRM_meta_timeout=5000\n"));
	assert_null(strstr(res.out, "OCF_RESKEY_CRM_meta_timeout=999"));
	assert_non_null(strstr(res.out, "OCF_RESKEY_CRM_meta_interval=10000\n"));
	assert_non_null(strstr(res.out, "OCF_RESOURCE_INSTANCE=r1\n"));
	assert_non_null(strstr(res.out, "OCF_RESOURCE_TYPE=env\n"));
	assert_non_null(strstr(res.out, "OCF_RESOURCE_PROVIDER=test\n"));
	expect = g_strdup_printf("OCF_ROOT=%s\n", root);
	assert_non_null(strstr(res.out, expect));
	g_free(expect);
	expect = g_strdup_printf("OCF_FUNCTIONS_DIR=%s/lib/heartbeat\n", root);
	assert_non_null(strstr(res.out, expect));
	g_free(expect);
	assert_non_null(strstr(res.out, "PATH=/opt/vigil-helpers:"));
	assert_non_null(strstr(res.out, "HA_SBIN_DIR=/opt/vigil-helpers\n"));
	assert_non_null(strstr(res.out, "VIGIL_LAB=/tmp/lab-x\n"));
	assert_null(strstr(res.out, "VIGIL_TEST_SECRET"));
	vg_exec_agent_result_clear(&res);
	g_hash_table_destroy(params);
	g_hash_table_destroy(meta);
}

static void test_ocf_codes(void **state)
{
	static const int known[] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 190, 191};
	static const int unknown[] = {10, 42, 126, 189, 192, 255};
	GHashTable *params = table();
	vg_exec_agent_result_t res;
	char buf[16];

	(void)state;
	for (size_t i = 0; i < G_N_ELEMENTS(known); i++) {
		g_snprintf(buf, sizeof(buf), "%d", known[i]);
		g_hash_table_replace(params, g_strdup("rc"), g_strdup(buf));
		run("ocf", "test", "rc", "monitor", params, NULL, 5000, &res);
		assert_int_equal(res.status, VG_OP_DONE);
		assert_int_equal(res.rc, known[i]);
		assert_int_equal(res.exit_code, known[i]);
		assert_true(vg_exec_ocf_rc_known(known[i]));
		assert_string_not_equal(vg_exec_ocf_rc_name(known[i]), "unknown");
		/* The last exit reason line wins. */
		g_snprintf(buf, sizeof(buf), "code %d", known[i]);
		assert_string_equal(res.exit_reason, buf);
		vg_exec_agent_result_clear(&res);
	}
	for (size_t i = 0; i < G_N_ELEMENTS(unknown); i++) {
		g_snprintf(buf, sizeof(buf), "%d", unknown[i]);
		g_hash_table_replace(params, g_strdup("rc"), g_strdup(buf));
		run("ocf", "test", "rc", "monitor", params, NULL, 5000, &res);
		assert_int_equal(res.status, VG_OP_ERROR);
		assert_int_equal(res.rc, VG_OCF_ERR_GENERIC);
		assert_int_equal(res.exit_code, unknown[i]);
		assert_false(vg_exec_ocf_rc_known(unknown[i]));
		vg_exec_agent_result_clear(&res);
	}
	assert_string_equal(vg_exec_ocf_rc_name(190), "degraded");
	assert_string_equal(vg_exec_ocf_rc_name(191), "promoted (degraded)");
	g_hash_table_destroy(params);
}

static void test_not_installed(void **state)
{
	vg_exec_agent_result_t res;

	(void)state;
	run("ocf", "test", "missing", "start", NULL, NULL, 5000, &res);
	assert_int_equal(res.status, VG_OP_NOT_INSTALLED);
	assert_int_equal(res.rc, VG_OCF_ERR_INSTALLED);
	assert_non_null(strstr(res.exit_reason, "not installed"));
	vg_exec_agent_result_clear(&res);

	run("ocf", "test", "noexec", "start", NULL, NULL, 5000, &res);
	assert_int_equal(res.status, VG_OP_NOT_INSTALLED);
	assert_int_equal(res.rc, VG_OCF_ERR_INSTALLED);
	assert_non_null(strstr(res.exit_reason, "executable"));
	vg_exec_agent_result_clear(&res);

	run("ocf", "nosuchprovider", "env", "start", NULL, NULL, 5000, &res);
	assert_int_equal(res.status, VG_OP_NOT_INSTALLED);
	vg_exec_agent_result_clear(&res);

	/* Names that would escape the agent directory are refused. */
	run("ocf", "test", "../test/env", "start", NULL, NULL, 5000, &res);
	assert_int_equal(res.status, VG_OP_INVALID);
	vg_exec_agent_result_clear(&res);
	run("ocf", "..", "env", "start", NULL, NULL, 5000, &res);
	assert_int_equal(res.status, VG_OP_INVALID);
	vg_exec_agent_result_clear(&res);
}

static void test_stonith_refused(void **state)
{
	vg_exec_agent_result_t res;
	vg_error_t err = {0};

	(void)state;
	run("stonith", NULL, "fence_ipmilan", "monitor", NULL, NULL, 5000, &res);
	assert_int_equal(res.status, VG_OP_NOT_SUPPORTED);
	vg_exec_agent_result_clear(&res);
	assert_null(vg_exec_agent_path("stonith", NULL, "fence_ipmilan", &paths, &err));
	assert_int_equal(err.code, VG_ENOTSUP);
}

static void test_timeout(void **state)
{
	vg_exec_agent_result_t res;
	int64_t t0 = g_get_monotonic_time();

	(void)state;
	run("ocf", "test", "hang", "start", NULL, NULL, 300, &res);
	assert_int_equal(res.status, VG_OP_TIMEDOUT);
	assert_non_null(strstr(res.exit_reason, "timed out"));
	assert_true(g_get_monotonic_time() - t0 < 3 * G_USEC_PER_SEC);
	vg_exec_agent_result_clear(&res);
}

static void test_lsb(void **state)
{
	static const struct {
		const char *code;
		int rc;
	} map[] = {{"0", 0}, {"1", 7}, {"2", 7}, {"3", 7}, {"4", 1}, {"9", 1}};
	vg_exec_agent_result_t res;
	vg_ra_meta_t *m = NULL;

	(void)state;
	for (size_t i = 0; i < G_N_ELEMENTS(map); i++) {
		assert_int_equal(vg_exec_lsb_rc_to_ocf("status", atoi(map[i].code)), map[i].rc);
		assert_int_equal(vg_exec_lsb_rc_to_ocf("monitor", atoi(map[i].code)), map[i].rc);
	}
	assert_int_equal(vg_exec_lsb_rc_to_ocf("start", 0), 0);
	assert_int_equal(vg_exec_lsb_rc_to_ocf("start", 5), 5);
	assert_int_equal(vg_exec_lsb_rc_to_ocf("stop", 150), 1);
	/* monitor runs `status`; the script exits 3 = not running */
	run("lsb", NULL, "svc", "monitor", NULL, NULL, 5000, &res);
	assert_int_equal(res.status, VG_OP_DONE);
	assert_int_equal(res.rc, VG_OCF_NOT_RUNNING);
	assert_int_equal(res.exit_code, 3);
	vg_exec_agent_result_clear(&res);
	run("lsb", NULL, "svc", "start", NULL, NULL, 5000, &res);
	assert_int_equal(res.rc, 0);
	vg_exec_agent_result_clear(&res);
	run("lsb", NULL, "svc", "meta-data", NULL, NULL, 5000, &res);
	assert_int_equal(res.status, VG_OP_DONE);
	assert_int_equal(vg_exec_meta_parse(res.out, strlen(res.out), &m, NULL), VG_OK);
	assert_string_equal(m->name, "svc");
	assert_string_equal(m->shortdesc, "a test service");
	assert_string_equal(m->longdesc, "<test> & more");
	assert_non_null(vg_exec_meta_action(m, "status"));
	vg_exec_meta_free(m);
	vg_exec_agent_result_clear(&res);
}

static void test_lists(void **state)
{
	GPtrArray *l;
	bool env = false, noexec = false, svc = false;

	(void)state;
	l = vg_exec_agent_list(NULL, NULL, &paths);
	for (guint i = 0; i < l->len; i++) {
		env |= strcmp(l->pdata[i], "ocf:test:env") == 0;
		noexec |= strcmp(l->pdata[i], "ocf:test:noexec") == 0;
		svc |= strcmp(l->pdata[i], "lsb:svc") == 0;
	}
	assert_true(env);
	assert_false(noexec);
	assert_true(svc);
	g_ptr_array_unref(l);
	l = vg_exec_agent_list("lsb", NULL, &paths);
	assert_int_equal(l->len, 1);
	g_ptr_array_unref(l);
	l = vg_exec_provider_list(&paths);
	assert_int_equal(l->len, 1);
	assert_string_equal(l->pdata[0], "test");
	g_ptr_array_unref(l);
}

static void test_exit_reason(void **state)
{
	char *r;

	(void)state;
	assert_null(vg_exec_exit_reason(NULL));
	assert_null(vg_exec_exit_reason("no reason here\n"));
	r = vg_exec_exit_reason("x\nocf-exit-reason:  disk full  \nmore\n");
	assert_string_equal(r, "disk full");
	g_free(r);
	r = vg_exec_exit_reason("ocf-exit-reason:\xff\xfe bad utf8");
	assert_true(g_utf8_validate(r, -1, NULL));
	g_free(r);
}

/* The real agents from resource-agents, when installed. */
static void test_real_dummy(void **state)
{
	char *dir = g_dir_make_tmp("vigil-dummy-XXXXXX", NULL);
	char *statef = g_build_filename(dir, "d.state", NULL);
	GHashTable *params = table();
	vg_exec_paths_t sys = {.libexec_dir = "/nonexistent"};
	vg_exec_agent_op_t op = {.rsc_id = "d",
	                         .klass = "ocf",
	                         .provider = "heartbeat",
	                         .type = "Dummy",
	                         .params = params,
	                         .timeout_ms = 20000,
	                         .paths = &sys};
	static const struct {
		const char *action;
		int rc;
	} steps[] = {{"monitor", 7}, {"start", 0}, {"monitor", 0}, {"stop", 0}, {"monitor", 7}};
	vg_exec_agent_result_t res;

	(void)state;
	if (!g_file_test("/usr/lib/ocf/resource.d/heartbeat/Dummy", G_FILE_TEST_IS_EXECUTABLE)) {
		g_free(dir);
		g_free(statef);
		g_hash_table_destroy(params);
		skip();
	}
	g_hash_table_insert(params, g_strdup("state"), g_strdup(statef));
	for (size_t i = 0; i < G_N_ELEMENTS(steps); i++) {
		op.action = steps[i].action;
		vg_exec_agent_run_sync(&op, &res);
		assert_int_equal(res.status, VG_OP_DONE);
		assert_int_equal(res.rc, steps[i].rc);
		vg_exec_agent_result_clear(&res);
	}
	g_hash_table_destroy(params);
	unlink(statef);
	rmdir(dir);
	g_free(statef);
	g_free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_ocf_env),       cmocka_unit_test(test_ocf_codes),
	    cmocka_unit_test(test_not_installed), cmocka_unit_test(test_stonith_refused),
	    cmocka_unit_test(test_timeout),       cmocka_unit_test(test_lsb),
	    cmocka_unit_test(test_lists),         cmocka_unit_test(test_exit_reason),
	    cmocka_unit_test(test_real_dummy),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
