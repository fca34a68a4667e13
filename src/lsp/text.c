#include "lsp/text.h"
#include "alloc.h"
#include "strbuf.h"
#include <string.h>

/* Length in bytes of the UTF-8 sequence at s[0, n) (n > 0) and its UTF-16
 * width (two outside the BMP: a surrogate pair); a byte that starts no
 * well-formed sequence is one byte of width one. */
static size_t utf8_step(const char *s, size_t n, unsigned *width16)
{
    size_t step;
    *width16 = utf8_decode(s, n, &step) >= 0x10000 ? 2 : 1;
    return step;
}

/* Byte offset where line `line` starts (len when there are fewer lines). */
static size_t line_start(const char *text, size_t len, unsigned long line)
{
    size_t i = 0;
    while (line && i < len) {
        char c = text[i++];
        if (c == '\n') line--;
        else if (c == '\r') {
            if (i < len && text[i] == '\n') i++;
            line--;
        }
    }
    return line ? len : i;
}

size_t text_offset(const char *text, size_t len, unsigned long line, unsigned long character, PosEncoding enc)
{
    size_t i = line_start(text, len, line);
    unsigned long units = 0;
    while (i < len && units < character && text[i] != '\n' && text[i] != '\r') {
        unsigned w;
        size_t step = utf8_step(text + i, len - i, &w);
        if (enc == POS_UTF8) w = (unsigned)step;
        if (units + w > character) break;     /* inside a character: stay before it */
        units += w;
        i += step;
    }
    return i;
}

void text_position(const char *text, size_t len, size_t off, PosEncoding enc, unsigned long *line,
                   unsigned long *character)
{
    if (off > len) off = len;
    unsigned long ln = 0;
    size_t start = 0;
    for (size_t i = 0; i < off; i++) {
        if (text[i] == '\n' || (text[i] == '\r' && !(i + 1 < len && text[i + 1] == '\n'))) {
            ln++;
            start = i + 1;
        }
    }
    /* an offset between CR and LF counts as the end of that line */
    unsigned long units = 0;
    for (size_t i = start; i < off;) {
        if (text[i] == '\r') break;
        unsigned w;
        size_t step = utf8_step(text + i, len - i, &w);
        if (i + step > off) step = off - i;
        units += enc == POS_UTF8 ? step : w;
        i += step;
    }
    *line = ln;
    *character = units;
}

int text_splice(char **text, size_t *len, size_t start, size_t end, const char *repl, size_t rlen)
{
    if (end > *len) end = *len;
    if (start > end) start = end;
    size_t nlen = *len - (end - start) + rlen;
    char *n = np_malloc(nlen + 1);
    if (!n) return -1;
    memcpy(n, *text, start);
    if (rlen) memcpy(n + start, repl, rlen);
    memcpy(n + start + rlen, *text + end, *len - end);
    n[nlen] = '\0';
    np_free(*text);
    *text = n;
    *len = nlen;
    return 0;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

char *uri_to_path(const char *uri)
{
    static const char scheme[] = "file://";
    if (!uri || strncmp(uri, scheme, sizeof scheme - 1)) return NULL;
    const char *p = uri + sizeof scheme - 1;
    if (strncmp(p, "localhost/", 10) == 0) p += 9;
    if (*p != '/') return NULL;                  /* file://host/... is not local */
    size_t n = strlen(p);
    char *out = np_malloc(n + 1);
    if (!out) return NULL;
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        if (p[i] == '?' || p[i] == '#') break;
        if (p[i] == '%' && i + 2 < n + 0 && hexval(p[i + 1]) >= 0 && hexval(p[i + 2]) >= 0) {
            char c = (char)(hexval(p[i + 1]) * 16 + hexval(p[i + 2]));
            if (c == '\0') { np_free(out); return NULL; }
            out[o++] = c;
            i += 2;
        } else {
            out[o++] = p[i];
        }
    }
    out[o] = '\0';
    return out;
}

char *path_to_uri(const char *path)
{
    StrBuf b = STRBUF_INIT;
    strbuf_puts(&b, "file://");
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        unsigned char c = *p;
        int plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    strchr("/-._~!$&'()*+,;=:@", c);
        if (plain) strbuf_putc(&b, (char)c);
        else strbuf_printf(&b, "%%%02X", c);
    }
    char *r = strbuf_failed(&b) ? NULL : strbuf_take(&b);
    strbuf_free(&b);
    return r;
}
