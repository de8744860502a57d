/*
 * One CIB write as a transaction (vg_cib_apply): run the operation on a copy,
 * compute the patch, check it against the user's ACL, bump the version by
 * the rules, validate, and hand back the new document with its patch.  The
 * controller broadcasts that patch; replicas replay it with vg_cib_patch().
 * Never touches the caller's document.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#define VG_LOG_SUBSYS "cib"
#include "cib_private.h"

static int run_op(xmlNode *root, const vg_cib_request_t *req, vg_error_t *err)
{
	switch (req->op) {
	case VG_CIB_OP_CREATE:
		return vg_cib_op_create(root, req->section, req->data, err);
	case VG_CIB_OP_MODIFY:
		return vg_cib_op_modify(root, req->section, req->xpath, req->data, req->flags, err);
	case VG_CIB_OP_REPLACE:
		return vg_cib_op_replace(root, req->section, req->xpath, req->data, err);
	case VG_CIB_OP_DELETE:
		return vg_cib_op_delete(root, req->section, req->xpath, req->data, req->flags, err);
	case VG_CIB_OP_ERASE:
		vg_cib_op_erase(root);
		return 0;
	case VG_CIB_OP_UPGRADE:
		return vg_cib_upgrade(root, NULL, NULL, err);
	case VG_CIB_OP_BUMP:
		return 0;
	case VG_CIB_OP_QUERY:
	case VG_CIB_OP_PATCH:
		break;
	}
	return vg_error_set(err, VG_EINVAL, "apply: operation %d is not a write", (int)req->op);
}

/* Replace the patch's /cib attribute change after the version moved. */
static void refresh_root_change(xmlNode *diff, const xmlNode *old_cib, const xmlNode *new_cib)
{
	xmlNode *c, *ver = vg_xml_first(diff, "version"), *target;
	vg_cib_version_t v;

	VG_XML_FOREACH(c, diff, "change")
	{
		if (g_strcmp0(vg_xml_get(c, "path"), "/cib") == 0 &&
		    g_strcmp0(vg_xml_get(c, "operation"), "modify") == 0) {
			xmlUnlinkNode(c);
			xmlFreeNode(c);
			break;
		}
	}
	cib_diff_root_attrs(diff, old_cib, new_cib);
	target = vg_xml_first(ver, "target");
	vg_cib_version_get(new_cib, &v);
	vg_cib_version_set(target, &v);
}

static bool is_whole_replace(const vg_cib_request_t *req)
{
	return req->op == VG_CIB_OP_REPLACE && req->xpath == NULL && vg_xml_is(req->data, "cib") &&
	       (req->section == NULL || strcmp(req->section, "cib") == 0);
}

static int apply_patch(const xmlNode *cib, const vg_cib_request_t *req, xmlDoc *doc, xmlDoc **patch,
                       vg_error_t *err)
{
	xmlNode *root = xmlDocGetRootElement(doc);
	const xmlNode *data = req->data;
	xmlDoc *v2 = NULL;
	int rc = 0;

	/* ACLs look at format-2 changes: translate an older patch first */
	if (vg_xml_is(data, "diff") && vg_xml_first(data, "diff-added") != NULL) {
		rc = cib_patch_v1_convert(data, &v2, err);
		data = v2 ? xmlDocGetRootElement(v2) : NULL;
	}
	if (rc == 0)
		rc = vg_cib_patch(root, data, err);
	if (rc == 0 && req->acl != NULL)
		rc = vg_cib_acl_check_patch(req->acl, cib, root, data, err);
	if (rc == 0 && patch != NULL)
		*patch = vg_xml_copy_doc(data);
	xmlFreeDoc(v2);
	return rc;
}

/* A whole CIB older than the current one is refused; a newer one keeps its
 * version (*keep). */
static int check_whole_replace(const vg_cib_request_t *req, const vg_cib_version_t *before,
                               bool *keep, vg_error_t *err)
{
	vg_cib_version_t supplied;
	char b1[64], b2[64];

	*keep = false;
	if (!is_whole_replace(req))
		return 0;
	vg_cib_version_get(req->data, &supplied);
	if (vg_cib_version_cmp(&supplied, before) < 0 && !(req->flags & VG_CIB_F_FORCE_VERSION))
		return vg_error_set(
		    err, VG_EVERSION,
		    "replace: the new CIB's version %s is older than the current %s; "
		    "raise its epoch or admin_epoch",
		    vg_cib_version_str(&supplied, b1, sizeof(b1)),
		    vg_cib_version_str(before, b2, sizeof(b2)));
	*keep = vg_cib_version_cmp(&supplied, before) > 0;
	return 0;
}

/* After the change: bump the version by the rules and make *diff (computed
 * before the bump, NULL for a bare bump) carry the new version. */
static int settle_version(const xmlNode *cib, xmlNode *root, const vg_cib_request_t *req,
                          const vg_cib_version_t *before, bool keep, xmlDoc **diff, bool *config,
                          vg_error_t *err)
{
	*config = req->op == VG_CIB_OP_BUMP || vg_cib_patch_is_config(xmlDocGetRootElement(*diff));
	if (!keep) {
		vg_cib_version_set(root, before);
		if (*config)
			vg_cib_bump_config(root);
		else
			vg_cib_bump_status(root);
	}
	if (*diff == NULL)
		return vg_cib_diff(cib, root, 0, diff, err);
	refresh_root_change(xmlDocGetRootElement(*diff), cib, root);
	return 0;
}

int vg_cib_apply(const xmlNode *cib, const vg_cib_request_t *req, xmlDoc **new_cib, xmlDoc **patch,
                 vg_error_t *err)
{
	vg_cib_version_t before;
	xmlDoc *doc, *diff = NULL;
	xmlNode *root;
	bool config = true, keep = false;
	int rc;

	*new_cib = NULL;
	if (patch)
		*patch = NULL;
	if (!vg_xml_is(cib, "cib"))
		return vg_error_set(err, VG_EINVAL, "apply: not a CIB");
	vg_cib_version_get(cib, &before);
	rc = check_whole_replace(req, &before, &keep, err);
	if (rc != 0)
		return rc;
	doc = vg_xml_copy_doc(cib);
	root = xmlDocGetRootElement(doc);
	if (req->op == VG_CIB_OP_PATCH) {
		rc = apply_patch(cib, req, doc, &diff, err);
	} else {
		rc = run_op(root, req, err);
		if (rc == 0)
			rc = vg_cib_diff(cib, root, 0, &diff, err);
		if (rc == 0 && diff == NULL && req->op != VG_CIB_OP_BUMP) {
			*new_cib = doc; /* nothing changed: no new version */
			return 0;
		}
		if (rc == 0 && diff != NULL && req->acl != NULL)
			rc = vg_cib_acl_check_patch(req->acl, cib, root, xmlDocGetRootElement(diff),
			                            err);
		if (rc == 0)
			rc = settle_version(cib, root, req, &before, keep, &diff, &config, err);
	}
	/* status writes come from the cluster itself and are not validated */
	if (rc == 0 && (config || is_whole_replace(req)) && !(req->flags & VG_CIB_F_NO_VALIDATE))
		rc = cib_validate_result(doc, err);
	if (rc != 0) {
		xmlFreeDoc(diff);
		xmlFreeDoc(doc);
		return rc;
	}
	if (patch != NULL)
		*patch = diff;
	else
		xmlFreeDoc(diff);
	*new_cib = doc;
	return 0;
}
