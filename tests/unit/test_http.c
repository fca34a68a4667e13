/* Network-free checks of the http, platform and probe modules: redaction,
 * URL building, the small JSON field reader, challenge parsing, status and
 * transfer error mapping, request refusals, and allocation-failure handling.
 * The only socket use is a connect to a closed loopback port. */
#include "tap.h"

#include <dlfcn.h>
#include "alloc.h"
#include "http.h"
#include "redact.h"
#include "platform.h"
#include "probe.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <fcntl.h>
#include <string.h>
#include <time.h>
#include <sys/socket.h>
#include <unistd.h>

static const char *TOKEN = "eyJhbGciOiJIUzI1NiJ9.secret-token-value.sig";

static int contains(const char *hay, const char *needle)
{
    return hay && needle && strstr(hay, needle) != NULL;
}

/* A loopback port with nothing listening: bind to port 0, read it, close. */
static int closed_port(void)
{
    int s = socket(AF_INET, SOCK_STREAM, 0);
    if (s < 0) return 0;
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    int port = 0;
    if (bind(s, (struct sockaddr *)&a, sizeof a) == 0 && getsockname(s, (struct sockaddr *)&a, &len) == 0)
        port = ntohs(a.sin_port);
    close(s);
    return port;
}

static void test_redact(void)
{
    char m1[] = "Authorization: Bearer abc123XYZ failed; token abc123XYZ again";
    CHECK(mask_token(m1, "abc123XYZ") == 2);
    CHECK_STR(m1, "Authorization: Bearer *** failed; token *** again");

    char m2[] = "abc123XYZabc123XYZ";           /* adjacent, at both ends */
    CHECK(mask_token(m2, "abc123XYZ") == 2);
    CHECK_STR(m2, "******");

    char m3[] = "nothing secret here";
    CHECK(mask_token(m3, "abc123XYZ") == 0);
    CHECK_STR(m3, "nothing secret here");

    char m4[] = "a proxy for 42, again 42";     /* below the floor: words stay whole */
    CHECK(mask_token(m4, "42") == 0);
    CHECK(mask_token(m4, "x") == 0);
    CHECK_STR(m4, "a proxy for 42, again 42");

    char m5[] = "unchanged";
    CHECK(mask_token(m5, NULL) == 0);
    CHECK(mask_token(m5, "") == 0);
    CHECK_STR(m5, "unchanged");
    CHECK(mask_token(NULL, "x") == 0);

    /* A prefix of the secret alone is not the secret. */
    char m6[] = "abc123 is not the whole token";
    CHECK(mask_token(m6, "abc123XYZ") == 0);
    CHECK_STR(m6, "abc123 is not the whole token");
}

static void test_url_helpers(void)
{
    char *e = http_url_escape("repository:org/img-1_x.y~z:pull");
    CHECK_STR(e, "repository%3Aorg%2Fimg-1_x.y~z%3Apull");
    np_free(e);
    e = http_url_escape("a b&c=d");
    CHECK_STR(e, "a%20b%26c%3Dd");
    np_free(e);

    char *d = http_url_for_display("https://user:pa55@api.example.com/x?y=1");
    CHECK_STR(d, "https://api.example.com/x?y=1");
    np_free(d);
    d = http_url_for_display("https://api.example.com/a@b");   /* '@' in the path stays */
    CHECK_STR(d, "https://api.example.com/a@b");
    np_free(d);

    CHECK(http_url_is_loopback("http://127.0.0.1:5000/v2/"));
    CHECK(http_url_is_loopback("http://127.1.2.3/"));
    CHECK(http_url_is_loopback("http://LOCALHOST:80"));
    CHECK(http_url_is_loopback("http://[::1]:8080/x"));
    CHECK(http_url_is_loopback("http://u:p@localhost/"));
    CHECK(!http_url_is_loopback("http://127.0.0.1.evil.example/"));
    CHECK(!http_url_is_loopback("http://localhost.example.com/"));
    CHECK(!http_url_is_loopback("http://10.0.0.1/"));
    CHECK(!http_url_is_loopback("not a url"));
}

static void test_json_field(void)
{
    const char *j = "{\"a\": {\"token\": \"nested\"}, \"list\": [1, \"x\", {\"t\":2}],"
                    " \"n\": null, \"token\": \"ey\\u00e9\\/\\\"q\\\"\"}";
    char *v = http_json_top_string(j, strlen(j), "token");
    CHECK_STR(v, "ey\xc3\xa9/\"q\"");              /* top-level one, decoded */
    np_free(v);
    const char *acr = " {\"access_token\":\"tok\",\"refresh_token\":\"r\"} ";
    v = http_json_top_string(acr, strlen(acr), "token");
    CHECK(v == NULL);                               /* no key "token" at top level */
    v = http_json_top_string(acr, strlen(acr), "access_token");
    CHECK_STR(v, "tok");
    np_free(v);
    const char *nonstr = "{\"token\": 12}";
    CHECK(http_json_top_string(nonstr, strlen(nonstr), "token") == NULL);
    const char *arr = "[\"token\", \"x\"]";
    CHECK(http_json_top_string(arr, strlen(arr), "token") == NULL);
    const char *cut = "{\"token\": \"unterminated";
    CHECK(http_json_top_string(cut, strlen(cut), "token") == NULL);
    const char *pair = "{\"m\":\"\\ud83d\\ude00\"}";
    v = http_json_top_string(pair, strlen(pair), "m");
    CHECK_STR(v, "\xf0\x9f\x98\x80");               /* surrogate pair → one code point */
    np_free(v);
    const char *nul = "{\"m\":\"a\\u0000b\"}";
    CHECK(http_json_top_string(nul, strlen(nul), "m") == NULL);
}

static void test_http_refusals(void)
{
    HttpRequest req;
    HttpResponse resp;
    char *err = NULL;

    memset(&req, 0, sizeof req);
    req.url = "http://api.example.com/credentials";
    req.bearer_token = TOKEN;
    CHECK(http_get(&req, &resp, &err) == HTTP_ERR_USAGE);   /* token in clear to a remote host */
    CHECK_MSG(contains(err, "https://"), "%s", err ? err : "(null)");
    CHECK(!contains(err, TOKEN));
    CHECK(resp.body == NULL && resp.status == 0);
    np_free(err);

    req.url = "file:///etc/passwd";
    req.bearer_token = NULL;
    CHECK(http_get(&req, &resp, &err) == HTTP_ERR_USAGE);
    CHECK(contains(err, "only http:// and https://"));
    np_free(err);

    req.url = "https://api.example.com/";
    req.bearer_token = "abc\r\nX-Injected: 1";
    CHECK(http_get(&req, &resp, &err) == HTTP_ERR_USAGE);
    CHECK(!contains(err, "X-Injected"));
    np_free(err);

    req.url = NULL;
    CHECK(http_get(&req, &resp, &err) == HTTP_ERR_USAGE);
    np_free(err);

    int port = closed_port();
    CHECK(port > 0);
    char url[128];
    snprintf(url, sizeof url, "http://u:hunter2@127.0.0.1:%d/credentials", port);
    memset(&req, 0, sizeof req);
    req.url = url;
    req.bearer_token = TOKEN;
    req.timeout_ms = 2000;
    int rc = http_get(&req, &resp, &err);
    CHECK_MSG(rc == HTTP_ERR_CONNECT, "rc=%d err=%s", rc, err ? err : "(null)");
    CHECK(contains(err, "could not connect to http://127.0.0.1:"));
    CHECK(!contains(err, TOKEN));
    CHECK(!contains(err, "hunter2"));              /* userinfo is never shown */
    np_free(err);
}

/* A public_only GET of `url` (2 s at most); its return code, *err its message. */
static int get_public_only(const char *url, char **err)
{
    HttpRequest req;
    HttpResponse resp;
    memset(&req, 0, sizeof req);
    req.url = url;
    req.public_only = 1;
    req.timeout_ms = 2000;
    int rc = http_get(&req, &resp, err);
    if (rc == HTTP_OK) http_response_free(&resp);
    return rc;
}

/* Issue 15 item 10: a public_only request never connects to a loopback or
 * link-local address (a listening socket sees no connection), and the run's
 * network budget stops requests once used up. */
static void test_local_refusal_and_budget(void)
{
    /* the refusal is not applied through a proxy */
    const char *proxies[] = {"https_proxy", "HTTPS_PROXY", "http_proxy", "all_proxy", "ALL_PROXY"};
    for (size_t i = 0; i < 5; i++) unsetenv(proxies[i]);
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    CHECK(s >= 0 && bind(s, (struct sockaddr *)&a, sizeof a) == 0 && listen(s, 4) == 0 &&
          getsockname(s, (struct sockaddr *)&a, &len) == 0);
    char url[128];
    const char *hosts[] = {"127.0.0.1", "[::ffff:127.0.0.1]", "localhost"};
    for (size_t i = 0; i < 3; i++) {
        snprintf(url, sizeof url, "http://%s:%d/v2/", hosts[i], ntohs(a.sin_port));
        char *err = NULL;
        int rc = get_public_only(url, &err);
        CHECK_MSG(rc != HTTP_OK && contains(err, "loopback or link-local"), "%s: rc=%d %s", hosts[i], rc,
                  err ? err : "(null)");
        np_free(err);
    }
    /* nothing connected: accept would not block on a pending connection */
    int fl = fcntl(s, F_GETFL);
    fcntl(s, F_SETFL, fl | O_NONBLOCK);
    CHECK(accept(s, NULL, NULL) < 0);
    close(s);
    char *err = NULL;
    CHECK(get_public_only("http://169.254.169.254/latest/meta-data/", &err) != HTTP_OK && contains(err, "link-local"));
    np_free(err);
    err = NULL;

    /* the budget: used up, the next request is not made */
    HttpRequest req;
    HttpResponse resp;
    memset(&req, 0, sizeof req);
    req.timeout_ms = 2000;
    http_set_run_budget(1);
    req.url = "http://127.0.0.1:9/";
    http_get(&req, &resp, &err);           /* starts the budget */
    np_free(err);
    err = NULL;
    struct timespec ts = {0, 5 * 1000 * 1000};
    nanosleep(&ts, NULL);
    CHECK(http_get(&req, &resp, &err) == HTTP_ERR_TIMEOUT && contains(err, "network time budget"));
    np_free(err);
    http_set_run_budget(HTTP_RUN_BUDGET_MS);
}

static void test_platform_url(void)
{
    PlatformConfig cfg;
    memset(&cfg, 0, sizeof cfg);
    char *err = NULL;
    int code = -1;

    char *u = platform_credentials_url(&cfg, &code, &err);
    CHECK_STR(u, "https://api.cloud.seqera.io/credentials");   /* personal context: no workspaceId */
    CHECK(code == PLATFORM_OK && err == NULL);
    np_free(u);

    cfg.endpoint = "https://tower.example.org/api//";
    cfg.workspace_id = "40230138858677";
    u = platform_credentials_url(&cfg, &code, &err);
    CHECK_STR(u, "https://tower.example.org/api/credentials?workspaceId=40230138858677");
    np_free(u);

    cfg.endpoint = "-";                  /* Nextflow's "unset" marker */
    cfg.workspace_id = "";
    u = platform_credentials_url(&cfg, &code, &err);
    CHECK_STR(u, "https://api.cloud.seqera.io/credentials");
    np_free(u);

    cfg.workspace_id = "my-workspace";
    u = platform_credentials_url(&cfg, &code, &err);
    CHECK(u == NULL && code == PLATFORM_ERR_CONFIG);
    CHECK(contains(err, "must be a numeric value"));
    np_free(err);

    cfg.workspace_id = NULL;
    cfg.endpoint = "api.cloud.seqera.io";
    u = platform_credentials_url(&cfg, &code, &err);
    CHECK(u == NULL && code == PLATFORM_ERR_CONFIG);
    CHECK(contains(err, "must start with https://"));
    np_free(err);

    setenv("TOWER_API_ENDPOINT", "https://env.example.org", 1);
    setenv("TOWER_ACCESS_TOKEN", "env-token", 1);
    unsetenv("TOWER_WORKSPACE_ID");
    platform_config_from_env(&cfg);
    CHECK_STR(cfg.endpoint, "https://env.example.org");
    CHECK_STR(cfg.access_token, "env-token");
    CHECK(cfg.workspace_id == NULL && cfg.timeout_ms == 0);
}

static void test_platform_status_mapping(void)
{
    PlatformConfig cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.endpoint = "https://api.example.org/";
    cfg.access_token = TOKEN;
    cfg.workspace_id = "77";
    char *m = NULL;

    CHECK(platform_status_error(401, &cfg, NULL, NULL, 0, &m) == PLATFORM_ERR_UNAUTHORIZED);
    CHECK_MSG(m && strncmp(m, "Platform rejected the access token (401)", 40) == 0, "%s", m ? m : "(null)");
    CHECK(contains(m, "https://api.example.org"));
    np_free(m);

    CHECK(platform_status_error(403, &cfg, NULL, NULL, 0, &m) == PLATFORM_ERR_FORBIDDEN);
    CHECK(contains(m, "workspace 77") && contains(m, "(403)"));
    np_free(m);
    cfg.workspace_id = NULL;
    CHECK(platform_status_error(403, &cfg, NULL, NULL, 0, &m) == PLATFORM_ERR_FORBIDDEN);
    CHECK(contains(m, "personal credentials"));
    np_free(m);

    CHECK(platform_status_error(404, &cfg, NULL, NULL, 0, &m) == PLATFORM_ERR_NOT_FOUND);
    CHECK(contains(m, "(404)") && contains(m, "TOWER_API_ENDPOINT"));
    np_free(m);

    const char *b500 = "{\"message\":\"Unexpected error\"}";
    CHECK(platform_status_error(503, &cfg, NULL, b500, strlen(b500), &m) == PLATFORM_ERR_SERVER);
    CHECK(contains(m, "(503)") && contains(m, "Unexpected error"));
    np_free(m);

    /* A server that echoes the token in its message must not make us print it. */
    char b400[256];
    snprintf(b400, sizeof b400, "{\"message\":\"Invalid token %s\"}", TOKEN);
    CHECK(platform_status_error(400, &cfg, NULL, b400, strlen(b400), &m) == PLATFORM_ERR_BAD_REQUEST);
    CHECK(contains(m, "Invalid token ***"));
    CHECK(!contains(m, TOKEN));
    np_free(m);

    CHECK(platform_status_error(429, &cfg, NULL, NULL, 0, &m) == PLATFORM_ERR_STATUS);
    CHECK(contains(m, "429"));
    np_free(m);
    CHECK(platform_status_error(302, &cfg, "https://x:y@api.example.org/credentials", NULL, 0, &m) == PLATFORM_ERR_STATUS);
    CHECK(contains(m, "302") && contains(m, "https://api.example.org/credentials"));
    np_free(m);

    struct { int http; int platform; const char *needle; } map[] = {
        { HTTP_ERR_TIMEOUT, PLATFORM_ERR_TIMEOUT, "did not answer in time" },
        { HTTP_ERR_CONNECT, PLATFORM_ERR_UNREACHABLE, "cannot reach Platform" },
        { HTTP_ERR_RESOLVE, PLATFORM_ERR_UNREACHABLE, "cannot reach Platform" },
        { HTTP_ERR_TLS, PLATFORM_ERR_TLS, "TLS" },
        { HTTP_ERR_TOO_LARGE, PLATFORM_ERR_TOO_LARGE, "larger than the allowed size" },
        { HTTP_ERR_USAGE, PLATFORM_ERR_CONFIG, "not sent" },
        { HTTP_ERR_TRANSFER, PLATFORM_ERR_NETWORK, "failed" },
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++) {
        char detail[200];
        snprintf(detail, sizeof detail, "detail with %s inside", TOKEN);
        CHECK(platform_transfer_error(map[i].http, detail, &cfg, &m) == map[i].platform);
        CHECK_MSG(contains(m, map[i].needle), "%s", m ? m : "(null)");
        CHECK(contains(m, "detail with *** inside"));
        np_free(m);
    }
}

static void test_platform_refusals(void)
{
    PlatformConfig cfg;
    memset(&cfg, 0, sizeof cfg);
    char *body = (char *)1, *err = NULL;
    CHECK(platform_list_credentials(&cfg, &body, &err) == PLATFORM_ERR_CONFIG);
    CHECK(body == NULL);
    CHECK(contains(err, "TOWER_ACCESS_TOKEN"));
    np_free(err);

    cfg.endpoint = "http://api.example.org";     /* plain http to a remote host */
    cfg.access_token = TOKEN;
    CHECK(platform_list_credentials(&cfg, &body, &err) == PLATFORM_ERR_CONFIG);
    CHECK(err && !contains(err, TOKEN));
    np_free(err);

    int port = closed_port();
    char ep[64];
    snprintf(ep, sizeof ep, "http://127.0.0.1:%d", port);
    cfg.endpoint = ep;
    cfg.timeout_ms = 2000;
    CHECK(platform_list_credentials(&cfg, &body, &err) == PLATFORM_ERR_UNREACHABLE);
    CHECK(contains(err, "cannot reach Platform at http://127.0.0.1:"));
    CHECK(!contains(err, TOKEN));
    np_free(err);
}

static void test_challenge(void)
{
    ProbeChallenge c;
    CHECK(probe_parse_challenge("Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\","
                                "scope=\"repository:library/ubuntu:pull\"", &c) == 0);
    CHECK_STR(c.scheme, "Bearer");
    CHECK_STR(c.realm, "https://auth.docker.io/token");
    CHECK_STR(c.service, "registry.docker.io");
    CHECK_STR(c.scope, "repository:library/ubuntu:pull");
    probe_challenge_free(&c);

    /* Any order, extra spaces, token (unquoted) values, escapes, unknown params. */
    CHECK(probe_parse_challenge("  bearer  service=quay.io , error=\"insufficient_scope\", "
                                "realm=\"https://quay.io/v2/a\\\"uth\"", &c) == 0);
    CHECK_STR(c.scheme, "bearer");
    CHECK_STR(c.service, "quay.io");
    CHECK_STR(c.realm, "https://quay.io/v2/a\"uth");
    CHECK(c.scope == NULL);
    probe_challenge_free(&c);

    CHECK(probe_parse_challenge("Basic realm=\"https://1.dkr.ecr.eu-west-1.amazonaws.com/\",service=\"ecr.amazonaws.com\"", &c) == 0);
    CHECK_STR(c.scheme, "Basic");
    CHECK_STR(c.service, "ecr.amazonaws.com");
    probe_challenge_free(&c);

    /* Only the first challenge counts. */
    CHECK(probe_parse_challenge("Basic realm=\"r1\", Bearer realm=\"r2\"", &c) == 0);
    CHECK_STR(c.scheme, "Basic");
    CHECK_STR(c.realm, "r1");
    probe_challenge_free(&c);

    CHECK(probe_parse_challenge("Bearer realm=\"unterminated", &c) == -1);
    probe_challenge_free(&c);
    CHECK(probe_parse_challenge("", &c) == -1);
    probe_challenge_free(&c);
    CHECK(probe_parse_challenge(NULL, &c) == -1);
    probe_challenge_free(&c);
}

static void test_probe_urls(void)
{
    char *err = NULL;
    char *u = probe_manifest_url("docker.io", "ubuntu", "22.04", 0, &err);
    CHECK_STR(u, "https://registry-1.docker.io/v2/library/ubuntu/manifests/22.04");
    np_free(u);
    u = probe_manifest_url("index.docker.io", "biocontainers/fastqc", "sha256:abc", 0, &err);
    CHECK_STR(u, "https://registry-1.docker.io/v2/biocontainers/fastqc/manifests/sha256:abc");
    np_free(u);
    u = probe_manifest_url("127.0.0.1:5000", "nfp/tiny", "1.0", 1, &err);
    CHECK_STR(u, "http://127.0.0.1:5000/v2/nfp/tiny/manifests/1.0");
    np_free(u);
    u = probe_manifest_url("quay.io", "a/b?x=1", "1.0", 0, &err);
    CHECK(u == NULL && contains(err, "invalid repository path"));
    np_free(err);
    u = probe_manifest_url("evil.example/path", "a", "1", 0, &err);
    CHECK(u == NULL && contains(err, "invalid registry host"));
    np_free(err);
    u = probe_manifest_url("quay.io", "a", "", 0, &err);
    CHECK(u == NULL && contains(err, "invalid tag or digest"));
    np_free(err);

    ProbeChallenge c = { "Bearer", "https://auth.example/token", "reg svc", NULL };
    u = probe_token_url(&c, "org/img");
    CHECK_STR(u, "https://auth.example/token?service=reg%20svc&scope=repository%3Aorg%2Fimg%3Apull");
    np_free(u);
    ProbeChallenge q = { "Bearer", "https://auth.example/t?x=1", NULL, NULL };
    u = probe_token_url(&q, "img");
    CHECK_STR(u, "https://auth.example/t?x=1&scope=repository%3Aimg%3Apull");
    np_free(u);
    ProbeChallenge none = { "Bearer", NULL, "s", NULL };
    CHECK(probe_token_url(&none, "img") == NULL);

    CHECK_STR(probe_verdict_name(PROBE_PUBLIC), "public");
    CHECK_STR(probe_verdict_name(PROBE_NEEDS_AUTH), "needs-auth");
    CHECK_STR(probe_verdict_name(PROBE_NOT_FOUND), "not-found");
    CHECK_STR(probe_verdict_name(PROBE_ERROR), "error");

    /* An invalid name fails before any request, as an inconclusive probe. */
    ProbeResult r;
    CHECK(probe_anonymous_pull("quay.io", "bad name", "1", 0, &r, &err) == -1);
    CHECK(r.verdict == PROBE_ERROR && contains(err, "invalid repository path"));
    probe_result_free(&r);
    np_free(err);

    /* Closed loopback port: inconclusive, not "needs auth". */
    char host[32];
    snprintf(host, sizeof host, "127.0.0.1:%d", closed_port());
    ProbeOptions opt = { 1000, 2000, 0 };
    CHECK(probe_anonymous_pull_ex(host, "nfp/tiny", "1.0", 1, &opt, &r, &err) == -1);
    CHECK(r.verdict == PROBE_ERROR);
    CHECK_MSG(contains(err, "could not connect"), "%s", err ? err : "(null)");
    probe_result_free(&r);
    np_free(err);
}

/* Every allocation failure must come back as an error, never a crash or a
 * half-filled result (leaks show up under valgrind/ASan). */
static void test_alloc_failures(void)
{
    const char *j = "{\"x\":[{\"a\":\"b\"}],\"token\":\"abcdef\\n\"}";
    unsigned long n;
    int saw_fail = 0, finished = 0;
    for (n = 1; n < 100 && !finished; n++) {
        alloc_fail_at(n);
        char *v = http_json_top_string(j, strlen(j), "token");
        ProbeChallenge c;
        int pc = probe_parse_challenge("Bearer realm=\"https://a/t\",service=\"s\",scope=\"x\"", &c);
        char *tu = pc == 0 ? probe_token_url(&c, "org/img") : NULL;
        PlatformConfig cfg = { "https://api.example.org", TOKEN, "5", 0, 0, 0, 0 };
        char *m = NULL;
        int code = platform_status_error(400, &cfg, NULL, "{\"message\":\"m\"}", 15, &m);
        char *u = platform_credentials_url(&cfg, NULL, NULL);
        int failed = alloc_failed();
        alloc_fail_at(0);
        if (failed) saw_fail = 1;
        else finished = 1;
        if (!failed) {
            CHECK_STR(v, "abcdef\n");
            CHECK(pc == 0 && tu != NULL && m != NULL && u != NULL);
        }
        CHECK(code == PLATFORM_ERR_BAD_REQUEST);   /* the code survives even without a message */
        CHECK(pc == 0 || pc == -2);
        np_free(v);
        np_free(tu);
        np_free(m);
        np_free(u);
        probe_challenge_free(&c);
    }
    CHECK(saw_fail && finished);

    /* The full Platform call (refused connection) under allocation failure. */
    int port = closed_port();
    char ep[64];
    snprintf(ep, sizeof ep, "http://127.0.0.1:%d", port);
    finished = 0;
    for (n = 1; n < 100 && !finished; n++) {
        PlatformConfig cfg = { ep, TOKEN, NULL, 1000, 1000, 0, 0 };
        char *body = NULL, *err = NULL;
        alloc_fail_at(n);
        int rc = platform_list_credentials(&cfg, &body, &err);
        int failed = alloc_failed();
        alloc_fail_at(0);
        CHECK(rc != PLATFORM_OK && body == NULL);
        if (!failed) {
            finished = 1;
            CHECK(rc == PLATFORM_ERR_UNREACHABLE);
        }
        CHECK(!contains(err, TOKEN));
        np_free(err);
    }
    CHECK(finished);
}

/* libcurl is loaded by the first request only; offline work never maps it. */
static int libcurl_mapped(void)
{
    void *h = dlopen("libcurl.so.4", RTLD_NOW | RTLD_NOLOAD);
    if (!h) h = dlopen("libcurl-gnutls.so.4", RTLD_NOW | RTLD_NOLOAD);
    if (h) dlclose(h);    /* drops only the reference NOLOAD took */
    return h != NULL;
}

static void test_lazy_libcurl(void)
{
    CHECK(!libcurl_mapped());
    int port = closed_port();
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/", port);
    HttpRequest req = {0};
    req.url = url;
    req.timeout_ms = 2000;
    HttpResponse resp = {0};
    char *err = NULL;
    int rc = http_get(&req, &resp, &err);
    CHECK(rc != HTTP_OK);
    CHECK(libcurl_mapped());
    http_response_free(&resp);
    np_free(err);
    http_cleanup();
    CHECK(!libcurl_mapped());
}

/* The CA bundle: $SSL_CERT_FILE wins, even when it names no file (the TLS
 * error then names what the operator set); otherwise the first readable one of
 * the usual paths, or NULL. */
static void test_ca_bundle(void)
{
    setenv("SSL_CERT_FILE", "/nonexistent/nfp-ca.pem", 1);
    const char *ca = http_ca_bundle();
    CHECK(ca && !strcmp(ca, "/nonexistent/nfp-ca.pem"));
    setenv("SSL_CERT_FILE", "", 1);   /* empty: as if unset */
    ca = http_ca_bundle();
    CHECK(!ca || (ca[0] == '/' && access(ca, R_OK) == 0));
    unsetenv("SSL_CERT_FILE");
    const char *unset = http_ca_bundle();
    CHECK((ca == NULL) == (unset == NULL));
    if (access("/etc/ssl/certs/ca-certificates.crt", R_OK) == 0)
        CHECK_MSG(unset && !strcmp(unset, "/etc/ssl/certs/ca-certificates.crt"),
                  "Debian's bundle path comes first, got %s", unset ? unset : "(none)");
}

int main(void)
{
    /* The closed-port checks must not be routed to a proxy from the environment. */
    setenv("no_proxy", "127.0.0.1,localhost", 1);
    test_lazy_libcurl();
    test_local_refusal_and_budget();
    test_redact();
    test_url_helpers();
    test_json_field();
    test_http_refusals();
    test_platform_url();
    test_platform_status_mapping();
    test_platform_refusals();
    test_challenge();
    test_probe_urls();
    test_alloc_failures();
    test_ca_bundle();
    http_cleanup();
    TEST_MAIN_END();
}
