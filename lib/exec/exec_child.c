/*
 * exec_child.c: child processes with a clean environment, their own process
 * group, stdin data, a timeout that takes the whole group down, bounded
 * output tails, and a completion callback on the GMainLoop.
 *
 * How a child lives (see include/vigil/exec.h for the contract):
 *   spawn: fork; the child joins its own group, asks for SIGKILL when we die,
 *          resets signals, marks every inherited fd close-on-exec, execve()s.
 *          A close-on-exec "exec error" pipe makes spawn wait for the execve
 *          outcome, so a missing or non-executable program is a result
 *          (VG_CHILD_EXEC_FAILED), not a hung watch.
 *   run:   stdout/stderr read non-blocking into tails; stdin fed through a
 *          socketpair with MSG_NOSIGNAL (no SIGPIPE when the child ignores it).
 *   end:   GLib's child watch reaps the leader; remaining output is drained
 *          and `done` runs.  On timeout/cancel the group gets SIGTERM, then
 *          SIGKILL after the grace period or as soon as the leader is gone.
 * Never: waitpid(-1) (that would steal other owners' children), global state.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define VG_LOG_SUBSYS "exec"
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib-unix.h>
#include <vigil/exec.h>

enum child_state { CHILD_RUNNING, CHILD_STOPPING, CHILD_DONE };

typedef struct stream {
	int fd;
	GSource *src;
	GString *buf;
	size_t max;
	bool truncated;
} stream_t;

struct vg_exec_child {
	pid_t pid;
	enum child_state state;
	vg_child_status_t stop_reason; /* TIMEDOUT or CANCELLED once stopping */
	uint64_t grace_ms;
	int64_t started_us;
	GMainContext *ctx;
	stream_t out, err;
	int in_fd;
	GSource *in_src;
	const char *in_data; /* borrowed from spec: copied below */
	char *in_copy;
	size_t in_len, in_off;
	GSource *watch_src, *timeout_src, *grace_src, *idle_src;
	vg_child_result_t res;
	vg_child_done_fn done;
	void *data;
};

static void stream_append(stream_t *s, const char *p, size_t n)
{
	g_string_append_len(s->buf, p, (gssize)n);
	/* Keep a tail: trim in large steps so the cost stays linear. */
	if (s->buf->len > 2 * s->max) {
		g_string_erase(s->buf, 0, (gssize)(s->buf->len - s->max));
		s->truncated = true;
	}
}

/* Read what is there; returns false at EOF or error (stream closed). */
static bool stream_read(stream_t *s)
{
	char tmp[16384];

	if (s->fd < 0)
		return false;
	for (;;) {
		ssize_t n = read(s->fd, tmp, sizeof(tmp));

		if (n > 0) {
			stream_append(s, tmp, (size_t)n);
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return true;
		return false;
	}
}

/* Stop watching a pipe and close it (stdout, stderr and stdin alike). */
static void watch_close(GSource **src, int *fd)
{
	if (*src != NULL) {
		g_source_destroy(*src);
		g_source_unref(*src);
		*src = NULL;
	}
	if (*fd >= 0) {
		close(*fd);
		*fd = -1;
	}
}

static void stream_close(stream_t *s)
{
	watch_close(&s->src, &s->fd);
}

static gboolean on_stream(gint fd, GIOCondition cond, gpointer data)
{
	stream_t *s = data;

	(void)fd;
	(void)cond;
	if (stream_read(s))
		return G_SOURCE_CONTINUE;
	/* EOF: the source is destroyed by returning REMOVE; drop our ref. */
	g_source_unref(s->src);
	s->src = NULL;
	close(s->fd);
	s->fd = -1;
	return G_SOURCE_REMOVE;
}

static void stdin_close(vg_exec_child_t *c)
{
	watch_close(&c->in_src, &c->in_fd);
}

static gboolean on_stdin(gint fd, GIOCondition cond, gpointer data)
{
	vg_exec_child_t *c = data;

	(void)cond;
	while (c->in_off < c->in_len) {
		ssize_t n = send(fd, c->in_copy + c->in_off, c->in_len - c->in_off,
		                 MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n > 0) {
			c->in_off += (size_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return G_SOURCE_CONTINUE;
		break; /* EPIPE: the child does not want the rest */
	}
	/* Returning REMOVE destroys the source; stdin_close must not again. */
	g_source_unref(c->in_src);
	c->in_src = NULL;
	close(c->in_fd);
	c->in_fd = -1;
	return G_SOURCE_REMOVE;
}

static void source_drop(GSource **s)
{
	if (*s != NULL) {
		g_source_destroy(*s);
		g_source_unref(*s);
		*s = NULL;
	}
}

static GSource *attach(vg_exec_child_t *c, GSource *s, GSourceFunc fn)
{
	g_source_set_callback(s, fn, c, NULL);
	g_source_attach(s, c->ctx);
	return s;
}

static void finish(vg_exec_child_t *c)
{
	stream_read(&c->out);
	stream_read(&c->err);
	stream_close(&c->out);
	stream_close(&c->err);
	stdin_close(c);
	source_drop(&c->timeout_src);
	source_drop(&c->grace_src);
	source_drop(&c->watch_src);
	source_drop(&c->idle_src);
	for (stream_t *s = &c->out; s <= &c->err; s++) {
		if (s->buf->len > s->max) {
			g_string_erase(s->buf, 0, (gssize)(s->buf->len - s->max));
			s->truncated = true;
		}
	}
	c->res.out_len = c->out.buf->len;
	c->res.out_truncated = c->out.truncated;
	c->res.out = g_string_free(c->out.buf, FALSE);
	c->res.err_len = c->err.buf->len;
	c->res.err_truncated = c->err.truncated;
	c->res.err = g_string_free(c->err.buf, FALSE);
	c->res.run_ms =
	    c->started_us ? (uint64_t)(g_get_monotonic_time() - c->started_us) / 1000 : 0;
	c->state = CHILD_DONE;
	c->done(&c->res, c->data);
	vg_exec_result_clear(&c->res);
	g_free(c->in_copy);
	g_main_context_unref(c->ctx);
	g_free(c);
}

static void on_reaped(GPid pid, gint wstatus, gpointer data)
{
	vg_exec_child_t *c = data;

	(void)pid;
	g_source_unref(c->watch_src); /* the watch removes itself after this call */
	c->watch_src = NULL;
	if (c->state == CHILD_STOPPING) {
		/* The leader is gone; take whatever it left in its group with it. */
		kill(-c->pid, SIGKILL);
		c->res.status = c->stop_reason;
		c->res.signo = WIFSIGNALED(wstatus) ? WTERMSIG(wstatus) : 0;
		c->res.exit_code = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : -1;
	} else if (WIFEXITED(wstatus)) {
		c->res.status = VG_CHILD_EXITED;
		c->res.exit_code = WEXITSTATUS(wstatus);
	} else {
		c->res.status = VG_CHILD_SIGNALED;
		c->res.signo = WIFSIGNALED(wstatus) ? WTERMSIG(wstatus) : 0;
		c->res.exit_code = -1;
	}
	finish(c);
}

static gboolean on_grace(gpointer data)
{
	vg_exec_child_t *c = data;

	vg_log_info("child %d: still alive %" G_GUINT64_FORMAT
	            " ms after SIGTERM, sending SIGKILL to its group",
	            (int)c->pid, c->grace_ms);
	kill(-c->pid, SIGKILL);
	g_source_unref(c->grace_src);
	c->grace_src = NULL;
	return G_SOURCE_REMOVE;
}

static void stop(vg_exec_child_t *c, vg_child_status_t reason)
{
	if (c->state != CHILD_RUNNING)
		return;
	c->state = CHILD_STOPPING;
	c->stop_reason = reason;
	source_drop(&c->timeout_src);
	kill(-c->pid, SIGTERM);
	c->grace_src = attach(c, g_timeout_source_new((guint)c->grace_ms), on_grace);
}

static gboolean on_timeout(gpointer data)
{
	vg_exec_child_t *c = data;

	g_source_unref(c->timeout_src);
	c->timeout_src = NULL; /* removed by returning REMOVE */
	vg_log_info("child %d: timed out, sending SIGTERM to its group", (int)c->pid);
	stop(c, VG_CHILD_TIMEDOUT);
	return G_SOURCE_REMOVE;
}

static gboolean on_exec_failed(gpointer data)
{
	vg_exec_child_t *c = data;

	g_source_unref(c->idle_src);
	c->idle_src = NULL;
	finish(c);
	return G_SOURCE_REMOVE;
}

/* In the child between fork and execve: async-signal-safe calls only. */
static G_GNUC_NORETURN void child_exec(const vg_child_spec_t *spec, char *const *argv,
                                       char *const *envp, int in_fd, int out_fd, int err_fd,
                                       int errpipe, pid_t parent)
{
	sigset_t all;
	int e;

	setpgid(0, 0);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(127); /* the parent died before we asked */
	for (int sig = 1; sig < NSIG; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			signal(sig, SIG_DFL);
	sigemptyset(&all);
	sigprocmask(SIG_SETMASK, &all, NULL);
	if (dup2(in_fd, 0) < 0 || dup2(out_fd, 1) < 0 || dup2(err_fd, 2) < 0)
		goto fail;
	/* Everything else we inherited disappears at execve. */
	close_range(3, ~0u, CLOSE_RANGE_CLOEXEC);
	if (chdir(spec->cwd != NULL ? spec->cwd : "/") != 0)
		goto fail;
	execve(spec->path, argv, envp);
fail:
	e = errno;
	if (write(errpipe, &e, sizeof(e)) < 0) {
		/* nothing left to tell anyone */
	}
	_exit(127);
}

static int setup_fail(vg_error_t *err, int *fds, size_t n, const char *what)
{
	int e = errno;

	for (size_t i = 0; i < n; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	return vg_error_set(err, VG_EIO, "cannot %s for a child process: %s", what, g_strerror(e));
}

/* The parent's record of a forked child; out/err are the read ends. */
static vg_exec_child_t *child_new(const vg_child_spec_t *spec, pid_t pid, int out_fd, int err_fd,
                                  vg_child_done_fn done, void *data)
{
	vg_exec_child_t *c = g_new0(vg_exec_child_t, 1);

	c->pid = pid;
	c->res.pid = pid;
	c->ctx = g_main_context_ref_thread_default();
	c->grace_ms = spec->kill_grace_ms ? spec->kill_grace_ms : VG_CHILD_GRACE_MS_DEFAULT;
	c->started_us = g_get_monotonic_time();
	c->done = done;
	c->data = data;
	c->in_fd = -1;
	for (int i = 0; i < 2; i++) {
		stream_t *st = i == 0 ? &c->out : &c->err;

		st->fd = i == 0 ? out_fd : err_fd;
		st->buf = g_string_sized_new(256);
		st->max = spec->capture_max ? spec->capture_max : VG_CHILD_CAPTURE_DEFAULT;
		g_unix_set_fd_nonblocking(st->fd, TRUE, NULL);
	}
	return c;
}

static GSource *attach_fd(vg_exec_child_t *c, int fd, GIOCondition cond, GUnixFDSourceFunc fn,
                          void *data)
{
	GSource *src = g_unix_fd_source_new(fd, cond);

	g_source_set_callback(src, (GSourceFunc)(void (*)(void))fn, data, NULL);
	g_source_attach(src, c->ctx);
	return src;
}

/* Start watching a running child: output, stdin feed, exit, timeout. */
static void child_watch(vg_exec_child_t *c, const vg_child_spec_t *spec, int in_fd)
{
	c->out.src = attach_fd(c, c->out.fd, G_IO_IN | G_IO_HUP | G_IO_ERR, on_stream, &c->out);
	c->err.src = attach_fd(c, c->err.fd, G_IO_IN | G_IO_HUP | G_IO_ERR, on_stream, &c->err);
	if (spec->stdin_data != NULL) {
		c->in_fd = in_fd;
		c->in_copy = g_memdup2(spec->stdin_data, spec->stdin_len);
		c->in_len = spec->stdin_len;
		c->in_src = attach_fd(c, in_fd, G_IO_OUT | G_IO_HUP | G_IO_ERR, on_stdin, c);
	}
	c->watch_src = g_child_watch_source_new(c->pid);
	g_source_set_callback(c->watch_src, (GSourceFunc)(void (*)(void))on_reaped, c, NULL);
	g_source_attach(c->watch_src, c->ctx);
	if (spec->timeout_ms > 0)
		c->timeout_src = attach(
		    c, g_timeout_source_new((guint)MIN(spec->timeout_ms, G_MAXUINT)), on_timeout);
}

int vg_exec_child_spawn(const vg_child_spec_t *spec, vg_child_done_fn done, void *data,
                        vg_exec_child_t **out, vg_error_t *err)
{
	/* fds: 0,1 stdin socketpair; 2,3 stdout; 4,5 stderr; 6,7 exec error pipe */
	int fds[8] = {-1, -1, -1, -1, -1, -1, -1, -1};
	char *const empty_env[] = {NULL};
	char *default_argv[2] = {NULL, NULL};
	char *const *argv, *const *envp;
	vg_exec_child_t *c;
	pid_t parent = getpid(), pid;
	int e = 0;
	ssize_t n;

	if (out != NULL)
		*out = NULL;
	if (spec == NULL || spec->path == NULL || done == NULL)
		return vg_error_set(err, VG_EINVAL, "child process: no program given");
	default_argv[0] = (char *)spec->path;
	argv = spec->argv != NULL ? spec->argv : default_argv;
	envp = spec->envp != NULL ? spec->envp : empty_env;

	if (spec->stdin_data != NULL) {
		if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0)
			return setup_fail(err, fds, 8, "create a stdin socket");
	} else if ((fds[1] = open("/dev/null", O_RDONLY | O_CLOEXEC)) < 0) {
		return setup_fail(err, fds, 8, "open /dev/null");
	}
	if (pipe2(fds + 2, O_CLOEXEC) != 0 || pipe2(fds + 4, O_CLOEXEC) != 0 ||
	    pipe2(fds + 6, O_CLOEXEC) != 0)
		return setup_fail(err, fds, 8, "create pipes");

	pid = fork();
	if (pid < 0)
		return setup_fail(err, fds, 8, "fork");
	if (pid == 0)
		child_exec(spec, argv, envp, fds[1], fds[3], fds[5], fds[7], parent);

	/* Also here, so that a kill(-pid) right after fork reaches the group. */
	setpgid(pid, pid);
	close(fds[1]);
	close(fds[3]);
	close(fds[5]);
	close(fds[7]);
	/* EOF: execve succeeded (the pipe is close-on-exec); else its errno. */
	do
		n = read(fds[6], &e, sizeof(e));
	while (n < 0 && errno == EINTR);
	close(fds[6]);

	c = child_new(spec, pid, fds[2], fds[4], done, data);
	if (n == (ssize_t)sizeof(e)) {
		/* execve failed: the child is exiting right now; reap it here. */
		int st;

		while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
			;
		if (fds[0] >= 0)
			close(fds[0]);
		c->res.status = VG_CHILD_EXEC_FAILED;
		c->res.exec_errno = e;
		c->res.exit_code = -1;
		c->idle_src = attach(c, g_idle_source_new(), on_exec_failed);
	} else {
		child_watch(c, spec, fds[0]);
	}
	if (out != NULL)
		*out = c;
	return VG_OK;
}

void vg_exec_child_cancel(vg_exec_child_t *c)
{
	if (c != NULL)
		stop(c, VG_CHILD_CANCELLED);
}

void vg_exec_child_kill(vg_exec_child_t *c)
{
	if (c == NULL || c->state == CHILD_DONE || c->res.status == VG_CHILD_EXEC_FAILED)
		return;
	if (c->state == CHILD_RUNNING) {
		c->state = CHILD_STOPPING;
		c->stop_reason = VG_CHILD_CANCELLED;
		source_drop(&c->timeout_src);
	}
	kill(-c->pid, SIGKILL);
}

pid_t vg_exec_child_pid(const vg_exec_child_t *c)
{
	return c != NULL ? c->pid : 0;
}

typedef struct sync_wait {
	bool done;
	vg_child_result_t *res;
} sync_wait_t;

static void on_sync_done(vg_child_result_t *res, void *data)
{
	sync_wait_t *w = data;

	*w->res = *res;
	/* The result now belongs to the caller. */
	res->out = NULL;
	res->err = NULL;
	w->done = true;
}

int vg_exec_child_run(const vg_child_spec_t *spec, vg_child_result_t *res, vg_error_t *err)
{
	GMainContext *ctx = g_main_context_new();
	sync_wait_t w = {.done = false, .res = res};
	int rc;

	memset(res, 0, sizeof(*res));
	g_main_context_push_thread_default(ctx);
	rc = vg_exec_child_spawn(spec, on_sync_done, &w, NULL, err);
	while (rc == VG_OK && !w.done)
		g_main_context_iteration(ctx, TRUE);
	g_main_context_pop_thread_default(ctx);
	g_main_context_unref(ctx);
	return rc;
}

void vg_exec_result_clear(vg_child_result_t *res)
{
	if (res == NULL)
		return;
	g_free(res->out);
	g_free(res->err);
	res->out = res->err = NULL;
	res->out_len = res->err_len = 0;
}

const char *vg_exec_child_describe(const vg_child_result_t *res, char *buf, size_t len)
{
	switch (res->status) {
	case VG_CHILD_EXITED:
		g_snprintf(buf, len, "exited with %d", res->exit_code);
		break;
	case VG_CHILD_SIGNALED:
		g_snprintf(buf, len, "killed by signal %d (%s)", res->signo,
		           g_strsignal(res->signo));
		break;
	case VG_CHILD_TIMEDOUT:
		g_snprintf(buf, len, "timed out after %" G_GUINT64_FORMAT " ms", res->run_ms);
		break;
	case VG_CHILD_CANCELLED:
		g_snprintf(buf, len, "cancelled");
		break;
	case VG_CHILD_EXEC_FAILED:
		g_snprintf(buf, len, "could not be executed: %s", g_strerror(res->exec_errno));
		break;
	}
	return buf;
}
