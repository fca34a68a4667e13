#!/usr/bin/env python3
"""`nf-preflight prerun` without git: the launch's configuration read over
HTTPS (src/prerun_repo.c, the resolver's load hook). A real TLS server made
here, with a certificate for raw.githubusercontent.com from a test CA
(SSL_CERT_FILE), reached through a real CONNECT proxy (https_proxy), so the
GitHub raw layout is exercised as it is, with no network: nextflow.config at
the launch's revision, then its include as the resolver reaches it; no
Authorization header goes to that host; a revision without a nextflow.config
is not checked (fail open); nor is anything when the host fails to
serve an include."""
import http.server
import json
import os
import select
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import threading

sys.dont_write_bytecode = True   # keep the source tree clean
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from test_prerun import ECR_HOST, NFP, Trap, check, has, platform_double, start_double  # noqa: E402

OPENSSL = shutil.which("openssl")
RAW_HOST = "raw.githubusercontent.com"
FILES = {
    "/nfp-test/pipeline/v1/nextflow.config": "includeConfig 'conf/base.config'\ndocker.enabled = true\n",
    "/nfp-test/pipeline/v1/conf/base.config": "process.container = '%s/tool:1.0'\nprocess {\n  cpus = \n" % ECR_HOST,
    "/nfp-test/pipeline/v2/nextflow.config": "process.container = '%s/tool:1.0'\n" % ECR_HOST,
    "/nfp-test/pipeline/v3/nextflow.config": "includeConfig 'conf/boom.config'\n",
    "/nfp-test/pipeline/v4/nextflow.config": "includeConfig 'conf/none.config'\n",
}
BOOM = "/nfp-test/pipeline/v3/conf/boom.config"   # answered 500: the host failed, not the repository


def make_certs(tmp):
    """A CA and a certificate for RAW_HOST signed by it."""
    def run(*args):
        subprocess.run([OPENSSL] + list(args), cwd=tmp, check=True, capture_output=True)
    run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2",
        "-subj", "/CN=nfp test CA")
    run("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "srv.key", "-out", "srv.csr", "-subj", "/CN=" + RAW_HOST)
    with open(os.path.join(tmp, "ext.cnf"), "w") as f:
        f.write("subjectAltName=DNS:%s\n" % RAW_HOST)
    run("x509", "-req", "-in", "srv.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", "srv.pem",
        "-days", "2", "-extfile", "ext.cnf")
    return os.path.join(tmp, "ca.pem"), os.path.join(tmp, "srv.pem"), os.path.join(tmp, "srv.key")


class Raw(http.server.BaseHTTPRequestHandler):
    seen = []        # (path, Authorization header or None)

    def log_message(self, fmt, *args):
        pass

    def do_GET(self):
        Raw.seen.append((self.path, self.headers.get("Authorization")))
        body = FILES.get(self.path)
        if self.path == BOOM:
            self.send_response(500)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if body is None:
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        data = body.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def start_raw(cert, key):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Raw)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    server.socket = ctx.wrap_socket(server.socket, server_side=True)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


class Proxy:
    """A CONNECT proxy that sends every tunnel to the local TLS server."""

    def __init__(self, target_port):
        self.target = target_port
        self.connects = []
        self.listener = Trap(serve=self.tunnel)
        self.port = self.listener.port

    def tunnel(self, conn):
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = conn.recv(4096)
            if not chunk:
                conn.close()
                return
            head += chunk
        first = head.split(b"\r\n", 1)[0].decode("latin-1")
        self.connects.append(first)
        up = socket.create_connection(("127.0.0.1", self.target))
        conn.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
        socks = [conn, up]
        try:
            while True:
                ready, _, _ = select.select(socks, [], [], 10)
                if not ready:
                    break
                for s in ready:
                    data = s.recv(65536)
                    if not data:
                        return
                    (up if s is conn else conn).sendall(data)
        finally:
            conn.close()
            up.close()


def main():
    if not OPENSSL:
        print("SKIP: openssl is not installed")
        return
    tmp = tempfile.mkdtemp(prefix="nfp-prerun-https-")
    ca, cert, key = make_certs(tmp)
    raw = start_raw(cert, key)
    proxy = Proxy(raw.server_address[1])
    no_git = os.path.join(tmp, "empty-bin")
    os.makedirs(no_git)
    tmpdir = os.path.join(tmp, "tmpdir")
    os.makedirs(tmpdir)
    path = os.path.join(tmp, "workflows.json")
    with open(path, "w") as f:
        json.dump({"wfRaw": {"pipeline": "https://github.com/nfp-test/pipeline.git", "revision": "v1"},
                   "wfRaw2": {"pipeline": "https://github.com/nfp-test/pipeline", "revision": "v2"},
                   "wfRaw404": {"pipeline": "https://github.com/nfp-test/pipeline", "revision": "v404"},
                   "wfRaw500": {"pipeline": "https://github.com/nfp-test/pipeline", "revision": "v3"},
                   "wfRawNone": {"pipeline": "https://github.com/nfp-test/pipeline", "revision": "v4"}}, f)
    double, base = start_double(tmp, "--workflows", path)

    def prerun(wf, *args):
        env = {k: v for k, v in os.environ.items()
               if not k.startswith("TOWER_") and k.lower() not in ("https_proxy", "http_proxy", "all_proxy")}
        env.update({"TOWER_API_ENDPOINT": base, "TOWER_ACCESS_TOKEN": platform_double.GOOD_TOKEN,
                    "TOWER_WORKSPACE_ID": "1234", "TOWER_WORKFLOW_ID": wf, "NO_COLOR": "1", "PATH": no_git,
                    "TMPDIR": tmpdir, "SSL_CERT_FILE": ca, "https_proxy": "http://127.0.0.1:%d" % proxy.port,
                    "no_proxy": "127.0.0.1,localhost", "NO_PROXY": "127.0.0.1,localhost"})
        r = subprocess.run([NFP, "prerun", "--no-settings"] + list(args), env=env, capture_output=True, text=True,
                           timeout=60)
        return r.returncode, r.stdout.splitlines(), r.stderr

    try:
        # v1: nextflow.config, then its include, both over HTTPS; the
        # include's syntax error blocks, located in the include.
        rc, out, err = prerun("wfRaw")
        check(rc == 1 and out and out[0].startswith("nf-preflight: BLOCK") and
              any(line.startswith("conf/base.config:4:1: error:") and "[syntax-error]" in line for line in out) and
              not has(out, "nfp-repo-"), "v1 over HTTPS, named in the repository: %r %r" % (out, err))
        check(has(out, "warning:", "[not-checked]", "git is not on PATH", "only its configuration"),
              "the scripts are said not to be checked: %r" % out)
        paths = [p for p, _ in Raw.seen]
        check(paths == ["/nfp-test/pipeline/v1/nextflow.config", "/nfp-test/pipeline/v1/conf/base.config"],
              "the config, then its include, from the GitHub raw layout: %r" % paths)
        check(all(a is None for _, a in Raw.seen), "no Authorization header to the raw host: %r" % Raw.seen)
        check(proxy.connects and all(c.startswith("CONNECT %s:443 " % RAW_HOST) for c in proxy.connects),
              "reached raw.githubusercontent.com through the proxy: %r" % proxy.connects)
        # v2: clean; Wave on the compute environment (ECR on AWS Batch): only the warning.
        rc, out, err = prerun("wfRaw2")
        check(rc == 0 and out and out[0] == "nf-preflight: WARN (1 warning)", "v2 over HTTPS: %r %r" % (out, err))
        # A revision without nextflow.config: not checked, fail open; --strict blocks.
        rc, out, err = prerun("wfRaw404")
        check(rc == 0 and has(out, "[not-checked]"), "v404: fail open: %r %r" % (out, err))
        rc, out, err = prerun("wfRaw404", "--strict")
        check(rc == 1 and out and out[0].startswith("nf-preflight: BLOCK"), "v404 --strict: %r" % out)
        # An include the host fails to serve (500): no finding can be
        # trusted, so nothing is reported as checked (not an include error).
        rc, out, err = prerun("wfRaw500")
        check(rc == 0 and out and out[0] == "nf-preflight: WARN (1 warning)" and
              has(out, "nothing was checked", "boom.config", "HTTP 500", "[not-checked]") and
              not has(out, "error:"), "include failed by the host: %r %r" % (out, err))
        # An include the repository does not have (404): Nextflow fails on it too.
        rc, out, err = prerun("wfRawNone")
        check(rc == 1 and any(line.startswith("nextflow.config:1:") and "error:" in line and
                              "[include-not-found]" in line for line in out) and not has(out, "nfp-repo-"),
              "include missing from the repository: %r %r" % (out, err))
        check(not [n for n in os.listdir(tmpdir) if n.startswith("nfp-repo-")], "no temporary directory left")
    finally:
        double.kill()
        double.wait()
        raw.shutdown()
        proxy.listener.sock.close()
        shutil.rmtree(tmp, ignore_errors=True)
    check.finish()


if __name__ == "__main__":
    main()
