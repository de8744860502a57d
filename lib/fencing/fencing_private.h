/*
 * fencing_private.h: what the files of lib/fencing share and nobody else
 * sees: the per-kind operation runners, the HTTP helper on libcurl, and
 * small parameter accessors.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef VIGIL_FENCING_PRIVATE_H
#define VIGIL_FENCING_PRIVATE_H

#include <vigil/fencing.h>

#define FENCE_DEFAULT_TIMEOUT_MS 20000u
#define FENCE_AGENT_DIR          "/usr/sbin"
#define FENCE_EXTERNAL_DIR       "/usr/lib/stonith/plugins/external"
#define FENCE_GLUE_HELPER_DIR    "/usr/share/cluster-glue"

/* Parameter lookup with fallbacks: first of the names present, else NULL. */
const char *fence_param(const vg_fence_device_t *d, const char *const *names);
/* Set r->rc and r->reason (printf-style); returns rc. */
int fence_fail(vg_fence_op_result_t *r, int rc, const char *fmt, ...) G_GNUC_PRINTF(3, 4);
/* Effective timeout of an op. */
uint64_t fence_op_timeout(const vg_fence_op_t *op);
/* The nvpairs of every `set_name` child of parent into out (name -> value,
 * g_strdup'd); id-refs followed through idx when it is not NULL.  Without
 * overwrite the first set to name a value wins, with it the last. */
void fence_unpack_sets(const xmlNode *parent, const char *set_name, GHashTable *idx, bool overwrite,
                       GHashTable *out);

/* fencing_agent.c / fencing_external.c: child-process kinds (async). */
void fence_agent_run(const vg_fence_op_t *op, vg_fence_op_done_fn done, void *data);
void fence_external_run(const vg_fence_op_t *op, vg_fence_op_done_fn done, void *data);
/* Paths (overridable for tests by VIGIL_FENCE_AGENT_DIR / VIGIL_FENCE_EXTERNAL_DIR). */
const char *fence_agent_dir(void);
const char *fence_external_dir(void);

/* An idle callback on the thread-default main context (not the global one). */
guint fence_idle_add(GSourceFunc fn, gpointer data);

/* fencing_agent.c: shared by the child-process kinds. */
/* Agents inherit only PATH (plus the cluster-glue helper dir for external
 * plugins), PYTHONPATH when set, and LC_ALL=C.  g_strfreev() the result. */
char **fence_child_env(bool glue_helpers);
/* Last non-empty line of text, at most 300 bytes (g_malloc'd) or NULL. */
char *fence_last_line(const char *text);
/* Hand r (stolen) to done from an idle callback. */
void fence_defer_result(vg_fence_op_result_t *r, vg_fence_op_done_fn done, void *data);
/* Spawn path with argv/envp/stdin under the op's timeout; done gets the mapped result. */
void fence_spawn(const vg_fence_op_t *op, const char *path, char **argv, char **envp,
                 const char *stdin_data, bool external, vg_fence_op_done_fn done, void *data);

/* fencing_curl.c: one HTTP exchange. */
typedef struct fence_http {
	const char *method; /* "GET", "POST" */
	const char *url;
	const char *body; /* POST body or NULL */
	const char *content_type;
	const char *user; /* basic auth when non-NULL */
	const char *password;
	bool verify_tls;     /* on unless the device says ssl_insecure */
	const char *ca_file; /* extra CA bundle (ca_file param) or NULL */
	uint64_t timeout_ms;
} fence_http_t;

typedef struct fence_http_reply {
	long status; /* HTTP status, 0 when no answer */
	char *body;  /* NUL-terminated (g_free) */
	size_t len;
} fence_http_reply_t;

/* 0 on an HTTP answer (any status); VG_ENOTCONN unreachable, VG_ETIMEDOUT,
 * VG_EPERM TLS verification failed, VG_EIO other transport errors. */
int fence_http_do(const fence_http_t *h, fence_http_reply_t *out, vg_error_t *err);
void fence_http_reply_clear(fence_http_reply_t *r);

/* fencing_redfish.c / fencing_http.c: native plugins (blocking). */
void fence_redfish_run(const vg_fence_op_t *op, vg_fence_op_result_t *r);
void fence_http_run(const vg_fence_op_t *op, vg_fence_op_result_t *r);

#endif
