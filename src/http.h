/* http — the one libcurl wrapper. Everything nf-preflight fetches over the
 * network goes through http_get so that timeouts, TLS verification, the size
 * cap, proxy handling and secret redaction are decided in one place.
 *
 * Rules held here:
 * - TLS peer and host verification are always on unless req->insecure.
 * - Proxies come from the usual environment variables (http_proxy,
 *   https_proxy, no_proxy, ...): libcurl reads them by default and we never
 *   turn that off.
 * - Only http:// and https:// URLs, also for redirects. Redirects are followed
 *   (at most HTTP_MAX_REDIRECTS) but credentials are never re-sent to another
 *   host (CURLOPT_UNRESTRICTED_AUTH stays off).
 * - A bearer token is refused over plain http:// unless the host is loopback.
 * - No error text and no debug line ever contains the token: every message
 *   passes through mask_token (mask.h) before it leaves this module. */
#ifndef NFP_HTTP_H
#define NFP_HTTP_H
#include <stddef.h>

#define HTTP_DEFAULT_CONNECT_TIMEOUT_MS 5000L
#define HTTP_DEFAULT_TIMEOUT_MS         20000L
#define HTTP_DEFAULT_MAX_BODY           ((size_t)8 * 1024 * 1024)
#define HTTP_MAX_REDIRECTS              5L
/* All network work of one run (Platform, every probe) shares one deadline,
 * started by the first request: many images cannot add up to minutes. */
#define HTTP_RUN_BUDGET_MS              60000L

/* Receives one redacted line of transfer trace (request/response headers,
 * libcurl info text). Only called when HttpRequest.debug is set. */
typedef void (*HttpDebugFn)(void *ctx, const char *line);

typedef struct HttpRequest {
    const char *url;             /* http:// or https:// */
    const char *bearer_token;    /* NULL: no Authorization header */
    const char *accept;          /* NULL: libcurl default (Accept: * / *) */
    long connect_timeout_ms;     /* <= 0: HTTP_DEFAULT_CONNECT_TIMEOUT_MS */
    long timeout_ms;             /* whole transfer; <= 0: HTTP_DEFAULT_TIMEOUT_MS */
    size_t max_body;             /* 0: HTTP_DEFAULT_MAX_BODY */
    int insecure;                /* 1: skip TLS verification (never the default) */
    int head;                    /* 1: HEAD instead of GET (status + headers only) */
    int public_only;             /* 1: never connect to a loopback, link-local or unspecified
                                    address (checked on the resolved address, redirects
                                    included; not applied through a proxy) */
    HttpDebugFn debug;           /* optional trace sink, already redacted */
    void *debug_ctx;
} HttpRequest;

typedef struct HttpResponse {
    long status;                 /* final HTTP status, 0 when none was received */
    char *body;                  /* NUL-terminated (possibly empty); NULL after a failure */
    size_t body_len;
    char *www_authenticate;      /* first Bearer challenge, else first challenge; or NULL */
    char *content_type;          /* or NULL */
    char *docker_content_digest; /* or NULL */
} HttpResponse;

/* Transfer outcome. HTTP_OK means a response arrived, whatever its status. */
enum {
    HTTP_OK = 0,
    HTTP_ERR_USAGE,        /* bad request fields (missing URL, bad scheme, token over http) */
    HTTP_ERR_NOMEM,
    HTTP_ERR_RESOLVE,      /* host name did not resolve */
    HTTP_ERR_CONNECT,      /* connection refused / unreachable */
    HTTP_ERR_TIMEOUT,
    HTTP_ERR_TLS,          /* certificate or handshake failure */
    HTTP_ERR_TOO_LARGE,    /* body exceeded max_body */
    HTTP_ERR_TRANSFER      /* anything else libcurl reported */
};

/* Performs the request. On HTTP_OK fills *resp (free with http_response_free).
 * On failure returns one of the HTTP_ERR_* codes, leaves *resp empty and sets
 * *err (if err is non-NULL) to an allocated, redacted message naming the URL
 * (without any user:password@ part); the caller frees it with np_free. */
int http_get(const HttpRequest *req, HttpResponse *resp, char **err);

void http_response_free(HttpResponse *resp);

/* One request of a batch and, once done, its outcome (as http_get's). */
typedef struct HttpCall {
    const HttpRequest *req;      /* in */
    HttpResponse resp;           /* out: on HTTP_OK; free with http_response_free */
    int code;                    /* out: HTTP_OK or HTTP_ERR_* */
    char *err;                   /* out: the redacted message on failure (np_free), else NULL */
} HttpCall;

/* Performs every call at once (libcurl's multi interface): the wall time is
 * that of the slowest, not the sum. Each keeps its own timeouts, size cap
 * and rules, and all end by the run's network deadline. */
void http_get_all(HttpCall *calls, size_t n);

/* Sets the run's network budget (HTTP_RUN_BUDGET_MS by default) and starts
 * it again with the next request; for tests and the CLI. */
void http_set_run_budget(long ms);

/* The URL's host in lower case, without userinfo, port or IPv6 brackets
 * (np_malloc'd), or NULL when there is none or memory ran out. */
char *http_url_host(const char *url);
/* 1 when `host` (as http_url_host gives it) is an IP literal or localhost. */
int http_host_is_literal(const char *host);

/* Initialises libcurl once (http_get calls it on first use). 0 on success. */
int http_init(void);
/* Releases libcurl's global state; http_get may be used again afterwards. */
void http_cleanup(void);

/* Percent-encodes everything except RFC 3986 unreserved characters.
 * Returns an allocated string or NULL when out of memory. */
char *http_url_escape(const char *s);

/* Copy of `url` without a user[:password]@ part, for messages. NULL on OOM. */
char *http_url_for_display(const char *url);

/* 1 when the URL's host is 127.0.0.1 (any 127.x), ::1 or localhost. */
int http_url_is_loopback(const char *url);

/* Value of the string member `key` of the top-level JSON object in body[0..len),
 * decoded (escapes, \uXXXX as UTF-8). A small scanner for the two places that
 * need one field of a server answer (registry token, Platform error message);
 * it is not a JSON validator. Returns an allocated string, or NULL when the key
 * is absent, not a string, the text is not an object, or memory ran out. */
char *http_json_top_string(const char *body, size_t len, const char *key);

/* The bundle of trusted CA certificates the static build verifies TLS peers
 * with: $SSL_CERT_FILE when set, else the first readable one of the paths
 * distributions use (/etc/ssl/certs/ca-certificates.crt,
 * /etc/pki/tls/certs/ca-bundle.crt, ...); NULL when there is none, and an
 * https request then fails with HTTP_ERR_TLS saying so. The dynamic build
 * leaves the system libcurl's own default unless $SSL_CERT_FILE is set. */
const char *http_ca_bundle(void);

/* Short fixed description of an HTTP_ERR_* code ("timed out", ...). */
const char *http_error_name(int code);

#endif
