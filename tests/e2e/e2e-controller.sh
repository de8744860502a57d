#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Acceptance 7, 8 and 6 (clean shutdown): 100 concurrent CIB writes from
# each node end in the same version everywhere with all 300 changes;
# kill -9 of the controller on a non-DC node and on the DC: respawned by
# vigild, running resources not restarted, a new DC when the DC's
# controller died; a clean shutdown moves resources away without fencing;
# a clean shutdown of the DC while a start it sent elsewhere is still in
# flight: the DC waits for it, the start is in the replicated CIB as pending
# meanwhile, and no resource is ever active twice.
. "${VIGIL_SRCDIR:-$(dirname "$0")/../..}/tests/e2e/e2e-lib.sh"
e2e_init controller
# ip's start takes 3 s, so that a start can be caught in flight.
e2e_cib() {
	e2e_cib_default |
		sed 's|<nvpair id="ip-label"|<nvpair id="ip-delay" name="delay" value="3"/>&|'
}
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

# 9. Clean shutdown of the DC while its transition has a start in flight on
# another node: the DC leaves only once that start is confirmed and recorded,
# so its successor does not start ip a second time.
vigil-lab start $victim >"$E2E_DIR/lab-start.log" 2>&1 || { cat "$E2E_DIR/lab-start.log"; e2e_fail "vigil-lab start $victim"; }
e2e_wait 30 "$victim back in the cluster" e2e_all_have_dc
dc=$(e2e_dc $keep)
[ -n "$dc" ] || e2e_fail "no DC"
alive=$(printf 'node1\nnode2\nnode3\n' | grep -vx "$dc" | head -n 1)
vx $dc vigil resource move web $dc >/dev/null || e2e_fail "vigil resource move web $dc failed"
web_on_dc() { [ "$(e2e_where svc $alive)" = "$dc" ] && [ "$(e2e_where ip $alive)" = "$dc" ]; }
e2e_wait 40 "web to run on the DC $dc" web_on_dc
vx $dc vigil resource clear web >/dev/null || e2e_fail "vigil resource clear web failed"
sleep 2
[ "$(e2e_where ip $alive)" = "$dc" ] || e2e_fail "ip left $dc after the move was cleared"
t0=$(e2e_now)
vx $dc vigil node shutdown || e2e_fail "vigil node shutdown on the DC $dc failed"
# While the start runs, the other nodes' CIB already says it is pending.
ip_pending() {
	vx $alive vigil cib query 2>/dev/null | grep -Eq 'id="ip_last_0" operation_key="ip_start_0"[^>]*op-status="-1"'
}
e2e_wait 10 "a pending start of ip in $alive's CIB" ip_pending
dc_gone() { [ -z "$(e2e_pids $dc vigild)" ]; }
e2e_wait 60 "the DC $dc's vigild to exit" dc_gone
t_gone=$(e2e_now)
ip_away() { w=$(e2e_where ip $alive); [ -n "$w" ] && [ "$w" != "$dc" ]; }
e2e_wait 30 "ip to run away from $dc" ip_away
new_dc() { d=$(e2e_dc $alive); [ -n "$d" ] && [ "$d" != "$dc" ]; }
e2e_wait 20 "a new DC after $dc left" new_dc
sleep 5
starts=$(awk -v s="$t0" '$1 > s && $3 == "ip" && $4 == "start"' "$MARKER_DIR/activity.log" | wc -l)
[ "$starts" = 1 ] || e2e_fail "ip was started $starts times after the DC's shutdown (expected once)"
# The start (3 s) was sent by the leaving DC: it must have been confirmed
# before the DC was gone.
t_start=$(awk -v s="$t0" '$1 > s && $3 == "ip" && $4 == "start" { print $1; exit }' "$MARKER_DIR/activity.log")
e2e_log "9: ip started elsewhere at $t_start, the DC $dc gone by $t_gone"
awk -v a="$t_start" -v b="$t_gone" 'BEGIN { exit !(a < b) }' ||
	e2e_fail "the DC $dc left before the start of ip it had sent was done"
e2e_check_activity
e2e_log "9: clean shutdown of the DC $dc with a start in flight: ip started once, on $(e2e_where ip $alive); new DC $(e2e_dc $alive)"
e2e_check_activity
e2e_log "PASS"
