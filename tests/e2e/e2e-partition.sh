#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Acceptance 5: partition 2|1.  The node running the IP is cut off from the
# other two: alone it has no quorum and stops its resources
# (no-quorum-policy=stop); the majority fences it through the simulator and
# recovers its resources.  After healing, the node rejoins.
. "${VIGIL_SRCDIR:-$(dirname "$0")/../..}/tests/e2e/e2e-lib.sh"
e2e_init partition
e2e_cluster

# Fencing waits 4 s (pcmk_delay_base), so the minority's own reaction to
# losing quorum can be seen before it is switched off.
vx node1 vigil cib modify -o resources -X '<primitive id="fence-pdu" class="stonith" type="vigil-redfish"><instance_attributes id="fence-pdu-ia"><nvpair id="fence-pdu-delay" name="pcmk_delay_base" value="4s"/></instance_attributes></primitive>' ||
	e2e_fail "cannot set the fencing delay"
victim=$(e2e_where ip)
keep=node1; [ "$victim" = node1 ] && keep=node2
# When the simulator switches the victim off, its vigild dies: note the time.
vpid=$(e2e_pids $victim vigild)
(while e2e_alive $vpid; do sleep 0.01; done; e2e_now >"$E2E_DIR/death") &
e2e_mark
vigil-lab cut "$victim" >/dev/null || e2e_fail "vigil-lab cut failed"
t_cut=$(e2e_now)
elsewhere() { w=$(e2e_where ip $keep); [ -n "$w" ] && [ "$w" != "$victim" ]; }
e2e_wait 40 "ip recovered by the majority" elsewhere
t_up=$(e2e_now)
vx $keep vigil status | grep -q "reboot of $victim successful" || e2e_fail "the majority did not fence $victim"
e2e_fenced_first "$victim" ||
	e2e_fail "the majority started ip before $victim was fenced"
# The minority applied no-quorum-policy=stop before it was switched off.
grep -q "quorum lost" "$VIGIL_LAB_DIR/$victim/daemon.out" || e2e_fail "$victim never noticed losing quorum"
death=$(cat "$E2E_DIR/death")
awk -v t="$t_cut" -v d="$death" -v n="$victim" '$1 > t && $1 < d && $2 == n && $3 == "ip" && $4 == "stop" { ok = 1 } END { exit !ok }' \
	"$MARKER_DIR/activity.log" || e2e_fail "$victim did not stop ip after losing quorum"
awk -v t="$t_cut" -v n="$victim" '$1 > t && $2 == n && $4 == "start" { bad = 1 } END { exit bad }' \
	"$MARKER_DIR/activity.log" || e2e_fail "$victim started resources without quorum"
# Back after its reboot but still cut off: alone, without quorum, idle.
alone() { vx $victim vigil status 2>/dev/null | grep -q "partition WITHOUT quorum"; }
e2e_wait 30 "$victim up again, alone and without quorum" alone
e2e_log "5: $victim cut off: fenced by the majority, ip on $(e2e_where ip $keep) after $(echo "$t_up - $t_cut" | bc) s"
vigil-lab heal >/dev/null
all_online() { vx $keep vigil status | grep -q "Online: \[ node1 node2 node3 \]"; }
e2e_wait 40 "$victim to rejoin after healing" all_online
e2e_check_activity "$victim=$(cat "$E2E_DIR/death")"
e2e_log "PASS"
