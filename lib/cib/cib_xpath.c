/*
 * Addressing elements: libxml2 XPath for queries, and a fast resolver for the
 * simple paths patches carry (/cib/configuration/resources/primitive[@id='x']),
 * which must not cost an XPath compilation per change on a 25 MB document.
 * Also element positions among siblings, which patches record.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include <libxml/xpath.h>

#define VG_LOG_SUBSYS "cib"
#include "cib_private.h"

static void silent_error(void *ctx, const xmlError *e)
{
	(void)ctx;
	(void)e;
}

int cib_xpath_eval(const xmlNode *ctx_node, const char *xpath, GPtrArray **result, vg_error_t *err)
{
	xmlXPathContextPtr xc;
	xmlXPathObjectPtr res;
	GPtrArray *out;

	*result = NULL;
	if (ctx_node == NULL || ctx_node->doc == NULL)
		return vg_error_set(err, VG_EINVAL, "XPath %s: no document to search", xpath);
	xc = xmlXPathNewContext(ctx_node->doc);
	if (xc == NULL)
		g_error("out of memory creating an XPath context");
	xc->error = (xmlStructuredErrorFunc)silent_error;
	xc->node = (xmlNode *)ctx_node;
	res = xmlXPathEvalExpression((const xmlChar *)xpath, xc);
	xmlXPathFreeContext(xc);
	if (res == NULL)
		return vg_error_set(err, VG_EINVAL, "XPath '%s' is not a valid expression", xpath);
	out = g_ptr_array_new();
	if (res->type == XPATH_NODESET && res->nodesetval != NULL) {
		for (int i = 0; i < res->nodesetval->nodeNr; i++) {
			xmlNode *n = res->nodesetval->nodeTab[i];

			if (n->type == XML_ELEMENT_NODE)
				g_ptr_array_add(out, n);
			else if (n->type == XML_ATTRIBUTE_NODE && n->parent)
				g_ptr_array_add(out, n->parent);
		}
	}
	xmlXPathFreeObject(res);
	*result = out;
	return 0;
}

static void path_into(GString *s, const xmlNode *n)
{
	const char *id;

	if (n == NULL || n->type != XML_ELEMENT_NODE)
		return;
	path_into(s, n->parent);
	g_string_append_c(s, '/');
	g_string_append(s, (const char *)n->name);
	id = vg_xml_get(n, "id");
	if (id != NULL) {
		/* XPath string literals cannot escape quotes: pick the other kind */
		char q = strchr(id, '\'') ? '"' : '\'';

		g_string_append_printf(s, "[@id=%c%s%c]", q, id, q);
	}
}

char *cib_node_path(const xmlNode *n)
{
	GString *s = g_string_new(NULL);

	path_into(s, n);
	return g_string_free(s, FALSE);
}

/* One step "name" or "name[@id='x']"; advances *p. false when not simple. */
static bool parse_step(const char **p, char **name, char **id)
{
	const char *s = *p, *e;

	*name = NULL;
	*id = NULL;
	if (*s != '/')
		return false;
	s++;
	e = s;
	while (*e && *e != '/' && *e != '[')
		e++;
	if (e == s)
		return false;
	*name = g_strndup(s, (gsize)(e - s));
	if (strchr(*name, ':') || strchr(*name, '*') || strchr(*name, '(')) {
		g_clear_pointer(name, g_free);
		return false;
	}
	if (*e == '[') {
		char q;
		const char *v, *ve;

		if (strncmp(e, "[@id=", 5) != 0)
			goto fail;
		q = e[5];
		if (q != '\'' && q != '"')
			goto fail;
		v = e + 6;
		ve = strchr(v, q);
		if (ve == NULL || ve[1] != ']')
			goto fail;
		*id = g_strndup(v, (gsize)(ve - v));
		e = ve + 2;
	}
	*p = e;
	return true;
fail:
	g_clear_pointer(name, g_free);
	return false;
}

xmlNode *cib_path_resolve(xmlNode *root, const char *path)
{
	const char *p = path;
	xmlNode *cur = NULL;
	bool first = true;

	while (*p) {
		char *name, *id;
		xmlNode *next = NULL;

		if (!parse_step(&p, &name, &id))
			goto slow;
		if (first) {
			if (vg_xml_is(root, name) &&
			    (id == NULL || g_strcmp0(vg_xml_get(root, "id"), id) == 0))
				next = root;
			first = false;
		} else {
			xmlNode *c, *any = NULL;

			/* a step without [@id] names an element without an id (paths
			 * always carry the id when there is one); any namesake is the
			 * fallback */
			VG_XML_FOREACH(c, cur, name)
			{
				const char *cid = vg_xml_get(c, "id");

				if (id != NULL ? g_strcmp0(cid, id) == 0 : cid == NULL) {
					next = c;
					break;
				}
				if (id == NULL && any == NULL)
					any = c;
			}
			if (next == NULL)
				next = any;
		}
		g_free(name);
		g_free(id);
		if (next == NULL)
			return NULL;
		cur = next;
	}
	return cur;
slow : {
	GPtrArray *hits = NULL;
	xmlNode *n;

	cib_xpath_eval(root, path, &hits, NULL);
	n = (hits && hits->len > 0) ? g_ptr_array_index(hits, 0) : NULL;

	if (hits)
		g_ptr_array_unref(hits);
	return n;
}
}

int cib_node_position(const xmlNode *n)
{
	int pos = 0;

	for (const xmlNode *c = n->prev; c != NULL; c = c->prev)
		pos += (c->type == XML_ELEMENT_NODE);
	return pos;
}

void cib_insert_at(xmlNode *parent, xmlNode *n, int pos)
{
	xmlNode *c;
	int i = 0;

	for (c = parent->children; c != NULL; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (i == pos)
			break;
		i++;
	}
	if (c == NULL)
		xmlAddChild(parent, n);
	else
		xmlAddPrevSibling(c, n);
}
