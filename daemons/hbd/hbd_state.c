/*
 * What vigil-hbd keeps across restarts and how it asks the kernel to treat
 * it.  The incarnation (boot generation) is a counter in
 * STATE_DIR/hbd.incarnation, raised and written atomically (temp file, fsync,
 * rename) before the first packet goes out, so peers can tell a restarted
 * node from a replay of its old packets.  Realtime priority and mlockall are
 * requested when ha.cf says "realtime on"; failing to get them is logged,
 * not fatal (unprivileged labs).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define VG_LOG_SUBSYS "hbd"
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#include "hbd.h"

int hbd_incarnation_next(const char *state_dir, uint64_t *out, vg_error_t *err)
{
	char *path = g_build_filename(state_dir, "hbd.incarnation", NULL);
	char *tmp = g_strconcat(path, ".tmp", NULL);
	char *text = NULL, buf[32];
	uint64_t cur = 0;
	int fd, rc = 0, n;

	if (g_mkdir_with_parents(state_dir, 0750) != 0) {
		rc = vg_error_set(err, VG_EIO, "state_dir %s: cannot create: %s", state_dir,
		                  g_strerror(errno));
		goto out;
	}
	if (g_file_get_contents(path, &text, NULL, NULL))
		cur = g_ascii_strtoull(text, NULL, 10);
	/* never reuse a generation even if the file was lost: the clock floors it */
	cur = MAX(cur + 1, (uint64_t)(g_get_real_time() / 1000000));
	n = snprintf(buf, sizeof(buf), "%" G_GUINT64_FORMAT "\n", cur);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
	if (fd < 0 || write(fd, buf, (size_t)n) != n || fsync(fd) != 0 || rename(tmp, path) != 0) {
		rc = vg_error_set(err, VG_EIO, "%s: cannot record the incarnation: %s", path,
		                  g_strerror(errno));
		if (fd >= 0)
			close(fd);
		goto out;
	}
	close(fd);
	*out = cur;
out:
	g_free(text);
	g_free(path);
	g_free(tmp);
	return rc;
}

void hbd_realtime(const vg_hacf_t *cfg)
{
	const vg_hacf_hb_t *hb = vg_hacf_hb(cfg);
	struct sched_param sp = {0};
	struct rlimit rl;

	if (!hb->realtime)
		return;
	sp.sched_priority = hb->rtprio > 0 ? hb->rtprio : sched_get_priority_max(SCHED_RR) / 2;
	if (sched_setscheduler(0, SCHED_RR, &sp) != 0)
		vg_log_warn("realtime: cannot get SCHED_RR priority %d: %s", sp.sched_priority,
		            g_strerror(errno));
	/* With a finite RLIMIT_MEMLOCK, MCL_FUTURE would turn a later large
	 * message into a failed allocation (an abort): lock only without a limit. */
	if (getrlimit(RLIMIT_MEMLOCK, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY && geteuid() != 0)
		vg_log_warn("realtime: not locking memory: RLIMIT_MEMLOCK is %llu bytes",
		            (unsigned long long)rl.rlim_cur);
	else if (mlockall(MCL_CURRENT | MCL_FUTURE) != 0)
		vg_log_warn("realtime: cannot lock memory: %s", g_strerror(errno));
}
