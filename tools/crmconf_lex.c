/*
 * crmconf_lex.c: crm-style text into statements of tokens.
 *
 * Owns the surface syntax only: a statement is one logical line ("\" before
 * the newline continues it, as crmsh's `show` writes long objects), tokens
 * are separated by blanks, double or single quotes keep blanks inside a
 * token (k="a b" is the token k=a b), a line whose first non-blank character
 * is '#' is a comment ('#' elsewhere is text: #uname in rules).  Never
 * interprets keywords.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include "crmconf_private.h"

static void tok_free(gpointer p)
{
	cc_tok_t *t = p;
	g_free(t->text);
	g_free(t);
}

static void stmt_free(gpointer p)
{
	cc_stmt_t *s = p;
	g_ptr_array_unref(s->toks);
	g_free(s);
}

GPtrArray *cc_stmts_new(void)
{
	return g_ptr_array_new_with_free_func(stmt_free);
}

static cc_stmt_t *stmt_new(int line)
{
	cc_stmt_t *s = g_new0(cc_stmt_t, 1);
	s->toks = g_ptr_array_new_with_free_func(tok_free);
	s->line = line;
	return s;
}

/* Lexer state passed around instead of globals. */
typedef struct lex {
	const char *p;
	int line;
	GString *tok;
	bool in_tok, quoted;
	int tok_line;
	cc_stmt_t *cur;
	GPtrArray *out;
} lex_t;

static void end_tok(lex_t *L)
{
	if (!L->in_tok)
		return;
	if (L->cur == NULL)
		L->cur = stmt_new(L->tok_line);
	cc_tok_t *t = g_new0(cc_tok_t, 1);
	t->text = g_strdup(L->tok->str);
	t->line = L->tok_line;
	t->quoted = L->quoted;
	g_ptr_array_add(L->cur->toks, t);
	g_string_truncate(L->tok, 0);
	L->in_tok = L->quoted = false;
}

static void end_stmt(lex_t *L)
{
	end_tok(L);
	if (L->cur != NULL)
		g_ptr_array_add(L->out, L->cur);
	L->cur = NULL;
}

static void start_tok(lex_t *L)
{
	if (!L->in_tok) {
		L->in_tok = true;
		L->tok_line = L->line;
	}
}

/* At the start of a physical line that begins a statement: skip comments. */
static bool skip_comment(lex_t *L)
{
	const char *q = L->p;
	while (*q == ' ' || *q == '\t')
		q++;
	if (*q != '#')
		return false;
	while (*q && *q != '\n')
		q++;
	L->p = q;
	return true;
}

/* "xml <element .../>": the rest of the physical line is one token, verbatim. */
static bool raw_xml(lex_t *L)
{
	const char *q = L->p;
	while (*q == ' ' || *q == '\t')
		q++;
	if (strncmp(q, "xml", 3) != 0 || (q[3] != ' ' && q[3] != '\t'))
		return false;
	const char *end = strchr(q, '\n');
	if (!end)
		end = q + strlen(q);
	L->cur = stmt_new(L->line);
	cc_tok_t *t = g_new0(cc_tok_t, 1);
	t->text = g_strdup("xml");
	t->line = L->line;
	g_ptr_array_add(L->cur->toks, t);
	t = g_new0(cc_tok_t, 1);
	t->text = g_strstrip(g_strndup(q + 4, (gsize)(end - q - 4)));
	t->line = L->line;
	t->quoted = true;
	g_ptr_array_add(L->cur->toks, t);
	L->p = end;
	return true;
}

int cc_lex(const char *text, const char *what, GPtrArray *out, vg_error_t *err)
{
	lex_t L = {.p = text, .line = 1, .tok = g_string_new(NULL), .out = out};
	bool line_start = true;

	while (*L.p) {
		if (line_start && L.cur == NULL && skip_comment(&L))
			continue;
		if (line_start && L.cur == NULL && raw_xml(&L))
			continue;
		line_start = false;
		char ch = *L.p;
		if (ch == '\\' && (L.p[1] == '\n' || (L.p[1] == '\r' && L.p[2] == '\n'))) {
			end_tok(&L);
			L.p += L.p[1] == '\n' ? 2 : 3;
			L.line++;
			continue;
		}
		if (ch == '\n') {
			end_stmt(&L);
			L.line++;
			L.p++;
			line_start = true;
			continue;
		}
		if (ch == ' ' || ch == '\t' || ch == '\r') {
			end_tok(&L);
			L.p++;
			continue;
		}
		if (ch == '"' || ch == '\'') {
			int qline = L.line;
			start_tok(&L);
			L.quoted = true;
			L.p++;
			while (*L.p && *L.p != ch) {
				/* Inside double quotes a backslash escapes the next character. */
				if (ch == '"' && *L.p == '\\' && L.p[1])
					L.p++;
				if (*L.p == '\n')
					L.line++;
				g_string_append_c(L.tok, *L.p++);
			}
			if (*L.p != ch) {
				g_string_free(L.tok, TRUE);
				if (L.cur)
					stmt_free(L.cur);
				return vg_error_set(err, VG_EPARSE, "%s:%d: unterminated quote %c",
				                    what, qline, ch);
			}
			L.p++;
			continue;
		}
		start_tok(&L);
		g_string_append_c(L.tok, ch);
		L.p++;
	}
	end_stmt(&L);
	g_string_free(L.tok, TRUE);
	return 0;
}
