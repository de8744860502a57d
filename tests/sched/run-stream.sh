#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# `vigil simulate -R` reads a CIB it only schedules with the streaming
# reader (no tree of the operation history); with -I the whole tree is
# built instead.  Both must print the same bytes (status, scores, summary)
# and exit the same way on every regression case, every bad input and,
# when the shared conformance corpus is there, every corpus CIB (real
# clusters' histories); the same through standard input.
srcdir=${VIGIL_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/sched
corpus=${VIGIL_CONFORMANCE:-$srcdir/../../../shared/conformance}/pacemaker-scheduler/xml
vigil=${VIGIL_BUILDDIR:-.}/tools/vigil
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
fails=0
n=0
for xml in "$srcdir"/cases/*.xml "$srcdir"/bad/*.xml "$corpus"/*.xml; do
	[ -f "$xml" ] || continue
	n=$((n + 1))
	timeout 30 "$vigil" simulate -x "$xml" -R -s > "$tmp/stream" 2> "$tmp/stream.err"
	rs=$?
	timeout 30 "$vigil" simulate -x "$xml" -R -s -I "$tmp/in.xml" > "$tmp/tree" 2> "$tmp/tree.err"
	rt=$?
	if [ $rs -ge 124 ] || [ $rs -ne $rt ] || ! cmp -s "$tmp/stream" "$tmp/tree"; then
		echo "FAIL $(basename "$xml"): streamed exit $rs, whole tree exit $rt"
		diff "$tmp/tree" "$tmp/stream" | head -10
		fails=$((fails + 1))
	elif [ $rs -ne 0 ] && [ ! -s "$tmp/stream.err" ]; then
		echo "FAIL $(basename "$xml"): exit $rs without a message"
		fails=$((fails + 1))
	fi
done
case=$srcdir/cases/primitive-start.xml
"$vigil" simulate -R -p < "$case" > "$tmp/stdin" 2>&1
"$vigil" simulate -R -x "$case" > "$tmp/file" 2>&1
if ! cmp -s "$tmp/stdin" "$tmp/file" || ! grep -q "Start" "$tmp/file"; then
	echo "FAIL standard input streamed differently"
	fails=$((fails + 1))
fi
{ echo '<!DOCTYPE cib [<!ENTITY x "y">]>'; cat "$case"; } > "$tmp/doctype.xml"
"$vigil" simulate -R -x "$tmp/doctype.xml" > /dev/null 2> "$tmp/err"
if [ $? -ne 65 ] || ! grep -q DOCTYPE "$tmp/err"; then
	echo "FAIL a document type declaration was not refused"
	fails=$((fails + 1))
fi
[ $fails -eq 0 ] && echo "streaming input: $n CIBs, same output as the whole tree"
[ $fails -eq 0 ]
