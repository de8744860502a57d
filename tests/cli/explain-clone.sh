#!/bin/sh
# `vigil explain` for groups and clones: a group is placed as a whole (the
# members' terms add up, each labelled), a member is explained through its
# group, clone instances are listed with their nodes, a clone's primitive
# name finds its first instance, and a promotable clone says whether any
# node has a promotion score.
# SPDX-License-Identifier: GPL-2.0-or-later
set -u
. "${VIGIL_SRCDIR:-$(dirname "$0")/../..}/tests/cli/explain-lib.sh"
cat >"$tmp/cfg.crm" <<'CRM'
node 1: node1
node 2: node2
node 3: node3
primitive p ocf:pacemaker:Dummy
clone pc p meta clone-max=2
primitive g1 ocf:pacemaker:Dummy
primitive g2 ocf:pacemaker:Dummy meta resource-stickiness=10
group g g1 g2
location g-pref g 50: node2
colocation g-with-pc inf: g pc
primitive s ocf:pacemaker:Stateful op monitor interval=10s role=Promoted op monitor interval=11s role=Unpromoted
ms sc s meta promoted-max=1
property stonith-enabled=false
CRM
vigil configure -x "$tmp/cib.xml" load update "$tmp/cfg.crm" || exit 99
vigil simulate -x "$tmp/cib.xml" -u node1 -u node2 -u node3 -S -O "$tmp/run.xml" -Q || exit 99
vigil simulate -x "$tmp/run.xml" -X -Q || exit 99

vigil explain -x "$tmp/run.xml" g2 >"$tmp/o"
has "$tmp/o" "Resource g2 (primitive ocf:pacemaker:Dummy, in group g)" "member header"
has "$tmp/o" "Scores per node, all members of the group together" "group placed as a whole"
has "$tmp/o" "+50  [g1] location g-pref: 50 on node2" "group location counted for the first member"
has "$tmp/o" "+10  [g2] g2 is active on node2: resource-stickiness 10" "member stickiness"
has "$tmp/o" "node2: 110" "the group's total"
has "$tmp/o" "-INFINITY  [g1] colocation g-with-pc: must run with pc, which will run on node1 and node2" "colocation with a clone"

vigil explain -x "$tmp/run.xml" pc >"$tmp/o"
has "$tmp/o" "Now: active on node1 and node2 (role Started)." "clone placement"
has "$tmp/o" "clone pc: clone-max=2; instances after the transition: p:0 node1, p:1 node2" "instances listed"
has "$tmp/o" "resource-stickiness 1 (the default for clone instances)" "clone instance stickiness"

vigil explain -x "$tmp/run.xml" p >"$tmp/o"
has "$tmp/o" "Resource p:0 (primitive ocf:pacemaker:Dummy, in clone pc)" "primitive name finds the first instance"

vigil explain -x "$tmp/run.xml" sc >"$tmp/o"
has "$tmp/o" "no node has a promotion score (master-s)" "promotion scores missing"
python3 - "$tmp/run.xml" "$tmp/m.xml" <<'PY'
import sys, xml.etree.ElementTree as ET
t = ET.parse(sys.argv[1]); st = t.getroot().find('status')
ns = [n for n in st.findall('node_state') if n.get('uname') == 'node2'][0]
ta = ns.find('transient_attributes')
if ta is None:
    ta = ET.SubElement(ns, 'transient_attributes', id=ns.get('id'))
ia = ta.find('instance_attributes')
if ia is None:
    ia = ET.SubElement(ta, 'instance_attributes', id='status-' + ns.get('id'))
ET.SubElement(ia, 'nvpair', id='status-2-master-s', name='master-s', value='10')
t.write(sys.argv[2])
PY
vigil explain -x "$tmp/m.xml" sc >"$tmp/o"
has "$tmp/o" "promotion scores (master-s, set by the agent with crm_master): node2 10; the highest one is promoted" "promotion score shown"
[ "$fails" -eq 0 ]
