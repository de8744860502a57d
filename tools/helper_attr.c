/*
 * helper_attr.c: crm_attribute, crm_master and attrd_updater on top of the
 * controller's attribute API.  Lifetimes: "reboot" (status, transient) and
 * "forever" (nodes, permanent); crm_attribute -t crm_config edits cluster
 * properties.  Promotion scores are the node attribute "master-<rsc>" with
 * the clone instance suffix (":N") removed, as Pacemaker names them.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <vigil/client.h>

#include "helper_private.h"

typedef struct attr_req {
	const char *prog;
	char *name;
	const char *value;
	const char *node;
	const char *lifetime; /* reboot|forever|crm_config */
	const char *dflt;
	bool del, get, quiet, promotion;
	const char *promo_rsc;
	unsigned dampen_ms;
	bool attrd_style; /* attrd_updater output format */
} attr_req_t;

static int fail(const attr_req_t *r, int rc, const vg_error_t *err)
{
	fprintf(stderr, "%s: %s\n", r->prog, err && err->msg[0] ? err->msg : vg_strerror(rc));
	if (rc == VG_ENOENT)
		return HELPER_EXIT_NOSUCH;
	if (rc == VG_ENOTCONN)
		return HELPER_EXIT_UNAVAIL;
	return HELPER_EXIT_ERROR;
}

static char *promotion_name(const char *rsc)
{
	if (!rsc)
		rsc = g_getenv("OCF_RESOURCE_INSTANCE");
	if (!rsc || !*rsc)
		return NULL;
	char *base = g_strdup(rsc);
	char *colon = strrchr(base, ':');
	if (colon)
		*colon = '\0';
	char *name = g_strdup_printf("master-%s", base);
	g_free(base);
	return name;
}

static bool permanent_of(const attr_req_t *r)
{
	return r->lifetime &&
	       (strcmp(r->lifetime, "forever") == 0 || strcmp(r->lifetime, "nodes") == 0);
}

static int crm_config_op(vg_client_t *c, const attr_req_t *r, vg_error_t *err)
{
	if (r->get) {
		xmlDoc *doc = NULL;
		char *xp = g_strdup_printf("//crm_config//nvpair[@name='%s']", r->name);
		int rc = vg_client_cib_query(c, NULL, xp, &doc, err);
		g_free(xp);
		if (rc == VG_ENOENT && r->dflt) {
			printf("%s\n", r->dflt);
			return 0;
		}
		if (rc != 0)
			return rc;
		xmlNode *n = vg_xml_find(xmlDocGetRootElement(doc), "nvpair", NULL);
		const char *v = n ? vg_xml_get(n, "value") : NULL;
		if (r->quiet)
			printf("%s\n", v ? v : "");
		else
			printf("scope=crm_config  name=%s value=%s\n", r->name, v ? v : "");
		xmlFreeDoc(doc);
		return 0;
	}
	if (r->del) {
		char *xp = g_strdup_printf("//crm_config//nvpair[@name='%s']", r->name);
		int rc = vg_client_cib_write(c, "delete", NULL, xp, NULL, 0x2u, err);
		g_free(xp);
		return rc == VG_ENOENT ? 0 : rc;
	}
	xmlDoc *d = xmlNewDoc((const xmlChar *)"1.0");
	xmlNode *cfg = vg_xml_new_child(NULL, "crm_config");
	xmlDocSetRootElement(d, cfg);
	xmlNode *set = vg_xml_new_child(cfg, "cluster_property_set");
	vg_xml_set(set, "id", "cib-bootstrap-options");
	xmlNode *nv = vg_xml_new_child(set, "nvpair");
	char *id = g_strdup_printf("cib-bootstrap-options-%s", r->name);
	vg_xml_set(nv, "id", id);
	vg_xml_set(nv, "name", r->name);
	vg_xml_set(nv, "value", r->value);
	int rc = vg_client_cib_write(c, "modify", "crm_config", NULL, cfg, 0x1u, err);
	g_free(id);
	xmlFreeDoc(d);
	return rc;
}

static int run(attr_req_t *r)
{
	vg_error_t err = {0};
	int rc;

	if (r->promotion) {
		g_free(r->name);
		r->name = promotion_name(r->promo_rsc);
		if (!r->lifetime)
			r->lifetime = "reboot";
	}
	if (!r->name) {
		fprintf(stderr, "%s: no attribute name given (-n NAME)\n", r->prog);
		return HELPER_EXIT_USAGE;
	}
	if (!r->get && !r->del && !r->value) {
		fprintf(stderr, "%s: nothing to do: give -v VALUE, -D or -G\n", r->prog);
		return HELPER_EXIT_USAGE;
	}
	vg_client_t *c = vg_client_connect(NULL, &err);
	if (!c)
		return fail(r, err.code ? err.code : VG_ENOTCONN, &err);
	if (r->lifetime && strcmp(r->lifetime, "crm_config") == 0) {
		rc = crm_config_op(c, r, &err);
		vg_client_free(c);
		return rc ? fail(r, rc, &err) : HELPER_EXIT_OK;
	}
	bool perm = permanent_of(r);
	if (r->get) {
		char *v = NULL;
		rc = vg_client_attr_get(c, r->node, r->name, perm, &v, &err);
		if (rc == VG_ENOENT && !r->attrd_style && r->dflt) {
			v = g_strdup(r->dflt);
			rc = 0;
		}
		if (rc == 0) {
			if (r->attrd_style)
				printf("name=\"%s\" host=\"%s\" value=\"%s\"\n", r->name,
				       r->node ? r->node : vg_ipc_default_instance(), v);
			else if (r->quiet)
				printf("%s\n", v);
			else
				printf("scope=%s  name=%s value=%s\n", perm ? "nodes" : "status",
				       r->name, v);
		}
		g_free(v);
	} else {
		rc = vg_client_attr_set(c, r->node, r->name, r->del ? NULL : r->value, perm,
		                        r->dampen_ms, &err);
	}
	vg_client_free(c);
	return rc ? fail(r, rc, &err) : HELPER_EXIT_OK;
}

static void attr_usage(FILE *out, const char *prog)
{
	fprintf(out,
	        "Usage: %s [OPTIONS]\n"
	        "Set, query or delete a node attribute through the local vigil controller.\n\n"
	        "  -n, --name NAME        attribute name\n"
	        "  -v, --update VALUE     set the value (also --attr-value VALUE)\n"
	        "  -D, --delete           delete the attribute\n"
	        "  -G, --query            print the value\n"
	        "  -N, --node NODE        node (default: this node)\n"
	        "  -l, --lifetime L       reboot (transient) or forever (permanent)\n"
	        "  -t, --type T           status, nodes or crm_config (cluster property)\n"
	        "  -p, --promotion[=RSC]  the promotion score of RSC (default\n"
	        "                         $OCF_RESOURCE_INSTANCE), lifetime reboot;\n"
	        "                         --master[=RSC] is the old name\n"
	        "  -r, --resource RSC     the resource whose promotion score -p names\n"
	        "  -d, --default VALUE    with -G: print VALUE when unset\n"
	        "  -q, --quiet            with -G: print only the value\n"
	        "  -i, --id ID, -s, --set-name NAME, -A\n"
	        "                         accepted for Pacemaker compatibility, ignored\n"
	        "  -h, --help             show this help\n\n"
	        "Exit status: 0 done, 64 usage, 69 the controller is not running,\n"
	        "105 no such attribute, 1 other errors.  See vigil-agent-helper(8).\n",
	        prog);
}

static int parse_crm_attribute(int argc, char **argv, attr_req_t *r)
{
	static const struct option opts[] = {
	    {"name", required_argument, NULL, 'n'},
	    {"update", required_argument, NULL, 'v'},
	    {"attr-value", required_argument, NULL, 'v'},
	    {"delete", no_argument, NULL, 'D'},
	    {"query", no_argument, NULL, 'G'},
	    {"node", required_argument, NULL, 'N'},
	    {"lifetime", required_argument, NULL, 'l'},
	    {"type", required_argument, NULL, 't'},
	    {"promotion", optional_argument, NULL, 'p'},
	    {"master", optional_argument, NULL, 'p'},
	    {"default", required_argument, NULL, 'd'},
	    {"quiet", no_argument, NULL, 'q'},
	    {"resource", required_argument, NULL, 'r'},
	    {"id", required_argument, NULL, 'i'},
	    {"set-name", required_argument, NULL, 's'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	int o;
	optind = 1;
	while ((o = getopt_long(argc, argv, "n:v:DGN:l:t:p::d:qr:i:s:Ah", opts, NULL)) != -1) {
		switch (o) {
		case 'n':
			g_free(r->name);
			r->name = g_strdup(optarg);
			break;
		case 'v':
			r->value = optarg;
			break;
		case 'D':
			r->del = true;
			break;
		case 'G':
			r->get = true;
			break;
		case 'N':
			r->node = optarg;
			break;
		case 'l':
			r->lifetime = optarg;
			break;
		case 't':
			r->lifetime = strcmp(optarg, "status") == 0  ? "reboot"
			              : strcmp(optarg, "nodes") == 0 ? "forever"
			                                             : optarg;
			break;
		case 'p':
			r->promotion = true;
			r->promo_rsc = optarg;
			break;
		case 'r':
			r->promo_rsc = optarg;
			break;
		case 'd':
			r->dflt = optarg;
			break;
		case 'q':
			r->quiet = true;
			break;
		case 'i':
		case 's':
		case 'A':
			break;
		case 'h':
			attr_usage(stdout, r->prog);
			return -1;
		default:
			attr_usage(stderr, r->prog);
			return HELPER_EXIT_USAGE;
		}
	}
	return 0;
}

int helper_crm_attribute(int argc, char **argv)
{
	attr_req_t r = {.prog = "crm_attribute"};
	int rc = parse_crm_attribute(argc, argv, &r);
	if (rc == 0) {
		/* Without -l/-t, a node attribute given with -N is permanent and a
		 * bare name is a cluster property, as in Pacemaker. */
		if (!r.lifetime && !r.promotion)
			r.lifetime = r.node ? "forever" : "crm_config";
		rc = run(&r);
	} else if (rc < 0) {
		rc = 0;
	}
	g_free(r.name);
	return rc;
}

int helper_crm_master(int argc, char **argv)
{
	attr_req_t r = {.prog = "crm_master", .promotion = true};
	int rc = parse_crm_attribute(argc, argv, &r);
	if (rc == 0)
		rc = run(&r);
	else if (rc < 0)
		rc = 0;
	g_free(r.name);
	return rc;
}

static void attrd_usage(FILE *out)
{
	fputs("Usage: attrd_updater -n NAME (-U VALUE | -D | -Q) [OPTIONS]\n"
	      "Update, delete or query a transient node attribute through the local\n"
	      "vigil controller.\n\n"
	      "  -n, --name NAME         attribute name\n"
	      "  -U, --update VALUE      set the value (also -v VALUE)\n"
	      "  -B, --update-both VALUE the same as --update (vigil has no separate\n"
	      "                          dampening value to update)\n"
	      "  -D, --delete            delete the attribute\n"
	      "  -Q, --query             print name=\"..\" host=\"..\" value=\"..\"\n"
	      "  -d, --delay DELAY       dampen the update by DELAY (e.g. 5s, 500ms)\n"
	      "  -N, --node NODE         node (default: this node)\n"
	      "  -l, --lifetime L        reboot (default) or forever\n"
	      "  -p, --private, -A, --all, -R, --refresh, -q\n"
	      "                          accepted for Pacemaker compatibility, ignored\n"
	      "  -h, --help              show this help\n\n"
	      "Exit status: 0 done, 64 usage, 69 the controller is not running,\n"
	      "105 no such attribute, 1 other errors.  See vigil-agent-helper(8).\n",
	      out);
}

int helper_attrd_updater(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"name", required_argument, NULL, 'n'},
	    {"update", required_argument, NULL, 'U'},
	    {"update-both", required_argument, NULL, 'B'},
	    {"delete", no_argument, NULL, 'D'},
	    {"query", no_argument, NULL, 'Q'},
	    {"delay", required_argument, NULL, 'd'},
	    {"node", required_argument, NULL, 'N'},
	    {"lifetime", required_argument, NULL, 'l'},
	    {"private", no_argument, NULL, 'p'},
	    {"all", no_argument, NULL, 'A'},
	    {"refresh", no_argument, NULL, 'R'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	attr_req_t r = {.prog = "attrd_updater", .attrd_style = true, .lifetime = "reboot"};
	int o, rc;
	uint64_t ms;
	while ((o = getopt_long(argc, argv, "n:U:B:v:DQd:N:l:pARqh", opts, NULL)) != -1) {
		switch (o) {
		case 'n':
			g_free(r.name);
			r.name = g_strdup(optarg);
			break;
		case 'U':
		case 'B':
		case 'v':
			r.value = optarg;
			break;
		case 'D':
			r.del = true;
			break;
		case 'Q':
			r.get = true;
			break;
		case 'd':
			if (!*optarg) /* an agent's unset dampen parameter: no delay */
				break;
			if (vg_interval_parse_ms(optarg, &ms) != 0) {
				fprintf(stderr,
				        "attrd_updater: --delay wants an interval such as 5s or "
				        "500ms, not '%s'\n",
				        optarg);
				g_free(r.name);
				return HELPER_EXIT_USAGE;
			}
			r.dampen_ms = (unsigned)ms;
			break;
		case 'N':
			r.node = optarg;
			break;
		case 'l':
			r.lifetime = optarg;
			break;
		case 'p':
		case 'A':
		case 'R':
		case 'q':
			break;
		case 'h':
			attrd_usage(stdout);
			g_free(r.name);
			return 0;
		default:
			fprintf(stderr,
			        "attrd_updater: run 'attrd_updater --help' for the options\n");
			g_free(r.name);
			return HELPER_EXIT_USAGE;
		}
	}
	rc = run(&r);
	g_free(r.name);
	return rc;
}
