/* secrets — the hardcoded-secret rule: tokens and keys written into config
 * text, where they get committed and shared. The value itself is never put
 * into a message: only the option name and where it is. It also marks the
 * spans a report snippet must not show (redact_mask_source). */
#include "checks.h"
#include "redact.h"
#include "walk.h"
#include <string.h>

typedef struct SecretCtx {
    DiagList *diags;
    const Source *src;
} SecretCtx;

static int on_assign(void *vctx, const WalkPath *p, const Node *assign, const Node *value)
{
    SecretCtx *c = vctx;
    if (!value || value->kind != N_STRING || value->textlen < SECRET_MIN_LEN || p->n == 0) return 1;
    const char *last = p->segs[p->n - 1];
    size_t lastlen = p->lens[p->n - 1];
    if (!secret_option_name(last, lastlen) && !secret_value_shaped(value->text, value->textlen)) return 1;
    diag_add(c->diags, c->src, value->start, value->end, DIAG_DEFAULT_SEV, RULE_HARDCODED_SECRET,
             "'%.*s' holds a secret written into the config text; read it from the environment "
             "(env('NAME')) or Platform secrets (secrets.NAME) instead",
             (int)lastlen, last);
    (void)assign;
    return 1;
}

void secrets_check(const CheckInput *in, DiagList *diags)
{
    for (size_t i = 0; i < in->cfg->nsources; i++) {
        SecretCtx c = {diags, in->cfg->sources[i]};
        redact_mask_source(diags, in->cfg->sources[i]);
        walk_assignments(in->cfg->trees[i], on_assign, &c);
    }
}
