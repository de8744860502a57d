# SPDX-License-Identifier: GPL-2.0-or-later
# vigil-hbd message compression ("compression zlib") on a two-node lab where
# only node1 compresses (a mixed cluster):
#  - a 10 MiB CIB-like message from node1 reaches node2 byte for byte, and
#    node1 puts far fewer bytes on the wire for it than node2 does for an
#    uncompressed one of the same size;
#  - a compressed message damaged on its way (lab fault injection) is dropped
#    and counted (bad-compression) on node2, and the next one still arrives;
#  - ha.cf refuses "compression bz2", naming the file and line.
import hashlib
import os
import random
import subprocess
import time
import uuid
import xml.etree.ElementTree as ET

from labtest import BUILD, LAB, Lab, check, log

BLOB = os.path.join(BUILD, "tests", "cluster", "hb-blob")
HBD = os.path.join(BUILD, "daemons", "hbd", "vigil-hbd")
MIB = 1 << 20


def cib_like(size, seed):
    """CIB-shaped XML of about `size` bytes: resources, then operation history
    whose keys and digests do not compress (as in a real status section)."""
    rnd = random.Random(seed)
    out = ['<cib epoch="%d" num_updates="0" admin_epoch="0">\n<configuration>\n<resources>\n' % seed]
    total, n = len(out[0]), 0
    while total < size * 0.3:
        n += 1
        s = ('  <primitive id="rsc%d" class="ocf" provider="heartbeat" type="%s">\n'
             '    <instance_attributes id="rsc%d-ia">\n'
             '      <nvpair id="rsc%d-ia-ip" name="ip" value="10.%d.%d.%d"/>\n'
             '    </instance_attributes>\n'
             '    <operations><op id="rsc%d-monitor-10s" name="monitor" interval="10s"/></operations>\n'
             '  </primitive>\n') % (n, rnd.choice(["IPaddr2", "Dummy", "Filesystem"]), n, n,
                                   rnd.randint(0, 255), rnd.randint(0, 255), rnd.randint(1, 254), n)
        out.append(s)
        total += len(s)
    out.append('</resources>\n</configuration>\n<status>\n')
    while total < size:
        node = rnd.randint(1, 32)
        key = str(uuid.UUID(int=rnd.getrandbits(128)))
        r = rnd.randint(1, n)
        s = ('<lrm_rsc_op id="rsc%d_last_0" operation_key="rsc%d_start_0" operation="start" '
             'transition-key="%d:%d:0:%s" transition-magic="0:0;%d:%d:0:%s" on_node="node%d" '
             'call-id="%d" rc-code="0" op-status="0" interval="0" last-rc-change="%d" '
             'exec-time="%d" op-digest="%032x"/>\n') % (
                 r, r, rnd.randint(1, 99), rnd.randint(1, 9999), key, rnd.randint(1, 99),
                 rnd.randint(1, 9999), key, node, rnd.randint(1, 99999),
                 1700000000 + rnd.randint(0, 9999999), rnd.randint(1, 3000), rnd.getrandbits(128))
        out.append(s)
        total += len(s)
    out.append('</status>\n</cib>\n')
    return "".join(out)


lab = Lab(2, "--directive", "compression zlib", "--directive", "compression_threshold 2", "--no-start")

# ha.cf: bz2 is Heartbeat's other method; vigil-hbd refuses it where it stands
bad = os.path.join(lab.dir, "bz2.cf")
with open(lab.hacf("node1")) as f:
    lines = f.read().splitlines()
at = next(i for i, ln in enumerate(lines) if ln == "compression zlib") + 1
lines[at - 1] = "compression bz2"
with open(bad, "w") as f:
    f.write("\n".join(lines) + "\n")
r = subprocess.run([HBD, "-c", bad, "--check"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
log(r.stdout.strip())
check(r.returncode != 0 and ("%s:%d:" % (bad, at)) in r.stdout and "bz2" in r.stdout,
      "compression bz2 refused with file and line")

# node2 does not compress: it must still take node1's compressed messages
with open(lab.hacf("node2")) as f:
    text = f.read()
with open(lab.hacf("node2"), "w") as f:
    f.write(text.replace("compression zlib\n", "compression none\n"))
lab.lab("start", "node1", "node2")
lab.wait_view(lab.nodes, lab.nodes, 15)

files = {}
for name, seed in (("a", 1), ("b", 2), ("c", 3)):
    files[name] = os.path.join(lab.dir, "cib-%s.xml" % name)
    with open(files[name], "w") as f:
        f.write(cib_like(10 * MIB, seed))
digest = {n: hashlib.sha256(open(p, "rb").read()).hexdigest() for n, p in files.items()}
size = {n: os.path.getsize(p) for n, p in files.items()}


def traffic(node):
    r = lab.exec(node, ["vigil", "membership", "--xml"])
    t = ET.fromstring(r.stdout).find("traffic")
    return {k: (v if k == "compression" else int(v)) for k, v in t.attrib.items()}


def drops(node):
    return lab.membership(node)["drops"]


def transfer(sender, receiver, sends, extra=(), expect_rx=1, timeout=60):
    """sender sends files to the group; returns what receiver got, and the
    bytes each node put on the wire meanwhile."""
    before = {n: traffic(n)["bytes-sent"] for n in lab.nodes}
    rx = lab.popen(receiver, [BLOB, "-c", lab.hacf(receiver), "--members", "2",
                              "--expect", str(expect_rx), "--timeout", str(timeout)])
    # the sender stays in the group until the receiver is done (--until-eof)
    args = [BLOB, "-c", lab.hacf(sender), "--members", "2", "--expect", str(len(sends)),
            "--timeout", str(timeout), "--until-eof"] + list(extra)
    for s in sends:
        args += ["--send", files[s]]
    t0 = time.monotonic()
    tx = subprocess.Popen([LAB, "--dir", lab.dir, "exec", sender, "--"] + args, stdin=subprocess.PIPE,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    rx_out = rx.communicate(timeout=timeout + 10)[0]
    log("%s -> %s: %.2f s from the sender's start to the last delivery" % (sender, receiver, time.monotonic() - t0))
    tx_out = tx.communicate(input="", timeout=timeout + 10)[0]
    log("%s: %s" % (sender, tx_out.strip().replace("\n", " | ")))
    log("%s: %s" % (receiver, rx_out.strip().replace("\n", " | ")))
    check(tx.returncode == 0, "%s sent %s" % (sender, ", ".join(sends)))
    check(rx.returncode == 0, "%s received %d message(s)" % (receiver, expect_rx))
    got = [ln.split() for ln in rx_out.splitlines() if ln.startswith("got ")]
    after = {n: traffic(n)["bytes-sent"] for n in lab.nodes}
    return got, {n: after[n] - before[n] for n in lab.nodes}


# (a) 10 MiB from the compressing node arrives intact at the one that does not
got, sent = transfer("node1", "node2", ["a"])
check(got == [["got", "node1", str(size["a"]), digest["a"]]],
      "node2 got cib-a (%d bytes) from node1 byte for byte" % size["a"])
t1, t2 = traffic("node1"), traffic("node2")
check(t1["compressed-sent"] == 1 and t2["compressed-received"] == 1,
      "node1 compressed it, node2 inflated it")
log("compression: %d -> %d bytes (%.2fx)" % (t1["compressed-bytes-in"], t1["compressed-bytes-out"],
                                             t1["compressed-bytes-in"] / t1["compressed-bytes-out"]))
zipped_wire = sent["node1"]

# the other way, uncompressed (node2 has compression none)
got, sent = transfer("node2", "node1", ["b"])
check(got == [["got", "node2", str(size["b"]), digest["b"]]], "node1 got cib-b from node2 byte for byte")
check(traffic("node2")["compressed-sent"] == 0, "node2 sent it uncompressed")
plain_wire = sent["node2"]

# (b) fewer bytes on the wire with compression (same size, same kind of data)
log("bytes on the wire for 10 MiB: compressed %d, uncompressed %d (%.1fx)"
    % (zipped_wire, plain_wire, plain_wire / max(zipped_wire, 1)))
check(plain_wire >= size["b"], "uncompressed: at least the message went on the wire")
check(zipped_wire * 3 < plain_wire, "compressed: under a third of the uncompressed bytes on the wire")

# (c) a damaged compressed message is dropped and counted; the next one arrives
d0 = drops("node2").get("bad-compression", 0)
got, _ = transfer("node1", "node2", ["a", "c"], extra=["--corrupt-zip", "1"])
check(got == [["got", "node1", str(size["c"]), digest["c"]]],
      "node2 dropped the damaged cib-a and still got cib-c intact")
d1 = drops("node2").get("bad-compression", 0)
check(d1 == d0 + 1, "node2 counted one bad-compression drop (%d -> %d)" % (d0, d1))
check(lab.agreed(lab.nodes, lab.nodes), "both nodes still in one view")
