/*
 * Fuzz target for vigil-hbd's message compression (hbd_zip.c), the code a
 * compressed group message reaches after reassembly.  The input is used two
 * ways: as a received message, u32 declared inflated size (big-endian) then
 * a zlib stream, which must either inflate to exactly the declared size or
 * be refused with a drop reason; and as a message to send, which must come
 * back byte for byte from compress + inflate whenever compression pays.
 * The limit is kept small so bombs are cheap to refuse here.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdint.h>
#include <string.h>

#include "hbd_wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_LIMIT (4u << 20)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	GBytes *out = NULL, *z, *back = NULL;
	hb_drop_t why = HB_DROP_MAX;

	if (size >= 4) {
		uint32_t declared = (uint32_t)data[0] << 24 | (uint32_t)data[1] << 16 |
		                    (uint32_t)data[2] << 8 | data[3];

		if (hb_zip_inflate(data + 4, size - 4, declared, FUZZ_LIMIT, &out, &why) == 0) {
			VG_ASSERT(out != NULL && g_bytes_get_size(out) == declared);
			g_bytes_unref(out);
		} else {
			VG_ASSERT(out == NULL);
			VG_ASSERT(why == HB_DROP_OVERSIZED || why == HB_DROP_BAD_COMPRESSION);
			VG_ASSERT(why == HB_DROP_OVERSIZED || declared <= FUZZ_LIMIT);
		}
	}
	z = hb_zip_compress(data, size, 1);
	if (z != NULL) {
		gsize n;
		const uint8_t *p = g_bytes_get_data(z, &n);

		VG_ASSERT(n < size);
		VG_ASSERT(hb_zip_inflate(p, n, size, HB_ZIP_MAX, &back, &why) == 0);
		VG_ASSERT(g_bytes_get_size(back) == size &&
		          memcmp(g_bytes_get_data(back, NULL), data, size) == 0);
		g_bytes_unref(back);
		g_bytes_unref(z);
	}
	return 0;
}
