/*
 * `vigil resource`: operate on resources of the running cluster.  Every
 * command is a CIB change the DC acts on (target-role, cli-prefer/cli-ban
 * location constraints, crm_resource's names), a history cleanup, or a
 * read of the cluster state.  One table maps subcommands to handlers.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <vigil/cib.h>

#include "vigil_live.h"
#include "vigil_tool.h"

#define PROG   "resource"
#define WAIT_S 120

static const char usage_text[] =
    "Usage: vigil resource COMMAND RESOURCE [NODE]\n\n"
    "  start RSC           allow RSC to run (target-role=Started)\n"
    "  stop RSC            stop RSC (target-role=Stopped)\n"
    "  restart RSC         stop RSC, wait until it is stopped, start it again\n"
    "  move RSC [NODE]     run RSC on NODE (constraint cli-prefer-RSC); without\n"
    "                      NODE: away from where it runs now (a ban)\n"
    "  ban RSC [NODE]      keep RSC off NODE (default: where it runs now)\n"
    "  clear RSC           remove the constraints move and ban created\n"
    "  cleanup RSC [NODE]  forget RSC's failures and history, re-probe it\n"
    "  locate RSC          print where RSC runs\n"
    "  failcount RSC [NODE]  print RSC's fail-counts per node\n\n"
    "  -h, --help          show this help\n\n"
    "Exit status: 0 done, 1 error, 2 usage, 69 the node is not running,\n"
    "105 no such resource.\n";

typedef int (*rsc_fn)(vg_client_t *c, const char *rsc, const char *node);

static int constraint(vg_client_t *c, const char *id, const char *rsc, const char *node,
                      const char *score)
{
	vg_error_t err = {0};
	char *xp = g_strdup_printf("//constraints/rsc_location[@id='%s']", id);
	int rc = vg_client_cib_write(c, "delete", NULL, xp, NULL, 0, &err);
	g_free(xp);
	if (rc != 0 && rc != VG_ENOENT)
		return vg_live_fail(PROG, rc, &err);
	vg_error_clear(&err);
	xmlDoc *d = xmlNewDoc((const xmlChar *)"1.0");
	xmlNode *loc = vg_xml_new_child(NULL, "rsc_location");
	xmlDocSetRootElement(d, loc);
	vg_xml_set(loc, "id", id);
	vg_xml_set(loc, "rsc", rsc);
	vg_xml_set(loc, "node", node);
	vg_xml_set(loc, "score", score);
	rc = vg_client_cib_write(c, "create", "constraints", NULL, loc, 0, &err);
	xmlFreeDoc(d);
	return rc ? vg_live_fail(PROG, rc, &err) : 0;
}

static int set_role(vg_client_t *c, const char *rsc, const char *role)
{
	vg_error_t err = {0};
	int rc = vg_live_set_meta(c, rsc, "target-role", role, &err);
	return rc ? vg_live_fail(PROG, rc, &err) : 0;
}

static int do_start(vg_client_t *c, const char *rsc, const char *node)
{
	return set_role(c, rsc, "Started");
}

static int do_stop(vg_client_t *c, const char *rsc, const char *node)
{
	return set_role(c, rsc, "Stopped");
}

/* Where RSC runs now (first node), g_strdup'd; NULL when stopped. */
static char *current_node(vg_client_t *c, const char *rsc, int *code)
{
	vg_live_view_t lv;
	char *node = NULL;
	*code = vg_live_view(c, PROG, &lv);
	if (*code)
		return NULL;
	const vg_sched_rsc_view_t *r = vg_live_find_rsc(lv.v, rsc);
	if (!r) {
		fprintf(stderr, "vigil resource: no resource '%s'\n", rsc);
		*code = 105;
	} else {
		GPtrArray *nodes = vg_live_rsc_nodes(r);
		if (nodes->len)
			node = g_strdup(g_ptr_array_index(nodes, 0));
		g_ptr_array_unref(nodes);
	}
	vg_live_view_free(&lv);
	return node;
}

static int do_restart(vg_client_t *c, const char *rsc, const char *node)
{
	int code = do_stop(c, rsc, node);
	if (code)
		return code;
	for (int i = 0; i < WAIT_S * 5; i++) {
		char *where = current_node(c, rsc, &code);
		if (code)
			return code;
		if (!where)
			return do_start(c, rsc, node);
		g_free(where);
		g_usleep(200 * 1000);
	}
	fprintf(stderr, "vigil resource: %s did not stop within %d s\n", rsc, WAIT_S);
	return 1;
}

static int do_ban(vg_client_t *c, const char *rsc, const char *node)
{
	int code = 0;
	char *where = node ? g_strdup(node) : current_node(c, rsc, &code);
	if (code)
		return code;
	if (!where) {
		fprintf(stderr, "vigil resource: %s is not running; give the NODE to ban it from\n",
		        rsc);
		return 1;
	}
	char *id = g_strdup_printf("cli-ban-%s-on-%s", rsc, where);
	code = constraint(c, id, rsc, where, "-INFINITY");
	if (!code)
		printf("%s is now banned from %s (constraint %s); 'vigil resource clear %s' "
		       "removes it\n",
		       rsc, where, id, rsc);
	g_free(id);
	g_free(where);
	return code;
}

static int do_move(vg_client_t *c, const char *rsc, const char *node)
{
	if (!node)
		return do_ban(c, rsc, NULL);
	char *id = g_strdup_printf("cli-prefer-%s", rsc);
	int code = constraint(c, id, rsc, node, "INFINITY");
	g_free(id);
	return code;
}

static int do_clear(vg_client_t *c, const char *rsc, const char *node)
{
	vg_error_t err = {0};
	char *xp = g_strdup_printf("//constraints/rsc_location[@id='cli-prefer-%s' or "
	                           "starts-with(@id, 'cli-ban-%s-on-')]",
	                           rsc, rsc);
	int rc = vg_client_cib_write(c, "delete", NULL, xp, NULL, VG_CIB_F_ALL_MATCHES, &err);
	g_free(xp);
	return rc && rc != VG_ENOENT ? vg_live_fail(PROG, rc, &err) : 0;
}

static int do_cleanup(vg_client_t *c, const char *rsc, const char *node)
{
	vg_error_t err = {0};
	int rc = vg_client_cleanup(c, rsc, node, &err);
	if (rc)
		return vg_live_fail(PROG, rc, &err);
	printf("Cleaned up %s on %s\n", rsc, node ? node : "all nodes");
	return 0;
}

static int do_locate(vg_client_t *c, const char *rsc, const char *node)
{
	vg_live_view_t lv;
	int code = vg_live_view(c, PROG, &lv);
	if (code)
		return code;
	const vg_sched_rsc_view_t *r = vg_live_find_rsc(lv.v, rsc);
	if (!r) {
		fprintf(stderr, "vigil resource: no resource '%s'\n", rsc);
		vg_live_view_free(&lv);
		return 105;
	}
	GPtrArray *nodes = vg_live_rsc_nodes(r);
	if (nodes->len == 0)
		printf("resource %s is NOT running\n", rsc);
	for (guint i = 0; i < nodes->len; i++)
		printf("resource %s is running on: %s\n", rsc,
		       (const char *)g_ptr_array_index(nodes, i));
	g_ptr_array_unref(nodes);
	vg_live_view_free(&lv);
	return 0;
}

static int do_failcount(vg_client_t *c, const char *rsc, const char *node)
{
	vg_live_view_t lv;
	int code = vg_live_view(c, PROG, &lv);
	if (code)
		return code;
	char *prefix = g_strdup_printf("fail-count-%s#", rsc);
	xmlNode *st = vg_cib_section(xmlDocGetRootElement(lv.cib), "status", false), *ns;
	if (st)
		VG_XML_FOREACH(ns, st, "node_state")
		{
			const char *uname = vg_xml_get(ns, "uname");
			if (node && g_strcmp0(uname, node) != 0)
				continue;
			int total = 0;
			xmlNode *ta = vg_xml_first(ns, "transient_attributes"), *set, *p;
			if (ta)
				VG_XML_FOREACH(set, ta, "instance_attributes")
			VG_XML_FOREACH(p, set, "nvpair")
			if (g_str_has_prefix(vg_xml_get(p, "name") ? vg_xml_get(p, "name") : "",
			                     prefix)) {
				int v = 0;
				vg_score_parse(vg_xml_get(p, "value"), &v);
				total = vg_score_add(total, v);
			}
			char buf[16];
			printf("scope=status  name=fail-count-%s node=%s value=%s\n", rsc, uname,
			       vg_score_str(total, buf));
		}
	g_free(prefix);
	vg_live_view_free(&lv);
	return 0;
}

static const struct {
	const char *name;
	rsc_fn fn;
	bool node_ok;
} commands[] = {
    {"start", do_start, false},    {"stop", do_stop, false},     {"restart", do_restart, false},
    {"move", do_move, true},       {"ban", do_ban, true},        {"clear", do_clear, false},
    {"cleanup", do_cleanup, true}, {"locate", do_locate, false}, {"failcount", do_failcount, true},
};

int vg_tool_resource(int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		fputs(usage_text, argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	for (int i = 2; i < argc; i++)
		if (argv[i][0] == '-') {
			fprintf(stderr, "vigil resource: unknown option '%s'\n", argv[i]);
			fputs(usage_text, stderr);
			return 2;
		}
	for (size_t i = 0; i < G_N_ELEMENTS(commands); i++) {
		if (strcmp(argv[1], commands[i].name) != 0)
			continue;
		if (argc < 3 || argc > 4 || (argc == 4 && !commands[i].node_ok)) {
			fprintf(stderr, "vigil resource: %s takes RESOURCE%s\n", commands[i].name,
			        commands[i].node_ok ? " [NODE]" : "");
			fputs(usage_text, stderr);
			return 2;
		}
		vg_client_t *c = vg_live_connect(PROG);
		if (!c)
			return 69;
		int code = commands[i].fn(c, argv[2], argc == 4 ? argv[3] : NULL);
		vg_client_free(c);
		return code;
	}
	fprintf(stderr, "vigil resource: unknown command '%s'\n", argv[1]);
	fputs(usage_text, stderr);
	return 2;
}
