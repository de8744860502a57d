/*
 * `vigil simulate`: the run itself — load the CIB, print its status, apply
 * the requested changes (-u -d -f -i, tickets, quorum), schedule, print the
 * Transition Summary, save artifacts, execute in simulation and print the
 * revised status.  The sections and their order are crm_simulate's, so
 * scripts written for crm_simulate read vigil's output unchanged.
 *
 * Owns no scheduling and no status formats: those are libvigil-sched's.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define VG_LOG_SUBSYS "simulate"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <vigil/cib.h>
#include <vigil/common.h>
#include <vigil/sched.h>

#include "simulate_private.h"

static int fail(int status, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

static int fail(int status, const char *fmt, ...)
{
	va_list ap;

	fputs("vigil simulate: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return status;
}

/*
 * Saved scheduler inputs of big clusters can exceed the CIB size the
 * daemons accept (VG_CIB_MAX_SIZE); this offline tool reads up to 1 GB.
 */
static int load_file(const char *path, xmlDoc **doc, vg_error_t *err)
{
	vg_xml_limits_t limits = {
	    .max_size = 1024u * 1024 * 1024,
	    .max_depth = VG_XML_MAX_DEPTH,
	    .max_attr_len = VG_XML_MAX_ATTR_LEN,
	};
	xmlNode *root;
	int rc = vg_xml_parse_file(path, &limits, doc, err);

	if (rc != 0)
		return rc;
	root = xmlDocGetRootElement(*doc);
	if (root == NULL || !vg_xml_is(root, "cib")) {
		xmlFreeDoc(*doc);
		*doc = NULL;
		return vg_error_set(err, VG_EINVAL,
		                    "%s: the root element must be <cib> (a whole CIB with "
		                    "configuration and status)",
		                    path);
	}
	vg_cib_normalize(root);
	return 0;
}

static int load_input(const sim_opts_t *o, xmlDoc **doc, vg_error_t *err)
{
	if (o->xml_pipe || strcmp(o->xml_file, "-") == 0) {
		GString *buf = g_string_new(NULL);
		char chunk[65536];
		size_t n;
		int rc;

		while ((n = fread(chunk, 1, sizeof(chunk), stdin)) > 0) {
			g_string_append_len(buf, chunk, (gssize)n);
			if (buf->len > VG_CIB_MAX_SIZE)
				break;
		}
		rc = vg_cib_parse(buf->str, buf->len, "standard input", doc, err);
		g_string_free(buf, TRUE);
		return rc;
	}
	return load_file(o->xml_file, doc, err);
}

/*
 * -R, -s, -G, -D and the status display only schedule the CIB: it is then
 * read with vg_sched_input_read(), which never builds a tree of the
 * operation history (most of a big cluster's CIB).  Whatever changes or
 * saves the CIB (-S, -X, -I, -O, -u, -d, -f, -i, tickets, quorum) needs
 * the whole document.
 */
static bool has_modifications(const sim_opts_t *o);

static bool only_schedules(const sim_opts_t *o)
{
	return !o->simulate && !o->in_place && o->save_input == NULL && o->save_output == NULL &&
	       !has_modifications(o);
}

typedef struct fd_source {
	int fd;
	size_t total, max;
	int errnum;
	bool too_big;
} fd_source_t;

static int fd_read(void *ctx, char *buf, int len)
{
	fd_source_t *s = ctx;
	ssize_t n;

	do
		n = read(s->fd, buf, (size_t)len);
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		s->errnum = errno;
		return -1;
	}
	s->total += (size_t)n;
	if (s->total > s->max) {
		s->too_big = true;
		return -1;
	}
	return (int)n;
}

static int stream_input(const sim_opts_t *o, vg_sched_input_t **in, vg_error_t *err)
{
	bool std_in = o->xml_pipe || strcmp(o->xml_file, "-") == 0;
	const char *what = std_in ? "standard input" : o->xml_file;
	/* the same limits as the whole-tree loads below */
	fd_source_t src = {.fd = 0, .max = std_in ? VG_CIB_MAX_SIZE : 1024u * 1024 * 1024};
	struct stat st;
	int rc;

	if (!std_in) {
		src.fd = open(o->xml_file, O_RDONLY | O_CLOEXEC);
		if (src.fd < 0 || fstat(src.fd, &st) != 0 || S_ISDIR(st.st_mode)) {
			int e = src.fd < 0 ? errno : (S_ISDIR(st.st_mode) ? EISDIR : errno);

			if (src.fd >= 0)
				close(src.fd);
			return vg_error_set(err, e == ENOENT ? VG_ENOENT : VG_EIO, "%s: %s", what,
			                    g_strerror(e));
		}
	}
	rc = vg_sched_input_read(fd_read, &src, what, in, err);
	if (!std_in)
		close(src.fd);
	if (rc != 0 && src.too_big) {
		vg_error_clear(err);
		return vg_error_set(err, VG_ETOOBIG, "%s: more than %zu bytes", what, src.max);
	}
	if (rc != 0 && src.errnum != 0) {
		vg_error_clear(err);
		return vg_error_set(err, VG_EIO, "%s: %s", what, g_strerror(src.errnum));
	}
	if (rc == 0)
		vg_cib_normalize(vg_sched_input_cib(*in));
	return rc;
}

/*
 * Refuse a configuration that is not valid against the CIB schema, as
 * crm_simulate does, so the scheduler only ever sees well-formed resources
 * and constraints.  The status section is the scheduler's to judge (it is
 * most of a big CIB, and validating it would double the load time).
 * Skipped for validate-with="none" and when the schema files are not
 * installed (running from a build tree without VIGIL_SCHEMA_DIR).
 */
static int validate(xmlNode *cib)
{
	const char *with = vg_xml_get(cib, "validate-with");
	char *rng = g_build_filename(vg_cib_schema_dir(), "vigil-cib.rng", NULL);
	bool have_schema = g_file_test(rng, G_FILE_TEST_IS_REGULAR);
	xmlNode *conf = vg_xml_first(cib, "configuration");
	GPtrArray *all;
	vg_error_t err = {0};
	xmlDoc *copy;
	int rc;

	g_free(rng);
	if (!have_schema || conf == NULL || (with != NULL && strcmp(with, "none") == 0))
		return SIM_EXIT_OK;
	/* The root's attributes and the configuration, with an empty status. */
	copy = xmlNewDoc((const xmlChar *)"1.0");
	xmlDocSetRootElement(copy, xmlDocCopyNode(cib, copy, 2));
	xmlAddChild(xmlDocGetRootElement(copy), xmlDocCopyNode(conf, copy, 1));
	vg_xml_new_child(xmlDocGetRootElement(copy), "status");
	all = g_ptr_array_new_with_free_func(g_free);
	rc = vg_cib_validate(copy, all, &err);
	xmlFreeDoc(copy);
	if (rc == VG_ESCHEMA) {
		for (guint i = 0; i < all->len && i < 10; i++)
			fprintf(stderr, "vigil simulate: %s\n", (char *)g_ptr_array_index(all, i));
		g_ptr_array_unref(all);
		return fail(SIM_EXIT_DATAERR,
		            "the configuration is not valid (%s); fix it, or check it with "
		            "'vigil cib verify'",
		            err.msg);
	}
	g_ptr_array_unref(all);
	return SIM_EXIT_OK;
}

/* "now": -t, else the execution-date the CIB was saved with, else the clock. */
static int effective_now(const sim_opts_t *o, xmlNode *cib, vg_time_t *now)
{
	const char *saved = vg_xml_get(cib, "execution-date");

	if (o->datetime != NULL) {
		if (vg_time_parse(o->datetime, now) != 0)
			return fail(SIM_EXIT_USAGE,
			            "invalid date/time '%s' for -t: use ISO 8601, "
			            "e.g. 2024-05-01T12:00:00Z",
			            o->datetime);
		return 0;
	}
	if (saved != NULL) {
		char *end = NULL;
		long long v = strtoll(saved, &end, 10);

		if (end != saved && *end == '\0') {
			*now = v;
			return 0;
		}
	}
	*now = (vg_time_t)time(NULL);
	return 0;
}

/* The line crm_simulate prints before each status: which "now" is used. */
static void print_date_note(FILE *out, const sim_opts_t *o, xmlNode *cib, vg_time_t now)
{
	char buf[64];

	if (out == NULL)
		return;
	if (o->datetime != NULL)
		fprintf(out, "Setting effective cluster time: %s\n", o->datetime);
	else if (vg_xml_get(cib, "execution-date") != NULL)
		fprintf(out, "Using the original execution date of: %s\n",
		        vg_time_str(now, buf, sizeof(buf)));
}

static bool has_modifications(const sim_opts_t *o)
{
	GPtrArray *lists[] = {o->node_up,        o->node_down,      o->node_fail,
	                      o->op_inject,      o->ticket_grant,   o->ticket_revoke,
	                      o->ticket_standby, o->ticket_activate};

	for (size_t i = 0; i < G_N_ELEMENTS(lists); i++)
		if (lists[i] != NULL && lists[i]->len > 0)
			return true;
	return o->quorum != NULL;
}

static void set_ticket(xmlNode *cib, const char *ticket, const char *attr, const char *value)
{
	xmlNode *st = vg_xml_first(cib, "status");
	xmlNode *tickets, *ts;

	if (st == NULL)
		st = vg_xml_new_child(cib, "status");
	tickets = vg_xml_first(st, "tickets");
	if (tickets == NULL)
		tickets = vg_xml_new_child(st, "tickets");
	ts = vg_xml_find(tickets, "ticket_state", ticket);
	if (ts == NULL) {
		ts = vg_xml_new_child(tickets, "ticket_state");
		vg_xml_set(ts, "id", ticket);
	}
	vg_xml_set(ts, attr, value);
}

typedef struct ticket_change {
	const char *label;
	const char *attr;
	const char *value;
} ticket_change_t;

/* Apply -q, -u, -d, -f, tickets and -i in crm_simulate's order. */
static int modify(xmlNode *cib, const sim_opts_t *o, vg_time_t now, FILE *out)
{
	static const ticket_change_t tickets[] = {
	    {"Granting ticket", "granted", "true"},
	    {"Revoking ticket", "granted", "false"},
	    {"Making standby ticket", "standby", "true"},
	    {"Activating ticket", "standby", "false"},
	};
	GPtrArray *ticket_lists[] = {o->ticket_grant, o->ticket_revoke, o->ticket_standby,
	                             o->ticket_activate};
	int status = SIM_EXIT_OK;

	if (out != NULL)
		fprintf(out, "\nPerforming Requested Modifications:\n");
	if (o->quorum != NULL) {
		bool yes =
		    strcmp(o->quorum, "1") == 0 || g_ascii_strcasecmp(o->quorum, "true") == 0;

		if (out != NULL)
			fprintf(out, "  * Setting quorum: %s\n", o->quorum);
		vg_xml_set(cib, "have-quorum", yes ? "1" : "0");
	}
	for (guint i = 0; o->node_up && i < o->node_up->len; i++) {
		const char *n = g_ptr_array_index(o->node_up, i);

		if (out != NULL)
			fprintf(out, "  * Bringing node %s online\n", n);
		vg_history_node_up(cib, n, SIM_ORIGIN);
	}
	for (guint i = 0; o->node_down && i < o->node_down->len; i++) {
		const char *n = g_ptr_array_index(o->node_down, i);

		if (out != NULL)
			fprintf(out, "  * Taking node %s offline\n", n);
		vg_history_node_down(cib, n, SIM_ORIGIN);
	}
	for (guint i = 0; o->node_fail && i < o->node_fail->len; i++) {
		const char *n = g_ptr_array_index(o->node_fail, i);

		if (out != NULL)
			fprintf(out, "  * Failing node %s\n", n);
		vg_history_node_fail(cib, n, SIM_ORIGIN);
	}
	for (size_t k = 0; k < G_N_ELEMENTS(tickets); k++) {
		for (guint i = 0; ticket_lists[k] && i < ticket_lists[k]->len; i++) {
			const char *t = g_ptr_array_index(ticket_lists[k], i);

			if (out != NULL)
				fprintf(out, "  * %s %s\n", tickets[k].label, t);
			set_ticket(cib, t, tickets[k].attr, tickets[k].value);
		}
	}
	for (guint i = 0; o->op_inject && i < o->op_inject->len; i++) {
		const char *spec = g_ptr_array_index(o->op_inject, i);
		vg_error_t err = {0};

		if (out != NULL)
			fprintf(out, "  * Injecting %s into the configuration\n", spec);
		sim_print_failure(out, cib, spec, now);
		if (vg_history_inject_op(cib, spec, now, SIM_ORIGIN, &err) != 0)
			status = fail(SIM_EXIT_USAGE, "%s", err.msg);
	}
	return status;
}

static int save_xml(const char *path, const xmlNode *n, const char *what)
{
	char *text = vg_xml_dump(n, true);
	GError *gerr = NULL;
	int status = SIM_EXIT_OK;

	if (!g_file_set_contents(path, text, -1, &gerr)) {
		status = fail(SIM_EXIT_CANTCREAT, "cannot save the %s to %s: %s", what, path,
		              gerr->message);
		g_error_free(gerr);
	}
	g_free(text);
	return status;
}

static int save_text(const char *path, const char *text, const char *what)
{
	GError *gerr = NULL;

	if (!g_file_set_contents(path, text, -1, &gerr)) {
		int status = fail(SIM_EXIT_CANTCREAT, "cannot save the %s to %s: %s", what, path,
		                  gerr->message);

		g_error_free(gerr);
		return status;
	}
	return SIM_EXIT_OK;
}

/* `in` when the CIB was streamed (its history is there), else NULL. */
static int schedule(xmlNode *cib, const vg_sched_input_t *in, vg_time_t now, const sim_opts_t *o,
                    vg_sched_result_t **r)
{
	vg_sched_options_t opts = {0};
	vg_error_t err = {0};
	int rc;

	opts.show_scores = o->show_scores;
	opts.show_utilization = o->show_utilization;
	rc = in != NULL ? vg_sched_run_input(in, now, &opts, r, &err)
	                : vg_sched_run(cib, now, &opts, r, &err);
	if (rc != 0 || *r == NULL)
		return fail(SIM_EXIT_DATAERR, "cannot schedule this CIB: %s",
		            err.msg[0] ? err.msg : vg_strerror(err.code));
	return SIM_EXIT_OK;
}

/* The "priority" meta attribute of a resource element (or the default). */
static int meta_priority(const xmlNode *rsc, int dflt)
{
	const xmlNode *meta, *nv;

	VG_XML_FOREACH(meta, rsc, "meta_attributes")
	VG_XML_FOREACH(nv, meta, "nvpair")
	{
		const char *name = vg_xml_get(nv, "name");
		const char *value = vg_xml_get(nv, "value");

		if (name != NULL && value != NULL && strcmp(name, "priority") == 0)
			return (int)strtol(value, NULL, 10);
	}
	return dflt;
}

typedef struct prio_item {
	const vg_sched_rsc_view_t *rsc;
	int priority;
	guint index;
} prio_item_t;

static gint prio_cmp(gconstpointer a, gconstpointer b)
{
	const prio_item_t *x = a, *y = b;

	if (x->priority != y->priority)
		return x->priority > y->priority ? -1 : 1;
	return x->index < y->index ? -1 : (x->index > y->index);
}

/*
 * crm_simulate lists top-level resources by their "priority" meta attribute
 * (highest first, configuration order among equals).  The view keeps
 * configuration order, so sort a copy of the list here.
 */
static GPtrArray *by_priority(const vg_sched_cluster_view_t *v, xmlNode *cib)
{
	xmlNode *conf = vg_xml_first(cib, "configuration");
	xmlNode *rscs = conf ? vg_xml_first(conf, "resources") : NULL;
	xmlNode *defaults = conf ? vg_xml_first(conf, "rsc_defaults") : NULL;
	int dflt = defaults != NULL ? meta_priority(defaults, 0) : 0;
	GHashTable *by_id = g_hash_table_new(g_str_hash, g_str_equal);
	GArray *items = g_array_new(FALSE, FALSE, sizeof(prio_item_t));
	GPtrArray *sorted = g_ptr_array_new();
	xmlNode *n;

	for (n = rscs ? vg_xml_first(rscs, NULL) : NULL; n != NULL; n = vg_xml_next(n, NULL))
		if (vg_xml_get(n, "id") != NULL)
			g_hash_table_insert(by_id, (gpointer)vg_xml_get(n, "id"), n);
	for (guint i = 0; i < v->resources->len; i++) {
		prio_item_t it = {g_ptr_array_index(v->resources, i), dflt, i};
		xmlNode *x = g_hash_table_lookup(by_id, it.rsc->id);

		if (x != NULL)
			it.priority = meta_priority(x, dflt);
		g_array_append_val(items, it);
	}
	g_array_sort(items, prio_cmp);
	for (guint i = 0; i < items->len; i++)
		g_ptr_array_add(sorted, (gpointer)g_array_index(items, prio_item_t, i).rsc);
	g_array_free(items, TRUE);
	g_hash_table_destroy(by_id);
	return sorted;
}

static void print_status(FILE *out, const char *heading, const vg_sched_result_t *r, bool banner,
                         xmlNode *cib)
{
	const vg_sched_cluster_view_t *rv = vg_sched_result_cluster(r);
	vg_sched_cluster_view_t copy;
	const vg_sched_cluster_view_t *v = rv;
	GPtrArray *sorted = NULL;
	GString *s = g_string_new(NULL);

	if (rv != NULL) {
		copy = *rv;
		sorted = by_priority(rv, cib);
		copy.resources = sorted;
		v = &copy;
	}

	if (banner && v != NULL)
		vg_sched_print_banner(s, v);
	g_string_append_printf(s, "%s\n", heading);
	/* Like crm_simulate: operations in flight show in the current status
	 * only (the revised one is after the simulated transition). */
	if (v != NULL)
		vg_sched_print_status(s, v, banner ? VG_PRINT_PENDING : 0);
	fputs(s->str, out);
	g_string_free(s, TRUE);
	if (sorted != NULL)
		g_ptr_array_free(sorted, TRUE);
}

static void print_summary(FILE *out, const vg_sched_result_t *r, const sim_opts_t *o)
{
	const GPtrArray *lines = vg_sched_result_summary(r);

	if (o->show_scores || o->show_utilization) {
		char *scores = vg_sched_result_scores(r);

		if (scores != NULL && *scores != '\0')
			fprintf(out, "\nAllocation scores:\n%s%s", scores,
			        g_str_has_suffix(scores, "\n") ? "" : "\n");
		g_free(scores);
	}
	fprintf(out, "\nTransition Summary:\n");
	for (guint i = 0; lines != NULL && i < lines->len; i++)
		fprintf(out, "  %s\n", (const char *)g_ptr_array_index(lines, i));
}

static int save_artifacts(const vg_sched_result_t *r, const sim_opts_t *o)
{
	xmlNode *gx = vg_sched_result_graph(r);
	int status = SIM_EXIT_OK;

	if (o->save_graph != NULL && gx != NULL)
		status = save_xml(o->save_graph, gx, "transition graph");
	if (o->save_dot != NULL && gx != NULL) {
		vg_graph_t *g = NULL;
		vg_error_t err = {0};

		if (vg_graph_unpack(gx, &g, &err) == 0) {
			char *dot = vg_graph_dot(g);

			if (status == SIM_EXIT_OK)
				status = save_text(o->save_dot, dot, "dot file");
			g_free(dot);
			vg_graph_free(g);
		} else {
			status = fail(SIM_EXIT_SOFTWARE, "%s", err.msg);
		}
	}
	return status;
}

/* Schedule, simulate, print the revised status; the CIB is updated. */
static int run_and_simulate(xmlNode *cib, vg_time_t now, const sim_opts_t *o, FILE *out,
                            vg_sched_result_t *r)
{
	vg_sched_result_t *revised = NULL;
	vg_error_t err = {0};
	int st, status = SIM_EXIT_OK;

	if (out != NULL)
		print_summary(out, r, o);
	status = save_artifacts(r, o);
	if (!o->simulate && !o->in_place)
		return status;
	if (out != NULL)
		fprintf(out, "\nExecuting Cluster Transition:\n");
	st = sim_execute(cib, r, o, now, out, &err);
	if (st < 0)
		return fail(SIM_EXIT_SOFTWARE, "cannot execute the transition graph: %s", err.msg);
	if (st == VG_GRAPH_TERMINATED) {
		fprintf(stderr, "Transition failed: %s\n", vg_graph_status_str(st));
		fprintf(stderr, "An invalid transition was produced\n");
		status = SIM_EXIT_SOFTWARE;
	}
	if (out != NULL) {
		int rc = schedule(cib, NULL, now, o, &revised);

		if (rc != SIM_EXIT_OK)
			return rc;
		print_date_note(out, o, cib, now);
		fputc('\n', out);
		print_status(out, "Revised Cluster Status:", revised, false, cib);
		vg_sched_result_free(revised);
	}
	return status;
}

int sim_main(const sim_opts_t *o)
{
	xmlDoc *doc = NULL;
	vg_sched_input_t *in = NULL;
	xmlNode *cib;
	vg_error_t err = {0};
	vg_sched_result_t *r = NULL;
	FILE *out = o->quiet ? NULL : stdout;
	vg_time_t now = 0;
	bool mods = has_modifications(o);
	int status;

	if ((only_schedules(o) ? stream_input(o, &in, &err) : load_input(o, &doc, &err)) != 0)
		return fail(err.code == VG_ENOENT || err.code == VG_EIO ? SIM_EXIT_NOINPUT
		                                                        : SIM_EXIT_DATAERR,
		            "%s", err.msg[0] ? err.msg : vg_strerror(err.code));
	cib = in != NULL ? vg_sched_input_cib(in) : xmlDocGetRootElement(doc);
	if (vg_cib_upgrade(cib, NULL, NULL, &err) != 0) {
		fprintf(stderr, "vigil simulate: warning: %s (using the CIB as it is)\n", err.msg);
		vg_error_clear(&err);
	}
	status = validate(cib);
	if (status != SIM_EXIT_OK)
		goto out;
	status = effective_now(o, cib, &now);
	if (status != SIM_EXIT_OK)
		goto out;
	if (out != NULL) {
		status = schedule(cib, in, now, o, &r);
		if (status != SIM_EXIT_OK)
			goto out;
		print_date_note(out, o, cib, now);
		print_status(out, "Current cluster status:", r, true, cib);
	}
	if (mods) {
		vg_sched_result_free(r);
		r = NULL;
		status = modify(cib, o, now, out);
		if (status != SIM_EXIT_OK)
			goto out;
		print_date_note(out, o, cib, now);
	}
	if (o->save_input != NULL && (status = save_xml(o->save_input, cib, "input")) != 0)
		goto out;
	if (o->run || o->simulate || o->in_place) {
		if (r == NULL && (status = schedule(cib, in, now, o, &r)) != SIM_EXIT_OK)
			goto out;
		status = run_and_simulate(cib, now, o, out, r);
	}
	if (o->save_output != NULL) {
		int rc = save_xml(o->save_output, cib, "output CIB");

		if (status == SIM_EXIT_OK)
			status = rc;
	}
	if (o->in_place && !o->xml_pipe && strcmp(o->xml_file, "-") != 0) {
		int rc = save_xml(o->xml_file, cib, "CIB");

		if (status == SIM_EXIT_OK)
			status = rc;
	}
out:
	vg_sched_result_free(r);
	vg_sched_input_free(in);
	xmlFreeDoc(doc);
	return status;
}
