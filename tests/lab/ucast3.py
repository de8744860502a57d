# SPDX-License-Identifier: GPL-2.0-or-later
# Three nodes over UDP unicast on loopback: one view soon after start; kill -9
# of one leaves the other two in the same new view with quorum; the killed
# node restarts with a new incarnation and rejoins; a 2|1 partition (root:
# tc on lo) leaves the majority quorate and the minority not.
import os
import time

from labtest import Lab, check, log

KEEPALIVE = 500
lab = Lab(3, "--keepalive", str(KEEPALIVE), "--deadtime", "2000")
all3 = lab.nodes
lab.wait_view(all3, all3, 10)
elapsed = lab.convergence(all3)
log("one view with all three %.3f s after the last daemon started" % elapsed)
check(elapsed <= 2 * KEEPALIVE / 1000.0, "view within 2x keepalive of start")
check(all("(left:" not in open(os.path.join(lab.dir, n, "daemon.out")).read() for n in all3),
      "no node was dropped from a view while the cluster formed")
v = lab.membership("node1")
check(v["quorate"] and v["votes"] == 3 and v["expected"] == 3, "quorate with 3 of 3 votes")
check(all(v["links"][(n, "ucast lo")] for n in all3), "every ucast link up")



def not_quorate_count(node):
    with open(os.path.join(lab.dir, node, "daemon.out")) as f:
        return f.read().count("quorum: not quorate")


# the middle node: survivors must not split over who still hears it
before = {n: not_quorate_count(n) for n in ("node1", "node3")}
lab.lab("kill", "node2")
t1 = time.monotonic()
vs = lab.wait_view(["node1", "node3"], ["node1", "node3"], 5)
log("survivors agreed %.2f s after kill -9" % (time.monotonic() - t1))
check(all(x["quorate"] for x in vs.values()), "survivors keep quorum (2 of 3)")
check(vs["node1"]["view"] > v["view"], "view id grew")
check(all(not_quorate_count(n) == before[n] for n in before), "survivors never lost quorum on the way")

lab.lab("start", "node2")
lab.wait_view(all3, all3, 5)
with open(os.path.join(lab.dir, "node1", "daemon.out")) as f:
    check("node node2: restarted (incarnation" in f.read(), "node2 rejoined with a new incarnation")

if os.geteuid() == 0:
    lab.lab("cut", "node3")
    vs = lab.wait_view(["node1", "node2"], ["node1", "node2"], 5)
    check(all(x["quorate"] for x in vs.values()), "majority partition quorate")
    v3 = lab.wait(lambda: (lambda m: m if m and m["members"] == ["node3"] else None)(lab.membership("node3")),
                  5, "node3 alone")
    check(not v3["quorate"], "minority partition not quorate")
    lab.lab("heal")
    lab.wait_view(all3, all3, 5)
    check(True, "healed partition merges")
else:
    log("not root: partition part skipped")

# every member sees the same views in the same order: the views node1 and
# node3 logged while both were members are the same list
import re  # noqa: E402


def views_with(node, a, b):
    text = open(os.path.join(lab.dir, node, "daemon.out")).read()
    seq = [(int(m.group(1)), m.group(2).split("(")[0].split())
           for m in re.finditer(r"view (\d+):([a-z0-9 ():]*) \[mono", text)]
    return [(i, ms) for i, ms in seq if a in ms and b in ms]


s1, s3 = views_with("node1", "node1", "node3"), views_with("node3", "node1", "node3")
first = max(s1[0][0], s3[0][0])
s1 = [v for v in s1 if v[0] >= first]
s3 = [v for v in s3 if v[0] >= first]
log("node1: %s" % [v[0] for v in s1])
log("node3: %s" % [v[0] for v in s3])
check(s1 == s3, "node1 and node3 saw the same sequence of shared views")
