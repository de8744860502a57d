# SPDX-License-Identifier: GPL-2.0-or-later
"""The cluster-layer contract (include/vigil/cluster.h), one suite for every
backend: contract_heartbeat.py and contract_corosync.py run it on a 3-node
--netns lab with vigil-hbd or with corosync underneath lib/cluster.

Checked, in order: membership views (every member the same view id and
members, ids only grow, node names and ids), quorum, FIFO group delivery,
unicast to one member, large messages, a member's membership daemon killed
with SIGKILL (the survivors get the same view change, its clients get
`disconnected`; the detection latency is printed), a 2|1 partition (same
views on each side, quorum only on the majority side) and its healing, a second process joining on a member node, the
membership daemon restarting under a client that reconnects; two_node.
Used as a library: run(layer) -> detection latency in ms.
"""
import json
import os
import signal
import threading
import time

from labtest import CLIENT, Lab, check, fail, log, need_root

WATCH = os.path.join(os.path.dirname(CLIENT), "cluster-watch")
NODES = ["node1", "node2", "node3"]


def parse(line):
    """'view t=1 id=2 members=a,b ...' -> ('view', {'t': '1', ...})"""
    words = line.split()
    kv = {}
    for w in words[1:]:
        k, _, v = w.partition("=")
        kv[k] = v
    return words[0] if words else "", kv


class Watcher:
    """A cluster-watch process on one node; its lines are collected by a thread."""

    def __init__(self, lab, node, group="contract", extra=()):
        self.node = node
        self.lines = []
        self.raw = []
        self.p = lab.popen(node, [WATCH, "-c", lab.hacf(node), "--group", group, "--timeout", "300"]
                           + list(extra))
        self.t = threading.Thread(target=self._read, daemon=True)
        self.t.start()

    def _read(self):
        for line in self.p.stdout:
            self.raw.append(line)
            self.lines.append(parse(line.strip()))

    def events(self, kind):
        return [kv for k, kv in list(self.lines) if k == kind]

    def view(self):
        v = self.events("view")
        return v[-1] if v else None

    def quorum(self):
        q = self.events("quorum")
        return q[-1] if q else None

    def stop(self):
        if self.p.poll() is None:
            self.p.send_signal(signal.SIGTERM)
            try:
                self.p.wait(5)
            except Exception:
                self.p.kill()


def members(v):
    return sorted(x for x in v["members"].split(",") if x) if v else None


def agreed(watchers, want):
    """The watchers' latest views: same id, members == want; else None."""
    vs = [w.view() for w in watchers]
    if any(v is None or members(v) != sorted(want) for v in vs):
        return None
    if len({v["id"] for v in vs}) != 1:
        return None
    return vs


def wait_agreed(lab, watchers, want, timeout, what):
    return lab.wait(lambda: agreed(watchers, want), timeout, what)


def change(watchers, marks, want):
    """Each watcher's views since its mark up to the first with members ==
    want; None until every watcher has one."""
    found = []
    for w, mark in zip(watchers, marks):
        vs = w.events("view")[mark:]
        end = [i for i, v in enumerate(vs) if members(v) == sorted(want)]
        if not end:
            return None
        found.append(vs[:end[0] + 1])
    return found


def same_history(hists):
    return len({tuple((v["id"], v["members"]) for v in h) for h in hists}) == 1


def increasing(w):
    ids = [int(v["id"]) for v in w.events("view")]
    return all(a < b for a, b in zip(ids, ids[1:]))


def run_clients(lab, group, extra, timeout=60):
    procs = [lab.popen(n, [CLIENT, "-c", lab.hacf(n), "--group", group, "--members", "3",
                           "--timeout", str(timeout), "--quiet"] + extra) for n in NODES]
    for n, p in zip(NODES, procs):
        out = p.communicate(timeout=timeout + 10)[0]
        log("%s: %s" % (n, out.strip().splitlines()[-1] if out.strip() else "(no output)"))
        check(p.returncode == 0, "%s on %s: every message once, in order" % (group, n))


# Contract items a backend is known to miss: reported as GAP, not failed, so
# the suite stays usable while the backend's owner fixes them.
KNOWN_GAPS = {
    # vigil-hbd can show a transient view on one side of a partition (node3
    # alone for a moment when only node1 was cut off) before both agree
    ("heartbeat", "order"),
}
GAPS = []


def check_item(layer, item, cond, msg):
    if not cond and (layer, item) in KNOWN_GAPS:
        GAPS.append(msg)
        log("GAP (%s backend, known): %s" % (layer, msg))
        return False
    check(cond, msg)
    return True


def daemon_pid(lab, node):
    with open(os.path.join(lab.dir, "lab.json")) as f:
        return json.load(f)["pids"][node]


def run(layer):
    need_root()
    args = ["--netns", "--keepalive", "200", "--deadtime", "1000"]
    if layer == "corosync":
        args += ["--layer", "corosync"]
    lab = Lab(3, *args)
    ws = {n: Watcher(lab, n) for n in NODES}

    # membership views
    vs = wait_agreed(lab, ws.values(), NODES, 15, "three members in one view")
    check(all(sorted(v["nodes"].split(",")) == NODES for v in vs), "views: every node in the cluster membership")
    for i, n in enumerate(NODES, 1):
        ready = ws[n].events("ready")[0]
        check(ready["name"] == n and int(ready["id"]) == i, "views: %s knows itself as %s (id %d)" % (n, n, i))
    check(all(increasing(w) for w in ws.values()), "views: ids only grow")

    # quorum
    lab.wait(lambda: all(w.quorum() and w.quorum()["quorate"] == "yes" for w in ws.values()), 5, "quorum")
    q = ws["node1"].quorum()
    check(q["votes"] == "3" and q["expected"] == "3", "quorum: 3 of 3 votes, quorate")

    # messaging
    run_clients(lab, "fifo", ["--count", "300", "--size", "1024"])
    procs = [lab.popen(n, [CLIENT, "-c", lab.hacf(n), "--group", "p2p", "--members", "3", "--count", "50",
                           "--dest", "2", "--expect", "50", "--timeout", "30", "--quiet"]) for n in NODES]
    for n, p in zip(NODES, procs):
        out = p.communicate(timeout=40)[0]
        log("%s: %s" % (n, out.strip().splitlines()[-1] if out.strip() else ""))
        check(p.returncode == 0, "unicast to node2: %s" % n)
    run_clients(lab, "large", ["--count", "2", "--size", str(8 << 20)], timeout=90)

    # kill -9 of node3's membership daemon
    wait_agreed(lab, ws.values(), NODES, 10, "three members before the kill")
    before = int(ws["node1"].view()["id"])
    pid = daemon_pid(lab, "node3")
    survivors = [ws["node1"], ws["node2"]]
    marks = [len(w.events("view")) for w in survivors]
    t0 = time.time() * 1000
    os.kill(pid, signal.SIGKILL)
    hs = lab.wait(lambda: change(survivors, marks, ["node1", "node2"]), 20, "survivors without node3")
    vs = [h[-1] for h in hs]
    check(vs[0]["id"] == vs[1]["id"] and int(vs[0]["id"]) > before,
          "kill: node1 and node2 get the same new view without node3")
    check_item(layer, "order", same_history(hs) and all("node3" in v["left"].split(",") for v in vs),
               "kill: node1 and node2 saw the same views on the way, node3 left")
    latency = max(int(v["t"]) for v in vs) - t0
    log("kill: view change %.0f ms after SIGKILL (%s)" % (latency, layer))
    end = time.monotonic() + 10
    while time.monotonic() < end and ws["node3"].p.poll() is None:
        time.sleep(0.05)
    check_item(layer, "disconnect", ws["node3"].p.poll() == 3 and len(ws["node3"].events("disconnected")) == 1,
               "kill: node3's client got `disconnected` once and stopped")
    ws["node3"].stop()
    lab.wait(lambda: ws["node1"].quorum()["votes"] == "2" or None, 5, "2 votes")
    check(ws["node1"].quorum()["quorate"] == "yes", "kill: 2 of 3 votes stay quorate")

    # node3 back, then a 2|1 partition
    lab.lab("start", "node3")
    ws["node3"] = Watcher(lab, "node3")
    wait_agreed(lab, ws.values(), NODES, 20, "node3 back in the view")
    majority = [ws["node2"], ws["node3"]]
    marks = [len(w.events("view")) for w in majority]
    lab.lab("cut", "node1")
    hs = lab.wait(lambda: change(majority, marks, ["node2", "node3"]), 20, "majority side")
    check(hs[0][-1]["id"] == hs[1][-1]["id"], "partition: node2 and node3 get the same view without node1")
    check_item(layer, "order", same_history(hs), "partition: node2 and node3 saw the same views on the way")
    wait_agreed(lab, [ws["node1"]], ["node1"], 20, "node1 alone")
    lab.wait(lambda: ws["node1"].quorum()["quorate"] == "no" or None, 5, "node1 without quorum")
    check(ws["node2"].quorum()["quorate"] == "yes" and ws["node3"].quorum()["quorate"] == "yes",
          "partition: the majority keeps quorum, the minority loses it")
    lab.lab("heal")
    wait_agreed(lab, ws.values(), NODES, 30, "one view after healing")
    check(all(increasing(w) for w in ws.values()), "heal: one view again, ids still grow")
    lab.wait(lambda: all(w.quorum()["quorate"] == "yes" for w in ws.values()) or None, 10, "quorum after heal")
    second_join(lab, layer, ws)
    restart(lab, layer, ws)
    for w in ws.values():
        w.stop()
    lab.down()
    two_node(layer, args)
    return latency


def second_join(lab, layer, ws):
    """A second process joining on a node that is already a member gets a
    first view, the one the others have."""
    w2 = Watcher(lab, "node2")
    end = time.monotonic() + 5
    while time.monotonic() < end and not agreed([ws["node1"], w2], NODES):
        time.sleep(0.05)
    check(agreed([ws["node1"], w2], NODES) is not None,
          "join: a second process on node2 gets the current view")
    w2.stop()


def restart(lab, layer, ws):
    """node2's membership daemon dies and comes back under a client that
    reconnects (as vigil-fenced does): told once, then back in the view."""
    for w in ws.values():
        w.stop()
    rs = {n: Watcher(lab, n, group="restart") for n in ("node1", "node3")}
    rw = Watcher(lab, "node2", group="restart", extra=["--reconnect"])
    wait_agreed(lab, [rs["node1"], rs["node3"], rw], NODES, 15, "the reconnecting client in the view")
    os.kill(daemon_pid(lab, "node2"), signal.SIGKILL)
    end = time.monotonic() + 5
    while time.monotonic() < end and not rw.events("disconnected"):
        time.sleep(0.05)
    told = len(rw.events("disconnected")) == 1
    if check_item(layer, "disconnect", told, "restart: the client on node2 is told the layer went away"):
        lab.lab("start", "node2")
        lab.wait(lambda: rw.events("reconnected") or None, 20, "the client on node2 to reconnect")
        wait_agreed(lab, [rs["node1"], rs["node3"], rw], NODES, 20, "node2 back after the restart")
        check(True, "restart: the client reconnected and is in the view again")
        if layer == "corosync":
            text = "".join(rw.raw)
            check(text.count("corosync went away") == 1 and "corosync is not reachable" not in text,
                  "restart: corosync's loss is logged once, not once per reconnect attempt")
    for w in list(rs.values()) + [rw]:
        w.stop()


def two_node(layer, args):
    """two_node: the survivor of two keeps quorum (votequorum's rule)."""
    lab = Lab(2, "--two-node", *args)
    ws = {n: Watcher(lab, n) for n in NODES[:2]}
    wait_agreed(lab, ws.values(), NODES[:2], 15, "two members")
    os.kill(daemon_pid(lab, "node2"), signal.SIGKILL)
    wait_agreed(lab, [ws["node1"]], ["node1"], 20, "node1 alone")
    lab.wait(lambda: ws["node1"].quorum()["votes"] == "1" or None, 5, "1 vote")
    q = ws["node1"].quorum()
    check(q["quorate"] == "yes" and q["expected"] == "2", "two_node: the survivor keeps quorum (1 of 2)")
    for w in ws.values():
        w.stop()
    lab.down()


if __name__ == "__main__":
    fail("run contract_heartbeat.py or contract_corosync.py")
