/*
 * sched_driver: a minimal crm_simulate-style front end to libvigil-sched for
 * the conformance runner and the unit tests: `sched_driver -x CIB [-S] [-R]
 * [-t DATE]` prints "Transition Summary:" and "Executing Cluster
 * Transition:" (every action of the graph, in graph order).
 *
 * Not the real tool (that is `vigil simulate`); no history injection.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define VG_LOG_SUBSYS "sched-driver"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <vigil/common.h>
#include <vigil/sched.h>

static void print_action(const xmlNode *a)
{
	const char *op = vg_xml_get(a, "operation");
	const char *node = vg_xml_get(a, "on_node");
	xmlNode *prim = vg_xml_first(a, "primitive");
	xmlNode *attrs = vg_xml_first(a, "attributes");
	const char *iv = attrs != NULL ? vg_xml_get(attrs, "CRM_meta_interval") : NULL;

	if (vg_xml_is(a, "crm_event") && !g_strcmp0(op, "stonith")) {
		printf("  * Fencing %s (%s)\n", node,
		       attrs ? vg_xml_get(attrs, "CRM_meta_stonith_action") : "reboot");
	} else if (vg_xml_is(a, "crm_event")) {
		printf("  * Cluster action:  %s on %s\n", op, node);
	} else if (vg_xml_is(a, "pseudo_event")) {
		printf("  * Pseudo action:   %s\n", vg_xml_get(a, "operation_key"));
	} else if (iv != NULL && strcmp(iv, "0") != 0) {
		printf("  * Resource action: %-15s %s=%s on %s\n", vg_xml_get(prim, "id"), op, iv,
		       node);
	} else {
		printf("  * Resource action: %-15s %s on %s\n", vg_xml_get(prim, "id"), op, node);
	}
}

int main(int argc, char **argv)
{
	const char *file = NULL, *date = NULL;
	xmlDoc *doc = NULL;
	vg_error_t err = {0};
	vg_sched_result_t *res = NULL;
	vg_sched_options_t opts = {0};
	vg_time_t now;
	const GPtrArray *sum;
	xmlNode *g, *syn, *set, *a;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-x") && i + 1 < argc)
			file = argv[++i];
		else if (!strcmp(argv[i], "-t") && i + 1 < argc)
			date = argv[++i];
		else if (!strcmp(argv[i], "-s"))
			opts.show_scores = true;
	}
	if (file == NULL) {
		fprintf(stderr, "usage: sched_driver -x CIB [-S] [-t DATE]\n");
		return 2;
	}
	if (vg_xml_parse_file(file, NULL, &doc, &err) < 0) {
		fprintf(stderr, "sched_driver: %s\n", err.msg);
		return 1;
	}
	now = (vg_time_t)time(NULL);
	if (date == NULL)
		date = vg_xml_get(xmlDocGetRootElement(doc), "execution-date");
	if (date != NULL) {
		vg_time_t t;
		if (g_ascii_isdigit(date[0]) && strchr(date, '-') == NULL)
			now = g_ascii_strtoll(date, NULL, 10);
		else if (vg_time_parse(date, &t) == 0)
			now = t;
	}
	struct timespec t0, t1;
	if (getenv("SCHED_DRIVER_TIME") != NULL) {
		char line[256] = "";
		FILE *f = fopen("/proc/self/status", "r");
		while (f != NULL && fgets(line, sizeof(line), f) != NULL)
			if (!strncmp(line, "VmRSS:", 6))
				fprintf(stderr, "before run %s", line);
		if (f != NULL)
			fclose(f);
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	int rc = vg_sched_run(xmlDocGetRootElement(doc), now, &opts, &res, &err);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (getenv("SCHED_DRIVER_TIME") != NULL) {
		char line[256] = "";
		FILE *f = fopen("/proc/self/status", "r");
		while (f != NULL && fgets(line, sizeof(line), f) != NULL)
			if (!strncmp(line, "VmHWM:", 6) || !strncmp(line, "VmRSS:", 6))
				fprintf(stderr, "%s", line);
		if (f != NULL)
			fclose(f);
		fprintf(stderr, "vg_sched_run: %.3f s\n",
		        (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	}
	if (rc < 0) {
		fprintf(stderr, "sched_driver: %s\n", err.msg);
		xmlFreeDoc(doc);
		return 1;
	}
	if (opts.show_scores) {
		char *sc = vg_sched_result_scores(res);
		printf("%s", sc);
		g_free(sc);
	}
	printf("Transition Summary:\n");
	sum = vg_sched_result_summary(res);
	for (guint i = 0; i < sum->len; i++)
		printf("  %s\n", (const char *)sum->pdata[i]);
	printf("\nExecuting Cluster Transition:\n");
	g = vg_sched_result_graph(res);
	VG_XML_FOREACH(syn, g, "synapse")
	VG_XML_FOREACH(set, syn, "action_set")
	for (a = vg_xml_first(set, NULL); a != NULL; a = vg_xml_next(a, NULL))
		print_action(a);
	printf("\nRevised Cluster Status:\n");
	vg_sched_result_free(res);
	xmlFreeDoc(doc);
	return 0;
}
