/*
 * execd_ops.c: what vigil-execd does with operations.
 *
 *   submit --start-delay--> pending (per resource, FIFO) --slot free--> running
 *   running --agent done--> reported; a recurring op re-arms its interval timer
 *
 * Per resource one agent runs at a time: a resource with pending work and
 * nothing running waits in the node-wide `ready` queue (FIFO, so resources
 * take turns) until fewer than max_children agents run.  A recurring monitor
 * pauses while a one-shot op (start, stop, promote, ...) of its resource is
 * queued or running: its timer fires, sees that, and waits another interval.
 * Recurring results are reported when (rc, status) changes or a refresh was
 * asked for, not every interval.  Results go to every connected client.
 * Never: runs two agents of one resource at once, or drops an op silently
 * (cancelled and unregistered ops report VG_OP_CANCELLED).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define VG_LOG_SUBSYS "execd"
#include "config.h"

#include <string.h>

#include "execd_private.h"

/* Tails sent with results; meta-data keeps the whole document. */
#define EVENT_TAIL_MAX 4096

static void schedule(execd_rsc_t *rsc);
static void pump(execd_t *d);

static GHashTable *str_table(void)
{
	return g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
}

execd_t *execd_new(const char *instance, const char *run_dir, unsigned max_children)
{
	execd_t *d = g_new0(execd_t, 1);
	char *name;

	d->instance = g_strdup(instance);
	d->run_dir = g_strdup(run_dir);
	d->boot_id = g_uuid_string_random();
	d->rscs = g_hash_table_new(g_str_hash, g_str_equal);
	d->conns = g_ptr_array_new();
	d->max_children = max_children;
	d->groups = g_hash_table_new(g_direct_hash, g_direct_equal);
	d->meta_cache = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	name = g_strdup_printf("execd-%s.groups", instance);
	d->groups_path = g_build_filename(run_dir, name, NULL);
	g_free(name);
	g_queue_init(&d->ready);
	return d;
}

static void drop_source(GSource **src)
{
	if (*src != NULL) {
		g_source_destroy(*src);
		g_source_unref(*src);
		*src = NULL;
	}
}

static void op_free(execd_op_t *op)
{
	drop_source(&op->timer);
	if (op->params != NULL)
		g_hash_table_destroy(op->params);
	g_free(op->action);
	g_free(op->user_data);
	g_free(op);
}

static void rsc_free(execd_rsc_t *rsc)
{
	g_free(rsc->id);
	g_free(rsc->klass);
	g_free(rsc->provider);
	g_free(rsc->type);
	g_hash_table_destroy(rsc->params);
	g_hash_table_destroy(rsc->meta);
	/* Recurring ops are owned by rsc->recurring, one-shot ones by the queue. */
	for (GList *l = rsc->pending.head; l != NULL; l = l->next)
		if (((execd_op_t *)l->data)->interval_ms == 0)
			op_free(l->data);
	g_queue_clear(&rsc->pending);
	g_ptr_array_free(rsc->recurring, TRUE);
	g_ptr_array_free(rsc->delayed, TRUE);
	g_free(rsc);
}

void execd_free(execd_t *d)
{
	GHashTableIter it;
	gpointer v;

	g_hash_table_iter_init(&it, d->rscs);
	while (g_hash_table_iter_next(&it, NULL, &v)) {
		execd_rsc_t *rsc = v;

		g_ptr_array_foreach(rsc->recurring, (GFunc)(void (*)(void))op_free, NULL);
		g_ptr_array_foreach(rsc->delayed, (GFunc)(void (*)(void))op_free, NULL);
		rsc_free(rsc);
	}
	g_hash_table_destroy(d->rscs);
	g_queue_clear(&d->ready);
	drop_source(&d->pump_src);
	drop_source(&d->groups_src);
	g_ptr_array_free(d->conns, TRUE);
	g_hash_table_destroy(d->groups);
	g_hash_table_destroy(d->meta_cache);
	g_free(d->groups_path);
	g_free(d->instance);
	g_free(d->run_dir);
	g_free(d->boot_id);
	g_free(d);
}

/* ------------------------------------------------------------ resources */
execd_rsc_t *execd_rsc_register(execd_t *d, const char *id, const char *klass, const char *provider,
                                const char *type, GHashTable *params, GHashTable *meta)
{
	execd_rsc_t *rsc = g_hash_table_lookup(d->rscs, id);

	if (rsc == NULL) {
		rsc = g_new0(execd_rsc_t, 1);
		rsc->d = d;
		rsc->id = g_strdup(id);
		rsc->recurring = g_ptr_array_new();
		rsc->delayed = g_ptr_array_new();
		g_queue_init(&rsc->pending);
		g_hash_table_insert(d->rscs, rsc->id, rsc);
		vg_log_info("resource %s: registered as %s:%s%s%s", id, klass,
		            provider ? provider : "", provider ? ":" : "", type);
	} else {
		g_free(rsc->klass);
		g_free(rsc->provider);
		g_free(rsc->type);
		g_hash_table_destroy(rsc->params);
		g_hash_table_destroy(rsc->meta);
	}
	rsc->removed = false;
	rsc->klass = g_strdup(klass);
	rsc->provider = g_strdup(provider);
	rsc->type = g_strdup(type);
	rsc->params = params != NULL ? params : str_table();
	rsc->meta = meta != NULL ? meta : str_table();
	return rsc;
}

/* Free a removed resource once nothing refers to it any more. */
static void rsc_maybe_free(execd_rsc_t *rsc)
{
	if (!rsc->removed || rsc->running != NULL || !g_queue_is_empty(&rsc->pending) ||
	    rsc->recurring->len > 0 || rsc->delayed->len > 0)
		return;
	if (rsc->in_ready)
		g_queue_remove(&rsc->d->ready, rsc);
	g_hash_table_remove(rsc->d->rscs, rsc->id);
	rsc_free(rsc);
}

/* -------------------------------------------------------------- results */
static char *tail(const char *s, size_t max)
{
	size_t n;

	if (s == NULL || *s == '\0')
		return NULL;
	n = strlen(s);
	if (n <= max)
		return g_strdup(s);
	/* Do not start in the middle of a UTF-8 sequence. */
	s += n - max;
	while ((*s & 0xc0) == 0x80)
		s++;
	return g_strdup(s);
}

static void broadcast(execd_t *d, const vg_exec_event_t *ev)
{
	vg_msg_t *m = vg_exec_event_to_msg(ev);

	for (guint i = 0; i < d->conns->len; i++)
		vg_ipc_send_event(d->conns->pdata[i], m);
	vg_msg_free(m);
}

static void report_cancelled(execd_op_t *op)
{
	vg_exec_event_t ev = {
	    .type = VG_EXEC_EV_RESULT,
	    .rsc_id = op->rsc->id,
	    .action = op->action,
	    .interval_ms = op->interval_ms,
	    .call_id = op->call_id,
	    .rc = op->ran ? op->last_rc : VG_OCF_SUCCESS,
	    .status = VG_OP_CANCELLED,
	    .run_at = g_get_real_time() / G_USEC_PER_SEC,
	    .last_rc_change = op->last_rc_change,
	    .user_data = op->user_data,
	};

	vg_log_info("resource %s: %s (interval %" G_GUINT64_FORMAT " ms) cancelled", op->rsc->id,
	            op->action, op->interval_ms);
	broadcast(op->rsc->d, &ev);
}

static void report(execd_op_t *op, const vg_exec_agent_result_t *res, int64_t started_us,
                   vg_time_t run_at)
{
	bool meta = strcmp(op->action, "meta-data") == 0;
	vg_time_t now = g_get_real_time() / G_USEC_PER_SEC;
	bool changed = !op->ran || res->rc != op->last_rc || res->status != op->last_status;
	vg_exec_event_t ev = {
	    .type = VG_EXEC_EV_RESULT,
	    .rsc_id = op->rsc->id,
	    .action = op->action,
	    .interval_ms = op->interval_ms,
	    .call_id = op->call_id,
	    .rc = res->rc,
	    .status = res->status,
	    .exec_ms = res->exec_ms,
	    .queue_ms = (uint64_t)MAX(0, started_us - op->queued_us) / 1000,
	    .run_at = run_at,
	    .exit_reason = res->exit_reason,
	    .user_data = op->user_data,
	};

	if (changed)
		op->last_rc_change = now;
	op->ran = true;
	op->last_rc = res->rc;
	op->last_status = res->status;
	ev.last_rc_change = op->last_rc_change;
	if (op->interval_ms > 0 && !changed && !op->report_next)
		return;
	op->report_next = false;
	ev.out = meta ? res->out : tail(res->out, EVENT_TAIL_MAX);
	ev.err = tail(res->err, EVENT_TAIL_MAX);
	if (res->status != VG_OP_DONE ||
	    (res->rc != VG_OCF_SUCCESS && res->rc != VG_OCF_NOT_RUNNING &&
	     res->rc != VG_OCF_RUNNING_PROMOTED))
		vg_log_notice(
		    "resource %s: %s (interval %" G_GUINT64_FORMAT " ms): %s, rc %d (%s)%s%s",
		    op->rsc->id, op->action, op->interval_ms, vg_exec_op_status_name(res->status),
		    res->rc, vg_exec_ocf_rc_name(res->rc), res->exit_reason ? ": " : "",
		    res->exit_reason ? res->exit_reason : "");
	else
		vg_log_info("resource %s: %s (interval %" G_GUINT64_FORMAT " ms): rc %d (%s)",
		            op->rsc->id, op->action, op->interval_ms, res->rc,
		            vg_exec_ocf_rc_name(res->rc));
	broadcast(op->rsc->d, &ev);
	if (!meta)
		g_free(ev.out);
	g_free(ev.err);
}

/* ------------------------------------------------------------- running */
typedef struct run_ctx {
	execd_op_t *op;
	int64_t started_us;
	vg_time_t run_at;
	pid_t pgid;
	bool cached;                /* meta-data answered from the cache */
	vg_exec_agent_result_t res; /* the cached answer */
} run_ctx_t;

static gboolean on_interval(gpointer data);

static void arm(execd_op_t *op, uint64_t ms, GSourceFunc fn)
{
	drop_source(&op->timer);
	op->timer = g_timeout_source_new((guint)MIN(ms, G_MAXUINT));
	g_source_set_callback(op->timer, fn, op, NULL);
	g_source_attach(op->timer, NULL);
}

static char *agent_key(const execd_rsc_t *rsc)
{
	return g_strdup_printf("%s:%s:%s", rsc->klass, rsc->provider ? rsc->provider : "",
	                       rsc->type);
}

/*
 * Meta-data that parses is cached for the life of this execd (agents are
 * not expected to change under a running cluster; a restart forgets it).
 * Meta-data that does not parse is an error result saying why, so the
 * controller never acts on garbage.
 */
static void check_metadata(execd_t *d, const execd_rsc_t *rsc, vg_exec_agent_result_t *res)
{
	vg_ra_meta_t *m = NULL;
	vg_error_t err = {0};

	if (res->status != VG_OP_DONE || res->rc != VG_OCF_SUCCESS)
		return;
	if (res->out_truncated)
		vg_error_set(&err, VG_ETOOBIG, "agent meta-data: more than %u bytes",
		             VG_RA_META_MAX_SIZE);
	else if (vg_exec_meta_parse(res->out, res->out ? strlen(res->out) : 0, &m, &err) == VG_OK)
		g_hash_table_replace(d->meta_cache, agent_key(rsc), g_strdup(res->out));
	vg_exec_meta_free(m);
	if (err.code != 0) {
		res->status = VG_OP_ERROR;
		res->rc = VG_OCF_ERR_GENERIC;
		g_free(res->exit_reason);
		res->exit_reason = g_strdup(err.msg);
	}
}

static void on_agent_done(vg_exec_agent_result_t *res, void *data)
{
	run_ctx_t *rc = data;
	execd_op_t *op = rc->op;
	execd_rsc_t *rsc = op->rsc;
	execd_t *d = rsc->d;

	if (strcmp(op->action, "meta-data") == 0 && !rc->cached)
		check_metadata(d, rsc, res);
	d->active--;
	rsc->running = NULL;
	op->child = NULL;
	if (rc->pgid > 0)
		execd_groups_remove(d, rc->pgid);
	if (op->cancelled) {
		report_cancelled(op);
		op_free(op);
	} else {
		report(op, res, rc->started_us, rc->run_at);
		if (op->interval_ms > 0 && !rsc->removed)
			arm(op, op->interval_ms, on_interval);
		else
			op_free(op);
	}
	g_free(rc);
	schedule(rsc);
	rsc_maybe_free(rsc);
	pump(d);
}

static gboolean on_cached(gpointer data)
{
	run_ctx_t *rc = data;
	vg_exec_agent_result_t res = rc->res;

	on_agent_done(&res, rc); /* frees rc */
	vg_exec_agent_result_clear(&res);
	return G_SOURCE_REMOVE;
}

/* Meta-data we already have: answered from the main loop, no agent run. */
static bool answer_from_cache(execd_t *d, execd_rsc_t *rsc, run_ctx_t *rc)
{
	char *key = agent_key(rsc);
	const char *xml = g_hash_table_lookup(d->meta_cache, key);
	GSource *s;

	g_free(key);
	if (xml == NULL)
		return false;
	rc->cached = true;
	rc->res.status = VG_OP_DONE;
	rc->res.rc = VG_OCF_SUCCESS;
	rc->res.out = g_strdup(xml);
	s = g_idle_source_new();
	g_source_set_priority(s, G_PRIORITY_DEFAULT);
	g_source_set_callback(s, on_cached, rc, NULL);
	g_source_attach(s, NULL);
	g_source_unref(s);
	return true;
}

static void start(execd_op_t *op)
{
	execd_rsc_t *rsc = op->rsc;
	execd_t *d = rsc->d;
	run_ctx_t *rc = g_new0(run_ctx_t, 1);
	GHashTable *params = NULL;
	char *marker = g_strdup_printf("VIGIL_EXECD_INSTANCE=%s", d->instance);
	char *extra[] = {marker, NULL};
	vg_exec_agent_op_t aop = {
	    .rsc_id = rsc->id,
	    .klass = rsc->klass,
	    .provider = rsc->provider,
	    .type = rsc->type,
	    .action = op->action,
	    .params = rsc->params,
	    .meta = rsc->meta,
	    .timeout_ms = op->timeout_ms,
	    .interval_ms = op->interval_ms,
	    .paths = &d->paths,
	    .extra_env = extra,
	};

	if (op->params != NULL && g_hash_table_size(op->params) > 0) {
		GHashTableIter it;
		gpointer k, v;

		params = str_table();
		g_hash_table_iter_init(&it, rsc->params);
		while (g_hash_table_iter_next(&it, &k, &v))
			g_hash_table_replace(params, g_strdup(k), g_strdup(v));
		g_hash_table_iter_init(&it, op->params);
		while (g_hash_table_iter_next(&it, &k, &v))
			g_hash_table_replace(params, g_strdup(k), g_strdup(v));
		aop.params = params;
	}
	rsc->running = op;
	d->active++;
	d->peak_active = MAX(d->peak_active, d->active);
	rc->op = op;
	rc->started_us = g_get_monotonic_time();
	rc->run_at = g_get_real_time() / G_USEC_PER_SEC;
	if (strcmp(op->action, "meta-data") == 0 && answer_from_cache(d, rsc, rc)) {
		if (params != NULL)
			g_hash_table_destroy(params);
		g_free(marker);
		return;
	}
	vg_log_debug("resource %s: running %s (call %d)", rsc->id, op->action, op->call_id);
	vg_exec_agent_run(&aop, on_agent_done, rc, &op->child);
	if (op->child != NULL) {
		rc->pgid = vg_exec_child_pid(op->child);
		execd_groups_add(d, rc->pgid);
	}
	if (params != NULL)
		g_hash_table_destroy(params);
	g_free(marker);
}

static void pump(execd_t *d)
{
	while (!d->stopping && d->active < d->max_children && !g_queue_is_empty(&d->ready)) {
		execd_rsc_t *rsc = g_queue_pop_head(&d->ready);
		execd_op_t *op;

		rsc->in_ready = false;
		op = g_queue_pop_head(&rsc->pending);
		if (op == NULL || rsc->running != NULL)
			continue; /* its queue was emptied by a cancel */
		op->queued = false;
		start(op);
	}
}

static void schedule(execd_rsc_t *rsc)
{
	if (rsc->running == NULL && !rsc->in_ready && !g_queue_is_empty(&rsc->pending)) {
		g_queue_push_tail(&rsc->d->ready, rsc);
		rsc->in_ready = true;
	}
}

static gboolean on_pump(gpointer data)
{
	execd_t *d = data;

	g_source_unref(d->pump_src);
	d->pump_src = NULL;
	pump(d);
	return G_SOURCE_REMOVE;
}

/* Start agents from the main loop, not inside a request handler, so that a
 * burst of requests is answered at once instead of one fork at a time. */
static void pump_soon(execd_t *d)
{
	if (d->pump_src != NULL)
		return;
	d->pump_src = g_idle_source_new();
	g_source_set_priority(d->pump_src, G_PRIORITY_DEFAULT);
	g_source_set_callback(d->pump_src, on_pump, d, NULL);
	g_source_attach(d->pump_src, NULL);
}

static void enqueue(execd_op_t *op)
{
	op->queued = true;
	op->queued_us = g_get_monotonic_time();
	g_queue_push_tail(&op->rsc->pending, op);
	schedule(op->rsc);
	pump_soon(op->rsc->d);
}

/* Is a one-shot op of this resource queued or running? */
static bool one_shot_busy(const execd_rsc_t *rsc)
{
	if (rsc->running != NULL && rsc->running->interval_ms == 0)
		return true;
	for (GList *l = rsc->pending.head; l != NULL; l = l->next)
		if (((execd_op_t *)l->data)->interval_ms == 0)
			return true;
	return false;
}

static gboolean on_interval(gpointer data)
{
	execd_op_t *op = data;

	g_source_unref(op->timer);
	op->timer = NULL;
	if (one_shot_busy(op->rsc) || op->queued || op->rsc->running == op) {
		/* Paused around start/stop (or still busy): try next interval. */
		arm(op, op->interval_ms, on_interval);
		return G_SOURCE_REMOVE;
	}
	enqueue(op);
	return G_SOURCE_REMOVE;
}

static gboolean on_start_delay(gpointer data)
{
	execd_op_t *op = data;

	g_source_unref(op->timer);
	op->timer = NULL;
	if (op->interval_ms == 0)
		g_ptr_array_remove(op->rsc->delayed, op);
	enqueue(op);
	return G_SOURCE_REMOVE;
}

int execd_op_submit(execd_t *d, execd_rsc_t *rsc, const char *action, uint64_t interval_ms,
                    uint64_t timeout_ms, uint64_t start_delay_ms, GHashTable *params,
                    const char *user_data, vg_ipc_conn_t *owner)
{
	execd_op_t *op = g_new0(execd_op_t, 1), *old;

	op->rsc = rsc;
	op->call_id = ++d->next_call_id;
	if (d->next_call_id >= G_MAXINT - 1)
		d->next_call_id = 0;
	op->action = g_strdup(action);
	op->interval_ms = interval_ms;
	op->timeout_ms = timeout_ms;
	op->start_delay_ms = start_delay_ms;
	op->params = params;
	op->user_data = g_strdup(user_data);
	op->owner = owner;
	op->last_rc = -1;
	if (interval_ms > 0) {
		old = execd_recurring_find(rsc, action, interval_ms);
		if (old != NULL)
			execd_recurring_cancel(old);
		g_ptr_array_add(rsc->recurring, op);
	}
	if (start_delay_ms > 0) {
		if (interval_ms == 0)
			g_ptr_array_add(rsc->delayed, op);
		arm(op, start_delay_ms, on_start_delay);
	} else {
		enqueue(op);
	}
	return op->call_id;
}

execd_op_t *execd_recurring_find(execd_rsc_t *rsc, const char *action, uint64_t interval_ms)
{
	for (guint i = 0; i < rsc->recurring->len; i++) {
		execd_op_t *op = rsc->recurring->pdata[i];

		if (op->interval_ms == interval_ms && strcmp(op->action, action) == 0)
			return op;
	}
	return NULL;
}

/* Take an op out of wherever it waits; it reports cancelled now unless it
 * runs (then on_agent_done reports when the agent finishes). */
static void cancel_op(execd_op_t *op)
{
	execd_rsc_t *rsc = op->rsc;

	op->cancelled = true;
	drop_source(&op->timer);
	if (op->interval_ms > 0)
		g_ptr_array_remove(rsc->recurring, op);
	else
		g_ptr_array_remove(rsc->delayed, op);
	if (op->queued) {
		g_queue_remove(&rsc->pending, op);
		op->queued = false;
	}
	if (rsc->running == op)
		return;
	report_cancelled(op);
	op_free(op);
}

void execd_recurring_cancel(execd_op_t *op)
{
	cancel_op(op);
}

int execd_rsc_unregister(execd_t *d, const char *id)
{
	execd_rsc_t *rsc = g_hash_table_lookup(d->rscs, id);

	if (rsc == NULL || rsc->removed)
		return VG_ENOENT;
	rsc->removed = true;
	while (rsc->recurring->len > 0)
		cancel_op(rsc->recurring->pdata[0]);
	while (rsc->delayed->len > 0)
		cancel_op(rsc->delayed->pdata[0]);
	while (!g_queue_is_empty(&rsc->pending))
		cancel_op(g_queue_peek_head(&rsc->pending));
	vg_log_info("resource %s: unregistered", id);
	rsc_maybe_free(rsc);
	return VG_OK;
}

void execd_conn_closed(execd_t *d, vg_ipc_conn_t *conn)
{
	GHashTableIter it;
	gpointer v;
	GPtrArray *mine = g_ptr_array_new();

	g_ptr_array_remove(d->conns, conn);
	g_hash_table_iter_init(&it, d->rscs);
	while (g_hash_table_iter_next(&it, NULL, &v)) {
		execd_rsc_t *rsc = v;

		for (guint i = 0; i < rsc->recurring->len; i++) {
			execd_op_t *op = rsc->recurring->pdata[i];

			if (op->owner == conn)
				g_ptr_array_add(mine, op);
		}
		for (GList *l = rsc->pending.head; l != NULL; l = l->next)
			if (((execd_op_t *)l->data)->owner == conn)
				((execd_op_t *)l->data)->owner = NULL;
		if (rsc->running != NULL && rsc->running->owner == conn)
			rsc->running->owner = NULL;
	}
	/* Recurring ops die with the client that asked for them. */
	for (guint i = 0; i < mine->len; i++) {
		execd_op_t *op = mine->pdata[i];
		execd_rsc_t *rsc = op->rsc;

		op->owner = NULL;
		cancel_op(op);
		rsc_maybe_free(rsc);
	}
	g_ptr_array_free(mine, TRUE);
}

void execd_kill_all(execd_t *d)
{
	GHashTableIter it;
	gpointer v;

	d->stopping = true; /* nothing new starts from now on */
	g_hash_table_iter_init(&it, d->rscs);
	while (g_hash_table_iter_next(&it, NULL, &v)) {
		execd_rsc_t *rsc = v;

		if (rsc->running != NULL && rsc->running->child != NULL) {
			vg_log_notice("resource %s: killing %s (execd is exiting)", rsc->id,
			              rsc->running->action);
			vg_exec_child_kill(rsc->running->child);
		}
	}
}
