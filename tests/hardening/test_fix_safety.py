"""Data safety of `fix` from the command line (issue 15, items 12-14): a
refused fix writes nothing (not even -o FILE), `fix PATH -c OTHER` edits PATH
and says so, no "turned Wave on" note before a write that fails, read-only
and hard-linked files are refused unless --force, a FIFO is refused at once.
The atomic write itself (owner, group, mode, signals, file-size limit) is
covered step by step in tests/unit/test_fix.c."""
import os
import stat
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from testlib import Checks  # noqa: E402

NFP = os.environ["NFP"]
check = Checks()


def run(args, cwd):
    return subprocess.run([NFP, "fix", "--no-settings"] + args, cwd=cwd, capture_output=True,
                          text=True, timeout=20, env=dict(os.environ, NO_COLOR="1"))


def read(path):
    with open(path) as f:
        return f.read()


def write(path, text):
    with open(path, "w") as f:
        f.write(text)


with tempfile.TemporaryDirectory() as d:
    # 12: a refused fix (syntax error) with -o naming the input keeps the input
    bad = os.path.join(d, "bad.config")
    write(bad, "wave.enabled = true }\n")
    p = run(["-o", "bad.config", "bad.config"], d)
    check(p.returncode == 1, "refused fix exits 1 (got %d)" % p.returncode)
    check(read(bad) == "wave.enabled = true }\n", "refused fix -o FILE FILE left FILE as it was")
    out = os.path.join(d, "out.txt")
    write(out, "keep me\n")
    run(["-o", "out.txt", "bad.config"], d)
    check(read(out) == "keep me\n", "refused fix does not truncate -o FILE")

    # 14: PATH is edited, not the -c file on top; the note names it
    a, b = os.path.join(d, "a.config"), os.path.join(d, "b.config")
    write(a, "process.cpus = 2\n")
    write(b, "process.memory = '1 GB'\n")
    p = run(["--write", "a.config", "-c", "b.config"], d)
    check(p.returncode == 0, "fix --write a -c b exits 0 (%s)" % p.stderr)
    check("enabled = true" in read(a), "a.config (PATH) was edited")
    check(read(b) == "process.memory = '1 GB'\n", "b.config (-c) was not edited")
    check("turned Wave on in a.config (written)" in p.stderr, "the note names the edited file: %s" % p.stderr)

    # 13/14: a read-only file is refused, nothing claims Wave was turned on
    ro = os.path.join(d, "ro.config")
    write(ro, "process.cpus = 2\n")
    os.chmod(ro, 0o444)
    p = run(["--write", "ro.config"], d)
    check(p.returncode == 3, "read-only refused with exit 3 (got %d)" % p.returncode)
    check("read-only" in p.stderr and "--force" in p.stderr, "the refusal says why: %s" % p.stderr)
    check("turned Wave on" not in p.stderr, "no 'turned Wave on' before a write that failed")
    check(read(ro) == "process.cpus = 2\n", "read-only file untouched")
    p = run(["--write", "--force", "ro.config"], d)
    check(p.returncode == 0 and "enabled = true" in read(ro), "--force writes a read-only file")
    check(stat.S_IMODE(os.stat(ro).st_mode) == 0o444, "and keeps its mode")

    # 13: a hard link is refused unless forced; forced, a warning names the cut-off link
    h1, h2 = os.path.join(d, "h1.config"), os.path.join(d, "h2.config")
    write(h1, "process.cpus = 2\n")
    os.link(h1, h2)
    p = run(["--write", "h1.config"], d)
    check(p.returncode == 3 and "hard links" in p.stderr, "hard link refused: %s" % p.stderr)
    check(read(h2) == read(h1) == "process.cpus = 2\n", "both names untouched")
    p = run(["--write", "--force", "h1.config"], d)
    check(p.returncode == 0 and "hard links" in p.stderr, "forced: a warning about the other name")
    check("enabled = true" in read(h1) and "enabled" not in read(h2), "only this name changed")

    # 6/13: fix on a FIFO returns at once
    fifo = os.path.join(d, "pipe.config")
    os.mkfifo(fifo)
    for extra in ([], ["--write"]):
        try:
            p = run(extra + ["pipe.config"], d)
            check(p.returncode == 3 and "is a FIFO, socket or device" in p.stderr, "FIFO refused: %s" % p.stderr)
        except subprocess.TimeoutExpired:
            check(False, "fix %s on a FIFO hangs" % extra)

    left = [f for f in os.listdir(d) if ".nfp-" in f]
    check(not left, "no temporary files left: %s" % left)

check.finish()
