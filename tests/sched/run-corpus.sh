#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The Pacemaker corpus cases listed in corpus-passing.txt must keep passing
# at level 2 (Transition Summary and executed actions).  Skipped when the
# shared conformance corpus is not there (it is never part of this tree).
srcdir=${VIGIL_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
conf=${VIGIL_CONFORMANCE:-$srcdir/../shared/conformance}
list=$srcdir/tests/sched/corpus-passing.txt
vigil=${VIGIL_BUILDDIR:-.}/tools/vigil
[ -x "$conf/run-scheduler-corpus" ] || { echo "no corpus at $conf: skipped"; exit 77; }
names=$(grep -v '^#' "$list" | grep -v '^$')
[ -n "$names" ] || { echo "corpus-passing.txt is empty: skipped"; exit 77; }
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
regex=$(printf '%s\n' $names | sed 's/[][\.^$*+?(){}|]/\\&/g' | paste -sd'|')
python3 "$conf/run-scheduler-corpus" --level 2 --quiet --timeout 30 --json "$tmp/r.json" \
	--name "^($regex)\$" -- "$vigil" simulate || exit 99
python3 - "$tmp/r.json" "$list" <<'PY'
import json, sys
results = {r["name"]: r for r in json.load(open(sys.argv[1]))}
wanted = [l.strip() for l in open(sys.argv[2]) if l.strip() and not l.startswith("#")]
bad = [n for n in wanted if results.get(n, {}).get("status") != "pass"]
for n in bad:
    r = results.get(n, {"status": "missing from the corpus"})
    print("NO LONGER PASSING: %s (%s)" % (n, r["status"]))
    for k in ("summary_missing", "summary_extra", "actions_missing", "actions_extra"):
        for line in r.get(k, []):
            print("   %-16s %s" % (k, line))
print("corpus-passing: %d/%d still pass" % (len(wanted) - len(bad), len(wanted)))
sys.exit(1 if bad else 0)
PY
