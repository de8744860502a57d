/*
 * Reliable FIFO messaging between vigil-hbd peers.
 *
 * Each node has one outgoing stream of fragments numbered 1, 2, ... (fseq)
 * for its incarnation.  A message (group name, destination id or 0, payload
 * up to VG_MSG_MAX_SIZE) becomes consecutive fragments of HB_FRAG_PAYLOAD
 * bytes; the first carries the header.  Fragments go to every member (UDP,
 * and serial only when some member has no UDP link left) and are kept until
 * every member of the view has acknowledged them cumulatively.
 *
 * Receivers deliver strictly in fseq order, buffer what arrives early, send
 * a NACK for the gap, and acknowledge every 32 fragments or at the next tick.
 * Senders retransmit on NACK and when a member's acknowledgement stops
 * advancing.  Flow control: at most HB_WINDOW fragments beyond the slowest
 * member's acknowledgement are in flight; the rest waits in a queue of at
 * most HB_QUEUE_MAX bytes (VG_EAGAIN beyond).
 *
 * Where a receiver starts: when the sender admits a member to its view it
 * records base = next fseq for it and advertises it in heartbeats; the
 * receiver begins there (and jumps forward if a base overtakes it, which
 * only happens after it dropped the sender from its own view).  Members that
 * leave the view stop being waited for; their receive state is discarded.
 *
 * Compression ("compression zlib", messages above compression_threshold):
 * the whole message is deflated (hbd_compress.c, off the main loop) before
 * fragmentation; the first fragment says F_ZLIB and carries the inflated
 * size, and the receiver inflates after reassembly, whatever its own
 * setting.  A message waiting for its compression holds back the queue
 * behind it, so order is kept.  One that does not inflate to exactly its
 * declared size (at most VG_MSG_MAX_SIZE) is dropped and counted.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define VG_LOG_SUBSYS "hbd"
#include <string.h>

#include "hbd.h"

#define F_FIRST          1
#define F_LAST           2
#define F_ZLIB           4 /* first fragment: zlib stream, inflated size follows the group */
#define ACK_EVERY        32
#define RETRANSMIT_BURST 128

typedef struct pending_msg {
	char *group;
	uint32_t dest;
	GBytes *payload; /* what goes on the wire (compressed or not) */
	size_t offset;
	size_t queued;    /* what pending_bytes counts for it */
	uint32_t raw_len; /* compressed: the original size, else 0 */
	bool zipping;     /* the compressor has it: wait */
} pending_msg_t;

static void frag_free(gpointer p)
{
	hb_tx_frag_t *f = p;

	g_bytes_unref(f->body);
	g_free(f);
}

static void pending_free(gpointer p)
{
	pending_msg_t *m = p;

	g_free(m->group);
	g_bytes_unref(m->payload);
	g_free(m);
}

void hbd_stream_init(hbd_t *h)
{
	h->next_fseq = 1;
	h->unacked = g_ptr_array_new_with_free_func(frag_free);
	h->pending = g_queue_new();
	hbd_compress_init(h);
}

void hbd_stream_free(hbd_t *h)
{
	hbd_compress_free(h); /* before the messages its jobs point to */
	if (h->unacked)
		g_ptr_array_unref(h->unacked);
	if (h->pending)
		g_queue_free_full(h->pending, pending_free);
}

static gint64 rto_us(const hbd_t *h)
{
	return CLAMP((gint64)h->cfg->keepalive_ms * 1000 / 2, 20000, 200000);
}

/* ------------------------------------------------------------ sending */

static bool serial_needed(hbd_t *h)
{
	for (guint i = 0; i < h->peers->len; i++) {
		hb_peer_t *p = g_ptr_array_index(h->peers, i);
		bool udp = false;

		if (!p->tx_member)
			continue;
		for (guint m = 0; m < h->media->len; m++)
			udp |= hbd_medium_is_udp(g_ptr_array_index(h->media, m)) && p->links[m].up;
		if (!udp)
			return true;
	}
	return false;
}

void hbd_send_packet(hbd_t *h, uint8_t type, const uint8_t *body, size_t len, const hb_peer_t *to,
                     bool include_serial)
{
	uint8_t buf[HB_MAX_PACKET];
	hb_packet_t p = {.type = type,
	                 .cluster = h->cluster,
	                 .sender = h->my_id,
	                 .incarnation = h->incarnation,
	                 .seq = ++h->seq,
	                 .body = body,
	                 .body_len = (uint32_t)len};
	size_t n = hb_packet_encode(&p, h->auth, buf);
	bool sent = false, udp_up = false;

	if (to != NULL) {
		for (guint i = 0; i < h->media->len; i++) {
			hb_medium_t *m = g_ptr_array_index(h->media, i);

			if (hbd_medium_is_udp(m) && to->links[i].up) {
				hbd_media_send(h, m, buf, n, to);
				sent = udp_up = true;
			}
		}
		for (guint i = 0; i < h->media->len; i++) {
			hb_medium_t *m = g_ptr_array_index(h->media, i);

			if (!hbd_medium_is_udp(m) && to->links[i].up &&
			    (!udp_up || include_serial)) {
				hbd_media_send(h, m, buf, n, to);
				sent = true;
			}
		}
		if (sent)
			return;
	}
	for (guint i = 0; i < h->media->len; i++) {
		hb_medium_t *m = g_ptr_array_index(h->media, i);

		if (hbd_medium_is_udp(m) || include_serial || to != NULL)
			hbd_media_send(h, m, buf, n, NULL);
	}
}

static uint64_t min_acked(hbd_t *h)
{
	uint64_t low = h->next_fseq - 1;

	for (guint i = 0; i < h->peers->len; i++) {
		hb_peer_t *p = g_ptr_array_index(h->peers, i);

		if (p->tx_member)
			low = MIN(low, p->tx.acked);
	}
	return low;
}

static void free_acked(hbd_t *h)
{
	uint64_t low = min_acked(h);
	guint n = 0;

	while (n < h->unacked->len &&
	       ((hb_tx_frag_t *)g_ptr_array_index(h->unacked, n))->fseq <= low)
		n++;
	if (n > 0)
		g_ptr_array_remove_range(h->unacked, 0, n);
}

static void send_fragment(hbd_t *h, pending_msg_t *pm, bool serial)
{
	size_t total = g_bytes_get_size(pm->payload);
	const uint8_t *data = g_bytes_get_data(pm->payload, NULL);
	size_t chunk = MIN(total - pm->offset, (size_t)HB_FRAG_PAYLOAD);
	uint8_t body[HB_MAX_BODY];
	hb_wbuf_t w = {body, 0, sizeof(body), false};
	uint8_t flags =
	    (pm->offset == 0 ? F_FIRST : 0) | (pm->offset + chunk == total ? F_LAST : 0);
	hb_tx_frag_t *f = g_new0(hb_tx_frag_t, 1);

	f->fseq = h->next_fseq++;
	hb_put_u64(&w, f->fseq);
	if (pm->offset == 0 && pm->raw_len > 0)
		flags |= F_ZLIB;
	hb_put_u8(&w, flags);
	if (flags & F_FIRST) {
		hb_put_u32(&w, (uint32_t)total);
		hb_put_u32(&w, pm->dest);
		hb_put_str(&w, pm->group);
		if (flags & F_ZLIB)
			hb_put_u32(&w, pm->raw_len);
	}
	hb_put_bytes(&w, data + pm->offset, chunk);
	VG_ASSERT(!w.overflow);
	pm->offset += chunk;
	f->body = g_bytes_new(body, w.len);
	g_ptr_array_add(h->unacked, f);
	hbd_send_packet(h, HB_P_DATA, body, w.len, NULL, serial);
}

static bool have_members(hbd_t *h)
{
	for (guint i = 0; i < h->peers->len; i++)
		if (((hb_peer_t *)g_ptr_array_index(h->peers, i))->tx_member)
			return true;
	return false;
}

/* Move queued messages into the window. */
static void pump(hbd_t *h)
{
	bool serial = serial_needed(h);

	free_acked(h);
	while (!g_queue_is_empty(h->pending)) {
		pending_msg_t *pm = g_queue_peek_head(h->pending);

		if (pm->zipping)
			return; /* hbd_stream_zipped() pumps again */
		if (!have_members(h)) {
			/* nobody to send to: messages for a view of one are done */
			h->pending_bytes -= pm->queued;
			pending_free(g_queue_pop_head(h->pending));
			continue;
		}
		if (h->next_fseq - 1 - min_acked(h) >= HB_WINDOW)
			return;
		send_fragment(h, pm, serial);
		if (pm->offset == g_bytes_get_size(pm->payload)) {
			h->pending_bytes -= pm->queued;
			pending_free(g_queue_pop_head(h->pending));
		}
	}
}

static bool zip_wanted(const hbd_t *h, size_t len)
{
	return h->hb->compression != NULL && strcmp(h->hb->compression, "zlib") == 0 &&
	       len > h->hb->compression_threshold;
}

void hbd_stream_zipped(hbd_t *h, void *tag, GBytes *out)
{
	pending_msg_t *pm = tag;
	size_t raw = g_bytes_get_size(pm->payload);

	pm->zipping = false;
	if (out != NULL) {
		size_t n = g_bytes_get_size(out);

		h->traffic.zipped++;
		h->traffic.zip_in += raw;
		h->traffic.zip_out += n;
		g_bytes_unref(pm->payload);
		pm->payload = g_bytes_ref(out);
		pm->raw_len = (uint32_t)raw;
		if (h->fault_corrupt_zip > 0) {
			/* lab: receivers must refuse this one (bad-compression) */
			uint8_t *bad = g_bytes_unref_to_data(pm->payload, &n);

			bad[n / 2] ^= 0x5a;
			pm->payload = g_bytes_new_take(bad, n);
			h->fault_corrupt_zip--;
			vg_log_warn("fault injection: damaged a compressed message of %zu bytes",
			            n);
		}
		h->pending_bytes = h->pending_bytes - pm->queued + n;
		pm->queued = n;
	}
	pump(h);
}

int hbd_stream_send(hbd_t *h, const char *group, uint32_t dest, GBytes *payload, vg_error_t *err)
{
	size_t len = g_bytes_get_size(payload);
	pending_msg_t *pm;

	if (len > VG_MSG_MAX_SIZE)
		return vg_error_set(err, VG_ETOOBIG, "message of %zu bytes exceeds %u", len,
		                    VG_MSG_MAX_SIZE);
	if (strlen(group) > 255)
		return vg_error_set(err, VG_EINVAL, "group name too long");
	if (h->pending_bytes + len > HB_QUEUE_MAX)
		return vg_error_set(err, VG_EAGAIN, "send queue full (%zu bytes waiting)",
		                    h->pending_bytes);
	if (dest == 0 || dest == h->my_id)
		hbd_ipc_deliver(h, h->my_id, group, g_bytes_get_data(payload, NULL), len);
	if (dest == h->my_id)
		return 0;
	if (dest != 0 && !hbd_view_has(h, dest))
		return vg_error_set(err, VG_ENOENT, "node %u is not a member", dest);
	pm = g_new0(pending_msg_t, 1);
	pm->group = g_strdup(group);
	pm->dest = dest;
	pm->payload = g_bytes_ref(payload);
	pm->queued = len;
	g_queue_push_tail(h->pending, pm);
	h->pending_bytes += len;
	h->traffic.messages++;
	h->traffic.bytes += len;
	if (zip_wanted(h, len)) {
		pm->zipping = true;
		hbd_compress_start(h, payload, pm);
	}
	pump(h);
	return 0;
}

static void retransmit(hbd_t *h, hb_peer_t *p, uint64_t from, uint64_t to)
{
	hb_tx_frag_t *first;

	if (h->unacked->len == 0)
		return;
	first = g_ptr_array_index(h->unacked, 0);
	from = MAX(from, first->fseq);
	to = MIN(to, MIN(h->next_fseq - 1, from + RETRANSMIT_BURST - 1));
	for (uint64_t f = from; f <= to; f++) {
		hb_tx_frag_t *x = g_ptr_array_index(h->unacked, (guint)(f - first->fseq));
		gsize n;
		const uint8_t *b = g_bytes_get_data(x->body, &n);

		hbd_send_packet(h, HB_P_DATA, b, n, p, false);
	}
	p->tx.last_retransmit = g_get_monotonic_time();
}

/* ------------------------------------------------------------ receiving */

static void send_ack(hbd_t *h, hb_peer_t *p)
{
	uint8_t body[64];
	hb_wbuf_t w = {body, 0, sizeof(body), false};

	hb_put_u16(&w, 1);
	hb_put_u32(&w, p->id);
	hb_put_u64(&w, p->incarnation);
	hb_put_u64(&w, p->rx.expected - 1);
	hbd_send_packet(h, HB_P_ACK, body, w.len, p, false);
	p->rx.unacked = 0;
}

static void send_nack(hbd_t *h, hb_peer_t *p, uint64_t upto)
{
	uint8_t body[64];
	hb_wbuf_t w = {body, 0, sizeof(body), false};
	gint64 now = g_get_monotonic_time();

	if (now - p->rx.last_nack < rto_us(h) / 2)
		return;
	p->rx.last_nack = now;
	hb_put_u32(&w, p->id);
	hb_put_u64(&w, p->incarnation);
	hb_put_u64(&w, p->rx.expected);
	hb_put_u64(&w, upto);
	hbd_send_packet(h, HB_P_NACK, body, w.len, p, false);
}

static void rx_reset(hb_peer_t *p)
{
	p->rx.synced = false;
	p->rx.expected = 0;
	g_hash_table_remove_all(p->rx.ooo);
	g_byte_array_set_size(p->rx.msg, 0);
	p->rx.in_msg = false;
	p->rx.unacked = 0;
}

/* A reassembled message for us: inflate it if it says so, then hand it on. */
static void deliver(hbd_t *h, hb_peer_t *p)
{
	hb_rx_stream_t *rx = &p->rx;
	GBytes *out;
	hb_drop_t why;

	if (rx->msg_raw == 0) {
		hbd_ipc_deliver(h, p->id, rx->msg_group, rx->msg->data, rx->msg->len);
		return;
	}
	if (hb_zip_inflate(rx->msg->data, rx->msg->len, rx->msg_raw, VG_MSG_MAX_SIZE, &out, &why) !=
	    0) {
		hbd_drop(h, why);
		vg_log_warn("dropping a compressed message from %s for group %s: %u bytes do "
		            "not inflate to the %u declared (%s)",
		            p->name, rx->msg_group, rx->msg->len, rx->msg_raw, hb_drop_name(why));
		return;
	}
	h->traffic.unzipped++;
	hbd_ipc_deliver(h, p->id, rx->msg_group, g_bytes_get_data(out, NULL),
	                g_bytes_get_size(out));
	g_bytes_unref(out);
}

/* One in-order fragment. */
static void consume(hbd_t *h, hb_peer_t *p, const uint8_t *body, size_t len)
{
	hb_rbuf_t r = {body, len, 8, false};
	uint8_t flags = hb_get_u8(&r);
	hb_rx_stream_t *rx = &p->rx;

	if (flags & F_FIRST) {
		rx->msg_total = hb_get_u32(&r);
		rx->msg_dest = hb_get_u32(&r);
		hb_get_str(&r, rx->msg_group);
		rx->msg_raw = (flags & F_ZLIB) ? hb_get_u32(&r) : 0;
		g_byte_array_set_size(rx->msg, 0);
		rx->in_msg = !r.bad && rx->msg_total <= VG_MSG_MAX_SIZE;
		if (rx->in_msg && (flags & F_ZLIB) &&
		    (rx->msg_raw == 0 || rx->msg_raw > HB_ZIP_MAX)) {
			/* a bomb by its own declaration: not even worth reassembling */
			hbd_drop(h, rx->msg_raw == 0 ? HB_DROP_BAD_COMPRESSION : HB_DROP_OVERSIZED);
			vg_log_warn("dropping a compressed message from %s: it claims %u bytes "
			            "inflated",
			            p->name, rx->msg_raw);
			rx->in_msg = false;
		}
	}
	rx->expected++;
	rx->unacked++;
	if (!rx->in_msg || r.bad)
		return; /* the tail of a message we joined in the middle of */
	g_byte_array_append(rx->msg, body + r.off, (guint)(len - r.off));
	if (rx->msg->len > rx->msg_total) {
		rx->in_msg = false;
		return;
	}
	if (flags & F_LAST) {
		rx->in_msg = false;
		if (rx->msg->len == rx->msg_total &&
		    (rx->msg_dest == 0 || rx->msg_dest == h->my_id))
			deliver(h, p);
		g_byte_array_set_size(rx->msg, 0);
	}
}

static bool try_sync(hbd_t *h, hb_peer_t *p)
{
	if (p->rx.synced)
		return true;
	if (!p->base_known || !hbd_view_has(h, p->id))
		return false;
	p->rx.synced = true;
	p->rx.expected = p->base_for_us;
	return true;
}

void hbd_stream_on_data(hbd_t *h, hb_peer_t *p, const uint8_t *body, size_t len)
{
	hb_rbuf_t r = {body, len, 0, false};
	uint64_t fseq = hb_get_u64(&r);
	gint64 *key;

	(void)hb_get_u8(&r);
	if (r.bad) {
		hbd_drop(h, HB_DROP_MALFORMED);
		return;
	}
	if (!hbd_view_has(h, p->id) || !try_sync(h, p))
		return; /* not ours yet: the sender retransmits until we acknowledge */
	if (fseq < p->rx.expected) {
		p->rx.unacked++;
		return;
	}
	if (fseq > p->rx.expected) {
		if (fseq < p->rx.expected + 4 * HB_WINDOW &&
		    !g_hash_table_contains(p->rx.ooo, &fseq)) {
			key = g_new(gint64, 1);
			*key = (gint64)fseq;
			g_hash_table_insert(p->rx.ooo, key, g_bytes_new(body, len));
		}
		send_nack(h, p, fseq - 1);
		return;
	}
	consume(h, p, body, len);
	for (;;) {
		gint64 next = (gint64)p->rx.expected;
		GBytes *b = g_hash_table_lookup(p->rx.ooo, &next);
		gsize n;
		const uint8_t *d;

		if (b == NULL)
			break;
		g_bytes_ref(b);
		g_hash_table_remove(p->rx.ooo, &next);
		d = g_bytes_get_data(b, &n);
		consume(h, p, d, n);
		g_bytes_unref(b);
	}
	if (p->rx.unacked >= ACK_EVERY)
		send_ack(h, p);
}

static void ack_from(hbd_t *h, hb_peer_t *p, uint64_t cum)
{
	if (!p->tx_member || cum <= p->tx.acked || cum >= h->next_fseq)
		return;
	p->tx.acked = cum;
	p->tx.last_progress = g_get_monotonic_time();
}

static void read_acks(hbd_t *h, hb_peer_t *p, hb_rbuf_t *r)
{
	unsigned n = hb_get_u16(r);

	for (unsigned i = 0; i < n && i < 256 && !r->bad; i++) {
		uint32_t sender = hb_get_u32(r);
		uint64_t inc = hb_get_u64(r), cum = hb_get_u64(r);

		if (!r->bad && sender == h->my_id && inc == h->incarnation)
			ack_from(h, p, cum);
	}
}

void hbd_stream_on_ack(hbd_t *h, hb_peer_t *p, const uint8_t *body, size_t len)
{
	hb_rbuf_t r = {body, len, 0, false};

	read_acks(h, p, &r);
	if (r.bad)
		hbd_drop(h, HB_DROP_MALFORMED);
	pump(h);
}

void hbd_stream_on_nack(hbd_t *h, hb_peer_t *p, const uint8_t *body, size_t len)
{
	hb_rbuf_t r = {body, len, 0, false};
	uint32_t sender = hb_get_u32(&r);
	uint64_t inc = hb_get_u64(&r), from = hb_get_u64(&r), to = hb_get_u64(&r);

	if (r.bad) {
		hbd_drop(h, HB_DROP_MALFORMED);
		return;
	}
	if (sender != h->my_id || inc != h->incarnation || !p->tx_member)
		return;
	ack_from(h, p, from - 1);
	if (from <= p->tx.acked) /* asks for what it has confirmed: our base moved on */
		hbd_heartbeat_soon(h);
	retransmit(h, p, from, to);
}

/* ------------------------------------------------------ view and timers */

void hbd_stream_view_changed(hbd_t *h)
{
	gint64 now = g_get_monotonic_time();

	for (guint i = 0; i < h->peers->len; i++) {
		hb_peer_t *p = g_ptr_array_index(h->peers, i);
		bool in = p != h->self && hbd_view_has(h, p->id);

		if (in && !p->tx_member) {
			p->tx_member = true;
			p->tx.acked = h->next_fseq - 1;
			p->tx.last_progress = now;
		} else if (!in && p->tx_member) {
			p->tx_member = false;
		}
		if (!in && p != h->self)
			rx_reset(p);
		else if (in)
			try_sync(h, p); /* its heartbeat may have come before the view */
	}
	pump(h);
}

void hbd_stream_peer_reset(hbd_t *h, hb_peer_t *p)
{
	rx_reset(p);
	p->tx_member = false;
}

void hbd_stream_tick(hbd_t *h, gint64 now)
{
	for (guint i = 0; i < h->peers->len; i++) {
		hb_peer_t *p = g_ptr_array_index(h->peers, i);

		if (p->rx.unacked > 0)
			send_ack(h, p);
		if (p->rx.synced && g_hash_table_size(p->rx.ooo) > 0)
			send_nack(h, p, p->rx.expected + HB_WINDOW);
		if (p->tx_member && p->tx.acked < h->next_fseq - 1 &&
		    now - p->tx.last_progress > rto_us(h) &&
		    now - p->tx.last_retransmit > rto_us(h))
			retransmit(h, p, p->tx.acked + 1, h->next_fseq - 1);
	}
	pump(h);
}

void hbd_stream_encode_hb(hbd_t *h, hb_wbuf_t *w)
{
	unsigned n = 0;

	hb_put_u64(w, h->next_fseq);
	for (guint i = 0; i < h->peers->len; i++)
		n += ((hb_peer_t *)g_ptr_array_index(h->peers, i))->tx_member;
	hb_put_u16(w, (uint16_t)n);
	for (guint i = 0; i < h->peers->len; i++) {
		hb_peer_t *p = g_ptr_array_index(h->peers, i);

		if (p->tx_member) {
			hb_put_u32(w, p->id);
			hb_put_u64(w, p->incarnation);
			hb_put_u64(w, p->tx.acked + 1);
		}
	}
	n = 0;
	for (guint i = 0; i < h->peers->len; i++)
		n += ((hb_peer_t *)g_ptr_array_index(h->peers, i))->rx.synced;
	hb_put_u16(w, (uint16_t)n);
	for (guint i = 0; i < h->peers->len; i++) {
		hb_peer_t *p = g_ptr_array_index(h->peers, i);

		if (p->rx.synced) {
			hb_put_u32(w, p->id);
			hb_put_u64(w, p->incarnation);
			hb_put_u64(w, p->rx.expected - 1);
		}
	}
}

void hbd_stream_apply_hb(hbd_t *h, hb_peer_t *p, hb_rbuf_t *r)
{
	unsigned n;

	(void)hb_get_u64(r); /* its next fseq: informational */
	n = hb_get_u16(r);
	for (unsigned i = 0; i < n && i < 256 && !r->bad; i++) {
		uint32_t id = hb_get_u32(r);
		uint64_t inc = hb_get_u64(r), base = hb_get_u64(r);

		if (r->bad || id != h->my_id || inc != h->incarnation)
			continue;
		p->base_for_us = base;
		p->base_known = true;
		if (try_sync(h, p) && base > p->rx.expected) {
			/* it confirmed more than we hold: we must have been reset */
			g_hash_table_remove_all(p->rx.ooo);
			p->rx.in_msg = false;
			p->rx.expected = base;
		}
	}
	read_acks(h, p, r);
	pump(h);
}
