/*
 * Compression of outgoing messages on a worker thread.  Deflating a 64 MiB
 * CIB takes a few hundred milliseconds even at the fastest level; done in
 * the main loop that would delay heartbeats past a short deadtime and make
 * peers declare us dead.  One worker compresses jobs in order and hands each
 * result back to the main loop, which owns everything else: the worker only
 * sees the job's own bytes.  The stream (hbd_stream.c) keeps a message that
 * is being compressed, and everything behind it, in its queue meanwhile.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define VG_LOG_SUBSYS "hbd"
#include "hbd.h"

typedef struct job {
	struct hbd_compress *zc;
	void *tag;
	GBytes *in, *out;
	GSource *done; /* set by the worker when it has finished (read after
	                  the pool is joined, or in job_done itself) */
} job_t;

struct hbd_compress {
	hbd_t *h;
	GThreadPool *pool;
	GMainContext *ctx; /* the main loop's */
	GQueue jobs;       /* job_t *, started and not yet handed back */
};

static void job_free(job_t *j)
{
	g_bytes_unref(j->in);
	if (j->out)
		g_bytes_unref(j->out);
	if (j->done)
		g_source_unref(j->done);
	g_free(j);
}

/* main loop: hand the result over */
static gboolean job_done(gpointer data)
{
	job_t *j = data;
	struct hbd_compress *zc = j->zc;
	GBytes *out = j->out;

	g_queue_remove(&zc->jobs, j);
	j->out = NULL;
	hbd_stream_zipped(zc->h, j->tag, out);
	if (out)
		g_bytes_unref(out);
	job_free(j);
	return G_SOURCE_REMOVE;
}

/* worker thread */
static void job_run(gpointer data, gpointer pool_data)
{
	job_t *j = data;
	struct hbd_compress *zc = pool_data;
	gsize n;
	const uint8_t *p = g_bytes_get_data(j->in, &n);
	GSource *s;

	j->out = hb_zip_compress(p, n, HB_ZIP_LEVEL);
	s = g_idle_source_new();
	g_source_set_priority(s, G_PRIORITY_DEFAULT);
	g_source_set_callback(s, job_done, j, NULL);
	j->done = g_source_ref(s);
	g_source_attach(s, zc->ctx);
	g_source_unref(s);
}

void hbd_compress_init(hbd_t *h)
{
	struct hbd_compress *zc = g_new0(struct hbd_compress, 1);

	zc->h = h;
	zc->ctx = g_main_context_ref_thread_default();
	g_queue_init(&zc->jobs);
	/* one worker: results come back in the order messages were queued */
	zc->pool = g_thread_pool_new(job_run, zc, 1, FALSE, NULL);
	h->zip = zc;
	if (h->hb->compression != NULL)
		vg_log_info("compressing messages of more than %" G_GUINT64_FORMAT
		            " bytes with %s (level %d)",
		            (guint64)h->hb->compression_threshold, h->hb->compression,
		            HB_ZIP_LEVEL);
}

void hbd_compress_free(hbd_t *h)
{
	struct hbd_compress *zc = h->zip;
	job_t *j;

	if (zc == NULL)
		return;
	/* drop jobs not yet started, wait for the one that runs */
	g_thread_pool_free(zc->pool, TRUE, TRUE);
	while ((j = g_queue_pop_head(&zc->jobs)) != NULL) {
		if (j->done)
			g_source_destroy(j->done);
		job_free(j);
	}
	g_main_context_unref(zc->ctx);
	g_free(zc);
	h->zip = NULL;
}

void hbd_compress_start(hbd_t *h, GBytes *in, void *tag)
{
	struct hbd_compress *zc = h->zip;
	job_t *j = g_new0(job_t, 1);

	j->zc = zc;
	j->tag = tag;
	j->in = g_bytes_ref(in);
	g_queue_push_tail(&zc->jobs, j);
	g_thread_pool_push(zc->pool, j, NULL);
}
