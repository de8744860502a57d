/*
 * fencing_client.c: the client side of vigil-fenced's IPC ("fenced"
 * service of an instance).  Requests are calls with a reply; fencing
 * results come later as "fence-result" events carrying the final record,
 * matched to the request by id.  With a GMainContext the client watches
 * its IPC fd there and calls the result callbacks; the blocking variant
 * waits on the fd itself.  The message table is in include/vigil/fencing.h.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define VG_LOG_SUBSYS "fencing"
#include <string.h>

#include <glib-unix.h>

#include "fencing_private.h"

#define CALL_TIMEOUT_MS 30000

typedef struct pending {
	vg_fence_result_fn fn;
	void *data;
} pending_t;

struct vg_fence_client {
	vg_ipc_client_t *ipc;
	GHashTable *pending; /* request id -> pending_t */
	GHashTable *arrived; /* request id -> vg_fence_record_t (no callback yet) */
	guint watch;
	vg_fence_result_fn any_fn; /* vg_fence_client_watch */
	void *any_data;
};

#define ARRIVED_MAX 64

vg_fence_client_t *vg_fence_client_connect(const char *instance, vg_error_t *err)
{
	vg_ipc_client_t *ipc =
	    vg_ipc_connect("fenced", instance ? instance : vg_ipc_default_instance(), err);
	if (ipc == NULL)
		return NULL;
	vg_fence_client_t *c = g_new0(vg_fence_client_t, 1);
	c->ipc = ipc;
	c->pending = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	c->arrived = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
	                                   (GDestroyNotify)vg_fence_record_free);
	return c;
}

void vg_fence_client_free(vg_fence_client_t *c)
{
	if (c == NULL)
		return;
	if (c->watch)
		g_source_remove(c->watch);
	vg_ipc_disconnect(c->ipc);
	g_hash_table_destroy(c->pending);
	g_hash_table_destroy(c->arrived);
	g_free(c);
}

/* One call: check the reply's rc and copy its reason into err. */
static int call(vg_fence_client_t *c, vg_msg_t *req, vg_msg_t **reply, vg_error_t *err)
{
	vg_msg_t *rep = NULL;
	int64_t rc = 0;
	int r = vg_ipc_call(c->ipc, req, &rep, CALL_TIMEOUT_MS, err);
	vg_msg_free(req);
	if (r != 0)
		return r;
	if (vg_msg_get_int(rep, "rc", &rc) != 0 || rc > 0 || rc < VG_ERC_MIN) {
		vg_msg_free(rep);
		return vg_error_set(err, VG_EPROTO, "vigil-fenced sent a reply without a valid rc");
	}
	if (rc != 0) {
		const char *why = vg_msg_get(rep, "reason");
		vg_error_set(err, (int)rc, "%s", why ? why : vg_strerror((int)rc));
		vg_msg_free(rep);
		return (int)rc;
	}
	if (reply != NULL)
		*reply = rep;
	else
		vg_msg_free(rep);
	return 0;
}

static vg_fence_record_t *record_of(const vg_msg_t *m)
{
	xmlNode *x = vg_msg_xml(m);
	vg_fence_record_t *rec = NULL;
	if (x != NULL && !vg_xml_is(x, "fence-record"))
		x = vg_xml_first(x, "fence-record");
	if (x == NULL || vg_fence_record_from_xml(x, &rec, NULL) != 0)
		return NULL;
	return rec;
}

/* Handle one event: call its callback or keep it until one is registered. */
static void dispatch_event(vg_fence_client_t *c, vg_msg_t *ev)
{
	vg_fence_record_t *rec;
	pending_t *p;
	if (strcmp(vg_msg_type(ev), "fence-result") != 0 || (rec = record_of(ev)) == NULL) {
		vg_msg_free(ev);
		return;
	}
	vg_msg_free(ev);
	p = g_hash_table_lookup(c->pending, rec->id);
	if (p == NULL && c->any_fn != NULL) {
		c->any_fn(rec, c->any_data);
		vg_fence_record_free(rec);
		return;
	}
	if (p == NULL) {
		/* Results of requests we did not make are kept briefly (a
		 * blocking request may be waiting for one), then dropped. */
		if (g_hash_table_size(c->arrived) >= ARRIVED_MAX)
			g_hash_table_remove_all(c->arrived);
		g_hash_table_replace(c->arrived, g_strdup(rec->id), rec);
		return;
	}
	pending_t copy = *p;
	g_hash_table_remove(c->pending, rec->id);
	copy.fn(rec, copy.data);
	vg_fence_record_free(rec);
}

static gboolean on_readable(gint fd, GIOCondition cond, gpointer data)
{
	vg_fence_client_t *c = data;
	vg_msg_t *ev = NULL;
	(void)fd;
	(void)cond;
	while (vg_ipc_recv_event(c->ipc, &ev, 0, NULL) == 0)
		dispatch_event(c, ev);
	return G_SOURCE_CONTINUE;
}

int vg_fence_client_set_config(vg_fence_client_t *c, const xmlNode *cib, vg_error_t *err)
{
	vg_msg_t *m = vg_msg_new("fence-config");
	vg_msg_set_xml(m, cib);
	return call(c, m, NULL, err);
}

static int send_request(vg_fence_client_t *c, const vg_fence_request_t *req, char **id,
                        vg_error_t *err)
{
	vg_msg_t *m = vg_msg_new("fence-request"), *rep = NULL;
	int rc;
	vg_msg_set(m, "target", req->target);
	vg_msg_set(m, "action", vg_fence_action_name(req->action));
	vg_msg_set_int(m, "timeout", (int64_t)req->timeout_ms);
	if (req->delay_ms > 0)
		vg_msg_set_int(m, "delay", (int64_t)req->delay_ms);
	vg_msg_set(m, "origin", req->origin);
	if ((rc = call(c, m, &rep, err)) != 0)
		return rc;
	if (vg_msg_get(rep, "id") == NULL) {
		vg_msg_free(rep);
		return vg_error_set(err, VG_EPROTO,
		                    "vigil-fenced accepted a request without an id");
	}
	*id = g_strdup(vg_msg_get(rep, "id"));
	vg_msg_free(rep);
	return 0;
}

static void ensure_watch(vg_fence_client_t *c)
{
	if (c->watch == 0) {
		GSource *src = g_unix_fd_source_new(vg_ipc_client_fd(c->ipc), G_IO_IN);
		g_source_set_callback(src, (GSourceFunc)(void (*)(void))on_readable, c, NULL);
		c->watch = g_source_attach(src, g_main_context_get_thread_default());
		g_source_unref(src);
	}
}

void vg_fence_client_watch(vg_fence_client_t *c, vg_fence_result_fn fn, void *data)
{
	c->any_fn = fn;
	c->any_data = data;
	if (fn != NULL)
		ensure_watch(c);
}

int vg_fence_client_request(vg_fence_client_t *c, const char *target, vg_fence_action_t action,
                            uint64_t timeout_ms, const char *origin, vg_fence_result_fn fn,
                            void *data, char **id, vg_error_t *err)
{
	vg_fence_request_t req = {
	    .target = target, .action = action, .timeout_ms = timeout_ms, .origin = origin};
	return vg_fence_client_request_ex(c, &req, fn, data, id, err);
}

int vg_fence_client_request_ex(vg_fence_client_t *c, const vg_fence_request_t *req,
                               vg_fence_result_fn fn, void *data, char **id, vg_error_t *err)
{
	char *rid = NULL;
	vg_fence_record_t *early;
	int rc = send_request(c, req, &rid, err);
	if (rc != 0)
		return rc;
	ensure_watch(c);
	pending_t *p = g_new0(pending_t, 1);
	p->fn = fn;
	p->data = data;
	g_hash_table_replace(c->pending, g_strdup(rid), p);
	/* A result that overtook the reply is delivered from the loop too. */
	gpointer key = NULL, val = NULL;
	if (g_hash_table_steal_extended(c->arrived, rid, &key, &val)) {
		early = val;
		g_free(key);
		g_hash_table_remove(c->pending, rid);
		fn(early, data);
		vg_fence_record_free(early);
	}
	if (id != NULL)
		*id = rid;
	else
		g_free(rid);
	return 0;
}

int vg_fence_client_request_sync(vg_fence_client_t *c, const char *target, vg_fence_action_t action,
                                 uint64_t timeout_ms, const char *origin, vg_fence_record_t **rec,
                                 vg_error_t *err)
{
	char *rid = NULL;
	vg_fence_request_t req = {
	    .target = target, .action = action, .timeout_ms = timeout_ms, .origin = origin};
	int rc = send_request(c, &req, &rid, err);
	int64_t deadline;
	if (rc != 0)
		return rc;
	/* fenced bounds the request by its timeout (stonith-timeout when 0);
	 * wait that long plus a margin. */
	deadline =
	    g_get_monotonic_time() + (int64_t)((timeout_ms ? timeout_ms : 600000) + 30000) * 1000;
	for (;;) {
		gpointer key = NULL, val = NULL;
		vg_msg_t *ev = NULL;
		int64_t left = (deadline - g_get_monotonic_time()) / 1000;
		if (g_hash_table_steal_extended(c->arrived, rid, &key, &val)) {
			g_free(key);
			*rec = val;
			break;
		}
		if (left <= 0) {
			rc = vg_error_set(err, VG_ETIMEDOUT, "no result from vigil-fenced for %s",
			                  rid);
			break;
		}
		rc = vg_ipc_recv_event(c->ipc, &ev, (int)MIN(left, G_MAXINT), err);
		if (rc == VG_ETIMEDOUT) {
			vg_error_clear(err);
			continue;
		}
		if (rc != 0)
			break;
		dispatch_event(c, ev);
	}
	g_free(rid);
	return rc;
}

int vg_fence_client_confirm(vg_fence_client_t *c, const char *target, const char *origin,
                            vg_fence_record_t **rec, vg_error_t *err)
{
	vg_msg_t *m = vg_msg_new("fence-confirm"), *rep = NULL;
	int rc;
	vg_msg_set(m, "target", target);
	vg_msg_set(m, "origin", origin);
	if ((rc = call(c, m, &rep, err)) != 0)
		return rc;
	if (rec != NULL && (*rec = record_of(rep)) == NULL)
		rc = vg_error_set(err, VG_EPROTO, "vigil-fenced sent no record");
	vg_msg_free(rep);
	return rc;
}

int vg_fence_client_history(vg_fence_client_t *c, const char *target, GPtrArray **out,
                            vg_error_t *err)
{
	vg_msg_t *m = vg_msg_new("fence-history"), *rep = NULL;
	xmlNode *root, *n;
	int rc;
	vg_msg_set(m, "target", target);
	if ((rc = call(c, m, &rep, err)) != 0)
		return rc;
	*out = g_ptr_array_new_with_free_func((GDestroyNotify)vg_fence_record_free);
	root = vg_msg_xml(rep);
	if (root != NULL) {
		VG_XML_FOREACH(n, root, "fence-record")
		{
			vg_fence_record_t *r = NULL;
			if (vg_fence_record_from_xml(n, &r, NULL) == 0)
				g_ptr_array_add(*out, r);
		}
	}
	vg_msg_free(rep);
	return 0;
}

int vg_fence_client_devices(vg_fence_client_t *c, const char *target, xmlDoc **out, vg_error_t *err)
{
	vg_msg_t *m = vg_msg_new("fence-devices"), *rep = NULL;
	int rc;
	vg_msg_set(m, "target", target);
	if ((rc = call(c, m, &rep, err)) != 0)
		return rc;
	xmlNode *root = vg_msg_xml(rep);
	*out = root ? vg_xml_copy_doc(root) : NULL;
	vg_msg_free(rep);
	if (*out == NULL)
		return vg_error_set(err, VG_EPROTO, "vigil-fenced sent no device list");
	return 0;
}
