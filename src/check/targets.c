#include "check/targets.h"
#include "alloc.h"
#include "strbuf.h"

#include <stdio.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

char *path_normalize(const char *path)
{
    StrBuf in = STRBUF_INIT;
    if (path[0] != '/') {
        char cwd[4096];
        if (getcwd(cwd, sizeof cwd)) { strbuf_puts(&in, cwd); strbuf_putc(&in, '/'); }
    }
    strbuf_puts(&in, path);
    if (strbuf_failed(&in)) { strbuf_free(&in); return NULL; }
    const char *s = strbuf_cstr(&in);
    size_t n = in.len;
    char *out = np_malloc(n + 2);
    if (!out) { strbuf_free(&in); return NULL; }
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        while (i < n && s[i] == '/') i++;
        size_t st = i;
        while (i < n && s[i] != '/') i++;
        size_t len = i - st;
        if (len == 0 || (len == 1 && s[st] == '.')) continue;
        if (len == 2 && s[st] == '.' && s[st + 1] == '.') {
            while (o > 0 && out[o - 1] != '/') o--;
            if (o > 0) o--;                   /* drop the slash too */
            continue;
        }
        out[o++] = '/';
        memcpy(out + o, s + st, len);
        o += len;
    }
    if (o == 0) out[o++] = '/';
    out[o] = '\0';
    strbuf_free(&in);
    return out;
}

static int exists(const char *dir, const char *name)
{
    char buf[4096];
    struct stat st;
    int n = snprintf(buf, sizeof buf, "%s/%s", dir, name);
    return n > 0 && (size_t)n < sizeof buf && stat(buf, &st) == 0;
}

/* 1 when `dir` is an nf-test folder: named `tests` (nf-core's module and
 * pipeline test folders) or holding a `*.nf.test`. Its nextflow.config is
 * loaded by the tests (`config "./nextflow.config"` in main.nf.test,
 * nf-test.config's configFile) on top of the pipeline's configuration. */
static int nftest_dir(const char *dir)
{
    const char *last = strrchr(dir, '/');
    if (!strcmp(last ? last + 1 : dir, "tests")) return 1;
    DIR *d = opendir(dir);
    if (!d) return 0;
    int found = 0;
    size_t seen = 0;
    for (struct dirent *e; !found && seen < 4096 && (e = readdir(d)); seen++) {
        size_t n = strlen(e->d_name);
        found = n > 8 && !strcmp(e->d_name + n - 8, ".nf.test");
    }
    closedir(d);
    return found;
}

/* The nearest nextflow.config in a folder above `path` up to the repository
 * root (a folder holding `.git`), or NULL (also when memory ran out). */
static char *config_above(const char *path)
{
    char *dir = np_strdup(path);
    if (!dir) return NULL;
    for (;;) {
        char *slash = strrchr(dir, '/');
        if (!slash) break;
        if (slash == dir) slash[1] = '\0';
        else *slash = '\0';
        if (exists(dir, "nextflow.config")) {
            StrBuf b = STRBUF_INIT;
            strbuf_printf(&b, "%s%snextflow.config", dir, strcmp(dir, "/") ? "/" : "");
            np_free(dir);
            char *r = strbuf_failed(&b) ? NULL : strbuf_take(&b);
            strbuf_free(&b);
            return r;
        }
        if (exists(dir, ".git") || !strcmp(dir, "/")) break;
    }
    np_free(dir);
    return NULL;
}

char *launch_root_of(const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    if (!strcmp(base, "nextflow.config")) {
        /* an nf-test folder's config is a layer of a test run, never a launch
         * of its own: it belongs to the launch above it, if any (tester F23) */
        char *dir = np_strndup(path, base > path ? (size_t)(base - path - 1) : 0);
        if (!dir) return NULL;
        char *above = *dir && nftest_dir(dir) ? config_above(dir) : NULL;
        np_free(dir);
        return above ? above : np_strdup(path);
    }
    char *r = config_above(path);
    return r ? r : np_strdup(path);
}

static int is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* How to name `root` on the command line of a run: relative to the current
 * directory when the PATH was relative and the root is below it (so that
 * reports name files as the operator did), else absolute. */
static char *shown_root(const char *root, const char *given)
{
    char cwd[4096];
    if (given[0] != '/' && getcwd(cwd, sizeof cwd)) {
        char *here = path_normalize(cwd);
        if (!here) return NULL;
        size_t n = strlen(here);
        int below = strcmp(here, "/") && !strncmp(root, here, n) && root[n] == '/';
        np_free(here);
        if (below) return np_strdup(root + n + 1);
    }
    return np_strdup(root);
}

static TargetLaunch *find_launch(TargetPlan *plan, const char *root)
{
    for (size_t i = 0; root && i < plan->len; i++)
        if (plan->launches[i].root && !strcmp(plan->launches[i].root, root)) return &plan->launches[i];
    return NULL;
}

/* Adds `file` (named `name` on the command line) to the files a launch
 * reports, once. 0 on OOM. */
static int add_file(TargetLaunch *t, const char *file, const char *name)
{
    for (size_t i = 0; i < t->nfiles; i++)
        if (!strcmp(t->files[i], file)) return 1;
    char **f = np_realloc(t->files, (t->nfiles + 1) * sizeof *f);
    if (f) t->files = f;
    char **n = f ? np_realloc(t->names, (t->nfiles + 1) * sizeof *n) : NULL;
    if (!n) return 0;
    t->names = n;
    f[t->nfiles] = np_strdup(file);
    n[t->nfiles] = np_strdup(name);
    t->nfiles++;                  /* freed with the plan even when a copy failed */
    return f[t->nfiles - 1] && n[t->nfiles - 1];
}

int targets_is_script(const char *path)
{
    size_t n = strlen(path);
    return n > 3 && !strcmp(path + n - 3, ".nf");
}

/* nextflow.config in the folder of `file` (which need not exist). */
static char *sibling_config(const char *file)
{
    const char *slash = strrchr(file, '/');
    StrBuf b = STRBUF_INIT;
    if (slash) strbuf_append(&b, file, (size_t)(slash - file));
    strbuf_puts(&b, "/nextflow.config");
    char *r = strbuf_failed(&b) ? NULL : strbuf_take(&b);
    strbuf_free(&b);
    return r;
}

/* One PATH into the plan: `given` is what to check when it is its own
 * launch, `file` the normalized file it names (NULL: unnamed stdin). */
static int plan_one(TargetPlan *plan, const char *given, char *file, int dir, int is_stdin)
{
    char *root = NULL, *path = NULL;
    int whole = 1;
    /* a Nextflow script (a module's main.nf) is never a config: it belongs to
     * the launch of the nearest nextflow.config above it (else its own
     * folder's), checked in the directory form, which scans the .nf files,
     * and only its own findings are reported */
    int script = file && !dir && targets_is_script(file);
    if (file) {
        root = dir ? np_strdup(file) : launch_root_of(file);
        if (root && script && !strcmp(root, file)) {
            np_free(root);
            root = sibling_config(file);
        }
        if (!root) return 0;
        whole = dir || (!script && !strcmp(root, file));
        if (script) {
            char *rdir = np_strdup(root);          /* the folder of root */
            char *slash = rdir ? strrchr(rdir, '/') : NULL;
            if (slash) slash[slash == rdir] = '\0';  /* "/nextflow.config" -> "/" */
            path = rdir ? shown_root(rdir, given) : NULL;
            np_free(rdir);
        } else {
            path = whole ? np_strdup(given) : shown_root(root, given);
        }
        if (!path) { np_free(root); return 0; }
    } else if (!(path = np_strdup(given))) {
        return 0;
    }
    TargetLaunch *t = find_launch(plan, root);
    if (t) {
        np_free(root);
        if (dir || script || (whole && !t->whole)) {     /* the directory form scans the .nf files too */
            np_free(t->path);
            t->path = path;
        } else {
            np_free(path);
        }
    } else {
        TargetLaunch *l = np_realloc(plan->launches, (plan->len + 1) * sizeof *l);
        if (!l) { np_free(root); np_free(path); return 0; }
        plan->launches = l;
        t = &l[plan->len++];
        memset(t, 0, sizeof *t);
        t->path = path;
        t->root = root;
    }
    t->whole |= whole;
    t->has_stdin |= is_stdin;
    return !file || add_file(t, file, given);
}

int targets_plan(const char *const *paths, size_t npaths, const char *stdin_name, TargetPlan *plan)
{
    memset(plan, 0, sizeof *plan);
    if (stdin_name && *stdin_name && !(plan->stdin_file = path_normalize(stdin_name))) return -1;
    for (size_t i = 0; i < npaths; i++) {
        const char *p = paths[i];
        int is_stdin = !strcmp(p, "-");
        int dir = !is_stdin && is_dir(p);
        char *file = NULL;
        if (is_stdin && plan->stdin_file) file = np_strdup(plan->stdin_file);
        else if (!is_stdin) {
            StrBuf b = STRBUF_INIT;
            strbuf_puts(&b, p);
            if (dir) strbuf_puts(&b, "/nextflow.config");
            file = strbuf_failed(&b) ? NULL : path_normalize(strbuf_cstr(&b));
            strbuf_free(&b);
        }
        if (!file && (!is_stdin || plan->stdin_file)) return -1;
        int ok = plan_one(plan, is_stdin && plan->stdin_file ? stdin_name : p, file, dir, is_stdin);
        np_free(file);
        if (!ok) return -1;
    }
    return 0;
}

void targets_plan_free(TargetPlan *plan)
{
    for (size_t i = 0; i < plan->len; i++) {
        TargetLaunch *t = &plan->launches[i];
        np_free(t->path);
        np_free(t->root);
        for (size_t k = 0; k < t->nfiles; k++) {
            np_free(t->files[k]);
            np_free(t->names[k]);
        }
        np_free(t->files);
        np_free(t->names);
    }
    np_free(plan->launches);
    np_free(plan->stdin_file);
    memset(plan, 0, sizeof *plan);
}

Source *targets_load(void *ctx, const char *path, const char *name, int *err)
{
    const StdinStandIn *in = ctx;
    char *norm = path_normalize(path);
    if (!norm) { *err = SOURCE_ENOMEM; return NULL; }
    int same = !strcmp(norm, in->file);
    np_free(norm);
    if (!same) return source_load(path, name, err);
    Source *s = source_from_memory(in->name, path, in->text, in->len);
    if (!s) *err = SOURCE_ENOMEM;
    return s;
}
