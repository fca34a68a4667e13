"""File-level semantics of the command line (issue 17 part 2): several PATHs
are several launches, a config below a pipeline is checked inside that
pipeline's launch for its own findings, standard input stands for the file
--stdin-filename names (includes resolve against that file's directory,
whatever the working directory), and -c still layers."""
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from testlib import Checks, nfp_binary, write_file  # noqa: E402

NFP = nfp_binary()
check = Checks()


def run(args, cwd, stdin=None):
    env = dict(os.environ, NO_COLOR="1", NXF_SYNTAX_PARSER="")
    env.pop("TOWER_ACCESS_TOKEN", None)
    p = subprocess.run([NFP] + args, cwd=cwd, input=stdin, capture_output=True, text=True, env=env)
    return p.returncode, p.stdout, p.stderr


def rules_at(out, prefix):
    """The [rule]s of the gcc lines about files starting with prefix."""
    return [l.rsplit("[", 1)[1].rstrip("]") for l in out.splitlines() if l.startswith(prefix)]


with tempfile.TemporaryDirectory() as top:
    repo = os.path.join(top, "repo")
    os.makedirs(os.path.join(repo, ".git"))
    write_file(repo, "p1/nextflow.config",
               "wave.enabled = true\ndocker.enabled = true\nincludeConfig 'conf/base.config'\n"
               "profiles {\n  test { includeConfig 'conf/test.config' }\n}\n")
    write_file(repo, "p1/conf/base.config", "process.cpus = 2\nprocess.cpu = 2\n")
    write_file(repo, "p1/conf/test.config", "params.input = 'x'\nprocess {\n")
    write_file(repo, "p2/nextflow.config", "process.cpus = 1\n")
    write_file(repo, "p2/extra.config", "wave.enabled = true\n")
    elsewhere = os.path.join(top, "elsewhere")
    os.makedirs(elsewhere)
    common = ["check", "--format", "gcc", "--no-settings"]

    # stdin from an editor whose working directory is elsewhere: the buffer
    # (which differs from the disk) is base.config inside p1's launch
    buf = "process.cpus = 2\nprocess.memry = '1 GB'\n"
    name = os.path.join(repo, "p1", "conf", "base.config")
    rc, out, err = run(common + ["--stdin-filename", name, "-"], elsewhere, stdin=buf)
    check("include-not-found" not in out, "stdin elsewhere: no false include-not-found: " + out)
    check(rules_at(out, name + ":2:9:") == ["unknown-option"] and "memry" in out,
          "stdin elsewhere: the buffer's own finding, at the named file: " + out)
    check(not rules_at(out, os.path.join(repo, "p1", "nextflow.config")),
          "stdin elsewhere: only the named file's findings: " + out)
    # a relative --stdin-filename from another directory, and stdin as nextflow.config itself
    rc, out, err = run(common + ["--stdin-filename", "../repo/p1/nextflow.config", "-"], elsewhere,
                       stdin=open(os.path.join(repo, "p1", "nextflow.config")).read())
    check(rc == 0 and "include-not-found" not in out and "../repo/p1/conf/base.config:2:9:" in out,
          "stdin as nextflow.config from elsewhere: its include is found and checked: %d %s %s" % (rc, out, err))
    rc, out, err = run(common + ["--stdin-filename", "x/nextflow.config", "-"], elsewhere,
                       stdin="includeConfig 'inc.config'\n")
    check(rc == 1 and "resolved to 'x/inc.config'" in out,
          "a missing include resolves against the named file's directory: " + out)

    # an included file named on the command line: its own findings only
    rc, out, err = run(common + ["p1/conf/base.config"], repo)
    check(rules_at(out, "p1/conf/base.config:2:9:") == ["unknown-option"] and not rules_at(out, "p1/nextflow.config"),
          "included file: checked in its launch, own findings only: " + out)

    # several PATHs are several launches: p2 has Wave off, whatever p1 says
    rc, out, err = run(common + ["p1", "p2/nextflow.config"], repo)
    check("p2/nextflow.config:1:1: warning: Wave is not enabled" in out, "two launches: p2's Wave is off: " + out)
    check(not any(l.startswith("p1/") and "wave-not-enabled" in l for l in out.splitlines()),
          "two launches: p1's Wave is on: " + out)
    # PATHs of one pipeline are one launch, checked once
    rc, out, err = run(common + ["p1/nextflow.config", "p1/conf/base.config", "p1"], repo)
    check(out.count("p1/conf/base.config:2:9:") == 1, "one pipeline, one launch: each finding once: " + out)
    # -c still layers: p2 with extra.config on top has Wave on
    rc, out, err = run(common + ["p2/nextflow.config", "-c", "p2/extra.config"], repo)
    check("wave-not-enabled" not in out, "-c layers: Wave on from the layer: " + out)
    # two files given as PATHs are not layers
    rc, out, err = run(common + ["p2/nextflow.config", "p2/extra.config"], repo)
    check("p2/nextflow.config:1:1: warning: Wave is not enabled" in out, "PATHs are not layers: " + out)

    # an include the launch does not read (its profile is not selected):
    # syntax only, with -v saying so; inside the launch with -profile test
    rc, out, err = run(common + ["-v", "p1/conf/test.config"], repo)
    check(rc == 1 and rules_at(out, "p1/conf/test.config:3:1:") == ["syntax-error"] and len(out.splitlines()) == 1,
          "unread include: its syntax error, nothing else: " + out)
    check("not read by the launch of p1/nextflow.config" in err, "-v says the include is not read: " + err)
    # without -v too, unless -q (tester F11: a silent pass read as "checked")
    rc, out, err = run(common + ["p1/conf/test.config"], repo)
    check("not read by the launch of p1/nextflow.config" in err, "the note without -v: " + err)
    rc, out, err = run(common + ["-q", "p1/conf/test.config"], repo)
    check("not read" not in err, "-q: no note: " + err)
    # an nf-test folder's nextflow.config (a module's tests/, loaded by main.nf.test
    # on top of the pipeline's config) is no launch: no wave-not-enabled there (tester F23)
    write_file(repo, "p1/modules/m/tests/nextflow.config", "process { withName: 'M' { ext.prefix = null } }\n")
    write_file(repo, "p1/modules/m/tests/main.nf.test", "nextflow_process { }\n")
    write_file(repo, "p1/modules/n/t/nextflow.config", "process { withName: 'N' { ext.prefix = null } }\n")
    write_file(repo, "p1/modules/n/t/main.nf.test", "nextflow_process { }\n")
    for cfg in ("p1/modules/m/tests/nextflow.config", "p1/modules/n/t/nextflow.config"):
        rc, out, err = run(common + [cfg], repo)
        check(rc == 0 and "wave-not-enabled" not in out and "not read by the launch of p1/nextflow.config" in err,
              "nf-test config %s is no launch: %s %s" % (cfg, out, err))
    # a nextflow.config in an ordinary folder is still a launch of its own
    write_file(repo, "p1/sub/nextflow.config", "docker.enabled = true\n")
    rc, out, err = run(common + ["p1/sub/nextflow.config"], repo)
    check("p1/sub/nextflow.config:1:1: warning: Wave is not enabled" in out, "a plain nextflow.config is a launch: " + out)
    rc, out, err = run(common + ["-profile", "test", "p1/conf/test.config"], repo)
    check(rules_at(out, "p1/conf/test.config:3:1:") == ["syntax-error"] and "not read" not in err,
          "-profile test: the include is read by the launch: %s %s" % (out, err))


    # a Nextflow script is never parsed as a config: main.nf is checked in its
    # pipeline's launch (directory form) for its own findings (tester F21)
    write_file(repo, "p3/nextflow.config", "wave.enabled = true\ndocker.enabled = true\n")
    write_file(repo, "p3/modules/a/main.nf",
               "process A {\n    container 'quay.io/Org/Tool:1'\n    input:\n    val x\n    script:\n    'true'\n}\n")
    write_file(repo, "p3/modules/b/main.nf",
               "process B {\n    container 'quay.io/org/tool:1'\n    output:\n    path 'x'\n    script:\n    'true'\n}\n")
    write_file(repo, "lone/x.nf", "process X {\n    input:\n    val x\n    script:\n    'true'\n}\n")
    rc, out, err = run(common + ["p3"], repo)
    whole = rules_at(out, "p3/modules/a/main.nf:2:")
    check(whole != [], "the pipeline's check has a finding on modules/a/main.nf:2: " + out)
    rc, out, err = run(common + ["p3/modules/a/main.nf"], repo)
    check("syntax-error" not in out and "v2-incompatible" not in out, "main.nf is not parsed as a config: " + out)
    check(rules_at(out, "p3/modules/a/main.nf:2:") == whole and
          all(l.startswith("p3/modules/a/main.nf:") for l in out.splitlines()),
          "main.nf: its own findings, as in the pipeline's check, nothing else: " + out)
    rc, out, err = run(common + ["p3/modules/b/main.nf"], repo)
    check(rc == 0 and out == "", "a clean module: no output, exit 0: %d %s %s" % (rc, out, err))
    rc, out, err = run(common + ["--stdin-filename", os.path.join(repo, "p3/modules/b/main.nf"), "-"], elsewhere,
                       stdin=open(os.path.join(repo, "p3/modules/b/main.nf")).read())
    check(rc == 0 and "syntax-error" not in out, "stdin named main.nf: not parsed as a config: %d %s" % (rc, out))
    rc, out, err = run(common + ["lone/x.nf"], repo)
    check("syntax-error" not in out and "v2-incompatible" not in out,
          "a script with no nextflow.config above: not parsed as a config: %d %s %s" % (rc, out, err))

    # fix: several PATHs are fixed each on its own, and need --write or --diff
    rc, out, err = run(["fix", "--no-settings", "p1/nextflow.config", "p2/nextflow.config"], repo)
    check(rc == 2 and "--write or --diff" in err, "fix with two PATHs and no --write: usage error: " + err)
    rc, out, err = run(["fix", "--no-settings", "--write", "p2/nextflow.config", "p1/nextflow.config"], repo)
    check(rc == 0 and "enabled = true" in open(os.path.join(repo, "p2", "nextflow.config")).read(),
          "fix --write with two PATHs fixes p2: %d %s" % (rc, err))
    # config and images show one launch
    rc, out, err = run(["config", "--no-settings", "p1", "p2"], repo)
    check(rc == 2 and "one PATH" in err, "config with two PATHs: usage error: " + err)

check.finish()
