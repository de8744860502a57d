/*
 * vigil-hbd wire formats: authkeys rules, packet MAC/cluster/length checks,
 * serial framing with resynchronisation after garbage and corruption.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "hbd_wire.h"

static hb_auth_t *auth_ok(const char *text)
{
	hb_auth_t *a = NULL;
	vg_error_t err = {0};

	if (hb_auth_parse(text, "authkeys", false, &a, &err) != 0)
		fail_msg("authkeys: %s", err.msg);
	return a;
}

static void test_authkeys(void **state)
{
	hb_auth_t *a = auth_ok("auth 2\n1 sha1 old\n2 sha256 s3cret # now\n");
	vg_error_t err = {0};
	char path[] = "/tmp/vg-authkeys-XXXXXX";
	int fd;

	assert_int_equal(a->active, 2);
	assert_int_equal(hb_auth_mac_len(a, 2), 32);
	assert_int_equal(hb_auth_mac_len(a, 1), 20);
	assert_int_equal(hb_auth_mac_len(a, 3), 0);
	hb_auth_free(a);
	assert_int_equal(hb_auth_parse("auth 1\n1 crc\n", "k", false, &a, &err), VG_ECONFIG);
	assert_non_null(strstr(err.msg, "insecure_auth"));
	vg_error_clear(&err);
	assert_int_equal(hb_auth_parse("auth 1\n1 crc\n", "k", true, &a, &err), 0);
	hb_auth_free(a);
	assert_int_equal(hb_auth_parse("auth 3\n1 sha256 x\n", "k", false, &a, &err), VG_ECONFIG);
	vg_error_clear(&err);
	assert_int_equal(hb_auth_parse("1 sha256 x\n", "k", false, &a, &err), VG_ECONFIG);
	vg_error_clear(&err);
	assert_int_equal(hb_auth_parse("auth 1\n1 rot13 x\n", "k", false, &a, &err), VG_ECONFIG);
	vg_error_clear(&err);

	/* file permissions */
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "auth 1\n1 sha256 k\n", 18), 18);
	close(fd);
	chmod(path, 0644);
	assert_int_equal(hb_auth_load(path, false, &a, &err), VG_EPERM);
	assert_non_null(strstr(err.msg, "chmod 600"));
	vg_error_clear(&err);
	chmod(path, 0600);
	assert_int_equal(hb_auth_load(path, false, &a, &err), 0);
	hb_auth_free(a);
	unlink(path);
}

static size_t make_packet(const hb_auth_t *a, uint64_t cluster, uint8_t *buf)
{
	const char body[] = "hello";
	hb_packet_t p = {.type = HB_P_HEARTBEAT,
	                 .cluster = cluster,
	                 .sender = 3,
	                 .incarnation = 9,
	                 .seq = 42,
	                 .body = (const uint8_t *)body,
	                 .body_len = sizeof(body)};

	return hb_packet_encode(&p, a, buf);
}

static void test_packet(void **state)
{
	hb_auth_t *a = auth_ok("auth 1\n1 sha256 k1\n");
	hb_auth_t *b = auth_ok("auth 1\n1 sha256 other\n");
	uint64_t cid = hb_cluster_id("c1");
	uint8_t buf[HB_MAX_PACKET];
	hb_packet_t p;
	hb_drop_t why;
	size_t n = make_packet(a, cid, buf);

	assert_int_equal(hb_packet_decode(buf, n, cid, a, &p, &why), 0);
	assert_int_equal(p.sender, 3);
	assert_int_equal(p.incarnation, 9);
	assert_int_equal(p.seq, 42);
	assert_int_equal(p.body_len, 6);
	assert_string_equal((const char *)p.body, "hello");
	assert_int_equal(hb_packet_decode(buf, n, cid, b, &p, &why), -1);
	assert_int_equal(why, HB_DROP_BAD_HMAC);
	assert_int_equal(hb_packet_decode(buf, n, hb_cluster_id("c2"), a, &p, &why), -1);
	assert_int_equal(why, HB_DROP_FOREIGN_CLUSTER);
	assert_int_equal(hb_packet_decode(buf, n - 1, cid, a, &p, &why), -1);
	assert_int_equal(why, HB_DROP_TRUNCATED);
	assert_int_equal(hb_packet_decode(buf, 10, cid, a, &p, &why), -1);
	assert_int_equal(why, HB_DROP_TRUNCATED);
	buf[45] ^= 1;
	assert_int_equal(hb_packet_decode(buf, n, cid, a, &p, &why), -1);
	assert_int_equal(why, HB_DROP_BAD_HMAC);
	buf[45] ^= 1;
	buf[20] = 0x7f; /* body length */
	assert_int_equal(hb_packet_decode(buf, n, cid, a, &p, &why), -1);
	assert_int_equal(why, HB_DROP_OVERSIZED);
	hb_auth_free(a);
	hb_auth_free(b);
}

typedef struct seen {
	int frames;
	size_t last_len;
} seen_t;

static void on_frame(const uint8_t *pkt, size_t len, void *data)
{
	seen_t *s = data;

	s->frames++;
	s->last_len = len;
}

static void test_frames(void **state)
{
	hb_auth_t *a = auth_ok("auth 1\n1 sha256 k1\n");
	uint8_t pkt[HB_MAX_PACKET], frame[HB_FRAME_MAX], stream[3 * HB_FRAME_MAX];
	size_t n = make_packet(a, 1, pkt), f = hb_frame_encode(pkt, n, frame), s = 0;
	hb_frame_dec_t *d = g_new0(hb_frame_dec_t, 1);
	seen_t seen = {0};

	/* garbage, a good frame, a corrupted frame, a good frame fed byte by byte */
	memcpy(stream, "\xA5\x5A\xff garbage", 11);
	s = 11;
	memcpy(stream + s, frame, f);
	s += f;
	memcpy(stream + s, frame, f);
	stream[s + 20] ^= 0x40;
	s += f;
	hb_frame_feed(d, stream, s, on_frame, &seen);
	assert_int_equal(seen.frames, 1);
	assert_int_equal(seen.last_len, n);
	assert_true(d->bad_crc >= 1);
	for (size_t i = 0; i < f; i++)
		hb_frame_feed(d, frame + i, 1, on_frame, &seen);
	assert_int_equal(seen.frames, 2);
	g_free(d);
	hb_auth_free(a);
}

static void edge(uint64_t *adj, int a, int b)
{
	adj[a] |= 1ull << b;
	adj[b] |= 1ull << a;
}

static void test_cliques(void **state)
{
	uint64_t adj[64] = {0};

	/* full mesh of 3: everyone together */
	edge(adj, 0, 1), edge(adj, 1, 2), edge(adj, 0, 2);
	for (int i = 0; i < 3; i++)
		assert_int_equal(hb_clique_of(adj, 3, i), 0x7);
	/* A-B, B-C up, A-C cut: {A,B} and {C} whoever computes it */
	memset(adj, 0, sizeof(adj));
	edge(adj, 0, 1), edge(adj, 1, 2);
	assert_int_equal(hb_clique_of(adj, 3, 0), 0x3);
	assert_int_equal(hb_clique_of(adj, 3, 1), 0x3);
	assert_int_equal(hb_clique_of(adj, 3, 2), 0x4);
	/* four nodes, 2-4 cut: {1,2,3} and {4} */
	memset(adj, 0, sizeof(adj));
	edge(adj, 0, 1), edge(adj, 0, 2), edge(adj, 0, 3), edge(adj, 1, 2), edge(adj, 2, 3);
	for (int i = 0; i < 3; i++)
		assert_int_equal(hb_clique_of(adj, 4, i), 0x7);
	assert_int_equal(hb_clique_of(adj, 4, 3), 0x8);
	/* size beats order: {0} alone vs the triangle {1,2,3} */
	memset(adj, 0, sizeof(adj));
	edge(adj, 1, 2), edge(adj, 2, 3), edge(adj, 1, 3), edge(adj, 0, 1);
	assert_int_equal(hb_clique_of(adj, 4, 1), 0xe);
	assert_int_equal(hb_clique_of(adj, 4, 0), 0x1);
	/* 64 nodes fully connected */
	for (int i = 0; i < 64; i++)
		adj[i] = ~0ull & ~(1ull << i);
	assert_true(hb_clique_of(adj, 64, 63) == ~0ull);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_cliques),
	    cmocka_unit_test(test_authkeys),
	    cmocka_unit_test(test_packet),
	    cmocka_unit_test(test_frames),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
