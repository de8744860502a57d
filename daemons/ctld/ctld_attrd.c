/*
 * ctld_attrd.c: node attributes.  Transient ones (lifetime "reboot") live in
 * the status section under node_state/transient_attributes and vanish when
 * the node leaves; permanent ones (lifetime "forever") live in the node's
 * <node> entry of the configuration.  Writes go to the DC like every CIB
 * write; a dampened update waits on the writing node for the dampening
 * delay, and only the last value within it is sent.
 *
 * Message "attr-update": node, name, value (absent = delete), permanent.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define VG_LOG_SUBSYS "attrd"
#include "config.h"

#include <string.h>

#include <vigil/cib.h>

#include "ctld_private.h"

typedef struct dampened {
	ctld_t *c;
	char *node, *name, *value;
	bool permanent;
	guint timer;
} dampened_t;

static xmlNode *find_child_id(xmlNode *parent, const char *name, const char *id, bool create)
{
	xmlNode *n;
	VG_XML_FOREACH(n, parent, name)
	if (g_strcmp0(vg_xml_get(n, "id"), id) == 0)
		return n;
	if (!create)
		return NULL;
	n = vg_xml_new_child(parent, name);
	vg_xml_set(n, "id", id);
	return n;
}

static xmlNode *config_node(ctld_t *c, const char *node)
{
	xmlNode *nodes = vg_cib_section(ctld_cib_root(c), "nodes", true), *n;
	VG_XML_FOREACH(n, nodes, "node")
	if (g_strcmp0(vg_xml_get(n, "uname"), node) == 0)
		return n;
	return NULL;
}

/* The instance_attributes set holding this node's attributes (may create). */
static xmlNode *attr_set(ctld_t *c, const char *node, bool permanent, bool create)
{
	const char *id = ctld_join_node_id(c, node);
	char *setid;
	xmlNode *parent, *set;

	if (permanent) {
		if (create)
			ctld_join_node_state(c, node); /* also creates the <node> */
		parent = config_node(c, node);
		setid = g_strdup_printf("nodes-%s", id);
	} else {
		xmlNode *ns = create ? ctld_join_node_state(c, node) : NULL;
		if (!create) {
			xmlNode *st = ctld_cib_status(c), *n;
			VG_XML_FOREACH(n, st, "node_state")
			if (g_strcmp0(vg_xml_get(n, "uname"), node) == 0)
				ns = n;
		}
		parent = ns ? find_child_id(ns, "transient_attributes", id, create) : NULL;
		setid = g_strdup_printf("status-%s", id);
	}
	set = parent ? find_child_id(parent, "instance_attributes", setid, create) : NULL;
	g_free(setid);
	return set;
}

static xmlNode *find_pair(xmlNode *set, const char *name)
{
	xmlNode *n;
	VG_XML_FOREACH(n, set, "nvpair")
	if (g_strcmp0(vg_xml_get(n, "name"), name) == 0)
		return n;
	return NULL;
}

const char *ctld_attrd_get(ctld_t *c, const char *node, const char *name, bool permanent)
{
	xmlNode *set = attr_set(c, node, permanent, false);
	xmlNode *p = set ? find_pair(set, name) : NULL;
	return p ? vg_xml_get(p, "value") : NULL;
}

void ctld_attrd_write(ctld_t *c, const char *node, const char *name, const char *value,
                      bool permanent)
{
	xmlNode *set = attr_set(c, node, permanent, value != NULL);
	xmlNode *p = set ? find_pair(set, name) : NULL;

	if (!value) {
		if (p) {
			xmlUnlinkNode(p);
			xmlFreeNode(p);
		}
		return;
	}
	if (!p) {
		char *id = g_strdup_printf("%s-%s", vg_xml_get(set, "id"), name);
		p = vg_xml_new_child(set, "nvpair");
		vg_xml_set(p, "id", id);
		vg_xml_set(p, "name", name);
		g_free(id);
	}
	vg_xml_set(p, "value", value);
}

void ctld_attrd_on_update(ctld_t *c, const vg_msg_t *m)
{
	const char *node = vg_msg_get(m, "node"), *name = vg_msg_get(m, "name");
	const char *value = vg_msg_get(m, "value");
	bool permanent = g_strcmp0(vg_msg_get(m, "permanent"), "1") == 0;

	if (!ctld_is_dc(c) || !node || !name)
		return;
	const char *old = ctld_attrd_get(c, node, name, permanent);
	if (g_strcmp0(old, value) == 0)
		return;
	vg_log_info("node %s: %s %s=%s", node, permanent ? "permanent" : "transient", name,
	            value ? value : "(deleted)");
	ctld_attrd_write(c, node, name, value, permanent);
	ctld_cib_changed(c);
	ctld_transition_trigger(c, "node attribute changed");
}

static int send_update(ctld_t *c, const char *node, const char *name, const char *value,
                       bool permanent, vg_error_t *err)
{
	vg_msg_t *m = vg_msg_new("attr-update");
	vg_msg_set(m, "node", node);
	vg_msg_set(m, "name", name);
	vg_msg_set(m, "value", value);
	vg_msg_set(m, "permanent", permanent ? "1" : "0");
	int rc = 0;
	if (ctld_is_dc(c))
		ctld_attrd_on_update(c, m);
	else if (c->dc)
		rc = ctld_peer_send(c, c->dc, m);
	else
		rc = vg_error_set(err, VG_EAGAIN, "no DC elected yet; try again");
	vg_msg_free(m);
	return rc;
}

static void dampened_free(gpointer p)
{
	dampened_t *d = p;
	if (d->timer)
		g_source_remove(d->timer);
	g_free(d->node);
	g_free(d->name);
	g_free(d->value);
	g_free(d);
}

static gboolean dampen_over(gpointer data)
{
	dampened_t *d = data;
	d->timer = 0;
	send_update(d->c, d->node, d->name, d->value, d->permanent, NULL);
	char *key = g_strdup_printf("%s\n%s", d->node, d->name);
	g_hash_table_remove(d->c->dampen, key);
	g_free(key);
	return G_SOURCE_REMOVE;
}

int ctld_attrd_update(ctld_t *c, const char *node, const char *name, const char *value,
                      bool permanent, unsigned dampen_ms, vg_error_t *err)
{
	if (!name || !*name)
		return vg_error_set(err, VG_EINVAL, "attribute name missing");
	if (!node || !*node)
		node = c->me;
	if (dampen_ms == 0)
		return send_update(c, node, name, value, permanent, err);
	if (!c->dampen)
		c->dampen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, dampened_free);
	char *key = g_strdup_printf("%s\n%s", node, name);
	dampened_t *d = g_hash_table_lookup(c->dampen, key);
	if (!d) {
		d = g_new0(dampened_t, 1);
		d->c = c;
		d->node = g_strdup(node);
		d->name = g_strdup(name);
		d->timer = g_timeout_add(dampen_ms, dampen_over, d);
		g_hash_table_insert(c->dampen, key, d);
	} else {
		g_free(key);
	}
	g_free(d->value);
	d->value = g_strdup(value);
	d->permanent = permanent;
	return 0;
}
