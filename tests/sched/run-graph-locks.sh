#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# shutdown-lock in the transition graph: for each of vigil's own cases, the
# resource actions of `vigil simulate -G` carry the same shutdown-lock
# attribute (the epoch the controller records with a stop's result) as
# those of the graph crm_simulate saved (cases/NAME.graph.xml).
srcdir=${VIGIL_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/sched
vigil=${VIGIL_BUILDDIR:-.}/tools/vigil
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
locks() {
	python3 - "$1" <<'PY'
import sys
import xml.etree.ElementTree as ET
for op in ET.parse(sys.argv[1]).getroot().iter("rsc_op"):
    if op.get("shutdown-lock") is not None:
        print(op.get("operation_key"), op.get("on_node"), op.get("shutdown-lock"))
PY
}
n=0 with=0 fails=0
for graph in "$srcdir"/cases/*.graph.xml; do
	name=$(basename "$graph" .graph.xml)
	args=
	[ -f "$srcdir/cases/$name.args" ] && args=$(cat "$srcdir/cases/$name.args")
	# shellcheck disable=SC2086
	if ! timeout 30 "$vigil" simulate -x "$srcdir/cases/$name.xml" -S -G "$tmp/got.xml" $args \
		> /dev/null 2> "$tmp/err"; then
		echo "FAIL $name: vigil simulate failed"
		cat "$tmp/err"
		fails=$((fails + 1))
		continue
	fi
	locks "$graph" | sort > "$tmp/exp"
	locks "$tmp/got.xml" | sort > "$tmp/got"
	n=$((n + 1))
	[ -s "$tmp/exp" ] && with=$((with + 1))
	if ! cmp -s "$tmp/exp" "$tmp/got"; then
		echo "FAIL $name (expected, got)"
		diff "$tmp/exp" "$tmp/got"
		fails=$((fails + 1))
	fi
done
echo "graph locks: $((n - fails))/$n graphs agree ($with with locked actions)"
[ "$with" -gt 0 ] && [ "$fails" -eq 0 ]
