/*
 * libvigil-cluster internals: the handle and the backend ops table.  A
 * backend fills the handle's node table, views and quorum and calls the
 * cluster_emit_* helpers; cluster_api.c owns everything backend-neutral.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef VIGIL_CLUSTER_PRIVATE_H
#define VIGIL_CLUSTER_PRIVATE_H

#include <vigil/cluster.h>

typedef struct cluster_ops {
	const char *name; /* cluster_layer value */
	int (*connect)(vg_cluster_t *c, const char *group, vg_error_t *err);
	int (*send)(vg_cluster_t *c, uint32_t dest, const vg_msg_t *msg, vg_error_t *err);
	int (*fd)(const vg_cluster_t *c);
	/* Handle everything pending; VG_ENOTCONN once the engine is gone. */
	int (*dispatch)(vg_cluster_t *c);
	/* The local IPC connection to the engine, watched for the engine's death
	 * (its fd does not say); NULL when the fd says so. */
	vg_ipc_client_t *(*ipc)(const vg_cluster_t *c);
	void (*disconnect)(vg_cluster_t *c);
} cluster_ops_t;

extern const cluster_ops_t vg__cluster_heartbeat_ops;
extern const cluster_ops_t vg__cluster_corosync_ops;

struct vg_cluster {
	const cluster_ops_t *ops;
	const vg_hacf_t *cfg;
	vg_cluster_callbacks_t cb;
	void *data;
	uint32_t local_id;
	char *local_name;
	GPtrArray *nodes;       /* vg_cluster_node_t * (configured and seen) */
	vg_cluster_view_t view; /* arrays below back it */
	GArray *members, *joined, *left, *view_nodes;
	vg_cluster_quorum_t quorum;
	bool gone;
	GSource *source;
	GSource *watch;  /* vg_ipc_client_watch of ops->ipc while attached */
	guint gone_idle; /* pending deferred disconnected callback */
	void *backend;   /* the backend's private state */
};

/* Node by id, added (named "node<ID>" until known) when unseen. */
const vg_cluster_node_t *cluster_node_ensure(vg_cluster_t *c, uint32_t id, const char *name);
/* Parse "ID:NAME ID:NAME" into arr (vg_cluster_node_t). */
void cluster_parse_nodes(vg_cluster_t *c, const char *s, GArray *arr);
/* Point view at the arrays and call the view callback. */
void cluster_emit_view(vg_cluster_t *c, uint64_t view_id);
void cluster_emit_quorum(vg_cluster_t *c, bool quorate, unsigned votes, unsigned expected);
/* A message from node `from` to the deliver callback (borrowed for the call). */
void cluster_emit_deliver(vg_cluster_t *c, uint32_t from, const vg_msg_t *msg);

#endif
