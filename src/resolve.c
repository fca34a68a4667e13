#include "resolve.h"
#include "params.h"
#include "alloc.h"
#include "groovy.h"
#include "parse.h"
#include "regex.h"
#include "redact.h"
#include "suggest.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern char **environ;

#define MAX_INCLUDE_DEPTH 64
#define MAX_CALL_DEPTH 32
/* Config code that would run longer than this (nested loops over big
 * ranges) is left dynamic: a check must finish in milliseconds. */
#define MAX_WORK 1000000
#define MAX_TOTAL_WORK 8000000

typedef struct FuncDef {
    const char *name;
    const Node *node;
    const Source *src;
} FuncDef;

typedef struct Resolver {
    const ResolveOptions *opt;
    DiagList *diags;
    Config *cfg;
    Arena *a;
    Value *env;                    /* V_SCOPE of environment variables */
    Value *params_seen;            /* params of earlier layers, visible to later ones */
    const char *include_stack[MAX_INCLUDE_DEPTH];
    int include_depth;
    char **remote_reported;        /* URLs already reported as skipped */
    size_t nremote;
    FuncDef *funcs;
    size_t nfuncs, capfuncs;
    int call_depth;
    /* v1, per layer: the blocks opened inside profiles that the file's top
     * frame remembers (its "scope" map beyond the root's own keys), and the
     * objects of the `profiles` blocks, merged over the root at the end */
    Value *v1_extra;
    Value *v1_profile_objs;
    long long work;                /* closure calls and range elements of this statement (MAX_WORK) */
    long long work_done;           /* of the statements before it (MAX_TOTAL_WORK) */
} Resolver;

/* Evaluation context of one statement list. */
typedef struct Ctx {
    const Source *src;
    Value *root;                   /* the layer's root scope */
    Value *locals;                 /* `def` variables of the layer (v1: shared with includes) */
    Value *fn_locals;              /* parameters and locals inside a function call */
    const char *profile;           /* profile being applied, or NULL */
    Value *scopes[PARSE_MAX_DEPTH + 2];  /* enclosing config scopes, innermost last */
    Value *vars[PARSE_MAX_DEPTH + 2];    /* v1: names each open block assigned (its "scope" map) */
    int nscopes;
    int in_try;
    int v1_profile;                /* v1: inside a `profiles` block (its bodies and their includes) */
    const char *dir;               /* directory (or URL prefix) of the current file */
    const Value *returned;         /* set by `return` inside a function body */
    const Value *last;             /* value of the last expression statement (a closure's result) */
} Ctx;

static Value *eval(Resolver *r, Ctx *c, const Node *n);
static int charge(Resolver *r, long long units);
static Value *step_local(Resolver *r, Ctx *c, const Node *n, const Node *target, TokKind op, int post);
static Value *gstring_value(Resolver *r, Value **parts, size_t nparts, int keep_parts);
static void exec_stmts(Resolver *r, Ctx *c, const Node *owner, Value *scope);
static void exec_stmt(Resolver *r, Ctx *c, const Node *s, Value *scope);

/* ---------------- small helpers ---------------- */

/* The statement's evaluation budget, as groovy.c counts it. */
static GroovyEnv groovy_env(Resolver *r)
{
    GroovyEnv g = {r->a, &r->work, MAX_WORK, NULL};
    return g;
}

/* Counts work against the statement's evaluation budget; 0 when it is spent
 * (the caller then gives up with a dynamic value). */
static int charge(Resolver *r, long long units)
{
    GroovyEnv g = groovy_env(r);
    return groovy_charge(&g, units);
}

static Value *dyn(Resolver *r, Ctx *c, const Node *n, const char *why)
{
    return value_dynamic(r->a, c->src, n ? n->start : 0, n ? n->end : 0, why);
}

static Prov *prov_new(Resolver *r, Ctx *c, const Node *n)
{
    Prov *p = arena_alloc(r->a, sizeof *p);
    if (!p) return NULL;
    p->src = c->src;
    p->start = n ? n->start : 0;
    p->end = n ? n->end : 0;
    p->profile = c->profile;
    return p;
}

static const char *str0(Resolver *r, const Value *v)
{
    /* a NUL-terminated copy of a string value */
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
    if (!dir || !strcmp(dir, ".")) return rel;
    return arena_printf(r->a, "%s/%s", dir, rel);
}

/* ---------------- diagnostics ---------------- */

static void report(Resolver *r, const Source *src, const Node *n, const char *rule, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;

static void report(Resolver *r, const Source *src, const Node *n, const char *rule, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_vadd(r->diags, src, n ? n->start : 0, n ? n->end : 0, DIAG_DEFAULT_SEV, rule, fmt, ap);
    va_end(ap);
}

/* ---------------- names ---------------- */

static Value *lookup_env(Resolver *r, const char *name)
{
    return value_get(r->env, name);
}

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

static Value *lookup_name(Resolver *r, Ctx *c, const Node *n)
{
    const char *name = n->text;
    size_t len = n->textlen;
    Entry *e;
    if (c->fn_locals && (e = value_entry(c->fn_locals, name, len))) return e->val;
    if (c->locals && (e = value_entry(c->locals, name, len))) return e->val;
    if (!strcmp(name, "params") && !r->opt->syntax_v1) return params_view(r, c);
    if (!strcmp(name, "projectDir") || !strcmp(name, "baseDir"))
        return r->opt->project_dir ? path_value(r, r->opt->project_dir) : dyn(r, c, n, "projectDir");
    if (!strcmp(name, "launchDir"))
        return r->opt->launch_dir ? path_value(r, r->opt->launch_dir) : dyn(r, c, n, "launchDir");
    if (!strcmp(name, "outputDir") && r->opt->launch_dir)
        return path_value(r, arena_printf(r->a, "%s/results", r->opt->launch_dir));
    /* v1 binds the whole environment as variables (§3). */
    if (r->opt->syntax_v1 && (e = value_entry(r->env, name, len))) return e->val;
    if (r->opt->syntax_v1) {
        if (!strcmp(name, "params")) return v1_params(r, c);
        if (!strcmp(name, "secrets")) return dyn(r, c, n, "secrets");
        if (is_class_name(name)) return dyn(r, c, n, "class");
        return v1_get_prop(r, c, name, len);
    }
    /* v1 reads config values back through the enclosing scopes (§3). */
    {
        for (int i = c->nscopes - 1; i >= 0; i--)
            if ((e = value_entry(c->scopes[i], name, len)) && e->val) return e->val;
    }
    /* The strict parser binds no environment: an upper-case bare name read by
     * the config itself (not by code it calls) fails to compile
     * (ConfigResolveVisitor.DynamicVariablesVisitor). */
    if (!c->fn_locals && !is_class_name(name) && is_env_var_name(name))
        report(r, c->src, n, "v2-incompatible",
               "`%s` is not defined (hint: use `env('%s')` to access environment variable); the strict (v2) "
               "parser does not bind environment variables", name, name);
    return dyn(r, c, n, "unknown name");
}

/* ---------------- arithmetic and methods ---------------- */

static int as_num(const Value *v, double *d, int *is_int, long long *i)
{
    *d = 0;
    *is_int = 0;
    *i = 0;
    if (!v) return 0;
    if (v->kind == V_INT) { *i = v->i; *d = (double)v->i; *is_int = 1; return 1; }
    if (v->kind == V_DECIMAL) { *d = v->f; *is_int = 0; return 1; }
    return 0;
}

static Value *num_value(Resolver *r, double d, int is_int, long long i)
{
    if (is_int) return value_int(r->a, i);
    Value *v = value_new(r->a, V_DECIMAL);
    if (v) {
        v->f = d;
        char buf[64];
        snprintf(buf, sizeof buf, "%.15g", d);
        if (!strchr(buf, '.') && !strchr(buf, 'e')) strcat(buf, ".0");
        v->s = arena_strdup(r->a, buf);
        v->len = strlen(buf);
    }
    return v;
}

static Value *to_string_value(Resolver *r, Ctx *c, const Node *n, const Value *v)
{
    StrBuf b = STRBUF_INIT;
    if (!value_to_string(&b, v)) { strbuf_free(&b); return dyn(r, c, n, "no string form"); }
    Value *s = value_string(r->a, b.data ? b.data : "", b.len);
    strbuf_free(&b);
    return s;
}

static Value *binary(Resolver *r, Ctx *c, const Node *n, Value *a, Value *b)
{
    TokKind op = n->op;
    if (op == TK_AND || op == TK_OR) {
        int ta = value_truth(a);
        if (op == TK_AND && ta == 0) return value_bool(r->a, 0);
        if (op == TK_OR && ta == 1) return value_bool(r->a, 1);
        int tb = value_truth(b);
        if (ta < 0 || tb < 0) {
            /* `x && false` is false and `x || true` is true whatever x is */
            if (op == TK_AND && tb == 0) return value_bool(r->a, 0);
            if (op == TK_OR && tb == 1) return value_bool(r->a, 1);
            return dyn(r, c, n, "depends on a dynamic value");
        }
        return value_bool(r->a, tb);
    }
    if ((a && a->kind == V_DYNAMIC) || (b && b->kind == V_DYNAMIC)) return dyn(r, c, n, "depends on a dynamic value");
    if (op == TK_EQ || op == TK_NE) {
        int eq = value_equal(a, b);
        if (eq < 0) return dyn(r, c, n, "comparison of dynamic values");
        return value_bool(r->a, op == TK_EQ ? eq : !eq);
    }
    double da = 0, db = 0;
    int ia = 0, ib = 0;
    long long la = 0, lb = 0;
    int na = as_num(a, &da, &ia, &la), nb = as_num(b, &db, &ib, &lb);
    if (op == TK_LT || op == TK_GT || op == TK_LE || op == TK_GE) {
        double x, y;
        if (na && nb) { x = da; y = db; }
        else if (a && b && (a->kind == V_NULL || b->kind == V_NULL)) {
            /* Groovy orders null before everything */
            x = a->kind == V_NULL ? 0 : 1;
            y = b->kind == V_NULL ? 0 : 1;
        }
        else if (a && b && a->kind == b->kind && (a->kind == V_MEMORY || a->kind == V_DURATION)) {
            x = (double)a->i; y = (double)b->i;
        } else if (a && b && a->kind == V_STRING && b->kind == V_STRING) {
            size_t m = a->len < b->len ? a->len : b->len;
            int cmp = memcmp(a->s, b->s, m);
            x = cmp ? cmp : (double)a->len;
            y = cmp ? 0 : (double)b->len;
        } else return dyn(r, c, n, "comparison");
        int res = op == TK_LT ? x < y : op == TK_GT ? x > y : op == TK_LE ? x <= y : x >= y;
        return value_bool(r->a, res);
    }
    if (op == TK_PLUS) {
        if (a && a->kind == V_STRING && a->nitems && b) {
            /* GString.plus keeps a GString (and its unresolved names) */
            size_t nparts = b->kind == V_STRING && b->nitems ? b->nitems : 1;
            Value **parts = arena_alloc(r->a, (a->nitems + nparts) * sizeof *parts);
            if (!parts) return NULL;
            memcpy(parts, a->items, a->nitems * sizeof *parts);
            if (b->kind == V_STRING && b->nitems) memcpy(parts + a->nitems, b->items, nparts * sizeof *parts);
            else parts[a->nitems] = b;
            Value *v = gstring_value(r, parts, a->nitems + nparts, 1);
            return v ? v : dyn(r, c, n, "string concatenation");
        }
        if (a && (a->kind == V_STRING || a->kind == V_PATH)) {
            StrBuf s = STRBUF_INIT;
            strbuf_append(&s, a->s, a->len);
            if (!value_to_string(&s, b)) { strbuf_free(&s); return dyn(r, c, n, "string concatenation"); }
            Value *v = value_string(r->a, s.data ? s.data : "", s.len);
            strbuf_free(&s);
            return v;
        }
        if (a && b && (a->kind == V_MAP || a->kind == V_SCOPE) && (b->kind == V_MAP || b->kind == V_SCOPE)) {
            /* a new map of the left side's class (Groovy's cloneSimilarMap: a
             * ConfigObject stays one); the operands stay untouched */
            Value *m = value_new(r->a, a->kind);
            if (!m) return NULL;
            for (int side = 0; side < 2; side++) {
                const Value *o = side ? b : a;
                for (size_t i = 0; i < o->nentries; i++)
                    if (!value_set(r->a, m, o->entries[i].key, o->entries[i].keylen, o->entries[i].val, o->entries[i].prov))
                        return NULL;
            }
            return m;
        }
        if (a && b && a->kind == b->kind && (a->kind == V_MEMORY || a->kind == V_DURATION)) {
            long long sum;
            if (__builtin_add_overflow(a->i, b->i, &sum)) return dyn(r, c, n, "size too large");
            Value *v = value_new(r->a, a->kind);
            if (v) v->i = sum;
            return v;
        }
    }
    if (na && nb) {
        int both_int = ia && ib;
        long long res = 0;
        /* past 64 bits Groovy goes to BigInteger: not followed here */
        if (both_int && (op == TK_PLUS || op == TK_MINUS || op == TK_STAR) &&
            (op == TK_PLUS ? __builtin_add_overflow(la, lb, &res)
             : op == TK_MINUS ? __builtin_sub_overflow(la, lb, &res) : __builtin_mul_overflow(la, lb, &res)))
            return dyn(r, c, n, "integer overflow");
        switch (op) {
        case TK_PLUS: return num_value(r, da + db, both_int, res);
        case TK_MINUS: return num_value(r, da - db, both_int, res);
        case TK_STAR: return num_value(r, da * db, both_int, res);
        case TK_SLASH:
            if (db == 0) return dyn(r, c, n, "division by zero");
            /* Groovy's int / int is a BigDecimal unless it divides exactly */
            if (both_int && lb == -1 && la == LLONG_MIN) return dyn(r, c, n, "integer overflow");
            if (both_int && la % lb == 0) return value_int(r->a, la / lb);
            return num_value(r, da / db, 0, 0);
        case TK_PERCENT:
            if (!both_int || lb == 0 || lb == -1) return lb == -1 && both_int ? value_int(r->a, 0) : dyn(r, c, n, "modulo");
            return value_int(r->a, la % lb);
        default: break;
        }
    }
    /* unit arithmetic: 2.GB * 2, 2 * 1.GB */
    if ((op == TK_STAR || op == TK_SLASH) && a && b) {
        const Value *u = (a->kind == V_MEMORY || a->kind == V_DURATION) ? a : NULL;
        const Value *k = u ? b : NULL;
        if (!u && op == TK_STAR && (b->kind == V_MEMORY || b->kind == V_DURATION)) { u = b; k = a; }
        if (u && as_num(k, &da, &ia, &la)) {
            double x = op == TK_STAR ? (double)u->i * da : da != 0 ? (double)u->i / da : 0;
            if (op == TK_SLASH && da == 0) return dyn(r, c, n, "division by zero");
            if (!(fabs(x) < 9.2e18)) return dyn(r, c, n, "size too large");
            Value *v = value_new(r->a, u->kind);
            if (v) v->i = (long long)x;
            return v;
        }
    }
    if (op == TK_MINUS && a && b && a->kind == b->kind && (a->kind == V_MEMORY || a->kind == V_DURATION)) {
        long long diff;
        if (__builtin_sub_overflow(a->i, b->i, &diff)) return dyn(r, c, n, "size too large");
        Value *v = value_new(r->a, a->kind);
        if (v) v->i = diff;
        return v;
    }
    if (op == TK_SPACESHIP && a && b) {
        /* a <=> b on numbers or strings */
        int cmp;
        if (na && nb) cmp = (da > db) - (da < db);
        else if (a->kind == V_STRING && b->kind == V_STRING) cmp = groovy_order(a, b);
        else return dyn(r, c, n, "comparison");
        return value_int(r->a, cmp);
    }
    if (op == TK_POWER && ia && ib && na && nb && lb >= 0) {
        /* Integer.power: an integer while it fits */
        long long x = 1;
        for (long long k = 0; k < lb && x; k++)
            if (__builtin_mul_overflow(x, la, &x)) return dyn(r, c, n, "power too large");
        return value_int(r->a, x);
    }
    if (op == TK_MATCH && a && b && a->kind == V_STRING && b->kind == V_STRING) {
        int bad;
        Regex *re = regex_new(b->s, b->len, &bad);
        int m = re ? regex_matches_whole(re, a->s, a->len) : -1;
        regex_free(re);
        return m < 0 ? dyn(r, c, n, "regular expression") : value_bool(r->a, m);
    }
    if (op == TK_STAR && a && a->kind == V_STRING && !a->nitems && ib && nb && lb >= 0) {
        if (a->len && (size_t)lb > (1u << 20) / a->len) return dyn(r, c, n, "string too long");
        if (!charge(r, (long long)a->len * lb / 64)) return dyn(r, c, n, "too much work to evaluate before the run");
        StrBuf sb = STRBUF_INIT;
        for (long long k = 0; k < lb; k++) strbuf_append(&sb, a->s, a->len);
        Value *v = sb.failed ? NULL : value_string(r->a, sb.data ? sb.data : "", sb.len);
        strbuf_free(&sb);
        return v;
    }
    if ((op == TK_MINUS || op == TK_PLUS) && a && a->kind == V_LIST && b) {
        GroovyEnv g = groovy_env(r);
        Value *l = op == TK_MINUS ? groovy_list_minus(&g, a, b) : groovy_list_plus(&g, a, b);
        return l ? l : g.why ? dyn(r, c, n, g.why) : NULL;
    }
    if ((op == TK_RANGE || op == TK_RANGE_EXCL) && ia && ib && na && nb) {
        /* an integer range, as the list Groovy prints for it */
        /* bounded first, so that the arithmetic below cannot overflow */
        if (la > LLONG_MAX - 200000 || la < LLONG_MIN + 200000 || lb > LLONG_MAX - 200000 || lb < LLONG_MIN + 200000 ||
            (la < lb ? lb - la : la - lb) > 100000)
            return dyn(r, c, n, "range too long");
        long long hi = op == TK_RANGE_EXCL ? (lb > la ? lb - 1 : lb + 1) : lb;
        long long step = la <= hi ? 1 : -1;
        if (!charge(r, step > 0 ? hi - la : la - hi)) return dyn(r, c, n, "too much work to evaluate before the run");
        Value *l = value_new(r->a, V_LIST);
        if (!l) return NULL;
        if (op == TK_RANGE_EXCL && la == lb) return l;
        for (long long k = la;; k += step) {
            if (!value_list_push(r->a, l, value_int(r->a, k))) return NULL;
            if (k == hi) break;
        }
        return l;
    }
    if (op == TK_KW_IN && b && b->kind == V_LIST) {
        for (size_t i = 0; i < b->nitems; i++) {
            int eq = value_equal(a, b->items[i]);
            if (eq < 0) return dyn(r, c, n, "membership");
            if (eq) return value_bool(r->a, 1);
        }
        return value_bool(r->a, 0);
    }
    return dyn(r, c, n, "unsupported operation");
}

/* Methods on known values (groovy.c); what it cannot evaluate is dynamic. */
static Value *call_method(Resolver *r, Ctx *c, const Node *n, Value *obj, const char *m, Value **args, size_t nargs)
{
    GroovyEnv g = groovy_env(r);
    Value *v = groovy_method(&g, obj, m, args, nargs);
    return v ? v : g.why ? dyn(r, c, n, g.why) : NULL;
}

static Value *call_function(Resolver *r, Ctx *c, const Node *n, const char *name, Value **args, size_t nargs);
static Value *call_closure(Resolver *r, Ctx *c, const Node *n, const Node *clo, Value **args, size_t nargs);
static int is_output_callee(const Node *callee);
static Value *printed(Resolver *r, Ctx *c, const Node *callee);
static Value *call_with_closure(Resolver *r, Ctx *c, const Node *n, Value *obj, const char *m, const Node *clo,
                                Value *init);

/* Qualified name of a callee like System.getenv → "System.getenv". */
static int callee_is(const Node *callee, const char *obj, const char *method)
{
    return callee && callee->kind == N_PROP && callee->a && callee->a->kind == N_IDENT &&
           !strcmp(callee->a->text, obj) && !strcmp(callee->text, method);
}

static Value *eval_call(Resolver *r, Ctx *c, const Node *n)
{
    const Node *callee = n->a;
    Value *argv[8];
    size_t nargs = n->nkids;
    int named = 0;
    for (size_t i = 0; i < n->nkids; i++) named |= n->kids[i]->kind == N_NAMED_ARG;
    if (nargs > 8 || named) return dyn(r, c, n, "call");
    if (is_output_callee(callee)) return printed(r, c, callee);
    if (callee->kind == N_PROP && (nargs == 1 || nargs == 2) && n->kids[nargs - 1]->kind == N_CLOSURE) {
        Value *obj = eval(r, c, callee->a);
        if (obj && obj->kind == V_NULL && (callee->flags & NF_SAFE)) return obj;
        if (nargs == 1 && !strcmp(callee->text, "with") && obj && obj->kind != V_DYNAMIC)
            return call_closure(r, c, n, n->kids[0], &obj, 1);      /* it is the receiver */
        Value *init = nargs == 2 ? eval(r, c, n->kids[0]) : NULL;
        if (nargs == 2 && (!init || init->kind == V_DYNAMIC)) return dyn(r, c, n, "closure method");
        return call_with_closure(r, c, n, obj, callee->text, n->kids[nargs - 1], init);
    }
    for (size_t i = 0; i < nargs; i++) {
        if (n->kids[i]->kind == N_CLOSURE) return dyn(r, c, n, "call with a closure");
        argv[i] = eval(r, c, n->kids[i]);
    }
    if (callee->kind == N_IDENT) {
        if (!strcmp(callee->text, "env") && nargs == 1) {
            if (!argv[0] || argv[0]->kind != V_STRING) return dyn(r, c, n, "env() of a dynamic name");
            Value *v = lookup_env(r, str0(r, argv[0]));
            return v ? v : value_new(r->a, V_NULL);
        }
        return call_function(r, c, n, callee->text, argv, nargs);
    }
    if (callee && callee->kind == N_PROP && callee->a && callee->a->kind == N_IDENT && !strcmp(callee->a->text, "Math")) {
        /* Math.max/min/abs on integers, ceil/floor on numbers (Groovy picks
         * the int/long overloads; a BigDecimal argument is ambiguous there) */
        const char *fn = callee->text;
        int all_int = 1;
        for (size_t i = 0; i < nargs; i++) all_int &= argv[i] && argv[i]->kind == V_INT;
        if (nargs == 2 && all_int && (!strcmp(fn, "max") || !strcmp(fn, "min"))) {
            int mx = fn[1] == 'a';
            return (argv[0]->i >= argv[1]->i) == mx ? argv[0] : argv[1];
        }
        if (nargs == 1 && all_int && !strcmp(fn, "abs") && argv[0]->i != LLONG_MIN)
            return value_int(r->a, argv[0]->i < 0 ? -argv[0]->i : argv[0]->i);
        double d;
        int is_int;
        long long iv;
        if (nargs == 1 && (!strcmp(fn, "ceil") || !strcmp(fn, "floor")) && as_num(argv[0], &d, &is_int, &iv))
            return num_value(r, fn[0] == 'c' ? ceil(d) : floor(d), 0, 0);
        return dyn(r, c, n, "Math");
    }
    if (callee_is(callee, "System", "getenv")) {
        if (nargs == 1 && argv[0] && argv[0]->kind == V_STRING) {
            Value *v = lookup_env(r, str0(r, argv[0]));
            return v ? v : value_new(r->a, V_NULL);
        }
        if (nargs == 0) return r->env;
        return dyn(r, c, n, "System.getenv");
    }
    if (callee->kind == N_PROP && callee->a && callee->a->kind == N_CLOSURE && !strcmp(callee->text, "call"))
        return call_closure(r, c, n, callee->a, argv, nargs);
    if (callee->kind == N_PROP) {
        Value *obj = eval(r, c, callee->a);
        if (obj && obj->kind == V_NULL && (callee->flags & NF_SAFE)) return obj;
        if ((callee->flags & NF_SPREAD) && obj && obj->kind == V_LIST) {
            /* list*.m(args): the method on every element */
            Value *l = value_new(r->a, V_LIST);
            for (size_t i = 0; l && i < obj->nitems; i++) {
                Value *v = obj->items[i] && obj->items[i]->kind == V_NULL
                               ? obj->items[i] : call_method(r, c, n, obj->items[i], callee->text, argv, nargs);
                if (!v || v->kind == V_DYNAMIC) return v;
                if (!value_list_push(r->a, l, v)) return NULL;
            }
            return l;
        }
        return call_method(r, c, n, obj, callee->text, argv, nargs);
    }
    return dyn(r, c, n, "call");
}

/* Legacy `def f(a) { … }` functions, evaluated only when every statement is
 * one the resolver understands; anything else makes the call dynamic. */
static int exec_code(Resolver *r, Ctx *c, const Node *body);

static Value *call_function(Resolver *r, Ctx *c, const Node *n, const char *name, Value **args, size_t nargs)
{
    for (size_t i = r->nfuncs; i-- > 0;) {
        FuncDef *f = &r->funcs[i];
        if (strcmp(f->name, name) || f->node->nkids != nargs) continue;
        if (r->call_depth >= MAX_CALL_DEPTH) return dyn(r, c, n, "recursion");
        Ctx fc = *c;
        fc.src = f->src;
        fc.fn_locals = value_new(r->a, V_SCOPE);
        fc.returned = NULL;
        if (!fc.fn_locals) return NULL;
        for (size_t k = 0; k < nargs; k++) {
            const Node *pn = f->node->kids[k];
            value_set(r->a, fc.fn_locals, pn->text, pn->textlen, args[k], NULL);
        }
        r->call_depth++;
        int ok = exec_code(r, &fc, f->node->a);
        r->call_depth--;
        if (!ok) return dyn(r, c, n, "function");
        return fc.returned ? (Value *)fc.returned : value_new(r->a, V_NULL);
    }
    return dyn(r, c, n, "unknown function");
}

/* `println`, `System.err.println`, `log.warn`: calls that only print. */
static int is_output_callee(const Node *callee)
{
    if (callee->kind == N_IDENT) return !strcmp(callee->text, "println") || !strcmp(callee->text, "print");
    if (callee->kind != N_PROP || !callee->a) return 0;
    const Node *o = callee->a;
    int print = !strcmp(callee->text, "println") || !strcmp(callee->text, "print");
    if (print && o->kind == N_PROP && o->a && o->a->kind == N_IDENT && !strcmp(o->a->text, "System"))
        return !strcmp(o->text, "err") || !strcmp(o->text, "out");
    return o->kind == N_IDENT && !strcmp(o->text, "log") &&
           (!strcmp(callee->text, "warn") || !strcmp(callee->text, "info") || !strcmp(callee->text, "debug"));
}

static int is_output_call(const Node *e)
{
    return e && e->kind == N_CALL && e->a && is_output_callee(e->a);
}

/* The value of a print call: null. In v1 a bare `println` reads the script's
 * `out` property first, which the config parser answers with a new empty
 * scope named `out`, as any unknown name. */
static Value *printed(Resolver *r, Ctx *c, const Node *callee)
{
    if (r->opt->syntax_v1 && callee->kind == N_IDENT) v1_get_prop(r, c, "out", 3);
    return value_new(r->a, V_NULL);
}

/* ++/-- on an integer local of running code; `post` gives the old value. */
static Value *step_local(Resolver *r, Ctx *c, const Node *n, const Node *target, TokKind op, int post)
{
    Entry *e = target && target->kind == N_IDENT && c->fn_locals ? value_entry(c->fn_locals, target->text, target->textlen)
                                                                 : NULL;
    if (!e || !e->val || e->val->kind != V_INT) return dyn(r, c, n, "increment");
    long long next;
    if (__builtin_add_overflow(e->val->i, op == TK_INC ? 1 : -1, &next)) return dyn(r, c, n, "integer overflow");
    Value *old = e->val, *now = value_int(r->a, next);
    if (!now) return NULL;
    e->val = now;
    return post ? old : now;
}

/* `x = v`, `x += v` … on a local of the function or closure being run.
 * Returns 0 for any other target: code does not write config. */
static int assign_local(Resolver *r, Ctx *c, const Node *s)
{
    const Node *t = s->a;
    if (t && t->kind == N_PATH && t->nkids == 1) t = t->kids[0];
    if (!t || (t->kind != N_IDENT && t->kind != N_SEGMENT) || !c->fn_locals) return 0;
    Entry *e = value_entry(c->fn_locals, t->text, t->textlen);
    if (!e) return 0;
    Value *v = eval(r, c, s->b);
    if (!v || v->kind == V_DYNAMIC) return 0;
    if (s->op != TK_ASSIGN) {
        TokKind op = s->op == TK_PLUS_ASSIGN ? TK_PLUS : s->op == TK_MINUS_ASSIGN ? TK_MINUS
                   : s->op == TK_STAR_ASSIGN ? TK_STAR : s->op == TK_SLASH_ASSIGN ? TK_SLASH : TK_EOF;
        if (op == TK_EOF) return 0;
        Node tmp = *s;
        tmp.op = op;
        v = binary(r, c, &tmp, e->val, v);
        if (!v || v->kind == V_DYNAMIC) return 0;
    }
    e->val = v;
    return 1;
}

/* Returns 1 when the body ran to completion or a return, 0 when it hit
 * something that cannot be evaluated. */
static int exec_code(Resolver *r, Ctx *c, const Node *body)
{
    if (!body) return 1;
    for (size_t i = 0; i < body->nkids && !c->returned; i++) {
        const Node *s = body->kids[i];
        switch (s->kind) {
        case N_RETURN:
            c->returned = s->a ? eval(r, c, s->a) : value_new(r->a, V_NULL);
            if (c->returned && c->returned->kind == V_DYNAMIC) return 0;
            return 1;
        case N_VAR: {
            Value *v = s->a ? eval(r, c, s->a) : value_new(r->a, V_NULL);
            value_set(r->a, c->fn_locals, s->text, s->textlen, v, NULL);
            break;
        }
        case N_IF: {
            Value *cond = eval(r, c, s->a);
            int t = value_truth(cond);
            if (t < 0) return 0;
            const Node *branch = t ? s->b : s->c;
            if (branch && branch->kind == N_IF) {
                Node wrap = {0};
                const Node *one[1] = {branch};
                wrap.kind = N_BODY;
                wrap.kids = (Node **)one;
                wrap.nkids = 1;
                if (!exec_code(r, c, &wrap)) return 0;
            } else if (!exec_code(r, c, branch)) {
                return 0;
            }
            break;
        }
        case N_COMMAND:                          /* `println x`, `log.warn x` */
            if (s->a && is_output_callee(s->a)) { printed(r, c, s->a); break; }
            return 0;
        case N_ASSIGN:
            if (!assign_local(r, c, s)) return 0;
            break;
        case N_EXPR_STMT: {
            if (is_output_call(s->a)) { printed(r, c, s->a->a); break; }
            if (s->a && (s->a->kind == N_POSTFIX || (s->a->kind == N_UNARY && (s->a->op == TK_INC || s->a->op == TK_DEC)))) {
                Value *v = eval(r, c, s->a);
                if (!v || v->kind == V_DYNAMIC) return 0;
                break;
            }
            if (s->a && s->a->kind == N_BINARY && s->a->op == TK_LSHIFT_ASSIGN) {
                /* `list << x` appends in place, as on the Groovy list object */
                Value *l = eval(r, c, s->a->a), *x = l && l->kind == V_LIST ? eval(r, c, s->a->b) : NULL;
                if (!x || x->kind == V_DYNAMIC || !value_list_push(r->a, l, x)) return 0;
                c->last = l;
                break;
            }
            Value *v = eval(r, c, s->a);
            if (!v || v->kind == V_DYNAMIC) return 0;
            c->last = v;
            break;
        }
        case N_EMPTY:
            break;
        default:
            return 0;
        }
    }
    return 1;
}

/* Calls a closure literal: its parameters (or `it`) are locals next to
 * those of the enclosing function; its value is a `return` or the last
 * expression statement, as in Groovy. Dynamic when the body does anything
 * the resolver does not evaluate. */
static Value *call_closure(Resolver *r, Ctx *c, const Node *n, const Node *clo, Value **args, size_t nargs)
{
    if (r->call_depth >= MAX_CALL_DEPTH) return dyn(r, c, n, "recursion");
    if (!charge(r, 1)) return dyn(r, c, n, "too much work to evaluate before the run");
    if (clo->nkids > nargs) return dyn(r, c, n, "closure arguments");
    Ctx fc = *c;
    fc.fn_locals = value_new(r->a, V_SCOPE);
    fc.returned = NULL;
    fc.last = NULL;
    if (!fc.fn_locals) return NULL;
    for (size_t i = 0; c->fn_locals && i < c->fn_locals->nentries; i++) {
        const Entry *e = &c->fn_locals->entries[i];
        value_set(r->a, fc.fn_locals, e->key, e->keylen, e->val, NULL);
    }
    if (clo->nkids == 0 && nargs == 1) value_set(r->a, fc.fn_locals, "it", 2, args[0], NULL);
    for (size_t k = 0; k < clo->nkids; k++)
        value_set(r->a, fc.fn_locals, clo->kids[k]->text, clo->kids[k]->textlen, args[k], NULL);
    r->call_depth++;
    int ok = exec_code(r, &fc, clo->a);
    r->call_depth--;
    if (!ok) return dyn(r, c, n, "closure");
    const Value *v = fc.returned ? fc.returned : fc.last;
    return v ? (Value *)v : value_new(r->a, V_NULL);
}

/* The closure arguments for one element: a map entry is (key, value) for a
 * two-parameter closure and an entry object (`it.key`, `it.value`) for one;
 * a list element that is itself a list is spread over several parameters,
 * as Groovy does. Returns the count. */
static size_t closure_args(Resolver *r, const Node *clo, const Value *obj, size_t i, Value **args, size_t max)
{
    if (obj->kind == V_LIST) {
        Value *item = obj->items[i];
        if (clo->nkids >= 2 && item && item->kind == V_LIST && item->nitems >= clo->nkids && item->nitems <= max) {
            memcpy(args, item->items, item->nitems * sizeof *args);
            return item->nitems;
        }
        args[0] = item;
        return 1;
    }
    const Entry *e = &obj->entries[i];
    Value *key = value_string(r->a, e->key, e->keylen);
    if (clo->nkids >= 2) {
        args[0] = key;
        args[1] = e->val;
        return 2;
    }
    Value *entry = value_new(r->a, V_MAP);
    if (entry && key) {
        value_set(r->a, entry, "key", 3, key, NULL);
        value_set(r->a, entry, "value", 5, e->val, NULL);
    }
    args[0] = entry;
    return 1;
}

/* `list.collect { … }`, `map.each { k, v -> … }` and the other iteration
 * methods that take a closure; `init` is inject's first argument. `each`
 * only when the body has no effect beyond printing. */
static Value *call_with_closure(Resolver *r, Ctx *c, const Node *n, Value *obj, const char *m, const Node *clo,
                                Value *init)
{
    int is_map = obj && (obj->kind == V_MAP || obj->kind == V_SCOPE);
    if (!obj || (obj->kind != V_LIST && !is_map)) return dyn(r, c, n, "closure method");
    static const char *const names[] = {"collect", "findAll", "find", "any", "every", "each", "count",
                                        "findIndexOf", "inject"};
    enum { COLLECT, FIND_ALL, FIND, ANY, EVERY, EACH, COUNT, FIND_INDEX, INJECT, NMETHODS };
    int which = NMETHODS;
    for (int k = 0; k < NMETHODS; k++)
        if (!strcmp(m, names[k])) which = k;
    if (which == NMETHODS || (which == INJECT) != (init != NULL) || (is_map && which >= FIND_INDEX))
        return dyn(r, c, n, "closure method");
    Value *out = NULL;
    if (which == COLLECT || (which == FIND_ALL && !is_map)) out = value_new(r->a, V_LIST);
    else if (which == FIND_ALL) out = value_new(r->a, V_MAP);
    if ((which == COLLECT || which == FIND_ALL) && !out) return NULL;
    Value *acc = init;
    long long count = 0;
    size_t len = is_map ? obj->nentries : obj->nitems;
    for (size_t i = 0; i < len; i++) {
        Value *args[9];
        size_t nargs = 0;
        if (which == INJECT) args[nargs++] = acc;
        nargs += closure_args(r, clo, obj, i, args + nargs, 8);
        Value *v = call_closure(r, c, n, clo, args, nargs);
        if (!v || v->kind == V_DYNAMIC) return v;
        if (which == COLLECT) {
            if (!value_list_push(r->a, out, v)) return NULL;
            continue;
        }
        if (which == EACH) continue;       /* a body that only prints: the receiver comes back */
        if (which == INJECT) { acc = v; continue; }
        int t = value_truth(v);
        if (t < 0) return dyn(r, c, n, "closure method");
        if (!t) {
            if (which == EVERY) return value_bool(r->a, 0);
            continue;
        }
        switch (which) {
        case FIND_ALL:
            if (is_map ? !value_set(r->a, out, obj->entries[i].key, obj->entries[i].keylen, obj->entries[i].val,
                                    obj->entries[i].prov)
                       : !value_list_push(r->a, out, obj->items[i]))
                return NULL;
            break;
        case FIND: return is_map ? args[0] : obj->items[i];
        case ANY: return value_bool(r->a, 1);
        case COUNT: count++; break;
        case FIND_INDEX: return value_int(r->a, (long long)i);
        default: break;
        }
    }
    switch (which) {
    case COLLECT: case FIND_ALL: return out;
    case EACH: return obj;
    case INJECT: return acc;
    case COUNT: return value_int(r->a, count);
    case FIND_INDEX: return value_int(r->a, -1);
    case FIND: return value_new(r->a, V_NULL);
    default: return value_bool(r->a, which == EVERY);
    }
}

/* ---------------- expressions ---------------- */

static Value *unit_literal(Resolver *r, const Value *num, const char *name, size_t len)
{
    ValueKind kind;
    long long mult;
    double d;
    int is_int;
    long long i;
    if (!as_num(num, &d, &is_int, &i) || !unit_lookup(name, len, &kind, &mult)) return NULL;
    /* 256.EB does not fit the 64-bit byte count Nextflow uses either */
    if (is_int ? (i > LLONG_MAX / mult || i < -(LLONG_MAX / mult)) : !(fabs(d * (double)mult) < 9.2e18)) return NULL;
    Value *v = value_new(r->a, kind);
    if (v) v->i = is_int ? i * mult : (long long)(d * (double)mult);
    return v;
}

static Value *eval_prop(Resolver *r, Ctx *c, const Node *n)
{
    const Node *obj = n->a;
    if (obj && obj->kind == N_IDENT && !strcmp(obj->text, "params") && !r->opt->syntax_v1 &&
        !(c->fn_locals && value_entry(c->fn_locals, "params", 6)) &&
        !(c->locals && value_entry(c->locals, "params", 6))) {
        Value *v = lookup_param(r, c, n->text, n->textlen);
        return v ? v : value_new(r->a, V_NULL);
    }
    Value *o = eval(r, c, obj);
    if (!o) return NULL;
    if (o->kind == V_DYNAMIC) return dyn(r, c, n, o->why);
    if (o->kind == V_NULL) {
        if (n->flags & NF_SAFE) return o;
        return dyn(r, c, n, "property of null");
    }
    Value *u = unit_literal(r, o, n->text, n->textlen);
    if (u) return u;
    if (o->kind == V_SCOPE || o->kind == V_MAP) {
        Entry *e = value_entry(o, n->text, n->textlen);
        if (e) return e->val;
        if (o->kind == V_SCOPE && r->opt->syntax_v1) {
            /* ConfigObject.getProperty creates what it does not find */
            Value *s = value_new(r->a, V_SCOPE);
            if (!s || !value_set(r->a, o, n->text, n->textlen, s, NULL)) return NULL;
            return s;
        }
        return value_new(r->a, V_NULL);
    }
    if (o->kind == V_STRING && (!strcmp(n->text, "length") || !strcmp(n->text, "size")))
        return value_int(r->a, (long long)o->len);
    return dyn(r, c, n, "property");
}

static Value *eval_int(Resolver *r, Ctx *c, const Node *n)
{
    char buf[72];
    size_t k = 0;
    for (size_t i = 0; i < n->textlen && k < sizeof buf - 1; i++)
        if (n->text[i] != '_') buf[k++] = n->text[i];
    buf[k] = '\0';
    if (k && strchr("lLiIgG", buf[k - 1])) buf[--k] = '\0';
    int base = 10;
    const char *digits = buf;
    if (k > 2 && buf[0] == '0' && (buf[1] == 'x' || buf[1] == 'X')) { base = 16; digits = buf + 2; }
    else if (k > 2 && buf[0] == '0' && (buf[1] == 'b' || buf[1] == 'B')) { base = 2; digits = buf + 2; }
    else if (k > 1 && buf[0] == '0') base = 8;
    char *end;

    long long v = strtoll(digits, &end, base);
    if (*end || v == LLONG_MAX) return dyn(r, c, n, "integer out of range");
    return value_int(r->a, v);
}

/* A string built from parts (a v1 GString that interpolated an unresolved
 * name): `s` is its toString, `items` the parts, so the printer can write the
 * name as `$name` the way Nextflow v1 does. */
static Value *gstring_value(Resolver *r, Value **parts, size_t nparts, int keep_parts)
{
    StrBuf b = STRBUF_INIT;
    for (size_t i = 0; i < nparts; i++) {
        if (!value_to_string(&b, parts[i])) { strbuf_free(&b); return NULL; }
    }
    if (b.failed) { strbuf_free(&b); return NULL; }
    Value *v = value_string(r->a, b.data ? b.data : "", b.len);
    strbuf_free(&b);
    if (v && keep_parts)
        for (size_t i = 0; i < nparts; i++)
            if (!value_list_push(r->a, v, parts[i])) return NULL;
    return v;
}

static int is_hole(const Value *v) { return v && v->kind == V_SCOPE && !v->nentries; }

static Value *eval_gstring(Resolver *r, Ctx *c, const Node *n)
{
    Value *stack_parts[32];
    Value **parts = n->nkids <= 32 ? stack_parts : arena_alloc(r->a, n->nkids * sizeof *parts);
    if (!parts) return NULL;
    int holes = 0;
    for (size_t i = 0; i < n->nkids; i++) {
        const Node *part = n->kids[i];
        Value *v = part->kind == N_STRING ? value_string(r->a, part->text, part->textlen) : eval(r, c, part);
        if (!v) return NULL;
        if (v->kind == V_DYNAMIC) return dyn(r, c, n, v->why);
        if (v->kind == V_CLOSURE || v->kind == V_DYNAMIC) return dyn(r, c, n, "interpolation");
        holes |= is_hole(v);
        parts[i] = v;
    }
    Value *s = gstring_value(r, parts, n->nkids, holes && r->opt->syntax_v1);
    return s ? s : dyn(r, c, n, "interpolation");
}

static Value *eval_cast(Resolver *r, Ctx *c, const Node *n)
{
    Value *v = eval(r, c, n->a);
    if (!v || v->kind == V_DYNAMIC) return v;
    const char *t = n->text;
    const char *dot = strrchr(t, '.');
    if (dot) t = dot + 1;
    if (!strcmp(t, "Integer") || !strcmp(t, "int") || !strcmp(t, "Long") || !strcmp(t, "long")) {
        if (v->kind == V_INT) return v;
        if (v->kind == V_STRING) return call_method(r, c, n, v, "toInteger", NULL, 0);
        if (v->kind == V_DECIMAL) return value_int(r->a, (long long)v->f);
    } else if (!strcmp(t, "String")) {
        return to_string_value(r, c, n, v);
    } else if (!strcmp(t, "Boolean") || !strcmp(t, "boolean")) {
        if (v->kind == V_BOOL) return v;
        int truth = value_truth(v);
        return truth < 0 ? dyn(r, c, n, "cast") : value_bool(r->a, truth);
    } else if (!strcmp(t, "MemoryUnit") || !strcmp(t, "Duration")) {
        ValueKind k = t[0] == 'M' ? V_MEMORY : V_DURATION;
        if (v->kind == k) return v;
        long long x;
        if (v->kind == V_STRING && unit_parse_string(v->s, v->len, k, &x)) {
            Value *u = value_new(r->a, k);
            if (u) u->i = x;
            return u;
        }
        if (v->kind == V_INT) { Value *u = value_new(r->a, k); if (u) u->i = v->i; return u; }
    } else if (!strcmp(t, "List") || !strcmp(t, "Map") || !strcmp(t, "Object")) {
        return v;
    }
    return dyn(r, c, n, "cast");
}

static Value *eval(Resolver *r, Ctx *c, const Node *n)
{
    if (!n) return value_new(r->a, V_NULL);
    switch (n->kind) {
    case N_INT: return eval_int(r, c, n);
    case N_FLOAT: {
        Value *v = value_new(r->a, V_DECIMAL);
        if (!v) return NULL;
        char buf[72];
        size_t k = 0;
        if (n->textlen && n->text[0] == '.') buf[k++] = '0';   /* `.80` prints as Java does: 0.80 */
        for (size_t i = 0; i < n->textlen && k < sizeof buf - 1; i++)
            if (n->text[i] != '_') buf[k++] = n->text[i];
        buf[k] = '\0';
        v->f = strtod(buf, NULL);
        int big = !k || !strchr("dDfF", buf[k - 1]);     /* no suffix or G: a BigDecimal */
        if (k && strchr("dDfFgG", buf[k - 1])) buf[--k] = '\0';
        char java[96];
        v->s = arena_strdup(r->a, big && groovy_decimal_text(buf, java, sizeof java) ? java : buf);
        v->len = v->s ? strlen(v->s) : 0;
        return v;
    }
    case N_STRING: return value_string(r->a, n->text, n->textlen);
    case N_BOOL: return value_bool(r->a, n->text[0] == 't');
    case N_NULL: return value_new(r->a, V_NULL);
    case N_GSTRING: return eval_gstring(r, c, n);
    case N_IDENT: return lookup_name(r, c, n);
    case N_PROP: return eval_prop(r, c, n);
    case N_PAREN: return eval(r, c, n->a);
    case N_CALL: return eval_call(r, c, n);
    case N_CAST: return eval_cast(r, c, n);
    case N_CLOSURE: {
        Value *v = value_new(r->a, V_CLOSURE);
        if (!v) return NULL;
        v->src = c->src;
        v->start = n->start;
        v->end = n->end;
        v->s = c->src->text + n->start;
        v->len = n->end - n->start;
        return v;
    }
    case N_LIST: {
        Value *l = value_new(r->a, V_LIST);
        if (!l) return NULL;
        for (size_t i = 0; i < n->nkids; i++)
            if (!value_list_push(r->a, l, eval(r, c, n->kids[i]))) return NULL;
        return l;
    }
    case N_MAP: {
        Value *m = value_new(r->a, V_MAP);
        if (!m) return NULL;
        for (size_t i = 0; i < n->nkids; i++) {
            const Node *e = n->kids[i];
            Value *k = e->a->kind == N_STRING ? value_string(r->a, e->a->text, e->a->textlen) : eval(r, c, e->a);
            if (k && k->kind != V_STRING) {
                Value *ks = to_string_value(r, c, e->a, k);
                if (!ks || ks->kind != V_STRING) return dyn(r, c, n, "computed map key");
                k = ks;
            }
            if (!k) return NULL;
            value_set(r->a, m, k->s, k->len, eval(r, c, e->b), NULL);
        }
        return m;
    }
    case N_UNARY: {
        if (n->op == TK_INC || n->op == TK_DEC) return step_local(r, c, n, n->a, n->op, 0);
        Value *a = eval(r, c, n->a);
        if (!a) return NULL;
        if (n->op == TK_NOT) {
            int t = value_truth(a);
            return t < 0 ? dyn(r, c, n, a->why ? a->why : "negation of a dynamic value") : value_bool(r->a, !t);
        }
        if (n->op == TK_MINUS) {
            if (a->kind == V_INT && a->i != LLONG_MIN) return value_int(r->a, -a->i);
            if (a->kind == V_DECIMAL) {
                Value *v = value_new(r->a, V_DECIMAL);
                if (!v) return NULL;
                v->f = -a->f;
                v->s = arena_printf(r->a, "-%.*s", (int)a->len, a->s ? a->s : "");
                v->len = a->len + 1;
                return v;
            }
        }
        if (n->op == TK_PLUS && (a->kind == V_INT || a->kind == V_DECIMAL)) return a;
        return dyn(r, c, n, "unary operator");
    }
    case N_BINARY: {
        Value *a = eval(r, c, n->a);
        if (!a) return NULL;
        /* short-circuit like Groovy, so a dynamic right side does not matter */
        if (n->op == TK_AND && value_truth(a) == 0) return value_bool(r->a, 0);
        if (n->op == TK_OR && value_truth(a) == 1) return value_bool(r->a, 1);
        Value *b = eval(r, c, n->b);
        if (!b) return NULL;
        return binary(r, c, n, a, b);
    }
    case N_TERNARY: {
        Value *cond = eval(r, c, n->a);
        int t = value_truth(cond);
        if (t < 0) return dyn(r, c, n, cond && cond->why ? cond->why : "condition");
        return eval(r, c, t ? n->b : n->c);
    }
    case N_ELVIS: {
        Value *a = eval(r, c, n->a);
        int t = value_truth(a);
        if (t < 0) return dyn(r, c, n, a && a->why ? a->why : "condition");
        return t ? a : eval(r, c, n->b);
    }
    case N_INDEX: {
        Value *o = eval(r, c, n->a);
        if (!o || n->nkids != 1) return dyn(r, c, n, "index");
        Value *k = eval(r, c, n->kids[0]);
        if (o->kind == V_LIST && k && k->kind == V_INT) {
            long long i = k->i < 0 ? (long long)o->nitems + k->i : k->i;
            return i >= 0 && (size_t)i < o->nitems ? o->items[i] : value_new(r->a, V_NULL);
        }
        if ((o->kind == V_MAP || o->kind == V_SCOPE) && k && k->kind == V_STRING) {
            Entry *e = value_entry(o, k->s, k->len);
            return e ? e->val : value_new(r->a, V_NULL);
        }
        return dyn(r, c, n, "index");
    }
    case N_ASSIGN: {
        /* an assignment used as a value (legacy): evaluate to the assigned value */
        return eval(r, c, n->b);
    }
    case N_INSTANCEOF: {
        Value *v = eval(r, c, n->a);
        if (!v || v->kind == V_DYNAMIC) return dyn(r, c, n, "instanceof of a dynamic value");
        const char *type = n->text ? arena_strndup(r->a, n->text, n->textlen) : NULL;
        int is = type ? groovy_instance_of(v, type) : -1;
        if (is < 0) return dyn(r, c, n, "instanceof");
        return value_bool(r->a, (n->flags & NF_NEGATED) ? !is : is);
    }
    case N_POSTFIX:
        /* x++ / x-- on a local of running code: the old value, the local updated */
        return step_local(r, c, n, n->a, n->op, 1);
    default:
        return dyn(r, c, n, "expression");
    }
}

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
    for (size_t i = 0; i + 1 < nsegs; i++) {
        Entry *e = value_entry(scope, segs[i], lens[i]);
        if (e && e->val && e->val->kind != V_SCOPE && e->val->kind != V_MAP && e->val->kind != V_NULL) {
            report(r, c->src, stmt, "config-error", "cannot assign '%.*s' below '%.*s', which holds a %s value",
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
        report(r, c->src, stmt, "config-error", "cannot assign '%.*s' below '%.*s', which holds a %s value",
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

static Source *load_include(Resolver *r, Ctx *c, const Node *stmt, const char *path, int *missing)
{
    *missing = 0;
    if (is_remote(path)) {
        char *body = NULL, *err = NULL;
        size_t len = 0;
        if (r->opt->fetch(r->opt->fetch_ctx, path, &body, &len, &err) != 0) {
            report(r, c->src, stmt, "include-remote-failed", "cannot fetch included config '%s': %s", path,
                   err ? err : "unknown error");
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
        report(r, c->src, stmt, "include-not-found", "cannot read included config file '%s': %s", path,
               source_strerror(err));
    return s;
}

static void exec_file(Resolver *r, Ctx *c, Source *src, Node *tree, Value *scope);

static ResolveLoad default_load;
static void *default_load_ctx;
static ResolveParse default_parse;
static void *default_parse_ctx;

void resolve_set_default_hooks(ResolveLoad load, void *load_ctx, ResolveParse parse, void *parse_ctx)
{
    default_load = load;
    default_load_ctx = load_ctx;
    default_parse = parse;
    default_parse_ctx = parse_ctx;
}

static Node *parse_source(const ResolveOptions *o, Arena *a, const Source *src, DiagList *diags, int *errors)
{
    return o->parse ? o->parse(o->parse_ctx, a, src, diags, errors) : parse_config(a, src, diags, errors);
}

static void do_include(Resolver *r, Ctx *c, const Node *stmt, Value *scope)
{
    if (r->opt->ignore_includes) return;
    Value *v = eval(r, c, stmt->a);
    if (!v) return;
    if (v->kind == V_DYNAMIC) {
        report(r, c->src, stmt, "dynamic-value", "includeConfig argument cannot be resolved before the run (%s); the included settings are not checked",
               v->why ? v->why : "dynamic");
        return;
    }
    if ((v->kind != V_STRING && v->kind != V_PATH) || v->len == 0) {
        report(r, c->src, stmt, "config-error", "includeConfig argument cannot be empty");
        return;
    }
    const char *arg = str0(r, v);
    if (!arg) return;
    if (!strcmp(arg, "/dev/null")) return;
    const char *path = join_path(r, c->dir, arg);
    if (!path) { r->diags->oom = 1; return; }
    if (is_remote(path) && !r->opt->remote_includes) {
        for (size_t i = 0; i < r->nremote; i++)
            if (!strcmp(r->remote_reported[i], path)) return;
        char **list = arena_alloc(r->a, (r->nremote + 1) * sizeof *list);
        if (list) {
            if (r->nremote) memcpy(list, r->remote_reported, r->nremote * sizeof *list);
            list[r->nremote++] = (char *)path;
            r->remote_reported = list;
        }
        report(r, c->src, stmt, "include-remote-skipped",
               "remote include '%s' not fetched (use --remote-includes to read it)", path);
        return;
    }
    if (!is_remote(path) && strstr(path, "://")) {
        report(r, c->src, stmt, "dynamic-value", "include '%s' uses a scheme nf-preflight cannot read", path);
        return;
    }
    for (int i = 0; i < r->include_depth; i++) {
        if (!strcmp(r->include_stack[i], path)) {
            report(r, c->src, stmt, "include-cycle", "'%s' includes itself through a cycle of includeConfig", arg);
            return;
        }
    }
    if (r->include_depth >= MAX_INCLUDE_DEPTH) {
        report(r, c->src, stmt, "include-cycle", "includes nested more than %d deep", MAX_INCLUDE_DEPTH);
        return;
    }
    int missing;
    Source *src = load_include(r, c, stmt, path, &missing);
    if (!src) {
        if (missing == 1 && !c->in_try)
            report(r, c->src, stmt, "include-not-found", "included config file '%s' does not exist (resolved to '%s')",
                   arg, path);
        else if (missing == 3)
            r->diags->oom = 1;
        return;
    }
    /* registered before parsing: diagnostics will point into it */
    if (!config_add_source(r->cfg, src, NULL)) { source_free(src); r->diags->oom = 1; return; }
    int errors = 0;
    Node *tree = parse_source(r->opt, r->a, src, r->diags, &errors);
    r->cfg->trees[r->cfg->nsources - 1] = tree;
    r->cfg->syntax_errors += errors;
    if (errors || !tree) return;
    Ctx ic = *c;
    ic.src = src;
    ic.dir = dir_of(r, path);
    ic.nscopes = c->nscopes;
    r->include_stack[r->include_depth++] = path;
    exec_file(r, &ic, src, tree, scope);
    r->include_depth--;
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
            config_declare_profile(r->cfg, s->text, c->src, s);
        } else if (r->opt->syntax_v1) {
            exec_stmt(r, c, s, c->root);    /* v1 runs it at the top, whatever the profile */
        } else if (s->kind != N_EMPTY) {
            report(r, c->src, s, "config-error", "only profile blocks are allowed in the `profiles` scope");
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

static void register_func(Resolver *r, Ctx *c, const Node *s)
{
    if (r->nfuncs == r->capfuncs) {
        size_t cap = r->capfuncs ? r->capfuncs * 2 : 8;
        FuncDef *f = arena_alloc(r->a, cap * sizeof *f);
        if (!f) return;
        if (r->nfuncs) memcpy(f, r->funcs, r->nfuncs * sizeof *f);
        r->funcs = f;
        r->capfuncs = cap;
    }
    r->funcs[r->nfuncs].name = s->text;
    r->funcs[r->nfuncs].node = s;
    r->funcs[r->nfuncs].src = c->src;
    r->nfuncs++;
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

static void exec_stmt(Resolver *r, Ctx *c, const Node *s, Value *scope)
{
    switch (s->kind) {
    case N_ASSIGN: {
        /* each assignment gets its own evaluation budget, within a total one */
        r->work_done += r->work;
        r->work = r->work_done > MAX_TOTAL_WORK ? MAX_WORK : 0;
        /* `x = y = v` (also across a newline after `=`) sets both, as Groovy does */
        if (s->b && s->b->kind == N_ASSIGN) exec_stmt(r, c, s->b, scope);
        Value *v = eval(r, c, s->b);
        if (!v) return;
        if (s->a->kind == N_PATH && s->a->nkids == 1 && s->op == TK_ASSIGN) {
            /* `x = v` where x is a `def` local updates the local, not the config */
            const Node *seg = s->a->kids[0];
            Value *vars = c->fn_locals && value_entry(c->fn_locals, seg->text, seg->textlen) ? c->fn_locals
                          : c->locals && value_entry(c->locals, seg->text, seg->textlen) ? c->locals : NULL;
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
        if (n == 1 && c->locals && value_entry(c->locals, segs[0], lens[0])) {
            value_set(r->a, c->locals, segs[0], lens[0], v, NULL);
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
                report(r, c->src, s, "config-error", "plugins definition is only allowed in config top-most scope");
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
        Value *cond = eval(r, c, s->a);
        int t = value_truth(cond);
        if (t < 0) {
            report(r, c->src, s->a, "dynamic-value",
                   "if condition cannot be evaluated before the run; settings inside it are not applied");
            return;
        }
        const Node *branch = t ? s->b : s->c;
        if (!branch) return;
        if (branch->kind == N_IF) exec_stmt(r, c, branch, scope);
        else exec_body(r, c, branch, scope);
        return;
    }
    case N_TRY:
        c->in_try++;
        exec_body(r, c, s->a, scope);
        c->in_try--;
        if (s->c) exec_body(r, c, s->c, scope);
        return;
    case N_VAR: {
        Value *v = s->a ? eval(r, c, s->a) : value_new(r->a, V_NULL);
        if (c->locals) value_set(r->a, c->locals, s->text, s->textlen, v, NULL);
        return;
    }
    case N_FUNC:
        register_func(r, c, s);
        return;
    case N_LOOP:
        /* for/while/switch among config statements: never evaluated, and the
         * settings inside them must not vanish without a word */
        report(r, c->src, s, "dynamic-value",
               "a loop or switch statement is not evaluated before the run; settings inside it are not applied or checked");
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

static Value *build_env(Resolver *r)
{
    Value *env = value_new(r->a, V_SCOPE);
    if (!env) return NULL;
    if (!r->opt->clean_env && environ) {
        for (char **e = environ; *e; e++) {
            const char *eq = strchr(*e, '=');
            if (eq) value_set(r->a, env, *e, (size_t)(eq - *e), mkstr(r, eq + 1), NULL);
        }
    }
    for (size_t i = 0; i < r->opt->nenv; i++) {
        const char *kv = r->opt->env[i];
        const char *eq = strchr(kv, '=');
        if (eq) value_set(r->a, env, kv, (size_t)(eq - kv), mkstr(r, eq + 1), NULL);
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
    if (!o.load) { o.load = default_load; o.load_ctx = default_load_ctx; }
    if (!o.parse) { o.parse = default_parse; o.parse_ctx = default_parse_ctx; }
    Resolver r = {0};
    r.opt = &o;
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
    r.env = build_env(&r);
    cfg->env = r.env;
    if (!r.env) { config_free(cfg); return NULL; }

    for (size_t li = 0; li < nlayers; li++) {
        const Layer *L = &layers[li];
        Source *src;
        if (L->path) {
            int err;
            src = o.load ? o.load(o.load_ctx, L->path, L->name, &err) : source_load(L->path, L->name, &err);
            if (!src) {
                diag_add(diags, NULL, 0, 0, SEV_ERROR, "config-error", "cannot read config file '%s': %s",
                         L->path, source_strerror(err));
                cfg->io_error = 1;
                continue;
            }
        } else {
            src = source_from_memory(L->name ? L->name : "<config text>", NULL, L->text, L->len);
            if (!src) { diags->oom = 1; break; }
        }
        if (!config_add_source(cfg, src, NULL)) { source_free(src); diags->oom = 1; break; }
        int errors = 0;
        Node *tree = parse_source(&o, r.a, src, diags, &errors);
        cfg->trees[cfg->nsources - 1] = tree;
        cfg->syntax_errors += errors;
        if (errors || !tree) continue;    /* a file with syntax errors is not evaluated */

        Value *layer_root = value_new(r.a, V_SCOPE);
        Value *locals = value_new(r.a, V_SCOPE);
        if (!layer_root || !locals) break;
        Ctx c = {0};
        c.src = src;
        c.root = layer_root;
        c.locals = locals;
        c.dir = L->path ? dir_of(&r, L->path) : (L->base_dir ? L->base_dir : ".");
        const char *p = L->path ? L->path : src->name;
        r.include_stack[0] = p;
        r.include_depth = 1;
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
            strbuf_printf(&msg, "unknown configuration profile '%s'", o.profiles[k]);
            if (nb) {
                strbuf_puts(&msg, "; did you mean ");
                for (size_t i = 0; i < nb; i++) strbuf_printf(&msg, "%s'%s'", i ? " or " : "", best[i]);
                strbuf_puts(&msg, "?");
            }
            const Source *first = cfg->nsources ? cfg->sources[0] : NULL;
            diag_add(diags, first, 0, 0, SEV_ERROR, "unknown-profile", "%s", strbuf_cstr(&msg));
            strbuf_free(&msg);
        }
        np_free(names);
    }
    /* one check covers every value, scope and string built on the way */
    if (arena_failed(cfg->arena)) diags->oom = 1;
    return cfg;
}

