#include "arena.h"
#include "alloc.h"
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Chunks grow geometrically so that a 100 MB config costs O(log n) mallocs. */
typedef struct Chunk {
    struct Chunk *next;
    size_t used, cap;
    _Alignas(16) unsigned char data[];
} Chunk;

struct Arena {
    Chunk *head;
    size_t next_cap;
    int failed;
};

Arena *arena_new(void)
{
    Arena *a = np_calloc(1, sizeof *a);
    if (a) a->next_cap = 16 * 1024;
    return a;
}

void arena_free(Arena *a)
{
    if (!a) return;
    Chunk *c = a->head;
    while (c) {
        Chunk *n = c->next;
        np_free(c);
        c = n;
    }
    np_free(a);
}

void *arena_alloc(Arena *a, size_t size)
{
    size = (size + 15) & ~(size_t)15;
    Chunk *c = a->head;
    if (!c || c->cap - c->used < size) {
        size_t cap = a->next_cap;
        while (cap < size) cap *= 2;
        /* calloc: large chunks come straight from mmap, already zero, so
         * handing out zeroed memory costs no memset */
        c = np_calloc(1, sizeof(Chunk) + cap);
        if (!c) { a->failed = 1; return NULL; }
        c->next = a->head;
        c->used = 0;
        c->cap = cap;
        a->head = c;
        if (a->next_cap < 64u * 1024 * 1024) a->next_cap *= 2;
    }
    void *p = c->data + c->used;
    c->used += size;
    return p;                   /* chunk memory is never reused, so still zero */
}

int arena_failed(const Arena *a) { return a->failed; }

char *arena_strndup(Arena *a, const char *s, size_t n)
{
    char *p = arena_alloc(a, n + 1);
    if (!p) return NULL;
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *arena_strdup(Arena *a, const char *s) { return arena_strndup(a, s, strlen(s)); }

char *arena_printf(Arena *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) return NULL;
    char *p = arena_alloc(a, (size_t)n + 1);
    if (!p) return NULL;
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}
