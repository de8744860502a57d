/*
 * `vigil explain RESOURCE`: why the cluster placed a resource where it is,
 * or why it is stopped, in sentences.
 *
 * Wiring only: options, the CIB (a file with -x or $CIB_file, else the
 * running cluster through libvigil-client, with the fencer's history when
 * it answers), one scheduler run with show_scores, then explain_why.c
 * builds the report and explain_print.c prints it.  Never changes the CIB.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include <vigil/cib.h>
#include <vigil/client.h>
#include <vigil/fencing.h>

#include "explain_private.h"
#include "vigil_tool.h"

static const char usage_text[] =
    "Usage: vigil explain RESOURCE [-x FILE] [--node NODE] [--xml]\n"
    "\n"
    "Explain where the cluster runs RESOURCE (a primitive, group, clone, group\n"
    "member or clone instance such as rsc:0), where it will run after the pending\n"
    "transition, and why: per node the allocation score and what it is made of\n"
    "(location constraints and rules, stickiness, colocations, failures at\n"
    "migration-threshold, node state, utilization), the reasons it is stopped\n"
    "(target-role, unmanaged, blocked, orders, colocations, quorum, fencing,\n"
    "tickets) and the actions planned for it.\n"
    "\n"
    "Options:\n"
    "  -x, --xml-file FILE  explain the CIB in FILE (default: $CIB_file; else the\n"
    "                       running cluster, through the node in $VIGIL_INSTANCE)\n"
    "  -N, --node NODE      show the score breakdown for NODE only\n"
    "  -X, --xml            print the explanation as XML\n"
    "  -h, --help           this text\n"
    "\n"
    "Exit status: 0 explained, 1 error, 2 usage, 69 cluster not running,\n"
    "105 no such resource.\n";

static int fail(int rc, const vg_error_t *err)
{
	fprintf(stderr, "vigil explain: %s\n", err->msg[0] ? err->msg : vg_strerror(rc));
	return rc == VG_ENOTCONN ? 69 : rc == VG_ENOENT ? 105 : 1;
}

/* The CIB and, live, the DC's name and the fencing history. */
static int load(const char *file, xmlDoc **cib, char **dc, GPtrArray **fences, vg_error_t *err)
{
	if (file)
		return vg_cib_load_file(file, cib, err);
	vg_client_t *c = vg_client_connect(NULL, err);
	if (!c)
		return VG_ENOTCONN;
	vg_client_status_t st = {0};
	int rc = vg_client_status(c, cib, &st, err);
	vg_client_free(c);
	if (rc)
		return rc;
	*dc = g_strdup(st.dc);
	vg_client_status_clear(&st);
	vg_error_t ferr = {0};
	vg_fence_client_t *f = vg_fence_client_connect(NULL, &ferr);
	if (f && vg_fence_client_history(f, NULL, fences, &ferr) != 0)
		*fences = NULL;
	if (f)
		vg_fence_client_free(f);
	return 0;
}

static void ctx_free(ex_ctx_t *ctx)
{
	if (ctx->graph)
		vg_graph_free(ctx->graph);
	vg_sched_result_free(ctx->res);
	if (ctx->ids)
		g_hash_table_destroy(ctx->ids);
	if (ctx->props)
		g_hash_table_destroy(ctx->props);
	if (ctx->fence_history)
		g_ptr_array_unref(ctx->fence_history);
	g_free(ctx->scores);
}

int vg_tool_explain(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"xml-file", required_argument, NULL, 'x'},
	    {"node", required_argument, NULL, 'N'},
	    {"xml", no_argument, NULL, 'X'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	const char *file = g_getenv("CIB_file"), *node = NULL;
	bool xml = false;
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "x:N:Xh", longopts, NULL)) != -1) {
		switch (c) {
		case 'x':
			file = optarg;
			break;
		case 'N':
			node = optarg;
			break;
		case 'X':
			xml = true;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return 0;
		default:
			fputs(usage_text, stderr);
			return 2;
		}
	}
	if (optind != argc - 1) {
		if (optind < argc - 1)
			fprintf(stderr, "vigil explain: one RESOURCE at a time ('%s' is extra)\n",
			        argv[optind + 1]);
		else
			fprintf(stderr, "vigil explain: which resource? give its id\n");
		fputs(usage_text, stderr);
		return 2;
	}
	if (file && !*file)
		file = NULL;
	const char *rsc = argv[optind];

	vg_error_t err = {0};
	xmlDoc *doc = NULL;
	char *dc = NULL;
	ex_ctx_t ctx = {0};
	int rc = load(file, &doc, &dc, &ctx.fence_history, &err);
	if (rc)
		return fail(rc, &err);
	ctx.cib = xmlDocGetRootElement(doc);
	ctx.cfg = vg_xml_first(ctx.cib, "configuration");
	ctx.now = (vg_time_t)(g_get_real_time() / G_USEC_PER_SEC);
	vg_sched_options_t opts = {.show_scores = true, .dc_name = dc};
	rc = vg_sched_run(ctx.cib, ctx.now, &opts, &ctx.res, &err);
	if (rc == 0 && vg_graph_unpack(vg_sched_result_graph(ctx.res), &ctx.graph, &err) != 0)
		ctx.graph = NULL; /* no graph: placement after the transition = now */
	int code = 0;
	if (rc) {
		code = fail(rc, &err);
	} else {
		ctx.v = vg_sched_result_cluster(ctx.res);
		ctx.ids = vg_xml_id_index(ctx.cfg, NULL);
		ctx.scores = vg_sched_result_scores(ctx.res);
		ctx.props = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
		vg_nvset_unpack(vg_xml_first(ctx.cfg, "crm_config"), "cluster_property_set", NULL,
		                "cib-bootstrap-options", false, ctx.props, NULL);
		ex_report_t *rep = NULL;
		rc = ex_report_build(&ctx, rsc, node, &rep, &err);
		if (rc) {
			code = fail(rc, &err);
		} else {
			char *s = xml ? ex_print_xml(&ctx, rep) : ex_print_text(&ctx, rep);
			fputs(s, stdout);
			g_free(s);
			ex_report_free(rep);
		}
	}
	ctx_free(&ctx);
	xmlFreeDoc(doc);
	g_free(dc);
	return code;
}
