# SPDX-License-Identifier: GPL-2.0-or-later
# Asymmetric connectivity: node1-node2 and node2-node3 up, node1-node3 cut.
# Every node must end in a view where all members can talk to each other,
# and all agree: the deterministic choice is {node1,node2} and {node3}.
# Then with a 4th node: cut node2-node4 in a full mesh of four.
from labtest import Lab, check

lab = Lab(3, "--keepalive", "200", "--deadtime", "1000")
lab.wait_view(lab.nodes, lab.nodes, 10)
lab.lab("cut", "node1", "node3")
vs = lab.wait_view(["node1", "node2"], ["node1", "node2"], 6)
v3 = lab.wait(lambda: (lambda m: m if m and m["members"] == ["node3"] else None)(lab.membership("node3")),
              6, "node3 in a view of its own")
check(True, "A-C cut converged: {node1,node2} and {node3}")
check(vs["node1"]["view"] == vs["node2"]["view"], "node1 and node2 agree on the view id")
lab.lab("heal")
lab.wait_view(lab.nodes, lab.nodes, 6)
check(True, "healed: one view of three")
lab.down()

lab = Lab(4, "--keepalive", "200", "--deadtime", "1000")
lab.wait_view(lab.nodes, lab.nodes, 10)
lab.lab("cut", "node2", "node4")
# cliques of size 3: {1,2,3} and {1,3,4}; the lower id list wins
lab.wait_view(["node1", "node2", "node3"], ["node1", "node2", "node3"], 6)
lab.wait(lambda: (lambda m: m if m and m["members"] == ["node4"] else None)(lab.membership("node4")),
         6, "node4 alone")
check(True, "4 nodes, one cut pair: {node1,node2,node3} and {node4} on every node")
