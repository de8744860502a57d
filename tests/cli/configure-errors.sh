#!/bin/sh
# `vigil configure`: bad input is refused with the file, line and token,
# a batch with one bad statement changes nothing, and the exit codes of
# --help hold (3 syntax, 4 verify errors, 5 not found, 8 id exists).
# SPDX-License-Identifier: GPL-2.0-or-later
set -u
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
fails=0
f=$tmp/cib.xml
cat >"$f" <<'XML'
<cib validate-with="pacemaker-3.9" epoch="1" num_updates="0" admin_epoch="0">
  <configuration><crm_config/><nodes><node id="1" uname="node1"/></nodes>
    <resources><primitive id="ip" class="ocf" provider="heartbeat" type="IPaddr2"/></resources>
    <constraints/></configuration>
  <status/>
</cib>
XML
cp "$f" "$tmp/orig.xml"

check() { # check CODE 'stderr pattern' DESCRIPTION -- command...
	want=$1 pat=$2 what=$3
	shift 4
	"$@" >"$tmp/out" 2>"$tmp/err"
	got=$?
	if [ "$got" -ne "$want" ] || ! grep -q -- "$pat" "$tmp/err"; then
		echo "FAIL: $what: exit $got (want $want)"; sed 's/^/  | /' "$tmp/err" | head -5
		fails=$((fails + 1))
	else
		echo "ok: $what: $(head -1 "$tmp/err")"
	fi
}

printf 'primitive a ocf:pacemaker:Dummy\n\nlocation l a 100 node1\n' >"$tmp/b1.crm"
check 3 "b1.crm:3: location: unexpected token '100'" "missing colon after a score" -- \
	vigil configure -x "$f" load update "$tmp/b1.crm"
printf 'primitive b ocf:pacemaker:Dummy \\\n\top monitor interval=10 \\\n\tbogus x=1\n' >"$tmp/b2.crm"
check 3 "b2.crm:3: primitive: unexpected token 'bogus'" "unknown section on a continuation line" -- \
	vigil configure -x "$f" load update "$tmp/b2.crm"
printf 'primitive c ocf:pacemaker:Dummy\nfrob x\n' >"$tmp/b3.crm"
check 3 "b3.crm:2: unknown statement 'frob'" "unknown statement" -- vigil configure -x "$f" load update "$tmp/b3.crm"
printf 'order o inf: ( ip d\n' >"$tmp/b4.crm"
check 3 "b4.crm:1: order: unexpected end of statement, expected the closing bracket" "unclosed set" -- \
	vigil configure -x "$f" load update "$tmp/b4.crm"
printf 'location l ip rule 5: pingd zz 3\n' >"$tmp/b5.crm"
check 3 "unexpected token 'zz', expected an operator" "bad operator" -- vigil configure -x "$f" load update "$tmp/b5.crm"
printf 'primitive q ocf:pacemaker:Dummy params x="unterminated\n' >"$tmp/b6.crm"
check 3 "b6.crm:1: unterminated quote" "unterminated quote" -- vigil configure -x "$f" load update "$tmp/b6.crm"
check 3 "primitive: unexpected token 'ocf:Dummy'" "ocf agent without provider" -- \
	vigil configure -x "$f" primitive z ocf:Dummy
check 8 "an object with id 'ip' already exists" "existing id" -- vigil configure -x "$f" primitive ip ocf:pacemaker:Dummy
check 4 "names no resource" "constraint naming a missing resource" -- \
	vigil configure -x "$f" colocation cc inf: ip nosuch
check 5 "no object with id 'nosuch'" "delete of a missing id" -- vigil configure -x "$f" delete nosuch
check 2 "unknown command 'frobnicate'" "unknown command" -- vigil configure -x "$f" frobnicate
if cmp -s "$f" "$tmp/orig.xml"; then echo "ok: nothing was written"; else
	echo "FAIL: a refused change modified the file"; fails=$((fails + 1)); fi
vigil configure --help | grep -q 'load update|replace FILE' && echo "ok: --help" || { echo "FAIL: --help"; fails=$((fails + 1)); }
[ "$fails" -eq 0 ]
