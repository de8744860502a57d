/*
 * `vigil ra`: resource agents installed on this node.
 *   list [CLASS[:PROVIDER]]        agents, one "class:provider:type" per line
 *   providers                      OCF providers
 *   info [--xml] AGENT             parameters and actions from the meta-data
 *   run [-t SECONDS] AGENT ACTION [NAME=VALUE...]
 *                                  run one action here and now, without the
 *                                  cluster (like an admin running the script
 *                                  by hand, but with the OCF environment)
 * AGENT is CLASS:PROVIDER:TYPE (ocf) or CLASS:TYPE (lsb).  Everything runs
 * locally through lib/exec; nothing talks to a daemon.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <vigil/exec.h>

#include "vigil_tool.h"

static void usage(FILE *out)
{
	fprintf(out,
	        "Usage: vigil ra COMMAND ...\n\n"
	        "Resource agents installed on this node (OCF under $OCF_ROOT, default\n"
	        "/usr/lib/ocf; LSB init scripts under /etc/init.d).\n\n"
	        "  list [CLASS[:PROVIDER]]   list agents (e.g. 'ocf', 'ocf:heartbeat', 'lsb')\n"
	        "  providers                 list OCF providers\n"
	        "  info [--xml] AGENT        show an agent's parameters and actions\n"
	        "                            (--xml: its raw meta-data)\n"
	        "  run [-t|--timeout SECS] AGENT ACTION [NAME=VALUE...]\n"
	        "                            run one action locally with the OCF environment;\n"
	        "                            NAME=VALUE are parameters (meta.NAME=VALUE: meta\n"
	        "                            attributes); exits with the agent's OCF code\n\n"
	        "AGENT is CLASS:PROVIDER:TYPE for OCF (ocf:heartbeat:IPaddr2) and\n"
	        "CLASS:TYPE for LSB (lsb:ssh).  stonith agents are shown by 'vigil fence'.\n\n"
	        "  -h, --help                show this help\n");
}

typedef struct agent {
	char *klass, *provider, *type;
	char **parts;
} agent_t;

static bool agent_parse(const char *spec, agent_t *a)
{
	memset(a, 0, sizeof(*a));
	a->parts = g_strsplit(spec, ":", 3);
	if (a->parts[0] == NULL || a->parts[1] == NULL)
		goto bad;
	a->klass = a->parts[0];
	if (strcmp(a->klass, "ocf") == 0) {
		if (a->parts[2] == NULL)
			goto bad;
		a->provider = a->parts[1];
		a->type = a->parts[2];
	} else {
		if (a->parts[2] != NULL)
			goto bad;
		a->type = a->parts[1];
	}
	return true;
bad:
	fprintf(stderr,
	        "vigil ra: '%s' is not CLASS:PROVIDER:TYPE (ocf) or CLASS:TYPE (lsb), e.g. "
	        "ocf:heartbeat:IPaddr2; 'vigil ra list' shows the installed agents\n",
	        spec);
	g_strfreev(a->parts);
	return false;
}

static int cmd_list(int argc, char **argv)
{
	char **sel = argc > 1 ? g_strsplit(argv[1], ":", 2) : NULL;
	GPtrArray *list;

	if (sel != NULL && strcmp(sel[0], "ocf") != 0 && strcmp(sel[0], "lsb") != 0) {
		fprintf(stderr, "vigil ra list: unknown class '%s' (ocf, lsb)\n", sel[0]);
		g_strfreev(sel);
		return 2;
	}
	list = vg_exec_agent_list(sel ? sel[0] : NULL, sel ? sel[1] : NULL, NULL);
	for (guint i = 0; i < list->len; i++)
		printf("%s\n", (const char *)list->pdata[i]);
	g_ptr_array_unref(list);
	g_strfreev(sel);
	return 0;
}

static int cmd_providers(void)
{
	GPtrArray *list = vg_exec_provider_list(NULL);

	for (guint i = 0; i < list->len; i++)
		printf("%s\n", (const char *)list->pdata[i]);
	g_ptr_array_unref(list);
	return 0;
}

static void print_ms(const char *label, uint64_t ms)
{
	if (ms == 0)
		return;
	if (ms % 1000 == 0)
		printf("  %s %" G_GUINT64_FORMAT "s", label, ms / 1000);
	else
		printf("  %s %" G_GUINT64_FORMAT "ms", label, ms);
}

static void print_meta(const char *spec, const vg_ra_meta_t *m)
{
	printf("%s", spec);
	if (m->version != NULL)
		printf(" (version %s)", m->version);
	printf("\n%s\n", m->shortdesc ? m->shortdesc : "");
	printf("\nParameters (* required, ! unique):\n");
	if (m->params->len == 0)
		printf("  none\n");
	for (guint i = 0; i < m->params->len; i++) {
		const vg_ra_param_t *p = m->params->pdata[i];
		char *sd = g_strdup(p->shortdesc ? p->shortdesc : "");

		g_strdelimit(sd, "\n\t", ' ');
		printf("  %s%s%-20s %-8s", p->required ? "*" : " ", p->unique ? "!" : " ", p->name,
		       p->type);
		if (p->default_value != NULL && *p->default_value)
			printf(" [%s]", p->default_value);
		if (*sd)
			printf("  %s", sd);
		printf("\n");
		g_free(sd);
	}
	printf("\nActions:\n");
	for (guint i = 0; i < m->actions->len; i++) {
		const vg_ra_action_t *a = m->actions->pdata[i];

		printf("  %-14s", a->name);
		print_ms("timeout", a->timeout_ms);
		print_ms("interval", a->interval_ms);
		if (a->role != NULL)
			printf("  role %s", a->role);
		if (a->depth > 0)
			printf("  depth %d", a->depth);
		printf("\n");
	}
}

static int cmd_info(int argc, char **argv)
{
	bool xml = argc > 1 && strcmp(argv[1], "--xml") == 0;
	const char *spec = argv[xml ? 2 : 1];
	vg_error_t err = {0};
	vg_ra_meta_t *m = NULL;
	char *text = NULL;
	agent_t a;
	int rc;

	if (spec == NULL) {
		usage(stderr);
		return 2;
	}
	if (!agent_parse(spec, &a))
		return 2;
	rc = vg_exec_meta_fetch(a.klass, a.provider, a.type, NULL, &text, &err);
	if (rc == VG_OK && xml) {
		fputs(text, stdout);
	} else if (rc == VG_OK) {
		rc = vg_exec_meta_parse(text, strlen(text), &m, &err);
		if (rc == VG_OK)
			print_meta(spec, m);
		vg_exec_meta_free(m);
	}
	if (rc != VG_OK)
		fprintf(stderr, "vigil ra info: %s: %s\n", spec, err.msg);
	g_free(text);
	g_strfreev(a.parts);
	return rc == VG_OK ? 0 : rc == VG_ENOENT ? 5 : 1;
}

static int cmd_run(int argc, char **argv)
{
	static const struct option opts[] = {{"timeout", required_argument, NULL, 't'},
	                                     {"help", no_argument, NULL, 'h'},
	                                     {NULL, 0, NULL, 0}};
	GHashTable *params = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	GHashTable *meta = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	vg_exec_agent_op_t op = {.timeout_ms = 20000, .params = params, .meta = meta};
	vg_exec_agent_result_t res;
	agent_t a;
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "+t:h", opts, NULL)) != -1) {
		switch (c) {
		case 't':
			op.timeout_ms = (uint64_t)(strtod(optarg, NULL) * 1000);
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (argc - optind < 2 || !agent_parse(argv[optind], &a)) {
		usage(stderr);
		return 2;
	}
	for (int i = optind + 2; i < argc; i++) {
		char *eq = strchr(argv[i], '=');
		bool is_meta = g_str_has_prefix(argv[i], "meta.");
		const char *name = is_meta ? argv[i] + 5 : argv[i];

		if (eq == NULL) {
			fprintf(stderr, "vigil ra run: '%s' is not NAME=VALUE\n", argv[i]);
			return 2;
		}
		g_hash_table_replace(is_meta ? meta : params, g_strndup(name, (gsize)(eq - name)),
		                     g_strdup(eq + 1));
	}
	op.klass = a.klass;
	op.provider = a.provider;
	op.type = a.type;
	op.rsc_id = a.type;
	op.action = argv[optind + 1];
	vg_exec_agent_run_sync(&op, &res);
	if (res.out != NULL && *res.out)
		fputs(res.out, stdout);
	if (res.err != NULL && *res.err)
		fputs(res.err, stderr);
	fprintf(stderr, "%s %s: %s, rc %d (%s)%s%s\n", argv[optind], op.action,
	        vg_exec_op_status_name(res.status), res.rc, vg_exec_ocf_rc_name(res.rc),
	        res.exit_reason ? ": " : "", res.exit_reason ? res.exit_reason : "");
	c = res.rc;
	vg_exec_agent_result_clear(&res);
	g_hash_table_destroy(params);
	g_hash_table_destroy(meta);
	g_strfreev(a.parts);
	return c;
}

int vg_tool_ra(int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	if (strcmp(argv[1], "list") == 0)
		return cmd_list(argc - 1, argv + 1);
	if (strcmp(argv[1], "providers") == 0 && argc > 2) {
		fprintf(stderr, "vigil ra providers: takes no arguments ('%s')\n", argv[2]);
		return 2;
	}
	if (strcmp(argv[1], "providers") == 0)
		return cmd_providers();
	if (strcmp(argv[1], "info") == 0)
		return cmd_info(argc - 1, argv + 1);
	if (strcmp(argv[1], "run") == 0)
		return cmd_run(argc - 1, argv + 1);
	fprintf(stderr, "vigil ra: unknown command '%s'; see 'vigil ra --help'\n", argv[1]);
	return 2;
}
