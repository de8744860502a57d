/*
 * Fuzz target: what power switches and peers send the fencer.  The first
 * byte picks the parser: Redfish JSON (PowerState, reset target), the
 * ePowerSwitch-style page, the IP-Power-9258-style answer, or a fencing
 * record in XML; the rest is the answer.  Results must be consistent.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <vigil/fencing.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	const char *body = (const char *)data + 1;
	size_t len = size - 1;
	switch (data[0] % 4) {
	case 0: {
		char *ps = vg_fence_redfish_power_state(body, len);
		char *t = vg_fence_redfish_reset_target(body, len);
		if (ps != NULL && strlen(ps) > len)
			abort();
		g_free(ps);
		g_free(t);
		break;
	}
	case 1:
		for (int o = 0; o < 100; o += 7) {
			int st = vg_fence_http_eps_state(body, len, o);
			if (st < -1 || st > 1)
				abort();
		}
		break;
	case 2:
		for (int p = 58; p < 70; p++) {
			int st = vg_fence_http_ippower_state(body, len, p);
			if (st < -1 || st > 1)
				abort();
		}
		break;
	case 3: {
		xmlDoc *doc = NULL;
		vg_fence_record_t *r = NULL;
		if (vg_xml_parse(body, len, "fuzz", NULL, &doc, NULL) != 0)
			break;
		if (vg_fence_record_from_xml(xmlDocGetRootElement(doc), &r, NULL) == 0) {
			xmlNode *x = vg_fence_record_to_xml(r, NULL);
			vg_fence_record_t *again = NULL;
			if (vg_fence_record_from_xml(x, &again, NULL) != 0 ||
			    strcmp(again->id, r->id) != 0 || again->rc != r->rc)
				abort();
			vg_fence_record_free(again);
			xmlFreeNode(x);
			vg_fence_record_free(r);
		}
		xmlFreeDoc(doc);
		break;
	}
	}
	return 0;
}
