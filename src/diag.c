#include "diag.h"
#include "alloc.h"
#include "rules.h"
#include "strbuf.h"
#include <stdlib.h>
#include <string.h>

Diag *diag_vadd(DiagList *list, const Source *src, size_t start, size_t end,
                Severity sev, RuleId rule, const char *fmt, va_list ap)
{
    Diag *items = np_grow(list->items, list->len, &list->cap, sizeof *items, 16);
    if (!items) { list->oom = 1; return NULL; }
    list->items = items;
    StrBuf msg = STRBUF_INIT;
    strbuf_vprintf(&msg, fmt, ap);
    char *text = strbuf_take(&msg);
    if (!text) { list->oom = 1; return NULL; }
    int known = (unsigned)rule < RULE_COUNT;
    if (sev == DIAG_DEFAULT_SEV) sev = known ? rule_table[rule].severity : SEV_WARNING;
    if (end < start) end = start;
    Diag *d = &list->items[list->len++];
    memset(d, 0, sizeof *d);
    d->src = src;
    d->start = start;
    d->end = end;
    d->sev = sev;
    d->id = known ? rule : RULE_COUNT;
    d->rule = known ? rule_table[rule].name : "unknown";
    d->message = text;
    return d;
}

Diag *diag_add(DiagList *list, const Source *src, size_t start, size_t end,
               Severity sev, RuleId rule, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    Diag *d = diag_vadd(list, src, start, end, sev, rule, fmt, ap);
    va_end(ap);
    return d;
}

int diag_add_edit(DiagList *list, Diag *d, size_t start, size_t end, const char *text)
{
    Edit *e = np_realloc(d->edits, (d->nedits + 1) * sizeof *e);
    if (!e) { list->oom = 1; return 0; }
    d->edits = e;
    char *copy = np_strdup(text);
    if (!copy) { list->oom = 1; return 0; }
    e[d->nedits].start = start;
    e[d->nedits].end = end;
    e[d->nedits].text = copy;
    d->nedits++;
    return 1;
}

int diag_copy_keep_source(DiagList *list, const Diag *d)
{
    const Source *keep = NULL;
    if (d->src) {
        for (size_t i = 0; i < list->nowned && !keep; i++)
            if (!strcmp(list->owned[i]->name, d->src->name) && list->owned[i]->len == d->src->len &&
                !memcmp(list->owned[i]->text, d->src->text, d->src->len))
                keep = list->owned[i];
        if (!keep) {
            Source **o = np_realloc(list->owned, (list->nowned + 1) * sizeof *o);
            if (!o) { list->oom = 1; return 0; }
            list->owned = o;
            Source *copy = source_from_memory(d->src->name, d->src->path, d->src->text, d->src->len);
            if (!copy) { list->oom = 1; return 0; }
            list->owned[list->nowned++] = copy;
            keep = copy;
        }
    }
    Diag *n = diag_add(list, keep, d->start, d->end, d->sev, d->id, "%s", d->message ? d->message : "");
    if (n) n->note = d->note;
    for (size_t i = 0; n && i < d->nedits; i++)
        if (!diag_add_edit(list, n, d->edits[i].start, d->edits[i].end, d->edits[i].text)) return 0;
    return n != NULL;
}

/* Frees what one diagnostic owns: its message and its edits. */
static void diag_free_owned(Diag *d)
{
    np_free(d->message);
    for (size_t k = 0; k < d->nedits; k++) np_free(d->edits[k].text);
    np_free(d->edits);
}

size_t diag_list_filter(DiagList *list, int (*keep)(Diag *d, void *ctx), void *ctx)
{
    size_t w = 0;
    for (size_t i = 0; i < list->len; i++) {
        Diag *d = &list->items[i];
        if (keep(d, ctx)) list->items[w++] = *d;
        else diag_free_owned(d);
    }
    size_t removed = list->len - w;
    list->len = w;
    return removed;
}

void diag_list_free(DiagList *list)
{
    np_free(list->masks);
    for (size_t i = 0; i < list->nowned; i++) source_free(list->owned[i]);
    np_free(list->owned);
    for (size_t i = 0; i < list->len; i++) diag_free_owned(&list->items[i]);
    np_free(list->items);
    memset(list, 0, sizeof *list);
}

/* Appends n elements of `size` bytes at `from` to the array *items of *len
 * elements; 0 on OOM. */
static int append_array(void **items, size_t *len, const void *from, size_t n, size_t size)
{
    if (!n) return 1;
    void *grown = np_realloc(*items, (*len + n) * size);
    if (!grown) return 0;
    memcpy((char *)grown + *len * size, from, n * size);
    *items = grown;
    *len += n;
    return 1;
}

int diag_list_take(DiagList *into, DiagList *from)
{
    size_t len = into->len, nmasks = into->nmasks, nowned = into->nowned;
    void *items = into->items, *masks = into->masks, *owned = into->owned;
    int ok = append_array(&items, &len, from->items, from->len, sizeof *from->items) &&
             append_array(&masks, &nmasks, from->masks, from->nmasks, sizeof *from->masks) &&
             append_array(&owned, &nowned, from->owned, from->nowned, sizeof *from->owned);
    into->items = items;       /* grown or not, still into's (lengths unchanged on failure) */
    into->masks = masks;
    into->owned = owned;
    if (!ok) {
        into->oom = 1;
        return 0;
    }
    into->len = len;
    into->cap = len;
    into->nmasks = nmasks;
    into->nowned = nowned;
    into->oom |= from->oom;
    np_free(from->items);
    np_free(from->masks);
    np_free(from->owned);
    memset(from, 0, sizeof *from);
    return 1;
}

static int cmp_diag(const void *pa, const void *pb)
{
    const Diag *a = pa, *b = pb;
    const char *na = a->src ? a->src->name : "", *nb = b->src ? b->src->name : "";
    int c = strcmp(na, nb);
    if (c) return c;
    if (a->start != b->start) return a->start < b->start ? -1 : 1;
    c = strcmp(a->rule, b->rule);
    if (c) return c;
    return strcmp(a->message, b->message);
}

void diag_sort(DiagList *list)
{
    if (list->len > 1) qsort(list->items, list->len, sizeof *list->items, cmp_diag);
}

size_t diag_count(const DiagList *list, Severity sev)
{
    size_t n = 0;
    for (size_t i = 0; i < list->len; i++) n += list->items[i].sev == sev && !list->items[i].note;
    return n;
}

size_t diag_count_notes(const DiagList *list)
{
    size_t n = 0;
    for (size_t i = 0; i < list->len; i++) n += list->items[i].note != 0;
    return n;
}

const char *severity_name(Severity s)
{
    switch (s) {
    case SEV_ERROR: return "error";
    case SEV_WARNING: return "warning";
    case SEV_INFO: return "info";
    default: return "off";
    }
}

int severity_parse(const char *s, Severity *out)
{
    if (!strcmp(s, "error")) *out = SEV_ERROR;
    else if (!strcmp(s, "warning")) *out = SEV_WARNING;
    else if (!strcmp(s, "info")) *out = SEV_INFO;
    else if (!strcmp(s, "off") || !strcmp(s, "none")) *out = SEV_NONE;
    else return 0;
    return 1;
}
