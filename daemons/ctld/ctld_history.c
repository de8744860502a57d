/*
 * ctld_history.c: operation history in the status section, the way the
 * scheduler (ours and Pacemaker's) reads it:
 *   node_state/lrm/lrm_resources/lrm_resource(id, class, provider, type)/
 *     lrm_rsc_op  id "<rsc>_last_0" (last non-recurring op),
 *                 "<rsc>_last_failure_0" (last failure),
 *                 "<rsc>_<task>_<interval>" (recurring ops)
 * with operation_key, operation, transition-key, transition-magic, call-id,
 * rc-code, op-status, interval, last-rc-change, exec-time, queue-time,
 * op-digest, exit-reason, on_node.  Failures also raise the node's
 * fail-count-<rsc>#<task>_<interval> and last-failure-... attributes
 * (start failures to INFINITY while start-failure-is-fatal holds).
 *
 * Only the DC calls this; edits are in place and flushed by ctld_cib.c.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define VG_LOG_SUBSYS "history"
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <vigil/cib.h>

#include "ctld_private.h"

#define FEATURE_SET "3.16.2"

static xmlNode *child_id(xmlNode *parent, const char *name, const char *id, bool create)
{
	xmlNode *n;
	VG_XML_FOREACH(n, parent, name)
	if (!id || g_strcmp0(vg_xml_get(n, "id"), id) == 0)
		return n;
	if (!create)
		return NULL;
	n = vg_xml_new_child(parent, name);
	if (id)
		vg_xml_set(n, "id", id);
	return n;
}

static xmlNode *lrm_resources(ctld_t *c, const char *node, bool create)
{
	xmlNode *ns = NULL, *n;
	if (create) {
		ns = ctld_join_node_state(c, node);
	} else {
		VG_XML_FOREACH(n, ctld_cib_status(c), "node_state")
		if (g_strcmp0(vg_xml_get(n, "uname"), node) == 0)
			ns = n;
	}
	if (!ns)
		return NULL;
	xmlNode *lrm = child_id(ns, "lrm", create ? ctld_join_node_id(c, node) : NULL, create);
	return lrm ? child_id(lrm, "lrm_resources", NULL, create) : NULL;
}

static void set_op(xmlNode *op, const ctld_op_result_t *r, const char *op_key)
{
	char magic[256];
	vg_xml_set(op, "operation_key", op_key);
	vg_xml_set(op, "operation", r->task);
	vg_xml_set(op, "crm-debug-origin", "do_update_resource");
	vg_xml_set(op, "crm_feature_set", FEATURE_SET);
	vg_xml_set(op, "transition-key", r->key);
	g_snprintf(magic, sizeof(magic), "%d:%d;%s", r->status, r->rc, r->key ? r->key : "");
	vg_xml_set(op, "transition-magic", magic);
	vg_xml_set(op, "exit-reason", r->exit_reason ? r->exit_reason : "");
	vg_xml_set(op, "on_node", r->node);
	vg_xml_set_int(op, "call-id", r->call_id);
	vg_xml_set_int(op, "rc-code", r->rc);
	vg_xml_set_int(op, "op-status", r->status);
	vg_xml_set_int(op, "interval", (long long)r->interval_ms);
	vg_xml_set_int(op, "last-rc-change", r->last_rc_change);
	if (r->interval_ms == 0)
		vg_xml_set_int(op, "last-run", r->run_at ? r->run_at : r->last_rc_change);
	vg_xml_set_int(op, "exec-time", (long long)r->exec_ms);
	vg_xml_set_int(op, "queue-time", (long long)r->queue_ms);
	vg_xml_set(op, "op-digest", r->digest);
}

static void remove_op(xmlNode *rsc, const char *id)
{
	xmlNode *op = child_id(rsc, "lrm_rsc_op", id, false);
	if (op) {
		xmlUnlinkNode(op);
		xmlFreeNode(op);
	}
}

/* After a stop, recurring ops of the resource no longer run. */
static void remove_recurring(xmlNode *rsc)
{
	xmlNode *op = vg_xml_first(rsc, "lrm_rsc_op"), *next;
	for (; op; op = next) {
		next = vg_xml_next(op, "lrm_rsc_op");
		const char *iv = vg_xml_get(op, "interval");
		if (iv && strcmp(iv, "0") != 0) {
			xmlUnlinkNode(op);
			xmlFreeNode(op);
		}
	}
}

static bool is_probe(const ctld_op_result_t *r)
{
	return r->interval_ms == 0 && g_strcmp0(r->task, "monitor") == 0;
}

static bool start_failure_is_fatal(ctld_t *c)
{
	xmlNode *cfg = vg_cib_section(ctld_cib_root(c), "crm_config", false), *n;
	if (!cfg)
		return true;
	n = vg_xml_find(cfg, "nvpair", NULL);
	for (; n; n = n->next)
		if (vg_xml_is(n, "nvpair") &&
		    g_strcmp0(vg_xml_get(n, "name"), "start-failure-is-fatal") == 0)
			return !(g_ascii_strcasecmp(vg_xml_get(n, "value"), "false") == 0 ||
			         strcmp(vg_xml_get(n, "value"), "0") == 0);
	return true;
}

static void count_failure(ctld_t *c, const ctld_op_result_t *r)
{
	char *suffix =
	    g_strdup_printf("%s#%s_%llu", r->rsc, r->task, (unsigned long long)r->interval_ms);
	char *fc = g_strdup_printf("fail-count-%s", suffix);
	char *lf = g_strdup_printf("last-failure-%s", suffix);
	const char *old = ctld_attrd_get(c, r->node, fc, false);
	int n = 0;
	char buf[32];

	if (old)
		vg_score_parse(old, &n);
	if (g_strcmp0(r->task, "start") == 0 && start_failure_is_fatal(c))
		n = VG_SCORE_INFINITY;
	else
		n = vg_score_add(n, 1);
	vg_score_str(n, buf);
	ctld_attrd_write(c, r->node, fc, buf, false);
	g_snprintf(buf, sizeof(buf), "%lld", (long long)(g_get_real_time() / G_USEC_PER_SEC));
	ctld_attrd_write(c, r->node, lf, buf, false);
	vg_log_warn("%s on %s: %s (interval %llu ms) failed (rc %d, expected %d, status %d); "
	            "fail-count now %s",
	            r->rsc, r->node, r->task, (unsigned long long)r->interval_ms, r->rc,
	            r->target_rc, r->status, vg_score_str(n, (char[16]){0}));
	g_free(suffix);
	g_free(fc);
	g_free(lf);
}

bool ctld_history_record(ctld_t *c, const ctld_op_result_t *r)
{
	xmlNode *list = lrm_resources(c, r->node, true);
	xmlNode *rsc = child_id(list, "lrm_resource", r->rsc, true);
	char *op_key =
	    g_strdup_printf("%s_%s_%llu", r->rsc, r->task, (unsigned long long)r->interval_ms);
	char *id;
	bool failed;

	if (r->klass)
		vg_xml_set(rsc, "class", r->klass);
	if (r->provider)
		vg_xml_set(rsc, "provider", r->provider);
	if (r->type)
		vg_xml_set(rsc, "type", r->type);

	if (r->status == 1 /* cancelled */) {
		remove_op(rsc, op_key);
		g_free(op_key);
		return false;
	}
	if (is_probe(r))
		failed = r->status != 0 || !(r->rc == 0 || r->rc == 7 || r->rc == 8);
	else
		failed = r->status != 0 || r->rc != r->target_rc;

	id = r->interval_ms ? g_strdup(op_key) : g_strdup_printf("%s_last_0", r->rsc);
	set_op(child_id(rsc, "lrm_rsc_op", id, true), r, op_key);
	g_free(id);
	if (failed) {
		id = g_strdup_printf("%s_last_failure_0", r->rsc);
		set_op(child_id(rsc, "lrm_rsc_op", id, true), r, op_key);
		g_free(id);
		if (!is_probe(r))
			count_failure(c, r);
	}
	if (!failed && g_strcmp0(r->task, "stop") == 0)
		remove_recurring(rsc);
	g_free(op_key);
	ctld_cib_changed(c);
	return failed;
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
 * An action of the running graph without its result: sent (status -1,
 * pending, the way Pacemaker records in-flight operations) or lost (status 2,
 * timed out).  The pending record stands in _last_0 until the result replaces
 * it, so a DC that takes over meanwhile sees the resource as (becoming)
 * active there and does not start it on another node as well.
 */
void ctld_history_record_action(ctld_t *c, const ctld_action_t *a, int graph_id, int status)
{
	xmlNode *prim = vg_xml_first(a->xml, "primitive");
	const char *target = ctld_action_attr(a, "CRM_meta_op_target_rc");
	const char *iv = ctld_action_attr(a, "CRM_meta_interval");
	char key[256];

	if (!prim || !a->node || !vg_xml_get(prim, "id") || !changes_state(a->task) ||
	    (iv && strcmp(iv, "0") != 0))
		return;
	g_snprintf(key, sizeof(key), "%d:%d:%s:%s", a->id, graph_id, target ? target : "0",
	           ctld_join_node_id(c, c->me));
	ctld_op_result_t r = {
	    .node = a->node,
	    .rsc = vg_xml_get(prim, "id"),
	    .klass = vg_xml_get(prim, "class"),
	    .provider = vg_xml_get(prim, "provider"),
	    .type = vg_xml_get(prim, "type"),
	    .task = a->task,
	    .key = key,
	    .call_id = -1,
	    .rc = status < 0 ? 193 : 1, /* 193: "pending" as Pacemaker writes it */
	    .status = status,
	    .target_rc = target ? atoi(target) : 0,
	    .last_rc_change = (vg_time_t)(g_get_real_time() / G_USEC_PER_SEC),
	    .exit_reason = status < 0 ? NULL : "no result from the node in time",
	};
	if (status >= 0) {
		ctld_history_record(c, &r);
		return;
	}
	xmlNode *rsc = child_id(lrm_resources(c, r.node, true), "lrm_resource", r.rsc, true);
	char *op_key = g_strdup_printf("%s_%s_0", r.rsc, r.task);
	char *id = g_strdup_printf("%s_last_0", r.rsc);
	if (r.klass)
		vg_xml_set(rsc, "class", r.klass);
	if (r.provider)
		vg_xml_set(rsc, "provider", r.provider);
	if (r.type)
		vg_xml_set(rsc, "type", r.type);
	set_op(child_id(rsc, "lrm_rsc_op", id, true), &r, op_key);
	g_free(id);
	g_free(op_key);
	ctld_cib_changed(c);
}

void ctld_history_forget(ctld_t *c, const char *node, const char *rsc)
{
	xmlNode *st = ctld_cib_status(c), *ns;
	VG_XML_FOREACH(ns, st, "node_state")
	{
		const char *uname = vg_xml_get(ns, "uname");
		if (node && g_strcmp0(uname, node) != 0)
			continue;
		xmlNode *list = lrm_resources(c, uname, false);
		xmlNode *r = list ? child_id(list, "lrm_resource", rsc, false) : NULL;
		if (r) {
			xmlUnlinkNode(r);
			xmlFreeNode(r);
		}
		ctld_history_clear_failcount(c, uname, rsc, NULL);
	}
	ctld_cib_changed(c);
}

void ctld_history_clear_failcount(ctld_t *c, const char *node, const char *rsc, const char *op_key)
{
	xmlNode *st = ctld_cib_status(c), *ns;
	char *p1 = g_strdup_printf("fail-count-%s#", rsc);
	char *p2 = g_strdup_printf("last-failure-%s#", rsc);
	VG_XML_FOREACH(ns, st, "node_state")
	{
		if (node && g_strcmp0(vg_xml_get(ns, "uname"), node) != 0)
			continue;
		xmlNode *ta = vg_xml_first(ns, "transient_attributes");
		xmlNode *set = ta ? vg_xml_first(ta, "instance_attributes") : NULL;
		xmlNode *p = set ? vg_xml_first(set, "nvpair") : NULL, *next;
		for (; p; p = next) {
			next = vg_xml_next(p, "nvpair");
			const char *name = vg_xml_get(p, "name");
			if (!name || !(g_str_has_prefix(name, p1) || g_str_has_prefix(name, p2)))
				continue;
			if (op_key && !g_str_has_suffix(name, op_key))
				continue;
			xmlUnlinkNode(p);
			xmlFreeNode(p);
		}
	}
	g_free(p1);
	g_free(p2);
	ctld_cib_changed(c);
}

void ctld_history_forget_node(ctld_t *c, const char *node)
{
	xmlNode *st = ctld_cib_status(c), *ns;
	VG_XML_FOREACH(ns, st, "node_state")
	{
		if (g_strcmp0(vg_xml_get(ns, "uname"), node) != 0)
			continue;
		xmlNode *lrm = vg_xml_first(ns, "lrm");
		if (lrm) {
			xmlUnlinkNode(lrm);
			xmlFreeNode(lrm);
		}
	}
	ctld_cib_changed(c);
}
