#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Wrong input never crashes or hangs `vigil simulate`: every CIB in bad/
# ends in an exit status (no signal, no timeout); the ones that cannot be
# parsed or do not match the schema are refused with exit 65 and a message.
srcdir=${VIGIL_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/sched
vigil=${VIGIL_BUILDDIR:-.}/tools/vigil
refused="bad-dates deep-nesting group-in-group not-xml primitive-empty-id primitive-no-agent
primitive-no-id truncated unknown-idref wrong-root"
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
fails=0
for xml in "$srcdir"/bad/*.xml; do
	name=$(basename "$xml" .xml)
	timeout 30 "$vigil" simulate -x "$xml" -S > "$tmp/out" 2> "$tmp/err"
	rc=$?
	if [ $rc -ge 124 ]; then
		echo "FAIL $name: crashed or hung (exit $rc)"
		fails=$((fails + 1))
	elif echo "$refused" | grep -qw "$name"; then
		if [ $rc -ne 65 ] || [ ! -s "$tmp/err" ]; then
			echo "FAIL $name: expected exit 65 with a message, got $rc"
			fails=$((fails + 1))
		fi
	fi
done
# Bad options and files are usage errors, not crashes.
for args in "-x" "-x /nonexistent/cib.xml -S" "-x $srcdir/cases/primitive-start.xml -t nonsense" \
	"-x $srcdir/cases/primitive-start.xml -S -i rsc1_start" "--bogus" ""; do
	# shellcheck disable=SC2086
	timeout 30 "$vigil" simulate $args > /dev/null 2> "$tmp/err"
	rc=$?
	if [ $rc -eq 0 ] || [ $rc -ge 124 ] || [ ! -s "$tmp/err" ]; then
		echo "FAIL 'simulate $args': exit $rc"
		fails=$((fails + 1))
	fi
done
[ $fails -eq 0 ] && echo "bad input: no crash, no hang, clear refusals"
[ $fails -eq 0 ]
