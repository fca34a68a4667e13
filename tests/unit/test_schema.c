/* Option schema: table lookups, unit-string parsing, table integrity, the
 * checker on small configs (messages, spans, exempt paths), allocation
 * failures, and a sweep over every *.config of ../shared/corpus that prints
 * the unknown-option rate and every finding, and requires the unknown-option
 * and option-type findings to equal the vetted list in
 * tests/schema/corpus_findings.txt (each one is classified in
 * docs/conformance.md (option schema section); a new finding is a false positive until
 * someone looks at it). */
#define _XOPEN_SOURCE 700
#include "tap.h"
#include "alloc.h"
#include "arena.h"
#include "diag.h"
#include "parse.h"
#include "schema.h"
#include "source.h"
#include <ftw.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ helpers */

/* Runs the checker over one config text; returns the DiagList (caller frees)
 * and the first message of `rule` in *msg (NULL if none). */
static size_t run(const char *text, DiagList *out, SchemaStats *st)
{
    Source *src = source_from_memory("t.config", NULL, text, strlen(text));
    Arena *a = arena_new();
    DiagList pd = {0};
    int nerr = 0;
    Node *tree = parse_config(a, src, &pd, &nerr);
    diag_list_free(&pd);
    memset(out, 0, sizeof *out);
    Source *srcs[1] = {src};
    Node *trees[1] = {tree};
    schema_check_trees(srcs, trees, 1, out, st);
    /* messages are owned by the list; spans refer to src, which we drop, so
       keep only what the tests read: rule and message */
    for (size_t i = 0; i < out->len; i++) out->items[i].src = NULL;
    arena_free(a);
    source_free(src);
    return out->len;
}

static const char *msg_of(const DiagList *d, const char *rule, size_t nth)
{
    for (size_t i = 0; i < d->len; i++)
        if (strcmp(d->items[i].rule, rule) == 0 && nth-- == 0) return d->items[i].message;
    return NULL;
}

static size_t count_rule(const DiagList *d, const char *rule)
{
    size_t n = 0;
    for (size_t i = 0; i < d->len; i++) n += strcmp(d->items[i].rule, rule) == 0;
    return n;
}

/* ------------------------------------------------------------ lookups */

static void test_lookup(void)
{
    const SchemaOption *o = NULL;
    size_t depth = 99;
    const char *p1[] = {"wave", "enabled"};
    CHECK(schema_lookup(p1, 2, &o, &depth) == SCHEMA_OPTION);
    CHECK(o && strcmp(o->path, "wave.enabled") == 0);
    const char *p2[] = {"process", "ext", "anything", "deeper"};
    CHECK(schema_lookup(p2, 4, &o, NULL) == SCHEMA_UNDER_MAP);
    CHECK(o && strcmp(o->path, "process.ext") == 0);
    const char *p3[] = {"wave", "build"};
    CHECK(schema_lookup(p3, 2, NULL, NULL) == SCHEMA_SCOPE);
    const char *p4[] = {"wave", "enable"};
    CHECK(schema_lookup(p4, 2, NULL, &depth) == SCHEMA_UNKNOWN);
    CHECK(depth == 1);
    const char *p5[] = {"wave", "buld", "repository"};
    CHECK(schema_lookup(p5, 3, NULL, &depth) == SCHEMA_UNKNOWN && depth == 1);
    const char *p6[] = {"azure", "batch", "pools", "mypool", "vmType"};
    CHECK(schema_lookup(p6, 5, &o, NULL) == SCHEMA_OPTION);
    const char *p7[] = {"nosuchscope", "x"};
    CHECK(schema_lookup(p7, 2, NULL, &depth) == SCHEMA_UNKNOWN && depth == 0);
    const char *p8[] = {"params", "whatever"};
    CHECK(schema_lookup(p8, 2, NULL, NULL) == SCHEMA_UNDER_MAP);
    const char *p9[] = {"workDir"};
    CHECK(schema_lookup(p9, 1, NULL, NULL) == SCHEMA_OPTION);
    CHECK_STR(schema_nextflow_version(), "26.08.0-edge (nextflow-io/nextflow 2aad02f)");

    /* children of `wave` include enabled and the build scope, once each */
    const char *kids[200];
    char buf[4096];
    const char *w[] = {"wave"};
    size_t n = schema_children(w, 1, kids, 200, buf, sizeof buf);
    int enabled = 0, build = 0;
    for (size_t i = 0; i < n; i++) {
        enabled += strcmp(kids[i], "enabled") == 0;
        build += strcmp(kids[i], "build") == 0;
    }
    CHECK(enabled == 1 && build == 1);
    /* hidden and deprecated options are never offered as suggestions */
    for (size_t i = 0; i < n; i++) {
        CHECK(strcmp(kids[i], "retry") != 0);
        CHECK(strcmp(kids[i], "tokens") != 0);
    }
}

static void test_units(void)
{
    CHECK(schema_is_memory_string("8 GB"));
    CHECK(schema_is_memory_string("8.GB"));
    CHECK(schema_is_memory_string("1.5GB"));
    CHECK(schema_is_memory_string("512"));
    CHECK(!schema_is_memory_string("lots"));
    CHECK(!schema_is_memory_string("8 parsecs"));
    CHECK(!schema_is_memory_string(""));
    CHECK(schema_is_duration_string("2h"));
    CHECK(schema_is_duration_string("1d 2h"));
    CHECK(schema_is_duration_string("30 min"));
    CHECK(schema_is_duration_string("10.m"));
    CHECK(schema_is_duration_string("2h30m"));
    CHECK(!schema_is_duration_string("forever"));
    CHECK(!schema_is_duration_string("2 GB"));
    /* the spellings Nextflow refuses (units.h): no finding-free pass for them */
    CHECK(!schema_is_memory_string("8 gb") && schema_is_memory_string("8 g") && schema_is_memory_string(" 8 GB "));
    CHECK(!schema_is_duration_string("10 secs") && !schema_is_duration_string("5 mins"));
}

/* Every path is unique, well formed, and every replacement that is written as
 * an option path names an option of the table. */
static void test_table(void)
{
    CHECK(schema_noption > 500);
    for (size_t i = 0; i < schema_noption; i++) {
        const SchemaOption *o = &schema_options[i];
        CHECK_MSG(o->path[0] && !strstr(o->path, "..") && o->path[strlen(o->path) - 1] != '.',
                  "bad path %s", o->path);
        CHECK_MSG(o->types != 0, "no types for %s", o->path);
        for (size_t j = i + 1; j < schema_noption; j++)
            CHECK_MSG(strcmp(o->path, schema_options[j].path) != 0, "duplicate %s", o->path);
        if (o->replacement && !strchr(o->replacement, ' ') && !strchr(o->replacement, '*')) {
            const char *segs[16];
            char copy[256];
            snprintf(copy, sizeof copy, "%s", o->replacement);
            size_t n = 0;
            for (char *t = strtok(copy, "."); t && n < 16; t = strtok(NULL, ".")) segs[n++] = t;
            const SchemaOption *r = NULL;
            CHECK_MSG(schema_lookup(segs, n, &r, NULL) == SCHEMA_OPTION && r && !r->deprecated,
                      "replacement of %s is not a current option: %s", o->path, o->replacement);
        }
        if (o->since) CHECK_MSG(strlen(o->since) == 5 && o->since[2] == '.', "since %s", o->since);
        /* the lookup index holds every path (its node table has room) */
        char copy[256];
        const char *segs[16];
        size_t n = 0;
        snprintf(copy, sizeof copy, "%s", o->path);
        for (char *t = copy, *dot; t && n < 16; t = dot ? dot + 1 : NULL) {
            if ((dot = strchr(t, '.'))) *dot = '\0';
            segs[n++] = t;
        }
        const SchemaOption *r = NULL;
        CHECK_MSG(schema_lookup(segs, n, &r, NULL) == SCHEMA_OPTION && r == o, "%s does not look up as itself", o->path);
    }
}

/* ------------------------------------------------------------ checker */

static void test_messages(void)
{
    DiagList d;
    run("wave.enable = true\n", &d, NULL);
    CHECK_STR(msg_of(&d, "unknown-option", 0), "unrecognized config option 'wave.enable'; did you mean 'wave.enabled'?");
    diag_list_free(&d);

    /* the finding points at the unknown segment */
    run("docker.registy = 'quay.io'\n", &d, NULL);
    CHECK(d.len == 1 && d.items[0].start == 7 && d.items[0].end == 14);
    diag_list_free(&d);

    /* a misspelled block is reported once, at its name */
    run("dockr {\n  enabled = true\n  sudo = true\n}\n", &d, NULL);
    CHECK(count_rule(&d, "unknown-option") == 1);
    CHECK(d.len == 1 && d.items[0].start == 0 && d.items[0].end == 5);
    diag_list_free(&d);

    run("process.cpus = 'four'\n", &d, NULL);
    CHECK_STR(msg_of(&d, "option-type", 0),
              "Config option 'process.cpus' with type Integer cannot be assigned to value with type String");
    diag_list_free(&d);

    run("process.accelerator = 'two'\n", &d, NULL);
    CHECK_STR(msg_of(&d, "option-type", 0),
              "Config option 'process.accelerator' cannot be assigned to value with type String -- valid types are: Integer, Map, Closure");
    diag_list_free(&d);

    /* the Wave family owns wave.enabled = 'true' */
    run("wave.enabled = 'true'\nwave { enabled = 'yes' }\n", &d, NULL);
    CHECK(d.len == 0);
    diag_list_free(&d);

    run("process.echo = true\n", &d, NULL);
    CHECK_STR(msg_of(&d, "deprecated-option", 0),
              "config option 'process.echo' is deprecated since Nextflow 22.04; use process.debug instead");
    diag_list_free(&d);

    /* compound assignment: the path is checked, the value type is not */
    run("process.clusterOptions += 1.5\nprocess.clustrOptions += '-x'\n", &d, NULL);
    CHECK(count_rule(&d, "option-type") == 0 && count_rule(&d, "unknown-option") == 1);
    diag_list_free(&d);

    /* v1 control flow at config level is walked */
    run("if (params.x) {\n  docker.enabld = true\n} else {\n  podman.enabld = true\n}\n", &d, NULL);
    CHECK(count_rule(&d, "unknown-option") == 2);
    diag_list_free(&d);
}

static void test_exempt(void)
{
    SchemaStats st = {0};
    DiagList d;
    run("params.foo = 1\n"
        "env.BAR = 'x'\n"
        "process.ext.whatever = 1\n"
        "process { withName: 'A' { ext.args = '-v'; cpus = 2 } }\n"
        "process.'withLabel:big'.memory = 2.GB\n"
        "process.$old.cpus = 1\n"
        "executor.$lsf.perJobMemLimit = true\n"
        "profiles { p { docker.enabled = true } }\n"
        "myplugin.option = 1\n"
        "plugins { id 'nf-tracer' }\n"
        "tracer.enabled = true\n",
        &d, &st);
    CHECK_MSG(d.len == 0, "%zu findings, first: %s", d.len, d.len ? d.items[0].message : "");
    CHECK(st.assignments == 11);
    /* checked: the selector cpus, withLabel memory, process.$old.cpus,
       executor perJobMemLimit, profile docker.enabled */
    CHECK_MSG(st.checked == 5, "checked %zu", st.checked);
    diag_list_free(&d);

    /* without the plugin, `tracer` is close to `trace` and reported */
    run("tracer.enabled = true\n", &d, NULL);
    CHECK_STR(msg_of(&d, "unknown-option", 0), "unrecognized config option 'tracer.enabled'; did you mean 'trace.enabled'?");
    diag_list_free(&d);
}

/* Every allocation failure is survived: the checker returns -1 or completes,
 * and nothing leaks (valgrind runs of the suite watch the latter). */
static void test_oom(void)
{
    const char *text = "wave.enable = true\nprocess.cpus = 'x'\nmanifest.author = 'a'\n";
    Source *src = source_from_memory("t.config", NULL, text, strlen(text));
    Arena *a = arena_new();
    DiagList pd = {0};
    int nerr = 0;
    Node *tree = parse_config(a, src, &pd, &nerr);
    diag_list_free(&pd);
    Source *srcs[1] = {src};
    Node *trees[1] = {tree};
    int completed = 0;
    for (unsigned long n = 1; n < 200 && !completed; n++) {
        DiagList d = {0};
        alloc_fail_at(n);
        int rc = schema_check_trees(srcs, trees, 1, &d, NULL);
        int failed = alloc_failed();
        alloc_fail_at(0);
        if (!failed) {
            CHECK(rc == 0 && d.len == 3);
            completed = 1;
        } else {
            CHECK(rc == -1 && d.oom);
        }
        diag_list_free(&d);
    }
    CHECK(completed);
    arena_free(a);
    source_free(src);
}

/* ------------------------------------------------------------ corpus */

static const char *corpus_root;
static size_t corpus_files;
static SchemaStats corpus_stats;
static char **found;          /* "relpath:line:col: rule" */
static size_t nfound, capfound;
static size_t nfcore_configs_unknown;

static int ends_with(const char *s, const char *suf)
{
    size_t n = strlen(s), m = strlen(suf);
    return n >= m && strcmp(s + n - m, suf) == 0;
}

static int visit(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void)st; (void)ftw;
    if (type != FTW_F || !ends_with(path, ".config")) return 0;
    int err;
    Source *src = source_load(path, NULL, &err);
    if (!src) return 0;
    corpus_files++;
    Arena *a = arena_new();
    DiagList pd = {0}, d = {0};
    int nerr = 0;
    Node *tree = parse_config(a, src, &pd, &nerr);
    Source *srcs[1] = {src};
    Node *trees[1] = {tree};
    schema_check_trees(srcs, trees, 1, &d, &corpus_stats);
    const char *rel = path + strlen(corpus_root) + 1;
    for (size_t i = 0; i < d.len; i++) {
        unsigned line, col;
        source_linecol(src, d.items[i].start, &line, &col);
        printf("  %s:%u:%u: %s: %s [%s]\n", rel, line, col, severity_name(d.items[i].sev),
               d.items[i].message, d.items[i].rule);
        if (strcmp(d.items[i].rule, "deprecated-option") == 0) continue;
        if (strncmp(rel, "nf-core__configs/", 17) == 0) nfcore_configs_unknown++;
        if (nfound == capfound) {
            capfound = capfound ? capfound * 2 : 64;
            found = realloc(found, capfound * sizeof *found);
        }
        char line_buf[1024];
        snprintf(line_buf, sizeof line_buf, "%s:%u:%u: %s", rel, line, col, d.items[i].rule);
        found[nfound++] = strdup(line_buf);
    }
    diag_list_free(&pd);
    diag_list_free(&d);
    arena_free(a);
    source_free(src);
    return 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void test_corpus(void)
{
    const char *shared = getenv("NFP_SHARED");
    const char *srcdir = getenv("NFP_SRC");
    static char dir[4096];
    snprintf(dir, sizeof dir, "%s/corpus", shared ? shared : "../shared");
    struct stat st;
    if (stat(dir, &st) != 0) {
        printf("corpus sweep skipped: no corpus at %s\n", dir);
        return;
    }
    corpus_root = dir;
    printf("findings over the corpus:\n");
    nftw(dir, visit, 32, FTW_PHYS);
    size_t unknown = corpus_stats.unknown;
    printf("corpus: %zu config files, %zu assignments, %zu checked against the schema; "
           "unknown-option %zu (rate %.3f%% of checked), option-type %zu, deprecated-option %zu\n",
           corpus_files, corpus_stats.assignments, corpus_stats.checked, unknown,
           corpus_stats.checked ? 100.0 * (double)unknown / (double)corpus_stats.checked : 0.0,
           corpus_stats.type, corpus_stats.deprecated);
    CHECK(corpus_files > 500);
    CHECK(corpus_stats.checked > 5000);

    /* the vetted list: every warning must be in it and every entry must still occur */
    char listpath[4096];
    snprintf(listpath, sizeof listpath, "%s/tests/schema/corpus_findings.txt", srcdir ? srcdir : ".");
    FILE *f = fopen(listpath, "r");
    CHECK_MSG(f != NULL, "cannot read %s", listpath);
    char **want = NULL;
    size_t nwant = 0, capwant = 0;
    char buf[1024];
    while (f && fgets(buf, sizeof buf, f)) {
        buf[strcspn(buf, "\r\n")] = '\0';
        if (!buf[0] || buf[0] == '#') continue;
        if (nwant == capwant) {
            capwant = capwant ? capwant * 2 : 64;
            want = realloc(want, capwant * sizeof *want);
        }
        want[nwant++] = strdup(buf);
    }
    if (f) fclose(f);
    qsort(found, nfound, sizeof *found, cmp_str);
    qsort(want, nwant, sizeof *want, cmp_str);
    for (size_t i = 0; i < nfound; i++) {
        int ok = bsearch(&found[i], want, nwant, sizeof *want, cmp_str) != NULL;
        CHECK_MSG(ok, "new finding (false positive until classified in docs/conformance.md (option schema section)): %s", found[i]);
    }
    for (size_t i = 0; i < nwant; i++) {
        int ok = bsearch(&want[i], found, nfound, sizeof *found, cmp_str) != NULL;
        CHECK_MSG(ok, "listed finding no longer reported: %s", want[i]);
    }
    printf("nf-core/configs: %zu unknown-option/option-type findings (each must be in the vetted list)\n",
           nfcore_configs_unknown);
    for (size_t i = 0; i < nwant; i++) free(want[i]);
    free(want);
    for (size_t i = 0; i < nfound; i++) free(found[i]);
    free(found);
}

int main(void)
{
    test_lookup();
    test_units();
    test_table();
    test_messages();
    test_exempt();
    test_oom();
    test_corpus();
    TEST_MAIN_END();
}
