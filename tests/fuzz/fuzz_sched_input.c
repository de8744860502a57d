/*
 * Fuzz target for the scheduler's streaming entry point: bytes ->
 * vg_sched_input_parse() (a CIB without a tree of its history, read in
 * small pieces so that every cut between two reads is tried) ->
 * vg_sched_run_input() -> the result's outputs.  Where the whole-tree
 * parser accepts the same bytes, the two entry points must decide the
 * same: a differing Transition Summary aborts (a finding).  Any input must
 * end in an error code or a result, never a crash, a leak or a hang.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <vigil/common.h>
#include <vigil/sched.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct pieces {
	const uint8_t *data;
	size_t size, pos, step;
} pieces_t;

static int pieces_read(void *ctx, char *buf, int len)
{
	pieces_t *p = ctx;
	size_t n = MIN(MIN((size_t)len, p->step), p->size - p->pos);

	memcpy(buf, p->data + p->pos, n);
	p->pos += n;
	return (int)n;
}

static char *summary_text(const vg_sched_result_t *r)
{
	const GPtrArray *s = vg_sched_result_summary(r);
	GString *out = g_string_new("");

	for (guint i = 0; s != NULL && i < s->len; i++)
		g_string_append_printf(out, "%s\n", (const char *)s->pdata[i]);
	return g_string_free(out, FALSE);
}

/* The same decisions from the whole tree, where it parses. */
static void compare_with_tree(const uint8_t *data, size_t size, const char *streamed)
{
	xmlDoc *doc = NULL;
	vg_sched_result_t *r = NULL;
	char *tree;

	if (vg_xml_parse((const char *)data, size, "fuzz", NULL, &doc, NULL) != 0)
		return;
	if (vg_sched_run(xmlDocGetRootElement(doc), 1700000000, NULL, &r, NULL) == 0) {
		tree = summary_text(r);
		if (strcmp(tree, streamed) != 0)
			abort();
		g_free(tree);
		vg_sched_result_free(r);
	}
	xmlFreeDoc(doc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* the first byte chooses how many bytes each read hands out */
	pieces_t src = {.data = data, .size = size, .step = size > 0 ? 1 + data[0] % 64 : 1};
	vg_sched_input_t *in = NULL;
	vg_sched_result_t *r = NULL;
	vg_sched_options_t opts = {.show_scores = true};
	vg_error_t err = {0};

	if (size > 4u * 1024 * 1024)
		return 0;
	if (vg_sched_input_read(pieces_read, &src, "fuzz", &in, &err) != 0)
		return 0;
	if (vg_sched_run_input(in, 1700000000, &opts, &r, NULL) == 0 && r != NULL) {
		const vg_sched_cluster_view_t *v = vg_sched_result_cluster(r);
		GString *out = g_string_new(NULL);
		char *scores = vg_sched_result_scores(r), *summary = summary_text(r);
		vg_sched_result_t *plain = NULL;

		vg_sched_print_banner(out, v);
		vg_sched_print_status(out, v, VG_PRINT_PENDING | VG_PRINT_FAILED_OPS);
		g_string_free(out, TRUE);
		g_free(scores);
		vg_sched_result_free(r);
		/* scores off, as the whole-tree run below */
		if (vg_sched_run_input(in, 1700000000, NULL, &plain, NULL) == 0) {
			char *again = summary_text(plain);
			if (strcmp(again, summary) != 0)
				abort(); /* the same input scheduled twice differs */
			compare_with_tree(data, size, again);
			g_free(again);
			vg_sched_result_free(plain);
		}
		g_free(summary);
	}
	vg_sched_input_free(in);
	return 0;
}
