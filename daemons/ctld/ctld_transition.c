/*
 * ctld_transition.c: the DC's decision loop.  Something relevant happens
 * (CIB or attribute change, node joined/left, quorum, an operation failed,
 * a timer from the scheduler's recheck time) -> ctld_transition_trigger() ->
 * once no action is in flight, the scheduler runs on the current CIB and its
 * graph is executed: rsc_op to the target node's controller (its execd),
 * stonith to the fencer, pseudo events confirmed at once.  Each result is
 * recorded as history (ctld_history.c); an unexpected result aborts the
 * graph (in-flight actions finish) and the scheduler runs again.
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
#include <vigil/sched.h>

#include "ctld_private.h"

#define PE_KEEP              100
#define ACTION_SLACK_MS      5000
#define RECHECK_DEFAULT_S    (15 * 60)
#define FENCE_RETRY_DELAY_MS 2000

typedef struct action_timer {
	ctld_t *c;
	int graph_id, action_id;
} action_timer_t;

static void run_graph(ctld_t *c);

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
	if (c->graph && !ctld_graph_idle(c->graph)) {
		if (!ctld_graph_aborted(c->graph))
			vg_log_info("transition %d: aborted (%s); waiting for actions in flight",
			            ctld_graph_id(c->graph), reason);
		ctld_graph_abort(c->graph);
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
	if (!ctld_is_dc(c) || !c->graph || ctld_graph_idle(c->graph))
		return;
	vg_log_notice("transition %d: abandoned (quorum lost)", ctld_graph_id(c->graph));
	ctld_graph_free(c->graph);
	c->graph = NULL;
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
	ctld_graph_free(c->graph);
	c->graph = NULL;
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

static gboolean recompute(gpointer data)
{
	ctld_t *c = data;
	vg_sched_result_t *r = NULL;
	vg_error_t err = {0};
	vg_time_t now = (vg_time_t)(g_get_real_time() / G_USEC_PER_SEC);

	c->recompute_src = 0;
	if (!ctld_is_dc(c))
		return G_SOURCE_REMOVE;
	if (c->graph && !ctld_graph_idle(c->graph)) {
		c->recompute_wanted = true;
		return G_SOURCE_REMOVE;
	}
	ctld_graph_free(c->graph);
	c->graph = NULL;
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
	c->graph = ctld_graph_new(vg_sched_result_graph(r), id);
	arm_recheck(c, vg_sched_result_recheck(r), now);
	release_idle_nodes(c, r);
	vg_sched_result_free(r);
	run_graph(c);
	return G_SOURCE_REMOVE;
}

static gboolean action_timeout(gpointer data)
{
	action_timer_t *t = data;
	ctld_t *c = t->c;
	if (!c->graph || ctld_graph_id(c->graph) != t->graph_id)
		return G_SOURCE_REMOVE;
	ctld_action_t *a = ctld_graph_action(c->graph, t->action_id);
	if (!a || a->confirmed)
		return G_SOURCE_REMOVE;
	a->timer = 0;
	vg_log_error("transition %d: action %d (%s on %s) timed out", t->graph_id, t->action_id,
	             a->task, a->node ? a->node : "?");
	if (a->kind == CTLD_ACT_RSC) /* not left "pending" forever */
		ctld_history_record_action(c, a, t->graph_id, 2);
	ctld_transition_action_done(c, t->action_id, false);
	return G_SOURCE_REMOVE;
}

static void arm_action_timer(ctld_t *c, ctld_action_t *a, uint64_t ms)
{
	action_timer_t *t = g_new0(action_timer_t, 1);
	t->c = c;
	t->graph_id = ctld_graph_id(c->graph);
	t->action_id = a->id;
	a->timer = g_timeout_add_full(G_PRIORITY_DEFAULT, (guint)ms, action_timeout, t, g_free);
}

static uint64_t attr_ms(const ctld_action_t *a, const char *name, uint64_t dflt)
{
	const char *v = ctld_action_attr(a, name);
	return v ? g_ascii_strtoull(v, NULL, 10) : dflt;
}

static bool peer_reachable(ctld_t *c, const char *node)
{
	ctld_peer_t *p = ctld_peer_get(c, node, false);
	return p && p->member;
}

static void dispatch_rsc(ctld_t *c, ctld_action_t *a)
{
	const char *target_rc = ctld_action_attr(a, "CRM_meta_op_target_rc");
	const char *role = ctld_action_attr(a, "CRM_meta_role");
	char key[256];
	/* A monitor of the promoted role answers 8 when all is well (the
	 * executing node also knows, see ctld_execd.c). */
	if (g_strcmp0(a->task, "monitor") == 0 && g_strcmp0(target_rc, "7") != 0 &&
	    (g_strcmp0(role, "Promoted") == 0 || g_strcmp0(role, "Master") == 0))
		target_rc = "8";
	g_snprintf(key, sizeof(key), "%d:%d:%s:%s", a->id, ctld_graph_id(c->graph),
	           target_rc ? target_rc : "0", ctld_join_node_id(c, c->me));
	if (!a->node || !peer_reachable(c, a->node)) {
		vg_log_warn("transition %d: %s: node %s is not reachable", ctld_graph_id(c->graph),
		            vg_xml_get(a->xml, "operation_key"), a->node ? a->node : "(none)");
		ctld_graph_confirm(c->graph, a->id, false);
		return;
	}
	if (c->cfg->debug) {
		char *x = vg_xml_dump(a->xml, false);
		vg_log_debug("transition %d: dispatch %s", ctld_graph_id(c->graph), x);
		g_free(x);
	}
	vg_msg_t *m = vg_msg_new("rsc-op");
	vg_msg_set(m, "dc", c->me);
	vg_msg_set_int(m, "graph", ctld_graph_id(c->graph));
	vg_msg_set_int(m, "action", a->id);
	vg_msg_set(m, "key", key);
	vg_msg_set(m, "op_key", vg_xml_get(a->xml, "operation_key"));
	vg_msg_set(m, "target_rc", target_rc ? target_rc : "0");
	/* The scheduler states the role an operation expects: the executing
	 * node must not second-guess it (ctld_execd.c track_role). */
	if (role != NULL || ctld_action_attr(a, "CRM_meta_op_target_rc") != NULL)
		vg_msg_set(m, "target_from_graph", "1");
	vg_msg_set_xml(m, a->xml);
	/* Probes and monitors are routine; what changes a resource is worth a notice. */
	if (g_strcmp0(a->task, "monitor") == 0)
		vg_log_info("transition %d: %s on %s", ctld_graph_id(c->graph),
		            vg_xml_get(a->xml, "operation_key"), a->node);
	else
		vg_log_notice("transition %d: %s on %s", ctld_graph_id(c->graph),
		              vg_xml_get(a->xml, "operation_key"), a->node);
	arm_action_timer(c, a,
	                 attr_ms(a, "CRM_meta_timeout", 20000) +
	                     attr_ms(a, "CRM_meta_start_delay", 0) + ACTION_SLACK_MS);
	if (strcmp(a->node, c->me) == 0)
		ctld_execd_run(c, c->me, m);
	else
		ctld_peer_send(c, a->node, m);
	vg_msg_free(m);
}

static const char *primitive_id(const ctld_action_t *a)
{
	xmlNode *p = vg_xml_first(a->xml, "primitive");
	return p ? vg_xml_get(p, "id") : NULL;
}

/* crm_event: returns true when the action is complete already. */
static bool dispatch_crm(ctld_t *c, ctld_action_t *a)
{
	if (g_strcmp0(a->task, "stonith") == 0) {
		const char *how = ctld_action_attr(a, "CRM_meta_stonith_action");
		uint64_t timeout = attr_ms(a, "CRM_meta_timeout", 60000);
		if (!a->node || strcmp(a->node, c->me) == 0) {
			vg_log_error("transition %d: refusing to fence this node (the DC)",
			             ctld_graph_id(c->graph));
			ctld_graph_confirm(c->graph, a->id, false);
			return true;
		}
		arm_action_timer(c, a, timeout + ACTION_SLACK_MS);
		ctld_fence_run(c, a->id, a->node, how, (unsigned)timeout);
		return false;
	}
	if (g_strcmp0(a->task, "do_shutdown") == 0) {
		ctld_shutdown_release(c, a->node);
		return true;
	}
	if (g_strcmp0(a->task, "clear_failcount") == 0) {
		const char *rsc = primitive_id(a);
		if (rsc && a->node) {
			ctld_history_clear_failcount(c, a->node, rsc, NULL);
		}
		return true;
	}
	vg_log_debug("transition %d: %s needs nothing here", ctld_graph_id(c->graph), a->task);
	return true;
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

static void run_graph(ctld_t *c)
{
	bool progress = true;
	while (progress && c->graph) {
		GPtrArray *ready = ctld_graph_runnable(c->graph);
		progress = ready->len > 0;
		for (guint i = 0; i < ready->len; i++) {
			ctld_action_t *a = g_ptr_array_index(ready, i);
			switch (a->kind) {
			case CTLD_ACT_PSEUDO:
				ctld_graph_confirm(c->graph, a->id, true);
				break;
			case CTLD_ACT_CRM:
				if (dispatch_crm(c, a))
					ctld_graph_confirm(c->graph, a->id, true);
				break;
			case CTLD_ACT_RSC:
				dispatch_rsc(c, a);
				/* A successor DC must know what is in flight. */
				if (c->graph && a->fired && !a->confirmed)
					ctld_history_record_action(c, a, ctld_graph_id(c->graph),
					                           -1);
				break;
			}
		}
		g_ptr_array_unref(ready);
	}
	if (c->graph && ctld_graph_idle(c->graph)) {
		unsigned fired, confirmed;
		unsigned total = ctld_graph_counts(c->graph, &fired, &confirmed);
		bool aborted = ctld_graph_aborted(c->graph);
		vg_log_info("transition %d: %s (%u of %u actions run)", ctld_graph_id(c->graph),
		            aborted ? "stopped early" : "complete", confirmed, total);
		/* A DC that released itself leaves only now: nothing it sent is
		 * still unanswered, and the results are in the CIB. */
		if (ctld_shutdown_leave_if_idle(c))
			return;
		if (aborted || c->recompute_wanted)
			schedule_recompute(c, c->recompute_wanted ? 0 : FENCE_RETRY_DELAY_MS / 4);
		else if (confirmed > 0 && shutdown_pending(c))
			schedule_recompute(c, 0); /* may the node leave now? */
	}
}

void ctld_transition_action_done(ctld_t *c, int action_id, bool ok)
{
	if (!c->graph)
		return;
	ctld_action_t *a = ctld_graph_action(c->graph, action_id);
	if (!a || !a->fired || a->confirmed)
		return;
	ctld_graph_confirm(c->graph, action_id, ok);
	if (!ok && a->kind == CTLD_ACT_CRM && g_strcmp0(a->task, "stonith") == 0) {
		/* The scheduler will ask again; do not hammer a broken device. */
		c->recompute_wanted = false;
		if (ctld_graph_idle(c->graph)) {
			if (ctld_shutdown_leave_if_idle(c))
				return;
			schedule_recompute(c, FENCE_RETRY_DELAY_MS);
			return;
		}
	}
	run_graph(c);
}

static int64_t field_int(const vg_msg_t *m, const char *name, int64_t dflt)
{
	int64_t v;
	return vg_msg_get_int(m, name, &v) == 0 ? v : dflt;
}

void ctld_transition_on_result(ctld_t *c, const char *from, const vg_msg_t *m)
{
	ctld_op_result_t r = {
	    .node = vg_msg_get(m, "node"),
	    .rsc = vg_msg_get(m, "rsc"),
	    .klass = vg_msg_get(m, "class"),
	    .provider = vg_msg_get(m, "provider"),
	    .type = vg_msg_get(m, "type"),
	    .task = vg_msg_get(m, "task"),
	    .interval_ms = (uint64_t)field_int(m, "interval", 0),
	    .key = vg_msg_get(m, "key"),
	    .call_id = (int)field_int(m, "call", -1),
	    .rc = (int)field_int(m, "rc", 1),
	    .status = (int)field_int(m, "status", 4),
	    .target_rc = (int)field_int(m, "target_rc", 0),
	    .exec_ms = (uint64_t)field_int(m, "exec", 0),
	    .queue_ms = (uint64_t)field_int(m, "queue", 0),
	    .last_rc_change = field_int(m, "rc_change", 0),
	    .run_at = field_int(m, "run_at", 0),
	    .exit_reason = vg_msg_get(m, "reason"),
	    .digest = vg_msg_get(m, "digest"),
	};
	int graph = (int)field_int(m, "graph", -1), action = (int)field_int(m, "action", -1);

	if (!ctld_is_dc(c) || !r.node || !r.rsc || !r.task)
		return;
	if (!r.last_rc_change)
		r.last_rc_change = (vg_time_t)(g_get_real_time() / G_USEC_PER_SEC);
	bool ok = r.status == 0 && r.rc == r.target_rc;
	if (g_strcmp0(r.task, "cancel") == 0 || g_strcmp0(r.task, "delete") == 0) {
		const char *op_key = vg_msg_get(m, "op_key");
		if (ok && op_key && g_strcmp0(r.task, "cancel") == 0) {
			ctld_op_result_t cr = r;
			cr.status = 1;
			cr.task =
			    vg_msg_get(m, "cancel_task") ? vg_msg_get(m, "cancel_task") : "monitor";
			ctld_history_record(c, &cr);
		}
	} else {
		bool failed = ctld_history_record(c, &r);
		if (failed && action < 0)
			ctld_transition_trigger(c, "operation failed");
	}
	if (c->graph && graph == ctld_graph_id(c->graph) && action >= 0) {
		if (!ok)
			vg_log_info("transition %d: %s %s on %s: rc %d (expected %d), status %d",
			            graph, r.rsc, r.task, r.node, r.rc, r.target_rc, r.status);
		ctld_transition_action_done(c, action, ok);
	}
	(void)from;
}
