/*
 * Unit test of the corosync backend's wire (lib/cluster/cluster_corosync_msg.c)
 * without corosync: cpg_mcast_joined is replaced by a recorder that can
 * answer CS_ERR_TRY_AGAIN, and the recorded CPG messages are fed back into
 * cs_wire_receive() as another node would see them.  Checks fragmentation
 * and reassembly, unicast filtering, flow control (queue, retry timer,
 * order kept, VG_EAGAIN when full) and that bad fragments are dropped.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <poll.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include <cmocka.h>

/* the unit under test, compiled into this program */
#include "../../lib/cluster/cluster_corosync_msg.c"

/* ---------------------------------------------------------------- fakes */

static GPtrArray *wire;  /* GByteArray *: what went to CPG */
static int try_again;    /* answer TRY_AGAIN this many more times */
static GPtrArray *got;   /* vg_msg_t * delivered */
static GArray *got_from; /* uint32_t */

cs_error_t cpg_mcast_joined(cpg_handle_t handle, cpg_guarantee_t guarantee, const struct iovec *iov,
                            unsigned int iov_len)
{
	GByteArray *m;

	(void)handle, (void)guarantee;
	if (try_again > 0) {
		try_again--;
		return CS_ERR_TRY_AGAIN;
	}
	m = g_byte_array_new();
	for (unsigned i = 0; i < iov_len; i++)
		g_byte_array_append(m, iov[i].iov_base, (guint)iov[i].iov_len);
	g_ptr_array_add(wire, m);
	return CS_OK;
}

void cs_deliver(vg_cluster_t *c, uint32_t from, vg_msg_t *msg)
{
	(void)c;
	g_ptr_array_add(got, msg);
	g_array_append_val(got_from, from);
}

void cs_sync(vg_cluster_t *c, uint32_t from, const uint8_t *payload, size_t len)
{
	(void)c, (void)from, (void)payload, (void)len;
}

const char *cs_errname(cs_error_t e)
{
	(void)e;
	return "fake";
}

/* ------------------------------------------------------------- fixtures */

typedef struct pair {
	vg_cluster_t tx, rx;
	cs_backend_t btx, brx;
} pair_t;

static int setup(void **state)
{
	pair_t *p = g_new0(pair_t, 1);

	p->tx.backend = &p->btx;
	p->rx.backend = &p->brx;
	p->tx.local_id = 1;
	p->rx.local_id = 2;
	p->btx.frag_max = 64 * 1024;
	p->btx.timerfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	p->brx.timerfd = -1;
	memcpy(p->btx.group.value, "t", 2);
	cs_wire_init(&p->btx);
	cs_wire_init(&p->brx);
	wire = g_ptr_array_new_with_free_func((GDestroyNotify)g_byte_array_unref);
	got = g_ptr_array_new_with_free_func((GDestroyNotify)vg_msg_free);
	got_from = g_array_new(FALSE, FALSE, sizeof(uint32_t));
	try_again = 0;
	*state = p;
	return 0;
}

static int teardown(void **state)
{
	pair_t *p = *state;

	cs_wire_free(&p->btx);
	cs_wire_free(&p->brx);
	close(p->btx.timerfd);
	g_free(p);
	g_ptr_array_unref(wire);
	g_ptr_array_unref(got);
	g_array_unref(got_from);
	return 0;
}

static vg_msg_t *msg_of(size_t size, int seq)
{
	vg_msg_t *m = vg_msg_new("t-msg");
	char *data = g_malloc(size + 1);

	memset(data, 'a' + seq % 26, size);
	data[size] = '\0';
	vg_msg_set(m, "data", data);
	vg_msg_set_int(m, "seq", seq);
	g_free(data);
	return m;
}

/* Feed everything recorded so far to the receiver as node 1, pid 77. */
static void replay(pair_t *p)
{
	for (guint i = 0; i < wire->len; i++) {
		GByteArray *m = g_ptr_array_index(wire, i);

		cs_wire_receive(&p->rx, 1, 77, m->data, m->len);
	}
	g_ptr_array_set_size(wire, 0);
}

/* ---------------------------------------------------------------- tests */

static void large_message_round_trip(void **state)
{
	pair_t *p = *state;
	vg_msg_t *m = msg_of(5u << 20, 3);
	int64_t seq = 0;

	assert_int_equal(cs_wire_send(&p->tx, 0, m, NULL), 0);
	assert_true(wire->len >= (5u << 20) / (64 * 1024));
	assert_int_equal(p->btx.queued, 0);
	replay(p);
	assert_int_equal(got->len, 1);
	assert_int_equal(g_array_index(got_from, uint32_t, 0), 1);
	assert_int_equal(vg_msg_get_int(g_ptr_array_index(got, 0), "seq", &seq), 0);
	assert_int_equal(seq, 3);
	assert_string_equal(vg_msg_get(g_ptr_array_index(got, 0), "data"), vg_msg_get(m, "data"));
	vg_msg_free(m);
}

static void unicast_reaches_only_its_node(void **state)
{
	pair_t *p = *state;
	vg_msg_t *m = msg_of(200 * 1024, 1);

	assert_int_equal(cs_wire_send(&p->tx, 3, m, NULL), 0);
	replay(p); /* the receiver is node 2 */
	assert_int_equal(got->len, 0);
	assert_int_equal(cs_wire_send(&p->tx, 2, m, NULL), 0);
	replay(p);
	assert_int_equal(got->len, 1);
	vg_msg_free(m);
}

static void try_again_queues_and_keeps_order(void **state)
{
	pair_t *p = *state;
	struct pollfd pfd = {.fd = p->btx.timerfd, .events = POLLIN};

	try_again = 5; /* more than the four sends below */
	for (int i = 1; i <= 4; i++) {
		vg_msg_t *m = msg_of(100 * 1024, i);

		assert_int_equal(cs_wire_send(&p->tx, 0, m, NULL), 0);
		vg_msg_free(m);
	}
	assert_true(p->btx.queued > 0);
	/* the retry timer wakes the main loop */
	assert_int_equal(poll(&pfd, 1, 1000), 1);
	while (p->btx.queued > 0)
		assert_int_equal(cs_wire_pump(&p->tx), 0);
	replay(p);
	assert_int_equal(got->len, 4);
	for (int i = 0; i < 4; i++) {
		int64_t seq = 0;

		vg_msg_get_int(g_ptr_array_index(got, i), "seq", &seq);
		assert_int_equal(seq, i + 1);
	}
}

static void full_queue_says_eagain(void **state)
{
	pair_t *p = *state;
	vg_msg_t *big = msg_of(60u << 20, 1), *more = msg_of(20u << 20, 2);
	vg_error_t err = {0};

	try_again = 1 << 30; /* corosync never takes anything */
	assert_int_equal(cs_wire_send(&p->tx, 0, big, NULL), 0);
	assert_int_equal(cs_wire_send(&p->tx, 0, big, NULL), 0);
	assert_int_equal(cs_wire_send(&p->tx, 0, more, &err), VG_EAGAIN);
	vg_msg_free(big);
	vg_msg_free(more);
	try_again = 0;
}

static void too_big_is_refused(void **state)
{
	pair_t *p = *state;
	vg_msg_t *m = msg_of(VG_CLUSTER_MAX_MSG, 1);

	assert_int_equal(cs_wire_send(&p->tx, 0, m, NULL), VG_ETOOBIG);
	assert_int_equal(wire->len, 0);
	vg_msg_free(m);
}

static void bad_fragments_are_dropped(void **state)
{
	pair_t *p = *state;
	vg_msg_t *m = msg_of(300 * 1024, 1);
	GByteArray *f;

	assert_int_equal(cs_wire_send(&p->tx, 0, m, NULL), 0);
	assert_true(wire->len >= 3);
	/* lose the second fragment: the rest cannot complete the message */
	g_ptr_array_remove_index(wire, 1);
	replay(p);
	assert_int_equal(got->len, 0);
	/* not vigil's, and short */
	cs_wire_receive(&p->rx, 1, 77, "garbage-garbage-garbage", 23);
	cs_wire_receive(&p->rx, 1, 77, "x", 1);
	/* a total over the limit */
	assert_int_equal(cs_wire_send(&p->tx, 0, m, NULL), 0);
	f = g_ptr_array_index(wire, 0);
	f->data[12] = 0x7f;
	cs_wire_receive(&p->rx, 1, 77, f->data, f->len);
	g_ptr_array_set_size(wire, 0);
	assert_int_equal(got->len, 0);
	/* the sender's next message still arrives whole */
	assert_int_equal(cs_wire_send(&p->tx, 0, m, NULL), 0);
	replay(p);
	assert_int_equal(got->len, 1);
	vg_msg_free(m);
}

static void forgetting_a_sender_drops_its_partial(void **state)
{
	pair_t *p = *state;
	vg_msg_t *m = msg_of(300 * 1024, 1);
	GByteArray *f;

	assert_int_equal(cs_wire_send(&p->tx, 0, m, NULL), 0);
	f = g_ptr_array_index(wire, 0);
	cs_wire_receive(&p->rx, 1, 77, f->data, f->len);
	cs_wire_forget(&p->brx, 1, 77);
	for (guint i = 1; i < wire->len; i++) {
		f = g_ptr_array_index(wire, i);
		cs_wire_receive(&p->rx, 1, 77, f->data, f->len);
	}
	g_ptr_array_set_size(wire, 0);
	assert_int_equal(got->len, 0);
	vg_msg_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(large_message_round_trip, setup, teardown),
	    cmocka_unit_test_setup_teardown(unicast_reaches_only_its_node, setup, teardown),
	    cmocka_unit_test_setup_teardown(try_again_queues_and_keeps_order, setup, teardown),
	    cmocka_unit_test_setup_teardown(full_queue_says_eagain, setup, teardown),
	    cmocka_unit_test_setup_teardown(too_big_is_refused, setup, teardown),
	    cmocka_unit_test_setup_teardown(bad_fragments_are_dropped, setup, teardown),
	    cmocka_unit_test_setup_teardown(forgetting_a_sender_drops_its_partial, setup, teardown),
	};

	vg_log_init_tool("corosync-wire-test");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
