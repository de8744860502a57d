/*
 * The client API against a real vigil-fenced (from the build tree) on a
 * private instance, the way vigil-ctld uses it: push the CIB, request
 * fencing asynchronously on a GMainLoop, watch results asked by others,
 * read history and devices, and see a pushed change take effect.
 * Agents are local test scripts (fence-agents stdin protocol).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include <glib/gstdio.h>

#include <vigil/fencing.h>

static char *dir, *instance;
static GPid fenced_pid;

#define CIB(devs) "<cib><configuration><resources>" devs "</resources></configuration></cib>"
#define DEV(id, type, hosts)                                       \
	"<primitive id=\"" id "\" class=\"stonith\" type=\"" type  \
	"\"><instance_attributes id=\"" id "-i\"><nvpair id=\"" id \
	"-1\" name=\"pcmk_host_list\" value=\"" hosts "\"/>"       \
	"</instance_attributes></primitive>"

static int setup(void **state)
{
	(void)state;
	const char *build = g_getenv("VIGIL_BUILDDIR");
	dir = g_dir_make_tmp("vigil-fence-client.XXXXXX", NULL);
	instance = g_strdup_printf("fence-unit-%d", (int)getpid());
	char *ok = g_build_filename(dir, "fence_ok", NULL);
	char *bad = g_build_filename(dir, "fence_bad", NULL);
	/* status answers 2 (off), so "off" is confirmed */
	g_file_set_contents(ok, "#!/bin/sh\ngrep -q '^action=status' && exit 2\nexit 0\n", -1,
	                    NULL);
	g_file_set_contents(bad, "#!/bin/sh\ncat >/dev/null\necho 'Failed: no route' >&2\nexit 1\n",
	                    -1, NULL);
	g_chmod(ok, 0755);
	g_chmod(bad, 0755);
	g_setenv("VIGIL_FENCE_AGENT_DIR", dir, TRUE);
	char *exe =
	    g_build_filename(build ? build : "../../..", "daemons", "fenced", "vigil-fenced", NULL);
	char *argv[] = {exe, (char *)"-f", (char *)"--instance", instance, NULL};
	GError *e = NULL;
	if (!g_spawn_async(NULL, argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDERR_TO_DEV_NULL,
	                   NULL, NULL, &fenced_pid, &e)) {
		fprintf(stderr, "cannot start %s: %s\n", exe, e->message);
		return -1;
	}
	g_free(exe);
	g_free(ok);
	g_free(bad);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	kill(fenced_pid, SIGTERM);
	g_usleep(200000);
	kill(fenced_pid, SIGKILL);
	g_spawn_close_pid(fenced_pid);
	char *cmd = g_strdup_printf("rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	g_free(cmd);
	g_free(dir);
	g_free(instance);
	return 0;
}

static vg_fence_client_t *connect_client(void)
{
	vg_fence_client_t *c = NULL;
	for (int i = 0; i < 100 && c == NULL; i++) {
		c = vg_fence_client_connect(instance, NULL);
		if (c == NULL)
			g_usleep(50000);
	}
	assert_non_null(c);
	return c;
}

static void push(vg_fence_client_t *c, const char *xml)
{
	xmlDoc *doc = NULL;
	vg_error_t err = {0};
	assert_int_equal(vg_xml_parse(xml, strlen(xml), "t", NULL, &doc, NULL), 0);
	assert_int_equal(vg_fence_client_set_config(c, xmlDocGetRootElement(doc), &err), 0);
	xmlFreeDoc(doc);
}

typedef struct seen {
	int results;
	vg_fence_state_t last;
	char *device;
	GMainLoop *loop;
} seen_t;

static void on_result(const vg_fence_record_t *r, void *data)
{
	seen_t *s = data;
	s->results++;
	s->last = r->state;
	g_free(s->device);
	s->device = g_strdup(r->device);
	g_main_loop_quit(s->loop);
}

static gboolean give_up(gpointer data)
{
	fail_msg("no fencing result within 10 s");
	(void)data;
	return G_SOURCE_REMOVE;
}

static void async_request_and_watch(void **state)
{
	(void)state;
	vg_fence_client_t *ctl = connect_client();   /* plays the controller */
	vg_fence_client_t *admin = connect_client(); /* plays `vigil fence` */
	vg_error_t err = {0};
	seen_t mine = {.loop = g_main_loop_new(NULL, FALSE)};
	seen_t others = {.loop = mine.loop};
	guint t = g_timeout_add_seconds(10, give_up, NULL);

	push(ctl, CIB(DEV("bad", "fence_bad", "n1") DEV("good", "fence_ok", "n1")));
	vg_fence_client_watch(ctl, on_result, &others);

	/* async: the result comes through the main loop */
	char *id = NULL;
	assert_int_equal(vg_fence_client_request(ctl, "n1", VG_FENCE_REBOOT, 5000, "test-ctl",
	                                         on_result, &mine, &id, &err),
	                 0);
	assert_non_null(id);
	g_main_loop_run(mine.loop);
	assert_int_equal(mine.results, 1);
	assert_int_equal(mine.last, VG_FENCE_DONE);
	assert_string_equal(mine.device, "good"); /* after "bad" failed */
	assert_int_equal(others.results, 0);      /* claimed by the request callback */

	/* someone else's request reaches the watcher */
	vg_fence_record_t *rec = NULL;
	assert_int_equal(
	    vg_fence_client_request_sync(admin, "n1", VG_FENCE_OFF, 5000, "admin", &rec, &err), 0);
	assert_int_equal(rec->state, VG_FENCE_DONE);
	vg_fence_record_free(rec);
	g_main_loop_run(mine.loop);
	assert_int_equal(others.results, 1);

	/* refused at once: nothing can fence n2 */
	assert_int_equal(vg_fence_client_request(ctl, "n2", VG_FENCE_OFF, 0, "test-ctl", on_result,
	                                         &mine, NULL, &err),
	                 VG_ENOENT);
	assert_non_null(strstr(err.msg, "n2"));

	/* history: per request, bad fails, good succeeds, then the result */
	GPtrArray *h = NULL;
	assert_int_equal(vg_fence_client_history(admin, "n1", &h, NULL), 0);
	assert_int_equal(h->len, 6);
	g_ptr_array_unref(h);

	/* a pushed change takes effect; pushing it twice is harmless */
	push(ctl, CIB(DEV("good", "fence_ok", "n2")));
	push(ctl, CIB(DEV("good", "fence_ok", "n2")));
	xmlDoc *devs = NULL;
	assert_int_equal(vg_fence_client_devices(admin, "n2", &devs, NULL), 0);
	xmlNode *d = vg_xml_first(xmlDocGetRootElement(devs), "device");
	assert_non_null(d);
	assert_string_equal(vg_xml_get(d, "id"), "good");
	assert_null(vg_xml_next(d, "device"));
	xmlFreeDoc(devs);

	/* bad configuration is refused with the reason */
	xmlDoc *doc = NULL;
	const char *bad = "<status/>";
	assert_int_equal(vg_xml_parse(bad, strlen(bad), "t", NULL, &doc, NULL), 0);
	assert_int_equal(vg_fence_client_set_config(ctl, xmlDocGetRootElement(doc), &err),
	                 VG_ECONFIG);
	xmlFreeDoc(doc);

	g_source_remove(t);
	g_free(id);
	g_free(mine.device);
	g_free(others.device);
	g_main_loop_unref(mine.loop);
	vg_fence_client_free(admin);
	vg_fence_client_free(ctl);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(async_request_and_watch),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
