"""The repository cannot steer the operator's secrets (issue 15, items 1, 5
and 15): a Platform token from the environment is never sent to an endpoint
that the repository names (tower.endpoint in a config, an include, a
profile, platform.endpoint in a .nf-preflight.yml found next to the files);
settings files found upward are used only when owned by the invoking user or
root and -v names the one used; `--docker-config FILE` / `--auth-file FILE`
with a space take FILE as the value (a credential file is never printed as
a config); malformed credential entries are reported with their position."""
import base64
import json
import os
import socket
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from testlib import Checks, accepted  # noqa: E402

NFP = os.environ["NFP"]
TOKEN = "CANARYplatformTOKEN0123456789"
check = Checks()


def run(args, cwd, **env):
    e = dict(os.environ, NO_COLOR="1", TOWER_ACCESS_TOKEN=TOKEN)
    e.pop("TOWER_API_ENDPOINT", None)
    e.update(env)
    return subprocess.run([NFP] + args, cwd=cwd, capture_output=True, text=True, timeout=60, env=e)


def write(path, text):
    with open(path, "w") as f:
        f.write(text)


with tempfile.TemporaryDirectory() as d:
    # a listener standing for the attacker's endpoint: nothing may connect
    lsock = socket.socket()
    lsock.bind(("127.0.0.1", 0))
    lsock.listen(8)
    lsock.setblocking(False)
    evil = "https://127.0.0.1:%d" % lsock.getsockname()[1]

    os.makedirs(os.path.join(d, "repo", ".git"))
    repo = os.path.join(d, "repo")
    write(os.path.join(repo, "inc.config"), "tower.endpoint = '%s'\n" % evil)
    cases = {
        "direct": "tower.endpoint = '%s'\n" % evil,
        "include": "includeConfig 'inc.config'\n",
        "profile": "profiles { p { tower.endpoint = '%s' } }\n" % evil,
        "userinfo": "tower.endpoint = '%s'\n" % evil.replace("https://", "https://bob:CANARYuserinfoPW@"),
    }
    for name, text in cases.items():
        cfg = os.path.join(repo, name + ".config")
        write(cfg, "wave.enabled = true\n" + text)
        args = ["check", "--no-settings", "--platform", name + ".config"]
        if name == "profile":
            args[1:1] = ["-profile", "p"]
        p = run(args, repo)
        check(accepted(lsock) == 0, "%s: the repository's endpoint was contacted" % name)
        check("comes from the repository" in p.stderr + p.stdout, "%s: the refusal is reported: %s" % (name, p.stderr))
        check(p.returncode == 3, "%s: --platform could not run: exit 3 (got %d)" % (name, p.returncode))
        out = p.stdout + p.stderr
        check(TOKEN not in out and "CANARYuserinfoPW" not in out, "%s: a secret is printed" % name)

    # the operator allows it by naming the same endpoint: then it is contacted
    p = run(["check", "--no-settings", "--platform", "direct.config"], repo, TOWER_API_ENDPOINT=evil + "/")
    check(accepted(lsock) >= 1, "TOWER_API_ENDPOINT naming the same endpoint: contacted")
    check("comes from the repository" not in p.stderr, "no refusal when the operator names it")
    # a token written in the config itself may go to the config's endpoint (nothing of the operator's)
    write(os.path.join(repo, "own.config"), "tower.accessToken = 'repoToken12345'\ntower.endpoint = '%s'\n" % evil)
    run(["check", "--no-settings", "--platform", "own.config"], repo, TOWER_ACCESS_TOKEN="")
    check(accepted(lsock) >= 1, "the repository's own token goes to its own endpoint")

    # settings found upward: platform.endpoint is the repository's too
    write(os.path.join(repo, ".nf-preflight.yml"), "platform:\n  endpoint: %s\n" % evil)
    write(os.path.join(repo, "plain.config"), "wave.enabled = true\n")
    p = run(["check", "-v", "--platform", "plain.config"], repo)
    check(accepted(lsock) == 0, "settings found upward: endpoint not contacted")
    check("settings: " in p.stderr and ".nf-preflight.yml (found next to the checked files)" in p.stderr,
          "-v names the settings file used: %s" % p.stderr)
    # ... but the operator's --settings FILE is trusted
    run(["check", "--settings", os.path.join(repo, ".nf-preflight.yml"), "--platform", "plain.config"], repo)
    check(accepted(lsock) >= 1, "--settings FILE: its endpoint is the operator's")
    p = run(["check", "-v", "--no-settings", "plain.config"], repo)
    check("settings: none" in p.stderr, "-v says when no settings file is used")
    # a settings file owned by someone else is not used
    if os.geteuid() == 0:
        write(os.path.join(repo, ".nf-preflight.yml"), "rules:\n  wave-not-enabled: off\n")
        os.chown(os.path.join(repo, ".nf-preflight.yml"), 65534, 65534)
        write(os.path.join(repo, "off.config"), "process.cpus = 1\n")
        p = run(["check", "-v", "off.config"], repo)
        check("owned by another user" in p.stderr and "wave-not-enabled" in p.stdout,
              "a settings file owned by another user is not used: %s %s" % (p.stdout, p.stderr))
    else:
        print("skip: settings owned by another user (needs root)")
    lsock.close()

    # --docker-config FILE / --auth-file FILE with a space
    secret = "CANARYdockerSPACE0123456789"
    dc = os.path.join(d, "dc.json")
    with open(dc, "w") as f:
        json.dump({"auths": {"quay.io": {"auth": base64.b64encode(("u:" + secret).encode()).decode(),
                                          "password": secret}}}, f)
    write(os.path.join(d, "nextflow.config"), "process.container = 'quay.io/org/tool:1'\n")
    for opt in ("--docker-config", "--auth-file"):
        for fmt in ("text", "gcc", "json", "sarif", "github"):
            p = run(["check", "--no-settings", "--format", fmt, opt, "dc.json", "nextflow.config"], d)
            check(secret not in p.stdout + p.stderr, "%s FILE (%s): the credential file is printed" % (opt, fmt))
            check("dc.json:" not in p.stdout, "%s FILE (%s): the credential file is checked as a config" % (opt, fmt))
        for cmd in ("config", "images"):
            p = run([cmd, "--no-settings", opt, "dc.json", "nextflow.config"], d)
            check(secret not in p.stdout + p.stderr, "%s %s FILE: the credential file is printed" % (cmd, opt))
        # a directory or a .config after the option stays a PATH
        p = run(["check", "--no-settings", opt, "nextflow.config"], d)
        check("quay.io/org/tool:1" in p.stdout + p.stderr or p.returncode in (0, 1, 3),
              "%s followed by a .config: that is the PATH" % opt)

    # malformed credential entries: reported with their position, never a login
    bad = {
        "bad-base64": {"auths": {"quay.io": {"auth": "!!!!"}}},
        "no-colon": {"auths": {"quay.io": {"auth": base64.b64encode(b"nouser").decode()}}},
        "empty-user": {"auths": {"quay.io": {"auth": base64.b64encode(b":pw").decode()}}},
        "empty-auth": {"auths": {"quay.io": {"auth": ""}}},
        "auth-number": {"auths": {"quay.io": {"auth": 12}}},
    }
    for name, doc in bad.items():
        path = os.path.join(d, name + ".json")
        with open(path, "w") as f:
            json.dump(doc, f, indent=1)
        p = run(["check", "--no-settings", "--docker-config=" + path, "nextflow.config"], d)
        out = p.stdout + p.stderr
        check(p.returncode == 3 and (name + ".json:") in out and "auths[\"quay.io\"]" in out,
              "%s: reported with its position: %s" % (name, out))
    # an empty entry is a login when a credsStore keeps it
    path = os.path.join(d, "store.json")
    with open(path, "w") as f:
        json.dump({"auths": {"quay.io": {}}, "credsStore": "desktop"}, f)
    p = run(["check", "--no-settings", "--docker-config=" + path, "nextflow.config"], d)
    check(p.returncode != 3, "an empty entry with a credsStore is accepted: %s" % p.stderr)
    bad_inv = os.path.join(d, "inv.yml")
    write(bad_inv, "credentials:\n  - registry: [quay.io]\n    name: q\n")
    p = run(["check", "--no-settings", "--credentials", bad_inv, "nextflow.config"], d)
    check(p.returncode == 3 and "inv.yml:2:" in p.stdout + p.stderr,
          "a non-string registry is reported at its line: %s" % (p.stdout + p.stderr))

check.finish()
