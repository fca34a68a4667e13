/* strbuf — a growable byte buffer for building output and patched text.
 * Once an allocation fails the buffer stays "failed": appends become no-ops and
 * strbuf_failed() tells the caller, so long chains of appends need one check. */
#ifndef NFP_STRBUF_H
#define NFP_STRBUF_H
#include <stdarg.h>
#include <stddef.h>

typedef struct StrBuf {
    char  *data;   /* always NUL-terminated when len > 0 or after strbuf_cstr */
    size_t len, cap;
    int    failed;
} StrBuf;

#define STRBUF_INIT {0, 0, 0, 0}

void strbuf_append(StrBuf *b, const char *s, size_t n);
void strbuf_puts(StrBuf *b, const char *s);
void strbuf_putc(StrBuf *b, char c);
void strbuf_printf(StrBuf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
void strbuf_vprintf(StrBuf *b, const char *fmt, va_list ap);
/* Appends code point cp (up to U+10FFFF) encoded as UTF-8. */
void strbuf_put_utf8(StrBuf *b, unsigned long cp);
/* JSON string literal with quotes, escaping per RFC 8259. */
void strbuf_json_str(StrBuf *b, const char *s, size_t n);
const char *strbuf_cstr(StrBuf *b);      /* "" when empty */
char *strbuf_take(StrBuf *b);            /* caller frees with np_free */
void strbuf_free(StrBuf *b);
int  strbuf_failed(const StrBuf *b);

#endif
