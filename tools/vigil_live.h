/*
 * Helpers the live subcommands share (vigil_live.c): connecting to the
 * local controller with a clear message, reading the cluster as the DC sees
 * it, and the small CIB edits resource and node commands are made of.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef VIGIL_LIVE_H
#define VIGIL_LIVE_H

#include <vigil/client.h>
#include <vigil/sched.h>

/* Connect or print "vigil PROG: ..." and return NULL. */
vg_client_t *vg_live_connect(const char *prog);
/* The controller's CIB and the scheduler's reading of it; free both with
 * vg_live_view_free().  Prints the error and returns non-zero on failure. */
typedef struct vg_live_view {
	xmlDoc *cib;
	vg_sched_result_t *res;
	const vg_sched_cluster_view_t *v;
	vg_client_status_t st;
} vg_live_view_t;
int vg_live_view(vg_client_t *c, const char *prog, vg_live_view_t *out);
void vg_live_view_free(vg_live_view_t *lv);
/* Find a resource view by id anywhere in the tree (clone instances included). */
const vg_sched_rsc_view_t *vg_live_find_rsc(const vg_sched_cluster_view_t *v, const char *id);
/* Nodes a resource (or any of its children) is active on, deduplicated;
 * g_ptr_array_unref(); strings borrowed from the view. */
GPtrArray *vg_live_rsc_nodes(const vg_sched_rsc_view_t *r);
/* Set (value) or remove (NULL) a meta attribute of a configured resource. */
int vg_live_set_meta(vg_client_t *c, const char *rsc, const char *name, const char *value,
                     vg_error_t *err);
/* Print err for prog and map the code to an exit status. */
int vg_live_fail(const char *prog, int rc, const vg_error_t *err);

#endif
