#!/bin/bash
# The Debian package on a fresh Debian 12: debootstraps a minimal bookworm
# root (the minbase variant: no libyaml, no man-db, nothing of this machine's
# packages), copies the package built by `cpack -G DEB` into it, and there
# runs what a user does: `dpkg -i` (which stops on the missing dependencies),
# `apt-get -f install` (which fetches them from the archive), then
# `nf-preflight --version`, `man nf-preflight` and a check of the samples.
#
# The root is built from the archive this machine's apt uses and kept as a
# tarball in the cache directory ($NFP_CACHE_DIR, default
# ~/.cache/nf-preflight), so later runs unpack it instead of bootstrapping.
# Run by scripts/test.sh (stage "deb-fresh"). Exits 77 with a message when not
# root, when debootstrap is missing or when the archive cannot be reached.
#
# Usage: tests/dist/deb-fresh-debian.sh [BUILD_DIR]   (default: build-deb/)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build-deb}
jobs=${JOBS:-2}
cache=${NFP_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/nf-preflight}
skip() { echo "skipped: $*"; exit 77; }
fail=0
pass=0
check() {
  if [ "$1" -eq 0 ]; then pass=$((pass + 1)); echo "ok   $2"; else fail=$((fail + 1)); echo "FAIL $2"; fi
}
[ "$(id -u)" -eq 0 ] || skip "debootstrap and chroot need root"
for t in debootstrap chroot cpack dpkg-deb; do
  command -v "$t" >/dev/null || skip "$t not installed"
done

# The archive this machine installs from (deb822 or one-line sources).
mirror=$(sed -n 's/^URIs: *\(http[^ ]*debian\/*\)$/\1/p' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -1)
[ -n "$mirror" ] || mirror=$(awk '$1 == "deb" && $2 ~ /debian\/?$/ { print $2; exit }' /etc/apt/sources.list 2>/dev/null)
mirror=${mirror:-http://deb.debian.org/debian}

# The package, built as deb-install.sh builds it (a /usr prefix).
if ! ls "$build"/nf-preflight_*.deb >/dev/null 2>&1; then
  cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX=/usr \
    -DNFP_ZSH_COMPLETION_DIR=share/zsh/vendor-completions -DCMAKE_SKIP_INSTALL_ALL_DEPENDENCY=ON >/dev/null
  cmake --build "$build" --target nf-preflight -j"$jobs" >/dev/null
  (cd "$build" && cpack -G DEB >/dev/null)
fi
deb=$(ls "$build"/nf-preflight_*.deb | head -1)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fresh=$work/root
tarball=$cache/debian-bookworm-minbase.tar
mkdir -p "$cache"
if [ -s "$tarball" ]; then
  mkdir "$fresh" && tar -xf "$tarball" -C "$fresh"
  echo "# fresh root: unpacked $(du -h "$tarball" | cut -f1) from the cache"
else
  start=$(date +%s)
  if ! debootstrap --variant=minbase bookworm "$fresh" "$mirror" > "$work/debootstrap.log" 2>&1; then
    tail -5 "$work/debootstrap.log"
    skip "debootstrap from $mirror failed (no archive reachable?)"
  fi
  echo "# fresh root: debootstrap --variant=minbase bookworm from $mirror in $(( $(date +%s) - start )) s"
  tar -cf "$tarball.tmp" -C "$fresh" . && mv "$tarball.tmp" "$tarball"
fi

in_root() { chroot "$fresh" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
  DEBIAN_FRONTEND=noninteractive LANG=C.UTF-8 "$@"; }
cp /etc/resolv.conf "$fresh/etc/resolv.conf"
cp "$deb" "$fresh/tmp/nf-preflight.deb"
cp -r "$root/samples" "$fresh/tmp/samples"

r=0; in_root dpkg-query -W -f='${Status}' libyaml-0-2 2>/dev/null | grep -q "ok installed" && r=1
check $r "the fresh root does not have libyaml (a dependency the package must bring)"
r=0; in_root dpkg -i /tmp/nf-preflight.deb > "$work/dpkg.log" 2>&1 && r=1
grep -q "libyaml-0-2" "$work/dpkg.log" || r=1
check $r "dpkg -i stops on the missing dependency libyaml-0-2"
r=0; { in_root apt-get update && in_root apt-get -f install -y --no-install-recommends \
       && in_root apt-get install -y --no-install-recommends man-db; } > "$work/apt.log" 2>&1 || { r=1; tail -5 "$work/apt.log"; }
check $r "apt-get -f install completes the installation from the archive"
r=0; in_root dpkg-query -W -f='${Status}' nf-preflight | grep -q "install ok installed" || r=1
check $r "dpkg says nf-preflight is installed"
v=$(in_root nf-preflight --version 2>&1 || true)
r=0; grep -q "^nf-preflight " <<< "$v" || r=1
check $r "nf-preflight --version in the fresh root: $v"
r=0; in_root man -P cat nf-preflight 2>/dev/null | grep -q "pre-launch\|nf-preflight" || r=1
check $r "man nf-preflight shows the page"
rc=0; in_root nf-preflight check --no-settings /tmp/samples > "$work/check.out" 2>&1 || rc=$?
r=0; [ "$rc" -eq 1 ] && grep -q "\[invalid-image-reference\]" "$work/check.out" || r=1
check $r "check on the samples reports their findings (exit $rc)"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
