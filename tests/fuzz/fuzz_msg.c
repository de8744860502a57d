/*
 * Fuzz target: vg_msg_decode on arbitrary bytes; a decoded message must
 * re-encode to the same bytes and its body accessor must not crash.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <vigil/common.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	vg_msg_t *m;
	uint8_t *buf;
	size_t len;

	if (vg_msg_decode(data, size, 1u << 20, &m, NULL) != 0)
		return 0;
	(void)vg_msg_xml(m);
	if (vg_msg_encode(m, &buf, &len) == 0) {
		if (len != size || memcmp(buf, data, len) != 0)
			abort();
		g_free(buf);
	}
	vg_msg_free(m);
	return 0;
}
