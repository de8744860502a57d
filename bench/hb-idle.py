#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# Idle CPU of vigil-hbd per node (3 nodes, no clients), over SECONDS (10),
# at keepalive 100 ms / deadtime 500 ms and at keepalive 1 s / deadtime 10 s.
#   bench: idle-cpu-ka100ms PCT % / idle-cpu-ka1s PCT %
import os
import sys
import time

sys.path.insert(0, os.path.join(os.environ.get("VIGIL_SRCDIR", os.path.join(os.path.dirname(__file__), "..")),
                                "tests", "lab"))
from labtest import Lab  # noqa: E402

SECS = float(os.environ.get("SECONDS_IDLE", "10"))
HZ = os.sysconf("SC_CLK_TCK")


def cpu(pid):
    f = open("/proc/%d/stat" % pid).read().rsplit(")", 1)[1].split()
    return int(f[11]) + int(f[12])


for name, ka, dt in (("ka100ms", 100, 500), ("ka1s", 1000, 10000)):
    lab = Lab(3, "--keepalive", str(ka), "--deadtime", str(dt))
    lab.wait_view(lab.nodes, lab.nodes, 10)
    time.sleep(1)
    pids = [int(open(os.path.join(lab.dir, n, "pid")).read()) for n in lab.nodes]
    before = [cpu(p) for p in pids]
    time.sleep(SECS)
    used = [(cpu(p) - b) / HZ for p, b in zip(pids, before)]
    print("bench: idle-cpu-%s %.2f %%" % (name, 100.0 * sum(used) / len(used) / SECS))
    lab.down()
