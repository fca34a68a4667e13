/* lex — the lossless lexer for Nextflow config and Groovy script text.
 *
 * Every byte of the input belongs to exactly one token, whitespace, newlines and
 * comments included, so concatenating token texts gives back the input. A whole
 * string literal (with any ${…} interpolations, nested to any depth up to
 * LEX_MAX_DEPTH) is one token; the parser decodes its parts. The lexer keeps the
 * one piece of context the language needs: whether a `/` may start a slashy
 * string (regex) or is division, from the last significant token (nextflow-config.md §1.4). */
#ifndef NFP_LEX_H
#define NFP_LEX_H
#include <stddef.h>
#include <stdint.h>

#define LEX_MAX_DEPTH 200

typedef enum TokKind {
    TK_EOF = 0,
    /* trivia */
    TK_WS,          /* spaces, tabs, form feeds, backslash-newline, a leading BOM */
    TK_NL,          /* \n, \r\n or \r */
    TK_COMMENT,     /* // line comment (without its newline) or block comment */
    TK_ERROR,       /* a byte that starts no token, or an unterminated literal (see tok.err) */
    /* words */
    TK_IDENT,
    TK_KW_AS, TK_KW_DEF, TK_KW_IN, TK_KW_ASSERT, TK_KW_CATCH, TK_KW_ELSE, TK_KW_FINALLY,
    TK_KW_IF, TK_KW_INSTANCEOF, TK_KW_NEW, TK_KW_RETURN, TK_KW_THROW, TK_KW_TRY,
    TK_KW_INCLUDECONFIG, TK_KW_TRUE, TK_KW_FALSE, TK_KW_NULL, TK_KW_IMPORT,
    TK_KW_FOR, TK_KW_WHILE, TK_KW_BREAK, TK_KW_CONTINUE, TK_KW_SWITCH, TK_KW_CASE,
    TK_KW_DEFAULT, TK_KW_CLASS,
    TK_PRIMITIVE,   /* boolean char byte short int long float double void */
    /* literals */
    TK_INT, TK_FLOAT,
    TK_STRING,      /* '…' '''…''' and "…" """…""" without interpolation */
    TK_GSTRING,     /* "…" or """…""" containing $ interpolation */
    TK_SLASHY,      /* /…/ */
    TK_DOLLAR_SLASHY, /* $/…/$ (legacy only) */
    /* punctuation and operators */
    TK_LPAREN, TK_RPAREN, TK_LBRACE, TK_RBRACE, TK_LBRACK, TK_RBRACK,
    TK_SEMI, TK_COMMA, TK_DOT, TK_SAFE_DOT, TK_SPREAD_DOT, TK_METHOD_REF /* .& */,
    TK_DCOLON, TK_RANGE, TK_RANGE_EXCL, TK_ELLIPSIS,
    TK_ASSIGN, TK_EQ, TK_NE, TK_IDENTICAL, TK_NOT_IDENTICAL, TK_LT, TK_GT, TK_LE, TK_GE,
    TK_SPACESHIP, TK_NOT, TK_TILDE, TK_QUESTION, TK_COLON, TK_ELVIS,
    TK_AND, TK_OR, TK_BITAND, TK_BITOR, TK_XOR, TK_PLUS, TK_MINUS, TK_STAR, TK_SLASH,
    TK_PERCENT, TK_POWER, TK_INC, TK_DEC, TK_ARROW, TK_FIND /* =~ */, TK_MATCH /* ==~ */,
    TK_NOT_IN, TK_NOT_INSTANCEOF, TK_AT,
    TK_PLUS_ASSIGN, TK_MINUS_ASSIGN, TK_STAR_ASSIGN, TK_SLASH_ASSIGN, TK_PERCENT_ASSIGN,
    TK_AND_ASSIGN, TK_OR_ASSIGN, TK_XOR_ASSIGN, TK_LSHIFT_ASSIGN, TK_RSHIFT_ASSIGN,
    TK_URSHIFT_ASSIGN, TK_POWER_ASSIGN, TK_ELVIS_ASSIGN,
    TK__COUNT
} TokKind;

typedef struct Token {
    TokKind kind;
    size_t  start, end;      /* byte span in the input */
    const char *err;         /* for TK_ERROR and malformed literals: a static message */
    size_t  err_at;          /* where the problem is (e.g. the unterminated opener) */
    unsigned flags;
} Token;

/* Token flags. */
#define TOKF_TRIPLE      1u   /* ''' or """ string */
#define TOKF_DOUBLE      2u   /* " or """ string */
#define TOKF_HAS_NL      4u   /* block comment spanning a line end (acts as a newline) */
#define TOKF_MALFORMED   8u   /* literal with a lexical error; see err */

typedef struct Lexer {
    const char *text;
    size_t pos, end;
    TokKind last;            /* last significant token kind, for regex-vs-division */
    int depth;               /* ${…} nesting while scanning strings */
} Lexer;

/* Lex text[start, end). Tokens carry absolute offsets into text. */
void lex_init(Lexer *lx, const char *text, size_t start, size_t end);
Token lex_next(Lexer *lx);
/* The next token that is not whitespace or a single-line comment: the same
 * tokens as lex_next would give, minus that trivia, with the common cases
 * skipped in a tight loop (the parser's hot path). */
Token lex_next_significant(Lexer *lx);

/* A significant token in compact form, for the parser's token window. */
typedef struct LexTok {
    uint32_t start, end;     /* byte span in the input */
    uint8_t  kind, flags;    /* TokKind; Token flags plus LEXF_SLOW */
} LexTok;

/* Set on a LexTok that needs a look beyond its kind: an error token, a
 * malformed literal, or a comment that is malformed (its message went to
 * on_err). Never set on the common tokens. */
#define LEXF_SLOW 0x80u

/* Reports the message of the index-th token written (index counts from out[0]);
 * returns nonzero to stop the fill (e.g. out of memory), in which case that
 * token is not written. */
typedef int (*LexErrFn)(void *ctx, size_t index, const char *err, size_t err_at);

/* Lexes up to max significant tokens into out, with lex_next_significant's
 * semantics (whitespace and well-formed single-line comments dropped); a comment
 * spanning lines becomes TK_NL. Every token that carries a message (error
 * tokens, malformed literals) is reported to on_err. Returns the count written;
 * *status is LEX_FILL_MORE when max was reached, LEX_FILL_EOF at the end of
 * input, LEX_FILL_STOPPED when on_err asked to stop, LEX_FILL_TOO_BIG when a
 * token ends beyond a 32-bit offset (neither of the last two is written). */
enum { LEX_FILL_MORE, LEX_FILL_EOF, LEX_FILL_STOPPED, LEX_FILL_TOO_BIG };
size_t lex_fill_significant(Lexer *lx, LexTok *out, size_t max, LexErrFn on_err, void *ctx,
                            int *status);

const char *tok_kind_name(TokKind k);
int tok_is_trivia(TokKind k);
/* True for tokens that are words a name may be spelled with after `.` or as a
 * map key: identifiers, keywords, primitive type names. */
int tok_is_word(TokKind k);
/* Finds the `}` matching the `${` whose `{` is at open (text[open]=='{'), using the
 * lexer's string rules; returns its offset or `end` when unterminated. */
size_t lex_match_interp(const char *text, size_t open, size_t end, int *too_deep);
/* Length of the well-formed UTF-8 sequence at text[p] (p < end, text[p] >= 0x80),
 * or 0 when the bytes there are not UTF-8 (stray continuation byte, overlong
 * form, surrogate, beyond U+10FFFF, or cut short by the end). */
size_t lex_utf8_seq(const char *text, size_t p, size_t end);

#endif
