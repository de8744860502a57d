/*
 * vigil-hbd message compression (hbd_zip.c) without a cluster: round trips,
 * what is not worth compressing, and hostile streams -- a bomb by its own
 * declaration, a bomb that lies about its size, corrupt, truncated and
 * padded streams, another size than declared -- are refused with the drop
 * reason the daemon counts, without allocating what they claim.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <zlib.h>

#include <cmocka.h>

#include "hbd_wire.h"

/* CIB-ish text: repetitive markup with numbers that differ */
static GString *cib_like(size_t size)
{
	GString *s = g_string_new("<cib><status>\n");
	GRand *r = g_rand_new_with_seed(7);

	while (s->len < size)
		g_string_append_printf(s,
		                       "<lrm_rsc_op id=\"rsc%u_last_0\" operation=\"start\" "
		                       "call-id=\"%u\" rc-code=\"0\" op-digest=\"%08x%08x\"/>\n",
		                       g_rand_int_range(r, 0, 500), g_rand_int_range(r, 0, 99999),
		                       g_rand_int(r), g_rand_int(r));
	g_rand_free(r);
	return s;
}

static GBytes *raw_deflate(const void *data, size_t len)
{
	uLongf n = compressBound(len);
	uint8_t *out = g_malloc(n);

	assert_int_equal(compress2(out, &n, data, len, 6), Z_OK);
	return g_bytes_new_take(out, n);
}

static int inflate_bytes(GBytes *z, size_t declared, GBytes **out, hb_drop_t *why)
{
	gsize n;
	const uint8_t *p = g_bytes_get_data(z, &n);

	return hb_zip_inflate(p, n, declared, HB_ZIP_MAX, out, why);
}

static void round_trip(void **state)
{
	size_t sizes[] = {3000, 1 << 20, 10u << 20};

	for (size_t i = 0; i < G_N_ELEMENTS(sizes); i++) {
		GString *s = cib_like(sizes[i]);
		GBytes *z = hb_zip_compress((const uint8_t *)s->str, s->len, 1), *out = NULL;
		hb_drop_t why;

		assert_non_null(z);
		assert_true(g_bytes_get_size(z) * 3 < s->len);
		assert_int_equal(inflate_bytes(z, s->len, &out, &why), 0);
		assert_int_equal(g_bytes_get_size(out), s->len);
		assert_memory_equal(g_bytes_get_data(out, NULL), s->str, s->len);
		g_bytes_unref(out);
		g_bytes_unref(z);
		g_string_free(s, TRUE);
	}
}

static void incompressible_is_left_alone(void **state)
{
	uint8_t buf[4096];
	GRand *r = g_rand_new_with_seed(1);

	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)g_rand_int(r);
	g_rand_free(r);
	assert_null(hb_zip_compress(buf, sizeof(buf), 1));
	assert_null(hb_zip_compress(buf, 0, 1));
}

static void declared_bomb_is_oversized(void **state)
{
	GBytes *z = raw_deflate("x", 1), *out = (GBytes *)1;
	hb_drop_t why = HB_DROP_MAX;

	assert_int_equal(inflate_bytes(z, (size_t)HB_ZIP_MAX + 1, &out, &why), -1);
	assert_int_equal(why, HB_DROP_OVERSIZED);
	assert_null(out);
	/* the caller's own limit counts too */
	assert_int_equal(
	    hb_zip_inflate(g_bytes_get_data(z, NULL), g_bytes_get_size(z), 100, 10, &out, &why),
	    -1);
	assert_int_equal(why, HB_DROP_OVERSIZED);
	g_bytes_unref(z);
}

static void lying_bomb_is_refused(void **state)
{
	/* 80 MiB of zeros, beyond the message limit, claiming to be 1 KiB or 64 MiB */
	size_t big = 80u << 20;
	uint8_t *zeros = g_malloc0(big);
	GBytes *z = raw_deflate(zeros, big), *out = NULL;
	hb_drop_t why = HB_DROP_MAX;

	g_free(zeros);
	assert_true(g_bytes_get_size(z) < 200000);
	assert_int_equal(inflate_bytes(z, 1024, &out, &why), -1);
	assert_int_equal(why, HB_DROP_BAD_COMPRESSION);
	assert_null(out);
	assert_int_equal(inflate_bytes(z, HB_ZIP_MAX, &out, &why), -1);
	assert_int_equal(why, HB_DROP_BAD_COMPRESSION);
	assert_null(out);
	g_bytes_unref(z);
}

static void wrong_size_is_refused(void **state)
{
	GString *s = cib_like(50000);
	GBytes *z = raw_deflate(s->str, s->len), *out = NULL;
	hb_drop_t why;

	assert_int_equal(inflate_bytes(z, s->len + 1, &out, &why), -1);
	assert_int_equal(why, HB_DROP_BAD_COMPRESSION);
	assert_int_equal(inflate_bytes(z, s->len - 1, &out, &why), -1);
	assert_int_equal(why, HB_DROP_BAD_COMPRESSION);
	assert_int_equal(inflate_bytes(z, 0, &out, &why), -1);
	assert_null(out);
	g_bytes_unref(z);
	g_string_free(s, TRUE);
}

static void damaged_streams_are_refused(void **state)
{
	GString *s = cib_like(50000);
	GBytes *z = raw_deflate(s->str, s->len), *out = NULL;
	gsize n;
	const uint8_t *p = g_bytes_get_data(z, &n);
	uint8_t *copy = g_malloc(n + 16);
	hb_drop_t why;

	/* any one damaged byte: a data error, a size mismatch or a bad Adler-32 */
	for (size_t at = 0; at < n; at += 7) {
		memcpy(copy, p, n);
		copy[at] ^= 0x5a;
		assert_int_equal(hb_zip_inflate(copy, n, s->len, HB_ZIP_MAX, &out, &why), -1);
		assert_int_equal(why, HB_DROP_BAD_COMPRESSION);
		assert_null(out);
	}
	/* truncated anywhere */
	for (size_t cut = 0; cut < n; cut += n / 13 + 1) {
		assert_int_equal(hb_zip_inflate(p, cut, s->len, HB_ZIP_MAX, &out, &why), -1);
		assert_null(out);
	}
	/* junk after a good stream */
	memcpy(copy, p, n);
	memset(copy + n, 'j', 16);
	assert_int_equal(hb_zip_inflate(copy, n + 16, s->len, HB_ZIP_MAX, &out, &why), -1);
	assert_int_equal(why, HB_DROP_BAD_COMPRESSION);
	/* not zlib at all */
	assert_int_equal(
	    hb_zip_inflate((const uint8_t *)s->str, 4096, s->len, HB_ZIP_MAX, &out, &why), -1);
	/* and the intact one still inflates */
	assert_int_equal(hb_zip_inflate(p, n, s->len, HB_ZIP_MAX, &out, &why), 0);
	g_bytes_unref(out);
	g_free(copy);
	g_bytes_unref(z);
	g_string_free(s, TRUE);
}

static void drop_reason_is_named(void **state)
{
	assert_string_equal(hb_drop_name(HB_DROP_BAD_COMPRESSION), "bad-compression");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(round_trip),
	    cmocka_unit_test(incompressible_is_left_alone),
	    cmocka_unit_test(declared_bomb_is_oversized),
	    cmocka_unit_test(lying_bomb_is_refused),
	    cmocka_unit_test(wrong_size_is_refused),
	    cmocka_unit_test(damaged_streams_are_refused),
	    cmocka_unit_test(drop_reason_is_named),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
