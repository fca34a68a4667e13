/* eval — the Groovy expression and code evaluator of config files (eval.h). */
#include "eval.h"
#include "alloc.h"
#include "groovy.h"
#include "redact.h"
#include "regex.h"
#include "units.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static Value *eval(Eval *ev, EvalFrame *c, const Node *n);
static Value *step_local(Eval *ev, EvalFrame *c, const Node *n, const Node *target, TokKind op, int post);
static Value *gstring_value(Eval *ev, Value **parts, size_t nparts, int keep_parts);

/* ---------------- small helpers ---------------- */

/* The statement's evaluation budget, as groovy.c counts it. */
static GroovyEnv groovy_env(Eval *ev)
{
    GroovyEnv g = {ev->a, &ev->work, ev->max_work, NULL};
    return g;
}

/* Counts work against the statement's evaluation budget; 0 when it is spent
 * (the caller then gives up with a dynamic value). */
static int charge(Eval *ev, long long units)
{
    GroovyEnv g = groovy_env(ev);
    return groovy_charge(&g, units);
}

Value *eval_dynamic(Eval *ev, EvalFrame *c, const Node *n, const char *why)
{
    return value_dynamic(ev->a, c->src, n ? n->start : 0, n ? n->end : 0, why);
}

static Value *dyn(Eval *ev, EvalFrame *c, const Node *n, const char *why)
{
    return eval_dynamic(ev, c, n, why);
}

/* The result of an operation on a value from the environment keeps its
 * source (Value.env): a string, path, list or map is copied with it (items
 * and entries too, so that an element taken out later still has it) and its
 * text joins ev->env_texts; booleans, numbers and units stay as they are,
 * free to decide branches. NULL only when memory ran out. */
static Value *derive_env(Eval *ev, Value *res, const char *env, int depth)
{
    if (!res || !env || res->env || depth > 8) return res;
    if (res->kind != V_STRING && res->kind != V_PATH && res->kind != V_LIST && res->kind != V_MAP) return res;
    /* an empty secret hides nothing: it prints as the '' it is */
    if (env == VALUE_ENV_SECRET && (res->kind == V_STRING || res->kind == V_PATH) && !res->len) return res;
    Value *copy = value_new(ev->a, res->kind);
    if (!copy) return NULL;
    if (res->kind == V_STRING || res->kind == V_PATH) {
        *copy = *res;
        copy->env = env;
        if (ev->env_texts) secret_set_add_env(ev->env_texts, ev->a, copy->s, copy->len, env);
        return copy;
    }
    copy->env = env;
    charge(ev, (long long)(res->nitems + res->nentries));
    for (size_t i = 0; i < res->nitems; i++)
        if (!value_list_push(ev->a, copy, derive_env(ev, res->items[i], env, depth + 1))) return NULL;
    for (size_t i = 0; i < res->nentries; i++) {
        const Entry *e = &res->entries[i];
        if (ev->env_texts) secret_set_add_env(ev->env_texts, ev->a, e->key, e->keylen, env);
        if (!value_set(ev->a, copy, e->key, e->keylen, derive_env(ev, e->val, env, depth + 1), e->prov)) return NULL;
    }
    return copy;
}

/* The source of the first of args[0, n) that comes from the environment. */
static const char *env_of_args(Value *const *args, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const char *e = value_env_of(args[i]);
        if (e) return e;
    }
    return NULL;
}

/* A NUL-terminated copy of a string value. */
static const char *str0(Eval *ev, const Value *v)
{
    return arena_strndup(ev->a, v->s, v->len);
}

/* A name: the running function's locals, then the file's `def` locals, then
 * whatever the host makes of it. */
static Value *eval_name(Eval *ev, EvalFrame *c, const Node *n)
{
    Entry *e;
    if (c->fn_locals && (e = value_entry(c->fn_locals, n->text, n->textlen))) return e->val;
    if (c->locals && (e = value_entry(c->locals, n->text, n->textlen))) return e->val;
    return ev->host->name(ev, c, n);
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

static Value *num_value(Eval *ev, double d, int is_int, long long i)
{
    if (is_int) return value_int(ev->a, i);
    Value *v = value_new(ev->a, V_DECIMAL);
    if (v) {
        v->f = d;
        char buf[64];
        int k = snprintf(buf, sizeof buf, "%.15g", d);
        /* a whole decimal still prints its fraction, as Groovy's "2.0" does */
        if (k > 0 && (size_t)k + 2 < sizeof buf && !strchr(buf, '.') && !strchr(buf, 'e'))
            memcpy(buf + k, ".0", 3);
        v->s = arena_strdup(ev->a, buf);
        v->len = strlen(buf);
    }
    return v;
}

static Value *to_string_value(Eval *ev, EvalFrame *c, const Node *n, const Value *v)
{
    StrBuf b = STRBUF_INIT;
    if (!value_to_string(&b, v)) { strbuf_free(&b); return dyn(ev, c, n, "no string form"); }
    Value *s = value_string(ev->a, b.data ? b.data : "", b.len);
    strbuf_free(&b);
    return s;
}

static Value *binary_op(Eval *ev, EvalFrame *c, const Node *n, Value *a, Value *b);

/* A binary operation; its result keeps the environment source of an operand. */
static Value *binary(Eval *ev, EvalFrame *c, const Node *n, Value *a, Value *b)
{
    Value *operands[2] = {a, b};
    return derive_env(ev, binary_op(ev, c, n, a, b), env_of_args(operands, 2), 0);
}

static Value *binary_op(Eval *ev, EvalFrame *c, const Node *n, Value *a, Value *b)
{
    TokKind op = n->op;
    if (op == TK_AND || op == TK_OR) {
        int ta = value_truth(a);
        if (op == TK_AND && ta == 0) return value_bool(ev->a, 0);
        if (op == TK_OR && ta == 1) return value_bool(ev->a, 1);
        int tb = value_truth(b);
        if (ta < 0 || tb < 0) {
            /* `x && false` is false and `x || true` is true whatever x is */
            if (op == TK_AND && tb == 0) return value_bool(ev->a, 0);
            if (op == TK_OR && tb == 1) return value_bool(ev->a, 1);
            return dyn(ev, c, n, "depends on a dynamic value");
        }
        return value_bool(ev->a, tb);
    }
    if ((a && a->kind == V_DYNAMIC) || (b && b->kind == V_DYNAMIC)) return dyn(ev, c, n, "depends on a dynamic value");
    if (op == TK_EQ || op == TK_NE) {
        int eq = value_equal(a, b);
        if (eq < 0) return dyn(ev, c, n, "comparison of dynamic values");
        return value_bool(ev->a, op == TK_EQ ? eq : !eq);
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
        } else return dyn(ev, c, n, "comparison");
        int res = op == TK_LT ? x < y : op == TK_GT ? x > y : op == TK_LE ? x <= y : x >= y;
        return value_bool(ev->a, res);
    }
    if (op == TK_PLUS) {
        if (a && a->kind == V_STRING && a->nitems && b) {
            /* GString.plus keeps a GString (and its unresolved names) */
            size_t nparts = b->kind == V_STRING && b->nitems ? b->nitems : 1;
            Value **parts = arena_alloc(ev->a, (a->nitems + nparts) * sizeof *parts);
            if (!parts) return NULL;
            memcpy(parts, a->items, a->nitems * sizeof *parts);
            if (b->kind == V_STRING && b->nitems) memcpy(parts + a->nitems, b->items, nparts * sizeof *parts);
            else parts[a->nitems] = b;
            Value *v = gstring_value(ev, parts, a->nitems + nparts, 1);
            return v ? v : dyn(ev, c, n, "string concatenation");
        }
        if (a && (a->kind == V_STRING || a->kind == V_PATH)) {
            StrBuf s = STRBUF_INIT;
            if (!charge(ev, (long long)(a->len / 64) + 1)) return dyn(ev, c, n, "too much work to evaluate before the run");
            strbuf_append(&s, a->s, a->len);
            if (!value_to_string(&s, b)) { strbuf_free(&s); return dyn(ev, c, n, "string concatenation"); }
            if (s.len > VALUE_MAX_STRING) { strbuf_free(&s); return dyn(ev, c, n, "string too long"); }
            Value *v = value_string(ev->a, s.data ? s.data : "", s.len);
            strbuf_free(&s);
            return v;
        }
        if (a && b && (a->kind == V_MAP || a->kind == V_SCOPE) && (b->kind == V_MAP || b->kind == V_SCOPE)) {
            /* a new map of the left side's class (Groovy's cloneSimilarMap: a
             * ConfigObject stays one); the operands stay untouched */
            Value *m = value_new(ev->a, a->kind);
            if (!m) return NULL;
            for (int side = 0; side < 2; side++) {
                const Value *o = side ? b : a;
                for (size_t i = 0; i < o->nentries; i++)
                    if (!value_set(ev->a, m, o->entries[i].key, o->entries[i].keylen, o->entries[i].val, o->entries[i].prov))
                        return NULL;
            }
            return m;
        }
        if (a && b && a->kind == b->kind && (a->kind == V_MEMORY || a->kind == V_DURATION)) {
            long long sum;
            if (__builtin_add_overflow(a->i, b->i, &sum)) return dyn(ev, c, n, "size too large");
            Value *v = value_new(ev->a, a->kind);
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
            return dyn(ev, c, n, "integer overflow");
        switch (op) {
        case TK_PLUS: return num_value(ev, da + db, both_int, res);
        case TK_MINUS: return num_value(ev, da - db, both_int, res);
        case TK_STAR: return num_value(ev, da * db, both_int, res);
        case TK_SLASH:
            if (db == 0) return dyn(ev, c, n, "division by zero");
            /* Groovy's int / int is a BigDecimal unless it divides exactly */
            if (both_int && lb == -1 && la == LLONG_MIN) return dyn(ev, c, n, "integer overflow");
            if (both_int && la % lb == 0) return value_int(ev->a, la / lb);
            return num_value(ev, da / db, 0, 0);
        case TK_PERCENT:
            if (!both_int || lb == 0 || lb == -1) return lb == -1 && both_int ? value_int(ev->a, 0) : dyn(ev, c, n, "modulo");
            return value_int(ev->a, la % lb);
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
            if (op == TK_SLASH && da == 0) return dyn(ev, c, n, "division by zero");
            if (!(fabs(x) < 9.2e18)) return dyn(ev, c, n, "size too large");
            Value *v = value_new(ev->a, u->kind);
            if (v) v->i = (long long)x;
            return v;
        }
    }
    if (op == TK_MINUS && a && b && a->kind == b->kind && (a->kind == V_MEMORY || a->kind == V_DURATION)) {
        long long diff;
        if (__builtin_sub_overflow(a->i, b->i, &diff)) return dyn(ev, c, n, "size too large");
        Value *v = value_new(ev->a, a->kind);
        if (v) v->i = diff;
        return v;
    }
    if (op == TK_SPACESHIP && a && b) {
        /* a <=> b on numbers or strings */
        int cmp;
        if (na && nb) cmp = (da > db) - (da < db);
        else if (a->kind == V_STRING && b->kind == V_STRING) cmp = groovy_order(a, b);
        else return dyn(ev, c, n, "comparison");
        return value_int(ev->a, cmp);
    }
    if (op == TK_POWER && ia && ib && na && nb && lb >= 0) {
        /* Integer.power: an integer while it fits */
        long long x = 1;
        for (long long k = 0; k < lb && x; k++)
            if (__builtin_mul_overflow(x, la, &x)) return dyn(ev, c, n, "power too large");
        return value_int(ev->a, x);
    }
    if (op == TK_MATCH && a && b && a->kind == V_STRING && b->kind == V_STRING) {
        int bad;
        Regex *re = regex_new(b->s, b->len, &bad);
        int m = re ? regex_matches_whole(re, a->s, a->len) : -1;
        regex_free(re);
        return m < 0 ? dyn(ev, c, n, "regular expression") : value_bool(ev->a, m);
    }
    if (op == TK_STAR && a && a->kind == V_STRING && !a->nitems && ib && nb && lb >= 0) {
        if (a->len && (size_t)lb > VALUE_MAX_STRING / a->len) return dyn(ev, c, n, "string too long");
        if (!charge(ev, (long long)a->len * lb / 64)) return dyn(ev, c, n, "too much work to evaluate before the run");
        StrBuf sb = STRBUF_INIT;
        for (long long k = 0; k < lb; k++) strbuf_append(&sb, a->s, a->len);
        Value *v = sb.failed ? NULL : value_string(ev->a, sb.data ? sb.data : "", sb.len);
        strbuf_free(&sb);
        return v;
    }
    if ((op == TK_MINUS || op == TK_PLUS) && a && a->kind == V_LIST && b) {
        GroovyEnv g = groovy_env(ev);
        Value *l = op == TK_MINUS ? groovy_list_minus(&g, a, b) : groovy_list_plus(&g, a, b);
        return l ? l : g.why ? dyn(ev, c, n, g.why) : NULL;
    }
    if ((op == TK_RANGE || op == TK_RANGE_EXCL) && ia && ib && na && nb) {
        /* an integer range, as the list Groovy prints for it */
        /* bounded first, so that the arithmetic below cannot overflow */
        if (la > LLONG_MAX - 200000 || la < LLONG_MIN + 200000 || lb > LLONG_MAX - 200000 || lb < LLONG_MIN + 200000 ||
            (la < lb ? lb - la : la - lb) > 100000)
            return dyn(ev, c, n, "range too long");
        long long hi = op == TK_RANGE_EXCL ? (lb > la ? lb - 1 : lb + 1) : lb;
        long long step = la <= hi ? 1 : -1;
        if (!charge(ev, step > 0 ? hi - la : la - hi)) return dyn(ev, c, n, "too much work to evaluate before the run");
        Value *l = value_new(ev->a, V_LIST);
        if (!l) return NULL;
        if (op == TK_RANGE_EXCL && la == lb) return l;
        for (long long k = la;; k += step) {
            if (!value_list_push(ev->a, l, value_int(ev->a, k))) return NULL;
            if (k == hi) break;
        }
        return l;
    }
    if (op == TK_KW_IN && b && b->kind == V_LIST) {
        for (size_t i = 0; i < b->nitems; i++) {
            int eq = value_equal(a, b->items[i]);
            if (eq < 0) return dyn(ev, c, n, "membership");
            if (eq) return value_bool(ev->a, 1);
        }
        return value_bool(ev->a, 0);
    }
    return dyn(ev, c, n, "unsupported operation");
}

/* Methods on known values (groovy.c); what it cannot evaluate is dynamic. */
static Value *call_method(Eval *ev, EvalFrame *c, const Node *n, Value *obj, const char *m, Value **args, size_t nargs)
{
    GroovyEnv g = groovy_env(ev);
    Value *v = groovy_method(&g, obj, m, args, nargs);
    if (!v) return g.why ? dyn(ev, c, n, g.why) : NULL;
    const char *env = value_env_of(obj);
    return derive_env(ev, v, env ? env : env_of_args(args, nargs), 0);
}

static Value *call_function(Eval *ev, EvalFrame *c, const Node *n, const char *name, Value **args, size_t nargs);
static Value *call_closure(Eval *ev, EvalFrame *c, const Node *n, const Node *clo, Value **args, size_t nargs);
static int is_output_callee(const Node *callee);
static Value *printed(Eval *ev, EvalFrame *c, const Node *callee);
static Value *call_with_closure(Eval *ev, EvalFrame *c, const Node *n, Value *obj, const char *m, const Node *clo,
                                Value *init);

/* Qualified name of a callee like System.getenv → "System.getenv". */
static int callee_is(const Node *callee, const char *obj, const char *method)
{
    return callee && callee->kind == N_PROP && callee->a && callee->a->kind == N_IDENT &&
           !strcmp(callee->a->text, obj) && !strcmp(callee->text, method);
}

static Value *eval_call(Eval *ev, EvalFrame *c, const Node *n)
{
    const Node *callee = n->a;
    Value *argv[8];
    size_t nargs = n->nkids;
    int named = 0;
    for (size_t i = 0; i < n->nkids; i++) named |= n->kids[i]->kind == N_NAMED_ARG;
    if (nargs > 8 || named) return dyn(ev, c, n, "call");
    if (is_output_callee(callee)) return printed(ev, c, callee);
    if (callee->kind == N_PROP && (nargs == 1 || nargs == 2) && n->kids[nargs - 1]->kind == N_CLOSURE) {
        Value *obj = eval(ev, c, callee->a);
        if (obj && obj->kind == V_NULL && (callee->flags & NF_SAFE)) return obj;
        if (nargs == 1 && !strcmp(callee->text, "with") && obj && obj->kind != V_DYNAMIC)
            return call_closure(ev, c, n, n->kids[0], &obj, 1);      /* it is the receiver */
        Value *init = nargs == 2 ? eval(ev, c, n->kids[0]) : NULL;
        if (nargs == 2 && (!init || init->kind == V_DYNAMIC)) return dyn(ev, c, n, "closure method");
        return call_with_closure(ev, c, n, obj, callee->text, n->kids[nargs - 1], init);
    }
    for (size_t i = 0; i < nargs; i++) {
        if (n->kids[i]->kind == N_CLOSURE) return dyn(ev, c, n, "call with a closure");
        argv[i] = eval(ev, c, n->kids[i]);
    }
    if (callee->kind == N_IDENT) {
        if (!strcmp(callee->text, "env") && nargs == 1) {
            if (!argv[0] || argv[0]->kind != V_STRING) return dyn(ev, c, n, "env() of a dynamic name");
            Value *v = value_get(ev->env, str0(ev, argv[0]));
            return v ? eval_env_read(ev, v) : value_new(ev->a, V_NULL);
        }
        return call_function(ev, c, n, callee->text, argv, nargs);
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
            return value_int(ev->a, argv[0]->i < 0 ? -argv[0]->i : argv[0]->i);
        double d;
        int is_int;
        long long iv;
        if (nargs == 1 && (!strcmp(fn, "ceil") || !strcmp(fn, "floor")) && as_num(argv[0], &d, &is_int, &iv))
            return num_value(ev, fn[0] == 'c' ? ceil(d) : floor(d), 0, 0);
        return dyn(ev, c, n, "Math");
    }
    if (callee_is(callee, "System", "getenv")) {
        if (nargs == 1 && argv[0] && argv[0]->kind == V_STRING) {
            Value *v = value_get(ev->env, str0(ev, argv[0]));
            return v ? eval_env_read(ev, v) : value_new(ev->a, V_NULL);
        }
        if (nargs == 0) return ev->env;
        return dyn(ev, c, n, "System.getenv");
    }
    if (callee->kind == N_PROP && callee->a && callee->a->kind == N_CLOSURE && !strcmp(callee->text, "call"))
        return call_closure(ev, c, n, callee->a, argv, nargs);
    if (callee->kind == N_PROP) {
        Value *obj = eval(ev, c, callee->a);
        if (obj && obj->kind == V_NULL && (callee->flags & NF_SAFE)) return obj;
        if ((callee->flags & NF_SPREAD) && obj && obj->kind == V_LIST) {
            /* list*.m(args): the method on every element */
            Value *l = value_new(ev->a, V_LIST);
            for (size_t i = 0; l && i < obj->nitems; i++) {
                Value *v = obj->items[i] && obj->items[i]->kind == V_NULL
                               ? obj->items[i] : call_method(ev, c, n, obj->items[i], callee->text, argv, nargs);
                if (!v || v->kind == V_DYNAMIC) return v;
                if (!value_list_push(ev->a, l, v)) return NULL;
            }
            return l;
        }
        return call_method(ev, c, n, obj, callee->text, argv, nargs);
    }
    return dyn(ev, c, n, "call");
}

/* Legacy `def f(a) { … }` functions, evaluated only when every statement is
 * one the resolver understands; anything else makes the call dynamic. */
static int exec_code(Eval *ev, EvalFrame *c, const Node *body);

static Value *call_function(Eval *ev, EvalFrame *c, const Node *n, const char *name, Value **args, size_t nargs)
{
    for (size_t i = ev->nfuncs; i-- > 0;) {
        EvalFunc *f = &ev->funcs[i];
        if (strcmp(f->name, name) || f->node->nkids != nargs) continue;
        if (ev->call_depth >= EVAL_MAX_CALL_DEPTH) return dyn(ev, c, n, "recursion");
        /* each call is work: f(n) { f(n) + f(n) } makes 2^depth of them */
        if (!charge(ev, EVAL_CALL_COST)) return dyn(ev, c, n, "too much work to evaluate before the run");
        EvalFrame fc = *c;
        fc.src = f->src;
        fc.fn_locals = value_new(ev->a, V_SCOPE);
        fc.returned = NULL;
        if (!fc.fn_locals) return NULL;
        for (size_t k = 0; k < nargs; k++) {
            const Node *pn = f->node->kids[k];
            value_set(ev->a, fc.fn_locals, pn->text, pn->textlen, args[k], NULL);
        }
        ev->call_depth++;
        int ok = exec_code(ev, &fc, f->node->a);
        ev->call_depth--;
        if (!ok) return dyn(ev, c, n, "function");
        return fc.returned ? (Value *)fc.returned : value_new(ev->a, V_NULL);
    }
    return dyn(ev, c, n, "unknown function");
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

/* The value of a print call: null. The host hears of it (in v1 a bare
 * `println` reads the script's `out` property first). */
static Value *printed(Eval *ev, EvalFrame *c, const Node *callee)
{
    if (ev->host->printed) ev->host->printed(ev, c, callee);
    return value_new(ev->a, V_NULL);
}

/* ++/-- on an integer local of running code; `post` gives the old value. */
static Value *step_local(Eval *ev, EvalFrame *c, const Node *n, const Node *target, TokKind op, int post)
{
    Entry *e = target && target->kind == N_IDENT && c->fn_locals ? value_entry(c->fn_locals, target->text, target->textlen)
                                                                 : NULL;
    if (!e || !e->val || e->val->kind != V_INT) return dyn(ev, c, n, "increment");
    long long next;
    if (__builtin_add_overflow(e->val->i, op == TK_INC ? 1 : -1, &next)) return dyn(ev, c, n, "integer overflow");
    Value *old = e->val, *now = value_int(ev->a, next);
    if (!now) return NULL;
    e->val = now;
    return post ? old : now;
}

/* `x = v`, `x += v` … on a local of the function or closure being run.
 * Returns 0 for any other target: code does not write config. */
static int assign_local(Eval *ev, EvalFrame *c, const Node *s)
{
    const Node *t = s->a;
    if (t && t->kind == N_PATH && t->nkids == 1) t = t->kids[0];
    if (!t || (t->kind != N_IDENT && t->kind != N_SEGMENT) || !c->fn_locals) return 0;
    Entry *e = value_entry(c->fn_locals, t->text, t->textlen);
    if (!e) return 0;
    Value *v = eval(ev, c, s->b);
    if (!v || v->kind == V_DYNAMIC) return 0;
    if (s->op != TK_ASSIGN) {
        TokKind op = s->op == TK_PLUS_ASSIGN ? TK_PLUS : s->op == TK_MINUS_ASSIGN ? TK_MINUS
                   : s->op == TK_STAR_ASSIGN ? TK_STAR : s->op == TK_SLASH_ASSIGN ? TK_SLASH : TK_EOF;
        if (op == TK_EOF) return 0;
        Node tmp = *s;
        tmp.op = op;
        v = binary(ev, c, &tmp, e->val, v);
        if (!v || v->kind == V_DYNAMIC) return 0;
    }
    e->val = v;
    return 1;
}

/* Returns 1 when the body ran to completion or a return, 0 when it hit
 * something that cannot be evaluated. */
static int exec_code(Eval *ev, EvalFrame *c, const Node *body)
{
    if (!body) return 1;
    for (size_t i = 0; i < body->nkids && !c->returned; i++) {
        const Node *s = body->kids[i];
        switch (s->kind) {
        case N_RETURN:
            c->returned = s->a ? eval(ev, c, s->a) : value_new(ev->a, V_NULL);
            if (c->returned && c->returned->kind == V_DYNAMIC) return 0;
            return 1;
        case N_VAR: {
            Value *v = s->a ? eval(ev, c, s->a) : value_new(ev->a, V_NULL);
            value_set(ev->a, c->fn_locals, s->text, s->textlen, v, NULL);
            break;
        }
        case N_IF: {
            Value *cond = eval(ev, c, s->a);
            int t = value_truth(cond);
            if (t < 0) return 0;
            const Node *branch = t ? s->b : s->c;
            if (branch && branch->kind == N_IF) {
                Node wrap = {0};
                const Node *one[1] = {branch};
                wrap.kind = N_BODY;
                wrap.kids = (Node **)one;
                wrap.nkids = 1;
                if (!exec_code(ev, c, &wrap)) return 0;
            } else if (!exec_code(ev, c, branch)) {
                return 0;
            }
            break;
        }
        case N_COMMAND:                          /* `println x`, `log.warn x` */
            if (s->a && is_output_callee(s->a)) { printed(ev, c, s->a); break; }
            return 0;
        case N_ASSIGN:
            if (!assign_local(ev, c, s)) return 0;
            break;
        case N_EXPR_STMT: {
            if (is_output_call(s->a)) { printed(ev, c, s->a->a); break; }
            if (s->a && (s->a->kind == N_POSTFIX || (s->a->kind == N_UNARY && (s->a->op == TK_INC || s->a->op == TK_DEC)))) {
                Value *v = eval(ev, c, s->a);
                if (!v || v->kind == V_DYNAMIC) return 0;
                break;
            }
            if (s->a && s->a->kind == N_BINARY && s->a->op == TK_LSHIFT_ASSIGN) {
                /* `list << x` appends in place, as on the Groovy list object */
                Value *l = eval(ev, c, s->a->a), *x = l && l->kind == V_LIST ? eval(ev, c, s->a->b) : NULL;
                if (!x || x->kind == V_DYNAMIC || !value_list_push(ev->a, l, x)) return 0;
                c->last = l;
                break;
            }
            Value *v = eval(ev, c, s->a);
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
static Value *call_closure(Eval *ev, EvalFrame *c, const Node *n, const Node *clo, Value **args, size_t nargs)
{
    if (ev->call_depth >= EVAL_MAX_CALL_DEPTH) return dyn(ev, c, n, "recursion");
    if (!charge(ev, EVAL_CALL_COST)) return dyn(ev, c, n, "too much work to evaluate before the run");
    if (clo->nkids > nargs) return dyn(ev, c, n, "closure arguments");
    EvalFrame fc = *c;
    fc.fn_locals = value_new(ev->a, V_SCOPE);
    fc.returned = NULL;
    fc.last = NULL;
    if (!fc.fn_locals) return NULL;
    for (size_t i = 0; c->fn_locals && i < c->fn_locals->nentries; i++) {
        const Entry *e = &c->fn_locals->entries[i];
        value_set(ev->a, fc.fn_locals, e->key, e->keylen, e->val, NULL);
    }
    if (clo->nkids == 0 && nargs == 1) value_set(ev->a, fc.fn_locals, "it", 2, args[0], NULL);
    for (size_t k = 0; k < clo->nkids; k++)
        value_set(ev->a, fc.fn_locals, clo->kids[k]->text, clo->kids[k]->textlen, args[k], NULL);
    ev->call_depth++;
    int ok = exec_code(ev, &fc, clo->a);
    ev->call_depth--;
    if (!ok) return dyn(ev, c, n, "closure");
    const Value *v = fc.returned ? fc.returned : fc.last;
    return v ? (Value *)v : value_new(ev->a, V_NULL);
}

/* The closure arguments for one element: a map entry is (key, value) for a
 * two-parameter closure and an entry object (`it.key`, `it.value`) for one;
 * a list element that is itself a list is spread over several parameters,
 * as Groovy does. Returns the count. */
static size_t closure_args(Eval *ev, const Node *clo, const Value *obj, size_t i, Value **args, size_t max)
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
    Value *key = value_string(ev->a, e->key, e->keylen);
    if (clo->nkids >= 2) {
        args[0] = key;
        args[1] = e->val;
        return 2;
    }
    Value *entry = value_new(ev->a, V_MAP);
    if (entry && key) {
        value_set(ev->a, entry, "key", 3, key, NULL);
        value_set(ev->a, entry, "value", 5, e->val, NULL);
    }
    args[0] = entry;
    return 1;
}

/* `list.collect { … }`, `map.each { k, v -> … }` and the other iteration
 * methods that take a closure; `init` is inject's first argument. `each`
 * only when the body has no effect beyond printing. */
static Value *call_with_closure(Eval *ev, EvalFrame *c, const Node *n, Value *obj, const char *m, const Node *clo,
                                Value *init)
{
    int is_map = obj && (obj->kind == V_MAP || obj->kind == V_SCOPE);
    if (!obj || (obj->kind != V_LIST && !is_map)) return dyn(ev, c, n, "closure method");
    static const char *const names[] = {"collect", "findAll", "find", "any", "every", "each", "count",
                                        "findIndexOf", "inject"};
    enum { COLLECT, FIND_ALL, FIND, ANY, EVERY, EACH, COUNT, FIND_INDEX, INJECT, NMETHODS };
    int which = NMETHODS;
    for (int k = 0; k < NMETHODS; k++)
        if (!strcmp(m, names[k])) which = k;
    if (which == NMETHODS || (which == INJECT) != (init != NULL) || (is_map && which >= FIND_INDEX))
        return dyn(ev, c, n, "closure method");
    Value *out = NULL;
    if (which == COLLECT || (which == FIND_ALL && !is_map)) out = value_new(ev->a, V_LIST);
    else if (which == FIND_ALL) out = value_new(ev->a, V_MAP);
    if ((which == COLLECT || which == FIND_ALL) && !out) return NULL;
    Value *acc = init;
    long long count = 0;
    size_t len = is_map ? obj->nentries : obj->nitems;
    for (size_t i = 0; i < len; i++) {
        Value *args[9];
        size_t nargs = 0;
        if (which == INJECT) args[nargs++] = acc;
        nargs += closure_args(ev, clo, obj, i, args + nargs, 8);
        Value *v = call_closure(ev, c, n, clo, args, nargs);
        if (!v || v->kind == V_DYNAMIC) return v;
        if (which == COLLECT) {
            if (!value_list_push(ev->a, out, v)) return NULL;
            continue;
        }
        if (which == EACH) continue;       /* a body that only prints: the receiver comes back */
        if (which == INJECT) { acc = v; continue; }
        int t = value_truth(v);
        if (t < 0) return dyn(ev, c, n, "closure method");
        if (!t) {
            if (which == EVERY) return value_bool(ev->a, 0);
            continue;
        }
        switch (which) {
        case FIND_ALL:
            if (is_map ? !value_set(ev->a, out, obj->entries[i].key, obj->entries[i].keylen, obj->entries[i].val,
                                    obj->entries[i].prov)
                       : !value_list_push(ev->a, out, obj->items[i]))
                return NULL;
            break;
        case FIND: return is_map ? args[0] : obj->items[i];
        case ANY: return value_bool(ev->a, 1);
        case COUNT: count++; break;
        case FIND_INDEX: return value_int(ev->a, (long long)i);
        default: break;
        }
    }
    switch (which) {
    case COLLECT: case FIND_ALL: return out;
    case EACH: return obj;
    case INJECT: return acc;
    case COUNT: return value_int(ev->a, count);
    case FIND_INDEX: return value_int(ev->a, -1);
    case FIND: return value_new(ev->a, V_NULL);
    default: return value_bool(ev->a, which == EVERY);
    }
}

/* ---------------- expressions ---------------- */

static Value *unit_literal(Eval *ev, const Value *num, const char *name, size_t len)
{
    UnitKind kind;
    long long amount;
    double d;
    int is_int;
    long long i;
    /* 256.EB does not fit the 64-bit byte count Nextflow uses either (overflow: not a value) */
    if (!as_num(num, &d, &is_int, &i) || units_scale(name, len, is_int, i, d, &kind, &amount) != UNITS_OK)
        return NULL;
    Value *v = value_new(ev->a, kind == UNIT_MEMORY ? V_MEMORY : V_DURATION);
    if (v) v->i = amount;
    return v;
}

static Value *eval_prop(Eval *ev, EvalFrame *c, const Node *n)
{
    const Node *obj = n->a;
    if (obj && obj->kind == N_IDENT && !strcmp(obj->text, "params") && !ev->v1 &&
        !(c->fn_locals && value_entry(c->fn_locals, "params", 6)) &&
        !(c->locals && value_entry(c->locals, "params", 6))) {
        Value *v = ev->host->param(ev, c, n->text, n->textlen);
        return v ? v : value_new(ev->a, V_NULL);
    }
    Value *o = eval(ev, c, obj);
    if (!o) return NULL;
    if (o->kind == V_DYNAMIC) return dyn(ev, c, n, o->why);
    if (o->kind == V_NULL) {
        if (n->flags & NF_SAFE) return o;
        return dyn(ev, c, n, "property of null");
    }
    Value *u = unit_literal(ev, o, n->text, n->textlen);
    if (u) return u;
    if (o->kind == V_SCOPE || o->kind == V_MAP) {
        Entry *e = value_entry(o, n->text, n->textlen);
        if (e) return e->val;
        if (o->kind == V_SCOPE && ev->v1) {
            /* ConfigObject.getProperty creates what it does not find */
            Value *s = value_new(ev->a, V_SCOPE);
            if (!s || !value_set(ev->a, o, n->text, n->textlen, s, NULL)) return NULL;
            return s;
        }
        return value_new(ev->a, V_NULL);
    }
    if (o->kind == V_STRING && (!strcmp(n->text, "length") || !strcmp(n->text, "size")))
        return value_int(ev->a, (long long)o->len);
    return dyn(ev, c, n, "property");
}

static Value *eval_int(Eval *ev, EvalFrame *c, const Node *n)
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
    if (*end || v == LLONG_MAX) return dyn(ev, c, n, "integer out of range");
    return value_int(ev->a, v);
}

/* A string built from parts (a v1 GString that interpolated an unresolved
 * name): `s` is its toString, `items` the parts, so the printer can write the
 * name as `$name` the way Nextflow v1 does. */
static Value *gstring_value(Eval *ev, Value **parts, size_t nparts, int keep_parts)
{
    StrBuf b = STRBUF_INIT;
    for (size_t i = 0; i < nparts; i++) {
        if (b.len > VALUE_MAX_STRING || !value_to_string(&b, parts[i])) { strbuf_free(&b); return NULL; }
    }
    if (b.failed || b.len > VALUE_MAX_STRING) { strbuf_free(&b); return NULL; }
    if (!charge(ev, (long long)(b.len / 64))) { strbuf_free(&b); return NULL; }
    Value *v = value_string(ev->a, b.data ? b.data : "", b.len);
    strbuf_free(&b);
    if (v && keep_parts)
        for (size_t i = 0; i < nparts; i++)
            if (!value_list_push(ev->a, v, parts[i])) return NULL;
    return v;
}

static int is_hole(const Value *v) { return v && v->kind == V_SCOPE && !v->nentries; }

static Value *eval_gstring(Eval *ev, EvalFrame *c, const Node *n)
{
    Value *stack_parts[32];
    Value **parts = n->nkids <= 32 ? stack_parts : arena_alloc(ev->a, n->nkids * sizeof *parts);
    if (!parts) return NULL;
    int holes = 0;
    for (size_t i = 0; i < n->nkids; i++) {
        const Node *part = n->kids[i];
        Value *v = part->kind == N_STRING ? value_string(ev->a, part->text, part->textlen) : eval(ev, c, part);
        if (!v) return NULL;
        if (v->kind == V_DYNAMIC) return dyn(ev, c, n, v->why);
        if (v->kind == V_CLOSURE || v->kind == V_DYNAMIC) return dyn(ev, c, n, "interpolation");
        holes |= is_hole(v);
        parts[i] = v;
    }
    Value *s = gstring_value(ev, parts, n->nkids, holes && ev->v1);
    return s ? derive_env(ev, s, env_of_args(parts, n->nkids), 0) : dyn(ev, c, n, "interpolation");
}

/* `v as T` / `(T) v` for the evaluated operand v of cast n. */
static Value *cast_value(Eval *ev, EvalFrame *c, const Node *n, Value *v)
{
    if (!v || v->kind == V_DYNAMIC) return v;
    const char *t = n->text;
    const char *dot = strrchr(t, '.');
    if (dot) t = dot + 1;
    if (!strcmp(t, "Integer") || !strcmp(t, "int") || !strcmp(t, "Long") || !strcmp(t, "long")) {
        if (v->kind == V_INT) return v;
        if (v->kind == V_STRING) return call_method(ev, c, n, v, "toInteger", NULL, 0);
        if (v->kind == V_DECIMAL) return value_int(ev->a, (long long)v->f);
    } else if (!strcmp(t, "String")) {
        return to_string_value(ev, c, n, v);
    } else if (!strcmp(t, "Boolean") || !strcmp(t, "boolean")) {
        if (v->kind == V_BOOL) return v;
        int truth = value_truth(v);
        return truth < 0 ? dyn(ev, c, n, "cast") : value_bool(ev->a, truth);
    } else if (!strcmp(t, "MemoryUnit") || !strcmp(t, "Duration")) {
        ValueKind k = t[0] == 'M' ? V_MEMORY : V_DURATION;
        if (v->kind == k) return v;
        long long x;
        /* `as MemoryUnit` / `as Duration` calls the String constructor: no trimming */
        if (v->kind == V_STRING && (k == V_MEMORY ? units_parse_memory(v->s, v->len, &x)
                                                  : units_parse_duration(v->s, v->len, &x)) == UNITS_OK) {
            Value *u = value_new(ev->a, k);
            if (u) u->i = x;
            return u;
        }
        if (v->kind == V_INT) { Value *u = value_new(ev->a, k); if (u) u->i = v->i; return u; }
    } else if (!strcmp(t, "List") || !strcmp(t, "Map") || !strcmp(t, "Object")) {
        return v;
    }
    return dyn(ev, c, n, "cast");
}

static Value *eval(Eval *ev, EvalFrame *c, const Node *n)
{
    if (!n) return value_new(ev->a, V_NULL);
    switch (n->kind) {
    case N_INT: return eval_int(ev, c, n);
    case N_FLOAT: {
        Value *v = value_new(ev->a, V_DECIMAL);
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
        v->s = arena_strdup(ev->a, big && groovy_decimal_text(buf, java, sizeof java) ? java : buf);
        v->len = v->s ? strlen(v->s) : 0;
        return v;
    }
    case N_STRING: return value_string(ev->a, n->text, n->textlen);
    case N_BOOL: return value_bool(ev->a, n->text[0] == 't');
    case N_NULL: return value_new(ev->a, V_NULL);
    case N_GSTRING: return eval_gstring(ev, c, n);
    case N_IDENT: return eval_name(ev, c, n);
    case N_PROP: return eval_prop(ev, c, n);
    case N_PAREN: return eval(ev, c, n->a);
    case N_CALL: return eval_call(ev, c, n);
    case N_CAST: {
        Value *v = eval(ev, c, n->a);
        return derive_env(ev, cast_value(ev, c, n, v), value_env_of(v), 0);
    }
    case N_CLOSURE: {
        Value *v = value_new(ev->a, V_CLOSURE);
        if (!v) return NULL;
        v->src = c->src;
        v->start = n->start;
        v->end = n->end;
        v->s = c->src->text + n->start;
        v->len = n->end - n->start;
        return v;
    }
    case N_LIST: {
        Value *l = value_new(ev->a, V_LIST);
        if (!l) return NULL;
        for (size_t i = 0; i < n->nkids; i++)
            if (!value_list_push(ev->a, l, eval(ev, c, n->kids[i]))) return NULL;
        return l;
    }
    case N_MAP: {
        Value *m = value_new(ev->a, V_MAP);
        const char *key_env = NULL;
        if (!m) return NULL;
        for (size_t i = 0; i < n->nkids; i++) {
            const Node *e = n->kids[i];
            Value *k = e->a->kind == N_STRING ? value_string(ev->a, e->a->text, e->a->textlen) : eval(ev, c, e->a);
            if (k && k->kind != V_STRING) {
                Value *ks = to_string_value(ev, c, e->a, k);
                if (!ks || ks->kind != V_STRING) return dyn(ev, c, n, "computed map key");
                k = ks;
            }
            if (!k) return NULL;
            if (k->env) key_env = k->env;     /* the map prints as the key's source */
            value_set(ev->a, m, k->s, k->len, eval(ev, c, e->b), NULL);
        }
        return derive_env(ev, m, key_env, 0);
    }
    case N_UNARY: {
        if (n->op == TK_INC || n->op == TK_DEC) return step_local(ev, c, n, n->a, n->op, 0);
        Value *a = eval(ev, c, n->a);
        if (!a) return NULL;
        if (n->op == TK_NOT) {
            int t = value_truth(a);
            return t < 0 ? dyn(ev, c, n, a->why ? a->why : "negation of a dynamic value") : value_bool(ev->a, !t);
        }
        if (n->op == TK_MINUS) {
            if (a->kind == V_INT && a->i != LLONG_MIN) return value_int(ev->a, -a->i);
            if (a->kind == V_DECIMAL) {
                Value *v = value_new(ev->a, V_DECIMAL);
                if (!v) return NULL;
                v->f = -a->f;
                v->s = arena_printf(ev->a, "-%.*s", (int)a->len, a->s ? a->s : "");
                v->len = a->len + 1;
                return v;
            }
        }
        if (n->op == TK_PLUS && (a->kind == V_INT || a->kind == V_DECIMAL)) return a;
        return dyn(ev, c, n, "unary operator");
    }
    case N_BINARY: {
        Value *a = eval(ev, c, n->a);
        if (!a) return NULL;
        /* short-circuit like Groovy, so a dynamic right side does not matter */
        if (n->op == TK_AND && value_truth(a) == 0) return value_bool(ev->a, 0);
        if (n->op == TK_OR && value_truth(a) == 1) return value_bool(ev->a, 1);
        Value *b = eval(ev, c, n->b);
        if (!b) return NULL;
        return binary(ev, c, n, a, b);
    }
    case N_TERNARY: {
        Value *cond = eval(ev, c, n->a);
        int t = value_truth(cond);
        if (t < 0) return dyn(ev, c, n, cond && cond->why ? cond->why : "condition");
        return eval(ev, c, t ? n->b : n->c);
    }
    case N_ELVIS: {
        Value *a = eval(ev, c, n->a);
        int t = value_truth(a);
        if (t < 0) return dyn(ev, c, n, a && a->why ? a->why : "condition");
        return t ? a : eval(ev, c, n->b);
    }
    case N_INDEX: {
        Value *o = eval(ev, c, n->a);
        if (!o || n->nkids != 1) return dyn(ev, c, n, "index");
        Value *k = eval(ev, c, n->kids[0]);
        if (o->kind == V_LIST && k && k->kind == V_INT) {
            long long i = k->i < 0 ? (long long)o->nitems + k->i : k->i;
            return i >= 0 && (size_t)i < o->nitems ? o->items[i] : value_new(ev->a, V_NULL);
        }
        if ((o->kind == V_MAP || o->kind == V_SCOPE) && k && k->kind == V_STRING) {
            Entry *e = value_entry(o, k->s, k->len);
            return e ? e->val : value_new(ev->a, V_NULL);
        }
        return dyn(ev, c, n, "index");
    }
    case N_ASSIGN: {
        /* an assignment used as a value (legacy): evaluate to the assigned value */
        return eval(ev, c, n->b);
    }
    case N_INSTANCEOF: {
        Value *v = eval(ev, c, n->a);
        if (!v || v->kind == V_DYNAMIC) return dyn(ev, c, n, "instanceof of a dynamic value");
        const char *type = n->text ? arena_strndup(ev->a, n->text, n->textlen) : NULL;
        int is = type ? groovy_instance_of(v, type) : -1;
        if (is < 0) return dyn(ev, c, n, "instanceof");
        return value_bool(ev->a, (n->flags & NF_NEGATED) ? !is : is);
    }
    case N_POSTFIX:
        /* x++ / x-- on a local of running code: the old value, the local updated */
        return step_local(ev, c, n, n->a, n->op, 1);
    default:
        return dyn(ev, c, n, "expression");
    }
}


/* ---------------- entry points ---------------- */

Value *eval_mark_secret(Eval *ev, Value *v)
{
    Value *marked = derive_env(ev, v, VALUE_ENV_SECRET, 0);
    return marked ? marked : v;
}

Value *eval_env_read(Eval *ev, Value *v)
{
    if (v && v->env && (v->kind == V_STRING || v->kind == V_PATH) && ev->env_texts)
        secret_set_add_env(ev->env_texts, ev->a, v->s, v->len, v->env);
    return v;
}

Value *eval_expr(Eval *ev, EvalFrame *f, const Node *n)
{
    return eval(ev, f, n);
}

int eval_define_function(Eval *ev, const Node *func, const Source *src)
{
    if (ev->nfuncs == ev->capfuncs) {
        size_t cap = ev->capfuncs ? ev->capfuncs * 2 : 8;
        EvalFunc *f = arena_alloc(ev->a, cap * sizeof *f);
        if (!f) return 0;
        if (ev->nfuncs) memcpy(f, ev->funcs, ev->nfuncs * sizeof *f);
        ev->funcs = f;
        ev->capfuncs = cap;
    }
    ev->funcs[ev->nfuncs].name = func->text;
    ev->funcs[ev->nfuncs].node = func;
    ev->funcs[ev->nfuncs].src = src;
    ev->nfuncs++;
    return 1;
}
