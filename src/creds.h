/* creds — the credential inventory: which registry credentials exist, where
 * they were found, and which one Wave would pick for a registry host.
 *
 * Sources (research: seqera-wave-credentials.md §3, §5):
 *   - the Platform API list answer  {"credentials":[{..., "keys":{"registry":..}}]}
 *   - `tw -o json credentials list`  {"workspaceRef":..., "credentials":[...]}
 *   - a simple inventory (JSON or YAML): a list, or {credentials: [...]}, of
 *     {registry, name, user}
 *   - docker config.json (auths, credHelpers, credsStore) and
 *     containers-auth.json (podman/skopeo/buildah), plus legacy ~/.dockercfg.
 *
 * Secrets are never kept: password, token and auth fields are parsed (they are
 * part of the document) but never copied into a Credential, and the parsed
 * documents and file buffers are overwritten with zeros before being freed. */
#ifndef NFP_CREDS_H
#define NFP_CREDS_H
#include <stddef.h>
#include "arena.h"

/* Where a credential came from. Only the first three are Platform
 * credentials that Wave can use; the local files serve docker/podman. */
typedef enum CredOrigin {
    CRED_FROM_PLATFORM_API = 0,   /* GET /credentials answer */
    CRED_FROM_TW,                 /* tw -o json credentials list */
    CRED_FROM_INVENTORY,          /* simple list of {registry, name, user} */
    CRED_FROM_DOCKER_CONFIG,      /* docker config.json / legacy .dockercfg */
    CRED_FROM_AUTH_FILE           /* containers-auth.json */
} CredOrigin;

/* Credential.flags */
enum {
    CRED_REGISTRY_UNSET = 1 << 0,  /* registry null/empty/absent: Wave reads it as docker.io */
    CRED_DELETED        = 1 << 1,  /* Platform "deleted": true — ignored by matching */
    CRED_INVALID        = 1 << 2,  /* Platform status INVALID (last validation rejected) */
    CRED_HELPER         = 1 << 3,  /* local: credHelpers entry; helper names the program suffix */
    CRED_INLINE_SECRET  = 1 << 4,  /* local: the file itself holds a secret for this host */
    CRED_NO_SECRET      = 1 << 5,  /* local: auths entry without any secret ({}): lives in credsStore */
    CRED_ASSUME_ROLE    = 1 << 6   /* Platform aws credential with keys.assumeRoleArn set */
};

typedef struct Credential {
    const char *provider;   /* "container-reg", "aws", ...; local files: "container-reg" */
    const char *name;       /* Platform name; NULL for local files */
    const char *registry;   /* host exactly as stored (keys.registry / auths key); NULL when unset */
    const char *user;       /* keys.userName / user / username; NULL when unknown */
    const char *id;         /* Platform id; NULL when absent */
    const char *workspace;  /* tw workspaceRef ("user", "[Org / Ws]"); NULL otherwise */
    const char *helper;     /* credHelpers suffix (docker-credential-<helper>) */
    const char *source;     /* human description, e.g. "creds.json: credentials[2]" */
    /* CRED_INVALID: Platform's `message` (why its last validation was
     * rejected; one line, at most CREDS_STATUS_MESSAGE_MAX bytes and "...")
     * and `lastValidated`, each NULL when absent */
    const char *status_message;
    const char *last_validated;
    CredOrigin origin;
    unsigned flags;
    size_t start, end;      /* byte span of the entry in the text it was loaded from */
} Credential;

typedef struct CredList {
    Credential *items;
    size_t len, cap;
    Arena *arena;                 /* all strings of the list */
    /* A docker/containers file named a credsStore: every host may have
     * credentials the tool cannot see. */
    int creds_store;
    const char *creds_store_name;     /* e.g. "desktop", "pass" */
    const char *creds_store_source;   /* the file that named it */
    /* A Platform source (--platform, a Platform answer, a --credentials
     * inventory) was asked for but could not be read: which credentials Wave
     * has is unknown, so a host without a match is not known to lack one. */
    int platform_unread;
} CredList;

#define CREDLIST_INIT {0, 0, 0, 0, 0, 0, 0, 0}

#define CREDS_STATUS_MESSAGE_MAX 200

/* Return codes of the loaders. */
enum {
    CREDS_OK = 0,
    CREDS_ENOENT,     /* file does not exist (callers skip missing default files) */
    CREDS_EIO,        /* cannot read the file */
    CREDS_ESYNTAX,    /* not JSON/YAML */
    CREDS_EFORMAT,    /* parsed, but not a credentials document we know */
    CREDS_ENOMEM
};

/* Appends the credentials of one document (format autodetected, JSON or YAML).
 * `origin` names the text in messages and Credential.source. On failure the
 * list is unchanged and *err (np_free) says why with "origin:line:col: ". */
int creds_load_text(CredList *list, const char *text, size_t len, const char *origin, char **err);
/* A file of credentials read as creds_load_text does: an inventory named by
 * --credentials. Every file of this module is read by source_load: regular
 * files only (a FIFO or device is refused without blocking), at most
 * SOURCE_MAX_BYTES, and wiped before it is freed. */
int creds_load_file(CredList *list, const char *path, char **err);
/* Docker CLI config.json (or legacy .dockercfg: auth map at top level). */
int creds_load_docker_config(CredList *list, const char *path, char **err);
/* containers-auth.json (namespaced keys such as quay.io/org allowed). */
int creds_load_auth_file(CredList *list, const char *path, char **err);
void creds_list_free(CredList *list);

/* Default places of local registry auth files, in the order podman/skopeo/
 * buildah read them (research §5.2); docker's own file is among them. */
typedef enum CredPathKind { CRED_PATH_AUTH_JSON, CRED_PATH_DOCKER_CONFIG, CRED_PATH_DOCKERCFG } CredPathKind;
typedef struct CredPath {
    char *path;             /* np_malloc'd */
    CredPathKind kind;
} CredPath;
/* Environment lookup hook: returns the value of `name` or NULL. */
typedef const char *(*CredsGetenv)(const char *name, void *ctx);
/* Fills *out with up to 5 paths (free with creds_paths_free). `get` NULL means
 * getenv(). uid is used for /run/containers/<uid>/auth.json when
 * XDG_RUNTIME_DIR is unset. Entries whose variables are all unset are left out.
 * Returns CREDS_OK or CREDS_ENOMEM. */
int  creds_auth_file_paths(CredsGetenv get, void *ctx, unsigned long uid, CredPath **out, size_t *n);
void creds_paths_free(CredPath *paths, size_t n);
/* Docker's own config: $DOCKER_CONFIG/config.json else $HOME/.docker/config.json;
 * NULL when neither variable is set or memory ran out. np_free the result. */
char *creds_docker_config_path(CredsGetenv get, void *ctx);

/* Is this a credential Wave can use? Platform origin, provider container-reg,
 * not deleted (research §0, §2.3). */
int creds_is_wave_registry(const Credential *c);
/* The host Wave compares against: registry as stored, or "docker.io" when unset. */
const char *creds_wave_host(const Credential *c);
/* Wave's rule: the FIRST usable credential whose host equals `host` exactly
 * (case-sensitive, no aliasing). NULL when none matches. */
const Credential *creds_match(const CredList *list, const char *host);
/* Wave's fallback for a Platform run (seqeralabs/wave CredentialServiceImpl
 * findComputeCreds, ContainerRegistryKeys.fromJson, AwsEcrService): when no
 * container-reg credential matches `host`, Wave takes the run's compute
 * environment credential (launch.computeEnv.credentialsId) if the compute
 * environment's platform is aws-batch or google-batch. Only an `aws`
 * credential with access keys (no assumeRoleArn) becomes a registry login,
 * and AWS keys log in only to ECR (private hosts and public.ecr.aws), so the
 * credential covers `host` only on aws-batch for an ECR host. Returns that
 * credential, or NULL. */
const Credential *creds_compute_fallback(const CredList *list, const char *compute_platform,
                                         const char *credentials_id, const char *host);
/* Without Wave the executor pulls: 1 when the compute environment's own
 * cloud identity logs in to `host` (AWS Batch's instance role for ECR,
 * Google Batch's service account for Artifact Registry and Container
 * Registry; research/nextflow-wave-source-facts.md, "Wave off"). */
int creds_compute_identity_pulls(const char *compute_platform, const char *host);
/* How many usable credentials share that exact host (>1: first-match ambiguity). */
size_t creds_match_count(const CredList *list, const char *host);

/* When no credential matches `host` exactly, the first usable credential whose
 * host names the same registry (registry_same: case, scheme, path, default
 * port, Docker Hub aliases): the "credential-host-mismatch" case. *why gets
 * the REGISTRY_DIFF_* bits of both sides. NULL when there is an exact match
 * or no alias. */
const Credential *creds_match_alias(const CredList *list, const char *host, unsigned *why);
/* Local docker/podman lookup (not Wave): the first credential from a local file
 * whose canonical host (registry_canonical, port kept as written) equals that
 * of `host` (namespaced containers-auth keys count for their registry). */
const Credential *creds_match_local(const CredList *list, const char *host);

const char *creds_origin_name(CredOrigin o);
const char *creds_strerror(int rc);

#endif
