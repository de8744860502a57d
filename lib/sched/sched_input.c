/*
 * sched_input.c: a CIB read for scheduling without a tree of its history.
 *
 * Owns vg_sched_input_read(): a pull parser (xmlTextReader) over bytes the
 * caller supplies builds the <cib> element, every section but <status> and,
 * within <status>, each node_state without its <lrm>; each node_state's lrm
 * history becomes compact records (sched_lrm.c) as soon as it is read, and
 * its subtree is freed before the next one is parsed.  On a big cluster the
 * history is nearly all of the CIB, so the peak memory is a fraction of a
 * whole tree's.  vg_sched_run_input() then runs the same pipeline as
 * vg_sched_run() on that CIB plus the records.
 *
 * Never does I/O itself (the caller's read function does), never keeps
 * the parser beyond the read.  The same guards as lib/common's parser: no
 * document type declaration or entity, no network, no XInclude.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define VG_LOG_SUBSYS "sched"
#include <string.h>

#include <libxml/xmlreader.h>

#include "sched_private.h"

struct vg_sched_input {
	xmlDoc *doc;
	sc_lrm_store_t *lrm;
};

#define READ_OPTIONS                                                                       \
	(XML_PARSE_NONET | XML_PARSE_NOBLANKS | XML_PARSE_NOCDATA | XML_PARSE_NOXINCNODE | \
	 XML_PARSE_COMPACT | XML_PARSE_NOERROR | XML_PARSE_NOWARNING)

/* The caller's bytes, watched for a declaration ("<!" and a letter: every
 * other "<!" opens a comment or CDATA) before the parser sees them. */
typedef struct source {
	vg_sched_read_fn read;
	void *ctx;
	char last;         /* last byte of the previous chunk */
	bool bang_pending; /* the previous chunk ended in "<!" */
	bool decl;         /* a declaration was seen */
	bool failed;       /* the read function failed */
} source_t;

static bool has_decl(source_t *s, const char *b, size_t n)
{
	const char *p = b, *end = b + n;

	if (n == 0)
		return false;
	if (s->bang_pending && g_ascii_isalpha(b[0]))
		return true;
	s->bang_pending = false;
	while ((p = memchr(p, '!', (size_t)(end - p))) != NULL) {
		char before = p > b ? p[-1] : s->last;

		if (before == '<') {
			if (p + 1 == end)
				s->bang_pending = true;
			else if (g_ascii_isalpha(p[1]))
				return true;
		}
		p++;
	}
	s->last = b[n - 1];
	return false;
}

static int source_read(void *ctx, char *buf, int len)
{
	source_t *s = ctx;
	int n;

	if (s->decl || s->failed)
		return -1;
	n = s->read(s->ctx, buf, len);
	if (n < 0 || n > len) {
		s->failed = true;
		return -1;
	}
	if (has_decl(s, buf, (size_t)n)) {
		s->decl = true;
		return -1;
	}
	return n;
}

static int source_close(void *ctx)
{
	(void)ctx; /* the caller owns its source */
	return 0;
}

/* The first error the parser reports, with its line. */
typedef struct first_error {
	int line;
	char msg[256];
} first_error_t;

static void on_error(void *arg, xmlErrorPtr e)
{
	first_error_t *fe = arg;
	size_t n;

	if (e == NULL || e->level < XML_ERR_ERROR || fe->msg[0] != '\0')
		return;
	fe->line = e->line;
	g_strlcpy(fe->msg, e->message != NULL ? e->message : "parse error", sizeof(fe->msg));
	n = strlen(fe->msg);
	while (n > 0 && (fe->msg[n - 1] == '\n' || fe->msg[n - 1] == ' '))
		fe->msg[--n] = '\0';
	g_strdelimit(fe->msg, "\n", ' ');
}

typedef struct walk {
	xmlTextReaderPtr reader;
	vg_sched_input_t *in;
	xmlNode *root, *status;
	const char *what;
} walk_t;

/* A node_state: its attributes and children except the history, which
 * becomes records. */
static void take_node_state(walk_t *w, const xmlNode *ns)
{
	xmlNode *copy = xmlDocCopyNode((xmlNode *)ns, w->in->doc, 2);

	for (xmlNode *c = ns->children; c != NULL; c = c->next)
		if (!(c->type == XML_ELEMENT_NODE && vg_xml_is(c, "lrm")))
			xmlAddChild(copy, xmlDocCopyNode(c, w->in->doc, 1));
	xmlAddChild(w->status, copy);
	sc_lrm_store_add(w->in->lrm, copy, ns);
}

/* One element the reader stands on; returns the reader's next result. */
static int take_element(walk_t *w, vg_error_t *err, int *rc)
{
	xmlTextReaderPtr r = w->reader;
	xmlNode *cur = xmlTextReaderCurrentNode(r), *x;
	int depth = xmlTextReaderDepth(r);

	if (depth == 0) {
		if (!vg_xml_is(cur, "cib")) {
			*rc = vg_error_set(err, VG_EINVAL,
			                   "%s: the root element must be <cib> (a whole CIB "
			                   "with configuration and status)",
			                   w->what);
			return -1;
		}
		w->root = xmlDocCopyNode(cur, w->in->doc, 2);
		xmlDocSetRootElement(w->in->doc, w->root);
		return xmlTextReaderRead(r);
	}
	if (depth == 1 && vg_xml_is(cur, "status")) {
		w->status = xmlDocCopyNode(cur, w->in->doc, 2);
		xmlAddChild(w->root, w->status);
		return xmlTextReaderRead(r); /* into its children */
	}
	/* depth 1 outside <status>, or 2 inside it: the whole subtree */
	x = xmlTextReaderExpand(r);
	if (x == NULL)
		return -1;
	if (depth == 2 && vg_xml_is(x, "node_state"))
		take_node_state(w, x);
	else
		xmlAddChild(depth == 1 ? w->root : w->status, xmlDocCopyNode(x, w->in->doc, 1));
	return xmlTextReaderNext(r);
}

static int walk(walk_t *w, vg_error_t *err)
{
	int ret = xmlTextReaderRead(w->reader), rc = 0;

	while (ret == 1) {
		int type = xmlTextReaderNodeType(w->reader);

		if (type == XML_READER_TYPE_DOCUMENT_TYPE ||
		    type == XML_READER_TYPE_ENTITY_REFERENCE || type == XML_READER_TYPE_ENTITY)
			return vg_error_set(err, VG_EPARSE,
			                    "%s: document type declarations and entities are not "
			                    "accepted; remove the <!DOCTYPE ...> block",
			                    w->what);
		if (type != XML_READER_TYPE_ELEMENT) {
			ret = xmlTextReaderRead(w->reader);
			continue;
		}
		ret = take_element(w, err, &rc);
		if (rc != 0)
			return rc;
	}
	return ret == 0 ? 0 : 1;
}

int vg_sched_input_read(vg_sched_read_fn read, void *ctx, const char *what, vg_sched_input_t **out,
                        vg_error_t *err)
{
	source_t src = {.read = read, .ctx = ctx};
	first_error_t fe = {0};
	walk_t w = {.what = what != NULL ? what : "CIB"};
	vg_sched_input_t *in = g_new0(vg_sched_input_t, 1);
	int rc;

	*out = NULL;
	in->doc = xmlNewDoc((const xmlChar *)"1.0");
	in->lrm = sc_lrm_store_new();
	w.in = in;
	w.reader = xmlReaderForIO(source_read, source_close, &src, NULL, NULL, READ_OPTIONS);
	if (w.reader == NULL) {
		vg_sched_input_free(in);
		return vg_error_set(err, VG_EINVAL, "%s: cannot create an XML reader", w.what);
	}
	xmlTextReaderSetStructuredErrorHandler(w.reader, on_error, &fe);
	rc = walk(&w, err);
	xmlFreeTextReader(w.reader);
	if (rc == 1 || (rc == 0 && (src.decl || src.failed))) {
		if (src.decl)
			rc = vg_error_set(err, VG_EPARSE,
			                  "%s: document type declarations and entities are not "
			                  "accepted; remove the <!DOCTYPE ...> block",
			                  w.what);
		else if (src.failed)
			rc = vg_error_set(err, VG_EIO, "%s: reading the input failed", w.what);
		else
			rc = vg_error_set(err, VG_EPARSE, "%s: line %d: %s", w.what, fe.line,
			                  fe.msg[0] ? fe.msg : "not a well-formed XML document");
	} else if (rc == 0 && w.root == NULL) {
		rc = vg_error_set(err, VG_EPARSE, "%s: no root element", w.what);
	}
	if (rc != 0) {
		vg_sched_input_free(in);
		return rc;
	}
	*out = in;
	return 0;
}

typedef struct mem_source {
	const char *buf;
	size_t len, pos;
} mem_source_t;

static int mem_read(void *ctx, char *buf, int len)
{
	mem_source_t *m = ctx;
	size_t n = MIN((size_t)len, m->len - m->pos);

	memcpy(buf, m->buf + m->pos, n);
	m->pos += n;
	return (int)n;
}

int vg_sched_input_parse(const char *buf, size_t len, const char *what, vg_sched_input_t **out,
                         vg_error_t *err)
{
	mem_source_t m = {.buf = buf, .len = len};

	return vg_sched_input_read(mem_read, &m, what, out, err);
}

xmlNode *vg_sched_input_cib(const vg_sched_input_t *in)
{
	return in != NULL ? xmlDocGetRootElement(in->doc) : NULL;
}

int vg_sched_run_input(const vg_sched_input_t *in, vg_time_t now, const vg_sched_options_t *opts,
                       vg_sched_result_t **out, vg_error_t *err)
{
	*out = NULL;
	if (in == NULL)
		return vg_error_set(err, VG_EINVAL, "no input to schedule");
	return sc_run(xmlDocGetRootElement(in->doc), in->lrm, now, opts, out, err);
}

void vg_sched_input_free(vg_sched_input_t *in)
{
	if (in == NULL)
		return;
	xmlFreeDoc(in->doc);
	sc_lrm_store_free(in->lrm);
	g_free(in);
}
