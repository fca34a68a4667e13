/* The allocation-failure loop (issue 8; the curl/SQLite torture technique).
 *
 * For each representative input, one run of the product's `check` path —
 * check_run (src/check/check.h: prepare the launch, resolve with parse
 * included, every rule family, suppressions, settings, scrubbing, sort),
 * then the report in every format and the config printers — is repeated
 * with allocation N failing, for
 * N = 1, 2, ... until a run needs no more than N-1 allocations. Every run must:
 *  - end without a crash (a crash kills the test),
 *  - either report the failure (check_run's status, a failed StrBuf or
 *    report_emit -1) or produce exactly the output of the run
 *    without failures: a swallowed failure must not silently change results,
 *  - give back all memory: checked by LSan in the ASan build and by
 *    valgrind --leak-check=full (scripts/test.sh) on this same binary; the
 *    test itself cannot see the heap (glibc's counters include cached
 *    chunks, so they are no leak oracle).
 * Inputs: the samples, a few inline texts for paths the samples miss, and
 * small corpus configs when ../shared is present. NFP_ALLOC_FAIL_MAX (env)
 * caps N per input for quick runs. */
#include "tap.h"
#include "alloc.h"
#include "check/check.h"
#include "diag.h"
#include "report.h"
#include "resolve.h"
#include "strbuf.h"
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

typedef struct Input {
    const char *name;
    const char *path;     /* file, or NULL for text */
    const char *text;
} Input;

/* One full run. Returns 1 when the run reported running out of memory, and
 * appends everything it produced to *out. */
static int run_once(const Input *in, StrBuf *out)
{
    int reported = 0;
    CheckRequest req = {0};
    req.command = CHECK_CMD_CHECK;
    if (in->path) {
        req.paths = &in->path;
        req.npaths = 1;
    } else {
        req.text = in->text;
        req.text_len = strlen(in->text);
        req.text_name = in->name;
    }
    req.profiles = "wave,test";
    req.clean_env = 1;
    req.no_settings = 1;
    req.notes = 1;             /* the explanatory notes too, as JSON output asks */
    req.fail_on = SEV_NONE;
    CheckResult res;
    if (check_run(&req, &res) != CHECK_OK) reported = 1;
    if (res.config) {
        config_print_canonical(out, res.config);
        config_print_json(out, res.config);
    }
    static const ReportFormat fmts[] = { REPORT_GCC, REPORT_TEXT, REPORT_JSON, REPORT_SARIF,
                                         REPORT_GITHUB };
    for (size_t i = 0; !reported && i < sizeof fmts / sizeof fmts[0]; i++) {
        StrBuf rep = STRBUF_INIT;
        if (report_emit(&rep, fmts[i], &res.diags, NULL) != 0 || strbuf_failed(&rep)) reported = 1;
        else strbuf_append(out, rep.data ? rep.data : "", rep.len);
        strbuf_free(&rep);
    }
    if (!reported) strbuf_printf(out, "failing %zu\n", res.failing);
    if (strbuf_failed(out)) reported = 1;
    check_result_free(&res);
    return reported;
}

static void torture(const Input *in, unsigned long cap)
{
    /* Baseline without failures (twice, so caches such as compiled patterns
     * exist before memory is measured). */
    StrBuf base = STRBUF_INIT;
    alloc_fail_at(0);
    StrBuf warm = STRBUF_INIT;
    run_once(in, &warm);
    strbuf_free(&warm);
    alloc_fail_at(0);
    int base_reported = run_once(in, &base);
    unsigned long total = alloc_count();
    CHECK_MSG(!base_reported && !strbuf_failed(&base), "%s: run without failures reported OOM", in->name);
    CHECK_MSG(total > 0, "%s: no allocation counted", in->name);

    unsigned long silent = 0, first_silent = 0, runs = 0;
    unsigned long limit = cap && cap < total ? cap : total;
    for (unsigned long n = 1; n <= limit; n++) {
        StrBuf out = STRBUF_INIT;
        alloc_fail_at(n);
        int reported = run_once(in, &out);
        int failed = alloc_failed();
        alloc_fail_at(0);
        int same = !strbuf_failed(&out) && out.len == base.len &&
                   (out.len == 0 || memcmp(out.data, base.data, out.len) == 0);
        strbuf_free(&out);
        runs++;
        if (failed && !reported && !same) {
            if (!silent++) first_silent = n;
        }
    }
    alloc_fail_at(0);
    CHECK_MSG(silent == 0, "%s: %lu runs swallowed an allocation failure and changed the output "
              "(first at N=%lu of %lu)", in->name, silent, first_silent, total);
    printf("%s: %lu allocations, %lu failing runs\n", in->name, total, runs);
    strbuf_free(&base);
}

int main(void)
{
    const char *src = getenv("NFP_SRC");
    const char *shared = getenv("NFP_SHARED");
    const char *capenv = getenv("NFP_ALLOC_FAIL_MAX");
    unsigned long cap = capenv ? strtoul(capenv, NULL, 10) : 0;
    static const Input inline_inputs[] = {
        { "inline-legacy.config", NULL,
          "def x = System.getenv('HOME') ?: '/tmp'\n"
          "if (params.foo) { process.cpus = 2 } else { process.cpus = 4 }\n"
          "params { foo = true; bar = \"${x}/out\"; list = [1, 2, 'a'] ; map = [a: 1, b: [c: 2]] }\n"
          "process { withName: 'A|B' { memory = { 2.GB * task.attempt } ; time = 1.h } }\n" },
        { "inline-wave.config", NULL,
          "wave { enabled = true; strategy = ['container', 'conda'] }\n"
          "tower.accessToken = 'eyJ0aGlzIjoiaXMgYSBmYWtlIHRva2VuIn0'\n"
          "docker.registry = 'quay.io'\n"
          "process.container = 'ghcr.io/org/tool:1.0'\n"
          "profiles { test { wave.enabled = false } }\n" },
        { "inline-errors.config", NULL,
          "process { cpus = \n withName: { } \n params.x = 'unterminated\n"
          "includeConfig 'missing.config'\n wave.enabeld = true\n" },
    };
    for (size_t i = 0; i < sizeof inline_inputs / sizeof inline_inputs[0]; i++)
        torture(&inline_inputs[i], cap);

    char path[4096];
    if (src) {
        snprintf(path, sizeof path, "%s/samples", src);
        DIR *d = opendir(path);
        struct dirent *e;
        while (d && (e = readdir(d)) != NULL) {
            size_t n = strlen(e->d_name);
            if (n < 8 || strcmp(e->d_name + n - 7, ".config") != 0) continue;
            char file[4096 + 256];
            snprintf(file, sizeof file, "%s/%s", path, e->d_name);
            Input in = { e->d_name, file, NULL };
            torture(&in, cap);
        }
        if (d) closedir(d);
    } else {
        printf("# NFP_SRC not set: samples skipped\n");
    }
    if (shared) {
        /* Small real configs with includes, profiles and legacy code. */
        static const char *const corpus[] = {
            "corpus/nextflow-io__hello/nextflow.config",
            "corpus/nextflow-io__rnaseq-nf/nextflow.config",
            "corpus/epi2me-labs__wf-template/nextflow.config",
            "corpus/nf-core__rnaseq/nextflow.config",
        };
        for (size_t i = 0; i < sizeof corpus / sizeof corpus[0]; i++) {
            char file[4096];
            snprintf(file, sizeof file, "%s/%s", shared, corpus[i]);
            FILE *f = fopen(file, "r");
            if (!f) { printf("# %s absent: skipped\n", corpus[i]); continue; }
            fclose(f);
            Input in = { corpus[i], file, NULL };
            torture(&in, cap);
        }
    } else {
        printf("# NFP_SHARED not set: corpus inputs skipped\n");
    }
    TEST_MAIN_END();
}
