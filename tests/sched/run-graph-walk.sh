#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The transition-graph walker replays graphs saved by crm_simulate -G for
# vigil's own cases and must list the executed actions in exactly the order
# crm_simulate printed them (cases/NAME.summary), -F failures included.
srcdir=${VIGIL_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/sched
walk=${VIGIL_BUILDDIR:-.}/tests/sched/graph_walk
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
fails=0
n=0
for graph in "$srcdir"/cases/*.graph.xml; do
	name=$(basename "$graph" .graph.xml)
	keys=
	if [ -f "$srcdir/cases/$name.args" ]; then
		# -F rsc_task_interval@node=rc -> rsc_task_interval@node
		keys=$(tr ' ' '\n' < "$srcdir/cases/$name.args" | grep '@.*=' | sed 's/=.*//')
	fi
	awk '/^Executing Cluster Transition:/{on=1} /^Revised Cluster Status:/{on=0} on' \
		"$srcdir/cases/$name.summary" | grep -e '^Executing' -e '^  \* [RPFC]' |
		grep -v '^  \* Injecting' > "$tmp/exp"
	# shellcheck disable=SC2086
	"$walk" "$graph" "$srcdir/cases/$name.xml" $keys | grep -v '^Graph:' > "$tmp/got"
	n=$((n + 1))
	if ! cmp -s "$tmp/exp" "$tmp/got"; then
		echo "FAIL $name"
		diff "$tmp/exp" "$tmp/got"
		fails=$((fails + 1))
	fi
done
echo "graph walk: $((n - fails))/$n graphs replayed in crm_simulate's order"
[ "$fails" -eq 0 ]
