/*
 * Replay driver for fuzz targets in `make check`: a target defines
 * LLVMFuzzerTestOneInput(); this main() feeds it every file under the seed
 * directories given as arguments, then a bounded number of deterministic
 * mutations of those seeds (byte flips, truncations, splices), so the
 * sanitizer build exercises the parsers on hostile input without libFuzzer.
 * With clang, `make fuzz` links the same targets with -fsanitize=fuzzer for
 * open-ended runs instead.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <glib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void collect(const char *path, GPtrArray *seeds)
{
	struct stat st;
	DIR *d;
	struct dirent *e;

	if (stat(path, &st) != 0)
		return;
	if (S_ISREG(st.st_mode)) {
		gchar *buf;
		gsize len;

		if (g_file_get_contents(path, &buf, &len, NULL))
			g_ptr_array_add(seeds, g_bytes_new_take(buf, len));
		return;
	}
	d = opendir(path);
	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		char *child;

		if (e->d_name[0] == '.')
			continue;
		child = g_build_filename(path, e->d_name, NULL);
		collect(child, seeds);
		g_free(child);
	}
	closedir(d);
}

static void mutate(GRand *r, GByteArray *b, GPtrArray *seeds)
{
	guint kind = g_rand_int_range(r, 0, 5);
	guint n = b->len;

	switch (kind) {
	case 0: /* flip bytes */
		for (int i = 0; i < 1 + g_rand_int_range(r, 0, 8) && n > 0; i++)
			b->data[g_rand_int_range(r, 0, (gint32)n)] = (guint8)g_rand_int(r);
		break;
	case 1: /* truncate */
		if (n > 0)
			g_byte_array_set_size(b, g_rand_int_range(r, 0, (gint32)n));
		break;
	case 2: { /* splice in part of another seed */
		GBytes *o = g_ptr_array_index(seeds, g_rand_int_range(r, 0, (gint32)seeds->len));
		gsize olen;
		const guint8 *od = g_bytes_get_data(o, &olen);

		if (olen > 0 && n > 0) {
			guint at = g_rand_int_range(r, 0, (gint32)n);
			guint from = g_rand_int_range(r, 0, (gint32)olen);
			guint want = (guint)g_rand_int_range(r, 1, 64);
			guint len = MIN(olen - from, want);

			g_byte_array_set_size(b, at);
			g_byte_array_append(b, od + from, len);
		}
		break;
	}
	case 3: /* interesting integers */
		if (n >= 4) {
			static const guint32 vals[] = {0,           0xffffffffu, 0x7fffffffu,
			                               0x80000000u, 1,           0x10000u};
			guint32 v = vals[g_rand_int_range(r, 0, G_N_ELEMENTS(vals))];
			memcpy(b->data + g_rand_int_range(r, 0, (gint32)n - 3), &v, 4);
		}
		break;
	default: /* duplicate a chunk */
		if (n > 0) {
			guint from = g_rand_int_range(r, 0, (gint32)n);
			guint len = MIN(n - from, 128u);
			guint8 chunk[128];

			/* copy first: appending may move b->data */
			memcpy(chunk, b->data + from, len);
			g_byte_array_append(b, chunk, len);
		}
	}
}

int main(int argc, char **argv)
{
	GPtrArray *seeds = g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);
	const char *iters_env = getenv("VIGIL_FUZZ_ITERATIONS");
	long iters = iters_env ? strtol(iters_env, NULL, 10) : 2000;
	GRand *r = g_rand_new_with_seed(20261121);

	for (int i = 1; i < argc; i++)
		collect(argv[i], seeds);
	if (seeds->len == 0) {
		static const char empty[] = "";
		g_ptr_array_add(seeds, g_bytes_new_static(empty, 0));
	}
	for (guint i = 0; i < seeds->len; i++) {
		gsize len;
		const guint8 *d = g_bytes_get_data(g_ptr_array_index(seeds, i), &len);
		LLVMFuzzerTestOneInput(d, len);
	}
	for (long i = 0; i < iters; i++) {
		gsize len;
		const guint8 *d = g_bytes_get_data(
		    g_ptr_array_index(seeds, g_rand_int_range(r, 0, (gint32)seeds->len)), &len);
		GByteArray *b = g_byte_array_new();

		g_byte_array_append(b, d, (guint)len);
		for (int k = 0; k < 1 + g_rand_int_range(r, 0, 4); k++)
			mutate(r, b, seeds);
		LLVMFuzzerTestOneInput(b->data, b->len);
		g_byte_array_free(b, TRUE);
	}
	printf("fuzz replay: %u seeds, %ld mutations, no crash\n", seeds->len, iters);
	g_rand_free(r);
	g_ptr_array_free(seeds, TRUE);
	return 0;
}
