/*
 * execd_messages.c: vigil-execd's IPC requests, one table row per message
 * type (the protocol is described in lib/exec/exec_proto.c).  Each handler
 * validates its fields, does its work through execd_ops.c and fills the
 * reply; the dispatcher adds "rc"/"error" and sends it.  Unknown types get
 * VG_EPROTO from the default row.
 * Never: waits for an agent (requests only queue work; results are events).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define VG_LOG_SUBSYS "execd"
#include "config.h"

#include <string.h>

#include "execd_private.h"
#include "exec_internal.h"

/* Longest interval, timeout or delay accepted: a week. */
#define MAX_MS (7ull * 24 * 3600 * 1000)

typedef int (*handler_fn)(execd_t *d, vg_ipc_conn_t *conn, const vg_msg_t *req, vg_msg_t *reply,
                          vg_error_t *err);

static int h_info(execd_t *d, vg_ipc_conn_t *conn, const vg_msg_t *req, vg_msg_t *reply,
                  vg_error_t *err)
{
	GHashTableIter it;
	gpointer v;
	int64_t n = 0;

	g_hash_table_iter_init(&it, d->rscs);
	while (g_hash_table_iter_next(&it, NULL, &v))
		n += !((execd_rsc_t *)v)->removed;
	vg_msg_set(reply, "boot_id", d->boot_id);
	vg_msg_set_int(reply, "n_rsc", n);
	vg_msg_set_int(reply, "n_active", d->active);
	vg_msg_set_int(reply, "max", d->max_children);
	vg_msg_set_int(reply, "peak_active", d->peak_active);
	return VG_OK;
}

static int h_register(execd_t *d, vg_ipc_conn_t *conn, const vg_msg_t *req, vg_msg_t *reply,
                      vg_error_t *err)
{
	const char *id = vg_msg_get(req, "id"), *klass = vg_msg_get(req, "class");
	const char *provider = vg_msg_get(req, "provider"), *type = vg_msg_get(req, "type");

	if (!vg__exec_name_ok(id) || klass == NULL || !vg__exec_name_ok(type))
		return vg_error_set(err, VG_EINVAL, "register: invalid resource id, class or type");
	if (strcmp(klass, "stonith") == 0)
		return vg_error_set(
		    err, VG_ENOTSUP,
		    "%s: stonith resources are run by vigil-fenced, not vigil-execd", id);
	if (strcmp(klass, "ocf") != 0 && strcmp(klass, "lsb") != 0)
		return vg_error_set(err, VG_ENOTSUP, "%s: class %s is not supported (ocf, lsb)", id,
		                    klass);
	if (strcmp(klass, "ocf") == 0 && !vg__exec_name_ok(provider))
		return vg_error_set(err, VG_EINVAL, "%s: an ocf resource needs a provider", id);
	execd_rsc_register(d, id, klass, strcmp(klass, "ocf") == 0 ? provider : NULL, type,
	                   vg__exec_get_table(req, "p."), vg__exec_get_table(req, "m."));
	return VG_OK;
}

static int h_unregister(execd_t *d, vg_ipc_conn_t *conn, const vg_msg_t *req, vg_msg_t *reply,
                        vg_error_t *err)
{
	const char *id = vg_msg_get(req, "id");

	if (id == NULL || execd_rsc_unregister(d, id) != VG_OK)
		return vg_error_set(err, VG_ENOENT, "unregister: no resource %s",
		                    id ? id : "(none)");
	return VG_OK;
}

static int get_ms(const vg_msg_t *req, const char *name, uint64_t *out, vg_error_t *err)
{
	if (vg__exec_get_u64(req, name, out) != VG_OK || *out > MAX_MS)
		return vg_error_set(err, VG_EINVAL, "%s: not a duration in ms up to a week", name);
	return VG_OK;
}

static execd_rsc_t *find_rsc(execd_t *d, const vg_msg_t *req, vg_error_t *err)
{
	const char *id = vg_msg_get(req, "rsc");
	execd_rsc_t *rsc = id != NULL ? g_hash_table_lookup(d->rscs, id) : NULL;

	if (rsc == NULL || rsc->removed) {
		vg_error_set(err, VG_ENOENT, "resource %s is not registered", id ? id : "(none)");
		return NULL;
	}
	return rsc;
}

static int h_run(execd_t *d, vg_ipc_conn_t *conn, const vg_msg_t *req, vg_msg_t *reply,
                 vg_error_t *err)
{
	const char *action = vg_msg_get(req, "action");
	uint64_t interval = 0, timeout = 0, delay = 0;
	execd_rsc_t *rsc = find_rsc(d, req, err);
	int call_id;

	if (rsc == NULL)
		return err->code;
	if (action == NULL || *action == '\0')
		return vg_error_set(err, VG_EINVAL, "run: no action");
	if (get_ms(req, "interval", &interval, err) != VG_OK ||
	    get_ms(req, "timeout", &timeout, err) != VG_OK ||
	    get_ms(req, "delay", &delay, err) != VG_OK)
		return err->code;
	call_id =
	    execd_op_submit(d, rsc, action, interval, timeout, delay, vg__exec_get_table(req, "o."),
	                    vg_msg_get(req, "user_data"), conn);
	vg_msg_set_int(reply, "call_id", call_id);
	return VG_OK;
}

static execd_op_t *find_recurring(execd_t *d, const vg_msg_t *req, vg_error_t *err)
{
	const char *action = vg_msg_get(req, "action");
	uint64_t interval = 0;
	execd_rsc_t *rsc = find_rsc(d, req, err);
	execd_op_t *op;

	if (rsc == NULL)
		return NULL;
	if (action == NULL || get_ms(req, "interval", &interval, err) != VG_OK)
		return NULL;
	op = execd_recurring_find(rsc, action, interval);
	if (op == NULL)
		vg_error_set(err, VG_ENOENT,
		             "resource %s: no recurring %s every %" G_GUINT64_FORMAT " ms", rsc->id,
		             action, interval);
	return op;
}

static int h_cancel(execd_t *d, vg_ipc_conn_t *conn, const vg_msg_t *req, vg_msg_t *reply,
                    vg_error_t *err)
{
	execd_op_t *op = find_recurring(d, req, err);

	if (op == NULL)
		return err->code ? err->code : VG_ENOENT;
	execd_recurring_cancel(op);
	return VG_OK;
}

static int h_refresh(execd_t *d, vg_ipc_conn_t *conn, const vg_msg_t *req, vg_msg_t *reply,
                     vg_error_t *err)
{
	execd_op_t *op = find_recurring(d, req, err);

	if (op == NULL)
		return err->code ? err->code : VG_ENOENT;
	op->report_next = true;
	return VG_OK;
}

static int h_list(execd_t *d, vg_ipc_conn_t *conn, const vg_msg_t *req, vg_msg_t *reply,
                  vg_error_t *err)
{
	xmlNode *root = vg_xml_new_child(NULL, "recurring");
	xmlDoc *doc = xmlNewDoc(BAD_CAST "1.0");
	GHashTableIter it;
	gpointer v;

	xmlDocSetRootElement(doc, root);
	g_hash_table_iter_init(&it, d->rscs);
	while (g_hash_table_iter_next(&it, NULL, &v)) {
		execd_rsc_t *rsc = v;

		for (guint i = 0; i < rsc->recurring->len; i++) {
			execd_op_t *op = rsc->recurring->pdata[i];
			xmlNode *n = vg_xml_new_child(root, "op");

			vg_xml_set(n, "rsc", rsc->id);
			vg_xml_set(n, "action", op->action);
			vg_xml_set_int(n, "interval", (long long)op->interval_ms);
			vg_xml_set_int(n, "call_id", op->call_id);
			vg_xml_set_int(n, "last_rc", op->ran ? op->last_rc : -1);
		}
	}
	vg_msg_take_xml(reply, doc);
	return VG_OK;
}

static const struct {
	const char *type;
	handler_fn fn;
} handlers[] = {
    {VG__EXEC_MSG_INFO, h_info},
    {VG__EXEC_MSG_REGISTER, h_register},
    {VG__EXEC_MSG_UNREGISTER, h_unregister},
    {VG__EXEC_MSG_RUN, h_run},
    {VG__EXEC_MSG_CANCEL, h_cancel},
    {VG__EXEC_MSG_REFRESH, h_refresh},
    {VG__EXEC_MSG_LIST, h_list},
};

void execd_on_request(vg_ipc_conn_t *conn, const vg_msg_t *req, void *data)
{
	execd_t *d = data;
	const char *type = vg_msg_type(req);
	vg_msg_t *reply = vg_msg_new("exec-reply");
	vg_error_t err = {0};
	int rc = VG_EPROTO;
	bool known = false;

	if (vg_ipc_conn_get_data(conn) == NULL) {
		/* First request on this connection: it now receives results. */
		vg_ipc_conn_set_data(conn, d);
		g_ptr_array_add(d->conns, conn);
	}
	for (size_t i = 0; i < G_N_ELEMENTS(handlers); i++) {
		if (strcmp(type, handlers[i].type) == 0) {
			known = true;
			rc = handlers[i].fn(d, conn, req, reply, &err);
			break;
		}
	}
	if (!known)
		rc = vg_error_set(&err, VG_EPROTO, "unknown request type '%s'", type);
	vg_msg_set_int(reply, "rc", rc);
	if (rc != VG_OK) {
		vg_msg_set(reply, "error", err.msg[0] ? err.msg : vg_strerror(rc));
		vg_log_info("request %s refused: %s", type, err.msg[0] ? err.msg : vg_strerror(rc));
	}
	vg_ipc_reply(conn, reply);
	vg_msg_free(reply);
}

void execd_on_closed(vg_ipc_conn_t *conn, void *data)
{
	execd_t *d = data;

	if (vg_ipc_conn_get_data(conn) != NULL)
		execd_conn_closed(d, conn);
}
