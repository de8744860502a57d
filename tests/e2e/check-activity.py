#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Prove from the Marker agents' activity log that no resource was ever
active on two nodes at once.

usage: check-activity.py ACTIVITY_LOG [NODE=DEATH_TIME | RSC@NODE=DEATH_TIME ...]

A resource is active on a node from its "start" line until its "stop" line,
or until the node died (NODE=TIME: when it was killed or fenced; a death
ends every activity begun before it), or until the test destroyed that one
resource there (RSC@NODE=TIME).  Exit 1 naming the first overlap.
"""
import sys


def main():
    log, deaths = sys.argv[1], {}
    for a in sys.argv[2:]:
        who, t = a.split("=", 1)
        deaths.setdefault(who, []).append(float(t))
    events = []
    with open(log) as f:
        for line in f:
            p = line.split()
            if len(p) == 4:
                events.append((float(p[0]), p[1], p[2], p[3]))
    events.sort()
    active = {}  # rsc -> {node: since}
    for t, node, rsc, what in events:
        on = active.setdefault(rsc, {})
        # a node that died since it started the resource no longer has it
        for n in list(on):
            if any(on[n] <= d <= t for d in deaths.get(n, []) + deaths.get(rsc + "@" + n, [])):
                del on[n]
        if what == "start":
            others = [n for n in on if n != node]
            if others:
                print("%s active on %s (since %.3f) and started on %s at %.3f"
                      % (rsc, others[0], on[others[0]], node, t))
                return 1
            on[node] = t
        elif what == "stop":
            on.pop(node, None)
    print("no resource was active on two nodes (%d events)" % len(events))
    return 0


sys.exit(main())
