#!/bin/sh
# Garbage from agents gives a clear result, never a crash: huge output,
# binary junk, invalid or oversized meta-data, exit codes outside the OCF
# range, death by signal, a missing execute bit, a missing agent, and an
# agent whose background child keeps the output pipe open.
# SPDX-License-Identifier: GPL-2.0-or-later
. "$(dirname "$0")/lib.sh"
A=$T/ocf/resource.d/test
mkdir -p "$A"
agent() { # NAME BODY [MODE]
	printf '#!/bin/sh\n%s\n' "$2" > "$A/$1"
	chmod "${3:-755}" "$A/$1"
}
agent huge 'head -c 20000000 /dev/zero | tr "\0" x; head -c 3000000 /dev/urandom >&2; printf "\nocf-exit-reason:\377\376 bad \001 bytes\n" >&2; exit 0'
agent badmeta '[ "$1" = meta-data ] && { echo "<resource-agent name=\"x\"><parameters><parameter>"; exit 0; }; exit 0'
agent bigmeta '[ "$1" = meta-data ] && { echo "<resource-agent name=\"x\">"; head -c 2000000 /dev/zero | tr "\0" " "; echo "</resource-agent>"; exit 0; }; exit 0'
agent rc42 'echo "ocf-exit-reason:the answer" >&2; exit 42'
agent rc255 'exit 255'
agent segv 'kill -SEGV $$'
agent noexec 'exit 0' 644
agent countmeta "[ \"\$1\" = meta-data ] && { echo run >> $T/metaruns; echo '<resource-agent name=\"c\"/>'; }; exit 0"
agent bgpipe '(sleep 30; echo late) & echo early; exit 0'
OCF_ROOT=$T/ocf; export OCF_ROOT
execd_start

out=$(drive <<EOS
register huge ocf:test:huge
register rc42 ocf:test:rc42
register rc255 ocf:test:rc255
register segv ocf:test:segv
register noexec ocf:test:noexec
register missing ocf:test:missing
register bgpipe ocf:test:bgpipe
register badmeta ocf:test:badmeta
register countmeta ocf:test:countmeta
run huge start
wait 1
run rc42 start
wait 1
run rc255 monitor
wait 1
run segv start
wait 1
run noexec start
wait 1
run missing start
wait 1
run bgpipe start timeout=10000
wait 1
run badmeta meta-data
wait 1
run countmeta meta-data
wait 1
run countmeta meta-data
wait 1
info
EOS
)
echo "$out" | cut -c1-300
expect "$out" "rsc=huge action=start interval=0 rc=0 status=done .*reason=.*bad .* bytes" "huge output must still give a result with its exit reason"
hugeout=$(printf '%s\n' "$out" | grep 'rsc=huge' | sed 's/.* out=//')
[ "${#hugeout}" -le 4200 ] || fail "output tail not bounded (${#hugeout} bytes)"
expect "$out" "rsc=rc42 .*rc=1 status=error .*reason=the answer" "exit 42 is not an OCF code: status error, the agent's reason kept"
expect "$out" "rsc=rc255 .*rc=1 status=error .*reason=agent exited with 255, which is not an OCF return code" "exit 255"
expect "$out" "rsc=segv .*rc=1 status=error .*reason=agent killed by signal 11" "death by signal"
expect "$out" "rsc=noexec .*rc=5 status=not installed .*reason=.*(is it executable\\?)" "missing execute bit"
expect "$out" "rsc=missing .*rc=5 status=not installed .*not installed" "missing agent"
expect "$out" "rsc=bgpipe .*rc=0 status=done .*out=early" "an agent's background child must not hold up the result"
bgms=$(printf '%s\n' "$out" | grep 'rsc=bgpipe' | sed 's/.*exec_ms=\([0-9]*\).*/\1/')
[ "$bgms" -lt 5000 ] || fail "waited ${bgms} ms for a background child"
expect "$out" "rsc=badmeta action=meta-data .*rc=1 status=error .*reason=agent meta-data: line" "invalid meta-data must be an error saying why"
expect "$out" "^info boot=.* rsc=9 active=0" "execd still alive and idle"
[ "$(printf '%s\n' "$out" | grep -c 'rsc=countmeta action=meta-data .*rc=0 status=done')" -eq 2 ] || fail "meta-data twice"
[ "$(wc -l < "$T/metaruns")" -eq 1 ] || fail "valid meta-data must be cached (agent ran $(wc -l < "$T/metaruns") times)"

# vigil ra on the same garbage
if "$B/tools/vigil" ra --help >/dev/null 2>&1; then
	msg=$(OCF_ROOT=$T/ocf "$B/tools/vigil" ra info ocf:test:badmeta 2>&1); rc=$?
	[ $rc -eq 1 ] || fail "vigil ra info on invalid meta-data must exit 1 (got $rc)"
	expect "$msg" "agent meta-data: line" "invalid meta-data message: $msg"
	msg=$(OCF_ROOT=$T/ocf "$B/tools/vigil" ra info ocf:test:bigmeta 2>&1); rc=$?
	[ $rc -eq 1 ] || fail "vigil ra info on oversized meta-data must exit 1 (got $rc)"
	expect "$msg" "more than|too (big|large)|exceeds" "oversized meta-data message: $msg"
	msg=$(OCF_ROOT=$T/ocf "$B/tools/vigil" ra info ocf:test:missing 2>&1); rc=$?
	[ $rc -eq 5 ] || fail "vigil ra info on a missing agent must exit 5 (got $rc)"
fi
exit 0
