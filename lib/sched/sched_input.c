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

/*
 * Where the reader stands: what each open element at depths 0-4 is.  The
 * history path cib / status / node_state / lrm / lrm_resources is entered
 * element by element; every lrm_resource is expanded alone, turned into
 * records and freed.  Any other element is copied whole under its parent.
 */
enum level { L_CIB, L_STATUS, L_STATE, L_LRM, L_LRS, L_DEPTH };

typedef struct walk {
	xmlTextReaderPtr reader;
	vg_sched_input_t *in;
	const char *what;
	xmlNode *root;
	xmlNode *open[L_DEPTH]; /* the copy of the open element at each depth */
	sc_lrm_node_t *lrm;     /* the records of the open node_state */
	bool lrm_seen;          /* its first <lrm> was entered (later ones ignored) */
	bool lrs_seen;          /* that lrm's first <lrm_resources> */
} walk_t;

/* The element at `depth` is entered (its children come next) rather than
 * expanded: the path to lrm_resource, the first of each kind as the
 * scheduler reads a tree (vg_xml_first). */
static bool enter(walk_t *w, const xmlNode *cur, int depth)
{
	switch (depth) {
	case L_STATUS:
		return vg_xml_is(cur, "status");
	case L_STATE:
		return vg_xml_is(cur, "node_state");
	case L_LRM:
		return !w->lrm_seen && vg_xml_is(cur, "lrm");
	case L_LRS:
		return !w->lrs_seen && vg_xml_is(cur, "lrm_resources");
	default:
		return false;
	}
}

static int take_root(walk_t *w, const xmlNode *cur, vg_error_t *err, int *rc)
{
	if (!vg_xml_is(cur, "cib")) {
		*rc = vg_error_set(err, VG_EINVAL,
		                   "%s: the root element must be <cib> (a whole CIB with "
		                   "configuration and status)",
		                   w->what);
		return -1;
	}
	w->root = xmlDocCopyNode((xmlNode *)cur, w->in->doc, 2);
	xmlDocSetRootElement(w->in->doc, w->root);
	w->open[L_CIB] = w->root;
	return xmlTextReaderRead(w->reader);
}

/* One element the reader stands on; returns the reader's next result. */
static int take_element(walk_t *w, vg_error_t *err, int *rc)
{
	xmlTextReaderPtr r = w->reader;
	xmlNode *cur = xmlTextReaderCurrentNode(r), *x;
	int depth = xmlTextReaderDepth(r);

	if (depth == 0)
		return take_root(w, cur, err, rc);
	if (depth <= L_LRS && enter(w, cur, depth)) {
		w->lrm_seen |= depth == L_LRM;
		w->lrs_seen |= depth == L_LRS;
		if (depth < L_LRM) {
			w->open[depth] = xmlDocCopyNode(cur, w->in->doc, 2);
			xmlAddChild(w->open[depth - 1], w->open[depth]);
		}
		if (depth == L_STATE) {
			w->lrm = sc_lrm_node_new(w->in->lrm, w->open[depth]);
			w->lrm_seen = w->lrs_seen = false;
		}
		return xmlTextReaderRead(r); /* into its children */
	}
	/* a later <lrm>, anything else in <lrm> or <lrm_resources>: nothing
	 * the scheduler reads */
	if ((depth == L_LRM && vg_xml_is(cur, "lrm")) || depth == L_LRS ||
	    (depth == L_LRS + 1 && !vg_xml_is(cur, "lrm_resource")))
		return xmlTextReaderNext(r);
	x = xmlTextReaderExpand(r);
	if (x == NULL)
		return -1;
	if (depth == L_LRS + 1)
		sc_lrm_node_add(w->in->lrm, w->lrm, x);
	else
		xmlAddChild(w->open[depth - 1], xmlDocCopyNode(x, w->in->doc, 1));
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
