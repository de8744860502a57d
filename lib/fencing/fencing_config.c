/*
 * fencing_config.c: everything the fencer reads from the CIB: devices
 * (class="stonith" primitives, also inside groups and clones), the
 * fencing-topology levels, the cluster options fencing-enabled (stonith-enabled),
 * stonith-timeout and priority-fencing-delay, and node attributes from
 * <nodes> (for levels selected by attribute).  Pure: no I/O except the
 * file variant, no device traffic.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define VG_LOG_SUBSYS "fencing"
#include <regex.h>
#include <string.h>

#include "fencing_private.h"

static void level_free(gpointer p)
{
	vg_fence_level_t *l = p;
	g_free(l->id);
	g_free(l->target);
	g_free(l->value);
	g_ptr_array_unref(l->devices);
	g_free(l);
}

vg_fence_config_t *vg_fence_config_new_empty(void)
{
	vg_fence_config_t *c = g_new0(vg_fence_config_t, 1);
	c->devices = g_ptr_array_new_with_free_func((GDestroyNotify)vg_fence_device_free);
	c->levels = g_ptr_array_new_with_free_func(level_free);
	c->node_attrs = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
	                                      (GDestroyNotify)g_hash_table_destroy);
	c->stonith_timeout_ms = 60000;
	c->stonith_enabled = true;
	return c;
}

void vg_fence_config_free(vg_fence_config_t *c)
{
	if (c == NULL)
		return;
	g_ptr_array_unref(c->devices);
	g_ptr_array_unref(c->levels);
	g_hash_table_destroy(c->node_attrs);
	g_free(c);
}

vg_fence_device_t *vg_fence_config_device(const vg_fence_config_t *c, const char *id)
{
	for (guint i = 0; i < c->devices->len; i++) {
		vg_fence_device_t *d = g_ptr_array_index(c->devices, i);
		if (strcmp(d->id, id) == 0)
			return d;
	}
	return NULL;
}

static void read_options(vg_fence_config_t *c, const xmlNode *conf)
{
	GHashTable *opts = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	xmlNode *crm = vg_xml_first(conf, "crm_config");
	const char *v;
	uint64_t ms;
	if (crm != NULL)
		fence_unpack_sets(crm, "cluster_property_set", NULL, true, opts);
	if ((v = g_hash_table_lookup(opts, "stonith-timeout")) && vg_interval_parse_ms(v, &ms) == 0)
		c->stonith_timeout_ms = ms;
	if ((v = g_hash_table_lookup(opts, "priority-fencing-delay")) &&
	    vg_interval_parse_ms(v, &ms) == 0)
		c->priority_fencing_delay_ms = ms;
	/* the newer name wins, as in the scheduler */
	if ((v = g_hash_table_lookup(opts, "fencing-enabled")) != NULL ||
	    (v = g_hash_table_lookup(opts, "stonith-enabled")) != NULL)
		c->stonith_enabled =
		    !(g_ascii_strcasecmp(v, "false") == 0 || g_ascii_strcasecmp(v, "no") == 0 ||
		      g_ascii_strcasecmp(v, "off") == 0 || strcmp(v, "0") == 0);
	g_hash_table_destroy(opts);
}

static void read_nodes(vg_fence_config_t *c, const xmlNode *conf)
{
	xmlNode *nodes = vg_xml_first(conf, "nodes"), *node;
	if (nodes == NULL)
		return;
	VG_XML_FOREACH(node, nodes, "node")
	{
		const char *uname = vg_xml_get(node, "uname");
		if (uname == NULL)
			continue;
		GHashTable *attrs = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
		fence_unpack_sets(node, "instance_attributes", NULL, true, attrs);
		g_hash_table_replace(c->node_attrs, g_strdup(uname), attrs);
	}
}

static void read_devices(vg_fence_config_t *c, const xmlNode *parent, GHashTable *idx,
                         GPtrArray *warnings)
{
	for (xmlNode *n = vg_xml_first(parent, NULL); n != NULL; n = vg_xml_next(n, NULL)) {
		if (vg_xml_is(n, "group") || vg_xml_is(n, "clone") || vg_xml_is(n, "master") ||
		    vg_xml_is(n, "bundle")) {
			read_devices(c, n, idx, warnings);
			continue;
		}
		const char *klass = vg_xml_get(n, "class");
		if (!vg_xml_is(n, "primitive") || klass == NULL || strcmp(klass, "stonith") != 0)
			continue;
		vg_error_t e = {0};
		vg_fence_device_t *d = NULL;
		if (vg_fence_device_from_xml(n, idx, &d, &e) != 0) {
			vg_log_warn("%s (device ignored)", e.msg);
			if (warnings != NULL)
				g_ptr_array_add(warnings, g_strdup(e.msg));
			continue;
		}
		g_ptr_array_add(c->devices, d);
	}
}

static int read_level(vg_fence_config_t *c, const xmlNode *n, vg_error_t *err)
{
	const char *id = vg_xml_get(n, "id"), *index = vg_xml_get(n, "index");
	const char *devices = vg_xml_get(n, "devices");
	vg_fence_level_t *l = g_new0(vg_fence_level_t, 1);
	char *end = NULL;
	l->id = g_strdup(id ? id : "(no id)");
	l->devices = g_ptr_array_new_with_free_func(g_free);
	l->index = index ? (int)strtol(index, &end, 10) : 0;
	if (index == NULL || *end != '\0' || l->index < 1 || l->index > 9) {
		level_free(l);
		return vg_error_set(err, VG_ECONFIG, "fencing-level %s: index must be 1..9",
		                    id ? id : "(no id)");
	}
	if (vg_xml_get(n, "target") != NULL) {
		l->kind = VG_FENCE_LEVEL_NODE;
		l->target = g_strdup(vg_xml_get(n, "target"));
	} else if (vg_xml_get(n, "target-pattern") != NULL) {
		regex_t re;
		l->kind = VG_FENCE_LEVEL_PATTERN;
		l->target = g_strdup(vg_xml_get(n, "target-pattern"));
		if (regcomp(&re, l->target, REG_EXTENDED | REG_NOSUB) != 0) {
			vg_error_set(err, VG_ECONFIG,
			             "fencing-level %s: target-pattern \"%s\" is not a valid "
			             "regular expression",
			             l->id, l->target);
			level_free(l);
			return VG_ECONFIG;
		}
		regfree(&re);
	} else if (vg_xml_get(n, "target-attribute") != NULL) {
		l->kind = VG_FENCE_LEVEL_ATTRIBUTE;
		l->target = g_strdup(vg_xml_get(n, "target-attribute"));
		l->value =
		    g_strdup(vg_xml_get(n, "target-value") ? vg_xml_get(n, "target-value") : "");
	} else {
		vg_error_set(err, VG_ECONFIG,
		             "fencing-level %s: needs target, target-pattern or target-attribute",
		             l->id);
		level_free(l);
		return VG_ECONFIG;
	}
	char **devs = g_strsplit(devices ? devices : "", ",", -1);
	for (char **d = devs; *d != NULL; d++) {
		g_strstrip(*d);
		if (**d != '\0')
			g_ptr_array_add(l->devices, g_strdup(*d));
	}
	g_strfreev(devs);
	if (l->devices->len == 0) {
		vg_error_set(err, VG_ECONFIG, "fencing-level %s: no devices", l->id);
		level_free(l);
		return VG_ECONFIG;
	}
	g_ptr_array_add(c->levels, l);
	return 0;
}

int vg_fence_config_from_cib(const xmlNode *cib, vg_fence_config_t **out, GPtrArray **warnings,
                             vg_error_t *err)
{
	const xmlNode *conf = cib;
	xmlNode *n;
	if (cib != NULL && vg_xml_is(cib, "cib"))
		conf = vg_xml_first(cib, "configuration");
	if (conf == NULL || !vg_xml_is(conf, "configuration"))
		return vg_error_set(err, VG_ECONFIG,
		                    "fencing configuration: expected a <cib> or <configuration>");
	vg_fence_config_t *c = vg_fence_config_new_empty();
	GHashTable *idx = vg_xml_id_index(conf, NULL);
	if (warnings != NULL)
		*warnings = g_ptr_array_new_with_free_func(g_free);
	read_options(c, conf);
	read_nodes(c, conf);
	if ((n = vg_xml_first(conf, "resources")) != NULL)
		read_devices(c, n, idx, warnings ? *warnings : NULL);
	g_hash_table_destroy(idx);
	if ((n = vg_xml_first(conf, "fencing-topology")) != NULL) {
		xmlNode *lv;
		VG_XML_FOREACH(lv, n, "fencing-level")
		{
			if (read_level(c, lv, err) != 0) {
				vg_fence_config_free(c);
				if (warnings != NULL) {
					g_ptr_array_unref(*warnings);
					*warnings = NULL;
				}
				return VG_ECONFIG;
			}
		}
	}
	*out = c;
	return 0;
}

int vg_fence_config_load_file(const char *path, vg_fence_config_t **out, vg_error_t *err)
{
	xmlDoc *doc = NULL;
	int rc = vg_xml_parse_file(path, NULL, &doc, err);
	if (rc != 0)
		return rc;
	rc = vg_fence_config_from_cib(xmlDocGetRootElement(doc), out, NULL, err);
	if (rc != 0)
		vg_error_prefix(err, "%s: ", path);
	xmlFreeDoc(doc);
	return rc;
}
