/* strlit — decoding string literal bodies (strlit.h). */
#include "strlit.h"
#include <stdio.h>

static int hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

void strlit_decode_quoted(StrBuf *b, const char *s, size_t i, size_t end, int triple,
                          StrLitError error, void *ctx)
{
    while (i < end) {
        /* copy the run up to the next backslash (or CR in triple strings) at once */
        size_t run = i;
        while (run < end && s[run] != '\\' && !(triple && s[run] == '\r')) run++;
        if (run > i) { strbuf_append(b, s + i, run - i); i = run; continue; }
        char c = s[i];
        if (c == '\r' && triple) { i++; continue; }
        if (c != '\\' || i + 1 >= end) { strbuf_putc(b, c); i++; continue; }
        char e = s[i + 1];
        i += 2;
        switch (e) {
        case 'n': strbuf_putc(b, '\n'); break;
        case 't': strbuf_putc(b, '\t'); break;
        case 'b': strbuf_putc(b, '\b'); break;
        case 'f': strbuf_putc(b, '\f'); break;
        case 'r': strbuf_putc(b, '\r'); break;
        case 's': strbuf_putc(b, ' '); break;
        case '"': case '\'': case '\\': case '$': case '/': strbuf_putc(b, e); break;
        case '\n': break;                       /* line continuation inside a string */
        case '\r': if (i < end && s[i] == '\n') i++; break;
        case 'u': {
            unsigned cp = 0;
            int ok = 1;
            while (i < end && s[i] == 'u') i++;  /* Java allows \uuuu0041 */
            for (int k = 0; k < 4; k++) {
                int h = i + (size_t)k < end ? hexval(s[i + (size_t)k]) : -1;
                if (h < 0) { ok = 0; break; }
                cp = cp * 16 + (unsigned)h;
            }
            if (!ok) {
                error(ctx, i - 2, i, "invalid unicode escape");
                break;
            }
            i += 4;
            strbuf_put_utf8(b, cp);
            break;
        }
        default:
            if (e >= '0' && e <= '7') {
                unsigned v = (unsigned)(e - '0');
                int max = e <= '3' ? 2 : 1;
                for (int k = 0; k < max && i < end && s[i] >= '0' && s[i] <= '7'; k++, i++)
                    v = v * 8 + (unsigned)(s[i] - '0');
                strbuf_put_utf8(b, v);
            } else {
                /* Groovy rejects unknown escapes; keep the text and say so. */
                char msg[80];
                snprintf(msg, sizeof msg, "invalid escape sequence '\\%c' (use '\\\\' for a backslash)",
                         (unsigned char)e >= 0x20 ? e : '?');
                error(ctx, i - 2, i, msg);
                strbuf_putc(b, '\\');
                strbuf_putc(b, e);
            }
        }
    }
}

void strlit_decode_slashy(StrBuf *b, const char *s, size_t i, size_t end)
{
    for (; i < end; i++) {
        if (s[i] == '\\' && i + 1 < end && s[i + 1] == '/') { strbuf_putc(b, '/'); i++; }
        else strbuf_putc(b, s[i]);
    }
}

void strlit_decode_dollar_slashy(StrBuf *b, const char *s, size_t i, size_t end)
{
    for (; i < end; i++) {
        if (s[i] == '$' && i + 1 < end && (s[i + 1] == '$' || s[i + 1] == '/')) {
            strbuf_putc(b, s[i + 1]);
            i++;
        } else {
            strbuf_putc(b, s[i]);
        }
    }
}
