#!/bin/bash
# The Debian package: builds the dynamic binary for /usr, runs `cpack -G DEB`,
# checks the package's fields and files, then installs it with `dpkg -i`,
# runs `nf-preflight --version` and `man nf-preflight`, and removes it again
# (`dpkg -r`, also when a check fails), so the machine is left as it was.
# Run by scripts/test.sh (stage "deb"). Exits 77 with a message when not root,
# when dpkg/cpack/man are missing, or when a package named nf-preflight is
# already installed (it is not this test's to replace).
#
# Usage: tests/dist/deb-install.sh [BUILD_DIR]   (default: build-deb/)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build-deb}
jobs=${JOBS:-2}
skip() { echo "skipped: $*"; exit 77; }
fail=0
pass=0
check() {
  if [ "$1" -eq 0 ]; then pass=$((pass + 1)); echo "ok   $2"; else fail=$((fail + 1)); echo "FAIL $2"; fi
}
for t in dpkg dpkg-deb dpkg-shlibdeps cpack man; do
  command -v "$t" >/dev/null || skip "$t not installed"
done
[ "$(id -u)" -eq 0 ] || skip "dpkg -i needs root"
if dpkg-query -W -f='${Status}' nf-preflight 2>/dev/null | grep -q "installed"; then
  skip "a package nf-preflight is already installed"
fi

# Configured as a distribution package: /usr prefix, zsh completion where
# Debian's zsh looks; `install` does not rebuild the test programs.
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX=/usr \
  -DNFP_ZSH_COMPLETION_DIR=share/zsh/vendor-completions -DCMAKE_SKIP_INSTALL_ALL_DEPENDENCY=ON >/dev/null
cmake --build "$build" --target nf-preflight -j"$jobs" >/dev/null
rm -f "$build"/nf-preflight_*.deb
(cd "$build" && cpack -G DEB >/dev/null)
deb=$(ls "$build"/nf-preflight_*.deb)
echo "# $(basename "$deb"): $(stat -c %s "$deb") bytes"

depends=$(dpkg-deb -f "$deb" Depends)
recommends=$(dpkg-deb -f "$deb" Recommends)
echo "# Depends: $depends"
echo "# Recommends: $recommends"
for d in libc6 libyaml-0-2 libpcre2-8-0; do
  r=0; grep -q "$d" <<< "$depends" || r=1
  check $r "Depends names $d"
done
r=0; grep -q "libcurl" <<< "$depends" && r=1
check $r "libcurl is not a hard dependency (dlopen()ed for online checks only)"
r=0; grep -q "libcurl4" <<< "$recommends" || r=1
check $r "Recommends names libcurl4"
files=$(dpkg-deb -c "$deb" | awk '{ print $6 }')
for f in ./usr/bin/nf-preflight ./usr/share/man/man1/nf-preflight.1 \
         ./usr/share/bash-completion/completions/nf-preflight ./usr/share/zsh/vendor-completions/_nf-preflight; do
  r=0; grep -qx "$f" <<< "$files" || r=1
  check $r "package holds $f"
done

trap 'dpkg -r nf-preflight >/dev/null 2>&1 || true' EXIT
r=0; dpkg -i "$deb" > "$build/dpkg.log" 2>&1 || { r=1; tail -5 "$build/dpkg.log"; }
check $r "dpkg -i installs it"
v=$(/usr/bin/nf-preflight --version 2>&1 || true)
r=0; grep -q "nf-preflight" <<< "$v" || r=1
check $r "nf-preflight --version: $v"
r=0; man -P cat nf-preflight 2>/dev/null | grep -q "nf-preflight" || r=1
check $r "man nf-preflight shows the page"
r=0; dpkg -r nf-preflight > "$build/dpkg.log" 2>&1 || r=1
check $r "dpkg -r removes it"
r=0; [ ! -e /usr/bin/nf-preflight ] || r=1
check $r "nothing left in /usr/bin"
trap - EXIT

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
