/* walk — the config statement iterator. See walk.h for what it visits and
 * why: the places are those of resolve.c exec_stmt. */
#include "walk.h"
#include <string.h>

/* Deeper nesting is not walked; the parser bounds depth well below this. */
#define WALK_MAX_DEPTH 300

typedef struct Walker {
    const WalkVisitor *v;
    void *ctx;
    int stop;
} Walker;

int walk_seg_is(const WalkPath *p, int i, const char *s)
{
    return i >= 0 && i < p->n && p->lens[i] == strlen(s) && memcmp(p->segs[i], s, p->lens[i]) == 0;
}

static void push(WalkPath *p, const char *text, size_t len, const Node *node)
{
    if (p->n >= WALK_MAX_PATH) {
        p->truncated = 1;
        return;
    }
    p->segs[p->n] = text;
    p->lens[p->n] = len;
    p->nodes[p->n] = node;
    p->n++;
}

/* The segments of an assignment target: an N_PATH, or a legacy property
 * chain `a.b.c` ending in an identifier. 0 when the target is anything else
 * (an index, a call): not a config option. */
static int push_target(WalkPath *p, const Node *t)
{
    if (!t) return 0;
    if (t->kind == N_PATH) {
        for (size_t i = 0; i < t->nkids; i++) push(p, t->kids[i]->text, t->kids[i]->textlen, t->kids[i]);
        return t->nkids > 0;
    }
    const Node *chain[WALK_MAX_PATH];
    size_t n = 0;
    const Node *e = t;
    while (e && e->kind == N_PROP && n < WALK_MAX_PATH) {
        chain[n++] = e;
        e = e->a;
    }
    if (!e || e->kind != N_IDENT || !e->text) return 0;
    push(p, e->text, e->textlen, e);
    while (n) {
        n--;
        push(p, chain[n]->text, chain[n]->textlen, chain[n]);
    }
    return 1;
}

static void visit(Walker *w, const Node *s, WalkPath *p, int depth);

static void visit_kids(Walker *w, const Node *owner, WalkPath *p, int depth)
{
    for (size_t i = 0; owner && i < owner->nkids && !w->stop; i++) visit(w, owner->kids[i], p, depth);
}

/* An if/try body: an N_BODY, or (defensively) one statement. Groovy opens no
 * config block for it: its statements stay at the enclosing level. */
static void visit_body(Walker *w, const Node *body, WalkPath *p, unsigned where, int depth)
{
    if (!body) return;
    unsigned saved = p->where;
    p->where |= where;
    if (body->kind == N_BODY) visit_kids(w, body, p, depth);
    else visit(w, body, p, depth);
    p->where = saved;
}

/* enter, the statements of `body`, exit: one block level. */
static void visit_block(Walker *w, const Node *block, const Node *body, WalkPath *p, int depth)
{
    p->block_depth++;
    if (w->v->enter && !w->v->enter(w->ctx, p, block)) w->stop = 1;
    visit_kids(w, body, p, depth);
    if (w->v->exit) w->v->exit(w->ctx, p, block);
    p->block_depth--;
}

static void emit_assign(Walker *w, WalkPath *p, int outer, const Node *stmt, const Node *value)
{
    p->outer = outer;
    if (w->v->assign && !w->v->assign(w->ctx, p, stmt, value)) w->stop = 1;
}

static int is_top_profiles(const Node *s, const WalkPath *p)
{
    return p->block_depth == 0 && s->a && s->a->nkids == 1 && s->text && !strcmp(s->text, "profiles");
}

static void visit(Walker *w, const Node *s, WalkPath *p, int depth)
{
    if (!s || w->stop || depth > WALK_MAX_DEPTH) return;
    int saved_n = p->n, saved_trunc = p->truncated;
    switch (s->kind) {
    case N_ASSIGN:
        /* `x = y = v`: the resolver sets the inner one first */
        if (s->b && s->b->kind == N_ASSIGN) visit(w, s->b, p, depth + 1);
        if (!w->stop && push_target(p, s->a)) emit_assign(w, p, saved_n, s, s->b);
        break;
    case N_COMMAND:
        /* legacy `name value` sets the option inside a block (as v1 did) */
        if (s->a && s->a->kind == N_IDENT && s->nkids == 1 && p->block_depth > 0) {
            push(p, s->a->text, s->a->textlen, s->a);
            emit_assign(w, p, saved_n, s, s->kids[0]);
        }
        break;
    case N_BLOCK:
        if (is_top_profiles(s, p)) {
            /* profile bodies are written as if at the top level */
            const char *saved_profile = p->profile;
            for (size_t i = 0; i < s->nkids && !w->stop; i++) {
                const Node *prof = s->kids[i];
                if (prof->kind != N_BLOCK || !prof->a || prof->a->nkids != 1) {
                    /* not a profile (resolve.c do_profiles: v1 runs it at the
                       top, v2 refuses it): walked with the `profiles` segment
                       kept, so a rule can tell it from a top-level setting */
                    unsigned saved_where = p->where;
                    p->where |= WALK_IN_PROFILES;
                    p->profile = saved_profile;
                    p->block_depth++;
                    push(p, s->text, strlen(s->text), s->a->kids[0]);
                    visit(w, prof, p, depth + 1);
                    p->n = saved_n;
                    p->block_depth--;
                    p->where = saved_where;
                    continue;
                }
                p->profile = prof->text;
                visit_block(w, prof, prof, p, depth + 1);
            }
            p->profile = saved_profile;
            break;
        }
        for (size_t i = 0; s->a && i < s->a->nkids; i++)
            push(p, s->a->kids[i]->text, s->a->kids[i]->textlen, s->a->kids[i]);
        visit_block(w, s, s, p, depth + 1);
        break;
    case N_SELECTOR: {
        const Node *saved_sel = p->selector;
        int saved_in = p->in_selector;
        p->selector = s;
        p->in_selector = 1;
        visit_block(w, s, s, p, depth + 1);
        p->selector = saved_sel;
        p->in_selector = saved_in;
        break;
    }
    case N_IF:
        visit_body(w, s->b, p, WALK_IN_BRANCH, depth + 1);
        if (s->c && !w->stop) visit_body(w, s->c, p, WALK_IN_BRANCH, depth + 1);
        break;
    case N_TRY:
        visit_body(w, s->a, p, WALK_IN_TRY, depth + 1);
        for (size_t i = 0; i < s->nkids && !w->stop; i++)
            if (s->kids[i] && s->kids[i]->kind == N_CATCH) visit_body(w, s->kids[i]->a, p, WALK_IN_CATCH, depth + 1);
        if (!w->stop) visit_body(w, s->c, p, WALK_IN_FINALLY, depth + 1);
        break;
    case N_BODY:
        visit_kids(w, s, p, depth + 1);
        break;
    case N_EXPR_STMT: {
        /* legacy `name(value) { … }` and `name { … }` written as calls */
        const Node *e = s->a;
        if (e && e->kind == N_CALL && (e->flags & NF_TRAILING_CLOSURE) && e->nkids >= 1 &&
            e->kids[e->nkids - 1]->kind == N_CLOSURE && e->a && e->a->kind == N_IDENT) {
            const Node *body = e->kids[e->nkids - 1]->a;
            if (!body) break;
            unsigned saved_where = p->where;
            p->where |= WALK_IN_CALL;
            push(p, e->a->text, e->a->textlen, e);
            visit_block(w, s, body, p, depth + 1);
            p->where = saved_where;
        }
        break;
    }
    default:
        break;   /* includes, declarations, functions, loops, other expressions */
    }
    p->n = saved_n;
    p->truncated = saved_trunc;
}

int walk_config(const Node *owner, const WalkVisitor *visitor, void *ctx)
{
    if (!owner || !visitor) return 0;
    Walker w = {visitor, ctx, 0};
    WalkPath p;
    memset(&p, 0, sizeof p);
    visit_kids(&w, owner, &p, 0);
    return w.stop;
}

void walk_assignments(const Node *tree, WalkFn fn, void *ctx)
{
    WalkVisitor v = {NULL, NULL, fn};
    walk_config(tree, &v, ctx);
}
