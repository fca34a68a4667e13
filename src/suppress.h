/* suppress — inline suppressions written in the checked files:
 *
 *   // nf-preflight: ignore[rule-a, rule-b] reason     (line before a statement
 *                                                       or block, or trailing)
 *   // nf-preflight: file-ignore[rule]                 (anywhere in the file)
 *
 * Rules may be named by kebab name or id. Syntax errors cannot be suppressed.
 * A suppression that silences nothing is reported as `unused-suppression`. */
#ifndef NFP_SUPPRESS_H
#define NFP_SUPPRESS_H
#include "diag.h"
#include "source.h"
#include "syntax.h"

/* Removes suppressed diagnostics from `diags` and adds unused-suppression
 * findings. `trees[i]` is the parse tree of `sources[i]` (may be NULL).
 * Returns the number of diagnostics removed, or -1 when memory ran out. */
long suppress_apply(DiagList *diags, Source *const *sources, Node *const *trees, size_t n);

#endif
