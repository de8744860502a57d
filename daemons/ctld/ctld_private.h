/*
 * vigil-ctld's private declarations: the controller context every file
 * works on, and the entry points each ctld_<topic>.c offers the others.
 *
 *   ctld_main.c        wiring: options, ha.cf, logging, main loop
 *   ctld_peer.c        the cluster layer: group "ctld", views, quorum, sending
 *   ctld_messages.c    dispatch table for cluster messages
 *   ctld_election.c    DC election (row-table state machine)
 *   ctld_join.c        membership -> node_state, re-probe of joining nodes
 *   ctld_cib.c         the CIB replica: store, writes at the DC, patches
 *   ctld_ipc.c         client requests (table), forwarding writes to the DC
 *   ctld_transition.c  DC: scheduler runs, graph execution and recording
 *                      results as history (lib/sched's vg_graph_* and
 *                      vg_history_* do the walking and the writing)
 *   ctld_execd.c       this node's executor: run the DC's actions, report
 *   ctld_fence.c       fencing actions through vigil-fenced
 *   ctld_attrd.c       node attributes (transient and permanent)
 *   ctld_shutdown.c    clean shutdown of this node
 *
 * Only the DC writes the CIB; every other node applies the DC's patches.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef CTLD_PRIVATE_H
#define CTLD_PRIVATE_H

#include <stdbool.h>
#include <stdint.h>

#include <glib.h>
#include <libxml/tree.h>
#include <vigil/common.h>
#include <vigil/sched.h>

typedef struct ctld ctld_t;
typedef struct ctld_peer_layer ctld_peer_layer_t;

/* Election states (ctld_election.c draws the diagram). */
typedef enum ctld_el_state {
	CTLD_EL_STARTING = 0, /* not in the group yet */
	CTLD_EL_WAITING,      /* in the group, waiting for a DC to announce itself */
	CTLD_EL_MEMBER,       /* following a DC */
	CTLD_EL_DC,           /* this node is the DC */
	CTLD_EL_N_STATES,
} ctld_el_state_t;

typedef enum ctld_el_event {
	CTLD_EV_JOINED = 0, /* this node is in the group */
	CTLD_EV_DC_LOST,    /* the DC left our view */
	CTLD_EV_WAIT_OVER,  /* no announcement in time: the lowest name wins */
	CTLD_EV_ANNOUNCE,   /* another node announced itself DC */
	CTLD_EV_DC_CLASH,   /* two DCs in one view: the lower name stays */
	CTLD_EV_N_EVENTS,
} ctld_el_event_t;

/* A peer's controller as this node knows it. */
typedef struct ctld_peer {
	char *name;
	uint32_t id;
	bool member;    /* in the cluster membership view */
	bool in_group;  /* its ctld is in the "ctld" group */
	bool shutdown;  /* it announced a clean shutdown */
	unsigned joins; /* times its controller came into the group */
} ctld_peer_t;

struct ctld {
	vg_hacf_t *cfg;
	const char *me; /* node (instance) name, borrowed from cfg */
	uint32_t my_id;
	GMainLoop *loop;
	int exit_code;

	/* CIB replica */
	xmlDoc *cib;
	xmlDoc *snapshot; /* DC: the CIB as last broadcast */
	void *store;      /* vg_cib_store_t */
	guint flush_src, persist_src;
	bool persist_dirty;

	/* membership and election */
	ctld_peer_layer_t *layer;
	GHashTable *peers; /* name -> ctld_peer_t */
	bool have_quorum;
	ctld_el_state_t el_state;
	char *dc; /* DC name, NULL while unknown */
	guint el_timer;
	uint64_t dc_generation; /* bumped on every DC change (ignores stale messages) */

	/* DC */
	vg_graph_t *graph;              /* the transition being executed, NULL when none */
	xmlDoc *graph_doc;              /* its XML: the graph points into it */
	int graph_id;                   /* transition number (pe-input-N) */
	vg_graph_status_t graph_status; /* after the last pass */
	unsigned graph_fired;           /* actions fired during the current pass */
	bool graph_walking;             /* inside vg_graph_execute() */
	bool graph_aborted;             /* something new happened, or an action failed */
	bool fence_failed;              /* retry later rather than at once */
	GHashTable *action_timers;      /* action id -> timeout source */
	int transition_id;
	bool recompute_wanted;
	guint recompute_src, recheck_timer;
	char *recompute_reason;

	/* local executor and fencer */
	void *execd; /* vg_exec_client_t */
	char *execd_boot;
	guint execd_retry;
	GQueue *execd_waiting;       /* requests that came before execd was up (ctld_execd.c) */
	GHashTable *local_ops;       /* call key -> ctld_local_op_t */
	void *fencer;                /* fencing client (ctld_fence.c) */
	GHashTable *stonith_started; /* fencing devices placed on this node */
	GHashTable *promoted;        /* resources this node promoted (ctld_execd.c) */

	/* clients */
	void *ipc;             /* vg_ipc_server_t */
	GHashTable *forwarded; /* request id -> ctld_fwd_t (writes waiting for the DC) */
	uint64_t next_req;
	GHashTable *dampen; /* attribute name -> pending dampened write */

	/* shutdown */
	bool shutting_down;
	guint shutdown_timer;
	bool leave_when_idle; /* DC released itself: exit once its graph is idle */
};

/* ctld_peer.c */
int ctld_peer_start(ctld_t *c, vg_error_t *err);
void ctld_peer_stop(ctld_t *c);
/* Send to one node's ctld (to non-NULL) or to the whole group. */
int ctld_peer_send(ctld_t *c, const char *to, vg_msg_t *m);
ctld_peer_t *ctld_peer_get(ctld_t *c, const char *name, bool create);
/* Names of peers in the group and the membership, sorted; g_ptr_array_unref(). */
GPtrArray *ctld_peer_group_names(ctld_t *c);

/* ctld_messages.c */
void ctld_messages_dispatch(ctld_t *c, const char *from, const vg_msg_t *m);

/* ctld_election.c */
void ctld_election_event(ctld_t *c, ctld_el_event_t ev, const char *arg);
const char *ctld_el_state_name(ctld_el_state_t s);
bool ctld_is_dc(const ctld_t *c);
void ctld_election_view_changed(ctld_t *c);

/* ctld_join.c */
void ctld_join_became_dc(ctld_t *c);
void ctld_join_member_up(ctld_t *c, const char *node);
void ctld_join_member_down(ctld_t *c, const char *node, bool group_only);
/* The fencer confirmed `node`'s fencing; `joins` is the node's joins count
 * when the fencing was asked for. */
void ctld_join_node_fenced(ctld_t *c, const char *node, unsigned joins);
/* Make sure the node has a <node> and a <node_state>; returns the node_state. */
xmlNode *ctld_join_node_state(ctld_t *c, const char *node);
const char *ctld_join_node_id(ctld_t *c, const char *node);

/* ctld_cib.c */
int ctld_cib_load(ctld_t *c, vg_error_t *err);
void ctld_cib_close(ctld_t *c);
/* DC: the tree was changed in place; bump, diff and broadcast soon. */
void ctld_cib_changed(ctld_t *c);
/* DC: broadcast pending in-place changes now. */
void ctld_cib_flush(ctld_t *c);
/* DC: run a client write; 0 or VG_E*. */
int ctld_cib_write(ctld_t *c, const vg_msg_t *req, const char *user, vg_error_t *err);
/* Member: apply a patch or full copy from the DC. */
void ctld_cib_on_patch(ctld_t *c, const char *from, const vg_msg_t *m);
void ctld_cib_on_full(ctld_t *c, const char *from, const vg_msg_t *m);
/* DC: send the whole CIB to one node (NULL = everybody). */
void ctld_cib_send_full(ctld_t *c, const char *to);
void ctld_cib_persist_soon(ctld_t *c);
/* Partition merge: offer our CIB to the DC that stays; that DC takes the
 * newer configuration and rebuilds the status from the nodes. */
void ctld_cib_send_offer(ctld_t *c, const char *to);
void ctld_cib_on_offer(ctld_t *c, const char *from, const vg_msg_t *m);
xmlNode *ctld_cib_root(ctld_t *c);
xmlNode *ctld_cib_status(ctld_t *c);

/* ctld_ipc.c */
int ctld_ipc_start(ctld_t *c, vg_error_t *err);
void ctld_ipc_stop(ctld_t *c);
void ctld_ipc_on_write_reply(ctld_t *c, const vg_msg_t *m);
/* DC: run a request another controller forwarded, reply to it. */
void ctld_ipc_on_forwarded(ctld_t *c, const char *from, const vg_msg_t *m);
/* Fail writes waiting for a DC that is gone. */
void ctld_ipc_dc_changed(ctld_t *c);

/* ctld_transition.c */
void ctld_transition_trigger(ctld_t *c, const char *reason);
void ctld_transition_on_result(ctld_t *c, const char *from, const vg_msg_t *m);
void ctld_transition_stop(ctld_t *c);
/* The partition lost quorum: drop the running graph, schedule again now. */
void ctld_transition_quorum_lost(ctld_t *c);
void ctld_transition_action_done(ctld_t *c, int action_id, bool ok);
/* DC: `node` left the membership: its resource actions in flight will never
 * be answered; they fail now rather than at their timeout. */
void ctld_transition_node_lost(ctld_t *c, const char *node);
/* A graph with actions in flight or still to run (never outside the DC). */
bool ctld_transition_busy(const ctld_t *c);
/* The number of the graph being executed, -1 when none. */
int ctld_transition_graph_id(const ctld_t *c);
/* DC: record one operation result on node as history (counting a failure
 * the way Pacemaker's controller does); returns true when it is a failure. */
bool ctld_transition_record(ctld_t *c, const char *node, const vg_op_result_t *res);
/* DC: forget rsc on node (NULL: every node): its history, its fail-counts
 * when asked, and the registration in that node's executor (lrm_delete). */
void ctld_transition_forget(ctld_t *c, const char *node, const char *rsc, bool failcounts);

/* ctld_execd.c */
void ctld_execd_start(ctld_t *c);
void ctld_execd_stop(ctld_t *c);
/* Run an rsc_op element for the DC (from = DC name). */
void ctld_execd_run(ctld_t *c, const char *from, const vg_msg_t *m);
/* The DC erased rsc's history here: the executor forgets it as well. */
void ctld_execd_forget(ctld_t *c, const char *rsc);
/* Number of resources this node's execd reports active ops for (shutdown). */

/* ctld_fence.c */
void ctld_fence_start(ctld_t *c);
void ctld_fence_stop(ctld_t *c);
/* DC: fence `target`; ctld_transition_action_done() follows. */
void ctld_fence_run(ctld_t *c, int action_id, const char *target, const char *action,
                    unsigned timeout_ms);
/* DC: push fencing devices from the CIB into the fencer. */
void ctld_fence_sync_devices(ctld_t *c);

/* ctld_attrd.c */
/* Set (value) or delete (value NULL) an attribute, here or via the DC. */
int ctld_attrd_update(ctld_t *c, const char *node, const char *name, const char *value,
                      bool permanent, unsigned dampen_ms, vg_error_t *err);
/* DC: apply an update message. */
void ctld_attrd_on_update(ctld_t *c, const vg_msg_t *m);
/* Value from the local replica; NULL when unset (borrowed from the tree). */
const char *ctld_attrd_get(ctld_t *c, const char *node, const char *name, bool permanent);
/* DC-side write helpers used by others. */
void ctld_attrd_write(ctld_t *c, const char *node, const char *name, const char *value,
                      bool permanent);

/* ctld_shutdown.c */
/* Exit status of a controller that left the cluster on purpose: vigild then
 * stops the whole node instead of respawning the controller. */
#define CTLD_EXIT_SHUTDOWN 100
void ctld_shutdown_begin(ctld_t *c);
void ctld_shutdown_on_ok(ctld_t *c);
/* DC: a node may leave now (do_shutdown). */
void ctld_shutdown_release(ctld_t *c, const char *node);
/* DC released itself: leave now if its graph has nothing in flight
 * (returns true when leaving), else keep waiting. */
bool ctld_shutdown_leave_if_idle(ctld_t *c);

#endif
