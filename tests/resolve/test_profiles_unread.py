#!/usr/bin/env python3
"""`-profile NAME` that the config read does not define (issue: tester F1/F7).
Nextflow checks the names only after every include is read
(ConfigBuilder.checkValidProfile, called after all config files are merged),
so when some include was not read here (a remote include not fetched, a
refused, missing or dynamic include) the profile may come from it: a warning
at that include, never an error. With everything read it stays an error.
The same holds for check, images, config and prerun (tests/integration/
test_prerun_uncertain.py)."""
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from testlib import Checks, nfp_binary, write_file  # noqa: E402

NFP = nfp_binary()
check = Checks()


def run(cmd, args):
    fmt = ["--format", "gcc"] if cmd == "check" else []
    p = subprocess.run([NFP, cmd, "--no-settings"] + fmt + args, capture_output=True, text=True,
                       timeout=60, env=dict(os.environ, NO_COLOR="1"))
    return p.returncode, p.stdout + p.stderr


def findings(out, rule):
    return [l for l in out.splitlines() if l.endswith("[%s]" % rule)]


with tempfile.TemporaryDirectory() as tmp:
    outside = write_file(tmp, "elsewhere/site.config", "profiles { uppmax { process.cpus = 2 } }\n")
    cases = {
        "remote": "includeConfig 'https://raw.githubusercontent.com/nf-core/configs/master/nfcore_custom.config'\n",
        "refused": "includeConfig '%s'\n" % outside,
        "missing": "includeConfig 'conf/site.config'\n",
        "dynamic": "includeConfig \"${System.getenv('SITE')}/site.config\"\n",
    }
    for name, include in cases.items():
        pipe = os.path.join(tmp, name)
        write_file(pipe, "nextflow.config", include + "profiles { docker { docker.enabled = true } }\n")
        for cmd in ("check", "images", "config"):
            rc, out = run(cmd, ["-profile", "docker,uppmax", pipe])
            hits = findings(out, "unknown-profile")
            check(hits and all(": warning: " in h for h in hits), "%s %s: want a warning: %s" % (cmd, name, out))
            check(not any(": error: " in h for h in hits), "%s %s: unknown-profile is an error: %s" % (cmd, name, out))
            check(all("nextflow.config:1:" in h and "'uppmax'" in h and "may be defined in" in h for h in hits),
                  "%s %s: the warning names the profile and stands at the unread include: %s" % (cmd, name, out))
        if name == "remote":
            check("remote include 'https://raw.githubusercontent.com" in out, "the remote URL is named: %s" % out)

    # everything read: still an error (Nextflow aborts: Unknown configuration profile)
    pipe = os.path.join(tmp, "all-read")
    write_file(pipe, "conf/base.config", "process.cpus = 1\n")
    write_file(pipe, "nextflow.config", "includeConfig 'conf/base.config'\nprofiles { docker { docker.enabled = true } }\n")
    for cmd in ("check", "images", "config"):
        rc, out = run(cmd, ["-profile", "docker,uppmax", pipe])
        hits = findings(out, "unknown-profile")
        check(len(hits) == 1 and ": error: unknown configuration profile 'uppmax'" in hits[0] and rc == 1,
              "%s all read: want the error, exit 1: %d %s" % (cmd, rc, out))
    # a remote include that does not define it but was fetched would be read:
    # --remote-includes with an unreachable host leaves it unread (a warning)
    rc, out = run("check", ["-profile", "uppmax", os.path.join(tmp, "remote")])
    check(rc == 0, "remote, not fetched: exit 0: %d %s" % (rc, out))
check.finish()
