/* parse — recursive-descent parser for Nextflow config text, following
 * grammar/nextflow-config.ebnf production by production.
 *
 * One parser accepts the strict (v2) grammar and the legacy Groovy constructs
 * that real configs use; every legacy-only construct is reported as a
 * `v2-incompatible` warning naming the construct, never as a syntax error.
 * Syntax errors are `syntax-error` diagnostics; after one, the parser skips to
 * the next statement and goes on. Nesting is bounded by PARSE_MAX_DEPTH, so no
 * input can exhaust the C stack. */
#ifndef NFP_PARSE_H
#define NFP_PARSE_H
#include "arena.h"
#include "diag.h"
#include "source.h"
#include "strbuf.h"
#include "syntax.h"

#define PARSE_MAX_DEPTH 256
/* Syntax errors reported per file: past this the file is not read further
 * (a file of NUL bytes would otherwise give one finding per byte). */
#define PARSE_MAX_ERRORS 100
#define PARSE_MAX_CHAIN 4096   /* a.b.c… or 1+2+3… links in one expression */

/* Parses a whole config source. Nodes are allocated in `arena`. Returns the
 * N_FILE root (never NULL unless memory ran out). `errors` (optional) receives
 * the number of syntax errors. */
Node *parse_config(Arena *arena, const Source *src, DiagList *diags, int *errors);

/* Parses one expression in src->text[start, end) (e.g. the value of a
 * `container` directive found by a script scanner). Diagnostics optional. */
Node *parse_expression_range(Arena *arena, const Source *src, size_t start, size_t end,
                             DiagList *diags);

#endif
