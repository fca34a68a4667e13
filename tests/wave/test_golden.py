"""Golden tests for the Wave rules and every `fix` injection shape.

Each file in tests/wave/cases/ (except base*.config helpers and *.args) is one
case; CASE.args holds extra command-line arguments. For a .config case the test
runs `fix ARGS CASE`, `fix --diff ARGS CASE` and `check -v ARGS CASE`; for a
.json/.yaml launch case `fix --launch CASE ARGS` and `check --launch CASE ARGS`.
Output is compared with tests/wave/expected/CASE.{fix,diff,check}. The check
output keeps only the rules of the Wave family, so that other families can grow
without touching these files.

NFP_REGEN=1 rewrites the expected files instead (review them with git diff)."""
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from testlib import nfp_binary  # noqa: E402

NFP = nfp_binary()
SRC = os.environ.get("NFP_SRC", os.path.join(os.path.dirname(__file__), "..", ".."))
HERE = os.path.join(SRC, "tests", "wave")
CASES = os.path.join(HERE, "cases")
EXPECTED = os.path.join(HERE, "expected")
REGEN = os.environ.get("NFP_REGEN") == "1"

RULES = {"wave-not-enabled", "wave-enabled-not-boolean", "fusion-requires-wave",
         "wave-freeze-requires-repository", "wave-mirror-requires-repository",
         "wave-mirror-freeze-conflict", "wave-invalid-strategy", "wave-repository-has-scheme",
         "wave-platform-token-missing", "wave-status", "dynamic-value", "syntax-error"}
RULE_TAG = re.compile(r"\[([a-z0-9-]+)\]$")

COMMON = ["--no-settings", "--clean-env"]


def run(args):
    p = subprocess.run([NFP] + args, cwd=CASES, capture_output=True)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def record(rc, out, err):
    return "# exit %d\n%s\n--- stderr\n%s" % (rc, out, err)


def only_wave_rules(text):
    keep = []
    for line in text.splitlines():
        m = RULE_TAG.search(line)
        if m and m.group(1) in RULES:
            keep.append(line)
    return "\n".join(keep) + ("\n" if keep else "")


def main():
    failures = 0
    names = sorted(f for f in os.listdir(CASES)
                   if not f.endswith(".args") and not f.startswith("base"))
    seen = set()
    for name in names:
        args_path = os.path.join(CASES, name + ".args")
        extra = open(args_path).read().split() if os.path.exists(args_path) else []
        launch = name.endswith((".json", ".yaml"))
        if launch:
            fix = ["fix"] + COMMON + ["--launch", name] + extra
            diff = ["fix", "--diff"] + COMMON + ["--launch", name] + extra
            check = ["check", "-v", "--format", "gcc"] + COMMON + ["--launch", name] + extra
        else:
            fix = ["fix"] + COMMON + extra + [name]
            diff = ["fix", "--diff"] + COMMON + extra + [name]
            check = ["check", "-v", "--format", "gcc"] + COMMON + extra + [name]
        results = {
            "fix": record(*run(fix)),
            "diff": record(*run(diff)),
        }
        rc, out, err = run(check)
        results["check"] = only_wave_rules(out + err)
        for kind, got in results.items():
            path = os.path.join(EXPECTED, "%s.%s" % (name, kind))
            seen.add(os.path.basename(path))
            if REGEN:
                with open(path, "w", newline="") as f:
                    f.write(got)
                continue
            if not os.path.exists(path):
                print("FAIL %s: no expected file %s (run with NFP_REGEN=1)" % (name, os.path.relpath(path, SRC)))
                failures += 1
                continue
            want = open(path, newline="").read()
            if want != got:
                print("FAIL %s.%s differs\n--- expected\n%s--- got\n%s" % (name, kind, want, got))
                failures += 1
    stale = [f for f in os.listdir(EXPECTED) if f not in seen]
    for f in stale:
        print("FAIL stale expected file %s" % f)
        failures += 1
    print("%d cases, %d failures%s" % (len(names), failures, " (regenerated)" if REGEN else ""))
    return 1 if failures else 0


sys.exit(main())
