/*
 * `vigil membership [--xml]`: what the heartbeat layer of this node sees --
 * the view, quorum, every configured node with its link per medium, and the
 * counters of dropped packets by reason.  Asks vigil-hbd of the instance in
 * VIGIL_INSTANCE (hb-status over IPC).  --xml prints the report as vigil-hbd
 * produces it (format in vigil-membership(8)); the text form is for people.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include <vigil/common.h>

#include "vigil_tool.h"

static void usage(FILE *f)
{
	fprintf(f, "Usage: vigil membership [--xml] [--instance NAME]\n"
	           "\n"
	           "Show the heartbeat layer's view of the cluster: view id, quorum, each\n"
	           "configured node with its links per medium, and dropped packets by reason.\n"
	           "\n"
	           "  -X, --xml            print the XML report (stable, for scripts)\n"
	           "      --inject-loss PERCENT   lab only: drop this share of received packets\n"
	           "      --inject-block \"ID:udp|serial|all ...\"  lab only: ignore these peers\n"
	           "                              (both need \"fault_injection on\" in ha.cf)\n"
	           "  -i, --instance NAME  ask this node's vigil-hbd (default $VIGIL_INSTANCE)\n"
	           "  -h, --help           this text\n");
}

static void print_text(xmlNode *root)
{
	xmlNode *n, *l;
	bool first = true;

	printf("view %s: %s (%s of %s votes)\n", vg_xml_get(root, "view-id"),
	       strcmp(vg_xml_get(root, "quorate"), "true") == 0 ? "quorate" : "NOT quorate",
	       vg_xml_get(root, "votes"), vg_xml_get(root, "expected-votes"));
	VG_XML_FOREACH(n, root, "node")
	{
		printf("  %-12s id %-4s %s\n", vg_xml_get(n, "name"), vg_xml_get(n, "id"),
		       strcmp(vg_xml_get(n, "member"), "true") == 0 ? "member" : "not a member");
		VG_XML_FOREACH(l, n, "link")
		printf("      %-28s %-16s %s\n", vg_xml_get(l, "medium"), vg_xml_get(l, "peer"),
		       strcmp(vg_xml_get(l, "up"), "true") == 0 ? "up" : "down");
	}
	printf("dropped packets:");
	VG_XML_FOREACH(n, root, "drops")
	{
		printf("%s %s %s", first ? "" : ",", vg_xml_get(n, "reason"),
		       vg_xml_get(n, "count"));
		first = false;
	}
	printf("\n");
}

int vg_tool_membership(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"xml", no_argument, NULL, 'X'},
	    {"instance", required_argument, NULL, 'i'},
	    {"help", no_argument, NULL, 'h'},
	    {"inject-loss", required_argument, NULL, 'L'},
	    {"inject-block", required_argument, NULL, 'B'},
	    {NULL, 0, NULL, 0},
	};
	const char *loss = NULL, *block = NULL;
	const char *instance = vg_ipc_default_instance();
	bool xml = false;
	vg_error_t err = {0};
	vg_ipc_client_t *c;
	vg_msg_t *req, *reply = NULL;
	xmlNode *root;
	int opt, rc;
	int64_t r = -1;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "Xi:h", opts, NULL)) != -1) {
		switch (opt) {
		case 'X':
			xml = true;
			break;
		case 'i':
			instance = optarg;
			break;
		case 'L':
			loss = optarg;
			break;
		case 'B':
			block = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "vigil membership: unexpected argument '%s'\n", argv[optind]);
		usage(stderr);
		return 2;
	}
	c = vg_ipc_connect("hbd", instance, &err);
	if (c == NULL) {
		fprintf(stderr, "vigil membership: %s (is vigil-hbd running for instance %s?)\n",
		        err.msg, instance);
		return 1;
	}
	req = vg_msg_new(loss || block ? "hb-fault" : "hb-status");
	if (loss != NULL)
		vg_msg_set(req, "loss", loss);
	if (block != NULL)
		vg_msg_set(req, "block", block);
	rc = vg_ipc_call(c, req, &reply, 5000, &err);
	vg_msg_free(req);
	vg_ipc_disconnect(c);
	if (rc == 0 && (vg_msg_get_int(reply, "rc", &r) != 0 || r != 0))
		rc = vg_error_set(&err, VG_EPROTO, "vigil-hbd refused: %s",
		                  vg_msg_get(reply, "reason") ? vg_msg_get(reply, "reason") : "?");
	if (rc == 0 && (loss || block)) {
		vg_msg_free(reply);
		return 0;
	}
	root = rc == 0 ? vg_msg_xml(reply) : NULL;
	if (rc == 0 && root == NULL)
		rc = vg_error_set(&err, VG_EPROTO, "vigil-hbd sent no report");
	if (rc != 0) {
		fprintf(stderr, "vigil membership: %s\n", err.msg);
		vg_msg_free(reply);
		return 1;
	}
	if (xml) {
		char *s = vg_xml_dump(root, true);

		fputs(s, stdout);
		if (s[0] && s[strlen(s) - 1] != '\n')
			putchar('\n');
		g_free(s);
	} else {
		print_text(root);
	}
	vg_msg_free(reply);
	return 0;
}
