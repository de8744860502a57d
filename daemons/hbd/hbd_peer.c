/*
 * The receive path and liveness.  A packet that survived hbd_packet_decode()
 * (length, cluster, MAC) is checked here against the peer table: the sender
 * must be a configured node (or autojoin allows it), its incarnation must not
 * be older than the one we know, and its sequence number must be new on this
 * medium (a sliding window of HB_REPLAY_BITS per medium).  Only then does it
 * count as a sign of life and reach the view, stream and heartbeat handlers.
 *
 * Liveness: a peer is alive while some medium delivered a valid packet within
 * deadtime; a link (peer, medium) is up under the same rule.  Peers never
 * heard are "init" until initdead has passed since our start.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define VG_LOG_SUBSYS "hbd"
#include <arpa/inet.h>
#include <string.h>

#include "hbd.h"

void hbd_drop(hbd_t *h, hb_drop_t why)
{
	h->drops[why]++;
}

static hb_peer_t *peer_new(hbd_t *h, uint32_t id, const char *name, bool configured)
{
	hb_peer_t *p = g_new0(hb_peer_t, 1);

	p->id = id;
	p->name = g_strdup(name);
	p->configured = configured;
	p->votes = configured ? vg_hacf_node_votes(h->cfg, name) : 1;
	p->arbiter = configured && vg_hacf_is_arbiter(h->cfg, name);
	p->view = g_array_new(FALSE, TRUE, sizeof(hb_member_t));
	g_array_set_clear_func(p->view, hb_member_clear);
	p->groups = g_ptr_array_new_with_free_func(g_free);
	p->rx.ooo = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free,
	                                  (GDestroyNotify)g_bytes_unref);
	p->rx.msg = g_byte_array_new();
	g_ptr_array_add(h->peers, p);
	return p;
}

static void peer_free(gpointer data)
{
	hb_peer_t *p = data;

	g_free(p->name);
	g_array_unref(p->view);
	g_ptr_array_unref(p->groups);
	g_hash_table_destroy(p->rx.ooo);
	g_byte_array_unref(p->rx.msg);
	g_free(p);
}

void hbd_peers_init(hbd_t *h)
{
	h->peers = g_ptr_array_new_with_free_func(peer_free);
	h->self = peer_new(h, h->my_id, h->my_name, vg_hacf_node_id(h->cfg, h->my_name) != 0);
	h->self->incarnation = h->incarnation;
	h->self->state = HB_NODE_ALIVE;
	for (guint i = 0; i < h->cfg->nodes->len; i++) {
		const char *name = g_ptr_array_index(h->cfg->nodes, i);

		if (strcmp(name, h->my_name) != 0)
			peer_new(h, vg_hacf_node_id(h->cfg, name), name, true);
	}
}

void hbd_peers_free(hbd_t *h)
{
	if (h->peers != NULL)
		g_ptr_array_unref(h->peers);
	h->peers = NULL;
}

hb_peer_t *hbd_peer_by_id(hbd_t *h, uint32_t id)
{
	for (guint i = 0; i < h->peers->len; i++) {
		hb_peer_t *p = g_ptr_array_index(h->peers, i);

		if (p->id == id)
			return p;
	}
	return NULL;
}

/* 1: new, 0: seen already, -1: older than the window. */
static int replay_check(hb_replay_t *r, uint64_t seq)
{
	uint64_t d;

	if (seq > r->max_seq) {
		d = seq - r->max_seq;
		if (d >= HB_REPLAY_BITS) {
			memset(r->bits, 0, sizeof(r->bits));
		} else {
			/* shift the window by d: bit i moves to bit i + d */
			for (int w = HB_REPLAY_BITS / 64 - 1; w >= 0; w--) {
				uint64_t v = 0;
				int src = w - (int)(d / 64), sh = (int)(d % 64);

				if (src >= 0)
					v = r->bits[src] << sh;
				if (sh != 0 && src - 1 >= 0)
					v |= r->bits[src - 1] >> (64 - sh);
				r->bits[w] = v;
			}
		}
		r->max_seq = seq;
		r->bits[0] |= 1;
		return 1;
	}
	d = r->max_seq - seq;
	if (d >= HB_REPLAY_BITS)
		return -1;
	if (r->bits[d / 64] & (1ull << (d % 64)))
		return 0;
	r->bits[d / 64] |= 1ull << (d % 64);
	return 1;
}

static void peer_restarted(hbd_t *h, hb_peer_t *p, uint64_t incarnation)
{
	if (p->incarnation != 0)
		vg_log_notice("node %s: restarted (incarnation %" G_GUINT64_FORMAT
		              " -> %" G_GUINT64_FORMAT ")",
		              p->name, p->incarnation, incarnation);
	p->incarnation = incarnation;
	p->alive_since = g_get_monotonic_time();
	hbd_view_join_later(h);
	memset(p->replay, 0, sizeof(p->replay));
	memset(&p->any, 0, sizeof(p->any));
	p->view_id = 0;
	g_array_set_size(p->view, 0);
	g_ptr_array_set_size(p->groups, 0);
	p->wfa_done = false;
	p->base_known = false;
	hbd_stream_peer_reset(h, p);
}

/* Unknown sender: admit it when autojoin allows (name from its heartbeat). */
static hb_peer_t *admit(hbd_t *h, const hb_packet_t *pk)
{
	hb_rbuf_t r = {pk->body, pk->body_len, 0, false};
	char name[256];

	if (h->hb->autojoin == VG_HB_AUTOJOIN_NONE || pk->type != HB_P_HEARTBEAT ||
	    !hb_get_str(&r, name) || name[0] == '\0')
		return NULL;
	for (guint i = 0; i < h->peers->len; i++)
		if (strcmp(((hb_peer_t *)g_ptr_array_index(h->peers, i))->name, name) == 0)
			return NULL; /* a known name under another id: refuse */
	vg_log_notice("node %s: joining with id %u (autojoin)", name, pk->sender);
	return peer_new(h, pk->sender, name, false);
}

/* The lab's simulated loss and cuts (only with "fault_injection on"). */
static bool injected_fault(hbd_t *h, const hb_medium_t *m, uint32_t sender)
{
	unsigned mask;

	if (h->fault_block != NULL) {
		mask =
		    GPOINTER_TO_UINT(g_hash_table_lookup(h->fault_block, GUINT_TO_POINTER(sender)));
		if (mask & (hbd_medium_is_udp(m) ? 1u : 2u))
			return true;
	}
	return h->fault_loss > 0 && g_random_double() * 100.0 < h->fault_loss;
}

static void link_seen(hbd_t *h, hb_peer_t *p, hb_medium_t *m, const struct sockaddr_in *src,
                      gint64 now)
{
	hb_link_t *l = &p->links[m->index];

	l->last_rx = now;
	if (src != NULL) {
		l->addr = *src;
		l->have_addr = true;
	}
	if (!l->up) {
		l->up = true;
		vg_log_info("node %s: link %s up", p->name, m->name);
	}
}

void hbd_peer_receive(hbd_t *h, hb_medium_t *m, const uint8_t *buf, size_t len,
                      const struct sockaddr_in *src)
{
	hb_packet_t pk;
	hb_drop_t why;
	hb_peer_t *p;
	gint64 now = g_get_monotonic_time();
	int fresh;
	bool revived = false;

	if (hb_packet_decode(buf, len, h->cluster, h->auth, &pk, &why) != 0) {
		hbd_drop(h, why);
		return;
	}
	if (pk.sender == h->my_id) {
		if (pk.incarnation != h->incarnation)
			vg_log_warn("another node claims our id %u", pk.sender);
		return; /* our own multicast/broadcast looped back */
	}
	if (injected_fault(h, m, pk.sender))
		return;
	p = hbd_peer_by_id(h, pk.sender);
	if (p == NULL && (p = admit(h, &pk)) == NULL) {
		hbd_drop(h, HB_DROP_UNKNOWN_NODE);
		return;
	}
	if (pk.incarnation < p->incarnation) {
		hbd_drop(h, HB_DROP_REPLAY);
		return;
	}
	if (pk.incarnation > p->incarnation)
		peer_restarted(h, p, pk.incarnation);
	if (replay_check(&p->replay[m->index], pk.seq) != 1) {
		hbd_drop(h, HB_DROP_REPLAY);
		return;
	}
	fresh = replay_check(&p->any, pk.seq);
	if (fresh < 0) {
		hbd_drop(h, HB_DROP_REPLAY);
		return;
	}
	link_seen(h, p, m, src, now);
	if (fresh == 0)
		return; /* the same packet over another medium */
	p->last_rx = now;
	p->warned = false;
	if (p->state != HB_NODE_ALIVE) {
		p->state = HB_NODE_ALIVE;
		p->alive_since = now;
		hbd_view_join_later(h);
		revived = true;
		vg_log_notice("node %s: alive", p->name);
	}
	switch (pk.type) {
	case HB_P_HEARTBEAT:
		if (hbd_heartbeat_apply(h, p, pk.body, pk.body_len) != 0)
			hbd_drop(h, HB_DROP_MALFORMED);
		break;
	case HB_P_DATA:
		hbd_stream_on_data(h, p, pk.body, pk.body_len);
		break;
	case HB_P_ACK:
		hbd_stream_on_ack(h, p, pk.body, pk.body_len);
		break;
	case HB_P_NACK:
		hbd_stream_on_nack(h, p, pk.body, pk.body_len);
		break;
	default:
		hbd_drop(h, HB_DROP_MALFORMED);
		break;
	}
	if (revived && pk.type != HB_P_HEARTBEAT)
		hbd_view_update(h);
}

bool hbd_peer_tick(hbd_t *h, gint64 now)
{
	gint64 dead = (gint64)h->cfg->deadtime_ms * 1000, warn = (gint64)h->cfg->warntime_ms * 1000;
	bool changed = false;

	for (guint i = 0; i < h->peers->len; i++) {
		hb_peer_t *p = g_ptr_array_index(h->peers, i);

		if (p == h->self)
			continue;
		for (guint mi = 0; mi < h->media->len; mi++) {
			hb_link_t *l = &p->links[mi];

			if (l->up && now - l->last_rx > dead) {
				l->up = false;
				vg_log_warn("node %s: link %s down", p->name,
				            ((hb_medium_t *)g_ptr_array_index(h->media, mi))->name);
			}
		}
		if (p->state == HB_NODE_ALIVE && now - p->last_rx > dead) {
			p->state = HB_NODE_DEAD;
			p->lost_at = now;
			vg_log_warn("node %s: dead (no heartbeat for %" G_GUINT64_FORMAT " ms)",
			            p->name, h->cfg->deadtime_ms);
			changed = true;
		} else if (p->state == HB_NODE_ALIVE && now - p->last_rx > warn && !p->warned) {
			p->warned = true;
			vg_log_warn("node %s: late heartbeat (%" G_GINT64_FORMAT
			            " ms since the last)",
			            p->name, (now - p->last_rx) / 1000);
		} else if (p->state == HB_NODE_INIT &&
		           now - h->started > (gint64)h->cfg->initdead_ms * 1000) {
			p->state = HB_NODE_DEAD;
			vg_log_warn("node %s: not heard since start-up (initdead); dead", p->name);
		}
	}
	return changed;
}
