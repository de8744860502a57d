#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""vigil's own scheduler regression cases, one per feature.

Each case is written here compactly and expanded into cases/NAME.xml (the
CIB), cases/NAME.args (extra `simulate` arguments, optional).  The expected
outputs come from the real crm_simulate used as an oracle and were checked
by hand:

    tests/sched/cases.py write [NAME..]  # (re)write cases/*.xml and *.args
    tests/sched/cases.py oracle [NAME..] # cases/NAME.summary and NAME.graph.xml
                                         # from `crm_simulate -S -G`

Nothing here runs during `make check`; run-cases.sh compares vigil with the
committed expectations.
"""
import os
import shlex
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
CASES = os.path.join(HERE, "cases")

OCF = 'class="ocf" provider="heartbeat" type="Dummy"'
# History of resources that are not ocf:heartbeat:Dummy.
AGENTS = {"st": 'class="stonith" type="fence_dummy"'}
# Pacemaker's op-digest of no parameters, and of a recurring op's 20s timeout.
DIGEST_NO_PARAMS = "f2317cad3d54cec5d7d7aa7d0bf35cf8"
DIGEST_RECURRING = "4811cef7f7f94e3a35a70be7916cb2fd"


def prim(rid, ops=True, meta=None, extra="", interval="10s"):
    m = ""
    if meta:
        m = '<meta_attributes id="%s-meta">%s</meta_attributes>' % (rid, "".join(
            '<nvpair id="%s-meta-%s" name="%s" value="%s"/>' % (rid, k, k, v)
            for k, v in meta.items()))
    o = ""
    if ops:
        o = ('<operations><op id="%s-monitor" name="monitor" interval="%s" timeout="20s"/>'
             '</operations>' % (rid, interval))
    return '<primitive id="%s" %s>%s%s%s</primitive>' % (rid, OCF, m, o, extra)


def group(gid, *members, meta=None):
    m = ""
    if meta:
        m = '<meta_attributes id="%s-meta">%s</meta_attributes>' % (gid, "".join(
            '<nvpair id="%s-meta-%s" name="%s" value="%s"/>' % (gid, k, k, v)
            for k, v in meta.items()))
    return '<group id="%s">%s%s</group>' % (gid, m, "".join(members))


class Op:
    def __init__(self, rsc, task, node, rc=0, interval=0, call=1, status=0, when=1700000000,
                 target=None, digest=None, attrs=""):
        self.__dict__.update(locals())
        self.target = 0 if target is None else target


def op_xml(o):
    if o.rc != o.target:
        oid = "%s_last_failure_0" % o.rsc
    elif o.interval:
        oid = "%s_%s_%d" % (o.rsc, o.task, o.interval)
    else:
        oid = "%s_last_0" % o.rsc
    key = "%d:0:%d:3b7d5a2c-0000-4000-8000-000000000000" % (o.call, o.target)
    return ('<lrm_rsc_op id="%s" operation_key="%s_%s_%d" operation="%s" '
            'crm-debug-origin="do_update_resource" crm_feature_set="3.16.1" '
            'transition-key="%s" transition-magic="%d:%d;%s" exit-reason="" on_node="%s" '
            'call-id="%d" rc-code="%d" op-status="%d" interval="%d" last-rc-change="%d" '
            'exec-time="10" queue-time="0" op-digest="%s"%s/>' %
            (oid, o.rsc, o.task, o.interval, o.task, key, o.status, o.rc, key, o.node, o.call,
             o.rc, o.status, o.interval, o.when,
             o.digest or (DIGEST_RECURRING if o.interval else DIGEST_NO_PARAMS),
             o.attrs))


def running(rsc, node, call=2, monitor=10000):
    """History of a resource probed, started and monitored on node."""
    ops = [Op(rsc, "start", node, call=call)]
    if monitor:
        ops.append(Op(rsc, "monitor", node, interval=monitor, call=call + 1))
    return ops


def stopped_probe(rsc, node, call=1):
    return [Op(rsc, "monitor", node, rc=7, call=call, target=7)]


def cib(nodes=("node1", "node2"), down=(), unclean=(), props=None, resources="",
        constraints="", ops=(), attrs=None, quorum=True, rsc_defaults="", op_defaults="",
        node_attrs=None, extra_config="", transient=None, tickets="", locks=None):
    props = dict({"stonith-enabled": "false"}, **(props or {}))
    crm = "".join('<nvpair id="opt-%s" name="%s" value="%s"/>' % (k, k, v)
                  for k, v in props.items())
    node_xml = []
    for i, n in enumerate(nodes, 1):
        na = (node_attrs or {}).get(n)
        inner = ""
        if na:
            inner = '<instance_attributes id="nodes-%d">%s</instance_attributes>' % (i, "".join(
                '<nvpair id="nodes-%d-%s" name="%s" value="%s"/>' % (i, k, k, v)
                for k, v in na.items()))
        node_xml.append('<node id="%d" uname="%s">%s</node>' % (i, n, inner))
    states = []
    for i, n in enumerate(nodes, 1):
        if n in down:
            st = 'in_ccm="false" crmd="offline" join="down" expected="down"'
        elif n in unclean:
            st = 'in_ccm="false" crmd="offline" join="down" expected="member"'
        else:
            st = 'in_ccm="true" crmd="online" join="member" expected="member"'
        by_rsc = {}
        for o in ops:
            if o.node == n:
                by_rsc.setdefault(o.rsc, []).append(o)
        # locks: {(node, rsc): epoch} -> lrm_resource shutdown-lock="epoch"
        lrm = "".join('<lrm_resource id="%s" %s%s>%s</lrm_resource>' %
                      (r, AGENTS.get(r, OCF),
                       ' shutdown-lock="%d"' % (locks or {})[(n, r)] if (n, r) in (locks or {})
                       else "", "".join(op_xml(o) for o in os_)) for r, os_ in by_rsc.items())
        ta = ""
        t = (transient or {}).get(n)
        if t:
            ta = ('<transient_attributes id="%d"><instance_attributes id="status-%d">%s'
                  '</instance_attributes></transient_attributes>' % (i, i, "".join(
                      '<nvpair id="status-%d-%s" name="%s" value="%s"/>' % (i, k, k, v)
                      for k, v in t.items())))
        states.append('<node_state id="%d" uname="%s" %s>%s<lrm id="%d"><lrm_resources>%s'
                      '</lrm_resources></lrm></node_state>' % (i, n, st, ta, i, lrm))
    rd = ""
    if rsc_defaults:
        rd = "<rsc_defaults>%s</rsc_defaults>" % rsc_defaults
    od = ""
    if op_defaults:
        od = "<op_defaults>%s</op_defaults>" % op_defaults
    return ('<cib crm_feature_set="3.16.1" validate-with="pacemaker-3.7" epoch="10" '
            'num_updates="0" admin_epoch="0" have-quorum="%d" dc-uuid="1" '
            'execution-date="1700000100">\n'
            '  <configuration>\n'
            '    <crm_config><cluster_property_set id="cib-bootstrap-options">%s'
            '</cluster_property_set></crm_config>\n'
            '    <nodes>%s</nodes>\n'
            '    <resources>%s</resources>\n'
            '    <constraints>%s</constraints>\n'
            '    %s%s%s\n'
            '  </configuration>\n'
            '  <status>%s%s</status>\n'
            '</cib>\n' % (1 if quorum else 0, crm, "".join(node_xml), resources, constraints,
                          rd, od, extra_config, "".join(states), tickets))


def loc(cid, rsc, node, score):
    return '<rsc_location id="%s" rsc="%s" node="%s" score="%s"/>' % (cid, rsc, node, score)


def probes(rscs, nodes=("node1", "node2")):
    out = []
    for r in rscs:
        for n in nodes:
            out += stopped_probe(r, n)
    return out


N2 = ("node1", "node2")
N3 = ("node1", "node2", "node3")

CASES_DEF = {}


def case(name, args="", **kw):
    CASES_DEF[name] = (cib(**kw), args)


# --- primitives
case("primitive-start", resources=prim("rsc1"))
case("primitive-running", resources=prim("rsc1"),
     ops=running("rsc1", "node1") + stopped_probe("rsc1", "node2"))
case("primitive-node-offline", nodes=N3, down=("node3",), resources=prim("rsc1") + prim("rsc2"))
# --- groups
case("group-start", resources=group("grp", prim("a"), prim("b"), prim("c")))
case("group-member-failed", resources=group("grp", prim("a"), prim("b"), prim("c")),
     ops=running("a", "node1") + running("b", "node1") + running("c", "node1") +
     [Op("b", "monitor", "node1", rc=7, interval=10000, call=9)] + probes("abc", ("node2",)),
     transient={"node1": {"fail-count-b#monitor_10000": "1",
                          "last-failure-b#monitor_10000": "1700000050"}})
# --- location
case("location-prefer", resources=prim("rsc1"), constraints=loc("l1", "rsc1", "node2", 100))
case("location-ban-move", resources=prim("rsc1"),
     constraints=loc("l1", "rsc1", "node1", "-INFINITY"),
     ops=running("rsc1", "node1") + stopped_probe("rsc1", "node2"))
case("location-rule-attribute", nodes=N3, resources=prim("rsc1"),
     node_attrs={"node3": {"site": "east"}},
     constraints='<rsc_location id="l1" rsc="rsc1"><rule id="l1-r" score="500">'
                 '<expression id="l1-e" attribute="site" operation="eq" value="east"/>'
                 '</rule></rsc_location>')
case("location-rule-uname", nodes=N3, resources=prim("rsc1"),
     constraints='<rsc_location id="l1" rsc="rsc1"><rule id="l1-r" score="-INFINITY" '
                 'boolean-op="or"><expression id="l1-e" attribute="#uname" operation="eq" '
                 'value="node1"/><expression id="l1-e2" attribute="#uname" operation="eq" '
                 'value="node2"/></rule></rsc_location>')
case("location-date-rule", args="-t 2024-06-15T12:00:00Z", resources=prim("rsc1"),
     constraints='<rsc_location id="l1" rsc="rsc1"><rule id="l1-r" score="INFINITY">'
                 '<expression id="l1-e" attribute="#uname" operation="eq" value="node2"/>'
                 '<date_expression id="l1-d" operation="in_range" start="2024-06-01" '
                 'end="2024-07-01"/></rule></rsc_location>')
case("symmetric-false", nodes=N3, props={"symmetric-cluster": "false"},
     resources=prim("rsc1") + prim("rsc2"), constraints=loc("l1", "rsc1", "node3", 10))
# --- colocation
case("colocation-with", resources=prim("rsc1") + prim("rsc2"),
     constraints=loc("l1", "rsc1", "node2", 50) +
     '<rsc_colocation id="c1" rsc="rsc2" with-rsc="rsc1" score="INFINITY"/>')
case("colocation-anti", resources=prim("rsc1") + prim("rsc2"),
     constraints=loc("l1", "rsc1", "node1", 50) + loc("l2", "rsc2", "node1", 10) +
     '<rsc_colocation id="c1" rsc="rsc2" with-rsc="rsc1" score="-INFINITY"/>')
# mandatory colocations are applied both ways before optional ones: b's
# optional anti-colocation with a would leave it nowhere once c (which
# must follow b) rules out node1, so that preference is dropped and both
# move (crm_simulate 2.1.5 applied the optional one first and stopped c;
# newer Pacemaker, as the corpus' group-anticolocation-4, moves them; the
# summary keeps the newer decision, so it has no crm_simulate graph)
case("colocation-mandatory-first", resources=prim("a") + prim("b") + prim("c"),
     constraints=loc("l1", "c", "node1", "-INFINITY") +
     '<rsc_colocation id="c1" rsc="b" with-rsc="a" score="-5000"/>'
     '<rsc_colocation id="c2" rsc="c" with-rsc="b" score="INFINITY"/>',
     ops=running("a", "node2") + running("b", "node1") + running("c", "node1") +
     probes("a", ("node1",)) + probes("bc", ("node2",)))
# --- clones
# clone-max 0 configures no instance: what runs of it is orphaned and stopped
case("clone-max-zero", resources='<clone id="d-clone"><meta_attributes id="d-clone-meta">'
     '<nvpair id="d-clone-max" name="clone-max" value="0"/></meta_attributes>' +
     prim("d") + '</clone>',
     ops=running("d", "node1") + running("d", "node2"))
# a clone's instance attributes are its instances' parameters too: the
# recorded digest covers them, so nothing changed
DIGEST_FAKE1 = "2b1b5ccbabbdb96f3f7edb41b0775563"
case("clone-params-inherited",
     resources='<clone id="d-clone"><instance_attributes id="d-clone-ia">'
     '<nvpair id="d-clone-fake" name="fake" value="1"/></instance_attributes>' +
     prim("d", ops=False) + '</clone>',
     ops=[Op("d", "start", "node1", call=2, digest=DIGEST_FAKE1),
          Op("d", "start", "node2", call=2, digest=DIGEST_FAKE1)])
# a changed definition restarts a resource, but a start that requires
# nothing does not keep that reason
case("requires-nothing-definition-change",
     resources=prim("rsc1", ops=False, meta={"requires": "nothing", "resource-stickiness": "100"},
                    extra='<instance_attributes id="rsc1-ia">'
                    '<nvpair id="rsc1-fake" name="fake" value="2"/></instance_attributes>') +
     prim("rsc2", ops=False, meta={"resource-stickiness": "100"},
          extra='<instance_attributes id="rsc2-ia">'
          '<nvpair id="rsc2-fake" name="fake" value="2"/></instance_attributes>'),
     ops=[Op("rsc1", "start", "node1", call=2, digest=DIGEST_FAKE1),
          Op("rsc2", "start", "node1", call=2, digest=DIGEST_FAKE1)] +
     probes(["rsc1", "rsc2"], ("node2",)))
# a migratable resource ordered after one that stops and starts elsewhere
# moves instead of migrating (its migration would wait for that start,
# which waits for its own stop).  crm_simulate 2.1.5 words the reason
# "unrunnable a stop", newer Pacemaker (the corpus' migration cases)
# "unmigrateable a stop", as vigil: the summary keeps the newer wording
# (edited by hand after `oracle`)
case("migrate-after-unmigratable",
     resources=prim("a") + prim("b", meta={"allow-migrate": "true"}),
     constraints=loc("l1", "a", "node2", "INFINITY") + loc("l2", "b", "node1", "INFINITY") +
     '<rsc_order id="o1" first="a" then="b"/>',
     ops=running("a", "node1") + running("b", "node2") + probes("a", ("node2",)) +
     probes("b", ("node1",)))
# a promotable instance whose definition changed restarts in its role
# "due to resource definition change", as a primitive does
case("promotable-definition-change",
     resources='<clone id="s-clone"><meta_attributes id="s-clone-meta">'
     '<nvpair id="s-clone-promotable" name="promotable" value="true"/></meta_attributes>' +
     prim("s", ops=False, extra='<instance_attributes id="s-ia">'
          '<nvpair id="s-fake" name="fake" value="2"/></instance_attributes>') + '</clone>',
     ops=[Op("s", "start", "node1", call=2, digest=DIGEST_FAKE1),
          Op("s", "start", "node2", call=2, digest=DIGEST_FAKE1)])
# promoted only with a primitive that cannot start: the instance placed
# with it is chosen for promotion all the same (the mandatory colocation),
# and the promotion is blocked "due to colocation with" it
case("promote-with-blocked-primary",
     resources=prim("rsc3", meta={"target-role": "Stopped"}) + prim("rsc1") +
     '<clone id="s-clone"><meta_attributes id="s-clone-meta">'
     '<nvpair id="s-clone-promotable" name="promotable" value="true"/></meta_attributes>' +
     prim("s", ops=False) + '</clone>',
     constraints=loc("l1", "rsc1", "node2", 100) +
     '<rsc_order id="o1" first="rsc3" then="rsc1"/>'
     '<rsc_colocation id="c1" rsc="s-clone" rsc-role="Promoted" with-rsc="rsc1" '
     'score="INFINITY"/>',
     ops=probes(["rsc1", "rsc3", "s"], ("node1", "node2")))
# an instance to be started and promoted without quorum: the promotion is
# what the summary lists, blocked (the start's "no quorum" is not its)
case("promote-from-stopped-blocked", quorum=False,
     resources='<clone id="s-clone"><meta_attributes id="s-clone-meta">'
     '<nvpair id="s-clone-promotable" name="promotable" value="true"/></meta_attributes>' +
     prim("s", ops=False) + '</clone>',
     constraints='<rsc_location id="l1" rsc="s-clone"><rule id="l1-r" role="Promoted" '
     'score="100"><expression id="l1-e" attribute="#uname" operation="eq" value="node1"/>'
     '</rule></rsc_location>',
     ops=probes(["s"], ("node1", "node2")))
# no-quorum-policy=demote without quorum: the promoted instance is demoted,
# the unpromoted one keeps running, everything else stops "due to no quorum"
case("no-quorum-demote", quorum=False, props={"no-quorum-policy": "demote"},
     resources='<clone id="s-clone"><meta_attributes id="s-clone-meta">'
     '<nvpair id="s-clone-promotable" name="promotable" value="true"/></meta_attributes>' +
     prim("s", ops=False) + '</clone>' + prim("p", ops=False),
     constraints='<rsc_location id="l1" rsc="s-clone"><rule id="l1-r" role="Promoted" '
     'score="100"><expression id="l1-e" attribute="#uname" operation="eq" value="node1"/>'
     '</rule></rsc_location>',
     ops=[Op("s", "promote", "node1", call=3),
          Op("s", "monitor", "node1", rc=8, interval=10000, call=4, target=8),
          Op("s", "start", "node2", call=2), Op("p", "start", "node2", call=4)] +
     probes(["p"], ("node1",)))
# a primitive found active on several nodes, promoted on one: it goes down
# through demote everywhere, and the summary speaks of the first node it
# is active on ("Move ... ( Promoted node1 -> Started node3 )")
case("multi-active-promoted", nodes=("node1", "node2", "node3"),
     resources=prim("rsc1", ops=False),
     constraints=loc("l1", "rsc1", "node3", 100),
     ops=[Op("rsc1", "monitor", "node1", rc=8, call=3, target=7),
          Op("rsc1", "monitor", "node2", rc=0, call=4, target=7),
          Op("rsc1", "monitor", "node3", rc=0, call=5, target=7)])
# the fail count of an anonymous clone may be recorded under an instance
# number (fail-count-d:0#...): it is the clone's count on that node all the
# same, so migration-threshold bans the clone there
case("clone-failcount-instance-name",
     resources='<clone id="d-clone">' + prim("d") + '</clone>',
     rsc_defaults='<meta_attributes id="rd"><nvpair id="rd-mt" name="migration-threshold" '
     'value="1"/></meta_attributes>',
     ops=running("d", "node1") + running("d", "node2"),
     transient={"node1": {"fail-count-d:0#monitor_10000": "1",
                          "last-failure-d:0#monitor_10000": "1700000000"}})
# a migration restarts nothing ordered after the migrating resource: its
# start and stop only order what depends on it
case("migrate-then-untouched",
     resources=prim("a", meta={"allow-migrate": "true"}) + prim("b"),
     constraints=loc("l1", "a", "node2", 100) + loc("l2", "b", "node1", 100) +
     '<rsc_order id="o1" first="a" then="b"/>',
     ops=running("a", "node1") + running("b", "node1") + probes("a", ("node2",)) +
     probes("b", ("node2",)))
# a resource that would migrate but cannot start where it goes (what it
# is ordered after stops for good) only stops
case("migrate-unstartable-stops",
     resources=prim("a", meta={"target-role": "Stopped"}) +
     prim("b", meta={"allow-migrate": "true"}),
     constraints=loc("l1", "b", "node2", 100) + '<rsc_order id="o1" first="a" then="b"/>',
     ops=running("a", "node1") + running("b", "node1") + probes("ab", ("node2",)))
# a migration begun (migrate_to towards node2 done, nothing recorded on
# node2 yet) is completed there: migrate_from and the stop, no new migrate_to
case("migrate-partial-complete",
     resources=prim("vm", ops=False, meta={"allow-migrate": "true"}),
     constraints=loc("l1", "vm", "node2", 100),
     ops=[Op("vm", "start", "node1", call=2),
          Op("vm", "migrate_to", "node1", call=3,
             attrs=' migrate_source="node1" migrate_target="node2"')] +
     probes(["vm"], ("node2",)))
# with the default placement strategy resources are placed by priority,
# then in configuration order (not by how much they want their node): rsc1
# is placed first, stays where it runs (no node has more resources yet), and
# rsc2 follows it
case("assign-config-order",
     resources=prim("rsc1", ops=False) +
     prim("rsc2", ops=False, meta={"resource-stickiness": "100"}),
     ops=[Op("rsc1", "start", "node1", call=2), Op("rsc2", "start", "node1", call=3)] +
     probes(["rsc1", "rsc2"], ("node2",)))
# --- ordering
case("order-mandatory", resources=prim("rsc1") + prim("rsc2"),
     constraints=loc("l1", "rsc1", "node1", 10) + loc("l2", "rsc2", "node2", 10) +
     '<rsc_order id="o1" first="rsc1" then="rsc2" kind="Mandatory"/>')
case("order-restart-then", resources=prim("rsc1") + prim("rsc2"),
     constraints='<rsc_order id="o1" first="rsc1" then="rsc2"/>',
     ops=running("rsc1", "node1") + running("rsc2", "node2") +
     [Op("rsc1", "monitor", "node1", rc=7, interval=10000, call=9)] +
     stopped_probe("rsc1", "node2") + stopped_probe("rsc2", "node1"),
     transient={"node1": {"fail-count-rsc1#monitor_10000": "1",
                          "last-failure-rsc1#monitor_10000": "1700000050"}})
# an asymmetrical order holds back each member of a group (and instance of
# a clone) on its own: what already runs keeps running when first cannot
# start, what does not run does not start
case("order-asymmetrical-group", nodes=("node1",),
     resources=prim("c", meta={"target-role": "Stopped"}) +
     group("g", prim("a"), prim("b")) + prim("d") +
     '<clone id="e-clone">' + prim("e") + '</clone>',
     constraints='<rsc_order id="o1" first="c" then="g" kind="Mandatory" symmetrical="false"/>'
     '<rsc_order id="o2" first="c" then="e-clone" kind="Mandatory" symmetrical="false"/>'
     '<rsc_order id="o3" first="c" then="d" kind="Mandatory" symmetrical="false"/>',
     ops=running("a", "node1") + running("e", "node1") + probes("bcd", ("node1",)))
# placed on another node but unable to start there: the stop says why the
# start cannot happen (not "node availability", which is for nowhere)
case("stop-start-blocked-elsewhere",
     resources=prim("d1", meta={"target-role": "Stopped"}) + prim("d2"),
     constraints=loc("l1", "d2", "node1", "-INFINITY") +
     '<rsc_order id="o1" first="d1" then="d2" kind="Mandatory" symmetrical="false"/>',
     ops=running("d2", "node1") + probes(["d1"], ("node1", "node2")) +
     probes(["d2"], ("node2",)))
# a running resource ordered after one that is stopped for good: its start
# is required by that one's and cannot run, so it stops "due to required"
case("order-required-unrunnable-first", nodes=("node1",),
     resources=prim("b") + prim("c", meta={"target-role": "Stopped"}) + prim("a"),
     constraints='<rsc_order id="o1"><resource_set id="o1-s1"><resource_ref id="b"/>'
     '<resource_ref id="c"/></resource_set><resource_set id="o1-s2">'
     '<resource_ref id="a"/></resource_set></rsc_order>',
     ops=running("a", "node1") + running("b", "node1") + running("c", "node1"))
# failure-timeout does not apply where a failure hit an operation with
# on-fail=block (rsc1's failed stop keeps it blocked and its fail count);
# rsc2's old monitor failure expires and its fail count is cleared
case("failure-timeout-blocked",
     resources=prim("rsc1", meta={"failure-timeout": "60"},
                    extra='') .replace('</operations>',
                    '<op id="rsc1-stop" name="stop" interval="0" on-fail="block"/></operations>') +
     prim("rsc2", meta={"failure-timeout": "60"}),
     ops=running("rsc1", "node1") + [Op("rsc1", "stop", "node1", rc=1, call=9)] +
     running("rsc2", "node2") + probes(["rsc1"], ("node2",)) + probes(["rsc2"], ("node1",)),
     transient={"node1": {"fail-count-rsc1#stop_0": "INFINITY",
                          "last-failure-rsc1#stop_0": "1700000000"},
                "node2": {"fail-count-rsc2#monitor_10000": "1",
                          "last-failure-rsc2#monitor_10000": "1700000000"}})
# a member added in the middle of a group, before a member that runs: that
# one stops before the new one starts and starts again behind it.  (With an
# unmanaged member there, which cannot stop, the new member cannot start,
# "due to unrunnable <member> stop", as the corpus' partial-unmanaged-group
# shows; crm_simulate 2.1.5 produces an invalid transition for that, so it
# has no own case.)
case("group-member-added-middle", nodes=("node1",),
     resources=group("g2", prim("a2"), prim("x2"), prim("b2")),
     ops=running("a2", "node1") + running("b2", "node1") + probes(["x2"], ("node1",)))
# a recurring monitor that failed and then succeeded again (one call with
# two results, ordered by when each came): the failure is over, so the
# resource is no longer failed or blocked; its fail count still bans it
# from the node (migration-threshold=1), so it simply moves
case("monitor-failed-then-ok",
     resources=prim("rsc1", meta={"migration-threshold": "1"}).replace(
         'timeout="20s"/>', 'timeout="20s" on-fail="block"/>'),
     ops=[Op("rsc1", "start", "node1", call=2),
          Op("rsc1", "monitor", "node1", rc=1, interval=10000, call=3, when=1700000000),
          Op("rsc1", "monitor", "node1", rc=0, interval=10000, call=3, when=1700000050)] +
     probes(["rsc1"], ("node2",)),
     transient={"node1": {"fail-count-rsc1#monitor_10000": "1",
                          "last-failure-rsc1#monitor_10000": "1700000000"}})
# --- sets
case("set-sequential", nodes=("node1",), resources=prim("a") + prim("b") + prim("c"),
     constraints='<rsc_order id="o1"><resource_set id="o1-s" sequential="true">'
                 '<resource_ref id="a"/><resource_ref id="b"/><resource_ref id="c"/>'
                 '</resource_set></rsc_order>'
                 '<rsc_colocation id="c1" score="INFINITY"><resource_set id="c1-s">'
                 '<resource_ref id="a"/><resource_ref id="b"/><resource_ref id="c"/>'
                 '</resource_set></rsc_colocation>')
# --- failures
case("failed-monitor-recover", resources=prim("rsc1"),
     ops=running("rsc1", "node1") + [Op("rsc1", "monitor", "node1", rc=7, interval=10000,
                                        call=9)] + stopped_probe("rsc1", "node2"),
     transient={"node1": {"fail-count-rsc1#monitor_10000": "1",
                          "last-failure-rsc1#monitor_10000": "1700000050"}})
case("migration-threshold", resources=prim("rsc1", meta={"migration-threshold": "2"}),
     ops=running("rsc1", "node1") + [Op("rsc1", "monitor", "node1", rc=7, interval=10000,
                                        call=9)] + stopped_probe("rsc1", "node2"),
     transient={"node1": {"fail-count-rsc1#monitor_10000": "2",
                          "last-failure-rsc1#monitor_10000": "1700000050"}})
case("failure-timeout-expired",
     resources=prim("rsc1", meta={"migration-threshold": "1", "failure-timeout": "60s"}),
     constraints=loc("l1", "rsc1", "node1", 100),
     ops=[Op("rsc1", "start", "node2", call=2), Op("rsc1", "monitor", "node2", interval=10000,
                                                  call=3)] + stopped_probe("rsc1", "node1"),
     transient={"node1": {"fail-count-rsc1#monitor_10000": "1",
                          "last-failure-rsc1#monitor_10000": "1699990000"}})
case("start-failure-fatal", resources=prim("rsc1"), constraints=loc("l1", "rsc1", "node1", 10),
     ops=[Op("rsc1", "start", "node1", rc=1, call=2)] + stopped_probe("rsc1", "node2"),
     transient={"node1": {"fail-count-rsc1#start_0": "INFINITY",
                          "last-failure-rsc1#start_0": "1700000050"}})
case("on-fail-block",
     resources='<primitive id="rsc1" %s><operations><op id="rsc1-mon" name="monitor" '
               'interval="10s" on-fail="block"/></operations></primitive>' % OCF,
     ops=running("rsc1", "node1") + [Op("rsc1", "monitor", "node1", rc=1, interval=10000,
                                        call=9)] + stopped_probe("rsc1", "node2"))
# --- fencing
case("failed-stop-fences", props={"stonith-enabled": "true"},
     resources='<primitive id="st" class="stonith" type="fence_dummy"/>' + prim("rsc1"),
     constraints=loc("l1", "rsc1", "node1", "-INFINITY"),
     ops=[Op("st", "start", "node2", call=2)] + stopped_probe("st", "node1") +
     [Op("rsc1", "start", "node1", call=2), Op("rsc1", "stop", "node1", rc=1, call=4)] +
     stopped_probe("rsc1", "node2"))
case("unclean-node-fenced", nodes=N3, unclean=("node1",), props={"stonith-enabled": "true"},
     resources='<primitive id="st" class="stonith" type="fence_dummy"/>' + prim("rsc1"),
     ops=[Op("st", "start", "node2", call=2)] + running("rsc1", "node1") +
     stopped_probe("rsc1", "node2") + stopped_probe("rsc1", "node3") +
     stopped_probe("st", "node3"))
case("node-fail-injected", args="-f node1", nodes=N3, props={"stonith-enabled": "true"},
     resources='<primitive id="st" class="stonith" type="fence_dummy"/>' + prim("rsc1"),
     ops=[Op("st", "start", "node2", call=2)] + running("rsc1", "node1") +
     stopped_probe("rsc1", "node2") + stopped_probe("rsc1", "node3") +
     stopped_probe("st", "node1") + stopped_probe("st", "node3"))
# --- quorum
case("quorum-stop", nodes=N3, down=("node2", "node3"), quorum=False,
     resources=prim("rsc1") + prim("rsc2"),
     ops=running("rsc1", "node1") + stopped_probe("rsc2", "node1"))
case("quorum-freeze", nodes=N3, down=("node2", "node3"), quorum=False,
     props={"no-quorum-policy": "freeze"}, resources=prim("rsc1") + prim("rsc2"),
     ops=running("rsc1", "node1") + stopped_probe("rsc2", "node1"))
case("quorum-ignore", nodes=N3, down=("node2", "node3"), quorum=False,
     props={"no-quorum-policy": "ignore"}, resources=prim("rsc1") + prim("rsc2"),
     ops=running("rsc1", "node1") + stopped_probe("rsc2", "node1"))
# --- maintenance, unmanaged, standby
case("maintenance-mode", props={"maintenance-mode": "true"},
     resources=prim("rsc1") + prim("rsc2"), ops=running("rsc1", "node1"))
case("unmanaged-resource", resources=prim("rsc1", meta={"is-managed": "false"}) + prim("rsc2"),
     constraints=loc("l1", "rsc1", "node2", "INFINITY"),
     ops=running("rsc1", "node1") + stopped_probe("rsc1", "node2") +
     stopped_probe("rsc2", "node1") + stopped_probe("rsc2", "node2"))
case("standby-node", node_attrs={"node1": {"standby": "on"}}, resources=prim("rsc1"),
     ops=running("rsc1", "node1") + stopped_probe("rsc1", "node2"))
case("target-role-stopped", resources=prim("rsc1", meta={"target-role": "Stopped"}),
     ops=running("rsc1", "node1") + stopped_probe("rsc1", "node2"))
case("stop-all-resources", props={"stop-all-resources": "true"},
     resources=prim("rsc1") + prim("rsc2"),
     ops=running("rsc1", "node1") + running("rsc2", "node2"))
# --- templates and defaults
case("template-primitive",
     resources='<template id="tmpl" %s><operations><op id="tmpl-mon" name="monitor" '
               'interval="15s"/></operations></template><primitive id="rsc1" '
               'template="tmpl"/>' % OCF)
case("rsc-defaults-stickiness", resources=prim("rsc1"),
     rsc_defaults='<meta_attributes id="rd"><nvpair id="rd-s" name="resource-stickiness" '
                  'value="200"/></meta_attributes>',
     constraints=loc("l1", "rsc1", "node2", 100),
     ops=running("rsc1", "node1") + stopped_probe("rsc1", "node2"))
case("op-defaults-timeout", resources=prim("rsc1"),
     op_defaults='<meta_attributes id="od"><nvpair id="od-t" name="timeout" value="45s"/>'
                 '</meta_attributes>')
case("stickiness-vs-location", resources=prim("rsc1", meta={"resource-stickiness": "50"}),
     constraints=loc("l1", "rsc1", "node2", 100),
     ops=running("rsc1", "node1") + stopped_probe("rsc1", "node2"))
# --- orphans, multi-active, history
case("orphan-stopped", resources=prim("rsc1"),
     ops=running("rsc1", "node1") + running("gone", "node2"))
case("multiple-active", resources=prim("rsc1"),
     ops=running("rsc1", "node1") + running("rsc1", "node2", call=4))
# --- simulation injections
case("inject-op-failure", args="-i rsc1_monitor_10000@node1=7", resources=prim("rsc1"),
     ops=running("rsc1", "node1") + stopped_probe("rsc1", "node2"))
case("inject-node-down", args="-d node1", resources=prim("rsc1"),
     ops=running("rsc1", "node1") + stopped_probe("rsc1", "node2"))
case("op-fail-start", args="-F rsc1_start_0@node1=1", resources=prim("rsc1") + prim("rsc2"),
     constraints=loc("l1", "rsc1", "node1", 10) +
     '<rsc_order id="o1" first="rsc1" then="rsc2"/>')
case("ticket-revoked", args="-r T1",
     resources=prim("rsc1"), constraints='<rsc_ticket id="t1" rsc="rsc1" ticket="T1" '
                                          'loss-policy="stop"/>',
     tickets='<tickets><ticket_state id="T1" granted="true"/></tickets>',
     ops=running("rsc1", "node1") + stopped_probe("rsc1", "node2"))

# --- more constraints and options
case("tag-location", nodes=N3, resources=prim("rsc1") + prim("rsc2"),
     extra_config='<tags><tag id="web"><obj_ref id="rsc1"/><obj_ref id="rsc2"/></tag></tags>',
     constraints=loc("l1", "web", "node3", 200))
case("resource-discovery-never", nodes=N3, resources=prim("rsc1"),
     constraints='<rsc_location id="l1" rsc="rsc1" node="node3" score="-INFINITY" '
                 'resource-discovery="never"/>')
case("order-asymmetrical", resources=prim("rsc1") + prim("rsc2"),
     constraints='<rsc_order id="o1" first="rsc1" then="rsc2" symmetrical="false"/>',
     ops=running("rsc1", "node1") + running("rsc2", "node2") +
     stopped_probe("rsc1", "node2") + stopped_probe("rsc2", "node1"),
     args="-i rsc1_monitor_10000@node1=7")
case("set-require-all-false", nodes=N3, resources=prim("a") + prim("b") + prim("c"),
     constraints=loc("la", "a", "node1", "-INFINITY") + loc("la2", "a", "node2", "-INFINITY") +
     loc("la3", "a", "node3", "-INFINITY") +
     '<rsc_order id="o1"><resource_set id="o1-s1" sequential="false" require-all="false">'
     '<resource_ref id="a"/><resource_ref id="b"/></resource_set>'
     '<resource_set id="o1-s2"><resource_ref id="c"/></resource_set></rsc_order>')
case("colocation-node-attribute", nodes=("node1", "node2", "node3", "node4"),
     node_attrs={"node1": {"rack": "r1"}, "node2": {"rack": "r1"},
                 "node3": {"rack": "r2"}, "node4": {"rack": "r2"}},
     resources=prim("rsc1") + prim("rsc2"),
     constraints=loc("l1", "rsc1", "node3", 100) + loc("l2", "rsc2", "node3", "-INFINITY") +
     '<rsc_colocation id="c1" rsc="rsc2" with-rsc="rsc1" score="INFINITY" '
     'node-attribute="rack"/>')
case("ticket-group", args="-r T1",
     resources=group("grp", prim("a"), prim("b")),
     constraints='<rsc_ticket id="t1" rsc="grp" ticket="T1" loss-policy="stop"/>',
     tickets='<tickets><ticket_state id="T1" granted="true"/></tickets>',
     ops=running("a", "node1") + running("b", "node1") + probes("ab", ("node2",)))
case("on-fail-standby",
     resources='<primitive id="rsc1" %s><operations><op id="rsc1-mon" name="monitor" '
               'interval="10s" on-fail="standby"/></operations></primitive>' % OCF + prim("rsc2"),
     ops=running("rsc1", "node1") + running("rsc2", "node1", call=5) +
     [Op("rsc1", "monitor", "node1", rc=7, interval=10000, call=9)] +
     probes(["rsc1", "rsc2"], ("node2",)),
     transient={"node1": {"fail-count-rsc1#monitor_10000": "1",
                          "last-failure-rsc1#monitor_10000": "1700000050"}})
case("startup-probes-disabled", props={"enable-startup-probes": "false"},
     resources=prim("rsc1"))
case("stopped-role-monitor",
     resources='<primitive id="rsc1" %s><meta_attributes id="rsc1-m"><nvpair id="rsc1-m-t" '
               'name="target-role" value="Stopped"/></meta_attributes><operations>'
               '<op id="rsc1-mon" name="monitor" interval="10s"/><op id="rsc1-mon-s" '
               'name="monitor" interval="20s" role="Stopped"/></operations></primitive>' % OCF,
     ops=stopped_probe("rsc1", "node1") + stopped_probe("rsc1", "node2"))
case("multiple-active-stop-only", resources=prim("rsc1", meta={"multiple-active": "stop_only"}),
     ops=running("rsc1", "node1") + running("rsc1", "node2", call=4))
case("shutdown-node", resources=prim("rsc1"),
     transient={"node1": {"shutdown": "1700000090"}},
     ops=running("rsc1", "node1") + stopped_probe("rsc1", "node2"))
case("node-attribute-rule-defined", nodes=N3, resources=prim("rsc1"),
     node_attrs={"node2": {"gpu": "yes"}},
     constraints='<rsc_location id="l1" rsc="rsc1"><rule id="l1-r" score="-INFINITY">'
                 '<expression id="l1-e" attribute="gpu" operation="not_defined"/>'
                 '</rule></rsc_location>')

# --- shutdown-lock: a node leaving cleanly keeps what ran there
LOCK = {"shutdown-lock": "true"}
case("shutdown-lock-stop", nodes=N3, props=LOCK,
     resources=prim("rsc1") + prim("rsc2") + group("grp", prim("ga"), prim("gb")),
     transient={"node1": {"shutdown": "1700000090"}},
     ops=running("rsc1", "node1") + running("ga", "node1", call=4) +
     running("gb", "node1", call=6) + running("rsc2", "node2") +
     probes(["rsc1", "ga", "gb"], ("node2", "node3")) + probes(["rsc2"], ("node1", "node3")))
case("shutdown-lock-held", nodes=N3, down=("node1",), props=LOCK,
     resources=prim("rsc1") + prim("rsc2"),
     locks={("node1", "rsc1"): 1700000090},
     ops=[Op("rsc1", "stop", "node1", call=4)] + running("rsc2", "node2") +
     probes(["rsc1"], ("node2", "node3")) + probes(["rsc2"], ("node3",)))
case("shutdown-lock-rejoined", nodes=N3, props=LOCK,
     resources=prim("rsc1") + prim("rsc2"),
     locks={("node1", "rsc1"): 1700000090},
     ops=[Op("rsc1", "stop", "node1", call=4)] + running("rsc2", "node2") +
     probes(["rsc1"], ("node2", "node3")) + probes(["rsc2"], ("node1", "node3")))
case("shutdown-lock-limit-expired", nodes=N3, down=("node1",),
     props=dict(LOCK, **{"shutdown-lock-limit": "60s"}),
     resources=prim("rsc1") + prim("rsc2"),
     locks={("node1", "rsc1"): 1700000030},
     ops=[Op("rsc1", "stop", "node1", call=4)] + running("rsc2", "node2") +
     probes(["rsc1"], ("node2", "node3")) + probes(["rsc2"], ("node3",)))

# --- the benchmark's shape in small: weak colocation chains between groups
N4 = ("node1", "node2", "node3", "node4")
case("group-colocation-chain", nodes=N4, down=("node4",),
     resources="".join(group("grp%d" % g, prim("g%da" % g), prim("g%db" % g)) for g in range(10)),
     constraints="".join(loc("loc%d" % g, "grp%d" % g, N4[g % 4], 100) for g in range(10)) +
     "".join('<rsc_colocation id="col%d" rsc="grp%d" with-rsc="grp%d" score="10"/>'
             '<rsc_order id="ord%d" first="grp%d" then="grp%d" kind="Optional"/>'
             % (g, g, g - 1, g, g - 1, g) for g in range(1, 10)),
     ops=sum((running("g%d%s" % (g, m), N4[g % 4]) for g in range(10) if g % 4 != 3
              for m in "ab"), []) +
     sum((stopped_probe("g%d%s" % (g, m), n) for g in range(10) for m in "ab"
          for n in N4[:3] if n != N4[g % 4]), []))


def selected(names):
    """The cases named (all when none), so that one case can be (re)made."""
    return sorted((n, v) for n, v in CASES_DEF.items() if not names or n in names)


def write(names=()):
    os.makedirs(CASES, exist_ok=True)
    for name, (xml, args) in selected(names):
        with open(os.path.join(CASES, name + ".xml"), "w") as f:
            f.write(xml)
        p = os.path.join(CASES, name + ".args")
        if args:
            with open(p, "w") as f:
                f.write(args + "\n")
        elif os.path.exists(p):
            os.unlink(p)


def oracle(names=()):
    for name, (xml, args) in selected(names):
        base = os.path.join(CASES, name)
        cmd = ["crm_simulate", "-x", base + ".xml", "-S", "-G", base + ".graph.xml"]
        cmd += shlex.split(args)
        p = subprocess.run(cmd, capture_output=True, text=True)
        with open(base + ".summary", "w") as f:
            f.write(p.stdout)
        if p.returncode != 0:
            print("%s: crm_simulate exit %d: %s" % (name, p.returncode, p.stderr.strip()))


if __name__ == "__main__":
    what = sys.argv[1] if len(sys.argv) > 1 else ""
    if what == "write":
        write(sys.argv[2:])
    elif what == "oracle":
        oracle(sys.argv[2:])
    else:
        sys.exit(__doc__)
