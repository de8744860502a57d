/*
 * sched_resources.c: the <resources> section: primitives, groups, clones
 * (promotable or not), templates, meta attributes with rsc_defaults and
 * inheritance from parents, instance attributes, and the configured
 * operations with op_defaults.
 *
 * Owns the defaults of resource meta attributes.  Never reads the status.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define VG_LOG_SUBSYS "sched"
#include <string.h>

#include "sched_private.h"

static void op_free(gpointer p)
{
	sc_op_t *op = p;

	g_free(op->name);
	g_free(op->on_fail);
	g_free(op->id);
	g_hash_table_destroy(op->meta);
	g_hash_table_destroy(op->params);
	g_free(op);
}

static void unpack_op(sc_t *sc, sc_rsc_t *r, xmlNode *x)
{
	sc_op_t *op = g_new0(sc_op_t, 1);
	xmlNode *defaults = vg_xml_first(sc->config, "op_defaults");
	vg_rule_ctx_t ctx;
	const char *v;
	xmlAttr *a;

	op->name = g_strdup(vg_xml_get(x, "name"));
	op->id = g_strdup(vg_xml_get(x, "id"));
	op->interval_ms = sc_ms(vg_xml_get(x, "interval"), 0);
	op->meta = sc_strtable();
	op->params = sc_strtable();
	for (a = x->properties; a != NULL; a = a->next) {
		const char *n = (const char *)a->name;
		if (!strcmp(n, "id") || !strcmp(n, "name") || !strcmp(n, "interval") ||
		    !strcmp(n, "description"))
			continue;
		g_hash_table_replace(op->meta, g_strdup(n), g_strdup(vg_xml_get(x, n)));
	}
	sc_rule_ctx(sc, &ctx, NULL);
	ctx.rsc_standard = r->cls;
	ctx.rsc_provider = r->prov;
	ctx.rsc_agent = r->type;
	ctx.op_name = op->name;
	ctx.op_interval_ms = op->interval_ms;
	vg_nvset_unpack(x, "meta_attributes", &ctx, NULL, false, op->meta, &sc->recheck);
	vg_nvset_unpack(x, "instance_attributes", &ctx, NULL, false, op->params, &sc->recheck);
	if (defaults != NULL)
		vg_nvset_unpack(defaults, "meta_attributes", &ctx, NULL, false, op->meta,
		                &sc->recheck);
	v = g_hash_table_lookup(op->meta, "timeout");
	op->timeout_ms = sc_ms(v, 20000);
	op->role = sc_role_parse(g_hash_table_lookup(op->meta, "role"));
	v = g_hash_table_lookup(op->meta, "enabled");
	op->enabled = v == NULL || sc_true(v);
	op->on_fail = g_strdup(g_hash_table_lookup(op->meta, "on-fail"));
	g_ptr_array_add(r->ops, op);
}

static void unpack_ops(sc_t *sc, sc_rsc_t *r, xmlNode *src, bool from_template)
{
	xmlNode *ops = src != NULL ? vg_xml_first(src, "operations") : NULL, *x;
	guint own = r->ops->len;

	if (ops == NULL)
		return;
	ops = vg_xml_deref(ops, sc->id_index);
	if (ops == NULL)
		return;
	VG_XML_FOREACH(x, ops, "op")
	{
		guint iv = sc_ms(vg_xml_get(x, "interval"), 0);
		const char *name = vg_xml_get(x, "name");

		sc_op_t *dup;

		if (name == NULL)
			continue;
		if (from_template) {
			/* the primitive's own ops of that name and role replace the template's */
			bool mine = false;
			const char *role = vg_xml_get(x, "role");
			for (guint i = 0; i < own; i++) {
				sc_op_t *o = r->ops->pdata[i];
				mine |= !strcmp(o->name, name) && o->role == sc_role_parse(role);
			}
			if (mine)
				continue;
		}
		dup = sc_find_op(r, name, iv);
		if (dup != NULL) {
			/* two definitions of one operation: neither is used */
			if (!from_template) {
				dup->enabled = false;
				dup->duplicate = true;
			}
			continue;
		}
		unpack_op(sc, r, x);
	}
}

sc_op_t *sc_find_op(sc_rsc_t *r, const char *name, guint interval_ms)
{
	for (guint i = 0; r->ops != NULL && i < r->ops->len; i++) {
		sc_op_t *op = r->ops->pdata[i];
		if (op->interval_ms == interval_ms && !g_strcmp0(op->name, name))
			return op;
	}
	return NULL;
}

static int meta_int(sc_rsc_t *r, const char *name, int dflt)
{
	return sc_score(g_hash_table_lookup(r->meta, name), dflt);
}

static void copy_missing(GHashTable *dst, GHashTable *src)
{
	GHashTableIter it;
	gpointer k, v;

	g_hash_table_iter_init(&it, src);
	while (g_hash_table_iter_next(&it, &k, &v))
		if (!g_hash_table_contains(dst, k))
			g_hash_table_insert(dst, g_strdup(k), g_strdup(v));
}

/* Are all primitives under x OCF or fencing agents (the only classes whose
 * instances can be told apart, as globally-unique clones need)? */
static bool all_unique_capable(sc_t *sc, xmlNode *x)
{
	for (xmlNode *c = x->children; c != NULL; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (vg_xml_is(c, "primitive")) {
			const char *cls = vg_xml_get(c, "class");
			const char *t = vg_xml_get(c, "template");
			xmlNode *tmpl = t != NULL ? g_hash_table_lookup(sc->id_index, t) : NULL;

			if (cls == NULL && tmpl != NULL)
				cls = vg_xml_get(tmpl, "class");
			if (cls != NULL && strcmp(cls, "ocf") != 0 && strcmp(cls, "stonith") != 0)
				return false;
		} else if (vg_xml_is(c, "group") && !all_unique_capable(sc, c)) {
			return false;
		}
	}
	return true;
}
static void unpack_meta(sc_t *sc, sc_rsc_t *r)
{
	vg_rule_ctx_t ctx;
	xmlNode *defaults = vg_xml_first(sc->config, "rsc_defaults");
	const char *v;

	sc_rule_ctx(sc, &ctx, NULL);
	ctx.rsc_standard = r->cls;
	ctx.rsc_provider = r->prov;
	ctx.rsc_agent = r->type;
	vg_nvset_unpack(r->xml, "meta_attributes", &ctx, NULL, false, r->meta, &sc->recheck);
	if (r->tmpl != NULL)
		vg_nvset_unpack(r->tmpl, "meta_attributes", &ctx, NULL, false, r->meta,
		                &sc->recheck);
	if (r->parent != NULL)
		copy_missing(r->meta, r->parent->meta);
	if (defaults != NULL)
		vg_nvset_unpack(defaults, "meta_attributes", &ctx, NULL, false, r->meta,
		                &sc->recheck);
	vg_nvset_unpack(r->xml, "instance_attributes", &ctx, NULL, false, r->params, &sc->recheck);
	vg_nvset_unpack(r->xml, "utilization", &ctx, NULL, false, r->utilization, &sc->recheck);
	if (r->tmpl != NULL)
		vg_nvset_unpack(r->tmpl, "utilization", &ctx, NULL, false, r->utilization,
		                &sc->recheck);
	if (r->tmpl != NULL)
		vg_nvset_unpack(r->tmpl, "instance_attributes", &ctx, NULL, false, r->params,
		                &sc->recheck);
	/* a group's or clone's instance attributes are its members' too (the
	 * agent gets them, and the recorded digests cover them) */
	if (r->parent != NULL)
		copy_missing(r->params, r->parent->params);

	r->priority = meta_int(r, "priority", 0);
	r->stickiness = meta_int(r, "resource-stickiness", sc->default_stickiness);
	/* clone instances stick to where they run unless told otherwise */
	if (r->clone != NULL && g_hash_table_lookup(r->meta, "resource-stickiness") == NULL &&
	    sc->default_stickiness == 0)
		r->stickiness = 1;
	/* 0 turns the threshold off; a negative one bans at the first failure */
	r->migration_threshold = meta_int(r, "migration-threshold", INF);
	if (r->migration_threshold == 0)
		r->migration_threshold = INF;
	else if (r->migration_threshold < 0)
		r->migration_threshold = 1;
	v = g_hash_table_lookup(r->meta, "failure-timeout");
	r->failure_timeout = sc_ms(v, 0) / 1000;
	v = g_hash_table_lookup(r->meta, "is-managed");
	r->managed = v == NULL || sc_true(v);
	r->maintenance = sc_true(g_hash_table_lookup(r->meta, "maintenance"));
	if (sc->maintenance_mode && g_hash_table_lookup(r->meta, "maintenance") == NULL)
		r->maintenance = true;
	if (r->maintenance)
		r->managed = false;
	v = g_hash_table_lookup(r->meta, "critical");
	r->critical = v == NULL || sc_true(v);
	r->target_role = sc_role_parse(g_hash_table_lookup(r->meta, "target-role"));
	if (r->target_role == ROLE_STARTED)
		r->target_role = ROLE_UNKNOWN;
	r->multiple_active = g_hash_table_lookup(r->meta, "multiple-active");
	if (r->multiple_active == NULL)
		r->multiple_active = "stop_start";
	r->requires = g_hash_table_lookup(r->meta, "requires");
	if (r->requires == NULL)
	r->requires = r->is_fencing ? "quorum" : (sc->stonith_enabled ? "fencing" : "quorum");
	if (r->is_fencing && strcmp(r->requires, "nothing"))
	r->requires = "quorum";
	v = g_hash_table_lookup(r->meta, "promotable");
	r->promotable = r->promotable || sc_true(v);
	r->unique = sc_true(g_hash_table_lookup(r->meta, "globally-unique"));
	if (r->kind == RSC_CLONE && r->unique && !all_unique_capable(sc, r->xml))
		r->unique = false; /* only OCF agents can run as distinct instances */
	v = g_hash_table_lookup(r->meta, "interleave");
	r->interleave = sc_true(v);
	r->ordered = sc_true(g_hash_table_lookup(r->meta, "ordered"));
	if (r->kind == RSC_CLONE) {
		int n = (int)sc->nodes->len;
		r->clone_max = MAX(0, meta_int(r, "clone-max", n));
		r->clone_node_max = MAX(1, meta_int(r, "clone-node-max", 1));
		r->promoted_max = MAX(0, meta_int(r, "promoted-max", meta_int(r, "master-max", 1)));
		r->promoted_node_max =
		    MAX(1, meta_int(r, "promoted-node-max", meta_int(r, "master-node-max", 1)));
		if (r->clone_max > 10000)
			r->clone_max = 10000;
	}
}

static sc_rsc_t *rsc_new(sc_t *sc, xmlNode *x, sc_rsc_kind_t kind, sc_rsc_t *parent, int instance)
{
	sc_rsc_t *r = g_new0(sc_rsc_t, 1);
	const char *t;

	r->instance = instance;
	if (instance >= 0) {
		r->id = g_strdup_printf("%s:%d", vg_xml_get(x, "id"), instance);
		r->base = vg_xml_get(x, "id");
		r->clone = parent->kind == RSC_CLONE ? parent : parent->clone;
	} else {
		r->id = g_strdup(vg_xml_get(x, "id"));
	}
	r->kind = kind;
	r->xml = x;
	r->parent = parent;
	r->children = g_ptr_array_new();
	r->meta = sc_strtable();
	r->params = sc_strtable();
	r->utilization = sc_strtable();
	r->ops = g_ptr_array_new_with_free_func(op_free);
	r->hist = g_ptr_array_new();
	r->running_on = g_ptr_array_new();
	r->scores = g_new0(int, MAX(sc->nodes->len, 1));
	r->index = (int)sc->all->len;
	r->managed = true;
	if (kind == RSC_PRIMITIVE) {
		t = vg_xml_get(x, "template");
		if (t != NULL) {
			r->tmpl = g_hash_table_lookup(sc->id_index, t);
			if (r->tmpl != NULL && !vg_xml_is(r->tmpl, "template"))
				r->tmpl = NULL;
		}
		r->cls = vg_xml_get(x, "class");
		r->prov = vg_xml_get(x, "provider");
		r->type = vg_xml_get(x, "type");
		if (r->tmpl != NULL) {
			if (r->cls == NULL)
				r->cls = vg_xml_get(r->tmpl, "class");
			if (r->prov == NULL)
				r->prov = vg_xml_get(r->tmpl, "provider");
			if (r->type == NULL)
				r->type = vg_xml_get(r->tmpl, "type");
		}
		r->is_fencing = r->cls != NULL && !strcmp(r->cls, "stonith");
	}
	g_ptr_array_add(sc->all, r);
	g_hash_table_insert(sc->rsc_by_id, r->id, r);
	if (parent != NULL)
		g_ptr_array_add(parent->children, r);
	else
		g_ptr_array_add(sc->top, r);
	return r;
}

static int unpack_one(sc_t *sc, xmlNode *x, sc_rsc_t *parent, int instance, vg_error_t *err);

static int unpack_children(sc_t *sc, sc_rsc_t *r, vg_error_t *err)
{
	xmlNode *c;

	for (c = vg_xml_first(r->xml, NULL); c != NULL; c = vg_xml_next(c, NULL)) {
		int rc;
		if (!vg_xml_is(c, "primitive") && !vg_xml_is(c, "group"))
			continue;
		if (r->kind == RSC_CLONE) {
			/* one copy per instance, named <id>:<n> */
			g_hash_table_insert(sc->clone_of, (char *)vg_xml_get(c, "id"), r);
			for (int i = 0; i < r->clone_max; i++)
				if ((rc = unpack_one(sc, c, r, i, err)) < 0)
					return rc;
			break;
		}
		rc = unpack_one(sc, c, r, r->instance, err);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static int unpack_one(sc_t *sc, xmlNode *x, sc_rsc_t *parent, int instance, vg_error_t *err)
{
	const char *id = vg_xml_get(x, "id");
	sc_rsc_kind_t kind;
	sc_rsc_t *r;

	if (vg_xml_is(x, "primitive"))
		kind = RSC_PRIMITIVE;
	else if (vg_xml_is(x, "group"))
		kind = RSC_GROUP;
	else if (vg_xml_is(x, "clone") || vg_xml_is(x, "master"))
		kind = RSC_CLONE;
	else
		return 0;
	if (id == NULL)
		return vg_error_set(err, VG_ECONFIG, "a <%s> in the resources has no id",
		                    vg_xml_name(x));
	if (instance < 0 && g_hash_table_contains(sc->rsc_by_id, id))
		return 0; /* Pacemaker ignores the later duplicate */
	if (parent != NULL && parent->kind != RSC_CLONE && instance >= 0)
		g_hash_table_insert(sc->clone_of, (char *)id, parent->clone);
	r = rsc_new(sc, x, kind, parent, instance);
	if (vg_xml_is(x, "master"))
		r->promotable = true;
	/* meta first: later stages read requires, multiple-active etc. of every
	 * resource, the unusable ones included */
	unpack_meta(sc, r);
	if (kind == RSC_PRIMITIVE && (r->cls == NULL || r->type == NULL)) {
		g_hash_table_remove(sc->rsc_by_id, r->id);
		r->orphan = true; /* unusable: not scheduled */
		r->managed = false;
		return 0;
	}
	if (kind == RSC_PRIMITIVE) {
		unpack_ops(sc, r, x, false);
		unpack_ops(sc, r, r->tmpl, true);
	}
	if (kind != RSC_PRIMITIVE)
		return unpack_children(sc, r, err);
	return 0;
}

static void unpack_tags(sc_t *sc)
{
	xmlNode *tags = vg_xml_first(sc->config, "tags"), *t, *ref;

	sc->tags =
	    g_hash_table_new_full(g_str_hash, g_str_equal, NULL, (GDestroyNotify)g_ptr_array_unref);
	if (tags == NULL)
		return;
	VG_XML_FOREACH(t, tags, "tag")
	{
		GPtrArray *ids = g_ptr_array_new();
		const char *id = vg_xml_get(t, "id");
		if (id == NULL || g_hash_table_contains(sc->tags, id)) {
			g_ptr_array_unref(ids);
			continue;
		}
		VG_XML_FOREACH(ref, t, "obj_ref")
		if (vg_xml_get(ref, "id") != NULL)
			g_ptr_array_add(ids, (char *)vg_xml_get(ref, "id"));
		g_hash_table_insert(sc->tags, (char *)id, ids);
	}
}

int sc_unpack_resources(sc_t *sc, vg_error_t *err)
{
	xmlNode *rscs = vg_xml_first(sc->config, "resources"), *x;
	int rc;

	unpack_tags(sc);
	if (rscs == NULL)
		return 0;
	for (x = vg_xml_first(rscs, NULL); x != NULL; x = vg_xml_next(x, NULL)) {
		rc = unpack_one(sc, x, NULL, -1, err);
		if (rc < 0)
			return rc;
	}
	return 0;
}
