/* redact — the one owner of what nf-preflight must never print: which option
 * names hold secrets (tower.accessToken, aws.secretKey, TOWER_ACCESS_TOKEN in
 * env { } …), which values are secret (a SecretSet, filled from the resolved
 * config and the environment it saw), and how output hides them:
 *   - printers of values show SECRET_REDACTED for a secret entry (redact_entry);
 *   - messages have every secret value replaced by SECRET_REDACTED, every
 *     text from the environment (the set's sources) by env('NAME')
 *     (redact_text, redact_diag_messages, redact_env_field);
 *   - a whole printed field that contains one becomes SECRET_REDACTED
 *     (redact_field);
 *   - source lines in reports show `*` for spans marked secret
 *     (redact_mask_span, redact_masked);
 *   - the floor (SECRET_MIN_LEN) and the in-place masking of a known token in
 *     an error text are mask.h's, one layer down, where the network client
 *     uses them too.
 * Below config, diag and report on purpose: every printer may use it. */
#ifndef NFP_REDACT_H
#define NFP_REDACT_H
#include <stddef.h>
#include "arena.h"
#include "diag.h"
#include "mask.h"
#include "source.h"
#include "strbuf.h"
#include "value.h"

/* What printers show instead of a secret value. */
#define SECRET_REDACTED VALUE_REDACTED

/* 1 when an option, param or environment variable called name[0, len) (the
 * last segment of a dotted name) holds a secret: the secret options of
 * Nextflow's schema (accessToken, refreshToken, servicePrincipalSecret,
 * sasToken …) and every name whose last word says token, password, secret
 * or an access/secret/account/api/storage/client key (api_token,
 * MY_PASSWORD, OPENAI_API_KEY). The one list of secret names. */
int secret_option_name(const char *name, size_t len);
/* 1 when s[0, len) has the shape of a well-known token (ghp_…, glpat-…, a
 * JWT …) whatever it is called: hardcoded-secret reports it and output masks
 * it like a secret-named value. */
int secret_value_shaped(const char *s, size_t len);

/* What a password in a URL shows as: scheme://user:***@host. */
#define REDACT_URL_PASSWORD "***"
/* The password of the first URL userinfo (scheme://user:password@host) at or
 * after text[from]: sets [*start, *end) and returns 1, else 0. Found by its
 * place, not its value, so a password of any length is hidden. */
int redact_url_password(const char *text, size_t len, size_t from, size_t *start, size_t *end);
/* Masks, in out from byte mark on, every URL password (REDACT_URL_PASSWORD):
 * for a printer that has just appended a value. */
void redact_userinfo_from(StrBuf *out, size_t mark);

/* Secret values, in the order they were added (the first that matches wins
 * where two overlap). The texts are not copied: they must live as long as the
 * set (in practice both live in the Config's arena). */
typedef struct SecretSet {
    const char **values;
    size_t *lens;
    const char **sources;     /* NULL, or per value: the environment variable it came
                                 from (shown as env('NAME'), see value_print_env) */
    size_t n;
} SecretSet;

/* Texts from the environment shorter than this are hidden in messages only
 * where they stand quoted ('ab', "ab"), the way messages quote values. */
#define ENV_TEXT_MIN_LEN 4

/* Adds value[0, len), derived from environment variable `source`
 * (VALUE_ENV_ALL for the whole environment), to a set of such texts: output
 * shows `env('NAME')` in its place. Empty texts and texts already in the set
 * are left out. */
void secret_set_add_env(SecretSet *set, Arena *a, const char *value, size_t len, const char *source);
/* Adds, to a set of environment texts, every string of v (at any depth) that
 * comes from the environment (Value.env). */
void secret_set_collect_env(SecretSet *set, Arena *a, const Value *v);

/* Adds value[0, len) unless it is shorter than SECRET_MIN_LEN or already in
 * the set. The set's arrays grow in arena `a`; on failure the value is left
 * out (and the arena records the failure). */
void secret_set_add(SecretSet *set, Arena *a, const char *value, size_t len);
/* Adds every string held under a secret-named key in scope (a V_SCOPE or
 * V_MAP), at any depth. */
void secret_set_collect(SecretSet *set, Arena *a, const Value *scope);

/* 1 when text[0, len) contains one of the set's values. NULL set: 0. */
int secret_set_in_text(const SecretSet *set, const char *text, size_t len);
/* 1 when a value (a string or path, or a list or map holding one) contains
 * one of the set's values. */
int secret_set_in_value(const SecretSet *set, const Value *v);

/* 1 when a printer must show SECRET_REDACTED instead of the value of entry
 * key = v: a non-empty string or a dynamic value under a secret-named key,
 * any value holding a secret copied from elsewhere, or a value not marked as
 * from the environment (Value.env) that holds an environment text. */
int redact_entry(const SecretSet *set, const char *key, size_t keylen, const Value *v);
/* text itself, or SECRET_REDACTED when it contains a secret value (not an
 * environment text: see redact_env_field): for
 * printed fields (an image name) that are shown whole or not at all. */
const char *redact_field(const SecretSet *set, const char *text);
/* Appends text[0, len) to out with each secret value replaced by
 * SECRET_REDACTED, each environment text (secret_set_add_env) by its
 * source, env('NAME'), and each URL password by REDACT_URL_PASSWORD (set may
 * be NULL for the last alone). */
void redact_text(StrBuf *out, const SecretSet *set, const char *text, size_t len);
/* text itself, or (in arena a) a copy with the environment texts of set
 * replaced by their source: for printed fields such as an image name. */
const char *redact_env_field(const SecretSet *set, Arena *a, const char *text);
/* Rewrites every diagnostic message of diags that contains a secret value or
 * an environment text (an image name, a quoted value copied into it) with
 * redact_text. Returns 0
 * when memory ran out (diags->oom is set; that message is left as it was). */
int redact_diag_messages(DiagList *diags, const SecretSet *set);

/* Marks src[start, end) as secret: a report that shows source lines prints
 * `*` for it. Masks live in the DiagList (they are freed with it) but are
 * not diagnostics: suppressions do not remove them. Returns 0 on OOM. */
int redact_mask_span(DiagList *list, const Source *src, size_t start, size_t end);
/* Marks every span of src that a report must not show: the literal given
 * to a secret-named option or key (`name = '…'`, `name: '…'`, `name '…'`),
 * to the end of its line when it is malformed or unterminated (an unclosed
 * ${ inside it); a token-shaped literal whatever its name; every URL
 * password, wherever it stands (strings, comments). Returns 0 on OOM. */
int redact_mask_source(DiagList *list, const Source *src);
/* 1 when src[start, end) overlaps a mask of list. */
int redact_overlaps_mask(const DiagList *list, const Source *src, size_t start, size_t end);
/* 1 when byte `off` of src is inside a mask of list. */
int redact_masked(const DiagList *list, const Source *src, size_t off);

#endif
