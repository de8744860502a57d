/*
 * Local IPC on libqb: instance-named services ("vigil-<service>-<instance>"),
 * peer credentials checked on connect (root, our own uid, or the haclient
 * group), vg_msg messages of any size up to VG_MSG_MAX_SIZE.
 *
 * libqb moves datagrams of a bounded size, so a message travels as a train
 * of frames (sequence, index, count); each side reassembles before it hands a
 * message on.  Responses and events that meet a full peer buffer are queued
 * per connection and retried from a short timer, so the server never blocks.
 * The socket transport is used (abstract sockets: nothing left behind by a
 * killed daemon, and private to a network namespace, which the lab relies on).
 *
 * libqb's poll hooks carry no service context, so the fd -> GSource table is
 * the one piece of process-wide state here; fds are process-wide anyway.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define VG_LOG_SUBSYS "ipc"

#include <errno.h>
#include <grp.h>
#include <poll.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib-unix.h>
#include <qb/qbipcc.h>
#include <qb/qbipcs.h>

#include <vigil/common.h>

#define IPC_BUFFER    (128u * 1024)
#define FRAME_PAYLOAD (IPC_BUFFER - 1024)
#define RETRY_MS      5

struct req_frame {
	struct qb_ipc_request_header h;
	uint32_t seq, index, count;
};

struct resp_frame {
	struct qb_ipc_response_header h;
	uint32_t seq, index, count;
};

/* Reassembly of one message from its frames. */
struct assembly {
	GByteArray *buf;
	uint32_t seq, next, count;
};

enum feed_result { FEED_MORE, FEED_DONE, FEED_BAD };

static enum feed_result feed(struct assembly *a, uint32_t seq, uint32_t index, uint32_t count,
                             const uint8_t *data, size_t len)
{
	if (count == 0 || index >= count ||
	    (uint64_t)count * FRAME_PAYLOAD > VG_MSG_MAX_SIZE * 2ull)
		return FEED_BAD;
	if (index == 0) {
		if (a->buf == NULL)
			a->buf = g_byte_array_new();
		g_byte_array_set_size(a->buf, 0);
		a->seq = seq;
		a->next = 0;
		a->count = count;
	} else if (a->buf == NULL || seq != a->seq || index != a->next || count != a->count) {
		return FEED_BAD;
	}
	if (a->buf->len + len > VG_MSG_MAX_SIZE)
		return FEED_BAD;
	g_byte_array_append(a->buf, data, (guint)len);
	a->next = index + 1;
	return a->next == a->count ? FEED_DONE : FEED_MORE;
}

static void assembly_clear(struct assembly *a)
{
	if (a->buf != NULL)
		g_byte_array_free(a->buf, TRUE);
	a->buf = NULL;
}

/* Split an encoded message into frames with header room of `hdr` bytes. */
static GPtrArray *make_frames(const uint8_t *data, size_t len, uint32_t seq, bool response)
{
	GPtrArray *frames = g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);
	size_t hdr = response ? sizeof(struct resp_frame) : sizeof(struct req_frame);
	uint32_t count = (uint32_t)((len + FRAME_PAYLOAD - 1) / FRAME_PAYLOAD);

	if (count == 0)
		count = 1;
	for (uint32_t i = 0; i < count; i++) {
		size_t off = (size_t)i * FRAME_PAYLOAD;
		size_t n = MIN(FRAME_PAYLOAD, len - off);
		uint8_t *f = g_malloc0(hdr + n);

		if (response) {
			struct resp_frame *rf = (struct resp_frame *)f;
			rf->h.id = 1;
			rf->h.size = (int32_t)(hdr + n);
			rf->h.error = 0;
			rf->seq = seq;
			rf->index = i;
			rf->count = count;
		} else {
			struct req_frame *qf = (struct req_frame *)f;
			qf->h.id = 1;
			qf->h.size = (int32_t)(hdr + n);
			qf->seq = seq;
			qf->index = i;
			qf->count = count;
		}
		memcpy(f + hdr, data + off, n);
		g_ptr_array_add(frames, g_bytes_new_take(f, hdr + n));
	}
	return frames;
}

const char *vg_ipc_default_instance(void)
{
	const char *i = getenv("VIGIL_INSTANCE");

	return (i != NULL && *i != '\0') ? i : "local";
}

/*
 * Abstract socket names are host-wide (per network namespace), and a lab on
 * loopback runs node1..nodeN of several clusters side by side: inside a lab
 * (VIGIL_LAB names its directory, set on every lab process) the name also
 * carries a hash of that directory.
 */
static char *service_name(const char *service, const char *instance)
{
	const char *lab = getenv("VIGIL_LAB");

	if (instance == NULL)
		instance = "local";
	if (lab != NULL && *lab != '\0')
		return g_strdup_printf("vigil-%s-%s-%08x", service, instance, g_str_hash(lab));
	return g_strdup_printf("vigil-%s-%s", service, instance);
}

/* ------------------------------------------------------- glib poll hooks */
static GMutex fd_lock;
static GHashTable *fd_sources; /* fd -> struct fd_watch* */

struct fd_watch {
	int fd;
	guint id;
	qb_ipcs_dispatch_fn_t fn;
	void *data;
};

static GIOCondition to_gio(int32_t evts)
{
	GIOCondition c = 0;

	if (evts & POLLIN)
		c |= G_IO_IN;
	if (evts & POLLOUT)
		c |= G_IO_OUT;
	if (evts & POLLPRI)
		c |= G_IO_PRI;
	return c | G_IO_HUP | G_IO_ERR;
}

static int32_t from_gio(GIOCondition c)
{
	int32_t e = 0;

	if (c & G_IO_IN)
		e |= POLLIN;
	if (c & G_IO_OUT)
		e |= POLLOUT;
	if (c & G_IO_PRI)
		e |= POLLPRI;
	if (c & G_IO_HUP)
		e |= POLLHUP;
	if (c & G_IO_ERR)
		e |= POLLERR;
	return e;
}

static gboolean on_fd(gint fd, GIOCondition cond, gpointer user)
{
	struct fd_watch *w = user;

	/* w stays valid through this dispatch even if fn removes its own watch:
	 * the GSource owns it and frees it only when the dispatch is over. */
	if (w->fn(fd, from_gio(cond), w->data) < 0) {
		g_mutex_lock(&fd_lock);
		if (fd_sources && g_hash_table_lookup(fd_sources, GINT_TO_POINTER(fd)) == w)
			g_hash_table_remove(fd_sources, GINT_TO_POINTER(fd));
		g_mutex_unlock(&fd_lock);
		return G_SOURCE_REMOVE;
	}
	return G_SOURCE_CONTINUE;
}

static int32_t hook_dispatch_del(int32_t fd)
{
	struct fd_watch *w;

	g_mutex_lock(&fd_lock);
	w = fd_sources ? g_hash_table_lookup(fd_sources, GINT_TO_POINTER(fd)) : NULL;
	if (w != NULL)
		g_hash_table_remove(fd_sources, GINT_TO_POINTER(fd));
	g_mutex_unlock(&fd_lock);
	if (w != NULL)
		g_source_remove(w->id);
	return 0;
}

static int32_t hook_dispatch_add(enum qb_loop_priority p, int32_t fd, int32_t evts, void *data,
                                 qb_ipcs_dispatch_fn_t fn)
{
	struct fd_watch *w = g_new0(struct fd_watch, 1);

	hook_dispatch_del(fd);
	w->fd = fd;
	w->fn = fn;
	w->data = data;
	w->id = g_unix_fd_add_full(G_PRIORITY_DEFAULT, fd, to_gio(evts), on_fd, w, g_free);
	g_mutex_lock(&fd_lock);
	if (fd_sources == NULL)
		fd_sources = g_hash_table_new(g_direct_hash, g_direct_equal);
	g_hash_table_insert(fd_sources, GINT_TO_POINTER(fd), w);
	g_mutex_unlock(&fd_lock);
	return 0;
}

static int32_t hook_dispatch_mod(enum qb_loop_priority p, int32_t fd, int32_t evts, void *data,
                                 qb_ipcs_dispatch_fn_t fn)
{
	return hook_dispatch_add(p, fd, evts, data, fn);
}

struct job {
	qb_loop_job_dispatch_fn fn;
	void *data;
};

static gboolean run_job(gpointer user)
{
	struct job *j = user;

	j->fn(j->data);
	g_free(j);
	return G_SOURCE_REMOVE;
}

static int32_t hook_job_add(enum qb_loop_priority p, void *data, qb_loop_job_dispatch_fn fn)
{
	struct job *j = g_new0(struct job, 1);

	j->fn = fn;
	j->data = data;
	g_idle_add(run_job, j);
	return 0;
}

static struct qb_ipcs_poll_handlers poll_hooks = {
    .job_add = hook_job_add,
    .dispatch_add = hook_dispatch_add,
    .dispatch_mod = hook_dispatch_mod,
    .dispatch_del = hook_dispatch_del,
};

/* ------------------------------------------------------------- server */
struct vg_ipc_server {
	qb_ipcs_service_t *qb;
	char *name;
	vg_ipc_request_fn on_request;
	vg_ipc_closed_fn on_closed;
	void *data;
};

struct vg_ipc_conn {
	vg_ipc_server_t *srv;
	qb_ipcs_connection_t *qc;
	struct assembly in;
	uint32_t out_seq;
	GQueue responses; /* GBytes frames not yet sent */
	GQueue events;
	guint retry;
	uid_t uid;
	gid_t gid;
	pid_t pid;
	void *user;
};

static bool in_haclient(uid_t uid, gid_t gid)
{
	struct group *g = getgrnam("haclient");
	struct passwd *pw;

	if (g == NULL)
		return false;
	if (gid == g->gr_gid)
		return true;
	pw = getpwuid(uid);
	if (pw == NULL)
		return false;
	for (char **m = g->gr_mem; m && *m; m++)
		if (strcmp(*m, pw->pw_name) == 0)
			return true;
	return false;
}

/* The credentials are only known here, so the connection record starts here. */
static int32_t on_accept(qb_ipcs_connection_t *c, uid_t uid, gid_t gid)
{
	if (uid == 0 || uid == geteuid() || in_haclient(uid, gid)) {
		vg_ipc_conn_t *conn = g_new0(vg_ipc_conn_t, 1);

		conn->uid = uid;
		conn->gid = gid;
		qb_ipcs_context_set(c, conn);
		return 0;
	}
	vg_log_warn("refused IPC connection from uid %u gid %u: not root or haclient",
	            (unsigned)uid, (unsigned)gid);
	return -EACCES;
}

static void on_created(qb_ipcs_connection_t *c)
{
	vg_ipc_server_t *srv = qb_ipcs_connection_service_context_get(c);
	vg_ipc_conn_t *conn = qb_ipcs_context_get(c);
	struct qb_ipcs_connection_stats st = {0};

	if (conn == NULL) {
		conn = g_new0(vg_ipc_conn_t, 1);
		conn->uid = (uid_t)-1;
		conn->gid = (gid_t)-1;
	}
	conn->srv = srv;
	conn->qc = c;
	g_queue_init(&conn->responses);
	g_queue_init(&conn->events);
	qb_ipcs_connection_stats_get(c, &st, QB_FALSE);
	conn->pid = st.client_pid;
	qb_ipcs_context_set(c, conn);
}

/* Send queued frames until the peer's buffer is full; true when drained. */
static bool flush_queue(vg_ipc_conn_t *conn, GQueue *q, bool event)
{
	GBytes *f;

	while ((f = g_queue_peek_head(q)) != NULL) {
		gsize len;
		const void *d = g_bytes_get_data(f, &len);
		ssize_t rc = event ? qb_ipcs_event_send(conn->qc, d, len)
		                   : qb_ipcs_response_send(conn->qc, d, len);

		if (rc == -EAGAIN || rc == -ENOBUFS)
			return false;
		g_queue_pop_head(q);
		g_bytes_unref(f);
		if (rc < 0) {
			vg_log_debug("IPC send to pid %d failed: %s", (int)conn->pid,
			             g_strerror((int)-rc));
			g_queue_clear_full(q, (GDestroyNotify)g_bytes_unref);
			return true;
		}
	}
	return true;
}

static gboolean retry_flush(gpointer user)
{
	vg_ipc_conn_t *conn = user;
	bool done = flush_queue(conn, &conn->responses, false);

	done = flush_queue(conn, &conn->events, true) && done;
	if (done) {
		conn->retry = 0;
		return G_SOURCE_REMOVE;
	}
	return G_SOURCE_CONTINUE;
}

static int enqueue(vg_ipc_conn_t *conn, const vg_msg_t *m, bool event)
{
	GQueue *q = event ? &conn->events : &conn->responses;
	GPtrArray *frames;
	uint8_t *buf;
	size_t len;
	int rc;

	if (conn == NULL || conn->qc == NULL)
		return VG_ENOTCONN;
	rc = vg_msg_encode(m, &buf, &len);
	if (rc != 0)
		return rc;
	frames = make_frames(buf, len, ++conn->out_seq, true);
	g_free(buf);
	for (guint i = 0; i < frames->len; i++)
		g_queue_push_tail(q, g_bytes_ref(g_ptr_array_index(frames, i)));
	g_ptr_array_free(frames, TRUE);
	if (!flush_queue(conn, q, event) && conn->retry == 0)
		conn->retry = g_timeout_add(RETRY_MS, retry_flush, conn);
	return 0;
}

int vg_ipc_reply(vg_ipc_conn_t *conn, const vg_msg_t *reply)
{
	return enqueue(conn, reply, false);
}

int vg_ipc_send_event(vg_ipc_conn_t *conn, const vg_msg_t *event)
{
	return enqueue(conn, event, true);
}

static int32_t on_msg(qb_ipcs_connection_t *c, void *data, size_t size)
{
	vg_ipc_conn_t *conn = qb_ipcs_context_get(c);
	const struct req_frame *f = data;
	vg_error_t err = {0};
	vg_msg_t *m;

	if (conn == NULL)
		return 0;
	if (size < sizeof(*f) || (size_t)f->h.size != size) {
		vg_log_warn("IPC: dropped malformed frame of %zu bytes from pid %d", size,
		            (int)conn->pid);
		return 0;
	}
	switch (feed(&conn->in, f->seq, f->index, f->count, (const uint8_t *)data + sizeof(*f),
	             size - sizeof(*f))) {
	case FEED_MORE:
		return 0;
	case FEED_BAD:
		vg_log_warn("IPC: dropped out-of-order frame from pid %d", (int)conn->pid);
		assembly_clear(&conn->in);
		return 0;
	case FEED_DONE:
		break;
	}
	if (vg_msg_decode(conn->in.buf->data, conn->in.buf->len, 0, &m, &err) != 0) {
		vg_msg_t *r = vg_msg_new("error");

		vg_log_warn("IPC: bad message from pid %d: %s", (int)conn->pid, err.msg);
		vg_msg_set_int(r, "rc", VG_EPARSE);
		vg_msg_set(r, "reason", err.msg);
		vg_ipc_reply(conn, r);
		vg_msg_free(r);
	} else {
		conn->srv->on_request(conn, m, conn->srv->data);
		vg_msg_free(m);
	}
	g_byte_array_set_size(conn->in.buf, 0);
	return 0;
}

static int32_t on_closed_qb(qb_ipcs_connection_t *c)
{
	vg_ipc_conn_t *conn = qb_ipcs_context_get(c);

	if (conn != NULL && conn->srv->on_closed != NULL)
		conn->srv->on_closed(conn, conn->srv->data);
	return 0;
}

static void on_destroyed(qb_ipcs_connection_t *c)
{
	vg_ipc_conn_t *conn = qb_ipcs_context_get(c);

	if (conn == NULL)
		return;
	qb_ipcs_context_set(c, NULL);
	if (conn->retry != 0)
		g_source_remove(conn->retry);
	g_queue_clear_full(&conn->responses, (GDestroyNotify)g_bytes_unref);
	g_queue_clear_full(&conn->events, (GDestroyNotify)g_bytes_unref);
	assembly_clear(&conn->in);
	g_free(conn);
}

static struct qb_ipcs_service_handlers service_hooks = {
    .connection_accept = on_accept,
    .connection_created = on_created,
    .msg_process = on_msg,
    .connection_closed = on_closed_qb,
    .connection_destroyed = on_destroyed,
};

vg_ipc_server_t *vg_ipc_server_start(const char *service, const char *instance,
                                     vg_ipc_request_fn on_request, vg_ipc_closed_fn on_closed,
                                     void *data, vg_error_t *err)
{
	vg_ipc_server_t *srv = g_new0(vg_ipc_server_t, 1);
	int rc;

	srv->name = service_name(service, instance);
	srv->on_request = on_request;
	srv->on_closed = on_closed;
	srv->data = data;
	srv->qb = qb_ipcs_create(srv->name, 0, QB_IPC_SOCKET, &service_hooks);
	if (srv->qb == NULL) {
		vg_error_set(err, VG_EIO, "IPC service %s: cannot create", srv->name);
		g_free(srv->name);
		g_free(srv);
		return NULL;
	}
	qb_ipcs_service_context_set(srv->qb, srv);
	qb_ipcs_enforce_buffer_size(srv->qb, IPC_BUFFER);
	qb_ipcs_poll_handlers_set(srv->qb, &poll_hooks);
	rc = qb_ipcs_run(srv->qb);
	if (rc != 0) {
		vg_error_set(err, rc == -EADDRINUSE ? VG_EEXIST : VG_EIO,
		             "IPC service %s: cannot listen: %s%s", srv->name, g_strerror(-rc),
		             rc == -EADDRINUSE ? " (is another instance already running?)" : "");
		qb_ipcs_destroy(srv->qb);
		g_free(srv->name);
		g_free(srv);
		return NULL;
	}
	return srv;
}

void vg_ipc_server_stop(vg_ipc_server_t *srv)
{
	if (srv == NULL)
		return;
	qb_ipcs_destroy(srv->qb);
	g_free(srv->name);
	g_free(srv);
}

void vg_ipc_conn_creds(const vg_ipc_conn_t *conn, uid_t *uid, gid_t *gid, pid_t *pid)
{
	if (uid)
		*uid = conn->uid;
	if (gid)
		*gid = conn->gid;
	if (pid)
		*pid = conn->pid;
}

void vg_ipc_conn_set_data(vg_ipc_conn_t *conn, void *data)
{
	conn->user = data;
}

void *vg_ipc_conn_get_data(const vg_ipc_conn_t *conn)
{
	return conn->user;
}

/* ------------------------------------------------------------- client */
struct vg_ipc_client {
	qb_ipcc_connection_t *qc;
	char *name;
	uint32_t seq;
	struct assembly reply;
	struct assembly event;
	uint8_t *frame; /* receive buffer of IPC_BUFFER bytes */
};

vg_ipc_client_t *vg_ipc_connect(const char *service, const char *instance, vg_error_t *err)
{
	vg_ipc_client_t *c = g_new0(vg_ipc_client_t, 1);

	c->name = service_name(service, instance ? instance : vg_ipc_default_instance());
	c->qc = qb_ipcc_connect(c->name, IPC_BUFFER);
	if (c->qc == NULL) {
		int e = errno;

		vg_error_set(err, e == EACCES ? VG_EPERM : VG_ENOTCONN,
		             "cannot connect to %s: %s%s", c->name, g_strerror(e),
		             e == EACCES ? " (run as root or as a member of haclient)"
		                         : " (is the daemon running for this instance? "
		                           "check VIGIL_INSTANCE)");
		g_free(c->name);
		g_free(c);
		return NULL;
	}
	c->frame = g_malloc(IPC_BUFFER);
	return c;
}

void vg_ipc_disconnect(vg_ipc_client_t *c)
{
	if (c == NULL)
		return;
	qb_ipcc_disconnect(c->qc);
	assembly_clear(&c->reply);
	assembly_clear(&c->event);
	g_free(c->frame);
	g_free(c->name);
	g_free(c);
}

static int64_t remaining_ms(int64_t deadline)
{
	int64_t left;

	if (deadline < 0)
		return -1;
	left = (deadline - g_get_monotonic_time()) / 1000;
	return left > 0 ? left : 0;
}

/* Receive frames (replies or events) until one message is complete. */
static int recv_message(vg_ipc_client_t *c, bool event, int timeout_ms, vg_msg_t **out,
                        vg_error_t *err)
{
	struct assembly *a = event ? &c->event : &c->reply;
	int64_t deadline = timeout_ms < 0 ? -1 : g_get_monotonic_time() + timeout_ms * 1000ll;

	for (;;) {
		int64_t left = remaining_ms(deadline);
		ssize_t n = event ? qb_ipcc_event_recv(c->qc, c->frame, IPC_BUFFER, (int32_t)left)
		                  : qb_ipcc_recv(c->qc, c->frame, IPC_BUFFER, (int32_t)left);
		const struct resp_frame *f = (const struct resp_frame *)c->frame;

		if (n == -EAGAIN || n == -ETIMEDOUT) {
			if (deadline >= 0 && remaining_ms(deadline) == 0)
				return vg_error_set(err, VG_ETIMEDOUT, "%s: no %s within %d ms",
				                    c->name, event ? "event" : "reply", timeout_ms);
			continue;
		}
		if (n < 0)
			return vg_error_set(err, VG_ENOTCONN, "%s: connection lost: %s", c->name,
			                    g_strerror((int)-n));
		if ((size_t)n < sizeof(*f))
			return vg_error_set(err, VG_EPROTO, "%s: short frame", c->name);
		switch (feed(a, f->seq, f->index, f->count, c->frame + sizeof(*f),
		             (size_t)n - sizeof(*f))) {
		case FEED_MORE:
			continue;
		case FEED_BAD:
			assembly_clear(a);
			return vg_error_set(err, VG_EPROTO, "%s: frames out of order", c->name);
		case FEED_DONE:
			return vg_msg_decode(a->buf->data, a->buf->len, 0, out, err);
		}
	}
}

int vg_ipc_call(vg_ipc_client_t *c, const vg_msg_t *req, vg_msg_t **reply, int timeout_ms,
                vg_error_t *err)
{
	int64_t deadline = timeout_ms < 0 ? -1 : g_get_monotonic_time() + timeout_ms * 1000ll;
	GPtrArray *frames;
	uint8_t *buf;
	size_t len;
	int rc;

	*reply = NULL;
	rc = vg_msg_encode(req, &buf, &len);
	if (rc != 0)
		return vg_error_set(err, rc, "%s: request too large", c->name);
	frames = make_frames(buf, len, ++c->seq, false);
	g_free(buf);
	for (guint i = 0; i < frames->len; i++) {
		gsize flen;
		const void *d = g_bytes_get_data(g_ptr_array_index(frames, i), &flen);
		ssize_t n;

		while ((n = qb_ipcc_send(c->qc, d, flen)) == -EAGAIN) {
			if (deadline >= 0 && remaining_ms(deadline) == 0) {
				g_ptr_array_free(frames, TRUE);
				return vg_error_set(err, VG_ETIMEDOUT, "%s: request not accepted",
				                    c->name);
			}
			g_usleep(1000);
		}
		if (n < 0) {
			g_ptr_array_free(frames, TRUE);
			return vg_error_set(err, VG_ENOTCONN, "%s: send failed: %s", c->name,
			                    g_strerror((int)-n));
		}
	}
	g_ptr_array_free(frames, TRUE);
	return recv_message(c, false, deadline < 0 ? -1 : (int)remaining_ms(deadline), reply, err);
}

int vg_ipc_client_fd(const vg_ipc_client_t *c)
{
	int32_t fd = -1;

	qb_ipcc_fd_get(c->qc, &fd);
	return fd;
}

int vg_ipc_recv_event(vg_ipc_client_t *c, vg_msg_t **event, int timeout_ms, vg_error_t *err)
{
	*event = NULL;
	return recv_message(c, true, timeout_ms, event, err);
}

/*
 * libqb's socket transport carries frames on datagram sockets, which never
 * report a dead peer, so the event fd stays quiet when the server dies.  Its
 * setup connection is a stream socket that does hang up, and libqb looks at
 * it whenever a receive finds nothing: a receive on the reply channel that
 * does not wait asks exactly that.  Between calls no reply is pending; a
 * late reply to a call that timed out is dropped here (nobody waits for it).
 */
bool vg_ipc_client_alive(vg_ipc_client_t *c)
{
	ssize_t n;

	if (c == NULL)
		return false;
	while ((n = qb_ipcc_recv(c->qc, c->frame, IPC_BUFFER, 0)) >= 0)
		assembly_clear(&c->reply);
	if (n != -EAGAIN && n != -ETIMEDOUT)
		return false;
	return qb_ipcc_is_connected(c->qc);
}

struct watch {
	vg_ipc_client_t *client;
	void (*on_gone)(void *data);
	void *data;
};

static gboolean on_watch(gpointer user)
{
	struct watch *w = user;

	if (vg_ipc_client_alive(w->client))
		return G_SOURCE_CONTINUE;
	w->on_gone(w->data); /* may free the client and destroy this source */
	return G_SOURCE_REMOVE;
}

GSource *vg_ipc_client_watch(vg_ipc_client_t *c, GMainContext *ctx, void (*on_gone)(void *data),
                             void *data)
{
	GSource *src = g_timeout_source_new(VG_IPC_WATCH_MS);
	struct watch *w = g_new0(struct watch, 1);

	w->client = c;
	w->on_gone = on_gone;
	w->data = data;
	g_source_set_callback(src, on_watch, w, g_free);
	g_source_attach(src, ctx);
	return src;
}
