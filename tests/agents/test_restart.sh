#!/bin/sh
# Restart safety.  (1) SIGTERM to vigil-execd kills a running agent with its
# whole tree.  (2) After SIGKILL the agent dies with execd (death signal),
# and the agent's leftover helpers are killed by the next execd of the same
# instance, which reports a new boot id and no resources ("empty"), so the
# controller knows to re-probe.
# SPDX-License-Identifier: GPL-2.0-or-later
. "$(dirname "$0")/lib.sh"
mkdir -p "$T/ocf/resource.d/test"
cat > "$T/ocf/resource.d/test/hang" <<'EOS'
#!/bin/sh
trap '' TERM
( trap '' TERM; sleep 1000 & echo "helper $!" >> "$OCF_RESKEY_pids"; wait ) &
echo "leader $$" >> "$OCF_RESKEY_pids"
wait
EOS
chmod 755 "$T/ocf/resource.d/test/hang"
OCF_ROOT=$T/ocf; export OCF_ROOT

dead() { # PID: gone or a zombie
	st=$(awk '{print $3}' /proc/$1/stat 2>/dev/null)
	[ -z "$st" ] || [ "$st" = Z ]
}
wait_dead() {
	for _ in $(seq 50); do dead "$1" && return 0; sleep 0.1; done
	return 1
}
start_hang() {
	: > "$T/pids"
	printf 'register h ocf:test:hang pids=%s\nrun h start timeout=600000\n' "$T/pids" | drive >/dev/null
	for _ in $(seq 50); do [ "$(wc -l < "$T/pids")" -ge 2 ] && return 0; sleep 0.1; done
	fail "the agent did not start"
}

execd_start
boot1=$(echo info | drive | sed -n 's/^info boot=\([^ ]*\).*/\1/p')
start_hang
execd_stop
for p in $(awk '{print $2}' "$T/pids"); do wait_dead "$p" || fail "process $p survived a clean vigil-execd exit"; done

execd_start
start_hang
# A client listening the way vigil-ctld does must learn that execd is gone.
echo "watch 100 10000" | drive > "$T/watch.out" &
watcher=$!
sleep 0.3
kill -9 "$EXECD_PID"; wait "$EXECD_PID" 2>/dev/null; EXECD_PID=
wait "$watcher"
grep -q '^disconnected$' "$T/watch.out" || fail "a listening client was not told that execd died: $(cat "$T/watch.out")"
leader=$(awk '$1 == "leader" {print $2}' "$T/pids")
helper=$(awk '$1 == "helper" {print $2}' "$T/pids")
wait_dead "$leader" || fail "the agent $leader survived vigil-execd's SIGKILL"
execd_start
wait_dead "$helper" || fail "the agent's helper $helper survived the restart of vigil-execd"
out=$(echo info | drive)
echo "$out"
expect "$out" "rsc=0 active=0" "a restarted execd must report itself empty"
boot2=$(printf '%s\n' "$out" | sed -n 's/^info boot=\([^ ]*\).*/\1/p')
[ -n "$boot1" ] && [ "$boot1" != "$boot2" ] || fail "boot id must change across restarts"
grep -q "left behind by a previous vigil-execd" "$T/execd.log" || fail "the restart must say what it killed"
exit 0
