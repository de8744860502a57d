/*
 * The agent helpers: one multi-call program (vigil-agent-helper) that acts
 * as crm_attribute, crm_master, attrd_updater or crm_node depending on the
 * name it is called by, with the options resource agents (ocf-shellfuncs,
 * ocf:pacemaker:Stateful, ...) use.  They talk to the local controller.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef HELPER_PRIVATE_H
#define HELPER_PRIVATE_H

int helper_crm_attribute(int argc, char **argv);
int helper_crm_master(int argc, char **argv);
int helper_attrd_updater(int argc, char **argv);
int helper_crm_node(int argc, char **argv);

/* Pacemaker-compatible exit codes the agents test for. */
#define HELPER_EXIT_OK       0
#define HELPER_EXIT_ERROR    1
#define HELPER_EXIT_USAGE    64
#define HELPER_EXIT_NOSUCH   105
#define HELPER_EXIT_UNAVAIL  69
#define HELPER_EXIT_NOQUORUM 3

#endif
