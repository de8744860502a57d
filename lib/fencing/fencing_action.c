/*
 * fencing_action.c: the names of fencing actions and the small shared
 * helpers of the library (parameter fallbacks, failure sentences).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define VG_LOG_SUBSYS "fencing"
#include <stdarg.h>
#include <string.h>

#include "fencing_private.h"

static const char *const action_names[VG_FENCE_N_ACTIONS] = {
    [VG_FENCE_REBOOT] = "reboot",     [VG_FENCE_OFF] = "off",         [VG_FENCE_ON] = "on",
    [VG_FENCE_STATUS] = "status",     [VG_FENCE_MONITOR] = "monitor", [VG_FENCE_LIST] = "list",
    [VG_FENCE_METADATA] = "metadata",
};

const char *vg_fence_action_name(vg_fence_action_t a)
{
	if ((unsigned)a >= VG_FENCE_N_ACTIONS)
		return "unknown";
	return action_names[a];
}

int vg_fence_action_parse(const char *s, vg_fence_action_t *out)
{
	if (s == NULL)
		return VG_EINVAL;
	if (strcmp(s, "reset") == 0) {
		*out = VG_FENCE_REBOOT;
		return 0;
	}
	for (unsigned i = 0; i < VG_FENCE_N_ACTIONS; i++) {
		if (strcmp(s, action_names[i]) == 0) {
			*out = (vg_fence_action_t)i;
			return 0;
		}
	}
	return VG_EINVAL;
}

const char *fence_param(const vg_fence_device_t *d, const char *const *names)
{
	for (; *names != NULL; names++) {
		const char *v = g_hash_table_lookup(d->params, *names);
		if (v != NULL && *v != '\0')
			return v;
	}
	return NULL;
}

int fence_fail(vg_fence_op_result_t *r, int rc, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	g_free(r->reason);
	r->reason = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	r->rc = rc;
	return rc;
}

uint64_t fence_op_timeout(const vg_fence_op_t *op)
{
	if (op->timeout_ms > 0)
		return op->timeout_ms;
	return vg_fence_device_timeout(op->device, op->action, FENCE_DEFAULT_TIMEOUT_MS);
}

void vg_fence_op_result_clear(vg_fence_op_result_t *r)
{
	g_free(r->reason);
	g_free(r->output);
	memset(r, 0, sizeof(*r));
}

guint fence_idle_add(GSourceFunc fn, gpointer data)
{
	GSource *src = g_idle_source_new();
	guint id;
	g_source_set_callback(src, fn, data, NULL);
	id = g_source_attach(src, g_main_context_get_thread_default());
	g_source_unref(src);
	return id;
}
