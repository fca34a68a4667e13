#!/usr/bin/env python3
"""`-profile 'test, docker'` (tester F16): Nextflow splits the option at
commas and keeps the blanks (ConfigBuilder: `profile.tokenize(',')`, the
CmdRun option is not trimmed), so ' docker' is not a declared profile and the
launch aborts with "Unknown configuration profile: ' docker'". The finding
is that error, with a hint that the blank is the cause; empty parts are
dropped, as tokenize does."""
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from testlib import Checks, nfp_binary, write_file  # noqa: E402

NFP = nfp_binary()
check = Checks()


def run(profile, pipe):
    p = subprocess.run([NFP, "check", "--no-settings", "--format", "gcc", "-profile", profile, pipe],
                       capture_output=True, text=True, timeout=60, env=dict(os.environ, NO_COLOR="1"))
    return p.returncode, [l for l in p.stdout.splitlines() if l.endswith("[unknown-profile]")]


with tempfile.TemporaryDirectory() as tmp:
    pipe = os.path.join(tmp, "pipe")
    write_file(pipe, "nextflow.config", "wave.enabled = true\n"
               "profiles {\n  test { params.x = 1 }\n  docker { docker.enabled = true }\n}\n")
    rc, hits = run("test, docker", pipe)
    check(rc == 1 and len(hits) == 1, "'test, docker': one error, exit 1: %d %r" % (rc, hits))
    check(hits and ": error: unknown configuration profile ' docker'" in hits[0] and "'docker' without spaces" in hits[0],
          "the blank is named as the cause: %r" % hits)
    rc, hits = run("test ,docker", pipe)
    check(rc == 1 and hits and "profile 'test '" in hits[0], "a trailing blank too: %d %r" % (rc, hits))
    rc, hits = run("test,docker", pipe)
    check(rc == 0 and not hits, "no blanks: fine: %d %r" % (rc, hits))
    rc, hits = run("test,,docker,", pipe)
    check(rc == 0 and not hits, "empty parts are dropped as tokenize does: %d %r" % (rc, hits))
check.finish()
