"""Every shared-corpus pipeline that declares a `wave` profile is launched the
way nf-core tells people to use Wave: `-profile docker,wave` with a Platform
token in the environment. Such launches succeed, so nf-preflight must raise
no error on any of them (issue 14). Rules that fire here are named in the
failure so a regression points at its rule. Skips (77) without the corpus."""
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
for name in pipelines:
    p = subprocess.run([NFP, "check", "--no-settings", "-profile", "docker,wave", "--format", "json",
                        os.path.join(CORPUS, name)], capture_output=True, env=env, cwd=CORPUS)
    try:
        report = json.loads(p.stdout)
    except ValueError:
        check(False, "%s: output is JSON (exit %d): %s" % (name, p.returncode, p.stderr[:300]))
        continue
    errors = [d for d in report["diagnostics"] if d["severity"] == "error"]
    check(not errors, "%s: no error under -profile docker,wave, got %s" %
          (name, ["%s:%d %s" % (d["path"], d["line"], d["rule"]) for d in errors]))
    check(p.returncode == 0, "%s: exit 0 under -profile docker,wave (got %d)" % (name, p.returncode))
check.finish()
