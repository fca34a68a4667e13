/* resolve — evaluates parsed config files into one resolved config, as
 * Nextflow does (nextflow-config.md §2.2, §4): layers merged in order,
 * includeConfig relative to the including file, profiles applied where their
 * block stands (v2: command-line order; v1: definition order), params from the
 * command line over config params, selectors kept as `withName:X` keys.
 *
 * What cannot be evaluated becomes a V_DYNAMIC value holding its source text:
 * the resolver never guesses. Every assignment keeps its provenance. */
#ifndef NFP_RESOLVE_H
#define NFP_RESOLVE_H
#include "arena.h"
#include "diag.h"
#include "source.h"
#include "strbuf.h"
#include "syntax.h"
#include "value.h"

/* Fetches a remote include. Returns 0 and a body (np_malloc'd) or -1 and an
 * error message (np_malloc'd). Only called with --remote-includes. */
typedef int (*ResolveFetch)(void *ctx, const char *url, char **body, size_t *len, char **err);

typedef struct ResolveOptions {
    const char *const *profiles;   /* selected profiles in command-line order */
    size_t nprofiles;
    int profiles_given;            /* -profile was on the command line (validate names) */
    int syntax_v1;                 /* legacy semantics: profile definition order, env binding */
    const char *const *env;        /* NAME=VALUE overrides (after the process environment) */
    size_t nenv;
    int clean_env;                 /* start from an empty environment */
    const Value *cli_params;       /* params from --params-file and --param, or NULL */
    const char *project_dir;       /* projectDir/baseDir; default: directory of the first layer */
    const char *launch_dir;        /* launchDir; default: current directory */
    int remote_includes;
    int ignore_includes;
    ResolveFetch fetch;
    void *fetch_ctx;
} ResolveOptions;

/* One layer of configuration, lowest first: a file path, or text. */
typedef struct Layer {
    const char *path;              /* file to read, or NULL when text is given */
    const char *text;              /* config text (e.g. a launch's configText) */
    size_t len;
    const char *name;              /* display name for text layers */
    const char *base_dir;          /* where relative includes of a text layer resolve */
} Layer;

typedef struct ProfileDecl {
    const char *name;
    const Source *src;
    const Node *body;              /* the N_BLOCK of the profile */
    int applied;
} ProfileDecl;

typedef struct Config {
    Arena *arena;
    Value *root;                   /* V_SCOPE */
    Source **sources;              /* every file read (layers and includes), owned */
    size_t nsources, capsources;
    Node **trees;                  /* parse tree of each source, parallel to sources */
    ProfileDecl *profiles;         /* every `profiles { name { } }` seen, in order */
    size_t nprofiles, capprofiles;
    Value *env;                    /* the environment the config saw (--env, --clean-env) */
    int syntax_errors;
    int io_error;                  /* a layer could not be read (exit 3) */
    /* The values of secret-named options and environment variables
     * (tower.accessToken, TOWER_ACCESS_TOKEN …): printers and reports never
     * show a text that contains one, wherever it was copied to. */
    const char **secret_values;
    size_t *secret_lens;
    size_t nsecret_values;
} Config;

/* Never returns NULL except when memory runs out. Diagnostics go to diags. */
Config *resolve_config(const Layer *layers, size_t nlayers, const ResolveOptions *opt, DiagList *diags);
void    config_free(Config *cfg);

/* 1 when some definition of the profile called name was applied to cfg. */
int config_profile_applied(const Config *cfg, const char *name);

/* Looks up a dotted key ("wave.enabled"); sets *prov when found. */
const Value *config_lookup(const Config *cfg, const char *dotted, const Prov **prov);
/* The Source a provenance points to is owned by cfg. */

/* 1 when text contains one of cfg's secret values. */
int config_text_has_secret(const Config *cfg, const char *text, size_t len);
/* The length of a secret value that text starts with, or 0. */
size_t config_secret_at(const Config *cfg, const char *text, size_t len);
/* 1 when a value (a string, or a list or map holding one) contains a secret. */
int config_value_has_secret(const Config *cfg, const Value *v);

/* Printers for `nf-preflight config`. */
void config_print_canonical(StrBuf *out, const Config *cfg);   /* sorted, oracle format */
void config_print_flat(StrBuf *out, const Config *cfg);        /* definition order */
void config_print_json(StrBuf *out, const Config *cfg);

/* Builds a params scope from `name=value` strings the way `--name value` does
 * (`a.b=x` nests, kebab-case becomes camelCase; v1 types true/false/numbers). */
int resolve_add_cli_param(Arena *a, Value *params, const char *assignment, int typed);

#endif
