/* Unit tests for src/creds.c: every input format (Platform API list, tw JSON,
 * simple inventories in JSON/YAML, docker config.json, containers-auth.json,
 * legacy .dockercfg), Wave's exact-host matching, alias reporting, default auth
 * file locations, error messages, and that no secret ever reaches a CredList.
 * Fixtures: tests/golden/creds/ (found through NFP_SRC). */
#include "alloc.h"
#include "creds.h"
#include "registry.h"
#include "tap.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CANARY "CANARY-s3cr3t-7f3a"

static char path_buf[4096];
static const char *fixture(const char *name)
{
    const char *src = getenv("NFP_SRC");
    snprintf(path_buf, sizeof path_buf, "%s/tests/golden/creds/%s", src ? src : ".", name);
    return path_buf;
}

/* Reads a fixture into an np_malloc'd buffer. */
static char *slurp(const char *name, size_t *len)
{
    FILE *f = fopen(fixture(name), "rb");
    if (!f) return NULL;
    char *buf = np_malloc(65536);
    *len = buf ? fread(buf, 1, 65535, f) : 0;
    if (buf) buf[*len] = '\0';
    fclose(f);
    return buf;
}

static int load_fixture_text(CredList *l, const char *name, char **err)
{
    size_t len = 0;
    char *text = slurp(name, &len);
    if (!text) {
        fprintf(stderr, "cannot read fixture %s (is NFP_SRC set?)\n", fixture(name));
        return -1;
    }
    int rc = creds_load_text(l, text, len, name, err);
    np_free(text);
    return rc;
}

static const Credential *by_name(const CredList *l, const char *name)
{
    for (size_t i = 0; i < l->len; i++)
        if (l->items[i].name && strcmp(l->items[i].name, name) == 0) return &l->items[i];
    return NULL;
}

static const Credential *by_registry(const CredList *l, const char *reg)
{
    for (size_t i = 0; i < l->len; i++)
        if (l->items[i].registry && strcmp(l->items[i].registry, reg) == 0) return &l->items[i];
    return NULL;
}

static void test_platform_api(void)
{
    CredList l = CREDLIST_INIT;
    char *err = NULL;
    CHECK(load_fixture_text(&l, "platform-list.json", &err) == CREDS_OK);
    CHECK(err == NULL);
    CHECK(l.len == 7);                       /* every provider is listed, matching filters */
    const Credential *q = by_name(&l, "quay-robot");
    CHECK(q && q->origin == CRED_FROM_PLATFORM_API);
    CHECK_STR(q ? q->provider : NULL, "container-reg");
    CHECK_STR(q ? q->registry : NULL, "quay.io");
    CHECK_STR(q ? q->user : NULL, "myorg+puller");
    CHECK_STR(q ? q->id : NULL, "1S7A9csbEQOsudkVFRLckq");
    CHECK_STR(q ? q->source : NULL, "platform-list.json: credentials[0]");
    CHECK(q && q->flags == 0);
    const Credential *hub = by_name(&l, "hub");
    CHECK(hub && hub->registry == NULL && (hub->flags & CRED_REGISTRY_UNSET));
    CHECK_STR(creds_wave_host(hub), "docker.io");       /* null registry means docker.io to Wave */
    const Credential *aws = by_name(&l, "aws-keys");
    CHECK(aws && !creds_is_wave_registry(aws) && !(aws->flags & CRED_REGISTRY_UNSET));
    CHECK(by_name(&l, "ghcr-old") && (by_name(&l, "ghcr-old")->flags & CRED_DELETED));
    CHECK(by_name(&l, "ghcr") && (by_name(&l, "ghcr")->flags & CRED_INVALID));
    CHECK_STR(by_name(&l, "future") ? by_name(&l, "future")->provider : NULL, "something-new");

    /* Wave's rule: exact host, first usable credential */
    CHECK(creds_match(&l, "quay.io") == q);
    CHECK(creds_match(&l, "docker.io") == hub);
    CHECK(creds_match(&l, "ghcr.io") == by_name(&l, "ghcr"));   /* the deleted one is skipped */
    CHECK(creds_match_count(&l, "ghcr.io") == 1);
    CHECK(creds_match(&l, "Quay.io") == NULL);                  /* case-sensitive */
    CHECK(creds_match(&l, "index.docker.io") == NULL);          /* no aliasing */
    CHECK(creds_match(&l, "https://Quay.io/") == by_name(&l, "quay-url"));  /* stored text, literally */

    /* ... but the near misses are reported for credential-host-mismatch */
    unsigned why = 0;
    CHECK(creds_match_alias(&l, "index.docker.io", &why) == hub);
    CHECK(why == REGISTRY_DIFF_DOCKER_ALIAS);
    CHECK(creds_match_alias(&l, "quay.io", &why) == NULL && why == 0);   /* exact match exists */
    CHECK(creds_match_alias(&l, "ghcr.io", &why) == NULL);
    CHECK(creds_match_alias(&l, "example.org", &why) == NULL);
    creds_list_free(&l);
}

static void test_alias_from_credential_side(void)
{
    CredList l = CREDLIST_INIT;
    const char *t = "[{\"name\": \"u\", \"registry\": \"https://Quay.io/\", \"user\": \"x\"},"
                    " {\"name\": \"i\", \"registry\": \"index.docker.io\"}]";
    CHECK(creds_load_text(&l, t, strlen(t), "inline", NULL) == CREDS_OK);
    unsigned why = 0;
    CHECK(creds_match(&l, "quay.io") == NULL);
    CHECK(creds_match_alias(&l, "quay.io", &why) == &l.items[0]);
    CHECK(why == (REGISTRY_DIFF_SCHEME | REGISTRY_DIFF_PATH | REGISTRY_DIFF_CASE));
    CHECK(creds_match_alias(&l, "docker.io", &why) == &l.items[1]);
    CHECK(why == REGISTRY_DIFF_DOCKER_ALIAS);
    creds_list_free(&l);
}

static void test_first_match_and_duplicates(void)
{
    CredList l = CREDLIST_INIT;
    const char *t = "credentials:\n  - {name: a, registry: quay.io}\n  - {name: b, registry: quay.io}\n";
    CHECK(creds_load_text(&l, t, strlen(t), "dups.yaml", NULL) == CREDS_OK);
    CHECK(creds_match(&l, "quay.io") == by_name(&l, "a"));
    CHECK(creds_match_count(&l, "quay.io") == 2);
    creds_list_free(&l);
}

static void test_tw(void)
{
    CredList l = CREDLIST_INIT;
    CHECK(load_fixture_text(&l, "tw-list.json", NULL) == CREDS_OK);
    CHECK(l.len == 2);
    for (size_t i = 0; i < l.len; i++) {
        CHECK(l.items[i].origin == CRED_FROM_TW);
        CHECK_STR(l.items[i].workspace, "[my-org / research]");
    }
    const Credential *hub = by_name(&l, "docker-hub");
    CHECK_STR(hub ? hub->user : NULL, "hubuser");
    CHECK(creds_match(&l, "docker.io") == hub);
    CHECK(creds_match(&l, "123456789012.dkr.ecr.eu-west-1.amazonaws.com") == by_name(&l, "ecr-prod"));
    creds_list_free(&l);
}

static void test_inventories(void)
{
    CredList l = CREDLIST_INIT;
    char *err = NULL;
    CHECK(load_fixture_text(&l, "inventory.yaml", &err) == CREDS_OK);
    CHECK_MSG(err == NULL, "%s", err);
    np_free(err);
    CHECK(l.len == 4);
    const Credential *q = by_name(&l, "quay-robot");
    CHECK(q && q->origin == CRED_FROM_INVENTORY);
    CHECK_STR(q ? q->user : NULL, "myorg+puller");          /* via a YAML alias */
    CHECK_STR(q ? q->source : NULL, "inventory.yaml: credentials[0]");
    CHECK_STR(by_name(&l, "gitlab") ? by_name(&l, "gitlab")->registry : NULL, "registry.gitlab.com:5050");
    CHECK_STR(by_name(&l, "ghcr") ? by_name(&l, "ghcr")->provider : NULL, "container-reg");   /* default */
    const Credential *hub = by_name(&l, "hub");
    CHECK(hub && (hub->flags & CRED_REGISTRY_UNSET) && creds_match(&l, "docker.io") == hub);
    /* the entry span covers the entry in the file */
    CHECK(q && q->end > q->start);
    creds_list_free(&l);

    CHECK(load_fixture_text(&l, "inventory-list.json", NULL) == CREDS_OK);
    CHECK(l.len == 3);
    CHECK_STR(by_name(&l, "hub-alias") ? by_name(&l, "hub-alias")->user : NULL, "me");      /* userName */
    CHECK_STR(by_name(&l, "gar") ? by_name(&l, "gar")->user : NULL, "_json_key_base64");    /* username */
    CHECK_STR(l.len ? l.items[0].source : NULL, "inventory-list.json: [0]");
    CHECK(creds_match(&l, "docker.io") == NULL);
    CHECK(creds_match_alias(&l, "docker.io", NULL) == by_name(&l, "hub-alias"));
    creds_list_free(&l);

    /* GET /credentials/{id}: a single object */
    const char *one = "{\"credentials\": {\"id\": \"x\", \"name\": \"one\", \"provider\": \"container-reg\","
                      " \"keys\": {\"registry\": \"ghcr.io\", \"userName\": \"o\"}}}";
    CHECK(creds_load_text(&l, one, strlen(one), "one.json", NULL) == CREDS_OK);
    CHECK(l.len == 1 && l.items[0].origin == CRED_FROM_PLATFORM_API);
    CHECK(creds_match(&l, "ghcr.io") == &l.items[0]);
    creds_list_free(&l);
}

static void test_docker_config(void)
{
    CredList l = CREDLIST_INIT;
    char *err = NULL;
    CHECK(creds_load_docker_config(&l, fixture("docker-config.json"), &err) == CREDS_OK);
    CHECK_MSG(err == NULL, "%s", err);
    np_free(err);
    CHECK(l.len == 7);   /* 5 auths + 2 credHelpers; psFormat/proxies ignored */
    CHECK(l.creds_store == 1);
    CHECK_STR(l.creds_store_name, "desktop");
    CHECK(l.creds_store_source && strstr(l.creds_store_source, "docker-config.json"));
    const Credential *hub = by_registry(&l, "https://index.docker.io/v1/");
    CHECK(hub && hub->origin == CRED_FROM_DOCKER_CONFIG && (hub->flags & CRED_INLINE_SECRET));
    CHECK_STR(hub ? hub->user : NULL, "hubuser");           /* user part of base64 auth only */
    CHECK(hub && strstr(hub->source, "auths[\"https://index.docker.io/v1/\"]"));
    CHECK_STR(by_registry(&l, "quay.io") ? by_registry(&l, "quay.io")->user : NULL, "myorg+puller");
    const Credential *ghcr = by_registry(&l, "ghcr.io");
    CHECK(ghcr && (ghcr->flags & CRED_NO_SECRET) && !(ghcr->flags & CRED_INLINE_SECRET) && !ghcr->user);
    CHECK_STR(by_registry(&l, "registry.example.com:5000") ? by_registry(&l, "registry.example.com:5000")->user : NULL, "svc");
    const Credential *old = by_registry(&l, "http://old.example.org/v1/");
    CHECK(old && (old->flags & CRED_INLINE_SECRET) && old->user == NULL);
    const Credential *gcr = by_registry(&l, "gcr.io");
    CHECK(gcr && (gcr->flags & CRED_HELPER));
    CHECK_STR(gcr ? gcr->helper : NULL, "gcloud");
    /* local files never satisfy Wave */
    CHECK(creds_match(&l, "quay.io") == NULL);
    CHECK(creds_match(&l, "gcr.io") == NULL);
    /* ... but local lookups understand docker's key forms */
    CHECK(creds_match_local(&l, "docker.io") == hub);
    CHECK(creds_match_local(&l, "index.docker.io") == hub);
    CHECK(creds_match_local(&l, "old.example.org") == old);
    CHECK(creds_match_local(&l, "gcr.io") == gcr);
    CHECK(creds_match_local(&l, "nothing.example") == NULL);
    creds_list_free(&l);

    /* the same text through the autodetecting loader */
    CHECK(load_fixture_text(&l, "docker-config.json", NULL) == CREDS_OK);
    CHECK(l.len == 7 && l.items[0].origin == CRED_FROM_DOCKER_CONFIG && l.creds_store);
    creds_list_free(&l);

    /* autodetection needs a credentials shape: unrelated settings are refused */
    char *err2 = NULL;
    CHECK(creds_load_text(&l, "{\"psFormat\": \"x\"}", 17, "c.json", &err2) == CREDS_EFORMAT);
    CHECK(err2 && strncmp(err2, "c.json:1:1: not a credentials document", 38) == 0);
    np_free(err2);
    CHECK(l.len == 0);
    creds_list_free(&l);
}

/* Writes text to a fresh temporary file; returns its path (np_free) or NULL. */
static char *temp_file(const char *text)
{
    const char *dir = getenv("TMPDIR") && *getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    char *path = np_malloc(strlen(dir) + 32);
    if (!path) return NULL;
    sprintf(path, "%s/nfp-creds-XXXXXX", dir);
    int fd = mkstemp(path);
    if (fd < 0) { np_free(path); return NULL; }
    size_t n = strlen(text);
    int ok = write(fd, text, n) == (ssize_t)n;
    close(fd);
    if (!ok) { unlink(path); np_free(path); return NULL; }
    return path;
}

static void test_auth_files(void)
{
    CredList l = CREDLIST_INIT;
    CHECK(creds_load_auth_file(&l, fixture("containers-auth.json"), NULL) == CREDS_OK);
    CHECK(l.len == 3 && l.creds_store == 0);
    const Credential *ns = by_registry(&l, "quay.io/myorg");
    CHECK(ns && ns->origin == CRED_FROM_AUTH_FILE);
    CHECK_STR(ns ? ns->user : NULL, "myorg+puller");
    CHECK(creds_match_local(&l, "quay.io") == ns);              /* namespaced key, same registry */
    CHECK(creds_match_local(&l, "registry-1.docker.io") == by_registry(&l, "docker.io"));
    CHECK_STR(by_registry(&l, "registry.redhat.io") ? by_registry(&l, "registry.redhat.io")->helper : NULL, "secretservice");
    creds_list_free(&l);

    /* legacy ~/.dockercfg: the auth map is the top level */
    CHECK(creds_load_docker_config(&l, fixture("dockercfg"), NULL) == CREDS_OK);
    CHECK(l.len == 1);
    CHECK_STR(l.len ? l.items[0].registry : NULL, "https://index.docker.io/v1/");
    CHECK_STR(l.len ? l.items[0].user : NULL, "hubuser");
    creds_list_free(&l);

    /* a modern config without auths: zero credentials, not misread as legacy */
    char *p = temp_file("{\"proxies\": {\"default\": {\"httpProxy\": \"http://p:3128\"}}, \"psFormat\": \"x\"}");
    CHECK(p != NULL);
    if (p) {
        CHECK(creds_load_docker_config(&l, p, NULL) == CREDS_OK);
        CHECK(l.len == 0 && !l.creds_store);
        unlink(p);
        np_free(p);
    }
    creds_list_free(&l);

    /* docker config files are JSON only, with positions in errors */
    p = temp_file("{\n  \"auths\": {\n    \"quay.io\": \"oops\"\n  }\n}\n");
    if (p) {
        char *err = NULL;
        CHECK(creds_load_docker_config(&l, p, &err) == CREDS_EFORMAT);
        char want[600];
        snprintf(want, sizeof want, "%s:3:16: auths[\"quay.io\"] must be an object, not string", p);
        CHECK_STR(err, want);
        np_free(err);
        CHECK(l.len == 0);
        unlink(p);
        np_free(p);
    }
    creds_list_free(&l);

    /* a missing file is its own code so callers can skip absent defaults */
    char *err = NULL;
    CHECK(creds_load_auth_file(&l, "/nonexistent-nfp/auth.json", &err) == CREDS_ENOENT);
    CHECK_STR(err, "/nonexistent-nfp/auth.json: no such file");
    np_free(err);
    creds_list_free(&l);
}

/* ---- no secret reaches the list ---- */

static int has_canary(const char *s)
{
    if (!s) return 0;
    return strstr(s, "CANARY") || strstr(s, "s3cr3t") ||
           strstr(s, "aHVidXNlcjpD") || strstr(s, "bXlvcmcrcHVsbGVyOkNB");   /* the base64 auth values */
}

static void test_no_secrets(void)
{
    static const char *const text_fixtures[] = {
        "platform-list.json", "tw-list.json", "inventory.yaml", "inventory-list.json", "docker-config.json",
    };
    CredList l = CREDLIST_INIT;
    for (size_t i = 0; i < sizeof text_fixtures / sizeof text_fixtures[0]; i++) {
        size_t len = 0;
        char *text = slurp(text_fixtures[i], &len);
        CHECK(text && strstr(text, CANARY));   /* the fixture really carries the canary */
        np_free(text);
        CHECK(load_fixture_text(&l, text_fixtures[i], NULL) == CREDS_OK);
    }
    CHECK(creds_load_docker_config(&l, fixture("docker-config.json"), NULL) == CREDS_OK);
    CHECK(creds_load_auth_file(&l, fixture("containers-auth.json"), NULL) == CREDS_OK);
    CHECK(creds_load_docker_config(&l, fixture("dockercfg"), NULL) == CREDS_OK);
    CHECK(l.len == 7 + 2 + 4 + 3 + 7 + 7 + 3 + 1);
    size_t leaks = 0;
    for (size_t i = 0; i < l.len; i++) {
        const Credential *c = &l.items[i];
        const char *fields[] = {c->provider, c->name, c->registry, c->user, c->id, c->workspace, c->helper, c->source};
        for (size_t k = 0; k < sizeof fields / sizeof fields[0]; k++)
            if (has_canary(fields[k])) {
                leaks++;
                fprintf(stderr, "secret in credential %zu field %zu: %s\n", i, k, fields[k]);
            }
    }
    leaks += has_canary(l.creds_store_name) + has_canary(l.creds_store_source);
    CHECK(leaks == 0);
    creds_list_free(&l);
}

/* ---- errors ---- */

static const struct { const char *in; int rc; const char *msg; } load_errors[] = {
    {"{\"credentials\": [", CREDS_ESYNTAX, "x.json:1:18: unexpected end of input, expected a JSON value"},
    {"credentials: [a, b\n", CREDS_ESYNTAX,
     "x.json:2:1: did not find expected ',' or ']' (while parsing a flow sequence at 1:14)"},
    {"{\"credentials\": [1]}", CREDS_EFORMAT, "x.json:1:18: credentials[0] must be an object, not integer"},
    {"{\"credentials\": 5}", CREDS_EFORMAT, "x.json:1:17: 'credentials' must be a list, not integer"},
    {"[{\"registry\": [\"a\"]}]", CREDS_EFORMAT, "x.json:1:15: 'registry' must be a string, not array"},
    {"[{\"keys\": \"quay.io\"}]", CREDS_EFORMAT, "x.json:1:11: 'keys' must be an object, not string"},
    {"[{\"name\": \"a\\u0000b\"}]", CREDS_EFORMAT, "x.json:1:11: 'name' contains a NUL character"},
    {"{\"workspaceRef\": 1, \"credentials\": []}", CREDS_EFORMAT, "x.json:1:18: 'workspaceRef' must be a string"},
    {"42", CREDS_EFORMAT, "x.json:1:1: not a credentials document: expected {\"credentials\": [...]} (Platform API or tw -o json), "
                          "a list of {registry, name, user}, or a docker config with \"auths\""},
    {"", CREDS_EFORMAT, "x.json:1:1: not a credentials document: expected {\"credentials\": [...]} (Platform API or tw -o json), "
                        "a list of {registry, name, user}, or a docker config with \"auths\""},
    {"{\"auths\": [], \"credsStore\": \"pass\"}", CREDS_EFORMAT, "x.json:1:11: \"auths\" must be an object, not array"},
    {"{\"credHelpers\": {\"gcr.io\": 1}}", CREDS_EFORMAT, "x.json:1:28: credHelpers[\"gcr.io\"] must be a string"},
};

static void test_errors(void)
{
    for (size_t i = 0; i < sizeof load_errors / sizeof load_errors[0]; i++) {
        CredList l = CREDLIST_INIT;
        /* something loaded before: a failed load must leave it as it was */
        const char *first = "[{\"registry\": \"a.io\"}]";
        CHECK(creds_load_text(&l, first, strlen(first), "first", NULL) == CREDS_OK);
        char *err = NULL;
        int rc = creds_load_text(&l, load_errors[i].in, strlen(load_errors[i].in), "x.json", &err);
        CHECK_MSG(rc == load_errors[i].rc, "case %zu: rc %d", i, rc);
        CHECK_STR(err, load_errors[i].msg);
        CHECK(l.len == 1 && l.creds_store == 0);
        np_free(err);
        creds_list_free(&l);
    }
    /* all or nothing: the second entry is bad, so the first is not kept either */
    CredList l = CREDLIST_INIT;
    const char *t = "[{\"registry\": \"ok.io\"}, {\"registry\": true}]";
    CHECK(creds_load_text(&l, t, strlen(t), "x", NULL) == CREDS_EFORMAT);
    CHECK(l.len == 0);
    CHECK(creds_match(&l, "ok.io") == NULL);
    creds_list_free(&l);
}

/* ---- default locations ---- */

typedef struct Env { const char *const *kv; } Env;

static const char *fake_getenv(const char *name, void *ctx)
{
    const Env *e = ctx;
    for (size_t i = 0; e->kv[i]; i += 2)
        if (strcmp(e->kv[i], name) == 0) return e->kv[i + 1];
    return NULL;
}

static void check_paths(const char *const *kv, unsigned long uid, const char *const *want, const CredPathKind *kinds)
{
    Env e = {kv};
    CredPath *p = NULL;
    size_t n = 0;
    CHECK(creds_auth_file_paths(fake_getenv, &e, uid, &p, &n) == CREDS_OK);
    size_t w = 0;
    while (want[w]) w++;
    CHECK_MSG(n == w, "got %zu paths, want %zu", n, w);
    for (size_t i = 0; i < n && i < w; i++) {
        CHECK_STR(p[i].path, want[i]);
        CHECK(p[i].kind == kinds[i]);
    }
    creds_paths_free(p, n);
}

static void test_default_paths(void)
{
    static const char *const env1[] = {"HOME", "/h", "XDG_RUNTIME_DIR", "/run/user/1000", NULL};
    static const char *const want1[] = {"/run/user/1000/containers/auth.json", "/h/.config/containers/auth.json",
                                        "/h/.docker/config.json", "/h/.dockercfg", NULL};
    static const CredPathKind k1[] = {CRED_PATH_AUTH_JSON, CRED_PATH_AUTH_JSON, CRED_PATH_DOCKER_CONFIG, CRED_PATH_DOCKERCFG};
    check_paths(env1, 1000, want1, k1);

    /* REGISTRY_AUTH_FILE replaces the primary file and drops the XDG_CONFIG_HOME one */
    static const char *const env2[] = {"HOME", "/h", "REGISTRY_AUTH_FILE", "/a.json", "XDG_RUNTIME_DIR", "/r",
                                       "XDG_CONFIG_HOME", "/xc", "DOCKER_CONFIG", "/dc", NULL};
    static const char *const want2[] = {"/a.json", "/dc/config.json", "/h/.dockercfg", NULL};
    static const CredPathKind k2[] = {CRED_PATH_AUTH_JSON, CRED_PATH_DOCKER_CONFIG, CRED_PATH_DOCKERCFG};
    check_paths(env2, 1000, want2, k2);

    /* no XDG_RUNTIME_DIR: /run/containers/<uid>; XDG_CONFIG_HOME with a trailing slash */
    static const char *const env3[] = {"HOME", "/h", "XDG_CONFIG_HOME", "/xc/", "XDG_RUNTIME_DIR", "", NULL};
    static const char *const want3[] = {"/run/containers/7/auth.json", "/xc/containers/auth.json",
                                        "/h/.docker/config.json", "/h/.dockercfg", NULL};
    check_paths(env3, 7, want3, k1);

    /* nothing set at all */
    static const char *const env4[] = {NULL};
    static const char *const want4[] = {"/run/containers/42/auth.json", NULL};
    check_paths(env4, 42, want4, k1);

    Env e5 = {env2};
    char *d = creds_docker_config_path(fake_getenv, &e5);
    CHECK_STR(d, "/dc/config.json");
    np_free(d);
    Env e6 = {env4};
    CHECK(creds_docker_config_path(fake_getenv, &e6) == NULL);
}

/* ---- allocation failures ---- */

static void test_alloc_failures(void)
{
    static const char *const files[] = {"platform-list.json", "inventory.yaml", "docker-config.json"};
    for (size_t f = 0; f < 3; f++) {
        size_t len = 0;
        char *text = slurp(files[f], &len);
        CHECK(text != NULL);
        if (!text) continue;
        int succeeded = 0;
        for (unsigned long n = 1; n < 400 && !succeeded; n++) {
            CredList l = CREDLIST_INIT;
            char *err = NULL;
            alloc_fail_at(n);
            int rc = creds_load_text(&l, text, len, files[f], &err);
            alloc_fail_at(0);
            CHECK_MSG(rc == CREDS_OK || rc == CREDS_ENOMEM, "%s fail at %lu: rc %d", files[f], n, rc);
            if (rc == CREDS_OK) succeeded = 1;
            else CHECK(l.len == 0);
            np_free(err);
            creds_list_free(&l);
        }
        CHECK(succeeded);
        np_free(text);
    }
    /* paths */
    for (unsigned long n = 1; n < 10; n++) {
        static const char *const env1[] = {"HOME", "/h", NULL};
        Env e = {env1};
        CredPath *p = NULL;
        size_t np = 0;
        alloc_fail_at(n);
        int rc = creds_auth_file_paths(fake_getenv, &e, 1, &p, &np);
        alloc_fail_at(0);
        CHECK(rc == CREDS_OK || (rc == CREDS_ENOMEM && p == NULL && np == 0));
        creds_paths_free(p, np);
    }
}

int main(void)
{
    test_platform_api();
    test_alias_from_credential_side();
    test_first_match_and_duplicates();
    test_tw();
    test_inventories();
    test_docker_config();
    test_auth_files();
    test_no_secrets();
    test_errors();
    test_default_paths();
    test_alloc_failures();
    TEST_MAIN_END();
}
