/* tokwin — the parser's window of significant tokens. The lexer's tokens are
 * lexed in batches into an array and read by absolute index, so lookahead
 * (peeks, statement classification, speculative parses that reset) costs no
 * re-lexing. Whitespace and well-formed single-line comments are dropped; a
 * comment spanning lines becomes a newline (nextflow-config.md §1.1). The
 * messages of malformed tokens live in a side table. The parser compacts the
 * window between top-level statements, so memory stays bounded by the
 * largest statement, not the file.
 *
 * The struct is open so that the parser's hot paths (advance, peek) read the
 * array inline; the slow paths are here. Nothing here reports diagnostics:
 * the parser does, from tokwin_at's message. */
#ifndef NFP_TOKWIN_H
#define NFP_TOKWIN_H
#include <stddef.h>
#include "lex.h"

typedef struct TokWinErr {       /* malformed tokens are rare: their messages live aside */
    size_t index;                /* absolute token index */
    const char *err;
    size_t err_at;
} TokWinErr;

typedef struct TokWindow {
    Lexer lx;
    LexTok *toks;
    size_t len, cap;
    size_t base;                 /* absolute index of toks[0] */
    size_t pos;                  /* absolute index of the current token */
    int eof;                     /* the lexer reached the end (or memory ran out) */
    int oom;                     /* an allocation failed: treat as the end, tell the caller */
    TokWinErr *errs;
    size_t nerrs, caperrs;
} TokWindow;

/* A window over text[start, end), positioned before its first token (the
 * first advance reads index 0). */
void tokwin_init(TokWindow *w, const char *text, size_t start, size_t end);
void tokwin_free(TokWindow *w);

/* The token at absolute index i, the end of input reading as TK_EOF, with
 * the lexer's message (and its offset) for a malformed token. LEXF_SLOW is
 * cleared in the result. May lex more; sets w->oom when memory runs out. */
LexTok tokwin_at(TokWindow *w, size_t i, const char **err, size_t *err_at);
/* The next token after the current one that is not a comment or an error
 * token (nor a newline when skip_nl), without moving or reporting anything. */
LexTok tokwin_peek(TokWindow *w, int skip_nl);
/* Drops the tokens before the current one; only where no saved position
 * (parser Mark) is live. */
void tokwin_compact(TokWindow *w);

#endif
