# SPDX-License-Identifier: GPL-2.0-or-later
# Strangers never affect membership, and every rejected packet is counted:
# a node with the wrong key (bad-hmac), one from another cluster
# (foreign-cluster), one with the right key but not in the node list
# (unknown-node), and (root) replayed captured packets (replay).
import os
import re
import time

from labtest import BUILD, Lab, check, log

lab = Lab(3, "--keepalive", "200", "--deadtime", "1000")
nodes = lab.nodes
base = lab.wait_view(nodes, nodes, 10)["node1"]
hacf = open(lab.hacf("node1")).read()
port = int(re.search(r"^udpport (\d+)", hacf, re.M).group(1))
net = re.search(r"^bind_addr (\d+\.\d+\.\d+)\.\d+", hacf, re.M).group(1)
hbd = os.path.join(BUILD, "daemons", "hbd", "vigil-hbd")


def rogue(name, cluster, key, node_name="rogue"):
    d = os.path.join(lab.dir, name)
    os.makedirs(d)
    text = re.sub(r"^(instance|state_dir|run_dir|logfile|authkeys|bind_addr|cluster_name) .*\n", "", hacf,
                  flags=re.M)
    text += "instance %s\nnode %s\nstate_dir %s\nrun_dir %s\nauthkeys %s/authkeys\nbind_addr %s.9\n" \
            "cluster_name %s\n" % (node_name, node_name, d, d, d, net, cluster)
    text += "".join("ucast lo %s.%d\n" % (net, i) for i in (1,))
    open(os.path.join(d, "ha.cf"), "w").write(text)
    with open(os.path.join(d, "authkeys"), "w") as f:
        f.write("auth 1\n1 sha256 %s\n" % key)
    os.chmod(os.path.join(d, "authkeys"), 0o600)
    # inside the lab's network namespace, like the nodes
    return lab.popen("node1", [hbd, "-c", os.path.join(d, "ha.cf"), "-f"])


real_key = re.search(r"sha256 (\S+)", open(os.path.join(lab.dir, "node1", "authkeys")).read()).group(1)
real_cluster = re.search(r"^cluster_name (\S+)", hacf, re.M).group(1)
cases = [("wrongkey", real_cluster, "not-the-key", "bad-hmac"),
         ("foreign", "another-cluster", real_key, "foreign-cluster"),
         ("stranger", real_cluster, real_key, "unknown-node")]
for name, cluster, key, reason in cases:
    before = lab.membership("node1")["drops"][reason]
    p = rogue(name, cluster, key)
    time.sleep(1.5)
    p.kill()
    p.wait()
    vs = lab.views(nodes)
    check(all(v["members"] == nodes and v["view"] == base["view"] for v in vs.values()),
          "%s: membership unchanged (view %d)" % (name, base["view"]))
    after = vs["node1"]["drops"][reason]
    check(after > before, "%s: %s counter rose %d -> %d" % (name, reason, before, after))

REPLAY = r"""
import socket, sys, time
net, port = sys.argv[1], int(sys.argv[2])
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.ntohs(0x0800))
s.bind(("lo", 0))
s.settimeout(0.2)
src, dst = socket.inet_aton(net + ".2"), socket.inet_aton(net + ".1")
captured = []
end = time.monotonic() + 1.5
while time.monotonic() < end and len(captured) < 10:
    try:
        frame = s.recv(65536)
    except socket.timeout:
        continue
    ip = frame[14:]
    if len(ip) < 28 or ip[9] != 17 or ip[12:16] != src or ip[16:20] != dst:
        continue
    ihl = (ip[0] & 15) * 4
    if int.from_bytes(ip[ihl + 2:ihl + 4], "big") == port:
        captured.append(ip[ihl + 8:])
time.sleep(1.0)
out = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
out.bind((net + ".9", 0))
for pkt in captured:
    out.sendto(pkt, (net + ".1", port))
print(len(captured))
"""

if os.geteuid() == 0:
    # capture node2's packets to node1 on the lab's lo, replay them a second later
    before = lab.membership("node1")["drops"]["replay"]
    r = lab.exec("node1", ["python3", "-c", REPLAY, net, str(port)])
    n = int(r.stdout.strip() or 0)
    check(n > 0, "captured and replayed %d packets from node2 to node1" % n)
    time.sleep(0.3)
    v = lab.membership("node1")
    check(v["drops"]["replay"] >= before + n, "replays counted (%d -> %d)" % (before, v["drops"]["replay"]))
    check(v["members"] == nodes and v["view"] == base["view"], "replays left membership unchanged")
else:
    log("not root: replay part skipped")
