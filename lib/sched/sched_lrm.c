/*
 * sched_lrm.c: the operation history of <status> (node_state / lrm /
 * lrm_resources / lrm_resource / lrm_rsc_op) unpacked into compact records.
 *
 * Owns reading each lrm_rsc_op once, keeping only the attributes the
 * scheduler looks at, with their strings interned in the store.  Both entry
 * points use it: vg_sched_run() as it reads a CIB tree, and
 * vg_sched_input_read() one node_state at a time while the rest of the
 * status is never built as a tree.  Never interprets the history: replaying
 * it is sched_status.c's.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define VG_LOG_SUBSYS "sched"
#include <stdlib.h>
#include <string.h>

#include "sched_private.h"

static void free_node(gpointer p)
{
	sc_lrm_node_t *n = p;

	for (guint i = 0; i < n->n_rscs; i++)
		g_free(n->rscs[i].ops);
	g_free(n->rscs);
	g_free(n);
}

sc_lrm_store_t *sc_lrm_store_new(void)
{
	sc_lrm_store_t *st = g_new0(sc_lrm_store_t, 1);

	st->strings = g_string_chunk_new(64 * 1024);
	st->by_state = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, free_node);
	return st;
}

void sc_lrm_store_free(sc_lrm_store_t *st)
{
	if (st == NULL)
		return;
	g_hash_table_destroy(st->by_state);
	g_string_chunk_free(st->strings);
	g_free(st);
}

const char *sc_lrm_intern(sc_lrm_store_t *st, const char *s)
{
	return s != NULL ? g_string_chunk_insert_const(st->strings, s) : NULL;
}

/* The value as vg_xml_get() reads it: "" unless one text child. */
static const char *text_of(const xmlAttr *a)
{
	if (a->children == NULL || a->children->next != NULL ||
	    a->children->type != XML_TEXT_NODE || a->children->content == NULL)
		return "";
	return (const char *)a->children->content;
}

/* The target rc in a transition key "action:transition:target-rc:uuid". */
static int key_expect(const char *key)
{
	const char *p = strchr(key, ':');

	if (p != NULL && (p = strchr(p + 1, ':')) != NULL)
		return atoi(p + 1);
	return 0;
}

static bool is(const char *name, const char *want, const char *field)
{
	return field == NULL && strcmp(name, want) == 0;
}

/* One pass over the element's attributes (the first occurrence counts, as
 * for vg_xml_get()), dispatched on the first letter: a big status has
 * millions of attributes. */
static void read_op(sc_lrm_store_t *st, const xmlNode *x, sc_lrm_op_t *o)
{
	bool seen_key = false;

	memset(o, 0, sizeof(*o));
	for (const xmlAttr *a = x->properties; a != NULL; a = a->next) {
		const char *n = (const char *)a->name;
		const char *v = text_of(a);

		switch (n[0]) {
		case 'o':
			if (is(n, "operation", o->task))
				o->task = sc_lrm_intern(st, v);
			else if (!strcmp(n, "op-status"))
				o->status = atoi(v);
			else if (is(n, "op-digest", o->digest))
				o->digest = sc_lrm_intern(st, v);
			else if (is(n, "op-restart-digest", o->restart_digest))
				o->restart_digest = sc_lrm_intern(st, v);
			else if (is(n, "op-force-restart", o->force_restart))
				o->force_restart = sc_lrm_intern(st, v);
			break;
		case 'i':
			if (is(n, "interval", o->interval_s)) {
				o->interval_s = sc_lrm_intern(st, v);
				o->interval_ms = (guint)strtoul(v, NULL, 10);
			} else if (!strcmp(n, "id")) {
				o->last_failure = g_str_has_suffix(v, "_last_failure_0");
			}
			break;
		case 'r':
			if (is(n, "rc-code", o->rc_s)) {
				o->rc_s = sc_lrm_intern(st, v);
				o->rc = atoi(v);
			}
			break;
		case 'c':
			if (!strcmp(n, "call-id") && !o->has_call) {
				o->call = strtol(v, NULL, 10);
				o->has_call = true;
			} else if (is(n, "crm_feature_set", o->feature_set)) {
				o->feature_set = sc_lrm_intern(st, v);
			}
			break;
		case 't':
			if (!strcmp(n, "transition-key") && !seen_key) {
				o->expect = key_expect(v);
				seen_key = true;
			}
			break;
		case 'l':
			if (!strcmp(n, "last-rc-change"))
				o->last_rc_change = atoi(v);
			break;
		case 'e':
			if (!strcmp(n, "exec-time"))
				o->exec_ms = atoi(v);
			else if (is(n, "exit-reason", o->exit_reason))
				o->exit_reason = sc_lrm_intern(st, v);
			break;
		case 'm':
			if (is(n, "migrate_source", o->migrate_source))
				o->migrate_source = sc_lrm_intern(st, v);
			else if (is(n, "migrate_target", o->migrate_target))
				o->migrate_target = sc_lrm_intern(st, v);
			break;
		case 'q':
			if (!strcmp(n, "queue-time"))
				o->queue_ms = atoi(v);
			break;
		default:
			break;
		}
	}
}

static void read_rsc(sc_lrm_store_t *st, const xmlNode *lr, sc_lrm_rsc_t *r)
{
	const xmlNode *op;
	guint n = 0;

	r->id = sc_lrm_intern(st, vg_xml_get(lr, "id"));
	r->cls = sc_lrm_intern(st, vg_xml_get(lr, "class"));
	r->prov = sc_lrm_intern(st, vg_xml_get(lr, "provider"));
	r->type = sc_lrm_intern(st, vg_xml_get(lr, "type"));
	r->shutdown_lock = sc_lrm_intern(st, vg_xml_get(lr, "shutdown-lock"));
	VG_XML_FOREACH(op, lr, "lrm_rsc_op")
	n++;
	r->ops = n > 0 ? g_new(sc_lrm_op_t, n) : NULL;
	VG_XML_FOREACH(op, lr, "lrm_rsc_op")
	read_op(st, op, &r->ops[r->n_ops++]);
}

sc_lrm_node_t *sc_lrm_node_new(sc_lrm_store_t *st, const void *key)
{
	sc_lrm_node_t *n = g_new0(sc_lrm_node_t, 1);

	g_hash_table_replace(st->by_state, (gpointer)key, n);
	return n;
}

void sc_lrm_node_add(sc_lrm_store_t *st, sc_lrm_node_t *n, const xmlNode *lr)
{
	if (n->n_rscs == n->alloc) {
		n->alloc = MAX(8, 2 * n->alloc);
		n->rscs = g_renew(sc_lrm_rsc_t, n->rscs, n->alloc);
	}
	memset(&n->rscs[n->n_rscs], 0, sizeof(sc_lrm_rsc_t));
	read_rsc(st, lr, &n->rscs[n->n_rscs++]);
}

const sc_lrm_node_t *sc_lrm_store_add(sc_lrm_store_t *st, const void *key, const xmlNode *ns)
{
	sc_lrm_node_t *n = sc_lrm_node_new(st, key);
	const xmlNode *lrm = vg_xml_first(ns, "lrm");
	const xmlNode *lrs = lrm != NULL ? vg_xml_first(lrm, "lrm_resources") : NULL;
	const xmlNode *lr;

	if (lrs != NULL)
		VG_XML_FOREACH(lr, lrs, "lrm_resource")
	sc_lrm_node_add(st, n, lr);
	return n;
}

const sc_lrm_node_t *sc_lrm_store_get(const sc_lrm_store_t *st, const void *key)
{
	return st != NULL ? g_hash_table_lookup(st->by_state, key) : NULL;
}
