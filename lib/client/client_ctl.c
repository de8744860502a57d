/*
 * client_ctl.c: status, node attributes, cleanup, shutdown and the peer
 * list through the controller.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <stdlib.h>

#include <vigil/client.h>

#define DC_RETRY_MS 15000

int vg_client_status(vg_client_t *c, xmlDoc **cib, vg_client_status_t *st, vg_error_t *err)
{
	vg_msg_t *req = vg_msg_new("status"), *r = NULL;
	int rc = vg_client_call(c, req, &r, 0, err);
	vg_msg_free(req);
	if (rc != 0)
		return rc;
	if (cib) {
		xmlNode *body = vg_msg_xml(r);
		if (!body) {
			vg_msg_free(r);
			return vg_error_set(err, VG_EPERM, "the CIB is not readable for this user");
		}
		*cib = vg_xml_copy_doc(body);
	}
	if (st) {
		st->node = g_strdup(vg_msg_get(r, "node"));
		st->dc = g_strdup(vg_msg_get(r, "dc"));
		st->quorum = g_strcmp0(vg_msg_get(r, "quorum"), "1") == 0;
		st->election = g_strdup(vg_msg_get(r, "election"));
	}
	vg_msg_free(r);
	return 0;
}

void vg_client_status_clear(vg_client_status_t *st)
{
	g_free(st->node);
	g_free(st->dc);
	g_free(st->election);
	st->node = st->dc = st->election = NULL;
}

int vg_client_attr_set(vg_client_t *c, const char *node, const char *name, const char *value,
                       bool permanent, unsigned dampen_ms, vg_error_t *err)
{
	vg_msg_t *req = vg_msg_new("attr-update");
	vg_msg_set(req, "node", node);
	vg_msg_set(req, "name", name);
	vg_msg_set(req, "value", value);
	vg_msg_set(req, "permanent", permanent ? "1" : "0");
	vg_msg_set_int(req, "dampen_ms", dampen_ms);
	int rc = vg_client_call(c, req, NULL, DC_RETRY_MS, err);
	vg_msg_free(req);
	return rc;
}

int vg_client_attr_get(vg_client_t *c, const char *node, const char *name, bool permanent,
                       char **value, vg_error_t *err)
{
	vg_msg_t *req = vg_msg_new("attr-query"), *r = NULL;
	vg_msg_set(req, "node", node);
	vg_msg_set(req, "name", name);
	vg_msg_set(req, "permanent", permanent ? "1" : "0");
	int rc = vg_client_call(c, req, &r, 0, err);
	vg_msg_free(req);
	if (rc == 0)
		*value = g_strdup(vg_msg_get(r, "value"));
	vg_msg_free(r);
	return rc;
}

int vg_client_cleanup(vg_client_t *c, const char *rsc, const char *node, vg_error_t *err)
{
	vg_msg_t *req = vg_msg_new("cleanup");
	vg_msg_set(req, "rsc", rsc);
	vg_msg_set(req, "node", node);
	int rc = vg_client_call(c, req, NULL, DC_RETRY_MS, err);
	vg_msg_free(req);
	return rc;
}

int vg_client_node_shutdown(vg_client_t *c, const char *node, vg_error_t *err)
{
	vg_msg_t *req = vg_msg_new("node-shutdown");
	vg_msg_set(req, "node", node);
	int rc = vg_client_call(c, req, NULL, 0, err);
	vg_msg_free(req);
	return rc;
}

int vg_client_peers(vg_client_t *c, xmlDoc **out, char **local, uint32_t *local_id, bool *quorum,
                    vg_error_t *err)
{
	vg_msg_t *req = vg_msg_new("peers"), *r = NULL;
	int64_t id = 0;
	int rc = vg_client_call(c, req, &r, 0, err);
	vg_msg_free(req);
	if (rc != 0)
		return rc;
	if (out)
		*out = vg_msg_xml(r) ? vg_xml_copy_doc(vg_msg_xml(r)) : NULL;
	if (local)
		*local = g_strdup(vg_msg_get(r, "node"));
	vg_msg_get_int(r, "id", &id);
	if (local_id)
		*local_id = (uint32_t)id;
	if (quorum)
		*quorum = g_strcmp0(vg_msg_get(r, "quorum"), "1") == 0;
	vg_msg_free(r);
	return 0;
}
