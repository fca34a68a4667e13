/* probe — "could anyone pull this image without credentials?" asked of the
 * registry itself over the registry v2 API (research:
 * seqera-wave-credentials.md §7):
 *
 *   HEAD /v2/<repo>/manifests/<ref> with the manifest Accept types
 *     200 → public; 404 → not found; 403 → needs auth
 *     401 Basic → needs auth (no anonymous access exists, e.g. ECR private)
 *     401 Bearer realm=…,service=… → GET <realm>?service=…&scope=repository:<repo>:pull
 *         anonymously; 401/403 there → needs auth; otherwise retry the HEAD
 *         with the token: 200 → public, 401/403 → needs auth, 404 → not found
 *
 * HEAD is used, not GET: it returns the same status and digest, and Docker
 * Hub does not count HEAD requests against the pull rate limit. A registry
 * answering 405/501 to HEAD is asked again with GET.
 *
 * Registries deliberately answer "private" and "does not exist" alike (401),
 * so needs-auth means "needs credentials, or is not there". The probe sends no
 * credentials of any kind and is bounded by a total time budget. */
#ifndef NFP_PROBE_H
#define NFP_PROBE_H

#define PROBE_DEFAULT_CONNECT_TIMEOUT_MS 3000L
#define PROBE_DEFAULT_TOTAL_TIMEOUT_MS   15000L

/* Accept list sent with the manifest request: OCI index/manifest and Docker
 * manifest list/v2. */
#define PROBE_MANIFEST_ACCEPT \
    "application/vnd.oci.image.index.v1+json, application/vnd.oci.image.manifest.v1+json, " \
    "application/vnd.docker.distribution.manifest.list.v2+json, " \
    "application/vnd.docker.distribution.manifest.v2+json"

typedef enum ProbeVerdict {
    PROBE_PUBLIC = 0,     /* anonymous pull works */
    PROBE_NEEDS_AUTH,     /* credentials needed (or the image is hidden/missing) */
    PROBE_NOT_FOUND,      /* registry says the repository or tag does not exist */
    PROBE_ERROR           /* inconclusive: network, timeout, 5xx, 429, malformed answer */
} ProbeVerdict;

typedef struct ProbeOptions {
    long connect_timeout_ms;  /* per request; <= 0: PROBE_DEFAULT_CONNECT_TIMEOUT_MS */
    long total_timeout_ms;    /* the whole probe; <= 0: PROBE_DEFAULT_TOTAL_TIMEOUT_MS */
    int insecure;             /* skip TLS verification */
} ProbeOptions;

typedef struct ProbeResult {
    ProbeVerdict verdict;
    long status;              /* status of the last manifest request, 0 if none */
    int token_used;           /* an anonymous bearer token was obtained and used */
    char *digest;             /* Docker-Content-Digest when public, else NULL */
    char *detail;             /* one-line explanation (allocated), may be NULL on OOM */
} ProbeResult;

/* One parsed WWW-Authenticate challenge (the first in the header). */
typedef struct ProbeChallenge {
    char *scheme;             /* "Bearer", "Basic", ... as sent */
    char *realm, *service, *scope;  /* NULL when absent */
} ProbeChallenge;

/* Parses RFC 7235 auth-params of the first challenge (any order, quoted or
 * token values, backslash escapes). 0 ok, -1 malformed, -2 out of memory.
 * Free with probe_challenge_free (also after a failure). */
int probe_parse_challenge(const char *header, ProbeChallenge *out);
void probe_challenge_free(ProbeChallenge *c);

/* "https://<host>/v2/<repo>/manifests/<ref>" (http:// when use_http), with
 * docker.io / index.docker.io mapped to registry-1.docker.io and library/
 * added to single-component Docker Hub names. NULL with *err for names that
 * contain characters no reference can hold, or out of memory. */
char *probe_manifest_url(const char *registry_host, const char *repo_path, const char *reference,
                         int use_http, char **err);

/* "<realm>?service=<svc>&scope=repository:<repo>:pull" (joined with '&' when
 * the realm has a query already; service omitted when absent). NULL on OOM
 * or when the challenge has no realm. */
char *probe_token_url(const ProbeChallenge *c, const char *repo_path);

const char *probe_verdict_name(ProbeVerdict v);   /* "public", "needs-auth", "not-found", "error" */

/* Runs the probe with default options. Returns 0 when a verdict other than
 * PROBE_ERROR was reached; -1 with out->verdict == PROBE_ERROR and *err set
 * (allocated, caller frees) when the answer is inconclusive. Free *out with
 * probe_result_free in both cases. */
int probe_anonymous_pull(const char *registry_host, const char *repo_path, const char *reference,
                         int use_http, ProbeResult *out, char **err);
int probe_anonymous_pull_ex(const char *registry_host, const char *repo_path, const char *reference,
                            int use_http, const ProbeOptions *opt, ProbeResult *out, char **err);
void probe_result_free(ProbeResult *r);

#endif
