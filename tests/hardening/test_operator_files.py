"""Files the operator names (issue 15, item 6): PATH, -c, --launch,
--launch-config, --params-file, --settings, --credentials, --docker-config,
--auth-file, fix's PATH, -c and --launch, and a settings file found upward are
all read by one reader (source_read_file): a device (/dev/zero), a FIFO and a
file over the 128 MiB cap are each refused at once with a message that says
which and an exit status the man page documents (3 for what cannot be read, 2
for a settings file), never read without end, waited on or loaded whole.
Standard input is read to the same cap. Files that are each under the cap but
over 256 MiB together (config layers and params files) refuse the launch at
once (exit 3), naming the file that goes over. The oversize files are sparse,
so the test writes nothing large."""
import os
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from testlib import Checks, nfp_binary, write_file  # noqa: E402

NFP = nfp_binary()
check = Checks()
CAP = 128 << 20
SAYS = {"device": "is a FIFO, socket or device", "fifo": "is a FIFO, socket or device",
        "big": "larger than the 128 MiB cap"}


def run(args, cwd, stdin=subprocess.DEVNULL):
    t0 = time.time()
    try:
        p = subprocess.run([NFP] + args, cwd=cwd, capture_output=True, timeout=30, stdin=stdin,
                           env=dict(os.environ, NO_COLOR="1"))
    except subprocess.TimeoutExpired:
        return None, 30.0
    return p, time.time() - t0


with tempfile.TemporaryDirectory() as d:
    write_file(d, "ok.config", "wave.enabled = true\nprocess.container = 'quay.io/a/b:1'\n")
    os.mkfifo(os.path.join(d, "pipe.json"))
    with open(os.path.join(d, "big.json"), "wb") as f:
        f.truncate(CAP + 1)
    targets = {"device": "/dev/zero", "fifo": "pipe.json", "big": "big.json"}
    # (what, arguments with FILE standing for the target, the exit status)
    cases = [
        ("check PATH", ["check", "--no-settings", "FILE"], 3),
        ("check -c", ["check", "--no-settings", "-c", "FILE", "ok.config"], 3),
        ("check --launch", ["check", "--no-settings", "--launch", "FILE", "ok.config"], 3),
        ("check --launch-config", ["check", "--no-settings", "--launch-config", "FILE", "ok.config"], 3),
        ("check --params-file", ["check", "--no-settings", "--params-file", "FILE", "ok.config"], 3),
        ("check --settings", ["check", "--settings", "FILE", "ok.config"], 2),
        ("check --credentials", ["check", "--no-settings", "--credentials", "FILE", "ok.config"], 3),
        ("check --docker-config", ["check", "--no-settings", "--docker-config", "FILE", "ok.config"], 3),
        ("check --auth-file", ["check", "--no-settings", "--auth-file", "FILE", "ok.config"], 3),
        ("images --credentials", ["images", "--no-settings", "--credentials", "FILE", "ok.config"], 3),
        ("config PATH", ["config", "--no-settings", "FILE"], 3),
        ("parse FILE", ["parse", "FILE"], 3),
        ("fix PATH", ["fix", "--no-settings", "FILE"], 3),
        ("fix -c", ["fix", "--no-settings", "ok.config", "-c", "FILE"], 3),
        ("fix --launch", ["fix", "--no-settings", "--launch", "FILE", "ok.config"], 3),
    ]
    for what, args, status in cases:
        for kind, target in targets.items():
            p, took = run([target if a == "FILE" else a for a in args], d)
            check(p is not None and took < 20, "%s %s: finishes (took %.1f s)" % (what, kind, took))
            if p is None:
                continue
            out = (p.stdout + p.stderr).decode("utf-8", "replace")
            check(SAYS[kind] in out, "%s %s: says why: %s" % (what, kind, out[:300]))
            check(p.returncode == status, "%s %s: exit %d, not %d" % (what, kind, p.returncode, status))

    # a settings file found upward that is a FIFO is not waited on
    up = os.path.join(d, "up")
    write_file(up, "ok.config", "wave.enabled = true\n")
    os.mkfifo(os.path.join(up, ".nf-preflight.yml"))
    p, took = run(["check", "-v", "ok.config"], up)
    check(p is not None and took < 20, "a FIFO as .nf-preflight.yml is not waited on (took %.1f s)" % took)

    # standard input: read up to the cap, then refused (exit 3), from a device
    # and from a pipe that never ends
    with open("/dev/zero", "rb") as zero:
        p, took = run(["check", "--no-settings", "-"], d, stdin=zero)
    check(p is not None and p.returncode == 3 and b"128 MiB cap" in p.stderr,
          "standard input from /dev/zero stops at the cap: %r" % (p and p.stderr[:200]))
    with open(os.path.join(d, "big.json"), "rb") as big:
        p, took = run(["check", "--no-settings", "-"], d, stdin=big)
    check(p is not None and p.returncode == 3 and b"128 MiB cap" in p.stderr, "an oversize file on stdin stops at the cap")

    # the files the operator names together: each under the one-file cap, over
    # the 256 MiB cap for all config and params of one launch; refused whole
    # before any is read (sparse files: nothing large is written or read)
    for name in ("l1.config", "l2.config", "l3.config", "p1.json", "p2.json", "p3.json"):
        with open(os.path.join(d, name), "wb") as f:
            f.truncate(100 << 20)
    totals = [
        ("check -c x3", ["check", "--no-settings", "-c", "l1.config", "-c", "l2.config", "-c", "l3.config",
                         "ok.config"], "l3.config"),
        ("check --params-file x3", ["check", "--no-settings", "--params-file", "p1.json", "--params-file",
                                    "p2.json", "--params-file", "p3.json", "ok.config"], "p3.json"),
        ("check -c and --params-file", ["check", "--no-settings", "-c", "l1.config", "-c", "l2.config",
                                        "--params-file", "p1.json", "ok.config"], "p1.json"),
        ("check --launch-config", ["check", "--no-settings", "-c", "l1.config", "-c", "l2.config",
                                   "--launch-config", "l3.config", "ok.config"], "l3.config"),
        ("config -c x3", ["config", "--no-settings", "-c", "l1.config", "-c", "l2.config", "-c", "l3.config",
                          "ok.config"], "l3.config"),
        ("images -c x3", ["images", "--no-settings", "-c", "l1.config", "-c", "l2.config", "-c", "l3.config",
                          "ok.config"], "l3.config"),
        ("fix -c x3", ["fix", "--no-settings", "ok.config", "-c", "l1.config", "-c", "l2.config", "-c",
                       "l3.config"], "l3.config"),
    ]
    for what, args, first_over in totals:
        p, took = run(args, d)
        check(p is not None and took < 20, "%s: refused at once (took %.1f s)" % (what, took))
        if p is None:
            continue
        err = p.stderr.decode("utf-8", "replace")
        check(p.returncode == 3, "%s: exit 3, not %d" % (what, p.returncode))
        check(("%s: the config and params named for this launch are over the 256 MiB cap" % first_over) in err,
              "%s: names the cap and the file: %s" % (what, err[:300]))

check.finish()
