/*
 * fencing_native.c: the frame of vigil's built-in plugins (vigil-redfish,
 * vigil-http): parameters shared with the equivalent fence-agents (ip,
 * ipport, username/login, password/passwd, ssl, ssl_insecure, ca_file),
 * port templates, the HTTP call with the operation's remaining time, and
 * the dispatch by plugin name.  Runs blocking, in a worker thread of the
 * fencer (fencing_run.c), so it holds no state beyond the call.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define VG_LOG_SUBSYS "fencing"
#include <string.h>

#include "fencing_native.h"

static bool truthy(const char *v)
{
	return v != NULL &&
	       (g_ascii_strcasecmp(v, "1") == 0 || g_ascii_strcasecmp(v, "true") == 0 ||
	        g_ascii_strcasecmp(v, "yes") == 0 || g_ascii_strcasecmp(v, "on") == 0);
}

static bool falsy(const char *v)
{
	return v != NULL &&
	       (g_ascii_strcasecmp(v, "0") == 0 || g_ascii_strcasecmp(v, "false") == 0 ||
	        g_ascii_strcasecmp(v, "no") == 0 || g_ascii_strcasecmp(v, "off") == 0);
}

const char *native_param(native_t *n, const char *name, const char *dflt)
{
	const char *v = g_hash_table_lookup(n->d->params, name);
	return v != NULL && *v != '\0' ? v : dflt;
}

int native_init(native_t *n, const vg_fence_op_t *op, bool tls_default, vg_fence_op_result_t *r)
{
	static const char *const ip_names[] = {"ip", "ipaddr", "hostname", NULL};
	static const char *const user_names[] = {"username", "login", NULL};
	static const char *const pw_names[] = {"password", "passwd", NULL};
	const char *ip, *ipport, *ssl;
	bool tls;
	vg_fence_action_t a;

	memset(n, 0, sizeof(*n));
	n->d = op->device;
	n->dev = op->device->id;
	n->action = op->action;
	if (vg_fence_action_parse(vg_fence_device_agent_action(op->device, op->action), &a) == 0)
		n->action = a;
	n->timeout_ms = fence_op_timeout(op);
	n->deadline_us = g_get_monotonic_time() + (int64_t)n->timeout_ms * 1000;
	if (op->target != NULL) {
		const char *plug = native_param(n, "plug", native_param(n, "port", NULL));
		n->port = plug ? g_strdup(plug) : vg_fence_device_port(op->device, op->target);
	}
	ip = fence_param(op->device, ip_names);
	if (ip == NULL)
		return fence_fail(r, VG_ECONFIG,
		                  "%s: parameter ip (address of the device) is missing", n->dev);
	ssl = native_param(n, "ssl", NULL);
	tls = tls_default ? !falsy(ssl)
	                  : truthy(ssl) || truthy(native_param(n, "ssl_insecure", NULL));
	n->verify_tls = !truthy(native_param(n, "ssl_insecure", NULL));
	ipport = native_param(n, "ipport", NULL);
	if (strstr(ip, "://") != NULL)
		n->base = g_strdup(ip);
	else if (ipport != NULL && strchr(ip, ':') == NULL)
		n->base = g_strdup_printf("%s://%s:%s", tls ? "https" : "http", ip, ipport);
	else
		n->base = g_strdup_printf("%s://%s", tls ? "https" : "http", ip);
	n->user = fence_param(op->device, user_names);
	n->password = fence_param(op->device, pw_names);
	return 0;
}

void native_clear(native_t *n)
{
	g_free(n->port);
	g_free(n->base);
}

char *native_expand(native_t *n, const char *tmpl)
{
	GString *s = g_string_new(NULL);
	const char *port = n->port ? n->port : "";
	long num = strtol(port, NULL, 10);
	for (const char *p = tmpl; *p;) {
		if (g_str_has_prefix(p, "{port}")) {
			g_string_append(s, port);
			p += 6;
		} else if (g_str_has_prefix(p, "{port2}")) {
			g_string_append_printf(s, "%02ld", num);
			p += 7;
		} else if (g_str_has_prefix(p, "{port60}")) {
			g_string_append_printf(s, "%ld", 59 + num);
			p += 8;
		} else if (g_str_has_prefix(p, "{ip}")) {
			g_string_append(s, native_param(n, "ip", native_param(n, "ipaddr", "")));
			p += 4;
		} else {
			g_string_append_c(s, *p++);
		}
	}
	return g_string_free(s, FALSE);
}

int native_http(native_t *n, const char *method, const char *path, const char *body,
                fence_http_reply_t *rep, vg_fence_op_result_t *r)
{
	vg_error_t err = {0};
	int64_t left_ms = (n->deadline_us - g_get_monotonic_time()) / 1000;
	char *url = strstr(path, "://") ? g_strdup(path) : g_strconcat(n->base, path, NULL);
	fence_http_t h = {
	    .method = method,
	    .url = url,
	    .body = body,
	    .user = n->user,
	    .password = n->password,
	    .verify_tls = n->verify_tls,
	    .ca_file = native_param(n, "ca_file", NULL),
	    .timeout_ms = left_ms > 0 ? (uint64_t)left_ms : 1,
	};
	int rc = left_ms > 0
	             ? fence_http_do(&h, rep, &err)
	             : vg_error_set(&err, VG_ETIMEDOUT, "no time left for %s %s", method, url);
	if (rc != 0) {
		const char *what = rc == VG_ENOTCONN    ? "device unreachable"
		                   : rc == VG_ETIMEDOUT ? "device did not answer in time"
		                   : rc == VG_EPERM     ? "TLS verification failed"
		                                        : "transport error";
		fence_fail(r, rc, "%s: %s: %s", n->dev, what, err.msg);
	}
	g_free(url);
	return rc;
}

void vg_fence_native_run(const vg_fence_op_t *op, vg_fence_op_result_t *r)
{
	int64_t start = g_get_monotonic_time();
	memset(r, 0, sizeof(*r));
	if (strcmp(op->device->agent, "vigil-redfish") == 0)
		fence_redfish_run(op, r);
	else if (strcmp(op->device->agent, "vigil-http") == 0)
		fence_http_run(op, r);
	else
		fence_fail(r, VG_ENOENT,
		           "%s: no native plugin named %s (vigil-redfish, vigil-http)",
		           op->device->id, op->device->agent);
	r->run_ms = (uint64_t)(g_get_monotonic_time() - start) / 1000;
}
