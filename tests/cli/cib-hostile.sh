#!/bin/sh
# Hostile input to `vigil cib`: malformed XML, a wrong root, entities, a
# 200 MB document, deep nesting.  Each must end with a clear error and the
# "invalid input" exit code (3), quickly and without a crash or a memory
# blow-up.
# SPDX-License-Identifier: GPL-2.0-or-later
set -u
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
fails=0

check() { # check FILE DESCRIPTION PATTERN
	f=$1 what=$2 pattern=$3
	if [ -x /usr/bin/time ]; then
		/usr/bin/time -f '%M' -o "$tmp/rss" vigil cib -x "$f" verify >"$tmp/out" 2>"$tmp/err"
		rc=$?
	else
		vigil cib -x "$f" verify >"$tmp/out" 2>"$tmp/err"
		rc=$?
	fi
	if [ $rc -ne 3 ]; then
		echo "FAIL: $what: exit $rc, expected 3"
		head -3 "$tmp/err"
		fails=$((fails + 1))
		return
	fi
	if ! grep -q "$pattern" "$tmp/err"; then
		echo "FAIL: $what: message lacks '$pattern':"
		head -3 "$tmp/err"
		fails=$((fails + 1))
		return
	fi
	if [ -s "$tmp/rss" ] && [ "$(tail -1 "$tmp/rss")" -gt 200000 ] 2>/dev/null; then
		echo "FAIL: $what: used $(tail -1 "$tmp/rss") kB"
		fails=$((fails + 1))
		return
	fi
	echo "ok: $what: $(head -1 "$tmp/err")"
}

printf '<cib><configuration><resources></cib>' >"$tmp/malformed.xml"
check "$tmp/malformed.xml" "malformed" "line"
printf '<html><body/></html>' >"$tmp/root.xml"
check "$tmp/root.xml" "wrong root" "not <cib>"
printf '' >"$tmp/empty.xml"
check "$tmp/empty.xml" "empty file" "empty.xml"
cat >"$tmp/laughs.xml" <<'XML'
<?xml version="1.0"?>
<!DOCTYPE cib [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>
<cib epoch="&b;"/>
XML
check "$tmp/laughs.xml" "entities" "DOCTYPE"
# 200 MB: a sparse file; refused on its size before it is read
printf '<cib>' >"$tmp/huge.xml"
truncate -s 200M "$tmp/huge.xml"
check "$tmp/huge.xml" "200 MB document" "exceeds"
# nesting 100000 deep
python3 -c '
import sys
n = 100000
sys.stdout.write("<cib><configuration/><status>" + "<a>" * n + "</a>" * n + "</status></cib>")
' >"$tmp/deep.xml"
check "$tmp/deep.xml" "deep nesting" "deep"
[ $fails -eq 0 ]
