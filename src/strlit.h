/* strlit — the text of a Groovy string literal's body (nextflow-config.md
 * §1.4): backslash escapes of quoted strings ('…', "…", '''…''', """…"""),
 * the `\/` of slashy strings and the `$$` / `$/` of dollar-slashy strings.
 * The lexer decides where a literal starts and ends and the parser builds the
 * node; this module only turns the bytes between the delimiters into the
 * string's value. Invalid escapes are reported through a callback and kept
 * as written, so decoding never fails (except for memory, in the StrBuf). */
#ifndef NFP_STRLIT_H
#define NFP_STRLIT_H
#include <stddef.h>
#include "strbuf.h"

/* Receives one malformed escape: the byte span of `\x` and a message. */
typedef void (*StrLitError)(void *ctx, size_t start, size_t end, const char *msg);

/* Appends the decoded body text[start, end) of a quoted string to out.
 * `triple`: a triple-quoted string, whose CR bytes are dropped. */
void strlit_decode_quoted(StrBuf *out, const char *text, size_t start, size_t end, int triple,
                          StrLitError error, void *ctx);
/* Slashy string body /…/: `\/` is a slash, every other byte is itself. */
void strlit_decode_slashy(StrBuf *out, const char *text, size_t start, size_t end);
/* Dollar-slashy body $/…/$: `$$` is a dollar and `$/` a slash. */
void strlit_decode_dollar_slashy(StrBuf *out, const char *text, size_t start, size_t end);

#endif
