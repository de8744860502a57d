/*
 * ctld_execd.c: this node's executor seen from the controller.  Runs the
 * rsc_op actions the DC sends (register the resource, run the operation in
 * vigil-execd) and reports every result to the DC, including later changes
 * of recurring monitors.  A restarted execd (new boot id) knows nothing:
 * the DC is told so and re-probes this node.
 *
 * Result message "rsc-result" fields: node, graph, action, key, rsc, class,
 * provider, type, task, interval, call, rc, status, exec, queue, run_at,
 * rc_change, reason, digest, target_rc, and for some tasks cancel_task,
 * migrate_source, migrate_target.  The digest is the one the scheduler
 * compares with (vg_sched_op_digest over every attribute of the action,
 * so CRM_meta_timeout counts for recurring operations).
 *
 * Requests that arrive while the node is starting, before vigil-execd
 * is up, wait for it (a probe failed "not connected" would be recorded as
 * a failure, or as in flight forever).
 *
 * Never does: decide anything about resources; record history (the DC does).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define VG_LOG_SUBSYS "execd"
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <vigil/exec.h>
#include <vigil/sched.h>

#include "ctld_private.h"

#define RETRY_MS 500
/* How long a request may wait for vigil-execd to come up (the node is
 * starting: the DC may send the first probes before its executor runs). */
#define WAIT_MAX_US (10 * G_USEC_PER_SEC)

/* A request kept until vigil-execd is connected. */
typedef struct waiting {
	uint8_t *buf; /* the encoded request */
	size_t len;
	gint64 since; /* monotonic, microseconds */
} waiting_t;

static void waiting_free(gpointer p)
{
	waiting_t *w = p;
	g_free(w->buf);
	g_free(w);
}

/* What we must remember about an operation to report its results. */
typedef struct local_op {
	vg_msg_t *res; /* result template: every field but the outcome */
	bool recurring;
} local_op_t;

static void local_op_free(gpointer p)
{
	local_op_t *o = p;
	vg_msg_free(o->res);
	g_free(o);
}

static void send_result(ctld_t *c, vg_msg_t *m)
{
	if (ctld_is_dc(c))
		ctld_transition_on_result(c, c->me, m);
	else if (c->dc)
		ctld_peer_send(c, c->dc, m);
	else
		vg_log_warn("no DC to report %s %s to", vg_msg_get(m, "rsc"),
		            vg_msg_get(m, "task"));
}

static void on_event(const vg_exec_event_t *ev, void *data)
{
	ctld_t *c = data;
	local_op_t *o;

	if (ev->type == VG_EXEC_EV_DISCONNECTED) {
		vg_log_warn("lost the connection to vigil-execd; reconnecting");
		ctld_execd_stop(c);
		ctld_execd_start(c);
		return;
	}
	o = ev->user_data ? g_hash_table_lookup(c->local_ops, ev->user_data) : NULL;
	if (!o) {
		vg_log_debug("result of %s %s for nobody", ev->rsc_id, ev->action);
		return;
	}
	vg_msg_t *m = vg_msg_new("rsc-result");
	const char *name, *value;
	for (size_t i = 0; vg_msg_field(o->res, i, &name, &value); i++)
		if (strcmp(name, "t") != 0 && value)
			vg_msg_set(m, name, value);
	vg_msg_set_int(m, "call", ev->call_id);
	vg_msg_set_int(m, "rc", ev->rc);
	vg_msg_set_int(m, "status", ev->status);
	vg_msg_set_int(m, "exec", (int64_t)ev->exec_ms);
	vg_msg_set_int(m, "queue", (int64_t)ev->queue_ms);
	vg_msg_set_int(m, "run_at", ev->run_at);
	vg_msg_set_int(m, "rc_change", ev->last_rc_change);
	if (ev->exit_reason)
		vg_msg_set(m, "reason", ev->exit_reason);
	vg_log_info("%s %s (interval %llu): rc %d, %s", ev->rsc_id, ev->action,
	            (unsigned long long)ev->interval_ms, ev->rc,
	            vg_exec_op_status_name(ev->status));
	/* A probe tells the role too (a restarted controller relearns it). */
	if (ev->interval_ms == 0 && g_strcmp0(ev->action, "monitor") == 0 && c->promoted &&
	    ev->status == VG_OP_DONE) {
		if (ev->rc == VG_OCF_RUNNING_PROMOTED)
			g_hash_table_add(c->promoted, g_strdup(ev->rsc_id));
		else
			g_hash_table_remove(c->promoted, ev->rsc_id);
	}
	bool cancelled = ev->status == VG_OP_CANCELLED;
	if (cancelled)
		vg_msg_set(m, "action", "-1"); /* tells the DC to drop the record */
	send_result(c, m);
	vg_msg_free(m);
	if (!o->recurring || cancelled)
		g_hash_table_remove(c->local_ops, ev->user_data);
	else
		/* Later results are changes, not the answer to the action. */
		vg_msg_set(o->res, "action", "-1");
}

static void check_boot(ctld_t *c)
{
	vg_exec_info_t info = {0};
	vg_error_t err = {0};
	if (vg_exec_client_info(c->execd, &info, &err) != 0)
		return;
	bool restarted = c->execd_boot && g_strcmp0(c->execd_boot, info.boot_id) != 0;
	g_free(c->execd_boot);
	c->execd_boot = g_strdup(info.boot_id);
	vg_exec_info_clear(&info);
	if (restarted) {
		vg_log_warn("vigil-execd restarted: its resources must be re-probed");
		g_hash_table_remove_all(c->local_ops);
		vg_msg_t *m = vg_msg_new("execd-restarted");
		vg_msg_set(m, "node", c->me);
		if (ctld_is_dc(c))
			ctld_join_member_up(c, c->me);
		else if (c->dc)
			ctld_peer_send(c, c->dc, m);
		vg_msg_free(m);
	}
}

/* The requests that waited for the executor, in their order; one that
 * waited too long is dropped (the DC times it out: a start it no longer
 * expects must not run). */
static void run_waiting(ctld_t *c)
{
	waiting_t *w;

	while (c->execd_waiting && (w = g_queue_pop_head(c->execd_waiting)) != NULL) {
		vg_msg_t *m = NULL;
		vg_error_t err = {0};

		if (vg_msg_decode(w->buf, w->len, 0, &m, &err) != 0) {
			vg_log_warn("a request kept for vigil-execd is unreadable: %s", err.msg);
		} else if (g_get_monotonic_time() - w->since > WAIT_MAX_US) {
			/* the DC's action timer answers for it */
			vg_log_warn("%s: dropped, vigil-execd came up too late for it",
			            vg_msg_get(m, "op_key"));
		} else {
			ctld_execd_run(c, c->me, m);
		}
		vg_msg_free(m);
		waiting_free(w);
	}
}

static gboolean try_connect(gpointer data)
{
	ctld_t *c = data;
	vg_error_t err = {0};
	c->execd = vg_exec_client_connect(c->me, &err);
	if (!c->execd)
		return G_SOURCE_CONTINUE;
	c->execd_retry = 0;
	vg_exec_client_attach(c->execd, on_event, c);
	check_boot(c);
	vg_log_info("connected to vigil-execd");
	run_waiting(c);
	return G_SOURCE_REMOVE;
}

void ctld_execd_start(ctld_t *c)
{
	if (!c->local_ops)
		c->local_ops =
		    g_hash_table_new_full(g_str_hash, g_str_equal, g_free, local_op_free);
	if (!c->promoted)
		c->promoted = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	if (c->execd || c->execd_retry)
		return;
	if (try_connect(c) == G_SOURCE_CONTINUE)
		c->execd_retry = g_timeout_add(RETRY_MS, try_connect, c);
}

void ctld_execd_stop(ctld_t *c)
{
	if (c->execd_retry)
		g_source_remove(c->execd_retry);
	c->execd_retry = 0;
	if (c->execd)
		vg_exec_client_free(c->execd);
	c->execd = NULL;
	if (c->execd_waiting)
		g_queue_free_full(c->execd_waiting, waiting_free);
	c->execd_waiting = NULL;
}

/* Keep a request until the executor is connected (ctld_execd_start retries
 * every RETRY_MS). */
static bool wait_for_execd(ctld_t *c, const vg_msg_t *m)
{
	waiting_t *w;

	if (c->execd || !c->execd_retry)
		return false;
	w = g_new0(waiting_t, 1);
	if (vg_msg_encode(m, &w->buf, &w->len) != 0) {
		g_free(w);
		return false;
	}
	w->since = g_get_monotonic_time();
	if (!c->execd_waiting)
		c->execd_waiting = g_queue_new();
	g_queue_push_tail(c->execd_waiting, w);
	vg_log_info("%s: waiting for vigil-execd to come up", vg_msg_get(m, "op_key"));
	return true;
}

static void fail_now(ctld_t *c, vg_msg_t *res, int status, const char *why)
{
	vg_msg_set_int(res, "rc", VG_OCF_ERR_GENERIC);
	vg_msg_set_int(res, "status", status);
	vg_msg_set_int(res, "call", -1);
	vg_msg_set_int(res, "run_at", (int64_t)(g_get_real_time() / G_USEC_PER_SEC));
	vg_msg_set_int(res, "rc_change", (int64_t)(g_get_real_time() / G_USEC_PER_SEC));
	vg_msg_set(res, "reason", why);
	send_result(c, res);
}

static void ok_now(ctld_t *c, vg_msg_t *res)
{
	vg_msg_set_int(res, "rc", 0);
	vg_msg_set_int(res, "status", VG_OP_DONE);
	vg_msg_set_int(res, "call", -1);
	send_result(c, res);
}

/*
 * Fencing devices are resources too, but vigil-fenced runs them (it takes
 * its devices from the CIB): here "started" only records that the scheduler
 * placed the device on this node, so that probes answer truthfully.
 */
static void stonith_op(ctld_t *c, vg_msg_t *res, const char *id, const char *task,
                       uint64_t interval)
{
	int rc = 0;
	if (!c->stonith_started)
		c->stonith_started = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	if (g_strcmp0(task, "start") == 0)
		g_hash_table_add(c->stonith_started, g_strdup(id));
	else if (g_strcmp0(task, "stop") == 0)
		g_hash_table_remove(c->stonith_started, id);
	else if (g_strcmp0(task, "monitor") == 0 && interval == 0)
		rc = g_hash_table_contains(c->stonith_started, id) ? 0 : 7;
	vg_msg_set_int(res, "rc", rc);
	vg_msg_set_int(res, "status", VG_OP_DONE);
	vg_msg_set_int(res, "call", ++c->next_req);
	vg_msg_set_int(res, "run_at", (int64_t)(g_get_real_time() / G_USEC_PER_SEC));
	vg_msg_set_int(res, "rc_change", (int64_t)(g_get_real_time() / G_USEC_PER_SEC));
	send_result(c, res);
}

/* Operations after which a resource's recurring monitors no longer fit:
 * the scheduler asks for the monitors of the new role itself. */
static bool role_change(const char *task)
{
	static const char *const tasks[] = {"stop", "promote", "demote", "migrate_to"};
	for (size_t i = 0; i < G_N_ELEMENTS(tasks); i++)
		if (g_strcmp0(task, tasks[i]) == 0)
			return true;
	return false;
}

static void cancel_recurring(ctld_t *c, const char *rsc)
{
	GPtrArray *list = NULL;
	if (vg_exec_client_list_recurring(c->execd, &list, NULL) != 0 || !list)
		return;
	for (guint i = 0; i < list->len; i++) {
		vg_exec_recurring_t *r = g_ptr_array_index(list, i);
		if (g_strcmp0(r->rsc_id, rsc) == 0)
			vg_exec_client_cancel(c->execd, r->rsc_id, r->action, r->interval_ms, NULL);
	}
	g_ptr_array_unref(list);
}

/*
 * Which resources this node promoted.  A recurring monitor of a promoted
 * instance answers 8 ("running promoted") when all is well; when the graph
 * does not say so (neither CRM_meta_role nor CRM_meta_op_target_rc, as from
 * older schedulers), the node does: operations on
 * one resource run in the order they were sent, so a monitor sent after a
 * promote checks the promoted state.
 */
static void track_role(ctld_t *c, vg_msg_t *res, const char *rsc, const char *task,
                       uint64_t interval)
{
	if (!c->promoted)
		c->promoted = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	if (g_strcmp0(task, "promote") == 0)
		g_hash_table_add(c->promoted, g_strdup(rsc));
	else if (g_strcmp0(task, "demote") == 0 || g_strcmp0(task, "stop") == 0 ||
	         g_strcmp0(task, "start") == 0)
		g_hash_table_remove(c->promoted, rsc);
	else if (g_strcmp0(task, "monitor") == 0 && interval > 0 &&
	         vg_msg_get(res, "target_from_graph") == NULL &&
	         g_strcmp0(vg_msg_get(res, "target_rc"), "0") == 0 &&
	         g_hash_table_contains(c->promoted, rsc)) {
		/* The transition key carries the expected rc too (action:graph:rc:dc). */
		char **parts =
		    g_strsplit(vg_msg_get(res, "key") ? vg_msg_get(res, "key") : "", ":", 4);
		if (g_strv_length(parts) == 4) {
			char *key = g_strdup_printf("%s:%s:8:%s", parts[0], parts[1], parts[3]);
			vg_msg_set(res, "key", key);
			g_free(key);
		}
		g_strfreev(parts);
		vg_msg_set(res, "target_rc", "8");
	}
}

static uint64_t meta_ms(GHashTable *meta, const char *name)
{
	const char *v = g_hash_table_lookup(meta, name);
	return v ? g_ascii_strtoull(v, NULL, 10) : 0;
}

void ctld_execd_run(ctld_t *c, const char *from, const vg_msg_t *m)
{
	xmlNode *op = vg_msg_xml(m), *prim, *attrs;
	GHashTable *params = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	GHashTable *meta = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	GHashTable *all;
	vg_msg_t *res;
	vg_error_t err = {0};
	const char *name, *value;

	if (wait_for_execd(c, m)) {
		g_hash_table_unref(params);
		g_hash_table_unref(meta);
		return;
	}
	all = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	res = vg_msg_new("rsc-result");

	for (size_t i = 0; vg_msg_field(m, i, &name, &value); i++)
		if (strcmp(name, "t") != 0)
			vg_msg_set(res, name, value);
	vg_msg_set(res, "node", c->me);
	prim = op ? vg_xml_first(op, "primitive") : NULL;
	if (!prim) {
		fail_now(c, res, VG_OP_INVALID, "malformed action");
		goto out;
	}
	attrs = vg_xml_first(op, "attributes");
	for (xmlAttr *a = attrs ? attrs->properties : NULL; a; a = a->next) {
		const char *n = (const char *)a->name;
		xmlChar *v = xmlGetProp(attrs, a->name);
		g_hash_table_insert(all, g_strdup(n), g_strdup((char *)v));
		if (g_str_has_prefix(n, "CRM_meta_"))
			g_hash_table_insert(meta, g_strdup(n + 9), g_strdup((char *)v));
		else
			g_hash_table_insert(params, g_strdup(n), g_strdup((char *)v));
		xmlFree(v);
	}
	const char *task = vg_xml_get(op, "operation");
	uint64_t interval = meta_ms(meta, "interval");
	vg_exec_rsc_t rsc = {
	    .id = vg_xml_get(prim, "id"),
	    .klass = vg_xml_get(prim, "class"),
	    .provider = vg_xml_get(prim, "provider"),
	    .type = vg_xml_get(prim, "type"),
	    .params = params,
	    .meta = meta,
	};
	vg_msg_set(res, "rsc", rsc.id);
	vg_msg_set(res, "class", rsc.klass);
	vg_msg_set(res, "provider", rsc.provider);
	vg_msg_set(res, "type", rsc.type);
	vg_msg_set(res, "task", task);
	vg_msg_set_int(res, "interval", (int64_t)interval);
	if (g_strcmp0(rsc.klass, "stonith") == 0) {
		stonith_op(c, res, rsc.id, task, interval);
		goto out;
	}
	if (!c->execd) {
		fail_now(c, res, VG_OP_NOT_CONNECTED, "vigil-execd is not running on this node");
		goto out;
	}
	if (g_strcmp0(task, "cancel") == 0) {
		const char *what = g_hash_table_lookup(meta, "operation");
		vg_msg_set(res, "cancel_task", what ? what : "monitor");
		vg_exec_client_cancel(c->execd, rsc.id, what ? what : "monitor", interval, NULL);
		ok_now(c, res);
		goto out;
	}
	if (g_strcmp0(task, "delete") == 0) {
		vg_exec_client_unregister(c->execd, rsc.id, NULL);
		ok_now(c, res);
		goto out;
	}
	if (vg_exec_client_register(c->execd, &rsc, &err) != 0) {
		fail_now(c, res, err.code == VG_ENOTSUP ? VG_OP_NOT_SUPPORTED : VG_OP_ERROR,
		         err.msg);
		goto out;
	}
	if (role_change(task) || g_strcmp0(task, "start") == 0)
		cancel_recurring(c, rsc.id);
	track_role(c, res, rsc.id, task, interval);
	if (interval > 0) /* never two copies of one recurring op */
		vg_exec_client_cancel(c->execd, rsc.id, task, interval, NULL);
	if (g_hash_table_lookup(meta, "migrate_source")) {
		vg_msg_set(res, "migrate_source", g_hash_table_lookup(meta, "migrate_source"));
		vg_msg_set(res, "migrate_target", g_hash_table_lookup(meta, "migrate_target"));
	}
	char *digest = vg_sched_op_digest(all, (guint)interval);
	vg_msg_set(res, "digest", digest);
	g_free(digest);
	char *token = g_strdup_printf("op-%llu", (unsigned long long)++c->next_req);
	vg_exec_op_t eop = {
	    .rsc_id = rsc.id,
	    .action = task,
	    .interval_ms = interval,
	    .timeout_ms = meta_ms(meta, "timeout"),
	    .start_delay_ms = meta_ms(meta, "start_delay"),
	    .user_data = token,
	};
	local_op_t *lo = g_new0(local_op_t, 1);
	lo->res = res;
	lo->recurring = interval > 0;
	res = NULL;
	g_hash_table_insert(c->local_ops, token, lo);
	if (vg_exec_client_run(c->execd, &eop, NULL, &err) != 0) {
		vg_msg_t *r = lo->res;
		lo->res = NULL;
		g_hash_table_remove(c->local_ops, token);
		lo = NULL;
		fail_now(c, r, VG_OP_ERROR, err.msg);
		vg_msg_free(r);
	}
out:
	(void)from;
	g_hash_table_unref(params);
	g_hash_table_unref(meta);
	g_hash_table_unref(all);
	if (res)
		vg_msg_free(res);
}

void ctld_execd_forget(ctld_t *c, const char *rsc)
{
	vg_error_t err = {0};
	if (!rsc)
		return;
	if (c->promoted)
		g_hash_table_remove(c->promoted, rsc);
	/* Its recurring monitors end: the DC ignores their cancellation (a
	 * cancelled run removes only its own record). */
	if (c->execd && vg_exec_client_unregister(c->execd, rsc, &err) != 0 &&
	    err.code != VG_ENOENT)
		vg_log_warn("%s: the executor did not forget it: %s", rsc, err.msg);
	else
		vg_log_notice("%s: forgotten (its history was erased)", rsc);
}
