/*
 * exec_codes.c: the meaning of agent exit codes.  OCF return codes as the
 * OCF resource agent API defines them (0-9, and 190/191 for degraded), the
 * operation status names, and the LSB init script convention: start/stop
 * codes 0-7 mean the same as OCF's, `status` uses its own table (0 running,
 * 1 dead with pid file, 2 dead with lock file, 3 not running, 4 unknown).
 * Tables only; nothing here runs anything.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include <vigil/exec.h>

static const struct {
	int rc;
	const char *name;
} ocf_rcs[] = {
    {VG_OCF_SUCCESS, "ok"},
    {VG_OCF_ERR_GENERIC, "error"},
    {VG_OCF_ERR_ARGS, "invalid parameter"},
    {VG_OCF_ERR_UNIMPLEMENTED, "unimplemented feature"},
    {VG_OCF_ERR_PERM, "insufficient privileges"},
    {VG_OCF_ERR_INSTALLED, "not installed"},
    {VG_OCF_ERR_CONFIGURED, "not configured"},
    {VG_OCF_NOT_RUNNING, "not running"},
    {VG_OCF_RUNNING_PROMOTED, "promoted"},
    {VG_OCF_FAILED_PROMOTED, "promoted (failed)"},
    {VG_OCF_DEGRADED, "degraded"},
    {VG_OCF_DEGRADED_PROMOTED, "promoted (degraded)"},
};

static const struct {
	vg_op_status_t status;
	const char *name;
} op_statuses[] = {
    {VG_OP_PENDING, "pending"},
    {VG_OP_DONE, "done"},
    {VG_OP_CANCELLED, "cancelled"},
    {VG_OP_TIMEDOUT, "timed out"},
    {VG_OP_NOT_SUPPORTED, "not supported"},
    {VG_OP_ERROR, "error"},
    {VG_OP_NOT_INSTALLED, "not installed"},
    {VG_OP_NOT_CONNECTED, "not connected"},
    {VG_OP_INVALID, "invalid"},
};

/* LSB `status` exit code -> OCF rc. */
static const int lsb_status_map[] = {
    [0] = VG_OCF_SUCCESS,     /* running */
    [1] = VG_OCF_NOT_RUNNING, /* dead, pid file remains */
    [2] = VG_OCF_NOT_RUNNING, /* dead, lock file remains */
    [3] = VG_OCF_NOT_RUNNING, /* not running */
    [4] = VG_OCF_ERR_GENERIC, /* unknown */
};

const char *vg_exec_ocf_rc_name(int rc)
{
	for (size_t i = 0; i < G_N_ELEMENTS(ocf_rcs); i++)
		if (ocf_rcs[i].rc == rc)
			return ocf_rcs[i].name;
	return "unknown";
}

bool vg_exec_ocf_rc_known(int rc)
{
	return strcmp(vg_exec_ocf_rc_name(rc), "unknown") != 0;
}

const char *vg_exec_op_status_name(vg_op_status_t s)
{
	for (size_t i = 0; i < G_N_ELEMENTS(op_statuses); i++)
		if (op_statuses[i].status == s)
			return op_statuses[i].name;
	return "unknown";
}

int vg_exec_lsb_rc_to_ocf(const char *action, int exit_code)
{
	bool status =
	    action != NULL && (strcmp(action, "status") == 0 || strcmp(action, "monitor") == 0);

	if (status)
		return exit_code >= 0 && exit_code < (int)G_N_ELEMENTS(lsb_status_map)
		           ? lsb_status_map[exit_code]
		           : VG_OCF_ERR_GENERIC;
	/* start/stop/restart/...: 0-7 share the OCF meanings; the rest is an error. */
	if (exit_code >= 0 && exit_code <= VG_OCF_NOT_RUNNING)
		return exit_code;
	return VG_OCF_ERR_GENERIC;
}
