/*
 * fencing_redfish.c: the native Redfish plugin ("vigil-redfish").  A port
 * names a ComputerSystem: the systems_uri template ("{port}" replaced,
 * default /redfish/v1/Systems/{port}).  Power state from the system's
 * PowerState; off/on/reboot POST the system's ComputerSystem.Reset action
 * with ForceOff/On/ForceRestart.  HTTPS with verification unless ssl=0
 * (plain HTTP) or ssl_insecure=1; ca_file adds a trust anchor.
 * Parameters mirror fence_redfish (ip, ipport, username/login,
 * password/passwd) so a device can switch between the two.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define VG_LOG_SUBSYS "fencing"
#include <string.h>

#include "fencing_json.h"
#include "fencing_native.h"

char *vg_fence_redfish_power_state(const char *json, size_t len)
{
	static const char *const path[] = {"PowerState", NULL};
	return fence_json_get(json, len, path);
}

char *vg_fence_redfish_reset_target(const char *json, size_t len)
{
	static const char *const path[] = {"Actions", "#ComputerSystem.Reset", "target", NULL};
	return fence_json_get(json, len, path);
}

/* An HTTP status into an error with the reason an admin needs. */
static int check_status(native_t *n, const fence_http_reply_t *rep, const char *what,
                        vg_fence_op_result_t *r)
{
	if (rep->status >= 200 && rep->status < 300)
		return 0;
	if (rep->status == 401 || rep->status == 403)
		return fence_fail(r, VG_EPERM, "%s: %s refused the credentials (HTTP %ld)", n->dev,
		                  what, rep->status);
	if (rep->status == 404)
		return fence_fail(r, VG_ECONFIG, "%s: %s does not exist (HTTP 404): wrong port?",
		                  n->dev, what);
	return fence_fail(r, VG_EFAILED, "%s: %s answered HTTP %ld", n->dev, what, rep->status);
}

static int get_system(native_t *n, const char *uri, fence_http_reply_t *rep,
                      vg_fence_op_result_t *r)
{
	int rc = native_http(n, "GET", uri, NULL, rep, r);
	if (rc == 0)
		rc = check_status(n, rep, uri, r);
	return rc;
}

static int power_state(native_t *n, const char *uri, vg_fence_op_result_t *r)
{
	fence_http_reply_t rep = {0};
	int rc = get_system(n, uri, &rep, r);
	if (rc == 0) {
		char *st = vg_fence_redfish_power_state(rep.body, rep.len);
		if (st == NULL)
			rc = fence_fail(r, VG_EPROTO, "%s: %s has no PowerState", n->dev, uri);
		else
			r->power_on = strcmp(st, "Off") != 0;
		g_free(st);
	}
	fence_http_reply_clear(&rep);
	return rc;
}

static int reset(native_t *n, const char *uri, const char *type, vg_fence_op_result_t *r)
{
	fence_http_reply_t rep = {0};
	char *target = NULL, *body;
	int rc = get_system(n, uri, &rep, r);
	if (rc != 0)
		goto out;
	target = vg_fence_redfish_reset_target(rep.body, rep.len);
	if (target == NULL || target[0] != '/') {
		g_free(target);
		target = g_strdup_printf("%s/Actions/ComputerSystem.Reset", uri);
	}
	fence_http_reply_clear(&rep);
	body = g_strdup_printf("{\"ResetType\": \"%s\"}", type);
	rc = native_http(n, "POST", target, body, &rep, r);
	g_free(body);
	if (rc == 0)
		rc = check_status(n, &rep, target, r);
out:
	g_free(target);
	fence_http_reply_clear(&rep);
	return rc;
}

static int list_systems(native_t *n, vg_fence_op_result_t *r)
{
	static const char *const path[] = {"Members", "[]", "@odata.id", NULL};
	fence_http_reply_t rep = {0};
	const char *root = native_param(n, "redfish_uri", "/redfish/v1");
	char *uri = g_strdup_printf("%s/Systems", root);
	int rc = get_system(n, uri, &rep, r);
	if (rc == 0) {
		char *ids = fence_json_get(rep.body, rep.len, path);
		if (ids == NULL) {
			rc = fence_fail(r, VG_EPROTO, "%s: %s lists no Members", n->dev, uri);
		} else {
			/* Keep the last path component: the port name. */
			GString *out = g_string_new(NULL);
			char **lines = g_strsplit(ids, "\n", -1);
			for (char **l = lines; *l; l++) {
				char *slash = strrchr(*l, '/');
				g_string_append_printf(out, "%s\n", slash ? slash + 1 : *l);
			}
			g_strfreev(lines);
			g_free(ids);
			r->output = g_string_free(out, FALSE);
		}
	}
	g_free(uri);
	fence_http_reply_clear(&rep);
	return rc;
}

void fence_redfish_run(const vg_fence_op_t *op, vg_fence_op_result_t *r)
{
	native_t n;
	if (native_init(&n, op, true, r) != 0)
		return;
	char *uri =
	    native_expand(&n, native_param(&n, "systems_uri", "/redfish/v1/Systems/{port}"));
	switch (n.action) {
	case VG_FENCE_STATUS:
		power_state(&n, uri, r);
		break;
	case VG_FENCE_OFF:
		reset(&n, uri, "ForceOff", r);
		break;
	case VG_FENCE_ON:
		reset(&n, uri, "On", r);
		break;
	case VG_FENCE_REBOOT:
		reset(&n, uri, "ForceRestart", r);
		break;
	case VG_FENCE_MONITOR:
	case VG_FENCE_LIST:
		list_systems(&n, r);
		break;
	default:
		fence_fail(r, VG_ENOTSUP, "%s: vigil-redfish has no %s action", n.dev,
		           vg_fence_action_name(n.action));
		break;
	}
	g_free(uri);
	native_clear(&n);
}
