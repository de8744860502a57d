/*
 * graph_walk: execute a saved transition graph in simulation and print the
 * actions the way `crm_simulate -S` lists them under "Executing Cluster
 * Transition:".  Tests use it to check the graph walker against graphs
 * saved by crm_simulate -G, independently of the scheduler core.
 *
 * Usage: graph_walk GRAPH.xml [CIB.xml] [FAIL-KEY...]
 * CIB.xml (the scheduler input) settles how clone instances are named.
 * An action whose "<rsc>_<task>_<interval>@<node>" equals a FAIL-KEY is
 * reported failed (and aborts the graph, as -F does).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <string.h>

#include <vigil/common.h>
#include <vigil/sched.h>

typedef struct walk {
	int argc;
	char **argv;
} walk_t;

static int fire(vg_graph_t *g, vg_graph_action_t *a, void *data)
{
	walk_t *w = data;
	char *text = vg_graph_action_text(a);
	bool failed = false;

	printf("  * %s\n", text);
	g_free(text);
	if (a->type == VG_GRAPH_RSC) {
		char *key = g_strdup_printf("%s_%s_%u@%s", vg_graph_action_rsc_name(a), a->task,
		                            a->interval_ms, a->node ? a->node : "");

		for (int i = 0; i < w->argc; i++)
			if (strcmp(key, w->argv[i]) == 0)
				failed = true;
		g_free(key);
	}
	if (failed)
		vg_graph_abort(g, VG_SCORE_INFINITY, "test failure");
	vg_graph_confirm(g, a, failed);
	return 0;
}

int main(int argc, char **argv)
{
	xmlDoc *doc = NULL;
	vg_error_t err = {0};
	vg_graph_t *g = NULL;
	xmlDoc *cib = NULL;
	walk_t w = {argc - 2, argv + 2};
	vg_graph_status_t st;

	if (argc < 2) {
		fprintf(stderr, "usage: graph_walk GRAPH.xml [FAIL-KEY...]\n");
		return 64;
	}
	if (vg_xml_parse_file(argv[1], NULL, &doc, &err) != 0 ||
	    vg_graph_unpack(xmlDocGetRootElement(doc), &g, &err) != 0) {
		fprintf(stderr, "graph_walk: %s\n", err.msg);
		xmlFreeDoc(doc);
		return 65;
	}
	if (argc > 2 && g_str_has_suffix(argv[2], ".xml")) {
		if (vg_xml_parse_file(argv[2], NULL, &cib, &err) != 0) {
			fprintf(stderr, "graph_walk: %s\n", err.msg);
			return 65;
		}
		vg_graph_use_history(g, xmlDocGetRootElement(cib));
		w.argc--;
		w.argv++;
	}
	printf("Executing Cluster Transition:\n");
	do
		st = vg_graph_execute(g, fire, &w);
	while (st == VG_GRAPH_ACTIVE);
	printf("Graph: %s\n", vg_graph_status_str(st));
	vg_graph_free(g);
	xmlFreeDoc(doc);
	xmlFreeDoc(cib);
	return 0;
}
