#!/bin/sh
# Acceptance (issue 8): failures are failures, with the reason.
#  - topology: level 1 (wrong password) fails, level 2 fences; history
#    shows both attempts and the node's process really died
#  - a hung fence agent is killed at its timeout and reported as failed
#  - unreachable switch, wrong port, an agent whose "off" is contradicted
#    by status, a node no device can fence: all fail with a reason
#  - the recurring monitor reports a dead switch before it is needed
# SPDX-License-Identifier: GPL-2.0-or-later
. "$VIGIL_SRCDIR/tests/fence/fence-lib.sh"

start_sim plain --user admin --password s3cret
PP=$(sim_port plain)

# Test agents speak the fence-agents stdin protocol.
mkdir -p "$T/agents"
cat > "$T/agents/fence_hang" <<AGENT
#!/bin/sh
# off: hangs and ignores SIGTERM; anything else (the monitor) succeeds
action=\$(sed -n 's/^action=//p')
[ "\$action" = off ] || exit 0
trap '' TERM
echo \$\$ > "$T/hang.pid"
while :; do sleep 1; done
AGENT
cat > "$T/agents/fence_liar" <<'AGENT'
#!/bin/sh
# says "off" worked, but status keeps reporting the port on
action=$(sed -n 's/^action=//p')
case "$action" in off|on|reboot|status|monitor) exit 0 ;; *) exit 1 ;; esac
AGENT
chmod +x "$T/agents/fence_hang" "$T/agents/fence_liar"
ln -s /usr/sbin/fence_redfish "$T/agents/fence_redfish" 2>/dev/null
export VIGIL_FENCE_AGENT_DIR="$T/agents"

RES="
$(device bad-pw vigil-http ip 127.0.0.1:$PP preset eps username admin password WRONG \
	pcmk_host_map "node2:2")
$(device good-ipp vigil-http ip 127.0.0.1:$PP preset ippower9258 username admin \
	password s3cret pcmk_host_map "node2:2")
$(device hang fence_hang pcmk_host_list node3 pcmk_off_timeout 2s)
$(device nowhere vigil-redfish ip 127.0.0.1:1 ssl 0 pcmk_host_list node4)
$(device wrong-port vigil-redfish ip 127.0.0.1:$PP ssl 0 username admin password s3cret \
	pcmk_host_map "node5:42")
$(device liar fence_liar pcmk_host_list node6)
$(EXTRA_OPS='<operations><op id="dead-mon" name="monitor" interval="1s" timeout="2s"/></operations>' \
	device dead-switch vigil-http ip 127.0.0.1:1 preset eps pcmk_host_list node7)"
TOPO='<fencing-level id="fl1" target="node2" index="1" devices="bad-pw"/>
<fencing-level id="fl2" target-pattern="node2|node1[0-9]" index="2" devices="good-ipp"/>'
cib "$T/cib.xml" "$RES" "$TOPO"
start_fenced "$T/cib.xml"

note "topology: level 1 refuses the password, level 2 fences node2"
node_start 2
old=$(node_pid 2)
vigil fence node2 --off --timeout 30 > "$T/out" 2>&1 || { cat "$T/out"; fail "topology fencing failed"; }
pid_alive "$old" && fail "node2 survived"
[ "$(outlet_state plain 2)" = off ] || fail "outlet 2 not off"
vigil fence history node2 > "$T/hist"
cat "$T/hist"
grep -Eq "attempt +off +node2 +FAILED .*device bad-pw level 1: .*credentials" "$T/hist" ||
	fail "history lacks the failed level-1 attempt"
grep -Eq "attempt +off +node2 +ok .*device good-ipp level 2" "$T/hist" ||
	fail "history lacks the level-2 attempt"
grep -Eq "result +off +node2 +ok .*device good-ipp" "$T/hist" || fail "no successful result"

note "hung agent: killed at its 2 s timeout, failure reported"
start=$(date +%s)
vigil fence node3 --off --timeout 20 > "$T/out" 2>&1 && { cat "$T/out"; fail "hung agent reported success"; }
end=$(date +%s)
cat "$T/out"
grep -q "timed out" "$T/out" || fail "no timeout reason"
[ $((end - start)) -le 8 ] || fail "hung agent took $((end - start)) s to be killed"
hp=$(cat "$T/hang.pid" 2>/dev/null)
[ -n "$hp" ] || fail "the hung agent never ran"
pid_alive "$hp" && fail "hung agent $hp still alive"

note "unreachable switch"
vigil fence node4 --off --timeout 10 > "$T/out" 2>&1 && fail "unreachable switch reported success"
cat "$T/out"
grep -q "unreachable" "$T/out" || fail "no 'unreachable' reason"

note "wrong port"
vigil fence node5 --off --timeout 10 > "$T/out" 2>&1 && fail "wrong port reported success"
cat "$T/out"
grep -q "wrong port" "$T/out" || fail "no 'wrong port' reason"

note "off contradicted by status"
vigil fence node6 --off --timeout 10 > "$T/out" 2>&1 && fail "contradicted off reported success"
cat "$T/out"
grep -q "still reports the port on" "$T/out" || fail "no contradiction reason"

note "nobody can fence node99"
vigil fence node99 --off > "$T/out" 2>&1 && fail "fencing without a device succeeded"
grep -q "no fencing device" "$T/out" || { cat "$T/out"; fail "no reason for node99"; }

note "monitor reports the dead switch"
i=0
until vigil fence devices | grep -Eq "^dead-switch .* failing .*unreachable"; do
	i=$((i + 1)); [ $i -gt 60 ] && { vigil fence devices; fail "dead switch not reported"; }
	sleep 0.1
done
vigil fence devices | grep -Eq "^good-ipp .* ok " || fail "healthy device not ok"

note "confirm is recorded as manual"
vigil fence confirm node4 --yes > "$T/out" 2>&1 || fail "confirm failed"
grep -q "WARNING" "$T/out" || fail "confirm did not warn"
vigil fence history node4 | grep -Eq "result +off +node4 +ok .*device manual" || fail "no manual record"
grep -q "MANUALLY CONFIRMED" "$T/fenced.log" || fail "fenced did not log the confirmation loudly"

no_success=$(vigil fence history | grep -Ec "result +off +node[3-6] +ok .*device (hang|nowhere|wrong-port|liar)")
[ "$no_success" = 0 ] || fail "a failed device shows success in history"
echo "PASS"
