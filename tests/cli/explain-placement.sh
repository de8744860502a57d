#!/bin/sh
# `vigil explain` on CIBs built here (configuration in the crm language,
# status from `vigil simulate`): placement by location constraints and
# rules, stickiness keeping a resource where it is, a colocation chain,
# a ban after failures at migration-threshold, the XML form and --node.
# SPDX-License-Identifier: GPL-2.0-or-later
set -u
. "${VIGIL_SRCDIR:-$(dirname "$0")/../..}/tests/cli/explain-lib.sh"
cat >"$tmp/cfg.crm" <<'CRM'
node 1: node1 attributes site=a
node 2: node2 attributes site=c
node 3: node3 attributes site=b
primitive web ocf:pacemaker:Dummy op monitor interval=10s
primitive a ocf:pacemaker:Dummy
primitive b ocf:pacemaker:Dummy
primitive c ocf:pacemaker:Dummy
primitive f ocf:pacemaker:Dummy op monitor interval=10s meta migration-threshold=2
location prefer-web web 100: node1
location web-site web rule 50: site eq b
location a-on-3 a inf: node3
colocation b-with-a inf: b a
colocation c-with-b inf: c b
location f-on-1 f 10: node1
property stonith-enabled=false
CRM
vigil configure -x "$tmp/cib.xml" load update "$tmp/cfg.crm" || exit 99
# start everything: probes, then starts
vigil simulate -x "$tmp/cib.xml" -u node1 -u node2 -u node3 -S -O "$tmp/run.xml" -Q || exit 99
vigil simulate -x "$tmp/run.xml" -X -Q || exit 99

# placement by location: a node= constraint, a rule that matches, one that does not
vigil explain -x "$tmp/run.xml" web >"$tmp/o" || fails=$((fails + 1))
has "$tmp/o" "Now: active on node1 (role Started)." "where it runs now"
has "$tmp/o" "After the pending transition: stays on node1." "where it runs after the transition"
has "$tmp/o" "It runs on node1 because node1 has the highest score (100)." "why this node"
has "$tmp/o" "+100  location prefer-web: 100 on node1" "location constraint with id and score"
has "$tmp/o" "location web-site: rule web-site-rule matches on node3: 50" "rule that matched"
has "$tmp/o" "location web-site: rule web-site-rule does not match on node2, its score 50 is not applied" "rule that did not match"
grep -A1 '^Planned actions:' "$tmp/o" | grep -q '  none' && echo "ok: nothing planned" || { echo "FAIL: planned actions"; fails=$((fails + 1)); }

# stickiness keeps it on node1 against a stronger preference for node2
cp "$tmp/run.xml" "$tmp/s.xml"
vigil configure -x "$tmp/s.xml" rsc_defaults resource-stickiness=100 || fails=$((fails + 1))
vigil configure -x "$tmp/s.xml" location move-web web 150: node2 || fails=$((fails + 1))
vigil explain -x "$tmp/s.xml" web >"$tmp/o"
has "$tmp/o" "+100  web is active on node1: resource-stickiness 100" "stickiness counted on the current node"
has "$tmp/o" "node1: 200" "total with stickiness"
has "$tmp/o" "node2: 150" "total of the competing node"
has "$tmp/o" "After the pending transition: stays on node1." "stays because of stickiness"

# a dependent's preference pulls its primary (c is sticky and must run with b)
vigil explain -x "$tmp/s.xml" b >"$tmp/o"
has "$tmp/o" "+100  c must run with b (colocation c-with-b) and prefers node3 by 100: its preference counts here too" "dependent's preference"
has "$tmp/o" "node3: 200" "primary's total with its dependent"

# colocation chain: c with b with a, a placed by a location constraint
vigil explain -x "$tmp/run.xml" c >"$tmp/o"
has "$tmp/o" "colocation c-with-b: must run with b, which will run on node3" "colocation with the other's placement"
has "$tmp/o" "-INFINITY  colocation c-with-b: must run with b, which will run on node3" "other nodes excluded by the colocation"
has "$tmp/o" "placement follows a chain: c runs with b (colocation c-with-b), b runs with a (colocation b-with-a); so a decides, and it will run on node3" "the chain named"

# a ban after failures: two monitor failures at migration-threshold=2
vigil simulate -x "$tmp/run.xml" -i f_monitor_10000@node1=7 -I "$tmp/f1.xml" -Q
vigil simulate -x "$tmp/f1.xml" -i f_monitor_10000@node1=7 -I "$tmp/f2.xml" -Q
vigil explain -x "$tmp/f2.xml" f >"$tmp/o"
has "$tmp/o" "f failed 2 time(s) on node1 and migration-threshold is 2: banned from node1 until the failures are cleaned up" "ban after failures"
has "$tmp/o" "After the pending transition: moves from node1 to node2." "moves away"
has "$tmp/o" "* Recover    f" "the recovery in the planned actions"
has "$tmp/o" "Resource action: f               start on node2" "the graph's start action"
vigil explain -x "$tmp/f1.xml" f >"$tmp/o"
has "$tmp/o" "f failed 1 time(s) on node1; it is banned from there at 2 (migration-threshold)" "one failure is below the threshold"

# utilization: a node without enough free capacity is skipped
cat >"$tmp/u.crm" <<'CRM'
node 1: node1 utilization cpu=4
node 2: node2 utilization cpu=2
primitive big ocf:pacemaker:Dummy utilization cpu=3
property placement-strategy=utilization
CRM
cat >"$tmp/ucib.xml" <<'XML'
<cib have-quorum="1" validate-with="pacemaker-3.9" epoch="1" num_updates="0" admin_epoch="0">
  <configuration><crm_config/><nodes/><resources/><constraints/></configuration>
  <status/>
</cib>
XML
vigil configure -x "$tmp/ucib.xml" load update "$tmp/u.crm" || fails=$((fails + 1))
vigil configure -x "$tmp/ucib.xml" property stonith-enabled=false || fails=$((fails + 1))
vigil simulate -x "$tmp/ucib.xml" -u node1 -u node2 -I "$tmp/uin.xml" -Q
vigil explain -x "$tmp/uin.xml" big >"$tmp/o"
has "$tmp/o" "big needs cpu 3 but only 2 of 2 is free on node2 (placement-strategy=utilization)" "capacity too small"
has "$tmp/o" "node2: 0, but it does not fit on the node" "node skipped for capacity"
has "$tmp/o" "big needs cpu 3; 4 of 4 is free on node1" "capacity that fits"

# --node and --xml
vigil explain -x "$tmp/run.xml" --node node3 web >"$tmp/o"
if grep -q '^  node1:' "$tmp/o"; then echo "FAIL: --node shows other nodes"; fails=$((fails + 1)); else echo "ok: --node"; fi
vigil explain -x "$tmp/run.xml" --xml web >"$tmp/o.xml"
python3 - "$tmp/o.xml" <<'PY' && echo "ok: --xml" || { echo "FAIL: --xml"; fails=$((fails + 1)); }
import sys, xml.etree.ElementTree as ET
r = ET.parse(sys.argv[1]).getroot()
assert r.tag == "explain" and r.get("resource") == "web"
assert [n.get("name") for n in r.find("now")] == ["node1"]
n1 = [n for n in r.find("scores") if n.get("name") == "node1"][0]
assert n1.get("score") == "100"
assert any(t.get("id") == "prefer-web" and t.get("applied") == "true" for t in n1)
PY
vigil explain -x "$tmp/run.xml" nosuch >/dev/null 2>"$tmp/e"; rc=$?
[ "$rc" -eq 105 ] && grep -q "no resource 'nosuch'" "$tmp/e" && echo "ok: unknown resource" || { echo "FAIL: unknown resource ($rc)"; fails=$((fails + 1)); }
[ "$fails" -eq 0 ]
