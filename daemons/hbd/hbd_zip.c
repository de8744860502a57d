/*
 * Message compression for vigil-hbd ("compression zlib" in ha.cf): zlib
 * streams (RFC 1950, so an Adler-32 covers the inflated bytes) of whole
 * messages, made before fragmentation and undone after reassembly.
 *
 * Inflating trusts nothing: the sender declares the inflated size, which must
 * be within the caller's limit (the 64 MiB message limit); the output grows
 * with what the stream really produces and never beyond the declared size, so
 * a bomb costs at most that much memory and is then refused.  A stream that
 * is corrupt, truncated, followed by junk, or inflates to another size than
 * declared is refused too.  Pure functions: no sockets, no state, no logging.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>
#include <zlib.h>

#include "hbd_wire.h"

GBytes *hb_zip_compress(const uint8_t *src, size_t len, int level)
{
	z_stream z = {0};
	size_t cap;
	uint8_t *out;
	int rc = Z_OK;

	if (len == 0 || len > HB_ZIP_MAX || deflateInit(&z, level) != Z_OK)
		return NULL;
	/* worth it only when it shrinks: stop as soon as it would not */
	cap = len - 1;
	out = g_malloc(cap > 0 ? cap : 1);
	z.next_in = (Bytef *)src;
	z.avail_in = (uInt)len;
	z.next_out = out;
	z.avail_out = (uInt)cap;
	while (rc == Z_OK && z.avail_out > 0)
		rc = deflate(&z, Z_FINISH);
	deflateEnd(&z);
	if (rc != Z_STREAM_END) {
		g_free(out);
		return NULL;
	}
	return g_bytes_new_take(g_realloc(out, z.total_out), z.total_out);
}

int hb_zip_inflate(const uint8_t *src, size_t len, size_t declared, size_t limit, GBytes **out,
                   hb_drop_t *why)
{
	z_stream z = {0};
	uint8_t *buf, spare;
	size_t cap, have = 0;
	int rc = Z_OK;

	*out = NULL;
	if (declared > limit || declared > HB_ZIP_MAX) {
		*why = HB_DROP_OVERSIZED;
		return -1;
	}
	*why = HB_DROP_BAD_COMPRESSION;
	if (len == 0 || len > HB_ZIP_MAX || declared == 0 || inflateInit(&z) != Z_OK)
		return -1;
	/* start near what a typical ratio gives, grow by doubling up to declared */
	cap = MIN(declared, MAX(len * 4, (size_t)64 * 1024));
	buf = g_malloc(cap);
	z.next_in = (Bytef *)src;
	z.avail_in = (uInt)len;
	while (rc == Z_OK) {
		if (have == cap) {
			if (cap == declared)
				break; /* full: see below whether the stream wants more */
			cap = MIN(declared, cap * 2);
			buf = g_realloc(buf, cap);
		}
		z.next_out = buf + have;
		z.avail_out = (uInt)(cap - have); /* HB_ZIP_MAX keeps sizes within uInt */
		rc = inflate(&z, Z_NO_FLUSH);
		have = z.total_out;
		/* Z_BUF_ERROR here (there was room) means the input ended first */
	}
	if (rc == Z_OK && have == declared) {
		/* the output is full: a stream that is done ends without more bytes */
		z.next_out = &spare;
		z.avail_out = 1;
		rc = inflate(&z, Z_NO_FLUSH);
		if (z.avail_out == 0)
			rc = Z_DATA_ERROR; /* it inflates beyond what was declared */
	}
	if (rc != Z_STREAM_END || z.total_out != declared || z.avail_in != 0) {
		inflateEnd(&z);
		g_free(buf);
		return -1;
	}
	inflateEnd(&z);
	*out = g_bytes_new_take(buf, declared);
	return 0;
}
