/*
 * `vigil status` internals: the data one status report is made of, and the
 * XML (crm_mon --output-as=xml names) and JSON renderers.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef VIGIL_STATUS_PRIVATE_H
#define VIGIL_STATUS_PRIVATE_H

#include <glib.h>
#include <libxml/tree.h>

#include <vigil/client.h>
#include <vigil/sched.h>

typedef struct status_report {
	xmlNode *cib;                        /* the controller's CIB */
	vg_client_status_t st;               /* who answered, DC, quorum */
	const vg_sched_cluster_view_t *view; /* the scheduler's reading of it */
	GPtrArray *fence_history;            /* vg_fence_record_t *, may be NULL */
	vg_time_t now;
} status_report_t;

/* <pacemaker-result> document for the report; xmlFreeDoc() it. */
xmlDoc *status_xml(const status_report_t *r);
/* The same content as JSON text (g_free). */
char *status_json(const xmlNode *result);

#endif
