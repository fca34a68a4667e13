"""`check --online` against real registries on loopback: Debian's
docker-registry serving one open and one htpasswd-protected repository
(registry.sh). With a credential inventory that covers neither host, the open
registry's missing-credential finding is downgraded with the probe result
shown, and the protected one stays. Exit 77 when docker-registry is missing."""
import json
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
NFP = os.environ["NFP"]
passed = failed = 0


def check(cond, what):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print("FAIL:", what)


def start(work):
    proc = subprocess.Popen(["sh", os.path.join(HERE, "registry.sh"), "serve", work],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    env = {}
    deadline = time.time() + 30
    while time.time() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        line = line.strip()
        if line == "READY":
            return proc, env
        key, sep, value = line.partition("=")
        if sep:
            env[key] = value
    proc.wait(timeout=10)
    if proc.returncode == 77:
        print("skipped: docker-registry is not installed")
        sys.exit(77)
    print("FAIL: registry.sh did not start: %s" % proc.stderr.read())
    sys.exit(1)


with tempfile.TemporaryDirectory() as work:
    proc, reg = start(work)
    try:
        if "NFP_TEST_REGISTRY_AUTH_URL" not in reg:
            print("skipped: htpasswd (apache2-utils) is not installed")
            sys.exit(77)
        open_host = reg["NFP_TEST_REGISTRY_URL"].split("://", 1)[1].rstrip("/")
        auth_host = reg["NFP_TEST_REGISTRY_AUTH_URL"].split("://", 1)[1].rstrip("/")
        repo, tag = reg["NFP_TEST_REGISTRY_REPO"], reg["NFP_TEST_REGISTRY_TAG"]
        cfg = os.path.join(work, "nextflow.config")
        with open(cfg, "w") as f:
            f.write("wave.enabled = true\n"
                    "process.container = '%s/%s:%s'\n"
                    "process {\n"
                    "    withName: 'PRIVATE' { container = '%s/%s:%s' }\n"
                    "}\n"
                    % (open_host, repo, tag, auth_host, repo, tag))
        creds = os.path.join(work, "creds.yml")
        with open(creds, "w") as f:
            f.write("credentials:\n  - registry: quay.io\n    name: quay\n    user: org+bot\n")

        def diags(extra):
            p = subprocess.run([NFP, "check", "--format", "json", "--no-settings", "--clean-env",
                                "--env", "TOWER_ACCESS_TOKEN=x", "--credentials", creds] + extra + [cfg],
                               capture_output=True, text=True, timeout=120)
            return p.returncode, [d for d in json.loads(p.stdout)["diagnostics"]
                                  if d["rule"] == "missing-registry-credentials"]

        # offline: both hosts are reported, at their class's severity
        rc, ds = diags([])
        hosts = {d["message"].split("'")[1] if "'" in d["message"] else d["message"]: d for d in ds}
        check(len(ds) == 2, "offline: one finding per host, got %d" % len(ds))
        offline_sev = {h: d["severity"] for h, d in hosts.items()}

        # online: the open registry answers anonymously, the protected one does not
        rc, ds = diags(["--online"])
        by_host = {}
        for d in ds:
            for h in (open_host, auth_host):
                if h in d["message"]:
                    by_host[h] = d
        check(open_host in by_host and auth_host in by_host, "online findings %s" % [d["message"] for d in ds])
        if open_host in by_host and auth_host in by_host:
            o, a = by_host[open_host], by_host[auth_host]
            check(o["severity"] == "info", "open registry not downgraded: %s" % o)
            check("anonymous" in o["message"].lower() or "public" in o["message"].lower(),
                  "probe result not shown: %s" % o["message"])
            check(a["severity"] != "info", "protected registry downgraded: %s" % a)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()

print("%d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
