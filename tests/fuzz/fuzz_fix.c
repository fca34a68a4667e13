/* fuzz_fix — the `nf-preflight fix` round trip on one config text layer.
 *
 * Invariants (issue 8): when fix succeeds and prints a patched text,
 *  - the patched text parses with zero syntax errors,
 *  - resolving it gives wave.enabled = true,
 *  - fixing the patched text again changes nothing (a fixed point: the second
 *    run prints nothing or the same text).
 * fix_command never writes here (write = 0, diff = 0). */
#include "fuzz_common.h"
#include "diag.h"
#include "fix.h"
#include "parse.h"
#include "resolve.h"
#include "strbuf.h"

static int run_fix(const char *text, size_t len, StrBuf *out, int *ran_out)
{
    Layer layer = {0};
    layer.text = text;
    layer.len = len;
    layer.name = "fuzz.config";
    layer.base_dir = "/nonexistent";
    ResolveOptions opt = {0};
    opt.clean_env = 1;
    opt.ignore_includes = 1;
    opt.project_dir = "/nonexistent";
    opt.launch_dir = "/nonexistent";
    FixRequest req = {0};
    req.layers = &layer;
    req.nlayers = 1;
    req.target = 0;
    req.ropt = &opt;
    DiagList diags = {0};
    char *err = NULL;
    int rc = fix_command(&req, out, &diags, &err);
    *ran_out = diags.oom || alloc_failed() || strbuf_failed(out);
    np_free(err);
    diag_list_free(&diags);
    return rc;
}

static int wave_on(const char *text, size_t len)
{
    Layer layer = {0};
    layer.text = text;
    layer.len = len;
    layer.name = "patched.config";
    layer.base_dir = "/nonexistent";
    ResolveOptions opt = {0};
    opt.clean_env = 1;
    opt.ignore_includes = 1;
    DiagList diags = {0};
    Config *cfg = resolve_config(&layer, 1, &opt, &diags);
    int on = -1;   /* -1: could not tell (out of memory) */
    if (cfg && !diags.oom) {
        const Value *v = config_lookup(cfg, "wave.enabled", NULL);
        on = v && v->kind == V_BOOL && v->b;
        if (cfg->syntax_errors) on = 0;
    }
    config_free(cfg);
    diag_list_free(&diags);
    return on;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    StrBuf out = STRBUF_INIT;
    int oom = 0;
    int rc = run_fix((const char *)data, size, &out, &oom);
    FUZZ_REQUIRE(rc == 0 || rc == 1 || rc == 3);
    if (rc == 0 && out.len > 0 && !oom) {
        const char *patched = strbuf_cstr(&out);
        size_t plen = out.len;
        Source *src = source_from_memory("patched.config", NULL, patched, plen);
        Arena *arena = arena_new();
        if (src && arena) {
            DiagList diags = {0};
            int errors = 0;
            (void)parse_config(arena, src, &diags, &errors);
            if (!diags.oom) FUZZ_REQUIRE(errors == 0);
            diag_list_free(&diags);
        }
        arena_free(arena);
        source_free(src);

        FUZZ_REQUIRE(wave_on(patched, plen) != 0);

        StrBuf again = STRBUF_INIT;
        int oom2 = 0;
        int rc2 = run_fix(patched, plen, &again, &oom2);
        if (!oom2) {
            FUZZ_REQUIRE(rc2 == 0);
            FUZZ_REQUIRE(again.len == 0 ||
                         (again.len == plen && memcmp(strbuf_cstr(&again), patched, plen) == 0));
        }
        strbuf_free(&again);
    }
    strbuf_free(&out);
    return 0;
}
