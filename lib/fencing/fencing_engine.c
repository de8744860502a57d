/*
 * fencing_engine.c: a fencing request from start to result.
 *
 *   plan:    topology levels for the target in index order, or, without a
 *            topology, each device able to fence the target as its own step
 *   delay:   the request's own delay (priority-fencing-delay, decided by the
 *            controller) + pcmk_delay_base + random(pcmk_delay_max - base)
 *            of the first device (two-node fence races)
 *   per device of a step:  CHECK (dynamic-list/status host check, only
 *            without topology) -> ACTION -> CONFIRM (off: read the port back
 *            with status where the agent kind has one)
 *   a step succeeds when every device of it succeeded; the request when a
 *   step succeeds; it fails when the plan is exhausted or time runs out.
 *
 * Every device attempt becomes a history record, then the request's own.
 * Invariant: a request is DONE only after a device answered success (and,
 * for off, status did not contradict it).  Requests keep a reference to
 * the configuration they started with.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define VG_LOG_SUBSYS "fencing"
#include <string.h>

#include "fencing_private.h"

#define HISTORY_MAX 500

typedef struct cfgref {
	vg_fence_config_t *cfg;
	int refs;
} cfgref_t;

struct vg_fence_engine {
	char *executor;
	cfgref_t *cfg;
	GPtrArray *history;   /* vg_fence_record_t *, oldest first */
	GHashTable *failures; /* device id -> reason */
	GHashTable *busy;     /* device id -> GINT count of running ops */
	unsigned counter;
	GList *requests; /* request_t * in flight */
	bool freeing;
};

/* Per device: CHECK -> ACTION -> CONFIRM; any failure moves to the next
 * step's first device (or ends the request), success to the next device. */
typedef enum phase { PH_CHECK, PH_ACTION, PH_CONFIRM } phase_t;

static const char *const phase_names[] = {"check", "action", "confirm"};

typedef struct step {
	int level;          /* 0: no topology */
	GPtrArray *devices; /* char * device ids */
} step_t;

typedef struct request {
	vg_fence_engine_t *e;
	cfgref_t *cfg;
	vg_fence_record_t rec; /* the final record, filled as we go */
	GPtrArray *steps;      /* step_t * */
	guint step, dev;
	phase_t phase;
	int attempts;
	int64_t deadline_us;
	GString *reasons;
	vg_fence_request_done_fn done;
	void *data;
	guint timer;
	bool topology;
} request_t;

/* Every phase change goes through here, so one debug log shows a request's
 * whole path: "node2: action --off answered--> confirm". */
static void set_phase(request_t *r, phase_t next, const char *event)
{
	if (r->phase != next || event != NULL)
		vg_log_debug("node %s (%s): %s --%s--> %s", r->rec.target, r->rec.id,
		             phase_names[r->phase], event ? event : "next device",
		             phase_names[next]);
	r->phase = next;
}

static cfgref_t *cfg_ref(cfgref_t *c)
{
	c->refs++;
	return c;
}

static void cfg_unref(cfgref_t *c)
{
	if (c != NULL && --c->refs == 0) {
		vg_fence_config_free(c->cfg);
		g_free(c);
	}
}

vg_fence_engine_t *vg_fence_engine_new(const char *executor)
{
	vg_fence_engine_t *e = g_new0(vg_fence_engine_t, 1);
	e->executor = g_strdup(executor);
	e->cfg = g_new0(cfgref_t, 1);
	e->cfg->cfg = vg_fence_config_new_empty();
	e->cfg->refs = 1;
	e->history = g_ptr_array_new_with_free_func((GDestroyNotify)vg_fence_record_free);
	e->failures = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	e->busy = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	return e;
}

static void step_free(gpointer p)
{
	step_t *s = p;
	g_ptr_array_unref(s->devices);
	g_free(s);
}

static void request_free(request_t *r)
{
	if (r->timer)
		g_source_remove(r->timer);
	r->e->requests = g_list_remove(r->e->requests, r);
	cfg_unref(r->cfg);
	g_ptr_array_unref(r->steps);
	g_string_free(r->reasons, TRUE);
	g_free(r->rec.id);
	g_free(r->rec.target);
	g_free(r->rec.origin);
	g_free(r->rec.executor);
	g_free(r->rec.device);
	g_free(r->rec.reason);
	g_free(r);
}

void vg_fence_engine_free(vg_fence_engine_t *e)
{
	if (e == NULL)
		return;
	/* Requests still running have ops whose callbacks hold them; those
	 * are only freed by the daemon's exit path, which does not return. */
	e->freeing = true;
	cfg_unref(e->cfg);
	g_ptr_array_unref(e->history);
	g_hash_table_destroy(e->failures);
	g_hash_table_destroy(e->busy);
	g_free(e->executor);
	g_free(e);
}

void vg_fence_engine_set_config(vg_fence_engine_t *e, vg_fence_config_t *cfg)
{
	cfg_unref(e->cfg);
	e->cfg = g_new0(cfgref_t, 1);
	e->cfg->cfg = cfg;
	e->cfg->refs = 1;
	g_hash_table_remove_all(e->failures);
}

const vg_fence_config_t *vg_fence_engine_config(const vg_fence_engine_t *e)
{
	return e->cfg->cfg;
}

static void history_add(vg_fence_engine_t *e, vg_fence_record_t *r)
{
	g_ptr_array_add(e->history, r);
	if (e->history->len > HISTORY_MAX)
		g_ptr_array_remove_index(e->history, 0);
}

GPtrArray *vg_fence_engine_history(const vg_fence_engine_t *e, const char *target)
{
	GPtrArray *out = g_ptr_array_new();
	for (guint i = 0; i < e->history->len; i++) {
		vg_fence_record_t *r = g_ptr_array_index(e->history, i);
		if (target == NULL || strcmp(r->target, target) == 0)
			g_ptr_array_add(out, r);
	}
	return out;
}

GPtrArray *vg_fence_engine_request_records(const vg_fence_engine_t *e, const char *id)
{
	GPtrArray *out = g_ptr_array_new();
	size_t n = strlen(id);
	for (guint i = 0; i < e->history->len; i++) {
		vg_fence_record_t *r = g_ptr_array_index(e->history, i);
		if (strncmp(r->id, id, n) == 0 && (r->id[n] == '\0' || r->id[n] == '.'))
			g_ptr_array_add(out, r);
	}
	return out;
}

bool vg_fence_engine_merge(vg_fence_engine_t *e, const vg_fence_record_t *rec)
{
	for (guint i = 0; i < e->history->len; i++) {
		vg_fence_record_t *r = g_ptr_array_index(e->history, i);
		if (strcmp(r->id, rec->id) != 0)
			continue;
		if (r->state != VG_FENCE_PENDING || rec->state == VG_FENCE_PENDING)
			return false;
		e->history->pdata[i] = vg_fence_record_copy(rec);
		vg_fence_record_free(r);
		return true;
	}
	history_add(e, vg_fence_record_copy(rec));
	return true;
}

GHashTable *vg_fence_engine_device_failures(vg_fence_engine_t *e)
{
	return e->failures;
}

void vg_fence_engine_note_monitor(vg_fence_engine_t *e, const char *device, int rc,
                                  const char *reason)
{
	bool was = g_hash_table_contains(e->failures, device);
	if (rc == 0) {
		if (was)
			vg_log_notice("device %s: monitor succeeds again", device);
		g_hash_table_remove(e->failures, device);
		return;
	}
	if (!was)
		vg_log_error("device %s: monitor failed: %s", device, reason ? reason : "unknown");
	g_hash_table_replace(e->failures, g_strdup(device), g_strdup(reason ? reason : "failed"));
}

static bool can_fence_maybe(const vg_fence_device_t *d, const char *target)
{
	/* dynamic-list and status checks are asked of the device later */
	return !d->disabled &&
	       (vg_fence_device_static_match(d, target) ||
	        d->host_check == VG_FENCE_CHECK_DYNAMIC || d->host_check == VG_FENCE_CHECK_STATUS);
}

GPtrArray *vg_fence_engine_devices(const vg_fence_engine_t *e, const char *target)
{
	GPtrArray *out = g_ptr_array_new();
	const vg_fence_config_t *c = e->cfg->cfg;
	for (guint i = 0; i < c->devices->len; i++) {
		vg_fence_device_t *d = g_ptr_array_index(c->devices, i);
		if (target == NULL || can_fence_maybe(d, target))
			g_ptr_array_add(out, d);
	}
	return out;
}

static gint by_priority(gconstpointer a, gconstpointer b)
{
	const vg_fence_device_t *x = *(vg_fence_device_t *const *)a;
	const vg_fence_device_t *y = *(vg_fence_device_t *const *)b;
	return y->priority - x->priority;
}

static GPtrArray *make_plan(const vg_fence_config_t *c, const char *target, bool *topology)
{
	GPtrArray *steps = g_ptr_array_new_with_free_func(step_free);
	GPtrArray *levels = vg_fence_topology_levels(c, target);
	*topology = levels->len > 0;
	for (guint i = 0; i < levels->len; i++) {
		vg_fence_level_t *l = g_ptr_array_index(levels, i);
		step_t *s = g_new0(step_t, 1);
		s->level = l->index;
		s->devices = g_ptr_array_new_with_free_func(g_free);
		for (guint j = 0; j < l->devices->len; j++)
			g_ptr_array_add(s->devices, g_strdup(g_ptr_array_index(l->devices, j)));
		g_ptr_array_add(steps, s);
	}
	g_ptr_array_unref(levels);
	if (*topology)
		return steps;
	GPtrArray *devs = g_ptr_array_new();
	for (guint i = 0; i < c->devices->len; i++) {
		vg_fence_device_t *d = g_ptr_array_index(c->devices, i);
		if (can_fence_maybe(d, target))
			g_ptr_array_add(devs, d);
	}
	g_ptr_array_sort(devs, by_priority); /* stable: CIB order among equals */
	for (guint i = 0; i < devs->len; i++) {
		step_t *s = g_new0(step_t, 1);
		s->devices = g_ptr_array_new_with_free_func(g_free);
		g_ptr_array_add(s->devices, g_strdup(((vg_fence_device_t *)devs->pdata[i])->id));
		g_ptr_array_add(steps, s);
	}
	g_ptr_array_unref(devs);
	return steps;
}

static void run_current(request_t *r);

static void finish(request_t *r, vg_fence_state_t state, int rc)
{
	vg_fence_engine_t *e = r->e;
	r->rec.state = state;
	r->rec.rc = rc;
	r->rec.completed = (vg_time_t)(g_get_real_time() / G_USEC_PER_SEC);
	g_free(r->rec.reason);
	r->rec.reason = r->reasons->len ? g_strdup(r->reasons->str) : NULL;
	if (state == VG_FENCE_DONE)
		vg_log_notice("node %s: %s by %s (device %s, level %d) succeeded, asked by %s",
		              r->rec.target, vg_fence_action_name(r->rec.action), e->executor,
		              r->rec.device, r->rec.level, r->rec.origin);
	else
		vg_log_error("node %s: %s FAILED, asked by %s: %s", r->rec.target,
		             vg_fence_action_name(r->rec.action), r->rec.origin,
		             r->rec.reason ? r->rec.reason : vg_strerror(rc));
	history_add(e, vg_fence_record_copy(&r->rec));
	if (r->done)
		r->done(&r->rec, r->data);
	request_free(r);
}

static void attempt_record(request_t *r, const char *device, int rc, const char *reason)
{
	vg_fence_record_t *a = vg_fence_record_copy(&r->rec);
	step_t *s = g_ptr_array_index(r->steps, r->step);
	g_free(a->id);
	a->id = g_strdup_printf("%s.%d", r->rec.id, ++r->attempts);
	g_free(a->device);
	a->device = g_strdup(device);
	a->level = s->level;
	a->state = rc == 0 ? VG_FENCE_DONE : VG_FENCE_FAILED;
	a->rc = rc;
	g_free(a->reason);
	a->reason = g_strdup(reason);
	a->completed = (vg_time_t)(g_get_real_time() / G_USEC_PER_SEC);
	history_add(r->e, a);
	if (rc != 0) {
		g_free(r->rec.device);
		r->rec.device = g_strdup(device);
		if (r->reasons->len)
			g_string_append(r->reasons, "; ");
		if (s->level > 0)
			g_string_append_printf(r->reasons, "level %d: ", s->level);
		g_string_append(r->reasons, reason ? reason : vg_strerror(rc));
	}
}

static void next_step(request_t *r)
{
	r->step++;
	r->dev = 0;
	set_phase(r, r->topology ? PH_ACTION : PH_CHECK, "step failed");
	if (r->step >= r->steps->len) {
		finish(r, VG_FENCE_FAILED, VG_EFAILED);
		return;
	}
	run_current(r);
}

static void device_succeeded(request_t *r, const char *device)
{
	step_t *s = g_ptr_array_index(r->steps, r->step);
	attempt_record(r, device, 0, NULL);
	g_free(r->rec.device);
	r->rec.device = g_strdup(device);
	r->rec.level = s->level;
	r->dev++;
	set_phase(r, r->topology ? PH_ACTION : PH_CHECK, "device succeeded");
	if (r->dev >= s->devices->len) {
		finish(r, VG_FENCE_DONE, 0);
		return;
	}
	run_current(r);
}

static void busy_add(vg_fence_engine_t *e, const char *dev, int delta)
{
	int n = GPOINTER_TO_INT(g_hash_table_lookup(e->busy, dev)) + delta;
	if (n <= 0)
		g_hash_table_remove(e->busy, dev);
	else
		g_hash_table_replace(e->busy, g_strdup(dev), GINT_TO_POINTER(n));
}

static bool list_has(const char *out, const char *name, const char *port)
{
	/* list output: one "port[,alias]" per line, or words (cluster-glue) */
	char **words = g_strsplit_set(out ? out : "", " \t\r\n,", -1);
	bool found = false;
	for (char **w = words; *w && !found; w++)
		found = strcmp(*w, name) == 0 || strcmp(*w, port) == 0;
	g_strfreev(words);
	return found;
}

static void on_op_done(vg_fence_op_result_t *res, void *data)
{
	request_t *r = data;
	step_t *s = g_ptr_array_index(r->steps, r->step);
	const char *id = g_ptr_array_index(s->devices, r->dev);
	vg_fence_device_t *d = vg_fence_config_device(r->cfg->cfg, id);
	busy_add(r->e, id, -1);

	switch (r->phase) {
	case PH_CHECK:
		if (d->host_check == VG_FENCE_CHECK_DYNAMIC) {
			char *port = vg_fence_device_port(d, r->rec.target);
			bool ok = res->rc == 0 && list_has(res->output, r->rec.target, port);
			g_free(port);
			if (!ok) {
				vg_log_info("node %s: device %s cannot fence it (%s)",
				            r->rec.target, id,
				            res->rc ? res->reason : "not in its list");
				next_step(r);
				return;
			}
		} else if (res->rc != 0) { /* status check */
			vg_log_info("node %s: device %s cannot fence it (%s)", r->rec.target, id,
			            res->reason);
			next_step(r);
			return;
		}
		set_phase(r, PH_ACTION, "device can fence the target");
		run_current(r);
		return;
	case PH_ACTION:
		if (res->rc != 0) {
			attempt_record(r, id, res->rc, res->reason);
			next_step(r);
			return;
		}
		if (r->rec.action == VG_FENCE_OFF && d->kind != VG_FENCE_KIND_EXTERNAL) {
			set_phase(r, PH_CONFIRM, "off answered success");
			run_current(r);
			return;
		}
		device_succeeded(r, id);
		return;
	case PH_CONFIRM:
		if (res->rc == VG_ENOTSUP) {
			device_succeeded(r, id);
		} else if (res->rc != 0) {
			char *why = g_strdup_printf("off could not be confirmed: %s", res->reason);
			attempt_record(r, id, res->rc, why);
			g_free(why);
			next_step(r);
		} else if (res->power_on) {
			char *why = g_strdup_printf("%s: off answered success but status still "
			                            "reports the port on",
			                            id);
			attempt_record(r, id, VG_EFAILED, why);
			g_free(why);
			next_step(r);
		} else {
			device_succeeded(r, id);
		}
		return;
	}
}

static gboolean retry_current(gpointer data)
{
	request_t *r = data;
	r->timer = 0;
	run_current(r);
	return G_SOURCE_REMOVE;
}

static void run_current(request_t *r)
{
	step_t *s = g_ptr_array_index(r->steps, r->step);
	const char *id = g_ptr_array_index(s->devices, r->dev);
	vg_fence_device_t *d = vg_fence_config_device(r->cfg->cfg, id);
	int64_t left_ms = (r->deadline_us - g_get_monotonic_time()) / 1000;
	vg_fence_op_t op = {.device = d, .target = r->rec.target};
	uint64_t dflt;

	if (d == NULL) {
		char *why =
		    g_strdup_printf("fencing-level names device %s, which does not exist", id);
		attempt_record(r, id, VG_ECONFIG, why);
		g_free(why);
		next_step(r);
		return;
	}
	if (left_ms <= 0) {
		attempt_record(r, id, VG_ETIMEDOUT,
		               "the request ran out of time (stonith-timeout)");
		finish(r, VG_FENCE_FAILED, VG_ETIMEDOUT);
		return;
	}
	if (r->phase == PH_CHECK && !r->topology && d->host_check != VG_FENCE_CHECK_DYNAMIC &&
	    d->host_check != VG_FENCE_CHECK_STATUS)
		set_phase(r, PH_ACTION, "static host list");
	if (d->action_limit > 0 &&
	    GPOINTER_TO_INT(g_hash_table_lookup(r->e->busy, id)) >= d->action_limit) {
		r->timer = g_timeout_add(100, retry_current, r); /* pcmk_action_limit */
		return;
	}
	switch (r->phase) {
	case PH_CHECK:
		op.action =
		    d->host_check == VG_FENCE_CHECK_DYNAMIC ? VG_FENCE_LIST : VG_FENCE_STATUS;
		if (op.action == VG_FENCE_LIST)
			op.target = NULL;
		break;
	case PH_ACTION:
		op.action = r->rec.action;
		vg_log_info("node %s: %s with device %s (%s)%s", r->rec.target,
		            vg_fence_action_name(op.action), id, d->agent,
		            s->level ? " of a topology level" : "");
		break;
	case PH_CONFIRM:
		op.action = VG_FENCE_STATUS;
		break;
	}
	dflt = r->cfg->cfg->stonith_timeout_ms ? r->cfg->cfg->stonith_timeout_ms : 60000;
	op.timeout_ms = vg_fence_device_timeout(d, op.action, dflt);
	if (op.timeout_ms > (uint64_t)left_ms)
		op.timeout_ms = (uint64_t)left_ms;
	busy_add(r->e, id, 1);
	vg_fence_op_run(&op, on_op_done, r);
}

static gboolean delay_over(gpointer data)
{
	request_t *r = data;
	r->timer = 0;
	run_current(r);
	return G_SOURCE_REMOVE;
}

char *vg_fence_engine_request(vg_fence_engine_t *e, const char *target, vg_fence_action_t action,
                              uint64_t timeout_ms, const char *origin,
                              vg_fence_request_done_fn done, void *data, vg_error_t *err)
{
	vg_fence_request_t req = {
	    .target = target, .action = action, .timeout_ms = timeout_ms, .origin = origin};
	return vg_fence_engine_request_ex(e, &req, done, data, err);
}

char *vg_fence_engine_request_ex(vg_fence_engine_t *e, const vg_fence_request_t *req,
                                 vg_fence_request_done_fn done, void *data, vg_error_t *err)
{
	const vg_fence_config_t *c = e->cfg->cfg;
	const char *target = req->target, *origin = req->origin;
	vg_fence_action_t action = req->action;
	uint64_t timeout_ms = req->timeout_ms;
	request_t *r;
	uint64_t delay = req->delay_ms;

	if (target == NULL || *target == '\0' ||
	    (action != VG_FENCE_REBOOT && action != VG_FENCE_OFF && action != VG_FENCE_ON)) {
		vg_error_set(err, VG_EINVAL,
		             "a fencing request needs a target and reboot, off or on");
		return NULL;
	}
	if (!c->stonith_enabled) {
		vg_error_set(err, VG_ESTATE, "node %s: fencing is disabled (stonith-enabled=false)",
		             target);
		return NULL;
	}
	r = g_new0(request_t, 1);
	r->e = e;
	r->cfg = cfg_ref(e->cfg);
	r->steps = make_plan(c, target, &r->topology);
	if (r->steps->len == 0) {
		vg_error_set(err, VG_ENOENT, "node %s: no fencing device can fence it", target);
		cfg_unref(r->cfg);
		g_ptr_array_unref(r->steps);
		g_free(r);
		return NULL;
	}
	r->reasons = g_string_new(NULL);
	r->rec.id = g_strdup_printf("%s-%u-%" G_GINT64_FORMAT, e->executor, ++e->counter,
	                            g_get_real_time() / G_USEC_PER_SEC);
	r->rec.target = g_strdup(target);
	r->rec.action = action;
	r->rec.origin = g_strdup(origin ? origin : "unknown");
	r->rec.executor = g_strdup(e->executor);
	r->rec.state = VG_FENCE_PENDING;
	r->rec.requested = (vg_time_t)(g_get_real_time() / G_USEC_PER_SEC);
	r->phase = r->topology ? PH_ACTION : PH_CHECK;
	r->done = done;
	r->data = data;
	if (timeout_ms == 0)
		timeout_ms = c->stonith_timeout_ms ? c->stonith_timeout_ms : 60000;
	r->deadline_us = g_get_monotonic_time() + (int64_t)timeout_ms * 1000;
	e->requests = g_list_prepend(e->requests, r);

	/* Random delay of the first device, against fence races in two-node clusters. */
	step_t *s0 = g_ptr_array_index(r->steps, 0);
	vg_fence_device_t *d0 = vg_fence_config_device(c, g_ptr_array_index(s0->devices, 0));
	if (d0 != NULL && action != VG_FENCE_ON) {
		delay += d0->delay_base_ms;
		if (d0->delay_max_ms > d0->delay_base_ms)
			delay += (uint64_t)g_random_int_range(
			    0, (gint32)MIN(d0->delay_max_ms - d0->delay_base_ms, G_MAXINT32));
	}
	vg_log_notice("node %s: %s requested by %s (id %s, timeout %.0fs%s)", target,
	              vg_fence_action_name(action), r->rec.origin, r->rec.id, timeout_ms / 1000.0,
	              delay ? ", delayed" : "");
	r->timer = g_timeout_add((guint)delay, delay_over, r);
	return g_strdup(r->rec.id);
}

const vg_fence_record_t *vg_fence_engine_confirm(vg_fence_engine_t *e, const char *target,
                                                 const char *origin)
{
	vg_fence_record_t *r = g_new0(vg_fence_record_t, 1);
	r->id = g_strdup_printf("%s-%u-%" G_GINT64_FORMAT, e->executor, ++e->counter,
	                        g_get_real_time() / G_USEC_PER_SEC);
	r->target = g_strdup(target);
	r->action = VG_FENCE_OFF;
	r->origin = g_strdup(origin ? origin : "unknown");
	r->executor = g_strdup(e->executor);
	r->device = g_strdup("manual");
	r->state = VG_FENCE_DONE;
	r->confirmed = true;
	r->reason = g_strdup("an administrator confirmed the node is off; no device was used");
	r->requested = r->completed = (vg_time_t)(g_get_real_time() / G_USEC_PER_SEC);
	vg_log(LOG_CRIT,
	       "node %s: MANUALLY CONFIRMED as fenced by %s; no device was used. "
	       "If the node is in fact running, data corruption may follow.",
	       target, r->origin);
	history_add(e, r);
	return r;
}
