#!/bin/sh
# An agent that hangs, with a child and a grandchild (also one that ignores
# SIGTERM), is killed with its whole process tree at its timeout and the
# result says "timed out".  Then the resource runs normally again.
# SPDX-License-Identifier: GPL-2.0-or-later
. "$(dirname "$0")/lib.sh"
mkdir -p "$T/ocf/resource.d/test"
cat > "$T/ocf/resource.d/test/hang" <<'EOS'
#!/bin/sh
[ "$1" = monitor ] && exit 7
[ "$OCF_RESKEY_ignore_term" = 1 ] && trap '' TERM
sleep 1000 & echo $! >> "$OCF_RESKEY_pids"
( sleep 1000 & echo $! >> "$OCF_RESKEY_pids"; wait ) &
echo $! >> "$OCF_RESKEY_pids"
echo $$ >> "$OCF_RESKEY_pids"
wait
EOS
chmod 755 "$T/ocf/resource.d/test/hang"
OCF_ROOT=$T/ocf; export OCF_ROOT
execd_start

for ignore in 0 1; do
	: > "$T/pids"
	start=$(date +%s%N)
	out=$(drive <<EOS
register h ocf:test:hang pids=$T/pids ignore_term=$ignore
run h start timeout=1000
wait 1 15000
run h monitor
wait 1
EOS
)
	echo "$out"
	took=$(( ($(date +%s%N) - start) / 1000000 ))
	expect "$out" "action=start interval=0 rc=1 status=timed out .*reason=start timed out" "hanging start must time out"
	expect "$out" "action=monitor interval=0 rc=7 status=done" "the resource must be usable after the timeout"
	[ "$(wc -l < "$T/pids")" -eq 4 ] || fail "expected 4 processes in the tree"
	[ "$took" -lt 10000 ] || fail "took ${took} ms"
	for p in $(cat "$T/pids"); do
		for _ in $(seq 50); do
			st=$(awk '{print $3}' /proc/$p/stat 2>/dev/null)
			[ -z "$st" ] || [ "$st" = Z ] && break
			sleep 0.1
		done
		[ -z "$st" ] || [ "$st" = Z ] || fail "process $p of the hung agent survived (ignore_term=$ignore)"
	done
done
exit 0
