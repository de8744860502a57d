/*
 * vigil-hbd wire formats, shared by the daemon, its unit tests and the fuzz
 * targets.  Pure functions on byte buffers: no sockets, no clocks, no state
 * beyond what the caller passes in.
 *
 *   hbd_auth.c    authkeys loading and packet MACs (sha256/sha512/sha1/md5/crc)
 *   hbd_packet.c  the packet: header, body, MAC; one format on every medium
 *   hbd_frame.c   serial framing with resynchronisation and a CRC
 *   hbd_clique.c  the deterministic split of a partition into views
 *   hbd_zip.c     zlib compression of whole messages, bounded inflating
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef VIGIL_HBD_WIRE_H
#define VIGIL_HBD_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <vigil/common.h>

/* ---------------------------------------------------------------- hbd_auth.c */
typedef enum hb_auth_method {
	HB_AUTH_NONE = 0, /* slot unused */
	HB_AUTH_CRC,      /* no secret: integrity only, needs insecure_auth on */
	HB_AUTH_MD5,      /* accepted with a warning */
	HB_AUTH_SHA1,
	HB_AUTH_SHA256, /* recommended */
	HB_AUTH_SHA512,
} hb_auth_method_t;

#define HB_AUTH_SLOTS   16 /* key indexes 1..15 as in Heartbeat */
#define HB_AUTH_MAC_MAX 64

typedef struct hb_auth_key {
	hb_auth_method_t method;
	char *secret; /* NULL for crc */
	size_t secret_len;
} hb_auth_key_t;

typedef struct hb_auth {
	unsigned active; /* "auth N": the key we sign with */
	hb_auth_key_t keys[HB_AUTH_SLOTS];
} hb_auth_t;

/*
 * Load authkeys.  Refuses (VG_EPERM, saying why) a file that is not a regular
 * file, has any permission bits beyond 0600, or is owned by someone other than
 * root or the running user.  `crc` is refused unless insecure_ok; `md5` is
 * logged as weak.  *out freed with hb_auth_free().
 */
int hb_auth_load(const char *path, bool insecure_ok, hb_auth_t **out, vg_error_t *err);
/* Parse authkeys text without the file checks (tests, fuzzing). */
int hb_auth_parse(const char *text, const char *what, bool insecure_ok, hb_auth_t **out,
                  vg_error_t *err);
void hb_auth_free(hb_auth_t *a);
const char *hb_auth_method_name(hb_auth_method_t m);
/* MAC length of key slot `index`, 0 when the slot is empty. */
size_t hb_auth_mac_len(const hb_auth_t *a, unsigned index);
/* MAC of data with key `index` into mac (hb_auth_mac_len bytes). */
void hb_auth_mac(const hb_auth_t *a, unsigned index, const void *data, size_t len, uint8_t *mac);

uint32_t hb_crc32(uint32_t crc, const void *data, size_t len);

/* -------------------------------------------------------------- hbd_packet.c */
/*
 * Layout (big-endian):
 *   0  "VGHB"        magic
 *   4  u8  version   HB_WIRE_VERSION
 *   5  u8  type      hb_ptype_t
 *   6  u8  key       authkeys index the MAC uses
 *   7  u8  flags     reserved, 0
 *   8  u64 cluster   first 8 bytes of SHA-256(cluster_name)
 *  16  u32 sender    node id
 *  20  u32 body_len
 *  24  u64 incarnation (boot generation of the sender, persisted)
 *  32  u64 seq       per sender and incarnation, every packet
 *  40  body, then the MAC over bytes 0 .. 40+body_len
 */
#define HB_WIRE_VERSION 1
#define HB_HDR_LEN      40
#define HB_MAX_BODY     8192
#define HB_MAX_PACKET   (HB_HDR_LEN + HB_MAX_BODY + HB_AUTH_MAC_MAX)

typedef enum hb_ptype {
	HB_P_HEARTBEAT = 1, /* liveness + membership gossip + stream acks */
	HB_P_DATA = 2,      /* one fragment of a group/member message */
	HB_P_ACK = 3,       /* stream acknowledgements */
	HB_P_NACK = 4,      /* retransmission request */
	HB_P_MAX
} hb_ptype_t;

/* Why a packet was dropped; the order is the report order. */
typedef enum hb_drop {
	HB_DROP_BAD_HMAC,
	HB_DROP_FOREIGN_CLUSTER,
	HB_DROP_UNKNOWN_NODE,
	HB_DROP_REPLAY,
	HB_DROP_TRUNCATED,
	HB_DROP_OVERSIZED,
	HB_DROP_BAD_CRC,
	HB_DROP_MALFORMED,
	HB_DROP_BAD_COMPRESSION, /* a compressed message that does not inflate as declared */
	HB_DROP_MAX
} hb_drop_t;

const char *hb_drop_name(hb_drop_t d);

typedef struct hb_packet {
	uint8_t type;
	uint8_t key;
	uint64_t cluster;
	uint32_t sender;
	uint64_t incarnation;
	uint64_t seq;
	const uint8_t *body; /* borrowed from the buffer */
	uint32_t body_len;
} hb_packet_t;

uint64_t hb_cluster_id(const char *cluster_name);
/* Encode header+body+MAC (active key) into buf (>= HB_MAX_PACKET); returns length. */
size_t hb_packet_encode(const hb_packet_t *p, const hb_auth_t *auth, uint8_t *buf);
/*
 * Check and split a received packet.  Returns -1 and sets *why on a drop;
 * 0 with *p filled (body borrowed from buf) when the MAC verifies and the
 * cluster matches.  Node and replay checks are the caller's.
 */
int hb_packet_decode(const uint8_t *buf, size_t len, uint64_t cluster, const hb_auth_t *auth,
                     hb_packet_t *p, hb_drop_t *why);

/* Big-endian helpers for bodies. */
typedef struct hb_wbuf {
	uint8_t *p;
	size_t len, cap;
	bool overflow;
} hb_wbuf_t;
typedef struct hb_rbuf {
	const uint8_t *p;
	size_t len, off;
	bool bad; /* read past the end */
} hb_rbuf_t;

void hb_put_u8(hb_wbuf_t *w, uint8_t v);
void hb_put_u16(hb_wbuf_t *w, uint16_t v);
void hb_put_u32(hb_wbuf_t *w, uint32_t v);
void hb_put_u64(hb_wbuf_t *w, uint64_t v);
void hb_put_bytes(hb_wbuf_t *w, const void *d, size_t n);
void hb_put_str(hb_wbuf_t *w, const char *s); /* u8 length + bytes (<= 255) */
uint8_t hb_get_u8(hb_rbuf_t *r);
uint16_t hb_get_u16(hb_rbuf_t *r);
uint32_t hb_get_u32(hb_rbuf_t *r);
uint64_t hb_get_u64(hb_rbuf_t *r);
const uint8_t *hb_get_bytes(hb_rbuf_t *r, size_t n);
/* NUL-terminated copy into out (>= 256 bytes); false when malformed. */
bool hb_get_str(hb_rbuf_t *r, char *out);

/* --------------------------------------------------------------- hbd_frame.c */
/*
 * Serial frame: 0xA5 0x5A | u16 len | packet | u32 crc32(len bytes + packet).
 * The decoder hunts for the sync pair, checks the length and CRC, and after
 * any failure resumes one byte after the failed sync, so garbage on the line
 * costs at most the frames it overlaps.
 */
#define HB_FRAME_OVERHEAD 8
#define HB_FRAME_MAX      (HB_MAX_PACKET + HB_FRAME_OVERHEAD)

typedef struct hb_frame_dec {
	uint8_t buf[2 * HB_FRAME_MAX];
	size_t len;
	uint64_t bad_crc, oversized, garbage_bytes;
} hb_frame_dec_t;

typedef void (*hb_frame_fn)(const uint8_t *pkt, size_t len, void *data);

/* Frame pkt into out (>= len + HB_FRAME_OVERHEAD); returns the frame length. */
size_t hb_frame_encode(const uint8_t *pkt, size_t len, uint8_t *out);
/* Feed received bytes; fn is called for every complete, CRC-valid frame. */
void hb_frame_feed(hb_frame_dec_t *d, const uint8_t *data, size_t len, hb_frame_fn fn,
                   void *fn_data);

/* -------------------------------------------------------------- hbd_clique.c */
/*
 * adj[i] bit j: nodes i and j (indexes in id order, n <= 64) hear each other.
 * Returns the bit set of the view `self` belongs to: cliques are taken
 * largest first, ties to the lowest sorted index list, until one holds self.
 */
uint64_t hb_clique_of(const uint64_t *adj, int n, int self);

/* ----------------------------------------------------------------- hbd_zip.c */
/* Neither side handles more than a message's worth, compressed or not. */
#define HB_ZIP_MAX VG_MSG_MAX_SIZE

/*
 * zlib stream of src at `level` (1..9), or NULL when it would not be shorter
 * than src (or src is empty or beyond HB_ZIP_MAX): then send src as it is.
 */
GBytes *hb_zip_compress(const uint8_t *src, size_t len, int level);
/*
 * Inflate the zlib stream src into exactly `declared` bytes (*out).  -1 and
 * *why on refusal: declared beyond limit or HB_ZIP_MAX (oversized); corrupt,
 * truncated, trailing junk, or another size than declared (bad-compression).
 * Memory used never exceeds what the stream really inflates to, capped at
 * declared.
 */
int hb_zip_inflate(const uint8_t *src, size_t len, size_t declared, size_t limit, GBytes **out,
                   hb_drop_t *why);

#endif
