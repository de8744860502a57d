/*
 * crmconf_show.c: a <configuration> printed in crm syntax, the way crmsh's
 * `configure show` lays it out (one object per statement, " \" and a tab
 * before each section of a long object).
 *
 * Order: nodes, resources (a group's or clone's members before it, so the
 * text loads back in one pass), constraints, properties, rsc_defaults,
 * op_defaults.  An object the syntax cannot carry (bundles, tickets, nested
 * rules, attribute sets with rules) is printed as "xml <element/>" on one
 * line, which `load` reads back: the text always round-trips to the same
 * configuration.  Never modifies the document.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include "crmconf_private.h"

void cc_show_value(GString *out, const char *v)
{
	bool plain = v && *v;
	for (const char *p = v; plain && *p; p++)
		if (g_ascii_isspace(*p) || strchr("\"'\\()[]{}", *p))
			plain = false;
	if (plain) {
		g_string_append(out, v);
		return;
	}
	g_string_append_c(out, '"');
	for (const char *p = v ? v : ""; *p; p++) {
		if (*p == '"' || *p == '\\')
			g_string_append_c(out, '\\');
		g_string_append_c(out, *p);
	}
	g_string_append_c(out, '"');
}

static void show_xml(GString *out, const xmlNode *n)
{
	char *s = vg_xml_canonical(n);
	/* one physical line: newlines inside text would end the statement */
	for (char *p = s; *p; p++)
		if (*p == '\n')
			*p = ' ';
	g_string_append_printf(out, "xml %s\n", s);
	g_free(s);
}

static bool simple_set(const xmlNode *set)
{
	return !vg_xml_first(set, "rule") && !vg_xml_get(set, "score") &&
	       !vg_xml_get(set, "id-ref");
}

/* " \\\n\tparams [$id=X] k=v ..." for one set. */
static void show_nvset(GString *out, const xmlNode *set, const char *word, const char *owner,
                       const char *suffix)
{
	char *def = g_strdup_printf("%s-%s", owner, suffix);
	g_string_append_printf(out, " \\\n\t%s", word);
	if (g_strcmp0(vg_xml_get(set, "id"), def) != 0)
		g_string_append_printf(out, " $id=%s", vg_xml_get(set, "id"));
	g_free(def);
	const xmlNode *nv;
	VG_XML_FOREACH(nv, set, "nvpair")
	{
		g_string_append_printf(out, " %s=", vg_xml_get(nv, "name"));
		cc_show_value(out, vg_xml_get(nv, "value"));
	}
}

static bool show_op(GString *out, const xmlNode *op, const char *rid)
{
	if (vg_xml_first(op, NULL))
		return false;
	g_string_append_printf(out, " \\\n\top %s", vg_xml_get(op, "name"));
	char *def =
	    g_strdup_printf("%s-%s-%s", rid, vg_xml_get(op, "name"), vg_xml_get(op, "interval"));
	for (const xmlAttr *a = op->properties; a; a = a->next) {
		const char *k = (const char *)a->name;
		const char *v = vg_xml_get(op, k);
		if (strcmp(k, "name") == 0)
			continue;
		if (strcmp(k, "id") == 0) {
			if (!g_str_has_prefix(v, def))
				g_string_append_printf(out, " $id=%s", v);
			continue;
		}
		/* the parser adds interval=0s when absent: print nothing for that */
		g_string_append_printf(out, " %s=", k);
		cc_show_value(out, v);
	}
	g_free(def);
	return true;
}

/* Sections of a resource or node: false when one cannot be said in crm syntax. */
static bool show_sections(GString *out, const xmlNode *el, bool node)
{
	const char *id = node ? vg_xml_get(el, "uname") : vg_xml_get(el, "id");
	const xmlNode *c;
	if (vg_xml_get(el, "description")) {
		g_string_append(out, " description=");
		cc_show_value(out, vg_xml_get(el, "description"));
	}
	for (c = vg_xml_first(el, NULL); c; c = vg_xml_next(c, NULL)) {
		if (vg_xml_is(c, "instance_attributes") && simple_set(c))
			show_nvset(out, c, node ? "attributes" : "params", id,
			           "instance_attributes");
		else if (vg_xml_is(c, "meta_attributes") && simple_set(c) && !node)
			show_nvset(out, c, "meta", id, "meta_attributes");
		else if (vg_xml_is(c, "utilization") && simple_set(c))
			show_nvset(out, c, "utilization", id, "utilization");
		else if (vg_xml_is(c, "operations") && !node && !vg_xml_get(c, "id")) {
			const xmlNode *op;
			VG_XML_FOREACH(op, c, NULL)
			if (!vg_xml_is(op, "op") || !show_op(out, op, id))
				return false;
		} else if (!vg_xml_is(c, "primitive") && !vg_xml_is(c, "group"))
			return false;
	}
	return true;
}

static bool known_attrs(const xmlNode *n, const char *const *ok, size_t nok)
{
	for (const xmlAttr *a = n->properties; a; a = a->next) {
		bool found = false;
		for (size_t i = 0; i < nok; i++)
			found |= strcmp((const char *)a->name, ok[i]) == 0;
		if (!found)
			return false;
	}
	return true;
}

static void show_rsc(GString *out, const xmlNode *r)
{
	GString *s = g_string_new(NULL);
	const char *id = vg_xml_get(r, "id");
	bool ok = true;
	if (vg_xml_is(r, "primitive")) {
		static const char *const attrs[] = {"id", "class", "provider", "type",
		                                    "description"};
		const char *cls = vg_xml_get(r, "class"), *prov = vg_xml_get(r, "provider");
		ok = cls && vg_xml_get(r, "type") && known_attrs(r, attrs, G_N_ELEMENTS(attrs));
		if (ok && prov)
			g_string_append_printf(s, "primitive %s %s:%s:%s", id, cls, prov,
			                       vg_xml_get(r, "type"));
		else if (ok)
			g_string_append_printf(s, "primitive %s %s:%s", id, cls,
			                       vg_xml_get(r, "type"));
	} else if (vg_xml_is(r, "group") || vg_xml_is(r, "clone") || vg_xml_is(r, "master")) {
		static const char *const attrs[] = {"id", "description"};
		const xmlNode *m;
		ok = known_attrs(r, attrs, G_N_ELEMENTS(attrs));
		/* members first, so that the text loads in one pass */
		for (m = vg_xml_first(r, NULL); ok && m; m = vg_xml_next(m, NULL))
			if (vg_xml_is(m, "primitive") || vg_xml_is(m, "group"))
				show_rsc(out, m);
		g_string_append_printf(s, "%s %s",
		                       vg_xml_is(r, "group")   ? "group"
		                       : vg_xml_is(r, "clone") ? "clone"
		                                               : "ms",
		                       id);
		int n = 0;
		for (m = vg_xml_first(r, NULL); m; m = vg_xml_next(m, NULL))
			if (vg_xml_is(m, "primitive") || vg_xml_is(m, "group")) {
				g_string_append_printf(s, " %s", vg_xml_get(m, "id"));
				n++;
			}
		ok = ok && n > 0 && (vg_xml_is(r, "group") || n == 1);
	} else {
		ok = false;
	}
	if (ok)
		ok = show_sections(s, r, false);
	if (ok)
		g_string_append_printf(out, "%s\n", s->str);
	else
		show_xml(out, r);
	g_string_free(s, TRUE);
}

static bool show_location(GString *s, const xmlNode *l)
{
	static const char *const attrs[] = {"id",   "rsc",  "rsc-pattern",       "score",
	                                    "node", "role", "resource-discovery"};
	if (!known_attrs(l, attrs, G_N_ELEMENTS(attrs)) || vg_xml_first(l, "resource_set"))
		return false;
	const char *id = vg_xml_get(l, "id");
	g_string_append_printf(s, "location %s ", id);
	if (vg_xml_get(l, "rsc"))
		g_string_append(s, vg_xml_get(l, "rsc"));
	else if (vg_xml_get(l, "rsc-pattern"))
		g_string_append_printf(s, "/%s/", vg_xml_get(l, "rsc-pattern"));
	else
		return false;
	if (vg_xml_get(l, "resource-discovery"))
		g_string_append_printf(s, " resource-discovery=%s",
		                       vg_xml_get(l, "resource-discovery"));
	if (vg_xml_get(l, "role"))
		g_string_append_printf(s, " role=%s", vg_xml_get(l, "role"));
	if (vg_xml_get(l, "node")) {
		g_string_append_c(s, ' ');
		cc_show_score(s, vg_xml_get(l, "score"));
		g_string_append_printf(s, ": %s", vg_xml_get(l, "node"));
		return !vg_xml_first(l, NULL);
	}
	int n = 0;
	const xmlNode *c;
	for (c = vg_xml_first(l, NULL); c; c = vg_xml_next(c, NULL)) {
		if (!vg_xml_is(c, "rule"))
			return false;
		g_string_append(s, " \\\n\t");
		if (!cc_show_rule(s, c, id))
			return false;
		n++;
	}
	return n > 0;
}

static bool show_pair(GString *s, const xmlNode *con, bool order)
{
	const char *a = vg_xml_get(con, order ? "first" : "rsc");
	const char *b = vg_xml_get(con, order ? "then" : "with-rsc");
	const char *as = vg_xml_get(con, order ? "first-action" : "rsc-role");
	const char *bs = vg_xml_get(con, order ? "then-action" : "with-rsc-role");
	if (!a || !b)
		return false;
	g_string_append_printf(s, " %s%s%s %s%s%s", a, as ? ":" : "", as ? as : "", b,
	                       bs ? ":" : "", bs ? bs : "");
	return true;
}

static bool show_constraint2(GString *s, const xmlNode *con, bool order)
{
	static const char *const oattrs[] = {"id",          "first", "then",  "first-action",
	                                     "then-action", "kind",  "score", "symmetrical"};
	static const char *const cattrs[] = {
	    "id", "rsc", "with-rsc", "rsc-role", "with-rsc-role", "score", "node-attribute"};
	if (order ? !known_attrs(con, oattrs, G_N_ELEMENTS(oattrs))
	          : !known_attrs(con, cattrs, G_N_ELEMENTS(cattrs)))
		return false;
	g_string_append_printf(s, "%s %s ", order ? "order" : "colocation", vg_xml_get(con, "id"));
	if (order && vg_xml_get(con, "kind"))
		g_string_append(s, vg_xml_get(con, "kind"));
	else if (vg_xml_get(con, "score"))
		cc_show_score(s, vg_xml_get(con, "score"));
	else if (order)
		g_string_append(s, "Mandatory");
	else
		return false;
	g_string_append_c(s, ':');
	bool ok = vg_xml_first(con, "resource_set") ? cc_show_sets(s, con, order)
	                                            : show_pair(s, con, order);
	const char *opt = order ? "symmetrical" : "node-attribute";
	if (vg_xml_get(con, opt))
		g_string_append_printf(s, " %s=%s", opt, vg_xml_get(con, opt));
	return ok;
}

static bool show_ticket(GString *s, const xmlNode *t)
{
	static const char *const attrs[] = {"id", "ticket", "rsc", "rsc-role", "loss-policy"};
	if (!known_attrs(t, attrs, G_N_ELEMENTS(attrs)) || !vg_xml_get(t, "ticket"))
		return false;
	g_string_append_printf(s, "rsc_ticket %s %s:", vg_xml_get(t, "id"),
	                       vg_xml_get(t, "ticket"));
	bool ok;
	if (vg_xml_get(t, "rsc")) {
		g_string_append_printf(s, " %s", vg_xml_get(t, "rsc"));
		if (vg_xml_get(t, "rsc-role"))
			g_string_append_printf(s, ":%s", vg_xml_get(t, "rsc-role"));
		ok = !vg_xml_first(t, NULL);
	} else {
		ok = cc_show_sets(s, t, false);
	}
	if (vg_xml_get(t, "loss-policy"))
		g_string_append_printf(s, " loss-policy=%s", vg_xml_get(t, "loss-policy"));
	return ok;
}

/* "tag ID: a b" per tag; false when a tag has more than obj_refs. */
static bool show_tags(GString *s, const xmlNode *tags)
{
	const xmlNode *tag, *ref;
	VG_XML_FOREACH(tag, tags, NULL)
	{
		if (!vg_xml_is(tag, "tag") || !vg_xml_get(tag, "id"))
			return false;
		g_string_append_printf(s, "tag %s:", vg_xml_get(tag, "id"));
		for (ref = vg_xml_first(tag, NULL); ref; ref = vg_xml_next(ref, NULL)) {
			if (!vg_xml_is(ref, "obj_ref"))
				return false;
			g_string_append_printf(s, " %s", vg_xml_get(ref, "id"));
		}
		g_string_append_c(s, '\n');
	}
	return true;
}

/* fencing_topology with levels by target in index order, when ids and
 * indexes are what the parser would make again. */
static bool show_fencing(GString *s, const xmlNode *ft)
{
	static const char *const attrs[] = {"id", "target", "index", "devices"};
	const xmlNode *l;
	const char *target = NULL;
	int index = 0, n = 0;
	g_string_append(s, "fencing_topology");
	VG_XML_FOREACH(l, ft, NULL)
	{
		if (!vg_xml_is(l, "fencing-level") || !known_attrs(l, attrs, G_N_ELEMENTS(attrs)) ||
		    !vg_xml_get(l, "target") || !vg_xml_get(l, "devices"))
			return false;
		char *want_id = n ? g_strdup_printf("fencing-%d", n - 1) : g_strdup("fencing");
		bool id_ok = g_strcmp0(vg_xml_get(l, "id"), want_id) == 0;
		g_free(want_id);
		if (!id_ok)
			return false;
		if (g_strcmp0(target, vg_xml_get(l, "target")) != 0) {
			target = vg_xml_get(l, "target");
			index = 0;
			g_string_append_printf(s, " \\\n\t%s:", target);
		}
		if (g_ascii_strtoll(vg_xml_get(l, "index") ? vg_xml_get(l, "index") : "", NULL,
		                    10) != ++index)
			return false;
		g_string_append_printf(s, " %s", vg_xml_get(l, "devices"));
		n++;
	}
	g_string_append_c(s, '\n');
	return n > 0;
}

static void show_constraint(GString *out, const xmlNode *con)
{
	GString *s = g_string_new(NULL);
	bool ok = false;
	if (vg_xml_is(con, "rsc_location"))
		ok = show_location(s, con);
	else if (vg_xml_is(con, "rsc_colocation"))
		ok = show_constraint2(s, con, false);
	else if (vg_xml_is(con, "rsc_order"))
		ok = show_constraint2(s, con, true);
	else if (vg_xml_is(con, "rsc_ticket"))
		ok = show_ticket(s, con);
	if (ok)
		g_string_append_printf(out, "%s\n", s->str);
	else
		show_xml(out, con);
	g_string_free(s, TRUE);
}

static void show_props(GString *out, const xmlNode *cfg, const char *sect, const char *set_name,
                       const char *word)
{
	const xmlNode *sec = vg_xml_first(cfg, sect), *set, *nv;
	if (!sec)
		return;
	VG_XML_FOREACH(set, sec, set_name)
	{
		if (!simple_set(set) && strcmp(sect, "crm_config") == 0) {
			show_xml(out, set);
			continue;
		}
		if (!vg_xml_first(set, "nvpair"))
			continue;
		g_string_append_printf(out, "%s %s:", word, vg_xml_get(set, "id"));
		VG_XML_FOREACH(nv, set, "nvpair")
		{
			g_string_append_printf(out, " \\\n\t%s=", vg_xml_get(nv, "name"));
			cc_show_value(out, vg_xml_get(nv, "value"));
		}
		g_string_append_c(out, '\n');
	}
}

char *cc_show(const xmlNode *cfg)
{
	GString *out = g_string_new(NULL);
	const xmlNode *sec, *n;
	if ((sec = vg_xml_first(cfg, "nodes")))
		VG_XML_FOREACH(n, sec, "node")
		{
			GString *s = g_string_new(NULL);
			const char *id = vg_xml_get(n, "id"), *un = vg_xml_get(n, "uname");
			if (id && un && strcmp(id, un) != 0)
				g_string_append_printf(s, "node %s: %s", id, un);
			else
				g_string_append_printf(s, "node %s", un ? un : "");
			static const char *const attrs[] = {"id", "uname", "type", "description"};
			bool ok = un && known_attrs(n, attrs, G_N_ELEMENTS(attrs)) &&
			          g_strcmp0(vg_xml_get(n, "type"), "remote") != 0 &&
			          show_sections(s, n, true);
			if (ok)
				g_string_append_printf(out, "%s\n", s->str);
			else
				show_xml(out, n);
			g_string_free(s, TRUE);
		}
	if ((sec = vg_xml_first(cfg, "resources")))
		for (n = vg_xml_first(sec, NULL); n; n = vg_xml_next(n, NULL))
			show_rsc(out, n);
	if ((sec = vg_xml_first(cfg, "constraints")))
		for (n = vg_xml_first(sec, NULL); n; n = vg_xml_next(n, NULL))
			show_constraint(out, n);
	static const char *const whole[] = {"fencing-topology", "tags", "acls", "alerts"};
	for (size_t i = 0; i < G_N_ELEMENTS(whole); i++) {
		if (!(sec = vg_xml_first(cfg, whole[i])) || !vg_xml_first(sec, NULL))
			continue;
		GString *s = g_string_new(NULL);
		bool ok = i == 0 ? show_fencing(s, sec) : i == 1 ? show_tags(s, sec) : false;
		if (ok)
			g_string_append(out, s->str);
		else
			show_xml(out, sec);
		g_string_free(s, TRUE);
	}
	show_props(out, cfg, "crm_config", "cluster_property_set", "property");
	show_props(out, cfg, "rsc_defaults", "meta_attributes", "rsc_defaults");
	show_props(out, cfg, "op_defaults", "meta_attributes", "op_defaults");
	return g_string_free(out, FALSE);
}
