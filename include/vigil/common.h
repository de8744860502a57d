/*
 * libvigil-common: what every vigil library, daemon and tool stands on.
 *
 * Sections, each implemented in its own lib/common/common_<topic>.c:
 *   errors    one error convention for the whole project
 *   checks    the hard assert and the survivable check
 *   logging   libqb logging with a subsystem tag per file
 *   xml       safe parsing on libxml2, accessors, canonical form, digests, id index
 *   scores    Pacemaker score semantics (INFINITY = 1000000, saturating sums)
 *   time      ISO 8601 date-times, durations, intervals, date_spec
 *   rules     rule/expression evaluation with the next time a result can change
 *   nvsets    nvpair sets (instance/meta/utilization attributes) in score order
 *   messages  one message format for IPC and cluster traffic
 *   ipc       libqb IPC glue: instance-named servers and clients
 *
 * Memory model: glib allocation everywhere (g_malloc/g_free; out-of-memory aborts).
 * Every function that returns memory says who frees it.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef VIGIL_COMMON_H
#define VIGIL_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdint.h>
#include <syslog.h>

#include <glib.h>
#include <libxml/tree.h>
#include <qb/qblog.h>

/* ------------------------------------------------------------------ errors */
/*
 * The error convention: a function that can fail returns int, 0 on success or
 * one negative VG_E* code below.  Where a caller needs to know *what* failed and
 * *where* (file line, XPath, element id), the function also takes a
 * vg_error_t * (may be NULL) that it fills with a sentence an admin can act on.
 * vg_error_t is caller-owned storage: nothing to free.
 */
enum vg_rc {
	VG_OK = 0,
	VG_EINVAL = -1,     /* invalid argument or input */
	VG_ENOENT = -2,     /* not found */
	VG_EPERM = -3,      /* permission denied (credentials, ACL) */
	VG_EIO = -4,        /* I/O error (see errno in the message) */
	VG_EPARSE = -5,     /* malformed input (XML, message, config syntax) */
	VG_ESCHEMA = -6,    /* well-formed but not valid against the schema */
	VG_ETOOBIG = -7,    /* input exceeds a size, depth or length limit */
	VG_ETIMEDOUT = -8,  /* operation timed out */
	VG_EAGAIN = -9,     /* try again later (busy, not ready) */
	VG_EEXIST = -10,    /* already exists */
	VG_EVERSION = -11,  /* wrong or older version (CIB, protocol) */
	VG_ENOTCONN = -12,  /* not connected (daemon down, no cluster) */
	VG_EPROTO = -13,    /* protocol violation by a peer */
	VG_ENOTSUP = -14,   /* not supported or not built */
	VG_ESTATE = -15,    /* not possible in the current state */
	VG_ECANCELED = -16, /* cancelled */
	VG_EFAILED = -17,   /* an external action (agent, device) failed */
	VG_ECONFIG = -18,   /* configuration error */
	VG_ERC_MIN = -18,
};

typedef struct vg_error {
	int code;       /* negative VG_E* code, 0 when unset */
	char msg[1024]; /* what went wrong and where, one sentence */
} vg_error_t;

/* Static string for a VG_E* code ("invalid input", ...); never NULL. */
const char *vg_strerror(int rc);

/*
 * Record an error in *err (ignored when err is NULL) and return code, so that
 * failure paths read `return vg_error_set(err, VG_EPARSE, "line %d: ...", n);`.
 * An error already recorded is kept (the first, innermost cause wins) unless
 * it is cleared with vg_error_clear().
 */
int vg_error_set(vg_error_t *err, int code, const char *fmt, ...) G_GNUC_PRINTF(3, 4);
/* Prepend context ("cib.xml: ") to an already recorded message. */
void vg_error_prefix(vg_error_t *err, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
void vg_error_clear(vg_error_t *err);

/* ------------------------------------------------------------------ checks */
/* A broken invariant that cannot be survived: abort with a message. */
#define VG_ASSERT(expr) g_assert(expr)
/* "Impossible but survivable": log with location, then run `on_fail`. */
#define VG_CHECK(expr, on_fail)                                                               \
	do {                                                                                  \
		if (G_UNLIKELY(!(expr))) {                                                    \
			qb_log(LOG_ERR, "internal check failed: %s (%s:%d)", #expr, __FILE__, \
			       __LINE__);                                                     \
			on_fail;                                                              \
		}                                                                             \
	} while (0)

/* ----------------------------------------------------------------- logging */
/*
 * Each .c file may define VG_LOG_SUBSYS before including this header; every
 * message it logs is prefixed with that tag.  Messages begin with the object
 * they are about: vg_log_warn("resource %s: monitor timed out", id).
 */
#ifndef VG_LOG_SUBSYS
#define VG_LOG_SUBSYS "vigil"
#endif
#define vg_log(level, fmt, ...) qb_log((level), "%s: " fmt, VG_LOG_SUBSYS, ##__VA_ARGS__)
#define vg_log_error(fmt, ...)  vg_log(LOG_ERR, fmt, ##__VA_ARGS__)
#define vg_log_warn(fmt, ...)   vg_log(LOG_WARNING, fmt, ##__VA_ARGS__)
#define vg_log_notice(fmt, ...) vg_log(LOG_NOTICE, fmt, ##__VA_ARGS__)
#define vg_log_info(fmt, ...)   vg_log(LOG_INFO, fmt, ##__VA_ARGS__)
#define vg_log_debug(fmt, ...)  vg_log(LOG_DEBUG, fmt, ##__VA_ARGS__)
#define vg_log_trace(fmt, ...)  vg_log(LOG_TRACE, fmt, ##__VA_ARGS__)

typedef struct vg_log_config {
	const char *ident;   /* program name for syslog and the log file */
	bool foreground;     /* log to stderr (else syslog) */
	const char *logfile; /* also append here when non-NULL */
	int facility;        /* syslog facility, LOG_DAEMON when 0 */
	int level;           /* LOG_NOTICE when 0; VIGIL_DEBUG=1 in the environment -> LOG_DEBUG */
} vg_log_config_t;

/* Set up logging for a process; safe to call again to reconfigure. */
int vg_log_init(const vg_log_config_t *cfg);
/* Tools: stderr only, warnings and worse (debug with VIGIL_DEBUG). */
void vg_log_init_tool(const char *ident);
void vg_log_fini(void);
/* Parse "debug", "info", "notice", "warning", "err", "crit" (or syslog numbers). */
int vg_log_level_parse(const char *s, int *level);

/* --------------------------------------------------------------------- xml */
typedef struct vg_xml_limits {
	size_t max_size;     /* bytes of input */
	unsigned max_depth;  /* element nesting */
	size_t max_attr_len; /* bytes of one attribute value or text node */
} vg_xml_limits_t;

#define VG_XML_MAX_SIZE     (128u * 1024 * 1024)
#define VG_XML_MAX_DEPTH    256u
#define VG_XML_MAX_ATTR_LEN (1024u * 1024)

/*
 * Parse XML safely: no DTD, no entities, no network, no XInclude; input size,
 * depth and attribute/text length bounded (limits NULL = the defaults above).
 * `what` names the input in error messages ("cib.xml", "message body").
 * On success *out is a new document the caller frees with xmlFreeDoc().
 * Errors: VG_EPARSE (with line number), VG_ETOOBIG, VG_EIO (file variant).
 */
int vg_xml_parse(const char *buf, size_t len, const char *what, const vg_xml_limits_t *limits,
                 xmlDoc **out, vg_error_t *err);
int vg_xml_parse_file(const char *path, const vg_xml_limits_t *limits, xmlDoc **out,
                      vg_error_t *err);

/* Attribute value as a borrowed pointer into the tree, NULL when absent. */
const char *vg_xml_get(const xmlNode *n, const char *attr);
/* Set (value non-NULL) or remove (value NULL) an attribute. */
void vg_xml_set(xmlNode *n, const char *attr, const char *value);
void vg_xml_set_int(xmlNode *n, const char *attr, long long value);
/* Element name, "" for non-elements. */
const char *vg_xml_name(const xmlNode *n);
bool vg_xml_is(const xmlNode *n, const char *name);
/* First child element / next sibling element, restricted to `name` unless NULL. */
xmlNode *vg_xml_first(const xmlNode *parent, const char *name);
xmlNode *vg_xml_next(const xmlNode *n, const char *name);
#define VG_XML_FOREACH(child, parent, name)                             \
	for ((child) = vg_xml_first((parent), (name)); (child) != NULL; \
	     (child) = vg_xml_next((child), (name)))
/* First descendant-or-self element with this name and (if id non-NULL) this id. */
xmlNode *vg_xml_find(const xmlNode *root, const char *name, const char *id);
/* New child element appended to parent (parent may be NULL: a new root in no doc). */
xmlNode *vg_xml_new_child(xmlNode *parent, const char *name);
/* New document whose root is a deep copy of n; free with xmlFreeDoc(). */
xmlDoc *vg_xml_copy_doc(const xmlNode *n);

/* Serialize n (pretty: indented).  Returns a g_malloc'd string; g_free() it. */
char *vg_xml_dump(const xmlNode *n, bool pretty);
/*
 * Canonical form: elements and attributes in document order, no comments, no
 * processing instructions, no whitespace-only text, attribute values escaped
 * the same way everywhere.  Two trees with equal canonical forms are equal for
 * vigil.  Returns g_malloc'd string.
 */
char *vg_xml_canonical(const xmlNode *n);
/* Hex MD5 of the canonical form (32 chars + NUL), g_malloc'd. */
char *vg_xml_digest(const xmlNode *n);
/* Hex digests of arbitrary bytes, g_malloc'd. */
char *vg_digest_md5(const void *data, size_t len);
char *vg_digest_sha256(const void *data, size_t len);

/*
 * Index every element with an "id" attribute under root: id -> xmlNode*
 * (borrowed; valid while the tree lives).  The first element wins when an id
 * repeats; *duplicate (may be NULL) receives the first repeated id seen.
 * Free the table with g_hash_table_destroy().
 */
GHashTable *vg_xml_id_index(const xmlNode *root, const char **duplicate);
/* Follow an "id-ref" attribute through idx; returns n itself when it has none,
 * NULL when the reference is dangling. */
xmlNode *vg_xml_deref(xmlNode *n, GHashTable *idx);

/* ------------------------------------------------------------------ scores */
#define VG_SCORE_INFINITY 1000000

/*
 * Parse a score: integers, "INFINITY", "+INFINITY", "-INFINITY", "inf", "+inf",
 * "-inf" (case-insensitive); values beyond +-INFINITY are clamped.
 * Errors: VG_EINVAL for anything else (*out untouched).
 */
int vg_score_parse(const char *s, int *out);
/* Saturating sum: -INFINITY wins over +INFINITY; result within +-INFINITY. */
int vg_score_add(int a, int b);
/* "INFINITY", "-INFINITY" or the number, written into buf. Returns buf. */
const char *vg_score_str(int score, char buf[16]);

/* -------------------------------------------------------------------- time */
/* Seconds since the epoch, UTC. */
typedef int64_t vg_time_t;
#define VG_TIME_NEVER INT64_MAX

/* A broken-down time with the zone offset it was written in. */
typedef struct vg_datetime {
	int year, month, day;     /* calendar date, month 1-12, day 1-31 */
	int hour, minute, second; /* 0-23, 0-59, 0-60 */
	int offset;               /* seconds east of UTC */
} vg_datetime_t;

typedef struct vg_duration {
	int years, months; /* calendar parts, applied first */
	int64_t seconds;   /* days, hours, minutes, seconds folded in */
	int64_t ms;        /* sub-second part, milliseconds */
} vg_duration_t;

/*
 * Parse an ISO 8601 date-time: calendar (2005-01-20), ordinal (2005-020) and
 * week (2005-W03-4) dates, also basic (20050120, 2005W034) and reduced
 * (2005-01, 2005-W03, 2005); optional time (T or space, hh[:mm[:ss[.f]]] or
 * hhmmss; 24:00 is the next midnight; fractions dropped), zones Z, +hh,
 * +hh:mm, +hhmm (a space before the zone allowed); no zone means UTC.
 * Errors: VG_EINVAL.
 */
int vg_time_parse(const char *s, vg_time_t *out);
int vg_datetime_parse(const char *s, vg_datetime_t *out);
vg_time_t vg_datetime_to_time(const vg_datetime_t *dt);
/* Broken-down form of t at the given zone offset (seconds east of UTC). */
void vg_time_to_datetime(vg_time_t t, int offset, vg_datetime_t *out);
/* "2005-01-20 12:00:00Z"-style text into buf (>= 32 bytes), "never" for
 * VG_TIME_NEVER; times beyond years 1..9999 print clamped. Returns buf. */
const char *vg_time_str(vg_time_t t, char *buf, size_t len);

/* ISO 8601 duration (P1Y2M3DT4H5M6S, P2W, PT0.5S). Errors: VG_EINVAL. */
int vg_duration_parse(const char *s, vg_duration_t *out);
/* t + d (or t - d when sign < 0), calendar-aware for years and months (in UTC). */
vg_time_t vg_time_add_duration(vg_time_t t, const vg_duration_t *d, int sign);
/* Same, with years and months applied on the wall clock of zone `offset`
 * (day clamped to the month's end: 01-31 + P1M = 02-28/29). */
vg_time_t vg_time_add_duration_at(vg_time_t t, const vg_duration_t *d, int sign, int offset);

/*
 * Pacemaker interval/timeout syntax into milliseconds: bare number = seconds,
 * suffixes ms/msec, s/sec, m/min, h/hr (with optional space), or an ISO 8601
 * duration without years/months.  Errors: VG_EINVAL.
 */
int vg_interval_parse_ms(const char *s, uint64_t *ms);

/* ISO week date of a calendar date (ISO weeks start Monday; week 53 exists). */
void vg_iso_week(int year, int month, int day, int *weekyear, int *week, int *weekday);
bool vg_is_leap_year(int year);

/* ------------------------------------------------------------------- rules */
/* What rules are evaluated against.  Unset pointers mean "not in this context". */
typedef struct vg_rule_ctx {
	GHashTable *node_attrs; /* name -> value (incl. #uname, #id, #kind, ...), borrowed */
	vg_time_t now;
	const char *rsc_standard; /* rsc_expression: class, provider, type */
	const char *rsc_provider;
	const char *rsc_agent;
	const char *op_name; /* op_expression */
	uint64_t op_interval_ms;
	GHashTable *rsc_params; /* value-source="param" */
	GHashTable *rsc_meta;   /* value-source="meta" */
	GHashTable *id_index;   /* to resolve id-ref'd rules; may be NULL */
	const char *rsc_role;   /* #role expressions: "Started", "Promoted"...; NULL = none */
	int date_offset;        /* zone (seconds east of UTC) date_spec fields are read in;
	                           0 = UTC.  Pacemaker reads them in the local zone. */
} vg_rule_ctx_t;

/*
 * Evaluate a <rule> element (boolean-op and/or, nested rules, expression,
 * date_expression, rsc_expression, op_expression).  *result is the outcome;
 * *next_change (may be NULL) is lowered to the earliest time after ctx->now
 * when a date-based outcome may change, left alone when none can.
 * Errors: VG_EINVAL with the element's id in err (an invalid rule is false).
 * *result is always set: an invalid sub-expression counts as false and the
 * rule goes on (so "or" with a valid true branch still passes), as Pacemaker.
 * Like Pacemaker, an empty "and" rule passes and an empty "or" rule fails.
 */
int vg_rule_eval(const xmlNode *rule, const vg_rule_ctx_t *ctx, bool *result,
                 vg_time_t *next_change, vg_error_t *err);
/* Match a <date_spec> element against t (fields read in UTC / in zone offset);
 * a missing or malformed spec never matches. */
bool vg_date_spec_match(const xmlNode *spec, vg_time_t t);
bool vg_date_spec_match_at(const xmlNode *spec, vg_time_t t, int offset);
/* Earliest time after t when vg_date_spec_match_at() changes its answer;
 * VG_TIME_NEVER when it never does (or not within a bounded search). */
vg_time_t vg_date_spec_next_change(const xmlNode *spec, vg_time_t t, int offset);
/*
 * Evaluate one <date_expression> (in_range with start/end/duration, gt, lt,
 * date_spec) at now; lowers *next_change (may be NULL) as vg_rule_eval().
 * Errors: VG_EINVAL (malformed dates, missing start/end): *result false.
 */
int vg_date_expr_eval(const xmlNode *expr, vg_time_t now, int offset, bool *result,
                      vg_time_t *next_change, vg_error_t *err);

/* ------------------------------------------------------------------ nvsets */
/*
 * Unpack every child of `parent` named `set_name` (e.g. "meta_attributes"),
 * following id-refs through ctx->id_index, sets ordered by their score
 * (highest first; among equal scores in reverse document order, as Pacemaker
 * 2.1, so without overwrite the last such set wins), a set whose rules are all
 * false skipped (ctx may be NULL: no rule context).  Nvpairs may be id-refs;
 * a value "#default" removes the name from `out`.
 * Pairs go into `out` (name -> value; g_strdup'd keys and values, so
 * create out with g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free)).
 * A name already in `out` is replaced only when `overwrite` is true.
 * `first_id` (may be NULL) names a set id to take before all others
 * (e.g. "cib-bootstrap-options").  *next_change as for vg_rule_eval.
 */
void vg_nvset_unpack(const xmlNode *parent, const char *set_name, const vg_rule_ctx_t *ctx,
                     const char *first_id, bool overwrite, GHashTable *out, vg_time_t *next_change);

/* ---------------------------------------------------------------- messages */
/*
 * One message format for local IPC and cluster traffic: a type, named string
 * fields, and an optional XML body.  Wire form (all integers big-endian):
 *   "VGM1" | u32 nfields | per field: u32 nlen, name, u32 vlen, value
 *          | u32 xml_len | xml bytes
 * The type travels as field "t".  Decoding checks every length against the
 * buffer and the limit; garbage is VG_EPARSE, never a crash.
 */
typedef struct vg_msg vg_msg_t;

#define VG_MSG_MAX_SIZE (64u * 1024 * 1024)

/* New empty message of `type`; free with vg_msg_free(). */
vg_msg_t *vg_msg_new(const char *type);
void vg_msg_free(vg_msg_t *m);
const char *vg_msg_type(const vg_msg_t *m);
/* Set a field (value NULL removes it).  Copies name and value. */
void vg_msg_set(vg_msg_t *m, const char *name, const char *value);
void vg_msg_set_int(vg_msg_t *m, const char *name, int64_t value);
/* Borrowed value or NULL. */
const char *vg_msg_get(const vg_msg_t *m, const char *name);
/* Integer field: VG_ENOENT when absent, VG_EINVAL when not an integer. */
int vg_msg_get_int(const vg_msg_t *m, const char *name, int64_t *out);
/* Attach a deep copy of `body` (NULL removes the body). */
void vg_msg_set_xml(vg_msg_t *m, const xmlNode *body);
/* Take ownership of a document as the body. */
void vg_msg_take_xml(vg_msg_t *m, xmlDoc *doc);
/* Body root element (borrowed; parsed on first call), NULL when none or invalid. */
xmlNode *vg_msg_xml(const vg_msg_t *m);
/* Iterate fields in insertion order: returns false past the end. */
bool vg_msg_field(const vg_msg_t *m, size_t i, const char **name, const char **value);
/* A new message of `type` with the fields of `src` (except its type and the
 * fields whose name starts with `drop_prefix`) and a copy of its body: how a
 * transport hands on a message without its own fields. */
vg_msg_t *vg_msg_copy_as(const vg_msg_t *src, const char *type, const char *drop_prefix);

/* Encode into a new buffer (*buf g_malloc'd, caller g_free()s). */
int vg_msg_encode(const vg_msg_t *m, uint8_t **buf, size_t *len);
/* Decode at most `limit` bytes (0 = VG_MSG_MAX_SIZE) into a new message. */
int vg_msg_decode(const void *buf, size_t len, size_t limit, vg_msg_t **out, vg_error_t *err);

/* --------------------------------------------------------------------- ipc */
/*
 * Local IPC over libqb, one socket per (service, instance): the name is
 * "vigil-<service>-<instance>" so several lab nodes share one host.  The
 * instance comes from the caller (daemons read it from their config; tools
 * from VIGIL_INSTANCE, default "local").  Inside a lab (VIGIL_LAB set to the
 * lab directory) the name also carries a hash of that directory, so labs on
 * loopback do not collide.  Peers must be root or in the
 * haclient group, checked by credentials on connect.  Messages up to
 * VG_MSG_MAX_SIZE.  Servers plug into the thread-default GMainContext.
 */
typedef struct vg_ipc_server vg_ipc_server_t;
typedef struct vg_ipc_conn vg_ipc_conn_t;
typedef struct vg_ipc_client vg_ipc_client_t;

/* A request arrived; reply with vg_ipc_reply() (now or later, once). */
typedef void (*vg_ipc_request_fn)(vg_ipc_conn_t *conn, const vg_msg_t *req, void *data);
/* A client went away; conn is freed after this returns. */
typedef void (*vg_ipc_closed_fn)(vg_ipc_conn_t *conn, void *data);

/* The instance name tools and libraries default to (VIGIL_INSTANCE or "local"). */
const char *vg_ipc_default_instance(void);

vg_ipc_server_t *vg_ipc_server_start(const char *service, const char *instance,
                                     vg_ipc_request_fn on_request, vg_ipc_closed_fn on_closed,
                                     void *data, vg_error_t *err);
void vg_ipc_server_stop(vg_ipc_server_t *srv);
/* Reply to the request being handled on conn. */
int vg_ipc_reply(vg_ipc_conn_t *conn, const vg_msg_t *reply);
/* Unsolicited event to a client (e.g. an operation result). */
int vg_ipc_send_event(vg_ipc_conn_t *conn, const vg_msg_t *event);
/* Peer credentials of a connection. */
void vg_ipc_conn_creds(const vg_ipc_conn_t *conn, uid_t *uid, gid_t *gid, pid_t *pid);
/* Per-connection user pointer for the server's bookkeeping. */
void vg_ipc_conn_set_data(vg_ipc_conn_t *conn, void *data);
void *vg_ipc_conn_get_data(const vg_ipc_conn_t *conn);

/* Connect to a service; NULL with err set (VG_ENOTCONN: daemon not running). */
vg_ipc_client_t *vg_ipc_connect(const char *service, const char *instance, vg_error_t *err);
void vg_ipc_disconnect(vg_ipc_client_t *c);
/* Send a request and wait for its reply (*reply: caller frees). */
int vg_ipc_call(vg_ipc_client_t *c, const vg_msg_t *req, vg_msg_t **reply, int timeout_ms,
                vg_error_t *err);
/* Fd that becomes readable when an event is pending (for poll/GMainLoop). */
int vg_ipc_client_fd(const vg_ipc_client_t *c);
/* Receive one event (timeout_ms 0 = poll, -1 = wait). VG_ETIMEDOUT when none. */
int vg_ipc_recv_event(vg_ipc_client_t *c, vg_msg_t **event, int timeout_ms, vg_error_t *err);
/* Is the server still there?  The fd above does not say when it dies (libqb
 * uses datagram sockets); this asks without waiting and consumes no event. */
bool vg_ipc_client_alive(vg_ipc_client_t *c);
/* Check vg_ipc_client_alive() every VG_IPC_WATCH_MS from ctx (NULL: the
 * global default context) and call on_gone(data) once when the server has
 * gone; the source then removes itself.  on_gone may free the client.  The
 * caller g_source_destroy()s and g_source_unref()s the source. */
#define VG_IPC_WATCH_MS 250
GSource *vg_ipc_client_watch(vg_ipc_client_t *c, GMainContext *ctx, void (*on_gone)(void *data),
                             void *data);

/* ------------------------------------------------------------------- ha.cf */
/*
 * The node's configuration file, Heartbeat's ha.cf syntax plus vigil's own
 * directives.  Every daemon takes `--config FILE` (default VG_SYSCONFDIR
 * "/ha.cf") and reads the generic fields below; vigil-hbd also uses the
 * heartbeat-specific ones.  Directives: see doc/ha.cf.5.
 */
typedef struct vg_hacf {
	char *path;          /* the file read */
	char *cluster_name;  /* "cluster_name"; default "vigil" */
	char *cluster_layer; /* "cluster_layer heartbeat|corosync"; default "heartbeat" */
	char *instance;      /* "instance NAME": which node this is; default uname -n */
	char *state_dir;     /* "state_dir DIR": CIB, incarnation; default VG_STATEDIR */
	char *run_dir;       /* "run_dir DIR": pid files; default VG_RUNDIR */
	char *log_file;      /* "logfile"; NULL when unset */
	int log_facility;    /* "logfacility"; LOG_DAEMON when unset */
	bool debug;          /* "debug" > 0 */
	GPtrArray *nodes;    /* char *: every "node" name, in file order */
	/* heartbeat layer (vigil-hbd); times in milliseconds */
	uint64_t keepalive_ms, deadtime_ms, warntime_ms, initdead_ms;
	unsigned udpport;
	void *hb; /* heartbeat-specific details: use vg_hacf_hb() */
} vg_hacf_t;

/* A heartbeat medium line of ha.cf. */
typedef enum vg_hb_medium_kind {
	VG_HB_UCAST,  /* "ucast IF ADDR": one line per peer address */
	VG_HB_MCAST,  /* "mcast IF GROUP PORT TTL LOOP" */
	VG_HB_BCAST,  /* "bcast IF [IF...]": one medium per interface */
	VG_HB_SERIAL, /* "serial DEV [DEV...]": one medium per device */
} vg_hb_medium_kind_t;

typedef struct vg_hb_medium {
	vg_hb_medium_kind_t kind;
	char *iface;   /* interface (SO_BINDTODEVICE); NULL for serial or "any" */
	char *addr;    /* ucast peer address, mcast group; NULL otherwise */
	unsigned port; /* mcast port (else udpport) */
	unsigned ttl;  /* mcast TTL */
	bool loop;     /* mcast loopback */
	char *device;  /* serial device path */
} vg_hb_medium_t;

typedef enum vg_hb_autojoin {
	VG_HB_AUTOJOIN_NONE,  /* only nodes listed with "node" */
	VG_HB_AUTOJOIN_OTHER, /* unlisted nodes may join (vigil treats as "any") */
	VG_HB_AUTOJOIN_ANY,
} vg_hb_autojoin_t;

/* Heartbeat-layer details of ha.cf (borrowed from the vg_hacf_t). */
typedef struct vg_hacf_hb {
	GPtrArray *media; /* vg_hb_medium_t *, in file order */
	unsigned baud;    /* "baud", default 19200 */
	vg_hb_autojoin_t autojoin;
	bool realtime;                  /* "realtime on|off", default on */
	int rtprio;                     /* "rtprio N", 0 = default (sched_get_priority_max/2) */
	bool crm;                       /* "crm"/"pacemaker": accepted, always on */
	char *compression;              /* "compression zlib|bz2|none"; NULL = none */
	uint64_t compression_threshold; /* bytes ("compression_threshold" in KiB) */
	GPtrArray *arbiters;            /* char *: "arbiter NODE" names */
	bool two_node;                  /* "two_node on" */
	bool wait_for_all;              /* "wait_for_all on" (default on with two_node) */
	GHashTable *node_ids;           /* name -> GUINT_TO_POINTER(id), every node resolved */
	GHashTable *votes;              /* name -> GUINT_TO_POINTER(votes) from "votes NAME N" */
	char *authkeys;                 /* "authkeys FILE"; default "authkeys" next to ha.cf */
	bool insecure_auth;             /* "insecure_auth on": allow the crc method */
	char *bind_addr;                /* "bind_addr ADDR": local address for UDP (lab) */
	bool fault_injection;           /* "fault_injection on": accept lab loss/cut requests */
} vg_hacf_hb_t;

/* The heartbeat details of a loaded configuration (never NULL). */
const vg_hacf_hb_t *vg_hacf_hb(const vg_hacf_t *cfg);
/* Node id of `name` (0 when not configured). */
uint32_t vg_hacf_node_id(const vg_hacf_t *cfg, const char *name);
/* Votes of `name` (1 unless "votes NAME N"). */
unsigned vg_hacf_node_votes(const vg_hacf_t *cfg, const char *name);
bool vg_hacf_is_arbiter(const vg_hacf_t *cfg, const char *name);
/* Load from a string (tests, fuzzing); `path` names it in messages and
 * anchors relative defaults (authkeys). */
int vg_hacf_load_string(const char *text, const char *path, vg_hacf_t **out, vg_error_t *err);
/* Canonical dump (one directive per line, defaults spelled out); g_free(). */
char *vg_hacf_dump(const vg_hacf_t *cfg);

/* Load and validate ha.cf; *out freed with vg_hacf_free().  An unknown or
 * malformed directive is VG_ECONFIG naming the file, line and reason. */
int vg_hacf_load(const char *path, vg_hacf_t **out, vg_error_t *err);
void vg_hacf_free(vg_hacf_t *cfg);

/* ----------------------------------------------------------------- daemons */
/* What vg_daemon_setup() leaves for a daemon's main(). */
typedef struct vg_daemon {
	const char *config; /* the ha.cf path in use (-c FILE or the default) */
	bool foreground;    /* -f: stay in the foreground, log to stderr */
	vg_hacf_t *cfg;     /* the loaded ha.cf; main() vg_hacf_free()s it */
} vg_daemon_t;

/* Start-up of a daemon with only the standard options
 * `[-c|--config FILE] [-f|--foreground] [--check] [-h|--help]`: parse them
 * (`usage` prints the daemon's own help), load ha.cf, print
 * "configuration OK" for --check, then vg_log_init() as `ident`.  Returns -1
 * when main() should go on, otherwise the status main() exits with: 0 after
 * --help or --check, 2 on a bad option, 1 when ha.cf does not load (the
 * reason on stderr after "ident: "). */
int vg_daemon_setup(int argc, char **argv, const char *ident, void (*usage)(FILE *out),
                    vg_daemon_t *d);

#endif /* VIGIL_COMMON_H */
