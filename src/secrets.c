/* secrets — the hardcoded-secret rule: tokens and keys written into config
 * text, where they get committed and shared. The value itself is never put
 * into a message: only the option name and where it is. It also marks the
 * spans a report snippet must not show (redact_mask_source). */
#include "checks.h"
#include "redact.h"
#include "walk.h"
#include <ctype.h>
#include <string.h>

typedef struct SecretCtx {
    DiagList *diags;
    const Source *src;
} SecretCtx;

static int name_char(char ch)
{
    return isalnum((unsigned char)ch) || ch == '_';
}

/* 1 when s is made of shell variable references ($NAME, ${NAME}) and
 * punctuation: '$GITHUB_TOKEN' in the env scope is exported to the task's
 * shell as `export GITHUB_TOKEN="$GITHUB_TOKEN"`, which expands it from the
 * launch environment (TaskProcessor.bashEnvironmentScript; in a container the
 * `$` is escaped for the heredoc and expanded by the container's shell). */
static int only_shell_references(const char *s, size_t n)
{
    int refs = 0;
    for (size_t i = 0; i < n;) {
        if (s[i] == '$') {
            size_t k = i + 1, braced = k < n && s[k] == '{';
            k += braced;
            size_t name = k;
            while (k < n && name_char(s[k])) k++;
            if (k == name || isdigit((unsigned char)s[name]) || (braced && (k >= n || s[k] != '}'))) return 0;
            i = k + braced;
            refs++;
        } else if (isalnum((unsigned char)s[i])) {
            return 0;
        } else {
            i++;
        }
    }
    return refs > 0;
}

/* 1 when `word` (lower case) starts at s[i] whatever the case. */
static int word_at(const char *s, size_t n, size_t i, const char *word)
{
    size_t wl = strlen(word);
    if (n - i < wl) return 0;
    for (size_t k = 0; k < wl; k++)
        if (tolower((unsigned char)s[i + k]) != word[k]) return 0;
    return 1;
}

/* 1 for text that stands in for a secret: '<your-token>', 'your-access-key',
 * 'YOUR_API_KEY', 'changeme', 'replace-me', 'placeholder', 'xxxxxxxx',
 * 'XXXX-XXXX', '********' (example files and templates). */
static int placeholder_text(const char *s, size_t n)
{
    static const char *const words[] = {"changeme", "change-me", "change_me", "replaceme", "replace-me",
                                        "replace_me", "placeholder"};
    if (n >= 2 && s[0] == '<' && s[n - 1] == '>') return 1;
    char only = 0;
    int one_char = 1;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (isalnum(ch)) {
            if (!only) only = (char)tolower(ch);
            else if ((char)tolower(ch) != only) one_char = 0;
        }
        /* "your" as a word of its own: your-…, YOUR_…, insert_your_key */
        if ((i == 0 || !isalnum((unsigned char)s[i - 1])) && word_at(s, n, i, "your") && i + 4 < n &&
            strchr("-_. ", s[i + 4]))
            return 1;
        for (size_t w = 0; w < sizeof words / sizeof words[0]; w++)
            if (word_at(s, n, i, words[w])) return 1;
    }
    return one_char;
}

static int on_assign(void *vctx, const WalkPath *p, const Node *assign, const Node *value)
{
    SecretCtx *c = vctx;
    if (!value || value->kind != N_STRING || value->textlen < SECRET_MIN_LEN || p->n == 0) return 1;
    const char *last = p->segs[p->n - 1];
    size_t lastlen = p->lens[p->n - 1];
    if (!secret_option_name(last, lastlen) && !secret_value_shaped(value->text, value->textlen)) return 1;
    /* no secret is written: the value names one or stands in for one */
    if (only_shell_references(value->text, value->textlen) || placeholder_text(value->text, value->textlen))
        return 1;
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
