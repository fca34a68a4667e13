"""Integrations: cmake --install layout, pre-commit hooks, the GitHub Action and
shell completions. Each check runs the real thing where it can."""
import os
import re
import shlex
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from testlib import Checks, write_file  # noqa: E402

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
# the check hooks take configs but not nf-test's own settings file (tester F22),
# matched as pre-commit matches: `files` and not `exclude`, searched in the path
for hid in ("nf-preflight", "nf-preflight-bin"):
    def takes(path, h=ids[hid]):
        return bool(re.search(h["files"], path)) and not (h.get("exclude") and re.search(h["exclude"], path))
    check(takes("nextflow.config") and takes("conf/base.config") and takes("tests/nextflow.config"),
          "hook %s takes configs" % hid)
    check(not takes("nf-test.config") and not takes("sub/nf-test.config"),
          "hook %s leaves nf-test.config alone" % hid)


def hook_entry(hook_id):
    """The hook's command line with the binary under test for nf-preflight."""
    entry = shlex.split(ids[hook_id]["entry"])
    entry[0] = NFP
    return entry


with tempfile.TemporaryDirectory() as d:
    bad = os.path.join(d, "nextflow.config")
    with open(bad, "w") as f:
        f.write("process {\n    cpus = 2\n")
    entry = hook_entry("nf-preflight")
    r = run(entry + [bad])
    check(r.returncode == 1 and "syntax-error" in r.stdout, "check hook fails on a syntax error")
    with open(bad, "w") as f:
        f.write("process.cpus = 2\nwave.enabled = true\n")
    r = run(entry + ["--no-settings", bad])
    check(r.returncode == 0, "check hook passes on a good file: " + r.stdout + r.stderr)

# A repository with two pipelines (adapted from the lsp-precommit branch's
# hook script test; the grouping is now the command line's own, so the
# system and -bin hooks share it): pre-commit passes every staged config in
# one call; each pipeline must be its own launch (p1's conf/test.config turns
# Wave on and must not hide that p2 has it off), each launch checked once
# (p1's finding in base.config is reported once although two of p1's files
# are staged), an include not read by the default launch has its syntax
# checked, and the fix hook fixes each nextflow.config on its own.
with tempfile.TemporaryDirectory() as repo:
    os.mkdir(os.path.join(repo, ".git"))
    for rel, text in {"p1/nextflow.config": "wave.enabled = true\nincludeConfig 'conf/base.config'\n"
                                            "profiles {\n  slurm { includeConfig 'conf/slurm.config' }\n}\n",
                      "p1/conf/base.config": "process.cpus = 2\nprocess.cpu = 2\n",
                      "p1/conf/slurm.config": "process {\n  executor = 'slurm'\n",
                      "p1/conf/test.config": "wave.enabled = true\n",
                      "p2/nextflow.config": "process.cpus = 1\n"}.items():
        write_file(repo, rel, text)
    log = os.path.join(repo, "runs.log")
    spy = os.path.join(repo, "spy.sh")
    with open(spy, "w") as f:
        f.write('#!/bin/sh\necho "$*" >> %s\nexec %s "$@"\n' % (shlex.quote(log), shlex.quote(NFP)))
    os.chmod(spy, 0o755)
    staged = ["p1/conf/base.config", "p1/conf/slurm.config", "p1/conf/test.config", "p1/nextflow.config",
              "p2/nextflow.config"]
    entry = hook_entry("nf-preflight")
    entry[0] = spy
    r = run(entry + ["--no-settings"] + staged, cwd=repo)
    runs = open(log).read().splitlines() if os.path.exists(log) else []
    lines = r.stdout.splitlines()
    check(len(runs) == 1, "one hook run for every staged file: %r" % runs)
    check("p2/nextflow.config:1:1: warning: Wave is not enabled" in r.stdout
          and not any(l.startswith("p1/") and "wave-not-enabled" in l for l in lines),
          "p2's own launch has Wave off; p1's test.config does not leak into it: %s" % (r.stdout + r.stderr))
    check(sum("p1/conf/base.config:2:9:" in l and "[unknown-option]" in l for l in lines) == 1,
          "p1's launch checked once: its finding in base.config reported once: %s" % r.stdout)
    check(any(l.startswith("p1/conf/slurm.config:") and "[syntax-error]" in l for l in lines) and r.returncode == 1,
          "an include the default launch does not read: its syntax is checked: %s" % r.stdout)
    check(not any(l.startswith("p1/conf/test.config:") for l in lines),
          "test.config (not read by the default launch, syntax fine) has no finding: %s" % r.stdout)
    os.remove(log)
    entry = hook_entry("nf-preflight-fix")
    entry[0] = spy
    r = run(entry + ["p1/nextflow.config", "p2/nextflow.config"], cwd=repo)
    runs = open(log).read().splitlines() if os.path.exists(log) else []
    check(r.returncode == 0 and runs == ["fix --write p1/nextflow.config p2/nextflow.config"],
          "the fix hook: one run: %r %s" % (runs, r.stderr))
    check("enabled = true" in open(os.path.join(repo, "p2", "nextflow.config")).read(), "p2 fixed on its own")
    check(open(os.path.join(repo, "p1", "nextflow.config")).read().startswith("wave.enabled = true\ninclude"),
          "p1 unchanged (Wave already on)")

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
check(complete(["nf-preflight", "check", "--format", "ma"]) == ["markdown"], "completes the markdown format")
check("NFP009" in complete(["nf-preflight", "check", "--select", "NFP00"]), "completes --select rule ids")
# every option --help lists is in both completions
help_opts = set(re.findall(r"(?<![\w-])(--?[a-z][a-z-]*)", run([NFP, "--help"]).stdout))
bash_text = open(script).read()
zsh_text = open(os.path.join(SRC, "completions", "_nf-preflight")).read()
missing = sorted(o for o in help_opts if not re.search(r"(?<![\w-])%s(?![\w-])" % re.escape(o), bash_text))
check(not missing, "bash completion knows every option of --help: missing %s" % missing)
missing = sorted(o for o in help_opts if not re.search(r"(?<![\w-])%s(?![\w-])" % re.escape(o), zsh_text))
check(not missing, "zsh completion knows every option of --help: missing %s" % missing)
r = run(["zsh", "-n", os.path.join(SRC, "completions", "_nf-preflight")]) if os.path.exists("/usr/bin/zsh") else None
if r is not None:
    check(r.returncode == 0, "zsh completion parses")

check.finish()
