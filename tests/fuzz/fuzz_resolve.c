/* fuzz_resolve — the product's check path on one config text: check_run
 * (src/check/check.h) with a clean environment, includes not followed and no
 * settings file (so the run never reads the file system), every rule family,
 * suppressions and scrubbing; then every printer `nf-preflight config`
 * offers, every report format, and the lookups the Wave checks make.
 * Invariants: check_run succeeds unless memory ran out, and diagnostic
 * spans stay inside their source. */
#include "fuzz_common.h"
#include "check/check.h"
#include "diag.h"
#include "report.h"
#include "resolve.h"
#include "strbuf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* The first byte picks v1/v2 semantics and a profile selection, so both
     * resolver paths are explored from one corpus. */
    static const char *const profiles[] = { NULL, "wave", "wave,test", "wave,test,docker" };
    unsigned sel = size ? data[0] : 0;
    CheckRequest req = {0};
    req.command = CHECK_CMD_CHECK;
    req.text = (const char *)data;
    req.text_len = size;
    req.text_name = "fuzz.config";
    req.text_dir = "/nonexistent";
    req.clean_env = 1;
    req.ignore_includes = 1;
    req.no_settings = 1;
    req.notes = 1;
    req.fail_on = SEV_NONE;
    req.syntax_v1 = sel & 1;
    req.profiles = profiles[(sel >> 1) % 4];

    CheckResult res;
    CheckStatus st = check_run(&req, &res);
    FUZZ_REQUIRE(st == CHECK_OK || alloc_failed());
    for (size_t i = 0; i < res.diags.len; i++) {
        const Diag *d = &res.diags.items[i];
        FUZZ_REQUIRE(d->start <= d->end);
        if (d->src) FUZZ_REQUIRE(d->end <= d->src->len);
        FUZZ_REQUIRE(d->id < RULE_COUNT);
    }
    if (res.config) {
        StrBuf out = STRBUF_INIT;
        config_print_canonical(&out, res.config);
        config_print_flat(&out, res.config);
        config_print_json(&out, res.config);
        for (int f = REPORT_GCC; f <= REPORT_GITHUB; f++) report_emit(&out, (ReportFormat)f, &res.diags, NULL);
        strbuf_free(&out);
        const Prov *prov = NULL;
        (void)config_lookup(res.config, "wave.enabled", &prov);
        (void)config_lookup(res.config, "process.container", &prov);
        (void)config_lookup(res.config, "tower.accessToken", &prov);
    }
    check_result_free(&res);
    return 0;
}
