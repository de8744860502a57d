#!/bin/sh
# Acceptance (issue 8): vigil's native plugins (Redfish over verified TLS,
# the HTTP switch presets eps and ippower9258), Debian's fence_redfish and
# fence_eps, and cluster-glue's external/ippower9258 each switch a
# simulator outlet off and on through vigil-fenced and `vigil fence`; the
# outlet hook kills / restarts a real process, and the test checks that
# process really died and a new one runs.
# SPDX-License-Identifier: GPL-2.0-or-later
. "$VIGIL_SRCDIR/tests/fence/fence-lib.sh"

command -v openssl >/dev/null || { echo "SKIP: no openssl"; exit 77; }
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$T/key.pem" -out "$T/cert.pem" \
	-days 1 -subj /CN=127.0.0.1 -addext "subjectAltName=IP:127.0.0.1" 2>/dev/null ||
	fail "cannot make a test certificate"

start_sim tls --user admin --password s3cret --tls-cert "$T/cert.pem" --tls-key "$T/key.pem"
start_sim plain --user admin --password s3cret
TP=$(sim_port tls)
PP=$(sim_port plain)

# Agents run with the fencer's PYTHONPATH and PATH: the fence_eps
# compatibility shim, and a w3m stand-in when w3m is not installed.
export PYTHONPATH="$VIGIL_SRCDIR/tests/fence/py2compat"
command -v w3m >/dev/null || PATH="$VIGIL_SRCDIR/tests/fence/shims:$PATH"

CASES="1:native-redfish:tls 2:fence_redfish:tls 3:native-eps:plain 4:native-ippower:plain 5:fence_eps:plain"
have_glue=0
if [ -x /usr/lib/stonith/plugins/external/ippower9258 ] && [ "$(id -u)" = 0 ]; then
	have_glue=1
	CASES="$CASES 6:external-ippower9258:plain"
else
	echo "note: external/ippower9258 case skipped (needs cluster-glue and root)"
fi
have_fa=1
[ -x /usr/sbin/fence_redfish ] && [ -x /usr/sbin/fence_eps ] || have_fa=0

RES="
$(device native-redfish vigil-redfish ip 127.0.0.1:$TP username admin password s3cret \
	ca_file "$T/cert.pem" pcmk_host_map "node1:1")
$(device native-eps vigil-http ip 127.0.0.1:$PP preset eps username admin password s3cret \
	pcmk_host_map "node3:3")
$(device native-ippower vigil-http ip 127.0.0.1:$PP preset ippower9258 username admin \
	password s3cret pcmk_host_map "node4:4")"
if [ $have_fa = 1 ]; then
	RES="$RES
$(device fence_redfish fence_redfish ip 127.0.0.1 ipport $TP ssl_insecure 1 username admin \
	password s3cret systems_uri /redfish/v1/Systems/2 pcmk_host_list node2)
$(device fence_eps fence_eps ip 127.0.0.1:$PP username admin password s3cret \
	pcmk_host_map "node5:05")"
else
	echo "note: fence-agents cases skipped (fence_redfish/fence_eps not installed)"
	CASES="1:native-redfish:tls 3:native-eps:plain 4:native-ippower:plain"
fi
if [ $have_glue = 1 ]; then
	RES="$RES
$(device external-ippower9258 external/ippower9258 deviceip 127.0.0.1:$PP username admin \
	password s3cret hostlist node6 pcmk_host_list node6)"
fi
cib "$T/cib.xml" "$RES"
start_fenced "$T/cib.xml"

for c in $CASES; do
	n=${c%%:*}; rest=${c#*:}; dev=${rest%%:*}; sim=${rest#*:}
	note "node$n through $dev"
	node_start "$n"
	old=$(node_pid "$n")
	node_alive "$n" || fail "node$n dummy did not start"
	vigil fence "node$n" --off --timeout 30 > "$T/out" 2>&1 || { cat "$T/out"; fail "$dev: off failed"; }
	grep -q "device $dev" "$T/out" || { cat "$T/out"; fail "$dev: another device answered"; }
	[ "$(outlet_state "$sim" "$n")" = off ] || fail "$dev: outlet $n is not off"
	pid_alive "$old" && fail "$dev: node$n process $old survived off"
	vigil fence "node$n" --on --timeout 30 > "$T/out" 2>&1 || { cat "$T/out"; fail "$dev: on failed"; }
	[ "$(outlet_state "$sim" "$n")" = on ] || fail "$dev: outlet $n is not on"
	node_alive "$n" || fail "$dev: node$n not running after on"
	[ "$(node_pid "$n")" != "$old" ] || fail "$dev: node$n pid did not change"
	kill "$(node_pid "$n")"; rm -f "$T/node$n.pid"
done

note "reboot through the native Redfish plugin replaces the process"
node_start 1
old=$(node_pid 1)
vigil fence node1 --reboot --timeout 30 > "$T/out" 2>&1 || { cat "$T/out"; fail "reboot failed"; }
pid_alive "$old" && fail "reboot: old node1 process survived"
node_alive 1 || fail "reboot: node1 not running again"

note "history names every request"
vigil fence history > "$T/hist" || fail "history failed"
for c in $CASES; do
	n=${c%%:*}
	grep -Eq "result +off +node$n +ok" "$T/hist" || { cat "$T/hist"; fail "history lacks off node$n"; }
done
echo "PASS"
