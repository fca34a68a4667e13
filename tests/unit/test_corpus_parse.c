/* Over every file of ../shared/corpus: lexing is lossless (token spans tile the
 * input exactly, so concatenated token texts give back the bytes), and every
 * *.config parses with zero syntax errors, except files holding unrendered
 * template markup, which must fail with an error at the markup. Skips with a
 * message when the corpus is absent. */
#define _XOPEN_SOURCE 700
#include "tap.h"
#include "arena.h"
#include "diag.h"
#include "lex.h"
#include "parse.h"
#include "source.h"
#include <ftw.h>
#include <stdlib.h>
#include <string.h>

static int files, configs, template_files, bad_files;

static int ends_with(const char *s, const char *suf)
{
    size_t n = strlen(s), m = strlen(suf);
    return n >= m && strcmp(s + n - m, suf) == 0;
}

static int lossless(const Source *src)
{
    Lexer lx;
    lex_init(&lx, src->text, 0, src->len);
    size_t pos = 0;
    for (;;) {
        Token t = lex_next(&lx);
        if (t.kind == TK_EOF) break;
        if (t.start != pos || t.end <= t.start) return 0;
        pos = t.end;
    }
    return pos == src->len;
}

/* Where template markup outside strings and comments starts, or (size_t)-1. */
static size_t markup_at(const Source *src)
{
    Lexer lx;
    lex_init(&lx, src->text, 0, src->len);
    for (;;) {
        Token t = lex_next(&lx);
        if (t.kind == TK_EOF) return (size_t)-1;
        if (t.kind == TK_LBRACE && t.end < src->len &&
            (src->text[t.end] == '{' || src->text[t.end] == '%'))
            return t.start;
    }
}

static int visit(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void)st; (void)ftw;
    if (type != FTW_F) return 0;
    int is_config = ends_with(path, ".config");
    if (!is_config && !ends_with(path, ".nf")) return 0;
    int err;
    Source *src = source_load(path, NULL, &err);
    CHECK_MSG(src != NULL, "cannot read %s", path);
    if (!src) return 0;
    files++;
    CHECK_MSG(lossless(src), "lexing is not lossless: %s", path);
    if (is_config) {
        configs++;
        Arena *arena = arena_new();
        DiagList diags = {0};
        int nerr = 0;
        parse_config(arena, src, &diags, &nerr);
        size_t markup = markup_at(src);
        if (markup != (size_t)-1 && nerr > 0) {
            /* a template: the first error must be at the markup */
            template_files++;
            size_t first = (size_t)-1;
            for (size_t i = 0; i < diags.len; i++)
                if (!strcmp(diags.items[i].rule, "syntax-error") && diags.items[i].start < first)
                    first = diags.items[i].start;
            CHECK_MSG(first <= markup + 2 && first + 200 >= markup, "%s: first error at %zu, markup at %zu", path, first, markup);
        } else {
            if (nerr) {
                bad_files++;
                for (size_t i = 0; i < diags.len && i < 3; i++) {
                    if (strcmp(diags.items[i].rule, "syntax-error")) continue;
                    unsigned l, c;
                    source_linecol(src, diags.items[i].start, &l, &c);
                    fprintf(stderr, "%s:%u:%u: %s\n", path, l, c, diags.items[i].message);
                }
            }
            CHECK_MSG(nerr == 0, "%s has %d syntax errors", path, nerr);
        }
        diag_list_free(&diags);
        arena_free(arena);
    }
    source_free(src);
    return 0;
}

int main(void)
{
    const char *shared = getenv("NFP_SHARED");
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/corpus", shared ? shared : "../shared");
    struct stat st;
    if (stat(dir, &st) != 0) {
        printf("skipped: no corpus at %s\n", dir);
        return 77;
    }
    nftw(dir, visit, 32, FTW_PHYS);
    printf("corpus: %d files lexed losslessly, %d configs parsed, %d template files rejected at the markup, %d configs with syntax errors\n",
           files, configs, template_files, bad_files);
    CHECK(files > 1000);
    TEST_MAIN_END();
}
