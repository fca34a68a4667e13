/* arena — bump allocator for tokens, tree nodes and values that live exactly as
 * long as one run (or one source). Freed all at once; never freed piecemeal. */
#ifndef NFP_ARENA_H
#define NFP_ARENA_H
#include <stddef.h>

typedef struct Arena Arena;

Arena *arena_new(void);
void   arena_free(Arena *a);
/* Zero-filled, aligned for any type; NULL when memory runs out. */
void  *arena_alloc(Arena *a, size_t size);
char  *arena_strndup(Arena *a, const char *s, size_t n);
/* True once any allocation from this arena has failed: whatever was built
 * from it may be incomplete, so callers check this once at the end. */
int    arena_failed(const Arena *a);
char  *arena_strdup(Arena *a, const char *s);
/* printf into the arena. */
char  *arena_printf(Arena *a, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

#endif
