/*
 * libvigil-cib: the cluster information base as a document.
 *
 * Sections, each implemented in lib/cib/cib_<topic>.c:
 *   doc       load from file or string, root checks, sections, versions
 *   ops       query, create, modify (merge), replace, delete, erase; vg_cib_apply()
 *             runs one request as a transaction with version bookkeeping
 *   diff      compute a patch between two documents (Pacemaker's format="2")
 *   patch     apply a patch, refusing one made for another version
 *   schema    vigil's own RELAX NG schema; validate-with pacemaker-1.0 .. 4.x
 *   upgrade   older syntax (master, Master/Slave, Heartbeat-2 layouts) to the newest
 *   verify    schema + semantics (duplicate ids, dangling references, values)
 *   acl       acl_target/acl_group/acl_role: read filtering, write checks
 *   store     crash-safe persistence in a directory (digest file, backups)
 *
 * The library never talks to the network and never holds global mutable
 * state (the compiled schema is cached per vg_cib_schema_t the caller owns,
 * or in one lazily built process-wide read-only instance).
 * Documents are plain libxml2 trees: the root element is <cib>.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef VIGIL_CIB_H
#define VIGIL_CIB_H

#include <stdbool.h>
#include <stddef.h>

#include <vigil/common.h>

/* ---------------------------------------------------------------------- doc */

/* Bytes of CIB input accepted (files, strings, IPC bodies). */
#define VG_CIB_MAX_SIZE (128u * 1024 * 1024)

/*
 * Parse a CIB from memory / a file and check the root: it must be <cib>
 * (a bare <configuration> is refused with a hint).  Missing <configuration>
 * sections and <status> are added; missing version attributes become 0.
 * Older syntax is kept as it is: call vg_cib_upgrade() to rewrite it (the
 * controller does on load; writes validate an upgraded copy).
 * `what` names the input in messages.  *out: new document, xmlFreeDoc() it.
 * Errors: VG_EPARSE (line number), VG_ETOOBIG, VG_EINVAL (wrong root),
 * VG_EIO / VG_ENOENT (file).
 */
int vg_cib_parse(const char *buf, size_t len, const char *what, xmlDoc **out, vg_error_t *err);
int vg_cib_load_file(const char *path, xmlDoc **out, vg_error_t *err);
/* Fill in the sections and attributes a usable CIB needs (idempotent). */
void vg_cib_normalize(xmlNode *cib);
/* A new empty CIB (validate-with the newest schema, version 0.0.0). */
xmlDoc *vg_cib_new_empty(void);

/*
 * Section names as cibadmin knows them: "configuration", "status", "nodes",
 * "resources", "constraints", "crm_config", "rsc_defaults", "op_defaults",
 * "fencing-topology", "tags", "acls", "alerts", and "cib" for the whole.
 * Returns the absolute XPath of the section, NULL for an unknown name.
 */
const char *vg_cib_section_xpath(const char *section);
/* Find a section element in a document, creating it when `create` is set
 * (and the section is known).  NULL when absent or unknown. */
xmlNode *vg_cib_section(xmlNode *cib, const char *section, bool create);

/* ----------------------------------------------------------------- versions */
typedef struct vg_cib_version {
	long long admin_epoch;
	long long epoch;
	long long num_updates;
} vg_cib_version_t;

/* Read the version attributes of a <cib> element (missing or bad -> 0). */
void vg_cib_version_get(const xmlNode *cib, vg_cib_version_t *v);
void vg_cib_version_set(xmlNode *cib, const vg_cib_version_t *v);
/* <0, 0, >0 like strcmp: admin_epoch first, then epoch, then num_updates. */
int vg_cib_version_cmp(const vg_cib_version_t *a, const vg_cib_version_t *b);
/* "admin_epoch.epoch.num_updates" into buf (>= 64 bytes); returns buf. */
const char *vg_cib_version_str(const vg_cib_version_t *v, char *buf, size_t len);

/* The bump rules: a configuration change increments epoch and resets
 * num_updates to 0; a status-only change increments num_updates. */
void vg_cib_bump_config(xmlNode *cib);
void vg_cib_bump_status(xmlNode *cib);
/* Is this <cib> attribute bookkeeping that does not count as a configuration
 * change (versions, cib-last-written, update-*, have-quorum, dc-uuid)? */
bool vg_cib_attr_is_volatile(const char *name);

/* --------------------------------------------------------------------- acl */
/*
 * An ACL context for one user on one CIB.  NULL means unrestricted (root,
 * hacluster, or ACLs not enabled): every function below accepts NULL.
 * Built from the document's <acls> when the CIB property enable-acl is true.
 */
typedef struct vg_cib_acl vg_cib_acl_t;

/*
 * *out: a new context for `user` (NULL when unrestricted); free with
 * vg_cib_acl_free().  `force` evaluates the ACLs even for root/hacluster
 * and even without enable-acl (for tests and `vigil cib --user`).
 */
int vg_cib_acl_new(const xmlNode *cib, const char *user, bool force, vg_cib_acl_t **out,
                   vg_error_t *err);
void vg_cib_acl_free(vg_cib_acl_t *acl);
/* Remove from the tree `n` (a copy taken from `cib`, or `cib` itself) what
 * the user may not read.  Returns false when nothing at all remains
 * readable (the caller then reports VG_EPERM). */
bool vg_cib_acl_filter(const vg_cib_acl_t *acl, xmlNode *n);
/* May the user write (create, modify or delete) node n of the CIB it was
 * built for / of a tree with the same ids?  attr NULL = the element itself. */
bool vg_cib_acl_can_write(const vg_cib_acl_t *acl, const xmlNode *n, const char *attr);
/* Check every change of a patch (made by vg_cib_diff on old -> new) against
 * the user's write rights; VG_EPERM naming the first refused path. */
int vg_cib_acl_check_patch(const vg_cib_acl_t *acl, const xmlNode *old_cib, const xmlNode *new_cib,
                           const xmlNode *patch, vg_error_t *err);

/* --------------------------------------------------------------------- ops */
typedef enum vg_cib_op {
	VG_CIB_OP_QUERY,
	VG_CIB_OP_CREATE,  /* add data under the section; VG_EEXIST if its id exists */
	VG_CIB_OP_MODIFY,  /* merge data's attributes and children into the element(s)
	                      with the same id (or the section itself) */
	VG_CIB_OP_REPLACE, /* replace the element with data's id (or the whole section) */
	VG_CIB_OP_DELETE,  /* delete elements matching data (name + id + attributes),
	                      or everything the xpath selects */
	VG_CIB_OP_ERASE,   /* empty configuration and status, keep admin_epoch */
	VG_CIB_OP_PATCH,   /* data is a diff; apply it */
	VG_CIB_OP_UPGRADE, /* upgrade to the newest schema */
	VG_CIB_OP_BUMP,    /* increment epoch */
} vg_cib_op_t;

/* Request flags */
#define VG_CIB_F_CREATE_MISSING 0x1u /* modify: create the target if absent */
#define VG_CIB_F_ALL_MATCHES    0x2u /* delete/modify with xpath: every match */
#define VG_CIB_F_NO_VALIDATE    0x4u /* apply: skip schema validation of the result */
#define VG_CIB_F_FORCE_VERSION  0x8u /* replace of the whole cib: accept an older version */

typedef struct vg_cib_request {
	vg_cib_op_t op;
	const char *section;     /* NULL: the whole cib (or where data's name says) */
	const char *xpath;       /* alternative target for query/modify/delete */
	const xmlNode *data;     /* input element (create/modify/replace/delete/patch) */
	unsigned flags;          /* VG_CIB_F_* */
	const vg_cib_acl_t *acl; /* NULL: unrestricted */
} vg_cib_request_t;

/*
 * Query: *out is a new document holding a copy of the section, the xpath's
 * single match, or <xpath-query> wrapping several matches; ACL-filtered.
 * Errors: VG_ENOENT (nothing matches), VG_EINVAL (bad xpath/section),
 * VG_EPERM (nothing readable).
 */
int vg_cib_query(const xmlNode *cib, const char *section, const char *xpath,
                 const vg_cib_acl_t *acl, xmlDoc **out, vg_error_t *err);

/*
 * In-place edits of a document, without version bookkeeping, ACLs or
 * validation (vg_cib_apply adds those).  On failure the document is unchanged.
 * Errors: VG_ENOENT (target missing), VG_EEXIST (create of an existing id),
 * VG_EINVAL (bad input), VG_EVERSION (patch for another version).
 */
int vg_cib_op_create(xmlNode *cib, const char *section, const xmlNode *data, vg_error_t *err);
int vg_cib_op_modify(xmlNode *cib, const char *section, const char *xpath, const xmlNode *data,
                     unsigned flags, vg_error_t *err);
int vg_cib_op_replace(xmlNode *cib, const char *section, const char *xpath, const xmlNode *data,
                      vg_error_t *err);
int vg_cib_op_delete(xmlNode *cib, const char *section, const char *xpath, const xmlNode *data,
                     unsigned flags, vg_error_t *err);
void vg_cib_op_erase(xmlNode *cib);

/*
 * One write as a transaction, the way the controller runs client requests:
 * copy `cib`, run the request on the copy, compute the patch old -> new,
 * check it against req->acl (refused whole on any violation), bump the
 * version (epoch for configuration changes, num_updates for status-only
 * ones; a replace of the whole cib keeps a newer supplied version and refuses
 * an older one), validate the result against the schema (a CIB in older
 * syntax is kept as written and validated through an upgraded copy;
 * validate-with="none" is not validated; status-only writes are not
 * validated unless they replace the whole cib).
 * On success *new_cib is the new document and *patch (may be NULL to not
 * want it) the diff to broadcast; both caller-owned.  A request that changes
 * nothing succeeds with *new_cib a copy, *patch NULL and no version bump.
 * Query requests are refused (use vg_cib_query).
 * Errors: those of the operation, VG_EPERM, VG_ESCHEMA, VG_EVERSION.
 */
int vg_cib_apply(const xmlNode *cib, const vg_cib_request_t *req, xmlDoc **new_cib, xmlDoc **patch,
                 vg_error_t *err);

/*
 * The same transaction on the caller's document, in place: no copy of the
 * whole CIB and a patch made from the touched elements only, so a status
 * update of a 25 MB CIB costs about what it touches (the controller's
 * path).  The root element may be replaced (re-read it with
 * xmlDocGetRootElement afterwards).  On failure the document is unchanged.
 * Requests with an ACL, erase, upgrade, bump and patch take the copy path
 * of vg_cib_apply internally.  *patch (may be NULL): as for vg_cib_apply.
 */
int vg_cib_apply_inplace(xmlDoc *doc, const vg_cib_request_t *req, xmlDoc **patch, vg_error_t *err);

/* ------------------------------------------------------------- diff/patch */
/*
 * Patch format (Pacemaker's v2 patchset, which vigil also accepts from
 * Pacemaker):
 *   <diff format="2" [vigil-digest="md5 of the target's canonical form"]>
 *     <version><source admin_epoch= epoch= num_updates=/><target .../></version>
 *     <change operation="create" path="PARENT" position="N"><element .../></change>
 *     <change operation="delete" path="PATH"/>
 *     <change operation="modify" path="PATH">
 *       <change-list><change-attr name= operation="set|unset" value=/></change-list>
 *       <change-result><element with its new attributes/></change-result></change>
 *     <change operation="move" path="PATH" position="N"/>
 *   </diff>
 * PATH: /cib/configuration/resources/primitive[@id='ip'] — a step per
 * element, with [@id='...'] when the element has an id.  Positions count
 * element siblings from 0.  Changes apply in order; then creates and moves
 * are put at their positions in order.
 */
#define VG_CIB_DIFF_DIGEST 0x1u /* record the target's digest; patch checks it */

/* *out: new patch document, NULL when old and new are equal (rc 0). */
int vg_cib_diff(const xmlNode *old_cib, const xmlNode *new_cib, unsigned flags, xmlDoc **out,
                vg_error_t *err);
/*
 * Apply a patch in place (format 2, or Pacemaker's format 1 as crm_diff
 * prints it, translated on the fly).  The document's version must equal the patch's
 * source version (VG_EVERSION otherwise: the caller resyncs); afterwards
 * it is the target version.  On any failure the document is left unchanged
 * (the patch is applied to a copy of the affected subtrees first).
 * Errors: VG_EVERSION, VG_EINVAL (malformed patch), VG_ENOENT (path missing),
 * VG_EFAILED (digest mismatch after applying).
 */
int vg_cib_patch(xmlNode *cib, const xmlNode *patch, vg_error_t *err);
/* Source and target versions recorded in a patch. */
int vg_cib_patch_versions(const xmlNode *patch, vg_cib_version_t *source, vg_cib_version_t *target,
                          vg_error_t *err);
/* Does the patch change anything outside status (i.e. bump epoch)? */
bool vg_cib_patch_is_config(const xmlNode *patch);

/* ------------------------------------------------------------------ schema */
/* The newest validate-with value vigil writes ("pacemaker-4.0"). */
#define VG_CIB_SCHEMA_LATEST "pacemaker-4.0"

/*
 * Directory of the .rng files: $VIGIL_SCHEMA_DIR when set, else
 * VG_DATADIR "/schema".  Static string.
 */
const char *vg_cib_schema_dir(void);
/* Is `name` a validate-with value vigil understands ("pacemaker-1.0" .. "-4.x",
 * "pacemaker-next", "none")?  major and minor (may be NULL) receive the numbers. */
bool vg_cib_schema_known(const char *name, int *major, int *minor);
/*
 * Validate a document against vigil's schema.  Returns 0, or VG_ESCHEMA with
 * the first violation (line, element id) in err; `all` (may be NULL) receives
 * every violation message (g_strdup'd strings; free with g_ptr_array_unref).
 * The compiled schema is built once per process and then shared read-only.
 */
int vg_cib_validate(const xmlDoc *doc, GPtrArray *all, vg_error_t *err);

/* ----------------------------------------------------------------- upgrade */
/*
 * Rewrite older syntax into the newest schema in place: Heartbeat-2
 * <attributes> wrappers, master_slave / master -> promotable clone, role
 * names Master/Slave -> Promoted/Unpromoted, renamed options, old
 * validate-with values; every id is kept.  *changed (may be NULL) tells
 * whether anything was rewritten; `log` (may be NULL) receives one line per
 * rewrite (g_strdup'd).  Errors: VG_ESCHEMA for a validate-with vigil does
 * not know.
 */
int vg_cib_upgrade(xmlNode *cib, bool *changed, GPtrArray *log, vg_error_t *err);

/* ------------------------------------------------------------------ verify */
typedef enum vg_cib_severity { VG_CIB_WARNING, VG_CIB_ERROR } vg_cib_severity_t;

typedef struct vg_cib_finding {
	vg_cib_severity_t severity;
	char *id;      /* the element's id (or its xpath when it has none) */
	char *message; /* one sentence an admin understands */
} vg_cib_finding_t;

/*
 * Verify a document: schema (after upgrading a copy when it uses older
 * syntax) and semantics.  Findings are appended to `out` (elements are
 * vg_cib_finding_t *, freed by the array: create it with
 * vg_cib_findings_new()).  Returns the number of errors (warnings do not count).
 */
GPtrArray *vg_cib_findings_new(void);
int vg_cib_verify(const xmlNode *cib, GPtrArray *out);

/* ------------------------------------------------------------------- store */
/*
 * Crash-safe persistence in a directory:
 *   cib.xml, cib.xml.sig      current version and the MD5 of its bytes
 *   cib-N.raw, cib-N.raw.sig  the previous versions, N increasing, the last
 *                             `keep` kept
 * A save writes temp files, fsyncs them, renames them into place and
 * fsyncs the directory before returning: once it returns 0, the version
 * survives a crash at any later instant.  A load takes cib.xml when its
 * digest matches (or when it has no .sig at all: a file an admin put there);
 * otherwise the newest valid backup, logged as an error.
 */
typedef struct vg_cib_store vg_cib_store_t;

#define VG_CIB_STORE_KEEP 10u

/* Open (and create when missing, mode 0750) a store directory. */
int vg_cib_store_open(const char *dir, unsigned keep, vg_cib_store_t **out, vg_error_t *err);
void vg_cib_store_close(vg_cib_store_t *s);
/* *out: the newest valid version (caller frees).  *fell_back (may be NULL)
 * is set when cib.xml was unusable and a backup was taken instead.
 * Errors: VG_ENOENT (no CIB stored yet), VG_EIO / VG_EPARSE (nothing valid). */
int vg_cib_store_load(vg_cib_store_t *s, xmlDoc **out, bool *fell_back, vg_error_t *err);
/* Save a new version (durable on return).  Errors: VG_EIO. */
int vg_cib_store_save(vg_cib_store_t *s, const xmlNode *cib, vg_error_t *err);
/* Path of the store's directory (borrowed). */
const char *vg_cib_store_dir(const vg_cib_store_t *s);

#endif /* VIGIL_CIB_H */
