/*
 * fencing_meta.c: what agents this node can run, and fence-agent
 * self-descriptions (`fence_X -o metadata`, a <resource-agent> document
 * with <parameters> and <actions>).  Agent output is untrusted: parsed
 * with vg_xml_parse under tight limits, and anything odd is VG_EPARSE.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define VG_LOG_SUBSYS "fencing"
#include <string.h>
#include <unistd.h>

#include "fencing_private.h"

#define META_MAX_SIZE (1024u * 1024)

int vg_fence_metadata_parse(const char *xml, size_t len, GPtrArray **params, GPtrArray **actions,
                            vg_error_t *err)
{
	const vg_xml_limits_t limits = {
	    .max_size = META_MAX_SIZE, .max_depth = 16, .max_attr_len = 64 * 1024};
	xmlDoc *doc = NULL;
	xmlNode *root, *sec, *n;
	int rc = vg_xml_parse(xml, len, "fence agent metadata", &limits, &doc, err);
	if (rc != 0)
		return rc;
	root = xmlDocGetRootElement(doc);
	if (root == NULL || !vg_xml_is(root, "resource-agent")) {
		xmlFreeDoc(doc);
		return vg_error_set(err, VG_EPARSE,
		                    "fence agent metadata: root element is not <resource-agent>");
	}
	GPtrArray *p = g_ptr_array_new_with_free_func(g_free);
	GPtrArray *a = g_ptr_array_new_with_free_func(g_free);
	if ((sec = vg_xml_first(root, "parameters")) != NULL) {
		VG_XML_FOREACH(n, sec, "parameter")
		{
			const char *name = vg_xml_get(n, "name");
			if (name == NULL || *name == '\0' || strchr(name, '=') ||
			    strchr(name, '\n')) {
				rc =
				    vg_error_set(err, VG_EPARSE,
				                 "fence agent metadata: parameter without a usable "
				                 "name");
				goto out;
			}
			g_ptr_array_add(p, g_strdup(name));
		}
	}
	if ((sec = vg_xml_first(root, "actions")) != NULL) {
		VG_XML_FOREACH(n, sec, "action")
		{
			const char *name = vg_xml_get(n, "name");
			if (name != NULL && *name != '\0')
				g_ptr_array_add(a, g_strdup(name));
		}
	}
out:
	xmlFreeDoc(doc);
	if (rc != 0 || params == NULL)
		g_ptr_array_unref(p);
	else
		*params = p;
	if (rc != 0 || actions == NULL)
		g_ptr_array_unref(a);
	else
		*actions = a;
	return rc;
}

static void scan_dir(GPtrArray *out, const char *dir, const char *prefix, const char *label)
{
	GDir *d = g_dir_open(dir, 0, NULL);
	const char *name;
	if (d == NULL)
		return;
	while ((name = g_dir_read_name(d)) != NULL) {
		char *path;
		if (prefix != NULL && !g_str_has_prefix(name, prefix))
			continue;
		if (name[0] == '.')
			continue;
		path = g_build_filename(dir, name, NULL);
		if (g_file_test(path, G_FILE_TEST_IS_REGULAR) && access(path, X_OK) == 0)
			g_ptr_array_add(out, g_strconcat(label, name, NULL));
		g_free(path);
	}
	g_dir_close(d);
}

static gint cmp_str(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

GPtrArray *vg_fence_agent_list(void)
{
	GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
	scan_dir(out, fence_agent_dir(), "fence_", "");
	scan_dir(out, fence_external_dir(), NULL, "external/");
	g_ptr_array_add(out, g_strdup("vigil-http"));
	g_ptr_array_add(out, g_strdup("vigil-redfish"));
	g_ptr_array_sort(out, cmp_str);
	return out;
}
