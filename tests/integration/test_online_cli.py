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

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from testlib import Checks, start_registries, stop  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
NFP = os.environ["NFP"]
check = Checks()


with tempfile.TemporaryDirectory() as work:
    proc, reg = start_registries(work)
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
        stop(proc)

check.finish()
