/*
 * `vigil simulate`: run the scheduler on a CIB and show what the cluster
 * would do, with crm_simulate's options and output.  This file is option
 * parsing and help only; tools/simulate_run.c does the work.
 *
 * -q: crm_simulate uses -q for --quorum VALUE and -Q for --quiet; vigil
 * accepts both meanings of -q: followed by a quorum value (1, 0, true,
 * false, yes, no) it sets quorum, otherwise it means quiet.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define VG_LOG_SUBSYS "simulate"
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include <vigil/common.h>

#include "simulate_private.h"
#include "vigil_tool.h"

static const char usage_text[] =
    "Usage: vigil simulate -x FILE [-R|-S] [OPTIONS...]\n"
    "\n"
    "Run the scheduler on a CIB and show what the cluster would do\n"
    "(crm_simulate-compatible options and output).\n"
    "\n"
    "Input:\n"
    "  -x, --xml-file=FILE       read the CIB from FILE ('-' for standard input)\n"
    "  -p, --xml-pipe            read the CIB from standard input\n"
    "\n"
    "Operations:\n"
    "  -R, --run                 compute and print the Transition Summary\n"
    "  -S, --simulate            like --run, then execute the transition in simulation\n"
    "                            and print the Revised Cluster Status\n"
    "  -X, --in-place            like --simulate, and write the result back to FILE\n"
    "  -s, --show-scores         print the allocation scores\n"
    "  -U, --show-utilization    print utilization information with the scores\n"
    "  -t, --set-datetime=TIME   schedule as if it were TIME (ISO 8601); default: the\n"
    "                            CIB's execution-date, else now\n"
    "\n"
    "Synthetic events (applied before scheduling):\n"
    "  -u, --node-up=NODE        bring NODE online\n"
    "  -d, --node-down=NODE      take NODE offline cleanly\n"
    "  -f, --node-fail=NODE      make NODE fail (unclean)\n"
    "  -i, --op-inject=SPEC      record an operation result, SPEC being\n"
    "                            RSC_TASK_INTERVALMS@NODE=RC, e.g. web_monitor_10000@node1=7\n"
    "  -F, --op-fail=SPEC        while simulating, make the operation SPEC fail with RC\n"
    "                            (the transition stops at the failed action)\n"
    "  -q, --quorum=VALUE        1/true: the partition has quorum; 0/false: it has not\n"
    "  -g, --ticket-grant=T      grant ticket T      -r, --ticket-revoke=T    revoke T\n"
    "  -b, --ticket-standby=T    make T standby      -e, --ticket-activate=T  activate T\n"
    "\n"
    "Artifacts:\n"
    "  -I, --save-input=FILE     save the CIB after the synthetic events\n"
    "  -O, --save-output=FILE    save the CIB after the simulation\n"
    "  -G, --save-graph=FILE     save the transition graph (XML)\n"
    "  -D, --save-dotfile=FILE   save the transition graph (Graphviz dot)\n"
    "\n"
    "Other:\n"
    "  -Q, --quiet               print nothing but errors (-q alone means the same)\n"
    "  -h, --help                this text\n"
    "\n"
    "Exit status: 0 success, 64 bad usage, 65 unusable CIB, 66 input missing,\n"
    "70 the transition could not complete, 73 an output file could not be written.\n";

enum { OPT_QUORUM = 1000 };

static const struct option long_opts[] = {
    {"xml-file", required_argument, NULL, 'x'},
    {"xml-pipe", no_argument, NULL, 'p'},
    {"run", no_argument, NULL, 'R'},
    {"simulate", no_argument, NULL, 'S'},
    {"in-place", no_argument, NULL, 'X'},
    {"show-scores", no_argument, NULL, 's'},
    {"show-utilization", no_argument, NULL, 'U'},
    {"set-datetime", required_argument, NULL, 't'},
    {"node-up", required_argument, NULL, 'u'},
    {"node-down", required_argument, NULL, 'd'},
    {"node-fail", required_argument, NULL, 'f'},
    {"op-inject", required_argument, NULL, 'i'},
    {"op-fail", required_argument, NULL, 'F'},
    {"quorum", required_argument, NULL, OPT_QUORUM},
    {"ticket-grant", required_argument, NULL, 'g'},
    {"ticket-revoke", required_argument, NULL, 'r'},
    {"ticket-standby", required_argument, NULL, 'b'},
    {"ticket-activate", required_argument, NULL, 'e'},
    {"save-input", required_argument, NULL, 'I'},
    {"save-output", required_argument, NULL, 'O'},
    {"save-graph", required_argument, NULL, 'G'},
    {"save-dotfile", required_argument, NULL, 'D'},
    {"quiet", no_argument, NULL, 'Q'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

static bool is_quorum_value(const char *s)
{
	static const char *const values[] = {"1", "0", "true", "false", "yes", "no"};

	for (size_t i = 0; s != NULL && i < G_N_ELEMENTS(values); i++)
		if (g_ascii_strcasecmp(s, values[i]) == 0)
			return true;
	return false;
}

static void add(GPtrArray **list, const char *value)
{
	if (*list == NULL)
		*list = g_ptr_array_new();
	g_ptr_array_add(*list, (gpointer)value);
}

static void free_lists(sim_opts_t *o)
{
	GPtrArray **lists[] = {&o->node_up,       &o->node_down,      &o->node_fail,
	                       &o->op_inject,     &o->op_fail,        &o->ticket_grant,
	                       &o->ticket_revoke, &o->ticket_standby, &o->ticket_activate};

	for (size_t i = 0; i < G_N_ELEMENTS(lists); i++)
		if (*lists[i] != NULL)
			g_ptr_array_free(*lists[i], TRUE);
}

/* Returns -1 to go on, else the exit status. */
static int parse(int argc, char **argv, sim_opts_t *o)
{
	int c;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":x:pRSXsUt:u:d:f:i:F:q::g:r:b:e:I:O:G:D:Qh", long_opts,
	                        NULL)) != -1) {
		switch (c) {
		case 'x':
			o->xml_file = optarg;
			break;
		case 'p':
			o->xml_pipe = true;
			break;
		case 'R':
			o->run = true;
			break;
		case 'S':
			o->simulate = true;
			break;
		case 'X':
			o->in_place = true;
			break;
		case 's':
			o->show_scores = true;
			break;
		case 'U':
			o->show_utilization = true;
			break;
		case 't':
			o->datetime = optarg;
			break;
		case 'u':
			add(&o->node_up, optarg);
			break;
		case 'd':
			add(&o->node_down, optarg);
			break;
		case 'f':
			add(&o->node_fail, optarg);
			break;
		case 'i':
			add(&o->op_inject, optarg);
			break;
		case 'F':
			add(&o->op_fail, optarg);
			break;
		case 'g':
			add(&o->ticket_grant, optarg);
			break;
		case 'r':
			add(&o->ticket_revoke, optarg);
			break;
		case 'b':
			add(&o->ticket_standby, optarg);
			break;
		case 'e':
			add(&o->ticket_activate, optarg);
			break;
		case 'I':
			o->save_input = optarg;
			break;
		case 'O':
			o->save_output = optarg;
			break;
		case 'G':
			o->save_graph = optarg;
			break;
		case 'D':
			o->save_dot = optarg;
			break;
		case 'Q':
			o->quiet = true;
			break;
		case OPT_QUORUM:
			if (!is_quorum_value(optarg)) {
				fprintf(stderr,
				        "vigil simulate: --quorum takes 1/true or 0/false, "
				        "not '%s'\n",
				        optarg);
				return SIM_EXIT_USAGE;
			}
			o->quorum = optarg;
			break;
		case 'q':
			if (optarg != NULL && is_quorum_value(optarg)) {
				o->quorum = optarg;
			} else if (optarg == NULL && optind < argc &&
			           is_quorum_value(argv[optind])) {
				o->quorum = argv[optind++];
			} else if (optarg == NULL) {
				o->quiet = true;
			} else {
				fprintf(stderr,
				        "vigil simulate: -q takes 1/true or 0/false, "
				        "not '%s'\n",
				        optarg);
				return SIM_EXIT_USAGE;
			}
			break;
		case 'h':
			fputs(usage_text, stdout);
			return SIM_EXIT_OK;
		case ':':
			fprintf(stderr,
			        "vigil simulate: option '%s' needs a value; "
			        "run 'vigil simulate --help'\n",
			        argv[optind - 1]);
			return SIM_EXIT_USAGE;
		default:
			fprintf(stderr,
			        "vigil simulate: unknown option '%s'; "
			        "run 'vigil simulate --help'\n",
			        argv[optind - 1]);
			return SIM_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr,
		        "vigil simulate: unexpected argument '%s'; "
		        "run 'vigil simulate --help'\n",
		        argv[optind]);
		return SIM_EXIT_USAGE;
	}
	if (o->xml_file == NULL && !o->xml_pipe) {
		fprintf(stderr, "vigil simulate: give the CIB with -x FILE (or -p to read "
		                "standard input); run 'vigil simulate --help'\n");
		return SIM_EXIT_USAGE;
	}
	return -1;
}

int vg_tool_simulate(int argc, char **argv)
{
	sim_opts_t o = {0};
	int status = parse(argc, argv, &o);

	if (status < 0)
		status = sim_main(&o);
	free_lists(&o);
	return status;
}
