# SPDX-License-Identifier: GPL-2.0-or-later
"""vigil-lab's corosync layer (`vigil-lab up --layer corosync --netns`).

Each lab node runs its own corosync 3 (Debian's package) instead of
vigil-hbd: in the node's network namespace (libqb's abstract sockets are per
network namespace, so the node's clients reach their own corosync) and in a
private mount namespace whose /run is the node's DIR/nodeN/corosync-run
(corosync's lock file is /var/run/corosync.pid).  corosync.conf,
its log and its state_dir live in DIR/nodeN/.  ha.cf gets
`cluster_layer corosync`; quorum options follow the lab's ha.cf ones.
This module only writes files and starts processes; vigil-lab records and
removes them (every process carries VIGIL_LAB / VIGIL_LAB_NODE).
"""
import os
import shutil
import subprocess
import sys
import time

LAYERS = ("heartbeat", "corosync")


def check(lab, o):
    """Validate `up` options for the corosync layer; exit code 77 = cannot run here."""
    if not o["netns"]:
        sys.stderr.write("vigil-lab: --layer corosync needs --netns (one corosync per network namespace)\n")
        sys.exit(2)
    if not shutil.which("corosync", path="/usr/sbin:/sbin:" + os.environ.get("PATH", "")):
        sys.stderr.write("vigil-lab: --layer corosync: corosync is not installed (apt install corosync)\n")
        sys.exit(77)
    bad = [m for m in o["media"] or ["ucast"] if m != "ucast"]
    if bad:
        sys.stderr.write("vigil-lab: --layer corosync: media %s are vigil-hbd's; corosync uses knet\n"
                         % ",".join(bad))
        sys.exit(2)
    o["directives"].append("cluster_layer corosync")


def conf(lab, i, o):
    n = lab.s["nodes"]
    nd = os.path.join(lab.dir, "node%d" % i)
    token = max(300, o["deadtime"])
    lines = ["# vigil-lab node node%d: corosync's own configuration" % i,
             "totem {",
             "\tversion: 2",
             "\tcluster_name: lab-%s" % lab.s["id"],
             "\ttransport: knet",
             "\ttoken: %d" % token,
             "\ttoken_coefficient: 0",
             "\tjoin: 50",
             "\tcrypto_cipher: none",
             "\tcrypto_hash: none",
             "\tinterface {",
             "\t\tlinknumber: 0",
             "\t\tknet_ping_interval: %d" % max(50, token // 8),
             "\t\tknet_ping_timeout: %d" % max(200, token // 2),
             "\t}",
             "}",
             "nodelist {"]
    for j in range(1, n + 1):
        lines += ["\tnode {", "\t\tnodeid: %d" % j, "\t\tname: node%d" % j,
                  "\t\tring0_addr: %s" % lab.addr(j), "\t}"]
    lines += ["}", "quorum {", "\tprovider: corosync_votequorum"]
    if o["two_node"]:
        lines.append("\ttwo_node: 1")
    if o["wait_for_all"]:
        lines.append("\twait_for_all: 1")
    lines += ["}",
              "system {", "\tstate_dir: %s/corosync-state" % nd, "}",
              "logging {", "\tto_stderr: no", "\tto_syslog: no", "\tto_logfile: yes",
              "\tlogfile: %s/corosync.log" % nd, "\ttimestamp: on", "}"]
    return "\n".join(lines) + "\n"


def prepare(lab, o):
    """Write DIR/nodeN/corosync.conf and its private directories."""
    lab.s["layer"] = "corosync"
    for i in range(1, lab.s["nodes"] + 1):
        nd = os.path.join(lab.dir, "node%d" % i)
        for sub in ("corosync-run", "corosync-state"):
            os.makedirs(os.path.join(nd, sub), exist_ok=True)
        with open(os.path.join(nd, "corosync.conf"), "w") as f:
            f.write(conf(lab, i, o))


def answering(lab, node):
    r = subprocess.run(lab.wrap(node, ["corosync-cmapctl", "-g", "totem.cluster_name"]),
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return r.returncode == 0


def running(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


def start(lab, node):
    """Start the node's corosync unless it runs; returns its pid (the same
    process as the ip-netns-exec/unshare/sh chain: each step execs the next)."""
    nd = os.path.join(lab.dir, node)
    pid = lab.s.get("corosync", {}).get(node)
    if pid and running(pid):
        return pid
    sh = "mount --bind %s /run && exec corosync -f -c %s" % (os.path.join(nd, "corosync-run"),
                                                              os.path.join(nd, "corosync.conf"))
    # a lock file left by a killed corosync would stop the next one
    try:
        os.unlink(os.path.join(nd, "corosync-run", "corosync.pid"))
    except FileNotFoundError:
        pass
    out = open(os.path.join(nd, "corosync.out"), "a")
    p = subprocess.Popen(lab.wrap(node, ["unshare", "--mount", "--propagation", "private", "sh", "-c", sh]),
                         env=lab.env(node), stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                         start_new_session=True, cwd=nd)
    end = time.monotonic() + 10
    while time.monotonic() < end:
        if p.poll() is not None:
            sys.stderr.write("vigil-lab: %s: corosync exited (%s/corosync.log)\n" % (node, nd))
            break
        if answering(lab, node):
            break
        time.sleep(0.05)
    lab.s.setdefault("corosync", {})[node] = p.pid
    return p.pid
