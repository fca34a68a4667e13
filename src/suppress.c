#define _GNU_SOURCE 1 /* memmem */
#include "suppress.h"
#include "alloc.h"
#include "lex.h"
#include "rules.h"
#include <ctype.h>
#include <string.h>

#define MAX_RULES_PER_COMMENT 16

typedef struct Suppression {
    const Source *src;                   /* what it covers; NULL: every diagnostic of the run */
    const Source *comment_src;           /* where the comment is written */
    size_t comment_start, comment_end;   /* the comment, for unused-suppression */
    size_t from, to;                     /* byte range it covers */
    const Rule *rules[MAX_RULES_PER_COMMENT];
    int nrules;
    int used;
} Suppression;

typedef struct SupList {
    Suppression *items;
    size_t len, cap;
} SupList;

static int push(SupList *l, const Suppression *s)
{
    Suppression *n = np_grow(l->items, l->len, &l->cap, sizeof *n, 8);
    if (!n) return 0;
    l->items = n;
    l->items[l->len++] = *s;
    return 1;
}

/* The smallest statement that starts after `off` (the statement the comment
 * stands above), searching blocks, selectors and legacy bodies. Not walk.h:
 * this is a lookup by offset over every statement kind (includes, `def`s,
 * whole if/try statements), where the walk reports config assignments and
 * blocks only; it descends into the same bodies the walk visits. */
static const Node *next_statement(const Node *n, size_t off, int depth)
{
    if (!n || depth > 300) return NULL;
    for (size_t i = 0; i < n->nkids; i++) {
        const Node *k = n->kids[i];
        if (!k) continue;
        if (k->start >= off) return k;
        if (k->end > off) {            /* the comment sits inside this statement */
            const Node *inner = NULL;
            if (k->kind == N_BLOCK || k->kind == N_SELECTOR || k->kind == N_BODY || k->kind == N_FILE)
                inner = next_statement(k, off, depth + 1);
            else if (k->kind == N_IF) {
                inner = next_statement(k->b, off, depth + 1);
                if (!inner) inner = next_statement(k->c, off, depth + 1);
            } else if (k->kind == N_TRY) {
                /* the try, catch and finally bodies: all hold config the rules see */
                inner = next_statement(k->a, off, depth + 1);
                for (size_t j = 0; !inner && j < k->nkids; j++)
                    if (k->kids[j] && k->kids[j]->kind == N_CATCH) inner = next_statement(k->kids[j]->a, off, depth + 1);
                if (!inner) inner = next_statement(k->c, off, depth + 1);
            }
            if (inner) return inner;
        }
    }
    return NULL;
}

/* Parses "ignore[a, b]" or "file-ignore[a]" after "nf-preflight:". Returns
 * 1 for ignore, 2 for file-ignore, 0 when the comment is not a suppression. */
static int parse_directive(const char *s, size_t n, Suppression *sup)
{
    const char *tag = "nf-preflight:";
    size_t tl = strlen(tag);
    size_t i = 0;
    while (i < n && (s[i] == '/' || s[i] == '*' || isspace((unsigned char)s[i]))) i++;
    if (n - i < tl || memcmp(s + i, tag, tl) != 0) return 0;
    i += tl;
    while (i < n && isspace((unsigned char)s[i])) i++;
    int kind;
    if (n - i >= 12 && memcmp(s + i, "file-ignore[", 12) == 0) { kind = 2; i += 12; }
    else if (n - i >= 7 && memcmp(s + i, "ignore[", 7) == 0) { kind = 1; i += 7; }
    else return 0;
    while (i < n && s[i] != ']') {
        while (i < n && (isspace((unsigned char)s[i]) || s[i] == ',')) i++;
        size_t st = i;
        while (i < n && s[i] != ',' && s[i] != ']' && !isspace((unsigned char)s[i])) i++;
        if (i > st && sup->nrules < MAX_RULES_PER_COMMENT) {
            char name[64];
            size_t len = i - st < sizeof name - 1 ? i - st : sizeof name - 1;
            memcpy(name, s + st, len);
            name[len] = '\0';
            const Rule *r = rule_find(name);
            if (r) sup->rules[sup->nrules++] = r;
        }
    }
    return sup->nrules ? kind : 0;
}

static int collect(SupList *out, const Source *src, const Node *tree)
{
    Lexer lx;
    lex_init(&lx, src->text, 0, src->len);
    size_t line_code_start = (size_t)-1;   /* first significant token on the current line */
    for (;;) {
        Token t = lex_next(&lx);
        if (t.kind == TK_EOF) break;
        if (t.kind == TK_NL) { line_code_start = (size_t)-1; continue; }
        if (t.kind == TK_WS) continue;
        if (t.kind != TK_COMMENT) {
            if (line_code_start == (size_t)-1) line_code_start = t.start;
            continue;
        }
        Suppression s;
        memset(&s, 0, sizeof s);
        int kind = parse_directive(src->text + t.start, t.end - t.start, &s);
        if (!kind) continue;
        s.src = src;
        s.comment_src = src;
        s.comment_start = t.start;
        s.comment_end = t.end;
        if (kind == 2) {
            s.from = 0;
            s.to = src->len + 1;
        } else if (line_code_start != (size_t)-1) {
            /* trailing: covers the line it ends */
            unsigned line, col;
            source_linecol(src, t.start, &line, &col);
            s.from = source_line_start(src, line - 1);
            s.to = t.end;
        } else {
            const Node *stmt = next_statement(tree, t.end, 0);
            if (!stmt) continue;
            s.from = stmt->start;
            s.to = stmt->end > stmt->start ? stmt->end : stmt->start + 1;
        }
        if (!push(out, &s)) return 0;
    }
    return 1;
}

/* Whether no suppression covers d (marking the one that does as used).
 * Syntax errors are never suppressible. */
static int not_suppressed(Diag *d, void *ctx)
{
    SupList *sups = ctx;
    if (d->id == RULE_SYNTAX_ERROR) return 1;
    for (size_t k = 0; k < sups->len; k++) {
        Suppression *s = &sups->items[k];
        if ((s->src && s->src != d->src) || d->start < s->from || d->start >= s->to) continue;
        for (int j = 0; j < s->nrules; j++)
            if (s->rules[j] == &rule_table[d->id]) { s->used = 1; return 0; }
    }
    return 1;
}

/* Removes what the suppressions cover and reports the unused ones. When the
 * comments' text is about to go (a YAML launch file), the unused-suppression
 * diagnostics keep a copy of it. */
static long apply_list(DiagList *diags, SupList *sups, int copy_comment_src, int report_unused)
{
    if (sups->len == 0) return 0;
    long removed = (long)diag_list_filter(diags, not_suppressed, sups);
    for (size_t k = 0; k < sups->len; k++) {
        Suppression *s = &sups->items[k];
        if (s->used || !report_unused) continue;
        Diag unused = {0};
        unused.src = s->comment_src;
        unused.start = s->comment_start;
        unused.end = s->comment_end;
        unused.sev = SEV_INFO;
        unused.id = RULE_UNUSED_SUPPRESSION;
        unused.message = (char *)"suppression matched no diagnostic; remove it";
        if (copy_comment_src) diag_copy_keep_source(diags, &unused);
        else diag_add(diags, unused.src, unused.start, unused.end, DIAG_DEFAULT_SEV, unused.id, "%s", unused.message);
    }
    return diags->oom ? -1 : removed;
}

long suppress_apply(DiagList *diags, Source *const *sources, Node *const *trees, size_t n, int report_unused)
{
    SupList sups = {0};
    for (size_t i = 0; i < n; i++) {
        if (!sources[i] || !memmem(sources[i]->text, sources[i]->len, "nf-preflight:", 13)) continue;
        if (!collect(&sups, sources[i], trees ? trees[i] : NULL)) { np_free(sups.items); return -1; }
    }
    long removed = apply_list(diags, &sups, 0, report_unused);
    np_free(sups.items);
    return removed;
}

long suppress_apply_yaml(DiagList *diags, const Source *yaml, const Source *target, int report_unused)
{
    SupList sups = {0};
    const char *t = yaml->text;
    size_t nlines = source_nlines(yaml);
    for (size_t ln = 0; ln < nlines; ln++) {
        size_t a = source_line_start(yaml, ln);
        size_t b = ln + 1 < nlines ? source_line_start(yaml, ln + 1) : yaml->len;
        /* a YAML comment starts with `#` at the line start or after a blank */
        for (size_t i = a; i < b; i++) {
            if (t[i] != '#' || (i > a && t[i - 1] != ' ' && t[i - 1] != '\t')) continue;
            Suppression sp;
            memset(&sp, 0, sizeof sp);
            if (!parse_directive(t + i + 1, b - i - 1, &sp)) break;
            sp.src = target;
            sp.comment_src = yaml;
            sp.comment_start = i;
            sp.comment_end = b;
            while (sp.comment_end > i && (t[sp.comment_end - 1] == '\n' || t[sp.comment_end - 1] == '\r'))
                sp.comment_end--;
            sp.from = 0;
            sp.to = (size_t)-1;
            if (!push(&sups, &sp)) { np_free(sups.items); return -1; }
            break;
        }
    }
    long removed = apply_list(diags, &sups, 1, report_unused);
    np_free(sups.items);
    return removed;
}
