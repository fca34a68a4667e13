"""--platform and --online against the loopback Platform double
(tests/integration/platform_double.py, see tests/integration/README.md):
a good token lists the workspace credentials and covers their hosts; a bad
token is credentials-unavailable and exit 3 (the user required the source);
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

    # bad token: 401 → credentials-unavailable, exit 3 because --platform was asked for
    bad = {**good, "TOWER_ACCESS_TOKEN": "nfp-bad-token-e1"}
    for fmt in ("json", "text", "sarif", "github", "gcc"):
        rc, out, err = run("check", sample, "--format", fmt, "--platform", env=bad)
        check(rc == 3, f"bad token ({fmt}): exit {rc}")
    rc, out, err = run("check", sample, "--format", "json", "--platform", env=bad)
    un = [x for x in diags(out) if x["rule"] == "credentials-unavailable"]
    check(len(un) == 1 and ("401" in un[0]["message"] or "unauthor" in un[0]["message"].lower()),
          f"bad token message {un}")

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
