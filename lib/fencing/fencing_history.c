/*
 * fencing_history.c: fencing records (one per device attempt and one per
 * finished request) and their XML form, which travels in fenced replies
 * and events: <fence-record id target action origin executor device level
 * state rc reason requested completed confirmed/>.  Parsing checks every
 * field; a record from a peer is untrusted input.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define VG_LOG_SUBSYS "fencing"
#include <string.h>

#include "fencing_private.h"

static const char *const state_names[] = {"pending", "done", "failed"};

void vg_fence_record_free(vg_fence_record_t *r)
{
	if (r == NULL)
		return;
	g_free(r->id);
	g_free(r->target);
	g_free(r->origin);
	g_free(r->executor);
	g_free(r->device);
	g_free(r->reason);
	g_free(r);
}

vg_fence_record_t *vg_fence_record_copy(const vg_fence_record_t *r)
{
	vg_fence_record_t *c = g_new0(vg_fence_record_t, 1);
	*c = *r;
	c->id = g_strdup(r->id);
	c->target = g_strdup(r->target);
	c->origin = g_strdup(r->origin);
	c->executor = g_strdup(r->executor);
	c->device = g_strdup(r->device);
	c->reason = g_strdup(r->reason);
	return c;
}

xmlNode *vg_fence_record_to_xml(const vg_fence_record_t *r, xmlNode *parent)
{
	xmlNode *n = vg_xml_new_child(parent, "fence-record");
	vg_xml_set(n, "id", r->id);
	vg_xml_set(n, "target", r->target);
	vg_xml_set(n, "action", vg_fence_action_name(r->action));
	vg_xml_set(n, "origin", r->origin);
	vg_xml_set(n, "executor", r->executor);
	vg_xml_set(n, "device", r->device);
	vg_xml_set_int(n, "level", r->level);
	vg_xml_set(n, "state", state_names[r->state]);
	vg_xml_set_int(n, "rc", r->rc);
	vg_xml_set(n, "reason", r->reason);
	vg_xml_set_int(n, "requested", r->requested);
	vg_xml_set_int(n, "completed", r->completed);
	if (r->confirmed)
		vg_xml_set(n, "confirmed", "true");
	return n;
}

static bool get_ll(const xmlNode *n, const char *attr, long long lo, long long hi, long long *out)
{
	const char *v = vg_xml_get(n, attr);
	char *end;
	if (v == NULL) {
		*out = 0;
		return true;
	}
	*out = strtoll(v, &end, 10);
	return *v != '\0' && *end == '\0' && *out >= lo && *out <= hi;
}

int vg_fence_record_from_xml(const xmlNode *n, vg_fence_record_t **out, vg_error_t *err)
{
	vg_fence_record_t *r;
	long long level, rc, req, done;
	vg_fence_action_t action;
	const char *state = vg_xml_get(n, "state");
	int st = -1;

	if (n == NULL || !vg_xml_is(n, "fence-record") || vg_xml_get(n, "id") == NULL ||
	    vg_xml_get(n, "target") == NULL ||
	    vg_fence_action_parse(vg_xml_get(n, "action"), &action) != 0)
		return vg_error_set(err, VG_EPARSE, "fence record: missing id, target or action");
	for (int i = 0; state != NULL && i < (int)G_N_ELEMENTS(state_names); i++)
		if (strcmp(state, state_names[i]) == 0)
			st = i;
	if (st < 0 || !get_ll(n, "level", 0, 9, &level) || !get_ll(n, "rc", VG_ERC_MIN, 0, &rc) ||
	    !get_ll(n, "requested", 0, INT64_MAX, &req) ||
	    !get_ll(n, "completed", 0, INT64_MAX, &done))
		return vg_error_set(err, VG_EPARSE, "fence record %s: malformed state or numbers",
		                    vg_xml_get(n, "id"));
	r = g_new0(vg_fence_record_t, 1);
	r->id = g_strdup(vg_xml_get(n, "id"));
	r->target = g_strdup(vg_xml_get(n, "target"));
	r->action = action;
	r->origin = g_strdup(vg_xml_get(n, "origin"));
	r->executor = g_strdup(vg_xml_get(n, "executor"));
	r->device = g_strdup(vg_xml_get(n, "device"));
	r->level = (int)level;
	r->state = (vg_fence_state_t)st;
	r->rc = (int)rc;
	r->reason = g_strdup(vg_xml_get(n, "reason"));
	r->requested = req;
	r->completed = done;
	r->confirmed = g_strcmp0(vg_xml_get(n, "confirmed"), "true") == 0;
	*out = r;
	return 0;
}
