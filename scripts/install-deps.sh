#!/bin/sh
# Installs everything nf-preflight needs to build and test, from Debian packages only.
# Run as root on a fresh Debian 12 machine. Safe to run again.
set -eu
export DEBIAN_FRONTEND=noninteractive
pkgs="build-essential cmake pkg-config libyaml-dev libpcre2-dev libcurl4-openssl-dev
      clang libclang-rt-14-dev valgrind python3 python3-yaml python3-jsonschema
      docker-registry apache2-utils groovy default-jre-headless ca-certificates man-db"
missing=""
for p in $pkgs; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
  apt-get update -qq
  # shellcheck disable=SC2086
  apt-get install -y -qq --no-install-recommends $missing
fi
