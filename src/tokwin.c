/* tokwin — the parser's token window (tokwin.h). */
#include "tokwin.h"
#include "alloc.h"
#include <string.h>

void tokwin_init(TokWindow *w, const char *text, size_t start, size_t end)
{
    memset(w, 0, sizeof *w);
    lex_init(&w->lx, text, start, end);
    w->pos = (size_t)-1;          /* the first advance() reads index 0 */
}

void tokwin_free(TokWindow *w)
{
    np_free(w->toks);
    np_free(w->errs);
}

/* Keeps the message of the window's token `index` (counted from the next free
 * slot) in the side table; nonzero when out of memory. */
static int note_err(void *ctx, size_t index, const char *err, size_t err_at)
{
    TokWindow *w = ctx;
    TokWinErr *n = np_grow(w->errs, w->nerrs, &w->caperrs, sizeof *n, 8);
    if (!n) return 1;
    w->errs = n;
    w->errs[w->nerrs].index = w->base + w->len + index;
    w->errs[w->nerrs].err = err;
    w->errs[w->nerrs].err_at = err_at;
    w->nerrs++;
    return 0;
}

static void out_of_memory(TokWindow *w)
{
    w->oom = 1;
    w->eof = 1;
}

/* Lexes the next batch of significant tokens into the window. */
static void fill(TokWindow *w)
{
    if (w->eof) return;
    if (w->cap - w->len < 64) {
        size_t cap = w->cap ? w->cap * 2 : 256;
        LexTok *n = np_realloc(w->toks, cap * sizeof *n);
        if (!n) { out_of_memory(w); return; }
        w->toks = n;
        w->cap = cap;
    }
    int status;
    size_t got = lex_fill_significant(&w->lx, w->toks + w->len, 64, note_err, w, &status);
    w->len += got;
    if (status == LEX_FILL_EOF) w->eof = 1;
    else if (status != LEX_FILL_MORE) out_of_memory(w);
}

static LexTok end_token(const TokWindow *w)
{
    LexTok t = {(uint32_t)w->lx.end, (uint32_t)w->lx.end, TK_EOF, 0};
    return t;
}

LexTok tokwin_at(TokWindow *w, size_t i, const char **err, size_t *err_at)
{
    while (i >= w->base + w->len && !w->eof) fill(w);
    *err = NULL;
    *err_at = 0;
    if (i >= w->base + w->len) return end_token(w);
    LexTok t = w->toks[i - w->base];
    if (t.flags & LEXF_SLOW) {
        for (size_t e = w->nerrs; e-- > 0;)
            if (w->errs[e].index == i) { *err = w->errs[e].err; *err_at = w->errs[e].err_at; break; }
        t.flags &= (uint8_t)~LEXF_SLOW;
    }
    return t;
}

LexTok tokwin_peek(TokWindow *w, int skip_nl)
{
    for (size_t i = w->pos + 1;; i++) {
        size_t r = i - w->base;
        if (r >= w->len) {
            if (!w->eof) { fill(w); i--; continue; }
            return end_token(w);
        }
        LexTok t = w->toks[r];
        if (t.kind == TK_COMMENT || t.kind == TK_ERROR || (skip_nl && t.kind == TK_NL)) continue;
        t.flags &= (uint8_t)~LEXF_SLOW;
        return t;
    }
}

void tokwin_compact(TokWindow *w)
{
    size_t drop = w->pos - w->base;
    if (drop < 4096 || drop > w->len) return;
    memmove(w->toks, w->toks + drop, (w->len - drop) * sizeof *w->toks);
    w->len -= drop;
    w->base += drop;
    size_t k = 0;
    for (size_t e = 0; e < w->nerrs; e++)
        if (w->errs[e].index >= w->base) w->errs[k++] = w->errs[e];
    w->nerrs = k;
}
