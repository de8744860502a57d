#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The operation history the controller records on a live cluster:
#  1. its op-digests are the ones the scheduler expects: once the cluster
#     has settled, `vigil simulate -S` on a copy of the live CIB has nothing
#     to run (a recorded monitor is not redone);
#  2. `vigil resource cleanup vm1` erases vm1's history and vm1's node's
#     executor forgets it: vm1 is probed again, found running, monitored
#     again, and never restarted;
#  3. lrm_delete: a shutdown lock older than shutdown-lock-limit on a node
#     that left cleanly is erased by the DC, and the resource it held runs
#     elsewhere.
. "${VIGIL_SRCDIR:-$(dirname "$0")/../..}/tests/e2e/e2e-lib.sh"
e2e_init history
e2e_cluster

cib() { vx "${2:-node1}" vigil cib query 2>/dev/null >"$E2E_DIR/$1.xml"; }
# The lrm_resource element of RSC on NODE in a saved CIB (one line).
lrm_rsc() {
	python3 - "$E2E_DIR/$1.xml" "$2" "$3" <<'END'
import sys, xml.etree.ElementTree as ET
st = ET.parse(sys.argv[1]).getroot().find("status")
for ns in st.findall("node_state"):
    if ns.get("uname") != sys.argv[2]:
        continue
    for r in ns.iter("lrm_resource"):
        if r.get("id") == sys.argv[3]:
            print(" ".join("%s=%s" % (o.get("id"), o.get("operation_key")) for o in r.findall("lrm_rsc_op")))
            sys.exit(0)
sys.exit(1)
END
}

# 1. Nothing left to do on a settled cluster.
settled() {
	cib live && vigil simulate -x "$E2E_DIR/live.xml" -S >"$E2E_DIR/sim.out" 2>&1 &&
		! grep -q "action:" "$E2E_DIR/sim.out"
}
e2e_wait 30 "a cluster with nothing left to run" settled
sleep 4 # several monitor intervals: their results change nothing
settled || { cat "$E2E_DIR/sim.out"; e2e_fail "the scheduler wants to redo something after recorded results"; }
e2e_log "1: the recorded history leaves the scheduler nothing to do"

# 2. Cleanup of a running resource.
w=$(e2e_where vm1)
[ -n "$w" ] || e2e_fail "vm1 is not running"
events=$(wc -l <"$MARKER_DIR/activity.log")
lines=$(wc -l <"$VIGIL_LAB_DIR/$w/daemon.out")
vx node1 vigil resource cleanup vm1 >/dev/null || e2e_fail "vigil resource cleanup vm1 failed"
forgot() { tail -n +"$lines" "$VIGIL_LAB_DIR/$w/daemon.out" | grep -q "vm1: forgotten"; }
e2e_wait 20 "$w's executor to forget vm1" forgot
reprobed() {
	cib after && h=$(lrm_rsc after "$w" vm1) &&
		echo "$h" | grep -q "vm1_last_0=vm1_monitor_0" &&
		echo "$h" | grep -q "vm1_monitor_2000=vm1_monitor_2000"
}
e2e_wait 30 "vm1 probed and monitored again on $w" reprobed
e2e_wait 30 "a settled cluster after the cleanup" settled
[ "$(e2e_where vm1)" = "$w" ] || e2e_fail "vm1 left $w after the cleanup"
[ "$(wc -l <"$MARKER_DIR/activity.log")" = "$events" ] || e2e_fail "the cleanup restarted something"
e2e_log "2: cleanup of vm1 on $w: forgotten, re-probed, monitored, not restarted"

# 3. An expired shutdown lock.  Its history is written by hand here (a lock
# that already expired): the controller's part is to carry out the
# scheduler's lrm_delete.
dc=$(e2e_dc)
victim=$(printf 'node1\nnode2\nnode3\n' | grep -vx "$dc" | tail -n 1)
keep=$(printf 'node1\nnode2\nnode3\n' | grep -vx "$victim" | head -n 1)
vx $victim vigil node shutdown || e2e_fail "vigil node shutdown $victim failed"
gone() { [ -z "$(e2e_pids $victim vigild)" ]; }
e2e_wait 60 "$victim's vigild to exit" gone
vx $keep vigil cib modify -o crm_config -c -X '<crm_config><cluster_property_set id="e2e-lock">
	<nvpair id="e2e-lock-on" name="shutdown-lock" value="true"/>
	<nvpair id="e2e-lock-limit" name="shutdown-lock-limit" value="5s"/>
	</cluster_property_set></crm_config>' >/dev/null || e2e_fail "setting shutdown-lock failed"
# The DC records the clean departure: offline, its history gone.
state_of() {
	python3 -c 'import sys, xml.etree.ElementTree as ET
for ns in ET.parse(sys.argv[1]).getroot().find("status").findall("node_state"):
    if ns.get("uname") == sys.argv[2]: print(ns.get("id"), ns.get("crmd"), ns.get("expected"))' "$E2E_DIR/$1.xml" $victim
}
left() { cib before $keep && [ "$(state_of before | cut -d' ' -f2-)" = "offline down" ] && ! lrm_rsc before $victim vm2; }
e2e_wait 20 "$victim recorded as cleanly gone, without history" left
id=$(state_of before | cut -d' ' -f1)
t=$(($(date +%s) - 60))
vx $keep vigil cib modify -o status -X "<node_state id=\"$id\" uname=\"$victim\"><lrm id=\"$id\"><lrm_resources>
	<lrm_resource id=\"vm2\" class=\"ocf\" provider=\"vigiltest\" type=\"Marker\" shutdown-lock=\"$t\">
	<lrm_rsc_op id=\"vm2_last_0\" operation_key=\"vm2_stop_0\" operation=\"stop\" crm_feature_set=\"3.16.2\"
	 transition-key=\"1:1:0:e2e\" transition-magic=\"0:0;1:1:0:e2e\" exit-reason=\"\" on_node=\"$victim\" call-id=\"99\"
	 rc-code=\"0\" op-status=\"0\" interval=\"0\" last-rc-change=\"$t\" exec-time=\"0\" queue-time=\"0\"/>
	</lrm_resource></lrm_resources></lrm></node_state>" >/dev/null ||
	e2e_fail "writing a shutdown lock into $victim's history failed"
erased() { cib now $keep && ! lrm_rsc now $victim vm2 >/dev/null; }
e2e_wait 30 "the expired lock of vm2 on $victim to be erased (lrm_delete)" erased
grep -q "forgetting vm2 on $victim" "$VIGIL_LAB_DIR"/node*/daemon.out ||
	e2e_fail "no lrm_delete of vm2 on $victim in the DC's log"
e2e_wait 30 "vm2 running" sh -c "[ -n \"\$(vigil-lab exec $keep -- vigil resource locate vm2 2>/dev/null | grep 'running on')\" ]"
e2e_log "3: the expired shutdown lock of vm2 on $victim erased by lrm_delete; vm2 on $(e2e_where vm2 $keep)"
e2e_check_activity
e2e_log "PASS"
