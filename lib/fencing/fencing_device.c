/*
 * fencing_device.c: one fencing device built from a CIB primitive with
 * class="stonith": which agent kind runs it, its parameters, and the pcmk_*
 * parameters that tell the fencer which hosts it fences and how (host list,
 * host map "node:port;node2:port2", host check, delays, action overrides
 * and timeouts).  It never talks to the device.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define VG_LOG_SUBSYS "fencing"
#include <string.h>

#include "fencing_private.h"

static const struct {
	const char *name;
	vg_fence_host_check_t check;
} host_checks[] = {
    {"static-list", VG_FENCE_CHECK_STATIC},
    {"dynamic-list", VG_FENCE_CHECK_DYNAMIC},
    {"status", VG_FENCE_CHECK_STATUS},
    {"none", VG_FENCE_CHECK_NONE},
};

/* vg_nvset_unpack would do this with rules and scores; stonith parameters
 * rarely use them, and this keeps the fencer independent of that part of
 * common. */
void fence_unpack_sets(const xmlNode *parent, const char *set_name, GHashTable *idx, bool overwrite,
                       GHashTable *out)
{
	xmlNode *set;
	VG_XML_FOREACH(set, parent, set_name)
	{
		xmlNode *real = idx ? vg_xml_deref(set, idx) : set;
		xmlNode *nv;
		if (real == NULL)
			continue;
		VG_XML_FOREACH(nv, real, "nvpair")
		{
			xmlNode *p = idx ? vg_xml_deref(nv, idx) : nv;
			const char *name = p ? vg_xml_get(p, "name") : NULL;
			const char *value = p ? vg_xml_get(p, "value") : NULL;
			if (name != NULL && value != NULL &&
			    (overwrite || !g_hash_table_contains(out, name)))
				g_hash_table_replace(out, g_strdup(name), g_strdup(value));
		}
	}
}

static int parse_ms(const char *dev, const char *name, const char *v, uint64_t *out,
                    vg_error_t *err)
{
	if (v == NULL)
		return 0;
	if (vg_interval_parse_ms(v, out) != 0)
		return vg_error_set(err, VG_ECONFIG,
		                    "fencing device %s: %s=\"%s\" is not a time (e.g. 5s, 500ms)",
		                    dev, name, v);
	return 0;
}

static int parse_host_map(vg_fence_device_t *d, const char *map, vg_error_t *err)
{
	/* "node1:1;node2:2" also accepting spaces and commas as separators,
	 * and "node=port" like the agents' own syntax. */
	char **items = g_strsplit_set(map, "; ,\t\n", -1);
	int rc = 0;
	for (char **it = items; *it != NULL; it++) {
		if (**it == '\0')
			continue;
		char *sep = strpbrk(*it, ":=");
		if (sep == NULL || sep == *it || sep[1] == '\0') {
			rc = vg_error_set(err, VG_ECONFIG,
			                  "fencing device %s: pcmk_host_map entry \"%s\" is not "
			                  "NODE:PORT",
			                  d->id, *it);
			break;
		}
		*sep = '\0';
		g_hash_table_insert(d->host_map, g_strdup(*it), g_strdup(sep + 1));
	}
	g_strfreev(items);
	return rc;
}

static vg_fence_kind_t kind_of(const char *agent)
{
	if (g_str_has_prefix(agent, "external/"))
		return VG_FENCE_KIND_EXTERNAL;
	if (g_str_has_prefix(agent, "vigil-"))
		return VG_FENCE_KIND_NATIVE;
	return VG_FENCE_KIND_AGENT;
}

static int unpack_pcmk(vg_fence_device_t *d, GHashTable *meta, vg_error_t *err)
{
	const char *v;
	int rc = 0;

	if ((v = g_hash_table_lookup(d->params, "pcmk_host_list")) != NULL) {
		char **hosts = g_strsplit_set(v, " ,;\t\n", -1);
		for (char **h = hosts; *h != NULL; h++)
			if (**h != '\0')
				g_ptr_array_add(d->host_list, g_strdup(*h));
		g_strfreev(hosts);
	}
	if ((v = g_hash_table_lookup(d->params, "pcmk_host_map")) != NULL &&
	    (rc = parse_host_map(d, v, err)) != 0)
		return rc;
	/* Default like Pacemaker: static-list when a list or map is given,
	 * else ask the device. */
	d->host_check = (d->host_list->len > 0 || g_hash_table_size(d->host_map) > 0)
	                    ? VG_FENCE_CHECK_STATIC
	                    : VG_FENCE_CHECK_DYNAMIC;
	if ((v = g_hash_table_lookup(d->params, "pcmk_host_check")) != NULL) {
		size_t i;
		for (i = 0; i < G_N_ELEMENTS(host_checks); i++)
			if (strcmp(v, host_checks[i].name) == 0)
				break;
		if (i == G_N_ELEMENTS(host_checks))
			return vg_error_set(
			    err, VG_ECONFIG,
			    "fencing device %s: pcmk_host_check=\"%s\" is not one of "
			    "static-list, dynamic-list, status, none",
			    d->id, v);
		d->host_check = host_checks[i].check;
	}
	if ((rc = parse_ms(d->id, "pcmk_delay_base",
	                   g_hash_table_lookup(d->params, "pcmk_delay_base"), &d->delay_base_ms,
	                   err)) != 0 ||
	    (rc =
	         parse_ms(d->id, "pcmk_delay_max", g_hash_table_lookup(d->params, "pcmk_delay_max"),
	                  &d->delay_max_ms, err)) != 0)
		return rc;
	d->action_limit = 1;
	if ((v = g_hash_table_lookup(d->params, "pcmk_action_limit")) != NULL) {
		char *end;
		long n = strtol(v, &end, 10);
		if (*end != '\0' || n == 0 || n < -1)
			return vg_error_set(err, VG_ECONFIG,
			                    "fencing device %s: pcmk_action_limit=\"%s\" must be a "
			                    "positive number or -1",
			                    d->id, v);
		d->action_limit = (int)n;
	}
	for (unsigned a = 0; a < VG_FENCE_N_ACTIONS; a++) {
		const char *an = vg_fence_action_name(a);
		char *key = g_strdup_printf("pcmk_%s_action", an);
		if ((v = g_hash_table_lookup(d->params, key)) != NULL)
			d->action_override[a] = g_strdup(v);
		g_free(key);
		key = g_strdup_printf("pcmk_%s_timeout", an);
		rc = parse_ms(d->id, key, g_hash_table_lookup(d->params, key), &d->timeout_ms[a],
		              err);
		g_free(key);
		if (rc != 0)
			return rc;
	}
	if ((v = g_hash_table_lookup(meta, "priority")) != NULL)
		vg_score_parse(v, &d->priority);
	if ((v = g_hash_table_lookup(meta, "target-role")) != NULL &&
	    g_ascii_strcasecmp(v, "Stopped") == 0)
		d->disabled = true;
	return 0;
}

static void unpack_ops(vg_fence_device_t *d, const xmlNode *primitive)
{
	xmlNode *ops = vg_xml_first(primitive, "operations");
	xmlNode *op;
	if (ops == NULL)
		return;
	VG_XML_FOREACH(op, ops, "op")
	{
		const char *name = vg_xml_get(op, "name");
		uint64_t ms = 0;
		if (name == NULL || strcmp(name, "monitor") != 0)
			continue;
		if (vg_xml_get(op, "interval") != NULL &&
		    vg_interval_parse_ms(vg_xml_get(op, "interval"), &ms) == 0)
			d->monitor_interval_ms = ms;
		if (vg_xml_get(op, "timeout") != NULL &&
		    vg_interval_parse_ms(vg_xml_get(op, "timeout"), &ms) == 0 &&
		    d->timeout_ms[VG_FENCE_MONITOR] == 0)
			d->timeout_ms[VG_FENCE_MONITOR] = ms;
	}
}

int vg_fence_device_from_xml(const xmlNode *primitive, GHashTable *idx, vg_fence_device_t **out,
                             vg_error_t *err)
{
	const char *id = vg_xml_get(primitive, "id");
	const char *klass = vg_xml_get(primitive, "class");
	const char *type = vg_xml_get(primitive, "type");
	int rc;

	if (id == NULL || klass == NULL || strcmp(klass, "stonith") != 0)
		return vg_error_set(err, VG_ECONFIG,
		                    "primitive %s: not a fencing device (class must be stonith)",
		                    id ? id : "(no id)");
	if (type == NULL || *type == '\0' || strstr(type, "..") != NULL || type[0] == '/')
		return vg_error_set(err, VG_ECONFIG,
		                    "fencing device %s: missing or invalid agent type", id);

	vg_fence_device_t *d = g_new0(vg_fence_device_t, 1);
	GHashTable *meta = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	d->id = g_strdup(id);
	d->agent = g_strdup(type);
	d->kind = kind_of(type);
	d->params = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	d->host_list = g_ptr_array_new_with_free_func(g_free);
	d->host_map = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	fence_unpack_sets(primitive, "instance_attributes", idx, false, d->params);
	fence_unpack_sets(primitive, "meta_attributes", idx, false, meta);
	rc = unpack_pcmk(d, meta, err);
	g_hash_table_destroy(meta);
	if (rc != 0) {
		vg_fence_device_free(d);
		return rc;
	}
	unpack_ops(d, primitive);
	*out = d;
	return 0;
}

void vg_fence_device_free(vg_fence_device_t *d)
{
	if (d == NULL)
		return;
	g_free(d->id);
	g_free(d->agent);
	g_hash_table_destroy(d->params);
	g_ptr_array_unref(d->host_list);
	g_hash_table_destroy(d->host_map);
	for (unsigned a = 0; a < VG_FENCE_N_ACTIONS; a++)
		g_free(d->action_override[a]);
	g_free(d);
}

char *vg_fence_device_port(const vg_fence_device_t *d, const char *target)
{
	const char *port = g_hash_table_lookup(d->host_map, target);
	return g_strdup(port ? port : target);
}

bool vg_fence_device_static_match(const vg_fence_device_t *d, const char *target)
{
	if (d->host_check == VG_FENCE_CHECK_NONE)
		return true;
	if (d->host_check != VG_FENCE_CHECK_STATIC)
		return false;
	if (g_hash_table_contains(d->host_map, target))
		return true;
	for (guint i = 0; i < d->host_list->len; i++)
		if (strcmp(g_ptr_array_index(d->host_list, i), target) == 0)
			return true;
	return false;
}

uint64_t vg_fence_device_timeout(const vg_fence_device_t *d, vg_fence_action_t a,
                                 uint64_t default_ms)
{
	if ((unsigned)a < VG_FENCE_N_ACTIONS && d->timeout_ms[a] > 0)
		return d->timeout_ms[a];
	return default_ms;
}

const char *vg_fence_device_agent_action(const vg_fence_device_t *d, vg_fence_action_t a)
{
	if ((unsigned)a < VG_FENCE_N_ACTIONS && d->action_override[a] != NULL)
		return d->action_override[a];
	return vg_fence_action_name(a);
}
