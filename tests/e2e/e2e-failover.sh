#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Acceptance 3 and 4: kill -9 of every process of the node running the IP:
# it is fenced through the power-switch simulator and the IP starts
# elsewhere only after the fencing confirmation; never active on two nodes.
# Then with the fencing device broken: the lost node's resources stay
# stopped and `vigil status` says why; repairing the device completes the
# recovery.
. "${VIGIL_SRCDIR:-$(dirname "$0")/../..}/tests/e2e/e2e-lib.sh"
e2e_init failover
# fencing powers the node off; the test powers it on again (see e2e-lib.sh)
e2e_cib() { e2e_cib_power_off; }
e2e_cluster
deaths=()

# 3. Kill the IP's node.
victim=$(e2e_where ip)
survivor=node1; [ "$victim" = node1 ] && survivor=node2
e2e_mark
t_kill=$(e2e_now)
vigil-lab kill "$victim" >/dev/null
deaths+=("$victim=$t_kill")
elsewhere() { w=$(e2e_where ip $survivor); [ -n "$w" ] && [ "$w" != "$victim" ]; }
e2e_wait 30 "ip to start away from $victim" elsewhere
t_up=$(e2e_now)
vx $survivor vigil status | grep -q "off of $victim successful" ||
	e2e_fail "no successful fencing of $victim in the history"
# One fencing, one entry: neither the peers' shared copies nor the device
# attempt behind the result show up as a second one.
for n in node1 node2 node3; do
	[ "$n" = "$victim" ] && continue
	c=$(vx $n vigil status | grep -c "off of $victim successful")
	[ "$c" = 1 ] || e2e_fail "vigil status on $n lists the fencing of $victim $c times"
	c=$(vx $n vigil fence history | grep -c "off  *$victim .* ok")
	[ "$c" = 1 ] || e2e_fail "vigil fence history on $n lists the fencing of $victim $c times"
done


# The IP's new start came after the fencing was confirmed (timestamps).
e2e_fenced_first "$victim" ||
	e2e_fail "ip was started before $victim's fencing was confirmed"
e2e_log "3: $victim fenced, ip back on $(e2e_where ip $survivor) after $(echo "$t_up - $t_kill" | bc) s"
vigil-lab start "$victim" >/dev/null
e2e_wait 40 "$victim back after it was powered on" e2e_all_have_dc

# 4. Break the fencing device (wrong port), lose the IP's node again.
set_device_ip() {
	vx $2 vigil cib modify -o resources -X "<primitive id=\"fence-pdu\" class=\"stonith\" type=\"vigil-redfish\"><instance_attributes id=\"fence-pdu-ia\"><nvpair id=\"fence-pdu-ip\" name=\"ip\" value=\"$1\"/></instance_attributes></primitive>" ||
		e2e_fail "cannot change the fencing device"
}
victim=$(e2e_where ip $survivor)
survivor=node1; [ "$victim" = node1 ] && survivor=node2
set_device_ip 127.0.0.1:9 $survivor
# Every node has stored the broken device before the node is lost (its
# controller hands the fencer each new configuration as it applies it).
broken_everywhere() {
	for n in node1 node2 node3; do
		grep -q 'value="127.0.0.1:9"' "$VIGIL_LAB_DIR/$n/state/cib/cib.xml" || return 1
	done
}
e2e_wait 20 "the broken device in every node's CIB" broken_everywhere
t_kill=$(e2e_now)
vigil-lab kill "$victim" >/dev/null
deaths+=("$victim=$t_kill")
says_why() { vx $survivor vigil status | grep -q "$victim is UNCLEAN"; }
e2e_wait 20 "status to say why recovery waits" says_why
sleep 3
# (the scheduler still shows the IP on the unclean node: it may be running there)
w=$(e2e_where ip $survivor)
[ -z "$w" ] || [ "$w" = "$victim" ] || e2e_fail "ip started on $w although $victim was not fenced"
vx $survivor vigil status | grep -q "fencing it failed" || e2e_fail "status does not explain the failed fencing"
e2e_log "4: fencing broken: ip stays stopped, status says why"
set_device_ip "$E2E_PDU_ADDR:$E2E_PDU_PORT" $survivor
e2e_wait 40 "recovery after the device was repaired" elsewhere
e2e_log "4: device repaired: ip runs on $(e2e_where ip $survivor)"
e2e_check_activity "${deaths[@]}"
e2e_log "PASS"
