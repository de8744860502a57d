#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Compare `vigil simulate -S` output with crm_simulate's for one case.

    compare-output.py EXPECTED GOT

Exit 0 when
  - everything outside the two scheduler sections matches exactly (banners,
    "Current cluster status:", modifications, "Revised Cluster Status:"),
    the clock value crm_simulate writes into last-failure attributes aside
    (it uses the wall clock, vigil the scheduler's "now"), and
  - the Transition Summary and the executed actions match the way the
    corpus runner's level 2 compares them (whitespace-insensitive, any
    order, pseudo actions ignored): their order and padding follow the
    graph's synapse order, which is not part of the contract.
With --strict the whole text must match.  On a mismatch, prints a diff.
"""
import difflib
import re
import sys


def norm(text):
    text = re.sub(r"(last-failure-\S+=)\d+", r"\1TIME", text)
    # action ids are the scheduler's numbering of the graph
    return re.sub(r"Pretending action \d+ failed", "Pretending action N failed", text)


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


def outside(text):
    """The text with the two scheduler sections' bodies removed."""
    out, skip = [], False
    for line in text.splitlines(True):
        if line.startswith("Transition Summary:") or \
                line.startswith("Executing Cluster Transition:"):
            skip = True
            out.append(line)
            continue
        if skip and (line.startswith("  ") or line.strip() == ""):
            # crm_simulate prints its own notes inside the executing section
            if line.startswith("  * Injecting attribute"):
                out.append(line)
            continue
        skip = False
        out.append(line)
    return "".join(out)


def main():
    strict = "--strict" in sys.argv
    files = [a for a in sys.argv[1:] if a != "--strict"]
    exp = norm(open(files[0]).read())
    got = norm(open(files[1]).read())
    if exp == got:
        return 0
    if not strict and outside(exp) == outside(got) and level2(exp) == level2(got):
        return 0
    sys.stdout.writelines(difflib.unified_diff(exp.splitlines(True), got.splitlines(True),
                                               "crm_simulate", "vigil simulate"))
    print("level 2 (summary and actions): %s" %
          ("same" if level2(exp) == level2(got) else "DIFFERENT"))
    return 1


if __name__ == "__main__":
    sys.exit(main())
