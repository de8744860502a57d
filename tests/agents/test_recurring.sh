#!/bin/sh
# Recurring monitors pause around a start: while the (slow) start runs, no
# monitor runs and none pile up behind it; afterwards they resume at their
# interval.  A start-delay holds an operation back.
# SPDX-License-Identifier: GPL-2.0-or-later
. "$(dirname "$0")/lib.sh"
mkdir -p "$T/ocf/resource.d/test"
cat > "$T/ocf/resource.d/test/slow" <<EOS
#!/bin/sh
now() { echo "\$1 \$(date +%s%N | cut -c1-13)" >> "$T/trace"; }
case "\$1" in
start) now start-begin; sleep 1; now start-end; exit 0;;
monitor) now monitor; exit 0;;
stop) now stop; exit 0;;
esac
exit 0
EOS
chmod 755 "$T/ocf/resource.d/test/slow"
OCF_ROOT=$T/ocf; export OCF_ROOT
execd_start

out=$(drive <<EOS
register s ocf:test:slow
run s monitor interval=100
wait 1
sleep 350
run s start
wait 1 5000
sleep 400
cancel s monitor 100
wait 1
run s stop delay=700
wait 1 5000
EOS
)
echo "$out"
cat "$T/trace"
expect "$out" "action=start interval=0 rc=0 status=done" "start"
expect "$out" "action=monitor interval=100 .*status=cancelled" "cancel"
expect "$out" "action=stop interval=0 rc=0 status=done .*queue_ms=[0-9] " "start-delay is not queue time"
b=$(awk '$1 == "start-begin" {print $2}' "$T/trace")
e=$(awk '$1 == "start-end" {print $2}' "$T/trace")
during=$(awk -v b="$b" -v e="$e" '$1 == "monitor" && $2 > b && $2 < e' "$T/trace" | wc -l)
burst=$(awk -v e="$e" '$1 == "monitor" && $2 >= e && $2 < e + 150' "$T/trace" | wc -l)
after=$(awk -v e="$e" '$1 == "monitor" && $2 >= e' "$T/trace" | wc -l)
before=$(awk -v b="$b" '$1 == "monitor" && $2 < b' "$T/trace" | wc -l)
echo "monitors: before=$before during=$during burst=$burst after=$after"
[ "$before" -ge 2 ] || fail "the recurring monitor did not run before the start"
[ "$during" -eq 0 ] || fail "a monitor ran during the start"
[ "$burst" -le 2 ] || fail "monitors piled up behind the start ($burst within 150 ms)"
[ "$after" -ge 2 ] || fail "the recurring monitor did not resume after the start"
# The stop, submitted right after the cancel, was held back by its 700 ms
# start-delay (the last monitor ran at most one interval before the cancel).
last=$(awk '$1 == "monitor" {m = $2} END {print m}' "$T/trace")
stop=$(awk '$1 == "stop" {print $2}' "$T/trace")
[ $((stop - last)) -ge 600 ] || fail "start-delay not honoured: stop $((stop - last)) ms after the last monitor"
exit 0
