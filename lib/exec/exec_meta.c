/*
 * exec_meta.c: agent meta-data.  Parses the <resource-agent> document of the
 * OCF resource agent API (parameters with content type/default, actions with
 * timeout/interval/role/depth) into plain structs, and caches parsed
 * documents per agent for the life of the cache.
 * Agent output is untrusted: it goes through vg_xml_parse with tight limits
 * (size, depth, attribute length), and every field is optional except the
 * root element and parameter/action names.  Timeouts that do not parse are
 * treated as absent rather than failing the whole document.
 * Never: runs an agent except through vg_exec_agent_run_sync (fetch).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define VG_LOG_SUBSYS "exec"
#include "config.h"

#include <string.h>

#include <vigil/exec.h>

#include "exec_internal.h"

static const vg_xml_limits_t meta_limits = {
    .max_size = VG_RA_META_MAX_SIZE,
    .max_depth = 32,
    .max_attr_len = 64 * 1024,
};

/* Text content of the first child element `name` (g_malloc'd, trimmed) or NULL. */
static char *child_text(const xmlNode *parent, const char *name)
{
	xmlNode *n = vg_xml_first(parent, name);
	xmlChar *c;
	char *s;

	if (n == NULL)
		return NULL;
	c = xmlNodeGetContent(n);
	if (c == NULL)
		return NULL;
	s = g_strstrip(g_strdup((const char *)c));
	xmlFree(c);
	return s;
}

static bool flag(const xmlNode *n, const char *attr)
{
	const char *v = vg_xml_get(n, attr);

	return v != NULL && (strcmp(v, "1") == 0 || g_ascii_strcasecmp(v, "true") == 0 ||
	                     g_ascii_strcasecmp(v, "yes") == 0);
}

static uint64_t duration_ms(const char *s)
{
	uint64_t ms = 0;

	if (s == NULL || vg_interval_parse_ms(s, &ms) != VG_OK)
		return 0;
	return ms;
}

static void param_free(gpointer p)
{
	vg_ra_param_t *x = p;

	g_free(x->name);
	g_free(x->type);
	g_free(x->default_value);
	g_free(x->shortdesc);
	g_free(x);
}

static void action_free(gpointer p)
{
	vg_ra_action_t *a = p;

	g_free(a->name);
	g_free(a->role);
	g_free(a);
}

static int parse_params(const xmlNode *root, vg_ra_meta_t *m, vg_error_t *err)
{
	xmlNode *params = vg_xml_first(root, "parameters"), *p;

	if (params == NULL)
		return VG_OK;
	VG_XML_FOREACH(p, params, "parameter")
	{
		const char *name = vg_xml_get(p, "name");
		xmlNode *content = vg_xml_first(p, "content");
		vg_ra_param_t *x;

		if (name == NULL || *name == '\0')
			return vg_error_set(err, VG_EPARSE,
			                    "agent meta-data: a parameter has no name");
		x = g_new0(vg_ra_param_t, 1);
		x->name = g_strdup(name);
		x->required = flag(p, "required");
		x->unique = flag(p, "unique") || flag(p, "unique-group");
		x->reloadable = flag(p, "reloadable");
		x->shortdesc = child_text(p, "shortdesc");
		x->type = g_strdup(content != NULL && vg_xml_get(content, "type") != NULL
		                       ? vg_xml_get(content, "type")
		                       : "string");
		if (content != NULL && vg_xml_get(content, "default") != NULL)
			x->default_value = g_strdup(vg_xml_get(content, "default"));
		g_ptr_array_add(m->params, x);
	}
	return VG_OK;
}

static int parse_actions(const xmlNode *root, vg_ra_meta_t *m, vg_error_t *err)
{
	xmlNode *actions = vg_xml_first(root, "actions"), *a;

	if (actions == NULL)
		return VG_OK;
	VG_XML_FOREACH(a, actions, "action")
	{
		const char *name = vg_xml_get(a, "name");
		const char *depth = vg_xml_get(a, "depth");
		vg_ra_action_t *x;

		if (name == NULL || *name == '\0')
			return vg_error_set(err, VG_EPARSE,
			                    "agent meta-data: an action has no name");
		x = g_new0(vg_ra_action_t, 1);
		x->name = g_strdup(name);
		x->timeout_ms = duration_ms(vg_xml_get(a, "timeout"));
		x->interval_ms = duration_ms(vg_xml_get(a, "interval"));
		x->role = g_strdup(vg_xml_get(a, "role"));
		x->depth = depth != NULL ? (int)g_ascii_strtoll(depth, NULL, 10) : 0;
		g_ptr_array_add(m->actions, x);
	}
	return VG_OK;
}

/*
 * Most agents start with <!DOCTYPE resource-agent SYSTEM "ra-api-1.dtd">.
 * vg_xml_parse refuses any DTD, so an external-only declaration (no
 * internal subset, hence no entities) is blanked out before parsing; one
 * with an internal subset '[' stays and is refused.  Returns a copy when it
 * changed something, else NULL.
 */
static char *strip_doctype(const char *buf, size_t len)
{
	const char *end = buf + len, *p, *q;
	char *copy;

	p = g_strstr_len(buf, (gssize)MIN(len, 4096), "<!DOCTYPE");
	if (p == NULL)
		return NULL;
	for (q = p; q < end && *q != '>' && *q != '['; q++)
		;
	if (q >= end || *q != '>')
		return NULL;
	copy = g_memdup2(buf, len);
	memset(copy + (p - buf), ' ', (size_t)(q - p + 1));
	return copy;
}

int vg_exec_meta_parse(const char *buf, size_t len, vg_ra_meta_t **out, vg_error_t *err)
{
	char *stripped;
	xmlDoc *doc = NULL;
	xmlNode *root;
	vg_ra_meta_t *m;
	int rc;

	*out = NULL;
	if (buf == NULL || len == 0)
		return vg_error_set(err, VG_EPARSE, "agent meta-data: empty output");
	if (len > VG_RA_META_MAX_SIZE)
		return vg_error_set(err, VG_ETOOBIG, "agent meta-data: %zu bytes, more than %u",
		                    len, VG_RA_META_MAX_SIZE);
	stripped = strip_doctype(buf, len);
	rc = vg_xml_parse(stripped ? stripped : buf, len, "agent meta-data", &meta_limits, &doc,
	                  err);
	g_free(stripped);
	if (rc != VG_OK)
		return rc;
	root = xmlDocGetRootElement(doc);
	if (root == NULL || !vg_xml_is(root, "resource-agent")) {
		rc = vg_error_set(err, VG_EPARSE,
		                  "agent meta-data: root element is <%s>, not <resource-agent>",
		                  root != NULL ? vg_xml_name(root) : "");
		xmlFreeDoc(doc);
		return rc;
	}
	m = g_new0(vg_ra_meta_t, 1);
	m->params = g_ptr_array_new_with_free_func(param_free);
	m->actions = g_ptr_array_new_with_free_func(action_free);
	m->name = g_strdup(vg_xml_get(root, "name"));
	m->version = child_text(root, "version");
	if (m->version == NULL)
		m->version = g_strdup(vg_xml_get(root, "version"));
	m->shortdesc = child_text(root, "shortdesc");
	m->longdesc = child_text(root, "longdesc");
	rc = parse_params(root, m, err);
	if (rc == VG_OK)
		rc = parse_actions(root, m, err);
	xmlFreeDoc(doc);
	if (rc != VG_OK) {
		vg_exec_meta_free(m);
		return rc;
	}
	*out = m;
	return VG_OK;
}

void vg_exec_meta_free(vg_ra_meta_t *m)
{
	if (m == NULL)
		return;
	g_free(m->name);
	g_free(m->version);
	g_free(m->shortdesc);
	g_free(m->longdesc);
	g_ptr_array_unref(m->params);
	g_ptr_array_unref(m->actions);
	g_free(m);
}

const vg_ra_action_t *vg_exec_meta_action(const vg_ra_meta_t *m, const char *name)
{
	for (guint i = 0; m != NULL && i < m->actions->len; i++) {
		const vg_ra_action_t *a = m->actions->pdata[i];

		if (strcmp(a->name, name) == 0)
			return a;
	}
	return NULL;
}

const vg_ra_param_t *vg_exec_meta_param(const vg_ra_meta_t *m, const char *name)
{
	for (guint i = 0; m != NULL && i < m->params->len; i++) {
		const vg_ra_param_t *p = m->params->pdata[i];

		if (strcmp(p->name, name) == 0)
			return p;
	}
	return NULL;
}

int vg_exec_meta_fetch(const char *klass, const char *provider, const char *type,
                       const vg_exec_paths_t *paths, char **xml, vg_error_t *err)
{
	vg_exec_agent_op_t op = {
	    .rsc_id = type,
	    .klass = klass,
	    .provider = provider,
	    .type = type,
	    .action = "meta-data",
	    .timeout_ms = 10000,
	    .paths = paths,
	};
	vg_exec_agent_result_t res;
	int rc = VG_OK;

	*xml = NULL;
	vg_exec_agent_run_sync(&op, &res);
	if (res.status == VG_OP_NOT_INSTALLED)
		rc = vg_error_set(err, VG_ENOENT, "%s",
		                  res.exit_reason ? res.exit_reason : "agent not installed");
	else if (res.status == VG_OP_NOT_SUPPORTED)
		rc = vg_error_set(err, VG_ENOTSUP, "%s",
		                  res.exit_reason ? res.exit_reason : "not supported");
	else if (res.status == VG_OP_DONE && res.out_truncated)
		rc = vg_error_set(
		    err, VG_ETOOBIG, "%s:%s%s%s: meta-data output is more than %u bytes", klass,
		    provider ? provider : "", provider ? ":" : "", type, VG_RA_META_MAX_SIZE);
	else if (res.status != VG_OP_DONE || res.rc != VG_OCF_SUCCESS)
		rc = vg_error_set(err, VG_EFAILED, "%s:%s%s%s: meta-data failed: %s (rc %d)%s%s",
		                  klass, provider ? provider : "", provider ? ":" : "", type,
		                  vg_exec_op_status_name(res.status), res.rc,
		                  res.exit_reason ? ": " : "",
		                  res.exit_reason ? res.exit_reason : "");
	else {
		*xml = res.out;
		res.out = NULL;
	}
	vg_exec_agent_result_clear(&res);
	return rc;
}

struct vg_exec_meta_cache {
	GHashTable *metas; /* "class:provider:type" -> vg_ra_meta_t * */
	vg_exec_paths_t paths;
	bool have_paths;
};

vg_exec_meta_cache_t *vg_exec_meta_cache_new(const vg_exec_paths_t *paths)
{
	vg_exec_meta_cache_t *c = g_new0(vg_exec_meta_cache_t, 1);

	c->metas = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
	                                 (GDestroyNotify)vg_exec_meta_free);
	if (paths != NULL) {
		c->paths = *paths;
		c->have_paths = true;
	}
	return c;
}

void vg_exec_meta_cache_free(vg_exec_meta_cache_t *c)
{
	if (c == NULL)
		return;
	g_hash_table_destroy(c->metas);
	g_free(c);
}

int vg_exec_meta_cache_get(vg_exec_meta_cache_t *c, const char *klass, const char *provider,
                           const char *type, const vg_ra_meta_t **out, vg_error_t *err)
{
	char *key = g_strdup_printf("%s:%s:%s", klass, provider ? provider : "", type);
	vg_ra_meta_t *m = g_hash_table_lookup(c->metas, key);
	char *xml = NULL;
	int rc;

	*out = NULL;
	if (m != NULL) {
		g_free(key);
		*out = m;
		return VG_OK;
	}
	rc = vg_exec_meta_fetch(klass, provider, type, c->have_paths ? &c->paths : NULL, &xml, err);
	if (rc == VG_OK)
		rc = vg_exec_meta_parse(xml, strlen(xml), &m, err);
	g_free(xml);
	if (rc != VG_OK) {
		g_free(key);
		return rc;
	}
	g_hash_table_insert(c->metas, key, m);
	*out = m;
	return VG_OK;
}
