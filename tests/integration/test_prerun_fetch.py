#!/usr/bin/env python3
"""`nf-preflight prerun` without --pipeline: the launch's repository is
fetched at the launch's revision (src/prerun_repo.c). A real git repository made
here (init, commits, a tag, a bare copy) is cloned through the real `git`
binary; the untrusted-input rules (https only, local repositories only with
--allow-local-repository, no option-like revision), fail open when it cannot
be fetched, and the private temporary directory removed afterwards, also
when nf-preflight is killed in the middle of a clone."""
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

sys.dont_write_bytecode = True   # keep the source tree clean
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from test_prerun import NFP, ECR_HOST, Trap, check, has, platform_double, start_double, write_file  # noqa: E402

GIT = shutil.which("git")


def git(cwd, *args):
    env = dict(os.environ, GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL="/dev/null", GIT_AUTHOR_NAME="t",
               GIT_AUTHOR_EMAIL="t@example.org", GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.org")
    return subprocess.run([GIT] + list(args), cwd=cwd, env=env, check=True, capture_output=True,
                          text=True).stdout.strip()


def make_repository(tmp):
    """A pipeline whose tag v1 is clean, whose main branch later gains a
    syntax error: checking v1 and main give different verdicts."""
    work = os.path.join(tmp, "work")
    os.makedirs(work)
    git(work, "init", "-q", "-b", "main")
    write_file(work, "nextflow.config", "includeConfig 'conf/base.config'\ndocker.enabled = true\n")
    write_file(work, "conf/base.config", "process.container = '%s/tool:1.0'\n" % ECR_HOST)
    write_file(work, "main.nf", "workflow { }\n")
    git(work, "add", "-A")
    git(work, "commit", "-q", "-m", "one")
    first = git(work, "rev-parse", "HEAD")
    git(work, "tag", "v1")
    write_file(work, "conf/base.config", "process.container = '%s/tool:1.0'\nprocess {\n  cpus = \n" % ECR_HOST)
    git(work, "commit", "-q", "-am", "two")
    bare = os.path.join(tmp, "repo.git")
    git(tmp, "clone", "-q", "--bare", work, bare)
    return bare, first


def env_for(base, wf, tmpdir, path=None):
    env = {k: v for k, v in os.environ.items() if not k.startswith("TOWER_") and k != "NXF_SYNTAX_PARSER"}
    env.update({"TOWER_API_ENDPOINT": base, "TOWER_ACCESS_TOKEN": platform_double.GOOD_TOKEN,
                "TOWER_WORKSPACE_ID": "1234", "TOWER_WORKFLOW_ID": wf, "NO_COLOR": "1", "TMPDIR": tmpdir,
                "no_proxy": "127.0.0.1,localhost", "NO_PROXY": "127.0.0.1,localhost"})
    if path is not None:
        env["PATH"] = path
    return env


def prerun(base, wf, tmpdir, *args, path=None):
    r = subprocess.run([NFP, "prerun", "--no-settings"] + list(args), env=env_for(base, wf, tmpdir, path),
                       capture_output=True, text=True, timeout=120)
    return r.returncode, r.stdout.splitlines(), r.stderr


def leftovers(tmpdir, wait=5.0):
    """The nfp-repo-* directories still in tmpdir, after waiting up to
    `wait` seconds for the guardian to remove them."""
    end = time.time() + wait
    while True:
        left = [n for n in os.listdir(tmpdir) if n.startswith("nfp-repo-")]
        if not left or time.time() > end:
            return left
        time.sleep(0.1)


def main():
    if not GIT:
        print("SKIP: git is not installed")
        return
    tmp = tempfile.mkdtemp(prefix="nfp-prerun-fetch-")
    tmpdir = os.path.join(tmp, "tmpdir")
    os.makedirs(tmpdir)
    bare, first = make_repository(tmp)
    url = "file://" + bare
    hang = Trap(keep=True)   # a clone that never ends
    no_git = os.path.join(tmp, "empty-bin")
    os.makedirs(no_git)
    workflows = {
        "wfTag": {"pipeline": url, "revision": "v1"},
        "wfMain": {"pipeline": url, "revision": "main"},
        "wfCommit": {"pipeline": url, "revision": first},
        "wfDefault": {"pipeline": url, "revision": None},
        "wfOption": {"pipeline": url, "revision": "--upload-pack=touch " + os.path.join(tmp, "pwned")},
        "wfHttp": {"pipeline": "http://github.com/nfp-test/pipeline", "revision": "main"},
        "wfSsh": {"pipeline": "git@github.com:nfp-test/pipeline.git", "revision": "main"},
        "wfLoop": {"pipeline": "https://127.0.0.1:%d/nfp-test/pipeline" % hang.port, "revision": "main"},
        "wfNoRepo": {"pipeline": url, "revision": "v9"},
        "wfSelf": {"pipeline": "https://git.example.org/nfp-test/pipeline", "revision": "main"},
    }
    path = os.path.join(tmp, "workflows.json")
    with open(path, "w") as f:
        json.dump(workflows, f)
    double, base = start_double(tmp, "--workflows", path)
    try:
        # The tag: the clean revision, its include followed in the clone;
        # ECR on AWS Batch with Wave on needs no credential: PASS.
        rc, out, err = prerun(base, "wfTag", tmpdir, "--allow-local-repository")
        check(rc == 0 and out == ["nf-preflight: PASS"], "tag v1 cloned and checked: %r %r" % (out, err))
        check(not leftovers(tmpdir), "the clone's temporary directory is removed")

        # The branch: its later commit has the syntax error, in the include.
        # Files are named relative to the repository, not by the temporary
        # clone's path (gone when prerun ends), in the lines, the markdown
        # report and the JSON report, which name the repository and revision.
        md, js = os.path.join(tmp, "r.md"), os.path.join(tmp, "r.json")
        rc, out, err = prerun(base, "wfMain", tmpdir, "--allow-local-repository", "--report", md)
        check(rc == 1 and out and out[0].startswith("nf-preflight: BLOCK") and
              any(line.startswith("conf/base.config:4:1: error:") and "[syntax-error]" in line for line in out),
              "main cloned at its head, named in the repository: %r %r" % (out, err))
        check(not any(tmpdir in line or "nfp-repo-" in line for line in out) and
              out[0].endswith("(conf/base.config:4:1)"), "no temporary path: %r" % out)
        text = open(md).read() if os.path.exists(md) else ""
        check("| conf/base.config:4:1 | syntax-error |" in text and "nfp-repo-" not in text and
              "at revision main; files are named relative to the repository" in text,
              "markdown report names files in the repository: %r" % text)
        rc, out, err = prerun(base, "wfMain", tmpdir, "--allow-local-repository", "--report", js)
        data = json.load(open(js)) if os.path.exists(js) else {}
        paths = [d.get("path") for d in data.get("report", {}).get("diagnostics", [])]
        check(data.get("repository") == url and data.get("revision") == "main" and "conf/base.config" in paths and
              not any(p and "nfp-repo-" in p for p in paths), "JSON report: %r" % data)
        # A commit id and the default branch (no revision).
        rc, out, err = prerun(base, "wfCommit", tmpdir, "--allow-local-repository")
        check(rc == 0 and out == ["nf-preflight: PASS"], "commit id fetched: %r %r" % (out, err))
        rc, out, err = prerun(base, "wfDefault", tmpdir, "--allow-local-repository")
        check(rc == 1 and has(out, "[syntax-error]"), "default branch fetched: %r %r" % (out, err))
        check(not leftovers(tmpdir), "no temporary directory left after four runs")

        # A local repository without the operator's leave: not fetched, fail open.
        rc, out, err = prerun(base, "wfTag", tmpdir)
        check(rc == 0 and out and out[0] == "nf-preflight: WARN (1 warning)" and
              has(out, "[not-checked]", "--allow-local-repository", "--pipeline DIR"), "file:// refused: %r" % out)
        rc, out, err = prerun(base, "wfTag", tmpdir, "--strict")
        check(rc == 1 and out and out[0].startswith("nf-preflight: BLOCK (1 error): nothing was checked"),
              "file:// refused, --strict blocks: %r" % out)
        # Only https:// repositories; an option-like revision is not passed to git.
        rc, out, err = prerun(base, "wfHttp", tmpdir)
        check(rc == 0 and has(out, "[not-checked]", "only https:// repositories are fetched"), "http:// refused: %r" % out)
        rc, out, err = prerun(base, "wfSsh", tmpdir)
        check(rc == 0 and has(out, "[not-checked]", "only https:// repositories are fetched"), "scp-like refused: %r" % out)
        rc, out, err = prerun(base, "wfOption", tmpdir, "--allow-local-repository")
        check(rc == 0 and has(out, "[not-checked]", "not a plain branch, tag or commit id") and
              not os.path.exists(os.path.join(tmp, "pwned")), "option-like revision refused: %r" % out)
        # A loopback https host needs the operator's leave as well.
        rc, out, err = prerun(base, "wfLoop", tmpdir)
        check(rc == 0 and has(out, "[not-checked]", "loopback or link-local host"), "loopback refused: %r" % out)
        # A revision the repository does not have: git's failure, fail open.
        rc, out, err = prerun(base, "wfNoRepo", tmpdir, "--allow-local-repository")
        check(rc == 0 and out and out[0] == "nf-preflight: WARN (1 warning)" and
              has(out, "[not-checked]", "could not be cloned", "git fetch failed", "v9"), "missing revision: %r" % out)
        check(not leftovers(tmpdir), "no temporary directory left after a failed clone")
        # No git on PATH, and a host whose files cannot be read over HTTPS.
        rc, out, err = prerun(base, "wfSelf", tmpdir, path=no_git)
        check(rc == 0 and has(out, "[not-checked]", "git is not on PATH", "GitHub, GitLab.com and Bitbucket"),
              "no git, unknown host: %r" % out)

        # Killed in the middle of a clone (the server never answers): git
        # dies with nf-preflight and the guardian removes the directory.
        proc = subprocess.Popen([NFP, "prerun", "--no-settings", "--allow-local-repository"],
                                env=env_for(base, "wfLoop", tmpdir), stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE)
        end = time.time() + 20
        while time.time() < end and not (hang.conns and [n for n in os.listdir(tmpdir) if n.startswith("nfp-repo-")]):
            time.sleep(0.05)
        check(bool(hang.conns), "git connected to the hanging server")
        check(bool([n for n in os.listdir(tmpdir) if n.startswith("nfp-repo-")]), "the clone directory existed")
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=20)
        check(not leftovers(tmpdir, wait=10), "killed mid-clone: the temporary directory is removed")
        for c in hang.conns:   # git's connection closes: it died with nf-preflight
            c.settimeout(10)
            try:
                data = c.recv(65536)
                while data:
                    data = c.recv(65536)
                gone = True
            except OSError:
                gone = False
            check(gone, "git's connection closed after nf-preflight was killed")
    finally:
        double.kill()
        double.wait()
        hang.sock.close()
        shutil.rmtree(tmp, ignore_errors=True)
    check.finish()


if __name__ == "__main__":
    main()
