/* dump — debug dumps used by `nf-preflight parse` and the golden tests: one line per
 * node (kind, span, operator, text, flags), indented by depth, or one line
 * per token of the lossless lexer (line:col kind text). Both print a node or
 * token that overlaps a span redact_mask_source marks (a secret-named
 * option's string, a token-shaped literal, a URL password) as
 * SECRET_REDACTED. */
#ifndef NFP_DUMP_H
#define NFP_DUMP_H
#include "source.h"
#include "strbuf.h"
#include "syntax.h"

void dump_tree(StrBuf *out, const Source *src, const Node *root);
void dump_tokens(StrBuf *out, const Source *src);

#endif
