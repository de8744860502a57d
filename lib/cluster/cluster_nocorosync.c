/*
 * The corosync backend slot when vigil is built without it (Makefile.am
 * picks cluster_corosync.c instead when configure finds libcpg & co):
 * connecting says so, in the error and once per process in the log.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define VG_LOG_SUBSYS "cluster"
#include "cluster_private.h"

/* Callers retry connecting and may log failures only at debug level, so the
 * reason is logged here, once per process. */
static bool logged;

static int connect_unsupported(vg_cluster_t *c, const char *group, vg_error_t *err)
{
	if (!logged)
		vg_log_error("cluster_layer corosync: this vigil was built without the corosync "
		             "backend (configure --without-corosync, or no libcpg-dev); use "
		             "cluster_layer heartbeat or rebuild with corosync");
	logged = true;
	return vg_error_set(
	    err, VG_ENOTSUP,
	    "cluster_layer corosync: this vigil has no corosync backend (built without "
	    "corosync); use cluster_layer heartbeat");
}

const cluster_ops_t vg__cluster_corosync_ops = {
    .name = "corosync",
    .connect = connect_unsupported,
};
