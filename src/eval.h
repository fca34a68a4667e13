/* eval — the evaluator of Groovy expressions and code in config files:
 * literals, names, properties, operators (Groovy's arithmetic, comparison,
 * ranges, regex match, units such as 2.GB), method calls on known values
 * (groovy.h), closures with the collection methods that take them, casts,
 * `instanceof`, GStrings, and the bodies of `def f(…) { … }` functions and
 * closures (locals, if/else, return, ++, <<).
 *
 * What cannot be known before the run is a V_DYNAMIC value holding its
 * source span and a short reason: the evaluator never guesses. A string,
 * list or map computed from a value of the environment (Value.env) keeps
 * that source, so that printers show env('NAME') instead of its text;
 * booleans and numbers computed from one are plain values. Work is
 * bounded by a budget (Eval.work / max_work), calls by EVAL_MAX_CALL_DEPTH.
 *
 * The evaluator knows nothing of config scopes, profiles or includes: a name
 * that is not a local, a strict-syntax `params.x`, and a print call are
 * answered by its host (EvalHost), which for config files is the resolver. */
#ifndef NFP_EVAL_H
#define NFP_EVAL_H
#include <stddef.h>
#include "arena.h"
#include "source.h"
#include "syntax.h"
#include "value.h"

#define EVAL_MAX_CALL_DEPTH 32
/* Work units one call of a function or closure costs: a call allocates a
 * frame, so calls are charged well above an arithmetic step (a function
 * calling itself twice would otherwise run a million frames). */
#define EVAL_CALL_COST 64

typedef struct Eval Eval;

/* The variables one piece of code sees. Copied, not shared, when a function
 * or closure is called. */
typedef struct EvalFrame {
    const Source *src;       /* the text the evaluated nodes come from */
    Value *locals;           /* `def` variables of the file, or NULL */
    Value *fn_locals;        /* parameters and locals of the running function or closure, or NULL */
    const Value *returned;   /* set by `return` inside a running body */
    const Value *last;       /* the last expression statement's value (a closure's result) */
    void *host;              /* the host's own context for this frame (the resolver's Ctx) */
} EvalFrame;

typedef struct EvalHost {
    /* The value of identifier n, which is not a local of f. Never NULL except
     * when memory ran out (unknown: eval_dynamic). */
    Value *(*name)(Eval *ev, EvalFrame *f, const Node *n);
    /* Strict syntax `params.name` (params not a local): the value, or NULL
     * when no param of that name is set (then it reads as null). */
    Value *(*param)(Eval *ev, EvalFrame *f, const char *name, size_t len);
    /* A print call (`println x`, `log.warn x`) is evaluated; may be NULL. */
    void (*printed)(Eval *ev, EvalFrame *f, const Node *callee);
} EvalHost;

/* A user function (`def f(a) { … }`) the code may call. */
typedef struct EvalFunc {
    const char *name;
    const Node *node;        /* the N_FUNC */
    const Source *src;
} EvalFunc;

struct Eval {
    Arena *a;                /* every value is allocated here */
    const EvalHost *host;
    void *host_ctx;          /* the host's state (the resolver) */
    int v1;                  /* legacy semantics: a missing scope property is created, a
                                GString keeps the unresolved names it interpolated */
    Value *env;              /* V_SCOPE read by env('X') and System.getenv */
    struct SecretSet *env_texts;  /* every text derived from the environment is added here
                                     (redact.h), or NULL */
    long long work;          /* units the current statement spent … */
    long long max_work;      /* … and the most it may spend */
    int call_depth;
    EvalFunc *funcs;         /* defined functions, the latest definition last */
    size_t nfuncs, capfuncs;
};

/* The value of expression n in frame f (a V_DYNAMIC when it cannot be
 * known). NULL only when memory ran out. */
Value *eval_expr(Eval *ev, EvalFrame *f, const Node *n);
/* A V_DYNAMIC value for node n of f->src, with a short reason. */
Value *eval_dynamic(Eval *ev, EvalFrame *f, const Node *n, const char *why);
/* v, a value read from the environment (ev->env), with its text added to
 * ev->env_texts when it is marked as from there. */
Value *eval_env_read(Eval *ev, Value *v);
/* v as assigned to a secret-named option: a string, path, list or map
 * marked VALUE_ENV_SECRET, so that what config code derives from it is
 * masked like the secret (Value.env). v itself when there is nothing to
 * mark (or memory ran out). */
Value *eval_mark_secret(Eval *ev, Value *v);
/* Makes `def name(…) { … }` (an N_FUNC of src) callable; later definitions
 * of a name win. 0 when memory ran out. */
int eval_define_function(Eval *ev, const Node *func, const Source *src);

#endif
