#include "strbuf.h"
#include "alloc.h"
#include <stdio.h>
#include <string.h>

static int grow(StrBuf *b, size_t extra)
{
    if (b->failed) return 0;
    if (b->len + extra + 1 <= b->cap) return 1;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->len + extra + 1) {
        if (cap > ((size_t)-1) / 2) { b->failed = 1; return 0; }
        cap *= 2;
    }
    char *p = np_realloc(b->data, cap);
    if (!p) { b->failed = 1; return 0; }
    b->data = p;
    b->cap = cap;
    return 1;
}

void strbuf_append(StrBuf *b, const char *s, size_t n)
{
    if (!grow(b, n)) return;
    if (n) memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void strbuf_puts(StrBuf *b, const char *s) { strbuf_append(b, s, strlen(s)); }
void strbuf_putc(StrBuf *b, char c) { strbuf_append(b, &c, 1); }

void strbuf_vprintf(StrBuf *b, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0 || !grow(b, (size_t)n)) return;
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
}

void strbuf_printf(StrBuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    strbuf_vprintf(b, fmt, ap);
    va_end(ap);
}

void strbuf_put_utf8(StrBuf *b, unsigned long cp)
{
    char u[4];
    size_t n;
    if (cp < 0x80) { u[0] = (char)cp; n = 1; }
    else if (cp < 0x800) {
        u[0] = (char)(0xC0 | (cp >> 6)); u[1] = (char)(0x80 | (cp & 0x3F)); n = 2;
    } else if (cp < 0x10000) {
        u[0] = (char)(0xE0 | (cp >> 12)); u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[2] = (char)(0x80 | (cp & 0x3F)); n = 3;
    } else {
        u[0] = (char)(0xF0 | (cp >> 18)); u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        u[2] = (char)(0x80 | ((cp >> 6) & 0x3F)); u[3] = (char)(0x80 | (cp & 0x3F)); n = 4;
    }
    strbuf_append(b, u, n);
}

long utf8_decode(const char *s, size_t n, size_t *len)
{
    const unsigned char *u = (const unsigned char *)s;
    *len = 1;
    if (u[0] < 0x80) return u[0];
    size_t need;
    long cp, min;
    if (u[0] >= 0xC2 && u[0] <= 0xDF) { need = 2; cp = u[0] & 0x1F; min = 0x80; }
    else if (u[0] >= 0xE0 && u[0] <= 0xEF) { need = 3; cp = u[0] & 0x0F; min = 0x800; }
    else if (u[0] >= 0xF0 && u[0] <= 0xF4) { need = 4; cp = u[0] & 0x07; min = 0x10000; }
    else return -1;
    if (n < need) return -1;
    for (size_t i = 1; i < need; i++) {
        if ((u[i] & 0xC0) != 0x80) return -1;
        cp = (cp << 6) | (u[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return -1;
    *len = need;
    return cp;
}

int utf8_is_control(long cp)
{
    return (cp >= 0 && cp < 0x20) || (cp >= 0x7F && cp <= 0x9F);
}

void strbuf_json_str(StrBuf *b, const char *s, size_t n)
{
    strbuf_putc(b, '"');
    size_t run = 0, i = 0;
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        size_t len = 1;
        long cp = c < 0x80 ? c : utf8_decode(s + i, n - i, &len);
        const char *esc = NULL;
        char tmp[8];
        switch (cp) {
        case '"':  esc = "\\\""; break;
        case '\\': esc = "\\\\"; break;
        case '\n': esc = "\\n"; break;
        case '\r': esc = "\\r"; break;
        case '\t': esc = "\\t"; break;
        case '\b': esc = "\\b"; break;
        case '\f': esc = "\\f"; break;
        case -1:   esc = "\\ufffd"; break;
        default:
            if (utf8_is_control(cp)) {
                snprintf(tmp, sizeof tmp, "\\u%04x", (unsigned)(cp & 0xFFFF));
                esc = tmp;
            }
        }
        if (esc) {
            strbuf_append(b, s + i - run, run);
            run = 0;
            strbuf_puts(b, esc);
        } else {
            run += len;
        }
        i += len;
    }
    strbuf_append(b, s + n - run, run);
    strbuf_putc(b, '"');
}

size_t strbuf_put_visible(StrBuf *b, const char *s, size_t n, int keep_tab)
{
    size_t run = 0, i = 0, cols = 0;
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        size_t len = 1;
        long cp = c >= 0x20 && c < 0x7F ? c : utf8_decode(s + i, n - i, &len);
        char tmp[8];
        const char *out = NULL;
        if (cp == '\n' || cp == '\r') out = " ";
        else if (cp == '\t' && keep_tab) out = NULL;
        else if (cp == -1) out = "\xEF\xBF\xBD";
        else if (cp < 0x80 && utf8_is_control(cp)) { snprintf(tmp, sizeof tmp, "\\x%02x", (unsigned)(cp & 0xFF)); out = tmp; }
        else if (utf8_is_control(cp)) { snprintf(tmp, sizeof tmp, "\\u%04x", (unsigned)(cp & 0xFFFF)); out = tmp; }
        if (out) {
            strbuf_append(b, s + i - run, run);
            run = 0;
            strbuf_puts(b, out);
            cols += cp == -1 ? 1 : strlen(out);
        } else {
            run += len;
            cols++;
        }
        i += len;
    }
    strbuf_append(b, s + n - run, run);
    return cols;
}

const char *strbuf_cstr(StrBuf *b) { return b->data && !b->failed ? b->data : ""; }

char *strbuf_take(StrBuf *b)
{
    char *p = b->failed ? NULL : b->data;
    if (b->failed) np_free(b->data);
    else if (!p) p = np_strdup("");
    b->data = NULL;
    b->len = b->cap = 0;
    b->failed = 0;
    return p;
}

void strbuf_free(StrBuf *b)
{
    np_free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
    b->failed = 0;
}

int strbuf_failed(const StrBuf *b) { return b->failed; }
