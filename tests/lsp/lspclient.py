"""A small Language Server Protocol client for the protocol tests and
bench/lsp_latency.py: starts `nf-preflight lsp`, frames messages with
Content-Length, and waits for replies and notifications with a timeout.
UTF-16 positions of Python strings come from utf16_col."""
import json
import os
import select
import subprocess
import time


def utf16_col(line_text, index):
    """UTF-16 code units before Python index `index` of line_text."""
    return len(line_text[:index].encode("utf-16-le")) // 2


def position(text, index, utf8=False):
    """LSP position of Python string index `index` in text."""
    line = text.count("\n", 0, index)
    start = text.rfind("\n", 0, index) + 1
    col = len(text[start:index].encode("utf-8")) if utf8 else utf16_col(text[start:], index - start)
    return {"line": line, "character": col}


class Client:
    def __init__(self, binary, cwd=None, extra_args=(), env=None):
        self.proc = subprocess.Popen([binary, "lsp"] + list(extra_args), stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=cwd, env=env)
        self.buf = b""
        self.next_id = 1
        self.notes = []          # notifications received and not yet taken

    def send_raw(self, data):
        self.proc.stdin.write(data)
        self.proc.stdin.flush()

    def send(self, obj):
        body = json.dumps(obj).encode()
        self.send_raw(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    def notify(self, method, params):
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def request(self, method, params, timeout=20):
        rid = self.next_id
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": rid, "method": method, "params": params})
        return self.wait_response(rid, timeout)

    def read_message(self, timeout):
        """One message, or None after `timeout` seconds or at end of output."""
        deadline = time.time() + timeout
        fd = self.proc.stdout.fileno()
        while True:
            head_end = self.buf.find(b"\r\n\r\n")
            if head_end >= 0:
                length = None
                for line in self.buf[:head_end].split(b"\r\n"):
                    name, _, value = line.partition(b":")
                    if name.strip().lower() == b"content-length":
                        length = int(value)
                if length is None:
                    raise ValueError("server sent a header without Content-Length")
                if len(self.buf) >= head_end + 4 + length:
                    body = self.buf[head_end + 4:head_end + 4 + length]
                    self.buf = self.buf[head_end + 4 + length:]
                    return json.loads(body)
            left = deadline - time.time()
            if left <= 0:
                return None
            ready, _, _ = select.select([fd], [], [], left)
            if not ready:
                return None
            chunk = os.read(fd, 65536)
            if not chunk:
                return None
            self.buf += chunk

    def wait_response(self, rid, timeout=20):
        deadline = time.time() + timeout
        while time.time() < deadline:
            m = self.read_message(deadline - time.time())
            if m is None:
                return None
            if "method" in m and "id" not in m:
                self.notes.append(m)
            elif m.get("id") == rid:
                return m
        return None

    def wait_notification(self, method, timeout=20, pred=None):
        """The first queued or incoming notification of `method` (matching pred)."""
        for i, m in enumerate(self.notes):
            if m["method"] == method and (pred is None or pred(m["params"])):
                return self.notes.pop(i)
        deadline = time.time() + timeout
        while time.time() < deadline:
            m = self.read_message(deadline - time.time())
            if m is None:
                return None
            if m.get("method") == method and "id" not in m and (pred is None or pred(m["params"])):
                return m
            if "method" in m and "id" not in m:
                self.notes.append(m)
        return None

    def settle(self):
        """Waits until the server has published everything it owes (its
        answer to a request comes after the re-check it does first) and
        forgets the notifications received so far."""
        self.request("nf-preflight/stats", {})
        self.notes.clear()

    def next_reply(self, timeout=20):
        """The next response (a message with an id and no method)."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            m = self.read_message(deadline - time.time())
            if m is None:
                return None
            if "method" not in m:
                return m
            self.notes.append(m)
        return None

    def initialize(self, root=None, utf8=False, options=None):
        caps = {"general": {"positionEncodings": ["utf-8", "utf-16"] if utf8 else ["utf-16"]}}
        params = {"processId": os.getpid(), "capabilities": caps,
                  "rootUri": "file://" + root if root else None}
        if options is not None:
            params["initializationOptions"] = options
        r = self.request("initialize", params)
        self.notify("initialized", {})
        return r

    def open(self, path, text, version=1):
        self.notify("textDocument/didOpen", {"textDocument": {
            "uri": "file://" + path, "languageId": "nextflow", "version": version, "text": text}})

    def diagnostics(self, path, timeout=20, version=None):
        uri = "file://" + path
        m = self.wait_notification("textDocument/publishDiagnostics", timeout,
                                   lambda p: p["uri"] == uri and (version is None or p.get("version") == version))
        return None if m is None else m["params"]["diagnostics"]

    def close(self, timeout=10):
        """shutdown + exit; returns the exit code."""
        self.request("shutdown", None)
        self.notify("exit", None)
        try:
            return self.proc.wait(timeout=timeout)
        finally:
            self.proc.stdout.close()
            self.proc.stderr.close()
            self.proc.stdin.close()
