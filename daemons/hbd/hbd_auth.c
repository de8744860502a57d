/*
 * authkeys: the shared secrets that sign every heartbeat packet.
 *
 * Heartbeat's format: "auth N" picks the key we sign with; "N METHOD [KEY]"
 * defines key N (1..15).  Receivers accept any defined key, so keys can be
 * rolled one node at a time.  Methods: sha256 (recommended), sha512, sha1,
 * md5 (accepted, warned as weak), crc (no secret at all: only with
 * "insecure_auth on" in ha.cf).  HMACs come from GLib's GHmac.
 *
 * The file must be a regular file, mode 0600 (or stricter) and owned by root
 * or by the user running vigil-hbd (the unprivileged lab); anything else is
 * refused with the reason, because a readable key lets anyone join.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define VG_LOG_SUBSYS "hbd"
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hbd_wire.h"

static const struct {
	const char *name;
	hb_auth_method_t method;
	GChecksumType sum;
	size_t mac_len;
} methods[] = {
    {"crc", HB_AUTH_CRC, 0, 4},
    {"md5", HB_AUTH_MD5, G_CHECKSUM_MD5, 16},
    {"sha1", HB_AUTH_SHA1, G_CHECKSUM_SHA1, 20},
    {"sha256", HB_AUTH_SHA256, G_CHECKSUM_SHA256, 32},
    {"sha512", HB_AUTH_SHA512, G_CHECKSUM_SHA512, 64},
};

static int method_row(hb_auth_method_t m)
{
	for (size_t i = 0; i < G_N_ELEMENTS(methods); i++)
		if (methods[i].method == m)
			return (int)i;
	return -1;
}

const char *hb_auth_method_name(hb_auth_method_t m)
{
	int r = method_row(m);

	return r < 0 ? "none" : methods[r].name;
}

void hb_auth_free(hb_auth_t *a)
{
	if (a == NULL)
		return;
	for (unsigned i = 0; i < HB_AUTH_SLOTS; i++) {
		if (a->keys[i].secret != NULL)
			memset(a->keys[i].secret, 0, a->keys[i].secret_len);
		g_free(a->keys[i].secret);
	}
	g_free(a);
}

static int parse_index(const char *s, unsigned *out)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (*s == '\0' || *end != '\0' || v < 1 || v >= HB_AUTH_SLOTS)
		return VG_EINVAL;
	*out = (unsigned)v;
	return 0;
}

static int parse_key_line(hb_auth_t *a, char **w, int n, bool insecure_ok, vg_error_t *err)
{
	unsigned idx;
	int row = -1;

	if (parse_index(w[0], &idx) != 0)
		return vg_error_set(err, VG_ECONFIG,
		                    "key index \"%s\" is not a number from 1 to 15", w[0]);
	if (n < 2)
		return vg_error_set(err, VG_ECONFIG, "key %u has no method", idx);
	for (size_t i = 0; i < G_N_ELEMENTS(methods); i++)
		if (g_ascii_strcasecmp(w[1], methods[i].name) == 0)
			row = (int)i;
	if (row < 0)
		return vg_error_set(err, VG_ECONFIG,
		                    "key %u: method \"%s\" is not sha256, sha512, sha1, md5 or crc",
		                    idx, w[1]);
	if (a->keys[idx].method != HB_AUTH_NONE)
		return vg_error_set(err, VG_ECONFIG, "key %u is defined twice", idx);
	if (methods[row].method == HB_AUTH_CRC) {
		if (!insecure_ok)
			return vg_error_set(err, VG_ECONFIG,
			                    "key %u: crc authenticates nothing; use sha256, or set "
			                    "\"insecure_auth on\" in ha.cf to accept it",
			                    idx);
		if (n != 2)
			return vg_error_set(err, VG_ECONFIG, "key %u: crc takes no key", idx);
	} else if (n != 3) {
		return vg_error_set(err, VG_ECONFIG, "key %u: %s needs exactly one key word", idx,
		                    methods[row].name);
	}
	if (methods[row].method == HB_AUTH_MD5)
		vg_log_warn("authkeys: key %u uses md5, which is weak; prefer sha256", idx);
	a->keys[idx].method = methods[row].method;
	if (n == 3) {
		a->keys[idx].secret = g_strdup(w[2]);
		a->keys[idx].secret_len = strlen(w[2]);
	}
	return 0;
}

static int parse_line(hb_auth_t *a, char *line, bool insecure_ok, vg_error_t *err)
{
	char **w;
	int n = 0, rc = 0;
	char *hash = strchr(line, '#');

	if (hash != NULL)
		*hash = '\0';
	for (char *p = line; *p; p++)
		if (*p == '\t')
			*p = ' ';
	w = g_strsplit(g_strstrip(line), " ", -1);
	for (int i = 0; w[i] != NULL; i++) {
		if (w[i][0] == '\0') {
			g_free(w[i]);
			continue;
		}
		w[n++] = w[i];
	}
	w[n] = NULL;
	if (n == 0)
		;
	else if (strcmp(w[0], "auth") == 0) {
		if (n != 2 || parse_index(w[1], &a->active) != 0)
			rc = vg_error_set(err, VG_ECONFIG,
			                  "\"auth\" takes one key index from 1 to 15");
	} else {
		rc = parse_key_line(a, w, n, insecure_ok, err);
	}
	g_strfreev(w);
	return rc;
}

int hb_auth_parse(const char *text, const char *what, bool insecure_ok, hb_auth_t **out,
                  vg_error_t *err)
{
	hb_auth_t *a = g_new0(hb_auth_t, 1);
	char **lines = g_strsplit(text, "\n", -1);
	int rc = 0;

	*out = NULL;
	for (int i = 0; lines[i] != NULL && rc == 0; i++) {
		rc = parse_line(a, lines[i], insecure_ok, err);
		if (rc != 0)
			vg_error_prefix(err, "%s:%d: ", what, i + 1);
	}
	g_strfreev(lines);
	if (rc == 0 && a->active == 0)
		rc = vg_error_set(err, VG_ECONFIG,
		                  "%s: no \"auth N\" line choosing the key to sign with", what);
	else if (rc == 0 && a->keys[a->active].method == HB_AUTH_NONE)
		rc =
		    vg_error_set(err, VG_ECONFIG, "%s: \"auth %u\" names a key that is not defined",
		                 what, a->active);
	if (rc != 0) {
		hb_auth_free(a);
		return rc;
	}
	*out = a;
	return 0;
}

static int check_file(int fd, const char *path, vg_error_t *err)
{
	struct stat st;

	if (fstat(fd, &st) != 0)
		return vg_error_set(err, VG_EIO, "%s: %s", path, g_strerror(errno));
	if (!S_ISREG(st.st_mode))
		return vg_error_set(err, VG_EPERM, "%s: not a regular file; refusing to use it",
		                    path);
	if ((st.st_mode & 0177) != 0)
		return vg_error_set(
		    err, VG_EPERM,
		    "%s: mode is %04o; the keys must not be readable by others: chmod 600 %s", path,
		    (unsigned)(st.st_mode & 07777), path);
	if (st.st_uid != 0 && st.st_uid != geteuid())
		return vg_error_set(err, VG_EPERM,
		                    "%s: owned by uid %u, not by root; refusing keys others may "
		                    "have written: chown root %s",
		                    path, (unsigned)st.st_uid, path);
	if (st.st_size > 64 * 1024)
		return vg_error_set(err, VG_ETOOBIG, "%s: larger than 64 KiB; not an authkeys file",
		                    path);
	return 0;
}

int hb_auth_load(const char *path, bool insecure_ok, hb_auth_t **out, vg_error_t *err)
{
	char buf[64 * 1024 + 1];
	ssize_t n;
	size_t len = 0;
	int fd, rc;

	*out = NULL;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return vg_error_set(err, errno == ENOENT ? VG_ENOENT : VG_EIO,
		                    "%s: cannot open the authentication keys: %s", path,
		                    g_strerror(errno));
	rc = check_file(fd, path, err);
	while (rc == 0 && (n = read(fd, buf + len, sizeof(buf) - 1 - len)) > 0)
		len += (size_t)n;
	close(fd);
	if (rc != 0)
		return rc;
	buf[len] = '\0';
	if (memchr(buf, '\0', len) != NULL)
		rc = vg_error_set(err, VG_ECONFIG, "%s: contains a NUL byte", path);
	else
		rc = hb_auth_parse(buf, path, insecure_ok, out, err);
	memset(buf, 0, sizeof(buf));
	return rc;
}

size_t hb_auth_mac_len(const hb_auth_t *a, unsigned index)
{
	int r;

	if (index >= HB_AUTH_SLOTS || a->keys[index].method == HB_AUTH_NONE)
		return 0;
	r = method_row(a->keys[index].method);
	return methods[r].mac_len;
}

void hb_auth_mac(const hb_auth_t *a, unsigned index, const void *data, size_t len, uint8_t *mac)
{
	const hb_auth_key_t *k = &a->keys[index];
	int r = method_row(k->method);
	GHmac *h;
	gsize n = HB_AUTH_MAC_MAX;

	VG_ASSERT(r >= 0);
	if (k->method == HB_AUTH_CRC) {
		uint32_t c = hb_crc32(0, data, len);

		mac[0] = (uint8_t)(c >> 24);
		mac[1] = (uint8_t)(c >> 16);
		mac[2] = (uint8_t)(c >> 8);
		mac[3] = (uint8_t)c;
		return;
	}
	h = g_hmac_new(methods[r].sum, (const guchar *)k->secret, k->secret_len);
	g_hmac_update(h, data, (gssize)len);
	g_hmac_get_digest(h, mac, &n);
	g_hmac_unref(h);
}
