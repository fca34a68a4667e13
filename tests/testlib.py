"""Shared pieces of the Python script tests: the binary under test and the
`../shared` data (skipping when absent), a file writer, a check counter that
ends with the "N passed, N failed" line, and the loopback registries of
registry.sh. Tests import it with sys.path pointing at tests/."""
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def nfp_binary():
    """The CLI under test: $NFP, which ctest sets. Exits 2 when it is unset."""
    nfp = os.environ.get("NFP")
    if not nfp:
        print("NFP is not set", file=sys.stderr)
        sys.exit(2)
    return nfp


def shared_dir(name):
    """$NFP_SHARED/name (e.g. "corpus"). When it is absent, as in a plain
    clone, says so and exits 77, which ctest counts as skipped."""
    path = os.path.join(os.environ.get("NFP_SHARED", ""), name)
    if not os.path.isdir(path):
        print("skipping: no %s at $NFP_SHARED/%s" % (name, name))
        sys.exit(77)
    return path


def write_file(directory, name, text):
    """Writes text to directory/name, creating the directories between;
    returns the file's path."""
    path = os.path.join(directory, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)
    return path


class Checks:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def __call__(self, cond, what):
        if cond:
            self.passed += 1
        else:
            self.failed += 1
            print("FAIL:", what)
        return cond

    def finish(self):
        print("%d passed, %d failed" % (self.passed, self.failed))
        sys.exit(1 if self.failed else 0)


def start_registries(work, on_missing=None):
    """Starts tests/integration/registry.sh in `work`; returns (process,
    {KEY: VALUE}) once it prints READY. When docker-registry is missing,
    calls on_missing() if given, else exits 77 (skipped)."""
    proc = subprocess.Popen(["sh", os.path.join(HERE, "integration", "registry.sh"), "serve", work],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    env = {}
    deadline = time.time() + 30
    while time.time() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        line = line.strip()
        if line == "READY":
            return proc, env
        key, sep, value = line.partition("=")
        if sep:
            env[key] = value
    proc.wait(timeout=10)
    if proc.returncode == 77:
        if on_missing:
            return on_missing()
        print("skipped: docker-registry is not installed")
        sys.exit(77)
    print("FAIL: registry.sh did not start (exit %s): %s" % (proc.returncode, proc.stderr.read()))
    sys.exit(1)


def stop(proc):
    if proc and proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def accepted(sock):
    """How many connections reached the non-blocking listening `sock` since
    the last call (each is accepted and closed): 0 means nothing connected."""
    n = 0
    while True:
        try:
            c, _ = sock.accept()
            c.close()
            n += 1
        except BlockingIOError:
            return n
