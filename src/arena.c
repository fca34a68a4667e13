#include "arena.h"
#include "alloc.h"
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

/* Chunks grow geometrically so that a 100 MB config costs O(log n) mallocs. */
typedef struct Chunk {
    struct Chunk *next;
    size_t used, cap;
    size_t mapped;             /* bytes mmap'd for this chunk, 0 when from calloc */
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
        if (c->mapped) munmap(c, c->mapped);
        else np_free(c);
        c = n;
    }
    np_free(a);
}

/* A new zero-filled chunk. Big ones are mapped directly and marked for
 * transparent huge pages: parsing a large config touches every byte of them
 * once, and 4 KiB page faults were a quarter of the parser's time. */
static Chunk *chunk_new(size_t cap)
{
    size_t bytes = sizeof(Chunk) + cap;
    if (bytes < 4u * 1024 * 1024) return np_calloc(1, bytes);
    if (np_fail_point()) return NULL;
    void *m = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED) return NULL;
#ifdef MADV_HUGEPAGE
    madvise(m, bytes, MADV_HUGEPAGE);   /* a hint; failure changes nothing */
#endif
    Chunk *c = m;
    c->mapped = bytes;
    return c;
}

void *arena_alloc(Arena *a, size_t size)
{
    size = (size + 7) & ~(size_t)7;      /* 8 bytes: enough for every type we store */
    Chunk *c = a->head;
    if (!c || c->cap - c->used < size) {
        size_t cap = a->next_cap;
        while (cap < size) cap *= 2;
        c = chunk_new(cap);               /* zero-filled: arena_alloc needs no memset */
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
    if (n) memcpy(p, s, n);      /* s may be NULL when n is 0 */
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
