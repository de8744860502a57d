#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Acceptance 1, 9, 2, 6 (standby): placement as the scheduler says and
# identical CIBs everywhere; Stateful promotion scores through crm_master;
# monitor failure -> restart in place, migration-threshold -> move, cleanup;
# standby moves resources, online keeps them where they are (stickiness).
. "${VIGIL_SRCDIR:-$(dirname "$0")/../..}/tests/e2e/e2e-lib.sh"
e2e_init basic
e2e_cluster

# 1. Where everything runs is where the scheduler wants it: simulating the
# live CIB proposes no change; every node stores the same CIB.
e2e_wait 30 "identical CIBs on all nodes" e2e_cibs_identical
no_changes() {
	vigil simulate -x "$VIGIL_LAB_DIR/node1/state/cib/cib.xml" 2>/dev/null |
		sed -n '/Transition Summary/,/^$/p' | grep -q '^ *\*' && return 1
	return 0
}
e2e_wait 30 "the live placement to equal vigil simulate's" no_changes
for n in node1 node2 node3; do
	if vx $n vigil cib query >"$E2E_DIR/q-$n.xml" 2>/dev/null; then
		cmp -s "$E2E_DIR/q-node1.xml" "$E2E_DIR/q-$n.xml" ||
			e2e_fail "vigil cib query differs between node1 and $n"
	fi
done
e2e_log "1: placement as simulated, CIBs identical"

# 9. The real ocf:pacemaker:Stateful set its scores through our helpers.
for n in node1 node2 node3; do
	v=$(vx node1 vigil attribute get master-drbd -N $n) || e2e_fail "no promotion score on $n"
	case $v in 5|10) ;; *) e2e_fail "unexpected promotion score '$v' on $n" ;; esac
done
p=$(e2e_promoted)
q=node1; [ "$p" = node1 ] && q=node2
vx $q env OCF_RESOURCE_INSTANCE=drbd:0 "$VIGIL_LIBEXEC_DIR/crm_master" -l reboot -v 100 ||
	e2e_fail "crm_master failed"
is_promoted() { [ "$(e2e_promoted)" = "$1" ]; }
e2e_wait 30 "drbd promoted on $q" is_promoted $q
e2e_log "9: promotion follows crm_master ($p -> $q)"

# 2. Monitor failure: restart in place; at migration-threshold (3): move.
where=$(e2e_where vm1)
killed=()
starts() { grep -c " $where vm1 start" "$MARKER_DIR/activity.log"; }
for i in 1 2; do
	before=$(starts)
	killed+=("vm1@$where=$(e2e_now)")
	rm -f "$MARKER_DIR/$where/vm1.state"
	restarted() { [ "$(starts)" -gt "$before" ] && [ "$(e2e_where vm1)" = "$where" ]; }
	e2e_wait 30 "vm1 restarted on $where (failure $i)" restarted
done
vx node1 vigil resource failcount vm1 $where | grep -q "value=2" || e2e_fail "fail-count of vm1 is not 2"
killed+=("vm1@$where=$(e2e_now)")
rm -f "$MARKER_DIR/$where/vm1.state"
moved() { w=$(e2e_where vm1); [ -n "$w" ] && [ "$w" != "$where" ]; }
e2e_wait 30 "vm1 to move away from $where after 3 failures" moved
vx node1 vigil resource cleanup vm1 >/dev/null || e2e_fail "cleanup failed"
clean() { vx node1 vigil resource failcount vm1 $where | grep -q "value=0"; }
e2e_wait 20 "vm1's fail-count reset" clean
e2e_log "2: restart in place, move at migration-threshold, cleanup resets"

# 6. Standby moves resources away; online does not pull them back.
node=$(e2e_where vm2)
vx node1 vigil node standby $node || e2e_fail "standby failed"
away() { w=$(e2e_where vm2); [ -n "$w" ] && [ "$w" != "$node" ]; }
e2e_wait 30 "vm2 to leave $node in standby" away
new=$(e2e_where vm2)
vx node1 vigil node online $node || e2e_fail "online failed"
sleep 3
[ "$(e2e_where vm2)" = "$new" ] || e2e_fail "vm2 moved back to $node despite stickiness"
e2e_log "6: standby moves vm2 $node -> $new; online keeps it there"
e2e_check_activity "${killed[@]}"
e2e_log "PASS"
