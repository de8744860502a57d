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
	char *instance; /* this node's name: the executor in records */
	vg_fence_engine_t *engine;
	vg_ipc_server_t *srv;
	GList *conns; /* vg_ipc_conn_t * connected clients */
	/* monitors */
	GHashTable *next_due; /* device id -> gint64 monotonic us */
	int monitors_running;
	vg_fence_config_t *pending_cfg; /* applied when no monitor runs */
	char *config_digest;            /* of the last pushed <configuration> */
	guint tick;
	/* peers (fenced_peers.c) */
	const vg_hacf_t *hacf; /* NULL when running without ha.cf */
	struct vg_cluster *cl; /* NULL while the cluster layer is not there */
	bool cl_lost;
	guint cl_retry;
	GHashTable *proxies; /* proxy id -> delegated request */
	unsigned proxy_seq;
} fenced_t;

/* fenced_ipc.c */
int fenced_ipc_start(fenced_t *f, vg_error_t *err);
void fenced_ipc_stop(fenced_t *f);
/* Replace the configuration (deferred while a monitor runs). */
void fenced_set_config(fenced_t *f, vg_fence_config_t *cfg);

/* Tell every local client about a finished request ("fence-result"). */
void fenced_ipc_notify(fenced_t *f, const vg_fence_record_t *rec);

/* fenced_peers.c */
void fenced_peers_start(fenced_t *f);
void fenced_peers_stop(fenced_t *f);
/* Share a finished local request with the other fencers (proxy may be NULL). */
void fenced_peers_publish(fenced_t *f, const vg_fence_record_t *final, const char *proxy);
/* Ask another member to fence target; returns the proxy request id
 * (g_free) or NULL when there is no one to ask. */
char *fenced_peers_delegate(fenced_t *f, const char *target, vg_fence_action_t action,
                            uint64_t timeout_ms, const char *origin);

/* fenced_monitor.c */
void fenced_monitor_start(fenced_t *f);
void fenced_monitor_stop(fenced_t *f);

#endif
