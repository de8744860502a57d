/*
 * sched_unpack.c: cluster options (crm_config) and the cib element's own
 * attributes (have-quorum, dc-uuid).
 *
 * Owns the defaults of every cluster option the scheduler reads and the
 * aliases (fencing-enabled / stonith-enabled).  Never looks at nodes or
 * resources.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define VG_LOG_SUBSYS "sched"
#include <string.h>

#include "sched_private.h"

static const char *opt(sc_t *sc, const char *name, const char *alias, const char *dflt)
{
	const char *v = g_hash_table_lookup(sc->config_opts, name);

	if (v == NULL && alias != NULL)
		v = g_hash_table_lookup(sc->config_opts, alias);
	return v != NULL ? v : dflt;
}

int sc_unpack_options(sc_t *sc, vg_error_t *err)
{
	xmlNode *crm_config = vg_xml_first(sc->config, "crm_config");
	vg_rule_ctx_t ctx;
	const char *q;

	(void)err;
	sc->config_opts = sc_strtable();
	sc_rule_ctx(sc, &ctx, NULL);
	if (crm_config != NULL)
		vg_nvset_unpack(crm_config, "cluster_property_set", &ctx, "cib-bootstrap-options",
		                false, sc->config_opts, &sc->recheck);

	sc->stonith_enabled = sc_true(opt(sc, "fencing-enabled", "stonith-enabled", "true"));
	sc->stonith_action = opt(sc, "fencing-action", "stonith-action", "reboot");
	if (!strcmp(sc->stonith_action, "poweroff"))
		sc->stonith_action = "off";
	sc->symmetric = sc_true(opt(sc, "symmetric-cluster", NULL, "true"));
	sc->no_quorum_policy = opt(sc, "no-quorum-policy", NULL, "stop");
	sc->stop_orphan_rsc =
	    sc_true(opt(sc, "stop-removed-resources", "stop-orphan-resources", "true"));
	sc->stop_orphan_actions =
	    sc_true(opt(sc, "cancel-removed-actions", "stop-orphan-actions", "true"));
	sc->start_failure_fatal = sc_true(opt(sc, "start-failure-is-fatal", NULL, "true"));
	sc->maintenance_mode = sc_true(opt(sc, "maintenance-mode", NULL, "false"));
	sc->startup_probes = sc_true(opt(sc, "enable-startup-probes", NULL, "true"));
	sc->stop_all = sc_true(opt(sc, "stop-all-resources", NULL, "false"));
	sc->shutdown_lock = sc_true(opt(sc, "shutdown-lock", NULL, "false"));
	sc->shutdown_lock_limit = sc_ms(opt(sc, "shutdown-lock-limit", NULL, "0"), 0) / 1000;
	sc->placement_strategy = opt(sc, "placement-strategy", NULL, "default");
	sc->default_stickiness = sc_score(opt(sc, "default-resource-stickiness", NULL, "0"), 0);

	q = vg_xml_get(sc->cib, "have-quorum");
	sc->have_quorum = sc_true(q);
	if (sc->opts.quorum == VG_SCHED_QUORUM_YES)
		sc->have_quorum = true;
	else if (sc->opts.quorum == VG_SCHED_QUORUM_NO)
		sc->have_quorum = false;
	sc->dc_uuid = sc->opts.dc_name != NULL ? NULL : vg_xml_get(sc->cib, "dc-uuid");
	return 0;
}
