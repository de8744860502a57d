/*
 * crmconf_parse.c: one crm-style statement into CIB elements.
 *
 * Owns the statements node, primitive, group, clone, ms, location,
 * colocation, order, property, rsc_defaults, op_defaults and xml (a raw XML
 * element), one handler per keyword in one table.  Ids of generated
 * elements follow crmsh ("ip-instance_attributes", "ip-monitor-10s",
 * "cib-bootstrap-options-<name>"; a taken id gets "-0", "-1" ...), so a
 * configuration typed for crmsh and loaded here gives the same XML.
 * Deviation: `ms` makes a <clone> with meta promotable=true (the current
 * schema has no <master>).  Bare agent types mean ocf:heartbeat:TYPE.
 * Never writes the CIB: it edits the in-memory <configuration> it is given.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <string.h>

#include "crmconf_private.h"

/* --------------------------------------------------------------- helpers */

const cc_tok_t *cc_peek(const cc_cur_t *c)
{
	return c->i < c->s->toks->len ? g_ptr_array_index(c->s->toks, c->i) : NULL;
}

const cc_tok_t *cc_next(cc_cur_t *c)
{
	const cc_tok_t *t = cc_peek(c);
	if (t)
		c->i++;
	return t;
}

bool cc_is(const cc_tok_t *t, const char *word)
{
	return t && !t->quoted && strcmp(t->text, word) == 0;
}

int cc_bad(const cc_cur_t *c, const cc_tok_t *t, vg_error_t *err, const char *expected)
{
	const cc_tok_t *first = g_ptr_array_index(c->s->toks, 0);
	if (!t)
		return vg_error_set(err, VG_EPARSE,
		                    "%s:%d: %s: unexpected end of statement, expected %s",
		                    c->ctx->what, c->s->line, first->text, expected);
	return vg_error_set(err, VG_EPARSE, "%s:%d: %s: unexpected token '%s', expected %s",
	                    c->ctx->what, t->line, first->text, t->text, expected);
}

char *cc_new_id(cc_ctx_t *ctx, const char *base)
{
	if (!g_hash_table_contains(ctx->ids, base))
		return g_strdup(base);
	for (int i = 0;; i++) {
		char *id = g_strdup_printf("%s-%d", base, i);
		if (!g_hash_table_contains(ctx->ids, id))
			return id;
		g_free(id);
	}
}

xmlNode *cc_child_id(cc_ctx_t *ctx, xmlNode *parent, const char *name, const char *base)
{
	xmlNode *n = vg_xml_new_child(parent, name);
	char *id = cc_new_id(ctx, base);
	vg_xml_set(n, "id", id);
	g_hash_table_insert(ctx->ids, (gpointer)vg_xml_get(n, "id"), n);
	g_free(id);
	return n;
}

char *cc_score_text(const char *s)
{
	int v;
	if (!s || !*s || vg_score_parse(s, &v) != 0)
		return NULL;
	if (v >= VG_SCORE_INFINITY)
		return g_strdup("INFINITY");
	if (v <= -VG_SCORE_INFINITY)
		return g_strdup("-INFINITY");
	return g_strdup_printf("%d", v);
}

static void index_tree(GHashTable *ids, xmlNode *n)
{
	for (xmlNode *c = n; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		const char *id = vg_xml_get(c, "id");
		/* resource_ref ids refer to resources: not definitions */
		if (id && !vg_xml_is(c, "resource_ref") && !g_hash_table_contains(ids, id))
			g_hash_table_insert(ids, (gpointer)id, c);
		index_tree(ids, c->children);
	}
}

void cc_reindex(cc_ctx_t *ctx)
{
	g_hash_table_remove_all(ctx->ids);
	index_tree(ctx->ids, xmlDocGetRootElement(ctx->cfg->doc));
}

static xmlNode *section(cc_ctx_t *ctx, const char *name)
{
	xmlNode *s = vg_xml_first(ctx->cfg, name);
	return s ? s : vg_xml_new_child(ctx->cfg, name);
}

/* The object `id` may be (re)defined: free, or replaced when updating. */
static int claim_id(cc_cur_t *c, const cc_tok_t *t, vg_error_t *err)
{
	xmlNode *old = g_hash_table_lookup(c->ctx->ids, t->text);
	if (!old)
		return 0;
	if (!c->ctx->update)
		return vg_error_set(err, VG_EEXIST, "%s:%d: an object with id '%s' already exists",
		                    c->ctx->what, t->line, t->text);
	/* a redefined group or clone lets its members go first, so that the new
	 * definition can take them again */
	if (vg_xml_is(old, "group") || vg_xml_is(old, "clone") || vg_xml_is(old, "master")) {
		xmlNode *m = vg_xml_first(old, NULL), *next;
		for (; m; m = next) {
			next = vg_xml_next(m, NULL);
			if (vg_xml_is(m, "primitive") || vg_xml_is(m, "group")) {
				xmlUnlinkNode(m);
				xmlAddPrevSibling(old, m);
			}
		}
	}
	xmlUnlinkNode(old);
	xmlFreeNode(old);
	cc_reindex(c->ctx);
	return 0;
}

static bool is_name(const char *s)
{
	if (!s || !*s || !(g_ascii_isalpha(*s) || *s == '_'))
		return false;
	for (; *s; s++)
		if (!(g_ascii_isalnum(*s) || strchr("_-.:", *s)))
			return false;
	return true;
}

static int want_id(cc_cur_t *c, const cc_tok_t **out, vg_error_t *err)
{
	const cc_tok_t *t = cc_next(c);
	if (!t || t->quoted || !is_name(t->text) || strchr(t->text, ':'))
		return cc_bad(c, t, err, "an id");
	*out = t;
	return 0;
}

/* "name=value" split; false when the token is not one. */
static bool split_nv(const cc_tok_t *t, char **name, const char **value)
{
	const char *eq = t ? strchr(t->text, '=') : NULL;
	if (!eq || eq == t->text)
		return false;
	*name = g_strndup(t->text, (gsize)(eq - t->text));
	*value = eq + 1;
	return true;
}

/*
 * "[$id=X] name=value ..." into a new set element `set_name` under parent,
 * id X or BASE-set_name.  Stops at the first token that is not name=value.
 */
static int parse_nvset(cc_cur_t *c, xmlNode *parent, const char *set_name, const char *owner,
                       const char *suffix, vg_error_t *err)
{
	const cc_tok_t *t = cc_peek(c);
	char *base = NULL;
	if (t && g_str_has_prefix(t->text, "$id=")) {
		base = g_strdup(t->text + 4);
		cc_next(c);
	} else {
		base = g_strdup_printf("%s-%s", owner, suffix);
	}
	xmlNode *set = cc_child_id(c->ctx, parent, set_name, base);
	g_free(base);
	int n = 0;
	char *name;
	const char *value;
	while ((t = cc_peek(c)) && split_nv(t, &name, &value)) {
		cc_next(c);
		char *nbase = g_strdup_printf("%s-%s", vg_xml_get(set, "id"), name);
		xmlNode *nv = cc_child_id(c->ctx, set, "nvpair", nbase);
		vg_xml_set(nv, "name", name);
		vg_xml_set(nv, "value", value);
		g_free(nbase);
		g_free(name);
		n++;
	}
	if (n == 0)
		return cc_bad(c, cc_peek(c), err, "name=value");
	return 0;
}

/* "op NAME name=value ..." -> <operations><op id=RSC-NAME-INTERVAL>. */
static int parse_op(cc_cur_t *c, xmlNode *prim, const char *rid, vg_error_t *err)
{
	const cc_tok_t *t = cc_next(c);
	if (!t || !is_name(t->text))
		return cc_bad(c, t, err, "an operation name");
	xmlNode *ops = vg_xml_first(prim, "operations");
	if (!ops)
		ops = vg_xml_new_child(prim, "operations");
	xmlNode *op = vg_xml_new_child(ops, "op");
	vg_xml_set(op, "name", t->text);
	char *name;
	const char *value;
	while ((t = cc_peek(c)) && split_nv(t, &name, &value)) {
		cc_next(c);
		if (strcmp(name, "$id") == 0)
			vg_xml_set(op, "id", value);
		else
			vg_xml_set(op, name, value);
		g_free(name);
	}
	if (!vg_xml_get(op, "interval"))
		vg_xml_set(op, "interval", "0");
	if (!vg_xml_get(op, "id")) {
		char *base = g_strdup_printf("%s-%s-%s", rid, vg_xml_get(op, "name"),
		                             vg_xml_get(op, "interval"));
		char *id = cc_new_id(c->ctx, base);
		vg_xml_set(op, "id", id);
		g_free(id);
		g_free(base);
	}
	g_hash_table_insert(c->ctx->ids, (gpointer)vg_xml_get(op, "id"), op);
	return 0;
}

/* params / meta / utilization sections shared by resources and nodes. */
static int parse_attr_sections(cc_cur_t *c, xmlNode *el, const char *id, bool rsc, vg_error_t *err)
{
	const cc_tok_t *t;
	int rc = 0;
	while (rc == 0 && (t = cc_next(c))) {
		if (cc_is(t, "params") || (!rsc && cc_is(t, "attributes")))
			rc = parse_nvset(c, el, "instance_attributes", id, "instance_attributes",
			                 err);
		else if (cc_is(t, "meta") && rsc)
			rc = parse_nvset(c, el, "meta_attributes", id, "meta_attributes", err);
		else if (cc_is(t, "utilization"))
			rc = parse_nvset(c, el, "utilization", id, "utilization", err);
		else if (cc_is(t, "op") && rsc && vg_xml_is(el, "primitive"))
			rc = parse_op(c, el, id, err);
		else if (g_str_has_prefix(t->text, "description="))
			vg_xml_set(el, "description", t->text + strlen("description="));
		else
			return cc_bad(c, t, err,
			              rsc ? "params, meta, utilization or op"
			                  : "attributes or utilization");
	}
	return rc;
}

/* ------------------------------------------------------------ resources */

static int st_primitive(cc_cur_t *c, vg_error_t *err)
{
	const cc_tok_t *id, *agent;
	int rc;
	if ((rc = want_id(c, &id, err)) || (rc = claim_id(c, id, err)))
		return rc;
	agent = cc_next(c);
	if (!agent || !*agent->text)
		return cc_bad(c, agent, err, "an agent (class:provider:type)");
	char **parts = g_strsplit(agent->text, ":", 4);
	guint n = g_strv_length(parts);
	xmlNode *p = vg_xml_new_child(section(c->ctx, "resources"), "primitive");
	vg_xml_set(p, "id", id->text);
	g_hash_table_insert(c->ctx->ids, (gpointer)vg_xml_get(p, "id"), p);
	if (n == 1) {
		vg_xml_set(p, "class", "ocf");
		vg_xml_set(p, "provider", "heartbeat");
		vg_xml_set(p, "type", parts[0]);
	} else if (n == 2) {
		vg_xml_set(p, "class", parts[0]);
		vg_xml_set(p, "type", parts[1]);
	} else if (n == 3 && strcmp(parts[0], "ocf") == 0) {
		vg_xml_set(p, "class", parts[0]);
		vg_xml_set(p, "provider", parts[1]);
		vg_xml_set(p, "type", parts[2]);
	} else {
		g_strfreev(parts);
		return cc_bad(c, agent, err, "an agent (class:provider:type)");
	}
	g_strfreev(parts);
	if (strcmp(vg_xml_get(p, "class"), "ocf") == 0 && n == 2)
		return cc_bad(c, agent, err, "an ocf agent with a provider (ocf:PROVIDER:TYPE)");
	return parse_attr_sections(c, p, id->text, true, err);
}

/* A resource for group/clone: must exist at the top level; moved inside. */
static xmlNode *take_rsc(cc_cur_t *c, const cc_tok_t *t, vg_error_t *err)
{
	xmlNode *r = t ? g_hash_table_lookup(c->ctx->ids, t->text) : NULL;
	if (!t || t->quoted) {
		cc_bad(c, t, err, "a resource id");
		return NULL;
	}
	if (!r || !(vg_xml_is(r, "primitive") || vg_xml_is(r, "group"))) {
		vg_error_set(err, VG_ENOENT, "%s:%d: no primitive or group '%s' to put inside",
		             c->ctx->what, t->line, t->text);
		return NULL;
	}
	if (!vg_xml_is(r->parent, "resources")) {
		vg_error_set(err, VG_EINVAL, "%s:%d: resource '%s' is already inside '%s'",
		             c->ctx->what, t->line, t->text, vg_xml_get(r->parent, "id"));
		return NULL;
	}
	return r;
}

static bool is_section_kw(const cc_tok_t *t)
{
	return cc_is(t, "params") || cc_is(t, "meta") || cc_is(t, "utilization") ||
	       (t && g_str_has_prefix(t->text, "description="));
}

static int st_group(cc_cur_t *c, vg_error_t *err)
{
	const cc_tok_t *id, *t;
	int rc;
	if ((rc = want_id(c, &id, err)) || (rc = claim_id(c, id, err)))
		return rc;
	xmlNode *g = vg_xml_new_child(NULL, "group");
	vg_xml_set(g, "id", id->text);
	GPtrArray *members = g_ptr_array_new();
	while ((t = cc_peek(c)) && !is_section_kw(t)) {
		cc_next(c);
		xmlNode *m = take_rsc(c, t, err);
		if (!m || !vg_xml_is(m, "primitive")) {
			if (m)
				vg_error_set(err, VG_EINVAL,
				             "%s:%d: group members are primitives ('%s' is not)",
				             c->ctx->what, t->line, t->text);
			g_ptr_array_unref(members);
			xmlFreeNode(g);
			return VG_EPARSE;
		}
		g_ptr_array_add(members, m);
	}
	if (members->len == 0) {
		g_ptr_array_unref(members);
		xmlFreeNode(g);
		return cc_bad(c, t, err, "group members");
	}
	/* appended at the end of the resources, as crmsh does */
	xmlAddChild(section(c->ctx, "resources"), g);
	g_hash_table_insert(c->ctx->ids, (gpointer)vg_xml_get(g, "id"), g);
	rc = parse_attr_sections(c, g, id->text, true, err);
	for (guint i = 0; i < members->len; i++) {
		xmlNode *m = g_ptr_array_index(members, i);
		xmlUnlinkNode(m);
		xmlAddChild(g, m);
	}
	g_ptr_array_unref(members);
	return rc;
}

static int clone_like(cc_cur_t *c, bool promotable, vg_error_t *err)
{
	const cc_tok_t *id, *t;
	int rc;
	if ((rc = want_id(c, &id, err)) || (rc = claim_id(c, id, err)))
		return rc;
	t = cc_next(c);
	xmlNode *child = take_rsc(c, t, err);
	if (!child)
		return VG_EPARSE;
	xmlNode *cl = vg_xml_new_child(section(c->ctx, "resources"), "clone");
	vg_xml_set(cl, "id", id->text);
	g_hash_table_insert(c->ctx->ids, (gpointer)vg_xml_get(cl, "id"), cl);
	rc = parse_attr_sections(c, cl, id->text, true, err);
	if (rc == 0 && promotable) {
		xmlNode *meta = vg_xml_first(cl, "meta_attributes");
		if (!meta) {
			char *b = g_strdup_printf("%s-meta_attributes", id->text);
			meta = cc_child_id(c->ctx, cl, "meta_attributes", b);
			g_free(b);
		}
		char *b = g_strdup_printf("%s-promotable", vg_xml_get(meta, "id"));
		xmlNode *nv = cc_child_id(c->ctx, meta, "nvpair", b);
		g_free(b);
		vg_xml_set(nv, "name", "promotable");
		vg_xml_set(nv, "value", "true");
	}
	xmlUnlinkNode(child);
	xmlAddChild(cl, child);
	return rc;
}

static int st_clone(cc_cur_t *c, vg_error_t *err)
{
	return clone_like(c, false, err);
}

static int st_ms(cc_cur_t *c, vg_error_t *err)
{
	return clone_like(c, true, err);
}

/* "node [ID:] NAME [attributes ...] [utilization ...]" */
static int st_node(cc_cur_t *c, vg_error_t *err)
{
	const cc_tok_t *t = cc_next(c);
	char *id = NULL;
	if (t && g_str_has_suffix(t->text, ":") && !t->quoted) {
		id = g_strndup(t->text, strlen(t->text) - 1);
		t = cc_next(c);
	}
	if (!t || !is_name(t->text)) {
		g_free(id);
		return cc_bad(c, t, err, "a node name");
	}
	xmlNode *nodes = section(c->ctx, "nodes"), *n, *old = NULL;
	VG_XML_FOREACH(n, nodes, "node")
	if (g_strcmp0(vg_xml_get(n, "uname"), t->text) == 0)
		old = n;
	if (old) {
		if (!c->ctx->update) {
			g_free(id);
			return vg_error_set(err, VG_EEXIST, "%s:%d: node '%s' already exists",
			                    c->ctx->what, t->line, t->text);
		}
		if (!id)
			id = g_strdup(vg_xml_get(old, "id"));
		xmlUnlinkNode(old);
		xmlFreeNode(old);
		cc_reindex(c->ctx);
	}
	n = vg_xml_new_child(nodes, "node");
	vg_xml_set(n, "id", id ? id : t->text);
	vg_xml_set(n, "uname", t->text);
	g_free(id);
	return parse_attr_sections(c, n, t->text, false, err);
}

/* ----------------------------------------------------------- constraints */

static int st_location(cc_cur_t *c, vg_error_t *err)
{
	const cc_tok_t *id, *t;
	int rc;
	if ((rc = want_id(c, &id, err)) || (rc = claim_id(c, id, err)))
		return rc;
	t = cc_next(c);
	if (!t || !*t->text)
		return cc_bad(c, t, err, "a resource");
	xmlNode *l = vg_xml_new_child(section(c->ctx, "constraints"), "rsc_location");
	vg_xml_set(l, "id", id->text);
	g_hash_table_insert(c->ctx->ids, (gpointer)vg_xml_get(l, "id"), l);
	size_t len = strlen(t->text);
	if (len > 2 && t->text[0] == '/' && t->text[len - 1] == '/') {
		char *pat = g_strndup(t->text + 1, len - 2);
		vg_xml_set(l, "rsc-pattern", pat);
		g_free(pat);
	} else if (is_name(t->text)) {
		vg_xml_set(l, "rsc", t->text);
	} else {
		return cc_bad(c, t, err, "a resource or /pattern/");
	}
	char *name;
	const char *value;
	while ((t = cc_peek(c)) && split_nv(t, &name, &value)) {
		cc_next(c);
		if (strcmp(name, "resource-discovery") && strcmp(name, "role")) {
			g_free(name);
			return cc_bad(c, t, err, "resource-discovery=, role=, a score or rule");
		}
		vg_xml_set(l, name, value);
		g_free(name);
	}
	t = cc_next(c);
	if (cc_is(t, "rule")) {
		rc = cc_parse_rule(c, l, id->text, err);
		while (rc == 0 && cc_is(cc_peek(c), "rule")) {
			cc_next(c);
			rc = cc_parse_rule(c, l, id->text, err);
		}
		if (rc == 0 && cc_peek(c))
			return cc_bad(c, cc_peek(c), err, "another rule or the end");
		return rc;
	}
	/* "SCORE: NODE [role=R]" */
	char *sc = NULL;
	if (t && g_str_has_suffix(t->text, ":")) {
		char *raw = g_strndup(t->text, strlen(t->text) - 1);
		sc = cc_score_text(raw);
		g_free(raw);
	}
	if (!sc)
		return cc_bad(c, t, err, "a score (e.g. 100: or -inf:) or rule");
	vg_xml_set(l, "score", sc);
	g_free(sc);
	t = cc_next(c);
	if (!t || !is_name(t->text))
		return cc_bad(c, t, err, "a node name");
	vg_xml_set(l, "node", t->text);
	while ((t = cc_next(c))) {
		if (!g_str_has_prefix(t->text, "role=") &&
		    !g_str_has_prefix(t->text, "resource-discovery="))
			return cc_bad(c, t, err, "role= or the end");
		char *k = g_strndup(t->text, (gsize)(strchr(t->text, '=') - t->text));
		vg_xml_set(l, k, strchr(t->text, '=') + 1);
		g_free(k);
	}
	return 0;
}

/* "colocation|order ID SCORE|KIND: rsc rsc ... [opt=value...]" */
static int constraint2(cc_cur_t *c, bool order, vg_error_t *err)
{
	const cc_tok_t *id, *t;
	int rc;
	if ((rc = want_id(c, &id, err)) || (rc = claim_id(c, id, err)))
		return rc;
	xmlNode *con = vg_xml_new_child(section(c->ctx, "constraints"),
	                                order ? "rsc_order" : "rsc_colocation");
	vg_xml_set(con, "id", id->text);
	g_hash_table_insert(c->ctx->ids, (gpointer)vg_xml_get(con, "id"), con);
	t = cc_next(c);
	if (!t || !g_str_has_suffix(t->text, ":"))
		return cc_bad(c, t, err,
		              order ? "a kind (Mandatory: Optional: Serialize:) or score"
		                    : "a score (e.g. inf:)");
	char *raw = g_strndup(t->text, strlen(t->text) - 1);
	char *sc = cc_score_text(raw);
	if (order && !sc &&
	    (!strcmp(raw, "Mandatory") || !strcmp(raw, "Optional") || !strcmp(raw, "Serialize"))) {
		vg_xml_set(con, "kind", raw);
	} else if (order && sc) {
		/* crmsh: a positive score is Mandatory, 0 Optional, negative kept as score */
		int v = 0;
		vg_score_parse(sc, &v);
		if (v > 0)
			vg_xml_set(con, "kind", "Mandatory");
		else if (v == 0)
			vg_xml_set(con, "kind", "Optional");
		else
			vg_xml_set(con, "score", sc);
	} else if (!order && sc) {
		vg_xml_set(con, "score", sc);
	} else {
		g_free(raw);
		g_free(sc);
		return cc_bad(c, t, err,
		              order ? "a kind (Mandatory: Optional: Serialize:) or score"
		                    : "a score (e.g. inf:)");
	}
	g_free(raw);
	g_free(sc);
	return cc_parse_rsc_list(c, con, order, err);
}

static int st_colocation(cc_cur_t *c, vg_error_t *err)
{
	return constraint2(c, false, err);
}

static int st_order(cc_cur_t *c, vg_error_t *err)
{
	return constraint2(c, true, err);
}

/* "rsc_ticket ID TICKET: RSC[:ROLE]... [loss-policy=P]" */
static int st_rsc_ticket(cc_cur_t *c, vg_error_t *err)
{
	const cc_tok_t *id, *t;
	int rc;
	if ((rc = want_id(c, &id, err)) || (rc = claim_id(c, id, err)))
		return rc;
	t = cc_next(c);
	if (!t || !g_str_has_suffix(t->text, ":") || strlen(t->text) < 2)
		return cc_bad(c, t, err, "a ticket name followed by ':'");
	xmlNode *con = vg_xml_new_child(section(c->ctx, "constraints"), "rsc_ticket");
	vg_xml_set(con, "id", id->text);
	g_hash_table_insert(c->ctx->ids, (gpointer)vg_xml_get(con, "id"), con);
	char *ticket = g_strndup(t->text, strlen(t->text) - 1);
	vg_xml_set(con, "ticket", ticket);
	g_free(ticket);
	return cc_parse_rsc_list(c, con, false, err);
}

/* "tag ID[:] RSC..." */
static int st_tag(cc_cur_t *c, vg_error_t *err)
{
	const cc_tok_t *t = cc_next(c);
	if (!t || t->quoted)
		return cc_bad(c, t, err, "a tag id");
	char *id = g_str_has_suffix(t->text, ":") ? g_strndup(t->text, strlen(t->text) - 1)
	                                          : g_strdup(t->text);
	cc_tok_t fake = {.text = id, .line = t->line};
	int rc = is_name(id) ? claim_id(c, &fake, err) : cc_bad(c, t, err, "a tag id");
	if (rc) {
		g_free(id);
		return rc;
	}
	xmlNode *tag = vg_xml_new_child(section(c->ctx, "tags"), "tag");
	vg_xml_set(tag, "id", id);
	g_hash_table_insert(c->ctx->ids, (gpointer)vg_xml_get(tag, "id"), tag);
	g_free(id);
	int n = 0;
	while ((t = cc_next(c))) {
		if (!is_name(t->text))
			return cc_bad(c, t, err, "a resource id");
		vg_xml_set(vg_xml_new_child(tag, "obj_ref"), "id", t->text);
		n++;
	}
	return n ? 0 : cc_bad(c, NULL, err, "the tagged resources");
}

/* "fencing_topology TARGET: DEV[,DEV]... [DEV...] [TARGET: ...]": one level
 * per blank-separated device list, indexes counted per target; the section
 * is replaced whole. */
static int st_fencing(cc_cur_t *c, vg_error_t *err)
{
	xmlNode *old = vg_xml_first(c->ctx->cfg, "fencing-topology");
	if (old) {
		xmlUnlinkNode(old);
		xmlFreeNode(old);
		cc_reindex(c->ctx);
	}
	xmlNode *ft = vg_xml_new_child(c->ctx->cfg, "fencing-topology");
	const cc_tok_t *t;
	char *target = NULL;
	int index = 0, n = 0;
	while ((t = cc_next(c))) {
		if (g_str_has_suffix(t->text, ":") && strlen(t->text) > 1) {
			g_free(target);
			target = g_strndup(t->text, strlen(t->text) - 1);
			index = 0;
			continue;
		}
		if (!target) {
			g_free(target);
			return cc_bad(c, t, err, "a target node followed by ':'");
		}
		xmlNode *lvl = vg_xml_new_child(ft, "fencing-level");
		vg_xml_set(lvl, "target", target);
		vg_xml_set_int(lvl, "index", ++index);
		vg_xml_set(lvl, "devices", t->text);
		char *id = cc_new_id(c->ctx, "fencing");
		vg_xml_set(lvl, "id", id);
		g_hash_table_insert(c->ctx->ids, (gpointer)vg_xml_get(lvl, "id"), lvl);
		g_free(id);
		n++;
	}
	g_free(target);
	return n ? 0 : cc_bad(c, NULL, err, "TARGET: DEVICES");
}

/* ------------------------------------------------------------- properties */

/* "property|rsc_defaults|op_defaults [$id=X | X:] name=value ..." merged into
 * the set (created when missing). */
static int nv_section(cc_cur_t *c, const char *sect, const char *set_name, const char *def_id,
                      vg_error_t *err)
{
	const cc_tok_t *t = cc_peek(c);
	char *sid = NULL;
	if (t && g_str_has_prefix(t->text, "$id=")) {
		sid = g_strdup(t->text + 4);
		cc_next(c);
	} else if (t && g_str_has_suffix(t->text, ":") && !strchr(t->text, '=')) {
		sid = g_strndup(t->text, strlen(t->text) - 1);
		cc_next(c);
	} else {
		sid = g_strdup(def_id);
	}
	xmlNode *sec = section(c->ctx, sect), *set = NULL, *s;
	VG_XML_FOREACH(s, sec, set_name)
	if (g_strcmp0(vg_xml_get(s, "id"), sid) == 0)
		set = s;
	if (!set) {
		set = vg_xml_new_child(sec, set_name);
		vg_xml_set(set, "id", sid);
		g_hash_table_insert(c->ctx->ids, (gpointer)vg_xml_get(set, "id"), set);
	}
	g_free(sid);
	int n = 0;
	char *name;
	const char *value;
	while ((t = cc_next(c))) {
		if (!split_nv(t, &name, &value))
			return cc_bad(c, t, err, "name=value");
		xmlNode *nv = NULL, *p;
		VG_XML_FOREACH(p, set, "nvpair")
		if (g_strcmp0(vg_xml_get(p, "name"), name) == 0)
			nv = p;
		if (!nv) {
			char *b = g_strdup_printf("%s-%s", vg_xml_get(set, "id"), name);
			nv = cc_child_id(c->ctx, set, "nvpair", b);
			g_free(b);
			vg_xml_set(nv, "name", name);
		}
		vg_xml_set(nv, "value", value);
		g_free(name);
		n++;
	}
	return n ? 0 : cc_bad(c, NULL, err, "name=value");
}

static int st_property(cc_cur_t *c, vg_error_t *err)
{
	return nv_section(c, "crm_config", "cluster_property_set", "cib-bootstrap-options", err);
}

static int st_rsc_defaults(cc_cur_t *c, vg_error_t *err)
{
	return nv_section(c, "rsc_defaults", "meta_attributes", "rsc-options", err);
}

static int st_op_defaults(cc_cur_t *c, vg_error_t *err)
{
	return nv_section(c, "op_defaults", "meta_attributes", "op-options", err);
}

/* Configuration sections "xml" may replace whole. */
static bool whole_section(const char *name)
{
	return !strcmp(name, "fencing-topology") || !strcmp(name, "tags") ||
	       !strcmp(name, "acls") || !strcmp(name, "alerts");
}

/* "xml <element .../>": what the language has no words for, as show prints
 * it (the lexer keeps the rest of the line as one token). */
static int st_xml(cc_cur_t *c, vg_error_t *err)
{
	const cc_tok_t *t = cc_next(c);
	if (!t || cc_peek(c))
		return cc_bad(c, t, err, "one XML element");
	xmlDoc *doc = NULL;
	vg_error_t perr = {0};
	int rc = vg_xml_parse(t->text, strlen(t->text), "xml statement", NULL, &doc, &perr);
	if (rc)
		return vg_error_set(err, VG_EPARSE, "%s:%d: xml: %s", c->ctx->what, t->line,
		                    perr.msg);
	xmlNode *root = xmlDocGetRootElement(doc);
	const char *name = vg_xml_name(root);
	const char *sect = g_str_has_prefix(name, "rsc_")              ? "constraints"
	                   : strcmp(name, "node") == 0                 ? "nodes"
	                   : strcmp(name, "cluster_property_set") == 0 ? "crm_config"
	                                                               : "resources";
	const char *id = vg_xml_get(root, "id");
	xmlNode *old = id ? g_hash_table_lookup(c->ctx->ids, id) : NULL;
	if (whole_section(name)) {
		old = vg_xml_first(c->ctx->cfg, name);
		sect = NULL;
	} else if (old && !c->ctx->update) {
		xmlFreeDoc(doc);
		return vg_error_set(err, VG_EEXIST, "%s:%d: an object with id '%s' already exists",
		                    c->ctx->what, t->line, id);
	}
	if (old) {
		xmlUnlinkNode(old);
		xmlFreeNode(old);
	}
	xmlAddChild(sect ? section(c->ctx, sect) : c->ctx->cfg,
	            xmlDocCopyNode(root, c->ctx->cfg->doc, 1));
	xmlFreeDoc(doc);
	cc_reindex(c->ctx);
	return 0;
}

/* ------------------------------------------------------------- dispatch */

typedef int (*stmt_fn)(cc_cur_t *c, vg_error_t *err);

static const struct {
	const char *word;
	stmt_fn fn;
} statements[] = {
    {"node", st_node},
    {"primitive", st_primitive},
    {"group", st_group},
    {"clone", st_clone},
    {"ms", st_ms},
    {"master", st_ms},
    {"location", st_location},
    {"colocation", st_colocation},
    {"collocation", st_colocation},
    {"order", st_order},
    {"rsc_ticket", st_rsc_ticket},
    {"tag", st_tag},
    {"fencing_topology", st_fencing},
    {"property", st_property},
    {"rsc_defaults", st_rsc_defaults},
    {"op_defaults", st_op_defaults},
    {"xml", st_xml},
};

int cc_apply(cc_ctx_t *ctx, const cc_stmt_t *s, vg_error_t *err)
{
	cc_cur_t c = {.s = s, .i = 0, .ctx = ctx};
	const cc_tok_t *t = cc_next(&c);
	for (size_t i = 0; t && i < G_N_ELEMENTS(statements); i++)
		if (cc_is(t, statements[i].word))
			return statements[i].fn(&c, err);
	return vg_error_set(
	    err, VG_EPARSE,
	    "%s:%d: unknown statement '%s' (expected node, primitive, group, clone, "
	    "ms, location, colocation, order, rsc_ticket, tag, fencing_topology, "
	    "property, rsc_defaults, op_defaults or xml)",
	    ctx->what, s->line, t ? t->text : "");
}
