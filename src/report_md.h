/* report_md — findings as one verdict line and as GitHub-flavoured markdown
 * (a GitHub job summary, a report file in a Platform run's work directory).
 * Kept apart from report.c so that `check --format markdown` and `prerun
 * --report FILE.md` share one writer. Nothing here prints.
 *
 * The verdict, from the findings (notes excluded):
 *   nf-preflight: PASS                          no error and no warning
 *   nf-preflight: WARN (N warnings)             warnings, no error
 *   nf-preflight: BLOCK (N errors): <message>   errors; the first one's message */
#ifndef NFP_REPORT_MD_H
#define NFP_REPORT_MD_H
#include "diag.h"
#include "report.h"
#include "strbuf.h"

typedef enum Verdict { VERDICT_PASS = 0, VERDICT_WARN, VERDICT_BLOCK } Verdict;

/* The verdict of `diags` (in list order: sort first). */
Verdict report_verdict(const DiagList *diags);
/* Appends the verdict line, without a newline. */
void report_verdict_line(StrBuf *out, const DiagList *diags);
/* "PASS", "WARN", "BLOCK". */
const char *report_verdict_name(Verdict v);

/* Appends a markdown report: the verdict as a heading, the launch lines
 * (opt->launch_text) as a list, the counts, then a table of the findings
 * (severity, location, rule, message) or, with opt->statistics, of the
 * count per rule; every cell escaped so that untrusted text cannot break
 * out of it. `opt` may be NULL. 0, or -1 when memory ran out. */
int report_markdown(StrBuf *out, const DiagList *diags, const ReportOptions *opt);

#endif
