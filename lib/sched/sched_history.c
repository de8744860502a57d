/*
 * sched_history.c: writing operation results and node changes into a CIB's
 * <status>, in the shape Pacemaker's controller writes them, so the
 * scheduler (ours or Pacemaker's) reads them back the same way.
 *
 * Owns: node_state creation and up/down/fail changes, lrm_resource and
 * lrm_rsc_op entries (last_0, last_failure_0, recurring and migration keys,
 * call ids, transition key and magic, timing, op-digest), fail-count and
 * last-failure transient attributes (crm_simulate's +1, the controller's
 * rules), erasing history (a cancelled recurring run, lrm_delete and
 * cleanup, a node that joins or leaves, keeping what shutdown-lock locks
 * to it), the lrm_resource's shutdown-lock, and the "-i/-F" operation spec.
 * Never decides anything and never logs: the caller (vigil simulate, the
 * controller) says what happened; this file only records it.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define VG_LOG_SUBSYS "sched"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <vigil/common.h>
#include <vigil/sched.h>

#include "sched_private.h"

/* The transition key crm_simulate writes for the results it makes up. */
#define FAKE_TE_ID  "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx"
#define FEATURE_SET "3.16.1"

/* Execution statuses (op-status) that are failures whatever the rc. */
enum { EXEC_PENDING = -1, EXEC_DONE = 0, EXEC_CANCELLED = 1 };

static xmlNode *status_section(xmlNode *cib, bool create)
{
	xmlNode *st = vg_xml_first(cib, "status");

	if (st == NULL && create)
		st = vg_xml_new_child(cib, "status");
	return st;
}

/* The id of the configured node named uname, NULL when none. */
static const char *configured_node_id(xmlNode *cib, const char *uname)
{
	xmlNode *conf = vg_xml_first(cib, "configuration");
	xmlNode *nodes = conf != NULL ? vg_xml_first(conf, "nodes") : NULL;
	xmlNode *n;

	if (nodes == NULL)
		return NULL;
	VG_XML_FOREACH(n, nodes, "node")
	{
		const char *name = vg_xml_get(n, "uname");

		if (name != NULL && strcmp(name, uname) == 0)
			return vg_xml_get(n, "id");
	}
	return NULL;
}

xmlNode *vg_history_node_state(xmlNode *cib, const char *uname, const char *uuid, bool create)
{
	xmlNode *st = status_section(cib, create);
	xmlNode *ns;
	const char *id;

	if (st == NULL || uname == NULL)
		return NULL;
	VG_XML_FOREACH(ns, st, "node_state")
	{
		const char *name = vg_xml_get(ns, "uname");

		if (name != NULL && strcmp(name, uname) == 0)
			return ns;
	}
	if (!create)
		return NULL;
	id = uuid;
	if (id == NULL)
		id = configured_node_id(cib, uname);
	if (id == NULL)
		id = uname;
	ns = vg_xml_new_child(st, "node_state");
	vg_xml_set(ns, "id", id);
	vg_xml_set(ns, "uname", uname);
	return ns;
}

static void remove_children(xmlNode *parent, const char *name)
{
	xmlNode *c = vg_xml_first(parent, name);

	while (c != NULL) {
		xmlNode *next = vg_xml_next(c, name);

		xmlUnlinkNode(c);
		xmlFreeNode(c);
		c = next;
	}
}

static xmlNode *set_state(xmlNode *cib, const char *uname, bool up, const char *origin)
{
	xmlNode *ns = vg_history_node_state(cib, uname, NULL, true);

	if (ns == NULL)
		return NULL;
	vg_xml_set(ns, "in_ccm", up ? "true" : "false");
	vg_xml_set(ns, "crmd", up ? "online" : "offline");
	vg_xml_set(ns, "join", up ? "member" : "down");
	vg_xml_set(ns, "expected", up ? "member" : "down");
	if (origin != NULL)
		vg_xml_set(ns, "crm-debug-origin", origin);
	return ns;
}

int vg_history_node_up(xmlNode *cib, const char *uname, const char *origin)
{
	return set_state(cib, uname, true, origin) != NULL ? 0 : VG_EINVAL;
}

int vg_history_node_down(xmlNode *cib, const char *uname, const char *origin)
{
	xmlNode *ns = set_state(cib, uname, false, origin);

	if (ns == NULL)
		return VG_EINVAL;
	/* What a fenced or cleanly stopped node ran is gone with it. */
	remove_children(ns, "lrm");
	remove_children(ns, "transient_attributes");
	return 0;
}

static bool cluster_flag(xmlNode *cib, const char *name, bool dflt);

/* Remove uname's lrm_resource entries, all of them or (keep_locked) those
 * without a shutdown lock. */
static void clear_lrm(xmlNode *ns, bool keep_locked)
{
	xmlNode *lrm = vg_xml_first(ns, "lrm");
	xmlNode *rscs = lrm != NULL ? vg_xml_first(lrm, "lrm_resources") : NULL;
	xmlNode *r;

	if (!keep_locked || rscs == NULL) {
		remove_children(ns, "lrm");
		return;
	}
	r = vg_xml_first(rscs, "lrm_resource");
	while (r != NULL) {
		xmlNode *next = vg_xml_next(r, "lrm_resource");
		const char *lock = vg_xml_get(r, "shutdown-lock");

		if (lock == NULL || g_ascii_strtoll(lock, NULL, 10) <= 0) {
			xmlUnlinkNode(r);
			xmlFreeNode(r);
		}
		r = next;
	}
}

int vg_history_node_left(xmlNode *cib, const char *uname, const char *origin)
{
	xmlNode *ns = set_state(cib, uname, false, origin);

	if (ns == NULL)
		return VG_EINVAL;
	clear_lrm(ns, cluster_flag(cib, "shutdown-lock", false));
	remove_children(ns, "transient_attributes");
	return 0;
}

int vg_history_node_fail(xmlNode *cib, const char *uname, const char *origin)
{
	xmlNode *ns = set_state(cib, uname, true, origin);

	if (ns == NULL)
		return VG_EINVAL;
	/* Still running services but gone from the membership: unclean. */
	vg_xml_set(ns, "in_ccm", "false");
	return 0;
}

static xmlNode *child_with_id(xmlNode *parent, const char *name, const char *id)
{
	xmlNode *c;

	VG_XML_FOREACH(c, parent, name)
	{
		const char *cid = vg_xml_get(c, "id");

		if (cid != NULL && strcmp(cid, id) == 0)
			return c;
	}
	return NULL;
}

static xmlNode *ensure_child(xmlNode *parent, const char *name, const char *id)
{
	xmlNode *c = id != NULL ? child_with_id(parent, name, id) : vg_xml_first(parent, name);

	if (c == NULL) {
		c = vg_xml_new_child(parent, name);
		if (id != NULL)
			vg_xml_set(c, "id", id);
	}
	return c;
}

void vg_history_set_transient(xmlNode *cib, const char *uname, const char *name, const char *value)
{
	xmlNode *ns = vg_history_node_state(cib, uname, NULL, value != NULL);
	const char *uuid;
	xmlNode *ta, *ia, *nv;
	char *set_id, *nv_id;

	if (ns == NULL)
		return;
	uuid = vg_xml_get(ns, "id");
	if (uuid == NULL)
		uuid = uname;
	set_id = g_strdup_printf("status-%s", uuid);
	nv_id = g_strdup_printf("status-%s-%s", uuid, name);
	/* ids are XML names: "fail-count-rsc#start_0" becomes "...rsc.start_0" */
	for (char *c = nv_id; *c != '\0'; c++)
		if (!g_ascii_isalnum(*c) && *c != '-' && *c != '_' && *c != '.')
			*c = '.';
	ta = ensure_child(ns, "transient_attributes", uuid);
	ia = ensure_child(ta, "instance_attributes", set_id);
	nv = NULL;
	VG_XML_FOREACH(nv, ia, "nvpair")
	{
		const char *n = vg_xml_get(nv, "name");

		if (n != NULL && strcmp(n, name) == 0)
			break;
	}
	if (value == NULL) {
		if (nv != NULL) {
			xmlUnlinkNode(nv);
			xmlFreeNode(nv);
		}
	} else {
		if (nv == NULL) {
			nv = vg_xml_new_child(ia, "nvpair");
			vg_xml_set(nv, "id", nv_id);
			vg_xml_set(nv, "name", name);
		}
		vg_xml_set(nv, "value", value);
	}
	g_free(set_id);
	g_free(nv_id);
}

static const char *transient_value(xmlNode *ns, const char *name)
{
	xmlNode *ta, *ia, *nv;

	VG_XML_FOREACH(ta, ns, "transient_attributes")
	VG_XML_FOREACH(ia, ta, "instance_attributes")
	VG_XML_FOREACH(nv, ia, "nvpair")
	{
		const char *n = vg_xml_get(nv, "name");

		if (n != NULL && strcmp(n, name) == 0)
			return vg_xml_get(nv, "value");
	}
	return NULL;
}

/* Add `increment` to fail-count-<rsc>#<task>_<interval> (INFINITY at most)
 * and set last-failure-... to `when`; returns the new count. */
static int add_failure(xmlNode *cib, const char *uname, const char *rsc_id, const char *task,
                       guint interval_ms, int increment, vg_time_t when)
{
	xmlNode *ns = vg_history_node_state(cib, uname, NULL, true);
	char *name, *value;
	const char *old;
	int count = 0;
	char buf[16];

	if (ns == NULL)
		return 0;
	name = g_strdup_printf("fail-count-%s#%s_%u", rsc_id, task, interval_ms);
	old = transient_value(ns, name);
	if (old == NULL || vg_score_parse(old, &count) != 0)
		count = 0;
	count = vg_score_add(count, increment);
	vg_history_set_transient(cib, uname, name, vg_score_str(count, buf));
	g_free(name);

	name = g_strdup_printf("last-failure-%s#%s_%u", rsc_id, task, interval_ms);
	value = g_strdup_printf("%lld", (long long)when);
	vg_history_set_transient(cib, uname, name, value);
	g_free(name);
	g_free(value);
	return count;
}

void vg_history_record_failure(xmlNode *cib, const char *uname, const char *rsc_id,
                               const char *task, guint interval_ms, int rc, vg_time_t when)
{
	if (rc == 0 || (rc == 7 && interval_ms == 0))
		return;
	add_failure(cib, uname, rsc_id, task, interval_ms, 1, when);
}

/* A cluster property from crm_config (first set "cib-bootstrap-options"). */
static bool cluster_flag(xmlNode *cib, const char *name, bool dflt)
{
	xmlNode *conf = vg_xml_first(cib, "configuration");
	xmlNode *crm_config = conf != NULL ? vg_xml_first(conf, "crm_config") : NULL;
	GHashTable *opts;
	const char *v;
	bool set;

	if (crm_config == NULL)
		return dflt;
	opts = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	vg_nvset_unpack(crm_config, "cluster_property_set", NULL, "cib-bootstrap-options", false,
	                opts, NULL);
	v = g_hash_table_lookup(opts, name);
	set = v != NULL ? sc_true(v) : dflt;
	g_hash_table_destroy(opts);
	return set;
}

int vg_history_count_failure(xmlNode *cib, const char *uname, const char *rsc_id, const char *task,
                             guint interval_ms, vg_time_t when)
{
	int increment;

	if (cib == NULL || uname == NULL || rsc_id == NULL || task == NULL)
		return 0;
	if (strcmp(task, "stop") == 0)
		increment = VG_SCORE_INFINITY;
	else if (strcmp(task, "start") == 0)
		increment =
		    cluster_flag(cib, "start-failure-is-fatal", true) ? VG_SCORE_INFINITY : 1;
	else if (interval_ms > 0 || strcmp(task, "promote") == 0 || strcmp(task, "demote") == 0)
		increment = 1;
	else
		return 0; /* probes, notifications, migrations: the scheduler reacts anyway */
	return add_failure(cib, uname, rsc_id, task, interval_ms, increment, when);
}

bool vg_history_result_failed(const vg_op_result_t *res)
{
	switch (res->op_status) {
	case EXEC_PENDING:
	case EXEC_CANCELLED:
		return false;
	case EXEC_DONE:
		return res->target_rc >= 0 && res->rc != res->target_rc;
	default:
		return true;
	}
}

static int highest_call_id(xmlNode *lrm_rsc)
{
	xmlNode *op;
	int best = 0;

	VG_XML_FOREACH(op, lrm_rsc, "lrm_rsc_op")
	{
		const char *v = vg_xml_get(op, "call-id");
		int id = v != NULL ? atoi(v) : 0;

		if (id > best)
			best = id;
	}
	return best;
}

static xmlNode *lrm_resource(xmlNode *ns, const vg_op_result_t *res, vg_error_t *err)
{
	const char *uuid = vg_xml_get(ns, "id");
	xmlNode *lrm = ensure_child(ns, "lrm", NULL);
	xmlNode *rscs, *r;

	if (vg_xml_get(lrm, "id") == NULL && uuid != NULL)
		vg_xml_set(lrm, "id", uuid);
	rscs = ensure_child(lrm, "lrm_resources", NULL);
	r = child_with_id(rscs, "lrm_resource", res->rsc_id);
	if (r != NULL)
		return r;
	if (res->rsc_class == NULL || res->rsc_type == NULL) {
		vg_error_set(err, VG_EINVAL,
		             "resource %s has no history on %s: give its class and type",
		             res->rsc_id, vg_xml_get(ns, "uname"));
		return NULL;
	}
	r = vg_xml_new_child(rscs, "lrm_resource");
	vg_xml_set(r, "id", res->rsc_id);
	vg_xml_set(r, "class", res->rsc_class);
	vg_xml_set(r, "provider", res->rsc_provider);
	vg_xml_set(r, "type", res->rsc_type);
	return r;
}

/* The lrm_rsc_op ids written for a result (one, or two for a failed one-shot op). */
static void history_ids(const vg_op_result_t *res, const char *task, char **first, char **second)
{
	const char *rsc = res->rsc_id;

	*second = NULL;
	if (strcmp(task, "notify") == 0) {
		const char *type =
		    res->params ? g_hash_table_lookup(res->params, "CRM_meta_notify_type") : NULL;
		const char *op = res->params
		                     ? g_hash_table_lookup(res->params, "CRM_meta_notify_operation")
		                     : NULL;

		*first = g_strdup_printf("%s_%s_notify_%s_0", rsc, type ? type : "", op ? op : "");
	} else if (strcmp(task, "migrate_to") == 0 || strcmp(task, "migrate_from") == 0) {
		*first = g_strdup_printf("%s_%s_%u", rsc, task, res->interval_ms);
	} else if (vg_history_result_failed(res)) {
		*first = g_strdup_printf("%s_last_failure_0", rsc);
		if (res->interval_ms == 0)
			*second = g_strdup_printf("%s_last_0", rsc);
	} else if (res->interval_ms > 0) {
		*first = g_strdup_printf("%s_%s_%u", rsc, task, res->interval_ms);
	} else {
		*first = g_strdup_printf("%s_last_0", rsc);
	}
}

static void fill_op(xmlNode *op, const char *op_id, const vg_op_result_t *res, const char *uname,
                    const char *task, int call_id, const char *key, const char *tkey,
                    const char *magic)
{
	vg_xml_set(op, "id", op_id);
	vg_xml_set(op, "operation_key", key);
	vg_xml_set(op, "operation", task);
	vg_xml_set(op, "crm-debug-origin", res->origin);
	vg_xml_set(op, "crm_feature_set", FEATURE_SET);
	vg_xml_set(op, "transition-key", tkey);
	vg_xml_set(op, "transition-magic", magic);
	vg_xml_set(op, "exit-reason",
	           vg_history_result_failed(res) && res->exit_reason ? res->exit_reason : "");
	vg_xml_set(op, "on_node", uname); /* for whoever reads the history later */
	vg_xml_set_int(op, "call-id", call_id);
	vg_xml_set_int(op, "rc-code", res->rc);
	vg_xml_set_int(op, "op-status", res->op_status);
	vg_xml_set_int(op, "interval", res->interval_ms);
	vg_xml_set_int(op, "last-rc-change", res->when);
	vg_xml_set_int(op, "exec-time", res->exec_ms);
	vg_xml_set_int(op, "queue-time", res->queue_ms);
	if (strcmp(res->task, "migrate_to") == 0 || strcmp(res->task, "migrate_from") == 0) {
		vg_xml_set(op, "migrate_source", res->migrate_source);
		vg_xml_set(op, "migrate_target", res->migrate_target);
	}
	if (res->params != NULL) {
		char *digest = vg_sched_op_digest(res->params, res->interval_ms);

		vg_xml_set(op, "op-digest", digest);
		g_free(digest);
	} else if (res->op_digest != NULL) {
		vg_xml_set(op, "op-digest", res->op_digest);
	}
}

/*
 * An action on a resource locked to its node (shutdown-lock): a stop that
 * worked, or a monitor finding it stopped, keeps the lock with the history;
 * anything else (the start when the node is back) releases it.
 */
static void record_lock(xmlNode *lrm_rsc, const vg_op_result_t *res)
{
	bool done = res->op_status == EXEC_DONE;
	/* (a recurring monitor finding it stopped is a failure, not a lock) */
	bool keep =
	    done && ((strcmp(res->task, "stop") == 0 && res->rc == 0) ||
	             (strcmp(res->task, "monitor") == 0 && res->interval_ms == 0 && res->rc == 7));

	if (res->op_status == EXEC_PENDING)
		return; /* not a result yet */
	if (keep)
		vg_xml_set_int(lrm_rsc, "shutdown-lock", (long long)res->shutdown_lock);
	else
		xmlUnsetProp(lrm_rsc, (const xmlChar *)"shutdown-lock");
}

xmlNode *vg_history_record_op(xmlNode *cib, const char *uname, const char *uuid,
                              const vg_op_result_t *res, vg_error_t *err)
{
	xmlNode *ns, *lrm_rsc, *op = NULL;
	const char *task = res->task;
	char *key, *tkey, *magic, *first, *second;
	int call_id;

	if (cib == NULL || uname == NULL || res->rsc_id == NULL || task == NULL) {
		vg_error_set(err, VG_EINVAL, "operation result without node, resource or task");
		return NULL;
	}
	ns = vg_history_node_state(cib, uname, uuid, true);
	lrm_rsc = lrm_resource(ns, res, err);
	if (lrm_rsc == NULL)
		return NULL;
	/* A reload that worked leaves the resource started; a failed one is
	 * judged like a failed monitor. */
	if (strcmp(task, "reload") == 0 || strcmp(task, "reload-agent") == 0)
		task = res->op_status == EXEC_DONE ? "start" : "monitor";
	call_id = res->call_id != 0 ? res->call_id : highest_call_id(lrm_rsc) + 1;
	key = g_strdup_printf("%s_%s_%u", res->rsc_id, task, res->interval_ms);
	tkey = res->transition_key != NULL
	           ? g_strdup(res->transition_key)
	           : g_strdup_printf("%d:%d:%d:%s", call_id, -1,
	                             res->target_rc < 0 ? 0 : res->target_rc, FAKE_TE_ID);
	magic = g_strdup_printf("%d:%d;%s", res->op_status, res->rc, tkey);
	history_ids(res, task, &first, &second);
	for (int i = 0; i < 2; i++) {
		const char *op_id = i == 0 ? first : second;

		if (op_id == NULL)
			break;
		op = child_with_id(lrm_rsc, "lrm_rsc_op", op_id);
		if (op == NULL)
			op = vg_xml_new_child(lrm_rsc, "lrm_rsc_op");
		fill_op(op, op_id, res, uname, task, call_id, key, tkey, magic);
	}
	g_free(first);
	g_free(second);
	g_free(key);
	g_free(tkey);
	g_free(magic);
	if (res->shutdown_lock > 0)
		record_lock(lrm_rsc, res);
	return op;
}

/* The node's <lrm_resources>, NULL when it has none. */
static xmlNode *lrm_resources(xmlNode *cib, const char *uname)
{
	xmlNode *ns = vg_history_node_state(cib, uname, NULL, false);
	xmlNode *lrm = ns != NULL ? vg_xml_first(ns, "lrm") : NULL;

	return lrm != NULL ? vg_xml_first(lrm, "lrm_resources") : NULL;
}

static xmlNode *lrm_resource_of(xmlNode *cib, const char *uname, const char *rsc_id)
{
	xmlNode *rscs = lrm_resources(cib, uname);

	return rscs != NULL ? child_with_id(rscs, "lrm_resource", rsc_id) : NULL;
}

static void free_node(xmlNode *n)
{
	xmlUnlinkNode(n);
	xmlFreeNode(n);
}

bool vg_history_remove_op(xmlNode *cib, const char *uname, const char *rsc_id, const char *task,
                          guint interval_ms, int call_id)
{
	xmlNode *r = lrm_resource_of(cib, uname, rsc_id), *op;
	char *id;
	const char *v;

	if (r == NULL || task == NULL)
		return false;
	id = g_strdup_printf("%s_%s_%u", rsc_id, task, interval_ms);
	op = child_with_id(r, "lrm_rsc_op", id);
	g_free(id);
	if (op == NULL)
		return false;
	/* A newer run of the same operation stays. */
	v = vg_xml_get(op, "call-id");
	if (call_id > 0 && v != NULL && atoi(v) != call_id)
		return false;
	free_node(op);
	return true;
}

void vg_history_drop_recurring(xmlNode *cib, const char *uname, const char *rsc_id)
{
	xmlNode *r = lrm_resource_of(cib, uname, rsc_id);
	xmlNode *op = r != NULL ? vg_xml_first(r, "lrm_rsc_op") : NULL;

	while (op != NULL) {
		xmlNode *next = vg_xml_next(op, "lrm_rsc_op");
		const char *iv = vg_xml_get(op, "interval");
		const char *id = vg_xml_get(op, "id");

		/* last_failure_0 of a failed monitor stays: it is a failure */
		if (iv != NULL && strcmp(iv, "0") != 0 && id != NULL &&
		    !g_str_has_suffix(id, "_last_failure_0"))
			free_node(op);
		op = next;
	}
}

/* Is ns the node_state of uname (any node when uname is NULL)? */
static bool is_node(const xmlNode *ns, const char *uname)
{
	return uname == NULL || g_strcmp0(vg_xml_get(ns, "uname"), uname) == 0;
}

void vg_history_forget_rsc(xmlNode *cib, const char *uname, const char *rsc_id)
{
	xmlNode *st = status_section(cib, false), *ns;

	if (st == NULL)
		return;
	VG_XML_FOREACH(ns, st, "node_state")
	{
		xmlNode *r;

		if (!is_node(ns, uname))
			continue;
		r = lrm_resource_of(cib, vg_xml_get(ns, "uname"), rsc_id);
		if (r != NULL)
			free_node(r);
	}
}

/* Remove rsc's fail-count-/last-failure- nvpairs from one attribute set. */
static void clear_failcount_in(xmlNode *ia, const char *fc, const char *lf, const char *op)
{
	xmlNode *nv = vg_xml_first(ia, "nvpair");

	while (nv != NULL) {
		xmlNode *next = vg_xml_next(nv, "nvpair");
		const char *name = vg_xml_get(nv, "name");
		const char *rest = NULL;

		if (name != NULL && g_str_has_prefix(name, fc))
			rest = name + strlen(fc);
		else if (name != NULL && g_str_has_prefix(name, lf))
			rest = name + strlen(lf);
		if (rest != NULL && (op == NULL || strcmp(rest, op) == 0))
			free_node(nv);
		nv = next;
	}
}

void vg_history_clear_failcount(xmlNode *cib, const char *uname, const char *rsc_id, const char *op)
{
	xmlNode *st = status_section(cib, false), *ns, *ta, *ia;
	char *fc, *lf;

	if (st == NULL || rsc_id == NULL)
		return;
	fc = g_strdup_printf("fail-count-%s#", rsc_id);
	lf = g_strdup_printf("last-failure-%s#", rsc_id);
	VG_XML_FOREACH(ns, st, "node_state")
	{
		if (!is_node(ns, uname))
			continue;
		VG_XML_FOREACH(ta, ns, "transient_attributes")
		VG_XML_FOREACH(ia, ta, "instance_attributes")
		clear_failcount_in(ia, fc, lf, op);
	}
	g_free(fc);
	g_free(lf);
}

void vg_history_clear_node(xmlNode *cib, const char *uname)
{
	xmlNode *ns = vg_history_node_state(cib, uname, NULL, false);

	if (ns != NULL)
		clear_lrm(ns, cluster_flag(cib, "shutdown-lock", false));
}

int vg_history_parse_op_key(const char *key, char **rsc, char **task, guint *interval_ms)
{
	const char *us, *start;
	char *end = NULL;
	guint64 ms;
	const char *task_start;

	*rsc = *task = NULL;
	*interval_ms = 0;
	us = strrchr(key, '_');
	if (us == NULL || us == key || us[1] == '\0')
		return VG_EINVAL;
	ms = g_ascii_strtoull(us + 1, &end, 10);
	if (end == NULL || *end != '\0' || ms > G_MAXUINT)
		return VG_EINVAL;
	/* The task is the word before the interval; migrate_to and
	 * migrate_from contain an underscore of their own. */
	start = us;
	task_start = NULL;
	for (const char *p = us - 1; p > key; p--)
		if (*p == '_') {
			task_start = p + 1;
			break;
		}
	if (task_start == NULL)
		return VG_EINVAL;
	if ((g_str_has_prefix(task_start, "to_") || g_str_has_prefix(task_start, "from_")) &&
	    task_start - key > 8 && strncmp(task_start - 8, "migrate_", 8) == 0)
		task_start -= 8;
	if (task_start - 1 <= key)
		return VG_EINVAL;
	*rsc = g_strndup(key, (gsize)(task_start - 1 - key));
	*task = g_strndup(task_start, (gsize)(start - task_start));
	*interval_ms = (guint)ms;
	return 0;
}

int vg_history_parse_op_spec(const char *spec, char **rsc, char **task, guint *interval_ms,
                             char **node, int *rc, vg_error_t *err)
{
	const char *at = strrchr(spec, '@');
	const char *eq = at != NULL ? strchr(at, '=') : NULL;
	char *key, *end = NULL;
	long v;

	*rsc = *task = *node = NULL;
	if (at == NULL || eq == NULL || eq == at + 1)
		return vg_error_set(err, VG_EINVAL,
		                    "invalid operation spec '%s': expected "
		                    "<resource>_<task>_<interval-ms>@<node>=<rc>",
		                    spec);
	v = strtol(eq + 1, &end, 10);
	if (end == eq + 1 || *end != '\0' || v < -1000 || v > 1000)
		return vg_error_set(
		    err, VG_EINVAL,
		    "invalid operation spec '%s': the result code must be an integer", spec);
	key = g_strndup(spec, (gsize)(at - spec));
	if (vg_history_parse_op_key(key, rsc, task, interval_ms) != 0) {
		g_free(key);
		return vg_error_set(err, VG_EINVAL,
		                    "invalid operation spec '%s': '%s' is not "
		                    "<resource>_<task>_<interval-ms>",
		                    spec, key ? "" : "");
	}
	g_free(key);
	*node = g_strndup(at + 1, (gsize)(eq - at - 1));
	*rc = (int)v;
	return 0;
}

/* The primitive (or its template) configured as id, or as the base of a
 * clone instance name "id:N". */
static xmlNode *find_primitive(xmlNode *cib, const char *id)
{
	xmlNode *conf = vg_xml_first(cib, "configuration");
	xmlNode *rscs = conf != NULL ? vg_xml_first(conf, "resources") : NULL;
	xmlNode *p;
	char *base;

	if (rscs == NULL)
		return NULL;
	p = vg_xml_find(rscs, "primitive", id);
	if (p != NULL)
		return p;
	base = g_strdup(id);
	if (strchr(base, ':') != NULL)
		*strchr(base, ':') = '\0';
	p = vg_xml_find(rscs, "primitive", base);
	g_free(base);
	return p;
}

int vg_history_inject_op(xmlNode *cib, const char *spec, vg_time_t when, const char *origin,
                         vg_error_t *err)
{
	char *rsc = NULL, *task = NULL, *node = NULL;
	guint interval_ms = 0;
	int rc = 0, ret = 0;
	xmlNode *prim, *tmpl = NULL;
	vg_op_result_t res = {0};

	ret = vg_history_parse_op_spec(spec, &rsc, &task, &interval_ms, &node, &rc, err);
	if (ret != 0)
		goto out;
	prim = find_primitive(cib, rsc);
	if (prim == NULL) {
		ret = vg_error_set(err, VG_ENOENT, "invalid resource name: %s", rsc);
		goto out;
	}
	if (vg_xml_get(prim, "template") != NULL) {
		xmlNode *conf = vg_xml_first(cib, "configuration");

		tmpl = vg_xml_find(conf, "template", vg_xml_get(prim, "template"));
	}
	res.rsc_id = rsc;
	res.rsc_class = vg_xml_get(prim, "class");
	res.rsc_provider = vg_xml_get(prim, "provider");
	res.rsc_type = vg_xml_get(prim, "type");
	if (tmpl != NULL) {
		if (res.rsc_class == NULL)
			res.rsc_class = vg_xml_get(tmpl, "class");
		if (res.rsc_provider == NULL)
			res.rsc_provider = vg_xml_get(tmpl, "provider");
		if (res.rsc_type == NULL)
			res.rsc_type = vg_xml_get(tmpl, "type");
	}
	res.task = task;
	res.interval_ms = interval_ms;
	res.rc = rc;
	res.op_status = EXEC_DONE;
	res.target_rc = 0;
	res.when = when;
	res.exit_reason = "Simulated action result";
	res.origin = origin;
	vg_history_record_failure(cib, node, rsc, task, interval_ms, rc, when);
	if (vg_history_record_op(cib, node, NULL, &res, err) == NULL)
		ret = err != NULL && err->code != 0 ? err->code : VG_EINVAL;
out:
	g_free(rsc);
	g_free(task);
	g_free(node);
	return ret;
}
