/*
 * execd-driver: drives a running vigil-execd through the lib/exec client API
 * from a script on stdin, for the shell tests in this directory and for
 * bench/exec-ops.  One command per line; output lines are stable so tests
 * can grep them.
 *
 *   info                                  info boot=ID rsc=N active=N max=N peak=N
 *   register ID CLASS:[PROV:]TYPE [k=v].. [meta.k=v]..      ok | error CODE MSG
 *   unregister ID                          ok | error ...
 *   run ID ACTION [interval=MS] [timeout=MS] [delay=MS] [ud=S] [k=v]..   call N
 *   cancel|refresh ID ACTION INTERVAL      ok | error ...
 *   list                                  recurring ID ACTION INTERVAL LAST_RC ... then "end"
 *   wait N [MS]                           N event lines (or "timeout")
 *   watch N MS                            like wait, but through vg_exec_client_attach
 *                                         and a GMainLoop (the way vigil-ctld listens)
 *   none MS                               "none" when no event arrives within MS
 *   sleep MS
 *   raw N PAR PATH                        run PATH N times, PAR at once, straight
 *                                         through lib/exec (no daemon): "raw ops_per_s=R"
 *   flood NRSC NOPS AGENT                 NOPS ops spread over NRSC resources
 *                                         (ocf:PROV:TYPE); checks completion and
 *                                         per-resource order: "flood ok ..." or "flood FAIL ..."
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <vigil/exec.h>

static void print_event(const vg_exec_event_t *ev)
{
	char *out, *reason;

	if (ev->type == VG_EXEC_EV_DISCONNECTED) {
		printf("disconnected\n");
		return;
	}
	out = g_strdup(ev->out ? ev->out : "");
	reason = g_strdup(ev->exit_reason ? ev->exit_reason : "");
	g_strdelimit(out, "\n", '|');
	g_strdelimit(reason, "\n", '|');
	if (strlen(out) > 200)
		out[200] = '\0';
	printf("event call=%d rsc=%s action=%s interval=%" G_GUINT64_FORMAT
	       " rc=%d status=%s exec_ms=%" G_GUINT64_FORMAT " queue_ms=%" G_GUINT64_FORMAT
	       " ud=%s reason=%s out=%s\n",
	       ev->call_id, ev->rsc_id, ev->action, ev->interval_ms, ev->rc,
	       vg_exec_op_status_name(ev->status), ev->exec_ms, ev->queue_ms,
	       ev->user_data ? ev->user_data : "", reason, out);
	g_free(out);
	g_free(reason);
}

static void print_rc(int rc, const vg_error_t *err)
{
	if (rc == VG_OK)
		printf("ok\n");
	else
		printf("error %d %s\n", rc, err->msg);
}

static GHashTable *table(void)
{
	return g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
}

static void cmd_register(vg_exec_client_t *c, char **w, int n)
{
	char **agent = g_strsplit(w[2], ":", 3);
	GHashTable *params = table(), *meta = table();
	vg_exec_rsc_t rsc = {.id = w[1], .klass = agent[0], .params = params, .meta = meta};
	vg_error_t err = {0};

	if (agent[1] != NULL && agent[2] != NULL) {
		rsc.provider = agent[1];
		rsc.type = agent[2];
	} else {
		rsc.type = agent[1];
	}
	for (int i = 3; i < n; i++) {
		char *eq = strchr(w[i], '=');

		if (eq == NULL)
			continue;
		if (g_str_has_prefix(w[i], "meta."))
			g_hash_table_replace(meta, g_strndup(w[i] + 5, (gsize)(eq - w[i] - 5)),
			                     g_strdup(eq + 1));
		else
			g_hash_table_replace(params, g_strndup(w[i], (gsize)(eq - w[i])),
			                     g_strdup(eq + 1));
	}
	print_rc(vg_exec_client_register(c, &rsc, &err), &err);
	g_hash_table_destroy(params);
	g_hash_table_destroy(meta);
	g_strfreev(agent);
}

static void cmd_run(vg_exec_client_t *c, char **w, int n)
{
	GHashTable *params = table();
	vg_exec_op_t op = {.rsc_id = w[1], .action = w[2], .params = params};
	vg_error_t err = {0};
	int call_id = 0, rc;

	for (int i = 3; i < n; i++) {
		char *eq = strchr(w[i], '=');

		if (eq == NULL)
			continue;
		if (g_str_has_prefix(w[i], "interval="))
			op.interval_ms = g_ascii_strtoull(eq + 1, NULL, 10);
		else if (g_str_has_prefix(w[i], "timeout="))
			op.timeout_ms = g_ascii_strtoull(eq + 1, NULL, 10);
		else if (g_str_has_prefix(w[i], "delay="))
			op.start_delay_ms = g_ascii_strtoull(eq + 1, NULL, 10);
		else if (g_str_has_prefix(w[i], "ud="))
			op.user_data = eq + 1;
		else
			g_hash_table_replace(params, g_strndup(w[i], (gsize)(eq - w[i])),
			                     g_strdup(eq + 1));
	}
	rc = vg_exec_client_run(c, &op, &call_id, &err);
	if (rc == VG_OK)
		printf("call %d\n", call_id);
	else
		print_rc(rc, &err);
	g_hash_table_destroy(params);
}

static void cmd_wait(vg_exec_client_t *c, int count, int timeout_ms)
{
	for (int i = 0; i < count; i++) {
		vg_exec_event_t *ev = NULL;
		vg_error_t err = {0};

		if (vg_exec_client_next_event(c, &ev, timeout_ms, &err) != VG_OK) {
			printf("timeout\n");
			return;
		}
		print_event(ev);
		vg_exec_event_free(ev);
	}
}

/* NOPS ops over NRSC resources at once; every result must come back, and
 * per resource in submission order (user_data carries the sequence). */
static void cmd_flood(vg_exec_client_t *c, int nrsc, int nops, const char *agent)
{
	char **a = g_strsplit(agent, ":", 3);
	int *next = g_new0(int, nrsc), bad_order = 0, bad_rc = 0, got = 0;
	int64_t t0;
	double submitted = 0;
	vg_error_t err = {0};

	for (int r = 0; r < nrsc; r++) {
		char id[32];
		vg_exec_rsc_t rsc = {.id = id, .klass = a[0], .provider = a[1], .type = a[2]};

		g_snprintf(id, sizeof(id), "flood%d", r);
		if (vg_exec_client_register(c, &rsc, &err) != VG_OK) {
			printf("flood FAIL register: %s\n", err.msg);
			goto out;
		}
	}
	t0 = g_get_monotonic_time();
	for (int i = 0; i < nops; i++) {
		char id[32], ud[32];
		vg_exec_op_t op = {.rsc_id = id,
		                   .action = i % 2 ? "monitor" : "start",
		                   .timeout_ms = 60000,
		                   .user_data = ud};

		g_snprintf(id, sizeof(id), "flood%d", i % nrsc);
		g_snprintf(ud, sizeof(ud), "%d", i / nrsc);
		if (vg_exec_client_run(c, &op, NULL, &err) != VG_OK) {
			printf("flood FAIL run %d: %s\n", i, err.msg);
			goto out;
		}
	}
	submitted = (double)(g_get_monotonic_time() - t0) / G_USEC_PER_SEC;
	while (got < nops) {
		vg_exec_event_t *ev = NULL;
		int r, seq;

		if (vg_exec_client_next_event(c, &ev, 60000, &err) != VG_OK)
			break;
		if (ev->type != VG_EXEC_EV_RESULT || !g_str_has_prefix(ev->rsc_id, "flood")) {
			vg_exec_event_free(ev);
			continue;
		}
		r = atoi(ev->rsc_id + 5);
		seq = ev->user_data ? atoi(ev->user_data) : -1;
		if (r < 0 || r >= nrsc || seq != next[r])
			bad_order++;
		else
			next[r]++;
		if (ev->status != VG_OP_DONE || ev->rc != VG_OCF_SUCCESS)
			bad_rc++;
		got++;
		vg_exec_event_free(ev);
	}
	{
		double secs = (double)(g_get_monotonic_time() - t0) / G_USEC_PER_SEC;
		vg_exec_info_t info = {0};

		vg_exec_client_info(c, &info, NULL);
		printf("flood %s got=%d of=%d order_errors=%d failed=%d seconds=%.3f submit_s=%.3f "
		       "ops_per_s=%.1f\n",
		       got == nops && bad_order == 0 && bad_rc == 0 ? "ok" : "FAIL", got, nops,
		       bad_order, bad_rc, secs, submitted, secs > 0 ? got / secs : 0.0);
		vg_exec_info_clear(&info);
	}
	for (int r = 0; r < nrsc; r++) {
		char id[32];

		g_snprintf(id, sizeof(id), "flood%d", r);
		vg_exec_client_unregister(c, id, NULL);
	}
out:
	g_free(next);
	g_strfreev(a);
}

typedef struct watch {
	int left;
	GMainLoop *loop;
	bool gone;
	bool timed_out;
} watch_t;

static void on_watch_event(const vg_exec_event_t *ev, void *data)
{
	watch_t *w = data;

	print_event(ev);
	w->gone |= ev->type == VG_EXEC_EV_DISCONNECTED;
	if (--w->left <= 0 || w->gone)
		g_main_loop_quit(w->loop);
}

static gboolean on_watch_timeout(gpointer data)
{
	watch_t *w = data;

	printf("timeout\n");
	w->timed_out = true;
	g_main_loop_quit(w->loop);
	return G_SOURCE_REMOVE;
}

static void cmd_watch(vg_exec_client_t *c, int count, int timeout_ms)
{
	watch_t w = {.left = count, .loop = g_main_loop_new(NULL, FALSE)};
	guint t = g_timeout_add((guint)timeout_ms, on_watch_timeout, &w);

	/* attach may deliver events that were already waiting */
	vg_exec_client_attach(c, on_watch_event, &w);
	if (w.left > 0 && !w.gone)
		g_main_loop_run(w.loop);
	if (!w.timed_out)
		g_source_remove(t);
	g_main_loop_unref(w.loop);
}

typedef struct raw {
	int left, running, par, done, failed;
	vg_child_spec_t spec;
	GMainLoop *loop;
} raw_t;

static void raw_next(raw_t *r);

static void on_raw_done(vg_child_result_t *res, void *data)
{
	raw_t *r = data;

	r->running--;
	r->done++;
	r->failed += res->status != VG_CHILD_EXITED || res->exit_code != 0;
	raw_next(r);
}

static void raw_next(raw_t *r)
{
	while (r->left > 0 && r->running < r->par) {
		r->left--;
		r->running++;
		if (vg_exec_child_spawn(&r->spec, on_raw_done, r, NULL, NULL) != VG_OK) {
			r->running--;
			r->failed++;
		}
	}
	if (r->left == 0 && r->running == 0)
		g_main_loop_quit(r->loop);
}

/* The fork/exec baseline: the same agent without execd in between. */
static void cmd_raw(int count, int par, const char *path)
{
	char *argv[] = {(char *)path, "monitor", NULL};
	char *envp[] = {"PATH=/usr/bin:/bin", NULL};
	raw_t r = {.left = count, .par = MAX(par, 1), .loop = g_main_loop_new(NULL, FALSE)};
	int64_t t0 = g_get_monotonic_time();
	double secs;

	r.spec.path = path;
	r.spec.argv = argv;
	r.spec.envp = envp;
	raw_next(&r);
	if (r.running > 0)
		g_main_loop_run(r.loop);
	secs = (double)(g_get_monotonic_time() - t0) / G_USEC_PER_SEC;
	printf("raw done=%d failed=%d seconds=%.3f ops_per_s=%.1f\n", r.done, r.failed, secs,
	       secs > 0 ? r.done / secs : 0.0);
	g_main_loop_unref(r.loop);
}

static void run_line(vg_exec_client_t *c, char **w, int n)
{
	vg_error_t err = {0};
	const char *cmd = w[0];

	if (strcmp(cmd, "info") == 0) {
		vg_exec_info_t info = {0};
		int rc = vg_exec_client_info(c, &info, &err);

		if (rc == VG_OK)
			printf("info boot=%s rsc=%u active=%u max=%u\n", info.boot_id,
			       info.n_resources, info.n_active, info.max_children);
		else
			print_rc(rc, &err);
		vg_exec_info_clear(&info);
	} else if (strcmp(cmd, "register") == 0 && n >= 3) {
		cmd_register(c, w, n);
	} else if (strcmp(cmd, "unregister") == 0 && n >= 2) {
		print_rc(vg_exec_client_unregister(c, w[1], &err), &err);
	} else if (strcmp(cmd, "run") == 0 && n >= 3) {
		cmd_run(c, w, n);
	} else if ((strcmp(cmd, "cancel") == 0 || strcmp(cmd, "refresh") == 0) && n >= 4) {
		uint64_t iv = g_ascii_strtoull(w[3], NULL, 10);

		print_rc(strcmp(cmd, "cancel") == 0
		             ? vg_exec_client_cancel(c, w[1], w[2], iv, &err)
		             : vg_exec_client_refresh(c, w[1], w[2], iv, &err),
		         &err);
	} else if (strcmp(cmd, "list") == 0) {
		GPtrArray *ops = NULL;
		int rc = vg_exec_client_list_recurring(c, &ops, &err);

		for (guint i = 0; rc == VG_OK && i < ops->len; i++) {
			vg_exec_recurring_t *r = ops->pdata[i];

			printf("recurring %s %s %" G_GUINT64_FORMAT " %d\n", r->rsc_id, r->action,
			       r->interval_ms, r->last_rc);
		}
		if (ops != NULL)
			g_ptr_array_unref(ops);
		printf(rc == VG_OK ? "end\n" : "error\n");
	} else if (strcmp(cmd, "wait") == 0 && n >= 2) {
		cmd_wait(c, atoi(w[1]), n >= 3 ? atoi(w[2]) : 30000);
	} else if (strcmp(cmd, "watch") == 0 && n >= 3) {
		cmd_watch(c, atoi(w[1]), atoi(w[2]));
	} else if (strcmp(cmd, "none") == 0 && n >= 2) {
		vg_exec_event_t *ev = NULL;

		if (vg_exec_client_next_event(c, &ev, atoi(w[1]), &err) == VG_OK) {
			print_event(ev);
			vg_exec_event_free(ev);
		} else {
			printf("none\n");
		}
	} else if (strcmp(cmd, "sleep") == 0 && n >= 2) {
		g_usleep((gulong)atoi(w[1]) * 1000);
	} else if (strcmp(cmd, "raw") == 0 && n >= 4) {
		cmd_raw(atoi(w[1]), atoi(w[2]), w[3]);
	} else if (strcmp(cmd, "flood") == 0 && n >= 4) {
		cmd_flood(c, atoi(w[1]), atoi(w[2]), w[3]);
	} else {
		printf("bad command: %s\n", cmd);
	}
}

int main(int argc, char **argv)
{
	const char *instance = argc > 1 ? argv[1] : NULL;
	vg_error_t err = {0};
	vg_exec_client_t *c;
	char line[8192];

	vg_log_init_tool("execd-driver");
	c = vg_exec_client_connect(instance, &err);
	if (c == NULL) {
		fprintf(stderr, "execd-driver: %s\n", err.msg);
		return 1;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	while (fgets(line, sizeof(line), stdin) != NULL) {
		char **w;
		int n;

		g_strstrip(line);
		if (line[0] == '\0' || line[0] == '#')
			continue;
		if (!g_shell_parse_argv(line, &n, &w, NULL))
			continue;
		run_line(c, w, n);
		g_strfreev(w);
	}
	vg_exec_client_free(c);
	return 0;
}
