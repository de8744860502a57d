#!/usr/bin/env python3
# Acceptance (issue 8) on a real lab: `vigil-lab up --pdu` wires the
# simulator's outlets to lab nodes (off = every process of the node is
# killed and kept down, on = started again).  vigil-fenced, configured with
# the lab's power switch, fences lab nodes through vigil's native plugins,
# fence_eps, fence_redfish (on a second, HTTPS switch wired to the same lab)
# and (as root) cluster-glue's external/ippower9258; each time the
# node's processes must really die, and come back on "on".
# SPDX-License-Identifier: GPL-2.0-or-later
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.environ.get("VIGIL_SRCDIR", "."), "tests", "lab"))
import labtest  # noqa: E402

SRC = os.environ.get("VIGIL_SRCDIR", ".")


def node_pids(lab, node):
    """Processes of this lab node (by the environment the lab gives them)."""
    want = ("VIGIL_LAB_NODE=%s" % node).encode()
    lab_mark = ("VIGIL_LAB=%s" % lab.dir).encode()
    found = []
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open("/proc/%s/environ" % d, "rb") as f:
                env = f.read().split(b"\0")
            with open("/proc/%s/stat" % d) as f:
                if f.read().rsplit(")", 1)[1].split()[0] == "Z":
                    continue
        except (OSError, IndexError):
            continue
        if want in env and lab_mark in env:
            found.append(int(d))
    return found


def wait(pred, what, limit=15.0):
    end = time.monotonic() + limit
    while time.monotonic() < end:
        if pred():
            return True
        time.sleep(0.1)
    labtest.fail(what)


def main():
    if shutil.which("vigil-fenced") is None or shutil.which("vigil-pdu-sim") is None:
        labtest.skip("vigil-fenced or vigil-pdu-sim not built")
    lab = labtest.Lab(3, "--pdu", "--netns") if os.geteuid() == 0 else labtest.Lab(3, "--pdu")
    port_file = os.path.join(lab.dir, "pdu.port")
    wait(lambda: os.path.exists(port_file), "the lab's power switch did not start")
    port = open(port_file).read().strip()
    for n in lab.nodes:
        wait(lambda: node_pids(lab, n), "%s did not start" % n)

    def dev(id_, agent, params):
        nv = "".join('<nvpair id="%s-%d" name="%s" value="%s"/>' % (id_, i, k, v)
                     for i, (k, v) in enumerate(params))
        return ('<primitive id="%s" class="stonith" type="%s"><instance_attributes '
                'id="%s-ia">%s</instance_attributes></primitive>' % (id_, agent, id_, nv))

    ip = "127.0.0.1:" + port
    cases = [("node2", "native-redfish", dev("native-redfish", "vigil-redfish",
                                             [("ip", ip), ("ssl", "0"),
                                              ("pcmk_host_map", "node2:2")])),
             ("node3", "native-ippower", dev("native-ippower", "vigil-http",
                                             [("ip", ip), ("preset", "ippower9258"),
                                              ("pcmk_host_map", "node3:3")]))]
    if os.access("/usr/sbin/fence_eps", os.X_OK):
        cases.append(("node1", "fence_eps", dev("fence_eps", "fence_eps",
                                                [("ip", ip), ("pcmk_host_map", "node1:01")])))
    glue = "/usr/lib/stonith/plugins/external/ippower9258"
    if os.access(glue, os.X_OK) and os.geteuid() == 0:
        cases.append(("node2", "external-ippower9258",
                      dev("external-ippower9258", "external/ippower9258",
                          [("deviceip", ip), ("hostlist", "node2"),
                           ("pcmk_host_list", "node2")])))
    tmp = tempfile.mkdtemp(prefix="vigil-fence-lab.")
    # fence_redfish speaks HTTPS only: a second switch with TLS, wired to
    # the same lab through the lab's outlet hook.
    tls_sim = None
    if os.access("/usr/sbin/fence_redfish", os.X_OK) and shutil.which("openssl"):
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout",
                        tmp + "/key.pem", "-out", tmp + "/cert.pem", "-days", "1", "-subj",
                        "/CN=127.0.0.1"], check=True, capture_output=True)
        tls_sim = subprocess.Popen(
            ["vigil-pdu-sim", "--listen", "127.0.0.1:0", "--port-file", tmp + "/tls.port",
             "--outlets", "3", "--tls-cert", tmp + "/cert.pem", "--tls-key", tmp + "/key.pem",
             "--outlet-hook", "%s --dir %s outlet" % (labtest.LAB, lab.dir)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait(lambda: os.path.exists(tmp + "/tls.port"), "the TLS switch did not start")
        tport = open(tmp + "/tls.port").read().strip()
        cases.append(("node3", "fence_redfish", dev("fence_redfish", "fence_redfish",
                                                   [("ip", "127.0.0.1"), ("ipport", tport),
                                                    ("ssl_insecure", "1"), ("username", "admin"),
                                                    ("password", "any"),
                                                    ("systems_uri", "/redfish/v1/Systems/3"),
                                                    ("pcmk_host_list", "node3")])))
    env = dict(os.environ, VIGIL_INSTANCE="fence-lab-%d" % os.getpid(),
               PYTHONPATH=os.path.join(SRC, "tests", "fence", "py2compat"))
    if shutil.which("w3m") is None:
        env["PATH"] = os.path.join(SRC, "tests", "fence", "shims") + ":" + env["PATH"]
    fenced = None
    try:
        # One CIB per case so each request goes through the named device.
        for node, name, res in cases:
            cib = os.path.join(tmp, name + ".xml")
            with open(cib, "w") as f:
                f.write("<cib><configuration><resources>%s</resources></configuration></cib>" %
                        res)
            fenced = subprocess.Popen(["vigil-fenced", "-f", "--instance", env["VIGIL_INSTANCE"],
                                       "--cib", cib], env=env, stdout=subprocess.DEVNULL,
                                      stderr=open(os.path.join(tmp, name + ".log"), "w"))
            wait(lambda: subprocess.run(["vigil", "fence", "devices"], env=env,
                                        capture_output=True).returncode == 0,
                 "vigil-fenced did not start")
            before = node_pids(lab, node)
            labtest.check(before, "%s runs %d processes" % (node, len(before)))
            r = subprocess.run(["vigil", "fence", node, "--off", "--timeout", "30"], env=env,
                               capture_output=True, text=True)
            labtest.check(r.returncode == 0, "%s: fenced %s off (%s)" % (name, node,
                                                                        r.stdout.strip()))
            labtest.check(not node_pids(lab, node) and
                          not any(os.path.exists("/proc/%d" % p) and p in node_pids(lab, node)
                                  for p in before),
                          "%s: every process of %s is gone" % (name, node))
            st = lab.lab("status").stdout
            labtest.check("powered off" in [l for l in st.splitlines() if node in l][0],
                          "%s: the lab shows %s powered off" % (name, node))
            time.sleep(0.5)
            labtest.check(not node_pids(lab, node), "%s: %s stays down" % (name, node))
            r = subprocess.run(["vigil", "fence", node, "--on", "--timeout", "30"], env=env,
                               capture_output=True, text=True)
            labtest.check(r.returncode == 0, "%s: powered %s on" % (name, node))
            wait(lambda: node_pids(lab, node), "%s: %s did not come back" % (name, node))
            fenced.terminate()
            fenced.wait(timeout=10)
            fenced = None
    finally:
        if tls_sim is not None:
            tls_sim.terminate()
            tls_sim.wait()
        if fenced is not None:
            fenced.kill()
            fenced.wait()
        shutil.rmtree(tmp, ignore_errors=True)
    print("PASS")


if __name__ == "__main__":
    main()
