"""Integrations: cmake --install layout, pre-commit hooks, the GitHub Action and
shell completions. Each check runs the real thing where it can."""
import os
import shlex
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from testlib import Checks  # noqa: E402

import yaml

SRC = os.environ["NFP_SRC"]
BUILD = os.environ["NFP_BUILD"]
NFP = os.environ["NFP"]
check = Checks()


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, **kw)


# cmake --install into a temporary prefix: binary, man page, completions.
with tempfile.TemporaryDirectory() as prefix:
    r = run(["cmake", "--install", BUILD, "--prefix", prefix])
    check(r.returncode == 0, "cmake --install: " + r.stderr)
    binary = os.path.join(prefix, "bin", "nf-preflight")
    check(os.access(binary, os.X_OK), "installed binary")
    check(os.path.isfile(os.path.join(prefix, "share", "man", "man1", "nf-preflight.1")), "man page")
    check(os.path.isfile(os.path.join(prefix, "share", "bash-completion", "completions", "nf-preflight")),
          "bash completion")
    # zsh's compiled-in fpath has <prefix>/share/zsh/site-functions (the
    # Debian package moves it to vendor-completions: tests/dist/deb-install.sh)
    check(os.path.isfile(os.path.join(prefix, "share", "zsh", "site-functions", "_nf-preflight")),
          "zsh completion")
    r = run([binary, "--version"])
    check(r.returncode == 0 and r.stdout.startswith("nf-preflight "), "installed binary runs")
    r = run(["man", "-l", os.path.join(prefix, "share", "man", "man1", "nf-preflight.1")],
            env=dict(os.environ, MANWIDTH="80", PAGER="cat"))
    check(r.returncode == 0 and "EXIT STATUS" in r.stdout, "man page renders")

# pre-commit hooks: valid manifest; the check hook's entry runs on a bad file
# with the file appended (as pre-commit does) and fails; the fix hook fixes.
with open(os.path.join(SRC, ".pre-commit-hooks.yaml")) as f:
    hooks = yaml.safe_load(f)
ids = {h["id"]: h for h in hooks}
check(set(ids) == {"nf-preflight", "nf-preflight-fix", "nf-preflight-bin", "nf-preflight-fix-bin"}, "hook ids")
# the -bin hooks run the release binary through a script of this repository
for hid in ("nf-preflight-bin", "nf-preflight-fix-bin"):
    script_path = os.path.join(SRC, shlex.split(ids[hid]["entry"])[0])
    check(ids[hid]["language"] == "script" and os.access(script_path, os.X_OK), "binary hook " + hid)
    check(ids[hid]["entry"].split()[1:] == ids[hid.replace("-bin", "")]["entry"].split()[1:],
          "binary hook %s runs the same command as the system one" % hid)
for h in hooks:
    check(all(k in h for k in ("id", "name", "entry", "language", "files")), "hook keys " + h["id"])
with tempfile.TemporaryDirectory() as d:
    bad = os.path.join(d, "nextflow.config")
    with open(bad, "w") as f:
        f.write("process {\n    cpus = 2\n")
    entry = shlex.split(ids["nf-preflight"]["entry"])
    entry[0] = NFP
    r = run(entry + [bad])
    check(r.returncode == 1 and "syntax-error" in r.stdout, "check hook fails on a syntax error")
    with open(bad, "w") as f:
        f.write("process.cpus = 2\n")
    r = run(entry + ["--no-settings", bad])
    check(r.returncode == 0, "check hook passes on a good file: " + r.stdout + r.stderr)

# GitHub Action: a composite action that builds, annotates and uploads SARIF.
with open(os.path.join(SRC, "action.yml")) as f:
    action = yaml.safe_load(f)
check(action["runs"]["using"] == "composite", "composite action")
steps = action["runs"]["steps"]
check(any("fetch-release.sh" in s.get("run", "") for s in steps), "action downloads the release binary")
check("build-from-source" in action["inputs"] and "version" in action["inputs"], "action inputs version, build-from-source")
check(any("--format sarif" in s.get("run", "") for s in steps), "action writes SARIF")
check(any("--format github" in s.get("run", "") for s in steps), "action annotates")
check(any(s.get("uses", "").startswith("github/codeql-action/upload-sarif") for s in steps), "action uploads")
check(all("shell" in s for s in steps if "run" in s), "composite run steps name a shell")

# bash completion: commands, formats and rule names.
script = os.path.join(SRC, "completions", "nf-preflight.bash")
bindir = os.path.dirname(NFP)


def complete(words):
    cmd = ("source %s; COMP_WORDS=(%s); COMP_CWORD=%d; _nf_preflight; printf '%%s\\n' \"${COMPREPLY[@]}\""
           % (shlex.quote(script), " ".join(shlex.quote(w) for w in words), len(words) - 1))
    r = run(["bash", "-c", cmd], env=dict(os.environ, PATH=bindir + os.pathsep + os.environ["PATH"]))
    return r.stdout.split()


check("check" in complete(["nf-preflight", "ch"]), "completes commands")
check(complete(["nf-preflight", "check", "--format", "sa"]) == ["sarif"], "completes formats")
check("wave-not-enabled" in complete(["nf-preflight", "explain", "wave-n"]), "completes rule names")
r = run(["zsh", "-n", os.path.join(SRC, "completions", "_nf-preflight")]) if os.path.exists("/usr/bin/zsh") else None
if r is not None:
    check(r.returncode == 0, "zsh completion parses")

check.finish()
