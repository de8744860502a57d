/*
 * sched_digest.c: Pacemaker's op-digest of an operation's parameters, the
 * MD5 of " <parameters name="value" .../>\n" with the names sorted, and the
 * comparison of a running resource's recorded digests with its current
 * definition (restart, reload, or nothing to do).
 *
 * Never reads the CIB itself: the history comes as sc_lrm_op_t records.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define VG_LOG_SUBSYS "sched"
#include <string.h>

#include "sched_private.h"

static void escape(GString *s, const char *v)
{
	for (; *v; v++) {
		switch (*v) {
		case '<':
			g_string_append(s, "&lt;");
			break;
		case '>':
			g_string_append(s, "&gt;");
			break;
		case '&':
			g_string_append(s, "&amp;");
			break;
		case '"':
			g_string_append(s, "&quot;");
			break;
		default:
			g_string_append_c(s, *v);
		}
	}
}

char *vg_sched_op_digest(GHashTable *params, guint interval_ms)
{
	GString *s = g_string_new(" <parameters");
	GList *keys = params != NULL ? g_hash_table_get_keys(params) : NULL, *l;
	char *d;

	keys = g_list_sort(keys, (GCompareFunc)strcmp);
	for (l = keys; l != NULL; l = l->next) {
		const char *k = l->data;
		if (g_str_has_prefix(k, "CRM_meta_") &&
		    !(interval_ms > 0 && !strcmp(k, "CRM_meta_timeout")))
			continue;
		g_string_append_printf(s, " %s=\"", k);
		escape(s, g_hash_table_lookup(params, k));
		g_string_append_c(s, '"');
	}
	g_list_free(keys);
	g_string_append(s, "/>\n");
	d = vg_digest_md5(s->str, s->len);
	g_string_free(s, TRUE);
	return d;
}

/* The parameters with the underscore spelling of meta attribute names
 * (target_role...) that older CIBs used; NULL when none is dashed. */
static GHashTable *old_spelling(GHashTable *params)
{
	static const char *const names[] = {
	    "target-role",     "is-managed",      "resource-stickiness", "migration-threshold",
	    "failure-timeout", "multiple-active", "allow-migrate"};
	GHashTable *t = NULL;

	for (size_t i = 0; i < G_N_ELEMENTS(names); i++) {
		char *u;
		if (!g_hash_table_contains(params, names[i]))
			continue;
		if (t == NULL) {
			GHashTableIter it;
			gpointer k, v;
			t = sc_strtable();
			g_hash_table_iter_init(&it, params);
			while (g_hash_table_iter_next(&it, &k, &v))
				g_hash_table_replace(t, g_strdup(k), g_strdup(v));
		}
		u = g_strdup(names[i]);
		g_strdelimit(u, "-", '_');
		g_hash_table_replace(t, u, g_strdup(g_hash_table_lookup(params, names[i])));
		g_hash_table_remove(t, names[i]);
	}
	return t;
}

/* Only the parameters named in op-force-restart (" a b "). */
static GHashTable *restart_params(GHashTable *all, const char *names)
{
	GHashTable *t = sc_strtable();
	char **v = g_strsplit_set(names, " ", -1);

	for (char **p = v; *p != NULL; p++)
		if (**p && g_hash_table_contains(all, *p))
			g_hash_table_replace(t, g_strdup(*p),
			                     g_strdup(g_hash_table_lookup(all, *p)));
	g_strfreev(v);
	return t;
}

/*
 * Compare what the resource was started with on this node to its current
 * parameters: a changed parameter that needs a restart (or any change when
 * the agent cannot reload) restarts it; other changes reload it.
 */
void sc_check_digests(sc_rsc_t *r, sc_hist_t *h)
{
	const sc_lrm_op_t *op = h->last_start;
	const char *all, *restart, *force;
	char *calc;

	if (op == NULL || h->role <= ROLE_STOPPED || r->orphan)
		return;
	all = op->digest;
	restart = op->restart_digest;
	force = op->force_restart;
	if (all == NULL)
		return;
	if (restart != NULL && force != NULL) {
		GHashTable *rp = restart_params(r->params, force);
		calc = vg_sched_op_digest(rp, 0);
		g_hash_table_destroy(rp);
		if (strcmp(calc, restart) != 0) {
			h->digest_changed = true;
			h->digest_quiet = true;
		}
		g_free(calc);
		if (h->digest_changed)
			return;
	}
	calc = vg_sched_op_digest(r->params, 0);
	if (strcmp(calc, all) != 0) {
		/* an upgraded CIB spells old meta-like parameters with dashes */
		GHashTable *old = old_spelling(r->params);
		if (old != NULL) {
			g_free(calc);
			calc = vg_sched_op_digest(old, 0);
			g_hash_table_destroy(old);
		}
	}
	if (strcmp(calc, all) != 0) {
		if (restart != NULL && !h->pending)
			h->reload_only = true;
		else
			h->digest_changed = true;
		if (h->pending)
			h->digest_quiet = true; /* an unfinished start is simply redone */
	}
	g_free(calc);
}

static bool matches(GHashTable *params, const char *timeout, guint iv, const char *rec)
{
	GHashTable *p = sc_strtable();
	GHashTableIter it;
	gpointer k, v;
	char *calc;
	bool ok;

	g_hash_table_iter_init(&it, params);
	while (g_hash_table_iter_next(&it, &k, &v))
		g_hash_table_replace(p, g_strdup(k), g_strdup(v));
	if (timeout != NULL)
		g_hash_table_replace(p, g_strdup("CRM_meta_timeout"), g_strdup(timeout));
	calc = vg_sched_op_digest(p, iv);
	ok = strcmp(calc, rec) == 0;
	g_free(calc);
	g_hash_table_destroy(p);
	return ok;
}

/*
 * A recorded failure whose parameters are not the resource's current ones
 * says nothing about the resource as configured now: its fail-count is
 * cleared.  Entries without a digest are left alone.
 */
bool sc_failure_digest_changed(sc_rsc_t *r, const sc_lrm_op_t *op)
{
	const char *rec = op->digest;
	const char *iv = op->interval_s;
	GHashTable *old;
	bool ok;

	if (rec == NULL || r->orphan || (iv != NULL && strcmp(iv, "0") != 0))
		return false;
	ok = matches(r->params, NULL, 0, rec);
	if (!ok && (old = old_spelling(r->params)) != NULL) {
		ok = matches(old, NULL, 0, rec);
		g_hash_table_destroy(old);
	}
	return !ok;
}

/*
 * vigil's controller records recurring operations with the digest of their
 * parameters alone (feature set 3 and later); histories written before
 * feature set 3 with such a digest are out of date.
 */
static bool params_only_digests(const sc_lrm_op_t *op)
{
	const char *fs = op->feature_set;

	return fs == NULL || g_ascii_strtoll(fs, NULL, 10) >= 3;
}

/*
 * Does a recurring operation recorded in the history still match its
 * definition?  Its digest covers the parameters and the operation's timeout
 * (older CIBs spelled meta-like parameters with underscores; that form
 * matches too).  A digest of the parameters alone matches only where vigil's
 * controller may have written it; in an older history it is a definition
 * that changed since, and the monitor is scheduled again as Pacemaker does.
 */
bool sc_recurring_digest_ok(sc_rsc_t *r, const sc_op_t *op, const sc_lrm_op_t *xml_op)
{
	const char *rec = xml_op->digest;
	GHashTable *old;
	char buf[32];
	bool ok;

	if (rec == NULL || op == NULL)
		return true;
	g_snprintf(buf, sizeof(buf), "%u", op->timeout_ms);
	ok = matches(r->params, buf, op->interval_ms, rec) ||
	     (params_only_digests(xml_op) && matches(r->params, NULL, 0, rec));
	if (!ok && (old = old_spelling(r->params)) != NULL) {
		ok = matches(old, buf, op->interval_ms, rec);
		g_hash_table_destroy(old);
	}
	return ok;
}
