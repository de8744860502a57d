/*
 * sched_graph.c: transition graphs as something to execute.
 *
 * Owns unpacking a <transition_graph> (Pacemaker's format: synapses with an
 * action_set and inputs/trigger), deciding which synapses may fire, tracking
 * confirmations and failures, the graph's end state, and the one-line text
 * crm_simulate prints per executed action.  The firing rules follow
 * Pacemaker's transition engine (document order, one pass at a time, inputs
 * must be confirmed and not failed, abort priority) so that a simulated run
 * lists its actions in the same order as crm_simulate.
 *
 * Never performs an action itself: the caller's fire callback does, and
 * reports back with vg_graph_confirm().  No I/O, no globals.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define VG_LOG_SUBSYS "sched"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <vigil/common.h>
#include <vigil/sched.h>

#define SYN_EXECUTED  (1u << 0)
#define SYN_CONFIRMED (1u << 1)
#define SYN_FAILED    (1u << 2)

typedef struct synapse {
	int id;
	int priority;
	unsigned flags;
	GPtrArray *actions; /* vg_graph_action_t *, borrowed from graph->actions */
	GArray *inputs;     /* int action ids */
} synapse_t;

struct vg_graph {
	int transition_id;
	int batch_limit;
	int abort_priority;
	const char *abort_reason;
	GPtrArray *synapses; /* synapse_t *, document order */
	GPtrArray *actions;  /* vg_graph_action_t *, document order (owned) */
	GHashTable *by_id;   /* int id -> vg_graph_action_t * */
	GHashTable *owner;   /* vg_graph_action_t * -> synapse_t * */
};

static void action_free(gpointer p)
{
	vg_graph_action_t *a = p;

	if (a->params != NULL)
		g_hash_table_destroy(a->params);
	g_free(a);
}

static void synapse_free(gpointer p)
{
	synapse_t *s = p;

	g_ptr_array_free(s->actions, TRUE);
	g_array_free(s->inputs, TRUE);
	g_free(s);
}

void vg_graph_free(vg_graph_t *g)
{
	if (g == NULL)
		return;
	g_ptr_array_free(g->synapses, TRUE);
	g_ptr_array_free(g->actions, TRUE);
	g_hash_table_destroy(g->by_id);
	g_hash_table_destroy(g->owner);
	g_free(g);
}

/* Integer attribute with a default; "INFINITY" understood (priorities). */
static int attr_int(const xmlNode *n, const char *name, int dflt)
{
	const char *v = vg_xml_get(n, name);
	int score = 0;

	if (v == NULL || *v == '\0')
		return dflt;
	if (vg_score_parse(v, &score) == 0)
		return score;
	return dflt;
}

static guint param_ms(GHashTable *params, const char *name)
{
	const char *v = g_hash_table_lookup(params, name);
	uint64_t ms = 0;

	if (v == NULL)
		return 0;
	/* Graph values are milliseconds as plain integers. */
	ms = g_ascii_strtoull(v, NULL, 10);
	return ms > G_MAXUINT ? G_MAXUINT : (guint)ms;
}

/* <attributes a="b" ...> into name -> value pointing into the tree. */
static GHashTable *unpack_params(const xmlNode *action)
{
	GHashTable *params = g_hash_table_new(g_str_hash, g_str_equal);
	const xmlNode *attrs = vg_xml_first(action, "attributes");

	if (attrs == NULL)
		return params;
	for (const xmlAttr *a = attrs->properties; a != NULL; a = a->next) {
		const char *value = "";

		if (a->children != NULL && a->children->content != NULL)
			value = (const char *)a->children->content;
		g_hash_table_insert(params, (gpointer)a->name, (gpointer)value);
	}
	return params;
}

static int unpack_action(vg_graph_t *g, synapse_t *s, const xmlNode *n, vg_error_t *err)
{
	const char *kind = vg_xml_name(n);
	vg_graph_action_t *a;
	const char *v;
	const xmlNode *prim;

	if (!g_str_equal(kind, "rsc_op") && !g_str_equal(kind, "pseudo_event") &&
	    !g_str_equal(kind, "crm_event"))
		return vg_error_set(err, VG_EPARSE,
		                    "transition graph: synapse %d: unknown action <%s>", s->id,
		                    kind);
	v = vg_xml_get(n, "id");
	if (v == NULL || *v == '\0')
		return vg_error_set(err, VG_EPARSE, "transition graph: synapse %d: <%s> without id",
		                    s->id, kind);

	a = g_new0(vg_graph_action_t, 1);
	a->id = atoi(v);
	a->synapse_id = s->id;
	a->priority = s->priority;
	a->xml = n;
	a->task = vg_xml_get(n, "operation");
	a->key = vg_xml_get(n, "operation_key");
	a->node = vg_xml_get(n, "on_node");
	a->node_uuid = vg_xml_get(n, "on_node_uuid");
	a->router_node = vg_xml_get(n, "router_node");
	a->params = unpack_params(n);
	a->interval_ms = param_ms(a->params, "CRM_meta_interval");
	a->timeout_ms = param_ms(a->params, "CRM_meta_timeout");
	v = g_hash_table_lookup(a->params, "CRM_meta_op_target_rc");
	a->target_rc = v != NULL ? atoi(v) : 0;
	a->transition_key = g_hash_table_lookup(a->params, "CRM_meta_transition_key");
	v = g_hash_table_lookup(a->params, "CRM_meta_can_fail");
	if (v != NULL && (g_ascii_strcasecmp(v, "true") == 0 || g_str_equal(v, "1")))
		a->flags |= VG_GRAPH_ACTION_CAN_FAIL;
	if (a->task == NULL)
		a->task = "";

	if (g_str_equal(kind, "pseudo_event"))
		a->type = VG_GRAPH_PSEUDO;
	else if (g_str_equal(kind, "rsc_op"))
		a->type = VG_GRAPH_RSC;
	else if (g_ascii_strcasecmp(a->task, "stonith") == 0)
		a->type = VG_GRAPH_FENCE;
	else
		a->type = VG_GRAPH_CLUSTER;

	prim = vg_xml_first(n, "primitive");
	if (prim != NULL) {
		a->rsc_id = vg_xml_get(prim, "id");
		a->rsc_long_id = vg_xml_get(prim, "long-id");
		a->rsc_class = vg_xml_get(prim, "class");
		a->rsc_provider = vg_xml_get(prim, "provider");
		a->rsc_type = vg_xml_get(prim, "type");
		a->rsc_name = a->rsc_long_id != NULL ? a->rsc_long_id : a->rsc_id;
	}
	if (a->type == VG_GRAPH_RSC && a->rsc_id == NULL) {
		int id = a->id;

		action_free(a);
		return vg_error_set(err, VG_EPARSE,
		                    "transition graph: rsc_op %d has no <primitive>", id);
	}
	g_ptr_array_add(g->actions, a);
	g_ptr_array_add(s->actions, a);
	g_hash_table_insert(g->owner, a, s);
	/* The first action with an id wins, as in Pacemaker's lookups. */
	if (!g_hash_table_contains(g->by_id, GINT_TO_POINTER(a->id)))
		g_hash_table_insert(g->by_id, GINT_TO_POINTER(a->id), a);
	return 0;
}

static int unpack_synapse(vg_graph_t *g, const xmlNode *sx, vg_error_t *err)
{
	synapse_t *s = g_new0(synapse_t, 1);
	const xmlNode *set, *inputs, *trig, *n;

	s->id = attr_int(sx, "id", -1);
	s->priority = attr_int(sx, "priority", 0);
	s->actions = g_ptr_array_new();
	s->inputs = g_array_new(FALSE, FALSE, sizeof(int));
	g_ptr_array_add(g->synapses, s);

	VG_XML_FOREACH(set, sx, "action_set")
	{
		for (n = vg_xml_first(set, NULL); n != NULL; n = vg_xml_next(n, NULL)) {
			int rc = unpack_action(g, s, n, err);

			if (rc != 0)
				return rc;
		}
	}
	VG_XML_FOREACH(inputs, sx, "inputs")
	{
		VG_XML_FOREACH(trig, inputs, "trigger")
		{
			for (n = vg_xml_first(trig, NULL); n != NULL; n = vg_xml_next(n, NULL)) {
				const char *id = vg_xml_get(n, "id");
				int iid;

				if (id == NULL)
					return vg_error_set(err, VG_EPARSE,
					                    "transition graph: synapse %d: "
					                    "input without id",
					                    s->id);
				iid = atoi(id);
				g_array_append_val(s->inputs, iid);
			}
		}
	}
	if (s->actions->len == 0)
		return vg_error_set(err, VG_EPARSE, "transition graph: synapse %d has no action",
		                    s->id);
	return 0;
}

int vg_graph_unpack(const xmlNode *xml, vg_graph_t **out, vg_error_t *err)
{
	vg_graph_t *g;
	const xmlNode *sx;

	*out = NULL;
	if (xml == NULL || !vg_xml_is(xml, "transition_graph"))
		return vg_error_set(err, VG_EPARSE, "not a <transition_graph>");
	g = g_new0(vg_graph_t, 1);
	g->transition_id = attr_int(xml, "transition_id", 0);
	g->batch_limit = attr_int(xml, "batch-limit", 0);
	g->synapses = g_ptr_array_new_with_free_func(synapse_free);
	g->actions = g_ptr_array_new_with_free_func(action_free);
	g->by_id = g_hash_table_new(g_direct_hash, g_direct_equal);
	g->owner = g_hash_table_new(g_direct_hash, g_direct_equal);
	VG_XML_FOREACH(sx, xml, "synapse")
	{
		int rc = unpack_synapse(g, sx, err);

		if (rc != 0) {
			vg_graph_free(g);
			return rc;
		}
	}
	*out = g;
	return 0;
}

int vg_graph_transition_id(const vg_graph_t *g)
{
	return g->transition_id;
}

size_t vg_graph_n_actions(const vg_graph_t *g)
{
	return g->actions->len;
}

vg_graph_action_t *vg_graph_action(const vg_graph_t *g, size_t i)
{
	return i < g->actions->len ? g_ptr_array_index(g->actions, i) : NULL;
}

vg_graph_action_t *vg_graph_find_action(const vg_graph_t *g, int id)
{
	return g_hash_table_lookup(g->by_id, GINT_TO_POINTER(id));
}

/*
 * An input is satisfied once its action is confirmed; a failed input only
 * satisfies a synapse of priority INFINITY (clean-up that must run anyway).
 */
static bool inputs_ready(const vg_graph_t *g, const synapse_t *s)
{
	for (guint i = 0; i < s->inputs->len; i++) {
		const vg_graph_action_t *in =
		    vg_graph_find_action(g, g_array_index(s->inputs, int, i));

		if (in == NULL || !(in->flags & VG_GRAPH_ACTION_CONFIRMED))
			return false;
		if ((in->flags & VG_GRAPH_ACTION_FAILED) && s->priority < VG_SCORE_INFINITY)
			return false;
	}
	return true;
}

typedef struct pass {
	int fired, pending, skipped, incomplete;
} pass_t;

static bool should_fire(const vg_graph_t *g, const synapse_t *s, pass_t *p)
{
	if (!inputs_ready(g, s))
		return false;
	for (guint i = 0; i < s->actions->len; i++) {
		const vg_graph_action_t *a = g_ptr_array_index(s->actions, i);

		if (a->type == VG_GRAPH_PSEUDO)
			continue;
		if (s->priority < g->abort_priority) {
			p->skipped++;
			return false;
		}
	}
	return true;
}

static void synapse_update(synapse_t *s)
{
	for (guint i = 0; i < s->actions->len; i++) {
		const vg_graph_action_t *a = g_ptr_array_index(s->actions, i);

		if (!(a->flags & VG_GRAPH_ACTION_CONFIRMED))
			return;
	}
	s->flags |= SYN_CONFIRMED;
}

static synapse_t *synapse_of(const vg_graph_t *g, const vg_graph_action_t *a)
{
	return g_hash_table_lookup(g->owner, a);
}

static int fire_synapse(vg_graph_t *g, synapse_t *s, vg_graph_fire_fn fire, void *data)
{
	s->flags |= SYN_EXECUTED;
	for (guint i = 0; i < s->actions->len; i++) {
		vg_graph_action_t *a = g_ptr_array_index(s->actions, i);

		if (a->flags & VG_GRAPH_ACTION_EXECUTED)
			continue;
		a->flags |= VG_GRAPH_ACTION_EXECUTED;
		if (fire(g, a, data) != 0) {
			a->flags |= VG_GRAPH_ACTION_CONFIRMED | VG_GRAPH_ACTION_FAILED;
			s->flags |= SYN_CONFIRMED;
			return -1;
		}
	}
	return 0;
}

vg_graph_status_t vg_graph_execute(vg_graph_t *g, vg_graph_fire_fn fire, void *data)
{
	pass_t p = {0};

	for (guint i = 0; i < g->synapses->len; i++) {
		const synapse_t *s = g_ptr_array_index(g->synapses, i);

		if (!(s->flags & (SYN_CONFIRMED | SYN_FAILED)) && (s->flags & SYN_EXECUTED))
			p.pending++;
	}
	for (guint i = 0; i < g->synapses->len; i++) {
		synapse_t *s = g_ptr_array_index(g->synapses, i);

		if (g->batch_limit > 0 && p.pending >= g->batch_limit)
			break;
		if (s->flags & SYN_FAILED) {
			p.skipped++;
			continue;
		}
		if (s->flags & (SYN_CONFIRMED | SYN_EXECUTED))
			continue;
		if (should_fire(g, s, &p)) {
			p.fired++;
			if (fire_synapse(g, s, fire, data) != 0) {
				g->abort_reason = "an action could not be started";
				return VG_GRAPH_TERMINATED;
			}
			/* Only actions still in flight count against batch-limit. */
			if (!(s->flags & SYN_CONFIRMED))
				p.pending++;
		} else {
			p.incomplete++;
		}
	}
	/* Confirmations made synchronously during this pass count as progress. */
	p.pending = 0;
	for (guint i = 0; i < g->synapses->len; i++) {
		const synapse_t *s = g_ptr_array_index(g->synapses, i);

		if (!(s->flags & (SYN_CONFIRMED | SYN_FAILED)) && (s->flags & SYN_EXECUTED))
			p.pending++;
	}
	if (p.pending > 0 || p.fired > 0)
		return VG_GRAPH_ACTIVE;
	if (p.incomplete > 0 && g->abort_priority <= 0)
		return VG_GRAPH_TERMINATED;
	if (p.skipped > 0)
		return VG_GRAPH_STOPPED;
	return VG_GRAPH_COMPLETE;
}

void vg_graph_confirm(vg_graph_t *g, vg_graph_action_t *a, bool failed)
{
	synapse_t *s;

	a->flags |= VG_GRAPH_ACTION_CONFIRMED;
	if (failed)
		a->flags |= VG_GRAPH_ACTION_FAILED;
	s = synapse_of(g, a);
	if (s != NULL)
		synapse_update(s);
}

size_t vg_graph_in_flight(const vg_graph_t *g)
{
	size_t n = 0;

	for (guint i = 0; i < g->actions->len; i++) {
		const vg_graph_action_t *a = g_ptr_array_index(g->actions, i);

		if ((a->flags & VG_GRAPH_ACTION_EXECUTED) &&
		    !(a->flags & VG_GRAPH_ACTION_CONFIRMED))
			n++;
	}
	return n;
}

void vg_graph_abort(vg_graph_t *g, int priority, const char *reason)
{
	if (priority > g->abort_priority) {
		g->abort_priority = priority;
		g->abort_reason = reason;
	}
}

const char *vg_graph_status_str(vg_graph_status_t st)
{
	static const char *const names[] = {
	    [VG_GRAPH_ACTIVE] = "In progress",
	    [VG_GRAPH_COMPLETE] = "Complete",
	    [VG_GRAPH_STOPPED] = "Stopped",
	    [VG_GRAPH_TERMINATED] = "Terminated",
	};

	return (unsigned)st < G_N_ELEMENTS(names) ? names[st] : "unknown";
}

const char *vg_graph_action_rsc_name(const vg_graph_action_t *a)
{
	return a->rsc_name != NULL ? a->rsc_name : "";
}

/* Every lrm_resource id in the status section. */
static GHashTable *history_names(const xmlNode *cib)
{
	GHashTable *names = g_hash_table_new(g_str_hash, g_str_equal);
	const xmlNode *st = vg_xml_first(cib, "status");
	const xmlNode *ns, *lrm, *rscs, *r;

	if (st == NULL)
		return names;
	VG_XML_FOREACH(ns, st, "node_state")
	VG_XML_FOREACH(lrm, ns, "lrm")
	VG_XML_FOREACH(rscs, lrm, "lrm_resources")
	VG_XML_FOREACH(r, rscs, "lrm_resource")
	{
		const char *id = vg_xml_get(r, "id");

		if (id != NULL)
			g_hash_table_add(names, (gpointer)id);
	}
	return names;
}

void vg_graph_use_history(vg_graph_t *g, const xmlNode *cib)
{
	GHashTable *names = NULL;

	for (guint i = 0; i < g->actions->len; i++) {
		vg_graph_action_t *a = g_ptr_array_index(g->actions, i);

		if (a->rsc_long_id == NULL || a->rsc_id == NULL)
			continue;
		if (names == NULL)
			names = history_names(cib);
		a->rsc_name = g_hash_table_contains(names, a->rsc_id) ? a->rsc_id : a->rsc_long_id;
	}
	if (names != NULL)
		g_hash_table_destroy(names);
}

char *vg_graph_action_text(const vg_graph_action_t *a)
{
	const char *node = a->node != NULL ? a->node : "";

	switch (a->type) {
	case VG_GRAPH_PSEUDO:
		return g_strdup_printf("Pseudo action:   %s%s%s", a->key ? a->key : a->task,
		                       a->node != NULL ? " on " : "", node);
	case VG_GRAPH_RSC:
		if (a->interval_ms > 0)
			return g_strdup_printf("Resource action: %-15s %s=%u on %s",
			                       vg_graph_action_rsc_name(a), a->task, a->interval_ms,
			                       node);
		return g_strdup_printf("Resource action: %-15s %s on %s",
		                       vg_graph_action_rsc_name(a), a->task, node);
	case VG_GRAPH_FENCE: {
		const char *op = g_hash_table_lookup(a->params, "CRM_meta_stonith_action");

		return g_strdup_printf("Fencing %s (%s)", node, op ? op : "reboot");
	}
	case VG_GRAPH_CLUSTER:
		if (a->rsc_id != NULL)
			return g_strdup_printf("Cluster action:  %s for %s on %s", a->task,
			                       a->rsc_id, node);
		return g_strdup_printf("Cluster action:  %s on %s", a->task, node);
	}
	return g_strdup("");
}

static void dot_name(GString *out, const vg_graph_action_t *a)
{
	const char *key = a->key != NULL ? a->key : a->task;

	if (a->node != NULL && a->type != VG_GRAPH_PSEUDO)
		g_string_append_printf(out, "\"%s %s\"", key, a->node);
	else
		g_string_append_printf(out, "\"%s\"", key);
}

char *vg_graph_dot(const vg_graph_t *g)
{
	GString *out = g_string_new(" digraph \"g\" {\n");

	for (guint i = 0; i < g->actions->len; i++) {
		const vg_graph_action_t *a = g_ptr_array_index(g->actions, i);

		dot_name(out, a);
		g_string_append_printf(out, " [ style=bold color=\"%s\" fontcolor=\"%s\"]\n",
		                       a->type == VG_GRAPH_PSEUDO ? "green" : "green",
		                       a->type == VG_GRAPH_PSEUDO ? "orange" : "black");
	}
	for (guint i = 0; i < g->synapses->len; i++) {
		const synapse_t *s = g_ptr_array_index(g->synapses, i);

		for (guint j = 0; j < s->inputs->len; j++) {
			const vg_graph_action_t *in =
			    vg_graph_find_action(g, g_array_index(s->inputs, int, j));

			if (in == NULL)
				continue;
			for (guint k = 0; k < s->actions->len; k++) {
				dot_name(out, in);
				g_string_append(out, " -> ");
				dot_name(out, g_ptr_array_index(s->actions, k));
				g_string_append(out, " [ style = bold]\n");
			}
		}
	}
	g_string_append(out, "}\n");
	return g_string_free(out, FALSE);
}
