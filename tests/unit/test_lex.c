/* Lexer numbers against Groovy 4 and Nextflow's config lexer (ConfigLexer.g4,
 * GroovyLexer.g4): DecimalFloatingPointLiteral is `Digits? Dot Digits ...`, so a
 * leading dot starts a decimal while `2.GB`, `1..3` and `a?.b` keep their dots. */
#include <string.h>
#include "lex.h"
#include "tap.h"

/* Kinds and texts of the significant tokens of src, joined as "kind:text ". */
static void tokens(const char *src, char *out, size_t cap)
{
    Lexer lx;
    lex_init(&lx, src, 0, strlen(src));
    size_t n = 0;
    out[0] = '\0';
    for (;;) {
        Token t = lex_next_significant(&lx);
        if (t.kind == TK_EOF || n + 64 >= cap) break;
        const char *k = t.kind == TK_INT ? "I" : t.kind == TK_FLOAT ? "F" : t.kind == TK_IDENT ? "N"
                      : t.kind == TK_DOT ? "." : t.kind == TK_RANGE ? ".." : t.kind == TK_SAFE_DOT ? "?."
                      : t.kind == TK_SPREAD_DOT ? "*." : t.kind == TK_GE ? ">=" : t.kind == TK_ERROR ? "E"
                      : (t.flags & TOKF_MALFORMED) ? "M" : "o";
        n += (size_t)snprintf(out + n, cap - n, "%s:%.*s%s ", k, (int)(t.end - t.start), src + t.start,
                              (t.flags & TOKF_MALFORMED) ? "!" : "");
    }
}

/* The significant tokens of src are `want` (kept a macro so that a failure
 * names the line of the case). */
#define CHECK_TOKENS(src, want) do { \
    char got_[512]; \
    tokens((src), got_, sizeof got_); \
    CHECK_STR(got_, (want)); \
} while (0)

int main(void)
{
    CHECK_TOKENS("x >= .80", "N:x >=:>= F:.80 ");
    CHECK_TOKENS(".5e2 .25f .5G .1_0", "F:.5e2 F:.25f F:.5G F:.1_0 ");
    CHECK_TOKENS("2.GB 1..3 1.5", "I:2 .:. N:GB I:1 ..:.. I:3 F:1.5 ");
    CHECK_TOKENS("a?.b l*.c", "N:a ?.:?. N:b N:l *.:*. N:c ");
    CHECK_TOKENS("x.y", "N:x .:. N:y ");
    /* an octal check never applies to a decimal, and a trailing `.` is no fraction */
    CHECK_TOKENS("09 .09", "I:09! F:.09 ");
    TEST_MAIN_END();
}
