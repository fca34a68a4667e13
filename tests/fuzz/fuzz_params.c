/* fuzz_params — a launch's paramsText / --params-file text (JSON or YAML).
 * Invariants: success leaves a scope and no error; failure gives a message
 * unless memory ran out; merging the same text twice gives the same number
 * of top-level params (a merge replaces, it does not append). */
#include "fuzz_common.h"
#include "arena.h"
#include "params.h"
#include "value.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    Arena *a = arena_new();
    if (!a) return 0;
    Value *params = value_new(a, V_SCOPE);
    if (!params) { arena_free(a); return 0; }
    char *err = NULL;
    int rc = params_merge_text(a, params, "fuzz-params.json", (const char *)data, size, &err);
    if (rc == 0) {
        FUZZ_REQUIRE(err == NULL);
        FUZZ_REQUIRE(params->kind == V_SCOPE);
        size_t n = params->nentries;
        char *err2 = NULL;
        if (params_merge_text(a, params, "fuzz-params.json", (const char *)data, size, &err2) == 0)
            FUZZ_REQUIRE(params->nentries == n);
        np_free(err2);
    } else {
        FUZZ_REQUIRE(err != NULL || alloc_failed());
    }
    np_free(err);
    arena_free(a);
    return 0;
}
