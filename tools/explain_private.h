/*
 * `vigil explain` (vigil_explain.c, explain_*.c): why the cluster placed a
 * resource where it is, or why it is stopped, in sentences.
 *
 *   explain_terms.c  per node: the allocation score and what it is made of
 *   explain_why.c    placement now and after the transition, the actions,
 *                    and the reasons a resource is stopped
 *   explain_print.c  text and XML output
 *
 * The scheduler decides; these files only read its result (cluster view,
 * graph, summary, scores) and the CIB.  Where a score is rebuilt from the
 * configuration, the rule used is a small, commented mirror of the
 * scheduler's, and the scheduler's own number is shown next to it when it
 * reported one (show_scores).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef VIGIL_EXPLAIN_PRIVATE_H
#define VIGIL_EXPLAIN_PRIVATE_H

#include <vigil/sched.h>

/* Everything the explanation reads; built by vigil_explain.c. */
typedef struct ex_ctx {
	xmlNode *cib;    /* the <cib> scheduled */
	xmlNode *cfg;    /* its <configuration> */
	GHashTable *ids; /* id -> element under cfg */
	vg_sched_result_t *res;
	const vg_sched_cluster_view_t *v;
	vg_graph_t *graph; /* the transition, unpacked */
	char *scores;      /* the scheduler's show-scores text */
	vg_time_t now;
	GHashTable *props;        /* cluster options: name -> value */
	GPtrArray *fence_history; /* vg_fence_record_t * (live only), may be NULL */
} ex_ctx_t;

/* One contribution to a node's score, or one reason. */
typedef struct ex_term {
	char *kind;  /* "location", "stickiness", "colocation", "failures", "node", ... */
	char *id;    /* constraint or resource id the term comes from, may be NULL */
	int score;   /* its value (VG_SCORE_INFINITY scale) */
	bool counts; /* false: considered but not applied (rule did not match ...) */
	char *text;  /* the sentence */
} ex_term_t;

typedef struct ex_node {
	const vg_sched_node_view_t *n;
	GPtrArray *terms; /* ex_term_t * */
	int total;        /* sum of the counting terms */
	bool usable;      /* the node can run resources at all */
	bool fits;        /* enough free capacity (placement-strategy) */
	bool have_sched;  /* the scheduler reported its own score */
	int sched;        /* ... which is this */
} ex_node_t;

typedef struct ex_report {
	const char *rsc; /* as asked */
	const vg_sched_rsc_view_t *r;
	GPtrArray *prims;   /* const vg_sched_rsc_view_t *: primitives under r */
	GPtrArray *now;     /* char *: nodes where active now */
	GPtrArray *next;    /* char *: nodes where active after the transition */
	GPtrArray *nodes;   /* ex_node_t * */
	GPtrArray *reasons; /* ex_term_t *: why stopped / not moving */
	GPtrArray *actions; /* char *: planned actions */
	GPtrArray *notes;   /* char *: everything else worth saying */
} ex_report_t;

/* explain_terms.c */
ex_term_t *ex_term_new(const char *kind, const char *id, int score, bool counts, const char *fmt,
                       ...) G_GNUC_PRINTF(5, 6);
void ex_term_free(gpointer p);
/* The configuration element of a resource view (instance ":N" stripped). */
xmlNode *ex_rsc_xml(const ex_ctx_t *ctx, const vg_sched_rsc_view_t *r);
/* A meta attribute with inheritance (resource, its parents, rsc_defaults);
 * g_free() the result, NULL when unset. */
char *ex_meta(const ex_ctx_t *ctx, const vg_sched_rsc_view_t *r, const char *name);
/* Fill rep->nodes (per-node breakdown; only `only_node` when non-NULL). */
/* The resource's own meta attribute (no inheritance), borrowed, NULL when unset. */
const char *ex_own_meta(const ex_ctx_t *ctx, const vg_sched_rsc_view_t *r, const char *name);
void ex_terms(const ex_ctx_t *ctx, ex_report_t *rep, const char *only_node);

/* explain_why.c */
const vg_sched_rsc_view_t *ex_find(const ex_ctx_t *ctx, const char *id);
/* Nodes where r (any primitive below it) is active after the transition. */
GPtrArray *ex_next_nodes(const ex_ctx_t *ctx, const vg_sched_rsc_view_t *r);
int ex_report_build(const ex_ctx_t *ctx, const char *rsc, const char *only_node, ex_report_t **out,
                    vg_error_t *err);
void ex_report_free(ex_report_t *rep);

/* explain_print.c */
char *ex_print_text(const ex_ctx_t *ctx, const ex_report_t *rep);
char *ex_print_xml(const ex_ctx_t *ctx, const ex_report_t *rep);

#endif
