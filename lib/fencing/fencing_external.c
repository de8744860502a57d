/*
 * fencing_external.c: running cluster-glue external STONITH plugins
 * (/usr/lib/stonith/plugins/external/NAME): the device's parameters are
 * environment variables, the operation is argv[1] and the host argv[2]:
 * on/off/reset HOST, status (the device, not a port), gethosts,
 * getconfignames, getinfo-xml.  Exit status 0 is success.  A port-level
 * status is not part of that interface, so it is reported as unsupported.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define VG_LOG_SUBSYS "fencing"
#include <string.h>

#include "fencing_private.h"

const char *fence_external_dir(void)
{
	const char *d = g_getenv("VIGIL_FENCE_EXTERNAL_DIR");
	return d && *d ? d : FENCE_EXTERNAL_DIR;
}

static const char *const glue_ops[VG_FENCE_N_ACTIONS] = {
    [VG_FENCE_REBOOT] = "reset",
    [VG_FENCE_OFF] = "off",
    [VG_FENCE_ON] = "on",
    [VG_FENCE_STATUS] = NULL,
    [VG_FENCE_MONITOR] = "status",
    [VG_FENCE_LIST] = "gethosts",
    [VG_FENCE_METADATA] = "getinfo-xml",
};

static bool env_name_ok(const char *k)
{
	if (!g_ascii_isalpha(*k) && *k != '_')
		return false;
	for (; *k; k++)
		if (!g_ascii_isalnum(*k) && *k != '_')
			return false;
	return true;
}

void fence_external_run(const vg_fence_op_t *op, vg_fence_op_done_fn done, void *data)
{
	const char *name = op->device->agent + strlen("external/");
	const char *opname = glue_ops[op->action];
	vg_fence_op_result_t r = {0};

	if (*name == '\0' || strchr(name, '/') != NULL || name[0] == '.') {
		fence_fail(&r, VG_ECONFIG, "%s: invalid plugin name \"%s\"", op->device->id,
		           op->device->agent);
		fence_defer_result(&r, done, data);
		return;
	}
	if (op->device->action_override[op->action] != NULL)
		opname = op->device->action_override[op->action];
	if (opname == NULL) {
		fence_fail(&r, VG_ENOTSUP, "%s (%s): cluster-glue plugins have no %s action",
		           op->device->id, op->device->agent, vg_fence_action_name(op->action));
		fence_defer_result(&r, done, data);
		return;
	}

	char *path = g_build_filename(fence_external_dir(), name, NULL);
	char **base = fence_child_env(true);
	GPtrArray *env = g_ptr_array_new_with_free_func(g_free);
	GHashTableIter it;
	gpointer k, v;
	for (char **e = base; *e != NULL; e++)
		g_ptr_array_add(env, g_strdup(*e));
	g_strfreev(base);
	g_hash_table_iter_init(&it, op->device->params);
	while (g_hash_table_iter_next(&it, &k, &v))
		if (!g_str_has_prefix(k, "pcmk_") && env_name_ok(k))
			g_ptr_array_add(env, g_strdup_printf("%s=%s", (char *)k, (char *)v));
	g_ptr_array_add(env, NULL);

	char *host = op->target ? vg_fence_device_port(op->device, op->target) : NULL;
	char *argv[4] = {path, (char *)opname, host, NULL};
	fence_spawn(op, path, argv, (char **)env->pdata, NULL, true, done, data);
	g_free(host);
	g_ptr_array_unref(env);
	g_free(path);
}
