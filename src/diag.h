/* diag — diagnostics: what was found, where (a byte span in a Source), how bad,
 * under which rule, and optionally a fix as byte edits. Nothing here prints:
 * report/ turns a DiagList into text, JSON, SARIF or GitHub annotations. */
#ifndef NFP_DIAG_H
#define NFP_DIAG_H
#include <stdarg.h>
#include <stddef.h>
#include "rule_id.h"
#include "source.h"


/* One replacement of bytes [start, end) of a source by `text`. */
typedef struct Edit {
    size_t start, end;
    char  *text;
} Edit;

typedef struct Diag {
    const Source *src;     /* NULL for diagnostics about the run, not a file */
    size_t start, end;     /* byte span in src->text; end >= start */
    Severity sev;
    RuleId id;             /* the rule (rules.def) */
    const char *rule;      /* its kebab-case name, rule_table[id].name */
    int note;              /* an explanation added only on request (verbose or JSON
                              notes): shown, but never counted toward --fail-on */
    char  *message;
    Edit  *edits;          /* fix, may be NULL */
    size_t nedits;
} Diag;

typedef struct DiagList {
    Diag  *items;
    size_t len, cap;
    int    oom;            /* an allocation failed while adding: results incomplete */
    Source **owned;        /* sources the list keeps alive for its diagnostics */
    size_t nowned;
    struct DiagMask *masks;/* spans that hold secrets: reports never echo them
                              (added and read through redact.h) */
    size_t nmasks;
} DiagList;

typedef struct DiagMask {
    const Source *src;
    size_t start, end;
} DiagMask;

/* Appends a diagnostic about rule `rule` (a RuleId from rules.def:
 * RULE_WAVE_NOT_ENABLED, ...: a misspelt rule does not compile); the
 * severity is the rule's default from the catalogue unless `sev` is given
 * explicitly (pass -2 = DIAG_DEFAULT_SEV for the default). Returns the new
 * item or NULL when memory ran out (list->oom is then set). */
#define DIAG_DEFAULT_SEV ((Severity)-2)
Diag *diag_add(DiagList *list, const Source *src, size_t start, size_t end,
               Severity sev, RuleId rule, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 7, 8)))
#endif
    ;
Diag *diag_vadd(DiagList *list, const Source *src, size_t start, size_t end,
                Severity sev, RuleId rule, const char *fmt, va_list ap);
/* Attaches one edit to d (copying text). Returns 0 on OOM. */
int  diag_add_edit(DiagList *list, Diag *d, size_t start, size_t end, const char *text);
void diag_list_free(DiagList *list);
/* Keeps the diagnostics for which keep(d, ctx) is true, in order (keep may
 * change the one it keeps), and frees the others. Returns how many went. */
size_t diag_list_filter(DiagList *list, int (*keep)(Diag *d, void *ctx), void *ctx);
/* Copies a diagnostic about a text that is about to go into `list`, keeping a
 * copy of the text (once per source) so that the diagnostic can still show
 * its file, line, column and source line. Returns 0 on OOM. */
int  diag_copy_keep_source(DiagList *list, const Diag *d);
/* Moves every diagnostic, secret mask and kept source of `from` to the end
 * of `into` (the Sources they point into must outlive `into`), leaving
 * `from` empty: one report over several launches. Returns 0 when memory ran
 * out (then nothing moved and into->oom is set). */
int  diag_list_take(DiagList *into, DiagList *from);
/* Stable order for output: by source name, offset, then rule. */
void diag_sort(DiagList *list);
/* Findings of severity `sev`; notes (Diag.note) are not findings. */
size_t diag_count(const DiagList *list, Severity sev);
size_t diag_count_notes(const DiagList *list);
const char *severity_name(Severity s);      /* "error", "warning", "info" */
int severity_parse(const char *s, Severity *out);  /* accepts error|warning|info|off */

#endif
