/*
 * Logging on libqb: stderr in the foreground, syslog otherwise, plus an
 * optional log file.  The subsystem tag is added by the vg_log_* macros in
 * common.h; this file only wires libqb's targets and levels.
 * VIGIL_DEBUG=1 (or any non-empty value other than "0") turns on debug.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <vigil/common.h>

static bool debug_from_env(void)
{
	const char *v = getenv("VIGIL_DEBUG");

	return v != NULL && *v != '\0' && strcmp(v, "0") != 0;
}

static void enable_target(int32_t t, int level)
{
	qb_log_filter_ctl(t, QB_LOG_FILTER_CLEAR_ALL, QB_LOG_FILTER_FILE, "*", LOG_TRACE);
	qb_log_filter_ctl(t, QB_LOG_FILTER_ADD, QB_LOG_FILTER_FILE, "*", level);
	qb_log_ctl(t, QB_LOG_CONF_ENABLED, QB_TRUE);
}

/* libqb allocates its targets and formats in qb_log_init() and frees them
 * only in qb_log_fini(): a second init (a daemon logs to stderr as a tool
 * until its config is read) reconfigures instead of leaking the first. */
static bool qb_inited;

int vg_log_init(const vg_log_config_t *cfg)
{
	int level = cfg->level ? cfg->level : LOG_NOTICE;
	int facility = cfg->facility ? cfg->facility : LOG_DAEMON;

	if (debug_from_env())
		level = LOG_DEBUG;
	if (!qb_inited)
		qb_log_init(cfg->ident, facility, level);
	else
		qb_log_ctl(QB_LOG_SYSLOG, QB_LOG_CONF_FACILITY, facility);
	qb_inited = true;
	qb_log_ctl(QB_LOG_SYSLOG, QB_LOG_CONF_ENABLED, QB_FALSE);
	qb_log_ctl(QB_LOG_STDERR, QB_LOG_CONF_ENABLED, QB_FALSE);
	if (cfg->foreground) {
		qb_log_format_set(QB_LOG_STDERR, "%t %n[%P] %p: %b");
		enable_target(QB_LOG_STDERR, level);
	} else {
		qb_log_format_set(QB_LOG_SYSLOG, "%p: %b");
		enable_target(QB_LOG_SYSLOG, level);
	}
	if (cfg->logfile != NULL && *cfg->logfile != '\0') {
		int32_t t = qb_log_file_open(cfg->logfile);

		if (t < 0)
			return VG_EIO;
		qb_log_format_set(t, "%t %n[%P] %p: %b");
		enable_target(t, level);
	}
	return 0;
}

void vg_log_init_tool(const char *ident)
{
	vg_log_config_t cfg = {.ident = ident, .foreground = true, .level = LOG_WARNING};

	vg_log_init(&cfg);
	qb_log_format_set(QB_LOG_STDERR, "%n: %b");
}

void vg_log_fini(void)
{
	if (qb_inited)
		qb_log_fini();
	qb_inited = false;
}

int vg_log_level_parse(const char *s, int *level)
{
	static const struct {
		const char *name;
		int level;
	} levels[] = {
	    {"emerg", LOG_EMERG},  {"alert", LOG_ALERT},   {"crit", LOG_CRIT},
	    {"err", LOG_ERR},      {"error", LOG_ERR},     {"warning", LOG_WARNING},
	    {"warn", LOG_WARNING}, {"notice", LOG_NOTICE}, {"info", LOG_INFO},
	    {"debug", LOG_DEBUG},  {"trace", LOG_TRACE},
	};
	char *end;
	long v;

	for (size_t i = 0; i < G_N_ELEMENTS(levels); i++) {
		if (strcasecmp(s, levels[i].name) == 0) {
			*level = levels[i].level;
			return 0;
		}
	}
	v = strtol(s, &end, 10);
	if (end == s || *end != '\0' || v < LOG_EMERG || v > LOG_TRACE)
		return VG_EINVAL;
	*level = (int)v;
	return 0;
}
