# SPDX-License-Identifier: GPL-2.0-or-later
# Two nodes linked by Ethernet (UDP) and a serial line (socat pty pair): with
# the Ethernet path cut they stay members and group messages still flow over
# serial; with both cut each declares the other dead.
import shutil
import time

from labtest import CLIENT, Lab, check, log, skip

if not shutil.which("socat"):
    skip("socat not installed")
lab = Lab(2, "--media", "ucast,serial", "--keepalive", "250", "--deadtime", "1500")
both = lab.nodes
vs = lab.wait_view(both, both, 10)
links = vs["node1"]["links"]
serial = [med for (n, med) in links if med.startswith("serial")][0]
check(links[("node2", serial)] and links[("node2", "ucast lo")], "node1 hears node2 on serial and UDP")

lab.lab("cut", "node1", "node2", "--medium", "udp")
time.sleep(2.0)  # longer than deadtime
vs = lab.wait_view(both, both, 3)
check(not vs["node1"]["links"][("node2", "ucast lo")], "UDP link reported down")
check(vs["node1"]["links"][("node2", serial)], "serial link still up")
check(vs["node1"]["members"] == both and vs["node2"]["members"] == both, "still members over serial alone")

procs = [lab.popen(n, [CLIENT, "-c", lab.hacf(n), "--members", "2", "--count", "20", "--size", "300",
                       "--timeout", "20", "--quiet"]) for n in both]
outs = [p.communicate(timeout=30)[0] for p in procs]
for n, p, out in zip(both, procs, outs):
    log("%s: %s" % (n, out.strip().splitlines()[-1] if out.strip() else "(no output)"))
    check(p.returncode == 0, "%s received every group message over serial, in order" % n)

lab.lab("cut", "node1", "node2", "--medium", "serial")
lab.wait(lambda: all((lambda m: m and m["members"] == [n])(lab.membership(n)) for n in both), 5,
         "each node alone")
check(True, "with Ethernet and serial cut each node declares the other dead")
lab.lab("heal")
lab.wait_view(both, both, 8)
check(True, "links healed, one view again")
