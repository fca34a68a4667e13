/* report_md — see report_md.h. */
#include "report_md.h"
#include "alloc.h"
#include "report.h"

#include <string.h>

static const Diag *first_of(const DiagList *diags, Severity sev)
{
    for (size_t i = 0; i < diags->len; i++)
        if (!diags->items[i].note && diags->items[i].sev == sev) return &diags->items[i];
    return NULL;
}

Verdict report_verdict(const DiagList *diags)
{
    if (diag_count(diags, SEV_ERROR)) return VERDICT_BLOCK;
    if (diag_count(diags, SEV_WARNING)) return VERDICT_WARN;
    return VERDICT_PASS;
}

const char *report_verdict_name(Verdict v)
{
    return v == VERDICT_BLOCK ? "BLOCK" : v == VERDICT_WARN ? "WARN" : "PASS";
}

void report_verdict_line(StrBuf *out, const DiagList *diags)
{
    Verdict v = report_verdict(diags);
    strbuf_printf(out, "nf-preflight: %s", report_verdict_name(v));
    if (v == VERDICT_WARN) {
        size_t n = diag_count(diags, SEV_WARNING);
        strbuf_printf(out, " (%zu warning%s)", n, n == 1 ? "" : "s");
    } else if (v == VERDICT_BLOCK) {
        size_t n = diag_count(diags, SEV_ERROR);
        strbuf_printf(out, " (%zu error%s): ", n, n == 1 ? "" : "s");
        const Diag *d = first_of(diags, SEV_ERROR);
        report_put_oneline(out, d && d->message ? d->message : "");
    }
}

/* One table cell: the text on one line (report_put_oneline), then markdown
 * and HTML specials escaped so that a message cannot end the cell, open a
 * tag or a link, or run code. */
static void put_cell(StrBuf *out, const char *s)
{
    StrBuf line = STRBUF_INIT;
    report_put_oneline(&line, s ? s : "");
    if (strbuf_failed(&line)) { out->failed = 1; return; }
    const char *t = strbuf_cstr(&line);
    for (size_t i = 0; i < line.len; i++) {
        char c = t[i];
        switch (c) {
        case '|': strbuf_puts(out, "\\|"); break;
        case '<': strbuf_puts(out, "&lt;"); break;
        case '>': strbuf_puts(out, "&gt;"); break;
        case '&': strbuf_puts(out, "&amp;"); break;
        case '\t': strbuf_putc(out, ' '); break;
        case '\\': case '`': case '*': case '_': case '[': case ']': case '~':
            strbuf_putc(out, '\\');
            strbuf_putc(out, c);
            break;
        default: strbuf_putc(out, c);
        }
    }
    strbuf_free(&line);
}

/* The launch lines, one list item each. */
static void put_launches(StrBuf *out, const char *lines)
{
    if (!lines || !*lines) return;
    strbuf_putc(out, '\n');
    for (const char *p = lines; *p;) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        char *one = np_strndup(p, n);
        if (!one) {
            out->failed = 1;
            return;
        }
        strbuf_puts(out, "- ");
        put_cell(out, one);
        strbuf_putc(out, '\n');
        np_free(one);
        p += n + (nl != NULL);
    }
}

/* --statistics: the count per rule, most first. */
static void put_statistics(StrBuf *out, const DiagList *diags)
{
    RuleCount counts[RULE_COUNT];
    size_t n = report_rule_counts(diags, counts);
    if (!n) return;
    strbuf_puts(out, "\n| Count | Rule | Name | Fixable |\n|---:|---|---|---|\n");
    for (size_t i = 0; i < n; i++) {
        const Rule *r = &rule_table[counts[i].id];
        strbuf_printf(out, "| %zu | ", counts[i].count);
        put_cell(out, r->id);
        strbuf_puts(out, " | ");
        put_cell(out, r->name);
        strbuf_printf(out, " | %s |\n", r->fixable ? "yes" : "");
    }
}

int report_markdown(StrBuf *out, const DiagList *diags, const ReportOptions *opt)
{
    strbuf_puts(out, "## ");
    StrBuf v = STRBUF_INIT;
    report_verdict_line(&v, diags);
    if (strbuf_failed(&v)) out->failed = 1;
    else put_cell(out, strbuf_cstr(&v));
    strbuf_free(&v);
    strbuf_putc(out, '\n');
    put_launches(out, opt ? opt->launch_text : NULL);
    strbuf_printf(out, "\n%zu error(s), %zu warning(s), %zu info\n", diag_count(diags, SEV_ERROR),
                  diag_count(diags, SEV_WARNING), diag_count(diags, SEV_INFO));
    if (opt && opt->statistics) {
        put_statistics(out, diags);
    } else if (diags->len) {
        strbuf_puts(out, "\n| Severity | Location | Rule | Message |\n|---|---|---|---|\n");
        for (size_t i = 0; i < diags->len; i++) {
            const Diag *d = &diags->items[i];
            strbuf_printf(out, "| %s%s | ", severity_name(d->sev), d->note ? " (note)" : "");
            if (d->src) {
                unsigned l, c;
                source_linecol(d->src, d->start, &l, &c);
                StrBuf loc = STRBUF_INIT;
                strbuf_printf(&loc, "%s:%u:%u", d->src->name ? d->src->name : "", l, c);
                if (strbuf_failed(&loc)) out->failed = 1;
                else put_cell(out, strbuf_cstr(&loc));
                strbuf_free(&loc);
            } else {
                strbuf_puts(out, "(run)");
            }
            strbuf_puts(out, " | ");
            put_cell(out, d->rule ? d->rule : "");
            strbuf_puts(out, " | ");
            put_cell(out, d->message);
            strbuf_puts(out, " |\n");
        }
    }
    return strbuf_failed(out) ? -1 : 0;
}
