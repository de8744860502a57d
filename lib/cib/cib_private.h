/*
 * Helpers shared by the files of libvigil-cib and nobody else.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef VIGIL_CIB_PRIVATE_H
#define VIGIL_CIB_PRIVATE_H

#include <vigil/cib.h>

/* cib_xpath.c: evaluate an XPath on the document of `ctx_node`; *out: the
 * matching elements (borrowed, document order) in a new array.
 * Errors: VG_EINVAL when the expression is invalid (*out NULL). */
int cib_xpath_eval(const xmlNode *ctx_node, const char *xpath, GPtrArray **out, vg_error_t *err);
/* The path of n as vigil writes it in patches (g_malloc'd). */
char *cib_node_path(const xmlNode *n);
/* Resolve a patch path (/cib/a/b[@id='x']) from the root; NULL when absent.
 * Accepts the subset of XPath that patches use, falling back to libxml2
 * XPath for anything else (first match). */
xmlNode *cib_path_resolve(xmlNode *root, const char *path);
/* Element index of n among its element siblings. */
int cib_node_position(const xmlNode *n);
/* Insert n (already unlinked) as element child number pos of parent. */
void cib_insert_at(xmlNode *parent, xmlNode *n, int pos);

/* cib_diff.c: append a modify change for the <cib> element's attributes
 * (old -> new), placed right after <version>. */
void cib_diff_root_attrs(xmlNode *diff, const xmlNode *old_cib, const xmlNode *new_cib);

/* cib_schema.c: validate, appending each violation to findings as an error. */
int cib_validate_findings(const xmlDoc *doc, GPtrArray *findings, vg_error_t *err);

/* cib_ops.c: the lookups of the operations, without changing anything.
 * create: *target is where data goes (sections are made when `make`);
 * modify: *el is the element to merge into, NULL when it is missing and
 * VG_CIB_F_CREATE_MISSING says to add data under *target;
 * delete: the outermost matching elements (borrowed) in a new array. */
int cib_create_locate(xmlNode *cib, const char *section, const xmlNode *data, bool make,
                      xmlNode **target, vg_error_t *err);
int cib_modify_locate(xmlNode *cib, const char *section, const char *xpath, const xmlNode *data,
                      unsigned flags, xmlNode **target, xmlNode **el, vg_error_t *err);
int cib_delete_locate(xmlNode *cib, const char *section, const char *xpath, const xmlNode *data,
                      GPtrArray **hits, vg_error_t *err);
int cib_replace_locate(xmlNode *cib, const char *section, const char *xpath, const xmlNode *data,
                       xmlNode **el, vg_error_t *err);
/* Merge data's attributes and children into el (the modify operation). */
void cib_merge(xmlNode *el, const xmlNode *data);
/* cib_diff.c: a new empty patch document from old_cib's version to new_cib's. */
xmlDoc *cib_diff_new(const xmlNode *old_cib, const xmlNode *new_cib);
/* cib_diff.c: append the changes that turn element o into n (same name and
 * id; o may be a copy with the same ancestors) to the patch root diff. */
void cib_diff_subtree(xmlNode *diff, const xmlNode *o, const xmlNode *n);

/* cib_patch_v1.c: translate a Pacemaker format-1 diff into format 2. */
int cib_patch_v1_convert(const xmlNode *v1, xmlDoc **out, vg_error_t *err);

/* cib_schema.c: validate the result of a write: as it is when it uses the
 * newest schema, through an upgraded copy when older, not at all for
 * validate-with="none". */
int cib_validate_result(const xmlDoc *doc, vg_error_t *err);

#endif
