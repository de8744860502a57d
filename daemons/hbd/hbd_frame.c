/*
 * Serial framing (layout in hbd_wire.h).  A serial line has no packet
 * boundaries and may deliver garbage (line noise, a peer rebooting mid-frame,
 * a getty left on the port), so every frame carries a sync pair, its length
 * and a CRC-32.  The decoder keeps at most two frames of bytes; on a bad
 * length or CRC it drops one byte and hunts for the next sync pair.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include "hbd_wire.h"

#define SYNC0 0xA5
#define SYNC1 0x5A

size_t hb_frame_encode(const uint8_t *pkt, size_t len, uint8_t *out)
{
	uint32_t crc;

	VG_ASSERT(len <= HB_MAX_PACKET);
	out[0] = SYNC0;
	out[1] = SYNC1;
	out[2] = (uint8_t)(len >> 8);
	out[3] = (uint8_t)len;
	memcpy(out + 4, pkt, len);
	crc = hb_crc32(0, out + 2, len + 2);
	out[4 + len] = (uint8_t)(crc >> 24);
	out[5 + len] = (uint8_t)(crc >> 16);
	out[6 + len] = (uint8_t)(crc >> 8);
	out[7 + len] = (uint8_t)crc;
	return len + HB_FRAME_OVERHEAD;
}

static void consume(hb_frame_dec_t *d, size_t n)
{
	memmove(d->buf, d->buf + n, d->len - n);
	d->len -= n;
}

/* Process what is buffered; returns false when more bytes are needed. */
static bool step(hb_frame_dec_t *d, hb_frame_fn fn, void *fn_data)
{
	size_t i = 0, plen;
	uint32_t crc, got;
	const uint8_t *f;

	while (i + 1 < d->len && !(d->buf[i] == SYNC0 && d->buf[i + 1] == SYNC1))
		i++;
	if (i > 0) {
		d->garbage_bytes += i;
		consume(d, i);
	}
	if (d->len < 4)
		return false;
	plen = ((size_t)d->buf[2] << 8) | d->buf[3];
	if (plen < HB_HDR_LEN || plen > HB_MAX_PACKET) {
		d->oversized += plen > HB_MAX_PACKET;
		d->garbage_bytes++;
		consume(d, 1);
		return true;
	}
	if (d->len < plen + HB_FRAME_OVERHEAD)
		return false;
	f = d->buf;
	crc = hb_crc32(0, f + 2, plen + 2);
	got = ((uint32_t)f[4 + plen] << 24) | ((uint32_t)f[5 + plen] << 16) |
	      ((uint32_t)f[6 + plen] << 8) | f[7 + plen];
	if (crc != got) {
		d->bad_crc++;
		consume(d, 1);
		return true;
	}
	fn(f + 4, plen, fn_data);
	consume(d, plen + HB_FRAME_OVERHEAD);
	return true;
}

void hb_frame_feed(hb_frame_dec_t *d, const uint8_t *data, size_t len, hb_frame_fn fn,
                   void *fn_data)
{
	while (len > 0) {
		size_t n = MIN(len, sizeof(d->buf) - d->len);

		memcpy(d->buf + d->len, data, n);
		d->len += n;
		data += n;
		len -= n;
		while (step(d, fn, fn_data))
			;
		if (d->len == sizeof(d->buf)) /* cannot happen: a full buffer holds a frame */
			consume(d, 1);
	}
}
