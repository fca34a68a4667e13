/* schema — unknown-option, option-type and deprecated-option.
 *
 * Works on the syntax trees, not the resolved values, so every assignment is
 * checked where it is written, also inside profiles that are not selected and
 * inside included files. The option path of an assignment is built from the
 * enclosing blocks and its own dotted segments, then normalised the way
 * Nextflow's validator and language server do (nextflow-config.md §9):
 * `profiles.<name>.` prefixes and selectors (`withName:`/`withLabel:` blocks
 * and quoted `'withName:X'` segments) are removed, as are the legacy
 * `process.$name` / `executor.$name` segments. Exempt: params, env, anything
 * below a map-valued option, plugin scopes, and top-level names that are not
 * close to a known one (they are most likely plugin scopes). */
#include "schema.h"
#include "checks.h"
#include "strbuf.h"
#include "suggest.h"
#include "units.h"
#include "walk.h"
#include <ctype.h>
#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH   48     /* deeper option paths are not checked */
#define MAX_SEGS    16     /* segments of a table path */
#define MAX_PLUGINS 32
#define MAX_CHILDREN 160

/* ------------------------------------------------------------------ table */

/* Splits a dotted table path into segments (pointers into the path plus
 * lengths). Returns the count. */
static size_t split_path(const char *path, const char **starts, size_t *lens)
{
    size_t n = 0;
    const char *p = path;
    while (n < MAX_SEGS) {
        const char *dot = strchr(p, '.');
        starts[n] = p;
        lens[n] = dot ? (size_t)(dot - p) : strlen(p);
        n++;
        if (!dot) break;
        p = dot + 1;
    }
    return n;
}

/* The table's paths split once: lookups run for every assignment of every
 * file, and re-splitting ~600 paths each time dominated `check`. */
#define SPLIT_CACHE 1024
typedef struct SplitOpt {
    unsigned char k;
    unsigned short off[MAX_SEGS];
    unsigned char len[MAX_SEGS];
} SplitOpt;
static SplitOpt split_cache[SPLIT_CACHE];
static int split_ready;

static void prepare_tables(void)
{
    for (size_t j = 0; j < schema_noption; j++) {
        const char *s[MAX_SEGS];
        size_t l[MAX_SEGS];
        size_t k = split_path(schema_options[j].path, s, l);
        split_cache[j].k = (unsigned char)k;
        /* k <= MAX_SEGS (split_path stops there); saying so here lets the
         * -O3 vectoriser see it too, instead of warning about len[MAX_SEGS]. */
        for (size_t m = 0; m < k && m < MAX_SEGS; m++) {
            split_cache[j].off[m] = (unsigned short)(s[m] - schema_options[j].path);
            split_cache[j].len[m] = (unsigned char)l[m];
        }
    }
    split_ready = 1;
}

static size_t option_segs(size_t i, const char **ts, size_t *tl)
{
    const char *path = schema_options[i].path;
    if (schema_noption > SPLIT_CACHE) return split_path(path, ts, tl);
    if (!split_ready) prepare_tables();
    const SplitOpt *c = &split_cache[i];
    for (size_t m = 0; m < c->k; m++) {
        ts[m] = path + c->off[m];
        tl[m] = c->len[m];
    }
    return c->k;
}

/* Can option i match a path whose first segment is seg0 (length len0)? */
static int first_seg_may_match(size_t i, const char *seg0, size_t len0)
{
    const char *path = schema_options[i].path;
    if (path[0] == '*' && (path[1] == '.' || path[1] == '\0')) return 1;
    return strncmp(path, seg0, len0) == 0 && (path[len0] == '.' || path[len0] == '\0');
}

/* The indices of the options that may match a path starting with segs[0]
 * (all of them when n is 0), in table order, so that the first match in
 * the table still wins. Returns the count. Only the rare paths (listing a
 * scope's children for a suggestion) come here: schema_lookup has its trie. */
static size_t candidates(const char *const *segs, size_t n, unsigned short *out)
{
    size_t count = 0, len0 = n ? strlen(segs[0]) : 0;
    for (size_t i = 0; i < schema_noption && i < SPLIT_CACHE; i++)
        if (!n || first_seg_may_match(i, segs[0], len0)) out[count++] = (unsigned short)i;
    return count;
}

static int seg_match(const char *tseg, size_t tlen, const char *seg)
{
    if (tlen == 1 && tseg[0] == '*') return 1;
    return strncmp(tseg, seg, tlen) == 0 && seg[tlen] == '\0';
}

/* The lookup index: a trie of the table's paths, one node per distinct path
 * prefix, built once. A lookup follows the literal child and the `*` child of
 * each node it reaches, so it visits a few nodes instead of every option that
 * shares the first segment (schema_lookup ran for every assignment and was a
 * tenth of a whole-pipeline check). Children are found through one hash table
 * keyed by (parent node, segment text). The answers are those of a scan of
 * the table in order: the first option (lowest index) wins. */
#define TRIE_MAX_NODES 4096          /* test_schema looks every table path up */
#define TRIE_SLOTS     8192          /* a power of two, twice the nodes */
typedef struct TrieNode {
    unsigned short star;             /* the child for a `*` segment; 0: none */
    unsigned short exact;            /* 1 + index of the first option ending here; 0: none */
    unsigned short map;              /* 1 + index of the first map-valued option ending here */
    unsigned char plain_end;         /* an option that is not map-valued ends here */
    unsigned char inner;             /* an option goes on below this node */
} TrieNode;
typedef struct TrieSlot {
    const char *seg;                 /* into the option's path; NULL: empty slot */
    unsigned short parent, child;
    unsigned char len;
} TrieSlot;
static TrieNode trie[TRIE_MAX_NODES];   /* [0] is the root */
static size_t ntrie = 1;
static TrieSlot trie_slots[TRIE_SLOTS];
static pthread_once_t trie_once = PTHREAD_ONCE_INIT;

static size_t seg_hash(const char *seg, size_t len, size_t parent)
{
    uint32_t h = 2166136261u ^ (uint32_t)parent * 0x9E3779B1u;
    for (size_t i = 0; i < len; i++) h = (h ^ (unsigned char)seg[i]) * 16777619u;
    return h & (TRIE_SLOTS - 1);
}

/* The slot of (parent, seg): the one holding it, or the empty one where it
 * would go. The table is never full (at most TRIE_MAX_NODES < TRIE_SLOTS). */
static TrieSlot *trie_slot(size_t parent, const char *seg, size_t len)
{
    size_t h = seg_hash(seg, len, parent);
    for (;;) {
        TrieSlot *s = &trie_slots[h];
        if (!s->seg || (s->parent == parent && s->len == len && memcmp(s->seg, seg, len) == 0)) return s;
        h = (h + 1) & (TRIE_SLOTS - 1);
    }
}

/* The child of parent for a segment, made when missing; 0 when the trie is full. */
static size_t trie_child(size_t parent, const char *seg, size_t len)
{
    int star = len == 1 && seg[0] == '*';
    if (star && trie[parent].star) return trie[parent].star;
    TrieSlot *s = star ? NULL : trie_slot(parent, seg, len);
    if (s && s->seg) return s->child;
    if (ntrie >= TRIE_MAX_NODES || len > UCHAR_MAX) return 0;
    size_t child = ntrie++;
    if (star) {
        trie[parent].star = (unsigned short)child;
    } else {
        s->seg = seg;
        s->len = (unsigned char)len;
        s->parent = (unsigned short)parent;
        s->child = (unsigned short)child;
    }
    return child;
}

static void trie_build(void)
{
    for (size_t i = 0; i < schema_noption && i + 1 <= USHRT_MAX; i++) {
        const char *ts[MAX_SEGS];
        size_t tl[MAX_SEGS];
        size_t k = split_path(schema_options[i].path, ts, tl), node = 0;
        for (size_t m = 0; m < k; m++) {
            trie[node].inner = 1;
            if (!(node = trie_child(node, ts[m], tl[m]))) break;
        }
        if (!node) continue;
        TrieNode *t = &trie[node];
        if (!t->exact) t->exact = (unsigned short)(i + 1);
        if (schema_options[i].flags & SO_MAPVALUED) {
            if (!t->map) t->map = (unsigned short)(i + 1);
        } else {
            t->plain_end = 1;
        }
    }
}

typedef struct TrieWalk {
    const char *const *segs;
    size_t n;
    unsigned exact, map;             /* 1 + the first option index found; 0: none */
    int scope;
    size_t depth;                    /* leading segments that name a known scope */
} TrieWalk;

static void keep_first(unsigned *best, unsigned found)
{
    if (found && (!*best || found < *best)) *best = found;
}

/* Node `node` matched the first m segments. */
static void trie_visit(TrieWalk *w, size_t node, size_t m)
{
    const TrieNode *t = &trie[node];
    if (m == w->n) {
        keep_first(&w->exact, t->exact);
        if (t->inner) w->scope = 1;
        return;
    }
    if (m > 0) {
        keep_first(&w->map, t->map);
        /* an option ending above the path names its scope; one going on
         * below names this node */
        if (t->plain_end && m - 1 > w->depth) w->depth = m - 1;
        if (t->inner && m > w->depth) w->depth = m;
    }
    if (!t->inner) return;
    const TrieSlot *s = trie_slot(node, w->segs[m], strlen(w->segs[m]));
    if (s->seg) trie_visit(w, s->child, m + 1);
    if (t->star) trie_visit(w, t->star, m + 1);
}

SchemaMatch schema_lookup(const char *const *segs, size_t n, const SchemaOption **opt, size_t *depth)
{
    pthread_once(&trie_once, trie_build);
    TrieWalk w = {segs, n, 0, 0, 0, 0};
    trie_visit(&w, 0, 0);   /* no deeper than the trie: a path longer than any option costs no more */
    if (w.exact) {
        if (opt) *opt = &schema_options[w.exact - 1];
        if (depth) *depth = n;
        return SCHEMA_OPTION;
    }
    if (w.map) {
        if (opt) *opt = &schema_options[w.map - 1];
        if (depth) *depth = n;
        return SCHEMA_UNDER_MAP;
    }
    if (opt) *opt = NULL;
    if (w.scope) {
        if (depth) *depth = n;
        return SCHEMA_SCOPE;
    }
    if (depth) *depth = w.depth;
    return SCHEMA_UNKNOWN;
}

static size_t children_scan(const char *const *segs, size_t n, const char **out, size_t max,
                            char *buf, size_t bufsz);

/* The top-level names are asked for every unknown top-level key: list them once. */
static const char *top_names[MAX_CHILDREN];
static char top_buf[4096];
static size_t top_count;
static int top_ready;

size_t schema_children(const char *const *segs, size_t n, const char **out, size_t max,
                       char *buf, size_t bufsz)
{
    if (n > 0) return children_scan(segs, n, out, max, buf, bufsz);
    if (!top_ready) {
        top_count = children_scan(segs, 0, top_names, MAX_CHILDREN, top_buf, sizeof top_buf);
        top_ready = 1;
    }
    size_t count = 0, used = 0;
    for (size_t i = 0; i < top_count && count < max; i++) {
        size_t len = strlen(top_names[i]);
        if (used + len + 1 > bufsz) break;
        memcpy(buf + used, top_names[i], len + 1);
        out[count++] = buf + used;
        used += len + 1;
    }
    return count;
}

static size_t children_scan(const char *const *segs, size_t n, const char **out, size_t max,
                            char *buf, size_t bufsz)
{
    size_t count = 0, used = 0;
    unsigned short cand[SPLIT_CACHE];
    size_t ncand = candidates(segs, n, cand);
    for (size_t c = 0; c < ncand && count < max; c++) {
        size_t i = cand[c];
        const SchemaOption *o = &schema_options[i];
        if (o->flags & SO_HIDDEN) continue;
        if (o->deprecated) continue;
        const char *ts[MAX_SEGS];
        size_t tl[MAX_SEGS];
        size_t k = option_segs(i, ts, tl);
        if (k <= n) continue;
        size_t m = 0;
        while (m < n && seg_match(ts[m], tl[m], segs[m])) m++;
        if (m < n) continue;
        if (tl[n] == 1 && ts[n][0] == '*') continue;
        int dup = 0;
        for (size_t j = 0; j < count && !dup; j++)
            dup = strlen(out[j]) == tl[n] && strncmp(out[j], ts[n], tl[n]) == 0;
        if (dup) continue;
        if (used + tl[n] + 1 > bufsz) break;
        memcpy(buf + used, ts[n], tl[n]);
        buf[used + tl[n]] = '\0';
        out[count++] = buf + used;
        used += tl[n] + 1;
    }
    return count;
}

/* ------------------------------------------------------------ unit strings */

/* A config string Nextflow reads as memory or a duration. TaskConfig trims
 * the text first; other readers may not, so the check trims too and never
 * calls invalid what one of them accepts. The grammar is units.c's. */
static int unit_string(const char *s, int memory)
{
    while (*s == ' ' || *s == '\t') s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t')) n--;
    int rc = memory ? units_parse_memory(s, n, NULL) : units_parse_duration(s, n, NULL);
    return rc != UNITS_INVALID;
}

int schema_is_memory_string(const char *s)
{
    return unit_string(s, 1);
}

int schema_is_duration_string(const char *s)
{
    return unit_string(s, 0);
}

static int numeric_string(const char *s, int allow_fraction)
{
    while (*s == ' ') s++;
    if (*s == '-' || *s == '+') s++;
    if (!isdigit((unsigned char)*s)) return 0;
    while (isdigit((unsigned char)*s)) s++;
    if (allow_fraction && *s == '.') {
        s++;
        while (isdigit((unsigned char)*s)) s++;
    }
    while (*s == ' ') s++;
    return *s == '\0';
}

/* ------------------------------------------------------------------ walker */

typedef struct Walk {
    DiagList *diags;
    SchemaStats *stats;
    const Source *src;
    char skip[MAX_PLUGINS][64];      /* scopes of plugins the schema does not know */
    size_t nskip;
    const Node *reported_block;      /* block segment already reported as unknown */
    int oom;
} Walk;


/* Plugin id (`nf-amazon@2.1.0`) to the scope it configures. */
static void plugin_scope(const char *id, char *out, size_t outsz)
{
    static const char *const map[][2] = {
        {"nf-amazon", "aws"}, {"nf-google", "google"}, {"nf-azure", "azure"},
        {"nf-wave", "wave"}, {"nf-tower", "tower"}, {"nf-cloudcache", "cloudcache"},
        {"nf-k8s", "k8s"}, {"nf-schema", "validation"}, {"nf-validation", "validation"},
        {"nf-prov", "prov"}, {"nf-co2footprint", "co2footprint"},
    };
    size_t len = strcspn(id, "@");
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++) {
        if (strlen(map[i][0]) == len && strncmp(map[i][0], id, len) == 0) {
            snprintf(out, outsz, "%s", map[i][1]);
            return;
        }
    }
    if (len > 3 && strncmp(id, "nf-", 3) == 0) {
        id += 3;
        len -= 3;
    }
    if (len >= outsz) len = outsz - 1;
    memcpy(out, id, len);
    out[len] = '\0';
}

/* walk enter callback: a `plugins { id 'name@version' }` block declares the
 * plugin's scope (unknown to the schema) as exempt. */
static int collect_plugins(void *ctx, const WalkPath *p, const Node *n)
{
    Walk *w = ctx;
    (void)p;
    if (n->kind != N_BLOCK || !n->text || strcmp(n->text, "plugins") != 0) return 1;
    for (size_t i = 0; i < n->nkids; i++) {
        const Node *c = n->kids[i];
        if (!c || c->kind != N_COMMAND || !c->a || c->a->kind != N_IDENT ||
            !c->a->text || strcmp(c->a->text, "id") != 0 || c->nkids < 1)
            continue;
        const Node *arg = c->kids[0];
        if (!arg || arg->kind != N_STRING || !arg->text) continue;
        char scope[64];
        plugin_scope(arg->text, scope, sizeof scope);
        const char *seg = scope;
        if (!scope[0] || schema_lookup(&seg, 1, NULL, NULL) != SCHEMA_UNKNOWN) continue;
        if (w->nskip < MAX_PLUGINS) memcpy(w->skip[w->nskip++], scope, sizeof scope);
    }
    return 1;
}

static int skipped_scope(const Walk *w, const char *name)
{
    for (size_t i = 0; i < w->nskip; i++)
        if (strcmp(w->skip[i], name) == 0) return 1;
    for (size_t i = 0; schema_plugin_scopes[i]; i++)
        if (strcmp(schema_plugin_scopes[i], name) == 0) return 1;
    return 0;
}

static void join(StrBuf *b, const char *const *segs, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (i) strbuf_putc(b, '.');
        strbuf_puts(b, segs[i]);
    }
}

static const char *type_names(unsigned t, char *buf, size_t bufsz)
{
    static const struct { unsigned bit; const char *name; } names[] = {
        {ST_BOOL, "Boolean"}, {ST_INT, "Integer"}, {ST_FLOAT, "Float"}, {ST_STRING, "String"},
        {ST_DURATION, "Duration"}, {ST_MEMORY, "MemoryUnit"}, {ST_LIST, "List"},
        {ST_MAP, "Map"}, {ST_CLOSURE, "Closure"},
    };
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (!(t & names[i].bit)) continue;
        /* Float implies Integer in the table; name only Float then */
        if (names[i].bit == ST_INT && (t & ST_FLOAT)) continue;
        int k = snprintf(buf + used, bufsz - used, "%s%s", used ? ", " : "", names[i].name);
        if (k < 0 || (size_t)k >= bufsz - used) break;
        used += (size_t)k;
    }
    return buf;
}

static int is_selector_seg(const char *s)
{
    return strncmp(s, "withName:", 9) == 0 || strncmp(s, "withLabel:", 10) == 0;
}

static void add_diag(Walk *w, const Node *at, RuleId rule, const char *msg)
{
    if (!diag_add(w->diags, w->src, at->start, at->end, DIAG_DEFAULT_SEV, rule, "%s", msg))
        w->oom = 1;
}

/* The literal type of a value node, or 0 when it is not a plain literal. For
 * strings, *str is the text. */
static unsigned literal_type(const Node *v, const char **str)
{
    *str = NULL;
    switch (v->kind) {
    case N_BOOL: return ST_BOOL;
    case N_INT: return ST_INT;
    case N_FLOAT: return ST_FLOAT;
    case N_STRING:
        *str = v->text ? v->text : "";
        return ST_STRING;
    case N_PROP:
        /* `2.GB`, `10.m`: duration names first (`m` is minutes) */
        if (!v->a || (v->a->kind != N_INT && v->a->kind != N_FLOAT) || !v->text) return 0;
        switch (units_suffix(v->text, strlen(v->text))) {
        case UNIT_DURATION: return ST_DURATION;
        case UNIT_MEMORY: return ST_MEMORY;
        case UNIT_NONE: break;
        }
        return 0;
    default:
        return 0;
    }
}

/* Whether a literal of type `lit` (string text `str`) can be of `types`. */
static int literal_fits(unsigned types, unsigned lit, const char *str)
{
    switch (lit) {
    case ST_BOOL: return (types & ST_BOOL) != 0;
    /* Groovy turns numbers into strings where a String is read; a plain number
     * is bytes for a MemoryUnit and milliseconds for a Duration */
    case ST_INT: return (types & (ST_INT | ST_FLOAT | ST_STRING | ST_DURATION | ST_MEMORY)) != 0;
    case ST_FLOAT: return (types & (ST_FLOAT | ST_STRING)) != 0;
    case ST_MEMORY: return (types & (ST_MEMORY | ST_STRING)) != 0;
    case ST_DURATION: return (types & (ST_DURATION | ST_STRING)) != 0;
    case ST_STRING:
        if (types & ST_STRING) return 1;
        if ((types & ST_MEMORY) && schema_is_memory_string(str)) return 1;
        if ((types & ST_DURATION) && schema_is_duration_string(str)) return 1;
        if ((types & ST_INT) && numeric_string(str, 0)) return 1;
        if ((types & ST_FLOAT) && numeric_string(str, 1)) return 1;
        return 0;
    default:
        return 1;
    }
}

static void check_type(Walk *w, const SchemaOption *o, const char *path, const Node *v)
{
    if (!v || (o->flags & SO_NOTYPE) || (o->types & ST_ANY) == ST_ANY) return;
    const char *str;
    unsigned lit = literal_type(v, &str);
    if (!lit || literal_fits(o->types, lit, str)) return;
    char want[128], got[32];
    type_names(o->types, want, sizeof want);
    type_names(lit, got, sizeof got);
    StrBuf b = STRBUF_INIT;
    unsigned single = o->types & ~ST_CLOSURE;
    if (single && !(single & (single - 1)))
        strbuf_printf(&b, "Config option '%s' with type %s cannot be assigned to value with type %s",
                      path, type_names(single, want, sizeof want), got);
    else
        strbuf_printf(&b, "Config option '%s' cannot be assigned to value with type %s -- valid types are: %s",
                      path, got, want);
    if (lit == ST_STRING && (o->types & ST_BOOL) && (strcmp(str, "true") == 0 || strcmp(str, "false") == 0))
        strbuf_printf(&b, " (write %s without quotes: any non-empty string counts as true)", str);
    if (strbuf_failed(&b)) w->oom = 1;
    else add_diag(w, v, RULE_OPTION_TYPE, strbuf_cstr(&b));
    if (w->stats) w->stats->type++;
    strbuf_free(&b);
}

static void check_deprecated(Walk *w, const SchemaOption *o, const char *path, const Node *at)
{
    if (!o->deprecated) return;
    StrBuf b = STRBUF_INIT;
    strbuf_printf(&b, "config option '%s' is deprecated", path);
    if (o->deprecated[0]) strbuf_printf(&b, " since Nextflow %s", o->deprecated);
    if (!o->replacement) strbuf_puts(&b, " and no longer supported");
    else if (strncmp(o->replacement, "nothing: ", 9) == 0) strbuf_printf(&b, "; %s", o->replacement + 9);
    else strbuf_printf(&b, "; use %s instead", o->replacement);
    if (strbuf_failed(&b)) w->oom = 1;
    else add_diag(w, at, RULE_DEPRECATED_OPTION, strbuf_cstr(&b));
    if (w->stats) w->stats->deprecated++;
    strbuf_free(&b);
}

/* Whether table path `path` ends with the segments segs[0..n) (whole segments). */
static int ends_with_segs(const char *path, const char *const *segs, size_t n, size_t *lead)
{
    const char *ts[MAX_SEGS];
    size_t tl[MAX_SEGS];
    size_t k = split_path(path, ts, tl);
    if (k < n) return 0;
    for (size_t i = 0; i < n; i++)
        if (!seg_match(ts[k - n + i], tl[k - n + i], segs[i]) || (tl[k - n + i] == 1 && ts[k - n + i][0] == '*'))
            return 0;
    *lead = k - n;
    return 1;
}

static int suggestable(const SchemaOption *o)
{
    return !(o->flags & SO_HIDDEN) && !o->deprecated && strncmp(o->path, "agent.", 6) != 0 &&
           !strchr(o->path, '*');
}

/* Options that have the unknown tail segs[d..n) under another scope: the same
 * scope one level deeper (`aws.maxErrorRetry` -> `aws.client.maxErrorRetry`)
 * first, then a top-level scope (`process.queueSize` -> `executor.queueSize`,
 * `singularity.docker.enabled` -> `docker.enabled`). */
static size_t misplaced(const char *const *segs, size_t n, size_t d, const char **out, size_t max)
{
    size_t k = 0;
    for (int pass = 0; pass < 2 && k < max; pass++) {
        for (size_t i = 0; i < schema_noption && k < max; i++) {
            const SchemaOption *o = &schema_options[i];
            size_t lead;
            if (!suggestable(o) || !ends_with_segs(o->path, segs + d, n - d, &lead)) continue;
            int same_scope = 1;
            if (pass == 0) {
                const char *ts[MAX_SEGS];
                size_t tl[MAX_SEGS];
                split_path(o->path, ts, tl);
                if (lead != d + 1) same_scope = 0;
                for (size_t j = 0; j < d && same_scope; j++) same_scope = seg_match(ts[j], tl[j], segs[j]);
                if (!same_scope || d == 0) continue;
            } else {
                if (lead > 1) continue;
                /* a lone directive name moved out of `process` only means executor */
                if (n - d == 1 && (strcmp(segs[0], "process") == 0 || strcmp(segs[0], "agent") == 0) &&
                    strncmp(o->path, "executor.", 9) != 0)
                    continue;
            }
            int dup = 0;
            for (size_t j = 0; j < k && !dup; j++) dup = out[j] == o->path;
            if (!dup) out[k++] = o->path;
        }
    }
    return k;
}

/* Reports segs[0..n) as unknown; segs[d] is the first unknown segment. */
static int report_unknown(Walk *w, const char *const *segs, const Node *const *nodes, size_t n, size_t d,
                          int own_start, int enclosed)
{
    const char *cands[MAX_CHILDREN];
    char names[4096];
    size_t nc = schema_children(segs, d, cands, MAX_CHILDREN, names, sizeof names);
    const char *best[3];
    size_t nb = suggest_closest(segs[d], cands, nc, best, 3);
    /* an unknown top-level scope is most likely a plugin's; a lone name at the
       top of a profile or selector block (`fixOwnership = true`) is no scope and
       Nextflow reports it as unrecognized (ConfigValidator); at the top of the
       file a lone name may be a `def` variable assigned again, so it is left */
    int lone = n == 1 && enclosed;
    if (d == 0 && nb == 0 && !lone) return 0;
    /* a known scope name inside another scope, or no near name: look for the
       same tail under another scope */
    const char *moved[3];
    size_t nm = d > 0 || lone ? misplaced(segs, n, d, moved, 3) : 0;
    int scope_name = schema_lookup(segs + d, 1, NULL, NULL) != SCHEMA_UNKNOWN;
    if (nm && (scope_name || nb == 0)) nb = 0;
    else nm = 0;
    if (d == 0 && !lone && skipped_scope(w, segs[0])) return 0;
    /* a misspelled enclosing block: say it once, at the block's name */
    int in_block = (int)d < own_start;
    if (in_block && nodes[d] == w->reported_block) return 1;

    StrBuf b = STRBUF_INIT;
    strbuf_puts(&b, "unrecognized config option '");
    join(&b, segs, n);
    strbuf_putc(&b, '\'');
    for (size_t i = 0; i < nb; i++) {
        strbuf_puts(&b, i == 0 ? "; did you mean '" : (i + 1 == nb ? "' or '" : "', '"));
        /* the corrected path, when it names an option; else the corrected scope */
        const char *fixed[MAX_DEPTH];
        memcpy(fixed, segs, n * sizeof *fixed);
        fixed[d] = best[i];
        SchemaMatch m = schema_lookup(fixed, n, NULL, NULL);
        join(&b, fixed, (m == SCHEMA_OPTION || m == SCHEMA_UNDER_MAP) ? n : d + 1);
        if (i + 1 == nb) strbuf_puts(&b, "'?");
    }
    for (size_t i = 0; i < nm; i++) {
        strbuf_puts(&b, i == 0 ? "; did you mean '" : (i + 1 == nm ? "' or '" : "', '"));
        strbuf_puts(&b, moved[i]);
        if (i + 1 == nm) strbuf_puts(&b, "'?");
    }
    if (strbuf_failed(&b)) w->oom = 1;
    else add_diag(w, nodes[d], RULE_UNKNOWN_OPTION, strbuf_cstr(&b));
    if (in_block) w->reported_block = nodes[d];
    if (w->stats) w->stats->unknown++;
    strbuf_free(&b);
    return 1;
}

/* walk assign callback. The schema checks `=` assignments (and compound ones)
 * in blocks, selectors, profiles, if/try/catch/finally bodies; legacy
 * `name value` commands and `name(…) { … }` call blocks are left to the
 * resolver, as before the walk was shared. */
static int assignment(void *ctx, const WalkPath *p, const Node *asg, const Node *value)
{
    Walk *w = ctx;
    (void)value;
    if (w->oom) return 0;
    if (asg->kind != N_ASSIGN || (p->where & WALK_IN_CALL) || p->outer > MAX_DEPTH) return 1;
    const Node *target = asg->a;
    if (w->stats) w->stats->assignments++;
    if (p->truncated || p->n > MAX_DEPTH) return 1;

    const char *segs[MAX_DEPTH];
    const Node *nodes[MAX_DEPTH];
    size_t n = (size_t)p->n;
    for (size_t i = 0; i < n; i++) {
        if (!p->segs[i]) return 1;
        segs[i] = p->segs[i];
        nodes[i] = p->nodes[i];
    }
    size_t own_start_raw = (size_t)p->outer;

    /* normalise: profiles.<name>., selector segments, process.$name */
    size_t k = 0, own_start = 0;
    const char *ns[MAX_DEPTH];
    const Node *nn[MAX_DEPTH];
    size_t i = 0;
    while (i + 1 < n && strcmp(segs[i], "profiles") == 0) i += 2;
    if (i < n && strcmp(segs[i], "profiles") == 0) return 1;     /* `profiles = …` */
    for (; i < n; i++) {
        if (is_selector_seg(segs[i])) continue;
        if (k == 1 && segs[i][0] == '$' &&
            (strcmp(ns[0], "process") == 0 || strcmp(ns[0], "agent") == 0 ||
             strcmp(ns[0], "executor") == 0))
            continue;
        if (i < own_start_raw) own_start = k + 1;
        ns[k] = segs[i];
        nn[k] = nodes[i];
        k++;
    }
    if (k == 0) return 1;

    const SchemaOption *o = NULL;
    size_t depth = 0;
    SchemaMatch m = schema_lookup(ns, k, &o, &depth);
    StrBuf path = STRBUF_INIT;
    switch (m) {
    case SCHEMA_OPTION:
        if (w->stats) w->stats->checked++;
        join(&path, ns, k);
        if (strbuf_failed(&path)) { w->oom = 1; break; }
        check_deprecated(w, o, strbuf_cstr(&path), target);
        if (asg->op == TK_ASSIGN) check_type(w, o, strbuf_cstr(&path), asg->b);
        break;
    case SCHEMA_UNDER_MAP:
        if (o->deprecated) {
            if (w->stats) w->stats->checked++;
            join(&path, ns, k);
            if (strbuf_failed(&path)) { w->oom = 1; break; }
            check_deprecated(w, o, strbuf_cstr(&path), target);
        }
        break;
    case SCHEMA_SCOPE:
        if (w->stats) w->stats->checked++;
        break;
    case SCHEMA_UNKNOWN:
        /* enclosed: under a block, or at the top of a profile body (which
           the walk gives without a `profiles.NAME` prefix) */
        if ((report_unknown(w, ns, nn, k, depth, (int)own_start, own_start_raw > 0 || p->profile) || depth > 0) &&
            w->stats)
            w->stats->checked++;
        break;
    }
    strbuf_free(&path);
    return !w->oom;
}

int schema_check_trees(Source *const *sources, Node *const *trees, size_t n,
                       DiagList *diags, SchemaStats *stats)
{
    Walk w;
    memset(&w, 0, sizeof w);
    w.diags = diags;
    w.stats = stats;
    WalkVisitor plugins = {collect_plugins, NULL, NULL};
    for (size_t i = 0; i < n; i++) walk_config(trees[i], &plugins, &w);
    for (size_t i = 0; i < n && !w.oom; i++) {
        if (!trees[i] || !sources[i]) continue;
        int dup = 0;
        for (size_t j = 0; j < i && !dup; j++)
            dup = sources[j] && sources[i]->path && sources[j]->path &&
                  strcmp(sources[i]->path, sources[j]->path) == 0;
        if (dup) continue;
        w.src = sources[i];
        w.reported_block = NULL;
        walk_assignments(trees[i], assignment, &w);
    }
    if (w.oom) {
        diags->oom = 1;
        return -1;
    }
    return 0;
}

void schema_check(const CheckInput *in, DiagList *diags)
{
    if (!in || !in->cfg) return;
    schema_check_trees(in->cfg->sources, in->cfg->trees, in->cfg->nsources, diags, NULL);
}
