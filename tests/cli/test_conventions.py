"""The command-line conventions linters share (issue 17 part 3): --select and
--ignore (ids, names, prefixes, ALL; syntax errors always kept), --statistics,
--format markdown, -q/--quiet, did-you-mean for a misspelt command, option or
rule, options that do not apply to the command (exit 2), and `--` ending the
options. Exit codes of the existing cases stay as documented."""
import json
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from testlib import Checks, nfp_binary, write_file  # noqa: E402

NFP = nfp_binary()
check = Checks()


def run(args, cwd):
    env = dict(os.environ, NO_COLOR="1", NXF_SYNTAX_PARSER="")
    env.pop("TOWER_ACCESS_TOKEN", None)
    p = subprocess.run([NFP] + args, cwd=cwd, capture_output=True, text=True, env=env)
    return p.returncode, p.stdout, p.stderr


def rules(out):
    return sorted(re.findall(r"\[([a-z0-9-]+)\]$", out, re.M))


with tempfile.TemporaryDirectory() as d:
    os.mkdir(os.path.join(d, ".git"))
    # wave-not-enabled (NFP009, warning), unknown-option (NFP011, warning) twice
    write_file(d, "p/nextflow.config", "process.cpu = 2\nprocess.memry = '1 GB'\n")
    write_file(d, "bad.config", "process {\n")
    write_file(d, "-dash/nextflow.config", "wave.enabled = true\n")
    base = ["check", "--no-settings", "--format", "gcc"]

    rc, out, err = run(base + ["p"], d)
    check(rules(out) == ["unknown-option", "unknown-option", "wave-not-enabled"], "baseline findings: " + out)
    # --select / --ignore: names, ids (any case), prefixes, comma lists, ALL
    for sel, want in (("unknown-option", ["unknown-option"] * 2), ("NFP009", ["wave-not-enabled"]),
                      ("nfp009", ["wave-not-enabled"]), ("wave-", ["wave-not-enabled"]),
                      ("NFP009,unknown-option", ["unknown-option", "unknown-option", "wave-not-enabled"]),
                      ("ALL", ["unknown-option", "unknown-option", "wave-not-enabled"])):
        rc, out, err = run(base + ["--select", sel, "p"], d)
        check(rules(out) == want, "--select %s: %s" % (sel, out))
    rc, out, err = run(base + ["--ignore", "unknown", "p"], d)
    check(rules(out) == ["wave-not-enabled"] and rc == 0, "--ignore by name prefix: %d %s" % (rc, out))
    rc, out, err = run(base + ["--select", "NFP0", "--ignore", "NFP009", "p"], d)
    check(rules(out) == ["unknown-option", "unknown-option"], "--ignore wins over --select: " + out)
    rc, out, err = run(base + ["--select=wave-not-enabled", "--select", "unknown-option", "p"], d)
    check(len(rules(out)) == 3, "--select repeated adds up: " + out)
    # what is not reported does not fail the run; syntax errors are never hidden
    rc, out, err = run(base + ["--fail-on", "warning", "--ignore", "ALL", "p"], d)
    check(rc == 0 and out == "", "--ignore ALL: nothing reported, exit 0: %d %s" % (rc, out))
    rc, out, err = run(base + ["--ignore", "syntax-error", "bad.config"], d)
    check(rc == 1 and rules(out) == ["syntax-error"], "a syntax error is always reported: %d %s" % (rc, out))
    rc, out, err = run(base + ["--select", "wave-nto-enabled", "p"], d)
    check(rc == 2 and "did you mean 'wave-not-enabled'" in err, "misspelt rule: exit 2 with a suggestion: " + err)
    rc, out, err = run(base + ["--select", "NFP9", "p"], d)
    check(rc == 2 and "unknown rule" in err, "a selector no rule has: exit 2: " + err)

    # --statistics: count per rule, most first, then the summary line
    rc, out, err = run(base + ["--statistics", "p"], d)
    lines = out.splitlines()
    check(rc == 0 and re.match(r"^\s*2\s+NFP011\s+unknown-option$", lines[0]) is not None
          and re.match(r"^\s*1\s+NFP009\s+wave-not-enabled \[fixable\]$", lines[1]) is not None
          and lines[-1] == "0 errors, 3 warnings, 0 info", "--statistics text: %r" % out)
    rc, out, err = run(["check", "--no-settings", "--format", "json", "--statistics", "p"], d)
    stats = json.loads(out)
    check([(x["rule_id"], x["count"]) for x in stats] == [("NFP011", 2), ("NFP009", 1)],
          "--statistics json: %r" % stats)
    rc, out, err = run(["check", "--no-settings", "--format", "sarif", "--statistics", "p"], d)
    check(rc == 2 and "--statistics" in err, "--statistics with sarif: usage error: " + err)

    # -q: the summary line only, same exit code
    rc, out, err = run(base + ["-q", "--fail-on", "warning", "p"], d)
    check(rc == 1 and out == "0 errors, 3 warnings, 0 info\n", "-q: %d %r" % (rc, out))
    rc, out, err = run(["check", "--no-settings", "--quiet", "--format", "json", "p"], d)
    check(rc == 2, "-q with json: usage error: " + err)

    # --format markdown: the verdict heading and a table, untrusted text escaped
    write_file(d, "m/nextflow.config", "process.container = 'Bad|<img src=x> [a](http://x)'\n")
    rc, out, err = run(["check", "--no-settings", "--format", "markdown", "p", "m"], d)
    check(out.startswith("## nf-preflight: BLOCK (1 error)") and "| Severity | Location | Rule | Message |" in out,
          "markdown: heading and table: " + out)
    check("p/nextflow.config:1:9" in out and "unknown-option" in out, "markdown: a finding's row: " + out)
    row = [l for l in out.splitlines() if l.startswith("|") and "m/nextflow.config" in l and "image" in l]
    check(len(row) == 1 and len(re.findall(r"(?<!\\)\|", row[0])) == 5,
          "markdown: the config's | does not break the row's cells: %r" % row)
    check("<img" not in out and re.search(r"(?<!\\)\]\(", out) is None,
          "markdown: no HTML or link from the config: " + out)

    # did-you-mean for commands and options; inapplicable options
    rc, out, err = run(["chek", "p"], d)
    check(rc == 2 and "unknown command 'chek'; did you mean 'check'?" in err, "misspelt command: " + err)
    rc, out, err = run(["check", "--formt", "json", "p"], d)
    check(rc == 2 and "unknown option '--formt'; did you mean '--format'?" in err, "misspelt option: " + err)
    rc, out, err = run(["check", "--formt=json", "p"], d)
    check(rc == 2 and "did you mean '--format'" in err, "misspelt option with =value: " + err)
    rc, out, err = run(["check", "--write", "p"], d)
    check(rc == 2 and "--write does not apply to 'check'" in err and "fix" in err, "check --write: " + err)
    rc, out, err = run(["rules", "--profile", "x"], d)
    check(rc == 2 and "does not apply to 'rules'" in err, "rules --profile: " + err)
    rc, out, err = run(["fix", "--statistics", "p"], d)
    check(rc == 2, "fix --statistics: usage error: " + err)
    # a PATH that merely looks like a command is still a PATH
    write_file(d, "chek/nextflow.config", "wave.enabled = true\n")
    rc, out, err = run(base + ["chek"], d)
    check(rc == 0 and "unknown command" not in err, "an existing directory named like a command: %d %s" % (rc, err))

    # `--` ends the options
    rc, out, err = run(base + ["--", "-dash"], d)
    check(rc == 0 and "unknown option" not in err, "-- then a PATH starting with -: %d %s" % (rc, err))
    rc, out, err = run(base + ["-dash"], d)
    check(rc == 2 and "unknown option '-dash'" in err, "without --, -dash is an option: " + err)

    # existing exit codes: 3 for a missing file, 1 for findings at --fail-on
    rc, out, err = run(base + ["missing.config"], d)
    check(rc == 3, "missing file: exit 3 (%d)" % rc)
    rc, out, err = run(base + ["--fail-on", "warning", "p"], d)
    check(rc == 1, "findings at --fail-on: exit 1 (%d)" % rc)

check.finish()
