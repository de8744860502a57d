/*
 * The crm-style configuration language of `vigil configure` (crmconf_*.c):
 * statements as crmsh writes them ("primitive ip ocf:heartbeat:IPaddr2
 * params ip=10.0.0.1 op monitor interval=10s") turned into CIB XML with the
 * ids crmsh would generate, and the configuration printed back in that
 * syntax.  Private to the vigil tool; nothing here talks to the cluster
 * except crmconf_store.c.
 *
 *   crmconf_lex.c    text -> statements of tokens (line continuations, quotes)
 *   crmconf_parse.c  one statement -> elements added to a <configuration>
 *   crmconf_delete.c delete an object and what refers to it
 *   crmconf_expr.c   rules (location rule expressions) and resource sets
 *   crmconf_show.c   <configuration> -> crm text
 *   crmconf_store.c  reading and writing the CIB (live or a file)
 *   crmconf_cmd.c    the subcommands
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef VIGIL_CRMCONF_PRIVATE_H
#define VIGIL_CRMCONF_PRIVATE_H

#include <stdbool.h>

#include <vigil/common.h>

/* ------------------------------------------------------------ crmconf_lex.c */
typedef struct cc_tok {
	char *text;  /* unquoted text */
	int line;    /* 1-based line in the input */
	bool quoted; /* some part was quoted: never a keyword or bracket */
	             /* "xml ..." statements keep the rest of their line as one quoted token */
} cc_tok_t;

typedef struct cc_stmt {
	GPtrArray *toks; /* cc_tok_t * */
	int line;        /* line of the first token */
} cc_stmt_t;

/*
 * Split text into statements (one per logical line; "\" at the end of a
 * line continues it; lines starting with '#' are comments).  Statements are
 * appended to `out` (cc_stmt_t *, freed by the array: create it with
 * cc_stmts_new()).  Errors: VG_EPARSE for an unterminated quote, naming
 * `what` and the line.
 */
GPtrArray *cc_stmts_new(void);
int cc_lex(const char *text, const char *what, GPtrArray *out, vg_error_t *err);

/* ---------------------------------------------------------- crmconf_parse.c */
/* What one parse run works on. */
typedef struct cc_ctx {
	xmlNode *cfg;     /* the <configuration> being edited */
	GHashTable *ids;  /* id -> xmlNode * of everything under cib (kept current) */
	const char *what; /* input name for messages ("FILE", "command line") */
	bool update;      /* an existing object with the same id is replaced, not an error */
} cc_ctx_t;

/* Apply one statement to ctx->cfg.  Errors: VG_EPARSE ("what:LINE: ... 'TOKEN'"),
 * VG_EEXIST (id taken and not updating), VG_ENOENT (unknown resource). */
int cc_apply(cc_ctx_t *ctx, const cc_stmt_t *s, vg_error_t *err);
/* Rebuild ctx->ids from the document of ctx->cfg. */
void cc_reindex(cc_ctx_t *ctx);
/* crmconf_delete.c: delete an object by id, with the constraints that then refer to nothing. */
int cc_delete(cc_ctx_t *ctx, const char *id, vg_error_t *err);

/* Shared by the parser files. */
typedef struct cc_cur {
	const cc_stmt_t *s;
	guint i;
	cc_ctx_t *ctx;
} cc_cur_t;
const cc_tok_t *cc_peek(const cc_cur_t *c);
const cc_tok_t *cc_next(cc_cur_t *c);
bool cc_is(const cc_tok_t *t, const char *word);
int cc_bad(const cc_cur_t *c, const cc_tok_t *t, vg_error_t *err, const char *expected);
/* A free id: base, else base-0, base-1 ... (the way crmsh numbers). g_free(). */
char *cc_new_id(cc_ctx_t *ctx, const char *base);
/* New child with a fresh id registered in ctx->ids. */
xmlNode *cc_child_id(cc_ctx_t *ctx, xmlNode *parent, const char *name, const char *base);
/* Parse "100", "inf", "-inf", "INFINITY" into the text crmsh writes. NULL: not a score. */
char *cc_score_text(const char *s);

/* ----------------------------------------------------------- crmconf_expr.c */
/* "rule [$id=X] [$role=R] SCORE: expr [and|or expr]..." at the cursor (after
 * "rule"), appended to `parent`. */
int cc_parse_rule(cc_cur_t *c, xmlNode *parent, const char *owner_id, vg_error_t *err);
/* Resource list of colocation/order after the score: two plain resources
 * become attributes, anything else resource sets. */
int cc_parse_rsc_list(cc_cur_t *c, xmlNode *con, bool order, vg_error_t *err);
/* Rule and expression text for show. */
bool cc_show_rule(GString *out, const xmlNode *rule, const char *owner);
bool cc_show_sets(GString *out, const xmlNode *con, bool order);
/* "inf", "-inf" or the number, as crmsh prints scores. */
void cc_show_score(GString *out, const char *s);

/* ----------------------------------------------------------- crmconf_show.c */
/* The configuration in crm syntax (g_free). */
char *cc_show(const xmlNode *cfg);
/* A value quoted when the parser would otherwise split or misread it. */
void cc_show_value(GString *out, const char *v);

/* ---------------------------------------------------------- crmconf_store.c */
typedef struct cc_store {
	const char *file; /* offline: -x or CIB_file; NULL: live */
	void *client;     /* vg_client_t * in live mode */
} cc_store_t;

/* Read the whole CIB.  Errors as the underlying path (file or controller). */
int cc_store_read(cc_store_t *st, xmlDoc **out, vg_error_t *err);
/* Replace the configuration section with cfg (offline: one vg_cib_apply
 * transaction and an atomic rewrite of the file). */
int cc_store_write_cfg(cc_store_t *st, const xmlNode *cfg, vg_error_t *err);
void cc_store_close(cc_store_t *st);

/* ------------------------------------------------------------ crmconf_cmd.c */
/* Entry from vigil_configure.c: returns true when it handled the command
 * (exit status in *code), false to leave it to the XML-only code. */
bool vg_crmconf_dispatch(int argc, char **argv, int *code);

#endif
