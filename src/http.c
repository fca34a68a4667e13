/* http — see http.h. The only file that includes <curl/curl.h>: every other
 * module talks to the network through http_get and http_get_all. Both run
 * on libcurl's multi interface (http_get is a batch of one), so a request
 * is set up, bounded and read the same way alone or among others. */
#include "http.h"
#include "alloc.h"
#include "mask.h"
#include "strbuf.h"

#include <curl/curl.h>
#include <arpa/inet.h>
#include <ctype.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <time.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#ifndef NFP_STATIC_CURL
#include <dlfcn.h>
#endif

#ifndef NFP_VERSION
#define NFP_VERSION "dev"
#endif

/* libcurl is loaded with the first request, not at start: the thirty-odd
 * libraries it pulls in (TLS, Kerberos, LDAP, …) cost more start-up time
 * than a whole offline `check` of a pipeline, and most runs never touch the
 * network. The functions used are reached through this table. */
static struct {
    void *lib;
    CURLcode (*global_init)(long flags);
    void (*global_cleanup)(void);
    CURL *(*easy_init)(void);
    CURLcode (*easy_setopt)(CURL *h, CURLoption opt, ...);
    CURLcode (*easy_perform)(CURL *h);
    CURLcode (*easy_getinfo)(CURL *h, CURLINFO info, ...);
    void (*easy_cleanup)(CURL *h);
    const char *(*easy_strerror)(CURLcode rc);
    struct curl_slist *(*slist_append)(struct curl_slist *list, const char *s);
    void (*slist_free_all)(struct curl_slist *list);
    CURLM *(*multi_init)(void);
    CURLMcode (*multi_add_handle)(CURLM *m, CURL *h);
    CURLMcode (*multi_remove_handle)(CURLM *m, CURL *h);
    CURLMcode (*multi_perform)(CURLM *m, int *running);
    CURLMcode (*multi_wait)(CURLM *m, struct curl_waitfd *extra, unsigned n, int timeout_ms, int *ret);
    CURLMsg *(*multi_info_read)(CURLM *m, int *left);
    CURLMcode (*multi_cleanup)(CURLM *m);
} lc;
static int http_inited;
static char load_error[256];

#ifdef NFP_STATIC_CURL
/* The static build links libcurl in (there is no loader to dlopen it with);
 * the table then points at the linked functions. */
static int load_libcurl(void)
{
    lc.global_init = curl_global_init;     lc.global_cleanup = curl_global_cleanup;
    lc.easy_init = curl_easy_init;         lc.easy_setopt = curl_easy_setopt;
    lc.easy_perform = curl_easy_perform;   lc.easy_getinfo = curl_easy_getinfo;
    lc.easy_cleanup = curl_easy_cleanup;   lc.easy_strerror = curl_easy_strerror;
    lc.slist_append = curl_slist_append;   lc.slist_free_all = curl_slist_free_all;
    lc.multi_init = curl_multi_init;       lc.multi_add_handle = curl_multi_add_handle;
    lc.multi_remove_handle = curl_multi_remove_handle; lc.multi_perform = curl_multi_perform;
    lc.multi_wait = curl_multi_wait;       lc.multi_info_read = curl_multi_info_read;
    lc.multi_cleanup = curl_multi_cleanup;
    lc.lib = &lc;   /* "loaded" */
    return 0;
}

static void unload_libcurl(void) { memset(&lc, 0, sizeof lc); }
#else
static int load_libcurl(void)
{
    /* the soname Debian's libcurl4 (OpenSSL) and libcurl3-gnutls install */
    static const char *const names[] = { "libcurl.so.4", "libcurl-gnutls.so.4" };
    for (size_t i = 0; i < sizeof names / sizeof names[0] && !lc.lib; i++)
        lc.lib = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
    if (!lc.lib) {
        const char *why = dlerror();
        snprintf(load_error, sizeof load_error, "cannot load libcurl (install libcurl4): %s", why ? why : "not found");
        return -1;
    }
    struct { const char *name; void **slot; } syms[] = {
        {"curl_global_init", (void **)&lc.global_init},     {"curl_global_cleanup", (void **)&lc.global_cleanup},
        {"curl_easy_init", (void **)&lc.easy_init},         {"curl_easy_setopt", (void **)&lc.easy_setopt},
        {"curl_easy_perform", (void **)&lc.easy_perform},   {"curl_easy_getinfo", (void **)&lc.easy_getinfo},
        {"curl_easy_cleanup", (void **)&lc.easy_cleanup},   {"curl_easy_strerror", (void **)&lc.easy_strerror},
        {"curl_slist_append", (void **)&lc.slist_append},   {"curl_slist_free_all", (void **)&lc.slist_free_all},
        {"curl_multi_init", (void **)&lc.multi_init},       {"curl_multi_add_handle", (void **)&lc.multi_add_handle},
        {"curl_multi_remove_handle", (void **)&lc.multi_remove_handle},
        {"curl_multi_perform", (void **)&lc.multi_perform}, {"curl_multi_wait", (void **)&lc.multi_wait},
        {"curl_multi_info_read", (void **)&lc.multi_info_read}, {"curl_multi_cleanup", (void **)&lc.multi_cleanup},
    };
    for (size_t i = 0; i < sizeof syms / sizeof syms[0]; i++) {
        void *f = dlsym(lc.lib, syms[i].name);
        if (!f) {
            snprintf(load_error, sizeof load_error, "libcurl lacks %s", syms[i].name);
            dlclose(lc.lib);
            memset(&lc, 0, sizeof lc);
            return -1;
        }
        memcpy(syms[i].slot, &f, sizeof f);   /* object to function pointer, as POSIX allows */
    }
    return 0;
}

static void unload_libcurl(void)
{
    dlclose(lc.lib);
    memset(&lc, 0, sizeof lc);
}
#endif

int http_init(void)
{
    if (http_inited) return 0;
    if (!lc.lib && load_libcurl() != 0) return -1;
    if (lc.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        snprintf(load_error, sizeof load_error, "libcurl initialisation failed");
        return -1;
    }
    http_inited = 1;
    return 0;
}

void http_cleanup(void)
{
    if (!http_inited) return;
    lc.global_cleanup();
    http_inited = 0;
    unload_libcurl();
}

/* Where distributions keep their bundle of trusted CA certificates, in the
 * order they are tried (Debian/Ubuntu/Alpine's ca-certificates, Fedora/RHEL,
 * RHEL 7+ extracted trust, openSUSE, Alpine/BSD-style). */
static const char *const ca_bundle_paths[] = {
    "/etc/ssl/certs/ca-certificates.crt",
    "/etc/pki/tls/certs/ca-bundle.crt",
    "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",
    "/etc/ssl/ca-bundle.pem",
    "/etc/ssl/cert.pem",
};

/* $SSL_CERT_FILE, the operator's choice of bundle; NULL when unset or empty. */
static const char *ca_bundle_from_env(void)
{
    const char *env = getenv("SSL_CERT_FILE");
    return env && *env ? env : NULL;
}

const char *http_ca_bundle(void)
{
    const char *env = ca_bundle_from_env();
    if (env) return env;
    for (size_t i = 0; i < sizeof ca_bundle_paths / sizeof ca_bundle_paths[0]; i++)
        if (access(ca_bundle_paths[i], R_OK) == 0) return ca_bundle_paths[i];
    return NULL;
}

/* The CA bundle for a request: NULL leaves libcurl's own default. A libcurl
 * from the system knows its distribution's bundle, so only $SSL_CERT_FILE
 * overrides it; the static build's libcurl knows no path (the binary runs on
 * any distribution), so it searches the usual ones and *missing is set when
 * there is none. */
static const char *request_ca_bundle(int *missing)
{
    *missing = 0;
#ifdef NFP_STATIC_CURL
    const char *ca = http_ca_bundle();
    *missing = ca == NULL;
    return ca;
#else
    return ca_bundle_from_env();
#endif
}

const char *http_error_name(int code)
{
    switch (code) {
    case HTTP_OK:            return "ok";
    case HTTP_ERR_USAGE:     return "invalid request";
    case HTTP_ERR_NOMEM:     return "out of memory";
    case HTTP_ERR_RESOLVE:   return "host name did not resolve";
    case HTTP_ERR_CONNECT:   return "could not connect";
    case HTTP_ERR_TIMEOUT:   return "timed out";
    case HTTP_ERR_TLS:       return "TLS verification failed";
    case HTTP_ERR_TOO_LARGE: return "response too large";
    case HTTP_ERR_TRANSFER:  return "transfer failed";
    default:                 return "unknown error";
    }
}

char *http_url_escape(const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    StrBuf b = STRBUF_INIT;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (isalnum(*p) || *p == '-' || *p == '.' || *p == '_' || *p == '~') {
            strbuf_putc(&b, (char)*p);
        } else {
            char enc[3] = { '%', hex[*p >> 4], hex[*p & 15] };
            strbuf_append(&b, enc, 3);
        }
    }
    return strbuf_take(&b);
}

/* Locates the authority of an http(s) URL: [start of userinfo-or-host, end). */
static int url_authority(const char *url, const char **start, const char **end)
{
    const char *p = strstr(url, "://");
    if (!p) return 0;
    p += 3;
    *start = p;
    *end = p + strcspn(p, "/?#");
    return 1;
}

/* Host part of the authority, without userinfo, port or IPv6 brackets. */
static int url_host(const char *url, const char **host, size_t *len)
{
    const char *a, *e;
    if (!url_authority(url, &a, &e)) return 0;
    for (const char *q = a; q < e; q++)
        if (*q == '@') a = q + 1;
    if (a < e && *a == '[') {
        const char *close = memchr(a, ']', (size_t)(e - a));
        if (!close) return 0;
        *host = a + 1;
        *len = (size_t)(close - a - 1);
        return 1;
    }
    const char *colon = memchr(a, ':', (size_t)(e - a));
    *host = a;
    *len = (size_t)((colon ? colon : e) - a);
    return 1;
}

int http_url_is_loopback(const char *url)
{
    const char *h;
    size_t n;
    if (!url || !url_host(url, &h, &n) || n == 0) return 0;
    if (n == 9 && strncasecmp(h, "localhost", 9) == 0) return 1;
    if (n == 3 && strncmp(h, "::1", 3) == 0) return 1;
    if (n >= 4 && strncmp(h, "127.", 4) == 0) {
        for (size_t i = 4; i < n; i++)
            if (!isdigit((unsigned char)h[i]) && h[i] != '.') return 0;
        return 1;
    }
    return 0;
}

char *http_url_host(const char *url)
{
    const char *h;
    size_t n;
    if (!url || !url_host(url, &h, &n) || n == 0) return NULL;
    char *r = np_strndup(h, n);
    for (char *q = r; q && *q; q++) *q = (char)tolower((unsigned char)*q);
    return r;
}

int http_host_is_literal(const char *host)
{
    if (!host) return 0;
    unsigned char buf[sizeof(struct in6_addr)];
    return !strcmp(host, "localhost") || inet_pton(AF_INET, host, buf) == 1 || inet_pton(AF_INET6, host, buf) == 1;
}

/* 1 for an address nothing public should send us to: loopback, link-local
 * (cloud metadata lives at 169.254.169.254), unspecified. */
static int local_address(const struct sockaddr *sa)
{
    if (sa->sa_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)(const void *)sa;
        unsigned long a = ntohl(in->sin_addr.s_addr);
        return (a >> 24) == 127 || (a >> 16) == 0xA9FE || a == 0;
    }
    if (sa->sa_family == AF_INET6) {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)(const void *)sa;
        const unsigned char *b = in6->sin6_addr.s6_addr;
        static const unsigned char zero[16];
        int v4mapped = !memcmp(b, zero, 10) && b[10] == 0xFF && b[11] == 0xFF;
        if (v4mapped) {
            unsigned long a = ((unsigned long)b[12] << 24) | ((unsigned long)b[13] << 16) |
                              ((unsigned long)b[14] << 8) | b[15];
            return (a >> 24) == 127 || (a >> 16) == 0xA9FE || a == 0;
        }
        int loop = !memcmp(b, zero, 15) && (b[15] == 1 || b[15] == 0);
        return loop || (b[0] == 0xFE && (b[1] & 0xC0) == 0x80);
    }
    return 0;
}

static int proxy_in_environment(void)
{
    static const char *const names[] = {"https_proxy", "HTTPS_PROXY", "http_proxy", "all_proxy", "ALL_PROXY"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        const char *v = getenv(names[i]);
        if (v && *v) return 1;
    }
    return 0;
}

static long run_budget_ms = HTTP_RUN_BUDGET_MS;
static long run_deadline_ms;      /* monotonic ms; 0: not started */

void http_set_run_budget(long ms)
{
    run_budget_ms = ms;
    run_deadline_ms = 0;
}

static long mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long)ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

char *http_url_for_display(const char *url)
{
    const char *a, *e, *at = NULL;
    if (!url) return np_strdup("(no URL)");
    if (url_authority(url, &a, &e))
        for (const char *q = a; q < e; q++)
            if (*q == '@') at = q;
    if (!at) return np_strdup(url);
    StrBuf b = STRBUF_INIT;
    strbuf_append(&b, url, (size_t)(a - url));
    strbuf_puts(&b, at + 1);
    return strbuf_take(&b);
}

static int has_http_scheme(const char *url)
{
    return strncasecmp(url, "http://", 7) == 0 || strncasecmp(url, "https://", 8) == 0;
}

/* State shared with the libcurl callbacks for one transfer. */
typedef struct Transfer {
    const HttpRequest *req;
    size_t max_body;
    StrBuf body;
    char *www_authenticate;
    char *content_type;
    char *digest;
    int too_large;
    int nomem;
    int refused_local;           /* public_only refused an address */
} Transfer;

static curl_socket_t on_open_socket(void *userp, curlsocktype purpose, struct curl_sockaddr *address)
{
    Transfer *t = userp;
    (void)purpose;
    if (local_address(&address->addr)) {
        t->refused_local = 1;
        return CURL_SOCKET_BAD;
    }
    return socket(address->family, address->socktype, address->protocol);
}

static size_t on_body(char *data, size_t size, size_t nmemb, void *userp)
{
    Transfer *t = userp;
    size_t n = size * nmemb;
    if (t->body.len + n > t->max_body) {
        t->too_large = 1;
        return 0;   /* makes libcurl stop with CURLE_WRITE_ERROR */
    }
    strbuf_append(&t->body, data, n);
    if (strbuf_failed(&t->body)) {
        t->nomem = 1;
        return 0;
    }
    return n;
}

static void clear_headers(Transfer *t)
{
    np_free(t->www_authenticate);
    np_free(t->content_type);
    np_free(t->digest);
    t->www_authenticate = t->content_type = t->digest = NULL;
}

/* Stores a trimmed copy of the header value in *slot. 0 on OOM. */
static int keep_value(char **slot, const char *v, size_t n)
{
    while (n && (*v == ' ' || *v == '\t')) { v++; n--; }
    while (n && (v[n - 1] == '\r' || v[n - 1] == '\n' || v[n - 1] == ' ' || v[n - 1] == '\t')) n--;
    char *copy = np_strndup(v, n);
    if (!copy) return 0;
    np_free(*slot);
    *slot = copy;
    return 1;
}

static int header_is(const char *line, size_t n, const char *name, const char **value, size_t *vlen)
{
    size_t k = strlen(name);
    if (n <= k || line[k] != ':' || strncasecmp(line, name, k) != 0) return 0;
    *value = line + k + 1;
    *vlen = n - k - 1;
    return 1;
}

static size_t on_header(char *data, size_t size, size_t nmemb, void *userp)
{
    Transfer *t = userp;
    size_t n = size * nmemb;
    const char *v;
    size_t vn;
    int ok = 1;
    /* A status line starts a new response (redirect hop, 100 Continue):
     * headers of earlier hops must not leak into the final answer. */
    if (n >= 5 && strncmp(data, "HTTP/", 5) == 0) {
        clear_headers(t);
    } else if (header_is(data, n, "WWW-Authenticate", &v, &vn)) {
        int is_bearer = 0;
        const char *s = v;
        while (s < v + vn && (*s == ' ' || *s == '\t')) s++;
        if ((size_t)(v + vn - s) >= 6 && strncasecmp(s, "bearer", 6) == 0) is_bearer = 1;
        /* Keep the first challenge, but let a Bearer one replace a non-Bearer one. */
        if (!t->www_authenticate ||
            (is_bearer && strncasecmp(t->www_authenticate, "bearer", 6) != 0))
            ok = keep_value(&t->www_authenticate, v, vn);
    } else if (header_is(data, n, "Content-Type", &v, &vn)) {
        ok = keep_value(&t->content_type, v, vn);
    } else if (header_is(data, n, "Docker-Content-Digest", &v, &vn)) {
        ok = keep_value(&t->digest, v, vn);
    }
    if (!ok) {
        t->nomem = 1;
        return 0;
    }
    return n;
}

/* Trace lines go to the caller only after the token has been cut out. */
static int on_debug(CURL *h, curl_infotype type, char *data, size_t size, void *userp)
{
    Transfer *t = userp;
    const char *prefix;
    (void)h;
    switch (type) {
    case CURLINFO_TEXT:       prefix = "* "; break;
    case CURLINFO_HEADER_IN:  prefix = "< "; break;
    case CURLINFO_HEADER_OUT: prefix = "> "; break;
    default:                  return 0;   /* bodies and TLS data are never traced */
    }
    size_t start = 0;
    while (start < size) {
        size_t end = start;
        while (end < size && data[end] != '\n') end++;
        size_t len = end - start;
        if (len && data[start + len - 1] == '\r') len--;
        if (len) {
            StrBuf line = STRBUF_INIT;
            strbuf_puts(&line, prefix);
            strbuf_append(&line, data + start, len);
            char *s = strbuf_take(&line);
            if (s) {
                mask_token(s, t->req->bearer_token);
                t->req->debug(t->req->debug_ctx, s);
                np_free(s);
            }
        }
        start = end + 1;
    }
    return 0;
}

static int map_curl_error(CURLcode rc, const Transfer *t)
{
    switch (rc) {
    case CURLE_OPERATION_TIMEDOUT:   return HTTP_ERR_TIMEOUT;
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY: return HTTP_ERR_RESOLVE;
    case CURLE_COULDNT_CONNECT:      return HTTP_ERR_CONNECT;
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_ISSUER_ERROR:     return HTTP_ERR_TLS;
    case CURLE_FILESIZE_EXCEEDED:    return HTTP_ERR_TOO_LARGE;
    case CURLE_OUT_OF_MEMORY:        return HTTP_ERR_NOMEM;
    case CURLE_UNSUPPORTED_PROTOCOL: return HTTP_ERR_USAGE;
    case CURLE_WRITE_ERROR:
        if (t->too_large) return HTTP_ERR_TOO_LARGE;
        if (t->nomem) return HTTP_ERR_NOMEM;
        return HTTP_ERR_TRANSFER;
    default:
        if (t->nomem) return HTTP_ERR_NOMEM;
        return HTTP_ERR_TRANSFER;
    }
}

/* Builds the caller's error text; the token is cut out before it is returned. */
static void set_error(char **err, const HttpRequest *req, int code, long timeout_ms,
                      size_t max_body, const char *detail)
{
    if (!err) return;
    char *shown = http_url_for_display(req && req->url ? req->url : NULL);
    StrBuf b = STRBUF_INIT;
    const char *url = shown ? shown : "(URL)";
    switch (code) {
    case HTTP_ERR_TIMEOUT:
        strbuf_printf(&b, "request to %s timed out (no complete answer within %ld ms)", url, timeout_ms);
        break;
    case HTTP_ERR_TOO_LARGE:
        strbuf_printf(&b, "response from %s exceeded the size limit of %zu bytes", url, max_body);
        break;
    case HTTP_ERR_RESOLVE:
        strbuf_printf(&b, "could not resolve the host of %s", url);
        break;
    case HTTP_ERR_CONNECT:
        strbuf_printf(&b, "could not connect to %s", url);
        break;
    case HTTP_ERR_TLS:
        strbuf_printf(&b, "TLS verification failed for %s", url);
        break;
    case HTTP_ERR_NOMEM:
        strbuf_printf(&b, "out of memory while fetching %s", url);
        break;
    case HTTP_ERR_USAGE:
        strbuf_printf(&b, "refusing request to %s", url);
        break;
    default:
        strbuf_printf(&b, "request to %s failed", url);
        break;
    }
    if (detail && *detail) strbuf_printf(&b, ": %s", detail);
    np_free(shown);
    *err = strbuf_take(&b);
    if (*err && req) mask_token(*err, req->bearer_token);
}

/* One request of a batch: its libcurl handle and everything the handle
 * points at, which must stay put until the transfer is done. */
typedef struct Pending {
    const HttpRequest *req;
    CURL *h;
    Transfer t;
    struct curl_slist *headers;
    char *accept_line;
    char errbuf[CURL_ERROR_SIZE];
    long total_ms;
    size_t max_body;
    int code;                    /* HTTP_OK until something fails */
    CURLcode result;             /* the transfer's outcome */
    int done;
} Pending;

/* Checks the request and sets up its handle. HTTP_OK, or the failure with
 * c->err already said. */
static int prepare(Pending *p, HttpCall *c)
{
    const HttpRequest *req = c->req;
    char **err = &c->err;
    if (!req || !req->url || !*req->url) {
        set_error(err, req, HTTP_ERR_USAGE, 0, 0, "no URL given");
        return HTTP_ERR_USAGE;
    }
    if (!has_http_scheme(req->url)) {
        set_error(err, req, HTTP_ERR_USAGE, 0, 0, "only http:// and https:// URLs are supported");
        return HTTP_ERR_USAGE;
    }
    if (req->bearer_token) {
        if (strpbrk(req->bearer_token, "\r\n")) {
            set_error(err, req, HTTP_ERR_USAGE, 0, 0, "the access token contains a line break");
            return HTTP_ERR_USAGE;
        }
        /* A token sent in clear text to a remote host is a leaked token. */
        if (strncasecmp(req->url, "http://", 7) == 0 && !http_url_is_loopback(req->url)) {
            set_error(err, req, HTTP_ERR_USAGE, 0, 0,
                      "an access token is only sent over https:// (plain http:// is allowed for loopback hosts only)");
            return HTTP_ERR_USAGE;
        }
    }

    long connect_ms = req->connect_timeout_ms > 0 ? req->connect_timeout_ms : HTTP_DEFAULT_CONNECT_TIMEOUT_MS;
    long total_ms = req->timeout_ms > 0 ? req->timeout_ms : HTTP_DEFAULT_TIMEOUT_MS;
    long now = mono_ms();
    if (!run_deadline_ms) run_deadline_ms = now + run_budget_ms;
    if (run_deadline_ms - now <= 0) {
        char why[128];
        snprintf(why, sizeof why, "the run's network time budget (%ld s) is used up; not requested",
                 run_budget_ms / 1000);
        set_error(err, req, HTTP_ERR_USAGE, 0, 0, why);
        return HTTP_ERR_TIMEOUT;
    }
    /* every request of the run, concurrent ones included, ends by the run's deadline */
    if (total_ms > run_deadline_ms - now) total_ms = run_deadline_ms - now;
    if (connect_ms > total_ms) connect_ms = total_ms;
    size_t max_body = req->max_body ? req->max_body : HTTP_DEFAULT_MAX_BODY;
    p->total_ms = total_ms;
    p->max_body = max_body;

    if (http_init() != 0) {
        set_error(err, req, HTTP_ERR_TRANSFER, 0, 0, load_error);
        return HTTP_ERR_TRANSFER;
    }
    int ca_missing = 0;
    const char *ca_bundle = req->insecure ? NULL : request_ca_bundle(&ca_missing);
    if (!req->insecure && ca_missing && strncasecmp(req->url, "https://", 8) == 0) {
        StrBuf why = STRBUF_INIT;
        strbuf_printf(&why, "no CA certificate bundle found to verify it with: SSL_CERT_FILE is not set and none of");
        for (size_t i = 0; i < sizeof ca_bundle_paths / sizeof ca_bundle_paths[0]; i++)
            strbuf_printf(&why, "%s %s", i ? "," : "", ca_bundle_paths[i]);
        strbuf_printf(&why, " exists (install the ca-certificates package or set SSL_CERT_FILE to a PEM bundle)");
        char *detail = strbuf_take(&why);
        set_error(err, req, detail ? HTTP_ERR_TLS : HTTP_ERR_NOMEM, 0, 0, detail);
        np_free(detail);
        return detail ? HTTP_ERR_TLS : HTTP_ERR_NOMEM;
    }
    CURL *h = lc.easy_init();
    if (!h) {
        set_error(err, req, HTTP_ERR_NOMEM, 0, 0, NULL);
        return HTTP_ERR_NOMEM;
    }
    p->h = h;
    p->t.req = req;
    p->t.max_body = max_body;

    if (req->accept) {
        StrBuf a = STRBUF_INIT;
        strbuf_printf(&a, "Accept: %s", req->accept);
        p->accept_line = strbuf_take(&a);
        struct curl_slist *nh = p->accept_line ? lc.slist_append(NULL, p->accept_line) : NULL;
        if (!nh) {
            set_error(err, req, HTTP_ERR_NOMEM, 0, 0, NULL);
            return HTTP_ERR_NOMEM;
        }
        p->headers = nh;
    }

    /* Setting options on a fresh handle only fails for unknown options or
     * out of memory; the string-copying ones are checked. */
    CURLcode oc = CURLE_OK;
#define SET(opt, val) do { if (oc == CURLE_OK) oc = lc.easy_setopt(h, opt, val); } while (0)
    SET(CURLOPT_URL, req->url);
    SET(CURLOPT_NOSIGNAL, 1L);
    SET(CURLOPT_CONNECTTIMEOUT_MS, connect_ms);
    SET(CURLOPT_TIMEOUT_MS, total_ms);
    SET(CURLOPT_FOLLOWLOCATION, 1L);
    SET(CURLOPT_MAXREDIRS, HTTP_MAX_REDIRECTS);
    SET(CURLOPT_UNRESTRICTED_AUTH, 0L);
#if LIBCURL_VERSION_NUM >= 0x075500 /* 7.85.0 */
    SET(CURLOPT_PROTOCOLS_STR, "http,https");
    SET(CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
#else
    SET(CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
    SET(CURLOPT_REDIR_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
    SET(CURLOPT_SSL_VERIFYPEER, req->insecure ? 0L : 1L);
    SET(CURLOPT_SSL_VERIFYHOST, req->insecure ? 0L : 2L);
    if (ca_bundle) SET(CURLOPT_CAINFO, ca_bundle);
    SET(CURLOPT_USERAGENT, "nf-preflight/" NFP_VERSION);
    SET(CURLOPT_ERRORBUFFER, p->errbuf);
    SET(CURLOPT_WRITEFUNCTION, on_body);
    SET(CURLOPT_WRITEDATA, &p->t);
    SET(CURLOPT_HEADERFUNCTION, on_header);
    SET(CURLOPT_HEADERDATA, &p->t);
    if (p->headers) SET(CURLOPT_HTTPHEADER, p->headers);
    if (req->head) {
        SET(CURLOPT_NOBODY, 1L);
    } else {
        /* Lets libcurl refuse early when Content-Length already says too much;
         * the body callback enforces the cap for chunked/unsized bodies. */
        SET(CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)max_body);
    }
    if (req->bearer_token) {
        /* libcurl's own Bearer support: it is not re-sent after a redirect to
         * another host, unlike a hand-made Authorization header. */
        SET(CURLOPT_HTTPAUTH, (long)CURLAUTH_BEARER);
        SET(CURLOPT_XOAUTH2_BEARER, req->bearer_token);
    }
    if (req->public_only && !proxy_in_environment()) {
        SET(CURLOPT_OPENSOCKETFUNCTION, on_open_socket);
        SET(CURLOPT_OPENSOCKETDATA, &p->t);
    }
    if (req->debug) {
        SET(CURLOPT_DEBUGFUNCTION, on_debug);
        SET(CURLOPT_DEBUGDATA, &p->t);
        SET(CURLOPT_VERBOSE, 1L);
    }
#undef SET
    if (oc != CURLE_OK) {
        int code = oc == CURLE_OUT_OF_MEMORY ? HTTP_ERR_NOMEM : HTTP_ERR_TRANSFER;
        set_error(err, req, code, total_ms, max_body, lc.easy_strerror(oc));
        return code;
    }
    return HTTP_OK;
}

/* The outcome of a finished transfer into c (response or error). */
static int finish(Pending *p, HttpCall *c)
{
    HttpResponse *resp = &c->resp;
    int code = HTTP_OK;
    if (p->result != CURLE_OK) {
        code = map_curl_error(p->result, &p->t);
        if (p->t.refused_local)
            snprintf(p->errbuf, sizeof p->errbuf, "refused: the host resolves to a loopback or link-local address");
        if (!p->errbuf[0]) snprintf(p->errbuf, sizeof p->errbuf, "%s", lc.easy_strerror(p->result));
    } else if (p->t.nomem) {
        code = HTTP_ERR_NOMEM;
    } else {
        long status = 0;
        lc.easy_getinfo(p->h, CURLINFO_RESPONSE_CODE, &status);
        resp->body_len = p->t.body.len;
        resp->body = strbuf_take(&p->t.body);
        if (!resp->body) {
            resp->body_len = 0;
            code = HTTP_ERR_NOMEM;
        } else {
            resp->status = status;
            resp->www_authenticate = p->t.www_authenticate;
            resp->content_type = p->t.content_type;
            resp->docker_content_digest = p->t.digest;
            p->t.www_authenticate = p->t.content_type = p->t.digest = NULL;
        }
    }
    if (code != HTTP_OK) {
        /* The size and timeout messages say everything; libcurl's wording would only repeat it. */
        const char *detail = (code == HTTP_ERR_TOO_LARGE || code == HTTP_ERR_TIMEOUT) ? NULL : p->errbuf;
        set_error(&c->err, p->req, code, p->total_ms, p->max_body, detail);
        http_response_free(resp);
    }
    return code;
}

static void release(Pending *p)
{
    strbuf_free(&p->t.body);
    clear_headers(&p->t);
    if (p->headers) lc.slist_free_all(p->headers);
    np_free(p->accept_line);
    if (p->h) lc.easy_cleanup(p->h);
}

void http_get_all(HttpCall *calls, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        memset(&calls[i].resp, 0, sizeof calls[i].resp);
        calls[i].err = NULL;
        calls[i].code = HTTP_OK;
    }
    Pending *ps = n ? np_calloc(n, sizeof *ps) : NULL;
    if (!ps) {
        for (size_t i = 0; i < n; i++) {
            calls[i].code = HTTP_ERR_NOMEM;
            set_error(&calls[i].err, calls[i].req, HTTP_ERR_NOMEM, 0, 0, NULL);
        }
        return;
    }
    size_t ready = 0;
    for (size_t i = 0; i < n; i++) {
        ps[i].req = calls[i].req;
        ps[i].code = calls[i].code = prepare(&ps[i], &calls[i]);
        ready += ps[i].code == HTTP_OK;
    }
    CURLM *m = ready ? lc.multi_init() : NULL;
    for (size_t i = 0; i < n && ready; i++) {
        if (ps[i].code != HTTP_OK) continue;
        if (!m || lc.multi_add_handle(m, ps[i].h) != CURLM_OK) {
            ps[i].code = calls[i].code = HTTP_ERR_NOMEM;
            set_error(&calls[i].err, calls[i].req, HTTP_ERR_NOMEM, 0, 0, NULL);
        }
    }
    /* every transfer runs at once; each ends by its own timeouts (all
     * within the run's deadline, so the loop is bounded too) */
    int running = 1;
    while (m && running) {
        if (lc.multi_perform(m, &running) != CURLM_OK) break;
        int left;
        CURLMsg *msg;
        while ((msg = lc.multi_info_read(m, &left)) != NULL) {
            if (msg->msg != CURLMSG_DONE) continue;
            for (size_t i = 0; i < n; i++)
                if (ps[i].h == msg->easy_handle) { ps[i].result = msg->data.result; ps[i].done = 1; }
        }
        if (running && lc.multi_wait(m, NULL, 0, 1000, NULL) != CURLM_OK) break;
    }
    for (size_t i = 0; i < n; i++) {
        if (ps[i].code == HTTP_OK) {
            if (!ps[i].done) ps[i].result = CURLE_OPERATION_TIMEDOUT;   /* the multi handle failed */
            calls[i].code = finish(&ps[i], &calls[i]);
            lc.multi_remove_handle(m, ps[i].h);
        }
        release(&ps[i]);
    }
    if (m) lc.multi_cleanup(m);
    np_free(ps);
}

int http_get(const HttpRequest *req, HttpResponse *resp, char **err)
{
    HttpCall c;
    memset(&c, 0, sizeof c);
    c.req = req;
    if (err) *err = NULL;
    if (resp) memset(resp, 0, sizeof *resp);
    if (!resp) {
        set_error(err, req, HTTP_ERR_USAGE, 0, 0, "no URL given");
        return HTTP_ERR_USAGE;
    }
    http_get_all(&c, 1);
    *resp = c.resp;
    if (err) *err = c.err;
    else np_free(c.err);
    return c.code;
}

void http_response_free(HttpResponse *resp)
{
    if (!resp) return;
    np_free(resp->body);
    np_free(resp->www_authenticate);
    np_free(resp->content_type);
    np_free(resp->docker_content_digest);
    memset(resp, 0, sizeof *resp);
}

/* ---- minimal JSON field extraction (see http_json_top_string) ---- */

static size_t json_ws(const char *s, size_t i, size_t n)
{
    while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n')) i++;
    return i;
}

static int hex4(const char *s, unsigned *out)
{
    unsigned v = 0;
    for (int k = 0; k < 4; k++) {
        char c = s[k];
        v <<= 4;
        if (c >= '0' && c <= '9') v |= (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f') v |= (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F') v |= (unsigned)(c - 'A' + 10);
        else return 0;
    }
    *out = v;
    return 1;
}

/* s[*i] is the opening quote. Decodes into out when out is non-NULL.
 * Returns 1 and moves *i past the closing quote, 0 on malformed input. */
static int json_string(const char *s, size_t n, size_t *i, StrBuf *out)
{
    size_t p = *i + 1;
    while (p < n) {
        char c = s[p];
        if (c == '"') { *i = p + 1; return 1; }
        if ((unsigned char)c < 0x20) return 0;
        if (c != '\\') {
            if (out) strbuf_putc(out, c);
            p++;
            continue;
        }
        if (p + 1 >= n) return 0;
        char e = s[p + 1];
        p += 2;
        const char *simple = NULL;
        switch (e) {
        case '"': simple = "\""; break;
        case '\\': simple = "\\"; break;
        case '/': simple = "/"; break;
        case 'b': simple = "\b"; break;
        case 'f': simple = "\f"; break;
        case 'n': simple = "\n"; break;
        case 'r': simple = "\r"; break;
        case 't': simple = "\t"; break;
        case 'u': {
            unsigned cp, lo;
            if (p + 4 > n || !hex4(s + p, &cp)) return 0;
            p += 4;
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                if (p + 6 > n || s[p] != '\\' || s[p + 1] != 'u' || !hex4(s + p + 2, &lo) ||
                    lo < 0xDC00 || lo > 0xDFFF)
                    return 0;
                p += 6;
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
                return 0;
            }
            if (cp == 0) return 0;   /* would cut the C string short */
            if (out) strbuf_put_utf8(out, cp);
            continue;
        }
        default: return 0;
        }
        if (out) strbuf_putc(out, simple[0]);
    }
    return 0;
}

/* Skips one value of any kind starting at s[*i]. */
static int json_skip(const char *s, size_t n, size_t *i)
{
    size_t p = *i;
    if (p >= n) return 0;
    if (s[p] == '"') return json_string(s, n, i, NULL);
    if (s[p] == '{' || s[p] == '[') {
        int depth = 0;
        while (p < n) {
            char c = s[p];
            if (c == '"') {
                if (!json_string(s, n, &p, NULL)) return 0;
                continue;
            }
            if (c == '{' || c == '[') depth++;
            else if (c == '}' || c == ']') {
                if (--depth == 0) { *i = p + 1; return 1; }
            }
            p++;
        }
        return 0;
    }
    size_t start = p;
    while (p < n && !strchr(",}] \t\r\n", s[p])) p++;
    if (p == start) return 0;
    *i = p;
    return 1;
}

char *http_json_top_string(const char *body, size_t len, const char *key)
{
    if (!body || !key) return NULL;
    size_t i = json_ws(body, 0, len);
    if (i >= len || body[i] != '{') return NULL;
    i++;
    for (;;) {
        i = json_ws(body, i, len);
        if (i >= len || body[i] != '"') return NULL;   /* '}' (empty/end) or malformed */
        StrBuf k = STRBUF_INIT;
        if (!json_string(body, len, &i, &k)) { strbuf_free(&k); return NULL; }
        int match = !strbuf_failed(&k) && strcmp(strbuf_cstr(&k), key) == 0;
        strbuf_free(&k);
        i = json_ws(body, i, len);
        if (i >= len || body[i] != ':') return NULL;
        i = json_ws(body, i + 1, len);
        if (match) {
            if (i >= len || body[i] != '"') return NULL;
            StrBuf v = STRBUF_INIT;
            if (!json_string(body, len, &i, &v)) { strbuf_free(&v); return NULL; }
            return strbuf_take(&v);
        }
        if (!json_skip(body, len, &i)) return NULL;
        i = json_ws(body, i, len);
        if (i < len && body[i] == ',') { i++; continue; }
        return NULL;
    }
}
