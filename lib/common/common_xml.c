/*
 * XML on libxml2, the safe way.  Everything vigil reads (CIBs, message bodies,
 * agent metadata) goes through vg_xml_parse(): no DTD is accepted at all (so
 * no entity expansion, no external entities, no billion laughs), no network,
 * no XInclude, and input size, nesting depth and value length are bounded
 * before and during parsing.  Also: accessors that return borrowed pointers,
 * the canonical form that digests and diffs rely on, and the id index.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define _GNU_SOURCE /* memmem */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/xmlsave.h>

#include <vigil/common.h>

static const vg_xml_limits_t default_limits = {
    .max_size = VG_XML_MAX_SIZE,
    .max_depth = VG_XML_MAX_DEPTH,
    .max_attr_len = VG_XML_MAX_ATTR_LEN,
};

/* The parser stops at the first fatal error; keep it with its line. */
struct parse_errors {
	int line;
	char msg[512];
};

static void take_error(struct parse_errors *pe, const xmlError *e)
{
	size_t n;

	if (e == NULL || e->level < XML_ERR_ERROR)
		return;
	pe->line = e->line;
	snprintf(pe->msg, sizeof(pe->msg), "%s", e->message ? e->message : "parse error");
	n = strlen(pe->msg);
	while (n > 0 && (pe->msg[n - 1] == '\n' || pe->msg[n - 1] == ' '))
		pe->msg[--n] = '\0';
	for (char *p = pe->msg; *p; p++) /* one line in logs and error replies */
		if (*p == '\n')
			*p = ' ';
}

static void silent_generic_error(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

/* A document type declaration is how entities get in; CIBs never have one.
 * The first "<!" in [p, p+n) that opens one (any case), NULL when none. */
static const char *find_decl(const char *p, size_t n)
{
	const char *end = p + n;

	/* every other "<!" is a comment or CDATA */
	while ((p = memmem(p, (size_t)(end - p), "<!", 2)) != NULL) {
		size_t left = (size_t)(end - p) - 2;

		if ((left >= 7 && g_ascii_strncasecmp(p + 2, "DOCTYPE", 7) == 0) ||
		    (left >= 6 && g_ascii_strncasecmp(p + 2, "ENTITY", 6) == 0))
			return p;
		p += 2;
	}
	return NULL;
}

static int doctype_error(const char *what, int line, vg_error_t *err)
{
	return vg_error_set(err, VG_EPARSE,
	                    "%s: line %d: document type declarations and entities "
	                    "are not accepted; remove the <!DOCTYPE ...> block",
	                    what, line);
}

static int refuse_doctype(const char *buf, size_t len, const char *what, vg_error_t *err)
{
	const char *p = find_decl(buf, len);
	int line = 1;

	if (p == NULL)
		return 0;
	for (const char *q = buf; q < p; q++)
		line += (*q == '\n');
	return doctype_error(what, line, err);
}

/* Walk the tree once to enforce depth and value length (cheap next to parsing). */
static int check_tree(const xmlNode *n, unsigned depth, const vg_xml_limits_t *lim,
                      const char *what, vg_error_t *err)
{
	for (; n != NULL; n = n->next) {
		if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
			if (n->content && strlen((const char *)n->content) > lim->max_attr_len)
				return vg_error_set(err, VG_ETOOBIG,
				                    "%s: line %d: text longer than %zu bytes", what,
				                    n->line, lim->max_attr_len);
			continue;
		}
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (depth > lim->max_depth)
			return vg_error_set(err, VG_ETOOBIG,
			                    "%s: line %d: elements nested deeper than %u levels",
			                    what, n->line, lim->max_depth);
		for (const xmlAttr *a = n->properties; a != NULL; a = a->next) {
			const char *v = (a->children && a->children->content)
			                    ? (const char *)a->children->content
			                    : "";
			if (strlen(v) > lim->max_attr_len)
				return vg_error_set(
				    err, VG_ETOOBIG,
				    "%s: line %d: attribute %s longer than %zu bytes", what,
				    n->line, (const char *)a->name, lim->max_attr_len);
		}
		if (check_tree(n->children, depth + 1, lim, what, err) != 0)
			return err ? err->code : VG_ETOOBIG;
	}
	return 0;
}

#define PARSE_OPTIONS                                                                      \
	(XML_PARSE_NONET | XML_PARSE_NOBLANKS | XML_PARSE_NOCDATA | XML_PARSE_NOXINCNODE | \
	 XML_PARSE_COMPACT | XML_PARSE_NOERROR | XML_PARSE_NOWARNING)

/* Some encoding errors bypass XML_PARSE_NOERROR and go to libxml2's generic
 * handler (thread-local): keep them off stderr; the error is still reported
 * through err. */
static xmlParserCtxtPtr new_parser(void)
{
	xmlParserCtxtPtr ctxt;

	xmlSetGenericErrorFunc(NULL, silent_generic_error);
	ctxt = xmlNewParserCtxt();
	if (ctxt == NULL)
		g_error("out of memory creating an XML parser");
	return ctxt;
}

/* What is common to memory and file input once libxml2 is done: its error,
 * if any, becomes err; the tree is checked against the limits.  Frees ctxt. */
static int finish_parse(xmlParserCtxtPtr ctxt, xmlDoc *doc, const char *what,
                        const vg_xml_limits_t *lim, xmlDoc **out, vg_error_t *err)
{
	struct parse_errors pe = {0};
	int rc;

	if (doc == NULL || !ctxt->wellFormed)
		take_error(&pe, xmlCtxtGetLastError(ctxt));
	xmlFreeParserCtxt(ctxt);
	if (doc == NULL || pe.msg[0] != '\0') {
		xmlFreeDoc(doc);
		if (pe.msg[0] == '\0')
			snprintf(pe.msg, sizeof(pe.msg), "not a well-formed XML document");
		if (strstr(pe.msg, "too long") || strstr(pe.msg, "Excessive depth") ||
		    strstr(pe.msg, "huge"))
			return vg_error_set(err, VG_ETOOBIG, "%s: line %d: %s", what, pe.line,
			                    pe.msg);
		return vg_error_set(err, VG_EPARSE, "%s: line %d: %s", what, pe.line, pe.msg);
	}
	if (xmlDocGetRootElement(doc) == NULL) {
		xmlFreeDoc(doc);
		return vg_error_set(err, VG_EPARSE, "%s: no root element", what);
	}
	rc = check_tree(doc->children, 1, lim, what, err);
	if (rc != 0) {
		xmlFreeDoc(doc);
		return rc;
	}
	*out = doc;
	return 0;
}

int vg_xml_parse(const char *buf, size_t len, const char *what, const vg_xml_limits_t *limits,
                 xmlDoc **out, vg_error_t *err)
{
	const vg_xml_limits_t *lim = limits ? limits : &default_limits;
	xmlParserCtxtPtr ctxt;
	int rc;

	*out = NULL;
	what = what ? what : "XML input";
	if (len > lim->max_size)
		return vg_error_set(err, VG_ETOOBIG, "%s: %zu bytes exceeds the limit of %zu bytes",
		                    what, len, lim->max_size);
	if (len > INT32_MAX)
		return vg_error_set(err, VG_ETOOBIG, "%s: too large", what);
	rc = refuse_doctype(buf, len, what, err);
	if (rc != 0)
		return rc;
	ctxt = new_parser();
	return finish_parse(ctxt, xmlCtxtReadMemory(ctxt, buf, (int)len, NULL, NULL, PARSE_OPTIONS),
	                    what, lim, out, err);
}

/*
 * Files are fed to libxml2 a chunk at a time instead of being read whole
 * first: a large CIB then never exists twice in memory (our buffer plus
 * libxml2's copy of it) next to its tree.  Each chunk is checked for a
 * document type declaration before the parser sees it; the last bytes of
 * the previous chunk are kept so that one cut in two is found as well.
 */
#define DECL_MAX 9 /* strlen("<!DOCTYPE") */

struct file_reader {
	int fd;
	size_t total, max;
	int lines;           /* newlines before the current chunk */
	char tail[DECL_MAX]; /* the end of the previous chunk */
	size_t tail_len;
	int decl_line; /* > 0: a declaration starts on this line */
	bool too_big;
	int errnum;
};

static void reader_scan(struct file_reader *r, const char *buf, size_t n)
{
	char window[2 * DECL_MAX];
	size_t head = MIN(n, (size_t)DECL_MAX - 1), keep;
	const char *p;

	memcpy(window, r->tail, r->tail_len);
	memcpy(window + r->tail_len, buf, head);
	if (find_decl(window, r->tail_len + head) != NULL) {
		r->decl_line = r->lines + 1; /* "<!DOCTYPE" holds no newline */
		return;
	}
	if ((p = find_decl(buf, n)) != NULL) {
		r->decl_line = r->lines + 1;
		for (const char *q = buf; q < p; q++)
			r->decl_line += (*q == '\n');
		return;
	}
	for (size_t i = 0; i < n; i++)
		r->lines += (buf[i] == '\n');
	keep = MIN(n, (size_t)DECL_MAX - 1);
	if (r->tail_len + keep > DECL_MAX - 1) { /* shift out what no longer matters */
		size_t drop = r->tail_len + keep - (DECL_MAX - 1);

		drop = MIN(drop, r->tail_len);
		memmove(r->tail, r->tail + drop, r->tail_len - drop);
		r->tail_len -= drop;
	}
	memcpy(r->tail + r->tail_len, buf + n - keep, keep);
	r->tail_len += keep;
}

static int reader_read(void *ctx, char *buf, int len)
{
	struct file_reader *r = ctx;
	ssize_t n;

	do
		n = read(r->fd, buf, (size_t)len);
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		r->errnum = errno;
		return -1;
	}
	r->total += (size_t)n;
	if (r->total > r->max) { /* the file grew since it was measured */
		r->too_big = true;
		return -1;
	}
	reader_scan(r, buf, (size_t)n);
	return r->decl_line > 0 ? -1 : (int)n;
}

static int reader_close(void *ctx)
{
	(void)ctx; /* the fd is closed by its opener */
	return 0;
}

int vg_xml_parse_file(const char *path, const vg_xml_limits_t *limits, xmlDoc **out,
                      vg_error_t *err)
{
	const vg_xml_limits_t *lim = limits ? limits : &default_limits;
	struct file_reader r = {.fd = -1};
	xmlParserCtxtPtr ctxt;
	struct stat st;
	xmlDoc *doc;

	*out = NULL;
	r.fd = open(path, O_RDONLY | O_CLOEXEC);
	if (r.fd < 0 || fstat(r.fd, &st) != 0) {
		int e = errno;

		if (r.fd >= 0)
			close(r.fd);
		return vg_error_set(err, e == ENOENT ? VG_ENOENT : VG_EIO, "%s: %s", path,
		                    g_strerror(e));
	}
	if (S_ISDIR(st.st_mode)) {
		close(r.fd);
		return vg_error_set(err, VG_EIO, "%s: %s", path, g_strerror(EISDIR));
	}
	if ((size_t)st.st_size > lim->max_size) {
		close(r.fd);
		return vg_error_set(err, VG_ETOOBIG,
		                    "%s: %lld bytes exceeds the limit of %zu bytes", path,
		                    (long long)st.st_size, lim->max_size);
	}
	r.max = MIN(lim->max_size, (size_t)INT32_MAX);
	ctxt = new_parser();
	doc = xmlCtxtReadIO(ctxt, reader_read, reader_close, &r, NULL, NULL, PARSE_OPTIONS);
	close(r.fd);
	if (r.decl_line > 0 || r.too_big || r.errnum != 0) {
		xmlFreeDoc(doc);
		xmlFreeParserCtxt(ctxt);
		if (r.decl_line > 0)
			return doctype_error(path, r.decl_line, err);
		if (r.too_big)
			return vg_error_set(err, VG_ETOOBIG, "%s: more than %zu bytes", path,
			                    r.max);
		return vg_error_set(err, VG_EIO, "%s: %s", path, g_strerror(r.errnum));
	}
	return finish_parse(ctxt, doc, path, lim, out, err);
}

const char *vg_xml_get(const xmlNode *n, const char *attr)
{
	if (n == NULL || n->type != XML_ELEMENT_NODE)
		return NULL;
	for (const xmlAttr *a = n->properties; a != NULL; a = a->next) {
		if (strcmp((const char *)a->name, attr) != 0)
			continue;
		if (a->children == NULL)
			return "";
		if (a->children->next == NULL && a->children->type == XML_TEXT_NODE)
			return a->children->content ? (const char *)a->children->content : "";
		return "";
	}
	return NULL;
}

void vg_xml_set(xmlNode *n, const char *attr, const char *value)
{
	if (value == NULL)
		xmlUnsetProp(n, (const xmlChar *)attr);
	else
		xmlSetProp(n, (const xmlChar *)attr, (const xmlChar *)value);
}

void vg_xml_set_int(xmlNode *n, const char *attr, long long value)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%lld", value);
	vg_xml_set(n, attr, buf);
}

const char *vg_xml_name(const xmlNode *n)
{
	return (n && n->type == XML_ELEMENT_NODE) ? (const char *)n->name : "";
}

bool vg_xml_is(const xmlNode *n, const char *name)
{
	return n && n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

static xmlNode *next_element(xmlNode *n, const char *name)
{
	for (; n != NULL; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (name == NULL || strcmp((const char *)n->name, name) == 0)
			return n;
	}
	return NULL;
}

xmlNode *vg_xml_first(const xmlNode *parent, const char *name)
{
	return parent ? next_element(parent->children, name) : NULL;
}

xmlNode *vg_xml_next(const xmlNode *n, const char *name)
{
	return n ? next_element(n->next, name) : NULL;
}

xmlNode *vg_xml_find(const xmlNode *root, const char *name, const char *id)
{
	if (root == NULL || root->type != XML_ELEMENT_NODE)
		return NULL;
	if (strcmp((const char *)root->name, name) == 0) {
		const char *rid = vg_xml_get(root, "id");

		if (id == NULL || (rid && strcmp(rid, id) == 0))
			return (xmlNode *)root;
	}
	for (xmlNode *c = root->children; c != NULL; c = c->next) {
		xmlNode *hit = vg_xml_find(c, name, id);

		if (hit != NULL)
			return hit;
	}
	return NULL;
}

xmlNode *vg_xml_new_child(xmlNode *parent, const char *name)
{
	if (parent == NULL)
		return xmlNewNode(NULL, (const xmlChar *)name);
	return xmlNewChild(parent, NULL, (const xmlChar *)name, NULL);
}

xmlDoc *vg_xml_copy_doc(const xmlNode *n)
{
	xmlDoc *doc = xmlNewDoc((const xmlChar *)"1.0");

	xmlDocSetRootElement(doc, xmlDocCopyNode((xmlNode *)n, doc, 1));
	return doc;
}

char *vg_xml_dump(const xmlNode *n, bool pretty)
{
	xmlBufferPtr xb = xmlBufferCreate();
	xmlSaveCtxtPtr save;
	char *out;

	save = xmlSaveToBuffer(xb, "UTF-8",
	                       XML_SAVE_NO_DECL | (pretty ? XML_SAVE_FORMAT : 0) | XML_SAVE_AS_XML);
	xmlSaveTree(save, (xmlNode *)n);
	xmlSaveClose(save);
	out = g_strndup((const char *)xmlBufferContent(xb), (gsize)xmlBufferLength(xb));
	xmlBufferFree(xb);
	return out;
}

static void escape_into(GString *s, const char *v, bool attr)
{
	for (; *v; v++) {
		switch (*v) {
		case '&':
			g_string_append(s, "&amp;");
			break;
		case '<':
			g_string_append(s, "&lt;");
			break;
		case '>':
			g_string_append(s, "&gt;");
			break;
		case '"':
			g_string_append(s, attr ? "&quot;" : "\"");
			break;
		case '\n':
			g_string_append(s, attr ? "&#10;" : "\n");
			break;
		case '\r':
			g_string_append(s, "&#13;");
			break;
		case '\t':
			g_string_append(s, attr ? "&#9;" : "\t");
			break;
		default:
			g_string_append_c(s, *v);
		}
	}
}

static bool whitespace_only(const char *t)
{
	for (; *t; t++)
		if (!g_ascii_isspace(*t))
			return false;
	return true;
}

static void canonical_into(GString *s, const xmlNode *n)
{
	bool has_children = false;

	g_string_append_c(s, '<');
	g_string_append(s, (const char *)n->name);
	for (const xmlAttr *a = n->properties; a != NULL; a = a->next) {
		const char *v = vg_xml_get(n, (const char *)a->name);

		g_string_append_c(s, ' ');
		g_string_append(s, (const char *)a->name);
		g_string_append(s, "=\"");
		escape_into(s, v ? v : "", true);
		g_string_append_c(s, '"');
	}
	for (const xmlNode *c = n->children; c != NULL; c = c->next) {
		if (c->type == XML_ELEMENT_NODE) {
			if (!has_children)
				g_string_append_c(s, '>');
			has_children = true;
			canonical_into(s, c);
		} else if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) &&
		           c->content && !whitespace_only((const char *)c->content)) {
			if (!has_children)
				g_string_append_c(s, '>');
			has_children = true;
			escape_into(s, (const char *)c->content, false);
		}
	}
	if (has_children) {
		g_string_append(s, "</");
		g_string_append(s, (const char *)n->name);
		g_string_append_c(s, '>');
	} else {
		g_string_append(s, "/>");
	}
}

char *vg_xml_canonical(const xmlNode *n)
{
	GString *s = g_string_sized_new(4096);

	if (n != NULL && n->type == XML_ELEMENT_NODE)
		canonical_into(s, n);
	return g_string_free(s, FALSE);
}

char *vg_digest_md5(const void *data, size_t len)
{
	return g_compute_checksum_for_data(G_CHECKSUM_MD5, data, len);
}

char *vg_digest_sha256(const void *data, size_t len)
{
	return g_compute_checksum_for_data(G_CHECKSUM_SHA256, data, len);
}

char *vg_xml_digest(const xmlNode *n)
{
	char *c = vg_xml_canonical(n);
	char *d = vg_digest_md5(c, strlen(c));

	g_free(c);
	return d;
}

static void index_into(GHashTable *idx, const xmlNode *n, const char **dup)
{
	for (; n != NULL; n = n->next) {
		const char *id;

		if (n->type != XML_ELEMENT_NODE)
			continue;
		id = vg_xml_get(n, "id");
		if (id != NULL) {
			if (!g_hash_table_contains(idx, id))
				g_hash_table_insert(idx, (gpointer)id, (gpointer)n);
			else if (dup != NULL && *dup == NULL)
				*dup = id;
		}
		index_into(idx, n->children, dup);
	}
}

GHashTable *vg_xml_id_index(const xmlNode *root, const char **duplicate)
{
	GHashTable *idx = g_hash_table_new(g_str_hash, g_str_equal);

	if (duplicate != NULL)
		*duplicate = NULL;
	if (root != NULL) {
		const char *id = vg_xml_get(root, "id");

		if (id != NULL)
			g_hash_table_insert(idx, (gpointer)id, (gpointer)root);
		index_into(idx, root->children, duplicate);
	}
	return idx;
}

xmlNode *vg_xml_deref(xmlNode *n, GHashTable *idx)
{
	const char *ref = vg_xml_get(n, "id-ref");

	if (ref == NULL)
		return n;
	return idx ? g_hash_table_lookup(idx, ref) : NULL;
}
