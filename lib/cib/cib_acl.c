/*
 * CIB access control lists, the Pacemaker model:
 *   <acls>
 *     <acl_target id="alice"><role id="ops"/></acl_target>     a user
 *     <acl_group id="admins"><role id="ops"/></acl_group>      a unix group
 *     <acl_role id="ops">
 *       <acl_permission id=".." kind="read|write|deny"
 *          xpath="..." | reference="id" | object-type="elem" [attribute="a"]/>
 *     </acl_role>
 *   </acls>
 * Rules, as vigil applies them: nothing is readable by default; write
 * implies read; a permission covers the element and its descendants; the
 * nearest element with a permission decides, except that deny is absolute:
 * a deny on an element covers its whole subtree and beats read/write on the
 * same element.  A permission with `attribute` covers only that attribute.
 * root and hacluster are unrestricted, and so is everyone unless the cluster
 * option enable-acl is true.
 * Queries are filtered (unreadable elements removed; an unreadable element
 * with readable descendants is kept as a bare skeleton with its id; the
 * <cib> element keeps its attributes: versions are always readable); writes
 * are checked change by change against the patch they make and refused
 * whole.  Never caches anything between calls: documents change.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <grp.h>
#include <pwd.h>
#include <string.h>
#include <unistd.h>

#define VG_LOG_SUBSYS "cib"
#include "cib_private.h"

enum mode { M_NONE = 0, M_READ = 1, M_WRITE = 2, M_DENY = 4 };

struct perm {
	enum mode kind;
	char *xpath;
	char *ref;
	char *type;
	char *attr; /* only this attribute of matched elements */
};

struct marks {
	const xmlDoc *doc;
	GHashTable *elem; /* xmlNode* -> GINT(mode bits) for element-wide permissions */
	GHashTable *attr; /* xmlNode* -> GPtrArray of (attr name, GINT mode) pairs */
};

struct vg_cib_acl {
	char *user;
	GPtrArray *perms; /* struct perm *, in document order */
};

static void free_perm(gpointer p)
{
	struct perm *pm = p;

	g_free(pm->xpath);
	g_free(pm->ref);
	g_free(pm->type);
	g_free(pm->attr);
	g_free(pm);
}

static bool acl_enabled(const xmlNode *cib)
{
	xmlNode *set, *nv;

	VG_XML_FOREACH(set, vg_cib_section((xmlNode *)cib, "crm_config", false),
	               "cluster_property_set")
	VG_XML_FOREACH(nv, set, "nvpair")
	if (g_strcmp0(vg_xml_get(nv, "name"), "enable-acl") == 0) {
		const char *v = vg_xml_get(nv, "value");

		return v && (g_ascii_strcasecmp(v, "true") == 0 || strcmp(v, "1") == 0 ||
		             g_ascii_strcasecmp(v, "yes") == 0 || g_ascii_strcasecmp(v, "on") == 0);
	}
	return false;
}

static bool names(const xmlNode *n, const char *who)
{
	const char *name = vg_xml_get(n, "name");

	return g_strcmp0(name ? name : vg_xml_get(n, "id"), who) == 0;
}

/* Unix groups of user (names, g_strdup'd). */
static GPtrArray *groups_of(const char *user)
{
	GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
	struct passwd *pw = getpwnam(user);
	gid_t gids[256];
	int n = G_N_ELEMENTS(gids);

	if (pw == NULL || getgrouplist(user, pw->pw_gid, gids, &n) < 0)
		return out;
	for (int i = 0; i < n; i++) {
		struct group *g = getgrgid(gids[i]);

		if (g != NULL)
			g_ptr_array_add(out, g_strdup(g->gr_name));
	}
	return out;
}

static void add_role(vg_cib_acl_t *acl, const xmlNode *acls, const char *role_id)
{
	xmlNode *role, *p;

	VG_XML_FOREACH(role, acls, "acl_role")
	{
		if (g_strcmp0(vg_xml_get(role, "id"), role_id) != 0)
			continue;
		VG_XML_FOREACH(p, role, "acl_permission")
		{
			const char *kind = vg_xml_get(p, "kind");
			struct perm *pm = g_new0(struct perm, 1);

			pm->kind = g_strcmp0(kind, "write") == 0  ? M_WRITE
			           : g_strcmp0(kind, "deny") == 0 ? M_DENY
			                                          : M_READ;
			pm->xpath = g_strdup(vg_xml_get(p, "xpath"));
			pm->ref = g_strdup(vg_xml_get(p, "reference"));
			pm->type = g_strdup(vg_xml_get(p, "object-type"));
			pm->attr = g_strdup(vg_xml_get(p, "attribute"));
			g_ptr_array_add(acl->perms, pm);
		}
	}
}

static void add_roles_of(vg_cib_acl_t *acl, const xmlNode *acls, const xmlNode *who)
{
	xmlNode *r;

	VG_XML_FOREACH(r, who, "role")
	add_role(acl, acls, vg_xml_get(r, "id"));
}

int vg_cib_acl_new(const xmlNode *cib, const char *user, bool force, vg_cib_acl_t **out,
                   vg_error_t *err)
{
	xmlNode *acls, *n;
	vg_cib_acl_t *acl;
	GPtrArray *groups;

	*out = NULL;
	if (user == NULL || *user == '\0')
		return vg_error_set(err, VG_EINVAL, "ACL: no user name given");
	if (!force &&
	    (strcmp(user, "root") == 0 || strcmp(user, "hacluster") == 0 || !acl_enabled(cib)))
		return 0;
	acl = g_new0(vg_cib_acl_t, 1);
	acl->user = g_strdup(user);
	acl->perms = g_ptr_array_new_with_free_func(free_perm);
	acls = vg_cib_section((xmlNode *)cib, "acls", false);
	VG_XML_FOREACH(n, acls, "acl_target")
	if (names(n, user))
		add_roles_of(acl, acls, n);
	groups = groups_of(user);
	VG_XML_FOREACH(n, acls, "acl_group")
	{
		for (guint i = 0; i < groups->len; i++)
			if (names(n, g_ptr_array_index(groups, i))) {
				add_roles_of(acl, acls, n);
				break;
			}
	}
	g_ptr_array_unref(groups);
	*out = acl;
	return 0;
}

static void free_marks(struct marks *m)
{
	if (m == NULL)
		return;
	g_hash_table_destroy(m->elem);
	g_hash_table_destroy(m->attr);
	g_free(m);
}

void vg_cib_acl_free(vg_cib_acl_t *acl)
{
	if (acl == NULL)
		return;
	g_ptr_array_unref(acl->perms);
	g_free(acl->user);
	g_free(acl);
}

static void mark(struct marks *m, xmlNode *n, const struct perm *pm)
{
	if (pm->attr != NULL) {
		GPtrArray *a = g_hash_table_lookup(m->attr, n);

		if (a == NULL) {
			a = g_ptr_array_new();
			g_hash_table_insert(m->attr, n, a);
		}
		g_ptr_array_add(a, pm->attr);
		g_ptr_array_add(a, GINT_TO_POINTER(pm->kind));
		return;
	}
	g_hash_table_insert(
	    m->elem, n,
	    GINT_TO_POINTER(GPOINTER_TO_INT(g_hash_table_lookup(m->elem, n)) | (int)pm->kind));
}

static void mark_type(struct marks *m, xmlNode *n, const struct perm *pm)
{
	for (; n != NULL; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (strcmp((const char *)n->name, pm->type) == 0)
			mark(m, n, pm);
		mark_type(m, n->children, pm);
	}
}

/* Evaluate every permission on the document of `any`; free_marks() it. */
static struct marks *marks_for(const vg_cib_acl_t *acl, const xmlNode *any)
{
	struct marks *m = g_new0(struct marks, 1);
	xmlNode *root = xmlDocGetRootElement(any->doc);

	m->doc = any->doc;
	m->elem = g_hash_table_new(NULL, NULL);
	m->attr = g_hash_table_new_full(NULL, NULL, NULL, (GDestroyNotify)g_ptr_array_unref);
	for (guint i = 0; i < acl->perms->len; i++) {
		const struct perm *pm = g_ptr_array_index(acl->perms, i);

		if (pm->xpath != NULL) {
			GPtrArray *hits = NULL;

			if (cib_xpath_eval(root, pm->xpath, &hits, NULL) != 0)
				continue;
			for (guint j = 0; j < hits->len; j++)
				mark(m, g_ptr_array_index(hits, j), pm);
			g_ptr_array_unref(hits);
		} else if (pm->ref != NULL) {
			GHashTable *idx = vg_xml_id_index(root, NULL);
			xmlNode *n = g_hash_table_lookup(idx, pm->ref);

			if (n != NULL)
				mark(m, n, pm);
			g_hash_table_destroy(idx);
		} else if (pm->type != NULL) {
			mark_type(m, root, pm);
		}
	}
	return m;
}

/* Mode of element n: deny anywhere above wins, else the nearest mark. */
static enum mode mode_of(const struct marks *m, const xmlNode *n)
{
	enum mode nearest = M_NONE;
	bool found = false;

	for (const xmlNode *p = n; p != NULL && p->type == XML_ELEMENT_NODE; p = p->parent) {
		int bits = GPOINTER_TO_INT(g_hash_table_lookup(m->elem, p));

		if (bits & M_DENY)
			return M_DENY;
		if (!found && bits) {
			nearest = (bits & M_WRITE) ? M_WRITE : M_READ;
			found = true;
		}
	}
	return nearest;
}

/* Mode for one attribute of n: attribute-specific marks refine the element's. */
static enum mode attr_mode(const struct marks *m, const xmlNode *n, const char *attr)
{
	enum mode base = mode_of(m, n);
	GPtrArray *a;
	int bits = 0;

	if (base == M_DENY)
		return M_DENY;
	a = g_hash_table_lookup(m->attr, n);
	for (guint i = 0; a && i + 1 < a->len; i += 2)
		if (strcmp(g_ptr_array_index(a, i), attr) == 0)
			bits |= GPOINTER_TO_INT(g_ptr_array_index(a, i + 1));
	if (bits & M_DENY)
		return M_DENY;
	if (bits & M_WRITE)
		return M_WRITE;
	if (bits & M_READ)
		return base == M_WRITE ? M_WRITE : M_READ;
	return base;
}

static bool writable(const struct marks *m, const xmlNode *n, const char *attr)
{
	if (n == NULL)
		return false;
	return (attr ? attr_mode(m, n, attr) : mode_of(m, n)) == M_WRITE;
}

bool vg_cib_acl_can_write(const vg_cib_acl_t *acl, const xmlNode *n, const char *attr)
{
	struct marks *m;
	bool ok;

	if (acl == NULL)
		return true;
	if (n == NULL || n->doc == NULL)
		return false;
	m = marks_for(acl, n);
	ok = writable(m, n, attr);
	free_marks(m);
	return ok;
}

/* Returns whether anything under (and including) n stays. */
static bool filter_node(const struct marks *m, xmlNode *n)
{
	enum mode mode = mode_of(m, n);
	bool keep_children = false;
	xmlNode *c = n->children;

	if (mode == M_DENY)
		return false;
	while (c != NULL) {
		xmlNode *next = c->next;

		if (c->type == XML_ELEMENT_NODE) {
			if (filter_node(m, c)) {
				keep_children = true;
			} else {
				xmlUnlinkNode(c);
				xmlFreeNode(c);
			}
		}
		c = next;
	}
	if (mode == M_NONE) {
		xmlAttr *a = n->properties;

		if (!keep_children)
			return false;
		if (vg_xml_is(n, "cib") && n->parent && n->parent->type == XML_DOCUMENT_NODE)
			return true; /* versions and validate-with stay readable */
		/* a skeleton: only the id, so the path to what is readable stays */
		while (a != NULL) {
			xmlAttr *next = a->next;

			if (strcmp((const char *)a->name, "id") != 0 &&
			    attr_mode(m, n, (const char *)a->name) == M_NONE)
				xmlRemoveProp(a);
			a = next;
		}
		return true;
	}
	{
		xmlAttr *a = n->properties;

		while (a != NULL) {
			xmlAttr *next = a->next;

			if (attr_mode(m, n, (const char *)a->name) == M_DENY)
				xmlRemoveProp(a);
			a = next;
		}
	}
	return true;
}

bool vg_cib_acl_filter(const vg_cib_acl_t *acl, xmlNode *n)
{
	struct marks *m;
	bool any;

	if (acl == NULL)
		return true;
	m = marks_for(acl, n);
	any = filter_node(m, n);
	free_marks(m);
	return any;
}

static int refuse(const vg_cib_acl_t *acl, const char *what, const char *path, vg_error_t *err)
{
	return vg_error_set(err, VG_EPERM,
	                    "permission denied: user %s may not %s %s; the whole change was "
	                    "refused",
	                    acl->user, what, path ? path : "(unknown)");
}

int vg_cib_acl_check_patch(const vg_cib_acl_t *acl, const xmlNode *old_cib, const xmlNode *new_cib,
                           const xmlNode *patch, vg_error_t *err)
{
	struct marks *m_old, *m_new;
	const xmlNode *c;
	int rc = 0;

	if (acl == NULL)
		return 0;
	m_old = marks_for(acl, old_cib);
	m_new = marks_for(acl, new_cib);
	VG_XML_FOREACH(c, patch, "change")
	{
		const char *op = vg_xml_get(c, "operation");
		const char *path = vg_xml_get(c, "path");
		xmlNode *n;

		if (op == NULL || path == NULL)
			continue;
		if (strcmp(op, "create") == 0) {
			const xmlNode *data = vg_xml_first(c, NULL);
			char *child_path;

			if (data == NULL)
				continue;
			child_path = g_strdup_printf("%s/%s%s%s%s", path, vg_xml_name(data),
			                             vg_xml_get(data, "id") ? "[@id='" : "",
			                             vg_xml_get(data, "id") ?: "",
			                             vg_xml_get(data, "id") ? "']" : "");
			n = cib_path_resolve((xmlNode *)new_cib, child_path);
			if (n == NULL)
				n = cib_path_resolve((xmlNode *)new_cib, path);
			if (!writable(m_new, n, NULL))
				rc = refuse(acl, "create", child_path, err);
			g_free(child_path);
		} else if (strcmp(op, "modify") == 0) {
			const xmlNode *ca;

			n = cib_path_resolve((xmlNode *)new_cib, path);
			VG_XML_FOREACH(ca, vg_xml_first(c, "change-list"), "change-attr")
			{
				const char *name = vg_xml_get(ca, "name");

				if (name == NULL)
					continue;
				if (strcmp(path, "/cib") == 0 && vg_cib_attr_is_volatile(name))
					continue;
				if (rc == 0 && !writable(m_new, n, name)) {
					char *what =
					    g_strdup_printf("change attribute %s of", name);

					rc = refuse(acl, what, path, err);
					g_free(what);
				}
			}
		} else {
			/* delete and move: the element as it was */
			n = cib_path_resolve((xmlNode *)old_cib, path);
			if (!writable(m_old, n, NULL))
				rc = refuse(acl, op, path, err);
		}
		if (rc != 0)
			break;
	}
	free_marks(m_old);
	free_marks(m_new);
	return rc;
}
