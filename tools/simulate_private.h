/*
 * `vigil simulate` internals shared by tools/vigil_simulate.c (options),
 * tools/simulate_run.c (load, inject, schedule, print) and
 * tools/simulate_exec.c (executing a transition graph in simulation).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef VIGIL_SIMULATE_PRIVATE_H
#define VIGIL_SIMULATE_PRIVATE_H

#include <stdbool.h>
#include <stdio.h>

#include <vigil/common.h>
#include <vigil/sched.h>

/* Exit statuses, the same numbers crm_simulate uses (sysexits). */
enum {
	SIM_EXIT_OK = 0,
	SIM_EXIT_ERROR = 1,
	SIM_EXIT_USAGE = 64,
	SIM_EXIT_DATAERR = 65,
	SIM_EXIT_NOINPUT = 66,
	SIM_EXIT_SOFTWARE = 70,
	SIM_EXIT_CANTCREAT = 73,
};

#define SIM_ORIGIN "vigil simulate"

typedef struct sim_opts {
	const char *xml_file;                       /* -x; "-" or xml_pipe: stdin */
	bool xml_pipe;                              /* -p */
	bool run;                                   /* -R */
	bool simulate;                              /* -S */
	bool in_place;                              /* -X */
	bool show_scores;                           /* -s */
	bool show_utilization;                      /* -U */
	bool quiet;                                 /* -Q */
	const char *datetime;                       /* -t */
	const char *quorum;                         /* -q VALUE */
	const char *save_graph;                     /* -G */
	const char *save_dot;                       /* -D */
	const char *save_output;                    /* -O */
	const char *save_input;                     /* -I */
	GPtrArray *node_up, *node_down, *node_fail; /* char * (borrowed argv) */
	GPtrArray *op_inject, *op_fail;             /* char * */
	GPtrArray *ticket_grant, *ticket_revoke, *ticket_standby, *ticket_activate;
} sim_opts_t;

/* Whole command after option parsing; returns the exit status. */
int sim_main(const sim_opts_t *o);

/* Execute the result's graph on `cib` in simulation, printing the
 * "Executing Cluster Transition:" lines to out (NULL: quiet).  Returns
 * the graph's end state, or -1 when the graph cannot be unpacked. */
int sim_execute(xmlNode *cib, const vg_sched_result_t *r, const sim_opts_t *o, vg_time_t now,
                FILE *out, vg_error_t *err);

/* The "Injecting attribute fail-count-..." lines crm_simulate prints when
 * a failure is recorded: for an -i/-F SPEC ("rsc_task_interval@node=rc")
 * or, with spec NULL, for the given fields. */
void sim_print_failure(FILE *out, xmlNode *cib, const char *spec, vg_time_t now);
void sim_print_failure_fields(FILE *out, xmlNode *cib, const char *node, const char *rsc,
                              const char *task, guint interval_ms, int rc, vg_time_t now);

#endif
