/* fuzz_fix — the `nf-preflight fix` round trip on one config text layer.
 *
 * Invariants (issue 8): when fix succeeds and prints a patched text,
 *  - the patched text parses with zero syntax errors,
 *  - resolving it gives wave.enabled = true,
 *  - fixing the patched text again changes nothing (a fixed point: the second
 *    run prints nothing or the same text).
 * The runs go through check_run (src/check/check.h), the path the `fix` and
 * `config` commands take; fix never writes here (write = 0, diff = 0). */
#include "fuzz_common.h"
#include "check/check.h"
#include "diag.h"
#include "parse.h"
#include "resolve.h"
#include "strbuf.h"

/* A request for one text layer that never touches the file system. */
static void request_for(CheckRequest *req, CheckCommand command, const char *text, size_t len, const char *name)
{
    memset(req, 0, sizeof *req);
    req->command = command;
    req->text = text;
    req->text_len = len;
    req->text_name = name;
    req->text_dir = "/nonexistent";
    req->clean_env = 1;
    req->ignore_includes = 1;
    req->no_settings = 1;
    req->fail_on = SEV_NONE;
}

static int run_fix(const char *text, size_t len, StrBuf *out, int *ran_out)
{
    CheckRequest req;
    request_for(&req, CHECK_CMD_FIX, text, len, "fuzz.config");
    CheckResult res;
    CheckStatus st = check_run(&req, &res);
    int rc = st == CHECK_OK ? res.fix_status : (int)st;
    strbuf_append(out, res.output.data ? res.output.data : "", res.output.len);
    *ran_out = st != CHECK_OK || res.diags.oom || alloc_failed() || strbuf_failed(&res.output) ||
               strbuf_failed(out);
    check_result_free(&res);
    return rc;
}

static int wave_on(const char *text, size_t len)
{
    CheckRequest req;
    request_for(&req, CHECK_CMD_CONFIG, text, len, "patched.config");
    CheckResult res;
    int on = -1;   /* -1: could not tell (out of memory) */
    if (check_run(&req, &res) == CHECK_OK && res.config) {
        const Value *v = config_lookup(res.config, "wave.enabled", NULL);
        on = v && v->kind == V_BOOL && v->b;
        if (res.config->syntax_errors) on = 0;
    }
    check_result_free(&res);
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
