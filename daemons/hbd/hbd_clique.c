/*
 * The deterministic split of a partition into views (see hbd_view.c): given
 * the mutual-connectivity graph of up to 64 nodes (indexes in id order),
 * take the best maximal clique -- the largest; among equals the one whose
 * sorted id list is lowest -- remove it, repeat, and return the clique that
 * holds `self`.  Every node that knows the same graph gets the same answer,
 * so the members of a clique agree on it.  Bron-Kerbosch with pivoting; no
 * state, no allocation.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "hbd_wire.h"

/* Larger wins; among equals the one holding the lowest index where they differ. */
static bool better(uint64_t a, uint64_t b)
{
	int pa = __builtin_popcountll(a), pb = __builtin_popcountll(b);

	if (pa != pb)
		return pa > pb;
	return a != b && (a & (a ^ b) & -(a ^ b)) != 0;
}

static void bron_kerbosch(const uint64_t *adj, uint64_t r, uint64_t p, uint64_t x, uint64_t *best)
{
	uint64_t cand;
	int u;

	if (p == 0 && x == 0) {
		if (better(r, *best))
			*best = r;
		return;
	}
	if (__builtin_popcountll(r) + __builtin_popcountll(p) < __builtin_popcountll(*best))
		return;
	u = __builtin_ctzll(p | x);
	cand = p & ~adj[u];
	while (cand) {
		int v = __builtin_ctzll(cand);
		uint64_t bit = 1ull << v;

		cand &= cand - 1;
		bron_kerbosch(adj, r | bit, p & adj[v], x & adj[v], best);
		p &= ~bit;
		x |= bit;
	}
}

uint64_t hb_clique_of(const uint64_t *adj, int n, int self)
{
	uint64_t remaining = n >= 64 ? ~0ull : (1ull << n) - 1, best = 0;

	VG_ASSERT(n > 0 && n <= 64 && self >= 0 && self < n);
	while (remaining) {
		best = 0;
		bron_kerbosch(adj, 0, remaining, 0, &best);
		if (best == 0 || (best & (1ull << self)))
			break;
		remaining &= ~best;
	}
	return (best & (1ull << self)) ? best : 1ull << self;
}
