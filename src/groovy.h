/* groovy — the Groovy and Java library calls config expressions make on known
 * values: String (trim, tokenize, split, replaceAll, substring, padLeft,
 * stripIndent …), List (first, sort, unique, sum, flatten, minus …), Map
 * (keySet, values, get(k, default) …), numbers, MemoryUnit and Duration
 * conversions, `instanceof`, and the text Java's BigDecimal gives a decimal
 * literal. The resolver calls in here after evaluating the receiver and the
 * arguments; closures and anything that needs the evaluation context stay in
 * resolve.c. */
#ifndef NFP_GROOVY_H
#define NFP_GROOVY_H
#include <stddef.h>
#include "arena.h"
#include "value.h"

typedef struct GroovyEnv {
    Arena *a;               /* results are allocated here */
    long long *work;        /* the caller's evaluation budget: units spent so far … */
    long long max_work;     /* … and the most it allows */
    const char *why;        /* set when a call returns NULL but memory did not run out */
} GroovyEnv;

/* Counts work against env's budget; 0 once it is spent. */
int groovy_charge(GroovyEnv *env, long long units);

/* obj.m(args). NULL with env->why set: not evaluated here (unknown method,
 * bad arguments, over budget); NULL with why NULL: out of memory. */
Value *groovy_method(GroovyEnv *env, Value *obj, const char *m, Value **args, size_t nargs);

/* list - x / list + x (x a list or an element), as new lists. */
Value *groovy_list_minus(GroovyEnv *env, const Value *a, const Value *b);
Value *groovy_list_plus(GroovyEnv *env, const Value *a, Value *b);

/* Orders two values as Groovy's sort/min/max/<=> do, for integers or for
 * strings; 2 when they cannot be compared that way. */
int groovy_order(const Value *a, const Value *b);

/* `v instanceof type` for the Java types configs test against (String,
 * Integer, Number, List, Map, MemoryUnit …, qualified or not): 1 or 0; -1
 * for another type. */
int groovy_instance_of(const Value *v, const char *type);

/* The text BigDecimal.toString gives a decimal literal (digits, fraction and
 * exponent, underscores removed): 1.2e7 is 1.2E+7, 1e-3 is 0.001. 0 when the
 * literal has another shape or does not fit cap. */
int groovy_decimal_text(const char *lit, char *out, size_t cap);

#endif
