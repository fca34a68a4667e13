#!/bin/sh
# Installs everything nf-preflight needs to build and test, from Debian packages only.
# Run as root on a fresh Debian 12 machine. Safe to run again.
#
# Besides the packages, it adds a deb-src twin of each enabled Debian apt
# source (same mirror, suites and components) so that
# scripts/build-static-deps.sh can fetch the Debian sources of libyaml, PCRE2,
# mbedTLS and curl with `apt-get source`.
set -eu
export DEBIAN_FRONTEND=noninteractive
pkgs="build-essential cmake pkg-config libyaml-dev libpcre2-dev libcurl4-openssl-dev
      clang libclang-rt-14-dev valgrind python3 python3-yaml python3-jsonschema
      docker-registry apache2-utils groovy default-jre-headless ca-certificates man-db
      musl-tools dpkg-dev file openssl neovim debootstrap"
missing=""
for p in $pkgs; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done

# deb-src twins: deb822 files (Types: deb) and one-line lists (deb URL ...).
twin=/etc/apt/sources.list.d/nf-preflight-deb-src.sources
twin_list=/etc/apt/sources.list.d/nf-preflight-deb-src.list
need_update=0
if ! grep -rqs '^Types:.*deb-src\|^deb-src ' /etc/apt/sources.list /etc/apt/sources.list.d/; then
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    # keep only the stanzas that point at Debian's own archive
    awk 'BEGIN { RS=""; ORS="\n\n" }
         /URIs:[^\n]*debian/ && /^Types:[^\n]*deb/ && !/Enabled: *no/ { sub(/^Types:[^\n]*/, "Types: deb-src"); print }' "$f"
  done > "$twin.tmp"
  if [ -f /etc/apt/sources.list ]; then
    sed -n 's/^deb \(.*debian.*\)$/deb-src \1/p' /etc/apt/sources.list > "$twin_list.tmp"
  else
    : > "$twin_list.tmp"
  fi
  if [ -s "$twin.tmp" ]; then mv "$twin.tmp" "$twin"; else rm -f "$twin.tmp"; fi
  if [ -s "$twin_list.tmp" ]; then mv "$twin_list.tmp" "$twin_list"; else rm -f "$twin_list.tmp"; fi
  need_update=1
fi

if [ -n "$missing" ] || [ "$need_update" = 1 ]; then
  apt-get update -qq
fi
if [ -n "$missing" ]; then
  # shellcheck disable=SC2086
  apt-get install -y -qq --no-install-recommends $missing
fi
