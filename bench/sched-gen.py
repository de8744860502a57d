#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Generate a large CIB for scheduler benchmarks.

    sched-gen.py NODES RESOURCES [DEAD] > cib.xml

RESOURCES primitives (ocf:heartbeat:Dummy with a 10s monitor) in groups of
10; group i prefers node i % NODES (score 100) and is colocated with group
i-1 (score 10) and ordered after it (Optional); every node has a probe
result for every primitive, and each group runs (start + monitor history)
on its preferred node.  The last DEAD nodes are down, so the groups they
ran must start elsewhere.  Deterministic: the same arguments give the same
bytes.
"""
import sys

DIGEST = "f2317cad3d54cec5d7d7aa7d0bf35cf8"
DIGEST_MON = "4811cef7f7f94e3a35a70be7916cb2fd"
KEY = "0:0:%d:9d7a4c1e-0000-4000-8000-%012d"


def op(w, rsc, task, interval, rc, target, call, oid):
    key = KEY % (target, call)
    w('<lrm_rsc_op id="%s" operation_key="%s_%s_%d" operation="%s" '
      'crm_feature_set="3.16.1" '
      'transition-key="%s" transition-magic="0:%d;%s" '
      'call-id="%d" rc-code="%d" op-status="0" interval="%d" last-rc-change="1700000000" '
      'exec-time="12" op-digest="%s"/>'
      % (oid, rsc, task, interval, task, key, rc, key, call, rc, interval,
         DIGEST_MON if interval else DIGEST))


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    n_nodes, n_rsc = int(sys.argv[1]), int(sys.argv[2])
    dead = int(sys.argv[3]) if len(sys.argv) > 3 else 0
    nodes = ["node%d" % (i + 1) for i in range(n_nodes)]
    n_groups = (n_rsc + 9) // 10
    rscs = [["g%d-r%d" % (g, k) for k in range(min(10, n_rsc - g * 10))]
            for g in range(n_groups)]
    home = {g: nodes[g % n_nodes] for g in range(n_groups)}
    out = []
    w = out.append
    w('<cib crm_feature_set="3.16.1" validate-with="pacemaker-3.7" epoch="100" '
      'num_updates="0" admin_epoch="0" have-quorum="1" dc-uuid="1" '
      'execution-date="1700000100">\n<configuration>\n<crm_config>'
      '<cluster_property_set id="cib-bootstrap-options">'
      '<nvpair id="o-stonith" name="stonith-enabled" value="false"/>'
      '<nvpair id="o-quorum" name="no-quorum-policy" value="ignore"/>'
      '</cluster_property_set></crm_config>\n<nodes>')
    for i, n in enumerate(nodes):
        w('<node id="%d" uname="%s"/>' % (i + 1, n))
    w('</nodes>\n<resources>\n')
    for g, members in enumerate(rscs):
        w('<group id="grp%d">' % g)
        for r in members:
            w('<primitive id="%s" class="ocf" provider="heartbeat" type="Dummy">'
              '<operations><op id="%s-mon" name="monitor" interval="10s" timeout="20s"/>'
              '</operations></primitive>' % (r, r))
        w('</group>\n')
    w('</resources>\n<constraints>\n')
    for g in range(n_groups):
        w('<rsc_location id="loc%d" rsc="grp%d" node="%s" score="100"/>' % (g, g, home[g]))
        if g > 0:
            w('<rsc_colocation id="col%d" rsc="grp%d" with-rsc="grp%d" score="10"/>'
              % (g, g, g - 1))
            w('<rsc_order id="ord%d" first="grp%d" then="grp%d" kind="Optional"/>'
              % (g, g - 1, g))
        w('\n')
    w('</constraints>\n</configuration>\n<status>\n')
    for i, n in enumerate(nodes):
        down = i >= n_nodes - dead
        if down:
            st = 'in_ccm="false" crmd="offline" join="down" expected="down"'
        else:
            st = 'in_ccm="true" crmd="online" join="member" expected="member"'
        w('<node_state id="%d" uname="%s" %s crm-debug-origin="do_update_resource">'
          '<lrm id="%d"><lrm_resources>\n' % (i + 1, n, st, i + 1))
        call = 1
        for g, members in enumerate(rscs):
            runs_here = home[g] == n
            for r in members:
                w('<lrm_resource id="%s" class="ocf" provider="heartbeat" type="Dummy">' % r)
                if runs_here:
                    op(w, r, "start", 0, 0, 0, call + 1, r + "_last_0")
                    op(w, r, "monitor", 10000, 0, 0, call + 2, r + "_monitor_10000")
                    call += 3
                else:
                    op(w, r, "monitor", 0, 7, 7, call, r + "_last_0")
                    call += 1
                w('</lrm_resource>\n')
        w('</lrm_resources></lrm></node_state>\n')
    w('</status>\n</cib>\n')
    sys.stdout.write("".join(out))


if __name__ == "__main__":
    main()
