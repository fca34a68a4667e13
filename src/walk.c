#include "walk.h"
#include <string.h>

typedef struct Walker {
    WalkFn fn;
    void *ctx;
    int stop;
} Walker;

int walk_seg_is(const WalkPath *p, int i, const char *s)
{
    return i >= 0 && i < p->n && p->lens[i] == strlen(s) && memcmp(p->segs[i], s, p->lens[i]) == 0;
}

static void walk_list(Walker *w, const Node *owner, WalkPath *p, int depth);

static void visit(Walker *w, const Node *s, WalkPath *p, int depth)
{
    if (!s || w->stop || depth > 300) return;
    int saved = p->n;
    switch (s->kind) {
    case N_ASSIGN:
        if (s->a && s->a->kind == N_PATH) {
            for (size_t i = 0; i < s->a->nkids && p->n < WALK_MAX_PATH; i++) {
                p->segs[p->n] = s->a->kids[i]->text;
                p->lens[p->n] = s->a->kids[i]->textlen;
                p->n++;
            }
            if (!w->fn(w->ctx, p, s, s->b)) w->stop = 1;
        }
        break;
    case N_COMMAND:
        if (s->a && s->a->kind == N_IDENT && s->nkids == 1 && p->n > 0 && p->n < WALK_MAX_PATH) {
            p->segs[p->n] = s->a->text;
            p->lens[p->n] = s->a->textlen;
            p->n++;
            if (!w->fn(w->ctx, p, s, s->kids[0])) w->stop = 1;
        }
        break;
    case N_BLOCK: {
        const char *saved_profile = p->profile;
        int is_profiles = p->n == 0 && s->a && s->a->nkids == 1 && !strcmp(s->text, "profiles");
        if (is_profiles) {
            /* profile bodies are written as if at the top level */
            for (size_t i = 0; i < s->nkids && !w->stop; i++) {
                const Node *prof = s->kids[i];
                if (prof->kind != N_BLOCK) continue;
                p->profile = prof->text;
                walk_list(w, prof, p, depth + 1);
            }
            p->profile = saved_profile;
            break;
        }
        for (size_t i = 0; s->a && i < s->a->nkids && p->n < WALK_MAX_PATH; i++) {
            p->segs[p->n] = s->a->kids[i]->text;
            p->lens[p->n] = s->a->kids[i]->textlen;
            p->n++;
        }
        walk_list(w, s, p, depth + 1);
        break;
    }
    case N_SELECTOR: {
        int saved_sel = p->in_selector;
        p->in_selector = 1;
        walk_list(w, s, p, depth + 1);
        p->in_selector = saved_sel;
        break;
    }
    case N_IF:
        if (s->b) walk_list(w, s->b, p, depth + 1);
        if (s->c) {
            if (s->c->kind == N_IF) visit(w, s->c, p, depth + 1);
            else walk_list(w, s->c, p, depth + 1);
        }
        break;
    case N_TRY:
        if (s->a) walk_list(w, s->a, p, depth + 1);
        break;
    default:
        break;
    }
    p->n = saved;
}

static void walk_list(Walker *w, const Node *owner, WalkPath *p, int depth)
{
    for (size_t i = 0; i < owner->nkids && !w->stop; i++) visit(w, owner->kids[i], p, depth);
}

void walk_assignments(const Node *tree, WalkFn fn, void *ctx)
{
    if (!tree) return;
    Walker w = {fn, ctx, 0};
    WalkPath p;
    memset(&p, 0, sizeof p);
    walk_list(&w, tree, &p, 0);
}
