/*
 * libvigil-client: what tools (vigil, the agent helpers) use to talk to the
 * controller of a running node (vigil-ctld, IPC service "ctld" of the
 * instance in VIGIL_INSTANCE).  Every call is synchronous.  Calls that must
 * run at the DC (CIB writes, cleanup) are retried for a few seconds while
 * there is no DC or the DC changes (VG_EAGAIN), so scripts need no loops.
 *
 * Sections, each implemented in lib/client/client_<topic>.c:
 *   conn   connecting, the generic request (client_conn.c)
 *   cib    the live CIB: query and the cibadmin-style writes (client_cib.c)
 *   ctl    status, attributes, cleanup, shutdown, peers (client_ctl.c)
 *
 * Errors: 0 or a negative VG_E* code, with the controller's sentence in err.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef VIGIL_CLIENT_H
#define VIGIL_CLIENT_H

#include <stdbool.h>
#include <stdint.h>

#include <libxml/tree.h>
#include <vigil/common.h>

/* ------------------------------------------------------------------- conn */
typedef struct vg_client vg_client_t;

/* Connect to the controller of `instance` (NULL = vg_ipc_default_instance()).
 * NULL with err set (VG_ENOTCONN: the node is not running). */
vg_client_t *vg_client_connect(const char *instance, vg_error_t *err);
void vg_client_free(vg_client_t *c);
/*
 * One request: `req` is sent, *reply (may be NULL) receives the reply
 * (caller frees with vg_msg_free).  The reply's "rc" becomes the return
 * value, its "reason" the error message.  VG_EAGAIN answers are retried
 * for up to `retry_ms` (0: no retry).
 */
int vg_client_call(vg_client_t *c, const vg_msg_t *req, vg_msg_t **reply, int retry_ms,
                   vg_error_t *err);

/* -------------------------------------------------------------------- cib */
/* Query a section (NULL = whole CIB) or an xpath; *out: new document. */
int vg_client_cib_query(vg_client_t *c, const char *section, const char *xpath, xmlDoc **out,
                        vg_error_t *err);
/*
 * A write, run at the DC as one transaction (vg_cib_apply there).  op is
 * "create", "modify", "replace", "delete", "erase", "patch", "upgrade" or
 * "bump"; section/xpath/data/flags as in vg_cib_request_t (VG_CIB_F_*).
 */
int vg_client_cib_write(vg_client_t *c, const char *op, const char *section, const char *xpath,
                        const xmlNode *data, unsigned flags, vg_error_t *err);

/* -------------------------------------------------------------------- ctl */
typedef struct vg_client_status {
	char *node; /* the node answering */
	char *dc;   /* NULL while no DC is known */
	bool quorum;
	char *election; /* the node's election state ("dc", "member", ...) */
} vg_client_status_t;

/* The controller's CIB (*cib, new document) and its view (*st, may be NULL;
 * clear with vg_client_status_clear). */
int vg_client_status(vg_client_t *c, xmlDoc **cib, vg_client_status_t *st, vg_error_t *err);
void vg_client_status_clear(vg_client_status_t *st);

/* Node attributes: value NULL deletes.  node NULL = the local node.
 * permanent: lifetime "forever" (in <nodes>) instead of "reboot". */
int vg_client_attr_set(vg_client_t *c, const char *node, const char *name, const char *value,
                       bool permanent, unsigned dampen_ms, vg_error_t *err);
/* *value: g_malloc'd; VG_ENOENT when unset. */
int vg_client_attr_get(vg_client_t *c, const char *node, const char *name, bool permanent,
                       char **value, vg_error_t *err);
/* Forget a resource's history and fail-counts (node NULL = everywhere). */
int vg_client_cleanup(vg_client_t *c, const char *rsc, const char *node, vg_error_t *err);
/* Clean shutdown of a node (NULL = the local one): resources move away first. */
int vg_client_node_shutdown(vg_client_t *c, const char *node, vg_error_t *err);
/* Peers: *out is <nodes><node name= id= member= controller=/></nodes>;
 * *local (may be NULL) the local node's name (g_free), *local_id its id. */
int vg_client_peers(vg_client_t *c, xmlDoc **out, char **local, uint32_t *local_id, bool *quorum,
                    vg_error_t *err);

#endif /* VIGIL_CLIENT_H */
