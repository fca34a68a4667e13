/* walk — the one iterator over the config statements of a syntax tree.
 *
 * It visits the places where the resolver applies statements (resolve.c
 * exec_stmt), so every rule family and the fixer see the same assignments:
 *   - blocks `a.b { … }` and selectors `withName: X { … }`;
 *   - `profiles { NAME { … } }` at the top: the bodies are walked as if
 *     written at the top, with path->profile = NAME; any other statement
 *     directly in `profiles { }` is walked with the path `profiles.…` and
 *     WALK_IN_PROFILES (v1 runs it at the top, v2 refuses it);
 *   - both branches of if/else (the resolver takes one when it can evaluate
 *     the condition; the text of both is in the repository);
 *   - try bodies and finally bodies (the resolver applies both), and catch
 *     bodies (applied only when the try fails; path->where says so);
 *   - legacy forms: a dotted target written as an expression (`a.b.c = x`
 *     where the parser saw a property chain), `name value` commands inside a
 *     block, and `name { … }` / `name(…) { … }` written as calls with a
 *     trailing closure;
 *   - the inner assignment of `x = y = v`.
 * It does not enter includes (each source is walked on its own), function
 * bodies, closures used as values, or loops (the resolver does not apply them).
 *
 * Events: enter and exit around each block, selector, profile body and
 * trailing-closure block; assign for each assignment with its full path. */
#ifndef NFP_WALK_H
#define NFP_WALK_H
#include <stddef.h>
#include "syntax.h"

#define WALK_MAX_PATH 64

/* WalkPath.where: how the statement is reached. */
enum {
    WALK_IN_BRANCH  = 1 << 0,  /* inside an if or else body */
    WALK_IN_TRY     = 1 << 1,  /* inside a try body */
    WALK_IN_CATCH   = 1 << 2,  /* inside a catch body: applied only when the try fails */
    WALK_IN_FINALLY = 1 << 3,  /* inside a finally body */
    WALK_IN_CALL    = 1 << 4,  /* inside a `name(…) { … }` trailing-closure block */
    WALK_IN_PROFILES = 1 << 5  /* written directly in the top `profiles { }`, not in a
                                  profile: the path starts with `profiles` */
};

typedef struct WalkPath {
    const char *segs[WALK_MAX_PATH];   /* option path segments: node texts (NUL-terminated,
                                          but a name may hold a NUL: compare with lens) */
    size_t lens[WALK_MAX_PATH];
    const Node *nodes[WALK_MAX_PATH];  /* the node each segment was written as (N_SEGMENT,
                                          N_IDENT, N_PROP, or N_CALL for a call block) */
    int n;
    int outer;                /* assign: how many segments come from enclosing blocks; the
                                 rest are the assignment's own target */
    int truncated;            /* the path was deeper than WALK_MAX_PATH: segments are missing */
    const char *profile;      /* inside `profiles { NAME { … } }`, else NULL */
    const Node *selector;     /* the innermost enclosing N_SELECTOR, else NULL */
    int in_selector;          /* selector != NULL (kept for the callers' convenience) */
    int block_depth;          /* enclosing blocks, selectors, profile bodies, call blocks */
    unsigned where;           /* WALK_IN_* bits */
} WalkPath;

/* Each callback may be NULL. Returning 0 from enter or assign stops the
 * whole walk (exit is still called for the blocks already entered).
 *
 * enter/exit: `block` is N_BLOCK, N_SELECTOR, the profile's N_BLOCK, or the
 * N_EXPR_STMT of a call block; the path already holds its segments.
 * assign: `stmt` is the N_ASSIGN (any operator: compound ones are code to
 * the resolver, check stmt->op) or the N_COMMAND of a legacy `name value`;
 * `value` is the value expression (stmt->b or the command's argument). */
typedef struct WalkVisitor {
    int (*enter)(void *ctx, const WalkPath *path, const Node *block);
    void (*exit)(void *ctx, const WalkPath *path, const Node *block);
    int (*assign)(void *ctx, const WalkPath *path, const Node *stmt, const Node *value);
} WalkVisitor;

/* Walks the statements under `owner` (an N_FILE, or a profile body written
 * as if at the top). Returns 0 when the walk ran to the end, 1 when a
 * callback stopped it. Depth is bounded; nothing is allocated. */
int walk_config(const Node *owner, const WalkVisitor *visitor, void *ctx);

/* Assign events only: fn is WalkVisitor.assign. */
typedef int (*WalkFn)(void *ctx, const WalkPath *path, const Node *stmt, const Node *value);
void walk_assignments(const Node *tree, WalkFn fn, void *ctx);

/* True when path segment i equals s. */
int walk_seg_is(const WalkPath *p, int i, const char *s);

#endif
