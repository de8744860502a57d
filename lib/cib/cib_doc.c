/*
 * The CIB as a document: parsing with root checks, the section table, and
 * the version triple (admin_epoch, epoch, num_updates) with its bump rules.
 * Never validates against the schema (cib_schema.c) and never rewrites old
 * syntax (cib_upgrade.c).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define VG_LOG_SUBSYS "cib"
#include <vigil/cib.h>

/* Section name -> absolute path; parent is the section it lives in. */
static const struct section {
	const char *name;
	const char *parent; /* NULL: child of <cib> */
	const char *xpath;
} sections[] = {
    {"cib", NULL, "/cib"},
    {"configuration", NULL, "/cib/configuration"},
    {"status", NULL, "/cib/status"},
    {"crm_config", "configuration", "/cib/configuration/crm_config"},
    {"nodes", "configuration", "/cib/configuration/nodes"},
    {"resources", "configuration", "/cib/configuration/resources"},
    {"constraints", "configuration", "/cib/configuration/constraints"},
    {"rsc_defaults", "configuration", "/cib/configuration/rsc_defaults"},
    {"op_defaults", "configuration", "/cib/configuration/op_defaults"},
    {"fencing-topology", "configuration", "/cib/configuration/fencing-topology"},
    {"tags", "configuration", "/cib/configuration/tags"},
    {"acls", "configuration", "/cib/configuration/acls"},
    {"alerts", "configuration", "/cib/configuration/alerts"},
};

static const struct section *find_section(const char *name)
{
	for (size_t i = 0; i < G_N_ELEMENTS(sections); i++)
		if (strcmp(sections[i].name, name) == 0)
			return &sections[i];
	return NULL;
}

const char *vg_cib_section_xpath(const char *section)
{
	const struct section *s = section ? find_section(section) : NULL;

	return s ? s->xpath : NULL;
}

xmlNode *vg_cib_section(xmlNode *cib, const char *section, bool create)
{
	const struct section *s = find_section(section);
	xmlNode *parent, *n;

	if (s == NULL || !vg_xml_is(cib, "cib"))
		return NULL;
	if (strcmp(s->name, "cib") == 0)
		return cib;
	parent = s->parent ? vg_cib_section(cib, s->parent, create) : cib;
	if (parent == NULL)
		return NULL;
	n = vg_xml_first(parent, s->name);
	if (n == NULL && create)
		n = vg_xml_new_child(parent, s->name);
	return n;
}

void vg_cib_normalize(xmlNode *cib)
{
	static const char *const required[] = {"crm_config", "nodes", "resources", "constraints"};
	static const char *const versions[] = {"admin_epoch", "epoch", "num_updates"};

	for (size_t i = 0; i < G_N_ELEMENTS(required); i++)
		vg_cib_section(cib, required[i], true);
	vg_cib_section(cib, "status", true);
	/* missing or unreadable versions become 0, so that what vigil reads as
	 * the version and what the document says never disagree */
	for (size_t i = 0; i < G_N_ELEMENTS(versions); i++) {
		const char *v = vg_xml_get(cib, versions[i]);
		bool digits = v != NULL && *v != '\0' && strlen(v) < 19;

		for (const char *p = v; digits && *p; p++)
			digits = g_ascii_isdigit(*p);
		if (!digits)
			vg_xml_set(cib, versions[i], "0");
		else if (v[0] == '0' && v[1] != '\0') /* leading zeros */
			vg_xml_set_int(cib, versions[i], g_ascii_strtoll(v, NULL, 10));
	}
	/* no validate-with is left alone: it marks Heartbeat-era syntax, which
	 * vg_cib_upgrade() rewrites (and then sets it) */
}

xmlDoc *vg_cib_new_empty(void)
{
	xmlDoc *doc = xmlNewDoc((const xmlChar *)"1.0");
	xmlNode *cib = xmlNewNode(NULL, (const xmlChar *)"cib");

	xmlDocSetRootElement(doc, cib);
	vg_xml_set(cib, "crm_feature_set", "3.19.0");
	vg_xml_set(cib, "validate-with", VG_CIB_SCHEMA_LATEST);
	vg_xml_set(cib, "epoch", "0");
	vg_xml_set(cib, "num_updates", "0");
	vg_xml_set(cib, "admin_epoch", "0");
	vg_cib_normalize(cib);
	return doc;
}

/* libxml2's depth message names a parser flag; say what it means instead. */
static int explain_parse_error(int rc, const char *what, vg_error_t *err)
{
	if (rc == VG_ETOOBIG && err != NULL && strstr(err->msg, "Excessive depth") != NULL) {
		char *line = g_strdup(strstr(err->msg, "line ") ? strstr(err->msg, "line ") : "");
		char *colon = strchr(line, ':');

		if (colon)
			*colon = '\0';
		vg_error_clear(err);
		vg_error_set(err, rc,
		             "%s: %s%selements nested too deep (more than %u levels); no CIB is "
		             "this deep",
		             what, line, *line ? ": " : "", VG_XML_MAX_DEPTH);
		g_free(line);
	}
	return rc;
}

static int check_root(xmlDoc *doc, const char *what, vg_error_t *err)
{
	xmlNode *root = xmlDocGetRootElement(doc);

	if (vg_xml_is(root, "cib"))
		return 0;
	if (vg_xml_is(root, "configuration"))
		return vg_error_set(
		    err, VG_EINVAL,
		    "%s: the root element is <configuration>; a CIB starts with "
		    "<cib> (wrap it: <cib><configuration>...</configuration></cib>)",
		    what);
	return vg_error_set(err, VG_EINVAL,
	                    "%s: the root element is <%s>, not <cib>; this is not a CIB", what,
	                    vg_xml_name(root));
}

int vg_cib_parse(const char *buf, size_t len, const char *what, xmlDoc **out, vg_error_t *err)
{
	vg_xml_limits_t lim = {VG_CIB_MAX_SIZE, VG_XML_MAX_DEPTH, VG_XML_MAX_ATTR_LEN};
	xmlDoc *doc;
	int rc;

	*out = NULL;
	what = what ? what : "CIB";
	rc = vg_xml_parse(buf, len, what, &lim, &doc, err);
	if (rc != 0)
		return explain_parse_error(rc, what, err);
	rc = check_root(doc, what, err);
	if (rc != 0) {
		xmlFreeDoc(doc);
		return rc;
	}
	vg_cib_normalize(xmlDocGetRootElement(doc));
	*out = doc;
	return 0;
}

int vg_cib_load_file(const char *path, xmlDoc **out, vg_error_t *err)
{
	vg_xml_limits_t lim = {VG_CIB_MAX_SIZE, VG_XML_MAX_DEPTH, VG_XML_MAX_ATTR_LEN};
	xmlDoc *doc;
	int rc;

	*out = NULL;
	rc = vg_xml_parse_file(path, &lim, &doc, err);
	if (rc != 0)
		return explain_parse_error(rc, path, err);
	rc = check_root(doc, path, err);
	if (rc != 0) {
		xmlFreeDoc(doc);
		return rc;
	}
	vg_cib_normalize(xmlDocGetRootElement(doc));
	*out = doc;
	return 0;
}

/* ----------------------------------------------------------------- versions */

static long long get_ll(const xmlNode *n, const char *attr)
{
	const char *s = vg_xml_get(n, attr);
	char *end;
	long long v;

	if (s == NULL || *s == '\0')
		return 0;
	v = strtoll(s, &end, 10);
	return (*end == '\0' && v >= 0) ? v : 0;
}

void vg_cib_version_get(const xmlNode *cib, vg_cib_version_t *v)
{
	v->admin_epoch = get_ll(cib, "admin_epoch");
	v->epoch = get_ll(cib, "epoch");
	v->num_updates = get_ll(cib, "num_updates");
}

void vg_cib_version_set(xmlNode *cib, const vg_cib_version_t *v)
{
	vg_xml_set_int(cib, "admin_epoch", v->admin_epoch);
	vg_xml_set_int(cib, "epoch", v->epoch);
	vg_xml_set_int(cib, "num_updates", v->num_updates);
}

static int cmp_ll(long long a, long long b)
{
	return (a > b) - (a < b);
}

int vg_cib_version_cmp(const vg_cib_version_t *a, const vg_cib_version_t *b)
{
	int c = cmp_ll(a->admin_epoch, b->admin_epoch);

	if (c == 0)
		c = cmp_ll(a->epoch, b->epoch);
	if (c == 0)
		c = cmp_ll(a->num_updates, b->num_updates);
	return c;
}

const char *vg_cib_version_str(const vg_cib_version_t *v, char *buf, size_t len)
{
	snprintf(buf, len, "%lld.%lld.%lld", v->admin_epoch, v->epoch, v->num_updates);
	return buf;
}

void vg_cib_bump_config(xmlNode *cib)
{
	vg_cib_version_t v;

	vg_cib_version_get(cib, &v);
	v.epoch++;
	v.num_updates = 0;
	vg_cib_version_set(cib, &v);
}

void vg_cib_bump_status(xmlNode *cib)
{
	vg_cib_version_t v;

	vg_cib_version_get(cib, &v);
	v.num_updates++;
	vg_cib_version_set(cib, &v);
}

bool vg_cib_attr_is_volatile(const char *name)
{
	static const char *const volatile_attrs[] = {
	    "admin_epoch",   "epoch",       "num_updates", "cib-last-written", "update-origin",
	    "update-client", "update-user", "have-quorum", "dc-uuid",          "execution-date",
	};

	for (size_t i = 0; i < G_N_ELEMENTS(volatile_attrs); i++)
		if (strcmp(name, volatile_attrs[i]) == 0)
			return true;
	return false;
}
