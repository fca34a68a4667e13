/* value — the resolved config model: scalars, lists, literal maps, config
 * scopes, units, closures and *dynamic* values (what cannot be known before
 * the run, kept with its source text). Values live in the resolver's arena.
 *
 * A config scope (V_SCOPE, Groovy's ConfigObject) and a map literal (V_MAP)
 * are different: scopes are flattened into `a.b.c` keys when printed, maps
 * are one value (nextflow-config.md §4.1, oracle README "Output format"). */
#ifndef NFP_VALUE_H
#define NFP_VALUE_H
#include <stddef.h>
#include "arena.h"
#include "source.h"
#include "strbuf.h"

typedef enum ValueKind {
    V_NULL, V_BOOL, V_INT, V_DECIMAL, V_STRING, V_LIST, V_MAP, V_SCOPE,
    V_MEMORY, V_DURATION, V_CLOSURE, V_PATH, V_DYNAMIC
} ValueKind;

/* Where a value or assignment came from. */
typedef struct Prov {
    const Source *src;        /* NULL for command-line params and defaults */
    size_t start, end;        /* span of the assignment or expression */
    const char *profile;      /* profile whose body set it, or NULL */
    struct Prov *overrode;    /* the assignment this one replaced, if any */
} Prov;

typedef struct Entry Entry;
typedef struct Value Value;

struct Value {
    ValueKind kind;
    int       b;              /* V_BOOL */
    long long i;              /* V_INT; bytes for V_MEMORY; milliseconds for V_DURATION */
    double    f;              /* V_DECIMAL */
    const char *s;            /* V_STRING, V_PATH; V_DECIMAL literal text; source text of
                                 V_CLOSURE and V_DYNAMIC */
    size_t    len;
    Value   **items;          /* V_LIST; V_STRING from a v1 GString that interpolated an
                                 unresolved name: its parts (literal strings and values) */
    size_t    nitems, capitems;
    Entry    *entries;        /* V_MAP, V_SCOPE: in insertion order */
    size_t    nentries, capentries;
    unsigned *index;          /* hash index over entries once a scope is large (slot = entry + 1) */
    size_t    indexcap;       /* power of two; 0 when there is no index */
    const Source *src;        /* V_CLOSURE, V_DYNAMIC: where the text is */
    size_t    start, end;
    const char *why;          /* V_DYNAMIC: short reason ("closure", "unknown name 'x'") */
    /* The environment variable this value's text comes from (a string, path,
     * or a list or map of them; VALUE_ENV_ALL for the whole environment),
     * NULL when it does not: the value still decides things, but printers
     * show its source (value_print_env) instead of its text. */
    const char *env;
};

/* Value.env of System.getenv(), the whole environment. */
extern const char VALUE_ENV_ALL[];
/* Value.env of a value written to a secret-named option and of everything
 * derived from it (reverse(), substring(), "${…}" …): shown as
 * VALUE_REDACTED, never as its text (compared by address). */
extern const char VALUE_ENV_SECRET[];
/* What printers show instead of a secret value. */
#define VALUE_REDACTED "<redacted>"

struct Entry {
    const char *key;          /* NUL-terminated */
    size_t keylen;
    Value *val;
    Prov  *prov;              /* may be NULL */
};

Value *value_new(Arena *a, ValueKind kind);
Value *value_string(Arena *a, const char *s, size_t len);
Value *value_int(Arena *a, long long i);
Value *value_bool(Arena *a, int b);
Value *value_dynamic(Arena *a, const Source *src, size_t start, size_t end, const char *why);

/* Scopes and maps. value_get returns NULL when absent. */
Entry *value_entry(const Value *scope, const char *key, size_t keylen);
Value *value_get(const Value *scope, const char *key);
/* Removes a key, keeping the order of the others. Returns 1 when it was there. */
int    value_remove(Value *scope, const char *key, size_t keylen);
/* Sets (replacing in place, keeping the key's position) and returns the entry. */
Entry *value_set(Arena *a, Value *scope, const char *key, size_t keylen, Value *v, Prov *prov);
int    value_list_push(Arena *a, Value *list, Value *v);
/* Deep-copies containers (scopes, maps, lists); scalars and empty scopes are shared. */
Value *value_copy(Arena *a, const Value *v);
/* Nextflow's merge across files: for each key of `src`, if both are scopes
 * merge recursively, otherwise the newer value replaces (ConfigObject.merge). */
int    value_merge(Arena *a, Value *dst, const Value *src);

/* Groovy truth: 1 true, 0 false, -1 unknown (dynamic). */
int  value_truth(const Value *v);
int  value_is_dynamic_deep(const Value *v);
/* Equality of known values: 1 equal, 0 not, -1 unknown. */
int  value_equal(const Value *a, const Value *b);
/* The longest string the evaluator builds (a concatenation, a GString, a
 * repeated string, a list's text): far above any real setting, far below
 * what doubling a string 30 times would take. Past it a value is dynamic. */
#define VALUE_MAX_STRING ((size_t)1 << 20)
/* How deep value_to_string goes into lists and maps (one may hold itself). */
#define VALUE_MAX_TEXT_DEPTH 64

/* Groovy toString of a scalar into b; returns 0 for values that have no
 * known string form (dynamic, closures, a container holding itself, or
 * more than VALUE_MAX_STRING bytes of text). */
int  value_to_string(StrBuf *b, const Value *v);

/* Renders a string the way Nextflow v1 prints a GString stored as a config
 * value: an interpolated unresolved name (an empty scope) for which name_of
 * returns a key is written as `$key` (oracle README, "Empty scopes"). Other
 * values render with value_to_string. Returns 0 when a part has no string form. */
int  value_gstring_render(StrBuf *b, const Value *v, const char *(*name_of)(void *ctx, const Value *hole), void *ctx);

/* Canonical printing (shared/oracle/README.md "Output format"); a value
 * from the environment prints as its source (value_print_env). */
void value_print_canonical(StrBuf *b, const Value *v);
/* Writes what a value from environment variable `env` shows instead of its
 * text: `env('NAME')`, `System.getenv()` for VALUE_ENV_ALL, or
 * '<redacted>' for VALUE_ENV_SECRET. */
void value_print_env(StrBuf *b, const char *env);
/* The first Value.env of v or of the items and entries inside it (to a
 * small depth), NULL when none comes from the environment. */
const char *value_env_of(const Value *v);
void value_print_key_segment(StrBuf *b, const char *key, size_t len);
const char *value_kind_name(ValueKind k);

#endif
