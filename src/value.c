#include "value.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

Value *value_new(Arena *a, ValueKind kind)
{
    Value *v = arena_alloc(a, sizeof *v);
    if (v) v->kind = kind;
    return v;
}

Value *value_string(Arena *a, const char *s, size_t len)
{
    Value *v = value_new(a, V_STRING);
    if (!v) return NULL;
    v->s = arena_strndup(a, s, len);
    v->len = len;
    return v->s ? v : NULL;
}

Value *value_int(Arena *a, long long i)
{
    Value *v = value_new(a, V_INT);
    if (v) v->i = i;
    return v;
}

Value *value_bool(Arena *a, int b)
{
    Value *v = value_new(a, V_BOOL);
    if (v) v->b = b != 0;
    return v;
}

Value *value_dynamic(Arena *a, const Source *src, size_t start, size_t end, const char *why)
{
    Value *v = value_new(a, V_DYNAMIC);
    if (!v) return NULL;
    v->src = src;
    v->start = start;
    v->end = end;
    v->why = why;
    if (src && end <= src->len && start <= end) {
        v->s = src->text + start;
        v->len = end - start;
    } else {
        v->s = "";
    }
    return v;
}

const char *value_kind_name(ValueKind k)
{
    static const char *const names[] = {"null", "boolean", "integer", "decimal", "string", "list",
                                        "map", "scope", "memory", "duration", "closure", "path",
                                        "dynamic"};
    return (unsigned)k < sizeof names / sizeof names[0] ? names[k] : "?";
}

/* Scopes with many keys (params of big pipelines, generated configs) get a
 * hash index so that lookups stay O(1); small ones are searched linearly,
 * which is faster below a few dozen keys. */
#define INDEX_FROM 16

static size_t key_hash(const char *key, size_t len)
{
    size_t h = 1469598103934665603ULL;   /* FNV-1a */
    for (size_t i = 0; i < len; i++) h = (h ^ (unsigned char)key[i]) * 1099511628211ULL;
    return h;
}

static void index_insert(Value *scope, size_t entry)
{
    size_t mask = scope->indexcap - 1;
    const Entry *e = &scope->entries[entry];
    size_t i = key_hash(e->key, e->keylen) & mask;
    while (scope->index[i]) i = (i + 1) & mask;
    scope->index[i] = (unsigned)(entry + 1);
}

/* (Re)builds the index for at least `need` entries; a failed allocation just
 * leaves the scope on linear search. */
static void index_build(Arena *a, Value *scope, size_t need)
{
    size_t cap = 64;
    while (cap < need * 2) cap *= 2;
    unsigned *idx = arena_alloc(a, cap * sizeof *idx);
    if (!idx) { scope->index = NULL; scope->indexcap = 0; return; }
    scope->index = idx;
    scope->indexcap = cap;
    for (size_t i = 0; i < scope->nentries; i++) index_insert(scope, i);
}

Entry *value_entry(const Value *scope, const char *key, size_t keylen)
{
    if (!scope || (scope->kind != V_SCOPE && scope->kind != V_MAP)) return NULL;
    if (!key) key = "";       /* an empty name may come without text */
    if (scope->index) {
        size_t mask = scope->indexcap - 1;
        for (size_t i = key_hash(key, keylen) & mask; scope->index[i]; i = (i + 1) & mask) {
            Entry *e = &scope->entries[scope->index[i] - 1];
            if (e->keylen == keylen && memcmp(e->key, key, keylen) == 0) return e;
        }
        return NULL;
    }
    for (size_t i = 0; i < scope->nentries; i++) {
        Entry *e = &scope->entries[i];
        if (e->keylen == keylen && memcmp(e->key, key, keylen) == 0) return e;
    }
    return NULL;
}

int value_remove(Value *scope, const char *key, size_t keylen)
{
    Entry *e = value_entry(scope, key, keylen);
    if (!e) return 0;
    size_t i = (size_t)(e - scope->entries);
    memmove(e, e + 1, (scope->nentries - i - 1) * sizeof *e);
    scope->nentries--;
    if (scope->index) {   /* entry numbers shifted: rebuild in place */
        memset(scope->index, 0, scope->indexcap * sizeof *scope->index);
        for (size_t k = 0; k < scope->nentries; k++) index_insert(scope, k);
    }
    return 1;
}

Value *value_get(const Value *scope, const char *key)
{
    Entry *e = value_entry(scope, key, strlen(key));
    return e ? e->val : NULL;
}

Entry *value_set(Arena *a, Value *scope, const char *key, size_t keylen, Value *v, Prov *prov)
{
    Entry *e = value_entry(scope, key, keylen);
    if (e) {
        if (prov && e->prov && prov != e->prov) prov->overrode = e->prov;
        e->val = v;
        if (prov) e->prov = prov;
        return e;
    }
    if (scope->nentries == scope->capentries) {
        size_t cap = scope->capentries ? scope->capentries * 2 : 8;
        Entry *n = arena_alloc(a, cap * sizeof *n);
        if (!n) return NULL;
        if (scope->nentries) memcpy(n, scope->entries, scope->nentries * sizeof *n);
        scope->entries = n;
        scope->capentries = cap;
    }
    e = &scope->entries[scope->nentries];
    e->key = arena_strndup(a, key, keylen);
    if (!e->key) return NULL;
    e->keylen = keylen;
    e->val = v;
    e->prov = prov;
    scope->nentries++;
    if (scope->index && scope->nentries * 2 <= scope->indexcap) index_insert(scope, scope->nentries - 1);
    else if (scope->nentries >= INDEX_FROM) index_build(a, scope, scope->nentries);
    return &scope->entries[scope->nentries - 1];
}

int value_list_push(Arena *a, Value *list, Value *v)
{
    if (list->nitems == list->capitems) {
        size_t cap = list->capitems ? list->capitems * 2 : 4;
        Value **n = arena_alloc(a, cap * sizeof *n);
        if (!n) return 0;
        if (list->nitems) memcpy(n, list->items, list->nitems * sizeof *n);
        list->items = n;
        list->capitems = cap;
    }
    list->items[list->nitems++] = v;
    return 1;
}

/* Values can refer back to a scope that contains them (`x { y = x }` in the
 * legacy semantics reads the enclosing scope) and can share parts, so every
 * walk over values is bounded three ways: a value met again on the way down
 * is a cycle and is not entered, depth stops at VALUE_MAX_DEPTH, and one
 * walk visits at most VALUE_WALK_BUDGET containers (shared parts copied or
 * compared once per path would otherwise grow exponentially). */
#define VALUE_MAX_DEPTH 128
#define VALUE_WALK_BUDGET 200000

typedef struct Walk {
    const Value *path[VALUE_MAX_DEPTH + 2];
    long budget;
} Walk;

/* 1 when container v may be entered at depth (and records it on the path). */
static int walk_enter(Walk *w, const Value *v, int depth)
{
    if (depth > VALUE_MAX_DEPTH || --w->budget < 0) return 0;
    for (int i = 0; i < depth; i++)
        if (w->path[i] == v) return 0;
    w->path[depth] = v;
    return 1;
}

static Value *copy_d(Arena *a, const Value *v, int depth, Walk *w);

Value *value_copy(Arena *a, const Value *v)
{
    Walk w;
    w.budget = VALUE_WALK_BUDGET;
    return copy_d(a, v, 0, &w);
}

static Value *copy_d(Arena *a, const Value *v, int depth, Walk *w)
{
    if (!v) return NULL;
    if (v->kind != V_SCOPE && v->kind != V_MAP && v->kind != V_LIST) return (Value *)v;
    /* an empty scope is an unresolved name (v1): shared, so it keeps its identity */
    if (v->kind == V_SCOPE && !v->nentries) return (Value *)v;
    if (!walk_enter(w, v, depth)) return value_dynamic(a, NULL, 0, 0, "a value that contains itself or is too large");
    Value *c = value_new(a, v->kind);
    if (!c) return NULL;
    c->env = v->env;
    for (size_t i = 0; i < v->nitems; i++)
        if (!value_list_push(a, c, copy_d(a, v->items[i], depth + 1, w))) return NULL;
    for (size_t i = 0; i < v->nentries; i++) {
        const Entry *e = &v->entries[i];
        if (!value_set(a, c, e->key, e->keylen, copy_d(a, e->val, depth + 1, w), e->prov)) return NULL;
    }
    return c;
}

static int merge_d(Arena *a, Value *dst, const Value *src, int depth, Walk *w);

int value_merge(Arena *a, Value *dst, const Value *src)
{
    Walk w;
    w.budget = VALUE_WALK_BUDGET;
    return merge_d(a, dst, src, 0, &w);
}

static int merge_d(Arena *a, Value *dst, const Value *src, int depth, Walk *w)
{
    if (dst == src || !walk_enter(w, src, depth)) return 1;   /* a cycle: nothing new to merge */
    /* Groovy ConfigObject.merge (doMerge): recursive when the old value is a
     * non-empty map or scope and the new one is a map or scope, otherwise the
     * new value replaces. Empty scopes are shared rather than copied so that
     * an unresolved name keeps its identity (see value_gstring_render). */
    for (size_t i = 0; i < src->nentries; i++) {
        const Entry *e = &src->entries[i];
        Entry *old = value_entry(dst, e->key, e->keylen);
        int old_map = old && old->val && (old->val->kind == V_SCOPE || old->val->kind == V_MAP) && old->val->nentries;
        int new_map = e->val && (e->val->kind == V_SCOPE || e->val->kind == V_MAP);
        if (old_map && new_map && old->val != e->val) {
            if (!merge_d(a, old->val, e->val, depth + 1, w)) return 0;
        } else if (old_map && new_map) {
            continue;
        } else {
            Value *copy = e->val && e->val->kind == V_SCOPE && !e->val->nentries ? e->val : value_copy(a, e->val);
            if (e->val && !copy) return 0;
            if (!value_set(a, dst, e->key, e->keylen, copy, e->prov)) return 0;
        }
    }
    return 1;
}

int value_truth(const Value *v)
{
    if (!v) return 0;
    switch (v->kind) {
    case V_NULL: return 0;
    case V_BOOL: return v->b;
    case V_INT: case V_MEMORY: case V_DURATION: return v->i != 0;
    case V_DECIMAL: return v->f != 0.0;
    case V_STRING: case V_PATH: return v->len != 0;
    case V_LIST: return v->nitems != 0;
    case V_MAP: case V_SCOPE: return v->nentries != 0;
    case V_CLOSURE: return 1;
    case V_DYNAMIC: return -1;
    }
    return -1;
}

static int dynamic_d(const Value *v, int depth, Walk *w);

int value_is_dynamic_deep(const Value *v)
{
    Walk w;
    w.budget = VALUE_WALK_BUDGET;
    return dynamic_d(v, 0, &w);
}

static int dynamic_d(const Value *v, int depth, Walk *w)
{
    if (!v) return 0;
    if (v->kind == V_DYNAMIC) return 1;
    if (!(v->nitems || v->nentries) || !walk_enter(w, v, depth)) return 0;
    for (size_t i = 0; i < v->nitems; i++)
        if (dynamic_d(v->items[i], depth + 1, w)) return 1;
    for (size_t i = 0; i < v->nentries; i++)
        if (dynamic_d(v->entries[i].val, depth + 1, w)) return 1;
    return 0;
}

static int is_number(const Value *v) { return v && (v->kind == V_INT || v->kind == V_DECIMAL); }
static double as_double(const Value *v) { return v->kind == V_INT ? (double)v->i : v->f; }

static int equal_d(const Value *a, const Value *b, int depth, Walk *w);

int value_equal(const Value *a, const Value *b)
{
    Walk w;
    w.budget = VALUE_WALK_BUDGET;
    return equal_d(a, b, 0, &w);
}

static int equal_d(const Value *a, const Value *b, int depth, Walk *w)
{
    if (a == b) return 1;
    if (!a || !b) return (!a || a->kind == V_NULL) && (!b || b->kind == V_NULL);
    if (a->kind == V_DYNAMIC || b->kind == V_DYNAMIC) return -1;
    if (a->kind == V_CLOSURE || b->kind == V_CLOSURE) return a == b ? 1 : -1;
    if (is_number(a) && is_number(b)) return as_double(a) == as_double(b);
    if ((a->kind == V_STRING || a->kind == V_PATH) && (b->kind == V_STRING || b->kind == V_PATH))
        return a->len == b->len && memcmp(a->s, b->s, a->len) == 0;
    if (a->kind != b->kind) return 0;
    switch (a->kind) {
    case V_NULL: return 1;
    case V_BOOL: return a->b == b->b;
    case V_MEMORY: case V_DURATION: return a->i == b->i;
    case V_LIST:
        if (a->nitems != b->nitems) return 0;
        if (!walk_enter(w, a, depth)) return -1;        /* cyclic or too large: unknown */
        for (size_t i = 0; i < a->nitems; i++) {
            int r = equal_d(a->items[i], b->items[i], depth + 1, w);
            if (r != 1) return r;
        }
        return 1;
    case V_MAP: case V_SCOPE:
        if (a->nentries != b->nentries) return 0;
        if (!walk_enter(w, a, depth)) return -1;
        for (size_t i = 0; i < a->nentries; i++) {
            Entry *o = value_entry(b, a->entries[i].key, a->entries[i].keylen);
            if (!o) return 0;
            int r = equal_d(a->entries[i].val, o->val, depth + 1, w);
            if (r != 1) return r;
        }
        return 1;
    default:
        return -1;
    }
}

/* ---------------- printing ---------------- */

static void print_quoted(StrBuf *b, const char *s, size_t n)
{
    strbuf_putc(b, '\'');
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        switch (c) {
        case '\\': strbuf_puts(b, "\\\\"); break;
        case '\'': strbuf_puts(b, "\\'"); break;
        case '\n': strbuf_puts(b, "\\n"); break;
        case '\r': strbuf_puts(b, "\\r"); break;
        case '\t': strbuf_puts(b, "\\t"); break;
        case '\b': strbuf_puts(b, "\\b"); break;
        case '\f': strbuf_puts(b, "\\f"); break;
        default:
            if (c < 0x20 || c == 0x7f) strbuf_printf(b, "\\u%04x", c);
            else strbuf_putc(b, (char)c);
        }
    }
    strbuf_putc(b, '\'');
}

static int is_java_identifier(const char *s, size_t n)
{
    if (n == 0) return 0;
    unsigned char c = (unsigned char)s[0];
    if (!(isalpha(c) || c == '_' || c == '$' || c >= 0x80)) return 0;
    for (size_t i = 1; i < n; i++) {
        c = (unsigned char)s[i];
        if (!(isalnum(c) || c == '_' || c == '$' || c >= 0x80)) return 0;
    }
    return 1;
}

void value_print_key_segment(StrBuf *b, const char *key, size_t len)
{
    if (is_java_identifier(key, len)) strbuf_append(b, key, len);
    else print_quoted(b, key, len);
}

static void print_unit(StrBuf *b, long long v, ValueKind kind)
{
    if (kind == V_MEMORY) {
        static const char *const names[] = {"EB", "PB", "TB", "GB", "MB", "KB"};
        static const int shifts[] = {60, 50, 40, 30, 20, 10};
        for (int i = 0; i < 6 && v; i++) {
            long long m = 1LL << shifts[i];
            if (v % m == 0) { strbuf_printf(b, "%lld.%s", v / m, names[i]); return; }
        }
        strbuf_printf(b, "%lld.B", v);
    } else {
        static const char *const names[] = {"d", "h", "m", "s"};
        static const long long mult[] = {86400000LL, 3600000LL, 60000LL, 1000LL};
        for (int i = 0; i < 4 && v; i++)
            if (v % mult[i] == 0) { strbuf_printf(b, "%lld.%s", v / mult[i], names[i]); return; }
        strbuf_printf(b, "%lld.ms", v);
    }
}

static void print_canonical(StrBuf *b, const Value *v, int nested);

const char VALUE_ENV_ALL[] = "";
const char VALUE_ENV_SECRET[] = "secret";

void value_print_env(StrBuf *b, const char *env)
{
    if (env == VALUE_ENV_SECRET) strbuf_puts(b, "'" VALUE_REDACTED "'");
    else if (!*env) strbuf_puts(b, "System.getenv()");
    else strbuf_printf(b, "env('%s')", env);
}

/* value_env_of to `depth` levels of containers. */
static const char *env_of(const Value *v, int depth)
{
    if (!v) return NULL;
    if (v->env) return v->env;
    if (depth <= 0) return NULL;
    for (size_t i = 0; v->kind == V_LIST && i < v->nitems; i++) {
        const char *e = env_of(v->items[i], depth - 1);
        if (e) return e;
    }
    for (size_t i = 0; (v->kind == V_MAP || v->kind == V_SCOPE) && i < v->nentries; i++) {
        const char *e = env_of(v->entries[i].val, depth - 1);
        if (e) return e;
    }
    return NULL;
}

const char *value_env_of(const Value *v)
{
    return env_of(v, 4);
}

void value_print_canonical(StrBuf *b, const Value *v)
{
    print_canonical(b, v, 0);
}

/* `nested`: inside a list or map, where an empty scope prints as the empty
 * map it is (`[:]`), as the oracle's Printer does; a leaf prints `{}`. */
static void print_canonical(StrBuf *b, const Value *v, int nested)
{
    if (!v) { strbuf_puts(b, "null"); return; }
    if (v->env) { value_print_env(b, v->env); return; }
    switch (v->kind) {
    case V_NULL: strbuf_puts(b, "null"); break;
    case V_BOOL: strbuf_puts(b, v->b ? "true" : "false"); break;
    case V_INT: strbuf_printf(b, "%lld", v->i); break;
    case V_DECIMAL:
        if (v->s) strbuf_append(b, v->s, v->len);
        else strbuf_printf(b, "%.17g", v->f);
        break;
    case V_STRING: print_quoted(b, v->s, v->len); break;
    case V_MEMORY: case V_DURATION: print_unit(b, v->i, v->kind); break;
    case V_CLOSURE: strbuf_puts(b, "closure("); print_quoted(b, v->s, v->len); strbuf_putc(b, ')'); break;
    case V_PATH: strbuf_puts(b, "path("); print_quoted(b, v->s, v->len); strbuf_putc(b, ')'); break;
    case V_DYNAMIC: strbuf_puts(b, "dynamic("); print_quoted(b, v->s, v->len); strbuf_putc(b, ')'); break;
    case V_LIST:
        strbuf_putc(b, '[');
        for (size_t i = 0; i < v->nitems; i++) {
            if (i) strbuf_puts(b, ", ");
            if (v->items[i] && v->items[i]->kind == V_CLOSURE) strbuf_puts(b, "<closure>");
            else print_canonical(b, v->items[i], 1);
        }
        strbuf_putc(b, ']');
        break;
    case V_MAP: case V_SCOPE:
        if (v->kind == V_SCOPE && v->nentries == 0 && !nested) { strbuf_puts(b, "{}"); break; }
        if (v->nentries == 0) { strbuf_puts(b, "[:]"); break; }
        strbuf_putc(b, '[');
        for (size_t i = 0; i < v->nentries; i++) {
            if (i) strbuf_puts(b, ", ");
            value_print_key_segment(b, v->entries[i].key, v->entries[i].keylen);
            strbuf_putc(b, ':');
            print_canonical(b, v->entries[i].val, 1);
        }
        strbuf_putc(b, ']');
        break;
    }
}

static int to_string_d(StrBuf *b, const Value *v, int depth);

int value_to_string(StrBuf *b, const Value *v)
{
    return to_string_d(b, v, 0);
}

/* value_to_string, `depth` containers down: a list that holds itself
 * (`l << l`) or a text past VALUE_MAX_STRING has no string form here. */
static int to_string_d(StrBuf *b, const Value *v, int depth)
{
    if (!v) { strbuf_puts(b, "null"); return 1; }
    switch (v->kind) {
    case V_NULL: strbuf_puts(b, "null"); return 1;
    case V_BOOL: strbuf_puts(b, v->b ? "true" : "false"); return 1;
    case V_INT: strbuf_printf(b, "%lld", v->i); return 1;
    case V_DECIMAL:
        if (v->s) strbuf_append(b, v->s, v->len);
        else strbuf_printf(b, "%g", v->f);
        return 1;
    case V_STRING: case V_PATH: strbuf_append(b, v->s, v->len); return 1;
    case V_MEMORY: {
        /* MemoryUnit.toString: "8 GB" */
        static const char *const names[] = {"EB", "PB", "TB", "GB", "MB", "KB"};
        static const int shifts[] = {60, 50, 40, 30, 20, 10};
        for (int i = 0; i < 6 && v->i; i++)
            if (v->i % (1LL << shifts[i]) == 0) { strbuf_printf(b, "%lld %s", v->i >> shifts[i], names[i]); return 1; }
        strbuf_printf(b, "%lld B", v->i);
        return 1;
    }
    case V_DURATION: {
        static const char *const names[] = {"d", "h", "m", "s"};
        static const long long mult[] = {86400000LL, 3600000LL, 60000LL, 1000LL};
        for (int i = 0; i < 4 && v->i; i++)
            if (v->i % mult[i] == 0) { strbuf_printf(b, "%lld%s", v->i / mult[i], names[i]); return 1; }
        strbuf_printf(b, "%lldms", v->i);
        return 1;
    }
    case V_LIST:
        if (depth > VALUE_MAX_TEXT_DEPTH) return 0;
        strbuf_putc(b, '[');
        for (size_t i = 0; i < v->nitems; i++) {
            if (i) strbuf_puts(b, ", ");
            if (b->len > VALUE_MAX_STRING || !to_string_d(b, v->items[i], depth + 1)) return 0;
        }
        strbuf_putc(b, ']');
        return 1;
    case V_MAP: case V_SCOPE:
        /* Groovy's Map.toString: [k:v, k2:v2]; empty [:] */
        if (!v->nentries) { strbuf_puts(b, "[:]"); return 1; }
        if (depth > VALUE_MAX_TEXT_DEPTH) return 0;
        strbuf_putc(b, '[');
        for (size_t i = 0; i < v->nentries; i++) {
            if (i) strbuf_puts(b, ", ");
            strbuf_append(b, v->entries[i].key, v->entries[i].keylen);
            strbuf_putc(b, ':');
            if (b->len > VALUE_MAX_STRING || !to_string_d(b, v->entries[i].val, depth + 1)) return 0;
        }
        strbuf_putc(b, ']');
        return 1;
    default:
        return 0;
    }
}

int value_gstring_render(StrBuf *b, const Value *v, const char *(*name_of)(void *ctx, const Value *hole), void *ctx)
{
    if (!v || v->kind != V_STRING || !v->nitems) return value_to_string(b, v);
    for (size_t i = 0; i < v->nitems; i++) {
        const Value *part = v->items[i];
        const char *name = part && part->kind == V_SCOPE && !part->nentries && name_of ? name_of(ctx, part) : NULL;
        if (name) {
            strbuf_putc(b, '$');
            strbuf_puts(b, name);
        } else if (!value_to_string(b, part)) {
            return 0;
        }
    }
    return 1;
}
