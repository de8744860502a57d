/*
 * exec_lsb.c: meta-data for LSB init scripts.  Init scripts have no
 * meta-data action; their "### BEGIN INIT INFO" comment block (LSB 3.1,
 * "Comment Conventions for Init Scripts") names and describes them.  We turn
 * that block into a <resource-agent> document with the standard actions so
 * `vigil ra info lsb:NAME` and the meta-data cache treat both classes alike.
 * Only the first 64 KiB of the script are read; it is never executed here.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <vigil/exec.h>

#include "exec_internal.h"

#define LSB_HEAD_MAX (64 * 1024)

static const struct {
	const char *name;
	const char *timeout;
	const char *interval;
} lsb_actions[] = {
    {"start", "15s", NULL},    {"stop", "15s", NULL},         {"status", "15s", NULL},
    {"restart", "15s", NULL},  {"force-reload", "15s", NULL}, {"monitor", "15s", "15s"},
    {"meta-data", "5s", NULL},
};

/* Value of "# Key: value" inside the INIT INFO block (g_malloc'd) or NULL. */
static char *lsb_field(const char *head, const char *key)
{
	const char *start = strstr(head, "### BEGIN INIT INFO");
	const char *end = start != NULL ? strstr(start, "### END INIT INFO") : NULL;
	size_t klen = strlen(key);

	if (end == NULL)
		return NULL;
	for (const char *p = start; p != NULL && p < end; p = strchr(p + 1, '\n')) {
		const char *l = *p == '\n' ? p + 1 : p;

		if (*l != '#')
			continue;
		l++;
		while (*l == ' ' || *l == '\t')
			l++;
		if (strncmp(l, key, klen) == 0 && l[klen] == ':') {
			char *v = g_strndup(l + klen + 1, strcspn(l + klen + 1, "\n"));
			return g_strstrip(v);
		}
	}
	return NULL;
}

char *vg__exec_lsb_metadata(const char *type, const char *path)
{
	char head[LSB_HEAD_MAX + 1] = "";
	FILE *f = fopen(path, "r");
	xmlNode *root, *n, *acts;
	char *shortdesc, *desc, *xml;
	size_t len = 0;

	if (f != NULL) {
		len = fread(head, 1, LSB_HEAD_MAX, f);
		fclose(f);
	}
	head[len] = '\0';
	shortdesc = lsb_field(head, "Short-Description");
	desc = lsb_field(head, "Description");

	root = vg_xml_new_child(NULL, "resource-agent");
	vg_xml_set(root, "name", type);
	vg_xml_set(root, "version", "1.0");
	n = vg_xml_new_child(root, "version");
	xmlNodeSetContent(n, BAD_CAST "1.0");
	n = vg_xml_new_child(root, "longdesc");
	vg_xml_set(n, "lang", "en");
	xmlNodeAddContent(n, BAD_CAST(desc ? desc : (shortdesc ? shortdesc : type)));
	n = vg_xml_new_child(root, "shortdesc");
	vg_xml_set(n, "lang", "en");
	xmlNodeAddContent(n, BAD_CAST(shortdesc ? shortdesc : type));
	vg_xml_new_child(root, "parameters");
	acts = vg_xml_new_child(root, "actions");
	for (size_t i = 0; i < G_N_ELEMENTS(lsb_actions); i++) {
		n = vg_xml_new_child(acts, "action");
		vg_xml_set(n, "name", lsb_actions[i].name);
		vg_xml_set(n, "timeout", lsb_actions[i].timeout);
		if (lsb_actions[i].interval != NULL)
			vg_xml_set(n, "interval", lsb_actions[i].interval);
	}
	xml = vg_xml_dump(root, true);
	xmlFreeNode(root);
	g_free(shortdesc);
	g_free(desc);
	return xml;
}
