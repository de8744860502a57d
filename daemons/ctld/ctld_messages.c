/*
 * ctld_messages.c: what a controller does with a message from another
 * controller — one table from message type to handler, unknown types are
 * dropped with a log line.  Group messages come back to their sender too;
 * handlers that must not act on their own broadcasts check `from`.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define VG_LOG_SUBSYS "messages"
#include "config.h"

#include <string.h>

#include "ctld_private.h"

typedef void (*msg_fn)(ctld_t *c, const char *from, const vg_msg_t *m);

static bool self(ctld_t *c, const char *from)
{
	return strcmp(from, c->me) == 0;
}

static void on_announce(ctld_t *c, const char *from, const vg_msg_t *m)
{
	if (!self(c, from))
		ctld_election_event(c, ctld_is_dc(c) ? CTLD_EV_DC_CLASH : CTLD_EV_ANNOUNCE, from);
}

static void on_hello(ctld_t *c, const char *from, const vg_msg_t *m)
{
	if (!ctld_is_dc(c) || self(c, from))
		return;
	vg_msg_t *a = vg_msg_new("dc-announce");
	vg_msg_set(a, "dc", c->me);
	ctld_peer_send(c, NULL, a);
	vg_msg_free(a);
	ctld_join_member_up(c, from);
}

static void on_resync(ctld_t *c, const char *from, const vg_msg_t *m)
{
	if (ctld_is_dc(c) && !self(c, from)) {
		ctld_cib_flush(c);
		ctld_cib_send_full(c, from);
	}
}

static void on_rsc_op(ctld_t *c, const char *from, const vg_msg_t *m)
{
	ctld_execd_run(c, from, m);
}

/* The DC erased a resource's history on this node (cleanup, lrm_delete). */
static void on_lrm_delete(ctld_t *c, const char *from, const vg_msg_t *m)
{
	if (c->dc && strcmp(from, c->dc) == 0)
		ctld_execd_forget(c, vg_msg_get(m, "rsc"));
}

static void on_attr_update(ctld_t *c, const char *from, const vg_msg_t *m)
{
	ctld_attrd_on_update(c, m);
}

static void on_execd_restarted(ctld_t *c, const char *from, const vg_msg_t *m)
{
	ctld_join_member_up(c, from);
}

static void on_fwd_reply(ctld_t *c, const char *from, const vg_msg_t *m)
{
	ctld_ipc_on_write_reply(c, m);
}

static void on_shutdown_req(ctld_t *c, const char *from, const vg_msg_t *m)
{
	char now[32];
	if (!ctld_is_dc(c))
		return;
	g_snprintf(now, sizeof(now), "%lld", (long long)(g_get_real_time() / G_USEC_PER_SEC));
	vg_log_notice("node %s: shutdown requested; moving its resources away", from);
	ctld_attrd_write(c, from, "shutdown", now, false);
	ctld_cib_changed(c);
	ctld_transition_trigger(c, "shutdown requested");
}

static void on_shutdown_now(ctld_t *c, const char *from, const vg_msg_t *m)
{
	vg_log_notice("%s asks this node to shut down", from);
	ctld_shutdown_begin(c);
}

static void on_shutdown_ok(ctld_t *c, const char *from, const vg_msg_t *m)
{
	if (c->dc && strcmp(from, c->dc) == 0)
		ctld_shutdown_on_ok(c);
}

static const struct {
	const char *type;
	msg_fn fn;
} handlers[] = {
    {"dc-announce", on_announce},
    {"hello", on_hello},
    {"cib-patch", ctld_cib_on_patch},
    {"cib-full", ctld_cib_on_full},
    {"cib-resync", on_resync},
    {"cib-offer", ctld_cib_on_offer},
    {"rsc-op", on_rsc_op},
    {"rsc-result", ctld_transition_on_result},
    {"lrm-delete", on_lrm_delete},
    {"attr-update", on_attr_update},
    {"execd-restarted", on_execd_restarted},
    {"fwd", ctld_ipc_on_forwarded},
    {"fwd-reply", on_fwd_reply},
    {"shutdown-req", on_shutdown_req},
    {"shutdown-now", on_shutdown_now},
    {"shutdown-ok", on_shutdown_ok},
};

void ctld_messages_dispatch(ctld_t *c, const char *from, const vg_msg_t *m)
{
	const char *type = vg_msg_type(m);
	for (size_t i = 0; i < G_N_ELEMENTS(handlers); i++) {
		if (g_strcmp0(type, handlers[i].type) == 0) {
			handlers[i].fn(c, from, m);
			return;
		}
	}
	vg_log_warn("dropping unknown message '%s' from %s", type ? type : "", from);
}
