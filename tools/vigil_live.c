/*
 * vigil_live.c: see vigil_live.h.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <vigil/cib.h>

#include "vigil_live.h"

int vg_live_fail(const char *prog, int rc, const vg_error_t *err)
{
	fprintf(stderr, "vigil %s: %s\n", prog, err && err->msg[0] ? err->msg : vg_strerror(rc));
	if (rc == VG_ENOTCONN)
		return 69;
	if (rc == VG_ENOENT)
		return 105;
	if (rc == VG_EPERM)
		return 4;
	return 1;
}

vg_client_t *vg_live_connect(const char *prog)
{
	vg_error_t err = {0};
	vg_client_t *c = vg_client_connect(NULL, &err);
	if (!c)
		vg_live_fail(prog, VG_ENOTCONN, &err);
	return c;
}

int vg_live_view(vg_client_t *c, const char *prog, vg_live_view_t *out)
{
	vg_error_t err = {0};
	memset(out, 0, sizeof(*out));
	int rc = vg_client_status(c, &out->cib, &out->st, &err);
	if (rc != 0)
		return vg_live_fail(prog, rc, &err);
	vg_sched_options_t opts = {.dc_name = out->st.dc};
	rc = vg_sched_run(xmlDocGetRootElement(out->cib),
	                  (vg_time_t)(g_get_real_time() / G_USEC_PER_SEC), &opts, &out->res, &err);
	if (rc != 0) {
		vg_live_view_free(out);
		return vg_live_fail(prog, rc, &err);
	}
	out->v = vg_sched_result_cluster(out->res);
	return 0;
}

void vg_live_view_free(vg_live_view_t *lv)
{
	vg_sched_result_free(lv->res);
	xmlFreeDoc(lv->cib);
	vg_client_status_clear(&lv->st);
	memset(lv, 0, sizeof(*lv));
}

static const vg_sched_rsc_view_t *find_in(const vg_sched_rsc_view_t *r, const char *id)
{
	if (g_strcmp0(r->id, id) == 0)
		return r;
	for (guint i = 0; r->children && i < r->children->len; i++) {
		const vg_sched_rsc_view_t *f = find_in(g_ptr_array_index(r->children, i), id);
		if (f)
			return f;
	}
	return NULL;
}

const vg_sched_rsc_view_t *vg_live_find_rsc(const vg_sched_cluster_view_t *v, const char *id)
{
	for (guint i = 0; i < v->resources->len; i++) {
		const vg_sched_rsc_view_t *f = find_in(g_ptr_array_index(v->resources, i), id);
		if (f)
			return f;
	}
	return NULL;
}

static void collect(const vg_sched_rsc_view_t *r, GPtrArray *out)
{
	for (guint i = 0; r->running_on && i < r->running_on->len; i++) {
		const char *n = g_ptr_array_index(r->running_on, i);
		bool seen = false;
		for (guint j = 0; j < out->len; j++)
			seen |= strcmp(g_ptr_array_index(out, j), n) == 0;
		if (!seen)
			g_ptr_array_add(out, (gpointer)n);
	}
	for (guint i = 0; r->children && i < r->children->len; i++)
		collect(g_ptr_array_index(r->children, i), out);
}

GPtrArray *vg_live_rsc_nodes(const vg_sched_rsc_view_t *r)
{
	GPtrArray *out = g_ptr_array_new();
	collect(r, out);
	return out;
}

int vg_live_set_meta(vg_client_t *c, const char *rsc, const char *name, const char *value,
                     vg_error_t *err)
{
	xmlDoc *doc = NULL;
	char *xp = g_strdup_printf("//resources//*[@id='%s']", rsc);
	int rc = vg_client_cib_query(c, NULL, xp, &doc, err);
	g_free(xp);
	if (rc == VG_ENOENT)
		return vg_error_set(err, VG_ENOENT, "no resource '%s' in the configuration", rsc);
	if (rc != 0)
		return rc;
	xmlNode *el = xmlDocGetRootElement(doc), *meta = NULL, *nv = NULL, *m, *p;
	/* Reuse an existing nvpair of that name wherever it is. */
	VG_XML_FOREACH(m, el, "meta_attributes")
	VG_XML_FOREACH(p, m, "nvpair")
	if (!nv && g_strcmp0(vg_xml_get(p, "name"), name) == 0) {
		meta = m;
		nv = p;
	}
	if (!value) {
		rc = 0;
		if (nv) {
			char *dxp =
			    g_strdup_printf("//resources//nvpair[@id='%s']", vg_xml_get(nv, "id"));
			rc = vg_client_cib_write(c, "delete", NULL, dxp, NULL, 0, err);
			g_free(dxp);
		}
		xmlFreeDoc(doc);
		return rc;
	}
	xmlDoc *d = xmlNewDoc((const xmlChar *)"1.0");
	xmlNode *top = vg_xml_new_child(NULL, vg_xml_name(el));
	xmlDocSetRootElement(d, top);
	vg_xml_set(top, "id", rsc);
	xmlNode *ms = vg_xml_new_child(top, "meta_attributes");
	if (!meta)
		meta = vg_xml_first(el, "meta_attributes");
	char *msid =
	    meta ? g_strdup(vg_xml_get(meta, "id")) : g_strdup_printf("%s-meta_attributes", rsc);
	vg_xml_set(ms, "id", msid);
	xmlNode *np = vg_xml_new_child(ms, "nvpair");
	char *nvid = nv ? g_strdup(vg_xml_get(nv, "id")) : g_strdup_printf("%s-%s", msid, name);
	vg_xml_set(np, "id", nvid);
	vg_xml_set(np, "name", name);
	vg_xml_set(np, "value", value);
	rc = vg_client_cib_write(c, "modify", "resources", NULL, top, 0, err);
	g_free(msid);
	g_free(nvid);
	xmlFreeDoc(d);
	xmlFreeDoc(doc);
	return rc;
}
