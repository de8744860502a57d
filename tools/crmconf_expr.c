/*
 * crmconf_expr.c: location rules and the resource lists of colocation and
 * order, both ways (crm text -> XML, XML -> crm text).
 *
 * Rules: "rule [$id=X] [$role=R] SCORE|ATTRIBUTE: expr (and|or expr)...",
 * expressions "[not_]defined ATTR", "ATTR [TYPE:]OP VALUE" (OP lt gt lte gte
 * eq ne; TYPE string integer number version), "date gt|lt DATE",
 * "date in_range start=.. end=..|duration=..".  Resource lists: two plain
 * resources become rsc/with-rsc (first/then) attributes; anything else is
 * resource sets: a run of plain resources is one set, "( ... )" a set with
 * sequential=false, "[ ... ]" also require-all=false.  Ids as crmsh makes
 * them (LOC-rule, LOC-rule-expression, CON-0 for sets).  What cannot be said
 * in this syntax (nested rules, date_spec, set scores) makes the show
 * functions return false: the caller prints the element as "xml ...".
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include "crmconf_private.h"

static const char *const binops[] = {"lt", "gt", "lte", "gte", "eq", "ne"};
static const char *const types[] = {"string", "integer", "number", "version"};

static bool in_list(const char *s, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(s, list[i]) == 0)
			return true;
	return false;
}

/* "TYPE:OP" or "OP" -> op and type (type NULL when none); false when not an operator. */
static bool split_op(const char *s, char **op, char **type)
{
	const char *colon = strchr(s, ':');
	*type = colon ? g_strndup(s, (gsize)(colon - s)) : NULL;
	*op = g_strdup(colon ? colon + 1 : s);
	if (in_list(*op, binops, G_N_ELEMENTS(binops)) &&
	    (!*type || in_list(*type, types, G_N_ELEMENTS(types))))
		return true;
	g_free(*op);
	g_free(*type);
	return false;
}

static int parse_date(cc_cur_t *c, xmlNode *e, vg_error_t *err)
{
	const cc_tok_t *t = cc_next(c);
	if (cc_is(t, "gt") || cc_is(t, "lt")) {
		vg_xml_set(e, "operation", t->text);
		const cc_tok_t *v = cc_next(c);
		if (!v)
			return cc_bad(c, v, err, "a date");
		vg_xml_set(e, cc_is(t, "gt") ? "start" : "end", v->text);
		return 0;
	}
	if (cc_is(t, "in_range") || cc_is(t, "in")) {
		vg_xml_set(e, "operation", "in_range");
		const cc_tok_t *v;
		int n = 0;
		while ((v = cc_peek(c)) &&
		       (g_str_has_prefix(v->text, "start=") || g_str_has_prefix(v->text, "end=") ||
		        g_str_has_prefix(v->text, "duration="))) {
			cc_next(c);
			char *k = g_strndup(v->text, (gsize)(strchr(v->text, '=') - v->text));
			vg_xml_set(e, k, strchr(v->text, '=') + 1);
			g_free(k);
			n++;
		}
		return n ? 0 : cc_bad(c, v, err, "start=, end= or duration=");
	}
	return cc_bad(c, t, err, "gt, lt or in_range after date");
}

static int parse_expr(cc_cur_t *c, xmlNode *rule, vg_error_t *err)
{
	const cc_tok_t *t = cc_next(c);
	if (!t)
		return cc_bad(c, t, err, "an expression");
	char *base = g_strdup_printf("%s-expression", vg_xml_get(rule, "id"));
	bool date = cc_is(t, "date");
	xmlNode *e = cc_child_id(c->ctx, rule, date ? "date_expression" : "expression", base);
	g_free(base);
	if (date)
		return parse_date(c, e, err);
	if (cc_is(t, "defined") || cc_is(t, "not_defined")) {
		const cc_tok_t *a = cc_next(c);
		if (!a)
			return cc_bad(c, a, err, "an attribute name");
		vg_xml_set(e, "operation", t->text);
		vg_xml_set(e, "attribute", a->text);
		return 0;
	}
	const cc_tok_t *o = cc_next(c);
	char *op = NULL, *type = NULL;
	if (!o || !split_op(o->text, &op, &type))
		return cc_bad(c, o, err, "an operator (lt gt lte gte eq ne, or TYPE:OP)");
	const cc_tok_t *v = cc_next(c);
	if (!v) {
		g_free(op);
		g_free(type);
		return cc_bad(c, v, err, "a value");
	}
	vg_xml_set(e, "operation", op);
	vg_xml_set(e, "attribute", t->text);
	vg_xml_set(e, "type", type);
	vg_xml_set(e, "value", v->text);
	g_free(op);
	g_free(type);
	return 0;
}

int cc_parse_rule(cc_cur_t *c, xmlNode *parent, const char *owner_id, vg_error_t *err)
{
	const cc_tok_t *t;
	char *id = NULL, *role = NULL;
	while ((t = cc_peek(c)) &&
	       (g_str_has_prefix(t->text, "$id=") || g_str_has_prefix(t->text, "$role="))) {
		cc_next(c);
		if (t->text[1] == 'i') {
			g_free(id);
			id = g_strdup(t->text + 4);
		} else {
			g_free(role);
			role = g_strdup(t->text + 6);
		}
	}
	char *base = id ? id : g_strdup_printf("%s-rule", owner_id);
	xmlNode *rule = cc_child_id(c->ctx, parent, "rule", base);
	g_free(base);
	/* crmsh writes role before score; attribute order does not matter to the CIB */
	vg_xml_set(rule, "role", role);
	g_free(role);
	t = cc_peek(c);
	if (t && !t->quoted && g_str_has_suffix(t->text, ":") && strlen(t->text) > 1) {
		cc_next(c);
		char *raw = g_strndup(t->text, strlen(t->text) - 1);
		char *sc = cc_score_text(raw);
		if (sc)
			vg_xml_set(rule, "score", sc);
		else
			vg_xml_set(rule, "score-attribute", raw);
		g_free(sc);
		g_free(raw);
	}
	int rc = parse_expr(c, rule, err);
	const char *bop = NULL;
	while (rc == 0 && (cc_is(cc_peek(c), "and") || cc_is(cc_peek(c), "or"))) {
		t = cc_next(c);
		if (bop && strcmp(bop, t->text) != 0)
			return cc_bad(c, t, err, "one kind of boolean operator per rule");
		bop = t->text;
		if (strcmp(bop, "or") == 0)
			vg_xml_set(rule, "boolean-op", "or");
		rc = parse_expr(c, rule, err);
	}
	return rc;
}

/* ------------------------------------------------------------ resource lists */

typedef struct item {
	char *rsc, *suffix; /* suffix: role (colocation) or action (order), may be NULL */
	int bracket;        /* 0 plain, '(' or '[' */
	int group;          /* bracket group number */
} item_t;

static void item_free(gpointer p)
{
	item_t *it = p;
	g_free(it->rsc);
	g_free(it->suffix);
	g_free(it);
}

static item_t *item_new(const char *text, int bracket, int group)
{
	item_t *it = g_new0(item_t, 1);
	const char *colon = strchr(text, ':');
	it->rsc = colon ? g_strndup(text, (gsize)(colon - text)) : g_strdup(text);
	it->suffix = colon ? g_strdup(colon + 1) : NULL;
	it->bracket = bracket;
	it->group = group;
	return it;
}

static void add_set(cc_cur_t *c, xmlNode *con, GPtrArray *items, guint from, guint to, bool order,
                    int *nsets)
{
	item_t *f = g_ptr_array_index(items, from);
	char *base = g_strdup_printf("%s-%d", vg_xml_get(con, "id"), (*nsets)++);
	xmlNode *set = cc_child_id(c->ctx, con, "resource_set", base);
	g_free(base);
	if (f->bracket == '[')
		vg_xml_set(set, "require-all", "false");
	if (f->bracket)
		vg_xml_set(set, "sequential", "false");
	if (f->suffix)
		vg_xml_set(set, order ? "action" : "role", f->suffix);
	for (guint i = from; i < to; i++) {
		item_t *it = g_ptr_array_index(items, i);
		xmlNode *ref = vg_xml_new_child(set, "resource_ref");
		vg_xml_set(ref, "id", it->rsc);
	}
}

int cc_parse_rsc_list(cc_cur_t *c, xmlNode *con, bool order, vg_error_t *err)
{
	GPtrArray *items = g_ptr_array_new_with_free_func(item_free);
	const cc_tok_t *t;
	int bracket = 0, group = 0, rc = 0;
	bool any_bracket = false;
	while ((t = cc_peek(c)) && (t->quoted || !strchr(t->text, '=') || bracket)) {
		cc_next(c);
		if (!t->quoted && (cc_is(t, "(") || cc_is(t, "["))) {
			if (bracket) {
				rc = cc_bad(c, t, err, "a resource or the closing bracket");
				goto out;
			}
			bracket = t->text[0];
			any_bracket = true;
			group++;
		} else if (!t->quoted && (cc_is(t, ")") || cc_is(t, "]"))) {
			if (!bracket || (bracket == '(') != cc_is(t, ")")) {
				rc = cc_bad(c, t, err, "a resource");
				goto out;
			}
			bracket = 0;
			group++;
		} else if (t->text[0] && !strchr("()[]{}", t->text[0])) {
			g_ptr_array_add(items, item_new(t->text, bracket, group));
		} else {
			rc = cc_bad(c, t, err, "a resource");
			goto out;
		}
	}
	if (bracket) {
		rc = cc_bad(c, t, err, "the closing bracket");
		goto out;
	}
	bool ticket = vg_xml_is(con, "rsc_ticket");
	if (items->len < (any_bracket || ticket ? 1u : 2u)) {
		rc = cc_bad(c, t, err, ticket ? "a resource" : "at least two resources");
		goto out;
	}
	if (ticket && items->len == 1 && !any_bracket) {
		item_t *a = g_ptr_array_index(items, 0);
		vg_xml_set(con, "rsc", a->rsc);
		vg_xml_set(con, "rsc-role", a->suffix);
	} else if (items->len == 2 && !any_bracket && !ticket) {
		item_t *a = g_ptr_array_index(items, 0), *b = g_ptr_array_index(items, 1);
		vg_xml_set(con, order ? "first" : "rsc", a->rsc);
		vg_xml_set(con, order ? "first-action" : "rsc-role", a->suffix);
		vg_xml_set(con, order ? "then" : "with-rsc", b->rsc);
		vg_xml_set(con, order ? "then-action" : "with-rsc-role", b->suffix);
	} else {
		int nsets = 0;
		guint from = 0;
		for (guint i = 1; i <= items->len; i++) {
			item_t *p = g_ptr_array_index(items, i - 1);
			item_t *it = i < items->len ? g_ptr_array_index(items, i) : NULL;
			if (it && it->group == p->group &&
			    (p->bracket || g_strcmp0(it->suffix, p->suffix) == 0))
				continue;
			add_set(c, con, items, from, i, order, &nsets);
			from = i;
		}
	}
	/* options after the resources */
	while ((t = cc_next(c))) {
		const char *eq = strchr(t->text, '=');
		static const char *const ok_order[] = {"symmetrical", "require-all"};
		static const char *const ok_coloc[] = {"node-attribute"};
		static const char *const ok_ticket[] = {"loss-policy"};
		char *k = eq ? g_strndup(t->text, (gsize)(eq - t->text)) : NULL;
		bool ok = k && (ticket  ? in_list(k, ok_ticket, G_N_ELEMENTS(ok_ticket))
		                : order ? in_list(k, ok_order, G_N_ELEMENTS(ok_order))
		                        : in_list(k, ok_coloc, G_N_ELEMENTS(ok_coloc)));
		if (!ok) {
			g_free(k);
			rc = cc_bad(c, t, err,
			            ticket  ? "loss-policy= or the end"
			            : order ? "symmetrical= or the end"
			                    : "node-attribute= or the end");
			goto out;
		}
		vg_xml_set(con, k, eq + 1);
		g_free(k);
	}
out:
	g_ptr_array_unref(items);
	return rc;
}

/* -------------------------------------------------------------------- show */

static void show_score(GString *out, const char *s)
{
	int v;
	if (s && vg_score_parse(s, &v) == 0 && (v >= VG_SCORE_INFINITY || v <= -VG_SCORE_INFINITY))
		g_string_append(out, v > 0 ? "inf" : "-inf");
	else
		g_string_append(out, s ? s : "0");
}

static bool only_attrs(const xmlNode *n, const char *const *ok, size_t nok)
{
	for (const xmlAttr *a = n->properties; a; a = a->next)
		if (!in_list((const char *)a->name, ok, nok))
			return false;
	return true;
}

static bool show_expr(GString *out, const xmlNode *e)
{
	static const char *const ok_e[] = {"id", "operation", "attribute", "type", "value"};
	static const char *const ok_d[] = {"id", "operation", "start", "end", "duration"};
	const char *op = vg_xml_get(e, "operation");
	if (!op)
		return false;
	if (vg_xml_is(e, "date_expression")) {
		if (!only_attrs(e, ok_d, G_N_ELEMENTS(ok_d)) || vg_xml_first(e, NULL))
			return false;
		if (strcmp(op, "gt") == 0 && vg_xml_get(e, "start")) {
			g_string_append(out, "date gt ");
			cc_show_value(out, vg_xml_get(e, "start"));
		} else if (strcmp(op, "lt") == 0 && vg_xml_get(e, "end")) {
			g_string_append(out, "date lt ");
			cc_show_value(out, vg_xml_get(e, "end"));
		} else if (strcmp(op, "in_range") == 0) {
			g_string_append(out, "date in_range");
			static const char *const keys[] = {"start", "end", "duration"};
			for (size_t i = 0; i < G_N_ELEMENTS(keys); i++)
				if (vg_xml_get(e, keys[i])) {
					g_string_append_printf(out, " %s=", keys[i]);
					cc_show_value(out, vg_xml_get(e, keys[i]));
				}
		} else {
			return false;
		}
		return true;
	}
	if (!vg_xml_is(e, "expression") || !only_attrs(e, ok_e, G_N_ELEMENTS(ok_e)) ||
	    !vg_xml_get(e, "attribute"))
		return false;
	if (strcmp(op, "defined") == 0 || strcmp(op, "not_defined") == 0) {
		g_string_append_printf(out, "%s ", op);
		cc_show_value(out, vg_xml_get(e, "attribute"));
		return true;
	}
	if (!in_list(op, binops, G_N_ELEMENTS(binops)) || !vg_xml_get(e, "value"))
		return false;
	cc_show_value(out, vg_xml_get(e, "attribute"));
	g_string_append_c(out, ' ');
	if (vg_xml_get(e, "type"))
		g_string_append_printf(out, "%s:", vg_xml_get(e, "type"));
	g_string_append_printf(out, "%s ", op);
	cc_show_value(out, vg_xml_get(e, "value"));
	return true;
}

bool cc_show_rule(GString *out, const xmlNode *rule, const char *owner)
{
	static const char *const ok[] = {"id", "role", "score", "score-attribute", "boolean-op"};
	if (!only_attrs(rule, ok, G_N_ELEMENTS(ok)))
		return false;
	const char *id = vg_xml_get(rule, "id");
	char *def = g_strdup_printf("%s-rule", owner);
	g_string_append(out, "rule ");
	if (id && !g_str_has_prefix(id, def))
		g_string_append_printf(out, "$id=%s ", id);
	g_free(def);
	if (vg_xml_get(rule, "role"))
		g_string_append_printf(out, "$role=%s ", vg_xml_get(rule, "role"));
	if (vg_xml_get(rule, "score-attribute"))
		g_string_append_printf(out, "%s: ", vg_xml_get(rule, "score-attribute"));
	else if (vg_xml_get(rule, "score")) {
		show_score(out, vg_xml_get(rule, "score"));
		g_string_append(out, ": ");
	}
	const char *bop = g_strcmp0(vg_xml_get(rule, "boolean-op"), "or") == 0 ? " or " : " and ";
	int n = 0;
	for (xmlNode *e = vg_xml_first(rule, NULL); e; e = vg_xml_next(e, NULL)) {
		if (n++)
			g_string_append(out, bop);
		if (!show_expr(out, e))
			return false;
	}
	return n > 0;
}

void cc_show_score(GString *out, const char *s)
{
	show_score(out, s);
}

bool cc_show_sets(GString *out, const xmlNode *con, bool order)
{
	static const char *const ok[] = {"id", "sequential", "require-all", "action", "role"};
	const xmlNode *set;
	bool prev_plain = false;
	const char *prev_sfx = NULL;
	int n = 0;
	VG_XML_FOREACH(set, con, "resource_set")
	{
		if (!only_attrs(set, ok, G_N_ELEMENTS(ok)))
			return false;
		const char *sfx = vg_xml_get(set, order ? "action" : "role");
		if (vg_xml_get(set, order ? "role" : "action"))
			return false;
		bool seq = g_strcmp0(vg_xml_get(set, "sequential"), "false") != 0;
		bool all = g_strcmp0(vg_xml_get(set, "require-all"), "false") != 0;
		if (!seq && all && vg_xml_get(set, "require-all"))
			return false;
		int nref = 0;
		const xmlNode *ref;
		VG_XML_FOREACH(ref, set, "resource_ref")
		nref++;
		/* two plain sets in a row read back as one unless their suffixes differ */
		if (seq && ((prev_plain && g_strcmp0(prev_sfx, sfx) == 0) || !all))
			return false;
		bool lone = !vg_xml_next(set, "resource_set") && n == 0;
		bool ticket = vg_xml_is(con, "rsc_ticket");
		/* a lone plain set would read back as attributes (two members; one for tickets) */
		if (seq && lone && nref == (ticket ? 1 : 2))
			return false;
		if (nref == 0)
			return false;
		if (!seq)
			g_string_append(out, all ? " (" : " [");
		VG_XML_FOREACH(ref, set, "resource_ref")
		{
			g_string_append_printf(out, " %s", vg_xml_get(ref, "id"));
			if (sfx)
				g_string_append_printf(out, ":%s", sfx);
		}
		if (!seq)
			g_string_append(out, all ? " )" : " ]");
		prev_plain = seq;
		prev_sfx = sfx;
		n++;
	}
	return n > 0;
}
