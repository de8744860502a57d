/*
 * sched_private.h: the scheduler's working set, shared by lib/sched/sched_*.c.
 *
 * One sc_t per vg_sched_run(): the unpacked cluster (options, nodes,
 * resources, constraints, history), the placement decisions and the actions
 * with their orderings.  Everything is reached from the sc_t; nothing is
 * global.  Arrays keep configuration order so that output never depends on
 * hash-table order; hash tables are only used for lookups.
 *
 * Internal only; the public contract is include/vigil/sched.h.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef VIGIL_SCHED_PRIVATE_H
#define VIGIL_SCHED_PRIVATE_H

#include <vigil/common.h>
#include <vigil/sched.h>

#define INF VG_SCORE_INFINITY

typedef struct sc sc_t;
typedef struct sc_node sc_node_t;
typedef struct sc_rsc sc_rsc_t;
typedef struct sc_action sc_action_t;

/* ------------------------------------------------------------------ roles */
typedef enum sc_role {
	ROLE_UNKNOWN = 0,
	ROLE_STOPPED,
	ROLE_STARTED,
	ROLE_UNPROMOTED,
	ROLE_PROMOTED,
} sc_role_t;

const char *sc_role_str(sc_role_t r);
sc_role_t sc_role_parse(const char *s);

/* ------------------------------------------------------------------ nodes */
struct sc_node {
	int index; /* position in sc->nodes */
	char *name, *id;
	const char *kind; /* "member", "remote" */
	bool online, unclean, pending, standby, standby_onfail, maintenance, shutdown;
	bool is_dc, expected_up, remote;
	bool fenced;         /* a fencing action is scheduled */
	bool failure_fenced; /* unclean because an operation failed there (on-fail=fence) */
	bool have_state;     /* has a node_state */
	char *fence_reason;
	int n_assigned;    /* resources assigned here so far (balancing) */
	GHashTable *attrs; /* name -> value, incl. built-ins */
	GHashTable *utilization;
	GHashTable *util_used; /* name -> GINT_TO_POINTER(used by assigned resources) */
	xmlNode *state;        /* node_state, may be NULL */
	vg_sched_node_view_t view;
};

/* -------------------------------------------------------------- resources */
typedef enum sc_rsc_kind {
	RSC_PRIMITIVE,
	RSC_GROUP,
	RSC_CLONE,
} sc_rsc_kind_t;

/* A configured operation (<op>) with op_defaults merged. */
typedef struct sc_op {
	char *name;
	guint interval_ms;
	guint timeout_ms;
	sc_role_t role; /* ROLE_UNKNOWN = any started role */
	bool enabled;
	bool duplicate; /* defined twice (name, interval): neither is scheduled */
	char *on_fail;  /* NULL = default for the op */
	char *id;
	GHashTable *meta;   /* op meta (name -> value) */
	GHashTable *params; /* op instance attributes */
} sc_op_t;

/* ---------------------------------------------------- operation history */
/*
 * The lrm history of the status section, unpacked into compact records
 * (sched_lrm.c) instead of kept as xmlNode pointers: a big cluster's
 * <status> is most of its CIB, and libxml2's tree of it is ten times the
 * size of these records.  Only what the scheduler reads is kept; strings
 * are interned in the store (digests, tasks and ids repeat across nodes).
 * Fields keep the spelling-sensitive raw strings where the scheduler
 * compares strings, and the parsed numbers where it parses them.
 */
typedef struct sc_lrm_op {
	const char *task;           /* operation, NULL when absent */
	const char *interval_s;     /* interval as written, NULL when absent */
	const char *rc_s;           /* rc-code as written, NULL when absent */
	const char *digest;         /* op-digest */
	const char *restart_digest; /* op-restart-digest */
	const char *force_restart;  /* op-force-restart */
	const char *feature_set;    /* crm_feature_set */
	const char *exit_reason;
	/* migrate_to/migrate_from entries: the two ends, else NULL */
	const char *migrate_source, *migrate_target;
	long call;              /* call-id (strtol), valid when has_call */
	guint interval_ms;      /* strtoul(interval) */
	int rc, status, expect; /* rc-code, op-status, the transition key's target rc */
	int last_rc_change;     /* atoi(last-rc-change), 0 when absent */
	int exec_ms, queue_ms;
	bool has_call;
	bool last_failure; /* id ends in _last_failure_0 */
} sc_lrm_op_t;

typedef struct sc_lrm_rsc {
	const char *id, *cls, *prov, *type;
	const char *shutdown_lock; /* NULL when absent */
	sc_lrm_op_t *ops;          /* document order */
	guint n_ops;
} sc_lrm_rsc_t;

/* The lrm_resource entries of one node_state (lrm/lrm_resources). */
typedef struct sc_lrm_node {
	sc_lrm_rsc_t *rscs;
	guint n_rscs, alloc;
} sc_lrm_node_t;

/* Records of many node_states, with their strings. */
typedef struct sc_lrm_store {
	GStringChunk *strings;
	GHashTable *by_state; /* node_state xmlNode * -> sc_lrm_node_t * */
} sc_lrm_store_t;

sc_lrm_store_t *sc_lrm_store_new(void);
void sc_lrm_store_free(sc_lrm_store_t *st);
/* Unpack the history under node_state `ns` into records kept under `key`
 * (the element that stands for it in the scheduled CIB). */
const sc_lrm_node_t *sc_lrm_store_add(sc_lrm_store_t *st, const void *key, const xmlNode *ns);
/* The same an lrm_resource at a time: an empty entry, then each element. */
sc_lrm_node_t *sc_lrm_node_new(sc_lrm_store_t *st, const void *key);
void sc_lrm_node_add(sc_lrm_store_t *st, sc_lrm_node_t *n, const xmlNode *lr);
const sc_lrm_node_t *sc_lrm_store_get(const sc_lrm_store_t *st, const void *key);
const char *sc_lrm_intern(sc_lrm_store_t *st, const char *s);

/* What the history says about the resource on one node. */
typedef struct sc_hist {
	sc_node_t *node;
	sc_role_t role; /* role there after replaying the history */
	bool failed;    /* last result was a failure needing recovery */
	bool failed_stop;
	bool start_failed; /* a failed start (start-failure-is-fatal) */
	bool probed;       /* an lrm_resource entry exists (known state) */
	bool reprobe;      /* its probe failed long enough ago: probe again */
	bool pending;
	bool saw_start; /* the history holds a start (or migrate_from) */
	const char *pending_task;
	char *on_fail; /* on-fail of the failed op */
	int fail_count;
	int raw_fail_count; /* before failure-timeout expiry */
	vg_time_t last_failure;
	GHashTable *recurring;         /* "task_interval" -> sc_lrm_op_t * (active recurring ops) */
	const sc_lrm_op_t *last_start; /* the last start / promote / migrate (digests) */
	const sc_lrm_rsc_t *lrm_rsc;
	const sc_lrm_op_t *last_failure_op; /* the <rsc>_last_failure_0 entry, may be NULL */
	bool digest_changed;
	bool reload_only;
	bool digest_quiet;    /* restart without "definition change" wording */
	bool type_changed;    /* agent class/provider/type differs from the history */
	bool expired_failure; /* failures there timed out: clear fail-count */
	vg_time_t lock_time;  /* lrm_resource shutdown-lock, 0 = none */
	bool lock_expired;    /* that lock is past shutdown-lock-limit: lrm_delete it */
} sc_hist_t;

struct sc_rsc {
	int index; /* position in sc->all */
	char *id;
	sc_rsc_kind_t kind;
	xmlNode *xml;  /* configuration element, NULL for orphans */
	xmlNode *tmpl; /* template, may be NULL */
	const char *cls, *prov, *type;
	sc_rsc_t *parent;
	GPtrArray *children; /* sc_rsc_t * */
	const char *base;    /* clone instances (and their members): the configured id */
	sc_rsc_t *clone;     /* the clone an instance (or its member) belongs to */
	int instance;        /* instance number, -1 outside clones */
	char *clone_name;    /* anonymous instances: the history name it was found under */
	GHashTable *meta;    /* name -> value */
	GHashTable *params;  /* instance attributes */
	GHashTable *utilization;
	GPtrArray *ops; /* sc_op_t * */

	/* meta attributes */
	int priority;
	int stickiness;
	int migration_threshold;
	guint failure_timeout; /* seconds, 0 = none */
	bool managed, maintenance, critical, orphan;
	bool is_fencing;       /* class stonith */
	sc_role_t target_role; /* ROLE_UNKNOWN when unset */
	const char *multiple_active;
	const char *requires; /* nothing, quorum, fencing, unfencing */
	bool promotable, unique, ordered, interleave;
	int clone_max, clone_node_max, promoted_max, promoted_node_max;

	/* status */
	GPtrArray *hist;     /* sc_hist_t *, node order */
	sc_hist_t **hist_at; /* the same by node index (NULL: none), see sc_hist() */
	guint n_hist_at;
	GPtrArray *running_on; /* sc_node_t * where active */
	sc_role_t role;        /* current role */
	bool failed;
	bool blocked; /* on-fail=block or unmanaged failure */
	bool pending;
	const char *pending_task;
	/* shutdown-lock: the node r is locked to (NULL: none) and since when;
	 * hist_lock is the lock found in the history (what status shows) */
	sc_node_t *lock_node, *hist_lock;
	vg_time_t lock_time;

	/* placement */
	GPtrArray *as_dep, *as_prim; /* sc_coloc_t * naming it (dependent / primary) */
	int *scores;                 /* per node index */
	sc_node_t *assigned;         /* chosen node, NULL = stopped */
	int assign_state;            /* 0 not yet, 1 in progress, 2 done */
	sc_role_t next_role;
	bool migrating;     /* live migration instead of stop + start */
	char *unmigratable; /* why a planned migration became stop + start, or NULL */
	bool promoted_done; /* promotable clones: roles chosen */
	/* interleaved clone instance: no instance of the clone it is ordered
	 * after is to be on its node, so it cannot start there */
	bool no_local_first;

	GPtrArray *actions; /* sc_action_t * of this resource, NULL when none */
	/* actions of this resource (NULL when none) */
	sc_action_t *start, *stop_first; /* the start on `assigned`; a stop (any node) */

	vg_sched_rsc_view_t view;
};

/* ------------------------------------------------------------ constraints */
typedef struct sc_location {
	char *id;
	sc_rsc_t *rsc;
	sc_role_t role;
	GArray *scores; /* int per node index, INT_MIN+1 = untouched */
	bool discovery_never, discovery_exclusive;
} sc_location_t;

typedef struct sc_coloc {
	char *id;
	sc_rsc_t *dep, *prim; /* dependent (rsc) placed relative to primary (with-rsc) */
	int score;
	sc_role_t dep_role, prim_role;
	char *node_attr; /* default #uname */
	bool influence;
	bool dep_group; /* the dependent named was a group (now its first member) */
} sc_coloc_t;

#define ORD_OPTIONAL      (1u << 0)
#define ORD_IMPLIES_THEN  (1u << 1) /* first required -> then required */
#define ORD_IMPLIES_FIRST (1u << 2) /* then required -> first required */
#define ORD_RUNNABLE_LEFT (1u << 3) /* then runnable only if first runnable */
#define ORD_SERIALIZE     (1u << 4)
#define ORD_ONE_OR_MORE   (1u << 5) /* then runnable if any first runnable */
#define ORD_SAME_NODE     (1u << 6) /* only between actions on the same node */
#define ORD_RESTART       (1u << 7) /* then (a start) required when first (stop) required */
#define ORD_INTERNAL      (1u << 8) /* between members of one group */
#define ORD_VIA_PSEUDO    (1u << 9) /* one-or-more through a clone-one-or-more pseudo action */
#define ORD_ASYMMETRICAL \
	(1u << 10) /* then cannot run when first cannot, unless it is already done */

/* An ordering between resource actions, before the actions exist. */
typedef struct sc_rsc_order {
	char *id;
	sc_rsc_t *first, *then;
	char *first_task, *then_task;
	unsigned flags;
	bool inverse; /* the stop/demote side of a symmetrical order */
} sc_rsc_order_t;

/* ---------------------------------------------------------------- actions */
#define ACT_PSEUDO   (1u << 0)
#define ACT_RUNNABLE (1u << 1)
#define ACT_OPTIONAL (1u << 2)
#define ACT_FENCE    (1u << 3)
#define ACT_CLUSTER  (1u << 4) /* crm_event other than stonith */
#define ACT_DUMPED   (1u << 5)
#define ACT_PROBE    (1u << 6)
#define ACT_CANCEL   (1u << 7)

struct sc_action {
	int id;    /* graph id, assigned when output */
	int seq;   /* creation order */
	char *key; /* rsc_task_interval */
	char *task;
	guint interval_ms;
	sc_rsc_t *rsc;   /* NULL for node actions */
	sc_node_t *node; /* NULL for pseudo actions */
	unsigned flags;
	sc_op_t *op; /* the configured op, may be NULL */
	char *reason;
	GHashTable *meta;  /* extra CRM_meta_* (name without prefix) -> value */
	int min_runnable;  /* one-or-more pseudo actions: inputs needed (0 = 1) */
	GPtrArray *before; /* sc_edge_t *: this action waits for these */
	GPtrArray *after;  /* sc_edge_t *: these wait for this action */
};

typedef struct sc_edge {
	sc_action_t *first, *then;
	unsigned flags;
} sc_edge_t;

/* ----------------------------------------------------------- the run */
struct sc {
	xmlNode *cib, *config, *status;
	/* lrm history records: `input`'s when scheduling a vg_sched_input_t
	 * (borrowed), else lrm_own's, filled from <status> as it is read */
	const sc_lrm_store_t *lrm_input;
	sc_lrm_store_t *lrm_own;
	vg_time_t now;
	vg_time_t recheck;
	vg_sched_options_t opts;
	GHashTable *id_index;
	GHashTable *config_opts; /* crm_config name -> value */

	/* cluster options */
	bool stonith_enabled, symmetric, stop_orphan_rsc, stop_orphan_actions;
	bool start_failure_fatal, maintenance_mode, startup_probes, stop_all;
	bool have_quorum, shutdown_lock;
	guint shutdown_lock_limit; /* seconds, 0 = until the node returns */
	const char *no_quorum_policy;
	const char *stonith_action;
	const char *placement_strategy;
	int default_stickiness;
	const char *dc_uuid;
	sc_node_t *dc;

	GPtrArray *nodes; /* sc_node_t *, configuration order */
	GHashTable *node_by_name, *node_by_id;
	GPtrArray *top; /* top-level sc_rsc_t * */
	GPtrArray *all; /* every sc_rsc_t * (parents before children) */
	GHashTable *rsc_by_id;
	GHashTable *clone_of; /* configured id inside a clone -> the clone */
	GHashTable *tags;     /* tag id -> GPtrArray of ids (char *) */

	GPtrArray *locations, *colocs, *rsc_orders;
	GHashTable *ticket_granted; /* ticket id -> "1" granted / "0" / standby "s" */

	GPtrArray *actions;        /* sc_action_t *, creation order */
	GHashTable *action_by_key; /* "key@node" -> action */
	GPtrArray *edges;

	GPtrArray *summary; /* char * */
	GString *scores;
	GPtrArray *failed_ops; /* vg_sched_failed_op_view_t * */
	xmlDoc *graph;
	vg_sched_cluster_view_t view;
	GPtrArray *strings; /* owned strings for views */
};

struct vg_sched_result {
	sc_t *sc;
};

/* ------------------------------------------------------------ stages */
int sc_unpack_options(sc_t *sc, vg_error_t *err);     /* sched_unpack.c */
int sc_unpack_nodes(sc_t *sc, vg_error_t *err);       /* sched_nodes.c */
int sc_unpack_resources(sc_t *sc, vg_error_t *err);   /* sched_resources.c */
int sc_unpack_status(sc_t *sc, vg_error_t *err);      /* sched_status.c */
int sc_unpack_constraints(sc_t *sc, vg_error_t *err); /* sched_constraints.c */
void sc_apply_locations(sc_t *sc);                    /* sched_placement.c */
void sc_assign(sc_t *sc);                             /* sched_placement.c */
void sc_create_actions(sc_t *sc);                     /* sched_actions.c */
void sc_create_fencing(sc_t *sc);                     /* sched_fencing.c */
void sc_order_actions(sc_t *sc);                      /* sched_ordering.c */
void sc_propagate(sc_t *sc);                          /* sched_ordering.c */
void sc_build_summary(sc_t *sc);                      /* sched_summary.c */
void sc_build_graph(sc_t *sc);                        /* sched_output.c */
void sc_build_view(sc_t *sc);                         /* sched_view.c */
void sc_free(sc_t *sc);                               /* sched_run.c */
int sc_run(xmlNode *cib_root, const sc_lrm_store_t *lrm, vg_time_t now,
           const vg_sched_options_t *opts, vg_sched_result_t **out, vg_error_t *err);

/* ------------------------------------------------------------ helpers */
/* sched_util.c */
const char *sc_str(sc_t *sc, char *s); /* keep s (g_malloc'd) alive as long as sc */
bool sc_true(const char *s);           /* Pacemaker boolean spelling */
int sc_score(const char *s, int dflt);
guint sc_ms(const char *s, guint dflt);
GHashTable *sc_strtable(void);
/* A copy of a per-node score array (never NULL, even with no nodes). */
int *sc_scores_dup(const sc_t *sc, const int *src);
void sc_rule_ctx(sc_t *sc, vg_rule_ctx_t *ctx, sc_node_t *node);
sc_node_t *sc_node(sc_t *sc, const char *name);
sc_rsc_t *sc_rsc(sc_t *sc, const char *id);
int sc_node_score(const sc_rsc_t *r, const sc_node_t *n);
bool sc_can_run(sc_t *sc, const sc_node_t *n); /* online, not unclean/standby... */

/* sched_actions.c */
sc_action_t *sc_action(sc_t *sc, sc_rsc_t *rsc, const char *task, guint interval_ms,
                       sc_node_t *node, unsigned flags);
sc_action_t *sc_find_action(sc_t *sc, sc_rsc_t *rsc, const char *task, guint interval_ms,
                            sc_node_t *node);
sc_action_t *sc_pseudo(sc_t *sc, const char *key, const char *task, sc_rsc_t *rsc);
/* A new action even when one of the same task exists there (takes key). */
sc_action_t *sc_action_new(sc_t *sc, char *key, const char *task, guint iv, sc_rsc_t *rsc,
                           sc_node_t *node, unsigned flags);
/* sched_notify.c: notifications of notify=true clones (after sc_propagate) */
void sc_create_notifications(sc_t *sc);
/* sched_constraints.c: a clone's clone-min meta attribute (0 = none) */
int sc_clone_min(const sc_rsc_t *c);
sc_action_t *sc_pseudo_node(sc_t *sc, const char *key);
void sc_order(sc_t *sc, sc_action_t *first, sc_action_t *then, unsigned flags);
void sc_require(sc_action_t *a, const char *reason);
void sc_unrunnable(sc_action_t *a);
char *sc_op_key(const char *rsc, const char *task, guint interval_ms);
sc_op_t *sc_find_op(sc_rsc_t *r, const char *name, guint interval_ms);

/* sched_status.c */
sc_hist_t *sc_hist(sc_rsc_t *r, sc_node_t *n);

/* sched_clone.c */
sc_rsc_t *sc_clone_history_rsc(sc_t *sc, const char *id, sc_node_t *n);
sc_rsc_t *sc_instance_lead(sc_rsc_t *inst);
void sc_clone_assign(sc_t *sc, sc_rsc_t *c);
bool sc_clone_on(const sc_rsc_t *c, const sc_node_t *n);
bool sc_quorum_demotes(const sc_t *sc);
void sc_clone_promote(sc_t *sc, sc_rsc_t *c);
bool sc_clone_role_on(const sc_rsc_t *c, const sc_node_t *n, sc_role_t role);
void sc_ban(sc_rsc_t *r, sc_node_t *n);

/* sched_placement.c */
void sc_assign_primitive(sc_t *sc, sc_rsc_t *r, sc_node_t *prefer);
void sc_pull_weights(sc_t *sc, sc_rsc_t *r, int *w);

/* sched_digest.c */
void sc_check_digests(sc_rsc_t *r, sc_hist_t *h);
bool sc_recurring_digest_ok(sc_rsc_t *r, const sc_op_t *op, const sc_lrm_op_t *rec);
bool sc_failure_digest_changed(sc_rsc_t *r, const sc_lrm_op_t *rec);

/* sched_status.c: the history records of node_state `ns` (NULL: none). */
const sc_lrm_node_t *sc_lrm_of(sc_t *sc, const xmlNode *ns);

#endif /* VIGIL_SCHED_PRIVATE_H */
