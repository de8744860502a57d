/*
 * sched_status.c: operation history (lrm_rsc_op) into resource state.
 *
 * Owns replaying each resource's history per node in call-id order: the
 * role it leaves the resource in, failures and their on-fail handling,
 * fail-counts and failure-timeout against "now", pending operations,
 * orphans (history without configuration) and the failed-op list shown by
 * the status printer.  Never decides placement.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define VG_LOG_SUBSYS "sched"
#include <stdlib.h>
#include <string.h>

#include "sched_private.h"

/* Recurring operations active on a node, created on first use: most
 * resources on most nodes have none. */
static void rec_put(sc_hist_t *h, char *key, const sc_lrm_op_t *op)
{
	if (h->recurring == NULL)
		h->recurring = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	g_hash_table_replace(h->recurring, key, (gpointer)op);
}

static void rec_clear(sc_hist_t *h)
{
	if (h->recurring != NULL)
		g_hash_table_remove_all(h->recurring);
}

/* Found through hist_at (by node index): a resource has an entry on most
 * nodes of a big cluster, and a search of r->hist made reading the history
 * grow with the square of the nodes. */
sc_hist_t *sc_hist(sc_rsc_t *r, sc_node_t *n)
{
	guint at = (guint)n->index;
	sc_hist_t *h;

	if (at < r->n_hist_at && r->hist_at[at] != NULL)
		return r->hist_at[at];
	h = g_new0(sc_hist_t, 1);
	h->node = n;
	h->role = ROLE_STOPPED;
	g_ptr_array_add(r->hist, h);
	if (at >= r->n_hist_at) {
		guint size = MAX(at + 1, 2 * r->n_hist_at);

		r->hist_at = g_renew(sc_hist_t *, r->hist_at, size);
		memset(r->hist_at + r->n_hist_at, 0, (size - r->n_hist_at) * sizeof(sc_hist_t *));
		r->n_hist_at = size;
	}
	r->hist_at[at] = h;
	return h;
}

/* The attributes replay needs, with the record they came from. */
typedef struct op_rec {
	const sc_lrm_op_t *op;
	const char *task;
	guint iv;
	int rc, status, call, expect;
} op_rec_t;

static void read_op(const sc_lrm_op_t *op, op_rec_t *o)
{
	o->op = op;
	o->task = op->task;
	o->iv = op->interval_ms;
	o->rc = op->rc;
	o->status = op->status;
	o->call = (int)op->call; /* atoi() of call-id, 0 when absent */
	o->expect = op->expect;
}

static gint by_call_id(gconstpointer a, gconstpointer b)
{
	const op_rec_t *x = a, *y = b;
	int cx = x->call, cy = y->call;

	/* Pending (-1) last, as they started after everything recorded. */
	if (cx < 0 && cy >= 0)
		return 1;
	if (cy < 0 && cx >= 0)
		return -1;
	if (cx != cy)
		return cx < cy ? -1 : 1;
	/* one call recorded twice (a recurring op and its last failure):
	 * the later change of result is the current one */
	if (x->op->last_rc_change > 0 && y->op->last_rc_change > 0 &&
	    x->op->last_rc_change != y->op->last_rc_change)
		return x->op->last_rc_change < y->op->last_rc_change ? -1 : 1;
	return 0;
}

static sc_rsc_t *orphan_rsc(sc_t *sc, const sc_lrm_rsc_t *lrm_rsc)
{
	sc_rsc_t *r = g_new0(sc_rsc_t, 1);

	r->id = g_strdup(lrm_rsc->id);
	r->kind = RSC_PRIMITIVE;
	r->cls = lrm_rsc->cls;
	r->prov = lrm_rsc->prov;
	r->type = lrm_rsc->type;
	r->is_fencing = r->cls != NULL && !strcmp(r->cls, "stonith");
	r->children = g_ptr_array_new();
	r->meta = sc_strtable();
	r->params = sc_strtable();
	r->ops = g_ptr_array_new();
	r->hist = g_ptr_array_new();
	r->running_on = g_ptr_array_new();
	r->scores = g_new0(int, MAX(sc->nodes->len, 1));
	r->index = (int)sc->all->len;
	r->instance = -1;
	r->orphan = true;
	r->managed = sc->stop_orphan_rsc;
	r->migration_threshold = INF;
	r->multiple_active = "stop_start";
	r->requires = r->is_fencing ? "quorum" : (sc->stonith_enabled ? "fencing" : "quorum");
	r->critical = true;
	r->target_role = ROLE_STOPPED;
	g_ptr_array_add(sc->all, r);
	g_ptr_array_add(sc->top, r);
	g_hash_table_insert(sc->rsc_by_id, r->id, r);
	return r;
}

/* Is a history entry active: its last completed one-off operation neither
 * a stop nor a probe that found nothing? */
static bool entry_active(const sc_lrm_rsc_t *lr)
{
	const sc_lrm_op_t *last = NULL;
	long last_call = -1;

	for (guint i = 0; i < lr->n_ops; i++) {
		const sc_lrm_op_t *op = &lr->ops[i];
		const char *iv = op->interval_s;
		long c = op->has_call ? op->call : -1;

		if ((iv != NULL && strcmp(iv, "0") != 0) || c < last_call)
			continue;
		last = op;
		last_call = c;
	}
	if (last == NULL)
		return false;
	if (!g_strcmp0(last->task, "stop"))
		return g_strcmp0(last->rc_s, "0") != 0;
	return !(g_strcmp0(last->task, "monitor") == 0 && g_strcmp0(last->rc_s, "7") == 0);
}

/*
 * More active history entries of an anonymous clone than it has instances
 * (clone-max lowered, say): each extra one is an orphan instance numbered
 * after the configured ones, which is stopped.  NULL when the entry is not
 * active (nothing to stop) or the clone's instances are not primitives.
 */
static sc_rsc_t *clone_orphan(sc_t *sc, const sc_lrm_rsc_t *lr)
{
	const char *id = lr->id;
	char *base = g_strdup(id), *colon = strrchr(base, ':');
	sc_rsc_t *c, *first, *r;
	const char *prim_id;
	int num = 0;

	if (colon != NULL)
		*colon = 0;
	c = g_hash_table_lookup(sc->clone_of, base);
	g_free(base);
	if (c == NULL || c->unique || !entry_active(lr))
		return NULL;
	/* with clone-max 0 no instance is configured: every active entry is
	 * an orphan, named after the clone's primitive */
	if (c->children->len > 0) {
		first = c->children->pdata[0];
		if (first->kind != RSC_PRIMITIVE || first->base == NULL)
			return NULL;
		prim_id = first->base;
	} else {
		xmlNode *x = vg_xml_first(c->xml, "primitive");
		if (x == NULL || vg_xml_first(c->xml, "group") != NULL)
			return NULL;
		prim_id = vg_xml_get(x, "id");
	}
	for (guint i = 0; i < sc->all->len; i++)
		num += ((sc_rsc_t *)sc->all->pdata[i])->clone == c;
	r = orphan_rsc(sc, lr);
	g_hash_table_remove(sc->rsc_by_id, r->id);
	g_free(r->id);
	r->id = g_strdup_printf("%s:%d", prim_id, num);
	g_hash_table_insert(sc->rsc_by_id, r->id, r);
	r->clone = c;
	r->base = prim_id;
	r->instance = num;
	r->clone_name = g_strdup(id);
	return r;
}

static void add_failed_op(sc_t *sc, sc_rsc_t *r, sc_node_t *n, const sc_lrm_op_t *op,
                          const char *task, guint iv, int rc, int status)
{
	vg_sched_failed_op_view_t *f = g_new0(vg_sched_failed_op_view_t, 1);

	f->rsc = r->id;
	f->task = task;
	f->interval_ms = iv;
	f->node = n->name;
	f->op_key = sc_str(sc, sc_op_key(r->id, task, iv));
	f->rc = rc;
	f->status = status;
	f->exit_reason = op->exit_reason;
	f->call_id = (int)op->call;
	f->last_rc_change = op->last_rc_change;
	f->exec_time_ms = (guint)op->exec_ms;
	f->queue_time_ms = (guint)op->queue_ms;
	g_ptr_array_add(sc->failed_ops, f);
}

/* Default on-fail for a failed operation. */
static const char *on_fail_of(sc_t *sc, sc_rsc_t *r, const char *task, guint iv)
{
	sc_op_t *op = sc_find_op(r, task, iv);

	if (op != NULL && op->on_fail != NULL)
		return op->on_fail;
	if (!strcmp(task, "stop"))
		return sc->stonith_enabled ? "fence" : "block";
	return "restart";
}

static void failure(sc_t *sc, sc_rsc_t *r, sc_hist_t *h, const sc_lrm_op_t *op, const char *task,
                    guint iv, int rc, int status)
{
	const char *of = on_fail_of(sc, r, task, iv);

	add_failed_op(sc, r, h->node, op, task, iv, rc, status);
	if (!strcmp(of, "ignore"))
		return;
	h->on_fail = (char *)of;
	if (!strcmp(task, "stop")) {
		h->failed_stop = true;
		h->role = ROLE_STARTED;
	} else if (!strcmp(task, "demote")) {
		/* staying promoted would loop demote attempts; the recovery
		 * stops it anyway, and any promotion comes after that stop */
		h->role = !strcmp(of, "block") ? ROLE_PROMOTED : ROLE_UNPROMOTED;
	} else if (!strcmp(task, "promote")) {
		h->role = ROLE_PROMOTED;
	} else if (h->role == ROLE_STOPPED || !strcmp(task, "start") ||
	           !strcmp(task, "migrate_from")) {
		h->role = ROLE_STARTED;
	}
	if (rc == 8 && status == 0 && strcmp(task, "demote") != 0)
		h->role = ROLE_PROMOTED;
	h->failed = true;
	if (!strcmp(task, "start") && sc->start_failure_fatal)
		h->start_failed = true;
	if (status == 0 && (rc == 2 || rc == 3 || rc == 4))
		sc_ban(r, h->node); /* hard error: never here again */
	if (status == 0 && rc == 6)
		for (guint i = 0; i < sc->nodes->len; i++)
			r->scores[i] = -INF; /* not configured: nowhere */
	if (rc == 5 || status == 7) {
		sc_ban(r, h->node); /* not installed here: ban */
		if (!strcmp(task, "monitor") && iv == 0) {
			h->role = ROLE_STOPPED;
			h->failed = false;
		}
	}
}

static void success(sc_hist_t *h, const char *task, guint iv, int rc, const sc_lrm_op_t *op)
{
	if (iv > 0 && (!strcmp(task, "monitor"))) {
		if (rc == 7)
			h->role = ROLE_STOPPED; /* found stopped, as it was told to expect */
		else if (rc == 8)
			h->role = ROLE_PROMOTED;
		else if (rc == 0 && h->role == ROLE_STOPPED)
			h->role = ROLE_STARTED;
		return;
	}
	if (!strcmp(task, "start") || !strcmp(task, "migrate_from")) {
		h->role = ROLE_STARTED;
		h->failed = false;
		h->start_failed = false;
		h->last_start = op;
		h->saw_start = true;
		rec_clear(h); /* from an earlier run */
	} else if (!strcmp(task, "stop")) {
		h->role = ROLE_STOPPED;
		h->failed = false;
		h->failed_stop = false;
		h->on_fail = NULL;
		rec_clear(h);
	} else if (!strcmp(task, "promote") || !strcmp(task, "demote")) {
		h->role = !strcmp(task, "promote") ? ROLE_PROMOTED : ROLE_UNPROMOTED;
		/* without a start in the history (only the last result of each
		 * kind is kept), the role change is where this run began: older
		 * recurring operations belong to an earlier one */
		if (!h->saw_start)
			rec_clear(h);
	} else if (!strcmp(task, "migrate_to")) {
		h->role = ROLE_STARTED;        /* until the target confirms */
	} else if (!strcmp(task, "monitor")) { /* probe */
		if (rc == 7)
			h->role = ROLE_STOPPED;
		else if (rc == 8)
			h->role = ROLE_PROMOTED;
		else
			h->role = ROLE_STARTED;
		if (h->last_start == NULL && rc != 7)
			h->last_start = op;
	} else if (!strcmp(task, "reload") || !strcmp(task, "reload-agent")) {
		h->last_start = op;
	}
}

/*
 * A failure on a node whose configured operation says on-fail=block never
 * times out: with any such failure in the node's history of r, its
 * failure-timeout is ignored there (for the fail count and the failed
 * operations alike).
 */
static bool blocks_expiry(const sc_rsc_t *r, const sc_lrm_rsc_t *lr)
{
	for (guint i = 0; lr != NULL && i < lr->n_ops; i++) {
		const sc_lrm_op_t *op = &lr->ops[i];
		sc_op_t *conf;

		if (op->task == NULL || op->rc_s == NULL || op->rc == 0 ||
		    (!strcmp(op->task, "monitor") && op->rc == op->expect))
			continue;
		conf = sc_find_op((sc_rsc_t *)r, op->task, op->interval_ms);
		if (conf != NULL && conf->on_fail != NULL &&
		    !g_ascii_strcasecmp(conf->on_fail, "block"))
			return true;
	}
	return false;
}

static void replay_op(sc_t *sc, sc_rsc_t *r, sc_hist_t *h, const op_rec_t *o)
{
	const sc_lrm_op_t *op = o->op;
	const char *task = o->task;
	guint iv = o->iv;
	int rc = o->rc;
	int status = o->status;
	int call = o->call;
	int expect = o->expect;

	if (task == NULL)
		return;
	if (!strcmp(task, "notify") || !strcmp(task, "meta-data"))
		return;
	if (status == -1 || call == -1) { /* in flight */
		h->pending = true;
		h->pending_task = task;
		if (!strcmp(task, "start") || !strcmp(task, "migrate_from"))
			h->last_start = op;
		if (!strcmp(task, "start") || !strcmp(task, "migrate_from") ||
		    !strcmp(task, "promote") || !strcmp(task, "demote") || !strcmp(task, "stop"))
			h->role = !strcmp(task, "promote") ? ROLE_PROMOTED : ROLE_STARTED;
		if (!strcmp(task, "monitor") && iv == 0)
			h->probed = false;
		if (iv > 0)
			rec_put(h, sc_op_key(r->id, task, iv), op);
		return;
	}
	if (status == 1) /* cancelled */
		return;
	/* "error" is judged by the exit code, as Pacemaker remaps it */
	if (status == 4)
		status = 0;
	/* degraded is still running (promoted) */
	if (rc == 190)
		rc = 0;
	else if (rc == 191)
		rc = 8;
	if (!strcmp(task, "monitor") && iv == 0) {
		/* probes: 7 = stopped and 0 = running are both fine */
		if (status == 0 && (rc == 7 || rc == 0 || rc == 8)) {
			success(h, task, iv, rc, op);
			return;
		}
	}
	if (status == 0 && rc == expect) {
		success(h, task, iv, rc, op);
		/* the operation that failed last has succeeded since: that
		 * failure is over (unless it stopped, fenced or moved it) */
		if (iv > 0 && h->failed && h->last_failure_op != NULL &&
		    !g_strcmp0(h->last_failure_op->task, task) &&
		    h->last_failure_op->interval_ms == iv &&
		    (h->on_fail == NULL || !strcmp(h->on_fail, "block") ||
		     !strcmp(h->on_fail, "ignore") || !strcmp(h->on_fail, "restart") ||
		     !strcmp(h->on_fail, "demote"))) {
			h->failed = false;
			h->on_fail = NULL;
		}
		if (iv > 0)
			rec_put(h, sc_op_key(r->id, task, iv), op);
		return;
	}
	if (status == 0 && rc == 7 && !strcmp(task, "stop")) {
		success(h, task, iv, 0, op);
		return;
	}
	if (iv > 0)
		rec_put(h, sc_op_key(r->id, task, iv), op);
	if (r->failure_timeout > 0 && !blocks_expiry(r, h->lrm_rsc)) {
		vg_time_t when = op->last_rc_change;
		if (when > 0 && when + (vg_time_t)r->failure_timeout <= sc->now) {
			/* expired: as if it never failed; a probe is simply redone */
			if (!strcmp(task, "monitor") && iv == 0)
				h->reprobe = true;
			return;
		}
	}
	failure(sc, r, h, op, task, iv, rc, status);
}

/* fail-count-<rsc>[#<op>_<interval>] and last-failure-... of node n. */
/* Does what follows a resource name in a fail-count attribute end it: the
 * end, "#<op>_<interval>", or (for an anonymous clone, whose instances
 * share their counts) ":<instance>" before either? */
static bool name_ends(const char *rest, bool anon)
{
	if (anon && rest[0] == ':' && g_ascii_isdigit(rest[1])) {
		rest++;
		while (g_ascii_isdigit(*rest))
			rest++;
	}
	return rest[0] == 0 || rest[0] == '#';
}

static void failcounts(sc_t *sc, sc_rsc_t *r, sc_hist_t *h)
{
	GHashTableIter it;
	gpointer k, v;
	const char *name = r->base != NULL && !r->clone->unique ? r->base : r->id;
	char *p1 = g_strdup_printf("fail-count-%s", name);
	char *p2 = g_strdup_printf("last-failure-%s", name);
	size_t l1 = strlen(p1), l2 = strlen(p2);

	bool anon = r->base != NULL && !r->clone->unique;

	g_hash_table_iter_init(&it, h->node->attrs);
	while (g_hash_table_iter_next(&it, &k, &v)) {
		const char *key = k;
		if (!strncmp(key, p1, l1) && name_ends(key + l1, anon))
			h->fail_count = vg_score_add(h->fail_count, sc_score(v, 0));
		else if (!strncmp(key, p2, l2) && name_ends(key + l2, anon))
			h->last_failure =
			    MAX(h->last_failure, (vg_time_t)g_ascii_strtoll(v, NULL, 10));
	}
	g_free(p1);
	g_free(p2);
	h->raw_fail_count = h->fail_count;
	if (h->fail_count > 0 && r->failure_timeout > 0 && h->last_failure > 0 &&
	    !blocks_expiry(r, h->lrm_rsc)) {
		vg_time_t expires = h->last_failure + (vg_time_t)r->failure_timeout;
		if (expires <= sc->now) {
			h->fail_count = 0;
			h->expired_failure = true;
		} else if (expires < sc->recheck) {
			sc->recheck = expires;
		}
	}
}

/*
 * An anonymous clone's instance found on an offline or unclean node, when
 * the resource does not need fencing and the clone has fewer instances
 * than the cluster has nodes, does not take an instance number: it is an
 * orphan of its own (stopped there without waiting for the fencing), so
 * the numbered instance stays free to start elsewhere at once.  A guest
 * node is exempt: its "fencing" is only the stop of its container.
 */
static bool unfenced_leftover(sc_t *sc, const sc_node_t *n, const char *base)
{
	sc_rsc_t *c = g_hash_table_lookup(sc->clone_of, base), *r;
	char *first;

	if ((n->online && !n->unclean) || c == NULL || c->unique ||
	    c->clone_max >= (int)sc->nodes->len || g_strcmp0(n->kind, "guest") == 0)
		return false;
	/* every instance shares the configured meta: ask the first */
	first = g_strdup_printf("%s:0", base);
	r = sc_rsc(sc, first);
	g_free(first);
	return r != NULL && r->kind == RSC_PRIMITIVE && r->requires != NULL &&
	       strcmp(r->requires, "fencing") && strcmp(r->requires, "unfencing");
}

static void unpack_lrm_rsc(sc_t *sc, sc_node_t *n, const sc_lrm_rsc_t *lr)
{
	const char *id = lr->id;
	sc_rsc_t *r;
	sc_hist_t *h;
	GArray *ops = g_array_sized_new(FALSE, FALSE, sizeof(op_rec_t), lr->n_ops);

	if (id == NULL)
		goto out;
	r = sc_rsc(sc, id);
	if (r == NULL || r->clone != NULL) {
		char *base = g_strdup(id), *colon = strrchr(base, ':');
		sc_rsc_t *inst;
		bool cloned;

		if (colon != NULL)
			*colon = 0;
		cloned = g_hash_table_contains(sc->clone_of, base);
		inst = unfenced_leftover(sc, n, base) ? NULL : sc_clone_history_rsc(sc, id, n);
		g_free(base);
		if (inst != NULL)
			r = inst;
		else if (cloned && (r = clone_orphan(sc, lr)) == NULL)
			goto out; /* a leftover entry of nothing active */
	}
	if (r != NULL && r->kind != RSC_PRIMITIVE)
		goto out;
	if (r == NULL)
		r = orphan_rsc(sc, lr);
	h = sc_hist(r, n);
	h->probed = true;
	h->lrm_rsc = lr;
	if (lr->shutdown_lock != NULL)
		h->lock_time = g_ascii_strtoll(lr->shutdown_lock, NULL, 10);
	for (guint i = 0; i < lr->n_ops; i++) {
		op_rec_t o;

		if (lr->ops[i].last_failure)
			h->last_failure_op = &lr->ops[i];
		read_op(&lr->ops[i], &o);
		g_array_append_val(ops, o);
	}
	g_array_sort(ops, by_call_id);
	for (guint i = 0; i < ops->len; i++)
		replay_op(sc, r, h, &g_array_index(ops, op_rec_t, i));
	if (h->reprobe && h->role <= ROLE_STOPPED)
		h->probed = false;
	/* an anonymous instance active here is known by this entry's name */
	if (r->clone != NULL && !r->clone->unique && h->role > ROLE_STOPPED) {
		g_free(r->clone_name);
		r->clone_name = g_strdup(id);
	}
out:
	g_array_free(ops, TRUE);
}

/* shutdown-lock: what a cleanly stopped node still holds. */
static void unpack_locks(sc_t *sc, sc_node_t *n)
{
	const sc_lrm_node_t *lrm = sc_lrm_of(sc, n->state);

	for (guint i = 0; lrm != NULL && i < lrm->n_rscs; i++) {
		const char *t = lrm->rscs[i].shutdown_lock;
		sc_rsc_t *r = lrm->rscs[i].id != NULL ? sc_rsc(sc, lrm->rscs[i].id) : NULL;
		if (t != NULL && r != NULL && r->kind == RSC_PRIMITIVE)
			sc_hist(r, n)->lock_time = g_ascii_strtoll(t, NULL, 10);
	}
}

static void unpack_node_lrm(sc_t *sc, sc_node_t *n)
{
	const sc_lrm_node_t *lrm = sc_lrm_of(sc, n->state);

	for (guint i = 0; lrm != NULL && i < lrm->n_rscs; i++)
		unpack_lrm_rsc(sc, n, &lrm->rscs[i]);
}

/* A vg_sched_input_t has the records already; a CIB tree's are read here
 * the first time they are needed. */
const sc_lrm_node_t *sc_lrm_of(sc_t *sc, const xmlNode *ns)
{
	const sc_lrm_node_t *lrm;

	if (ns == NULL)
		return NULL;
	if (sc->lrm_input != NULL)
		return sc_lrm_store_get(sc->lrm_input, ns);
	if (sc->lrm_own == NULL)
		sc->lrm_own = sc_lrm_store_new();
	lrm = sc_lrm_store_get(sc->lrm_own, ns);
	return lrm != NULL ? lrm : sc_lrm_store_add(sc->lrm_own, ns, ns);
}

/*
 * shutdown-lock found in the history: the resource stays with that node
 * (Pacemaker reads it for any primitive but fencing devices and clone
 * instances, which are never locked).  A lock past shutdown-lock-limit
 * is not one: its history is deleted instead (sched_actions.c).
 */
static void history_lock(sc_t *sc, sc_rsc_t *r, sc_hist_t *h)
{
	if (!sc->shutdown_lock || h->lock_time <= 0 || h->node->unclean || r->is_fencing ||
	    r->clone != NULL)
		return;
	if (sc->shutdown_lock_limit > 0 &&
	    h->lock_time + (vg_time_t)sc->shutdown_lock_limit <= sc->now) {
		h->lock_expired = true;
		return;
	}
	if (r->hist_lock == NULL) {
		r->hist_lock = r->lock_node = h->node;
		r->lock_time = h->lock_time;
	}
}

/* Is the last entry (by call) of h newer than op, an entry of another
 * node?  Unknown times are not newer. */
static bool newer_there(const sc_hist_t *h, const sc_lrm_op_t *op)
{
	const sc_lrm_op_t *last = NULL;

	for (guint k = 0; h->lrm_rsc != NULL && k < h->lrm_rsc->n_ops; k++)
		if (last == NULL || h->lrm_rsc->ops[k].call > last->call)
			last = &h->lrm_rsc->ops[k];
	return last != NULL && last->last_rc_change > 0 && op->last_rc_change > 0 &&
	       last->last_rc_change > op->last_rc_change;
}

/*
 * Active on several nodes, some through a recorded migration: reading a
 * node's migration entry makes the resource active on the other end at
 * once (unless that end has newer history of its own), before the node
 * read itself.  The list, and so the node the summary speaks of, keeps
 * that order.
 */
static void migration_order(sc_rsc_t *r)
{
	GPtrArray *order = g_ptr_array_new();

	for (guint i = 0; i < r->running_on->len; i++) {
		sc_node_t *x = r->running_on->pdata[i];
		const sc_hist_t *h = sc_hist(r, x);
		const sc_lrm_op_t *mig = NULL;

		if (g_ptr_array_find(order, x, NULL))
			continue;
		for (guint k = 0; h->lrm_rsc != NULL && k < h->lrm_rsc->n_ops; k++) {
			const sc_lrm_op_t *op = &h->lrm_rsc->ops[k];
			if (op->migrate_source != NULL && op->migrate_target != NULL &&
			    (mig == NULL || op->call > mig->call))
				mig = op;
		}
		for (guint j = 0; mig != NULL && j < r->running_on->len; j++) {
			sc_node_t *y = r->running_on->pdata[j];
			const char *peer = !strcmp(x->name, mig->migrate_source)
			                       ? mig->migrate_target
			                       : mig->migrate_source;
			if (y != x && !strcmp(y->name, peer) && !g_ptr_array_find(order, y, NULL) &&
			    !newer_there(sc_hist(r, y), mig))
				g_ptr_array_add(order, y);
		}
		g_ptr_array_add(order, x);
	}
	for (guint i = 0; i < order->len; i++)
		r->running_on->pdata[i] = order->pdata[i];
	g_ptr_array_free(order, TRUE);
}

/* Fold the per-node history into the resource's current state. */
static void summarise(sc_t *sc, sc_rsc_t *r)
{
	for (guint i = 0; i < r->hist->len; i++) {
		sc_hist_t *h = r->hist->pdata[i];

		history_lock(sc, r, h);

		failcounts(sc, r, h);
		sc_check_digests(r, h);
		if (h->lrm_rsc != NULL && !r->orphan &&
		    (g_strcmp0(h->lrm_rsc->cls, r->cls) || g_strcmp0(h->lrm_rsc->type, r->type) ||
		     g_strcmp0(h->lrm_rsc->prov, r->prov)))
			h->type_changed = true;
		if (h->start_failed && h->failed && !h->expired_failure)
			h->fail_count = INF;
		if (h->role == ROLE_STARTED && r->clone != NULL && r->clone->promotable)
			h->role = ROLE_UNPROMOTED;
		if (h->role > ROLE_STOPPED) {
			g_ptr_array_add(r->running_on, h->node);
			if (h->role > r->role)
				r->role = h->role;
		}
		if (h->failed) {
			r->failed = true;
			if (h->on_fail != NULL && !strcmp(h->on_fail, "block"))
				r->blocked = true;
			if (h->on_fail != NULL && !strcmp(h->on_fail, "fence") &&
			    sc->stonith_enabled && !h->node->unclean) {
				h->node->unclean = true;
				h->node->failure_fenced = true;
				g_free(h->node->fence_reason);
				h->node->fence_reason = g_strdup_printf("%s failed there", r->id);
			}
			if (h->on_fail != NULL && !strcmp(h->on_fail, "standby")) {
				h->node->standby = true;
				h->node->standby_onfail = true;
			}
			if (h->on_fail != NULL && !strcmp(h->on_fail, "stop"))
				r->target_role = ROLE_STOPPED;
		}
		if (h->node->maintenance && h->role > ROLE_STOPPED)
			r->managed = false; /* a node in maintenance keeps what runs there */
		if (h->pending) {
			r->pending = true;
			r->pending_task = h->pending_task;
		}
	}
	if (r->role == ROLE_UNKNOWN)
		r->role = ROLE_STOPPED;
	if (r->running_on->len > 1)
		migration_order(r);
	/* parents show the most active role of their children */
	for (sc_rsc_t *p = r->parent; p != NULL; p = p->parent) {
		if (r->role > p->role)
			p->role = r->role;
		if (r->failed)
			p->failed = true;
	}
}

int sc_unpack_status(sc_t *sc, vg_error_t *err)
{
	xmlNode *st;

	(void)err;
	/* in the status section's order, as instance numbers depend on it */
	if (sc->status != NULL)
		VG_XML_FOREACH(st, sc->status, "node_state")
		{
			sc_node_t *n = NULL;
			for (guint i = 0; i < sc->nodes->len && n == NULL; i++)
				if (((sc_node_t *)sc->nodes->pdata[i])->state == st)
					n = sc->nodes->pdata[i];
			/* A clean offline node runs nothing; an unclean one may still. */
			if (n != NULL && !n->online && !n->unclean && sc->shutdown_lock)
				unpack_locks(sc, n);
			if (n == NULL || (!n->online && !n->unclean && !n->maintenance))
				continue;
			unpack_node_lrm(sc, n);
		}
	for (guint i = 0; i < sc->all->len; i++) {
		sc_rsc_t *r = sc->all->pdata[i];
		if (r->kind == RSC_PRIMITIVE)
			summarise(sc, r);
	}
	for (guint i = 0; i < sc->all->len; i++) {
		sc_rsc_t *r = sc->all->pdata[i];
		if (r->role == ROLE_UNKNOWN)
			r->role = ROLE_STOPPED;
	}
	return 0;
}
