/*
 * The corosync backend's wire: how a vg_msg_t travels through CPG.
 *  - Every CPG message is a 20-byte header (magic "VGC1", kind, destination
 *    node id, total length, offset; big-endian) and a slice of the encoded
 *    vg_msg_t.  Messages larger than one CPG message are cut into fragments
 *    and put back together per sender (node id, pid); CPG delivers one
 *    sender's messages in order, so a fragment either continues the
 *    sender's partial message or starts a new one.
 *  - CPG has no unicast: a message for one node goes to the group with its
 *    id as destination and every other member drops it unread.
 *  - Sending never blocks: fragments wait in a queue; when CPG answers
 *    CS_ERR_TRY_AGAIN (its flow control) a timerfd in the backend's epoll set
 *    wakes the main loop to try again with backoff.
 * This file never interprets views or quorum.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define VG_LOG_SUBSYS "cluster"
#include <string.h>
#include <sys/timerfd.h>
#include <sys/uio.h>
#include <unistd.h>

#include "cluster_corosync.h"

#define HDR_LEN 20
#define MAGIC   0x56474331u /* "VGC1" */

typedef struct cs_out {
	uint8_t *buf;
	size_t len, off;
	uint32_t dest;
	uint8_t kind;
} cs_out_t;

/* A partial message; grows as fragments come (a header's total is a
 * claim, not a reason to allocate it all at once). */
typedef struct cs_in {
	GByteArray *buf;
	size_t total;
} cs_in_t;

static void out_free(gpointer p)
{
	cs_out_t *o = p;

	g_free(o->buf);
	g_free(o);
}

static void in_free(gpointer p)
{
	cs_in_t *in = p;

	if (in->buf != NULL)
		g_byte_array_unref(in->buf);
	g_free(in);
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static guint64 sender_key(uint32_t nodeid, uint32_t pid)
{
	return (guint64)nodeid << 32 | pid;
}

void cs_wire_init(cs_backend_t *b)
{
	b->sendq = g_queue_new();
	b->partial = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, in_free);
}

void cs_wire_free(cs_backend_t *b)
{
	if (b->sendq != NULL)
		g_queue_free_full(b->sendq, out_free);
	if (b->partial != NULL)
		g_hash_table_destroy(b->partial);
	b->sendq = NULL;
	b->partial = NULL;
}

/* Arm (ms > 0) or disarm the retry timer. */
static void retry_timer(cs_backend_t *b, unsigned ms)
{
	struct itimerspec its = {0};

	its.it_value.tv_sec = ms / 1000;
	its.it_value.tv_nsec = (long)(ms % 1000) * 1000000L;
	timerfd_settime(b->timerfd, 0, &its, NULL);
}

int cs_wire_pump(vg_cluster_t *c)
{
	cs_backend_t *b = cs_of(c);
	cs_out_t *o;
	uint64_t ticks;

	/* drain the timer so a level-triggered epoll does not spin */
	while (read(b->timerfd, &ticks, sizeof(ticks)) == (ssize_t)sizeof(ticks))
		;
	while ((o = g_queue_peek_head(b->sendq)) != NULL) {
		size_t n = MIN(o->len - o->off, (size_t)b->frag_max);
		uint8_t hdr[HDR_LEN] = {0};
		struct iovec iov[2] = {{hdr, HDR_LEN}, {o->buf + o->off, n}};
		cs_error_t e;

		put32(hdr, MAGIC);
		hdr[4] = o->kind;
		put32(hdr + 8, o->dest);
		put32(hdr + 12, (uint32_t)o->len);
		put32(hdr + 16, (uint32_t)o->off);
		e = cpg_mcast_joined(b->cpg, CPG_TYPE_AGREED, iov, 2);
		if (e == CS_ERR_TRY_AGAIN) {
			b->retry_ms = b->retry_ms ? MIN(b->retry_ms * 2, 200u) : 2;
			retry_timer(b, b->retry_ms);
			return 0;
		}
		if (e != CS_OK) {
			vg_log_error("corosync: cannot send to group %s (cpg_mcast_joined: %s)",
			             b->group.value, cs_errname(e));
			return VG_ENOTCONN;
		}
		o->off += n;
		if (o->off == o->len) {
			b->queued -= o->len;
			out_free(g_queue_pop_head(b->sendq));
		}
	}
	b->retry_ms = 0;
	retry_timer(b, 0);
	return 0;
}

static void enqueue(cs_backend_t *b, uint8_t *buf, size_t len, uint32_t dest, uint8_t kind)
{
	cs_out_t *o = g_new0(cs_out_t, 1);

	o->buf = buf;
	o->len = len;
	o->dest = dest;
	o->kind = kind;
	b->queued += len;
	g_queue_push_tail(b->sendq, o);
}

int cs_wire_send(vg_cluster_t *c, uint32_t dest, const vg_msg_t *msg, vg_error_t *err)
{
	cs_backend_t *b = cs_of(c);
	uint8_t *buf = NULL;
	size_t len = 0;
	int rc = vg_msg_encode(msg, &buf, &len);

	if (rc != 0)
		return vg_error_set(err, rc, "message %s cannot be encoded", vg_msg_type(msg));
	if (len > VG_CLUSTER_MAX_MSG) {
		g_free(buf);
		return vg_error_set(err, VG_ETOOBIG,
		                    "message %s is %zu bytes, over the %u-byte limit",
		                    vg_msg_type(msg), len, VG_CLUSTER_MAX_MSG);
	}
	if (b->queued > 0 && b->queued + len > CS_QUEUE_MAX) {
		g_free(buf);
		return vg_error_set(err, VG_EAGAIN,
		                    "corosync send queue is full (%zu bytes waiting)", b->queued);
	}
	enqueue(b, buf, len, dest, CS_KIND_DATA);
	rc = cs_wire_pump(c);
	if (rc != 0)
		return vg_error_set(err, rc, "corosync went away");
	return 0;
}

void cs_wire_send_sync(vg_cluster_t *c, const void *payload, size_t len)
{
	enqueue(cs_of(c), g_memdup2(payload, len), len, 0, CS_KIND_SYNC);
	/* an error here shows up again at the next dispatch */
	(void)cs_wire_pump(c);
}

static void complete(vg_cluster_t *c, uint32_t nodeid, const uint8_t *buf, size_t len)
{
	vg_msg_t *m = NULL;
	vg_error_t err = {0};

	if (vg_msg_decode(buf, len, VG_CLUSTER_MAX_MSG, &m, &err) != 0) {
		vg_log_warn("node %u: dropped an undecodable message (%s)", nodeid, err.msg);
		return;
	}
	cs_deliver(c, nodeid, m);
}

void cs_wire_receive(vg_cluster_t *c, uint32_t nodeid, uint32_t pid, const void *data, size_t len)
{
	cs_backend_t *b = cs_of(c);
	const uint8_t *p = data;
	uint32_t dest, total, off;
	size_t n;
	guint64 key = sender_key(nodeid, pid);
	cs_in_t *in;

	if (len < HDR_LEN || get32(p) != MAGIC) {
		vg_log_warn("node %u: dropped a %zu-byte message that is not vigil's", nodeid, len);
		return;
	}
	n = len - HDR_LEN;
	dest = get32(p + 8);
	total = get32(p + 12);
	off = get32(p + 16);
	if (p[4] == CS_KIND_SYNC) {
		if (off == 0 && n == total)
			cs_sync(c, nodeid, p + HDR_LEN, n);
		return;
	}
	if (dest != 0 && dest != c->local_id)
		return;
	if (total > VG_CLUSTER_MAX_MSG || off > total || n > total - off) {
		vg_log_warn("node %u: dropped a fragment with bad lengths (%u+%zu of %u)", nodeid,
		            off, n, total);
		g_hash_table_remove(b->partial, &key);
		return;
	}
	if (off == 0 && n == total) {
		g_hash_table_remove(b->partial, &key);
		complete(c, nodeid, p + HDR_LEN, n);
		return;
	}
	in = g_hash_table_lookup(b->partial, &key);
	if (off == 0) {
		guint64 *k = g_new(guint64, 1);

		if (in != NULL)
			vg_log_warn("node %u: a message started before the last one ended", nodeid);
		*k = key;
		in = g_new0(cs_in_t, 1);
		in->buf = g_byte_array_sized_new(MIN(total, 1u << 20));
		in->total = total;
		g_hash_table_replace(b->partial, k, in);
	} else if (in == NULL || in->total != total || in->buf->len != off) {
		vg_log_warn("node %u: dropped a fragment out of sequence (offset %u)", nodeid, off);
		g_hash_table_remove(b->partial, &key);
		return;
	}
	g_byte_array_append(in->buf, p + HDR_LEN, (guint)n);
	if (in->buf->len == in->total) {
		/* take the buffer before the entry goes */
		GByteArray *buf = in->buf;

		in->buf = NULL;
		g_hash_table_remove(b->partial, &key);
		complete(c, nodeid, buf->data, buf->len);
		g_byte_array_unref(buf);
	}
}

void cs_wire_forget(cs_backend_t *b, uint32_t nodeid, uint32_t pid)
{
	guint64 key = sender_key(nodeid, pid);

	g_hash_table_remove(b->partial, &key);
}
