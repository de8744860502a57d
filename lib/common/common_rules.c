/*
 * Rule evaluation with Pacemaker's semantics: <rule> (boolean-op and/or,
 * nesting, id-ref), <expression> (node attributes compared as string,
 * integer, number or version; defined/not_defined; value-source literal,
 * param or meta; #role), <rsc_expression> and <op_expression>.
 * <date_expression> lives in common_rules_date.c.
 *
 * Like Pacemaker, a rule stops at the first sub-expression that decides it,
 * so *next_change only comes from the expressions that were looked at: the
 * outcome cannot change before one of those does.  An invalid expression
 * counts as false and is reported (VG_EINVAL); evaluation goes on.
 * Never touches the tree or any state outside the caller's context.
 *
 * <rsc_expression> without provider matches only resources without one (an
 * ocf resource never), as the Pacemaker 2.1.5 scheduler does.
 * Deviation: a dangling rule id-ref is false (Pacemaker: an empty rule).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define VG_LOG_SUBSYS "rules"
#include "common_rules_private.h"

/* Nested rules (and id-ref chains) deeper than this are refused: it also
 * stops a rule that references itself. */
#define MAX_RULE_DEPTH 64

typedef struct eval {
	const vg_rule_ctx_t *ctx;
	vg_time_t *next_change;
	vg_error_t *err;
	int rc;
	unsigned depth;
} eval_t;

int vg__rule_invalid(const xmlNode *n, vg_error_t *err, const char *fmt, ...)
{
	va_list ap;
	char *why;
	const char *id = vg_xml_get(n, "id");
	int rc;

	va_start(ap, fmt);
	why = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	vg_log_warn("%s %s: %s (treated as false)", vg_xml_name(n), id ? id : "(no id)", why);
	rc = vg_error_set(err, VG_EINVAL, "%s %s: %s; fix the rule in the CIB", vg_xml_name(n),
	                  id ? id : "(no id)", why);
	g_free(why);
	return rc;
}

/* Element n of the rule being evaluated is invalid: remember it, count false. */
#define INVALID(ev, n, ...) ((ev)->rc = vg__rule_invalid((n), (ev)->err, __VA_ARGS__), false)

/* ---------------------------------------------------------- comparisons */

/* Pacemaker's version order: dot-separated integers, missing parts are 0,
 * a part that is not a number counts as 0. */
static int compare_version(const char *a, const char *b)
{
	while (*a != '\0' || *b != '\0') {
		long x = strtol(a, NULL, 10), y = strtol(b, NULL, 10);

		if (x != y)
			return x < y ? -1 : 1;
		a += strcspn(a, ".");
		b += strcspn(b, ".");
		if (*a == '.')
			a++;
		if (*b == '.')
			b++;
	}
	return 0;
}

/* Leading integer (trailing text allowed, as Pacemaker); false when there is
 * no number or it overflows. */
static bool scan_ll(const char *s, long long *v)
{
	char *end;

	errno = 0;
	*v = strtoll(s, &end, 10);
	return end != s && errno == 0;
}

static bool scan_double(const char *s, double *v)
{
	char *end;

	errno = 0;
	*v = strtod(s, &end);
	return end != s && errno == 0;
}

static int sign_of(double d)
{
	return (d > 0) - (d < 0);
}

/* -1/0/1 ordering of two present values by type; unparsable numbers fall
 * back to a (case-insensitive) string comparison as in Pacemaker. */
static int compare_typed(const char *l, const char *r, const char *type)
{
	if (g_ascii_strcasecmp(type, "integer") == 0) {
		long long a, b;

		if (scan_ll(l, &a) && scan_ll(r, &b))
			return (a > b) - (a < b);
	} else if (g_ascii_strcasecmp(type, "number") == 0) {
		double a, b;

		if (scan_double(l, &a) && scan_double(r, &b))
			return (a > b) - (a < b);
	} else if (g_ascii_strcasecmp(type, "version") == 0) {
		return compare_version(l, r);
	}
	return sign_of(g_ascii_strcasecmp(l, r));
}

enum cmp_op { OP_LT, OP_LTE, OP_GT, OP_GTE, OP_EQ, OP_NE, OP_DEFINED, OP_NOT_DEFINED };

static const struct {
	const char *name;
	enum cmp_op op;
} cmp_ops[] = {
    {"lt", OP_LT}, {"lte", OP_LTE}, {"gt", OP_GT},           {"gte", OP_GTE},
    {"eq", OP_EQ}, {"ne", OP_NE},   {"defined", OP_DEFINED}, {"not_defined", OP_NOT_DEFINED},
};

static bool cmp_op_parse(const char *s, enum cmp_op *op)
{
	for (size_t i = 0; s != NULL && i < G_N_ELEMENTS(cmp_ops); i++) {
		if (g_ascii_strcasecmp(s, cmp_ops[i].name) == 0) {
			*op = cmp_ops[i].op;
			return true;
		}
	}
	return false;
}

/* Pacemaker's accept_attr_expr: eq/ne work with absent values (absent equals
 * absent), ordering needs both values. */
static bool accept(const char *l, const char *r, const char *type, enum cmp_op op)
{
	int cmp;

	if (op == OP_DEFINED)
		return l != NULL;
	if (op == OP_NOT_DEFINED)
		return l == NULL;
	if (l == NULL || r == NULL) {
		cmp = (l == NULL && r == NULL) ? 0 : (l == NULL ? -1 : 1);
	} else {
		if (type == NULL) /* ordering defaults to numbers, equality to strings */
			type = (op == OP_EQ || op == OP_NE)         ? "string"
			       : (strchr(l, '.') || strchr(r, '.')) ? "number"
			                                            : "integer";
		cmp = compare_typed(l, r, type);
	}
	switch (op) {
	case OP_EQ:
		return cmp == 0;
	case OP_NE:
		return cmp != 0;
	default:
		break;
	}
	if (l == NULL || r == NULL)
		return false;
	switch (op) {
	case OP_LT:
		return cmp < 0;
	case OP_LTE:
		return cmp <= 0;
	case OP_GT:
		return cmp > 0;
	case OP_GTE:
		return cmp >= 0;
	default:
		return false;
	}
}

/* ---------------------------------------------------------- expressions */

/* Resource roles in Pacemaker's order (for #role expressions). */
static int role_rank(const char *role)
{
	static const struct {
		const char *name;
		int rank;
	} roles[] = {
	    {"Stopped", 1}, {"Started", 2},  {"Unpromoted", 3},
	    {"Slave", 3},   {"Promoted", 4}, {"Master", 4},
	};

	for (size_t i = 0; role != NULL && i < G_N_ELEMENTS(roles); i++)
		if (g_ascii_strcasecmp(role, roles[i].name) == 0)
			return roles[i].rank;
	return 0;
}

static bool eval_role(eval_t *ev, const xmlNode *e, enum cmp_op op)
{
	int have = role_rank(ev->ctx->rsc_role);
	int want = role_rank(vg_xml_get(e, "value"));

	if (have == 0)
		return false;
	switch (op) {
	case OP_DEFINED:
		return have > 2;
	case OP_NOT_DEFINED:
		return have <= 2;
	case OP_EQ:
		return want == have;
	case OP_NE: /* meaningful only for promotable clone roles */
		return have > 2 && want != have;
	default:
		return INVALID(ev, e, "#role supports only eq, ne, defined, not_defined");
	}
}

static bool eval_expression(eval_t *ev, const xmlNode *e)
{
	const char *attr = vg_xml_get(e, "attribute");
	const char *value = vg_xml_get(e, "value");
	const char *type = vg_xml_get(e, "type");
	const char *source = vg_xml_get(e, "value-source");
	enum cmp_op op;

	if (attr == NULL)
		return INVALID(ev, e, "no attribute");
	if (!cmp_op_parse(vg_xml_get(e, "operation"), &op))
		return INVALID(ev, e,
		               "operation missing or not one of lt, gt, lte, gte, eq, ne, "
		               "defined, not_defined");
	if (type != NULL && g_ascii_strcasecmp(type, "string") != 0 &&
	    g_ascii_strcasecmp(type, "integer") != 0 && g_ascii_strcasecmp(type, "number") != 0 &&
	    g_ascii_strcasecmp(type, "version") != 0)
		return INVALID(ev, e, "type \"%s\" is not string, integer, number or version",
		               type);
	if (strcmp(attr, "#role") == 0)
		return eval_role(ev, e, op);
	if (source == NULL || g_ascii_strcasecmp(source, "literal") == 0) {
		/* value as written */
	} else if (g_ascii_strcasecmp(source, "param") == 0) {
		value = (value && ev->ctx->rsc_params)
		            ? g_hash_table_lookup(ev->ctx->rsc_params, value)
		            : NULL;
	} else if (g_ascii_strcasecmp(source, "meta") == 0) {
		value = (value && ev->ctx->rsc_meta) ? g_hash_table_lookup(ev->ctx->rsc_meta, value)
		                                     : NULL;
	} else {
		return INVALID(ev, e, "value-source \"%s\" is not literal, param or meta", source);
	}
	/* no node to compare with: never true (Pacemaker) */
	if (ev->ctx->node_attrs == NULL)
		return false;
	return accept(g_hash_table_lookup(ev->ctx->node_attrs, attr), value, type, op);
}

static bool eval_rsc(eval_t *ev, const xmlNode *e)
{
	const char *cls = vg_xml_get(e, "class");
	const char *provider = vg_xml_get(e, "provider");
	const char *agent = vg_xml_get(e, "type");
	const vg_rule_ctx_t *c = ev->ctx;

	if (c->rsc_standard == NULL && c->rsc_agent == NULL)
		return false;
	if (cls != NULL && g_strcmp0(cls, c->rsc_standard) != 0)
		return false;
	if (g_strcmp0(provider, c->rsc_provider) != 0)
		return false;
	return agent == NULL || g_strcmp0(agent, c->rsc_agent) == 0;
}

static bool eval_op(eval_t *ev, const xmlNode *e)
{
	const char *name = vg_xml_get(e, "name");
	const char *interval = vg_xml_get(e, "interval");
	uint64_t ms;

	if (ev->ctx->op_name == NULL)
		return false;
	if (name == NULL)
		return INVALID(ev, e, "no name");
	if (interval != NULL) {
		if (vg_interval_parse_ms(interval, &ms) != 0)
			return INVALID(ev, e, "interval \"%s\" is not a valid interval", interval);
		if (ms != ev->ctx->op_interval_ms)
			return false;
	}
	return strcmp(name, ev->ctx->op_name) == 0;
}

static bool eval_date(eval_t *ev, const xmlNode *e)
{
	bool result = false;
	int rc = vg_date_expr_eval(e, ev->ctx->now, ev->ctx->date_offset, &result, ev->next_change,
	                           ev->err);

	if (rc != 0)
		ev->rc = rc;
	return result;
}

static bool eval_rule(eval_t *ev, const xmlNode *rule);

static const struct {
	const char *name;
	bool (*eval)(eval_t *ev, const xmlNode *e);
} kinds[] = {
    {"rule", eval_rule},          {"expression", eval_expression}, {"date_expression", eval_date},
    {"rsc_expression", eval_rsc}, {"op_expression", eval_op},
};

static bool eval_any(eval_t *ev, const xmlNode *e)
{
	xmlNode *target = vg_xml_deref((xmlNode *)e, ev->ctx->id_index);

	if (target == NULL)
		return INVALID(ev, e, "id-ref \"%s\" names no element", vg_xml_get(e, "id-ref"));
	if (!vg_xml_is(target, vg_xml_name(e)))
		return INVALID(ev, e, "id-ref \"%s\" names a %s", vg_xml_get(e, "id-ref"),
		               vg_xml_name(target));
	for (size_t i = 0; i < G_N_ELEMENTS(kinds); i++)
		if (vg_xml_is(target, kinds[i].name))
			return kinds[i].eval(ev, target);
	return INVALID(ev, e, "not a rule element");
}

static bool eval_rule(eval_t *ev, const xmlNode *rule)
{
	const char *bop = vg_xml_get(rule, "boolean-op");
	bool is_or = (bop != NULL && g_ascii_strcasecmp(bop, "or") == 0);
	bool empty = true;
	xmlNode *e;

	if (bop != NULL && !is_or && g_ascii_strcasecmp(bop, "and") != 0)
		return INVALID(ev, rule, "boolean-op \"%s\" is not and/or", bop);
	if (ev->depth >= MAX_RULE_DEPTH)
		return INVALID(ev, rule, "nested deeper than %d (id-ref loop?)", MAX_RULE_DEPTH);
	ev->depth++;
	VG_XML_FOREACH(e, rule, NULL)
	{
		bool r = eval_any(ev, e);

		empty = false;
		if (r == is_or) { /* decided: true in an or, false in an and */
			ev->depth--;
			return r;
		}
	}
	ev->depth--;
	if (empty)
		vg_log_warn("rule %s: contains no expressions", vg_xml_get(rule, "id"));
	/* Pacemaker: an empty "and" passes, an empty "or" fails */
	return !is_or;
}

int vg_rule_eval(const xmlNode *rule, const vg_rule_ctx_t *ctx, bool *result,
                 vg_time_t *next_change, vg_error_t *err)
{
	static const vg_rule_ctx_t none = {0};
	eval_t ev = {.ctx = ctx ? ctx : &none, .next_change = next_change, .err = err};

	*result = (rule != NULL) && eval_any(&ev, rule);
	return ev.rc;
}
