/*
 * ctld_fence.c: fencing through this node's vigil-fenced.  The DC asks its
 * own fencer to fence a node and learns the outcome asynchronously; only a
 * successful device answer confirms the action (ctld_transition.c then
 * marks the node down and its resources stopped).  The fencer gets the CIB
 * whenever the configuration changes, so devices follow the CIB.
 *
 * Never does: decide whether to fence (the scheduler does).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define VG_LOG_SUBSYS "fence"
#include "config.h"

#include <string.h>

#include <vigil/cib.h>
#include <vigil/fencing.h>

#include "ctld_private.h"

typedef struct fence_req {
	ctld_t *c;
	int action_id;
	int graph_id;
	char *target;
	unsigned joins; /* the target's joins count when asked (ctld_peer_t) */
} fence_req_t;

static vg_fence_client_t *client(ctld_t *c)
{
	vg_error_t err = {0};
	if (!c->fencer) {
		c->fencer = vg_fence_client_connect(c->me, &err);
		if (!c->fencer) {
			vg_log_warn("cannot reach vigil-fenced: %s", err.msg);
			return NULL;
		}
		if (vg_fence_client_set_config(c->fencer, ctld_cib_root(c), &err) != 0)
			vg_log_warn("cannot give the fencer its configuration: %s", err.msg);
	}
	return c->fencer;
}

void ctld_fence_start(ctld_t *c)
{
	(void)client(c);
}

void ctld_fence_stop(ctld_t *c)
{
	if (c->fencer)
		vg_fence_client_free(c->fencer);
	c->fencer = NULL;
}

void ctld_fence_sync_devices(ctld_t *c)
{
	vg_error_t err = {0};
	vg_fence_client_t *f = client(c);
	if (f && vg_fence_client_set_config(f, ctld_cib_root(c), &err) != 0) {
		vg_log_warn("cannot give the fencer its configuration: %s", err.msg);
		/* The connection may be stale (fenced restarted): retry once. */
		ctld_fence_stop(c);
		f = client(c);
	}
}

static void on_result(const vg_fence_record_t *rec, void *data)
{
	fence_req_t *r = data;
	ctld_t *c = r->c;
	bool ok = rec && rec->state == VG_FENCE_DONE;

	if (ok) {
		vg_log_notice("node %s: fenced by %s (%.3f)", r->target,
		              rec->device ? rec->device : "?", g_get_real_time() / 1e6);
		if (ctld_is_dc(c))
			ctld_join_node_fenced(c, r->target, r->joins);
	} else {
		vg_log_error("node %s: fencing failed: %s", r->target,
		             rec && rec->reason ? rec->reason : "no answer from the fencer");
	}
	if (ctld_is_dc(c) && ctld_transition_graph_id(c) == r->graph_id)
		ctld_transition_action_done(c, r->action_id, ok);
	g_free(r->target);
	g_free(r);
}

void ctld_fence_run(ctld_t *c, int action_id, const char *target, const char *action,
                    unsigned timeout_ms)
{
	vg_fence_action_t a = VG_FENCE_REBOOT;
	vg_error_t err = {0};
	vg_fence_client_t *f;
	fence_req_t *r;

	if (action && vg_fence_action_parse(action, &a) != 0)
		a = VG_FENCE_REBOOT;
	ctld_fence_sync_devices(c);
	f = client(c);
	if (!f) {
		ctld_transition_action_done(c, action_id, false);
		return;
	}
	r = g_new0(fence_req_t, 1);
	r->c = c;
	r->action_id = action_id;
	r->graph_id = ctld_transition_graph_id(c);
	r->target = g_strdup(target);
	ctld_peer_t *p = ctld_peer_get(c, target, false);
	r->joins = p ? p->joins : 0;
	vg_log_notice("node %s: fencing (%s) (%.3f)", target, vg_fence_action_name(a),
	              g_get_real_time() / 1e6);
	if (vg_fence_client_request(f, target, a, timeout_ms, c->me, on_result, r, NULL, &err) !=
	    0) {
		vg_log_error("node %s: the fencer refused: %s", target, err.msg);
		ctld_fence_stop(c); /* reconnect next time */
		g_free(r->target);
		g_free(r);
		ctld_transition_action_done(c, action_id, false);
	}
}
