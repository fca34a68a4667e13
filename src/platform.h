/* platform — the Seqera Platform API client. It fetches raw JSON answers
 * (OpenAPI 1.181.0, ../shared/schemas/seqera-api-1.181.0-subset.yaml):
 * `GET /credentials` (ListCredentials; research: seqera-wave-credentials.md
 * §3), `GET /workflow/{id}/launch` (DescribeWorkflowLaunch) and
 * `GET /compute-envs/{id}` (DescribeComputeEnv), each with
 * `?workspaceId=<id>` when a workspace is named, and turns every failure into
 * one clear sentence. Parsing the JSON is the caller's job (creds_load_text,
 * prerun); this module only hands the body over.
 *
 * Which token/workspace/endpoint apply (config vs environment, Platform-run
 * rules with TOWER_WORKFLOW_ID) is decided by the caller; this module takes
 * what it is given. The token never appears in any message. */
#ifndef NFP_PLATFORM_H
#define NFP_PLATFORM_H
#include <stddef.h>

#define PLATFORM_DEFAULT_ENDPOINT "https://api.cloud.seqera.io"

typedef struct PlatformConfig {
    const char *endpoint;      /* NULL, "" or "-": PLATFORM_DEFAULT_ENDPOINT; trailing '/' ignored */
    const char *access_token;  /* required */
    const char *workspace_id;  /* NULL or "": personal context; else decimal digits */
    long connect_timeout_ms;   /* <= 0: http defaults */
    long timeout_ms;           /* <= 0: http defaults */
    size_t max_body;           /* 0: http default (8 MiB) */
    int insecure;              /* skip TLS verification (explicit opt-in only) */
} PlatformConfig;

enum {
    PLATFORM_OK = 0,
    PLATFORM_ERR_CONFIG,        /* no token, bad endpoint, non-numeric workspace */
    PLATFORM_ERR_UNAUTHORIZED,  /* 401 */
    PLATFORM_ERR_FORBIDDEN,     /* 403 */
    PLATFORM_ERR_NOT_FOUND,     /* 404 */
    PLATFORM_ERR_BAD_REQUEST,   /* 400 */
    PLATFORM_ERR_SERVER,        /* 5xx */
    PLATFORM_ERR_STATUS,        /* any other non-200 status (429, 3xx left over, ...) */
    PLATFORM_ERR_BAD_RESPONSE,  /* 200 but not a JSON object */
    PLATFORM_ERR_TIMEOUT,
    PLATFORM_ERR_UNREACHABLE,   /* DNS failure or connection refused */
    PLATFORM_ERR_TLS,
    PLATFORM_ERR_TOO_LARGE,
    PLATFORM_ERR_NOMEM,
    PLATFORM_ERR_NETWORK        /* other transfer failure */
};

/* Fills endpoint, access_token and workspace_id from TOWER_API_ENDPOINT,
 * TOWER_ACCESS_TOKEN and TOWER_WORKSPACE_ID (NULL when unset) and zeroes the
 * rest. The strings belong to the environment. */
void platform_config_from_env(PlatformConfig *cfg);

/* The endpoint as used for requests (default when unset, trailing '/'
 * dropped) without any user:password@, for messages; np_malloc'd. */
char *platform_endpoint_display(const char *endpoint);
/* 1 when endpoints a and b name the same API (as used for requests: unset
 * means the default, trailing '/' ignored, scheme and host in any case). */
int platform_same_endpoint(const char *a, const char *b);

/* The list URL for cfg, e.g. "https://api.cloud.seqera.io/credentials?workspaceId=42".
 * Returns an allocated string, or NULL with *err set (PLATFORM_ERR_CONFIG or
 * out of memory); *code, when non-NULL, receives the PLATFORM_* code. */
char *platform_credentials_url(const PlatformConfig *cfg, int *code, char **err);

/* Maps a non-200 HTTP status to a PLATFORM_ERR_* code and sets *msg to an
 * allocated explanation (server "message" from a 400 body included, token
 * redacted). `url` is the request URL for context and may be NULL. */
int platform_status_error(long status, const PlatformConfig *cfg, const char *url,
                          const char *body, size_t body_len, char **msg);

/* Maps an HTTP_ERR_* transfer failure (with http_get's message) to a
 * PLATFORM_ERR_* code and sets *msg. */
int platform_transfer_error(int http_code, const char *http_msg, const PlatformConfig *cfg,
                            char **msg);

/* GET the credentials list. On PLATFORM_OK *body is the raw JSON text
 * (NUL-terminated, caller frees with np_free). Otherwise *body is NULL and
 * *err (when err is non-NULL) an allocated message; returns the PLATFORM_* code. */
int platform_list_credentials(const PlatformConfig *cfg, char **body, char **err);

/* GET /workflow/{workflow_id}/launch and GET /compute-envs/{compute_env_id}
 * (the id is percent-encoded into the path): as platform_list_credentials,
 * with messages that name what was asked for. */
int platform_describe_workflow_launch(const PlatformConfig *cfg, const char *workflow_id, char **body, char **err);
int platform_describe_compute_env(const PlatformConfig *cfg, const char *compute_env_id, char **body, char **err);

/* Several GETs at once (http_get_all): the calls of a run that do not
 * depend on each other. Each PlatformGet's path is set by one of the
 * platform_get_* helpers (PLATFORM_OK, or PLATFORM_ERR_NOMEM /
 * PLATFORM_ERR_CONFIG for an empty id); platform_get_all then fills body
 * (raw JSON on PLATFORM_OK) or err (a message as the single-call functions
 * give), and code. Free each with platform_get_free. */
typedef struct PlatformGet {
    char *path;                /* "/workflow/ID/launch", "/credentials", ... (escaped) */
    const char *what;          /* names it in messages */
    char *body;
    char *err;
    int code;
} PlatformGet;
int platform_get_workflow_launch(PlatformGet *g, const char *workflow_id);
int platform_get_credentials(PlatformGet *g);
void platform_get_all(const PlatformConfig *cfg, PlatformGet *gets, size_t n);
void platform_get_free(PlatformGet *g);

#endif
