#include "settings.h"
#include "alloc.h"
#include "data.h"
#include "rules.h"
#include "source.h"
#include "strbuf.h"
#include <fnmatch.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef PATH_MAX
#define PATH_MAX 4096
#endif

static const char *const settings_names[] = {".nf-preflight.yml", ".nf-preflight.yaml"};

/* ---------------------------------------------------------------- lifetime */

int wave_policy_parse(const char *text, WavePolicy *out)
{
    static const struct { const char *name; WavePolicy policy; } names[] = {
        {"required", WAVE_REQUIRED}, {"recommended", WAVE_RECOMMENDED}, {"off", WAVE_OFF}};
    for (size_t i = 0; text && i < sizeof names / sizeof names[0]; i++)
        if (!strcmp(text, names[i].name)) { *out = names[i].policy; return 1; }
    return 0;
}

Settings *settings_new(void)
{
    Settings *s = np_calloc(1, sizeof *s);
    if (!s) return NULL;
    s->rule_sev = np_malloc(rule_count * sizeof *s->rule_sev);
    s->ignored = np_calloc(rule_count, 1);
    if (!s->rule_sev || !s->ignored) {
        settings_free(s);
        return NULL;
    }
    for (size_t i = 0; i < rule_count; i++) s->rule_sev[i] = DIAG_DEFAULT_SEV;
    s->fail_on = SEV_ERROR;
    return s;
}

static void strlist_free(StrList *l)
{
    for (size_t i = 0; i < l->len; i++) np_free(l->items[i]);
    np_free(l->items);
    l->items = NULL;
    l->len = 0;
}

void settings_free(Settings *s)
{
    if (!s) return;
    np_free(s->path);
    np_free(s->dir);
    np_free(s->rule_sev);
    np_free(s->ignored);
    for (size_t i = 0; i < s->nper_file; i++) {
        np_free(s->per_file[i].glob);
        np_free(s->per_file[i].rules);
    }
    np_free(s->per_file);
    strlist_free(&s->profiles);
    strlist_free(&s->credentials);
    strlist_free(&s->public_registries);
    strlist_free(&s->private_registries);
    np_free(s->platform_endpoint);
    np_free(s->platform_workspace);
    np_free(s);
}

/* ----------------------------------------------------------------- parsing */

typedef struct Parser {
    const char *name;
    const char *text;          /* the settings text, for line:col of a node */
    size_t len;
    Settings *s;
    StrBuf err;
    int oom;
} Parser;

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static int fail_at_offset(Parser *p, size_t offset, const char *fmt, ...)
{
    va_list ap;
    unsigned line, col;
    data_linecol(p->text, p->len, offset, &line, &col);
    strbuf_printf(&p->err, "%s:%u:%u: ", p->name, line, col);
    va_start(ap, fmt);
    strbuf_vprintf(&p->err, fmt, ap);
    va_end(ap);
    return -1;
}

#define fail_at(p, n, ...) fail_at_offset((p), (n)->start, __VA_ARGS__)

static int oom(Parser *p)
{
    p->oom = 1;
    return -1;
}

static int is_scalar(const DataNode *n) { return n->kind != DATA_OBJECT && n->kind != DATA_ARRAY; }

/* A scalar's text as written (data.c keeps it for numbers, booleans and
 * null too), so `off`, `1` or `true` read as the words they are. */
static const char *sval(const DataNode *n) { return n->text ? n->text : ""; }

/* A plain null (`~`, `null`, nothing); a quoted "null" is a string. */
static int is_null(const DataNode *n) { return n->kind == DATA_NULL; }

static const char *type_name(const DataNode *n)
{
    return n->kind == DATA_OBJECT ? "a mapping" : n->kind == DATA_ARRAY ? "a list" : "a scalar";
}

/* Every key in a mapping appears once (data.c already refuses collection keys). */
static int check_keys(Parser *p, const DataNode *map)
{
    for (size_t i = 0; i < map->len; i++) {
        const DataMember *k = &map->members[i];
        for (size_t j = 0; j < i; j++)
            if (map->members[j].key_len == k->key_len && !memcmp(map->members[j].key, k->key, k->key_len))
                return fail_at_offset(p, k->key_start, "duplicate key '%s' in settings", k->key);
    }
    return 0;
}

static int expect(Parser *p, const DataNode *n, DataKind kind, const char *key, const char *what)
{
    if (n->kind == kind) return 0;
    return fail_at(p, n, "'%s' must be %s, not %s", key, what, type_name(n));
}

/* The index of the rule named by `name` (a key or a list item, at `offset`)
 * in rule_table, or -1 after reporting why there is none. (A returned index
 * rather than an out parameter: the caller's index is then never read unset,
 * which gcc -O3 could not prove through fail_at.) */
static long lookup_rule(Parser *p, const char *name, size_t offset)
{
    const Rule *r = rule_find(name);
    if (!r) return fail_at_offset(p, offset, "unknown rule '%s' in settings", name);
    return (long)(r - rule_table);
}

static int is_syntax_rule(size_t idx) { return idx == RULE_SYNTAX_ERROR; }

static int strlist_push(Parser *p, StrList *l, const char *v)
{
    char **items = np_realloc(l->items, (l->len + 1) * sizeof *items);
    if (!items) return oom(p);
    l->items = items;
    if (!(items[l->len] = np_strdup(v))) return oom(p);
    l->len++;
    return 0;
}

static int parse_strlist(Parser *p, const DataNode *n, const char *key, StrList *out)
{
    if (is_null(n)) return 0;
    if (expect(p, n, DATA_ARRAY, key, "a list of strings")) return -1;
    for (size_t i = 0; i < n->len; i++) {
        const DataNode *v = n->items[i];
        if (!is_scalar(v) || is_null(v)) return fail_at(p, v, "'%s' must be a list of strings", key);
        if (strlist_push(p, out, sval(v))) return -1;
    }
    return 0;
}

static int parse_rulelist(Parser *p, const DataNode *n, const char *key, unsigned char *flags)
{
    if (is_null(n)) return 0;
    if (expect(p, n, DATA_ARRAY, key, "a list of rules")) return -1;
    for (size_t i = 0; i < n->len; i++) {
        const DataNode *v = n->items[i];
        if (!is_scalar(v)) return fail_at(p, v, "expected a rule name or id, not %s", type_name(v));
        long idx = lookup_rule(p, sval(v), v->start);
        if (idx < 0) return -1;
        if (is_syntax_rule((size_t)idx)) return fail_at(p, v, "rule 'syntax-error' cannot be ignored");
        flags[idx] = 1;
    }
    return 0;
}

static int parse_rules(Parser *p, const DataNode *n)
{
    if (is_null(n)) return 0;
    if (expect(p, n, DATA_OBJECT, "rules", "a mapping of rule: severity")) return -1;
    if (check_keys(p, n)) return -1;
    for (size_t i = 0; i < n->len; i++) {
        const DataMember *k = &n->members[i];
        const DataNode *v = k->value;
        long idx = lookup_rule(p, k->key, k->key_start);
        Severity sev;
        if (idx < 0) return -1;
        if (!is_scalar(v) || !severity_parse(sval(v), &sev) || !strcmp(sval(v), "none"))
            return fail_at(p, v, "invalid severity '%s' for rule '%s' (expected error, warning, info or off)",
                           is_scalar(v) ? sval(v) : type_name(v), k->key);
        if (is_syntax_rule((size_t)idx) && sev != SEV_ERROR)
            return fail_at(p, v, "rule 'syntax-error' is always an error");
        p->s->rule_sev[idx] = sev;
    }
    return 0;
}

static int parse_per_file(Parser *p, const DataNode *n)
{
    if (is_null(n)) return 0;
    if (expect(p, n, DATA_OBJECT, "per-file-ignores", "a mapping of glob: [rules]")) return -1;
    if (check_keys(p, n)) return -1;
    if (!n->len) return 0;
    Settings *s = p->s;
    s->per_file = np_calloc(n->len, sizeof *s->per_file);
    if (!s->per_file) return oom(p);
    for (size_t i = 0; i < n->len; i++) {
        const DataMember *k = &n->members[i];
        PerFileIgnore *pf = &s->per_file[s->nper_file];
        pf->glob = np_strdup(k->key);
        pf->rules = np_calloc(rule_count, 1);
        if (!pf->glob || !pf->rules) {
            np_free(pf->glob);
            np_free(pf->rules);
            pf->glob = NULL;
            pf->rules = NULL;
            return oom(p);
        }
        s->nper_file++;
        if (!*pf->glob) return fail_at_offset(p, k->key_start, "empty glob in 'per-file-ignores'");
        if (parse_rulelist(p, k->value, "per-file-ignores", pf->rules)) return -1;
    }
    return 0;
}

static int parse_registries(Parser *p, const DataNode *n)
{
    if (is_null(n)) return 0;
    if (expect(p, n, DATA_OBJECT, "registries", "a mapping with 'public' and 'private'")) return -1;
    if (check_keys(p, n)) return -1;
    for (size_t i = 0; i < n->len; i++) {
        const DataMember *k = &n->members[i];
        if (!strcmp(k->key, "public")) {
            if (parse_strlist(p, k->value, "registries.public", &p->s->public_registries)) return -1;
        } else if (!strcmp(k->key, "private")) {
            if (parse_strlist(p, k->value, "registries.private", &p->s->private_registries)) return -1;
        } else {
            return fail_at_offset(p, k->key_start, "unknown key 'registries.%s' in settings", k->key);
        }
    }
    return 0;
}

static int set_string(Parser *p, char **dst, const DataNode *v)
{
    np_free(*dst);
    *dst = np_strdup(sval(v));
    return *dst ? 0 : oom(p);
}

static int parse_platform(Parser *p, const DataNode *n)
{
    if (is_null(n)) return 0;
    if (expect(p, n, DATA_OBJECT, "platform", "a mapping with 'endpoint' and 'workspace'")) return -1;
    if (check_keys(p, n)) return -1;
    for (size_t i = 0; i < n->len; i++) {
        const DataMember *k = &n->members[i];
        const DataNode *v = k->value;
        if (!strcmp(k->key, "endpoint")) {
            const char *u = is_scalar(v) ? sval(v) : "";
            /* An API base URL: http(s)://host[...], nothing else. */
            const char *rest = !strncmp(u, "https://", 8) ? u + 8 : !strncmp(u, "http://", 7) ? u + 7 : NULL;
            if (!rest || !*rest || *rest == '/')
                return fail_at(p, v, "'platform.endpoint' must be an http:// or https:// URL");
            if (set_string(p, &p->s->platform_endpoint, v)) return -1;
        } else if (!strcmp(k->key, "workspace")) {
            /* Nextflow rejects non-numeric workspace ids. */
            const char *w = is_scalar(v) ? sval(v) : "";
            size_t j = 0;
            while (w[j] >= '0' && w[j] <= '9') j++;
            if (!j || w[j])
                return fail_at(p, v, "'platform.workspace' must be a numeric workspace id");
            if (set_string(p, &p->s->platform_workspace, v)) return -1;
        } else {
            return fail_at_offset(p, k->key_start, "unknown key 'platform.%s' in settings", k->key);
        }
    }
    return 0;
}

static int parse_root(Parser *p, const DataNode *root)
{
    if (root->kind != DATA_OBJECT) {
        if (is_null(root)) return 0;
        return fail_at(p, root, "settings must be a mapping, not %s", type_name(root));
    }
    if (check_keys(p, root)) return -1;
    for (size_t i = 0; i < root->len; i++) {
        const DataMember *k = &root->members[i];
        const DataNode *v = k->value;
        const char *key = k->key;
        int rc;
        if (!strcmp(key, "rules")) rc = parse_rules(p, v);
        else if (!strcmp(key, "ignore")) rc = parse_rulelist(p, v, "ignore", p->s->ignored);
        else if (!strcmp(key, "per-file-ignores")) rc = parse_per_file(p, v);
        else if (!strcmp(key, "fail-on")) {
            Severity sev;
            if (!is_scalar(v) || !severity_parse(sval(v), &sev) || sev == SEV_NONE)
                return fail_at(p, v, "invalid value '%s' for 'fail-on' (expected error, warning or info)",
                               is_scalar(v) ? sval(v) : type_name(v));
            p->s->fail_on = sev;
            rc = 0;
        }
        else if (!strcmp(key, "wave")) {
            if (!is_scalar(v) || !wave_policy_parse(sval(v), &p->s->wave))
                return fail_at(p, v, "invalid value '%s' for 'wave' (expected required, recommended or off)",
                               is_scalar(v) ? sval(v) : type_name(v));
            rc = 0;
        }
        else if (!strcmp(key, "profiles")) rc = parse_strlist(p, v, "profiles", &p->s->profiles);
        else if (!strcmp(key, "credentials")) rc = parse_strlist(p, v, "credentials", &p->s->credentials);
        else if (!strcmp(key, "registries")) rc = parse_registries(p, v);
        else if (!strcmp(key, "platform")) rc = parse_platform(p, v);
        else return fail_at_offset(p, k->key_start, "unknown key '%s' in settings", key);
        if (rc) return rc;
    }
    return 0;
}

static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash) return np_strdup(".");
    if (slash == path) return np_strdup("/");
    return np_strndup(path, (size_t)(slash - path));
}

static int finish_error(Parser *p, char **err)
{
    if (p->oom || strbuf_failed(&p->err)) {
        strbuf_free(&p->err);
        *err = NULL;
    } else {
        *err = strbuf_take(&p->err);
    }
    return -1;
}

/* The YAML is read by data.c (the one reader of libyaml): one document, no
 * collection keys, aliases bounded; its "line:col: problem" message is kept
 * after the settings file's name. */
int settings_parse(const char *name, const char *text, size_t len, Settings **out, char **err)
{
    Parser p = {name, text, len, NULL, STRBUF_INIT, 0};
    *out = NULL;
    *err = NULL;
    p.s = settings_new();
    if (!p.s) return -1;
    p.s->path = np_strdup(name);
    p.s->dir = dir_of(name);
    if (!p.s->path || !p.s->dir) {
        settings_free(p.s);
        return -1;
    }
    DataDoc *doc = NULL;
    char *why = NULL;
    int rc = data_parse(text, len, DATA_YAML, &doc, &why);
    if (rc == DATA_ENOMEM || (rc != DATA_OK && !why)) {
        p.oom = 1;
    } else if (rc != DATA_OK) {
        strbuf_printf(&p.err, "%s:%s", name, why);
    } else {
        rc = parse_root(&p, doc->root);
    }
    np_free(why);
    data_doc_free(doc);
    if (rc || p.oom) {
        settings_free(p.s);
        return finish_error(&p, err);
    }
    *out = p.s;
    return 0;
}

int settings_load(const char *path, Settings **out, char **err)
{
    int serr = 0;
    *out = NULL;
    *err = NULL;
    Source *src = source_load(path, NULL, &serr);
    if (!src) {
        if (serr == SOURCE_ENOMEM) return -1;
        StrBuf b = STRBUF_INIT;
        strbuf_printf(&b, "%s: cannot read settings: %s", path, source_strerror(serr));
        *err = strbuf_take(&b);
        return -1;
    }
    int rc = settings_parse(path, src->text, src->len, out, err);
    source_free(src);
    return rc;
}

/* --------------------------------------------------------------- discovery */

int settings_find(const char *start_dir, char **found_path)
{
    char dir[PATH_MAX], cand[PATH_MAX + 32];
    struct stat st;
    *found_path = NULL;
    if (!start_dir || !realpath(start_dir, dir)) return 0;
    if (stat(dir, &st) == 0 && !S_ISDIR(st.st_mode)) {
        char *slash = strrchr(dir, '/');
        if (slash == dir) dir[1] = '\0';
        else if (slash) *slash = '\0';
    }
    for (;;) {
        const char *base = strcmp(dir, "/") ? dir : "";
        for (size_t i = 0; i < sizeof settings_names / sizeof settings_names[0]; i++) {
            snprintf(cand, sizeof cand, "%s/%s", base, settings_names[i]);
            if (stat(cand, &st) == 0 && S_ISREG(st.st_mode)) {
                *found_path = np_strdup(cand);
                if (!*found_path) return -1;
                return st.st_uid == geteuid() || st.st_uid == 0 ? 1 : SETTINGS_NOT_OWNED;
            }
        }
        snprintf(cand, sizeof cand, "%s/.git", base);
        if (lstat(cand, &st) == 0) return 0;     /* repository root: stop here */
        if (!*base) return 0;                    /* filesystem root */
        char *slash = strrchr(dir, '/');
        if (slash == dir) dir[1] = '\0';
        else *slash = '\0';
    }
}

/* ---------------------------------------------------------------- applying */

/* Lexically absolute, normalised path ("." and ".." resolved). */
static int abs_path(const char *p, char *out, size_t n)
{
    char tmp[2 * PATH_MAX + 2];
    size_t len = 0;
    if (p[0] == '/') {
        size_t pl = strlen(p);
        if (pl >= sizeof tmp) return 0;
        memcpy(tmp, p, pl + 1);
    } else {
        char cwd[PATH_MAX];
        if (!getcwd(cwd, sizeof cwd) || strlen(cwd) + strlen(p) + 2 > sizeof tmp) return 0;
        /* lengths checked above; memcpy keeps -Wformat-truncation quiet at -O2 */
        size_t cl = strlen(cwd), pl = strlen(p);
        memcpy(tmp, cwd, cl);
        tmp[cl] = '/';
        memcpy(tmp + cl + 1, p, pl + 1);
    }
    out[0] = '\0';
    for (const char *q = tmp; *q;) {
        while (*q == '/') q++;
        if (!*q) break;
        size_t sl = strcspn(q, "/");
        if (sl == 2 && q[0] == '.' && q[1] == '.') {
            while (len > 0 && out[len - 1] != '/') len--;
            if (len > 0) len--;
        } else if (!(sl == 1 && q[0] == '.')) {
            if (len + sl + 2 > n) return 0;
            out[len++] = '/';
            memcpy(out + len, q, sl);
            len += sl;
        }
        out[len] = '\0';
        q += sl;
    }
    if (!len) snprintf(out, n, "/");
    return 1;
}

/* `file` relative to the settings directory when it lies below it, else as given. */
static const char *relative_to(const char *file, const char *dir, char *buf, size_t n)
{
    char a[PATH_MAX], d[PATH_MAX];
    if (!dir || !abs_path(file, a, sizeof a) || !abs_path(dir, d, sizeof d)) return file;
    size_t dl = strcmp(d, "/") ? strlen(d) : 0;
    if (strncmp(a, d, dl) || a[dl] != '/') return file;
    size_t rl = strlen(a + dl + 1);
    if (rl >= n) return file;
    memcpy(buf, a + dl + 1, rl + 1);
    return buf;
}

/* A glob without '/' matches the file name in any directory (like
 * .gitignore); one with '/' matches the path relative to the settings file.
 * A '*' may cross '/', so the globs conf/STAR and conf/STARSTAR both cover
 * conf/a/b.config (STAR being the asterisk). */
static int glob_matches(const Settings *s, const char *glob, const char *file)
{
    char buf[PATH_MAX];
    const char *rel = relative_to(file, s->dir, buf, sizeof buf);
    while (rel[0] == '.' && rel[1] == '/') rel += 2;
    if (!strchr(glob, '/')) {
        const char *base = strrchr(rel, '/');
        if (fnmatch(glob, base ? base + 1 : rel, 0) == 0) return 1;
    }
    return fnmatch(glob, rel, 0) == 0;
}

typedef struct ApplyCtx {
    const Settings *s;
    const char *path;          /* the file of a diagnostic without a source */
} ApplyCtx;

/* Whether d survives the settings (ignore, off, per-file-ignores); a kept
 * one takes its configured severity. Syntax errors always stay. */
static int keep_diag(Diag *d, void *ctx)
{
    const ApplyCtx *a = ctx;
    const Settings *s = a->s;
    if (d->id >= RULE_COUNT || d->id == RULE_SYNTAX_ERROR) return 1;
    size_t idx = d->id;
    if (s->ignored[idx] || s->rule_sev[idx] == SEV_NONE) return 0;
    const char *file = d->src ? (d->src->path ? d->src->path : d->src->name) : a->path;
    if (file)
        for (size_t i = 0; i < s->nper_file; i++)
            if (s->per_file[i].rules[idx] && glob_matches(s, s->per_file[i].glob, file)) return 0;
    if (s->rule_sev[idx] != DIAG_DEFAULT_SEV) d->sev = s->rule_sev[idx];
    return 1;
}

size_t settings_apply(const Settings *s, DiagList *diags, const char *path)
{
    if (!s) return 0;
    ApplyCtx a = {s, path};
    return diag_list_filter(diags, keep_diag, &a);
}

int settings_fails(const Settings *s, Severity sev)
{
    Severity threshold = s ? s->fail_on : SEV_ERROR;
    return sev != SEV_NONE && sev >= threshold;
}
