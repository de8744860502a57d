/*
 * Validation against vigil's own RELAX NG description of the CIB
 * (lib/cib/schema/vigil-cib.rng, installed under VG_DATADIR/schema).  The
 * schema describes the newest syntax only; older documents are upgraded
 * first (cib_upgrade.c).  The compiled schema is built once per process and
 * shared read-only afterwards; libxml2's validator is fast enough that a
 * 25 MB CIB validates in well under a second.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/relaxng.h>

#define VG_LOG_SUBSYS "cib"
#include "cib_private.h"

#ifndef VG_DATADIR
#define VG_DATADIR "/usr/share/vigil"
#endif

#define SCHEMA_FILE "vigil-cib.rng"

const char *vg_cib_schema_dir(void)
{
	const char *env = g_getenv("VIGIL_SCHEMA_DIR");

	return (env && *env) ? env : VG_DATADIR "/schema";
}

bool vg_cib_schema_known(const char *name, int *major, int *minor)
{
	int ma = 0, mi = 0, used = 0;

	if (name == NULL)
		return false;
	if (strcmp(name, "pacemaker-next") == 0 || strcmp(name, "none") == 0) {
		ma = 99;
	} else if (strcmp(name, "transitional-0.6") == 0 || strcmp(name, "pacemaker-0.6") == 0 ||
	           strcmp(name, "pacemaker-0.7") == 0) {
		ma = 0;
		mi = name[strlen(name) - 1] - '0';
	} else if (sscanf(name, "pacemaker-%d.%d%n", &ma, &mi, &used) != 2 ||
	           used != (int)strlen(name) || ma < 1 || ma > 4 || mi < 0 || mi > 99) {
		return false;
	}
	if (major)
		*major = ma;
	if (minor)
		*minor = mi;
	return true;
}

/* libxml2 reports a missing file on stderr; vigil reports it in err. */
static void quiet(void *ctx, xmlErrorPtr e)
{
	(void)ctx;
	(void)e;
}

static void quiet_generic(void *ctx, const char *fmt, ...)
{
	(void)ctx;
	(void)fmt;
}

/* The compiled schema: built once, immutable afterwards. */
static xmlRelaxNGPtr compiled_schema(vg_error_t *err)
{
	static gsize once = 0;
	static xmlRelaxNGPtr schema = NULL;
	static char failure[512];

	if (g_once_init_enter(&once)) {
		char *path = g_build_filename(vg_cib_schema_dir(), SCHEMA_FILE, NULL);
		xmlRelaxNGParserCtxtPtr pc = xmlRelaxNGNewParserCtxt(path);

		xmlRelaxNGSetParserStructuredErrors(pc, quiet, NULL);
		xmlSetGenericErrorFunc(NULL, quiet_generic);
		schema = xmlRelaxNGParse(pc);
		xmlSetGenericErrorFunc(NULL, NULL);
		xmlRelaxNGFreeParserCtxt(pc);
		if (schema == NULL)
			snprintf(failure, sizeof(failure),
			         "cannot load the CIB schema %s (set VIGIL_SCHEMA_DIR?)", path);
		g_free(path);
		g_once_init_leave(&once, 1);
	}
	if (schema == NULL)
		vg_error_set(err, VG_EIO, "%s", failure);
	return schema;
}

/* What an element needs, for messages that only say "failed to validate". */
static const struct hint {
	const char *element, *text;
} hints[] = {
    {"primitive", "a primitive needs id, class and type (and provider for ocf), or id and "
                  "template"},
    {"template", "a template needs id, class and type (and provider for ocf)"},
    {"group", "a group needs an id and at least one primitive"},
    {"clone", "a clone needs an id and one primitive or group"},
    {"op", "an op needs id, name and interval"},
    {"nvpair", "an nvpair needs a name (and usually id and value)"},
    {"rsc_location", "a location needs id, rsc (or rsc-pattern) and either node with score "
                     "or rules"},
    {"rsc_colocation", "a colocation needs id, score, rsc and with-rsc (or resource sets)"},
    {"rsc_order", "an order needs id, first and then (or resource sets); kind is Optional, "
                  "Mandatory or Serialize"},
    {"rsc_ticket", "a ticket constraint needs id, ticket and rsc (or resource sets)"},
    {"node", "a node needs id and uname"},
    {"expression", "an expression needs id, attribute and operation"},
    {"fencing-level", "a fencing level needs id, a target, index and devices"},
    {"acl_permission", "an ACL permission needs id, kind (read, write, deny) and one of "
                       "xpath, reference or object-type"},
    {"cib", "a cib needs validate-with, admin_epoch, epoch and num_updates"},
};

static const char *hint_for(const xmlNode *n)
{
	if (n == NULL || n->type != XML_ELEMENT_NODE)
		return NULL;
	for (size_t i = 0; i < G_N_ELEMENTS(hints); i++)
		if (strcmp((const char *)n->name, hints[i].element) == 0)
			return hints[i].text;
	return NULL;
}

struct collect {
	GPtrArray *all;
	GPtrArray *findings; /* vg_cib_finding_t * when verifying */
	char first[900];
	int count;
};

static void on_error(void *data, xmlErrorPtr e)
{
	struct collect *c = data;
	char msg[900];
	const xmlNode *n = e->node;
	const char *id = (n && n->type == XML_ELEMENT_NODE) ? vg_xml_get(n, "id") : NULL;
	size_t len;

	snprintf(msg, sizeof(msg), "line %d: %s%s%s%s%s", e->line,
	         (n && n->type == XML_ELEMENT_NODE) ? "<" : "",
	         (n && n->type == XML_ELEMENT_NODE) ? (const char *)n->name : "",
	         id ? " id=\"" : "", id ? id : "", id ? "\">: " : (n ? ">: " : ""));
	len = strlen(msg);
	snprintf(msg + len, sizeof(msg) - len, "%s", e->message ? e->message : "invalid");
	len = strlen(msg);
	while (len > 0 && (msg[len - 1] == '\n' || msg[len - 1] == ' '))
		msg[--len] = '\0';
	if (hint_for(n) != NULL)
		snprintf(msg + len, sizeof(msg) - len, " (%s)", hint_for(n));
	if (c->count++ == 0)
		snprintf(c->first, sizeof(c->first), "%s", msg);
	if (c->all)
		g_ptr_array_add(c->all, g_strdup(msg));
	if (c->findings) {
		vg_cib_finding_t *f = g_new0(vg_cib_finding_t, 1);
		char *m = g_strchomp(g_strdup(e->message ? e->message : "invalid"));

		f->severity = VG_CIB_ERROR;
		f->id = id ? g_strdup(id) : g_strdup_printf("line %d", e->line);
		f->message =
		    g_strdup_printf("%s%s%s (line %d)",
		                    (n && n->type == XML_ELEMENT_NODE) ? (const char *)n->name : "",
		                    (n && n->type == XML_ELEMENT_NODE) ? ": " : "", m, e->line);
		g_free(m);
		g_ptr_array_add(c->findings, f);
	}
}

static int validate(const xmlDoc *doc, GPtrArray *all, GPtrArray *findings, vg_error_t *err)
{
	xmlRelaxNGPtr schema = compiled_schema(err);
	xmlRelaxNGValidCtxtPtr vc;
	struct collect c = {.all = all, .findings = findings};
	int rc;

	if (schema == NULL)
		return VG_EIO;
	vc = xmlRelaxNGNewValidCtxt(schema);
	if (vc == NULL)
		g_error("out of memory creating a RELAX NG validation context");
	xmlRelaxNGSetValidStructuredErrors(vc, on_error, &c);
	rc = xmlRelaxNGValidateDoc(vc, (xmlDoc *)doc);
	xmlRelaxNGFreeValidCtxt(vc);
	if (rc == 0)
		return 0;
	if (c.count == 0)
		snprintf(c.first, sizeof(c.first), "the document does not match the CIB schema");
	return vg_error_set(err, VG_ESCHEMA, "schema violation: %s", c.first);
}

int vg_cib_validate(const xmlDoc *doc, GPtrArray *all, vg_error_t *err)
{
	return validate(doc, all, NULL, err);
}

int cib_validate_findings(const xmlDoc *doc, GPtrArray *findings, vg_error_t *err)
{
	return validate(doc, NULL, findings, err);
}

int cib_validate_result(const xmlDoc *doc, vg_error_t *err)
{
	const xmlNode *cib = xmlDocGetRootElement((xmlDoc *)doc);
	const char *vw = vg_xml_get(cib, "validate-with");
	xmlDoc *copy;
	int rc;

	if (vw != NULL && strcmp(vw, "none") == 0)
		return 0;
	if (vw != NULL && strcmp(vw, VG_CIB_SCHEMA_LATEST) == 0)
		return vg_cib_validate(doc, NULL, err);
	/* older syntax stays as the admin wrote it; its upgrade must validate */
	copy = xmlCopyDoc((xmlDoc *)doc, 1);
	rc = vg_cib_upgrade(xmlDocGetRootElement(copy), NULL, NULL, err);
	if (rc == 0)
		rc = vg_cib_validate(copy, NULL, err);
	xmlFreeDoc(copy);
	return rc;
}
