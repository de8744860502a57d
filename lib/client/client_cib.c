/*
 * client_cib.c: the live CIB through the controller: queries answered by
 * the local replica, writes run at the DC.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <vigil/client.h>

#define WRITE_RETRY_MS 15000

int vg_client_cib_query(vg_client_t *c, const char *section, const char *xpath, xmlDoc **out,
                        vg_error_t *err)
{
	vg_msg_t *req = vg_msg_new("cib-query"), *r = NULL;
	vg_msg_set(req, "section", section);
	vg_msg_set(req, "xpath", xpath);
	int rc = vg_client_call(c, req, &r, 0, err);
	vg_msg_free(req);
	if (rc == 0) {
		xmlNode *body = vg_msg_xml(r);
		if (!body)
			rc = vg_error_set(err, VG_EPROTO, "the controller sent no document");
		else
			*out = vg_xml_copy_doc(body);
	}
	vg_msg_free(r);
	return rc;
}

int vg_client_cib_write(vg_client_t *c, const char *op, const char *section, const char *xpath,
                        const xmlNode *data, unsigned flags, vg_error_t *err)
{
	vg_msg_t *req = vg_msg_new("cib-write");
	vg_msg_set(req, "op", op);
	vg_msg_set(req, "section", section);
	vg_msg_set(req, "xpath", xpath);
	vg_msg_set_int(req, "flags", flags);
	if (data)
		vg_msg_set_xml(req, data);
	int rc = vg_client_call(c, req, NULL, WRITE_RETRY_MS, err);
	vg_msg_free(req);
	return rc;
}
