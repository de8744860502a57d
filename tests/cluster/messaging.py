# SPDX-License-Identifier: GPL-2.0-or-later
# Group messaging among three nodes through lib/cluster: every member's
# messages arrive at every member exactly once and in order -- 300 messages
# of 1 KiB, then 3 of 1 MiB, then point-to-point messages to node2.
from labtest import CLIENT, Lab, check, log

lab = Lab(3, "--keepalive", "200", "--deadtime", "1000")
lab.wait_view(lab.nodes, lab.nodes, 10)


def run_clients(group, extra, timeout=60):
    procs = [lab.popen(n, [CLIENT, "-c", lab.hacf(n), "--group", group, "--members", "3",
                           "--timeout", str(timeout), "--quiet"] + extra) for n in lab.nodes]
    for n, p in zip(lab.nodes, procs):
        out = p.communicate(timeout=timeout + 10)[0]
        log("%s: %s" % (n, out.strip().splitlines()[-1] if out.strip() else "(no output)"))
        check(p.returncode == 0, "%s %s: all delivered once, in order" % (group, n))


run_clients("small", ["--count", "300", "--size", "1024"])
run_clients("large", ["--count", "3", "--size", str(1 << 20)])
# to node2 only: node2 expects 50 from each; the others expect nothing
procs = []
for n in lab.nodes:
    procs.append(lab.popen(n, [CLIENT, "-c", lab.hacf(n), "--group", "p2p", "--members", "3", "--count", "50",
                               "--dest", "2", "--expect", "50", "--timeout", "30", "--quiet",
                               "--linger", "2"]))
for n, p in zip(lab.nodes, procs):
    out = p.communicate(timeout=40)[0]
    log("%s: %s" % (n, out.strip().splitlines()[-1] if out.strip() else ""))
    check(p.returncode == 0, "p2p %s" % n)

# the membership daemon dies: lib/cluster reports the disconnect within seconds
import os  # noqa: E402
import signal  # noqa: E402
import time  # noqa: E402

p = lab.popen("node1", [CLIENT, "-c", lab.hacf("node1"), "--group", "gone", "--members", "9", "--timeout", "30"])
time.sleep(1.0)
t0 = time.monotonic()
os.kill(int(open(os.path.join(lab.dir, "node1", "pid")).read()), signal.SIGKILL)
out = p.communicate(timeout=15)[0]
check("vigil-hbd went away" in out and time.monotonic() - t0 < 5,
      "client told of vigil-hbd's death after %.1f s" % (time.monotonic() - t0))
