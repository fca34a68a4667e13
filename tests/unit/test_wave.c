/* wave_check: which rule fires for which config, where it points, the edits
 * it carries, the profiles it names and the Platform-token rules. */
#include "alloc.h"
#include "checks.h"
#include "resolve.h"
#include "tap.h"

#include <string.h>

typedef struct Run {
    Config *cfg;
    DiagList d;
} Run;

static void run_check(Run *r, const char *text, const char *const *env, size_t nenv,
                      const char *const *profiles, size_t np, int verbose)
{
    Layer L;
    memset(&L, 0, sizeof L);
    L.text = text;
    L.len = strlen(text);
    L.name = "w.config";
    ResolveOptions o;
    memset(&o, 0, sizeof o);
    o.clean_env = 1;
    o.env = env;
    o.nenv = nenv;
    o.profiles = profiles;
    o.nprofiles = np;
    o.profiles_given = np > 0;
    memset(r, 0, sizeof *r);
    r->cfg = resolve_config(&L, 1, &o, &r->d);
    Settings *s = settings_new();
    CheckInput in = {.cfg = r->cfg, .settings = s, .verbose = verbose};
    wave_check(&in, &r->d);
    settings_free(s);
}

static void run_free(Run *r)
{
    diag_list_free(&r->d);
    config_free(r->cfg);
}

static const Diag *find(const Run *r, const char *rule)
{
    for (size_t i = 0; i < r->d.len; i++)
        if (!strcmp(r->d.items[i].rule, rule)) return &r->d.items[i];
    return NULL;
}

static size_t count(const Run *r, const char *rule)
{
    size_t n = 0;
    for (size_t i = 0; i < r->d.len; i++) n += !strcmp(r->d.items[i].rule, rule);
    return n;
}

static void test_not_enabled(void)
{
    Run r;
    /* absent: points at the start of the file and carries the append edit */
    run_check(&r, "a = 1\n", NULL, 0, NULL, 0, 0);
    const Diag *d = find(&r, "wave-not-enabled");
    CHECK(d && d->start == 0 && d->sev == SEV_WARNING);
    CHECK(d && d->nedits == 1 && d->edits[0].start == 6 && !strcmp(d->edits[0].text, "\nwave {\n    enabled = true\n}\n"));
    CHECK(find(&r, "wave-status") == NULL);            /* only with verbose */
    run_free(&r);
    /* false: points at the assignment and flips it */
    run_check(&r, "a = 1\nwave.enabled = false\n", NULL, 0, NULL, 0, 1);
    d = find(&r, "wave-not-enabled");
    CHECK(d && d->start == 6 && d->end == 26);
    CHECK(d && d->nedits == 1 && d->edits[0].start == 21 && d->edits[0].end == 26 && !strcmp(d->edits[0].text, "true"));
    d = find(&r, "wave-status");
    CHECK(d && strstr(d->message, "w.config:2"));
    run_free(&r);
    /* on: nothing but the token info */
    run_check(&r, "wave.enabled = true\ntower.accessToken = 'x'\n", NULL, 0, NULL, 0, 0);
    CHECK(r.d.len == 0);
    run_free(&r);
}

static void test_profiles_named(void)
{
    Run r;
    /* dotted, block, legacy-command and if-branch forms all count; a profile
     * that sets false does not; the selected one is not named */
    const char *text =
        "profiles {\n"
        "  a { wave.enabled = true }\n"
        "  b { wave { enabled = true } }\n"
        "  c { wave.enabled = false }\n"
        "  d { process.cpus = 1 }\n"
        "}\n";
    const char *sel[] = {"d"};
    run_check(&r, text, NULL, 0, sel, 1, 0);
    const Diag *d = find(&r, "wave-not-enabled");
    CHECK(d && strstr(d->message, "profiles 'a' and 'b' turn it on: add -profile a, or run with -with-wave"));
    CHECK(d && !strstr(d->message, "'c'"));
    run_free(&r);
    /* selecting one of them turns Wave on: no wave-not-enabled */
    const char *sel_a[] = {"a"};
    run_check(&r, text, NULL, 0, sel_a, 1, 0);
    CHECK(find(&r, "wave-not-enabled") == NULL);
    run_free(&r);
}

static void test_not_boolean_and_dynamic(void)
{
    Run r;
    run_check(&r, "wave.enabled = 'true'\n", NULL, 0, NULL, 0, 0);
    const Diag *d = find(&r, "wave-enabled-not-boolean");
    CHECK(d && d->sev == SEV_ERROR && d->nedits == 1 && !strcmp(d->edits[0].text, "true"));
    CHECK(find(&r, "wave-not-enabled") == NULL);       /* one finding for one problem */
    run_free(&r);
    /* 'false' keeps its meaning in the suggested edit */
    run_check(&r, "wave.enabled = 'false'\n", NULL, 0, NULL, 0, 0);
    d = find(&r, "wave-enabled-not-boolean");
    CHECK(d && d->nedits == 1 && !strcmp(d->edits[0].text, "false"));
    run_free(&r);
    /* dynamic: says so, and no false wave-not-enabled */
    run_check(&r, "wave.enabled = unknownThing\nfusion.enabled = true\n", NULL, 0, NULL, 0, 0);
    CHECK(find(&r, "dynamic-value") != NULL);
    CHECK(find(&r, "wave-not-enabled") == NULL);
    CHECK(find(&r, "fusion-requires-wave") == NULL);
    run_free(&r);
}

static void test_fusion(void)
{
    Run r;
    run_check(&r, "fusion.enabled = true\n", NULL, 0, NULL, 0, 0);
    const Diag *d = find(&r, "fusion-requires-wave");
    CHECK(d && d->start == 0 && d->end == 21 && d->nedits == 1);
    run_free(&r);
    /* NXF_DISABLE_WAVE_SERVICE removes the requirement */
    const char *env[] = {"NXF_DISABLE_WAVE_SERVICE=1"};
    run_check(&r, "fusion.enabled = true\n", env, 1, NULL, 0, 0);
    CHECK(find(&r, "fusion-requires-wave") == NULL);
    run_free(&r);
    /* and turns Wave off even when enabled */
    run_check(&r, "wave.enabled = true\n", env, 1, NULL, 0, 0);
    d = find(&r, "wave-not-enabled");
    CHECK(d && strstr(d->message, "NXF_DISABLE_WAVE_SERVICE"));
    run_free(&r);
}

static void test_settings_rules(void)
{
    Run r;
    run_check(&r, "wave { enabled = true; freeze = true; mirror = true; strategy = 'conda, spack' }\n"
                  "tower.accessToken = 't'\n", NULL, 0, NULL, 0, 0);
    /* Nextflow stops at mirror + freeze before any request reaches the Wave
       service, whose repository rule wave-freeze-requires-repository predicts */
    CHECK(count(&r, "wave-freeze-requires-repository") == 0);
    CHECK(count(&r, "wave-mirror-requires-repository") == 1);
    CHECK(count(&r, "wave-mirror-freeze-conflict") == 1);
    CHECK(count(&r, "wave-invalid-strategy") == 1);     /* spack only; ' conda' is trimmed */
    run_free(&r);
    /* with a repository: only the conflict remains */
    run_check(&r, "wave { enabled = true; freeze = true; mirror = true; build.repository = 'quay.io/o/r' }\n"
                  "tower.accessToken = 't'\n", NULL, 0, NULL, 0, 0);
    CHECK(r.d.len == 1 && count(&r, "wave-mirror-freeze-conflict") == 1);
    run_free(&r);
    /* Wave off: its settings are inert and not reported */
    run_check(&r, "wave { freeze = true; strategy = 'nope' }\n", NULL, 0, NULL, 0, 0);
    CHECK(count(&r, "wave-freeze-requires-repository") == 0 && count(&r, "wave-invalid-strategy") == 0);
    run_free(&r);
    run_check(&r, "wave { enabled = true; build.repository = 'oras://x.io/r' }\ntower.accessToken = 't'\n", NULL, 0, NULL, 0, 0);
    const Diag *d = find(&r, "wave-repository-has-scheme");
    CHECK(d && strstr(d->message, "'x.io/r'"));
    run_free(&r);
}

static void test_token(void)
{
    Run r;
    const char *with_env[] = {"TOWER_ACCESS_TOKEN=abc"};
    run_check(&r, "wave.enabled = true\n", with_env, 1, NULL, 0, 0);
    CHECK(find(&r, "wave-platform-token-missing") == NULL);
    run_free(&r);
    run_check(&r, "wave.enabled = true\n", NULL, 0, NULL, 0, 0);
    const Diag *d = find(&r, "wave-platform-token-missing");
    CHECK(d && d->sev == SEV_INFO);
    run_free(&r);
    /* a Platform run: only the environment counts */
    const char *platform[] = {"TOWER_WORKFLOW_ID=abc"};
    run_check(&r, "wave.enabled = true\ntower.accessToken = 'x'\n", platform, 1, NULL, 0, 0);
    d = find(&r, "wave-platform-token-missing");
    CHECK(d && strstr(d->message, "ignored"));
    run_free(&r);
    const char *platform_env[] = {"TOWER_WORKFLOW_ID=abc", "TOWER_ACCESS_TOKEN=t"};
    run_check(&r, "wave.enabled = true\n", platform_env, 2, NULL, 0, 0);
    CHECK(find(&r, "wave-platform-token-missing") == NULL);
    run_free(&r);
    /* the config key wins over the environment, even when empty */
    run_check(&r, "wave.enabled = true\ntower.accessToken = ''\n", with_env, 1, NULL, 0, 0);
    CHECK(find(&r, "wave-platform-token-missing") != NULL);
    run_free(&r);
    /* a private registry makes it a warning */
    run_check(&r, "wave.enabled = true\nprocess.container = '123456789012.dkr.ecr.us-east-1.amazonaws.com/a:1'\n",
              NULL, 0, NULL, 0, 0);
    d = find(&r, "wave-platform-token-missing");
    CHECK(d && d->sev == SEV_WARNING);
    run_free(&r);
}

/* Every allocation may fail: no crash, and the list says it is incomplete. */
static void test_alloc_failures(void)
{
    int done = 0;
    for (unsigned long n = 1; n < 3000 && !done; n++) {
        Run r;
        alloc_fail_at(n);
        run_check(&r, "fusion.enabled = true\nprofiles { a { wave.enabled = true } }\n", NULL, 0, NULL, 0, 1);
        int failed = alloc_failed();
        alloc_fail_at(0);
        if (!failed) {
            done = 1;
            CHECK(find(&r, "fusion-requires-wave") && find(&r, "wave-not-enabled"));
        }
        run_free(&r);
    }
    CHECK(done);
}

int main(void)
{
    test_not_enabled();
    test_profiles_named();
    test_not_boolean_and_dynamic();
    test_fusion();
    test_settings_rules();
    test_token();
    test_alloc_failures();
    TEST_MAIN_END();
}
