/*
 * libvigil-fencing: fencing devices, agents, plugins, topology, history,
 * and the client API of vigil-fenced.
 *
 * Sections, each implemented in lib/fencing/fencing_<topic>.c:
 *   actions   action names (reboot, off, on, status, monitor, list, metadata)
 *   device    one CIB stonith primitive: agent kind, parameters, pcmk_* host
 *             handling, delays, per-action overrides (fencing_device.c)
 *   config    everything fencing reads from the CIB: devices, fencing-topology,
 *             cluster options, node attributes (fencing_config.c)
 *   topology  which levels/devices may fence a target (fencing_topology.c)
 *   run       one device operation, whatever the agent kind:
 *               fence-agents (/usr/sbin/fence_*; key=value lines on stdin),
 *               cluster-glue external plugins (params in the environment,
 *               operation as argv[1]), native libcurl plugins "vigil-redfish"
 *               and "vigil-http" (fencing_run.c, fencing_agent.c,
 *               fencing_external.c, fencing_redfish.c, fencing_http.c)
 *   engine    a fencing request from start to result: delays, topology
 *             levels in order, every device of a level, `off` confirmed by
 *             status, history (fencing_engine.c, fencing_history.c)
 *   client    talking to vigil-fenced (fencing_client.c, fencing_proto.c)
 *
 * vigil-fenced shares results and history with the other fencers of the
 * partition and delegates self-fencing to a peer (daemons/fenced/fenced_peers.c).
 *
 * Never: scheduling or deciding *whether* to fence; that is the controller's.
 * A request only ever succeeds on a successful device answer.
 *
 * How vigil-fenced learns the configuration: vigil-ctld pushes the CIB (the
 * whole <cib>, or just its <configuration>) with vg_fence_client_set_config()
 * at connect time and whenever the configuration changes.  fenced takes
 * devices (primitives class="stonith", also inside groups/clones), the
 * fencing-topology, the cluster options stonith-timeout and
 * priority-fencing-delay, and node attributes (from <nodes>) from it.  For
 * tests and standalone use, `vigil-fenced --cib FILE` reads a file instead.
 *
 * Memory model: glib allocation; every function returning memory says who
 * frees it.  Errors: 0 or a negative VG_E* code plus an optional vg_error_t.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef VIGIL_FENCING_H
#define VIGIL_FENCING_H

#include <stdbool.h>
#include <stdint.h>

#include <glib.h>
#include <vigil/common.h>

/* ----------------------------------------------------------------- actions */
typedef enum vg_fence_action {
	VG_FENCE_REBOOT = 0,
	VG_FENCE_OFF,
	VG_FENCE_ON,
	VG_FENCE_STATUS,   /* device op: is this port on? */
	VG_FENCE_MONITOR,  /* device op: is the device reachable? */
	VG_FENCE_LIST,     /* device op: which ports/hosts does it control? */
	VG_FENCE_METADATA, /* device op: agent self-description */
	VG_FENCE_N_ACTIONS,
} vg_fence_action_t;

/* "reboot", "off", ...; never NULL. */
const char *vg_fence_action_name(vg_fence_action_t a);
/* Parse an action name; "reset" is taken as reboot.  VG_EINVAL otherwise. */
int vg_fence_action_parse(const char *s, vg_fence_action_t *out);

/* ------------------------------------------------------------------ device */
typedef enum vg_fence_kind {
	VG_FENCE_KIND_AGENT = 0, /* fence-agents: type "fence_*" */
	VG_FENCE_KIND_EXTERNAL,  /* cluster-glue: type "external/NAME" */
	VG_FENCE_KIND_NATIVE,    /* built in: "vigil-redfish", "vigil-http" */
} vg_fence_kind_t;

typedef enum vg_fence_host_check {
	VG_FENCE_CHECK_STATIC = 0, /* pcmk_host_list / pcmk_host_map decide */
	VG_FENCE_CHECK_DYNAMIC,    /* ask the device (list action) */
	VG_FENCE_CHECK_STATUS,     /* ask the device about the port (status action) */
	VG_FENCE_CHECK_NONE,       /* the device can fence every node */
} vg_fence_host_check_t;

typedef struct vg_fence_device {
	char *id;
	char *agent; /* the primitive's type */
	vg_fence_kind_t kind;
	GHashTable *params;   /* every instance attribute, pcmk_* included */
	GPtrArray *host_list; /* char *: pcmk_host_list, empty when unset */
	GHashTable *host_map; /* node -> port from pcmk_host_map */
	vg_fence_host_check_t host_check;
	uint64_t delay_base_ms; /* pcmk_delay_base */
	uint64_t delay_max_ms;  /* pcmk_delay_max (random delay up to it) */
	int action_limit;       /* pcmk_action_limit (1 default, -1 unlimited) */
	int priority;           /* meta priority: order among devices of a level */
	/* per-action overrides: action to send the agent, and timeout (0 = default) */
	char *action_override[VG_FENCE_N_ACTIONS];
	uint64_t timeout_ms[VG_FENCE_N_ACTIONS];
	uint64_t monitor_interval_ms; /* op monitor interval (0 = no recurring monitor) */
	bool disabled;                /* target-role=Stopped */
} vg_fence_device_t;

/*
 * Build a device from a <primitive class="stonith"> element (instance and
 * meta attributes unpacked with vg_nvset_unpack, id-refs followed through
 * idx, which may be NULL).  *out freed with vg_fence_device_free().
 * Errors: VG_ECONFIG (wrong class, missing type, malformed pcmk_host_map,
 * bad delay or timeout), naming the device.
 */
int vg_fence_device_from_xml(const xmlNode *primitive, GHashTable *idx, vg_fence_device_t **out,
                             vg_error_t *err);
void vg_fence_device_free(vg_fence_device_t *d);
/* The port for target: host map entry, else the node name itself (g_malloc'd). */
char *vg_fence_device_port(const vg_fence_device_t *d, const char *target);
/* Statically known to fence target (host map, host list, or check "none")?
 * For dynamic-list/status the caller asks the device; this returns false then. */
bool vg_fence_device_static_match(const vg_fence_device_t *d, const char *target);
/* Timeout for an action: pcmk_<action>_timeout, else default_ms. */
uint64_t vg_fence_device_timeout(const vg_fence_device_t *d, vg_fence_action_t a,
                                 uint64_t default_ms);
/* Action name the agent gets for a (pcmk_<action>_action or the name). Borrowed. */
const char *vg_fence_device_agent_action(const vg_fence_device_t *d, vg_fence_action_t a);

/* ------------------------------------------------------------------ config */
typedef enum vg_fence_level_kind {
	VG_FENCE_LEVEL_NODE = 0,  /* target="node1" */
	VG_FENCE_LEVEL_PATTERN,   /* target-pattern="node[0-9]+" (POSIX ERE) */
	VG_FENCE_LEVEL_ATTRIBUTE, /* target-attribute="rack" target-value="r1" */
} vg_fence_level_kind_t;

typedef struct vg_fence_level {
	char *id;
	vg_fence_level_kind_t kind;
	char *target;       /* node name, pattern, or attribute name */
	char *value;        /* attribute value (ATTRIBUTE only) */
	int index;          /* 1..9; tried in increasing order */
	GPtrArray *devices; /* char *: device ids, all must succeed */
} vg_fence_level_t;

typedef struct vg_fence_config {
	GPtrArray *devices;                 /* vg_fence_device_t * in CIB order */
	GPtrArray *levels;                  /* vg_fence_level_t * in CIB order */
	GHashTable *node_attrs;             /* node -> (GHashTable name -> value) from <nodes> */
	uint64_t stonith_timeout_ms;        /* stonith-timeout, default 60 s */
	uint64_t priority_fencing_delay_ms; /* priority-fencing-delay, default 0 */
	bool stonith_enabled;               /* stonith-enabled, default true */
} vg_fence_config_t;

/*
 * Read fencing configuration from a <cib> or <configuration> element.
 * Devices that fail to build are skipped and named in *warnings (may be
 * NULL; a GPtrArray of g_malloc'd sentences the caller unrefs).
 * Errors: VG_ECONFIG when the document is not a CIB or a topology level is
 * malformed.  *out freed with vg_fence_config_free().
 */
int vg_fence_config_from_cib(const xmlNode *cib, vg_fence_config_t **out, GPtrArray **warnings,
                             vg_error_t *err);
int vg_fence_config_load_file(const char *path, vg_fence_config_t **out, vg_error_t *err);
vg_fence_config_t *vg_fence_config_new_empty(void);
void vg_fence_config_free(vg_fence_config_t *c);
/* Borrowed device with this id, NULL when none. */
vg_fence_device_t *vg_fence_config_device(const vg_fence_config_t *c, const char *id);

/* ---------------------------------------------------------------- topology */
/*
 * The levels that apply to target, in the order to try them (borrowed
 * pointers; g_ptr_array_unref() the array).  Empty when the target has no
 * topology: the caller then uses every device able to fence the target.
 */
GPtrArray *vg_fence_topology_levels(const vg_fence_config_t *c, const char *target);

/* --------------------------------------------------------------------- run */
/* Outcome of one device operation. */
typedef struct vg_fence_op_result {
	int rc;        /* 0 = the device answered success; VG_EFAILED device said no or
	                  failed; VG_ETIMEDOUT hung and killed; VG_ENOENT agent missing;
	                  VG_EPERM credentials refused; VG_ENOTCONN switch unreachable;
	                  VG_ENOTSUP action unsupported; VG_ECONFIG bad parameters */
	bool power_on; /* status: the port is on (valid when rc == 0) */
	char *reason;  /* one sentence when rc != 0 (g_malloc'd, owned by the result) */
	char *output;  /* agent stdout / list output / metadata (owned), may be NULL */
	uint64_t run_ms;
} vg_fence_op_result_t;

void vg_fence_op_result_clear(vg_fence_op_result_t *r);

/* Called once on the thread-default GMainContext of the caller; r borrowed
 * (steal fields by setting them NULL). */
typedef void (*vg_fence_op_done_fn)(vg_fence_op_result_t *r, void *data);

typedef struct vg_fence_op {
	const vg_fence_device_t *device; /* borrowed until done */
	vg_fence_action_t action;
	const char *target;  /* node name (NULL for monitor/list/metadata) */
	uint64_t timeout_ms; /* 0 = device's timeout for the action, else 20 s */
} vg_fence_op_t;

/*
 * Run one device operation asynchronously; `done` is always called exactly
 * once, never before this returns (always from the main loop).  Native
 * plugins run in a worker thread; agents and external plugins are child
 * processes (lib/exec) killed at the timeout.
 */
void vg_fence_op_run(const vg_fence_op_t *op, vg_fence_op_done_fn done, void *data);
/* Blocking variant (tools, tests, bench); clear *r with vg_fence_op_result_clear(). */
void vg_fence_op_run_sync(const vg_fence_op_t *op, vg_fence_op_result_t *r);

/* Native plugin operation, blocking (what the worker thread runs).  Also the
 * entry point of the plugin-response fuzz target through the parsers below. */
void vg_fence_native_run(const vg_fence_op_t *op, vg_fence_op_result_t *r);
/* Parsers of device answers (pure; used by the plugins and fuzzed):
 * Redfish system JSON -> PowerState ("On"/"Off"/...), g_malloc'd or NULL;
 * ePowerSwitch page -> state of outlet (1/0) or -1; IP-Power GetPower/SetPower
 * answer -> state of port Pnn or -1. */
char *vg_fence_redfish_power_state(const char *json, size_t len);
char *vg_fence_redfish_reset_target(const char *json, size_t len);
int vg_fence_http_eps_state(const char *page, size_t len, int outlet);
int vg_fence_http_ippower_state(const char *page, size_t len, int port);

/* Agents this node can run: "fence_xvm", "external/ipmi", "vigil-redfish", ...
 * sorted (g_ptr_array_unref()). */
GPtrArray *vg_fence_agent_list(void);
/* Parse fence-agent `-o metadata` output: parameter names (g_ptr_array_unref())
 * and the actions it supports.  VG_EPARSE for garbage. */
int vg_fence_metadata_parse(const char *xml, size_t len, GPtrArray **params, GPtrArray **actions,
                            vg_error_t *err);

/* ------------------------------------------------------------------ engine */
typedef enum vg_fence_state {
	VG_FENCE_PENDING = 0,
	VG_FENCE_DONE, /* succeeded */
	VG_FENCE_FAILED,
} vg_fence_state_t;

/* One history entry: a finished (or pending) request. */
typedef struct vg_fence_record {
	char *id; /* request id */
	char *target;
	vg_fence_action_t action;
	char *origin;   /* who asked (node or tool, e.g. "node1", "vigil fence") */
	char *executor; /* node whose fencer ran it */
	char *device;   /* device that achieved it (DONE) or last one tried */
	int level;      /* topology level that achieved it, 0 when none */
	vg_fence_state_t state;
	int rc;       /* 0 or VG_E* */
	char *reason; /* why it failed / the detail of each attempt */
	vg_time_t requested;
	vg_time_t completed; /* 0 while pending */
	bool confirmed;      /* manual confirmation by an admin */
} vg_fence_record_t;

void vg_fence_record_free(vg_fence_record_t *r);
vg_fence_record_t *vg_fence_record_copy(const vg_fence_record_t *r);
/* XML form <fence-record .../> appended under parent; and back. */
xmlNode *vg_fence_record_to_xml(const vg_fence_record_t *r, xmlNode *parent);
int vg_fence_record_from_xml(const xmlNode *n, vg_fence_record_t **out, vg_error_t *err);

typedef struct vg_fence_engine vg_fence_engine_t;
typedef void (*vg_fence_request_done_fn)(const vg_fence_record_t *rec, void *data);

/*
 * The engine owns a configuration (replace it any time; requests in flight
 * keep the device copies they started with) and the history (bounded,
 * newest last).  `executor` is this node's name.
 */
vg_fence_engine_t *vg_fence_engine_new(const char *executor);
void vg_fence_engine_free(vg_fence_engine_t *e);
/* Takes ownership of cfg. */
void vg_fence_engine_set_config(vg_fence_engine_t *e, vg_fence_config_t *cfg);
const vg_fence_config_t *vg_fence_engine_config(const vg_fence_engine_t *e);

/*
 * Start fencing target.  Every attempt (level, device, outcome) goes into the
 * history as its own record, then the request's final record; `done` gets
 * the final record (borrowed).  timeout_ms 0 = stonith-timeout.  Returns the
 * request id (g_malloc'd) or NULL with err (VG_ENOENT: no device can fence
 * the target; VG_ESTATE: stonith disabled).
 */
char *vg_fence_engine_request(vg_fence_engine_t *e, const char *target, vg_fence_action_t action,
                              uint64_t timeout_ms, const char *origin,
                              vg_fence_request_done_fn done, void *data, vg_error_t *err);
/* A request with every knob (the plain variant above sets delay_ms 0). */
typedef struct vg_fence_request {
	const char *target;
	vg_fence_action_t action;
	uint64_t timeout_ms; /* 0 = stonith-timeout */
	uint64_t delay_ms;   /* extra wait before the first device: the
	                        controller passes priority-fencing-delay here
	                        when the target is the node it must spare */
	const char *origin;
} vg_fence_request_t;
char *vg_fence_engine_request_ex(vg_fence_engine_t *e, const vg_fence_request_t *req,
                                 vg_fence_request_done_fn done, void *data, vg_error_t *err);
/* Admin's manual confirmation: recorded as DONE with confirmed=true. */
const vg_fence_record_t *vg_fence_engine_confirm(vg_fence_engine_t *e, const char *target,
                                                 const char *origin);
/* History (borrowed vg_fence_record_t *, oldest first); target NULL = all. */
GPtrArray *vg_fence_engine_history(const vg_fence_engine_t *e, const char *target);
/* Records of one request, its attempts ("ID.n") then its final record
 * (borrowed; g_ptr_array_unref() the array). */
GPtrArray *vg_fence_engine_request_records(const vg_fence_engine_t *e, const char *id);
/* Add a record another node's fencer reported (copied).  Returns true when
 * it was new or completed a pending one; false when already known. */
bool vg_fence_engine_merge(vg_fence_engine_t *e, const vg_fence_record_t *rec);
/* Devices (borrowed) that can fence target, or all devices when target NULL. */
GPtrArray *vg_fence_engine_devices(const vg_fence_engine_t *e, const char *target);
/* Ids of devices currently failing their recurring monitor, with reasons:
 * device id -> reason (borrowed table). */
GHashTable *vg_fence_engine_device_failures(vg_fence_engine_t *e);
void vg_fence_engine_note_monitor(vg_fence_engine_t *e, const char *device, int rc,
                                  const char *reason);

/* ------------------------------------------------------------------ client */
/*
 * Client of vigil-fenced (service "fenced" of an instance).  Messages:
 *   fence-request  target, action, timeout (ms), [delay (ms)], origin -> reply: id; later an
 *                  event "fence-result" whose XML body is the final record,
 *                  sent to every connected client
 *   fence-confirm  target, origin -> reply with the record
 *   fence-history  [target] -> reply: <fence-history> of records
 *   fence-devices  [target] -> reply: <fence-devices><device id agent .../>
 *   fence-config   XML body = <cib> or <configuration> -> reply rc
 * Every reply carries "rc" (0 or VG_E*) and, when nonzero, "reason".
 */
typedef struct vg_fence_client vg_fence_client_t;
typedef void (*vg_fence_result_fn)(const vg_fence_record_t *rec, void *data);

/* Connect to vigil-fenced of instance (NULL = vg_ipc_default_instance()).
 * NULL with err (VG_ENOTCONN when fenced is not running). */
vg_fence_client_t *vg_fence_client_connect(const char *instance, vg_error_t *err);
void vg_fence_client_free(vg_fence_client_t *c);
/* Push the CIB (see the top of this file). */
int vg_fence_client_set_config(vg_fence_client_t *c, const xmlNode *cib, vg_error_t *err);
/*
 * Ask for fencing; the result arrives through fn on the thread-default
 * GMainContext (the client watches its IPC fd there).  *id (may be NULL)
 * gets the request id (g_free).  Errors come back now when fenced refuses.
 */
int vg_fence_client_request(vg_fence_client_t *c, const char *target, vg_fence_action_t action,
                            uint64_t timeout_ms, const char *origin, vg_fence_result_fn fn,
                            void *data, char **id, vg_error_t *err);
/* The same with a vg_fence_request_t (delay_ms travels as field "delay"). */
int vg_fence_client_request_ex(vg_fence_client_t *c, const vg_fence_request_t *req,
                               vg_fence_result_fn fn, void *data, char **id, vg_error_t *err);
/* Every result not claimed by a request callback of this client (fencing
 * asked by someone else: an admin, another controller) goes to fn, on the
 * thread-default GMainContext.  The controller uses this to learn that a
 * node was fenced.  Call before requests; fn NULL stops watching. */
void vg_fence_client_watch(vg_fence_client_t *c, vg_fence_result_fn fn, void *data);
/* Blocking: request and wait for the result (*rec freed by caller). */
int vg_fence_client_request_sync(vg_fence_client_t *c, const char *target, vg_fence_action_t action,
                                 uint64_t timeout_ms, const char *origin, vg_fence_record_t **rec,
                                 vg_error_t *err);
int vg_fence_client_confirm(vg_fence_client_t *c, const char *target, const char *origin,
                            vg_fence_record_t **rec, vg_error_t *err);
/* *out: GPtrArray of vg_fence_record_t * that frees its elements. */
int vg_fence_client_history(vg_fence_client_t *c, const char *target, GPtrArray **out,
                            vg_error_t *err);
/* *out: the <fence-devices> document (xmlFreeDoc). */
int vg_fence_client_devices(vg_fence_client_t *c, const char *target, xmlDoc **out,
                            vg_error_t *err);

#endif /* VIGIL_FENCING_H */
