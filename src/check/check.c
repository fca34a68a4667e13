/* The check pipeline (see check.h for the steps and their order). */
#include "check/check.h"
#include "model/model.h"
#include "alloc.h"
#include "check/prepare.h"
#include "check/targets.h"
#include "checks.h"
#include "credsrc.h"
#include "fix.h"
#include "images.h"
#include "pipeline.h"
#include "redact.h"
#include "rules.h"
#include "source.h"
#include "suppress.h"

#include <stdlib.h>
#include <string.h>

/* 1 when a Nextflow version such as "25.10.2" or "24.04.4-edge" names a
 * release before 26.04. An unreadable version counts as recent. */
static int release_before_26_04(const char *version)
{
    char *end;
    long year = strtol(version, &end, 10);
    if (end == version || *end != '.') return 0;
    const char *minor_at = end + 1;
    long month = strtol(minor_at, &end, 10);
    if (end == minor_at) return 0;
    return year < 26 || (year == 26 && month < 4);
}

static int parser_named(const char *s) { return s && (!strcmp(s, "v1") || !strcmp(s, "v2")); }

int check_syntax_choice(const char *flag, const char *nxf_syntax_parser, const char *launch_parser,
                        const char *nxf_ver, int *decided)
{
    *decided = 1;
    if (parser_named(flag)) return !strcmp(flag, "v1");
    if (nxf_syntax_parser && *nxf_syntax_parser)
        return parser_named(nxf_syntax_parser) ? !strcmp(nxf_syntax_parser, "v1") : -1;
    if (parser_named(launch_parser)) return !strcmp(launch_parser, "v1");
    if (nxf_ver && *nxf_ver) return release_before_26_04(nxf_ver);
    *decided = 0;
    return 0;
}

int check_default_syntax_v1(const char *nxf_syntax_parser, const char *nxf_ver)
{
    int decided;
    return check_syntax_choice(NULL, nxf_syntax_parser, NULL, nxf_ver, &decided);
}

/* Step 6a: severities that depend on the launch rather than on the rule.
 * Under the legacy parser (--syntax v1, NXF_SYNTAX_PARSER=v1) the launch
 * accepts v2-incompatible constructs: a note for later, not a warning now.
 * When nothing named the parser (req->syntax_undecided, prerun without
 * NXF_VER) the launch fails only on Nextflow 26.04 or later: a warning that
 * says so. Runs before the settings file, whose severities win. */
static void severity_policy(const CheckRequest *req, const ResolveOptions *ropt, DiagList *diags)
{
    for (size_t i = 0; i < diags->len; i++) {
        Diag *d = &diags->items[i];
        if (d->id != RULE_V2_INCOMPATIBLE) continue;
        if (ropt->syntax_v1) {
            d->sev = SEV_INFO;
        } else if (req->syntax_undecided && d->sev == SEV_ERROR) {
            d->sev = SEV_WARNING;
            StrBuf m = STRBUF_INIT;
            strbuf_printf(&m, "%s; fails if the launcher runs Nextflow 26.04 or later (strict syntax by default; "
                          "NXF_VER or NXF_SYNTAX_PARSER decides)", d->message);
            char *text = strbuf_take(&m);
            if (!text) { diags->oom = 1; continue; }
            np_free(d->message);
            d->message = text;
        }
    }
}

/* Step 5b: `# nf-preflight: …` comments of a YAML launch file apply to the
 * whole launch. */
static long yaml_suppressions(const char *launch_path, DiagList *diags, int report_unused)
{
    int err;
    Source *yaml = source_load(launch_path, NULL, &err);
    if (!yaml) return err == SOURCE_ENOMEM ? -1 : 0;   /* read once already: it was there */
    long r = suppress_apply_yaml(diags, yaml, NULL, report_unused);
    source_free(yaml);     /* diagnostics about it hold their own copy */
    return r;
}

static size_t count_failing(const DiagList *diags, Severity level)
{
    size_t n = 0;
    for (size_t i = 0; i < diags->len; i++)
        if (!diags->items[i].note && diags->items[i].sev != SEV_NONE && diags->items[i].sev >= level) n++;
    return n;
}

static int covered(const Diag *d, const char *const *selectors, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (d->id < RULE_COUNT && rule_selected(&rule_table[d->id], selectors[i])) return 1;
    return 0;
}

/* Step 6c: the files and rules the request asks about. A finding about the
 * run as a whole (no file) stays whatever the files; a syntax error stays
 * whatever the rules, as with the settings file: what Nextflow cannot parse
 * is never hidden. */
static int requested(Diag *d, void *ctx)
{
    const CheckRequest *req = ctx;
    if (req->report_files && d->src) {
        int in = 0;
        char *norm = d->src->path ? path_normalize(d->src->path) : NULL;
        if (d->src->path && !norm) in = 1;     /* out of memory: rather too much than too little */
        for (size_t i = 0; norm && !in && i < req->nreport_files; i++) in = !strcmp(norm, req->report_files[i]);
        np_free(norm);
        if (!in) return 0;
    }
    if (d->id == RULE_SYNTAX_ERROR) return 1;
    if (req->select && !covered(d, req->select, req->nselect)) return 0;
    return !covered(d, req->ignore, req->nignore);
}

/* Steps 5-8 over whatever the command produced. Suppressions that name a
 * rule the command did not run cannot be judged: only `check`, which runs
 * every family, reports unused ones. */
static void finish(const CheckRequest *req, CheckResult *res, const Config *cfg)
{
    CheckLaunch *l = res->launch;
    int all_rules = req->command == CHECK_CMD_CHECK;
    DiagList *diags = &res->diags;
    if (cfg && suppress_apply(diags, cfg->sources, cfg->trees, cfg->nsources, all_rules) < 0) diags->oom = 1;
    if (l->have_info && l->info.is_yaml && l->info.config_text && !req->launch_text &&
        yaml_suppressions(req->launch_path, diags, all_rules) < 0)
        diags->oom = 1;
    severity_policy(req, &l->ropt, diags);
    settings_apply(l->settings, diags, NULL);
    diag_list_filter(diags, requested, (void *)req);
    /* step 7: a secret value copied into a message (an image name, a quoted
     * value) is replaced: reports show secrets nowhere */
    if (cfg) redact_diag_messages(diags, &cfg->secrets);
    diag_sort(diags);
    Severity level = req->fail_on != SEV_NONE ? req->fail_on : l->settings->fail_on;
    res->failing = count_failing(diags, level);
    if (diags->oom) {
        res->status = CHECK_IO;
        np_free(res->message);
        res->message = np_strdup("out of memory");
    }
}

/* The findings of CHECK_CMD_SYNTAX: what the parser reports, and secrets
 * written in the text (true of the file whichever launch reads it). */
static int syntax_only(Diag *d, void *ctx)
{
    (void)ctx;
    return d->id == RULE_SYNTAX_ERROR || d->id == RULE_V2_INCOMPATIBLE || d->id == RULE_HARDCODED_SECRET;
}

/* The images family (the inventory and its credential cross-check), and
 * the launch summary from what it and the Wave rules found. */
static void images_and_summary(const CheckInput *in, const CheckLaunch *l, CheckResult *res)
{
    ImageInventory inv;
    if (images_inventory(in, &inv, &res->diags) != 0 || images_crosscheck(in, &inv, &res->diags) != 0 ||
        launch_summary_fill(&res->summary, in, &inv, l->profiles, l->nprofiles) != 0)
        res->diags.oom = 1;
    images_inventory_free(&inv);
}

/* What `fix` needs to know to avoid an edit that makes a launch fail
 * (FixRequest): a profile that turns Singularity or Apptainer on, an image of
 * the pipeline such a run would hand Wave with a URL-like prefix (nf-core's
 * https:// branch; only docker:// is stripped, WaveContainerResolver.groovy
 * :101-104), and a profile that turns Wave on with the author's settings.
 * np_malloc'd copies in out[0..2] (NULL: none, or memory ran out). */
static void singularity_url_image(const CheckLaunch *l, char *out[3])
{
    out[0] = out[1] = out[2] = NULL;
    if (!l->pipeline_dir) return;
    DiagList scratch;
    memset(&scratch, 0, sizeof scratch);
    Config *cfg = resolve_config(l->layers, l->nlayers, &l->ropt, &scratch);
    FixWaveProfiles wp;
    if (cfg && !cfg->syntax_errors && !cfg->io_error && (fix_wave_profiles(cfg, &wp), wp.nsingularity)) {
        CheckInput in;
        memset(&in, 0, sizeof in);
        in.cfg = cfg;
        in.launch_dir = l->ropt.launch_dir;
        in.settings = l->settings;
        in.pipeline_dir = l->pipeline_dir;
        LaunchModel m;
        if (model_build(&in, &m, &scratch) == 0) {
            const unsigned sing = (1u << IMAGE_ENGINE_SINGULARITY) | (1u << IMAGE_ENGINE_APPTAINER);
            for (size_t i = 0; i < m.scan.len && !out[0]; i++) {
                const PipeCandidate *c = &m.scan.items[i].c;
                ImageKind k = c->dynamic || !(c->engines & sing) ? IMAGE_KIND_DOCKER : image_classify(c->text, c->len);
                if (k == IMAGE_KIND_HTTP || k == IMAGE_KIND_ORAS || k == IMAGE_KIND_LIBRARY || k == IMAGE_KIND_SHUB)
                    out[0] = np_strndup(c->text, c->len);
            }
        }
        model_free(&m);
        if (out[0]) {
            out[1] = np_strdup(wp.singularity[0]);
            out[2] = wp.nclean ? np_strdup(wp.clean[0]) : NULL;
        }
    }
    config_free(cfg);
    diag_list_free(&scratch);
}

static void run_fix(const CheckRequest *req, CheckResult *res)
{
    int stdin_only = req->npaths && !strcmp(req->paths[0], "-") && !req->launch_path;
    if (req->fix_write && stdin_only) {
        res->status = CHECK_BAD_REQUEST;
        res->usage_hint = 1;
        res->message = np_strdup("--write needs a file, not standard input");
        return;
    }
    char *err = NULL;
    char *known[3];
    singularity_url_image(res->launch, known);
    FixRequest fr = res->fix_request;
    fr.singularity_url_image = known[0];
    fr.singularity_profile = known[1];
    fr.wave_profile = known[2];
    res->fix_status = fix_command(&fr, &res->output, &res->diags, &err);
    for (int i = 0; i < 3; i++) np_free(known[i]);
    res->message = err;    /* with fix_status 3; printed after the diagnostics */
    finish(req, res, NULL);
}

CheckStatus check_run(const CheckRequest *req, CheckResult *res)
{
    memset(res, 0, sizeof *res);
    res->launch = np_calloc(1, sizeof *res->launch);
    if (!res->launch) {
        res->message = np_strdup("out of memory");
        return res->status = CHECK_IO;
    }
    res->status = check_launch_prepare(req, res->launch, &res->message, &res->usage_hint);
    CheckLaunch *l = res->launch;
    res->settings = l->settings;
    res->settings_dir = l->settings ? l->settings->dir : NULL;
    res->settings_skipped = l->settings_skipped;
    res->no_pipeline_config = l->no_pipeline_config ? l->pipeline_dir : NULL;
    if (res->status != CHECK_OK) {
        if (!res->message) res->message = np_strdup("out of memory");
        return res->status;
    }
    /* the fix of this launch: PATH is what `fix PATH` edits (the -c files on
     * top still count when it is verified); --launch FILE edits the launch's
     * configText instead */
    FixRequest fr = {l->layers, l->nlayers, 0, req->launch_path, &l->ropt,
                     req->fix_write, req->fix_diff, req->fix_force, NULL, NULL, NULL};
    res->fix_request = fr;
    if (req->command == CHECK_CMD_FIX) {
        run_fix(req, res);
        return res->status;
    }

    /* the pipeline's .nf files need no config: read them meanwhile (NULL:
     * images.c reads them itself) */
    PipelineRead *ahead = NULL;
    if (req->read_ahead && l->pipeline_dir &&
        (req->command == CHECK_CMD_CHECK || req->command == CHECK_CMD_IMAGES))
        ahead = pipeline_read_start(l->pipeline_dir);

    /* step 2: resolve (for CHECK_CMD_SYNTAX: each layer on its own) */
    if (req->command == CHECK_CMD_SYNTAX) l->ropt.ignore_includes = 1;
    Config *cfg = res->config = resolve_config(l->layers, l->nlayers, &l->ropt, &res->diags);
    if (!cfg) {
        pipeline_read_free(ahead);
        res->message = np_strdup("out of memory");
        return res->status = CHECK_IO;
    }
    /* Nextflow's run options override the files (ConfigCmdAdapter.configRunOptions) */
    if (runopts_apply(cfg, req->run) != 0) res->diags.oom = 1;
    /* step 3: credentials */
    CredList creds = CREDLIST_INIT;
    int have_creds = 0, required_failed = 0;
    if (req->command == CHECK_CMD_CHECK || req->command == CHECK_CMD_IMAGES) {
        CredSourceOptions cso = {req->cred_files, req->ncred_files, req->platform, req->docker_config,
                                 req->docker_config_path, req->auth_file, req->auth_file_path, req->insecure,
                                 cfg, l->settings, req->platform_creds_text, req->platform_creds_len,
                                 req->platform_creds_origin, req->platform_creds_unread};
        have_creds = credsrc_load(&cso, &creds, &res->diags, &required_failed);
        if (have_creds < 0) res->diags.oom = 1;
    }

    /* step 4: the command's rule families */
    CheckInput in = {cfg, l->ropt.launch_dir, l->settings, l->pipeline_dir, have_creds > 0 ? &creds : NULL,
                     req->verbose || req->notes, req->online, req->insecure, req->compute_platform,
                     req->compute_credentials_id, req->compute_env_name, req->compute_wave_toggle, ahead,
                     req->run, NULL};
    /* the launch model: computed once, read by every rule and by `images` */
    LaunchModel model;
    int have_model = 0;
    if ((req->command == CHECK_CMD_CHECK || req->command == CHECK_CMD_IMAGES) && !res->diags.oom &&
        !cfg->syntax_errors && !cfg->io_error) {
        if (model_build(&in, &model, &res->diags) != 0) res->diags.oom = 1;
        have_model = 1;
        in.model = &model;
    }
    if (req->command == CHECK_CMD_CHECK && !res->diags.oom) {
        /* secrets first and always: it also masks secret spans for the report */
        secrets_check(&in, &res->diags);
        if (!cfg->syntax_errors && !cfg->io_error) {
            model_check(&in, &res->diags);
            wave_check(&in, &res->diags);
            schema_check(&in, &res->diags);
            images_and_summary(&in, l, res);
        }
    } else if (req->command == CHECK_CMD_IMAGES && !res->diags.oom) {
        if (images_report(&in, req->images_format ? req->images_format : "text", &res->output, &res->diags) != 0)
            res->diags.oom = 1;
    } else if (req->command == CHECK_CMD_SYNTAX && !res->diags.oom) {
        secrets_check(&in, &res->diags);     /* the masks: a snippet never shows a secret */
        diag_list_filter(&res->diags, syntax_only, NULL);
    }
    pipeline_read_free(ahead);
    res->incomplete = cfg->io_error || required_failed;
    finish(req, res, cfg);
    if (have_model) {
        /* diagnostics point into the .nf files: they live until check_result_free */
        Source **srcs = NULL;
        size_t nsrc = 0;
        model_take_sources(&model, &srcs, &nsrc);
        if (images_adopt_sources(srcs, nsrc) != 0) res->diags.oom = 1;
        np_free(srcs);
        model_free(&model);
    }
    creds_list_free(&creds);
    return res->status;
}

void check_result_free(CheckResult *res)
{
    strbuf_free(&res->output);
    diag_list_free(&res->diags);
    config_free(res->config);
    images_cleanup();
    if (res->launch) check_launch_free(res->launch);
    np_free(res->launch);
    np_free(res->message);
    memset(res, 0, sizeof *res);
}
