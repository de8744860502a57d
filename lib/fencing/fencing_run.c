/*
 * fencing_run.c: one device operation, whatever kind of agent runs it.
 * fence-agents and cluster-glue plugins are child processes (lib/exec);
 * native plugins block on the network, so they run in a worker thread and
 * their result is handed back to the caller's main context.  `done` always
 * runs from the main loop, exactly once.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define VG_LOG_SUBSYS "fencing"
#include <string.h>

#include "fencing_private.h"

typedef struct native_job {
	vg_fence_op_t op;
	char *target;
	vg_fence_op_result_t r;
	vg_fence_op_done_fn done;
	void *data;
	GMainContext *ctx;
} native_job_t;

static gboolean native_deliver(gpointer p)
{
	native_job_t *j = p;
	j->done(&j->r, j->data);
	vg_fence_op_result_clear(&j->r);
	g_main_context_unref(j->ctx);
	g_free(j->target);
	g_free(j);
	return G_SOURCE_REMOVE;
}

static gpointer native_thread(gpointer p)
{
	native_job_t *j = p;
	GSource *src;
	vg_fence_native_run(&j->op, &j->r);
	src = g_idle_source_new();
	g_source_set_callback(src, native_deliver, j, NULL);
	g_source_attach(src, j->ctx);
	g_source_unref(src);
	return NULL;
}

void vg_fence_op_run(const vg_fence_op_t *op, vg_fence_op_done_fn done, void *data)
{
	native_job_t *j;
	GThread *t;
	switch (op->device->kind) {
	case VG_FENCE_KIND_AGENT:
		fence_agent_run(op, done, data);
		return;
	case VG_FENCE_KIND_EXTERNAL:
		fence_external_run(op, done, data);
		return;
	case VG_FENCE_KIND_NATIVE:
		break;
	}
	j = g_new0(native_job_t, 1);
	j->op = *op;
	j->target = g_strdup(op->target);
	j->op.target = j->target;
	j->done = done;
	j->data = data;
	j->ctx = g_main_context_ref_thread_default();
	if (op->action == VG_FENCE_METADATA) {
		j->r.output = g_strdup_printf(
		    "<?xml version=\"1.0\"?>\n<resource-agent name=\"%s\" "
		    "shortdesc=\"vigil native plugin\">\n<parameters>\n%s</parameters>\n"
		    "<actions><action name=\"on\"/><action name=\"off\"/>"
		    "<action name=\"reboot\"/><action name=\"status\"/>"
		    "<action name=\"monitor\"/><action name=\"list\"/>"
		    "<action name=\"metadata\"/></actions>\n</resource-agent>\n",
		    op->device->agent,
		    "<parameter name=\"ip\" required=\"1\"/><parameter name=\"ipport\"/>"
		    "<parameter name=\"username\"/><parameter name=\"password\"/>"
		    "<parameter name=\"ssl\"/><parameter name=\"ssl_insecure\"/>"
		    "<parameter name=\"ca_file\"/><parameter name=\"systems_uri\"/>"
		    "<parameter name=\"preset\"/><parameter name=\"page\"/>"
		    "<parameter name=\"on_url\"/><parameter name=\"off_url\"/>"
		    "<parameter name=\"status_url\"/><parameter name=\"status_on\"/>"
		    "<parameter name=\"status_off\"/>\n");
		fence_idle_add(native_deliver, j);
		return;
	}
	t = g_thread_try_new("fence-native", native_thread, j, NULL);
	if (t == NULL) {
		fence_fail(&j->r, VG_EIO, "%s: cannot start a worker thread", op->device->id);
		fence_idle_add(native_deliver, j);
		return;
	}
	g_thread_unref(t);
}

typedef struct sync_wait {
	vg_fence_op_result_t *r;
	bool finished;
} sync_wait_t;

static void sync_done(vg_fence_op_result_t *r, void *data)
{
	sync_wait_t *w = data;
	*w->r = *r;
	memset(r, 0, sizeof(*r));
	w->finished = true;
}

void vg_fence_op_run_sync(const vg_fence_op_t *op, vg_fence_op_result_t *r)
{
	GMainContext *ctx = g_main_context_new();
	sync_wait_t w = {.r = r};
	memset(r, 0, sizeof(*r));
	g_main_context_push_thread_default(ctx);
	vg_fence_op_run(op, sync_done, &w);
	while (!w.finished)
		g_main_context_iteration(ctx, TRUE);
	g_main_context_pop_thread_default(ctx);
	g_main_context_unref(ctx);
}
