/*
 * fenced_monitor.c: the recurring monitor of every fencing device, so a
 * dead power switch or changed credentials are reported before fencing is
 * needed.  Interval: the device's "op monitor" interval, 60 s by default.
 * One tick per second starts the monitors that are due, one at a time per
 * device.  A new configuration waits until no monitor is running, because
 * a running monitor borrows its device from the current configuration.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define VG_LOG_SUBSYS "fenced"
#include <string.h>

#include "fenced_private.h"

#define MONITOR_DEFAULT_MS 60000u

typedef struct mon {
	fenced_t *f;
	char *device;
} mon_t;

static void apply_pending(fenced_t *f)
{
	if (f->pending_cfg != NULL && f->monitors_running == 0) {
		vg_fence_engine_set_config(f->engine, f->pending_cfg);
		f->pending_cfg = NULL;
		g_hash_table_remove_all(f->next_due);
	}
}

void fenced_set_config(fenced_t *f, vg_fence_config_t *cfg)
{
	vg_fence_config_free(f->pending_cfg);
	f->pending_cfg = cfg;
	apply_pending(f);
}

static void mon_done(vg_fence_op_result_t *r, void *data)
{
	mon_t *m = data;
	m->f->monitors_running--;
	vg_fence_engine_note_monitor(m->f->engine, m->device, r->rc, r->reason);
	apply_pending(m->f);
	g_free(m->device);
	g_free(m);
}

static gboolean tick(gpointer data)
{
	fenced_t *f = data;
	const vg_fence_config_t *c = vg_fence_engine_config(f->engine);
	gint64 now = g_get_monotonic_time();
	if (f->pending_cfg != NULL)
		return G_SOURCE_CONTINUE; /* let running monitors drain first */
	for (guint i = 0; i < c->devices->len; i++) {
		vg_fence_device_t *d = g_ptr_array_index(c->devices, i);
		gint64 *due = g_hash_table_lookup(f->next_due, d->id);
		uint64_t every =
		    d->monitor_interval_ms ? d->monitor_interval_ms : MONITOR_DEFAULT_MS;
		if (d->disabled)
			continue;
		if (due == NULL) {
			/* first monitor soon after the device appears */
			due = g_new(gint64, 1);
			*due = now + 2 * G_USEC_PER_SEC;
			g_hash_table_replace(f->next_due, g_strdup(d->id), due);
		}
		if (*due > now || *due == G_MAXINT64)
			continue;
		*due = now + (gint64)every * 1000;
		mon_t *m = g_new0(mon_t, 1);
		m->f = f;
		m->device = g_strdup(d->id);
		f->monitors_running++;
		vg_fence_op_t op = {.device = d, .action = VG_FENCE_MONITOR};
		vg_fence_op_run(&op, mon_done, m);
	}
	return G_SOURCE_CONTINUE;
}

void fenced_monitor_start(fenced_t *f)
{
	f->next_due = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	f->tick = g_timeout_add_seconds(1, tick, f);
}

void fenced_monitor_stop(fenced_t *f)
{
	if (f->tick)
		g_source_remove(f->tick);
	f->tick = 0;
	if (f->next_due)
		g_hash_table_destroy(f->next_due);
	f->next_due = NULL;
}
