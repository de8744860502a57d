#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Acceptance 7, 8 and 6 (clean shutdown): 100 concurrent CIB writes from
# each node end in the same version everywhere with all 300 changes;
# kill -9 of the controller on a non-DC node and on the DC: respawned by
# vigild, running resources not restarted, a new DC when the DC's
# controller died; a clean shutdown moves resources away without fencing.
. "${VIGIL_SRCDIR:-$(dirname "$0")/../..}/tests/e2e/e2e-lib.sh"
e2e_init controller
e2e_cluster

# 7. 3 x 100 concurrent writes through `vigil cib modify` at every node.
for n in node1 node2 node3; do
	vx $n bash -c '
		for i in $(seq 1 100); do
			x="<crm_config><cluster_property_set id=\"e2e-'$n'\"><nvpair id=\"e2e-'$n'-$i\" name=\"e2e-'$n'-$i\" value=\"$i\"/></cluster_property_set></crm_config>"
			vigil cib modify -o crm_config -c -X "$x" >/dev/null 2>>'"$E2E_DIR"'/modify-'$n'.err ||
				echo "$i" >>'"$E2E_DIR"'/modify-'$n'.failed
		done' &
done
wait
for n in node1 node2 node3; do
	[ -s "$E2E_DIR/modify-$n.failed" ] && { cat "$E2E_DIR/modify-$n.err"; e2e_fail "writes from $n failed"; }
done
all_300() {
	e2e_cibs_identical || return 1
	[ "$(grep -o 'id="e2e-node[0-9]-[0-9]*"' "$VIGIL_LAB_DIR/node1/state/cib/cib.xml" | sort -u | wc -l)" = 300 ]
}
e2e_wait 30 "all 300 changes in identical CIBs on every node" all_300
e2e_log "7: 300 concurrent writes, same version everywhere: $(grep -o ' epoch="[0-9]*"' "$VIGIL_LAB_DIR/node1/state/cib/cib.xml" | head -n 1)"

# 8. kill -9 of a controller: respawned, nothing restarted.
fences() { vx "$1" vigil status --xml | grep -c "<fence_event" || true; }
kill_ctld() {
	local node=$1 pid new
	pid=$(e2e_pids $node vigil-ctld)
	[ -n "$pid" ] || e2e_fail "no controller running on $node"
	kill -9 $pid
	respawned() { new=$(e2e_pids $node vigil-ctld); [ -n "$new" ] && [ "$new" != "$pid" ]; }
	e2e_wait 20 "$node's controller to be respawned" respawned
}
dc=$(e2e_dc)
other=node1; [ "$dc" = node1 ] && other=node2
third=$(printf 'node1\nnode2\nnode3\n' | grep -vx "$dc" | grep -vx "$other")
events=$(wc -l <"$MARKER_DIR/activity.log")
f0=$(fences $dc)
kill_ctld $other
e2e_wait 20 "$other back in the cluster" e2e_all_have_dc
sleep 3
[ "$(wc -l <"$MARKER_DIR/activity.log")" = "$events" ] || e2e_fail "resources were restarted after $other's controller died"
[ "$(e2e_dc $third)" = "$dc" ] || e2e_fail "the DC changed although only $other's controller died"
e2e_log "8: $other's controller respawned, nothing restarted, DC still $dc"
kill_ctld $dc
new_dc() { d=$(e2e_dc $third); [ -n "$d" ] && [ "$d" != "$dc" ]; }
e2e_wait 20 "a new DC after $dc's controller died" new_dc
e2e_wait 20 "$dc back in the cluster" e2e_all_have_dc
sleep 3
[ "$(wc -l <"$MARKER_DIR/activity.log")" = "$events" ] || e2e_fail "resources were restarted after the DC's controller died"
[ "$(fences $third)" = "$f0" ] || e2e_fail "a node was fenced after a controller restart"
e2e_log "8: DC $dc's controller respawned, new DC $(e2e_dc $third), nothing restarted"

# 6. Clean shutdown: resources move away, no fencing.
victim=$(e2e_where ip)
keep=node1; [ "$victim" = node1 ] && keep=node2
f0=$(fences $keep)
vx $victim vigil node shutdown || e2e_fail "vigil node shutdown failed"
gone() { [ -z "$(e2e_pids $victim vigild)" ]; }
e2e_wait 60 "$victim's vigild to exit" gone
moved() { w=$(e2e_where ip $keep); [ -n "$w" ] && [ "$w" != "$victim" ]; }
e2e_wait 20 "ip to run away from $victim" moved
sleep 2
[ "$(fences $keep)" = "$f0" ] || e2e_fail "$victim was fenced after a clean shutdown"
vx $keep vigil status | grep -q "OFFLINE: \[ $victim \]" || e2e_fail "$victim not shown OFFLINE"
e2e_log "6: clean shutdown of $victim: ip on $(e2e_where ip $keep), no fencing"
e2e_check_activity
e2e_log "PASS"
