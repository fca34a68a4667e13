#!/bin/sh
# Regenerates docs/rules.md from the rule catalogue (src/rules.def) through
# report_rules_markdown(). tests/unit/test_report.c fails when the committed
# file differs from the generator's output.
#
# Usage: scripts/gen-rules-md.sh [BUILD_DIR]   (default: build; it must hold libnfp.a)
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-"$root/build"}
lib="$build/libnfp.a"
if [ ! -f "$lib" ]; then
    echo "gen-rules-md: $lib not found; build first (cmake --build $build)" >&2
    exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
cat > "$tmp/gen.c" <<'C'
#include <stdio.h>
#include "report.h"
int main(void)
{
    StrBuf b = STRBUF_INIT;
    if (report_rules_markdown(&b) != 0) return 1;
    fwrite(strbuf_cstr(&b), 1, b.len, stdout);
    strbuf_free(&b);
    return 0;
}
C
${CC:-cc} -std=c11 -I"$root/src" "$tmp/gen.c" "$lib" \
    $(pkg-config --libs yaml-0.1 libpcre2-8 libcurl) -o "$tmp/gen"
"$tmp/gen" > "$tmp/rules.md"
mv "$tmp/rules.md" "$root/docs/rules.md"
echo "wrote docs/rules.md"
