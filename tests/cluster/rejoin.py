# SPDX-License-Identifier: GPL-2.0-or-later
# A node that restarts (after fencing, say) must never make the members it
# joins lose one another.  node1, the lowest id and so the leader of any view
# it is in, comes back while node3 does not hear it yet (node3 drops node1's
# packets for a moment, as when node1's first heartbeats to node3 are late):
# node1 hears both, node2 hears node1, node3 does not.  The largest clique
# with node1 is then {node1, node2}; installing it would take node2 away from
# node3, and a controller would fence the healthy node3.  node1 must wait
# until its edges are mutual and install {node1, node2, node3} in one step:
# node2 and node3 never see a view without each other.
import os
import re
import time

from labtest import Lab, check

lab = Lab(3, "--keepalive", "100", "--deadtime", "1000")
lab.wait_view(lab.nodes, lab.nodes, 10)


def views_since(node, offset):
    with open(os.path.join(lab.dir, node, "daemon.out")) as f:
        f.seek(offset)
        return [m.group(0) for m in re.finditer(r"view \d+:[^\[]*", f.read())]


def size(node):
    return os.path.getsize(os.path.join(lab.dir, node, "daemon.out"))


for rnd in range(1, 4):
    lab.lab("kill", "node1")
    lab.wait_view(["node2", "node3"], ["node2", "node3"], 6)
    r = lab.exec("node3", ["vigil", "membership", "--inject-block", "1:udp"])
    check(r.returncode == 0, "round %d: node3 ignores node1 (%s)" % (rnd, r.stderr.strip()))
    marks = {n: size(n) for n in ("node2", "node3")}
    lab.lab("start", "node1")
    lab.wait(lambda: lab.membership("node1") is not None, 10, "node1 to answer")
    time.sleep(0.4)  # the one-way phase: well inside deadtime (1 s)
    r = lab.exec("node3", ["vigil", "membership", "--inject-block", ""])
    check(r.returncode == 0, "round %d: node3 hears node1 again" % rnd)
    lab.wait_view(lab.nodes, lab.nodes, 6)
    for n, other in (("node2", "node3"), ("node3", "node2")):
        seen = views_since(n, marks[n])
        split = [v for v in seen if "left: %s" % other in v]
        check(not split, "round %d: %s kept %s through node1's return (views: %s)"
              % (rnd, n, other, "; ".join(v.strip() for v in seen)))
lab.down()
