#!/bin/sh
# scripts/checksrc.sh fails on each rule it states: a tree with one planted
# violation per rule, beside a module table, must fail with that rule's
# message; the same tree without them passes.
set -eu
here=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
fails=0
mkdir -p "$tmp/scripts" "$tmp/docs" "$tmp/src/sub"
cp "$here/scripts/checksrc.sh" "$tmp/scripts/"
cat > "$tmp/docs/architecture.md" <<'MD'
| layer | module | holds | may include |
|---|---|---|---|
| 0 base | `low` | a base module | libc |
| 1 text | `high`, `peer` (`peer_part.h`), `sub/` | modules above it | low |
MD
printf '#include "low.h"\nint low(void) { return 0; }\n' > "$tmp/src/low.c"
printf 'int low(void);\n' > "$tmp/src/low.h"
printf '#include "low.h"\nint high(void) { return low(); }\n' > "$tmp/src/high.c"
printf 'int high(void);\n' > "$tmp/src/high.h"
printf '#include "../high.h"\nint sub(void) { return high(); }\n' > "$tmp/src/sub/one.c"

expect() {  # expect STATUS PATTERN: run checksrc, compare status and output
    status=0
    sh "$tmp/scripts/checksrc.sh" > "$tmp/out" 2>&1 || status=$?
    if [ "$status" -ne "$1" ] || ! grep -q -- "$2" "$tmp/out"; then
        echo "FAIL: expected status $1 and '$2'; got $status:"; cat "$tmp/out"; fails=$((fails + 1))
    else
        echo "ok: $2"
    fi
}

expect 0 "checksrc: ok"
printf '#include "high.h"\nint low(void) { return 0; }\n' > "$tmp/src/low.c"
expect 1 'layers: src/low.c: 1: includes "high.h" (layer 1) from layer 0: upward'
printf '#include "low.h"\nint low(void) { return 0; }\n' > "$tmp/src/low.c"
printf 'int stray(void) { return 1; }\n' > "$tmp/src/stray.c"
expect 1 "module 'stray' is not in docs/architecture.md's module table"
rm "$tmp/src/stray.c"
# a part named in parentheses belongs to its module: no cycle with itself
printf '#include "peer_part.h"\nint peer(void) { return 0; }\n' > "$tmp/src/peer.c"
printf '#include "peer.h"\n' > "$tmp/src/peer_part.h"
printf 'int peer(void);\n' > "$tmp/src/peer.h"
expect 0 "checksrc: ok"
printf '#include "low.h"\n#include "peer.h"\nint high(void) { return low(); }\n' > "$tmp/src/high.c"
expect 0 "checksrc: ok"
printf '#include "high.h"\n#include "peer_part.h"\nint peer(void) { return 0; }\n' > "$tmp/src/peer.c"
expect 1 "include cycle: "
printf '#include "peer_part.h"\nint peer(void) { return 0; }\n' > "$tmp/src/peer.c"
printf '#include <string.h>\nvoid f(char *d) { strcpy(d, "x"); }\n' > "$tmp/src/sub/two.c"
expect 1 "unsafe: src/sub/two.c"
printf '#include <stdio.h>\nvoid g(void) { printf("x"); }\n' > "$tmp/src/sub/two.c"
expect 1 "printing: src/sub/two.c"
printf '#include <yaml.h>\n' > "$tmp/src/sub/two.c"
expect 1 "libraries: src/sub/two.c"
rm "$tmp/src/sub/two.c"
expect 0 "checksrc: ok"
[ "$fails" -eq 0 ] || { echo "$fails failed"; exit 1; }
