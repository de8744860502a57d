/*
 * fencing_native.h: what the native plugins share (fencing_native.c):
 * parameter access, the base URL, "{port}" templates, one HTTP call.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef VIGIL_FENCING_NATIVE_H
#define VIGIL_FENCING_NATIVE_H

#include "fencing_private.h"

typedef struct native {
	const vg_fence_device_t *d;
	const char *dev;          /* device id for messages */
	vg_fence_action_t action; /* after pcmk_<action>_action */
	char *port;               /* NULL without a target */
	char *base;               /* scheme://host[:port] */
	const char *user, *password;
	bool verify_tls;
	uint64_t timeout_ms;
	int64_t deadline_us; /* monotonic: the whole operation's end */
} native_t;

/* Fill n from the op; tls_default: https unless ssl=0.  VG_ECONFIG in r
 * when ip is missing. */
int native_init(native_t *n, const vg_fence_op_t *op, bool tls_default, vg_fence_op_result_t *r);
void native_clear(native_t *n);
const char *native_param(native_t *n, const char *name, const char *dflt);
/* Replace {port}, {port2} (two digits), {port60} (59+port), {ip} (g_malloc'd). */
char *native_expand(native_t *n, const char *tmpl);
/* One request; path relative to base unless it has a scheme.  Transport
 * failures become r's rc and reason. */
int native_http(native_t *n, const char *method, const char *path, const char *body,
                fence_http_reply_t *rep, vg_fence_op_result_t *r);

#endif
