/* platform — see platform.h. */
#include "platform.h"
#include "alloc.h"
#include "http.h"
#include "redact.h"
#include "strbuf.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void platform_config_from_env(PlatformConfig *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->endpoint = getenv("TOWER_API_ENDPOINT");
    cfg->access_token = getenv("TOWER_ACCESS_TOKEN");
    cfg->workspace_id = getenv("TOWER_WORKSPACE_ID");
}

/* Endpoint as used for requests: default when unset, "-" means unset
 * (Nextflow's tower.endpoint convention), trailing slashes dropped. */
static const char *endpoint_of(const PlatformConfig *cfg, size_t *len)
{
    const char *e = cfg ? cfg->endpoint : NULL;
    if (!e || !*e || strcmp(e, "-") == 0) e = PLATFORM_DEFAULT_ENDPOINT;
    size_t n = strlen(e);
    while (n > 0 && e[n - 1] == '/') n--;
    *len = n;
    return e;
}

static int has_workspace(const PlatformConfig *cfg)
{
    return cfg && cfg->workspace_id && *cfg->workspace_id;
}

/* A copy of the endpoint fit for messages (no user:password@). */
static char *endpoint_display(const PlatformConfig *cfg)
{
    size_t n;
    const char *e = endpoint_of(cfg, &n);
    char *raw = np_strndup(e, n);
    if (!raw) return NULL;
    char *shown = http_url_for_display(raw);
    np_free(raw);
    return shown;
}

char *platform_endpoint_display(const char *endpoint)
{
    PlatformConfig pc;
    memset(&pc, 0, sizeof pc);
    pc.endpoint = endpoint;
    return endpoint_display(&pc);
}

int platform_same_endpoint(const char *a, const char *b)
{
    PlatformConfig pa, pb;
    memset(&pa, 0, sizeof pa);
    memset(&pb, 0, sizeof pb);
    pa.endpoint = a;
    pb.endpoint = b;
    size_t na, nb;
    const char *ea = endpoint_of(&pa, &na), *eb = endpoint_of(&pb, &nb);
    /* case-insensitive throughout: equal texts name the same host (a path
     * differing only in case still goes to that host) */
    return na == nb && strncasecmp(ea, eb, na) == 0;
}

static char *finish(StrBuf *b, const PlatformConfig *cfg)
{
    char *s = strbuf_take(b);
    if (s && cfg) mask_token(s, cfg->access_token);
    return s;
}

/* The URL of `path` (which starts with '/' and whose variable parts the
 * caller has escaped) on cfg's endpoint, with ?workspaceId=<id> when cfg
 * names a workspace: every Platform call of a run carries it. */
static char *resource_url(const PlatformConfig *cfg, const char *path, int *code, char **err)
{
    StrBuf b = STRBUF_INIT;
    size_t n;
    const char *e = endpoint_of(cfg, &n);
    if (err) *err = NULL;
    if (code) *code = PLATFORM_ERR_CONFIG;

    if (!(n > 7 && strncasecmp(e, "http://", 7) == 0) && !(n > 8 && strncasecmp(e, "https://", 8) == 0)) {
        strbuf_puts(&b, "the Platform endpoint must start with https:// (TOWER_API_ENDPOINT / tower.endpoint): ");
        strbuf_append(&b, e, n);
        if (err) *err = finish(&b, cfg); else strbuf_free(&b);
        return NULL;
    }
    if (has_workspace(cfg)) {
        const char *w = cfg->workspace_id;
        size_t wl = strlen(w), k;
        for (k = 0; k < wl && isdigit((unsigned char)w[k]); k++) {}
        if (k != wl || wl > 19) {
            /* Nextflow aborts on the same condition ("must be a numeric value"). */
            strbuf_puts(&b, "the Platform workspace ID must be a numeric value (TOWER_WORKSPACE_ID / tower.workspaceId), got: ");
            strbuf_puts(&b, w);
            if (err) *err = finish(&b, cfg); else strbuf_free(&b);
            return NULL;
        }
    }
    strbuf_append(&b, e, n);
    strbuf_puts(&b, path);
    if (has_workspace(cfg)) {
        strbuf_puts(&b, strchr(path, '?') ? "&workspaceId=" : "?workspaceId=");
        strbuf_puts(&b, cfg->workspace_id);
    }
    char *url = strbuf_take(&b);
    if (!url) {
        if (code) *code = PLATFORM_ERR_NOMEM;
        if (err) *err = NULL;   /* nothing can be allocated for a message either */
        return NULL;
    }
    if (code) *code = PLATFORM_OK;
    return url;
}

char *platform_credentials_url(const PlatformConfig *cfg, int *code, char **err)
{
    return resource_url(cfg, "/credentials", code, err);
}

/* Appends the server's {"message": ...} text, shortened and on one line. */
static void append_server_message(StrBuf *b, const char *body, size_t len)
{
    char *m = http_json_top_string(body, len, "message");
    if (!m || !*m) { np_free(m); return; }
    size_t ml = strlen(m);
    if (ml > 300) { m[297] = m[298] = m[299] = '.'; m[300] = '\0'; }
    for (char *p = m; *p; p++)
        if ((unsigned char)*p < 0x20) *p = ' ';
    strbuf_puts(b, ": server says \"");
    strbuf_puts(b, m);
    strbuf_puts(b, "\"");
    np_free(m);
}

/* `what` names what was asked for ("credentials", "workflow launch") in the
 * messages of both error mappers. */
static int status_error(long status, const PlatformConfig *cfg, const char *url, const char *body,
                        size_t body_len, const char *what, char **msg)
{
    StrBuf b = STRBUF_INIT;
    int code;
    char *ep = endpoint_display(cfg);
    const char *shown_ep = ep ? ep : PLATFORM_DEFAULT_ENDPOINT;

    if (status == 401) {
        code = PLATFORM_ERR_UNAUTHORIZED;
        strbuf_printf(&b, "Platform rejected the access token (401) at %s: check TOWER_ACCESS_TOKEN / "
                      "tower.accessToken (the token may be revoked, expired, or from another Platform installation)",
                      shown_ep);
    } else if (status == 403) {
        code = PLATFORM_ERR_FORBIDDEN;
        if (has_workspace(cfg))
            strbuf_printf(&b, "Platform refused access to the %s of workspace %s (403): the token's user "
                          "is not a member of that workspace or lacks a role that may read the %s, or the "
                          "token has expired; check TOWER_WORKSPACE_ID / tower.workspaceId",
                          what, cfg->workspace_id, what);
        else
            strbuf_printf(&b, "Platform refused access to the personal %s (403): the token has expired "
                          "or is not allowed to read the %s", what, what);
    } else if (status == 404) {
        code = PLATFORM_ERR_NOT_FOUND;
        strbuf_printf(&b, "Platform API not found (404) at %s: check TOWER_API_ENDPOINT / tower.endpoint "
                      "(Seqera Cloud is %s; Enterprise installations usually end in /api)",
                      shown_ep, PLATFORM_DEFAULT_ENDPOINT);
    } else if (status == 400) {
        code = PLATFORM_ERR_BAD_REQUEST;
        strbuf_printf(&b, "Platform rejected the %s request (400)", what);
        append_server_message(&b, body, body_len);
    } else if (status >= 500 && status <= 599) {
        code = PLATFORM_ERR_SERVER;
        strbuf_printf(&b, "Platform server error (%ld) at %s; the %s could not be read, try again later",
                      status, shown_ep, what);
        append_server_message(&b, body, body_len);
    } else if (status == 429) {
        code = PLATFORM_ERR_STATUS;
        strbuf_puts(&b, "Platform rate limit reached (429); try again later");
    } else {
        code = PLATFORM_ERR_STATUS;
        strbuf_printf(&b, "Platform answered with unexpected HTTP status %ld", status);
        if (url) {
            char *u = http_url_for_display(url);
            if (u) strbuf_printf(&b, " for %s", u);
            np_free(u);
        }
    }
    np_free(ep);
    if (msg) *msg = finish(&b, cfg); else strbuf_free(&b);
    return code;
}

int platform_status_error(long status, const PlatformConfig *cfg, const char *url,
                          const char *body, size_t body_len, char **msg)
{
    return status_error(status, cfg, url, body, body_len, "credentials", msg);
}

static int transfer_error(int http_code, const char *http_msg, const PlatformConfig *cfg, const char *what,
                          char **msg)
{
    StrBuf b = STRBUF_INIT;
    int code;
    char *ep = endpoint_display(cfg);
    const char *shown_ep = ep ? ep : PLATFORM_DEFAULT_ENDPOINT;
    switch (http_code) {
    case HTTP_ERR_TIMEOUT:
        code = PLATFORM_ERR_TIMEOUT;
        strbuf_printf(&b, "Platform at %s did not answer in time", shown_ep);
        break;
    case HTTP_ERR_RESOLVE:
    case HTTP_ERR_CONNECT:
        code = PLATFORM_ERR_UNREACHABLE;
        strbuf_printf(&b, "cannot reach Platform at %s (check TOWER_API_ENDPOINT / tower.endpoint, network and proxy settings)",
                      shown_ep);
        break;
    case HTTP_ERR_TLS:
        code = PLATFORM_ERR_TLS;
        strbuf_printf(&b, "TLS verification failed for Platform at %s", shown_ep);
        break;
    case HTTP_ERR_TOO_LARGE:
        code = PLATFORM_ERR_TOO_LARGE;
        strbuf_printf(&b, "the Platform %s answer is larger than the allowed size", what);
        break;
    case HTTP_ERR_NOMEM:
        code = PLATFORM_ERR_NOMEM;
        strbuf_printf(&b, "out of memory while reading the Platform %s", what);
        break;
    case HTTP_ERR_USAGE:
        code = PLATFORM_ERR_CONFIG;
        strbuf_printf(&b, "Platform %s request not sent", what);
        break;
    default:
        code = PLATFORM_ERR_NETWORK;
        strbuf_printf(&b, "Platform %s request to %s failed", what, shown_ep);
        break;
    }
    if (http_msg && *http_msg) strbuf_printf(&b, ": %s", http_msg);
    np_free(ep);
    if (msg) *msg = finish(&b, cfg); else strbuf_free(&b);
    return code;
}

int platform_transfer_error(int http_code, const char *http_msg, const PlatformConfig *cfg, char **msg)
{
    return transfer_error(http_code, http_msg, cfg, "credentials", msg);
}

/* The body must at least look like a JSON object; an HTML login page from a
 * proxy would otherwise reach the credentials parser. */
static int looks_like_object(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && isspace((unsigned char)s[i])) i++;
    return i < n && s[i] == '{';
}

/* Sets up the GET of g->path; PLATFORM_OK, else the failure in g. */
static int begin(const PlatformConfig *cfg, PlatformGet *g, char **url, HttpRequest *req)
{
    if (!cfg) return g->code = PLATFORM_ERR_CONFIG;
    if (!cfg->access_token || !*cfg->access_token) {
        g->err = np_strdup("no Platform access token: set TOWER_ACCESS_TOKEN or tower.accessToken");
        return g->code = PLATFORM_ERR_CONFIG;
    }
    int code;
    *url = resource_url(cfg, g->path, &code, &g->err);
    if (!*url) return g->code = code;
    memset(req, 0, sizeof *req);
    req->url = *url;
    req->bearer_token = cfg->access_token;
    req->accept = "application/json";
    req->connect_timeout_ms = cfg->connect_timeout_ms;
    req->timeout_ms = cfg->timeout_ms;
    req->max_body = cfg->max_body;
    req->insecure = cfg->insecure;
    return PLATFORM_OK;
}

/* The answer of a finished GET into g. */
static void conclude(const PlatformConfig *cfg, PlatformGet *g, const char *url, HttpCall *c)
{
    HttpResponse *resp = &c->resp;
    if (c->code != HTTP_OK) {
        g->code = transfer_error(c->code, c->err, cfg, g->what, &g->err);
    } else if (resp->status != 200) {
        g->code = status_error(resp->status, cfg, url, resp->body, resp->body_len, g->what, &g->err);
    } else if (!looks_like_object(resp->body, resp->body_len)) {
        g->code = PLATFORM_ERR_BAD_RESPONSE;
        StrBuf b = STRBUF_INIT;
        char *shown = http_url_for_display(url);
        strbuf_printf(&b, "Platform answered %s with something that is not a JSON object%s%s",
                      shown ? shown : g->what, resp->content_type ? " (Content-Type: " : "",
                      resp->content_type ? resp->content_type : "");
        if (resp->content_type) strbuf_putc(&b, ')');
        np_free(shown);
        g->err = finish(&b, cfg);
    } else {
        g->code = PLATFORM_OK;
        g->body = resp->body;
        resp->body = NULL;
    }
    http_response_free(resp);
    np_free(c->err);
    c->err = NULL;
}

void platform_get_all(const PlatformConfig *cfg, PlatformGet *gets, size_t n)
{
    char **urls = np_calloc(n ? n : 1, sizeof *urls);
    HttpRequest *reqs = np_calloc(n ? n : 1, sizeof *reqs);
    HttpCall *calls = np_calloc(n ? n : 1, sizeof *calls);
    size_t *which = np_calloc(n ? n : 1, sizeof *which);
    size_t ncalls = 0;
    for (size_t i = 0; i < n; i++) {
        gets[i].body = gets[i].err = NULL;
        gets[i].code = PLATFORM_OK;
        if (!urls || !reqs || !calls || !which || !gets[i].path) { gets[i].code = PLATFORM_ERR_NOMEM; continue; }
        if (begin(cfg, &gets[i], &urls[i], &reqs[i]) != PLATFORM_OK) continue;
        calls[ncalls].req = &reqs[i];
        which[ncalls++] = i;
    }
    /* the calls that do not depend on each other go out at once */
    http_get_all(calls, ncalls);
    for (size_t k = 0; k < ncalls; k++) conclude(cfg, &gets[which[k]], urls[which[k]], &calls[k]);
    for (size_t i = 0; urls && i < n; i++) np_free(urls[i]);
    np_free(urls);
    np_free(reqs);
    np_free(calls);
    np_free(which);
}

/* GET `path` (see resource_url) as JSON; `what` names it in messages. */
static int get_json(const PlatformConfig *cfg, const char *path, const char *what, char **body, char **err)
{
    if (body) *body = NULL;
    if (err) *err = NULL;
    if (!cfg || !body) return PLATFORM_ERR_CONFIG;
    PlatformGet g = {(char *)path, what, NULL, NULL, 0};
    platform_get_all(cfg, &g, 1);
    *body = g.body;
    if (err) *err = g.err;
    else np_free(g.err);
    return g.code;
}

int platform_list_credentials(const PlatformConfig *cfg, char **body, char **err)
{
    return get_json(cfg, "/credentials", "credentials", body, err);
}

/* "<prefix><escaped id><suffix>" (np_malloc'd), or NULL when memory ran out. */
static char *by_id_path(const char *prefix, const char *id, const char *suffix)
{
    char *esc = http_url_escape(id);
    if (!esc) return NULL;
    StrBuf path = STRBUF_INIT;
    strbuf_printf(&path, "%s%s%s", prefix, esc, suffix);
    np_free(esc);
    return strbuf_take(&path);
}

/* GET {endpoint}/<prefix>/<escaped id><suffix>. */
static int get_by_id(const PlatformConfig *cfg, const char *prefix, const char *id, const char *suffix,
                     const char *what, char **body, char **err)
{
    if (body) *body = NULL;
    if (err) *err = NULL;
    if (!id || !*id) {
        if (err) *err = np_strdup("no Platform identifier given");
        return PLATFORM_ERR_CONFIG;
    }
    char *p = by_id_path(prefix, id, suffix);
    if (!p) return PLATFORM_ERR_NOMEM;
    int rc = get_json(cfg, p, what, body, err);
    np_free(p);
    return rc;
}

int platform_get_workflow_launch(PlatformGet *g, const char *workflow_id)
{
    memset(g, 0, sizeof *g);
    g->what = "workflow launch";
    if (!workflow_id || !*workflow_id) return PLATFORM_ERR_CONFIG;
    g->path = by_id_path("/workflow/", workflow_id, "/launch");
    return g->path ? PLATFORM_OK : PLATFORM_ERR_NOMEM;
}

int platform_get_credentials(PlatformGet *g)
{
    memset(g, 0, sizeof *g);
    g->what = "credentials";
    g->path = np_strdup("/credentials");
    return g->path ? PLATFORM_OK : PLATFORM_ERR_NOMEM;
}

void platform_get_free(PlatformGet *g)
{
    if (!g) return;
    np_free(g->path);
    np_free(g->body);
    np_free(g->err);
    memset(g, 0, sizeof *g);
}

int platform_describe_workflow_launch(const PlatformConfig *cfg, const char *workflow_id, char **body, char **err)
{
    return get_by_id(cfg, "/workflow/", workflow_id, "/launch", "workflow launch", body, err);
}

int platform_describe_compute_env(const PlatformConfig *cfg, const char *compute_env_id, char **body, char **err)
{
    return get_by_id(cfg, "/compute-envs/", compute_env_id, "", "compute environment", body, err);
}
