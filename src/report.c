#include "report.h"
#include "redact.h"
#include "alloc.h"
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef PATH_MAX
#define PATH_MAX 4096
#endif

#define TOOL_NAME "nf-preflight"

/* ---------------------------------------------------------------- helpers */

static const char *rule_of(const Diag *d) { return d->rule ? d->rule : "unknown"; }

/* The longest message any format shows (bytes): a message quoting a value
 * of a hostile config must not turn a 100 MB line into a 100 MB report.
 * Cut at a character boundary; secrets were masked before, so a cut never
 * shows the prefix of one. */
#define REPORT_MAX_MESSAGE 4096

/* Length of `s` to show, at most REPORT_MAX_MESSAGE; *cut is 1 when shorter. */
static size_t shown_len(const char *s, int *cut)
{
    size_t n = strlen(s);
    *cut = n > REPORT_MAX_MESSAGE;
    if (!*cut) return n;
    n = REPORT_MAX_MESSAGE;
    while (n && ((unsigned char)s[n] & 0xC0) == 0x80) n--;
    return n;
}

/* Appends s on one line for a terminal or log: CR/LF become spaces, control
 * characters (ESC, BEL, ...) visible escapes, invalid UTF-8 U+FFFD, cut to
 * REPORT_MAX_MESSAGE with an ellipsis. */
void report_put_oneline(StrBuf *b, const char *s)
{
    int cut;
    size_t n = shown_len(s, &cut);
    strbuf_put_visible(b, s, n, 1);
    if (cut) strbuf_puts(b, "\xE2\x80\xA6");
}

/* A JSON string of s, cut like put_oneline. */
static void json_msg(StrBuf *b, const char *s)
{
    int cut;
    size_t n = shown_len(s, &cut);
    if (!cut) { strbuf_json_str(b, s, n); return; }
    StrBuf t = STRBUF_INIT;
    strbuf_append(&t, s, n);
    strbuf_puts(&t, "\xE2\x80\xA6");
    if (strbuf_failed(&t)) b->failed = 1;
    else strbuf_json_str(b, t.data, t.len);
    strbuf_free(&t);
}

/* Start and end (exclusive) of a diagnostic as 1-based line and byte column. */
static void diag_span(const Diag *d, unsigned *l, unsigned *c, unsigned *el, unsigned *ec)
{
    source_linecol(d->src, d->start, l, c);
    source_linecol(d->src, d->end, el, ec);
}

static int is_utf8_cont(unsigned char c) { return (c & 0xC0) == 0x80; }

/* 1-based column of `off` counted in Unicode code points (SARIF columnKind
 * unicodeCodePoints). Continuation bytes do not start a character. */
static unsigned cp_column(const Source *s, size_t off)
{
    unsigned line, col;
    if (off > s->len) off = s->len;
    source_linecol(s, off, &line, &col);
    size_t ls = source_line_start(s, line - 1);
    unsigned n = 1;
    for (size_t i = ls; i < off; i++) n += !is_utf8_cont((unsigned char)s->text[i]);
    return n;
}

/* The catalogue entry of d's rule (rule_table[d->id]), or NULL for "unknown". */
static const Rule *rule_entry(const Diag *d) { return d->id < RULE_COUNT ? &rule_table[d->id] : NULL; }

/* Lexically absolute, normalised form of `p` ("." and ".." resolved). */
static int make_abs(const char *p, char *out, size_t n)
{
    char tmp[2 * PATH_MAX + 2];
    if (p[0] == '/') {
        if (strlen(p) >= sizeof tmp) return 0;
        memcpy(tmp, p, strlen(p) + 1);
    } else {
        char cwd[PATH_MAX];
        if (!getcwd(cwd, sizeof cwd)) return 0;
        size_t cl = strlen(cwd), pl = strlen(p);
        if (cl + 1 + pl >= sizeof tmp) return 0;
        memcpy(tmp, cwd, cl);
        tmp[cl] = '/';
        memcpy(tmp + cl + 1, p, pl + 1);
    }
    size_t len = 0;
    const char *q = tmp;
    out[0] = '\0';
    while (*q) {
        while (*q == '/') q++;
        if (!*q) break;
        const char *e = strchr(q, '/');
        if (!e) e = q + strlen(q);
        size_t sl = (size_t)(e - q);
        if (sl == 1 && q[0] == '.') {
            /* nothing */
        } else if (sl == 2 && q[0] == '.' && q[1] == '.') {
            while (len > 0 && out[len - 1] != '/') len--;
            if (len > 0) len--;
            out[len] = '\0';
        } else {
            if (len + 1 + sl + 1 > n) return 0;
            out[len++] = '/';
            memcpy(out + len, q, sl);
            len += sl;
            out[len] = '\0';
        }
        q = e;
    }
    if (len == 0) {
        if (n < 2) return 0;
        memcpy(out, "/", 2);
    }
    return 1;
}

static const char *strip_root(const char *abs, const char *root)
{
    size_t rl = strlen(root);
    if (rl == 1 && root[0] == '/') return abs[1] ? abs + 1 : NULL;
    if (strncmp(abs, root, rl) == 0 && abs[rl] == '/' && abs[rl + 1]) return abs + rl + 1;
    return NULL;
}

/* The path to show for `path` relative to `root`: first compared lexically,
 * then with symlinks resolved (so /tmp vs /private/tmp style aliases still
 * match). Falls back to the path as given. The result points into buf or path. */
static const char *rel_path(const char *path, const char *root, char *buf, size_t bufsz)
{
    char a[PATH_MAX], r[PATH_MAX];
    const char *rest = NULL;
    if (root && root[0]) {
        if (make_abs(path, a, sizeof a) && make_abs(root, r, sizeof r))
            rest = strip_root(a, r);
        if (!rest && realpath(path, a) && realpath(root, r))
            rest = strip_root(a, r);
    }
    if (rest && strlen(rest) < bufsz) {
        memcpy(buf, rest, strlen(rest) + 1);
        return buf;
    }
    while (path[0] == '.' && path[1] == '/') {
        path += 2;
        while (*path == '/') path++;
    }
    return path;
}

static const char *source_path(const Source *s) { return s->path ? s->path : s->name; }

/* A file's name in the gcc, text, JSON and markdown reports: relative to
 * ReportOptions.name_root when one is given (prerun's fetched repository:
 * its temporary directory means nothing once the run ends), else as the
 * check named it. Points into buf or the source. */
static const char *shown_name(const Source *s, const char *root, char *buf, size_t bufsz)
{
    return root ? rel_path(source_path(s), root, buf, bufsz) : s->name;
}

/* ------------------------------------------------------------ gcc and text */

static void put_counts(StrBuf *b, const DiagList *diags)
{
    size_t e = diag_count(diags, SEV_ERROR), w = diag_count(diags, SEV_WARNING),
           i = diag_count(diags, SEV_INFO), n = diag_count_notes(diags);
    strbuf_printf(b, "%zu error%s, %zu warning%s, %zu info",
                  e, e == 1 ? "" : "s", w, w == 1 ? "" : "s", i);
    if (n) strbuf_printf(b, ", %zu note%s", n, n == 1 ? "" : "s");
    strbuf_putc(b, '\n');
}

static const char *sev_color(Severity s)
{
    switch (s) {
    case SEV_ERROR: return "\033[1;31m";
    case SEV_WARNING: return "\033[1;33m";
    default: return "\033[1;36m";
    }
}

#define C_BOLD "\033[1m"
#define C_RESET "\033[0m"

static void emit_gcc_line(StrBuf *b, const Diag *d, int color, const char *root)
{
    if (d->src) {
        unsigned l, c;
        char buf[PATH_MAX];
        source_linecol(d->src, d->start, &l, &c);
        if (color) strbuf_puts(b, C_BOLD);
        report_put_oneline(b, shown_name(d->src, root, buf, sizeof buf));
        strbuf_printf(b, ":%u:%u:", l, c);
    } else {
        if (color) strbuf_puts(b, C_BOLD);
        strbuf_puts(b, TOOL_NAME ":");
    }
    if (color) strbuf_printf(b, C_RESET " %s%s:" C_RESET " ", sev_color(d->sev), severity_name(d->sev));
    else strbuf_printf(b, " %s: ", severity_name(d->sev));
    report_put_oneline(b, d->message ? d->message : "");
    strbuf_printf(b, " [%s]\n", rule_of(d));
}

/* How much of a long line a snippet shows: SNIPPET_BEFORE bytes before the
 * column and SNIPPET_WIDTH in all, cut at character boundaries and marked
 * with an ellipsis, so a one-line 100 MB config gives a short report. */
#define SNIPPET_BEFORE 60
#define SNIPPET_WIDTH 160

/* The source line of the diagnostic's start (the part of it around the
 * column, for a long line) and an underline `^~~~` below the span (to the
 * end of what is shown when the span continues). Control characters are
 * shown as escapes, secrets as stars; the underline keeps tabs so it lines
 * up, and counts what is shown, not bytes. */
static void emit_snippet(StrBuf *b, const DiagList *diags, const Diag *d, int color)
{
    const Source *s = d->src;
    unsigned l, c;
    size_t len;
    source_linecol(s, d->start, &l, &c);
    const char *line = source_line(s, l, &len);
    size_t ls = (size_t)(line - s->text), le = ls + len;
    size_t start = d->start > s->len ? s->len : d->start;
    if (start > le) start = le;
    size_t end = d->end > le ? le : d->end;
    if (end < start) end = start;
    size_t ws = ls, we = le;
    if (start - ls > SNIPPET_BEFORE) {
        ws = start - SNIPPET_BEFORE;
        while (ws < start && is_utf8_cont((unsigned char)s->text[ws])) ws++;
    }
    if (we - ws > SNIPPET_WIDTH) {
        we = ws + SNIPPET_WIDTH;
        while (we > start && is_utf8_cont((unsigned char)s->text[we])) we--;
    }
    if (end > we) end = we;
    int width = 1;
    for (unsigned n = l; n >= 10; n /= 10) width++;

    /* one pass over the shown characters: the line, and the widths of the
     * parts before and inside the span for the underline */
    StrBuf under = STRBUF_INIT;
    size_t span_cols = 0;
    strbuf_printf(b, " %*u | ", width, l);
    if (ws > ls) { strbuf_puts(b, "\xE2\x80\xA6"); strbuf_putc(&under, ' '); }
    for (size_t i = ws; i < we;) {
        size_t n;
        utf8_decode(s->text + i, we - i, &n);
        size_t cols;
        if (redact_masked(diags, s, i)) {
            /* secrets written in the file are shown as stars, one per character */
            strbuf_putc(b, '*');
            cols = 1;
        } else {
            cols = strbuf_put_visible(b, s->text + i, n, 1);
        }
        if (i < start) {
            if (s->text[i] == '\t') strbuf_putc(&under, '\t');
            else for (size_t k = 0; k < cols; k++) strbuf_putc(&under, ' ');
        } else if (i < end) {
            span_cols += cols;
        }
        i += n;
    }
    if (we < le) strbuf_puts(b, "\xE2\x80\xA6");
    strbuf_putc(b, '\n');
    strbuf_printf(b, " %*s | ", width, "");
    if (strbuf_failed(&under)) b->failed = 1;
    strbuf_append(b, strbuf_cstr(&under), under.len);
    strbuf_free(&under);
    if (color) strbuf_puts(b, sev_color(d->sev));
    strbuf_putc(b, '^');
    for (size_t i = 1; i < span_cols; i++) strbuf_putc(b, '~');
    if (color) strbuf_puts(b, C_RESET);
    strbuf_putc(b, '\n');
}

static void emit_gcc(StrBuf *b, const DiagList *diags, const char *root)
{
    for (size_t i = 0; i < diags->len; i++) emit_gcc_line(b, &diags->items[i], 0, root);
}

/* The launch lines (ReportOptions.launch_text) at the top of a text
 * report, then a blank line. */
static void put_launch_lines(StrBuf *b, const char *lines)
{
    if (!lines || !*lines) return;
    for (const char *p = lines; *p;) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        StrBuf one = STRBUF_INIT;
        strbuf_append(&one, p, n);
        if (strbuf_failed(&one)) b->failed = 1;
        else report_put_oneline(b, strbuf_cstr(&one));
        strbuf_free(&one);
        strbuf_putc(b, '\n');
        p += n + (nl != NULL);
    }
    strbuf_putc(b, '\n');
}

static void emit_text(StrBuf *b, const DiagList *diags, int color, const char *root)
{
    for (size_t i = 0; i < diags->len; i++) {
        const Diag *d = &diags->items[i];
        emit_gcc_line(b, d, color, root);
        if (d->src) emit_snippet(b, diags, d, color);
    }
    if (diags->len) strbuf_putc(b, '\n');
    put_counts(b, diags);
}

static int cmp_rule_count(const void *pa, const void *pb)
{
    const RuleCount *a = pa, *b = pb;
    if (a->count != b->count) return a->count > b->count ? -1 : 1;
    return a->id < b->id ? -1 : a->id > b->id;
}

size_t report_rule_counts(const DiagList *diags, RuleCount out[RULE_COUNT])
{
    size_t n = 0;
    for (size_t r = 0; r < RULE_COUNT; r++) {
        size_t c = 0;
        for (size_t i = 0; i < diags->len; i++)
            c += diags->items[i].id == (RuleId)r && !diags->items[i].note && diags->items[i].sev != SEV_NONE;
        if (c) out[n++] = (RuleCount){(RuleId)r, c};
    }
    qsort(out, n, sizeof *out, cmp_rule_count);
    return n;
}

/* `--statistics` as text: COUNT ID NAME, aligned, then the summary line. */
static void emit_statistics_text(StrBuf *b, const DiagList *diags)
{
    RuleCount counts[RULE_COUNT];
    size_t n = report_rule_counts(diags, counts);
    for (size_t i = 0; i < n; i++) {
        const Rule *r = &rule_table[counts[i].id];
        strbuf_printf(b, "%5zu  %-7s %s%s\n", counts[i].count, r->id, r->name, r->fixable ? " [fixable]" : "");
    }
    if (n) strbuf_putc(b, '\n');
    put_counts(b, diags);
}

/* -------------------------------------------------------------------- JSON */

static void json_cstr(StrBuf *b, const char *s) { strbuf_json_str(b, s, strlen(s)); }

static void emit_json(StrBuf *b, const DiagList *diags, const char *launches, const char *root)
{
    strbuf_printf(b, "{\"version\":1,\"tool\":{\"name\":\"" TOOL_NAME "\",\"version\":\"%s\"},"
                  "\"summary\":{\"error\":%zu,\"warning\":%zu,\"info\":%zu",
                  NFP_VERSION, diag_count(diags, SEV_ERROR), diag_count(diags, SEV_WARNING),
                  diag_count(diags, SEV_INFO));
    size_t notes = diag_count_notes(diags);
    if (notes) strbuf_printf(b, ",\"note\":%zu", notes);
    strbuf_puts(b, "},\"diagnostics\":[");
    for (size_t i = 0; i < diags->len; i++) {
        const Diag *d = &diags->items[i];
        const Rule *r = rule_entry(d);
        strbuf_puts(b, i ? ",\n{" : "\n{");
        if (d->src) {
            unsigned l, c, el, ec;
            diag_span(d, &l, &c, &el, &ec);
            char buf[PATH_MAX];
            strbuf_puts(b, "\"path\":");
            json_cstr(b, shown_name(d->src, root, buf, sizeof buf));
            strbuf_printf(b, ",\"line\":%u,\"column\":%u,\"end_line\":%u,\"end_column\":%u,"
                          "\"offset\":%zu,\"end_offset\":%zu", l, c, el, ec, d->start, d->end);
        } else {
            strbuf_puts(b, "\"path\":null,\"line\":null,\"column\":null,\"end_line\":null,"
                           "\"end_column\":null,\"offset\":null,\"end_offset\":null");
        }
        strbuf_printf(b, ",\"severity\":\"%s\",%s\"rule\":", severity_name(d->sev), d->note ? "\"note\":true," : "");
        json_cstr(b, rule_of(d));
        strbuf_puts(b, ",\"rule_id\":");
        if (r) json_cstr(b, r->id); else strbuf_puts(b, "null");
        strbuf_puts(b, ",\"message\":");
        json_msg(b, d->message ? d->message : "");
        strbuf_puts(b, ",\"fix\":");
        if (d->nedits) {
            strbuf_puts(b, "{\"edits\":[");
            for (size_t k = 0; k < d->nedits; k++) {
                strbuf_printf(b, "%s{\"offset\":%zu,\"end_offset\":%zu,\"text\":", k ? "," : "",
                              d->edits[k].start, d->edits[k].end);
                json_cstr(b, d->edits[k].text);
                strbuf_putc(b, '}');
            }
            strbuf_puts(b, "]}");
        } else {
            strbuf_puts(b, "null");
        }
        strbuf_putc(b, '}');
    }
    strbuf_puts(b, diags->len ? "\n]" : "]");
    /* after the findings, so that the members before them keep their place */
    if (launches) {
        strbuf_puts(b, diags->len ? ",\n\"launches\":" : ",\"launches\":");
        strbuf_puts(b, launches);
    }
    strbuf_puts(b, "}\n");
}

/* `--statistics --format json`: [{"rule","rule_id","count","fixable"}...] */
static void emit_statistics_json(StrBuf *b, const DiagList *diags)
{
    RuleCount counts[RULE_COUNT];
    size_t n = report_rule_counts(diags, counts);
    strbuf_putc(b, '[');
    for (size_t i = 0; i < n; i++) {
        const Rule *r = &rule_table[counts[i].id];
        strbuf_puts(b, i ? ",\n{\"rule\":" : "\n{\"rule\":");
        json_cstr(b, r->name);
        strbuf_puts(b, ",\"rule_id\":");
        json_cstr(b, r->id);
        strbuf_printf(b, ",\"count\":%zu,\"fixable\":%s}", counts[i].count, r->fixable ? "true" : "false");
    }
    strbuf_puts(b, n ? "\n]\n" : "]\n");
}

/* ------------------------------------------------------------- rule links */

const char *report_rule_url(StrBuf *b, const Rule *r)
{
    /* the heading "## NFP009 wave-not-enabled" of docs/rules.md */
    strbuf_printf(b, "%s/blob/main/docs/rules.md#", NFP_HOMEPAGE);
    for (const char *p = r->id; *p; p++) strbuf_putc(b, (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p));
    strbuf_printf(b, "-%s", r->name);
    return strbuf_cstr(b);
}

/* ------------------------------------------------------------------- SARIF */

/* RFC 3986: keep unreserved characters, '/', and the sub-delims and '@' that
 * a path segment may hold; ':' is encoded so a relative path never looks like
 * a scheme. Everything else (space, %, #, ?, backslash, non-ASCII bytes) is
 * percent-encoded. */
static void put_uri_path(StrBuf *b, const char *p)
{
    static const char keep[] = "-._~/!$&'()*+,;=@";
    for (; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            (c && strchr(keep, c)))
            strbuf_putc(b, (char)c);
        else
            strbuf_printf(b, "%%%02X", c);
    }
}

static void sarif_uri(StrBuf *b, const Source *s, const char *root)
{
    char buf[PATH_MAX];
    const char *p = rel_path(source_path(s), root, buf, sizeof buf);
    StrBuf u = STRBUF_INIT;
    if (p[0] == '/') strbuf_puts(&u, "file://");
    put_uri_path(&u, p);
    if (strbuf_failed(&u)) b->failed = 1;
    else json_cstr(b, strbuf_cstr(&u));
    strbuf_free(&u);
}

static void sarif_region(StrBuf *b, const Source *s, size_t start, size_t end)
{
    unsigned l, c, el, ec;
    source_linecol(s, start, &l, &c);
    source_linecol(s, end, &el, &ec);
    strbuf_printf(b, "{\"startLine\":%u,\"startColumn\":%u,\"endLine\":%u,\"endColumn\":%u}",
                  l, cp_column(s, start), el, cp_column(s, end));
}

static const char *sarif_level(Severity s)
{
    switch (s) {
    case SEV_ERROR: return "error";
    case SEV_WARNING: return "warning";
    case SEV_INFO: return "note";
    default: return "none";
    }
}

static void put_pascal(StrBuf *b, const char *kebab)
{
    int up = 1;
    for (; *kebab; kebab++) {
        if (*kebab == '-') { up = 1; continue; }
        char c = *kebab;
        if (up && c >= 'a' && c <= 'z') c = (char)(c - 'a' + 'A');
        strbuf_putc(b, c);
        up = 0;
    }
}

static void md_explain(StrBuf *b, const char *text);

static void sarif_rule(StrBuf *b, const Rule *r)
{
    StrBuf tmp = STRBUF_INIT;
    strbuf_puts(b, "{\"id\":");
    json_cstr(b, r->name);
    strbuf_puts(b, ",\"name\":\"");
    put_pascal(b, r->name);
    strbuf_puts(b, "\",\"shortDescription\":{\"text\":");
    json_cstr(b, r->summary);
    strbuf_puts(b, "},\"fullDescription\":{\"text\":");
    json_cstr(b, r->explain);
    strbuf_puts(b, "},\"help\":{\"text\":");
    json_cstr(b, r->explain);
    strbuf_puts(b, ",\"markdown\":");
    md_explain(&tmp, r->explain);
    if (strbuf_failed(&tmp)) b->failed = 1;
    json_cstr(b, strbuf_cstr(&tmp));
    strbuf_free(&tmp);
    strbuf_printf(b, "},\"defaultConfiguration\":{\"level\":\"%s\"},\"properties\":{\"id\":\"%s\"}}",
                  sarif_level(r->severity), r->id);
}

static void emit_sarif(StrBuf *b, const DiagList *diags, const char *root)
{
    strbuf_printf(b, "{\"$schema\":\"https://json.schemastore.org/sarif-2.1.0.json\",\"version\":\"2.1.0\","
                  "\"runs\":[{\"tool\":{\"driver\":{\"name\":\"" TOOL_NAME "\",\"version\":\"%s\","
                  "\"semanticVersion\":\"%s\",\"informationUri\":\"%s\",\"rules\":[",
                  NFP_VERSION, NFP_VERSION, NFP_HOMEPAGE);
    for (size_t i = 0; i < rule_count; i++) {
        strbuf_puts(b, i ? ",\n" : "\n");
        sarif_rule(b, &rule_table[i]);
    }
    strbuf_puts(b, "]}},\n\"columnKind\":\"unicodeCodePoints\"");

    /* Diagnostics about the run (no file) have no location, which GitHub
     * requires of results; SARIF's place for them is the invocation's
     * tool execution notifications. */
    size_t nrun = 0;
    for (size_t i = 0; i < diags->len; i++) nrun += diags->items[i].src == NULL;
    if (nrun) {
        strbuf_puts(b, ",\n\"invocations\":[{\"executionSuccessful\":true,\"toolExecutionNotifications\":[");
        size_t k = 0;
        for (size_t i = 0; i < diags->len; i++) {
            const Diag *d = &diags->items[i];
            if (d->src) continue;
            const Rule *r = rule_entry(d);
            strbuf_printf(b, "%s{\"level\":\"%s\",\"message\":{\"text\":", k++ ? ",\n" : "\n",
                          sarif_level(d->sev));
            json_msg(b, d->message ? d->message : "");
            strbuf_puts(b, "},\"associatedRule\":{\"id\":");
            json_cstr(b, rule_of(d));
            if (r) strbuf_printf(b, ",\"index\":%d", (int)d->id);
            strbuf_puts(b, "}}");
        }
        strbuf_puts(b, "]}]");
    }

    strbuf_puts(b, ",\n\"results\":[");
    size_t k = 0;
    for (size_t i = 0; i < diags->len; i++) {
        const Diag *d = &diags->items[i];
        if (!d->src) continue;
        const Rule *r = rule_entry(d);
        strbuf_puts(b, k++ ? ",\n{\"ruleId\":" : "\n{\"ruleId\":");
        json_cstr(b, rule_of(d));
        if (r) strbuf_printf(b, ",\"ruleIndex\":%d", (int)d->id);
        strbuf_printf(b, ",\"level\":\"%s\",\"message\":{\"text\":", sarif_level(d->sev));
        json_msg(b, d->message ? d->message : "");
        strbuf_puts(b, "},\"locations\":[{\"physicalLocation\":{\"artifactLocation\":{\"uri\":");
        sarif_uri(b, d->src, root);
        strbuf_puts(b, "},\"region\":");
        sarif_region(b, d->src, d->start, d->end);
        strbuf_puts(b, "}}]");
        if (d->nedits) {
            strbuf_puts(b, ",\"fixes\":[{\"artifactChanges\":[{\"artifactLocation\":{\"uri\":");
            sarif_uri(b, d->src, root);
            strbuf_puts(b, "},\"replacements\":[");
            for (size_t e = 0; e < d->nedits; e++) {
                strbuf_puts(b, e ? ",{\"deletedRegion\":" : "{\"deletedRegion\":");
                sarif_region(b, d->src, d->edits[e].start, d->edits[e].end);
                strbuf_puts(b, ",\"insertedContent\":{\"text\":");
                json_cstr(b, d->edits[e].text);
                strbuf_puts(b, "}}");
            }
            strbuf_puts(b, "]}]}]");
        }
        strbuf_putc(b, '}');
    }
    strbuf_puts(b, k ? "\n]}]}\n" : "]}]}\n");
}

/* ------------------------------------------------------------------ GitHub */

/* Workflow-command escaping (actions/toolkit escapeData / escapeProperty),
 * and what a log viewer would act on (ESC, BEL, C1 controls) shown as
 * escapes; invalid UTF-8 becomes U+FFFD. */
static void gh_escape(StrBuf *b, const char *s, int property)
{
    size_t n = strlen(s);
    for (size_t i = 0; i < n;) {
        size_t len;
        long cp = utf8_decode(s + i, n - i, &len);
        switch (cp) {
        case '%': strbuf_puts(b, "%25"); break;
        case '\r': strbuf_puts(b, "%0D"); break;
        case '\n': strbuf_puts(b, "%0A"); break;
        case ':': strbuf_puts(b, property ? "%3A" : ":"); break;
        case ',': strbuf_puts(b, property ? "%2C" : ","); break;
        default:
            if (cp == -1 || utf8_is_control(cp)) strbuf_put_visible(b, s + i, len, 0);
            else strbuf_append(b, s + i, len);
        }
        i += len;
    }
}

static void emit_github(StrBuf *b, const DiagList *diags, const char *root)
{
    for (size_t i = 0; i < diags->len; i++) {
        const Diag *d = &diags->items[i];
        const char *cmd = d->sev == SEV_ERROR ? "error" : d->sev == SEV_WARNING ? "warning" : "notice";
        strbuf_printf(b, "::%s ", cmd);
        StrBuf msg = STRBUF_INIT;
        if (d->src) {
            char buf[PATH_MAX];
            unsigned l, c, el, ec;
            diag_span(d, &l, &c, &el, &ec);
            strbuf_puts(b, "file=");
            gh_escape(b, rel_path(source_path(d->src), root, buf, sizeof buf), 1);
            /* Columns only make sense for a span on one line; GitHub rejects
             * start/end columns on multi-line annotations. */
            if (l == el) strbuf_printf(b, ",line=%u,col=%u,endLine=%u,endColumn=%u,", l, c, el, ec);
            else strbuf_printf(b, ",line=%u,endLine=%u,", l, el);
            /* the annotation carries file and line: the message does not repeat them (tester F13) */
        } else {
            strbuf_puts(&msg, TOOL_NAME ": ");
        }
        strbuf_puts(b, "title=");
        StrBuf title = STRBUF_INIT;
        strbuf_printf(&title, TOOL_NAME " (%s)", rule_of(d));
        gh_escape(b, strbuf_cstr(&title), 1);
        strbuf_puts(b, "::");
        int cut;
        const char *m = d->message ? d->message : "";
        strbuf_append(&msg, m, shown_len(m, &cut));
        if (cut) strbuf_puts(&msg, "\xE2\x80\xA6");
        if (strbuf_failed(&msg) || strbuf_failed(&title)) b->failed = 1;
        gh_escape(b, strbuf_cstr(&msg), 0);
        strbuf_putc(b, '\n');
        strbuf_free(&msg);
        strbuf_free(&title);
    }
}

/* ------------------------------------------------------------------ public */

int report_format_parse(const char *name, ReportFormat *out)
{
    static const struct { const char *name; ReportFormat fmt; } names[] = {
        {"gcc", REPORT_GCC}, {"concise", REPORT_GCC}, {"text", REPORT_TEXT},
        {"json", REPORT_JSON}, {"sarif", REPORT_SARIF}, {"github", REPORT_GITHUB},
        {"markdown", REPORT_MARKDOWN},
    };
    if (!name) return 0;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (!strcmp(name, names[i].name)) { *out = names[i].fmt; return 1; }
    return 0;
}

int report_emit(StrBuf *out, ReportFormat fmt, const DiagList *diags, const ReportOptions *opt)
{
    static const ReportOptions defaults = {0, NULL, 0, 0, NULL, NULL, NULL};
    if (!opt) opt = &defaults;
    if (!report_supports(fmt, opt)) return -1;
    if (opt->quiet) {
        put_counts(out, diags);
        return strbuf_failed(out) ? -1 : 0;
    }
    switch (fmt) {
    case REPORT_GCC:
    case REPORT_TEXT:
        /* gcc stays one finding a line (and nothing when clean): the launch
         * lines are for the reader of the text format */
        if (fmt == REPORT_TEXT) put_launch_lines(out, opt->launch_text);
        if (opt->statistics) emit_statistics_text(out, diags);
        else if (fmt == REPORT_GCC) emit_gcc(out, diags, opt->name_root);
        else emit_text(out, diags, opt->color, opt->name_root);
        break;
    case REPORT_JSON:
        if (opt->statistics) emit_statistics_json(out, diags);
        else emit_json(out, diags, opt->launch_json, opt->name_root);
        break;
    case REPORT_SARIF: emit_sarif(out, diags, opt->repo_root); break;
    case REPORT_GITHUB: emit_github(out, diags, opt->repo_root); break;
    case REPORT_MARKDOWN: report_markdown(out, diags, opt); break;
    default: return -1;
    }
    return strbuf_failed(out) ? -1 : 0;
}

int report_supports(ReportFormat fmt, const ReportOptions *opt)
{
    if (fmt < REPORT_GCC || fmt > REPORT_MARKDOWN) return 0;
    if (opt && opt->quiet && fmt != REPORT_TEXT && fmt != REPORT_GCC) return 0;
    if (opt && opt->statistics && (fmt == REPORT_SARIF || fmt == REPORT_GITHUB)) return 0;
    return 1;
}

int report_color_decide(const char *flag, int is_tty)
{
    if (flag && !strcmp(flag, "always")) return 1;
    if (flag && !strcmp(flag, "never")) return 0;
    if (flag && strcmp(flag, "auto")) return -1;
    const char *no = getenv("NO_COLOR");
    if (no && no[0]) return 0;
    const char *force = getenv("FORCE_COLOR");
    if (force && force[0]) return 1;
    return is_tty ? 1 : 0;
}

/* ---------------------------------------------------------- rule catalogue */

int report_rules_list(StrBuf *out)
{
    int wname = 4;
    for (size_t i = 0; i < rule_count; i++) {
        int n = (int)strlen(rule_table[i].name);
        if (n > wname) wname = n;
    }
    strbuf_printf(out, "%-7s %-*s %-8s %-3s %s\n", "ID", wname, "NAME", "SEVERITY", "FIX", "SUMMARY");
    for (size_t i = 0; i < rule_count; i++) {
        const Rule *r = &rule_table[i];
        strbuf_printf(out, "%-7s %-*s %-8s %-3s %s\n", r->id, wname, r->name,
                      severity_name(r->severity), r->fixable ? "yes" : "no", r->summary);
    }
    return strbuf_failed(out) ? -1 : 0;
}

int report_rule_explain(StrBuf *out, const Rule *r)
{
    if (!r) return -1;
    strbuf_printf(out, "%s %s\nDefault severity: %s. Fixable: %s.\n\n%s\n\n", r->id, r->name,
                  severity_name(r->severity),
                  r->fixable ? "yes (nf-preflight fix)" : "no", r->summary);
    strbuf_puts(out, r->explain);
    size_t n = strlen(r->explain);
    if (n == 0 || r->explain[n - 1] != '\n') strbuf_putc(out, '\n');
    return strbuf_failed(out) ? -1 : 0;
}

/* Explain text uses 4-space indented lines for examples, often right after
 * a line like "Example:". Markdown would fold those into the paragraph, so
 * each indented run becomes a fenced block with blank lines around it. */
static void md_explain(StrBuf *b, const char *text)
{
    int in_code = 0;
    const char *p = text;
    while (*p) {
        const char *e = strchr(p, '\n');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        int code = len >= 4 && !strncmp(p, "    ", 4);
        if (code && !in_code) {
            if (b->len && !(b->len >= 2 && b->data[b->len - 1] == '\n' && b->data[b->len - 2] == '\n'))
                strbuf_putc(b, '\n');
            strbuf_puts(b, "```\n");
            in_code = 1;
        } else if (!code && in_code) {
            strbuf_puts(b, "```\n");
            if (len) strbuf_putc(b, '\n');
            in_code = 0;
        }
        if (code) strbuf_append(b, p + 4, len - 4);
        else strbuf_append(b, p, len);
        strbuf_putc(b, '\n');
        if (!e) break;
        p = e + 1;
    }
    if (in_code) strbuf_puts(b, "```\n");
}

static void md_cell(StrBuf *b, const char *s)
{
    for (; *s; s++) {
        if (*s == '|') strbuf_puts(b, "\\|");
        else strbuf_putc(b, *s);
    }
}

int report_rules_markdown(StrBuf *out)
{
    strbuf_puts(out,
        "<!-- Generated from src/rules.def by scripts/gen-rules-md.sh. Do not edit by hand. -->\n"
        "# nf-preflight rules\n\n"
        "Every diagnostic names one rule. Ids (`NFP001`) and names (`syntax-error`) are stable\n"
        "and never reused; either form works in `.nf-preflight.yml` (`rules:`, `ignore:`,\n"
        "`per-file-ignores:`) and with `nf-preflight explain`. The severity below is the default;\n"
        "`rules: {NAME: error|warning|info|off}` changes it. `syntax-error` cannot be turned off.\n"
        "Each rule says what Nextflow or Wave does that it predicts, and the source it was\n"
        "checked against.\n\n"
        "| ID | Name | Severity | Fixable | Summary |\n"
        "| --- | --- | --- | --- | --- |\n");
    for (size_t i = 0; i < rule_count; i++) {
        const Rule *r = &rule_table[i];
        char anchor[64];
        size_t k = 0;
        for (const char *p = r->id; *p && k < sizeof anchor - 1; p++)
            anchor[k++] = (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p);
        anchor[k] = '\0';
        strbuf_printf(out, "| [%s](#%s-%s) | `%s` | %s | %s | ", r->id, anchor, r->name, r->name,
                      severity_name(r->severity), r->fixable ? "yes" : "no");
        md_cell(out, r->summary);
        strbuf_puts(out, " |\n");
    }
    for (size_t i = 0; i < rule_count; i++) {
        const Rule *r = &rule_table[i];
        strbuf_printf(out, "\n## %s %s\n\nDefault severity: **%s**. Fixable: %s.\n\n%s\n\n", r->id,
                      r->name, severity_name(r->severity), r->fixable ? "yes" : "no", r->summary);
        if (r->predicts && r->predicts[0]) strbuf_printf(out, "Predicts: %s\n\n", r->predicts);
        if (r->checked_against) strbuf_printf(out, "Checked against: %s\n\n", r->checked_against);
        md_explain(out, r->explain);
    }
    return strbuf_failed(out) ? -1 : 0;
}

/* ------------------------------------------------------------------ verdict and markdown */

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

void report_verdict_line(StrBuf *out, const DiagList *diags, const char *name_root)
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
        if (d && d->src) {
            /* the line Platform shows first: where, after what (tester F9) */
            unsigned l, c, el, ec;
            diag_span(d, &l, &c, &el, &ec);
            char buf[PATH_MAX];
            const char *name = shown_name(d->src, name_root, buf, sizeof buf);
            strbuf_puts(out, " (");
            report_put_oneline(out, name ? name : "");
            strbuf_printf(out, ":%u:%u)", l, c);
        }
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
    report_verdict_line(&v, diags, opt ? opt->name_root : NULL);
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
                char buf[PATH_MAX];
                const char *name = shown_name(d->src, opt ? opt->name_root : NULL, buf, sizeof buf);
                strbuf_printf(&loc, "%s:%u:%u", name ? name : "", l, c);
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
