/*
 * libvigil-cluster, the backend-neutral part: choosing the backend from
 * cfg->cluster_layer (a table, no #ifdef), the node table, the current view
 * and quorum, and GMainLoop integration.  Contract in include/vigil/cluster.h.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include <glib-unix.h>

#include "cluster_private.h"

static void went_away(vg_cluster_t *c, bool defer);

static const cluster_ops_t *const backends[] = {
    &vg__cluster_heartbeat_ops,
    &vg__cluster_corosync_ops,
};

static void node_free(gpointer p)
{
	vg_cluster_node_t *n = p;

	g_free((char *)n->name);
	g_free(n);
}

const vg_cluster_node_t *cluster_node_ensure(vg_cluster_t *c, uint32_t id, const char *name)
{
	vg_cluster_node_t *n;

	for (guint i = 0; i < c->nodes->len; i++) {
		n = g_ptr_array_index(c->nodes, i);
		if (n->id == id) {
			if (name != NULL && strcmp(n->name, name) != 0) {
				g_free((char *)n->name);
				n->name = g_strdup(name);
			}
			return n;
		}
	}
	n = g_new0(vg_cluster_node_t, 1);
	n->id = id;
	n->name = name ? g_strdup(name) : g_strdup_printf("node%u", id);
	n->votes = 1;
	g_ptr_array_add(c->nodes, n);
	return n;
}

void cluster_parse_nodes(vg_cluster_t *c, const char *s, GArray *arr)
{
	char **words = g_strsplit(s ? s : "", " ", -1);

	g_array_set_size(arr, 0);
	for (int i = 0; words[i] != NULL; i++) {
		char *colon = strchr(words[i], ':');
		guint64 id;

		if (colon == NULL)
			continue;
		*colon = '\0';
		id = g_ascii_strtoull(words[i], NULL, 10);
		if (id == 0 || id > UINT32_MAX)
			continue;
		g_array_append_vals(arr, cluster_node_ensure(c, (uint32_t)id, colon + 1), 1);
	}
	g_strfreev(words);
}

void cluster_emit_view(vg_cluster_t *c, uint64_t view_id)
{
	c->view.view_id = view_id;
	c->view.members = (const vg_cluster_node_t *)c->members->data;
	c->view.n_members = c->members->len;
	c->view.joined = (const vg_cluster_node_t *)c->joined->data;
	c->view.n_joined = c->joined->len;
	c->view.left = (const vg_cluster_node_t *)c->left->data;
	c->view.n_left = c->left->len;
	c->view.nodes = (const vg_cluster_node_t *)c->view_nodes->data;
	c->view.n_nodes = c->view_nodes->len;
	if (c->cb.view != NULL)
		c->cb.view(c, &c->view, c->data);
}

void cluster_emit_quorum(vg_cluster_t *c, bool quorate, unsigned votes, unsigned expected)
{
	if (c->quorum.quorate == quorate && c->quorum.votes == votes &&
	    c->quorum.expected_votes == expected)
		return;
	c->quorum.quorate = quorate;
	c->quorum.votes = votes;
	c->quorum.expected_votes = expected;
	if (c->cb.quorum != NULL)
		c->cb.quorum(c, &c->quorum, c->data);
}

void cluster_emit_deliver(vg_cluster_t *c, uint32_t from, const vg_msg_t *msg)
{
	if (c->cb.deliver != NULL)
		c->cb.deliver(c, cluster_node_ensure(c, from, NULL), msg, c->data);
}

static void load_nodes(vg_cluster_t *c)
{
	for (guint i = 0; i < c->cfg->nodes->len; i++) {
		const char *name = g_ptr_array_index(c->cfg->nodes, i);
		vg_cluster_node_t *n = (vg_cluster_node_t *)cluster_node_ensure(
		    c, vg_hacf_node_id(c->cfg, name), name);

		n->votes = vg_hacf_node_votes(c->cfg, name);
		n->arbiter = vg_hacf_is_arbiter(c->cfg, name);
	}
}

int vg_cluster_connect(const vg_hacf_t *cfg, const char *group, const vg_cluster_callbacks_t *cb,
                       void *data, vg_cluster_t **out, vg_error_t *err)
{
	const char *layer = cfg->cluster_layer ? cfg->cluster_layer : "heartbeat";
	vg_cluster_t *c;
	int rc;

	*out = NULL;
	if (group == NULL || *group == '\0' || strlen(group) >= VG_CLUSTER_MAX_GROUP)
		return vg_error_set(err, VG_EINVAL, "cluster group name must be 1-%d bytes",
		                    VG_CLUSTER_MAX_GROUP - 1);
	c = g_new0(vg_cluster_t, 1);
	c->cfg = cfg;
	if (cb != NULL)
		c->cb = *cb;
	c->data = data;
	c->nodes = g_ptr_array_new_with_free_func(node_free);
	c->members = g_array_new(FALSE, TRUE, sizeof(vg_cluster_node_t));
	c->joined = g_array_new(FALSE, TRUE, sizeof(vg_cluster_node_t));
	c->left = g_array_new(FALSE, TRUE, sizeof(vg_cluster_node_t));
	c->view_nodes = g_array_new(FALSE, TRUE, sizeof(vg_cluster_node_t));
	load_nodes(c);
	for (size_t i = 0; i < G_N_ELEMENTS(backends); i++)
		if (strcmp(backends[i]->name, layer) == 0)
			c->ops = backends[i];
	if (c->ops == NULL) {
		vg_cluster_disconnect(c);
		return vg_error_set(err, VG_ENOTSUP, "cluster_layer %s is not known", layer);
	}
	rc = c->ops->connect(c, group, err);
	if (rc != 0) {
		if (c->ops->disconnect != NULL)
			c->ops->disconnect(c);
		c->ops = NULL;
		vg_cluster_disconnect(c);
		return rc;
	}
	*out = c;
	return 0;
}

void vg_cluster_disconnect(vg_cluster_t *c)
{
	if (c == NULL)
		return;
	if (c->source != NULL) {
		g_source_destroy(c->source);
		g_source_unref(c->source);
	}
	if (c->watch != NULL) {
		g_source_destroy(c->watch);
		g_source_unref(c->watch);
	}
	if (c->gone_idle != 0)
		g_source_remove(c->gone_idle);
	if (c->ops != NULL && c->ops->disconnect != NULL)
		c->ops->disconnect(c);
	g_free(c->local_name);
	g_array_unref(c->members);
	g_array_unref(c->joined);
	g_array_unref(c->left);
	g_array_unref(c->view_nodes);
	g_ptr_array_unref(c->nodes);
	g_free(c);
}

int vg_cluster_send(vg_cluster_t *c, uint32_t dest, const vg_msg_t *msg, vg_error_t *err)
{
	if (c->gone)
		return vg_error_set(err, VG_ENOTCONN, "the cluster layer went away");
	return c->ops->send(c, dest, msg, err);
}

uint32_t vg_cluster_local_id(const vg_cluster_t *c)
{
	return c->local_id;
}

const char *vg_cluster_local_name(const vg_cluster_t *c)
{
	return c->local_name;
}

const vg_cluster_node_t *vg_cluster_node_by_id(const vg_cluster_t *c, uint32_t id)
{
	for (guint i = 0; i < c->nodes->len; i++)
		if (((vg_cluster_node_t *)g_ptr_array_index(c->nodes, i))->id == id)
			return g_ptr_array_index(c->nodes, i);
	return NULL;
}

const vg_cluster_node_t *vg_cluster_node_by_name(const vg_cluster_t *c, const char *name)
{
	for (guint i = 0; i < c->nodes->len; i++)
		if (strcmp(((vg_cluster_node_t *)g_ptr_array_index(c->nodes, i))->name, name) == 0)
			return g_ptr_array_index(c->nodes, i);
	return NULL;
}

const vg_cluster_view_t *vg_cluster_current_view(const vg_cluster_t *c)
{
	return &c->view;
}

void vg_cluster_current_quorum(const vg_cluster_t *c, vg_cluster_quorum_t *q)
{
	*q = c->quorum;
}

int vg_cluster_fd(const vg_cluster_t *c)
{
	return c->gone ? -1 : c->ops->fd(c);
}

int vg_cluster_dispatch(vg_cluster_t *c)
{
	int rc;

	if (c->gone)
		return VG_ENOTCONN;
	rc = c->ops->dispatch(c);
	if (rc == VG_ENOTCONN)
		went_away(c, false);
	return rc;
}

static gboolean emit_gone(gpointer data)
{
	vg_cluster_t *c = data;

	c->gone_idle = 0;
	if (c->cb.disconnected != NULL)
		c->cb.disconnected(c, c->data); /* may free c: nothing after this */
	return G_SOURCE_REMOVE;
}

/*
 * From our own sources the callback is deferred to an idle source, so that
 * a callback calling vg_cluster_disconnect() never frees the handle under
 * the source that is running.
 */
static void went_away(vg_cluster_t *c, bool defer)
{
	if (c->gone)
		return;
	c->gone = true;
	if (!defer) {
		if (c->cb.disconnected != NULL)
			c->cb.disconnected(c, c->data);
		return;
	}
	c->gone_idle = g_idle_add(emit_gone, c);
}

static gboolean on_readable(gint fd, GIOCondition cond, gpointer data)
{
	vg_cluster_t *c = data;

	if (!c->gone && c->ops->dispatch(c) == VG_ENOTCONN)
		went_away(c, true);
	if (c->gone) {
		g_source_unref(c->source);
		c->source = NULL;
		return G_SOURCE_REMOVE;
	}
	return G_SOURCE_CONTINUE;
}

/* Local IPC does not signal a dead engine on the fd; the IPC watch does. */
static void on_engine_gone(void *data)
{
	went_away(data, true);
}

void vg_cluster_attach(vg_cluster_t *c, GMainContext *ctx)
{
	if (c->source != NULL || c->gone)
		return;
	c->source = g_unix_fd_source_new(vg_cluster_fd(c), G_IO_IN | G_IO_HUP | G_IO_ERR);
	g_source_set_callback(c->source, (GSourceFunc)(void (*)(void))on_readable, c, NULL);
	g_source_attach(c->source, ctx);
	if (c->ops->ipc != NULL)
		c->watch = vg_ipc_client_watch(c->ops->ipc(c), ctx, on_engine_gone, c);
}
