/* Reading a pipeline's .nf files ahead, on a second thread (pipeline.h),
 * changes nothing but the time: the scan gives the same images in the same
 * order as pipeline_scan_dir, and a whole check (report and images output)
 * is byte-identical with and without it, on the samples and on every
 * pipeline of ../shared/corpus (skipped with a message when it is absent).
 * The ThreadSanitizer build runs this same test (scripts/test.sh tsan). */
#include "tap.h"
#include "alloc.h"
#include "check/check.h"
#include "pipeline.h"
#include "report.h"
#include "strbuf.h"
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void write_file(const char *dir, const char *name, const char *text)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (!f) { perror(path); exit(1); }
    fputs(text, f);
    fclose(f);
}

/* Everything a scan found, one line per image. */
static void describe(StrBuf *b, const PipelineScan *s)
{
    strbuf_printf(b, "%zu files, %zu processes\n", s->nsources, s->nprocesses);
    for (size_t i = 0; i < s->len; i++) {
        const PipeImage *im = &s->items[i];
        strbuf_printf(b, "%s %s @%zu [%zu,%zu) %.*s engines=%#x dynamic=%d\n", im->src->name, im->process,
                      im->directive, im->c.start, im->c.end, (int)im->c.len, im->c.text, im->c.engines,
                      im->c.dynamic);
    }
}

static void test_scan_same(void)
{
    char dir[] = "/tmp/nfp-read-ahead-XXXXXX";
    if (!mkdtemp(dir)) { perror("mkdtemp"); exit(1); }
    char sub[4200];
    snprintf(sub, sizeof sub, "%s/modules", dir);
    mkdir(sub, 0700);
    write_file(dir, "main.nf", "process A {\n  container 'a/one:1'\n}\nprocess B {\n"
                               "  if (params.x) { container 'b/yes:1' } else { container 'b/no:1' }\n}\n");
    write_file(sub, "c.nf", "process C {\n  container \"${ workflow.containerEngine == 'singularity' ? "
                            "'https://x/c.sif' : 'c/img:2' }\"\n}\n");
    write_file(sub, "notes.txt", "process D { container 'd/not-scanned:1' }\n");

    PipelineScan now = PIPELINE_SCAN_INIT, ahead_scan = PIPELINE_SCAN_INIT, again = PIPELINE_SCAN_INIT;
    char *err = NULL;
    CHECK(pipeline_scan_dir(&now, dir, NULL, &err) == 0);
    PipelineRead *ahead = pipeline_read_start(dir);
    CHECK(ahead != NULL);
    if (ahead) {
        CHECK(pipeline_scan_ahead(&ahead_scan, ahead, NULL, &err) == 0);
        /* the files went to the first scan: a second one reads again */
        CHECK(pipeline_scan_ahead(&again, ahead, NULL, &err) == 0);
        pipeline_read_free(ahead);
    }
    StrBuf a = STRBUF_INIT, b = STRBUF_INIT, c = STRBUF_INIT;
    describe(&a, &now);
    describe(&b, &ahead_scan);
    describe(&c, &again);
    CHECK_MSG(now.len == 5 && now.nsources == 2, "%zu images from %zu files", now.len, now.nsources);
    CHECK_STR(b.data, a.data);
    CHECK_STR(c.data, a.data);
    strbuf_free(&a);
    strbuf_free(&b);
    strbuf_free(&c);
    pipeline_scan_free(&now);
    pipeline_scan_free(&ahead_scan);
    pipeline_scan_free(&again);

    /* a directory that cannot be opened: the same error either way */
    char missing[4200];
    snprintf(missing, sizeof missing, "%s/absent", dir);
    char *err_now = NULL, *err_ahead = NULL;
    PipelineScan s1 = PIPELINE_SCAN_INIT, s2 = PIPELINE_SCAN_INIT;
    CHECK(pipeline_scan_dir(&s1, missing, NULL, &err_now) == -2);
    ahead = pipeline_read_start(missing);
    CHECK(ahead && pipeline_scan_ahead(&s2, ahead, NULL, &err_ahead) == -2);
    CHECK_STR(err_ahead, err_now);
    pipeline_read_free(ahead);
    pipeline_read_free(NULL);
    np_free(err_now);
    np_free(err_ahead);
    pipeline_scan_free(&s1);
    pipeline_scan_free(&s2);

    /* started and never scanned (a check that stops before the images) */
    ahead = pipeline_read_start(dir);
    pipeline_read_free(ahead);

    snprintf(sub, sizeof sub, "rm -rf '%s'", dir);
    CHECK(system(sub) == 0);
}

/* One check of `dir` as the CLI's `command` runs it: the JSON report, the
 * command's output, the status and the failing count. */
static void run(const char *dir, CheckCommand command, const char *profiles, int read_ahead, StrBuf *out)
{
    CheckRequest req;
    memset(&req, 0, sizeof req);
    req.command = command;
    req.paths = &dir;
    req.npaths = 1;
    req.profiles = profiles;
    req.clean_env = 1;
    req.no_settings = 1;
    req.notes = 1;
    req.fail_on = SEV_NONE;
    req.images_format = "json";
    req.read_ahead = read_ahead;
    CheckResult res;
    CheckStatus st = check_run(&req, &res);
    strbuf_printf(out, "status %d failing %zu\n", (int)st, res.failing);
    if (report_emit(out, REPORT_JSON, &res.diags, NULL) != 0) strbuf_append(out, "report failed\n", 14);
    strbuf_append(out, res.output.data ? res.output.data : "", res.output.len);
    check_result_free(&res);
}

static int compared;

static void same_check(const char *dir)
{
    static const struct { CheckCommand command; const char *profiles; } runs[] = {
        {CHECK_CMD_CHECK, NULL}, {CHECK_CMD_CHECK, "docker,wave"}, {CHECK_CMD_IMAGES, "singularity"}};
    for (size_t i = 0; i < sizeof runs / sizeof runs[0]; i++) {
        StrBuf plain = STRBUF_INIT, ahead = STRBUF_INIT;
        run(dir, runs[i].command, runs[i].profiles, 0, &plain);
        run(dir, runs[i].command, runs[i].profiles, 1, &ahead);
        int same = plain.len == ahead.len && (!plain.len || !memcmp(plain.data, ahead.data, plain.len));
        CHECK_MSG(same, "%s (command %d, profiles %s): output differs with read_ahead", dir,
                  (int)runs[i].command, runs[i].profiles ? runs[i].profiles : "-");
        compared++;
        strbuf_free(&plain);
        strbuf_free(&ahead);
    }
}

/* Every subdirectory of `parent` that holds a nextflow.config. */
static void same_check_under(const char *parent)
{
    DIR *d = opendir(parent);
    if (!d) return;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.') continue;
        char dir[4096], cfg[4200];
        snprintf(dir, sizeof dir, "%s/%s", parent, de->d_name);
        snprintf(cfg, sizeof cfg, "%s/nextflow.config", dir);
        struct stat st;
        if (stat(cfg, &st) == 0) same_check(dir);
    }
    closedir(d);
}

int main(void)
{
    test_scan_same();
    const char *src = getenv("NFP_SRC");
    char samples[4096];
    snprintf(samples, sizeof samples, "%s/samples", src ? src : ".");
    same_check_under(samples);
    const char *shared = getenv("NFP_SHARED");
    char corpus[4096];
    snprintf(corpus, sizeof corpus, "%s/corpus", shared ? shared : "../shared");
    struct stat st;
    if (stat(corpus, &st) == 0) same_check_under(corpus);
    else printf("corpus comparison skipped: no corpus at %s\n", corpus);
    printf("%d checks compared with and without reading ahead\n", compared);
    CHECK(compared > 0);
    TEST_MAIN_END();
}
