/*
 * Fuzz target: the corosync backend's receive path (lib/cluster/
 * cluster_corosync_msg.c), which takes CPG messages from every member.
 * Input: records of [u8 sender][u16 big-endian length][bytes], each fed to
 * cs_wire_receive() as one CPG message from node 1..4 (pid 100+n), so
 * fragments of several senders interleave.  Delivered messages are checked
 * to re-encode; partial messages are released at the end.  Corosync is
 * not needed: the symbols the file uses from the rest of the backend are
 * stubbed here.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdint.h>
#include <stdlib.h>

#include "../../lib/cluster/cluster_corosync_msg.c"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

cs_error_t cpg_mcast_joined(cpg_handle_t handle, cpg_guarantee_t guarantee, const struct iovec *iov,
                            unsigned int iov_len)
{
	(void)handle, (void)guarantee, (void)iov, (void)iov_len;
	return CS_OK;
}

void cs_deliver(vg_cluster_t *c, uint32_t from, vg_msg_t *msg)
{
	uint8_t *buf = NULL;
	size_t len = 0;

	(void)c, (void)from;
	if (vg_msg_encode(msg, &buf, &len) != 0 || len > VG_CLUSTER_MAX_MSG)
		abort();
	g_free(buf);
	vg_msg_free(msg);
}

void cs_sync(vg_cluster_t *c, uint32_t from, const uint8_t *payload, size_t len)
{
	(void)c, (void)from, (void)payload, (void)len;
}

const char *cs_errname(cs_error_t e)
{
	(void)e;
	return "fuzz";
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	vg_cluster_t c = {0};
	cs_backend_t b = {0};
	size_t i = 0;

	c.backend = &b;
	c.local_id = 2;
	b.timerfd = -1;
	cs_wire_init(&b);
	while (i + 3 <= size) {
		uint32_t node = 1 + data[i] % 4;
		size_t len = (size_t)data[i + 1] << 8 | data[i + 2];

		i += 3;
		if (len > size - i)
			len = size - i;
		cs_wire_receive(&c, node, 100 + node, data + i, len);
		i += len;
	}
	cs_wire_free(&b);
	return 0;
}
