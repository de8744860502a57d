/*
 * Crash test for the store: a child process saves versions in a loop and
 * reports each acknowledged epoch on a pipe; the parent kills it with
 * SIGKILL at random moments.  After every kill, a fresh load must give a
 * complete, digest-valid CIB no older than the last acknowledged version.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include <vigil/cib.h>

#define KILLS 60

/* A CIB of some size so that saves take long enough to be interrupted. */
static xmlDoc *big_cib(void)
{
	xmlDoc *doc = vg_cib_new_empty();
	xmlNode *rsc = vg_cib_section(xmlDocGetRootElement(doc), "resources", false);

	for (int i = 0; i < 1500; i++) {
		xmlNode *p = vg_xml_new_child(rsc, "primitive");
		char id[32];

		snprintf(id, sizeof(id), "r%d", i);
		vg_xml_set(p, "id", id);
		vg_xml_set(p, "class", "ocf");
		vg_xml_set(p, "provider", "heartbeat");
		vg_xml_set(p, "type", "Dummy");
	}
	return doc;
}

static void writer(const char *dir, int fd)
{
	vg_cib_store_t *s = NULL;
	xmlDoc *doc = NULL;
	vg_error_t err = {0};

	if (vg_cib_store_open(dir, 5, &s, &err) != 0)
		_exit(2);
	if (vg_cib_store_load(s, &doc, NULL, &err) != 0)
		doc = big_cib();
	for (;;) {
		vg_cib_version_t v;
		char line[32];

		vg_cib_bump_config(xmlDocGetRootElement(doc));
		vg_cib_version_get(xmlDocGetRootElement(doc), &v);
		if (vg_cib_store_save(s, xmlDocGetRootElement(doc), &err) != 0)
			_exit(3);
		snprintf(line, sizeof(line), "%lld\n", v.epoch);
		if (write(fd, line, strlen(line)) < 0)
			_exit(4);
	}
}

static void test_crash(void **state)
{
	char tmpl[] = "/tmp/vigil-cib-crash-XXXXXX";
	char *dir = g_mkdtemp(tmpl);
	GRand *r = g_rand_new_with_seed(7);
	long long acked = 0;
	int fallbacks = 0;
	char *cmd;

	(void)state;
	assert_non_null(dir);
	for (int k = 0; k < KILLS; k++) {
		int p[2];
		pid_t pid;
		char buf[4096];
		ssize_t n;
		GString *acks = g_string_new(NULL);
		vg_cib_store_t *s = NULL;
		xmlDoc *doc = NULL;
		vg_cib_version_t v;
		bool fell_back = false;
		vg_error_t err = {0};

		assert_int_equal(pipe(p), 0);
		pid = fork();
		assert_true(pid >= 0);
		if (pid == 0) {
			close(p[0]);
			writer(dir, p[1]);
		}
		close(p[1]);
		/* Odd rounds wait for a first acknowledgement, so that even on a slow
		 * (sanitizer, loaded) machine kills also land between later saves;
		 * even rounds may kill during the very first one. */
		if (k % 2 == 1) {
			n = read(p[0], buf, 1);
			if (n > 0)
				g_string_append_len(acks, buf, n);
		}
		g_usleep((gulong)g_rand_int_range(r, 1000, 40000));
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		while ((n = read(p[0], buf, sizeof(buf))) > 0)
			g_string_append_len(acks, buf, n);
		close(p[0]);
		/* the last complete line is the last acknowledged epoch */
		{
			char **lines = g_strsplit(acks->str, "\n", -1);
			guint nl = g_strv_length(lines);

			for (guint i = 0; i + 1 < nl; i++)
				acked = MAX(acked, g_ascii_strtoll(lines[i], NULL, 10));
			g_strfreev(lines);
		}
		g_string_free(acks, TRUE);
		assert_int_equal(vg_cib_store_open(dir, 5, &s, &err), 0);
		if (vg_cib_store_load(s, &doc, &fell_back, &err) != 0) {
			if (acked == 0 && err.code == VG_ENOENT) {
				vg_cib_store_close(s);
				continue; /* killed before the first save finished */
			}
			fail_msg("kill %d: no valid CIB after the crash: %s", k, err.msg);
		}
		fallbacks += fell_back;
		vg_cib_version_get(xmlDocGetRootElement(doc), &v);
		if (v.epoch < acked)
			fail_msg("kill %d: loaded epoch %lld, but %lld was acknowledged", k,
			         v.epoch, acked);
		assert_non_null(vg_xml_find(xmlDocGetRootElement(doc), "primitive", "r1499"));
		xmlFreeDoc(doc);
		vg_cib_store_close(s);
	}
	printf("# %d kills, last acknowledged epoch %lld, %d loads fell back to a backup\n", KILLS,
	       acked, fallbacks);
	assert_true(acked > 0);
	cmd = g_strdup_printf("rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	g_free(cmd);
	g_rand_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_crash),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
