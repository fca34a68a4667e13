/* probe — see probe.h. */
#include "probe.h"
#include "alloc.h"
#include "http.h"
#include "registry.h"
#include "strbuf.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* Token answers are small JWTs; anything near this size is not a token. */
#define PROBE_TOKEN_MAX_BODY ((size_t)1024 * 1024)
/* A manifest fetched with GET (HEAD fallback) is a few KB. */
#define PROBE_MANIFEST_MAX_BODY ((size_t)4 * 1024 * 1024)

const char *probe_verdict_name(ProbeVerdict v)
{
    switch (v) {
    case PROBE_PUBLIC:     return "public";
    case PROBE_NEEDS_AUTH: return "needs-auth";
    case PROBE_NOT_FOUND:  return "not-found";
    default:               return "error";
    }
}

void probe_challenge_free(ProbeChallenge *c)
{
    if (!c) return;
    np_free(c->scheme);
    np_free(c->realm);
    np_free(c->service);
    np_free(c->scope);
    memset(c, 0, sizeof *c);
}

void probe_result_free(ProbeResult *r)
{
    if (!r) return;
    np_free(r->digest);
    np_free(r->detail);
    memset(r, 0, sizeof *r);
}

/* RFC 7230 tchar. */
static int is_tchar(char c)
{
    return isalnum((unsigned char)c) || (c && strchr("!#$%&'*+-.^_`|~", c));
}

static const char *skip_ows(const char *p)
{
    while (*p == ' ' || *p == '\t') p++;
    return p;
}

int probe_parse_challenge(const char *header, ProbeChallenge *out)
{
    memset(out, 0, sizeof *out);
    if (!header) return -1;
    const char *p = skip_ows(header);
    const char *s = p;
    while (is_tchar(*p)) p++;
    if (p == s) return -1;
    out->scheme = np_strndup(s, (size_t)(p - s));
    if (!out->scheme) return -2;

    for (;;) {
        p = skip_ows(p);
        while (*p == ',' || *p == ' ' || *p == '\t') p++;
        if (!*p) return 0;
        const char *name = p;
        while (is_tchar(*p)) p++;
        size_t nlen = (size_t)(p - name);
        if (nlen == 0) return -1;
        const char *q = skip_ows(p);
        if (*q != '=') return 0;   /* token68 or the next challenge's scheme: first challenge done */
        p = skip_ows(q + 1);
        StrBuf v = STRBUF_INIT;
        if (*p == '"') {
            p++;
            while (*p && *p != '"') {
                if (*p == '\\' && p[1]) p++;
                strbuf_putc(&v, *p++);
            }
            if (*p != '"') { strbuf_free(&v); return -1; }
            p++;
        } else {
            const char *vs = p;
            while (is_tchar(*p) || *p == '/' || *p == ':') p++;   /* lenient: unquoted URLs */
            strbuf_append(&v, vs, (size_t)(p - vs));
        }
        char **slot = NULL;
        if (nlen == 5 && strncasecmp(name, "realm", 5) == 0) slot = &out->realm;
        else if (nlen == 7 && strncasecmp(name, "service", 7) == 0) slot = &out->service;
        else if (nlen == 5 && strncasecmp(name, "scope", 5) == 0) slot = &out->scope;
        if (slot && !*slot) {
            *slot = strbuf_take(&v);
            if (!*slot) return -2;
        } else {
            if (strbuf_failed(&v)) { strbuf_free(&v); return -2; }
            strbuf_free(&v);
        }
    }
}

static int chars_ok(const char *s, const char *extra)
{
    if (!s || !*s) return 0;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && !strchr(extra, *s)) return 0;
    return 1;
}

static char *make_err(const char *a, const char *b)
{
    StrBuf m = STRBUF_INIT;
    strbuf_puts(&m, a);
    if (b) strbuf_puts(&m, b);
    return strbuf_take(&m);
}

char *probe_manifest_url(const char *registry_host, const char *repo_path, const char *reference,
                         int use_http, char **err)
{
    if (err) *err = NULL;
    /* host[:port] or [v6]:port; anything else would change the URL's meaning. */
    if (!chars_ok(registry_host, ".-:[]")) {
        if (err) *err = make_err("invalid registry host: ", registry_host ? registry_host : "(none)");
        return NULL;
    }
    if (!chars_ok(repo_path, "._-/") || repo_path[0] == '/') {
        if (err) *err = make_err("invalid repository path: ", repo_path ? repo_path : "(none)");
        return NULL;
    }
    if (!chars_ok(reference, "._-:+")) {
        if (err) *err = make_err("invalid tag or digest: ", reference ? reference : "(none)");
        return NULL;
    }
    /* Docker Hub's API host; its one-component names live under library/ */
    const char *host = registry_api_host(registry_host);
    int hub = host != registry_host;
    StrBuf b = STRBUF_INIT;
    strbuf_printf(&b, "%s://%s/v2/", use_http ? "http" : "https", host);
    if (hub && !strchr(repo_path, '/')) strbuf_puts(&b, "library/");
    strbuf_printf(&b, "%s/manifests/%s", repo_path, reference);
    return strbuf_take(&b);
}

char *probe_token_url(const ProbeChallenge *c, const char *repo_path)
{
    if (!c || !c->realm || !*c->realm || !repo_path) return NULL;
    StrBuf b = STRBUF_INIT;
    strbuf_puts(&b, c->realm);
    char sep = strchr(c->realm, '?') ? '&' : '?';
    if (c->service && *c->service) {
        char *svc = http_url_escape(c->service);
        if (!svc) { strbuf_free(&b); return NULL; }
        strbuf_printf(&b, "%cservice=%s", sep, svc);
        np_free(svc);
        sep = '&';
    }
    StrBuf scope = STRBUF_INIT;
    strbuf_printf(&scope, "repository:%s:pull", repo_path);
    char *esc = strbuf_failed(&scope) ? NULL : http_url_escape(strbuf_cstr(&scope));
    strbuf_free(&scope);
    if (!esc) { strbuf_free(&b); return NULL; }
    strbuf_printf(&b, "%cscope=%s", sep, esc);
    np_free(esc);
    return strbuf_take(&b);
}

static long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long)ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* Probe state for one call. */
typedef struct Probe {
    const ProbeOptions *opt;
    long deadline;
    ProbeResult *out;
    char **err;
    int public_only;       /* the registry is not local: nothing local is contacted */
} Probe;

/* The part of a host name one owner controls, approximately: the last two
 * labels, or three when the last is a two-letter country code under a short
 * second level (co.uk, com.au). */
static const char *site_of(const char *host)
{
    const char *dots[3] = {NULL, NULL, NULL};   /* last, second-last, third-last '.' */
    for (const char *q = host; *q; q++)
        if (*q == '.') { dots[2] = dots[1]; dots[1] = dots[0]; dots[0] = q; }
    if (!dots[1]) return host;
    const char *site = dots[1] + 1;
    size_t tld = strlen(dots[0] + 1), second = (size_t)(dots[0] - site);
    if (tld == 2 && second <= 3) site = dots[2] ? dots[2] + 1 : host;
    return site;
}

/* Whether the token service a registry names (its WWW-Authenticate realm)
 * may be asked: on the registry's own host, or on another host of the same
 * site (Docker Hub: registry-1.docker.io -> auth.docker.io). An IP address
 * or localhost counts only when it is the registry's own host, or when both
 * are loopback (a local registry). */
static int realm_allowed(const char *registry_host, const char *realm, char **realm_host)
{
    *realm_host = http_url_host(realm);
    StrBuf u = STRBUF_INIT;
    strbuf_printf(&u, "https://%s/", registry_host);
    const char *reg_url = strbuf_failed(&u) ? NULL : strbuf_cstr(&u);
    char *reg = reg_url ? http_url_host(reg_url) : NULL;
    /* a registry on this machine may name its token service on this machine
     * in another spelling (localhost / 127.0.0.1 / ::1) */
    int both_loopback = reg_url && http_url_is_loopback(reg_url) && http_url_is_loopback(realm);
    strbuf_free(&u);
    int ok = *realm_host && reg &&
             (!strcmp(*realm_host, reg) || both_loopback ||
              (!http_host_is_literal(*realm_host) && !http_host_is_literal(reg) &&
               !strcmp(site_of(*realm_host), site_of(reg))));
    np_free(reg);
    return ok;
}

/* Sets the verdict and its detail text; returns the public return code. */
static int conclude(Probe *p, ProbeVerdict v, long status, const char *detail)
{
    p->out->verdict = v;
    if (status) p->out->status = status;
    np_free(p->out->detail);
    p->out->detail = np_strdup(detail);
    if (v == PROBE_ERROR) {
        if (p->err && !*p->err) *p->err = p->out->detail ? np_strdup(p->out->detail) : NULL;
        return -1;
    }
    return 0;
}

/* One request within the remaining budget. Returns HTTP_* code. */
static int fetch(Probe *p, const char *url, const char *token, const char *accept, int head,
                 size_t max_body, HttpResponse *resp, char **herr)
{
    long left = p->deadline - now_ms();
    if (left <= 0) {
        *herr = np_strdup("the probe's time budget was used up");
        memset(resp, 0, sizeof *resp);
        return HTTP_ERR_TIMEOUT;
    }
    HttpRequest req;
    memset(&req, 0, sizeof req);
    req.url = url;
    req.bearer_token = token;
    req.accept = accept;
    req.head = head;
    req.timeout_ms = left;
    req.connect_timeout_ms = p->opt->connect_timeout_ms > 0 ? p->opt->connect_timeout_ms
                                                            : PROBE_DEFAULT_CONNECT_TIMEOUT_MS;
    req.max_body = max_body;
    req.insecure = p->opt->insecure;
    req.public_only = p->public_only;
    return http_get(&req, resp, herr);
}

/* Manifest request: HEAD first, GET when the registry does not do HEAD. */
static int fetch_manifest(Probe *p, const char *url, const char *token, HttpResponse *resp, char **herr)
{
    int hc = fetch(p, url, token, PROBE_MANIFEST_ACCEPT, 1, PROBE_MANIFEST_MAX_BODY, resp, herr);
    if (hc == HTTP_OK && (resp->status == 405 || resp->status == 501)) {
        http_response_free(resp);
        hc = fetch(p, url, token, PROBE_MANIFEST_ACCEPT, 0, PROBE_MANIFEST_MAX_BODY, resp, herr);
    }
    return hc;
}

static int transfer_failed(Probe *p, int hc, char *herr, const char *what)
{
    StrBuf b = STRBUF_INIT;
    strbuf_printf(&b, "%s: %s", what, herr ? herr : http_error_name(hc));
    np_free(herr);
    char *m = strbuf_take(&b);
    int rc = conclude(p, PROBE_ERROR, 0, m ? m : http_error_name(hc));
    np_free(m);
    return rc;
}

/* Verdict for a manifest status that needs no further request. */
static int manifest_verdict(Probe *p, const HttpResponse *r, int with_token)
{
    long st = r->status;
    if (st == 200) {
        np_free(p->out->digest);
        p->out->digest = r->docker_content_digest ? np_strdup(r->docker_content_digest) : NULL;
        return conclude(p, PROBE_PUBLIC, st, with_token ? "manifest readable with an anonymous token"
                                                        : "manifest readable without authentication");
    }
    if (st == 404)
        return conclude(p, PROBE_NOT_FOUND, st, "registry reports the repository or tag does not exist (404)");
    if (st == 401 || st == 403)
        return conclude(p, PROBE_NEEDS_AUTH, st,
                        with_token ? "anonymous token does not grant pull access (private or nonexistent image)"
                                   : "registry denies anonymous access");
    if (st == 429)
        return conclude(p, PROBE_ERROR, st, "registry rate limit reached (429); result unknown");
    StrBuf b = STRBUF_INIT;
    strbuf_printf(&b, "registry answered the manifest request with HTTP %ld", st);
    char *m = strbuf_take(&b);
    int rc = conclude(p, PROBE_ERROR, st, m ? m : "unexpected registry answer");
    np_free(m);
    return rc;
}

int probe_anonymous_pull(const char *registry_host, const char *repo_path, const char *reference,
                         int use_http, ProbeResult *out, char **err)
{
    return probe_anonymous_pull_ex(registry_host, repo_path, reference, use_http, NULL, out, err);
}

int probe_anonymous_pull_ex(const char *registry_host, const char *repo_path, const char *reference,
                            int use_http, const ProbeOptions *opt, ProbeResult *out, char **err)
{
    static const ProbeOptions defaults = { 0, 0, 0 };
    ProbeResult scratch;
    if (!out) out = &scratch;
    memset(out, 0, sizeof *out);
    out->verdict = PROBE_ERROR;
    if (err) *err = NULL;
    if (!opt) opt = &defaults;
    long budget = opt->total_timeout_ms > 0 ? opt->total_timeout_ms : PROBE_DEFAULT_TOTAL_TIMEOUT_MS;
    Probe p = { opt, now_ms() + budget, out, err, 0 };
    {
        /* a registry named as loopback may be probed (a local registry);
         * any other is never followed to a local or link-local address */
        StrBuf u = STRBUF_INIT;
        strbuf_printf(&u, "http://%s/", registry_host ? registry_host : "");
        p.public_only = !strbuf_failed(&u) && !http_url_is_loopback(strbuf_cstr(&u));
        strbuf_free(&u);
    }

    char *uerr = NULL;
    char *url = probe_manifest_url(registry_host, repo_path, reference, use_http, &uerr);
    if (!url) {
        int rc = conclude(&p, PROBE_ERROR, 0, uerr ? uerr : "out of memory");
        np_free(uerr);
        if (out == &scratch) probe_result_free(out);
        return rc;
    }

    HttpResponse r;
    char *herr = NULL;
    int rc;
    int hc = fetch_manifest(&p, url, NULL, &r, &herr);
    if (hc != HTTP_OK) {
        rc = transfer_failed(&p, hc, herr, "manifest request failed");
        goto done;
    }
    if (r.status != 401) {
        rc = manifest_verdict(&p, &r, 0);
        http_response_free(&r);
        goto done;
    }

    /* 401: read the challenge. */
    ProbeChallenge ch;
    int pc = probe_parse_challenge(r.www_authenticate, &ch);
    http_response_free(&r);
    if (pc == -2) {
        probe_challenge_free(&ch);
        rc = conclude(&p, PROBE_ERROR, 401, "out of memory");
        goto done;
    }
    if (pc != 0 || strcasecmp(ch.scheme, "bearer") != 0 || !ch.realm || !*ch.realm) {
        /* Basic (htpasswd, ECR private) or no usable challenge: a login is the only way in. */
        StrBuf b = STRBUF_INIT;
        strbuf_printf(&b, "registry requires a login (%s challenge)", pc == 0 && ch.scheme ? ch.scheme : "no usable");
        char *m = strbuf_take(&b);
        probe_challenge_free(&ch);
        rc = conclude(&p, PROBE_NEEDS_AUTH, 401, m ? m : "registry requires a login");
        np_free(m);
        goto done;
    }

    char *realm_host = NULL;
    if (!realm_allowed(registry_host, ch.realm, &realm_host)) {
        StrBuf b = STRBUF_INIT;
        strbuf_puts(&b, "the registry names a token service on another host (");
        strbuf_put_visible(&b, realm_host ? realm_host : "?", realm_host ? strlen(realm_host) : 1, 0);
        strbuf_puts(&b, "); not contacted, result unknown");
        np_free(realm_host);
        probe_challenge_free(&ch);
        char *m = strbuf_take(&b);
        rc = conclude(&p, PROBE_ERROR, 401, m ? m : "token service on another host; not contacted");
        np_free(m);
        goto done;
    }
    np_free(realm_host);
    char *turl = probe_token_url(&ch, repo_path);
    probe_challenge_free(&ch);
    if (!turl) {
        rc = conclude(&p, PROBE_ERROR, 401, "out of memory");
        goto done;
    }
    HttpResponse tr;
    hc = fetch(&p, turl, NULL, "application/json", 0, PROBE_TOKEN_MAX_BODY, &tr, &herr);
    np_free(turl);
    if (hc != HTTP_OK) {
        rc = transfer_failed(&p, hc, herr, "anonymous token request failed");
        goto done;
    }
    if (tr.status == 401 || tr.status == 403) {
        /* GHCR answers a private package's anonymous token request this way. */
        http_response_free(&tr);
        rc = conclude(&p, PROBE_NEEDS_AUTH, 401, "token service refuses anonymous access");
        goto done;
    }
    if (tr.status != 200) {
        StrBuf b = STRBUF_INIT;
        strbuf_printf(&b, "token service answered HTTP %ld", tr.status);
        http_response_free(&tr);
        char *m = strbuf_take(&b);
        rc = conclude(&p, PROBE_ERROR, 401, m ? m : "token service failed");
        np_free(m);
        goto done;
    }
    /* Docker Hub/Quay send "token", ACR "access_token" (research §7 step 2). */
    char *token = http_json_top_string(tr.body, tr.body_len, "token");
    if (!token || !*token) {
        np_free(token);
        token = http_json_top_string(tr.body, tr.body_len, "access_token");
    }
    http_response_free(&tr);
    if (!token || !*token) {
        np_free(token);
        rc = conclude(&p, PROBE_ERROR, 401, "token service answer holds no token");
        goto done;
    }
    out->token_used = 1;
    hc = fetch_manifest(&p, url, token, &r, &herr);
    if (hc != HTTP_OK) {
        /* http_get already cut the token out of herr. */
        rc = transfer_failed(&p, hc, herr, "manifest request with anonymous token failed");
    } else {
        rc = manifest_verdict(&p, &r, 1);
        http_response_free(&r);
    }
    np_free(token);

done:
    np_free(url);
    if (out == &scratch) probe_result_free(out);
    return rc;
}
