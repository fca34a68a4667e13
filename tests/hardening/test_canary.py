"""Secret safety: canary tokens placed where secrets live (the environment,
tower.accessToken / aws.secretKey / env { } in config text, a docker
config.json `auth`, a credentials inventory with passwords) must appear in no
output of any command and format, stdout or stderr. Only `fix` may print the
user's own file back (that is its job), so it is checked for everything but
the patched text itself."""
import base64
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from testlib import Checks  # noqa: E402

NFP = os.environ["NFP"]
CANARIES = {
    "env": "CANARYenvTOKEN0123456789",
    "tower": "CANARYtowerTOKEN0123456789",
    "aws": "CANARYawsSECRET0123456789",
    "envblock": "CANARYenvBLOCK0123456789",
    "docker": "CANARYdockerPASS0123456789",
    "inventory": "CANARYinventoryPASS0123456789",
    "refresh": "CANARYrefreshTOKEN0123456789",
    "principal": "CANARYprincipalSECRET0123456789",
    "proxy": "CANARYproxyPASSWORD0123456789",
}
check = Checks()


with tempfile.TemporaryDirectory() as d:
    cfg = os.path.join(d, "nextflow.config")
    with open(cfg, "w") as f:
        f.write("wave.enabled = true\n"
                "tower.accessToken = '%s'\n"
                "aws {\n    secretKey = '%s'\n}\n"
                "env.TOWER_ACCESS_TOKEN = \"%s\"\n"
                "process.container = 'quay.io/org/tool:1.0'\n"
                "tower.refreshToken = '%s'\n"
                "azure.activeDirectory.servicePrincipalSecret = '%s'\n"
                "aws.client.proxyPassword = '%s'\n"
                "params.copied_refresh = tower.refreshToken\n"
                % (CANARIES["tower"], CANARIES["aws"], CANARIES["envblock"], CANARIES["refresh"],
                   CANARIES["principal"], CANARIES["proxy"]))
    docker = os.path.join(d, "config.json")
    with open(docker, "w") as f:
        auth = base64.b64encode(("robot:" + CANARIES["docker"]).encode()).decode()
        json.dump({"auths": {"quay.io": {"auth": auth}}}, f)
    inv = os.path.join(d, "creds.yml")
    with open(inv, "w") as f:
        f.write("credentials:\n  - registry: quay.io\n    name: q\n    user: org+bot\n    password: %s\n"
                % CANARIES["inventory"])
    env = dict(os.environ, TOWER_ACCESS_TOKEN=CANARIES["env"], NO_COLOR="1")
    common = ["--no-settings", "--docker-config=" + docker, "--credentials", inv]
    runs = []
    for fmt in ("text", "gcc", "json", "sarif", "github"):
        runs.append(["check", "-v", "--format", fmt] + common + [cfg])
    for fmt in ("flat", "canonical", "json"):
        runs.append(["config", "--format", fmt, "--no-settings", cfg])
    for fmt in ("text", "json"):
        runs.append(["images", "--format", fmt] + common + [cfg])
    runs.append(["parse", "--tree", cfg])
    runs.append(["parse", "--tokens", cfg])
    # a syntax error next to the secret: the snippet must still not show it
    bad = os.path.join(d, "bad.config")
    with open(bad, "w") as f:
        f.write("tower.accessToken = '%s' }\n" % CANARIES["tower"])
    runs.append(["check", "--format", "text", "--no-settings", bad])
    # secrets copied into other options (directly, interpolated, through a
    # closure, from the environment) and into an image name and a bad value
    copied = os.path.join(d, "copied.config")
    with open(copied, "w") as f:
        f.write("tower.accessToken = '%s'\n"
                "aws.secretKey = '%s'\n"
                "params.copy = tower.accessToken\n"
                "params.glued = \"x-${aws.secretKey}\"\n"
                "params.called = { tower.accessToken }.call()\n"
                "params.list = [System.getenv('TOWER_ACCESS_TOKEN')]\n"
                "params.fromenv = env('TOWER_ACCESS_TOKEN') + '/suffix'\n"
                "wave.enabled = \"${tower.accessToken}\"\n"
                "process.container = \"quay.io/${aws.secretKey}:1\"\n"
                % (CANARIES["tower"], CANARIES["aws"]))
    for fmt in ("flat", "canonical", "json"):
        runs.append(["config", "--format", fmt, "--no-settings", copied])
    for fmt in ("text", "gcc", "json", "sarif", "github"):
        runs.append(["check", "-v", "--format", fmt] + common + [copied])
    for fmt in ("text", "json"):
        runs.append(["images", "--format", fmt] + common + [copied])
    for args in runs:
        p = subprocess.run([NFP] + args, capture_output=True, text=True, env=env)
        check(p.returncode in (0, 1), "%s exited %d: %s" % (args[:3], p.returncode, p.stderr[-300:]))
        for name, c in CANARIES.items():
            check(c not in p.stdout and c not in p.stderr, "%s secret leaked by %s" % (name, " ".join(args[:4])))
    # fix: the patched text is the user's file; its diagnostics and a diff of
    # a file whose secret is far from the edit must not carry it
    p = subprocess.run([NFP, "fix", "--no-settings", bad], capture_output=True, text=True, env=env)
    check(all(c not in p.stderr for c in CANARIES.values()), "fix diagnostics leak a secret")

check.finish()
