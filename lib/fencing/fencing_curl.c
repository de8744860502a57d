/*
 * fencing_curl.c: one HTTP(S) exchange on libcurl for the native plugins.
 * TLS peer and host verification stay on unless the device explicitly
 * says ssl_insecure; redirects are not followed (a power switch that
 * redirects is misconfigured, and credentials must not travel); bodies are
 * capped.  Transport failures become distinct error codes so the fencer
 * can tell "unreachable" from "refused" from "timed out".
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define VG_LOG_SUBSYS "fencing"
#include <string.h>

#include <curl/curl.h>

#include "fencing_private.h"

#define HTTP_MAX_BODY (1024u * 1024)

static gpointer global_init(gpointer unused)
{
	(void)unused;
	curl_global_init(CURL_GLOBAL_DEFAULT);
	return NULL;
}

static size_t on_body(char *ptr, size_t size, size_t n, void *user)
{
	GString *b = user;
	size_t len = size * n;
	if (b->len + len > HTTP_MAX_BODY)
		return 0; /* makes curl fail with CURLE_WRITE_ERROR */
	g_string_append_len(b, ptr, (gssize)len);
	return len;
}

static int map_curl_error(CURLcode c)
{
	switch (c) {
	case CURLE_COULDNT_CONNECT:
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_RESOLVE_PROXY:
		return VG_ENOTCONN;
	case CURLE_OPERATION_TIMEDOUT:
		return VG_ETIMEDOUT;
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_CERTPROBLEM:
		return VG_EPERM;
	default:
		return VG_EIO;
	}
}

int fence_http_do(const fence_http_t *h, fence_http_reply_t *out, vg_error_t *err)
{
	static GOnce once = G_ONCE_INIT;
	CURL *curl;
	CURLcode c;
	GString *body = g_string_new(NULL);
	struct curl_slist *hdrs = NULL;
	char ebuf[CURL_ERROR_SIZE] = "";
	int rc = 0;

	g_once(&once, global_init, NULL);
	memset(out, 0, sizeof(*out));
	curl = curl_easy_init();
	if (curl == NULL) {
		g_string_free(body, TRUE);
		return vg_error_set(err, VG_EIO, "cannot initialise libcurl");
	}
	curl_easy_setopt(curl, CURLOPT_URL, h->url);
	curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, (long)(h->timeout_ms ? h->timeout_ms : 20000));
	curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS,
	                 (long)(h->timeout_ms ? h->timeout_ms : 20000));
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(curl, CURLOPT_WRITEDATA, body);
	curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, ebuf);
	curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, h->verify_tls ? 1L : 0L);
	curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, h->verify_tls ? 2L : 0L);
	if (h->ca_file != NULL)
		curl_easy_setopt(curl, CURLOPT_CAINFO, h->ca_file);
	if (h->user != NULL) {
		curl_easy_setopt(curl, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
		curl_easy_setopt(curl, CURLOPT_USERNAME, h->user);
		curl_easy_setopt(curl, CURLOPT_PASSWORD, h->password ? h->password : "");
	}
	hdrs = curl_slist_append(hdrs, "Accept: application/json, text/html, */*");
	if (h->body != NULL) {
		char *ct = g_strdup_printf("Content-Type: %s",
		                           h->content_type ? h->content_type : "application/json");
		hdrs = curl_slist_append(hdrs, ct);
		g_free(ct);
		curl_easy_setopt(curl, CURLOPT_POSTFIELDS, h->body);
	}
	if (h->method != NULL && strcmp(h->method, "GET") != 0)
		curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, h->method);
	curl_easy_setopt(curl, CURLOPT_HTTPHEADER, hdrs);

	c = curl_easy_perform(curl);
	if (c != CURLE_OK) {
		rc =
		    vg_error_set(err, map_curl_error(c), "%s %s: %s", h->method ? h->method : "GET",
		                 h->url, *ebuf ? ebuf : curl_easy_strerror(c));
	} else {
		curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &out->status);
		out->len = body->len;
		out->body = g_string_free(body, FALSE);
		body = NULL;
	}
	if (body != NULL)
		g_string_free(body, TRUE);
	curl_slist_free_all(hdrs);
	curl_easy_cleanup(curl);
	return rc;
}

void fence_http_reply_clear(fence_http_reply_t *r)
{
	g_free(r->body);
	memset(r, 0, sizeof(*r));
}
