/*
 * The corosync backend slot when vigil is built without it (issue 6 adds
 * cluster_corosync.c with the same ops table): connecting says so.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "cluster_private.h"

static int connect_unsupported(vg_cluster_t *c, const char *group, vg_error_t *err)
{
	return vg_error_set(err, VG_ENOTSUP,
			    "cluster_layer corosync: this vigil has no corosync backend; use cluster_layer heartbeat");
}

const cluster_ops_t vg__cluster_corosync_ops = {
	.name = "corosync",
	.connect = connect_unsupported,
};
