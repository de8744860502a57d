/*
 * ctld_ipc.c: the controller's client API (service "ctld"), one table from
 * request type to handler; a type not in the table is refused.
 *
 *   cib-query      section, xpath              -> body: the result
 *   cib-write      op, section, xpath, flags, body  (runs at the DC)
 *   cleanup        rsc, node                   (runs at the DC)
 *   attr-update    node, name, value, permanent, dampen_ms
 *   attr-query     node, name, permanent       -> value
 *   node-shutdown  node                        (that node leaves cleanly)
 *   status         -> body: the CIB; fields dc, quorum, node
 *   peers          -> body: <nodes><node name id member controller/></nodes>
 *
 * Replies carry "rc" (0 or VG_E*) and "reason".  Requests that must run at
 * the DC are forwarded to it and answered when it replies; they fail with
 * VG_EAGAIN when there is no DC or the DC changes meanwhile (clients retry).
 * Non-root users get the CIB filtered by its ACLs and are checked on write.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define VG_LOG_SUBSYS "ipc"
#include "config.h"

#include <pwd.h>
#include <stdlib.h>
#include <string.h>

#include <vigil/cib.h>

#include "ctld_private.h"

#define FORWARD_TIMEOUT_S 30

typedef struct fwd {
	ctld_t *c;
	char *id;
	vg_ipc_conn_t *conn;
	guint timer;
} fwd_t;

typedef void (*req_fn)(ctld_t *c, vg_ipc_conn_t *conn, const vg_msg_t *req, const char *user);

static void reply_rc(vg_ipc_conn_t *conn, int rc, const char *reason)
{
	vg_msg_t *r = vg_msg_new("reply");
	vg_msg_set_int(r, "rc", rc);
	if (rc != 0)
		vg_msg_set(r, "reason", reason && *reason ? reason : vg_strerror(rc));
	vg_ipc_reply(conn, r);
	vg_msg_free(r);
}

static char *conn_user(vg_ipc_conn_t *conn)
{
	uid_t uid;
	gid_t gid;
	pid_t pid;
	vg_ipc_conn_creds(conn, &uid, &gid, &pid);
	if (uid == 0)
		return g_strdup("root");
	struct passwd *pw = getpwuid(uid);
	return pw ? g_strdup(pw->pw_name) : g_strdup_printf("%u", (unsigned)uid);
}

static void fwd_free(gpointer p)
{
	fwd_t *f = p;
	if (f->timer)
		g_source_remove(f->timer);
	g_free(f->id);
	g_free(f);
}

static gboolean fwd_timeout(gpointer data)
{
	fwd_t *f = data;
	f->timer = 0;
	reply_rc(f->conn, VG_ETIMEDOUT, "the DC did not answer in time");
	g_hash_table_remove(f->c->forwarded, f->id);
	return G_SOURCE_REMOVE;
}

/* Run at the DC: a request from a client here or forwarded by `origin`. */
static int dc_execute(ctld_t *c, const vg_msg_t *req, const char *user, vg_error_t *err)
{
	const char *kind = vg_msg_get(req, "kind");
	if (g_strcmp0(kind, "cib-write") == 0)
		return ctld_cib_write(c, req, user, err);
	if (g_strcmp0(kind, "cleanup") == 0) {
		const char *rsc = vg_msg_get(req, "rsc"), *node = vg_msg_get(req, "node");
		if (!rsc)
			return vg_error_set(err, VG_EINVAL, "cleanup: no resource given");
		if (node && !*node)
			node = NULL;
		vg_log_notice("cleanup of %s on %s", rsc, node ? node : "every node");
		ctld_transition_forget(c, node, rsc, true);
		ctld_transition_trigger(c, "resource cleanup");
		return 0;
	}
	return vg_error_set(err, VG_EINVAL, "unknown request '%s'", kind ? kind : "");
}

/* At the DC, answer a forwarded request ("fwd" from another controller). */
static void on_forwarded(ctld_t *c, const char *from, const vg_msg_t *m)
{
	vg_error_t err = {0};
	int rc = ctld_is_dc(c) ? dc_execute(c, m, vg_msg_get(m, "user"), &err)
	                       : vg_error_set(&err, VG_EAGAIN, "not the DC");
	vg_msg_t *r = vg_msg_new("fwd-reply");
	vg_msg_set(r, "req", vg_msg_get(m, "req"));
	vg_msg_set_int(r, "rc", rc);
	if (rc)
		vg_msg_set(r, "reason", err.msg);
	ctld_peer_send(c, from, r);
	vg_msg_free(r);
}

void ctld_ipc_on_write_reply(ctld_t *c, const vg_msg_t *m)
{
	const char *id = vg_msg_get(m, "req");
	fwd_t *f = id && c->forwarded ? g_hash_table_lookup(c->forwarded, id) : NULL;
	int64_t rc = VG_EPROTO;
	if (!f)
		return;
	vg_msg_get_int(m, "rc", &rc);
	reply_rc(f->conn, (int)rc, vg_msg_get(m, "reason"));
	g_hash_table_remove(c->forwarded, id);
}

void ctld_ipc_dc_changed(ctld_t *c)
{
	GHashTableIter it;
	gpointer v;
	if (!c->forwarded)
		return;
	g_hash_table_iter_init(&it, c->forwarded);
	while (g_hash_table_iter_next(&it, NULL, &v)) {
		fwd_t *f = v;
		reply_rc(f->conn, VG_EAGAIN, "the DC changed; try again");
		g_hash_table_iter_remove(&it);
	}
}

static void run_at_dc(ctld_t *c, vg_ipc_conn_t *conn, const vg_msg_t *req, const char *kind,
                      const char *user)
{
	vg_error_t err = {0};
	if (ctld_is_dc(c)) {
		vg_msg_t *copy = vg_msg_new("fwd");
		const char *n, *v;
		for (size_t i = 0; vg_msg_field(req, i, &n, &v); i++)
			if (strcmp(n, "t") != 0)
				vg_msg_set(copy, n, v);
		if (vg_msg_xml(req))
			vg_msg_set_xml(copy, vg_msg_xml(req));
		vg_msg_set(copy, "kind", kind);
		int rc = dc_execute(c, copy, user, &err);
		vg_msg_free(copy);
		reply_rc(conn, rc, err.msg);
		return;
	}
	if (!c->dc || c->el_state != CTLD_EL_MEMBER) {
		reply_rc(conn, VG_EAGAIN, "no DC elected yet; try again");
		return;
	}
	vg_msg_t *m = vg_msg_new("fwd");
	const char *n, *v;
	for (size_t i = 0; vg_msg_field(req, i, &n, &v); i++)
		if (strcmp(n, "t") != 0)
			vg_msg_set(m, n, v);
	if (vg_msg_xml(req))
		vg_msg_set_xml(m, vg_msg_xml(req));
	fwd_t *f = g_new0(fwd_t, 1);
	f->c = c;
	f->id = g_strdup_printf("%s-%llu", c->me, (unsigned long long)++c->next_req);
	f->conn = conn;
	f->timer = g_timeout_add_seconds(FORWARD_TIMEOUT_S, fwd_timeout, f);
	vg_msg_set(m, "kind", kind);
	vg_msg_set(m, "req", f->id);
	vg_msg_set(m, "user", user);
	if (!c->forwarded)
		c->forwarded = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, fwd_free);
	g_hash_table_insert(c->forwarded, f->id, f);
	if (ctld_peer_send(c, c->dc, m) != 0) {
		reply_rc(conn, VG_EAGAIN, "cannot reach the DC; try again");
		g_hash_table_remove(c->forwarded, f->id);
	}
	vg_msg_free(m);
}

static void req_cib_query(ctld_t *c, vg_ipc_conn_t *conn, const vg_msg_t *req, const char *user)
{
	vg_cib_acl_t *acl = NULL;
	vg_error_t err = {0};
	xmlDoc *out = NULL;
	int rc = 0;

	if (strcmp(user, "root") != 0 && strcmp(user, "hacluster") != 0)
		rc = vg_cib_acl_new(ctld_cib_root(c), user, false, &acl, &err);
	if (rc == 0)
		rc = vg_cib_query(ctld_cib_root(c), vg_msg_get(req, "section"),
		                  vg_msg_get(req, "xpath"), acl, &out, &err);
	vg_cib_acl_free(acl);
	vg_msg_t *r = vg_msg_new("reply");
	vg_msg_set_int(r, "rc", rc);
	if (rc)
		vg_msg_set(r, "reason", err.msg);
	if (out)
		vg_msg_take_xml(r, out);
	vg_ipc_reply(conn, r);
	vg_msg_free(r);
}

static void req_cib_write(ctld_t *c, vg_ipc_conn_t *conn, const vg_msg_t *req, const char *user)
{
	run_at_dc(c, conn, req, "cib-write", user);
}

static void req_cleanup(ctld_t *c, vg_ipc_conn_t *conn, const vg_msg_t *req, const char *user)
{
	run_at_dc(c, conn, req, "cleanup", user);
}

static void req_attr_update(ctld_t *c, vg_ipc_conn_t *conn, const vg_msg_t *req, const char *user)
{
	vg_error_t err = {0};
	int64_t dampen = 0;
	vg_msg_get_int(req, "dampen_ms", &dampen);
	int rc = ctld_attrd_update(
	    c, vg_msg_get(req, "node"), vg_msg_get(req, "name"), vg_msg_get(req, "value"),
	    g_strcmp0(vg_msg_get(req, "permanent"), "1") == 0, (unsigned)dampen, &err);
	reply_rc(conn, rc, err.msg);
	(void)user;
}

static void req_attr_query(ctld_t *c, vg_ipc_conn_t *conn, const vg_msg_t *req, const char *user)
{
	const char *node = vg_msg_get(req, "node");
	if (!node || !*node)
		node = c->me;
	const char *v = ctld_attrd_get(c, node, vg_msg_get(req, "name"),
	                               g_strcmp0(vg_msg_get(req, "permanent"), "1") == 0);
	vg_msg_t *r = vg_msg_new("reply");
	vg_msg_set_int(r, "rc", v ? 0 : VG_ENOENT);
	if (v)
		vg_msg_set(r, "value", v);
	else
		vg_msg_set(r, "reason", "attribute not set");
	vg_ipc_reply(conn, r);
	vg_msg_free(r);
	(void)user;
}

static void req_node_shutdown(ctld_t *c, vg_ipc_conn_t *conn, const vg_msg_t *req, const char *user)
{
	const char *node = vg_msg_get(req, "node");
	if (!node || !*node || strcmp(node, c->me) == 0) {
		reply_rc(conn, 0, NULL);
		ctld_shutdown_begin(c);
		return;
	}
	ctld_peer_t *p = ctld_peer_get(c, node, false);
	if (!p || !p->in_group) {
		reply_rc(conn, VG_ENOENT, "no such node running in the cluster");
		return;
	}
	vg_msg_t *m = vg_msg_new("shutdown-now");
	int rc = ctld_peer_send(c, node, m);
	vg_msg_free(m);
	reply_rc(conn, rc, "cannot reach that node");
	(void)user;
}

static void req_status(ctld_t *c, vg_ipc_conn_t *conn, const vg_msg_t *req, const char *user)
{
	vg_msg_t *r = vg_msg_new("reply");
	vg_msg_set_int(r, "rc", 0);
	vg_msg_set(r, "node", c->me);
	vg_msg_set(r, "dc", c->dc);
	vg_msg_set(r, "quorum", c->have_quorum ? "1" : "0");
	vg_msg_set(r, "election", ctld_el_state_name(c->el_state));
	if (strcmp(user, "root") == 0 || strcmp(user, "hacluster") == 0) {
		vg_msg_set_xml(r, ctld_cib_root(c));
	} else {
		vg_cib_acl_t *acl = NULL;
		xmlDoc *copy = vg_xml_copy_doc(ctld_cib_root(c));
		if (vg_cib_acl_new(ctld_cib_root(c), user, false, &acl, NULL) == 0 &&
		    vg_cib_acl_filter(acl, xmlDocGetRootElement(copy)))
			vg_msg_take_xml(r, copy);
		else
			xmlFreeDoc(copy);
		vg_cib_acl_free(acl);
	}
	vg_ipc_reply(conn, r);
	vg_msg_free(r);
	(void)req;
}

static void req_peers(ctld_t *c, vg_ipc_conn_t *conn, const vg_msg_t *req, const char *user)
{
	xmlDoc *doc = xmlNewDoc((const xmlChar *)"1.0");
	xmlNode *root = xmlNewNode(NULL, (const xmlChar *)"nodes");
	GHashTableIter it;
	gpointer v;
	xmlDocSetRootElement(doc, root);
	if (c->peers) {
		g_hash_table_iter_init(&it, c->peers);
		while (g_hash_table_iter_next(&it, NULL, &v)) {
			ctld_peer_t *p = v;
			xmlNode *n = vg_xml_new_child(root, "node");
			vg_xml_set(n, "name", p->name);
			vg_xml_set_int(n, "id", p->id);
			vg_xml_set(n, "member", p->member ? "true" : "false");
			vg_xml_set(n, "controller", p->in_group ? "true" : "false");
		}
	}
	vg_msg_t *r = vg_msg_new("reply");
	vg_msg_set_int(r, "rc", 0);
	vg_msg_set(r, "node", c->me);
	vg_msg_set_int(r, "id", c->my_id);
	vg_msg_set(r, "quorum", c->have_quorum ? "1" : "0");
	vg_msg_take_xml(r, doc);
	vg_ipc_reply(conn, r);
	vg_msg_free(r);
	(void)req;
	(void)user;
}

static const struct {
	const char *type;
	req_fn fn;
} handlers[] = {
    {"cib-query", req_cib_query},   {"cib-write", req_cib_write},
    {"cleanup", req_cleanup},       {"attr-update", req_attr_update},
    {"attr-query", req_attr_query}, {"node-shutdown", req_node_shutdown},
    {"status", req_status},         {"peers", req_peers},
};

static void on_request(vg_ipc_conn_t *conn, const vg_msg_t *req, void *data)
{
	ctld_t *c = data;
	const char *type = vg_msg_type(req);
	char *user = conn_user(conn);
	for (size_t i = 0; i < G_N_ELEMENTS(handlers); i++) {
		if (g_strcmp0(type, handlers[i].type) == 0) {
			handlers[i].fn(c, conn, req, user);
			g_free(user);
			return;
		}
	}
	reply_rc(conn, VG_EINVAL, "unknown request");
	g_free(user);
}

static void on_closed(vg_ipc_conn_t *conn, void *data)
{
	ctld_t *c = data;
	GHashTableIter it;
	gpointer v;
	if (!c->forwarded)
		return;
	g_hash_table_iter_init(&it, c->forwarded);
	while (g_hash_table_iter_next(&it, NULL, &v))
		if (((fwd_t *)v)->conn == conn)
			g_hash_table_iter_remove(&it);
}

int ctld_ipc_start(ctld_t *c, vg_error_t *err)
{
	c->ipc = vg_ipc_server_start("ctld", c->me, on_request, on_closed, c, err);
	return c->ipc ? 0 : (err && err->code ? err->code : VG_EIO);
}

void ctld_ipc_stop(ctld_t *c)
{
	if (c->ipc)
		vg_ipc_server_stop(c->ipc);
	c->ipc = NULL;
	if (c->forwarded)
		g_hash_table_destroy(c->forwarded);
	c->forwarded = NULL;
}

void ctld_ipc_on_forwarded(ctld_t *c, const char *from, const vg_msg_t *m)
{
	on_forwarded(c, from, m);
}
