/*
 * ctld_graph.c: walks a transition graph in Pacemaker's <transition_graph>
 * format.  A synapse (a set of actions) becomes runnable when every action
 * named in its <inputs> is confirmed; then all its actions fire.  A failed
 * action aborts the graph: nothing new fires, in-flight actions finish.
 *
 * Invariants: an action fires at most once; confirmed implies fired.
 * Never does: dispatch anything (ctld_transition.c does), time, I/O.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define VG_LOG_SUBSYS "graph"
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "ctld_private.h"

typedef struct synapse {
	int id;
	GPtrArray *actions; /* ctld_action_t *, borrowed from graph->by_id */
	GArray *inputs;     /* int action ids */
	bool fired;
} synapse_t;

struct ctld_graph {
	xmlDoc *doc;
	int id;
	GPtrArray *synapses; /* synapse_t * */
	GHashTable *by_id;   /* int -> ctld_action_t * (owned) */
	bool aborted;
};

static void synapse_free(gpointer p)
{
	synapse_t *s = p;
	g_ptr_array_unref(s->actions);
	g_array_unref(s->inputs);
	g_free(s);
}

static void action_free(gpointer p)
{
	ctld_action_t *a = p;
	if (a->timer)
		g_source_remove(a->timer);
	g_free(a);
}

static int int_attr(const xmlNode *n, const char *name, int dflt)
{
	const char *v = vg_xml_get(n, name);
	return v ? atoi(v) : dflt;
}

static ctld_action_t *action_for(ctld_graph_t *g, xmlNode *n)
{
	int id = int_attr(n, "id", -1);
	ctld_action_t *a = g_hash_table_lookup(g->by_id, GINT_TO_POINTER(id));
	if (a)
		return a;
	a = g_new0(ctld_action_t, 1);
	a->id = id;
	a->xml = n;
	if (vg_xml_is(n, "rsc_op"))
		a->kind = CTLD_ACT_RSC;
	else if (vg_xml_is(n, "crm_event"))
		a->kind = CTLD_ACT_CRM;
	else
		a->kind = CTLD_ACT_PSEUDO;
	a->task = vg_xml_get(n, "operation");
	a->node = vg_xml_get(n, "on_node");
	g_hash_table_insert(g->by_id, GINT_TO_POINTER(id), a);
	return a;
}

ctld_graph_t *ctld_graph_new(const xmlNode *graph_xml, int transition_id)
{
	ctld_graph_t *g = g_new0(ctld_graph_t, 1);
	xmlNode *root, *syn, *set, *n, *in, *trig;

	g->doc = vg_xml_copy_doc(graph_xml);
	g->id = transition_id;
	g->synapses = g_ptr_array_new_with_free_func(synapse_free);
	g->by_id = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, action_free);
	root = xmlDocGetRootElement(g->doc);
	VG_XML_FOREACH(syn, root, "synapse")
	{
		synapse_t *s = g_new0(synapse_t, 1);
		s->id = int_attr(syn, "id", -1);
		s->actions = g_ptr_array_new();
		s->inputs = g_array_new(FALSE, FALSE, sizeof(int));
		VG_XML_FOREACH(set, syn, "action_set")
		for (n = vg_xml_first(set, NULL); n; n = vg_xml_next(n, NULL))
			g_ptr_array_add(s->actions, action_for(g, n));
		VG_XML_FOREACH(in, syn, "inputs")
		VG_XML_FOREACH(trig, in, "trigger")
		for (n = vg_xml_first(trig, NULL); n; n = vg_xml_next(n, NULL)) {
			int id = int_attr(n, "id", -1);
			g_array_append_val(s->inputs, id);
		}
		g_ptr_array_add(g->synapses, s);
	}
	return g;
}

void ctld_graph_free(ctld_graph_t *g)
{
	if (!g)
		return;
	g_ptr_array_unref(g->synapses);
	g_hash_table_destroy(g->by_id);
	xmlFreeDoc(g->doc);
	g_free(g);
}

ctld_action_t *ctld_graph_action(ctld_graph_t *g, int id)
{
	return g_hash_table_lookup(g->by_id, GINT_TO_POINTER(id));
}

static bool inputs_done(ctld_graph_t *g, const synapse_t *s)
{
	for (guint i = 0; i < s->inputs->len; i++) {
		ctld_action_t *a = ctld_graph_action(g, g_array_index(s->inputs, int, i));
		/* An input outside the graph cannot hold anything up. */
		if (a && (!a->confirmed || a->failed))
			return false;
	}
	return true;
}

GPtrArray *ctld_graph_runnable(ctld_graph_t *g)
{
	GPtrArray *out = g_ptr_array_new();
	if (g->aborted)
		return out;
	for (guint i = 0; i < g->synapses->len; i++) {
		synapse_t *s = g_ptr_array_index(g->synapses, i);
		if (s->fired || !inputs_done(g, s))
			continue;
		s->fired = true;
		for (guint j = 0; j < s->actions->len; j++) {
			ctld_action_t *a = g_ptr_array_index(s->actions, j);
			if (a->fired)
				continue;
			a->fired = true;
			g_ptr_array_add(out, a);
		}
	}
	return out;
}

void ctld_graph_confirm(ctld_graph_t *g, int id, bool ok)
{
	ctld_action_t *a = ctld_graph_action(g, id);
	VG_CHECK(a && a->fired, return );
	if (a->confirmed)
		return;
	a->confirmed = true;
	a->failed = !ok;
	if (a->timer) {
		g_source_remove(a->timer);
		a->timer = 0;
	}
	if (!ok)
		g->aborted = true;
}

void ctld_graph_abort(ctld_graph_t *g)
{
	g->aborted = true;
}

bool ctld_graph_aborted(const ctld_graph_t *g)
{
	return g->aborted;
}

bool ctld_graph_idle(const ctld_graph_t *g)
{
	GHashTableIter it;
	gpointer v;
	g_hash_table_iter_init(&it, g->by_id);
	while (g_hash_table_iter_next(&it, NULL, &v)) {
		ctld_action_t *a = v;
		if (a->fired && !a->confirmed)
			return false;
	}
	if (g->aborted)
		return true;
	for (guint i = 0; i < g->synapses->len; i++) {
		synapse_t *s = g_ptr_array_index(g->synapses, i);
		if (!s->fired && inputs_done((ctld_graph_t *)g, s))
			return false;
	}
	return true;
}

int ctld_graph_id(const ctld_graph_t *g)
{
	return g->id;
}

unsigned ctld_graph_counts(const ctld_graph_t *g, unsigned *fired, unsigned *confirmed)
{
	GHashTableIter it;
	gpointer v;
	unsigned f = 0, c = 0;
	g_hash_table_iter_init(&it, g->by_id);
	while (g_hash_table_iter_next(&it, NULL, &v)) {
		ctld_action_t *a = v;
		f += a->fired;
		c += a->confirmed;
	}
	if (fired)
		*fired = f;
	if (confirmed)
		*confirmed = c;
	return g_hash_table_size(g->by_id);
}

const char *ctld_action_attr(const ctld_action_t *a, const char *name)
{
	xmlNode *attrs = vg_xml_first(a->xml, "attributes");
	return attrs ? vg_xml_get(attrs, name) : NULL;
}
