# SPDX-License-Identifier: GPL-2.0-or-later
# 20% packet loss at keepalive 100 ms / deadtime 1 s: no false death (the
# view never changes) and every group message arrives exactly once, in order.
# Runs 60 s (VIGIL_LOSS_SECONDS overrides, e.g. for quick local runs).
import os
import time

from labtest import CLIENT, Lab, check, log

secs = int(os.environ.get("VIGIL_LOSS_SECONDS", "60"))
rate = 20
lab = Lab(3, "--keepalive", "100", "--deadtime", "1000")
lab.wait_view(lab.nodes, lab.nodes, 10)
procs = [lab.popen(n, [CLIENT, "-c", lab.hacf(n), "--members", "3", "--count", str(secs * rate),
                       "--rate", str(rate), "--size", "512", "--timeout", str(secs + 30), "--quiet"])
         for n in lab.nodes]
time.sleep(1.0)  # the clients' group joins are view changes too; let them settle
lab.wait_view(lab.nodes, lab.nodes, 5)
lab.lab("loss", "20")
log("20%% loss for %d s" % secs)
for n, p in zip(lab.nodes, procs):
    out = p.communicate(timeout=secs + 40)[0]
    log("%s: %s" % (n, out.strip().splitlines()[-1] if out.strip() else "(no output)"))
    check(p.returncode == 0, "%s: %d messages from each member exactly once, in order" % (n, secs * rate))
vs = lab.views(lab.nodes)
check(all(v["members"] == lab.nodes for v in vs.values()), "all three still members")
for n in lab.nodes:
    text = open(os.path.join(lab.dir, n, "daemon.out")).read()
    text = text[text.find("fault injection: dropping"):]  # from the loss on
    check(": dead (" not in text and "(left:" not in text,
          "%s: no false death, no node left a view (views changed only for group joins)" % n)
