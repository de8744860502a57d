/*
 * `vigil node`: standby, online, maintenance, shutdown and list for the
 * nodes of the running cluster.  standby/maintenance are the node
 * attributes of those names (permanent, like crm_standby); shutdown asks the
 * node to move its resources away and leave.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "vigil_live.h"
#include "vigil_tool.h"

#define PROG "node"

static const char usage_text[] =
    "Usage: vigil node COMMAND [NODE]\n\n"
    "  standby [NODE]             move every resource off NODE (attribute standby=on)\n"
    "  online [NODE]              let NODE run resources again (standby=off)\n"
    "  maintenance [NODE] [on|off] stop managing NODE's resources (default on)\n"
    "  shutdown [NODE]            move NODE's resources away, then stop NODE\n"
    "  list                       every node: state, standby, DC\n\n"
    "NODE defaults to this node ($VIGIL_INSTANCE).\n\n"
    "  -h, --help                 show this help\n\n"
    "Exit status: 0 done, 1 error, 2 usage, 69 the node is not running.\n";

static int set_attr(vg_client_t *c, const char *node, const char *name, const char *value)
{
	vg_error_t err = {0};
	int rc = vg_client_attr_set(c, node, name, value, true, 0, &err);
	return rc ? vg_live_fail(PROG, rc, &err) : 0;
}

static int list(vg_client_t *c)
{
	vg_live_view_t lv;
	int code = vg_live_view(c, PROG, &lv);
	if (code)
		return code;
	for (guint i = 0; i < lv.v->nodes->len; i++) {
		const vg_sched_node_view_t *n = g_ptr_array_index(lv.v->nodes, i);
		const char *state = n->unclean ? "UNCLEAN" : n->online ? "online" : "offline";
		printf("%s\t%s\t%s%s%s%s\n", n->name, n->id ? n->id : "", state,
		       n->standby ? " standby" : "", n->maintenance ? " maintenance" : "",
		       g_strcmp0(n->name, lv.st.dc) == 0 ? " (DC)" : "");
	}
	vg_live_view_free(&lv);
	return 0;
}

int vg_tool_node(int argc, char **argv)
{
	vg_error_t err = {0};
	int code = 2;
	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		fputs(usage_text, argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	const char *cmd = argv[1], *node = argc > 2 ? argv[2] : NULL;
	/* Check the words before connecting, so a typo is a usage error that
	 * says so rather than a connection error. */
	static const struct {
		const char *name;
		int max_argc;
	} words[] = {
	    {"standby", 3}, {"online", 3}, {"maintenance", 4}, {"shutdown", 3}, {"list", 2}};
	const char *why = "unknown command";
	for (size_t i = 0; i < G_N_ELEMENTS(words); i++)
		if (strcmp(cmd, words[i].name) == 0)
			why = argc <= words[i].max_argc ? NULL : "too many arguments for";
	for (int i = 1; i < argc; i++)
		if (argv[i][0] == '-') {
			why = "unknown option";
			cmd = argv[i];
		}
	if (why) {
		fprintf(stderr, "vigil node: %s '%s'\n", why, cmd);
		fputs(usage_text, stderr);
		return 2;
	}
	vg_client_t *c = vg_live_connect(PROG);
	if (!c)
		return 69;
	if (strcmp(cmd, "standby") == 0 && argc <= 3) {
		code = set_attr(c, node, "standby", "on");
	} else if (strcmp(cmd, "online") == 0 && argc <= 3) {
		code = set_attr(c, node, "standby", "off");
	} else if (strcmp(cmd, "maintenance") == 0 && argc <= 4) {
		const char *v = argc > 3 ? argv[3] : "on";
		if (node && (strcmp(node, "on") == 0 || strcmp(node, "off") == 0)) {
			v = node;
			node = NULL;
		}
		code = set_attr(c, node, "maintenance", strcmp(v, "off") == 0 ? "off" : "on");
	} else if (strcmp(cmd, "shutdown") == 0 && argc <= 3) {
		int rc = vg_client_node_shutdown(c, node, &err);
		code = rc ? vg_live_fail(PROG, rc, &err) : 0;
	} else if (strcmp(cmd, "list") == 0 && argc == 2) {
		code = list(c);
	} else {
		fputs(usage_text, stderr);
	}
	vg_client_free(c);
	return code;
}
