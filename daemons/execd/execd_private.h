/*
 * execd_private.h: the state of vigil-execd, shared by its files.
 *
 *   execd_main.c      options, logging, config, IPC server, main loop, exit
 *   execd_messages.c  one table from request type to handler
 *   execd_ops.c       resources, per-resource op queues, the node-wide
 *                     concurrency limit, recurring monitors, results
 *   execd_orphans.c   process groups of running agents recorded on disk so a
 *                     restarted execd kills what a crashed one left behind
 *
 * Invariants: per resource at most one agent runs (rsc->running); at most
 * max_children agents run on the node (active); every queued op is in exactly
 * one place (a resource's pending queue, or waiting on its own timer).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef VIGIL_EXECD_PRIVATE_H
#define VIGIL_EXECD_PRIVATE_H

#include <vigil/common.h>
#include <vigil/exec.h>

typedef struct execd execd_t;
typedef struct execd_rsc execd_rsc_t;
typedef struct execd_op execd_op_t;

struct execd {
	char *instance;
	char *run_dir;
	char *boot_id;
	GHashTable *rscs; /* id -> execd_rsc_t * */
	GQueue ready;     /* execd_rsc_t * with a pending op and nothing running */
	GPtrArray *conns; /* vg_ipc_conn_t * of connected clients */
	unsigned active;  /* agents running now */
	unsigned max_children;
	unsigned peak_active; /* highest `active` seen, for tests and logs */
	bool stopping;        /* exiting: start no more agents */
	int next_call_id;
	vg_exec_paths_t paths;
	vg_ipc_server_t *srv;
	GMainLoop *loop;
	GHashTable *meta_cache; /* "class:provider:type" -> valid meta-data XML */
	GSource *pump_src;      /* idle source that starts queued agents */
	GHashTable *groups;     /* pgid (GINT_TO_POINTER) of running agents */
	char *groups_path;
	bool groups_warned;
	GSource *groups_src; /* pending write of groups_path */
};

struct execd_rsc {
	execd_t *d;
	char *id, *klass, *provider, *type;
	GHashTable *params, *meta;
	GQueue pending; /* execd_op_t * in arrival order */
	execd_op_t *running;
	bool in_ready;
	bool removed;         /* unregistered; freed once nothing runs */
	GPtrArray *recurring; /* execd_op_t * with interval > 0 */
	GPtrArray *delayed;   /* one-shot execd_op_t * waiting for their start-delay */
};

struct execd_op {
	execd_rsc_t *rsc;
	int call_id;
	char *action;
	uint64_t interval_ms, timeout_ms, start_delay_ms;
	GHashTable *params; /* per-op parameters (OCF_CHECK_LEVEL, ...) */
	char *user_data;
	vg_ipc_conn_t *owner; /* NULL once the owner disconnected */
	int64_t queued_us;    /* when it entered the pending queue */
	GSource *timer;       /* start-delay or next interval */
	vg_exec_child_t *child;
	bool queued; /* in rsc->pending */
	bool cancelled;
	/* recurring: report only on change */
	bool ran;
	bool report_next;
	int last_rc;
	vg_op_status_t last_status;
	vg_time_t last_rc_change;
};

/* execd_ops.c */
execd_t *execd_new(const char *instance, const char *run_dir, unsigned max_children);
void execd_free(execd_t *d);
/* Returns the resource, creating or updating it (takes the tables). */
execd_rsc_t *execd_rsc_register(execd_t *d, const char *id, const char *klass, const char *provider,
                                const char *type, GHashTable *params, GHashTable *meta);
int execd_rsc_unregister(execd_t *d, const char *id);
/* Queue an op (takes params); returns its call id (> 0). */
int execd_op_submit(execd_t *d, execd_rsc_t *rsc, const char *action, uint64_t interval_ms,
                    uint64_t timeout_ms, uint64_t start_delay_ms, GHashTable *params,
                    const char *user_data, vg_ipc_conn_t *owner);
execd_op_t *execd_recurring_find(execd_rsc_t *rsc, const char *action, uint64_t interval_ms);
void execd_recurring_cancel(execd_op_t *op);
void execd_conn_closed(execd_t *d, vg_ipc_conn_t *conn);
/* Kill every running agent's process group (exit path). */
void execd_kill_all(execd_t *d);

/* execd_messages.c */
void execd_on_request(vg_ipc_conn_t *conn, const vg_msg_t *req, void *data);
void execd_on_closed(vg_ipc_conn_t *conn, void *data);

/* execd_orphans.c */
void execd_groups_add(execd_t *d, pid_t pgid);
void execd_groups_remove(execd_t *d, pid_t pgid);
/* Kill the groups a previous execd of this instance left running. */
void execd_groups_reap_stale(execd_t *d);

#endif
