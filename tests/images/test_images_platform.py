"""--platform and --online against the loopback Platform double
(tests/integration/platform_double.py, see tests/integration/README.md):
a good token lists the workspace credentials and covers their hosts, except
the one Platform marks INVALID (registry-credential-invalid: Wave still logs in
with it); a Platform that cannot be read (401, 500, an HTML page) is one
credentials-unavailable warning, its hosts unknown and not missing, and fails
open (tester F25, F26);
the Platform-run rule ignores tower.accessToken from the config; the double's
bearer-token registry answers the anonymous probe. The token and the secret
key id in the answers appear in no output."""
import json
import os
import subprocess
import sys
import tempfile

nfp, src = os.environ.get("NFP"), os.environ.get("NFP_SRC")
if not nfp or not src:
    print("skip: NFP/NFP_SRC not set")
    sys.exit(77)
sys.path.insert(0, os.path.join(src, "tests", "integration"))
import platform_double as pd  # noqa: E402  (constants only)

failures = []
sample = os.path.join(src, "samples", "pipeline")
# The double's aws credential carries an access key id: a secret of sorts.
CANARIES = [pd.GOOD_TOKEN, "AKIAEXAMPLEKEYID0002", "nfp-bad-token-e1"]


def check(cond, what):
    if not cond:
        failures.append(what)


def run(*args, env):
    base = {k: v for k, v in os.environ.items() if not k.startswith("TOWER_")}
    p = subprocess.run([nfp, *args], capture_output=True, text=True, timeout=120,
                       env={**base, "NO_COLOR": "1", **env})
    for c in CANARIES:
        check(c not in p.stdout and c not in p.stderr, f"secret {c} leaked by {args}")
    return p.returncode, p.stdout, p.stderr


def diags(out):
    return json.loads(out)["diagnostics"]


srv = subprocess.Popen([sys.executable, os.path.join(src, "tests", "integration", "platform_double.py")],
                       stdout=subprocess.PIPE, text=True)
try:
    port = int(srv.stdout.readline().strip())
    url = f"http://127.0.0.1:{port}"
    good = {"TOWER_API_ENDPOINT": url, "TOWER_ACCESS_TOKEN": pd.GOOD_TOKEN, "TOWER_WORKSPACE_ID": "1234"}

    # good token, org workspace, Wave on (Wave pulls with Platform credentials):
    # quay.io, docker.io and the ECR host are covered
    rc, out, err = run("check", sample, "--format", "json", "--platform", "-with-wave", env=good)
    d = diags(out)
    missing = {x["message"].split("'")[1] for x in d if x["rule"] == "missing-registry-credentials"}
    check(missing == {"ghcr.io"}, f"good token: missing {missing}")
    check(not any(x["rule"] == "credentials-unavailable" for x in d), "good token: unavailable")
    check(not any(x["rule"] == "quay-robot-username" for x in d), "robot user flagged")
    # the workspace's ECR credential has status INVALID (Platform's message kept):
    # Wave picks it anyway (first match by host, status not read), and ECR needs a
    # login, so the pull fails: an error naming the credential, not "covered"
    inv = [x for x in d if x["rule"] == "registry-credential-invalid"]
    check(len(inv) == 1 and inv[0]["severity"] == "error" and
          "'ecr-eu-west-1'" in inv[0]["message"] and "Invalid credentials for container registry" in inv[0]["message"]
          and "123456789012.dkr.ecr.eu-west-1.amazonaws.com" in inv[0]["message"],
          f"INVALID credential: {inv}")
    cov = json.loads(out)["launches"][0]["credentials"]
    check(cov == {"covered": 2, "missing": 1, "unknown": 0}, f"good token coverage {cov}")

    # Platform not readable: 401, 500, an HTML page. The credentials are
    # unknown, not empty: one warning saying they were not checked and why, no
    # missing-registry-credentials (least of all an error for the private ECR
    # host), the exit code of the other findings (fail open), the hosts
    # unknown in the summary (tester F25)
    bad = {**good, "TOWER_ACCESS_TOKEN": "nfp-bad-token-e1"}
    rc0, _, _ = run("check", sample, "--format", "json", env=good)
    for fmt in ("json", "text", "sarif", "github", "gcc"):
        rc, out, err = run("check", sample, "--format", fmt, "--platform", env=bad)
        check(rc == rc0, f"bad token ({fmt}): exit {rc}, without --platform {rc0}")
    with tempfile.TemporaryDirectory() as tmp:
        ecr = os.path.join(tmp, "nextflow.config")
        with open(ecr, "w") as f:
            f.write("docker.enabled = true\nwave.enabled = true\n"
                    "process.container = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/tools/x:1'\n")
        for token, why in (("nfp-bad-token-e1", "(401)"), (pd.TOKEN_500, "(500)"), (pd.TOKEN_HTML, "not a JSON")):
            env = {**good, "TOWER_ACCESS_TOKEN": token}
            rc, out, err = run("check", tmp, "--format", "json", "--platform", env=env)
            d = diags(out)
            un = [x for x in d if x["rule"] == "credentials-unavailable"]
            check(rc == 0 and len(un) == 1 and un[0]["severity"] == "warning" and
                  "registry credentials were not checked" in un[0]["message"] and why in un[0]["message"],
                  f"{token}: one warning that says why: exit {rc} {un}")
            check(not any(x["rule"] in ("missing-registry-credentials", "registry-credential-invalid") for x in d),
                  f"{token}: a finding from an inventory never read: {d}")
            cov = json.loads(out)["launches"][0]["credentials"]
            check(cov == {"covered": 0, "missing": 0, "unknown": 1}, f"{token}: coverage {cov}")
            rc, out, err = run("images", tmp, "--platform", env=env)
            check(rc == 0 and "pulled by wave, Platform credentials not read" in out and
                  "registry credentials were not checked" in err, f"{token}: images: {rc} {out} {err}")

    # Platform-run rule: with TOWER_WORKFLOW_ID only the environment counts
    with tempfile.TemporaryDirectory() as tmp:
        cfg = os.path.join(tmp, "tower.config")
        with open(cfg, "w") as f:
            f.write(f"tower.accessToken = '{pd.GOOD_TOKEN}'\ntower.workspaceId = '1234'\n"
                    f"tower.endpoint = '{url}'\nprocess.container = 'quay.io/org/x:1'\n")
        rc, out, err = run("images", cfg, "--format", "json", "--platform", env={})
        check(rc == 0, f"config token: exit {rc} {err}")
        rc, out, err = run("images", cfg, "--format", "json", "--platform", env={"TOWER_WORKFLOW_ID": "abc"})
        check(rc == 3 and "credentials-unavailable" in err and "TOWER_WORKFLOW_ID" in err,
              f"platform run: exit {rc} {err}")

        # --online: the double's registry serves public/* anonymously, private/* not
        reg = f"127.0.0.1:{port}"
        cfg2 = os.path.join(tmp, "online.config")
        with open(cfg2, "w") as f:
            f.write("process {\n"
                    f"  withName: 'A' {{ container = '{reg}/public/tiny:1.0' }}\n"
                    f"  withName: 'B' {{ container = 'localhost:{port}/private/tool:1.0' }}\n"
                    "}\n")
        rc, out, err = run("check", cfg2, "--format", "json", "--online", "--platform", "-with-wave", env=good)
        by_host = {x["message"].split("'")[1]: x for x in diags(out) if x["rule"] == "missing-registry-credentials"}
        pub, priv = by_host.get(reg), by_host.get(f"localhost:{port}")
        # unknown hosts are private (error); the public probe downgrades to info and says so
        check(pub is not None and pub["severity"] == "info" and "anonymous pull works" in pub["message"],
              f"online public: {pub}")
        check(priv is not None and priv["severity"] == "error" and "needs-auth" in priv["message"],
              f"online private: {priv}")
        rc, out, err = run("images", cfg2, "--format", "json", "--online", "--platform", "-with-wave", env=good)
        probes = {i["image"]: i.get("probe") for i in json.loads(out)["images"]}
        check(probes.get(f"{reg}/public/tiny:1.0") == "public", f"probe field {probes}")
finally:
    srv.terminate()
    srv.wait(timeout=10)

if failures:
    print("\n".join(failures))
    sys.exit(1)
print("ok")
