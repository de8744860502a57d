/*
 * libvigil-cluster: one cluster-layer API for vigil-ctld and tools, with a
 * backend per membership engine behind one ops table (lib/cluster/):
 *   cluster_heartbeat.c  client of vigil-hbd over local IPC ("hbd" service)
 *   cluster_corosync.c   libcpg + libquorum (issue 6; until then connect
 *                        returns VG_ENOTSUP for cluster_layer corosync)
 * The backend is chosen by cfg->cluster_layer.  This library owns no policy.
 *
 * Semantics (the contract in DESIGN.md, the same for every backend):
 *  - Nodes have a numeric id (> 0) and a name (ha.cf "node"/"node_id").
 *  - A connection joins one named group.  The group's view is
 *    (view_id, members): the nodes on which a process has joined the group
 *    and that belong to the current membership.  Every member of a connected
 *    partition sees the same views in the same order; view ids only grow.
 *    `nodes` is the node-level membership the group view belongs to (a node
 *    can be a member of the cluster without having joined the group).
 *  - vg_cluster_send() to the group (dest 0) or to one member (dest = id):
 *    messages are delivered in FIFO order per sender, exactly once, reliably
 *    while sender and receiver both stay members; otherwise the receiver gets
 *    a view whose `left` names the sender.  The sender's own group members
 *    receive its group messages too (self-delivery, in order).
 *  - Messages are vg_msg_t (fields + optional XML body), up to
 *    VG_CLUSTER_MAX_MSG bytes encoded (a whole CIB).  Sending never blocks:
 *    large messages are queued (VG_EAGAIN when the queue is full).
 *  - Quorum: votes present, expected votes, quorate; `two_node` and
 *    `wait_for_all` as in Corosync's votequorum.  Callbacks fire on change.
 *  - Callbacks run from vg_cluster_dispatch(), i.e. from the GMainLoop when
 *    the connection is attached with vg_cluster_attach().
 *  - If the membership daemon goes away, `disconnected` is called once and
 *    the handle only accepts vg_cluster_disconnect() afterwards.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef VIGIL_CLUSTER_H
#define VIGIL_CLUSTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <glib.h>
#include <vigil/common.h>

#define VG_CLUSTER_MAX_MSG   VG_MSG_MAX_SIZE
#define VG_CLUSTER_MAX_GROUP 64 /* bytes of a group name */

typedef struct vg_cluster vg_cluster_t;

typedef struct vg_cluster_node {
	uint32_t id;
	const char *name; /* borrowed, valid while the handle lives */
	unsigned votes;
	bool arbiter; /* votes but runs no resources */
} vg_cluster_node_t;

typedef struct vg_cluster_view {
	uint64_t view_id;
	const vg_cluster_node_t *members;
	size_t n_members; /* group members, by id */
	const vg_cluster_node_t *joined;
	size_t n_joined; /* new since the last view */
	const vg_cluster_node_t *left;
	size_t n_left; /* gone since the last view */
	const vg_cluster_node_t *nodes;
	size_t n_nodes; /* cluster members, by id */
} vg_cluster_view_t;

typedef struct vg_cluster_quorum {
	bool quorate;
	unsigned votes;          /* of the members of this partition */
	unsigned expected_votes; /* of every configured node */
} vg_cluster_quorum_t;

typedef struct vg_cluster_callbacks {
	/* A message for this group from node `from` (msg borrowed for the call). */
	void (*deliver)(vg_cluster_t *c, const vg_cluster_node_t *from, const vg_msg_t *msg,
	                void *data);
	/* A new view (borrowed for the call).  The first view arrives after join. */
	void (*view)(vg_cluster_t *c, const vg_cluster_view_t *view, void *data);
	void (*quorum)(vg_cluster_t *c, const vg_cluster_quorum_t *q, void *data);
	/* The membership daemon went away (may be NULL). */
	void (*disconnected)(vg_cluster_t *c, void *data);
} vg_cluster_callbacks_t;

/*
 * Connect to the cluster layer named by cfg->cluster_layer (borrowed cfg; it
 * must outlive the handle) and join `group`.  *out freed with
 * vg_cluster_disconnect().  Errors: VG_ENOTCONN (daemon not running),
 * VG_ENOTSUP (backend not built), VG_EINVAL (bad group name).
 */
int vg_cluster_connect(const vg_hacf_t *cfg, const char *group, const vg_cluster_callbacks_t *cb,
                       void *data, vg_cluster_t **out, vg_error_t *err);
void vg_cluster_disconnect(vg_cluster_t *c);

/* Send to the group (dest 0) or to one node id.  VG_EAGAIN: queue full;
 * VG_ENOTCONN: daemon gone; VG_ETOOBIG: over VG_CLUSTER_MAX_MSG. */
int vg_cluster_send(vg_cluster_t *c, uint32_t dest, const vg_msg_t *msg, vg_error_t *err);

/* This node. */
uint32_t vg_cluster_local_id(const vg_cluster_t *c);
const char *vg_cluster_local_name(const vg_cluster_t *c);
/* Configured node by id / name (borrowed), NULL when unknown. */
const vg_cluster_node_t *vg_cluster_node_by_id(const vg_cluster_t *c, uint32_t id);
const vg_cluster_node_t *vg_cluster_node_by_name(const vg_cluster_t *c, const char *name);
/* The latest view and quorum delivered (zeroes before the first). */
const vg_cluster_view_t *vg_cluster_current_view(const vg_cluster_t *c);
void vg_cluster_current_quorum(const vg_cluster_t *c, vg_cluster_quorum_t *q);

/* Main loop integration: either attach to a GMainContext (NULL = default) ... */
void vg_cluster_attach(vg_cluster_t *c, GMainContext *ctx);
/* ... or poll the fd yourself and call dispatch when it is readable.
 * dispatch runs callbacks for everything pending; VG_ENOTCONN once gone. */
int vg_cluster_fd(const vg_cluster_t *c);
int vg_cluster_dispatch(vg_cluster_t *c);

#endif /* VIGIL_CLUSTER_H */
