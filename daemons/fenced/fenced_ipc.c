/*
 * fenced_ipc.c: vigil-fenced's IPC server.  One row per message type
 * (see include/vigil/fencing.h for the protocol); a default row rejects.
 * Every reply carries rc and, on failure, the reason.  Fencing results go
 * to every connected client as "fence-result" events, so the controller
 * hears about fencing an admin asked for.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define VG_LOG_SUBSYS "fenced"
#include <string.h>

#include "fenced_private.h"

static void reply_rc(vg_ipc_conn_t *conn, const char *type, int rc, const char *reason)
{
	vg_msg_t *m = vg_msg_new(type);
	vg_msg_set_int(m, "rc", rc);
	if (rc != 0)
		vg_msg_set(m, "reason", reason ? reason : vg_strerror(rc));
	vg_ipc_reply(conn, m);
	vg_msg_free(m);
}

void fenced_ipc_notify(fenced_t *f, const vg_fence_record_t *rec)
{
	vg_msg_t *m = vg_msg_new("fence-result");
	xmlNode *x = vg_fence_record_to_xml(rec, NULL);
	vg_msg_set(m, "id", rec->id);
	vg_msg_set_xml(m, x);
	xmlFreeNode(x);
	for (GList *l = f->conns; l != NULL; l = l->next)
		vg_ipc_send_event(l->data, m);
	vg_msg_free(m);
}

/* A request run here finished: local clients and the other fencers hear it. */
static void broadcast_result(const vg_fence_record_t *rec, void *data)
{
	fenced_t *f = data;
	fenced_ipc_notify(f, rec);
	fenced_peers_publish(f, rec, NULL);
}

static void on_fence_request(fenced_t *f, vg_ipc_conn_t *conn, const vg_msg_t *req)
{
	const char *target = vg_msg_get(req, "target");
	const char *origin = vg_msg_get(req, "origin");
	vg_fence_action_t action;
	int64_t timeout = 0, delay = 0;
	vg_error_t err = {0};
	char *id;

	if (target == NULL || vg_fence_action_parse(vg_msg_get(req, "action"), &action) != 0 ||
	    (vg_msg_get(req, "timeout") &&
	     (vg_msg_get_int(req, "timeout", &timeout) != 0 || timeout < 0)) ||
	    (vg_msg_get(req, "delay") &&
	     (vg_msg_get_int(req, "delay", &delay) != 0 || delay < 0 || delay > 3600000))) {
		reply_rc(conn, "fence-request", VG_EINVAL,
		         "fence-request needs target, action (reboot, off, on), a timeout and an "
		         "optional delay in ms");
		return;
	}
	vg_fence_request_t fr = {.target = target,
	                         .action = action,
	                         .timeout_ms = (uint64_t)timeout,
	                         .delay_ms = (uint64_t)delay,
	                         .origin = origin ? origin : "unknown"};
	/* A node does not fence itself when another fencer can do it. */
	id = strcmp(target, f->instance) == 0
	         ? fenced_peers_delegate(f, target, action, (uint64_t)timeout,
	                                 origin ? origin : "unknown")
	         : NULL;
	if (id == NULL && strcmp(target, f->instance) == 0)
		vg_log_warn("node %s: asked to fence itself and no other fencer is there; "
		            "fencing itself",
		            target);
	if (id == NULL)
		id = vg_fence_engine_request_ex(f->engine, &fr, broadcast_result, f, &err);
	if (id == NULL) {
		reply_rc(conn, "fence-request", err.code ? err.code : VG_EFAILED, err.msg);
		return;
	}
	vg_msg_t *m = vg_msg_new("fence-request");
	vg_msg_set_int(m, "rc", 0);
	vg_msg_set(m, "id", id);
	vg_ipc_reply(conn, m);
	vg_msg_free(m);
	g_free(id);
}

static void on_fence_confirm(fenced_t *f, vg_ipc_conn_t *conn, const vg_msg_t *req)
{
	const char *target = vg_msg_get(req, "target");
	const char *origin = vg_msg_get(req, "origin");
	if (target == NULL || *target == '\0') {
		reply_rc(conn, "fence-confirm", VG_EINVAL, "fence-confirm needs a target");
		return;
	}
	const vg_fence_record_t *rec = vg_fence_engine_confirm(f->engine, target, origin);
	vg_msg_t *m = vg_msg_new("fence-confirm");
	xmlNode *x = vg_fence_record_to_xml(rec, NULL);
	vg_msg_set_int(m, "rc", 0);
	vg_msg_set_xml(m, x);
	xmlFreeNode(x);
	vg_ipc_reply(conn, m);
	vg_msg_free(m);
	fenced_ipc_notify(f, rec);
	fenced_peers_publish(f, rec, NULL);
}

static void on_fence_history(fenced_t *f, vg_ipc_conn_t *conn, const vg_msg_t *req)
{
	GPtrArray *h = vg_fence_engine_history(f->engine, vg_msg_get(req, "target"));
	xmlNode *root = vg_xml_new_child(NULL, "fence-history");
	vg_msg_t *m = vg_msg_new("fence-history");
	for (guint i = 0; i < h->len; i++)
		vg_fence_record_to_xml(g_ptr_array_index(h, i), root);
	vg_msg_set_int(m, "rc", 0);
	vg_msg_set_xml(m, root);
	xmlFreeNode(root);
	vg_ipc_reply(conn, m);
	vg_msg_free(m);
	g_ptr_array_unref(h);
}

static const char *check_name(vg_fence_host_check_t c)
{
	static const char *const names[] = {"static-list", "dynamic-list", "status", "none"};
	return (unsigned)c < G_N_ELEMENTS(names) ? names[c] : "?";
}

static void on_fence_devices(fenced_t *f, vg_ipc_conn_t *conn, const vg_msg_t *req)
{
	GPtrArray *devs = vg_fence_engine_devices(f->engine, vg_msg_get(req, "target"));
	GHashTable *fails = vg_fence_engine_device_failures(f->engine);
	xmlNode *root = vg_xml_new_child(NULL, "fence-devices");
	vg_msg_t *m = vg_msg_new("fence-devices");
	for (guint i = 0; i < devs->len; i++) {
		vg_fence_device_t *d = g_ptr_array_index(devs, i);
		xmlNode *x = vg_xml_new_child(root, "device");
		GString *hosts = g_string_new(NULL);
		GHashTableIter it;
		gpointer k, v;
		for (guint j = 0; j < d->host_list->len; j++)
			g_string_append_printf(hosts, "%s%s", hosts->len ? " " : "",
			                       (char *)g_ptr_array_index(d->host_list, j));
		g_hash_table_iter_init(&it, d->host_map);
		while (g_hash_table_iter_next(&it, &k, &v))
			g_string_append_printf(hosts, "%s%s:%s", hosts->len ? " " : "", (char *)k,
			                       (char *)v);
		vg_xml_set(x, "id", d->id);
		vg_xml_set(x, "agent", d->agent);
		vg_xml_set(x, "host-check", check_name(d->host_check));
		vg_xml_set(x, "hosts", hosts->str);
		vg_xml_set(x, "status",
		           g_hash_table_contains(fails, d->id) ? "failing"
		           : d->disabled                       ? "disabled"
		                                               : "ok");
		vg_xml_set(x, "reason", g_hash_table_lookup(fails, d->id));
		g_string_free(hosts, TRUE);
	}
	vg_msg_set_int(m, "rc", 0);
	vg_msg_set_xml(m, root);
	xmlFreeNode(root);
	vg_ipc_reply(conn, m);
	vg_msg_free(m);
	g_ptr_array_unref(devs);
}

static void on_fence_config(fenced_t *f, vg_ipc_conn_t *conn, const vg_msg_t *req)
{
	vg_fence_config_t *cfg = NULL;
	vg_error_t err = {0};
	xmlNode *cib = vg_msg_xml(req);
	xmlNode *conf = cib && vg_xml_is(cib, "cib") ? vg_xml_first(cib, "configuration") : cib;
	char *digest = conf ? vg_xml_digest(conf) : NULL;
	/* The same configuration again: keep devices' monitor state. */
	if (digest != NULL && g_strcmp0(digest, f->config_digest) == 0) {
		g_free(digest);
		reply_rc(conn, "fence-config", 0, NULL);
		return;
	}
	if (cib == NULL || vg_fence_config_from_cib(cib, &cfg, NULL, &err) != 0) {
		g_free(digest);
		reply_rc(conn, "fence-config", cib ? err.code : VG_EINVAL,
		         cib ? err.msg : "fence-config needs the CIB as XML body");
		return;
	}
	vg_log_info("configuration: %u device(s), %u topology level(s)", cfg->devices->len,
	            cfg->levels->len);
	fenced_set_config(f, cfg);
	g_free(f->config_digest);
	f->config_digest = digest;
	reply_rc(conn, "fence-config", 0, NULL);
}

static const struct handler {
	const char *type;
	void (*fn)(fenced_t *f, vg_ipc_conn_t *conn, const vg_msg_t *req);
} handlers[] = {
    {"fence-request", on_fence_request}, {"fence-confirm", on_fence_confirm},
    {"fence-history", on_fence_history}, {"fence-devices", on_fence_devices},
    {"fence-config", on_fence_config},
};

static void on_request(vg_ipc_conn_t *conn, const vg_msg_t *req, void *data)
{
	fenced_t *f = data;
	const char *type = vg_msg_type(req);
	if (g_list_find(f->conns, conn) == NULL)
		f->conns = g_list_prepend(f->conns, conn);
	for (size_t i = 0; i < G_N_ELEMENTS(handlers); i++) {
		if (type != NULL && strcmp(type, handlers[i].type) == 0) {
			handlers[i].fn(f, conn, req);
			return;
		}
	}
	reply_rc(conn, type ? type : "error", VG_EPROTO, "unknown message type");
}

static void on_closed(vg_ipc_conn_t *conn, void *data)
{
	fenced_t *f = data;
	f->conns = g_list_remove(f->conns, conn);
}

int fenced_ipc_start(fenced_t *f, vg_error_t *err)
{
	f->srv = vg_ipc_server_start("fenced", f->instance, on_request, on_closed, f, err);
	return f->srv ? 0 : (err && err->code ? err->code : VG_EIO);
}

void fenced_ipc_stop(fenced_t *f)
{
	if (f->srv != NULL)
		vg_ipc_server_stop(f->srv);
	f->srv = NULL;
	g_list_free(f->conns);
	f->conns = NULL;
	g_free(f->config_digest);
	f->config_digest = NULL;
}
