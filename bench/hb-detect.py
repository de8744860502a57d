#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# Failure-detection latency of vigil-hbd: 3 nodes, keepalive 100 ms, deadtime
# 500 ms; kill -9 node3 (KILLS times, default 20) and time until both
# survivors' clients see a view without it.  Times come from CLOCK_MONOTONIC
# on both sides (the kill here, the view in hb-client).
#   bench: detect-p50 MS ms / detect-p99 MS ms / detect-max MS ms
import os
import signal
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.environ.get("VIGIL_SRCDIR", os.path.join(os.path.dirname(__file__), "..")),
                                "tests", "lab"))
from labtest import CLIENT, Lab, log  # noqa: E402

KILLS = int(os.environ.get("KILLS", "20"))
lab = Lab(3, "--keepalive", "100", "--deadtime", "500")
lab.wait_view(lab.nodes, lab.nodes, 10)
views = {"node1": [], "node2": []}


def reader(node, proc):
    for line in proc.stdout:
        if line.startswith("view "):
            t = float(line.split(" at ")[1].split(":")[0])
            nodes = line.split("| nodes:")[1].split()
            views[node].append((t, nodes))


procs = {}
for n in ("node1", "node2"):
    procs[n] = lab.popen(n, [CLIENT, "-c", lab.hacf(n), "--group", "bench", "--members", "99", "--count", "0",
                             "--timeout", "900"])
    threading.Thread(target=reader, args=(n, procs[n]), daemon=True).start()
time.sleep(1.0)
samples = []
for k in range(KILLS):
    pid = int(open(os.path.join(lab.dir, "node3", "pid")).read())
    mark = {n: len(views[n]) for n in views}
    t0 = time.monotonic()
    os.killpg(pid, signal.SIGKILL)
    end = t0 + 5
    got = {}
    while time.monotonic() < end and len(got) < 2:
        for n in views:
            for t, nodes in views[n][mark[n]:]:
                if "node3" not in nodes and n not in got:
                    got[n] = t
        time.sleep(0.005)
    if len(got) < 2:
        log("kill %d: not detected within 5 s" % k)
        continue
    samples.append((max(got.values()) - t0) * 1000)
    log("kill %d: %.0f ms" % (k + 1, samples[-1]))
    lab.lab("kill", "node3")  # reap the process group's leftovers
    lab.lab("start", "node3")
    lab.wait_view(lab.nodes, lab.nodes, 10)
    time.sleep(0.3)
for p in procs.values():
    p.kill()
samples.sort()
if not samples:
    print("bench: detect-p50 nan ms")
    sys.exit(1)
p = lambda q: samples[min(len(samples) - 1, int(round(q * (len(samples) - 1))))]  # noqa: E731
print("bench: detect-p50 %.0f ms" % p(0.5))
print("bench: detect-p99 %.0f ms" % p(0.99))
print("bench: detect-max %.0f ms" % samples[-1])
print("bench: detect-kills %d count" % len(samples))
