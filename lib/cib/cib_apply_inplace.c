/*
 * vg_cib_apply_inplace: the transaction of vg_cib_apply on the caller's own
 * document, for the controller's frequent writes to a large CIB.  Copying a
 * 25 MB CIB and diffing it whole costs ~0.4 s per write; here create,
 * modify, replace and delete change the document directly, the patch is
 * made from what they touched (a copy of the modified element with its
 * ancestors, so paths come out right), and an undo log restores the
 * document when a later step (validation) refuses the result.
 * Requests this file does not handle (ACL-restricted users, erase, upgrade,
 * bump, patch, replace or modify of the <cib> element, modify of every XPath
 * match, creating a missing section) run through vg_cib_apply on a copy,
 * whose result then becomes the document's root.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#define VG_LOG_SUBSYS "cib"
#include "cib_private.h"

enum step_kind { STEP_CREATED, STEP_UNLINKED, STEP_MODIFIED };

struct step {
	enum step_kind kind;
	xmlNode *node;   /* CREATED: the new node; UNLINKED: the removed one;
	                    MODIFIED: the live element */
	xmlNode *parent; /* UNLINKED: where it was */
	xmlNode *prev;
	xmlDoc *snapshot; /* MODIFIED: ancestors + a deep copy of the element */
	xmlNode *saved;   /* MODIFIED: the copy inside snapshot */
};

struct txn {
	xmlNode *cib;
	xmlNode *diff; /* patch root */
	GArray *steps; /* struct step */
};

/* A document holding shallow copies of n's ancestors and a deep copy of n;
 * returns the copy of n. */
static xmlNode *snapshot(const xmlNode *n, xmlDoc **out)
{
	GPtrArray *chain = g_ptr_array_new();
	xmlDoc *doc = xmlNewDoc((const xmlChar *)"1.0");
	xmlNode *parent = NULL, *copy;

	for (const xmlNode *p = n->parent; p && p->type == XML_ELEMENT_NODE; p = p->parent)
		g_ptr_array_add(chain, (gpointer)p);
	for (guint i = chain->len; i > 0; i--) {
		xmlNode *c = xmlDocCopyNode(g_ptr_array_index(chain, i - 1), doc, 2);

		if (parent == NULL)
			xmlDocSetRootElement(doc, c);
		else
			xmlAddChild(parent, c);
		parent = c;
	}
	copy = xmlDocCopyNode((xmlNode *)n, doc, 1);
	if (parent == NULL)
		xmlDocSetRootElement(doc, copy);
	else
		xmlAddChild(parent, copy);
	g_ptr_array_unref(chain);
	*out = doc;
	return copy;
}

static void add_step(struct txn *t, struct step s)
{
	g_array_append_val(t->steps, s);
}

static void undo(struct txn *t)
{
	for (guint i = t->steps->len; i > 0; i--) {
		struct step *s = &g_array_index(t->steps, struct step, i - 1);

		switch (s->kind) {
		case STEP_CREATED:
			xmlUnlinkNode(s->node);
			xmlFreeNode(s->node);
			break;
		case STEP_UNLINKED:
			if (s->prev != NULL)
				xmlAddNextSibling(s->prev, s->node);
			else if (s->parent->children != NULL)
				xmlAddPrevSibling(s->parent->children, s->node);
			else
				xmlAddChild(s->parent, s->node);
			break;
		case STEP_MODIFIED: {
			xmlNode *back = xmlDocCopyNode(s->saved, t->cib->doc, 1);

			xmlReplaceNode(s->node, back);
			xmlFreeNode(s->node);
			break;
		}
		}
	}
}

static void finish(struct txn *t, bool committed)
{
	for (guint i = 0; i < t->steps->len; i++) {
		struct step *s = &g_array_index(t->steps, struct step, i);

		if (committed && s->kind == STEP_UNLINKED)
			xmlFreeNode(s->node);
		if (s->snapshot)
			xmlFreeDoc(s->snapshot);
	}
	g_array_free(t->steps, TRUE);
}

static xmlNode *new_change(struct txn *t, const char *op, const xmlNode *at)
{
	xmlNode *c = vg_xml_new_child(t->diff, "change");
	char *path = cib_node_path(at);

	vg_xml_set(c, "operation", op);
	vg_xml_set(c, "path", path);
	g_free(path);
	return c;
}

static void append_create(struct txn *t, xmlNode *parent, const xmlNode *data)
{
	xmlNode *c = xmlDocCopyNode((xmlNode *)data, parent->doc, 1);
	xmlNode *change;

	xmlAddChild(parent, c);
	add_step(t, (struct step){.kind = STEP_CREATED, .node = c});
	change = new_change(t, "create", parent);
	vg_xml_set_int(change, "position", cib_node_position(c));
	xmlAddChild(change, xmlDocCopyNode((xmlNode *)data, t->diff->doc, 1));
}

static void unlink_node(struct txn *t, xmlNode *n)
{
	xmlNode *change = new_change(t, "delete", n);

	vg_xml_set_int(change, "position", cib_node_position(n));
	add_step(t, (struct step){
	                .kind = STEP_UNLINKED, .node = n, .parent = n->parent, .prev = n->prev});
	xmlUnlinkNode(n);
}

static void modify_element(struct txn *t, xmlNode *el, const xmlNode *data)
{
	struct step s = {.kind = STEP_MODIFIED, .node = el};

	s.saved = snapshot(el, &s.snapshot);
	cib_merge(el, data);
	add_step(t, s);
	cib_diff_subtree(t->diff, s.saved, el);
}

/* Does cib_node_path(n) name n and nothing else?  Not when n or an
 * ancestor shares its name and id (or lack of one) with a sibling. */
static bool path_unique(const xmlNode *n)
{
	for (; n != NULL && n->type == XML_ELEMENT_NODE; n = n->parent) {
		const char *id = vg_xml_get(n, "id");

		for (const xmlNode *s = n->parent ? n->parent->children : NULL; s; s = s->next)
			if (s != n && s->type == XML_ELEMENT_NODE &&
			    strcmp((const char *)s->name, (const char *)n->name) == 0 &&
			    g_strcmp0(vg_xml_get(s, "id"), id) == 0)
				return false;
	}
	return true;
}

/* 1: not for this file (use the copy path); 0 done; <0 error. */
static int run(struct txn *t, const vg_cib_request_t *req, vg_error_t *err)
{
	xmlNode *cib = t->cib, *target, *el;
	GPtrArray *hits;
	int rc;

	switch (req->op) {
	case VG_CIB_OP_CREATE:
		if (req->data == NULL || vg_cib_section_xpath(vg_xml_name(req->data)) != NULL)
			return 1;
		rc = cib_create_locate(cib, req->section, req->data, false, &target, err);
		if (rc == VG_ENOENT) {
			vg_error_clear(err);
			return 1; /* a section to create first */
		}
		if (rc != 0)
			return rc;
		if (!path_unique(target))
			return 1;
		append_create(t, target, req->data);
		return 0;
	case VG_CIB_OP_MODIFY:
		if (req->xpath != NULL && (req->flags & VG_CIB_F_ALL_MATCHES))
			return 1;
		rc = cib_modify_locate(cib, req->section, req->xpath, req->data,
		                       req->flags & ~VG_CIB_F_CREATE_MISSING, &target, &el, err);
		if (rc == VG_ENOENT && (req->flags & VG_CIB_F_CREATE_MISSING)) {
			vg_error_clear(err);
			return 1;
		}
		if (rc != 0)
			return rc;
		if (el == cib || !path_unique(el))
			return 1;
		modify_element(t, el, req->data);
		return 0;
	case VG_CIB_OP_REPLACE:
		rc = cib_replace_locate(cib, req->section, req->xpath, req->data, &el, err);
		if (rc != 0)
			return rc;
		if (el == cib || el->parent == cib || !path_unique(el))
			return 1; /* the whole cib, or a top-level section */
		target = el->parent;
		{
			int pos = cib_node_position(el);
			xmlNode *copy = xmlDocCopyNode((xmlNode *)req->data, cib->doc, 1);
			xmlNode *change;

			unlink_node(t, el);
			cib_insert_at(target, copy, pos);
			add_step(t, (struct step){.kind = STEP_CREATED, .node = copy});
			change = new_change(t, "create", target);
			vg_xml_set_int(change, "position", pos);
			xmlAddChild(change, xmlDocCopyNode((xmlNode *)req->data, t->diff->doc, 1));
		}
		return 0;
	case VG_CIB_OP_DELETE:
		rc = cib_delete_locate(cib, req->section, req->xpath, req->data, &hits, err);
		if (rc != 0)
			return rc;
		for (guint i = 0; i < hits->len; i++)
			if (!path_unique(g_ptr_array_index(hits, i))) {
				g_ptr_array_unref(hits);
				return 1;
			}
		for (guint i = 0; i < hits->len; i++)
			unlink_node(t, g_ptr_array_index(hits, i));
		g_ptr_array_unref(hits);
		return 0;
	default:
		return 1;
	}
}

/* The copy path: vg_cib_apply, then its result becomes the root. */
static int via_copy(xmlDoc *doc, const vg_cib_request_t *req, xmlDoc **patch, vg_error_t *err)
{
	xmlDoc *out = NULL;
	xmlNode *root;
	int rc = vg_cib_apply(xmlDocGetRootElement(doc), req, &out, patch, err);

	if (rc != 0)
		return rc;
	root = xmlDocGetRootElement(out);
	xmlUnlinkNode(root);
	xmlFreeNode(xmlDocSetRootElement(doc, root));
	xmlFreeDoc(out);
	return 0;
}

int vg_cib_apply_inplace(xmlDoc *doc, const vg_cib_request_t *req, xmlDoc **patch, vg_error_t *err)
{
	xmlNode *cib = xmlDocGetRootElement(doc);
	struct txn t = {.cib = cib};
	xmlDoc *diff, *before_doc;
	xmlNode *before;
	bool config;
	int rc;

	if (patch)
		*patch = NULL;
	if (!vg_xml_is(cib, "cib"))
		return vg_error_set(err, VG_EINVAL, "apply: not a CIB");
	if (req->acl != NULL)
		return via_copy(doc, req, patch, err);
	/* the <cib> element's attributes as they were, for the version change */
	before_doc = xmlNewDoc((const xmlChar *)"1.0");
	before = xmlDocCopyNode(cib, before_doc, 2);
	xmlDocSetRootElement(before_doc, before);
	diff = cib_diff_new(before, cib);
	t.diff = xmlDocGetRootElement(diff);
	t.steps = g_array_new(FALSE, TRUE, sizeof(struct step));
	rc = run(&t, req, err);
	if (rc == 1) {
		finish(&t, false);
		xmlFreeDoc(diff);
		xmlFreeDoc(before_doc);
		return via_copy(doc, req, patch, err);
	}
	if (rc != 0 || vg_xml_next(vg_xml_first(t.diff, "version"), "change") == NULL) {
		/* failed, or changed nothing: no new version */
		undo(&t);
		finish(&t, false);
		xmlFreeDoc(diff);
		xmlFreeDoc(before_doc);
		return rc;
	}
	config = vg_cib_patch_is_config(t.diff);
	if (config)
		vg_cib_bump_config(cib);
	else
		vg_cib_bump_status(cib);
	cib_diff_root_attrs(t.diff, before, cib);
	{
		vg_cib_version_t v;

		vg_cib_version_get(cib, &v);
		vg_cib_version_set(vg_xml_first(vg_xml_first(t.diff, "version"), "target"), &v);
	}
	if (config && !(req->flags & VG_CIB_F_NO_VALIDATE))
		rc = cib_validate_result(doc, err);
	if (rc != 0) {
		vg_cib_version_t v;

		undo(&t);
		vg_cib_version_get(before, &v);
		vg_cib_version_set(cib, &v);
		finish(&t, false);
		xmlFreeDoc(diff);
		xmlFreeDoc(before_doc);
		return rc;
	}
	finish(&t, true);
	xmlFreeDoc(before_doc);
	if (patch)
		*patch = diff;
	else
		xmlFreeDoc(diff);
	return 0;
}
