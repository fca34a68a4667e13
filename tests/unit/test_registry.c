/* Unit tests for src/registry.c: Wave's exact host match, the canonical form
 * and what it reports as different, "same registry" (default ports, Docker
 * Hub aliases), the Docker Hub API host, and the host-class table. */
#include "registry.h"
#include "tap.h"
#include <string.h>

static void check_wave_match(void)
{
    CHECK(registry_wave_match("", "docker.io") == 1);     /* empty keys.registry reads as docker.io */
    CHECK(registry_wave_match(NULL, "docker.io") == 1);
    CHECK(registry_wave_match("docker.io", NULL) == 1);
    CHECK(registry_wave_match("quay.io", "quay.io") == 1);
    CHECK(registry_wave_match("docker.io", "index.docker.io") == 0);
    CHECK(registry_wave_match("Quay.io", "quay.io") == 0);
    CHECK(registry_wave_match("https://quay.io", "quay.io") == 0);
    CHECK(registry_wave_match("quay.io:443", "quay.io") == 0);
}

static const struct { const char *in; const char *out; unsigned bits; } canon[] = {
    {"quay.io", "quay.io", 0},
    {NULL, "docker.io", REGISTRY_DIFF_EMPTY},
    {"", "docker.io", REGISTRY_DIFF_EMPTY},
    {"https://index.docker.io/v1/", "docker.io",
     REGISTRY_DIFF_SCHEME | REGISTRY_DIFF_PATH | REGISTRY_DIFF_DOCKER_ALIAS},
    {"registry-1.docker.io", "docker.io", REGISTRY_DIFF_DOCKER_ALIAS},
    {"registry.hub.docker.com", "docker.io", REGISTRY_DIFF_DOCKER_ALIAS},
    {"Docker.IO", "docker.io", REGISTRY_DIFF_CASE},
    {"Index.Docker.io", "docker.io", REGISTRY_DIFF_CASE | REGISTRY_DIFF_DOCKER_ALIAS},
    {"Quay.io", "quay.io", REGISTRY_DIFF_CASE},
    {" ghcr.io\t", "ghcr.io", REGISTRY_DIFF_BLANKS},
    {"localhost:5000", "localhost:5000", 0},
    {"quay.io/org", "quay.io", REGISTRY_DIFF_PATH},
    {"quay.io/", "quay.io", REGISTRY_DIFF_PATH},
    {"quay.io:443", "quay.io", REGISTRY_DIFF_PORT},
    {"https://quay.io:443/", "quay.io", REGISTRY_DIFF_SCHEME | REGISTRY_DIFF_PORT | REGISTRY_DIFF_PATH},
    {"docker.io:443", "docker.io", REGISTRY_DIFF_PORT},
    {"http://host.example:80", "host.example", REGISTRY_DIFF_SCHEME | REGISTRY_DIFF_PORT},
    {"host.example:80", "host.example:80", 0},            /* HTTPS to port 80: another endpoint */
    {"docker.io:5000", "docker.io:5000", 0},              /* not Docker Hub */
    {"[::1]:443", "[::1]", REGISTRY_DIFF_PORT},
    {"[::1]:5000", "[::1]:5000", 0},
    {"http://host:5000/v2/", "host:5000", REGISTRY_DIFF_SCHEME | REGISTRY_DIFF_PATH},
    {"oras://x.io", "x.io", REGISTRY_DIFF_SCHEME},
    {"https://", "docker.io", REGISTRY_DIFF_SCHEME | REGISTRY_DIFF_EMPTY},
    {"123456789012.dkr.ecr.eu-west-1.amazonaws.com", "123456789012.dkr.ecr.eu-west-1.amazonaws.com", 0},
};

static void check_canonical(void)
{
    for (size_t i = 0; i < sizeof canon / sizeof canon[0]; i++) {
        char buf[128];
        unsigned bits = registry_canonical(canon[i].in, 0, buf, sizeof buf);
        CHECK_STR(buf, canon[i].out);
        CHECK_MSG(bits == canon[i].bits, "<%s>: bits %#x want %#x", canon[i].in ? canon[i].in : "(null)",
                  bits, canon[i].bits);
    }
    /* docker's own key lookup keeps the port as written */
    char buf[64];
    CHECK(registry_canonical("quay.io:443", REGISTRY_KEEP_DEFAULT_PORT, buf, sizeof buf) == 0);
    CHECK_STR(buf, "quay.io:443");
    CHECK(registry_canonical("index.docker.io:443", REGISTRY_KEEP_DEFAULT_PORT, buf, sizeof buf) == 0);
    CHECK_STR(buf, "index.docker.io:443");
    char small[4];
    CHECK(registry_canonical("quay.io", 0, small, sizeof small) & REGISTRY_DIFF_TRUNCATED);
    CHECK_STR(small, "qua");
    CHECK(registry_canonical("quay.io", 0, NULL, 0) & REGISTRY_DIFF_TRUNCATED);
    char words[128];
    CHECK_STR(registry_diff_describe(REGISTRY_DIFF_SCHEME | REGISTRY_DIFF_PATH | REGISTRY_DIFF_DOCKER_ALIAS,
                                     words, sizeof words),
              "URL scheme, path, Docker Hub alias");
    CHECK_STR(registry_diff_describe(REGISTRY_DIFF_PORT, words, sizeof words), "default port");
    CHECK_STR(registry_diff_describe(0, words, sizeof words), "");
}

/* "Same registry to a human, but not to Wave": the credential-host-mismatch case. */
static void check_same(void)
{
    static const struct { const char *a, *b; int alias; } t[] = {
        {"docker.io", "index.docker.io", 1},
        {"docker.io", "registry-1.docker.io", 1},
        {"registry.hub.docker.com", "docker.io", 1},
        {"https://index.docker.io/v1/", "docker.io", 1},
        {"", "index.docker.io", 1},        /* empty keys.registry reads as docker.io */
        {"", "docker.io", 0},              /* ... which Wave does match */
        {NULL, "docker.io", 0},
        {"docker.io", "docker.io", 0},
        {"quay.io", "Quay.io", 1},
        {"https://quay.io", "quay.io", 1},
        {"https://quay.io/", "quay.io", 1},
        {"quay.io/", "quay.io", 1},
        {"quay.io/myorg", "quay.io", 1},
        {"quay.io:443", "quay.io", 1},     /* the issue-12 case: same answer as https://quay.io/ */
        {"quay.io:443", "https://quay.io", 1},
        {"http://host.example:80", "host.example", 1},
        {"host.example:80", "host.example", 0},   /* plain :80 is a different endpoint */
        {"gitlab.example.com:5050", "gitlab.example.com", 0},
        {"gitlab.example.com:5050", "GitLab.example.com:5050", 1},
        {"quay.io", "ghcr.io", 0},
        {"docker.io", "quay.io", 0},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        for (int flip = 0; flip < 2; flip++) {
            const char *a = flip ? t[i].b : t[i].a, *b = flip ? t[i].a : t[i].b;
            int got = registry_same(a, b, NULL) && !registry_wave_match(a, b);
            CHECK_MSG(got == t[i].alias, "same('%s','%s') want %d", a ? a : "(null)", b ? b : "(null)", t[i].alias);
        }
    }
    unsigned why = 0;
    CHECK(registry_same("quay.io:443", "quay.io", &why) && why == REGISTRY_DIFF_PORT);
    CHECK(registry_same("https://quay.io/", "quay.io", &why) && why == (REGISTRY_DIFF_SCHEME | REGISTRY_DIFF_PATH));
    CHECK(registry_same("quay.io", "ghcr.io", &why) == 0 && why == 0);
}

static void check_docker_hub(void)
{
    CHECK(registry_is_docker_hub("docker.io") && registry_is_docker_hub("index.docker.io"));
    CHECK(registry_is_docker_hub("https://index.docker.io/v1/") && registry_is_docker_hub("registry-1.docker.io"));
    CHECK(registry_is_docker_hub("") && registry_is_docker_hub(NULL) && registry_is_docker_hub("docker.io:443"));
    CHECK(!registry_is_docker_hub("docker.io:5000") && !registry_is_docker_hub("quay.io"));
    CHECK_STR(registry_api_host("docker.io"), "registry-1.docker.io");
    CHECK_STR(registry_api_host("index.docker.io"), "registry-1.docker.io");
    const char *q = "quay.io";
    CHECK(registry_api_host(q) == q);
}

static void check_classes(void)
{
    static const struct { const char *host; RegistryClass cls; RegistryProvider prov; } t[] = {
        {"123456789012.dkr.ecr.eu-west-1.amazonaws.com", REGISTRY_CLASS_LOGIN, REGISTRY_PROVIDER_ECR},
        {"123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn", REGISTRY_CLASS_LOGIN, REGISTRY_PROVIDER_ECR},
        {"dkr.ecr.eu-west-1.amazonaws.com", REGISTRY_CLASS_UNKNOWN, REGISTRY_PROVIDER_OTHER},  /* no account id */
        {"myregistry.azurecr.io", REGISTRY_CLASS_UNKNOWN, REGISTRY_PROVIDER_ACR},
        {"europe-west1-docker.pkg.dev", REGISTRY_CLASS_UNKNOWN, REGISTRY_PROVIDER_GAR},
        {"gcr.io", REGISTRY_CLASS_PUBLIC, REGISTRY_PROVIDER_GCR},
        {"eu.gcr.io", REGISTRY_CLASS_PUBLIC, REGISTRY_PROVIDER_GCR},
        {"us.gcr.io", REGISTRY_CLASS_PUBLIC, REGISTRY_PROVIDER_GCR},
        {"registry.gitlab.com", REGISTRY_CLASS_UNKNOWN, REGISTRY_PROVIDER_GITLAB},
        {"gitlab.example.com:5050", REGISTRY_CLASS_UNKNOWN, REGISTRY_PROVIDER_OTHER},
        {"localhost:5000", REGISTRY_CLASS_LOGIN, REGISTRY_PROVIDER_LOCAL},
        {"127.0.0.1:5000", REGISTRY_CLASS_LOGIN, REGISTRY_PROVIDER_LOCAL},
        {"[::1]:5000", REGISTRY_CLASS_LOGIN, REGISTRY_PROVIDER_LOCAL},
        {"localhostx.example", REGISTRY_CLASS_UNKNOWN, REGISTRY_PROVIDER_OTHER},
        {"notquay.io", REGISTRY_CLASS_UNKNOWN, REGISTRY_PROVIDER_OTHER},
        {"docker.io", REGISTRY_CLASS_DOCKERHUB, REGISTRY_PROVIDER_DOCKERHUB},
        {"index.docker.io", REGISTRY_CLASS_DOCKERHUB, REGISTRY_PROVIDER_DOCKERHUB},
        {"registry-1.docker.io", REGISTRY_CLASS_DOCKERHUB, REGISTRY_PROVIDER_DOCKERHUB},
        {"https://index.docker.io/v1/", REGISTRY_CLASS_DOCKERHUB, REGISTRY_PROVIDER_DOCKERHUB},
        {"", REGISTRY_CLASS_DOCKERHUB, REGISTRY_PROVIDER_DOCKERHUB},
        {NULL, REGISTRY_CLASS_DOCKERHUB, REGISTRY_PROVIDER_DOCKERHUB},
        {"quay.io", REGISTRY_CLASS_PUBLIC, REGISTRY_PROVIDER_QUAY},
        {"Quay.io", REGISTRY_CLASS_PUBLIC, REGISTRY_PROVIDER_QUAY},
        {"https://quay.io", REGISTRY_CLASS_PUBLIC, REGISTRY_PROVIDER_QUAY},
        {"quay.io:443", REGISTRY_CLASS_PUBLIC, REGISTRY_PROVIDER_QUAY},
        {"ghcr.io", REGISTRY_CLASS_PUBLIC, REGISTRY_PROVIDER_GHCR},
        {"public.ecr.aws", REGISTRY_CLASS_PUBLIC, REGISTRY_PROVIDER_ECR_PUBLIC},
        {"community.wave.seqera.io", REGISTRY_CLASS_PUBLIC, REGISTRY_PROVIDER_SEQERA},
        {"mcr.microsoft.com", REGISTRY_CLASS_PUBLIC, REGISTRY_PROVIDER_MCR},
        {"depot.galaxyproject.org", REGISTRY_CLASS_PUBLIC, REGISTRY_PROVIDER_GALAXY},
        {"nvcr.io", REGISTRY_CLASS_PUBLIC, REGISTRY_PROVIDER_NVCR},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        const char *h = t[i].host ? t[i].host : "(null)";
        CHECK_MSG(registry_class(t[i].host) == t[i].cls, "'%s' class %s want %s", h,
                  registry_class_str(registry_class(t[i].host)), registry_class_str(t[i].cls));
        CHECK_MSG(registry_provider(t[i].host) == t[i].prov, "'%s' provider %s want %s", h,
                  registry_provider_str(registry_provider(t[i].host)), registry_provider_str(t[i].prov));
    }
    CHECK_STR(registry_class_str(REGISTRY_CLASS_LOGIN), "private");
    CHECK_STR(registry_class_str(REGISTRY_CLASS_UNKNOWN), "unknown");
}

int main(void)
{
    check_wave_match();
    check_canonical();
    check_same();
    check_docker_hub();
    check_classes();
    TEST_MAIN_END();
}
