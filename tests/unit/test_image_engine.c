/* test_image_engine — per-engine image naming as Nextflow's ContainerHandler
 * does it (research/nextflow-config.md §5.3), the registry host Wave uses for
 * the credential lookup (research/seqera-wave-credentials.md §2.2), and the
 * host class / alias helpers. Table-driven. */
#include "alloc.h"
#include "image.h"
#include "tap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define DOCKER IMAGE_ENGINE_DOCKER
#define PODMAN IMAGE_ENGINE_PODMAN
#define SING   IMAGE_ENGINE_SINGULARITY
#define APPT   IMAGE_ENGINE_APPTAINER
#define CHARLIE IMAGE_ENGINE_CHARLIECLOUD
#define SARUS  IMAGE_ENGINE_SARUS
#define SHIFTER IMAGE_ENGINE_SHIFTER

typedef struct NameCase {
    ImageEngine engine;
    const char *registry;
    int override;
    const char *base_dir;
    const char *in, *want;
} NameCase;

static const NameCase name_cases[] = {
    /* no registry configured: names pass through */
    {DOCKER, NULL, 0, NULL, "ubuntu:22.04", "ubuntu:22.04"},
    {DOCKER, "", 0, NULL, "biocontainers/fastqc:0.11.9--0", "biocontainers/fastqc:0.11.9--0"},
    /* docker.registry = 'quay.io' (nf-core style) */
    {DOCKER, "quay.io", 0, NULL, "biocontainers/fastqc:0.11.9--0", "quay.io/biocontainers/fastqc:0.11.9--0"},
    {DOCKER, "quay.io", 0, NULL, "ubuntu", "quay.io/ubuntu"},
    {DOCKER, "quay.io/", 0, NULL, "ubuntu", "quay.io/ubuntu"},               /* no double '/' */
    {DOCKER, "quay.io", 0, NULL, "localhost/x", "quay.io/localhost/x"},      /* no localhost rule in Nextflow */
    {DOCKER, "quay.io", 0, NULL, "host:5000/x", "host:5000/x"},              /* ':' makes it absolute */
    {DOCKER, "quay.io", 0, NULL, "ghcr.io/owner/img:1", "ghcr.io/owner/img:1"},
    {DOCKER, "quay.io", 0, NULL, "docker://ubuntu", "docker://ubuntu"},      /* "docker:" has ':' */
    {DOCKER, "quay.io", 0, NULL, "https://depot.galaxyproject.org/singularity/x.sif",
     "https://depot.galaxyproject.org/singularity/x.sif"},
    /* registryOverride replaces the registry of absolute names */
    {DOCKER, "mirror.example.com", 1, NULL, "ghcr.io/owner/img:1", "mirror.example.com/owner/img:1"},
    {DOCKER, "mirror.example.com", 1, NULL, "host:5000/x", "mirror.example.com/x"},
    {DOCKER, "mirror.example.com/", 1, NULL, "quay.io/a/b@sha256:00", "mirror.example.com/a/b@sha256:00"},
    {DOCKER, "mirror.example.com", 1, NULL, "ubuntu", "mirror.example.com/ubuntu"},
    {DOCKER, "mirror.example.com", 1, NULL, "localhost/x", "mirror.example.com/localhost/x"},
    {DOCKER, "mirror.example.com", 1, NULL, "docker://quay.io/x/y", "docker://mirror.example.com/x/y"},
    {DOCKER, NULL, 1, NULL, "ghcr.io/owner/img:1", "ghcr.io/owner/img:1"},   /* override without registry */
    /* podman and sarus follow the docker rule */
    {PODMAN, "quay.io", 0, NULL, "biocontainers/x:1", "quay.io/biocontainers/x:1"},
    {PODMAN, "quay.io", 0, NULL, "localhost:5000/x", "localhost:5000/x"},
    {SARUS, "quay.io", 0, NULL, "ubuntu:22.04", "quay.io/ubuntu:22.04"},
    /* singularity / apptainer */
    {SING, NULL, 0, NULL, "ubuntu", "docker://ubuntu"},
    {SING, "quay.io", 0, NULL, "biocontainers/fastqc:1", "docker://quay.io/biocontainers/fastqc:1"},
    {SING, "quay.io", 0, NULL, "localhost/x", "docker://quay.io/localhost/x"},
    {SING, "quay.io", 0, NULL, "host:5000/x", "docker://host:5000/x"},
    {SING, "quay.io", 0, NULL, "docker://ubuntu", "docker://ubuntu"},         /* scheme: registry NOT applied */
    {SING, "quay.io", 0, NULL, "oras://ghcr.io/x/y:1", "oras://ghcr.io/x/y:1"},
    {SING, "quay.io", 0, NULL, "library://alpine:3", "library://alpine:3"},
    {SING, "quay.io", 0, NULL, "shub://org/x", "shub://org/x"},
    {SING, "quay.io", 0, NULL, "https://depot.galaxyproject.org/singularity/x.sif",
     "https://depot.galaxyproject.org/singularity/x.sif"},
    {SING, "quay.io", 0, NULL, "/abs/x.sif", "/abs/x.sif"},
    {SING, "quay.io", 0, "/launch", "file://img/x.sif", "/launch/img/x.sif"},
    {SING, "quay.io", 0, "/launch/", "file:///abs/x.sif", "/abs/x.sif"},
    {SING, "quay.io", 0, NULL, "file://img/x.sif", "img/x.sif"},
    {SING, "mirror.example.com", 1, NULL, "quay.io/a/b:1", "docker://mirror.example.com/a/b:1"},
    {APPT, "quay.io", 0, NULL, "biocontainers/fastqc:1", "docker://quay.io/biocontainers/fastqc:1"},
    {APPT, "quay.io", 0, NULL, "docker://quay.io/x/y", "docker://quay.io/x/y"},
    {APPT, NULL, 0, NULL, "oras://community.wave.seqera.io/library/x:1", "oras://community.wave.seqera.io/library/x:1"},
    {APPT, NULL, 0, NULL, "https://example.org/x.sif", "https://example.org/x.sif"},
    /* charliecloud: docker:// stripped, :latest added, then the registry */
    {CHARLIE, "quay.io", 0, NULL, "ubuntu", "quay.io/ubuntu:latest"},
    {CHARLIE, "quay.io", 0, NULL, "docker://ubuntu:22.04", "quay.io/ubuntu:22.04"},
    {CHARLIE, "quay.io", 0, NULL, "biocontainers/x", "quay.io/biocontainers/x:latest"},
    {CHARLIE, "quay.io", 0, NULL, "host:5000/x", "host:5000/x"},
    {CHARLIE, NULL, 0, NULL, "/abs/img", "/abs/img"},
    /* shifter: docker: prefix and :latest, never a registry */
    {SHIFTER, "quay.io", 0, NULL, "ubuntu", "docker:ubuntu:latest"},
    {SHIFTER, NULL, 0, NULL, "ubuntu:22.04", "docker:ubuntu:22.04"},
    {SHIFTER, NULL, 0, NULL, "docker:ubuntu", "docker:ubuntu:latest"},
    {SHIFTER, NULL, 0, NULL, "docker:ubuntu:22.04", "docker:ubuntu:22.04"},
};

static void check_names(void)
{
    for (size_t i = 0; i < sizeof name_cases / sizeof name_cases[0]; i++) {
        const NameCase *c = &name_cases[i];
        EngineOptions o = {c->engine, c->registry, c->override, 0, 0, c->base_dir};
        char *got = image_engine_name(c->in, &o);
        CHECK_MSG(got && strcmp(got, c->want) == 0, "%s registry=%s override=%d '%s': got '%s' want '%s'",
                  image_engine_str(c->engine), c->registry ? c->registry : "(unset)", c->override,
                  c->in, got ? got : "(null)", c->want);
        np_free(got);
    }
    EngineOptions o = {DOCKER, "quay.io", 0, 0, 0, NULL};
    CHECK(image_engine_name(NULL, &o) == NULL);
    CHECK(image_engine_name("", &o) == NULL);
}

/* An existing file next to the launch dir wins over docker:// for
 * singularity and over the registry for charliecloud. */
static void check_local_files(void)
{
    char dir[] = "/tmp/nfp-image-XXXXXX";
    if (!mkdtemp(dir)) {
        CHECK_MSG(0, "mkdtemp failed");
        return;
    }
    char file[256];
    snprintf(file, sizeof file, "%s/tool.img", dir);
    FILE *fp = fopen(file, "w");
    CHECK(fp != NULL);
    if (fp) fclose(fp);

    EngineOptions o = {SING, "quay.io", 0, 0, 0, dir};
    char *got = image_engine_name("tool.img", &o);
    CHECK_STR(got, file);
    np_free(got);
    got = image_engine_name("missing.img", &o);      /* not there: a registry name */
    CHECK_STR(got, "docker://quay.io/missing.img");
    np_free(got);
    o.engine = CHARLIE;
    got = image_engine_name("tool.img", &o);
    CHECK_STR(got, file);
    np_free(got);
    o.engine = DOCKER;                                /* docker never looks at files */
    got = image_engine_name("tool.img", &o);
    CHECK_STR(got, "quay.io/tool.img");
    np_free(got);

    remove(file);
    rmdir(dir);
}

static void check_cache(void)
{
    static const struct { ImageEngine e; int enabled, oci; const char *name; int want; } t[] = {
        {SING, 1, 0, "docker://quay.io/x:1", 1},
        {SING, 1, 1, "docker://quay.io/x:1", 0},    /* OCI mode runs docker:// directly */
        {SING, 1, 1, "oras://ghcr.io/x:1", 1},
        {SING, 1, 0, "https://depot.galaxyproject.org/singularity/x.sif", 1},
        {SING, 1, 0, "/abs/x.sif", 0},
        {SING, 0, 0, "docker://quay.io/x:1", 0},    /* not enabled: naming only */
        {APPT, 1, 0, "docker://quay.io/x:1", 1},
        {CHARLIE, 1, 0, "quay.io/x:1", 1},
        {CHARLIE, 1, 0, "/abs/img", 0},
        {DOCKER, 1, 0, "quay.io/x:1", 0},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        EngineOptions o = {t[i].e, NULL, 0, t[i].oci, t[i].enabled, NULL};
        CHECK_MSG(image_engine_pulls_to_cache(t[i].name, &o) == t[i].want, "%s enabled=%d oci=%d '%s'",
                  image_engine_str(t[i].e), t[i].enabled, t[i].oci, t[i].name);
    }
}

static void check_engine_names(void)
{
    const char *names[] = {"docker", "podman", "singularity", "apptainer", "charliecloud", "sarus", "shifter"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        ImageEngine e;
        CHECK(image_engine_from_name(names[i], &e) == 1);
        CHECK_STR(image_engine_str(e), names[i]);
    }
    ImageEngine e = DOCKER;
    CHECK(image_engine_from_name("udocker", &e) == 0);
    CHECK(image_engine_from_name("Docker", &e) == 0);
    CHECK(image_engine_from_name(NULL, &e) == 0);
}

/* ---- Wave host ---- */

typedef struct HostCase {
    int use_opt;
    ImageEngine engine;
    const char *registry;
    int override;
    const char *in;
    int status;
    const char *want;
} HostCase;

static const char HEX64[] = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

static void check_hosts(void)
{
    static const HostCase t[] = {
        {1, DOCKER, "quay.io", 0, "biocontainers/fastqc:1", IMAGE_HOST_OK, "quay.io"},  /* registry before Wave */
        {1, DOCKER, NULL, 0, "ubuntu", IMAGE_HOST_OK, "docker.io"},
        {1, DOCKER, NULL, 0, "localhost/x", IMAGE_HOST_OK, "docker.io"},        /* no localhost rule in Wave */
        {1, DOCKER, NULL, 0, "localhost:5000/x", IMAGE_HOST_OK, "localhost:5000"},
        {1, DOCKER, NULL, 0, "index.docker.io/library/ubuntu", IMAGE_HOST_OK, "index.docker.io"},
        {1, DOCKER, NULL, 0, "registry-1.docker.io/library/ubuntu", IMAGE_HOST_OK, "registry-1.docker.io"},
        {1, DOCKER, NULL, 0, "Quay.io/org/x:1", IMAGE_HOST_OK, "Quay.io"},     /* case kept */
        {1, DOCKER, NULL, 0, "gitlab.example.com:5050/g/p:1", IMAGE_HOST_OK, "gitlab.example.com:5050"},
        {1, DOCKER, NULL, 0, "docker://ubuntu", IMAGE_HOST_REJECTED, NULL},     /* only oras:// passes */
        {1, DOCKER, NULL, 0, "[::1]:5000/x", IMAGE_HOST_REJECTED, NULL},
        {1, DOCKER, NULL, 0, "host:99999999999/x", IMAGE_HOST_REJECTED, NULL},  /* port overflows int */
        {1, DOCKER, NULL, 0, "quay.io/org/img:", IMAGE_HOST_REJECTED, NULL},    /* empty tag */
        {1, DOCKER, "mirror.example.com", 1, "ghcr.io/o/i:1", IMAGE_HOST_OK, "mirror.example.com"},
        {1, PODMAN, "quay.io", 0, "biocontainers/x:1", IMAGE_HOST_OK, "quay.io"},
        {1, SING, NULL, 0, "docker://quay.io/x/y:1", IMAGE_HOST_OK, "quay.io"},
        {1, SING, "quay.io", 0, "biocontainers/x:1", IMAGE_HOST_OK, "quay.io"},
        {1, SING, NULL, 0, "oras://community.wave.seqera.io/library/x:1", IMAGE_HOST_OK, "community.wave.seqera.io"},
        {1, SING, "quay.io", 0, "https://depot.galaxyproject.org/singularity/x.sif", IMAGE_HOST_NOT_REGISTRY, NULL},
        {1, SING, NULL, 0, "/abs/x.sif", IMAGE_HOST_NOT_REGISTRY, NULL},
        {1, SING, NULL, 0, "file://img/x", IMAGE_HOST_NOT_REGISTRY, NULL},
        {1, APPT, NULL, 0, "library://alpine:3", IMAGE_HOST_NOT_REGISTRY, NULL},
        {1, APPT, NULL, 0, "shub://org/x", IMAGE_HOST_NOT_REGISTRY, NULL},
        {1, CHARLIE, "quay.io", 0, "ubuntu", IMAGE_HOST_NO_WAVE, NULL},
        {1, SHIFTER, NULL, 0, "ubuntu", IMAGE_HOST_NO_WAVE, NULL},
        {0, DOCKER, NULL, 0, "quay.io/x:1", IMAGE_HOST_OK, "quay.io"},
        {0, DOCKER, NULL, 0, "docker://quay.io/x:1", IMAGE_HOST_OK, "quay.io"},
        {0, DOCKER, NULL, 0, "/abs/x.sif", IMAGE_HOST_NOT_REGISTRY, NULL},
        {0, DOCKER, NULL, 0, "", IMAGE_HOST_REJECTED, NULL},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        EngineOptions o = {t[i].engine, t[i].registry, t[i].override, 0, 1, NULL};
        int st = -99;
        const char *why = NULL;
        char *h = image_registry_host(t[i].in, t[i].use_opt ? &o : NULL, &st, &why);
        CHECK_MSG(st == t[i].status, "'%s' (%s): status %d want %d", t[i].in,
                  t[i].use_opt ? image_engine_str(t[i].engine) : "no engine", st, t[i].status);
        if (t[i].want)
            CHECK_MSG(h && strcmp(h, t[i].want) == 0, "'%s': host '%s' want '%s'", t[i].in,
                      h ? h : "(null)", t[i].want);
        else
            CHECK_MSG(h == NULL && why && *why, "'%s': expected no host and a reason", t[i].in);
        np_free(h);
    }

    /* tag plus digest: Wave cuts at '@' and then reads "ubuntu:latest" as host:port */
    char img[160];
    snprintf(img, sizeof img, "ubuntu:latest@sha256:%s", HEX64);
    int st;
    CHECK(image_wave_host(img, &st) == NULL && st == IMAGE_HOST_REJECTED);
    snprintf(img, sizeof img, "quay.io/x@sha256:%s", HEX64);
    char *h = image_wave_host(img, &st);
    CHECK(st == IMAGE_HOST_OK);
    CHECK_STR(h, "quay.io");
    np_free(h);
    /* a one-segment name with a dot is taken as the registry itself */
    h = image_wave_host("ubuntu-12.04-base", &st);
    CHECK_STR(h, "ubuntu-12.04-base");
    np_free(h);
    CHECK(image_wave_host("a b/c", &st) == NULL && st == IMAGE_HOST_REJECTED);
    CHECK(image_wave_host("///", &st) == NULL && st == IMAGE_HOST_REJECTED);
    h = image_wave_host("host:+5000/x", &st);           /* Groovy isInteger accepts a sign */
    CHECK_STR(h, "host:+5000");
    np_free(h);
}

/* Each allocation of naming and host lookup fails in turn: NULL (naming) or
 * IMAGE_HOST_ENOMEM (host), never a crash; valgrind checks for leaks. */
static void check_oom(void)
{
    static const struct { ImageEngine e; const char *reg; int ovr; const char *in; } t[] = {
        {DOCKER, "quay.io", 0, "biocontainers/x:1"},
        {DOCKER, "mirror.example.com", 1, "docker://quay.io/x/y"},
        {SING, "quay.io", 0, "biocontainers/x:1"},
        {SING, NULL, 0, "file://x.sif"},
        {CHARLIE, "quay.io", 0, "ubuntu"},
        {SHIFTER, NULL, 0, "ubuntu"},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        EngineOptions o = {t[i].e, t[i].reg, t[i].ovr, 0, 0, "/launch"};
        int injected = 0;
        for (unsigned long n = 1; n < 100; n++) {
            alloc_fail_at(n);
            char *got = image_engine_name(t[i].in, &o);
            int failed = alloc_failed();
            alloc_fail_at(0);
            if (!failed) {
                CHECK(got != NULL);
                np_free(got);
                break;
            }
            injected++;
            CHECK_MSG(got == NULL, "'%s': allocation %lu failed but a name came back", t[i].in, n);
            np_free(got);
        }
        CHECK(injected >= 1);
    }
    EngineOptions o = {SING, "quay.io", 0, 0, 0, NULL};
    int injected = 0;
    for (unsigned long n = 1; n < 100; n++) {
        alloc_fail_at(n);
        int st;
        const char *why;
        char *h = image_registry_host("biocontainers/x:1", &o, &st, &why);
        int failed = alloc_failed();
        alloc_fail_at(0);
        if (!failed) {
            CHECK_STR(h, "quay.io");
            np_free(h);
            break;
        }
        injected++;
        CHECK(h == NULL && st == IMAGE_HOST_ENOMEM && why && strcmp(why, "out of memory") == 0);
        np_free(h);
    }
    CHECK(injected >= 2);
}

int main(void)
{
    check_names();
    check_local_files();
    check_cache();
    check_engine_names();
    check_hosts();
    check_oom();
    image_cleanup();
    TEST_MAIN_END();
}
