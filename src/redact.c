/* redact — secret names, secret values and the masking of output (redact.h). */
#include "redact.h"
#include "alloc.h"
#include <string.h>

/* Nesting bound of the value walks: the parser's own (PARSE_MAX_DEPTH), so
 * every value the resolver can build is walked whole; redact sits below the
 * parser and does not include it. */
#define REDACT_MAX_DEPTH 256

/* Called for every entry of the resolved tree (secret_set_collect) and of
 * every printed value: the lengths are compiled in, so most names are turned
 * away by one comparison of lengths. */
#define SECRET_NAME(lit) {lit, sizeof lit - 1}
int secret_option_name(const char *s, size_t n)
{
    static const struct { const char *name; size_t len; } names[] = {
        SECRET_NAME("accessToken"), SECRET_NAME("secretKey"), SECRET_NAME("accessKey"),
        SECRET_NAME("accountKey"), SECRET_NAME("password"), SECRET_NAME("token"), SECRET_NAME("apiKey"),
        SECRET_NAME("sasToken"), SECRET_NAME("secret"), SECRET_NAME("clientSecret"),
        SECRET_NAME("TOWER_ACCESS_TOKEN"), SECRET_NAME("AWS_SECRET_ACCESS_KEY"), SECRET_NAME("AWS_ACCESS_KEY_ID"),
        SECRET_NAME("AWS_SESSION_TOKEN"), SECRET_NAME("GITHUB_TOKEN"), SECRET_NAME("NXF_GITHUB_TOKEN"),
        SECRET_NAME("HF_TOKEN"), SECRET_NAME("AZURE_STORAGE_KEY"), SECRET_NAME("TOWER_REFRESH_TOKEN"),
        /* the other secret options of Nextflow's schema (issue 15, item 4) */
        SECRET_NAME("refreshToken"), SECRET_NAME("servicePrincipalSecret"), SECRET_NAME("proxyPassword"),
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (names[i].len == n && memcmp(names[i].name, s, n) == 0) return 1;
    return 0;
}
#undef SECRET_NAME

/* ---------------- the set of secret values ---------------- */

/* Adds s[0, len) with its source (NULL: a secret) unless it is there. */
static void set_add(SecretSet *set, Arena *a, const char *s, size_t len, const char *source)
{
    for (size_t i = 0; i < set->n; i++)
        if (set->lens[i] == len && !memcmp(set->values[i], s, len)) return;
    size_t n = set->n;
    if ((n & (n - 1)) == 0) {       /* grows at powers of two, in the arena */
        size_t cap = n ? n * 2 : 4;
        const char **v = arena_alloc(a, cap * sizeof *v);
        size_t *l = arena_alloc(a, cap * sizeof *l);
        const char **src = arena_alloc(a, cap * sizeof *src);
        if (!v || !l || !src) return;
        if (n) {
            memcpy(v, set->values, n * sizeof *v);
            memcpy(l, set->lens, n * sizeof *l);
            memcpy(src, set->sources, n * sizeof *src);
        }
        set->values = v;
        set->lens = l;
        set->sources = src;
    }
    set->values[n] = s;
    set->lens[n] = len;
    set->sources[n] = source;
    set->n = n + 1;
}

void secret_set_add(SecretSet *set, Arena *a, const char *s, size_t len)
{
    if (len >= SECRET_MIN_LEN) set_add(set, a, s, len, NULL);
}

void secret_set_add_env(SecretSet *set, Arena *a, const char *s, size_t len, const char *source)
{
    if (len && s && source) set_add(set, a, s, len, source);
}

static void collect_env_d(SecretSet *set, Arena *a, const Value *v, int depth)
{
    if (!v || depth > REDACT_MAX_DEPTH) return;
    if ((v->kind == V_STRING || v->kind == V_PATH) && v->env) secret_set_add_env(set, a, v->s, v->len, v->env);
    for (size_t i = 0; v->kind == V_LIST && i < v->nitems; i++) collect_env_d(set, a, v->items[i], depth + 1);
    for (size_t i = 0; (v->kind == V_MAP || v->kind == V_SCOPE) && i < v->nentries; i++)
        collect_env_d(set, a, v->entries[i].val, depth + 1);
}

void secret_set_collect_env(SecretSet *set, Arena *a, const Value *v)
{
    collect_env_d(set, a, v, 0);
}

static void collect_d(SecretSet *set, Arena *a, const Value *scope, int depth)
{
    if (!scope || (scope->kind != V_SCOPE && scope->kind != V_MAP) || depth > REDACT_MAX_DEPTH) return;
    for (size_t i = 0; i < scope->nentries; i++) {
        const Entry *e = &scope->entries[i];
        if (!e->val) continue;
        if (e->val->kind == V_STRING && secret_option_name(e->key, e->keylen)) secret_set_add(set, a, e->val->s, e->val->len);
        else collect_d(set, a, e->val, depth + 1);
    }
}

void secret_set_collect(SecretSet *set, Arena *a, const Value *scope) { collect_d(set, a, scope, 0); }

/* secret_set_in_text, for the secrets alone when env_too is 0. A short
 * environment text never counts here: only quoted, in messages. */
static int in_text(const SecretSet *set, const char *text, size_t len, int env_too)
{
    for (size_t k = 0; set && text && k < set->n; k++) {
        const char *sv = set->values[k];
        size_t sl = set->lens[k];
        if (set->sources[k] && (!env_too || sl < ENV_TEXT_MIN_LEN)) continue;
        for (const char *p = text, *end = text + len; (size_t)(end - p) >= sl;) {
            p = memchr(p, sv[0], (size_t)(end - p) - sl + 1);
            if (!p) break;
            if (!memcmp(p, sv, sl)) return 1;
            p++;
        }
    }
    return 0;
}

int secret_set_in_text(const SecretSet *set, const char *text, size_t len)
{
    return in_text(set, text, len, 1);
}

/* The index of the value of the set that text[0, len) starts with (the
 * first secret, else the longest environment text), or set->n. `before`
 * is the character before text (0 at the start): a short environment text
 * counts only between two equal quotes. */
static size_t secret_set_prefix(const SecretSet *set, const char *text, size_t len, char before)
{
    size_t best = set ? set->n : 0;
    for (size_t k = 0; set && k < set->n; k++) {
        size_t l = set->lens[k];
        if (l > len || text[0] != set->values[k][0] || memcmp(text, set->values[k], l)) continue;
        if (!set->sources[k]) return k;
        if (l < ENV_TEXT_MIN_LEN && !((before == '\'' || before == '"') && l < len && text[l] == before)) continue;
        if (best == set->n || l > set->lens[best]) best = k;
    }
    return best;
}

static int in_value_d(const SecretSet *set, const Value *v, int depth, int env_too)
{
    if (!v || !set || !set->n || depth > REDACT_MAX_DEPTH) return 0;
    switch (v->kind) {
    case V_STRING: case V_PATH: return in_text(set, v->s, v->len, env_too);
    case V_LIST:
        for (size_t i = 0; i < v->nitems; i++)
            if (in_value_d(set, v->items[i], depth + 1, env_too)) return 1;
        return 0;
    case V_MAP:
        for (size_t i = 0; i < v->nentries; i++)
            if (in_value_d(set, v->entries[i].val, depth + 1, env_too)) return 1;
        return 0;
    default:
        return 0;
    }
}

int secret_set_in_value(const SecretSet *set, const Value *v) { return in_value_d(set, v, 0, 1); }

/* ---------------- masking printed values and messages ---------------- */

/* A secret written in the config (tower.accessToken = '…') is shown only
 * where the user wrote it, never in nf-preflight's output. */
int redact_entry(const SecretSet *set, const char *key, size_t keylen, const Value *v)
{
    if (v && ((v->kind == V_STRING && v->len) || v->kind == V_DYNAMIC) && secret_option_name(key, keylen))
        return 1;
    /* a secret copied into another option; a value from the environment
     * prints as its source (value_print_canonical) unless it holds a secret,
     * and any other value holding an environment text is hidden too */
    return in_value_d(set, v, 0, !value_env_of(v));
}

const char *redact_field(const SecretSet *set, const char *text)
{
    return text && in_text(set, text, strlen(text), 0) ? SECRET_REDACTED : text;
}

void redact_text(StrBuf *out, const SecretSet *set, const char *text, size_t len)
{
    for (size_t p = 0; p < len;) {
        size_t k = secret_set_prefix(set, text + p, len - p, p ? text[p - 1] : 0);
        if (!set || k == set->n) { strbuf_putc(out, text[p++]); continue; }
        if (set->sources[k]) value_print_env(out, set->sources[k]);
        else strbuf_puts(out, SECRET_REDACTED);
        p += set->lens[k];
    }
}

/* 1 when redact_text would change text[0, len). */
static int redact_changes(const SecretSet *set, const char *text, size_t len)
{
    if (!set || !set->n) return 0;
    for (size_t p = 0; p < len; p++)
        if (secret_set_prefix(set, text + p, len - p, p ? text[p - 1] : 0) != set->n) return 1;
    return 0;
}

const char *redact_env_field(const SecretSet *set, Arena *a, const char *text)
{
    if (!text || !redact_changes(set, text, strlen(text))) return text;
    StrBuf b = STRBUF_INIT;
    redact_text(&b, set, text, strlen(text));
    const char *out = b.failed ? NULL : arena_strdup(a, strbuf_cstr(&b));
    strbuf_free(&b);
    return out ? out : "env(…)";
}

int redact_diag_messages(DiagList *diags, const SecretSet *set)
{
    int ok = 1;
    for (size_t i = 0; i < diags->len; i++) {
        Diag *d = &diags->items[i];
        if (!d->message || !redact_changes(set, d->message, strlen(d->message))) continue;
        StrBuf b = STRBUF_INIT;
        redact_text(&b, set, d->message, strlen(d->message));
        char *clean = b.failed ? NULL : np_strdup(strbuf_cstr(&b));
        strbuf_free(&b);
        if (!clean) { diags->oom = 1; ok = 0; continue; }
        np_free(d->message);
        d->message = clean;
    }
    return ok;
}

/* ---------------- masked spans of source text ---------------- */

int redact_mask_span(DiagList *list, const Source *src, size_t start, size_t end)
{
    DiagMask *m = np_realloc(list->masks, (list->nmasks + 1) * sizeof *m);
    if (!m) { list->oom = 1; return 0; }
    list->masks = m;
    m[list->nmasks].src = src;
    m[list->nmasks].start = start;
    m[list->nmasks].end = end;
    list->nmasks++;
    return 1;
}

int redact_masked(const DiagList *list, const Source *src, size_t off)
{
    for (size_t i = 0; i < list->nmasks; i++)
        if (list->masks[i].src == src && off >= list->masks[i].start && off < list->masks[i].end) return 1;
    return 0;
}

/* ---------------- tokens in error texts ---------------- */

size_t redact_token(char *msg, const char *secret)
{
    if (!msg || !secret || !*secret) return 0;
    size_t slen = strlen(secret), count = 0;
    size_t mark = slen < 3 ? slen : 3;
    char *r = msg, *w = msg;
    /* w never passes r because the marker is never longer than the secret. */
    while (*r) {
        if (*r == *secret && strncmp(r, secret, slen) == 0) {
            memset(w, '*', mark);
            w += mark;
            r += slen;
            count++;
        } else {
            *w++ = *r++;
        }
    }
    *w = '\0';
    return count;
}
