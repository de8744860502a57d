#!/bin/sh
# ocf:heartbeat:Dummy through vigil-execd: probe, start, monitor, recurring
# monitor reporting only changes (and on refresh), stop, monitor says not
# running; list and cancel recurring ops; meta-data; unknown resource.
# SPDX-License-Identifier: GPL-2.0-or-later
. "$(dirname "$0")/lib.sh"
[ -x /usr/lib/ocf/resource.d/heartbeat/Dummy ] || { echo "resource-agents not installed"; exit 77; }
# The daemon's own command line.
"$EXECD" --help | grep -q -- "--max-children" || fail "vigil-execd --help"
[ "$("$EXECD" --check --instance x -c /nonexistent/ha.cf 2>&1)" != "configuration OK" ] ||
	fail "--check must fail on a missing ha.cf that was asked for"
printf 'node node1\ninstance node1\n' > "$T/ha.cf"
"$EXECD" --check -c "$T/ha.cf" | grep -qx "configuration OK" || fail "vigil-execd --check"
"$EXECD" --bogus 2>/dev/null; [ $? -eq 2 ] || fail "bad option must exit 2"
execd_start

out=$(drive <<EOS
register d1 ocf:heartbeat:Dummy state=$T/d1.state
run d1 monitor timeout=20000 ud=probe
wait 1
run d1 start timeout=20000
wait 1
run d1 monitor timeout=20000
wait 1
run d1 monitor interval=300 timeout=20000
wait 1
none 1000
list
refresh d1 monitor 300
wait 1 3000
run d1 stop
wait 2 5000
run d1 monitor
wait 1
cancel d1 monitor 300
wait 1
list
cancel d1 monitor 300
run d1 meta-data
wait 1
run d1 meta-data
wait 1
run nosuch start
info
EOS
)
echo "$out"
expect "$out" "rsc=d1 action=monitor interval=0 rc=7 status=done .* ud=probe" "probe before start must say not running"
expect "$out" "action=start interval=0 rc=0 status=done" "start failed"
expect "$out" "action=monitor interval=0 rc=0 status=done" "monitor after start must be running"
expect "$out" "action=monitor interval=300 rc=0 status=done" "first recurring result must be reported"
expect "$out" "^none$" "an unchanged recurring monitor must not report"
expect "$out" "^recurring d1 monitor 300 0$" "list must show the recurring monitor"
[ "$(printf '%s\n' "$out" | grep -c 'action=monitor interval=300 rc=0 status=done')" -ge 2 ] ||
	fail "refresh must make the recurring monitor report again"
expect "$out" "action=stop interval=0 rc=0 status=done" "stop failed"
expect "$out" "action=monitor interval=300 rc=7 status=done" "recurring monitor must report the change to not running"
expect "$out" "action=monitor interval=0 rc=7 status=done" "monitor after stop must say not running"
expect "$out" "action=monitor interval=300 rc=.* status=cancelled" "cancel must report cancelled"
[ "$(printf '%s\n' "$out" | grep -c '^end$')" -eq 2 ] || fail "list output"
[ "$(printf '%s\n' "$out" | grep -c '^recurring')" -eq 1 ] || fail "cancelled op still listed"
expect "$out" "^error -2 .*no recurring monitor" "second cancel must say no such op"
expect "$out" "action=meta-data .*rc=0 status=done.*resource-agent" "meta-data"
[ "$(printf '%s\n' "$out" | grep -c 'action=meta-data .*rc=0 status=done.*resource-agent')" -eq 2 ] ||
	fail "meta-data from the cache"
expect "$out" "^error -2 resource nosuch is not registered" "unknown resource"
expect "$out" "^info boot=.* rsc=1 " "info must count one resource"
[ -e "$T/d1.state" ] && fail "state file left after stop"
exit 0
