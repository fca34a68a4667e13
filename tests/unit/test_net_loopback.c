/* Network checks against loopback servers started by
 * tests/integration/test_network.py, which passes their addresses in:
 *   NFP_TEST_PLATFORM_URL       tests/integration/platform_double.py
 *                               (Platform credentials API + bearer-token registry)
 *   NFP_TEST_REGISTRY_URL       docker-registry without auth, holding
 *                               NFP_TEST_REGISTRY_REPO:NFP_TEST_REGISTRY_TAG
 *   NFP_TEST_REGISTRY_AUTH_URL  docker-registry with htpasswd (basic auth)
 *   NFP_TEST_REGISTRY_DIGEST    digest of the pushed manifest
 * Run directly by ctest (no servers), every group prints why it is skipped and
 * the run passes. Tokens below must match platform_double.py. */
#include "tap.h"
#include "alloc.h"
#include "http.h"
#include "platform.h"
#include "probe.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#define GOOD_TOKEN        "nfp-good-token-5f2c9a71e3"
#define TOKEN_500         "nfp-token-500"
#define TOKEN_SLOW        "nfp-token-slow"
#define TOKEN_HUGE        "nfp-token-huge"
#define TOKEN_HUGE_STREAM "nfp-token-huge-stream"
#define TOKEN_HTML        "nfp-token-html"
#define TOKEN_BADREQ      "nfp-token-badreq"
#define BAD_TOKEN         "nfp-wrong-token-0000"

static int contains(const char *hay, const char *needle)
{
    return hay && needle && strstr(hay, needle) != NULL;
}

static long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long)ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* "http://127.0.0.1:1234" → "127.0.0.1:1234", written into buf. */
static const char *host_of(const char *url, char *buf, size_t n)
{
    const char *p = strstr(url, "://");
    snprintf(buf, n, "%s", p ? p + 3 : url);
    size_t l = strlen(buf);
    while (l && buf[l - 1] == '/') buf[--l] = '\0';
    return buf;
}

/* Lists credentials with the given token/workspace/endpoint; returns the code
 * and hands back body and error text (caller frees). */
static int list(const char *endpoint, const char *token, const char *ws, long timeout_ms,
                size_t max_body, char **body, char **err)
{
    PlatformConfig cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.endpoint = endpoint;
    cfg.access_token = token;
    cfg.workspace_id = ws;
    cfg.connect_timeout_ms = 1000;
    cfg.timeout_ms = timeout_ms;
    cfg.max_body = max_body;
    return platform_list_credentials(&cfg, body, err);
}

static void platform_checks(const char *base)
{
    char *body = NULL, *err = NULL;
    int rc;

    /* Good token, org workspace: the full list, raw JSON. */
    rc = list(base, GOOD_TOKEN, "1234", 2000, 0, &body, &err);
    CHECK_MSG(rc == PLATFORM_OK, "rc=%d err=%s", rc, err ? err : "");
    CHECK(contains(body, "\"credentials\""));
    CHECK(contains(body, "\"quay.io\"") && contains(body, "\"docker.io\"") &&
          contains(body, "123456789012.dkr.ecr.eu-west-1.amazonaws.com"));
    CHECK(contains(body, "\"provider\": \"aws\""));
    CHECK(err == NULL);
    np_free(body);
    np_free(err);

    /* Good token, personal context (no workspaceId sent): a different list. */
    rc = list(base, GOOD_TOKEN, NULL, 2000, 0, &body, &err);
    CHECK(rc == PLATFORM_OK);
    CHECK(contains(body, "\"my-hub\"") && !contains(body, "quay.io"));
    np_free(body);
    np_free(err);

    /* Workspace the token cannot see. */
    rc = list(base, GOOD_TOKEN, "999", 2000, 0, &body, &err);
    CHECK(rc == PLATFORM_ERR_FORBIDDEN && body == NULL);
    CHECK_MSG(contains(err, "workspace 999") && contains(err, "(403)"), "%s", err ? err : "");
    CHECK(!contains(err, GOOD_TOKEN));
    np_free(err);

    /* Wrong token. */
    rc = list(base, BAD_TOKEN, "1234", 2000, 0, &body, &err);
    CHECK(rc == PLATFORM_ERR_UNAUTHORIZED && body == NULL);
    CHECK_MSG(err && strncmp(err, "Platform rejected the access token (401)", 40) == 0, "%s", err ? err : "");
    CHECK(!contains(err, BAD_TOKEN));
    np_free(err);

    /* Server failure. */
    rc = list(base, TOKEN_500, NULL, 2000, 0, &body, &err);
    CHECK(rc == PLATFORM_ERR_SERVER);
    CHECK(contains(err, "(500)") && contains(err, "Unexpected error"));
    CHECK(!contains(err, TOKEN_500));
    np_free(err);

    /* The same modes picked by path prefix with the good token. */
    char ep[256];
    snprintf(ep, sizeof ep, "%s/_mode/500", base);
    rc = list(ep, GOOD_TOKEN, NULL, 2000, 0, &body, &err);
    CHECK(rc == PLATFORM_ERR_SERVER);
    CHECK(!contains(err, GOOD_TOKEN));
    np_free(err);

    /* Slow server: the 1 s timeout fires and the call returns well before the
     * server's 3 s sleep would end. */
    long t0 = now_ms();
    rc = list(base, TOKEN_SLOW, NULL, 1000, 0, &body, &err);
    long took = now_ms() - t0;
    CHECK_MSG(rc == PLATFORM_ERR_TIMEOUT, "rc=%d err=%s", rc, err ? err : "");
    CHECK_MSG(took >= 900 && took < 2500, "took %ld ms", took);
    CHECK(contains(err, "did not answer in time") && contains(err, "1000 ms"));
    CHECK(!contains(err, TOKEN_SLOW));
    np_free(err);

    /* Oversized body, announced by Content-Length and unannounced. */
    rc = list(base, TOKEN_HUGE, NULL, 2000, 64 * 1024, &body, &err);
    CHECK_MSG(rc == PLATFORM_ERR_TOO_LARGE, "rc=%d err=%s", rc, err ? err : "");
    CHECK(body == NULL && contains(err, "65536 bytes"));
    CHECK(!contains(err, TOKEN_HUGE));
    np_free(err);
    rc = list(base, TOKEN_HUGE_STREAM, NULL, 2000, 64 * 1024, &body, &err);
    CHECK_MSG(rc == PLATFORM_ERR_TOO_LARGE, "rc=%d err=%s", rc, err ? err : "");
    CHECK(body == NULL && contains(err, "65536 bytes"));
    CHECK(!contains(err, TOKEN_HUGE_STREAM));
    np_free(err);
    /* ... while the default cap lets the same 2 MiB through. */
    rc = list(base, TOKEN_HUGE_STREAM, NULL, 5000, 0, &body, &err);
    CHECK(rc == PLATFORM_OK && body && strlen(body) > 1024 * 1024);
    np_free(body);
    np_free(err);

    /* 200 that is not JSON, and a 400 that echoes the token back. */
    rc = list(base, TOKEN_HTML, NULL, 2000, 0, &body, &err);
    CHECK(rc == PLATFORM_ERR_BAD_RESPONSE && contains(err, "text/html"));
    np_free(err);
    rc = list(base, TOKEN_BADREQ, NULL, 2000, 0, &body, &err);
    CHECK(rc == PLATFORM_ERR_BAD_REQUEST);
    CHECK_MSG(contains(err, "Invalid access token '***'"), "%s", err ? err : "");
    CHECK(!contains(err, TOKEN_BADREQ));
    np_free(err);

    /* Malformed workspace never leaves the client; wrong base path → 404. */
    rc = list(base, GOOD_TOKEN, "12ab", 2000, 0, &body, &err);
    CHECK(rc == PLATFORM_ERR_CONFIG);
    np_free(err);
    snprintf(ep, sizeof ep, "%s/api", base);
    rc = list(ep, GOOD_TOKEN, NULL, 2000, 0, &body, &err);
    CHECK(rc == PLATFORM_ERR_NOT_FOUND && contains(err, "(404)"));
    np_free(err);
}

typedef struct Trace { char *all; size_t len; } Trace;

static void collect(void *ctx, const char *line)
{
    Trace *t = ctx;
    size_t n = strlen(line);
    char *p = np_realloc(t->all, t->len + n + 2);
    if (!p) return;
    t->all = p;
    memcpy(t->all + t->len, line, n);
    t->all[t->len + n] = '\n';
    t->all[t->len + n + 1] = '\0';
    t->len += n + 1;
}

/* Debug trace and redirects, straight through http_get. */
static void http_checks(const char *base)
{
    char url[256];
    HttpRequest req;
    HttpResponse resp;
    char *err = NULL;

    Trace tr = { NULL, 0 };
    snprintf(url, sizeof url, "%s/credentials?workspaceId=1234", base);
    memset(&req, 0, sizeof req);
    req.url = url;
    req.bearer_token = GOOD_TOKEN;
    req.timeout_ms = 2000;
    req.debug = collect;
    req.debug_ctx = &tr;
    CHECK(http_get(&req, &resp, &err) == HTTP_OK && resp.status == 200);
    /* The header went out (the server accepted it) but the trace shows a mask. */
    CHECK_MSG(contains(tr.all, "> Authorization: Bearer ***"), "%s", tr.all ? tr.all : "(no trace)");
    CHECK(!contains(tr.all, GOOD_TOKEN));
    CHECK(contains(resp.content_type, "application/json"));
    http_response_free(&resp);
    np_free(tr.all);

    /* Redirects: same host keeps the Authorization header, another host
     * (localhost vs 127.0.0.1) does not get it. */
    snprintf(url, sizeof url, "%s/_redirect/same-host", base);
    memset(&req, 0, sizeof req);
    req.url = url;
    req.bearer_token = GOOD_TOKEN;
    req.timeout_ms = 2000;
    CHECK(http_get(&req, &resp, &err) == HTTP_OK && resp.status == 200);
    CHECK_MSG(contains(resp.body, "\"present\""), "%s", resp.body ? resp.body : "");
    http_response_free(&resp);
    snprintf(url, sizeof url, "%s/_redirect/other-host", base);
    int rc = http_get(&req, &resp, &err);
    CHECK_MSG(rc == HTTP_OK && resp.status == 200, "rc=%d %s", rc, err ? err : "");
    CHECK_MSG(contains(resp.body, "\"absent\""), "%s", resp.body ? resp.body : "");
    http_response_free(&resp);
    np_free(err);

    /* A batch (http_get_all): each call gets its own answer; a refused
     * request and a 401 among them spoil nothing for the others. */
    char u1[256], u2[256];
    snprintf(u1, sizeof u1, "%s/credentials?workspaceId=1234", base);
    snprintf(u2, sizeof u2, "%s/_redirect/same-host", base);
    HttpRequest rs[4];
    memset(rs, 0, sizeof rs);
    rs[0].url = u1; rs[0].bearer_token = GOOD_TOKEN; rs[0].timeout_ms = 5000;
    rs[1].url = u2; rs[1].bearer_token = GOOD_TOKEN; rs[1].timeout_ms = 5000;
    rs[2].url = "ftp://127.0.0.1/x";                       /* refused before any transfer */
    rs[3].url = u1; rs[3].bearer_token = "not-the-token"; rs[3].timeout_ms = 5000;
    HttpCall calls[4];
    memset(calls, 0, sizeof calls);
    for (int i = 0; i < 4; i++) calls[i].req = &rs[i];
    http_get_all(calls, 4);
    CHECK_MSG(calls[0].code == HTTP_OK && calls[0].resp.status == 200 && contains(calls[0].resp.body, "credentials"),
              "%d %ld", calls[0].code, calls[0].resp.status);
    CHECK_MSG(calls[1].code == HTTP_OK && contains(calls[1].resp.body, "\"present\""), "%d", calls[1].code);
    CHECK(calls[2].code == HTTP_ERR_USAGE && calls[2].err && contains(calls[2].err, "only http:// and https://") &&
          calls[2].resp.body == NULL);
    CHECK_MSG(calls[3].code == HTTP_OK && calls[3].resp.status == 401, "%d %ld", calls[3].code, calls[3].resp.status);
    for (int i = 0; i < 4; i++) {
        http_response_free(&calls[i].resp);
        np_free(calls[i].err);
    }
}

static void probe_expect(const char *host, const char *repo, const char *ref, ProbeVerdict want,
                         int want_token, long budget_ms)
{
    ProbeOptions opt = { 1000, budget_ms, 0 };
    ProbeResult r;
    char *err = NULL;
    long t0 = now_ms();
    int rc = probe_anonymous_pull_ex(host, repo, ref, 1, &opt, &r, &err);
    long took = now_ms() - t0;
    CHECK_MSG(r.verdict == want, "%s/%s:%s verdict %s, want %s (%s)", host, repo, ref,
              probe_verdict_name(r.verdict), probe_verdict_name(want), r.detail ? r.detail : "");
    CHECK(rc == (want == PROBE_ERROR ? -1 : 0));
    CHECK((err != NULL) == (want == PROBE_ERROR));
    if (want_token >= 0)
        CHECK_MSG(r.token_used == want_token, "%s token_used=%d", repo, r.token_used);
    CHECK_MSG(took < budget_ms + 500, "%s took %ld ms", repo, took);
    CHECK(!contains(err, "anon-") && !contains(r.detail, "anon-"));   /* the double's tokens */
    if (want == PROBE_PUBLIC) CHECK(r.digest && strncmp(r.digest, "sha256:", 7) == 0);
    probe_result_free(&r);
    np_free(err);
}

static void token_dance_checks(const char *base)
{
    char h[128];
    const char *host = host_of(base, h, sizeof h);
    probe_expect(host, "public/tiny", "1.0", PROBE_PUBLIC, 1, 3000);
    probe_expect(host, "acr/tiny", "1.0", PROBE_PUBLIC, 1, 3000);        /* access_token field */
    probe_expect(host, "nohead/tiny", "1.0", PROBE_PUBLIC, 1, 3000);     /* HEAD 405 → GET */
    probe_expect(host, "private/tiny", "1.0", PROBE_NEEDS_AUTH, 1, 3000);
    probe_expect(host, "ghcr-private/tiny", "1.0", PROBE_NEEDS_AUTH, 0, 3000);
    probe_expect(host, "public/tiny", "9.9", PROBE_NOT_FOUND, 1, 3000);
    probe_expect(host, "public/missing", "1.0", PROBE_NOT_FOUND, 1, 3000);
    probe_expect(host, "ratelimited/tiny", "1.0", PROBE_ERROR, 0, 3000);
    /* Server sleeps 3 s; the 1.5 s budget ends the probe. */
    probe_expect(host, "slow/tiny", "1.0", PROBE_ERROR, 0, 1500);
}

/* Allocation failure at every step of a full list and a full token dance:
 * each run ends in an error or the right answer, never a crash or a leak. */
static void alloc_failure_checks(const char *base)
{
    char h[128];
    const char *host = host_of(base, h, sizeof h);
    int finished = 0;
    for (unsigned long n = 1; n < 400 && !finished; n++) {
        char *body = NULL, *err = NULL;
        alloc_fail_at(n);
        int rc = list(base, GOOD_TOKEN, "1234", 2000, 0, &body, &err);
        int failed = alloc_failed();
        alloc_fail_at(0);
        if (!failed) {
            finished = 1;
            CHECK(rc == PLATFORM_OK && contains(body, "quay.io"));
        } else {
            CHECK(rc != PLATFORM_OK && body == NULL);
        }
        CHECK(!contains(err, GOOD_TOKEN));
        np_free(body);
        np_free(err);
    }
    CHECK(finished);

    finished = 0;
    for (unsigned long n = 1; n < 400 && !finished; n++) {
        ProbeOptions opt = { 1000, 3000, 0 };
        ProbeResult r;
        char *err = NULL;
        alloc_fail_at(n);
        int rc = probe_anonymous_pull_ex(host, "public/tiny", "1.0", 1, &opt, &r, &err);
        int failed = alloc_failed();
        alloc_fail_at(0);
        if (!failed) {
            finished = 1;
            CHECK(rc == 0 && r.verdict == PROBE_PUBLIC);
        } else {
            /* An allocation lost on the way may cost the digest or the detail
             * text, but it must never turn into a wrong verdict. */
            CHECK(r.verdict == PROBE_PUBLIC || r.verdict == PROBE_ERROR);
            CHECK((rc == -1) == (r.verdict == PROBE_ERROR));
        }
        probe_result_free(&r);
        np_free(err);
    }
    CHECK(finished);
}

static void registry_checks(const char *url, const char *auth_url)
{
    const char *repo = getenv("NFP_TEST_REGISTRY_REPO");
    const char *tag = getenv("NFP_TEST_REGISTRY_TAG");
    const char *digest = getenv("NFP_TEST_REGISTRY_DIGEST");
    if (!repo) repo = "nfp/tiny";
    if (!tag) tag = "1.0";
    char h[128];
    const char *host = host_of(url, h, sizeof h);

    ProbeOptions opt = { 1000, 3000, 0 };
    ProbeResult r;
    char *err = NULL;
    CHECK(probe_anonymous_pull_ex(host, repo, tag, 1, &opt, &r, &err) == 0);
    CHECK_MSG(r.verdict == PROBE_PUBLIC && r.token_used == 0, "%s (%s)", probe_verdict_name(r.verdict),
              r.detail ? r.detail : "");
    if (digest) CHECK_STR(r.digest, digest);
    probe_result_free(&r);
    np_free(err);
    if (digest) probe_expect(host, repo, digest, PROBE_PUBLIC, 0, 3000);
    probe_expect(host, repo, "no-such-tag", PROBE_NOT_FOUND, 0, 3000);
    probe_expect(host, "nfp/absent", tag, PROBE_NOT_FOUND, 0, 3000);

    if (!auth_url) {
        printf("# skip: NFP_TEST_REGISTRY_AUTH_URL unset (htpasswd missing?); basic-auth probe not run\n");
        return;
    }
    host = host_of(auth_url, h, sizeof h);
    CHECK(probe_anonymous_pull_ex(host, repo, tag, 1, &opt, &r, &err) == 0);
    CHECK(r.verdict == PROBE_NEEDS_AUTH && r.status == 401 && r.token_used == 0);
    CHECK_MSG(contains(r.detail, "Basic"), "%s", r.detail ? r.detail : "");
    probe_result_free(&r);
    np_free(err);
}

int main(void)
{
    /* many requests with deliberate timeouts: more than one run's network
     * budget on a loaded machine, and the budget is not what is tested here */
    http_set_run_budget(3600L * 1000L);
    const char *platform = getenv("NFP_TEST_PLATFORM_URL");
    const char *registry = getenv("NFP_TEST_REGISTRY_URL");
    const char *auth = getenv("NFP_TEST_REGISTRY_AUTH_URL");
    if (platform && *platform) {
        platform_checks(platform);
        http_checks(platform);
        token_dance_checks(platform);
        alloc_failure_checks(platform);
    } else {
        printf("# skip: NFP_TEST_PLATFORM_URL unset; tests/integration/test_network.py runs this with servers\n");
    }
    if (registry && *registry) {
        registry_checks(registry, auth && *auth ? auth : NULL);
    } else {
        printf("# skip: NFP_TEST_REGISTRY_URL unset; tests/integration/test_network.py runs this with servers\n");
    }
    http_cleanup();
    TEST_MAIN_END();
}
