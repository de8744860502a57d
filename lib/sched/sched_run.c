/*
 * sched_run.c: vg_sched_run() and the result accessors.
 *
 * Placeholder implementation: the pipeline is not built yet, every run
 * fails with VG_ENOTSUP.  Never does I/O, keeps no globals.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define VG_LOG_SUBSYS "sched"
#include "sched_private.h"

int vg_sched_run(xmlNode *cib_root, vg_time_t now, const vg_sched_options_t *opts,
		 vg_sched_result_t **out, vg_error_t *err)
{
	(void)cib_root;
	(void)now;
	(void)opts;
	*out = NULL;
	return vg_error_set(err, VG_ENOTSUP, "the scheduler is not built yet");
}

void vg_sched_result_free(vg_sched_result_t *r)
{
	(void)r;
}

xmlNode *vg_sched_result_graph(const vg_sched_result_t *r)
{
	(void)r;
	return NULL;
}

const GPtrArray *vg_sched_result_summary(const vg_sched_result_t *r)
{
	(void)r;
	return NULL;
}

char *vg_sched_result_scores(const vg_sched_result_t *r)
{
	(void)r;
	return g_strdup("");
}

vg_time_t vg_sched_result_recheck(const vg_sched_result_t *r)
{
	(void)r;
	return VG_TIME_NEVER;
}

const vg_sched_cluster_view_t *vg_sched_result_cluster(const vg_sched_result_t *r)
{
	(void)r;
	return NULL;
}

char *vg_sched_op_digest(GHashTable *params, guint interval_ms)
{
	(void)params;
	(void)interval_ms;
	return g_strdup("00000000000000000000000000000000");
}
