/* text — LSP positions and document text: converting {line, character}
 * (character counted in UTF-16 code units by default, or in bytes when the
 * client and server agreed on UTF-8) to byte offsets and back, applying
 * incremental edits, and `file://` URIs to paths and back.
 *
 * Lines end at LF, CRLF or a lone CR (as the LSP says, and as source.c
 * counts them). Positions past the end of a line clamp to its end and lines
 * past the end of the text clamp to its end, as the LSP asks of servers.
 * Invalid UTF-8 counts one unit per byte. */
#ifndef NFP_LSP_TEXT_H
#define NFP_LSP_TEXT_H
#include <stddef.h>

typedef enum PosEncoding { POS_UTF16 = 0, POS_UTF8 } PosEncoding;

/* Byte offset of (line, character) in text[0, len). */
size_t text_offset(const char *text, size_t len, unsigned long line, unsigned long character, PosEncoding enc);
/* Line and character of byte offset `off` (clamped to len). */
void text_position(const char *text, size_t len, size_t off, PosEncoding enc, unsigned long *line,
                   unsigned long *character);

/* Replaces bytes [start, end) of *text (length *len, np_malloc'd,
 * NUL-terminated) by repl[0, rlen). 0, or -1 when memory ran out (the text
 * is then unchanged). */
int text_splice(char **text, size_t *len, size_t start, size_t end, const char *repl, size_t rlen);

/* Path of a file:// URI (percent-decoded, np_malloc'd), or NULL when the URI
 * is not a local file or decodes to something unusable (a NUL byte). */
char *uri_to_path(const char *uri);
/* file:// URI of an absolute path (np_malloc'd), percent-encoding what RFC
 * 3986 does not allow in a path. NULL when memory ran out. */
char *path_to_uri(const char *path);

#endif
