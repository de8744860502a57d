/*
 * crmconf_store.c: where `vigil configure` reads and writes the CIB.
 *
 * Offline (-x FILE or $CIB_file): the file is read with libvigil-cib, the
 * new configuration goes in as one vg_cib_apply() transaction (version bump,
 * schema validation) and the file is rewritten atomically (temp file,
 * fsync, rename).  Live: the same replace of the configuration section is
 * sent to the DC through libvigil-client, as the XML `load` does.  Never
 * edits anything but the configuration section.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <vigil/cib.h>
#include <vigil/client.h>

#include "crmconf_private.h"

static int connect_live(cc_store_t *st, vg_error_t *err)
{
	if (st->client)
		return 0;
	st->client = vg_client_connect(NULL, err);
	return st->client ? 0 : VG_ENOTCONN;
}

int cc_store_read(cc_store_t *st, xmlDoc **out, vg_error_t *err)
{
	if (st->file)
		return vg_cib_load_file(st->file, out, err);
	int rc = connect_live(st, err);
	return rc ? rc : vg_client_cib_query(st->client, NULL, NULL, out, err);
}

static int write_file(const char *path, const xmlNode *cib, vg_error_t *err)
{
	char *data = vg_xml_dump(cib, true);
	char *tmp = g_strdup_printf("%s.vigil-tmp.%d", path, (int)getpid());
	GError *gerr = NULL;
	int rc = 0;
	if (!g_file_set_contents(tmp, data, (gssize)strlen(data), &gerr)) {
		rc = vg_error_set(err, VG_EIO, "%s: %s", tmp, gerr->message);
		g_error_free(gerr);
	} else {
		int fd = open(tmp, O_RDONLY | O_CLOEXEC);
		if (fd >= 0) {
			(void)fsync(fd);
			close(fd);
		}
		if (rename(tmp, path) != 0)
			rc = vg_error_set(err, VG_EIO, "%s: %s", path, g_strerror(errno));
	}
	if (rc)
		unlink(tmp);
	g_free(tmp);
	g_free(data);
	return rc;
}

int cc_store_write_cfg(cc_store_t *st, const xmlNode *cfg, vg_error_t *err)
{
	if (!st->file) {
		int rc = connect_live(st, err);
		return rc ? rc
		          : vg_client_cib_write(st->client, "replace", "configuration", NULL, cfg,
		                                0, err);
	}
	xmlDoc *doc = NULL, *out = NULL;
	int rc = vg_cib_load_file(st->file, &doc, err);
	if (rc)
		return rc;
	vg_cib_request_t req = {.op = VG_CIB_OP_REPLACE, .section = "configuration", .data = cfg};
	rc = vg_cib_apply(xmlDocGetRootElement(doc), &req, &out, NULL, err);
	if (rc == 0)
		rc = write_file(st->file, xmlDocGetRootElement(out), err);
	xmlFreeDoc(out);
	xmlFreeDoc(doc);
	return rc;
}

void cc_store_close(cc_store_t *st)
{
	if (st->client)
		vg_client_free(st->client);
	st->client = NULL;
}
