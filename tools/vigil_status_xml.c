/*
 * vigil_status_xml.c: `vigil status --xml` and `--json`.  The XML uses
 * crm_mon --output-as=xml's element and attribute names (pacemaker-result,
 * summary, nodes/node, resources/resource with node children, node_history,
 * failures, fence_history, status) so scripts written for crm_mon read it.
 * The JSON is the same tree: an element becomes an object of its attributes
 * plus one array per child element name.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <string.h>

#include <vigil/cib.h>
#include <vigil/exec.h>
#include <vigil/fencing.h>

#include "vigil_status_private.h"

static const char *b(bool v)
{
	return v ? "true" : "false";
}

static const char *node_id(const status_report_t *r, const char *name)
{
	for (guint i = 0; i < r->view->nodes->len; i++) {
		const vg_sched_node_view_t *n = g_ptr_array_index(r->view->nodes, i);
		if (g_strcmp0(n->name, name) == 0)
			return n->id;
	}
	return name;
}

static void time_attr(xmlNode *n, const char *attr, vg_time_t t)
{
	char buf[64];
	vg_time_str(t, buf, sizeof(buf));
	vg_xml_set(n, attr, buf);
}

static void add_primitive(const status_report_t *r, xmlNode *parent, const vg_sched_rsc_view_t *rv)
{
	xmlNode *x = vg_xml_new_child(parent, "resource");
	char *agent = rv->provider
	                  ? g_strdup_printf("%s:%s:%s", rv->standard, rv->provider, rv->type)
	                  : g_strdup_printf("%s:%s", rv->standard, rv->type);
	unsigned n = rv->running_on ? rv->running_on->len : 0;
	vg_xml_set(x, "id", rv->id);
	vg_xml_set(x, "resource_agent", agent);
	vg_xml_set(x, "role", rv->role);
	if (rv->target_role)
		vg_xml_set(x, "target_role", rv->target_role);
	vg_xml_set(x, "active", b(n > 0));
	vg_xml_set(x, "orphaned", b(rv->orphan));
	vg_xml_set(x, "blocked", b(rv->blocked));
	vg_xml_set(x, "maintenance", "false");
	vg_xml_set(x, "managed", b(rv->managed));
	vg_xml_set(x, "failed", b(rv->failed));
	vg_xml_set(x, "failure_ignored", "false");
	vg_xml_set_int(x, "nodes_running_on", n);
	if (rv->pending_task)
		vg_xml_set(x, "pending", rv->pending_task);
	if (rv->locked_to) /* shutdown-lock: held for that node (crm_mon's name) */
		vg_xml_set(x, "locked_to", rv->locked_to);
	for (unsigned i = 0; i < n; i++) {
		const char *name = g_ptr_array_index(rv->running_on, i);
		xmlNode *nx = vg_xml_new_child(x, "node");
		vg_xml_set(nx, "name", name);
		vg_xml_set(nx, "id", node_id(r, name));
		vg_xml_set(nx, "cached", "true");
	}
	g_free(agent);
}

static void add_rsc(const status_report_t *r, xmlNode *parent, const vg_sched_rsc_view_t *rv)
{
	xmlNode *x;
	switch (rv->kind) {
	case VG_SCHED_RSC_PRIMITIVE:
		add_primitive(r, parent, rv);
		return;
	case VG_SCHED_RSC_GROUP:
		x = vg_xml_new_child(parent, "group");
		vg_xml_set(x, "id", rv->id);
		vg_xml_set_int(x, "number_resources", rv->children ? rv->children->len : 0);
		vg_xml_set(x, "maintenance", "false");
		vg_xml_set(x, "managed", b(rv->managed));
		vg_xml_set(x, "disabled", b(g_strcmp0(rv->target_role, "Stopped") == 0));
		break;
	case VG_SCHED_RSC_CLONE:
	case VG_SCHED_RSC_BUNDLE:
		x = vg_xml_new_child(parent, rv->kind == VG_SCHED_RSC_CLONE ? "clone" : "bundle");
		vg_xml_set(x, "id", rv->id);
		vg_xml_set(x, "multi_state", b(rv->promotable));
		vg_xml_set(x, "unique", b(rv->unique));
		vg_xml_set(x, "maintenance", "false");
		vg_xml_set(x, "managed", b(rv->managed));
		vg_xml_set(x, "disabled", b(g_strcmp0(rv->target_role, "Stopped") == 0));
		vg_xml_set(x, "failed", b(rv->failed));
		vg_xml_set(x, "failure_ignored", "false");
		break;
	default:
		return;
	}
	for (guint i = 0; rv->children && i < rv->children->len; i++)
		add_rsc(r, x, g_ptr_array_index(rv->children, i));
}

static int count_instances(const vg_sched_rsc_view_t *rv)
{
	if (rv->kind == VG_SCHED_RSC_PRIMITIVE)
		return 1;
	int n = 0;
	for (guint i = 0; rv->children && i < rv->children->len; i++)
		n += count_instances(g_ptr_array_index(rv->children, i));
	return n;
}

static unsigned running_on_node(const vg_sched_rsc_view_t *rv, const char *node)
{
	if (rv->kind != VG_SCHED_RSC_PRIMITIVE) {
		unsigned n = 0;
		for (guint i = 0; rv->children && i < rv->children->len; i++)
			n += running_on_node(g_ptr_array_index(rv->children, i), node);
		return n;
	}
	for (guint i = 0; rv->running_on && i < rv->running_on->len; i++)
		if (g_strcmp0(g_ptr_array_index(rv->running_on, i), node) == 0)
			return 1;
	return 0;
}

static void add_summary(const status_report_t *r, xmlNode *root)
{
	xmlNode *s = vg_xml_new_child(root, "summary"), *x;
	int nrsc = 0;
	for (guint i = 0; i < r->view->resources->len; i++)
		nrsc += count_instances(g_ptr_array_index(r->view->resources, i));
	x = vg_xml_new_child(s, "stack");
	vg_xml_set(x, "type", "vigil");
	x = vg_xml_new_child(s, "current_dc");
	vg_xml_set(x, "present", b(r->st.dc != NULL));
	if (r->st.dc) {
		vg_xml_set(x, "version", PACKAGE_VERSION);
		vg_xml_set(x, "name", r->st.dc);
		vg_xml_set(x, "id", node_id(r, r->st.dc));
		vg_xml_set(x, "with_quorum", b(r->st.quorum));
	}
	x = vg_xml_new_child(s, "last_update");
	time_attr(x, "time", r->now);
	vg_xml_set(x, "origin", r->st.node);
	x = vg_xml_new_child(s, "nodes_configured");
	vg_xml_set_int(x, "number", r->view->nodes->len);
	x = vg_xml_new_child(s, "resources_configured");
	vg_xml_set_int(x, "number", nrsc);
	vg_xml_set(x, "disabled", "0");
	vg_xml_set(x, "blocked", "0");
	x = vg_xml_new_child(s, "cluster_options");
	vg_xml_set(x, "stonith-enabled", b(r->view->stonith_enabled));
	vg_xml_set(x, "no-quorum-policy",
	           r->view->no_quorum_policy ? r->view->no_quorum_policy : "stop");
	vg_xml_set(x, "maintenance-mode", b(r->view->maintenance_mode));
	vg_xml_set(x, "stop-all-resources", b(r->view->stop_all));
}

static void add_nodes(const status_report_t *r, xmlNode *root)
{
	xmlNode *nodes = vg_xml_new_child(root, "nodes");
	for (guint i = 0; i < r->view->nodes->len; i++) {
		const vg_sched_node_view_t *n = g_ptr_array_index(r->view->nodes, i);
		xmlNode *x = vg_xml_new_child(nodes, "node");
		unsigned running = 0;
		for (guint j = 0; j < r->view->resources->len; j++)
			running +=
			    running_on_node(g_ptr_array_index(r->view->resources, j), n->name);
		vg_xml_set(x, "name", n->name);
		vg_xml_set(x, "id", n->id);
		vg_xml_set(x, "online", b(n->online));
		vg_xml_set(x, "standby", b(n->standby));
		vg_xml_set(x, "standby_onfail", b(n->standby_onfail));
		vg_xml_set(x, "maintenance", b(n->maintenance));
		vg_xml_set(x, "pending", b(n->pending));
		vg_xml_set(x, "unclean", b(n->unclean));
		vg_xml_set(x, "shutdown", b(n->shutdown));
		vg_xml_set(x, "expected_up", b(n->expected_up));
		vg_xml_set(x, "is_dc", b(g_strcmp0(n->name, r->st.dc) == 0));
		vg_xml_set_int(x, "resources_running", running);
		vg_xml_set(x, "type", n->kind ? n->kind : "member");
	}
}

static void add_node_history(const status_report_t *r, xmlNode *root)
{
	xmlNode *hist = vg_xml_new_child(root, "node_history");
	xmlNode *st = vg_cib_section(r->cib, "status", false), *ns;
	if (!st)
		return;
	VG_XML_FOREACH(ns, st, "node_state")
	{
		xmlNode *lrm = vg_xml_first(ns, "lrm");
		xmlNode *list = lrm ? vg_xml_first(lrm, "lrm_resources") : NULL, *rsc, *op;
		if (!list)
			continue;
		xmlNode *nx = vg_xml_new_child(hist, "node");
		vg_xml_set(nx, "name", vg_xml_get(ns, "uname"));
		VG_XML_FOREACH(rsc, list, "lrm_resource")
		{
			xmlNode *rx = vg_xml_new_child(nx, "resource_history");
			vg_xml_set(rx, "id", vg_xml_get(rsc, "id"));
			vg_xml_set(rx, "orphan", "false");
			VG_XML_FOREACH(op, rsc, "lrm_rsc_op")
			{
				xmlNode *ox = vg_xml_new_child(rx, "operation_history");
				const char *rc = vg_xml_get(op, "rc-code");
				vg_xml_set(ox, "call", vg_xml_get(op, "call-id"));
				vg_xml_set(ox, "task", vg_xml_get(op, "operation"));
				if (g_strcmp0(vg_xml_get(op, "interval"), "0") != 0)
					vg_xml_set(ox, "interval", vg_xml_get(op, "interval"));
				vg_xml_set(ox, "rc", rc);
				vg_xml_set(ox, "rc_text", vg_exec_ocf_rc_name(rc ? atoi(rc) : 1));
				vg_xml_set(ox, "exec-time", vg_xml_get(op, "exec-time"));
				vg_xml_set(ox, "queue-time", vg_xml_get(op, "queue-time"));
			}
		}
	}
}

static void add_failures(const status_report_t *r, xmlNode *root)
{
	if (!r->view->failed_ops || r->view->failed_ops->len == 0)
		return;
	xmlNode *f = vg_xml_new_child(root, "failures");
	for (guint i = 0; i < r->view->failed_ops->len; i++) {
		const vg_sched_failed_op_view_t *o = g_ptr_array_index(r->view->failed_ops, i);
		xmlNode *x = vg_xml_new_child(f, "failure");
		vg_xml_set(x, "op_key", o->op_key);
		vg_xml_set(x, "node", o->node);
		vg_xml_set(x, "exitstatus", vg_exec_ocf_rc_name(o->rc));
		vg_xml_set(x, "exitreason", o->exit_reason ? o->exit_reason : "");
		vg_xml_set_int(x, "exitcode", o->rc);
		vg_xml_set_int(x, "call", o->call_id);
		vg_xml_set(x, "status", vg_exec_op_status_name(o->status));
		time_attr(x, "last-rc-change", o->last_rc_change);
		vg_xml_set_int(x, "queued", o->queue_time_ms);
		vg_xml_set_int(x, "exec", o->exec_time_ms);
		vg_xml_set_int(x, "interval", o->interval_ms);
		vg_xml_set(x, "task", o->task);
	}
}

static void add_fencing(const status_report_t *r, xmlNode *root)
{
	xmlNode *h = vg_xml_new_child(root, "fence_history");
	for (guint i = 0; r->fence_history && i < r->fence_history->len; i++) {
		const vg_fence_record_t *f = g_ptr_array_index(r->fence_history, i);
		xmlNode *x = vg_xml_new_child(h, "fence_event");
		vg_xml_set(x, "action", vg_fence_action_name(f->action));
		vg_xml_set(x, "target", f->target);
		vg_xml_set(x, "client", f->origin ? f->origin : "");
		vg_xml_set(x, "origin", f->origin ? f->origin : "");
		vg_xml_set(x, "status",
		           f->state == VG_FENCE_DONE     ? "success"
		           : f->state == VG_FENCE_FAILED ? "failed"
		                                         : "pending");
		if (f->state == VG_FENCE_FAILED && f->reason)
			vg_xml_set(x, "exit-reason", f->reason);
		vg_xml_set(x, "delegate", f->executor ? f->executor : "");
		if (f->completed)
			time_attr(x, "completed", f->completed);
	}
}

xmlDoc *status_xml(const status_report_t *r)
{
	xmlDoc *doc = xmlNewDoc((const xmlChar *)"1.0");
	xmlNode *root = vg_xml_new_child(NULL, "pacemaker-result");
	xmlDocSetRootElement(doc, root);
	vg_xml_set(root, "api-version", "2.30");
	vg_xml_set(root, "request", "vigil status --xml");
	add_summary(r, root);
	add_nodes(r, root);
	xmlNode *rs = vg_xml_new_child(root, "resources");
	for (guint i = 0; i < r->view->resources->len; i++)
		add_rsc(r, rs, g_ptr_array_index(r->view->resources, i));
	add_node_history(r, root);
	add_failures(r, root);
	add_fencing(r, root);
	xmlNode *s = vg_xml_new_child(root, "status");
	vg_xml_set(s, "code", "0");
	vg_xml_set(s, "message", "OK");
	return doc;
}

static void json_str(GString *o, const char *s)
{
	g_string_append_c(o, '"');
	for (; s && *s; s++) {
		unsigned char ch = (unsigned char)*s;
		if (ch == '"' || ch == '\\')
			g_string_append_printf(o, "\\%c", ch);
		else if (ch < 0x20)
			g_string_append_printf(o, "\\u%04x", ch);
		else
			g_string_append_c(o, (char)ch);
	}
	g_string_append_c(o, '"');
}

static void json_elem(GString *o, const xmlNode *n, int depth)
{
	bool first = true;
	g_string_append_c(o, '{');
	for (xmlAttr *a = n->properties; a; a = a->next) {
		xmlChar *v = xmlGetProp(n, a->name);
		g_string_append_printf(o, "%s\n%*s", first ? "" : ",", depth * 2 + 2, "");
		json_str(o, (const char *)a->name);
		g_string_append(o, ": ");
		json_str(o, (const char *)v);
		xmlFree(v);
		first = false;
	}
	/* Children grouped by element name, in first-appearance order. */
	GPtrArray *names = g_ptr_array_new();
	for (xmlNode *c = n->children; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		bool seen = false;
		for (guint i = 0; i < names->len; i++)
			seen |= strcmp(g_ptr_array_index(names, i), (const char *)c->name) == 0;
		if (!seen)
			g_ptr_array_add(names, (gpointer)c->name);
	}
	for (guint i = 0; i < names->len; i++) {
		const char *name = g_ptr_array_index(names, i);
		bool f2 = true;
		g_string_append_printf(o, "%s\n%*s", first ? "" : ",", depth * 2 + 2, "");
		json_str(o, name);
		g_string_append(o, ": [");
		for (xmlNode *c = n->children; c; c = c->next) {
			if (c->type != XML_ELEMENT_NODE || strcmp((const char *)c->name, name) != 0)
				continue;
			g_string_append(o, f2 ? "" : ", ");
			json_elem(o, c, depth + 1);
			f2 = false;
		}
		g_string_append_c(o, ']');
		first = false;
	}
	g_ptr_array_unref(names);
	g_string_append_printf(o, "\n%*s}", depth * 2, "");
}

char *status_json(const xmlNode *result)
{
	GString *o = g_string_new("{\"");
	g_string_append(o, (const char *)result->name);
	g_string_append(o, "\": ");
	json_elem(o, result, 1);
	g_string_append(o, "}\n");
	return g_string_free(o, FALSE);
}
