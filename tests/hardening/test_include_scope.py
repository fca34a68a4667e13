"""Includes cannot show other files, and cannot fan out without bound (issue
15, items 3 and 7). A repository's includeConfig of /proc/self/environ,
/sys, /dev, or of a file outside the project directory (a ~/.netrc, SSH key
or ~/.aws/credentials, directly, through `..` or through a symbolic link)
is reported as include-not-read and its text appears in no output of any
command or format; --allow-outside-includes reads outside files but never
/proc, /sys or /dev. A cycle through two spellings of one file is found by
device and inode; files that each include the next twice stop at the cap on
includes, and all the files together stop at the total input cap, well
under the timeout."""
import json
import os
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from testlib import Checks, nfp_binary, write_file  # noqa: E402

NFP = nfp_binary()
check = Checks()
CANARY = "Kq7Zt2Vx9Lm4"
# a .netrc whose second line a parser error would quote
NETRC = "machine example.org login canary password %s\ndefault login %s password x\n" % (CANARY, CANARY)


def run(args, cwd):
    t0 = time.time()
    try:
        p = subprocess.run([NFP] + args, cwd=cwd, capture_output=True, text=True, timeout=30,
                           stdin=subprocess.DEVNULL, env=dict(os.environ, NO_COLOR="1"))
    except subprocess.TimeoutExpired:
        return None, 30.0
    return p, time.time() - t0


OUTPUTS = [["check", "--format", "text"], ["check", "--format", "json"], ["check", "--format", "sarif"],
           ["check", "--format", "gcc"], ["check", "--format", "github"], ["config"], ["config", "--format", "json"],
           ["images"]]

with tempfile.TemporaryDirectory() as d:
    home = os.path.join(d, "home")
    netrc = write_file(home, ".netrc", NETRC)
    write_file(home, ".ssh/id_rsa", "params.key = '" + CANARY + "'\n")
    write_file(home, ".aws/credentials", "aws.secret = '" + CANARY + "'\n")
    repo = os.path.join(d, "repo")
    write_file(repo, "conf/base.config", "params.inside = 'read'\n")
    os.symlink(netrc, os.path.join(repo, "conf", "link.config"))
    outside = ["/proc/self/environ", "/sys/../sys", "/dev/zero", netrc,
               os.path.join(home, ".ssh", "id_rsa"), "../home/.aws/credentials", "conf/link.config"]
    text = "includeConfig 'conf/base.config'\n" + "".join("includeConfig '%s'\n" % p for p in outside)
    text += "wave.enabled = true\n"
    write_file(repo, "nextflow.config", text)
    for args in OUTPUTS:
        p, took = run(args + ["--no-settings", "nextflow.config"], repo)
        if not check(p is not None, "%s finishes" % args):
            continue
        out = p.stdout + p.stderr
        check(CANARY not in out, "%s: no outside file is shown: %s" % (args, out[:400]))
        check(p.returncode != 3, "%s: not exit 3 (%d)" % (args, p.returncode))
    p, _ = run(["check", "--no-settings", "--format", "json", "nextflow.config"], repo)
    found = json.loads(p.stdout)["diagnostics"] if p else []
    refused = [x for x in found if x.get("rule") == "include-not-read"]
    check(len(refused) == len(outside), "every outside include is reported (%d of %d): %s"
          % (len(refused), len(outside), [x.get("message") for x in found]))
    check(all(x.get("severity") == "info" for x in refused), "include-not-read is not a failure")
    check(any("system file" in x["message"] for x in refused if "/proc/self/environ" in x["message"]),
          "/proc is a system file")
    p, _ = run(["config", "--no-settings", "nextflow.config"], repo)
    check(p and "params.inside = 'read'" in p.stdout, "an include inside the project is still read")

    # the operator may allow outside files, never /proc, /sys, /dev
    p, _ = run(["config", "--no-settings", "--allow-outside-includes", "nextflow.config"], repo)
    check(p is not None and "params.key" in p.stdout, "--allow-outside-includes reads an outside file")
    check(p is not None and "include-not-read" in p.stderr and "environ" in p.stderr,
          "--allow-outside-includes still refuses /proc: %s" % (p and p.stderr[:300]))

    # a -c file the operator names is a root of its own: its includes next to it are read
    write_file(home, "site/site.config", "includeConfig 'more.config'\n")
    write_file(home, "site/more.config", "params.site = 'read'\n")
    p, _ = run(["config", "--no-settings", "nextflow.config", "-c", os.path.join(home, "site", "site.config")], repo)
    check(p is not None and "params.site = 'read'" in p.stdout, "includes next to a -c file are read")

    # a sub-config checked on its own reads its repository's ../../modules (the git work tree)
    gitrepo = os.path.join(d, "pipeline")
    os.makedirs(os.path.join(gitrepo, ".git"))
    write_file(gitrepo, "modules/m/nextflow.config", "params.module = 'read'\n")
    write_file(gitrepo, "workflows/w/nextflow.config", "includeConfig '../../modules/m/nextflow.config'\n")
    p, _ = run(["config", "--no-settings", "workflows/w/nextflow.config"], gitrepo)
    check(p is not None and "params.module = 'read'" in p.stdout, "an include inside the git work tree is read")

    # item 7: a cycle through two spellings of one file
    cyc = os.path.join(d, "cycle")
    write_file(cyc, "nextflow.config", "includeConfig './a.config'\n")
    write_file(cyc, "a.config", "includeConfig './/a.config'\nincludeConfig 'sub/../a.config'\n")
    os.makedirs(os.path.join(cyc, "sub"))
    p, took = run(["check", "--no-settings", "--format", "gcc", "nextflow.config"], cyc)
    check(p is not None and took < 10 and p.stdout.count("include-cycle") == 2,
          "a cycle through other spellings is found by inode (%.1f s): %s" % (took, p and p.stdout[:400]))

    # item 7: each file includes the next twice, 20 deep (2^20 includes unbounded)
    fan = os.path.join(d, "fan")
    for i in range(20):
        write_file(fan, "f%d.config" % i, "includeConfig 'f%d.config'\nincludeConfig 'f%d.config'\n" % (i + 1, i + 1))
    write_file(fan, "f20.config", "params.leaf = 1\n")
    for args in (["check", "--format", "gcc"], ["config"]):
        p, took = run(args + ["--no-settings", "f0.config"], fan)
        check(p is not None and took < 10, "%s: fan-out finishes (%.1f s)" % (args[0], took))
        check(p is not None and "more than 1000 includes in all" in p.stdout + p.stderr,
              "%s: the cap on includes is named: %s" % (args[0], p and (p.stdout + p.stderr)[-300:]))

    # the total input cap: one 2 MiB file included 200 times is 400 MiB of config
    big = os.path.join(d, "big")
    write_file(big, "big.config", "//" + "x" * (2 << 20) + "\n")
    write_file(big, "nextflow.config", "includeConfig 'big.config'\n" * 200)
    p, took = run(["check", "--no-settings", "--format", "gcc", "nextflow.config"], big)
    check(p is not None and "more than 256 MiB of config in all" in p.stdout and p.returncode != 3,
          "the cap on all input is named (%.1f s): %s" % (took, p and p.stdout[:300]))

check.finish()
