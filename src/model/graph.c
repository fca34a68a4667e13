/* graph — fully qualified process names from the workflow include graph
 * (see graph.h). Facts: nextflow-io/nextflow 2aad02f BindableDef.invoke_a
 * (names), IncludeDef.resolveModulePath/realModulePath (include paths: './'
 * or '../' from the including file's directory, normalized; NAME.nf when
 * NAME has no .nf suffix and that file exists, NAME/main.nf for a
 * directory; 'plugin/' includes bring functions only). */
#include "model/graph.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"

#define GRAPH_MAX_DEPTH 32           /* workflows within workflows */
#define GRAPH_MAX_INVOCATIONS 100000 /* bounded work on any input */

/* What one scanned file defines: its ranges in the scan's arrays (each
 * file's entries are appended together, in walk order). */
typedef struct FileInfo {
    size_t proc0, nproc;
    size_t wf0, nwf;
    size_t inc0, ninc;
} FileInfo;

typedef struct NameKey {
    const char *name;         /* normalized: the source's own name, else np_malloc'd */
    size_t idx;
    int owned;
} NameKey;

typedef struct PtrKey {
    uintptr_t ptr;
    size_t idx;
} PtrKey;

/* What a workflow's mention resolves to, worked out on its first visit. */
typedef struct Target {
    long proc;                /* a process (index into procs), or -1 */
    const PipeWorkflow *wf;   /* else a workflow, or NULL (a function: nothing) */
} Target;

typedef struct Walk {
    const PipelineScan *scan;
    Target **targets;         /* per workflow index: its refs' targets, or NULL before its first visit (np_calloc) */
    Arena *a;
    NameKey *by_name;         /* sources by normalized name (np_malloc) */
    const char **names;       /* the same names by source index (np_malloc) */
    PtrKey *by_ptr;           /* sources by address (np_malloc) */
    FileInfo *files;          /* parallel to scan->sources (np_calloc) */
    long *inc_target;         /* per include: the source it resolved to, or -1 (np_malloc) */
    GraphInvocation *out;
    size_t n, cap;
    size_t visits;            /* workflow visits so far (bounded) */
    const char *why;          /* set when the graph turns out unknown */
    int oom;
} Walk;

/* path with "//", "/./" and "x/../" removed, lexically (np_malloc'd), or NULL. */
static char *normalize(const char *path)
{
    size_t len = strlen(path);
    char *out = np_malloc(len + 1);
    if (!out) return NULL;
    size_t o = 0;
    int absolute = path[0] == '/';
    if (absolute) out[o++] = '/';
    const char *p = path;
    while (*p) {
        while (*p == '/') p++;
        if (!*p) break;
        size_t seg = strcspn(p, "/");
        if (seg == 1 && p[0] == '.') {
            /* "." adds nothing */
        } else if (seg == 2 && p[0] == '.' && p[1] == '.' && o > (size_t)absolute) {
            /* ".." drops the last segment written, unless that is ".." too */
            size_t last = o;
            while (last > (size_t)absolute && out[last - 1] != '/') last--;
            if (o - last == 2 && out[last] == '.' && out[last + 1] == '.') {
                out[o++] = '/';
                out[o++] = '.';
                out[o++] = '.';
            } else {
                o = last > (size_t)absolute ? last - 1 : last;
            }
        } else {
            if (o > (size_t)absolute) out[o++] = '/';
            memcpy(out + o, p, seg);
            o += seg;
        }
        p += seg;
    }
    out[o] = '\0';
    return out;
}

/* 1 when normalize(path) would give path back: no empty, "." or ".."
 * segment, no '/' at the end (the common case: the walk joined the names). */
static int is_normal(const char *path)
{
    const char *p = path;
    if (*p == '/') p++;
    for (;;) {
        size_t seg = strcspn(p, "/");
        if (!seg || (seg == 1 && p[0] == '.') || (seg == 2 && p[0] == '.' && p[1] == '.')) return 0;
        if (!p[seg]) return 1;
        p += seg + 1;
    }
}

static int name_key_cmp(const void *x, const void *y)
{
    return strcmp(((const NameKey *)x)->name, ((const NameKey *)y)->name);
}

static int ptr_key_cmp(const void *x, const void *y)
{
    uintptr_t a = ((const PtrKey *)x)->ptr, b = ((const PtrKey *)y)->ptr;
    return a < b ? -1 : a > b;
}

/* Index of the scanned source named `path` (normalized), or -1. */
static long find_source(const Walk *w, const char *path)
{
    NameKey key = {path, 0, 0};
    const NameKey *hit = bsearch(&key, w->by_name, w->scan->nsources, sizeof key, name_key_cmp);
    return hit ? (long)hit->idx : -1;
}

/* The index of src in the scan (nsources when it is none of them). */
static size_t source_index(const Walk *w, const Source *src)
{
    PtrKey key = {(uintptr_t)src, 0};
    const PtrKey *hit = bsearch(&key, w->by_ptr, w->scan->nsources, sizeof key, ptr_key_cmp);
    return hit ? hit->idx : w->scan->nsources;
}

/* The source an include of file `from` names: PATH.nf, PATH/main.nf or PATH,
 * as Nextflow tries them. -1 when none was scanned; -2 out of memory. */
static long resolve_include(const Walk *w, size_t from, const char *path)
{
    const char *owner = w->names[from];
    const char *slash = strrchr(owner, '/');
    size_t dirlen = slash ? (size_t)(slash - owner) : 0;
    size_t plen = strlen(path);
    char *joined = np_malloc(dirlen + plen + 16);
    if (!joined) return -2;
    static const char *const tries[] = {".nf", "/main.nf", ""};
    long found = -1;
    for (size_t t = 0; t < 3 && found == -1; t++) {
        if (t == 0 && plen > 3 && !strcmp(path + plen - 3, ".nf")) continue;
        memcpy(joined, owner, dirlen);
        size_t o = dirlen;
        if (dirlen) joined[o++] = '/';
        memcpy(joined + o, path, plen);
        memcpy(joined + o + plen, tries[t], strlen(tries[t]) + 1);
        char *norm = normalize(joined);
        if (!norm) { found = -2; break; }
        found = find_source(w, norm);
        np_free(norm);
    }
    np_free(joined);
    return found;
}

static const PipeWorkflow *find_workflow(const Walk *w, size_t file, const char *name)
{
    const FileInfo *f = &w->files[file];
    for (size_t i = f->wf0; i < f->wf0 + f->nwf; i++) {
        const PipeWorkflow *wf = &w->scan->workflows[i];
        if (name ? wf->name && !strcmp(wf->name, name) : !wf->name) return wf;
    }
    return NULL;
}

static long find_process(const Walk *w, size_t file, const char *name)
{
    const FileInfo *f = &w->files[file];
    for (size_t i = f->proc0; i < f->proc0 + f->nproc; i++)
        if (!strcmp(w->scan->procs[i].name, name)) return (long)i;
    return -1;
}

static void add_invocation(Walk *w, size_t proc, const char *simple, const char *qualified)
{
    if (w->n >= GRAPH_MAX_INVOCATIONS) { w->why = "more process invocations than nf-preflight follows"; return; }
    if (w->n == w->cap) {
        size_t nc = w->cap ? w->cap * 2 : 64;
        GraphInvocation *no = arena_alloc(w->a, nc * sizeof *no);
        if (!no) { w->oom = 1; return; }
        if (w->n) memcpy(no, w->out, w->n * sizeof *no);
        w->out = no;
        w->cap = nc;
    }
    w->out[w->n].proc = proc;
    w->out[w->n].simple = simple;
    w->out[w->n].qualified = qualified;
    w->n++;
}

/* The process or workflow that `name` is in file `file`. */
static Target target_in(const Walk *w, size_t file, const char *name)
{
    Target t = {find_process(w, file, name), NULL};
    if (t.proc < 0) t.wf = find_workflow(w, file, name);
    return t;
}

/* Resolves every mention of workflow wf (its includes followed to their
 * files). NULL with w->why or w->oom set when it cannot. */
static Target *resolve_refs(Walk *w, const PipeWorkflow *wf)
{
    size_t from = source_index(w, wf->src);
    if (from >= w->scan->nsources) { w->why = "a workflow of an unknown file"; return NULL; }
    const FileInfo *f = &w->files[from];
    Target *t = arena_alloc(w->a, (wf->nrefs ? wf->nrefs : 1) * sizeof *t);
    if (!t) { w->oom = 1; return NULL; }
    for (size_t r = 0; r < wf->nrefs; r++) {
        const char *ref = wf->refs[r];
        /* an include of this file first, else a definition of it */
        const PipeInclude *inc = NULL;
        size_t ii = 0;
        for (size_t i = f->inc0; i < f->inc0 + f->ninc && !inc; i++)
            if (!strcmp(w->scan->includes[i].alias, ref)) inc = &w->scan->includes[ii = i];
        if (!inc) { t[r] = target_in(w, from, ref); continue; }
        t[r].proc = -1;
        t[r].wf = NULL;
        if (!strncmp(inc->path, "plugin/", 7)) continue;   /* a plugin's functions */
        long target = -1;
        if (!strncmp(inc->path, "./", 2) || !strncmp(inc->path, "../", 3)) {
            /* the names of one include statement share its path: resolved once */
            if (ii > f->inc0 && w->scan->includes[ii - 1].path == inc->path && w->inc_target[ii - 1] >= 0)
                target = w->inc_target[ii - 1];
            else
                target = resolve_include(w, from, inc->path);
            if (target == -2) { w->oom = 1; return NULL; }
            w->inc_target[ii] = target;
        }
        if (target < 0) {
            w->why = arena_printf(w->a, "%s: include from '%s' is not a .nf file of the pipeline", wf->src->name,
                                  inc->path);
            if (!w->why) { w->oom = 1; w->why = "out of memory"; }
            return NULL;
        }
        t[r] = target_in(w, (size_t)target, inc->name);
    }
    return t;
}

/* Every invocation under workflow wf, invoked as prefix[0, plen) (NULL: the
 * entry workflow). Each visit counts against the bound, so that workflows
 * mentioning each other many times over cannot make the walk exponential. */
static void visit(Walk *w, const PipeWorkflow *wf, const char *prefix, size_t plen, int depth)
{
    if (depth > GRAPH_MAX_DEPTH) { w->why = "workflows nested deeper than nf-preflight follows"; return; }
    if (++w->visits > GRAPH_MAX_INVOCATIONS) { w->why = "more workflow invocations than nf-preflight follows"; return; }
    size_t wi = (size_t)(wf - w->scan->workflows);
    if (!w->targets[wi] && !(w->targets[wi] = resolve_refs(w, wf))) return;
    const Target *t = w->targets[wi];
    for (size_t r = 0; r < wf->nrefs && !w->why && !w->oom; r++) {
        if (t[r].proc < 0 && !t[r].wf) continue;
        const char *ref = wf->refs[r];
        size_t rlen = strlen(ref), qlen = prefix ? plen + 1 + rlen : rlen;
        const char *qualified = ref;
        if (prefix) {
            /* PREFIX:NAME (BindableDef.invoke_a) */
            char *q = arena_alloc(w->a, qlen + 1);
            if (!q) { w->oom = 1; return; }
            memcpy(q, prefix, plen);
            q[plen] = ':';
            memcpy(q + plen + 1, ref, rlen + 1);
            qualified = q;
        }
        if (t[r].proc >= 0) add_invocation(w, (size_t)t[r].proc, ref, qualified);
        else visit(w, t[r].wf, qualified, qlen, depth + 1);
    }
}

/* The sorted keys and each file's ranges. Returns 0, or -1 when memory ran out. */
static int index_files(Walk *w)
{
    const PipelineScan *scan = w->scan;
    size_t ns = scan->nsources;
    if (!ns) return 0;
    w->by_name = np_calloc(ns, sizeof *w->by_name);
    w->by_ptr = np_malloc(ns * sizeof *w->by_ptr);
    w->files = np_calloc(ns, sizeof *w->files);
    w->names = np_malloc(ns * sizeof *w->names);
    w->targets = scan->nworkflows ? np_calloc(scan->nworkflows, sizeof *w->targets) : NULL;
    w->inc_target = scan->nincludes ? np_malloc(scan->nincludes * sizeof *w->inc_target) : NULL;
    if (!w->by_name || !w->by_ptr || !w->files || !w->names || (scan->nworkflows && !w->targets) ||
        (scan->nincludes && !w->inc_target))
        return -1;
    for (size_t i = 0; i < scan->nincludes; i++) w->inc_target[i] = -1;
    for (size_t i = 0; i < ns; i++) {
        const char *name = scan->sources[i]->name;
        if (!is_normal(name)) {
            if (!(name = normalize(name))) return -1;
            w->by_name[i].owned = 1;
        }
        w->by_name[i].name = name;
        w->by_name[i].idx = i;
        w->names[i] = w->by_name[i].name;
        w->by_ptr[i].ptr = (uintptr_t)scan->sources[i];
        w->by_ptr[i].idx = i;
    }
    qsort(w->by_name, ns, sizeof *w->by_name, name_key_cmp);
    qsort(w->by_ptr, ns, sizeof *w->by_ptr, ptr_key_cmp);
    /* each file's entries are contiguous: its first entry and their count */
    for (size_t i = 0; i < scan->nprocs; i++) {
        size_t f = source_index(w, scan->procs[i].src);
        if (f >= ns) continue;
        if (!w->files[f].nproc++) w->files[f].proc0 = i;
    }
    for (size_t i = 0; i < scan->nworkflows; i++) {
        size_t f = source_index(w, scan->workflows[i].src);
        if (f >= ns) continue;
        if (!w->files[f].nwf++) w->files[f].wf0 = i;
    }
    for (size_t i = 0; i < scan->nincludes; i++) {
        size_t f = source_index(w, scan->includes[i].src);
        if (f >= ns) continue;
        if (!w->files[f].ninc++) w->files[f].inc0 = i;
    }
    return 0;
}

static void walk_free(Walk *w)
{
    for (size_t i = 0; w->by_name && i < w->scan->nsources; i++)
        if (w->by_name[i].owned) np_free((char *)w->by_name[i].name);
    np_free(w->by_name);
    np_free(w->by_ptr);
    np_free(w->files);
    np_free(w->names);
    np_free(w->targets);
    np_free(w->inc_target);
}

int graph_invocations(const PipelineScan *scan, const char *dir, const char *main_script, Arena *a,
                      GraphInvocation **out, size_t *n, const char **why)
{
    *out = NULL;
    *n = 0;
    *why = NULL;
    if (scan->graph_unknown) { *why = scan->graph_unknown; return 0; }
    Walk w;
    memset(&w, 0, sizeof w);
    w.scan = scan;
    w.a = a;
    size_t dl = strlen(dir), ml = strlen(main_script);
    char *main_path = np_malloc(dl + ml + 2);
    char *main_norm = NULL;
    if (!main_path || index_files(&w) != 0) {
        w.oom = 1;
    } else {
        memcpy(main_path, dir, dl);
        main_path[dl] = '/';
        memcpy(main_path + dl + 1, main_script, ml + 1);
        if (!(main_norm = normalize(main_path))) w.oom = 1;
    }
    if (!w.oom) {
        long main_src = find_source(&w, main_norm);
        const PipeWorkflow *entry = main_src >= 0 ? find_workflow(&w, (size_t)main_src, NULL) : NULL;
        if (main_src < 0) w.why = "the main script was not found";
        else if (!entry) w.why = "the main script has no entry workflow";
        else visit(&w, entry, NULL, 0, 0);
    }
    walk_free(&w);
    np_free(main_path);
    np_free(main_norm);
    if (w.oom) return -1;
    if (w.why) { *why = w.why; return 0; }
    *out = w.out;
    *n = w.n;
    return 1;
}
