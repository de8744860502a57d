#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Scheduler benchmark: `vigil simulate -R` next to `crm_simulate -R`.

Generates CIBs with sched-gen.py (N nodes, R primitives in groups of 10,
location preferences, colocations, orderings, full probe history, one dead
node), times both tools on the same files, records their peak RSS, checks
that the Transition Summaries agree, and shows how vigil's time grows from
8x200 to 64x8000.  Prints `bench: NAME VALUE UNIT` lines.

Environment: VIGIL_BUILDDIR (for tools/vigil), SCHED_BENCH_SIZES
(e.g. "8x200 32x2000"), SCHED_BENCH_CRM ("all" to run crm_simulate on every
size; by default only up to 32x2000, it needs minutes and gigabytes beyond).
"""
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
BUILD = os.environ.get("VIGIL_BUILDDIR", os.path.join(HERE, ".."))
VIGIL = os.path.join(BUILD, "tools", "vigil")
SIZES = os.environ.get("SCHED_BENCH_SIZES", "8x200 16x1000 32x2000 64x8000").split()
CRM_ALL = os.environ.get("SCHED_BENCH_CRM") == "all"


def measure(cmd, out_path):
    """Run cmd with stdout to out_path: (seconds, peak RSS in MB, exit status)."""
    with open(out_path, "w") as out:
        t0 = time.monotonic()
        p = subprocess.Popen(cmd, stdout=out, stderr=subprocess.DEVNULL)
        _, status, ru = os.wait4(p.pid, 0)
        secs = time.monotonic() - t0
    return secs, ru.ru_maxrss / 1024.0, os.waitstatus_to_exitcode(status)


def summary(path):
    lines, on = [], False
    with open(path) as f:
        for line in f:
            if line.startswith("Transition Summary:"):
                on = True
                continue
            if on:
                if line.strip() and not line.startswith(" "):
                    break
                if line.strip():
                    lines.append(" ".join(line.split()))
    return sorted(lines)


def bench(label, cmd, out):
    secs, mb, rc = measure(cmd, out)
    if rc != 0:
        print("# %s exited with %d" % (label, rc))
        print("bench: %s nan s" % label)
        return None
    print("bench: %s %.2f s" % (label, secs))
    print("bench: %s-rss %.0f MB" % (label, mb))
    sys.stdout.flush()
    return secs


def main():
    have_crm = subprocess.run(["sh", "-c", "command -v crm_simulate"],
                              capture_output=True).returncode == 0
    growth = []
    with tempfile.TemporaryDirectory(prefix="sched-bench.") as tmp:
        for size in SIZES:
            nodes, rscs = (int(x) for x in size.split("x"))
            cib = os.path.join(tmp, "cib-%s.xml" % size)
            with open(cib, "w") as f:
                subprocess.run([sys.executable, os.path.join(HERE, "sched-gen.py"),
                                str(nodes), str(rscs), "1"], stdout=f, check=True)
            mb = os.path.getsize(cib) / 1e6
            print("bench: sched-%s-cib-size %.1f MB" % (size, mb))
            vout = os.path.join(tmp, "vigil-%s.out" % size)
            vsecs = bench("sched-%s-vigil" % size, [VIGIL, "simulate", "-x", cib, "-R"], vout)
            if vsecs is not None:
                growth.append((size, mb, vsecs))
            if have_crm and (CRM_ALL or nodes * rscs <= 32 * 2000):
                cout = os.path.join(tmp, "crm-%s.out" % size)
                csecs = bench("sched-%s-crm_simulate" % size,
                              ["crm_simulate", "-x", cib, "-R"], cout)
                if csecs is not None and vsecs is not None:
                    a, b = summary(vout), summary(cout)
                    diff = len(set(a) ^ set(b)) + abs(len(a) - len(b))
                    print("bench: sched-%s-summary-lines %d lines" % (size, len(b)))
                    print("bench: sched-%s-summary-differences %d lines" % (size, diff))
                    for line in sorted(set(b) - set(a))[:3]:
                        print("# crm_simulate only: %s" % line)
                    for line in sorted(set(a) - set(b))[:3]:
                        print("# vigil only:        %s" % line)
            os.unlink(cib)
    if len(growth) >= 2:
        base_size, base_mb, base_s = growth[0]
        for size, mb, secs in growth[1:]:
            # 1.0 = time grew exactly like the CIB's size.
            print("bench: sched-growth-%s-vs-%s %.2f ratio-of-ratios" %
                  (size, base_size, (secs / base_s) / (mb / base_mb)))
        for size, mb, secs in growth:
            print("bench: sched-%s-vigil-per-MB %.1f ms" % (size, 1000 * secs / mb))
    return 0


if __name__ == "__main__":
    sys.exit(main())
