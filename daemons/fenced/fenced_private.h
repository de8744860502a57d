/*
 * fenced_private.h: the state of vigil-fenced shared by its files:
 * fenced_main.c (wiring), fenced_ipc.c (message table), fenced_monitor.c
 * (recurring device monitors).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef VIGIL_FENCED_PRIVATE_H
#define VIGIL_FENCED_PRIVATE_H

#include <vigil/fencing.h>

typedef struct fenced {
	char *instance;            /* this node's name: the executor in records */
	vg_fence_engine_t *engine;
	vg_ipc_server_t *srv;
	GList *conns;              /* vg_ipc_conn_t * connected clients */
	/* monitors */
	GHashTable *next_due;      /* device id -> gint64 monotonic us */
	int monitors_running;
	vg_fence_config_t *pending_cfg; /* applied when no monitor runs */
	guint tick;
} fenced_t;

/* fenced_ipc.c */
int fenced_ipc_start(fenced_t *f, vg_error_t *err);
void fenced_ipc_stop(fenced_t *f);
/* Replace the configuration (deferred while a monitor runs). */
void fenced_set_config(fenced_t *f, vg_fence_config_t *cfg);

/* fenced_monitor.c */
void fenced_monitor_start(fenced_t *f);
void fenced_monitor_stop(fenced_t *f);

#endif
