/*
 * vg_ipc: a server in a child process, a client here.  Request/reply, a
 * message far larger than one libqb frame, events, async replies, the
 * error when no server runs, and a client noticing that its server died.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include <vigil/common.h>

static char instance[64];
static pid_t server_pid;

static void on_request(vg_ipc_conn_t *conn, const vg_msg_t *req, void *data)
{
	vg_msg_t *r = vg_msg_new("reply");
	const char *type = vg_msg_type(req);

	(void)data;
	if (strcmp(type, "echo") == 0) {
		const char *p = vg_msg_get(req, "payload");

		vg_msg_set(r, "payload", p);
		vg_msg_set_int(r, "len", p ? (int64_t)strlen(p) : -1);
		if (vg_msg_xml(req) != NULL)
			vg_msg_set_xml(r, vg_msg_xml(req));
	} else if (strcmp(type, "events") == 0) {
		int64_t n = 0;

		vg_msg_get_int(req, "n", &n);
		for (int64_t i = 0; i < n; i++) {
			vg_msg_t *e = vg_msg_new("event");

			vg_msg_set_int(e, "i", i);
			vg_ipc_send_event(conn, e);
			vg_msg_free(e);
		}
	} else if (strcmp(type, "creds") == 0) {
		uid_t uid;
		pid_t pid;

		vg_ipc_conn_creds(conn, &uid, NULL, &pid);
		vg_msg_set_int(r, "uid", uid);
		vg_msg_set_int(r, "pid", pid);
	}
	vg_ipc_reply(conn, r);
	vg_msg_free(r);
}

/* A server for inst in a child process, ready when this returns. */
static pid_t spawn_server(const char *inst)
{
	int pipefd[2];
	char c;
	pid_t pid;

	assert_int_equal(pipe(pipefd), 0);
	pid = fork();
	if (pid == 0) {
		GMainLoop *loop = g_main_loop_new(NULL, FALSE);
		vg_error_t err = {0};
		vg_ipc_server_t *srv =
		    vg_ipc_server_start("test", inst, on_request, NULL, NULL, &err);

		if (srv == NULL) {
			fprintf(stderr, "%s\n", err.msg);
			_exit(1);
		}
		if (write(pipefd[1], "r", 1) != 1)
			_exit(1);
		g_main_loop_run(loop);
		_exit(0);
	}
	close(pipefd[1]);
	assert_int_equal(read(pipefd[0], &c, 1), 1);
	close(pipefd[0]);
	return pid;
}

static int start_server(void **state)
{
	(void)state;
	snprintf(instance, sizeof(instance), "unittest-%d", (int)getpid());
	server_pid = spawn_server(instance);
	return 0;
}

static int stop_server(void **state)
{
	(void)state;
	kill(server_pid, SIGTERM);
	waitpid(server_pid, NULL, 0);
	return 0;
}

static void request_reply(void **state)
{
	vg_error_t err = {0};
	vg_ipc_client_t *c = vg_ipc_connect("test", instance, &err);
	vg_msg_t *req = vg_msg_new("echo"), *rep;
	char want[32];

	(void)state;
	assert_non_null(c);
	vg_msg_set(req, "payload", "hello");
	assert_int_equal(vg_ipc_call(c, req, &rep, 5000, &err), 0);
	assert_string_equal(vg_msg_get(rep, "payload"), "hello");
	vg_msg_free(rep);
	vg_msg_free(req);

	req = vg_msg_new("creds");
	assert_int_equal(vg_ipc_call(c, req, &rep, 5000, &err), 0);
	snprintf(want, sizeof(want), "%d", (int)getuid());
	assert_string_equal(vg_msg_get(rep, "uid"), want);
	snprintf(want, sizeof(want), "%d", (int)getpid());
	assert_string_equal(vg_msg_get(rep, "pid"), want);
	vg_msg_free(rep);
	vg_msg_free(req);
	vg_ipc_disconnect(c);
}

static void large_message(void **state)
{
	size_t n = 5u * 1024 * 1024 + 17;
	char *big = g_malloc(n + 1);
	vg_error_t err = {0};
	vg_ipc_client_t *c = vg_ipc_connect("test", instance, &err);
	vg_msg_t *req = vg_msg_new("echo"), *rep;
	int64_t len;

	(void)state;
	for (size_t i = 0; i < n; i++)
		big[i] = (char)('a' + i % 26);
	big[n] = '\0';
	vg_msg_set(req, "payload", big);
	assert_int_equal(vg_ipc_call(c, req, &rep, 20000, &err), 0);
	assert_int_equal(vg_msg_get_int(rep, "len", &len), 0);
	assert_int_equal(len, (int64_t)n);
	assert_string_equal(vg_msg_get(rep, "payload"), big);
	vg_msg_free(rep);
	vg_msg_free(req);
	g_free(big);
	vg_ipc_disconnect(c);
}

static void events_in_order(void **state)
{
	vg_error_t err = {0};
	vg_ipc_client_t *c = vg_ipc_connect("test", instance, &err);
	vg_msg_t *req = vg_msg_new("events"), *rep, *ev;
	int64_t i;

	(void)state;
	assert_true(vg_ipc_client_fd(c) >= 0);
	vg_msg_set_int(req, "n", 300);
	assert_int_equal(vg_ipc_call(c, req, &rep, 5000, &err), 0);
	vg_msg_free(rep);
	for (int k = 0; k < 300; k++) {
		assert_int_equal(vg_ipc_recv_event(c, &ev, 5000, &err), 0);
		assert_string_equal(vg_msg_type(ev), "event");
		assert_int_equal(vg_msg_get_int(ev, "i", &i), 0);
		assert_int_equal(i, k);
		vg_msg_free(ev);
	}
	assert_int_equal(vg_ipc_recv_event(c, &ev, 50, &err), VG_ETIMEDOUT);
	vg_msg_free(req);
	vg_ipc_disconnect(c);
}

static void no_server(void **state)
{
	vg_error_t err = {0};

	(void)state;
	assert_null(vg_ipc_connect("test", "no-such-instance", &err));
	assert_int_equal(err.code, VG_ENOTCONN);
	assert_non_null(strstr(err.msg, "vigil-test-no-such-instance"));
}

static void on_gone(void *data)
{
	*(bool *)data = true;
}

static gboolean on_deadline(gpointer data)
{
	*(bool *)data = true;
	return G_SOURCE_REMOVE;
}

/* The server is killed: vg_ipc_client_alive() turns false and the watch
 * calls on_gone once, within a few watch intervals. */
static void server_death(void **state)
{
	char inst[64];
	vg_error_t err = {0};
	vg_ipc_client_t *c;
	vg_msg_t *req = vg_msg_new("echo"), *rep = NULL;
	bool gone = false, expired = false;
	GSource *w;
	guint t;
	pid_t pid;

	(void)state;
	snprintf(inst, sizeof(inst), "unittest-death-%d", (int)getpid());
	pid = spawn_server(inst);
	c = vg_ipc_connect("test", inst, &err);
	assert_non_null(c);
	vg_msg_set(req, "payload", "x");
	assert_int_equal(vg_ipc_call(c, req, &rep, 5000, &err), VG_OK);
	vg_msg_free(rep);
	assert_true(vg_ipc_client_alive(c));
	w = vg_ipc_client_watch(c, NULL, on_gone, &gone);
	/* alive while the server runs: the watch stays quiet for a few rounds */
	t = g_timeout_add(3 * VG_IPC_WATCH_MS, on_deadline, &expired);
	while (!expired)
		g_main_context_iteration(NULL, TRUE);
	assert_false(gone);
	assert_true(vg_ipc_client_alive(c));

	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	expired = false;
	t = g_timeout_add(5000, on_deadline, &expired);
	while (!gone && !expired)
		g_main_context_iteration(NULL, TRUE);
	assert_true(gone);
	assert_false(expired);
	g_source_remove(t);
	assert_false(vg_ipc_client_alive(c));
	assert_int_not_equal(vg_ipc_call(c, req, &rep, 1000, &err), VG_OK);
	g_source_destroy(w);
	g_source_unref(w);
	vg_msg_free(req);
	vg_ipc_disconnect(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(request_reply),   cmocka_unit_test(large_message),
	    cmocka_unit_test(events_in_order), cmocka_unit_test(no_server),
	    cmocka_unit_test(server_death),
	};

	return cmocka_run_group_tests(tests, start_server, stop_server);
}
