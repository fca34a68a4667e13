/* report — turns a DiagList into output text: gcc one-liners, a human `text`
 * view with source snippets, versioned JSON, SARIF 2.1.0 for GitHub code
 * scanning and GitHub workflow-command annotations. Also renders the rule
 * catalogue (`rules`, `explain`, docs/rules.md). Nothing here prints: every
 * function appends to a StrBuf and the CLI writes it out.
 *
 * Positions: lines and columns are 1-based; columns count bytes except in
 * SARIF, which declares columnKind "unicodeCodePoints" and counts code points.
 * End positions are exclusive (one past the last byte/character), like
 * Diag.end, SARIF's endColumn and ruff's GitHub output. Offsets are byte
 * offsets into Diag.src->text. */
#ifndef NFP_REPORT_H
#define NFP_REPORT_H
#include "diag.h"
#include "rules.h"
#include "strbuf.h"

#ifndef NFP_HOMEPAGE
/* SARIF tool.driver.informationUri; override with -DNFP_HOMEPAGE=... */
#define NFP_HOMEPAGE "https://github.com/nf-preflight/nf-preflight"
#endif

typedef enum ReportFormat {
    REPORT_GCC,      /* path:line:col: severity: message [rule] */
    REPORT_TEXT,     /* gcc line + source snippet with ^~~~ + summary line */
    REPORT_JSON,     /* {"version":1,...} */
    REPORT_SARIF,    /* SARIF 2.1.0 */
    REPORT_GITHUB,   /* ::error file=...::message */
    REPORT_MARKDOWN  /* the verdict heading and a findings table,
                        for a GitHub job summary ($GITHUB_STEP_SUMMARY) */
} ReportFormat;

typedef struct ReportOptions {
    int color;               /* ANSI colour in the text format (see report_color_decide) */
    const char *repo_root;   /* SARIF/GitHub paths are made relative to this; NULL: as given */
    int statistics;          /* the count per rule instead of the findings (text, gcc,
                                json, markdown: report_supports) */
    int quiet;               /* the summary line only (text, gcc) */
    const char *launch_text; /* text and markdown: one line per launch checked (the
                                launch summary, check/summary.h), shown before the
                                findings and not with quiet; NULL: none */
    const char *launch_json; /* json: a JSON array of those summaries, the value of the
                                report's "launches" member; NULL: no such member */
    const char *name_root;   /* gcc, text, JSON, markdown and the verdict line name
                                files relative to this directory (prerun's fetched
                                repository); NULL: as the check named them */
} ReportOptions;

/* "gcc"|"concise", "text", "json", "sarif", "github", "markdown". Returns 1
 * and sets *out, or 0 for an unknown name. */
int report_format_parse(const char *name, ReportFormat *out);

/* Appends the whole report for `diags` (in list order: sort first with
 * diag_sort). `opt` may be NULL. Returns 0, or -1 when memory ran out
 * (out is then failed) or fmt is not a ReportFormat. */
int report_emit(StrBuf *out, ReportFormat fmt, const DiagList *diags, const ReportOptions *opt);
/* 1 when `fmt` can show what `opt` asks (statistics, quiet), else 0. */
int report_supports(ReportFormat fmt, const ReportOptions *opt);
/* The findings' count per rule (notes are not findings), most first, ties
 * by rule id: --statistics in every format. Returns how many rules have a
 * finding (the entries filled). */
typedef struct RuleCount {
    RuleId id;
    size_t count;
} RuleCount;
size_t report_rule_counts(const DiagList *diags, RuleCount out[RULE_COUNT]);

/* Appends the address of a rule's section in docs/rules.md and returns the
 * buffer's text. */
const char *report_rule_url(StrBuf *out, const Rule *rule);

/* Appends s on one line for a terminal, a log or a markdown cell: CR/LF
 * become spaces, control characters visible escapes, invalid UTF-8 U+FFFD,
 * cut at 4 KiB with an ellipsis (every format shows a
 * message this way). */
void report_put_oneline(StrBuf *b, const char *s);

/* --color=auto|always|never (NULL means auto). Returns 1 for colour, 0 for
 * none, -1 for an unknown flag value. Precedence, highest first:
 *   1. flag "always" / "never" (an explicit command-line choice wins);
 *   2. NO_COLOR set and non-empty -> no colour (no-color.org);
 *   3. FORCE_COLOR set and non-empty, whatever its value -> colour (force-color.org);
 *   4. is_tty. */
int report_color_decide(const char *flag, int is_tty);

/* `nf-preflight rules`: a header and one line per rule with id, name,
 * default severity, fixable and summary in aligned columns. 0 / -1 on OOM. */
int report_rules_list(StrBuf *out);
/* `nf-preflight explain RULE`: the rule's full documentation. 0 / -1 on OOM. */
int report_rule_explain(StrBuf *out, const Rule *rule);
/* The exact content of docs/rules.md. 0 / -1 on OOM. */
int report_rules_markdown(StrBuf *out);

/* The verdict, from the findings (notes excluded), and the markdown report
 * (a GitHub job summary, a report file in a Platform run's work directory),
 * one writer for `check --format markdown` and `prerun --report FILE.md`:
 *   nf-preflight: PASS                          no error and no warning
 *   nf-preflight: WARN (N warnings)             warnings, no error
 *   nf-preflight: BLOCK (N errors): <message>   errors; the first one's message */
typedef enum Verdict { VERDICT_PASS = 0, VERDICT_WARN, VERDICT_BLOCK } Verdict;

/* The verdict of `diags` (in list order: sort first). */
Verdict report_verdict(const DiagList *diags);
/* Appends the verdict line, without a newline; the first error's file is
 * named relative to name_root when one is given (ReportOptions.name_root). */
void report_verdict_line(StrBuf *out, const DiagList *diags, const char *name_root);
/* "PASS", "WARN", "BLOCK". */
const char *report_verdict_name(Verdict v);

/* Appends a markdown report: the verdict as a heading, the launch lines
 * (opt->launch_text) as a list, the counts, then a table of the findings
 * (severity, location, rule, message) or, with opt->statistics, of the
 * count per rule; every cell escaped so that untrusted text cannot break
 * out of it. `opt` may be NULL. 0, or -1 when memory ran out. */
int report_markdown(StrBuf *out, const DiagList *diags, const ReportOptions *opt);

#endif
