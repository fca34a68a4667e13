/* Unit tests for src/groovy.c: Java's BigDecimal text for decimal literals,
 * Groovy ordering and instanceof, list + and -, the work budget that keeps
 * quadratic calls bounded, the "why" of a call that is not evaluated, and
 * allocation failure at every step of a method call. The end-to-end
 * agreement with the reference resolver is tests/resolve (groovy fixtures). */
#include "alloc.h"
#include "arena.h"
#include "groovy.h"
#include "tap.h"
#include <string.h>

static const char *decimal(const char *lit)
{
    static char out[96];
    return groovy_decimal_text(lit, out, sizeof out) ? out : "(refused)";
}

static void test_decimal_text(void)
{
    /* BigDecimal(lit).toString(): plain while scale >= 0 and the adjusted exponent >= -6 */
    CHECK_STR(decimal("1.2e7"), "1.2E+7");
    CHECK_STR(decimal("1e3"), "1E+3");
    CHECK_STR(decimal("1e-3"), "0.001");
    CHECK_STR(decimal("2.5e1"), "25");
    CHECK_STR(decimal("1.50"), "1.50");
    CHECK_STR(decimal("0.05"), "0.05");
    CHECK_STR(decimal("0.0"), "0.0");
    CHECK_STR(decimal("100.0"), "100.0");
    CHECK_STR(decimal("0.0000001"), "1E-7");
    CHECK_STR(decimal("0.000001"), "0.000001");
    CHECK_STR(decimal("1E+2"), "1E+2");
    CHECK_STR(decimal("12.345e-2"), "0.12345");
    CHECK_STR(decimal("0e5"), "0E+5");
    /* not a decimal literal the function knows: the caller keeps the text */
    CHECK_STR(decimal("1.2.3"), "(refused)");
    CHECK_STR(decimal("1e"), "(refused)");
    CHECK_STR(decimal("1e999999999"), "(refused)");
    char tiny[4];
    CHECK(!groovy_decimal_text("1.2e7", tiny, sizeof tiny));   /* does not fit */
}

static void test_order_and_instanceof(Arena *a)
{
    Value *one = value_int(a, 1), *two = value_int(a, 2);
    Value *ab = value_string(a, "ab", 2), *b = value_string(a, "b", 1), *abc = value_string(a, "abc", 3);
    CHECK(groovy_order(one, two) == -1 && groovy_order(two, one) == 1 && groovy_order(one, one) == 0);
    CHECK(groovy_order(ab, b) == -1 && groovy_order(abc, ab) == 1);
    CHECK(groovy_order(one, ab) == 2);                         /* mixed: not ordered here */
    CHECK(groovy_instance_of(ab, "String") == 1 && groovy_instance_of(ab, "java.lang.String") == 1);
    CHECK(groovy_instance_of(one, "Number") == 1 && groovy_instance_of(one, "String") == 0);
    CHECK(groovy_instance_of(value_new(a, V_MEMORY), "nextflow.util.MemoryUnit") == 1);
    CHECK(groovy_instance_of(one, "Thread") == -1);            /* unknown type */
}

static Value *list_of(Arena *a, const long long *xs, size_t n)
{
    Value *l = value_new(a, V_LIST);
    for (size_t i = 0; l && i < n; i++) value_list_push(a, l, value_int(a, xs[i]));
    return l;
}

static void test_lists(Arena *a)
{
    long long work = 0;
    GroovyEnv g = {a, &work, 1000000, NULL};
    const long long xs[] = {1, 2, 2, 3}, ys[] = {2, 9};
    Value *l = list_of(a, xs, 4), *m = list_of(a, ys, 2);
    Value *minus = groovy_list_minus(&g, l, m);
    CHECK(minus && minus->nitems == 2 && minus->items[0]->i == 1 && minus->items[1]->i == 3);
    Value *plus = groovy_list_plus(&g, l, m);
    CHECK(plus && plus->nitems == 6 && plus != l && l->nitems == 4);   /* a new list, l untouched */
    Value *sorted = groovy_method(&g, m, "sort", NULL, 0);
    CHECK(sorted && sorted->items[0]->i == 2);
    Value *uniq = groovy_method(&g, l, "unique", NULL, 0);
    CHECK(uniq && uniq->nitems == 3);
    Value *sum = groovy_method(&g, l, "sum", NULL, 0);
    CHECK(sum && sum->kind == V_INT && sum->i == 8);
    /* a method groovy.c does not know says why */
    g.why = NULL;
    CHECK(groovy_method(&g, l, "shuffle", NULL, 0) == NULL && g.why != NULL);
}

static void test_budget(Arena *a)
{
    long long work = 0;
    GroovyEnv g = {a, &work, 1000, NULL};
    long long xs[100];
    for (int i = 0; i < 100; i++) xs[i] = i;
    Value *l = list_of(a, xs, 100);
    /* 100 x 100 comparisons are over a budget of 1,000: not evaluated, and said so */
    CHECK(groovy_method(&g, l, "unique", NULL, 0) == NULL && g.why && strstr(g.why, "too much work"));
    g.why = NULL;
    CHECK(groovy_list_minus(&g, l, l) == NULL && g.why != NULL);
    Value *s = value_string(a, "ab", 2), *n = value_int(a, 100000);
    Value *args[2] = {n, value_string(a, "x", 1)};
    g.why = NULL;
    work = 0;
    CHECK(groovy_method(&g, s, "padLeft", args, 2) == NULL && g.why != NULL);
}

/* Every allocation of a string method, failed in turn: NULL with no reason
 * (out of memory), never a crash, and the call succeeds once nothing fails. */
static void test_alloc_failures(void)
{
    int finished = 0;
    for (int k = 1; k < 200 && !finished; k++) {
        Arena *a = arena_new();
        if (!a) continue;
        Value *s = value_string(a, "  a-b-c  ", 9);
        Value *sep = value_string(a, "-", 1);
        long long work = 0;
        GroovyEnv g = {a, &work, 1000000, NULL};
        alloc_fail_at(k);
        Value *t = s ? groovy_method(&g, s, "trim", NULL, 0) : NULL;
        Value *parts = t ? groovy_method(&g, t, "tokenize", &sep, 1) : NULL;
        int failed = alloc_failed();
        alloc_fail_at(0);
        if (!failed) {
            finished = 1;
            CHECK(parts && parts->nitems == 3);
        } else {
            CHECK(!parts);
        }
        arena_free(a);
    }
    CHECK(finished);
}

int main(void)
{
    test_decimal_text();
    Arena *a = arena_new();
    if (!a) return 1;
    test_order_and_instanceof(a);
    test_lists(a);
    test_budget(a);
    arena_free(a);
    test_alloc_failures();
    TEST_MAIN_END();
}
