"""End to end: `nf-preflight check --format F` on a fixture with a syntax
error, for every format report.c implements. Checks the shape each consumer
relies on (editors parse gcc lines, GitHub parses SARIF and workflow
commands, scripts read the JSON schema) rather than the exact parser message,
which belongs to the parser's own tests."""
import json
import os
import re
import subprocess
import sys
import tempfile

nfp, src = (os.environ.get(k) for k in ("NFP", "NFP_SRC"))
if not nfp or not src:
    print("skip: NFP/NFP_SRC not set")
    sys.exit(77)

fixture_dir = os.path.join(src, "tests", "report", "fixtures")
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)


def run(*args):
    # Run from the fixture directory so paths in the output are relative.
    p = subprocess.run([nfp, *args], cwd=fixture_dir, capture_output=True, text=True,
                       env={**os.environ, "NO_COLOR": "", "FORCE_COLOR": ""})
    return p.returncode, p.stdout, p.stderr


rc, out, err = run("rules")
nrules = len(out.splitlines()) - 1
check(rc == 0 and nrules > 0, f"rules: rc {rc}, {nrules} rules")

rc, out, err = run("check", "--format", "gcc", "unclosed.config")
lines = out.splitlines()
check(len(lines) >= 1, "gcc: no output")
check(all(re.fullmatch(r"unclosed\.config:\d+:\d+: (error|warning|info): .+ \[[a-z0-9-]+\]", l) for l in lines),
      f"gcc: line shape {lines!r}")
check(any(l.endswith("[syntax-error]") and ": error: " in l for l in lines), "gcc: no syntax-error")

rc, out, err = run("check", "--format", "text", "--color", "never", "unclosed.config")
check("\x1b[" not in out, "text --color never has escapes")
check(re.search(r"^\d+ errors?, \d+ warnings?, \d+ info$", out, re.M) is not None, "text: no summary line")
check(re.search(r"^ +\| +\^~*$", out, re.M) is not None, "text: no caret line")
rc, out, err = run("check", "--format", "text", "--color", "always", "unclosed.config")
check("\x1b[1;31merror:\x1b[0m" in out, "text --color always: no red error")

rc, out, err = run("check", "--format", "json", "unclosed.config")
try:
    doc = json.loads(out)
    check(doc["version"] == 1 and doc["tool"]["name"] == "nf-preflight", "json: header")
    check(doc["summary"]["error"] == sum(d["severity"] == "error" for d in doc["diagnostics"]), "json: summary")
    for d in doc["diagnostics"]:
        for key in ("path", "line", "column", "end_line", "end_column", "severity", "rule", "message"):
            check(key in d, f"json: diagnostic without {key}")
    check(any(d["rule"] == "syntax-error" and d["rule_id"] == "NFP001" and d["path"] == "unclosed.config"
              for d in doc["diagnostics"]), "json: no syntax-error")
except (ValueError, KeyError) as e:
    failures.append(f"json: {e!r}")

# code scanning wants paths relative to the repository root (when the tree is
# a git checkout; otherwise they stay as given)
def repo_relative(name):
    d = os.path.realpath(fixture_dir)
    while d != os.path.dirname(d):
        if os.path.exists(os.path.join(d, ".git")):
            return os.path.relpath(os.path.join(os.path.realpath(fixture_dir), name), d)
        d = os.path.dirname(d)
    return name


want_path = repo_relative("unclosed.config")
rc, out, err = run("check", "--format", "github", "unclosed.config")
check(re.search(r"^::error file=" + re.escape(want_path) + r",line=\d+,", out, re.M) is not None, f"github: {out!r}")

rc, out, err = run("check", "--format", "sarif", "unclosed.config")
try:
    doc = json.loads(out)
    uris = [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in doc["runs"][0]["results"]]
    check(uris and all(u == want_path for u in uris), f"sarif: uris {uris}")
except (ValueError, KeyError, IndexError) as e:
    failures.append(f"sarif: {e!r}")
if src:
    try:
        import jsonschema  # noqa: F401
        with tempfile.NamedTemporaryFile("w", suffix=".sarif", delete=False) as t:
            t.write(out)
        p = subprocess.run([sys.executable, os.path.join(src, "tests", "report", "check_sarif.py"), t.name,
                            os.path.join(src, "tests", "report", "sarif", "sarif-schema-2.1.0.json"), str(nrules)],
                           capture_output=True, text=True)
        os.unlink(t.name)
        check(p.returncode == 0, f"sarif: check_sarif failed: {p.stderr[-500:]}")
    except ImportError:
        print("note: jsonschema missing, SARIF schema not checked")

for f in failures:
    print("FAIL:", f)
print(f"{len(failures)} failed")
sys.exit(1 if failures else 0)
