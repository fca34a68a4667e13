/* check_run, the one check pipeline (src/check/check.h), driven as the front
 * ends drive it, and the rule table it names rules by (src/rules.def). */
#include "tap.h"
#include "check/check.h"
#include "rules.h"
#include <stdio.h>
#include <string.h>

static void text_request(CheckRequest *req, CheckCommand cmd, const char *text)
{
    memset(req, 0, sizeof *req);
    req->command = cmd;
    req->text = text;
    req->text_len = strlen(text);
    req->text_name = "buffer.config";
    req->text_dir = "/nonexistent";
    req->clean_env = 1;
    req->ignore_includes = 1;
    req->no_settings = 1;
    req->fail_on = SEV_NONE;
}

static size_t count_rule(const DiagList *d, RuleId id)
{
    size_t n = 0;
    for (size_t i = 0; i < d->len; i++) n += d->items[i].id == id;
    return n;
}

static void test_rule_table(void)
{
    CHECK(rule_count == RULE_COUNT);
    for (size_t i = 0; i < rule_count; i++) {
        char id[32];
        snprintf(id, sizeof id, "NFP%03zu", i + 1);
        CHECK_STR(rule_table[i].id, id);                       /* ids follow the table order */
        CHECK(rule_id_of(rule_table[i].name) == (RuleId)i);
        CHECK(rule_id_of(rule_table[i].id) == (RuleId)i);
        CHECK(rule_table[i].summary && rule_table[i].explain && rule_table[i].summary[0]);
    }
    CHECK(rule_id_of("no-such-rule") == RULE_COUNT);
    CHECK_STR(rule_table[RULE_WAVE_NOT_ENABLED].name, "wave-not-enabled");
    CHECK_STR(rule_table[RULE_SYNTAX_ERROR].id, "NFP001");
}

static void test_check_text(void)
{
    CheckRequest req;
    CheckResult res;
    text_request(&req, CHECK_CMD_CHECK, "process.cpu = 2\n");
    CHECK(check_run(&req, &res) == CHECK_OK);
    CHECK(res.config != NULL && res.settings != NULL);
    /* the fix of this launch, ready for a quick fix: its layers, the first patched */
    CHECK(res.fix_request.nlayers == 1 && res.fix_request.layers && res.fix_request.target == 0);
    CHECK(res.fix_request.ropt != NULL && !res.fix_request.write && !res.fix_request.launch_path);
    CHECK(count_rule(&res.diags, RULE_UNKNOWN_OPTION) == 1);
    CHECK(count_rule(&res.diags, RULE_WAVE_NOT_ENABLED) == 1);
    CHECK(res.failing == 0);                        /* warnings only; fail-on error */
    for (size_t i = 1; i < res.diags.len; i++)      /* sorted by position */
        CHECK(res.diags.items[i - 1].start <= res.diags.items[i].start);
    check_result_free(&res);

    req.fail_on = SEV_WARNING;
    CHECK(check_run(&req, &res) == CHECK_OK);
    CHECK(res.failing == 2);
    check_result_free(&res);
}

static void test_suppressions_every_command(void)
{
    static const char text[] =
        "wave.enabled = true\n"
        "// nf-preflight: ignore[invalid-image-reference] kept on purpose\n"
        "process.container = 'Quay.io/A/B'\n";
    static const CheckCommand cmds[] = {CHECK_CMD_CHECK, CHECK_CMD_IMAGES, CHECK_CMD_CONFIG};
    for (size_t c = 0; c < sizeof cmds / sizeof cmds[0]; c++) {
        CheckRequest req;
        CheckResult res;
        text_request(&req, cmds[c], text);
        CHECK(check_run(&req, &res) == CHECK_OK);
        CHECK_MSG(count_rule(&res.diags, RULE_INVALID_IMAGE_REFERENCE) == 0, "command %zu", c);
        CHECK_MSG(count_rule(&res.diags, RULE_UNUSED_SUPPRESSION) == 0, "command %zu", c);
        CHECK_MSG(res.failing == 0, "command %zu", c);
        if (cmds[c] == CHECK_CMD_IMAGES) CHECK(res.output.len > 0 && strstr(res.output.data, "Quay.io/A/B"));
        check_result_free(&res);
    }
}

static void test_notes_and_policy(void)
{
    CheckRequest req;
    CheckResult res;
    text_request(&req, CHECK_CMD_CHECK, "wave.enabled = true\n");
    req.notes = 1;
    req.fail_on = SEV_INFO;
    static const char *const env[] = {"TOWER_ACCESS_TOKEN=abcdefgh12345678"};
    req.env = env;
    req.nenv = 1;
    CHECK(check_run(&req, &res) == CHECK_OK);
    CHECK(count_rule(&res.diags, RULE_WAVE_STATUS) == 1);
    for (size_t i = 0; i < res.diags.len; i++)
        if (res.diags.items[i].id == RULE_WAVE_STATUS) CHECK(res.diags.items[i].note);
    CHECK(res.failing == 0);                        /* a note never fails the run */
    check_result_free(&res);

    /* under the legacy parser a v2-incompatible construct is a note for later */
    text_request(&req, CHECK_CMD_CONFIG, "def x = 1\nprocess.cpus = x\n");
    req.syntax_v1 = 1;
    CHECK(check_run(&req, &res) == CHECK_OK);
    CHECK(count_rule(&res.diags, RULE_V2_INCOMPATIBLE) >= 1);
    for (size_t i = 0; i < res.diags.len; i++)
        if (res.diags.items[i].id == RULE_V2_INCOMPATIBLE) CHECK(res.diags.items[i].sev == SEV_INFO);
    check_result_free(&res);
    req.syntax_v1 = 0;      /* the strict parser: the launch fails on it (error) */
    CHECK(check_run(&req, &res) == CHECK_OK);
    for (size_t i = 0; i < res.diags.len; i++)
        if (res.diags.items[i].id == RULE_V2_INCOMPATIBLE) CHECK(res.diags.items[i].sev >= SEV_WARNING);
    check_result_free(&res);
}

static void test_bad_requests(void)
{
    CheckRequest req;
    CheckResult res;
    memset(&req, 0, sizeof req);
    req.command = CHECK_CMD_CHECK;
    req.no_settings = 1;
    CHECK(check_run(&req, &res) == CHECK_BAD_REQUEST);      /* nothing to check */
    CHECK(res.usage_hint && res.message && strstr(res.message, "nothing to check"));
    check_result_free(&res);

    static const char *const dash[] = {"-"};
    req.command = CHECK_CMD_IMAGES;
    req.paths = dash;
    req.npaths = 1;
    CHECK(check_run(&req, &res) == CHECK_BAD_REQUEST);      /* images never reads stdin */
    check_result_free(&res);

    static const char *const missing[] = {"/nonexistent/dir/nextflow.config"};
    req.command = CHECK_CMD_CHECK;
    req.paths = missing;
    CHECK(check_run(&req, &res) == CHECK_OK);
    CHECK(res.incomplete);                                  /* unreadable layer: exit 3 */
    check_result_free(&res);

    req.settings_path = "/nonexistent/settings.yml";
    req.no_settings = 0;
    CHECK(check_run(&req, &res) == CHECK_BAD_REQUEST && res.message && !res.usage_hint);
    check_result_free(&res);
}

static void test_fix(void)
{
    CheckRequest req;
    CheckResult res;
    text_request(&req, CHECK_CMD_FIX, "process.cpus = 2\n");
    CHECK(check_run(&req, &res) == CHECK_OK);
    CHECK(res.fix_status == 0);
    CHECK(res.output.len && strstr(res.output.data, "enabled = true"));
    CHECK(count_rule(&res.diags, RULE_WAVE_STATUS) == 1);
    check_result_free(&res);
}

int main(void)
{
    test_rule_table();
    test_check_text();
    test_suppressions_every_command();
    test_notes_and_policy();
    test_bad_requests();
    test_fix();
    TEST_MAIN_END();
}
