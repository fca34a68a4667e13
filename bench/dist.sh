#!/bin/bash
# Sizes and start-up of the two ways nf-preflight ships (issue 18):
#   dynamic  build/nf-preflight (glibc, libyaml and PCRE2 shared, libcurl
#            dlopen()ed only by online runs)
#   static   build-static/nf-preflight (musl, everything linked in, libcurl
#            and mbedTLS included)
# For each: file size, size stripped, shared libraries mapped, and the median
# wall time of `--version` (start-up alone) and of `check` on the samples.
#
# Usage: bench/dist.sh [DYNAMIC_BUILD [STATIC_BUILD]]   (default: build build-static)
# Environment: RUNS (default 51). Builds what is missing (the static one
# through scripts/build-static-deps.sh; skipped with a message when musl-gcc
# is not installed).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dyn=${1:-$root/build}
sta=${2:-$root/build-static}
runs=${RUNS:-51}
[ -x "$dyn/nf-preflight" ] || { cmake -S "$root" -B "$dyn" >/dev/null && cmake --build "$dyn" --target nf-preflight -j2 >/dev/null; }
if [ ! -x "$sta/nf-preflight" ] && command -v musl-gcc >/dev/null; then
  deps=$("$root/scripts/build-static-deps.sh" | tail -1)
  cmake -S "$root" -B "$sta" -DNFP_STATIC=ON -DCMAKE_BUILD_TYPE=Release -DNFP_STATIC_DEPS="$deps" >/dev/null
  cmake --build "$sta" --target nf-preflight -j2 >/dev/null
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

median_ms() {   # median_ms EXE ARG...: median wall time over $runs runs, in the samples' parent dir
  (cd "$root" && python3 - "$runs" "$@" <<'PY'
import statistics, subprocess, sys, time
runs, cmd = int(sys.argv[1]), sys.argv[2:]
times = []
for _ in range(runs):
    t0 = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    times.append((time.perf_counter() - t0) * 1000)
print(f"{statistics.median(times):.2f}")
PY
  )
}

echo "nf-preflight distribution builds — $(date -u +%Y-%m-%d), $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg), $runs runs each"
printf '%-8s %10s %10s %6s %12s %14s  %s\n' build bytes stripped libs "--version" "check samples" binary
for kind in dynamic static; do
  exe=$([ $kind = dynamic ] && echo "$dyn/nf-preflight" || echo "$sta/nf-preflight")
  if [ ! -x "$exe" ]; then echo "$kind: not built (musl-gcc missing?)"; continue; fi
  strip -o "$tmp/$kind" "$exe"
  libs=$(ldd "$exe" 2>/dev/null | grep -c '=>\|ld-linux' || true)
  printf '%-8s %10s %10s %6s %9s ms %11s ms  %s\n' "$kind" "$(stat -c %s "$exe")" "$(stat -c %s "$tmp/$kind")" \
    "$libs" "$(median_ms "$exe" --version)" "$(median_ms "$exe" check --no-settings samples)" "${exe#"$root"/}"
done
