/*
 * exec_internal.h: helpers shared by the lib/exec source files and the
 * vigil-execd daemon (protocol names); not part of the public API.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef VIGIL_EXEC_INTERNAL_H
#define VIGIL_EXEC_INTERNAL_H

#include <vigil/exec.h>

#define VG__EXEC_TIMEOUT_DEFAULT_MS 20000u
#define VG__EXEC_META_CAPTURE       (1024u * 1024)

/* exec_env.c */
const char *vg__exec_ocf_root(const vg_exec_paths_t *p);
const char *vg__exec_lsb_dir(const vg_exec_paths_t *p);
/* A class/provider/type name that cannot escape its directory. */
bool vg__exec_name_ok(const char *s);
/* argv for the agent (g_strfreev()). */
char **vg__exec_agent_argv(const vg_exec_agent_op_t *op, const char *path);
uint64_t vg__exec_timeout_ms(const vg_exec_agent_op_t *op);

/* exec_lsb.c: a <resource-agent> document made from an init script's
 * LSB header (g_malloc'd). */
char *vg__exec_lsb_metadata(const char *type, const char *path);

/* exec_proto.c: message types and field helpers shared with vigil-execd */
#define VG__EXEC_SERVICE        "execd"
#define VG__EXEC_MSG_INFO       "exec-info"
#define VG__EXEC_MSG_REGISTER   "exec-register"
#define VG__EXEC_MSG_UNREGISTER "exec-unregister"
#define VG__EXEC_MSG_RUN        "exec-run"
#define VG__EXEC_MSG_CANCEL     "exec-cancel"
#define VG__EXEC_MSG_REFRESH    "exec-refresh"
#define VG__EXEC_MSG_LIST       "exec-list"
#define VG__EXEC_MSG_RESULT     "exec-result"
/* Absent = 0; negative or not a number = VG_EPROTO. */
int vg__exec_get_u64(const vg_msg_t *m, const char *name, uint64_t *out);
/* Fields "<prefix><name>" <-> a name -> value table (g_free'd keys/values). */
void vg__exec_put_table(vg_msg_t *m, const char *prefix, GHashTable *t);
GHashTable *vg__exec_get_table(const vg_msg_t *m, const char *prefix);

#endif
