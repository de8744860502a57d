#!/usr/bin/env python3
# vigil-pdu-sim: a networked power switch for the lab and the fencing tests.
#
# It owns a row of outlets (1..N, all on at start) and speaks three
# dialects of real power switches so that unmodified clients can drive it:
#   - Redfish: outlet N is /redfish/v1/Systems/N (PowerState, and
#     Actions/ComputerSystem.Reset with On/ForceOn/ForceOff/GracefulShutdown/
#     ForceRestart/GracefulRestart/PowerCycle/PushPowerButton); basic auth or
#     a session token from /redfish/v1/SessionService/Sessions.
#   - ePowerSwitch-style hidden page: GET /hidden.htm[?P01=1&P02=0] answers
#     "Pnn=0|1<br>" per outlet (basic auth).
#   - IP-Power-9258-style: challenge login (/ and /tgi/login.tgi), the
#     /iocontrol.htm port-name page, and Set.cmd?CMD=GetPower|SetPower+P6x=v
#     (basic auth); outlets 1..8 are ports P60..P67.
# On every outlet change it runs `HOOK on N` / `HOOK off N` and waits for it,
# so an answer to "off" means the hook has finished cutting the power.
# It never decides anything for the cluster; it is lab tooling, stdlib only.
#
# SPDX-License-Identifier: GPL-2.0-or-later
import argparse
import base64
import hashlib
import http.server
import json
import os
import secrets
import shlex
import socketserver
import ssl
import subprocess
import sys
import threading
import time
import urllib.parse

REDFISH_OFF = {"ForceOff", "GracefulShutdown", "Off"}
REDFISH_ON = {"On", "ForceOn"}
REDFISH_CYCLE = {"ForceRestart", "GracefulRestart", "PowerCycle"}
IPPOWER_PORTS = 8
IPPOWER_BASE = 60


class Switch:
    """Outlet states, credentials, the hook; shared by all connections."""

    def __init__(self, args):
        self.lock = threading.Lock()
        self.n = args.outlets
        self.on = [True] * (self.n + 1)
        self.user = args.user
        self.password = args.password or ""
        self.hook = shlex.split(args.outlet_hook) if args.outlet_hook else None
        self.answer_delay = getattr(args, "answer_delay", 0)
        self.state_file = args.state
        self.verbose = args.verbose
        names = args.names.split(",") if args.names else []
        self.names = [""] + [names[i - 1] if i - 1 < len(names) else "node%d" % i
                             for i in range(1, self.n + 1)]
        self.sessions = set()
        self.cookies = set()
        self.challenges = set()
        self.changes = 0
        self.write_state()

    def log(self, msg):
        if self.verbose:
            print("vigil-pdu-sim: " + msg, file=sys.stderr, flush=True)

    def valid(self, outlet):
        return 1 <= outlet <= self.n

    def set(self, outlet, on):
        """Switch one outlet; runs the hook only when the state changes."""
        with self.lock:
            if self.on[outlet] == on:
                return
            self.on[outlet] = on
            self.changes += 1
            self.log("outlet %d %s" % (outlet, "on" if on else "off"))
            if self.hook:
                try:
                    subprocess.run(self.hook + ["on" if on else "off", str(outlet)],
                                   timeout=60, check=False)
                except (OSError, subprocess.TimeoutExpired) as e:
                    print("vigil-pdu-sim: outlet hook failed: %s" % e, file=sys.stderr)
            self.write_state()

    def cycle(self, outlet):
        self.set(outlet, False)
        self.set(outlet, True)

    def write_state(self):
        if not self.state_file:
            return
        tmp = self.state_file + ".tmp"
        with open(tmp, "w") as f:
            for i in range(1, self.n + 1):
                f.write("%d %s %s\n" % (i, "on" if self.on[i] else "off", self.names[i]))
        os.replace(tmp, self.state_file)

    def check_basic(self, header):
        if self.user is None:
            return True
        if not header or not header.startswith("Basic "):
            return False
        try:
            raw = base64.b64decode(header[6:].strip()).decode()
        except (ValueError, UnicodeDecodeError):
            return False
        user, _, pw = raw.partition(":")
        return user == self.user and pw == self.password


class Handler(http.server.BaseHTTPRequestHandler):
    server_version = "vigil-pdu-sim/1"
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        self.server.switch.log("%s %s" % (self.address_string(), fmt % args))

    # ---------------------------------------------------------- plumbing
    def reply(self, code, body=b"", ctype="text/html", headers=None):
        if isinstance(body, str):
            body = body.encode()
        self.send_response(code)
        if body or code != 204:
            self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def json(self, code, obj, headers=None):
        self.reply(code, json.dumps(obj), "application/json", headers)

    def unauthorized(self):
        self.reply(401, "<html>401 Unauthorized</html>",
                   headers={"WWW-Authenticate": 'Basic realm="vigil-pdu-sim"'})

    def body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(min(n, 65536)) if n > 0 else b""

    def basic_ok(self):
        return self.server.switch.check_basic(self.headers.get("Authorization"))

    def do_GET(self):
        self.route("GET")

    def do_POST(self):
        self.route("POST")

    def do_DELETE(self):
        self.route("DELETE")

    def route(self, method):
        path, _, query = self.path.partition("?")
        if path.startswith("/redfish"):
            return self.redfish(method, path.rstrip("/") or "/", query)
        handlers = {
            ("GET", "/hidden.htm"): self.eps_page,
            ("GET", "/"): self.ippower_login_page,
            ("POST", "/tgi/login.tgi"): self.ippower_login,
            ("GET", "/iocontrol.htm"): self.ippower_iocontrol,
            ("GET", "/Set.cmd"): self.ippower_cmd,
            ("GET", "/state"): self.state_page,
        }
        fn = handlers.get((method, path))
        if fn is None:
            return self.reply(404, "<html>404 Not Found</html>")
        return fn(query)

    def state_page(self, _query):
        sw = self.server.switch
        with sw.lock:
            text = "".join("%d %s\n" % (i, "on" if sw.on[i] else "off")
                           for i in range(1, sw.n + 1))
        self.reply(200, text, "text/plain")

    # ----------------------------------------------------------- redfish
    def redfish_authed(self):
        sw = self.server.switch
        tok = self.headers.get("X-Auth-Token")
        if tok and tok in sw.sessions:
            return True
        return self.basic_ok()

    def redfish(self, method, path, query):
        sw = self.server.switch
        parts = path.split("/")[1:]  # redfish, v1, ...
        if parts[:2] != ["redfish", "v1"]:
            return self.json(404, {"error": "not found"})
        rest = parts[2:]
        if method == "GET" and rest == []:
            return self.json(200, {
                "@odata.id": "/redfish/v1", "Id": "RootService",
                "RedfishVersion": "1.6.0", "Name": "vigil-pdu-sim",
                "Systems": {"@odata.id": "/redfish/v1/Systems"},
                "SessionService": {"@odata.id": "/redfish/v1/SessionService"},
                "Links": {"Sessions": {"@odata.id": "/redfish/v1/SessionService/Sessions"}}})
        if rest[:2] == ["SessionService", "Sessions"]:
            return self.redfish_sessions(method, rest[2:])
        if not self.redfish_authed():
            return self.json(401, {"error": "authentication required"},
                             {"WWW-Authenticate": 'Basic realm="vigil-pdu-sim"'})
        if rest == ["SessionService"] and method == "GET":
            return self.json(200, {"@odata.id": "/redfish/v1/SessionService",
                                   "Sessions": {"@odata.id":
                                                "/redfish/v1/SessionService/Sessions"}})
        if rest == ["Systems"] and method == "GET":
            members = [{"@odata.id": "/redfish/v1/Systems/%d" % i}
                       for i in range(1, sw.n + 1)]
            return self.json(200, {"@odata.id": "/redfish/v1/Systems",
                                   "Members@odata.count": len(members),
                                   "Members": members})
        if len(rest) >= 2 and rest[0] == "Systems":
            try:
                outlet = int(rest[1])
            except ValueError:
                outlet = 0
            if not sw.valid(outlet):
                return self.json(404, {"error": "no such system"})
            if len(rest) == 2 and method == "GET":
                return self.redfish_system(outlet)
            if rest[2:] == ["Actions", "ComputerSystem.Reset"] and method == "POST":
                return self.redfish_reset(outlet)
        return self.json(404, {"error": "not found"})

    def redfish_system(self, outlet):
        sw = self.server.switch
        base = "/redfish/v1/Systems/%d" % outlet
        self.json(200, {
            "@odata.id": base, "Id": str(outlet), "Name": sw.names[outlet],
            "PowerState": "On" if sw.on[outlet] else "Off",
            "Actions": {"#ComputerSystem.Reset": {
                "target": base + "/Actions/ComputerSystem.Reset",
                "ResetType@Redfish.AllowableValues": sorted(
                    REDFISH_ON | REDFISH_OFF | REDFISH_CYCLE | {"PushPowerButton"})}}})

    def redfish_reset(self, outlet):
        sw = self.server.switch
        try:
            kind = json.loads(self.body() or b"{}").get("ResetType")
        except (ValueError, AttributeError):
            return self.json(400, {"error": "malformed JSON body"})
        if kind in REDFISH_ON:
            sw.set(outlet, True)
        elif kind in REDFISH_OFF:
            sw.set(outlet, False)
        elif kind in REDFISH_CYCLE:
            sw.cycle(outlet)
        elif kind == "PushPowerButton":
            sw.set(outlet, not sw.on[outlet])
        else:
            return self.json(400, {"error": "unsupported ResetType %r" % kind})
        if sw.on[outlet] and sw.answer_delay:
            # a slow switch: the node is powered again before the answer
            time.sleep(sw.answer_delay / 1000.0)
        return self.reply(204)

    def redfish_sessions(self, method, rest):
        sw = self.server.switch
        if method == "POST" and rest == []:
            try:
                cred = json.loads(self.body() or b"{}")
            except ValueError:
                return self.json(400, {"error": "malformed JSON body"})
            if sw.user is not None and (cred.get("UserName") != sw.user or
                                        cred.get("Password") != sw.password):
                return self.json(401, {"error": "invalid credentials"})
            tok = secrets.token_hex(16)
            sid = tok[:8]
            with sw.lock:
                sw.sessions.add(tok)
            loc = "/redfish/v1/SessionService/Sessions/" + sid
            return self.json(201, {"@odata.id": loc, "Id": sid},
                             {"X-Auth-Token": tok, "Location": loc})
        if method == "DELETE" and len(rest) == 1:
            tok = self.headers.get("X-Auth-Token")
            with sw.lock:
                sw.sessions.discard(tok)
            return self.reply(204)
        return self.json(405, {"error": "method not allowed"})

    # -------------------------------------------------------- ePowerSwitch
    def eps_page(self, query):
        sw = self.server.switch
        if not self.basic_ok():
            return self.unauthorized()
        # Like a simple embedded page: parameters it does not know (or
        # outlets it does not have) are ignored; the page shows the truth.
        for key, vals in urllib.parse.parse_qs(query).items():
            if len(key) < 2 or key[0] not in "Pp" or not key[1:].isdigit():
                continue
            outlet = int(key[1:])
            if sw.valid(outlet) and vals[-1] in ("0", "1"):
                sw.set(outlet, vals[-1] == "1")
        with sw.lock:
            lines = "".join("P%02d=%d<br>\n" % (i, 1 if sw.on[i] else 0)
                            for i in range(1, sw.n + 1))
        self.reply(200, "<html><body>\n" + lines + "</body></html>\n")

    # ------------------------------------------------------ IP Power 9258
    def ippower_login_page(self, _query):
        sw = self.server.switch
        ch = secrets.token_hex(8)
        with sw.lock:
            sw.challenges.add(ch)
        self.reply(200, "<html><body><form method=\"post\" action=\"/tgi/login.tgi\">\n"
                        "<input type=\"text\" name=\"Username\">\n"
                        "<input type=\"password\" name=\"Password\">\n"
                        "<input type=\"hidden\" name=\"Challenge\" value=\"%s\">\n"
                        "<input type=\"hidden\" name=\"Response\" value=\"\">\n"
                        "</form></body></html>\n" % ch)

    def ippower_login(self, _query):
        sw = self.server.switch
        form = urllib.parse.parse_qs(self.body().decode(errors="replace"))
        user = (form.get("Username") or [""])[-1]
        resp = (form.get("Response") or [""])[-1]
        want_user = sw.user if sw.user is not None else "admin"
        with sw.lock:
            ok = user == want_user and any(
                hashlib.md5((user + sw.password + ch).encode()).hexdigest() == resp
                for ch in sw.challenges)
        if not ok:
            return self.reply(200, "<html>Invalid User name or Password</html>\n")
        cookie = secrets.token_hex(8)
        with sw.lock:
            sw.cookies.add(cookie)
        self.reply(200, "<html>Welcome</html>\n",
                   headers={"Set-Cookie": "session=%s; Path=/" % cookie})

    def ippower_iocontrol(self, _query):
        sw = self.server.switch
        cookie = self.headers.get("Cookie") or ""
        vals = [c.strip().partition("=")[2] for c in cookie.split(";")]
        if not any(v in sw.cookies for v in vals):
            return self.reply(200, "<html>Cookie Time Out</html>\n")
        rows = []
        for p in range(1, IPPOWER_PORTS + 1):
            name = sw.names[p] if sw.valid(p) else ""
            rows.append("Power%d [%s]" % (p, name))
        self.reply(200, "<html><body><pre>\n" + "\n".join(rows) + "\n</pre></body></html>\n")

    def ippower_cmd(self, query):
        sw = self.server.switch
        if not self.basic_ok():
            return self.unauthorized()
        q = urllib.parse.unquote(query)
        if q == "CMD=GetPower":
            with sw.lock:
                vals = ",".join("P%d=%d" % (IPPOWER_BASE + p - 1,
                                            1 if sw.valid(p) and sw.on[p] else 0)
                                for p in range(1, IPPOWER_PORTS + 1))
            return self.reply(200, "<html>%s</html>" % vals)
        if q.startswith("CMD=SetPower"):
            out = []
            for item in q[len("CMD=SetPower"):].replace("+", " ").split():
                key, _, val = item.partition("=")
                try:
                    outlet = int(key[1:]) - IPPOWER_BASE + 1
                except ValueError:
                    outlet = 0
                if key[:1] not in "Pp" or not sw.valid(outlet) or val not in ("0", "1"):
                    return self.reply(400, "<html>bad port %s</html>" % key)
                sw.set(outlet, val == "1")
                out.append("P%d=%s" % (IPPOWER_BASE + outlet - 1, val))
            return self.reply(200, "<html>%s</html>" % ",".join(out))
        return self.reply(400, "<html>unknown command</html>")


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def parse_addr(s):
    host, _, port = s.rpartition(":")
    if not host or not port.isdigit():
        raise argparse.ArgumentTypeError("expected ADDR:PORT, got %r" % s)
    return host.strip("[]"), int(port)


def bind_all(listen):
    """One server per --listen address.  Later addresses with port 0 share
    the first one's port (a lab's switch answers on the host's loopback and
    on the lab bridge under one port); if that port is taken there, start
    over with another one."""
    for _ in range(20):
        servers = []
        try:
            for host, port in listen:
                if port == 0 and servers:
                    port = servers[0].server_address[1]
                servers.append(Server((host, port), Handler))
            return servers
        except OSError as e:
            for s in servers:
                s.server_close()
            if listen[0][1] != 0 or len(servers) == 0:
                sys.exit("vigil-pdu-sim: cannot listen on %s:%d: %s" % (host, port, e.strerror))
    sys.exit("vigil-pdu-sim: no port free on all of %s"
             % ", ".join("%s:%d" % a for a in listen))


def main():
    p = argparse.ArgumentParser(
        prog="vigil-pdu-sim",
        description="Simulated networked power switch (Redfish, ePowerSwitch-style "
                    "hidden page, IP-Power-9258-style Set.cmd) for vigil's lab and tests.")
    p.add_argument("--listen", type=parse_addr, metavar="ADDR:PORT",
                   action="append",
                   help="address to serve on (port 0 picks a free port); repeat to serve "
                        "the same outlets on several addresses (a later port 0 takes the "
                        "first address's port)")
    p.add_argument("--outlets", type=int, default=8, metavar="N",
                   help="number of outlets (default 8)")
    p.add_argument("--names", metavar="A,B,...",
                   help="outlet names shown by the IP-Power page (default node1..nodeN)")
    p.add_argument("--user", metavar="U", help="require this user (basic auth / login)")
    p.add_argument("--password", metavar="P", help="password for --user")
    p.add_argument("--outlet-hook", metavar="CMD",
                   help="run 'CMD on N' / 'CMD off N' on each outlet change")
    p.add_argument("--tls-listen", type=parse_addr, metavar="ADDR:PORT",
                   help="also serve HTTPS here (same outlets), --listen staying plain HTTP")
    p.add_argument("--tls-port-file", metavar="FILE",
                   help="write the port --tls-listen actually listens on to FILE")
    p.add_argument("--tls-cert", metavar="F", help="serve HTTPS with this certificate")
    p.add_argument("--tls-key", metavar="F", help="private key for --tls-cert")
    p.add_argument("--state", metavar="FILE",
                   help="keep 'N on|off NAME' lines for every outlet in FILE")
    p.add_argument("--port-file", metavar="FILE",
                   help="write the port actually listened on to FILE once ready")
    p.add_argument("--answer-delay", type=int, default=0, metavar="MS",
                   help="answer a Redfish reset that leaves the outlet on MS ms late "
                        "(a slow switch, for tests: the node is back before the answer)")
    p.add_argument("--verbose", action="store_true", help="log requests to stderr")
    # unknown options first: argparse would only say --listen is missing
    args, unknown = p.parse_known_args()
    if unknown:
        p.error("unrecognized arguments: %s" % " ".join(unknown))
    if not args.listen:
        p.error("the following arguments are required: --listen")
    if args.outlets < 1 or args.outlets > 1024:
        p.error("--outlets must be 1..1024")
    if bool(args.tls_cert) != bool(args.tls_key):
        p.error("--tls-cert and --tls-key go together")

    if args.tls_listen and not args.tls_cert:
        p.error("--tls-listen needs --tls-cert and --tls-key")
    switch = Switch(args)
    ctx = None
    if args.tls_cert:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(args.tls_cert, args.tls_key)
    plain = bind_all(args.listen)
    for s in plain:
        s.switch = switch
        if ctx is not None and not args.tls_listen:
            s.socket = ctx.wrap_socket(s.socket, server_side=True)
    srv = plain[0]
    servers = [(srv, args.port_file, args.listen[0][0])]
    servers += [(s, None, a[0]) for s, a in zip(plain[1:], args.listen[1:])]
    if args.tls_listen:
        tsrv = Server(args.tls_listen, Handler)
        tsrv.switch = switch
        tsrv.socket = ctx.wrap_socket(tsrv.socket, server_side=True)
        servers.append((tsrv, args.tls_port_file, args.tls_listen[0]))
    for s, port_file, host in servers:
        port = s.server_address[1]
        if port_file:
            tmp = port_file + ".tmp"
            with open(tmp, "w") as f:
                f.write("%d\n" % port)
            os.replace(tmp, port_file)
        switch.log("listening on %s:%d (%d outlets)" % (host, port, args.outlets))
    for s, _, _ in servers[1:]:
        threading.Thread(target=s.serve_forever, daemon=True).start()
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
