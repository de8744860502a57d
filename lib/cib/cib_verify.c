/*
 * vg_cib_verify: is this CIB one the cluster can run?  Works on a copy that
 * is upgraded first (older syntax is a warning, not an error), then:
 *   schema      every RELAX NG violation is an error
 *   semantics   a table of checks, each a function over the configuration:
 *               duplicate ids, references to missing resources, templates,
 *               tags, roles and id-refs; scores, intervals, durations, dates;
 *               impossible combinations (self-colocation, duplicate monitors)
 *   policy      warnings: unknown cluster options, fencing enabled without a
 *               fencing device, quorum policies that risk data
 * Findings name the element's id and say what to do.  Never changes the
 * caller's document.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <stdio.h>
#include <string.h>

#define VG_LOG_SUBSYS "cib"
#include "cib_private.h"

struct vctx {
	xmlNode *cib;
	xmlNode *conf;
	GHashTable *ids;       /* configuration ids -> node */
	GHashTable *node_ids;  /* <node> ids -> node */
	GHashTable *resources; /* resource and tag ids -> node */
	GHashTable *unames;    /* node names known from nodes, status and guests */
	GPtrArray *out;
	int errors;
};

static void add(struct vctx *v, vg_cib_severity_t sev, const xmlNode *n, const char *fmt, ...)
    G_GNUC_PRINTF(4, 5);

static void add(struct vctx *v, vg_cib_severity_t sev, const xmlNode *n, const char *fmt, ...)
{
	vg_cib_finding_t *f = g_new0(vg_cib_finding_t, 1);
	const char *id = vg_xml_get(n, "id");
	va_list ap;

	f->severity = sev;
	f->id = id ? g_strdup(id) : cib_node_path(n);
	va_start(ap, fmt);
	f->message = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	g_ptr_array_add(v->out, f);
	v->errors += sev == VG_CIB_ERROR;
}

static void free_finding(gpointer p)
{
	vg_cib_finding_t *f = p;

	g_free(f->id);
	g_free(f->message);
	g_free(f);
}

GPtrArray *vg_cib_findings_new(void)
{
	return g_ptr_array_new_with_free_func(free_finding);
}

/* Call fn on every element under root (pre-order). */
static void each(struct vctx *v, xmlNode *root, void (*fn)(struct vctx *, xmlNode *))
{
	for (xmlNode *c = root ? root->children : NULL; c != NULL; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		fn(v, c);
		each(v, c, fn);
	}
}

/* ------------------------------------------------------------------- ids */

static void index_ids(struct vctx *v, xmlNode *n)
{
	const char *id = vg_xml_get(n, "id");
	GHashTable *space = v->ids;
	xmlNode *first;

	if (id == NULL)
		return;
	/* these name other elements by "id" rather than defining one */
	if (vg_xml_is(n, "resource_ref") || vg_xml_is(n, "obj_ref") || vg_xml_is(n, "role") ||
	    vg_xml_is(n, "role_ref"))
		return;
	/* node ids are a namespace of their own: a remote node's id is the id
	 * of the resource that runs it */
	if (vg_xml_is(n, "node") && vg_xml_is(n->parent, "nodes"))
		space = v->node_ids;
	first = g_hash_table_lookup(space, id);
	if (first != NULL) {
		add(v, VG_CIB_ERROR, n,
		    "id \"%s\" is used by <%s> and <%s>; every id in the configuration must be "
		    "unique",
		    id, vg_xml_name(first), vg_xml_name(n));
		return;
	}
	g_hash_table_insert(space, (gpointer)id, n);
	if (vg_xml_is(n, "primitive") || vg_xml_is(n, "group") || vg_xml_is(n, "clone") ||
	    vg_xml_is(n, "bundle") || vg_xml_is(n, "master") || vg_xml_is(n, "tag") ||
	    vg_xml_is(n, "template"))
		g_hash_table_insert(v->resources, (gpointer)id, n);
}

static void collect_unames(struct vctx *v)
{
	xmlNode *n;

	VG_XML_FOREACH(n, vg_cib_section(v->cib, "nodes", false), "node")
	{
		if (vg_xml_get(n, "uname"))
			g_hash_table_add(v->unames, (gpointer)vg_xml_get(n, "uname"));
		if (vg_xml_get(n, "id"))
			g_hash_table_add(v->unames, (gpointer)vg_xml_get(n, "id"));
	}
	VG_XML_FOREACH(n, vg_cib_section(v->cib, "status", false), "node_state")
	if (vg_xml_get(n, "uname"))
		g_hash_table_add(v->unames, (gpointer)vg_xml_get(n, "uname"));
}

/* Guest and remote nodes are named by resources (remote-node meta, or the
 * ocf:pacemaker:remote primitive's id). */
static void guest_names(struct vctx *v, xmlNode *n)
{
	if (vg_xml_is(n, "nvpair") && g_strcmp0(vg_xml_get(n, "name"), "remote-node") == 0 &&
	    vg_xml_get(n, "value"))
		g_hash_table_add(v->unames, (gpointer)vg_xml_get(n, "value"));
	if (vg_xml_is(n, "primitive") && g_strcmp0(vg_xml_get(n, "type"), "remote") == 0 &&
	    vg_xml_get(n, "id"))
		g_hash_table_add(v->unames, (gpointer)vg_xml_get(n, "id"));
	if (vg_xml_is(n, "bundle") && vg_xml_get(n, "id"))
		g_hash_table_add(v->unames, (gpointer)vg_xml_get(n, "id"));
}

/* ------------------------------------------------------------ references */

static void need_resource(struct vctx *v, xmlNode *n, const char *attr)
{
	const char *ref = vg_xml_get(n, attr);

	if (ref == NULL || g_hash_table_contains(v->resources, ref))
		return;
	add(v, VG_CIB_ERROR, n, "%s=\"%s\" names no resource or tag in the configuration", attr,
	    ref);
}

static void check_refs(struct vctx *v, xmlNode *n)
{
	const char *ref;

	if (vg_xml_is(n, "rsc_location") || vg_xml_is(n, "rsc_ticket")) {
		need_resource(v, n, "rsc");
	} else if (vg_xml_is(n, "rsc_colocation")) {
		need_resource(v, n, "rsc");
		need_resource(v, n, "with-rsc");
		if (vg_xml_get(n, "rsc") &&
		    g_strcmp0(vg_xml_get(n, "rsc"), vg_xml_get(n, "with-rsc")) == 0)
			add(v, VG_CIB_ERROR, n, "a resource cannot be colocated with itself (%s)",
			    vg_xml_get(n, "rsc"));
	} else if (vg_xml_is(n, "rsc_order")) {
		need_resource(v, n, "first");
		need_resource(v, n, "then");
	} else if (vg_xml_is(n, "resource_ref")) {
		need_resource(v, n, "id");
	} else if (vg_xml_is(n, "obj_ref")) {
		ref = vg_xml_get(n, "id");
		if (ref && !g_hash_table_contains(v->ids, ref))
			add(v, VG_CIB_ERROR, n->parent, "tag member \"%s\" does not exist", ref);
	} else if (vg_xml_is(n, "primitive") && (ref = vg_xml_get(n, "template")) != NULL) {
		xmlNode *t = g_hash_table_lookup(v->ids, ref);

		if (!vg_xml_is(t, "template"))
			add(v, VG_CIB_ERROR, n, "template \"%s\" does not exist", ref);
	} else if (vg_xml_is(n, "role") && vg_xml_is(n->parent, "acl_target")) {
		ref = vg_xml_get(n, "id");
		if (!vg_xml_is(g_hash_table_lookup(v->ids, ref ?: ""), "acl_role"))
			add(v, VG_CIB_ERROR, n->parent, "ACL role \"%s\" does not exist",
			    ref ? ref : "");
	} else if (vg_xml_is(n, "role") && vg_xml_is(n->parent, "acl_group")) {
		ref = vg_xml_get(n, "id");
		if (!vg_xml_is(g_hash_table_lookup(v->ids, ref ?: ""), "acl_role"))
			add(v, VG_CIB_ERROR, n->parent, "ACL role \"%s\" does not exist",
			    ref ? ref : "");
	} else if (vg_xml_is(n, "acl_permission") && (ref = vg_xml_get(n, "reference")) != NULL) {
		if (!g_hash_table_contains(v->ids, ref))
			add(v, VG_CIB_WARNING, n, "ACL reference \"%s\" matches nothing (yet)",
			    ref);
	}
	ref = vg_xml_get(n, "id-ref");
	if (ref != NULL && !g_hash_table_contains(v->ids, ref))
		add(v, VG_CIB_ERROR, n, "<%s id-ref=\"%s\"> refers to an id that does not exist",
		    vg_xml_name(n), ref);
	if (vg_xml_is(n, "rsc_location") && (ref = vg_xml_get(n, "node")) != NULL &&
	    !g_hash_table_contains(v->unames, ref))
		add(v, VG_CIB_WARNING, n, "node \"%s\" is not a known cluster node", ref);
}

/* ---------------------------------------------------------------- values */

static void check_score(struct vctx *v, xmlNode *n, const char *attr)
{
	const char *s = vg_xml_get(n, attr);
	int score;

	if (s != NULL && vg_score_parse(s, &score) != 0)
		add(v, VG_CIB_ERROR, n,
		    "%s=\"%s\" is not a score (an integer, INFINITY or -INFINITY)", attr, s);
}

/* Durations: a value the cluster cannot read is an error for intervals (the
 * operation's identity) and a warning for timeouts (the default applies).
 * "P10S" lacks ISO 8601's T but is read as PT10S, so it only warns. */
static void check_interval(struct vctx *v, xmlNode *n, const char *attr, const char *value)
{
	vg_cib_severity_t sev = strcmp(attr, "interval") == 0 ? VG_CIB_ERROR : VG_CIB_WARNING;
	uint64_t ms;
	char *fixed;

	if (value == NULL || *value == '\0' || vg_interval_parse_ms(value, &ms) == 0)
		return;
	if (value[0] == 'P' && strchr(value, 'T') == NULL && !strpbrk(value + 1, "YMWD")) {
		fixed = g_strdup_printf("PT%s", value + 1);
		if (vg_interval_parse_ms(fixed, &ms) == 0) {
			add(v, VG_CIB_WARNING, n,
			    "%s=\"%s\" is read as %s; write it that way (ISO 8601 needs the T)",
			    attr, value, fixed);
			g_free(fixed);
			return;
		}
		g_free(fixed);
	}
	add(v, sev, n, "%s=\"%s\" is not a duration (e.g. 30s, 5min, 2h, 500ms or PT1M)%s", attr,
	    value, sev == VG_CIB_WARNING ? "; the default is used" : "");
}

/* Options whose values are durations, wherever an nvpair names them. */
static const char *const duration_options[] = {
    "timeout",
    "failure-timeout",
    "interval",
    "start-delay",
    "stonith-timeout",
    "cluster-recheck-interval",
    "dc-deadtime",
    "election-timeout",
    "shutdown-escalation",
    "join-integration-timeout",
    "join-finalization-timeout",
    "transition-delay",
    "shutdown-lock-limit",
    "stonith-watchdog-timeout",
    "priority-fencing-delay",
    "batch-limit-never",
    "cluster-delay",
    "fence-reaction-timeout",
};

static bool is_duration_option(const char *name)
{
	for (size_t i = 0; i < G_N_ELEMENTS(duration_options); i++)
		if (strcmp(name, duration_options[i]) == 0)
			return true;
	return false;
}

static void check_option_value(struct vctx *v, xmlNode *n);

static void check_values(struct vctx *v, xmlNode *n)
{
	static const char *const score_elems[] = {"rsc_location",    "rsc_colocation",
	                                          "rsc_order",       "rule",
	                                          "resource_set",    "instance_attributes",
	                                          "meta_attributes", "cluster_property_set",
	                                          "utilization",     "node"};

	for (size_t i = 0; i < G_N_ELEMENTS(score_elems); i++)
		if (vg_xml_is(n, score_elems[i]))
			check_score(v, n, "score");
	if (vg_xml_is(n, "op")) {
		check_interval(v, n, "interval", vg_xml_get(n, "interval"));
		check_interval(v, n, "timeout", vg_xml_get(n, "timeout"));
		check_interval(v, n, "start-delay", vg_xml_get(n, "start-delay"));
		if (vg_xml_get(n, "interval-origin")) {
			vg_time_t t;

			if (vg_time_parse(vg_xml_get(n, "interval-origin"), &t) != 0)
				add(v, VG_CIB_ERROR, n,
				    "interval-origin=\"%s\" is not an ISO 8601 date",
				    vg_xml_get(n, "interval-origin"));
		}
	} else if (vg_xml_is(n, "nvpair")) {
		const char *name = vg_xml_get(n, "name");

		check_option_value(v, n);
		if (name && is_duration_option(name))
			check_interval(v, n, name, vg_xml_get(n, "value"));
		if (name &&
		    (strcmp(name, "resource-stickiness") == 0 ||
		     strcmp(name, "migration-threshold") == 0 || strcmp(name, "priority") == 0)) {
			const char *val = vg_xml_get(n, "value");
			int score;

			if (val && vg_score_parse(val, &score) != 0) {
				char *end;

				g_ascii_strtod(val, &end);
				if (*val && *end == '\0')
					add(v, VG_CIB_WARNING, n,
					    "%s=\"%s\" is read as an integer (fraction dropped)",
					    name, val);
				else
					add(v, VG_CIB_ERROR, n,
					    "%s=\"%s\" is not a number or INFINITY", name, val);
			}
		}
	} else if (vg_xml_is(n, "date_expression")) {
		static const char *const date_attrs[] = {"start", "end"};

		for (size_t i = 0; i < G_N_ELEMENTS(date_attrs); i++) {
			const char *s = vg_xml_get(n, date_attrs[i]);
			vg_time_t t;

			if (s && vg_time_parse(s, &t) != 0)
				add(v, VG_CIB_ERROR, n, "%s=\"%s\" is not an ISO 8601 date-time",
				    date_attrs[i], s);
		}
		if (g_strcmp0(vg_xml_get(n, "operation"), "in_range") == 0 &&
		    vg_xml_get(n, "start") == NULL && vg_xml_get(n, "end") == NULL)
			add(v, VG_CIB_ERROR, n, "in_range needs start, end or both");
	}
}

static bool is_boolean(const char *s)
{
	static const char *const words[] = {"true", "false", "yes", "no", "on",
	                                    "off",  "1",     "0",   "y",  "n"};

	for (size_t i = 0; i < G_N_ELEMENTS(words); i++)
		if (g_ascii_strcasecmp(s, words[i]) == 0)
			return true;
	return false;
}

/* Options whose values come from a fixed list (case-insensitive). */
static const struct choice {
	const char *option;
	const char *values; /* '|'-separated; "bool" for booleans */
} option_choices[] = {
    {"no-quorum-policy", "stop|freeze|ignore|demote|suicide|fence"},
    {"target-role", "stopped|started|promoted|unpromoted|master|slave|#default"},
    {"stonith-action", "reboot|off|poweroff"},
    {"fencing-action", "reboot|off|poweroff"},
    {"placement-strategy", "default|utilization|minimal|balanced"},
    {"multiple-active", "block|stop_only|stop_start|stop_unexpected"},
    {"is-managed", "bool"},
    {"notify", "bool"},
    {"globally-unique", "bool"},
    {"interleave", "bool"},
    {"ordered", "bool"},
    {"promotable", "bool"},
    {"allow-migrate", "bool"},
    {"critical", "bool"},
    {"maintenance", "bool"},
    {"stonith-enabled", "bool"},
    {"fencing-enabled", "bool"},
    {"stop-removed-resources", "bool"},
    {"cancel-removed-actions", "bool"},
    {"stop-orphan-resources", "bool"},
    {"stop-orphan-actions", "bool"},
    {"symmetric-cluster", "bool"},
    {"maintenance-mode", "bool"},
    {"enable-acl", "bool"},
    {"startup-fencing", "bool"},
    {"stop-all-resources", "bool"},
    {"concurrent-fencing", "bool"},
};

/* Only in meta attributes and cluster options, where these names mean
 * these options (instance attributes are the agent's business). */
static void check_option_value(struct vctx *v, xmlNode *n)
{
	const char *name = vg_xml_get(n, "name"), *value = vg_xml_get(n, "value");
	const xmlNode *set = n->parent;

	if (name == NULL || value == NULL ||
	    !(vg_xml_is(set, "meta_attributes") || vg_xml_is(set, "cluster_property_set")))
		return;
	for (size_t i = 0; i < G_N_ELEMENTS(option_choices); i++) {
		const struct choice *c = &option_choices[i];
		bool ok = false;

		if (strcmp(name, c->option) != 0)
			continue;
		if (strcmp(c->values, "bool") == 0) {
			ok = is_boolean(value);
		} else {
			char **vals = g_strsplit(c->values, "|", -1);

			for (char **p = vals; *p && !ok; p++)
				ok = g_ascii_strcasecmp(value, *p) == 0;
			g_strfreev(vals);
		}
		if (!ok)
			add(v, VG_CIB_ERROR, n, "%s=\"%s\" is not valid; use %s", name, value,
			    strcmp(c->values, "bool") == 0 ? "true or false" : c->values);
		return;
	}
}

/* Impossible or pointless combinations in resources and constraints. */
static void check_combinations(struct vctx *v, xmlNode *n)
{
	if (vg_xml_is(n, "primitive") && g_strcmp0(vg_xml_get(n, "class"), "ocf") == 0 &&
	    vg_xml_get(n, "provider") == NULL)
		add(v, VG_CIB_ERROR, n, "an OCF resource needs a provider (e.g. heartbeat)");
	if (vg_xml_is(n, "rsc_order") && vg_xml_get(n, "first") &&
	    g_strcmp0(vg_xml_get(n, "first"), vg_xml_get(n, "then")) == 0 &&
	    g_strcmp0(vg_xml_get(n, "first-action") ?: "start",
	              vg_xml_get(n, "then-action") ?: "start") == 0)
		add(v, VG_CIB_ERROR, n, "orders %s after itself", vg_xml_get(n, "first"));
	if (vg_xml_is(n, "nvpair") && vg_xml_get(n, "name") != NULL) {
		for (xmlNode *p = vg_xml_first(n->parent, "nvpair"); p && p != n;
		     p = vg_xml_next(p, "nvpair"))
			if (g_strcmp0(vg_xml_get(p, "name"), vg_xml_get(n, "name")) == 0) {
				add(v, VG_CIB_WARNING, n,
				    "%s is set twice in %s; only the first value is used",
				    vg_xml_get(n, "name"),
				    vg_xml_get(n->parent, "id") ?: "this set");
				break;
			}
	}
	if (vg_xml_is(n, "fencing-level") && vg_xml_get(n, "devices")) {
		char **devs = g_strsplit(vg_xml_get(n, "devices"), ",", -1);

		for (char **d = devs; *d; d++) {
			xmlNode *dev = g_hash_table_lookup(v->ids, g_strstrip(*d));

			if (!vg_xml_is(dev, "primitive") ||
			    g_strcmp0(vg_xml_get(dev, "class"), "stonith") != 0)
				add(v, VG_CIB_WARNING, n,
				    "fencing device \"%s\" is not a configured "
				    "stonith resource",
				    *d);
		}
		g_strfreev(devs);
	}
}

/* Two recurring ops with the same name and interval collide in the executor. */
static void check_ops(struct vctx *v, xmlNode *n)
{
	xmlNode *ops = vg_xml_first(n, "operations"), *a, *b;

	if (!vg_xml_is(n, "primitive") && !vg_xml_is(n, "template"))
		return;
	VG_XML_FOREACH(a, ops, "op")
	{
		uint64_t ia = 0, ib = 0;

		if (vg_interval_parse_ms(vg_xml_get(a, "interval") ?: "0", &ia) != 0)
			continue;
		for (b = vg_xml_next(a, "op"); b != NULL; b = vg_xml_next(b, "op")) {
			if (g_strcmp0(vg_xml_get(a, "name"), vg_xml_get(b, "name")) != 0 ||
			    vg_interval_parse_ms(vg_xml_get(b, "interval") ?: "0", &ib) != 0 ||
			    ia != ib ||
			    g_strcmp0(vg_xml_get(a, "role"), vg_xml_get(b, "role")) != 0)
				continue;
			if (ia == 0)
				add(v, VG_CIB_WARNING, b,
				    "repeats operation %s (%s); only the first one is used",
				    vg_xml_get(a, "id") ?: "?", vg_xml_get(a, "name") ?: "?");
			else if (g_strcmp0(vg_xml_get(a, "interval"), vg_xml_get(b, "interval")) !=
			         0)
				add(v, VG_CIB_WARNING, b,
				    "interval %s is the same as %s of operation %s (%s); only the "
				    "first one is used",
				    vg_xml_get(b, "interval"), vg_xml_get(a, "interval"),
				    vg_xml_get(a, "id") ?: "?", vg_xml_get(a, "name") ?: "?");
			else
				add(v, VG_CIB_ERROR, b,
				    "duplicates recurring operation %s (%s every %s); give them "
				    "different intervals",
				    vg_xml_get(a, "id") ?: "?", vg_xml_get(a, "name") ?: "?",
				    vg_xml_get(a, "interval") ?: "0");
		}
	}
}

/* ---------------------------------------------------------------- policy */

static const char *const cluster_options[] = {
    "dc-version",
    "cluster-infrastructure",
    "cluster-name",
    "no-quorum-policy",
    "symmetric-cluster",
    "maintenance-mode",
    "start-failure-is-fatal",
    "enable-startup-probes",
    "shutdown-lock",
    "shutdown-lock-limit",
    "stonith-enabled",
    "fencing-enabled",
    "stonith-action",
    "fencing-action",
    "stonith-timeout",
    "have-watchdog",
    "stonith-watchdog-timeout",
    "concurrent-fencing",
    "startup-fencing",
    "priority-fencing-delay",
    "cluster-delay",
    "batch-limit",
    "migration-limit",
    "stop-all-resources",
    "stop-orphan-resources",
    "stop-orphan-actions",
    "stop-removed-resources",
    "cancel-removed-actions",
    "remove-after-stop",
    "pe-error-series-max",
    "pe-warn-series-max",
    "pe-input-series-max",
    "node-health-strategy",
    "node-health-base",
    "node-health-green",
    "node-health-yellow",
    "node-health-red",
    "placement-strategy",
    "election-timeout",
    "shutdown-escalation",
    "join-integration-timeout",
    "join-finalization-timeout",
    "transition-delay",
    "cluster-recheck-interval",
    "dc-deadtime",
    "load-threshold",
    "node-action-limit",
    "fence-reaction",
    "enable-acl",
    "cluster-ipc-limit",
    "stonith-max-attempts",
    "default-resource-stickiness",
    "is-managed-default",
    "default-action-timeout",
    "short-resource-names",
    "startup-fencing",
    "last-lrm-refresh",
    "expected-quorum-votes",
    "no-quorum-panic",
    "stonith-watchdog-timeout",
    "fence-reaction-timeout",
    "transition-idle-timeout",
    "crmd-transition-delay",
    "node-pending-timeout",
    "priority-fencing-delay",
    "notification-agent",
    "notification-recipient",
};

static bool option_known(const char *name)
{
	for (size_t i = 0; i < G_N_ELEMENTS(cluster_options); i++)
		if (strcmp(name, cluster_options[i]) == 0)
			return true;
	return false;
}

static const char *cluster_option(struct vctx *v, const char *name, xmlNode **where)
{
	xmlNode *set, *nv;

	VG_XML_FOREACH(set, vg_cib_section(v->cib, "crm_config", false), "cluster_property_set")
	VG_XML_FOREACH(nv, set, "nvpair")
	if (g_strcmp0(vg_xml_get(nv, "name"), name) == 0) {
		if (where)
			*where = nv;
		return vg_xml_get(nv, "value");
	}
	return NULL;
}

static bool has_fencing_device(xmlNode *n)
{
	for (xmlNode *c = n ? n->children : NULL; c != NULL; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if ((vg_xml_is(c, "primitive") || vg_xml_is(c, "template")) &&
		    g_strcmp0(vg_xml_get(c, "class"), "stonith") == 0)
			return true;
		if (has_fencing_device(c))
			return true;
	}
	return false;
}

static bool is_false(const char *s)
{
	return s && (g_ascii_strcasecmp(s, "false") == 0 || g_ascii_strcasecmp(s, "no") == 0 ||
	             strcmp(s, "0") == 0 || g_ascii_strcasecmp(s, "off") == 0 ||
	             g_ascii_strcasecmp(s, "n") == 0);
}

static void check_policy(struct vctx *v)
{
	xmlNode *set, *nv, *where = NULL;
	const char *stonith = cluster_option(v, "fencing-enabled", &where);
	const char *nqp;
	unsigned nodes = 0;

	if (stonith == NULL) /* the older name, when the newer one is not set */
		stonith = cluster_option(v, "stonith-enabled", &where);
	nqp = cluster_option(v, "no-quorum-policy", &where);

	VG_XML_FOREACH(set, vg_cib_section(v->cib, "crm_config", false), "cluster_property_set")
	VG_XML_FOREACH(nv, set, "nvpair")
	{
		const char *name = vg_xml_get(nv, "name");

		if (name && !option_known(name))
			add(v, VG_CIB_WARNING, nv, "unknown cluster option \"%s\" is ignored",
			    name);
	}
	if (!is_false(stonith) && !has_fencing_device(vg_cib_section(v->cib, "resources", false)))
		add(v, VG_CIB_WARNING, vg_cib_section(v->cib, "crm_config", false),
		    "fencing is enabled (fencing-enabled/stonith-enabled) but no fencing device is "
		    "configured: "
		    "the cluster will not recover from node failures; add a stonith resource");
	if (is_false(stonith))
		add(v, VG_CIB_WARNING, vg_cib_section(v->cib, "crm_config", false),
		    "fencing is disabled (fencing-enabled/stonith-enabled=false): a node that "
		    "stops answering "
		    "can corrupt shared data when its resources start elsewhere");
	VG_XML_FOREACH(nv, vg_cib_section(v->cib, "nodes", false), "node")
	nodes++;
	if (nqp && strcmp(nqp, "ignore") == 0 && nodes > 2)
		add(v, VG_CIB_WARNING, where,
		    "no-quorum-policy=ignore with %u nodes: a partitioned minority keeps running "
		    "resources (split brain); use stop or freeze",
		    nodes);
}

/* ------------------------------------------------------------------ main */

static const struct check {
	const char *name;
	void (*fn)(struct vctx *, xmlNode *);
} element_checks[] = {
    {"references", check_refs},
    {"values", check_values},
    {"operations", check_ops},
    {"combinations", check_combinations},
};

int vg_cib_verify(const xmlNode *cib, GPtrArray *out)
{
	struct vctx v = {.out = out};
	xmlDoc *copy;
	GPtrArray *log = g_ptr_array_new_with_free_func(g_free);
	vg_error_t err = {0};
	char *vw;
	bool changed = false;
	guint start = out->len;

	if (!vg_xml_is(cib, "cib")) {
		add(&v, VG_CIB_ERROR, cib, "the root element is <%s>, not <cib>", vg_xml_name(cib));
		g_ptr_array_unref(log);
		return v.errors;
	}
	copy = vg_xml_copy_doc(cib);
	v.cib = xmlDocGetRootElement(copy);
	vg_cib_normalize(v.cib);
	vw = g_strdup(vg_xml_get(v.cib, "validate-with"));
	if (vg_cib_upgrade(v.cib, &changed, log, &err) != 0) {
		add(&v, VG_CIB_ERROR, v.cib, "%s", err.msg);
	} else if (g_strcmp0(vw, "none") == 0) {
		add(&v, VG_CIB_WARNING, v.cib,
		    "validate-with=\"none\": schema checks are off for this CIB");
	} else {
		vg_error_clear(&err);
		if (changed && log->len > 1)
			add(&v, VG_CIB_WARNING, v.cib,
			    "uses older syntax (%u rewrites, first: %s); 'vigil cib upgrade' "
			    "rewrites it",
			    log->len, (const char *)g_ptr_array_index(log, 0));
		if (cib_validate_findings(copy, out, &err) == VG_EIO)
			add(&v, VG_CIB_ERROR, v.cib, "%s", err.msg);
	}
	g_free(vw);
	v.conf = vg_cib_section(v.cib, "configuration", false);
	v.ids = g_hash_table_new(g_str_hash, g_str_equal);
	v.node_ids = g_hash_table_new(g_str_hash, g_str_equal);
	v.resources = g_hash_table_new(g_str_hash, g_str_equal);
	v.unames = g_hash_table_new(g_str_hash, g_str_equal);
	each(&v, v.conf, index_ids);
	collect_unames(&v);
	each(&v, v.conf, guest_names);
	for (size_t i = 0; i < G_N_ELEMENTS(element_checks); i++)
		each(&v, v.conf, element_checks[i].fn);
	check_policy(&v);
	/* findings are copied out; their strings do not point into the copy */
	v.errors = 0;
	for (guint i = start; i < out->len; i++)
		v.errors +=
		    ((vg_cib_finding_t *)g_ptr_array_index(out, i))->severity == VG_CIB_ERROR;
	g_hash_table_destroy(v.ids);
	g_hash_table_destroy(v.node_ids);
	g_hash_table_destroy(v.resources);
	g_hash_table_destroy(v.unames);
	g_ptr_array_unref(log);
	xmlFreeDoc(copy);
	return v.errors;
}
