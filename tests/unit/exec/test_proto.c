/*
 * Unit tests for exec_proto.c: result events survive the trip through a
 * vg_msg (encode/decode included), and malformed result messages are
 * VG_EPROTO, never a crash.
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

static void test_roundtrip(void **state)
{
	vg_exec_event_t ev = {
	    .type = VG_EXEC_EV_RESULT,
	    .rsc_id = "vip",
	    .action = "monitor",
	    .interval_ms = 10000,
	    .call_id = 42,
	    .rc = VG_OCF_DEGRADED_PROMOTED,
	    .status = VG_OP_DONE,
	    .exec_ms = 12,
	    .queue_ms = 3,
	    .run_at = 1700000000,
	    .last_rc_change = 1690000000,
	    .exit_reason = "link down",
	    .out = "o",
	    .err = "e",
	    .user_data = "3:0:0:abc",
	};
	vg_msg_t *m = vg_exec_event_to_msg(&ev), *back = NULL;
	vg_exec_event_t *got = NULL;
	uint8_t *buf;
	size_t len;

	(void)state;
	assert_int_equal(vg_msg_encode(m, &buf, &len), VG_OK);
	assert_int_equal(vg_msg_decode(buf, len, 0, &back, NULL), VG_OK);
	assert_int_equal(vg_exec_event_from_msg(back, &got, NULL), VG_OK);
	assert_string_equal(got->rsc_id, "vip");
	assert_string_equal(got->action, "monitor");
	assert_int_equal(got->interval_ms, 10000);
	assert_int_equal(got->call_id, 42);
	assert_int_equal(got->rc, 191);
	assert_int_equal(got->status, VG_OP_DONE);
	assert_int_equal(got->exec_ms, 12);
	assert_int_equal(got->queue_ms, 3);
	assert_int_equal(got->run_at, 1700000000);
	assert_int_equal(got->last_rc_change, 1690000000);
	assert_string_equal(got->exit_reason, "link down");
	assert_string_equal(got->out, "o");
	assert_string_equal(got->err, "e");
	assert_string_equal(got->user_data, "3:0:0:abc");
	vg_exec_event_free(got);
	vg_msg_free(back);
	vg_msg_free(m);
	g_free(buf);

	/* Optional fields stay NULL. */
	ev.exit_reason = ev.out = ev.err = ev.user_data = NULL;
	m = vg_exec_event_to_msg(&ev);
	assert_int_equal(vg_exec_event_from_msg(m, &got, NULL), VG_OK);
	assert_null(got->exit_reason);
	assert_null(got->user_data);
	vg_exec_event_free(got);
	vg_msg_free(m);
}

static void test_malformed(void **state)
{
	static const char *breakers[][2] = {
	    {"call_id", "x"}, {"call_id", "-1"},  {"rc", "nan"},      {"status", "99"},
	    {"status", "-2"}, {"interval", "-5"}, {"exec_ms", "1e9"}, {"rsc", NULL},
	    {"action", NULL}, {"run_at", NULL},
	};
	vg_exec_event_t ev = {.rsc_id = "r", .action = "start", .status = VG_OP_DONE};
	vg_exec_event_t *got = (vg_exec_event_t *)0x1;
	vg_error_t err = {0};
	vg_msg_t *m;

	(void)state;
	for (size_t i = 0; i < G_N_ELEMENTS(breakers); i++) {
		m = vg_exec_event_to_msg(&ev);
		vg_msg_set(m, breakers[i][0], breakers[i][1]);
		assert_int_equal(vg_exec_event_from_msg(m, &got, &err), VG_EPROTO);
		assert_null(got);
		vg_msg_free(m);
	}
	m = vg_msg_new("something-else");
	assert_int_equal(vg_exec_event_from_msg(m, &got, NULL), VG_EPROTO);
	vg_msg_free(m);
	assert_string_equal(vg_exec_op_status_name(VG_OP_TIMEDOUT), "timed out");
	assert_string_equal(vg_exec_op_status_name(VG_OP_NOT_INSTALLED), "not installed");
	assert_string_equal(vg_exec_op_status_name((vg_op_status_t)77), "unknown");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_roundtrip),
	    cmocka_unit_test(test_malformed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
