/* data — JSON (own strict parser) and YAML (libyaml events) into one tree.
 *
 * Both readers share one builder: children of the container being read are
 * pushed on a scratch stack (np_realloc'd, reused for the whole parse) and
 * copied into an exactly sized arena array when the container closes, so the
 * arena holds no dead growth. Errors keep only the first message. */
#include "data.h"
#include "alloc.h"
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

/* ------------------------------------------------------------------------ */
/* shared parse context                                                      */

typedef struct Ctx {
    const char *text;
    size_t len;
    Arena *arena;
    DataMember *stk;        /* scratch stack of children being collected */
    size_t sn, scap;
    unsigned depth;
    size_t alias_total;     /* YAML: nodes added by alias expansion */
    int rc;                 /* first error code, DATA_OK while none */
    size_t err_off;
    char *msg;              /* np_malloc'd "line:col: ..." */
} Ctx;

void data_linecol(const char *text, size_t len, size_t offset, unsigned *line, unsigned *col)
{
    if (offset > len) offset = len;
    unsigned l = 1;
    size_t ls = 0;
    for (size_t i = 0; i < offset; i++) {
        if (text[i] == '\n' || (text[i] == '\r' && (i + 1 >= len || text[i + 1] != '\n'))) {
            l++;
            ls = i + 1;
        }
    }
    *line = l;
    *col = (unsigned)(offset - ls + 1);
}

static void set_error(Ctx *c, int rc, size_t off, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

static void set_error(Ctx *c, int rc, size_t off, const char *fmt, ...)
{
    if (c->rc != DATA_OK) return;
    c->rc = rc;
    c->err_off = off;
    if (rc == DATA_ENOMEM) {
        c->msg = np_strdup("out of memory");
        return;
    }
    unsigned line, col;
    data_linecol(c->text, c->len, off, &line, &col);
    char body[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(body, sizeof body, fmt, ap);
    va_end(ap);
    size_t n = strlen(body) + 48;
    c->msg = np_malloc(n);
    if (c->msg) snprintf(c->msg, n, "%u:%u: %s", line, col, body);
}

static void oom(Ctx *c) { set_error(c, DATA_ENOMEM, 0, "out of memory"); }

static DataNode *new_node(Ctx *c, DataKind kind, size_t start, size_t end)
{
    DataNode *n = arena_alloc(c->arena, sizeof *n);
    if (!n) { oom(c); return NULL; }
    n->kind = kind;
    n->start = start;
    n->end = end;
    n->weight = 1;
    return n;
}

static void add_weight(DataNode *parent, size_t w)
{
    parent->weight = (SIZE_MAX - parent->weight < w) ? SIZE_MAX : parent->weight + w;
}

static int push_member(Ctx *c, const DataMember *m)
{
    DataMember *p = np_grow(c->stk, c->sn, &c->scap, sizeof *p, 64);
    if (!p) { oom(c); return 0; }
    c->stk = p;
    c->stk[c->sn++] = *m;
    return 1;
}

/* Moves stack entries [base, sn) into `node` (array items or object members). */
static int close_container(Ctx *c, DataNode *node, size_t base)
{
    size_t n = c->sn - base;
    node->len = n;
    if (n == 0) { c->sn = base; return 1; }
    if (node->kind == DATA_ARRAY) {
        node->items = arena_alloc(c->arena, n * sizeof *node->items);
        if (!node->items) { oom(c); return 0; }
        for (size_t i = 0; i < n; i++) node->items[i] = c->stk[base + i].value;
    } else {
        node->members = arena_alloc(c->arena, n * sizeof *node->members);
        if (!node->members) { oom(c); return 0; }
        memcpy(node->members, c->stk + base, n * sizeof *node->members);
    }
    c->sn = base;
    return 1;
}

/* ------------------------------------------------------------------------ */
/* JSON (RFC 8259)                                                           */

typedef struct Json {
    Ctx *c;
    size_t pos;
} Json;

static void json_ws(Json *j)
{
    const char *t = j->c->text;
    while (j->pos < j->c->len &&
           (t[j->pos] == ' ' || t[j->pos] == '\t' || t[j->pos] == '\n' || t[j->pos] == '\r'))
        j->pos++;
}

static void json_unexpected(Json *j, const char *expected)
{
    Ctx *c = j->c;
    if (j->pos >= c->len) {
        set_error(c, DATA_ESYNTAX, j->pos, "unexpected end of input, expected %s", expected);
        return;
    }
    unsigned char ch = (unsigned char)c->text[j->pos];
    if (ch >= 0x20 && ch < 0x7f)
        set_error(c, DATA_ESYNTAX, j->pos, "unexpected '%c', expected %s", ch, expected);
    else
        set_error(c, DATA_ESYNTAX, j->pos, "unexpected byte 0x%02X, expected %s", ch, expected);
}

static int hexval(int ch)
{
    if (ch >= '0' && ch <= '9') return ch - '0';
    if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
    return -1;
}

/* Reads 4 hex digits at p; -1 when they are not there. */
static long hex4(const char *t, size_t len, size_t p)
{
    if (p > len || len - p < 4) return -1;
    long v = 0;
    for (int i = 0; i < 4; i++) {
        int h = hexval((unsigned char)t[p + i]);
        if (h < 0) return -1;
        v = v * 16 + h;
    }
    return v;
}

static size_t put_utf8(char *o, unsigned long cp)
{
    if (cp < 0x80) { o[0] = (char)cp; return 1; }
    if (cp < 0x800) {
        o[0] = (char)(0xC0 | (cp >> 6));
        o[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (char)(0xE0 | (cp >> 12));
        o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (char)(0xF0 | (cp >> 18));
    o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* Length of the well-formed UTF-8 sequence at t[p] (RFC 3629: no overlongs,
 * no surrogates, nothing above U+10FFFF), 0 when it is not well formed. */
static size_t utf8_seq(const unsigned char *t, size_t len, size_t p)
{
    unsigned char b = t[p];
    size_t n;
    unsigned char lo = 0x80, hi = 0xBF;
    if (b < 0x80) return 1;
    else if (b >= 0xC2 && b <= 0xDF) n = 2;
    else if (b == 0xE0) { n = 3; lo = 0xA0; }
    else if (b >= 0xE1 && b <= 0xEC) n = 3;
    else if (b == 0xED) { n = 3; hi = 0x9F; }
    else if (b >= 0xEE && b <= 0xEF) n = 3;
    else if (b == 0xF0) { n = 4; lo = 0x90; }
    else if (b >= 0xF1 && b <= 0xF3) n = 4;
    else if (b == 0xF4) { n = 4; hi = 0x8F; }
    else return 0;
    if (len - p < n) return 0;
    if (t[p + 1] < lo || t[p + 1] > hi) return 0;
    for (size_t i = 2; i < n; i++)
        if ((t[p + i] & 0xC0) != 0x80) return 0;
    return n;
}

/* Parses the string whose opening quote is at j->pos; stores the decoded text
 * (NUL-terminated, in the arena) and its length. */
static int json_string(Json *j, char **out, size_t *outlen)
{
    Ctx *c = j->c;
    const char *t = c->text;
    size_t open = j->pos, p = open + 1;
    /* first pass: find the closing quote, so the buffer can be sized */
    size_t q = p;
    while (q < c->len && t[q] != '"') q += (t[q] == '\\') ? 2 : 1;
    if (q >= c->len) {
        set_error(c, DATA_ESYNTAX, open, "unterminated string");
        return 0;
    }
    char *buf = arena_alloc(c->arena, q - p + 1);
    if (!buf) { oom(c); return 0; }
    size_t o = 0;
    while (p < q) {
        unsigned char ch = (unsigned char)t[p];
        if (ch < 0x20) {
            set_error(c, DATA_ESYNTAX, p, "control character U+%04X must be escaped in a string", ch);
            return 0;
        }
        if (ch >= 0x80) {
            size_t n = utf8_seq((const unsigned char *)t, q, p);
            if (!n) {
                set_error(c, DATA_ESYNTAX, p, "invalid UTF-8 byte 0x%02X in string", ch);
                return 0;
            }
            memcpy(buf + o, t + p, n);
            o += n;
            p += n;
            continue;
        }
        if (ch != '\\') { buf[o++] = (char)ch; p++; continue; }
        char e = t[p + 1];
        switch (e) {
        case '"': buf[o++] = '"'; break;
        case '\\': buf[o++] = '\\'; break;
        case '/': buf[o++] = '/'; break;
        case 'b': buf[o++] = '\b'; break;
        case 'f': buf[o++] = '\f'; break;
        case 'n': buf[o++] = '\n'; break;
        case 'r': buf[o++] = '\r'; break;
        case 't': buf[o++] = '\t'; break;
        case 'u': {
            long cp = hex4(t, q, p + 2);
            if (cp < 0) {
                set_error(c, DATA_ESYNTAX, p, "invalid \\u escape (needs 4 hex digits)");
                return 0;
            }
            if (cp >= 0xDC00 && cp <= 0xDFFF) {
                set_error(c, DATA_ESYNTAX, p, "unpaired low surrogate \\u%04lX", cp);
                return 0;
            }
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                long lo = (p + 7 < q && t[p + 6] == '\\' && t[p + 7] == 'u') ? hex4(t, q, p + 8) : -1;
                if (lo < 0xDC00 || lo > 0xDFFF) {
                    set_error(c, DATA_ESYNTAX, p, "unpaired high surrogate \\u%04lX", cp);
                    return 0;
                }
                unsigned long full = 0x10000 + (((unsigned long)cp - 0xD800) << 10) + ((unsigned long)lo - 0xDC00);
                o += put_utf8(buf + o, full);
                p += 12;
                continue;
            }
            o += put_utf8(buf + o, (unsigned long)cp);
            p += 6;
            continue;
        }
        default:
            if ((unsigned char)e >= 0x20 && (unsigned char)e < 0x7f)
                set_error(c, DATA_ESYNTAX, p, "invalid escape '\\%c' in string", e);
            else
                set_error(c, DATA_ESYNTAX, p, "invalid escape in string");
            return 0;
        }
        p += 2;
    }
    buf[o] = '\0';
    *out = buf;
    *outlen = o;
    j->pos = q + 1;
    return 1;
}

static int is_digit(char ch) { return ch >= '0' && ch <= '9'; }

static DataNode *json_number(Json *j)
{
    Ctx *c = j->c;
    const char *t = c->text;
    size_t start = j->pos, p = start;
    int is_float = 0;
    if (p < c->len && t[p] == '-') p++;
    if (p >= c->len || !is_digit(t[p])) {
        j->pos = p;
        json_unexpected(j, "a digit");
        return NULL;
    }
    if (t[p] == '0') {
        p++;
        if (p < c->len && is_digit(t[p])) {
            set_error(c, DATA_ESYNTAX, p - 1, "leading zeros are not allowed in numbers");
            return NULL;
        }
    } else {
        while (p < c->len && is_digit(t[p])) p++;
    }
    if (p < c->len && t[p] == '.') {
        is_float = 1;
        p++;
        if (p >= c->len || !is_digit(t[p])) {
            j->pos = p;
            json_unexpected(j, "a digit after '.'");
            return NULL;
        }
        while (p < c->len && is_digit(t[p])) p++;
    }
    if (p < c->len && (t[p] == 'e' || t[p] == 'E')) {
        is_float = 1;
        p++;
        if (p < c->len && (t[p] == '+' || t[p] == '-')) p++;
        if (p >= c->len || !is_digit(t[p])) {
            j->pos = p;
            json_unexpected(j, "a digit in the exponent");
            return NULL;
        }
        while (p < c->len && is_digit(t[p])) p++;
    }
    DataNode *n = new_node(c, DATA_INT, start, p);
    if (!n) return NULL;
    char *lit = arena_strndup(c->arena, t + start, p - start);
    if (!lit) { oom(c); return NULL; }
    n->text = lit;
    n->text_len = p - start;
    n->number = strtod(lit, NULL);
    if (!is_float) {
        errno = 0;
        long long v = strtoll(lit, NULL, 10);
        if (errno == ERANGE) is_float = 1;   /* out of int64: keep the double */
        else n->integer = v;
    }
    if (is_float) n->kind = DATA_FLOAT;
    j->pos = p;
    return n;
}

static DataNode *json_value(Json *j);

static DataNode *json_container(Json *j, int is_obj)
{
    Ctx *c = j->c;
    size_t open = j->pos;
    if (++c->depth > DATA_MAX_DEPTH) {
        set_error(c, DATA_ELIMIT, open, "nesting deeper than %d levels", DATA_MAX_DEPTH);
        return NULL;
    }
    DataNode *node = new_node(c, is_obj ? DATA_OBJECT : DATA_ARRAY, open, open);
    if (!node) return NULL;
    size_t base = c->sn;
    char close = is_obj ? '}' : ']';
    j->pos++;
    json_ws(j);
    if (j->pos < c->len && c->text[j->pos] == close) goto done;
    for (;;) {
        DataMember m = {0};
        if (is_obj) {
            if (j->pos >= c->len || c->text[j->pos] != '"') {
                json_unexpected(j, c->sn == base ? "a string key or '}'" : "a string key");
                return NULL;
            }
            char *key;
            m.key_start = j->pos;
            if (!json_string(j, &key, &m.key_len)) return NULL;
            m.key = key;
            m.key_end = j->pos;
            json_ws(j);
            if (j->pos >= c->len || c->text[j->pos] != ':') {
                json_unexpected(j, "':' after the object key");
                return NULL;
            }
            j->pos++;
            json_ws(j);
        }
        m.value = json_value(j);
        if (!m.value) return NULL;
        add_weight(node, m.value->weight);
        if (!push_member(c, &m)) return NULL;
        json_ws(j);
        if (j->pos < c->len && c->text[j->pos] == ',') {
            j->pos++;
            json_ws(j);
            continue;
        }
        if (j->pos < c->len && c->text[j->pos] == close) break;
        json_unexpected(j, is_obj ? "',' or '}' after an object member" : "',' or ']' after an array element");
        return NULL;
    }
done:
    j->pos++;
    node->end = j->pos;
    c->depth--;
    if (!close_container(c, node, base)) return NULL;
    return node;
}

static DataNode *json_literal(Json *j, const char *word, DataKind kind, int b)
{
    Ctx *c = j->c;
    size_t n = strlen(word);
    if (c->len - j->pos < n || memcmp(c->text + j->pos, word, n) != 0) {
        set_error(c, DATA_ESYNTAX, j->pos, "invalid literal (expected '%s')", word);
        return NULL;
    }
    DataNode *node = new_node(c, kind, j->pos, j->pos + n);
    if (!node) return NULL;
    node->text = word;       /* static literal text */
    node->text_len = n;
    node->boolean = b;
    j->pos += n;
    return node;
}

static DataNode *json_value(Json *j)
{
    Ctx *c = j->c;
    if (j->pos >= c->len) {
        json_unexpected(j, "a JSON value");
        return NULL;
    }
    char ch = c->text[j->pos];
    switch (ch) {
    case '{': return json_container(j, 1);
    case '[': return json_container(j, 0);
    case '"': {
        size_t start = j->pos;
        char *s;
        size_t n;
        if (!json_string(j, &s, &n)) return NULL;
        DataNode *node = new_node(c, DATA_STRING, start, j->pos);
        if (!node) return NULL;
        node->text = s;
        node->text_len = n;
        return node;
    }
    case 't': return json_literal(j, "true", DATA_BOOL, 1);
    case 'f': return json_literal(j, "false", DATA_BOOL, 0);
    case 'n': return json_literal(j, "null", DATA_NULL, 0);
    default:
        if (ch == '-' || is_digit(ch)) return json_number(j);
        json_unexpected(j, "a JSON value");
        return NULL;
    }
}

static DataNode *parse_json(Ctx *c)
{
    Json j = {c, 0};
    if (c->len >= 3 && memcmp(c->text, "\xEF\xBB\xBF", 3) == 0) j.pos = 3;  /* RFC 8259 §8.1: may ignore */
    json_ws(&j);
    DataNode *root = json_value(&j);
    if (!root) return NULL;
    json_ws(&j);
    if (j.pos < c->len) {
        json_unexpected(&j, "end of input after the JSON value");
        return NULL;
    }
    return root;
}

/* ------------------------------------------------------------------------ */
/* YAML (libyaml events)                                                     */

typedef struct Frame {
    DataNode *node;
    size_t base;          /* scratch stack base */
    int flow;
    int have_key;         /* mapping: key read, value pending */
    DataMember pending;
    char *anchor;         /* arena copy or NULL */
} Frame;

typedef struct Anchor {
    const char *name;
    DataNode *node;
} Anchor;

typedef struct Yaml {
    Ctx *c;
    Frame *frames;
    size_t nf, fcap;
    Anchor *anchors;      /* open-addressing hash table */
    size_t acap, an;
    DataNode *root;
    int done_root;
    /* character index -> byte offset (libyaml marks count characters) */
    int ascii;
    size_t bom;
    size_t ci, bi;
} Yaml;

static size_t mark_off(Yaml *y, size_t index)
{
    Ctx *c = y->c;
    if (y->ascii) {
        size_t b = y->bom + index;
        return b > c->len ? c->len : b;
    }
    const unsigned char *t = (const unsigned char *)c->text;
    while (y->ci < index && y->bi < c->len) {
        unsigned char b = t[y->bi];
        size_t n = b < 0x80 ? 1 : b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
        y->bi += n;
        if (y->bi > c->len) y->bi = c->len;
        y->ci++;
    }
    while (y->ci > index && y->bi > y->bom) {
        y->bi--;
        while (y->bi > y->bom && (t[y->bi] & 0xC0) == 0x80) y->bi--;
        y->ci--;
    }
    return y->bi;
}

static unsigned long hash_str(const char *s)
{
    unsigned long h = 5381;
    while (*s) h = h * 33 + (unsigned char)*s++;
    return h;
}

static DataNode *anchor_find(Yaml *y, const char *name)
{
    if (!y->acap) return NULL;
    for (size_t i = hash_str(name) & (y->acap - 1);; i = (i + 1) & (y->acap - 1)) {
        if (!y->anchors[i].name) return NULL;
        if (strcmp(y->anchors[i].name, name) == 0) return y->anchors[i].node;
    }
}

/* A later anchor of the same name replaces the earlier one (YAML 1.2 §3.2.2.2). */
static int anchor_set(Yaml *y, const char *name, DataNode *node)
{
    if ((y->an + 1) * 2 > y->acap) {
        size_t ncap = y->acap ? y->acap * 2 : 16;
        Anchor *na = np_calloc(ncap, sizeof *na);
        if (!na) { oom(y->c); return 0; }
        for (size_t i = 0; i < y->acap; i++) {
            if (!y->anchors[i].name) continue;
            size_t k = hash_str(y->anchors[i].name) & (ncap - 1);
            while (na[k].name) k = (k + 1) & (ncap - 1);
            na[k] = y->anchors[i];
        }
        np_free(y->anchors);
        y->anchors = na;
        y->acap = ncap;
    }
    size_t k = hash_str(name) & (y->acap - 1);
    while (y->anchors[k].name && strcmp(y->anchors[k].name, name) != 0) k = (k + 1) & (y->acap - 1);
    if (!y->anchors[k].name) y->an++;
    y->anchors[k].name = name;
    y->anchors[k].node = node;
    return 1;
}

static int yaml_anchor(Yaml *y, const yaml_char_t *anchor, DataNode *node)
{
    if (!anchor) return 1;
    char *name = arena_strdup(y->c->arena, (const char *)anchor);
    if (!name) { oom(y->c); return 0; }
    return anchor_set(y, name, node);
}

static int ieq(const char *s, size_t n, const char *w) { return strlen(w) == n && memcmp(s, w, n) == 0; }

static int all_in(const char *s, size_t n, const char *set)
{
    if (!n) return 0;
    for (size_t i = 0; i < n; i++)
        if (!strchr(set, s[i]) || !s[i]) return 0;
    return 1;
}

/* YAML 1.2.2 core schema (§10.3.2) resolution of a plain scalar. */
static void yaml_resolve_plain(DataNode *n)
{
    const char *s = n->text;
    size_t len = n->text_len;
    if (len == 0 || ieq(s, len, "~") || ieq(s, len, "null") || ieq(s, len, "Null") || ieq(s, len, "NULL")) {
        n->kind = DATA_NULL;
        return;
    }
    if (ieq(s, len, "true") || ieq(s, len, "True") || ieq(s, len, "TRUE")) {
        n->kind = DATA_BOOL;
        n->boolean = 1;
        return;
    }
    if (ieq(s, len, "false") || ieq(s, len, "False") || ieq(s, len, "FALSE")) {
        n->kind = DATA_BOOL;
        return;
    }
    if (memchr(s, '\0', len)) return;   /* cannot be a number */
    size_t sign = (s[0] == '+' || s[0] == '-') ? 1 : 0;
    /* integers: [-+]?[0-9]+, 0o[0-7]+, 0x[0-9a-fA-F]+ */
    int base = 0;
    const char *digits = NULL;
    if (all_in(s + sign, len - sign, "0123456789")) { base = 10; digits = s; }
    else if (len > 2 && s[0] == '0' && s[1] == 'o' && all_in(s + 2, len - 2, "01234567")) { base = 8; digits = s + 2; }
    else if (len > 2 && s[0] == '0' && s[1] == 'x' && all_in(s + 2, len - 2, "0123456789abcdefABCDEF")) { base = 16; digits = s + 2; }
    if (base) {
        errno = 0;
        long long v = strtoll(digits, NULL, base);
        n->number = base == 10 ? strtod(s, NULL) : (double)strtoull(digits, NULL, base);
        if (errno == ERANGE) {
            n->kind = DATA_FLOAT;       /* out of int64: keep the double */
        } else {
            n->kind = DATA_INT;
            n->integer = v;
            n->number = (double)v;
        }
        return;
    }
    /* floats: [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?, .inf, .nan */
    const char *r = s + sign;
    size_t rl = len - sign;
    if (ieq(r, rl, ".inf") || ieq(r, rl, ".Inf") || ieq(r, rl, ".INF")) {
        n->kind = DATA_FLOAT;
        n->number = s[0] == '-' ? -INFINITY : INFINITY;
        return;
    }
    if (!sign && (ieq(s, len, ".nan") || ieq(s, len, ".NaN") || ieq(s, len, ".NAN"))) {
        n->kind = DATA_FLOAT;
        n->number = NAN;
        return;
    }
    size_t i = 0, intd = 0, fracd = 0;
    while (i < rl && is_digit(r[i])) { i++; intd++; }
    if (i < rl && r[i] == '.') {
        i++;
        while (i < rl && is_digit(r[i])) { i++; fracd++; }
        if (!intd && !fracd) return;
    } else if (!intd) {
        return;
    }
    if (!intd && !fracd) return;
    if (i < rl && (r[i] == 'e' || r[i] == 'E')) {
        i++;
        if (i < rl && (r[i] == '+' || r[i] == '-')) i++;
        size_t ed = 0;
        while (i < rl && is_digit(r[i])) { i++; ed++; }
        if (!ed) return;
    }
    if (i != rl) return;
    n->kind = DATA_FLOAT;
    n->number = strtod(s, NULL);
}

static int frame_push(Yaml *y, DataNode *node, int flow, const yaml_char_t *anchor)
{
    Ctx *c = y->c;
    Frame *nf = np_grow(y->frames, y->nf, &y->fcap, sizeof *nf, 16);
    if (!nf) { oom(c); return 0; }
    y->frames = nf;
    Frame *f = &y->frames[y->nf++];
    memset(f, 0, sizeof *f);
    f->node = node;
    f->base = c->sn;
    f->flow = flow;
    if (anchor) {
        f->anchor = arena_strdup(c->arena, (const char *)anchor);
        if (!f->anchor) { oom(c); return 0; }
    }
    return 1;
}

/* Hands a finished node to the enclosing collection (or makes it the root). */
static int yaml_add(Yaml *y, DataNode *node)
{
    Ctx *c = y->c;
    if (y->nf == 0) {
        y->root = node;
        return 1;
    }
    Frame *f = &y->frames[y->nf - 1];
    if (f->node->kind == DATA_ARRAY) {
        DataMember m = {0};
        m.value = node;
        add_weight(f->node, node->weight);
        return push_member(c, &m);
    }
    if (!f->have_key) {
        if (node->kind == DATA_ARRAY || node->kind == DATA_OBJECT) {
            set_error(c, DATA_ESYNTAX, node->start, "mapping keys that are collections are not supported");
            return 0;
        }
        memset(&f->pending, 0, sizeof f->pending);
        f->pending.key = node->text ? node->text : "";
        f->pending.key_len = node->text ? node->text_len : 0;
        f->pending.key_start = node->start;
        f->pending.key_end = node->end;
        f->have_key = 1;
        return 1;
    }
    f->pending.value = node;
    f->have_key = 0;
    add_weight(f->node, node->weight);
    return push_member(c, &f->pending);
}

static void yaml_error(Yaml *y, yaml_parser_t *p)
{
    Ctx *c = y->c;
    if (p->error == YAML_MEMORY_ERROR) { oom(c); return; }
    const char *problem = p->problem ? p->problem : "invalid YAML";
    if (p->error == YAML_READER_ERROR) {
        size_t off = p->problem_offset > c->len ? c->len : p->problem_offset;
        if (p->problem_value != -1)
            set_error(c, DATA_ESYNTAX, off, "%s (#%X)", problem, (unsigned)p->problem_value);
        else
            set_error(c, DATA_ESYNTAX, off, "%s", problem);
        return;
    }
    size_t off = mark_off(y, p->problem_mark.index);
    if (p->context) {
        unsigned cl, cc;
        data_linecol(c->text, c->len, mark_off(y, p->context_mark.index), &cl, &cc);
        set_error(c, DATA_ESYNTAX, off, "%s (%s at %u:%u)", problem, p->context, cl, cc);
    } else {
        set_error(c, DATA_ESYNTAX, off, "%s", problem);
    }
}

static int scalar_is_str_tag(const yaml_char_t *tag)
{
    return tag && (strcmp((const char *)tag, "!") == 0 ||
                   strcmp((const char *)tag, YAML_STR_TAG) == 0);
}

static int yaml_event(Yaml *y, yaml_event_t *ev, int *ndocs)
{
    Ctx *c = y->c;
    size_t s = mark_off(y, ev->start_mark.index);
    size_t e = mark_off(y, ev->end_mark.index);
    switch (ev->type) {
    case YAML_DOCUMENT_START_EVENT:
        if (++*ndocs > 1) {
            set_error(c, DATA_ESYNTAX, s, "more than one YAML document in the stream");
            return 0;
        }
        return 1;
    case YAML_SCALAR_EVENT: {
        DataNode *n = new_node(c, DATA_STRING, s, e);
        if (!n) return 0;
        char *txt = arena_strndup(c->arena, (const char *)ev->data.scalar.value, ev->data.scalar.length);
        if (!txt) { oom(c); return 0; }
        n->text = txt;
        n->text_len = ev->data.scalar.length;
        if (ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE && !scalar_is_str_tag(ev->data.scalar.tag))
            yaml_resolve_plain(n);
        if (n->kind == DATA_NULL && n->text_len == 0) n->end = n->start;
        if (!yaml_anchor(y, ev->data.scalar.anchor, n)) return 0;
        return yaml_add(y, n);
    }
    case YAML_SEQUENCE_START_EVENT:
    case YAML_MAPPING_START_EVENT: {
        int is_map = ev->type == YAML_MAPPING_START_EVENT;
        if (y->nf + 1 > DATA_MAX_DEPTH) {
            set_error(c, DATA_ELIMIT, s, "nesting deeper than %d levels", DATA_MAX_DEPTH);
            return 0;
        }
        DataNode *n = new_node(c, is_map ? DATA_OBJECT : DATA_ARRAY, s, e);
        if (!n) return 0;
        int flow = is_map ? ev->data.mapping_start.style == YAML_FLOW_MAPPING_STYLE
                          : ev->data.sequence_start.style == YAML_FLOW_SEQUENCE_STYLE;
        return frame_push(y, n, flow, is_map ? ev->data.mapping_start.anchor : ev->data.sequence_start.anchor);
    }
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT: {
        Frame f = y->frames[--y->nf];
        DataNode *n = f.node;
        /* A block collection's end event sits at the next token (possibly
         * lines later); its real end is the end of its last child. */
        if (f.flow) n->end = e;
        else if (c->sn > f.base) n->end = c->stk[c->sn - 1].value->end;
        if (n->end < n->start) n->end = n->start;
        if (!close_container(c, n, f.base)) return 0;
        if (f.anchor && !anchor_set(y, f.anchor, n)) return 0;
        return yaml_add(y, n);
    }
    case YAML_ALIAS_EVENT: {
        const char *name = (const char *)ev->data.alias.anchor;
        DataNode *target = anchor_find(y, name);
        if (!target) {
            set_error(c, DATA_ESYNTAX, s, "alias '*%s' refers to an unknown anchor", name);
            return 0;
        }
        c->alias_total += target->weight;
        if (target->weight > DATA_MAX_ALIAS_EXPANSION || c->alias_total > DATA_MAX_ALIAS_EXPANSION) {
            set_error(c, DATA_ELIMIT, s, "aliases expand to more than %u nodes", DATA_MAX_ALIAS_EXPANSION);
            return 0;
        }
        DataNode *n = new_node(c, target->kind, s, e);
        if (!n) return 0;
        DataNode keep = *n;
        *n = *target;
        n->start = keep.start;
        n->end = keep.end;
        n->alias_of = target->alias_of ? target->alias_of : target;
        return yaml_add(y, n);
    }
    default:
        return 1;
    }
}

static DataNode *parse_yaml(Ctx *c)
{
    Yaml y;
    memset(&y, 0, sizeof y);
    y.c = c;
    y.ascii = 1;
    for (size_t i = 0; i < c->len; i++)
        if ((unsigned char)c->text[i] >= 0x80) { y.ascii = 0; break; }
    if (c->len >= 3 && memcmp(c->text, "\xEF\xBB\xBF", 3) == 0) y.bom = 3;
    y.bi = y.bom;

    yaml_parser_t p;
    if (!yaml_parser_initialize(&p)) { oom(c); return NULL; }
    yaml_parser_set_input_string(&p, (const unsigned char *)c->text, c->len);
    int ndocs = 0, done = 0;
    while (!done && c->rc == DATA_OK) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&p, &ev)) {
            yaml_error(&y, &p);
            break;
        }
        done = ev.type == YAML_STREAM_END_EVENT;
        yaml_event(&y, &ev, &ndocs);
        yaml_event_delete(&ev);
    }
    yaml_parser_delete(&p);
    np_free(y.frames);
    np_free(y.anchors);
    if (c->rc != DATA_OK) return NULL;
    if (!y.root) {   /* empty stream: a null document */
        y.root = new_node(c, DATA_NULL, c->len, c->len);
        if (y.root) { y.root->text = ""; }
    }
    return y.root;
}

/* ------------------------------------------------------------------------ */
/* entry points                                                              */

static DataNode *parse_with(Ctx *c, DataFormat fmt)
{
    return fmt == DATA_JSON ? parse_json(c) : parse_yaml(c);
}

static void ctx_reset(Ctx *c)
{
    np_free(c->msg);
    c->msg = NULL;
    c->rc = DATA_OK;
    c->sn = 0;
    c->depth = 0;
    c->alias_total = 0;
}

static DataFormat guess_format(const char *t, size_t len)
{
    size_t i = 0;
    if (len >= 3 && memcmp(t, "\xEF\xBB\xBF", 3) == 0) i = 3;
    while (i < len && (t[i] == ' ' || t[i] == '\t' || t[i] == '\n' || t[i] == '\r')) i++;
    return (i < len && (t[i] == '{' || t[i] == '[')) ? DATA_JSON : DATA_YAML;
}

int data_parse_at(const char *text, size_t len, DataFormat fmt, DataDoc **out,
                  char **err, size_t *err_offset)
{
    *out = NULL;
    if (err) *err = NULL;
    if (err_offset) *err_offset = 0;
    Ctx c;
    memset(&c, 0, sizeof c);
    c.text = text ? text : "";
    c.len = text ? len : 0;
    DataDoc *doc = np_calloc(1, sizeof *doc);
    if (doc) doc->arena = arena_new();
    if (!doc || !doc->arena) {
        np_free(doc);
        if (err) *err = np_strdup("out of memory");
        return DATA_ENOMEM;
    }
    c.arena = doc->arena;
    DataFormat use = fmt == DATA_AUTO ? guess_format(c.text, c.len) : fmt;
    DataNode *root = parse_with(&c, use);
    if (!root && fmt == DATA_AUTO && use == DATA_JSON && c.rc == DATA_ESYNTAX) {
        /* JSON-looking text that is not JSON may still be YAML flow style
         * ({a: 1}); if YAML fails as well, the JSON message is the useful one. */
        Ctx j = c;
        c.msg = NULL;
        ctx_reset(&c);
        root = parse_with(&c, DATA_YAML);
        if (root) {
            np_free(j.msg);
            use = DATA_YAML;
        } else {
            np_free(c.msg);
            c.msg = j.msg;
            c.rc = j.rc;
            c.err_off = j.err_off;
        }
    }
    np_free(c.stk);
    if (!root) {
        int rc = c.rc != DATA_OK ? c.rc : DATA_ENOMEM;
        if (err) *err = c.msg;
        else np_free(c.msg);
        if (err_offset) *err_offset = c.err_off;
        data_doc_free(doc);
        return rc;
    }
    doc->root = root;
    doc->format = use;
    *out = doc;
    return DATA_OK;
}

int data_parse(const char *text, size_t len, DataFormat fmt, DataDoc **out, char **err)
{
    return data_parse_at(text, len, fmt, out, err, NULL);
}

void data_doc_free(DataDoc *doc)
{
    if (!doc) return;
    arena_free(doc->arena);
    np_free(doc);
}

static void wipe_node(DataNode *n)
{
    if (!n || n->alias_of) return;   /* aliases share the anchored node's memory */
    /* JSON null/true/false point at static literals; everything else is ours */
    if ((n->kind == DATA_STRING || n->kind == DATA_INT || n->kind == DATA_FLOAT) && n->text_len)
        memset((char *)n->text, 0, n->text_len);
    if (n->kind == DATA_ARRAY)
        for (size_t i = 0; i < n->len; i++) wipe_node(n->items[i]);
    if (n->kind == DATA_OBJECT)
        for (size_t i = 0; i < n->len; i++) {
            if (n->members[i].key_len) memset((char *)n->members[i].key, 0, n->members[i].key_len);
            wipe_node(n->members[i].value);
        }
}

void data_doc_wipe(DataDoc *doc)
{
    if (doc) wipe_node(doc->root);
}

/* ------------------------------------------------------------------------ */
/* lookups                                                                   */

const DataMember *data_get_member(const DataNode *node, const char *key)
{
    if (!node || node->kind != DATA_OBJECT || !key) return NULL;
    size_t kl = strlen(key);
    for (size_t i = node->len; i-- > 0;) {
        const DataMember *m = &node->members[i];
        if (m->key_len == kl && memcmp(m->key, key, kl) == 0) return m;
    }
    return NULL;
}

DataNode *data_get(const DataNode *node, const char *key)
{
    const DataMember *m = data_get_member(node, key);
    return m ? m->value : NULL;
}

DataNode *data_at(const DataNode *node, size_t i)
{
    if (!node || node->kind != DATA_ARRAY || i >= node->len) return NULL;
    return node->items[i];
}

DataNode *data_path(const DataNode *node, const char *path)
{
    if (!node || !path) return NULL;
    DataNode *cur = (DataNode *)node;
    const char *p = path;
    while (cur) {
        const char *dot = strchr(p, '.');
        size_t n = dot ? (size_t)(dot - p) : strlen(p);
        if (cur->kind == DATA_ARRAY) {
            if (n == 0 || n > 18 || !all_in(p, n, "0123456789")) return NULL;
            size_t idx = 0;
            for (size_t i = 0; i < n; i++) idx = idx * 10 + (size_t)(p[i] - '0');
            cur = data_at(cur, idx);
        } else if (cur->kind == DATA_OBJECT) {
            DataNode *next = NULL;
            for (size_t i = cur->len; i-- > 0;) {
                const DataMember *m = &cur->members[i];
                if (m->key_len == n && memcmp(m->key, p, n) == 0) { next = m->value; break; }
            }
            cur = next;
        } else {
            return NULL;
        }
        if (!dot) return cur;
        p = dot + 1;
    }
    return NULL;
}

int data_is(const DataNode *node, DataKind kind) { return node && node->kind == kind; }

int data_bool(const DataNode *node, int *out)
{
    if (!data_is(node, DATA_BOOL)) return 0;
    *out = node->boolean;
    return 1;
}

int data_int(const DataNode *node, long long *out)
{
    if (!data_is(node, DATA_INT)) return 0;
    *out = node->integer;
    return 1;
}

int data_float(const DataNode *node, double *out)
{
    if (!data_is(node, DATA_FLOAT) && !data_is(node, DATA_INT)) return 0;
    *out = node->number;
    return 1;
}

const char *data_str(const DataNode *node)
{
    return data_is(node, DATA_STRING) ? node->text : NULL;
}

const char *data_get_str(const DataNode *node, const char *key)
{
    return data_str(data_get(node, key));
}

const char *data_kind_name(DataKind kind)
{
    switch (kind) {
    case DATA_NULL: return "null";
    case DATA_BOOL: return "boolean";
    case DATA_INT: return "integer";
    case DATA_FLOAT: return "number";
    case DATA_STRING: return "string";
    case DATA_ARRAY: return "array";
    case DATA_OBJECT: return "object";
    }
    return "?";
}
