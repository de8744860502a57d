#!/bin/sh
# An LSB init script (written here) through vigil-execd: status before start
# is "not running" (LSB 3 -> OCF 7), start, monitor runs `status` (0),
# stop, status 3 again; a status of 4 (unknown) is an error.
# SPDX-License-Identifier: GPL-2.0-or-later
. "$(dirname "$0")/lib.sh"
mkdir -p "$T/init.d"
cat > "$T/init.d/vgtest" <<'EOS'
#!/bin/sh
### BEGIN INIT INFO
# Provides:          vgtest
# Short-Description: vigil LSB test service
### END INIT INFO
PIDF=$(dirname "$0")/../vgtest.pid
case "$1" in
start)  [ -f "$PIDF" ] && exit 0; sleep 1000 >/dev/null 2>&1 & echo $! > "$PIDF"; exit 0 ;;
stop)   [ -f "$PIDF" ] && kill "$(cat "$PIDF")"; rm -f "$PIDF"; exit 0 ;;
status) [ -f "$(dirname "$0")/../unknown" ] && exit 4
        [ -f "$PIDF" ] && kill -0 "$(cat "$PIDF")" 2>/dev/null && exit 0; exit 3 ;;
*)      exit 3 ;;
esac
EOS
chmod 755 "$T/init.d/vgtest"
VIGIL_LSB_DIR=$T/init.d; export VIGIL_LSB_DIR
execd_start

out=$(drive <<EOS
register l1 lsb:vgtest
run l1 monitor
wait 1
run l1 start
wait 1
run l1 status
wait 1
run l1 monitor
wait 1
run l1 stop
wait 1
run l1 monitor
wait 1
run l1 meta-data
wait 1
EOS
)
echo "$out"
events=$(printf '%s\n' "$out" | grep '^event' | grep -v meta-data | sed 's/.*action=\([a-z]*\) interval=0 rc=\([0-9]*\) status=\([a-z]*\).*/\1:\2:\3/' | tr '\n' ' ')
[ "$events" = "monitor:7:done start:0:done status:0:done monitor:0:done stop:0:done monitor:7:done " ] ||
	fail "unexpected LSB sequence: $events"
expect "$out" "action=meta-data .*rc=0 status=done.*vigil LSB test service" "LSB meta-data from the INIT INFO block"
touch "$T/unknown"
out=$(printf 'run l1 monitor\nwait 1\n' | drive)
expect "$out" "action=monitor interval=0 rc=1 status=done" "LSB status 4 must map to a generic error"
exit 0
