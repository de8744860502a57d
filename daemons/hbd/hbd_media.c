/*
 * The media vigil-hbd talks over: UDP unicast (all "ucast" lines of one
 * interface form one medium with one destination per line), multicast,
 * broadcast, and serial lines.  Every fd is non-blocking and every send is
 * fire-and-forget: a full socket buffer or serial queue drops the packet and
 * counts it, because a heartbeat that waits is worse than one that is lost
 * (the stream layer retransmits data).  Serial lines that vanish (cable
 * pulled, pty closed) are reopened every second.
 *
 * Never parses packets: bytes go to hbd_peer_receive().
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define VG_LOG_SUBSYS "hbd"
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include <glib-unix.h>

#include "hbd.h"

#define SERIAL_OUT_MAX  (64 * 1024)
#define SERIAL_RETRY_US G_USEC_PER_SEC

bool hbd_medium_is_udp(const hb_medium_t *m)
{
	return m->kind != VG_HB_SERIAL;
}

static hb_medium_t *medium_new(hbd_t *h, vg_hb_medium_kind_t kind, const char *name)
{
	hb_medium_t *m = g_new0(hb_medium_t, 1);

	m->index = (int)h->media->len;
	m->kind = kind;
	m->name = g_strdup(name);
	m->confs = g_ptr_array_new();
	m->fd = -1;
	m->dests = g_array_new(FALSE, TRUE, sizeof(struct sockaddr_in));
	g_ptr_array_add(h->media, m);
	return m;
}

static void medium_free(gpointer p)
{
	hb_medium_t *m = p;

	if (m->watch)
		g_source_remove(m->watch);
	if (m->out_watch)
		g_source_remove(m->out_watch);
	if (m->fd >= 0)
		close(m->fd);
	g_ptr_array_unref(m->confs);
	g_array_unref(m->dests);
	if (m->out)
		g_byte_array_unref(m->out);
	g_free(m->dec);
	g_free(m->name);
	g_free(m);
}

static int parse_addr(const char *s, unsigned port, struct sockaddr_in *sa)
{
	memset(sa, 0, sizeof(*sa));
	sa->sin_family = AF_INET;
	sa->sin_port = htons((uint16_t)port);
	return inet_pton(AF_INET, s, &sa->sin_addr) == 1 ? 0 : VG_EINVAL;
}

/* --------------------------------------------------------------- receive */

static gboolean on_udp_readable(gint fd, GIOCondition cond, gpointer data)
{
	hbd_t *h = ((void **)data)[0];
	hb_medium_t *m = ((void **)data)[1];
	uint8_t buf[HB_MAX_PACKET + 1];

	for (int i = 0; i < 256; i++) {
		struct sockaddr_in src;
		socklen_t slen = sizeof(src);
		ssize_t n = recvfrom(fd, buf, sizeof(buf), MSG_DONTWAIT | MSG_TRUNC,
		                     (struct sockaddr *)&src, &slen);

		if (n < 0)
			break;
		m->rx_packets++;
		if ((size_t)n > HB_MAX_PACKET) {
			hbd_drop(h, HB_DROP_OVERSIZED);
			continue;
		}
		hbd_peer_receive(h, m, buf, (size_t)n, &src);
	}
	return G_SOURCE_CONTINUE;
}

static void watch_fd(hbd_t *h, hb_medium_t *m, GUnixFDSourceFunc fn)
{
	void **pair = g_new(void *, 2);
	GSource *src = g_unix_fd_source_new(m->fd, G_IO_IN | G_IO_HUP | G_IO_ERR);

	pair[0] = h;
	pair[1] = m;
	g_source_set_callback(src, (GSourceFunc)(void (*)(void))fn, pair, g_free);
	m->watch = g_source_attach(src, NULL);
	g_source_unref(src);
}

/* ------------------------------------------------------------------- UDP */

static int udp_socket(hbd_t *h, hb_medium_t *m, const char *iface,
                      const struct sockaddr_in *bind_to, bool reuse, vg_error_t *err)
{
	int one = 1, fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	int size = 4 << 20;

	if (fd < 0)
		return vg_error_set(err, VG_EIO, "%s: socket: %s", m->name, g_strerror(errno));
	if (reuse)
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof(size));
	if (iface != NULL &&
	    setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, iface, (socklen_t)strlen(iface) + 1) != 0)
		vg_log_warn("%s: cannot bind to device %s: %s; listening on all interfaces",
		            m->name, iface, g_strerror(errno));
	if (bind(fd, (const struct sockaddr *)bind_to, sizeof(*bind_to)) != 0) {
		char a[INET_ADDRSTRLEN];

		inet_ntop(AF_INET, &bind_to->sin_addr, a, sizeof(a));
		close(fd);
		return vg_error_set(err, VG_EIO, "%s: cannot bind %s:%u: %s", m->name, a,
		                    ntohs(bind_to->sin_port), g_strerror(errno));
	}
	m->fd = fd;
	m->self = *bind_to;
	watch_fd(h, m, on_udp_readable);
	return 0;
}

static int open_ucast(hbd_t *h, hb_medium_t *m, vg_error_t *err)
{
	const vg_hb_medium_t *c0 = g_ptr_array_index(m->confs, 0);
	struct sockaddr_in local;

	if (parse_addr(h->hb->bind_addr ? h->hb->bind_addr : "0.0.0.0", h->cfg->udpport, &local) !=
	    0)
		return vg_error_set(err, VG_ECONFIG, "bind_addr %s is not an IPv4 address",
		                    h->hb->bind_addr);
	for (guint i = 0; i < m->confs->len; i++) {
		const vg_hb_medium_t *c = g_ptr_array_index(m->confs, i);
		struct sockaddr_in sa;

		if (parse_addr(c->addr, h->cfg->udpport, &sa) != 0)
			return vg_error_set(err, VG_ECONFIG, "ucast %s: not an IPv4 address",
			                    c->addr);
		if (sa.sin_addr.s_addr == local.sin_addr.s_addr)
			continue; /* the line naming ourselves: Heartbeat configs share one list */
		g_array_append_val(m->dests, sa);
	}
	return udp_socket(h, m, c0->iface, &local, false, err);
}

static int open_mcast(hbd_t *h, hb_medium_t *m, vg_error_t *err)
{
	const vg_hb_medium_t *c = g_ptr_array_index(m->confs, 0);
	struct sockaddr_in group, any;
	struct ip_mreqn mreq = {0};
	unsigned char ttl = (unsigned char)c->ttl, loop = c->loop ? 1 : 0;
	int zero = 0, rc;

	if (parse_addr(c->addr, c->port, &group) != 0 ||
	    !IN_MULTICAST(ntohl(group.sin_addr.s_addr)))
		return vg_error_set(err, VG_ECONFIG, "mcast %s: not an IPv4 multicast group",
		                    c->addr);
	parse_addr("0.0.0.0", c->port, &any);
	rc = udp_socket(h, m, c->iface, &any, true, err);
	if (rc != 0)
		return rc;
	mreq.imr_multiaddr = group.sin_addr;
	mreq.imr_ifindex = c->iface ? (int)if_nametoindex(c->iface) : 0;
	if (setsockopt(m->fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mreq, sizeof(mreq)) != 0)
		return vg_error_set(err, VG_EIO, "%s: cannot join group %s: %s", m->name, c->addr,
		                    g_strerror(errno));
	setsockopt(m->fd, IPPROTO_IP, IP_MULTICAST_ALL, &zero, sizeof(zero));
	mreq.imr_multiaddr.s_addr = INADDR_ANY;
	setsockopt(m->fd, IPPROTO_IP, IP_MULTICAST_IF, &mreq, sizeof(mreq));
	setsockopt(m->fd, IPPROTO_IP, IP_MULTICAST_TTL, &ttl, sizeof(ttl));
	setsockopt(m->fd, IPPROTO_IP, IP_MULTICAST_LOOP, &loop, sizeof(loop));
	g_array_append_val(m->dests, group);
	return 0;
}

static int open_bcast(hbd_t *h, hb_medium_t *m, vg_error_t *err)
{
	const vg_hb_medium_t *c = g_ptr_array_index(m->confs, 0);
	struct sockaddr_in any, dest;
	int one = 1, rc;

	parse_addr("0.0.0.0", h->cfg->udpport, &any);
	parse_addr("255.255.255.255", h->cfg->udpport, &dest);
	rc = udp_socket(h, m, c->iface, &any, true, err);
	if (rc != 0)
		return rc;
	setsockopt(m->fd, SOL_SOCKET, SO_BROADCAST, &one, sizeof(one));
	if (c->iface != NULL) {
		struct ifreq ifr = {0};

		g_strlcpy(ifr.ifr_name, c->iface, sizeof(ifr.ifr_name));
		if (ioctl(m->fd, SIOCGIFBRDADDR, &ifr) == 0)
			dest.sin_addr = ((struct sockaddr_in *)&ifr.ifr_broadaddr)->sin_addr;
	}
	g_array_append_val(m->dests, dest);
	return 0;
}

/* ---------------------------------------------------------------- serial */

typedef struct serial_cb {
	hbd_t *h;
	hb_medium_t *m;
} serial_cb_t;

static void on_frame(const uint8_t *pkt, size_t len, void *data)
{
	serial_cb_t *cb = data;

	cb->m->rx_packets++;
	hbd_peer_receive(cb->h, cb->m, pkt, len, NULL);
}

static void serial_close(hb_medium_t *m, const char *why)
{
	if (m->fd < 0)
		return;
	vg_log_warn("%s: closed (%s); reopening every second", m->name, why);
	if (m->watch)
		g_source_remove(m->watch);
	if (m->out_watch)
		g_source_remove(m->out_watch);
	m->watch = m->out_watch = 0;
	close(m->fd);
	m->fd = -1;
	g_byte_array_set_size(m->out, 0);
	m->reopen_at = g_get_monotonic_time() + SERIAL_RETRY_US;
}

static gboolean on_serial_readable(gint fd, GIOCondition cond, gpointer data)
{
	hbd_t *h = ((void **)data)[0];
	hb_medium_t *m = ((void **)data)[1];
	serial_cb_t cb = {h, m};
	uint8_t buf[4096];
	uint64_t bad = m->dec->bad_crc + m->dec->oversized;
	ssize_t n;

	while ((n = read(fd, buf, sizeof(buf))) > 0)
		hb_frame_feed(m->dec, buf, (size_t)n, on_frame, &cb);
	for (uint64_t i = bad; i < m->dec->bad_crc + m->dec->oversized; i++)
		hbd_drop(h, HB_DROP_BAD_CRC);
	if ((n < 0 && errno != EAGAIN && errno != EINTR) || (cond & (G_IO_HUP | G_IO_ERR))) {
		m->watch = 0; /* removed by returning REMOVE */
		serial_close(m, n < 0 ? g_strerror(errno) : "hang-up");
		return G_SOURCE_REMOVE;
	}
	return G_SOURCE_CONTINUE;
}

static speed_t baud_constant(unsigned baud)
{
	static const struct {
		unsigned rate;
		speed_t c;
	} rows[] = {{9600, B9600},     {19200, B19200},   {38400, B38400},  {57600, B57600},
	            {115200, B115200}, {230400, B230400}, {460800, B460800}};

	for (size_t i = 0; i < G_N_ELEMENTS(rows); i++)
		if (rows[i].rate == baud)
			return rows[i].c;
	return B19200;
}

static int serial_open(hbd_t *h, hb_medium_t *m, vg_error_t *err)
{
	const vg_hb_medium_t *c = g_ptr_array_index(m->confs, 0);
	struct termios t;
	int fd = open(c->device, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0) {
		m->reopen_at = g_get_monotonic_time() + SERIAL_RETRY_US;
		return vg_error_set(err, VG_EIO, "%s: cannot open: %s", m->name, g_strerror(errno));
	}
	if (tcgetattr(fd, &t) == 0) {
		cfmakeraw(&t);
		t.c_cflag |= CLOCAL | CREAD;
		/* VMIN 1: an empty non-blocking read is EAGAIN, not a 0 that looks like EOF */
		t.c_cc[VMIN] = 1;
		t.c_cc[VTIME] = 0;
		cfsetispeed(&t, baud_constant(h->hb->baud));
		cfsetospeed(&t, baud_constant(h->hb->baud));
		tcsetattr(fd, TCSANOW, &t);
	}
	m->fd = fd;
	if (m->dec == NULL)
		m->dec = g_new0(hb_frame_dec_t, 1);
	m->dec->len = 0;
	watch_fd(h, m, on_serial_readable);
	vg_log_info("%s: open at %u baud", m->name, h->hb->baud);
	return 0;
}

static gboolean on_serial_writable(gint fd, GIOCondition cond, gpointer data)
{
	hb_medium_t *m = data;
	ssize_t n = write(fd, m->out->data, m->out->len);

	if (n > 0)
		g_byte_array_remove_range(m->out, 0, (guint)n);
	if (m->out->len == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
		m->out_watch = 0;
		return G_SOURCE_REMOVE;
	}
	return G_SOURCE_CONTINUE;
}

static void serial_send(hb_medium_t *m, const uint8_t *pkt, size_t len)
{
	uint8_t frame[HB_FRAME_MAX];
	size_t f;
	ssize_t n = 0;

	if (m->fd < 0 || m->out->len + len + HB_FRAME_OVERHEAD > SERIAL_OUT_MAX) {
		m->tx_dropped++;
		return;
	}
	f = hb_frame_encode(pkt, len, frame);
	if (m->out->len == 0) {
		n = write(m->fd, frame, f);
		if (n < 0)
			n = 0;
	}
	if ((size_t)n < f) {
		g_byte_array_append(m->out, frame + n, (guint)(f - (size_t)n));
		if (m->out_watch == 0)
			m->out_watch = g_unix_fd_add(m->fd, G_IO_OUT, on_serial_writable, m);
	}
	m->tx_packets++;
	m->tx_bytes += f;
}

/* ------------------------------------------------------------ the table */

static void count_tx(hb_medium_t *m, size_t len)
{
	m->tx_packets++;
	m->tx_bytes += len;
}

void hbd_media_send(hbd_t *h, hb_medium_t *m, const uint8_t *pkt, size_t len, const hb_peer_t *peer)
{
	if (m->kind == VG_HB_SERIAL) {
		serial_send(m, pkt, len);
		return;
	}
	if (m->fd < 0)
		return;
	if (peer != NULL && peer->links[m->index].have_addr) {
		if (sendto(m->fd, pkt, len, MSG_DONTWAIT,
		           (const struct sockaddr *)&peer->links[m->index].addr,
		           sizeof(struct sockaddr_in)) < 0)
			m->tx_dropped++;
		else
			count_tx(m, len);
		return;
	}
	for (guint i = 0; i < m->dests->len; i++) {
		const struct sockaddr_in *d = &g_array_index(m->dests, struct sockaddr_in, i);

		if (sendto(m->fd, pkt, len, MSG_DONTWAIT, (const struct sockaddr *)d, sizeof(*d)) <
		    0)
			m->tx_dropped++;
		else
			count_tx(m, len);
	}
}

void hbd_media_tick(hbd_t *h)
{
	gint64 now = g_get_monotonic_time();

	for (guint i = 0; i < h->media->len; i++) {
		hb_medium_t *m = g_ptr_array_index(h->media, i);

		if (m->kind == VG_HB_SERIAL && m->fd < 0 && now >= m->reopen_at)
			serial_open(h, m, NULL);
	}
}

/* ucast lines of one interface share a socket; every other line is its own medium */
static hb_medium_t *medium_for(hbd_t *h, const vg_hb_medium_t *c)
{
	const char *ifc = c->iface ? c->iface : "any";
	char *name;
	hb_medium_t *m;

	if (c->kind == VG_HB_UCAST)
		for (guint i = 0; i < h->media->len; i++) {
			m = g_ptr_array_index(h->media, i);
			if (m->kind == VG_HB_UCAST && strcmp(m->name + 6, ifc) == 0)
				return m;
		}
	switch (c->kind) {
	case VG_HB_UCAST:
		name = g_strdup_printf("ucast %s", ifc);
		break;
	case VG_HB_MCAST:
		name = g_strdup_printf("mcast %s %s", ifc, c->addr);
		break;
	case VG_HB_BCAST:
		name = g_strdup_printf("bcast %s", ifc);
		break;
	default:
		name = g_strdup_printf("serial %s", c->device);
		break;
	}
	m = medium_new(h, c->kind, name);
	g_free(name);
	return m;
}

int hbd_media_open(hbd_t *h, vg_error_t *err)
{
	int rc = 0;

	h->media = g_ptr_array_new_with_free_func(medium_free);
	for (guint i = 0; i < h->hb->media->len; i++) {
		const vg_hb_medium_t *c = g_ptr_array_index(h->hb->media, i);

		g_ptr_array_add(medium_for(h, c)->confs, (gpointer)c);
	}
	if (h->media->len == 0)
		return vg_error_set(
		    err, VG_ECONFIG,
		    "%s: no ucast, mcast, bcast or serial line: no way to reach peers",
		    h->cfg->path);
	if (h->media->len > HB_MAX_MEDIA)
		return vg_error_set(err, VG_ECONFIG, "%s: more than %d media", h->cfg->path,
		                    HB_MAX_MEDIA);
	for (guint i = 0; i < h->media->len && rc == 0; i++) {
		hb_medium_t *m = g_ptr_array_index(h->media, i);
		vg_error_t serr = {0};

		switch (m->kind) {
		case VG_HB_UCAST:
			rc = open_ucast(h, m, err);
			break;
		case VG_HB_MCAST:
			rc = open_mcast(h, m, err);
			break;
		case VG_HB_BCAST:
			rc = open_bcast(h, m, err);
			break;
		case VG_HB_SERIAL:
			m->out = g_byte_array_new();
			/* a missing line is retried, not fatal: the cable may come later */
			if (serial_open(h, m, &serr) != 0)
				vg_log_warn("%s", serr.msg);
			break;
		}
		if (rc == 0)
			vg_log_info("%s: ready", m->name);
	}
	return rc;
}

void hbd_media_close(hbd_t *h)
{
	if (h->media != NULL)
		g_ptr_array_unref(h->media);
	h->media = NULL;
}
