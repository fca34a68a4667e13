/* The allocation-failure loop (issue 8; the curl/SQLite torture technique).
 *
 * For each representative input, one run of the `check` path — read and
 * resolve the config (parse included), run every rule family, sort and emit
 * the report in every format — is repeated with allocation N failing, for
 * N = 1, 2, ... until a run needs no more than N-1 allocations. Every run must:
 *  - end without a crash (a crash kills the test),
 *  - either report the failure (resolve_config NULL, DiagList.oom, a failed
 *    StrBuf or report_emit -1) or produce exactly the output of the run
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
#include "checks.h"
#include "diag.h"
#include "report.h"
#include "resolve.h"
#include "settings.h"
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
    static const char *const profiles[] = { "wave", "test" };
    Layer layer = {0};
    layer.path = in->path;
    layer.text = in->text;
    layer.len = in->text ? strlen(in->text) : 0;
    layer.name = in->name;
    ResolveOptions opt = {0};
    opt.clean_env = 1;
    opt.profiles = profiles;
    opt.nprofiles = 2;
    DiagList diags = {0};
    Config *cfg = resolve_config(&layer, 1, &opt, &diags);
    if (!cfg) {
        reported = 1;
    } else {
        Settings *settings = settings_new();
        if (!settings) {
            reported = 1;
        } else {
            CheckInput ci = {0};
            ci.cfg = cfg;
            ci.launch_dir = opt.launch_dir;
            ci.settings = settings;
            wave_check(&ci, &diags);
            schema_check(&ci, &diags);
            images_check(&ci, &diags);
            secrets_check(&ci, &diags);
            settings_free(settings);
        }
        config_print_canonical(out, cfg);
        config_print_json(out, cfg);
    }
    if (diags.oom) reported = 1;
    diag_sort(&diags);
    static const ReportFormat fmts[] = { REPORT_GCC, REPORT_TEXT, REPORT_JSON, REPORT_SARIF,
                                         REPORT_GITHUB };
    for (size_t i = 0; i < sizeof fmts / sizeof fmts[0]; i++) {
        StrBuf rep = STRBUF_INIT;
        if (report_emit(&rep, fmts[i], &diags, NULL) != 0 || strbuf_failed(&rep)) reported = 1;
        else strbuf_append(out, rep.data ? rep.data : "", rep.len);
        strbuf_free(&rep);
    }
    if (strbuf_failed(out)) reported = 1;
    config_free(cfg);
    diag_list_free(&diags);
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
