/*
 * exec_client.c: the vigil-execd client for vigil-ctld, tools and tests.
 * Requests are synchronous vg_ipc_call()s (execd answers at once: it only
 * queues); results come back as events, delivered through a GMainLoop
 * callback (attach) or pulled (next_event).  A lost connection becomes one
 * VG_EXEC_EV_DISCONNECTED event.  The callback may free the client.
 * Never: retries or reconnects on its own (the caller decides, and must
 * compare boot ids afterwards to notice a restarted, empty execd).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define VG_LOG_SUBSYS "exec"
#include "config.h"

#include <string.h>

#include <glib-unix.h>
#include <vigil/exec.h>

#include "exec_internal.h"

#define CALL_TIMEOUT_MS 30000

struct vg_exec_client {
	vg_ipc_client_t *ipc;
	GSource *src;
	GSource *liveness;
	vg_exec_event_fn fn;
	void *data;
	bool disconnected;
	bool dispatching;
	bool free_pending;
};

vg_exec_client_t *vg_exec_client_connect(const char *instance, vg_error_t *err)
{
	vg_ipc_client_t *ipc = vg_ipc_connect(VG__EXEC_SERVICE, instance, err);
	vg_exec_client_t *c;
	vg_exec_info_t info;

	if (ipc == NULL)
		return NULL;
	c = g_new0(vg_exec_client_t, 1);
	c->ipc = ipc;
	/* A first request makes execd send us results from now on. */
	if (vg_exec_client_info(c, &info, err) != VG_OK) {
		vg_exec_client_free(c);
		return NULL;
	}
	vg_exec_info_clear(&info);
	return c;
}

static void drop_source(GSource **s)
{
	if (*s != NULL) {
		g_source_destroy(*s);
		g_source_unref(*s);
		*s = NULL;
	}
}

static void client_destroy(vg_exec_client_t *c)
{
	drop_source(&c->src);
	drop_source(&c->liveness);
	vg_ipc_disconnect(c->ipc);
	g_free(c);
}

void vg_exec_client_free(vg_exec_client_t *c)
{
	if (c == NULL)
		return;
	if (c->dispatching) {
		c->free_pending = true; /* freed when the callback returns */
		return;
	}
	client_destroy(c);
}

/* One event from the connection: VG_OK with *ev, VG_ETIMEDOUT when none. */
static int pull(vg_exec_client_t *c, vg_exec_event_t **ev, int timeout_ms, vg_error_t *err)
{
	vg_msg_t *m = NULL;
	int rc;

	*ev = NULL;
	for (;;) {
		if (c->disconnected)
			return vg_error_set(err, VG_ENOTCONN, "vigil-execd: connection lost");
		rc = vg_ipc_recv_event(c->ipc, &m, timeout_ms, err);
		if (rc == VG_ETIMEDOUT)
			return rc;
		if (rc == VG_ENOTCONN || rc == VG_EPROTO) {
			c->disconnected = true;
			*ev = g_new0(vg_exec_event_t, 1);
			(*ev)->type = VG_EXEC_EV_DISCONNECTED;
			(*ev)->status = VG_OP_NOT_CONNECTED;
			return VG_OK;
		}
		if (rc != VG_OK)
			return rc;
		rc = vg_exec_event_from_msg(m, ev, err);
		vg_msg_free(m);
		if (rc == VG_OK)
			return VG_OK;
		vg_log_warn("vigil-execd: ignoring a malformed event");
	}
}

int vg_exec_client_next_event(vg_exec_client_t *c, vg_exec_event_t **ev, int timeout_ms,
                              vg_error_t *err)
{
	return pull(c, ev, timeout_ms, err);
}

/* Deliver waiting events (the first receive may wait wait_ms).  Returns
 * false when the client is gone or disconnected: its sources are dropped. */
static bool dispatch(vg_exec_client_t *c, GIOCondition cond, int wait_ms)
{
	vg_exec_event_t *ev;

	c->dispatching = true;
	while (!c->free_pending && pull(c, &ev, wait_ms, NULL) == VG_OK) {
		bool gone = ev->type == VG_EXEC_EV_DISCONNECTED;

		wait_ms = 0;
		c->fn(ev, c->data);
		vg_exec_event_free(ev);
		if (gone)
			break;
	}
	if (!c->free_pending && !c->disconnected && (cond & (G_IO_HUP | G_IO_ERR))) {
		vg_exec_event_t gone = {.type = VG_EXEC_EV_DISCONNECTED,
		                        .status = VG_OP_NOT_CONNECTED};

		c->disconnected = true;
		c->fn(&gone, c->data);
	}
	c->dispatching = false;
	if (c->free_pending) {
		client_destroy(c);
		return false;
	}
	return !c->disconnected;
}

static gboolean on_readable(gint fd, GIOCondition cond, gpointer data)
{
	vg_exec_client_t *c = data;

	(void)fd;
	if (dispatch(c, cond, 0))
		return G_SOURCE_CONTINUE;
	/* Gone: if the client still exists, forget the sources we return from. */
	return G_SOURCE_REMOVE;
}

/* libqb's event fd does not wake us when execd dies; the IPC watch does.
 * What is still buffered is delivered first, then the disconnection. */
static void on_gone(void *data)
{
	dispatch(data, G_IO_HUP, 0);
}

void vg_exec_client_attach(vg_exec_client_t *c, vg_exec_event_fn fn, void *data)
{
	drop_source(&c->src);
	drop_source(&c->liveness);
	c->fn = fn;
	c->data = data;
	c->src = g_unix_fd_source_new(vg_ipc_client_fd(c->ipc), G_IO_IN | G_IO_HUP | G_IO_ERR);
	g_source_set_callback(c->src, (GSourceFunc)(void (*)(void))on_readable, c, NULL);
	g_source_attach(c->src, g_main_context_get_thread_default());
	c->liveness = vg_ipc_client_watch(c->ipc, g_main_context_get_thread_default(), on_gone, c);
	/* Events may already be waiting in libqb's buffers. */
	dispatch(c, 0, 0);
}

/* Send req, check the reply's rc; *reply_out (may be NULL) keeps the reply. */
static int call(vg_exec_client_t *c, vg_msg_t *req, vg_msg_t **reply_out, vg_error_t *err)
{
	vg_msg_t *reply = NULL;
	int64_t rc64 = 0;
	int rc;

	if (reply_out != NULL)
		*reply_out = NULL;
	if (c->disconnected) {
		vg_msg_free(req);
		return vg_error_set(err, VG_ENOTCONN, "vigil-execd: connection lost");
	}
	rc = vg_ipc_call(c->ipc, req, &reply, CALL_TIMEOUT_MS, err);
	vg_msg_free(req);
	if (rc == VG_ENOTCONN)
		c->disconnected = true;
	if (rc != VG_OK)
		return rc;
	if (vg_msg_get_int(reply, "rc", &rc64) != VG_OK || rc64 > 0 || rc64 < VG_ERC_MIN) {
		vg_msg_free(reply);
		return vg_error_set(err, VG_EPROTO, "vigil-execd: reply without a valid rc");
	}
	if (rc64 != 0) {
		rc = vg_error_set(err, (int)rc64, "%s",
		                  vg_msg_get(reply, "error") ? vg_msg_get(reply, "error")
		                                             : vg_strerror((int)rc64));
		vg_msg_free(reply);
		return rc;
	}
	if (reply_out != NULL)
		*reply_out = reply;
	else
		vg_msg_free(reply);
	return VG_OK;
}

int vg_exec_client_info(vg_exec_client_t *c, vg_exec_info_t *info, vg_error_t *err)
{
	vg_msg_t *reply;
	uint64_t n = 0, a = 0, max = 0;
	int rc = call(c, vg_msg_new(VG__EXEC_MSG_INFO), &reply, err);

	memset(info, 0, sizeof(*info));
	if (rc != VG_OK)
		return rc;
	if (vg_msg_get(reply, "boot_id") == NULL || vg__exec_get_u64(reply, "n_rsc", &n) != VG_OK ||
	    vg__exec_get_u64(reply, "n_active", &a) != VG_OK ||
	    vg__exec_get_u64(reply, "max", &max) != VG_OK) {
		vg_msg_free(reply);
		return vg_error_set(err, VG_EPROTO, "vigil-execd: malformed info reply");
	}
	info->boot_id = g_strdup(vg_msg_get(reply, "boot_id"));
	info->n_resources = (unsigned)n;
	info->n_active = (unsigned)a;
	info->max_children = (unsigned)max;
	vg_msg_free(reply);
	return VG_OK;
}

void vg_exec_info_clear(vg_exec_info_t *info)
{
	g_free(info->boot_id);
	info->boot_id = NULL;
}

int vg_exec_client_register(vg_exec_client_t *c, const vg_exec_rsc_t *rsc, vg_error_t *err)
{
	vg_msg_t *m;

	if (rsc == NULL || rsc->id == NULL || rsc->klass == NULL || rsc->type == NULL)
		return vg_error_set(err, VG_EINVAL,
		                    "register: resource id, class and type are required");
	if (strcmp(rsc->klass, "stonith") == 0)
		return vg_error_set(
		    err, VG_ENOTSUP,
		    "%s: stonith resources are run by vigil-fenced, not vigil-execd", rsc->id);
	m = vg_msg_new(VG__EXEC_MSG_REGISTER);
	vg_msg_set(m, "id", rsc->id);
	vg_msg_set(m, "class", rsc->klass);
	vg_msg_set(m, "provider", rsc->provider);
	vg_msg_set(m, "type", rsc->type);
	vg__exec_put_table(m, "p.", rsc->params);
	vg__exec_put_table(m, "m.", rsc->meta);
	return call(c, m, NULL, err);
}

int vg_exec_client_unregister(vg_exec_client_t *c, const char *rsc_id, vg_error_t *err)
{
	vg_msg_t *m = vg_msg_new(VG__EXEC_MSG_UNREGISTER);

	vg_msg_set(m, "id", rsc_id);
	return call(c, m, NULL, err);
}

int vg_exec_client_run(vg_exec_client_t *c, const vg_exec_op_t *op, int *call_id, vg_error_t *err)
{
	vg_msg_t *m, *reply;
	int64_t id = 0;
	int rc;

	if (call_id != NULL)
		*call_id = 0;
	if (op == NULL || op->rsc_id == NULL || op->action == NULL)
		return vg_error_set(err, VG_EINVAL, "run: resource and action are required");
	m = vg_msg_new(VG__EXEC_MSG_RUN);
	vg_msg_set(m, "rsc", op->rsc_id);
	vg_msg_set(m, "action", op->action);
	vg_msg_set_int(m, "interval", (int64_t)op->interval_ms);
	vg_msg_set_int(m, "timeout", (int64_t)op->timeout_ms);
	vg_msg_set_int(m, "delay", (int64_t)op->start_delay_ms);
	vg_msg_set(m, "user_data", op->user_data);
	vg__exec_put_table(m, "o.", op->params);
	rc = call(c, m, &reply, err);
	if (rc != VG_OK)
		return rc;
	if (vg_msg_get_int(reply, "call_id", &id) != VG_OK)
		rc = vg_error_set(err, VG_EPROTO, "vigil-execd: run reply without call_id");
	else if (call_id != NULL)
		*call_id = (int)id;
	vg_msg_free(reply);
	return rc;
}

static int op_request(vg_exec_client_t *c, const char *type, const char *rsc_id, const char *action,
                      uint64_t interval_ms, vg_error_t *err)
{
	vg_msg_t *m = vg_msg_new(type);

	vg_msg_set(m, "rsc", rsc_id);
	vg_msg_set(m, "action", action);
	vg_msg_set_int(m, "interval", (int64_t)interval_ms);
	return call(c, m, NULL, err);
}

int vg_exec_client_cancel(vg_exec_client_t *c, const char *rsc_id, const char *action,
                          uint64_t interval_ms, vg_error_t *err)
{
	return op_request(c, VG__EXEC_MSG_CANCEL, rsc_id, action, interval_ms, err);
}

int vg_exec_client_refresh(vg_exec_client_t *c, const char *rsc_id, const char *action,
                           uint64_t interval_ms, vg_error_t *err)
{
	return op_request(c, VG__EXEC_MSG_REFRESH, rsc_id, action, interval_ms, err);
}

static void recurring_free(gpointer p)
{
	vg_exec_recurring_t *r = p;

	g_free(r->rsc_id);
	g_free(r->action);
	g_free(r);
}

int vg_exec_client_list_recurring(vg_exec_client_t *c, GPtrArray **out, vg_error_t *err)
{
	vg_msg_t *reply;
	xmlNode *root, *n;
	int rc = call(c, vg_msg_new(VG__EXEC_MSG_LIST), &reply, err);

	*out = NULL;
	if (rc != VG_OK)
		return rc;
	*out = g_ptr_array_new_with_free_func(recurring_free);
	root = vg_msg_xml(reply);
	if (root != NULL) {
		VG_XML_FOREACH(n, root, "op")
		{
			vg_exec_recurring_t *r = g_new0(vg_exec_recurring_t, 1);
			const char *iv = vg_xml_get(n, "interval"), *id = vg_xml_get(n, "call_id"),
			           *lrc = vg_xml_get(n, "last_rc");

			r->rsc_id = g_strdup(vg_xml_get(n, "rsc"));
			r->action = g_strdup(vg_xml_get(n, "action"));
			r->interval_ms = iv != NULL ? g_ascii_strtoull(iv, NULL, 10) : 0;
			r->call_id = id != NULL ? (int)g_ascii_strtoll(id, NULL, 10) : 0;
			r->last_rc = lrc != NULL ? (int)g_ascii_strtoll(lrc, NULL, 10) : -1;
			if (r->rsc_id == NULL || r->action == NULL) {
				recurring_free(r);
				continue;
			}
			g_ptr_array_add(*out, r);
		}
	}
	vg_msg_free(reply);
	return VG_OK;
}
