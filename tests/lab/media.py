# SPDX-License-Identifier: GPL-2.0-or-later
# Three nodes in network namespaces over multicast, then over broadcast: one
# view with all three within 2x keepalive once the daemons run; a node cut
# off (veth down) leaves and rejoins.
import time

from labtest import Lab, check, log, need_root

need_root()
KEEPALIVE = 500
for medium in ("mcast", "bcast"):
    lab = Lab(3, "--netns", "--media", medium, "--keepalive", str(KEEPALIVE), "--deadtime", "2000")
    vs = lab.wait_view(lab.nodes, lab.nodes, 10)
    elapsed = lab.convergence(lab.nodes)
    log("%s: one view with all three %.3f s after the last daemon started" % (medium, elapsed))
    check(elapsed <= 2 * KEEPALIVE / 1000.0, "%s: view within 2x keepalive of start" % medium)
    links = vs["node1"]["links"]
    check(all(up for (n, med), up in links.items() if med.startswith(medium)), "%s: links up" % medium)
    lab.lab("cut", "node2")
    lab.wait_view(["node1", "node3"], ["node1", "node3"], 5)
    lab.lab("heal")
    lab.wait_view(lab.nodes, lab.nodes, 5)
    check(True, "%s: node2 cut off (veth down) and back" % medium)
    lab.down()
