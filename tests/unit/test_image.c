/* test_image — image reference grammar: every row of the shared conformance
 * table (research/image-reference-cases.tsv, read at run time from
 * $NFP_SHARED), then built-in cases for the parts the table does not cover:
 * precise reasons, the as-written fields, classification, scheme stripping,
 * formatting and allocation failures. */
#include "alloc.h"
#include "image.h"
#include "tap.h"

#include <stdlib.h>
#include <string.h>

/* NULL-tolerant string equality: an empty expected column means "absent". */
static int same_opt(const char *got, const char *want)
{
    if (!want || !*want) return got == NULL;
    return got && strcmp(got, want) == 0;
}

/* Copies the value of "key=" from a TSV note into buf (up to ';'). */
static int note_get(const char *note, const char *key, char *buf, size_t bufsz)
{
    size_t kl = strlen(key);
    for (const char *p = note; (p = strstr(p, key)) != NULL; p++) {
        if (p != note && p[-1] != ' ' && p[-1] != ';') continue;
        if (p[kl] != '=') continue;
        const char *v = p + kl + 1;
        size_t n = strcspn(v, ";");
        if (n >= bufsz) n = bufsz - 1;
        memcpy(buf, v, n);
        buf[n] = '\0';
        return 1;
    }
    return 0;
}

/* Splits line in place on tabs; returns the number of fields. */
static int split_tabs(char *line, char **f, int max)
{
    int n = 0;
    f[n++] = line;
    for (char *p = line; *p && n < max; p++) {
        if (*p == '\t') {
            *p = '\0';
            f[n++] = p + 1;
        }
    }
    return n;
}

static void check_row(int lineno, char **f)
{
    const char *input = f[0], *valid = f[1], *domain = f[2], *path = f[3];
    const char *tag = f[4], *digest = f[5], *note = f[6];
    int raw = strstr(note, "mode=raw") != NULL;
    ImageRef r;
    const char *why = NULL;
    int rc = image_parse_ex(input, strlen(input), raw ? IMAGE_PARSE_RAW : 0, &r, &why);
    if (strcmp(valid, "true") == 0) {
        CHECK_MSG(rc == IMAGE_OK, "line %d '%s': rc %d (%s)", lineno, input, rc, why ? why : "");
        if (rc == IMAGE_OK) {
            CHECK_MSG(strcmp(r.norm_domain, domain) == 0, "line %d '%s': domain '%s' want '%s'",
                      lineno, input, r.norm_domain, domain);
            CHECK_MSG(strcmp(r.norm_path, path) == 0, "line %d '%s': path '%s' want '%s'",
                      lineno, input, r.norm_path, path);
            CHECK_MSG(same_opt(r.tag, tag), "line %d '%s': tag '%s' want '%s'",
                      lineno, input, r.tag ? r.tag : "(none)", tag);
            CHECK_MSG(same_opt(r.digest, digest), "line %d '%s': digest '%s' want '%s'",
                      lineno, input, r.digest ? r.digest : "(none)", digest);
        }
    } else {
        CHECK_MSG(rc == IMAGE_INVALID, "line %d '%s': rc %d, expected invalid", lineno, input, rc);
        char err[512];
        if (rc == IMAGE_INVALID && note_get(note, "error", err, sizeof err)) {
            /* our reason keeps distribution's text as its prefix */
            CHECK_MSG(why && strncmp(why, err, strlen(err)) == 0,
                      "line %d '%s': reason '%s' does not start with '%s'", lineno, input,
                      why ? why : "(null)", err);
        }
    }
    /* Wave's host: the note names it where it differs from the distribution
     * domain; otherwise (valid rows) it equals the normalised domain. */
    if (!raw) {
        char want[256];
        int have = note_get(note, "wave_registry", want, sizeof want);
        if (!have && rc == IMAGE_OK) {
            snprintf(want, sizeof want, "%s", r.norm_domain);
            have = 1;
        }
        if (have) {
            int st;
            char *h = image_wave_host(input, &st);
            if (strcmp(want, "REJECTED") == 0)
                CHECK_MSG(!h && st == IMAGE_HOST_REJECTED, "line %d '%s': Wave host '%s', want rejected",
                          lineno, input, h ? h : "(null)");
            else
                CHECK_MSG(h && strcmp(h, want) == 0, "line %d '%s': Wave host '%s' want '%s'",
                          lineno, input, h ? h : "(null)", want);
            np_free(h);
        }
    }
    image_ref_free(&r);
}

/* Returns the number of data rows checked, or -1 when the file is missing. */
static int check_tsv(void)
{
    const char *shared = getenv("NFP_SHARED");
    if (!shared || !*shared) return -1;
    char path[4096];
    snprintf(path, sizeof path, "%s/research/image-reference-cases.tsv", shared);
    FILE *fp = fopen(path, "r");
    if (!fp) return -1;
    static char line[8192];
    int lineno = 0, rows = 0, malformed = 0;
    while (fgets(line, sizeof line, fp)) {
        lineno++;
        size_t n = strlen(line);
        while (n && (line[n - 1] == '\n' || line[n - 1] == '\r')) line[--n] = '\0';
        if (lineno == 1) {
            CHECK(strncmp(line, "input\tvalid\t", 12) == 0);
            continue;
        }
        char *f[8];
        if (split_tabs(line, f, 8) != 7) {
            malformed++;
            continue;
        }
        check_row(lineno, f);
        rows++;
    }
    fclose(fp);
    /* every data line must have been a row we checked */
    CHECK_MSG(malformed == 0, "%d malformed TSV lines", malformed);
    CHECK(rows == lineno - 1);
    return rows;
}

/* ---- built-in cases ---- */

typedef struct Case {
    const char *in;
    unsigned flags;
    int rc;
    const char *domain, *path;            /* as written */
    const char *norm_domain, *norm_path;
    const char *tag, *digest;
    const char *reason_has;               /* substring of the reason for failures */
} Case;

static const char D64[] = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

static void check_cases(void)
{
    static const Case cases[] = {
        /* written vs normalised */
        {"ubuntu:22.04", 0, IMAGE_OK, "", "ubuntu", "docker.io", "library/ubuntu", "22.04", NULL, NULL},
        {"index.docker.io/debian", 0, IMAGE_OK, "index.docker.io", "debian", "docker.io", "library/debian", NULL, NULL, NULL},
        {"docker.io/debian", 0, IMAGE_OK, "docker.io", "debian", "docker.io", "library/debian", NULL, NULL, NULL},
        {"quay.io/biocontainers/fastqc:0.11.9--0", 0, IMAGE_OK, "quay.io", "biocontainers/fastqc",
         "quay.io", "biocontainers/fastqc", "0.11.9--0", NULL, NULL},
        {"localhost/x", 0, IMAGE_OK, "localhost", "x", "localhost", "x", NULL, NULL, NULL},
        {"host:5000/x@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", 0, IMAGE_OK,
         "host:5000", "x", "host:5000", "x", NULL, D64, NULL},
        /* raw mode keeps no defaults */
        {"ubuntu", IMAGE_PARSE_RAW, IMAGE_OK, "", "ubuntu", "", "ubuntu", NULL, NULL, NULL},
        /* scheme stripping */
        {"docker://ubuntu:22.04", IMAGE_PARSE_STRIP_SCHEME, IMAGE_OK, "", "ubuntu", "docker.io", "library/ubuntu", "22.04", NULL, NULL},
        {"oras://community.wave.seqera.io/library/samtools:1.20", IMAGE_PARSE_STRIP_SCHEME, IMAGE_OK,
         "community.wave.seqera.io", "library/samtools", "community.wave.seqera.io", "library/samtools", "1.20", NULL, NULL},
        {"https://depot.galaxyproject.org/singularity/fastqc:0.12.1--hdfd78af_0", IMAGE_PARSE_STRIP_SCHEME,
         IMAGE_NOT_REFERENCE, NULL, NULL, NULL, NULL, NULL, NULL, "http(s) download"},
        {"/data/images/x.sif", IMAGE_PARSE_STRIP_SCHEME, IMAGE_NOT_REFERENCE, NULL, NULL, NULL, NULL, NULL, NULL, "local image file"},
        {"library://alpine:3.18", IMAGE_PARSE_STRIP_SCHEME, IMAGE_NOT_REFERENCE, NULL, NULL, NULL, NULL, NULL, NULL, "library://"},
        /* precise reasons */
        {"quay.io/org/img:ttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttt",
         0, IMAGE_INVALID, NULL, NULL, NULL, NULL, NULL, NULL, "tag longer than 128 characters (129)"},
        {"quay.io/org/img:", 0, IMAGE_INVALID, NULL, NULL, NULL, NULL, NULL, NULL, "empty tag"},
        {"quay.io/org/img:-bad", 0, IMAGE_INVALID, NULL, NULL, NULL, NULL, NULL, NULL, "must start with a letter, digit or '_'"},
        {"quay.io/org//img", 0, IMAGE_INVALID, NULL, NULL, NULL, NULL, NULL, NULL, "empty path component"},
        {"quay.io/org/img_", 0, IMAGE_INVALID, NULL, NULL, NULL, NULL, NULL, NULL, "must start and end with a lowercase letter or digit"},
        {"quay.io/org/img.-x", 0, IMAGE_INVALID, NULL, NULL, NULL, NULL, NULL, NULL, "separator '.-'"},
        {"aa/asdf$$^/aa", IMAGE_PARSE_RAW, IMAGE_INVALID, NULL, NULL, NULL, NULL, NULL, NULL, "invalid character '$'"},
        {"foo.bar:notaport/img", 0, IMAGE_INVALID, NULL, NULL, NULL, NULL, NULL, NULL, "port 'notaport' must be a number"},
        {"-docker.io/docker/docker", 0, IMAGE_INVALID, NULL, NULL, NULL, NULL, NULL, NULL, "starts or ends with '-'"},
        {"[fe80::1%eth0]:5000/repo", 0, IMAGE_INVALID, NULL, NULL, NULL, NULL, NULL, NULL, "no zone id"},
        {"docker://ubuntu:22.04", 0, IMAGE_INVALID, NULL, NULL, NULL, NULL, NULL, NULL, "'docker://' is a URL scheme"},
        {"/data/x.sif", 0, IMAGE_INVALID, NULL, NULL, NULL, NULL, NULL, NULL, "local file path"},
        {"ghcr.io/Owner/image:tag", 0, IMAGE_INVALID, NULL, NULL, NULL, NULL, NULL, NULL, "repository name (Owner/image) must be lowercase"},
        {"Uppercase", 0, IMAGE_INVALID, NULL, NULL, NULL, NULL, NULL, NULL, "repository name (library/Uppercase) must be lowercase"},
        {"ubuntu:a b", 0, IMAGE_INVALID, NULL, NULL, NULL, NULL, NULL, NULL, "whitespace"},
        {"ubuntu@sha256:0123", 0, IMAGE_INVALID, NULL, NULL, NULL, NULL, NULL, NULL, "invalid digest 'sha256:0123'"},
        {"ubuntu@", 0, IMAGE_INVALID, NULL, NULL, NULL, NULL, NULL, NULL, "empty digest"},
        {"ubuntu@sha256:0123456789abcdef0123456789abcdef01234567", 0, IMAGE_INVALID, NULL, NULL, NULL, NULL, NULL, NULL,
         "sha256 needs 64 hex digits, found 40"},
        {"ubuntu@SHA256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", IMAGE_PARSE_RAW, IMAGE_INVALID,
         NULL, NULL, NULL, NULL, NULL, NULL, "invalid checksum digest format: algorithm 'SHA256' must be lowercase"},
        {"ubuntu@md5:00000000000000000000000000000000", 0, IMAGE_INVALID, NULL, NULL, NULL, NULL, NULL, NULL,
         "unsupported digest algorithm 'md5'"},
        {"", 0, IMAGE_INVALID, NULL, NULL, NULL, NULL, NULL, NULL, "empty image reference"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const Case *c = &cases[i];
        ImageRef r;
        const char *why = NULL;
        int rc = image_parse_ex(c->in, strlen(c->in), c->flags, &r, &why);
        CHECK_MSG(rc == c->rc, "'%s': rc %d want %d (%s)", c->in, rc, c->rc, why ? why : "");
        if (rc == IMAGE_OK && c->rc == IMAGE_OK) {
            CHECK_STR(r.domain, c->domain);
            CHECK_STR(r.path, c->path);
            CHECK_STR(r.norm_domain, c->norm_domain);
            CHECK_STR(r.norm_path, c->norm_path);
            CHECK_MSG(same_opt(r.tag, c->tag), "'%s': tag", c->in);
            CHECK_MSG(same_opt(r.digest, c->digest), "'%s': digest", c->in);
            CHECK(why == NULL);
        } else if (rc == c->rc) {
            CHECK_MSG(why && strstr(why, c->reason_has), "'%s': reason '%s' lacks '%s'", c->in,
                      why ? why : "(null)", c->reason_has);
            /* failure leaves no half-filled fields behind */
            CHECK(r.domain == NULL && r.path == NULL && r.tag == NULL && r.digest == NULL);
        }
        image_ref_free(&r);
    }
}

static void check_nul_and_len(void)
{
    /* only `len` bytes count: a longer buffer is cut where the caller says */
    const char text[] = "quay.io/org/img:1.0 trailing junk";
    ImageRef r;
    const char *why;
    CHECK(image_parse(text, 19, &r, &why) == IMAGE_OK);
    CHECK_STR(r.tag, "1.0");
    image_ref_free(&r);
    const char withnul[] = "quay.io/org\0/img";
    CHECK(image_parse(withnul, sizeof withnul - 1, &r, &why) == IMAGE_INVALID);
    CHECK(why && strstr(why, "NUL byte"));
    image_ref_free(&r);
}

static void check_format(void)
{
    ImageRef r;
    const char *why;
    CHECK(image_parse("ubuntu:22.04", 12, &r, &why) == IMAGE_OK);
    char *s = image_ref_format(&r, 1);
    CHECK_STR(s, "docker.io/library/ubuntu:22.04");
    np_free(s);
    s = image_ref_format(&r, 0);
    CHECK_STR(s, "ubuntu:22.04");
    np_free(s);
    image_ref_free(&r);

    const char *in = "index.docker.io/library/busybox:latest@sha256:e6693c20186f837fc393390135d8a598a96a833917917789d63766cab6c59582";
    CHECK(image_parse(in, strlen(in), &r, &why) == IMAGE_OK);
    s = image_ref_format(&r, 0);
    CHECK_STR(s, in);          /* the written form round-trips */
    np_free(s);
    s = image_ref_format(&r, 1);
    CHECK_STR(s, "docker.io/library/busybox:latest@sha256:e6693c20186f837fc393390135d8a598a96a833917917789d63766cab6c59582");
    np_free(s);
    image_ref_free(&r);
}

static void check_classify(void)
{
    static const struct { const char *in; ImageKind k; } t[] = {
        {"ubuntu:22.04", IMAGE_KIND_REFERENCE},
        {"docker://ubuntu", IMAGE_KIND_DOCKER},
        {"docker-daemon://ubuntu:1", IMAGE_KIND_DOCKER_DAEMON},
        {"oras://ghcr.io/x/y:1", IMAGE_KIND_ORAS},
        {"library://sylabs/x:1", IMAGE_KIND_LIBRARY},
        {"shub://org/x", IMAGE_KIND_SHUB},
        {"https://depot.galaxyproject.org/singularity/x.sif", IMAGE_KIND_HTTP},
        {"http://example.com/x.sif", IMAGE_KIND_HTTP},
        {"file://x.sif", IMAGE_KIND_FILE},
        {"/path/x.sif", IMAGE_KIND_FILE},
        {"./x.img", IMAGE_KIND_FILE},
        {"../images/x", IMAGE_KIND_FILE},
        {"images/tool.sif", IMAGE_KIND_FILE},
        {"s3://bucket/x.sif", IMAGE_KIND_OTHER_SCHEME},
        {"quay.io/x.sif:1", IMAGE_KIND_REFERENCE},   /* a tag makes it a reference */
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        CHECK_MSG(image_classify(t[i].in, strlen(t[i].in)) == t[i].k, "'%s' classified as %s",
                  t[i].in, image_kind_str(image_classify(t[i].in, strlen(t[i].in))));
    /* kind is kept on failure too */
    ImageRef r;
    const char *why;
    CHECK(image_parse("oras://x/y", 10, &r, &why) == IMAGE_INVALID);
    CHECK(r.kind == IMAGE_KIND_ORAS);
    image_ref_free(&r);
}

/* Every allocation in the parse (including PCRE2's compile and match data)
 * fails in turn: each must end in IMAGE_ENOMEM with the "out of memory"
 * reason, never a crash or a wrong answer. Valgrind checks the leaks. */
static void check_oom(const char *in, unsigned flags, int final_rc, int min_allocs)
{
    int injected = 0;
    for (unsigned long n = 1; n < 500; n++) {
        image_cleanup();                 /* so pattern compilation is exercised too */
        alloc_fail_at(n);
        ImageRef r;
        const char *why = NULL;
        int rc = image_parse_ex(in, strlen(in), flags, &r, &why);
        int failed = alloc_failed();
        alloc_fail_at(0);
        if (!failed) {
            CHECK_MSG(rc == final_rc, "'%s': rc %d after all allocations succeeded", in, rc);
            image_ref_free(&r);
            break;
        }
        injected++;
        CHECK_MSG(rc == IMAGE_ENOMEM, "'%s': allocation %lu failed but rc %d", in, n, rc);
        CHECK(why && strcmp(why, "out of memory") == 0);
        image_ref_free(&r);
    }
    /* the loop really reached the allocations */
    CHECK_MSG(injected >= min_allocs, "'%s': only %d allocations", in, injected);
}

int main(void)
{
    int rows = check_tsv();
    if (rows < 0)
        printf("# SKIP TSV rows: $NFP_SHARED/research/image-reference-cases.tsv not found\n");
    else {
        printf("# checked %d TSV rows\n", rows);
        CHECK(rows > 0);
    }
    check_cases();
    check_nul_and_len();
    check_format();
    check_classify();
    /* last argument: allocations the path is known to make at least (pattern
     * compilation alone is several) */
    check_oom("quay.io/org/img:1.0", 0, IMAGE_OK, 4);
    check_oom("ubuntu@sha256:0123456789abcdef0123456789abcdef01234567", 0, IMAGE_INVALID, 4);
    check_oom("Docker/Docker:x", 0, IMAGE_INVALID, 1);   /* lowercase check: only the message */
    check_oom("aa/BB$", IMAGE_PARSE_RAW, IMAGE_INVALID, 4);
    check_oom("quay.io/org//img", 0, IMAGE_INVALID, 4);
    check_oom("docker://ubuntu", IMAGE_PARSE_STRIP_SCHEME, IMAGE_OK, 4);
    image_cleanup();
    TEST_MAIN_END();
}
