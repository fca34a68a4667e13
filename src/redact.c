/* redact — secret names, secret values and the masking of output (redact.h). */
#include "redact.h"
#include "alloc.h"
#include "lex.h"
#include <ctype.h>
#include <string.h>

/* Nesting bound of the value walks: the parser's own (PARSE_MAX_DEPTH), so
 * every value the resolver can build is walked whole; redact sits below the
 * parser and does not include it. */
#define REDACT_MAX_DEPTH 256

/* The words of a name, lower-cased on comparison: split at every byte that
 * is not a letter or digit and where case changes (accessToken -> access,
 * Token; APIKey -> API, Key; MY_PASSWORD -> MY, PASSWORD). */
typedef struct NameWord { const char *s; size_t n; } NameWord;

static int word_is(NameWord w, const char *lower)
{
    size_t n = strlen(lower);
    if (w.n != n) return 0;
    for (size_t i = 0; i < n; i++)
        if (tolower((unsigned char)w.s[i]) != lower[i]) return 0;
    return 1;
}

/* Fills last[0..2] with the last three words of s[0, n) (last[0] the last);
 * missing words are empty. */
static void last_words(const char *s, size_t n, NameWord last[3])
{
    for (int k = 0; k < 3; k++) last[k] = (NameWord){"", 0};
    size_t end = n;
    for (int k = 0; k < 3; k++) {
        while (end > 0 && !isalnum((unsigned char)s[end - 1])) end--;
        if (!end) return;
        size_t b = end - 1;
        while (b > 0 && isalnum((unsigned char)s[b - 1])) {
            unsigned char prev = (unsigned char)s[b - 1], cur = (unsigned char)s[b];
            if (isupper(cur) && (islower(prev) || isdigit(prev))) break;              /* accessToken */
            if (isupper(cur) && isupper(prev) && b + 1 < end && islower((unsigned char)s[b + 1]))
                break;                                                               /* APIKey */
            b--;
        }
        last[k] = (NameWord){s + b, end - b};
        end = b;
    }
}

/* Called for every entry of the resolved tree (secret_set_collect), every
 * printed value and every environment variable: the names of Nextflow's
 * schema that hold secrets (tower.accessToken, tower.refreshToken,
 * registry.apiKey, agent.apiKey, mail.smtp.password, aws.accessKey,
 * aws.secretKey, aws.client.proxyPassword,
 * azure.activeDirectory.servicePrincipalSecret, azure.batch.accountKey,
 * azure.batch.pools.NAME.password, azure.registry.password,
 * azure.storage.accountKey, azure.storage.sasToken, k8s.client.token,
 * k8s.client.clientKey) and any params, env or other name that says it holds
 * one the same way (api_token, MY_PASSWORD, TOWER_ACCESS_TOKEN, OPENAI_API_KEY).
 * What decides is the last word, so tokenDuration, token_file and
 * max_tokens are not secrets. A bare `secret` is the process directive that
 * names Platform secrets (process.secret = 'MY_KEY'), not a secret itself. */
int secret_option_name(const char *s, size_t n)
{
    static const char *const secret_last[] = {"token", "password", "passwd", "apikey", "accesskey",
                                              "secretkey", "accountkey"};
    static const char *const key_kinds[] = {"access", "secret", "account", "api", "storage", "client"};
    NameWord w[3];
    last_words(s, n, w);
    for (size_t i = 0; i < sizeof secret_last / sizeof *secret_last; i++)
        if (word_is(w[0], secret_last[i])) return 1;
    if (word_is(w[0], "secret")) return w[1].n > 0;                          /* clientSecret, MY_SECRET */
    if (word_is(w[0], "key") || (word_is(w[0], "id") && word_is(w[1], "key"))) {
        NameWord kind = word_is(w[0], "key") ? w[1] : w[2];                  /* AWS_ACCESS_KEY_ID */
        for (size_t i = 0; i < sizeof key_kinds / sizeof *key_kinds; i++)
            if (word_is(kind, key_kinds[i])) return 1;
    }
    return 0;
}

int secret_value_shaped(const char *s, size_t n)
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

/* ---------------- passwords in URLs ---------------- */

/* A byte that ends a URL's authority (the part after `://`), including the
 * quotes and escapes of the text it stands in. */
static int ends_authority(unsigned char c)
{
    return c <= ' ' || c == 0x7f || strchr("/?#'\"\\<>`[]", c) != NULL;
}

int redact_url_password(const char *text, size_t len, size_t from, size_t *start, size_t *end)
{
    for (size_t i = from; i + 3 <= len; i++) {
        /* memchr to the next ':' (whole files come here, for their masks) */
        const char *colon_at = memchr(text + i, ':', len - 2 - i);
        if (!colon_at) return 0;
        i = (size_t)(colon_at - text);
        if (text[i + 1] != '/' || text[i + 2] != '/') continue;
        size_t a = i + 3, e = a, at = len, colon = len;
        for (; e < len && !ends_authority((unsigned char)text[e]); e++) {
            if (text[e] == '@') at = e;
            else if (text[e] == ':' && colon == len && at == len) colon = e;
        }
        if (at != len && colon < at && colon + 1 < at) {
            *start = colon + 1;
            *end = at;
            return 1;
        }
        i = e > i ? e - 1 : i;
    }
    return 0;
}

void redact_userinfo_from(StrBuf *out, size_t mark)
{
    size_t ps, pe;
    if (out->failed || mark >= out->len || !redact_url_password(out->data, out->len, mark, &ps, &pe)) return;
    StrBuf tail = STRBUF_INIT;
    strbuf_append(&tail, out->data + mark, out->len - mark);
    if (tail.failed) { out->failed = 1; return; }
    out->len = mark;
    out->data[mark] = '\0';
    redact_text(out, NULL, tail.data, tail.len);
    strbuf_free(&tail);
}

/* ---------------- the set of secret values ---------------- */

/* Adds s[0, len) with its source (NULL: a secret) unless it is there. */
static void set_add(SecretSet *set, Arena *a, const char *s, size_t len, const char *source)
{
    for (size_t i = 0; i < set->n; i++)
        if (set->lens[i] == len && !memcmp(set->values[i], s, len)) {
            /* a secret's own text, met first as derived from it, counts as
             * the secret (so that the secret-only searches find it) */
            if (!source && set->sources[i] == VALUE_ENV_SECRET) set->sources[i] = NULL;
            return;
        }
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

/* Adds v's strings that are secret: those under a secret-named key
 * (secret_key), and those shaped like a token whatever their key: the values
 * the hardcoded-secret rule reports. */
static void collect_d(SecretSet *set, Arena *a, const Value *v, int secret_key, int depth)
{
    if (!v || depth > REDACT_MAX_DEPTH) return;
    if (v->kind == V_STRING && (secret_key || secret_value_shaped(v->s, v->len))) secret_set_add(set, a, v->s, v->len);
    for (size_t i = 0; v->kind == V_LIST && i < v->nitems; i++) collect_d(set, a, v->items[i], secret_key, depth + 1);
    for (size_t i = 0; (v->kind == V_MAP || v->kind == V_SCOPE) && i < v->nentries; i++) {
        const Entry *e = &v->entries[i];
        collect_d(set, a, e->val, secret_option_name(e->key, e->keylen), depth + 1);
    }
}

void secret_set_collect(SecretSet *set, Arena *a, const Value *scope) { collect_d(set, a, scope, 0, 0); }

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

/* The first URL password at or after text[from]: [*ps, *pe), or *ps = len. */
static void next_url_password(const char *text, size_t len, size_t from, size_t *ps, size_t *pe)
{
    if (!redact_url_password(text, len, from, ps, pe)) *ps = *pe = len;
}

void redact_text(StrBuf *out, const SecretSet *set, const char *text, size_t len)
{
    size_t ps, pe;
    next_url_password(text, len, 0, &ps, &pe);
    for (size_t p = 0; p < len;) {
        if (p == ps) {
            strbuf_puts(out, REDACT_URL_PASSWORD);
            p = pe;
            next_url_password(text, len, p, &ps, &pe);
            continue;
        }
        size_t k = secret_set_prefix(set, text + p, len - p, p ? text[p - 1] : 0);
        if (!set || k == set->n) { strbuf_putc(out, text[p++]); continue; }
        if (set->sources[k] && set->sources[k] != VALUE_ENV_SECRET) value_print_env(out, set->sources[k]);
        else strbuf_puts(out, SECRET_REDACTED);
        p += set->lens[k];
        if (ps < p) next_url_password(text, len, p, &ps, &pe);
    }
}

/* 1 when redact_text would change text[0, len). */
static int redact_changes(const SecretSet *set, const char *text, size_t len)
{
    size_t ps, pe;
    if (redact_url_password(text, len, 0, &ps, &pe)) return 1;
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

static int string_token(TokKind k)
{
    return k == TK_STRING || k == TK_GSTRING || k == TK_SLASHY || k == TK_DOLLAR_SLASHY;
}

/* The text of a name token: an identifier, or a quoted key without its
 * quotes ('MY_PASSWORD' = …, "api_token": …). */
static const char *name_text(const Source *src, Token t, size_t *len)
{
    const char *s = src->text + t.start;
    size_t n = t.end - t.start;
    if (t.kind == TK_STRING) {
        size_t q = (t.flags & TOKF_TRIPLE) ? 3 : 1;
        if (n < 2 * q) return NULL;
        s += q;
        n -= 2 * q;
    } else if (t.kind != TK_IDENT) {
        return NULL;
    }
    *len = n;
    return s;
}

/* 1 when the literal token t (quotes included) holds a token-shaped text. */
static int literal_shaped(const Source *src, Token t)
{
    size_t q = (t.flags & TOKF_TRIPLE) ? 3 : 1, n = t.end - t.start;
    return n > q && secret_value_shaped(src->text + t.start + q, n - q);
}

/* 1 for a token after which a statement goes on to the next line (an
 * operator, an opening bracket, a comma, a dot, `=`). */
static int continues_line(TokKind k)
{
    switch (k) {
    case TK_PLUS: case TK_MINUS: case TK_STAR: case TK_SLASH: case TK_PERCENT: case TK_POWER:
    case TK_AND: case TK_OR: case TK_BITAND: case TK_BITOR: case TK_XOR: case TK_NOT: case TK_TILDE:
    case TK_QUESTION: case TK_COLON: case TK_ELVIS: case TK_DOT: case TK_SAFE_DOT: case TK_SPREAD_DOT:
    case TK_COMMA: case TK_LPAREN: case TK_LBRACK: case TK_LBRACE: case TK_ASSIGN: case TK_PLUS_ASSIGN:
    case TK_EQ: case TK_NE: case TK_LT: case TK_LE: case TK_GT: case TK_GE: case TK_ARROW:
        return 1;
    default:
        return 0;
    }
}

/* The value expression of a secret-named option, followed token by token so
 * that every literal piece of it is masked: 'ab' + 'cd…', a GString, a
 * method call's arguments, a value over several lines. It ends at `;`, a `,`
 * or a closing bracket of the enclosing level, or a line end where the
 * statement does not go on (the next line starting with an operator or a
 * dot goes on, as Groovy reads `'ab'\n    + 'cd'` inside brackets). */
typedef struct SecretExpr {
    int active;
    int depth;           /* brackets opened inside the expression */
    int line_ended;      /* a line end at depth 0 after a complete operand */
} SecretExpr;

/* Follows token t; returns 1 while t belongs to the expression. */
static int secret_expr_step(SecretExpr *x, Token t, TokKind prev)
{
    if (!x->active) return 0;
    if (t.kind == TK_NL) {
        if (x->depth == 0 && !continues_line(prev)) x->line_ended = 1;
        return 1;
    }
    if (x->line_ended) {
        x->line_ended = 0;
        if (!(continues_line(t.kind) && t.kind != TK_LPAREN && t.kind != TK_LBRACK && t.kind != TK_LBRACE &&
              t.kind != TK_NOT && t.kind != TK_TILDE)) {
            x->active = 0;
            return 0;
        }
    }
    if (t.kind == TK_LPAREN || t.kind == TK_LBRACK || t.kind == TK_LBRACE) {
        x->depth++;
    } else if (t.kind == TK_RPAREN || t.kind == TK_RBRACK || t.kind == TK_RBRACE) {
        if (x->depth == 0) { x->active = 0; return 0; }
        x->depth--;
    } else if (x->depth == 0 && (t.kind == TK_SEMI || t.kind == TK_COMMA)) {
        x->active = 0;
        return 0;
    }
    return 1;
}

static void secret_expr_start(SecretExpr *x)
{
    x->active = 1;
    x->depth = 0;
    x->line_ended = 0;
}

/* Found on the tokens rather than the tree, so that a file that does not
 * parse is masked too. */
int redact_mask_source(DiagList *diags, const Source *src)
{
    Lexer lx;
    lex_init(&lx, src->text, 0, src->len);
    Token name = {0}, prev = {0};     /* the last two significant tokens */
    SecretExpr expr = {0};
    for (;;) {
        Token t = lex_next_significant(&lx);   /* blanks and one-line comments skipped in the lexer */
        if (t.kind == TK_EOF) break;
        if (tok_is_trivia(t.kind)) continue;
        int in_expr = secret_expr_step(&expr, t, prev.kind);
        int literal = string_token(t.kind) || (t.kind == TK_ERROR && t.err);
        size_t nlen = 0;
        const char *n = NULL;
        if (t.kind == TK_ASSIGN || t.kind == TK_PLUS_ASSIGN || t.kind == TK_COLON) {
            /* `name = …`, `name += …`, `name: …`: the value that follows is the secret */
            n = name_text(src, prev, &nlen);
            if (!in_expr && n && secret_option_name(n, nlen)) secret_expr_start(&expr);
        } else if (literal) {
            if (prev.kind == TK_ASSIGN || prev.kind == TK_COLON) n = name_text(src, name, &nlen);
            else n = name_text(src, prev, &nlen);
            int by_name = n && secret_option_name(n, nlen);
            if (by_name && !in_expr) secret_expr_start(&expr);   /* `name '…'` */
            if (by_name || in_expr || literal_shaped(src, t)) {
                size_t end = t.end;
                if (t.kind == TK_ERROR || (t.flags & TOKF_MALFORMED))
                    while (end < src->len && src->text[end] != '\n') end++;
                if (!redact_mask_span(diags, src, t.start, end)) return 0;
            }
        }
        if (t.kind != TK_NL) { name = prev; prev = t; }
    }
    size_t ps, pe;
    for (size_t from = 0; redact_url_password(src->text, src->len, from, &ps, &pe); from = pe)
        if (!redact_mask_span(diags, src, ps, pe)) return 0;
    return 1;
}

int redact_overlaps_mask(const DiagList *list, const Source *src, size_t start, size_t end)
{
    for (size_t i = 0; i < list->nmasks; i++)
        if (list->masks[i].src == src && start < list->masks[i].end && list->masks[i].start < end) return 1;
    return 0;
}

int redact_masked(const DiagList *list, const Source *src, size_t off)
{
    return redact_overlaps_mask(list, src, off, off + 1);
}
