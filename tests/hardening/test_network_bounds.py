"""--online never follows a registry's WWW-Authenticate realm to another host
(issue 15, item 10): a registry on 127.0.0.1 that names a token service on
another host (a link-local address, another name) is reported as
inconclusive and that host is never contacted; a realm on the registry's own
machine (127.0.0.1 or localhost, any port) is followed. The overall network deadline and the loopback/link-local refusal
are unit-tested in tests/unit/test_http.c."""
import os
import socket
import subprocess
import sys
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from testlib import Checks, accepted  # noqa: E402

NFP = os.environ["NFP"]
check = Checks()

trap = socket.socket()
trap.bind(("127.0.0.1", 0))
trap.listen(8)
trap.setblocking(False)
trap_port = trap.getsockname()[1]
REALM = {"value": ""}
hits = []


class Registry(BaseHTTPRequestHandler):
    def log_message(self, *a):
        pass

    def do_HEAD(self):
        hits.append(self.path)
        if self.path.startswith("/token"):
            self.send_response(200)
            self.end_headers()
            return
        self.send_response(401)
        self.send_header("WWW-Authenticate", 'Bearer realm="%s",service="reg"' % REALM["value"])
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self):
        hits.append(self.path)
        if self.path.startswith("/token"):
            body = b'{"token":"anon"}'
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        self.do_HEAD()


server = ThreadingHTTPServer(("127.0.0.1", 0), Registry)
port = server.server_address[1]
threading.Thread(target=server.serve_forever, daemon=True).start()


env = dict(os.environ, NO_COLOR="1", no_proxy="*")
for k in ("http_proxy", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
    env.pop(k, None)
with tempfile.TemporaryDirectory() as d:
    cfg = os.path.join(d, "nextflow.config")
    with open(cfg, "w") as f:
        f.write("wave.enabled = true\nprocess.container = '127.0.0.1:%d/org/tool:1'\n" % port)
    creds = os.path.join(d, "creds.yml")
    with open(creds, "w") as f:
        f.write("credentials:\n  - registry: quay.io\n    name: quay\n    user: org+bot\n")
    for realm in ("http://localhost:%d/token" % trap_port, "http://127.0.0.1:%d/token" % trap_port,
                  "http://169.254.169.254/token", "http://evil.example/token"):
        REALM["value"] = realm
        del hits[:]
        p = subprocess.run([NFP, "check", "--no-settings", "--clean-env", "--env", "TOWER_ACCESS_TOKEN=x",
                            "--credentials", creds, "--online", "--format", "gcc", cfg],
                           capture_output=True, text=True, timeout=60, env=env)
        out = p.stdout + p.stderr
        same_host = realm.startswith(("http://127.0.0.1:", "http://localhost:"))
        if same_host:
            # the registry's own machine (another port, another spelling of loopback): followed
            check(accepted(trap) >= 1, "a realm on the registry's own host is followed (%s)" % realm)
        else:
            check(accepted(trap) == 0, "realm %s: another host was contacted" % realm)
            check("token service on another host" in out, "realm %s: reported: %s" % (realm, out))
    REALM["value"] = "http://127.0.0.1:%d/token" % port
    del hits[:]
    p = subprocess.run([NFP, "check", "--no-settings", "--clean-env", "--env", "TOWER_ACCESS_TOKEN=x",
                            "--credentials", creds, "--online", "--format", "gcc", cfg],
                       capture_output=True, text=True, timeout=60, env=env)
    check(any(h.startswith("/token") for h in hits), "the registry's own token service is asked: %s" % hits)
server.shutdown()
trap.close()
check.finish()
