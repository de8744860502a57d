/*
 * exec_proto.c: the vigil-execd wire protocol, shared by the daemon and the
 * client so the two cannot drift apart.  Every request and reply is a vg_msg:
 *
 *   request type    fields                                    reply fields
 *   exec-info       -                                         boot_id, n_rsc, n_active, max
 *   exec-register   id, class, provider, type, p.<name>, m.<name>   -
 *   exec-unregister id                                        -
 *   exec-run        rsc, action, interval, timeout, delay,    call_id
 *                   user_data, o.<name> (op parameters)
 *   exec-cancel     rsc, action, interval                     -
 *   exec-refresh    rsc, action, interval                     -
 *   exec-list       -                                         XML <recurring><op .../></recurring>
 *
 * Every reply carries "rc" (0 or a VG_E* code) and, on failure, "error".
 * Results travel as "exec-result" events (vg_exec_event_to_msg below).
 * Decoding checks every field a handler relies on; a malformed message is
 * VG_EPROTO, never a crash.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include <vigil/exec.h>

#include "exec_internal.h"

static void set_u64(vg_msg_t *m, const char *name, uint64_t v)
{
	vg_msg_set_int(m, name, (int64_t)MIN(v, (uint64_t)G_MAXINT64));
}

vg_msg_t *vg_exec_event_to_msg(const vg_exec_event_t *ev)
{
	vg_msg_t *m = vg_msg_new(VG__EXEC_MSG_RESULT);

	vg_msg_set(m, "rsc", ev->rsc_id);
	vg_msg_set(m, "action", ev->action);
	set_u64(m, "interval", ev->interval_ms);
	vg_msg_set_int(m, "call_id", ev->call_id);
	vg_msg_set_int(m, "rc", ev->rc);
	vg_msg_set_int(m, "status", ev->status);
	set_u64(m, "exec_ms", ev->exec_ms);
	set_u64(m, "queue_ms", ev->queue_ms);
	vg_msg_set_int(m, "run_at", ev->run_at);
	vg_msg_set_int(m, "rc_change", ev->last_rc_change);
	vg_msg_set(m, "reason", ev->exit_reason);
	vg_msg_set(m, "out", ev->out);
	vg_msg_set(m, "err", ev->err);
	vg_msg_set(m, "user_data", ev->user_data);
	return m;
}

int vg__exec_get_u64(const vg_msg_t *m, const char *name, uint64_t *out)
{
	int64_t v = 0;
	int rc = vg_msg_get_int(m, name, &v);

	if (rc == VG_ENOENT) {
		*out = 0;
		return VG_OK;
	}
	if (rc != VG_OK || v < 0)
		return VG_EPROTO;
	*out = (uint64_t)v;
	return VG_OK;
}

static int get_int(const vg_msg_t *m, const char *name, int64_t lo, int64_t hi, int64_t *out)
{
	int64_t v = 0;

	if (vg_msg_get_int(m, name, &v) != VG_OK || v < lo || v > hi)
		return VG_EPROTO;
	*out = v;
	return VG_OK;
}

int vg_exec_event_from_msg(const vg_msg_t *m, vg_exec_event_t **out, vg_error_t *err)
{
	vg_exec_event_t *ev;
	int64_t call_id = 0, rc = 0, status = 0, run_at = 0, change = 0;

	*out = NULL;
	if (strcmp(vg_msg_type(m), VG__EXEC_MSG_RESULT) != 0 || vg_msg_get(m, "rsc") == NULL ||
	    vg_msg_get(m, "action") == NULL ||
	    get_int(m, "call_id", 0, G_MAXINT, &call_id) != VG_OK ||
	    get_int(m, "rc", G_MININT, G_MAXINT, &rc) != VG_OK ||
	    get_int(m, "status", VG_OP_PENDING, VG_OP_INVALID, &status) != VG_OK ||
	    get_int(m, "run_at", G_MININT64, G_MAXINT64, &run_at) != VG_OK ||
	    get_int(m, "rc_change", G_MININT64, G_MAXINT64, &change) != VG_OK)
		return vg_error_set(err, VG_EPROTO, "vigil-execd: malformed %s event",
		                    vg_msg_type(m));
	ev = g_new0(vg_exec_event_t, 1);
	ev->type = VG_EXEC_EV_RESULT;
	if (vg__exec_get_u64(m, "interval", &ev->interval_ms) != VG_OK ||
	    vg__exec_get_u64(m, "exec_ms", &ev->exec_ms) != VG_OK ||
	    vg__exec_get_u64(m, "queue_ms", &ev->queue_ms) != VG_OK) {
		g_free(ev);
		return vg_error_set(err, VG_EPROTO, "vigil-execd: malformed times in a result");
	}
	ev->rsc_id = g_strdup(vg_msg_get(m, "rsc"));
	ev->action = g_strdup(vg_msg_get(m, "action"));
	ev->call_id = (int)call_id;
	ev->rc = (int)rc;
	ev->status = (vg_op_status_t)status;
	ev->run_at = run_at;
	ev->last_rc_change = change;
	ev->exit_reason = g_strdup(vg_msg_get(m, "reason"));
	ev->out = g_strdup(vg_msg_get(m, "out"));
	ev->err = g_strdup(vg_msg_get(m, "err"));
	ev->user_data = g_strdup(vg_msg_get(m, "user_data"));
	*out = ev;
	return VG_OK;
}

void vg_exec_event_free(vg_exec_event_t *ev)
{
	if (ev == NULL)
		return;
	g_free(ev->rsc_id);
	g_free(ev->action);
	g_free(ev->exit_reason);
	g_free(ev->out);
	g_free(ev->err);
	g_free(ev->user_data);
	g_free(ev);
}

void vg__exec_put_table(vg_msg_t *m, const char *prefix, GHashTable *t)
{
	GHashTableIter it;
	gpointer k, v;

	if (t == NULL)
		return;
	g_hash_table_iter_init(&it, t);
	while (g_hash_table_iter_next(&it, &k, &v)) {
		char *name = g_strconcat(prefix, (const char *)k, NULL);

		vg_msg_set(m, name, v != NULL ? v : "");
		g_free(name);
	}
}

GHashTable *vg__exec_get_table(const vg_msg_t *m, const char *prefix)
{
	GHashTable *t = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	size_t plen = strlen(prefix);
	const char *name, *value;

	for (size_t i = 0; vg_msg_field(m, i, &name, &value); i++)
		if (strncmp(name, prefix, plen) == 0 && name[plen] != '\0')
			g_hash_table_replace(t, g_strdup(name + plen), g_strdup(value));
	return t;
}
