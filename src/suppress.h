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

/* Removes suppressed diagnostics from `diags` and, with report_unused, adds
 * unused-suppression findings (only a run of every rule family can tell that
 * a suppression silences nothing). `trees[i]` is the parse tree of
 * `sources[i]` (may be NULL). Returns the number of diagnostics removed, or
 * -1 when memory ran out. */
long suppress_apply(DiagList *diags, Source *const *sources, Node *const *trees, size_t n, int report_unused);

/* `# nf-preflight: ignore[rule]` or `file-ignore[rule]` comments in a YAML
 * launch file say "for this launch": they apply to every diagnostic about
 * `target`, or of the whole run when target is NULL. Unused ones are reported
 * (with report_unused) at the comment, in `yaml`, which the list keeps alive.
 * Returns the number removed, or -1 when memory ran out. */
long suppress_apply_yaml(DiagList *diags, const Source *yaml, const Source *target, int report_unused);

#endif
