#!/bin/sh
# ocf:pacemaker:Stateful through vigil-execd: start, promote (monitor then
# says promoted, rc 8), demote (monitor back to 0), stop (not running).
# SPDX-License-Identifier: GPL-2.0-or-later
. "$(dirname "$0")/lib.sh"
[ -x /usr/lib/ocf/resource.d/pacemaker/Stateful ] || { echo "pacemaker agents not installed"; exit 77; }
execd_start

out=$(drive <<EOS
register s1 ocf:pacemaker:Stateful state=$T/s1.state meta.clone-max=2 meta.promoted-max=1
run s1 start
wait 1
run s1 monitor
wait 1
run s1 promote
wait 1
run s1 monitor
wait 1
run s1 demote
wait 1
run s1 monitor
wait 1
run s1 stop
wait 1
run s1 monitor
wait 1
EOS
)
echo "$out"
events=$(printf '%s\n' "$out" | grep '^event' | sed 's/.*action=\([a-z]*\) interval=0 rc=\([0-9]*\) status=\([a-z]*\).*/\1:\2:\3/' | tr '\n' ' ')
echo "sequence: $events"
[ "$events" = "start:0:done monitor:0:done promote:0:done monitor:8:done demote:0:done monitor:0:done stop:0:done monitor:7:done " ] ||
	fail "unexpected Stateful sequence"
exit 0
