/*
 * helper_node.c: crm_node.  -n prints this node's name (also without a
 * running controller: the instance name), -i its id, -l the known nodes
 * ("ID NAME STATE"), -p the names in this partition, -q 1 or 0 for quorum.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include <vigil/client.h>

#include "helper_private.h"

int helper_crm_node(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"name", no_argument, NULL, 'n'},
	    {"cluster-id", no_argument, NULL, 'i'},
	    {"list", no_argument, NULL, 'l'},
	    {"partition", no_argument, NULL, 'p'},
	    {"quorum", no_argument, NULL, 'q'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	char what = 0;
	int o;
	vg_error_t err = {0};

	optind = 1;
	while ((o = getopt_long(argc, argv, "nilpqAh", opts, NULL)) != -1) {
		switch (o) {
		case 'n':
		case 'i':
		case 'l':
		case 'p':
		case 'q':
			what = (char)o;
			break;
		case 'A':
			break;
		case 'h':
			printf(
			    "Usage: crm_node -n|-i|-l|-p|-q\n"
			    "Print what the local vigil controller knows about the nodes.\n\n"
			    "  -n, --name        this node's name (the instance name when the\n"
			    "                    controller is not running)\n"
			    "  -i, --cluster-id  this node's id\n"
			    "  -l, --list        every known node: ID NAME member|lost\n"
			    "  -p, --partition   the names of the nodes in this partition\n"
			    "  -q, --quorum      1 when the partition has quorum (exit 0), else 0\n"
			    "                    (exit 3)\n"
			    "  -A                accepted for Pacemaker compatibility, ignored\n"
			    "  -h, --help        show this help\n\n"
			    "Exit status: 0 done, 3 no quorum (-q), 64 usage, 69 the controller\n"
			    "is not running, 1 other errors.  See vigil-agent-helper(8).\n");
			return 0;
		default:
			fprintf(stderr, "crm_node: run 'crm_node --help' for the options\n");
			return HELPER_EXIT_USAGE;
		}
	}
	if (!what) {
		fprintf(stderr, "crm_node: give one of -n -i -l -p -q\n");
		return HELPER_EXIT_USAGE;
	}
	vg_client_t *c = vg_client_connect(NULL, &err);
	if (!c && what == 'n') {
		printf("%s\n", vg_ipc_default_instance());
		return 0;
	}
	if (!c) {
		fprintf(stderr, "crm_node: %s\n", err.msg);
		return HELPER_EXIT_UNAVAIL;
	}
	xmlDoc *doc = NULL;
	char *local = NULL;
	uint32_t id = 0;
	bool quorum = false;
	int rc = vg_client_peers(c, &doc, &local, &id, &quorum, &err);
	vg_client_free(c);
	if (rc != 0) {
		fprintf(stderr, "crm_node: %s\n", err.msg);
		return HELPER_EXIT_ERROR;
	}
	int code = 0;
	xmlNode *n;
	switch (what) {
	case 'n':
		printf("%s\n", local);
		break;
	case 'i':
		printf("%u\n", id);
		break;
	case 'q':
		printf("%d\n", quorum ? 1 : 0);
		code = quorum ? 0 : HELPER_EXIT_NOQUORUM;
		break;
	case 'l':
		VG_XML_FOREACH(n, xmlDocGetRootElement(doc), "node")
		printf("%s %s %s\n", vg_xml_get(n, "id"), vg_xml_get(n, "name"),
		       g_strcmp0(vg_xml_get(n, "member"), "true") == 0 ? "member" : "lost");
		break;
	case 'p': {
		bool first = true;
		VG_XML_FOREACH(n, xmlDocGetRootElement(doc), "node")
		if (g_strcmp0(vg_xml_get(n, "member"), "true") == 0) {
			printf("%s%s", first ? "" : " ", vg_xml_get(n, "name"));
			first = false;
		}
		printf("\n");
		break;
	}
	}
	xmlFreeDoc(doc);
	g_free(local);
	return code;
}
