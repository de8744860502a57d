/*
 * vigild's private declarations: the child table and the supervisor that
 * starts, respawns and stops the children.  main.c only wires these up.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef VIGILD_PRIVATE_H
#define VIGILD_PRIVATE_H

#include <stdbool.h>
#include <sys/types.h>

#include <glib.h>

/* One row of the architecture: a process vigild keeps running. */
typedef struct vigild_child_def {
	const char *name;     /* short name used in logs ("ctld") */
	const char *binary;   /* executable looked up next to vigild, then in PATH */
	int start_order;      /* ascending start, descending stop */
	bool respawn;         /* restart when it dies unexpectedly */
	bool needs_heartbeat; /* only with cluster_layer heartbeat */
	bool critical;        /* the node cannot stay in the cluster without it */
} vigild_child_def_t;

typedef struct vigild vigild_t;

/* The static table, in start order; *n receives its length. */
const vigild_child_def_t *vigild_children(size_t *n);

/*
 * Create the supervisor.  config is the ha.cf path handed to every child
 * (`-c FILE -f`); heartbeat says whether vigil-hbd is part of this node.
 * loop is quit once every child has stopped after vigild_stop().
 */
vigild_t *vigild_new(const char *config, bool heartbeat, GMainLoop *loop);
void vigild_free(vigild_t *v);
/* Start every child in order.  Returns 0 or VG_ENOENT when a binary is missing. */
int vigild_start(vigild_t *v);
/* Clean shutdown: ctld first (it moves resources away), then the rest in
 * reverse start order; SIGKILL after the grace period. */
void vigild_stop(vigild_t *v);

#endif
