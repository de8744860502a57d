/*
 * vigil-hbd private header: the daemon's state and the functions its files
 * share.  One hbd_t per process, passed explicitly (no globals).
 *
 *   hbd_main.c    options, config, logging, main loop (wiring only)
 *   hbd_state.c   persisted incarnation, realtime priority, memory locking
 *   hbd_media.c   UDP ucast/mcast/bcast sockets and serial lines; send/receive
 *   hbd_peer.c    receive path: node and replay checks, liveness, link status
 *   hbd_view.c    connectivity gossip, view agreement, quorum
 *   hbd_stream.c  reliable FIFO messaging: fragments, acks, retransmission
 *   hbd_compress.c compression of outgoing messages off the main loop
 *   hbd_ipc.c     local clients (groups, send, events) and the status report
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef VIGIL_HBD_H
#define VIGIL_HBD_H

#include <netinet/in.h>
#include <sys/socket.h>

#include <vigil/common.h>

#include "hbd_wire.h"

#define HB_MAX_MEDIA    16
#define HB_REPLAY_BITS  256
#define HB_FRAG_PAYLOAD 1200
#define HB_WINDOW       1024         /* fragments in flight per sender */
#define HB_QUEUE_MAX    (256u << 20) /* bytes queued behind the window */

typedef struct hbd hbd_t;
typedef struct hb_peer hb_peer_t;

/* ------------------------------------------------------------ hbd_media.c */
typedef struct hb_medium {
	int index;
	vg_hb_medium_kind_t kind;
	char *name;       /* "ucast lo", "mcast eth0", "serial /dev/ttyS0" */
	GPtrArray *confs; /* const vg_hb_medium_t * merged into this medium */
	int fd;           /* -1 while closed (serial retries) */
	guint watch;
	GArray *dests;           /* struct sockaddr_in: where group sends go */
	struct sockaddr_in self; /* local address (for the report) */
	hb_frame_dec_t *dec;     /* serial */
	GByteArray *out;         /* serial: bytes not yet written */
	guint out_watch;
	gint64 reopen_at; /* serial: when to retry opening */
	uint64_t tx_packets, rx_packets, tx_dropped;
	uint64_t tx_bytes; /* packet bytes handed to the medium (frames: + framing) */
} hb_medium_t;

int hbd_media_open(hbd_t *h, vg_error_t *err);
void hbd_media_close(hbd_t *h);
/* Send an encoded packet on medium m to every destination (peer NULL) or to
 * one peer's learned address.  Never blocks; a full buffer drops and counts. */
void hbd_media_send(hbd_t *h, hb_medium_t *m, const uint8_t *pkt, size_t len,
                    const hb_peer_t *peer);
/* Periodic work: reopen serial lines that went away. */
void hbd_media_tick(hbd_t *h);
bool hbd_medium_is_udp(const hb_medium_t *m);

/* ------------------------------------------------------------- hbd_peer.c */
typedef struct hb_replay {
	uint64_t max_seq;
	uint64_t bits[HB_REPLAY_BITS / 64]; /* bit i: max_seq - i seen */
} hb_replay_t;

typedef struct hb_link {
	gint64 last_rx; /* monotonic us, 0 never */
	bool up;
	bool have_addr;
	struct sockaddr_in addr; /* where this peer's packets come from */
} hb_link_t;

typedef enum hb_liveness { HB_NODE_INIT, HB_NODE_ALIVE, HB_NODE_DEAD } hb_liveness_t;

typedef struct hb_rx_stream {
	bool synced;
	uint64_t expected; /* next fragment to deliver */
	GHashTable *ooo;   /* fseq -> GBytes (whole DATA body) */
	GByteArray *msg;   /* message being reassembled */
	bool in_msg;
	uint32_t msg_total, msg_dest;
	uint32_t msg_raw; /* compressed message: its declared inflated size, else 0 */
	char msg_group[256];
	uint32_t unacked; /* fragments since our last ack */
	gint64 last_nack;
} hb_rx_stream_t;

typedef struct hb_tx_member {
	uint64_t acked; /* highest fragment acknowledged (cumulative) */
	gint64 last_progress;
	gint64 last_retransmit;
} hb_tx_member_t;

struct hb_peer {
	uint32_t id;
	char *name;
	unsigned votes;
	bool arbiter, configured;
	uint64_t incarnation; /* 0 until heard */
	hb_replay_t replay[HB_MAX_MEDIA];
	hb_replay_t any; /* across media: liveness and dedupe */
	hb_link_t links[HB_MAX_MEDIA];
	gint64 last_rx;
	hb_liveness_t state;
	gint64 lost_at;     /* when we declared it dead */
	gint64 alive_since; /* when it (re)appeared: see HB_JOIN_MS */
	bool warned;
	/* what its latest heartbeat said */
	uint64_t view_id;
	GArray *view;      /* hb_member_t as the peer installed it */
	GPtrArray *groups; /* char *: groups with a client on that node */
	bool wfa_done;
	uint64_t base_for_us; /* its stream: where we should start */
	bool base_known;
	/* streams */
	hb_rx_stream_t rx; /* its messages to us */
	hb_tx_member_t tx; /* our messages to it (valid while member) */
	bool tx_member;
};

void hbd_peers_init(hbd_t *h);
void hbd_peers_free(hbd_t *h);
hb_peer_t *hbd_peer_by_id(hbd_t *h, uint32_t id);
/* A raw packet from medium m (src NULL for serial). */
void hbd_peer_receive(hbd_t *h, hb_medium_t *m, const uint8_t *buf, size_t len,
                      const struct sockaddr_in *src);
/* Expire peers and links; true when the set of alive peers changed. */
bool hbd_peer_tick(hbd_t *h, gint64 now);
void hbd_drop(hbd_t *h, hb_drop_t why);

/* ------------------------------------------------------------- hbd_view.c */
typedef struct hb_member {
	uint32_t id;
	uint64_t incarnation;
	GPtrArray *groups; /* char * */
} hb_member_t;

typedef struct hb_view {
	uint64_t id;
	GArray *members; /* hb_member_t, by id */
} hb_view_t;

void hbd_view_init(hbd_t *h);
void hbd_view_free(hbd_t *h);
/* Recompute the candidate view; the leader installs it.  Call after any
 * change of liveness, gossip or local groups. */
void hbd_view_update(hbd_t *h);
/* Heartbeat body: encode ours / apply a peer's. */
void hbd_heartbeat_encode(hbd_t *h, hb_wbuf_t *w);
int hbd_heartbeat_apply(hbd_t *h, hb_peer_t *p, const uint8_t *body, size_t len);
/* Send a heartbeat on every medium now. */
void hbd_heartbeat_send(hbd_t *h);
/* Send one as soon as the main loop is idle (news: liveness, view, groups),
 * at most one per HB_SOON_MS; the tick catches what the limit holds back. */
void hbd_heartbeat_soon(hbd_t *h);
#define HB_SOON_MS 5
/* A node that (re)appears joins the graph only after this long, so that its
 * first, partial connectivity row cannot tip a tie against a sitting member. */
#define HB_JOIN_MS 40
bool hbd_view_has(const hbd_t *h, uint32_t id);
/* A node appeared: look at the views again once HB_JOIN_MS has passed. */
void hbd_view_join_later(hbd_t *h);
void hbd_quorum_compute(hbd_t *h, bool *quorate, unsigned *votes, unsigned *expected);
void hb_member_clear(gpointer p);

/* ----------------------------------------------------------- hbd_stream.c */
typedef struct hb_tx_frag {
	uint64_t fseq;
	GBytes *body; /* the DATA body */
} hb_tx_frag_t;

void hbd_stream_init(hbd_t *h);
void hbd_stream_free(hbd_t *h);
/* Queue a message (already encoded user bytes) for group/dest. */
int hbd_stream_send(hbd_t *h, const char *group, uint32_t dest, GBytes *payload, vg_error_t *err);
void hbd_stream_on_data(hbd_t *h, hb_peer_t *p, const uint8_t *body, size_t len);
void hbd_stream_on_ack(hbd_t *h, hb_peer_t *p, const uint8_t *body, size_t len);
void hbd_stream_on_nack(hbd_t *h, hb_peer_t *p, const uint8_t *body, size_t len);
/* Membership changed: start/stop tracking members, reset streams of leavers. */
void hbd_stream_view_changed(hbd_t *h);
/* A peer came back with a new incarnation: forget its stream. */
void hbd_stream_peer_reset(hbd_t *h, hb_peer_t *p);
void hbd_stream_tick(hbd_t *h, gint64 now);
/* Heartbeat parts: acks for every sender and our base per member. */
void hbd_stream_encode_hb(hbd_t *h, hb_wbuf_t *w);
void hbd_stream_apply_hb(hbd_t *h, hb_peer_t *p, hb_rbuf_t *r);
/* Send a packet of `type` to one peer (its best medium) or to all (NULL). */
void hbd_send_packet(hbd_t *h, uint8_t type, const uint8_t *body, size_t len, const hb_peer_t *to,
                     bool include_serial);

/* A compression job is done: out is the zlib stream, or NULL when the message
 * does not shrink.  tag is what hbd_compress_start() was given. */
void hbd_stream_zipped(hbd_t *h, void *tag, GBytes *out);

/* --------------------------------------------------------- hbd_compress.c */
/* deflate level: the fastest one already gains most of what zlib can on CIB
 * XML (6.8x against 8.0x at level 9, at a fifth of the time) */
#define HB_ZIP_LEVEL 1
void hbd_compress_init(hbd_t *h);
/* Waits for a job that is running; jobs not yet done are forgotten. */
void hbd_compress_free(hbd_t *h);
/* Compress `in` on a worker thread; hbd_stream_zipped() gets the result in
 * the main loop, jobs in the order they were started. */
void hbd_compress_start(hbd_t *h, GBytes *in, void *tag);

/* -------------------------------------------------------------- hbd_ipc.c */
int hbd_ipc_start(hbd_t *h, vg_error_t *err);
void hbd_ipc_stop(hbd_t *h);
/* A complete message from `from` for `group` (dest 0 or us). */
void hbd_ipc_deliver(hbd_t *h, uint32_t from, const char *group, const uint8_t *data, size_t len);
/* Tell clients about a new view / quorum state. */
void hbd_ipc_view_changed(hbd_t *h);
/* Groups with a local client (char *), for heartbeats. */
GPtrArray *hbd_ipc_groups(hbd_t *h);
/* The membership report (caller frees with xmlFreeDoc). */
xmlDoc *hbd_status_xml(hbd_t *h);

/* ------------------------------------------------------------ hbd_state.c */
int hbd_incarnation_next(const char *state_dir, uint64_t *out, vg_error_t *err);
void hbd_realtime(const vg_hacf_t *cfg);

/* ---------------------------------------------------------------- the daemon */
struct hbd {
	vg_hacf_t *cfg;
	const vg_hacf_hb_t *hb;
	hb_auth_t *auth;
	uint64_t cluster;
	uint32_t my_id;
	const char *my_name;
	uint64_t incarnation;
	uint64_t seq;
	gint64 started;
	GPtrArray *media; /* hb_medium_t * */
	GPtrArray *peers; /* hb_peer_t *, self first */
	hb_peer_t *self;
	uint64_t drops[HB_DROP_MAX];
	/* view state */
	hb_view_t view;
	gint64 view_installed; /* when the current view was installed */
	GHashTable *rows;      /* id -> row (gossip matrix, hbd_view.c) */
	GHashTable *edge_gone; /* edge key -> gint64 when first reported lost */
	bool hb_due;           /* send a heartbeat at the next tick */
	guint hb_idle;         /* pending hbd_heartbeat_soon() source */
	guint join_timer;      /* re-evaluate views when a join settles */
	gint64 merge_held;     /* since when a merge waits for its edges, or 0 */
	bool wfa_done;         /* wait_for_all satisfied */
	bool last_quorate;
	unsigned last_votes;
	gint64 last_hb_sent;
	/* stream state */
	uint64_t next_fseq; /* our next fragment number */
	GPtrArray *unacked; /* hb_tx_frag_t *, consecutive fseq */
	GQueue *pending;    /* queued messages behind the window */
	size_t pending_bytes;
	/* compression ("compression zlib"): the worker and what it did */
	struct hbd_compress *zip;
	struct {
		uint64_t messages, bytes;         /* messages queued to peers, their sizes */
		uint64_t zipped, zip_in, zip_out; /* of those, compressed: count, bytes in/out */
		uint64_t unzipped;                /* compressed messages received and inflated */
	} traffic;
	/* fault injection (ha.cf "fault_injection on"; the lab's loss and cuts) */
	double fault_loss;          /* percent of received packets dropped */
	GHashTable *fault_block;    /* peer id -> mask of 1 (UDP), 2 (serial) */
	unsigned fault_corrupt_zip; /* damage the next N compressed messages we send */
	/* local clients */
	struct hbd_ipc *ipc;
	guint tick_source, hb_source;
	GMainLoop *loop;
};

#endif
