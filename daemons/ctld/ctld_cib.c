/*
 * ctld_cib.c: this node's replica of the CIB.
 *
 * The DC is the only writer.  Client writes arrive here (directly or
 * forwarded) and run through vg_cib_apply(), which checks ACLs, bumps the
 * version and yields a patch; the DC's own status bookkeeping (node_state,
 * operation history, attributes) edits the tree in place and is flushed as
 * one patch per main-loop turn.  Every patch is broadcast with the version it
 * applies to; a member that is not at that version asks for a full copy.
 * Every node persists its copy in state_dir/cib (lib/cib store), shortly
 * after each change.
 *
 * Never does: scheduling, membership, or talking to execd/fenced.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define VG_LOG_SUBSYS "cib"
#include "config.h"

#include <string.h>

#include <vigil/cib.h>

#include "ctld_private.h"

#define PERSIST_DELAY_MS 100

xmlNode *ctld_cib_root(ctld_t *c)
{
	return xmlDocGetRootElement(c->cib);
}

xmlNode *ctld_cib_status(ctld_t *c)
{
	return vg_cib_section(ctld_cib_root(c), "status", true);
}

int ctld_cib_load(ctld_t *c, vg_error_t *err)
{
	char *dir = g_build_filename(c->cfg->state_dir, "cib", NULL);
	vg_cib_store_t *s = NULL;
	bool fell_back = false;
	int rc = vg_cib_store_open(dir, VG_CIB_STORE_KEEP, &s, err);

	g_free(dir);
	if (rc != 0)
		return rc;
	c->store = s;
	rc = vg_cib_store_load(s, &c->cib, &fell_back, err);
	if (rc == VG_ENOENT) {
		vg_error_clear(err);
		c->cib = vg_cib_new_empty();
		vg_log_info("no stored CIB in %s: starting with an empty one", vg_cib_store_dir(s));
		return 0;
	}
	if (rc != 0)
		return rc;
	/* An older-syntax CIB on disk (Heartbeat-2 wrappers, master/slave, old
	 * role names) is rewritten once here, so the scheduler and every
	 * later write see the current syntax. */
	bool upgraded = false;
	GPtrArray *log = g_ptr_array_new_with_free_func(g_free);
	rc = vg_cib_upgrade(ctld_cib_root(c), &upgraded, log, err);
	for (guint i = 0; i < log->len; i++)
		vg_log_notice("stored CIB upgraded: %s", (const char *)g_ptr_array_index(log, i));
	g_ptr_array_unref(log);
	if (rc != 0)
		return rc;
	vg_cib_normalize(ctld_cib_root(c));
	/* Status is rebuilt from the nodes; a stale copy would only mislead. */
	xmlNode *st = vg_cib_section(ctld_cib_root(c), "status", false);
	if (st) {
		xmlUnlinkNode(st);
		xmlFreeNode(st);
	}
	vg_cib_section(ctld_cib_root(c), "status", true);
	vg_cib_version_t v;
	char buf[64];
	vg_cib_version_get(ctld_cib_root(c), &v);
	vg_log_info("loaded CIB %s from %s%s", vg_cib_version_str(&v, buf, sizeof(buf)),
	            vg_cib_store_dir(s), fell_back ? " (from a backup)" : "");
	if (upgraded)
		ctld_cib_persist_soon(c); /* keep the upgraded form */
	return 0;
}

static gboolean persist_now(gpointer data)
{
	ctld_t *c = data;
	vg_error_t err = {0};
	c->persist_src = 0;
	if (c->store && vg_cib_store_save(c->store, ctld_cib_root(c), &err) != 0)
		vg_log_error("cannot save the CIB: %s", err.msg);
	return G_SOURCE_REMOVE;
}

void ctld_cib_persist_soon(ctld_t *c)
{
	if (!c->persist_src)
		c->persist_src = g_timeout_add(PERSIST_DELAY_MS, persist_now, c);
}

void ctld_cib_close(ctld_t *c)
{
	if (c->flush_src)
		g_source_remove(c->flush_src);
	c->flush_src = 0;
	if (c->persist_src) {
		g_source_remove(c->persist_src);
		persist_now(c);
	}
	if (c->store)
		vg_cib_store_close(c->store);
	c->store = NULL;
	if (c->snapshot)
		xmlFreeDoc(c->snapshot);
	c->snapshot = NULL;
	if (c->cib)
		xmlFreeDoc(c->cib);
	c->cib = NULL;
}

static void take_snapshot(ctld_t *c)
{
	if (c->snapshot)
		xmlFreeDoc(c->snapshot);
	c->snapshot = vg_xml_copy_doc(ctld_cib_root(c));
}

static void broadcast_patch(ctld_t *c, xmlDoc *patch)
{
	vg_msg_t *m = vg_msg_new("cib-patch");
	vg_msg_set(m, "dc", c->me);
	vg_msg_set_xml(m, xmlDocGetRootElement(patch));
	ctld_peer_send(c, NULL, m);
	vg_msg_free(m);
}

void ctld_cib_send_full(ctld_t *c, const char *to)
{
	vg_msg_t *m = vg_msg_new("cib-full");
	vg_msg_set(m, "dc", c->me);
	vg_msg_set_xml(m, ctld_cib_root(c));
	ctld_peer_send(c, to, m);
	vg_msg_free(m);
}

/* The patch was made before the version bump: make it lead to the bumped
 * version (the changes are the same; only <version><target> differs). */
static void set_patch_target(xmlDoc *patch, const xmlNode *cib)
{
	xmlNode *ver = vg_xml_first(xmlDocGetRootElement(patch), "version");
	xmlNode *tgt = ver ? vg_xml_first(ver, "target") : NULL;
	vg_cib_version_t v;
	vg_cib_version_get(cib, &v);
	if (tgt)
		vg_cib_version_set(tgt, &v);
}

/*
 * Publish what changed since the last flush: one diff of the snapshot
 * against the CIB, the version bumped by its kind (config or status), the
 * same patch broadcast and then applied to the snapshot, which so follows
 * the CIB at the cost of what changed instead of a second diff and a
 * fresh copy of the whole document.
 */
void ctld_cib_flush(ctld_t *c)
{
	xmlDoc *patch = NULL;
	vg_error_t err = {0};

	if (c->flush_src) {
		g_source_remove(c->flush_src);
		c->flush_src = 0;
	}
	if (!ctld_is_dc(c))
		return;
	if (!c->snapshot) {
		take_snapshot(c);
		return;
	}
	if (vg_cib_diff(xmlDocGetRootElement(c->snapshot), ctld_cib_root(c), 0, &patch, &err) !=
	    0) {
		vg_log_error("cannot compute the CIB change: %s; sending a full copy", err.msg);
		vg_cib_bump_status(ctld_cib_root(c));
		ctld_cib_send_full(c, NULL);
		take_snapshot(c);
		ctld_cib_persist_soon(c);
		return;
	}
	if (!patch)
		return;
	bool config = vg_cib_patch_is_config(xmlDocGetRootElement(patch));
	if (config)
		vg_cib_bump_config(ctld_cib_root(c));
	else
		vg_cib_bump_status(ctld_cib_root(c));
	set_patch_target(patch, ctld_cib_root(c));
	broadcast_patch(c, patch);
	if (vg_cib_patch(xmlDocGetRootElement(c->snapshot), xmlDocGetRootElement(patch), &err) !=
	    0) {
		vg_log_debug("snapshot does not take its own patch (%s): copying", err.msg);
		take_snapshot(c);
	}
	xmlFreeDoc(patch);
	ctld_cib_persist_soon(c);
	if (config)
		ctld_transition_trigger(c, "configuration changed");
}

static gboolean flush_idle(gpointer data)
{
	ctld_t *c = data;
	c->flush_src = 0;
	ctld_cib_flush(c);
	return G_SOURCE_REMOVE;
}

void ctld_cib_changed(ctld_t *c)
{
	if (!c->flush_src)
		c->flush_src = g_idle_add_full(G_PRIORITY_HIGH_IDLE, flush_idle, c, NULL);
}

static const struct {
	const char *name;
	vg_cib_op_t op;
} write_ops[] = {
    {"create", VG_CIB_OP_CREATE},   {"modify", VG_CIB_OP_MODIFY}, {"replace", VG_CIB_OP_REPLACE},
    {"delete", VG_CIB_OP_DELETE},   {"erase", VG_CIB_OP_ERASE},   {"patch", VG_CIB_OP_PATCH},
    {"upgrade", VG_CIB_OP_UPGRADE}, {"bump", VG_CIB_OP_BUMP},
};

/* A whole-CIB replace brings its own status section (often empty): the
 * status is the cluster's truth, so keep ours. */
static xmlDoc *keep_status(ctld_t *c, const xmlNode *data)
{
	xmlDoc *d = vg_xml_copy_doc(data);
	xmlNode *root = xmlDocGetRootElement(d);
	xmlNode *old = vg_xml_first(root, "status");
	if (old) {
		xmlUnlinkNode(old);
		xmlFreeNode(old);
	}
	xmlAddChild(root, xmlDocCopyNode(ctld_cib_status(c), d, 1));
	return d;
}

/* A configuration written by a client may lack <node> entries of nodes
 * that are up (a replaced <nodes>): put them back, as a join would. */
static void ensure_members(ctld_t *c)
{
	GHashTableIter it;
	gpointer v;
	if (!c->peers)
		return;
	g_hash_table_iter_init(&it, c->peers);
	while (g_hash_table_iter_next(&it, NULL, &v)) {
		ctld_peer_t *p = v;
		if (p->member)
			ctld_join_node_state(c, p->name);
	}
	ctld_cib_changed(c);
}

int ctld_cib_write(ctld_t *c, const vg_msg_t *req, const char *user, vg_error_t *err)
{
	const char *opname = vg_msg_get(req, "op");
	vg_cib_request_t r = {0};
	vg_cib_acl_t *acl = NULL;
	xmlDoc *newdoc = NULL, *patch = NULL, *data_copy = NULL;
	int64_t flags = 0;
	size_t i;
	int rc;

	for (i = 0; i < G_N_ELEMENTS(write_ops); i++)
		if (opname && strcmp(opname, write_ops[i].name) == 0)
			break;
	if (i == G_N_ELEMENTS(write_ops))
		return vg_error_set(err, VG_EINVAL, "unknown CIB operation '%s'",
		                    opname ? opname : "");
	if (!ctld_is_dc(c))
		return vg_error_set(err, VG_EAGAIN, "this node is not the DC");
	ctld_cib_flush(c);
	r.op = write_ops[i].op;
	r.section = vg_msg_get(req, "section");
	r.xpath = vg_msg_get(req, "xpath");
	r.data = vg_msg_xml(req);
	if (vg_msg_get_int(req, "flags", &flags) == 0)
		r.flags = (unsigned)flags;
	if (r.op == VG_CIB_OP_REPLACE && r.data && vg_xml_is(r.data, "cib") && !r.xpath &&
	    (!r.section || strcmp(r.section, "cib") == 0)) {
		data_copy = keep_status(c, r.data);
		r.data = xmlDocGetRootElement(data_copy);
	}
	if (user && strcmp(user, "root") != 0 && strcmp(user, "hacluster") != 0) {
		rc = vg_cib_acl_new(ctld_cib_root(c), user, false, &acl, err);
		if (rc != 0)
			goto out;
	}
	r.acl = acl;
	rc = vg_cib_apply(ctld_cib_root(c), &r, &newdoc, &patch, err);
	if (rc != 0)
		goto out;
	if (patch) {
		bool config = vg_cib_patch_is_config(xmlDocGetRootElement(patch));
		xmlFreeDoc(c->cib);
		c->cib = newdoc;
		newdoc = NULL;
		broadcast_patch(c, patch);
		take_snapshot(c);
		ctld_cib_persist_soon(c);
		if (config) {
			ensure_members(c);
			ctld_fence_sync_devices(c);
		}
		ctld_transition_trigger(c, config ? "configuration changed" : "status changed");
	}
out:
	if (newdoc)
		xmlFreeDoc(newdoc);
	if (patch)
		xmlFreeDoc(patch);
	if (data_copy)
		xmlFreeDoc(data_copy);
	vg_cib_acl_free(acl);
	return rc;
}

static bool from_dc(ctld_t *c, const char *from)
{
	if (c->dc && strcmp(c->dc, from) == 0)
		return true;
	vg_log_debug("ignoring a CIB update from %s, which is not the DC (%s)", from,
	             c->dc ? c->dc : "none");
	return false;
}

void ctld_cib_on_patch(ctld_t *c, const char *from, const vg_msg_t *m)
{
	xmlNode *patch = vg_msg_xml(m);
	vg_cib_version_t src, tgt, mine;
	vg_error_t err = {0};

	if (strcmp(from, c->me) == 0 || !from_dc(c, from) || !patch)
		return;
	if (vg_cib_patch_versions(patch, &src, &tgt, &err) != 0) {
		vg_log_warn("bad CIB patch from %s: %s", from, err.msg);
		return;
	}
	vg_cib_version_get(ctld_cib_root(c), &mine);
	if (vg_cib_version_cmp(&tgt, &mine) <= 0 && vg_cib_version_cmp(&src, &mine) != 0)
		return; /* already have it */
	if (vg_cib_patch(ctld_cib_root(c), patch, &err) != 0) {
		char a[64], b[64];
		vg_log_info("CIB patch %s from %s does not apply to %s (%s): asking for a copy",
		            vg_cib_version_str(&src, a, sizeof(a)), from,
		            vg_cib_version_str(&mine, b, sizeof(b)), err.msg);
		vg_msg_t *r = vg_msg_new("cib-resync");
		ctld_peer_send(c, from, r);
		vg_msg_free(r);
		return;
	}
	ctld_cib_persist_soon(c);
}

void ctld_cib_on_full(ctld_t *c, const char *from, const vg_msg_t *m)
{
	xmlNode *root = vg_msg_xml(m);
	if (strcmp(from, c->me) == 0 || !from_dc(c, from) || !root || !vg_xml_is(root, "cib"))
		return;
	xmlFreeDoc(c->cib);
	c->cib = vg_xml_copy_doc(root);
	vg_cib_version_t v;
	char buf[64];
	vg_cib_version_get(root, &v);
	vg_log_debug("took a full CIB copy %s from %s", vg_cib_version_str(&v, buf, sizeof(buf)),
	             from);
	ctld_cib_persist_soon(c);
}

/*
 * Partitions merging: the DC that steps down offers its CIB to the one that
 * stays.  The newer configuration wins by (admin_epoch, epoch, num_updates);
 * the status is rebuilt from the nodes (every member is re-probed).
 */
void ctld_cib_send_offer(ctld_t *c, const char *to)
{
	vg_msg_t *m = vg_msg_new("cib-offer");
	vg_msg_set_xml(m, ctld_cib_root(c));
	ctld_peer_send(c, to, m);
	vg_msg_free(m);
}

void ctld_cib_on_offer(ctld_t *c, const char *from, const vg_msg_t *m)
{
	xmlNode *offer = vg_msg_xml(m);
	vg_cib_version_t theirs, mine;
	GHashTableIter it;
	gpointer v;
	char a[64], b[64];

	if (!ctld_is_dc(c) || strcmp(from, c->me) == 0 || !offer || !vg_xml_is(offer, "cib"))
		return;
	vg_cib_version_get(offer, &theirs);
	vg_cib_version_get(ctld_cib_root(c), &mine);
	if (vg_cib_version_cmp(&theirs, &mine) > 0) {
		xmlNode *cfg = vg_xml_first(offer, "configuration");
		xmlNode *old = vg_xml_first(ctld_cib_root(c), "configuration");
		vg_log_notice(
		    "partition merge: the CIB of %s (%s) is newer than ours (%s): taking it", from,
		    vg_cib_version_str(&theirs, a, sizeof(a)),
		    vg_cib_version_str(&mine, b, sizeof(b)));
		if (cfg && old) {
			xmlNode *copy = xmlDocCopyNode(cfg, c->cib, 1);
			xmlReplaceNode(old, copy);
			xmlFreeNode(old);
		}
		vg_cib_version_set(ctld_cib_root(c), &theirs);
		ensure_members(c);
	}
	ctld_cib_flush(c);
	ctld_cib_send_full(c, NULL);
	take_snapshot(c);
	ctld_cib_persist_soon(c);
	ctld_fence_sync_devices(c);
	g_hash_table_iter_init(&it, c->peers);
	while (g_hash_table_iter_next(&it, NULL, &v)) {
		ctld_peer_t *p = v;
		if (p->member && p->in_group && strcmp(p->name, c->me) != 0)
			ctld_join_member_up(c, p->name);
	}
	ctld_transition_trigger(c, "partitions merged");
}
