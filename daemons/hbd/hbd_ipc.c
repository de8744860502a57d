/*
 * vigil-hbd's local clients: the heartbeat backend of lib/cluster (one
 * connection per joined group) and `vigil membership`.  IPC service "hbd" of
 * the node's instance.  Requests (one table row each, unknown types refused):
 *   hb-join   group=NAME          -> node-id, node-name; then view events
 *   hb-send   hb.dest=ID hb.t=TYPE + the user's fields and XML body
 *   hb-status                     -> the membership report as XML body
 *   hb-ping                       -> rc 0 (a round trip; liveness: vg_ipc_client_watch)
 * Events to clients:
 *   hb-deliver  hb.from=ID hb.t=TYPE + the sender's fields and body
 *   hb-view     view-id, members, joined, left, nodes ("ID:NAME ..."),
 *               quorate, votes, expected-votes
 * A user message crosses the wire as its vg_msg encoding; the hb.* fields
 * are the transport's and are stripped on both ends.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define VG_LOG_SUBSYS "hbd"
#include <arpa/inet.h>
#include <string.h>

#include "hbd.h"

typedef struct client {
	vg_ipc_conn_t *conn;
	char *group;
	char *last_members; /* "ID:INC ..." of the last view event */
	GArray *last_ids;   /* uint32_t of the last view event */
	uint64_t last_view; /* its view id */
	bool last_quorate;
	unsigned last_votes;
} client_t;

struct hbd_ipc {
	vg_ipc_server_t *srv;
	GPtrArray *clients; /* client_t * */
};

typedef void (*req_fn)(hbd_t *h, client_t *c, const vg_msg_t *req);

static void reply_rc(client_t *c, int rc, const char *why)
{
	vg_msg_t *r = vg_msg_new("hb-reply");

	vg_msg_set_int(r, "rc", rc);
	if (why != NULL)
		vg_msg_set(r, "reason", why);
	vg_ipc_reply(c->conn, r);
	vg_msg_free(r);
}

static bool valid_group(const char *g)
{
	if (g == NULL || *g == '\0' || strlen(g) >= 64)
		return false;
	for (; *g; g++)
		if (!g_ascii_isalnum(*g) && strchr("-_.:", *g) == NULL)
			return false;
	return true;
}

/* ---------------------------------------------------------- group views */

static void append_node(GString *s, hbd_t *h, uint32_t id)
{
	hb_peer_t *p = hbd_peer_by_id(h, id);

	g_string_append_printf(s, "%s%u:%s", s->len ? " " : "", id, p ? p->name : "?");
}

static bool member_in_group(const hb_member_t *m, const char *group)
{
	for (guint j = 0; m->groups != NULL && j < m->groups->len; j++)
		if (strcmp(g_ptr_array_index(m->groups, j), group) == 0)
			return true;
	return false;
}

static void client_view(hbd_t *h, client_t *c, bool quorate, unsigned votes, unsigned expected)
{
	GString *key = g_string_new(NULL), *members = g_string_new(NULL),
	        *nodes = g_string_new(NULL);
	GString *joined = g_string_new(NULL), *left = g_string_new(NULL);
	GArray *ids = g_array_new(FALSE, FALSE, sizeof(uint32_t));
	bool self_in = false;
	vg_msg_t *ev;

	for (guint i = 0; i < h->view.members->len; i++) {
		const hb_member_t *m = &g_array_index(h->view.members, hb_member_t, i);

		append_node(nodes, h, m->id);
		g_string_append_printf(key, "n%u:%" G_GUINT64_FORMAT " ", m->id, m->incarnation);
		if (!member_in_group(m, c->group))
			continue;
		self_in |= m->id == h->my_id;
		g_array_append_val(ids, m->id);
		append_node(members, h, m->id);
		g_string_append_printf(key, "%u:%" G_GUINT64_FORMAT " ", m->id, m->incarnation);
	}
	/* Every new view id goes out, even with the same members: nodes that
	 * installed different ids on the way would otherwise end on different
	 * ids for one membership.  Only repeats of the same view are dropped. */
	if (!self_in ||
	    (c->last_members != NULL && strcmp(key->str, c->last_members) == 0 &&
	     quorate == c->last_quorate && votes == c->last_votes && h->view.id == c->last_view))
		goto out;
	for (guint i = 0; i < ids->len; i++) {
		bool had = false;

		for (guint j = 0; c->last_ids != NULL && j < c->last_ids->len; j++)
			had |= g_array_index(c->last_ids, uint32_t, j) ==
			       g_array_index(ids, uint32_t, i);
		if (!had)
			append_node(joined, h, g_array_index(ids, uint32_t, i));
	}
	for (guint j = 0; c->last_ids != NULL && j < c->last_ids->len; j++) {
		bool has = false;

		for (guint i = 0; i < ids->len; i++)
			has |= g_array_index(c->last_ids, uint32_t, j) ==
			       g_array_index(ids, uint32_t, i);
		if (!has)
			append_node(left, h, g_array_index(c->last_ids, uint32_t, j));
	}
	ev = vg_msg_new("hb-view");
	vg_msg_set_int(ev, "view-id", (int64_t)h->view.id);
	vg_msg_set(ev, "members", members->str);
	vg_msg_set(ev, "joined", joined->str);
	vg_msg_set(ev, "left", left->str);
	vg_msg_set(ev, "nodes", nodes->str);
	vg_msg_set(ev, "quorate", quorate ? "true" : "false");
	vg_msg_set_int(ev, "votes", votes);
	vg_msg_set_int(ev, "expected-votes", expected);
	vg_ipc_send_event(c->conn, ev);
	vg_msg_free(ev);
	g_free(c->last_members);
	c->last_members = g_strdup(key->str);
	if (c->last_ids != NULL)
		g_array_unref(c->last_ids);
	c->last_ids = g_array_ref(ids);
	c->last_view = h->view.id;
	c->last_quorate = quorate;
	c->last_votes = votes;
out:
	g_array_unref(ids);
	g_string_free(key, TRUE);
	g_string_free(members, TRUE);
	g_string_free(nodes, TRUE);
	g_string_free(joined, TRUE);
	g_string_free(left, TRUE);
}

void hbd_ipc_view_changed(hbd_t *h)
{
	bool quorate;
	unsigned votes, expected;

	hbd_quorum_compute(h, &quorate, &votes, &expected);
	if (quorate != h->last_quorate || votes != h->last_votes)
		vg_log_notice("quorum: %s (%u of %u votes)", quorate ? "quorate" : "not quorate",
		              votes, expected);
	h->last_quorate = quorate;
	h->last_votes = votes;
	if (h->ipc == NULL)
		return;
	for (guint i = 0; i < h->ipc->clients->len; i++)
		client_view(h, g_ptr_array_index(h->ipc->clients, i), quorate, votes, expected);
}

static gint cmp_str(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

GPtrArray *hbd_ipc_groups(hbd_t *h)
{
	GPtrArray *g = g_ptr_array_new_with_free_func(g_free);

	for (guint i = 0; h->ipc != NULL && i < h->ipc->clients->len; i++) {
		client_t *c = g_ptr_array_index(h->ipc->clients, i);
		bool dup = false;

		if (c->group == NULL)
			continue;
		for (guint j = 0; j < g->len; j++)
			dup |= strcmp(g_ptr_array_index(g, j), c->group) == 0;
		if (!dup)
			g_ptr_array_add(g, g_strdup(c->group));
	}
	g_ptr_array_sort(g, cmp_str);
	return g;
}

/* ------------------------------------------------------------ delivery */

void hbd_ipc_deliver(hbd_t *h, uint32_t from, const char *group, const uint8_t *data, size_t len)
{
	vg_msg_t *user = NULL, *ev;
	vg_error_t err = {0};
	bool any = false;

	for (guint i = 0; h->ipc != NULL && i < h->ipc->clients->len; i++) {
		client_t *c = g_ptr_array_index(h->ipc->clients, i);

		any |= c->group != NULL && strcmp(c->group, group) == 0;
	}
	if (!any)
		return;
	if (vg_msg_decode(data, len, 0, &user, &err) != 0) {
		vg_log_warn("node %u: undecodable message for group %s: %s", from, group, err.msg);
		return;
	}
	ev = vg_msg_copy_as(user, "hb-deliver", "hb.");
	vg_msg_set(ev, "hb.t", vg_msg_type(user));
	vg_msg_set_int(ev, "hb.from", from);
	for (guint i = 0; i < h->ipc->clients->len; i++) {
		client_t *c = g_ptr_array_index(h->ipc->clients, i);

		if (c->group != NULL && strcmp(c->group, group) == 0)
			vg_ipc_send_event(c->conn, ev);
	}
	vg_msg_free(ev);
	vg_msg_free(user);
}

/* ------------------------------------------------------------ requests */

static void req_join(hbd_t *h, client_t *c, const vg_msg_t *req)
{
	const char *group = vg_msg_get(req, "group");
	vg_msg_t *r;

	if (!valid_group(group))
		return reply_rc(c, VG_EINVAL,
		                "group names are 1-63 letters, digits, '-', '_', '.', ':'");
	if (c->group != NULL)
		return reply_rc(c, VG_ESTATE, "this connection has joined a group already");
	c->group = g_strdup(group);
	r = vg_msg_new("hb-reply");
	vg_msg_set_int(r, "rc", 0);
	vg_msg_set_int(r, "node-id", h->my_id);
	vg_msg_set(r, "node-name", h->my_name);
	vg_ipc_reply(c->conn, r);
	vg_msg_free(r);
	vg_log_info("group %s: joined by a local client", group);
	hbd_view_update(h);
	hbd_heartbeat_soon(h);
	/* When another local process has joined the group already, this node is
	 * in the group's view and the view does not change: the first view the
	 * contract promises after a join is the current one, sent now. */
	if (c->last_members == NULL) {
		bool quorate;
		unsigned votes, expected;

		hbd_quorum_compute(h, &quorate, &votes, &expected);
		client_view(h, c, quorate, votes, expected);
	}
}

static void req_send(hbd_t *h, client_t *c, const vg_msg_t *req)
{
	int64_t dest = 0;
	const char *type = vg_msg_get(req, "hb.t");
	vg_error_t err = {0};
	vg_msg_t *user;
	uint8_t *buf;
	size_t len;
	int rc;

	if (c->group == NULL)
		return reply_rc(c, VG_ESTATE, "join a group first");
	if (type == NULL ||
	    (vg_msg_get(req, "hb.dest") != NULL &&
	     (vg_msg_get_int(req, "hb.dest", &dest) != 0 || dest < 0 || dest > UINT32_MAX)))
		return reply_rc(c, VG_EINVAL, "hb-send needs hb.t and a numeric hb.dest");
	user = vg_msg_copy_as(req, type, "hb.");
	rc = vg_msg_encode(user, &buf, &len);
	vg_msg_free(user);
	if (rc != 0)
		return reply_rc(c, rc, "message too large");
	rc = hbd_stream_send(h, c->group, (uint32_t)dest, g_bytes_new_take(buf, len), &err);
	reply_rc(c, rc, rc ? err.msg : NULL);
}

static void req_status(hbd_t *h, client_t *c, const vg_msg_t *req)
{
	vg_msg_t *r = vg_msg_new("hb-reply");

	vg_msg_set_int(r, "rc", 0);
	vg_msg_take_xml(r, hbd_status_xml(h));
	vg_ipc_reply(c->conn, r);
	vg_msg_free(r);
}

/* Lab fault injection: loss=PERCENT, block="ID:udp ID:serial ..." (replaces),
 * corrupt-zip=N (damage the next N compressed messages this node sends). */
static void req_fault(hbd_t *h, client_t *c, const vg_msg_t *req)
{
	const char *loss = vg_msg_get(req, "loss"), *block = vg_msg_get(req, "block");
	int64_t corrupt = 0;

	if (!h->hb->fault_injection)
		return reply_rc(c, VG_EPERM, "fault injection is off (ha.cf: fault_injection on)");
	if (loss != NULL) {
		h->fault_loss = CLAMP(g_ascii_strtod(loss, NULL), 0.0, 100.0);
		vg_log_warn("fault injection: dropping %.1f%% of received packets", h->fault_loss);
	}
	if (block != NULL) {
		char **w = g_strsplit(block, " ", -1);

		if (h->fault_block == NULL)
			h->fault_block = g_hash_table_new(g_direct_hash, g_direct_equal);
		g_hash_table_remove_all(h->fault_block);
		for (int i = 0; w[i] != NULL; i++) {
			char *colon = strchr(w[i], ':');
			guint id, mask;

			if (colon == NULL)
				continue;
			*colon = '\0';
			id = (guint)g_ascii_strtoull(w[i], NULL, 10);
			mask = GPOINTER_TO_UINT(
			    g_hash_table_lookup(h->fault_block, GUINT_TO_POINTER(id)));
			mask |= strcmp(colon + 1, "serial") == 0 ? 2u
			        : strcmp(colon + 1, "udp") == 0  ? 1u
			                                         : 3u;
			g_hash_table_insert(h->fault_block, GUINT_TO_POINTER(id),
			                    GUINT_TO_POINTER(mask));
		}
		g_strfreev(w);
		vg_log_warn("fault injection: blocking \"%s\"", block);
	}
	if (vg_msg_get(req, "corrupt-zip") != NULL) {
		if (vg_msg_get_int(req, "corrupt-zip", &corrupt) != 0 || corrupt < 0 ||
		    corrupt > 1000)
			return reply_rc(c, VG_EINVAL, "corrupt-zip must be a count (0..1000)");
		h->fault_corrupt_zip = (unsigned)corrupt;
		vg_log_warn("fault injection: damaging the next %u compressed messages",
		            h->fault_corrupt_zip);
	}
	reply_rc(c, 0, NULL);
}

static void req_ping(hbd_t *h, client_t *c, const vg_msg_t *req)
{
	reply_rc(c, 0, NULL);
}

static const struct {
	const char *type;
	req_fn fn;
} requests[] = {
    {"hb-ping", req_ping}, {"hb-fault", req_fault},   {"hb-join", req_join},
    {"hb-send", req_send}, {"hb-status", req_status},
};

static void on_request(vg_ipc_conn_t *conn, const vg_msg_t *req, void *data)
{
	hbd_t *h = data;
	client_t *c = vg_ipc_conn_get_data(conn);

	if (c == NULL) {
		c = g_new0(client_t, 1);
		c->conn = conn;
		vg_ipc_conn_set_data(conn, c);
		g_ptr_array_add(h->ipc->clients, c);
	}
	for (size_t i = 0; i < G_N_ELEMENTS(requests); i++)
		if (strcmp(vg_msg_type(req), requests[i].type) == 0)
			return requests[i].fn(h, c, req);
	reply_rc(c, VG_ENOTSUP, "unknown request");
}

static void client_free(gpointer p)
{
	client_t *c = p;

	g_free(c->group);
	g_free(c->last_members);
	if (c->last_ids != NULL)
		g_array_unref(c->last_ids);
	g_free(c);
}

static void on_closed(vg_ipc_conn_t *conn, void *data)
{
	hbd_t *h = data;
	client_t *c = vg_ipc_conn_get_data(conn);

	if (c == NULL)
		return;
	if (c->group != NULL)
		vg_log_info("group %s: a local client left", c->group);
	g_ptr_array_remove(h->ipc->clients, c);
	hbd_view_update(h);
	hbd_heartbeat_soon(h);
}

int hbd_ipc_start(hbd_t *h, vg_error_t *err)
{
	h->ipc = g_new0(struct hbd_ipc, 1);
	h->ipc->clients = g_ptr_array_new_with_free_func(client_free);
	h->ipc->srv = vg_ipc_server_start("hbd", h->cfg->instance, on_request, on_closed, h, err);
	if (h->ipc->srv == NULL) {
		hbd_ipc_stop(h);
		return err && err->code ? err->code : VG_EIO;
	}
	return 0;
}

void hbd_ipc_stop(hbd_t *h)
{
	if (h->ipc == NULL)
		return;
	if (h->ipc->srv != NULL)
		vg_ipc_server_stop(h->ipc->srv);
	g_ptr_array_unref(h->ipc->clients);
	g_free(h->ipc);
	h->ipc = NULL;
}

/* ------------------------------------------------------------- report */

static void link_xml(hbd_t *h, xmlNode *node, const hb_peer_t *p)
{
	for (guint i = 0; i < h->media->len; i++) {
		hb_medium_t *m = g_ptr_array_index(h->media, i);
		xmlNode *l = vg_xml_new_child(node, "link");
		char addr[INET_ADDRSTRLEN] = "";
		bool up;

		if (p == h->self) {
			up = m->fd >= 0;
			if (hbd_medium_is_udp(m))
				inet_ntop(AF_INET, &m->self.sin_addr, addr, sizeof(addr));
		} else {
			up = p->links[i].up;
			if (p->links[i].have_addr)
				inet_ntop(AF_INET, &p->links[i].addr.sin_addr, addr, sizeof(addr));
		}
		if (!hbd_medium_is_udp(m))
			g_strlcpy(addr, "", sizeof(addr));
		vg_xml_set(l, "medium", m->name);
		vg_xml_set(l, "peer",
		           hbd_medium_is_udp(m)
		               ? addr
		               : ((const vg_hb_medium_t *)g_ptr_array_index(m->confs, 0))->device);
		vg_xml_set(l, "up", up ? "true" : "false");
	}
}

/* What this node sent: packets and bytes on all media together, the messages
 * it queued for peers, and what compression did to them. */
static void traffic_xml(hbd_t *h, xmlNode *root)
{
	xmlNode *t = vg_xml_new_child(root, "traffic");
	uint64_t packets = 0, bytes = 0;

	for (guint i = 0; i < h->media->len; i++) {
		hb_medium_t *m = g_ptr_array_index(h->media, i);

		packets += m->tx_packets;
		bytes += m->tx_bytes;
	}
	vg_xml_set_int(t, "packets-sent", (long long)packets);
	vg_xml_set_int(t, "bytes-sent", (long long)bytes);
	vg_xml_set_int(t, "messages-sent", (long long)h->traffic.messages);
	vg_xml_set_int(t, "message-bytes-sent", (long long)h->traffic.bytes);
	vg_xml_set(t, "compression", h->hb->compression ? h->hb->compression : "none");
	vg_xml_set_int(t, "compressed-sent", (long long)h->traffic.zipped);
	vg_xml_set_int(t, "compressed-bytes-in", (long long)h->traffic.zip_in);
	vg_xml_set_int(t, "compressed-bytes-out", (long long)h->traffic.zip_out);
	vg_xml_set_int(t, "compressed-received", (long long)h->traffic.unzipped);
}

static gint cmp_peer(gconstpointer a, gconstpointer b)
{
	uint32_t x = (*(hb_peer_t *const *)a)->id, y = (*(hb_peer_t *const *)b)->id;

	return x < y ? -1 : x > y;
}

xmlDoc *hbd_status_xml(hbd_t *h)
{
	xmlDoc *doc = xmlNewDoc((const xmlChar *)"1.0");
	xmlNode *root = xmlNewNode(NULL, (const xmlChar *)"membership");
	bool quorate;
	unsigned votes, expected;

	xmlDocSetRootElement(doc, root);
	hbd_quorum_compute(h, &quorate, &votes, &expected);
	vg_xml_set_int(root, "view-id", (long long)h->view.id);
	vg_xml_set(root, "quorate", quorate ? "true" : "false");
	vg_xml_set_int(root, "votes", votes);
	vg_xml_set_int(root, "expected-votes", expected);
	/* a plain copy: g_ptr_array_copy() would inherit the peers' free function */
	GPtrArray *sorted = g_ptr_array_sized_new(h->peers->len);

	for (guint i = 0; i < h->peers->len; i++)
		g_ptr_array_add(sorted, g_ptr_array_index(h->peers, i));
	g_ptr_array_sort(sorted, cmp_peer);
	for (guint i = 0; i < sorted->len; i++) {
		hb_peer_t *p = g_ptr_array_index(sorted, i);
		xmlNode *n;

		if (!p->configured && !hbd_view_has(h, p->id))
			continue;
		n = vg_xml_new_child(root, "node");
		vg_xml_set(n, "name", p->name);
		vg_xml_set_int(n, "id", p->id);
		vg_xml_set(n, "member", hbd_view_has(h, p->id) ? "true" : "false");
		link_xml(h, n, p);
	}
	g_ptr_array_unref(sorted);
	for (int d = 0; d < HB_DROP_MAX; d++) {
		xmlNode *x = vg_xml_new_child(root, "drops");

		vg_xml_set(x, "reason", hb_drop_name((hb_drop_t)d));
		vg_xml_set_int(x, "count", (long long)h->drops[d]);
	}
	traffic_xml(h, root);
	return doc;
}
