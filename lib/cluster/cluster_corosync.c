/*
 * The corosync backend (cluster_layer corosync): the node's corosync 3 is the
 * membership engine and corosync.conf holds the membership configuration.
 *  - Groups: one CPG group per handle.  Views are node-level: the nodes on
 *    which some process joined the group.  View id = (totem ring seq << 20)
 *    + node-level changes within that ring, so ids only grow and every
 *    member of a ring computes the same one.  A process that joins a group
 *    without a ring change learns the current id from sync messages that
 *    every settled member sends naming the joiners (the first one counts),
 *    and holds deliveries until then.  Group
 *    changes that belong to a ring change (NODEUP/NODEDOWN) are shown once,
 *    with the new ring's id, when the totem change arrives.
 *  - Nodes: ids and names from cmap's nodelist (name, else ring0_addr;
 *    quorum_votes), reread at every ring change.
 *  - Quorum: quorate from the quorum service, votes and expected votes from
 *    votequorum; either may be missing (no provider: always quorate).
 *  - Corosync not running, stopping or restarting: a clear log line, connect
 *    attempts with backoff (one corosync per node, so the backoff is per
 *    process), and the handle reports VG_ENOTCONN so `disconnected` fires.
 * The wire (fragments, unicast, flow control) is cluster_corosync_msg.c.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define VG_LOG_SUBSYS "cluster"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include <corosync/cmap.h>

#include "cluster_corosync.h"

#define GEN_BITS       20
#define FRAG_CAP       (256u * 1024)
#define BACKOFF_MIN_MS 100u
#define BACKOFF_MAX_MS 2000u

/* Held delivery of a process that has not seen its first view yet. */
typedef struct cs_held {
	uint32_t from;
	vg_msg_t *msg;
} cs_held_t;

/* Process-wide reachability of the node's corosync: one log line per outage
 * and a growing pause between connect attempts. */
static struct {
	bool down;
	unsigned delay_ms;
	gint64 not_before_us;
} reach;

const char *cs_errname(cs_error_t e)
{
	static const char *const names[] = {
	    [CS_OK] = "CS_OK",
	    [CS_ERR_LIBRARY] = "CS_ERR_LIBRARY (corosync not running?)",
	    [CS_ERR_VERSION] = "CS_ERR_VERSION",
	    [CS_ERR_INIT] = "CS_ERR_INIT",
	    [CS_ERR_TIMEOUT] = "CS_ERR_TIMEOUT",
	    [CS_ERR_TRY_AGAIN] = "CS_ERR_TRY_AGAIN",
	    [CS_ERR_INVALID_PARAM] = "CS_ERR_INVALID_PARAM",
	    [CS_ERR_NO_MEMORY] = "CS_ERR_NO_MEMORY",
	    [CS_ERR_BAD_HANDLE] = "CS_ERR_BAD_HANDLE",
	    [CS_ERR_BUSY] = "CS_ERR_BUSY",
	    [CS_ERR_ACCESS] = "CS_ERR_ACCESS (not allowed by corosync's uidgid)",
	    [CS_ERR_NOT_EXIST] = "CS_ERR_NOT_EXIST",
	    [CS_ERR_EXIST] = "CS_ERR_EXIST",
	    [CS_ERR_NOT_SUPPORTED] = "CS_ERR_NOT_SUPPORTED",
	    [CS_ERR_TOO_BIG] = "CS_ERR_TOO_BIG",
	};

	if ((size_t)e < G_N_ELEMENTS(names) && names[e] != NULL)
		return names[e];
	return "corosync error";
}

/* ------------------------------------------------------------ reachability */

static int unreachable(const char *call, cs_error_t e, vg_error_t *err)
{
	reach.delay_ms = reach.delay_ms ? MIN(reach.delay_ms * 2, BACKOFF_MAX_MS) : BACKOFF_MIN_MS;
	reach.not_before_us = g_get_monotonic_time() + (gint64)reach.delay_ms * 1000;
	if (!reach.down)
		vg_log_warn("corosync is not reachable (%s: %s); is corosync running on this node? "
		            "retrying with backoff",
		            call, cs_errname(e));
	reach.down = true;
	return vg_error_set(
	    err, VG_ENOTCONN,
	    "cluster_layer corosync: corosync is not reachable (%s: %s); start corosync", call,
	    cs_errname(e));
}

static int lost(vg_cluster_t *c, const char *call, cs_error_t e)
{
	vg_log_error(
	    "corosync went away (%s: %s): node %s has lost the cluster until corosync is back",
	    call, cs_errname(e), c->local_name ? c->local_name : "?");
	reach.down = true;
	reach.delay_ms = BACKOFF_MIN_MS;
	reach.not_before_us = g_get_monotonic_time() + BACKOFF_MIN_MS * 1000;
	return VG_ENOTCONN;
}

/* ------------------------------------------------------------------- nodes */

static void load_nodelist(vg_cluster_t *c)
{
	cmap_handle_t h;

	if (cmap_initialize(&h) != CS_OK)
		return;
	for (unsigned i = 0;; i++) {
		char key[64], *name = NULL;
		uint32_t id = 0, votes = 1;
		vg_cluster_node_t *n;

		snprintf(key, sizeof(key), "nodelist.node.%u.nodeid", i);
		if (cmap_get_uint32(h, key, &id) != CS_OK || id == 0)
			break;
		snprintf(key, sizeof(key), "nodelist.node.%u.name", i);
		if (cmap_get_string(h, key, &name) != CS_OK) {
			snprintf(key, sizeof(key), "nodelist.node.%u.ring0_addr", i);
			if (cmap_get_string(h, key, &name) != CS_OK)
				name = NULL;
		}
		snprintf(key, sizeof(key), "nodelist.node.%u.quorum_votes", i);
		cmap_get_uint32(h, key, &votes);
		/* corosync.conf rules: an ha.cf node of that name takes its id */
		n = name ? (vg_cluster_node_t *)vg_cluster_node_by_name(c, name) : NULL;
		if (n != NULL && n->id != id && vg_cluster_node_by_id(c, id) == NULL)
			n->id = id;
		n = (vg_cluster_node_t *)cluster_node_ensure(c, id, name);
		n->votes = votes;
		free(name);
	}
	cmap_finalize(h);
}

/* ------------------------------------------------------------------ quorum */

static void update_quorum(vg_cluster_t *c)
{
	cs_backend_t *b = cs_of(c);
	bool quorate = true;
	unsigned votes = b->ring_nodes->len, expected = c->nodes->len;
	struct votequorum_info info;
	int q = 1;

	if (b->have_q && quorum_getquorate(b->q, &q) == CS_OK)
		quorate = q != 0;
	memset(&info, 0, sizeof(info));
	if (b->have_vq && votequorum_getinfo(b->vq, c->local_id, &info) == CS_OK) {
		votes = info.total_votes;
		expected = info.node_expected_votes;
		if (!b->have_q)
			quorate = (info.flags & VOTEQUORUM_INFO_QUORATE) != 0;
	}
	cluster_emit_quorum(c, quorate, votes, expected);
}

static void on_quorum(quorum_handle_t h, uint32_t quorate, uint64_t ring, uint32_t n,
                      uint32_t *list)
{
	void *ctx = NULL;

	(void)quorate, (void)ring, (void)n, (void)list;
	if (quorum_context_get(h, (const void **)&ctx) == CS_OK && ctx != NULL)
		update_quorum(ctx);
}

static void on_vq(votequorum_handle_t h, uint64_t context, uint32_t quorate, uint32_t n,
                  votequorum_node_t list[])
{
	void *ctx = NULL;

	(void)context, (void)quorate, (void)n, (void)list;
	if (votequorum_context_get(h, &ctx) == CS_OK && ctx != NULL)
		update_quorum(ctx);
}

static void on_vq_expected(votequorum_handle_t h, uint64_t context, uint32_t expected)
{
	on_vq(h, context, 0, expected, NULL);
}

/* ------------------------------------------------------------------- views */

static gint cmp_u32(gconstpointer a, gconstpointer b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static bool has_id(GArray *ids, uint32_t id)
{
	for (guint i = 0; i < ids->len; i++)
		if (g_array_index(ids, uint32_t, i) == id)
			return true;
	return false;
}

/* Node ids on which a process is in the group, sorted, unique. */
static GArray *group_nodes(cs_backend_t *b)
{
	GArray *ids = g_array_new(FALSE, FALSE, sizeof(uint32_t));

	for (guint i = 0; i < b->cpg_members->len; i++) {
		uint32_t id = g_array_index(b->cpg_members, struct cpg_address, i).nodeid;

		if (!has_id(ids, id))
			g_array_append_val(ids, id);
	}
	g_array_sort(ids, cmp_u32);
	return ids;
}

static bool same_ids(GArray *a, GArray *b)
{
	/* empty GArrays may have no data at all: memcmp wants real pointers */
	return a->len == b->len &&
	       (a->len == 0 || memcmp(a->data, b->data, a->len * sizeof(uint32_t)) == 0);
}

static void fill(vg_cluster_t *c, GArray *out, GArray *ids, GArray *minus)
{
	g_array_set_size(out, 0);
	for (guint i = 0; i < ids->len; i++) {
		uint32_t id = g_array_index(ids, uint32_t, i);

		if (minus == NULL || !has_id(minus, id))
			g_array_append_vals(out, cluster_node_ensure(c, id, NULL), 1);
	}
}

static uint64_t view_id(const cs_backend_t *b)
{
	return b->ring_seq << GEN_BITS | b->gen;
}

static void flush_held(vg_cluster_t *c)
{
	cs_backend_t *b = cs_of(c);
	cs_held_t *h;

	while (!c->gone && (h = g_queue_pop_head(b->held)) != NULL) {
		cluster_emit_deliver(c, h->from, h->msg);
		vg_msg_free(h->msg);
		g_free(h);
	}
}

static void emit(vg_cluster_t *c)
{
	cs_backend_t *b = cs_of(c);
	GArray *now = group_nodes(b);
	GArray *ring = b->ring_nodes;

	g_array_sort(ring, cmp_u32);
	fill(c, c->members, now, NULL);
	fill(c, c->joined, now, b->shown);
	fill(c, c->left, b->shown, now);
	fill(c, c->view_nodes, ring, NULL);
	g_array_unref(b->shown);
	b->shown = now;
	cluster_emit_view(c, view_id(b));
	flush_held(c);
}

void cs_deliver(vg_cluster_t *c, uint32_t from, vg_msg_t *msg)
{
	cs_backend_t *b = cs_of(c);

	if (!b->synced) {
		cs_held_t *h = g_new0(cs_held_t, 1);

		h->from = from;
		h->msg = msg;
		g_queue_push_tail(b->held, h);
		return;
	}
	cluster_emit_deliver(c, from, msg);
	vg_msg_free(msg);
}

/* Sync payload: u64 view id, u32 count, count x (u32 nodeid, u32 pid) of
 * the processes whose join that view showed; big-endian. */
static void put_be32(GByteArray *a, uint32_t v)
{
	uint8_t x[4] = {(uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v};

	g_byte_array_append(a, x, 4);
}

static uint32_t get_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void send_sync(vg_cluster_t *c, const struct cpg_address *j, size_t nj)
{
	GByteArray *a = g_byte_array_new();
	uint64_t id = view_id(cs_of(c));

	put_be32(a, (uint32_t)(id >> 32));
	put_be32(a, (uint32_t)id);
	put_be32(a, (uint32_t)nj);
	for (size_t i = 0; i < nj; i++) {
		put_be32(a, j[i].nodeid);
		put_be32(a, j[i].pid);
	}
	cs_wire_send_sync(c, a->data, a->len);
	g_byte_array_unref(a);
}

void cs_sync(vg_cluster_t *c, uint32_t from, const uint8_t *p, size_t len)
{
	cs_backend_t *b = cs_of(c);
	bool named = false;
	uint64_t id;
	uint32_t count;

	if (b->synced || !b->joined || len < 12)
		return;
	id = (uint64_t)get_be32(p) << 32 | get_be32(p + 4);
	count = get_be32(p + 8);
	if (count > (len - 12) / 8)
		return;
	for (uint32_t i = 0; i < count; i++)
		named |= get_be32(p + 12 + 8 * i) == c->local_id &&
		         get_be32(p + 16 + 8 * i) == (uint32_t)getpid();
	if (!named)
		return; /* about an earlier join */
	vg_log_debug("group %s: view id %llu from node %u", b->group.value, (unsigned long long)id,
	             from);
	/* the id is the one of the view that showed this process joining;
	 * node-level changes seen since then come on top */
	b->ring_seq = id >> GEN_BITS;
	b->gen += (uint32_t)(id & ((1u << GEN_BITS) - 1));
	b->have_ring = true;
	b->synced = true;
	emit(c);
}

static bool is_me(const vg_cluster_t *c, const struct cpg_address *a)
{
	return a->nodeid == c->local_id && a->pid == (uint32_t)getpid();
}

static bool ring_change(const struct cpg_address *l, size_t nl, const struct cpg_address *j,
                        size_t nj)
{
	for (size_t i = 0; i < nl; i++)
		if (l[i].reason != CPG_REASON_NODEDOWN)
			return false;
	for (size_t i = 0; i < nj; i++)
		if (j[i].reason != CPG_REASON_NODEUP)
			return false;
	return nl + nj > 0;
}

static void on_confchg(cpg_handle_t h, const struct cpg_name *group, const struct cpg_address *m,
                       size_t n, const struct cpg_address *l, size_t nl,
                       const struct cpg_address *j, size_t nj)
{
	vg_cluster_t *c = NULL;
	cs_backend_t *b;
	bool me_new = false, changed;
	GArray *now;

	(void)group;
	if (cpg_context_get(h, (void **)&c) != CS_OK || c == NULL)
		return;
	b = cs_of(c);
	vg_log_debug("group %s: %zu member(s), %zu left, %zu joined", b->group.value, n, nl, nj);
	g_array_set_size(b->cpg_members, 0);
	g_array_append_vals(b->cpg_members, m, (guint)n);
	for (size_t i = 0; i < nl; i++)
		cs_wire_forget(b, l[i].nodeid, l[i].pid);
	for (size_t i = 0; i < nj; i++)
		me_new |= is_me(c, &j[i]);
	now = group_nodes(b);
	changed = !same_ids(now, b->last);
	g_array_unref(b->last);
	b->last = now;
	if (me_new && !b->joined) {
		b->joined = true;
		b->gen = 0;
		if (nj == n) { /* first in the group: nobody to ask */
			b->synced = true;
			if (b->have_ring)
				emit(c);
		}
		return;
	}
	if (ring_change(l, nl, j, nj))
		return; /* shown with the totem change that follows */
	if (changed) {
		b->gen++;
		if (b->synced)
			emit(c);
	}
	if (nj > 0 && b->synced)
		send_sync(c, j, nj);
}

/* Show the view a totem change calls for; false when it calls for none. */
static bool totem_view(vg_cluster_t *c, uint64_t seq)
{
	cs_backend_t *b = cs_of(c);

	if (!b->have_ring || seq == b->ring_seq) {
		/* the initial configuration (CPG_MODEL_V1_DELIVER_INITIAL_TOTEM_CONF),
		 * which may come after the join: only this process sees it */
		if (!b->have_ring)
			b->ring_seq = seq;
		b->have_ring = true;
		return b->joined && b->synced && b->shown->len == 0;
	}
	/* a ring change is the same event for everyone in the ring */
	b->ring_seq = seq;
	b->gen = 0;
	if (!b->joined)
		return false;
	b->synced = true;
	return true;
}

static void on_totem(cpg_handle_t h, struct cpg_ring_id ring, uint32_t n, const uint32_t *list)
{
	vg_cluster_t *c = NULL;
	cs_backend_t *b;

	if (cpg_context_get(h, (void **)&c) != CS_OK || c == NULL)
		return;
	b = cs_of(c);
	vg_log_debug("group %s: totem ring %llu with %u node(s)", b->group.value,
	             (unsigned long long)ring.seq, n);
	g_array_set_size(b->ring_nodes, 0);
	g_array_append_vals(b->ring_nodes, list, n);
	load_nodelist(c);
	if (totem_view(c, ring.seq))
		emit(c);
	/* after the view, as the heartbeat backend does */
	update_quorum(c);
}

static void on_deliver(cpg_handle_t h, const struct cpg_name *group, uint32_t nodeid, uint32_t pid,
                       void *msg, size_t len)
{
	vg_cluster_t *c = NULL;

	(void)group;
	if (cpg_context_get(h, (void **)&c) == CS_OK && c != NULL)
		cs_wire_receive(c, nodeid, pid, msg, len);
}

/* ------------------------------------------------------------- connection */

static int add_fd(cs_backend_t *b, int fd)
{
	struct epoll_event ev = {.events = EPOLLIN};

	ev.data.fd = fd;
	return epoll_ctl(b->epfd, EPOLL_CTL_ADD, fd, &ev);
}

static void open_quorum(vg_cluster_t *c)
{
	cs_backend_t *b = cs_of(c);
	quorum_callbacks_t qcb = {.quorum_notify_fn = on_quorum};
	votequorum_callbacks_t vcb = {.votequorum_quorum_notify_fn = on_vq,
	                              .votequorum_expectedvotes_notify_fn = on_vq_expected};
	uint32_t type = 0;
	int fd;

	if (quorum_initialize(&b->q, &qcb, &type) == CS_OK) {
		b->have_q = true;
		quorum_context_set(b->q, c);
		if (type == QUORUM_FREE)
			vg_log_info(
			    "corosync has no quorum provider: this partition counts as quorate");
		if (quorum_trackstart(b->q, CS_TRACK_CHANGES) != CS_OK ||
		    quorum_fd_get(b->q, &fd) != CS_OK || add_fd(b, fd) != 0) {
			quorum_finalize(b->q);
			b->have_q = false;
		}
	}
	if (votequorum_initialize(&b->vq, &vcb) == CS_OK) {
		b->have_vq = true;
		votequorum_context_set(b->vq, c);
		if (votequorum_trackstart(b->vq, 0, CS_TRACK_CHANGES) != CS_OK ||
		    votequorum_fd_get(b->vq, &fd) != CS_OK || add_fd(b, fd) != 0) {
			votequorum_finalize(b->vq);
			b->have_vq = false;
		}
	}
}

static int join(vg_cluster_t *c, vg_error_t *err)
{
	cs_backend_t *b = cs_of(c);
	cs_error_t e = CS_OK;

	/* corosync answers TRY_AGAIN while it synchronizes after a change */
	for (int i = 0; i < 100; i++) {
		e = cpg_join(b->cpg, &b->group);
		if (e != CS_ERR_TRY_AGAIN)
			break;
		g_usleep(10000);
	}
	if (e != CS_OK)
		return vg_error_set(err, e == CS_ERR_TRY_AGAIN ? VG_EAGAIN : VG_ENOTCONN,
		                    "corosync: cannot join group %s (cpg_join: %s)", b->group.value,
		                    cs_errname(e));
	return 0;
}

static int cs_connect(vg_cluster_t *c, const char *group, vg_error_t *err)
{
	cpg_model_v1_data_t model = {.model = CPG_MODEL_V1,
	                             .cpg_deliver_fn = on_deliver,
	                             .cpg_confchg_fn = on_confchg,
	                             .cpg_totem_confchg_fn = on_totem,
	                             .flags = CPG_MODEL_V1_DELIVER_INITIAL_TOTEM_CONF};
	cs_backend_t *b = g_new0(cs_backend_t, 1);
	const vg_cluster_node_t *me;
	unsigned int local = 0;
	uint32_t atomic = 0;
	cs_error_t e;
	int fd;

	c->backend = b;
	b->epfd = b->timerfd = -1;
	b->cpg_members = g_array_new(FALSE, FALSE, sizeof(struct cpg_address));
	b->shown = g_array_new(FALSE, FALSE, sizeof(uint32_t));
	b->last = g_array_new(FALSE, FALSE, sizeof(uint32_t));
	b->ring_nodes = g_array_new(FALSE, FALSE, sizeof(uint32_t));
	b->held = g_queue_new();
	cs_wire_init(b);
	b->group.length = (uint32_t)strlen(group);
	memcpy(b->group.value, group, b->group.length);
	if (reach.down && g_get_monotonic_time() < reach.not_before_us)
		return vg_error_set(
		    err, VG_ENOTCONN,
		    "cluster_layer corosync: corosync was not reachable; next attempt "
		    "in at most %u ms",
		    reach.delay_ms);
	e = cpg_model_initialize(&b->cpg, CPG_MODEL_V1, (cpg_model_data_t *)&model, c);
	if (e != CS_OK)
		return unreachable("cpg_model_initialize", e, err);
	b->have_cpg = true;
	if ((e = cpg_local_get(b->cpg, &local)) != CS_OK)
		return unreachable("cpg_local_get", e, err);
	c->local_id = local;
	b->frag_max = FRAG_CAP;
	if (cpg_max_atomic_msgsize_get(b->cpg, &atomic) == CS_OK && atomic > 1024)
		b->frag_max = MIN(FRAG_CAP, atomic - 64);
	load_nodelist(c);
	me = vg_cluster_node_by_id(c, local);
	if (me == NULL) /* no nodelist in corosync.conf: ha.cf names this node */
		me = cluster_node_ensure(c, local, c->cfg->instance);
	else if (c->cfg->instance != NULL && strcmp(me->name, c->cfg->instance) != 0)
		vg_log_warn("node id %u is %s in corosync.conf but ha.cf says instance %s; "
		            "vigil uses corosync's name",
		            local, me->name, c->cfg->instance);
	c->local_name = g_strdup(me->name);
	b->epfd = epoll_create1(EPOLL_CLOEXEC);
	b->timerfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (b->epfd < 0 || b->timerfd < 0 || cpg_fd_get(b->cpg, &fd) != CS_OK ||
	    add_fd(b, fd) != 0 || add_fd(b, b->timerfd) != 0)
		return vg_error_set(err, VG_EIO, "corosync: cannot set up polling: %s",
		                    g_strerror(errno));
	open_quorum(c);
	if (join(c, err) != 0)
		return err && err->code ? err->code : VG_ENOTCONN;
	if (reach.down)
		vg_log_notice("corosync is reachable again (node %s, id %u)", c->local_name, local);
	reach.down = false;
	reach.delay_ms = 0;
	/* views and quorum come from dispatch, never from inside connect */
	return 0;
}

static int cs_send(vg_cluster_t *c, uint32_t dest, const vg_msg_t *msg, vg_error_t *err)
{
	return cs_wire_send(c, dest, msg, err);
}

static int cs_fd(const vg_cluster_t *c)
{
	return cs_of(c)->epfd;
}

static int cs_dispatch(vg_cluster_t *c)
{
	cs_backend_t *b = cs_of(c);
	cs_error_t e;

	e = cpg_dispatch(b->cpg, CS_DISPATCH_ALL);
	if (e != CS_OK && e != CS_ERR_TRY_AGAIN)
		return lost(c, "cpg_dispatch", e);
	if (b->have_q && (e = quorum_dispatch(b->q, CS_DISPATCH_ALL)) != CS_OK &&
	    e != CS_ERR_TRY_AGAIN)
		return lost(c, "quorum_dispatch", e);
	if (b->have_vq && (e = votequorum_dispatch(b->vq, CS_DISPATCH_ALL)) != CS_OK &&
	    e != CS_ERR_TRY_AGAIN)
		return lost(c, "votequorum_dispatch", e);
	if (c->gone)
		return VG_ENOTCONN;
	if (cs_wire_pump(c) != 0)
		return lost(c, "cpg_mcast_joined", CS_ERR_LIBRARY);
	return 0;
}

static void held_free(gpointer p)
{
	cs_held_t *h = p;

	vg_msg_free(h->msg);
	g_free(h);
}

static void cs_disconnect(vg_cluster_t *c)
{
	cs_backend_t *b = cs_of(c);

	if (b == NULL)
		return;
	if (b->have_cpg)
		cpg_finalize(b->cpg);
	if (b->have_q)
		quorum_finalize(b->q);
	if (b->have_vq)
		votequorum_finalize(b->vq);
	if (b->epfd >= 0)
		close(b->epfd);
	if (b->timerfd >= 0)
		close(b->timerfd);
	cs_wire_free(b);
	g_queue_free_full(b->held, held_free);
	g_array_unref(b->cpg_members);
	g_array_unref(b->shown);
	g_array_unref(b->last);
	g_array_unref(b->ring_nodes);
	g_free(b);
	c->backend = NULL;
}

const cluster_ops_t vg__cluster_corosync_ops = {
    .name = "corosync",
    .connect = cs_connect,
    .send = cs_send,
    .fd = cs_fd,
    .dispatch = cs_dispatch,
    .disconnect = cs_disconnect,
};
