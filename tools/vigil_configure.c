/*
 * `vigil configure`: the configuration of the running cluster.  This version
 * handles XML only: `show` prints the configuration, `load replace FILE`
 * replaces the whole CIB configuration with the one in FILE (a <cib>, or a
 * <configuration>), `load update FILE` merges it.  The crm-style language is
 * not implemented yet and says so.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <vigil/cib.h>

#include "crmconf_private.h"
#include "vigil_live.h"
#include "vigil_tool.h"

#define PROG "configure"

static const char usage_text[] =
    "Usage: vigil configure show\n"
    "       vigil configure load replace|update FILE\n\n"
    "  show                 print the cluster's configuration (XML)\n"
    "  load replace FILE    replace the configuration with FILE's (a CIB or a\n"
    "                       <configuration> in XML; '-' reads stdin)\n"
    "  load update FILE     merge FILE's configuration into the current one\n\n"
    "The crm-style configuration language is not available in this version;\n"
    "use XML here or 'vigil cib'.\n";

static int load(vg_client_t *c, const char *how, const char *file)
{
	vg_error_t err = {0};
	xmlDoc *doc = NULL;
	char *text = NULL;
	gsize len = 0;
	GError *gerr = NULL;
	bool ok = strcmp(file, "-") == 0 ? false : g_file_get_contents(file, &text, &len, &gerr);
	if (strcmp(file, "-") == 0) {
		GString *s = g_string_new(NULL);
		char buf[65536];
		size_t n;
		while ((n = fread(buf, 1, sizeof(buf), stdin)) > 0)
			g_string_append_len(s, buf, (gssize)n);
		len = s->len;
		text = g_string_free(s, FALSE);
		ok = true;
	}
	if (!ok) {
		fprintf(stderr, "vigil configure: %s\n", gerr->message);
		g_error_free(gerr);
		return 1;
	}
	int rc = vg_xml_parse(text, len, file, NULL, &doc, &err);
	g_free(text);
	if (rc)
		return vg_live_fail(PROG, rc, &err);
	xmlNode *root = xmlDocGetRootElement(doc);
	xmlNode *cfg = vg_xml_is(root, "cib") ? vg_xml_first(root, "configuration") : root;
	if (!cfg || !vg_xml_is(cfg, "configuration")) {
		xmlFreeDoc(doc);
		fprintf(stderr, "vigil configure: %s holds neither a <cib> nor a <configuration>\n",
		        file);
		return 1;
	}
	rc = vg_client_cib_write(c, strcmp(how, "replace") == 0 ? "replace" : "modify",
	                         "configuration", NULL, cfg, 0, &err);
	xmlFreeDoc(doc);
	return rc ? vg_live_fail(PROG, rc, &err) : 0;
}

int vg_tool_configure(int argc, char **argv)
{
	/* The crm-style language (crmconf_cmd.c) takes every command except a
	 * live XML load from a file, which stays here. */
	int crm_code;
	if (vg_crmconf_dispatch(argc, argv, &crm_code))
		return crm_code;
	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		fputs(usage_text, argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	bool show = strcmp(argv[1], "show") == 0 && argc == 2;
	bool ld = strcmp(argv[1], "load") == 0 && argc == 4 &&
	          (strcmp(argv[2], "replace") == 0 || strcmp(argv[2], "update") == 0);
	if (!show && !ld) {
		fprintf(stderr, "vigil configure: the crm-style language is not available in this "
		                "version; see 'vigil configure --help'\n");
		return 2;
	}
	vg_client_t *c = vg_live_connect(PROG);
	if (!c)
		return 69;
	int code = 0;
	if (show) {
		vg_error_t err = {0};
		xmlDoc *doc = NULL;
		int rc = vg_client_cib_query(c, "configuration", NULL, &doc, &err);
		if (rc) {
			code = vg_live_fail(PROG, rc, &err);
		} else {
			char *s = vg_xml_dump(xmlDocGetRootElement(doc), true);
			fputs(s, stdout);
			g_free(s);
			xmlFreeDoc(doc);
		}
	} else {
		code = load(c, argv[2], argv[3]);
	}
	vg_client_free(c);
	return code;
}
