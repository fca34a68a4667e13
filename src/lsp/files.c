#include "lsp/files.h"
#include "alloc.h"
#include "check/targets.h"
#include "lsp/text.h"
#include "parse.h"
#include "strbuf.h"
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

OpenDoc *files_doc(Files *f, const char *uri)
{
    for (size_t i = 0; i < f->ndocs; i++)
        if (!strcmp(f->docs[i].uri, uri)) return &f->docs[i];
    return NULL;
}

OpenDoc *files_doc_by_path(Files *f, const char *path)
{
    for (size_t i = 0; path && i < f->ndocs; i++)
        if (f->docs[i].path && !strcmp(f->docs[i].path, path)) return &f->docs[i];
    return NULL;
}

static void doc_free(OpenDoc *d)
{
    np_free(d->uri);
    np_free(d->path);
    np_free(d->text);
}

OpenDoc *files_open(Files *f, const char *uri, const char *text, size_t len, long long version)
{
    char *t = np_malloc(len + 1);
    char *u = np_strdup(uri);
    char *raw = uri_to_path(uri);
    char *p = raw ? path_normalize(raw) : NULL;
    np_free(raw);
    OpenDoc *d = files_doc(f, uri);
    if (!d) {
        OpenDoc *nd = np_grow(f->docs, f->ndocs, &f->capdocs, sizeof *nd, 8);
        if (nd) f->docs = nd;
    }
    if (!t || !u || (!d && f->ndocs == f->capdocs)) {
        np_free(t); np_free(u); np_free(p);
        return NULL;
    }
    memcpy(t, text, len);
    t[len] = '\0';
    if (d) doc_free(d);
    else d = &f->docs[f->ndocs++];
    memset(d, 0, sizeof *d);
    d->uri = u;
    d->path = p;
    d->text = t;
    d->len = len;
    d->version = version;
    return d;
}

void files_close(Files *f, const char *uri)
{
    OpenDoc *d = files_doc(f, uri);
    if (!d) return;
    doc_free(d);
    size_t i = (size_t)(d - f->docs);
    memmove(d, d + 1, (f->ndocs - i - 1) * sizeof *d);
    f->ndocs--;
}

static void cached_free(CachedFile *c)
{
    np_free(c->path);
    np_free(c->text);
}

void files_forget(Files *f, const char *path)
{
    for (size_t i = 0; i < f->ncache; i++) {
        if (strcmp(f->cache[i].path, path)) continue;
        cached_free(&f->cache[i]);
        f->cache[i] = f->cache[--f->ncache];
        return;
    }
}

static void parsed_free(ParsedFile *p)
{
    np_free(p->path);
    np_free(p->text);
    arena_free(p->arena);
    diag_list_free(&p->diags);
}

void files_free(Files *f)
{
    for (size_t i = 0; i < f->nparsed; i++) parsed_free(&f->parsed[i]);
    np_free(f->parsed);
    for (size_t i = 0; i < f->ndocs; i++) doc_free(&f->docs[i]);
    for (size_t i = 0; i < f->ncache; i++) cached_free(&f->cache[i]);
    np_free(f->docs);
    np_free(f->cache);
    memset(f, 0, sizeof *f);
}

static void stamp(const struct stat *st, CachedFile *c)
{
    c->size = (long long)st->st_size;
    c->mtime_ns = (long long)st->st_mtim.tv_sec * 1000000000LL + st->st_mtim.tv_nsec;
    c->ino = (long long)st->st_ino;
    c->dev = (long long)st->st_dev;
}

/* Keeps a copy of a file just read; a full cache drops its oldest entry. */
static void remember(Files *f, const char *path, const struct stat *st, const Source *s)
{
    if (f->ncache == FILES_MAX_CACHED) {
        cached_free(&f->cache[0]);
        memmove(f->cache, f->cache + 1, (f->ncache - 1) * sizeof *f->cache);
        f->ncache--;
    }
    CachedFile *n = np_grow(f->cache, f->ncache, &f->capcache, sizeof *n, 16);
    if (!n) return;
    f->cache = n;
    CachedFile c = {0};
    c.path = np_strdup(path);
    c.text = np_malloc(s->len + 1);
    if (!c.path || !c.text) { cached_free(&c); return; }
    memcpy(c.text, s->text, s->len + 1);
    c.len = s->len;
    stamp(st, &c);
    f->cache[f->ncache++] = c;
}

Source *files_load(void *ctx, const char *path, const char *name, int *err)
{
    Files *f = ctx;
    char *norm = path_normalize(path);
    if (!norm) { *err = SOURCE_ENOMEM; return NULL; }
    Source *s = NULL;
    OpenDoc *d = files_doc_by_path(f, norm);
    if (d) {
        f->buffer_loads++;
        s = source_from_memory(name ? name : path, path, d->text, d->len);
        if (!s) *err = SOURCE_ENOMEM;
        np_free(norm);
        return s;
    }
    struct stat st;
    int have_stat = stat(norm, &st) == 0;
    if (have_stat && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) {
        /* a device (includeConfig '/dev/zero'), FIFO or socket: never read */
        np_free(norm);
        *err = SOURCE_ESPECIAL;
        return NULL;
    }
    if (have_stat && S_ISREG(st.st_mode)) {
        CachedFile now = {0};
        stamp(&st, &now);
        for (size_t i = 0; i < f->ncache; i++) {
            CachedFile *c = &f->cache[i];
            if (strcmp(c->path, norm)) continue;
            if (c->size == now.size && c->mtime_ns == now.mtime_ns && c->ino == now.ino && c->dev == now.dev) {
                f->cache_hits++;
                s = source_from_memory(name ? name : path, path, c->text, c->len);
                if (!s) *err = SOURCE_ENOMEM;
                np_free(norm);
                return s;
            }
            files_forget(f, norm);
            break;
        }
    }
    s = source_load(path, name, err);
    if (s) {
        f->disk_reads++;
        /* stat again after reading: a file changing meanwhile is not cached */
        struct stat after;
        if (stat(norm, &after) == 0 && S_ISREG(after.st_mode) && after.st_size == (off_t)s->len)
            remember(f, norm, &after, s);
    }
    np_free(norm);
    return s;
}

/* Adds the kept parse's diagnostics to a run, pointing at that run's Source
 * (the same bytes). 0, or -1 when memory ran out. */
static int replay(const ParsedFile *p, const Source *src, DiagList *diags)
{
    for (size_t i = 0; i < p->diags.len; i++) {
        const Diag *d = &p->diags.items[i];
        Diag *n = diag_add(diags, src, d->start, d->end, d->sev, d->id, "%s", d->message ? d->message : "");
        if (!n) return -1;
        for (size_t k = 0; k < d->nedits; k++)
            if (!diag_add_edit(diags, n, d->edits[k].start, d->edits[k].end, d->edits[k].text)) return -1;
    }
    return 0;
}

Node *files_parse(void *ctx, Arena *arena, const Source *src, DiagList *diags, int *errors)
{
    Files *f = ctx;
    char *norm = src->path ? path_normalize(src->path) : NULL;
    if (!norm) return parse_config(arena, src, diags, errors);
    for (size_t i = 0; i < f->nparsed; i++) {
        ParsedFile *p = &f->parsed[i];
        if (strcmp(p->path, norm)) continue;
        if (p->len == src->len && memcmp(p->text, src->text, src->len) == 0) {
            np_free(norm);
            f->parse_hits++;
            if (errors) *errors = p->errors;
            if (replay(p, src, diags) != 0) diags->oom = 1;
            return p->tree;
        }
        parsed_free(p);                  /* the file changed: this parse is stale */
        f->parsed[i] = f->parsed[--f->nparsed];
        break;
    }
    f->parses++;
    ParsedFile p = {0};
    p.path = norm;
    p.text = np_malloc(src->len + 1);
    p.arena = arena_new();
    if (!p.text || !p.arena) {
        parsed_free(&p);
        return parse_config(arena, src, diags, errors);
    }
    memcpy(p.text, src->text, src->len + 1);
    p.len = src->len;
    p.tree = parse_config(p.arena, src, &p.diags, &p.errors);
    if (errors) *errors = p.errors;
    int ok = p.tree && !p.diags.oom && !arena_failed(p.arena);
    if (ok && f->nparsed == FILES_MAX_CACHED) {
        parsed_free(&f->parsed[0]);
        f->parsed[0] = f->parsed[--f->nparsed];
    }
    if (ok) {
        ParsedFile *n = np_grow(f->parsed, f->nparsed, &f->capparsed, sizeof *n, 16);
        if (n) f->parsed = n;
        else ok = 0;
    }
    if (!ok) {
        /* not kept: parse again into the run's own arena so the tree lives with it */
        parsed_free(&p);
        return parse_config(arena, src, diags, errors);
    }
    if (replay(&p, src, diags) != 0) diags->oom = 1;
    f->parsed[f->nparsed++] = p;
    return p.tree;
}
