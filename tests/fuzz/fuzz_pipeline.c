/* fuzz_pipeline — the .nf scanner: process bodies found with the lossless
 * lexer, `container` directives (also under if/else) parsed as expressions
 * and evaluated once per container engine against a few params. Invariants:
 * the scan returns 0 unless memory ran out, and every candidate points into
 * its source, carries text (or is dynamic with its source text), names at
 * least one engine and belongs to a process. */
#include "fuzz_common.h"
#include "pipeline.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* params the nf-core container ternaries read; an odd first byte scans without them */
    Arena *a = arena_new();
    if (!a) return 0;
    Value *params = NULL;
    if (!(size && (data[0] & 1))) {
        params = value_new(a, V_SCOPE);
        Value *reg = value_string(a, "quay.io", 7);
        Value *on = value_new(a, V_BOOL);
        if (on) on->b = 1;
        if (params && reg) value_set(a, params, "container_registry", 18, reg, NULL);
        if (params && on) value_set(a, params, "singularity_pull_docker_container", 33, on, NULL);
    }
    PipelineScan scan = PIPELINE_SCAN_INIT;
    int rc = pipeline_scan_text(&scan, "fuzz.nf", (const char *)data, size, params);
    FUZZ_REQUIRE(rc == 0 || alloc_failed());
    for (size_t i = 0; rc == 0 && i < scan.len; i++) {
        const PipeImage *pi = &scan.items[i];
        FUZZ_REQUIRE(pi->src != NULL && pi->process != NULL);
        FUZZ_REQUIRE(pi->c.start <= pi->c.end && pi->c.end <= pi->src->len);
        FUZZ_REQUIRE(pi->directive < pi->src->len);
        FUZZ_REQUIRE(pi->c.text != NULL || pi->c.len == 0);
        FUZZ_REQUIRE((pi->c.engines & PIPE_ENGINES_ALL) != 0 && (pi->c.engines & ~PIPE_ENGINES_ALL) == 0);
        if (pi->c.dynamic) FUZZ_REQUIRE(pi->c.why != NULL);
    }
    if (rc == 0) FUZZ_REQUIRE(scan.len == 0 || scan.nprocesses > 0);
    pipeline_scan_free(&scan);
    arena_free(a);
    return 0;
}
