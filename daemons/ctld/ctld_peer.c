/*
 * ctld_peer.c: the controller's place in the cluster layer.  Joins group
 * "ctld", keeps the peer table (cluster membership and group membership per
 * node), passes quorum changes on, and turns view changes into the events
 * the election and the join protocol need.  Reconnects when the membership
 * daemon restarts.
 *
 * Never does: policy; it only reports who is there.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define VG_LOG_SUBSYS "peer"
#include "config.h"

#include <string.h>

#include <vigil/cluster.h>

#include "ctld_private.h"

#define GROUP    "ctld"
#define RETRY_MS 500

struct ctld_peer_layer {
	vg_cluster_t *conn;
	guint retry;
};

static void peer_free(gpointer p)
{
	ctld_peer_t *peer = p;
	g_free(peer->name);
	g_free(peer);
}

ctld_peer_t *ctld_peer_get(ctld_t *c, const char *name, bool create)
{
	ctld_peer_t *p;
	if (!name)
		return NULL;
	if (!c->peers)
		c->peers = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, peer_free);
	p = g_hash_table_lookup(c->peers, name);
	if (!p && create) {
		p = g_new0(ctld_peer_t, 1);
		p->name = g_strdup(name);
		g_hash_table_insert(c->peers, p->name, p);
	}
	return p;
}

static gint by_name(gconstpointer a, gconstpointer b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

GPtrArray *ctld_peer_group_names(ctld_t *c)
{
	GPtrArray *out = g_ptr_array_new();
	GHashTableIter it;
	gpointer v;
	if (c->peers) {
		g_hash_table_iter_init(&it, c->peers);
		while (g_hash_table_iter_next(&it, NULL, &v)) {
			ctld_peer_t *p = v;
			if (p->member && p->in_group)
				g_ptr_array_add(out, p->name);
		}
	}
	g_ptr_array_sort(out, by_name);
	return out;
}

int ctld_peer_send(ctld_t *c, const char *to, vg_msg_t *m)
{
	vg_error_t err = {0};
	uint32_t dest = 0;

	if (!c->layer || !c->layer->conn)
		return VG_ENOTCONN;
	if (to) {
		ctld_peer_t *p = ctld_peer_get(c, to, false);
		if (!p || !p->id) {
			const vg_cluster_node_t *n = vg_cluster_node_by_name(c->layer->conn, to);
			if (!n)
				return VG_ENOENT;
			dest = n->id;
		} else {
			dest = p->id;
		}
	}
	vg_msg_set(m, "from", c->me);
	int rc = vg_cluster_send(c->layer->conn, dest, m, &err);
	if (rc != 0)
		vg_log_warn("cannot send %s to %s: %s", vg_msg_type(m), to ? to : "the group",
		            err.msg);
	return rc;
}

static void on_deliver(vg_cluster_t *cl, const vg_cluster_node_t *from, const vg_msg_t *msg,
                       void *data)
{
	ctld_t *c = data;
	(void)cl;
	if (!from || !from->name)
		return;
	ctld_messages_dispatch(c, from->name, msg);
}

static void on_view(vg_cluster_t *cl, const vg_cluster_view_t *v, void *data)
{
	ctld_t *c = data;
	GHashTableIter it;
	gpointer val;
	GHashTable *before = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	GPtrArray *came = g_ptr_array_new_with_free_func(g_free);
	GPtrArray *went = g_ptr_array_new_with_free_func(g_free);
	GPtrArray *ctld_went = g_ptr_array_new_with_free_func(g_free);
	(void)cl;

	/* Remember who was there, then rebuild both memberships from the view. */
	ctld_peer_get(c, c->me, true);
	g_hash_table_iter_init(&it, c->peers);
	while (g_hash_table_iter_next(&it, NULL, &val)) {
		ctld_peer_t *p = val;
		g_hash_table_insert(before, g_strdup(p->name),
		                    GINT_TO_POINTER(1 | (p->member << 1) | (p->in_group << 2)));
		p->member = p->in_group = false;
	}
	for (size_t i = 0; i < v->n_nodes; i++) {
		ctld_peer_t *p = ctld_peer_get(c, v->nodes[i].name, true);
		p->id = v->nodes[i].id;
		p->member = true;
	}
	for (size_t i = 0; i < v->n_members; i++) {
		ctld_peer_t *p = ctld_peer_get(c, v->members[i].name, true);
		p->id = v->members[i].id;
		p->member = p->in_group = true;
	}
	g_hash_table_iter_init(&it, c->peers);
	while (g_hash_table_iter_next(&it, NULL, &val)) {
		ctld_peer_t *p = val;
		int old = GPOINTER_TO_INT(g_hash_table_lookup(before, p->name));
		bool was_member = old & 2, was_in_group = old & 4;
		if (was_member && !p->member)
			g_ptr_array_add(went, g_strdup(p->name));
		else if (was_in_group && !p->in_group)
			g_ptr_array_add(ctld_went, g_strdup(p->name));
		if (!was_in_group && p->in_group) {
			p->joins++;
			g_ptr_array_add(came, g_strdup(p->name));
		}
	}
	g_hash_table_destroy(before);
	vg_log_info("view %llu: %zu node(s), %zu controller(s)", (unsigned long long)v->view_id,
	            v->n_nodes, v->n_members);
	/* The quorum callback may come a moment after the view: a partition
	 * that plainly lost its majority must not act on the old quorum for
	 * that moment (it could fence the majority).  Only ever lowered here. */
	vg_cluster_quorum_t q = {0};
	unsigned votes = 0;
	vg_cluster_current_quorum(cl, &q);
	for (size_t i = 0; i < v->n_nodes; i++)
		votes += v->nodes[i].votes ? v->nodes[i].votes : 1;
	if (c->have_quorum && q.expected_votes > 2 && votes * 2 <= q.expected_votes) {
		vg_log_notice("quorum lost (%u of %u votes in this view)", votes, q.expected_votes);
		c->have_quorum = false;
		ctld_transition_quorum_lost(c);
	}
	ctld_election_view_changed(c);
	if (ctld_is_dc(c)) {
		for (guint i = 0; i < went->len; i++)
			ctld_join_member_down(c, g_ptr_array_index(went, i), false);
		for (guint i = 0; i < ctld_went->len; i++)
			ctld_join_member_down(c, g_ptr_array_index(ctld_went, i), true);
		for (guint i = 0; i < came->len; i++)
			if (strcmp(g_ptr_array_index(came, i), c->me) != 0)
				ctld_join_member_up(c, g_ptr_array_index(came, i));
	}
	g_ptr_array_unref(came);
	g_ptr_array_unref(went);
	g_ptr_array_unref(ctld_went);
}

static void on_quorum(vg_cluster_t *cl, const vg_cluster_quorum_t *q, void *data)
{
	ctld_t *c = data;
	(void)cl;
	if (c->have_quorum != q->quorate)
		vg_log_notice("quorum %s (%u of %u votes)", q->quorate ? "gained" : "lost",
		              q->votes, q->expected_votes);
	bool lost = c->have_quorum && !q->quorate;
	c->have_quorum = q->quorate;
	if (lost)
		ctld_transition_quorum_lost(c);
	ctld_transition_trigger(c, "quorum changed");
}

static gboolean try_connect(gpointer data);

static void on_disconnected(vg_cluster_t *cl, void *data)
{
	ctld_t *c = data;
	(void)cl;
	vg_log_error("lost the cluster layer; leaving the cluster");
	/* Without membership this node cannot know who runs what: a controller
	 * that restarts rejoins cleanly, so exit and let vigild decide. */
	c->exit_code = 1;
	g_main_loop_quit(c->loop);
}

static const vg_cluster_callbacks_t callbacks = {
    .deliver = on_deliver,
    .view = on_view,
    .quorum = on_quorum,
    .disconnected = on_disconnected,
};

/* The membership daemon sends views on change; a controller that restarts
 * into an unchanged group may get none, so it reads the current one. */
static gboolean initial_view(gpointer data)
{
	ctld_t *c = data;
	if (c->el_state == CTLD_EL_STARTING && c->layer && c->layer->conn) {
		const vg_cluster_view_t *v = vg_cluster_current_view(c->layer->conn);
		if (v && v->view_id > 0)
			on_view(c->layer->conn, v, c);
	}
	return c->el_state == CTLD_EL_STARTING ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

static gboolean try_connect(gpointer data)
{
	ctld_t *c = data;
	vg_error_t err = {0};
	int rc = vg_cluster_connect(c->cfg, GROUP, &callbacks, c, &c->layer->conn, &err);
	if (rc != 0) {
		vg_log_debug("cluster layer not ready: %s", err.msg);
		return G_SOURCE_CONTINUE;
	}
	c->layer->retry = 0;
	c->my_id = vg_cluster_local_id(c->layer->conn);
	vg_cluster_attach(c->layer->conn, NULL);
	g_timeout_add(200, initial_view, c);
	/* A running DC answers with its announcement even if no view comes. */
	vg_msg_t *hello = vg_msg_new("hello");
	ctld_peer_send(c, NULL, hello);
	vg_msg_free(hello);
	vg_log_info("joined group %s as node %s (id %u)", GROUP, c->me, c->my_id);
	return G_SOURCE_REMOVE;
}

int ctld_peer_start(ctld_t *c, vg_error_t *err)
{
	(void)err;
	c->layer = g_new0(ctld_peer_layer_t, 1);
	if (try_connect(c) == G_SOURCE_CONTINUE)
		c->layer->retry = g_timeout_add(RETRY_MS, try_connect, c);
	return 0;
}

void ctld_peer_stop(ctld_t *c)
{
	if (!c->layer)
		return;
	if (c->layer->retry)
		g_source_remove(c->layer->retry);
	if (c->layer->conn)
		vg_cluster_disconnect(c->layer->conn);
	g_free(c->layer);
	c->layer = NULL;
	if (c->peers)
		g_hash_table_destroy(c->peers);
	c->peers = NULL;
}
