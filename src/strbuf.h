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
/* JSON string literal with quotes, escaping per RFC 8259; C0 and C1 control
 * characters and DEL become \u escapes, and bytes that are not valid UTF-8
 * become U+FFFD, so the output is always valid UTF-8 JSON. */
void strbuf_json_str(StrBuf *b, const char *s, size_t n);

/* One character of UTF-8 text at s (n > 0 bytes available): returns its code
 * point and sets *len to its byte length, or returns -1 with *len = 1 for a
 * byte that does not start a valid, shortest-form sequence. */
long utf8_decode(const char *s, size_t n, size_t *len);
/* 1 for the code points a terminal or log viewer would act on instead of
 * showing: C0 controls, DEL and C1 controls. */
int utf8_is_control(long cp);
/* Appends text for a terminal, a log or a GitHub annotation: control
 * characters become visible escapes (ESC -> \x1b, U+0085 -> \u0085), CR
 * and LF become a space (one line per message), a tab stays a tab when
 * keep_tab and is escaped otherwise, invalid UTF-8 becomes U+FFFD. Returns
 * the number of columns appended (characters, an escape counting its length). */
size_t strbuf_put_visible(StrBuf *b, const char *s, size_t n, int keep_tab);
const char *strbuf_cstr(StrBuf *b);      /* "" when empty */
char *strbuf_take(StrBuf *b);            /* caller frees with np_free */
void strbuf_free(StrBuf *b);
int  strbuf_failed(const StrBuf *b);

#endif
