/*
 * fenced_peers.c: the fencers of a partition as one service, over the
 * cluster layer (group "fenced").
 *
 *   fencer-result    body <fence-history> = the attempts and final record of
 *                    a request; every fencer merges them into its history
 *                    and tells its local clients (so each controller learns
 *                    that a node was fenced, whoever asked).  Field "proxy"
 *                    names a delegated request (below).
 *   fencer-history   body <fence-history>: everything a fencer knows, sent
 *                    when a member joins, so histories converge.
 *   fencer-delegate  target, action, timeout, origin, proxy: "please fence
 *                    this for me".  Sent when this node is asked to fence
 *                    itself: another member of the group executes it.
 *
 * Without a cluster layer (no ha.cf, hbd not running) the fencer works
 * alone and keeps retrying the connection.  A delegate that leaves the view
 * before answering fails its proxied request with that reason.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define VG_LOG_SUBSYS "fenced"
#include <string.h>

#include <vigil/cluster.h>

#include "fenced_private.h"

#define GROUP    "fenced"
#define RETRY_MS 2000

typedef struct proxy {
	char *id;
	char *target;
	vg_fence_action_t action;
	char *origin;
	uint32_t delegate; /* node id executing it */
	vg_time_t requested;
} proxy_t;

static void proxy_free(gpointer p)
{
	proxy_t *x = p;
	g_free(x->id);
	g_free(x->target);
	g_free(x->origin);
	g_free(x);
}

static xmlNode *records_xml(fenced_t *f, const vg_fence_record_t *final)
{
	xmlNode *root = vg_xml_new_child(NULL, "fence-history");
	GPtrArray *recs = vg_fence_engine_request_records(f->engine, final->id);
	for (guint i = 0; i < recs->len; i++)
		vg_fence_record_to_xml(g_ptr_array_index(recs, i), root);
	if (recs->len == 0)
		vg_fence_record_to_xml(final, root);
	g_ptr_array_unref(recs);
	return root;
}

void fenced_peers_publish(fenced_t *f, const vg_fence_record_t *final, const char *proxy)
{
	if (f->cl == NULL)
		return;
	vg_msg_t *m = vg_msg_new("fencer-result");
	xmlNode *x = records_xml(f, final);
	vg_error_t err = {0};
	vg_msg_set(m, "proxy", proxy);
	vg_msg_set_xml(m, x);
	xmlFreeNode(x);
	if (vg_cluster_send(f->cl, 0, m, &err) != 0)
		vg_log_warn("node %s: cannot share the fencing result with peers: %s",
		            final->target, err.msg);
	vg_msg_free(m);
}

/* Merge every record of a <fence-history> body; returns the final record
 * of the request it describes (the one without ".n"), or NULL. */
static vg_fence_record_t *merge_body(fenced_t *f, const vg_msg_t *m)
{
	xmlNode *root = vg_msg_xml(m), *n;
	vg_fence_record_t *final = NULL;
	if (root == NULL || !vg_xml_is(root, "fence-history"))
		return NULL;
	VG_XML_FOREACH(n, root, "fence-record")
	{
		vg_fence_record_t *r = NULL;
		if (vg_fence_record_from_xml(n, &r, NULL) != 0)
			continue;
		bool is_new = vg_fence_engine_merge(f->engine, r);
		if (strchr(r->id, '.') == NULL && is_new && final == NULL)
			final = r;
		else
			vg_fence_record_free(r);
	}
	return final;
}

static void finish_proxy(fenced_t *f, proxy_t *p, const vg_fence_record_t *rec)
{
	vg_fence_record_t *copy = vg_fence_record_copy(rec);
	g_free(copy->id);
	copy->id = g_strdup(p->id);
	fenced_ipc_notify(f, copy);
	vg_fence_record_free(copy);
	g_hash_table_remove(f->proxies, p->id);
}

static void on_result(fenced_t *f, const vg_msg_t *m)
{
	const char *proxy = vg_msg_get(m, "proxy");
	vg_fence_record_t *final = merge_body(f, m);
	proxy_t *p = proxy ? g_hash_table_lookup(f->proxies, proxy) : NULL;
	if (final != NULL) {
		vg_log_info("node %s: %s by %s %s (reported by a peer)", final->target,
		            vg_fence_action_name(final->action), final->executor,
		            final->state == VG_FENCE_DONE ? "succeeded" : "failed");
		fenced_ipc_notify(f, final);
	}
	if (p != NULL && final != NULL)
		finish_proxy(f, p, final);
	vg_fence_record_free(final);
}

typedef struct delegated {
	fenced_t *f;
	char *proxy;
} delegated_t;

static void delegated_done(const vg_fence_record_t *rec, void *data)
{
	delegated_t *d = data;
	fenced_ipc_notify(d->f, rec);
	fenced_peers_publish(d->f, rec, d->proxy);
	g_free(d->proxy);
	g_free(d);
}

static void on_delegate(fenced_t *f, const vg_cluster_node_t *from, const vg_msg_t *m)
{
	const char *target = vg_msg_get(m, "target"), *proxy = vg_msg_get(m, "proxy");
	vg_fence_action_t action;
	int64_t timeout = 0;
	vg_error_t err = {0};
	if (target == NULL || proxy == NULL ||
	    vg_fence_action_parse(vg_msg_get(m, "action"), &action) != 0)
		return;
	vg_msg_get_int(m, "timeout", &timeout);
	vg_log_notice("node %s: fencing it on behalf of %s", target, from->name);
	delegated_t *d = g_new0(delegated_t, 1);
	d->f = f;
	d->proxy = g_strdup(proxy);
	char *id =
	    vg_fence_engine_request(f->engine, target, action, timeout > 0 ? (uint64_t)timeout : 0,
	                            vg_msg_get(m, "origin"), delegated_done, d, &err);
	if (id == NULL) {
		/* Tell the requester why, as a failed record. */
		vg_fence_record_t r = {
		    .id = g_strdup_printf("%s-refused-%s", f->instance, proxy),
		    .target = (char *)target,
		    .action = action,
		    .origin = (char *)vg_msg_get(m, "origin"),
		    .executor = f->instance,
		    .state = VG_FENCE_FAILED,
		    .rc = err.code ? err.code : VG_EFAILED,
		    .reason = err.msg,
		    .requested = g_get_real_time() / G_USEC_PER_SEC,
		    .completed = g_get_real_time() / G_USEC_PER_SEC,
		};
		vg_fence_engine_merge(f->engine, &r);
		fenced_peers_publish(f, &r, proxy);
		g_free(r.id);
		g_free(d->proxy);
		g_free(d);
		return;
	}
	g_free(id);
}

static void send_history(fenced_t *f)
{
	GPtrArray *h = vg_fence_engine_history(f->engine, NULL);
	xmlNode *root = vg_xml_new_child(NULL, "fence-history");
	vg_msg_t *m = vg_msg_new("fencer-history");
	for (guint i = 0; i < h->len; i++)
		vg_fence_record_to_xml(g_ptr_array_index(h, i), root);
	vg_msg_set_xml(m, root);
	vg_cluster_send(f->cl, 0, m, NULL);
	vg_msg_free(m);
	xmlFreeNode(root);
	g_ptr_array_unref(h);
}

static void on_deliver(vg_cluster_t *cl, const vg_cluster_node_t *from, const vg_msg_t *msg,
                       void *data)
{
	fenced_t *f = data;
	const char *type = vg_msg_type(msg);
	if (from->id == vg_cluster_local_id(cl) || type == NULL)
		return; /* our own group messages come back to us */
	if (strcmp(type, "fencer-result") == 0)
		on_result(f, msg);
	else if (strcmp(type, "fencer-history") == 0)
		vg_fence_record_free(merge_body(f, msg));
	else if (strcmp(type, "fencer-delegate") == 0)
		on_delegate(f, from, msg);
	else
		vg_log_debug("peer %s: ignoring message %s", from->name, type);
}

static void on_view(vg_cluster_t *cl, const vg_cluster_view_t *v, void *data)
{
	fenced_t *f = data;
	GHashTableIter it;
	gpointer k, val;
	(void)cl;
	if (v->n_joined > 0)
		send_history(f);
	/* Delegates that left will never answer. */
	g_hash_table_iter_init(&it, f->proxies);
	while (g_hash_table_iter_next(&it, &k, &val)) {
		proxy_t *p = val;
		bool present = false;
		for (size_t i = 0; i < v->n_members; i++)
			present = present || v->members[i].id == p->delegate;
		if (present)
			continue;
		vg_fence_record_t r = {
		    .id = p->id,
		    .target = p->target,
		    .action = p->action,
		    .origin = p->origin,
		    .executor = (char *)"-",
		    .state = VG_FENCE_FAILED,
		    .rc = VG_ENOTCONN,
		    .reason = (char *)"the fencer executing it left the cluster before answering",
		    .requested = p->requested,
		    .completed = g_get_real_time() / G_USEC_PER_SEC,
		};
		vg_fence_engine_merge(f->engine, &r);
		fenced_ipc_notify(f, &r);
		g_hash_table_iter_remove(&it);
	}
}

static gboolean try_connect(gpointer data);

static void on_disconnected(vg_cluster_t *cl, void *data)
{
	fenced_t *f = data;
	(void)cl;
	vg_log_warn("lost the cluster layer; fencing alone until it is back");
	/* The handle only accepts disconnect now; do it from the loop. */
	f->cl_lost = true;
	if (f->cl_retry == 0)
		f->cl_retry = g_timeout_add(RETRY_MS, try_connect, f);
}

static const vg_cluster_callbacks_t callbacks = {
    .deliver = on_deliver,
    .view = on_view,
    .disconnected = on_disconnected,
};

static gboolean try_connect(gpointer data)
{
	fenced_t *f = data;
	vg_error_t err = {0};
	if (f->cl_lost && f->cl != NULL) {
		vg_cluster_disconnect(f->cl);
		f->cl = NULL;
		f->cl_lost = false;
	}
	if (vg_cluster_connect(f->hacf, GROUP, &callbacks, f, &f->cl, &err) != 0) {
		f->cl = NULL;
		vg_log_debug("cluster layer not ready: %s", err.msg);
		return G_SOURCE_CONTINUE;
	}
	f->cl_retry = 0;
	vg_cluster_attach(f->cl, NULL);
	vg_log_info("joined group %s as %s", GROUP, vg_cluster_local_name(f->cl));
	return G_SOURCE_REMOVE;
}

void fenced_peers_start(fenced_t *f)
{
	f->proxies = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, proxy_free);
	if (f->hacf == NULL)
		return; /* standalone (--instance without ha.cf) */
	if (try_connect(f) == G_SOURCE_CONTINUE)
		f->cl_retry = g_timeout_add(RETRY_MS, try_connect, f);
}

void fenced_peers_stop(fenced_t *f)
{
	if (f->cl_retry)
		g_source_remove(f->cl_retry);
	f->cl_retry = 0;
	if (f->cl != NULL)
		vg_cluster_disconnect(f->cl);
	f->cl = NULL;
	if (f->proxies)
		g_hash_table_destroy(f->proxies);
	f->proxies = NULL;
}

char *fenced_peers_delegate(fenced_t *f, const char *target, vg_fence_action_t action,
                            uint64_t timeout_ms, const char *origin)
{
	const vg_cluster_view_t *v;
	uint32_t me, pick = 0;
	if (f->cl == NULL || f->cl_lost)
		return NULL;
	v = vg_cluster_current_view(f->cl);
	me = vg_cluster_local_id(f->cl);
	for (size_t i = 0; v != NULL && i < v->n_members && pick == 0; i++)
		if (v->members[i].id != me && g_strcmp0(v->members[i].name, target) != 0)
			pick = v->members[i].id;
	if (pick == 0)
		return NULL;
	proxy_t *p = g_new0(proxy_t, 1);
	p->id = g_strdup_printf("%s-proxy-%u-%" G_GINT64_FORMAT, f->instance, ++f->proxy_seq,
	                        g_get_real_time() / G_USEC_PER_SEC);
	p->target = g_strdup(target);
	p->action = action;
	p->origin = g_strdup(origin);
	p->delegate = pick;
	p->requested = g_get_real_time() / G_USEC_PER_SEC;
	vg_msg_t *m = vg_msg_new("fencer-delegate");
	vg_msg_set(m, "target", target);
	vg_msg_set(m, "action", vg_fence_action_name(action));
	vg_msg_set_int(m, "timeout", (int64_t)timeout_ms);
	vg_msg_set(m, "origin", origin);
	vg_msg_set(m, "proxy", p->id);
	vg_error_t err = {0};
	if (vg_cluster_send(f->cl, pick, m, &err) != 0) {
		vg_log_warn("node %s: cannot delegate fencing: %s", target, err.msg);
		vg_msg_free(m);
		proxy_free(p);
		return NULL;
	}
	vg_msg_free(m);
	const vg_cluster_node_t *n = vg_cluster_node_by_id(f->cl, pick);
	vg_log_notice("node %s: asked to fence itself; delegated to %s (id %s)", target,
	              n ? n->name : "a peer", p->id);
	g_hash_table_replace(f->proxies, p->id, p);
	return g_strdup(p->id);
}
