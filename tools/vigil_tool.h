/*
 * The `vigil` command's subcommands.  Each lives in tools/vigil_<name>.c and
 * is entered with the arguments after the subcommand name (argv[0] is the
 * subcommand).  They return the process exit status.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef VIGIL_TOOL_H
#define VIGIL_TOOL_H

int vg_tool_status(int argc, char **argv);
int vg_tool_configure(int argc, char **argv);
int vg_tool_resource(int argc, char **argv);
int vg_tool_node(int argc, char **argv);
int vg_tool_cib(int argc, char **argv);
int vg_tool_simulate(int argc, char **argv);
int vg_tool_fence(int argc, char **argv);
int vg_tool_attribute(int argc, char **argv);
int vg_tool_membership(int argc, char **argv);
int vg_tool_ra(int argc, char **argv);
int vg_tool_explain(int argc, char **argv);

#endif
