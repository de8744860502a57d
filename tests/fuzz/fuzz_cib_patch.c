/*
 * Fuzz target for patches as they arrive from peers: parse the input as a
 * patch and apply it to a small CIB.  Anything may be refused; nothing may
 * crash or leak, and a refused patch must leave the CIB exactly as it was.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <vigil/cib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char base[] =
    "<cib admin_epoch=\"0\" epoch=\"1\" num_updates=\"0\" validate-with=\"pacemaker-4.0\">"
    "<configuration><crm_config/><nodes><node id=\"1\" uname=\"node1\"/></nodes><resources>"
    "<primitive id=\"a\" class=\"ocf\" provider=\"heartbeat\" type=\"Dummy\"/>"
    "<group id=\"g\"><primitive id=\"b\" class=\"ocf\" provider=\"heartbeat\" type=\"Dummy\"/>"
    "</group></resources><constraints/></configuration>"
    "<status><node_state id=\"1\" uname=\"node1\"/><node_state uname=\"x\"/></status></cib>";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	xmlDoc *cib = NULL, *patch = NULL;
	char *before, *after;

	if (vg_xml_parse((const char *)data, size, "patch", NULL, &patch, NULL) != 0)
		return 0;
	if (vg_cib_parse(base, strlen(base), "base", &cib, NULL) != 0)
		abort();
	before = vg_xml_canonical(xmlDocGetRootElement(cib));
	if (vg_cib_patch(xmlDocGetRootElement(cib), xmlDocGetRootElement(patch), NULL) != 0) {
		after = vg_xml_canonical(xmlDocGetRootElement(cib));
		if (strcmp(before, after) != 0)
			abort(); /* a refused patch changed the document */
		g_free(after);
	}
	g_free(before);
	xmlFreeDoc(patch);
	xmlFreeDoc(cib);
	return 0;
}
