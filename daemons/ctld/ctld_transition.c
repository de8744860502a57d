/*
 * ctld_transition.c: the DC's decision loop.  Something relevant happens
 * (CIB or attribute change, node joined/left, quorum, an operation failed,
 * a timer from the scheduler's recheck time) -> ctld_transition_trigger() ->
 * once no action is in flight, the scheduler runs on the current CIB and its
 * graph is executed: rsc_op to the target node's controller (its execd),
 * stonith to the fencer, pseudo events confirmed at once.  The graph is
 * walked by lib/sched's transition engine (vg_graph_*, the one `vigil
 * simulate -S` uses); each result is recorded as history by lib/sched's
 * vg_history_* (the controller decides only what to record); an unexpected
 * result aborts the graph (in-flight actions finish) and the scheduler runs
 * again.
 *
 * Every scheduler input is kept in state_dir/pe/pe-input-N.xml (the last
 * PE_KEEP) so `vigil simulate -x` can replay any decision.
 *
 * Never does: placement decisions (lib/sched), CIB replication (ctld_cib.c).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define VG_LOG_SUBSYS "transition"
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>
#include <vigil/cib.h>
#include <vigil/exec.h>
#include <vigil/sched.h>

#include "ctld_private.h"

#define PE_KEEP              100
#define ACTION_SLACK_MS      5000
#define RECHECK_DEFAULT_S    (15 * 60)
#define FENCE_RETRY_DELAY_MS 2000

#define ORIGIN "do_update_resource" /* crm-debug-origin, as Pacemaker's */

typedef struct action_timer {
	ctld_t *c;
	int graph_id, action_id;
} action_timer_t;

static void run_graph(ctld_t *c);

static void timer_remove(gpointer p)
{
	g_source_remove(GPOINTER_TO_UINT(p));
}

static void graph_free(ctld_t *c)
{
	g_clear_pointer(&c->action_timers, g_hash_table_destroy);
	g_clear_pointer(&c->graph, vg_graph_free);
	g_clear_pointer(&c->graph_doc, xmlFreeDoc);
	c->graph_aborted = c->fence_failed = false;
}

bool ctld_transition_busy(const ctld_t *c)
{
	return ctld_is_dc(c) && c->graph &&
	       (c->graph_status == VG_GRAPH_ACTIVE || vg_graph_in_flight(c->graph) > 0);
}

int ctld_transition_graph_id(const ctld_t *c)
{
	return c->graph ? c->graph_id : -1;
}

static gboolean recompute(gpointer data);

static void schedule_recompute(ctld_t *c, unsigned delay_ms)
{
	if (c->recompute_src)
		return;
	if (delay_ms)
		c->recompute_src = g_timeout_add(delay_ms, recompute, c);
	else
		c->recompute_src = g_idle_add(recompute, c);
}

void ctld_transition_trigger(ctld_t *c, const char *reason)
{
	if (!ctld_is_dc(c))
		return;
	if (!c->recompute_reason)
		c->recompute_reason = g_strdup(reason);
	if (ctld_transition_busy(c)) {
		if (!c->graph_aborted)
			vg_log_info("transition %d: aborted (%s); waiting for actions in flight",
			            c->graph_id, reason);
		vg_graph_abort(c->graph, VG_SCORE_INFINITY, reason);
		c->graph_aborted = true;
		c->recompute_wanted = true;
		return;
	}
	schedule_recompute(c, 0);
}

/*
 * Quorum lost: a partition without quorum must apply no-quorum-policy now,
 * not after actions in flight (a delayed fencing request of the other side
 * can take seconds).  The graph is abandoned; late results are still
 * recorded as history, and late fencing results no longer drive a graph.
 */
void ctld_transition_quorum_lost(ctld_t *c)
{
	if (!ctld_transition_busy(c))
		return;
	vg_log_notice("transition %d: abandoned (quorum lost)", c->graph_id);
	if (c->graph_walking) { /* inside a pass: nothing more fires, then recompute */
		vg_graph_abort(c->graph, VG_SCORE_INFINITY, "quorum lost");
		c->graph_aborted = c->recompute_wanted = true;
		return;
	}
	graph_free(c);
	if (ctld_shutdown_leave_if_idle(c))
		return;
	schedule_recompute(c, 0);
}

void ctld_transition_stop(ctld_t *c)
{
	if (c->recompute_src)
		g_source_remove(c->recompute_src);
	c->recompute_src = 0;
	if (c->recheck_timer)
		g_source_remove(c->recheck_timer);
	c->recheck_timer = 0;
	graph_free(c);
	c->recompute_wanted = false;
	g_clear_pointer(&c->recompute_reason, g_free);
}

static void save_input(ctld_t *c, int id)
{
	char *dir = g_build_filename(c->cfg->state_dir, "pe", NULL);
	char name[64];
	g_mkdir_with_parents(dir, 0750);
	g_snprintf(name, sizeof(name), "pe-input-%d.xml", id % PE_KEEP);
	char *path = g_build_filename(dir, name, NULL);
	char *xml = vg_xml_dump(ctld_cib_root(c), false);
	if (!g_file_set_contents(path, xml, -1, NULL))
		vg_log_debug("cannot save %s", path);
	g_free(xml);
	g_free(path);
	g_free(dir);
}

static gboolean recheck(gpointer data)
{
	ctld_t *c = data;
	c->recheck_timer = 0;
	ctld_transition_trigger(c, "recheck timer");
	return G_SOURCE_REMOVE;
}

/* cluster-recheck-interval in seconds (0 = disabled), default 15 minutes. */
static vg_time_t recheck_interval(ctld_t *c)
{
	xmlNode *cfg = vg_cib_section(ctld_cib_root(c), "crm_config", false), *set, *nv;
	uint64_t ms;
	if (cfg)
		VG_XML_FOREACH(set, cfg, "cluster_property_set")
	VG_XML_FOREACH(nv, set, "nvpair")
	if (g_strcmp0(vg_xml_get(nv, "name"), "cluster-recheck-interval") == 0 &&
	    vg_xml_get(nv, "value") && vg_interval_parse_ms(vg_xml_get(nv, "value"), &ms) == 0)
		return (vg_time_t)(ms / 1000);
	return RECHECK_DEFAULT_S;
}

static void arm_recheck(ctld_t *c, vg_time_t when, vg_time_t now)
{
	vg_time_t delay = recheck_interval(c);
	if (delay == 0)
		delay = VG_TIME_NEVER / 2; /* disabled: only the scheduler's own times */
	if (when != VG_TIME_NEVER && when > now && when - now < delay)
		delay = when - now;
	if (c->recheck_timer)
		g_source_remove(c->recheck_timer);
	if (delay > G_MAXUINT / 2) {
		c->recheck_timer = 0;
		return;
	}
	c->recheck_timer = g_timeout_add_seconds((guint)(delay > 0 ? delay : 1), recheck, c);
}

static bool runs_on(const vg_sched_rsc_view_t *r, const char *node)
{
	for (guint i = 0; r->running_on && i < r->running_on->len; i++)
		if (g_strcmp0(g_ptr_array_index(r->running_on, i), node) == 0)
			return true;
	for (guint i = 0; r->children && i < r->children->len; i++)
		if (runs_on(g_ptr_array_index(r->children, i), node))
			return true;
	return false;
}

/*
 * A node that asked to shut down may leave once nothing runs there any more
 * and the scheduler has nothing left to do.  (A do_shutdown action in the
 * graph releases it as well; this covers graphs without one.)
 */
static void release_idle_nodes(ctld_t *c, const vg_sched_result_t *r)
{
	const vg_sched_cluster_view_t *v = vg_sched_result_cluster(r);
	const GPtrArray *summary = vg_sched_result_summary(r);
	if (!v || (summary && summary->len > 0))
		return;
	for (guint i = 0; i < v->nodes->len; i++) {
		const vg_sched_node_view_t *n = g_ptr_array_index(v->nodes, i);
		ctld_peer_t *p = ctld_peer_get(c, n->name, false);
		bool busy = false;
		bool self = g_strcmp0(n->name, c->me) == 0;
		if (!n->shutdown || (!self && (!p || !p->in_group)) || (p && p->shutdown))
			continue;
		for (guint j = 0; j < v->resources->len && !busy; j++)
			busy = runs_on(g_ptr_array_index(v->resources, j), n->name);
		if (!busy)
			ctld_shutdown_release(c, n->name);
	}
}

/* Take the scheduler's graph for execution (a copy: the result goes away). */
static void start_graph(ctld_t *c, const xmlNode *graph_xml, int id)
{
	vg_error_t err = {0};

	if (!graph_xml)
		return;
	c->graph_doc = vg_xml_copy_doc(graph_xml);
	if (vg_graph_unpack(xmlDocGetRootElement(c->graph_doc), &c->graph, &err) != 0) {
		vg_log_error("transition %d: unusable graph: %s", id, err.msg);
		graph_free(c);
		return;
	}
	c->graph_id = id;
	c->graph_status = VG_GRAPH_ACTIVE;
	c->action_timers = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, timer_remove);
}

static gboolean recompute(gpointer data)
{
	ctld_t *c = data;
	vg_sched_result_t *r = NULL;
	vg_error_t err = {0};
	vg_time_t now = (vg_time_t)(g_get_real_time() / G_USEC_PER_SEC);

	c->recompute_src = 0;
	if (!ctld_is_dc(c))
		return G_SOURCE_REMOVE;
	if (ctld_transition_busy(c)) {
		c->recompute_wanted = true;
		return G_SOURCE_REMOVE;
	}
	graph_free(c);
	c->recompute_wanted = false;
	vg_xml_set(ctld_cib_root(c), "have-quorum", c->have_quorum ? "1" : "0");
	vg_xml_set(ctld_cib_root(c), "dc-uuid", ctld_join_node_id(c, c->me));
	ctld_cib_changed(c);
	ctld_cib_flush(c);

	int id = c->transition_id++;
	save_input(c, id);
	vg_sched_options_t opts = {.dc_name = c->me};
	if (vg_sched_run(ctld_cib_root(c), now, &opts, &r, &err) != 0) {
		vg_log_error("transition %d: the scheduler refused the CIB: %s", id, err.msg);
		g_clear_pointer(&c->recompute_reason, g_free);
		arm_recheck(c, VG_TIME_NEVER, now);
		return G_SOURCE_REMOVE;
	}
	const GPtrArray *summary = vg_sched_result_summary(r);
	vg_log_info("transition %d (%s): %u change(s)", id,
	            c->recompute_reason ? c->recompute_reason : "recheck",
	            summary ? summary->len : 0);
	for (guint i = 0; summary && i < summary->len; i++)
		vg_log_notice("transition %d: %s", id, (const char *)g_ptr_array_index(summary, i));
	g_clear_pointer(&c->recompute_reason, g_free);
	start_graph(c, vg_sched_result_graph(r), id);
	arm_recheck(c, vg_sched_result_recheck(r), now);
	release_idle_nodes(c, r);
	vg_sched_result_free(r);
	run_graph(c);
	return G_SOURCE_REMOVE;
}

/* ------------------------------------------------------------ graph walk */

static const char *param(const vg_graph_action_t *a, const char *name)
{
	return g_hash_table_lookup(a->params, name);
}

static uint64_t param_ms(const vg_graph_action_t *a, const char *name, uint64_t dflt)
{
	const char *v = param(a, name);
	return v ? g_ascii_strtoull(v, NULL, 10) : dflt;
}

/* The action's result is in: a failure stops the rest of the transition
 * (in-flight actions finish), unless the action may fail. */
static void confirm(ctld_t *c, vg_graph_action_t *a, bool ok)
{
	gpointer t;
	if (c->action_timers &&
	    g_hash_table_steal_extended(c->action_timers, GINT_TO_POINTER(a->id), NULL, &t))
		g_source_remove(GPOINTER_TO_UINT(t));
	if (!ok && (a->flags & VG_GRAPH_ACTION_CAN_FAIL)) {
		vg_log_info("transition %d: %s may fail", c->graph_id, a->key ? a->key : a->task);
		ok = true;
	}
	vg_graph_confirm(c->graph, a, !ok);
	if (!ok) {
		vg_graph_abort(c->graph, VG_SCORE_INFINITY, "action failed");
		c->graph_aborted = true;
	}
}

/* Operations that change what runs where: recorded as pending while in flight. */
static bool changes_state(const char *task)
{
	static const char *const tasks[] = {"start",  "stop",       "promote",
	                                    "demote", "migrate_to", "migrate_from"};
	for (size_t i = 0; i < G_N_ELEMENTS(tasks); i++)
		if (g_strcmp0(task, tasks[i]) == 0)
			return true;
	return false;
}

/*
 * A resource-changing action without its result: sent (status -1, pending,
 * rc 193, the way Pacemaker records in-flight operations) or lost (status 2,
 * timed out).  The pending record stands in _last_0 until the result
 * replaces it, so a DC that takes over meanwhile sees the resource as
 * (becoming) active there and does not start it on another node as well.
 */
static void record_unanswered(ctld_t *c, const vg_graph_action_t *a, int status)
{
	char key[256];
	const char *target = param(a, "CRM_meta_op_target_rc");

	if (!a->node || a->interval_ms > 0 || !changes_state(a->task))
		return;
	g_snprintf(key, sizeof(key), "%d:%d:%s:%s", a->id, c->graph_id, target ? target : "0",
	           ctld_join_node_id(c, c->me));
	vg_op_result_t res = {
	    .rsc_id = a->rsc_id,
	    .rsc_class = a->rsc_class,
	    .rsc_provider = a->rsc_provider,
	    .rsc_type = a->rsc_type,
	    .task = a->task,
	    .rc = status < 0 ? 193 : VG_OCF_ERR_GENERIC,
	    .op_status = status,
	    .target_rc = a->target_rc,
	    /* in flight: -1; a timeout gets the next call id, or it would read
	     * as still in flight for ever */
	    .call_id = status < 0 ? -1 : 0,
	    .when = (vg_time_t)(g_get_real_time() / G_USEC_PER_SEC),
	    .transition_key = key,
	    .exit_reason = status < 0 ? NULL : "no result from the node in time",
	    .migrate_source = param(a, "CRM_meta_migrate_source"),
	    .migrate_target = param(a, "CRM_meta_migrate_target"),
	    .origin = ORIGIN,
	};
	ctld_transition_record(c, a->node, &res);
}

static gboolean action_timeout(gpointer data)
{
	action_timer_t *t = data;
	ctld_t *c = t->c;
	if (!c->graph || c->graph_id != t->graph_id)
		return G_SOURCE_REMOVE;
	vg_graph_action_t *a = vg_graph_find_action(c->graph, t->action_id);
	/* This source ends when we return: it must not be removed again. */
	g_hash_table_steal(c->action_timers, GINT_TO_POINTER(t->action_id));
	if (!a || (a->flags & VG_GRAPH_ACTION_CONFIRMED))
		return G_SOURCE_REMOVE;
	vg_log_error("transition %d: action %d (%s on %s) timed out", t->graph_id, t->action_id,
	             a->task, a->node ? a->node : "?");
	if (a->type == VG_GRAPH_RSC) /* not left "pending" forever */
		record_unanswered(c, a, VG_OP_TIMEDOUT);
	ctld_transition_action_done(c, t->action_id, false);
	return G_SOURCE_REMOVE;
}

static void arm_action_timer(ctld_t *c, vg_graph_action_t *a, uint64_t ms)
{
	action_timer_t *t = g_new0(action_timer_t, 1);
	t->c = c;
	t->graph_id = c->graph_id;
	t->action_id = a->id;
	guint src = g_timeout_add_full(G_PRIORITY_DEFAULT, (guint)ms, action_timeout, t, g_free);
	g_hash_table_replace(c->action_timers, GINT_TO_POINTER(a->id), GUINT_TO_POINTER(src));
}

static bool peer_reachable(ctld_t *c, const char *node)
{
	ctld_peer_t *p = ctld_peer_get(c, node, false);
	return p && p->member;
}

static void dispatch_rsc(ctld_t *c, vg_graph_action_t *a)
{
	const char *target_rc = param(a, "CRM_meta_op_target_rc");
	const char *role = param(a, "CRM_meta_role");
	char key[256];
	/* A monitor of the promoted role answers 8 when all is well (the
	 * executing node also knows, see ctld_execd.c). */
	if (g_strcmp0(a->task, "monitor") == 0 && g_strcmp0(target_rc, "7") != 0 &&
	    (g_strcmp0(role, "Promoted") == 0 || g_strcmp0(role, "Master") == 0))
		target_rc = "8";
	g_snprintf(key, sizeof(key), "%d:%d:%s:%s", a->id, c->graph_id, target_rc ? target_rc : "0",
	           ctld_join_node_id(c, c->me));
	if (!a->node || !peer_reachable(c, a->node)) {
		vg_log_warn("transition %d: %s: node %s is not reachable", c->graph_id, a->key,
		            a->node ? a->node : "(none)");
		confirm(c, a, false);
		return;
	}
	if (c->cfg->debug) {
		char *x = vg_xml_dump(a->xml, false);
		vg_log_debug("transition %d: dispatch %s", c->graph_id, x);
		g_free(x);
	}
	vg_msg_t *m = vg_msg_new("rsc-op");
	vg_msg_set(m, "dc", c->me);
	vg_msg_set_int(m, "graph", c->graph_id);
	vg_msg_set_int(m, "action", a->id);
	vg_msg_set(m, "key", key);
	vg_msg_set(m, "op_key", a->key);
	vg_msg_set(m, "target_rc", target_rc ? target_rc : "0");
	/* The scheduler states the role an operation expects: the executing
	 * node must not second-guess it (ctld_execd.c track_role). */
	if (role != NULL || param(a, "CRM_meta_op_target_rc") != NULL)
		vg_msg_set(m, "target_from_graph", "1");
	vg_msg_set_xml(m, a->xml);
	/* shutdown-lock: comes back with the result, to be recorded with it */
	if (vg_xml_get(a->xml, "shutdown-lock") != NULL)
		vg_msg_set(m, "shutdown_lock", vg_xml_get(a->xml, "shutdown-lock"));
	/* Probes and monitors are routine; what changes a resource is worth a notice. */
	if (g_strcmp0(a->task, "monitor") == 0)
		vg_log_info("transition %d: %s on %s", c->graph_id, a->key, a->node);
	else
		vg_log_notice("transition %d: %s on %s", c->graph_id, a->key, a->node);
	arm_action_timer(c, a,
	                 param_ms(a, "CRM_meta_timeout", 20000) +
	                     param_ms(a, "CRM_meta_start_delay", 0) + ACTION_SLACK_MS);
	if (strcmp(a->node, c->me) == 0)
		ctld_execd_run(c, c->me, m);
	else
		ctld_peer_send(c, a->node, m);
	vg_msg_free(m);
}

static void dispatch_fence(ctld_t *c, vg_graph_action_t *a)
{
	uint64_t timeout = param_ms(a, "CRM_meta_timeout", 60000);
	if (!a->node || strcmp(a->node, c->me) == 0) {
		vg_log_error("transition %d: refusing to fence this node (the DC)", c->graph_id);
		confirm(c, a, false);
		return;
	}
	arm_action_timer(c, a, timeout + ACTION_SLACK_MS);
	ctld_fence_run(c, a->id, a->node, param(a, "CRM_meta_stonith_action"), (unsigned)timeout);
}

/* crm_event other than stonith: returns true when the action is complete. */
static bool dispatch_cluster(ctld_t *c, vg_graph_action_t *a)
{
	if (g_strcmp0(a->task, "do_shutdown") == 0) {
		ctld_shutdown_release(c, a->node);
		return true;
	}
	if (g_strcmp0(a->task, "clear_failcount") == 0 && a->rsc_id && a->node) {
		vg_history_clear_failcount(ctld_cib_root(c), a->node, a->rsc_id, NULL);
		ctld_cib_changed(c);
		return true;
	}
	/* e.g. a shutdown lock that expired: the node's history of the
	 * resource goes, and so does its executor's registration */
	if (g_strcmp0(a->task, "lrm_delete") == 0 && a->rsc_id && a->node) {
		vg_log_notice("transition %d: forgetting %s on %s", c->graph_id, a->rsc_id,
		              a->node);
		ctld_transition_forget(c, a->node, a->rsc_id, false);
		return true;
	}
	vg_log_debug("transition %d: %s needs nothing here", c->graph_id, a->task);
	return true;
}

static int fire(vg_graph_t *g, vg_graph_action_t *a, void *data)
{
	ctld_t *c = data;
	c->graph_fired++;
	switch (a->type) {
	case VG_GRAPH_PSEUDO:
		confirm(c, a, true);
		break;
	case VG_GRAPH_FENCE:
		dispatch_fence(c, a);
		break;
	case VG_GRAPH_CLUSTER:
		if (dispatch_cluster(c, a))
			confirm(c, a, true);
		break;
	case VG_GRAPH_RSC:
		dispatch_rsc(c, a);
		/* A successor DC must know what is in flight. */
		if (c->graph == g && !(a->flags & VG_GRAPH_ACTION_CONFIRMED))
			record_unanswered(c, a, -1);
		break;
	}
	return 0;
}

/* Does a node wait for permission to leave? */
static bool shutdown_pending(ctld_t *c)
{
	xmlNode *ns;
	VG_XML_FOREACH(ns, ctld_cib_status(c), "node_state")
	{
		const char *name = vg_xml_get(ns, "uname");
		ctld_peer_t *p = ctld_peer_get(c, name, false);
		if (ctld_attrd_get(c, name, "shutdown", false) && !(p && p->shutdown))
			return true;
	}
	return false;
}

static void graph_done(ctld_t *c)
{
	size_t total = vg_graph_n_actions(c->graph), confirmed = 0;
	bool stopped = c->graph_status != VG_GRAPH_COMPLETE || c->graph_aborted;
	for (size_t i = 0; i < total; i++)
		confirmed += (vg_graph_action(c->graph, i)->flags & VG_GRAPH_ACTION_CONFIRMED) != 0;
	vg_log_info("transition %d: %s (%zu of %zu actions run)", c->graph_id,
	            stopped ? "stopped early" : "complete", confirmed, total);
	/* A DC that released itself leaves only now: nothing it sent is
	 * still unanswered, and the results are in the CIB. */
	if (ctld_shutdown_leave_if_idle(c))
		return;
	if (c->recompute_wanted)
		schedule_recompute(c, 0);
	else if (c->fence_failed) /* the scheduler will ask again; spare the device */
		schedule_recompute(c, FENCE_RETRY_DELAY_MS);
	else if (stopped)
		schedule_recompute(c, FENCE_RETRY_DELAY_MS / 4);
	else if (confirmed > 0 && shutdown_pending(c))
		schedule_recompute(c, 0); /* may the node leave now? */
}

/* Passes over the graph until nothing more fires; results confirmed while
 * a pass runs (pseudo events, refusals) are taken by the next pass. */
static void run_graph(ctld_t *c)
{
	if (!c->graph || c->graph_walking || c->graph_status != VG_GRAPH_ACTIVE)
		return;
	c->graph_walking = true;
	do {
		c->graph_fired = 0;
		c->graph_status = vg_graph_execute(c->graph, fire, c);
	} while (c->graph && c->graph_status == VG_GRAPH_ACTIVE && c->graph_fired > 0);
	c->graph_walking = false;
	if (c->graph && c->graph_status != VG_GRAPH_ACTIVE)
		graph_done(c);
}

void ctld_transition_action_done(ctld_t *c, int action_id, bool ok)
{
	vg_graph_action_t *a = c->graph ? vg_graph_find_action(c->graph, action_id) : NULL;
	if (!a || !(a->flags & VG_GRAPH_ACTION_EXECUTED) || (a->flags & VG_GRAPH_ACTION_CONFIRMED))
		return;
	confirm(c, a, ok);
	if (!ok && a->type == VG_GRAPH_FENCE) {
		/* The scheduler will ask again; do not hammer a broken device. */
		c->recompute_wanted = false;
		c->fence_failed = true;
	}
	run_graph(c);
}

void ctld_transition_node_lost(ctld_t *c, const char *node)
{
	bool failed = false;

	if (!ctld_is_dc(c) || !c->graph || !node)
		return;
	for (size_t i = 0; i < vg_graph_n_actions(c->graph); i++) {
		vg_graph_action_t *a = vg_graph_action(c->graph, i);
		/* fencing of the lost node is the fencer's, and goes on */
		if (a->type != VG_GRAPH_RSC || g_strcmp0(a->node, node) != 0 ||
		    !(a->flags & VG_GRAPH_ACTION_EXECUTED) ||
		    (a->flags & VG_GRAPH_ACTION_CONFIRMED))
			continue;
		vg_log_info("transition %d: %s on %s: no answer will come (the node left)",
		            c->graph_id, a->key ? a->key : a->task, node);
		confirm(c, a, false);
		failed = true;
	}
	if (failed)
		run_graph(c);
}

/* ------------------------------------------------------------ results */

bool ctld_transition_record(ctld_t *c, const char *node, const vg_op_result_t *res)
{
	vg_error_t err = {0};
	xmlNode *cib = ctld_cib_root(c);

	ctld_join_node_state(c, node); /* the node is configured and has a state */
	if (!vg_history_record_op(cib, node, ctld_join_node_id(c, node), res, &err)) {
		vg_log_warn("%s %s on %s: not recorded: %s", res->rsc_id, res->task, node, err.msg);
		return false;
	}
	bool failed = vg_history_result_failed(res);
	if (failed && res->op_status >= 0) {
		char buf[16];
		int n = vg_history_count_failure(cib, node, res->rsc_id, res->task,
		                                 res->interval_ms, res->when);
		vg_log_warn(
		    "%s on %s: %s (interval %u ms) failed (rc %d, expected %d, status %d)%s%s",
		    res->rsc_id, node, res->task, res->interval_ms, res->rc, res->target_rc,
		    res->op_status, n ? "; fail-count now " : "", n ? vg_score_str(n, buf) : "");
	} else if (!failed && g_strcmp0(res->task, "stop") == 0) {
		vg_history_drop_recurring(cib, node, res->rsc_id);
	}
	ctld_cib_changed(c);
	return failed;
}

void ctld_transition_forget(ctld_t *c, const char *node, const char *rsc, bool failcounts)
{
	vg_msg_t *m = vg_msg_new("lrm-delete");
	GPtrArray *names = node ? NULL : ctld_peer_group_names(c);

	vg_history_forget_rsc(ctld_cib_root(c), node, rsc);
	if (failcounts)
		vg_history_clear_failcount(ctld_cib_root(c), node, rsc, NULL);
	ctld_cib_changed(c);
	/* Each node's executor forgets it too; one message per node, on the
	 * path the probes that follow take, so it arrives before them. */
	vg_msg_set(m, "rsc", rsc);
	for (guint i = 0; names ? i < names->len : i < 1; i++) {
		const char *to = names ? g_ptr_array_index(names, i) : node;
		if (strcmp(to, c->me) == 0)
			ctld_execd_forget(c, rsc);
		else if (peer_reachable(c, to))
			ctld_peer_send(c, to, m);
	}
	if (names)
		g_ptr_array_unref(names);
	vg_msg_free(m);
}

static int64_t field_int(const vg_msg_t *m, const char *name, int64_t dflt)
{
	int64_t v;
	return vg_msg_get_int(m, name, &v) == 0 ? v : dflt;
}

/* Cancellations and deletions change the history without a record of their own. */
static void record_removal(ctld_t *c, const char *node, const vg_msg_t *m, const vg_op_result_t *r)
{
	xmlNode *cib = ctld_cib_root(c);
	if (r->op_status == VG_OP_CANCELLED) /* a recurring op ended (call-id: that run) */
		vg_history_remove_op(cib, node, r->rsc_id, r->task, r->interval_ms, r->call_id);
	else if (g_strcmp0(r->task, "cancel") == 0)
		vg_history_remove_op(cib, node, r->rsc_id,
		                     vg_msg_get(m, "cancel_task") ? vg_msg_get(m, "cancel_task")
		                                                  : "monitor",
		                     r->interval_ms, 0);
	else /* delete: the node's executor forgot the resource */
		vg_history_forget_rsc(cib, node, r->rsc_id);
	ctld_cib_changed(c);
}

void ctld_transition_on_result(ctld_t *c, const char *from, const vg_msg_t *m)
{
	const char *node = vg_msg_get(m, "node");
	int64_t interval = field_int(m, "interval", 0);
	vg_time_t run_at = field_int(m, "run_at", 0), rc_change = field_int(m, "rc_change", 0);
	vg_op_result_t r = {
	    .rsc_id = vg_msg_get(m, "rsc"),
	    .rsc_class = vg_msg_get(m, "class"),
	    .rsc_provider = vg_msg_get(m, "provider"),
	    .rsc_type = vg_msg_get(m, "type"),
	    .task = vg_msg_get(m, "task"),
	    .interval_ms = (guint)interval,
	    .rc = (int)field_int(m, "rc", 1),
	    .op_status = (int)field_int(m, "status", VG_OP_ERROR),
	    .target_rc = (int)field_int(m, "target_rc", 0),
	    .call_id = (int)field_int(m, "call", -1),
	    /* a recurring op's record dates from its last change of result */
	    .when = interval > 0 && rc_change ? rc_change
	            : run_at                  ? run_at
	                                      : rc_change,
	    .exec_ms = (guint)field_int(m, "exec", 0),
	    .queue_ms = (guint)field_int(m, "queue", 0),
	    .transition_key = vg_msg_get(m, "key"),
	    .exit_reason = vg_msg_get(m, "reason"),
	    .migrate_source = vg_msg_get(m, "migrate_source"),
	    .migrate_target = vg_msg_get(m, "migrate_target"),
	    .origin = ORIGIN,
	    .op_digest = vg_msg_get(m, "digest"),
	    .shutdown_lock = field_int(m, "shutdown_lock", 0),
	};
	int graph = (int)field_int(m, "graph", -1), action = (int)field_int(m, "action", -1);

	(void)from;
	if (!ctld_is_dc(c) || !node || !r.rsc_id || !r.task)
		return;
	if (!r.when)
		r.when = (vg_time_t)(g_get_real_time() / G_USEC_PER_SEC);
	/* A stop that found nothing running did its job (Pacemaker's executor
	 * reports it as success too). */
	if (g_strcmp0(r.task, "stop") == 0 && r.op_status == VG_OP_DONE &&
	    r.rc == VG_OCF_NOT_RUNNING)
		r.rc = VG_OCF_SUCCESS;
	/* A result made up on the node (the action could not be run) has no
	 * call id: recorded with call-id -1 it would read as still in flight,
	 * so it gets the next one, as Pacemaker's controller does. */
	if (r.call_id < 0 && r.op_status != VG_OP_PENDING)
		r.call_id = 0;
	bool ok = r.op_status == VG_OP_DONE && r.rc == r.target_rc;
	if (r.op_status == VG_OP_CANCELLED || g_strcmp0(r.task, "cancel") == 0 ||
	    g_strcmp0(r.task, "delete") == 0) {
		if (ok || r.op_status == VG_OP_CANCELLED)
			record_removal(c, node, m, &r);
	} else if (ctld_transition_record(c, node, &r) && action < 0) {
		ctld_transition_trigger(c, "operation failed");
	}
	if (c->graph && graph == c->graph_id && action >= 0) {
		if (!ok)
			vg_log_info("transition %d: %s %s on %s: rc %d (expected %d), status %d",
			            graph, r.rsc_id, r.task, node, r.rc, r.target_rc, r.op_status);
		ctld_transition_action_done(c, action, ok);
	}
}
