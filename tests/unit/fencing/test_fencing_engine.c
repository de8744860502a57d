/*
 * The fencing engine against local test agents (fence-agents stdin
 * protocol) in a temporary directory: success needs a device's success,
 * topology falls through to the next level, every device of a level must
 * succeed, pcmk_*_action overrides reach the agent, timeouts kill, and the
 * history keeps every attempt.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include <glib/gstdio.h>

#include <vigil/fencing.h>

static char *dir;

/* fence_ok logs "action port" lines to DIR/log; fence_fail exits 1. */
static int setup(void **state)
{
	(void)state;
	dir = g_dir_make_tmp("vigil-fence-unit.XXXXXX", NULL);
	char *ok = g_strdup_printf("#!/bin/sh\nin=$(cat)\n"
	                           "a=$(echo \"$in\" | sed -n 's/^action=//p')\n"
	                           "p=$(echo \"$in\" | sed -n 's/^port=//p')\n"
	                           "echo \"$a $p\" >> %s/log\n"
	                           "[ \"$a\" = status ] && exit 2\nexit 0\n",
	                           dir);
	const char *bad = "#!/bin/sh\ncat >/dev/null\necho 'Failed: login denied' >&2\nexit 1\n";
	const char *slow = "#!/bin/sh\ncat >/dev/null\nexec sleep 30\n";
	char *p1 = g_build_filename(dir, "fence_ok", NULL);
	char *p2 = g_build_filename(dir, "fence_fail", NULL);
	char *p3 = g_build_filename(dir, "fence_slow", NULL);
	g_file_set_contents(p1, ok, -1, NULL);
	g_file_set_contents(p2, bad, -1, NULL);
	g_file_set_contents(p3, slow, -1, NULL);
	g_chmod(p1, 0755);
	g_chmod(p2, 0755);
	g_chmod(p3, 0755);
	g_setenv("VIGIL_FENCE_AGENT_DIR", dir, TRUE);
	g_free(ok);
	g_free(p1);
	g_free(p2);
	g_free(p3);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	char *cmd = g_strdup_printf("rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	g_free(cmd);
	g_free(dir);
	return 0;
}

static vg_fence_engine_t *engine(const char *resources, const char *topo)
{
	char *xml = g_strdup_printf("<cib><configuration><resources>%s</resources>"
	                            "<fencing-topology>%s</fencing-topology></configuration></cib>",
	                            resources, topo ? topo : "");
	xmlDoc *doc = NULL;
	vg_fence_config_t *c = NULL;
	assert_int_equal(vg_xml_parse(xml, strlen(xml), "t", NULL, &doc, NULL), 0);
	assert_int_equal(vg_fence_config_from_cib(xmlDocGetRootElement(doc), &c, NULL, NULL), 0);
	xmlFreeDoc(doc);
	g_free(xml);
	vg_fence_engine_t *e = vg_fence_engine_new("tester");
	vg_fence_engine_set_config(e, c);
	return e;
}

#define DEV(id, type, extra)                                            \
	"<primitive id=\"" id "\" class=\"stonith\" type=\"" type "\">" \
	"<instance_attributes id=\"" id "-i\">" extra "</instance_attributes></primitive>"
#define NV(id, n, v) "<nvpair id=\"" id "\" name=\"" n "\" value=\"" v "\"/>"

typedef struct wait {
	bool finished;
	vg_fence_state_t state;
	char *device;
	char *reason;
	int level;
} wait_t;

static void done(const vg_fence_record_t *r, void *data)
{
	wait_t *w = data;
	w->finished = true;
	w->state = r->state;
	w->device = g_strdup(r->device);
	w->reason = g_strdup(r->reason);
	w->level = r->level;
}

static void run(vg_fence_engine_t *e, const char *target, vg_fence_action_t a, uint64_t ms,
                wait_t *w)
{
	vg_error_t err = {0};
	char *id = vg_fence_engine_request(e, target, a, ms, "unit", done, w, &err);
	assert_non_null(id);
	g_free(id);
	while (!w->finished)
		g_main_context_iteration(NULL, TRUE);
}

static void clear(wait_t *w)
{
	g_free(w->device);
	g_free(w->reason);
	memset(w, 0, sizeof(*w));
}

static char *agent_log(void)
{
	char *p = g_build_filename(dir, "log", NULL), *s = NULL;
	g_file_get_contents(p, &s, NULL, NULL);
	g_unlink(p);
	g_free(p);
	return s ? s : g_strdup("");
}

static void success_and_override(void **state)
{
	(void)state;
	wait_t w = {0};
	vg_fence_engine_t *e =
	    engine(DEV("a", "fence_ok",
	               NV("a1", "pcmk_host_map", "n1:7") NV("a2", "pcmk_reboot_action", "off")),
	           NULL);
	run(e, "n1", VG_FENCE_REBOOT, 10000, &w);
	assert_int_equal(w.state, VG_FENCE_DONE);
	assert_string_equal(w.device, "a");
	char *log = agent_log();
	assert_string_equal(log, "off 7\n"); /* reboot sent as off to port 7 */
	g_free(log);
	clear(&w);

	/* off: confirmed by status (the agent answers 2 = off) */
	run(e, "n1", VG_FENCE_OFF, 10000, &w);
	assert_int_equal(w.state, VG_FENCE_DONE);
	log = agent_log();
	assert_string_equal(log, "off 7\nstatus 7\n");
	g_free(log);
	clear(&w);

	vg_error_t err = {0};
	assert_null(vg_fence_engine_request(e, "n2", VG_FENCE_OFF, 0, "unit", done, &w, &err));
	assert_int_equal(err.code, VG_ENOENT);
	vg_fence_engine_free(e);
}

static void delays(void **state)
{
	(void)state;
	wait_t w = {0};
	vg_error_t err = {0};
	/* pcmk_delay_base 300 ms plus the request's own 200 ms (priority delay) */
	vg_fence_engine_t *e =
	    engine(DEV("a", "fence_ok",
	               NV("a1", "pcmk_host_list", "n1") NV("a2", "pcmk_delay_base", "300ms")),
	           NULL);
	vg_fence_request_t req = {.target = "n1",
	                          .action = VG_FENCE_REBOOT,
	                          .timeout_ms = 10000,
	                          .delay_ms = 200,
	                          .origin = "unit"};
	gint64 t0 = g_get_monotonic_time();
	char *id = vg_fence_engine_request_ex(e, &req, done, &w, &err);
	assert_non_null(id);
	while (!w.finished)
		g_main_context_iteration(NULL, TRUE);
	gint64 took_ms = (g_get_monotonic_time() - t0) / 1000;
	assert_int_equal(w.state, VG_FENCE_DONE);
	assert_true(took_ms >= 500);
	g_free(id);
	g_free(agent_log());
	clear(&w);
	vg_fence_engine_free(e);
}

static void topology_fallthrough(void **state)
{
	(void)state;
	wait_t w = {0};
	vg_fence_engine_t *e =
	    engine(DEV("bad", "fence_fail", NV("b1", "pcmk_host_list", "n1"))
	               DEV("good", "fence_ok", NV("g1", "pcmk_host_list", "n1"))
	                   DEV("good2", "fence_ok", NV("h1", "pcmk_host_list", "n1")),
	           "<fencing-level id=\"l1\" target=\"n1\" index=\"1\" devices=\"good,bad\"/>"
	           "<fencing-level id=\"l2\" target=\"n1\" index=\"2\" devices=\"good,good2\"/>");
	run(e, "n1", VG_FENCE_REBOOT, 10000, &w);
	assert_int_equal(w.state, VG_FENCE_DONE);
	assert_int_equal(w.level, 2);
	assert_non_null(strstr(w.reason, "login denied")); /* why level 1 failed */
	GPtrArray *h = vg_fence_engine_history(e, "n1");
	/* level 1: good ok, bad failed; level 2: good ok, good2 ok; result */
	assert_int_equal(h->len, 5);
	vg_fence_record_t *r = g_ptr_array_index(h, 1);
	assert_string_equal(r->device, "bad");
	assert_int_equal(r->state, VG_FENCE_FAILED);
	assert_int_equal(r->level, 1);
	r = g_ptr_array_index(h, 4);
	assert_int_equal(r->state, VG_FENCE_DONE);
	g_ptr_array_unref(h);
	g_free(agent_log());
	clear(&w);
	vg_fence_engine_free(e);
}

static void all_fail_and_timeout(void **state)
{
	(void)state;
	wait_t w = {0};
	vg_fence_engine_t *e =
	    engine(DEV("bad", "fence_fail", NV("b1", "pcmk_host_list", "n1"))
	               DEV("slow", "fence_slow",
	                   NV("s1", "pcmk_host_list", "n1") NV("s2", "pcmk_off_timeout", "300ms"))
	                   DEV("missing", "fence_nothere", NV("m1", "pcmk_host_list", "n1")),
	           NULL);
	gint64 t0 = g_get_monotonic_time();
	run(e, "n1", VG_FENCE_OFF, 20000, &w);
	gint64 took_ms = (g_get_monotonic_time() - t0) / 1000;
	assert_int_equal(w.state, VG_FENCE_FAILED);
	assert_non_null(strstr(w.reason, "login denied"));
	assert_non_null(strstr(w.reason, "timed out"));
	assert_non_null(strstr(w.reason, "fence_nothere"));
	assert_true(took_ms < 5000); /* 300 ms timeout + 2 s grace at most */
	clear(&w);
	vg_fence_engine_free(e);
}

static void whole_request_timeout(void **state)
{
	(void)state;
	wait_t w = {0};
	vg_fence_engine_t *e =
	    engine(DEV("slow", "fence_slow", NV("s1", "pcmk_host_list", "n1")), NULL);
	run(e, "n1", VG_FENCE_OFF, 400, &w); /* the request's own limit caps the agent */
	assert_int_equal(w.state, VG_FENCE_FAILED);
	assert_non_null(strstr(w.reason, "timed out"));
	clear(&w);
	vg_fence_engine_free(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(success_and_override),  cmocka_unit_test(delays),
	    cmocka_unit_test(topology_fallthrough),  cmocka_unit_test(all_fail_and_timeout),
	    cmocka_unit_test(whole_request_timeout),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
