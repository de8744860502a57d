/*
 * Crash-safe persistence of the CIB in a directory.
 *
 *   cib.xml + cib.xml.sig        the current version; .sig holds the MD5 of
 *                                cib.xml's bytes and the version, one line
 *   cib-N.raw + cib-N.raw.sig    earlier versions (N grows), the last `keep`
 *
 * A save: hard-link the current (known good) pair to the next backup number,
 * write cib.xml.tmp and cib.xml.sig.tmp and fsync them, rename both into
 * place, fsync the directory, then return.  A crash between the two renames
 * leaves a cib.xml whose digest does not match: load then falls back to the
 * newest valid backup, which is the last acknowledged version.  Files are
 * never rewritten in place, so hard links are safe.
 * Never parses more than it must: the digest is checked before parsing.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define VG_LOG_SUBSYS "cib"
#include "cib_private.h"

struct vg_cib_store {
	char *dir;
	unsigned keep;
	unsigned long next_backup; /* number for the next cib-N.raw */
	bool current_valid;        /* cib.xml matched its digest when last seen */
};

static char *in_dir(const vg_cib_store_t *s, const char *name)
{
	return g_build_filename(s->dir, name, NULL);
}

static int fsync_dir(const char *dir, vg_error_t *err)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		return vg_error_set(err, VG_EIO, "%s: cannot open directory: %s", dir,
		                    g_strerror(errno));
	if (fsync(fd) != 0 && errno != EINVAL) {
		int e = errno;

		close(fd);
		return vg_error_set(err, VG_EIO, "%s: fsync of directory failed: %s", dir,
		                    g_strerror(e));
	}
	close(fd);
	return 0;
}

/* Write all bytes to path (created 0640), fsync, close. */
static int write_durable(const char *path, const char *data, size_t len, vg_error_t *err)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
	size_t off = 0;

	if (fd < 0)
		return vg_error_set(err, VG_EIO, "%s: cannot create: %s", path, g_strerror(errno));
	while (off < len) {
		ssize_t n = write(fd, data + off, len - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			int e = errno;

			close(fd);
			unlink(path);
			return vg_error_set(err, VG_EIO, "%s: write failed: %s", path,
			                    g_strerror(e));
		}
		off += (size_t)n;
	}
	if (fsync(fd) != 0) {
		int e = errno;

		close(fd);
		unlink(path);
		return vg_error_set(err, VG_EIO, "%s: fsync failed: %s", path, g_strerror(e));
	}
	if (close(fd) != 0)
		return vg_error_set(err, VG_EIO, "%s: close failed: %s", path, g_strerror(errno));
	return 0;
}

static bool parse_backup_name(const char *name, unsigned long *n)
{
	char *end;

	if (!g_str_has_prefix(name, "cib-") || !g_str_has_suffix(name, ".raw"))
		return false;
	*n = strtoul(name + 4, &end, 10);
	return end != name + 4 && strcmp(end, ".raw") == 0;
}

/* Backup numbers present, ascending. */
static GArray *list_backups(const vg_cib_store_t *s)
{
	GArray *nums = g_array_new(FALSE, FALSE, sizeof(unsigned long));
	DIR *d = opendir(s->dir);
	struct dirent *e;

	if (d == NULL)
		return nums;
	while ((e = readdir(d)) != NULL) {
		unsigned long n;

		if (parse_backup_name(e->d_name, &n))
			g_array_append_val(nums, n);
	}
	closedir(d);
	for (guint i = 1; i < nums->len; i++) /* insertion sort: few entries */
		for (guint j = i; j > 0 && g_array_index(nums, unsigned long, j - 1) >
		                               g_array_index(nums, unsigned long, j);
		     j--) {
			unsigned long t = g_array_index(nums, unsigned long, j);

			g_array_index(nums, unsigned long, j) =
			    g_array_index(nums, unsigned long, j - 1);
			g_array_index(nums, unsigned long, j - 1) = t;
		}
	return nums;
}

int vg_cib_store_open(const char *dir, unsigned keep, vg_cib_store_t **out, vg_error_t *err)
{
	vg_cib_store_t *s;
	GArray *nums;

	*out = NULL;
	if (g_mkdir_with_parents(dir, 0750) != 0)
		return vg_error_set(err, VG_EIO, "%s: cannot create the CIB directory: %s", dir,
		                    g_strerror(errno));
	if (access(dir, W_OK | X_OK) != 0)
		return vg_error_set(err, VG_EIO, "%s: not writable: %s", dir, g_strerror(errno));
	s = g_new0(vg_cib_store_t, 1);
	s->dir = g_strdup(dir);
	s->keep = keep ? keep : VG_CIB_STORE_KEEP;
	nums = list_backups(s);
	s->next_backup = nums->len ? g_array_index(nums, unsigned long, nums->len - 1) + 1 : 1;
	g_array_free(nums, TRUE);
	*out = s;
	return 0;
}

void vg_cib_store_close(vg_cib_store_t *s)
{
	if (s == NULL)
		return;
	g_free(s->dir);
	g_free(s);
}

const char *vg_cib_store_dir(const vg_cib_store_t *s)
{
	return s->dir;
}

/*
 * Load one file pair: VG_ENOENT when the file is absent, VG_EFAILED when the
 * digest is missing (unless allow_unsigned: cib.xml an admin put there) or
 * does not match, parse errors as they come.
 */
static int load_pair(const char *path, bool allow_unsigned, xmlDoc **out, vg_error_t *err)
{
	char *sig_path = g_strconcat(path, ".sig", NULL);
	gchar *data = NULL, *sig = NULL;
	gsize len = 0;
	char *digest = NULL;
	int rc;

	*out = NULL;
	if (!g_file_get_contents(path, &data, &len, NULL)) {
		rc = vg_error_set(err, access(path, F_OK) == 0 ? VG_EIO : VG_ENOENT,
		                  "%s: cannot read", path);
		goto done;
	}
	if (!g_file_get_contents(sig_path, &sig, NULL, NULL)) {
		if (allow_unsigned) {
			/* put there by an admin (or copied from Pacemaker): no digest
			 * to check, so it is only as good as it parses */
			vg_log_warn("%s: no digest file %s; taking the file as it is", path,
			            sig_path);
			rc = vg_cib_parse(data, len, path, out, err);
			goto done;
		}
		rc = vg_error_set(err, VG_EFAILED, "%s: no digest file %s", path, sig_path);
		goto done;
	}
	digest = vg_digest_md5(data, len);
	if (strncmp(sig, digest, strlen(digest)) != 0) {
		rc = vg_error_set(err, VG_EFAILED,
		                  "%s: contents do not match the digest in %s (truncated or "
		                  "corrupt)",
		                  path, sig_path);
		goto done;
	}
	rc = vg_cib_parse(data, len, path, out, err);
done:
	g_free(digest);
	g_free(data);
	g_free(sig);
	g_free(sig_path);
	return rc;
}

int vg_cib_store_load(vg_cib_store_t *s, xmlDoc **out, bool *fell_back, vg_error_t *err)
{
	char *cur = in_dir(s, "cib.xml");
	vg_error_t first = {0};
	GArray *nums;
	int rc;

	if (fell_back)
		*fell_back = false;
	rc = load_pair(cur, true, out, &first);
	if (rc == 0) {
		s->current_valid = true;
		g_free(cur);
		return 0;
	}
	s->current_valid = false;
	nums = list_backups(s);
	if (rc == VG_ENOENT && nums->len == 0) {
		g_array_free(nums, TRUE);
		g_free(cur);
		return vg_error_set(err, VG_ENOENT, "%s: no CIB stored yet", s->dir);
	}
	vg_log_error("%s: %s; trying the backups", cur, first.msg);
	for (guint i = nums->len; i > 0; i--) {
		char name[64];
		char *path;
		vg_error_t e = {0};

		snprintf(name, sizeof(name), "cib-%lu.raw",
		         g_array_index(nums, unsigned long, i - 1));
		path = in_dir(s, name);
		rc = load_pair(path, false, out, &e);
		if (rc == 0) {
			vg_log_error("%s: USING BACKUP %s instead of the damaged current CIB",
			             s->dir, path);
			if (fell_back)
				*fell_back = true;
			g_free(path);
			g_array_free(nums, TRUE);
			g_free(cur);
			return 0;
		}
		vg_log_warn("%s: backup unusable: %s", path, e.msg);
		g_free(path);
	}
	g_array_free(nums, TRUE);
	g_free(cur);
	return vg_error_set(err, first.code == VG_ENOENT ? VG_EIO : first.code,
	                    "%s: no valid CIB: %s (and no valid backup)", s->dir, first.msg);
}

/* Keep the newest `keep` backups. */
static void prune(vg_cib_store_t *s)
{
	GArray *nums = list_backups(s);

	for (guint i = 0; i + s->keep < nums->len; i++) {
		char name[64];
		char *path, *sig;

		snprintf(name, sizeof(name), "cib-%lu.raw", g_array_index(nums, unsigned long, i));
		path = in_dir(s, name);
		sig = g_strconcat(path, ".sig", NULL);
		unlink(sig);
		unlink(path);
		g_free(path);
		g_free(sig);
	}
	g_array_free(nums, TRUE);
}

/* Does the file match its digest file? */
static bool digest_ok(const char *path, const char *sig_path)
{
	gchar *data = NULL, *sig = NULL;
	gsize len = 0;
	bool ok = false;

	if (g_file_get_contents(path, &data, &len, NULL) &&
	    g_file_get_contents(sig_path, &sig, NULL, NULL)) {
		char *digest = vg_digest_md5(data, len);

		ok = strncmp(sig, digest, strlen(digest)) == 0;
		g_free(digest);
	}
	g_free(data);
	g_free(sig);
	return ok;
}

/* Hard-link the current pair as the next backup (when it is known good). */
static void backup_current(vg_cib_store_t *s)
{
	char name[64];
	char *cur = in_dir(s, "cib.xml"), *cur_sig = in_dir(s, "cib.xml.sig");
	char *bak, *bak_sig;

	if (!s->current_valid && access(cur, F_OK) == 0)
		s->current_valid = digest_ok(cur, cur_sig);
	if (!s->current_valid || access(cur, F_OK) != 0) {
		g_free(cur);
		g_free(cur_sig);
		return;
	}
	snprintf(name, sizeof(name), "cib-%lu.raw", s->next_backup++);
	bak = in_dir(s, name);
	bak_sig = g_strconcat(bak, ".sig", NULL);
	/* sig first: a backup without its sig is skipped, never trusted */
	if (link(cur_sig, bak_sig) != 0 || link(cur, bak) != 0)
		vg_log_warn("%s: cannot keep a backup of the previous CIB: %s", bak,
		            g_strerror(errno));
	g_free(cur);
	g_free(cur_sig);
	g_free(bak);
	g_free(bak_sig);
}

int vg_cib_store_save(vg_cib_store_t *s, const xmlNode *cib, vg_error_t *err)
{
	char *data = vg_xml_dump(cib, false);
	size_t len = strlen(data);
	char *digest = vg_digest_md5(data, len);
	char *cur = in_dir(s, "cib.xml"), *cur_sig = in_dir(s, "cib.xml.sig");
	char *tmp = in_dir(s, "cib.xml.tmp"), *tmp_sig = in_dir(s, "cib.xml.sig.tmp");
	char *sig_line;
	vg_cib_version_t v;
	char vb[64];
	int rc;

	vg_cib_version_get(cib, &v);
	sig_line = g_strdup_printf("%s %s\n", digest, vg_cib_version_str(&v, vb, sizeof(vb)));
	backup_current(s);
	rc = write_durable(tmp, data, len, err);
	if (rc == 0)
		rc = write_durable(tmp_sig, sig_line, strlen(sig_line), err);
	if (rc == 0 && rename(tmp, cur) != 0)
		rc = vg_error_set(err, VG_EIO, "%s: rename failed: %s", cur, g_strerror(errno));
	if (rc == 0 && rename(tmp_sig, cur_sig) != 0)
		rc = vg_error_set(err, VG_EIO, "%s: rename failed: %s", cur_sig, g_strerror(errno));
	if (rc == 0)
		rc = fsync_dir(s->dir, err);
	if (rc == 0) {
		s->current_valid = true;
		prune(s);
	} else {
		s->current_valid = false;
		unlink(tmp);
		unlink(tmp_sig);
	}
	g_free(sig_line);
	g_free(data);
	g_free(digest);
	g_free(cur);
	g_free(cur_sig);
	g_free(tmp);
	g_free(tmp_sig);
	return rc;
}
