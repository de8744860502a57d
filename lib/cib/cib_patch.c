/*
 * Applying a patch (format in include/vigil/cib.h) to a CIB in place, all or
 * nothing: every step is recorded in an undo log and unwound in reverse
 * order when a later step fails, so a replica never holds half a patch and
 * no 25 MB copy is needed per update.  Pass 1 runs the changes in order
 * (creates append); pass 2 puts created and moved elements at their
 * positions, in order, which is how Pacemaker's format-2 patchsets replay too.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <stdlib.h>
#include <string.h>

#define VG_LOG_SUBSYS "cib"
#include "cib_private.h"

enum undo_kind { UNDO_UNLINKED, UNDO_CREATED, UNDO_ATTRS, UNDO_MOVED };

struct undo {
	enum undo_kind kind;
	xmlNode *node;
	xmlNode *parent;  /* UNLINKED/MOVED: where it was */
	xmlNode *prev;    /* the sibling before it, NULL when first */
	GPtrArray *attrs; /* ATTRS: the element's old attributes, name/value pairs in order */
};

struct patch_run {
	xmlNode *cib;
	GArray *undo;       /* struct undo */
	GPtrArray *placing; /* pairs: node, GINT_TO_POINTER(position) for pass 2 */
};

static void set_all_attrs(xmlNode *n, const GPtrArray *attrs);

static void remember_place(struct patch_run *r, enum undo_kind kind, xmlNode *n)
{
	struct undo u = {.kind = kind, .node = n, .parent = n->parent, .prev = n->prev};

	g_array_append_val(r->undo, u);
}

static void restore_place(struct undo *u)
{
	xmlUnlinkNode(u->node);
	if (u->prev != NULL)
		xmlAddNextSibling(u->prev, u->node);
	else if (u->parent->children != NULL)
		xmlAddPrevSibling(u->parent->children, u->node);
	else
		xmlAddChild(u->parent, u->node);
}

static void unwind(struct patch_run *r)
{
	for (guint i = r->undo->len; i > 0; i--) {
		struct undo *u = &g_array_index(r->undo, struct undo, i - 1);

		switch (u->kind) {
		case UNDO_UNLINKED:
		case UNDO_MOVED:
			restore_place(u);
			break;
		case UNDO_CREATED:
			xmlUnlinkNode(u->node);
			xmlFreeNode(u->node);
			break;
		case UNDO_ATTRS:
			set_all_attrs(u->node, u->attrs);
			break;
		}
	}
}

/* Success: free what the patch deleted; drop the log. */
static void commit(struct patch_run *r)
{
	for (guint i = 0; i < r->undo->len; i++) {
		struct undo *u = &g_array_index(r->undo, struct undo, i);

		if (u->kind == UNDO_UNLINKED)
			xmlFreeNode(u->node);
	}
}

static void free_run(struct patch_run *r)
{
	for (guint i = 0; i < r->undo->len; i++) {
		struct undo *u = &g_array_index(r->undo, struct undo, i);

		if (u->attrs)
			g_ptr_array_unref(u->attrs);
	}
	g_array_free(r->undo, TRUE);
	g_ptr_array_unref(r->placing);
}

/* Snapshot of n's attributes, name/value pairs in document order. */
static GPtrArray *all_attrs(const xmlNode *n)
{
	GPtrArray *a = g_ptr_array_new_with_free_func(g_free);

	for (const xmlAttr *p = n->properties; p != NULL; p = p->next) {
		g_ptr_array_add(a, g_strdup((const char *)p->name));
		g_ptr_array_add(a, g_strdup(vg_xml_get(n, (const char *)p->name)));
	}
	return a;
}

static void set_all_attrs(xmlNode *n, const GPtrArray *attrs)
{
	while (n->properties != NULL)
		xmlRemoveProp(n->properties);
	for (guint i = 0; i + 1 < attrs->len; i += 2)
		vg_xml_set(n, g_ptr_array_index(attrs, i), g_ptr_array_index(attrs, i + 1));
}

/* Record n's attributes before the patch changes them. */
static void remember_attrs(struct patch_run *r, xmlNode *n)
{
	struct undo u = {.kind = UNDO_ATTRS, .node = n, .attrs = all_attrs(n)};

	g_array_append_val(r->undo, u);
}

/* Put n's attributes in the order of `like` (same set), so that the result
 * is canonically equal to the document the patch was made from. */
static void order_like(xmlNode *n, const xmlNode *like)
{
	GPtrArray *want = all_attrs(like);
	unsigned have = 0;
	bool same = true;

	for (const xmlAttr *p = n->properties; p != NULL; p = p->next)
		have++;
	if (have * 2 != want->len)
		same = false;
	for (guint i = 0; same && i + 1 < want->len; i += 2)
		if (vg_xml_get(n, g_ptr_array_index(want, i)) == NULL)
			same = false;
	if (same) {
		const xmlAttr *p = n->properties;

		for (guint i = 0; p != NULL; p = p->next, i += 2)
			if (strcmp((const char *)p->name, g_ptr_array_index(want, i)) != 0)
				break;
		if (p != NULL) {
			for (guint i = 0; i + 1 < want->len; i += 2) {
				g_free(g_ptr_array_index(want, i + 1));
				want->pdata[i + 1] =
				    g_strdup(vg_xml_get(n, g_ptr_array_index(want, i)));
			}
			set_all_attrs(n, want);
		}
	}
	g_ptr_array_unref(want);
}

static int get_position(const xmlNode *change, int *pos)
{
	const char *s = vg_xml_get(change, "position");
	char *end;
	long v;

	if (s == NULL)
		return 0;
	v = strtol(s, &end, 10);
	if (*end != '\0' || v < 0 || v > INT32_MAX)
		return VG_EINVAL;
	*pos = (int)v;
	return 0;
}

static int do_create(struct patch_run *r, xmlNode *target, const xmlNode *change, vg_error_t *err)
{
	const xmlNode *data = vg_xml_first(change, NULL);
	xmlNode *copy;
	int pos = -1;

	if (data == NULL)
		return vg_error_set(err, VG_EINVAL, "patch: create at %s carries no element",
		                    vg_xml_get(change, "path"));
	if (get_position(change, &pos) != 0)
		return vg_error_set(err, VG_EINVAL, "patch: bad position in create at %s",
		                    vg_xml_get(change, "path"));
	copy = xmlDocCopyNode((xmlNode *)data, target->doc, 1);
	xmlAddChild(target, copy);
	{
		struct undo u = {.kind = UNDO_CREATED, .node = copy};

		g_array_append_val(r->undo, u);
	}
	if (pos >= 0) {
		g_ptr_array_add(r->placing, copy);
		g_ptr_array_add(r->placing, GINT_TO_POINTER(pos));
	}
	return 0;
}

static int do_modify(struct patch_run *r, xmlNode *target, const xmlNode *change, vg_error_t *err)
{
	const xmlNode *list = vg_xml_first(change, "change-list");
	const xmlNode *res = vg_xml_first(vg_xml_first(change, "change-result"), NULL);
	const xmlNode *ca;

	remember_attrs(r, target);
	if (list == NULL) {
		/* older form: only the result; make the attributes equal to it */
		if (res == NULL)
			return vg_error_set(err, VG_EINVAL, "patch: modify of %s lists no changes",
			                    vg_xml_get(change, "path"));
		GPtrArray *a = all_attrs(res);

		set_all_attrs(target, a);
		g_ptr_array_unref(a);
		return 0;
	}
	VG_XML_FOREACH(ca, list, "change-attr")
	{
		const char *name = vg_xml_get(ca, "name");
		const char *op = vg_xml_get(ca, "operation");

		if (name == NULL || op == NULL)
			return vg_error_set(err, VG_EINVAL,
			                    "patch: change-attr without name or operation at %s",
			                    vg_xml_get(change, "path"));
		if (strcmp(op, "set") == 0) {
			const char *v = vg_xml_get(ca, "value");

			vg_xml_set(target, name, v ? v : "");
		} else if (strcmp(op, "unset") == 0) {
			vg_xml_set(target, name, NULL);
		} else {
			return vg_error_set(err, VG_EINVAL,
			                    "patch: unknown attribute operation '%s' at %s", op,
			                    vg_xml_get(change, "path"));
		}
	}
	if (res != NULL)
		order_like(target, res);
	return 0;
}

static int pass_one(struct patch_run *r, const xmlNode *patch, vg_error_t *err)
{
	const xmlNode *change;
	int rc;

	VG_XML_FOREACH(change, patch, "change")
	{
		const char *op = vg_xml_get(change, "operation");
		const char *path = vg_xml_get(change, "path");
		xmlNode *target;

		if (op == NULL || path == NULL)
			return vg_error_set(err, VG_EINVAL,
			                    "patch: a change lacks operation or path");
		target = cib_path_resolve(r->cib, path);
		if (target == NULL)
			return vg_error_set(err, VG_ENOENT, "patch: %s %s: no such element", op,
			                    path);
		if (strcmp(op, "create") == 0) {
			rc = do_create(r, target, change, err);
		} else if (strcmp(op, "delete") == 0) {
			if (target == r->cib)
				return vg_error_set(err, VG_EINVAL,
				                    "patch: cannot delete the <cib> element");
			remember_place(r, UNDO_UNLINKED, target);
			xmlUnlinkNode(target);
			rc = 0;
		} else if (strcmp(op, "modify") == 0) {
			rc = do_modify(r, target, change, err);
		} else if (strcmp(op, "move") == 0) {
			int pos = -1;

			if (get_position(change, &pos) != 0 || pos < 0)
				return vg_error_set(err, VG_EINVAL,
				                    "patch: move of %s without a valid position",
				                    path);
			g_ptr_array_add(r->placing, target);
			g_ptr_array_add(r->placing, GINT_TO_POINTER(pos));
			rc = 0;
		} else {
			return vg_error_set(err, VG_EINVAL, "patch: unknown operation '%s' at %s",
			                    op, path);
		}
		if (rc != 0)
			return rc;
	}
	return 0;
}

static void pass_two(struct patch_run *r)
{
	for (guint i = 0; i + 1 < r->placing->len; i += 2) {
		xmlNode *n = g_ptr_array_index(r->placing, i);
		int pos = GPOINTER_TO_INT(g_ptr_array_index(r->placing, i + 1));
		xmlNode *parent = n->parent;

		if (parent == NULL || cib_node_position(n) == pos)
			continue;
		remember_place(r, UNDO_MOVED, n);
		xmlUnlinkNode(n);
		cib_insert_at(parent, n, pos);
	}
}

int vg_cib_patch_versions(const xmlNode *patch, vg_cib_version_t *source, vg_cib_version_t *target,
                          vg_error_t *err)
{
	if (vg_xml_is(patch, "diff") && vg_xml_first(patch, "diff-added") != NULL) {
		if (source)
			vg_cib_version_get(vg_xml_first(patch, "diff-removed"), source);
		if (target)
			vg_cib_version_get(vg_xml_first(patch, "diff-added"), target);
		return 0;
	}
	const xmlNode *ver = vg_xml_first(patch, "version");
	const xmlNode *s = vg_xml_first(ver, "source"), *t = vg_xml_first(ver, "target");

	if (!vg_xml_is(patch, "diff") || g_strcmp0(vg_xml_get(patch, "format"), "2") != 0)
		return vg_error_set(err, VG_EINVAL,
		                    "patch: not a <diff format=\"2\"> patch (root <%s>)",
		                    vg_xml_name(patch));
	if (s == NULL || t == NULL)
		return vg_error_set(err, VG_EINVAL, "patch: no <version> source and target");
	if (source)
		vg_cib_version_get(s, source);
	if (target)
		vg_cib_version_get(t, target);
	return 0;
}

bool vg_cib_patch_is_config(const xmlNode *patch)
{
	const xmlNode *c;

	VG_XML_FOREACH(c, patch, "change")
	{
		const char *path = vg_xml_get(c, "path");

		if (path == NULL)
			continue;
		if (strcmp(path, "/cib") == 0) {
			const xmlNode *ca;

			VG_XML_FOREACH(ca, vg_xml_first(c, "change-list"), "change-attr")
			if (!vg_cib_attr_is_volatile(vg_xml_get(ca, "name") ?: ""))
				return true;
			continue;
		}
		if (g_str_has_prefix(path, "/cib/configuration"))
			return true;
		if (!g_str_has_prefix(path, "/cib/status"))
			return true;
	}
	return false;
}

static bool is_format1(const xmlNode *patch)
{
	const char *f = vg_xml_get(patch, "format");

	return vg_xml_is(patch, "diff") &&
	       (g_strcmp0(f, "1") == 0 || (f == NULL && vg_xml_first(patch, "diff-added")));
}

int vg_cib_patch(xmlNode *cib, const xmlNode *patch, vg_error_t *err)
{
	struct patch_run r = {.cib = cib};
	vg_cib_version_t src, dst, cur;
	char b1[64], b2[64];
	int rc;

	if (is_format1(patch)) {
		xmlDoc *v2 = NULL;

		rc = cib_patch_v1_convert(patch, &v2, err);
		if (rc == 0)
			rc = vg_cib_patch(cib, xmlDocGetRootElement(v2), err);
		xmlFreeDoc(v2);
		return rc;
	}
	rc = vg_cib_patch_versions(patch, &src, &dst, err);
	if (rc != 0)
		return rc;
	vg_cib_version_get(cib, &cur);
	if (vg_cib_version_cmp(&cur, &src) != 0)
		return vg_error_set(err, VG_EVERSION,
		                    "patch: made for version %s but the CIB is at %s; resync the "
		                    "whole CIB",
		                    vg_cib_version_str(&src, b1, sizeof(b1)),
		                    vg_cib_version_str(&cur, b2, sizeof(b2)));
	r.undo = g_array_new(FALSE, FALSE, sizeof(struct undo));
	r.placing = g_ptr_array_new();
	rc = pass_one(&r, patch, err);
	if (rc == 0) {
		pass_two(&r);
		remember_attrs(&r, cib);
		vg_cib_version_set(cib, &dst);
		if (vg_xml_get(patch, "vigil-digest") != NULL) {
			char *dg = vg_xml_digest(cib);

			if (strcmp(dg, vg_xml_get(patch, "vigil-digest")) != 0)
				rc = vg_error_set(err, VG_EFAILED,
				                  "patch: the result's digest %s differs from the "
				                  "patch's %s; resync the whole CIB",
				                  dg, vg_xml_get(patch, "vigil-digest"));
			g_free(dg);
		}
	}
	if (rc != 0)
		unwind(&r);
	else
		commit(&r);
	free_run(&r);
	return rc;
}
