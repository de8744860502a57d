/*
 * crmconf_cmd.c: the subcommands of `vigil configure` in the crm-style
 * language: show [xml] [ID...], one statement from the command line
 * (primitive, group, clone, ms, location, colocation, order, property,
 * rsc_defaults, op_defaults, node, xml), delete ID..., load update|replace
 * FILE (crm text, or XML when the first non-blank character is '<'), verify.
 *
 * Every change is made on a copy of the configuration and written in one
 * replace of the configuration section (cc_store_*): a batch with an error
 * anywhere changes nothing.  A change that adds errors found by
 * vg_cib_verify() (a constraint naming a missing resource ...) is refused
 * unless --force.  Never touches the status section.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <string.h>

#include <vigil/cib.h>

#include "crmconf_private.h"

/* Exit codes, as `vigil cib`'s. */
enum {
	CX_OK = 0,
	CX_ERR = 1,
	CX_USAGE = 2,
	CX_INVALID = 3,
	CX_VERIFY = 4,
	CX_NOTFOUND = 5,
	CX_EXISTS = 8,
	CX_NOTCONN = 69
};

static const char usage_text[] =
    "Usage: vigil configure [-x FILE] [-f] COMMAND ...\n"
    "\n"
    "Edit the cluster configuration in the crm-style language.\n"
    "\n"
    "Commands:\n"
    "  show [xml] [ID...]          the configuration (or the objects ID) in crm syntax,\n"
    "                              or as XML with 'xml'\n"
    "  primitive ID AGENT [params K=V...] [meta K=V...] [utilization K=V...]\n"
    "            [op NAME K=V...]...\n"
    "  group ID RSC... [meta K=V...]\n"
    "  clone ID RSC [meta K=V...]        ms ID RSC [meta K=V...] (promotable clone)\n"
    "  location ID RSC|/REGEX/ [resource-discovery=X] [role=R] SCORE: NODE\n"
    "  location ID RSC rule [$id=X] [$role=R] SCORE: EXPR [and|or EXPR]... [rule ...]\n"
    "  colocation ID SCORE: RSC[:ROLE] WITH[:ROLE] [node-attribute=A]\n"
    "  order ID Mandatory|Optional|Serialize|SCORE: FIRST[:ACTION] THEN[:ACTION]\n"
    "            [symmetrical=false]     (more resources, ( a b ) or [ a b ]: sets)\n"
    "  rsc_ticket ID TICKET: RSC[:ROLE]... [loss-policy=P]\n"
    "  tag ID: RSC...          fencing_topology TARGET: DEV[,DEV] [DEV...] ...\n"
    "  property [ID:] K=V...   rsc_defaults [ID:] K=V...   op_defaults [ID:] K=V...\n"
    "  node [ID:] NAME [attributes K=V...] [utilization K=V...]\n"
    "  master, collocation         the older names of ms and colocation\n"
    "  xml <element .../>          add an element written in XML\n"
    "  delete ID...                delete objects (and constraints left dangling)\n"
    "  load update|replace FILE    apply a file of statements ('-': stdin); XML files\n"
    "                              (first character '<') are loaded as XML\n"
    "  verify                      check the configuration (schema and semantics)\n"
    "\n"
    "Expressions: ATTR [TYPE:]OP VALUE (OP: lt gt lte gte eq ne), defined ATTR,\n"
    "not_defined ATTR, date gt|lt DATE, date in_range start=D end=D|duration=P.\n"
    "Scores: numbers, inf, -inf.  Statements in files end at the end of the line;\n"
    "'\\' continues a line; lines starting with '#' are comments.\n"
    "\n"
    "Options:\n"
    "  -x, --xml-file FILE  work on FILE (default: $CIB_file; else the running cluster)\n"
    "  -f, --force          write even when the change adds verify errors\n"
    "  -h, --help           this text\n"
    "\n"
    "Exit status: 0 success, 1 error, 2 usage, 3 syntax error, 4 verify errors,\n"
    "5 not found, 8 id already exists, 69 cluster not running.\n";

static int exit_of(int rc)
{
	switch (rc) {
	case 0:
		return CX_OK;
	case VG_EPARSE:
	case VG_EINVAL:
		return CX_INVALID;
	case VG_ESCHEMA:
		return CX_VERIFY;
	case VG_ENOENT:
		return CX_NOTFOUND;
	case VG_EEXIST:
		return CX_EXISTS;
	case VG_ENOTCONN:
		return CX_NOTCONN;
	default:
		return CX_ERR;
	}
}

static int fail(int rc, const vg_error_t *err)
{
	fprintf(stderr, "vigil configure: %s\n", err->msg[0] ? err->msg : vg_strerror(rc));
	return exit_of(rc);
}

typedef struct cmd {
	cc_store_t st;
	bool force;
	char **args; /* after the command word */
	int nargs;
} cmd_t;

static int count_errors(const xmlNode *cib, GPtrArray **findings)
{
	GPtrArray *f = vg_cib_findings_new();
	int n = vg_cib_verify(cib, f);
	if (findings)
		*findings = f;
	else
		g_ptr_array_unref(f);
	return n;
}

static void print_findings(GPtrArray *f)
{
	for (guint i = 0; i < f->len; i++) {
		vg_cib_finding_t *x = g_ptr_array_index(f, i);
		fprintf(stderr, "%s: %s: %s\n", x->severity == VG_CIB_ERROR ? "ERROR" : "WARNING",
		        x->id ? x->id : "-", x->message);
	}
}

/*
 * Read the CIB, let `edit` change the configuration of a copy, check it
 * and write it back.  `what` names the input for messages.
 */
typedef int (*edit_fn)(cc_ctx_t *ctx, void *data, vg_error_t *err);

static int edit_and_write(cmd_t *c, const char *what, bool update, bool empty_first, edit_fn edit,
                          void *data)
{
	vg_error_t err = {0};
	xmlDoc *doc = NULL;
	int rc = cc_store_read(&c->st, &doc, &err);
	if (rc)
		return fail(rc, &err);
	xmlNode *cib = xmlDocGetRootElement(doc);
	int before = count_errors(cib, NULL);
	xmlNode *cfg = vg_xml_first(cib, "configuration");
	if (!cfg)
		cfg = vg_xml_new_child(cib, "configuration");
	if (empty_first) {
		/* load replace: everything but the nodes comes from the file;
		 * sections are emptied in place so their order is kept */
		for (xmlNode *sec = vg_xml_first(cfg, NULL); sec; sec = vg_xml_next(sec, NULL)) {
			if (vg_xml_is(sec, "nodes"))
				continue;
			xmlNode *k = sec->children, *next;
			for (; k; k = next) {
				next = k->next;
				xmlUnlinkNode(k);
				xmlFreeNode(k);
			}
		}
	}
	cc_ctx_t ctx = {.cfg = cfg,
	                .ids = g_hash_table_new(g_str_hash, g_str_equal),
	                .what = what,
	                .update = update};
	cc_reindex(&ctx);
	rc = edit(&ctx, data, &err);
	g_hash_table_destroy(ctx.ids);
	if (rc) {
		xmlFreeDoc(doc);
		return fail(rc, &err);
	}
	GPtrArray *f = NULL;
	int after = count_errors(cib, &f);
	if (after > before && !c->force) {
		print_findings(f);
		fprintf(stderr, "vigil configure: the change adds errors; nothing written "
		                "(use --force to write anyway)\n");
		g_ptr_array_unref(f);
		xmlFreeDoc(doc);
		return CX_VERIFY;
	}
	g_ptr_array_unref(f);
	rc = cc_store_write_cfg(&c->st, cfg, &err);
	xmlFreeDoc(doc);
	return rc ? fail(rc, &err) : CX_OK;
}

/* ----------------------------------------------------------- statements */

static int apply_stmts(cc_ctx_t *ctx, void *data, vg_error_t *err)
{
	GPtrArray *stmts = data;
	for (guint i = 0; i < stmts->len; i++) {
		int rc = cc_apply(ctx, g_ptr_array_index(stmts, i), err);
		if (rc)
			return rc;
	}
	return 0;
}

/* One statement from the command line: every argument is one token. */
static int cmd_statement(cmd_t *c, const char *word)
{
	GPtrArray *stmts = cc_stmts_new();
	cc_stmt_t *s = g_new0(cc_stmt_t, 1);
	s->toks = g_ptr_array_new();
	s->line = 1;
	/* the token array frees nothing: the texts are argv's */
	cc_tok_t *toks = g_new0(cc_tok_t, (gsize)c->nargs + 2);
	toks[0] = (cc_tok_t){.text = (char *)word, .line = 1};
	g_ptr_array_add(s->toks, &toks[0]);
	GString *rest = g_string_new(NULL);
	for (int i = 0; i < c->nargs; i++)
		g_string_append_printf(rest, "%s%s", i ? " " : "", c->args[i]);
	if (strcmp(word, "xml") == 0) {
		toks[1] = (cc_tok_t){.text = rest->str, .line = 1, .quoted = true};
		g_ptr_array_add(s->toks, &toks[1]);
	} else {
		for (int i = 0; i < c->nargs; i++) {
			toks[i + 1] = (cc_tok_t){.text = c->args[i], .line = 1};
			g_ptr_array_add(s->toks, &toks[i + 1]);
		}
	}
	g_ptr_array_add(stmts, s);
	int code = edit_and_write(c, "command line", false, false, apply_stmts, stmts);
	g_ptr_array_unref(stmts);
	g_string_free(rest, TRUE);
	g_free(toks);
	return code;
}

static int delete_ids(cc_ctx_t *ctx, void *data, vg_error_t *err)
{
	cmd_t *c = data;
	for (int i = 0; i < c->nargs; i++) {
		int rc = cc_delete(ctx, c->args[i], err);
		if (rc)
			return rc;
	}
	return 0;
}

static int cmd_delete(cmd_t *c)
{
	if (c->nargs < 1) {
		fputs("vigil configure: delete needs at least one id\n", stderr);
		return CX_USAGE;
	}
	return edit_and_write(c, "command line", false, false, delete_ids, c);
}

/* ---------------------------------------------------------------- load */

static int read_input(const char *file, char **text, gsize *len)
{
	GError *gerr = NULL;
	if (strcmp(file, "-") == 0) {
		GString *s = g_string_new(NULL);
		char buf[65536];
		size_t n;
		while ((n = fread(buf, 1, sizeof(buf), stdin)) > 0)
			g_string_append_len(s, buf, (gssize)n);
		*len = s->len;
		*text = g_string_free(s, FALSE);
		return 0;
	}
	if (!g_file_get_contents(file, text, len, &gerr)) {
		fprintf(stderr, "vigil configure: %s\n", gerr->message);
		g_error_free(gerr);
		return CX_ERR;
	}
	return 0;
}

static bool is_xml(const char *text)
{
	while (g_ascii_isspace(*text))
		text++;
	return *text == '<';
}

/* XML load, offline or from stdin (live XML files go to vigil_configure.c). */
static int load_xml(cmd_t *c, bool replace, const char *text, gsize len, const char *file)
{
	vg_error_t err = {0};
	xmlDoc *in = NULL, *doc = NULL;
	int rc = vg_xml_parse(text, len, file, NULL, &in, &err);
	if (rc)
		return fail(rc, &err);
	xmlNode *root = xmlDocGetRootElement(in);
	xmlNode *cfg = vg_xml_is(root, "cib") ? vg_xml_first(root, "configuration") : root;
	if (!cfg || !vg_xml_is(cfg, "configuration")) {
		xmlFreeDoc(in);
		fprintf(stderr, "vigil configure: %s holds neither a <cib> nor a <configuration>\n",
		        file);
		return CX_INVALID;
	}
	if (!replace) {
		/* merge: the current configuration with the file's merged in */
		rc = cc_store_read(&c->st, &doc, &err);
		if (rc == 0)
			rc = vg_cib_op_modify(xmlDocGetRootElement(doc), "configuration", NULL, cfg,
			                      VG_CIB_F_CREATE_MISSING, &err);
		if (rc == 0)
			cfg = vg_xml_first(xmlDocGetRootElement(doc), "configuration");
	}
	if (rc == 0)
		rc = cc_store_write_cfg(&c->st, cfg, &err);
	xmlFreeDoc(doc);
	xmlFreeDoc(in);
	return rc ? fail(rc, &err) : CX_OK;
}

static int cmd_load(cmd_t *c, bool *handled)
{
	*handled = true;
	if (c->nargs != 2 || (strcmp(c->args[0], "update") && strcmp(c->args[0], "replace"))) {
		fputs("vigil configure: usage: load update|replace FILE\n", stderr);
		return CX_USAGE;
	}
	bool replace = strcmp(c->args[0], "replace") == 0;
	const char *file = c->args[1];
	char *text = NULL;
	gsize len = 0;
	/* live XML from a file: the XML-only code does it, as before */
	if (!c->st.file && strcmp(file, "-") != 0) {
		if (read_input(file, &text, &len))
			return CX_ERR;
		if (is_xml(text)) {
			g_free(text);
			*handled = false;
			return 0;
		}
	} else if (read_input(file, &text, &len)) {
		return CX_ERR;
	}
	int code;
	if (is_xml(text)) {
		code = load_xml(c, replace, text, len, file);
	} else {
		vg_error_t err = {0};
		GPtrArray *stmts = cc_stmts_new();
		const char *what = strcmp(file, "-") == 0 ? "stdin" : file;
		int rc = cc_lex(text, what, stmts, &err);
		code = rc ? fail(rc, &err)
		          : edit_and_write(c, what, true, replace, apply_stmts, stmts);
		g_ptr_array_unref(stmts);
	}
	g_free(text);
	return code;
}

/* ---------------------------------------------------------- show, verify */

static int cmd_show(cmd_t *c)
{
	bool xml = c->nargs > 0 && strcmp(c->args[0], "xml") == 0;
	vg_error_t err = {0};
	xmlDoc *doc = NULL;
	int rc = cc_store_read(&c->st, &doc, &err);
	if (rc)
		return fail(rc, &err);
	xmlNode *cfg = vg_xml_first(xmlDocGetRootElement(doc), "configuration");
	xmlNode *show = cfg;
	xmlDoc *sel = NULL;
	int code = CX_OK;
	if (c->nargs > (xml ? 1 : 0)) {
		/* a configuration holding just the named objects, in their sections */
		sel = xmlNewDoc((const xmlChar *)"1.0");
		show = vg_xml_new_child(NULL, "configuration");
		xmlDocSetRootElement(sel, show);
		GHashTable *ids = vg_xml_id_index(cfg, NULL);
		for (int i = xml ? 1 : 0; i < c->nargs; i++) {
			xmlNode *n = g_hash_table_lookup(ids, c->args[i]), *top = n;
			/* a group member or clone child is shown on its own */
			while (top && top->parent && top->parent->parent != cfg)
				top = top->parent;
			if (!n || !top || !top->parent || vg_xml_is(n, "nvpair") ||
			    vg_xml_is(top, "status")) {
				fprintf(stderr,
				        "vigil configure: no object '%s' in the configuration\n",
				        c->args[i]);
				code = CX_NOTFOUND;
				continue;
			}
			const char *sect = vg_xml_name(top->parent);
			xmlNode *s = vg_xml_first(show, sect);
			if (!s)
				s = vg_xml_new_child(show, sect);
			xmlAddChild(s, xmlDocCopyNode(n, sel, 1));
		}
		g_hash_table_destroy(ids);
	}
	char *s = xml ? vg_xml_dump(show, true) : cc_show(show);
	fputs(s, stdout);
	if (*s && s[strlen(s) - 1] != '\n')
		fputc('\n', stdout);
	g_free(s);
	xmlFreeDoc(sel);
	xmlFreeDoc(doc);
	return code;
}

static int cmd_verify(cmd_t *c)
{
	vg_error_t err = {0};
	xmlDoc *doc = NULL;
	int rc = cc_store_read(&c->st, &doc, &err);
	if (rc)
		return fail(rc, &err);
	GPtrArray *f = NULL;
	int n = count_errors(xmlDocGetRootElement(doc), &f);
	print_findings(f);
	g_ptr_array_unref(f);
	xmlFreeDoc(doc);
	if (n == 0)
		printf("configuration OK\n");
	return n ? CX_VERIFY : CX_OK;
}

/* ------------------------------------------------------------- dispatch */

static const char *const statement_words[] = {
    "primitive",  "group",        "clone",       "ms",         "master", "location",
    "colocation", "collocation",  "order",       "rsc_ticket", "tag",    "fencing_topology",
    "property",   "rsc_defaults", "op_defaults", "node",       "xml",
};

static bool is_statement(const char *w)
{
	for (size_t i = 0; i < G_N_ELEMENTS(statement_words); i++)
		if (strcmp(w, statement_words[i]) == 0)
			return true;
	return false;
}

bool vg_crmconf_dispatch(int argc, char **argv, int *code)
{
	cmd_t c = {.st.file = g_getenv("CIB_file")};
	int i = 1;
	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			fputs(usage_text, stdout);
			*code = CX_OK;
			return true;
		} else if ((!strcmp(argv[i], "-x") || !strcmp(argv[i], "--xml-file")) &&
		           i + 1 < argc) {
			c.st.file = argv[++i];
		} else if (!strcmp(argv[i], "-f") || !strcmp(argv[i], "--force")) {
			c.force = true;
		} else {
			fprintf(stderr, "vigil configure: unknown option %s\n%s", argv[i],
			        usage_text);
			*code = CX_USAGE;
			return true;
		}
	}
	if (c.st.file && !*c.st.file)
		c.st.file = NULL;
	if (i >= argc) {
		fputs(usage_text, stderr);
		*code = CX_USAGE;
		return true;
	}
	const char *word = argv[i];
	c.args = argv + i + 1;
	c.nargs = argc - i - 1;
	bool handled = true;
	if (strcmp(word, "show") == 0)
		*code = cmd_show(&c);
	else if (strcmp(word, "verify") == 0)
		*code = cmd_verify(&c);
	else if (strcmp(word, "delete") == 0)
		*code = cmd_delete(&c);
	else if (strcmp(word, "load") == 0)
		*code = cmd_load(&c, &handled);
	else if (is_statement(word))
		*code = cmd_statement(&c, word);
	else {
		fprintf(stderr,
		        "vigil configure: unknown command '%s'; see 'vigil configure --help'\n",
		        word);
		*code = CX_USAGE;
	}
	cc_store_close(&c.st);
	return handled;
}
