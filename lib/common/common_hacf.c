/*
 * ha.cf: the node configuration file (see include/vigil/common.h, ha.cf, and
 * doc/ha.cf.5.md).  Heartbeat's directive syntax, one directive per line,
 * words separated by blanks, `#` starts a comment.  Every directive is one
 * row of the table below (name, argument count, handler); a line that names
 * no row, or whose arguments the handler rejects, fails the whole load with
 * "FILE:LINE: reason" so a daemon never runs on a half-understood file.
 *
 * This file only parses and validates; it never opens sockets or devices
 * and never reads authkeys (vigil-hbd does).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <vigil/common.h>

#ifndef VG_STATEDIR
#define VG_STATEDIR "/var/lib/vigil"
#endif
#ifndef VG_RUNDIR
#define VG_RUNDIR "/run/vigil"
#endif

#define MAX_NODE_ID 0xfffffffeu

/* What a handler sees: the config being filled and the words of one line. */
typedef struct parse_ctx {
	vg_hacf_t *cfg;
	vg_hacf_hb_t *hb;
	char **argv; /* argv[0] is the directive */
	int argc;
	/* which times were given, so defaults can be derived afterwards */
	bool has_warntime, has_initdead, has_wait_for_all;
	GHashTable *explicit_ids; /* name -> id from node_id lines */
	GPtrArray *id_lines;      /* "name" in node_id order, to validate after */
} parse_ctx_t;

typedef int (*directive_fn)(parse_ctx_t *pc, vg_error_t *err);

typedef struct directive {
	const char *name;
	int min_args, max_args; /* after the directive; max -1 = unbounded */
	directive_fn fn;
} directive_t;

/* ---------------------------------------------------------- value parsers */

static int parse_bool(const char *s, bool *out)
{
	static const char *const yes[] = {"on", "yes", "true", "1", "y"};
	static const char *const no[] = {"off", "no", "false", "0", "n"};

	for (size_t i = 0; i < G_N_ELEMENTS(yes); i++) {
		if (g_ascii_strcasecmp(s, yes[i]) == 0)
			return (*out = true, 0);
		if (g_ascii_strcasecmp(s, no[i]) == 0)
			return (*out = false, 0);
	}
	return VG_EINVAL;
}

static int parse_uint(const char *s, uint64_t max, uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (*s == '\0' || *s == '-' || *s == '+')
		return VG_EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || *end != '\0' || v > max)
		return VG_EINVAL;
	*out = v;
	return 0;
}

/* Heartbeat times: seconds ("2", "0.5") or milliseconds ("500ms"); "s" allowed. */
static int parse_time_ms(const char *s, uint64_t *ms)
{
	char *end;
	double v;

	if (*s == '\0' || *s == '-' || *s == '+' || g_ascii_isspace(*s))
		return VG_EINVAL;
	errno = 0;
	v = g_ascii_strtod(s, &end);
	if (errno != 0 || end == s || !(v >= 0) || v > 1e9)
		return VG_EINVAL;
	if (*end == '\0' || strcmp(end, "s") == 0 || strcmp(end, "sec") == 0)
		v *= 1000.0;
	else if (strcmp(end, "ms") == 0 || strcmp(end, "msec") == 0)
		;
	else
		return VG_EINVAL;
	if (v != (double)(uint64_t)v && strcmp(end, "ms") == 0)
		return VG_EINVAL; /* fractional milliseconds */
	*ms = (uint64_t)(v + 0.5);
	return 0;
}

static const struct facility_row {
	const char *name;
	int value;
} facilities[] = {
    {"daemon", LOG_DAEMON}, {"user", LOG_USER},
    {"auth", LOG_AUTH},     {"authpriv", LOG_AUTHPRIV},
    {"local0", LOG_LOCAL0}, {"local1", LOG_LOCAL1},
    {"local2", LOG_LOCAL2}, {"local3", LOG_LOCAL3},
    {"local4", LOG_LOCAL4}, {"local5", LOG_LOCAL5},
    {"local6", LOG_LOCAL6}, {"local7", LOG_LOCAL7},
    {"none", -1},
};

static int facility_parse(const char *s, int *out)
{
	for (size_t i = 0; i < G_N_ELEMENTS(facilities); i++)
		if (g_ascii_strcasecmp(s, facilities[i].name) == 0)
			return (*out = facilities[i].value, 0);
	return VG_EINVAL;
}

static const char *facility_name(int value)
{
	for (size_t i = 0; i < G_N_ELEMENTS(facilities); i++)
		if (facilities[i].value == value)
			return facilities[i].name;
	return "daemon";
}

static bool valid_name(const char *s)
{
	if (*s == '\0' || strlen(s) > 255)
		return false;
	for (; *s; s++)
		if (!g_ascii_isalnum(*s) && strchr("-_.", *s) == NULL)
			return false;
	return true;
}

#define BAD(pc, err, ...) vg_error_set((err), VG_ECONFIG, __VA_ARGS__)

/* -------------------------------------------------------------- handlers */

static void set_str(char **slot, const char *v)
{
	g_free(*slot);
	*slot = g_strdup(v);
}

static int d_node(parse_ctx_t *pc, vg_error_t *err)
{
	for (int i = 1; i < pc->argc; i++) {
		if (!valid_name(pc->argv[i]))
			return BAD(pc, err,
			           "node name \"%s\" has characters other than letters, digits, "
			           "'-', '_', '.'",
			           pc->argv[i]);
		for (guint j = 0; j < pc->cfg->nodes->len; j++)
			if (strcmp(g_ptr_array_index(pc->cfg->nodes, j), pc->argv[i]) == 0)
				return BAD(pc, err, "node %s is listed twice", pc->argv[i]);
		g_ptr_array_add(pc->cfg->nodes, g_strdup(pc->argv[i]));
	}
	return 0;
}

static vg_hb_medium_t *medium_new(parse_ctx_t *pc, vg_hb_medium_kind_t kind)
{
	vg_hb_medium_t *m = g_new0(vg_hb_medium_t, 1);

	m->kind = kind;
	g_ptr_array_add(pc->hb->media, m);
	return m;
}

static const char *iface_or_null(const char *s)
{
	return (strcmp(s, "any") == 0 || strcmp(s, "*") == 0) ? NULL : s;
}

static int d_ucast(parse_ctx_t *pc, vg_error_t *err)
{
	vg_hb_medium_t *m = medium_new(pc, VG_HB_UCAST);

	m->iface = g_strdup(iface_or_null(pc->argv[1]));
	m->addr = g_strdup(pc->argv[2]);
	return 0;
}

static int d_mcast(parse_ctx_t *pc, vg_error_t *err)
{
	uint64_t port, ttl, loop;
	vg_hb_medium_t *m;

	if (parse_uint(pc->argv[3], 65535, &port) != 0 || port == 0)
		return BAD(pc, err, "mcast port \"%s\" is not a number from 1 to 65535",
		           pc->argv[3]);
	if (parse_uint(pc->argv[4], 255, &ttl) != 0 || ttl == 0)
		return BAD(pc, err, "mcast TTL \"%s\" is not a number from 1 to 255", pc->argv[4]);
	if (parse_uint(pc->argv[5], 1, &loop) != 0)
		return BAD(pc, err, "mcast loop \"%s\" must be 0 or 1", pc->argv[5]);
	m = medium_new(pc, VG_HB_MCAST);
	m->iface = g_strdup(iface_or_null(pc->argv[1]));
	m->addr = g_strdup(pc->argv[2]);
	m->port = (unsigned)port;
	m->ttl = (unsigned)ttl;
	m->loop = loop != 0;
	return 0;
}

static int d_bcast(parse_ctx_t *pc, vg_error_t *err)
{
	for (int i = 1; i < pc->argc; i++)
		medium_new(pc, VG_HB_BCAST)->iface = g_strdup(iface_or_null(pc->argv[i]));
	return 0;
}

static int d_serial(parse_ctx_t *pc, vg_error_t *err)
{
	for (int i = 1; i < pc->argc; i++) {
		if (pc->argv[i][0] != '/')
			return BAD(pc, err, "serial device \"%s\" must be an absolute path",
			           pc->argv[i]);
		medium_new(pc, VG_HB_SERIAL)->device = g_strdup(pc->argv[i]);
	}
	return 0;
}

static int d_baud(parse_ctx_t *pc, vg_error_t *err)
{
	static const unsigned rates[] = {9600, 19200, 38400, 57600, 115200, 230400, 460800};
	uint64_t v;

	if (parse_uint(pc->argv[1], 4000000, &v) == 0)
		for (size_t i = 0; i < G_N_ELEMENTS(rates); i++)
			if (v == rates[i])
				return (pc->hb->baud = (unsigned)v, 0);
	return BAD(pc, err, "baud \"%s\" is not one of 9600 19200 38400 57600 115200 230400 460800",
	           pc->argv[1]);
}

static int d_udpport(parse_ctx_t *pc, vg_error_t *err)
{
	uint64_t v;

	if (parse_uint(pc->argv[1], 65535, &v) != 0 || v == 0)
		return BAD(pc, err, "udpport \"%s\" is not a number from 1 to 65535", pc->argv[1]);
	pc->cfg->udpport = (unsigned)v;
	return 0;
}

static int time_directive(parse_ctx_t *pc, uint64_t *slot, vg_error_t *err)
{
	if (parse_time_ms(pc->argv[1], slot) != 0)
		return BAD(pc, err,
		           "%s \"%s\" is not a time (seconds, or milliseconds with \"ms\")",
		           pc->argv[0], pc->argv[1]);
	return 0;
}

static int d_keepalive(parse_ctx_t *pc, vg_error_t *err)
{
	return time_directive(pc, &pc->cfg->keepalive_ms, err);
}

static int d_deadtime(parse_ctx_t *pc, vg_error_t *err)
{
	return time_directive(pc, &pc->cfg->deadtime_ms, err);
}

static int d_warntime(parse_ctx_t *pc, vg_error_t *err)
{
	pc->has_warntime = true;
	return time_directive(pc, &pc->cfg->warntime_ms, err);
}

static int d_initdead(parse_ctx_t *pc, vg_error_t *err)
{
	pc->has_initdead = true;
	return time_directive(pc, &pc->cfg->initdead_ms, err);
}

static int d_autojoin(parse_ctx_t *pc, vg_error_t *err)
{
	if (strcmp(pc->argv[1], "none") == 0)
		pc->hb->autojoin = VG_HB_AUTOJOIN_NONE;
	else if (strcmp(pc->argv[1], "other") == 0)
		pc->hb->autojoin = VG_HB_AUTOJOIN_OTHER;
	else if (strcmp(pc->argv[1], "any") == 0)
		pc->hb->autojoin = VG_HB_AUTOJOIN_ANY;
	else
		return BAD(pc, err, "autojoin \"%s\" must be none, other or any", pc->argv[1]);
	return 0;
}

static int bool_directive(parse_ctx_t *pc, bool *slot, vg_error_t *err)
{
	if (parse_bool(pc->argv[1], slot) != 0)
		return BAD(pc, err, "%s \"%s\" must be on or off", pc->argv[0], pc->argv[1]);
	return 0;
}

static int d_realtime(parse_ctx_t *pc, vg_error_t *err)
{
	return bool_directive(pc, &pc->hb->realtime, err);
}

static int d_rtprio(parse_ctx_t *pc, vg_error_t *err)
{
	uint64_t v;

	if (parse_uint(pc->argv[1], 99, &v) != 0 || v == 0)
		return BAD(pc, err, "rtprio \"%s\" is not a number from 1 to 99", pc->argv[1]);
	pc->hb->rtprio = (int)v;
	return 0;
}

static int d_debug(parse_ctx_t *pc, vg_error_t *err)
{
	uint64_t v;

	if (parse_uint(pc->argv[1], 255, &v) != 0)
		return BAD(pc, err, "debug \"%s\" is not a level from 0 to 255", pc->argv[1]);
	pc->cfg->debug = v > 0;
	return 0;
}

static int d_logfacility(parse_ctx_t *pc, vg_error_t *err)
{
	if (facility_parse(pc->argv[1], &pc->cfg->log_facility) != 0)
		return BAD(
		    pc, err,
		    "logfacility \"%s\" is not a syslog facility (daemon, local0..local7, none)",
		    pc->argv[1]);
	return 0;
}

static int d_logfile(parse_ctx_t *pc, vg_error_t *err)
{
	set_str(&pc->cfg->log_file, pc->argv[1]);
	return 0;
}

static int d_crm(parse_ctx_t *pc, vg_error_t *err)
{
	static const char *const ok[] = {"on", "yes", "true", "respawn", "off", "no", "false"};

	/* vigil always runs its controller; the values are accepted for old files. */
	for (size_t i = 0; i < G_N_ELEMENTS(ok); i++)
		if (g_ascii_strcasecmp(pc->argv[1], ok[i]) == 0)
			return (pc->hb->crm = true, 0);
	return BAD(pc, err, "%s \"%s\" must be on, off, yes, no or respawn", pc->argv[0],
	           pc->argv[1]);
}

static int d_compression(parse_ctx_t *pc, vg_error_t *err)
{
	const char *v = pc->argv[1];

	/* Heartbeat also had bz2; vigil-hbd compresses with zlib only, and a node
	 * must be able to inflate whatever a peer sends */
	if (strcmp(v, "bz2") == 0)
		return BAD(pc, err, "compression \"bz2\" is not supported: use zlib (or none)");
	if (strcmp(v, "zlib") != 0 && strcmp(v, "none") != 0)
		return BAD(pc, err, "compression \"%s\" must be zlib or none", v);
	set_str(&pc->hb->compression, strcmp(v, "none") == 0 ? NULL : v);
	return 0;
}

static int d_compression_threshold(parse_ctx_t *pc, vg_error_t *err)
{
	uint64_t v;

	if (parse_uint(pc->argv[1], 1024 * 1024, &v) != 0)
		return BAD(pc, err, "compression_threshold \"%s\" is not a size in KiB",
		           pc->argv[1]);
	pc->hb->compression_threshold = v * 1024;
	return 0;
}

static int d_cluster_name(parse_ctx_t *pc, vg_error_t *err)
{
	if (!valid_name(pc->argv[1]))
		return BAD(
		    pc, err,
		    "cluster_name \"%s\" has characters other than letters, digits, '-', '_', '.'",
		    pc->argv[1]);
	set_str(&pc->cfg->cluster_name, pc->argv[1]);
	return 0;
}

static int d_cluster_layer(parse_ctx_t *pc, vg_error_t *err)
{
	if (strcmp(pc->argv[1], "heartbeat") != 0 && strcmp(pc->argv[1], "corosync") != 0)
		return BAD(pc, err, "cluster_layer \"%s\" must be heartbeat or corosync",
		           pc->argv[1]);
	set_str(&pc->cfg->cluster_layer, pc->argv[1]);
	return 0;
}

static int d_arbiter(parse_ctx_t *pc, vg_error_t *err)
{
	for (int i = 1; i < pc->argc; i++) {
		if (!valid_name(pc->argv[i]))
			return BAD(pc, err, "arbiter \"%s\" is not a node name", pc->argv[i]);
		g_ptr_array_add(pc->hb->arbiters, g_strdup(pc->argv[i]));
	}
	return 0;
}

static int d_two_node(parse_ctx_t *pc, vg_error_t *err)
{
	return bool_directive(pc, &pc->hb->two_node, err);
}

static int d_wait_for_all(parse_ctx_t *pc, vg_error_t *err)
{
	pc->has_wait_for_all = true;
	return bool_directive(pc, &pc->hb->wait_for_all, err);
}

static int d_node_id(parse_ctx_t *pc, vg_error_t *err)
{
	uint64_t id;

	if (!valid_name(pc->argv[1]))
		return BAD(pc, err, "node_id: \"%s\" is not a node name", pc->argv[1]);
	if (parse_uint(pc->argv[2], MAX_NODE_ID, &id) != 0 || id == 0)
		return BAD(pc, err, "node_id %s: \"%s\" is not a number from 1 to %u", pc->argv[1],
		           pc->argv[2], MAX_NODE_ID);
	if (g_hash_table_contains(pc->explicit_ids, pc->argv[1]))
		return BAD(pc, err, "node_id: node %s has an id already", pc->argv[1]);
	g_hash_table_insert(pc->explicit_ids, g_strdup(pc->argv[1]), GUINT_TO_POINTER((guint)id));
	return 0;
}

static int d_votes(parse_ctx_t *pc, vg_error_t *err)
{
	uint64_t v;

	if (!valid_name(pc->argv[1]))
		return BAD(pc, err, "votes: \"%s\" is not a node name", pc->argv[1]);
	if (parse_uint(pc->argv[2], 255, &v) != 0)
		return BAD(pc, err, "votes %s: \"%s\" is not a number from 0 to 255", pc->argv[1],
		           pc->argv[2]);
	g_hash_table_insert(pc->hb->votes, g_strdup(pc->argv[1]), GUINT_TO_POINTER((guint)v));
	return 0;
}

static int d_instance(parse_ctx_t *pc, vg_error_t *err)
{
	if (!valid_name(pc->argv[1]))
		return BAD(pc, err, "instance \"%s\" is not a node name", pc->argv[1]);
	set_str(&pc->cfg->instance, pc->argv[1]);
	return 0;
}

static int dir_directive(parse_ctx_t *pc, char **slot, vg_error_t *err)
{
	if (pc->argv[1][0] != '/')
		return BAD(pc, err, "%s \"%s\" must be an absolute path", pc->argv[0], pc->argv[1]);
	set_str(slot, pc->argv[1]);
	return 0;
}

static int d_state_dir(parse_ctx_t *pc, vg_error_t *err)
{
	return dir_directive(pc, &pc->cfg->state_dir, err);
}

static int d_run_dir(parse_ctx_t *pc, vg_error_t *err)
{
	return dir_directive(pc, &pc->cfg->run_dir, err);
}

static int d_authkeys(parse_ctx_t *pc, vg_error_t *err)
{
	return dir_directive(pc, &pc->hb->authkeys, err);
}

static int d_insecure_auth(parse_ctx_t *pc, vg_error_t *err)
{
	return bool_directive(pc, &pc->hb->insecure_auth, err);
}

static int d_fault_injection(parse_ctx_t *pc, vg_error_t *err)
{
	return bool_directive(pc, &pc->hb->fault_injection, err);
}

static int d_bind_addr(parse_ctx_t *pc, vg_error_t *err)
{
	set_str(&pc->hb->bind_addr, pc->argv[1]);
	return 0;
}

static const directive_t directives[] = {
    /* Heartbeat's */
    {"node", 1, -1, d_node},
    {"ucast", 2, 2, d_ucast},
    {"mcast", 5, 5, d_mcast},
    {"bcast", 1, -1, d_bcast},
    {"serial", 1, -1, d_serial},
    {"baud", 1, 1, d_baud},
    {"udpport", 1, 1, d_udpport},
    {"keepalive", 1, 1, d_keepalive},
    {"deadtime", 1, 1, d_deadtime},
    {"warntime", 1, 1, d_warntime},
    {"initdead", 1, 1, d_initdead},
    {"autojoin", 1, 1, d_autojoin},
    {"realtime", 1, 1, d_realtime},
    {"rtprio", 1, 1, d_rtprio},
    {"debug", 1, 1, d_debug},
    {"logfacility", 1, 1, d_logfacility},
    {"logfile", 1, 1, d_logfile},
    {"crm", 1, 1, d_crm},
    {"pacemaker", 1, 1, d_crm},
    {"compression", 1, 1, d_compression},
    {"compression_threshold", 1, 1, d_compression_threshold},
    /* vigil's */
    {"cluster_name", 1, 1, d_cluster_name},
    {"cluster_layer", 1, 1, d_cluster_layer},
    {"arbiter", 1, -1, d_arbiter},
    {"two_node", 1, 1, d_two_node},
    {"wait_for_all", 1, 1, d_wait_for_all},
    {"node_id", 2, 2, d_node_id},
    {"votes", 2, 2, d_votes},
    {"instance", 1, 1, d_instance},
    {"state_dir", 1, 1, d_state_dir},
    {"run_dir", 1, 1, d_run_dir},
    {"authkeys", 1, 1, d_authkeys},
    {"insecure_auth", 1, 1, d_insecure_auth},
    {"bind_addr", 1, 1, d_bind_addr},
    {"fault_injection", 1, 1, d_fault_injection},
};

/* ------------------------------------------------------------ the loader */

static void medium_free(gpointer p)
{
	vg_hb_medium_t *m = p;

	g_free(m->iface);
	g_free(m->addr);
	g_free(m->device);
	g_free(m);
}

static vg_hacf_t *hacf_new(const char *path)
{
	vg_hacf_t *cfg = g_new0(vg_hacf_t, 1);
	vg_hacf_hb_t *hb = g_new0(vg_hacf_hb_t, 1);

	cfg->path = g_strdup(path);
	cfg->nodes = g_ptr_array_new_with_free_func(g_free);
	cfg->log_facility = LOG_DAEMON;
	cfg->keepalive_ms = 1000;
	cfg->deadtime_ms = 10000;
	cfg->udpport = 694;
	hb->media = g_ptr_array_new_with_free_func(medium_free);
	hb->baud = 19200;
	hb->realtime = true;
	hb->crm = true;
	hb->compression_threshold = 2 * 1024;
	hb->arbiters = g_ptr_array_new_with_free_func(g_free);
	hb->node_ids = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	hb->votes = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	cfg->hb = hb;
	return cfg;
}

static const directive_t *directive_find(const char *name)
{
	for (size_t i = 0; i < G_N_ELEMENTS(directives); i++)
		if (strcmp(directives[i].name, name) == 0)
			return &directives[i];
	return NULL;
}

static int parse_line(parse_ctx_t *pc, char *line, vg_error_t *err)
{
	const directive_t *d;
	char *hash = strchr(line, '#');
	int rc, nargs;

	if (hash != NULL)
		*hash = '\0';
	g_strstrip(line);
	if (*line == '\0')
		return 0;
	for (char *p = line; *p; p++)
		if (*p == '\t')
			*p = ' ';
	pc->argv = g_strsplit(line, " ", -1);
	/* drop the empty words runs of blanks leave behind */
	pc->argc = 0;
	for (int i = 0; pc->argv[i] != NULL; i++) {
		if (pc->argv[i][0] == '\0') {
			g_free(pc->argv[i]);
			continue;
		}
		pc->argv[pc->argc++] = pc->argv[i];
	}
	pc->argv[pc->argc] = NULL;
	nargs = pc->argc - 1;
	d = directive_find(pc->argv[0]);
	if (d == NULL)
		rc = vg_error_set(err, VG_ECONFIG, "unknown directive \"%s\"", pc->argv[0]);
	else if (nargs < d->min_args || (d->max_args >= 0 && nargs > d->max_args))
		rc = vg_error_set(err, VG_ECONFIG, "%s takes %s%d argument%s, not %d", d->name,
		                  d->max_args < 0 ? "at least " : "", d->min_args,
		                  d->min_args == 1 ? "" : "s", nargs);
	else
		rc = d->fn(pc, err);
	g_strfreev(pc->argv);
	pc->argv = NULL;
	return rc;
}

/* Node ids: node_id lines first, then file order fills the lowest free ids. */
static int resolve_ids(parse_ctx_t *pc, vg_error_t *err)
{
	GHashTable *used = g_hash_table_new(g_direct_hash, g_direct_equal);
	GHashTableIter it;
	gpointer k, v;
	guint next = 1;
	int rc = 0;

	g_hash_table_iter_init(&it, pc->explicit_ids);
	while (g_hash_table_iter_next(&it, &k, &v)) {
		if (g_hash_table_contains(used, v)) {
			rc = vg_error_set(err, VG_ECONFIG, "node_id %u is given to two nodes",
			                  GPOINTER_TO_UINT(v));
			goto out;
		}
		g_hash_table_add(used, v);
		g_hash_table_insert(pc->hb->node_ids, g_strdup(k), v);
	}
	for (guint i = 0; i < pc->cfg->nodes->len; i++) {
		const char *name = g_ptr_array_index(pc->cfg->nodes, i);

		if (g_hash_table_contains(pc->hb->node_ids, name))
			continue;
		while (g_hash_table_contains(used, GUINT_TO_POINTER(next)))
			next++;
		g_hash_table_add(used, GUINT_TO_POINTER(next));
		g_hash_table_insert(pc->hb->node_ids, g_strdup(name), GUINT_TO_POINTER(next));
	}
out:
	g_hash_table_destroy(used);
	return rc;
}

static bool node_listed(const vg_hacf_t *cfg, const char *name)
{
	for (guint i = 0; i < cfg->nodes->len; i++)
		if (strcmp(g_ptr_array_index(cfg->nodes, i), name) == 0)
			return true;
	return false;
}

/* Cross-directive checks and derived defaults. */
static int finish(parse_ctx_t *pc, vg_error_t *err)
{
	vg_hacf_t *cfg = pc->cfg;
	vg_hacf_hb_t *hb = pc->hb;
	GHashTableIter it;
	gpointer k;

	if (cfg->keepalive_ms == 0)
		return vg_error_set(err, VG_ECONFIG, "keepalive must be greater than 0");
	if (cfg->deadtime_ms <= cfg->keepalive_ms)
		return vg_error_set(err, VG_ECONFIG,
		                    "deadtime (%" G_GUINT64_FORMAT
		                    " ms) must be longer than keepalive (%" G_GUINT64_FORMAT " ms)",
		                    cfg->deadtime_ms, cfg->keepalive_ms);
	if (!pc->has_warntime)
		cfg->warntime_ms = MAX(cfg->keepalive_ms, cfg->deadtime_ms / 2);
	if (cfg->warntime_ms > cfg->deadtime_ms)
		return vg_error_set(err, VG_ECONFIG, "warntime must not be longer than deadtime");
	if (!pc->has_initdead)
		cfg->initdead_ms = 2 * cfg->deadtime_ms;
	if (cfg->initdead_ms < cfg->deadtime_ms)
		return vg_error_set(err, VG_ECONFIG, "initdead must not be shorter than deadtime");
	if (!pc->has_wait_for_all)
		hb->wait_for_all = hb->two_node;
	if (hb->two_node && cfg->nodes->len != 2)
		return vg_error_set(err, VG_ECONFIG,
		                    "two_node needs exactly two node lines, not %u",
		                    cfg->nodes->len);
	g_hash_table_iter_init(&it, pc->explicit_ids);
	while (g_hash_table_iter_next(&it, &k, NULL))
		if (!node_listed(cfg, k))
			return vg_error_set(err, VG_ECONFIG,
			                    "node_id names %s, which has no node line",
			                    (const char *)k);
	g_hash_table_iter_init(&it, hb->votes);
	while (g_hash_table_iter_next(&it, &k, NULL))
		if (!node_listed(cfg, k))
			return vg_error_set(err, VG_ECONFIG,
			                    "votes names %s, which has no node line",
			                    (const char *)k);
	for (guint i = 0; i < hb->arbiters->len; i++)
		if (!node_listed(cfg, g_ptr_array_index(hb->arbiters, i)))
			return vg_error_set(err, VG_ECONFIG, "arbiter %s has no node line",
			                    (const char *)g_ptr_array_index(hb->arbiters, i));
	if (cfg->cluster_name == NULL)
		cfg->cluster_name = g_strdup("vigil");
	if (cfg->cluster_layer == NULL)
		cfg->cluster_layer = g_strdup("heartbeat");
	if (cfg->instance == NULL) {
		char *host = g_strdup(g_get_host_name());
		char *dot = strchr(host, '.');

		if (dot != NULL)
			*dot = '\0';
		cfg->instance = host;
	}
	if (cfg->state_dir == NULL)
		cfg->state_dir = g_strdup(VG_STATEDIR);
	if (cfg->run_dir == NULL)
		cfg->run_dir = g_strdup(VG_RUNDIR);
	if (hb->authkeys == NULL) {
		char *dir = g_path_get_dirname(cfg->path);

		hb->authkeys = g_build_filename(dir, "authkeys", NULL);
		g_free(dir);
	}
	return resolve_ids(pc, err);
}

int vg_hacf_load_string(const char *text, const char *path, vg_hacf_t **out, vg_error_t *err)
{
	parse_ctx_t pc = {0};
	char **lines;
	int rc = 0;

	*out = NULL;
	if (path == NULL)
		path = "ha.cf";
	pc.cfg = hacf_new(path);
	pc.hb = pc.cfg->hb;
	pc.explicit_ids = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	lines = g_strsplit(text, "\n", -1);
	for (int i = 0; lines[i] != NULL && rc == 0; i++) {
		rc = parse_line(&pc, lines[i], err);
		if (rc != 0)
			vg_error_prefix(err, "%s:%d: ", path, i + 1);
	}
	g_strfreev(lines);
	if (rc == 0) {
		rc = finish(&pc, err);
		if (rc != 0)
			vg_error_prefix(err, "%s: ", path);
	}
	g_hash_table_destroy(pc.explicit_ids);
	if (rc != 0) {
		vg_hacf_free(pc.cfg);
		return rc;
	}
	*out = pc.cfg;
	return 0;
}

int vg_hacf_load(const char *path, vg_hacf_t **out, vg_error_t *err)
{
	gchar *text = NULL;
	gsize len = 0;
	GError *gerr = NULL;
	int rc;

	*out = NULL;
	if (!g_file_get_contents(path, &text, &len, &gerr)) {
		rc = vg_error_set(
		    err,
		    g_error_matches(gerr, G_FILE_ERROR, G_FILE_ERROR_NOENT) ? VG_ENOENT : VG_EIO,
		    "%s: cannot read the configuration: %s", path, gerr->message);
		g_error_free(gerr);
		return rc;
	}
	if (memchr(text, '\0', len) != NULL) {
		g_free(text);
		return vg_error_set(err, VG_ECONFIG, "%s: contains a NUL byte; not a text file",
		                    path);
	}
	rc = vg_hacf_load_string(text, path, out, err);
	g_free(text);
	return rc;
}

void vg_hacf_free(vg_hacf_t *cfg)
{
	vg_hacf_hb_t *hb;

	if (cfg == NULL)
		return;
	hb = cfg->hb;
	if (hb != NULL) {
		g_ptr_array_unref(hb->media);
		g_free(hb->compression);
		g_ptr_array_unref(hb->arbiters);
		g_hash_table_destroy(hb->node_ids);
		g_hash_table_destroy(hb->votes);
		g_free(hb->authkeys);
		g_free(hb->bind_addr);
		g_free(hb);
	}
	g_free(cfg->path);
	g_free(cfg->cluster_name);
	g_free(cfg->cluster_layer);
	g_free(cfg->instance);
	g_free(cfg->state_dir);
	g_free(cfg->run_dir);
	g_free(cfg->log_file);
	g_ptr_array_unref(cfg->nodes);
	g_free(cfg);
}

const vg_hacf_hb_t *vg_hacf_hb(const vg_hacf_t *cfg)
{
	return cfg->hb;
}

uint32_t vg_hacf_node_id(const vg_hacf_t *cfg, const char *name)
{
	const vg_hacf_hb_t *hb = cfg->hb;

	return GPOINTER_TO_UINT(g_hash_table_lookup(hb->node_ids, name));
}

unsigned vg_hacf_node_votes(const vg_hacf_t *cfg, const char *name)
{
	const vg_hacf_hb_t *hb = cfg->hb;
	gpointer v;

	if (g_hash_table_lookup_extended(hb->votes, name, NULL, &v))
		return GPOINTER_TO_UINT(v);
	return 1;
}

bool vg_hacf_is_arbiter(const vg_hacf_t *cfg, const char *name)
{
	const vg_hacf_hb_t *hb = cfg->hb;

	for (guint i = 0; i < hb->arbiters->len; i++)
		if (strcmp(g_ptr_array_index(hb->arbiters, i), name) == 0)
			return true;
	return false;
}

/* ------------------------------------------------------------------ dump */

static const char *medium_kind_name(vg_hb_medium_kind_t k)
{
	static const char *const names[] = {"ucast", "mcast", "bcast", "serial"};

	return names[k];
}

static void dump_media(GString *s, const vg_hacf_hb_t *hb)
{
	for (guint i = 0; i < hb->media->len; i++) {
		const vg_hb_medium_t *m = g_ptr_array_index(hb->media, i);
		const char *ifc = m->iface ? m->iface : "any";

		switch (m->kind) {
		case VG_HB_UCAST:
			g_string_append_printf(s, "ucast %s %s\n", ifc, m->addr);
			break;
		case VG_HB_MCAST:
			g_string_append_printf(s, "mcast %s %s %u %u %d\n", ifc, m->addr, m->port,
			                       m->ttl, m->loop ? 1 : 0);
			break;
		case VG_HB_BCAST:
			g_string_append_printf(s, "%s %s\n", medium_kind_name(m->kind), ifc);
			break;
		case VG_HB_SERIAL:
			g_string_append_printf(s, "serial %s\n", m->device);
			break;
		}
	}
}

char *vg_hacf_dump(const vg_hacf_t *cfg)
{
	const vg_hacf_hb_t *hb = cfg->hb;
	GString *s = g_string_new(NULL);
	static const char *const aj[] = {"none", "other", "any"};

	g_string_append_printf(s, "cluster_name %s\ncluster_layer %s\ninstance %s\n",
	                       cfg->cluster_name, cfg->cluster_layer, cfg->instance);
	g_string_append_printf(s, "state_dir %s\nrun_dir %s\n", cfg->state_dir, cfg->run_dir);
	if (cfg->log_file != NULL)
		g_string_append_printf(s, "logfile %s\n", cfg->log_file);
	g_string_append_printf(s, "debug %d\n", cfg->debug ? 1 : 0);
	g_string_append_printf(s, "logfacility %s\n", facility_name(cfg->log_facility));
	for (guint i = 0; i < cfg->nodes->len; i++) {
		const char *n = g_ptr_array_index(cfg->nodes, i);

		g_string_append_printf(s, "node %s\nnode_id %s %u\nvotes %s %u\n", n, n,
		                       vg_hacf_node_id(cfg, n), n, vg_hacf_node_votes(cfg, n));
	}
	for (guint i = 0; i < hb->arbiters->len; i++)
		g_string_append_printf(s, "arbiter %s\n",
		                       (const char *)g_ptr_array_index(hb->arbiters, i));
	g_string_append_printf(s, "two_node %s\nwait_for_all %s\n", hb->two_node ? "on" : "off",
	                       hb->wait_for_all ? "on" : "off");
	g_string_append_printf(
	    s,
	    "keepalive %" G_GUINT64_FORMAT "ms\ndeadtime %" G_GUINT64_FORMAT
	    "ms\nwarntime %" G_GUINT64_FORMAT "ms\ninitdead %" G_GUINT64_FORMAT "ms\n",
	    cfg->keepalive_ms, cfg->deadtime_ms, cfg->warntime_ms, cfg->initdead_ms);
	g_string_append_printf(s, "udpport %u\nbaud %u\n", cfg->udpport, hb->baud);
	dump_media(s, hb);
	g_string_append_printf(s, "autojoin %s\nrealtime %s\n", aj[hb->autojoin],
	                       hb->realtime ? "on" : "off");
	if (hb->rtprio > 0)
		g_string_append_printf(s, "rtprio %d\n", hb->rtprio);
	g_string_append_printf(s, "compression %s\ncompression_threshold %" G_GUINT64_FORMAT "\n",
	                       hb->compression ? hb->compression : "none",
	                       hb->compression_threshold / 1024);
	g_string_append_printf(s, "authkeys %s\ninsecure_auth %s\n", hb->authkeys,
	                       hb->insecure_auth ? "on" : "off");
	if (hb->bind_addr != NULL)
		g_string_append_printf(s, "bind_addr %s\n", hb->bind_addr);
	if (hb->fault_injection)
		g_string_append(s, "fault_injection on\n");
	return g_string_free(s, FALSE);
}
