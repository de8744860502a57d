/*
 * libvigil-sched: the policy engine as a pure function.
 *
 * CIB (configuration + status) and "now" in; transition graph, Transition
 * Summary, placement scores and a read-only view of the unpacked cluster out.
 * No I/O, no clocks, no globals: two CIBs can be scheduled in one process, in
 * parallel, with the same results as one at a time.  Decisions follow
 * Pacemaker's scheduler on the same CIB.
 *
 * Sections:
 *   core                          lib/sched/sched_*.c (run, unpack, placement, ...)
 *   graph, history, printing      lib/sched/sched_graph.c, sched_history.c, sched_print.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef VIGIL_SCHED_H
#define VIGIL_SCHED_H

#include <stdbool.h>
#include <stdint.h>

#include <glib.h>
#include <libxml/tree.h>

#include <vigil/common.h>

/* ==================================================================== core */

/* Options of one scheduler run.  Zero-initialised = the CIB decides. */
typedef struct vg_sched_options {
	bool show_scores;      /* keep the allocation scores for vg_sched_result_scores() */
	bool show_utilization; /* keep utilization lines as well */
	int quorum;            /* -1 or 0 ... see VG_SCHED_QUORUM_* */
	const char *dc_name;   /* override the DC (else cib's dc-uuid) */
} vg_sched_options_t;

#define VG_SCHED_QUORUM_CIB 0 /* use the cib element's have-quorum */
#define VG_SCHED_QUORUM_YES 1 /* pretend the partition has quorum */
#define VG_SCHED_QUORUM_NO  2 /* pretend it has not */

typedef struct vg_sched_result vg_sched_result_t;

/*
 * Schedule `cib_root` (a <cib> element with configuration and status) at time
 * `now` (seconds since the epoch; failure-timeouts, date rules and
 * shutdown-lock are evaluated against it).  The CIB is only read.
 * On success *out is a new result, freed with vg_sched_result_free().
 * Errors: VG_EINVAL (not a CIB, no configuration), VG_ECONFIG (a
 * configuration the scheduler cannot use, with the element id in err).
 */
int vg_sched_run(xmlNode *cib_root, vg_time_t now, const vg_sched_options_t *opts,
                 vg_sched_result_t **out, vg_error_t *err);
void vg_sched_result_free(vg_sched_result_t *r);

/*
 * The transition graph: a <transition_graph> element in Pacemaker's format
 * (synapse / action_set / rsc_op | pseudo_event | crm_event / inputs /
 * trigger; attributes operation, operation_key, on_node, on_node_uuid,
 * primitive class/provider/type, <attributes> with CRM_meta_* and the
 * instance parameters).  Borrowed: lives as long as r.
 */
xmlNode *vg_sched_result_graph(const vg_sched_result_t *r);

/*
 * Transition Summary lines (char *) exactly as crm_simulate prints them after
 * "Transition Summary:" without the leading two spaces, e.g.
 * "* Start      rsc1     ( node1 )".  Borrowed.
 */
const GPtrArray *vg_sched_result_summary(const vg_sched_result_t *r);

/*
 * The -s/--show-scores text ("pcmk__primitive_assign: rsc1 allocation score
 * on node1: 0" lines, crm_simulate's format).  Empty unless
 * opts->show_scores.  Returns a g_malloc'd string; g_free() it.
 */
char *vg_sched_result_scores(const vg_sched_result_t *r);

/* Earliest time after `now` when the result may change on its own (date
 * rules, failure-timeout expiry, shutdown-lock), VG_TIME_NEVER when none:
 * the controller reruns the scheduler then (cluster-recheck-interval). */
vg_time_t vg_sched_result_recheck(const vg_sched_result_t *r);

/* ---------------------------------------------- read-only cluster view */
/* Everything below is borrowed from the result and lives as long as it. */

typedef struct vg_sched_node_view {
	const char *name; /* uname */
	const char *id;   /* node id (uuid) */
	const char *kind; /* "member", "remote", "guest" */
	bool online;
	bool unclean;        /* must be fenced */
	bool pending;        /* joining, not yet a full member */
	bool standby;        /* standby attribute (or standby on-fail) */
	bool standby_onfail; /* standby because of on-fail=standby */
	bool maintenance;
	bool shutdown; /* shutting down (shutdown attribute set) */
	bool is_dc;
	bool expected_up;  /* node_state expected="member" */
	GHashTable *attrs; /* name -> value, incl. built-ins (#uname ...) */
} vg_sched_node_view_t;

typedef enum vg_sched_rsc_kind {
	VG_SCHED_RSC_PRIMITIVE,
	VG_SCHED_RSC_GROUP,
	VG_SCHED_RSC_CLONE, /* clone, promotable or not */
	VG_SCHED_RSC_BUNDLE,
} vg_sched_rsc_kind_t;

typedef struct vg_sched_rsc_view vg_sched_rsc_view_t;
struct vg_sched_rsc_view {
	const char *id;
	vg_sched_rsc_kind_t kind;
	const char *standard; /* primitives: class, provider (may be NULL), type */
	const char *provider;
	const char *type;
	const char *role;         /* current: "Stopped", "Started", "Promoted", "Unpromoted" */
	const char *target_role;  /* meta target-role, NULL when unset */
	const char *pending_task; /* an operation in flight ("start"...), NULL when none */
	GPtrArray *running_on;    /* const char * node names where active */
	bool failed;
	bool managed;
	bool blocked;
	bool orphan;     /* in the status but no longer configured */
	bool promotable; /* clones */
	bool unique;     /* clones: globally-unique */
	vg_sched_rsc_view_t *parent;
	GPtrArray *children; /* vg_sched_rsc_view_t *, configuration order */
	/* shutdown-lock: the node whose clean shutdown locked this primitive
	 * there (from the status history, not yet expired), NULL when none */
	const char *locked_to;
	/* clones: the configured child's id and how many instances are
	 * configured (clone-max; 0 leaves only orphans, if any) */
	const char *child_id;
	int clone_max;
};

typedef struct vg_sched_failed_op_view {
	const char *rsc;
	const char *task; /* "monitor", "start", ... */
	guint interval_ms;
	const char *node;
	const char *op_key;      /* "rsc1_monitor_10000" */
	int rc;                  /* OCF exit code */
	int status;              /* op-status (execution status) */
	const char *exit_reason; /* may be NULL */
	int call_id;
	vg_time_t last_rc_change;
	guint exec_time_ms;
	guint queue_time_ms;
} vg_sched_failed_op_view_t;

typedef struct vg_sched_cluster_view {
	GPtrArray *nodes;      /* vg_sched_node_view_t *, configuration order */
	GPtrArray *resources;  /* top-level vg_sched_rsc_view_t *, configuration order */
	GPtrArray *failed_ops; /* vg_sched_failed_op_view_t * */
	const char *dc;        /* DC node name, NULL when unknown */
	bool have_quorum;
	bool stonith_enabled;
	bool maintenance_mode;
	bool stop_all;
	const char *no_quorum_policy;
} vg_sched_cluster_view_t;

const vg_sched_cluster_view_t *vg_sched_result_cluster(const vg_sched_result_t *r);

/*
 * Pacemaker's op-digest of an operation's parameters: `params` maps name ->
 * value (instance attributes merged with the op's own; CRM_meta_* entries are
 * ignored except CRM_meta_timeout for recurring ops).  Returns the 32-char hex
 * MD5, g_malloc'd, as recorded in lrm_rsc_op's op-digest.
 */
char *vg_sched_op_digest(GHashTable *params, guint interval_ms);

/* --------------------------------- streaming input (sched_input.c) */
/*
 * A CIB read for scheduling only, without a tree of its operation history:
 * the <cib> element, every section but <status> and each node_state's own
 * attributes and children (transient_attributes...) are kept as a tree,
 * while each node_state's <lrm> history is unpacked into compact records
 * as it is read and never built as a tree.  The status of a big cluster is
 * most of its CIB, so this needs a fraction of a whole tree's memory.  Use
 * it where the CIB is only scheduled (`vigil simulate -R`); anything that
 * reads or writes the history itself needs the whole tree and
 * vg_sched_run().
 */
typedef struct vg_sched_input vg_sched_input_t;

/* The caller's source of bytes, like read(2): fills at most len bytes of
 * buf and returns their number, 0 at the end, -1 on error.  Size limits
 * are the source's to enforce. */
typedef int (*vg_sched_read_fn)(void *ctx, char *buf, int len);

/*
 * Parse a CIB from `read` (`what` names it in errors).  Document type
 * declarations and entities are refused, as everywhere in vigil.  On
 * success *out is freed with vg_sched_input_free().  Errors: VG_EPARSE
 * (with the line), VG_EINVAL (the root is not <cib>), VG_EIO (read failed).
 */
int vg_sched_input_read(vg_sched_read_fn read, void *ctx, const char *what, vg_sched_input_t **out,
                        vg_error_t *err);
/* The same from a buffer. */
int vg_sched_input_parse(const char *buf, size_t len, const char *what, vg_sched_input_t **out,
                         vg_error_t *err);
/*
 * The CIB without its lrm history, owned by `in`.  The caller may change
 * it (upgrade, normalise, validate, read options) before scheduling, but
 * must keep its node_state elements: the history records belong to them.
 */
xmlNode *vg_sched_input_cib(const vg_sched_input_t *in);
/* vg_sched_run() on the input; `in` must outlive the result. */
int vg_sched_run_input(const vg_sched_input_t *in, vg_time_t now, const vg_sched_options_t *opts,
                       vg_sched_result_t **out, vg_error_t *err);
void vg_sched_input_free(vg_sched_input_t *in);

/* ================================================ graph, history, printing */
/* (owned by lib/sched/sched_graph.c, sched_history.c, sched_print.c) */

/* ------------------------------------------ transition graphs (sched_graph.c) */
/*
 * A transition graph unpacked for execution: the controller executes it for
 * real, `vigil simulate -S` in simulation.  Synapses fire in document order
 * once every input is confirmed (a failed input blocks, except for synapses of
 * priority INFINITY); after vg_graph_abort() only synapses of at least the
 * abort priority and pseudo actions still fire.  Same rules as Pacemaker's
 * transition engine, so simulated runs list actions in the same order.
 */
typedef struct vg_graph vg_graph_t;

typedef enum vg_graph_action_type {
	VG_GRAPH_PSEUDO,  /* <pseudo_event>: nothing to run, confirm at once */
	VG_GRAPH_RSC,     /* <rsc_op>: a resource agent action on a node */
	VG_GRAPH_FENCE,   /* <crm_event operation="stonith"> */
	VG_GRAPH_CLUSTER, /* other <crm_event>: do_shutdown, clear_failcount, ... */
} vg_graph_action_type_t;

#define VG_GRAPH_ACTION_EXECUTED  (1u << 0) /* handed to the fire callback */
#define VG_GRAPH_ACTION_CONFIRMED (1u << 1) /* result known */
#define VG_GRAPH_ACTION_FAILED    (1u << 2) /* result was a failure */
#define VG_GRAPH_ACTION_CAN_FAIL  (1u << 3) /* CRM_meta_can_fail=true */

/* One action.  Strings are borrowed from the graph XML given to
 * vg_graph_unpack(), which must outlive the vg_graph_t. */
typedef struct vg_graph_action {
	int id;
	vg_graph_action_type_t type;
	int synapse_id;
	int priority;            /* of its synapse */
	const char *task;        /* operation ("start", "stonith", "do_shutdown") */
	const char *key;         /* operation_key ("rsc1_start_0"), may be NULL */
	const char *node;        /* on_node, NULL when none */
	const char *node_uuid;   /* on_node_uuid */
	const char *router_node; /* router_node (remote nodes), usually NULL */
	const char *rsc_id;      /* <primitive id>, rsc_op only */
	const char *rsc_long_id; /* <primitive long-id> (clone instance), or NULL */
	const char *rsc_name;    /* the name printed and recorded: see vg_graph_use_history() */
	const char *rsc_class;
	const char *rsc_provider;
	const char *rsc_type;
	guint interval_ms;          /* CRM_meta_interval */
	guint timeout_ms;           /* CRM_meta_timeout */
	int target_rc;              /* CRM_meta_op_target_rc, 0 when absent */
	const char *transition_key; /* CRM_meta_transition_key or NULL */
	GHashTable *params;         /* <attributes>: name -> value (borrowed) */
	const xmlNode *xml;         /* the action element */
	unsigned flags;             /* VG_GRAPH_ACTION_* */
} vg_graph_action_t;

typedef enum vg_graph_status {
	VG_GRAPH_ACTIVE,     /* actions fired or in flight: call vg_graph_execute again */
	VG_GRAPH_COMPLETE,   /* everything ran */
	VG_GRAPH_STOPPED,    /* done, but aborted actions were skipped */
	VG_GRAPH_TERMINATED, /* done, some actions can never run (bad graph) */
} vg_graph_status_t;

/*
 * Unpack a <transition_graph> element.  The graph keeps pointers into xml.
 * On success *out is freed with vg_graph_free().  Errors: VG_EPARSE (not a
 * transition graph, action without id, input referring to nothing is fine).
 */
int vg_graph_unpack(const xmlNode *xml, vg_graph_t **out, vg_error_t *err);
void vg_graph_free(vg_graph_t *g);
int vg_graph_transition_id(const vg_graph_t *g);
/* Number of actions; vg_graph_action(g, i) for i < n, in document order. */
size_t vg_graph_n_actions(const vg_graph_t *g);
vg_graph_action_t *vg_graph_action(const vg_graph_t *g, size_t i);
vg_graph_action_t *vg_graph_find_action(const vg_graph_t *g, int id);

/*
 * Called for every action that becomes runnable.  The callback may confirm it
 * at once (simulation, pseudo actions) or later (real execution) with
 * vg_graph_confirm().  Returning non-zero marks the action failed and ends the
 * pass with VG_GRAPH_TERMINATED.
 */
typedef int (*vg_graph_fire_fn)(vg_graph_t *g, vg_graph_action_t *a, void *data);

/* One pass over the synapses, firing what is ready (the graph's batch-limit
 * respected).  Call again after confirmations until it stops being ACTIVE. */
vg_graph_status_t vg_graph_execute(vg_graph_t *g, vg_graph_fire_fn fire, void *data);
/* Record the result of an executed action. */
void vg_graph_confirm(vg_graph_t *g, vg_graph_action_t *a, bool failed);
/* Actions handed to the fire callback and not confirmed yet. */
size_t vg_graph_in_flight(const vg_graph_t *g);
/* Stop starting actions of priority below `priority` (INFINITY: all). */
void vg_graph_abort(vg_graph_t *g, int priority, const char *reason);
/* "Complete", "Stopped", "Terminated", "In progress". */
const char *vg_graph_status_str(vg_graph_status_t st);

/*
 * The line crm_simulate prints for an executed action, without the leading
 * "* ": "Resource action: rsc1            start on node1",
 * "Resource action: rsc1            monitor=10000 on node1",
 * "Pseudo action:   grp_start_0", "Fencing node2 (reboot)",
 * "Cluster action:  do_shutdown on node1".  g_malloc'd; g_free() it.
 */
char *vg_graph_action_text(const vg_graph_action_t *a);
/* The resource name printed and recorded (a->rsc_name): the instance name
 * (long-id) of a clone instance, unless the cluster's status already holds
 * history under the configured id ("B" rather than "B:1"), as crm_simulate. */
const char *vg_graph_action_rsc_name(const vg_graph_action_t *a);
/* Settle rsc_name of every action from the <status> of `cib` (the input the
 * graph was computed from). */
void vg_graph_use_history(vg_graph_t *g, const xmlNode *cib);

/* Graphviz text of the graph (actions and their inputs), g_malloc'd. */
char *vg_graph_dot(const vg_graph_t *g);

/* --------------------------------------- status history (sched_history.c) */
/*
 * Writing results into a CIB's <status> the way Pacemaker's controller
 * does, so the scheduler reads them back: lrm_rsc_op entries (last_0,
 * last_failure_0, recurring <key>), node_state changes, fail-counts.
 * Used by `vigil simulate` (results invented from the graph) and by the
 * controller (real results).  All functions modify `cib` (a <cib> element)
 * in place and never log.
 */

/* One operation result to record. */
typedef struct vg_op_result {
	const char *rsc_id;    /* history name of the resource (lrm_resource id) */
	const char *rsc_class; /* needed when the node has no history for rsc_id */
	const char *rsc_provider;
	const char *rsc_type;
	const char *task; /* "start", "monitor", ... ("reload" recorded as start) */
	guint interval_ms;
	int rc;         /* OCF exit code */
	int op_status;  /* execution status: 0 done, 1 cancelled, 2 timeout, ... */
	int target_rc;  /* expected rc; -1 = any rc counts as success */
	int call_id;    /* 0 = one more than the highest recorded for rsc; <0 as is */
	vg_time_t when; /* last-rc-change / last-run */
	guint exec_ms, queue_ms;
	const char *transition_key; /* NULL: a made-up key with call_id and target_rc */
	const char *exit_reason;    /* NULL = "" */
	GHashTable *params;         /* parameters for op-digest; NULL = no digest */
	const char *migrate_source; /* migrate_to/migrate_from only */
	const char *migrate_target;
	const char *origin; /* crm-debug-origin, e.g. "vigil simulate" */
	/* op-digest computed where the operation ran (vg_sched_op_digest of
	 * its parameters with CRM_meta_*), recorded when params is NULL */
	const char *op_digest;
	/* shutdown-lock: the epoch the action carried (its graph element's
	 * shutdown-lock attribute), 0 when none.  A successful stop, or a
	 * probe that finds the resource not running, keeps the lock on the
	 * lrm_resource (shutdown-lock="<epoch>"); any other result on it
	 * releases the lock.  0 leaves the lrm_resource's lock as it is. */
	vg_time_t shutdown_lock;
} vg_op_result_t;

/* The <node_state> of node `uname`; created (with id = uuid, else the id of
 * the configured node, else uname) when missing and `create`.  Borrowed. */
xmlNode *vg_history_node_state(xmlNode *cib, const char *uname, const char *uuid, bool create);
/* -u: member and online.  -d / fenced: offline, history and transient attributes gone.
 * -f: crmd online but out of the membership (unclean). */
int vg_history_node_up(xmlNode *cib, const char *uname, const char *origin);
int vg_history_node_down(xmlNode *cib, const char *uname, const char *origin);
int vg_history_node_fail(xmlNode *cib, const char *uname, const char *origin);
/* A node that left after a clean shutdown: as vg_history_node_down, except
 * that while the cluster option shutdown-lock holds, the lrm_resource
 * entries carrying a shutdown lock stay (what is locked to the node). */
int vg_history_node_left(xmlNode *cib, const char *uname, const char *origin);

/*
 * Record one result on node `uname`: lrm_resource created if needed; the
 * entry replaced is <rsc>_last_0 (one-shot success), <rsc>_last_failure_0
 * (+ last_0, failure), <rsc>_<task>_<interval> (recurring, migrations).
 * Returns the lrm_rsc_op written (borrowed), NULL with err set (VG_EINVAL:
 * no class/type known for a new resource).
 */
xmlNode *vg_history_record_op(xmlNode *cib, const char *uname, const char *uuid,
                              const vg_op_result_t *res, vg_error_t *err);
/* Bump fail-count-<rsc>#<task>_<interval> and set last-failure-... to `when`
 * in the node's transient attributes (nothing for rc 0 or a probe's 7). */
void vg_history_record_failure(xmlNode *cib, const char *uname, const char *rsc_id,
                               const char *task, guint interval_ms, int rc, vg_time_t when);
/* Set (value non-NULL) or delete one transient attribute of a node. */
void vg_history_set_transient(xmlNode *cib, const char *uname, const char *name, const char *value);

/*
 * Parse "<rsc>_<task>_<interval-ms>@<node>=<rc>" (the -i and -F spec); the
 * out strings are g_malloc'd.  Errors: VG_EINVAL with the spec in err.
 */
int vg_history_parse_op_spec(const char *spec, char **rsc, char **task, guint *interval_ms,
                             char **node, int *rc, vg_error_t *err);
/* Parse "<rsc>_<task>_<interval-ms>" (an operation key). */
int vg_history_parse_op_key(const char *key, char **rsc, char **task, guint *interval_ms);
/* -i: record the spec'd result (class/type from the configuration) and its
 * failure, as if the operation had just run.  Errors: VG_EINVAL, VG_ENOENT. */
int vg_history_inject_op(xmlNode *cib, const char *spec, vg_time_t when, const char *origin,
                         vg_error_t *err);

/*
 * The controller's side of the history (vigil-ctld records real results
 * with the functions above, and these):
 */
/* Is the result a failure (recorded as last_failure_0)?  Pending and
 * cancelled results are not; other execution errors are, whatever the rc. */
bool vg_history_result_failed(const vg_op_result_t *res);
/* Count a failed operation the way Pacemaker's controller does: a stop sets
 * fail-count-<rsc>#<task>_<interval> to INFINITY, a start too while the
 * cluster property start-failure-is-fatal holds (else +1), a recurring
 * operation, promote or demote adds 1; anything else (probes, notify,
 * migrations) counts nothing.  last-failure-... becomes `when`.  Returns
 * the new fail-count, 0 when nothing was counted. */
int vg_history_count_failure(xmlNode *cib, const char *uname, const char *rsc_id, const char *task,
                             guint interval_ms, vg_time_t when);
/* A cancelled recurring operation: remove <rsc>_<task>_<interval> from
 * uname's history, unless call_id > 0 and the entry is another run (a newer
 * one).  Returns true when something was removed. */
bool vg_history_remove_op(xmlNode *cib, const char *uname, const char *rsc_id, const char *task,
                          guint interval_ms, int call_id);
/* After a successful stop: the resource's recurring operations on uname
 * no longer run (their last_failure_0 stays). */
void vg_history_drop_recurring(xmlNode *cib, const char *uname, const char *rsc_id);
/* lrm_delete, cleanup: erase rsc's lrm_resource on uname (NULL: every node). */
void vg_history_forget_rsc(xmlNode *cib, const char *uname, const char *rsc_id);
/* Remove rsc's fail-count-<rsc>#<op> and last-failure-<rsc>#<op> transient
 * attributes on uname (NULL: every node); op "start_0", NULL = all ops. */
void vg_history_clear_failcount(xmlNode *cib, const char *uname, const char *rsc_id,
                                const char *op);
/* Drop all of uname's resource history (its <lrm>), so the scheduler
 * probes the node again (a node that joins).  While the cluster option
 * shutdown-lock holds, the lrm_resource entries carrying a shutdown lock
 * stay: the scheduler starts those resources there again. */
void vg_history_clear_node(xmlNode *cib, const char *uname);

/* --------------------------------------------- status text (sched_print.c) */
#define VG_PRINT_PENDING    (1u << 0) /* "Starting node1" for operations in flight */
#define VG_PRINT_FAILED_OPS (1u << 1) /* a "Failed Resource Actions:" section */

/*
 * crm_simulate's cluster status ("  * Node List:" ... "  * Full List of
 * Resources:" ...) appended to out, for the part after a heading such as
 * "Current cluster status:".
 */
void vg_sched_print_status(GString *out, const vg_sched_cluster_view_t *v, unsigned flags);
/*
 * What crm_simulate prints above "Current cluster status:": "N of M
 * resource instances DISABLED and K BLOCKED ..." when some are, and the
 * "Resource management is DISABLED" banner in maintenance mode.
 */
void vg_sched_print_banner(GString *out, const vg_sched_cluster_view_t *v);
/* One primitive's status text ("rsc1\t(ocf:heartbeat:IPaddr2):\t Started node1"). */
char *vg_sched_print_primitive(const vg_sched_rsc_view_t *r);

/* ========================================================= end of sections */

#endif /* VIGIL_SCHED_H */
