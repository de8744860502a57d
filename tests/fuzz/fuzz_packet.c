/*
 * Fuzz target for vigil-hbd's network input: the packet decoder (length,
 * magic, cluster, key, MAC checks) and the serial frame decoder (sync hunt,
 * length, CRC), including packets carried inside frames.  The input is used
 * three ways: as a datagram, as a byte stream of serial frames fed in
 * irregular chunks, and (re-signed with the test key) as a packet whose MAC
 * verifies, so the code past the MAC check is reached too.  A body that
 * verifies is also taken as a compressed message (u32 inflated size, zlib
 * stream) and inflated under a small limit, as a receiver does after
 * reassembly (fuzz_hbd_zip.c goes further).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdint.h>
#include <string.h>

#include "hbd_wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static hb_auth_t *auth;

static void check_packet(const uint8_t *pkt, size_t len, void *unused)
{
	hb_packet_t p;
	hb_drop_t why;
	hb_rbuf_t r;
	char name[256];

	if (hb_packet_decode(pkt, len, 42, auth, &p, &why) != 0) {
		VG_ASSERT(why < HB_DROP_MAX);
		return;
	}
	VG_ASSERT(p.body_len <= HB_MAX_BODY && p.body + p.body_len <= pkt + len);
	/* walk the body with the bounded readers the handlers use */
	r = (hb_rbuf_t){p.body, p.body_len, 0, false};
	while (!r.bad && r.off < r.len) {
		switch (hb_get_u8(&r) % 4) {
		case 0:
			hb_get_str(&r, name);
			break;
		case 1:
			hb_get_u32(&r);
			break;
		case 2:
			hb_get_u64(&r);
			break;
		default:
			hb_get_bytes(&r, hb_get_u16(&r));
			break;
		}
	}
	if (p.body_len >= 4) {
		uint32_t declared = (uint32_t)p.body[0] << 24 | (uint32_t)p.body[1] << 16 |
		                    (uint32_t)p.body[2] << 8 | p.body[3];
		GBytes *out = NULL;

		if (hb_zip_inflate(p.body + 4, p.body_len - 4, declared, 1u << 20, &out, &why) ==
		    0) {
			VG_ASSERT(g_bytes_get_size(out) == declared);
			g_bytes_unref(out);
		} else {
			VG_ASSERT(out == NULL && why < HB_DROP_MAX);
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static hb_frame_dec_t dec;
	uint8_t buf[HB_MAX_PACKET];
	size_t off = 0, chunk = 1;

	if (auth == NULL) {
		vg_error_t err = {0};

		if (hb_auth_parse("auth 1\n1 sha256 fuzz\n2 md5 old\n", "fuzz", false, &auth,
		                  &err) != 0)
			return 0;
	}
	check_packet(data, size, NULL);
	memset(&dec, 0, sizeof(dec));
	while (off < size) {
		size_t n = MIN(chunk, size - off);

		hb_frame_feed(&dec, data + off, n, check_packet, NULL);
		off += n;
		chunk = chunk * 3 % 1021 + 1;
	}
	if (size >= HB_HDR_LEN && size - HB_HDR_LEN <= HB_MAX_BODY) {
		hb_packet_t p = {.type = data[5],
		                 .cluster = 42,
		                 .sender = 1,
		                 .incarnation = 2,
		                 .seq = 3,
		                 .body = data + HB_HDR_LEN,
		                 .body_len = (uint32_t)(size - HB_HDR_LEN)};
		size_t n = hb_packet_encode(&p, auth, buf);

		check_packet(buf, n, NULL);
	}
	return 0;
}
