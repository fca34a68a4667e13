/* alloc — the one allocation hook. Every heap allocation in nf-preflight goes
 * through these functions so that tests can make the Nth allocation fail
 * (the curl/SQLite "torture" technique) and check that every path cleans up. */
#ifndef NFP_ALLOC_H
#define NFP_ALLOC_H
#include <stddef.h>

void *np_malloc(size_t size);
void *np_calloc(size_t n, size_t size);
void *np_realloc(void *ptr, size_t size);
void  np_free(void *ptr);
/* Overwrites n bytes of ptr with zeros, then frees it: buffers that held a
 * file or an API answer that may carry secrets. */
void  np_free_wiped(void *ptr, size_t n);
char *np_strdup(const char *s);

/* Room for one more element in a growable array of `elem`-byte elements
 * holding `len` of *cap: returns `items` while len < *cap, else the array
 * reallocated to twice *cap (`first` elements the first time) with *cap
 * updated. NULL when memory ran out or the size would overflow; `items` is
 * then untouched and still the caller's. Callers write
 *     T *grown = np_grow(a->items, a->len, &a->cap, sizeof *grown, 16);
 *     if (!grown) return -1;
 *     a->items = grown;                                                   */
void *np_grow_slow(void *items, size_t *cap, size_t elem, size_t first);
static inline void *np_grow(void *items, size_t len, size_t *cap, size_t elem, size_t first)
{
    return len < *cap ? items : np_grow_slow(items, cap, elem, first);
}
char *np_strndup(const char *s, size_t n);

/* For allocators that bypass malloc (the arena maps large chunks itself):
 * counts as one allocation and returns 1 when it must fail. */
int   np_fail_point(void);

/* Make allocation number `n` (1-based, counted from this call) and every later
 * one fail; 0 turns failure injection off. Returns the count done so far.
 * Counting and failing are per thread: they see the calling thread's
 * allocations only (a read-ahead thread, pipeline.h, has its own). */
void   alloc_fail_at(unsigned long n);
unsigned long alloc_count(void);
/* True once an injected failure has happened (so callers can tell an injected
 * OOM from a real one in tests). */
int    alloc_failed(void);

#endif
