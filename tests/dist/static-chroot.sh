#!/bin/bash
# The static binary, tested where nothing else is: builds it
# (cmake -DNFP_STATIC=ON against scripts/build-static-deps.sh), checks that
# `file` calls it statically linked, then runs it by chroot in an empty root
# holding only the binary, the samples, a CA bundle and an /etc/hosts line:
#   - `check` on the samples gives the same report as the dynamic build;
#   - `check --online` reaches a loopback docker-registry over HTTPS, verified
#     against the test's own CA (the registry says an anonymous pull works);
#   - with no CA bundle in the root, the request fails and says why;
#   - with a CA that did not sign the server's certificate, verification fails.
# Run by scripts/test.sh (stage "static"). Exits 77 with a message when the
# static toolchain (musl-gcc, a deb-src apt source), root (for chroot),
# docker-registry or openssl is missing.
#
# Usage: tests/dist/static-chroot.sh [BUILD_DIR]   (default: build-static/)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build-static}
dyn=${NFP_DYNAMIC:-$root/build/nf-preflight}
jobs=${JOBS:-2}
skip() { echo "skipped: $*"; exit 77; }
fail=0
pass=0
check() {   # check COND-STATUS MESSAGE
  if [ "$1" -eq 0 ]; then pass=$((pass + 1)); echo "ok   $2"; else fail=$((fail + 1)); echo "FAIL $2"; fi
}

command -v musl-gcc >/dev/null || skip "musl-gcc not installed (Debian package musl-tools)"
[ "$(id -u)" -eq 0 ] || skip "chroot needs root"
command -v openssl >/dev/null || skip "openssl not installed"
reg=$(command -v docker-registry || true)
chroot=$(command -v chroot) || skip "chroot not found"
[ -n "$reg" ] || skip "docker-registry not installed"

rc=0
deps=$("$root/scripts/build-static-deps.sh" | tail -1) || rc=$?
[ "$rc" -ne 2 ] || skip "the static libraries cannot be built here (see above)"
[ "$rc" -eq 0 ] || { echo "FAIL build-static-deps.sh (status $rc)"; exit 1; }
cmake -S "$root" -B "$build" -DNFP_STATIC=ON -DCMAKE_BUILD_TYPE=Release -DNFP_WERROR=ON \
  -DNFP_STATIC_DEPS="$deps" >/dev/null
cmake --build "$build" --target nf-preflight -j"$jobs" >/dev/null
bin=$build/nf-preflight

desc=$(file -b "$bin")
echo "# file: $desc"
case $desc in *"statically linked"*) r=0 ;; *) r=1 ;; esac
check $r "file says statically linked"
r=0; grep -q "NEEDED" <(readelf -d "$bin" 2>/dev/null) && r=1
check $r "no NEEDED entries (readelf -d)"
r=0; readelf -l "$bin" | grep -q "INTERP" && r=1
check $r "no program interpreter"

work=$(mktemp -d)
pids=
cleanup() {
  for p in $pids; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

# The registry listens on this machine's first global (non-loopback) IPv4
# address: a name that resolves to loopback is refused unless the name itself
# is a loopback name (docs/security.md, network bounds), and a loopback name
# would make the tool use plain http, as Docker does for localhost.
addr=$(hostname -I 2>/dev/null | tr ' ' '\n' | grep -E '^[0-9]+(\.[0-9]+){3}$' | grep -v '^127\.' | head -1 || true)
online_ok=1
if [ -z "$addr" ]; then
  online_ok=0
  echo "# SKIP the --online checks: this machine has no non-loopback IPv4 address"
fi
addr=${addr:-127.0.0.1}

# A CA, a server certificate it signs (for registry.nfp.test and $addr),
# and an unrelated CA.
ossl() { openssl "$@" >/dev/null 2>&1; }
cd "$work"
ossl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=nf-preflight test CA" \
  -keyout ca.key -out ca.pem
ossl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=unrelated CA" -keyout other.key -out other.pem
ossl req -newkey rsa:2048 -nodes -subj "/CN=registry.nfp.test" -keyout server.key -out server.csr
printf 'subjectAltName=DNS:registry.nfp.test,IP:%s\nbasicConstraints=CA:FALSE\n' "$addr" > ext.cnf
ossl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 -extfile ext.cnf -out server.pem

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("'"$addr"'",0)); print(s.getsockname()[1]); s.close()')
mkdir -p store
cat > registry.yml <<EOF
version: 0.1
log:
  level: error
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $work/store
http:
  addr: $addr:$port
  secret: nfp-test-only-secret
  tls:
    certificate: $work/server.pem
    key: $work/server.key
EOF
"$reg" serve registry.yml > registry.log 2>&1 &
pids="$pids $!"

# Push one tiny image (config blob + manifest; no layers) over verified HTTPS.
python3 - "$addr" "$port" "$work/ca.pem" <<'EOF'
import hashlib, json, ssl, sys, time, urllib.error, urllib.request
addr, port, cafile = sys.argv[1:4]
ctx = ssl.create_default_context(cafile=cafile)
base = "https://%s:%s" % (addr, port)
def req(method, url, data=None, headers=None):
    return urllib.request.urlopen(urllib.request.Request(url, data=data, method=method, headers=headers or {}),
                                  timeout=10, context=ctx)
deadline = time.time() + 30
while True:
    try:
        req("GET", base + "/v2/").close()
        break
    except (OSError, urllib.error.URLError):
        if time.time() > deadline:
            raise SystemExit("registry did not start")
        time.sleep(0.2)
config = json.dumps({"architecture": "amd64", "os": "linux", "rootfs": {"type": "layers", "diff_ids": []}}).encode()
digest = "sha256:" + hashlib.sha256(config).hexdigest()
with req("POST", base + "/v2/nfp/tiny/blobs/uploads/", b"") as r:
    loc = r.headers["Location"]
loc = (base + loc if loc.startswith("/") else loc) + ("&" if "?" in loc else "?") + "digest=" + digest
req("PUT", loc, config, {"Content-Type": "application/octet-stream"}).close()
manifest = json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
                       "config": {"mediaType": "application/vnd.docker.container.image.v1+json",
                                  "size": len(config), "digest": digest}, "layers": []}).encode()
req("PUT", base + "/v2/nfp/tiny/manifests/1.0", manifest,
    {"Content-Type": "application/vnd.docker.distribution.manifest.v2+json"}).close()
EOF

# The empty root (entered with an empty environment, so no SSL_CERT_FILE of
# this machine): the binary, the samples, the CA bundle at the Debian path,
# and /etc/hosts naming the registry.
jail=$work/root
mkdir -p "$jail/etc/ssl/certs"
cp "$bin" "$jail/nf-preflight"
cp -r "$root/samples" "$jail/samples"
cp ca.pem "$jail/etc/ssl/certs/ca-certificates.crt"
echo "$addr registry.nfp.test" > "$jail/etc/hosts"
# Wave on and a credential inventory without this host: the image's host is
# then probed for anonymous pulls (what `--online` asks registries).
printf 'wave.enabled = true\nprocess.container = "registry.nfp.test:%s/nfp/tiny:1.0"\n' "$port" > "$jail/online.config"
printf 'credentials:\n  - registry: quay.io\n    name: quay\n    user: org+bot\n' > "$jail/creds.yml"
echo "# root: $(cd "$jail" && find . -type f | sort | tr '\n' ' ')"

# 1. the samples, compared with the dynamic build's report
r=0
(cd "$jail" && env -i "$chroot" "$jail" /nf-preflight check --no-settings samples > "$work/static.out" 2>&1) || r=$?
check $([ "$r" -eq 1 ] && echo 0 || echo 1) "check samples in the empty root exits 1 (it has findings), got $r"
r=0; grep -q "\[invalid-image-reference\]" "$work/static.out" || r=1
check $r "check samples reports the sample's invalid image reference"
if [ -x "$dyn" ]; then
  (cd "$jail" && "$dyn" check --no-settings samples > "$work/dynamic.out" 2>&1) || true
  r=0; cmp -s "$work/static.out" "$work/dynamic.out" || { r=1; diff "$work/dynamic.out" "$work/static.out" | head -20; }
  check $r "static and dynamic builds give the same report on the samples"
fi

online() {   # prints the report of check --online in the jail
  (cd "$jail" && env -i "$chroot" "$jail" /nf-preflight check --online --no-settings --clean-env \
     --env TOWER_ACCESS_TOKEN=x --credentials /creds.yml /online.config 2>&1) || true
}
if [ "$online_ok" -eq 0 ]; then
  echo "$pass passed, $fail failed (--online checks skipped)"
  [ "$fail" -eq 0 ]; exit
fi
# 2. verified HTTPS to the registry
out=$(online)
echo "# online: $(echo "$out" | head -c 600)"
r=0; grep -q "an anonymous pull works (probe: registry.nfp.test:$port" <<< "$out" || r=1
check $r "check --online from the empty root gets the registry's answer over verified HTTPS"
r=0; grep -qi "TLS\|certificate" <<< "$out" && r=1
check $r "no TLS error with the right CA"

# 3. no CA bundle at all: says so
rm "$jail/etc/ssl/certs/ca-certificates.crt"
out=$(online)
echo "# no bundle: $(echo "$out" | head -c 600)"
r=0; grep -q "no CA certificate bundle found" <<< "$out" || r=1
check $r "without a CA bundle the request fails and says none was found"

# 4. the wrong CA: verification fails
cp other.pem "$jail/etc/ssl/certs/ca-certificates.crt"
out=$(online)
echo "# wrong CA: $(echo "$out" | head -c 600)"
r=0; grep -qi "TLS verification failed" <<< "$out" || r=1
check $r "with an unrelated CA the TLS verification fails"
r=0; grep -q "an anonymous pull works" <<< "$out" && r=1
check $r "with an unrelated CA the registry is not reported as answering"

# 5. a repository's name that resolves to loopback is never contacted
echo "127.0.0.1 registry.nfp.test" > "$jail/etc/hosts"
out=$(online)
r=0; grep -q "refused: the host resolves to a loopback" <<< "$out" || r=1
check $r "a non-loopback name resolving to 127.0.0.1 is refused, not probed"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
