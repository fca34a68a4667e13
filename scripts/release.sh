#!/bin/bash
# Builds the release archive of the static binary, reproducibly:
#   dist/nf-preflight-VERSION-linux-ARCH.tar.gz   (nf-preflight-VERSION-linux-ARCH/:
#       nf-preflight, nf-preflight.1, completions/, LICENSE, README.md)
#   dist/nf-preflight-VERSION-linux-ARCH.tar.gz.sha256   (sha256sum -c format)
#
# Usage: scripts/release.sh [OUTDIR]      (default: dist/)
# Environment:
#   SOURCE_DATE_EPOCH   time stamp of every file in the archive (default: the
#                       last commit's time); two runs on the same tree and
#                       static libraries give the same bytes
#   NFP_STATIC_DEPS     where scripts/build-static-deps.sh keeps its libraries
#   NFP_RELEASE_BUILD   build directory (default: build-static/)
#   NFP_RELEASE_WITHOUT_LICENSE=1  build even though the tree has no LICENSE
#                       file (for tests; such an archive must not be published)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$root/dist}
jobs=${JOBS:-2}
version=$(sed -n 's/^project(nf-preflight VERSION \([0-9][0-9.]*\).*/\1/p' "$root/CMakeLists.txt")
[ -n "$version" ] || { echo "release: no version in CMakeLists.txt" >&2; exit 2; }
arch=$(uname -m)
name=nf-preflight-$version-linux-$arch

if [ ! -f "$root/LICENSE" ] && [ "${NFP_RELEASE_WITHOUT_LICENSE:-0}" != 1 ]; then
  echo "release: the tree has no LICENSE file; a release archive must carry the project's licence." >&2
  echo "release: (NFP_RELEASE_WITHOUT_LICENSE=1 builds one anyway, for tests only)" >&2
  exit 2
fi

export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git -C "$root" log -1 --format=%ct 2>/dev/null || echo 0)}
export TZ=UTC LC_ALL=C

deps=$("$root/scripts/build-static-deps.sh" | tail -1)
build=${NFP_RELEASE_BUILD:-$root/build-static}
# -ffile-prefix-map: no path of this checkout ends up in the binary.
cmake -S "$root" -B "$build" -DNFP_STATIC=ON -DCMAKE_BUILD_TYPE=Release -DNFP_WERROR=ON \
  -DNFP_STATIC_DEPS="$deps" -DCMAKE_C_FLAGS="-ffile-prefix-map=$root=." >/dev/null
cmake --build "$build" --target nf-preflight -j"$jobs" >/dev/null

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
d=$stage/$name
install -d -m 0755 "$d" "$d/completions"
install -m 0755 "$build/nf-preflight" "$d/nf-preflight"
strip --strip-all "$d/nf-preflight"
install -m 0644 "$root/docs/nf-preflight.1" "$d/nf-preflight.1"
install -m 0644 "$root/completions/nf-preflight.bash" "$root/completions/_nf-preflight" "$d/completions/"
install -m 0644 "$root/README.md" "$d/README.md"
[ ! -f "$root/LICENSE" ] || install -m 0644 "$root/LICENSE" "$d/LICENSE"

mkdir -p "$out"
# Sorted names, one fixed time, numeric root owner, no atime/ctime records,
# gzip without a name or time stamp: the bytes depend on the files alone.
tar --sort=name --mtime="@$SOURCE_DATE_EPOCH" --owner=0 --group=0 --numeric-owner \
    --format=gnu -C "$stage" -cf - "$name" | gzip -n -9 > "$out/$name.tar.gz"
(cd "$out" && sha256sum "$name.tar.gz" > "$name.tar.gz.sha256")
echo "release: $out/$name.tar.gz"
cat "$out/$name.tar.gz.sha256"
