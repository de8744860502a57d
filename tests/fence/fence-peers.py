#!/usr/bin/env python3
# The fencers of a lab partition work as one: a node asked to fence itself
# hands the request to another member, which fences it through the power
# switch (the node's processes die); every fencer's history shows the
# result, and a node joining later receives the history.
# SPDX-License-Identifier: GPL-2.0-or-later
import os
import re
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.environ.get("VIGIL_SRCDIR", "."), "tests", "lab"))
import labtest  # noqa: E402


def alive(pid):
    """Running (a zombie waiting for its reaper is dead)."""
    try:
        with open("/proc/%s/stat" % pid) as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


def bg(lab, node, cmd, log):
    """A background process of a lab node, output to a file (never a pipe)."""
    return subprocess.Popen([labtest.LAB, "--dir", lab.dir, "exec", node, "--"] + cmd,
                            stdout=open(log, "a"), stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL)


def main():
    for prog in ("vigil-fenced", "vigil-pdu-sim", "vigil-hbd"):
        if shutil.which(prog) is None:
            labtest.skip("%s not built" % prog)
    lab = labtest.Lab(3)
    st = lab.lab("status").stdout
    addr = dict(re.findall(r"^\s+(node\d+)\s+(\S+)\s", st, re.M))
    labtest.check(len(addr) == 3, "lab addresses %s" % addr)
    lab.wait_view(lab.nodes, lab.nodes, 20, "all three nodes in one view")

    # The switch lives with node3 (reachable from every node at its address);
    # its outlets are the lab's nodes.
    port_file = os.path.join(lab.dir, "peers-pdu.port")
    hook = "%s --dir %s outlet" % (labtest.LAB, lab.dir)
    pdu = bg(lab, "node3", ["vigil-pdu-sim", "--listen", addr["node3"] + ":0", "--outlets",
                              "3", "--port-file", port_file, "--outlet-hook", hook],
             os.path.join(lab.dir, "pdu-peers.log"))
    lab.wait(lambda: os.path.exists(port_file), 10, "the power switch to start")
    port = open(port_file).read().strip()
    cib = os.path.join(lab.dir, "fence-cib.xml")
    with open(cib, "w") as f:
        f.write('<cib><configuration><resources><primitive id="pdu" class="stonith" '
                'type="vigil-redfish"><instance_attributes id="pdu-ia">'
                '<nvpair id="p1" name="ip" value="%s:%s"/><nvpair id="p2" name="ssl" value="0"/>'
                '<nvpair id="p3" name="pcmk_host_map" value="node1:1;node2:2;node3:3"/>'
                '</instance_attributes></primitive></resources></configuration></cib>' %
                (addr["node3"], port))
    fenced = {}

    def start_fenced(n):
        fenced[n] = bg(lab, n, ["vigil-fenced", "-f", "-c", lab.hacf(n), "--cib", cib],
                       os.path.join(lab.dir, n, "fenced.out"))
        lab.wait(lambda: lab.exec(n, ["vigil", "fence", "devices"], check=False).returncode == 0,
                 10, "vigil-fenced on %s" % n)

    def history(n, target=None):
        r = lab.exec(n, ["vigil", "fence", "history"] + ([target] if target else []),
                     check=False)
        return r.stdout

    try:
        for n in ("node1", "node2"):
            start_fenced(n)
        time.sleep(1.0)  # let both join the fencers' group

        # node1 asks to fence itself: node2 must do it.
        before = open(os.path.join(lab.dir, "node1", "pid")).read().split()
        labtest.check(before and alive(before[0]), "node1 is running")
        bg(lab, "node1", ["vigil", "fence", "node1", "--off", "--origin", "self-test"],
           os.path.join(lab.dir, "self-fence.out"))
        want = re.compile(r"result +off +node1 +ok +by node2 +from self-test")
        lab.wait(lambda: want.search(history("node2", "node1")), 20,
                 "node2 fenced node1 on node1's behalf")
        labtest.check(True, "node2 executed node1's request to fence itself")
        st = lab.lab("status").stdout
        labtest.check("powered off" in [l for l in st.splitlines() if "node1 " in l][0],
                      "the lab shows node1 powered off")
        labtest.check(not any(alive(p) for p in before),
                      "node1's heartbeat process died")

        # node3's fencer starts now: it receives the history on joining.
        start_fenced("node3")
        lab.wait(lambda: want.search(history("node3", "node1")), 15,
                 "node3 learned the history from node2")
        labtest.check(True, "a fencer that joins later has the partition's history")

        # A request run by node2 is seen by node3 too.
        r = lab.exec("node2", ["vigil", "fence", "node1", "--on", "--origin", "admin"],
                     check=False)
        labtest.check(r.returncode == 0, "node2 powered node1 on (%s)" % r.stdout.strip())
        lab.wait(lambda: re.search(r"result +on +node1 +ok +by node2 +from admin",
                                   history("node3", "node1")), 10,
                 "node3 saw node2's result")
        labtest.check(True, "results are shared by all fencers")
    finally:
        for p in list(fenced.values()) + [pdu]:
            if p.poll() is None:
                p.terminate()
        for p in list(fenced.values()) + [pdu]:
            try:
                p.wait(timeout=5)
            except subprocess.TimeoutExpired:
                p.kill()
    print("PASS")


if __name__ == "__main__":
    main()
