# SPDX-License-Identifier: GPL-2.0-or-later
# Quorum rules: a 2|1 partition (majority quorate, minority not); two_node
# (the survivor of two keeps quorum); wait_for_all (no quorum at first start
# until every node was seen; kept afterwards while a majority remains);
# votes per node.
from labtest import Lab, check, log


def alone(lab, node):
    return lab.wait(lambda: (lambda m: m if m and m["members"] == [node] else None)(lab.membership(node)),
                    6, "%s alone" % node)


# 2|1 partition
lab = Lab(3, "--keepalive", "200", "--deadtime", "1000")
lab.wait_view(lab.nodes, lab.nodes, 10)
lab.lab("cut", "node1")
vs = lab.wait_view(["node2", "node3"], ["node2", "node3"], 5)
check(all(v["quorate"] and v["votes"] == 2 and v["expected"] == 3 for v in vs.values()),
      "partition 2|1: the two are quorate with 2 of 3 votes")
check(not alone(lab, "node1")["quorate"], "partition 2|1: the one is not quorate")
lab.down()

# two_node
lab = Lab(2, "--two-node", "--keepalive", "200", "--deadtime", "1000")
vs = lab.wait_view(lab.nodes, lab.nodes, 10)
check(vs["node1"]["quorate"], "two_node: both up, quorate")
lab.lab("kill", "node2")
check(alone(lab, "node1")["quorate"], "two_node: the survivor keeps quorum (1 of 2)")
lab.down()

# wait_for_all on three nodes
lab = Lab(3, "--wait-for-all", "--no-start", "--keepalive", "200", "--deadtime", "1000")
lab.lab("start", "node1", "node2")
vs = lab.wait_view(["node1", "node2"], ["node1", "node2"], 10)
check(not any(v["quorate"] for v in vs.values()), "wait_for_all: 2 of 3 at first start is not quorate")
lab.lab("start", "node3")
vs = lab.wait_view(lab.nodes, lab.nodes, 10)
check(all(v["quorate"] for v in vs.values()), "wait_for_all: quorate once all were seen")
lab.lab("kill", "node3")
vs = lab.wait_view(["node1", "node2"], ["node1", "node2"], 5)
check(all(v["quorate"] for v in vs.values()), "wait_for_all: 2 of 3 keep quorum after all were seen")
lab.down()

# votes: node3 carries 2 votes, so it alone outvotes node1+node2? 2 of 4 is not a majority
lab = Lab(3, "--directive", "votes node3 2", "--keepalive", "200", "--deadtime", "1000")
lab.wait_view(lab.nodes, lab.nodes, 10)
lab.lab("cut", "node3")
vs = lab.wait_view(["node1", "node2"], ["node1", "node2"], 5)
check(all(v["expected"] == 4 and v["votes"] == 2 and not v["quorate"] for v in vs.values()),
      "votes: 2 of 4 is no majority")
log("done")
