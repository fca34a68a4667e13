/* Pipeline scanner: container directives in .nf snippets, evaluated per engine. */
#include <string.h>

#include "../../src/alloc.h"
#include "../../src/image.h"
#include "../../src/pipeline.h"
#include "tap.h"

#define BIT(e) (1u << (e))

/* The candidate whose text is `text`, or NULL. */
static const PipeImage *find(const PipelineScan *s, const char *text)
{
    for (size_t i = 0; i < s->len; i++)
        if (s->items[i].c.len == strlen(text) && !memcmp(s->items[i].c.text, text, s->items[i].c.len))
            return &s->items[i];
    return NULL;
}

static unsigned line_of(const PipeImage *im)
{
    unsigned line = 0, col = 0;
    source_linecol(im->src, im->c.start, &line, &col);
    return line;
}

static int scan(PipelineScan *s, const char *text, const Value *params)
{
    return pipeline_scan_text(s, "main.nf", text, strlen(text), params);
}

static void test_nfcore_ternary(void)
{
    const char *nf =
        "process FASTQC {\n"
        "    tag \"$meta.id\"\n"
        "    container \"${ workflow.containerEngine == 'singularity' && !task.ext.singularity_pull_docker_container ?\n"
        "        'https://depot.galaxyproject.org/singularity/fastqc:0.12.1--hdfd78af_0' :\n"
        "        'biocontainers/fastqc:0.12.1--hdfd78af_0' }\"\n"
        "    input:\n"
        "    tuple val(meta), path(reads)\n"
        "    script:\n"
        "    \"\"\"\n"
        "    container 'not/a-directive:1'\n"
        "    \"\"\"\n"
        "}\n";
    PipelineScan s = PIPELINE_SCAN_INIT;
    CHECK(scan(&s, nf, NULL) == 0);
    /* both branches and nothing from the script string */
    CHECK_MSG(s.len == 2, "got %zu candidates", s.len);
    CHECK(s.nprocesses == 1);
    const PipeImage *sing = find(&s, "https://depot.galaxyproject.org/singularity/fastqc:0.12.1--hdfd78af_0");
    const PipeImage *dock = find(&s, "biocontainers/fastqc:0.12.1--hdfd78af_0");
    CHECK(sing && dock);
    if (sing && dock) {
        /* the download only when the engine is singularity */
        CHECK_MSG(sing->c.engines == BIT(IMAGE_ENGINE_SINGULARITY), "engines %#x", sing->c.engines);
        /* the registry image for every engine: singularity too, with the ext flag */
        CHECK_MSG(dock->c.engines == PIPE_ENGINES_ALL, "engines %#x", dock->c.engines);
        CHECK(!sing->c.dynamic && !dock->c.dynamic);
        CHECK_STR(sing->process, "FASTQC");
        /* positions point at each branch literal, lines 4 and 5 */
        CHECK(line_of(sing) == 4);
        CHECK(line_of(dock) == 5);
    }
    pipeline_scan_free(&s);
}

static void test_in_list_variant(void)
{
    const char *nf =
        "process SAMTOOLS_SORT {\n"
        "    container \"${workflow.containerEngine in ['singularity', 'apptainer'] && !task.ext.singularity_pull_docker_container\n"
        "        ? 'https://community-cr-prod.seqera.io/docker/registry/v2/blobs/sha256/ab/abc/data'\n"
        "        : 'community.wave.seqera.io/library/samtools:1.21--abc'}\"\n"
        "}\n";
    PipelineScan s = PIPELINE_SCAN_INIT;
    CHECK(scan(&s, nf, NULL) == 0);
    const PipeImage *dl = find(&s, "https://community-cr-prod.seqera.io/docker/registry/v2/blobs/sha256/ab/abc/data");
    const PipeImage *reg = find(&s, "community.wave.seqera.io/library/samtools:1.21--abc");
    CHECK(dl && reg);
    if (dl) CHECK_MSG(dl->c.engines == (BIT(IMAGE_ENGINE_SINGULARITY) | BIT(IMAGE_ENGINE_APPTAINER)),
                      "engines %#x", dl->c.engines);
    if (reg) CHECK(reg->c.engines == PIPE_ENGINES_ALL);
    pipeline_scan_free(&s);
}

static void test_if_else(void)
{
    const char *nf =
        "process RSEQC {\n"
        "    label 'process_low'\n"
        "    if (workflow.containerEngine == 'singularity' && !params.singularity_pull_docker_container) {\n"
        "        container \"https://depot.galaxyproject.org/singularity/rseqc:3.0.1--py37h516909a_1\"\n"
        "    } else {\n"
        "        container \"quay.io/biocontainers/rseqc:3.0.1--py37h516909a_1\"\n"
        "    }\n"
        "    script:\n"
        "    \"echo\"\n"
        "}\n";
    Arena *a = arena_new();
    Value *params = value_new(a, V_SCOPE);
    value_set(a, params, "singularity_pull_docker_container", 33, value_bool(a, 0), NULL);

    /* params known (false): the branches split the engines exactly */
    PipelineScan s = PIPELINE_SCAN_INIT;
    CHECK(scan(&s, nf, params) == 0);
    CHECK(s.len == 2);
    const PipeImage *dl = find(&s, "https://depot.galaxyproject.org/singularity/rseqc:3.0.1--py37h516909a_1");
    const PipeImage *reg = find(&s, "quay.io/biocontainers/rseqc:3.0.1--py37h516909a_1");
    CHECK(dl && reg);
    if (dl) CHECK(dl->c.engines == BIT(IMAGE_ENGINE_SINGULARITY));
    if (reg) CHECK_MSG(reg->c.engines == (PIPE_ENGINES_ALL & ~BIT(IMAGE_ENGINE_SINGULARITY)),
                       "engines %#x", reg->c.engines);
    if (reg) CHECK(line_of(reg) == 6);
    pipeline_scan_free(&s);

    /* params unset: the condition is unknown for singularity, so the else
     * branch may apply to it as well */
    PipelineScan u = PIPELINE_SCAN_INIT;
    CHECK(scan(&u, nf, NULL) == 0);
    reg = find(&u, "quay.io/biocontainers/rseqc:3.0.1--py37h516909a_1");
    if (reg) CHECK(reg->c.engines == PIPE_ENGINES_ALL);
    else CHECK(reg != NULL);
    pipeline_scan_free(&u);
    arena_free(a);
}

static void test_gstring_params(void)
{
    const char *nf =
        "process getVersions {\n"
        "    label \"wf_common\"\n"
        "    container \"ontresearch/wf-common:${params.wf.common_sha}\"\n"
        "}\n"
        "process other {\n"
        "    container \"${params.registry_prefix}/tool:1.0\"\n"
        "}\n";
    Arena *a = arena_new();
    Value *params = value_new(a, V_SCOPE);
    Value *wf = value_new(a, V_SCOPE);
    value_set(a, wf, "common_sha", 10, value_string(a, "sha1234", 7), NULL);
    value_set(a, params, "wf", 2, wf, NULL);
    PipelineScan s = PIPELINE_SCAN_INIT;
    CHECK(scan(&s, nf, params) == 0);
    CHECK(s.len == 2);
    const PipeImage *ok = find(&s, "ontresearch/wf-common:sha1234");
    CHECK(ok != NULL);
    if (ok) { CHECK(!ok->c.dynamic); CHECK_STR(ok->process, "getVersions"); }
    /* the unset param makes the second image dynamic, kept with its text */
    const PipeImage *dyn = find(&s, "\"${params.registry_prefix}/tool:1.0\"");
    CHECK(dyn != NULL);
    if (dyn) {
        CHECK(dyn->c.dynamic);
        CHECK(dyn->c.why && strstr(dyn->c.why, "params.registry_prefix"));
        CHECK(dyn->c.engines == PIPE_ENGINES_ALL);
    }
    pipeline_scan_free(&s);
    arena_free(a);
}

static void test_dynamic_forms(void)
{
    const char *nf =
        "process A {\n"
        "    container { task.ext.image ?: 'quay.io/org/default:1' }\n"
        "}\n"
        "process B {\n"
        "    container Utils.pullthroughContainer(params.img, params.registry)\n"
        "}\n"
        "process C {\n"
        "    container = 'assignment/not-directive:1'\n"
        "    def x = { container 'in-closure/no:1' }\n"
        "}\n"
        "workflow {\n"
        "    container 'outside/process:1'\n"
        "}\n";
    PipelineScan s = PIPELINE_SCAN_INIT;
    CHECK(scan(&s, nf, NULL) == 0);
    /* closure: the elvis is unknown, so both the dynamic part and the default */
    const PipeImage *def = find(&s, "quay.io/org/default:1");
    CHECK(def != NULL);
    int dyn_a = 0, dyn_b = 0, stray = 0;
    for (size_t i = 0; i < s.len; i++) {
        const PipeImage *im = &s.items[i];
        if (im->c.dynamic && !strcmp(im->process, "A")) dyn_a++;
        if (im->c.dynamic && !strcmp(im->process, "B")) {
            dyn_b++;
            CHECK(strstr(im->c.why, "method call") != NULL);
        }
        if (!strcmp(im->process, "C")) stray++;
    }
    CHECK(dyn_a == 1);
    CHECK(dyn_b == 1);
    CHECK(stray == 0);
    CHECK(find(&s, "outside/process:1") == NULL);
    CHECK(s.nprocesses == 3);
    pipeline_scan_free(&s);
}

/* Every allocation failure is reported, never a crash or a leak (valgrind run). */
static void test_oom(void)
{
    const char *nf =
        "process X {\n"
        "    container \"${ workflow.containerEngine == 'singularity' ? 'https://h/x' : 'biocontainers/x:1' }\"\n"
        "}\n";
    int failures = 0, successes = 0;
    for (unsigned long n = 1; n < 400; n++) {
        PipelineScan s = PIPELINE_SCAN_INIT;
        alloc_fail_at(n);
        int rc = scan(&s, nf, NULL);
        alloc_fail_at(0);
        if (rc == 0 && s.len == 2) successes++;
        else if (rc == -1) failures++;
        else CHECK_MSG(0, "n=%lu rc=%d len=%zu", n, rc, s.len);
        pipeline_scan_free(&s);
        if (rc == 0) break;
    }
    CHECK(failures > 0);
    CHECK(successes == 1);
}

int main(void)
{
    test_nfcore_ternary();
    test_in_list_variant();
    test_if_else();
    test_gstring_params();
    test_dynamic_forms();
    test_oom();
    TEST_MAIN_END();
}
