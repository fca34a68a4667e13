/* fuzz_parse — lexer and parser on arbitrary bytes.
 *
 * Invariants checked beyond "no crash / no sanitizer report":
 *  - lossless lexing: token spans tile the input exactly, every token is
 *    non-empty, so concatenated token texts give back the input;
 *  - the parser returns a tree whenever memory did not run out;
 *  - every diagnostic span lies inside the input;
 *  - the tree dump (used by `nf-preflight parse --tree`) does not crash. */
#include "fuzz_common.h"
#include "arena.h"
#include "diag.h"
#include "dump.h"
#include "lex.h"
#include "parse.h"
#include "source.h"
#include "strbuf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    Source *src = source_from_memory("fuzz.config", NULL, (const char *)data, size);
    if (!src) return 0;

    Lexer lx;
    lex_init(&lx, src->text, 0, src->len);
    size_t pos = 0;
    for (;;) {
        Token t = lex_next(&lx);
        if (t.kind == TK_EOF) break;
        FUZZ_REQUIRE(t.start == pos);
        FUZZ_REQUIRE(t.end > t.start);
        FUZZ_REQUIRE(t.end <= src->len);
        pos = t.end;
    }
    FUZZ_REQUIRE(pos == src->len);

    Arena *arena = arena_new();
    if (arena) {
        DiagList diags = {0};
        int errors = 0;
        Node *root = parse_config(arena, src, &diags, &errors);
        FUZZ_REQUIRE(root != NULL || alloc_failed() || diags.oom);
        for (size_t i = 0; i < diags.len; i++) {
            FUZZ_REQUIRE(diags.items[i].start <= diags.items[i].end);
            FUZZ_REQUIRE(diags.items[i].end <= src->len);
        }
        if (root) {
            StrBuf out = STRBUF_INIT;
            dump_tree(&out, src, root);
            strbuf_free(&out);
        }
        diag_list_free(&diags);
        arena_free(arena);
    }
    source_free(src);
    return 0;
}
