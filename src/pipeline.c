/* pipeline — container directives of .nf files (see pipeline.h). */
#include "pipeline.h"

#include <dirent.h>
#include <pthread.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>

#include "alloc.h"
#include "image.h"
#include "lex.h"
#include "parse.h"
#include "strbuf.h"

#define EV_MAX_DEPTH 48          /* evaluator recursion bound (each frame holds value sets) */
#define SCAN_MAX_DEPTH 24        /* directory nesting */
#define SCAN_MAX_NEST 64         /* nested if-blocks inside one process */

/* ---------------- the evaluator ----------------
 *
 * Not eval.h, on purpose (for now): eval.c answers one value per expression
 * (or V_DYNAMIC), as a config needs. A container directive must answer a SET
 * of candidates, one per branch an unknown condition leaves open (nf-core's
 * `workflow.containerEngine == 'singularity' && !task.ext.… ? url : image`
 * gives both), each with the span of the literal it came from, for every
 * engine. Sharing would need eval.c to fork on an unknown condition; until
 * it does, this evaluator stays small and only reads what directives write
 * (literals, GStrings, params, workflow.containerEngine, !, &&, ||, ?:, in). */

typedef enum EvKind { EV_UNKNOWN, EV_NULL, EV_BOOL, EV_INT, EV_STR, EV_LIST } EvKind;

typedef struct Ev {
    EvKind kind;
    int b;
    long long i;
    const char *s;          /* EV_STR (arena, not NUL-terminated necessarily); EV_UNKNOWN: why */
    size_t len;
    struct Ev *items;       /* EV_LIST (arena) */
    size_t nitems;
    size_t start, end;      /* EV_STR: span of the text's origin */
    const char *null_param; /* EV_NULL, or EV_STR holding its "null": the unset param it came from */
} Ev;

typedef struct EvSet {
    Ev v[PIPE_MAX_CANDIDATES];
    size_t n;
} EvSet;

typedef struct EvCtx {
    Arena *a;
    const Source *src;
    const Value *params;
    const char *engine;     /* workflow.containerEngine */
    const Value *ext;       /* task.ext of the process (a scope), when known */
    const Value *declared;  /* params the pipeline's scripts assign (scope), or NULL */
    const Value *const *ext_maybe;
    size_t next_maybe;
    int ext_known;          /* 1: a key missing from ext is null, as for a real task */
    int closures;           /* ext closures being evaluated (bounded) */
    int oom;
} EvCtx;

static void set_unknown(EvSet *s, const char *why)
{
    s->n = 1;
    memset(&s->v[0], 0, sizeof s->v[0]);
    s->v[0].kind = EV_UNKNOWN;
    s->v[0].s = why;
}

static void set_push(EvSet *s, const Ev *v)
{
    if (s->n < PIPE_MAX_CANDIDATES) s->v[s->n++] = *v;
    else set_unknown(s, "too many alternatives");
}

static const char *set_first_why(const EvSet *s)
{
    for (size_t i = 0; i < s->n; i++)
        if (s->v[i].kind == EV_UNKNOWN) return s->v[i].s;
    return NULL;
}

/* Groovy truth: 1, 0, or -1 unknown. */
static int ev_truth(const Ev *v)
{
    switch (v->kind) {
    case EV_NULL: return 0;
    case EV_BOOL: return v->b != 0;
    case EV_INT: return v->i != 0;
    case EV_STR: return v->len > 0;
    case EV_LIST: return v->nitems > 0;
    default: return -1;
    }
}

/* Truth of a whole set: 1 all true, 0 all false, -1 mixed or unknown. */
static int set_truth(const EvSet *s)
{
    int t = -2;
    for (size_t i = 0; i < s->n; i++) {
        int x = ev_truth(&s->v[i]);
        if (x < 0) return -1;
        if (t == -2) t = x;
        else if (t != x) return -1;
    }
    return t == -2 ? -1 : t;
}

static Ev ev_bool(int b)
{
    Ev v;
    memset(&v, 0, sizeof v);
    v.kind = EV_BOOL;
    v.b = b;
    return v;
}

static Ev ev_unknown(const char *why)
{
    Ev v;
    memset(&v, 0, sizeof v);
    v.kind = EV_UNKNOWN;
    v.s = why;
    return v;
}

/* Equality of known values: 1, 0, -1 unknown. */
static int ev_equal(const Ev *x, const Ev *y)
{
    if (x->kind == EV_UNKNOWN || y->kind == EV_UNKNOWN) return -1;
    if (x->kind != y->kind) return 0;
    switch (x->kind) {
    case EV_NULL: return 1;
    case EV_BOOL: return (x->b != 0) == (y->b != 0);
    case EV_INT: return x->i == y->i;
    case EV_STR: return x->len == y->len && memcmp(x->s, y->s, x->len) == 0;
    case EV_LIST:
        if (x->nitems != y->nitems) return 0;
        for (size_t i = 0; i < x->nitems; i++) {
            int e = ev_equal(&x->items[i], &y->items[i]);
            if (e != 1) return e;
        }
        return 1;
    default: return -1;
    }
}

/* Groovy toString of a known scalar into b; 0 when there is none. */
static int ev_to_string(StrBuf *b, const Ev *v)
{
    switch (v->kind) {
    case EV_NULL: strbuf_puts(b, "null"); return 1;
    case EV_BOOL: strbuf_puts(b, v->b ? "true" : "false"); return 1;
    case EV_INT: strbuf_printf(b, "%lld", v->i); return 1;
    case EV_STR: strbuf_append(b, v->s, v->len); return 1;
    default: return 0;
    }
}

static const char *why_name(EvCtx *c, const char *prefix, const Node *n)
{
    const char *w = arena_printf(c->a, "%s%.*s", prefix, (int)(n->end - n->start), c->src->text + n->start);
    if (!w) { c->oom = 1; return "out of memory"; }
    return w;
}

/* Dotted name of an N_IDENT/N_PROP chain into buf; 0 when it is not one. */
static int dotted_name(const Node *n, StrBuf *b, int depth)
{
    if (!n || depth > 64) return 0;
    if (n->kind == N_IDENT) { strbuf_append(b, n->text, n->textlen); return 1; }
    if (n->kind == N_PROP && !(n->flags & NF_SPREAD)) {
        if (!dotted_name(n->a, b, depth + 1)) return 0;
        strbuf_putc(b, '.');
        strbuf_append(b, n->text, n->textlen);
        return 1;
    }
    return 0;
}

static Ev value_to_ev(EvCtx *c, const Value *v, const Node *n)
{
    Ev e;
    memset(&e, 0, sizeof e);
    e.kind = EV_UNKNOWN;
    e.s = why_name(c, "", n);
    if (!v) return e;
    switch (v->kind) {
    case V_NULL: e.kind = EV_NULL; break;
    case V_BOOL: e.kind = EV_BOOL; e.b = v->b; break;
    case V_INT: e.kind = EV_INT; e.i = v->i; break;
    case V_STRING: case V_PATH:
        e.kind = EV_STR; e.s = v->s; e.len = v->len; e.start = n->start; e.end = n->end;
        break;
    default: break;   /* dynamic, closures, scopes, lists: unknown */
    }
    return e;
}

/* params.a.b / workflow.containerEngine / anything else (unknown). */
static void eval(EvCtx *c, const Node *n, int depth, EvSet *out);

#define EV_MAX_CLOSURES 8        /* nested ext closures (an ext closure reading task.ext) */

/* task.ext.KEY of a process whose selectors are known: the value the config
 * gives it, null when none does. A closure (`ext.container = { -> … }`) is
 * evaluated as Nextflow does for each task: with the same engine, params and
 * task.ext. Its results point at the `task.ext.KEY` text of the directive. */
static void eval_ext(EvCtx *c, const Node *n, const char *key, int depth, EvSet *out)
{
    const Value *v = c->ext && (c->ext->kind == V_SCOPE || c->ext->kind == V_MAP) ? value_get(c->ext, key) : NULL;
    Ev e;
    memset(&e, 0, sizeof e);
    out->n = 0;
    for (size_t i = 0; i < c->next_maybe; i++)
        if (c->ext_maybe[i] && value_get(c->ext_maybe[i], key)) {
            set_unknown(out, why_name(c, "", n));   /* a selector on qualified names may set it */
            return;
        }
    if (!v) { e.kind = EV_NULL; set_push(out, &e); return; }
    if (v->kind != V_CLOSURE) { e = value_to_ev(c, v, n); set_push(out, &e); return; }
    if (!v->src || v->end <= v->start || c->closures >= EV_MAX_CLOSURES) {
        set_unknown(out, why_name(c, "", n));
        return;
    }
    Node *body = parse_expression_range(c->a, v->src, v->start, v->end, NULL);
    if (!body) { c->oom = 1; set_unknown(out, "out of memory"); return; }
    const Source *saved = c->src;
    c->src = v->src;
    c->closures++;
    eval(c, body, depth + 1, out);
    c->closures--;
    c->src = saved;
    for (size_t i = 0; i < out->n; i++) {
        if (out->v[i].kind == EV_STR) { out->v[i].start = n->start; out->v[i].end = n->end; }
        else if (out->v[i].kind == EV_UNKNOWN && !c->oom) {
            /* the reason named text of the config; say which ext it was */
            out->v[i].s = why_name(c, "", n);
        }
    }
}

static void eval_name(EvCtx *c, const Node *n, int depth, EvSet *out)
{
    StrBuf b = STRBUF_INIT;
    if (!dotted_name(n, &b, 0) || strbuf_failed(&b)) {
        if (strbuf_failed(&b)) c->oom = 1;
        strbuf_free(&b);
        set_unknown(out, why_name(c, "", n));
        return;
    }
    const char *name = strbuf_cstr(&b);
    out->n = 0;
    if (!strcmp(name, "workflow.containerEngine")) {
        Ev e;
        memset(&e, 0, sizeof e);
        e.kind = EV_STR;
        e.s = c->engine;
        e.len = strlen(c->engine);
        e.start = n->start;
        e.end = n->end;
        set_push(out, &e);
    } else if (!strncmp(name, "task.ext.", 9) && c->ext_known && name[9] && !strchr(name + 9, '.')) {
        eval_ext(c, n, name + 9, depth, out);
    } else if (!strncmp(name, "params.", 7) && c->params) {
        const Value *v = c->params;
        const char *p = name + 7;
        while (v && *p) {
            const char *dot = strchr(p, '.');
            size_t len = dot ? (size_t)(dot - p) : strlen(p);
            Entry *en = (v->kind == V_SCOPE || v->kind == V_MAP) ? value_entry(v, p, len) : NULL;
            v = en ? en->val : NULL;
            p = dot ? dot + 1 : p + len;
        }
        if (!v && c->ext_known && !strchr(name + 7, '.') &&
            !(c->declared && (value_get(c->declared, name + 7) || value_get(c->declared, "*")))) {
            /* set nowhere (config, command line, scripts): Nextflow reads null */
            Ev e;
            memset(&e, 0, sizeof e);
            e.kind = EV_NULL;
            e.null_param = arena_strdup(c->a, name);
            if (!e.null_param) c->oom = 1;
            set_push(out, &e);
        } else if (!v) {
            const char *why = arena_printf(c->a, "%s is not set", name);
            if (!why) c->oom = 1;
            set_unknown(out, why ? why : "params");
        } else {
            Ev e = value_to_ev(c, v, n);
            set_push(out, &e);
        }
    } else {
        const char *why = arena_strdup(c->a, name);
        if (!why) c->oom = 1;
        set_unknown(out, why ? why : "name");
    }
    strbuf_free(&b);
}

static void eval_binary(EvCtx *c, const Node *n, int depth, EvSet *out)
{
    EvSet l, r;
    eval(c, n->a, depth + 1, &l);
    /* && and || short-circuit on a known left side. */
    if (n->op == TK_AND || n->op == TK_OR) {
        int lt = set_truth(&l);
        if (n->op == TK_AND && lt == 0) { out->n = 0; Ev f = ev_bool(0); set_push(out, &f); return; }
        if (n->op == TK_OR && lt == 1) { out->n = 0; Ev t = ev_bool(1); set_push(out, &t); return; }
        eval(c, n->b, depth + 1, &r);
        int rt = set_truth(&r);
        out->n = 0;
        Ev v;
        if (n->op == TK_AND) {
            if (rt == 0) v = ev_bool(0);
            else if (lt == 1 && rt == 1) v = ev_bool(1);
            else v = ev_unknown(lt < 0 ? set_first_why(&l) : set_first_why(&r));
        } else {
            if (rt == 1) v = ev_bool(1);
            else if (lt == 0 && rt == 0) v = ev_bool(0);
            else v = ev_unknown(lt < 0 ? set_first_why(&l) : set_first_why(&r));
        }
        if (v.kind == EV_UNKNOWN && !v.s) v.s = "condition";
        set_push(out, &v);
        return;
    }
    eval(c, n->b, depth + 1, &r);
    out->n = 0;
    for (size_t i = 0; i < l.n; i++) {
        for (size_t j = 0; j < r.n; j++) {
            const Ev *x = &l.v[i], *y = &r.v[j];
            Ev v = ev_unknown(x->kind == EV_UNKNOWN ? x->s : y->s);
            switch (n->op) {
            case TK_EQ: case TK_NE: {
                int e = ev_equal(x, y);
                if (e >= 0) v = ev_bool(n->op == TK_EQ ? e : !e);
                break;
            }
            case TK_KW_IN: case TK_NOT_IN: {
                if (x->kind == EV_UNKNOWN || y->kind != EV_LIST) break;
                int found = 0, unsure = 0;
                for (size_t k = 0; k < y->nitems; k++) {
                    int e = ev_equal(x, &y->items[k]);
                    if (e == 1) found = 1;
                    else if (e < 0) unsure = 1;
                }
                if (found || !unsure) v = ev_bool(n->op == TK_KW_IN ? found : !found);
                break;
            }
            case TK_PLUS:
                if (x->kind == EV_STR || y->kind == EV_STR) {
                    StrBuf b = STRBUF_INIT;
                    if (ev_to_string(&b, x) && ev_to_string(&b, y)) {
                        char *s = arena_strndup(c->a, b.data ? b.data : "", b.len);
                        if (!s || strbuf_failed(&b)) c->oom = 1;
                        else {
                            memset(&v, 0, sizeof v);
                            v.kind = EV_STR; v.s = s; v.len = b.len;
                            v.start = n->start; v.end = n->end;
                            v.null_param = x->null_param ? x->null_param : y->null_param;
                        }
                    }
                    strbuf_free(&b);
                } else if (x->kind == EV_INT && y->kind == EV_INT) {
                    memset(&v, 0, sizeof v);
                    v.kind = EV_INT; v.i = x->i + y->i;
                }
                break;
            default:
                v = ev_unknown(why_name(c, "", n));
                break;
            }
            if (v.kind == EV_UNKNOWN && !v.s) v.s = "expression";
            set_push(out, &v);
        }
    }
}

/* "a${x}b": the product of every part's alternatives, concatenated. */
static void eval_gstring(EvCtx *c, const Node *n, int depth, EvSet *out)
{
    EvSet acc;
    acc.n = 1;
    memset(&acc.v[0], 0, sizeof acc.v[0]);
    acc.v[0].kind = EV_STR;
    acc.v[0].s = "";
    acc.v[0].start = n->start;
    acc.v[0].end = n->end;
    /* Which part carries the text: when only one part is non-empty, the
     * result keeps that part's span (the branch literal of a ternary). */
    size_t contributing = 0;
    for (size_t k = 0; k < n->nkids; k++) {
        const Node *part = n->kids[k];
        if (part && part->kind == N_STRING && part->textlen == 0) continue;
        contributing++;
    }
    for (size_t k = 0; k < n->nkids; k++) {
        const Node *part = n->kids[k];
        if (part && part->kind == N_STRING && part->textlen == 0) continue;
        EvSet ps;
        if (!part) set_unknown(&ps, "expression");
        else eval(c, part, depth + 1, &ps);
        EvSet next;
        next.n = 0;
        for (size_t i = 0; i < acc.n; i++) {
            for (size_t j = 0; j < ps.n; j++) {
                const Ev *x = &acc.v[i], *y = &ps.v[j];
                if (x->kind == EV_UNKNOWN) { set_push(&next, x); continue; }
                StrBuf b = STRBUF_INIT;
                Ev v;
                if (ev_to_string(&b, x) && ev_to_string(&b, y)) {
                    char *s = arena_strndup(c->a, b.data ? b.data : "", b.len);
                    if (!s || strbuf_failed(&b)) { c->oom = 1; v = ev_unknown("out of memory"); }
                    else {
                        memset(&v, 0, sizeof v);
                        v.kind = EV_STR; v.s = s; v.len = b.len;
                        v.null_param = x->null_param ? x->null_param : y->null_param;
                        if (contributing == 1 && y->kind == EV_STR && y->end > y->start) {
                            v.start = y->start; v.end = y->end;
                        } else {
                            v.start = n->start; v.end = n->end;
                        }
                    }
                } else {
                    v = ev_unknown(y->kind == EV_UNKNOWN && y->s ? y->s : "interpolation");
                }
                strbuf_free(&b);
                set_push(&next, &v);
            }
        }
        acc = next;
    }
    *out = acc;
}

static void eval(EvCtx *c, const Node *n, int depth, EvSet *out)
{
    out->n = 0;
    if (!n) { set_unknown(out, "expression"); return; }
    if (depth > EV_MAX_DEPTH) { set_unknown(out, "expression nested too deeply"); return; }
    Ev v;
    memset(&v, 0, sizeof v);
    switch (n->kind) {
    case N_STRING:
        v.kind = EV_STR; v.s = n->text ? n->text : ""; v.len = n->textlen;
        v.start = n->start; v.end = n->end;
        set_push(out, &v);
        return;
    case N_INT:
        v.kind = EV_INT; v.i = strtoll(n->text ? n->text : "0", NULL, 0);
        set_push(out, &v);
        return;
    case N_BOOL:
        v = ev_bool(n->text && !strcmp(n->text, "true"));
        set_push(out, &v);
        return;
    case N_NULL:
        v.kind = EV_NULL;
        set_push(out, &v);
        return;
    case N_GSTRING:
        eval_gstring(c, n, depth, out);
        return;
    case N_PAREN:
    case N_CAST:
        eval(c, n->a, depth + 1, out);
        return;
    case N_IDENT:
    case N_PROP:
        eval_name(c, n, depth, out);
        return;
    case N_UNARY:
        if (n->op == TK_NOT) {
            EvSet in;
            eval(c, n->a, depth + 1, &in);
            for (size_t i = 0; i < in.n; i++) {
                int t = ev_truth(&in.v[i]);
                Ev r = t < 0 ? ev_unknown(in.v[i].s ? in.v[i].s : "condition") : ev_bool(!t);
                set_push(out, &r);
            }
            return;
        }
        set_unknown(out, why_name(c, "", n));
        return;
    case N_BINARY:
        eval_binary(c, n, depth, out);
        return;
    case N_TERNARY:
    case N_ELVIS: {
        EvSet cond;
        eval(c, n->a, depth + 1, &cond);
        int t = set_truth(&cond);
        const Node *yes = n->kind == N_TERNARY ? n->b : NULL;
        const Node *no = n->kind == N_TERNARY ? n->c : n->b;
        if (t != 0) {
            EvSet s;
            if (yes) eval(c, yes, depth + 1, &s);
            else {   /* elvis: the condition's own truthy values */
                s.n = 0;
                for (size_t i = 0; i < cond.n; i++)
                    if (ev_truth(&cond.v[i]) != 0) set_push(&s, &cond.v[i]);
            }
            for (size_t i = 0; i < s.n; i++) set_push(out, &s.v[i]);
        }
        if (t != 1) {
            EvSet s;
            eval(c, no, depth + 1, &s);
            for (size_t i = 0; i < s.n; i++) set_push(out, &s.v[i]);
        }
        return;
    }
    case N_LIST: {
        Ev *items = n->nkids ? arena_alloc(c->a, n->nkids * sizeof *items) : NULL;
        if (n->nkids && !items) { c->oom = 1; set_unknown(out, "out of memory"); return; }
        for (size_t k = 0; k < n->nkids; k++) {
            EvSet s;
            eval(c, n->kids[k], depth + 1, &s);
            items[k] = s.n == 1 ? s.v[0] : ev_unknown("list element");
        }
        v.kind = EV_LIST; v.items = items; v.nitems = n->nkids;
        set_push(out, &v);
        return;
    }
    case N_CLOSURE: {
        /* `{ expr }`: a closure of one expression evaluates to it. */
        const Node *body = n->a;
        if (body && body->kind == N_BODY && body->nkids == 1 && body->kids[0]) {
            const Node *st = body->kids[0];
            if ((st->kind == N_EXPR_STMT || st->kind == N_RETURN) && st->a) {
                eval(c, st->a, depth + 1, out);
                return;
            }
        }
        set_unknown(out, "closure");
        return;
    }
    case N_CALL:
        set_unknown(out, why_name(c, "method call ", n->a ? n->a : n));
        return;
    default:
        set_unknown(out, why_name(c, "", n));
        return;
    }
}

static int cand_add(Arena *a, PipeCandidate **arr, size_t *n, size_t *cap, const PipeCandidate *c)
{
    for (size_t i = 0; i < *n; i++) {
        PipeCandidate *o = &(*arr)[i];
        if (o->dynamic == c->dynamic && o->len == c->len && memcmp(o->text, c->text, c->len) == 0) {
            o->engines |= c->engines;
            return 0;
        }
    }
    if (*n >= PIPE_MAX_CANDIDATES) return 0;
    if (*n == *cap) {
        size_t nc = *cap ? *cap * 2 : 4;
        PipeCandidate *na = arena_alloc(a, nc * sizeof *na);
        if (!na) return -1;
        if (*n) memcpy(na, *arr, *n * sizeof *na);
        *arr = na;
        *cap = nc;
    }
    (*arr)[(*n)++] = *c;
    return 0;
}

int pipeline_eval(Arena *a, const Source *src, const Node *expr, const Value *params,
                  const Node *const *guards, const int *polarity, size_t nguards,
                  PipeCandidate **out)
{
    PipeEvalEnv env;
    memset(&env, 0, sizeof env);
    env.params = params;
    return pipeline_eval_env(a, src, expr, &env, guards, polarity, nguards, out);
}

int pipeline_eval_env(Arena *a, const Source *src, const Node *expr, const PipeEvalEnv *env,
                      const Node *const *guards, const int *polarity, size_t nguards,
                      PipeCandidate **out)
{
    PipeCandidate *arr = NULL;
    size_t n = 0, cap = 0;
    EvCtx c;
    memset(&c, 0, sizeof c);
    c.a = a;
    c.src = src;
    c.params = env->params;
    c.ext = env->ext;
    c.ext_known = env->ext_known;
    c.declared = env->declared;
    c.ext_maybe = env->ext_maybe;
    c.next_maybe = env->next_maybe;
    EvSet *s = np_malloc(sizeof *s);
    if (!s) return -1;
    for (int e = IMAGE_ENGINE_DOCKER; e <= IMAGE_ENGINE_SHIFTER; e++) {
        c.engine = image_engine_str((ImageEngine)e);
        int applies = 1;
        for (size_t g = 0; g < nguards && applies; g++) {
            eval(&c, guards[g], 0, s);
            int t = set_truth(s);
            if (t >= 0 && t != (polarity[g] ? 1 : 0)) applies = 0;
        }
        if (!applies) continue;
        eval(&c, expr, 0, s);
        for (size_t i = 0; i < s->n; i++) {
            const Ev *v = &s->v[i];
            PipeCandidate pc;
            memset(&pc, 0, sizeof pc);
            pc.engines = 1u << e;
            if (v->kind == EV_NULL) continue;      /* `container null`: no container */
            if (v->kind == EV_STR) {
                pc.text = v->s;
                pc.len = v->len;
                pc.null_param = v->null_param;
                pc.start = v->end > v->start ? v->start : expr->start;
                pc.end = v->end > v->start ? v->end : expr->end;
            } else {
                pc.dynamic = 1;
                pc.why = v->kind == EV_UNKNOWN ? (v->s ? v->s : "expression") : "not a string";
                pc.text = src->text + expr->start;
                pc.len = expr->end - expr->start;
                pc.start = expr->start;
                pc.end = expr->end;
            }
            if (cand_add(a, &arr, &n, &cap, &pc) != 0) { np_free(s); return -1; }
        }
        if (c.oom) break;
    }
    np_free(s);
    if (c.oom) return -1;
    /* Dynamic texts point into the source; copy them so callers may keep
     * candidates without the Source when they wish (cheap, bounded). */
    for (size_t i = 0; i < n; i++) {
        if (!arr[i].dynamic) continue;
        char *t = arena_strndup(a, arr[i].text, arr[i].len);
        if (!t) return -1;
        arr[i].text = t;
    }
    *out = arr;
    return (int)n;
}

/* ---------------- the scanner ---------------- */

typedef struct Toks {
    Token *t;
    size_t n, cap;
    size_t *words;     /* indexes of the `params`, `include` and `workflow` words */
    size_t nwords, capwords;
} Toks;

static int toks_push(Toks *k, Token t)
{
    Token *nt = np_grow(k->t, k->n, &k->cap, sizeof *nt, 256);
    if (!nt) return -1;
    k->t = nt;
    k->t[k->n++] = t;
    return 0;
}

typedef struct Scanner {
    PipelineScan *scan;
    const Source *src;
    const Value *params;
    int later;                /* reading ahead: keep directives, params are not known yet */
    Toks k;
    const char *process;
    size_t proc;              /* index into scan->procs */
    const Node *guards[SCAN_MAX_NEST];
    int pol[SCAN_MAX_NEST];
    size_t nguards;
    int oom;
} Scanner;

static int tok_is(const Scanner *s, size_t i, const char *word)
{
    if (i >= s->k.n || s->k.t[i].kind != TK_IDENT) return 0;
    size_t len = strlen(word);
    return s->k.t[i].end - s->k.t[i].start == len && !memcmp(s->src->text + s->k.t[i].start, word, len);
}

static size_t skip_nl(const Scanner *s, size_t i, size_t hi)
{
    while (i < hi && s->k.t[i].kind == TK_NL) i++;
    return i;
}

/* Index of the token closing the bracket opened at i (same kind), or hi. */
static size_t match_close(const Scanner *s, size_t i, size_t hi)
{
    TokKind open = s->k.t[i].kind;
    TokKind close = open == TK_LBRACE ? TK_RBRACE : open == TK_LPAREN ? TK_RPAREN : TK_RBRACK;
    int depth = 0;
    for (size_t j = i; j < hi; j++) {
        TokKind k = s->k.t[j].kind;
        if (k == open) depth++;
        else if (k == close && --depth == 0) return j;
    }
    return hi;
}

static int continues_after(TokKind k)
{
    switch (k) {
    case TK_QUESTION: case TK_COLON: case TK_AND: case TK_OR: case TK_PLUS: case TK_MINUS:
    case TK_COMMA: case TK_ELVIS: case TK_EQ: case TK_NE: case TK_NOT: case TK_ASSIGN:
    case TK_DOT: case TK_SAFE_DOT: case TK_KW_IN: case TK_NOT_IN: case TK_STAR:
        return 1;
    default:
        return 0;
    }
}

static int continues_before(TokKind k)
{
    switch (k) {
    case TK_QUESTION: case TK_COLON: case TK_AND: case TK_OR: case TK_PLUS: case TK_ELVIS:
    case TK_DOT: case TK_SAFE_DOT:
        return 1;
    default:
        return 0;
    }
}

/* One past the last token of the statement starting at i. */
static size_t stmt_end(const Scanner *s, size_t i, size_t hi)
{
    int depth = 0;
    size_t j = i;
    while (j < hi) {
        TokKind k = s->k.t[j].kind;
        if (k == TK_LPAREN || k == TK_LBRACK || k == TK_LBRACE) depth++;
        else if (k == TK_RPAREN || k == TK_RBRACK || k == TK_RBRACE) {
            if (depth == 0) return j;
            depth--;
        } else if (depth == 0 && k == TK_SEMI) {
            return j;
        } else if (depth == 0 && k == TK_NL) {
            size_t nx = skip_nl(s, j, hi);
            int cont = j > i && continues_after(s->k.t[j - 1].kind);
            if (nx < hi && continues_before(s->k.t[nx].kind)) cont = 1;
            if (!cont) return j;
            j = nx;
            continue;
        }
        j++;
    }
    return hi;
}

static Node *parse_span(Scanner *s, size_t from_tok, size_t to_tok)
{
    if (from_tok >= to_tok) return NULL;
    size_t start = s->k.t[from_tok].start, end = s->k.t[to_tok - 1].end;
    return parse_expression_range(s->scan->arena, s->src, start, end, NULL);
}

/* Appends one candidate image of process `proc`. */
static int push_image(PipelineScan *sc, const PipeCandidate *c, const Source *src, size_t proc,
                      const char *process, size_t directive)
{
    PipeImage *ni = np_grow(sc->items, sc->len, &sc->cap, sizeof *ni, 64);
    if (!ni) return -1;
    sc->items = ni;
    PipeImage *im = &sc->items[sc->len++];
    im->c = *c;
    im->src = src;
    im->process = process;
    im->directive = directive;
    im->proc = proc;
    return 0;
}

static int keep_directive(Scanner *s, const Node *e, size_t kw)
{
    PipelineScan *sc = s->scan;
    PipeDirective *nd = np_grow(sc->dirs, sc->ndirs, &sc->capdirs, sizeof *nd, 64);
    if (!nd) return -1;
    sc->dirs = nd;
    PipeDirective *d = &sc->dirs[sc->ndirs];
    memset(d, 0, sizeof *d);
    d->process = s->proc;
    d->src = s->src;
    d->directive = kw;
    d->expr = e;
    d->nguards = s->nguards;
    if (s->nguards) {
        d->guards = arena_alloc(sc->arena, s->nguards * sizeof *d->guards);
        d->polarity = arena_alloc(sc->arena, s->nguards * sizeof *d->polarity);
        if (!d->guards || !d->polarity) return -1;
        memcpy(d->guards, s->guards, s->nguards * sizeof *d->guards);
        memcpy(d->polarity, s->pol, s->nguards * sizeof *d->polarity);
    }
    sc->ndirs++;
    return 0;
}

/* Evaluates d with env (a missing env->declared: the params the scripts
 * declare) into sc's items. Returns 0, or -1 when memory ran out. */
static int eval_directive(PipelineScan *sc, const PipeDirective *d, const PipeEvalEnv *env)
{
    PipeEvalEnv e = *env;
    if (!e.declared) e.declared = sc->declared;
    PipeCandidate *cands = NULL;
    int n = pipeline_eval_env(sc->arena, d->src, d->expr, &e, d->guards, d->polarity, d->nguards, &cands);
    if (n < 0) return -1;
    for (int i = 0; i < n; i++)
        if (push_image(sc, &cands[i], d->src, d->process, sc->procs[d->process].name, d->directive) != 0) return -1;
    return 0;
}

/* `label 'x'` and `conda …` of the current process. */
static void scan_label_conda(Scanner *s, size_t kw, size_t from, size_t to, int is_label)
{
    PipeProcess *p = &s->scan->procs[s->proc];
    if (from >= to) return;
    const Token *t = &s->k.t[from];
    int literal = to == from + 1 && t->kind == TK_STRING;
    (void)kw;
    if (!is_label) {
        if (to == from + 1 && s->k.t[from].kind == TK_KW_NULL) { if (p->conda < 0) p->conda = 0; return; }
        /* a string (also a GString over moduleDir) names packages or a file */
        int str = t->kind == TK_STRING || t->kind == TK_GSTRING;
        if (str) p->conda = 1;
        else if (p->conda == 0) p->conda = -1;
        return;
    }
    if (!literal || t->end - t->start < 2) { p->labels_unknown = 1; return; }
    const char **nl = arena_alloc(s->scan->arena, (p->nlabels + 1) * sizeof *nl);
    const char *lab = arena_strndup(s->scan->arena, s->src->text + t->start + 1, t->end - t->start - 2);
    if (!nl || !lab) { s->oom = 1; return; }
    if (p->nlabels) memcpy(nl, p->labels, p->nlabels * sizeof *nl);
    nl[p->nlabels++] = lab;
    p->labels = nl;
}

static void scan_container(Scanner *s, size_t kw, size_t from, size_t to)
{
    if (from >= to) return;           /* `container` with nothing after it: no image */
    Node *e = parse_span(s, from, to);
    if (!e) { s->oom = 1; return; }   /* the parser returns NULL only when memory ran out */
    if (keep_directive(s, e, s->k.t[kw].start) != 0) { s->oom = 1; return; }
    if (s->later || s->scan->defer) return;
    PipeEvalEnv env;
    memset(&env, 0, sizeof env);
    env.params = s->params;
    if (eval_directive(s->scan, &s->scan->dirs[s->scan->ndirs - 1], &env) != 0) s->oom = 1;
}

static void scan_block(Scanner *s, size_t lo, size_t hi);

/* Scans [lo, hi) under one more guard (when cond is non-NULL). */
static void scan_guarded(Scanner *s, const Node *cond, int polarity, size_t lo, size_t hi)
{
    if (s->nguards >= SCAN_MAX_NEST) return;
    s->guards[s->nguards] = cond;
    s->pol[s->nguards] = polarity;
    s->nguards++;
    scan_block(s, lo, hi);
    s->nguards--;
}

/* `if (c) {…} else if (d) {…} else {…}` starting at the `if` token; returns
 * the index after the chain. */
static size_t scan_if(Scanner *s, size_t i, size_t hi)
{
    size_t base = s->nguards;
    for (;;) {
        size_t lp = skip_nl(s, i + 1, hi);
        if (lp >= hi || s->k.t[lp].kind != TK_LPAREN) return i + 1;
        size_t rp = match_close(s, lp, hi);
        if (rp >= hi) return hi;
        Node *cond = parse_span(s, lp + 1, rp);
        if (!cond) return rp + 1;
        size_t body = skip_nl(s, rp + 1, hi);
        size_t after;
        if (body < hi && s->k.t[body].kind == TK_LBRACE) {
            size_t close = match_close(s, body, hi);
            scan_guarded(s, cond, 1, body + 1, close);
            after = close < hi ? close + 1 : hi;
        } else {
            size_t end = stmt_end(s, body, hi);
            scan_guarded(s, cond, 1, body, end);
            after = end;
        }
        /* Later branches run only when this condition was false. */
        if (s->nguards >= SCAN_MAX_NEST) break;
        s->guards[s->nguards] = cond;
        s->pol[s->nguards] = 0;
        s->nguards++;
        size_t el = skip_nl(s, after, hi);
        if (el < hi && s->k.t[el].kind == TK_SEMI) el = skip_nl(s, el + 1, hi);
        if (el >= hi || s->k.t[el].kind != TK_KW_ELSE) { s->nguards = base; return after; }
        size_t nx = skip_nl(s, el + 1, hi);
        if (nx < hi && s->k.t[nx].kind == TK_KW_IF) { i = nx; continue; }
        if (nx < hi && s->k.t[nx].kind == TK_LBRACE) {
            size_t close = match_close(s, nx, hi);
            scan_block(s, nx + 1, close);
            s->nguards = base;
            return close < hi ? close + 1 : hi;
        }
        size_t end = stmt_end(s, nx, hi);
        scan_block(s, nx, end);
        s->nguards = base;
        return end;
    }
    s->nguards = base;
    return hi;
}

/* Statements of a process body (or of an if-branch inside it). */
static void scan_block(Scanner *s, size_t lo, size_t hi)
{
    size_t i = lo;
    while (i < hi && !s->oom) {
        TokKind k = s->k.t[i].kind;
        int at_start = i == lo;
        if (!at_start) {
            TokKind p = s->k.t[i - 1].kind;
            at_start = p == TK_NL || p == TK_SEMI || p == TK_LBRACE || p == TK_RBRACE || p == TK_COLON;
        }
        if (k == TK_KW_IF && at_start) { i = scan_if(s, i, hi); continue; }
        if (k == TK_LBRACE) {   /* closures and other blocks: not directives */
            size_t close = match_close(s, i, hi);
            i = close < hi ? close + 1 : hi;
            continue;
        }
        if (at_start && (tok_is(s, i, "label") || tok_is(s, i, "conda")) && i + 1 < hi) {
            TokKind nk = s->k.t[i + 1].kind;
            if (nk == TK_STRING || nk == TK_GSTRING || nk == TK_IDENT || nk == TK_LPAREN) {
                size_t from = i + 1, end = stmt_end(s, i + 1, hi);
                int is_label = tok_is(s, i, "label");
                if (nk == TK_LPAREN && end > from + 1 && s->k.t[end - 1].kind == TK_RPAREN) from++, end--;
                scan_label_conda(s, i, from, end, is_label);
                i = end;
                continue;
            }
        }
        if (at_start && tok_is(s, i, "container") && i + 1 < hi) {
            TokKind nk = s->k.t[i + 1].kind;
            if (nk != TK_NL && nk != TK_ASSIGN && nk != TK_DOT && nk != TK_SAFE_DOT && nk != TK_COLON &&
                nk != TK_SEMI && nk != TK_RBRACE) {
                size_t end = stmt_end(s, i + 1, hi);
                scan_container(s, i, i + 1, end);
                i = end;
                continue;
            }
        }
        i++;
    }
}

/* `params.NAME = …` anywhere in a script declares NAME; a `params { }` block
 * (typed params) may declare any, so it marks them all ("*"). Token i is a
 * `params` word or not. */
static int note_declared_param(Scanner *s, size_t i)
{
    PipelineScan *sc = s->scan;
    if (i + 1 >= s->k.n || !tok_is(s, i, "params") ||
        (i > 0 && (s->k.t[i - 1].kind == TK_DOT || s->k.t[i - 1].kind == TK_SAFE_DOT)))
        return 0;
    const char *name = NULL;
    size_t len = 0;
    if (s->k.t[i + 1].kind == TK_LBRACE) {
        name = "*";
        len = 1;
    } else if (i + 3 < s->k.n && s->k.t[i + 1].kind == TK_DOT && s->k.t[i + 2].kind == TK_IDENT &&
               s->k.t[i + 3].kind == TK_ASSIGN) {
        name = s->src->text + s->k.t[i + 2].start;
        len = s->k.t[i + 2].end - s->k.t[i + 2].start;
    }
    if (!name) return 0;
    if (!sc->declared && !(sc->declared = value_new(sc->arena, V_SCOPE))) return -1;
    if (!value_entry(sc->declared, name, len)) {
        Value *yes = value_bool(sc->arena, 1);
        if (!yes || !value_set(sc->arena, sc->declared, name, len, yes, NULL)) return -1;
    }
    return 0;
}

/* Grows an arena array of `elem`-byte items to hold n + 1 (the old
 * block stays in the arena). NULL when memory ran out. */
static void *arena_grow(Arena *a, void *arr, size_t n, size_t *cap, size_t elem)
{
    if (n < *cap) return arr;
    size_t nc = *cap ? *cap * 2 : 16;
    void *na = arena_alloc(a, nc * elem);
    if (!na) return NULL;
    if (n) memcpy(na, arr, n * elem);
    *cap = nc;
    return na;
}

static const char *tok_text(Scanner *s, size_t i)
{
    const Token *t = &s->k.t[i];
    return arena_strndup(s->scan->arena, s->src->text + t->start, t->end - t->start);
}

/* The graph cannot be told from this file (the first reason is kept). */
static int graph_unknown(Scanner *s, const char *why)
{
    PipelineScan *sc = s->scan;
    if (sc->graph_unknown) return 0;
    sc->graph_unknown = arena_printf(sc->arena, "%s: %s", s->src->name, why);
    return sc->graph_unknown ? 0 : -1;
}

/* `include { A as B; C } from 'PATH'` when token i is its `include`: every
 * name, alias and the path (a path that is not a plain string makes the
 * graph unknown). */
static int note_include(Scanner *s, size_t i)
{
    PipelineScan *sc = s->scan;
    if (i + 1 >= s->k.n || s->k.t[i + 1].kind != TK_LBRACE || !tok_is(s, i, "include")) return 0;
    size_t close = match_close(s, i + 1, s->k.n);
    if (close >= s->k.n) return graph_unknown(s, "an include without its closing brace");
    size_t from = skip_nl(s, close + 1, s->k.n);
    const char *path = NULL;
    if (from + 1 < s->k.n && tok_is(s, from, "from") && s->k.t[from + 1].kind == TK_STRING) {
        const Token *t = &s->k.t[from + 1];
        size_t q = s->src->text[t->start] == s->src->text[t->start + 1] && t->end - t->start >= 6 ? 3 : 1;
        if (t->end - t->start >= 2 * q) {
            path = arena_strndup(sc->arena, s->src->text + t->start + q, t->end - t->start - 2 * q);
            if (!path) return -1;
            if (strchr(path, '\\')) path = NULL;
        }
    }
    if (!path) return graph_unknown(s, "an include whose path is not a plain string");
    for (size_t j = i + 2; j < close; j++) {
        if (s->k.t[j].kind != TK_IDENT) continue;
        size_t alias_at = j;
        if (j + 2 < close && s->k.t[j + 1].kind == TK_KW_AS && s->k.t[j + 2].kind == TK_IDENT) alias_at = j + 2;
        PipeInclude *inc = arena_grow(sc->arena, sc->includes, sc->nincludes, &sc->capincludes, sizeof *inc);
        if (!inc) return -1;
        sc->includes = inc;
        inc = &sc->includes[sc->nincludes];
        inc->src = s->src;
        inc->path = path;
        if (!(inc->name = tok_text(s, j)) || !(inc->alias = alias_at == j ? inc->name : tok_text(s, alias_at)))
            return -1;
        sc->nincludes++;
        if (alias_at != j) {
            const char **na = arena_grow(sc->arena, sc->aliases, sc->naliases, &sc->capaliases, sizeof *na);
            if (!na) return -1;
            sc->aliases = na;
            sc->aliases[sc->naliases++] = inc->alias;
        }
        j = alias_at;
    }
    return 0;
}

/* 1 when text[0, len) names an include of this file (from first_include on)
 * or a process or workflow it defines. */
static int names_component(const Scanner *s, const char *text, size_t len, size_t first_include,
                           size_t first_proc, size_t first_workflow)
{
    const PipelineScan *sc = s->scan;
    for (size_t k = first_include; k < sc->nincludes; k++)
        if (!strncmp(sc->includes[k].alias, text, len) && !sc->includes[k].alias[len]) return 1;
    for (size_t k = first_proc; k < sc->nprocs; k++)
        if (!strncmp(sc->procs[k].name, text, len) && !sc->procs[k].name[len]) return 1;
    for (size_t k = first_workflow; k < sc->nworkflows; k++)
        if (sc->workflows[k].name && !strncmp(sc->workflows[k].name, text, len) && !sc->workflows[k].name[len])
            return 1;
    return 0;
}

/* Marks name's first character and length (31: 31 or more) in lens. */
static void note_name_len(uint32_t *lens, const char *name)
{
    size_t len = strlen(name);
    unsigned char c0 = (unsigned char)name[0];
    if (c0 < 128) lens[c0] |= 1u << (len < 31 ? len : 31);
}

/* The `workflow [NAME] { … }` definitions of the file (their `workflow`
 * words are in k.words): first their names, then the names of components
 * each body mentions. */
static int note_workflows(Scanner *s, size_t first_include, size_t first_proc)
{
    PipelineScan *sc = s->scan;
    size_t first_workflow = sc->nworkflows;
    size_t *bodies = NULL, nbodies = 0;
    for (size_t w = 0; w < s->k.nwords; w++) {
        size_t i = s->k.words[w];
        if (!tok_is(s, i, "workflow")) continue;
        if (i > 0) {
            TokKind p = s->k.t[i - 1].kind;
            if (p != TK_NL && p != TK_SEMI && p != TK_RBRACE) continue;   /* workflow.x, a call argument … */
        }
        size_t br = i + 1, name_at = 0;
        if (br < s->k.n && s->k.t[br].kind == TK_IDENT) name_at = br++;
        br = skip_nl(s, br, s->k.n);
        if (br >= s->k.n || s->k.t[br].kind != TK_LBRACE) continue;
        size_t close = match_close(s, br, s->k.n);
        if (close >= s->k.n) { np_free(bodies); return graph_unknown(s, "a workflow without its closing brace"); }
        PipeWorkflow *wf = arena_grow(sc->arena, sc->workflows, sc->nworkflows, &sc->capworkflows, sizeof *wf);
        size_t *nb = np_realloc(bodies, (nbodies + 1) * 2 * sizeof *nb);
        if (!wf || !nb) { np_free(nb ? nb : bodies); return -1; }
        bodies = nb;
        sc->workflows = wf;
        wf = &sc->workflows[sc->nworkflows++];
        memset(wf, 0, sizeof *wf);
        wf->src = s->src;
        if (name_at && !(wf->name = tok_text(s, name_at))) { np_free(bodies); return -1; }
        bodies[2 * nbodies] = br;
        bodies[2 * nbodies + 1] = close;
        nbodies++;
    }
    /* the lengths of the file's component names by first character: most
     * identifiers of a body (channels, variables) are ruled out by it */
    uint32_t lens[128];
    memset(lens, 0, sizeof lens);
    for (size_t k = first_include; k < sc->nincludes; k++) note_name_len(lens, sc->includes[k].alias);
    for (size_t k = first_proc; k < sc->nprocs; k++) note_name_len(lens, sc->procs[k].name);
    for (size_t k = first_workflow; k < sc->nworkflows; k++)
        if (sc->workflows[k].name) note_name_len(lens, sc->workflows[k].name);
    int rc = 0;
    for (size_t b = 0; b < nbodies && rc == 0; b++) {
        PipeWorkflow *wf = &sc->workflows[first_workflow + b];
        size_t cap = 0;
        for (size_t j = bodies[2 * b] + 1; j < bodies[2 * b + 1] && rc == 0; j++) {
            const Token *t = &s->k.t[j];
            if (t->kind != TK_IDENT || s->k.t[j - 1].kind == TK_DOT || s->k.t[j - 1].kind == TK_SAFE_DOT) continue;
            const char *text = s->src->text + t->start;
            size_t len = t->end - t->start;
            unsigned char c0 = (unsigned char)text[0];
            if (c0 >= 128 || !(lens[c0] >> (len < 31 ? len : 31) & 1u)) continue;
            if (!names_component(s, text, len, first_include, first_proc, first_workflow)) continue;
            int seen = 0;
            for (size_t r = 0; r < wf->nrefs && !seen; r++) seen = !strncmp(wf->refs[r], text, len) && !wf->refs[r][len];
            if (seen) continue;
            const char **nr = arena_grow(sc->arena, wf->refs, wf->nrefs, &cap, sizeof *nr);
            if (!nr || !(nr[wf->nrefs] = tok_text(s, j))) { rc = -1; break; }
            wf->refs = nr;
            wf->nrefs++;
        }
    }
    np_free(bodies);
    return rc;
}

/* The tokens the scan looks at: blanks dropped, a comment kept only as the
 * line end it contains. Needs no config, so it can run ahead (PipelineRead).
 * Returns 0, or -1 when memory ran out (*k is then empty). */
static int lex_significant(const Source *src, Toks *k)
{
    Lexer lx;
    lex_init(&lx, src->text, 0, src->len);
    /* nf-core modules hold about one significant token per 6 bytes: one
     * allocation instead of a chain of growing copies */
    size_t guess = src->len / 6 + 64;
    if (!k->cap && guess > 256) {
        if (!(k->t = np_malloc(guess * sizeof *k->t))) return -1;
        k->cap = guess;
    }
    for (;;) {
        Token t = lex_next(&lx);
        if (t.kind == TK_EOF) break;
        if (t.kind == TK_WS) continue;
        if (t.kind == TK_COMMENT) {
            if (!(t.flags & TOKF_HAS_NL)) continue;
            t.kind = TK_NL;
        }
        /* `params`, `include` and `workflow` words, noted while lexing (a second pass
         * over the tokens costs more): the declared params and the aliases */
        size_t len = t.end - t.start;
        if (t.kind == TK_IDENT && ((len == 6 && src->text[t.start] == 'p') ||
                                   (len == 7 && src->text[t.start] == 'i') ||
                                   (len == 8 && src->text[t.start] == 'w'))) {
            size_t *nw = np_grow(k->words, k->nwords, &k->capwords, sizeof *nw, 64);
            if (!nw) goto oom;
            k->words = nw;
            k->words[k->nwords++] = k->n;
        }
        if (toks_push(k, t) != 0) goto oom;
    }
    return 0;
oom:
    np_free(k->t);
    np_free(k->words);
    memset(k, 0, sizeof *k);
    return -1;
}

/* Finds the process bodies of src in its tokens `k` (taken over and freed),
 * the params its scripts declare and its include aliases. Container
 * directives are kept in scan->dirs and evaluated with params at once,
 * unless the scan defers them or `later` is set (reading ahead: the params
 * are not known yet). */
static int scan_tokens(PipelineScan *scan, const Source *src, Toks k, const Value *params, int later)
{
    Scanner s;
    memset(&s, 0, sizeof s);
    s.scan = scan;
    s.src = src;
    s.params = params;
    s.later = later;
    s.k = k;
    size_t first_include = scan->nincludes, first_proc = scan->nprocs;
    for (size_t w = 0; w < s.k.nwords && !s.oom; w++)
        if (note_declared_param(&s, s.k.words[w]) != 0 || note_include(&s, s.k.words[w]) != 0) s.oom = 1;
    for (size_t i = 0; i + 2 < s.k.n && !s.oom; i++) {
        if (!tok_is(&s, i, "process")) continue;
        if (i > 0) {
            TokKind p = s.k.t[i - 1].kind;
            if (p == TK_DOT || p == TK_SAFE_DOT) continue;
        }
        size_t nm = i + 1;
        if (s.k.t[nm].kind != TK_IDENT && s.k.t[nm].kind != TK_STRING) continue;
        size_t br = skip_nl(&s, nm + 1, s.k.n);
        if (br >= s.k.n || s.k.t[br].kind != TK_LBRACE) continue;
        const Token *nt = &s.k.t[nm];
        size_t a = nt->start, b = nt->end;
        if (nt->kind == TK_STRING && b - a >= 2) { a++; b--; }
        s.process = arena_strndup(scan->arena, src->text + a, b - a);
        if (!s.process) { s.oom = 1; break; }
        scan->nprocesses++;
        PipeProcess *np = np_grow(scan->procs, scan->nprocs, &scan->capprocs, sizeof *np, 32);
        if (!np) { s.oom = 1; break; }
        scan->procs = np;
        s.proc = scan->nprocs++;
        PipeProcess *pp = &scan->procs[s.proc];
        memset(pp, 0, sizeof *pp);
        pp->name = s.process;
        pp->src = src;
        pp->start = a;
        pp->end = b;
        size_t close = match_close(&s, br, s.k.n);
        s.nguards = 0;
        scan_block(&s, br + 1, close);
        i = close < s.k.n ? close : s.k.n;
    }
    if (!s.oom && note_workflows(&s, first_include, first_proc) != 0) s.oom = 1;
    np_free(s.k.t);
    np_free(s.k.words);
    return s.oom ? -1 : 0;
}

static int scan_source(PipelineScan *scan, const Source *src, const Value *params)
{
    Toks k = {0};
    if (lex_significant(src, &k) != 0) return -1;
    return scan_tokens(scan, src, k, params, 0);
}

static int scan_add_source(PipelineScan *scan, Source *src)
{
    Source **ns = np_grow(scan->sources, scan->nsources, &scan->capsources, sizeof *ns, 16);
    if (!ns) { source_free(src); return -1; }
    scan->sources = ns;
    scan->sources[scan->nsources++] = src;
    return 0;
}

static int scan_ensure_arena(PipelineScan *scan)
{
    if (!scan->arena) scan->arena = arena_new();
    return scan->arena ? 0 : -1;
}

int pipeline_scan_text(PipelineScan *scan, const char *name, const char *text, size_t len,
                       const Value *params)
{
    if (scan_ensure_arena(scan) != 0) return -1;
    Source *src = source_from_memory(name, NULL, text, len);
    if (!src) return -1;
    if (scan_add_source(scan, src) != 0) return -1;
    return scan_source(scan, src, params);
}

/* Entries are stored as a type byte then the name: sort by the name. */
static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a + 1, *(char *const *)b + 1);
}

static int has_nf_suffix(const char *name)
{
    size_t n = strlen(name);
    return n > 3 && !strcmp(name + n - 3, ".nf");
}

/* Called with each .nf file read, which it takes over. Returns 0, or -1
 * when memory ran out. */
typedef int (*WalkFileFn)(void *ctx, Source *src);

/* What one walk has read so far, against its caps; the first file a cap
 * kept out ends the walk and is recorded in *scan (PipelineScan.capped). */
typedef struct WalkState {
    size_t files, bytes;
    PipelineScan *scan;
    WalkFileFn on_file;
    void *ctx;
} WalkState;

/* Records that `path` and every file after it are not read (cap: PIPE_CAP_*).
 * Returns 0, -1 when memory ran out. */
static int walk_stop(WalkState *w, int cap, const char *path)
{
    w->scan->capped = cap;
    return (w->scan->first_unread = np_strdup(path)) ? 0 : -1;
}

/* Reads one .nf file within the caps and hands it on. */
static int walk_file(WalkState *w, const char *path)
{
    if (w->files >= PIPE_MAX_FILES) return walk_stop(w, PIPE_CAP_FILES, path);
    int err = 0;
    Source *src = source_load(path, NULL, &err);
    if (!src) return err == SOURCE_ENOMEM ? -1 : 0;
    if (src->len > PIPE_MAX_TOTAL_BYTES - w->bytes) {
        source_free(src);
        return walk_stop(w, PIPE_CAP_BYTES, path);
    }
    w->files++;
    w->bytes += src->len;
    return w->on_file(w->ctx, src);
}

static int walk(const char *dir, int depth, WalkState *w)
{
    if (depth > SCAN_MAX_DEPTH || w->scan->capped) return 0;
    DIR *d = opendir(dir);
    if (!d) return depth == 0 ? -2 : 0;
    char **names = NULL;
    size_t n = 0, cap = 0;
    int rc = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.') continue;   /* ., .., .git, .nextflow, ... */
        /* what the listing says the entry is saves an lstat per entry: only
         * directories, .nf files and what the file system leaves unsaid */
        unsigned char type = de->d_type;
        if (type != DT_DIR && type != DT_UNKNOWN && !has_nf_suffix(de->d_name)) continue;
        char **nn = np_grow(names, n, &cap, sizeof *nn, 32);
        if (!nn) { rc = -1; break; }
        names = nn;
        /* the type travels in front of the name */
        size_t len = strlen(de->d_name);
        if (!(names[n] = np_malloc(len + 2))) { rc = -1; break; }
        names[n][0] = (char)type;
        memcpy(names[n] + 1, de->d_name, len + 1);
        n++;
    }
    closedir(d);
    if (rc == 0 && n) qsort(names, n, sizeof *names, name_cmp);
    for (size_t i = 0; i < n && rc == 0 && !w->scan->capped; i++) {
        const char *name = names[i] + 1;
        unsigned char type = (unsigned char)names[i][0];
        size_t plen = strlen(dir) + strlen(name) + 2;
        char *path = np_malloc(plen);
        if (!path) { rc = -1; break; }
        snprintf(path, plen, "%s/%s", dir, name);
        struct stat st;
        if (type == DT_UNKNOWN || type == DT_LNK) {
            /* a symbolic link to a directory is not followed (loops) */
            type = lstat(path, &st) != 0 ? DT_UNKNOWN
                 : S_ISDIR(st.st_mode) ? DT_DIR
                 : S_ISREG(st.st_mode) ? DT_REG
                 : S_ISLNK(st.st_mode) && stat(path, &st) == 0 && S_ISREG(st.st_mode) ? DT_REG : DT_UNKNOWN;
        }
        if (type != DT_UNKNOWN) {
            if (type == DT_DIR) {
                if (strcmp(name, "work") != 0) rc = walk(path, depth + 1, w);
            } else if (type == DT_REG && has_nf_suffix(name)) {
                rc = walk_file(w, path);
            }
        }
        np_free(path);
    }
    for (size_t i = 0; i < n; i++) np_free(names[i]);
    np_free(names);
    return rc;
}

typedef struct ScanNow {
    PipelineScan *scan;
    const Value *params;
} ScanNow;

static int scan_file_now(void *ctx, Source *src)
{
    ScanNow *now = ctx;
    if (scan_add_source(now->scan, src) != 0) return -1;
    return scan_source(now->scan, src, now->params);
}

/* "DIR: cannot open directory: why" (np_malloc'd; NULL when memory ran out). */
static char *open_error(const char *dir, int sys_errno)
{
    StrBuf b = STRBUF_INIT;
    strbuf_printf(&b, "%s: cannot open directory: %s", dir, strerror(sys_errno));
    return strbuf_take(&b);
}

/* `dir` without trailing slashes ("samples/pipeline/" gives no "//" in names). */
static char *trim_dir(const char *dir)
{
    size_t dl = strlen(dir);
    while (dl > 1 && dir[dl - 1] == '/') dl--;
    return np_strndup(dir, dl);
}

int pipeline_scan_dir(PipelineScan *scan, const char *dir, const Value *params, char **err)
{
    if (err) *err = NULL;
    if (scan_ensure_arena(scan) != 0) return -1;
    char *d = trim_dir(dir);
    if (!d) return -1;
    ScanNow now = {scan, params};
    WalkState w = {0, 0, scan, scan_file_now, &now};
    int rc = walk(d, 0, &w);
    if (rc == -2 && err) *err = open_error(d, errno);
    np_free(d);
    return rc;
}

/* ---------------- reading ahead ---------------- */

struct PipelineRead {
    char *dir;            /* trimmed */
    PipelineScan scan;    /* the thread's: sources, arena and directives, no items yet */
    int rc;               /* the walk's: 0, -1 out of memory, -2 dir cannot be opened */
    int open_errno;       /* with rc -2 */
    int running;          /* the thread was started and not joined yet */
    int taken;            /* the scan went to a caller */
    pthread_t thread;
};

/* Everything but the evaluation, which needs the params: the tokens of each
 * file are dropped once its process bodies are found. */
static int read_file_ahead(void *ctx, Source *src)
{
    PipelineRead *r = ctx;
    if (scan_add_source(&r->scan, src) != 0) return -1;
    Toks k = {0};
    if (lex_significant(src, &k) != 0) return -1;
    return scan_tokens(&r->scan, src, k, NULL, 1);
}

static void *read_ahead_thread(void *arg)
{
    PipelineRead *r = arg;
    WalkState w = {0, 0, &r->scan, read_file_ahead, r};
    r->rc = walk(r->dir, 0, &w);
    if (r->rc == -2) r->open_errno = errno;
    return NULL;
}

PipelineRead *pipeline_read_start(const char *dir)
{
    PipelineRead *r = np_calloc(1, sizeof *r);
    if (!r) return NULL;
    if (!(r->dir = trim_dir(dir)) || scan_ensure_arena(&r->scan) != 0 ||
        pthread_create(&r->thread, NULL, read_ahead_thread, r) != 0) {
        arena_free(r->scan.arena);
        np_free(r->dir);
        np_free(r);
        return NULL;
    }
    r->running = 1;
    return r;
}

static void read_join(PipelineRead *r)
{
    if (!r->running) return;
    pthread_join(r->thread, NULL);
    r->running = 0;
}

int pipeline_scan_ahead(PipelineScan *scan, PipelineRead *r, const Value *params, char **err)
{
    read_join(r);
    if (r->taken || scan->arena || scan->nsources || scan->len)   /* read again; fill a fresh scan only */
        return pipeline_scan_dir(scan, r->dir, params, err);
    r->taken = 1;
    if (err) *err = NULL;
    if (r->rc == -2) {
        if (err) *err = open_error(r->dir, r->open_errno);
        return -2;
    }
    if (r->rc != 0) return -1;
    int defer = scan->defer;
    if (!defer) {
        /* in the order found: the items pipeline_scan_dir gives, in its order */
        PipeEvalEnv env;
        memset(&env, 0, sizeof env);
        env.params = params;
        for (size_t i = 0; i < r->scan.ndirs; i++)
            if (eval_directive(&r->scan, &r->scan.dirs[i], &env) != 0) return -1;
    }
    *scan = r->scan;
    scan->defer = defer;
    memset(&r->scan, 0, sizeof r->scan);
    return 0;
}

void pipeline_read_free(PipelineRead *r)
{
    if (!r) return;
    read_join(r);
    pipeline_scan_free(&r->scan);
    np_free(r->dir);
    np_free(r);
}

int pipeline_scan_evaluate(PipelineScan *scan, const PipeEvalEnv *envs)
{
    for (size_t i = 0; i < scan->ndirs; i++)
        if (eval_directive(scan, &scan->dirs[i], &envs[scan->dirs[i].process]) != 0) return -1;
    return 0;
}

int pipeline_scan_take_sources(PipelineScan *scan, Source ***out, size_t *n)
{
    *out = scan->sources;
    *n = scan->nsources;
    scan->sources = NULL;
    scan->nsources = scan->capsources = 0;
    return 0;
}

void pipeline_scan_free(PipelineScan *scan)
{
    for (size_t i = 0; i < scan->nsources; i++) source_free(scan->sources[i]);
    np_free(scan->sources);
    np_free(scan->items);
    np_free(scan->procs);
    np_free(scan->dirs);
    np_free(scan->first_unread);
    arena_free(scan->arena);
    memset(scan, 0, sizeof *scan);
}
