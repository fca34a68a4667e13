#!/bin/bash
# Whole-pipeline check against the cost of reading the pipeline (issue 19).
#
# For nf-core/sarek and nf-core/rnaseq of ../shared/corpus it times
#   check  `nf-preflight check --no-settings --clean-env DIR`
#   floor  bench/floor.c: walks DIR the way check does and reads every
#          .config and .nf file (one open+fstat+read each), nothing else
# interleaved in one run (floor, check, floor, check, ... so both see the same
# machine load), RUNS times each (default 21), and prints the medians, the
# spread (10th..90th percentile) and the ratio of the medians, and the median
# CPU time of each (user+sys from wait4; less sensitive to a loaded machine,
# but it adds the CPU of both threads where wall time counts the longer one). Then, one run
# each: system calls per pipeline file (strace -c -f; the file count is what
# the floor reads) and instructions per byte of the files read (callgrind
# counts the whole process, start-up included; perf counters are not
# available on every machine this runs on).
#
# Usage: bench/pipeline.sh [BUILD_DIR]   (default: build; built when missing)
# Environment: RUNS (default 21), PIPELINES (default "nf-core__sarek
# nf-core__rnaseq"), NO_COUNTS=1 skips strace and callgrind.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-"$root/build"}
shared="$root/../shared"
runs=${RUNS:-21}
pipelines=${PIPELINES:-"nf-core__sarek nf-core__rnaseq"}
[ -x "$build/nf-preflight" ] || {
  cmake -S "$root" -B "$build" >/dev/null && cmake --build "$build" --target nf-preflight -j2 >/dev/null; }
if [ ! -d "$shared/corpus" ]; then
  echo "pipeline check vs floor: ../shared/corpus absent, skipped"
  exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
cc -O2 -std=c11 "$root/bench/floor.c" -o "$tmp/floor"
check=("$build/nf-preflight" check --no-settings --clean-env)

for p in $pipelines; do
  d="$shared/corpus/$p"
  [ -d "$d" ] || { echo "$p: corpus absent, skipped"; continue; }
  read -r files bytes < <("$tmp/floor" "$d" | sed 's/files=\([0-9]*\) bytes=\([0-9]*\)/\1 \2/')
  python3 - "$runs" "$p" "$files" "$bytes" "$tmp/floor" "$d" -- "${check[@]}" "$d" <<'PY'
import os, statistics, sys, time
runs, name, files, nbytes = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
sep = sys.argv.index("--")
floor_cmd, check_cmd = sys.argv[5:sep], sys.argv[sep + 1:]
devnull = os.open(os.devnull, os.O_WRONLY)
def once(cmd):
    t0 = time.perf_counter()
    pid = os.posix_spawn(cmd[0], cmd, os.environ,
                         file_actions=[(os.POSIX_SPAWN_DUP2, devnull, 1), (os.POSIX_SPAWN_DUP2, devnull, 2)])
    _, _, ru = os.wait4(pid, 0)
    return (time.perf_counter() - t0) * 1000, (ru.ru_utime + ru.ru_stime) * 1000
for cmd in (floor_cmd, check_cmd):   # warm the page cache and the loader
    once(cmd)
floor, check, floor_cpu, check_cpu = [], [], [], []
for _ in range(runs):
    wall, cpu = once(floor_cmd); floor.append(wall); floor_cpu.append(cpu)
    wall, cpu = once(check_cmd); check.append(wall); check_cpu.append(cpu)
def pct(v, q):
    v = sorted(v)
    return v[min(len(v) - 1, int(round(q * (len(v) - 1))))]
def show(v):
    return f"median {statistics.median(v):.2f} ms (p10..p90 {pct(v, .1):.2f}..{pct(v, .9):.2f})"
ratios = [c / f for f, c in zip(floor, check)]
print(f"{name} ({files} .config/.nf files, {nbytes} bytes), {runs} interleaved runs:")
print(f"  floor (walk + read)   {show(floor)}")
print(f"  nf-preflight check    {show(check)}")
print(f"  ratio check/floor     {statistics.median(check) / statistics.median(floor):.2f}x"
      f" (per-pair ratios p10..p90 {pct(ratios, .1):.2f}..{pct(ratios, .9):.2f}; target <= 1.5x)")
print(f"  CPU time (user+sys)   floor median {statistics.median(floor_cpu):.2f} ms, check median"
      f" {statistics.median(check_cpu):.2f} ms: {statistics.median(check_cpu) / statistics.median(floor_cpu):.2f}x")
PY
  [ "${NO_COUNTS:-0}" = 1 ] && continue
  for prog in floor check; do
    if [ $prog = floor ]; then cmd=("$tmp/floor" "$d"); else cmd=("${check[@]}" "$d"); fi
    calls=$(strace -f -c -o "$tmp/st" "${cmd[@]}" >/dev/null 2>&1; awk '$NF == "total" { print $4 }' "$tmp/st")
    valgrind --tool=callgrind --callgrind-out-file="$tmp/cg.out" "${cmd[@]}" >/dev/null 2>"$tmp/cg.log" || true
    ir=$(sed -n 's/.*refs: *//p' "$tmp/cg.log" | tr -d ',')
    awk -v p=$prog -v c="$calls" -v f="$files" -v i="$ir" -v b="$bytes" \
      'BEGIN { printf "  %-6s %5d system calls (%.1f per file), %.1f M instructions (%.1f per byte)\n", p, c, c / f, i / 1e6, i / b }'
  done
done
