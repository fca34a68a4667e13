#include "resolve.h"
#include "params.h"
#include "alloc.h"
#include "eval.h"
#include "parse.h"
#include "redact.h"
#include "suggest.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

extern char **environ;

#define MAX_INCLUDE_DEPTH 64
/* Config code that would run longer than this (nested loops over big
 * ranges) is left dynamic: a check must finish in milliseconds. */
#define MAX_WORK 1000000
#define MAX_TOTAL_WORK 8000000
/* Includes read in one resolution, remote ones too: real pipelines read a
 * few dozen; a repository whose files each include the next twice would
 * otherwise read 2^depth files. */
#define MAX_INCLUDES 1000
/* Bytes of all files of one resolution together (each is capped at
 * SOURCE_MAX_BYTES by source.c), params text read before it included. */
#define MAX_TOTAL_INPUT SOURCE_MAX_TOTAL_BYTES

typedef struct Resolver {
    const ResolveOptions *opt;
    DiagList *diags;
    Config *cfg;
    Arena *a;
    Eval ev;                       /* the expression evaluator (its env: the environment variables) */
    Value *params_seen;            /* params of earlier layers, visible to later ones */
    const char *include_stack[MAX_INCLUDE_DEPTH];
    /* the file identity (device, inode) of each entry of include_stack, so
     * that a cycle is found whatever the spelling of its path; has_id is 0
     * for text layers, URLs and files that could not be stat'ed */
    dev_t include_dev[MAX_INCLUDE_DEPTH];
    ino_t include_ino[MAX_INCLUDE_DEPTH];
    int include_has_id[MAX_INCLUDE_DEPTH];
    int include_depth;
    size_t includes_read;          /* includes loaded so far, remote ones too (MAX_INCLUDES) */
    size_t input_bytes;            /* bytes of every file loaded so far (MAX_TOTAL_INPUT) */
    int include_cap_reported;
    const char **include_roots;    /* canonical directories local includes may be read from */
    size_t ninclude_roots;
    char **remote_reported;        /* URLs already reported as skipped */
    size_t nremote;
    /* v1, per layer: the blocks opened inside profiles that the file's top
     * frame remembers (its "scope" map beyond the root's own keys), and the
     * objects of the `profiles` blocks, merged over the root at the end */
    Value *v1_extra;
    Value *v1_profile_objs;
    long long work_done;           /* evaluation work of the statements before this one (MAX_TOTAL_WORK) */
} Resolver;

/* Evaluation context of one statement list. */
typedef struct Ctx {
    EvalFrame frame;               /* src, the layer's `def` locals (v1: shared with includes) */
    Value *root;                   /* the layer's root scope */
    const char *profile;           /* profile being applied, or NULL */
    Value *scopes[PARSE_MAX_DEPTH + 2];  /* enclosing config scopes, innermost last */
    Value *vars[PARSE_MAX_DEPTH + 2];    /* v1: names each open block assigned (its "scope" map) */
    int nscopes;
    int in_try;
    int in_rejected;               /* inside an if, try or `def` the strict parser rejects
                                      whole (one finding for it: parse.c), in this file */
    int v1_profile;                /* v1: inside a `profiles` block (its bodies and their includes) */
    const char *dir;               /* directory (or URL prefix) of the current file */
} Ctx;

static void exec_stmts(Resolver *r, Ctx *c, const Node *owner, Value *scope);
static void exec_stmt(Resolver *r, Ctx *c, const Node *s, Value *scope);

/* ---------------- small helpers ---------------- */

/* Evaluates an expression of the config in c (eval.h); the evaluator calls
 * back into the resolver (host_*) for names, params and print calls. */
static Value *eval(Resolver *r, Ctx *c, const Node *n)
{
    c->frame.host = c;
    return eval_expr(&r->ev, &c->frame, n);
}

static Value *dyn(Resolver *r, const EvalFrame *f, const Node *n, const char *why)
{
    return value_dynamic(r->a, f->src, n ? n->start : 0, n ? n->end : 0, why);
}

static Prov *prov_new(Resolver *r, Ctx *c, const Node *n)
{
    Prov *p = arena_alloc(r->a, sizeof *p);
    if (!p) return NULL;
    p->src = c->frame.src;
    p->start = n ? n->start : 0;
    p->end = n ? n->end : 0;
    p->profile = c->profile;
    return p;
}

/* A NUL-terminated copy of a string value. */
static const char *str0(Resolver *r, const Value *v)
{
    return arena_strndup(r->a, v->s, v->len);
}

static Value *mkstr(Resolver *r, const char *s) { return value_string(r->a, s, strlen(s)); }

static Value *scope_child(Resolver *r, Value *scope, const char *key, size_t keylen, Prov *prov)
{
    Entry *e = value_entry(scope, key, keylen);
    if (e && e->val && (e->val->kind == V_SCOPE || e->val->kind == V_MAP)) return e->val;
    Value *s = value_new(r->a, V_SCOPE);
    if (!s) return NULL;
    if (e) {                       /* a leaf is replaced by the block, as Groovy would */
        e->val = s;
        return s;
    }
    return value_set(r->a, scope, key, keylen, s, prov) ? s : NULL;
}

/* ---------------- paths ---------------- */

static const char *dir_of(Resolver *r, const char *path)
{
    if (!path) return NULL;
    const char *slash = strrchr(path, '/');
    if (!slash) return ".";
    if (slash == path) return "/";
    return arena_strndup(r->a, path, (size_t)(slash - path));
}

static int is_remote(const char *p)
{
    return strncmp(p, "http://", 7) == 0 || strncmp(p, "https://", 8) == 0;
}

/* Resolves an include path against the including file's directory or URL. */
static const char *join_path(Resolver *r, const char *dir, const char *rel)
{
    if (strncmp(rel, "file://", 7) == 0) rel += 7;
    else if (strncmp(rel, "file:", 5) == 0) rel += 5;
    if (rel[0] == '/' || is_remote(rel) || strstr(rel, "://")) return rel;
    /* `./conf/x.config` names conf/x.config: reports show it without the
     * `./` (tester F12: "rnaseq/./subworkflows/...") */
    const char *shown = rel;
    while (shown[0] == '.' && shown[1] == '/') {
        shown += 2;
        while (*shown == '/') shown++;
    }
    if (*shown) rel = shown;
    if (!dir || !strcmp(dir, ".")) return rel;
    return arena_printf(r->a, "%s/%s", dir, rel);
}

/* ---------------- diagnostics ---------------- */

static void report(Resolver *r, const Source *src, const Node *n, RuleId rule, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;

static void report(Resolver *r, const Source *src, const Node *n, RuleId rule, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_vadd(r->diags, src, n ? n->start : 0, n ? n->end : 0, DIAG_DEFAULT_SEV, rule, fmt, ap);
    va_end(ap);
}

/* Records config text Nextflow would read that this resolution did not
 * (config.h: nunread): the profiles it may define are unknown here. */
static void note_unread(Resolver *r, const Source *src, const Node *n, const char *what)
{
    Config *cfg = r->cfg;
    if (cfg->nunread++) return;
    cfg->unread_what = what;
    cfg->unread_src = src;
    cfg->unread_start = n ? n->start : 0;
    cfg->unread_end = n ? n->end : 0;
}

/* ---------------- names ---------------- */

static Value *params_scope(Ctx *c)
{
    Entry *e = value_entry(c->root, "params", 6);
    return e && e->val && (e->val->kind == V_SCOPE || e->val->kind == V_MAP) ? e->val : NULL;
}

/* `params.x`: command-line params win, then this layer's params, then earlier layers'. */
static Value *lookup_param(Resolver *r, Ctx *c, const char *name, size_t len)
{
    Entry *e;
    if (r->opt->cli_params && (e = value_entry(r->opt->cli_params, name, len))) return e->val;
    Value *ps = params_scope(c);
    if (ps && (e = value_entry(ps, name, len))) return e->val;
    if (r->params_seen && (e = value_entry(r->params_seen, name, len))) return e->val;
    return NULL;
}

/* A view of all params (for `params` used as a whole, e.g. `params.each`). */
static Value *params_view(Resolver *r, Ctx *c)
{
    Value *v = value_new(r->a, V_SCOPE);
    if (!v) return NULL;
    if (r->params_seen) value_merge(r->a, v, r->params_seen);
    Value *ps = params_scope(c);
    if (ps) value_merge(r->a, v, ps);
    if (r->opt->cli_params) value_merge(r->a, v, r->opt->cli_params);
    return v;
}

static Value *path_value(Resolver *r, const char *p)
{
    Value *v = value_string(r->a, p, strlen(p));
    if (v) v->kind = V_PATH;
    return v;
}

/* Names Groovy resolves to classes at compile time (default imports): reading
 * them never creates a config scope. */
static int is_class_name(const char *name)
{
    static const char *const classes[] = {
        "System", "Math", "Integer", "Long", "Double", "Float", "Boolean", "String", "Character",
        "Byte", "Short", "Object", "Runtime", "Thread", "StringBuilder", "BigDecimal", "BigInteger",
        "MemoryUnit", "Duration", "Date", "File", "URL", "URI", "Arrays", "Collections", "UUID",
        "Calendar", "Locale", "TimeZone", "Random", "Paths", "Files", "Path", "InetAddress",
        "Exception", "RuntimeException", "ProcessBuilder", "Class", "GString", "Closure", NULL};
    for (size_t i = 0; classes[i]; i++)
        if (!strcmp(name, classes[i])) return 1;
    return 0;
}

/* The v1 property read (ConfigParserV1 / oracle ParseState.getProp): the
 * current block first, then the nearest enclosing block that has the name;
 * a value that is false by Groovy truth counts as absent, and an absent name
 * becomes a new empty scope in the current block (printed `{}`; Nextflow v1
 * reports it as "Unknown config attribute"). */
static void v1_note(Resolver *r, Ctx *c, const char *name, size_t len, Value *v)
{
    if (c->nscopes >= 2 && c->vars[c->nscopes - 1]) value_set(r->a, c->vars[c->nscopes - 1], name, len, v, NULL);
}

/* The file's top frame: the root's own keys, then what profile blocks left
 * in its scope map. */
static Entry *v1_root_entry(Resolver *r, Ctx *c, const char *name, size_t len)
{
    Entry *e = value_entry(c->scopes[0], name, len);
    return e ? e : value_entry(r->v1_extra, name, len);
}

/* The current frame's scope map: what the open blocks assigned, innermost
 * first, then the file's top frame. */
static Entry *v1_scope_entry(Resolver *r, Ctx *c, const char *name, size_t len)
{
    for (int i = c->nscopes - 1; i >= 0; i--) {
        Entry *o = i ? value_entry(c->vars[i], name, len) : v1_root_entry(r, c, name, len);
        if (o) return o;
    }
    return NULL;
}

static Value *v1_get_prop(Resolver *r, Ctx *c, const char *name, size_t len)
{
    Value *cur = c->nscopes ? c->scopes[c->nscopes - 1] : c->root;
    Entry *e = value_entry(cur, name, len);
    if (!e) e = v1_scope_entry(r, c, name, len);
    if (e && value_truth(e->val) != 0) return e->val;
    Value *s = value_new(r->a, V_SCOPE);
    if (!s || !value_set(r->a, cur, name, len, s, NULL)) return NULL;
    v1_note(r, c, name, len, s);
    return s;
}

/* v1 `params`: the params scope as a property read finds it, with the
 * command-line params laid over it on every read (as Nextflow does). */
static Value *v1_params(Resolver *r, Ctx *c)
{
    Value *p = v1_get_prop(r, c, "params", 6);
    if (p && (p->kind == V_SCOPE || p->kind == V_MAP) && r->opt->cli_params && r->opt->cli_params->nentries)
        value_merge(r->a, p, r->opt->cli_params);
    return p;
}

/* ConfigResolveVisitor's ENV_VAR_NAME: [A-Z_]+[A-Z0-9_]* */
static int is_env_var_name(const char *name)
{
    if (!*name || !((*name >= 'A' && *name <= 'Z') || *name == '_')) return 0;
    for (const char *p = name; *p; p++)
        if (!((*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '_')) return 0;
    return 1;
}

/* Names a strict config may or may not bind outside a closure, depending on
 * the Nextflow version (`secrets`, the runtime's `outputDir`, the documented
 * `workDir`) or that only the runtime defines (`workflow`, `nextflow`, `log`,
 * `task`): never reported as undefined, so no false finding rests on them.
 * `it` is only deprecated (a warning in Nextflow's language server). */
static int v2_name_uncertain(const char *name)
{
    static const char *const names[] = {"secrets", "outputDir", "workDir", "workflow", "nextflow",
                                        "log", "task", "it", NULL};
    for (size_t i = 0; names[i]; i++)
        if (!strcmp(name, names[i])) return 1;
    return 0;
}

/* The evaluator's host (eval.h): a name that is not a local. `f` is the
 * frame being evaluated (a function's, whose source may differ from c's). */
static Value *host_name(Eval *ev, EvalFrame *f, const Node *n)
{
    Resolver *r = ev->host_ctx;
    Ctx *c = f->host;
    const char *name = n->text;
    size_t len = n->textlen;
    Entry *e;
    if (!strcmp(name, "params") && !r->opt->syntax_v1) return params_view(r, c);
    if (!strcmp(name, "projectDir") || !strcmp(name, "baseDir"))
        return r->opt->project_dir ? path_value(r, r->opt->project_dir) : dyn(r, f, n, "projectDir");
    if (!strcmp(name, "launchDir"))
        return r->opt->launch_dir ? path_value(r, r->opt->launch_dir) : dyn(r, f, n, "launchDir");
    if (!strcmp(name, "outputDir") && r->opt->launch_dir)
        return path_value(r, arena_printf(r->a, "%s/results", r->opt->launch_dir));
    /* v1 binds the whole environment as variables (§3). */
    if (r->opt->syntax_v1 && (e = value_entry(r->ev.env, name, len))) return eval_env_read(ev, e->val);
    if (r->opt->syntax_v1) {
        if (!strcmp(name, "params")) return v1_params(r, c);
        if (!strcmp(name, "secrets")) return dyn(r, f, n, "secrets");
        if (is_class_name(name)) return dyn(r, f, n, "class");
        return v1_get_prop(r, c, name, len);
    }
    /* A config setting read back as a variable: v1 finds it through the
     * enclosing scopes (§3); the value is kept under v2 too, so that what
     * follows still resolves, but v2 rejects the read (below). */
    Value *setting = NULL;
    for (int i = c->nscopes - 1; i >= 0 && !setting; i--)
        if ((e = value_entry(c->scopes[i], name, len)) && e->val) setting = e->val;
    /* The strict parser binds no environment and no config setting: a bare
     * name read by the config itself (not by code it calls), other than the
     * constants of ConfigDsl, fails to compile with "`X` is not defined"
     * (nf-lang config/control VariableScopeVisitor, ConfigResolveVisitor). */
    if (!f->fn_locals && !is_class_name(name) && !c->in_rejected) {
        if (is_env_var_name(name))
            report(r, f->src, n, RULE_V2_INCOMPATIBLE,
                   "`%s` is not defined (hint: use `env('%s')` to access environment variable); the strict (v2) "
                   "parser does not bind environment variables", name, name);
        else if (!v2_name_uncertain(name))
            report(r, f->src, n, RULE_V2_INCOMPATIBLE,
                   "`%s` is not defined; strict (v2) config expressions read only `params`, `secrets`, "
                   "`projectDir`, `launchDir`, `baseDir` and `env(...)` (ConfigDsl)", name);
    }
    return setting ? setting : dyn(r, f, n, "unknown name");
}

/* Strict syntax `params.name`: the command line, this layer, earlier layers. */
static Value *host_param(Eval *ev, EvalFrame *f, const char *name, size_t len)
{
    return lookup_param(ev->host_ctx, f->host, name, len);
}

/* In v1 a bare `println` reads the script's `out` property first, which the
 * config parser answers with a new empty scope named `out`, as any unknown
 * name. */
static void host_printed(Eval *ev, EvalFrame *f, const Node *callee)
{
    Resolver *r = ev->host_ctx;
    if (r->opt->syntax_v1 && callee->kind == N_IDENT) v1_get_prop(r, f->host, "out", 3);
}

static const EvalHost resolver_host = {host_name, host_param, host_printed};

/* ---------------- statements ---------------- */

/* Assigns `value` at the path below `scope`; reports assignments below leaves. */
/* A non-empty scope read as a value (`x = process`, legacy `name params`) is
 * stored as a snapshot: sharing it could make a scope contain itself. */
static Value *snapshot(Resolver *r, Value *v)
{
    return v && v->kind == V_SCOPE && v->nentries ? value_copy(r->a, v) : v;
}

/* v2 `params.NAME = default` (ConfigDsl.assign): a command-line value for
 * NAME takes the default's type from here on (ConfigDsl.asDeclaredType). A
 * default the resolver cannot know leaves the type unknown too. */
static void declare_param(Resolver *r, const char *name, size_t len, Value *declared)
{
    Entry *e = r->opt->cli_params ? value_entry(r->opt->cli_params, name, len) : NULL;
    if (!e || !e->val || e->val->kind != V_STRING || !declared) return;
    Value *typed = declared->kind == V_DYNAMIC
        ? value_dynamic(r->a, declared->src, declared->start, declared->end,
                        "the type of a command-line param follows its dynamic default")
        : params_as_declared_type(r->a, e->val, declared);
    if (typed) e->val = typed;
}

static void assign_path(Resolver *r, Ctx *c, Value *scope, const Node *stmt, const char *const *segs,
                        const size_t *lens, size_t nsegs, Value *value)
{
    Prov *prov = prov_new(r, c, stmt);
    value = snapshot(r, value);
    if (secret_option_name(segs[nsegs - 1], lens[nsegs - 1])) value = eval_mark_secret(&r->ev, value);
    for (size_t i = 0; i + 1 < nsegs; i++) {
        Entry *e = value_entry(scope, segs[i], lens[i]);
        if (e && e->val && e->val->kind != V_SCOPE && e->val->kind != V_MAP && e->val->kind != V_NULL) {
            report(r, c->frame.src, stmt, RULE_CONFIG_ERROR, "cannot assign '%.*s' below '%.*s', which holds a %s value",
                   (int)lens[i + 1], segs[i + 1], (int)lens[i], segs[i], value_kind_name(e->val->kind));
            return;
        }
        scope = scope_child(r, scope, segs[i], lens[i], prov);
        if (!scope) return;
    }
    value_set(r->a, scope, segs[nsegs - 1], lens[nsegs - 1], value, prov);
    if (!r->opt->syntax_v1 && scope == params_scope(c)) declare_param(r, segs[nsegs - 1], lens[nsegs - 1], value);
}

static void assign_v1(Resolver *r, Ctx *c, Value *scope, const Node *stmt, const char *const *segs,
                      const size_t *lens, size_t nsegs, Value *value)
{
    if (nsegs == 1 || c->nscopes == 0) {
        assign_path(r, c, scope, stmt, segs, lens, nsegs, value);
        if (nsegs == 1) v1_note(r, c, segs[0], lens[0], value);
        return;
    }
    /* `a.b = v` reads `a` as a property first (v1), so it may write into
     * an enclosing block's object */
    Value *base = v1_get_prop(r, c, segs[0], lens[0]);
    if (!base) return;
    if (base->kind != V_SCOPE && base->kind != V_MAP) {
        report(r, c->frame.src, stmt, RULE_CONFIG_ERROR, "cannot assign '%.*s' below '%.*s', which holds a %s value",
               (int)lens[1], segs[1], (int)lens[0], segs[0], value_kind_name(base->kind));
        return;
    }
    assign_path(r, c, base, stmt, segs + 1, lens + 1, nsegs - 1, value);
}

static void assign_node_path(Resolver *r, Ctx *c, Value *scope, const Node *stmt, const Node *path, Value *value)
{
    const char *segs[64];
    size_t lens[64];
    size_t n = 0;
    for (size_t i = 0; i < path->nkids && n < 64; i++, n++) {
        segs[n] = path->kids[i]->text;
        lens[n] = path->kids[i]->textlen;
    }
    if (n && r->opt->syntax_v1) assign_v1(r, c, scope, stmt, segs, lens, n, value);
    else if (n) assign_path(r, c, scope, stmt, segs, lens, n, value);
}

/* Turns an expression target (`a.b.c`, `x`) into path segments; 0 if it is not one. */
static size_t expr_path(const Node *e, const char **segs, size_t *lens, size_t max)
{
    const Node *chain[64];
    size_t n = 0;
    while (e && e->kind == N_PROP && n < 64) { chain[n++] = e; e = e->a; }
    if (!e || e->kind != N_IDENT || n + 1 > max || n >= 64) return 0;
    segs[0] = e->text;
    lens[0] = e->textlen;
    for (size_t i = 0; i < n; i++) {
        segs[i + 1] = chain[n - 1 - i]->text;
        lens[i + 1] = chain[n - 1 - i]->textlen;
    }
    return n + 1;
}

/* ---------------- which files an include may read ---------------- */

/* The canonical absolute form of path (symbolic links, `.` and `..`
 * resolved) in the arena, or NULL when it does not exist or cannot be
 * resolved (then loading it reports why). */
static const char *canonical_path(Resolver *r, const char *path)
{
    char buf[PATH_MAX];
    if (!realpath(path, buf)) return NULL;
    return arena_strdup(r->a, buf);
}

/* The work tree of the git repository canon (a canonical directory) is in:
 * the nearest directory upward holding `.git`, or canon itself when there
 * is none. A pipeline's sub-configs include `../../modules/…` of their own
 * repository. */
static const char *repository_root(Resolver *r, const char *canon)
{
    size_t len = strlen(canon);
    for (;;) {
        struct stat st;
        const char *git = arena_printf(r->a, "%.*s/.git", (int)len, canon);
        if (!git) return canon;
        if (stat(git, &st) == 0) return arena_strndup(r->a, canon, len);
        if (len <= 1) return canon;
        while (len > 1 && canon[len - 1] != '/') len--;   /* up one directory … */
        if (len > 1) len--;                              /* … without its slash, unless it is "/" */
    }
}

/* Adds the directories local includes may read from: the project directory
 * and the directories of the files the operator named, each widened to its
 * git repository. */
static void add_include_root(Resolver *r, const char *dir)
{
    const char *canon = dir ? canonical_path(r, dir) : NULL;
    if (canon) canon = repository_root(r, canon);
    if (!canon) return;
    const char **roots = arena_alloc(r->a, (r->ninclude_roots + 1) * sizeof *roots);
    if (!roots) return;
    if (r->ninclude_roots) memcpy(roots, r->include_roots, r->ninclude_roots * sizeof *roots);
    roots[r->ninclude_roots++] = canon;
    r->include_roots = roots;
}

/* 1 when canonical path p is dir or inside it. */
static int path_inside(const char *dir, const char *p)
{
    size_t n = strlen(dir);
    if (n == 1 && dir[0] == '/') return 1;
    return !strncmp(p, dir, n) && (p[n] == '/' || p[n] == '\0');
}

/* Why the local include `path` must not be read (a repository must not make
 * nf-preflight show the operator's other files: /proc/self/environ,
 * ~/.netrc, SSH keys …), or NULL when it may be. *canon is its canonical
 * path, NULL when it does not resolve (then it is missing or unreadable,
 * which loading reports). */
static const char *include_refusal(Resolver *r, const char *path, const char **canon)
{
    static const char *const system_dirs[] = {"/proc", "/sys", "/dev"};
    *canon = canonical_path(r, path);
    if (!*canon) return NULL;
    for (size_t i = 0; i < sizeof system_dirs / sizeof *system_dirs; i++)
        if (path_inside(system_dirs[i], *canon)) return "it is a system file";
    if (r->opt->allow_outside_includes) return NULL;
    for (size_t i = 0; i < r->ninclude_roots; i++)
        if (path_inside(r->include_roots[i], *canon)) return NULL;
    return "it is outside the project directory (--allow-outside-includes reads it)";
}

/* Puts a file on the include stack with its identity (stat of path). */
static void push_include(Resolver *r, const char *path)
{
    struct stat st;
    int d = r->include_depth++;
    r->include_stack[d] = path;
    r->include_has_id[d] = path && !is_remote(path) && stat(path, &st) == 0;
    r->include_dev[d] = r->include_has_id[d] ? st.st_dev : 0;
    r->include_ino[d] = r->include_has_id[d] ? st.st_ino : 0;
}

/* 1 when path (spelt any way, or linked) is a file on the include stack. */
static int include_on_stack(Resolver *r, const char *path)
{
    struct stat st;
    int has_id = !is_remote(path) && stat(path, &st) == 0;
    for (int i = 0; i < r->include_depth; i++) {
        if (!strcmp(r->include_stack[i], path)) return 1;
        if (has_id && r->include_has_id[i] && r->include_dev[i] == st.st_dev && r->include_ino[i] == st.st_ino)
            return 1;
    }
    return 0;
}

static Source *load_include(Resolver *r, Ctx *c, const Node *stmt, const char *path, int *missing)
{
    *missing = 0;
    if (is_remote(path)) {
        char *body = NULL, *err = NULL;
        size_t len = 0;
        if (r->opt->fetch(r->opt->fetch_ctx, path, &body, &len, &err) != 0) {
            report(r, c->frame.src, stmt, RULE_INCLUDE_REMOTE_FAILED, "cannot fetch included config '%s': %s", path,
                   err ? err : "unknown error");
            note_unread(r, c->frame.src, stmt, arena_printf(r->a, "remote include '%s' (could not be fetched)", path));
            np_free(err);
            np_free(body);
            return NULL;
        }
        Source *s = source_from_memory(path, path, body, len);
        np_free(body);
        return s;
    }
    int err;
    Source *s = r->opt->load ? r->opt->load(r->opt->load_ctx, path, NULL, &err) : source_load(path, NULL, &err);
    if (!s) *missing = err == SOURCE_ENOENT ? 1 : err == SOURCE_ENOMEM ? 3 : 2;
    if (!s && *missing == 2 && !c->in_try)
        report(r, c->frame.src, stmt, RULE_INCLUDE_NOT_FOUND, "cannot read included config file '%s': %s", path,
               source_strerror(err));
    return s;
}

static void exec_file(Resolver *r, Ctx *c, Source *src, Node *tree, Value *scope);

static Node *parse_source(const ResolveOptions *o, Arena *a, const Source *src, DiagList *diags, int *errors)
{
    return o->parse ? o->parse(o->parse_ctx, a, src, diags, errors) : parse_config(a, src, diags, errors);
}

/* Findings in a file included from inside a statement the strict parser
 * rejects whole (c->in_rejected): under v2 Nextflow never reads that file,
 * so its strict-syntax findings (from first_diag on) are not what stops
 * the launch; they stay as notes for when the statement is rewritten. */
static void demote_rejected_include(Resolver *r, Ctx *c, const Node *stmt, size_t first_diag)
{
    if (!c->in_rejected || r->opt->syntax_v1) return;
    unsigned line, col;
    source_linecol(c->frame.src, stmt->start, &line, &col);
    for (size_t i = first_diag; i < r->diags->len; i++) {
        Diag *d = &r->diags->items[i];
        if (d->id != RULE_V2_INCOMPATIBLE || d->sev == SEV_INFO) continue;
        d->sev = SEV_INFO;
        StrBuf m = STRBUF_INIT;
        strbuf_printf(&m, "%s (this file is included only from a statement the strict parser rejects, at %s:%u, "
                      "so it is not read under v2)", d->message, c->frame.src->name, line);
        char *text = strbuf_take(&m);
        if (!text) { r->diags->oom = 1; continue; }
        np_free(d->message);
        d->message = text;
    }
}

static void do_include(Resolver *r, Ctx *c, const Node *stmt, Value *scope)
{
    if (r->opt->ignore_includes) {
        note_unread(r, c->frame.src, stmt, "an includeConfig (includes are not followed in this mode)");
        return;
    }
    Value *v = eval(r, c, stmt->a);
    if (!v) return;
    if (v->kind == V_DYNAMIC) {
        report(r, c->frame.src, stmt, RULE_DYNAMIC_VALUE, "includeConfig argument cannot be resolved before the run (%s); the included settings are not checked",
               v->why ? v->why : "dynamic");
        note_unread(r, c->frame.src, stmt, "an includeConfig whose path is known only at run time");
        return;
    }
    if ((v->kind != V_STRING && v->kind != V_PATH) || v->len == 0) {
        report(r, c->frame.src, stmt, RULE_CONFIG_ERROR, "includeConfig argument cannot be empty");
        return;
    }
    const char *arg = str0(r, v);
    if (!arg) return;
    if (!strcmp(arg, "/dev/null")) return;
    const char *path = join_path(r, c->dir, arg);
    if (!path) { r->diags->oom = 1; return; }
    if (is_remote(path) && !r->opt->remote_includes) {
        note_unread(r, c->frame.src, stmt, arena_printf(r->a, "remote include '%s' (not fetched: --remote-includes reads it)", path));
        for (size_t i = 0; i < r->nremote; i++)
            if (!strcmp(r->remote_reported[i], path)) return;
        char **list = arena_alloc(r->a, (r->nremote + 1) * sizeof *list);
        if (list) {
            if (r->nremote) memcpy(list, r->remote_reported, r->nremote * sizeof *list);
            list[r->nremote++] = (char *)path;
            r->remote_reported = list;
        }
        report(r, c->frame.src, stmt, RULE_INCLUDE_REMOTE_SKIPPED,
               "remote include '%s' not fetched (use --remote-includes to read it)", path);
        return;
    }
    if (!is_remote(path) && strstr(path, "://")) {
        report(r, c->frame.src, stmt, RULE_DYNAMIC_VALUE, "include '%s' uses a scheme nf-preflight cannot read", path);
        note_unread(r, c->frame.src, stmt, arena_printf(r->a, "include '%s' (a scheme nf-preflight cannot read)", path));
        return;
    }
    if (!is_remote(path)) {
        const char *canon;
        const char *why = include_refusal(r, path, &canon);
        if (why) {
            report(r, c->frame.src, stmt, RULE_INCLUDE_NOT_READ, "included config '%s' is not read: %s", arg, why);
            note_unread(r, c->frame.src, stmt, arena_printf(r->a, "include '%s' (not read: %s)", arg, why));
            return;
        }
    }
    if (include_on_stack(r, path)) {
        report(r, c->frame.src, stmt, RULE_INCLUDE_CYCLE, "'%s' includes itself through a cycle of includeConfig", arg);
        return;
    }
    if (r->include_depth >= MAX_INCLUDE_DEPTH) {
        report(r, c->frame.src, stmt, RULE_INCLUDE_CYCLE, "includes nested more than %d deep", MAX_INCLUDE_DEPTH);
        note_unread(r, c->frame.src, stmt, arena_printf(r->a, "include '%s' (nested too deep)", arg));
        return;
    }
    if (r->includes_read >= MAX_INCLUDES) {
        if (!r->include_cap_reported++)
            report(r, c->frame.src, stmt, RULE_INCLUDE_NOT_READ,
                   "included config '%s' and later includes are not read: more than %d includes in all", arg,
                   MAX_INCLUDES);
        note_unread(r, c->frame.src, stmt, arena_printf(r->a, "include '%s' (over the include limit)", arg));
        return;
    }
    r->includes_read++;
    int missing;
    Source *src = load_include(r, c, stmt, path, &missing);
    if (src && src->len > MAX_TOTAL_INPUT - r->input_bytes) {
        if (!r->include_cap_reported++)
            report(r, c->frame.src, stmt, RULE_INCLUDE_NOT_READ,
                   "included config '%s' and later includes are not read: more than %zu MiB of config in all", arg,
                   MAX_TOTAL_INPUT >> 20);
        note_unread(r, c->frame.src, stmt, arena_printf(r->a, "include '%s' (over the size limit)", arg));
        source_free(src);
        return;
    }
    if (src) r->input_bytes += src->len;
    if (!src) {
        if (!is_remote(path) && missing != 3)
            note_unread(r, c->frame.src, stmt, arena_printf(r->a, "include '%s' (%s)", arg,
                                                            missing == 1 ? "not found" : "could not be read"));
        if (missing == 1 && !c->in_try)
            report(r, c->frame.src, stmt, RULE_INCLUDE_NOT_FOUND, "included config file '%s' does not exist (resolved to '%s')",
                   arg, path);
        else if (missing == 3)
            r->diags->oom = 1;
        return;
    }
    /* registered before parsing: diagnostics will point into it */
    if (!config_add_source(r->cfg, src, NULL)) { source_free(src); r->diags->oom = 1; return; }
    size_t first_diag = r->diags->len;
    int errors = 0;
    Node *tree = parse_source(r->opt, r->a, src, r->diags, &errors);
    r->cfg->trees[r->cfg->nsources - 1] = tree;
    r->cfg->syntax_errors += errors;
    if (errors || !tree) {
        if (errors) note_unread(r, c->frame.src, stmt, arena_printf(r->a, "include '%s' (not evaluated: it has syntax errors)", arg));
        demote_rejected_include(r, c, stmt, first_diag);
        return;
    }
    Ctx ic = *c;
    ic.in_rejected = 0;                   /* a statement of that file stands on its own */
    ic.frame.src = src;
    ic.dir = dir_of(r, path);
    ic.nscopes = c->nscopes;
    push_include(r, path);
    exec_file(r, &ic, src, tree, scope);
    r->include_depth--;
    demote_rejected_include(r, c, stmt, first_diag);
}

static int profile_selected(Resolver *r, const char *name)
{
    if (!r->opt->profiles_given) return !strcmp(name, "standard");
    for (size_t i = 0; i < r->opt->nprofiles; i++)
        if (!strcmp(r->opt->profiles[i], name)) return 1;
    return 0;
}

/* The context a profile body runs in: at the file's top, attributed to the
 * profile (provenance), the declaration marked applied. */
static Ctx profile_ctx(const Ctx *c, ProfileDecl *d)
{
    Ctx pc = *c;
    pc.profile = d->name;
    pc.nscopes = 1;
    pc.scopes[0] = c->root;
    d->applied = 1;
    return pc;
}

static void apply_profile(Resolver *r, Ctx *c, ProfileDecl *d)
{
    Ctx pc = profile_ctx(c, d);
    exec_stmts(r, &pc, d->body, c->root);
}

/* v1 (ConfigParserV1, oracle ParseState.block): the selected bodies of one
 * `profiles` block write into one new object, in definition order, and that
 * object is merged over the file's root after the whole file. Blocks inside
 * it find their objects through the top frame (see v1_block_target), so a
 * scope that existed before the block is written in place, while a new one
 * lands in the object and wins over later top-level settings. */
static void apply_profiles_v1(Resolver *r, Ctx *c, size_t first, size_t last)
{
    Value *obj = NULL;
    for (size_t i = first; i < last; i++) {
        ProfileDecl *d = &r->cfg->profiles[i];
        if (!profile_selected(r, d->name)) continue;
        if (!obj && !(obj = value_new(r->a, V_SCOPE))) return;
        Ctx pc = profile_ctx(c, d);
        pc.v1_profile = 1;
        exec_stmts(r, &pc, d->body, obj);
    }
    if (obj && r->v1_profile_objs) value_list_push(r->a, r->v1_profile_objs, obj);
}

/* `profiles { a { … } b { … } }`: declares every profile and applies the
 * selected ones here, at the block (nextflow-config.md §4.4). */
static void do_profiles(Resolver *r, Ctx *c, const Node *block)
{
    size_t first = r->cfg->nprofiles;
    for (size_t i = 0; i < block->nkids; i++) {
        const Node *s = block->kids[i];
        if (s->kind == N_BLOCK && s->a && s->a->nkids == 1) {
            config_declare_profile(r->cfg, s->text, c->frame.src, s);
        } else if (r->opt->syntax_v1) {
            exec_stmt(r, c, s, c->root);    /* v1 runs it at the top, whatever the profile */
        } else if (s->kind != N_EMPTY) {
            report(r, c->frame.src, s, RULE_CONFIG_ERROR, "only profile blocks are allowed in the `profiles` scope");
        }
    }
    size_t last = r->cfg->nprofiles;
    if (r->opt->syntax_v1) {
        apply_profiles_v1(r, c, first, last);
    } else if (!r->opt->profiles_given) {
        /* `standard`, every definition of it in order */
        for (size_t i = first; i < last; i++)
            if (profile_selected(r, r->cfg->profiles[i].name)) apply_profile(r, c, &r->cfg->profiles[i]);
    } else {
        /* v2: command-line order; the last definition of a name wins */
        for (size_t k = 0; k < r->opt->nprofiles; k++) {
            ProfileDecl *pick = NULL;
            for (size_t i = first; i < last; i++)
                if (!strcmp(r->cfg->profiles[i].name, r->opt->profiles[k])) pick = &r->cfg->profiles[i];
            if (pick) apply_profile(r, c, pick);
        }
    }
}

static void do_plugins(Resolver *r, Ctx *c, const Node *block, Value *scope)
{
    Entry *e = value_entry(scope, "plugins", 7);
    Value *list = e && e->val && e->val->kind == V_LIST ? e->val : value_new(r->a, V_LIST);
    if (!list) return;
    for (size_t i = 0; i < block->nkids; i++) {
        const Node *s = block->kids[i];
        if (s->kind == N_COMMAND && s->a && s->a->kind == N_IDENT && !strcmp(s->a->text, "id") && s->nkids == 1) {
            Value *v = eval(r, c, s->kids[0]);
            int dup = 0;
            for (size_t k = 0; k < list->nitems; k++) dup |= value_equal(list->items[k], v) == 1;
            if (!dup) value_list_push(r->a, list, v);
        }
    }
    if (!e) value_set(r->a, scope, "plugins", 7, list, prov_new(r, c, block));
}

/* A v1 block `name { … }` (ConfigParserV1, oracle ParseState.block). Its
 * object is the frame's own entry when that is a scope, else a copy of the
 * scope the frame's scope map holds under the name, else a new scope. Inside
 * a profile the frame consulted is the file's top frame: the object then
 * replaces the entry of the current scope, and afterwards the top frame's
 * scope map keeps it (or merges it into the scope it already holds), so that
 * a later top-level block of the same name starts from it. */
static void exec_block_v1(Resolver *r, Ctx *c, const Node *s, Value *scope, const char *name, size_t len,
                          Prov *prov)
{
    Entry *own = c->v1_profile ? value_entry(c->root, name, len) : value_entry(scope, name, len);
    Value *obj = own && own->val && own->val->kind == V_SCOPE ? own->val : NULL;
    /* Below a profile's top Groovy would link the root's object in here, which
     * can close a cycle (`params { params { } }`); a copy keeps a tree. */
    if (obj && c->v1_profile && c->nscopes > 2 && !(obj = value_copy(r->a, obj))) return;
    if (!obj) {
        Entry *seen = c->v1_profile ? value_entry(r->v1_extra, name, len) : v1_scope_entry(r, c, name, len);
        obj = seen && seen->val && seen->val->kind == V_SCOPE ? value_copy(r->a, seen->val) : value_new(r->a, V_SCOPE);
        if (!obj) return;
    }
    Entry *cur = value_entry(scope, name, len);
    if (!cur || cur->val != obj) {
        if (!value_set(r->a, scope, name, len, obj, prov)) return;
    }
    v1_note(r, c, name, len, obj);
    exec_stmts(r, c, s, obj);
    if (!c->v1_profile) return;
    Entry *kept = v1_root_entry(r, c, name, len);
    if (kept && kept->val && kept->val->kind == V_SCOPE) {
        if (kept->val != obj) value_merge(r->a, kept->val, obj);
    } else if (r->v1_extra) {
        value_set(r->a, r->v1_extra, name, len, obj, NULL);
    }
}

/* The statements of an if or try body: Groovy opens no block for them, so
 * they stay at the level of the enclosing block (an include in an `if` at
 * the top may still declare plugins and profiles). */
static void exec_body(Resolver *r, Ctx *c, const Node *body, Value *scope)
{
    for (size_t i = 0; body && i < body->nkids; i++) exec_stmt(r, c, body->kids[i], scope);
}

/* `if (cond) { … } else …` among config statements (legacy; v2 rejects it
 * whole): the branch the condition picks, nothing when it is known only at
 * run time. */
static void exec_if(Resolver *r, Ctx *c, const Node *s, Value *scope)
{
    Value *cond = eval(r, c, s->a);
    int t = value_truth(cond);
    if (t < 0) {
        report(r, c->frame.src, s->a, RULE_DYNAMIC_VALUE,
               "if condition cannot be evaluated before the run; settings inside it are not applied");
        note_unread(r, c->frame.src, s, "an if statement decided only at run time");
        return;
    }
    const Node *branch = t ? s->b : s->c;
    if (!branch) return;
    if (branch->kind == N_IF) exec_stmt(r, c, branch, scope);
    else exec_body(r, c, branch, scope);
}

static void exec_stmt(Resolver *r, Ctx *c, const Node *s, Value *scope)
{
    switch (s->kind) {
    case N_ASSIGN: {
        /* each assignment gets its own evaluation budget, within a total one */
        r->work_done += r->ev.work;
        r->ev.work = r->work_done > MAX_TOTAL_WORK ? MAX_WORK : 0;
        /* `x = y = v` (also across a newline after `=`) sets both, as Groovy does */
        if (s->b && s->b->kind == N_ASSIGN) exec_stmt(r, c, s->b, scope);
        Value *v = eval(r, c, s->b);
        if (!v) return;
        if (s->a->kind == N_PATH && s->a->nkids == 1 && s->op == TK_ASSIGN) {
            /* `x = v` where x is a `def` local updates the local, not the config */
            const Node *seg = s->a->kids[0];
            Value *vars = c->frame.fn_locals && value_entry(c->frame.fn_locals, seg->text, seg->textlen) ? c->frame.fn_locals
                          : c->frame.locals && value_entry(c->frame.locals, seg->text, seg->textlen) ? c->frame.locals : NULL;
            if (vars) {
                value_set(r->a, vars, seg->text, seg->textlen, v, NULL);
                return;
            }
        }
        if (s->a->kind == N_PATH) {
            assign_node_path(r, c, scope, s, s->a, v);
            return;
        }
        /* legacy `x = …` / `a.b = …` written as an expression */
        const char *segs[64];
        size_t lens[64];
        size_t n = expr_path(s->a, segs, lens, 64);
        if (!n || s->op != TK_ASSIGN) return;   /* compound/indexed: code, not config */
        if (n == 1 && c->frame.locals && value_entry(c->frame.locals, segs[0], lens[0])) {
            value_set(r->a, c->frame.locals, segs[0], lens[0], v, NULL);
            return;
        }
        if (r->opt->syntax_v1) assign_v1(r, c, scope, s, segs, lens, n, v);
        else assign_path(r, c, scope, s, segs, lens, n, v);
        return;
    }
    case N_BLOCK: {
        const Node *path = s->a;
        if (path->nkids == 1 && c->nscopes == 1 && !strcmp(s->text, "profiles")) {
            do_profiles(r, c, s);
            return;
        }
        if (path->nkids == 1 && !strcmp(s->text, "plugins")) {
            if (c->nscopes != 1)
                report(r, c->frame.src, s, RULE_CONFIG_ERROR, "plugins definition is only allowed in config top-most scope");
            else
                do_plugins(r, c, s, scope);
            return;
        }
        Prov *prov = prov_new(r, c, s);
        if (r->opt->syntax_v1 && path->nkids == 1) {
            exec_block_v1(r, c, s, scope, path->kids[0]->text, path->kids[0]->textlen, prov);
            return;
        }
        Value *target = scope;
        for (size_t i = 0; i < path->nkids && target; i++)
            target = scope_child(r, target, path->kids[i]->text, path->kids[i]->textlen, prov);
        if (target) exec_stmts(r, c, s, target);
        return;
    }
    case N_SELECTOR: {
        const char *key = arena_printf(r->a, "%s:%.*s", s->text, (int)s->a->textlen, s->a->text);
        if (!key) return;
        Prov *prov = prov_new(r, c, s);
        if (r->opt->syntax_v1) {
            exec_block_v1(r, c, s, scope, key, strlen(key), prov);
            return;
        }
        Value *target = scope_child(r, scope, key, strlen(key), prov);
        if (target) exec_stmts(r, c, s, target);
        return;
    }
    case N_INCLUDE:
        do_include(r, c, s, scope);
        return;
    case N_IF: {
        c->in_rejected++;
        exec_if(r, c, s, scope);
        c->in_rejected--;
        return;
    }
    case N_TRY:
        c->in_try++;
        c->in_rejected++;
        exec_body(r, c, s->a, scope);
        c->in_try--;
        if (s->c) exec_body(r, c, s->c, scope);
        c->in_rejected--;
        return;
    case N_VAR: {
        c->in_rejected++;
        Value *v = s->a ? eval(r, c, s->a) : value_new(r->a, V_NULL);
        c->in_rejected--;
        if (c->frame.locals) value_set(r->a, c->frame.locals, s->text, s->textlen, v, NULL);
        return;
    }
    case N_FUNC:
        eval_define_function(&r->ev, s, c->frame.src);
        return;
    case N_LOOP:
        /* for/while/switch among config statements: never evaluated, and the
         * settings inside them must not vanish without a word */
        report(r, c->frame.src, s, RULE_DYNAMIC_VALUE,
               "a loop or switch statement is not evaluated before the run; settings inside it are not applied or checked");
        note_unread(r, c->frame.src, s, "a loop or switch statement (not evaluated before the run)");
        return;
    case N_COMMAND: {
        /* legacy `name value` inside a block sets the option, as v1 did */
        if (s->a && s->a->kind == N_IDENT && s->nkids == 1 && c->nscopes > 1) {
            Value *v = snapshot(r, eval(r, c, s->kids[0]));
            if (v) value_set(r->a, scope, s->a->text, s->a->textlen, v, prov_new(r, c, s));
        }
        return;
    }
    case N_EXPR_STMT: {
        /* legacy `name(value) { … }` and `name { … }` written as calls */
        const Node *e = s->a;
        if (e && e->kind == N_CALL && (e->flags & NF_TRAILING_CLOSURE) && e->nkids >= 1 &&
            e->kids[e->nkids - 1]->kind == N_CLOSURE && e->a && e->a->kind == N_IDENT) {
            Value *target = scope_child(r, scope, e->a->text, e->a->textlen, prov_new(r, c, s));
            const Node *body = e->kids[e->nkids - 1]->a;
            if (target && body) exec_stmts(r, c, body, target);
        }
        return;
    }
    default:
        return;
    }
}

static void exec_stmts(Resolver *r, Ctx *c, const Node *owner, Value *scope)
{
    if (!owner || c->nscopes >= PARSE_MAX_DEPTH) return;
    c->vars[c->nscopes] = r->opt->syntax_v1 && c->nscopes ? value_new(r->a, V_SCOPE) : NULL;
    c->scopes[c->nscopes++] = scope;
    for (size_t i = 0; i < owner->nkids; i++) exec_stmt(r, c, owner->kids[i], scope);
    c->nscopes--;
}

static void exec_file(Resolver *r, Ctx *c, Source *src, Node *tree, Value *scope)
{
    (void)src;
    if (c->nscopes == 0) {
        exec_stmts(r, c, tree, scope);
    } else {
        /* an include writes into the scope it appears in (v1) */
        for (size_t i = 0; i < tree->nkids; i++) exec_stmt(r, c, tree->kids[i], scope);
    }
}

/* ---------------- environment and params ---------------- */

/* Environment variables whose values config code may print: names that say
 * where things are, not what anyone's secret is (docs/security.md). */
static int env_name_harmless(const char *name, size_t len)
{
    static const char *const names[] = {"HOME", "USER", "LOGNAME", "PWD", "SHELL", "LANG", "TMPDIR", "TMP",
                                        "TEMP", "HOSTNAME", "NXF_HOME", "NXF_WORK", "NXF_TEMP", "NXF_VER",
                                        "NXF_SYNTAX_PARSER"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (strlen(names[i]) == len && !memcmp(names[i], name, len)) return 1;
    return 0;
}

/* 1 when the operator lets config code print environment variable
 * name[0, len): --trust-env, the harmless names, or a name given with --env
 * (NAME or NAME=VALUE). A secret-named variable (TOWER_ACCESS_TOKEN …) never. */
static int env_name_printable(const ResolveOptions *o, const char *name, size_t len)
{
    if (secret_option_name(name, len)) return 0;
    if (o->trust_env || env_name_harmless(name, len)) return 1;
    for (size_t i = 0; i < o->nenv; i++) {
        const char *eq = strchr(o->env[i], '=');
        size_t n = eq ? (size_t)(eq - o->env[i]) : strlen(o->env[i]);
        if (n == len && !memcmp(o->env[i], name, len)) return 1;
    }
    return 0;
}

/* Sets environment variable name[0, len) = value in env, marked as from the
 * environment (Value.env) unless the operator lets it print. */
static void set_env_var(Resolver *r, Value *env, const char *name, size_t len, const char *value)
{
    Value *v = mkstr(r, value);
    if (v && !env_name_printable(r->opt, name, len)) v->env = arena_strndup(r->a, name, len);
    value_set(r->a, env, name, len, v, NULL);
}

static Value *build_env(Resolver *r)
{
    Value *env = value_new(r->a, V_SCOPE);
    if (!env) return NULL;
    if (!r->opt->trust_env) env->env = VALUE_ENV_ALL;   /* "${System.getenv()}" */
    if (!r->opt->clean_env && environ) {
        for (char **e = environ; *e; e++) {
            const char *eq = strchr(*e, '=');
            if (eq) set_env_var(r, env, *e, (size_t)(eq - *e), eq + 1);
        }
    }
    for (size_t i = 0; i < r->opt->nenv; i++) {
        const char *kv = r->opt->env[i];
        const char *eq = strchr(kv, '=');
        if (eq) set_env_var(r, env, kv, (size_t)(eq - kv), eq + 1);   /* NAME alone only allows */
    }
    return env;
}

int resolve_add_cli_param(Arena *a, Value *params, const char *assignment, int typed)
{
    const char *eq = strchr(assignment, '=');
    const char *name = assignment;
    size_t nlen = eq ? (size_t)(eq - assignment) : strlen(assignment);
    const char *val = eq ? eq + 1 : "true";
    /* kebab-case → camelCase, `a.b` nests (nextflow-config.md §4.7) */
    char *key = arena_alloc(a, nlen + 1);
    if (!key) return 0;
    size_t k = 0;
    for (size_t i = 0; i < nlen; i++) {
        if (name[i] == '-' && i + 1 < nlen && i > 0) { key[k++] = (char)toupper((unsigned char)name[++i]); continue; }
        key[k++] = name[i];
    }
    key[k] = '\0';
    Value *v = typed ? params_cli_value_v1(a, val, strlen(val)) : value_string(a, val, strlen(val));
    if (!v) return 0;
    Value *scope = params;
    char *seg = key;
    for (char *dot; (dot = strchr(seg, '.')); seg = dot + 1) {
        Entry *e = value_entry(scope, seg, (size_t)(dot - seg));
        Value *child = e && e->val && e->val->kind == V_SCOPE ? e->val : NULL;
        if (!child) {
            child = value_new(a, V_SCOPE);
            if (!child || !value_set(a, scope, seg, (size_t)(dot - seg), child, NULL)) return 0;
        }
        scope = child;
    }
    return value_set(a, scope, seg, strlen(seg), v, NULL) != NULL;
}

/* ---------------- entry points ---------------- */

static int no_fetch(void *ctx, const char *url, char **body, size_t *len, char **err)
{
    (void)ctx; (void)url; (void)body; (void)len;
    *err = np_strdup("remote includes are not enabled");
    return -1;
}

Config *resolve_config(const Layer *layers, size_t nlayers, const ResolveOptions *opt, DiagList *diags)
{
    Config *cfg = config_new();
    if (!cfg) return NULL;
    ResolveOptions o = *opt;
    if (!o.fetch) o.fetch = no_fetch;
    Resolver r = {0};
    r.opt = &o;
    r.input_bytes = o.params_bytes < MAX_TOTAL_INPUT ? o.params_bytes : MAX_TOTAL_INPUT;
    /* v2 retypes a command-line param when the config declares it (see
     * declare_param): on this resolution's own copy, never the caller's */
    Value *cli_copy = o.cli_params && !o.syntax_v1 ? value_new(cfg->arena, V_SCOPE) : NULL;
    if (cli_copy) {
        for (size_t i = 0; i < o.cli_params->nentries; i++) {
            const Entry *e = &o.cli_params->entries[i];
            if (!value_set(cfg->arena, cli_copy, e->key, e->keylen, e->val, e->prov)) { cli_copy = NULL; break; }
        }
        if (!cli_copy) { config_free(cfg); return NULL; }
        o.cli_params = cli_copy;
    }
    r.diags = diags;
    r.cfg = cfg;
    r.a = cfg->arena;
    r.ev.a = cfg->arena;
    r.ev.host = &resolver_host;
    r.ev.host_ctx = &r;
    r.ev.v1 = o.syntax_v1;
    r.ev.max_work = MAX_WORK;
    r.ev.env_texts = &cfg->secrets;
    r.ev.env = build_env(&r);
    cfg->env = r.ev.env;
    if (!r.ev.env) { config_free(cfg); return NULL; }
    add_include_root(&r, o.project_dir);
    for (size_t li = 0; li < nlayers; li++) {
        if (layers[li].path) add_include_root(&r, dir_of(&r, layers[li].path));
        if (layers[li].base_dir) add_include_root(&r, layers[li].base_dir);
    }

    for (size_t li = 0; li < nlayers; li++) {
        const Layer *L = &layers[li];
        Source *src;
        if (L->path) {
            int err;
            src = o.load ? o.load(o.load_ctx, L->path, L->name, &err) : source_load(L->path, L->name, &err);
            if (!src) {
                diag_add(diags, NULL, 0, 0, SEV_ERROR, RULE_CONFIG_ERROR, "cannot read config file '%s': %s",
                         L->path, source_strerror(err));
                cfg->io_error = 1;
                note_unread(&r, NULL, NULL, arena_printf(r.a, "config file '%s' (could not be read)", L->path));
                continue;
            }
        } else {
            src = source_from_memory(L->name ? L->name : "<config text>", NULL, L->text, L->len);
            if (!src) { diags->oom = 1; break; }
        }
        /* the operator's layers are checked against the total before any is
         * read (prepare.c); this holds for text layers and a file that grew */
        if (src->len > MAX_TOTAL_INPUT - r.input_bytes) {
            diag_add(diags, NULL, 0, 0, SEV_ERROR, RULE_CONFIG_ERROR,
                     "cannot read config '%s': the config and params of this launch are over the %zu MiB cap for "
                     "all input together", L->path ? L->path : src->name, MAX_TOTAL_INPUT >> 20);
            cfg->io_error = 1;
            note_unread(&r, NULL, NULL, arena_printf(r.a, "config '%s' (over the size limit)",
                                                     L->path ? L->path : src->name));
            source_free(src);
            continue;
        }
        if (!config_add_source(cfg, src, NULL)) { source_free(src); diags->oom = 1; break; }
        r.input_bytes += src->len;
        int errors = 0;
        Node *tree = parse_source(&o, r.a, src, diags, &errors);
        cfg->trees[cfg->nsources - 1] = tree;
        cfg->syntax_errors += errors;
        if (errors || !tree) {            /* a file with syntax errors is not evaluated */
            if (errors) note_unread(&r, src, NULL, arena_printf(r.a, "'%s' (not evaluated: it has syntax errors)", src->name));
            continue;
        }

        Value *layer_root = value_new(r.a, V_SCOPE);
        Value *locals = value_new(r.a, V_SCOPE);
        if (!layer_root || !locals) break;
        Ctx c = {0};
        c.frame.src = src;
        c.root = layer_root;
        c.frame.locals = locals;
        c.dir = L->path ? dir_of(&r, L->path) : (L->base_dir ? L->base_dir : ".");
        const char *p = L->path ? L->path : src->name;
        r.include_depth = 0;
        push_include(&r, L->path ? L->path : NULL);
        r.include_stack[0] = p;
        r.v1_extra = o.syntax_v1 ? value_new(r.a, V_SCOPE) : NULL;
        r.v1_profile_objs = o.syntax_v1 ? value_new(r.a, V_LIST) : NULL;
        exec_stmts(&r, &c, tree, layer_root);
        r.include_depth = 0;
        for (size_t i = 0; r.v1_profile_objs && i < r.v1_profile_objs->nitems; i++)
            value_merge(r.a, layer_root, r.v1_profile_objs->items[i]);
        value_merge(r.a, cfg->root, layer_root);
        /* later layers read the params set so far */
        Entry *pe = value_entry(cfg->root, "params", 6);
        r.params_seen = pe && !o.syntax_v1 ? pe->val : NULL;
    }
    config_collect_secrets(cfg);
    /* command-line params override config params, merged deep (§4.7) */
    if (o.cli_params && o.cli_params->nentries) {
        Value *ps = scope_child(&r, cfg->root, "params", 6, NULL);
        if (ps) value_merge(r.a, ps, o.cli_params);
    }
    /* every explicitly selected profile must exist somewhere (§4.4) */
    if (o.profiles_given) {
        const char **names = np_calloc(cfg->nprofiles + 1, sizeof *names);
        for (size_t i = 0; names && i < cfg->nprofiles; i++) names[i] = cfg->profiles[i].name;
        for (size_t k = 0; k < o.nprofiles; k++) {
            int found = 0;
            for (size_t i = 0; i < cfg->nprofiles; i++) found |= !strcmp(cfg->profiles[i].name, o.profiles[k]);
            if (found) continue;
            const char *best[3];
            size_t nb = names ? suggest_closest(o.profiles[k], names, cfg->nprofiles, best, 3) : 0;
            StrBuf msg = STRBUF_INIT;
            strbuf_printf(&msg, cfg->nunread ? "configuration profile '%s' is not defined in the config read"
                                             : "unknown configuration profile '%s'", o.profiles[k]);
            const char *name = o.profiles[k];
            size_t lead = strspn(name, " \t"), len = strlen(name);
            while (len > lead && (name[len - 1] == ' ' || name[len - 1] == '\t')) len--;
            if (lead || len < strlen(name)) {
                /* Nextflow splits -profile at commas only: 'test, docker' names ' docker' */
                strbuf_printf(&msg, "; the blank is part of the name: -profile is split at commas only, so "
                              "write '%.*s' without spaces around the comma", (int)(len - lead), name + lead);
                nb = 0;
            }
            if (nb) {
                strbuf_puts(&msg, "; did you mean ");
                for (size_t i = 0; i < nb; i++) strbuf_printf(&msg, "%s'%s'", i ? " or " : "", best[i]);
                strbuf_puts(&msg, "?");
            }
            const Source *first = cfg->nsources ? cfg->sources[0] : NULL;
            if (cfg->nunread) {
                /* Nextflow checks the names after every include is read
                 * (ConfigBuilder.checkValidProfile): config this run did
                 * not read may define it */
                strbuf_printf(&msg, "; it may be defined in %s", cfg->unread_what ? cfg->unread_what : "config not read");
                if (cfg->nunread > 1) strbuf_printf(&msg, " or %zu other place%s not read", cfg->nunread - 1,
                                                    cfg->nunread > 2 ? "s" : "");
                diag_add(diags, cfg->unread_src ? cfg->unread_src : first, cfg->unread_start, cfg->unread_end,
                         SEV_WARNING, RULE_UNKNOWN_PROFILE, "%s", strbuf_cstr(&msg));
            } else {
                diag_add(diags, first, 0, 0, SEV_ERROR, RULE_UNKNOWN_PROFILE, "%s", strbuf_cstr(&msg));
            }
            strbuf_free(&msg);
        }
        np_free(names);
    }
    /* one check covers every value, scope and string built on the way */
    if (arena_failed(cfg->arena)) diags->oom = 1;
    return cfg;
}

