#include "lex.h"
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* SIMD accelerators for the lexer's scanning loops. Each returns an offset q
 * >= p such that every byte of s[p, q) is one the caller's loop would pass
 * over; the caller's own byte loop then continues from q, so the tokens are the
 * same with or without SSE2 (without it they return p). They only read whole
 * 16-byte blocks inside [p, e). */
#if defined(__SSE2__)
static inline size_t block_skip(size_t p, unsigned stop_mask)
{
    return p + (size_t)__builtin_ctz(stop_mask);
}
#define LOAD16(s, p) _mm_loadu_si128((const __m128i *)(const void *)((s) + (p)))
#endif

/* Skips bytes that are none of a..f (repeat one to look for fewer). */
static inline size_t skip_until_any(const char *s, size_t p, size_t e,
                                    char a, char b, char c, char d, char f)
{
#if defined(__SSE2__)
    const __m128i va = _mm_set1_epi8(a), vb = _mm_set1_epi8(b), vc = _mm_set1_epi8(c),
                  vd = _mm_set1_epi8(d), vf = _mm_set1_epi8(f);
    while (p + 16 <= e) {
        __m128i x = LOAD16(s, p);
        __m128i m = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, va), _mm_cmpeq_epi8(x, vb)),
                                 _mm_or_si128(_mm_cmpeq_epi8(x, vc), _mm_cmpeq_epi8(x, vd)));
        unsigned mask = (unsigned)_mm_movemask_epi8(_mm_or_si128(m, _mm_cmpeq_epi8(x, vf)));
        if (mask) return block_skip(p, mask);
        p += 16;
    }
#else
    (void)s; (void)e; (void)a; (void)b; (void)c; (void)d; (void)f;
#endif
    return p;
}

/* Skips spaces and tabs. */
static inline size_t skip_blanks(const char *s, size_t p, size_t e)
{
#if defined(__SSE2__)
    const __m128i sp = _mm_set1_epi8(' '), tab = _mm_set1_epi8('\t');
    while (p + 16 <= e) {
        __m128i x = LOAD16(s, p);
        unsigned blank = (unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(x, sp),
                                                                  _mm_cmpeq_epi8(x, tab)));
        if (blank != 0xFFFFu) return block_skip(p, ~blank);
        p += 16;
    }
#else
    (void)s; (void)e;
#endif
    return p;
}

static const char *const kind_names[TK__COUNT] = {
    [TK_EOF] = "end of file", [TK_WS] = "whitespace", [TK_NL] = "newline",
    [TK_COMMENT] = "comment", [TK_ERROR] = "error", [TK_IDENT] = "identifier",
    [TK_KW_AS] = "as", [TK_KW_DEF] = "def", [TK_KW_IN] = "in", [TK_KW_ASSERT] = "assert",
    [TK_KW_CATCH] = "catch", [TK_KW_ELSE] = "else", [TK_KW_FINALLY] = "finally",
    [TK_KW_IF] = "if", [TK_KW_INSTANCEOF] = "instanceof", [TK_KW_NEW] = "new",
    [TK_KW_RETURN] = "return", [TK_KW_THROW] = "throw", [TK_KW_TRY] = "try",
    [TK_KW_INCLUDECONFIG] = "includeConfig", [TK_KW_TRUE] = "true", [TK_KW_FALSE] = "false",
    [TK_KW_NULL] = "null", [TK_KW_IMPORT] = "import", [TK_KW_FOR] = "for",
    [TK_KW_WHILE] = "while", [TK_KW_BREAK] = "break", [TK_KW_CONTINUE] = "continue",
    [TK_KW_SWITCH] = "switch", [TK_KW_CASE] = "case", [TK_KW_DEFAULT] = "default",
    [TK_KW_CLASS] = "class", [TK_PRIMITIVE] = "primitive type",
    [TK_INT] = "integer", [TK_FLOAT] = "number", [TK_STRING] = "string",
    [TK_GSTRING] = "string", [TK_SLASHY] = "slashy string",
    [TK_DOLLAR_SLASHY] = "dollar-slashy string",
    [TK_LPAREN] = "(", [TK_RPAREN] = ")", [TK_LBRACE] = "{", [TK_RBRACE] = "}",
    [TK_LBRACK] = "[", [TK_RBRACK] = "]", [TK_SEMI] = ";", [TK_COMMA] = ",", [TK_DOT] = ".",
    [TK_SAFE_DOT] = "?.", [TK_SPREAD_DOT] = "*.", [TK_METHOD_REF] = ".&", [TK_DCOLON] = "::",
    [TK_RANGE] = "..", [TK_RANGE_EXCL] = "..<", [TK_ELLIPSIS] = "...", [TK_ASSIGN] = "=",
    [TK_EQ] = "==", [TK_NE] = "!=", [TK_IDENTICAL] = "===", [TK_NOT_IDENTICAL] = "!==",
    [TK_LT] = "<", [TK_GT] = ">", [TK_LE] = "<=", [TK_GE] = ">=", [TK_SPACESHIP] = "<=>",
    [TK_NOT] = "!", [TK_TILDE] = "~", [TK_QUESTION] = "?", [TK_COLON] = ":", [TK_ELVIS] = "?:",
    [TK_AND] = "&&", [TK_OR] = "||", [TK_BITAND] = "&", [TK_BITOR] = "|", [TK_XOR] = "^",
    [TK_PLUS] = "+", [TK_MINUS] = "-", [TK_STAR] = "*", [TK_SLASH] = "/", [TK_PERCENT] = "%",
    [TK_POWER] = "**", [TK_INC] = "++", [TK_DEC] = "--", [TK_ARROW] = "->", [TK_FIND] = "=~",
    [TK_MATCH] = "==~", [TK_NOT_IN] = "!in", [TK_NOT_INSTANCEOF] = "!instanceof", [TK_AT] = "@",
    [TK_PLUS_ASSIGN] = "+=", [TK_MINUS_ASSIGN] = "-=", [TK_STAR_ASSIGN] = "*=",
    [TK_SLASH_ASSIGN] = "/=", [TK_PERCENT_ASSIGN] = "%=", [TK_AND_ASSIGN] = "&=",
    [TK_OR_ASSIGN] = "|=", [TK_XOR_ASSIGN] = "^=", [TK_LSHIFT_ASSIGN] = "<<=",
    [TK_RSHIFT_ASSIGN] = ">>=", [TK_URSHIFT_ASSIGN] = ">>>=", [TK_POWER_ASSIGN] = "**=",
    [TK_ELVIS_ASSIGN] = "?=",
};

const char *tok_kind_name(TokKind k)
{
    return (unsigned)k < TK__COUNT && kind_names[k] ? kind_names[k] : "?";
}

int tok_is_trivia(TokKind k) { return k == TK_WS || k == TK_COMMENT; }

int tok_is_word(TokKind k)
{
    return k == TK_IDENT || (k >= TK_KW_AS && k <= TK_PRIMITIVE);
}

void lex_init(Lexer *lx, const char *text, size_t start, size_t end)
{
    lx->text = text;
    lx->pos = start;
    lx->end = end;
    lx->last = TK_NL;
    lx->depth = 0;
}

/* Identifier characters: ASCII letters, digits, _ and $, and any byte >= 0x80 so
 * that UTF-8 letters in names pass through (Java allows Unicode identifiers). */
static int is_ident_start(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$' || c >= 0x80;
}
static int is_ident_char(unsigned char c) { return is_ident_start(c) || (c >= '0' && c <= '9'); }

/* ASCII identifier characters, for the hot loop over names. */
static const unsigned char ascii_ident[256] = {
    ['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1, ['6'] = 1, ['7'] = 1,
    ['8'] = 1, ['9'] = 1, ['_'] = 1, ['$'] = 1,
    ['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1, ['g'] = 1, ['h'] = 1,
    ['i'] = 1, ['j'] = 1, ['k'] = 1, ['l'] = 1, ['m'] = 1, ['n'] = 1, ['o'] = 1, ['p'] = 1,
    ['q'] = 1, ['r'] = 1, ['s'] = 1, ['t'] = 1, ['u'] = 1, ['v'] = 1, ['w'] = 1, ['x'] = 1,
    ['y'] = 1, ['z'] = 1,
    ['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1, ['F'] = 1, ['G'] = 1, ['H'] = 1,
    ['I'] = 1, ['J'] = 1, ['K'] = 1, ['L'] = 1, ['M'] = 1, ['N'] = 1, ['O'] = 1, ['P'] = 1,
    ['Q'] = 1, ['R'] = 1, ['S'] = 1, ['T'] = 1, ['U'] = 1, ['V'] = 1, ['W'] = 1, ['X'] = 1,
    ['Y'] = 1, ['Z'] = 1,
};
static int is_digit(unsigned char c) { return c >= '0' && c <= '9'; }

size_t lex_utf8_seq(const char *s, size_t p, size_t e)
{
    unsigned char c = (unsigned char)s[p];
    size_t n;
    unsigned char lo = 0x80, hi = 0xBF;    /* allowed range of the second byte */
    if (c >= 0xC2 && c <= 0xDF) n = 2;
    else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        if (c == 0xE0) lo = 0xA0;
        if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        if (c == 0xF0) lo = 0x90;
        if (c == 0xF4) hi = 0x8F;
    } else {
        return 0;
    }
    if (p + n > e) return 0;
    unsigned char c1 = (unsigned char)s[p + 1];
    if (c1 < lo || c1 > hi) return 0;
    for (size_t i = 2; i < n; i++)
        if (((unsigned char)s[p + i] & 0xC0) != 0x80) return 0;
    return n;
}

/* Width of the identifier character at s[p]: 1 for ASCII, the sequence length
 * for well-formed UTF-8, 0 when s[p] cannot be part of a name. */
static size_t ident_width(const char *s, size_t p, size_t e, int first)
{
    unsigned char c = (unsigned char)s[p];
    if (c >= 0x80) return lex_utf8_seq(s, p, e);
    return (first ? is_ident_start(c) : is_ident_char(c)) ? 1 : 0;
}

static TokKind keyword(const char *s, size_t n)
{
#define KW(str, kind) if (n == sizeof(str) - 1 && memcmp(s, str, n) == 0) return kind
    switch (s[0]) {
    case 'a': KW("as", TK_KW_AS); KW("assert", TK_KW_ASSERT); break;
    case 'b': KW("boolean", TK_PRIMITIVE); KW("byte", TK_PRIMITIVE); KW("break", TK_KW_BREAK); break;
    case 'c': KW("catch", TK_KW_CATCH); KW("char", TK_PRIMITIVE); KW("class", TK_KW_CLASS);
              KW("case", TK_KW_CASE); KW("continue", TK_KW_CONTINUE); break;
    case 'd': KW("def", TK_KW_DEF); KW("double", TK_PRIMITIVE); KW("default", TK_KW_DEFAULT); break;
    case 'e': KW("else", TK_KW_ELSE); break;
    case 'f': KW("false", TK_KW_FALSE); KW("finally", TK_KW_FINALLY); KW("float", TK_PRIMITIVE);
              KW("for", TK_KW_FOR); break;
    case 'i': KW("if", TK_KW_IF); KW("in", TK_KW_IN); KW("instanceof", TK_KW_INSTANCEOF);
              KW("includeConfig", TK_KW_INCLUDECONFIG); KW("import", TK_KW_IMPORT);
              KW("int", TK_PRIMITIVE); break;
    case 'l': KW("long", TK_PRIMITIVE); break;
    case 'n': KW("new", TK_KW_NEW); KW("null", TK_KW_NULL); break;
    case 'r': KW("return", TK_KW_RETURN); break;
    case 's': KW("short", TK_PRIMITIVE); KW("switch", TK_KW_SWITCH); break;
    case 't': KW("true", TK_KW_TRUE); KW("try", TK_KW_TRY); KW("throw", TK_KW_THROW); break;
    case 'v': KW("void", TK_PRIMITIVE); break;
    case 'w': KW("while", TK_KW_WHILE); break;
    }
#undef KW
    return TK_IDENT;
}

/* May a `/` here start a slashy string? Not after a value (nextflow-config.md §1.4). */
static int regex_allowed(TokKind last)
{
    switch (last) {
    case TK_RBRACE: case TK_RBRACK: case TK_RPAREN: case TK_IDENT: case TK_INT: case TK_FLOAT:
    case TK_STRING: case TK_GSTRING: case TK_SLASHY: case TK_DOLLAR_SLASHY:
    case TK_KW_TRUE: case TK_KW_FALSE: case TK_KW_NULL: case TK_INC: case TK_DEC:
        return 0;
    default:
        return 1;
    }
}

static size_t scan_quoted(Lexer *lx, size_t p, Token *t);

/* Bytes skip_interp must look at. */
static const unsigned char interp_stop[256] = { ['{'] = 1, ['}'] = 1, ['\''] = 1, ['"'] = 1, ['/'] = 1 };

/* Skips over one ${…} body starting after `{`; returns the offset of the
 * matching `}` or lx->end. Nested strings are scanned with their own rules. */
static size_t skip_interp(Lexer *lx, size_t p, Token *t)
{
    int braces = 1;
    if (++lx->depth > LEX_MAX_DEPTH) {
        t->flags |= TOKF_MALFORMED;
        t->err = "string interpolation nested too deeply";
        t->err_at = p;
        lx->depth--;
        return lx->end;
    }
    while (p < lx->end) {
        p = skip_until_any(lx->text, p, lx->end, '{', '}', '\'', '"', '/');
        while (p < lx->end && !interp_stop[(unsigned char)lx->text[p]]) p++;
        if (p >= lx->end) break;
        char c = lx->text[p];
        if (c == '{') { braces++; p++; }
        else if (c == '}') {
            if (--braces == 0) { lx->depth--; return p; }
            p++;
        } else if (c == '\'' || c == '"') {
            Token inner = {0};
            p = scan_quoted(lx, p, &inner);
            if (inner.flags & TOKF_MALFORMED) {
                t->flags |= TOKF_MALFORMED;
                t->err = inner.err;
                t->err_at = inner.err_at;
                lx->depth--;
                return lx->end;
            }
        } else if (c == '/' && p + 1 < lx->end && lx->text[p + 1] == '/') {
            while (p < lx->end && lx->text[p] != '\n') p++;
        } else if (c == '/' && p + 1 < lx->end && lx->text[p + 1] == '*') {
            p += 2;
            while (p + 1 < lx->end && !(lx->text[p] == '*' && lx->text[p + 1] == '/')) p++;
            p = p + 2 <= lx->end ? p + 2 : lx->end;
        } else {
            p++;
        }
    }
    lx->depth--;
    return lx->end;
}

/* Bytes that end the plain run inside '…' and "…" literals. */
static const unsigned char sq_stop[256] = { ['\\'] = 1, ['\''] = 1, ['\n'] = 1, ['\r'] = 1 };
static const unsigned char dq_stop[256] = { ['\\'] = 1, ['"'] = 1, ['\n'] = 1, ['\r'] = 1, ['$'] = 1 };

/* Scans a '…', "…", '''…''' or """…""" literal starting at p; returns the end
 * offset and sets kind/flags on t. */
static size_t scan_quoted(Lexer *lx, size_t p, Token *t)
{
    const char *s = lx->text;
    char q = s[p];
    int triple = p + 2 < lx->end && s[p + 1] == q && s[p + 2] == q;
    size_t open = p;
    int interp = 0;
    p += triple ? 3 : 1;
    t->kind = TK_STRING;
    if (triple) t->flags |= TOKF_TRIPLE;
    if (q == '"') t->flags |= TOKF_DOUBLE;
    const unsigned char *stop = q == '"' ? dq_stop : sq_stop;
    while (p < lx->end) {
        /* skip the bytes that need no attention in one tight loop */
        p = skip_until_any(s, p, lx->end, '\\', q, '\n', '\r', q == '"' ? '$' : q);
        while (p < lx->end && !stop[(unsigned char)s[p]]) p++;
        if (p >= lx->end) break;
        char c = s[p];
        if (c == '\\') {
            p += 2;   /* the escape's validity is checked by the parser when decoding */
            continue;
        }
        if (c == q) {
            if (!triple) return p + 1;
            if (p + 2 < lx->end && s[p + 1] == q && s[p + 2] == q) {
                /* """a"""" : the closing delimiter is the last three quotes */
                size_t e = p + 3;
                while (e < lx->end && s[e] == q && e - p < 5) e++;
                t->kind = interp ? TK_GSTRING : TK_STRING;
                return e;
            }
            p++;
            continue;
        }
        if (!triple && (c == '\n' || c == '\r')) break;
        if (q == '"' && c == '$') {
            interp = 1;
            t->kind = TK_GSTRING;
            if (p + 1 < lx->end && s[p + 1] == '{') {
                size_t close = skip_interp(lx, p + 2, t);
                if (close >= lx->end) {
                    if (!(t->flags & TOKF_MALFORMED)) {
                        t->flags |= TOKF_MALFORMED;
                        t->err = "unterminated ${ in string";
                        t->err_at = p;
                    }
                    return lx->end;
                }
                p = close + 1;
                continue;
            }
        }
        p++;
    }
    if (p > lx->end) p = lx->end;
    t->flags |= TOKF_MALFORMED;
    t->err = triple ? "unterminated triple-quoted string" : "unterminated string";
    t->err_at = open;
    return p;
}

static size_t scan_number(Lexer *lx, size_t p, TokKind *kind, Token *t)
{
    const char *s = lx->text;
    size_t e = lx->end, start = p;
    *kind = TK_INT;
    if (s[p] == '0' && p + 1 < e && (s[p + 1] == 'x' || s[p + 1] == 'X' || s[p + 1] == 'b' || s[p + 1] == 'B')) {
        p += 2;
        while (p < e && (is_ident_char((unsigned char)s[p]))) p++;
        return p;
    }
    /* Groovy 4 and Nextflow's own config lexer: `Digits? Dot Digits`, so `.80`
     * is a decimal (the caller starts here at a `.` only when a digit follows). */
    while (p < e && (is_digit((unsigned char)s[p]) || s[p] == '_')) p++;
    if (p > start && s[p - 1] == '_') {
        t->flags |= TOKF_MALFORMED;
        t->err = "Number ending with underscores is invalid";
        t->err_at = p - 1;
    }
    /* A fraction needs a digit after the dot: `2.GB` and `1..3` stay integers. */
    if (p + 1 < e && s[p] == '.' && is_digit((unsigned char)s[p + 1])) {
        *kind = TK_FLOAT;
        p++;
        while (p < e && (is_digit((unsigned char)s[p]) || s[p] == '_')) p++;
    }
    if (p < e && (s[p] == 'e' || s[p] == 'E')) {
        size_t q = p + 1;
        if (q < e && (s[q] == '+' || s[q] == '-')) q++;
        if (q < e && is_digit((unsigned char)s[q])) {
            *kind = TK_FLOAT;
            p = q;
            while (p < e && is_digit((unsigned char)s[p])) p++;
        }
    }
    if (p < e) {
        switch (s[p]) {
        case 'l': case 'L': case 'i': case 'I': case 'g': case 'G':
            p++; break;
        case 'f': case 'F': case 'd': case 'D':
            *kind = TK_FLOAT; p++; break;
        }
    }
    /* A leading zero makes an integer octal: `09` is an error, `09.5` is not. */
    if (*kind == TK_INT && s[start] == '0' && !(t->flags & TOKF_MALFORMED)) {
        for (size_t i = start + 1; i < p && (is_digit((unsigned char)s[i]) || s[i] == '_'); i++) {
            if (s[i] == '8' || s[i] == '9') {
                t->flags |= TOKF_MALFORMED;
                t->err = "Invalid octal number";
                t->err_at = start;
                break;
            }
        }
    }
    return p;
}

/* Operators, longest match first within each leading character. */
static size_t scan_operator(const char *s, size_t p, size_t e, TokKind *k)
{
#define AT(i) (p + (i) < e ? s[p + (i)] : '\0')
    char c = s[p], c1 = AT(1), c2 = AT(2);
    switch (c) {
    case '(': *k = TK_LPAREN; return 1;
    case ')': *k = TK_RPAREN; return 1;
    case '{': *k = TK_LBRACE; return 1;
    case '}': *k = TK_RBRACE; return 1;
    case '[': *k = TK_LBRACK; return 1;
    case ']': *k = TK_RBRACK; return 1;
    case ';': *k = TK_SEMI; return 1;
    case ',': *k = TK_COMMA; return 1;
    case '@': *k = TK_AT; return 1;
    case '~': *k = TK_TILDE; return 1;
    case '.':
        if (c1 == '.' && c2 == '.') { *k = TK_ELLIPSIS; return 3; }
        if (c1 == '.' && c2 == '<') { *k = TK_RANGE_EXCL; return 3; }
        if (c1 == '.') { *k = TK_RANGE; return 2; }
        if (c1 == '&') { *k = TK_METHOD_REF; return 2; }
        *k = TK_DOT; return 1;
    case ':':
        if (c1 == ':') { *k = TK_DCOLON; return 2; }
        *k = TK_COLON; return 1;
    case '?':
        if (c1 == '.') { *k = TK_SAFE_DOT; return 2; }
        if (c1 == ':') { *k = TK_ELVIS; return 2; }
        if (c1 == '=') { *k = TK_ELVIS_ASSIGN; return 2; }
        *k = TK_QUESTION; return 1;
    case '*':
        if (c1 == '.') { *k = TK_SPREAD_DOT; return 2; }
        if (c1 == '*' && c2 == '=') { *k = TK_POWER_ASSIGN; return 3; }
        if (c1 == '*') { *k = TK_POWER; return 2; }
        if (c1 == '=') { *k = TK_STAR_ASSIGN; return 2; }
        *k = TK_STAR; return 1;
    case '=':
        if (c1 == '=' && c2 == '~') { *k = TK_MATCH; return 3; }
        if (c1 == '=' && c2 == '=') { *k = TK_IDENTICAL; return 3; }
        if (c1 == '=') { *k = TK_EQ; return 2; }
        if (c1 == '~') { *k = TK_FIND; return 2; }
        *k = TK_ASSIGN; return 1;
    case '!':
        if (c1 == '=' && c2 == '=') { *k = TK_NOT_IDENTICAL; return 3; }
        if (c1 == '=') { *k = TK_NE; return 2; }
        /* `!in` / `!instanceof` are operators only when a word boundary follows. */
        if (c1 == 'i' && c2 == 'n') {
            if (p + 11 <= e && memcmp(s + p + 1, "instanceof", 10) == 0 &&
                (p + 11 == e || !is_ident_char((unsigned char)s[p + 11]))) {
                *k = TK_NOT_INSTANCEOF; return 11;
            }
            if (p + 3 == e || !is_ident_char((unsigned char)s[p + 3])) { *k = TK_NOT_IN; return 3; }
        }
        *k = TK_NOT; return 1;
    case '<':
        if (c1 == '=' && c2 == '>') { *k = TK_SPACESHIP; return 3; }
        if (c1 == '<' && c2 == '=') { *k = TK_LSHIFT_ASSIGN; return 3; }
        if (c1 == '=') { *k = TK_LE; return 2; }
        *k = TK_LT; return 1;
    case '>':
        if (c1 == '>' && c2 == '>' && AT(3) == '=') { *k = TK_URSHIFT_ASSIGN; return 4; }
        if (c1 == '>' && c2 == '=') { *k = TK_RSHIFT_ASSIGN; return 3; }
        if (c1 == '=') { *k = TK_GE; return 2; }
        *k = TK_GT; return 1;
    case '&':
        if (c1 == '&') { *k = TK_AND; return 2; }
        if (c1 == '=') { *k = TK_AND_ASSIGN; return 2; }
        *k = TK_BITAND; return 1;
    case '|':
        if (c1 == '|') { *k = TK_OR; return 2; }
        if (c1 == '=') { *k = TK_OR_ASSIGN; return 2; }
        *k = TK_BITOR; return 1;
    case '^':
        if (c1 == '=') { *k = TK_XOR_ASSIGN; return 2; }
        *k = TK_XOR; return 1;
    case '+':
        if (c1 == '+') { *k = TK_INC; return 2; }
        if (c1 == '=') { *k = TK_PLUS_ASSIGN; return 2; }
        *k = TK_PLUS; return 1;
    case '-':
        if (c1 == '-') { *k = TK_DEC; return 2; }
        if (c1 == '=') { *k = TK_MINUS_ASSIGN; return 2; }
        if (c1 == '>') { *k = TK_ARROW; return 2; }
        *k = TK_MINUS; return 1;
    case '/':
        if (c1 == '=') { *k = TK_SLASH_ASSIGN; return 2; }
        *k = TK_SLASH; return 1;
    case '%':
        if (c1 == '=') { *k = TK_PERCENT_ASSIGN; return 2; }
        *k = TK_PERCENT; return 1;
    }
#undef AT
    return 0;
}

/* First-byte classes: lex_token dispatches on one table load instead of a
 * chain of tests (the lexer's hot path). */
enum { CC_ERR = 0, CC_WS, CC_NL, CC_ID, CC_DIGIT, CC_QUOTE, CC_SLASH, CC_DOLLAR, CC_PUNCT,
       CC_OP, CC_HIGH, CC_BSLASH };
#define H8 CC_HIGH, CC_HIGH, CC_HIGH, CC_HIGH, CC_HIGH, CC_HIGH, CC_HIGH, CC_HIGH
#define H64 H8, H8, H8, H8, H8, H8, H8, H8
static const unsigned char char_class[256] = {
    ['\t'] = CC_WS, ['\n'] = CC_NL, ['\v'] = CC_WS, ['\f'] = CC_WS, ['\r'] = CC_NL, [' '] = CC_WS,
    ['!'] = CC_OP, ['"'] = CC_QUOTE, ['$'] = CC_DOLLAR, ['%'] = CC_OP, ['&'] = CC_OP,
    ['\''] = CC_QUOTE, ['('] = CC_PUNCT, [')'] = CC_PUNCT, ['*'] = CC_OP, ['+'] = CC_OP,
    [','] = CC_PUNCT, ['-'] = CC_OP, ['.'] = CC_OP, ['/'] = CC_SLASH, ['0'] = CC_DIGIT,
    ['1'] = CC_DIGIT, ['2'] = CC_DIGIT, ['3'] = CC_DIGIT, ['4'] = CC_DIGIT, ['5'] = CC_DIGIT,
    ['6'] = CC_DIGIT, ['7'] = CC_DIGIT, ['8'] = CC_DIGIT, ['9'] = CC_DIGIT, [':'] = CC_OP,
    [';'] = CC_PUNCT, ['<'] = CC_OP, ['='] = CC_OP, ['>'] = CC_OP, ['?'] = CC_OP, ['@'] = CC_PUNCT,
    ['A'] = CC_ID, ['B'] = CC_ID, ['C'] = CC_ID, ['D'] = CC_ID, ['E'] = CC_ID, ['F'] = CC_ID,
    ['G'] = CC_ID, ['H'] = CC_ID, ['I'] = CC_ID, ['J'] = CC_ID, ['K'] = CC_ID, ['L'] = CC_ID,
    ['M'] = CC_ID, ['N'] = CC_ID, ['O'] = CC_ID, ['P'] = CC_ID, ['Q'] = CC_ID, ['R'] = CC_ID,
    ['S'] = CC_ID, ['T'] = CC_ID, ['U'] = CC_ID, ['V'] = CC_ID, ['W'] = CC_ID, ['X'] = CC_ID,
    ['Y'] = CC_ID, ['Z'] = CC_ID, ['['] = CC_PUNCT, ['\\'] = CC_BSLASH, [']'] = CC_PUNCT,
    ['^'] = CC_OP, ['_'] = CC_ID, ['a'] = CC_ID, ['b'] = CC_ID, ['c'] = CC_ID, ['d'] = CC_ID,
    ['e'] = CC_ID, ['f'] = CC_ID, ['g'] = CC_ID, ['h'] = CC_ID, ['i'] = CC_ID, ['j'] = CC_ID,
    ['k'] = CC_ID, ['l'] = CC_ID, ['m'] = CC_ID, ['n'] = CC_ID, ['o'] = CC_ID, ['p'] = CC_ID,
    ['q'] = CC_ID, ['r'] = CC_ID, ['s'] = CC_ID, ['t'] = CC_ID, ['u'] = CC_ID, ['v'] = CC_ID,
    ['w'] = CC_ID, ['x'] = CC_ID, ['y'] = CC_ID, ['z'] = CC_ID, ['{'] = CC_PUNCT, ['|'] = CC_OP,
    ['}'] = CC_PUNCT, ['~'] = CC_PUNCT,
    [0x80] = H64, H64,
};
#undef H64
#undef H8

/* Token kinds of the punctuation that is always one byte. */
static const unsigned char punct_kind[128] = {
    ['('] = TK_LPAREN, [')'] = TK_RPAREN, ['{'] = TK_LBRACE, ['}'] = TK_RBRACE,
    ['['] = TK_LBRACK, [']'] = TK_RBRACK, [';'] = TK_SEMI, [','] = TK_COMMA,
    ['@'] = TK_AT, ['~'] = TK_TILDE,
};

/* Operators that are one byte unless one of op_follow comes next (every
 * second byte of a longer operator is in op_follow; `!` is left to
 * scan_operator because of `!in`). */
static const unsigned char op1_kind[128] = {
    ['.'] = TK_DOT, [':'] = TK_COLON, ['?'] = TK_QUESTION, ['*'] = TK_STAR, ['='] = TK_ASSIGN,
    ['<'] = TK_LT, ['>'] = TK_GT, ['&'] = TK_BITAND, ['|'] = TK_BITOR, ['^'] = TK_XOR,
    ['+'] = TK_PLUS, ['-'] = TK_MINUS, ['%'] = TK_PERCENT,
};
static const unsigned char op_follow[256] = {
    ['.'] = 1, ['&'] = 1, [':'] = 1, ['='] = 1, ['*'] = 1, ['~'] = 1, ['<'] = 1, ['>'] = 1,
    ['|'] = 1, ['+'] = 1, ['-'] = 1,
};

static int is_ws_byte(unsigned char c) { return c == ' ' || c == '\t' || c == '\f' || c == '\v'; }
static int is_bom(const char *s, size_t p, size_t e)
{
    return (unsigned char)s[p] == 0xEF && p + 2 < e && (unsigned char)s[p + 1] == 0xBB &&
           (unsigned char)s[p + 2] == 0xBF;
}

/* Whitespace run from p (spaces, tabs, form feeds, BOMs, backslash-newline). */
static size_t scan_ws(const char *s, size_t p, size_t e)
{
    for (;;) {
        while (p < e && is_ws_byte((unsigned char)s[p])) p++;
        if (p >= e) break;
        unsigned char c = (unsigned char)s[p];
        if (c == 0xEF && is_bom(s, p, e)) { p += 3; continue; }
        if (c == '\\' && p + 1 < e && s[p + 1] == '\n') { p += 2; continue; }
        if (c == '\\' && p + 1 < e && s[p + 1] == '\r') {
            p += (p + 2 < e && s[p + 2] == '\n') ? 3 : 2;
            continue;
        }
        break;
    }
    return p;
}

/* The rest of an identifier from q (its first character already taken). */
static size_t scan_ident_rest(const char *s, size_t q, size_t e)
{
    for (;;) {
        while (q < e && ascii_ident[(unsigned char)s[q]]) q++;   /* the common case */
        size_t w = q < e && (unsigned char)s[q] >= 0x80 ? ident_width(s, q, e, 0) : 0;
        if (!w) return q;
        q += w;
    }
}

/* An error token for the byte(s) at p that start no token: one per ASCII byte;
 * a run of bytes that are not UTF-8 is one token. */
static void lex_error_token(Lexer *lx, size_t p, Token *t)
{
    const char *s = lx->text;
    size_t e = lx->end, q = p + 1;
    unsigned char c = (unsigned char)s[p];
    if (c >= 0x80)
        while (q < e && (unsigned char)s[q] >= 0x80 && !lex_utf8_seq(s, q, e)) q++;
    t->kind = TK_ERROR;
    t->err = c == 0 ? "unexpected NUL byte" : c >= 0x80 ? "invalid UTF-8" : "unexpected character";
    t->err_at = p;
    t->end = lx->pos = q;
    lx->last = TK_ERROR;
}

/* A name starting with `$` or a UTF-8 letter (not the ASCII fast path);
 * bytes >= 0x80 that are not UTF-8 are an error token. */
static void lex_ident_any(Lexer *lx, size_t p, Token *t)
{
    const char *s = lx->text;
    size_t w = (unsigned char)s[p] >= 0x80 ? lex_utf8_seq(s, p, lx->end) : 1;
    if (!w) { lex_error_token(lx, p, t); return; }
    size_t q = scan_ident_rest(s, p + w, lx->end);
    TokKind k = keyword(s + p, q - p);
    /* After `.` a keyword is just a property name (`params.in`, `x.class`). */
    if (k != TK_IDENT && (lx->last == TK_DOT || lx->last == TK_SAFE_DOT || lx->last == TK_SPREAD_DOT))
        k = TK_IDENT;
    t->kind = k;
    t->end = lx->pos = q;
    lx->last = k;
}

static void lex_block_comment(Lexer *lx, size_t p, Token *t)
{
    const char *s = lx->text;
    size_t e = lx->end, q = p + 2;
    while (q + 1 < e && !(s[q] == '*' && s[q + 1] == '/')) {
        if (s[q] == '\n' || s[q] == '\r') t->flags |= TOKF_HAS_NL;
        q++;
    }
    t->kind = TK_COMMENT;
    if (q + 1 >= e) {
        t->flags |= TOKF_MALFORMED;
        t->err = "unterminated comment";
        t->err_at = p;
        q = e;
    } else {
        q += 2;
    }
    t->end = lx->pos = q;
    /* A multi-line block comment separates statements like a newline. */
    if (t->flags & TOKF_HAS_NL) lx->last = TK_NL;
}

static void lex_slashy(Lexer *lx, size_t p, Token *t)
{
    const char *s = lx->text;
    size_t e = lx->end, q = p + 1;
    t->kind = TK_SLASHY;
    for (;;) {
        if (q >= e) {
            t->flags |= TOKF_MALFORMED;
            t->err = "unterminated slashy string";
            t->err_at = p;
            q = e;
            break;
        }
        if (s[q] == '\\' && q + 1 < e && s[q + 1] == '/') { q += 2; continue; }
        if (s[q] == '/') { q++; break; }
        q++;
    }
    t->end = lx->pos = q;
    lx->last = t->kind;
}

static void lex_dollar_slashy(Lexer *lx, size_t p, Token *t)
{
    /* $/…/$ : `$$` and `$/` are its escapes. */
    const char *s = lx->text;
    size_t e = lx->end, q = p + 2;
    t->kind = TK_DOLLAR_SLASHY;
    for (;;) {
        if (q >= e) {
            t->flags |= TOKF_MALFORMED;
            t->err = "unterminated dollar-slashy string";
            t->err_at = p;
            q = e;
            break;
        }
        if (s[q] == '$' && q + 1 < e && (s[q + 1] == '$' || s[q + 1] == '/')) { q += 2; continue; }
        if (s[q] == '/' && q + 1 < e && s[q + 1] == '$') { q += 2; break; }
        q++;
    }
    t->end = lx->pos = q;
    lx->last = t->kind;
}

static void lex_op(Lexer *lx, size_t p, Token *t)
{
    TokKind k;
    size_t n = scan_operator(lx->text, p, lx->end, &k);
    if (!n) { lex_error_token(lx, p, t); return; }
    t->kind = k;
    t->end = lx->pos = p + n;
    lx->last = k;
}

/* The rarer token kinds, each lexed by a function of its own so that the
 * common path builds its Token straight in the caller's return slot. */
static Token tok_make(TokKind k, size_t start, size_t end)
{
    Token t = {k, start, end, NULL, 0, 0};
    return t;
}

static Token lex_with(Lexer *lx, size_t p, void (*fn)(Lexer *, size_t, Token *))
{
    Token t = tok_make(TK_EOF, p, p);
    fn(lx, p, &t);
    return t;
}

static void lex_number(Lexer *lx, size_t p, Token *t)
{
    TokKind k;
    p = scan_number(lx, p, &k, t);
    t->kind = k;
    t->end = lx->pos = p;
    lx->last = k;
}

static void lex_quoted(Lexer *lx, size_t p, Token *t)
{
    p = scan_quoted(lx, p, t);
    t->end = lx->pos = p;
    lx->last = t->kind;
}

static void lex_line_comment(Lexer *lx, size_t p, Token *t)
{
    const char *s = lx->text;
    size_t e = lx->end;
    while (p < e && s[p] != '\n' && s[p] != '\r') p++;
    t->kind = TK_COMMENT;
    t->end = lx->pos = p;
}

static Token lex_ws(Lexer *lx, size_t p)
{
    size_t q = lx->pos = scan_ws(lx->text, p, lx->end);
    return tok_make(TK_WS, p, q);   /* trivia do not change lx->last */
}

/* Lexes the token at lx->pos: one table load picks the kind of token. With
 * skip_trivia, whitespace and plain comments are skipped in the same loop
 * (lex_next_significant); a comment spanning lines or a malformed one is
 * still returned. */
static inline __attribute__((always_inline)) Token lex_dispatch(Lexer *lx, int skip_trivia)
{
    const char *s = lx->text;
    size_t p = lx->pos, e = lx->end;
    for (;;) {
        if (p >= e) {
            lx->pos = p;
            return tok_make(TK_EOF, p, p);
        }
        unsigned char c = (unsigned char)s[p];
        switch (char_class[c]) {
        case CC_WS:
            if (!skip_trivia) return lex_ws(lx, p);
            p++;
            /* mostly one space between tokens; indentation is a longer run */
            if (p < e && (s[p] == ' ' || s[p] == '\t')) {
                p = skip_blanks(s, p, e);
                while (p < e && (s[p] == ' ' || s[p] == '\t')) p++;
            }
            continue;
        case CC_NL: {
            size_t q = p + ((c == '\r' && p + 1 < e && s[p + 1] == '\n') ? 2 : 1);
            lx->pos = q;
            lx->last = TK_NL;
            return tok_make(TK_NL, p, q);
        }
        case CC_ID: {
            size_t q = scan_ident_rest(s, p + 1, e);
            TokKind k = keyword(s + p, q - p);
            /* After `.` a keyword is just a property name (`params.in`, `x.class`). */
            if (k != TK_IDENT && (lx->last == TK_DOT || lx->last == TK_SAFE_DOT || lx->last == TK_SPREAD_DOT))
                k = TK_IDENT;
            lx->pos = q;
            lx->last = k;
            return tok_make(k, p, q);
        }
        case CC_PUNCT: {
            TokKind k = (TokKind)punct_kind[c];
            lx->pos = p + 1;
            lx->last = k;
            return tok_make(k, p, p + 1);
        }
        case CC_OP: {
            TokKind k;
            size_t n;
            unsigned char c1 = p + 1 < e ? (unsigned char)s[p + 1] : 0;
            if (c == '.' && is_digit(c1)) {   /* `.5`: a decimal, not a dot (see scan_number) */
                lx->pos = p;
                return lex_with(lx, p, lex_number);
            }
            if (op1_kind[c] && !op_follow[c1]) { k = (TokKind)op1_kind[c]; n = 1; }
            else n = scan_operator(s, p, e, &k);
            lx->pos = p;
            if (!n) return lex_with(lx, p, lex_error_token);
            lx->pos = p + n;
            lx->last = k;
            return tok_make(k, p, p + n);
        }
        case CC_QUOTE:
            lx->pos = p;
            return lex_with(lx, p, lex_quoted);
        case CC_DIGIT:
            lx->pos = p;
            return lex_with(lx, p, lex_number);
        case CC_SLASH:
            lx->pos = p;
            if (p + 1 < e && s[p + 1] == '/') {
                if (!skip_trivia) return lex_with(lx, p, lex_line_comment);
                p = skip_until_any(s, p + 2, e, '\n', '\r', '\n', '\n', '\n');
                while (p < e && s[p] != '\n' && s[p] != '\r') p++;
                continue;
            }
            if (p + 1 < e && s[p + 1] == '*') {
                Token t = lex_with(lx, p, lex_block_comment);
                if (!skip_trivia || (t.flags & (TOKF_HAS_NL | TOKF_MALFORMED))) return t;
                p = lx->pos;
                continue;
            }
            if (regex_allowed(lx->last) && p + 1 < e && s[p + 1] != '=') return lex_with(lx, p, lex_slashy);
            return lex_with(lx, p, lex_op);
        case CC_DOLLAR:
            lx->pos = p;
            if (p + 1 < e && s[p + 1] == '/') return lex_with(lx, p, lex_dollar_slashy);
            return lex_with(lx, p, lex_ident_any);
        case CC_HIGH:
            if (is_bom(s, p, e)) {
                if (!skip_trivia) return lex_ws(lx, p);
                p += 3;
                continue;
            }
            lx->pos = p;
            return lex_with(lx, p, lex_ident_any);
        case CC_BSLASH:
            if (p + 1 < e && (s[p + 1] == '\n' || s[p + 1] == '\r')) {
                if (!skip_trivia) return lex_ws(lx, p);
                p = scan_ws(s, p, e);
                continue;
            }
            lx->pos = p;
            return lex_with(lx, p, lex_error_token);
        default:
            lx->pos = p;
            return lex_with(lx, p, lex_error_token);
        }
    }
}

Token lex_next(Lexer *lx)
{
    return lex_dispatch(lx, 0);
}

Token lex_next_significant(Lexer *lx)
{
    return lex_dispatch(lx, 1);
}

/* The loop of lex_fill_significant, compiled once per value of check_end so
 * that ordinary inputs pay nothing for the 32-bit span test. The lexer state is
 * kept in a local copy (lx_out is updated at the end) and out is restrict, so
 * the token stores do not force the state back to memory on every token. */
static inline __attribute__((always_inline)) size_t
fill_loop(Lexer *lx_out, LexTok *restrict out, size_t max, LexErrFn on_err, void *ctx,
          int *status, int check_end)
{
    Lexer lxl = *lx_out;
    Lexer *lx = &lxl;
    size_t n = 0;
    int st = LEX_FILL_MORE;
    while (n < max) {
        Token t = lex_dispatch(lx, 1);
        if (t.kind == TK_EOF) { st = LEX_FILL_EOF; break; }
        if (check_end && t.end > UINT32_MAX) { st = LEX_FILL_TOO_BIG; break; }
        unsigned flags = t.flags;
        /* Every error token and malformed literal carries a message; comments
         * reach here only when they span lines or are malformed. */
        if (__builtin_expect(t.err != NULL || t.kind == TK_COMMENT, 0)) {
            if (t.kind == TK_COMMENT) {
                if (t.flags & TOKF_HAS_NL) t.kind = TK_NL;
                else flags |= LEXF_SLOW;
            }
            if (t.kind == TK_ERROR || (t.flags & TOKF_MALFORMED)) flags |= LEXF_SLOW;
            if (t.err && on_err(ctx, n, t.err, t.err_at)) { st = LEX_FILL_STOPPED; break; }
        }
        LexTok k = {(uint32_t)t.start, (uint32_t)t.end, (uint8_t)t.kind, (uint8_t)flags};
        out[n++] = k;
    }
    *lx_out = lxl;
    *status = st;
    return n;
}

size_t lex_fill_significant(Lexer *lx, LexTok *out, size_t max, LexErrFn on_err, void *ctx,
                            int *status)
{
    if (lx->end > UINT32_MAX) return fill_loop(lx, out, max, on_err, ctx, status, 1);
    return fill_loop(lx, out, max, on_err, ctx, status, 0);
}

size_t lex_match_interp(const char *text, size_t open, size_t end, int *too_deep)
{
    Lexer lx;
    Token t = {0};
    lex_init(&lx, text, open + 1, end);
    size_t r = skip_interp(&lx, open + 1, &t);
    *too_deep = (t.flags & TOKF_MALFORMED) && t.err && strstr(t.err, "deeply");
    return r;
}
