/*
 * The CIB operations on a document: query, create, modify (merge), replace,
 * delete, erase.  They work in place and know nothing of versions, ACLs or
 * the schema; cib_apply.c wraps them into transactions.  Each either
 * completes or leaves the document as it was: all lookups and checks happen
 * before the first change.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#define VG_LOG_SUBSYS "cib"
#include "cib_private.h"

/* Where an element with this name lives when the caller names no section. */
static const struct {
	const char *element;
	const char *section;
} home_of[] = {
    {"primitive", "resources"},
    {"group", "resources"},
    {"clone", "resources"},
    {"master", "resources"},
    {"bundle", "resources"},
    {"template", "resources"},
    {"rsc_location", "constraints"},
    {"rsc_colocation", "constraints"},
    {"rsc_order", "constraints"},
    {"rsc_ticket", "constraints"},
    {"node", "nodes"},
    {"cluster_property_set", "crm_config"},
    {"node_state", "status"},
    {"fencing-level", "fencing-topology"},
    {"tag", "tags"},
    {"alert", "alerts"},
    {"acl_target", "acls"},
    {"acl_user", "acls"},
    {"acl_group", "acls"},
    {"acl_role", "acls"},
};

static const char *guess_section(const xmlNode *data)
{
	for (size_t i = 0; i < G_N_ELEMENTS(home_of); i++)
		if (vg_xml_is(data, home_of[i].element))
			return home_of[i].section;
	return NULL;
}

/* The element an operation targets: xpath (first match), section, or <cib>. */
static int find_target(xmlNode *cib, const char *section, const char *xpath, bool create,
                       xmlNode **out, vg_error_t *err)
{
	*out = NULL;
	if (xpath != NULL) {
		GPtrArray *hits;
		int xrc = cib_xpath_eval(cib, xpath, &hits, err);

		if (xrc != 0)
			return xrc;
		if (hits->len > 0)
			*out = g_ptr_array_index(hits, 0);
		g_ptr_array_unref(hits);
		if (*out == NULL)
			return vg_error_set(err, VG_ENOENT, "nothing matches XPath %s", xpath);
		return 0;
	}
	if (section == NULL || *section == '\0')
		section = "cib";
	if (vg_cib_section_xpath(section) == NULL)
		return vg_error_set(
		    err, VG_EINVAL,
		    "unknown section '%s' (use configuration, status, nodes, "
		    "resources, constraints, crm_config, rsc_defaults, op_defaults, "
		    "fencing-topology, tags, acls, alerts)",
		    section);
	*out = vg_cib_section(cib, section, create);
	if (*out == NULL)
		return vg_error_set(err, VG_ENOENT, "section %s is not in the CIB", section);
	return 0;
}

/* Descendant-or-self of root with the same name and id as `like`. */
static xmlNode *find_like(xmlNode *root, const xmlNode *like)
{
	const char *id = vg_xml_get(like, "id");

	if (id == NULL)
		return vg_xml_is(root, vg_xml_name(like)) ? root : NULL;
	return vg_xml_find(root, vg_xml_name(like), id);
}

static xmlNode *copy_into(xmlNode *parent, const xmlNode *data)
{
	xmlNode *c = xmlDocCopyNode((xmlNode *)data, parent->doc, 1);

	xmlAddChild(parent, c);
	return c;
}

int cib_create_locate(xmlNode *cib, const char *section, const xmlNode *data, bool make,
                      xmlNode **target_out, vg_error_t *err)
{
	xmlNode *target;
	const char *id;
	int rc;

	*target_out = NULL;
	if (data == NULL || data->type != XML_ELEMENT_NODE)
		return vg_error_set(err, VG_EINVAL, "create: no XML element given");
	if (section == NULL && vg_cib_section_xpath(vg_xml_name(data)) == NULL)
		section = guess_section(data);
	if (section == NULL)
		return vg_error_set(err, VG_EINVAL,
		                    "create: where does <%s> go? name the section (-o SECTION)",
		                    vg_xml_name(data));
	/* checks first: a refused create must not leave a new empty section */
	id = vg_xml_get(data, "id");
	if (id != NULL && vg_xml_find(cib, vg_xml_name(data), id) != NULL)
		return vg_error_set(err, VG_EEXIST, "create: <%s id=\"%s\"> already exists",
		                    vg_xml_name(data), id);
	rc = find_target(cib, section, NULL, make, &target, err);
	if (rc != 0)
		return rc;
	if (vg_xml_is(target, vg_xml_name(data)) && id == NULL &&
	    vg_xml_first(target, NULL) != NULL)
		return vg_error_set(err, VG_EEXIST, "create: <%s> already exists",
		                    vg_xml_name(data));
	*target_out = target;
	return 0;
}

int vg_cib_op_create(xmlNode *cib, const char *section, const xmlNode *data, vg_error_t *err)
{
	xmlNode *target;
	int rc = cib_create_locate(cib, section, data, true, &target, err);

	if (rc != 0)
		return rc;
	/* creating a section itself: it is empty (checked), take the new one */
	if (vg_xml_is(target, vg_xml_name(data)) && vg_xml_get(data, "id") == NULL) {
		xmlReplaceNode(target, xmlDocCopyNode((xmlNode *)data, cib->doc, 1));
		xmlFreeNode(target);
		return 0;
	}
	copy_into(target, data);
	return 0;
}

/* Child of `parent` that corresponds to data child `dc`: same name and id,
 * or for id-less elements the same name at the same rank among namesakes. */
static xmlNode *match_child(xmlNode *parent, const xmlNode *dc)
{
	const char *id = vg_xml_get(dc, "id");
	const char *name = vg_xml_name(dc);
	int rank = 0;
	xmlNode *c;

	if (id == NULL)
		for (const xmlNode *p = dc->prev; p; p = p->prev)
			rank += vg_xml_is(p, name) && vg_xml_get(p, "id") == NULL;
	VG_XML_FOREACH(c, parent, name)
	{
		const char *cid = vg_xml_get(c, "id");

		if (id != NULL && cid != NULL && strcmp(id, cid) == 0)
			return c;
		if (id == NULL && cid == NULL && rank-- == 0)
			return c;
	}
	return NULL;
}

static void merge(xmlNode *target, const xmlNode *data)
{
	for (const xmlAttr *a = data->properties; a != NULL; a = a->next) {
		const char *v = vg_xml_get(data, (const char *)a->name);

		vg_xml_set(target, (const char *)a->name, v);
	}
	for (const xmlNode *dc = data->children; dc != NULL; dc = dc->next) {
		xmlNode *tc;

		if (dc->type != XML_ELEMENT_NODE)
			continue;
		tc = match_child(target, dc);
		if (tc != NULL)
			merge(tc, dc);
		else
			copy_into(target, dc);
	}
}

int cib_modify_locate(xmlNode *cib, const char *section, const char *xpath, const xmlNode *data,
                      unsigned flags, xmlNode **target_out, xmlNode **el_out, vg_error_t *err)
{
	xmlNode *target, *el;
	int rc;

	*target_out = *el_out = NULL;
	if (data == NULL || data->type != XML_ELEMENT_NODE)
		return vg_error_set(err, VG_EINVAL, "modify: no XML element given");
	if (section == NULL && xpath == NULL && vg_cib_section_xpath(vg_xml_name(data)) == NULL)
		section = guess_section(data);
	rc = find_target(cib, section, xpath, (flags & VG_CIB_F_CREATE_MISSING) != 0, &target, err);
	if (rc != 0)
		return rc;
	if (xpath != NULL && !vg_xml_is(target, vg_xml_name(data)))
		el = find_like(target, data);
	else if (vg_xml_is(target, vg_xml_name(data)) &&
	         (vg_xml_get(data, "id") == NULL ||
	          g_strcmp0(vg_xml_get(data, "id"), vg_xml_get(target, "id")) == 0))
		el = target;
	else
		el = find_like(target, data);
	if (el == NULL && vg_xml_is(data, "cib"))
		el = cib;
	if (el == NULL && !(flags & VG_CIB_F_CREATE_MISSING))
		return vg_error_set(err, VG_ENOENT, "modify: no <%s%s%s%s> in %s to change",
		                    vg_xml_name(data), vg_xml_get(data, "id") ? " id=\"" : "",
		                    vg_xml_get(data, "id") ? vg_xml_get(data, "id") : "",
		                    vg_xml_get(data, "id") ? "\"" : "",
		                    xpath ? xpath : (section ? section : "the CIB"));
	*target_out = target;
	*el_out = el;
	return 0;
}

void cib_merge(xmlNode *el, const xmlNode *data)
{
	merge(el, data);
}

int vg_cib_op_modify(xmlNode *cib, const char *section, const char *xpath, const xmlNode *data,
                     unsigned flags, vg_error_t *err)
{
	xmlNode *target, *el;
	int rc;

	if (data == NULL || data->type != XML_ELEMENT_NODE)
		return vg_error_set(err, VG_EINVAL, "modify: no XML element given");
	if (xpath && (flags & VG_CIB_F_ALL_MATCHES)) {
		GPtrArray *hits;
		int xrc = cib_xpath_eval(cib, xpath, &hits, err);

		if (xrc != 0)
			return xrc;
		if (hits->len == 0) {
			g_ptr_array_unref(hits);
			return vg_error_set(err, VG_ENOENT, "modify: nothing matches XPath %s",
			                    xpath);
		}
		for (guint i = 0; i < hits->len; i++)
			merge(g_ptr_array_index(hits, i), data);
		g_ptr_array_unref(hits);
		return 0;
	}
	rc = cib_modify_locate(cib, section, xpath, data, flags, &target, &el, err);
	if (rc != 0)
		return rc;
	if (el == NULL)
		copy_into(target, data);
	else
		merge(el, data);
	return 0;
}

static void empty(xmlNode *n)
{
	xmlNode *c = n->children;

	while (c != NULL) {
		xmlNode *next = c->next;

		xmlUnlinkNode(c);
		xmlFreeNode(c);
		c = next;
	}
}

int cib_replace_locate(xmlNode *cib, const char *section, const char *xpath, const xmlNode *data,
                       xmlNode **el_out, vg_error_t *err)
{
	xmlNode *target, *el;
	int rc;

	*el_out = NULL;
	if (data == NULL || data->type != XML_ELEMENT_NODE)
		return vg_error_set(err, VG_EINVAL, "replace: no XML element given");
	if (section == NULL && xpath == NULL && vg_cib_section_xpath(vg_xml_name(data)) != NULL)
		section = vg_xml_name(data);
	if (section == NULL && xpath == NULL)
		section = guess_section(data);
	rc = find_target(cib, section, xpath, true, &target, err);
	if (rc != 0)
		return rc;
	if (vg_xml_is(target, vg_xml_name(data)) &&
	    (vg_xml_get(data, "id") == NULL ||
	     g_strcmp0(vg_xml_get(data, "id"), vg_xml_get(target, "id")) == 0))
		el = target;
	else
		el = find_like(target, data);
	if (el == NULL)
		return vg_error_set(err, VG_ENOENT, "replace: no <%s id=\"%s\"> to replace",
		                    vg_xml_name(data),
		                    vg_xml_get(data, "id") ? vg_xml_get(data, "id") : "");
	*el_out = el;
	return 0;
}

int vg_cib_op_replace(xmlNode *cib, const char *section, const char *xpath, const xmlNode *data,
                      vg_error_t *err)
{
	xmlNode *el, *copy;
	int rc = cib_replace_locate(cib, section, xpath, data, &el, err);

	if (rc != 0)
		return rc;
	if (el == cib) {
		/* whole document: keep the root node (callers hold it), swap its
		 * attributes and children */
		while (cib->properties != NULL)
			xmlRemoveProp(cib->properties);
		empty(cib);
		for (const xmlAttr *a = data->properties; a != NULL; a = a->next)
			vg_xml_set(cib, (const char *)a->name,
			           vg_xml_get(data, (const char *)a->name));
		for (const xmlNode *c = data->children; c != NULL; c = c->next)
			if (c->type == XML_ELEMENT_NODE)
				copy_into(cib, c);
		vg_cib_normalize(cib);
		return 0;
	}
	copy = xmlDocCopyNode((xmlNode *)data, el->doc, 1);
	xmlReplaceNode(el, copy);
	xmlFreeNode(el);
	return 0;
}

/* Does n carry every attribute of `like` with the same value? */
static bool attrs_match(const xmlNode *n, const xmlNode *like)
{
	for (const xmlAttr *a = like->properties; a != NULL; a = a->next) {
		const char *name = (const char *)a->name;

		if (g_strcmp0(vg_xml_get(n, name), vg_xml_get(like, name)) != 0)
			return false;
	}
	return true;
}

static void collect_like(xmlNode *n, const xmlNode *like, GPtrArray *out)
{
	for (; n != NULL; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (vg_xml_is(n, vg_xml_name(like)) && attrs_match(n, like)) {
			g_ptr_array_add(out, n);
			continue;
		}
		collect_like(n->children, like, out);
	}
}

int cib_delete_locate(xmlNode *cib, const char *section, const char *xpath, const xmlNode *data,
                      GPtrArray **out, vg_error_t *err)
{
	GPtrArray *hits, *top;
	int rc;

	*out = NULL;
	if (xpath != NULL) {
		rc = cib_xpath_eval(cib, xpath, &hits, err);
		if (rc != 0)
			return rc;
	} else {
		xmlNode *target;

		if (data == NULL || data->type != XML_ELEMENT_NODE)
			return vg_error_set(err, VG_EINVAL,
			                    "delete: give the element to delete or an XPath");
		if (section == NULL)
			section = guess_section(data);
		rc = find_target(cib, section, NULL, false, &target, err);
		if (rc != 0)
			return rc;
		hits = g_ptr_array_new();
		if (vg_xml_is(target, vg_xml_name(data)) && attrs_match(target, data))
			g_ptr_array_add(hits, target);
		else
			collect_like(target->children, data, hits);
	}
	if (hits->len == 0) {
		g_ptr_array_unref(hits);
		if (xpath)
			return vg_error_set(err, VG_ENOENT, "delete: nothing matches XPath %s",
			                    xpath);
		return vg_error_set(err, VG_ENOENT, "delete: no <%s%s%s%s> in the CIB",
		                    vg_xml_name(data), vg_xml_get(data, "id") ? " id=\"" : "",
		                    vg_xml_get(data, "id") ? vg_xml_get(data, "id") : "",
		                    vg_xml_get(data, "id") ? "\"" : "");
	}
	for (guint i = 0; i < hits->len; i++)
		if (g_ptr_array_index(hits, i) == cib) {
			g_ptr_array_unref(hits);
			return vg_error_set(err, VG_EINVAL,
			                    "delete: the <cib> element itself cannot be deleted "
			                    "(use erase)");
		}
	/* keep only the outermost matches: a match inside another goes with it */
	top = g_ptr_array_new();
	for (guint i = 0; i < hits->len; i++) {
		xmlNode *n = g_ptr_array_index(hits, i);
		bool inside = false;

		for (guint j = 0; j < hits->len && !inside; j++)
			for (xmlNode *p = n->parent; p && !inside; p = p->parent)
				inside = p == g_ptr_array_index(hits, j);
		if (!inside)
			g_ptr_array_add(top, n);
	}
	g_ptr_array_unref(hits);
	*out = top;
	return 0;
}

int vg_cib_op_delete(xmlNode *cib, const char *section, const char *xpath, const xmlNode *data,
                     unsigned flags, vg_error_t *err)
{
	GPtrArray *hits;
	int rc;

	(void)flags;
	rc = cib_delete_locate(cib, section, xpath, data, &hits, err);
	if (rc != 0)
		return rc;
	for (guint i = 0; i < hits->len; i++) {
		xmlNode *n = g_ptr_array_index(hits, i);

		xmlUnlinkNode(n);
		xmlFreeNode(n);
	}
	g_ptr_array_unref(hits);
	return 0;
}

void vg_cib_op_erase(xmlNode *cib)
{
	xmlNode *conf = vg_cib_section(cib, "configuration", true);

	empty(conf);
	empty(vg_cib_section(cib, "status", true));
	vg_cib_normalize(cib);
}

int vg_cib_query(const xmlNode *cib, const char *section, const char *xpath,
                 const vg_cib_acl_t *acl, xmlDoc **out, vg_error_t *err)
{
	xmlDoc *filtered = NULL;
	xmlNode *root = (xmlNode *)cib;
	GPtrArray *hits;
	int rc = 0;

	*out = NULL;
	if (acl != NULL) {
		filtered = vg_xml_copy_doc(cib);
		root = xmlDocGetRootElement(filtered);
		if (!vg_cib_acl_filter(acl, root)) {
			xmlFreeDoc(filtered);
			return vg_error_set(err, VG_EPERM,
			                    "query: the user may not read any part of the CIB");
		}
	}
	if (xpath != NULL) {
		rc = cib_xpath_eval(root, xpath, &hits, err);
		if (rc != 0)
			goto done;
	} else {
		xmlNode *target;

		rc = find_target(root, section, NULL, false, &target, err);
		if (rc != 0)
			goto done;
		hits = g_ptr_array_new();
		g_ptr_array_add(hits, target);
	}
	if (hits->len == 0) {
		rc = vg_error_set(err, acl ? VG_ENOENT : VG_ENOENT,
		                  "query: nothing matches XPath %s%s", xpath,
		                  acl ? " (or the user may not read it)" : "");
	} else if (hits->len == 1) {
		*out = vg_xml_copy_doc(g_ptr_array_index(hits, 0));
	} else {
		xmlNode *wrap;

		*out = xmlNewDoc((const xmlChar *)"1.0");
		wrap = xmlNewNode(NULL, (const xmlChar *)"xpath-query");
		xmlDocSetRootElement(*out, wrap);
		for (guint i = 0; i < hits->len; i++)
			copy_into(wrap, g_ptr_array_index(hits, i));
	}
	g_ptr_array_unref(hits);
done:
	if (filtered)
		xmlFreeDoc(filtered);
	return rc;
}
