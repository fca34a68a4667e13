#!/bin/bash
# Benchmarks of issue 8, each printing its figures:
#   1. lex+parse throughput (MB/s, MB = 10^6 bytes) over every .config of
#      ../shared/corpus, in process (bench/bench_parse.c), and lexing alone
#   2. the same on generated configs of 1, 10 and 100 MB (scaling: the
#      100 MB / 10 MB time ratio should stay <= 11)
#   3. instructions per input byte for lex+parse of a 1 MB config under
#      valgrind --tool=callgrind (only lex_parse_all() is counted)
#   4. peak RSS (/usr/bin/time -v) of `nf-preflight parse` and `check` on 100 MB
#   5. the start-up time alone (`--version`), then `nf-preflight check` on
#      whole pipelines (corpus nf-core__sarek and nf-core__rnaseq) beside the
#      read-only floor (bench/floor.c walks and reads the same files),
#      interleaved, as a ratio, with system calls per file and instructions
#      per byte (bench/pipeline.sh, issue 19)
#   6. `nf-preflight lsp`: didChange -> publishDiagnostics latency on sarek's
#      nextflow.config beside the CLI check of that file (bench/lsp_latency.py)
# bench/resolve-vs-oracle.sh (separate) compares with the reference resolver.
#
# Usage: bench/run.sh [BUILD_DIR]   (default: build; built when missing)
# Environment: RUNS (default 21) for the check medians, SKIP_100MB=1.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-"$root/build"}
shared="$root/../shared"
runs=${RUNS:-21}
[ -f "$build/libnfp.a" ] && [ -x "$build/nf-preflight" ] || {
  cmake -S "$root" -B "$build" >/dev/null && cmake --build "$build" -j2 >/dev/null; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
cc -O2 -g -std=c11 -D_POSIX_C_SOURCE=200809L -I"$root/src" "$root/bench/bench_parse.c" \
   "$build/libnfp.a" $(pkg-config --libs yaml-0.1 libpcre2-8) -ldl -lm -o "$tmp/bench_parse"
field() { sed -n "s/.*$1=\([^ ]*\).*/\1/p"; }

echo "nf-preflight benchmarks — $(date -u +%Y-%m-%d), $(nproc) cores, $(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -1)"
echo "build: $build ($(sed -n 's/^CMAKE_BUILD_TYPE:STRING=//p' "$build/CMakeCache.txt"))"
echo

if [ -d "$shared/corpus" ]; then
  find "$shared/corpus" -name '*.config' -print0 | sort -z > "$tmp/configs"
  n=$(tr -cd '\0' < "$tmp/configs" | wc -c)
  out=$(xargs -0 "$tmp/bench_parse" < "$tmp/configs")
  lex=$(xargs -0 "$tmp/bench_parse" --lex-only < "$tmp/configs")
  printf 'corpus (%s .config files, %s bytes): lex+parse %s MB/s, lex only %s MB/s\n' \
    "$n" "$(echo "$out" | field bytes)" "$(echo "$out" | field mb_per_s)" "$(echo "$lex" | field mb_per_s)"
else
  echo "corpus: ../shared/corpus absent, skipped"
fi

declare -A secs
sizes=(1 10 100)
[ "${SKIP_100MB:-0}" = 1 ] && sizes=(1 10)
for mb in "${sizes[@]}"; do
  python3 "$root/bench/gen_config.py" "$mb" > "$tmp/gen$mb.config"
  out=$("$tmp/bench_parse" $([ "$mb" -ge 100 ] && echo --repeat 3) "$tmp/gen$mb.config")
  secs[$mb]=$(echo "$out" | field seconds)
  lex=$("$tmp/bench_parse" --lex-only "$tmp/gen$mb.config")
  printf 'generated %3s MB: lex+parse %s MB/s (%s s), lex only %s MB/s\n' "$mb" \
    "$(echo "$out" | field mb_per_s)" "${secs[$mb]}" "$(echo "$lex" | field mb_per_s)"
done
awk -v a="${secs[1]}" -v b="${secs[10]}" 'BEGIN { printf "scaling: 10 MB takes %.2fx the time of 1 MB\n", b / a }'
[ -n "${secs[100]:-}" ] && awk -v a="${secs[10]}" -v b="${secs[100]}" \
  'BEGIN { printf "scaling: 100 MB takes %.2fx the time of 10 MB (target <= 11)\n", b / a }'

valgrind --tool=callgrind --callgrind-out-file="$tmp/cg.out" --toggle-collect=lex_parse_all \
  "$tmp/bench_parse" --repeat 1 "$tmp/gen1.config" > /dev/null 2> "$tmp/cg.log"
ir=$(sed -n 's/.*refs: *//p' "$tmp/cg.log" | tr -d ',')
bytes=$(wc -c < "$tmp/gen1.config")
awk -v i="$ir" -v b="$bytes" 'BEGIN { printf "callgrind: %.1f instructions per byte for lex+parse of 1 MB (target <= 50)\n", i / b }'
valgrind --tool=callgrind --callgrind-out-file="$tmp/cg2.out" --toggle-collect=lex_parse_all \
  "$tmp/bench_parse" --lex-only --repeat 1 "$tmp/gen1.config" > /dev/null 2> "$tmp/cg2.log"
ir=$(sed -n 's/.*refs: *//p' "$tmp/cg2.log" | tr -d ',')
awk -v i="$ir" -v b="$bytes" 'BEGIN { printf "callgrind: %.1f instructions per byte for lexing alone\n", i / b }'

# `check` resolves and runs every rule; on the generated configs (thousands of
# keys in one scope) it is measured at 10 MB: see README for its scaling.
for run in "parse --tree:${sizes[-1]}" "check --no-settings --clean-env:10"; do
  cmd=${run%:*}; mb=${run##*:}
  # shellcheck disable=SC2086
  /usr/bin/time -v "$build/nf-preflight" $cmd "$tmp/gen$mb.config" > /dev/null 2> "$tmp/time.log" || true
  printf 'nf-preflight %s on %s MB: peak RSS %s MB, %s s wall\n' "${cmd%% *}" "$mb" \
    "$(awk '/Maximum resident/ { printf "%.0f", $NF / 1024 }' "$tmp/time.log")" \
    "$(awk -F': ' '/Elapsed \(wall/ { print $2 }' "$tmp/time.log")"
done

median_ms() {   # median_ms ARG...: median wall time of `nf-preflight ARG...` over $runs runs
  python3 - "$build/nf-preflight" "$runs" "$@" <<'PY'
import statistics, subprocess, sys, time
exe, runs, args = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
times = []
for _ in range(runs):
    t0 = time.perf_counter()
    subprocess.run([exe] + args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    times.append((time.perf_counter() - t0) * 1000)
print(f"{statistics.median(times):.1f}")
PY
}
# start-up alone: libcurl is loaded only by runs that go online
printf 'start-up (nf-preflight --version): median %s ms over %s runs, %s shared libraries mapped\n' \
  "$(median_ms --version)" "$runs" "$(ldd "$build/nf-preflight" | wc -l)"
RUNS=$runs "$root/bench/pipeline.sh" "$build"
# 6. the language server: didChange -> publishDiagnostics on sarek's
#    nextflow.config, median of 20 edits, with the CLI check of that file
python3 "$root/bench/lsp_latency.py" "$build/nf-preflight"
