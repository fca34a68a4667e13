#!/usr/bin/env python3
"""Network integration test: starts the loopback servers, checks the Platform
double against the published contract, then runs the C checks in
$NFP_BUILD/tests/test_net_loopback with the server addresses in its
environment and asserts that they ran and passed.

Servers (127.0.0.1 only, free ports):
  platform_double.py   Platform credentials API + bearer-token registry
  registry.sh serve    two Debian docker-registry instances (open / htpasswd)

Exit 77 (skipped) when NFP_BUILD is unset, or when docker-registry is missing;
in the second case the Platform and token-dance checks still run first and a
failure there still fails the test.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from testlib import start_registries, stop  # noqa: E402
import urllib.error
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True   # keep the source tree clean
sys.path.insert(0, HERE)
import platform_double  # noqa: E402  (tokens and fixtures shared with the double)

SKIP = 77


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def start_double(tmp):
    proc = subprocess.Popen([sys.executable, os.path.join(HERE, "platform_double.py"), "--slow", "3"],
                            stdout=subprocess.PIPE, stderr=open(os.path.join(tmp, "double.log"), "w"),
                            text=True)
    line = proc.stdout.readline().strip()
    if not line.isdigit():
        proc.kill()
        fail("platform double did not report a port (got %r)" % line)
    return proc, "http://127.0.0.1:" + line


def get_json(url, token):
    req = urllib.request.Request(url, headers={"Authorization": "Bearer " + token})
    with urllib.request.urlopen(req, timeout=5) as r:
        return r.status, json.load(r)


def find_contract():
    shared = os.environ.get("NFP_SHARED") or os.path.join(os.environ.get("NFP_SRC", ""), "..", "shared")
    path = os.path.join(shared, "schemas", "seqera-api-1.181.0-subset.yaml")
    return path if os.path.exists(path) else None


def check_contract(base):
    """The double's answers must fit the published ListCredentials /
    DescribeCredentials schemas. Real Platform answers carry JSON null for
    unset fields (research section 3.2), which OpenAPI 3.0 would call
    'nullable'; nulls are dropped before validation. Unknown fields are
    rejected so the double cannot drift away from the contract."""
    path = find_contract()
    if not path:
        print("# skip contract check: shared/schemas/seqera-api-1.181.0-subset.yaml not found")
        return
    try:
        import jsonschema
        import yaml
    except ImportError as e:
        print("# skip contract check: %s" % e)
        return
    spec = yaml.safe_load(open(path))
    schemas = spec["components"]["schemas"]

    # OpenAPI-only keywords; SecurityKeys' oneOf is replaced by the explicit
    # discriminator lookup in check_cred.
    dropped = ("discriminator", "oneOf", "readOnly", "writeOnly", "x-enum-varnames", "x-type")

    def resolve(node):
        """Schema with $refs inlined and OpenAPI-only keywords removed."""
        if isinstance(node, list):
            return [resolve(x) for x in node]
        if not isinstance(node, dict):
            return node
        if "$ref" in node:
            return resolve(schemas[node["$ref"].rsplit("/", 1)[1]])
        out = {}
        for k, v in node.items():
            if k in dropped:
                continue
            if k == "properties":   # property names are data, not keywords
                out[k] = {name: resolve(sub) for name, sub in v.items()}
            else:
                out[k] = resolve(v)
        return out

    def strict(schema):
        schema = dict(schema)
        schema["additionalProperties"] = False
        return schema

    def drop_nulls(obj):
        return {k: v for k, v in obj.items() if v is not None}

    cred_schema = strict(resolve(schemas["Credentials"]))
    cred_schema["properties"]["keys"] = {"type": "object"}   # checked per discriminator below
    mapping = spec["components"]["schemas"]["SecurityKeys"]["discriminator"]["mapping"]

    def check_cred(c):
        jsonschema.validate(drop_nulls(c), cred_schema)
        keys = c["keys"]
        ref = mapping.get(keys.get("discriminator"))
        if not ref:
            fail("credential %s: keys.discriminator %r not in the contract" % (c["id"], keys.get("discriminator")))
        if keys["discriminator"] != c["provider"]:
            fail("credential %s: keys.discriminator differs from provider" % c["id"])
        jsonschema.validate(drop_nulls(keys), strict(resolve(schemas[ref.rsplit("/", 1)[1]])))

    for ws in ("?workspaceId=" + platform_double.ORG_WORKSPACE, ""):
        status, body = get_json(base + "/credentials" + ws, platform_double.GOOD_TOKEN)
        if status != 200 or set(body) != {"credentials"}:
            fail("ListCredentials answer not shaped like ListCredentialsResponse: %r" % body)
        for c in body["credentials"]:
            check_cred(c)
    status, body = get_json(base + "/credentials/" + platform_double.WORKSPACE_CREDS[0]["id"]
                            + "?workspaceId=" + platform_double.ORG_WORKSPACE, platform_double.GOOD_TOKEN)
    check_cred(body["credentials"])

    # The org list is what the brief asks for: several registries + one non-registry.
    _, body = get_json(base + "/credentials?workspaceId=1234", platform_double.GOOD_TOKEN)
    hosts = {c["keys"].get("registry") for c in body["credentials"] if c["provider"] == "container-reg"}
    if not {"quay.io", "docker.io"} <= hosts or not any(".dkr.ecr." in (h or "") for h in hosts):
        fail("org workspace list lacks quay.io/docker.io/ECR credentials: %r" % hosts)
    if not any(c["provider"] == "aws" for c in body["credentials"]):
        fail("org workspace list lacks the non-registry (aws) credential")

    # 400 answers carry an ErrorResponse; 401/403 need no body.
    try:
        get_json(base + "/credentials?workspaceId=abc", platform_double.GOOD_TOKEN)
        fail("non-numeric workspaceId was accepted")
    except urllib.error.HTTPError as e:
        if e.code != 400:
            fail("non-numeric workspaceId gave %d, want 400" % e.code)
        jsonschema.validate(json.load(e), resolve(schemas["ErrorResponse"]))
    print("# contract check: double matches ListCredentials/DescribeCredentials")


def run_driver(binary, env_extra):
    env = dict(os.environ)
    env.update(env_extra)
    res = subprocess.run([binary], env=env, capture_output=True, text=True, timeout=180)
    sys.stdout.write(res.stdout)
    sys.stderr.write(res.stderr)
    if res.returncode != 0:
        fail("test_net_loopback exited %d" % res.returncode)
    last = res.stdout.strip().splitlines()[-1] if res.stdout.strip() else ""
    m = re.fullmatch(r"(\d+) passed, (\d+) failed", last)
    if not m or m.group(2) != "0":
        fail("unexpected summary line from test_net_loopback: %r" % last)
    if int(m.group(1)) < 50:
        fail("test_net_loopback ran only %s checks; were the servers seen?" % m.group(1))
    for var in env_extra:
        if ("%s unset" % var) in res.stdout:
            fail("test_net_loopback skipped %s although it was set" % var)
    return int(m.group(1))


def main():
    # A proxy from the environment must not swallow loopback traffic (libcurl
    # and urllib both honour no_proxy).
    for var in ("no_proxy", "NO_PROXY"):
        os.environ[var] = ",".join(filter(None, [os.environ.get(var), "127.0.0.1", "localhost"]))
    build = os.environ.get("NFP_BUILD")
    if not build:
        print("skip: NFP_BUILD is unset (run through ctest)")
        return SKIP
    binary = os.path.join(build, "tests", "test_net_loopback")
    if not os.access(binary, os.X_OK):
        fail("driver not built: %s" % binary)

    tmp = tempfile.mkdtemp(prefix="nfp-net-")
    double = registry = None
    try:
        double, base = start_double(tmp)
        check_contract(base)
        work = os.path.join(tmp, "registry")
        registry, reg_env = start_registries(work, on_missing=lambda: (None, "docker-registry missing"))
        if registry is None:
            n = run_driver(binary, {"NFP_TEST_PLATFORM_URL": base})
            print("skip: %s; Platform and token-dance checks passed (%d), "
                  "docker-registry checks not run" % (reg_env, n))
            return SKIP
        env = {"NFP_TEST_PLATFORM_URL": base}
        env.update(reg_env)
        if "NFP_TEST_REGISTRY_URL" not in env:
            fail("registry.sh gave no NFP_TEST_REGISTRY_URL: %r" % reg_env)
        n = run_driver(binary, env)
        print("ok: %d network checks passed" % n)
        return 0
    finally:
        stop(registry)
        stop(double)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
