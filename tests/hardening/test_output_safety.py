"""Output safety (issue 15, item 11): text from a hostile config never
reaches a terminal or log as control characters (ESC, BEL, C1) in any format
or command, JSON and SARIF are always valid UTF-8 (invalid bytes become
U+FFFD), and a long one-line config gives a short report (snippets are cut
around the column, messages are capped)."""
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from testlib import Checks  # noqa: E402

NFP = os.environ["NFP"]
check = Checks()
CONTROL = [b"\x1b", b"\x07", b"\x9b", b"\xc2\x9b"]


def run(args, cwd):
    return subprocess.run([NFP] + args, cwd=cwd, capture_output=True, timeout=60,
                          env=dict(os.environ, NO_COLOR="1"))


with tempfile.TemporaryDirectory() as d:
    hostile = os.path.join(d, "hostile.config")
    with open(hostile, "wb") as f:
        f.write(b"params.title = \"\x1b]0;pwned\x07\x1b[31mred\xff\xfe\xc2\x9b\"\n"
                b"process.container = \"quay.io/a\x1b[2J:1\"\n"
                b"process.withName:'X\x1b[1m'.container = 'quay.io/b:1'\n"
                b"wave.enabled = true\n"
                b"docker.registry = 'quay.io\x07'\n"
                b"process.cpus = \"\x1b[5m\" }\n")
    runs = []
    for fmt in ("text", "gcc", "json", "sarif", "github"):
        runs.append(["check", "-v", "--no-settings", "--format", fmt, "hostile.config"])
    for fmt in ("flat", "canonical", "json"):
        runs.append(["config", "--no-settings", "--format", fmt, "hostile.config"])
    for fmt in ("text", "json"):
        runs.append(["images", "--no-settings", "--format", fmt, "hostile.config"])
    runs.append(["parse", "--tree", "hostile.config"])
    runs.append(["parse", "--tokens", "hostile.config"])
    runs.append(["fix", "--no-settings", "--diff", "hostile.config"])
    for args in runs:
        p = run(args, d)
        streams = [("stderr", p.stderr)]
        # fix --diff prints the user's own file back (its job); its notes must be clean
        if args[0] != "fix":
            streams.append(("stdout", p.stdout))
        for name, data in streams:
            bad = [c for c in CONTROL if c in data]
            check(not bad, "%s: raw control bytes %r on %s" % (" ".join(args[:5]), bad, name))
        if "json" in args or "sarif" in args:
            try:
                json.loads(p.stdout.decode("utf-8", errors="strict"))
                check(True, "")
            except (UnicodeDecodeError, ValueError) as e:
                check(False, "%s: not valid UTF-8 JSON: %s" % (" ".join(args[:5]), e))

    # a 20 MB one-line config with an error at its end: a short report
    big = os.path.join(d, "big.config")
    with open(big, "wb") as f:
        f.write(b"params.x = \"" + b"A" * (20 << 20) + b"\" }\n")
    for fmt in ("text", "gcc", "json", "sarif", "github"):
        p = run(["check", "--no-settings", "--format", fmt, "big.config"], d)
        size = len(p.stdout) + len(p.stderr)
        limit = 64 * 1024 if fmt != "sarif" else 256 * 1024   # SARIF carries the rule table
        check(p.returncode == 1 and size < limit, "%s report of a 20 MB line is %d bytes" % (fmt, size))
    p = run(["check", "--no-settings", "--format", "text", "big.config"], d)
    snippet = [l for l in p.stdout.decode().splitlines() if l.startswith(" 1 | ")]
    check(snippet and len(snippet[0]) < 200 and snippet[0].startswith(" 1 | \u2026"),
          "the snippet is cut around the column: %r" % (snippet[:1],))

    # a value quoted by a message is capped too
    longval = os.path.join(d, "longval.config")
    with open(longval, "w") as f:
        f.write("process.container = 'quay.io/%s:1 x'\n" % ("b" * (1 << 20)))
    p = run(["check", "--no-settings", "--format", "json", "longval.config"], d)
    check(len(p.stdout) < 64 * 1024, "a message quoting a 1 MB value is capped (%d bytes)" % len(p.stdout))

check.finish()
