/*
 * `vigil status`: the cluster as crm_mon shows it — summary (DC, quorum),
 * nodes, resources, failed actions, fencing history, and why recovery is
 * held up (a lost node that could not be fenced yet).  The controller gives
 * its CIB; the scheduler library reads it the way the DC does; the fencer
 * gives its history.  --xml / --json render the same report
 * (vigil_status_xml.c).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <vigil/cib.h>
#include <vigil/exec.h>
#include <vigil/fencing.h>

#include "vigil_status_private.h"
#include "vigil_tool.h"

enum { OUT_TEXT, OUT_XML, OUT_JSON };

static const char usage_text[] =
    "Usage: vigil status [OPTIONS]\n\n"
    "Show the cluster as this node's controller knows it: DC and quorum, nodes,\n"
    "resources and where they run, failed actions, fencing history.\n\n"
    "  -1, --once            show once and exit (the default)\n"
    "  -w, --watch[=SEC]     redraw every SEC seconds (default 2) until interrupted\n"
    "  -X, --xml             XML with crm_mon --output-as=xml's names\n"
    "  -j, --json            the same content as JSON\n"
    "  -h, --help            show this help\n\n"
    "The node asked is $VIGIL_INSTANCE (default \"local\").\n"
    "Exit status: 0 shown, 1 error, 2 usage, 69 the node is not running.\n";

/* One entry per fencing request: the fencer's history also holds each
 * device attempt ("<request id>.<n>"), which would repeat the result
 * (`vigil fence history` shows those). */
static GPtrArray *fence_history(void)
{
	vg_error_t err = {0};
	GPtrArray *h = NULL;
	vg_fence_client_t *f = vg_fence_client_connect(NULL, &err);
	if (!f)
		return NULL;
	if (vg_fence_client_history(f, NULL, &h, &err) != 0)
		h = NULL;
	vg_fence_client_free(f);
	for (guint i = 0; h && i < h->len;) {
		const vg_fence_record_t *r = g_ptr_array_index(h, i);
		if (r->id && strchr(r->id, '.'))
			g_ptr_array_remove_index(h, i);
		else
			i++;
	}
	return h;
}

static const vg_fence_record_t *last_fence(const status_report_t *r, const char *node)
{
	const vg_fence_record_t *last = NULL;
	for (guint i = 0; r->fence_history && i < r->fence_history->len; i++) {
		const vg_fence_record_t *f = g_ptr_array_index(r->fence_history, i);
		if (g_strcmp0(f->target, node) == 0)
			last = f;
	}
	return last;
}

static void text_fencing(GString *o, const status_report_t *r)
{
	char when[64];
	if (!r->fence_history || r->fence_history->len == 0)
		return;
	g_string_append(o, "\nFencing History:\n");
	for (guint i = r->fence_history->len; i-- > 0;) {
		const vg_fence_record_t *f = g_ptr_array_index(r->fence_history, i);
		const char *act = vg_fence_action_name(f->action);
		vg_time_str(f->completed ? f->completed : f->requested, when, sizeof(when));
		if (f->state == VG_FENCE_DONE)
			g_string_append_printf(o,
			                       "  * %s of %s successful: delegate=%s, origin=%s, "
			                       "completed='%s'\n",
			                       act, f->target, f->executor ? f->executor : "?",
			                       f->origin ? f->origin : "?", when);
		else if (f->state == VG_FENCE_FAILED)
			g_string_append_printf(
			    o, "  * %s of %s failed: origin=%s, last-failed='%s': %s\n", act,
			    f->target, f->origin ? f->origin : "?", when,
			    f->reason ? f->reason : "no reason given");
		else
			g_string_append_printf(o,
			                       "  * %s of %s pending: origin=%s, requested='%s'\n",
			                       act, f->target, f->origin ? f->origin : "?", when);
	}
}

/* Why is the cluster not recovering?  Lost nodes waiting for fencing. */
static void text_held_up(GString *o, const status_report_t *r)
{
	bool header = false;
	for (guint i = 0; i < r->view->nodes->len; i++) {
		const vg_sched_node_view_t *n = g_ptr_array_index(r->view->nodes, i);
		if (!n->unclean)
			continue;
		if (!header)
			g_string_append(o, "\nRecovery held up:\n");
		header = true;
		const vg_fence_record_t *f = last_fence(r, n->name);
		if (f && f->state == VG_FENCE_FAILED)
			g_string_append_printf(o,
			                       "  * %s is UNCLEAN and fencing it failed (%s): its "
			                       "resources stay stopped until fencing succeeds\n",
			                       n->name, f->reason ? f->reason : "no reason given");
		else if (!r->view->stonith_enabled)
			g_string_append_printf(o, "  * %s is UNCLEAN (stonith-enabled=false)\n",
			                       n->name);
		else
			g_string_append_printf(o,
			                       "  * %s is UNCLEAN: waiting for fencing before its "
			                       "resources are recovered\n",
			                       n->name);
	}
	if (!r->st.quorum && r->st.dc)
		g_string_append_printf(o,
		                       "\nThis partition has no quorum: no-quorum-policy=%s "
		                       "applies.\n",
		                       r->view->no_quorum_policy ? r->view->no_quorum_policy
		                                                 : "stop");
}

static char *render_text(const status_report_t *r)
{
	GString *o = g_string_new("Cluster Summary:\n");
	char when[64];
	int nodes = (int)r->view->nodes->len;
	vg_time_str(r->now, when, sizeof(when));
	g_string_append(o, "  * Stack: vigil\n");
	if (r->st.dc)
		g_string_append_printf(o, "  * Current DC: %s - partition %s quorum\n", r->st.dc,
		                       r->st.quorum ? "with" : "WITHOUT");
	else
		g_string_append(o, "  * Current DC: NONE (election in progress)\n");
	g_string_append_printf(o, "  * Last updated: %s on %s\n", when, r->st.node);
	g_string_append_printf(o, "  * %d node%s configured\n\n", nodes, nodes == 1 ? "" : "s");
	vg_sched_print_banner(o, r->view);
	g_string_append(o, "Node List and Resources:\n");
	vg_sched_print_status(o, r->view, VG_PRINT_PENDING | VG_PRINT_FAILED_OPS);
	text_fencing(o, r);
	text_held_up(o, r);
	return g_string_free(o, FALSE);
}

/* One report; returns the exit status. */
static int show(int format)
{
	status_report_t r = {0};
	vg_error_t err = {0};
	xmlDoc *cib = NULL;
	vg_sched_result_t *res = NULL;
	int code = 0;

	vg_client_t *c = vg_client_connect(NULL, &err);
	if (!c) {
		fprintf(stderr, "vigil status: %s\n", err.msg);
		return 69;
	}
	int rc = vg_client_status(c, &cib, &r.st, &err);
	vg_client_free(c);
	if (rc != 0) {
		fprintf(stderr, "vigil status: %s\n", err.msg);
		return 1;
	}
	r.cib = xmlDocGetRootElement(cib);
	r.now = (vg_time_t)(g_get_real_time() / G_USEC_PER_SEC);
	vg_sched_options_t opts = {.dc_name = r.st.dc};
	if (vg_sched_run(r.cib, r.now, &opts, &res, &err) != 0) {
		fprintf(stderr, "vigil status: cannot read the cluster state: %s\n", err.msg);
		code = 1;
		goto out;
	}
	r.view = vg_sched_result_cluster(res);
	r.fence_history = fence_history();
	char *text = NULL;
	if (format == OUT_TEXT) {
		text = render_text(&r);
	} else {
		xmlDoc *x = status_xml(&r);
		text = format == OUT_XML ? vg_xml_dump(xmlDocGetRootElement(x), true)
		                         : status_json(xmlDocGetRootElement(x));
		xmlFreeDoc(x);
	}
	fputs(text, stdout);
	if (format == OUT_XML && text[0] && text[strlen(text) - 1] != '\n')
		fputc('\n', stdout);
	fflush(stdout);
	g_free(text);
out:
	if (r.fence_history)
		g_ptr_array_unref(r.fence_history);
	vg_sched_result_free(res);
	vg_client_status_clear(&r.st);
	xmlFreeDoc(cib);
	return code;
}

int vg_tool_status(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"once", no_argument, NULL, '1'}, {"watch", optional_argument, NULL, 'w'},
	    {"xml", no_argument, NULL, 'X'},  {"json", no_argument, NULL, 'j'},
	    {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0},
	};
	int format = OUT_TEXT, o;
	unsigned watch = 0;
	optind = 1;
	while ((o = getopt_long(argc, argv, "1w::Xjh", opts, NULL)) != -1) {
		switch (o) {
		case '1':
			watch = 0;
			break;
		case 'w':
			watch = optarg ? (unsigned)atoi(optarg) : 2;
			if (optarg &&
			    (atoi(optarg) < 1 || strspn(optarg, "0123456789") != strlen(optarg))) {
				fprintf(stderr,
				        "vigil status: --watch wants a whole number of seconds "
				        "(e.g. --watch=5), not '%s'\n",
				        optarg);
				return 2;
			}
			break;
		case 'X':
			format = OUT_XML;
			break;
		case 'j':
			format = OUT_JSON;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return 0;
		default:
			fputs(usage_text, stderr);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "vigil status: unexpected argument '%s'\n", argv[optind]);
		return 2;
	}
	if (!watch)
		return show(format);
	for (;;) {
		if (isatty(STDOUT_FILENO))
			fputs("\033[H\033[2J", stdout);
		show(format);
		sleep(watch ? watch : 2);
	}
}
