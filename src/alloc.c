#include "alloc.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Per thread: a thread that reads ahead (pipeline.h) neither races on the
 * counts of the thread under test nor shifts which allocation fails there. */
static _Thread_local unsigned long fail_at;   /* 0 = never fail */
static _Thread_local unsigned long count;
static _Thread_local int failed;

static int should_fail(void)
{
    count++;
    if (fail_at && count >= fail_at) {
        failed = 1;
        return 1;
    }
    return 0;
}

int np_fail_point(void) { return should_fail(); }

void alloc_fail_at(unsigned long n) { fail_at = n; count = 0; failed = 0; }
unsigned long alloc_count(void) { return count; }
int alloc_failed(void) { return failed; }

void *np_malloc(size_t size)
{
    if (should_fail()) return NULL;
    return malloc(size ? size : 1);
}

void *np_calloc(size_t n, size_t size)
{
    if (should_fail()) return NULL;
    return calloc(n ? n : 1, size ? size : 1);
}

void *np_realloc(void *ptr, size_t size)
{
    if (should_fail()) return NULL;
    return realloc(ptr, size ? size : 1);
}

void *np_grow_slow(void *items, size_t *cap, size_t elem, size_t first)
{
    size_t n = *cap ? *cap * 2 : first;
    if (n <= *cap || (elem && n > SIZE_MAX / elem)) return NULL;
    void *grown = np_realloc(items, n * elem);
    if (grown) *cap = n;
    return grown;
}

void np_free(void *ptr) { free(ptr); }

void np_free_wiped(void *ptr, size_t n)
{
    if (!ptr) return;
    volatile char *v = ptr;
    for (size_t i = 0; i < n; i++) v[i] = 0;
    np_free(ptr);
}

char *np_strndup(const char *s, size_t n)
{
    char *p = np_malloc(n + 1);
    if (!p) return NULL;
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *np_strdup(const char *s) { return np_strndup(s, strlen(s)); }
