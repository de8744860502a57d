/*
 * crmconf_delete.c: `vigil configure delete ID...` on the in-memory
 * configuration.
 *
 * Owns what else goes with an object: constraints naming a deleted
 * resource (attributes) are deleted, set members and tag references are
 * removed and sets, constraints or tags left empty go, a group or clone
 * left without members goes too (as crmsh does).  Never writes the CIB.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include "crmconf_private.h"

static bool refers(const xmlNode *con, const char *id)
{
	static const char *const attrs[] = {"rsc", "with-rsc", "first", "then"};
	for (size_t i = 0; i < G_N_ELEMENTS(attrs); i++)
		if (g_strcmp0(vg_xml_get(con, attrs[i]), id) == 0)
			return true;
	return false;
}

/* Drop references to a deleted resource: constraints naming it go, set
 * members are removed and sets or constraints left empty go too. */
static void drop_refs(xmlNode *cons, const char *id)
{
	xmlNode *con = vg_xml_first(cons, NULL), *next;
	for (; con; con = next) {
		next = vg_xml_next(con, NULL);
		if (refers(con, id)) {
			xmlUnlinkNode(con);
			xmlFreeNode(con);
			continue;
		}
		xmlNode *set = vg_xml_first(con, "resource_set"), *snext;
		bool had_sets = set != NULL;
		for (; set; set = snext) {
			snext = vg_xml_next(set, "resource_set");
			xmlNode *ref = vg_xml_first(set, "resource_ref"), *rnext;
			for (; ref; ref = rnext) {
				rnext = vg_xml_next(ref, "resource_ref");
				if (g_strcmp0(vg_xml_get(ref, "id"), id) == 0) {
					xmlUnlinkNode(ref);
					xmlFreeNode(ref);
				}
			}
			if (!vg_xml_first(set, "resource_ref")) {
				xmlUnlinkNode(set);
				xmlFreeNode(set);
			}
		}
		if (had_sets && !vg_xml_first(con, "resource_set")) {
			xmlUnlinkNode(con);
			xmlFreeNode(con);
		}
	}
}

/* Tags lose the deleted resources; a tag left empty goes. */
static void drop_tag_refs(xmlNode *tags, const GPtrArray *gone)
{
	xmlNode *tag = tags ? vg_xml_first(tags, "tag") : NULL, *tnext;
	for (; tag; tag = tnext) {
		tnext = vg_xml_next(tag, "tag");
		xmlNode *ref = vg_xml_first(tag, "obj_ref"), *rnext;
		for (; ref; ref = rnext) {
			rnext = vg_xml_next(ref, "obj_ref");
			for (guint i = 0; i < gone->len; i++)
				if (g_strcmp0(vg_xml_get(ref, "id"), g_ptr_array_index(gone, i)) ==
				    0) {
					xmlUnlinkNode(ref);
					xmlFreeNode(ref);
					break;
				}
		}
		if (!vg_xml_first(tag, "obj_ref")) {
			xmlUnlinkNode(tag);
			xmlFreeNode(tag);
		}
	}
}

static void collect_rsc_ids(xmlNode *n, GPtrArray *out)
{
	if (vg_xml_is(n, "primitive") || vg_xml_is(n, "group") || vg_xml_is(n, "clone") ||
	    vg_xml_is(n, "master") || vg_xml_is(n, "bundle"))
		g_ptr_array_add(out, g_strdup(vg_xml_get(n, "id")));
	xmlNode *c;
	VG_XML_FOREACH(c, n, NULL)
	collect_rsc_ids(c, out);
}

int cc_delete(cc_ctx_t *ctx, const char *id, vg_error_t *err)
{
	xmlNode *n = g_hash_table_lookup(ctx->ids, id);
	xmlNode *nodes = vg_xml_first(ctx->cfg, "nodes"), *x;
	if (!n)
		VG_XML_FOREACH(x, nodes, "node")
	if (g_strcmp0(vg_xml_get(x, "uname"), id) == 0)
		n = x;
	if (!n)
		return vg_error_set(err, VG_ENOENT, "no object with id '%s' in the configuration",
		                    id);
	GPtrArray *gone = g_ptr_array_new_with_free_func(g_free);
	collect_rsc_ids(n, gone);
	xmlNode *parent = n->parent;
	xmlUnlinkNode(n);
	xmlFreeNode(n);
	/* a group or clone left empty by deleting its member goes too (as crmsh) */
	while (parent &&
	       (vg_xml_is(parent, "group") || vg_xml_is(parent, "clone") ||
	        vg_xml_is(parent, "master")) &&
	       !vg_xml_first(parent, "primitive") && !vg_xml_first(parent, "group")) {
		xmlNode *up = parent->parent;
		g_ptr_array_add(gone, g_strdup(vg_xml_get(parent, "id")));
		xmlUnlinkNode(parent);
		xmlFreeNode(parent);
		parent = up;
	}
	xmlNode *cons = vg_xml_first(ctx->cfg, "constraints");
	for (guint i = 0; cons && i < gone->len; i++)
		drop_refs(cons, g_ptr_array_index(gone, i));
	drop_tag_refs(vg_xml_first(ctx->cfg, "tags"), gone);
	g_ptr_array_unref(gone);
	cc_reindex(ctx);
	return 0;
}
