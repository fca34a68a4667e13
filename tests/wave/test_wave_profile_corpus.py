"""Every shared-corpus pipeline that declares a `wave` profile is launched the
way nf-core tells people to use Wave: `-profile docker,wave` with a Platform
token in the environment. Such launches succeed, so nf-preflight must raise
no error on any of them (issue 14), with one exception that is itself true:
a pipeline whose config uses constructs Nextflow's strict (v2) parser rejects
aborts under the default parser of Nextflow 26.04+, so those are errors
(v2-incompatible) and nothing else; launched with the legacy parser
(`--syntax v1`, as NXF_SYNTAX_PARSER=v1 would) it must raise no error at all.
Rules that fire here are named in the failure so a regression points at its
rule. Skips (77) without the corpus."""
import json
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from testlib import Checks, nfp_binary, shared_dir  # noqa: E402

NFP = nfp_binary()
CORPUS = shared_dir("corpus")

# a `wave {` profile block or a `wave` profile in the profiles scope
WAVE_PROFILE = re.compile(r"^\s*wave\s*\{", re.M)

check = Checks()
env = dict(os.environ, TOWER_ACCESS_TOKEN="test-token-not-secret-0123456789")
env.pop("NXF_SYNTAX_PARSER", None)
pipelines = []
for name in sorted(os.listdir(CORPUS)):
    cfg = os.path.join(CORPUS, name, "nextflow.config")
    if not os.path.isfile(cfg):
        continue
    with open(cfg, encoding="utf-8", errors="replace") as f:
        if WAVE_PROFILE.search(f.read()):
            pipelines.append(name)

check(len(pipelines) >= 5, "the corpus has pipelines with a wave profile (found %d)" % len(pipelines))


def launch(name, *extra):
    """(exit code, error diagnostics) of check -profile docker,wave, or None."""
    p = subprocess.run([NFP, "check", "--no-settings", "-profile", "docker,wave", "--format", "json", *extra,
                        os.path.join(CORPUS, name)], capture_output=True, env=env, cwd=CORPUS)
    try:
        report = json.loads(p.stdout)
    except ValueError:
        check(False, "%s: output is JSON (exit %d): %s" % (name, p.returncode, p.stderr[:300]))
        return None
    return p.returncode, [d for d in report["diagnostics"] if d["severity"] == "error"]


def named(errors):
    return ["%s:%d %s" % (d["path"], d["line"], d["rule"]) for d in errors]


strict_only = 0
for name in pipelines:
    got = launch(name)
    if got is None:
        continue
    rc, errors = got
    other = [d for d in errors if d["rule"] != "v2-incompatible"]
    check(not other, "%s: no error under -profile docker,wave but v2-incompatible, got %s" % (name, named(other)))
    if len(errors) > len(other):
        strict_only += 1
        check(rc == 1, "%s: exit 1 under the strict parser, which rejects its config (got %d)" % (name, rc))
        got = launch(name, "--syntax", "v1")
        if got is None:
            continue
        rc, errors = got
        check(not errors, "%s: no error under the legacy parser, got %s" % (name, named(errors)))
    check(rc == 0, "%s: exit 0 under -profile docker,wave (got %d)" % (name, rc))
print("# %d of %d pipelines need the legacy parser" % (strict_only, len(pipelines)))
check.finish()
