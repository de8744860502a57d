#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# Group messaging among 3 vigil-hbd nodes through lib/cluster (hb-client):
# every node sends N messages to the group and receives everyone's.
#   bench: msg-1k-throughput MSGS msg/s, msg-1k-latency-p50/p99 MS ms
#   bench: msg-1m-throughput MB MB/s,   msg-1m-latency-p50/p99 MS ms
# Throughput is what one node receives (from all three senders) per second.
import os
import re
import sys

sys.path.insert(0, os.path.join(os.environ.get("VIGIL_SRCDIR", os.path.join(os.path.dirname(__file__), "..")),
                                "tests", "lab"))
from labtest import CLIENT, Lab  # noqa: E402

lab = Lab(3, "--keepalive", "200", "--deadtime", "1000")
lab.wait_view(lab.nodes, lab.nodes, 10)


def run(group, count, size):
    procs = [lab.popen(n, [CLIENT, "-c", lab.hacf(n), "--group", group, "--members", "3", "--count", str(count),
                           "--size", str(size), "--timeout", "120", "--quiet"]) for n in lab.nodes]
    res = []
    for p in procs:
        out = p.communicate(timeout=150)[0]
        m = re.search(r"result: ok .*latency-p50-ms=(\S+) latency-p99-ms=(\S+) mbytes-per-s=(\S+) msgs-per-s=(\S+)",
                      out)
        if not m:
            print(out)
            sys.exit(1)
        res.append([float(x) for x in m.groups()])
    return [sum(r[i] for r in res) / len(res) for i in range(4)]


p50, p99, mbs, mps = run("k1", 3000, 1024)
print("bench: msg-1k-throughput %.0f msg/s" % mps)
print("bench: msg-1k-latency-p50 %.2f ms" % p50)
print("bench: msg-1k-latency-p99 %.2f ms" % p99)
p50, p99, mbs, mps = run("m1", 10, 1 << 20)
print("bench: msg-1m-throughput %.1f MB/s" % mbs)
print("bench: msg-1m-latency-p50 %.1f ms" % p50)
print("bench: msg-1m-latency-p99 %.1f ms" % p99)
