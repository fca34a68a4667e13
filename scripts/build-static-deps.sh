#!/bin/bash
# Builds the static (musl) libraries that `cmake -DNFP_STATIC=ON` links:
# libyaml, PCRE2 (8-bit only), mbedTLS and libcurl (HTTP and HTTPS only),
# each from Debian's own source package (`apt-get source`, Debian's patches
# applied), with musl-gcc from Debian's musl-tools.
#
# Usage: scripts/build-static-deps.sh [PREFIX]
#   PREFIX defaults to $NFP_STATIC_DEPS, else
#   ${XDG_CACHE_HOME:-$HOME/.cache}/nf-preflight/static-deps (the default
#   CMakeLists.txt looks in). Prints the prefix on its last line.
#
# The prefix is a cache: PREFIX/.key records the source package versions, the
# musl version and this script's own hash; when they match, nothing is
# fetched or built (so CI pays the build once per machine, about four minutes
# on two cores, and a few seconds after that).
#
# Needs: musl-tools, dpkg-dev and a deb-src apt source (scripts/install-deps.sh
# sets these up), and network access to the Debian archive on a cache miss.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
prefix=${1:-${NFP_STATIC_DEPS:-${XDG_CACHE_HOME:-$HOME/.cache}/nf-preflight/static-deps}}
jobs=${JOBS:-2}
sources=(libyaml pcre2 mbedtls curl)

command -v musl-gcc >/dev/null || { echo "build-static-deps: musl-gcc not found (apt-get install musl-tools)" >&2; exit 2; }
command -v dpkg-source >/dev/null || { echo "build-static-deps: dpkg-source not found (apt-get install dpkg-dev)" >&2; exit 2; }

# The cache key: the source versions apt knows (its local lists, no
# download), the musl version and this script.
versions=$(apt-cache showsrc --only-source "${sources[@]}" 2>/dev/null | grep -E '^(Package|Version):' || true)
if ! grep -q '^Package: curl' <<< "$versions"; then
  echo "build-static-deps: apt has no source for ${sources[*]}: add a deb-src line (scripts/install-deps.sh does) and run apt-get update" >&2
  exit 2
fi
key=$( { echo "$versions"; dpkg-query -W -f='${Version}\n' musl-dev; sha256sum < "$0"; } | sha256sum | cut -c1-16)
if [ -f "$prefix/.key" ] && [ "$(cat "$prefix/.key")" = "$key" ]; then
  echo "build-static-deps: cached ($key)" >&2
  echo "$prefix"
  exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
rm -rf "$prefix"
mkdir -p "$prefix"
# The Debian source packages are kept in PREFIX.src/ (a download cache), and
# unpacked with Debian's patches applied by dpkg-source. The newest version
# first; when the mirror lacks its files (a security update's source can be
# missing), the next older one. (As root, apt warns that the download is not
# sandboxed.)
downloads="$prefix.src"
mkdir -p "$downloads"
fetch() {
  local v dsc
  for v in $(apt-cache showsrc --only-source "$1" | awk '/^Version:/ { print $2 }' | sort -u -rV); do
    dsc="$downloads/$1_${v#*:}.dsc"
    if [ -f "$dsc" ] || (cd "$downloads" && apt-get source --download-only --only-source -qq "$1=$v" >"$work/fetch-$1.log" 2>&1); then
      (cd "$work" && dpkg-source --no-check -x "$dsc" >/dev/null 2>&1) || { echo "build-static-deps: cannot unpack $dsc" >&2; exit 1; }
      echo "build-static-deps: $1 $v" >&2
      echo "$1 $v" >> "$work/versions"
      return 0
    fi
    echo "build-static-deps: $1 $v: the mirror has not got its source, trying an older one" >&2
  done
  echo "build-static-deps: could not fetch the source of $1:" >&2
  tail -5 "$work/fetch-$1.log" >&2
  exit 1
}
for s in "${sources[@]}"; do fetch "$s"; done
srcdir() { find "$work" -maxdepth 1 -mindepth 1 -type d -name "$1-*" | head -1; }

export CC=musl-gcc
export CFLAGS="-O2 -fPIE -ffunction-sections -fdata-sections"
export PKG_CONFIG_LIBDIR="$prefix/lib/pkgconfig" PKG_CONFIG_PATH=""
# autotools scripts must not try to regenerate themselves from patched inputs
stamp_autotools() { find . \( -name configure -o -name 'Makefile.in' -o -name 'aclocal.m4' -o -name 'config.h.in' \) -exec touch {} +; }
log() { echo "build-static-deps: $*" >&2; }
# Runs a build step quietly; on failure shows the end of its log.
quiet() {
  local logf="$work/step.log"
  "$@" > "$logf" 2>&1 || { tail -40 "$logf" >&2; log "failed: $*"; exit 1; }
}

t0=$SECONDS
log "libyaml"
cd "$(srcdir libyaml)"
quiet cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DCMAKE_C_COMPILER=musl-gcc \
  -DCMAKE_INSTALL_PREFIX="$prefix" -DBUILD_SHARED_LIBS=OFF -DBUILD_TESTING=OFF \
  -DINSTALL_LIB_DIR=lib -DINSTALL_INCLUDE_DIR=include -DINSTALL_CMAKE_DIR=lib/cmake/yaml
quiet cmake --build build -j"$jobs" --target yaml
quiet cmake --install build

log "pcre2 (8-bit)"
cd "$(srcdir pcre2)"
stamp_autotools
quiet ./configure --prefix="$prefix" --disable-shared --enable-static --enable-pcre2-8 \
  --disable-pcre2-16 --disable-pcre2-32 --disable-jit --disable-pcre2grep-libz \
  --disable-pcre2grep-libbz2 --disable-pcre2test-libedit --disable-pcre2test-libreadline
quiet make -j"$jobs" libpcre2-8.la
quiet make install-libLTLIBRARIES install-includeHEADERS install-nodist_includeHEADERS install-pkgconfigDATA

log "mbedtls"
cd "$(srcdir mbedtls)"
# mbedTLS 2.28 uses the getrandom syscall only under glibc and otherwise reads
# /dev/urandom, which an empty root or a scratch container lacks; musl has
# the syscall too.
sed -i 's/^#if ((defined(__linux__) && defined(__GLIBC__)) || defined(__midipix__))$/#if defined(__linux__) || defined(__midipix__)/' library/entropy_poll.c
grep -q '^#if defined(__linux__) || defined(__midipix__)$' library/entropy_poll.c || {
  log "mbedtls: library/entropy_poll.c has changed; getrandom patch not applied"; exit 1; }
quiet cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DCMAKE_C_COMPILER=musl-gcc \
  -DCMAKE_INSTALL_PREFIX="$prefix" -DCMAKE_INSTALL_LIBDIR=lib -DENABLE_TESTING=OFF -DENABLE_PROGRAMS=OFF \
  -DUSE_SHARED_MBEDTLS_LIBRARY=OFF -DUSE_STATIC_MBEDTLS_LIBRARY=ON -DMBEDTLS_FATAL_WARNINGS=OFF
quiet cmake --build build -j"$jobs"
quiet cmake --install build

log "curl (http, https; mbedTLS)"
cd "$(srcdir curl)"
stamp_autotools
# Only what http.c uses: HTTP(S), proxies from the environment, bearer auth,
# the threaded resolver (so DNS honours the timeouts). No CA path is compiled
# in: http.c finds the bundle on the machine it runs on.
quiet ./configure --prefix="$prefix" --disable-shared --enable-static --with-mbedtls="$prefix" \
  --without-ca-bundle --without-ca-path --without-ca-fallback \
  --without-zlib --without-brotli --without-zstd --without-libpsl --without-libidn2 \
  --without-nghttp2 --without-nghttp3 --without-ngtcp2 --without-libssh2 --without-libssh \
  --without-librtmp --without-libgsasl --disable-ldap --disable-ldaps --disable-rtsp \
  --disable-dict --disable-telnet --disable-tftp --disable-pop3 --disable-imap --disable-smb \
  --disable-smtp --disable-gopher --disable-mqtt --disable-ftp --disable-file --disable-manual \
  --disable-docs --disable-cookies --disable-ntlm-wb --disable-alt-svc --disable-hsts \
  --disable-unix-sockets --enable-threaded-resolver --enable-symbol-hiding
quiet make -j"$jobs" -C lib
quiet make -C lib install
quiet make -C include install
quiet make install-pkgconfigDATA

cp "$work/versions" "$prefix/versions"
echo "$key" > "$prefix/.key"
log "built in $((SECONDS - t0)) s (after the download) into $prefix"
echo "$prefix"
