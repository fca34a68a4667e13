#!/bin/sh
# Downloads the static release binary of nf-preflight once, verifies it
# against the release's .sha256, and prints the binary's path.
#
# Usage: scripts/fetch-release.sh [VERSION]
#   VERSION defaults to this checkout's (CMakeLists.txt project VERSION).
# Environment:
#   NFP_RELEASE_URL  base of the release downloads, without the tag (default:
#                    https://github.com/OWNER/REPO/releases/download, from this
#                    checkout's origin remote, e.g. the clone pre-commit made)
#   NFP_CACHE        cache directory (default ${XDG_CACHE_HOME:-~/.cache}/nf-preflight)
# Used by the binary pre-commit hook and the GitHub Action.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
version=${1:-$(sed -n 's/^project(nf-preflight VERSION \([0-9][0-9.]*\).*/\1/p' "$here/CMakeLists.txt")}
version=${version#v}
case $(uname -s)-$(uname -m) in
  Linux-x86_64) arch=x86_64 ;;
  *) echo "fetch-release: no release binary for $(uname -s) $(uname -m); build from source or use the 'system' hook" >&2; exit 2 ;;
esac
name=nf-preflight-$version-linux-$arch
cache=${NFP_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/nf-preflight}
bin=$cache/$name/nf-preflight
if [ -x "$bin" ]; then echo "$bin"; exit 0; fi

base=${NFP_RELEASE_URL:-}
if [ -z "$base" ]; then
  origin=$(git -C "$here" remote get-url origin 2>/dev/null || true)
  case $origin in
    git@github.com:*) repo=${origin#git@github.com:} ;;
    https://github.com/*) repo=${origin#https://github.com/} ;;
    *) echo "fetch-release: cannot tell where the releases are (origin '$origin'); set NFP_RELEASE_URL" >&2; exit 2 ;;
  esac
  base=https://github.com/${repo%.git}/releases/download
fi
mkdir -p "$cache"
tmp=$(mktemp -d "$cache/.fetch.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
get() {
  if command -v curl >/dev/null; then curl -fsSL -o "$2" "$1"
  else wget -q -O "$2" "$1"; fi
}
get "$base/v$version/$name.tar.gz" "$tmp/$name.tar.gz"
get "$base/v$version/$name.tar.gz.sha256" "$tmp/$name.tar.gz.sha256"
(cd "$tmp" && sha256sum -c --quiet "$name.tar.gz.sha256") || {
  echo "fetch-release: $name.tar.gz does not match its .sha256" >&2; exit 1; }
tar -xzf "$tmp/$name.tar.gz" -C "$tmp"
rm -rf "${cache:?}/$name"
mv "$tmp/$name" "$cache/$name"
echo "$bin"
