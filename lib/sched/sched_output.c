/*
 * sched_output.c: the transition graph in Pacemaker's XML format.
 *
 * Owns which actions become synapses (required and runnable real actions;
 * pseudo actions are folded away by connecting their inputs straight
 * through), action ids, and the attributes each action carries (CRM_meta_*
 * and the resource's instance parameters).  Never changes decisions.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define VG_LOG_SUBSYS "sched"
#include <string.h>

#include "sched_private.h"

static bool in_graph(const sc_action_t *a)
{
	if (a->flags & ACT_CLUSTER)
		return a->node != NULL && (a->flags & ACT_RUNNABLE);
	return !(a->flags & ACT_OPTIONAL) && (a->flags & ACT_RUNNABLE) && !(a->flags & ACT_PSEUDO);
}

/* A role-specific operation says its role; a Promoted monitor expects the
 * agent's "running promoted" code (8), which is success for it, not failure. */
static void add_role_meta(xmlNode *at, const sc_action_t *a)
{
	if (a->op == NULL || a->op->role == ROLE_UNKNOWN)
		return;
	vg_xml_set(at, "CRM_meta_role", sc_role_str(a->op->role));
	if (a->op->role == ROLE_PROMOTED && a->interval_ms > 0 && !strcmp(a->task, "monitor") &&
	    !g_hash_table_contains(a->meta, "op_target_rc"))
		vg_xml_set(at, "CRM_meta_op_target_rc", "8");
}

/* What an agent of a clone instance learns about its clone. */
static void add_clone_meta(xmlNode *at, const sc_rsc_t *r)
{
	const sc_rsc_t *c = r->clone;
	const char *notify;

	if (c == NULL)
		return;
	notify = g_hash_table_lookup(c->meta, "notify");
	if (r->instance >= 0)
		vg_xml_set_int(at, "CRM_meta_clone", r->instance);
	vg_xml_set_int(at, "CRM_meta_clone_max", c->clone_max);
	vg_xml_set_int(at, "CRM_meta_clone_node_max", c->clone_node_max);
	vg_xml_set(at, "CRM_meta_globally_unique", c->unique ? "true" : "false");
	vg_xml_set(at, "CRM_meta_notify", sc_true(notify) ? "true" : "false");
	if (!c->promotable)
		return;
	vg_xml_set_int(at, "CRM_meta_promoted_max", c->promoted_max);
	vg_xml_set_int(at, "CRM_meta_promoted_node_max", c->promoted_node_max);
	/* the names agents written before the role rename read */
	vg_xml_set_int(at, "CRM_meta_master_max", c->promoted_max);
	vg_xml_set_int(at, "CRM_meta_master_node_max", c->promoted_node_max);
}

static void add_attrs(xmlNode *x, sc_t *sc, sc_action_t *a)
{
	xmlNode *at = vg_xml_new_child(x, "attributes");
	char buf[32];
	GHashTableIter it;
	gpointer k, v;
	GList *keys, *l;

	vg_xml_set(at, "CRM_meta_on_node", a->node->name);
	vg_xml_set(at, "CRM_meta_on_node_uuid", a->node->id);
	if (a->flags & ACT_FENCE) {
		vg_xml_set(at, "CRM_meta_stonith_action", sc->stonith_action);
		return;
	}
	if (a->rsc == NULL)
		return;
	g_snprintf(buf, sizeof(buf), "%u", a->interval_ms);
	vg_xml_set(at, "CRM_meta_interval", buf);
	vg_xml_set(at, "CRM_meta_name", a->task);
	g_snprintf(buf, sizeof(buf), "%u", a->op != NULL ? a->op->timeout_ms : 20000);
	vg_xml_set(at, "CRM_meta_timeout", buf);
	add_role_meta(at, a);
	add_clone_meta(at, a->rsc);
	g_hash_table_iter_init(&it, a->meta);
	while (g_hash_table_iter_next(&it, &k, &v)) {
		char *name = g_strdup_printf("CRM_meta_%s", (char *)k);
		vg_xml_set(at, name, v);
		g_free(name);
	}
	keys = g_list_sort(g_hash_table_get_keys(a->rsc->params), (GCompareFunc)strcmp);
	for (l = keys; l != NULL; l = l->next)
		vg_xml_set(at, l->data, g_hash_table_lookup(a->rsc->params, l->data));
	g_list_free(keys);
}

/*
 * Does `a` keep its resource locked to its node (shutdown-lock)?  Every
 * action there does, except that while the node shuts down only the stop
 * does: the controller records the lock with a stop's result, and clears
 * it with any other action's (a demote must not keep it).
 */
static bool locks_rsc(const sc_action_t *a)
{
	if (a->rsc == NULL || a->node == NULL || a->rsc->lock_node != a->node ||
	    (a->flags & (ACT_FENCE | ACT_CLUSTER)))
		return false;
	return !a->node->shutdown || strcmp(a->task, "stop") == 0;
}

static void add_action(xmlNode *parent, sc_t *sc, sc_action_t *a, bool full)
{
	xmlNode *x = vg_xml_new_child(parent, (a->flags & (ACT_FENCE | ACT_CLUSTER)) ? "crm_event"
	                                                                             : "rsc_op");

	vg_xml_set_int(x, "id", a->id);
	vg_xml_set(x, "operation", a->task);
	vg_xml_set(x, "operation_key", a->key);
	vg_xml_set(x, "on_node", a->node->name);
	vg_xml_set(x, "on_node_uuid", a->node->id);
	if (!full)
		return;
	/* the controller records the lock with the result (its epoch) */
	if (locks_rsc(a))
		vg_xml_set_int(x, "shutdown-lock", (int64_t)a->rsc->lock_time);
	if (a->rsc != NULL) {
		xmlNode *p = vg_xml_new_child(x, "primitive");
		if (a->rsc->clone != NULL && !a->rsc->clone->unique) {
			/* as Pacemaker: the name its history is kept under */
			vg_xml_set(p, "id",
			           a->rsc->clone_name != NULL ? a->rsc->clone_name : a->rsc->base);
			vg_xml_set(p, "long-id", a->rsc->id);
		} else {
			vg_xml_set(p, "id", a->rsc->id);
		}
		vg_xml_set(p, "class", a->rsc->cls);
		vg_xml_set(p, "provider", a->rsc->prov);
		vg_xml_set(p, "type", a->rsc->type);
	}
	add_attrs(x, sc, a);
}

/* Real actions `a` waits for, looking through pseudo and skipped actions. */
static void inputs_of(sc_action_t *a, GPtrArray *out, GHashTable *seen)
{
	for (guint i = 0; i < a->before->len; i++) {
		sc_edge_t *e = a->before->pdata[i];
		sc_action_t *f = e->first;

		if (g_hash_table_contains(seen, f))
			continue;
		g_hash_table_add(seen, f);
		if (in_graph(f))
			g_ptr_array_add(out, f);
		else if ((f->flags & ACT_PSEUDO) && (f->flags & ACT_RUNNABLE))
			inputs_of(f, out, seen);
	}
}

void sc_build_graph(sc_t *sc)
{
	xmlNode *root = vg_xml_new_child(NULL, "transition_graph");
	int id = 0, syn = 0;

	sc->graph = xmlNewDoc((const xmlChar *)"1.0");
	xmlDocSetRootElement(sc->graph, root);
	vg_xml_set(root, "cluster-delay", "60s");
	vg_xml_set(root, "stonith-timeout", "60s");
	vg_xml_set(root, "failed-stop-offset", "INFINITY");
	vg_xml_set(root, "failed-start-offset", "INFINITY");
	vg_xml_set(root, "transition_id", "0");
	for (guint i = 0; i < sc->actions->len; i++) {
		sc_action_t *a = sc->actions->pdata[i];
		if (in_graph(a))
			a->id = id++;
	}
	for (guint i = 0; i < sc->actions->len; i++) {
		sc_action_t *a = sc->actions->pdata[i];
		xmlNode *s, *set, *inputs;
		GPtrArray *ins;
		GHashTable *seen;

		if (!in_graph(a))
			continue;
		s = vg_xml_new_child(root, "synapse");
		vg_xml_set_int(s, "id", syn++);
		set = vg_xml_new_child(s, "action_set");
		add_action(set, sc, a, true);
		inputs = vg_xml_new_child(s, "inputs");
		ins = g_ptr_array_new();
		seen = g_hash_table_new(NULL, NULL);
		inputs_of(a, ins, seen);
		for (guint k = 0; k < ins->len; k++) {
			xmlNode *t = vg_xml_new_child(inputs, "trigger");
			add_action(t, sc, ins->pdata[k], false);
		}
		g_hash_table_destroy(seen);
		g_ptr_array_free(ins, TRUE);
	}
}
