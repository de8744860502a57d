# SPDX-License-Identifier: GPL-2.0-or-later
"""Helpers for lab-based tests: a Lab that is brought up in a temporary
directory and always taken down (atexit and on signals), and readers for
`vigil membership --xml` as each node sees it."""
import atexit
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET

BUILD = os.environ.get("VIGIL_BUILDDIR") or os.path.realpath(
    os.path.join(os.path.dirname(__file__), "..", "..", "build"))
LAB = os.path.join(BUILD, "tools", "vigil-lab")
CLIENT = os.path.join(BUILD, "tests", "cluster", "hb-client")


def log(msg):
    print("%7.2f %s" % (time.monotonic() % 10000, msg), flush=True)


def skip(msg):
    print("SKIP: %s" % msg)
    sys.exit(77)


def need_root():
    if os.geteuid() != 0:
        skip("needs root (network namespaces, tc)")


CURRENT = []


def fail(msg):
    print("FAIL: %s" % msg, flush=True)
    for lab in CURRENT:
        print(lab.lab("status", check=False).stdout)
        for n in lab.nodes:
            path = os.path.join(lab.dir, n, "ha.log")
            if os.path.exists(path):
                print("---- %s (last lines)" % n)
                with open(path) as f:
                    print("".join(f.readlines()[-25:]))
    sys.exit(1)


def check(cond, msg):
    if not cond:
        fail(msg)
    log("ok: %s" % msg)


class Lab:
    def __init__(self, nodes=3, *args):
        self.dir = tempfile.mkdtemp(prefix="vglab-")
        self.nodes = ["node%d" % i for i in range(1, nodes + 1)]
        self.up_done = False
        CURRENT.append(self)
        atexit.register(self.down)
        for s in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            signal.signal(s, lambda *_: sys.exit(1))
        r = self.lab("up", "--nodes", str(nodes), "--stack", "hbd", *args, check=False)
        if r.returncode == 77:
            skip(r.stderr.strip())
        if r.returncode != 0:
            fail("vigil-lab up: %s" % r.stderr.strip())
        self.up_done = True
        self.started = time.monotonic()
        log(r.stdout.strip())

    def lab(self, *args, check=True):
        r = subprocess.run([LAB, "--dir", self.dir] + list(args), stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True)
        if check and r.returncode != 0:
            fail("vigil-lab %s: %s" % (" ".join(args), r.stderr.strip()))
        return r

    def exec(self, node, cmd, **kw):
        return subprocess.run([LAB, "--dir", self.dir, "exec", node, "--"] + cmd, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, **kw)

    def popen(self, node, cmd):
        return subprocess.Popen([LAB, "--dir", self.dir, "exec", node, "--"] + cmd,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)

    def hacf(self, node):
        return os.path.join(self.dir, node, "ha.cf")

    def membership(self, node):
        r = self.exec(node, ["vigil", "membership", "--xml"])
        if r.returncode != 0:
            return None
        root = ET.fromstring(r.stdout)
        m = {"view": int(root.get("view-id")), "quorate": root.get("quorate") == "true",
             "votes": int(root.get("votes")), "expected": int(root.get("expected-votes")),
             "members": sorted(n.get("name") for n in root.findall("node") if n.get("member") == "true"),
             "links": {}, "drops": {}}
        for n in root.findall("node"):
            for link in n.findall("link"):
                m["links"][(n.get("name"), link.get("medium"))] = link.get("up") == "true"
        for d in root.findall("drops"):
            m["drops"][d.get("reason")] = int(d.get("count"))
        return m

    def views(self, nodes):
        return {n: self.membership(n) for n in nodes}

    def wait(self, pred, timeout, what):
        end = time.monotonic() + timeout
        last = None
        while time.monotonic() < end:
            last = pred()
            if last:
                return last
            time.sleep(0.05)
        fail("timed out after %.1f s waiting for %s" % (timeout, what))

    def agreed(self, nodes, members):
        """All `nodes` show the same view id with exactly `members`."""
        vs = self.views(nodes)
        if any(v is None for v in vs.values()):
            return None
        ids = {v["view"] for v in vs.values()}
        if len(ids) == 1 and all(v["members"] == sorted(members) for v in vs.values()):
            return vs
        return None

    def convergence(self, nodes):
        """Seconds from the last daemon's start to the last node's first view
        with all of `nodes`, from the [mono T] stamps vigil-hbd logs."""
        starts, full = [], []
        want = " ".join(sorted(nodes))
        for n in nodes:
            text = open(os.path.join(self.dir, n, "daemon.out")).read()
            st = [float(m) for m in re.findall(r": started \[mono ([0-9.]+)\]", text)]
            vw = [float(m.group(2)) for m in re.finditer(r"view \d+:([a-z0-9 ]*) \[mono ([0-9.]+)\]", text)
                  if m.group(1).strip() == want]
            if not st or not vw:
                return None
            starts.append(st[-1])
            full.append(vw[0])
        return max(full) - max(starts)

    def wait_ready(self, nodes, timeout=10):
        """Wait until every node's vigil-hbd answers; returns that moment."""
        self.wait(lambda: all(self.membership(n) is not None for n in nodes), timeout,
                  "%s to answer" % ",".join(nodes))
        return time.monotonic()

    def wait_view(self, nodes, members, timeout, what=None):
        return self.wait(lambda: self.agreed(nodes, members), timeout,
                         what or "%s to agree on view %s" % (",".join(nodes), ",".join(members)))

    def down(self):
        if self in CURRENT:
            CURRENT.remove(self)
        if getattr(self, "dir", None) and os.path.exists(self.dir):
            subprocess.run([LAB, "--dir", self.dir, "down"], stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
            subprocess.run(["rm", "-rf", self.dir])
