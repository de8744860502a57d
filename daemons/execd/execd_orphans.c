/*
 * execd_orphans.c: no agent outlives vigil-execd.
 *
 * Three layers: every agent gets PR_SET_PDEATHSIG=SIGKILL (lib/exec), so the
 * agent itself dies with us even on SIGKILL; a clean exit kills every running
 * agent's process group (execd_kill_all); and because helpers an agent forked
 * do not get our death signal, the process groups of running agents are kept
 * in RUN_DIR/execd-INSTANCE.groups.  A new execd of the same instance reads
 * that file and SIGKILLs what is left of those groups, checking each process
 * carries VIGIL_EXECD_INSTANCE=INSTANCE in its environment so a recycled
 * process group id of an unrelated program is never hit.
 * Processes an agent started that completed normally (daemons) are not
 * touched: their groups are removed from the file when the agent returns.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define VG_LOG_SUBSYS "execd"
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "execd_private.h"

static void save(execd_t *d)
{
	GString *s = g_string_new(NULL);
	char *tmp = g_strconcat(d->groups_path, ".tmp", NULL);
	GHashTableIter it;
	gpointer k;
	FILE *f;

	g_hash_table_iter_init(&it, d->groups);
	while (g_hash_table_iter_next(&it, &k, NULL))
		g_string_append_printf(s, "%d\n", GPOINTER_TO_INT(k));
	/* Temp file renamed over, without fsync: the file only has to survive
	 * our death, not the machine's (a reboot kills the agents anyway). */
	f = fopen(tmp, "w");
	if (f == NULL || fwrite(s->str, 1, s->len, f) != s->len || fclose(f) != 0 ||
	    rename(tmp, d->groups_path) != 0) {
		if (!d->groups_warned)
			vg_log_warn("%s: cannot record running agents: %s", d->groups_path,
			            g_strerror(errno));
		d->groups_warned = true;
		if (f != NULL)
			unlink(tmp);
	}
	g_free(tmp);
	g_string_free(s, TRUE);
}

static gboolean on_save(gpointer data)
{
	execd_t *d = data;

	g_source_unref(d->groups_src);
	d->groups_src = NULL;
	save(d);
	return G_SOURCE_REMOVE;
}

/* Changes made in one main loop iteration (a burst of starts and ends) are
 * written once, before the loop sleeps again; agents started in that
 * iteration are children that die with us anyway (PR_SET_PDEATHSIG). */
static void save_soon(execd_t *d)
{
	if (d->groups_src != NULL)
		return;
	d->groups_src = g_idle_source_new();
	g_source_set_priority(d->groups_src, G_PRIORITY_HIGH_IDLE);
	g_source_set_callback(d->groups_src, on_save, d, NULL);
	g_source_attach(d->groups_src, NULL);
}

void execd_groups_add(execd_t *d, pid_t pgid)
{
	g_hash_table_add(d->groups, GINT_TO_POINTER(pgid));
	save_soon(d);
}

void execd_groups_remove(execd_t *d, pid_t pgid)
{
	g_hash_table_remove(d->groups, GINT_TO_POINTER(pgid));
	save_soon(d);
}

/* Does process pid carry our instance marker in its environment? */
static bool ours(const char *pid, const char *marker)
{
	char *path = g_strdup_printf("/proc/%s/environ", pid);
	char *env = NULL;
	gsize len = 0;
	bool found = false;

	if (g_file_get_contents(path, &env, &len, NULL)) {
		for (gsize i = 0; i < len && !found; i += strlen(env + i) + 1)
			found = strcmp(env + i, marker) == 0;
		g_free(env);
	}
	g_free(path);
	return found;
}

void execd_groups_reap_stale(execd_t *d)
{
	char *text = NULL, *marker;
	char **lines;
	GHashTable *stale = g_hash_table_new(g_direct_hash, g_direct_equal);
	GDir *proc;
	const char *name;
	unsigned killed = 0;

	if (!g_file_get_contents(d->groups_path, &text, NULL, NULL)) {
		g_hash_table_destroy(stale);
		return;
	}
	lines = g_strsplit(text, "\n", -1);
	for (char **l = lines; *l != NULL; l++) {
		long v = strtol(*l, NULL, 10);

		if (v > 1)
			g_hash_table_add(stale, GINT_TO_POINTER((int)v));
	}
	g_strfreev(lines);
	g_free(text);
	marker = g_strdup_printf("VIGIL_EXECD_INSTANCE=%s", d->instance);
	proc = g_dir_open("/proc", 0, NULL);
	while (proc != NULL && (name = g_dir_read_name(proc)) != NULL) {
		char *path, *stat = NULL, *p;
		int ppid, pgrp;
		char st;

		if (!g_ascii_isdigit(name[0]))
			continue;
		path = g_strdup_printf("/proc/%s/stat", name);
		if (g_file_get_contents(path, &stat, NULL, NULL) &&
		    (p = strrchr(stat, ')')) != NULL &&
		    sscanf(p + 1, " %c %d %d", &st, &ppid, &pgrp) == 3 && st != 'Z' &&
		    g_hash_table_contains(stale, GINT_TO_POINTER(pgrp)) && ours(name, marker)) {
			if (kill((pid_t)atoi(name), SIGKILL) == 0)
				killed++;
		}
		g_free(stat);
		g_free(path);
	}
	if (proc != NULL)
		g_dir_close(proc);
	if (killed > 0)
		vg_log_warn("killed %u agent process(es) left behind by a previous vigil-execd",
		            killed);
	unlink(d->groups_path);
	g_free(marker);
	g_hash_table_destroy(stale);
}
