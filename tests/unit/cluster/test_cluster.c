/*
 * libvigil-cluster without a membership engine: group name checks, backend
 * choice by cluster_layer (corosync not built -> VG_ENOTSUP, unknown ->
 * VG_ENOTSUP), and VG_ENOTCONN when no vigil-hbd runs for the instance.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <vigil/cluster.h>

static vg_hacf_t *cfg_with(const char *extra)
{
	vg_hacf_t *cfg = NULL;
	vg_error_t err = {0};
	char *text = g_strdup_printf("node a\nnode b\ninstance no-such-instance-%d\n%s",
	                             (int)getpid(), extra);

	assert_int_equal(vg_hacf_load_string(text, "/tmp/ha.cf", &cfg, &err), 0);
	g_free(text);
	return cfg;
}

static void test_group_names(void **state)
{
	vg_hacf_t *cfg = cfg_with("");
	vg_cluster_t *c = NULL;
	vg_error_t err = {0};

	assert_int_equal(vg_cluster_connect(cfg, "", NULL, NULL, &c, &err), VG_EINVAL);
	assert_null(c);
	vg_error_clear(&err);
	assert_int_equal(vg_cluster_connect(cfg, NULL, NULL, NULL, &c, &err), VG_EINVAL);
	vg_hacf_free(cfg);
}

static void test_no_daemon(void **state)
{
	vg_hacf_t *cfg = cfg_with("");
	vg_cluster_t *c = NULL;
	vg_error_t err = {0};
	int rc = vg_cluster_connect(cfg, "ctld", NULL, NULL, &c, &err);

	assert_true(rc == VG_ENOTCONN || rc == VG_EIO);
	assert_null(c);
	vg_hacf_free(cfg);
}

static void test_corosync(void **state)
{
	vg_hacf_t *cfg = cfg_with("cluster_layer corosync\n");
	vg_cluster_t *c = NULL;
	vg_error_t err = {0};
	int rc = vg_cluster_connect(cfg, "ctld", NULL, NULL, &c, &err);

	/* either the backend is not built, or it is and corosync is not running */
	assert_true(rc == VG_ENOTSUP || rc == VG_ENOTCONN);
	assert_null(c);
	vg_hacf_free(cfg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_group_names),
	    cmocka_unit_test(test_no_daemon),
	    cmocka_unit_test(test_corosync),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
