/*
 * exec_env.c: where agents live and the clean environment and argv they run
 * with.  OCF (resource agent API 1.1): OCF_ROOT, OCF_FUNCTIONS_DIR,
 * OCF_RA_VERSION_*, OCF_RESOURCE_INSTANCE/TYPE/PROVIDER, OCF_RESKEY_<param>,
 * OCF_RESKEY_CRM_meta_<meta> ('-' in meta names becomes '_', as agents expect
 * e.g. OCF_RESKEY_CRM_meta_notify_type), timeout and interval in ms, and
 * OCF_CHECK_LEVEL taken from a parameter of that name.  LSB: the action as
 * the only argument (monitor is `status`) and a minimal environment.
 * PATH starts with vigil's libexec helper directory so agents find our
 * crm_attribute, crm_master, attrd_updater and crm_node first, and
 * HA_SBIN_DIR names it too (ocf:pacemaker:Stateful runs
 * ${HA_SBIN_DIR}/crm_attribute).  A few HA_* and tracing variables are
 * passed through from our own environment so a lab can give each node its
 * own state directories, and VIGIL_INSTANCE/VIGIL_LAB so those helpers
 * reach this node's sockets.
 * Never: inherit the caller's environment wholesale.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include <vigil/exec.h>

#include "exec_internal.h"

#define OCF_ROOT_DEFAULT "/usr/lib/ocf"
#define LSB_DIR_DEFAULT  "/etc/init.d"
#define SYSTEM_PATH      "/usr/sbin:/usr/bin:/sbin:/bin"

/* Passed through to agents from our environment when set. */
static const char *const passthrough[] = {
    "HA_VARRUN",    "HA_RSCTMP",      "HA_DEBUG", "HA_LOGFILE",     "HA_DEBUGLOG", "HA_LOGFACILITY",
    "OCF_TRACE_RA", "OCF_TRACE_FILE", "TMPDIR",   "VIGIL_INSTANCE", "VIGIL_LAB",
};

const char *vg__exec_ocf_root(const vg_exec_paths_t *p)
{
	const char *env = g_getenv("OCF_ROOT");

	if (p != NULL && p->ocf_root != NULL)
		return p->ocf_root;
	return env != NULL && *env ? env : OCF_ROOT_DEFAULT;
}

const char *vg__exec_lsb_dir(const vg_exec_paths_t *p)
{
	const char *env = g_getenv("VIGIL_LSB_DIR");

	if (p != NULL && p->lsb_dir != NULL)
		return p->lsb_dir;
	return env != NULL && *env ? env : LSB_DIR_DEFAULT;
}

static const char *libexec_dir(const vg_exec_paths_t *p)
{
	const char *env = g_getenv("VIGIL_LIBEXEC_DIR");

	if (p != NULL && p->libexec_dir != NULL)
		return p->libexec_dir;
	return env != NULL && *env ? env : VG_LIBEXECDIR;
}

bool vg__exec_name_ok(const char *s)
{
	if (s == NULL || *s == '\0' || *s == '.' || strlen(s) > 255)
		return false;
	for (; *s; s++)
		if (*s == '/' || g_ascii_iscntrl(*s))
			return false;
	return true;
}

char *vg_exec_agent_path(const char *klass, const char *provider, const char *type,
                         const vg_exec_paths_t *paths, vg_error_t *err)
{
	char *path;

	if (klass == NULL || !vg__exec_name_ok(type)) {
		vg_error_set(err, VG_EINVAL, "agent: invalid class or type name");
		return NULL;
	}
	if (strcmp(klass, "stonith") == 0) {
		vg_error_set(
		    err, VG_ENOTSUP,
		    "stonith:%s: fencing devices are run by vigil-fenced, not the executor", type);
		return NULL;
	}
	if (strcmp(klass, "ocf") == 0) {
		if (!vg__exec_name_ok(provider)) {
			vg_error_set(err, VG_EINVAL, "ocf:?:%s: an OCF agent needs a provider",
			             type);
			return NULL;
		}
		path =
		    g_build_filename(vg__exec_ocf_root(paths), "resource.d", provider, type, NULL);
	} else if (strcmp(klass, "lsb") == 0) {
		path = g_build_filename(vg__exec_lsb_dir(paths), type, NULL);
	} else {
		vg_error_set(err, VG_ENOTSUP,
		             "%s:%s: unknown agent class (ocf and lsb are supported)", klass, type);
		return NULL;
	}
	if (!g_file_test(path, G_FILE_TEST_EXISTS)) {
		vg_error_set(err, VG_ENOENT, "%s: agent not installed", path);
		g_free(path);
		return NULL;
	}
	return path;
}

static bool env_name_ok(const char *s)
{
	if (s == NULL || *s == '\0')
		return false;
	for (; *s; s++)
		if (!g_ascii_isalnum(*s) && *s != '_' && *s != '-')
			return false;
	return true;
}

static void push(GPtrArray *env, const char *name, const char *value)
{
	g_ptr_array_add(env, g_strdup_printf("%s=%s", name, value != NULL ? value : ""));
}

static void push_table(GPtrArray *env, GHashTable *t, const char *prefix, bool meta)
{
	GHashTableIter it;
	gpointer k, v;

	if (t == NULL)
		return;
	g_hash_table_iter_init(&it, t);
	while (g_hash_table_iter_next(&it, &k, &v)) {
		char *name;

		if (!env_name_ok(k))
			continue;
		/* Set from the operation itself, once. */
		if (meta && (strcmp(k, "timeout") == 0 || strcmp(k, "interval") == 0))
			continue;
		/* OCF_CHECK_LEVEL travels as an op parameter but is its own variable. */
		if (!meta && strcmp(k, "OCF_CHECK_LEVEL") == 0) {
			push(env, "OCF_CHECK_LEVEL", v);
			continue;
		}
		name = g_strconcat(prefix, k, NULL);
		g_strdelimit(name, "-", '_');
		push(env, name, v);
		g_free(name);
	}
}

char **vg_exec_agent_env(const vg_exec_agent_op_t *op)
{
	GPtrArray *env = g_ptr_array_new();
	char *path = g_strconcat(libexec_dir(op->paths), ":", SYSTEM_PATH, NULL);
	char num[32];

	push(env, "PATH", path);
	g_free(path);
	push(env, "HA_SBIN_DIR", libexec_dir(op->paths));
	push(env, "LC_ALL", "C");
	for (size_t i = 0; i < G_N_ELEMENTS(passthrough); i++)
		if (g_getenv(passthrough[i]) != NULL)
			push(env, passthrough[i], g_getenv(passthrough[i]));
	for (char *const *e = op->extra_env; e != NULL && *e != NULL; e++)
		if (strchr(*e, '=') != NULL)
			g_ptr_array_add(env, g_strdup(*e));
	if (op->klass != NULL && strcmp(op->klass, "ocf") == 0) {
		char *fdir =
		    g_build_filename(vg__exec_ocf_root(op->paths), "lib", "heartbeat", NULL);

		push(env, "OCF_ROOT", vg__exec_ocf_root(op->paths));
		push(env, "OCF_FUNCTIONS_DIR", fdir);
		g_free(fdir);
		push(env, "OCF_RA_VERSION_MAJOR", "1");
		push(env, "OCF_RA_VERSION_MINOR", "1");
		push(env, "OCF_RESOURCE_INSTANCE", op->rsc_id != NULL ? op->rsc_id : op->type);
		push(env, "OCF_RESOURCE_TYPE", op->type);
		push(env, "OCF_RESOURCE_PROVIDER", op->provider);
		push_table(env, op->params, "OCF_RESKEY_", false);
		push_table(env, op->meta, "OCF_RESKEY_CRM_meta_", true);
		g_snprintf(num, sizeof(num), "%" G_GUINT64_FORMAT, vg__exec_timeout_ms(op));
		push(env, "OCF_RESKEY_CRM_meta_timeout", num);
		g_snprintf(num, sizeof(num), "%" G_GUINT64_FORMAT, op->interval_ms);
		push(env, "OCF_RESKEY_CRM_meta_interval", num);
	}
	g_ptr_array_add(env, NULL);
	return (char **)g_ptr_array_free(env, FALSE);
}

char **vg__exec_agent_argv(const vg_exec_agent_op_t *op, const char *path)
{
	const char *action = op->action;

	/* LSB scripts know `status`, not `monitor`. */
	if (op->klass != NULL && strcmp(op->klass, "lsb") == 0 && strcmp(action, "monitor") == 0)
		action = "status";
	return g_strdupv((char *[]){(char *)path, (char *)action, NULL});
}

uint64_t vg__exec_timeout_ms(const vg_exec_agent_op_t *op)
{
	return op->timeout_ms ? op->timeout_ms : VG__EXEC_TIMEOUT_DEFAULT_MS;
}

static int cmp_str(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Executable regular files in dir, as "<prefix><name>" strings. */
static void list_dir(const char *dir, const char *prefix, GPtrArray *out, bool dirs)
{
	GDir *d = g_dir_open(dir, 0, NULL);
	const char *name;

	if (d == NULL)
		return;
	while ((name = g_dir_read_name(d)) != NULL) {
		char *p = g_build_filename(dir, name, NULL);
		bool ok = name[0] != '.' && (dirs ? g_file_test(p, G_FILE_TEST_IS_DIR)
		                                  : g_file_test(p, G_FILE_TEST_IS_REGULAR) &&
		                                        g_file_test(p, G_FILE_TEST_IS_EXECUTABLE));

		if (ok)
			g_ptr_array_add(out, g_strconcat(prefix, name, NULL));
		g_free(p);
	}
	g_dir_close(d);
}

GPtrArray *vg_exec_provider_list(const vg_exec_paths_t *paths)
{
	GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
	char *dir = g_build_filename(vg__exec_ocf_root(paths), "resource.d", NULL);

	list_dir(dir, "", out, true);
	g_free(dir);
	g_ptr_array_sort(out, cmp_str);
	return out;
}

GPtrArray *vg_exec_agent_list(const char *klass, const char *provider, const vg_exec_paths_t *paths)
{
	GPtrArray *out = g_ptr_array_new_with_free_func(g_free);

	if (klass == NULL || strcmp(klass, "ocf") == 0) {
		GPtrArray *provs = vg_exec_provider_list(paths);

		for (guint i = 0; i < provs->len; i++) {
			const char *prov = provs->pdata[i];
			char *dir, *prefix;

			if (provider != NULL && strcmp(provider, prov) != 0)
				continue;
			dir = g_build_filename(vg__exec_ocf_root(paths), "resource.d", prov, NULL);
			prefix = g_strdup_printf("ocf:%s:", prov);
			list_dir(dir, prefix, out, false);
			g_free(dir);
			g_free(prefix);
		}
		g_ptr_array_unref(provs);
	}
	if (klass == NULL || strcmp(klass, "lsb") == 0)
		list_dir(vg__exec_lsb_dir(paths), "lsb:", out, false);
	g_ptr_array_sort(out, cmp_str);
	return out;
}
