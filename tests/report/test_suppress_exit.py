"""Inline suppressions, unused-suppression, exit codes for every --fail-on
threshold, --exit-zero, -o, and .nf-preflight.yml discovery and precedence,
all through the CLI."""
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from testlib import Checks, write_file  # noqa: E402

NFP = os.environ["NFP"]
check = Checks()


def run(args, cwd=None):
    p = subprocess.run([NFP] + args, capture_output=True, text=True, cwd=cwd,
                       env=dict(os.environ, NO_COLOR="1"))
    return p.returncode, p.stdout, p.stderr


def rules(args, cwd=None):
    rc, out, err = run(["check", "--format", "json", "--no-settings"] + args, cwd)
    return rc, [(d["rule"], d["line"]) for d in json.loads(out)["diagnostics"]]


with tempfile.TemporaryDirectory() as d:
    def write(name, text):
        return write_file(d, name, text)

    # baseline: a misspelled option (warning), Wave off (warning)
    base = write("base.config", "wave.enable = true\nprocess.cpus = 2\n")
    rc, found = rules([base])
    check(("unknown-option", 1) in found and ("wave-not-enabled", 1) in found, "baseline findings %s" % found)

    # ignore[...] on the line before a statement
    f = write("before.config", "// nf-preflight: ignore[unknown-option] typo kept on purpose\n"
                               "wave.enable = true\nprocess.cpus = 2\n")
    rc, found = rules([f])
    check(not any(r == "unknown-option" for r, _ in found), "ignore before a statement: %s" % found)
    check(not any(r == "unused-suppression" for r, _ in found), "used suppression reported as unused")

    # trailing on the same line, by rule id
    f = write("trailing.config", "wave.enable = true // nf-preflight: ignore[NFP011]\nprocess.cpus = 2\n")
    rc, found = rules([f])
    check(not any(r == "unknown-option" for r, _ in found), "trailing ignore by id: %s" % found)

    # before a block: covers what is inside it, and only that
    f = write("block.config", "// nf-preflight: ignore[unknown-option]\n"
                              "process {\n    cpu = 2\n}\n"
                              "docker.enabeld = true\n")
    rc, found = rules([f])
    check(("unknown-option", 5) in found, "a suppression above a block leaks past it: %s" % found)
    check(("unknown-option", 3) not in found, "a suppression above a block misses its body: %s" % found)

    # file-ignore, anywhere in the file
    f = write("file.config", "process.cpus = 2\nwave.enable = true\n// nf-preflight: file-ignore[wave-not-enabled, unknown-option]\n")
    rc, found = rules([f])
    check(not any(r in ("wave-not-enabled", "unknown-option") for r, _ in found), "file-ignore: %s" % found)

    # an unused suppression is itself reported (info), at the comment
    f = write("unused.config", "wave.enabled = true\n// nf-preflight: ignore[unknown-option]\nprocess.cpus = 2\n")
    rc, found = rules([f])
    check(("unused-suppression", 2) in found, "unused suppression not reported: %s" % found)

    # syntax errors cannot be suppressed
    f = write("syntax.config", "// nf-preflight: file-ignore[syntax-error]\nprocess {\n")
    rc, found = rules([f])
    check(rc == 1 and any(r == "syntax-error" for r, _ in found), "syntax error suppressed: %s" % found)

    # exit codes by threshold: base has warnings only
    check(run(["check", "--no-settings", "--format", "gcc", base])[0] == 0, "warnings pass --fail-on error")
    check(run(["check", "--no-settings", "--format", "gcc", "--fail-on", "warning", base])[0] == 1, "--fail-on warning")
    info_only = write("info.config", "wave.enabled = true\n// nf-preflight: ignore[unknown-option]\n")
    check(run(["check", "--no-settings", "--format", "gcc", "--fail-on", "warning", info_only])[0] == 0,
          "an info finding fails --fail-on warning")
    check(run(["check", "--no-settings", "--format", "gcc", "--fail-on", "info", info_only])[0] == 1, "--fail-on info")
    check(run(["check", "--no-settings", "--format", "gcc", "--exit-zero", f])[0] == 0, "--exit-zero")
    check(run(["check", "--no-settings", "--fail-on", "sometimes", base])[0] == 2, "bad --fail-on is a usage error")
    check(run(["check", "--no-settings", "--bogus", base])[0] == 2, "unknown option is a usage error")
    check(run(["check", "--no-settings", os.path.join(d, "missing.config")])[0] == 3, "unreadable file exits 3")
    # a FIFO would block a reader until a writer comes: refused at once, also as an include
    fifo = os.path.join(d, "pipe.config")
    os.mkfifo(fifo)
    try:
        p = subprocess.run([NFP, "check", "--no-settings", fifo], capture_output=True, text=True, timeout=20)
        check(p.returncode == 3 and "FIFO" in p.stdout + p.stderr, "a FIFO is refused with exit 3: %d %s" % (p.returncode, p.stderr))
        inc = write("inc-fifo.config", "includeConfig 'pipe.config'\n")
        p = subprocess.run([NFP, "check", "--no-settings", "--format", "json", inc], capture_output=True, text=True,
                           timeout=20)
        msgs = [x["message"] for x in json.loads(p.stdout)["diagnostics"] if x["rule"] == "include-not-found"]
        check(len(msgs) == 1 and "FIFO" in msgs[0], "an included FIFO is refused once, saying why: %s" % msgs)
    except subprocess.TimeoutExpired:
        check(False, "a FIFO made nf-preflight hang")

    # -o FILE: the report goes there, nothing to stdout
    out = os.path.join(d, "report.json")
    rc, stdout, _ = run(["check", "--no-settings", "--format", "json", "-o", out, base])
    check(stdout == "" and json.load(open(out))["summary"]["warning"] >= 2, "-o writes the report")
    rc, _, err = run(["check", "--no-settings", "-o", os.path.join(d, "no-such-dir", "r.txt"), base])
    check(rc == 3, "-o into a missing directory exits 3")

    # settings: found from the checked file's directory up to the repository root
    repo = os.path.join(d, "repo")
    os.makedirs(os.path.join(repo, ".git"))
    write("repo/.nf-preflight.yml", "fail-on: warning\nrules:\n  wave-not-enabled: error\n")
    write("repo/sub/.nf-preflight.yml", "ignore: [unknown-option]\n")
    write(".nf-preflight.yml", "rules: {unknown-option: error}\n")    # above the repo root: never read
    cfg = write("repo/sub/nextflow.config", "wave.enable = true\n")
    rc, out, _ = run(["check", "--format", "json", cfg])
    diags = json.loads(out)["diagnostics"]
    check(not any(x["rule"] == "unknown-option" for x in diags), "closest settings file not used")
    cfg2 = write("repo/other/nextflow.config", "wave.enable = true\n")
    rc, out, _ = run(["check", "--format", "json", cfg2])
    diags = json.loads(out)["diagnostics"]
    sev = {x["rule"]: x["severity"] for x in diags}
    check(sev.get("wave-not-enabled") == "error" and rc == 1, "repository settings not applied: %s" % sev)
    check(sev.get("unknown-option") == "warning", "settings above the repository root were read: %s" % sev)
    # --settings wins over discovery; --no-settings ignores files
    explicit = write("explicit.yml", "rules:\n  unknown-option: info\n")
    rc, out, _ = run(["check", "--format", "json", "--settings", explicit, cfg2])
    sev = {x["rule"]: x["severity"] for x in json.loads(out)["diagnostics"]}
    check(sev.get("unknown-option") == "info" and sev.get("wave-not-enabled") == "warning", "--settings: %s" % sev)
    rc, out, _ = run(["check", "--format", "json", "--no-settings", cfg2])
    check(rc == 0, "--no-settings still applied a settings file")
    # an invalid settings file: exit 2 naming file, line and key
    broken = write("broken.yml", "rules:\n  wave-not-enabled: loud\n")
    rc, _, err = run(["check", "--settings", broken, cfg2])
    check(rc == 2 and "broken.yml:2:" in err, "invalid settings: rc %d, %s" % (rc, err.strip()))

    # `#` comments in a YAML launch file: they speak for the whole launch
    pipe = os.path.join(d, "pipe")
    write("pipe/nextflow.config", "process.cpus = 1\n")
    launch = write("launch.yaml", "# nf-preflight: ignore[wave-not-enabled] Wave comes from the compute environment\n"
                                  "launch:\n  configText: |\n    docker.enabeld = true\n")
    rc, found = rules(["--launch", launch, pipe])
    check(not any(r == "wave-not-enabled" for r, _ in found), "YAML suppression: %s" % found)
    check(any(r == "unknown-option" for r, _ in found), "YAML suppression removed another rule: %s" % found)
    launch2 = write("launch2.yaml", "launch:\n  configText: |  # nf-preflight: ignore[hardcoded-secret]\n"
                                   "    wave.enabled = true\n")
    rc, out, _ = run(["check", "--format", "json", "--no-settings", "--launch", launch2, pipe])
    found = [(x["rule"], x["path"], x["line"]) for x in json.loads(out)["diagnostics"]]
    check(("unused-suppression", launch2, 2) in found, "unused YAML suppression: %s" % found)

check.finish()
