/* schema — the table of Nextflow's core config options (src/schema_table.c)
 * and lookups over it. The rule family that reports unknown options, wrong
 * literal types and deprecated options lives in src/schema.c (schema_check,
 * declared in src/checks.h). */
#ifndef NFP_SCHEMA_H
#define NFP_SCHEMA_H
#include <stddef.h>
#include "diag.h"
#include "source.h"
#include "syntax.h"

/* Accepted types of an option (bit set). A literal is accepted when it can be
 * of at least one of them. */
enum {
    ST_BOOL     = 1u << 0,
    ST_INT      = 1u << 1,   /* Integer / Long; numeric strings are accepted too */
    ST_FLOAT    = 1u << 2,   /* Float / Double; integers are accepted too */
    ST_STRING   = 1u << 3,
    ST_DURATION = 1u << 4,   /* Duration: `2.h`, '2h', '1 day', or milliseconds */
    ST_MEMORY   = 1u << 5,   /* MemoryUnit: `2.GB`, '2 GB', or bytes */
    ST_LIST     = 1u << 6,
    ST_MAP      = 1u << 7,
    ST_CLOSURE  = 1u << 8,
    ST_ANY      = 0x1ffu
};

/* Option flags. */
enum {
    SO_MAPVALUED = 1u << 0,  /* free-form map: nothing below it is checked */
    SO_HIDDEN    = 1u << 1,  /* accepted but undocumented (hidden CLI option, internal) */
    SO_NOTYPE    = 1u << 2   /* reported by another rule family: no option-type check */
};

typedef struct SchemaOption {
    const char *path;        /* dotted; `*` stands for a user-chosen name (`azure.batch.pools.*.vmType`) */
    unsigned types;          /* ST_* */
    unsigned flags;          /* SO_* */
    const char *since;       /* Nextflow version that introduced it, NULL when older than 23.04 */
    const char *deprecated;  /* version that deprecated or removed it ("" = version not known), or NULL */
    const char *replacement; /* what to use instead (an option path or a short sentence), or NULL */
} SchemaOption;

extern const SchemaOption schema_options[];
extern const size_t schema_noption;

/* Top-level scope names that belong to well-known third-party plugins
 * (`validation` for nf-schema …): never reported. NULL-terminated. */
extern const char *const schema_plugin_scopes[];

/* The Nextflow release the table describes, e.g. "26.04". */
const char *schema_nextflow_version(void);

/* Result of looking a path up. */
typedef enum SchemaMatch {
    SCHEMA_UNKNOWN = 0,      /* no option or scope has this path; *depth = how many leading
                                segments name a known scope (0: even the first is unknown) */
    SCHEMA_OPTION,           /* *opt is the option */
    SCHEMA_UNDER_MAP,        /* below a map-valued option (*opt) */
    SCHEMA_SCOPE             /* the path names a scope (an assignment of a whole scope) */
} SchemaMatch;

/* Looks segments segs[0..n) up. opt and depth may be NULL. */
SchemaMatch schema_lookup(const char *const *segs, size_t n, const SchemaOption **opt, size_t *depth);

/* Child names (options and sub-scopes, de-duplicated, in table order) directly
 * below the scope segs[0..n). Writes up to `max` pointers into out (static
 * strings valid until the next call: they live in a buffer of `buf`/`bufsz`).
 * Returns how many names were written. With n == 0 lists the top-level names. */
size_t schema_children(const char *const *segs, size_t n, const char **out, size_t max,
                       char *buf, size_t bufsz);

/* Whether Nextflow reads a string literal as a memory size ('8 GB', '8.GB',
 * '8g'; not '8 gb') or a duration ('2h', '1d 2h', '30 min', '100ms'; not
 * '10 secs'): units.h has the grammar and its sources. */
int schema_is_memory_string(const char *s);
int schema_is_duration_string(const char *s);

/* What one run of the checker saw (for the corpus conformance test). */
typedef struct SchemaStats {
    size_t assignments;      /* config assignments walked */
    size_t checked;          /* of which looked up (not under params/env/maps/plugin scopes) */
    size_t unknown, type, deprecated;   /* findings added */
} SchemaStats;

/* Checks every assignment of trees[i] (parsed from sources[i]; a NULL tree is
 * skipped). Plugin ids declared in any tree are honoured. Duplicate sources
 * (the same path read twice) are checked once. stats may be NULL. Returns 0,
 * or -1 when memory ran out (diags->oom is then set too). */
int schema_check_trees(Source *const *sources, Node *const *trees, size_t n,
                       DiagList *diags, SchemaStats *stats);

#endif
