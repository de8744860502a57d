/*
 * The heartbeat packet (layout in hbd_wire.h): one format for UDP unicast,
 * multicast, broadcast and serial.  Decoding checks, in this order, length,
 * magic and version, cluster identity, key, MAC; only then does anything
 * read the body.  Node and replay checks need the peer table and live in
 * hbd_peer.c.  Also: CRC-32 and the bounded big-endian readers/writers every
 * body codec uses (a short read sets `bad` instead of reading past the end).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include "hbd_wire.h"

static const char *const drop_names[HB_DROP_MAX] = {
    [HB_DROP_BAD_HMAC] = "bad-hmac",
    [HB_DROP_FOREIGN_CLUSTER] = "foreign-cluster",
    [HB_DROP_UNKNOWN_NODE] = "unknown-node",
    [HB_DROP_REPLAY] = "replay",
    [HB_DROP_TRUNCATED] = "truncated",
    [HB_DROP_OVERSIZED] = "oversized",
    [HB_DROP_BAD_CRC] = "bad-crc",
    [HB_DROP_MALFORMED] = "malformed",
    [HB_DROP_BAD_COMPRESSION] = "bad-compression",
};

const char *hb_drop_name(hb_drop_t d)
{
	return d < HB_DROP_MAX ? drop_names[d] : "unknown";
}

uint32_t hb_crc32(uint32_t crc, const void *data, size_t len)
{
	const uint8_t *p = data;

	crc = ~crc;
	while (len--) {
		crc ^= *p++;
		for (int k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
	}
	return ~crc;
}

uint64_t hb_cluster_id(const char *cluster_name)
{
	GChecksum *c = g_checksum_new(G_CHECKSUM_SHA256);
	uint8_t d[32];
	gsize n = sizeof(d);
	uint64_t v = 0;

	g_checksum_update(c, (const guchar *)cluster_name, (gssize)strlen(cluster_name));
	g_checksum_get_digest(c, d, &n);
	g_checksum_free(c);
	for (int i = 0; i < 8; i++)
		v = (v << 8) | d[i];
	return v;
}

/* ------------------------------------------------------------ byte codecs */

static void put(hb_wbuf_t *w, const void *d, size_t n)
{
	if (n == 0)
		return;
	if (w->overflow || w->cap - w->len < n) {
		w->overflow = true;
		return;
	}
	memcpy(w->p + w->len, d, n);
	w->len += n;
}

void hb_put_u8(hb_wbuf_t *w, uint8_t v)
{
	put(w, &v, 1);
}

void hb_put_u16(hb_wbuf_t *w, uint16_t v)
{
	uint8_t b[2] = {(uint8_t)(v >> 8), (uint8_t)v};

	put(w, b, 2);
}

void hb_put_u32(hb_wbuf_t *w, uint32_t v)
{
	uint8_t b[4] = {(uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v};

	put(w, b, 4);
}

void hb_put_u64(hb_wbuf_t *w, uint64_t v)
{
	hb_put_u32(w, (uint32_t)(v >> 32));
	hb_put_u32(w, (uint32_t)v);
}

void hb_put_bytes(hb_wbuf_t *w, const void *d, size_t n)
{
	put(w, d, n);
}

void hb_put_str(hb_wbuf_t *w, const char *s)
{
	size_t n = strlen(s);

	if (n > 255) {
		w->overflow = true;
		return;
	}
	hb_put_u8(w, (uint8_t)n);
	put(w, s, n);
}

const uint8_t *hb_get_bytes(hb_rbuf_t *r, size_t n)
{
	const uint8_t *p;

	if (r->bad || r->len - r->off < n) {
		r->bad = true;
		return NULL;
	}
	p = r->p + r->off;
	r->off += n;
	return p;
}

uint8_t hb_get_u8(hb_rbuf_t *r)
{
	const uint8_t *p = hb_get_bytes(r, 1);

	return p ? p[0] : 0;
}

uint16_t hb_get_u16(hb_rbuf_t *r)
{
	const uint8_t *p = hb_get_bytes(r, 2);

	return p ? (uint16_t)((p[0] << 8) | p[1]) : 0;
}

uint32_t hb_get_u32(hb_rbuf_t *r)
{
	const uint8_t *p = hb_get_bytes(r, 4);

	return p ? ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3]
	         : 0;
}

uint64_t hb_get_u64(hb_rbuf_t *r)
{
	uint64_t hi = hb_get_u32(r);

	return (hi << 32) | hb_get_u32(r);
}

bool hb_get_str(hb_rbuf_t *r, char *out)
{
	uint8_t n = hb_get_u8(r);
	const uint8_t *p = hb_get_bytes(r, n);

	if (p == NULL || memchr(p, '\0', n) != NULL) {
		r->bad = true;
		out[0] = '\0';
		return false;
	}
	if (n > 0)
		memcpy(out, p, n);
	out[n] = '\0';
	return true;
}

/* --------------------------------------------------------------- packets */

size_t hb_packet_encode(const hb_packet_t *p, const hb_auth_t *auth, uint8_t *buf)
{
	hb_wbuf_t w = {buf, 0, HB_MAX_PACKET, false};
	size_t maclen = hb_auth_mac_len(auth, auth->active);

	VG_ASSERT(p->body_len <= HB_MAX_BODY);
	hb_put_bytes(&w, "VGHB", 4);
	hb_put_u8(&w, HB_WIRE_VERSION);
	hb_put_u8(&w, p->type);
	hb_put_u8(&w, (uint8_t)auth->active);
	hb_put_u8(&w, 0);
	hb_put_u64(&w, p->cluster);
	hb_put_u32(&w, p->sender);
	hb_put_u32(&w, p->body_len);
	hb_put_u64(&w, p->incarnation);
	hb_put_u64(&w, p->seq);
	hb_put_bytes(&w, p->body, p->body_len);
	VG_ASSERT(!w.overflow && w.len + maclen <= HB_MAX_PACKET);
	hb_auth_mac(auth, auth->active, buf, w.len, buf + w.len);
	return w.len + maclen;
}

static bool mac_equal(const uint8_t *a, const uint8_t *b, size_t n)
{
	uint8_t d = 0;

	for (size_t i = 0; i < n; i++)
		d |= a[i] ^ b[i];
	return d == 0;
}

int hb_packet_decode(const uint8_t *buf, size_t len, uint64_t cluster, const hb_auth_t *auth,
                     hb_packet_t *p, hb_drop_t *why)
{
	hb_rbuf_t r = {buf, len, 0, false};
	uint8_t mac[HB_AUTH_MAC_MAX];
	size_t maclen;

	if (len < HB_HDR_LEN)
		return (*why = HB_DROP_TRUNCATED, -1);
	if (memcmp(buf, "VGHB", 4) != 0 || buf[4] != HB_WIRE_VERSION)
		return (*why = HB_DROP_MALFORMED, -1);
	r.off = 5;
	p->type = hb_get_u8(&r);
	p->key = hb_get_u8(&r);
	(void)hb_get_u8(&r);
	p->cluster = hb_get_u64(&r);
	p->sender = hb_get_u32(&r);
	p->body_len = hb_get_u32(&r);
	p->incarnation = hb_get_u64(&r);
	p->seq = hb_get_u64(&r);
	if (p->cluster != cluster)
		return (*why = HB_DROP_FOREIGN_CLUSTER, -1);
	if (p->body_len > HB_MAX_BODY || len > HB_MAX_PACKET)
		return (*why = HB_DROP_OVERSIZED, -1);
	maclen = hb_auth_mac_len(auth, p->key);
	if (maclen == 0)
		return (*why = HB_DROP_BAD_HMAC, -1);
	if (len < HB_HDR_LEN + (size_t)p->body_len + maclen)
		return (*why = HB_DROP_TRUNCATED, -1);
	if (len > HB_HDR_LEN + (size_t)p->body_len + maclen)
		return (*why = HB_DROP_MALFORMED, -1);
	hb_auth_mac(auth, p->key, buf, HB_HDR_LEN + p->body_len, mac);
	if (!mac_equal(mac, buf + HB_HDR_LEN + p->body_len, maclen))
		return (*why = HB_DROP_BAD_HMAC, -1);
	if (p->type == 0 || p->type >= HB_P_MAX || p->sender == 0)
		return (*why = HB_DROP_MALFORMED, -1);
	p->body = buf + HB_HDR_LEN;
	return 0;
}
