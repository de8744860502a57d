/*
 * libvigil-exec: running things on this node.
 *
 * Sections, each implemented in lib/exec/exec_<topic>.c:
 *   child     child processes: clean environment, own process group, stdin
 *             data, timeout -> SIGTERM to the group -> SIGKILL after a grace
 *             period, bounded stdout/stderr tails, every child reaped; results
 *             on the GMainLoop or blocking (exec_child.c)
 *   codes     OCF return codes, operation status, LSB mapping (exec_codes.c)
 *   agent     agent standards: where an OCF/LSB agent lives, its argv and
 *             environment, running one operation and mapping its exit
 *             (exec_agent.c, exec_ocf.c, exec_lsb.c)
 *   meta      agent meta-data XML parsed into parameters and actions (exec_meta.c)
 *   client    the vigil-execd client API for vigil-ctld, tools and tests
 *             (exec_client.c); the wire format is in exec_proto.c
 *
 * The library never holds cluster state and never decides policy: it runs
 * what it is told and reports what happened.  The stonith class is refused
 * here (vigil-fenced runs fence agents, using the child API below).
 *
 * Memory model: glib allocation; every function returning memory says who
 * frees it.  Errors: 0 or a negative VG_E* code plus an optional vg_error_t.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef VIGIL_EXEC_H
#define VIGIL_EXEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <glib.h>
#include <vigil/common.h>

/* ------------------------------------------------------------------- child */
/*
 * One child process.  The child runs in its own process group (setpgid), with
 * exactly the environment given, stdin from `stdin_data` (or /dev/null), cwd
 * "/" unless told otherwise, all other fds closed, default signal dispositions
 * and mask, and PR_SET_PDEATHSIG=SIGKILL so it does not outlive the process
 * that spawned it.  At the timeout the whole group gets SIGTERM, and SIGKILL
 * `kill_grace_ms` later if anything in the group is still alive; the result
 * then says VG_CHILD_TIMEDOUT.  When the group leader exits normally,
 * processes it left in the background are NOT killed (agents start daemons).
 * Only the tail of each output stream is kept (`capture_max` bytes).
 * PR_SET_PDEATHSIG follows the spawning *thread*: spawn from a thread that
 * lives as long as the process (the main loop's), or children die early.
 */
#define VG_CHILD_GRACE_MS_DEFAULT 5000u
#define VG_CHILD_CAPTURE_DEFAULT  (64u * 1024)

typedef struct vg_exec_child vg_exec_child_t;

typedef struct vg_child_spec {
	const char *path;       /* program to execve(); not searched in PATH */
	char *const *argv;      /* NULL-terminated; NULL means { path, NULL } */
	char *const *envp;      /* NULL-terminated; the child's whole environment
	                           (NULL = empty environment) */
	const char *stdin_data; /* written to the child's stdin, then closed; NULL = /dev/null */
	size_t stdin_len;
	const char *cwd;        /* NULL = "/" */
	uint64_t timeout_ms;    /* 0 = no timeout */
	uint64_t kill_grace_ms; /* SIGTERM -> SIGKILL delay; 0 = VG_CHILD_GRACE_MS_DEFAULT */
	size_t capture_max; /* bytes of each stream kept (the tail); 0 = VG_CHILD_CAPTURE_DEFAULT */
} vg_child_spec_t;

typedef enum vg_child_status {
	VG_CHILD_EXITED = 0,  /* exited; exit_code valid */
	VG_CHILD_SIGNALED,    /* killed by a signal it did not get from us; signo valid */
	VG_CHILD_TIMEDOUT,    /* killed by us at its timeout */
	VG_CHILD_CANCELLED,   /* killed by vg_exec_child_cancel() */
	VG_CHILD_EXEC_FAILED, /* fork or execve failed; exec_errno valid (ENOENT, EACCES, ...) */
} vg_child_status_t;

typedef struct vg_child_result {
	vg_child_status_t status;
	int exit_code;   /* VG_CHILD_EXITED */
	int signo;       /* VG_CHILD_SIGNALED (and the fatal signal for TIMEDOUT/CANCELLED) */
	int exec_errno;  /* VG_CHILD_EXEC_FAILED */
	pid_t pid;       /* the child's pid (= its process group id); 0 if never forked */
	uint64_t run_ms; /* wall time from fork to reap */
	char *out;       /* NUL-terminated tail of stdout (owned by the result) */
	size_t out_len;
	bool out_truncated;
	char *err; /* NUL-terminated tail of stderr */
	size_t err_len;
	bool err_truncated;
} vg_child_result_t;

/* Called once on the GMainContext the child was spawned from; `res` is
 * borrowed for the call (steal res->out/err by setting them NULL).  The
 * child handle is freed after the callback returns. */
typedef void (*vg_child_done_fn)(vg_child_result_t *res, void *data);

/*
 * Start a child and report on the thread-default GMainContext.  On success
 * *out (may be NULL) is a borrowed handle valid until `done` has run.
 * An execve() failure is NOT an error here: it is reported through `done`
 * with VG_CHILD_EXEC_FAILED.  Errors: VG_EINVAL (bad spec), VG_EIO (pipe or
 * fork failed; `done` is not called).
 */
int vg_exec_child_spawn(const vg_child_spec_t *spec, vg_child_done_fn done, void *data,
                        vg_exec_child_t **out, vg_error_t *err);
/* Kill the child's group (SIGTERM, SIGKILL after the grace); `done` runs
 * later with VG_CHILD_CANCELLED.  No-op once the child is being reaped. */
void vg_exec_child_cancel(vg_exec_child_t *c);
/* SIGKILL the child's whole group now, e.g. from a daemon's exit path; `done`
 * still runs if the main loop runs again. */
void vg_exec_child_kill(vg_exec_child_t *c);
pid_t vg_exec_child_pid(const vg_exec_child_t *c);

/*
 * Blocking variant for tools and tests: spawn, run a private main context
 * until done, fill *res (free with vg_exec_result_clear()).  Same errors as
 * vg_exec_child_spawn; execve failure is reported in res, return 0.
 */
int vg_exec_child_run(const vg_child_spec_t *spec, vg_child_result_t *res, vg_error_t *err);
void vg_exec_result_clear(vg_child_result_t *res);
/* "exited with 3", "killed by SIGSEGV", "timed out", ... into buf. Returns buf. */
const char *vg_exec_child_describe(const vg_child_result_t *res, char *buf, size_t len);

/* ------------------------------------------------------------------- codes */
/* OCF return codes (the OCF resource agent API); LSB start/stop codes share 0-7. */
enum vg_ocf_rc {
	VG_OCF_SUCCESS = 0,
	VG_OCF_ERR_GENERIC = 1,
	VG_OCF_ERR_ARGS = 2,
	VG_OCF_ERR_UNIMPLEMENTED = 3,
	VG_OCF_ERR_PERM = 4,
	VG_OCF_ERR_INSTALLED = 5,
	VG_OCF_ERR_CONFIGURED = 6,
	VG_OCF_NOT_RUNNING = 7,
	VG_OCF_RUNNING_PROMOTED = 8,
	VG_OCF_FAILED_PROMOTED = 9,
	VG_OCF_DEGRADED = 190,
	VG_OCF_DEGRADED_PROMOTED = 191,
};

/*
 * Operation status: did the operation run and finish (then rc says how)?
 * Numbers are the ones Pacemaker writes as op-status in the CIB, so CIBs
 * stay interchangeable.
 */
typedef enum vg_op_status {
	VG_OP_PENDING = -1,
	VG_OP_DONE = 0,          /* ran to completion; rc is the agent's (mapped) code */
	VG_OP_CANCELLED = 1,     /* cancelled (recurring op cancelled, resource removed) */
	VG_OP_TIMEDOUT = 2,      /* killed at its timeout */
	VG_OP_NOT_SUPPORTED = 3, /* class or action not supported (e.g. stonith here) */
	VG_OP_ERROR = 4,         /* could not run or produced garbage (rc out of range, crash) */
	VG_OP_NOT_INSTALLED = 7, /* agent missing or not executable */
	VG_OP_NOT_CONNECTED = 8, /* execd went away before the result */
	VG_OP_INVALID = 9,       /* request invalid (unknown resource, bad action) */
} vg_op_status_t;

/* Static names: "ok", "not running", "degraded (promoted)", ...; "unknown" otherwise. */
const char *vg_exec_ocf_rc_name(int rc);
/* "done", "timed out", "cancelled", "error", "not installed", ... */
const char *vg_exec_op_status_name(vg_op_status_t s);
/* True for the rc values the OCF standard defines (0-9, 190, 191). */
bool vg_exec_ocf_rc_known(int rc);
/* Map an LSB init script exit code for `action` to an OCF rc
 * (status: 0 running, 1-3 not running, else generic error). */
int vg_exec_lsb_rc_to_ocf(const char *action, int exit_code);

/* ------------------------------------------------------------------- agent */
/*
 * Agent standards.  Classes: "ocf" (provider required), "lsb" (init scripts
 * in /etc/init.d).  "stonith" is refused with VG_OP_NOT_SUPPORTED.  Agent
 * locations honour OCF_ROOT (default /usr/lib/ocf) and, for tests,
 * VIGIL_LSB_DIR (default /etc/init.d), unless vg_exec_paths_t says otherwise.
 */
typedef struct vg_exec_paths {
	const char *ocf_root; /* NULL = $OCF_ROOT or /usr/lib/ocf */
	const char *lsb_dir;  /* NULL = $VIGIL_LSB_DIR or /etc/init.d */
	const char
	    *libexec_dir; /* first on agents' PATH; NULL = $VIGIL_LIBEXEC_DIR or VG_LIBEXECDIR */
} vg_exec_paths_t;

typedef struct vg_exec_agent_op {
	const char *rsc_id;           /* OCF_RESOURCE_INSTANCE */
	const char *klass;            /* "ocf", "lsb" */
	const char *provider;         /* ocf only */
	const char *type;             /* agent name */
	const char *action;           /* start, stop, monitor, promote, demote, notify, reload,
	                                 reload-agent, migrate_to, migrate_from, meta-data,
	                                 validate-all (LSB: start, stop, status/monitor, restart,
	                                 force-reload, meta-data) */
	GHashTable *params;           /* name -> value, OCF_RESKEY_<name>; may be NULL */
	GHashTable *meta;             /* name -> value, OCF_RESKEY_CRM_meta_<name>; may be NULL */
	uint64_t timeout_ms;          /* also exported as OCF_RESKEY_CRM_meta_timeout */
	uint64_t interval_ms;         /* OCF_RESKEY_CRM_meta_interval */
	const vg_exec_paths_t *paths; /* may be NULL */
	size_t capture_max;           /* 0 = default; meta-data gets at least 1 MiB */
	char *const *extra_env;       /* more "NAME=value" entries (NULL-terminated); may be NULL */
} vg_exec_agent_op_t;

typedef struct vg_exec_agent_result {
	int rc; /* OCF rc (LSB mapped); VG_OCF_ERR_GENERIC unless status DONE */
	vg_op_status_t status;
	int exit_code; /* raw exit code, -1 when the agent did not exit */
	uint64_t exec_ms;
	char *exit_reason;  /* last `ocf-exit-reason:` line of stderr, or our reason; may be NULL */
	char *out;          /* stdout tail (meta-data: the document) */
	char *err;          /* stderr tail */
	bool out_truncated; /* stdout was longer than the capture limit */
} vg_exec_agent_result_t;

typedef void (*vg_exec_agent_done_fn)(vg_exec_agent_result_t *res, void *data);

/*
 * Full path of the agent's executable (g_malloc'd), or NULL with
 * VG_ENOENT (not there), VG_ENOTSUP (class refused), VG_EINVAL (bad name:
 * names never contain '/' or start with '.').
 */
char *vg_exec_agent_path(const char *klass, const char *provider, const char *type,
                         const vg_exec_paths_t *paths, vg_error_t *err);
/* The clean environment for an operation (NULL-terminated; g_strfreev()). */
char **vg_exec_agent_env(const vg_exec_agent_op_t *op);
/*
 * Run one agent operation.  Everything that goes wrong (missing agent,
 * no execute bit, timeout, signal, exit code outside the standard, stonith
 * class) becomes a result, not an error; `done` is always called, possibly
 * before this returns.  *child (may be NULL) gets the running child, or NULL
 * when `done` already ran.
 */
void vg_exec_agent_run(const vg_exec_agent_op_t *op, vg_exec_agent_done_fn done, void *data,
                       vg_exec_child_t **child);
/* Blocking variant; free with vg_exec_agent_result_clear(). */
void vg_exec_agent_run_sync(const vg_exec_agent_op_t *op, vg_exec_agent_result_t *res);
void vg_exec_agent_result_clear(vg_exec_agent_result_t *res);
/* The last "ocf-exit-reason:" message in text (g_malloc'd), NULL when none. */
char *vg_exec_exit_reason(const char *text);

/* Agents of a class ("ocf", "ocf:heartbeat", "lsb"): sorted "ocf:heartbeat:Dummy"
 * strings (g_ptr_array_unref()); providers with klass "ocf" and no provider. */
GPtrArray *vg_exec_agent_list(const char *klass, const char *provider,
                              const vg_exec_paths_t *paths);
/* OCF providers (sorted, g_ptr_array_unref()). */
GPtrArray *vg_exec_provider_list(const vg_exec_paths_t *paths);

/* -------------------------------------------------------------------- meta */
typedef struct vg_ra_param {
	char *name;
	char *type;          /* "string", "integer", "boolean", ... ("string" when absent) */
	char *default_value; /* NULL when none */
	char *shortdesc;     /* may be NULL */
	bool required;
	bool unique;
	bool reloadable;
} vg_ra_param_t;

typedef struct vg_ra_action {
	char *name;
	uint64_t timeout_ms; /* 0 when not given */
	uint64_t interval_ms;
	char *role; /* NULL when not given */
	int depth;  /* OCF_CHECK_LEVEL, 0 when not given */
} vg_ra_action_t;

typedef struct vg_ra_meta {
	char *name;
	char *version;
	char *shortdesc;
	char *longdesc;
	GPtrArray *params;  /* vg_ra_param_t * */
	GPtrArray *actions; /* vg_ra_action_t * */
} vg_ra_meta_t;

/* Limits on agent meta-data: anything bigger or deeper is VG_ETOOBIG. */
#define VG_RA_META_MAX_SIZE (1024u * 1024)

/*
 * Parse a <resource-agent> document (safely: vg_xml_parse with tight limits).
 * Garbage, a different root, or parameters without names are VG_EPARSE;
 * free *out with vg_exec_meta_free().
 */
int vg_exec_meta_parse(const char *buf, size_t len, vg_ra_meta_t **out, vg_error_t *err);
void vg_exec_meta_free(vg_ra_meta_t *m);
const vg_ra_action_t *vg_exec_meta_action(const vg_ra_meta_t *m, const char *name);
const vg_ra_param_t *vg_exec_meta_param(const vg_ra_meta_t *m, const char *name);

/*
 * Cache of parsed meta-data keyed by "class:provider:type", filled by
 * running the agent's meta-data action (blocking, bounded by timeout_ms).
 * The cache owns the metas; vg_exec_meta_cache_get returns a borrowed pointer
 * valid until the cache is freed.
 */
typedef struct vg_exec_meta_cache vg_exec_meta_cache_t;
vg_exec_meta_cache_t *vg_exec_meta_cache_new(const vg_exec_paths_t *paths);
void vg_exec_meta_cache_free(vg_exec_meta_cache_t *c);
int vg_exec_meta_cache_get(vg_exec_meta_cache_t *c, const char *klass, const char *provider,
                           const char *type, const vg_ra_meta_t **out, vg_error_t *err);
/* Run the meta-data action and return the raw XML (g_malloc'd) in *xml. */
int vg_exec_meta_fetch(const char *klass, const char *provider, const char *type,
                       const vg_exec_paths_t *paths, char **xml, vg_error_t *err);

/* ------------------------------------------------------------------ client */
/*
 * vigil-execd client ("execd" service of an instance).  Requests are
 * synchronous (they return once execd accepted them); operation results
 * arrive later as events, either through a callback on the GMainLoop
 * (vg_exec_client_attach) or pulled with vg_exec_client_next_event.
 *
 * Restart detection: every execd process has a boot id (`vg_exec_client_info`);
 * when it changes, or execd says it is empty (no resources registered),
 * everything the client believed about this node's resources is stale and
 * the controller re-probes.  A lost connection produces one
 * VG_EXEC_EV_DISCONNECTED event (attached clients notice a dead execd
 * within about a second); after it, free the client and connect again.
 *
 * Results go to every connected client; user_data (or the call id) tells a
 * client which are its own.  Recurring operations belong to the connection
 * that asked for them and are cancelled when it closes.
 */
typedef struct vg_exec_client vg_exec_client_t;

typedef struct vg_exec_rsc {
	const char *id;
	const char *klass;
	const char *provider; /* NULL unless ocf */
	const char *type;
	GHashTable *params; /* name -> value; may be NULL */
	GHashTable *meta;   /* name -> value; may be NULL */
} vg_exec_rsc_t;

typedef struct vg_exec_op {
	const char *rsc_id;
	const char *action;
	uint64_t interval_ms;    /* > 0: recurring (monitor); reported on change */
	uint64_t timeout_ms;     /* 0 = 20 s */
	uint64_t start_delay_ms; /* wait this long before the first run */
	GHashTable *params;      /* per-op overrides (e.g. OCF_CHECK_LEVEL); may be NULL */
	const char *user_data;   /* echoed in every result (the transition key); may be NULL */
} vg_exec_op_t;

typedef enum vg_exec_event_type {
	VG_EXEC_EV_RESULT = 0,   /* an operation finished (or a recurring one changed) */
	VG_EXEC_EV_DISCONNECTED, /* the connection to execd is gone */
} vg_exec_event_type_t;

typedef struct vg_exec_event {
	vg_exec_event_type_t type;
	char *rsc_id;
	char *action;
	uint64_t interval_ms;
	int call_id;
	int rc; /* OCF rc */
	vg_op_status_t status;
	uint64_t exec_ms;         /* time the agent ran */
	uint64_t queue_ms;        /* time the op waited (start-delay excluded) */
	vg_time_t run_at;         /* when the agent was started */
	vg_time_t last_rc_change; /* when (rc, status) last differed for this op */
	char *exit_reason;        /* may be NULL */
	char *out;                /* stdout tail, may be NULL */
	char *err;                /* stderr tail, may be NULL */
	char *user_data;          /* as given in vg_exec_op_t, may be NULL */
} vg_exec_event_t;

typedef void (*vg_exec_event_fn)(const vg_exec_event_t *ev, void *data);

typedef struct vg_exec_info {
	char *boot_id;         /* changes with every execd process (g_free) */
	unsigned n_resources;  /* 0 right after a (re)start: "empty" */
	unsigned n_active;     /* agent processes running now */
	unsigned max_children; /* node-wide concurrency limit */
} vg_exec_info_t;

typedef struct vg_exec_recurring {
	char *rsc_id;
	char *action;
	uint64_t interval_ms;
	int call_id;
	int last_rc; /* -1 before the first run */
} vg_exec_recurring_t;

/* Connect to vigil-execd of `instance` (NULL = vg_ipc_default_instance()).
 * NULL with err set (VG_ENOTCONN when execd is not running). */
vg_exec_client_t *vg_exec_client_connect(const char *instance, vg_error_t *err);
void vg_exec_client_free(vg_exec_client_t *c);
/* Deliver events through `fn` on the thread-default GMainContext. */
void vg_exec_client_attach(vg_exec_client_t *c, vg_exec_event_fn fn, void *data);
/* Pull one event (timeout_ms -1 waits); *ev freed with vg_exec_event_free().
 * VG_ETIMEDOUT when none arrived, VG_ENOTCONN after a disconnect. */
int vg_exec_client_next_event(vg_exec_client_t *c, vg_exec_event_t **ev, int timeout_ms,
                              vg_error_t *err);
void vg_exec_event_free(vg_exec_event_t *ev);

int vg_exec_client_info(vg_exec_client_t *c, vg_exec_info_t *info, vg_error_t *err);
void vg_exec_info_clear(vg_exec_info_t *info);
/* Register (or update) a resource.  VG_ENOTSUP for stonith, VG_EINVAL for
 * missing class/type/provider. */
int vg_exec_client_register(vg_exec_client_t *c, const vg_exec_rsc_t *rsc, vg_error_t *err);
/* Forget a resource; cancels its recurring ops (VG_ENOENT when unknown). */
int vg_exec_client_unregister(vg_exec_client_t *c, const char *rsc_id, vg_error_t *err);
/* Queue an operation; *call_id (may be NULL) identifies its results. */
int vg_exec_client_run(vg_exec_client_t *c, const vg_exec_op_t *op, int *call_id, vg_error_t *err);
/* Cancel a recurring op (rsc, action, interval); a VG_OP_CANCELLED result
 * event follows.  VG_ENOENT when there is no such op. */
int vg_exec_client_cancel(vg_exec_client_t *c, const char *rsc_id, const char *action,
                          uint64_t interval_ms, vg_error_t *err);
/* Ask a recurring op to report its next result even if unchanged. */
int vg_exec_client_refresh(vg_exec_client_t *c, const char *rsc_id, const char *action,
                           uint64_t interval_ms, vg_error_t *err);
/* Active recurring ops: *out is a GPtrArray of vg_exec_recurring_t * that
 * frees its elements (g_ptr_array_unref()). */
int vg_exec_client_list_recurring(vg_exec_client_t *c, GPtrArray **out, vg_error_t *err);

/* Convert between events and messages (exec_proto.c; execd and the client). */
vg_msg_t *vg_exec_event_to_msg(const vg_exec_event_t *ev);
int vg_exec_event_from_msg(const vg_msg_t *m, vg_exec_event_t **out, vg_error_t *err);

#endif /* VIGIL_EXEC_H */
