/*
 * exec_agent.c: run one resource agent operation and turn whatever the agent
 * did into a result.  The rules (OCF resource agent API; LSB for init scripts):
 *   exited with an OCF code        -> status done, rc as given (LSB mapped)
 *   exited outside the standard    -> status error, rc generic, reason says so
 *   missing file / no execute bit  -> status not installed, rc 5
 *   killed at the timeout          -> status timed out
 *   killed by some other signal    -> status error
 *   stonith class                  -> status not supported (vigil-fenced's job)
 * The exit reason is the last `ocf-exit-reason:` line the agent printed.
 * Never: a crash or an error return for anything an agent can do.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define VG_LOG_SUBSYS "exec"
#include "config.h"

#include <errno.h>
#include <string.h>

#include <vigil/exec.h>

#include "exec_internal.h"

#define EXIT_REASON_MAX 512

typedef struct agent_run {
	char *label; /* "rsc action" for logs */
	char *action;
	bool lsb;
	bool lsb_meta; /* meta-data of an LSB script: synthesized */
	char *path;
	vg_exec_agent_result_t res;
	vg_exec_agent_done_fn done;
	void *data;
} agent_run_t;

/* The last exit reason in len bytes that may hold NULs (agent garbage). */
static char *exit_reason_len(const char *text, size_t len)
{
	static const char tag[] = "ocf-exit-reason:";
	const char *p = text, *end = text + len, *last = NULL;
	char *line;

	if (text == NULL)
		return NULL;
	while (p < end && (p = memmem(p, (size_t)(end - p), tag, sizeof(tag) - 1)) != NULL) {
		last = p + sizeof(tag) - 1;
		p = last;
	}
	if (last == NULL)
		return NULL;
	for (p = last; p < end && *p != '\n' && *p != '\0'; p++)
		;
	line = g_strndup(last, (gsize)MIN(p - last, EXIT_REASON_MAX));
	g_strstrip(line);
	if (!g_utf8_validate(line, -1, NULL)) {
		char *v = g_utf8_make_valid(line, -1);
		g_free(line);
		line = v;
	}
	/* One line of printable text: control characters become spaces. */
	for (char *c = line; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			*c = ' ';
	return line;
}

char *vg_exec_exit_reason(const char *text)
{
	return text != NULL ? exit_reason_len(text, strlen(text)) : NULL;
}

static void map_exit(agent_run_t *r, const vg_child_result_t *cr)
{
	vg_exec_agent_result_t *res = &r->res;
	int code = cr->exit_code;

	res->exit_code = code;
	if (r->lsb) {
		res->rc = vg_exec_lsb_rc_to_ocf(r->action, code);
		res->status = VG_OP_DONE;
		return;
	}
	if (vg_exec_ocf_rc_known(code)) {
		res->rc = code;
		res->status = VG_OP_DONE;
		return;
	}
	res->rc = VG_OCF_ERR_GENERIC;
	res->status = VG_OP_ERROR;
	if (res->exit_reason == NULL)
		res->exit_reason =
		    g_strdup_printf("agent exited with %d, which is not an OCF return code", code);
}

/* After `done` has run, on either completion path. */
static void run_free(agent_run_t *r)
{
	vg_exec_agent_result_clear(&r->res);
	g_free(r->label);
	g_free(r->action);
	g_free(r->path);
	g_free(r);
}

static void on_child_done(vg_child_result_t *cr, void *data)
{
	agent_run_t *r = data;
	vg_exec_agent_result_t *res = &r->res;
	char what[128];

	res->exec_ms = cr->run_ms;
	res->out_truncated = cr->out_truncated;
	res->out = cr->out;
	res->err = cr->err;
	cr->out = cr->err = NULL;
	res->exit_reason = exit_reason_len(res->err, cr->err_len);
	if (res->exit_reason == NULL)
		res->exit_reason = exit_reason_len(res->out, cr->out_len);
	res->exit_code = -1;
	res->rc = VG_OCF_ERR_GENERIC;
	switch (cr->status) {
	case VG_CHILD_EXITED:
		map_exit(r, cr);
		break;
	case VG_CHILD_TIMEDOUT:
		res->status = VG_OP_TIMEDOUT;
		g_free(res->exit_reason);
		res->exit_reason = g_strdup_printf("%s timed out after %" G_GUINT64_FORMAT " ms",
		                                   r->action, cr->run_ms);
		break;
	case VG_CHILD_CANCELLED:
		res->status = VG_OP_CANCELLED;
		break;
	case VG_CHILD_SIGNALED:
		res->status = VG_OP_ERROR;
		g_free(res->exit_reason);
		res->exit_reason =
		    g_strdup_printf("agent %s", vg_exec_child_describe(cr, what, sizeof(what)));
		break;
	case VG_CHILD_EXEC_FAILED:
		res->status = cr->exec_errno == ENOENT || cr->exec_errno == EACCES ||
		                      cr->exec_errno == ENOEXEC
		                  ? VG_OP_NOT_INSTALLED
		                  : VG_OP_ERROR;
		res->rc = VG_OCF_ERR_INSTALLED;
		g_free(res->exit_reason);
		res->exit_reason = g_strdup_printf(
		    "%s %s%s", r->path, vg_exec_child_describe(cr, what, sizeof(what)),
		    cr->exec_errno == EACCES ? " (is it executable?)" : "");
		break;
	}
	if (r->lsb_meta && res->status == VG_OP_DONE) {
		g_free(res->out);
		res->out = vg__exec_lsb_metadata(r->label, r->path);
		res->rc = VG_OCF_SUCCESS;
	}
	vg_log_debug("%s: %s, rc %d (%s), %" G_GUINT64_FORMAT " ms", r->label,
	             vg_exec_op_status_name(res->status), res->rc, vg_exec_ocf_rc_name(res->rc),
	             res->exec_ms);
	r->done(res, r->data);
	run_free(r);
}

static gboolean deliver_early(gpointer data)
{
	agent_run_t *r = data;

	r->done(&r->res, r->data);
	run_free(r);
	return G_SOURCE_REMOVE;
}

/* A result that needs no child: delivered from an idle callback so that the
 * caller never sees `done` re-entering it. */
static void finish_early(agent_run_t *r, vg_op_status_t status, int rc, char *reason)
{
	GSource *s = g_idle_source_new();

	r->res.status = status;
	r->res.rc = rc;
	r->res.exit_code = -1;
	r->res.exit_reason = reason;
	g_source_set_callback(s, deliver_early, r, NULL);
	g_source_attach(s, g_main_context_get_thread_default());
	g_source_unref(s);
}

static bool action_ok(const char *a)
{
	if (a == NULL || *a == '\0' || strlen(a) > 64)
		return false;
	for (; *a; a++)
		if (!g_ascii_isalnum(*a) && *a != '-' && *a != '_')
			return false;
	return true;
}

void vg_exec_agent_run(const vg_exec_agent_op_t *op, vg_exec_agent_done_fn done, void *data,
                       vg_exec_child_t **child)
{
	agent_run_t *r = g_new0(agent_run_t, 1);
	vg_error_t err = {0};
	vg_child_spec_t spec = {0};
	char **argv, **envp;
	int rc;

	if (child != NULL)
		*child = NULL;
	r->done = done;
	r->data = data;
	r->action = g_strdup(op->action);
	r->label = g_strdup_printf("%s %s", op->rsc_id != NULL ? op->rsc_id : op->type, op->action);
	r->lsb = op->klass != NULL && strcmp(op->klass, "lsb") == 0;
	if (!action_ok(op->action)) {
		finish_early(r, VG_OP_INVALID, VG_OCF_ERR_UNIMPLEMENTED,
		             g_strdup("invalid action name"));
		return;
	}
	r->path = vg_exec_agent_path(op->klass, op->provider, op->type, op->paths, &err);
	if (r->path == NULL) {
		finish_early(r,
		             err.code == VG_ENOTSUP  ? VG_OP_NOT_SUPPORTED
		             : err.code == VG_ENOENT ? VG_OP_NOT_INSTALLED
		                                     : VG_OP_INVALID,
		             err.code == VG_ENOENT ? VG_OCF_ERR_INSTALLED : VG_OCF_ERR_CONFIGURED,
		             g_strdup(err.msg));
		return;
	}
	if (r->lsb && strcmp(op->action, "meta-data") == 0) {
		/* Init scripts have no meta-data action: describe them from their
		 * header.  Running a trivial child keeps one completion path. */
		r->lsb_meta = true;
		g_free(r->label);
		r->label = g_strdup(op->type);
	}
	argv = r->lsb_meta ? g_strdupv((char *[]){"/bin/true", NULL})
	                   : vg__exec_agent_argv(op, r->path);
	envp = vg_exec_agent_env(op);
	spec.path = argv[0];
	spec.argv = argv;
	spec.envp = envp;
	spec.timeout_ms = vg__exec_timeout_ms(op);
	spec.capture_max = op->capture_max;
	if (strcmp(op->action, "meta-data") == 0 && spec.capture_max < VG__EXEC_META_CAPTURE)
		spec.capture_max = VG__EXEC_META_CAPTURE;
	rc = vg_exec_child_spawn(&spec, on_child_done, r, child, &err);
	g_strfreev(argv);
	g_strfreev(envp);
	if (rc != VG_OK)
		finish_early(r, VG_OP_ERROR, VG_OCF_ERR_GENERIC, g_strdup(err.msg));
}

typedef struct sync_wait {
	bool done;
	vg_exec_agent_result_t *res;
} sync_wait_t;

static void on_sync_done(vg_exec_agent_result_t *res, void *data)
{
	sync_wait_t *w = data;

	*w->res = *res;
	memset(res, 0, sizeof(*res)); /* ownership moves to the caller */
	w->done = true;
}

void vg_exec_agent_run_sync(const vg_exec_agent_op_t *op, vg_exec_agent_result_t *res)
{
	GMainContext *ctx = g_main_context_new();
	sync_wait_t w = {.done = false, .res = res};

	memset(res, 0, sizeof(*res));
	g_main_context_push_thread_default(ctx);
	vg_exec_agent_run(op, on_sync_done, &w, NULL);
	while (!w.done)
		g_main_context_iteration(ctx, TRUE);
	g_main_context_pop_thread_default(ctx);
	g_main_context_unref(ctx);
}

void vg_exec_agent_result_clear(vg_exec_agent_result_t *res)
{
	if (res == NULL)
		return;
	g_free(res->exit_reason);
	g_free(res->out);
	g_free(res->err);
	res->exit_reason = res->out = res->err = NULL;
}
