/* Settings: every key, exact error positions for bad files, discovery in a
 * temporary directory tree, applying to a diagnostic list, and allocation
 * failures at every step. */
#include "alloc.h"
#include "diag.h"
#include "rules.h"
#include "settings.h"
#include "source.h"
#include "strbuf.h"
#include "tap.h"
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char FULL[] =
    "# every key\n"
    "rules:\n"
    "  wave-not-enabled: error\n"
    "  NFP013: off\n"
    "  syntax-error: error\n"
    "ignore: [dynamic-value, NFP027]\n"
    "per-file-ignores:\n"
    "  \"conf/*.config\": [unknown-option]\n"
    "  test.config:\n"
    "    - option-type\n"
    "fail-on: warning\n"
    "profiles: [docker, test]\n"
    "credentials:\n"
    "  - ~/.config/registries.json\n"
    "registries:\n"
    "  public: [quay.io, ghcr.io]\n"
    "  private: [registry.example.org:5000]\n"
    "platform:\n"
    "  endpoint: https://api.cloud.seqera.io\n"
    "  workspace: 1234567890\n";

static size_t idx_of(const char *name) { return (size_t)(rule_find(name) - rule_table); }

static void test_full(void)
{
    Settings *s = NULL;
    char *err = NULL;
    CHECK(settings_parse("cfg/.nf-preflight.yml", FULL, sizeof FULL - 1, &s, &err) == 0);
    CHECK(err == NULL);
    if (!s) return;
    CHECK_STR(s->path, "cfg/.nf-preflight.yml");
    CHECK_STR(s->dir, "cfg");
    CHECK(s->rule_sev[idx_of("wave-not-enabled")] == SEV_ERROR);
    CHECK(s->rule_sev[idx_of("deprecated-option")] == SEV_NONE);
    CHECK(s->rule_sev[idx_of("syntax-error")] == SEV_ERROR);
    CHECK(s->rule_sev[idx_of("unknown-option")] == DIAG_DEFAULT_SEV);
    CHECK(s->ignored[idx_of("dynamic-value")] && s->ignored[idx_of("unused-suppression")]);
    CHECK(!s->ignored[idx_of("wave-not-enabled")]);
    CHECK(s->nper_file == 2);
    if (s->nper_file == 2) {
        CHECK_STR(s->per_file[0].glob, "conf/*.config");
        CHECK(s->per_file[0].rules[idx_of("unknown-option")] && !s->per_file[0].rules[idx_of("option-type")]);
        CHECK_STR(s->per_file[1].glob, "test.config");
        CHECK(s->per_file[1].rules[idx_of("option-type")]);
    }
    CHECK(s->fail_on == SEV_WARNING);
    CHECK(s->profiles.len == 2 && !strcmp(s->profiles.items[0], "docker") && !strcmp(s->profiles.items[1], "test"));
    CHECK(s->credentials.len == 1 && !strcmp(s->credentials.items[0], "~/.config/registries.json"));
    CHECK(s->public_registries.len == 2 && !strcmp(s->public_registries.items[1], "ghcr.io"));
    CHECK(s->private_registries.len == 1 && !strcmp(s->private_registries.items[0], "registry.example.org:5000"));
    CHECK_STR(s->platform_endpoint, "https://api.cloud.seqera.io");
    CHECK_STR(s->platform_workspace, "1234567890");
    settings_free(s);
}

static void test_defaults(void)
{
    const char *texts[] = {"", "# just a comment\n", "---\n", "ignore:\nprofiles: ~\n"};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        Settings *s = NULL;
        char *err = NULL;
        CHECK_MSG(settings_parse("d.yml", texts[i], strlen(texts[i]), &s, &err) == 0, "text %zu: %s", i,
                  err ? err : "(oom)");
        if (s) {
            CHECK(s->fail_on == SEV_ERROR && s->nper_file == 0 && s->profiles.len == 0 && !s->platform_endpoint);
            for (size_t r = 0; r < rule_count; r++) CHECK(s->rule_sev[r] == DIAG_DEFAULT_SEV && !s->ignored[r]);
        }
        settings_free(s);
        np_free(err);
    }
    /* No file at all: the same defaults. */
    Settings *d = settings_new();
    CHECK(d && d->fail_on == SEV_ERROR && !d->path);
    settings_free(d);
}

/* Each bad file and the exact message, with 1-based line and column of the
 * offending key or value. */
static void test_errors(void)
{
    static const struct { const char *text, *message; } cases[] = {
        {"rules: {}\nfoo: 1\n", "s.yml:2:1: unknown key 'foo' in settings"},
        {"registries:\n  public: [a]\n  secret: [b]\n", "s.yml:3:3: unknown key 'registries.secret' in settings"},
        {"platform:\n  token: x\n", "s.yml:2:3: unknown key 'platform.token' in settings"},
        {"platform:\n  endpoint: ftp://x\n", "s.yml:2:13: 'platform.endpoint' must be an http:// or https:// URL"},
        {"platform: {workspace: abc}\n", "s.yml:1:23: 'platform.workspace' must be a numeric workspace id"},
        {"rules:\n  wave-not-enable: error\n", "s.yml:2:3: unknown rule 'wave-not-enable' in settings"},
        {"rules:\n  NFP009: loud\n",
         "s.yml:2:11: invalid severity 'loud' for rule 'NFP009' (expected error, warning, info or off)"},
        {"rules:\n  NFP009: [error]\n",
         "s.yml:2:11: invalid severity 'a list' for rule 'NFP009' (expected error, warning, info or off)"},
        {"rules: {syntax-error: off}\n", "s.yml:1:23: rule 'syntax-error' is always an error"},
        {"rules: [a]\n", "s.yml:1:8: 'rules' must be a mapping of rule: severity, not a list"},
        {"ignore:\n  - syntax-error\n", "s.yml:2:5: rule 'syntax-error' cannot be ignored"},
        {"ignore: [NFP999]\n", "s.yml:1:10: unknown rule 'NFP999' in settings"},
        {"per-file-ignores:\n  '*.config': unknown-option\n",
         "s.yml:2:15: 'per-file-ignores' must be a list of rules, not a scalar"},
        {"per-file-ignores:\n  x.config: [NFP001]\n", "s.yml:2:14: rule 'syntax-error' cannot be ignored"},
        {"fail-on: off\n", "s.yml:1:10: invalid value 'off' for 'fail-on' (expected error, warning or info)"},
        {"fail-on: error\nfail-on: info\n", "s.yml:2:1: duplicate key 'fail-on' in settings"},
        {"- a\n", "s.yml:1:1: settings must be a mapping, not a list"},
        {"profiles: docker\n", "s.yml:1:11: 'profiles' must be a list of strings, not a scalar"},
        {"credentials: [[a]]\n", "s.yml:1:15: 'credentials' must be a list of strings"},
        {"? [a]\n: 1\n", "s.yml:1:3: mapping keys that are collections are not supported"},
        {"fail-on: info\n---\nfoo: 1\n", "s.yml:2:1: more than one YAML document in the stream"},
        /* YAML syntax errors are data.c's (libyaml's problem and position). */
        {"rules: [a\n", "s.yml:2:1: did not find expected ',' or ']' (while parsing a flow sequence at 1:8)"},
        {"a: 'x\n", "s.yml:2:1: found unexpected end of stream (while scanning a quoted scalar at 1:4)"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        Settings *s = NULL;
        char *err = NULL;
        int rc = settings_parse("s.yml", cases[i].text, strlen(cases[i].text), &s, &err);
        CHECK_MSG(rc == -1 && s == NULL, "case %zu parsed", i);
        CHECK_STR(err, cases[i].message);
        np_free(err);
        settings_free(s);
    }
}

static void test_load(void)
{
    Settings *s = NULL;
    char *err = NULL;
    CHECK(settings_load("/nonexistent-dir/.nf-preflight.yml", &s, &err) == -1);
    CHECK_STR(err, "/nonexistent-dir/.nf-preflight.yml: cannot read settings: no such file");
    np_free(err);
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    CHECK_MSG(f != NULL, "cannot create %s", path);
    if (!f) return;
    fputs(text, f);
    fclose(f);
}

static char *join(const char *a, const char *b)
{
    StrBuf sb = STRBUF_INIT;
    strbuf_printf(&sb, "%s/%s", a, b);
    return strbuf_take(&sb);
}

static char *make_tmpdir(void)
{
    const char *t = getenv("TMPDIR");
    char *tmpl = join(t && *t ? t : "/tmp", "nfp-settings-XXXXXX");
    if (!mkdtemp(tmpl)) { np_free(tmpl); return NULL; }
    /* Compare with resolved paths: settings_find returns real paths. */
    char real[PATH_MAX];
    char *r = realpath(tmpl, real) ? np_strdup(real) : NULL;
    np_free(tmpl);
    return r;
}

/* Expect settings_find(start) to find `want` (NULL: nothing). */
static void expect_find(const char *start, const char *want, int line)
{
    char *found = NULL;
    int rc = settings_find(start, &found);
    if (want) {
        CHECK_MSG(rc == 1 && found && !strcmp(found, want), "line %d: found %s, want %s", line,
                  found ? found : "(none)", want);
    } else {
        CHECK_MSG(rc == 0 && !found, "line %d: found %s, want none", line, found ? found : "(none)");
    }
    np_free(found);
}

static void rm_rf(const char *dir)
{
    StrBuf cmd = STRBUF_INIT;
    strbuf_printf(&cmd, "rm -rf '%s'", dir);
    if (system(strbuf_cstr(&cmd)) != 0) fprintf(stderr, "# could not remove %s\n", dir);
    strbuf_free(&cmd);
}

/* Tree:  T/outer/.nf-preflight.yml          (above the repository: never used)
 *        T/outer/repo/.git/                 (repository root)
 *        T/outer/repo/a/b/c/                (start)
 * Files are added step by step; the closest one wins, .yml before .yaml. */
static void test_find(void)
{
    char *t = make_tmpdir();
    CHECK(t != NULL);
    if (!t) return;
    char *outer = join(t, "outer"), *repo = join(outer, "repo"), *git = join(repo, ".git");
    char *a = join(repo, "a"), *b = join(a, "b"), *c = join(b, "c");
    mkdir(outer, 0700); mkdir(repo, 0700); mkdir(git, 0700); mkdir(a, 0700); mkdir(b, 0700); mkdir(c, 0700);
    char *outer_cfg = join(outer, ".nf-preflight.yml");
    write_file(outer_cfg, "fail-on: info\n");

    expect_find(c, NULL, __LINE__);                    /* stops at the repo root */

    char *repo_cfg = join(repo, ".nf-preflight.yaml");
    write_file(repo_cfg, "");
    expect_find(c, repo_cfg, __LINE__);                /* .yaml is accepted */
    expect_find(repo, repo_cfg, __LINE__);             /* the start dir itself is searched */

    char *a_cfg = join(a, ".nf-preflight.yml");
    write_file(a_cfg, "");
    expect_find(c, a_cfg, __LINE__);                   /* closer file wins */

    char *a_yaml = join(a, ".nf-preflight.yaml");
    write_file(a_yaml, "");
    expect_find(b, a_cfg, __LINE__);                   /* .yml before .yaml in one dir */

    char *file = join(c, "nextflow.config");
    write_file(file, "");
    expect_find(file, a_cfg, __LINE__);                /* a file starts at its directory */

    /* A directory named like the settings file is not a settings file. */
    char *b_cfgdir = join(b, ".nf-preflight.yml");
    mkdir(b_cfgdir, 0700);
    expect_find(c, a_cfg, __LINE__);

    /* .git as a file (worktrees, submodules) also marks the root. */
    char *sub = join(c, "sub"), *subgit = join(sub, ".git");
    mkdir(sub, 0700);
    write_file(subgit, "gitdir: elsewhere\n");
    expect_find(sub, NULL, __LINE__);

    /* Relative start directory. */
    char cwd[PATH_MAX];
    if (getcwd(cwd, sizeof cwd) && chdir(b) == 0) {
        expect_find("c", a_cfg, __LINE__);
        expect_find(".", a_cfg, __LINE__);
        CHECK(chdir(cwd) == 0);
    }
    expect_find("/nonexistent-nfp-dir/x", NULL, __LINE__);

    rm_rf(t);
    np_free(t); np_free(outer); np_free(repo); np_free(git); np_free(a); np_free(b); np_free(c);
    np_free(outer_cfg); np_free(repo_cfg); np_free(a_cfg); np_free(a_yaml); np_free(file);
    np_free(b_cfgdir); np_free(sub); np_free(subgit);
}

static size_t count_rule(const DiagList *l, const char *rule)
{
    size_t n = 0;
    for (size_t i = 0; i < l->len; i++) n += !strcmp(l->items[i].rule, rule);
    return n;
}

static void test_apply(void)
{
    Settings *s = NULL;
    char *err = NULL;
    /* Settings file at /proj/.nf-preflight.yml: globs are relative to /proj. */
    CHECK(settings_parse("/proj/.nf-preflight.yml", FULL, sizeof FULL - 1, &s, &err) == 0);
    if (!s) return;
    Source *main_cfg = source_from_memory("main.config", "/proj/main.config", "x\n", 2);
    Source *conf_cfg = source_from_memory("conf/x.config", "/proj/conf/x.config", "x\n", 2);
    Source *deep = source_from_memory("conf/d/y.config", "/proj/conf/d/y.config", "x\n", 2);
    Source *test_cfg = source_from_memory("sub/test.config", "/proj/sub/test.config", "x\n", 2);
    Source *other = source_from_memory("/other/conf/x.config", "/other/conf/x.config", "x\n", 2);
    DiagList l = {0};
    diag_add(&l, main_cfg, 0, 1, DIAG_DEFAULT_SEV, RULE_SYNTAX_ERROR, "kept, never changed");
    diag_add(&l, main_cfg, 0, 1, DIAG_DEFAULT_SEV, RULE_WAVE_NOT_ENABLED, "raised to error");
    Diag *fix = diag_add(&l, main_cfg, 0, 1, DIAG_DEFAULT_SEV, RULE_DEPRECATED_OPTION, "off");
    diag_add_edit(&l, fix, 0, 1, "y");                 /* dropped with its edit (valgrind) */
    diag_add(&l, main_cfg, 0, 1, DIAG_DEFAULT_SEV, RULE_DYNAMIC_VALUE, "ignored");
    diag_add(&l, conf_cfg, 0, 1, DIAG_DEFAULT_SEV, RULE_UNKNOWN_OPTION, "per-file: conf/*.config");
    diag_add(&l, deep, 0, 1, DIAG_DEFAULT_SEV, RULE_UNKNOWN_OPTION, "per-file: '*' crosses '/'");
    diag_add(&l, main_cfg, 0, 1, DIAG_DEFAULT_SEV, RULE_UNKNOWN_OPTION, "kept: main.config");
    diag_add(&l, other, 0, 1, DIAG_DEFAULT_SEV, RULE_UNKNOWN_OPTION, "kept: outside /proj");
    diag_add(&l, test_cfg, 0, 1, DIAG_DEFAULT_SEV, RULE_OPTION_TYPE, "per-file: basename glob");
    diag_add(&l, NULL, 0, 0, DIAG_DEFAULT_SEV, RULE_OPTION_TYPE, "no source: matched by path");
    diag_add(&l, conf_cfg, 0, 1, DIAG_DEFAULT_SEV, RULE_OPTION_TYPE, "kept: other rule");
    CHECK(l.len == 11);
    size_t dropped = settings_apply(s, &l, "/proj/test.config");
    CHECK(dropped == 6);
    CHECK(l.len == 5);
    CHECK(count_rule(&l, "syntax-error") == 1 && l.items[0].sev == SEV_ERROR);
    CHECK(count_rule(&l, "wave-not-enabled") == 1 && l.items[1].sev == SEV_ERROR);
    CHECK(count_rule(&l, "deprecated-option") == 0 && count_rule(&l, "dynamic-value") == 0);
    CHECK(count_rule(&l, "unknown-option") == 2);
    CHECK(l.len > 3 && !strcmp(l.items[2].message, "kept: main.config") &&
          !strcmp(l.items[3].message, "kept: outside /proj"));
    CHECK(l.len > 4 && !strcmp(l.items[4].message, "kept: other rule") && l.items[4].sev == SEV_WARNING);

    /* Without a path, a source-less diagnostic matches no glob. */
    diag_add(&l, NULL, 0, 0, DIAG_DEFAULT_SEV, RULE_OPTION_TYPE, "no source, no path");
    CHECK(settings_apply(s, &l, NULL) == 0 && l.len == 6);
    diag_list_free(&l);
    settings_free(s);

    /* Relative names: settings in the cwd, sources given relative to it. */
    s = NULL;
    CHECK(settings_parse(".nf-preflight.yml", FULL, sizeof FULL - 1, &s, &err) == 0);
    Source *rel = source_from_memory("conf/z.config", "conf/z.config", "x\n", 2);
    Source *dotrel = source_from_memory("./conf/z.config", "./conf/z.config", "x\n", 2);
    diag_add(&l, rel, 0, 1, DIAG_DEFAULT_SEV, RULE_UNKNOWN_OPTION, "dropped");
    diag_add(&l, dotrel, 0, 1, DIAG_DEFAULT_SEV, RULE_UNKNOWN_OPTION, "dropped");
    CHECK(settings_apply(s, &l, NULL) == 2 && l.len == 0);
    diag_list_free(&l);
    settings_free(s);

    /* NULL settings change nothing. */
    diag_add(&l, NULL, 0, 0, DIAG_DEFAULT_SEV, RULE_DYNAMIC_VALUE, "x");
    CHECK(settings_apply(NULL, &l, NULL) == 0 && l.len == 1);
    diag_list_free(&l);

    source_free(main_cfg); source_free(conf_cfg); source_free(deep); source_free(test_cfg);
    source_free(other); source_free(rel); source_free(dotrel);
    np_free(err);
}

static void test_fails(void)
{
    CHECK(settings_fails(NULL, SEV_ERROR) && !settings_fails(NULL, SEV_WARNING));
    Settings *s = settings_new();
    if (!s) { CHECK(0); return; }
    CHECK(settings_fails(s, SEV_ERROR) && !settings_fails(s, SEV_WARNING) && !settings_fails(s, SEV_INFO));
    s->fail_on = SEV_INFO;
    CHECK(settings_fails(s, SEV_ERROR) && settings_fails(s, SEV_WARNING) && settings_fails(s, SEV_INFO));
    CHECK(!settings_fails(s, SEV_NONE));
    settings_free(s);
}

/* Every allocation of a full parse may fail: -1 with no message (out of
 * memory), or success; never a crash or leak. An invalid file under the same
 * torture yields either its message or none. */
static void test_oom(void)
{
    const char *bad = "rules:\n  NFP009: loud\n";
    const char *texts[] = {FULL, bad};
    for (size_t t = 0; t < 2; t++) {
        int done = 0;
        for (unsigned long n = 1; n < 5000 && !done; n++) {
            Settings *s = NULL;
            char *err = NULL;
            alloc_fail_at(n);
            int rc = settings_parse("/p/s.yml", texts[t], strlen(texts[t]), &s, &err);
            int injected = alloc_failed();
            alloc_fail_at(0);
            if (!injected) {
                CHECK(t == 0 ? rc == 0 : (rc == -1 && err != NULL));
                done = 1;
            } else {
                CHECK_MSG(rc == -1 && s == NULL, "text %zu: allocation %lu failed, rc %d", t, n, rc);
                if (err) CHECK(t == 1);
            }
            settings_free(s);
            np_free(err);
        }
        CHECK(done);
    }
}

int main(void)
{
    test_full();
    test_defaults();
    test_errors();
    test_load();
    test_find();
    test_apply();
    test_fails();
    test_oom();
    TEST_MAIN_END();
}
