#!/usr/bin/env python3
"""Loopback stand-in for the Seqera Platform credentials API and for a
bearer-token registry, for the network tests. Python standard library only.

Platform part, built from the published contract
(../shared/schemas/seqera-api-1.181.0-subset.yaml, operations ListCredentials,
DescribeCredentials, DescribeWorkflowLaunch and DescribeComputeEnv):

  GET /credentials[?workspaceId=N]   -> {"credentials": [...]}
  GET /credentials/{id}[?workspaceId=N] -> {"credentials": {...}}
  GET /workflow/{id}/launch?workspaceId=1234 -> {"launch": {...}} (WORKFLOWS)
  GET /compute-envs/{id}?workspaceId=1234    -> {"computeEnv": {...}} (COMPUTE_ENVS)
  GET /_requests                     -> every request so far: path, query, token
                                        (for "the token goes only here, always
                                        with the workspace id")

The launch and compute-environment answers need the good token and workspace
1234 (anything else: 401 / 403, no body); an unknown id is 403, as the
contract lists no 404.

The answer is chosen by the bearer token (constants below) or, with the good
token, by a path prefix /_mode/<mode>/credentials:

  GOOD_TOKEN            personal context (no workspaceId) or workspace 1234;
                        any other workspace -> 403 (no body, as in the contract)
  TOKEN_500 / mode 500  500 with an ErrorResponse body
  TOKEN_SLOW / slow     sleeps --slow seconds, then the normal list
  TOKEN_HUGE / huge     2 MiB valid JSON with Content-Length
  huge-stream           the same without Content-Length (close-delimited)
  TOKEN_HTML / html     200 text/html (what a captive proxy would send)
  TOKEN_BADREQ / badreq 400 whose message echoes the token (redaction check)
  anything else         401

A non-numeric workspaceId gets 400 {"message": ...}, as the contract allows.

Registry part (token dance, research seqera-wave-credentials.md section 7):

  /v2/<name>/manifests/<ref>  401 + WWW-Authenticate: Bearer realm=<this>/token,
                              service="nfp-double",scope=...; with a token from
                              /token: public/*, acr/*, nohead/* -> 200 for tag
                              1.0 or its digest, 404 MANIFEST_UNKNOWN otherwise;
                              public/missing -> 404 NAME_UNKNOWN; private/* ->
                              401 even with the anonymous token; ratelimited/*
                              -> 429; nohead/* answers HEAD with 405; slow/*
                              sleeps --slow seconds.
  /token?service=&scope=      anonymous token ({"token"}, or {"access_token"}
                              for acr/*), 401 for ghcr-private/*, 400 when the
                              request carries an Authorization header (the
                              probe must stay anonymous) or the wrong service.

Helpers: /_redirect/same-host and /_redirect/other-host (302 to /_echo-auth on
127.0.0.1 or on localhost), /_echo-auth answers whether an Authorization header
arrived.

Binds 127.0.0.1 on the given port (default 0 = any free port) and prints the
port number on stdout once it accepts connections.
"""
import argparse
import hashlib
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

GOOD_TOKEN = "nfp-good-token-5f2c9a71e3"
TOKEN_500 = "nfp-token-500"
TOKEN_SLOW = "nfp-token-slow"
TOKEN_HUGE = "nfp-token-huge"
TOKEN_HUGE_STREAM = "nfp-token-huge-stream"
TOKEN_HTML = "nfp-token-html"
TOKEN_BADREQ = "nfp-token-badreq"

ORG_WORKSPACE = "1234"
REGISTRY_SERVICE = "nfp-double"
MANIFEST = json.dumps({
    "schemaVersion": 2,
    "mediaType": "application/vnd.oci.image.manifest.v1+json",
    "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
               "digest": "sha256:" + "1" * 64, "size": 2},
    "layers": [],
}).encode()
MANIFEST_DIGEST = "sha256:" + hashlib.sha256(MANIFEST).hexdigest()


def cred(cid, name, provider, keys, **extra):
    """One Credentials object shaped like the contract and Wave's test fixture."""
    out = {
        "id": cid, "name": name, "description": None, "provider": provider,
        "baseUrl": None, "category": None, "deleted": None, "lastUsed": None,
        "dateCreated": "2024-03-07T12:28:31Z", "lastUpdated": "2024-03-07T12:28:31Z",
        "status": "AVAILABLE", "message": None, "lastValidated": "2024-03-08T09:00:00Z",
        "keys": keys,
    }
    out.update(extra)
    return out


def registry_keys(user, registry):
    return {"discriminator": "container-reg", "userName": user, "password": None,
            "registry": registry}


WORKSPACE_CREDS = [
    cred("4mRq2DDmJ8vZ3Nq0rKwJ1a", "quay-robot", "container-reg",
         registry_keys("myorg+puller", "quay.io")),
    cred("6tYbXo1VcQ3mWfE2yHnD7b", "dockerhub-readonly", "container-reg",
         registry_keys("nfpuser", "docker.io")),
    cred("1S7A9csbEQOsudkVFRLckq", "ecr-eu-west-1", "container-reg",
         registry_keys("AKIAEXAMPLEKEYID0001",
                       "123456789012.dkr.ecr.eu-west-1.amazonaws.com"),
         status="INVALID", message="Invalid credentials for container registry"),
    cred("2hP0wLsRk5uGd8TzCvNm3c", "aws-batch-keys", "aws",
         {"discriminator": "aws", "accessKey": "AKIAEXAMPLEKEYID0002",
          "assumeRoleArn": None, "mode": "keys", "externalId": None}),
]
PERSONAL_CREDS = [
    # registry null: Wave reads it as docker.io.
    cred("3kJ8sWq1ZxC5vB7nM9lA2d", "my-hub", "container-reg", registry_keys("me", None)),
    cred("5gH2jK4lP6oI8uY0tR1eW3", "github-pat", "github",
         {"discriminator": "github", "username": "me"}),
]


AWS_CRED_ID = WORKSPACE_CREDS[3]["id"]


def compute_env(ce_id, name, platform, wave=False, fusion=False, nextflow_config=None, creds=AWS_CRED_ID):
    """A ComputeEnv_ComputeConfig_ object (the fields a launch check reads)."""
    config = {"discriminator": platform, "workDir": "s3://nfp-bucket/work",
              "waveEnabled": wave, "fusion2Enabled": fusion}
    if nextflow_config is not None:
        config["nextflowConfig"] = nextflow_config
    return {"id": ce_id, "name": name, "platform": platform, "credentialsId": creds,
            "status": "AVAILABLE", "config": config}


COMPUTE_ENVS = {
    "ceWave": compute_env("ceWave", "batch-wave", "aws-batch", wave=True),
    "ceNoWave": compute_env("ceNoWave", "batch-plain", "aws-batch"),
    "ceGoogle": compute_env("ceGoogle", "gbatch-wave", "google-batch", wave=True, creds="gcpCred"),
    "ceFusionCfg": compute_env("ceFusionCfg", "batch-fusion-cfg", "aws-batch",
                               nextflow_config="fusion.enabled = true\n"),
    "ceBareWave": compute_env("ceBareWave", "batch-fetched", "aws-batch", wave=True),
    # SlurmComputeConfig has no waveEnabled: no toggle to point at
    "ceSlurm": compute_env("ceSlurm", "hpc-slurm", "slurm-platform", creds=None),
}


def launch(wf, ce, config_text=None, profiles=None, params=None, embed_config=True, **extra):
    """A WorkflowLaunchResponse for workflow `wf` on compute environment `ce`;
    embed_config=False leaves the embedded computeEnv without its config so
    that the client must ask /compute-envs/{id}."""
    env = dict(COMPUTE_ENVS[ce])
    if not embed_config:
        env.pop("config")
    # a repository on a loopback host: prerun refuses to fetch it (without
    # --allow-local-repository), so no test reaches the network
    out = {"id": "launch-" + wf, "pipeline": "https://127.0.0.1:9/nfp-test/pipeline",
           "revision": "main", "computeEnv": env, "workDir": "s3://nfp-bucket/work",
           "configProfiles": profiles or [], "pullLatest": False, "stubRun": False,
           "resume": False, "syntaxParser": None}
    if config_text is not None:
        out["configText"] = config_text
    if params is not None:
        out["paramsText"] = params
    out.update(extra)
    return {"launch": out}



WORKFLOWS = {
    "wfWaveCe": launch("wfWaveCe", "ceWave"),
    "wfNoWave": launch("wfNoWave", "ceNoWave"),
    "wfGoogle": launch("wfGoogle", "ceGoogle"),
    "wfBadText": launch("wfBadText", "ceWave", config_text="process {\n  cpus = \n"),
    "wfProfile": launch("wfProfile", "ceNoWave", profiles=["platform"]),
    "wfParams": launch("wfParams", "ceNoWave", params='{"use_wave": true}'),
    "wfFusionCfg": launch("wfFusionCfg", "ceFusionCfg"),
    "wfFetchCe": launch("wfFetchCe", "ceBareWave", embed_config=False),
    "wfV1": launch("wfV1", "ceWave", syntaxParser="v1"),
    "wfTextOff": launch("wfTextOff", "ceWave", config_text="wave.enabled = false\n"),
    "wfSlurm": launch("wfSlurm", "ceSlurm"),
}

REQUESTS = []          # (path, query string, bearer token) of every request


class Handler(BaseHTTPRequestHandler):
    server_version = "nfp-platform-double/1"
    slow_seconds = 3.0

    def log_message(self, fmt, *args):  # keep test output quiet
        pass

    # -- plumbing ---------------------------------------------------------
    def send(self, status, body=b"", ctype="application/json", headers=None, length=True):
        try:
            self.send_response(status)
            if body or ctype:
                self.send_header("Content-Type", ctype)
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            if length:
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD" and body:
                self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (timeout or size cap): expected in tests

    def send_json(self, status, obj, headers=None):
        self.send(status, json.dumps(obj).encode(), headers=headers)

    def bearer(self):
        auth = self.headers.get("Authorization", "")
        return auth[7:] if auth[:7].lower() == "bearer " else None

    def base_url(self):
        return "http://127.0.0.1:%d" % self.server.server_address[1]

    def do_HEAD(self):
        self.route()

    delay_seconds = 0.0

    def do_GET(self):
        if self.delay_seconds:
            time.sleep(self.delay_seconds)
        self.route()

    def route(self):
        parts = urlsplit(self.path)
        path, query = parts.path, parse_qs(parts.query)
        if path == "/_requests":
            return self.send_json(200, [{"path": p, "query": q, "token": t} for p, q, t in REQUESTS])
        REQUESTS.append((path, parts.query, self.bearer()))
        mode = None
        if path.startswith("/_mode/"):
            rest = path[len("/_mode/"):]
            mode, _, tail = rest.partition("/")
            path = "/" + tail
        if path == "/credentials" or path.startswith("/credentials/"):
            return self.credentials(path, query, mode)
        if path.startswith("/workflow/") and path.endswith("/launch"):
            return self.described(query, WORKFLOWS.get(path[len("/workflow/"):-len("/launch")]))
        if path.startswith("/compute-envs/"):
            env = COMPUTE_ENVS.get(path[len("/compute-envs/"):])
            return self.described(query, env and {"computeEnv": env})
        if path.startswith("/v2/"):
            return self.registry(path)
        if path == "/token":
            return self.token(query)
        if path == "/_redirect/same-host":
            return self.send(302, b"", headers={"Location": "/_echo-auth"})
        if path == "/_redirect/other-host":
            port = self.server.server_address[1]
            return self.send(302, b"", headers={"Location": "http://localhost:%d/_echo-auth" % port})
        if path == "/_echo-auth":
            seen = "present" if self.headers.get("Authorization") else "absent"
            return self.send_json(200, {"authorization": seen})
        return self.send_json(404, {"message": "Not found: " + path})

    # -- Platform ---------------------------------------------------------
    def credentials(self, path, query, mode):
        token = self.bearer()
        if mode is None:
            mode = {TOKEN_500: "500", TOKEN_SLOW: "slow", TOKEN_HUGE: "huge",
                    TOKEN_HUGE_STREAM: "huge-stream", TOKEN_HTML: "html",
                    TOKEN_BADREQ: "badreq"}.get(token)
            if mode is None and token != GOOD_TOKEN:
                return self.send(401, b"", ctype=None)
        elif token != GOOD_TOKEN:
            return self.send(401, b"", ctype=None)

        if mode == "500":
            return self.send_json(500, {"message": "Unexpected error"})
        if mode == "badreq":
            return self.send_json(400, {"message": "Invalid access token '%s'" % token})
        if mode == "html":
            return self.send(200, b"<html><body>Please log in</body></html>", ctype="text/html")
        if mode in ("huge", "huge-stream"):
            filler = [cred("x%021d" % i, "filler-%d" % i, "container-reg",
                           registry_keys("u", "r%d.example.com" % i)) for i in range(6000)]
            body = json.dumps({"credentials": filler}).encode()
            return self.send(200, body, length=(mode == "huge"))
        if mode == "slow":
            time.sleep(self.slow_seconds)

        ws = query.get("workspaceId", [None])[0]
        if ws is not None and not ws.isdigit():
            return self.send_json(400, {"message": "Invalid workspace id: %s" % ws})
        if ws is None:
            creds = PERSONAL_CREDS
        elif ws == ORG_WORKSPACE:
            creds = WORKSPACE_CREDS
        else:
            return self.send(403, b"", ctype=None)

        if path == "/credentials":
            return self.send_json(200, {"credentials": creds})
        cid = path[len("/credentials/"):]
        for c in creds:
            if c["id"] == cid:
                return self.send_json(200, {"credentials": c})
        # The contract lists only 200/400/403 for DescribeCredentials.
        return self.send(403, b"", ctype=None)

    def described(self, query, answer):
        """DescribeWorkflowLaunch / DescribeComputeEnv: workspace 1234 only."""
        if self.bearer() != GOOD_TOKEN:
            return self.send(401, b"", ctype=None)
        ws = query.get("workspaceId", [None])[0]
        if ws is not None and not ws.isdigit():
            return self.send_json(400, {"message": "Invalid workspace id: %s" % ws})
        if ws != ORG_WORKSPACE or answer is None:
            return self.send(403, b"", ctype=None)
        return self.send_json(200, answer)

    # -- registry ---------------------------------------------------------
    def challenge(self, name):
        hdr = 'Bearer realm="%s/token",service="%s",scope="repository:%s:pull"' % (
            self.base_url(), REGISTRY_SERVICE, name)
        errors = {"errors": [{"code": "UNAUTHORIZED", "message": "authentication required"}]}
        return self.send_json(401, errors, headers={"WWW-Authenticate": hdr})

    def registry(self, path):
        if path == "/v2/":
            return self.challenge("")
        name, sep, ref = path[len("/v2/"):].rpartition("/manifests/")
        if not sep:
            return self.send_json(404, {"errors": [{"code": "NOT_FOUND"}]})
        if name.startswith("slow/"):
            time.sleep(self.slow_seconds)
        if name.startswith("ratelimited/"):
            return self.send_json(429, {"errors": [{"code": "TOOMANYREQUESTS"}]})
        if name.startswith("nohead/") and self.command == "HEAD":
            return self.send(405, b"", ctype=None)
        token = self.bearer()
        if token != anon_token(name):
            return self.challenge(name)
        if name.startswith("private/"):
            return self.challenge(name)
        if name == "public/missing":
            return self.send_json(404, {"errors": [{"code": "NAME_UNKNOWN"}]})
        if ref not in ("1.0", MANIFEST_DIGEST):
            return self.send_json(404, {"errors": [{"code": "MANIFEST_UNKNOWN"}]})
        return self.send(200, MANIFEST, ctype="application/vnd.oci.image.manifest.v1+json",
                         headers={"Docker-Content-Digest": MANIFEST_DIGEST})

    def token(self, query):
        if self.headers.get("Authorization"):
            return self.send_json(400, {"details": "anonymous probe sent credentials"})
        if query.get("service", [None])[0] != REGISTRY_SERVICE:
            return self.send_json(400, {"details": "unknown service"})
        scope = query.get("scope", [""])[0]
        parts = scope.split(":")
        if len(parts) != 3 or parts[0] != "repository" or parts[2] != "pull":
            return self.send_json(400, {"details": "bad scope"})
        name = parts[1]
        if name.startswith("ghcr-private/"):
            return self.send_json(401, {"errors": [{"code": "UNAUTHORIZED"}]})
        key = "access_token" if name.startswith("acr/") else "token"
        return self.send_json(200, {key: anon_token(name), "expires_in": 300,
                                    "issued_at": "2024-03-08T09:00:00Z"})


def anon_token(name):
    """Per-repository anonymous token, so a token for one repo fails on another."""
    return "anon-" + hashlib.sha256(name.encode()).hexdigest()[:32]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--slow", type=float, default=3.0,
                    help="seconds the slow modes sleep (longer than the client timeout)")
    ap.add_argument("--workflows", help="JSON file of more runs: {id: {ce, pipeline, revision}}")
    ap.add_argument("--delay", type=float, default=0.0,
                    help="seconds every request waits before it is answered (bench/prerun.sh)")
    args = ap.parse_args()
    Handler.slow_seconds = args.slow
    Handler.delay_seconds = args.delay
    if args.workflows:
        with open(args.workflows) as f:
            for wf, spec in json.load(f).items():
                WORKFLOWS[wf] = launch(wf, spec.get("ce", "ceWave"), pipeline=spec["pipeline"],
                                       revision=spec.get("revision"))
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    print(server.server_address[1], flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
