#!/bin/sh
# Every CIB of the Pacemaker scheduler corpus passes `vigil cib verify` with
# zero errors (older syntax is upgraded on the fly; warnings are allowed).
# Skips (77) when the corpus is not present next to the checkout.
# SPDX-License-Identifier: GPL-2.0-or-later
corpus=${VIGIL_SRCDIR:-.}/../shared/conformance/pacemaker-scheduler/xml
[ -d "$corpus" ] || { echo "SKIP: no corpus at $corpus"; exit 77; }
fail=0 n=0
for f in "$corpus"/*.xml; do
	n=$((n + 1))
	out=$(vigil cib -q -x "$f" verify 2>&1)
	rc=$?
	if [ $rc -ne 0 ]; then
		echo "FAIL ($rc): $f"
		echo "$out" | grep '^error' | head -5
		fail=$((fail + 1))
	fi
done
echo "$n CIBs verified, $fail with errors"
[ $n -gt 0 ] && [ $fail -eq 0 ]
