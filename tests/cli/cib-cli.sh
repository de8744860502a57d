#!/bin/sh
# `vigil cib` offline mode: every command on a scratch file, and the exit
# codes documented in `vigil cib --help`.
# SPDX-License-Identifier: GPL-2.0-or-later
set -u
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
f=$tmp/cib.xml
fails=0

expect() { # expect CODE DESCRIPTION -- command...
	want=$1 what=$2
	shift 3
	"$@" >"$tmp/out" 2>"$tmp/err"
	got=$?
	if [ "$got" -ne "$want" ]; then
		echo "FAIL: $what: exit $got, expected $want"
		sed 's/^/  | /' "$tmp/err" | head -5
		fails=$((fails + 1))
	else
		echo "ok: $what"
	fi
}

cat >"$f" <<'XML'
<cib admin_epoch="0" epoch="3" num_updates="1" validate-with="pacemaker-3.9">
  <configuration>
    <crm_config>
      <cluster_property_set id="opts">
        <nvpair id="opts-stonith" name="stonith-enabled" value="false"/>
      </cluster_property_set>
    </crm_config>
    <nodes><node id="1" uname="node1"/><node id="2" uname="node2"/></nodes>
    <resources>
      <primitive id="ip" class="ocf" provider="heartbeat" type="IPaddr2">
        <instance_attributes id="ip-ia"><nvpair id="ip-ia-ip" name="ip" value="10.0.0.1"/></instance_attributes>
      </primitive>
    </resources>
    <constraints/>
  </configuration>
  <status/>
</cib>
XML
export CIB_file=$f
V="vigil cib"

expect 0 "help" -- vigil cib --help
grep -q "Exit status" "$tmp/out" || { echo "FAIL: help lacks exit codes"; fails=$((fails + 1)); }
expect 2 "unknown command" -- vigil cib frobnicate
expect 0 "query section" -- $V query -o nodes
grep -q 'uname="node2"' "$tmp/out" || { echo "FAIL: query -o nodes output"; fails=$((fails + 1)); }
expect 0 "query xpath" -- $V query --xpath "//nvpair[@name='ip']"
grep -q '10.0.0.1' "$tmp/out" || { echo "FAIL: xpath output"; fails=$((fails + 1)); }
expect 5 "query missing" -- $V query --xpath "//primitive[@id='nope']"
expect 3 "query bad xpath" -- $V query --xpath "//["
expect 3 "query bad section" -- $V query -o bogus
expect 0 "create" -- $V create -o resources -X '<primitive id="web" class="ocf" provider="heartbeat" type="apache"/>'
grep -q 'epoch="4"' "$f" || { echo "FAIL: create did not bump epoch"; fails=$((fails + 1)); }
expect 8 "create existing" -- $V create -o resources -X '<primitive id="web" class="ocf" provider="heartbeat" type="apache"/>'
expect 4 "create schema violation" -- $V create -o resources -X '<primitive id="bad" class="ocf"/>'
expect 3 "create malformed" -- $V create -o resources -X '<primitive id="x"'
echo '<node_state id="1" uname="node1"/>' >"$tmp/in"
expect 0 "create status from stdin" -- sh -c "vigil cib create -o status < '$tmp/in'"
grep -q 'num_updates="1"' "$f" && grep -q 'epoch="4"' "$f" ||
	{ echo "FAIL: status write should bump num_updates only"; fails=$((fails + 1)); }
expect 0 "modify" -- $V modify -X '<nvpair id="ip-ia-ip" value="10.0.0.2"/>'
grep -q '10.0.0.2' "$f" || { echo "FAIL: modify"; fails=$((fails + 1)); }
expect 5 "modify missing" -- $V modify -o resources -X '<primitive id="nope"/>'
cp "$f" "$tmp/before.xml"
expect 0 "delete by xpath" -- $V delete --xpath "//primitive[@id='web']"
expect 5 "delete missing" -- $V delete -X '<primitive id="web"/>'
expect 0 "diff" -- vigil cib diff "$tmp/before.xml" "$f"
grep -q 'operation="delete"' "$tmp/out" || { echo "FAIL: diff lacks delete"; fails=$((fails + 1)); }
cp "$tmp/out" "$tmp/patch.xml"
cp "$tmp/before.xml" "$tmp/replica.xml"
expect 0 "patch" -- vigil cib -x "$tmp/replica.xml" patch -X "$(cat "$tmp/patch.xml")"
expect 0 "patched equals" -- vigil cib diff "$tmp/replica.xml" "$f"
[ -s "$tmp/out" ] && { echo "FAIL: patched replica differs"; fails=$((fails + 1)); }
expect 7 "patch wrong version" -- vigil cib -x "$tmp/replica.xml" patch -X "$(cat "$tmp/patch.xml")"
expect 7 "replace with older" -- $V replace -X '<cib epoch="1" num_updates="0" admin_epoch="0" validate-with="pacemaker-3.9"><configuration><crm_config/><nodes/><resources/><constraints/></configuration></cib>'
# ACLs through --user: alice may read everything and write resources
expect 0 "create acls" -- $V create -o configuration -X '<acls><acl_target id="alice"><role id="ops"/></acl_target><acl_role id="ops"><acl_permission id="ops-r" kind="read" xpath="/cib"/><acl_permission id="ops-w" kind="write" xpath="//resources"/><acl_permission id="ops-d" kind="deny" xpath="//nvpair[@name='"'"'ip'"'"']"/></acl_role></acls>'
expect 0 "acl: write allowed" -- $V -u alice create -o resources -X '<primitive id="db" class="ocf" provider="heartbeat" type="pgsql"/>'
expect 6 "acl: write refused" -- $V -u alice modify -X '<nvpair id="opts-stonith" value="true"/>'
expect 6 "acl: deny beats write" -- $V -u alice modify -X '<nvpair id="ip-ia-ip" value="10.0.0.9"/>'
expect 5 "acl: denied is invisible" -- $V -u alice query --xpath "//nvpair[@name='ip']"
expect 6 "acl: unknown user reads nothing" -- $V -u mallory query
expect 0 "verify" -- $V verify
# fencing-enabled is the newer name of stonith-enabled: known, and it wins
expect 0 "fencing-enabled" -- $V modify -X '<nvpair id="opts-stonith" name="fencing-enabled" value="false"/>'
expect 0 "verify fencing-enabled" -- $V verify
grep -q 'unknown cluster option' "$tmp/err" && { echo "FAIL: fencing-enabled called unknown"; fails=$((fails + 1)); }
grep -q 'fencing is disabled' "$tmp/err" || { echo "FAIL: fencing-enabled=false not seen"; fails=$((fails + 1)); }
expect 0 "erase" -- $V erase
expect 5 "erased" -- $V query --xpath "//primitive"
expect 3 "wrong root" -- vigil cib -x /dev/null query
printf '<configuration/>' >"$tmp/conf.xml"
expect 3 "configuration root" -- vigil cib -x "$tmp/conf.xml" query
grep -q '<cib>' "$tmp/err" || { echo "FAIL: no hint for a bare configuration"; fails=$((fails + 1)); }
unset CIB_file
expect 1 "no live cluster" -- vigil cib query
grep -q 'no live cluster' "$tmp/err" || { echo "FAIL: live message"; fails=$((fails + 1)); }

[ $fails -eq 0 ]
