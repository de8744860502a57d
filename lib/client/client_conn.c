/*
 * client_conn.c: the connection to vigil-ctld and the one generic request
 * with the "rc"/"reason" reply convention and VG_EAGAIN retries.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <stdlib.h>

#include <vigil/client.h>

#define CALL_TIMEOUT_MS 60000
#define RETRY_PAUSE_MS  200

struct vg_client {
	vg_ipc_client_t *ipc;
	char *instance;
};

vg_client_t *vg_client_connect(const char *instance, vg_error_t *err)
{
	if (!instance)
		instance = vg_ipc_default_instance();
	vg_ipc_client_t *ipc = vg_ipc_connect("ctld", instance, err);
	if (!ipc)
		return NULL;
	vg_client_t *c = g_new0(vg_client_t, 1);
	c->ipc = ipc;
	c->instance = g_strdup(instance);
	return c;
}

void vg_client_free(vg_client_t *c)
{
	if (!c)
		return;
	vg_ipc_disconnect(c->ipc);
	g_free(c->instance);
	g_free(c);
}

int vg_client_call(vg_client_t *c, const vg_msg_t *req, vg_msg_t **reply, int retry_ms,
                   vg_error_t *err)
{
	gint64 deadline = g_get_monotonic_time() + (gint64)retry_ms * 1000;
	for (;;) {
		vg_msg_t *r = NULL;
		int64_t rc = 0;
		int ipc_rc = vg_ipc_call(c->ipc, req, &r, CALL_TIMEOUT_MS, err);
		if (ipc_rc != 0)
			return ipc_rc;
		if (vg_msg_get_int(r, "rc", &rc) != 0)
			rc = 0;
		if (rc == VG_EAGAIN && g_get_monotonic_time() < deadline) {
			vg_msg_free(r);
			g_usleep(RETRY_PAUSE_MS * 1000);
			continue;
		}
		if (rc != 0) {
			const char *why = vg_msg_get(r, "reason");
			vg_error_set(err, (int)rc, "%s", why ? why : vg_strerror((int)rc));
		}
		if (reply)
			*reply = r;
		else
			vg_msg_free(r);
		return (int)rc;
	}
}
