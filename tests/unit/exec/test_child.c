/*
 * Unit tests for exec_child.c: output capture and tails, clean environment,
 * stdin data, process groups, timeouts that take down a whole process tree
 * (also one that ignores SIGTERM), exec failures as results, signals,
 * cancellation, and many children at once on one main loop.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <vigil/exec.h>

static void run_sh(const char *script, uint64_t timeout_ms, vg_child_result_t *res)
{
	char *argv[] = {"/bin/sh", "-c", (char *)script, NULL};
	char *envp[] = {"PATH=/usr/bin:/bin", NULL};
	vg_child_spec_t spec = {.path = "/bin/sh",
	                        .argv = argv,
	                        .envp = envp,
	                        .timeout_ms = timeout_ms,
	                        .kill_grace_ms = 300};

	assert_int_equal(vg_exec_child_run(&spec, res, NULL), VG_OK);
}

static void test_capture(void **state)
{
	vg_child_result_t res;

	(void)state;
	run_sh("echo out; echo err >&2; exit 3", 0, &res);
	assert_int_equal(res.status, VG_CHILD_EXITED);
	assert_int_equal(res.exit_code, 3);
	assert_string_equal(res.out, "out\n");
	assert_string_equal(res.err, "err\n");
	assert_false(res.out_truncated);
	vg_exec_result_clear(&res);
}

static void test_clean_env(void **state)
{
	char *argv[] = {"/usr/bin/env", NULL};
	char *envp[] = {"ONLY=this", NULL};
	vg_child_spec_t spec = {.path = "/usr/bin/env", .argv = argv, .envp = envp};
	vg_child_result_t res;

	(void)state;
	setenv("VIGIL_TEST_LEAK", "1", 1);
	assert_int_equal(vg_exec_child_run(&spec, &res, NULL), VG_OK);
	assert_int_equal(res.exit_code, 0);
	assert_string_equal(res.out, "ONLY=this\n");
	vg_exec_result_clear(&res);
}

static void test_stdin(void **state)
{
	char *argv[] = {"/bin/cat", NULL};
	vg_child_spec_t spec = {
	    .path = "/bin/cat", .argv = argv, .stdin_data = "hello\nworld\n", .stdin_len = 12};
	vg_child_result_t res;

	(void)state;
	assert_int_equal(vg_exec_child_run(&spec, &res, NULL), VG_OK);
	assert_string_equal(res.out, "hello\nworld\n");
	vg_exec_result_clear(&res);
}

/* 4 MiB through cat, keeping a 1000-byte tail; and a child that ignores stdin. */
static void test_big_stdin_tail(void **state)
{
	size_t n = 4u * 1024 * 1024;
	char *data = g_malloc(n);
	char *argv[] = {"/bin/cat", NULL};
	vg_child_spec_t spec = {.path = "/bin/cat",
	                        .argv = argv,
	                        .stdin_data = data,
	                        .stdin_len = n,
	                        .capture_max = 1000};
	vg_child_result_t res;

	(void)state;
	for (size_t i = 0; i < n; i++)
		data[i] = (char)('a' + i % 26);
	assert_int_equal(vg_exec_child_run(&spec, &res, NULL), VG_OK);
	assert_int_equal(res.exit_code, 0);
	assert_int_equal(res.out_len, 1000);
	assert_true(res.out_truncated);
	assert_memory_equal(res.out, data + n - 1000, 1000);
	vg_exec_result_clear(&res);

	spec.path = "/bin/true";
	argv[0] = "/bin/true";
	assert_int_equal(vg_exec_child_run(&spec, &res, NULL), VG_OK);
	assert_int_equal(res.status, VG_CHILD_EXITED);
	assert_int_equal(res.exit_code, 0);
	vg_exec_result_clear(&res);
	g_free(data);
}

static void test_own_group(void **state)
{
	vg_child_result_t res;

	(void)state;
	run_sh("read a b c d e rest < /proc/$$/stat; echo $e", 0, &res);
	assert_int_equal(atoi(res.out), res.pid);
	assert_int_not_equal(res.pid, getpgrp());
	vg_exec_result_clear(&res);
}

static bool pid_alive(pid_t pid)
{
	char path[64];
	char *stat = NULL;
	bool alive;

	/* A zombie waiting for init is dead for our purpose. */
	g_snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if (!g_file_get_contents(path, &stat, NULL, NULL))
		return false;
	alive = strstr(stat, ") Z ") == NULL;
	g_free(stat);
	return alive;
}

/* Any live (non-zombie) process left in process group pgid? */
static bool group_alive(pid_t pgid)
{
	GDir *d = g_dir_open("/proc", 0, NULL);
	const char *name;
	bool found = false;

	while (d != NULL && !found && (name = g_dir_read_name(d)) != NULL) {
		char path[300], *stat = NULL, *p;
		char st;
		int ppid, pgrp;

		if (!g_ascii_isdigit(name[0]))
			continue;
		g_snprintf(path, sizeof(path), "/proc/%s/stat", name);
		if (!g_file_get_contents(path, &stat, NULL, NULL))
			continue;
		p = strrchr(stat, ')');
		if (p != NULL && sscanf(p + 1, " %c %d %d", &st, &ppid, &pgrp) == 3 &&
		    pgrp == pgid && st != 'Z')
			found = true;
		g_free(stat);
	}
	if (d != NULL)
		g_dir_close(d);
	return found;
}

static void wait_dead(const char *pids)
{
	char **v = g_strsplit(pids, "\n", -1);

	for (char **p = v; *p != NULL; p++) {
		if (**p == '\0')
			continue;
		for (int i = 0; i < 100 && pid_alive(atoi(*p)); i++)
			g_usleep(10000);
		assert_false(pid_alive(atoi(*p)));
	}
	g_strfreev(v);
}

/* A tree: the shell, a background child, a grandchild in a subshell. */
static void test_timeout_kills_tree(void **state)
{
	vg_child_result_t res;
	int64_t t0 = g_get_monotonic_time();

	(void)state;
	run_sh("sleep 100 & echo $!; (sleep 100 & echo $!; wait) & sleep 0.05; echo $$; wait", 300,
	       &res);
	assert_int_equal(res.status, VG_CHILD_TIMEDOUT);
	assert_true(g_get_monotonic_time() - t0 < 2 * G_USEC_PER_SEC);
	wait_dead(res.out);
	assert_false(group_alive(res.pid));
	vg_exec_result_clear(&res);
}

/* SIGTERM ignored by everyone: SIGKILL after the grace period. */
static void test_timeout_ignores_term(void **state)
{
	vg_child_result_t res;
	int64_t t0 = g_get_monotonic_time();

	(void)state;
	run_sh("trap '' TERM; sleep 100 & echo $!; echo $$; wait", 200, &res);
	assert_int_equal(res.status, VG_CHILD_TIMEDOUT);
	assert_int_equal(res.signo, SIGKILL);
	assert_true(g_get_monotonic_time() - t0 >= 450 * 1000);
	assert_true(g_get_monotonic_time() - t0 < 3 * G_USEC_PER_SEC);
	wait_dead(res.out);
	vg_exec_result_clear(&res);
}

static void test_exec_failed(void **state)
{
	char *dir = g_dir_make_tmp("vigil-exec-XXXXXX", NULL);
	char *noexec = g_build_filename(dir, "noexec", NULL);
	vg_child_spec_t spec = {.path = "/nonexistent/agent"};
	vg_child_result_t res;
	char buf[128];

	(void)state;
	assert_int_equal(vg_exec_child_run(&spec, &res, NULL), VG_OK);
	assert_int_equal(res.status, VG_CHILD_EXEC_FAILED);
	assert_int_equal(res.exec_errno, ENOENT);
	assert_non_null(strstr(vg_exec_child_describe(&res, buf, sizeof(buf)), "could not"));
	vg_exec_result_clear(&res);

	g_file_set_contents(noexec, "#!/bin/sh\nexit 0\n", -1, NULL);
	chmod(noexec, 0644);
	spec.path = noexec;
	assert_int_equal(vg_exec_child_run(&spec, &res, NULL), VG_OK);
	assert_int_equal(res.status, VG_CHILD_EXEC_FAILED);
	/* root may still be refused: execve needs an x bit for anybody */
	assert_int_equal(res.exec_errno, EACCES);
	vg_exec_result_clear(&res);
	unlink(noexec);
	rmdir(dir);
	g_free(noexec);
	g_free(dir);
}

static void test_signaled(void **state)
{
	vg_child_result_t res;

	(void)state;
	run_sh("kill -SEGV $$", 0, &res);
	assert_int_equal(res.status, VG_CHILD_SIGNALED);
	assert_int_equal(res.signo, SIGSEGV);
	vg_exec_result_clear(&res);
}

typedef struct many {
	int done;
	int ok;
	GMainLoop *loop;
	int total;
} many_t;

static void on_many(vg_child_result_t *res, void *data)
{
	many_t *m = data;

	m->done++;
	if (res->status == VG_CHILD_EXITED && res->exit_code == 7 && strcmp(res->out, "x\n") == 0)
		m->ok++;
	if (m->done == m->total)
		g_main_loop_quit(m->loop);
}

static void test_many_async(void **state)
{
	char *argv[] = {"/bin/sh", "-c", "echo x; exit 7", NULL};
	vg_child_spec_t spec = {.path = "/bin/sh", .argv = argv};
	many_t m = {.total = 50, .loop = g_main_loop_new(NULL, FALSE)};

	(void)state;
	for (int i = 0; i < m.total; i++)
		assert_int_equal(vg_exec_child_spawn(&spec, on_many, &m, NULL, NULL), VG_OK);
	g_main_loop_run(m.loop);
	assert_int_equal(m.done, m.total);
	assert_int_equal(m.ok, m.total);
	g_main_loop_unref(m.loop);
}

static void on_cancelled(vg_child_result_t *res, void *data)
{
	many_t *m = data;

	m->done++;
	m->ok = res->status == VG_CHILD_CANCELLED;
	g_main_loop_quit(m->loop);
}

static gboolean do_cancel(gpointer data)
{
	vg_exec_child_cancel(data);
	return G_SOURCE_REMOVE;
}

static void test_cancel(void **state)
{
	char *argv[] = {"/bin/sleep", "100", NULL};
	vg_child_spec_t spec = {.path = "/bin/sleep", .argv = argv};
	many_t m = {.loop = g_main_loop_new(NULL, FALSE)};
	vg_exec_child_t *c = NULL;

	(void)state;
	assert_int_equal(vg_exec_child_spawn(&spec, on_cancelled, &m, &c, NULL), VG_OK);
	assert_true(vg_exec_child_pid(c) > 0);
	g_timeout_add(50, do_cancel, c);
	g_main_loop_run(m.loop);
	assert_int_equal(m.done, 1);
	assert_true(m.ok);
	g_main_loop_unref(m.loop);
}

static void test_huge_output(void **state)
{
	vg_child_result_t res;

	(void)state;
	run_sh("i=0; while [ $i -lt 20 ]; do head -c 1000000 /dev/zero | tr '\\0' a; i=$((i+1)); "
	       "done; echo END",
	       20000, &res);
	assert_int_equal(res.status, VG_CHILD_EXITED);
	assert_int_equal(res.out_len, VG_CHILD_CAPTURE_DEFAULT);
	assert_true(res.out_truncated);
	assert_true(g_str_has_suffix(res.out, "aaaEND\n"));
	vg_exec_result_clear(&res);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_capture),
	    cmocka_unit_test(test_clean_env),
	    cmocka_unit_test(test_stdin),
	    cmocka_unit_test(test_big_stdin_tail),
	    cmocka_unit_test(test_own_group),
	    cmocka_unit_test(test_timeout_kills_tree),
	    cmocka_unit_test(test_timeout_ignores_term),
	    cmocka_unit_test(test_exec_failed),
	    cmocka_unit_test(test_signaled),
	    cmocka_unit_test(test_many_async),
	    cmocka_unit_test(test_cancel),
	    cmocka_unit_test(test_huge_output),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
