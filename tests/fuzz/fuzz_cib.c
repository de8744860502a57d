/*
 * Fuzz target for libvigil-cib: parse a CIB, upgrade it, verify it, then
 * diff it against its upgraded form and replay the patch on the original.
 * Anything may be rejected; nothing may crash, leak or disagree (a patch
 * that was just computed must apply and give the upgraded document).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <vigil/cib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	xmlDoc *doc = NULL, *up, *patch = NULL;
	GPtrArray *findings;
	vg_error_t err = {0};
	bool changed = false;

	if (vg_cib_parse((const char *)data, size, "fuzz", &doc, &err) != 0)
		return 0;
	findings = vg_cib_findings_new();
	vg_cib_verify(xmlDocGetRootElement(doc), findings);
	g_ptr_array_unref(findings);
	up = xmlCopyDoc(doc, 1);
	if (vg_cib_upgrade(xmlDocGetRootElement(up), &changed, NULL, &err) == 0 &&
	    vg_cib_diff(xmlDocGetRootElement(doc), xmlDocGetRootElement(up), VG_CIB_DIFF_DIGEST,
	                &patch, &err) == 0 &&
	    patch != NULL) {
		if (vg_cib_patch(xmlDocGetRootElement(doc), xmlDocGetRootElement(patch), &err) != 0)
			abort(); /* a fresh patch must replay */
	}
	xmlFreeDoc(patch);
	xmlFreeDoc(up);
	xmlFreeDoc(doc);
	return 0;
}
