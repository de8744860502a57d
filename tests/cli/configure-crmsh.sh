#!/bin/sh
# `vigil configure` against crmsh as the oracle: the same crm-syntax
# statements (resources of every kind, location by node and by rules,
# colocation and order with roles, actions and sets, tickets, tags, fencing
# topology, properties, defaults)
# must give the XML crmsh 4.4 writes, ids included.  The expected XML below
# was produced by `CIB_file=x.xml crm configure load update` on this input;
# when crmsh (crm, cibadmin) is installed it is asked again, on the input and
# on vigil's `show` output.  Deviation compared away: crmsh writes <master>
# for ms, vigil a promotable <clone>.
# SPDX-License-Identifier: GPL-2.0-or-later
set -u
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

cat >"$tmp/empty.xml" <<'XML'
<cib crm_feature_set="3.16.1" validate-with="pacemaker-3.9" epoch="1" num_updates="0" admin_epoch="0">
  <configuration><crm_config/><nodes/><resources/><constraints/></configuration>
  <status/>
</cib>
XML

cat >"$tmp/in.crm" <<'CRM'
node 1: node1 attributes site=a
node node2 utilization cpu=4
primitive ip ocf:heartbeat:IPaddr2 params ip=10.0.0.1 cidr_netmask=24 op monitor interval=10s timeout=20s op start timeout=30s interval=0 meta target-role=Started
primitive web ocf:heartbeat:apache params configfile=/etc/apache2/apache2.conf op monitor interval=30s op stop timeout=60s
primitive d1 ocf:pacemaker:Dummy
primitive d2 ocf:pacemaker:Dummy
primitive st stonith:fence_dummy params pcmk_host_list="node1 node2"
group g1 d1 d2 meta target-role=Stopped
primitive s1 ocf:pacemaker:Stateful op monitor interval=10s role=Promoted op monitor interval=11s role=Unpromoted
primitive c1 ocf:pacemaker:Dummy
clone cl1 c1 meta clone-max=2
primitive a ocf:pacemaker:Dummy op monitor interval=10 op monitor interval=10 role=Promoted utilization cpu=1 mem=512
primitive b IPaddr2 params $id=bp ip=1.2.3.4 meta $id=bm y=2
primitive c ocf:pacemaker:Dummy
primitive e ocf:pacemaker:Dummy
primitive f ocf:pacemaker:Dummy
location loc1 ip 100: node1
location loc2 web rule 50: #uname eq node2
location loc3 web rule $id=r3 $role=Started -inf: not_defined pingd or pingd lte 0
location loc4 ip resource-discovery=never -inf: node2
location l1 a rule 10: #uname eq node1 rule -inf: site ne a and #uname ne node2
location l2 b rule pingd: defined pingd
location l3 c rule inf: date gt 2020-01-01
location l4 c rule 5: date in_range start=2020-01-01 end=2021-01-01
location l5 e inf: node1 role=Started
location l6 /^d.*/ 10: node2
location l7 e rule 3: pingd number:gte 5
colocation col1 inf: web ip
colocation col2 -100: g1 ip
colocation col3 inf: [ a b ] ip
colocation cs1 100: a b c
colocation cs2 inf: a:Promoted b:Started
colocation cs3 -inf: e f node-attribute=site
colocation cs4 inf: ( a b ) c
order o1 Mandatory: ip web
order o2 Optional: ip:start web:start symmetrical=false
order o3 Serialize: a b
order o4 inf: ( a b ) web
order o5 0: a b
order o6 100: e f
order o7 inf: a b c
order o8 Mandatory: a:start b:promote
order o9 Optional: [ a b ] c symmetrical=false
primitive s2 ocf:pacemaker:Stateful
ms ms2 s2 meta promoted-max=1 notify=true
property stonith-enabled=false no-quorum-policy=ignore
property $id=p2 foo=bar
rsc_defaults resource-stickiness=100 migration-threshold=3
op_defaults timeout=60s
primitive st1 stonith:fence_dummy
primitive st2 stonith:fence_dummy
rsc_ticket tk1 ticketA: a b:Started loss-policy=stop
rsc_ticket tk2 ticketB: a
tag t1: a b
fencing_topology node1: st1,st2 st2 node2: st2
CRM

cat >"$tmp/crmsh.xml" <<'XML'
  <configuration>
    <crm_config>
      <cluster_property_set id="cib-bootstrap-options">
        <nvpair name="stonith-enabled" value="false" id="cib-bootstrap-options-stonith-enabled"/>
        <nvpair name="no-quorum-policy" value="ignore" id="cib-bootstrap-options-no-quorum-policy"/>
      </cluster_property_set>
      <cluster_property_set id="p2">
        <nvpair name="foo" value="bar" id="p2-foo"/>
      </cluster_property_set>
    </crm_config>
    <nodes>
      <node id="1" uname="node1">
        <instance_attributes id="node1-instance_attributes">
          <nvpair name="site" value="a" id="node1-instance_attributes-site"/>
        </instance_attributes>
      </node>
      <node uname="node2" id="node2">
        <utilization id="node2-utilization">
          <nvpair name="cpu" value="4" id="node2-utilization-cpu"/>
        </utilization>
      </node>
    </nodes>
    <resources>
      <primitive id="ip" class="ocf" provider="heartbeat" type="IPaddr2">
        <instance_attributes id="ip-instance_attributes">
          <nvpair name="ip" value="10.0.0.1" id="ip-instance_attributes-ip"/>
          <nvpair name="cidr_netmask" value="24" id="ip-instance_attributes-cidr_netmask"/>
        </instance_attributes>
        <operations>
          <op name="monitor" interval="10s" timeout="20s" id="ip-monitor-10s"/>
          <op name="start" timeout="30s" interval="0" id="ip-start-0"/>
        </operations>
        <meta_attributes id="ip-meta_attributes">
          <nvpair name="target-role" value="Started" id="ip-meta_attributes-target-role"/>
        </meta_attributes>
      </primitive>
      <primitive id="web" class="ocf" provider="heartbeat" type="apache">
        <instance_attributes id="web-instance_attributes">
          <nvpair name="configfile" value="/etc/apache2/apache2.conf" id="web-instance_attributes-configfile"/>
        </instance_attributes>
        <operations>
          <op name="monitor" interval="30s" id="web-monitor-30s"/>
          <op name="stop" timeout="60s" interval="0" id="web-stop-0"/>
        </operations>
      </primitive>
      <primitive id="st" class="stonith" type="fence_dummy">
        <instance_attributes id="st-instance_attributes">
          <nvpair name="pcmk_host_list" value="node1 node2" id="st-instance_attributes-pcmk_host_list"/>
        </instance_attributes>
      </primitive>
      <primitive id="s1" class="ocf" provider="pacemaker" type="Stateful">
        <operations>
          <op name="monitor" interval="10s" role="Promoted" id="s1-monitor-10s"/>
          <op name="monitor" interval="11s" role="Unpromoted" id="s1-monitor-11s"/>
        </operations>
      </primitive>
      <primitive id="a" class="ocf" provider="pacemaker" type="Dummy">
        <operations>
          <op name="monitor" interval="10" id="a-monitor-10"/>
          <op name="monitor" interval="10" role="Promoted" id="a-monitor-10-0"/>
        </operations>
        <utilization id="a-utilization">
          <nvpair name="cpu" value="1" id="a-utilization-cpu"/>
          <nvpair name="mem" value="512" id="a-utilization-mem"/>
        </utilization>
      </primitive>
      <primitive id="b" class="ocf" provider="heartbeat" type="IPaddr2">
        <instance_attributes id="bp">
          <nvpair name="ip" value="1.2.3.4" id="bp-ip"/>
        </instance_attributes>
        <meta_attributes id="bm">
          <nvpair name="y" value="2" id="bm-y"/>
        </meta_attributes>
      </primitive>
      <primitive id="c" class="ocf" provider="pacemaker" type="Dummy"/>
      <primitive id="e" class="ocf" provider="pacemaker" type="Dummy"/>
      <primitive id="f" class="ocf" provider="pacemaker" type="Dummy"/>
      <primitive id="st1" class="stonith" type="fence_dummy"/>
      <primitive id="st2" class="stonith" type="fence_dummy"/>
      <group id="g1">
        <meta_attributes id="g1-meta_attributes">
          <nvpair name="target-role" value="Stopped" id="g1-meta_attributes-target-role"/>
        </meta_attributes>
        <primitive id="d1" class="ocf" provider="pacemaker" type="Dummy"/>
        <primitive id="d2" class="ocf" provider="pacemaker" type="Dummy"/>
      </group>
      <master id="ms2">
        <meta_attributes id="ms2-meta_attributes">
          <nvpair name="promoted-max" value="1" id="ms2-meta_attributes-promoted-max"/>
          <nvpair name="notify" value="true" id="ms2-meta_attributes-notify"/>
        </meta_attributes>
        <primitive id="s2" class="ocf" provider="pacemaker" type="Stateful"/>
      </master>
      <clone id="cl1">
        <meta_attributes id="cl1-meta_attributes">
          <nvpair name="clone-max" value="2" id="cl1-meta_attributes-clone-max"/>
        </meta_attributes>
        <primitive id="c1" class="ocf" provider="pacemaker" type="Dummy"/>
      </clone>
    </resources>
    <constraints>
      <rsc_location id="loc1" rsc="ip" score="100" node="node1"/>
      <rsc_location id="loc2" rsc="web">
        <rule score="50" id="loc2-rule">
          <expression operation="eq" attribute="#uname" value="node2" id="loc2-rule-expression"/>
        </rule>
      </rsc_location>
      <rsc_location id="loc3" rsc="web">
        <rule id="r3" role="Started" score="-INFINITY" boolean-op="or">
          <expression operation="not_defined" attribute="pingd" id="r3-expression"/>
          <expression operation="lte" attribute="pingd" value="0" id="r3-expression-0"/>
        </rule>
      </rsc_location>
      <rsc_location id="loc4" rsc="ip" resource-discovery="never" score="-INFINITY" node="node2"/>
      <rsc_location id="l1" rsc="a">
        <rule score="10" id="l1-rule">
          <expression operation="eq" attribute="#uname" value="node1" id="l1-rule-expression"/>
        </rule>
        <rule score="-INFINITY" id="l1-rule-0">
          <expression operation="ne" attribute="site" value="a" id="l1-rule-0-expression"/>
          <expression operation="ne" attribute="#uname" value="node2" id="l1-rule-0-expression-0"/>
        </rule>
      </rsc_location>
      <rsc_location id="l2" rsc="b">
        <rule score-attribute="pingd" id="l2-rule">
          <expression operation="defined" attribute="pingd" id="l2-rule-expression"/>
        </rule>
      </rsc_location>
      <rsc_location id="l3" rsc="c">
        <rule score="INFINITY" id="l3-rule">
          <date_expression operation="gt" start="2020-01-01" id="l3-rule-expression"/>
        </rule>
      </rsc_location>
      <rsc_location id="l4" rsc="c">
        <rule score="5" id="l4-rule">
          <date_expression operation="in_range" start="2020-01-01" end="2021-01-01" id="l4-rule-expression"/>
        </rule>
      </rsc_location>
      <rsc_location id="l5" rsc="e" score="INFINITY" node="node1" role="Started"/>
      <rsc_location id="l6" rsc-pattern="^d.*" score="10" node="node2"/>
      <rsc_location id="l7" rsc="e">
        <rule score="3" id="l7-rule">
          <expression operation="gte" attribute="pingd" type="number" value="5" id="l7-rule-expression"/>
        </rule>
      </rsc_location>
      <rsc_colocation id="col1" score="INFINITY" rsc="web" with-rsc="ip"/>
      <rsc_colocation id="col2" score="-100" rsc="g1" with-rsc="ip"/>
      <rsc_colocation id="col3" score="INFINITY">
        <resource_set require-all="false" sequential="false" id="col3-0">
          <resource_ref id="a"/>
          <resource_ref id="b"/>
        </resource_set>
        <resource_set id="col3-1">
          <resource_ref id="ip"/>
        </resource_set>
      </rsc_colocation>
      <rsc_colocation id="cs1" score="100">
        <resource_set id="cs1-0">
          <resource_ref id="a"/>
          <resource_ref id="b"/>
          <resource_ref id="c"/>
        </resource_set>
      </rsc_colocation>
      <rsc_colocation id="cs2" score="INFINITY" rsc="a" rsc-role="Promoted" with-rsc="b" with-rsc-role="Started"/>
      <rsc_colocation id="cs3" score="-INFINITY" node-attribute="site" rsc="e" with-rsc="f"/>
      <rsc_colocation id="cs4" score="INFINITY">
        <resource_set sequential="false" id="cs4-0">
          <resource_ref id="a"/>
          <resource_ref id="b"/>
        </resource_set>
        <resource_set id="cs4-1">
          <resource_ref id="c"/>
        </resource_set>
      </rsc_colocation>
      <rsc_order id="o1" kind="Mandatory" first="ip" then="web"/>
      <rsc_order id="o2" kind="Optional" symmetrical="false" first="ip" first-action="start" then="web" then-action="start"/>
      <rsc_order id="o3" kind="Serialize" first="a" then="b"/>
      <rsc_order id="o4" kind="Mandatory">
        <resource_set sequential="false" id="o4-0">
          <resource_ref id="a"/>
          <resource_ref id="b"/>
        </resource_set>
        <resource_set id="o4-1">
          <resource_ref id="web"/>
        </resource_set>
      </rsc_order>
      <rsc_order id="o5" kind="Optional" first="a" then="b"/>
      <rsc_order id="o6" kind="Mandatory" first="e" then="f"/>
      <rsc_order id="o7" kind="Mandatory">
        <resource_set id="o7-0">
          <resource_ref id="a"/>
          <resource_ref id="b"/>
          <resource_ref id="c"/>
        </resource_set>
      </rsc_order>
      <rsc_order id="o8" kind="Mandatory" first="a" first-action="start" then="b" then-action="promote"/>
      <rsc_order id="o9" kind="Optional" symmetrical="false">
        <resource_set require-all="false" sequential="false" id="o9-0">
          <resource_ref id="a"/>
          <resource_ref id="b"/>
        </resource_set>
        <resource_set id="o9-1">
          <resource_ref id="c"/>
        </resource_set>
      </rsc_order>
      <rsc_ticket id="tk1" ticket="ticketA" loss-policy="stop">
        <resource_set id="tk1-0">
          <resource_ref id="a"/>
        </resource_set>
        <resource_set role="Started" id="tk1-1">
          <resource_ref id="b"/>
        </resource_set>
      </rsc_ticket>
      <rsc_ticket id="tk2" ticket="ticketB" rsc="a"/>
    </constraints>
    <tags>
      <tag id="t1">
        <obj_ref id="a"/>
        <obj_ref id="b"/>
      </tag>
    </tags>
    <fencing-topology>
      <fencing-level target="node1" index="1" devices="st1,st2" id="fencing"/>
      <fencing-level target="node1" index="2" devices="st2" id="fencing-0"/>
      <fencing-level target="node2" index="1" devices="st2" id="fencing-1"/>
    </fencing-topology>
    <rsc_defaults>
      <meta_attributes id="rsc-options">
        <nvpair name="resource-stickiness" value="100" id="rsc-options-resource-stickiness"/>
        <nvpair name="migration-threshold" value="3" id="rsc-options-migration-threshold"/>
      </meta_attributes>
    </rsc_defaults>
    <op_defaults>
      <meta_attributes id="op-options">
        <nvpair name="timeout" value="60s" id="op-options-timeout"/>
      </meta_attributes>
    </op_defaults>
  </configuration>
XML

cat >"$tmp/cmp.py" <<'PY'
import sys, xml.etree.ElementTree as ET
def norm(e):
    # crmsh 4.4 writes <master>; vigil a promotable <clone> (deviation, see crmconf_parse.c)
    tag, attrs = e.tag, dict(e.attrib)
    kids = [norm(k) for k in e]
    if tag == 'master':
        tag = 'clone'
        metas = [k for k in kids if k[0] == 'meta_attributes']
        pid = e.get('id') + '-meta_attributes'
        if not metas:
            kids.insert(0, ('meta_attributes', (('id', pid),), []))
            metas = [kids[0]]
        m = metas[0]
        kids[kids.index(m)] = (m[0], m[1], m[2] + [('nvpair', tuple(sorted({'id': dict(m[1])['id'] + '-promotable', 'name': 'promotable', 'value': 'true'}.items())), [])])
    return (tag, tuple(sorted(attrs.items())), kids)
def load(p):
    r = ET.parse(p).getroot()
    c = r if r.tag == 'configuration' else r.find('configuration')
    return {s.tag: norm(s) for s in c}
a, b = load(sys.argv[1]), load(sys.argv[2])
bad = 0
for sec in sorted(set(a) | set(b)):
    x, y = a.get(sec, (sec, (), [])), b.get(sec, (sec, (), []))
    xs = {dict(k[1]).get('id', str(i)): k for i, k in enumerate(x[2])}
    ys = {dict(k[1]).get('id', str(i)): k for i, k in enumerate(y[2])}
    for i in sorted(set(xs) | set(ys)):
        if xs.get(i) != ys.get(i):
            bad += 1
            print('differs: %s %s\n  %s\n  %s' % (sec, i, xs.get(i), ys.get(i)))
sys.exit(1 if bad else 0)
PY

cp "$tmp/empty.xml" "$tmp/v.xml"
if vigil configure -x "$tmp/v.xml" load update "$tmp/in.crm" 2>"$tmp/err"; then
	echo "ok: vigil loads the crmsh input"
else
	fail "vigil configure load update"; sed 's/^/  | /' "$tmp/err"
fi
n=$(grep -c '^[a-z]' "$tmp/in.crm")
if python3 "$tmp/cmp.py" "$tmp/crmsh.xml" "$tmp/v.xml"; then
	echo "ok: $n statements give crmsh's XML"
else
	fail "XML differs from crmsh's"
fi

if command -v crm >/dev/null 2>&1 && command -v cibadmin >/dev/null 2>&1; then
	cp "$tmp/empty.xml" "$tmp/c.xml"
	CIB_file="$tmp/c.xml" crm configure load update "$tmp/in.crm" >/dev/null 2>&1
	if python3 "$tmp/cmp.py" "$tmp/c.xml" "$tmp/v.xml"; then
		echo "ok: crmsh (live) agrees"
	else
		fail "crmsh live output differs"
	fi
	vigil configure -x "$tmp/v.xml" show >"$tmp/show.crm"
	cp "$tmp/empty.xml" "$tmp/c2.xml"
	CIB_file="$tmp/c2.xml" crm configure load update "$tmp/show.crm" >/dev/null 2>&1
	if python3 "$tmp/cmp.py" "$tmp/c2.xml" "$tmp/v.xml"; then
		echo "ok: crmsh reads vigil's show output back to the same XML"
	else
		fail "crmsh reading vigil's show differs"
	fi
else
	echo "skip: crmsh not installed, compared with the recorded output only"
fi
[ "$fails" -eq 0 ]
