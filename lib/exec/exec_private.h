/*
 * exec_private.h: helpers shared by the lib/exec source files, not part of
 * the public API (include/vigil/exec.h).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef VIGIL_EXEC_PRIVATE_H
#define VIGIL_EXEC_PRIVATE_H

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

#endif
