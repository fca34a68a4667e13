/* config — the resolved configuration model and its printers (config.h). */
#include "config.h"
#include "alloc.h"
#include "parse.h"

#include <stdlib.h>
#include <string.h>

/* ---------------- building ---------------- */

Config *config_new(void)
{
    Config *cfg = np_calloc(1, sizeof *cfg);
    if (!cfg) return NULL;
    cfg->arena = arena_new();
    if (!cfg->arena) { np_free(cfg); return NULL; }
    cfg->root = value_new(cfg->arena, V_SCOPE);
    if (!cfg->root) { config_free(cfg); return NULL; }
    return cfg;
}

int config_add_source(Config *cfg, Source *src, Node *tree)
{
    if (cfg->nsources == cfg->capsources) {
        size_t cap = cfg->capsources ? cfg->capsources * 2 : 8;
        Source **s = np_realloc(cfg->sources, cap * sizeof *s);
        if (!s) return 0;
        cfg->sources = s;
        Node **t = np_realloc(cfg->trees, cap * sizeof *t);
        if (!t) return 0;
        cfg->trees = t;
        cfg->capsources = cap;
    }
    cfg->sources[cfg->nsources] = src;
    cfg->trees[cfg->nsources] = tree;
    cfg->nsources++;
    return 1;
}

ProfileDecl *config_declare_profile(Config *cfg, const char *name, const Source *src, const Node *body)
{
    if (cfg->nprofiles == cfg->capprofiles) {
        size_t cap = cfg->capprofiles ? cfg->capprofiles * 2 : 8;
        ProfileDecl *p = arena_alloc(cfg->arena, cap * sizeof *p);
        if (!p) return NULL;
        if (cfg->nprofiles) memcpy(p, cfg->profiles, cfg->nprofiles * sizeof *p);
        cfg->profiles = p;
        cfg->capprofiles = cap;
    }
    ProfileDecl *d = &cfg->profiles[cfg->nprofiles++];
    d->name = name;
    d->src = src;
    d->body = body;
    d->applied = 0;
    return d;
}

/* Secret values: those written in the config, then those of the environment
 * it saw (the order decides which of two overlapping values is masked). */
void config_collect_secrets(Config *cfg)
{
    secret_set_collect(&cfg->secrets, cfg->arena, cfg->root);
    secret_set_collect(&cfg->secrets, cfg->arena, cfg->env);
    /* and every text from the environment the tree holds, so that messages
     * quoting one show its source */
    secret_set_collect_env(&cfg->secrets, cfg->arena, cfg->root);
}

void config_free(Config *cfg)
{
    if (!cfg) return;
    for (size_t i = 0; i < cfg->nsources; i++) source_free(cfg->sources[i]);
    np_free(cfg->sources);
    np_free(cfg->trees);
    arena_free(cfg->arena);
    np_free(cfg);
}

int config_profile_applied(const Config *cfg, const char *name)
{
    for (size_t i = 0; i < cfg->nprofiles; i++)
        if (cfg->profiles[i].applied && !strcmp(cfg->profiles[i].name, name)) return 1;
    return 0;
}

const Value *config_lookup(const Config *cfg, const char *dotted, const Prov **prov)
{
    const Value *scope = cfg->root;
    const char *seg = dotted;
    if (prov) *prov = NULL;
    for (;;) {
        const char *dot = strchr(seg, '.');
        size_t len = dot ? (size_t)(dot - seg) : strlen(seg);
        Entry *e = value_entry(scope, seg, len);
        if (!e) return NULL;
        if (!dot) {
            if (prov) *prov = e->prov;
            return e->val;
        }
        scope = e->val;
        seg = dot + 1;
    }
}

/* ---------------- printing ---------------- */

typedef struct KeyPath {
    const char *segs[PARSE_MAX_DEPTH + 8];
    size_t lens[PARSE_MAX_DEPTH + 8];
    int n;
} KeyPath;

/* A key as printed, with the secrets and environment texts in it hidden (a
 * selector or a params key may be computed from System.getenv). */
static void print_key_text(StrBuf *out, const Config *cfg, const char *key, size_t len, int json)
{
    StrBuf seg = STRBUF_INIT;
    if (json) strbuf_json_str(&seg, key, len);
    else value_print_key_segment(&seg, key, len);
    if (seg.failed) out->failed = 1;
    else redact_text(out, &cfg->secrets, seg.data ? seg.data : "", seg.len);
    strbuf_free(&seg);
}

static void print_key(StrBuf *out, const Config *cfg, const KeyPath *kp)
{
    for (int i = 0; i < kp->n; i++) {
        if (i) strbuf_putc(out, '.');
        print_key_text(out, cfg, kp->segs[i], kp->lens[i], 0);
    }
}

/* Java String.compareTo on the raw keys: UTF-16 code units; for the ASCII keys
 * of real configs that is byte order. */
static int cmp_entries(const void *pa, const void *pb)
{
    const Entry *a = *(const Entry *const *)pa, *b = *(const Entry *const *)pb;
    size_t n = a->keylen < b->keylen ? a->keylen : b->keylen;
    int c = memcmp(a->key, b->key, n);
    if (c) return c;
    return a->keylen < b->keylen ? -1 : a->keylen > b->keylen;
}

/* Empty scopes (unresolved v1 names) reachable through scopes, with the key
 * they sit under: a GString leaf that interpolated one prints it as `$key`.
 * Walked in insertion order; the last occurrence of an object wins, as in the
 * oracle's Printer. */
typedef struct Holes {
    const Value **vals;
    const char **keys;
    size_t n, cap;
    int failed;
} Holes;

static void collect_holes(Holes *h, const Value *scope, int depth)
{
    if (depth > PARSE_MAX_DEPTH + 8) return;
    for (size_t i = 0; i < scope->nentries; i++) {
        const Entry *e = &scope->entries[i];
        if (!e->val || e->val->kind != V_SCOPE) continue;
        if (e->val->nentries) { collect_holes(h, e->val, depth + 1); continue; }
        if (h->n == h->cap) {
            size_t cap = h->cap ? h->cap * 2 : 16;
            const Value **v = np_realloc(h->vals, cap * sizeof *v);
            if (!v) { h->failed = 1; return; }
            h->vals = v;
            const char **k = np_realloc(h->keys, cap * sizeof *k);
            if (!k) { h->failed = 1; return; }
            h->keys = k;
            h->cap = cap;
        }
        h->vals[h->n] = e->val;
        h->keys[h->n] = e->key;
        h->n++;
    }
}

static const char *hole_name(void *ctx, const Value *hole)
{
    const Holes *h = ctx;
    for (size_t i = h->n; i-- > 0;)
        if (h->vals[i] == hole) return h->keys[i];
    return NULL;
}

static void print_leaf(StrBuf *out, const Value *v, Holes *h)
{
    if (v && v->kind == V_STRING && v->nitems && h) {
        StrBuf s = STRBUF_INIT;
        if (value_gstring_render(&s, v, hole_name, h)) {
            Value tmp = *v;
            tmp.s = s.data ? s.data : "";
            tmp.len = s.len;
            tmp.nitems = 0;
            value_print_canonical(out, &tmp);
            strbuf_free(&s);
            return;
        }
        strbuf_free(&s);
    }
    value_print_canonical(out, v);
}

static void print_scope(StrBuf *out, const Config *cfg, const Value *scope, KeyPath *kp, int sorted, Holes *h)
{
    size_t n = scope->nentries;
    const Entry **order = np_malloc((n ? n : 1) * sizeof *order);
    if (!order) { out->failed = 1; return; }
    for (size_t i = 0; i < n; i++) order[i] = &scope->entries[i];
    if (sorted && n > 1) qsort(order, n, sizeof *order, cmp_entries);
    for (size_t i = 0; i < n; i++) {
        const Entry *e = order[i];
        if (kp->n >= PARSE_MAX_DEPTH + 7) break;
        kp->segs[kp->n] = e->key;
        kp->lens[kp->n] = e->keylen;
        kp->n++;
        if (e->val && e->val->kind == V_SCOPE && e->val->nentries) {
            print_scope(out, cfg, e->val, kp, sorted, h);
        } else {
            print_key(out, cfg, kp);
            strbuf_puts(out, " = ");
            size_t mark = out->len;
            if (redact_entry(&cfg->secrets, e->key, e->keylen, e->val)) strbuf_puts(out, "'" SECRET_REDACTED "'");
            else print_leaf(out, e->val, h);
            redact_userinfo_from(out, mark);
            strbuf_putc(out, '\n');
        }
        kp->n--;
    }
    np_free(order);
}

static void print_config(StrBuf *out, const Config *cfg, int sorted)
{
    KeyPath *kp = np_calloc(1, sizeof *kp);
    if (!kp) { out->failed = 1; return; }
    Holes h = {0};
    collect_holes(&h, cfg->root, 0);
    if (h.failed) out->failed = 1;
    else print_scope(out, cfg, cfg->root, kp, sorted, &h);
    np_free(h.vals);
    np_free(h.keys);
    np_free(kp);
}

void config_print_canonical(StrBuf *out, const Config *cfg)
{
    print_config(out, cfg, 1);
}

void config_print_flat(StrBuf *out, const Config *cfg)
{
    print_config(out, cfg, 0);
}

static void json_value(StrBuf *out, const Config *cfg, const Value *v, int depth)
{
    if (!v || depth > PARSE_MAX_DEPTH) { strbuf_puts(out, "null"); return; }
    if (v->env == VALUE_ENV_SECRET) { strbuf_puts(out, "\"" SECRET_REDACTED "\""); return; }
    if (v->env) {
        /* from the environment: its source, not its text (value.h) */
        strbuf_puts(out, "{\"env\":");
        strbuf_json_str(out, *v->env ? v->env : "System.getenv()", strlen(*v->env ? v->env : "System.getenv()"));
        strbuf_putc(out, '}');
        return;
    }
    switch (v->kind) {
    case V_NULL: strbuf_puts(out, "null"); break;
    case V_BOOL: strbuf_puts(out, v->b ? "true" : "false"); break;
    case V_INT: strbuf_printf(out, "%lld", v->i); break;
    case V_DECIMAL: strbuf_printf(out, "%.17g", v->f); break;
    case V_STRING: case V_PATH: {
        size_t mark = out->len;
        strbuf_json_str(out, v->s, v->len);
        redact_userinfo_from(out, mark);
        break;
    }
    case V_MEMORY: case V_DURATION: {
        StrBuf s = STRBUF_INIT;
        value_to_string(&s, v);
        strbuf_json_str(out, s.data ? s.data : "", s.len);
        strbuf_free(&s);
        break;
    }
    case V_CLOSURE: case V_DYNAMIC:
        strbuf_printf(out, "{\"%s\":", v->kind == V_CLOSURE ? "closure" : "dynamic");
        strbuf_json_str(out, v->s, v->len);
        strbuf_putc(out, '}');
        break;
    case V_LIST:
        strbuf_putc(out, '[');
        for (size_t i = 0; i < v->nitems; i++) {
            if (i) strbuf_putc(out, ',');
            json_value(out, cfg, v->items[i], depth + 1);
        }
        strbuf_putc(out, ']');
        break;
    case V_MAP: case V_SCOPE:
        strbuf_putc(out, '{');
        for (size_t i = 0; i < v->nentries; i++) {
            if (i) strbuf_putc(out, ',');
            print_key_text(out, cfg, v->entries[i].key, v->entries[i].keylen, 1);
            strbuf_putc(out, ':');
            if (redact_entry(&cfg->secrets, v->entries[i].key, v->entries[i].keylen, v->entries[i].val)) strbuf_puts(out, "\"" SECRET_REDACTED "\"");
            else json_value(out, cfg, v->entries[i].val, depth + 1);
        }
        strbuf_putc(out, '}');
        break;
    }
}

void config_print_json(StrBuf *out, const Config *cfg)
{
    json_value(out, cfg, cfg->root, 0);
    strbuf_putc(out, '\n');
}
