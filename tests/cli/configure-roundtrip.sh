#!/bin/sh
# `vigil configure` round trips: crm text -> XML -> crm text -> XML gives the
# same text and the same XML, also for what the syntax cannot say (printed
# as "xml ..."); single statements from the command line, delete with the
# constraints it leaves dangling, show of single objects and as XML, and
# XML files loaded as before.
# SPDX-License-Identifier: GPL-2.0-or-later
set -u
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
ok() { echo "ok: $*"; }
empty() {
	cat >"$1" <<'XML'
<cib validate-with="pacemaker-3.9" epoch="1" num_updates="0" admin_epoch="0">
  <configuration><crm_config/><nodes/><resources/><constraints/></configuration>
  <status/>
</cib>
XML
}
cfg() { # the configuration section, canonical
	python3 -c 'import sys, xml.etree.ElementTree as ET
r = ET.parse(sys.argv[1]).getroot().find("configuration")
for e in r.iter():
    e.tail = None
    if e.text is not None and not e.text.strip(): e.text = None
print(ET.canonicalize(ET.tostring(r)))' "$1"
}

cat >"$tmp/in.crm" <<'CRM'
# comments and continuation lines
node 1: node1 \
	attributes site=a
node 2: node2
primitive ip ocf:heartbeat:IPaddr2 \
	params ip=10.0.0.1 cidr_netmask=24 \
	op monitor interval=10s timeout=20s \
	meta target-role=Started
primitive web ocf:heartbeat:apache params configfile="/etc/apache2/my conf" description="web server"
primitive d1 ocf:pacemaker:Dummy
primitive d2 ocf:pacemaker:Dummy
group g d1 d2 meta resource-stickiness=50
primitive s ocf:pacemaker:Stateful op monitor interval=10s role=Promoted
ms ms-s s meta notify=true
location prefer-1 ip 100: node1
location ping web rule $role=Started -inf: not_defined pingd or pingd number:lte 0
colocation web-with-ip inf: web ip
order ip-then-web Mandatory: ip web
order sets Optional: ( d1 d2 ) [ ip web ] symmetrical=false
xml <rsc_ticket id="t1" rsc="web" ticket="ticketA" loss-policy="stop"/>
xml <rsc_location id="nested" rsc="ip"><rule id="nested-r" score="10" boolean-op="or"><rule id="nested-r2" score="0"><expression id="nested-e" attribute="a" operation="defined"/></rule></rule></rsc_location>
property stonith-enabled=false
rsc_defaults resource-stickiness=100
op_defaults timeout=60s
CRM

empty "$tmp/a.xml"
vigil configure -x "$tmp/a.xml" load update "$tmp/in.crm" || fail "load of the crm text"
vigil configure -x "$tmp/a.xml" show >"$tmp/a.crm" || fail "show"
empty "$tmp/b.xml"
vigil configure -x "$tmp/b.xml" load replace "$tmp/a.crm" || fail "load of the shown text"
vigil configure -x "$tmp/b.xml" show >"$tmp/b.crm"
if cmp -s "$tmp/a.crm" "$tmp/b.crm"; then ok "text -> XML -> text is stable"; else
	fail "text differs"; diff "$tmp/a.crm" "$tmp/b.crm" | head; fi
if [ "$(cfg "$tmp/a.xml")" = "$(cfg "$tmp/b.xml")" ]; then ok "XML -> text -> XML is identical"; else
	fail "XML differs after a round trip"; fi
grep -q '^rsc_ticket t1 ticketA: web loss-policy=stop' "$tmp/a.crm" && ok "an xml statement shown in crm syntax when it can be" || fail "ticket not shown"
grep -q '^xml <rsc_location id="nested"' "$tmp/a.crm" && ok "nested rule shown as xml" || fail "nested rule"
grep -q 'configfile="/etc/apache2/my conf"' "$tmp/a.crm" && ok "values with blanks quoted" || fail "quoting"
grep -q 'order sets Optional: ( d1 d2 ) \[ ip web \] symmetrical=false' "$tmp/a.crm" && ok "sets shown" || fail "sets"
grep -q 'id="ms-s-meta_attributes-promotable"' "$tmp/a.xml" && ok "ms is a promotable clone" || fail "ms"

# statements on the command line, delete, show ID, show xml
f=$tmp/a.xml
vigil configure -x "$f" primitive extra ocf:pacemaker:Dummy op monitor interval=30s || fail "primitive on the command line"
grep -q 'id="extra-monitor-30s"' "$f" && ok "command-line primitive with crmsh op id" || fail "op id"
vigil configure -x "$f" location extra-loc extra -inf: node2 || fail "location on the command line"
vigil configure -x "$f" show extra extra-loc >"$tmp/one.crm"
[ "$(grep -c '^[a-z]' "$tmp/one.crm")" -eq 2 ] && ok "show ID prints only those" || { fail "show ID"; cat "$tmp/one.crm"; }
vigil configure -x "$f" show xml extra | grep -q '<primitive id="extra"' && ok "show xml ID" || fail "show xml ID"
vigil configure -x "$f" delete extra || fail "delete"
if grep -q 'extra' "$f"; then fail "delete left references"; else ok "delete removes the constraints naming it"; fi
vigil configure -x "$f" delete d1 || fail "delete of a group member"
grep -q '<resource_ref id="d1"' "$f" && fail "set member left" || ok "delete removes set members"
printf 'group g d2 meta resource-stickiness=75\n' >"$tmp/g.crm"
vigil configure -x "$f" load update "$tmp/g.crm" && vigil configure -x "$f" show g d2 >"$tmp/g.out" \
	&& grep -q 'resource-stickiness=75' "$tmp/g.out" && grep -q '^primitive d2' "$tmp/g.out" \
	&& ok "load update redefines a group around its member" || fail "group redefinition"
vigil configure -x "$f" tag tg: ip web || fail "tag"
vigil configure -x "$f" delete web && grep -q '<obj_ref id="ip"/>' "$f" && ! grep -q '<obj_ref id="web"/>' "$f" \
	&& ok "delete removes tag members" || fail "tag members after delete"
CIB_file=$f vigil configure property maintenance-mode=false && grep -q 'cib-bootstrap-options-maintenance-mode' "$f" \
	&& ok "CIB_file and property" || fail "CIB_file/property"

# XML files still load (first non-blank character '<')
cat >"$tmp/x.xml" <<'XML'
  <configuration><resources><primitive id="fromxml" class="ocf" provider="pacemaker" type="Dummy"/></resources></configuration>
XML
vigil configure -x "$f" load update "$tmp/x.xml" && grep -q 'id="fromxml"' "$f" && grep -q 'id="ip"' "$f" \
	&& ok "XML load update merges" || fail "XML load update"
vigil configure -x "$f" verify >/dev/null 2>&1 && ok "verify passes" || fail "verify"
[ "$fails" -eq 0 ]
