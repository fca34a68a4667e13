/* secrets — the hardcoded-secret rule: tokens and keys written into config
 * text, where they get committed and shared. The value itself is never put
 * into a message: only the option name and where it is. */
#include "checks.h"
#include "redact.h"
#include "walk.h"
#include <ctype.h>
#include <string.h>

typedef struct SecretCtx {
    DiagList *diags;
    const Source *src;
} SecretCtx;

/* Well-known token shapes, whatever the option is called. */
static int token_shaped(const char *s, size_t n)
{
    static const char *const prefixes[] = {"ghp_", "gho_", "ghs_", "github_pat_", "glpat-", "xoxb-", "eyJ"};
    for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++) {
        size_t pl = strlen(prefixes[i]);
        if (n >= pl + 16 && memcmp(s, prefixes[i], pl) == 0) {
            for (size_t k = pl; k < n; k++)
                if (isspace((unsigned char)s[k])) return 0;
            return 1;
        }
    }
    return 0;
}

static int on_assign(void *vctx, const WalkPath *p, const Node *assign, const Node *value)
{
    SecretCtx *c = vctx;
    if (!value || value->kind != N_STRING || value->textlen < 8 || p->n == 0) return 1;
    const char *last = p->segs[p->n - 1];
    size_t lastlen = p->lens[p->n - 1];
    if (!secret_option_name(last, lastlen) && !token_shaped(value->text, value->textlen)) return 1;
    /* masked even if the finding below is suppressed: reports never echo it */
    redact_mask_span(c->diags, c->src, value->start, value->end);
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
        walk_assignments(in->cfg->trees[i], on_assign, &c);
    }
}
