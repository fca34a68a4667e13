/* Report formats on one fixture list that covers every severity, a span over
 * several lines, a tab and a two-byte UTF-8 character before/in a span, a
 * diagnostic without a source and one with a fix. Expected strings were
 * worked out by hand from the byte offsets noted next to the fixture. */
#include "alloc.h"
#include "diag.h"
#include "report.h"
#include "rules.h"
#include "source.h"
#include "strbuf.h"
#include "tap.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Offsets:
 *  line 1 "wave {"                  0..5, '\n' 6
 *  line 2 "\tenabled = 'true'"      7..23 ('\'' at 18 and 23), '\n' 24
 *  line 3 "}"                       25, '\n' 26
 *  line 4 "params.s = \"héllo\""    27..45 ('"' at 38, é = bytes 40-41, '"' at 45), '\n' 46 */
static const char FIXTURE_TEXT[] =
    "wave {\n\tenabled = 'true'\n}\nparams.s = \"h\xc3\xa9llo\"\n";

#define MSG_NOTBOOL "wave.enabled is the string 'true', not a boolean"
#define MSG_DYN "params.s = \"h\xc3\xa9llo\" is only known at run time"
#define MSG_RUN "GET /credentials: 401, 100% failed\nretry later"

static Source *fixture_source(const char *name, const char *path)
{
    return source_from_memory(name, path, FIXTURE_TEXT, sizeof FIXTURE_TEXT - 1);
}

/* Returns 1 when every diagnostic was added (0 means allocation failed). */
static int fixture_diags(DiagList *l, const Source *src)
{
    Diag *d = diag_add(l, src, 18, 24, DIAG_DEFAULT_SEV, RULE_WAVE_ENABLED_NOT_BOOLEAN, "%s", MSG_NOTBOOL);
    if (!d || !diag_add_edit(l, d, 18, 24, "true")) return 0;
    if (!diag_add(l, src, 0, 26, DIAG_DEFAULT_SEV, RULE_WAVE_NOT_ENABLED, "Wave is not enabled")) return 0;
    if (!diag_add(l, src, 38, 46, DIAG_DEFAULT_SEV, RULE_DYNAMIC_VALUE, "%s", MSG_DYN)) return 0;
    if (!diag_add(l, NULL, 0, 0, DIAG_DEFAULT_SEV, RULE_CREDENTIALS_UNAVAILABLE, "%s", MSG_RUN)) return 0;
    return 1;
}

static char *emit(ReportFormat fmt, const DiagList *l, const ReportOptions *opt)
{
    StrBuf b = STRBUF_INIT;
    int rc = report_emit(&b, fmt, l, opt);
    if (rc) {
        strbuf_free(&b);
        return NULL;
    }
    return strbuf_take(&b);
}

#define P "conf/my nextflow.config"

static void test_gcc(const DiagList *l)
{
    char *s = emit(REPORT_GCC, l, NULL);
    CHECK_STR(s,
        P ":2:12: error: " MSG_NOTBOOL " [wave-enabled-not-boolean]\n"
        P ":1:1: warning: Wave is not enabled [wave-not-enabled]\n"
        P ":4:12: info: " MSG_DYN " [dynamic-value]\n"
        "nf-preflight: warning: GET /credentials: 401, 100% failed retry later [credentials-unavailable]\n");
    np_free(s);
}

static void test_text(const DiagList *l)
{
    char *s = emit(REPORT_TEXT, l, NULL);
    /* The underline keeps the tab of line 2 and counts é as one column
     * ('true' with quotes is 6 characters: ^ and five ~). The
     * multi-line span is underlined to the end of its first line. */
    CHECK_STR(s,
        P ":2:12: error: " MSG_NOTBOOL " [wave-enabled-not-boolean]\n"
        " 2 | \tenabled = 'true'\n"
        "   | \t          ^~~~~~\n"
        P ":1:1: warning: Wave is not enabled [wave-not-enabled]\n"
        " 1 | wave {\n"
        "   | ^~~~~~\n"
        P ":4:12: info: " MSG_DYN " [dynamic-value]\n"
        " 4 | params.s = \"h\xc3\xa9llo\"\n"
        "   |            ^~~~~~~\n"
        "nf-preflight: warning: GET /credentials: 401, 100% failed retry later [credentials-unavailable]\n"
        "\n"
        "1 error, 2 warnings, 1 info\n");
    np_free(s);

    /* Colour: bold location, severity in its colour, underline in the same colour. */
    DiagList one = {0};
    one.items = l->items;
    one.len = 1;
    ReportOptions opt = {.color = 1, .repo_root = NULL};
    s = emit(REPORT_TEXT, &one, &opt);
    CHECK_STR(s,
        "\033[1m" P ":2:12:\033[0m \033[1;31merror:\033[0m " MSG_NOTBOOL " [wave-enabled-not-boolean]\n"
        " 2 | \tenabled = 'true'\n"
        "   | \t          \033[1;31m^~~~~~\033[0m\n"
        "\n"
        "1 error, 0 warnings, 0 info\n");
    np_free(s);

    /* Line numbers of different widths keep the gutter aligned. */
    DiagList none = {0};
    s = emit(REPORT_TEXT, &none, NULL);
    CHECK_STR(s, "0 errors, 0 warnings, 0 info\n");
    np_free(s);
}

static void test_text_wide_gutter(void)
{
    StrBuf t = STRBUF_INIT;
    for (int i = 1; i < 12; i++) strbuf_puts(&t, "\n");
    strbuf_puts(&t, "x = 1\n");
    Source *src = source_from_memory("big.config", NULL, t.data, t.len);
    DiagList l = {0};
    diag_add(&l, src, 11, 11, SEV_WARNING, RULE_UNKNOWN_OPTION, "empty span");
    char *s = emit(REPORT_TEXT, &l, NULL);
    /* An empty span still gets one caret. */
    CHECK_STR(s, "big.config:12:1: warning: empty span [unknown-option]\n"
                 " 12 | x = 1\n"
                 "    | ^\n\n"
                 "0 errors, 1 warning, 0 info\n");
    np_free(s);
    diag_list_free(&l);
    source_free(src);
    strbuf_free(&t);
}

static void test_json(const DiagList *l)
{
    char *s = emit(REPORT_JSON, l, NULL);
    CHECK_STR(s,
        "{\"version\":1,\"tool\":{\"name\":\"nf-preflight\",\"version\":\"" NFP_VERSION "\"},"
        "\"summary\":{\"error\":1,\"warning\":2,\"info\":1},\"diagnostics\":[\n"
        "{\"path\":\"" P "\",\"line\":2,\"column\":12,\"end_line\":2,\"end_column\":18,\"offset\":18,"
        "\"end_offset\":24,\"severity\":\"error\",\"rule\":\"wave-enabled-not-boolean\",\"rule_id\":\"NFP010\","
        "\"message\":\"" MSG_NOTBOOL "\",\"fix\":{\"edits\":[{\"offset\":18,\"end_offset\":24,\"text\":\"true\"}]}},\n"
        "{\"path\":\"" P "\",\"line\":1,\"column\":1,\"end_line\":3,\"end_column\":2,\"offset\":0,"
        "\"end_offset\":26,\"severity\":\"warning\",\"rule\":\"wave-not-enabled\",\"rule_id\":\"NFP009\","
        "\"message\":\"Wave is not enabled\",\"fix\":null},\n"
        "{\"path\":\"" P "\",\"line\":4,\"column\":12,\"end_line\":4,\"end_column\":20,\"offset\":38,"
        "\"end_offset\":46,\"severity\":\"info\",\"rule\":\"dynamic-value\",\"rule_id\":\"NFP029\","
        "\"message\":\"params.s = \\\"h\xc3\xa9llo\\\" is only known at run time\",\"fix\":null},\n"
        "{\"path\":null,\"line\":null,\"column\":null,\"end_line\":null,\"end_column\":null,\"offset\":null,"
        "\"end_offset\":null,\"severity\":\"warning\",\"rule\":\"credentials-unavailable\",\"rule_id\":\"NFP026\","
        "\"message\":\"GET /credentials: 401, 100% failed\\nretry later\",\"fix\":null}\n"
        "]}\n");
    np_free(s);

    DiagList none = {0};
    s = emit(REPORT_JSON, &none, NULL);
    CHECK_STR(s, "{\"version\":1,\"tool\":{\"name\":\"nf-preflight\",\"version\":\"" NFP_VERSION "\"},"
                 "\"summary\":{\"error\":0,\"warning\":0,\"info\":0},\"diagnostics\":[]}\n");
    np_free(s);
}

static void test_github(const DiagList *l)
{
    char *s = emit(REPORT_GITHUB, l, NULL);
    /* Multi-line span: no col/endColumn. Data escapes only % CR LF; the
     * notice for info; the run-level diagnostic has no file. */
    CHECK_STR(s,
        "::error file=" P ",line=2,col=12,endLine=2,endColumn=18,title=nf-preflight (wave-enabled-not-boolean)::"
        MSG_NOTBOOL "\n"
        "::warning file=" P ",line=1,endLine=3,title=nf-preflight (wave-not-enabled)::"
        "Wave is not enabled\n"
        "::notice file=" P ",line=4,col=12,endLine=4,endColumn=20,title=nf-preflight (dynamic-value)::"
        MSG_DYN "\n"
        "::warning title=nf-preflight (credentials-unavailable)::nf-preflight: GET /credentials: 401, 100%25 failed%0Aretry later\n");
    np_free(s);

    /* Property values escape ':' ',' and '%' too; data keeps ':' and ','; the
     * message does not repeat the file and line the annotation carries. */
    Source *odd = source_from_memory("a:b,c%.config", NULL, "x\n", 2);
    DiagList l2 = {0};
    diag_add(&l2, odd, 0, 1, SEV_ERROR, RULE_SYNTAX_ERROR, "bad: a,b\r\n");
    s = emit(REPORT_GITHUB, &l2, NULL);
    CHECK_STR(s, "::error file=a%3Ab%2Cc%25.config,line=1,col=1,endLine=1,endColumn=2,"
                 "title=nf-preflight (syntax-error)::bad: a,b%0D%0A\n");
    np_free(s);
    diag_list_free(&l2);
    source_free(odd);
}

static const char SARIF_RESULTS[] =
    ",\n\"invocations\":[{\"executionSuccessful\":true,\"toolExecutionNotifications\":[\n"
    "{\"level\":\"warning\",\"message\":{\"text\":\"GET /credentials: 401, 100% failed\\nretry later\"},"
    "\"associatedRule\":{\"id\":\"credentials-unavailable\",\"index\":25}}]}]"
    ",\n\"results\":[\n"
    "{\"ruleId\":\"wave-enabled-not-boolean\",\"ruleIndex\":9,\"level\":\"error\",\"message\":{\"text\":\"" MSG_NOTBOOL "\"},"
    "\"locations\":[{\"physicalLocation\":{\"artifactLocation\":{\"uri\":\"conf/my%20nextflow.config\"},"
    "\"region\":{\"startLine\":2,\"startColumn\":12,\"endLine\":2,\"endColumn\":18}}}],"
    "\"fixes\":[{\"artifactChanges\":[{\"artifactLocation\":{\"uri\":\"conf/my%20nextflow.config\"},"
    "\"replacements\":[{\"deletedRegion\":{\"startLine\":2,\"startColumn\":12,\"endLine\":2,\"endColumn\":18},"
    "\"insertedContent\":{\"text\":\"true\"}}]}]}]},\n"
    "{\"ruleId\":\"wave-not-enabled\",\"ruleIndex\":8,\"level\":\"warning\",\"message\":{\"text\":\"Wave is not enabled\"},"
    "\"locations\":[{\"physicalLocation\":{\"artifactLocation\":{\"uri\":\"conf/my%20nextflow.config\"},"
    "\"region\":{\"startLine\":1,\"startColumn\":1,\"endLine\":3,\"endColumn\":2}}}]},\n"
    /* SARIF columns count code points: é is one, so the end column is 19, not 20. */
    "{\"ruleId\":\"dynamic-value\",\"ruleIndex\":28,\"level\":\"note\","
    "\"message\":{\"text\":\"params.s = \\\"h\xc3\xa9llo\\\" is only known at run time\"},"
    "\"locations\":[{\"physicalLocation\":{\"artifactLocation\":{\"uri\":\"conf/my%20nextflow.config\"},"
    "\"region\":{\"startLine\":4,\"startColumn\":12,\"endLine\":4,\"endColumn\":19}}}]}\n"
    "]}]}\n";

static void validate_sarif(const char *doc)
{
    const char *srcdir = getenv("NFP_SRC");
    if (!srcdir) {
        printf("# skip: SARIF schema validation (NFP_SRC not set)\n");
        return;
    }
    if (system("python3 -c 'import jsonschema' >/dev/null 2>&1") != 0) {
        printf("# skip: SARIF schema validation (python3 jsonschema not available)\n");
        return;
    }
    char path[] = "/tmp/nfp-sarif-XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    if (fd < 0) return;
    FILE *f = fdopen(fd, "w");
    fputs(doc, f);
    fclose(f);
    char cmd[8192];
    /* the schema is vendored beside the checker (tests/report/sarif/) */
    snprintf(cmd, sizeof cmd, "python3 '%s/tests/report/check_sarif.py' '%s' '%s/tests/report/sarif/sarif-schema-2.1.0.json' %zu",
             srcdir, path, srcdir, rule_count);
    int rc = system(cmd);
    CHECK_MSG(rc == 0, "check_sarif.py failed (%d) on %s", rc, path);
    if (rc == 0) unlink(path);
}

static void test_sarif(const DiagList *l)
{
    char *s = emit(REPORT_SARIF, l, NULL);
    CHECK(s != NULL);
    if (!s) return;
    CHECK(!strncmp(s, "{\"$schema\":\"https://json.schemastore.org/sarif-2.1.0.json\",\"version\":\"2.1.0\","
                      "\"runs\":[{\"tool\":{\"driver\":{\"name\":\"nf-preflight\",\"version\":\"" NFP_VERSION "\",",
                   strlen("{\"$schema\":\"https://json.schemastore.org/sarif-2.1.0.json\",\"version\":\"2.1.0\","
                          "\"runs\":[{\"tool\":{\"driver\":{\"name\":\"nf-preflight\",\"version\":\"" NFP_VERSION "\",")));
    size_t n = strlen(s), m = strlen(SARIF_RESULTS);
    CHECK_STR(n >= m ? s + n - m : s, SARIF_RESULTS);
    /* The first rule of the catalogue, with markdown help made from its example. */
    CHECK(strstr(s, "{\"id\":\"syntax-error\",\"name\":\"SyntaxError\",\"shortDescription\":{\"text\":"
                    "\"The file is not valid Nextflow configuration.\"}") != NULL);
    /* ...and the last one closes the rules array: every rule is listed. */
    {
        const Rule *last = &rule_table[rule_count - 1];
        char tail[160];
        snprintf(tail, sizeof tail, "\"defaultConfiguration\":{\"level\":\"%s\"},\"properties\":{\"id\":\"%s\"}}]}}",
                 last->severity == SEV_ERROR ? "error" : last->severity == SEV_WARNING ? "warning" : "note", last->id);
        CHECK_MSG(strstr(s, tail) != NULL, "SARIF rules do not end with %s", last->id);
    }
    validate_sarif(s);
    np_free(s);
}

/* Paths relative to the repository root, forward slashes and percent-encoding;
 * a file outside the root keeps an absolute file:// URI. */
static void test_sarif_uri(void)
{
    char dir[] = "/tmp/nfp-repo-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char sub[256], file[300], outside[] = "/elsewhere/x#1.config";
    snprintf(sub, sizeof sub, "%s/conf dir", dir);
    CHECK(mkdir(sub, 0700) == 0);
    snprintf(file, sizeof file, "%s/conf dir/b\xc3\xa9.config", dir);
    Source *in = source_from_memory("shown name", file, "x\n", 2);
    Source *out = source_from_memory("other", outside, "x\n", 2);
    DiagList l = {0};
    diag_add(&l, in, 0, 1, SEV_WARNING, RULE_UNKNOWN_OPTION, "m");
    diag_add(&l, out, 0, 1, SEV_WARNING, RULE_UNKNOWN_OPTION, "m");
    ReportOptions opt = {.color = 0, .repo_root = dir};
    char *s = emit(REPORT_SARIF, &l, &opt);
    CHECK(s && strstr(s, "\"uri\":\"conf%20dir/b%C3%A9.config\"") != NULL);
    CHECK(s && strstr(s, "\"uri\":\"file:///elsewhere/x%231.config\"") != NULL);
    np_free(s);
    /* The root given with a trailing "/." and the file through ".." still match. */
    char root2[300], file2[400];
    snprintf(root2, sizeof root2, "%s/.", dir);
    snprintf(file2, sizeof file2, "%s/conf dir/../conf dir/b\xc3\xa9.config", dir);
    Source *in2 = source_from_memory("n", file2, "x\n", 2);
    l.items[1].src = in2;
    opt.repo_root = root2;
    s = emit(REPORT_GITHUB, &l, &opt);
    CHECK_STR(s, "::warning file=conf dir/b\xc3\xa9.config,line=1,col=1,endLine=1,endColumn=2,title=nf-preflight (unknown-option)::m\n"
                 "::warning file=conf dir/b\xc3\xa9.config,line=1,col=1,endLine=1,endColumn=2,title=nf-preflight (unknown-option)::m\n");
    np_free(s);
    diag_list_free(&l);
    source_free(in);
    source_free(in2);
    source_free(out);
    rmdir(sub);
    rmdir(dir);
}

/* Expected outcome of --color for every flag, NO_COLOR, FORCE_COLOR and tty. */
static void test_color(void)
{
    const char *envs[] = {NULL, "", "1"};   /* unset, empty, set */
    for (int nc = 0; nc < 3; nc++)
        for (int fc = 0; fc < 3; fc++)
            for (int tty = 0; tty < 2; tty++) {
                if (envs[nc]) setenv("NO_COLOR", envs[nc], 1); else unsetenv("NO_COLOR");
                if (envs[fc]) setenv("FORCE_COLOR", envs[fc], 1); else unsetenv("FORCE_COLOR");
                /* Explicit flags ignore the environment and the tty. */
                CHECK(report_color_decide("always", tty) == 1);
                CHECK(report_color_decide("never", tty) == 0);
                CHECK(report_color_decide("sometimes", tty) == -1);
                /* auto: a non-empty NO_COLOR wins, then a non-empty FORCE_COLOR, then the tty. */
                int expect = nc == 2 ? 0 : fc == 2 ? 1 : tty;
                CHECK_MSG(report_color_decide("auto", tty) == expect, "NO_COLOR=%s FORCE_COLOR=%s tty=%d",
                          envs[nc] ? envs[nc] : "(unset)", envs[fc] ? envs[fc] : "(unset)", tty);
                CHECK(report_color_decide(NULL, tty) == expect);
            }
    /* FORCE_COLOR=0 still forces (force-color.org: any non-empty value). */
    unsetenv("NO_COLOR");
    setenv("FORCE_COLOR", "0", 1);
    CHECK(report_color_decide("auto", 0) == 1);
    unsetenv("FORCE_COLOR");
}

static void test_format_parse(void)
{
    ReportFormat f = REPORT_TEXT;
    CHECK(report_format_parse("gcc", &f) && f == REPORT_GCC);
    CHECK(report_format_parse("concise", &f) && f == REPORT_GCC);
    CHECK(report_format_parse("text", &f) && f == REPORT_TEXT);
    CHECK(report_format_parse("json", &f) && f == REPORT_JSON);
    CHECK(report_format_parse("sarif", &f) && f == REPORT_SARIF);
    CHECK(report_format_parse("github", &f) && f == REPORT_GITHUB);
    CHECK(!report_format_parse("xml", &f));
    StrBuf b = STRBUF_INIT;
    DiagList none = {0};
    CHECK(report_emit(&b, (ReportFormat)42, &none, NULL) == -1);
    strbuf_free(&b);
}

static void test_rules_docs(void)
{
    StrBuf b = STRBUF_INIT;
    CHECK(report_rules_list(&b) == 0);
    const char *s = strbuf_cstr(&b);
    size_t lines = 0;
    for (const char *p = s; *p; p++) lines += *p == '\n';
    CHECK(lines == rule_count + 1);
    /* Columns: the name column is as wide as the longest name,
     * "wave-mirror-requires-repository" (31 characters). */
    CHECK(!strncmp(s, "ID      NAME                            SEVERITY FIX SUMMARY\n", 61));
    CHECK(strstr(s, "\nNFP009  wave-not-enabled                warning  yes Wave is not enabled for this launch.\n") != NULL);
    strbuf_free(&b);

    CHECK(report_rule_explain(&b, rule_find("NFP014")) == 0);
    CHECK_STR(strbuf_cstr(&b),
        "NFP014 fusion-requires-wave\n"
        "Default severity: error. Fixable: yes (nf-preflight fix).\n\n"
        "Fusion is enabled but Wave is not.\n\n"
        "Nextflow aborts the run with 'Fusion feature requires enabling Wave service'.\n\n"
        "Example:\n    fusion.enabled = true\n    wave.enabled = true   // required\n");
    strbuf_free(&b);
    CHECK(report_rule_explain(&b, NULL) == -1);
    strbuf_free(&b);

    CHECK(report_rules_markdown(&b) == 0);
    const char *md = strbuf_cstr(&b);
    /* Indented examples become fenced blocks, prose after them a new paragraph. */
    CHECK(strstr(md, "\n## NFP002 v2-incompatible\n\nDefault severity: **error**. Fixable: no.\n\n"
                     "Legacy Groovy construct that the strict (v2) config parser rejects.\n\n") != NULL);
    CHECK(strstr(md, "Example:\n\n```\ndef check_max(obj, type) { ... }   // v2: syntax error\n```\n\n"
                     "Use `process.resourceLimits`") != NULL);
    CHECK(strstr(md, "| [NFP009](#nfp009-wave-not-enabled) | `wave-not-enabled` | warning | yes | "
                     "Wave is not enabled for this launch. |\n") != NULL);

    /* docs/rules.md is committed generated text: it must equal the generator's output. */
    const char *srcdir = getenv("NFP_SRC");
    if (!srcdir) {
        printf("# skip: docs/rules.md comparison (NFP_SRC not set)\n");
    } else {
        char path[4096];
        snprintf(path, sizeof path, "%s/docs/rules.md", srcdir);
        int err = 0;
        Source *doc = source_load(path, NULL, &err);
        CHECK_MSG(doc != NULL, "cannot read %s", path);
        if (doc) {
            CHECK_MSG(doc->len == b.len && !memcmp(doc->text, md, b.len),
                      "docs/rules.md is stale: regenerate with scripts/gen-rules-md.sh");
            source_free(doc);
        }
    }
    strbuf_free(&b);
}

/* Every allocation in every format may fail: the emitter reports -1, never
 * crashes and leaks nothing (valgrind runs this too). */
static void test_oom(const DiagList *l)
{
    ReportFormat fmts[] = {REPORT_GCC, REPORT_TEXT, REPORT_JSON, REPORT_SARIF, REPORT_GITHUB};
    for (size_t f = 0; f < sizeof fmts / sizeof fmts[0]; f++) {
        int ok = 0;
        for (unsigned long n = 1; n < 10000 && !ok; n++) {
            StrBuf b = STRBUF_INIT;
            alloc_fail_at(n);
            int rc = report_emit(&b, fmts[f], l, NULL);
            int injected = alloc_failed();
            alloc_fail_at(0);
            if (!injected) {
                CHECK(rc == 0);
                ok = 1;
            } else if (rc != -1) {
                CHECK_MSG(0, "format %zu: allocation %lu failed but report_emit returned %d", f, n, rc);
                ok = 1;
            }
            strbuf_free(&b);
        }
        CHECK_MSG(ok, "format %zu never completed", f);
    }
    int ok = 0;
    for (unsigned long n = 1; n < 10000 && !ok; n++) {
        StrBuf b = STRBUF_INIT;
        alloc_fail_at(n);
        int rc = report_rules_markdown(&b);
        int injected = alloc_failed();
        alloc_fail_at(0);
        if (!injected) ok = rc == 0 ? 1 : -1;
        else if (rc != -1) ok = -1;
        strbuf_free(&b);
    }
    CHECK(ok == 1);
}

int main(void)
{
    Source *src = fixture_source(P, NULL);
    DiagList l = {0};
    CHECK(src && fixture_diags(&l, src));
    if (!src || l.len != 4) TEST_MAIN_END();
    test_gcc(&l);
    test_text(&l);
    test_text_wide_gutter();
    test_json(&l);
    test_github(&l);
    test_sarif(&l);
    test_sarif_uri();
    test_color();
    test_format_parse();
    test_rules_docs();
    test_oom(&l);
    diag_list_free(&l);
    source_free(src);
    TEST_MAIN_END();
}
