"""The SARIF checker used by tests/unit/test_report.c must itself catch what
GitHub code scanning would reject; otherwise that unit test could pass on a
broken document. fixtures/minimal.sarif is nf-preflight SARIF output cut down
to three rules; it must pass, and each mutation below must fail."""
import copy
import json
import os
import subprocess
import sys
import tempfile

src = os.environ.get("NFP_SRC")
if not src:
    print("skip: NFP_SRC not set")
    sys.exit(77)
try:
    import jsonschema  # noqa: F401
except ImportError:
    print("skip: python3 jsonschema not installed")
    sys.exit(77)

checker = os.path.join(src, "tests", "report", "check_sarif.py")
schema = os.path.join(src, "tests", "report", "sarif", "sarif-schema-2.1.0.json")
with open(os.path.join(src, "tests", "report", "fixtures", "minimal.sarif"), encoding="utf-8") as f:
    base = json.load(f)


def run_check(doc, nrules=3):
    with tempfile.NamedTemporaryFile("w", suffix=".sarif", delete=False, encoding="utf-8") as t:
        json.dump(doc, t)
        name = t.name
    try:
        return subprocess.run([sys.executable, checker, name, schema, str(nrules)],
                              capture_output=True, text=True).returncode
    finally:
        os.unlink(name)


def mutated(fn):
    doc = copy.deepcopy(base)
    fn(doc)
    return doc


def res(doc):
    return doc["runs"][0]["results"]


failures = []
if run_check(base) != 0:
    failures.append("the unmodified fixture fails")
if run_check(base, nrules=29) == 0:
    failures.append("a missing catalogue rule is not noticed")

mutations = {
    "ruleIndex points at another rule": lambda d: res(d)[0].update(ruleIndex=0),
    "level 'info' is not a SARIF level": lambda d: res(d)[0].update(level="info"),
    "startLine 0": lambda d: res(d)[0]["locations"][0]["physicalLocation"]["region"].update(startLine=0),
    "no endColumn": lambda d: res(d)[0]["locations"][0]["physicalLocation"]["region"].pop("endColumn"),
    "two locations": lambda d: res(d)[0]["locations"].append(res(d)[0]["locations"][0]),
    "version 2.0.0": lambda d: d.update(version="2.0.0"),
    "message without text": lambda d: res(d)[0].update(message={}),
    "duplicate rule id": lambda d: d["runs"][0]["tool"]["driver"]["rules"].__setitem__(
        2, copy.deepcopy(d["runs"][0]["tool"]["driver"]["rules"][1])),
}
for what, fn in mutations.items():
    if run_check(mutated(fn)) == 0:
        failures.append(f"not rejected: {what}")

for f in failures:
    print("FAIL:", f)
print(f"{len(mutations) + 2 - len(failures)} passed, {len(failures)} failed")
sys.exit(1 if failures else 0)
