/* fuzz_resolve — parse and resolve one config text with a clean environment
 * and includes ignored (so the run never touches the file system), then print
 * it in every format `nf-preflight config` offers and look up the keys the
 * Wave checks read. Invariant: resolve_config returns a Config unless memory
 * ran out, and diagnostic spans stay inside their source. */
#include "fuzz_common.h"
#include "diag.h"
#include "resolve.h"
#include "strbuf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* The first byte picks v1/v2 semantics and a profile selection, so both
     * resolver paths are explored from one corpus. */
    static const char *const profiles[] = { "wave", "test", "docker" };
    unsigned sel = size ? data[0] : 0;
    Layer layer = {0};
    layer.text = (const char *)data;
    layer.len = size;
    layer.name = "fuzz.config";
    layer.base_dir = "/nonexistent";
    ResolveOptions opt = {0};
    opt.clean_env = 1;
    opt.ignore_includes = 1;
    opt.syntax_v1 = sel & 1;
    opt.profiles = profiles;
    opt.nprofiles = (sel >> 1) % 4;
    opt.project_dir = "/nonexistent";
    opt.launch_dir = "/nonexistent";

    DiagList diags = {0};
    Config *cfg = resolve_config(&layer, 1, &opt, &diags);
    FUZZ_REQUIRE(cfg != NULL || alloc_failed() || diags.oom);
    for (size_t i = 0; i < diags.len; i++) {
        const Diag *d = &diags.items[i];
        FUZZ_REQUIRE(d->start <= d->end);
        if (d->src) FUZZ_REQUIRE(d->end <= d->src->len);
    }
    if (cfg) {
        StrBuf out = STRBUF_INIT;
        config_print_canonical(&out, cfg);
        config_print_flat(&out, cfg);
        config_print_json(&out, cfg);
        strbuf_free(&out);
        const Prov *prov = NULL;
        (void)config_lookup(cfg, "wave.enabled", &prov);
        (void)config_lookup(cfg, "process.container", &prov);
        (void)config_lookup(cfg, "tower.accessToken", &prov);
        config_free(cfg);
    }
    diag_list_free(&diags);
    return 0;
}
