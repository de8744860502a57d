/*
 * Computing a patch between two CIBs (format in include/vigil/cib.h).
 *
 * Elements correspond when they have the same name and id (id-less ones: the
 * same name, which must then be unique among their siblings).  Where a
 * correspondence is ambiguous (repeated name+id among siblings) or an
 * element's text changed, the element is replaced whole (delete + create),
 * so every patch applies exactly.  Children are ordered with the least
 * bookkeeping that a sequential replay gets right: deletes, then creates and
 * moves by ascending target position.  The common case (same children in the
 * same order) allocates nothing, which keeps a 25 MB diff fast.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#define VG_LOG_SUBSYS "cib"
#include "cib_private.h"

struct diff_ctx {
	xmlNode *root; /* <diff> */
};

static xmlNode *add_change(struct diff_ctx *d, const char *op, const xmlNode *at)
{
	xmlNode *c = vg_xml_new_child(d->root, "change");
	char *path = cib_node_path(at);

	vg_xml_set(c, "operation", op);
	vg_xml_set(c, "path", path);
	g_free(path);
	return c;
}

/* Same name and the same id (or both without one)? */
static bool same_key(const xmlNode *a, const xmlNode *b)
{
	return strcmp((const char *)a->name, (const char *)b->name) == 0 &&
	       g_strcmp0(vg_xml_get(a, "id"), vg_xml_get(b, "id")) == 0;
}

static char *key_of(const xmlNode *n)
{
	const char *id = vg_xml_get(n, "id");

	return id ? g_strconcat((const char *)n->name, "\x1f", id, NULL)
	          : g_strdup((const char *)n->name);
}

static GPtrArray *element_children(const xmlNode *n)
{
	GPtrArray *a = g_ptr_array_new();

	for (xmlNode *c = n->children; c != NULL; c = c->next)
		if (c->type == XML_ELEMENT_NODE)
			g_ptr_array_add(a, c);
	return a;
}

/* Repeated name+id among n's element children?  Small lists (the usual
 * case) are compared pairwise without allocating. */
static bool has_dup_keys(const xmlNode *n)
{
	GHashTable *seen;
	bool dup = false;
	unsigned count = 0;

	for (xmlNode *c = n->children; c != NULL; c = c->next)
		count += (c->type == XML_ELEMENT_NODE);
	if (count < 2)
		return false;
	if (count <= 16) {
		for (xmlNode *a = vg_xml_first(n, NULL); a != NULL; a = vg_xml_next(a, NULL))
			for (xmlNode *b = vg_xml_next(a, NULL); b != NULL; b = vg_xml_next(b, NULL))
				if (same_key(a, b))
					return true;
		return false;
	}
	seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	for (xmlNode *c = n->children; c != NULL && !dup; c = c->next) {
		char *k;

		if (c->type != XML_ELEMENT_NODE)
			continue;
		k = key_of(c);
		if (g_hash_table_contains(seen, k)) {
			dup = true;
			g_free(k);
		} else {
			g_hash_table_add(seen, k);
		}
	}
	g_hash_table_destroy(seen);
	return dup;
}

static char *text_of(const xmlNode *n)
{
	GString *s = NULL;

	for (const xmlNode *c = n->children; c != NULL; c = c->next) {
		if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) && c->content) {
			const char *t = (const char *)c->content;
			bool blank = true;

			for (const char *p = t; *p && blank; p++)
				blank = g_ascii_isspace(*p);
			if (blank)
				continue;
			if (s == NULL)
				s = g_string_new(NULL);
			g_string_append(s, t);
		}
	}
	return s ? g_string_free(s, FALSE) : NULL;
}

/* Can old be turned into new by changes below it, or must it be replaced? */
/* The same element children (name and id) in the same order? */
static bool same_child_keys(const xmlNode *o, const xmlNode *n)
{
	const xmlNode *a = vg_xml_first(o, NULL), *b = vg_xml_first(n, NULL);

	for (; a != NULL && b != NULL; a = vg_xml_next(a, NULL), b = vg_xml_next(b, NULL))
		if (!same_key(a, b))
			return false;
	return a == NULL && b == NULL;
}

static bool must_replace(const xmlNode *o, const xmlNode *n);

/* Would a child (same keys, same order) be replaced? */
static bool child_replaced(const xmlNode *o, const xmlNode *n)
{
	const xmlNode *a = vg_xml_first(o, NULL), *b = vg_xml_first(n, NULL);

	for (; a != NULL && b != NULL; a = vg_xml_next(a, NULL), b = vg_xml_next(b, NULL))
		if (must_replace(a, b))
			return true;
	return false;
}

static bool has_text(const xmlNode *n)
{
	for (const xmlNode *c = n->children; c != NULL; c = c->next)
		if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE)
			return true;
	return false;
}

static bool must_replace(const xmlNode *o, const xmlNode *n)
{
	char *to, *tn;
	bool differ;

	if (o->children == NULL && n->children == NULL)
		return false;
	if (!has_text(o) && !has_text(n))
		return has_dup_keys(o) || has_dup_keys(n);
	to = text_of(o);
	tn = text_of(n);
	differ = g_strcmp0(to, tn) != 0;
	/* mixed content: positions count elements only, so text could not be
	 * kept in place when the elements around it change; replace instead */
	if (!differ && to != NULL)
		differ = !same_child_keys(o, n) || child_replaced(o, n);
	g_free(to);
	g_free(tn);
	if (differ)
		return true;
	/* a repeat is only ambiguous when something below changes; checking
	 * both sides costs a hash per child, so only do it for small lists */
	return has_dup_keys(o) || has_dup_keys(n);
}

static const char *attr_value(const xmlAttr *a)
{
	if (a->children == NULL)
		return "";
	if (a->children->next == NULL && a->children->type == XML_TEXT_NODE)
		return a->children->content ? (const char *)a->children->content : "";
	return NULL; /* unusual (entity references): compare the slow way */
}

/* The usual case: the same attributes in the same order with equal values. */
static bool same_attrs(const xmlNode *o, const xmlNode *n)
{
	const xmlAttr *a = o->properties, *b = n->properties;

	for (; a != NULL && b != NULL; a = a->next, b = b->next) {
		const char *va = attr_value(a), *vb = attr_value(b);

		if (a->name != b->name && strcmp((const char *)a->name, (const char *)b->name) != 0)
			return false;
		if (va == NULL || vb == NULL || strcmp(va, vb) != 0)
			return false;
	}
	return a == NULL && b == NULL;
}

static void diff_attrs(struct diff_ctx *d, const xmlNode *o, const xmlNode *n)
{
	xmlNode *list = NULL, *change = NULL;

	if (same_attrs(o, n))
		return;

	for (const xmlAttr *a = n->properties; a != NULL; a = a->next) {
		const char *name = (const char *)a->name;
		const char *nv = vg_xml_get(n, name), *ov = vg_xml_get(o, name);
		xmlNode *ca;

		if (ov != NULL && strcmp(ov, nv) == 0)
			continue;
		if (list == NULL) {
			change = add_change(d, "modify", n);
			list = vg_xml_new_child(change, "change-list");
		}
		ca = vg_xml_new_child(list, "change-attr");
		vg_xml_set(ca, "name", name);
		vg_xml_set(ca, "operation", "set");
		vg_xml_set(ca, "value", nv);
	}
	for (const xmlAttr *a = o->properties; a != NULL; a = a->next) {
		const char *name = (const char *)a->name;
		xmlNode *ca;

		if (vg_xml_get(n, name) != NULL)
			continue;
		if (list == NULL) {
			change = add_change(d, "modify", n);
			list = vg_xml_new_child(change, "change-list");
		}
		ca = vg_xml_new_child(list, "change-attr");
		vg_xml_set(ca, "name", name);
		vg_xml_set(ca, "operation", "unset");
	}
	if (change == NULL) {
		/* same attributes in another order: canonical forms (and digests)
		 * differ, so record the order through the result alone */
		change = add_change(d, "modify", n);
		vg_xml_new_child(change, "change-list");
	}
	if (change != NULL) {
		xmlNode *res = vg_xml_new_child(change, "change-result");
		xmlNode *copy = xmlDocCopyNode((xmlNode *)n, d->root->doc, 2); /* attrs only */

		xmlAddChild(res, copy);
	}
}

static void diff_element(struct diff_ctx *d, const xmlNode *o, const xmlNode *n);

static void emit_create(struct diff_ctx *d, const xmlNode *parent, const xmlNode *n, int pos)
{
	xmlNode *c = add_change(d, "create", parent);

	vg_xml_set_int(c, "position", pos);
	xmlAddChild(c, xmlDocCopyNode((xmlNode *)n, d->root->doc, 1));
}

static void emit_delete(struct diff_ctx *d, const xmlNode *o)
{
	xmlNode *c = add_change(d, "delete", o);

	vg_xml_set_int(c, "position", cib_node_position(o));
}

/* Children whose keys differ: deletes, then creates and moves. */
static void diff_children_slow(struct diff_ctx *d, const xmlNode *o, const xmlNode *n)
{
	GPtrArray *oc = element_children(o), *nc = element_children(n);
	GHashTable *old_by_key = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	GHashTable *kept = g_hash_table_new(NULL, NULL); /* old child -> new child */
	GPtrArray *cur = g_ptr_array_new();              /* simulated current order */
	GPtrArray *pairs = g_ptr_array_new();

	for (guint i = 0; i < oc->len; i++)
		g_hash_table_insert(old_by_key, key_of(g_ptr_array_index(oc, i)),
		                    g_ptr_array_index(oc, i));
	for (guint i = 0; i < nc->len; i++) {
		xmlNode *c = g_ptr_array_index(nc, i);
		char *k = key_of(c);
		xmlNode *match = g_hash_table_lookup(old_by_key, k);

		g_free(k);
		if (match != NULL && !must_replace(match, c))
			g_hash_table_insert(kept, match, c);
	}
	for (guint i = 0; i < oc->len; i++) {
		xmlNode *c = g_ptr_array_index(oc, i);

		if (g_hash_table_contains(kept, c))
			g_ptr_array_add(cur, c);
		else
			emit_delete(d, c);
	}
	for (guint i = 0; i < nc->len; i++) {
		xmlNode *c = g_ptr_array_index(nc, i);
		xmlNode *match = NULL;
		guint at = 0;

		for (guint j = i; j < cur->len; j++) {
			xmlNode *x = g_ptr_array_index(cur, j);

			if (g_hash_table_lookup(kept, x) == c) {
				match = x;
				at = j;
				break;
			}
		}
		if (match == NULL) {
			emit_create(d, n, c, (int)i);
			g_ptr_array_insert(cur, (gint)i, c);
			continue;
		}
		if (at != i) {
			xmlNode *mv = add_change(d, "move", match);

			vg_xml_set_int(mv, "position", (long long)i);
			g_ptr_array_remove_index(cur, at);
			g_ptr_array_insert(cur, (gint)i, match);
		}
		g_ptr_array_add(pairs, match);
		g_ptr_array_add(pairs, c);
	}
	for (guint i = 0; i + 1 < pairs->len; i += 2)
		diff_element(d, g_ptr_array_index(pairs, i), g_ptr_array_index(pairs, i + 1));
	g_ptr_array_unref(pairs);
	g_ptr_array_unref(cur);
	g_hash_table_destroy(kept);
	g_hash_table_destroy(old_by_key);
	g_ptr_array_unref(oc);
	g_ptr_array_unref(nc);
}

static void diff_element(struct diff_ctx *d, const xmlNode *o, const xmlNode *n)
{
	const xmlNode *a, *b;
	bool same_shape = true;

	diff_attrs(d, o, n);
	/* fast path: the same keys in the same order, nothing to replace */
	a = vg_xml_first(o, NULL);
	b = vg_xml_first(n, NULL);
	while (a != NULL && b != NULL) {
		if (!same_key(a, b) || must_replace(a, b)) {
			same_shape = false;
			break;
		}
		a = vg_xml_next(a, NULL);
		b = vg_xml_next(b, NULL);
	}
	if (same_shape && a == NULL && b == NULL) {
		for (a = vg_xml_first(o, NULL), b = vg_xml_first(n, NULL); a != NULL;
		     a = vg_xml_next(a, NULL), b = vg_xml_next(b, NULL))
			diff_element(d, a, b);
		return;
	}
	diff_children_slow(d, o, n);
}

static void add_version(xmlNode *diff, const xmlNode *old_cib, const xmlNode *new_cib)
{
	xmlNode *ver = vg_xml_new_child(diff, "version");
	vg_cib_version_t v;

	vg_cib_version_get(old_cib, &v);
	vg_cib_version_set(vg_xml_new_child(ver, "source"), &v);
	vg_cib_version_get(new_cib, &v);
	vg_cib_version_set(vg_xml_new_child(ver, "target"), &v);
}

int vg_cib_diff(const xmlNode *old_cib, const xmlNode *new_cib, unsigned flags, xmlDoc **out,
                vg_error_t *err)
{
	struct diff_ctx d;
	xmlDoc *doc;

	*out = NULL;
	if (!vg_xml_is(old_cib, "cib") || !vg_xml_is(new_cib, "cib"))
		return vg_error_set(err, VG_EINVAL, "diff: both documents must be CIBs");
	doc = xmlNewDoc((const xmlChar *)"1.0");
	d.root = xmlNewNode(NULL, (const xmlChar *)"diff");
	xmlDocSetRootElement(doc, d.root);
	vg_xml_set(d.root, "format", "2");
	add_version(d.root, old_cib, new_cib);
	if (must_replace(old_cib, new_cib)) {
		xmlFreeDoc(doc);
		return vg_error_set(err, VG_EINVAL,
		                    "diff: the <cib> element has repeated sections or text; fix it "
		                    "first");
	}
	diff_element(&d, old_cib, new_cib);
	if (vg_xml_next(vg_xml_first(d.root, "version"), "change") == NULL) {
		xmlFreeDoc(doc);
		return 0;
	}
	if (flags & VG_CIB_DIFF_DIGEST) {
		char *dg = vg_xml_digest(new_cib);

		vg_xml_set(d.root, "vigil-digest", dg);
		g_free(dg);
	}
	*out = doc;
	return 0;
}

void cib_diff_root_attrs(xmlNode *diff, const xmlNode *old_cib, const xmlNode *new_cib)
{
	struct diff_ctx d = {.root = diff};
	xmlNode *before = diff->last, *added;

	diff_attrs(&d, old_cib, new_cib);
	added = diff->last;
	if (added != before && added != NULL) {
		xmlNode *ver = vg_xml_first(diff, "version");

		xmlUnlinkNode(added);
		if (ver != NULL)
			xmlAddNextSibling(ver, added);
		else
			xmlAddChild(diff, added);
	}
}

xmlDoc *cib_diff_new(const xmlNode *old_cib, const xmlNode *new_cib)
{
	xmlDoc *doc = xmlNewDoc((const xmlChar *)"1.0");
	xmlNode *root = xmlNewNode(NULL, (const xmlChar *)"diff");

	xmlDocSetRootElement(doc, root);
	vg_xml_set(root, "format", "2");
	add_version(root, old_cib, new_cib);
	return doc;
}

void cib_diff_subtree(xmlNode *diff, const xmlNode *o, const xmlNode *n)
{
	struct diff_ctx d = {.root = diff};

	if (n->parent != NULL && n->parent->type == XML_ELEMENT_NODE && must_replace(o, n)) {
		emit_delete(&d, o);
		emit_create(&d, n->parent, n, cib_node_position(n));
		return;
	}
	diff_element(&d, o, n);
}
