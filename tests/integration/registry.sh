#!/bin/sh
# Starts two throw-away Debian docker-registry instances on 127.0.0.1 for the
# network tests, and pushes one tiny image into each through the registry HTTP
# API (there is no docker engine here):
#   public  – no auth: anonymous pulls work
#   auth    – htpasswd (basic-auth realm): anonymous pulls get 401 Basic
#
#   sh registry.sh serve WORKDIR
#
# stays in the foreground: prints KEY=VALUE lines (NFP_TEST_REGISTRY_URL,
# NFP_TEST_REGISTRY_AUTH_URL (absent when htpasswd is missing),
# NFP_TEST_REGISTRY_REPO, NFP_TEST_REGISTRY_TAG, NFP_TEST_REGISTRY_DIGEST), then
# a line READY, and runs until it gets SIGTERM/SIGINT, when it stops and reaps
# both registries (so no orphans are left behind).
#
# Exit 77 when docker-registry is not installed (NFP_DOCKER_REGISTRY overrides
# the binary). Everything lives in WORKDIR; the caller removes it.
set -eu

cmd=${1:-}
dir=${2:-}
[ "$cmd" = serve ] && [ -n "$dir" ] || { echo "usage: $0 serve WORKDIR" >&2; exit 2; }

REPO=nfp/tiny
TAG=1.0
USER_NAME=nfp-user
USER_PASS=nfp-pass-7d1e

pids=
stop() {
    for pid in $pids; do
        kill "$pid" 2>/dev/null || true
    done
    for pid in $pids; do
        wait "$pid" 2>/dev/null || true
    done
    pids=
}

reg=${NFP_DOCKER_REGISTRY:-$(command -v docker-registry || echo /usr/bin/docker-registry)}
if [ ! -x "$reg" ]; then
    echo "docker-registry not installed (Debian package docker-registry)" >&2
    exit 77
fi
mkdir -p "$dir"

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# start NAME PORT [AUTH-YAML]
start() {
    name=$1 port=$2 auth=${3:-}
    mkdir -p "$dir/$name-store"
    {
        echo "version: 0.1"
        echo "log:"
        echo "  level: error"
        echo "  accesslog:"
        echo "    disabled: true"
        echo "storage:"
        echo "  filesystem:"
        echo "    rootdirectory: $dir/$name-store"
        echo "http:"
        echo "  addr: 127.0.0.1:$port"
        echo "  secret: nfp-test-only-secret"
        [ -z "$auth" ] || printf '%s\n' "$auth"
    } >"$dir/$name.yml"
    "$reg" serve "$dir/$name.yml" >"$dir/$name.log" 2>&1 &
    pids="$pids $!"
}

# Any exit (failed step, signal) stops what was started.
trap 'stop' EXIT
trap 'exit 0' TERM INT

pub_port=$(free_port)
start public "$pub_port"

auth_port=
if command -v htpasswd >/dev/null 2>&1; then
    htpasswd -B -b -c "$dir/htpasswd" "$USER_NAME" "$USER_PASS" 2>/dev/null
    auth_port=$(free_port)
    start auth "$auth_port" "auth:
  htpasswd:
    realm: nfp-basic-realm
    path: $dir/htpasswd"
fi

# Wait for readiness, then push blobs and the manifest. Python does the HTTP
# so the upload (POST, PUT with digest) needs nothing beyond the stdlib.
python3 - "$pub_port" "$auth_port" "$REPO" "$TAG" "$USER_NAME" "$USER_PASS" <<'EOF'
import base64, hashlib, io, json, sys, tarfile, time, urllib.error, urllib.request

pub_port, auth_port, repo, tag, user, password = sys.argv[1:7]

def request(method, url, data=None, headers=None, auth=False):
    req = urllib.request.Request(url, data=data, method=method, headers=dict(headers or {}))
    if auth:
        cred = base64.b64encode(("%s:%s" % (user, password)).encode()).decode()
        req.add_header("Authorization", "Basic " + cred)
    return urllib.request.urlopen(req, timeout=5)

def wait_ready(port, auth):
    deadline = time.time() + 15
    while True:
        try:
            request("GET", "http://127.0.0.1:%s/v2/" % port, auth=auth).close()
            return
        except urllib.error.HTTPError as e:
            if e.code == 401 and auth:
                raise SystemExit("htpasswd registry refused the test user")
            return
        except OSError:
            if time.time() > deadline:
                raise SystemExit("registry on port %s did not start" % port)
            time.sleep(0.1)

def push_blob(base, data, auth):
    digest = "sha256:" + hashlib.sha256(data).hexdigest()
    with request("POST", base + "/v2/%s/blobs/uploads/" % repo, data=b"", auth=auth) as r:
        loc = r.headers["Location"]
    if loc.startswith("/"):
        loc = base + loc
    loc += ("&" if "?" in loc else "?") + "digest=" + digest
    request("PUT", loc, data=data, auth=auth,
            headers={"Content-Type": "application/octet-stream"}).close()
    return digest

def tiny_layer():
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        payload = b"nf-preflight test layer\n"
        info = tarfile.TarInfo("hello.txt")
        info.size = len(payload)
        info.mtime = 0
        tar.addfile(info, io.BytesIO(payload))
    return buf.getvalue()

def push(port, auth):
    base = "http://127.0.0.1:%s" % port
    wait_ready(port, auth)
    config = json.dumps({"architecture": "amd64", "os": "linux",
                         "rootfs": {"type": "layers", "diff_ids": []}}).encode()
    layer = tiny_layer()
    cdig = push_blob(base, config, auth)
    ldig = push_blob(base, layer, auth)
    manifest = json.dumps({
        "schemaVersion": 2,
        "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
        "config": {"mediaType": "application/vnd.docker.container.image.v1+json",
                   "size": len(config), "digest": cdig},
        "layers": [{"mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip",
                    "size": len(layer), "digest": ldig}],
    }).encode()
    with request("PUT", base + "/v2/%s/manifests/%s" % (repo, tag), data=manifest, auth=auth,
                 headers={"Content-Type": "application/vnd.docker.distribution.manifest.v2+json"}) as r:
        return r.headers.get("Docker-Content-Digest") or "sha256:" + hashlib.sha256(manifest).hexdigest()

digest = push(pub_port, False)
if auth_port:
    push(auth_port, True)
print("NFP_TEST_REGISTRY_DIGEST=%s" % digest)
EOF

echo "NFP_TEST_REGISTRY_URL=http://127.0.0.1:$pub_port"
[ -z "$auth_port" ] || echo "NFP_TEST_REGISTRY_AUTH_URL=http://127.0.0.1:$auth_port"
echo "NFP_TEST_REGISTRY_REPO=$REPO"
echo "NFP_TEST_REGISTRY_TAG=$TAG"
echo READY
# wait returns early when a trapped signal arrives; the traps then clean up.
wait
