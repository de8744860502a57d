/*
 * The heartbeat backend: a client of the node's vigil-hbd (IPC service
 * "hbd", the instance from ha.cf).  One IPC connection per handle, joined to
 * one group.  Requests and events are described in daemons/hbd/hbd_ipc.c;
 * a user message travels as its own fields plus hb.t (its type) and hb.dest,
 * with its XML body untouched.  vigil-hbd does the ordering, reliability and
 * views; this file only translates.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define VG_LOG_SUBSYS "cluster"
#include <string.h>

#include "cluster_private.h"

#define CALL_TIMEOUT_MS 30000

typedef struct hb_backend {
	vg_ipc_client_t *ipc;
} hb_backend_t;

static vg_ipc_client_t *ipc_of(const vg_cluster_t *c)
{
	return ((hb_backend_t *)c->backend)->ipc;
}

static int call(vg_cluster_t *c, const vg_msg_t *req, vg_msg_t **reply, vg_error_t *err)
{
	int64_t rc = 0;
	int r = vg_ipc_call(ipc_of(c), req, reply, CALL_TIMEOUT_MS, err);

	if (r != 0)
		return r;
	if (vg_msg_get_int(*reply, "rc", &rc) != 0)
		rc = VG_EPROTO;
	if (rc != 0) {
		r = vg_error_set(err, (int)rc, "vigil-hbd: %s",
		                 vg_msg_get(*reply, "reason") ? vg_msg_get(*reply, "reason")
		                                              : vg_strerror((int)rc));
		vg_msg_free(*reply);
		*reply = NULL;
	}
	return r;
}

static int hb_connect(vg_cluster_t *c, const char *group, vg_error_t *err)
{
	hb_backend_t *b = g_new0(hb_backend_t, 1);
	vg_msg_t *req, *reply = NULL;
	int64_t id = 0;
	int rc;

	c->backend = b;
	b->ipc = vg_ipc_connect("hbd", c->cfg->instance, err);
	if (b->ipc == NULL)
		return err && err->code ? err->code : VG_ENOTCONN;
	req = vg_msg_new("hb-join");
	vg_msg_set(req, "group", group);
	rc = call(c, req, &reply, err);
	vg_msg_free(req);
	if (rc != 0)
		return rc;
	vg_msg_get_int(reply, "node-id", &id);
	c->local_id = (uint32_t)id;
	c->local_name = g_strdup(vg_msg_get(reply, "node-name"));
	cluster_node_ensure(c, c->local_id, c->local_name);
	vg_msg_free(reply);
	return 0;
}

static int hb_send(vg_cluster_t *c, uint32_t dest, const vg_msg_t *msg, vg_error_t *err)
{
	vg_msg_t *req = vg_msg_copy_as(msg, "hb-send", "hb."), *reply = NULL;
	int rc;

	vg_msg_set(req, "hb.t", vg_msg_type(msg));
	vg_msg_set_int(req, "hb.dest", dest);
	rc = call(c, req, &reply, err);
	vg_msg_free(req);
	vg_msg_free(reply);
	return rc;
}

static int hb_fd(const vg_cluster_t *c)
{
	return vg_ipc_client_fd(ipc_of(c));
}

static void on_deliver(vg_cluster_t *c, const vg_msg_t *ev)
{
	int64_t from = 0;
	const char *type = vg_msg_get(ev, "hb.t");
	vg_msg_t *m;

	if (type == NULL || vg_msg_get_int(ev, "hb.from", &from) != 0 || from <= 0 ||
	    from > UINT32_MAX)
		return;
	m = vg_msg_copy_as(ev, type, "hb.");
	cluster_emit_deliver(c, (uint32_t)from, m);
	vg_msg_free(m);
}

static void on_view(vg_cluster_t *c, const vg_msg_t *ev)
{
	int64_t id = 0, votes = 0, expected = 0;
	const char *q = vg_msg_get(ev, "quorate");

	vg_msg_get_int(ev, "view-id", &id);
	vg_msg_get_int(ev, "votes", &votes);
	vg_msg_get_int(ev, "expected-votes", &expected);
	cluster_parse_nodes(c, vg_msg_get(ev, "members"), c->members);
	cluster_parse_nodes(c, vg_msg_get(ev, "joined"), c->joined);
	cluster_parse_nodes(c, vg_msg_get(ev, "left"), c->left);
	cluster_parse_nodes(c, vg_msg_get(ev, "nodes"), c->view_nodes);
	cluster_emit_view(c, (uint64_t)id);
	cluster_emit_quorum(c, q != NULL && strcmp(q, "true") == 0, (unsigned)votes,
	                    (unsigned)expected);
}

static int hb_dispatch(vg_cluster_t *c)
{
	for (int i = 0; i < 1024; i++) {
		vg_msg_t *ev = NULL;
		vg_error_t err = {0};
		int rc = vg_ipc_recv_event(ipc_of(c), &ev, 0, &err);

		if (rc == VG_ETIMEDOUT || rc == VG_EAGAIN)
			return 0;
		if (rc != 0) {
			/* any other failure leaves the stream unusable (frames lost) */
			vg_log_warn("vigil-hbd connection: %s", err.msg);
			return VG_ENOTCONN;
		}
		if (strcmp(vg_msg_type(ev), "hb-deliver") == 0)
			on_deliver(c, ev);
		else if (strcmp(vg_msg_type(ev), "hb-view") == 0)
			on_view(c, ev);
		vg_msg_free(ev);
		if (c->gone)
			return VG_ENOTCONN;
	}
	return 0;
}

static void hb_disconnect(vg_cluster_t *c)
{
	hb_backend_t *b = c->backend;

	if (b == NULL)
		return;
	if (b->ipc != NULL)
		vg_ipc_disconnect(b->ipc);
	g_free(b);
	c->backend = NULL;
}

const cluster_ops_t vg__cluster_heartbeat_ops = {
    .name = "heartbeat",
    .connect = hb_connect,
    .send = hb_send,
    .fd = hb_fd,
    .dispatch = hb_dispatch,
    .ipc = ipc_of,
    .disconnect = hb_disconnect,
};
