/*
 * The project-wide error convention (see include/vigil/common.h): negative
 * VG_E* codes, vg_strerror() for their names, vg_error_t for the sentence
 * that tells an admin what failed, where, and what to do.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <vigil/common.h>

static const char *const names[] = {
    [0] = "success",
    [-VG_EINVAL] = "invalid input",
    [-VG_ENOENT] = "not found",
    [-VG_EPERM] = "permission denied",
    [-VG_EIO] = "input/output error",
    [-VG_EPARSE] = "malformed input",
    [-VG_ESCHEMA] = "schema violation",
    [-VG_ETOOBIG] = "input too large",
    [-VG_ETIMEDOUT] = "timed out",
    [-VG_EAGAIN] = "busy, try again",
    [-VG_EEXIST] = "already exists",
    [-VG_EVERSION] = "version mismatch",
    [-VG_ENOTCONN] = "not connected",
    [-VG_EPROTO] = "protocol error",
    [-VG_ENOTSUP] = "not supported",
    [-VG_ESTATE] = "not possible in the current state",
    [-VG_ECANCELED] = "cancelled",
    [-VG_EFAILED] = "action failed",
    [-VG_ECONFIG] = "configuration error",
};

const char *vg_strerror(int rc)
{
	if (rc > 0 || rc < VG_ERC_MIN)
		return "unknown error";
	return names[-rc];
}

int vg_error_set(vg_error_t *err, int code, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL || err->code != 0)
		return code;
	err->code = code;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return code;
}

void vg_error_prefix(vg_error_t *err, const char *fmt, ...)
{
	char *prefix, *joined;
	va_list ap;

	if (err == NULL || err->code == 0)
		return;
	va_start(ap, fmt);
	prefix = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	joined = g_strconcat(prefix, err->msg, NULL);
	g_strlcpy(err->msg, joined, sizeof(err->msg));
	g_free(joined);
	g_free(prefix);
}

void vg_error_clear(vg_error_t *err)
{
	if (err == NULL)
		return;
	err->code = 0;
	err->msg[0] = '\0';
}
