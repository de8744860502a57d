/*
 * fencing_agent.c: running fence-agents (/usr/sbin/fence_*) the way their
 * API defines it: parameters as "key=value" lines on stdin ("action=",
 * "port=" for the plug, "nodename=", then the device's parameters), exit
 * status 0 for success; for "status" 0 means on, 2 means off, anything else
 * an error; "-o metadata" prints the agent's self-description.  The child
 * process itself is lib/exec's business (process group, timeout, SIGKILL).
 * Never: interpreting an unclear answer as success.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define VG_LOG_SUBSYS "fencing"
#include <string.h>

#include <vigil/exec.h>

#include "fencing_private.h"

typedef struct agent_call {
	vg_fence_action_t action;
	char *device;
	char *agent;
	uint64_t timeout_ms;
	vg_fence_op_done_fn done;
	void *data;
	bool external;
} agent_call_t;

const char *fence_agent_dir(void)
{
	const char *d = g_getenv("VIGIL_FENCE_AGENT_DIR");
	return d && *d ? d : FENCE_AGENT_DIR;
}

/* Agents inherit only what they need from the fencer: a PATH (with the
 * cluster-glue helpers for external plugins) and PYTHONPATH when set. */
char **fence_child_env(bool glue_helpers)
{
	GPtrArray *env = g_ptr_array_new();
	const char *path = g_getenv("PATH");
	const char *pp = g_getenv("PYTHONPATH");
	if (path == NULL || *path == '\0')
		path = "/usr/sbin:/usr/bin:/sbin:/bin";
	g_ptr_array_add(env, glue_helpers
	                         ? g_strdup_printf("PATH=%s:%s", path, FENCE_GLUE_HELPER_DIR)
	                         : g_strdup_printf("PATH=%s", path));
	if (pp != NULL)
		g_ptr_array_add(env, g_strdup_printf("PYTHONPATH=%s", pp));
	g_ptr_array_add(env, g_strdup("LC_ALL=C"));
	g_ptr_array_add(env, NULL);
	return (char **)g_ptr_array_free(env, FALSE);
}

/* The last non-empty line of text (g_malloc'd), NULL when none. */
char *fence_last_line(const char *text)
{
	if (text == NULL)
		return NULL;
	char **lines = g_strsplit(text, "\n", -1);
	char *last = NULL;
	for (char **l = lines; *l != NULL; l++) {
		g_strstrip(*l);
		if (**l != '\0') {
			g_free(last);
			last = g_strdup(*l);
		}
	}
	g_strfreev(lines);
	if (last != NULL && strlen(last) > 300)
		last[300] = '\0';
	return last;
}

static bool is_pcmk_param(const char *k)
{
	return g_str_has_prefix(k, "pcmk_") || strcmp(k, "priority") == 0;
}

static char *agent_stdin(const vg_fence_op_t *op, const char *action)
{
	GString *s = g_string_new(NULL);
	GHashTableIter it;
	gpointer k, v;
	g_string_append_printf(s, "action=%s\n", action);
	if (op->target != NULL) {
		char *port = vg_fence_device_port(op->device, op->target);
		/* The port is only sent when the device does not name it itself. */
		if (!g_hash_table_contains(op->device->params, "port") &&
		    !g_hash_table_contains(op->device->params, "plug"))
			g_string_append_printf(s, "port=%s\n", port);
		g_string_append_printf(s, "nodename=%s\n", op->target);
		g_free(port);
	}
	g_hash_table_iter_init(&it, op->device->params);
	while (g_hash_table_iter_next(&it, &k, &v)) {
		if (is_pcmk_param(k) || strcmp(k, "action") == 0 || strchr(k, '\n') != NULL ||
		    strchr(v, '\n') != NULL)
			continue;
		g_string_append_printf(s, "%s=%s\n", (char *)k, (char *)v);
	}
	return g_string_free(s, FALSE);
}

static void call_done(vg_child_result_t *res, void *data)
{
	agent_call_t *c = data;
	vg_fence_op_result_t r = {0};
	char how[128];
	char *why = fence_last_line(res->err && *res->err ? res->err : res->out);

	r.run_ms = res->run_ms;
	r.output = res->out;
	res->out = NULL;
	switch (res->status) {
	case VG_CHILD_EXITED:
		if (res->exit_code == 0) {
			r.rc = 0;
			r.power_on = true;
		} else if (c->action == VG_FENCE_STATUS && res->exit_code == 2 && !c->external) {
			r.rc = 0;
			r.power_on = false;
		} else {
			fence_fail(&r, VG_EFAILED, "%s (%s) %s failed: exit code %d%s%s", c->device,
			           c->agent, vg_fence_action_name(c->action), res->exit_code,
			           why ? ": " : "", why ? why : "");
		}
		break;
	case VG_CHILD_TIMEDOUT:
		fence_fail(&r, VG_ETIMEDOUT,
		           "%s (%s) %s timed out after %.1fs; the agent was killed", c->device,
		           c->agent, vg_fence_action_name(c->action), c->timeout_ms / 1000.0);
		break;
	case VG_CHILD_EXEC_FAILED:
		fence_fail(&r, VG_ENOENT, "%s: cannot run agent %s: %s", c->device, c->agent,
		           g_strerror(res->exec_errno));
		break;
	default:
		fence_fail(&r, VG_EFAILED, "%s (%s) %s: agent %s", c->device, c->agent,
		           vg_fence_action_name(c->action),
		           vg_exec_child_describe(res, how, sizeof(how)));
		break;
	}
	g_free(why);
	c->done(&r, c->data);
	vg_fence_op_result_clear(&r);
	g_free(c->device);
	g_free(c->agent);
	g_free(c);
}

/* Shared by the two child-process kinds: spawn, or report the failure
 * from an idle callback so `done` never runs before the caller returns. */
typedef struct deferred {
	vg_fence_op_result_t r;
	vg_fence_op_done_fn done;
	void *data;
} deferred_t;

static gboolean deferred_fire(gpointer p)
{
	deferred_t *d = p;
	d->done(&d->r, d->data);
	vg_fence_op_result_clear(&d->r);
	g_free(d);
	return G_SOURCE_REMOVE;
}

void fence_defer_result(vg_fence_op_result_t *r, vg_fence_op_done_fn done, void *data)
{
	deferred_t *d = g_new0(deferred_t, 1);
	d->r = *r;
	memset(r, 0, sizeof(*r));
	d->done = done;
	d->data = data;
	fence_idle_add(deferred_fire, d);
}

void fence_spawn(const vg_fence_op_t *op, const char *path, char **argv, char **envp,
                 const char *stdin_data, bool external, vg_fence_op_done_fn done, void *data)
{
	agent_call_t *c = g_new0(agent_call_t, 1);
	vg_error_t err = {0};
	vg_child_spec_t spec = {
	    .path = path,
	    .argv = argv,
	    .envp = envp,
	    .stdin_data = stdin_data,
	    .stdin_len = stdin_data ? strlen(stdin_data) : 0,
	    .timeout_ms = fence_op_timeout(op),
	    .kill_grace_ms = 2000,
	    .capture_max = op->action == VG_FENCE_METADATA ? 1024 * 1024 : 0,
	};
	c->action = op->action;
	c->device = g_strdup(op->device->id);
	c->agent = g_strdup(op->device->agent);
	c->timeout_ms = spec.timeout_ms;
	c->done = done;
	c->data = data;
	c->external = external;
	if (vg_exec_child_spawn(&spec, call_done, c, NULL, &err) != 0) {
		vg_fence_op_result_t r = {0};
		fence_fail(&r, VG_EIO, "%s: cannot start agent %s: %s", c->device, c->agent,
		           err.msg);
		fence_defer_result(&r, done, data);
		g_free(c->device);
		g_free(c->agent);
		g_free(c);
	}
}

void fence_agent_run(const vg_fence_op_t *op, vg_fence_op_done_fn done, void *data)
{
	const char *agent = op->device->agent;
	vg_fence_op_result_t r = {0};
	if (strchr(agent, '/') != NULL || agent[0] == '.') {
		fence_fail(&r, VG_ECONFIG, "%s: invalid agent name \"%s\"", op->device->id, agent);
		fence_defer_result(&r, done, data);
		return;
	}
	char *path = g_build_filename(fence_agent_dir(), agent, NULL);
	char **envp = fence_child_env(false);
	char *in = NULL;
	char *argv[4] = {path, NULL, NULL, NULL};
	if (op->action == VG_FENCE_METADATA) {
		argv[1] = (char *)"-o";
		argv[2] = (char *)"metadata";
	} else {
		in = agent_stdin(op, vg_fence_device_agent_action(op->device, op->action));
	}
	fence_spawn(op, path, argv, envp, in, false, done, data);
	g_free(in);
	g_strfreev(envp);
	g_free(path);
}
