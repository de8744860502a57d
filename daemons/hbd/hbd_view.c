/*
 * Membership views and quorum.
 *
 * Every node gossips, in each heartbeat, the connectivity matrix it knows:
 * one row per node ("whom node X hears", stamped with a version X raises on
 * every change), and its current view.  From the matrix every node computes
 * the same graph: an edge joins A and B when each hears the other.  The nodes
 * of a connected partition are split into cliques deterministically -- take
 * the largest clique, ties broken by the lowest sorted list of ids, remove
 * it, repeat -- so that every member of a view can talk to every other, and
 * an asymmetric cut (A-B, B-C up, A-C down) ends as {A,B} and {C} on all
 * nodes.  The lowest id of a clique is its leader: it alone installs a new
 * view (id = 1 + the highest view id any member reported) and announces it
 * in an immediate heartbeat; the others adopt a leader's view that contains
 * them with a higher id than theirs.  So all members see the same (id,
 * members) sequence, and view ids only grow.
 *
 * Edges another node reports lost are kept for a short grace period (unless
 * the loss is our own observation), so that a node killed outright leaves
 * every survivor's view in one step instead of splitting them first; a node
 * that appears is left out for HB_JOIN_MS, until its row is complete, so its
 * arrival never splits the members it is joining.  A merge that would take
 * a node out of the view it reports, away from a member it still hears,
 * waits (at most deadtime) until the newcomer's edges are mutual: a slow
 * start must not look like a loss and get a node fenced.
 *
 * Quorum follows votequorum: votes of the view's members against the votes
 * of all configured nodes; two_node keeps a lone survivor quorate;
 * wait_for_all withholds quorum until all nodes have been seen together.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define VG_LOG_SUBSYS "hbd"
#include <string.h>

#include "hbd.h"

#define MAX_GRAPH           64
#define MAX_GROUPS          32
#define ROW_VERSION(inc, n) (((inc) << 20) + (n))

typedef struct row {
	uint64_t version;
	GArray *ids; /* uint32_t, sorted */
} row_t;

static void row_free(gpointer p)
{
	row_t *r = p;

	g_array_unref(r->ids);
	g_free(r);
}

void hb_member_clear(gpointer p)
{
	hb_member_t *m = p;

	if (m->groups != NULL)
		g_ptr_array_unref(m->groups);
	m->groups = NULL;
}

static GArray *members_new(void)
{
	GArray *a = g_array_new(FALSE, TRUE, sizeof(hb_member_t));

	g_array_set_clear_func(a, hb_member_clear);
	return a;
}

void hbd_view_init(hbd_t *h)
{
	row_t *own = g_new0(row_t, 1);

	h->rows = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, row_free);
	own->ids = g_array_new(FALSE, FALSE, sizeof(uint32_t));
	own->version = ROW_VERSION(h->incarnation, 0);
	g_hash_table_insert(h->rows, GUINT_TO_POINTER(h->my_id), own);
	h->view.members = members_new();
	h->edge_gone = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, g_free);
}

void hbd_view_free(hbd_t *h)
{
	if (h->rows)
		g_hash_table_destroy(h->rows);
	if (h->view.members)
		g_array_unref(h->view.members);
	if (h->edge_gone)
		g_hash_table_destroy(h->edge_gone);
}

/* Is `id` among `members` (hb_member_t)? */
static bool view_has_id(GArray *members, uint32_t id)
{
	for (guint k = 0; k < members->len; k++)
		if (g_array_index(members, hb_member_t, k).id == id)
			return true;
	return false;
}

bool hbd_view_has(const hbd_t *h, uint32_t id)
{
	return view_has_id(h->view.members, id);
}

static bool row_has(const row_t *r, uint32_t id)
{
	for (guint i = 0; r != NULL && i < r->ids->len; i++)
		if (g_array_index(r->ids, uint32_t, i) == id)
			return true;
	return false;
}

static gint cmp_u32(gconstpointer a, gconstpointer b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* Our own row: the peers we hear. */
static bool own_row_update(hbd_t *h)
{
	row_t *own = g_hash_table_lookup(h->rows, GUINT_TO_POINTER(h->my_id));
	GArray *ids = g_array_new(FALSE, FALSE, sizeof(uint32_t));
	bool same;

	for (guint i = 0; i < h->peers->len; i++) {
		hb_peer_t *p = g_ptr_array_index(h->peers, i);

		if (p != h->self && p->state == HB_NODE_ALIVE)
			g_array_append_val(ids, p->id);
	}
	g_array_sort(ids, cmp_u32);
	same =
	    ids->len == own->ids->len &&
	    (ids->len == 0 || memcmp(ids->data, own->ids->data, ids->len * sizeof(uint32_t)) == 0);
	if (same) {
		g_array_unref(ids);
		return false;
	}
	g_array_unref(own->ids);
	own->ids = ids;
	own->version++;
	return true;
}

/* ------------------------------------------------------------ the graph */

typedef struct graph {
	int n;
	uint32_t ids[MAX_GRAPH]; /* sorted */
	uint64_t adj[MAX_GRAPH]; /* bit j of adj[i]: i and j hear each other */
} graph_t;

static bool recently_lost(hbd_t *h, uint32_t id, gint64 now, gint64 grace)
{
	hb_peer_t *p;

	if (id == h->my_id)
		return false;
	p = hbd_peer_by_id(h, id);
	return p != NULL && p->state != HB_NODE_ALIVE && p->lost_at != 0 &&
	       now - p->lost_at < grace;
}

/* Appeared less than HB_JOIN_MS ago and not (in this incarnation) a member. */
static bool just_joined(hbd_t *h, uint32_t id, gint64 now)
{
	hb_peer_t *p = id == h->my_id ? NULL : hbd_peer_by_id(h, id);

	if (p == NULL || now - p->alive_since >= HB_JOIN_MS * 1000)
		return false;
	for (guint i = 0; i < h->view.members->len; i++) {
		const hb_member_t *m = &g_array_index(h->view.members, hb_member_t, i);

		if (m->id == id && m->incarnation == p->incarnation)
			return false;
	}
	return true;
}

static gboolean on_join_settled(gpointer data)
{
	hbd_t *h = data;

	h->join_timer = 0;
	hbd_view_update(h);
	return G_SOURCE_REMOVE;
}

void hbd_view_join_later(hbd_t *h)
{
	if (h->join_timer != 0)
		g_source_remove(h->join_timer);
	h->join_timer = g_timeout_add(HB_JOIN_MS + 1, on_join_settled, h);
}

static bool edge_present(hbd_t *h, uint32_t a, uint32_t b, gint64 now)
{
	row_t *ra = g_hash_table_lookup(h->rows, GUINT_TO_POINTER(a));
	row_t *rb = g_hash_table_lookup(h->rows, GUINT_TO_POINTER(b));
	gint64 key = ((gint64)MIN(a, b) << 32) | MAX(a, b), *since;
	gint64 grace = (gint64)MIN(h->cfg->keepalive_ms * 2, h->cfg->deadtime_ms / 2) * 1000;

	if (just_joined(h, a, now) || just_joined(h, b, now))
		return false;
	if (row_has(ra, b) && row_has(rb, a)) {
		g_hash_table_remove(h->edge_gone, &key);
		/* a node we just lost: the others will notice soon; until then their
		 * stale claims to hear it must not pull the partition apart */
		return !recently_lost(h, a, now, grace) && !recently_lost(h, b, now, grace);
	}
	/* our own observation counts at once; a reported loss after a grace period */
	if (a == h->my_id || b == h->my_id)
		return false;
	if (!row_has(g_hash_table_lookup(h->rows, GUINT_TO_POINTER(h->my_id)), a) ||
	    !row_has(g_hash_table_lookup(h->rows, GUINT_TO_POINTER(h->my_id)), b))
		return false;
	since = g_hash_table_lookup(h->edge_gone, &key);
	if (since == NULL) {
		since = g_new(gint64, 1);
		*since = now;
		g_hash_table_insert(h->edge_gone, g_memdup2(&key, sizeof(key)), since);
	}
	return now - *since < grace;
}

/* Nodes reachable from us over mutual edges, sorted by id. */
static void graph_build(hbd_t *h, graph_t *g)
{
	GArray *all = g_array_new(FALSE, FALSE, sizeof(uint32_t));
	GHashTableIter it;
	gpointer k;
	uint64_t adj[MAX_GRAPH] = {0}, seen, frontier;
	gint64 now = g_get_monotonic_time();
	int n, self = 0;

	g_hash_table_iter_init(&it, h->rows);
	while (g_hash_table_iter_next(&it, &k, NULL)) {
		uint32_t id = GPOINTER_TO_UINT(k);

		g_array_append_val(all, id);
	}
	g_array_sort(all, cmp_u32);
	n = MIN((int)all->len, MAX_GRAPH);
	for (int i = 0; i < n; i++) {
		uint32_t a = g_array_index(all, uint32_t, i);

		if (a == h->my_id)
			self = i;
		for (int j = i + 1; j < n; j++)
			if (edge_present(h, a, g_array_index(all, uint32_t, j), now)) {
				adj[i] |= 1ull << j;
				adj[j] |= 1ull << i;
			}
	}
	seen = frontier = 1ull << self;
	while (frontier) {
		int v = __builtin_ctzll(frontier);

		frontier &= frontier - 1;
		frontier |= adj[v] & ~seen;
		seen |= adj[v];
	}
	g->n = 0;
	for (int i = 0; i < n; i++)
		if (seen & (1ull << i))
			g->ids[g->n++] = g_array_index(all, uint32_t, i);
	for (int i = 0; i < g->n; i++) {
		g->adj[i] = 0;
		for (int j = 0; j < g->n; j++)
			if (i != j && edge_present(h, g->ids[i], g->ids[j], now))
				g->adj[i] |= 1ull << j;
	}
	g_array_unref(all);
}

/* Our clique: ids into out (sorted). */
static void candidate(hbd_t *h, GArray *out, GArray *graph)
{
	graph_t g;
	uint64_t best;
	int self = 0;

	graph_build(h, &g);
	for (int i = 0; i < g.n; i++)
		if (g.ids[i] == h->my_id)
			self = i;
	best = hb_clique_of(g.adj, g.n, self);
	for (int i = 0; i < g.n; i++) {
		if (best & (1ull << i))
			g_array_append_val(out, g.ids[i]);
		g_array_append_val(graph, g.ids[i]);
	}
}

/* ------------------------------------------------------------- views */

static GPtrArray *groups_copy(GPtrArray *src)
{
	GPtrArray *g = g_ptr_array_new_with_free_func(g_free);

	for (guint i = 0; src != NULL && i < src->len; i++)
		g_ptr_array_add(g, g_strdup(g_ptr_array_index(src, i)));
	return g;
}

static bool groups_equal(GPtrArray *a, GPtrArray *b)
{
	if ((a ? a->len : 0) != (b ? b->len : 0))
		return false;
	for (guint i = 0; a != NULL && i < a->len; i++)
		if (strcmp(g_ptr_array_index(a, i), g_ptr_array_index(b, i)) != 0)
			return false;
	return true;
}

static bool members_equal(GArray *a, GArray *b)
{
	if (a->len != b->len)
		return false;
	for (guint i = 0; i < a->len; i++) {
		hb_member_t *x = &g_array_index(a, hb_member_t, i),
		            *y = &g_array_index(b, hb_member_t, i);

		if (x->id != y->id || x->incarnation != y->incarnation ||
		    !groups_equal(x->groups, y->groups))
			return false;
	}
	return true;
}

static void log_view(hbd_t *h, GArray *old)
{
	GString *s = g_string_new(NULL);

	for (guint i = 0; i < h->view.members->len; i++) {
		hb_peer_t *p = hbd_peer_by_id(h, g_array_index(h->view.members, hb_member_t, i).id);

		g_string_append_printf(s, " %s", p ? p->name : "?");
	}
	for (guint i = 0; i < old->len; i++) {
		uint32_t id = g_array_index(old, hb_member_t, i).id;
		hb_peer_t *p = hbd_peer_by_id(h, id);

		if (!hbd_view_has(h, id))
			g_string_append_printf(s, " (left: %s)", p ? p->name : "?");
	}
	/* the monotonic stamp lets tests and benchmarks time convergence */
	vg_log_notice("view %" G_GUINT64_FORMAT ":%s [mono %.3f]", h->view.id, s->str,
	              g_get_monotonic_time() / 1e6);
	g_string_free(s, TRUE);
}

static void view_install(hbd_t *h, uint64_t id, GArray *members)
{
	GArray *old = h->view.members;
	unsigned configured_seen = 0;

	h->view.id = id;
	h->view.members = members;
	h->view_installed = g_get_monotonic_time();
	h->merge_held = 0; /* a hold is about the view it held on to */
	hbd_heartbeat_soon(h);
	log_view(h, old);
	for (guint i = 0; i < members->len; i++) {
		hb_peer_t *p = hbd_peer_by_id(h, g_array_index(members, hb_member_t, i).id);

		configured_seen += p != NULL && p->configured;
		if (p != NULL && p != h->self && p->wfa_done)
			h->wfa_done = true;
	}
	if (configured_seen == h->cfg->nodes->len)
		h->wfa_done = true;
	g_array_unref(old);
	hbd_stream_view_changed(h);
	hbd_ipc_view_changed(h);
}

static GArray *members_for(hbd_t *h, GArray *ids)
{
	GArray *m = members_new();

	for (guint i = 0; i < ids->len; i++) {
		hb_peer_t *p = hbd_peer_by_id(h, g_array_index(ids, uint32_t, i));
		hb_member_t mem = {p->id, p->incarnation, NULL};

		mem.groups = p == h->self ? hbd_ipc_groups(h) : groups_copy(p->groups);
		g_array_append_val(m, mem);
	}
	return m;
}

/*
 * Before replacing its view the leader waits until every member that stays
 * has reported the current view, so that all members see the same sequence
 * of views even when changes come faster than heartbeats.  A member that
 * never answers is not waited for longer than deadtime.
 */
static bool settled(hbd_t *h, GArray *ids)
{
	gint64 now = g_get_monotonic_time();

	if (now - h->view_installed > (gint64)h->cfg->deadtime_ms * 1000)
		return true;
	for (guint i = 0; i < ids->len; i++) {
		hb_peer_t *p = hbd_peer_by_id(h, g_array_index(ids, uint32_t, i));

		if (p != h->self && hbd_view_has(h, p->id) && p->view_id < h->view.id)
			return false;
	}
	return true;
}

/* Each of a and b lists the other, neither lost a moment ago: unlike
 * edge_present(), a node we only just heard counts, since the question is
 * whether the two still belong together, not whether we may join them. */
static bool edge_mutual(hbd_t *h, uint32_t a, uint32_t b, gint64 now)
{
	gint64 grace = (gint64)MIN(h->cfg->keepalive_ms * 2, h->cfg->deadtime_ms / 2) * 1000;

	return row_has(g_hash_table_lookup(h->rows, GUINT_TO_POINTER(a)), b) &&
	       row_has(g_hash_table_lookup(h->rows, GUINT_TO_POINTER(b)), a) &&
	       !recently_lost(h, a, now, grace) && !recently_lost(h, b, now, grace);
}

static bool has_id(GArray *ids, uint32_t id)
{
	for (guint k = 0; k < ids->len; k++)
		if (g_array_index(ids, uint32_t, k) == id)
			return true;
	return false;
}

/* Would the candidate `ids` take `anchor` (in it) away from a member of
 * `view` that it still hears both ways, with a newcomer to that view in
 * the graph being the reason? */
static bool splits(hbd_t *h, GArray *view, uint32_t anchor, GArray *ids, GArray *graph, gint64 now)
{
	bool newcomer = false;

	for (guint k = 0; k < graph->len && !newcomer; k++)
		newcomer = !view_has_id(view, g_array_index(graph, uint32_t, k));
	if (!newcomer)
		return false; /* no one joins: a missing edge inside a view is a loss */
	for (guint j = 0; j < view->len; j++) {
		uint32_t m = g_array_index(view, hb_member_t, j).id;

		if (m != anchor && !has_id(ids, m) && hbd_peer_by_id(h, m) != NULL &&
		    edge_mutual(h, anchor, m, now))
			return true;
	}
	return false;
}

/*
 * A node joining (a restarted node, a healing partition) must not carve
 * a member out of the view it belongs to just because one edge to the
 * newcomer is not mutual yet: its row reaches the others a heartbeat after
 * theirs reached it, and in between the largest clique with the newcomer
 * may take one member and leave the other alone -- whom a controller would
 * then fence.  So a candidate that separates two members of our view, or
 * of a candidate member's view, who still hear each other, while a node
 * new to that view is about, waits; for at most deadtime, after which a
 * one-way link splits the views as it must.
 */
static bool merge_splits_a_view(hbd_t *h, GArray *ids, GArray *graph)
{
	gint64 now = g_get_monotonic_time();
	bool split = splits(h, h->view.members, h->my_id, ids, graph, now);

	for (guint i = 0; i < ids->len && !split; i++) {
		hb_peer_t *n = hbd_peer_by_id(h, g_array_index(ids, uint32_t, i));

		if (n == h->self || n->view == NULL ||
		    (n->view_id == h->view.id && members_equal(n->view, h->view.members)))
			continue;
		split = splits(h, n->view, n->id, ids, graph, now);
	}
	if (!split) {
		h->merge_held = 0;
		return false;
	}
	if (h->merge_held == 0)
		h->merge_held = now;
	return now - h->merge_held < (gint64)h->cfg->deadtime_ms * 1000;
}

void hbd_view_update(hbd_t *h)
{
	GArray *ids = g_array_new(FALSE, FALSE, sizeof(uint32_t)), *members;
	GArray *graph = g_array_new(FALSE, FALSE, sizeof(uint32_t));
	uint64_t top = h->view.id;
	bool behind = false;

	if (own_row_update(h))
		hbd_heartbeat_soon(h);
	candidate(h, ids, graph);
	if (g_array_index(ids, uint32_t, 0) != h->my_id) {
		h->merge_held = 0;
		goto out; /* not the leader: wait for the leader's view */
	}
	members = members_for(h, ids);
	for (guint i = 0; i < ids->len; i++) {
		hb_peer_t *p = hbd_peer_by_id(h, g_array_index(ids, uint32_t, i));

		top = MAX(top, p->view_id);
		/* a member ahead of us, or at our id with other members (two views
		 * were installed with one id during a partition): move past both */
		behind |= p != h->self &&
		          (p->view_id > h->view.id ||
		           (p->view_id == h->view.id && !members_equal(p->view, h->view.members)));
	}
	if ((!behind && members_equal(members, h->view.members)) || !settled(h, ids) ||
	    merge_splits_a_view(h, ids, graph)) {
		g_array_unref(members); /* nothing new, or let the members catch up first */
		goto out;
	}
	view_install(h, top + 1, members);
	hbd_heartbeat_soon(h);
out:
	g_array_unref(ids);
	g_array_unref(graph);
}

/* ------------------------------------------------------------- quorum */

void hbd_quorum_compute(hbd_t *h, bool *quorate, unsigned *votes, unsigned *expected)
{
	*votes = 0;
	*expected = 0;
	for (guint i = 0; i < h->peers->len; i++) {
		hb_peer_t *p = g_ptr_array_index(h->peers, i);
		bool member = hbd_view_has(h, p->id);

		if (p->configured || member)
			*expected += p->votes;
		if (member)
			*votes += p->votes;
	}
	if (h->hb->two_node && *expected == 2)
		*quorate = *votes >= 1;
	else
		*quorate = 2 * *votes > *expected;
	if (h->hb->wait_for_all && !h->wfa_done)
		*quorate = false;
}

/* ---------------------------------------------------------- heartbeats */

void hbd_heartbeat_encode(hbd_t *h, hb_wbuf_t *w)
{
	GPtrArray *groups = hbd_ipc_groups(h);
	GHashTableIter it;
	gpointer k, v;

	hb_put_str(w, h->my_name);
	hb_put_u8(w, h->wfa_done ? 1 : 0);
	hb_put_u64(w, h->view.id);
	hb_put_u16(w, (uint16_t)h->view.members->len);
	for (guint i = 0; i < h->view.members->len; i++) {
		hb_member_t *m = &g_array_index(h->view.members, hb_member_t, i);

		hb_put_u32(w, m->id);
		hb_put_u64(w, m->incarnation);
		hb_put_u8(w, (uint8_t)(m->groups ? m->groups->len : 0));
		for (guint j = 0; m->groups != NULL && j < m->groups->len; j++)
			hb_put_str(w, g_ptr_array_index(m->groups, j));
	}
	hb_put_u8(w, (uint8_t)groups->len);
	for (guint j = 0; j < groups->len; j++)
		hb_put_str(w, g_ptr_array_index(groups, j));
	g_ptr_array_unref(groups);
	hb_put_u16(w, (uint16_t)g_hash_table_size(h->rows));
	g_hash_table_iter_init(&it, h->rows);
	while (g_hash_table_iter_next(&it, &k, &v)) {
		row_t *r = v;

		hb_put_u32(w, GPOINTER_TO_UINT(k));
		hb_put_u64(w, r->version);
		hb_put_u16(w, (uint16_t)r->ids->len);
		for (guint j = 0; j < r->ids->len; j++)
			hb_put_u32(w, g_array_index(r->ids, uint32_t, j));
	}
	hbd_stream_encode_hb(h, w);
}

static GPtrArray *get_groups(hb_rbuf_t *r)
{
	GPtrArray *g = g_ptr_array_new_with_free_func(g_free);
	unsigned n = hb_get_u8(r);
	char name[256];

	if (n > MAX_GROUPS)
		r->bad = true;
	for (unsigned i = 0; i < n && !r->bad; i++)
		if (hb_get_str(r, name))
			g_ptr_array_add(g, g_strdup(name));
	return g;
}

static void rows_merge(hbd_t *h, hb_rbuf_t *r)
{
	unsigned n = hb_get_u16(r);

	if (n > MAX_GRAPH)
		r->bad = true;
	for (unsigned i = 0; i < n && !r->bad; i++) {
		uint32_t id = hb_get_u32(r);
		uint64_t version = hb_get_u64(r);
		unsigned cnt = hb_get_u16(r);
		row_t *cur;
		GArray *ids;

		if (cnt > MAX_GRAPH) {
			r->bad = true;
			break;
		}
		ids = g_array_new(FALSE, FALSE, sizeof(uint32_t));
		for (unsigned j = 0; j < cnt; j++) {
			uint32_t x = hb_get_u32(r);

			g_array_append_val(ids, x);
		}
		cur = g_hash_table_lookup(h->rows, GUINT_TO_POINTER(id));
		/* our own row is ours alone; rows of unknown nodes are noise */
		if (r->bad || id == h->my_id || hbd_peer_by_id(h, id) == NULL ||
		    (cur != NULL && cur->version >= version)) {
			g_array_unref(ids);
			continue;
		}
		g_array_sort(ids, cmp_u32);
		if (cur == NULL) {
			cur = g_new0(row_t, 1);
			g_hash_table_insert(h->rows, GUINT_TO_POINTER(id), cur);
		} else {
			g_array_unref(cur->ids);
		}
		cur->ids = ids;
		cur->version = version;
	}
}

/* Adopt a leader's view that contains us and is newer than ours. */
static void maybe_adopt(hbd_t *h, hb_peer_t *p)
{
	bool me = false;

	if (p->view->len == 0 || g_array_index(p->view, hb_member_t, 0).id != p->id ||
	    p->view_id <= h->view.id)
		return;
	for (guint i = 0; i < p->view->len; i++) {
		hb_member_t *m = &g_array_index(p->view, hb_member_t, i);

		if (m->id == h->my_id)
			me = m->incarnation == h->incarnation;
		if (hbd_peer_by_id(h, m->id) == NULL)
			return;
	}
	if (!me)
		return;
	{
		GArray *copy = members_new();

		for (guint i = 0; i < p->view->len; i++) {
			hb_member_t m = g_array_index(p->view, hb_member_t, i);

			m.groups = groups_copy(m.groups);
			g_array_append_val(copy, m);
		}
		view_install(h, p->view_id, copy);
	}
}

int hbd_heartbeat_apply(hbd_t *h, hb_peer_t *p, const uint8_t *body, size_t len)
{
	hb_rbuf_t r = {body, len, 0, false};
	char name[256];
	uint64_t view_id;
	unsigned n;
	GArray *view = members_new();
	GPtrArray *groups;
	uint8_t flags;

	hb_get_str(&r, name);
	flags = hb_get_u8(&r);
	view_id = hb_get_u64(&r);
	n = hb_get_u16(&r);
	if (n > MAX_GRAPH)
		r.bad = true;
	for (unsigned i = 0; i < n && !r.bad; i++) {
		hb_member_t m = {0};

		m.id = hb_get_u32(&r);
		m.incarnation = hb_get_u64(&r);
		m.groups = get_groups(&r);
		g_array_append_val(view, m);
	}
	groups = get_groups(&r);
	if (r.bad) {
		g_array_unref(view);
		g_ptr_array_unref(groups);
		return -1;
	}
	g_array_sort(view, cmp_u32); /* hb_member_t starts with its id */
	p->wfa_done = (flags & 1) != 0;
	p->view_id = view_id;
	g_array_unref(p->view);
	p->view = view;
	g_ptr_array_unref(p->groups);
	p->groups = groups;
	rows_merge(h, &r);
	if (!r.bad)
		hbd_stream_apply_hb(h, p, &r);
	if (p->wfa_done && hbd_view_has(h, p->id) && !h->wfa_done) {
		h->wfa_done = true;
		hbd_ipc_view_changed(h);
	}
	maybe_adopt(h, p);
	hbd_view_update(h);
	return r.bad ? -1 : 0;
}

static gboolean on_soon(gpointer data)
{
	hbd_t *h = data;

	h->hb_idle = 0;
	if (h->hb_due)
		hbd_heartbeat_send(h);
	return G_SOURCE_REMOVE;
}

void hbd_heartbeat_soon(hbd_t *h)
{
	h->hb_due = true;
	if (h->hb_idle != 0)
		return;
	if (g_get_monotonic_time() - h->last_hb_sent >= HB_SOON_MS * 1000)
		h->hb_idle = g_idle_add(on_soon, h);
	else
		h->hb_idle = g_timeout_add(HB_SOON_MS, on_soon, h);
}

void hbd_heartbeat_send(hbd_t *h)
{
	uint8_t body[HB_MAX_BODY];
	hb_wbuf_t w = {body, 0, sizeof(body), false};

	hbd_heartbeat_encode(h, &w);
	if (w.overflow) {
		vg_log_error("heartbeat does not fit in %d bytes; too many nodes or groups",
		             HB_MAX_BODY);
		return;
	}
	hbd_send_packet(h, HB_P_HEARTBEAT, body, w.len, NULL, true);
	h->last_hb_sent = g_get_monotonic_time();
	h->hb_due = false;
}
