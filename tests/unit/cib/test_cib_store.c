/*
 * Unit tests: the store.  Saves are readable back; a truncated or corrupt
 * cib.xml falls back to the newest valid backup; old backups are pruned.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <vigil/cib.h>

static void save_epoch(vg_cib_store_t *s, xmlDoc *doc, int epoch)
{
	vg_error_t err = {0};

	vg_xml_set_int(xmlDocGetRootElement(doc), "epoch", epoch);
	assert_int_equal(vg_cib_store_save(s, xmlDocGetRootElement(doc), &err), 0);
}

static long long load_epoch(vg_cib_store_t *s, bool *fell_back)
{
	xmlDoc *doc = NULL;
	vg_error_t err = {0};
	vg_cib_version_t v;

	if (vg_cib_store_load(s, &doc, fell_back, &err) != 0)
		fail_msg("load: %s", err.msg);
	vg_cib_version_get(xmlDocGetRootElement(doc), &v);
	xmlFreeDoc(doc);
	return v.epoch;
}

static void test_store(void **state)
{
	char tmpl[] = "/tmp/vigil-cib-store-XXXXXX";
	char *dir = g_mkdtemp(tmpl);
	vg_cib_store_t *s = NULL;
	xmlDoc *doc = vg_cib_new_empty(), *none = NULL;
	vg_error_t err = {0};
	bool fell_back = true;
	char *path, *cmd;
	int backups = 0;
	GDir *d;
	const char *name;

	(void)state;
	assert_non_null(dir);
	assert_int_equal(vg_cib_store_open(dir, 3, &s, &err), 0);
	assert_int_equal(vg_cib_store_load(s, &none, NULL, &err), VG_ENOENT);
	for (int i = 1; i <= 6; i++)
		save_epoch(s, doc, i);
	assert_int_equal(load_epoch(s, &fell_back), 6);
	assert_false(fell_back);
	/* truncate the current file: the newest backup (epoch 5) is used */
	path = g_build_filename(dir, "cib.xml", NULL);
	assert_int_equal(truncate(path, 20), 0);
	assert_int_equal(load_epoch(s, &fell_back), 5);
	assert_true(fell_back);
	/* the next save does not keep the damaged file as a backup */
	save_epoch(s, doc, 7);
	assert_int_equal(load_epoch(s, &fell_back), 7);
	assert_false(fell_back);
	d = g_dir_open(dir, 0, NULL);
	while ((name = g_dir_read_name(d)) != NULL)
		backups += g_str_has_suffix(name, ".raw");
	g_dir_close(d);
	assert_int_equal(backups, 3);
	/* a cib.xml without a digest file (put there by an admin) is taken */
	{
		char *sig = g_strconcat(path, ".sig", NULL);

		assert_int_equal(unlink(sig), 0);
		assert_int_equal(load_epoch(s, &fell_back), 7);
		assert_false(fell_back);
		g_free(sig);
	}
	vg_cib_store_close(s);
	g_free(path);
	xmlFreeDoc(doc);
	cmd = g_strdup_printf("rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	g_free(cmd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_store),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
