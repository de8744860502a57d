#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The tools under valgrind's memcheck: no invalid read or write, no use of
# uninitialised memory and no definite leak while `vigil simulate` runs
# vigil's own scheduler cases (whole tree and streamed), `vigil cib` edits
# and diffs a file, `vigil configure` loads and shows crm text, and `vigil
# explain` and `vigil cib verify` read a CIB.  (The ASan build covers the
# unit tests; this covers the programs as users run them.)
set -u
command -v valgrind >/dev/null 2>&1 || { echo "SKIP: valgrind not installed"; exit 77; }
src=${VIGIL_SRCDIR:-$(dirname "$0")/../..}
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
fails=0 runs=0
vg() { # vg DESCRIPTION -- command...
	what=$1
	shift 2
	runs=$((runs + 1))
	valgrind -q --leak-check=full --show-leak-kinds=definite --errors-for-leak-kinds=definite --error-exitcode=99 \
		--log-file="$tmp/vg.log" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ $rc -eq 99 ] || [ -s "$tmp/vg.log" ]; then
		echo "FAIL: $what"
		head -n 30 "$tmp/vg.log"
		fails=$((fails + 1))
	elif [ $rc -ne 0 ]; then
		echo "FAIL: $what: exit $rc"
		head -n 5 "$tmp/err"
		fails=$((fails + 1))
	else
		echo "ok: $what"
	fi
}

cases="failed-stop-fences group-colocation-chain location-date-rule on-fail-standby
set-require-all-false ticket-group unclean-node-fenced template-primitive
migration-threshold shutdown-lock-held inject-op-failure"
for c in $cases; do
	x=$src/tests/sched/cases/$c.xml
	[ -f "$x" ] || continue
	args=
	[ -f "$src/tests/sched/cases/$c.args" ] && args=$(cat "$src/tests/sched/cases/$c.args")
	# shellcheck disable=SC2086
	vg "simulate -S $c" -- vigil simulate -x "$x" -S -s $args
	vg "simulate -R $c (streamed)" -- vigil simulate -x "$x" -R -s
done
# a few corpus cases with clones and promotable clones, when the corpus is here
corpus=$src/../shared/conformance/pacemaker-scheduler/xml
for c in clone-anon-failcount master-demote promoted-colocation colocation_constraint_stops_unpromoted; do
	[ -f "$corpus/$c.xml" ] && vg "simulate -S corpus $c" -- vigil simulate -x "$corpus/$c.xml" -S
done

cp "$src/tests/sched/cases/group-colocation-chain.xml" "$tmp/cib.xml"
export CIB_file="$tmp/cib.xml"
vg "cib query" -- vigil cib query
vg "cib create" -- vigil cib create -o resources -X '<primitive id="extra" class="ocf" provider="heartbeat" type="Dummy"/>'
vg "cib verify" -- vigil cib verify
cp "$tmp/cib.xml" "$tmp/old.xml"
vg "cib delete" -- vigil cib delete -X '<primitive id="extra"/>'
vg "cib diff" -- vigil cib diff "$tmp/old.xml" "$tmp/cib.xml"
unset CIB_file
cat >"$tmp/in.crm" <<'CRM'
node 1: node1
node 2: node2
primitive ip ocf:heartbeat:IPaddr2 params ip=10.0.0.1 op monitor interval=10s
primitive web ocf:heartbeat:Dummy
group g ip web
location prefer-1 g 100: node1
property stonith-enabled=false
CRM
printf '<cib validate-with="pacemaker-3.9" epoch="1" num_updates="0" admin_epoch="0"><configuration><crm_config/><nodes/><resources/><constraints/></configuration><status/></cib>' >"$tmp/c.xml"
vg "configure load" -- vigil configure -x "$tmp/c.xml" load update "$tmp/in.crm"
vg "configure show" -- vigil configure -x "$tmp/c.xml" show
vg "explain" -- vigil explain -x "$tmp/c.xml" ip

echo "$runs runs, $fails failed"
[ "$runs" -ge 20 ] || { echo "FAIL: only $runs runs"; exit 1; }
[ "$fails" -eq 0 ]
