#!/usr/bin/env python3
"""`nf-preflight prerun` against the loopback Platform double
(platform_double.py: /workflow/{id}/launch, /compute-envs/{id},
/credentials): the run's launch, compute environment and credentials are
read from the API and layered as Platform does; the verdict line comes
first; Platform unreachable fails open; the token goes only to
TOWER_API_ENDPOINT and every call carries the workspace id."""
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True   # keep the source tree clean
sys.path.insert(0, os.path.dirname(HERE))
sys.path.insert(0, HERE)
from testlib import Checks, nfp_binary, write_file  # noqa: E402
import platform_double  # noqa: E402

NFP = nfp_binary()
check = Checks()
ECR_HOST = "123456789012.dkr.ecr.us-east-1.amazonaws.com"


class Trap:
    """A listener that only counts connections: an endpoint the repository
    names, which must never be contacted. keep=True holds each connection
    open without answering (a server that never replies); serve(conn), when
    given, handles each connection on a thread of its own."""

    def __init__(self, keep=False, serve=None):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.port = self.sock.getsockname()[1]
        self.hits = 0
        self.keep = keep
        self.serve = serve
        self.conns = []
        threading.Thread(target=self.loop, daemon=True).start()

    def loop(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.hits += 1
            if self.serve:
                threading.Thread(target=self.serve, args=(conn,), daemon=True).start()
            elif self.keep:
                self.conns.append(conn)
            else:
                conn.close()


def start_double(tmp, *args):
    """The Platform double (its options in args) and its base URL."""
    proc = subprocess.Popen([sys.executable, os.path.join(HERE, "platform_double.py")] + list(args),
                            stdout=subprocess.PIPE, stderr=open(os.path.join(tmp, "double.log"), "w"), text=True)
    line = proc.stdout.readline().strip()
    if not line.isdigit():
        proc.kill()
        print("FAIL: the Platform double did not report a port (%r)" % line)
        sys.exit(1)
    return proc, "http://127.0.0.1:" + line


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def prerun(base, wf, *args, token=platform_double.GOOD_TOKEN, cwd=None, extra_env=None):
    env = {k: v for k, v in os.environ.items() if not k.startswith("TOWER_") and k != "NXF_SYNTAX_PARSER"}
    env.update({"TOWER_API_ENDPOINT": base, "TOWER_ACCESS_TOKEN": token, "TOWER_WORKSPACE_ID": "1234",
                "TOWER_WORKFLOW_ID": wf, "NO_COLOR": "1"})
    env.update(extra_env or {})
    for var in ("no_proxy", "NO_PROXY"):
        env[var] = "127.0.0.1,localhost"
    r = subprocess.run([NFP, "prerun", "--no-settings"] + list(args), env=env, cwd=cwd, capture_output=True,
                       text=True, timeout=60)
    return r.returncode, r.stdout.splitlines(), r.stderr


def has(lines, *needles):
    return any(all(n in line for n in needles) for line in lines)


def main():
    tmp = tempfile.mkdtemp(prefix="nfp-prerun-")
    trap = Trap()
    double, base = start_double(tmp)
    try:
        pipe = os.path.join(tmp, "pipe")
        write_file(pipe, "nextflow.config",
                   "params.use_wave = false\n"
                   "wave.enabled = params.use_wave\n"
                   "process.container = '%s/tool:1.0'\n"
                   "docker.enabled = true\n"
                   "tower.endpoint = 'http://127.0.0.1:%d'\n"
                   "profiles {\n  platform { fusion.enabled = true }\n}\n" % (ECR_HOST, trap.port))
        pipe2 = os.path.join(tmp, "pipe2")
        write_file(pipe2, "nextflow.config", "def x = 'a'\nprocess.cpus = 2\n")

        # Control: Wave off everywhere on AWS Batch. Wave is reported; the
        # ECR image is pulled by the batch instance role, so no credential
        # finding; the profile's Fusion is not there (no profile selected).
        rc, out, err = prerun(base, "wfNoWave", "--pipeline", pipe)
        check(rc == 0 and out and out[0] == "nf-preflight: WARN (1 warning)", "wfNoWave verdict: %r %r" % (rc, out))
        check(has(out, "[wave-not-enabled]"), "wfNoWave: Wave off is reported: %r" % out)
        # the compute environment has a Wave toggle: the hint names it, not a config edit
        check(has(out, "[wave-not-enabled]", "enable Wave containers on this run's compute environment 'batch-plain'",
                  "Compute Environments > batch-plain > Wave containers") and not has(out, "-with-wave"),
              "wfNoWave: the hint is the compute environment's toggle: %r" % out)
        # a Slurm compute environment has no such toggle: the config hint stays
        rc, out, err = prerun(base, "wfSlurm", "--pipeline", pipe)
        check(has(out, "[wave-not-enabled]", "run with -with-wave, or set wave.enabled = true") and
              not has(out, "Wave containers"), "wfSlurm: no toggle to point at: %r" % out)
        check(not has(out, "[fusion-requires-wave]"), "wfNoWave: no profile, no Fusion: %r" % out)

        # Wave on only in the compute environment; ECR on AWS Batch without an
        # ECR credential: Wave uses the compute environment's AWS keys.
        rc, out, err = prerun(base, "wfWaveCe", "--pipeline", pipe)
        check(rc == 0 and out == ["nf-preflight: PASS"], "wfWaveCe: PASS alone: %r %r %r" % (rc, out, err))
        check(not has(out, "wave-platform-token-missing"), "wfWaveCe: no token finding in a Platform run")

        # The same image with Wave on Google Batch: Wave's fallback gives
        # Google keys, which it cannot use for ECR: a private pull fails.
        rc, out, err = prerun(base, "wfGoogle", "--pipeline", pipe)
        check(rc == 1 and out and out[0].startswith("nf-preflight: BLOCK (1 error): no Platform credential (Wave pulls) for host '%s'"
                                                     % ECR_HOST), "wfGoogle verdict: %r" % out)
        check(has(out, "error:", ECR_HOST, "[missing-registry-credentials]"), "wfGoogle finding: %r" % out)

        # The workspace's credentials cannot be read (500, an HTML page) while
        # the launch can: unknown, not empty. A local login given with
        # --docker-config does not make the Wave-pulled ECR host "missing" a
        # Platform credential; it is said once that the credentials were not
        # checked, and the run passes with that warning (tester F25).
        dcfg = os.path.join(tmp, "docker-config.json")
        with open(dcfg, "w") as f:
            json.dump({"auths": {ECR_HOST: {"auth": "dXNlcjpwYXNz"}}}, f)
        for mode, why in (("500", "(500)"), ("html", "not a JSON object")):
            rc, out, err = prerun(base + "/_mode/" + mode, "wfGoogle", "--pipeline", pipe, "--docker-config", dcfg)
            check(rc == 0 and out and out[0] == "nf-preflight: WARN (1 warning)" and
                  has(out, "warning: registry credentials were not checked", why, "[not-checked]") and
                  not has(out, "[missing-registry-credentials]"),
                  "credentials unreadable (%s): %r %r" % (mode, rc, out))

        # The only credential for an ECR host is INVALID in Platform: Wave
        # takes it anyway (first match by host, status not read) and does not
        # fall back to the AWS Batch compute environment's keys, so the pull
        # fails; Platform's message is in the finding (tester F26).
        pipe3 = os.path.join(tmp, "pipe3")
        write_file(pipe3, "nextflow.config",
                   "process.container = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/tool:1.0'\n"
                   "docker.enabled = true\n")
        rc, out, err = prerun(base, "wfWaveCe", "--pipeline", pipe3)
        check(rc == 1 and out and out[0].startswith("nf-preflight: BLOCK (1 error): Platform credential 'ecr-eu-west-1'")
              and has(out, "error:", "is INVALID in Platform", "Invalid credentials for container registry",
                      "[registry-credential-invalid]"), "INVALID credential: %r" % out)

        # An error in configText blocks, verdict first, position in configText.
        rc, out, err = prerun(base, "wfBadText", "--pipeline", pipe)
        check(rc == 1 and out and out[0].startswith("nf-preflight: BLOCK (2 errors): "), "wfBadText verdict: %r" % out)
        check(has(out[1:], "platform:workflow/wfBadText/launch#configText:3:1: error:", "[syntax-error]"),
              "wfBadText: the error is located in configText: %r" % out)

        # Launch profiles: the profile 'platform' turns Fusion on with Wave off.
        rc, out, err = prerun(base, "wfProfile", "--pipeline", pipe)
        check(rc == 1 and has(out, "nextflow.config:7:", "[fusion-requires-wave]"), "wfProfile: %r" % out)
        check(out and out[0].startswith("nf-preflight: BLOCK (1 error): fusion.enabled is on"), "wfProfile verdict: %r" % out)

        # Launch params: use_wave = true from paramsText turns Wave on.
        rc, out, err = prerun(base, "wfParams", "--pipeline", pipe)
        check(rc == 0 and out == ["nf-preflight: PASS"], "wfParams: params applied: %r %r" % (out, err))

        # The compute environment's nextflowConfig is a layer of its own.
        rc, out, err = prerun(base, "wfFusionCfg", "--pipeline", pipe)
        check(rc == 1 and has(out, "compute-env 'batch-fusion-cfg'#nextflowConfig:1:1: error:", "[fusion-requires-wave]"),
              "wfFusionCfg: %r" % out)

        # A compute environment embedded without its config is fetched.
        rc, out, err = prerun(base, "wfFetchCe", "--pipeline", pipe)
        check(rc == 0 and out == ["nf-preflight: PASS"], "wfFetchCe: %r %r" % (out, err))

        # configText is above the compute environment's toggles.
        rc, out, err = prerun(base, "wfTextOff", "--pipeline", pipe)
        check(has(out, "#configText:1:", "[wave-not-enabled]"), "wfTextOff: configText wins: %r" % out)
        check(not has(out, "Wave containers"), "wfTextOff: the toggle is below configText, not offered: %r" % out)

        # The launch's syntax parser: v1 makes v2-only findings notes; a
        # pre-run script's NXF_SYNTAX_PARSER export wins over it.
        rc, out, err = prerun(base, "wfV1", "--pipeline", pipe2)
        check(rc == 0 and out and out[0] == "nf-preflight: PASS" and has(out, "info:", "[v2-incompatible]"),
              "wfV1: %r" % out)
        rc, out, err = prerun(base, "wfV1", "--pipeline", pipe2, extra_env={"NXF_SYNTAX_PARSER": "v2"})
        check(rc == 1 and has(out, "error:", "[v2-incompatible]"), "NXF_SYNTAX_PARSER=v2 over the launch: %r" % out)
        rc, out, err = prerun(base, "wfWaveCe", "--pipeline", pipe2, extra_env={"NXF_VER": "26.04.0"})
        check(rc == 1 and out and out[0].startswith("nf-preflight: BLOCK (1 error): a variable declaration"),
              "v2 launch: %r" % out)

        # Reports: markdown by default, JSON by extension.
        md, js = os.path.join(tmp, "r.md"), os.path.join(tmp, "r.json")
        rc, out, err = prerun(base, "wfBadText", "--pipeline", pipe, "--report", md)
        text = open(md).read() if os.path.exists(md) else ""
        check(text.startswith("## nf-preflight: BLOCK (2 errors)") and "| error | platform:workflow/wfBadText/launch#configText:3:1 | syntax-error |" in text,
              "markdown report: %r" % text)
        rc, out, err = prerun(base, "wfNoWave", "--pipeline", pipe, "--report", js)
        data = json.load(open(js)) if os.path.exists(js) else {}
        check(data.get("verdict") == "WARN" and data.get("line") == "nf-preflight: WARN (1 warning)" and
              data.get("report", {}).get("summary", {}).get("warning") == 1, "JSON report: %r" % data)

        # The pipeline is not on this machine and its repository is not
        # fetched (fetching: test_prerun_fetch.py): fail open, say what was not checked.
        rc, out, err = prerun(base, "wfWaveCe")
        check(rc == 0 and out and out[0] == "nf-preflight: WARN (1 warning)" and
              has(out, "[not-checked]", "https://127.0.0.1:9/nfp-test/pipeline", "--pipeline DIR"),
              "no pipeline: %r" % out)
        rc, out, err = prerun(base, "wfWaveCe", "--pipeline", os.path.join(tmp, "no-clone"))
        check(rc == 0 and out and out[0] == "nf-preflight: WARN (1 warning)" and
              has(out, "[not-checked]", "no-clone is not a directory"), "missing --pipeline DIR: %r" % out)
        rc, out, err = prerun(base, "wfWaveCe", "--strict")
        check(rc == 1 and out and out[0].startswith("nf-preflight: BLOCK (1 error): nothing was checked"),
              "no pipeline --strict: %r" % out)

        # Platform unreachable: fail open (exit 0, a warning), --strict blocks.
        dead = "http://127.0.0.1:%d" % free_port()
        rc, out, err = prerun(dead, "wfWaveCe", "--pipeline", pipe)
        check(rc == 0 and out and out[0] == "nf-preflight: WARN (1 warning)" and
              has(out, "warning: nothing was checked", "cannot reach Platform", "[not-checked]"),
              "unreachable: %r %r" % (rc, out))
        rc, out, err = prerun(dead, "wfWaveCe", "--pipeline", pipe, "--strict")
        check(rc == 1 and out and out[0].startswith("nf-preflight: BLOCK (1 error): nothing was checked"),
              "unreachable --strict: %r" % out)
        # An unknown run (403) fails open too, and names the workspace.
        rc, out, err = prerun(base, "wfUnknown", "--pipeline", pipe)
        check(rc == 0 and has(out, "workspace 1234 (403)", "[not-checked]"), "unknown run: %r" % out)

        # The token went only to TOWER_API_ENDPOINT, never to the
        # repository's tower.endpoint, and every call carried the workspace.
        check(trap.hits == 0, "the repository's tower.endpoint was contacted %d times" % trap.hits)
        with urllib.request.urlopen(base + "/_requests", timeout=5) as r:
            seen = json.load(r)
        paths = {s["path"] for s in seen}
        check("/workflow/wfWaveCe/launch" in paths and "/credentials" in paths and
              "/compute-envs/ceBareWave" in paths, "the launch, credentials and compute env were read: %r" % paths)
        bad = [s for s in seen if "workspaceId=1234" not in s["query"].split("&") or
               s["token"] != platform_double.GOOD_TOKEN]
        check(seen and not bad, "calls without the workspace id or token: %r" % bad)
    finally:
        double.kill()
        double.wait()
        trap.sock.close()
    check.finish()


if __name__ == "__main__":
    main()
