#!/bin/sh
# Replays every saved fuzzer finding (tests/hardening/regressions/<target>/*)
# and every sample through the fuzz target that found it, with the target's
# invariants, built without libFuzzer (tests/fuzz/replay_main.c) against the
# library of this build — so under the ASan build the replay is sanitized and
# under plain builds the script can be run with valgrind. Config-shaped
# findings are also fed to the CLI (`check` and `parse --tree`), which must
# end with a documented exit status (0-3), never a signal, within 20 s.
set -eu
: "${NFP:?}" "${NFP_SRC:?}" "${NFP_BUILD:?}"
lib="$NFP_BUILD/libnfp.a"
[ -f "$lib" ] || { echo "skip: $lib not built"; exit 77; }
cache="$NFP_BUILD/CMakeCache.txt"
cc=$(sed -n 's/^CMAKE_C_COMPILER:[A-Z]*=//p' "$cache" 2>/dev/null)
[ -n "$cc" ] || cc=cc
flags=""
grep -q '^NFP_SANITIZE:BOOL=ON' "$cache" 2>/dev/null && flags="-fsanitize=address,undefined -fno-omit-frame-pointer"
grep -q '^NFP_FUZZ:BOOL=ON' "$cache" 2>/dev/null && flags="$flags -fsanitize=fuzzer-no-link"
libs="$(pkg-config --libs yaml-0.1 libpcre2-8) -ldl -lm"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
fail=0
replayed=0
regdir="$NFP_SRC/tests/hardening/regressions"

for t in parse resolve image data creds launch fix pipeline lsp launch_patch; do
    # shellcheck disable=SC2086
    if ! $cc -std=c11 -g -D_POSIX_C_SOURCE=200809L -DPCRE2_CODE_UNIT_WIDTH=8 -I"$NFP_SRC/src" $flags \
        "$NFP_SRC/tests/fuzz/fuzz_$t.c" "$NFP_SRC/tests/fuzz/replay_main.c" "$lib" $libs \
        -o "$tmp/replay_$t" 2> "$tmp/cc.log"; then
        echo "FAIL: cannot build replay_$t"; cat "$tmp/cc.log"; fail=1; continue
    fi
    set --
    for f in "$regdir/$t"/*; do [ -f "$f" ] && set -- "$@" "$f"; done
    case $t in
        parse|resolve|fix) for f in "$NFP_SRC"/samples/*.config; do [ -f "$f" ] && set -- "$@" "$f"; done ;;
        creds|data) for f in "$NFP_SRC"/tests/golden/creds/*; do [ -f "$f" ] && set -- "$@" "$f"; done ;;
        lsp) for f in "$NFP_SRC"/tests/fuzz/lsp-seeds/*; do [ -f "$f" ] && set -- "$@" "$f"; done ;;
        launch_patch) for f in "$NFP_SRC"/samples/launch-*; do [ -f "$f" ] && set -- "$@" "$f"; done ;;
        pipeline) for f in "$NFP_SRC"/samples/*/*.nf "$NFP_SRC"/samples/*/*/*/*.nf; do [ -f "$f" ] && set -- "$@" "$f"; done ;;
    esac
    [ $# -gt 0 ] || continue
    if "$tmp/replay_$t" "$@" > "$tmp/out" 2>&1; then
        replayed=$((replayed + $#))
    else
        echo "FAIL: fuzz_$t invariant or crash on one of: $*"; tail -30 "$tmp/out"; fail=1
    fi
done

# The CLI on every config-shaped finding.
for f in "$regdir"/parse/* "$regdir"/resolve/* "$regdir"/fix/*; do
    [ -f "$f" ] || continue
    for cmd in "check --clean-env --no-settings" "parse --tree"; do
        rc=0
        # shellcheck disable=SC2086
        timeout 20 "$NFP" $cmd "$f" > /dev/null 2>&1 || rc=$?
        if [ "$rc" -gt 3 ]; then
            echo "FAIL: nf-preflight $cmd $f ended with status $rc"; fail=1
        fi
    done
done

echo "replayed $replayed inputs"
[ "$replayed" -gt 0 ] || { echo "FAIL: nothing was replayed"; fail=1; }
exit $fail
