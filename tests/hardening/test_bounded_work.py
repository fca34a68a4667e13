"""Bounded work on hostile input (issue 15, items 6 and 9): an include of a
device (/dev/zero, /dev/urandom, /dev/tty, /dev/stdin) or a FIFO is refused
at once with a message, never read without end or waited on; a selector
whose regular expression backtracks catastrophically is a finding on that
selector (exit 0/1), not "out of memory" with exit 3; a pipeline's .nf files
over 32 MiB in all are read up to the cap, and a not-checked warning names
the first file left out. Each run must finish well under the timeout."""
import os
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from testlib import Checks  # noqa: E402

NFP = os.environ["NFP"]
check = Checks()


def run(args, cwd, stdin=subprocess.DEVNULL):
    t0 = time.time()
    try:
        p = subprocess.run([NFP] + args, cwd=cwd, capture_output=True, text=True, timeout=20, stdin=stdin,
                           env=dict(os.environ, NO_COLOR="1"))
    except subprocess.TimeoutExpired:
        return None, 20.0
    return p, time.time() - t0


with tempfile.TemporaryDirectory() as d:
    fifo = os.path.join(d, "pipe.config")
    os.mkfifo(fifo)
    for target in ("/dev/zero", "/dev/urandom", "/dev/tty", "/dev/stdin", fifo):
        with open(os.path.join(d, "inc.config"), "w") as f:
            f.write("includeConfig '%s'\nwave.enabled = true\n" % target)
        for args in (["check", "--no-settings", "--format", "gcc"], ["config", "--no-settings"],
                     ["images", "--no-settings"]):
            # a pipe on standard input that nobody writes to: /dev/stdin must not wait on it
            r, w = os.pipe()
            p, took = run(args + ["inc.config"], d, stdin=r)
            os.close(r)
            os.close(w)
            check(p is not None and took < 10, "%s %s finishes (took %.1f s)" % (args[0], target, took))
            if p is not None:
                out = p.stdout + p.stderr
                check("cannot read included config file" in out or "is not read: it is a system file" in out, "%s %s: says why: %s" % (args[0], target, out[:300]))
    # fix on a FIFO as PATH (the include case is above)
    p, took = run(["fix", "--no-settings", "pipe.config"], d)
    check(p is not None and p.returncode == 3 and took < 10, "fix on a FIFO is refused at once")

    # a config of NUL bytes: one syntax-error finding per byte would be
    # unbounded output and memory; the parser stops after PARSE_MAX_ERRORS
    with open(os.path.join(d, "nul.config"), "wb") as f:
        f.write(b"\0" * (1 << 20))
    p, took = run(["check", "--no-settings", "--format", "gcc", "nul.config"], d)
    lines = p.stdout.splitlines() if p is not None else []
    check(p is not None and p.returncode == 1 and len(lines) <= 110,
          "a 1 MiB file of NUL bytes gives a bounded list of findings (%d lines)" % len(lines))
    check(any("more than 100 syntax errors" in x for x in lines), "the limit is named")

    # item 9: a selector that backtracks catastrophically
    with open(os.path.join(d, "nextflow.config"), "w") as f:
        f.write("process {\n  withName: '(A+)+$' { container = 'quay.io/x/y:1' }\n}\n")
    name = "A" * 40 + "B"
    with open(os.path.join(d, "main.nf"), "w") as f:
        f.write('process %s {\n  container "quay.io/a/b:1"\n  script: "echo"\n}\nworkflow { %s() }\n' % (name, name))
    for args in (["check", "--no-settings", "--format", "gcc", "."], ["images", "--no-settings", "."]):
        p, took = run(args, d)
        check(p is not None and p.returncode in (0, 1) and took < 10,
              "%s: a backtracking selector is not exit 3 (%s)" % (args[0], p and p.returncode))
        if p is not None and args[0] == "check":
            check("nextflow.config:2:" in p.stdout and "withName:(A+)+$" in p.stdout,
                  "the finding is on the selector: %s" % p.stdout)

# the .nf files of a pipeline are capped in total bytes (32 MiB, pipeline.h): the
# first file past the cap and every later one are not read, a not-checked
# warning names it, and a selector whose process may be in an unread file is
# not reported as matching nothing
with tempfile.TemporaryDirectory() as d:
    os.mkdir(os.path.join(d, "modules"))
    with open(os.path.join(d, "nextflow.config"), "w") as f:
        f.write("process.container = 'quay.io/org/base:1'\nprocess { withName: 'ZED' { cpus = 2 } }\n")
    pad = "// " + "x" * (20 << 20) + "\n"    # a one-line comment: quick to lex
    for name, body_pad in (("alpha", pad), ("beta", pad), ("zed", "")):
        with open(os.path.join(d, "modules", name[0] + ".nf"), "w") as f:
            f.write('process %s {\n  container "quay.io/org/%s:1"\n  script: "echo"\n}\n%s'
                    % (name.upper(), name, body_pad))
    for args, want_rc in ((["check", "--no-settings", "--wave-policy", "off", "--format", "gcc", "."], 0),
                          (["check", "--no-settings", "--wave-policy", "off", "--fail-on", "warning", "."], 1),
                          (["images", "--no-settings", "-v", "."], 0)):
        p, took = run(args, d)
        check(p is not None and took < 10, "%s: the .nf cap finishes (took %.1f s)" % (" ".join(args), took))
        if p is None:
            continue
        out = p.stdout + p.stderr
        check(p.returncode == want_rc, "%s: exit %d (got %d)" % (" ".join(args), want_rc, p.returncode))
        check("were not all read: more than 32 MiB" in out and "'./modules/b.nf' and the files after it" in out
              and "[not-checked]" in out, "%s: the warning names the cap and the first file: %s" % (args[0], out[:600]))
        check("selector-matches-nothing" not in out, "%s: ZED may be in an unread file: %s" % (args[0], out[:600]))
        if args[0] == "images":
            check("quay.io/org/alpha:1" in out and "beta:1" not in out and "zed:1" not in out,
                  "images: a.nf read, b.nf and z.nf not: %s" % out[:600])

check.finish()
