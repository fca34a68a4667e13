/* Image inventory: engine naming and hosts as the inventory reports them for
 * each engine configuration (research/nextflow-config.md §5.2-5.3), plus the
 * credential cross-check on an in-memory credential list. */
#include <string.h>

#include "../../src/alloc.h"
#include "../../src/images.h"
#include "../../src/resolve.h"
#include "tap.h"

typedef struct Row {
    const char *config;      /* engine settings */
    const char *image;       /* process.container */
    const char *engine;      /* expected active engine */
    const char *resolved;    /* expected name the engine uses */
    const char *host;        /* expected registry / download host (NULL: none) */
    const char *kind;
} Row;

static const Row rows[] = {
    /* docker: registry prefixed onto names without a registry part */
    {"docker.registry = 'quay.io'", "biocontainers/x:1", "docker", "quay.io/biocontainers/x:1", "quay.io", "registry"},
    /* Nextflow has no localhost rule: localhost/x is prefixed too */
    {"docker.registry = 'quay.io'", "localhost/x", "docker", "quay.io/localhost/x", "quay.io", "registry"},
    /* host:port counts as a registry: unchanged */
    {"docker.registry = 'quay.io'", "host:5000/x", "docker", "host:5000/x", "host:5000", "registry"},
    /* registryOverride replaces an existing registry */
    {"docker.registry = 'quay.io'\ndocker.registryOverride = true", "ghcr.io/org/x:1", "docker", "quay.io/org/x:1",
     "quay.io", "registry"},
    /* no registry: Docker Hub */
    {"docker.enabled = true", "ubuntu:22.04", "docker", "ubuntu:22.04", "docker.io", "registry"},
    /* podman has its own registry setting */
    {"podman.enabled = true\npodman.registry = 'quay.io'\ndocker.registry = 'other.io'", "biocontainers/x:1",
     "podman", "quay.io/biocontainers/x:1", "quay.io", "registry"},
    /* singularity: docker:// plus the registry; Wave host without the scheme */
    {"singularity.enabled = true\nsingularity.registry = 'quay.io'", "biocontainers/x:1", "singularity",
     "docker://quay.io/biocontainers/x:1", "quay.io", "registry"},
    {"singularity.enabled = true\nsingularity.registry = 'quay.io'", "docker://ghcr.io/o/x:1", "singularity",
     "docker://ghcr.io/o/x:1", "ghcr.io", "registry"},
    {"singularity.enabled = true", "oras://ghcr.io/o/x:1", "singularity", "oras://ghcr.io/o/x:1", "ghcr.io",
     "registry"},
    /* https:// is a download, never a registry, and the registry is not applied */
    {"singularity.enabled = true\nsingularity.registry = 'quay.io'",
     "https://depot.galaxyproject.org/singularity/x:1--0", "singularity",
     "https://depot.galaxyproject.org/singularity/x:1--0", "depot.galaxyproject.org", "download"},
    {"apptainer.enabled = true\napptainer.registry = 'quay.io'", "biocontainers/x:1", "apptainer",
     "docker://quay.io/biocontainers/x:1", "quay.io", "registry"},
    /* charliecloud adds :latest; Wave does not serve it, the registry host is still listed */
    {"charliecloud.enabled = true", "ubuntu", "charliecloud", "ubuntu:latest", "docker.io", "registry"},
    /* the first enabled engine wins when none before it is on */
    {"docker.enabled = false\nsingularity.enabled = true", "quay.io/x/y:1", "singularity", "docker://quay.io/x/y:1",
     "quay.io", "registry"},
    /* a local file */
    {"singularity.enabled = true", "/data/images/tool.sif", "singularity", "/data/images/tool.sif", NULL, "file"},
};

static Config *resolve_text(const char *text, DiagList *diags)
{
    Layer l;
    memset(&l, 0, sizeof l);
    l.text = text;
    l.len = strlen(text);
    l.name = "test.config";
    ResolveOptions ro;
    memset(&ro, 0, sizeof ro);
    ro.clean_env = 1;
    ro.launch_dir = "/nonexistent-launch-dir";
    ro.project_dir = "/nonexistent-launch-dir";
    return resolve_config(&l, 1, &ro, diags);
}

static void test_rows(void)
{
    Settings *st = settings_new();
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        const Row *r = &rows[i];
        char text[1024];
        snprintf(text, sizeof text, "%s\nprocess.container = '%s'\n", r->config, r->image);
        DiagList diags = {0};
        Config *cfg = resolve_text(text, &diags);
        CheckInput in;
        memset(&in, 0, sizeof in);
        in.cfg = cfg;
        in.settings = st;
        ImageInventory inv;
        CHECK(images_inventory(&in, &inv, &diags) == 0);
        CHECK_MSG(inv.len == 1, "row %zu: %zu images", i, inv.len);
        if (inv.len == 1) {
            const InvImage *im = &inv.items[0];
            CHECK_STR(image_engine_str(inv.engine), r->engine);
            CHECK_STR(im->resolved, r->resolved);
            if (r->host) CHECK_STR(im->host, r->host);
            else CHECK_MSG(im->host == NULL, "row %zu: host %s", i, im->host);
            CHECK_STR(im->kind, r->kind);
            CHECK_STR(im->selector, "process");
            CHECK(im->active);
            CHECK(im->invalid == NULL);
        }
        images_inventory_free(&inv);
        config_free(cfg);
        diag_list_free(&diags);
    }
    settings_free(st);
}

/* wave.build images are used by Wave as written: no engine prefixing. */
static void test_wave_build(void)
{
    DiagList diags = {0};
    Config *cfg = resolve_text("docker.registry = 'quay.io'\nwave.build.conda.mambaImage = 'mambaorg/micromamba:1.5'\n"
                               "wave.build.repository = 'registry.example.com/org/frozen'\n", &diags);
    Settings *st = settings_new();
    CheckInput in;
    memset(&in, 0, sizeof in);
    in.cfg = cfg;
    in.settings = st;
    ImageInventory inv;
    CHECK(images_inventory(&in, &inv, &diags) == 0);
    CHECK(inv.len == 1);
    if (inv.len == 1) {
        CHECK_STR(inv.items[0].resolved, "mambaorg/micromamba:1.5");
        CHECK_STR(inv.items[0].host, "docker.io");
        CHECK_STR(inv.items[0].selector, "wave.build.conda.mambaImage");
    }
    CHECK(inv.nrepos == 1 && inv.repos[0].host && !strcmp(inv.repos[0].host, "registry.example.com"));
    images_inventory_free(&inv);
    config_free(cfg);
    diag_list_free(&diags);
    settings_free(st);
}

static size_t count_rule(const DiagList *d, const char *rule)
{
    size_t n = 0;
    for (size_t i = 0; i < d->len; i++) n += !strcmp(d->items[i].rule, rule);
    return n;
}

static const Diag *find_rule(const DiagList *d, const char *rule)
{
    for (size_t i = 0; i < d->len; i++) if (!strcmp(d->items[i].rule, rule)) return &d->items[i];
    return NULL;
}

/* Wave on: Wave pulls every image with the Platform credentials below. */
static const char *config_text =
    "wave.enabled = true\n"
    "docker.registry = 'quay.io'\n"
    "process {\n"
    "  container = 'biocontainers/a:1'\n"
    "  withName: 'B' { container = 'quay.io/org/b:2' }\n"
    "  withLabel: 'c' { container = 'Quay.io/org/c:3' }\n"
    "  withName: 'D' { container = 'myacr.azurecr.io/d:4' }\n"
    "  withName: 'E' { container = 'docker.io/biocontainers/e:5' }\n"
    "  withName: 'F' { container = 'docker.io/library/f:6' }\n"
    "  withName: 'G' { container = 'NotValid/Upper:1' }\n"
    "}\n";

static const char *creds_text =
    "[{\"registry\": \"https://quay.io\", \"name\": \"quay-scheme\", \"user\": \"org+robot\"},\n"
    " {\"registry\": \"registry.gitlab.com\", \"name\": \"gl\", \"user\": \"someone\"}]\n";

/* One run of the cross-check; returns diagnostics in *diags. */
static int crosscheck(DiagList *diags, const char *settings_text)
{
    Config *cfg = resolve_text(config_text, diags);
    if (!cfg) return -1;
    Settings *st = NULL;
    char *err = NULL;
    if (settings_text) {
        if (settings_parse("s.yml", settings_text, strlen(settings_text), &st, &err) != 0) {
            np_free(err);
            config_free(cfg);
            return -1;
        }
    } else if (!(st = settings_new())) {
        config_free(cfg);
        return -1;
    }
    CredList creds = CREDLIST_INIT;
    int rc = creds_load_text(&creds, creds_text, strlen(creds_text), "creds.json", &err);
    np_free(err);
    if (rc != CREDS_OK) { settings_free(st); config_free(cfg); creds_list_free(&creds); return -1; }
    CheckInput in;
    memset(&in, 0, sizeof in);
    in.cfg = cfg;
    in.settings = st;
    in.creds = &creds;
    ImageInventory inv;
    rc = images_inventory(&in, &inv, diags);
    if (rc == 0) rc = images_crosscheck(&in, &inv, diags);
    images_inventory_free(&inv);
    creds_list_free(&creds);
    settings_free(st);
    config_free(cfg);   /* diagnostics point into cfg's sources: only counted/compared below */
    return rc;
}

static void test_crosscheck(void)
{
    DiagList d = {0};
    CHECK(crosscheck(&d, NULL) == 0);
    /* quay.io and Quay.io: a credential exists under "https://quay.io", an
     * alias Wave does not match: a mismatch each, not a miss */
    CHECK(count_rule(&d, "credential-host-mismatch") == 2);
    /* hosts without any credential: myacr.azurecr.io, docker.io — one each */
    CHECK_MSG(count_rule(&d, "missing-registry-credentials") == 2, "%zu",
              count_rule(&d, "missing-registry-credentials"));
    CHECK(count_rule(&d, "invalid-image-reference") == 1);
    /* the robot account passes; gitlab users are not checked */
    CHECK(count_rule(&d, "quay-robot-username") == 0);
    int acr = 0, hub = 0;
    for (size_t i = 0; i < d.len; i++) {
        const Diag *x = &d.items[i];
        if (strcmp(x->rule, "missing-registry-credentials")) continue;
        /* an ACR can allow anonymous pulls: not known to need a login, a warning */
        if (strstr(x->message, "'myacr.azurecr.io'")) { acr = 1; CHECK(x->sev == SEV_WARNING); }
        if (strstr(x->message, "'docker.io'")) {
            hub = 1;
            CHECK(x->sev == SEV_WARNING);
            /* both Docker Hub images, in one short diagnostic: the first named, a count of the rest */
            CHECK(strstr(x->message, "docker.io/biocontainers/e:5") && strstr(x->message, "and 1 more"));
            CHECK_MSG(strlen(x->message) <= 200, "%zu characters: %s", strlen(x->message), x->message);
        }
    }
    CHECK(acr && hub);
    diag_list_free(&d);

    /* settings: docker.io declared public → info */
    DiagList s = {0};
    CHECK(crosscheck(&s, "registries: {public: [docker.io]}\n") == 0);
    for (size_t i = 0; i < s.len; i++)
        if (!strcmp(s.items[i].rule, "missing-registry-credentials") && strstr(s.items[i].message, "'docker.io'"))
            CHECK(s.items[i].sev == SEV_INFO);
    CHECK(find_rule(&s, "missing-registry-credentials") != NULL);
    diag_list_free(&s);
}

/* Every allocation failure is an error return, never a crash (and no leak
 * under valgrind). */
static void test_oom(void)
{
    int ok = 0, failed = 0;
    for (unsigned long n = 1; n < 20000; n++) {
        DiagList d = {0};
        alloc_fail_at(n);
        int rc = crosscheck(&d, NULL);
        int injected = alloc_failed();
        alloc_fail_at(0);
        diag_list_free(&d);
        if (!injected) { CHECK(rc == 0); ok = 1; break; }
        failed++;
    }
    CHECK(ok);
    CHECK(failed > 10);
}

int main(void)
{
    test_rows();
    test_wave_build();
    test_crosscheck();
    test_oom();
    images_cleanup();
    image_cleanup();
    TEST_MAIN_END();
}
