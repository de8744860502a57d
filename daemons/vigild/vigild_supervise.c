/*
 * vigild_supervise.c: starts the children of vigild_children.c in order,
 * respawns those that die (at most RESPAWN_MAX times per RESPAWN_WINDOW, each
 * time saying so), and stops them in reverse order.
 *
 * Shutdown order: ctld goes first and alone, because on SIGTERM it asks the
 * DC to move this node's resources away and exits only when they are stopped;
 * execd and fenced must still run while that happens.  Then the others stop
 * in reverse start order.  A child that ignores SIGTERM for STOP_GRACE_S
 * seconds is killed.  If a critical child cannot be kept alive the whole node
 * stops (its resources stop with execd) and leaves the cluster: a node without
 * a controller must not keep services that nobody watches.
 *
 * Never does: anything with the cluster, the CIB or resources itself.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define VG_LOG_SUBSYS "vigild"
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <vigil/common.h>

#include "vigild_private.h"

#define RESPAWN_MAX       5
#define RESPAWN_WINDOW_S  60
#define CTLD_STOP_GRACE_S 300 /* resources may take long to move away */
#define STOP_GRACE_S      20
/* vigil-ctld's exit status after a clean shutdown (CTLD_EXIT_SHUTDOWN). */
#define CTLD_LEFT_CLUSTER 100

typedef struct child {
	const vigild_child_def_t *def;
	vigild_t *owner;
	char *path;
	GPid pid; /* 0 when not running */
	guint watch;
	guint kill_timer;
	gint64 spawns[RESPAWN_MAX];
	unsigned nspawns; /* total, indexes spawns[] modulo RESPAWN_MAX */
	bool enabled;
} child_t;

struct vigild {
	char *config;
	GMainLoop *loop;
	child_t *kids;
	size_t nkids;
	bool stopping;
	size_t stop_stage; /* 0: ctld, then the rest in reverse order */
	child_t *waiting;  /* the child being stopped now */
	bool stopped;      /* every child is down, the loop told to quit */
};

static char *find_binary(const char *binary)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	const char *dir = g_getenv("VIGIL_DAEMON_DIR");

	if (dir) {
		char *p = g_build_filename(dir, binary, NULL);
		if (g_file_test(p, G_FILE_TEST_IS_EXECUTABLE))
			return p;
		g_free(p);
	}
	if (n > 0) {
		self[n] = '\0';
		char *d = g_path_get_dirname(self);
		char *p = g_build_filename(d, binary, NULL);
		g_free(d);
		if (g_file_test(p, G_FILE_TEST_IS_EXECUTABLE))
			return p;
		g_free(p);
	}
	return g_find_program_in_path(binary);
}

static void child_exited(GPid pid, gint status, gpointer data);
static void stop_next(vigild_t *v);

static bool respawn_allowed(child_t *c)
{
	gint64 now = g_get_monotonic_time();
	if (c->nspawns < RESPAWN_MAX)
		return true;
	/* The oldest of the last RESPAWN_MAX spawns must be outside the window. */
	gint64 oldest = c->spawns[c->nspawns % RESPAWN_MAX];
	return now - oldest > (gint64)RESPAWN_WINDOW_S * G_USEC_PER_SEC;
}

static int spawn(child_t *c)
{
	char *argv[] = {c->path, (char *)"-c", c->owner->config, (char *)"-f", NULL};
	GError *gerr = NULL;

	if (!g_spawn_async(NULL, argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &c->pid,
	                   &gerr)) {
		vg_log_error("%s: cannot start %s: %s", c->def->name, c->path, gerr->message);
		g_error_free(gerr);
		c->pid = 0;
		return VG_EIO;
	}
	c->spawns[c->nspawns % RESPAWN_MAX] = g_get_monotonic_time();
	c->nspawns++;
	c->watch = g_child_watch_add(c->pid, child_exited, c);
	vg_log_info("%s: started %s (pid %d)", c->def->name, c->path, (int)c->pid);
	return 0;
}

static const char *describe_status(gint status, char *buf, size_t len)
{
	if (WIFSIGNALED(status))
		g_snprintf(buf, len, "killed by signal %d (%s)", WTERMSIG(status),
		           strsignal(WTERMSIG(status)));
	else
		g_snprintf(buf, len, "exited with status %d", WEXITSTATUS(status));
	return buf;
}

static void child_exited(GPid pid, gint status, gpointer data)
{
	child_t *c = data;
	vigild_t *v = c->owner;
	char why[128];

	g_spawn_close_pid(pid);
	c->pid = 0;
	c->watch = 0;
	if (c->kill_timer) {
		g_source_remove(c->kill_timer);
		c->kill_timer = 0;
	}
	describe_status(status, why, sizeof(why));
	if (v->stopping) {
		vg_log_info("%s: stopped (%s)", c->def->name, why);
		if (v->waiting == c) {
			v->waiting = NULL;
			stop_next(v);
		}
		return;
	}
	if (strcmp(c->def->name, "ctld") == 0 && WIFEXITED(status) &&
	    WEXITSTATUS(status) == CTLD_LEFT_CLUSTER) {
		vg_log_notice("ctld: left the cluster cleanly; stopping this node");
		vigild_stop(v);
		return;
	}
	if (!c->def->respawn) {
		vg_log_warn("%s: %s; not respawned", c->def->name, why);
		return;
	}
	if (!respawn_allowed(c)) {
		vg_log_error("%s: %s; it died %d times within %d s, giving up", c->def->name, why,
		             RESPAWN_MAX, RESPAWN_WINDOW_S);
		if (c->def->critical) {
			vg_log_error("%s: cannot be kept alive: stopping this node", c->def->name);
			vigild_stop(v);
		}
		return;
	}
	vg_log_warn("%s: %s; respawning (respawn %u)", c->def->name, why, c->nspawns);
	if (spawn(c) != 0 && c->def->critical)
		vigild_stop(v);
}

vigild_t *vigild_new(const char *config, bool heartbeat, GMainLoop *loop)
{
	size_t n;
	const vigild_child_def_t *defs = vigild_children(&n);
	vigild_t *v = g_new0(vigild_t, 1);

	v->config = g_strdup(config);
	v->loop = loop;
	v->kids = g_new0(child_t, n);
	v->nkids = n;
	for (size_t i = 0; i < n; i++) {
		v->kids[i].def = &defs[i];
		v->kids[i].owner = v;
		v->kids[i].enabled = heartbeat || !defs[i].needs_heartbeat;
	}
	return v;
}

void vigild_free(vigild_t *v)
{
	if (!v)
		return;
	for (size_t i = 0; i < v->nkids; i++) {
		if (v->kids[i].watch)
			g_source_remove(v->kids[i].watch);
		if (v->kids[i].kill_timer)
			g_source_remove(v->kids[i].kill_timer);
		g_free(v->kids[i].path);
	}
	g_free(v->kids);
	g_free(v->config);
	g_free(v);
}

int vigild_start(vigild_t *v)
{
	for (size_t i = 0; i < v->nkids; i++) {
		child_t *c = &v->kids[i];
		if (!c->enabled)
			continue;
		c->path = find_binary(c->def->binary);
		if (!c->path) {
			vg_log_error("%s: %s not found next to vigild or in PATH", c->def->name,
			             c->def->binary);
			return VG_ENOENT;
		}
	}
	for (size_t i = 0; i < v->nkids; i++) {
		if (v->kids[i].enabled && spawn(&v->kids[i]) != 0) {
			vigild_stop(v);
			return VG_EIO;
		}
	}
	return 0;
}

static gboolean kill_late(gpointer data)
{
	child_t *c = data;
	c->kill_timer = 0;
	if (c->pid) {
		vg_log_warn("%s: did not stop in time, killing pid %d", c->def->name, (int)c->pid);
		kill(c->pid, SIGKILL);
	}
	return G_SOURCE_REMOVE;
}

static child_t *by_name(vigild_t *v, const char *name)
{
	for (size_t i = 0; i < v->nkids; i++)
		if (strcmp(v->kids[i].def->name, name) == 0)
			return &v->kids[i];
	return NULL;
}

/* Stage 0 stops ctld; stage k>0 stops the (k)th child from the end. */
static void stop_next(vigild_t *v)
{
	for (;;) {
		child_t *c = NULL;
		unsigned grace = STOP_GRACE_S;

		if (v->stop_stage == 0) {
			c = by_name(v, "ctld");
			grace = CTLD_STOP_GRACE_S;
		} else if (v->stop_stage <= v->nkids) {
			c = &v->kids[v->nkids - v->stop_stage];
			if (strcmp(c->def->name, "ctld") == 0)
				c = NULL;
		} else {
			if (v->stopped)
				return;
			v->stopped = true;
			vg_log_notice("all children stopped");
			g_main_loop_quit(v->loop);
			return;
		}
		v->stop_stage++;
		if (!c || !c->pid)
			continue;
		vg_log_info("%s: stopping pid %d", c->def->name, (int)c->pid);
		kill(c->pid, SIGTERM);
		v->waiting = c;
		c->kill_timer = g_timeout_add_seconds(grace, kill_late, c);
		return; /* child_exited() continues with the next one */
	}
}

void vigild_stop(vigild_t *v)
{
	if (v->stopping)
		return;
	v->stopping = true;
	v->stop_stage = 0;
	vg_log_notice("shutting down: controller first, then the other children");
	stop_next(v);
}
