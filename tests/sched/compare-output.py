#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Compare `vigil simulate -S` output with crm_simulate's for one case.

    compare-output.py EXPECTED GOT

Exit 0 when the whole text matches; the only normalisation is the clock
value crm_simulate writes into last-failure attributes (it uses the wall
clock, vigil the scheduler's "now").  On a mismatch, prints a unified diff
and whether the level-2 sections (Transition Summary, executed actions
without pseudo actions, as the corpus runner compares) still agree.
"""
import difflib
import re
import sys


def norm(text):
    return re.sub(r"(last-failure-\S+=)\d+", r"\1TIME", text)


def section(text, header):
    out, on = [], False
    for line in text.splitlines():
        if line.startswith(header):
            on = True
            continue
        if on:
            if line and not line.startswith(" "):
                break
            s = " ".join(line.split())
            if s:
                out.append(s)
    return out


def level2(text):
    acts = [a for a in section(text, "Executing Cluster Transition:")
            if not a.startswith("* Pseudo action:") and not a.startswith("* Injecting")]
    return sorted(section(text, "Transition Summary:")), sorted(acts)


def main():
    exp = norm(open(sys.argv[1]).read())
    got = norm(open(sys.argv[2]).read())
    if exp == got:
        return 0
    sys.stdout.writelines(difflib.unified_diff(exp.splitlines(True), got.splitlines(True),
                                               "crm_simulate", "vigil simulate"))
    print("level 2 (summary and actions): %s" %
          ("same" if level2(exp) == level2(got) else "DIFFERENT"))
    return 1


if __name__ == "__main__":
    sys.exit(main())
