/*
 * Upgrading older CIB syntax, in place, to what vigil's schema describes:
 *   Heartbeat 2 / Pacemaker 0.6   <attributes> wrappers in nvpair sets,
 *                                 master_slave, meta attributes written as
 *                                 XML attributes, underscore option names,
 *                                 from/to constraints, prereq/disabled on ops
 *   Pacemaker 1.x                 master, acl_user/role_ref/read/write/deny
 *   Pacemaker 2.x                 roles Master/Slave, master-max, crmd-* names
 * Each rewrite is one row of a table keyed by element name; one walk over
 * the tree applies them.  Every id is kept; new elements get ids derived
 * from their parent's id that do not collide.
 * Never validates: cib_verify.c validates the result.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <stdio.h>
#include <string.h>

#define VG_LOG_SUBSYS "cib"
#include "cib_private.h"

struct up_ctx {
	xmlNode *cib;
	GHashTable *ids; /* every id in the document -> node, for fresh ids */
	GPtrArray *log;
	bool changed;
};

static void note(struct up_ctx *u, const xmlNode *n, const char *fmt, ...) G_GNUC_PRINTF(3, 4);

static void note(struct up_ctx *u, const xmlNode *n, const char *fmt, ...)
{
	va_list ap;
	char *msg;
	const char *id = vg_xml_get(n, "id");

	u->changed = true;
	if (u->log == NULL)
		return;
	va_start(ap, fmt);
	msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	g_ptr_array_add(u->log, g_strdup_printf("%s%s%s: %s", vg_xml_name(n), id ? " " : "",
	                                        id ? id : "", msg));
	g_free(msg);
}

/* A new id based on `base` that the document does not use yet. */
static char *fresh_id(struct up_ctx *u, const char *base)
{
	char *id = g_strdup(base);

	for (int i = 1; g_hash_table_contains(u->ids, id); i++) {
		g_free(id);
		id = g_strdup_printf("%s-%d", base, i);
	}
	g_hash_table_insert(u->ids, id, u->cib); /* the table owns the key */
	return g_strdup(id);
}

static void set_fresh_id(struct up_ctx *u, xmlNode *n, const char *base)
{
	char *id = fresh_id(u, base);

	vg_xml_set(n, "id", id);
	g_free(id);
}

/* --------------------------------------------------------------- options */

/* Option names that changed; applied to nvpair names everywhere. */
static const struct rename {
	const char *old, *new;
} renamed_options[] = {
    {"master-max", "promoted-max"},
    {"master-node-max", "promoted-node-max"},
    {"crmd-integration-timeout", "join-integration-timeout"},
    {"crmd-finalization-timeout", "join-finalization-timeout"},
    {"crmd-transition-delay", "transition-delay"},
    {"default-resource-stickiness", "default-resource-stickiness"},
    {"remove-after-stop", "remove-after-stop"},
};

/* Options that moved from crm_config into rsc_defaults/op_defaults. */
static const struct moved {
	const char *old, *section, *new;
} moved_options[] = {
    {"default-resource-stickiness", "rsc_defaults", "resource-stickiness"},
    {"is-managed-default", "rsc_defaults", "is-managed"},
    {"default-action-timeout", "op_defaults", "timeout"},
};

/* Heartbeat-2 names used underscores; today's use dashes (but fail-count-*
 * and other attribute names in status are left alone). */
static char *dashed(const char *name)
{
	char *s = g_strdup(name);

	for (char *p = s; *p; p++)
		if (*p == '_')
			*p = '-';
	return s;
}

static bool is_option_name(const char *name)
{
	static const char *const underscore_options[] = {
	    "stonith_enabled",
	    "stonith_action",
	    "no_quorum_policy",
	    "symmetric_cluster",
	    "default_resource_stickiness",
	    "default_resource_failure_stickiness",
	    "stop_orphan_resources",
	    "stop_orphan_actions",
	    "transition_idle_timeout",
	    "is_managed_default",
	    "default_action_timeout",
	    "short_resource_names",
	    "cluster_delay",
	    "pe_error_series_max",
	    "pe_warn_series_max",
	    "pe_input_series_max",
	    "startup_fencing",
	    "start_failure_is_fatal",
	    "resource_stickiness",
	    "resource_failure_stickiness",
	    "target_role",
	    "is_managed",
	    "migration_threshold",
	    "failure_timeout",
	    "clone_max",
	    "clone_node_max",
	    "master_max",
	    "master_node_max",
	    "globally_unique",
	    "multiple_active",
	    "allow_migrate",
	    "restart_type",
	    "interleave",
	    "ordered",
	    "notify",
	    "remove_after_stop",
	    "dc_deadtime",
	    "election_timeout",
	    "cluster_recheck_interval",
	};

	for (size_t i = 0; i < G_N_ELEMENTS(underscore_options); i++)
		if (strcmp(name, underscore_options[i]) == 0)
			return true;
	return false;
}

static void upgrade_nvpair(struct up_ctx *u, xmlNode *n)
{
	const char *name = vg_xml_get(n, "name");
	const char *value = vg_xml_get(n, "value");
	const xmlNode *p = n->parent;

	if (name == NULL)
		return;
	/* status attributes are data, not options */
	for (; p != NULL; p = p->parent)
		if (vg_xml_is(p, "status"))
			return;
	if (is_option_name(name)) {
		char *d = dashed(name);

		note(u, n, "option %s renamed %s", name, d);
		vg_xml_set(n, "name", d);
		g_free(d);
		name = vg_xml_get(n, "name");
	}
	for (size_t i = 0; i < G_N_ELEMENTS(renamed_options); i++)
		if (strcmp(name, renamed_options[i].old) == 0 &&
		    strcmp(renamed_options[i].old, renamed_options[i].new) != 0) {
			note(u, n, "option %s renamed %s", name, renamed_options[i].new);
			vg_xml_set(n, "name", renamed_options[i].new);
			break;
		}
	name = vg_xml_get(n, "name");
	if (value && strcmp(name, "target-role") == 0) {
		if (strcmp(value, "Master") == 0 || strcmp(value, "master") == 0) {
			note(u, n, "target-role Master is now Promoted");
			vg_xml_set(n, "value", "Promoted");
		} else if (strcmp(value, "Slave") == 0 || strcmp(value, "slave") == 0) {
			note(u, n, "target-role Slave is now Unpromoted");
			vg_xml_set(n, "value", "Unpromoted");
		}
	}
	if (value && strcmp(name, "stonith-action") == 0 && strcmp(value, "poweroff") == 0) {
		note(u, n, "stonith-action poweroff is now off");
		vg_xml_set(n, "value", "off");
	}
}

/* crm_config options that now live in rsc_defaults/op_defaults. */
static void move_defaults(struct up_ctx *u)
{
	xmlNode *crm = vg_cib_section(u->cib, "crm_config", false), *set;

	VG_XML_FOREACH(set, crm, "cluster_property_set")
	{
		xmlNode *nv = vg_xml_first(set, "nvpair");

		while (nv != NULL) {
			xmlNode *next = vg_xml_next(nv, "nvpair");
			const char *name = vg_xml_get(nv, "name");

			for (size_t i = 0; name && i < G_N_ELEMENTS(moved_options); i++) {
				xmlNode *sec, *meta;

				if (strcmp(name, moved_options[i].old) != 0)
					continue;
				sec = vg_cib_section(u->cib, moved_options[i].section, true);
				meta = vg_xml_first(sec, "meta_attributes");
				if (meta == NULL) {
					meta = vg_xml_new_child(sec, "meta_attributes");
					set_fresh_id(u, meta, moved_options[i].section);
				}
				note(u, nv, "cluster option %s moved to %s as %s", name,
				     moved_options[i].section, moved_options[i].new);
				xmlUnlinkNode(nv);
				vg_xml_set(nv, "name", moved_options[i].new);
				xmlAddChild(meta, nv);
				break;
			}
			nv = next;
		}
	}
}

/* -------------------------------------------------------------- elements */

/* <instance_attributes><attributes><nvpair/></attributes></...>: unwrap. */
static void unwrap_attributes(struct up_ctx *u, xmlNode *n)
{
	xmlNode *w = vg_xml_first(n, "attributes");

	while (w != NULL) {
		xmlNode *next = vg_xml_next(w, "attributes");
		xmlNode *c = w->children;

		while (c != NULL) {
			xmlNode *cn = c->next;

			xmlUnlinkNode(c);
			xmlAddChild(n, c);
			c = cn;
		}
		note(u, n, "<attributes> wrapper removed");
		xmlUnlinkNode(w);
		xmlFreeNode(w);
		w = next;
	}
}

/* Resource attributes that are really meta attributes (Pacemaker 0.6). */
static void attributes_to_meta(struct up_ctx *u, xmlNode *n)
{
	static const char *const keep[] = {"id",   "class",       "provider",
	                                   "type", "description", "template"};
	xmlAttr *a = n->properties;
	xmlNode *meta = NULL;

	while (a != NULL) {
		xmlAttr *next = a->next;
		const char *name = (const char *)a->name;
		bool kept = false;
		xmlNode *nv;
		char *d, *base;

		for (size_t i = 0; i < G_N_ELEMENTS(keep) && !kept; i++)
			kept = strcmp(name, keep[i]) == 0;
		if (kept) {
			a = next;
			continue;
		}
		if (meta == NULL) {
			meta = vg_xml_first(n, "meta_attributes");
			if (meta == NULL) {
				char *mb = g_strdup_printf("%s-meta_attributes",
				                           vg_xml_get(n, "id") ?: "rsc");

				meta = xmlNewNode(NULL, (const xmlChar *)"meta_attributes");
				set_fresh_id(u, meta, mb);
				g_free(mb);
				if (n->children)
					xmlAddPrevSibling(n->children, meta);
				else
					xmlAddChild(n, meta);
			}
		}
		d = dashed(name);
		nv = vg_xml_new_child(meta, "nvpair");
		base = g_strdup_printf("%s-%s", vg_xml_get(meta, "id"), d);
		set_fresh_id(u, nv, base);
		vg_xml_set(nv, "name", d);
		vg_xml_set(nv, "value", vg_xml_get(n, name));
		note(u, n, "attribute %s became meta attribute %s", name, d);
		xmlRemoveProp(a);
		g_free(base);
		g_free(d);
		a = next;
	}
}

/* Heartbeat 2 put clone options in instance_attributes; they are meta. */
static void move_clone_options(struct up_ctx *u, xmlNode *clone, xmlNode *meta)
{
	static const char *const clone_options[] = {
	    "clone-max",
	    "clone-node-max",
	    "promoted-max",
	    "promoted-node-max",
	    "notify",
	    "globally-unique",
	    "ordered",
	    "interleave",
	    "target-role",
	    "is-managed",
	    "resource-stickiness",
	    "clone_max",
	    "clone_node_max",
	    "master_max",
	    "master_node_max",
	    "globally_unique",
	    "target_role",
	    "is_managed",
	    "master-max",
	    "master-node-max",
	};
	xmlNode *ia;

	VG_XML_FOREACH(ia, clone, "instance_attributes")
	{
		xmlNode *nv;

		unwrap_attributes(u, ia);
		nv = vg_xml_first(ia, "nvpair");

		while (nv != NULL) {
			xmlNode *next = vg_xml_next(nv, "nvpair");
			const char *name = vg_xml_get(nv, "name");

			for (size_t i = 0; name && i < G_N_ELEMENTS(clone_options); i++)
				if (strcmp(name, clone_options[i]) == 0) {
					note(u, nv, "clone option %s moved to meta attributes",
					     name);
					xmlUnlinkNode(nv);
					xmlAddChild(meta, nv);
					upgrade_nvpair(u, nv);
					break;
				}
			nv = next;
		}
	}
}

/* master / master_slave -> clone with promotable=true. */
static void upgrade_master(struct up_ctx *u, xmlNode *n)
{
	xmlNode *meta, *nv;
	char *base;

	attributes_to_meta(u, n);
	note(u, n, "<%s> became a promotable <clone>", vg_xml_name(n));
	xmlNodeSetName(n, (const xmlChar *)"clone");
	meta = vg_xml_first(n, "meta_attributes");
	if (meta == NULL) {
		char *mb = g_strdup_printf("%s-meta_attributes", vg_xml_get(n, "id") ?: "clone");

		meta = xmlNewNode(NULL, (const xmlChar *)"meta_attributes");
		set_fresh_id(u, meta, mb);
		g_free(mb);
		if (n->children)
			xmlAddPrevSibling(n->children, meta);
		else
			xmlAddChild(n, meta);
	}
	move_clone_options(u, n, meta);
	nv = vg_xml_new_child(meta, "nvpair");
	base = g_strdup_printf("%s-promotable", vg_xml_get(meta, "id") ?: "clone");
	set_fresh_id(u, nv, base);
	g_free(base);
	vg_xml_set(nv, "name", "promotable");
	vg_xml_set(nv, "value", "true");
}

static void upgrade_resource(struct up_ctx *u, xmlNode *n)
{
	attributes_to_meta(u, n);
}

/* role attributes: Master/Slave -> Promoted/Unpromoted. */
static void upgrade_roles(struct up_ctx *u, xmlNode *n)
{
	static const char *const role_attrs[] = {"role", "rsc-role", "with-rsc-role", "first-role",
	                                         "then-role"};

	for (size_t i = 0; i < G_N_ELEMENTS(role_attrs); i++) {
		const char *v = vg_xml_get(n, role_attrs[i]);

		if (v == NULL)
			continue;
		if (strcmp(v, "Master") == 0) {
			note(u, n, "%s Master is now Promoted", role_attrs[i]);
			vg_xml_set(n, role_attrs[i], "Promoted");
		} else if (strcmp(v, "Slave") == 0) {
			note(u, n, "%s Slave is now Unpromoted", role_attrs[i]);
			vg_xml_set(n, role_attrs[i], "Unpromoted");
		}
	}
}

static void rename_attr(struct up_ctx *u, xmlNode *n, const char *old, const char *new)
{
	const char *v = vg_xml_get(n, old);
	char *copy;

	if (v == NULL || vg_xml_get(n, new) != NULL)
		return;
	copy = g_strdup(v);
	vg_xml_set(n, old, NULL);
	vg_xml_set(n, new, copy);
	note(u, n, "attribute %s renamed %s", old, new);
	g_free(copy);
}

static void upgrade_op(struct up_ctx *u, xmlNode *n)
{
	const char *dis = vg_xml_get(n, "disabled");

	upgrade_roles(u, n);
	rename_attr(u, n, "prereq", "requires");
	rename_attr(u, n, "on_fail", "on-fail");
	rename_attr(u, n, "start_delay", "start-delay");
	rename_attr(u, n, "interval_origin", "interval-origin");
	rename_attr(u, n, "record_pending", "record-pending");
	if (dis != NULL) {
		bool off = g_ascii_strcasecmp(dis, "true") == 0 || strcmp(dis, "1") == 0 ||
		           g_ascii_strcasecmp(dis, "yes") == 0;

		vg_xml_set(n, "enabled", off ? "false" : NULL);
		vg_xml_set(n, "disabled", NULL);
		note(u, n, "disabled became enabled");
	}
	if (vg_xml_get(n, "interval") == NULL) {
		vg_xml_set(n, "interval", "0");
		note(u, n, "interval 0 made explicit");
	}
}

static void upgrade_colocation(struct up_ctx *u, xmlNode *n)
{
	upgrade_roles(u, n);
	rename_attr(u, n, "from", "rsc");
	rename_attr(u, n, "to", "with-rsc");
	rename_attr(u, n, "from_role", "rsc-role");
	rename_attr(u, n, "to_role", "with-rsc-role");
	upgrade_roles(u, n);
}

/* Pacemaker 0.6: from/to/type; "A after B" (the default) means B first. */
static void upgrade_order(struct up_ctx *u, xmlNode *n)
{
	const char *from = vg_xml_get(n, "from"), *to = vg_xml_get(n, "to");
	const char *type = vg_xml_get(n, "type");
	char *f, *t, *fa, *ta;
	bool before;

	upgrade_roles(u, n);
	if (from == NULL || to == NULL)
		return;
	before = type != NULL && strcmp(type, "before") == 0;
	f = g_strdup(before ? from : to);
	t = g_strdup(before ? to : from);
	fa = g_strdup(vg_xml_get(n, before ? "action" : "to_action"));
	ta = g_strdup(vg_xml_get(n, before ? "to_action" : "action"));
	vg_xml_set(n, "from", NULL);
	vg_xml_set(n, "to", NULL);
	vg_xml_set(n, "type", NULL);
	vg_xml_set(n, "action", NULL);
	vg_xml_set(n, "to_action", NULL);
	vg_xml_set(n, "first", f);
	vg_xml_set(n, "then", t);
	if (fa)
		vg_xml_set(n, "first-action", fa);
	if (ta)
		vg_xml_set(n, "then-action", ta);
	note(u, n, "from/to order became first=%s then=%s", f, t);
	g_free(f);
	g_free(t);
	g_free(fa);
	g_free(ta);
}

static void upgrade_node(struct up_ctx *u, xmlNode *n)
{
	const char *type = vg_xml_get(n, "type");

	if (type && strcmp(type, "normal") == 0) {
		vg_xml_set(n, "type", "member");
		note(u, n, "node type normal is now member");
	}
}

/* Pacemaker 1.x ACLs: read/write/deny children become acl_permission. */
static void upgrade_acl_rule(struct up_ctx *u, xmlNode *n)
{
	const char *kind = vg_xml_name(n);
	xmlNode *parent = n->parent;

	if (!vg_xml_is(parent, "acl_role") && !vg_xml_is(parent, "acl_user"))
		return;
	note(u, n, "ACL %s rule became acl_permission kind=%s", kind, kind);
	vg_xml_set(n, "kind", kind);
	xmlNodeSetName(n, (const xmlChar *)"acl_permission");
	rename_attr(u, n, "tag", "object-type");
	rename_attr(u, n, "ref", "reference");
	if (vg_xml_get(n, "id") == NULL)
		set_fresh_id(u, n, "acl-permission");
}

/* acl_user: role_refs become role; inline rules move into a new role. */
static void upgrade_acl_user(struct up_ctx *u, xmlNode *n)
{
	xmlNode *c, *role = NULL;

	/* rules first, while their parent is still an acl_user */
	VG_XML_FOREACH(c, n, NULL)
	if (vg_xml_is(c, "read") || vg_xml_is(c, "write") || vg_xml_is(c, "deny"))
		upgrade_acl_rule(u, c);
	c = vg_xml_first(n, NULL);
	note(u, n, "acl_user became acl_target");
	xmlNodeSetName(n, (const xmlChar *)"acl_target");
	while (c != NULL) {
		xmlNode *next = vg_xml_next(c, NULL);

		if (vg_xml_is(c, "role_ref")) {
			xmlNodeSetName(c, (const xmlChar *)"role");
		} else if (vg_xml_is(c, "acl_permission")) {
			if (role == NULL) {
				char *base =
				    g_strdup_printf("%s-role", vg_xml_get(n, "id") ?: "user");
				xmlNode *ref;

				role = xmlNewNode(NULL, (const xmlChar *)"acl_role");
				set_fresh_id(u, role, base);
				g_free(base);
				xmlAddPrevSibling(n, role);
				ref = vg_xml_new_child(n, "role");
				vg_xml_set(ref, "id", vg_xml_get(role, "id"));
			}
			xmlUnlinkNode(c);
			xmlAddChild(role, c);
		}
		c = next;
	}
}

typedef void (*upgrade_fn)(struct up_ctx *u, xmlNode *n);

/* Pre-order: the element's own rewrite runs before its children are visited. */
static const struct row {
	const char *element;
	upgrade_fn fn;
} rows[] = {
    {"instance_attributes", unwrap_attributes},
    {"meta_attributes", unwrap_attributes},
    {"utilization", unwrap_attributes},
    {"cluster_property_set", unwrap_attributes},
    {"nvpair", upgrade_nvpair},
    {"master_slave", upgrade_master},
    {"master", upgrade_master},
    {"primitive", upgrade_resource},
    {"group", upgrade_resource},
    {"clone", upgrade_resource},
    {"op", upgrade_op},
    {"rsc_colocation", upgrade_colocation},
    {"rsc_order", upgrade_order},
    {"rsc_location", upgrade_roles},
    {"rsc_ticket", upgrade_roles},
    {"resource_set", upgrade_roles},
    {"rule", upgrade_roles},
    {"node", upgrade_node},
    {"read", upgrade_acl_rule},
    {"write", upgrade_acl_rule},
    {"deny", upgrade_acl_rule},
    {"acl_user", upgrade_acl_user},
};

static void walk(struct up_ctx *u, xmlNode *n, bool in_status)
{
	for (; n != NULL; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (!in_status) {
			for (size_t i = 0; i < G_N_ELEMENTS(rows); i++)
				if (strcmp((const char *)n->name, rows[i].element) == 0) {
					rows[i].fn(u, n);
					break;
				}
		} else if (vg_xml_is(n, "instance_attributes") || vg_xml_is(n, "utilization")) {
			unwrap_attributes(u, n);
		}
		/* acl_user was renamed; its permissions are children handled above */
		walk(u, n->children, in_status || vg_xml_is(n, "status"));
	}
}

static void upgrade_root(struct up_ctx *u)
{
	static const struct rename root_renames[] = {
	    {"dc_uuid", "dc-uuid"},
	    {"have_quorum", "have-quorum"},
	    {"remote_access_port", "remote-tls-port"},
	    {"crm-feature-set", "crm_feature_set"},
	};
	static const char *const dropped[] = {
	    "generated",  "ccm_transition", "cib_feature_revision",
	    "ignore_dtd", "num_peers",      "cib-last-written-by"};

	for (size_t i = 0; i < G_N_ELEMENTS(root_renames); i++)
		rename_attr(u, u->cib, root_renames[i].old, root_renames[i].new);
	for (size_t i = 0; i < G_N_ELEMENTS(dropped); i++)
		if (vg_xml_get(u->cib, dropped[i]) != NULL) {
			vg_xml_set(u->cib, dropped[i], NULL);
			note(u, u->cib, "obsolete attribute %s dropped", dropped[i]);
		}
}

int vg_cib_upgrade(xmlNode *cib, bool *changed, GPtrArray *log, vg_error_t *err)
{
	struct up_ctx u = {.cib = cib, .log = log};
	const char *vw = vg_xml_get(cib, "validate-with");
	int major = 0;

	if (changed)
		*changed = false;
	if (!vg_xml_is(cib, "cib"))
		return vg_error_set(err, VG_EINVAL, "upgrade: not a CIB");
	if (vw != NULL && !vg_cib_schema_known(vw, &major, NULL))
		return vg_error_set(err, VG_ESCHEMA,
		                    "upgrade: validate-with=\"%s\" is not a schema vigil knows "
		                    "(pacemaker-1.0 to pacemaker-4.x, pacemaker-next, none)",
		                    vw);
	{
		GHashTable *idx = vg_xml_id_index(cib, NULL);
		GHashTableIter it;
		gpointer k;

		/* the id table owns copies so fresh ids can be added */
		u.ids = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
		g_hash_table_iter_init(&it, idx);
		while (g_hash_table_iter_next(&it, &k, NULL))
			g_hash_table_insert(u.ids, g_strdup(k), cib);
		g_hash_table_destroy(idx);
	}
	upgrade_root(&u);
	walk(&u, cib->children, false);
	move_defaults(&u);
	vg_cib_normalize(cib);
	if (vw == NULL || (major < 99 && strcmp(vw, VG_CIB_SCHEMA_LATEST) != 0)) {
		note(&u, cib, "validate-with %s is now %s", vw ? vw : "(none given)",
		     VG_CIB_SCHEMA_LATEST);
		vg_xml_set(cib, "validate-with", VG_CIB_SCHEMA_LATEST);
	}
	if (changed)
		*changed = u.changed;
	g_hash_table_destroy(u.ids);
	return 0;
}
