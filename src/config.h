/* config — the resolved configuration of one launch, as every stage above the
 * resolver sees it: the merged value tree with provenance, the sources and
 * parse trees it came from, the profiles it declared and applied, the
 * environment it saw, and the secret values printers must hide. Built by
 * resolve_config (resolve.h); read by the checks, fix, credentials, the
 * reports and the CLI, which need nothing of how it was evaluated.
 *
 * Ownership: a Config owns its arena (values, provenance, profile
 * declarations, secret values) and every Source in `sources` (freed by
 * config_free); see source.h for the lifetime rule of sources. */
#ifndef NFP_CONFIG_H
#define NFP_CONFIG_H
#include "arena.h"
#include "redact.h"
#include "source.h"
#include "strbuf.h"
#include "syntax.h"
#include "value.h"

/* One `profiles { name { … } }` definition, in the order the files declared them. */
typedef struct ProfileDecl {
    const char *name;
    const Source *src;
    const Node *body;              /* the N_BLOCK of the profile */
    int applied;                   /* its body was evaluated into the config */
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
    /* Config text Nextflow would read but this resolution did not: a remote
     * include not fetched, an include refused, missing or dynamic, a file
     * with syntax errors, an `if` decided only at run time. Profiles (and
     * settings) defined there are unknown here. The first such place is kept
     * (what, and where it stands); nunread counts them all. */
    size_t nunread;
    const char *unread_what;       /* e.g. "remote include 'https://…'" (arena) */
    const Source *unread_src;      /* where it stands (NULL: a layer as a whole) */
    size_t unread_start, unread_end;
    /* The values of secret-named options and environment variables
     * (tower.accessToken, TOWER_ACCESS_TOKEN …): printers and reports never
     * show a text that contains one, wherever it was copied to. */
    SecretSet secrets;
} Config;

/* ---- building (the resolver) ---- */

/* An empty config with its arena and an empty root scope; NULL when memory
 * ran out. */
Config *config_new(void);
/* Appends src and its parse tree (NULL until parsed); cfg takes ownership of
 * src only when this returns 1 (0: out of memory, the caller still owns it). */
int config_add_source(Config *cfg, Source *src, Node *tree);
/* Records a profile definition (name and body live in cfg's arena or a
 * source of cfg). NULL when memory ran out. */
ProfileDecl *config_declare_profile(Config *cfg, const char *name, const Source *src, const Node *body);
/* Fills cfg->secrets from the resolved tree and then the environment: run
 * once, after the last layer. */
void config_collect_secrets(Config *cfg);
/* Frees cfg, its arena and its sources. NULL is allowed. */
void config_free(Config *cfg);

/* ---- reading ---- */

/* 1 when some definition of the profile called name was applied to cfg. */
int config_profile_applied(const Config *cfg, const char *name);

/* Looks up a dotted key ("wave.enabled"); sets *prov when found. The Source a
 * provenance points to is owned by cfg. */
const Value *config_lookup(const Config *cfg, const char *dotted, const Prov **prov);

/* Printers for `nf-preflight config`; secret values print as SECRET_REDACTED. */
void config_print_canonical(StrBuf *out, const Config *cfg);   /* sorted, oracle format */
void config_print_flat(StrBuf *out, const Config *cfg);        /* definition order */
void config_print_json(StrBuf *out, const Config *cfg);

#endif
