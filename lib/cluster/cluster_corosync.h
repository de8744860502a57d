/*
 * The corosync backend's own state, shared by its two files:
 *   cluster_corosync.c      connection, CPG views, cmap nodes, quorum, loss
 *   cluster_corosync_msg.c  the wire: fragments, unicast, the send queue
 * Nothing outside these two files includes this header.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef VIGIL_CLUSTER_COROSYNC_H
#define VIGIL_CLUSTER_COROSYNC_H

#include <corosync/cpg.h>
#include <corosync/quorum.h>
#include <corosync/votequorum.h>

#include "cluster_private.h"

/* Bytes queued for sending before vg_cluster_send() answers VG_EAGAIN. */
#define CS_QUEUE_MAX ((size_t)2 * VG_CLUSTER_MAX_MSG)
/* Wire kinds of a CPG message. */
enum { CS_KIND_DATA = 0, CS_KIND_SYNC = 1 };

typedef struct cs_backend {
	cpg_handle_t cpg;
	quorum_handle_t q;
	votequorum_handle_t vq;
	bool have_cpg, have_q, have_vq, joined;
	struct cpg_name group;
	int epfd, timerfd; /* one pollable fd for cpg, quorum, votequorum, retry */
	uint32_t frag_max; /* payload bytes per CPG message */
	/* views: (ring seq << 20) + changes of node-level group membership
	 * within the ring; a process that joins learns it from sync messages */
	uint64_t ring_seq;
	uint32_t gen;
	bool have_ring, synced;
	GArray *cpg_members; /* struct cpg_address of the group */
	GArray *shown;       /* uint32_t node ids of the last view emitted */
	GArray *last;        /* uint32_t node ids after the last group change */
	GArray *ring_nodes;  /* uint32_t node ids of the totem membership */
	GQueue *held;        /* cs_held_t: deliveries before the first view */
	/* wire */
	GQueue *sendq; /* cs_out_t */
	size_t queued;
	unsigned retry_ms;
	GHashTable *partial; /* (nodeid << 32 | pid) -> cs_in_t */
} cs_backend_t;

static inline cs_backend_t *cs_of(const vg_cluster_t *c)
{
	return c->backend;
}

/* cluster_corosync_msg.c */
void cs_wire_init(cs_backend_t *b);
void cs_wire_free(cs_backend_t *b);
/* Encode, fragment and queue `msg` for `dest` (0 = group); sends what CPG takes now. */
int cs_wire_send(vg_cluster_t *c, uint32_t dest, const vg_msg_t *msg, vg_error_t *err);
/* Queue an internal sync message (payload copied; its format is
 * cluster_corosync.c's). */
void cs_wire_send_sync(vg_cluster_t *c, const void *payload, size_t len);
/* Push queued fragments into CPG; VG_ENOTCONN when corosync is gone. */
int cs_wire_pump(vg_cluster_t *c);
/* One CPG message arrived (cpg deliver callback). */
void cs_wire_receive(vg_cluster_t *c, uint32_t nodeid, uint32_t pid, const void *buf, size_t len);
/* A sender left the group: forget its partial message. */
void cs_wire_forget(cs_backend_t *b, uint32_t nodeid, uint32_t pid);

/* cluster_corosync.c: a whole message for the user (held until the first view). */
void cs_deliver(vg_cluster_t *c, uint32_t from, vg_msg_t *msg);
/* A sync message from a member (payload of cs_wire_send_sync). */
void cs_sync(vg_cluster_t *c, uint32_t from, const uint8_t *payload, size_t len);
const char *cs_errname(cs_error_t e);

#endif
