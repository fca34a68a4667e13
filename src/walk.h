/* walk — visits every config assignment of a syntax tree with its full
 * option path: enclosing blocks, selectors and dotted segments joined, so
 * rules can look at what was written where (not only at resolved values). */
#ifndef NFP_WALK_H
#define NFP_WALK_H
#include <stddef.h>
#include "syntax.h"

#define WALK_MAX_PATH 64

typedef struct WalkPath {
    const char *segs[WALK_MAX_PATH];
    size_t lens[WALK_MAX_PATH];
    int n;
    const char *profile;      /* inside `profiles { NAME { … } }`, else NULL */
    int in_selector;          /* inside withName:/withLabel: */
} WalkPath;

/* Called for every N_ASSIGN whose target is a config path (and for legacy
 * `name value` commands inside blocks). `path` includes the assignment's own
 * segments. Return 0 to stop the walk. */
typedef int (*WalkFn)(void *ctx, const WalkPath *path, const Node *assign, const Node *value);

void walk_assignments(const Node *tree, WalkFn fn, void *ctx);

/* True when path segment i equals s. */
int walk_seg_is(const WalkPath *p, int i, const char *s);

#endif
