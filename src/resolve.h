/* resolve — evaluates parsed config files into one resolved config, as
 * Nextflow does (nextflow-config.md §2.2, §4): layers merged in order,
 * includeConfig relative to the including file, profiles applied where their
 * block stands (v2: command-line order; v1: definition order), params from the
 * command line over config params, selectors kept as `withName:X` keys.
 *
 * What cannot be evaluated becomes a V_DYNAMIC value holding its source text:
 * the resolver never guesses. Every assignment keeps its provenance.
 * The result is a Config (config.h): stages above the resolver read it
 * through config.h alone. */
#ifndef NFP_RESOLVE_H
#define NFP_RESOLVE_H
#include "arena.h"
#include "config.h"
#include "diag.h"
#include "value.h"

/* Fetches a remote include. Returns 0 and a body (np_malloc'd) or -1 and an
 * error message (np_malloc'd). Only called with --remote-includes. */
typedef int (*ResolveFetch)(void *ctx, const char *url, char **body, size_t *len, char **err);

/* Supplies the text of a local config file (a layer path or an include)
 * instead of reading it: an editor's unsaved buffer, or a cached copy of a
 * file that did not change. Returns a Source the resolver then owns
 * (`name` as in source_load), or NULL with *err a SOURCE_* code. When no
 * hook is set, files are read with source_load. */
typedef Source *(*ResolveLoad)(void *ctx, const char *path, const char *name, int *err);

/* Parses a loaded source instead of parse_config (same contract: the N_FILE
 * root, syntax diagnostics added to diags, the error count in *errors); an
 * editor answers from its cache of unchanged files. The tree must stay valid
 * and unchanged while the Config lives. When no hook is set, parse_config
 * parses into the Config's arena. */
typedef Node *(*ResolveParse)(void *ctx, Arena *arena, const Source *src, DiagList *diags, int *errors);

typedef struct ResolveOptions {
    const char *const *profiles;   /* selected profiles in command-line order */
    size_t nprofiles;
    int profiles_given;            /* -profile was on the command line (validate names) */
    int syntax_v1;                 /* legacy semantics: profile definition order, env binding */
    const char *const *env;        /* NAME=VALUE overrides (after the process environment);
                                      a NAME alone, or the NAME of NAME=VALUE, may be printed */
    size_t nenv;
    int trust_env;                 /* every variable may be printed (never secret-named ones);
                                      otherwise values from the environment print as env('NAME') */
    int clean_env;                 /* start from an empty environment */
    const Value *cli_params;       /* params from --params-file and --param, or NULL */
    size_t params_bytes;           /* bytes of params text read for cli_params (paramsText,
                                      --params-file): they count toward SOURCE_MAX_TOTAL_BYTES */
    const char *project_dir;       /* projectDir/baseDir; default: directory of the first layer */
    const char *launch_dir;        /* launchDir; default: current directory */
    int remote_includes;
    int ignore_includes;
    int allow_outside_includes;    /* read local includes outside project_dir and the layers'
                                      directories (never /proc, /sys, /dev) */
    ResolveFetch fetch;
    void *fetch_ctx;
    ResolveLoad load;              /* NULL: source_load */
    void *load_ctx;
    ResolveParse parse;            /* NULL: parse_config */
    void *parse_ctx;
} ResolveOptions;

/* One layer of configuration, lowest first: a file path, or text. */
typedef struct Layer {
    const char *path;              /* file to read, or NULL when text is given */
    const char *text;              /* config text (e.g. a launch's configText) */
    size_t len;
    const char *name;              /* display name for text layers */
    const char *base_dir;          /* where relative includes of a text layer resolve */
} Layer;

/* Never returns NULL except when memory runs out. Diagnostics go to diags.
 * The caller frees the result with config_free. */
Config *resolve_config(const Layer *layers, size_t nlayers, const ResolveOptions *opt, DiagList *diags);
/* Builds a params scope from `name=value` strings the way `--name value` does
 * (`a.b=x` nests, kebab-case becomes camelCase; v1 types true/false/numbers). */
int resolve_add_cli_param(Arena *a, Value *params, const char *assignment, int typed);

#endif
