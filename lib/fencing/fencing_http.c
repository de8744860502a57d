/*
 * fencing_http.c: the native HTTP power-switch plugin ("vigil-http").
 * preset=eps: an ePowerSwitch-style hidden page (page=hidden.htm) that sets
 * outlets with ?Pnn=0|1 and lists "Pnn=0|1<br>"; preset=ippower9258: the
 * IP-Power-9258-style Set.cmd?CMD=GetPower / SetPower+P6x=v interface
 * (outlet 1 = P60); preset=custom: on_url, off_url, status_url templates
 * and status_on / status_off strings expected in the status page.
 * Templates know {port}, {port2}, {port60}, {ip}.  Plain HTTP unless ssl=1;
 * basic auth with username/password.  Every switch is verified by reading
 * the outlet back: an answer that does not show the new state is a failure.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define VG_LOG_SUBSYS "fencing"
#include <string.h>

#include "fencing_native.h"

/* Value after needle (case-insensitive) when it is '0' or '1', else -1;
 * need_br: the value must be followed by optional blanks and "<br". */
static int find_flag(const char *page, size_t len, const char *needle, bool need_br)
{
	size_t nl = strlen(needle);
	for (size_t i = 0; page != NULL && i + nl < len; i++) {
		if (g_ascii_strncasecmp(page + i, needle, nl) != 0)
			continue;
		if (i > 0 && g_ascii_isalnum(page[i - 1]))
			continue;
		char v = page[i + nl];
		if (v != '0' && v != '1')
			continue;
		size_t j = i + nl + 1;
		if (need_br) {
			while (j < len && g_ascii_isspace(page[j]))
				j++;
			if (j + 3 > len || g_ascii_strncasecmp(page + j, "<br", 3) != 0)
				continue;
		} else if (j < len && g_ascii_isdigit(page[j])) {
			continue;
		}
		return v - '0';
	}
	return -1;
}

int vg_fence_http_eps_state(const char *page, size_t len, int outlet)
{
	char needle[16];
	if (outlet < 0 || outlet > 99)
		return -1;
	g_snprintf(needle, sizeof(needle), "P%02d=", outlet);
	return find_flag(page, len, needle, true);
}

int vg_fence_http_ippower_state(const char *page, size_t len, int port)
{
	char needle[16];
	if (port < 0 || port > 9999)
		return -1;
	g_snprintf(needle, sizeof(needle), "P%d=", port);
	return find_flag(page, len, needle, false);
}

static bool outlet_number_ok(const char *port)
{
	char *end;
	long v = strtol(port, &end, 10);
	return *port != '\0' && *end == '\0' && v >= 1 && v <= 99;
}

typedef struct preset {
	const char *name;
	const char *status_url, *on_url, *off_url;
	/* state of the port in a page, -1 when the page does not show it */
	int (*state)(native_t *n, const char *page, size_t len);
} preset_t;

static int eps_state(native_t *n, const char *page, size_t len)
{
	return vg_fence_http_eps_state(page, len, (int)strtol(n->port, NULL, 10));
}

static int ippower_state(native_t *n, const char *page, size_t len)
{
	return vg_fence_http_ippower_state(page, len, 59 + (int)strtol(n->port, NULL, 10));
}

static int custom_state(native_t *n, const char *page, size_t len)
{
	char *on = native_expand(n, native_param(n, "status_on", ""));
	char *off = native_expand(n, native_param(n, "status_off", ""));
	char *text = g_strndup(page, len);
	int st = -1;
	if (*on && strstr(text, on))
		st = 1;
	else if (*off && strstr(text, off))
		st = 0;
	g_free(on);
	g_free(off);
	g_free(text);
	return st;
}

static const preset_t presets[] = {
    {"eps", "/{page}", "/{page}?P{port2}=1", "/{page}?P{port2}=0", eps_state},
    {"ippower9258", "/Set.cmd?CMD=GetPower", "/Set.cmd?CMD=SetPower+P{port60}=1",
     "/Set.cmd?CMD=SetPower+P{port60}=0", ippower_state},
    {"custom", NULL, NULL, NULL, custom_state},
};

static char *url_for(native_t *n, const preset_t *p, const char *which, const char *dflt)
{
	const char *t = native_param(n, which, dflt);
	if (t == NULL)
		return NULL;
	/* {page} is the eps hidden page name, resolved before the port. */
	char **parts = g_strsplit(t, "{page}", -1);
	char *joined = g_strjoinv(native_param(n, "page", "hidden.htm"), parts);
	g_strfreev(parts);
	char *out = native_expand(n, joined);
	g_free(joined);
	(void)p;
	return out;
}

/* GET url; on success *state is the port's state in the answer (-1 unknown). */
static int fetch(native_t *n, const preset_t *p, const char *url, int *state,
                 vg_fence_op_result_t *r)
{
	fence_http_reply_t rep = {0};
	int rc = native_http(n, "GET", url, NULL, &rep, r);
	if (rc == 0) {
		if (rep.status == 401 || rep.status == 403)
			rc = fence_fail(r, VG_EPERM,
			                "%s: the switch refused the credentials (HTTP %ld)", n->dev,
			                rep.status);
		else if (rep.status < 200 || rep.status >= 300)
			rc = fence_fail(r, VG_EFAILED, "%s: %s answered HTTP %ld", n->dev, url,
			                rep.status);
		else
			*state = n->port ? p->state(n, rep.body, rep.len) : -1;
	}
	fence_http_reply_clear(&rep);
	return rc;
}

static int status(native_t *n, const preset_t *p, vg_fence_op_result_t *r)
{
	char *url = url_for(n, p, "status_url", p->status_url);
	int st = -1, rc;
	if (url == NULL)
		return fence_fail(r, VG_ECONFIG, "%s: status_url is not set", n->dev);
	rc = fetch(n, p, url, &st, r);
	if (rc == 0 && st < 0)
		rc =
		    fence_fail(r, VG_ECONFIG, "%s: the switch does not show outlet %s: wrong port?",
		               n->dev, n->port);
	if (rc == 0)
		r->power_on = st == 1;
	g_free(url);
	return rc;
}

static int set(native_t *n, const preset_t *p, bool on, vg_fence_op_result_t *r)
{
	char *url = url_for(n, p, on ? "on_url" : "off_url", on ? p->on_url : p->off_url);
	int st = -1, rc;
	if (url == NULL)
		return fence_fail(r, VG_ECONFIG, "%s: %s is not set", n->dev,
		                  on ? "on_url" : "off_url");
	rc = fetch(n, p, url, &st, r);
	g_free(url);
	if (rc != 0)
		return rc;
	if (st < 0) { /* the answer did not show the outlet: read it back */
		if ((rc = status(n, p, r)) != 0)
			return rc;
		st = r->power_on ? 1 : 0;
	}
	if (st != (on ? 1 : 0))
		return fence_fail(r, VG_EFAILED, "%s: outlet %s is still %s after switching it %s",
		                  n->dev, n->port, st ? "on" : "off", on ? "on" : "off");
	r->power_on = on;
	return 0;
}

void fence_http_run(const vg_fence_op_t *op, vg_fence_op_result_t *r)
{
	native_t n;
	const char *pname;
	const preset_t *p = NULL;
	if (native_init(&n, op, false, r) != 0)
		return;
	pname = native_param(&n, "preset", "custom");
	for (size_t i = 0; i < G_N_ELEMENTS(presets); i++)
		if (strcmp(presets[i].name, pname) == 0)
			p = &presets[i];
	if (p == NULL) {
		fence_fail(r, VG_ECONFIG, "%s: unknown preset \"%s\" (eps, ippower9258, custom)",
		           n.dev, pname);
	} else if (n.port == NULL && n.action != VG_FENCE_MONITOR && n.action != VG_FENCE_LIST) {
		fence_fail(r, VG_EINVAL, "%s: %s needs a target", n.dev,
		           vg_fence_action_name(n.action));
	} else if (n.port != NULL && p->state != custom_state && !outlet_number_ok(n.port)) {
		fence_fail(r, VG_ECONFIG,
		           "%s: outlet \"%s\" is not an outlet number (wrong port? map nodes to "
		           "outlets with pcmk_host_map)",
		           n.dev, n.port);
	} else {
		switch (n.action) {
		case VG_FENCE_STATUS:
			status(&n, p, r);
			break;
		case VG_FENCE_OFF:
			set(&n, p, false, r);
			break;
		case VG_FENCE_ON:
			set(&n, p, true, r);
			break;
		case VG_FENCE_REBOOT:
			if (set(&n, p, false, r) == 0) {
				g_usleep(
				    1000 *
				    (gulong)strtoul(native_param(&n, "power_wait", "1"), NULL, 10) *
				    1000);
				set(&n, p, true, r);
			}
			break;
		case VG_FENCE_MONITOR:
		case VG_FENCE_LIST: {
			/* Reachability and credentials: fetch the status page. */
			char *url = url_for(&n, p, "status_url", p->status_url);
			int st;
			if (url == NULL)
				fence_fail(r, VG_ECONFIG, "%s: status_url is not set", n.dev);
			else
				fetch(&n, p, url, &st, r);
			g_free(url);
			break;
		}
		default:
			fence_fail(r, VG_ENOTSUP, "%s: vigil-http has no %s action", n.dev,
			           vg_fence_action_name(n.action));
			break;
		}
	}
	native_clear(&n);
}
