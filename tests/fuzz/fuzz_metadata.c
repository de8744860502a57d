/*
 * Fuzz target: agent meta-data parsing (vg_exec_meta_parse), the one parser
 * that reads what resource agents print.  Whatever the input, the parser
 * returns a document or an error; a document is walked fully so a bad
 * pointer in it shows up under the sanitizers.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdint.h>
#include <string.h>

#include <vigil/exec.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	vg_ra_meta_t *m = NULL;
	size_t total = 0;

	if (vg_exec_meta_parse((const char *)data, size, &m, NULL) != VG_OK)
		return 0;
	for (guint i = 0; i < m->params->len; i++) {
		const vg_ra_param_t *p = m->params->pdata[i];

		total += strlen(p->name) + strlen(p->type);
		total += p->default_value ? strlen(p->default_value) : 0;
	}
	for (guint i = 0; i < m->actions->len; i++) {
		const vg_ra_action_t *a = m->actions->pdata[i];

		total += strlen(a->name) + (size_t)a->timeout_ms;
	}
	(void)total;
	vg_exec_meta_free(m);
	return 0;
}
