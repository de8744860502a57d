/*
 * ha.cf parsing: every directive family, defaults, time units, and the
 * "file:line: reason" errors for unknown or malformed directives.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>
#include <vigil/common.h>

static vg_hacf_t *load_ok(const char *text)
{
	vg_hacf_t *cfg = NULL;
	vg_error_t err = {0};
	int rc = vg_hacf_load_string(text, "/etc/vigil/ha.cf", &cfg, &err);

	if (rc != 0)
		fail_msg("unexpected error: %s", err.msg);
	return cfg;
}

static void expect_error(const char *text, const char *needle)
{
	vg_hacf_t *cfg = NULL;
	vg_error_t err = {0};

	assert_int_equal(vg_hacf_load_string(text, "/x/ha.cf", &cfg, &err), VG_ECONFIG);
	assert_null(cfg);
	if (strstr(err.msg, needle) == NULL)
		fail_msg("error \"%s\" lacks \"%s\"", err.msg, needle);
}

static void test_full(void **state)
{
	vg_hacf_t *cfg = load_ok("# a comment\n"
	                         "node alpha beta\n"
	                         "node gamma\n"
	                         "node_id gamma 7\n"
	                         "keepalive 500ms\n"
	                         "deadtime 2\n"
	                         "warntime 1.5\n"
	                         "initdead 10s\n"
	                         "udpport 6940\n"
	                         "ucast eth0 10.0.0.2\n"
	                         "mcast eth1 239.0.0.1 694 1 0\n"
	                         "bcast eth2 eth3\n"
	                         "serial /dev/ttyS0\n"
	                         "baud 115200\n"
	                         "autojoin any\n"
	                         "realtime off\nrtprio 20\ndebug 1\n"
	                         "logfacility local0\nlogfile /var/log/ha.log\n"
	                         "crm respawn\npacemaker on\n"
	                         "compression zlib\ncompression_threshold 4\n"
	                         "cluster_name prod\ncluster_layer heartbeat\n"
	                         "arbiter gamma\nvotes gamma 2\nwait_for_all on\n"
	                         "instance beta\nstate_dir /tmp/s\nrun_dir /tmp/r\n");
	const vg_hacf_hb_t *hb = vg_hacf_hb(cfg);

	assert_int_equal(cfg->nodes->len, 3);
	assert_int_equal(cfg->keepalive_ms, 500);
	assert_int_equal(cfg->deadtime_ms, 2000);
	assert_int_equal(cfg->warntime_ms, 1500);
	assert_int_equal(cfg->initdead_ms, 10000);
	assert_int_equal(cfg->udpport, 6940);
	assert_int_equal(hb->media->len, 5);
	assert_int_equal(((vg_hb_medium_t *)hb->media->pdata[1])->kind, VG_HB_MCAST);
	assert_int_equal(((vg_hb_medium_t *)hb->media->pdata[1])->port, 694);
	assert_string_equal(((vg_hb_medium_t *)hb->media->pdata[3])->iface, "eth3");
	assert_int_equal(hb->baud, 115200);
	assert_int_equal(hb->autojoin, VG_HB_AUTOJOIN_ANY);
	assert_false(hb->realtime);
	assert_int_equal(hb->rtprio, 20);
	assert_true(cfg->debug);
	assert_int_equal(cfg->log_facility, LOG_LOCAL0);
	assert_string_equal(cfg->log_file, "/var/log/ha.log");
	assert_string_equal(hb->compression, "zlib");
	assert_int_equal(hb->compression_threshold, 4096);
	assert_string_equal(cfg->cluster_name, "prod");
	assert_string_equal(cfg->instance, "beta");
	assert_string_equal(cfg->state_dir, "/tmp/s");
	assert_int_equal(vg_hacf_node_id(cfg, "gamma"), 7);
	assert_int_equal(vg_hacf_node_id(cfg, "alpha"), 1);
	assert_int_equal(vg_hacf_node_id(cfg, "beta"), 2);
	assert_int_equal(vg_hacf_node_votes(cfg, "gamma"), 2);
	assert_int_equal(vg_hacf_node_votes(cfg, "alpha"), 1);
	assert_true(vg_hacf_is_arbiter(cfg, "gamma"));
	assert_false(vg_hacf_is_arbiter(cfg, "alpha"));
	assert_true(hb->wait_for_all);
	assert_string_equal(hb->authkeys, "/etc/vigil/authkeys");
	vg_hacf_free(cfg);
}

static void test_defaults_and_roundtrip(void **state)
{
	vg_hacf_t *cfg = load_ok("node a\nnode b\ntwo_node on\nucast lo 127.0.0.2\n");
	vg_hacf_t *again;
	char *dump, *dump2;

	assert_string_equal(cfg->cluster_name, "vigil");
	assert_string_equal(cfg->cluster_layer, "heartbeat");
	assert_int_equal(cfg->udpport, 694);
	assert_int_equal(cfg->keepalive_ms, 1000);
	assert_true(cfg->deadtime_ms > cfg->keepalive_ms);
	assert_true(cfg->initdead_ms >= cfg->deadtime_ms);
	assert_true(vg_hacf_hb(cfg)->wait_for_all); /* implied by two_node */
	dump = vg_hacf_dump(cfg);
	again = load_ok(dump);
	dump2 = vg_hacf_dump(again);
	assert_string_equal(dump, dump2);
	g_free(dump);
	g_free(dump2);
	vg_hacf_free(again);
	vg_hacf_free(cfg);
}

static void test_errors(void **state)
{
	expect_error("node a\nfrobnicate 1\n", "/x/ha.cf:2: unknown directive \"frobnicate\"");
	expect_error("keepalive soon\n", "/x/ha.cf:1: keepalive \"soon\" is not a time");
	expect_error("keepalive 2\ndeadtime 1\n", "deadtime");
	expect_error("mcast eth0 239.0.0.1 694 0 0\n", ":1: mcast TTL");
	expect_error("ucast eth0\n", "ucast takes 2 arguments, not 1");
	expect_error("udpport 70000\n", "udpport");
	expect_error("node a\nnode a\n", "listed twice");
	expect_error("node a\nnode_id b 3\n", "no node line");
	expect_error("node a\nnode b\nnode_id a 3\nnode_id b 3\n", "given to two nodes");
	expect_error("node a\ntwo_node on\n", "exactly two");
	expect_error("autojoin some\n", "autojoin");
	expect_error("baud 1234\n", "baud");
	expect_error("cluster_layer pigeon\n", "cluster_layer");
	expect_error("state_dir relative\n", "absolute");
	expect_error("serial ttyS0\n", "absolute");
	expect_error("keepalive 1.5ms\n", "keepalive");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_full),
	    cmocka_unit_test(test_defaults_and_roundtrip),
	    cmocka_unit_test(test_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
