#!/bin/bash
# The whole test suite, as CI runs it (see README "Testing"):
#   1. build     gcc, -Werror (NFP_WERROR=ON), in build/
#      checksrc  scripts/checksrc.sh: no unsafe string functions, no printing
#                below the front ends, each library header in its one module,
#                no source file over 2,000 lines
#   2. ctest     every unit and script test (corpus, oracle, integration servers)
#   release      the Release configuration (gcc -O3, -Werror) in build-release/,
#                and its unit tests
#   static       the fully static (musl) binary in build-static/: `file`, and
#                runs in an empty chroot on the samples and over verified HTTPS
#                to a loopback registry (tests/dist/static-chroot.sh)
#   deb          cpack -G DEB, dpkg -i, --version, man, dpkg -r
#                (tests/dist/deb-install.sh)
#   deb-fresh    the package on a fresh Debian 12 root made by debootstrap
#                (minbase, cached as a tarball): dpkg -i, apt-get -f install,
#                --version, man, a check (tests/dist/deb-fresh-debian.sh)
#   plain        the tracked tree copied to a temporary directory with nothing
#                beside it (no ../shared), configured as a user would (no
#                options), built and tested: what a plain clone gets
#   3. asan      ASan+UBSan build in build-asan/, whole ctest suite again
#   4. alloc     the allocation-failure loop under ASan/LSan (every N, all inputs)
#      tsan      ThreadSanitizer build in build-tsan/: the read-ahead test
#                (tests/unit/test_read_ahead.c: every sample and corpus
#                pipeline with and without the second thread) and the CLI's
#                check of the sample pipeline
#   5. valgrind  every unit test binary, the script tests with the CLI run under
#                valgrind, and the CLI on every sample
#   6. fuzz      each libFuzzer target for FUZZ_SECONDS (default 20) in build-fuzz/
# Stages after a failure still run; the last line is "N passed, N failed" over
# stages and the exit status is 1 when any stage failed.
#
# Usage: scripts/test.sh [STAGE...]      (default: all stages, in order)
# Environment: FUZZ_SECONDS, JOBS (default 2), VALGRIND_SCRIPTS=0 to skip the
# script tests under valgrind.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
jobs=${JOBS:-2}
fuzz_secs=${FUZZ_SECONDS:-20}
stages=("$@")
[ ${#stages[@]} -gt 0 ] || stages=(build checksrc ctest release static deb deb-fresh plain asan alloc tsan valgrind fuzz)
passed=0
failed=0
results=()
skipped=()
export NFP_SRC="$root" NFP_SHARED="$root/../shared"
# one oracle cache for every build: the reference resolver runs once per CI run
export NFP_ORACLE_CACHE="$root/build/oracle-cache"

for tool in cmake cc clang valgrind python3 pkg-config; do
  command -v "$tool" >/dev/null || { echo "test.sh: $tool is missing; run scripts/install-deps.sh as root" >&2; exit 2; }
done

stage() {   # stage NAME COMMAND...: runs a stage, records and times it
  local name=$1; shift
  local t0=$SECONDS rc=0
  echo
  echo "=== stage $name"
  "$@" || rc=$?
  local dt=$((SECONDS - t0))
  if [ "$rc" -eq 0 ]; then
    passed=$((passed + 1)); results+=("  ok      $name (${dt}s)")
  else
    failed=$((failed + 1)); results+=("  FAILED  $name (${dt}s, status $rc)")
  fi
}

do_build() {
  cmake -S "$root" -B "$root/build" -DNFP_WERROR=ON >/dev/null
  cmake --build "$root/build" -j"$jobs"
}

do_ctest() {
  (cd "$root/build" && ctest --output-on-failure -j"$jobs")
}

do_release() {
  cmake -S "$root" -B "$root/build-release" -DCMAKE_BUILD_TYPE=Release -DNFP_WERROR=ON >/dev/null
  cmake --build "$root/build-release" -j"$jobs"
  (cd "$root/build-release" && ctest --output-on-failure -j"$jobs" -R '^unit/')
}

# A test script that may skip (77, with its reason on its last line): a
# skip passes the stage, and the summary says so.
run_may_skip() {
  local rc=0 out
  out=$(mktemp)
  "$@" 2>&1 | tee "$out" || rc=${PIPESTATUS[0]}
  if [ "$rc" -eq 77 ]; then
    skipped+=("  skipped $(basename "$1"): $(grep '^skipped:' "$out" | tail -1)")
    rc=0
  fi
  rm -f "$out"
  return "$rc"
}

# A plain clone: the files git tracks (plus new ones not ignored), nothing
# beside them, default configuration. Tests needing ../shared must skip.
do_plain() {
  local tmp rc=0
  tmp=$(mktemp -d)
  mkdir "$tmp/nf-preflight"
  (cd "$root" && git ls-files -z --cached --others --exclude-standard |
     while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done |
     tar --null -T - -cf -) | tar -xf - -C "$tmp/nf-preflight"
  (cd "$tmp/nf-preflight" &&
   env -u NFP_SHARED -u NFP_SRC -u NFP_ORACLE_CACHE cmake -S . -B build >/dev/null &&
   cmake --build build -j"$jobs" >/dev/null &&
   cd build && env -u NFP_SHARED -u NFP_SRC -u NFP_ORACLE_CACHE ctest --output-on-failure -j"$jobs") || rc=$?
  rm -rf "$tmp"
  return $rc
}

do_asan() {
  cmake -S "$root" -B "$root/build-asan" -DNFP_SANITIZE=ON -DNFP_WERROR=OFF >/dev/null
  cmake --build "$root/build-asan" -j"$jobs"
  (cd "$root/build-asan" &&
   ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
     ctest --output-on-failure -j"$jobs")
}

do_alloc() {
  [ -x "$root/build-asan/tests/test_alloc_fail" ] || do_asan_build_only
  ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    "$root/build-asan/tests/test_alloc_fail"
}

do_tsan() {
  cmake -S "$root" -B "$root/build-tsan" -DNFP_TSAN=ON -DNFP_WERROR=OFF >/dev/null
  cmake --build "$root/build-tsan" -j"$jobs" --target test_read_ahead nf-preflight
  TSAN_OPTIONS=halt_on_error=1:exitcode=66 "$root/build-tsan/tests/test_read_ahead" || return 1
  # 0 or 1 (findings) is a run; ThreadSanitizer's report exits 66
  local rc=0
  TSAN_OPTIONS=halt_on_error=1:exitcode=66 "$root/build-tsan/nf-preflight" check --no-settings --clean-env \
    "$root/samples/pipeline" >/dev/null || rc=$?
  [ "$rc" -le 1 ]
}

do_asan_build_only() {
  cmake -S "$root" -B "$root/build-asan" -DNFP_SANITIZE=ON -DNFP_WERROR=OFF >/dev/null
  cmake --build "$root/build-asan" -j"$jobs"
}

# valgrind with the options CI uses; 99 = a memory error or leak, so that it
# cannot be mistaken for one of the tool's own exit codes (0-3).
vg() { valgrind -q --child-silent-after-fork=yes --leak-check=full --show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect --error-exitcode=99 "$@"; }

do_valgrind() {
  local bad=0 t rc
  [ -x "$root/build/nf-preflight" ] || do_build
  for t in "$root"/build/tests/test_*; do
    [ -x "$t" ] || continue
    rc=0
    # The allocation-failure loop is quadratic; under valgrind it covers the
    # first 400 failure points of each input (ASan covers every one).
    NFP_ALLOC_FAIL_MAX=400 vg "$t" > "$root/build/valgrind-$(basename "$t").log" 2>&1 || rc=$?
    if [ "$rc" -eq 77 ]; then
      echo "valgrind: $(basename "$t") skipped: $(head -1 "$root/build/valgrind-$(basename "$t").log")"
    elif [ "$rc" -ne 0 ]; then
      echo "valgrind: $(basename "$t") failed (status $rc)"; tail -40 "$root/build/valgrind-$(basename "$t").log"; bad=1
    else
      echo "valgrind: $(basename "$t") ok"
    fi
  done
  # The CLI on the samples: every command that reads a config.
  local s
  for s in "$root"/samples "$root"/samples/*.config; do
    [ -e "$s" ] || continue
    for cmd in "check" "check --format json" "check --format sarif" "config" "images"; do
      rc=0
      # shellcheck disable=SC2086
      vg "$root/build/nf-preflight" $cmd --no-settings "$s" > /dev/null 2> "$root/build/valgrind-cli.log" || rc=$?
      if [ "$rc" -gt 3 ]; then
        echo "valgrind: nf-preflight $cmd $s: status $rc"; cat "$root/build/valgrind-cli.log"; bad=1
      fi
    done
  done
  for s in "$root"/samples/*.config; do
    rc=0
    vg "$root/build/nf-preflight" parse --tree "$s" > /dev/null 2> "$root/build/valgrind-cli.log" || rc=$?
    [ "$rc" -le 3 ] || { echo "valgrind: parse --tree $s: status $rc"; cat "$root/build/valgrind-cli.log"; bad=1; }
  done
  echo "valgrind: CLI on samples done"
  if [ "${VALGRIND_SCRIPTS:-1}" != 0 ]; then
    valgrind_scripts || bad=1
  fi
  return $bad
}

# Every script test, with NFP pointing at a wrapper that runs the CLI under
# valgrind; any valgrind report makes the run fail even if the test passed.
valgrind_scripts() {
  local wrap="$root/build/valgrind-wrap" logs="$root/build/valgrind-logs" bad=0 rc t
  rm -rf "$logs"; mkdir -p "$logs"
  # valgrind by its full path: some tests run the CLI with a PATH that has
  # nothing on it (prerun without git)
  cat > "$wrap" <<WRAP
#!/bin/sh
exec $(command -v valgrind) -q --child-silent-after-fork=yes --leak-check=full --show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect --error-exitcode=99 \
  --log-file="$logs/%p.log" "$root/build/nf-preflight" "\$@"
WRAP
  chmod +x "$wrap"
  shopt -s nullglob
  # $jobs scripts at a time (each is one process after another under
  # valgrind, so the cores are otherwise idle); results print in order.
  local tests=("$root"/tests/*/*.test.sh "$root"/tests/*/test_*.py) i
  for i in "${!tests[@]}"; do
    while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n || true; done
    t=${tests[$i]}
    (
      rc=0
      case $t in
        # corpus-wide tests check every 25th file here; the plain and ASan stages check all
        *.py) NFP_TIME_SCALE=20 NFP_CORPUS_STRIDE=25 NFP="$wrap" NFP_BUILD="$root/build" timeout 1200 python3 "$t" > "$logs/script-$i.out" 2>&1 || rc=$? ;;
        *)    NFP_TIME_SCALE=20 NFP_CORPUS_STRIDE=25 NFP="$wrap" NFP_BUILD="$root/build" timeout 1200 sh "$t" > "$logs/script-$i.out" 2>&1 || rc=$? ;;
      esac
      echo "$rc" > "$logs/script-$i.rc"
    ) &
  done
  wait
  for i in "${!tests[@]}"; do
    t=${tests[$i]}
    rc=$(cat "$logs/script-$i.rc" 2>/dev/null || echo 1)
    if [ "$rc" -ne 0 ] && [ "$rc" -ne 77 ]; then
      echo "valgrind: ${t#"$root"/} failed (status $rc)"; tail -20 "$logs/script-$i.out"; bad=1
    else
      echo "valgrind: ${t#"$root"/} ok$([ "$rc" -eq 77 ] && echo ' (skipped)')"
    fi
  done
  local reports
  reports=$(find "$logs" -name '*.log' -size +0 | head -5)
  if [ -n "$reports" ]; then
    echo "valgrind reported errors:"; for f in $reports; do cat "$f"; done; bad=1
  fi
  return $bad
}

do_fuzz() {
  "$root/scripts/fuzz.sh" -b "$root/build-fuzz" -t "$fuzz_secs"
}

for s in "${stages[@]}"; do
  case $s in
    build)    stage "build (gcc -Werror)" do_build ;;
    checksrc) stage "checksrc" "$root/scripts/checksrc.sh" ;;
    ctest)    stage "ctest" do_ctest ;;
    release)  stage "release build (gcc -O3 -Werror) + unit tests" do_release ;;
    static)   stage "static binary (musl): file, empty chroot, verified HTTPS" run_may_skip "$root/tests/dist/static-chroot.sh" "$root/build-static" ;;
    deb)      stage "Debian package: cpack, dpkg -i, --version, man, dpkg -r" run_may_skip "$root/tests/dist/deb-install.sh" "$root/build-deb" ;;
    deb-fresh) stage "Debian package on a fresh Debian 12 root (debootstrap)" run_may_skip "$root/tests/dist/deb-fresh-debian.sh" "$root/build-deb" ;;
    plain)    stage "plain clone (no ../shared, default options) ctest" do_plain ;;
    asan)     stage "asan+ubsan ctest" do_asan ;;
    alloc)    stage "allocation-failure loop (ASan/LSan)" do_alloc ;;
    tsan)     stage "thread sanitizer: read-ahead test and CLI check" do_tsan ;;
    valgrind) stage "valgrind" do_valgrind ;;
    fuzz)     stage "fuzz smoke (${fuzz_secs}s per target)" do_fuzz ;;
    *) echo "test.sh: unknown stage '$s' (build checksrc ctest release static deb deb-fresh plain asan alloc tsan valgrind fuzz)" >&2; exit 2 ;;
  esac
done
echo
echo "=== summary"
printf '%s\n' "${results[@]}"
[ ${#skipped[@]} -eq 0 ] || printf '%s\n' "${skipped[@]}"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
