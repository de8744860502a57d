#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""vigil-lab: run a whole vigil cluster on one machine (tests, demos, training).

Nodes are node1..nodeN.  Without --netns they live on 127.A.B.i addresses with
UDP unicast; with --netns (root) each node gets a network namespace with a veth
into a bridge, so multicast and broadcast work and links can be cut and made
lossy.  Serial links are socat pty pairs.  Everything the lab creates is
recorded in DIR/lab.json and removed by `down`, by PID and by name (every
process carries VIGIL_LAB=DIR in its environment; namespaces, bridge and veths
carry the lab id in their names).  The power switch (--pdu) runs beside the
nodes: in the loopback lab's namespace on 127.0.0.1, or on the host of a
--netns lab, answering on 127.0.0.1 and on the bridge's address (.254 of the
lab subnet), which every node namespace reaches.  Python 3 standard library
only.
"""
import fcntl
import ipaddress
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import time

import vigil_lab_corosync as corosync_layer

USAGE = """\
Usage: vigil-lab [--dir DIR] COMMAND [ARGS]

  up --nodes N [--netns] [--media ucast|mcast|bcast|serial,...] [--stack hbd|full]
     [--keepalive MS] [--deadtime MS] [--initdead MS] [--two-node] [--wait-for-all]
     [--arbiter NODE] [--directive "LINE"]... [--pdu [--pdu-delay MS]] [--no-start]
     [--layer heartbeat|corosync]  (corosync: needs --netns; own corosync per node)
                         create DIR/nodeN/{ha.cf,authkeys} and start the nodes;
                         --pdu: a power switch simulator the nodes reach at
                         DIR/pdu.addr, port DIR/pdu.port
  exec NODE -- CMD...    run CMD as NODE sees the world (VIGIL_INSTANCE, PATH,
                         its network namespace)
  kill NODE              SIGKILL every process of NODE
  start NODE             start NODE again
  cut NODE [PEER] [--medium udp|serial|all]
                         break NODE's links (to PEER only, when given)
  heal                   mend every cut link
  loss PERCENT           drop PERCENT of the packets every node receives
  status                 nodes, processes and links
  outlet off|on N        power switch hook: off = kill nodeN and keep it down
  down                   stop and remove everything the lab created
  -h, --help             this help

DIR defaults to $VIGIL_LAB_DIR, else ./lab.  `--dir` may appear anywhere
before `--`.  See vigil-lab(1).
"""


def die(msg, code=1):
    sys.stderr.write("vigil-lab: %s\n" % msg)
    sys.exit(code)


def run(cmd, check=True, quiet=False):
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if check and r.returncode != 0:
        die("%s: %s" % (" ".join(cmd), r.stderr.strip()))
    if not quiet and r.returncode != 0:
        pass
    return r


def builddir():
    env = os.environ.get("VIGIL_BUILDDIR")
    if env:
        return env
    here = os.path.dirname(os.path.realpath(sys.argv[0]))
    if os.path.exists(os.path.join(here, "..", "config.status")):
        return os.path.realpath(os.path.join(here, ".."))
    return None


def tool_path():
    b = builddir()
    parts = []
    if b:
        parts = [os.path.join(b, d) for d in ("tools", "daemons/vigild", "daemons/hbd", "daemons/ctld",
                                              "daemons/execd", "daemons/fenced", "fencing")]
    return ":".join(parts + [os.environ.get("PATH", "/usr/bin:/bin")])


def in_ns_of(pid):
    """Already in pid's user and network namespaces (the power switch's
    outlet hook runs inside a non-root loopback lab, where nsenter into the
    same user namespace would fail)."""
    def ident(path):
        st = os.stat(path)
        return st.st_dev, st.st_ino
    try:
        return all(ident("/proc/self/ns/%s" % k) == ident("/proc/%d/ns/%s" % (pid, k))
                   for k in ("user", "net"))
    except OSError:
        return False


class Lab:
    def __init__(self, d):
        self.dir = os.path.realpath(d)
        self.state_file = os.path.join(self.dir, "lab.json")
        self.s = {}
        if os.path.exists(self.state_file):
            with open(self.state_file) as f:
                self.s = json.load(f)

    def save(self):
        tmp = self.state_file + ".tmp"
        with open(tmp, "w") as f:
            json.dump(self.s, f, indent=1)
        os.rename(tmp, self.state_file)

    def need(self):
        if not self.s:
            die("no lab in %s (run `vigil-lab up` first)" % self.dir)

    def nodes(self):
        return ["node%d" % i for i in range(1, self.s["nodes"] + 1)]

    def idx(self, node):
        if not node.startswith("node") or not node[4:].isdigit() or not 1 <= int(node[4:]) <= self.s["nodes"]:
            die("unknown node %s (nodes are node1..node%d)" % (node, self.s["nodes"]))
        return int(node[4:])

    def addr(self, i):
        return "%s.%d" % (self.s["net"], i)

    def ns(self, i):
        return "vl%sn%d" % (self.s["id"], i)

    def hostveth(self, i):
        return "vl%sh%d" % (self.s["id"], i)

    def bridge(self):
        return "vl%sbr" % self.s["id"]

    def env(self, node):
        e = dict(os.environ)
        e["VIGIL_INSTANCE"] = node
        e["VIGIL_LAB"] = self.dir
        e["VIGIL_LAB_DIR"] = self.dir
        e["VIGIL_LAB_NODE"] = node
        # resource agents keep state under HA_RSCTMP/HA_VARRUN: one per node
        rsctmp = os.path.join(self.dir, node, "rsctmp")
        os.makedirs(rsctmp, exist_ok=True)
        e["HA_RSCTMP"] = rsctmp
        e["HA_VARRUN"] = rsctmp
        e["PATH"] = tool_path()
        return e

    def wrap(self, node, cmd):
        if self.s.get("netns"):
            return ["ip", "netns", "exec", self.ns(self.idx(node))] + cmd
        if self.s.get("lo_ns"):
            return ["ip", "netns", "exec", self.s["lo_ns"]] + cmd
        if self.s.get("lo_holder") and not in_ns_of(self.s["lo_holder"]):
            return ["nsenter", "-t", str(self.s["lo_holder"]), "-U", "-n", "--preserve-credentials"] + cmd
        return cmd


# ------------------------------------------------------------------ up

def free_port(addrs):
    for _ in range(200):
        port = random.randint(20000, 60000)
        socks = []
        try:
            for a in addrs:
                s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                socks.append(s)
                s.bind((a, port))
            return port
        except OSError:
            continue
        finally:
            for s in socks:
                s.close()
    die("no free UDP port")


def write_file(path, text, mode=0o644):
    with open(path, "w") as f:
        f.write(text)
    os.chmod(path, mode)


def serial_pairs(lab):
    n = lab.s["nodes"]
    return [(i, i + 1) for i in range(1, n)]


def serial_dev(lab, a, b, side):
    return os.path.join(lab.dir, "serial", "tty-%d-%d%s" % (a, b, side))


def start_socat(lab, a, b):
    for side in "ab":
        try:
            os.unlink(serial_dev(lab, a, b, side))
        except FileNotFoundError:
            pass
    p = subprocess.Popen(["socat", "PTY,raw,echo=0,link=%s" % serial_dev(lab, a, b, "a"),
                          "PTY,raw,echo=0,link=%s" % serial_dev(lab, a, b, "b")],
                         env=lab.env("serial"), stdin=subprocess.DEVNULL,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    lab.s.setdefault("socat", {})["%d-%d" % (a, b)] = p.pid
    for _ in range(100):
        if os.path.exists(serial_dev(lab, a, b, "a")) and os.path.exists(serial_dev(lab, a, b, "b")):
            return
        time.sleep(0.02)
    die("socat did not create the pty pair %d-%d" % (a, b))


def hacf(lab, i, o):
    node = "node%d" % i
    nd = os.path.join(lab.dir, node)
    lines = ["# vigil-lab node %s" % node,
             "cluster_name lab-%s" % lab.s["id"],
             "instance %s" % node,
             "state_dir %s/state" % nd,
             "run_dir %s/run" % nd,
             "logfile %s/ha.log" % nd,
             "authkeys %s/authkeys" % nd,
             "keepalive %dms" % o["keepalive"],
             "deadtime %dms" % o["deadtime"],
             "warntime %dms" % max(o["keepalive"], o["deadtime"] // 2),
             "initdead %dms" % o["initdead"],
             "udpport %d" % lab.s["port"],
             "realtime off",
             "fault_injection on",
             "baud 115200"]
    for j in range(1, lab.s["nodes"] + 1):
        lines.append("node node%d" % j)
    media = lab.s["media"]
    if lab.s["netns"]:
        dev = "eth0"
        if "ucast" in media:
            lines += ["ucast %s %s" % (dev, lab.addr(j)) for j in range(1, lab.s["nodes"] + 1) if j != i]
        if "mcast" in media:
            lines.append("mcast %s %s %d 1 0" % (dev, lab.s["mcast"], lab.s["port"] + 1))
        if "bcast" in media:
            lines.append("bcast %s" % dev)
    else:
        lines.append("bind_addr %s" % lab.addr(i))
        lines += ["ucast lo %s" % lab.addr(j) for j in range(1, lab.s["nodes"] + 1) if j != i]
    if "serial" in media:
        for a, b in serial_pairs(lab):
            if i == a:
                lines.append("serial %s" % serial_dev(lab, a, b, "a"))
            elif i == b:
                lines.append("serial %s" % serial_dev(lab, a, b, "b"))
    if o["two_node"]:
        lines.append("two_node on")
    if o["wait_for_all"]:
        lines.append("wait_for_all on")
    for a in o["arbiter"]:
        lines.append("arbiter %s" % a)
    lines += o["directives"]
    return "\n".join(lines) + "\n"


def loopback_ns_up(lab):
    """One private network namespace for the whole loopback lab, so that
    concurrent labs never share addresses or IPC socket names (abstract unix
    sockets are per network namespace).  Root: a named netns; otherwise a
    user+net namespace held open by a sleeping process."""
    if os.geteuid() == 0:
        name = "vl%slo" % lab.s["id"]
        run(["ip", "netns", "add", name])
        run(["ip", "netns", "exec", name, "ip", "link", "set", "lo", "up"])
        lab.s["lo_ns"] = name
        return
    p = subprocess.Popen(["unshare", "--user", "--map-root-user", "--net", "sh", "-c",
                          "ip link set lo up 2>/dev/null; exec sleep 2147483647"],
                         env=lab.env("holder"), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL, start_new_session=True)
    time.sleep(0.1)
    if p.poll() is not None:
        sys.stderr.write("vigil-lab: cannot create a private namespace; using the host's loopback\n")
        return
    lab.s["lo_holder"] = p.pid


def host_nets():
    """The IPv4 networks this host already routes or has addresses in."""
    nets = []
    out = run(["ip", "-4", "route", "show", "table", "all"], check=False).stdout
    out += run(["ip", "-4", "-o", "addr", "show"], check=False).stdout.replace(" inet ", "\n")
    for line in out.splitlines():
        word = line.split()[0] if line.split() else ""
        if word in ("default", "broadcast", "local", "unreachable", "multicast"):
            word = line.split()[1] if len(line.split()) > 1 else ""
        try:
            nets.append(ipaddress.ip_network(word, strict=False))
        except ValueError:
            continue
    return nets


def pick_subnet(r):
    """A 10.A.B.0/24 no route or address of the host overlaps: the host side
    of the bridge gets an address in it (--pdu), and concurrent labs must not
    share one."""
    taken = [n for n in host_nets() if n.prefixlen > 0]
    for _ in range(200):
        net = "10.%d.%d" % (r.randint(64, 127), r.randint(1, 254))
        cand = ipaddress.ip_network(net + ".0/24")
        if not any(cand.overlaps(n) for n in taken):
            return net
    die("no free 10.x.y.0/24 for the lab's bridge")


def netns_up(lab):
    br = lab.bridge()
    run(["ip", "link", "add", br, "type", "bridge", "forward_delay", "0", "stp_state", "0",
         "mcast_snooping", "0"])
    run(["ip", "link", "set", br, "up"])
    if lab.s.get("pdu_addr"):
        # The host end of the lab network, where the power switch answers.
        run(["ip", "addr", "add", "%s/24" % lab.s["pdu_addr"], "dev", br])
    for i in range(1, lab.s["nodes"] + 1):
        ns, hv = lab.ns(i), lab.hostveth(i)
        run(["ip", "netns", "add", ns])
        run(["ip", "link", "add", hv, "type", "veth", "peer", "name", "eth0", "netns", ns])
        run(["ip", "link", "set", hv, "master", br])
        run(["ip", "link", "set", hv, "up"])
        x = ["ip", "netns", "exec", ns]
        run(x + ["ip", "addr", "add", "%s/24" % lab.addr(i), "brd", "+", "dev", "eth0"])
        run(x + ["ip", "link", "set", "eth0", "up"])
        run(x + ["ip", "link", "set", "lo", "up"])
        run(x + ["ip", "route", "add", "224.0.0.0/4", "dev", "eth0"], check=False)


def new_id(r):
    """A lab id no namespace or link of another lab carries (down removes
    by that name)."""
    used = " ".join(netns_names() + link_names()) if os.geteuid() == 0 else ""
    for _ in range(100):
        lid = "%04x" % r.randint(0, 0xffff)
        if "vl" + lid not in used:
            return lid
    die("no unused lab id")


def cmd_up(lab, args):
    o = {"nodes": 3, "netns": False, "media": None, "stack": None, "keepalive": 250, "deadtime": 2000,
         "initdead": None, "two_node": False, "wait_for_all": False, "arbiter": [], "directives": [],
         "pdu": False, "pdu_delay": 0, "start": True, "layer": "heartbeat"}
    it = iter(args)
    for a in it:
        if a == "--nodes":
            o["nodes"] = int(next(it))
        elif a == "--netns":
            o["netns"] = True
        elif a == "--media":
            o["media"] = next(it).split(",")
        elif a == "--stack":
            o["stack"] = next(it)
        elif a in ("--keepalive", "--deadtime", "--initdead"):
            o[a[2:]] = int(next(it))
        elif a == "--two-node":
            o["two_node"] = True
        elif a == "--wait-for-all":
            o["wait_for_all"] = True
        elif a == "--arbiter":
            o["arbiter"].append(next(it))
        elif a == "--directive":
            o["directives"].append(next(it))
        elif a == "--pdu":
            o["pdu"] = True
        elif a == "--pdu-delay":
            o["pdu_delay"] = int(next(it))
        elif a == "--no-start":
            o["start"] = False
        elif a == "--layer":
            o["layer"] = next(it)
        else:
            die("up: unknown option %s" % a, 2)
    if lab.s:
        die("a lab exists in %s already (vigil-lab --dir %s down)" % (lab.dir, lab.dir))
    if not 1 <= o["nodes"] <= 32:
        die("--nodes must be 1..32", 2)
    if o["netns"] and os.geteuid() != 0:
        die("--netns needs root", 77)
    media = o["media"] or ["ucast"]
    for m in media:
        if m not in ("ucast", "mcast", "bcast", "serial"):
            die("unknown medium %s" % m, 2)
        if m in ("mcast", "bcast") and not o["netns"]:
            die("%s needs --netns" % m, 2)
    if o["layer"] not in corosync_layer.LAYERS:
        die("unknown layer %s" % o["layer"], 2)
    if o["layer"] == "corosync":
        corosync_layer.check(lab, o)
    if "serial" in media and not shutil.which("socat"):
        die("serial links need socat")
    stack = o["stack"] or ("full" if shutil.which("vigild", path=tool_path()) else "hbd")
    o["initdead"] = o["initdead"] or 2 * o["deadtime"]
    os.makedirs(lab.dir, exist_ok=True)
    r = random.Random()
    lab.s = {"nodes": o["nodes"], "netns": o["netns"], "media": media, "stack": stack,
             "id": new_id(r), "pids": {}, "down": [], "cuts": [], "blocks": []}
    if o["netns"]:
        lab.s["net"] = pick_subnet(r)
        lab.s["port"] = 694
        if o["pdu"]:
            lab.s["pdu_addr"] = lab.addr(254)
        lab.s["mcast"] = "239.%d.%d.1" % (r.randint(1, 254), r.randint(1, 254))
    else:
        lab.s["net"] = "127.%d.%d" % (r.randint(1, 254), r.randint(1, 254))
        lab.s["port"] = free_port([lab.addr(i) for i in range(1, o["nodes"] + 1)])
    lab.save()
    if o["netns"]:
        netns_up(lab)
    else:
        loopback_ns_up(lab)
    lab.save()
    if "serial" in media:
        os.makedirs(os.path.join(lab.dir, "serial"), exist_ok=True)
        for a, b in serial_pairs(lab):
            start_socat(lab, a, b)
    if o["layer"] == "corosync":
        corosync_layer.prepare(lab, o)
    for i in range(1, o["nodes"] + 1):
        nd = os.path.join(lab.dir, "node%d" % i)
        for sub in ("", "state", "run"):
            os.makedirs(os.path.join(nd, sub), exist_ok=True)
        write_file(os.path.join(nd, "ha.cf"), hacf(lab, i, o))
        write_file(os.path.join(nd, "authkeys"), "auth 1\n1 sha256 lab-%s-secret\n" % lab.s["id"], 0o600)
    lab.save()
    if o["pdu"]:
        start_pdu(lab, o["pdu_delay"])
    if o["start"]:
        for n in lab.nodes():
            start_node(lab, n)
    lab.save()
    print("lab %s: %d nodes in %s (%s, %s, stack %s)" % (lab.s["id"], o["nodes"], lab.dir,
          "netns" if o["netns"] else "loopback", ",".join(media), stack))


def start_pdu(lab, delay=0):
    """The power switch, reachable from every node at DIR/pdu.addr, port
    DIR/pdu.port (written by the simulator once it listens)."""
    pdu = shutil.which("vigil-pdu-sim", path=tool_path())
    if not pdu:
        sys.stderr.write("vigil-lab: vigil-pdu-sim not built; no power switch\n")
        return
    hook = "%s --dir %s outlet" % (os.path.realpath(sys.argv[0]), lab.dir)
    port_file = os.path.join(lab.dir, "pdu.port")
    # Loopback labs: inside the lab's namespace, where the nodes reach
    # 127.0.0.1.  Namespace labs: on the host, on its loopback (for tools run
    # there) and on the bridge's address (for the nodes), one port for both.
    listen = ["--listen", "127.0.0.1:0"]
    if lab.s.get("pdu_addr"):
        listen += ["--listen", "%s:0" % lab.s["pdu_addr"]]
    cmd = [pdu] + listen + ["--port-file", port_file, "--outlets", str(lab.s["nodes"]),
                            "--outlet-hook", hook]
    if delay:
        cmd += ["--answer-delay", str(delay)]
    if not lab.s["netns"]:
        cmd = lab.wrap("node1", cmd)
    write_file(os.path.join(lab.dir, "pdu.addr"), "%s\n" % lab.s.get("pdu_addr", "127.0.0.1"))
    log = os.path.join(lab.dir, "pdu.log")
    p = subprocess.Popen(cmd, env=lab.env("pdu"), stdin=subprocess.DEVNULL,
                         stdout=open(log, "a"), stderr=subprocess.STDOUT, start_new_session=True)
    lab.s["pdu"] = p.pid
    lab.save()
    for _ in range(500):
        if os.path.exists(port_file):
            return
        if p.poll() is not None:
            break
        time.sleep(0.02)
    with open(log) as f:
        die("the power switch simulator did not start: %s" % f.read().strip()[-400:])


# ------------------------------------------------------------ processes

def alive(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            if f.read().rsplit(")", 1)[1].split()[0] == "Z":
                return False
    except (OSError, IndexError):
        return False
    try:
        os.kill(pid, 0)
        return True
    except ProcessLookupError:
        return False
    except PermissionError:
        return True


def start_node(lab, node):
    i = lab.idx(node)
    nd = os.path.join(lab.dir, node)
    pid = lab.s["pids"].get(node)
    if lab.s.get("layer") == "corosync" and corosync_layer.start(lab, node) and lab.s["stack"] != "full":
        lab.s["pids"][node] = lab.s["corosync"][node]  # corosync is the node's membership daemon
        if node in lab.s["down"]:
            lab.s["down"].remove(node)
        return
    if pid and alive(pid):
        return
    cfg = os.path.join(nd, "ha.cf")
    cmd = ["vigild", "-c", cfg, "-f"] if lab.s["stack"] == "full" else ["vigil-hbd", "-c", cfg, "-f"]
    exe = shutil.which(cmd[0], path=tool_path())
    if not exe:
        die("%s not found (build vigil first)" % cmd[0])
    cmd[0] = exe
    out = open(os.path.join(nd, "daemon.out"), "a")
    p = subprocess.Popen(lab.wrap(node, cmd), env=lab.env(node), stdin=subprocess.DEVNULL,
                         stdout=out, stderr=subprocess.STDOUT, start_new_session=True, cwd=nd)
    lab.s["pids"][node] = p.pid
    if node in lab.s["down"]:
        lab.s["down"].remove(node)
    write_file(os.path.join(nd, "pid"), "%d\n" % p.pid)
    if lab.s.get("blocks") or lab.s.get("loss"):
        push_blocks(lab, only=node, retries=30)
    del i


def procs_of(lab, node=None):
    """PIDs whose environment marks them as this lab's (and this node's)."""
    found = []
    want = ("VIGIL_LAB=%s" % lab.dir).encode()
    wnode = ("VIGIL_LAB_NODE=%s" % node).encode() if node else None
    for d in os.listdir("/proc"):
        if not d.isdigit() or int(d) == os.getpid():
            continue
        try:
            with open("/proc/%s/environ" % d, "rb") as f:
                env = f.read().split(b"\0")
        except OSError:
            continue
        if want in env and (wnode is None or wnode in env):
            found.append(int(d))
    return found


def kill_node(lab, node):
    pid = lab.s["pids"].get(node)
    if pid:
        try:
            os.killpg(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
    for p in procs_of(lab, node):
        try:
            os.kill(p, signal.SIGKILL)
        except ProcessLookupError:
            pass
    lab.s["pids"].pop(node, None)
    if pid:
        for _ in range(200):
            if not alive(pid):
                break
            time.sleep(0.005)


def cmd_exec(lab, args, rest):
    lab.need()
    if len(args) != 1 or not rest:
        die("usage: vigil-lab exec NODE -- CMD...", 2)
    node = args[0]
    lab.idx(node)
    cmd = lab.wrap(node, rest)
    os.execvpe(cmd[0], cmd, lab.env(node))


def cmd_kill(lab, args):
    lab.need()
    for n in args:
        lab.idx(n)
        kill_node(lab, n)
    lab.save()


def cmd_start(lab, args):
    lab.need()
    for n in args:
        lab.idx(n)
        start_node(lab, n)
    lab.save()


def cmd_outlet(lab, args):
    lab.need()
    if len(args) != 2 or args[0] not in ("on", "off") or not args[1].isdigit():
        die("usage: vigil-lab outlet on|off N", 2)
    node = "node%s" % args[1]
    lab.idx(node)
    if args[0] == "off":
        kill_node(lab, node)
        if node not in lab.s["down"]:
            lab.s["down"].append(node)
    else:
        start_node(lab, node)
    lab.save()


# ----------------------------------------------------------------- links
#
# Cutting a whole node off its network in --netns mode takes its veth down
# (the kernel drops everything).  Cuts between two nodes, and any cut on
# loopback, use vigil-hbd's fault injection (ha.cf "fault_injection on"):
# both ends ignore each other's UDP packets, which is what a broken path looks
# like to the protocol, and needs neither root nor netfilter.  Serial links
# are cut by stopping their socat.  `loss` uses fault injection on every node
# (this host's kernel has no netem).

def inject(lab, node, args, retries=1):
    for attempt in range(retries):
        r = subprocess.run(lab.wrap(node, ["vigil", "membership"] + args), env=lab.env(node),
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        if r.returncode == 0:
            return True
        time.sleep(0.1)
    return False


def push_blocks(lab, only=None, retries=1):
    for i in range(1, lab.s["nodes"] + 1):
        node = "node%d" % i
        if only and node != only:
            continue
        if not lab.s["pids"].get(node):
            continue
        peers = sorted({b for a, b in lab.s["blocks"] if a == i} | {a for a, b in lab.s["blocks"] if b == i})
        args = ["--inject-block", " ".join("%d:udp" % p for p in peers)]
        if lab.s.get("loss"):
            args += ["--inject-loss", "%g" % lab.s["loss"]]
        inject(lab, node, args, retries)


def cut_udp(lab, a, b):
    """Drop traffic between nodes a and b (b None: all of a's)."""
    if lab.s["netns"] and b is None:
        run(["ip", "link", "set", lab.hostveth(a), "down"])
        lab.s["cuts"].append(["down", a])
        return
    peers = [b] if b else [j for j in range(1, lab.s["nodes"] + 1) if j != a]
    for p in peers:
        if [a, p] not in lab.s["blocks"] and [p, a] not in lab.s["blocks"]:
            lab.s["blocks"].append([a, p])
    push_blocks(lab)


def cut_serial(lab, a, b):
    for key, pid in list(lab.s.get("socat", {}).items()):
        x, y = map(int, key.split("-"))
        if a in (x, y) and (b is None or b in (x, y)):
            try:
                os.killpg(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            lab.s["socat"][key] = 0


def cmd_cut(lab, args):
    lab.need()
    medium = "all"
    pos = []
    it = iter(args)
    for x in it:
        if x == "--medium":
            medium = next(it)
        else:
            pos.append(x)
    if not 1 <= len(pos) <= 2 or medium not in ("udp", "serial", "all"):
        die("usage: vigil-lab cut NODE [PEER] [--medium udp|serial|all]", 2)
    a = lab.idx(pos[0])
    b = lab.idx(pos[1]) if len(pos) == 2 else None
    if medium in ("udp", "all"):
        cut_udp(lab, a, b)
    if medium in ("serial", "all"):
        cut_serial(lab, a, b)
    lab.save()


def heal(lab):
    for c in lab.s.get("cuts", []):
        if c[0] == "down":
            run(["ip", "link", "set", lab.hostveth(c[1]), "up"], check=False)
    lab.s["cuts"] = []
    if lab.s.get("blocks"):
        lab.s["blocks"] = []
        push_blocks(lab)


def cmd_heal(lab, args):
    lab.need()
    heal(lab)
    for key, pid in list(lab.s.get("socat", {}).items()):
        if not pid or not alive(pid):
            a, b = map(int, key.split("-"))
            start_socat(lab, a, b)
    lab.save()


def cmd_loss(lab, args):
    lab.need()
    if len(args) != 1:
        die("usage: vigil-lab loss PERCENT", 2)
    lab.s["loss"] = max(0.0, min(100.0, float(args[0])))
    for n in lab.nodes():
        if lab.s["pids"].get(n):
            inject(lab, n, ["--inject-loss", "%g" % lab.s["loss"]])
    lab.save()


# ---------------------------------------------------------- status, down

def cmd_status(lab, args):
    lab.need()
    print("lab %s in %s: %d nodes, %s, media %s, stack %s" % (
        lab.s["id"], lab.dir, lab.s["nodes"], "netns" if lab.s["netns"] else "loopback",
        ",".join(lab.s["media"]), lab.s["stack"]))
    for n in lab.nodes():
        pid = lab.s["pids"].get(n)
        state = "running (pid %d)" % pid if pid and alive(pid) else (
            "powered off" if n in lab.s["down"] else "stopped")
        print("  %-8s %-16s %s" % (n, lab.addr(lab.idx(n)), state))
    if lab.s.get("cuts"):
        print("  cuts: %s" % lab.s["cuts"])
    if lab.s.get("loss"):
        print("  loss: %g%%" % lab.s["loss"])
    if lab.s.get("pdu"):
        def first(name):
            try:
                with open(os.path.join(lab.dir, name)) as f:
                    return f.read().strip()
            except OSError:
                return "?"
        print("  pdu: pid %d, %s:%s" % (lab.s["pdu"], first("pdu.addr"), first("pdu.port")))


def netns_names():
    out = run(["ip", "netns", "list"], check=False).stdout
    return [line.split()[0] for line in out.splitlines() if line.split()]


def link_names():
    out = run(["ip", "-o", "link", "show"], check=False).stdout
    return [line.split(":")[1].strip().split("@")[0] for line in out.splitlines() if ":" in line]


def cmd_down(lab, args):
    if not lab.s:
        return
    for n in lab.nodes():
        kill_node(lab, n)
    for pid in list(lab.s.get("socat", {}).values()) + [lab.s.get("pdu", 0), lab.s.get("lo_holder", 0)]:
        if pid:
            try:
                os.killpg(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
    for p in procs_of(lab):
        try:
            os.kill(p, signal.SIGKILL)
        except ProcessLookupError:
            pass
    heal(lab)
    if lab.s.get("lo_ns"):
        run(["ip", "netns", "del", lab.s["lo_ns"]], check=False)
    if lab.s["netns"]:
        for i in range(1, lab.s["nodes"] + 1):
            run(["ip", "netns", "del", lab.ns(i)], check=False)
            run(["ip", "link", "del", lab.hostveth(i)], check=False)
        run(["ip", "link", "del", lab.bridge()], check=False)
        # and by name: anything else carrying the lab id
        for name in netns_names():
            if name.startswith("vl%sn" % lab.s["id"]):
                run(["ip", "netns", "del", name], check=False)
        for name in link_names():
            if name.startswith("vl%s" % lab.s["id"]):
                run(["ip", "link", "del", name], check=False)
    os.unlink(lab.state_file)
    shutil.rmtree(lab.dir, ignore_errors=True)


COMMANDS = {"up": cmd_up, "kill": cmd_kill, "start": cmd_start, "cut": cmd_cut, "heal": cmd_heal,
            "loss": cmd_loss, "status": cmd_status, "down": cmd_down, "outlet": cmd_outlet}


def lock_lab(d, cmd):
    """Commands that change DIR/lab.json hold DIR/.lock until they exit.
    They run concurrently: a test starts a node while the power switch's
    hook (`outlet off`) records another one as powered off, and without the
    lock one of the two read-modify-writes would be lost."""
    if cmd in ("exec", "status") or cmd not in COMMANDS:
        return
    if not os.path.isdir(d):
        if cmd != "up":
            return
        os.makedirs(d, exist_ok=True)
    fd = os.open(os.path.join(d, ".lock"), os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    fcntl.flock(fd, fcntl.LOCK_EX)  # released when this process exits


def main(argv):
    d = os.environ.get("VIGIL_LAB_DIR", "./lab")
    args, rest = [], []
    i = 0
    while i < len(argv):
        a = argv[i]
        if a == "--":
            rest = argv[i + 1:]
            break
        if a == "--dir":
            if i + 1 >= len(argv):
                die("--dir needs a directory", 2)
            d = argv[i + 1]
            i += 2
            continue
        if a.startswith("--dir="):
            d = a[6:]
        elif a in ("-h", "--help"):
            sys.stdout.write(USAGE)
            return 0
        else:
            args.append(a)
        i += 1
    if not args:
        sys.stderr.write(USAGE)
        return 2
    cmd = args[0]
    lock_lab(d, cmd)
    lab = Lab(d)
    if cmd == "exec":
        cmd_exec(lab, args[1:], rest)
    elif cmd in COMMANDS:
        COMMANDS[cmd](lab, args[1:])
    else:
        die("unknown command %s" % cmd, 2)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
