/*
 * Fuzz target: the safe XML parser, then canonical form and id index of
 * whatever it accepts; the canonical form must parse again to itself.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <vigil/common.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	vg_xml_limits_t lim = {.max_size = 1u << 20, .max_depth = 64, .max_attr_len = 4096};
	xmlDoc *doc, *again;
	char *canon, *canon2;
	GHashTable *idx;

	if (vg_xml_parse((const char *)data, size, "fuzz", &lim, &doc, NULL) != 0)
		return 0;
	canon = vg_xml_canonical(xmlDocGetRootElement(doc));
	idx = vg_xml_id_index(xmlDocGetRootElement(doc), NULL);
	g_hash_table_destroy(idx);
	if (vg_xml_parse(canon, strlen(canon), "canonical", NULL, &again, NULL) != 0)
		abort();
	canon2 = vg_xml_canonical(xmlDocGetRootElement(again));
	if (strcmp(canon, canon2) != 0)
		abort();
	g_free(canon);
	g_free(canon2);
	xmlFreeDoc(again);
	xmlFreeDoc(doc);
	return 0;
}
