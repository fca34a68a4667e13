#!/bin/bash
# Runs the libFuzzer targets (tests/fuzz) for a fixed time each, seeded from
# samples/, tests/golden/, tests/hardening/regressions/, the image-reference
# cases and (when present) the configs of ../shared/corpus.
#
# Usage: scripts/fuzz.sh [-b BUILD_DIR] [-t SECONDS] [-r RUNS] [-j JOBS] [TARGET...]
#   -b  fuzz build dir (default: build-fuzz; configured and built when missing)
#   -t  seconds per target (default 30)
#   -r  stop a target after this many executions, if that comes before -t
#   -j  parallel libFuzzer workers per target (default 1)
#   TARGET  parse resolve image data creds launch fix pipeline lsp settings params
#           challenge launch_patch (default: all)
# FUZZ_SEED (default 1) fixes libFuzzer's random seed, so that a run can be
# repeated; set another value to explore differently.
# The growing corpus is kept in BUILD_DIR/fuzz-corpus/<target> so later runs
# continue where earlier ones stopped; crashes land in
# BUILD_DIR/fuzz-artifacts/<target>/. Exit status 1 when any target found a
# crash, leak, timeout or sanitizer report.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build="$root/build-fuzz"
secs=30
jobs=1
runs=-1
while getopts "b:t:r:j:" opt; do
  case $opt in
    b) build=$(cd "$(dirname "$OPTARG")" && pwd)/$(basename "$OPTARG") ;;
    t) secs=$OPTARG ;;
    r) runs=$OPTARG ;;
    j) jobs=$OPTARG ;;
    *) sed -n '2,17p' "$0"; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(parse resolve image data creds launch fix pipeline lsp settings params challenge launch_patch)
shared="$root/../shared"

if [ ! -x "$build/tests/fuzz/fuzz_parse" ] || [ ! -x "$build/tests/fuzz/fuzz_lsp" ]; then
  CC=clang cmake -S "$root" -B "$build" -DNFP_FUZZ=ON -DNFP_SANITIZE=ON -DNFP_WERROR=OFF >/dev/null
fi
cmake --build "$build" -j2 >/dev/null

# wanted TARGET: true when this run fuzzes TARGET. Only those seed dirs are
# rebuilt, so that two runs on different targets can share one build dir.
wanted() {
  local w
  for w in "${targets[@]}"; do [ "$w" = "$1" ] && return 0; done
  return 1
}

# seed TARGET FILE...: copies readable files into the target's seed dir.
seed() {
  local t=$1; shift
  wanted "$t" || return 0
  local dir="$build/fuzz-seeds/$t" f
  mkdir -p "$dir"
  for f in "$@"; do
    [ -f "$f" ] || continue
    # name by content so that repeated runs do not pile up copies
    cp "$f" "$dir/$(cksum < "$f" | tr ' ' '-')"
  done
}

for t in "${targets[@]}"; do rm -rf "$build/fuzz-seeds/$t"; done
shopt -s nullglob globstar
configs=("$root"/samples/**/*.config "$root"/tests/golden/**/*.config "$root"/tests/corpus/**/*.config)
datafiles=("$root"/samples/**/*.json "$root"/samples/**/*.yml "$root"/samples/**/*.yaml
           "$root"/tests/golden/**/*.json "$root"/tests/golden/**/*.yml "$root"/tests/golden/**/*.yaml)
if [ -d "$shared/corpus" ]; then
  # A bounded sample of the real configs: enough variety, small enough to load fast.
  while IFS= read -r f; do configs+=("$f"); done < <(find "$shared/corpus" -name '*.config' -size -64k | sort | head -400)
fi
for t in parse resolve fix; do seed "$t" "${configs[@]}"; done
nf_files=("$root"/samples/**/*.nf "$root"/tests/**/*.nf)
if [ -d "$shared/corpus" ]; then
  while IFS= read -r f; do nf_files+=("$f"); done < <(find "$shared/corpus" -name '*.nf' -size -64k | sort | head -400)
fi
seed pipeline "${nf_files[@]}"
seed lsp "$root"/tests/fuzz/lsp-seeds/*
seed data "${datafiles[@]}" "$root"/tests/golden/creds/*
seed creds "$root"/tests/golden/creds/* "$root"/tests/golden/**/*cred*.json
seed launch "$root"/samples/**/*launch*.json "$root"/samples/**/*launch*.y*ml "$root"/tests/golden/**/*launch*.json \
     "$root"/tests/golden/**/*launch*.y*ml "$root"/tests/golden/launch/*
seed launch_patch "$root"/samples/**/*launch*.json "$root"/samples/**/*launch*.y*ml "$root"/tests/golden/**/*launch*.json \
     "$root"/tests/golden/**/*launch*.y*ml "$root"/tests/golden/launch/*
seed params "$root"/samples/**/*params*.json "$root"/samples/**/*params*.y*ml "$root"/tests/**/*params*.json \
     "$root"/tests/**/*params*.y*ml
# written here: the repository holds no sample of these
if wanted settings; then
  mkdir -p "$build/fuzz-seeds/settings"
  printf 'fail-on: warning\nrules:\n  wave-not-enabled: error\nignore: [v2-incompatible]\nper-file-ignores:\n  "conf/*.config": [unknown-option]\nprofiles: [test, docker]\ncredentials: [ci/credentials.yml]\nregistries:\n  public: [registry.example.org]\n  private: [ghcr.io]\nplatform:\n  endpoint: https://api.cloud.seqera.io\n  workspace: "1234567890"\n' > "$build/fuzz-seeds/settings/full"
fi
if wanted challenge; then
  mkdir -p "$build/fuzz-seeds/challenge"
  printf 'Bearer realm="https://auth.docker.io/token",service="registry.docker.io"' > "$build/fuzz-seeds/challenge/hub"
  printf 'Bearer realm="https://ghcr.io/token",service="ghcr.io",scope="repository:org/x:pull"' > "$build/fuzz-seeds/challenge/ghcr"
  printf 'Basic realm="https://1.dkr.ecr.eu-west-1.amazonaws.com/",service="ecr.amazonaws.com"' > "$build/fuzz-seeds/challenge/ecr"
  printf 'Bearer realm=https://quay.io/v2/auth, service=quay.io' > "$build/fuzz-seeds/challenge/quay"
fi
if wanted params; then
  mkdir -p "$build/fuzz-seeds/params"
  printf '{"input": "s3://bucket/x.csv", "outdir": "results", "max_cpus": 4, "nested": {"a": [1, 2.5, true, null]}}' > "$build/fuzz-seeds/params/json"
  printf 'input: s3://bucket/x.csv\nouttdir: results\nlist:\n  - a\n  - b\n' > "$build/fuzz-seeds/params/yaml"
fi
mkdir -p "$build/fuzz-seeds/image"
if wanted image && [ -f "$shared/research/image-reference-cases.tsv" ]; then
  n=0
  tail -n +2 "$shared/research/image-reference-cases.tsv" | cut -f1 | while IFS= read -r ref; do
    n=$((n + 1)); printf '%s' "$ref" > "$build/fuzz-seeds/image/case$n"
  done
fi
wanted image && for ref in ubuntu quay.io/biocontainers/fastqc:0.12.1--hdfd78af_0 docker://nginx@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef \
           oras://ghcr.io/org/img.sif:1 https://depot.galaxyproject.org/singularity/fastqc:0.12.1--hdfd78af_0 ./local.sif; do
  printf '%s' "$ref" > "$build/fuzz-seeds/image/$(printf '%s' "$ref" | cksum | tr ' ' '-')"
done
for t in "${targets[@]}"; do
  mkdir -p "$build/fuzz-seeds/$t"
  [ -d "$root/tests/hardening/regressions/$t" ] && cp "$root/tests/hardening/regressions/$t"/* "$build/fuzz-seeds/$t/" 2>/dev/null || true
  # every target gets at least one seed
  [ -n "$(ls -A "$build/fuzz-seeds/$t")" ] || printf 'wave.enabled = true\n' > "$build/fuzz-seeds/$t/minimal"
done

failed=0
summary=()
for t in "${targets[@]}"; do
  bin="$build/tests/fuzz/fuzz_$t"
  corpus="$build/fuzz-corpus/$t"
  art="$build/fuzz-artifacts/$t"
  log="$build/fuzz-logs/$t.log"
  mkdir -p "$corpus" "$art" "$(dirname "$log")"
  dict=()
  case $t in parse|resolve|fix|launch|data|creds|image|pipeline|launch_patch) dict=(-dict="$root/tests/fuzz/nextflow.dict") ;; esac
  echo "== fuzz_$t: ${secs}s, seeds $(ls "$build/fuzz-seeds/$t" | wc -l), corpus $(ls "$corpus" | wc -l)"
  rc=0
  extra=()
  [ "$jobs" -gt 1 ] && extra=(-jobs="$jobs" -workers="$jobs")
  ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1} \
  UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
    "$bin" "$corpus" "$build/fuzz-seeds/$t" "${dict[@]}" "${extra[@]}" \
      -seed="${FUZZ_SEED:-1}" -max_total_time="$secs" -runs="$runs" -timeout=20 -rss_limit_mb=2560 -max_len=65536 \
      -artifact_prefix="$art/" -print_final_stats=1 > "$log" 2>&1 || rc=$?
  execs=$(grep -ho 'stat::number_of_executed_units: *[0-9]*' "$log" | awk '{s+=$2} END {print s+0}')
  if [ "$rc" -ne 0 ] || [ -n "$(ls -A "$art")" ]; then
    failed=$((failed + 1))
    summary+=("fuzz_$t: FAILED after $execs executions (exit $rc); see $log and $art")
    grep -E 'ERROR|SUMMARY|invariant|Test unit written' "$log" | head -20 || true
  else
    summary+=("fuzz_$t: ok, $execs executions (limit ${secs}s)")
  fi
done
printf '%s\n' "${summary[@]}"
[ "$failed" -eq 0 ]
