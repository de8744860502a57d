/*
 * Pacemaker's older patch format (<diff format="1">, what `crm_diff` prints
 * by default), accepted by vg_cib_patch for interoperability:
 *   <diff format="1">
 *     <diff-removed admin_epoch= epoch= num_updates=><cib>..</cib></diff-removed>
 *     <diff-added admin_epoch= epoch= num_updates=><cib>..</cib></diff-added>
 *   </diff>
 * Both halves mirror the document from <cib> down, elements matched by name
 * and id.  In diff-removed, an element marked __crm_diff_marker__="removed:top"
 * goes away whole; otherwise its attributes (except id) are removed.  In
 * diff-added, an element marked "added:top" is created (appended); otherwise
 * its attributes are set.  This file only translates format 1 into format 2
 * (cib_patch.c applies it, all or nothing); vigil never writes format 1.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#define VG_LOG_SUBSYS "cib"
#include "cib_private.h"

#define MARKER "__crm_diff_marker__"

static char *step_of(const xmlNode *n)
{
	const char *id = vg_xml_get(n, "id");

	if (id == NULL)
		return g_strdup_printf("/%s", vg_xml_name(n));
	return g_strdup_printf(strchr(id, '\'') ? "/%s[@id=\"%s\"]" : "/%s[@id='%s']",
	                       vg_xml_name(n), id);
}

static xmlNode *change(xmlNode *out, const char *op, const char *path)
{
	xmlNode *c = vg_xml_new_child(out, "change");

	vg_xml_set(c, "operation", op);
	vg_xml_set(c, "path", path);
	return c;
}

static void attr_change(xmlNode **list, xmlNode *out, const char *path, const char *name,
                        const char *value)
{
	xmlNode *ca;

	if (*list == NULL)
		*list = vg_xml_new_child(change(out, "modify", path), "change-list");
	ca = vg_xml_new_child(*list, "change-attr");
	vg_xml_set(ca, "name", name);
	vg_xml_set(ca, "operation", value ? "set" : "unset");
	if (value)
		vg_xml_set(ca, "value", value);
}

static bool is_version_attr(const char *name)
{
	return strcmp(name, "admin_epoch") == 0 || strcmp(name, "epoch") == 0 ||
	       strcmp(name, "num_updates") == 0;
}

static void removed(const xmlNode *n, const char *parent_path, xmlNode *out)
{
	char *step = step_of(n);
	char *path = g_strconcat(parent_path, step, NULL);
	const char *mark = vg_xml_get(n, MARKER);
	xmlNode *list = NULL;

	if (mark != NULL && g_str_has_prefix(mark, "removed")) {
		change(out, "delete", path);
	} else {
		for (const xmlAttr *a = n->properties; a != NULL; a = a->next) {
			const char *name = (const char *)a->name;

			if (strcmp(name, "id") == 0 || strcmp(name, MARKER) == 0 ||
			    (vg_xml_is(n, "cib") && is_version_attr(name)))
				continue;
			attr_change(&list, out, path, name, NULL);
		}
		for (const xmlNode *c = vg_xml_first(n, NULL); c; c = vg_xml_next(c, NULL))
			removed(c, path, out);
	}
	g_free(step);
	g_free(path);
}

static void strip_markers(xmlNode *n)
{
	vg_xml_set(n, MARKER, NULL);
	for (xmlNode *c = vg_xml_first(n, NULL); c; c = vg_xml_next(c, NULL))
		strip_markers(c);
}

static void added(const xmlNode *n, const char *parent_path, xmlNode *out)
{
	char *step = step_of(n);
	char *path = g_strconcat(parent_path, step, NULL);
	const char *mark = vg_xml_get(n, MARKER);
	xmlNode *list = NULL;

	if (mark != NULL && g_str_has_prefix(mark, "added")) {
		xmlNode *c = change(out, "create", parent_path);
		xmlNode *copy = xmlDocCopyNode((xmlNode *)n, out->doc, 1);

		strip_markers(copy);
		xmlAddChild(c, copy);
	} else {
		for (const xmlAttr *a = n->properties; a != NULL; a = a->next) {
			const char *name = (const char *)a->name;

			if (strcmp(name, "id") == 0 || strcmp(name, MARKER) == 0 ||
			    (vg_xml_is(n, "cib") && is_version_attr(name)))
				continue;
			attr_change(&list, out, path, name, vg_xml_get(n, name));
		}
		for (const xmlNode *c = vg_xml_first(n, NULL); c; c = vg_xml_next(c, NULL))
			added(c, path, out);
	}
	g_free(step);
	g_free(path);
}

int cib_patch_v1_convert(const xmlNode *v1, xmlDoc **out, vg_error_t *err)
{
	const xmlNode *rem = vg_xml_first(v1, "diff-removed");
	const xmlNode *add = vg_xml_first(v1, "diff-added");
	const xmlNode *rcib = vg_xml_first(rem, "cib"), *acib = vg_xml_first(add, "cib");
	xmlNode *root, *ver;
	vg_cib_version_t v;

	*out = NULL;
	if (rem == NULL || add == NULL)
		return vg_error_set(err, VG_EINVAL,
		                    "patch: a format 1 diff needs <diff-removed> and <diff-added>");
	*out = xmlNewDoc((const xmlChar *)"1.0");
	root = xmlNewNode(NULL, (const xmlChar *)"diff");
	xmlDocSetRootElement(*out, root);
	vg_xml_set(root, "format", "2");
	ver = vg_xml_new_child(root, "version");
	vg_cib_version_get(rem, &v);
	vg_cib_version_set(vg_xml_new_child(ver, "source"), &v);
	vg_cib_version_get(add, &v);
	vg_cib_version_set(vg_xml_new_child(ver, "target"), &v);
	/* removals first: an attribute both removed and added ends up set */
	if (rcib != NULL)
		removed(rcib, "", root);
	if (acib != NULL)
		added(acib, "", root);
	return 0;
}
