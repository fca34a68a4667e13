#include "parse.h"
#include "alloc.h"
#include "strlit.h"
#include "tokwin.h"
#include <stdint.h>
#include <string.h>

/* ------------------------------------------------------------------------
 * Parser state. `tok` is the current significant token: trivia (whitespace,
 * comments) are skipped, newlines are kept because they separate statements.
 * A block comment that spans lines counts as a newline (nextflow-config.md §1.1).
 * ------------------------------------------------------------------------ */

/* Significant tokens come from a window (tokwin.h) read by index. */
typedef LexTok Tok;

typedef struct Parser {
    Arena *arena;
    const Source *src;
    const char *text;
    DiagList *diags;
    TokWindow w;
    Tok tok;
    size_t prev_end;       /* end of the previous significant token */
    int depth;
    int fatal;             /* nesting limit hit or out of memory: unwind to the end */
    int oom;               /* an allocation failed: the tree is incomplete */
    int errors;
    int in_plugins;        /* inside `plugins { }`: `id 'x'` is the strict form */
    int in_code;           /* inside a closure or function body: Groovy statements are normal */
    int in_rejected;       /* inside an if, try, loop or declaration the strict parser
                              rejects as a whole: one finding for it, none inside */
    int stmt_lhs;          /* the next parse_expr is a statement's start: leave `=` to the statement */
    Tok *spare_toks;       /* a token buffer kept for the next ${…} sub-window */
    size_t spare_cap;
    char *pool, *pool_end; /* nodes and texts are cut from blocks of the arena (see palloc) */
    size_t pool_next;      /* size of the next block */
} Parser;

typedef enum { CTX_CONFIG, CTX_CODE } StmtCtx;

static inline void advance(Parser *p);
static void out_of_memory(Parser *p);
static inline void *palloc(Parser *p, size_t size);

/* ---------------- diagnostics ---------------- */

static void syntax_error(Parser *p, size_t start, size_t end, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

static void syntax_error(Parser *p, size_t start, size_t end, const char *fmt, ...)
{
    if (p->fatal) return;    /* after the nesting limit only the unwinding is left: stay quiet */
    /* a span that starts at the end of the input (EOF) stays empty */
    if (p->src && end > p->src->len) end = p->src->len;
    if (start > end) start = end;
    p->errors++;
    if (p->errors > PARSE_MAX_ERRORS) {
        /* bounded output and work on any input: say so once and unwind */
        if (p->diags)
            diag_add(p->diags, p->src, start, end, SEV_ERROR, RULE_SYNTAX_ERROR,
                     "more than %d syntax errors: the rest of the file is not checked", PARSE_MAX_ERRORS);
        p->fatal = 1;
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    if (p->diags) diag_vadd(p->diags, p->src, start, end, SEV_ERROR, RULE_SYNTAX_ERROR, fmt, ap);
    va_end(ap);
}

/* Nextflow's strict parser rejects an invalid statement with one error and
 * does not visit its body (nf-lang ConfigAstBuilder.invalidStatement): what
 * stands inside one is not reported again (p->in_rejected). */
static void legacy(Parser *p, size_t start, size_t end, const char *construct)
{
    if (p->diags && !p->fatal && !p->in_rejected)
        diag_add(p->diags, p->src, start, end, DIAG_DEFAULT_SEV, RULE_V2_INCOMPATIBLE,
                 "%s is not supported by the strict (v2) config syntax", construct);
}

static unsigned line_of(Parser *p, size_t off)
{
    unsigned line, col;
    source_linecol(p->src, off, &line, &col);
    return line;
}

/* Shows a token in a message: its text, shortened, or its kind name. */
static const char *tok_show(Parser *p, Tok t)
{
    if (t.kind == TK_EOF) return "end of file";
    if (t.kind == TK_NL) return "newline";
    size_t n = t.end - t.start;
    if (n > 24) {
        n = 24;
        /* do not cut a UTF-8 sequence in two */
        while (n > 0 && ((unsigned char)p->text[t.start + n] & 0xC0) == 0x80) n--;
    }
    char *s = palloc(p, n + 4);
    if (!s) return "?";
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)p->text[t.start + i];
        size_t w = c >= 0x80 ? lex_utf8_seq(p->text, t.start + i, t.start + n) : 1;
        if (w > 1) {               /* a whole UTF-8 character */
            memcpy(s + i, p->text + t.start + i, w);
            i += w;
            continue;
        }
        s[i++] = (c < 0x20 || c == 0x7f || c >= 0x80) ? '?' : (char)c;
    }
    if (t.end - t.start > n) memcpy(s + n, "...", 4);
    return s;
}

static void unexpected(Parser *p)
{
    if (p->tok.kind == TK_ERROR) return;   /* already reported by advance() */
    if (p->tok.kind == TK_EOF || p->tok.kind == TK_NL) {
        syntax_error(p, p->tok.start, p->tok.end, "Unexpected %s", tok_show(p, p->tok));
        return;
    }
    syntax_error(p, p->tok.start, p->tok.end, "Unexpected input: '%s'", tok_show(p, p->tok));
}

/* ---------------- nodes ---------------- */

/* Parser memory: zero-filled, 8-byte aligned, from the arena. Small requests
 * are cut from blocks taken from the arena (growing 1 KiB .. 256 KiB), so that
 * the one-per-token node allocations cost a pointer bump, not a call. */
static void *palloc_block(Parser *p, size_t size)
{
    if (size > 512) return arena_alloc(p->arena, size);
    size_t n = p->pool_next ? p->pool_next : 1024;
    char *b = arena_alloc(p->arena, n);
    if (!b) return NULL;
    p->pool = b + size;
    p->pool_end = b + n;
    p->pool_next = n < 256 * 1024 ? n * 2 : n;
    return b;
}

static inline void *palloc(Parser *p, size_t size)
{
    size = (size + 7) & ~(size_t)7;
    if ((size_t)(p->pool_end - p->pool) < size) return palloc_block(p, size);
    void *r = p->pool;
    p->pool += size;
    return r;
}

static Node *mk(Parser *p, NodeKind kind, size_t start, size_t end)
{
    Node *n = palloc(p, sizeof *n);
    if (!n) {
        out_of_memory(p);
        return NULL;
    }
    n->kind = kind;
    n->start = start;
    n->end = end;
    return n;
}

/* Growable child list built on the arena. */
typedef struct Kids {
    Node **items;
    size_t len, cap;
} Kids;

/* kids_push when the list is full: moves it to a block twice the size. */
static void kids_grow_push(Parser *p, Kids *k, Node *n)
{
    size_t cap = k->cap ? k->cap * 2 : 4;
    Node **items = palloc(p, cap * sizeof *items);
    if (!items) { out_of_memory(p); return; }
    if (k->len) memcpy(items, k->items, k->len * sizeof *items);
    k->items = items;
    k->cap = cap;
    k->items[k->len++] = n;
}

static inline void kids_push(Parser *p, Kids *k, Node *n)
{
    if (!n) return;
    if (k->len == k->cap) { kids_grow_push(p, k, n); return; }
    k->items[k->len++] = n;
}

static void kids_set(Node *n, Kids *k)
{
    if (!n) return;
    n->kids = k->items;
    n->nkids = k->len;
}

static inline void set_text(Parser *p, Node *n, const char *s, size_t len)
{
    if (!n) return;
    char *t = palloc(p, len + 1);
    if (t) {
        memcpy(t, s, len);
        t[len] = '\0';
    }
    n->text = t;
    n->textlen = len;
    if (!n->text) {
        n->text = "";
        n->textlen = 0;
        out_of_memory(p);
    }
}

/* ---------------- tokens ---------------- */

static void out_of_memory(Parser *p)
{
    p->oom = 1;
    p->fatal = 1;
}

/* Tok flag: the token needs advance()'s attention (an error token, a
 * malformed literal or comment); never set on p->tok. */
#define TOKF_SLOW LEXF_SLOW

/* The token at absolute index i of the window, with the lexer's message for
 * a malformed token; running out of memory while lexing stops the parse. */
static Tok tok_at(Parser *p, size_t i, const char **err, size_t *err_at)
{
    Tok t = tokwin_at(&p->w, i, err, err_at);
    if (p->w.oom) out_of_memory(p);
    return t;
}

/* advance() past the common case: refills the window, reports error tokens
 * and malformed literals, reads the end of input. */
static void advance_slow(Parser *p)
{
    for (;;) {
        const char *err;
        size_t err_at;
        Tok t = tok_at(p, p->w.pos, &err, &err_at);
        if (t.kind == TK_COMMENT) {     /* only malformed comments reach here */
            syntax_error(p, err_at, t.end, "%s", err ? err : "unterminated comment");
            p->w.pos++;
            continue;
        }
        if (t.kind == TK_ERROR) {
            if (p->fatal)
                ;   /* past the error limit: only the unwinding is left */
            else if (err && !strcmp(err, "unexpected NUL byte"))
                syntax_error(p, t.start, t.end, "Unexpected NUL byte");
            else if (err && !strcmp(err, "invalid UTF-8"))
                syntax_error(p, t.start, t.end, "Invalid UTF-8 byte 0x%02X", (unsigned char)p->text[t.start]);
            else
                syntax_error(p, t.start, t.end, "Unexpected character: '%s'", tok_show(p, t));
            p->w.pos++;
            continue;
        }
        if ((t.flags & TOKF_MALFORMED) && err) syntax_error(p, err_at, t.end, "%s", err);
        p->tok = t;
        return;
    }
}

/* Moves to the next significant token: in the common case one load from the
 * window. */
static inline void advance(Parser *p)
{
    if (p->tok.kind != TK_EOF) p->prev_end = p->tok.end;
    TokWindow *w = &p->w;
    size_t i = ++w->pos - w->base;
    if (i < w->len && !(w->toks[i].flags & TOKF_SLOW)) {
        p->tok = w->toks[i];
        return;
    }
    advance_slow(p);
}

static int at(Parser *p, TokKind k) { return p->tok.kind == k; }

static int accept(Parser *p, TokKind k)
{
    if (p->tok.kind != k) return 0;
    advance(p);
    return 1;
}

static void skip_nls(Parser *p)
{
    while (p->tok.kind == TK_NL) advance(p);
}

/* Saved parser position for bounded lookahead. Diagnostics made while looking
 * ahead are dropped when the position is restored. */
typedef struct Mark {
    size_t pos;
    Tok tok;
    size_t prev_end;
    size_t ndiags;
    int errors;
} Mark;

static Mark mark(Parser *p)
{
    Mark m = {p->w.pos, p->tok, p->prev_end, p->diags ? p->diags->len : 0, p->errors};
    return m;
}

static void reset(Parser *p, Mark m)
{
    p->w.pos = m.pos;
    p->tok = m.tok;
    p->prev_end = m.prev_end;
    if (p->diags) {
        while (p->diags->len > m.ndiags) {
            Diag *d = &p->diags->items[--p->diags->len];
            np_free(d->message);
        }
    }
    p->errors = m.errors;
}

/* The next significant token after the current one, and after any newlines
 * when skip_nl is set: what advance() (and skip_nls) would make current, read
 * from the window without moving or reporting anything. */
static Tok peek_slow(Parser *p, int skip_nl)
{
    Tok t = tokwin_peek(&p->w, skip_nl);
    if (p->w.oom) out_of_memory(p);
    return t;
}

/* peek() in the common case: the next token is in the window and plain. */
static inline Tok peek(Parser *p, int skip_nl)
{
    TokWindow *w = &p->w;
    size_t r = w->pos + 1 - w->base;
    if (r < w->len) {
        Tok t = w->toks[r];
        if (!(t.flags & TOKF_SLOW) && t.kind != TK_COMMENT && t.kind != TK_ERROR &&
            !(skip_nl && t.kind == TK_NL))
            return t;
    }
    return peek_slow(p, skip_nl);
}

/* The token after newlines, without consuming anything. */
static Tok peek_past_nls(Parser *p)
{
    if (p->tok.kind != TK_NL) return p->tok;
    return peek(p, 1);
}

static int enter(Parser *p, size_t where)
{
    if (p->fatal) return 0;
    if (++p->depth > PARSE_MAX_DEPTH) {
        syntax_error(p, where, where + 1, "nesting too deep (more than %d levels)", PARSE_MAX_DEPTH);
        p->fatal = 1;
        return 0;
    }
    return 1;
}

static void leave(Parser *p) { p->depth--; }

/* Skips the rest of a bad statement: up to a newline or `;` at nesting level 0,
 * or an unmatched closing brace (left for the enclosing block). */
static void recover(Parser *p)
{
    int nest = 0;
    while (!at(p, TK_EOF)) {
        TokKind k = p->tok.kind;
        if (nest == 0 && (k == TK_NL || k == TK_SEMI || k == TK_RBRACE)) return;
        if (k == TK_LBRACE || k == TK_LPAREN || k == TK_LBRACK) nest++;
        if ((k == TK_RBRACE || k == TK_RPAREN || k == TK_RBRACK) && nest > 0) nest--;
        advance(p);
    }
}

static void expect_close(Parser *p, TokKind close, size_t open_at)
{
    if (accept(p, close)) return;
    syntax_error(p, p->tok.start, p->tok.end, "expected `%s` to close `%s` at line %u, found %s",
                 tok_kind_name(close),
                 close == TK_RBRACE ? "{" : close == TK_RPAREN ? "(" : "[",
                 line_of(p, open_at), p->tok.kind == TK_EOF ? "end of file"
                 : tok_show(p, p->tok));
}

/* ---------------- string literals ---------------- */

/* Reports a malformed escape found while decoding a literal's body. */
static void strlit_error(void *ctx, size_t start, size_t end, const char *msg)
{
    syntax_error(ctx, start, end, "%s", msg);
}

static void decode_escapes(Parser *p, StrBuf *b, size_t i, size_t end, int triple)
{
    strlit_decode_quoted(b, p->text, i, end, triple, strlit_error, p);
}

/* STRING, SLASHY and DOLLAR_SLASHY tokens (grammar: `primary`; bodies per
 * `sq_char`, `dq_char`, `escape`) → N_STRING with the decoded text (strlit.h).
 * Recovery: a malformed escape is reported and kept as written; an
 * unterminated literal (the lexer reported it) keeps its text to the end. */
static Node *string_node(Parser *p, Tok t)
{
    Node *n = mk(p, N_STRING, t.start, t.end);
    if (!n) return NULL;
    StrBuf b = STRBUF_INIT;
    size_t len = t.end - t.start;
    if (t.kind == TK_SLASHY) {
        n->flags |= NF_SLASHY;
        strlit_decode_slashy(&b, p->text, t.start + 1, t.end - (len >= 2 && !(t.flags & TOKF_MALFORMED) ? 1 : 0));
    } else if (t.kind == TK_DOLLAR_SLASHY) {
        n->flags |= NF_SLASHY;
        strlit_decode_dollar_slashy(&b, p->text, t.start + 2,
                                    t.end >= t.start + 4 && !(t.flags & TOKF_MALFORMED) ? t.end - 2 : t.end);
    } else {
        size_t q = (t.flags & TOKF_TRIPLE) ? 3 : 1;
        size_t body_end = (t.flags & TOKF_MALFORMED) ? t.end : (t.end >= t.start + 2 * q ? t.end - q : t.end);
        if (t.flags & TOKF_TRIPLE) n->flags |= NF_TRIPLE;
        size_t body = t.start + q;
        /* most strings have no escapes (and no CR to drop): copy them once */
        if (body <= body_end && !memchr(p->text + body, '\\', body_end - body) &&
            (!(t.flags & TOKF_TRIPLE) || !memchr(p->text + body, '\r', body_end - body))) {
            set_text(p, n, p->text + body, body_end - body);
            return n;
        }
        decode_escapes(p, &b, body, body_end, (t.flags & TOKF_TRIPLE) != 0);
    }
    if (strbuf_failed(&b)) { out_of_memory(p); strbuf_free(&b); return n; }
    set_text(p, n, b.data ? b.data : "", b.len);
    strbuf_free(&b);
    return n;
}

static Node *parse_expr(Parser *p);
static Node *parse_stmt(Parser *p, StmtCtx ctx);
/* How parse_stmts_into finds the statement list's opening brace. */
typedef enum { OPEN_NONE /* a whole file */, OPEN_AT_TOKEN /* `{` is the current token */,
               OPEN_CONSUMED /* the caller consumed `{` already (closures) */ } OpenMode;
static Node *parse_stmts_into(Parser *p, Node *owner, StmtCtx ctx, size_t open_at, OpenMode how);

/* The expression of one `${…}` (grammar: `gstring_part`), lexed afresh over
 * [start, end) and parsed with parse_expr; `${}` is null and `${ -> x }` a
 * lazy closure. Recovery: tokens left after the expression are reported once;
 * the outer window and position are restored whatever happened inside. */
static Node *parse_subrange(Parser *p, size_t start, size_t end)
{
    TokWindow saved_w = p->w;
    Tok saved_tok = p->tok;
    size_t saved_prev = p->prev_end;
    tokwin_init(&p->w, p->text, start, end);
    /* Strings hold many ${…}: their windows reuse one buffer (nested ones
     * find it taken and allocate their own). */
    p->w.toks = p->spare_toks;
    p->w.cap = p->spare_cap;
    p->spare_toks = NULL;
    p->spare_cap = 0;
    advance(p);
    skip_nls(p);
    Node *e;
    if (at(p, TK_EOF)) {
        e = mk(p, N_NULL, start, end);   /* "${}" is null in Groovy */
    } else {
        /* `${ -> x }` is a lazy closure: parse the rest as its body. */
        if (at(p, TK_ARROW)) advance(p);
        e = parse_expr(p);
        skip_nls(p);
        if (!at(p, TK_EOF) && !p->fatal) {
            unexpected(p);
        }
    }
    if (!p->spare_toks) {
        p->spare_toks = p->w.toks;
        p->spare_cap = p->w.cap;
        p->w.toks = NULL;
    }
    tokwin_free(&p->w);
    p->w = saved_w;
    p->tok = saved_tok;
    p->prev_end = saved_prev;
    return e;
}

static int ident_start(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (unsigned char)c >= 0x80;
}
static int ident_char(char c) { return ident_start(c) || (c >= '0' && c <= '9') || c == '$'; }

/* A GSTRING token (grammar: `gstring_part`, `gs_name`) → N_GSTRING whose
 * kids are the literal pieces (N_STRING) and the interpolated parts: `$a.b`
 * as N_IDENT/N_PROP, `${expr}` through parse_subrange (§1.5).
 * Recovery: a `$` followed by neither a name nor `{` is reported and skipped;
 * an unclosed `${` (reported by the lexer) leaves the rest as text. */
static Node *gstring_node(Parser *p, Tok t)
{
    Node *g = mk(p, N_GSTRING, t.start, t.end);
    if (!g) return NULL;
    size_t q = (t.flags & TOKF_TRIPLE) ? 3 : 1;
    if (t.flags & TOKF_TRIPLE) g->flags |= NF_TRIPLE;
    size_t i = t.start + q;
    size_t end = (t.flags & TOKF_MALFORMED) ? t.end : t.end - q;
    const char *s = p->text;
    Kids parts = {0};
    size_t text_start = i;
    StrBuf b = STRBUF_INIT;
    if (!enter(p, t.start)) return g;
#define FLUSH_TEXT(upto) do { \
        if ((upto) > text_start) { \
            Node *tn = mk(p, N_STRING, text_start, (upto)); \
            decode_escapes(p, &b, text_start, (upto), (t.flags & TOKF_TRIPLE) != 0); \
            set_text(p, tn, b.data ? b.data : "", b.len); \
            strbuf_free(&b); \
            kids_push(p, &parts, tn); \
        } \
    } while (0)
    while (i < end && !p->fatal) {
        if (s[i] == '\\') { i += 2; continue; }
        if (s[i] != '$') { i++; continue; }
        if (i + 1 < end && s[i + 1] == '{') {
            FLUSH_TEXT(i);
            int too_deep = 0;
            size_t close = lex_match_interp(s, i + 1, end, &too_deep);
            if (close >= end) {        /* the lexer already reported it */
                text_start = i;        /* keep the rest once, as text */
                break;
            }
            Node *e = parse_subrange(p, i + 2, close);
            kids_push(p, &parts, e);
            i = close + 1;
            text_start = i;
            continue;
        }
        if (i + 1 < end && ident_start(s[i + 1])) {
            FLUSH_TEXT(i);
            size_t j = i + 1;
            while (j < end && ident_char(s[j])) j++;
            Node *e = mk(p, N_IDENT, i + 1, j);
            set_text(p, e, s + i + 1, j - i - 1);
            /* `.name` continues the path only when a letter follows the dot. */
            while (j + 1 < end && s[j] == '.' && ident_start(s[j + 1])) {
                size_t k = j + 1;
                while (k < end && ident_char(s[k])) k++;
                Node *pr = mk(p, N_PROP, i + 1, k);
                if (pr) { pr->a = e; set_text(p, pr, s + j + 1, k - j - 1); }
                e = pr;
                j = k;
            }
            kids_push(p, &parts, e);
            i = j;
            text_start = i;
            continue;
        }
        syntax_error(p, i, i + 1, "Unexpected character: '$' (use '\\$' for a dollar sign)");
        i++;
    }
    FLUSH_TEXT(end);
#undef FLUSH_TEXT
    strbuf_free(&b);
    kids_set(g, &parts);
    leave(p);
    return g;
}

/* ---------------- expressions ---------------- */

static int can_start_expr(TokKind k)
{
    switch (k) {
    case TK_IDENT: case TK_INT: case TK_FLOAT: case TK_STRING: case TK_GSTRING: case TK_SLASHY:
    case TK_DOLLAR_SLASHY: case TK_KW_TRUE: case TK_KW_FALSE: case TK_KW_NULL: case TK_KW_NEW:
    case TK_LPAREN: case TK_LBRACK: case TK_LBRACE: case TK_NOT: case TK_TILDE: case TK_MINUS:
    case TK_PLUS: case TK_INC: case TK_DEC: case TK_PRIMITIVE: case TK_KW_IN:
    case TK_KW_DEF: case TK_KW_DEFAULT: case TK_KW_CLASS:
        return 1;
    default:
        return 0;
    }
}

/* Tokens that may start a paren-less command argument (`id 'x'`, `cpus 4`).
 * `[`, `(`, `{`, `-` and `+` are excluded: they would continue the expression. */
static int can_start_command_arg(TokKind k)
{
    switch (k) {
    case TK_IDENT: case TK_INT: case TK_FLOAT: case TK_STRING: case TK_GSTRING: case TK_SLASHY:
    case TK_DOLLAR_SLASHY: case TK_KW_TRUE: case TK_KW_FALSE: case TK_KW_NULL: case TK_KW_NEW:
    case TK_NOT: case TK_TILDE: case TK_PRIMITIVE:
        return 1;
    default:
        return 0;
    }
}

static Node *parse_closure(Parser *p);
static Node *parse_unary(Parser *p);

static int is_assign_op(TokKind k)
{
    return k == TK_ASSIGN || (k >= TK_PLUS_ASSIGN && k <= TK_ELVIS_ASSIGN);
}

/* Skips from the current opener over its balanced run (`<…>` of generics,
 * `(…)`/`{…}` of opaque legacy loops), stopping early at end of input (and at
 * a newline when stop_at_nl). */
static void skip_balanced(Parser *p, TokKind open, TokKind close, int stop_at_nl)
{
    int nest = 0;
    do {
        if (at(p, open)) nest++;
        else if (at(p, close)) nest--;
        else if (at(p, TK_EOF) || (stop_at_nl && at(p, TK_NL))) break;
        advance(p);
    } while (nest > 0);
}

/* grammar: `type` — `Type`, `a.b.Type`, `Type<…>`, `Type[]`; returns an
 * N_IDENT holding the type's text (for `as`, `instanceof`, `new`).
 * Recovery: a token that cannot start a type is reported and left in place
 * (an N_ERROR node stands for the type). */
static Node *parse_type(Parser *p)
{
    size_t start = p->tok.start;
    if (!tok_is_word(p->tok.kind)) {
        unexpected(p);
        return mk(p, N_ERROR, p->tok.start, p->tok.end);
    }
    advance(p);
    while (at(p, TK_DOT) && tok_is_word(peek(p, 0).kind)) { advance(p); advance(p); }
    if (at(p, TK_LT)) skip_balanced(p, TK_LT, TK_GT, 1);   /* generics */
    while (at(p, TK_LBRACK) && peek(p, 0).kind == TK_RBRACK) { advance(p); advance(p); }
    Node *n = mk(p, N_IDENT, start, p->prev_end);
    set_text(p, n, p->text + start, p->prev_end - start);
    return n;
}

/* grammar: `args`, `arg` — positional and `name: value` (N_NAMED_ARG)
 * arguments up to `close` (`)` of a call, `]` of an index); the opener is
 * already consumed. Recovery: stops at the first argument not followed by a
 * comma; expect_close reports a missing closer and consumes nothing. */
static void parse_args(Parser *p, Kids *args, TokKind close, size_t open_at)
{
    skip_nls(p);
    while (!at(p, close) && !at(p, TK_EOF) && !p->fatal) {
        Tok t = p->tok;
        Node *arg;
        if ((tok_is_word(t.kind) || t.kind == TK_STRING) && peek(p, 0).kind == TK_COLON) {
            Node *na = mk(p, N_NAMED_ARG, t.start, t.end);
            Node *key = t.kind == TK_STRING ? string_node(p, t) : NULL;
            if (na) {
                if (key) { na->text = key->text; na->textlen = key->textlen; }
                else set_text(p, na, p->text + t.start, t.end - t.start);
            }
            advance(p);
            advance(p);
            skip_nls(p);
            Node *v = parse_expr(p);
            if (na) { na->a = v; na->end = p->prev_end; }
            arg = na;
        } else {
            arg = parse_expr(p);
        }
        kids_push(p, args, arg);
        skip_nls(p);
        if (!accept(p, TK_COMMA)) break;
        skip_nls(p);
    }
    expect_close(p, close, open_at);
}

/* grammar: `list_or_map`, `item`, `map_key` — `[a, b]` → N_LIST, `[k: v]` and
 * `[:]` → N_MAP of N_MAP_ENTRY; `(expr): v` is a computed key.
 * Recovery: a list item in a map (or an entry in a list) is reported and kept;
 * a missing `]` is reported by expect_close. */
static Node *parse_list_or_map(Parser *p)
{
    size_t open = p->tok.start;
    advance(p);
    skip_nls(p);
    if (at(p, TK_COLON) && peek(p, 1).kind == TK_RBRACK) {   /* [:] */
        advance(p);
        skip_nls(p);
        advance(p);
        return mk(p, N_MAP, open, p->prev_end);
    }
    Kids items = {0};
    int is_map = -1;
    while (!at(p, TK_RBRACK) && !at(p, TK_EOF) && !p->fatal) {
        Tok t = p->tok;
        Node *key = NULL;
        if ((tok_is_word(t.kind) || t.kind == TK_STRING || t.kind == TK_INT) && peek(p, 0).kind == TK_COLON) {
            if (t.kind == TK_STRING) key = string_node(p, t);
            else {
                key = mk(p, N_STRING, t.start, t.end);
                set_text(p, key, p->text + t.start, t.end - t.start);
                if (key && t.kind == TK_INT) key->kind = N_INT;
            }
            advance(p);
        } else {
            Node *e = parse_expr(p);
            if (at(p, TK_COLON)) key = e;         /* (expr): value */
            else {
                if (is_map == 1) syntax_error(p, t.start, p->prev_end, "expected `key: value` in map literal");
                is_map = 0;
                kids_push(p, &items, e);
            }
        }
        if (key) {
            if (is_map == 0) syntax_error(p, t.start, p->prev_end, "unexpected `key: value` in list literal");
            is_map = 1;
            advance(p);   /* the colon */
            skip_nls(p);
            Node *entry = mk(p, N_MAP_ENTRY, t.start, 0);
            Node *v = parse_expr(p);
            if (entry) { entry->a = key; entry->b = v; entry->end = p->prev_end; }
            kids_push(p, &items, entry);
        }
        skip_nls(p);
        if (!accept(p, TK_COMMA)) break;
        skip_nls(p);
    }
    expect_close(p, TK_RBRACK, open);
    Node *n = mk(p, is_map == 1 ? N_MAP : N_LIST, open, p->prev_end);
    kids_set(n, &items);
    return n;
}

/* grammar: `primary`, `name_ref` — literals, strings, `( expr )`, the
 * legacy cast `(Type) x`, list/map literals, closures, `new T(…)` and names
 * (keywords usable as names included).
 * Recovery: a token that cannot start an operand is reported; it becomes an
 * N_ERROR node and is skipped unless it is a closer, a newline or the end. */
static Node *parse_primary(Parser *p)
{
    Tok t = p->tok;
    Node *n;
    switch (t.kind) {
    case TK_INT: case TK_FLOAT:
        n = mk(p, t.kind == TK_INT ? N_INT : N_FLOAT, t.start, t.end);
        set_text(p, n, p->text + t.start, t.end - t.start);
        advance(p);
        return n;
    case TK_STRING: case TK_SLASHY: case TK_DOLLAR_SLASHY:
        if (t.kind == TK_DOLLAR_SLASHY) legacy(p, t.start, t.end, "a dollar-slashy string");
        n = string_node(p, t);
        advance(p);
        return n;
    case TK_GSTRING:
        n = gstring_node(p, t);
        advance(p);
        return n;
    case TK_KW_TRUE: case TK_KW_FALSE:
        n = mk(p, N_BOOL, t.start, t.end);
        set_text(p, n, t.kind == TK_KW_TRUE ? "true" : "false", t.kind == TK_KW_TRUE ? 4 : 5);
        advance(p);
        return n;
    case TK_KW_NULL:
        n = mk(p, N_NULL, t.start, t.end);
        advance(p);
        return n;
    case TK_LPAREN: {
        advance(p);
        skip_nls(p);
        /* Legacy soft cast `(Type) expr`: a capitalised name alone in parentheses
         * followed by something that can start an operand. */
        if ((at(p, TK_IDENT) || at(p, TK_PRIMITIVE)) && peek(p, 0).kind == TK_RPAREN) {
            char c0 = p->text[p->tok.start];
            Mark m = mark(p);
            Tok name = p->tok;
            advance(p);
            advance(p);
            if ((name.kind == TK_PRIMITIVE || (c0 >= 'A' && c0 <= 'Z')) &&
                can_start_expr(p->tok.kind) && !at(p, TK_MINUS) && !at(p, TK_PLUS) &&
                !at(p, TK_LBRACK) && !at(p, TK_LPAREN) && !at(p, TK_LBRACE)) {
                legacy(p, t.start, p->prev_end, "a parenthesised cast");
                Node *e = parse_unary(p);
                n = mk(p, N_CAST, t.start, p->prev_end);
                if (n) { n->a = e; set_text(p, n, p->text + name.start, name.end - name.start); }
                return n;
            }
            reset(p, m);
        }
        Node *inner = parse_expr(p);
        skip_nls(p);
        expect_close(p, TK_RPAREN, t.start);
        n = mk(p, N_PAREN, t.start, p->prev_end);
        if (n) n->a = inner;
        return n;
    }
    case TK_LBRACK:
        return parse_list_or_map(p);
    case TK_LBRACE:
        return parse_closure(p);
    case TK_KW_NEW: {
        advance(p);
        Node *type = parse_type(p);
        n = mk(p, N_NEW, t.start, p->prev_end);
        if (n && type) { n->text = type->text; n->textlen = type->textlen; }
        Kids args = {0};
        if (at(p, TK_LPAREN)) {
            size_t open = p->tok.start;
            advance(p);
            parse_args(p, &args, TK_RPAREN, open);
        } else if (at(p, TK_LBRACK)) {          /* new int[3] */
            size_t open = p->tok.start;
            advance(p);
            parse_args(p, &args, TK_RBRACK, open);
        }
        if (at(p, TK_LBRACE)) kids_push(p, &args, parse_closure(p));   /* anonymous class body-ish */
        kids_set(n, &args);
        if (n) n->end = p->prev_end;
        return n;
    }
    default:
        if (tok_is_word(t.kind) && t.kind != TK_KW_IF && t.kind != TK_KW_ELSE && t.kind != TK_KW_TRY &&
            t.kind != TK_KW_RETURN && t.kind != TK_KW_INCLUDECONFIG && t.kind != TK_KW_CATCH) {
            n = mk(p, N_IDENT, t.start, t.end);
            set_text(p, n, p->text + t.start, t.end - t.start);
            advance(p);
            return n;
        }
        if (t.kind == TK_KW_INCLUDECONFIG) {     /* includeConfig used as a function in legacy code */
            n = mk(p, N_IDENT, t.start, t.end);
            set_text(p, n, "includeConfig", 13);
            advance(p);
            return n;
        }
        unexpected(p);
        n = mk(p, N_ERROR, t.start, t.end);
        if (!at(p, TK_EOF) && !at(p, TK_NL) && !at(p, TK_RBRACE) && !at(p, TK_RPAREN) && !at(p, TK_RBRACK))
            advance(p);
        return n;
    }
}

/* Does a `{` here start a closure parameter list (`{ a, b -> …}`)? Scans ahead
 * over names, types and commas looking for `->`. */
static int closure_has_params(Parser *p)
{
    Mark m = mark(p);
    DiagList *d = p->diags;
    p->diags = NULL;
    advance(p);   /* past { */
    skip_nls(p);
    int result = 0;
    for (int steps = 0; steps < 64; steps++) {
        TokKind k = p->tok.kind;
        if (k == TK_ARROW) { result = 1; break; }
        if (!(tok_is_word(k) || k == TK_COMMA || k == TK_DOT || k == TK_LT || k == TK_GT ||
              k == TK_LBRACK || k == TK_RBRACK || k == TK_NL))
            break;
        advance(p);
    }
    p->diags = d;
    reset(p, m);
    return result;
}

/* grammar: `closure`, `closure_params`, `param_decl` — `{ [params ->] code }`
 * → N_CLOSURE with N_PARAM kids and an N_BODY of code statements (CTX_CODE).
 * Recovery: a parameter list without `->` is reported; the body recovers
 * statement by statement (parse_stmts_into). */
static Node *parse_closure(Parser *p)
{
    size_t open = p->tok.start;
    if (!enter(p, open)) return NULL;
    Node *c = mk(p, N_CLOSURE, open, open);
    int params = closure_has_params(p);
    advance(p);
    Kids ps = {0};
    if (params) {
        skip_nls(p);
        while (!at(p, TK_ARROW) && !at(p, TK_EOF)) {
            /* [def] [Type] name */
            Tok last = p->tok;
            while (tok_is_word(p->tok.kind) || at(p, TK_DOT) || at(p, TK_LT) || at(p, TK_GT) ||
                   at(p, TK_LBRACK) || at(p, TK_RBRACK)) {
                if (tok_is_word(p->tok.kind)) last = p->tok;
                advance(p);
            }
            Node *pn = mk(p, N_PARAM, last.start, last.end);
            set_text(p, pn, p->text + last.start, last.end - last.start);
            kids_push(p, &ps, pn);
            skip_nls(p);
            if (!accept(p, TK_COMMA)) break;
            skip_nls(p);
        }
        if (!accept(p, TK_ARROW)) unexpected(p);
    }
    Node *body = mk(p, N_BODY, p->tok.start, p->tok.start);
    p->in_code++;
    parse_stmts_into(p, body, CTX_CODE, open, OPEN_CONSUMED);
    p->in_code--;
    if (c) {
        kids_set(c, &ps);
        c->a = body;
        c->end = p->prev_end;
    }
    leave(p);
    return c;
}

/* The call node for callee `e` with `args`; closures that follow on the same
 * line are trailing arguments: f(x) { … } and f { … }. */
static Node *finish_call(Parser *p, Node *e, size_t start, Kids *args)
{
    Node *call = mk(p, N_CALL, start, p->prev_end);
    if (!call) return NULL;
    call->a = e;
    while (at(p, TK_LBRACE) && !p->fatal) {   /* a failed closure consumes nothing */
        kids_push(p, args, parse_closure(p));
        call->flags |= NF_TRAILING_CLOSURE;
        call->end = p->prev_end;
    }
    kids_set(call, args);
    return call;
}

/* grammar: `postfix`, `selector_op`, `member` — a primary followed by
 * `.name`, `?.name`, `*.name`, `.&name`, `."quoted"`, `(args)`, trailing
 * closures, `[index]` and `++`/`--`; a dot may start the next line.
 * Recovery: a dot not followed by a member is reported and the property gets
 * an empty name; more than PARSE_MAX_CHAIN links is fatal (bounded trees). */
static Node *parse_postfix(Parser *p)
{
    size_t start = p->tok.start;
    Node *e = parse_primary(p);
    for (int chain = 0;; chain++) {
        if (p->fatal) return e;
        /* Chains build left-deep trees; bound them like nesting so that
         * every later tree walk stays within the C stack. */
        if (chain > PARSE_MAX_CHAIN) {
            syntax_error(p, p->tok.start, p->tok.end, "expression too long (more than %d chained operations)", PARSE_MAX_CHAIN);
            p->fatal = 1;
            return e;
        }
        Tok t = p->tok;
        if (t.kind == TK_NL) {
            /* Property access may continue on the next line: `foo\n  .bar()`. */
            Tok n = peek_past_nls(p);
            if (n.kind == TK_DOT || n.kind == TK_SAFE_DOT || n.kind == TK_SPREAD_DOT) {
                skip_nls(p);
                continue;
            }
            return e;
        }
        if (t.kind == TK_DOT || t.kind == TK_SAFE_DOT || t.kind == TK_SPREAD_DOT || t.kind == TK_METHOD_REF) {
            advance(p);
            skip_nls(p);
            Tok name = p->tok;
            Node *pr = mk(p, N_PROP, start, name.end);
            if (!pr) return e;
            pr->a = e;
            pr->flags |= t.kind == TK_SAFE_DOT ? NF_SAFE : t.kind == TK_SPREAD_DOT ? NF_SPREAD : 0;
            if (tok_is_word(name.kind)) {
                set_text(p, pr, p->text + name.start, name.end - name.start);
                advance(p);
            } else if (name.kind == TK_STRING || name.kind == TK_GSTRING) {
                Node *sn = string_node(p, name);
                if (sn) { pr->text = sn->text; pr->textlen = sn->textlen; }
                pr->flags |= NF_QUOTED;
                advance(p);
            } else {
                unexpected(p);
                set_text(p, pr, "", 0);
            }
            e = pr;
            continue;
        }
        if (t.kind == TK_LPAREN) {
            advance(p);
            Kids args = {0};
            parse_args(p, &args, TK_RPAREN, t.start);
            Node *call = finish_call(p, e, start, &args);
            if (!call) return e;
            e = call;
            continue;
        }
        if (t.kind == TK_LBRACE && (e && (e->kind == N_IDENT || e->kind == N_PROP || e->kind == N_CALL))) {
            /* f { … } : a call whose only argument is a closure */
            Kids args = {0};
            Node *call = finish_call(p, e, start, &args);
            if (!call) return e;
            e = call;
            continue;
        }
        if (t.kind == TK_LBRACK) {
            advance(p);
            Kids idx = {0};
            parse_args(p, &idx, TK_RBRACK, t.start);
            Node *ix = mk(p, N_INDEX, start, p->prev_end);
            if (!ix) return e;
            ix->a = e;
            kids_set(ix, &idx);
            e = ix;
            continue;
        }
        if (t.kind == TK_INC || t.kind == TK_DEC) {
            advance(p);
            Node *pf = mk(p, N_POSTFIX, start, p->prev_end);
            if (!pf) return e;
            pf->op = t.kind;
            pf->a = e;
            e = pf;
            continue;
        }
        return e;
    }
}

static Node *parse_power(Parser *p);

/* grammar: `unary` — prefix `!`, `~`, `++`, `--` (operand: unary) and `-`,
 * `+` (operand: power, so `-2**2` is -(2**2)) → N_UNARY; else a postfix.
 * Recovery: none needed here; nesting past PARSE_MAX_DEPTH is fatal (enter). */
static Node *parse_unary(Parser *p)
{
    Tok t = p->tok;
    if (t.kind == TK_NOT || t.kind == TK_TILDE || t.kind == TK_MINUS || t.kind == TK_PLUS ||
        t.kind == TK_INC || t.kind == TK_DEC) {
        if (!enter(p, t.start)) return NULL;
        advance(p);
        skip_nls(p);
        Node *a = (t.kind == TK_MINUS || t.kind == TK_PLUS) ? parse_power(p) : parse_unary(p);
        Node *n = mk(p, N_UNARY, t.start, p->prev_end);
        if (n) { n->op = t.kind; n->a = a; }
        leave(p);
        return n;
    }
    return parse_postfix(p);
}

/* grammar: `power` — `unary ** power`, right-associative → N_BINARY TK_POWER.
 * Recovery: as parse_unary. */
static Node *parse_power(Parser *p)
{
    size_t start = p->tok.start;
    Node *a = parse_unary(p);
    if (at(p, TK_POWER)) {
        if (!enter(p, start)) return a;
        advance(p);
        skip_nls(p);
        Node *b = parse_power(p);   /* right-associative */
        Node *n = mk(p, N_BINARY, start, p->prev_end);
        if (n) { n->op = TK_POWER; n->a = a; n->b = b; }
        leave(p);
        return n;
    }
    return a;
}

/* Binary precedence levels, loosest first (Groovy; nextflow-config.md §2.1). */
enum { PREC_NONE, PREC_OR, PREC_AND, PREC_BITOR, PREC_XOR, PREC_BITAND, PREC_REGEX,
       PREC_EQ, PREC_REL, PREC_SHIFT, PREC_ADD, PREC_MUL };

/* Returns the precedence of the binary operator at the current token, and its
 * width in tokens (shifts are two or three `<`/`>` tokens written together). */
static int binop_prec(Parser *p, Tok t, TokKind *op, int *ntok)
{
    *ntok = 1;
    *op = t.kind;
    const char *s = p->text;
    switch (t.kind) {
    case TK_OR: return PREC_OR;
    case TK_AND: return PREC_AND;
    case TK_BITOR: return PREC_BITOR;
    case TK_XOR: return PREC_XOR;
    case TK_BITAND: return PREC_BITAND;
    case TK_FIND: case TK_MATCH: return PREC_REGEX;
    case TK_EQ: case TK_NE: case TK_SPACESHIP: case TK_IDENTICAL: case TK_NOT_IDENTICAL: return PREC_EQ;
    case TK_LT:
        if (t.end < p->w.lx.end && s[t.end] == '<') { *ntok = 2; *op = TK_LT; return PREC_SHIFT; }
        return PREC_REL;
    case TK_GT:
        if (t.end < p->w.lx.end && s[t.end] == '>') {
            *ntok = (t.end + 1 < p->w.lx.end && s[t.end + 1] == '>') ? 3 : 2;
            *op = TK_GT;
            return PREC_SHIFT;
        }
        return PREC_REL;
    case TK_LE: case TK_GE: case TK_KW_IN: case TK_NOT_IN: case TK_KW_INSTANCEOF:
    case TK_NOT_INSTANCEOF: case TK_KW_AS:
        return PREC_REL;
    case TK_RANGE: case TK_RANGE_EXCL: return PREC_SHIFT;
    case TK_PLUS: case TK_MINUS: return PREC_ADD;
    case TK_STAR: case TK_SLASH: case TK_PERCENT: return PREC_MUL;
    default: return PREC_NONE;
    }
}

/* grammar: `binary`, `power_or_type` — precedence climbing over the levels
 * above (PREC_*), left-associative; `as`, `instanceof` and `!instanceof` take
 * a type on the right (N_CAST, N_INSTANCEOF); `<<` and `>>` are marked in op.
 * An operator other than `+`/`-` may start the next line.
 * Recovery: more than PARSE_MAX_CHAIN operators is fatal (bounded trees). */
static Node *parse_binary(Parser *p, int min_prec)
{
    size_t start = p->tok.start;
    if (!enter(p, start)) return NULL;
    Node *lhs = parse_power(p);
    for (int chain = 0;; chain++) {
        if (p->fatal) break;
        if (chain > PARSE_MAX_CHAIN) {
            syntax_error(p, p->tok.start, p->tok.end, "expression too long (more than %d chained operations)", PARSE_MAX_CHAIN);
            p->fatal = 1;
            break;
        }
        Tok t = p->tok;
        if (t.kind == TK_NL) {
            /* Most binary operators may start the next line; `+`/`-` may not
             * (a line starting with -x is a new statement). */
            Tok n = peek_past_nls(p);
            TokKind dummy; int w;
            int pr = binop_prec(p, n, &dummy, &w);
            if (pr == PREC_NONE || n.kind == TK_PLUS || n.kind == TK_MINUS) break;
            skip_nls(p);
            t = p->tok;
        }
        TokKind op;
        int width;
        int prec = binop_prec(p, t, &op, &width);
        if (prec == PREC_NONE || prec < min_prec) break;
        for (int i = 0; i < width; i++) advance(p);
        skip_nls(p);
        Node *n;
        if (op == TK_KW_AS || op == TK_KW_INSTANCEOF || op == TK_NOT_INSTANCEOF) {
            Node *type = parse_type(p);
            n = mk(p, op == TK_KW_AS ? N_CAST : N_INSTANCEOF, start, p->prev_end);
            if (n) {
                n->a = lhs;
                if (type) { n->text = type->text; n->textlen = type->textlen; }
                if (op == TK_NOT_INSTANCEOF) n->flags |= NF_NEGATED;
            }
        } else {
            Node *rhs = parse_binary(p, prec + 1);
            n = mk(p, N_BINARY, start, p->prev_end);
            if (n) {
                n->op = op;
                if (width == 2 && op == TK_LT) n->op = TK_LSHIFT_ASSIGN;    /* marks `<<` */
                if (width >= 2 && op == TK_GT) n->op = TK_RSHIFT_ASSIGN;    /* marks `>>` */
                n->a = lhs;
                n->b = rhs;
            }
        }
        lhs = n;
    }
    leave(p);
    return lhs;
}

/* After a lone operand at the current token, would the expression end there?
 * True when the next token can continue no postfix, binary, ternary or
 * assignment form: the checks parse_postfix, parse_binary and parse_expr make. */
static int operand_ends_expr(Parser *p)
{
    Tok n = peek(p, 0);
    switch (n.kind) {
    case TK_COMMA: case TK_RBRACK: case TK_RPAREN: case TK_RBRACE: case TK_SEMI: case TK_EOF:
    case TK_COLON:
        return 1;
    case TK_NL: {
        Tok m = peek(p, 1);
        if (m.kind == TK_DOT || m.kind == TK_SAFE_DOT || m.kind == TK_SPREAD_DOT ||
            m.kind == TK_QUESTION || m.kind == TK_ELVIS)
            return 0;
        TokKind op;
        int w;
        return binop_prec(p, m, &op, &w) == PREC_NONE || m.kind == TK_PLUS || m.kind == TK_MINUS;
    }
    default:
        return 0;
    }
}

/* grammar: `expression`, `conditional` — a binary expression, then `? a : b`
 * (N_TERNARY) or `?: b` (N_ELVIS), then a right-associative assignment
 * (N_ASSIGN, legacy outside code) unless this is a statement's start.
 * Recovery: a ternary without `:` is reported and kept with no else branch. */
static Node *parse_expr(Parser *p)
{
    size_t start = p->tok.start;
    /* At the start of a statement the assignment belongs to the statement
     * (parse_expr_stmt), so that `x += 1` is one compound assignment. */
    int allow_assign = !p->stmt_lhs;
    p->stmt_lhs = 0;
    /* A lone operand (`4`, `'x'`, `true`, `name`) followed by a token that
     * ends the expression: skip the descent through every precedence level.
     * Same tree, same depth accounting as the full path below. */
    switch (p->tok.kind) {
    case TK_STRING: case TK_GSTRING: case TK_INT: case TK_FLOAT: case TK_IDENT:
    case TK_KW_TRUE: case TK_KW_FALSE: case TK_KW_NULL:
        if (!p->fatal && p->depth + 2 <= PARSE_MAX_DEPTH && operand_ends_expr(p)) {
            p->depth += 2;            /* as parse_expr and parse_binary would enter() */
            Node *n = parse_primary(p);
            p->depth -= 2;
            return n;
        }
        break;
    default:
        break;
    }
    if (!enter(p, start)) return mk(p, N_ERROR, start, start);
    Node *cond = parse_binary(p, PREC_OR);
    Tok t = p->tok;
    if (t.kind == TK_NL) {
        Tok n = peek_past_nls(p);
        if (n.kind == TK_QUESTION || n.kind == TK_ELVIS) { skip_nls(p); t = p->tok; }
    }
    if (t.kind == TK_QUESTION) {
        advance(p);
        skip_nls(p);
        Node *a = parse_expr(p);
        skip_nls(p);
        Node *b = NULL;
        if (accept(p, TK_COLON)) {
            skip_nls(p);
            b = parse_expr(p);
        } else {
            syntax_error(p, p->tok.start, p->tok.end, "expected `:` in conditional expression, found %s",
                         tok_show(p, p->tok));
        }
        Node *n = mk(p, N_TERNARY, start, p->prev_end);
        if (n) { n->a = cond; n->b = a; n->c = b; }
        cond = n;
    } else if (t.kind == TK_ELVIS) {
        advance(p);
        skip_nls(p);
        Node *b = parse_expr(p);
        Node *n = mk(p, N_ELVIS, start, p->prev_end);
        if (n) { n->a = cond; n->b = b; }
        cond = n;
    }
    /* Groovy assignment is an expression (right-associative, loosest):
     * `a = b = ''`, `[x, publishDir = [...]]`. Legacy outside code bodies. */
    if (allow_assign && is_assign_op(p->tok.kind) && cond &&
        (cond->kind == N_IDENT || cond->kind == N_PROP || cond->kind == N_INDEX)) {
        TokKind op = p->tok.kind;
        if (!p->in_code) legacy(p, start, p->tok.end, "an assignment inside an expression");
        advance(p);
        skip_nls(p);
        Node *v = parse_expr(p);
        Node *n = mk(p, N_ASSIGN, start, p->prev_end);
        if (n) { n->op = op; n->a = cond; n->b = v; n->flags |= NF_LEGACY; }
        cond = n;
    }
    leave(p);
    return cond;
}

/* ---------------- statements ---------------- */

/* Config path segment: a name, a keyword used as a name, or a plain string. */
static int is_segment(TokKind k) { return tok_is_word(k) || k == TK_STRING; }

/* grammar: `segment` — a name, keyword or PRIMITIVE, or a quoted STRING
 * (NF_QUOTED) → N_SEGMENT with the decoded name. */
static Node *segment_node(Parser *p, Tok t)
{
    Node *s;
    if (t.kind == TK_STRING) {
        s = string_node(p, t);
        if (s) { s->kind = N_SEGMENT; s->flags |= NF_QUOTED; }
    } else {
        s = mk(p, N_SEGMENT, t.start, t.end);
        set_text(p, s, p->text + t.start, t.end - t.start);
    }
    return s;
}

/* What follows a dotted path at the start of a config statement. */
typedef enum { SHAPE_EXPR, SHAPE_ASSIGN, SHAPE_BLOCK, SHAPE_SELECTOR, SHAPE_DECL } StmtShape;

/* classify() for the common statements, read straight from the token window
 * without moving: a dotted path of lowercase words (so no typed declaration)
 * followed by `=`, `{`, newlines then `{`, or anything else. Returns 0 when it
 * cannot tell cheaply (a selector or declaration candidate, a token needing
 * advance()'s attention, the end of the window); classify() then decides. */
static int classify_fast(Parser *p, StmtShape *shape)
{
    const TokWindow *w = &p->w;
    const Tok *toks = w->toks;
    size_t j = w->pos - w->base, n = w->len;
    Tok first = p->tok;
    if (first.kind == TK_PRIMITIVE) return 0;
    for (Tok t = first;; ) {
        /* a capitalised word could be a type: leave declarations to classify() */
        if (t.kind == TK_IDENT && p->text[t.start] >= 'A' && p->text[t.start] <= 'Z') return 0;
        if (++j >= n || (toks[j].flags & TOKF_SLOW)) return 0;
        if (t.kind == TK_IDENT && j == w->pos - w->base + 1 && toks[j].kind == TK_COLON) return 0;
        if (toks[j].kind != TK_DOT) break;
        if (++j >= n || (toks[j].flags & TOKF_SLOW)) return 0;
        t = toks[j];
        if (!is_segment(t.kind)) { *shape = SHAPE_EXPR; return 1; }
    }
    TokKind k = toks[j].kind;
    if (k == TK_NL) {
        do {
            if (++j >= n || (toks[j].flags & TOKF_SLOW)) return 0;
        } while (toks[j].kind == TK_NL);
        *shape = toks[j].kind == TK_LBRACE ? SHAPE_BLOCK : SHAPE_EXPR;
        return 1;
    }
    *shape = k == TK_ASSIGN ? SHAPE_ASSIGN : k == TK_LBRACE ? SHAPE_BLOCK : SHAPE_EXPR;
    return 1;
}

/* Decides which alternative of `config_stmt` starts here (classify_fast first):
 * `selector`, `var_decl`/`func_def` with a type (SHAPE_DECL), `assignment`,
 * `block`, else `expression_stmt`. Reads ahead with diagnostics detached and
 * restores the position, so it reports nothing and consumes nothing. */
static StmtShape classify(Parser *p)
{
    StmtShape fast;
    if (classify_fast(p, &fast)) return fast;
    Mark m = mark(p);
    DiagList *d = p->diags;
    p->diags = NULL;
    StmtShape shape = SHAPE_EXPR;
    Tok first = p->tok;
    advance(p);
    if (first.kind == TK_IDENT && at(p, TK_COLON)) {
        advance(p);
        if (is_segment(p->tok.kind)) {
            advance(p);
            skip_nls(p);
            if (at(p, TK_LBRACE)) shape = SHAPE_SELECTOR;
        }
        goto done;
    }
    /* `Type name = …` / `Type name` / `Type name(…) {` : a typed declaration
     * or function (legacy). The type may be qualified (java.util.List) or
     * generic (Map<String, Integer>); its last word is capitalised or primitive. */
    if (first.kind == TK_IDENT || first.kind == TK_PRIMITIVE) {
        Tok last = first;
        while (at(p, TK_DOT) && peek(p, 0).kind == TK_IDENT) { advance(p); last = p->tok; advance(p); }
        char c0 = p->text[last.start];
        if (last.kind == TK_PRIMITIVE || (c0 >= 'A' && c0 <= 'Z')) {
            if (at(p, TK_LT)) {                        /* generic arguments */
                int nest = 0;
                do {
                    if (at(p, TK_LT)) nest++;
                    else if (at(p, TK_GT)) nest--;
                    else if (!(tok_is_word(p->tok.kind) || at(p, TK_COMMA) || at(p, TK_DOT) || at(p, TK_QUESTION)))
                        goto done;
                    advance(p);
                } while (nest > 0);
            }
            while (at(p, TK_LBRACK) && peek(p, 0).kind == TK_RBRACK) { advance(p); advance(p); }
            if (at(p, TK_IDENT)) {
                advance(p);
                if (at(p, TK_ASSIGN) || at(p, TK_NL) || at(p, TK_SEMI) || at(p, TK_EOF)) shape = SHAPE_DECL;
                else if (at(p, TK_LPAREN)) {             /* function: (…) then `{` */
                    int nest = 0, steps = 0;
                    do {   /* bounded, so that classifying stays linear on bad input */
                        if (at(p, TK_LPAREN)) nest++;
                        else if (at(p, TK_RPAREN)) nest--;
                        else if (at(p, TK_EOF) || ++steps > 4096) goto done;
                        advance(p);
                    } while (nest > 0);
                    skip_nls(p);
                    if (at(p, TK_LBRACE)) shape = SHAPE_DECL;
                }
                goto done;
            }
        }
        /* not a declaration: the words read so far are the start of a path */
    }
    while (at(p, TK_DOT)) {
        advance(p);
        if (!is_segment(p->tok.kind)) goto done;
        advance(p);
    }
    if (at(p, TK_ASSIGN)) shape = SHAPE_ASSIGN;
    else if (at(p, TK_LBRACE)) shape = SHAPE_BLOCK;
    else if (at(p, TK_NL)) {
        skip_nls(p);
        if (at(p, TK_LBRACE)) shape = SHAPE_BLOCK;    /* `docker` NL `{` is legal */
    }
done:
    p->diags = d;
    reset(p, m);
    return shape;
}

/* grammar: `path` — `segment { "." segment }` → N_PATH; classify already
 * checked the shape, so no error is possible here. */
static Node *parse_path(Parser *p)
{
    Node *path = mk(p, N_PATH, p->tok.start, p->tok.end);
    Kids segs = {0};
    kids_push(p, &segs, segment_node(p, p->tok));
    advance(p);
    while (at(p, TK_DOT)) {
        advance(p);
        kids_push(p, &segs, segment_node(p, p->tok));
        advance(p);
    }
    kids_set(path, &segs);
    if (path) path->end = p->prev_end;
    return path;
}

/* Parses `{ statements }` (or a whole file) into owner->kids. Only OPEN_AT_TOKEN
 * consumes a `{`: a closure body that itself starts with `{` is a nested closure. */
static Node *parse_stmts_into(Parser *p, Node *owner, StmtCtx ctx, size_t open_at, OpenMode how)
{
    Kids stmts = {0};
    int braced = how != OPEN_NONE;
    if (how == OPEN_AT_TOKEN && !accept(p, TK_LBRACE)) braced = 0;
    if (!enter(p, open_at)) return owner;
    for (;;) {
        while (at(p, TK_NL) || at(p, TK_SEMI)) advance(p);
        if (p->fatal) break;
        if (at(p, TK_EOF)) {
            if (braced) syntax_error(p, p->tok.start, p->tok.end,
                                     "expected `}` to close `{` at line %u, found end of file",
                                     line_of(p, open_at));
            break;
        }
        if (at(p, TK_RBRACE)) {
            if (braced) { advance(p); break; }
            syntax_error(p, p->tok.start, p->tok.end, "Unexpected `}` with no matching `{`");
            advance(p);
            continue;
        }
        tokwin_compact(&p->w);   /* no lookahead mark is live between statements */
        int errors_before = p->errors;
        Node *s = parse_stmt(p, ctx);
        kids_push(p, &stmts, s);
        if (p->fatal) break;
        if (!(at(p, TK_NL) || at(p, TK_SEMI) || at(p, TK_RBRACE) || at(p, TK_EOF))) {
            /* One bad statement, one diagnostic: say nothing more when the
             * statement already reported its own error. */
            if (p->errors == errors_before) unexpected(p);
            recover(p);
        }
    }
    if (owner) {
        kids_set(owner, &stmts);
        owner->end = p->prev_end > owner->start ? p->prev_end : owner->start;
    }
    leave(p);
    return owner;
}

/* A braced body or a single statement (if/else/for bodies). */
static Node *parse_body(Parser *p, StmtCtx ctx)
{
    skip_nls(p);
    Node *body = mk(p, N_BODY, p->tok.start, p->tok.start);
    if (at(p, TK_LBRACE)) {
        size_t open = p->tok.start;
        parse_stmts_into(p, body, ctx, open, OPEN_AT_TOKEN);
        return body;
    }
    Kids one = {0};
    kids_push(p, &one, parse_stmt(p, ctx));
    kids_set(body, &one);
    if (body) body->end = p->prev_end;
    return body;
}

/* grammar: `if_stmt` — `if ( expr ) body [else (if_stmt | body)]` → N_IF
 * (a: condition, b: then, c: else). At config level a legacy construct whose
 * bodies hold config statements. `warn`: report the v2 incompatibility; an
 * else-if chain reports it once, at its first `if`.
 * Recovery: a missing `(` is reported and the rest of the statement skipped
 * (recover); a missing `)` is reported by expect_close. */
static Node *parse_if(Parser *p, StmtCtx ctx, int warn)
{
    size_t start = p->tok.start;
    if (ctx == CTX_CONFIG && warn) legacy(p, start, p->tok.end, "an if statement among config statements");
    advance(p);
    Node *n = mk(p, N_IF, start, start);
    if (!at(p, TK_LPAREN)) { unexpected(p); recover(p); return n; }
    p->in_rejected += ctx == CTX_CONFIG;
    size_t open = p->tok.start;
    advance(p);
    skip_nls(p);
    Node *cond = parse_expr(p);
    skip_nls(p);
    expect_close(p, TK_RPAREN, open);
    Node *then = parse_body(p, ctx);
    Node *els = NULL;
    Tok nx = peek_past_nls(p);
    if (nx.kind == TK_KW_ELSE) {
        skip_nls(p);
        advance(p);
        skip_nls(p);
        if (at(p, TK_KW_IF)) {
            els = parse_if(p, ctx, 0);
        } else {
            els = parse_body(p, ctx);
        }
    }
    p->in_rejected -= ctx == CTX_CONFIG;
    if (n) { n->a = cond; n->b = then; n->c = els; n->end = p->prev_end; }
    return n;
}

/* grammar: `try_stmt` — `try body { catch ( types name ) body } [finally
 * body]` → N_TRY (a: body, kids: N_CATCH, c: finally). Legacy at config level.
 * Recovery: a catch without `(` is reported and its body still parsed. */
static Node *parse_try(Parser *p, StmtCtx ctx)
{
    size_t start = p->tok.start;
    if (ctx == CTX_CONFIG) legacy(p, start, p->tok.end, "a try/catch block among config statements");
    p->in_rejected += ctx == CTX_CONFIG;
    advance(p);
    Node *n = mk(p, N_TRY, start, start);
    Node *body = parse_body(p, ctx);
    Kids catches = {0};
    Node *fin = NULL;
    for (;;) {
        Tok nx = peek_past_nls(p);
        if (nx.kind == TK_KW_CATCH) {
            skip_nls(p);
            size_t cstart = p->tok.start;
            advance(p);
            Node *c = mk(p, N_CATCH, cstart, cstart);
            if (at(p, TK_LPAREN)) {
                size_t open = p->tok.start;
                advance(p);
                Tok name = p->tok;
                while (!at(p, TK_RPAREN) && !at(p, TK_EOF) && !at(p, TK_NL)) {
                    if (tok_is_word(p->tok.kind)) name = p->tok;
                    advance(p);
                }
                expect_close(p, TK_RPAREN, open);
                set_text(p, c, p->text + name.start, name.end - name.start);
            } else {
                unexpected(p);
            }
            Node *cb = parse_body(p, ctx);
            if (c) { c->a = cb; c->end = p->prev_end; }
            kids_push(p, &catches, c);
            continue;
        }
        if (nx.kind == TK_KW_FINALLY) {
            skip_nls(p);
            advance(p);
            fin = parse_body(p, ctx);
        }
        break;
    }
    p->in_rejected -= ctx == CTX_CONFIG;
    if (n) { n->a = body; n->c = fin; kids_set(n, &catches); n->end = p->prev_end; }
    return n;
}

/* grammar: `var_decl`, `func_def`, `param` — `def name = …`, `def (a, b) = …`,
 * `Type name = …`, `def name(params) { code }`, `Type name(params) { code }`
 * → N_VAR or N_FUNC. Legacy at config level.
 * Recovery: a declaration without a name is reported, the rest of the
 * statement skipped (recover) and an N_ERROR returned; a function without a
 * body is reported. */
static Node *parse_decl(Parser *p, StmtCtx ctx)
{
    size_t start = p->tok.start;
    int typed = !at(p, TK_KW_DEF);
    if (!typed) advance(p);    /* a type name is read by the loop below */
    /* def Type name / def (a, b) = … */
    if (!typed && at(p, TK_LPAREN)) {
        if (ctx == CTX_CONFIG) legacy(p, start, p->tok.end, "a variable declaration among config statements");
        while (!at(p, TK_RPAREN) && !at(p, TK_EOF) && !at(p, TK_NL)) advance(p);
        accept(p, TK_RPAREN);
        Node *v = mk(p, N_VAR, start, p->prev_end);
        if (accept(p, TK_ASSIGN)) { skip_nls(p); if (v) v->a = parse_expr(p); }
        if (v) v->end = p->prev_end;
        return v;
    }
    while (tok_is_word(p->tok.kind) && (peek(p, 0).kind == TK_IDENT || peek(p, 0).kind == TK_DOT ||
                                        peek(p, 0).kind == TK_LT || peek(p, 0).kind == TK_LBRACK)) {
        /* skip a type name, qualified, generic or array */
        typed = 1;
        if (peek(p, 0).kind == TK_LBRACK) {
            advance(p);
            if (!(at(p, TK_LBRACK) && peek(p, 0).kind == TK_RBRACK)) break;
            while (at(p, TK_LBRACK) && peek(p, 0).kind == TK_RBRACK) { advance(p); advance(p); }
            continue;
        }
        if (peek(p, 0).kind == TK_LT) {
            advance(p);
            skip_balanced(p, TK_LT, TK_GT, 1);
            continue;
        }
        advance(p);
        if (at(p, TK_DOT)) advance(p);
    }
    Tok name = p->tok;
    if (!tok_is_word(name.kind)) {
        unexpected(p);
        recover(p);
        return mk(p, N_ERROR, start, p->prev_end);
    }
    advance(p);
    if (at(p, TK_LPAREN)) {
        /* function definition */
        if (ctx == CTX_CONFIG) legacy(p, start, name.end, "a function definition");
        size_t open = p->tok.start;
        advance(p);
        Kids params = {0};
        skip_nls(p);
        while (!at(p, TK_RPAREN) && !at(p, TK_EOF) && !p->fatal) {
            Tok last = p->tok;
            while (tok_is_word(p->tok.kind) || at(p, TK_DOT) || at(p, TK_LT) || at(p, TK_GT) ||
                   at(p, TK_LBRACK) || at(p, TK_RBRACK)) {
                if (tok_is_word(p->tok.kind)) last = p->tok;
                advance(p);
            }
            Node *pn = mk(p, N_PARAM, last.start, last.end);
            set_text(p, pn, p->text + last.start, last.end - last.start);
            if (accept(p, TK_ASSIGN)) { skip_nls(p); if (pn) pn->a = parse_expr(p); }
            kids_push(p, &params, pn);
            skip_nls(p);
            if (!accept(p, TK_COMMA)) break;
            skip_nls(p);
        }
        expect_close(p, TK_RPAREN, open);
        skip_nls(p);
        Node *f = mk(p, N_FUNC, start, start);
        set_text(p, f, p->text + name.start, name.end - name.start);
        Node *body = mk(p, N_BODY, p->tok.start, p->tok.start);
        p->in_code++;
        if (at(p, TK_LBRACE)) parse_stmts_into(p, body, CTX_CODE, p->tok.start, OPEN_AT_TOKEN);
        else unexpected(p);
        p->in_code--;
        if (f) { kids_set(f, &params); f->a = body; f->end = p->prev_end; }
        return f;
    }
    if (ctx == CTX_CONFIG) legacy(p, start, name.end, "a variable declaration among config statements");
    Node *v = mk(p, N_VAR, start, name.end);
    set_text(p, v, p->text + name.start, name.end - name.start);
    if (v && typed) v->flags |= NF_TYPED;
    if (accept(p, TK_ASSIGN)) {
        skip_nls(p);
        Node *init = parse_expr(p);
        if (v) v->a = init;
    }
    if (v) v->end = p->prev_end;
    return v;
}

/* grammar: `loop_stmt` — `for`/`while` with an opaque header and a code body,
 * `switch` kept opaque whole → N_LOOP. Legacy at config level. Balanced
 * skipping stops at the end of input, so no recovery is needed. */
static Node *parse_loop(Parser *p, StmtCtx ctx)
{
    size_t start = p->tok.start;
    TokKind kw = p->tok.kind;
    if (ctx == CTX_CONFIG) legacy(p, start, p->tok.end, kw == TK_KW_FOR ? "a for loop" :
                                  kw == TK_KW_WHILE ? "a while loop" : "a switch statement");
    advance(p);
    Node *n = mk(p, N_LOOP, start, start);
    if (at(p, TK_LPAREN)) skip_balanced(p, TK_LPAREN, TK_RPAREN, 0);
    if (kw == TK_KW_SWITCH) {
        skip_nls(p);
        if (at(p, TK_LBRACE)) skip_balanced(p, TK_LBRACE, TK_RBRACE, 0);
    } else {
        Node *body = parse_body(p, CTX_CODE);
        if (n) n->b = body;
    }
    if (n) n->end = p->prev_end;
    return n;
}

/* grammar: `expression_stmt`, `command_stmt`, `command_arg` — an expression
 * statement (N_EXPR_STMT), a paren-less command `name arg, k: v` (N_COMMAND:
 * `id 'x'`, `cpus 4`, `println x`), or an assignment to any target
 * (`params.list[0] = 1`, `x += 1`).
 * Recovery: a bare name or path at config level is "Incomplete statement";
 * the other legacy forms are warnings; what follows is left to the caller. */
static Node *parse_expr_stmt(Parser *p, StmtCtx ctx)
{
    size_t start = p->tok.start;
    p->stmt_lhs = 1;
    Node *e = parse_expr(p);
    if (p->fatal) return e;
    if (is_assign_op(p->tok.kind)) {
        TokKind op = p->tok.kind;
        if (ctx == CTX_CONFIG) {
            if (op != TK_ASSIGN) legacy(p, p->tok.start, p->tok.end, "a compound assignment");
            else legacy(p, start, p->tok.start, "assigning to an expression");
        }
        advance(p);
        skip_nls(p);
        Node *v = parse_expr(p);
        Node *n = mk(p, N_ASSIGN, start, p->prev_end);
        if (n) { n->op = op; n->a = e; n->b = v; }
        return n;
    }
    if (can_start_command_arg(p->tok.kind) && e &&
        (e->kind == N_IDENT || e->kind == N_PROP)) {
        /* command expression: name arg, arg… */
        Kids args = {0};
        for (;;) {
            Tok t = p->tok;
            if ((tok_is_word(t.kind) || t.kind == TK_STRING) && peek(p, 0).kind == TK_COLON) {
                Node *na = mk(p, N_NAMED_ARG, t.start, t.end);
                set_text(p, na, p->text + t.start, t.end - t.start);
                advance(p);
                advance(p);
                skip_nls(p);
                Node *v = parse_expr(p);
                if (na) { na->a = v; na->end = p->prev_end; }
                kids_push(p, &args, na);
            } else {
                kids_push(p, &args, parse_expr(p));
            }
            if (!accept(p, TK_COMMA)) break;
            skip_nls(p);
        }
        Node *cmd = mk(p, N_COMMAND, start, p->prev_end);
        if (cmd) { cmd->a = e; kids_set(cmd, &args); }
        if (ctx == CTX_CONFIG && !(p->in_plugins && e->kind == N_IDENT && !strcmp(e->text, "id")))
            legacy(p, start, p->prev_end, e->kind == N_IDENT && p->depth > 1
                   ? "a setting without `=` (Config settings must be assigned with an equals sign)"
                   : "a method call statement");
        return cmd;
    }
    Node *n = mk(p, N_EXPR_STMT, start, p->prev_end);
    if (n) n->a = e;
    if (ctx == CTX_CONFIG && e) {
        if (e->kind == N_IDENT || e->kind == N_PROP)
            syntax_error(p, start, p->prev_end, "Incomplete statement");
        else
            legacy(p, start, p->prev_end, e->kind == N_CALL ? "a method call statement" : "an expression statement");
    }
    return n;
}

/* grammar: `config_stmt` — `include`, `assignment`, `block` (also
 * `plugins_block`), `selector`, `template_markup`, `legacy_stmt`
 * (`import_stmt`, `jump_stmt` …) or `expression_stmt`; classify picks among
 * the path-led forms.
 * Recovery: template markup `{{`/`{%` is reported and the statement skipped
 * (with its closing brace); other errors are handled by the callee. */
static Node *parse_config_stmt(Parser *p)
{
    Tok t = p->tok;
    /* Unrendered template markup ({{ }} / {% %}) is a common copy-paste mistake. */
    if (t.kind == TK_LBRACE && t.end < p->w.lx.end && (p->text[t.end] == '{' || p->text[t.end] == '%')) {
        syntax_error(p, t.start, t.start + 2, "template markup `%.2s` is not Nextflow config (unrendered template?)",
                     p->text + t.start);
        recover(p);
        if (at(p, TK_RBRACE)) advance(p);
        return NULL;
    }
    switch (t.kind) {
    case TK_KW_INCLUDECONFIG: {
        advance(p);
        Node *n = mk(p, N_INCLUDE, t.start, t.end);
        /* Nextflow's v2 grammar allows the argument on the same line only. */
        Node *e = parse_expr(p);
        if (n) { n->a = e; n->end = p->prev_end; }
        return n;
    }
    case TK_KW_IF: return parse_if(p, CTX_CONFIG, 1);
    case TK_KW_TRY: return parse_try(p, CTX_CONFIG);
    case TK_KW_DEF: return parse_decl(p, CTX_CONFIG);
    case TK_KW_IMPORT: {
        legacy(p, t.start, t.end, "an import statement");
        advance(p);
        size_t s = p->tok.start;
        while (!at(p, TK_NL) && !at(p, TK_SEMI) && !at(p, TK_EOF)) advance(p);
        Node *n = mk(p, N_IMPORT, t.start, p->prev_end);
        set_text(p, n, p->text + s, p->prev_end > s ? p->prev_end - s : 0);
        return n;
    }
    case TK_KW_FOR: case TK_KW_WHILE: case TK_KW_SWITCH: return parse_loop(p, CTX_CONFIG);
    case TK_KW_RETURN: case TK_KW_THROW: case TK_KW_ASSERT:
        legacy(p, t.start, t.end, "a return, throw or assert statement");
        return parse_stmt(p, CTX_CODE);
    default:
        break;
    }
    if (!is_segment(t.kind)) return parse_expr_stmt(p, CTX_CONFIG);
    switch (classify(p)) {
    case SHAPE_SELECTOR: {
        advance(p);               /* kind */
        advance(p);               /* : */
        Node *target = segment_node(p, p->tok);
        advance(p);
        skip_nls(p);
        Node *sel = mk(p, N_SELECTOR, t.start, t.start);
        set_text(p, sel, p->text + t.start, t.end - t.start);
        if (sel) sel->a = target;
        parse_stmts_into(p, sel, CTX_CONFIG, p->tok.start, OPEN_AT_TOKEN);
        return sel;
    }
    case SHAPE_DECL:
        return parse_decl(p, CTX_CONFIG);
    case SHAPE_ASSIGN: {
        Node *path = parse_path(p);
        advance(p);              /* = */
        skip_nls(p);
        Node *v = parse_expr(p);
        Node *n = mk(p, N_ASSIGN, t.start, p->prev_end);
        if (n) {
            n->op = TK_ASSIGN;
            n->a = path;
            n->b = v;
            if (path && path->nkids > 1) n->flags |= NF_CHAINED;
        }
        return n;
    }
    case SHAPE_BLOCK: {
        Node *path = parse_path(p);
        skip_nls(p);
        Node *b = mk(p, N_BLOCK, t.start, t.start);
        if (b && path && path->nkids) {
            Node *last = path->kids[path->nkids - 1];
            b->text = last->text;
            b->textlen = last->textlen;
            b->a = path;
        }
        int was_plugins = p->in_plugins;
        p->in_plugins = path && path->nkids == 1 && path->kids[0]->text && !strcmp(path->kids[0]->text, "plugins");
        parse_stmts_into(p, b, CTX_CONFIG, p->tok.start, OPEN_AT_TOKEN);
        p->in_plugins = was_plugins;
        return b;
    }
    default:
        return parse_expr_stmt(p, CTX_CONFIG);
    }
}

/* One statement: `config_stmt` in CTX_CONFIG (parse_config_stmt), `code_stmt`
 * in CTX_CODE (closure and function bodies: if, try, declarations, loops,
 * `jump_stmt`, break/continue, includeConfig, expression statements).
 * Recovery: nesting past PARSE_MAX_DEPTH is fatal; the statement list
 * (parse_stmts_into) skips what a statement leaves unconsumed. */
static Node *parse_stmt(Parser *p, StmtCtx ctx)
{
    if (!enter(p, p->tok.start)) return NULL;
    Node *n;
    if (ctx == CTX_CONFIG) {
        n = parse_config_stmt(p);
        leave(p);
        return n;
    }
    Tok t = p->tok;
    switch (t.kind) {
    case TK_KW_IF: n = parse_if(p, CTX_CODE, 1); break;
    case TK_KW_TRY: n = parse_try(p, CTX_CODE); break;
    case TK_KW_DEF: n = parse_decl(p, CTX_CODE); break;
    case TK_KW_FOR: case TK_KW_WHILE: case TK_KW_SWITCH: n = parse_loop(p, CTX_CODE); break;
    case TK_KW_RETURN: case TK_KW_THROW: {
        advance(p);
        n = mk(p, t.kind == TK_KW_RETURN ? N_RETURN : N_THROW, t.start, t.end);
        if (!at(p, TK_NL) && !at(p, TK_SEMI) && !at(p, TK_RBRACE) && !at(p, TK_EOF)) {
            Node *e = parse_expr(p);
            if (n) n->a = e;
        }
        if (n) n->end = p->prev_end;
        break;
    }
    case TK_KW_ASSERT: {
        advance(p);
        n = mk(p, N_ASSERT, t.start, t.end);
        Node *c = parse_expr(p);
        Node *m = NULL;
        if (accept(p, TK_COLON) || accept(p, TK_COMMA)) { skip_nls(p); m = parse_expr(p); }
        if (n) { n->a = c; n->b = m; n->end = p->prev_end; }
        break;
    }
    case TK_KW_BREAK: case TK_KW_CONTINUE:
        advance(p);
        n = mk(p, N_EMPTY, t.start, t.end);
        break;
    case TK_KW_INCLUDECONFIG:
        /* includeConfig inside a closure body (e.g. the v2 dynamic include idiom) */
        advance(p);
        n = mk(p, N_INCLUDE, t.start, t.end);
        if (n) { n->a = parse_expr(p); n->end = p->prev_end; }
        break;
    default:
        if ((t.kind == TK_IDENT || t.kind == TK_PRIMITIVE) && classify(p) == SHAPE_DECL) {
            n = parse_decl(p, CTX_CODE);
            break;
        }
        n = parse_expr_stmt(p, CTX_CODE);
    }
    leave(p);
    return n;
}

/* ---------------- entry points ---------------- */

static void parser_init(Parser *p, Arena *arena, const Source *src, DiagList *diags, size_t start, size_t end)
{
    memset(p, 0, sizeof *p);
    p->arena = arena;
    p->src = src;
    p->text = src->text;
    p->diags = diags;
    tokwin_init(&p->w, src->text, start, end);
    p->tok.kind = TK_NL;
    advance(p);
}

/* Out of memory is not a syntax error: the caller gets NULL and diags->oom. */
static Node *parser_finish(Parser *p, Node *result)
{
    tokwin_free(&p->w);
    np_free(p->spare_toks);
    if (p->oom) {
        if (p->diags) p->diags->oom = 1;
        return NULL;
    }
    return result;
}

enum { AT_TOP, AT_PROFILES, AT_PROFILE, AT_BLOCK };

static int segment_is(const Node *seg, const char *word)
{
    return seg && seg->textlen == strlen(word) && !memcmp(seg->text, word, seg->textlen);
}

/* The strict parser accepts `includeConfig` at a file's top level and
 * directly in a profile, nowhere else ("Config includes are only allowed at
 * the top-level or in a profile", nf-lang VariableScopeVisitor); the legacy
 * parser anywhere. Config blocks only: `if`/`try` bodies are reported as
 * such. Recursion is bounded by the tree's depth (PARSE_MAX_DEPTH). */
static void check_include_placement(Parser *p, const Node *owner, int where)
{
    for (size_t i = 0; owner && i < owner->nkids; i++) {
        const Node *k = owner->kids[i];
        if (!k) continue;
        if (k->kind == N_INCLUDE && where == AT_BLOCK) {   /* in `profiles` itself: a config-error */
            legacy(p, k->start, k->end, "an includeConfig inside a config block other than a profile");
        } else if (k->kind == N_BLOCK && k->a) {
            const Node *path = k->a;
            int inner = AT_BLOCK;
            if (where == AT_TOP && path->nkids == 1 && segment_is(path->kids[0], "profiles")) inner = AT_PROFILES;
            else if (where == AT_TOP && path->nkids == 2 && segment_is(path->kids[0], "profiles")) inner = AT_PROFILE;
            else if (where == AT_PROFILES && path->nkids == 1) inner = AT_PROFILE;
            check_include_placement(p, k, inner);
        } else if (k->kind == N_SELECTOR) {
            check_include_placement(p, k, AT_BLOCK);
        }
    }
}

Node *parse_config(Arena *arena, const Source *src, DiagList *diags, int *errors)
{
    Parser p;
    parser_init(&p, arena, src, diags, 0, src->len);
    Node *root = mk(&p, N_FILE, 0, src->len);
    if (root) {
        p.depth = 0;
        parse_stmts_into(&p, root, CTX_CONFIG, 0, OPEN_NONE);
        root->start = 0;
        root->end = src->len;
        check_include_placement(&p, root, AT_TOP);
    }
    if (errors) *errors = p.errors;
    return parser_finish(&p, root);
}

Node *parse_expression_range(Arena *arena, const Source *src, size_t start, size_t end, DiagList *diags)
{
    Parser p;
    parser_init(&p, arena, src, diags, start, end);
    skip_nls(&p);
    Node *e = parse_expr(&p);
    return parser_finish(&p, e);
}
