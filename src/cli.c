#include "cli.h"
#include "alloc.h"
#include "arena.h"
#include "check/check.h"
#include "check/targets.h"
#include "diag.h"
#include "dump.h"
#include "lsp/lsp.h"
#include "parse.h"
#include "platform.h"
#include "prerun.h"
#include "prerun_repo.h"
#include "http.h"
#include "report.h"
#include "resolve.h"
#include "rules.h"
#include "suggest.h"
#include "schema.h"
#include "source.h"
#include "strbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Repeatable string options. */
typedef struct StrVec {
    const char **items;
    size_t len;
} StrVec;

typedef struct Options {
    const char *command;
    StrVec paths;
    StrVec configs;            /* -c / --config */
    StrVec params;             /* --param name=value */
    StrVec params_files;       /* --params-file */
    StrVec envs;               /* --env NAME=VALUE */
    StrVec cred_files;         /* --credentials */
    const char *profile;       /* -profile / --profile a,b */
    const char *launch;        /* --launch FILE */
    const char *launch_config; /* --launch-config FILE */
    const char *syntax;        /* v1 | v2 */
    int syntax_flag;           /* syntax came from --syntax (not a default) */
    const char *stdin_filename;
    const char *format;
    const char *color;
    const char *output;
    const char *settings_path;
    const char *docker_config_path;
    const char *auth_file_path;
    int no_settings;
    int clean_env;
    int trust_env;
    int remote_includes;
    int allow_outside_includes;
    int platform, docker_config, auth_file, online, insecure;
    int show_tokens, show_tree;
    int exit_zero;
    int verbose;
    int write, diff, force;
    int fail_on_given;
    Severity fail_on;
    const char *wave_policy;   /* --wave-policy: overrides the settings' `wave:` */
    const char *pipeline;      /* prerun --pipeline DIR */
    const char *report;        /* prerun --report FILE (.json: JSON, else markdown) */
    int strict;                /* prerun --strict: what cannot be checked blocks */
    int allow_local_repository; /* prerun: the launch may name a file:// repository or a loopback host */
    StrVec select, ignore;     /* --select / --ignore: rule selectors, comma lists split */
    int statistics;            /* --statistics: count per rule */
    int quiet;                 /* -q / --quiet: the summary line only */
    RunOptions run;            /* Nextflow run options: -with-docker, -with-wave, ... */
} Options;

static const char usage_text[] =
    "usage: nf-preflight COMMAND [OPTIONS] PATH...\n"
    "\n"
    "Checks Nextflow configuration before a launch: syntax, Wave, container images\n"
    "and registry credentials. PATH is a config file, a pipeline directory (its\n"
    "nextflow.config and .nf files) or - for standard input. Several PATHs are\n"
    "several launches, one per pipeline (-c adds layers to one); a config below a\n"
    "pipeline is checked inside that pipeline's launch, for its own findings.\n"
    "\n"
    "commands:\n"
    "  check PATH...         report problems (the default command)\n"
    "  fix PATH|-            turn Wave on in PATH with a minimal edit (--write, --diff,\n"
    "                        --launch; --force writes a read-only or hard-linked file)\n"
    "  config PATH           print the resolved config (--format flat|canonical|json)\n"
    "  images PATH           list container images and registry hosts (--format text|json)\n"
    "  parse FILE            dump tokens (--tokens) or the syntax tree (--tree)\n"
    "  rules                 list every rule\n"
    "  explain RULE          describe one rule\n"
    "  lsp                   language server for editors on stdin/stdout (docs/editors.md)\n"
    "  prerun                check a Seqera Platform run from its pre-run script: reads the\n"
    "                        launch, compute environment and credentials from the Platform\n"
    "                        API (TOWER_*) and prints a verdict line first; --pipeline DIR,\n"
    "                        --report FILE (.md or .json), --strict, --allow-local-repository\n"
    "                        (docs/platform.md); without --pipeline it clones the launch's\n"
    "                        repository at its revision (git), else reads its configs (HTTPS)\n"
    "\n"
    "resolving (as Nextflow does):\n"
    "  -profile, --profile A,B   selected profiles (default: standard)\n"
    "  -c, --config FILE         extra config file, applied after PATH (repeatable)\n"
    "  --launch FILE             Platform launch JSON/YAML: its configText, configProfiles\n"
    "                            and paramsText are applied on top\n"
    "  --launch-config FILE      config text pasted into a Platform launch\n"
    "  --params-file FILE        params from JSON or YAML\n"
    "  --param NAME=VALUE        a command-line param (repeatable)\n"
    "  --env NAME=VALUE          environment variable seen by the config (repeatable);\n"
    "  --env NAME                its value may be printed (others show as env('NAME'))\n"
    "  --trust-env               every environment value may be printed (never secrets)\n"
    "  --clean-env               start from an empty environment\n"
    "  --syntax v1|v2            legacy or strict semantics (default: $NXF_SYNTAX_PARSER, else v1\n"
    "                            when $NXF_VER is before 26.04, else v2)\n"
    "  --remote-includes         fetch http(s) includeConfig files\n"
    "  --allow-outside-includes  read includes outside the project directory (never\n"
    "                            /proc, /sys, /dev)\n"
    "  -with-docker [IMAGE], -without-docker, -with-podman [IMAGE],\n"
    "  -with-singularity [IMAGE], -with-apptainer [IMAGE], -with-charliecloud [IMAGE],\n"
    "  -with-conda [ENV], -with-wave [ENDPOINT], -with-fusion, -with-tower [ENDPOINT]\n"
    "                            Nextflow's run options, applied over the config as\n"
    "                            Nextflow does (a value that names an existing file\n"
    "                            or directory is taken as PATH, not as the value)\n"
    "\n"
    "credentials:\n"
    "  --credentials FILE        inventory: tw/Platform JSON or a {registry,name,user} list\n"
    "  --platform                ask the Platform API (TOWER_API_ENDPOINT, TOWER_ACCESS_TOKEN,\n"
    "                            TOWER_WORKSPACE_ID)\n"
    "  --docker-config [FILE]    docker config.json (default: $DOCKER_CONFIG or ~/.docker)\n"
    "  --auth-file [FILE]        containers auth.json (default: $REGISTRY_AUTH_FILE, ...)\n"
    "  --online                  ask registries whether anonymous pulls work\n"
    "  --insecure                do not verify TLS certificates (not recommended)\n"
    "\n"
    "output:\n"
    "  --format FMT              check: text, gcc, json, sarif, github or markdown (a\n"
    "                            GitHub job summary)\n"
    "  --select RULE[,RULE...]   report only these rules: ids, names or prefixes of\n"
    "                            either (NFP0, wave-), or ALL (repeatable)\n"
    "  --ignore RULE[,RULE...]   do not report these rules (wins over --select; syntax\n"
    "                            errors are always reported)\n"
    "  --statistics              the count per rule instead of the findings (text, gcc,\n"
    "                            json, markdown)\n"
    "  -q, --quiet               the counts line only (text, gcc)\n"
    "  --color WHEN              auto, always or never\n"
    "  -o, --output FILE         write the report to FILE\n"
    "  --stdin-filename NAME     the file standard input stands for (its name, its\n"
    "                            pipeline's launch, where its includes resolve)\n"
    "  --fail-on LEVEL           error (default), warning or info\n"
    "  --wave-policy POLICY      required, recommended (default) or off: Wave off is an\n"
    "                            error, a warning, or not reported (settings: wave:)\n"
    "  --exit-zero               exit 0 even with findings\n"
    "  --settings FILE           tool settings (default: nearest .nf-preflight.yml)\n"
    "  --no-settings             ignore .nf-preflight.yml files\n"
    "  -v, --verbose             explain where settings come from\n"
    "  --schema-version          print the Nextflow version the option schema describes\n"
    "  --version, --help\n"
    "\n"
    "  --                        what follows is a PATH, even when it starts with -\n"
    "\n"
    "An option that does not apply to the command is a usage error.\n"
    "exit status: 0 clean, 1 findings at or above --fail-on, 2 usage error (unknown\n"
    "command or option, an option the command does not take), 3 could not read or\n"
    "write something.\n";

static int usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, "nf-preflight: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nTry 'nf-preflight --help'.\n");
    return EXIT_USAGE;
}

/* Writes the whole buffer to -o FILE or stdout. */
static int write_output(const Options *o, const StrBuf *b)
{
    if (strbuf_failed(b)) {
        fprintf(stderr, "nf-preflight: out of memory\n");
        return EXIT_IO;
    }
    FILE *f = stdout;
    if (o->output) {
        f = fopen(o->output, "wb");
        if (!f) {
            fprintf(stderr, "nf-preflight: cannot write %s\n", o->output);
            return EXIT_IO;
        }
    }
    size_t n = b->len ? fwrite(b->data, 1, b->len, f) : 0;
    int bad = n != b->len;
    if (o->output) bad |= fclose(f) != 0;
    else bad |= fflush(f) != 0;
    if (bad) {
        fprintf(stderr, "nf-preflight: could not write %s\n", o->output ? o->output : "output");
        return EXIT_IO;
    }
    return EXIT_CLEAN;
}

/* ---------------- commands ---------------- */

static int cmd_parse(Options *o)
{
    if (o->paths.len != 1) return usage_error("%s", "parse takes exactly one FILE");
    const char *path = o->paths.items[0];
    int err;
    Source *src = source_load(path, strcmp(path, "-") ? NULL : o->stdin_filename, &err);
    if (!src) {
        fprintf(stderr, "nf-preflight: %s: %s\n", path, source_strerror(err));
        return EXIT_IO;
    }
    StrBuf out = STRBUF_INIT;
    DiagList diags = {0};
    Arena *arena = arena_new();
    int rc = EXIT_IO;
    if (arena) {
        if (o->show_tokens) dump_tokens(&out, src);
        if (o->show_tree || !o->show_tokens) {
            Node *root = parse_config(arena, src, &diags, NULL);
            if (root) dump_tree(&out, src, root);
            diag_sort(&diags);
            report_emit(&out, REPORT_GCC, &diags, NULL);
        }
        rc = write_output(o, &out);
        if (rc == EXIT_CLEAN && diag_count(&diags, SEV_ERROR)) rc = EXIT_FINDINGS;
    }
    arena_free(arena);
    diag_list_free(&diags);
    strbuf_free(&out);
    source_free(src);
    return rc;
}

/* Prints diagnostics to stderr in gcc form (for commands whose stdout is data). */
static void diags_to_stderr(const DiagList *diags)
{
    if (!diags->len) return;
    StrBuf b = STRBUF_INIT;
    report_emit(&b, REPORT_GCC, diags, NULL);
    fwrite(strbuf_cstr(&b), 1, b.len, stderr);
    strbuf_free(&b);
}

/* The repository the checked PATH lives in (the nearest directory with a
 * `.git` entry, from the current directory's view), so that SARIF and GitHub
 * paths are repository-relative as code scanning wants. NULL when none. */
static char *repository_root(const char *path)
{
    char buf[4096];
    if (!path || !strcmp(path, "-")) path = ".";
    if (!realpath(path, buf)) return NULL;
    struct stat st;
    if (stat(buf, &st) == 0 && !S_ISDIR(st.st_mode)) {
        char *slash = strrchr(buf, '/');
        if (slash) *slash = '\0';
    }
    for (;;) {
        size_t n = strlen(buf);
        if (n + 6 >= sizeof buf) return NULL;
        memcpy(buf + n, "/.git", 6);
        int found = stat(buf, &st) == 0;
        buf[n] = '\0';
        if (found) return np_strdup(n ? buf : "/");
        char *slash = strrchr(buf, '/');
        if (!slash || slash == buf) return NULL;
        *slash = '\0';
    }
}

/* The pipeline's request for a command, from the options. */
static void make_request(const Options *o, CheckCommand command, CheckRequest *req)
{
    memset(req, 0, sizeof *req);
    req->command = command;
    req->paths = o->paths.items;
    req->npaths = o->paths.len;
    req->stdin_name = o->stdin_filename;
    req->configs = o->configs.items;
    req->nconfigs = o->configs.len;
    req->launch_path = o->launch;
    req->launch_config_path = o->launch_config;
    req->params_files = o->params_files.items;
    req->nparams_files = o->params_files.len;
    req->params = o->params.items;
    req->nparams = o->params.len;
    req->env = o->envs.items;
    req->nenv = o->envs.len;
    req->clean_env = o->clean_env;
    req->trust_env = o->trust_env;
    req->profiles = o->profile;
    req->syntax_v1 = o->syntax && !strcmp(o->syntax, "v1");
    req->remote_includes = o->remote_includes;
    req->allow_outside_includes = o->allow_outside_includes;
    req->settings_path = o->settings_path;
    req->wave_policy = o->wave_policy;
    req->no_settings = o->no_settings;
    req->cred_files = o->cred_files.items;
    req->ncred_files = o->cred_files.len;
    req->platform = o->platform;
    req->docker_config = o->docker_config;
    req->docker_config_path = o->docker_config_path;
    req->auth_file = o->auth_file;
    req->auth_file_path = o->auth_file_path;
    req->online = o->online;
    req->run = &o->run;
    req->insecure = o->insecure;
    req->verbose = o->verbose;
    req->fail_on = o->fail_on_given ? o->fail_on : SEV_NONE;
    req->images_format = o->format;
    req->fix_write = o->write;
    req->fix_diff = o->diff;
    req->read_ahead = 1;   /* a pipeline's .nf files are read while its config resolves */
    req->fix_force = o->force;
    req->select = o->select.len ? o->select.items : NULL;
    req->nselect = o->select.len;
    req->ignore = o->ignore.items;
    req->nignore = o->ignore.len;
}


/* Which settings file the run used (with -v) and one it found but did not
 * use because another user owns it (always): the repository could have
 * put it there. */
static void say_settings(const Options *o, const CheckResult *res)
{
    if (res->settings_skipped)
        fprintf(stderr, "nf-preflight: %s: not used: owned by another user (settings found next to the files "
                "are used only when owned by you or root; --settings FILE names one)\n", res->settings_skipped);
    if (o->verbose && res->no_pipeline_config)
        fprintf(stderr, "nf-preflight: %s has no nextflow.config: Nextflow launches it without one; its .nf "
                "scripts are checked with the other config layers alone\n", res->no_pipeline_config);
    if (o->verbose && res->settings)
        fprintf(stderr, "nf-preflight: settings: %s%s\n",
                res->settings->path ? res->settings->path : "none (built-in defaults)",
                !res->settings->path ? "" : res->settings->found_upward ? " (found next to the checked files)"
                                                                       : " (--settings)");
}

/* Runs the pipeline and says which settings it used. Returns -1 when the
 * run happened (res holds it), else the exit code of a run that could not
 * happen, after its message. Free res with check_result_free either way. */
static int run_check(const Options *o, const CheckRequest *req, CheckResult *res)
{
    int st = check_run(req, res);
    say_settings(o, res);
    if (st == CHECK_OK) return -1;
    const char *m = res->message ? res->message : "out of memory";
    if (res->usage_hint) return usage_error("%s", m);
    fprintf(stderr, "nf-preflight: %s\n", m);
    return st == CHECK_BAD_REQUEST ? EXIT_USAGE : EXIT_IO;
}

/* The exit code of a run whose output was written with status `wrote`. */
static int findings_exit(const Options *o, const CheckResult *res, int wrote)
{
    int rc = wrote;
    if (rc == EXIT_CLEAN && res->failing && !o->exit_zero) rc = EXIT_FINDINGS;
    if (rc != EXIT_IO && res->incomplete) rc = EXIT_IO;
    return rc;
}

/* Writes what a run of `command` produced (the report, the resolved config
 * or the images inventory; diagnostics to stderr when stdout is data) and
 * returns the exit code. */
static int write_result(const Options *o, CheckCommand command, ReportFormat fmt, int color, const CheckResult *res,
                        const StrBuf *launch_text, const StrBuf *launch_json)
{
    int rc;
    if (command == CHECK_CMD_CHECK) {
        StrBuf out = STRBUF_INIT;
        char *repo = repository_root(o->paths.len ? o->paths.items[0] : ".");
        ReportOptions ropt = {color, repo ? repo : res->settings_dir, o->statistics, o->quiet,
                              launch_text && launch_text->len ? launch_text->data : NULL,
                              launch_json && launch_json->len ? launch_json->data : NULL, NULL};
        report_emit(&out, fmt, &res->diags, &ropt);
        np_free(repo);
        rc = findings_exit(o, res, write_output(o, &out));
        strbuf_free(&out);
    } else if (command == CHECK_CMD_CONFIG) {
        StrBuf out = STRBUF_INIT;
        if (!o->format || !strcmp(o->format, "flat")) config_print_flat(&out, res->config);
        else if (!strcmp(o->format, "canonical")) config_print_canonical(&out, res->config);
        else config_print_json(&out, res->config);
        diags_to_stderr(&res->diags);
        rc = findings_exit(o, res, write_output(o, &out));
        strbuf_free(&out);
    } else {
        diags_to_stderr(&res->diags);
        rc = findings_exit(o, res, write_output(o, &res->output));
    }
    return rc;
}

/* Whether the launch of `res` reads the file `norm` (normalized). */
static int launch_reads(const CheckResult *res, const char *norm)
{
    int found = 0;
    for (size_t i = 0; res->config && !found && i < res->config->nsources; i++) {
        const char *p = res->config->sources[i]->path;
        char *n = p ? path_normalize(p) : NULL;
        found = n && !strcmp(n, norm);
        np_free(n);
    }
    return found;
}

/* The runs of one `check` command line: one per launch of the plan, plus a
 * syntax-only run for each named file its pipeline's launch does not read. */
typedef struct Runs {
    CheckResult *items;
    const TargetLaunch **of; /* the launch each run checks (its summary names it) */
    size_t len;
    int rc;              /* the worst exit code of a run that could not happen, or -1 */
} Runs;

/* Runs `req` into the next slot; a run that cannot happen is remembered (a
 * usage error stops the rest). */
static void run_one(const Options *o, const CheckRequest *req, Runs *runs)
{
    CheckResult *res = &runs->items[runs->len++];
    int rc = run_check(o, req, res);
    if (rc >= 0 && rc > runs->rc) runs->rc = rc;
}

static void check_plan(const Options *o, const TargetPlan *plan, StdinStandIn *standin, int notes, Runs *runs)
{
    if (!plan->len) {              /* no PATH: --launch alone, or the usage message */
        CheckRequest req;
        make_request(o, CHECK_CMD_CHECK, &req);
        req.notes = notes;
        run_one(o, &req, runs);
    }
    for (size_t i = 0; i < plan->len && runs->rc != EXIT_USAGE; i++) {
        const TargetLaunch *t = &plan->launches[i];
        CheckRequest req;
        make_request(o, CHECK_CMD_CHECK, &req);
        const char *path[1] = {t->path};
        req.paths = path;
        req.npaths = 1;
        req.notes = notes;
        if (t->has_stdin && standin->file) {
            req.load = targets_load;
            req.load_ctx = standin;
        }
        if (!t->whole) {
            req.report_files = (const char *const *)t->files;
            req.nreport_files = t->nfiles;
        }
        size_t at = runs->len;
        runs->of[at] = t;
        run_one(o, &req, runs);
        if (runs->items[at].status != CHECK_OK) continue;
        /* a named file the launch does not read (a profile's include, the
         * profile not selected) is no launch of its own: its syntax only */
        for (size_t k = 0; k < t->nfiles && runs->rc != EXIT_USAGE; k++) {
            if (launch_reads(&runs->items[at], t->files[k]) || targets_is_script(t->files[k])) continue;
            /* said without -v too: a silent pass would read as "checked" (tester F11) */
            if (!o->quiet)
                fprintf(stderr, "nf-preflight: %s: not read by the launch of %s (selected profiles): its syntax is "
                        "checked alone; -c %s checks it as a layer\n", t->names[k], t->path, t->names[k]);
            CheckRequest syn = req;
            const char *one[1] = {t->names[k]};
            syn.command = CHECK_CMD_SYNTAX;
            syn.paths = one;
            syn.report_files = NULL;
            syn.nreport_files = 0;
            run_one(o, &syn, runs);
        }
    }
}

/* `check`: one run per launch (targets.h), one report over all of them. */
static int cmd_check(Options *o, ReportFormat fmt, int color)
{
    TargetPlan plan;
    StdinStandIn standin = {0};
    Source *in = NULL;
    Runs runs = {0};
    runs.rc = -1;
    int rc = EXIT_IO;
    if (targets_plan(o->paths.items, o->paths.len, o->stdin_filename, &plan) != 0) goto out;
    size_t nruns = plan.len;
    for (size_t i = 0; i < plan.len; i++) nruns += plan.launches[i].nfiles;
    if (!(runs.items = np_calloc(nruns + 1, sizeof *runs.items)) ||
        !(runs.of = np_calloc(nruns + 1, sizeof *runs.of)))
        goto out;
    if (plan.stdin_file) {
        for (size_t i = 0; i < plan.len && !in; i++) {
            if (!plan.launches[i].has_stdin) continue;
            int err;
            if (!(in = source_load("-", o->stdin_filename, &err))) {
                fprintf(stderr, "nf-preflight: -: %s\n", source_strerror(err));
                goto out;
            }
            standin = (StdinStandIn){plan.stdin_file, o->stdin_filename, in->text, in->len};
        }
    }
    check_plan(o, &plan, &standin, fmt == REPORT_JSON, &runs);
    if (runs.rc == EXIT_USAGE) { rc = EXIT_USAGE; goto out; }
    CheckResult all;
    memset(&all, 0, sizeof all);
    /* one summary line (and JSON object) per launch, named when there are
     * several or when it is the launch of a file the command named */
    StrBuf launch_text = STRBUF_INIT, launch_json = STRBUF_INIT;
    for (size_t i = 0; i < runs.len; i++) {
        const CheckResult *r = &runs.items[i];
        if (r->status != CHECK_OK || !r->summary.known) continue;
        const TargetLaunch *t = runs.of[i];
        const char *name = t && (plan.len > 1 || !t->whole) ? t->path : NULL;
        launch_summary_line(&launch_text, &r->summary, name);
        strbuf_putc(&launch_text, '\n');
        strbuf_putc(&launch_json, launch_json.len ? ',' : '[');
        launch_summary_json(&launch_json, &r->summary, name);
    }
    if (launch_json.len) strbuf_putc(&launch_json, ']');
    if (strbuf_failed(&launch_text) || strbuf_failed(&launch_json)) all.diags.oom = 1;
    for (size_t i = 0; i < runs.len; i++) {
        CheckResult *r = &runs.items[i];
        if (r->status != CHECK_OK) continue;
        diag_list_take(&all.diags, &r->diags);
        all.failing += r->failing;
        all.incomplete |= r->incomplete;
        if (!all.settings_dir) all.settings_dir = r->settings_dir;
    }
    diag_sort(&all.diags);
    if (all.diags.oom) {
        fprintf(stderr, "nf-preflight: out of memory\n");
        rc = EXIT_IO;
    } else {
        rc = write_result(o, CHECK_CMD_CHECK, fmt, color, &all, &launch_text, &launch_json);
        if (runs.rc > rc) rc = runs.rc;     /* a PATH that could not be checked */
    }
    diag_list_free(&all.diags);
    strbuf_free(&launch_text);
    strbuf_free(&launch_json);
out:
    for (size_t i = 0; i < runs.len; i++) check_result_free(&runs.items[i]);
    np_free(runs.items);
    np_free(runs.of);
    source_free(in);
    targets_plan_free(&plan);
    return rc;
}

static int cmd_resolved(Options *o, CheckCommand command)
{
    ReportFormat fmt = isatty(1) && !o->output ? REPORT_TEXT : REPORT_GCC;
    if (command == CHECK_CMD_CHECK && o->format && !report_format_parse(o->format, &fmt))
        return usage_error("unknown format '%s' (text, gcc, json, sarif, github, markdown)", o->format);
    ReportOptions asked = {0, NULL, o->statistics, o->quiet, NULL, NULL, NULL};
    if (command == CHECK_CMD_CHECK && !report_supports(fmt, &asked))
        return usage_error("%s", o->quiet ? "-q shows the counts line of the text and gcc formats"
                                          : "--statistics is shown in the text, gcc, json and markdown formats");
    if (command == CHECK_CMD_CONFIG && o->format && strcmp(o->format, "flat") && strcmp(o->format, "canonical") &&
        strcmp(o->format, "json"))
        return usage_error("unknown config format '%s' (flat, canonical, json)", o->format);
    if (command == CHECK_CMD_IMAGES && o->format && strcmp(o->format, "text") && strcmp(o->format, "json"))
        return usage_error("unknown images format '%s' (text, json)", o->format);
    int color = report_color_decide(o->color, isatty(1) && !o->output);
    if (color < 0) return usage_error("unknown --color value '%s' (auto, always, never)", o->color);
    if (o->insecure) fprintf(stderr, "nf-preflight: WARNING: --insecure: TLS certificates are NOT verified\n");

    /* JSON output always says where Wave is set (verbose detail is data there) */
    if (command == CHECK_CMD_CHECK) return cmd_check(o, fmt, color);
    if (o->paths.len > 1)
        return usage_error("%s shows one launch: give one PATH (-c FILE adds a config layer)",
                           command == CHECK_CMD_CONFIG ? "config" : "images");
    CheckRequest req;
    make_request(o, command, &req);
    CheckResult res;
    int rc = run_check(o, &req, &res);
    if (rc < 0) rc = write_result(o, command, fmt, color, &res, NULL, NULL);
    check_result_free(&res);
    return rc;
}

/* One fix run over `paths` (one PATH, or none with --launch). */
static int fix_one(Options *o, const char *const *paths, size_t npaths)
{
    CheckRequest req;
    make_request(o, CHECK_CMD_FIX, &req);
    req.paths = paths;
    req.npaths = npaths;
    CheckResult res;
    int rc = run_check(o, &req, &res);
    if (rc < 0) {
        diags_to_stderr(&res.diags);
        if (res.message) fprintf(stderr, "nf-preflight: %s\n", res.message);
        rc = res.fix_status;
        /* a refused fix writes nothing: -o FILE keeps what it held */
        if (rc == EXIT_CLEAN) {
            int wrc = write_output(o, &res.output);
            if (wrc) rc = wrc;
        }
    }
    check_result_free(&res);
    return rc;
}

/* `fix PATH...`: each PATH is fixed on its own launch (-c FILE adds layers). */
static int cmd_fix(Options *o)
{
    if (o->paths.len == 0 && !o->launch) return usage_error("%s", "fix needs a FILE, - or --launch FILE");
    if (o->write && o->diff) return usage_error("%s", "--write and --diff cannot be combined");
    if (o->paths.len > 1 && !o->write && !o->diff)
        return usage_error("%s", "fix with several PATHs needs --write or --diff (each PATH is fixed on its own)");
    if (o->paths.len <= 1) return fix_one(o, o->paths.items, o->paths.len);
    int worst = EXIT_CLEAN;
    for (size_t i = 0; i < o->paths.len; i++) {
        int rc = fix_one(o, o->paths.items + i, 1);
        if (rc > worst) worst = rc;
        if (rc == EXIT_USAGE) break;
    }
    return worst;
}

static int cmd_rules(Options *o)
{
    StrBuf out = STRBUF_INIT;
    report_rules_list(&out);
    int rc = write_output(o, &out);
    strbuf_free(&out);
    return rc;
}

static int cmd_explain(Options *o)
{
    if (o->paths.len != 1) return usage_error("%s", "explain takes one RULE name or id");
    const Rule *r = rule_find(o->paths.items[0]);
    if (!r) return usage_error("unknown rule '%s' (see 'nf-preflight rules')", o->paths.items[0]);
    StrBuf out = STRBUF_INIT;
    report_rule_explain(&out, r);
    int rc = write_output(o, &out);
    strbuf_free(&out);
    return rc;
}

/* ---------------- prerun ---------------- */

/* A part of the run that could not be checked: a warning (fail open), an
 * error with --strict. Returns 0 when memory ran out. */
static int not_checked(const Options *o, DiagList *diags, const char *what, const char *detail)
{
    return diag_add(diags, NULL, 0, 0, o->strict ? SEV_ERROR : SEV_WARNING, RULE_NOT_CHECKED, "%s%s%s", what,
                    detail ? ": " : "", detail ? detail : "") != NULL;
}

/* The pipeline prerun fetched: its files are named relative to the
 * repository (`dir`, a temporary directory gone when prerun ends), and the
 * reports say which repository and revision that is. NULL fields: the
 * pipeline was on this machine. */
typedef struct PrerunShown {
    const char *dir;         /* the checkout (RepoCheckout.dir) */
    char *repository;        /* the launch's pipeline as shown (no password) */
    const char *revision;    /* the launch's revision, or NULL: the default branch */
} PrerunShown;

/* Messages name files by their path too: the part `dir/` goes, as in the
 * file names. 0 when memory ran out. */
static int messages_in_repository(DiagList *diags, const char *dir)
{
    size_t dl = strlen(dir);
    for (size_t i = 0; i < diags->len; i++) {
        char *m = diags->items[i].message;
        if (!m || !strstr(m, dir)) continue;
        StrBuf b = STRBUF_INIT;
        for (const char *p = m, *hit; *p; p = hit + dl + 1) {
            hit = strstr(p, dir);
            while (hit && hit[dl] != '/') hit = strstr(hit + 1, dir);
            if (!hit) {
                strbuf_puts(&b, p);
                break;
            }
            strbuf_append(&b, p, (size_t)(hit - p));
        }
        char *out = strbuf_take(&b);
        if (!out) return 0;
        np_free(m);
        diags->items[i].message = out;
    }
    return 1;
}

/* --report FILE: JSON when FILE ends in .json, else markdown. */
static int write_prerun_report(const Options *o, const DiagList *diags, const PrerunShown *shown)
{
    size_t n = strlen(o->report);
    int json = n >= 5 && !strcmp(o->report + n - 5, ".json");
    StrBuf b = STRBUF_INIT, where = STRBUF_INIT;
    ReportOptions ro = {0, NULL, 0, 0, NULL, NULL, shown->dir};
    if (shown->dir && shown->repository) {
        strbuf_printf(&where, "pipeline %s at %s%s; files are named relative to the repository", shown->repository,
                      shown->revision ? "revision " : "its default branch", shown->revision ? shown->revision : "");
        ro.launch_text = strbuf_cstr(&where);
    }
    if (json) {
        strbuf_printf(&b, "{\"verdict\":\"%s\",\"line\":", report_verdict_name(report_verdict(diags)));
        StrBuf line = STRBUF_INIT;
        report_verdict_line(&line, diags, shown->dir);
        strbuf_json_str(&b, strbuf_cstr(&line), line.len);
        strbuf_free(&line);
        if (shown->dir && shown->repository) {
            /* the files' "path" members are relative to this */
            strbuf_puts(&b, ",\"repository\":");
            strbuf_json_str(&b, shown->repository, strlen(shown->repository));
            strbuf_puts(&b, ",\"revision\":");
            if (shown->revision) strbuf_json_str(&b, shown->revision, strlen(shown->revision));
            else strbuf_puts(&b, "null");
        }
        strbuf_puts(&b, ",\"report\":");
        ro.launch_text = NULL;
        report_emit(&b, REPORT_JSON, diags, &ro);
        strbuf_puts(&b, "}\n");
    } else {
        report_markdown(&b, diags, &ro);
    }
    if (strbuf_failed(&where)) b.failed = 1;
    strbuf_free(&where);
    Options to = *o;
    to.output = o->report;
    int rc = write_output(&to, &b);
    strbuf_free(&b);
    return rc;
}

/* The verdict line, then one line per finding (stdout or -o FILE), then
 * --report FILE. Exit 1 only on BLOCK; a report that cannot be written is
 * said on stderr and does not stop the launch unless --strict. */
static int prerun_output(const Options *o, DiagList *diags, const PrerunShown *shown)
{
    diag_sort(diags);
    if (shown->dir && !messages_in_repository(diags, shown->dir)) diags->oom = 1;
    StrBuf out = STRBUF_INIT;
    report_verdict_line(&out, diags, shown->dir);
    strbuf_putc(&out, '\n');
    ReportOptions ro = {0, NULL, 0, 0, NULL, NULL, shown->dir};
    report_emit(&out, REPORT_GCC, diags, &ro);
    int rc = write_output(o, &out);
    strbuf_free(&out);
    if (o->report && write_prerun_report(o, diags, shown) != EXIT_CLEAN && o->strict) rc = EXIT_IO;
    if (rc == EXIT_CLEAN && report_verdict(diags) == VERDICT_BLOCK && !o->exit_zero) rc = EXIT_FINDINGS;
    return rc;
}

/* The launch's layers and data handed to the check pipeline. */
static void prerun_request(const Options *o, const PrerunRun *run, const char **pipeline, const char *launch_name,
                           CheckRequest *req)
{
    make_request(o, CHECK_CMD_CHECK, req);
    req->paths = pipeline;
    req->npaths = 1;
    req->launch_path = launch_name;
    req->launch_text = run->launch_json;
    req->launch_text_len = run->launch_len;
    req->platform_layers = run->layers;
    req->nplatform_layers = run->nlayers;
    req->platform_creds_text = run->creds_json;
    req->platform_creds_len = run->creds_len;
    req->platform_creds_origin = "Platform workspace credentials";
    req->platform_creds_unread = run->creds_error != NULL;
    req->compute_platform = run->ce_platform;
    req->compute_credentials_id = run->ce_credentials_id;
    req->compute_env_name = run->ce_name ? run->ce_name : run->ce_id;
    req->compute_wave_toggle = prerun_wave_toggle(run->ce_platform);
    /* --syntax and NXF_SYNTAX_PARSER (a pre-run script's export reaches
     * Nextflow) win over the launch's own setting, which wins over the
     * NXF_VER default. When none is there, the launcher's Nextflow decides
     * (Platform's nf-launcher baseline may predate 26.04): v2-only findings
     * do not BLOCK. (main() refused a bad NXF_SYNTAX_PARSER already.) */
    int decided;
    req->syntax_v1 = check_syntax_choice(o->syntax_flag ? o->syntax : NULL, getenv("NXF_SYNTAX_PARSER"),
                                         run->syntax_parser, getenv("NXF_VER"), &decided) == 1;
    req->syntax_undecided = !decided;
}

/* The HTTPS way reads the configuration only: the scripts' images and the
 * rest of the pipeline were not seen. A warning whatever --strict says: what
 * was read was checked. 0 when memory ran out. */
static int scripts_not_read(DiagList *diags)
{
    return diag_add(diags, NULL, 0, 0, SEV_WARNING, RULE_NOT_CHECKED,
                    "the pipeline's scripts were not checked: git is not on PATH, so only its configuration "
                    "files were read over HTTPS (the containers named in .nf files were not seen)") != NULL;
}

/* The launch's pipeline is not on this machine: fetch it at the launch's
 * revision (prerun_repo.h). The directory to check, or NULL with what was not
 * checked in diags (*ok 0 when memory ran out). */
static const char *fetch_pipeline(const Options *o, const PrerunRun *run, RepoCheckout *repo, DiagList *diags,
                                  int *ok)
{
    RepoFetch f;
    memset(&f, 0, sizeof f);
    f.url = run->pipeline;
    f.revision = run->revision;
    f.allow_local = o->allow_local_repository;
    f.insecure = o->insecure;
    char *why = NULL;
    int rc = repo_fetch(&f, repo, &why);
    if (rc == REPO_OK) return repo->dir;
    if (rc == REPO_NOMEM) { *ok = 0; return NULL; }
    StrBuf m = STRBUF_INIT;
    strbuf_printf(&m, "%s; give --pipeline DIR (for instance after a git clone in the pre-run script)",
                  why ? why : "the launch names no pipeline");
    *ok = !strbuf_failed(&m) && not_checked(o, diags, "nothing was checked", strbuf_cstr(&m));
    strbuf_free(&m);
    np_free(why);
    return NULL;
}

static int cmd_prerun(Options *o)
{
    if (o->paths.len) return usage_error("%s", "prerun takes no PATH: --pipeline DIR names the pipeline");
    if (o->insecure) fprintf(stderr, "nf-preflight: WARNING: --insecure: TLS certificates are NOT verified\n");

    DiagList diags = {0};
    const char *wf = getenv("TOWER_WORKFLOW_ID");
    PlatformConfig pc;
    platform_config_from_env(&pc);
    pc.insecure = o->insecure;
    PrerunRun run;
    memset(&run, 0, sizeof run);
    RepoCheckout repo;
    memset(&repo, 0, sizeof repo);
    repo.guard_fd = -1;
    char *why = NULL, *local = NULL, *launch_name = NULL;
    PrerunShown shown = {NULL, NULL, NULL};
    int rc = -1, ok = 1;   /* ok 0: memory ran out */
    struct stat st;
    if (o->pipeline && (stat(o->pipeline, &st) != 0 || !S_ISDIR(st.st_mode))) {
        /* a clone in the pre-run script that failed: fail open like the rest */
        StrBuf m = STRBUF_INIT;
        strbuf_printf(&m, "--pipeline %s is not a directory", o->pipeline);
        ok = !strbuf_failed(&m) && not_checked(o, &diags, "nothing was checked", strbuf_cstr(&m));
        strbuf_free(&m);
    } else if (!wf || !*wf) {
        ok = not_checked(o, &diags, "nothing was checked",
                         "TOWER_WORKFLOW_ID is not set, so this is not a Platform run's pre-run script and there is "
                         "no launch to read (use `nf-preflight check --launch FILE` outside Platform)");
    } else if (!pc.access_token || !*pc.access_token) {
        ok = not_checked(o, &diags, "nothing was checked",
                         "TOWER_ACCESS_TOKEN is not set, so the run's launch cannot be read from Platform");
    } else {
        int fr = prerun_fetch(&pc, wf, &run, &why);
        if (fr == PRERUN_NOMEM) ok = 0;
        else if (fr != PRERUN_OK) ok = not_checked(o, &diags, "nothing was checked", why);
        else {
            const char *dir = o->pipeline ? o->pipeline : (local = prerun_local_pipeline(run.pipeline));
            StrBuf name = STRBUF_INIT;
            strbuf_printf(&name, "platform:workflow/%s/launch", wf);
            launch_name = strbuf_take(&name);
            if (!launch_name) ok = 0;
            else if (!dir && !(dir = fetch_pipeline(o, &run, &repo, &diags, &ok))) {
                /* said in diags (or memory ran out) */
            } else {
                if (dir == repo.dir) {
                    shown.dir = repo.dir;
                    shown.repository = http_url_for_display(run.pipeline);
                    shown.revision = run.revision;
                }
                const char *paths[1] = {dir};
                CheckRequest req;
                prerun_request(o, &run, paths, launch_name, &req);
                if (repo.raw_base) {
                    /* the HTTPS way: the config files are read on demand */
                    req.load = repo_load;
                    req.load_ctx = &repo;
                }
                CheckResult res;
                int st2 = check_run(&req, &res);
                say_settings(o, &res);
                if (st2 == CHECK_OK && repo.read_error) {
                    /* a config file the network did not deliver: what was found
                     * without it is not the run's */
                    ok = not_checked(o, &diags, "nothing was checked", repo.read_error);
                } else if (st2 == CHECK_OK) {
                    /* written before the result goes: findings point into its sources */
                    if (run.creds_error &&
                        !not_checked(o, &res.diags, "registry credentials were not checked", run.creds_error))
                        ok = 0;
                    else if (repo.raw_base && !scripts_not_read(&res.diags))
                        ok = 0;
                    else
                        rc = prerun_output(o, &res.diags, &shown);
                } else if (res.usage_hint) {
                    rc = usage_error("%s", res.message ? res.message : "out of memory");
                } else if (!res.message || !strcmp(res.message, "out of memory")) {
                    ok = 0;
                } else {
                    ok = not_checked(o, &diags, "nothing was checked", res.message);
                }
                check_result_free(&res);
            }
        }
    }
    if (!ok) {
        fprintf(stderr, "nf-preflight: out of memory\n");
        rc = EXIT_IO;
    }
    if (rc < 0) rc = prerun_output(o, &diags, &shown);
    diag_list_free(&diags);
    np_free(why);
    np_free(local);
    np_free(launch_name);
    np_free(shown.repository);
    prerun_run_free(&run);
    repo_checkout_free(&repo);
    return rc;
}

/* ---------------- argument parsing ---------------- */

/* Value of `--opt value` or `--opt=value`. */
static const char *opt_value(int argc, char **argv, int *i, const char *name)
{
    const char *a = argv[*i];
    size_t n = strlen(name);
    if (strncmp(a, name, n) == 0 && a[n] == '=') return a + n + 1;
    if (*i + 1 >= argc) return NULL;
    return argv[++*i];
}

static int is_opt(const char *a, const char *name)
{
    size_t n = strlen(name);
    return strncmp(a, name, n) == 0 && (a[n] == '\0' || a[n] == '=');
}

/* The FILE of an option whose value may be left out (--docker-config,
 * --auth-file): `--opt=FILE`, or `--opt FILE` when the next argument is not
 * an option, a directory or a Nextflow file (*.config, *.nf) - those stay
 * PATHs. A credential file must never be taken for a config to print. */
static const char *optional_file_value(int argc, char **argv, int *i, const char *name)
{
    const char *a = argv[*i];
    size_t n = strlen(name);
    if (a[n] == '=') return a + n + 1;
    if (*i + 1 >= argc) return NULL;
    const char *next = argv[*i + 1];
    size_t len = strlen(next);
    struct stat st;
    int dir = stat(next, &st) == 0 && S_ISDIR(st.st_mode);
    if (next[0] == '-' || dir || (len > 7 && !strcmp(next + len - 7, ".config")) ||
        (len > 3 && !strcmp(next + len - 3, ".nf")))
        return NULL;
    return argv[++*i];
}

/* The commands, in the order of the bits of OptionSpec.commands ("lsp" is
 * dispatched before the others: it parses its own options). */
static const char *const commands[] = {"check", "fix", "config", "images", "parse", "rules", "explain", "prerun", "lsp"};
enum {
    ON_CHECK = 1, ON_FIX = 2, ON_CONFIG = 4, ON_IMAGES = 8, ON_PARSE = 16, ON_RULES = 32, ON_EXPLAIN = 64,
    ON_PRERUN = 128, ON_ALL = 255,
    ON_LAUNCH = ON_CHECK | ON_FIX | ON_CONFIG | ON_IMAGES | ON_PRERUN,   /* resolve a launch */
    ON_CREDS = ON_CHECK | ON_IMAGES | ON_PRERUN,                         /* load credentials */
    ON_FINDINGS = ON_CHECK | ON_CONFIG | ON_IMAGES                        /* exit on findings */
};

/* Every option and the commands it applies to: an option given to another
 * command is a usage error (`check --write` would do nothing), an unknown
 * one gets a did-you-mean from this list. */
static const struct OptionSpec {
    const char *name;
    unsigned commands;
} option_specs[] = {
    {"--help", ON_ALL}, {"-h", ON_ALL}, {"--version", ON_ALL}, {"--schema-version", ON_ALL},
    {"--output", ON_ALL}, {"-o", ON_ALL},
    {"--tokens", ON_PARSE}, {"--tree", ON_PARSE},
    {"--write", ON_FIX}, {"-w", ON_FIX}, {"--diff", ON_FIX}, {"--force", ON_FIX},
    {"--pipeline", ON_PRERUN}, {"--report", ON_PRERUN}, {"--strict", ON_PRERUN},
    {"--allow-local-repository", ON_PRERUN},
    {"--exit-zero", ON_FINDINGS | ON_PRERUN}, {"--fail-on", ON_FINDINGS},
    {"--format", ON_CHECK | ON_CONFIG | ON_IMAGES}, {"--color", ON_CHECK},
    {"--select", ON_CHECK | ON_PRERUN}, {"--ignore", ON_CHECK | ON_PRERUN},
    {"--statistics", ON_CHECK}, {"--quiet", ON_CHECK}, {"-q", ON_CHECK},
    {"--stdin-filename", ON_CHECK | ON_FIX | ON_PARSE}, {"--wave-policy", ON_CHECK | ON_PRERUN},
    {"--clean-env", ON_LAUNCH}, {"--remote-includes", ON_LAUNCH}, {"--env", ON_LAUNCH},
    {"--trust-env", ON_LAUNCH}, {"--allow-outside-includes", ON_LAUNCH},
    {"--launch", ON_LAUNCH}, {"--launch-config", ON_LAUNCH}, {"--syntax", ON_LAUNCH},
    {"-profile", ON_LAUNCH}, {"--profile", ON_LAUNCH}, {"-c", ON_LAUNCH}, {"--config", ON_LAUNCH},
    {"--param", ON_LAUNCH}, {"--params-file", ON_LAUNCH}, {"-params-file", ON_LAUNCH},
    {"--settings", ON_LAUNCH}, {"--no-settings", ON_LAUNCH}, {"-v", ON_LAUNCH}, {"--verbose", ON_LAUNCH},
    {"--credentials", ON_CREDS}, {"--platform", ON_CREDS}, {"--docker-config", ON_CREDS},
    {"--auth-file", ON_CREDS}, {"--online", ON_CREDS}, {"--insecure", ON_CREDS},
    /* Nextflow's run options (model/runopts.h), with Nextflow's spelling */
    {"-with-docker", ON_LAUNCH}, {"-without-docker", ON_LAUNCH}, {"-with-podman", ON_LAUNCH},
    {"-with-singularity", ON_LAUNCH}, {"-with-apptainer", ON_LAUNCH}, {"-with-charliecloud", ON_LAUNCH},
    {"-with-conda", ON_LAUNCH}, {"-with-wave", ON_LAUNCH}, {"-with-fusion", ON_LAUNCH},
    {"-with-tower", ON_LAUNCH},
};
#define NOPTIONS (sizeof option_specs / sizeof option_specs[0])
#define NCOMMANDS (sizeof commands / sizeof commands[0])

/* "unknown WHAT 'word'", with the closest of `cands` when one is close. */
static int unknown_word(const char *what, const char *word, const char *const *cands, size_t n)
{
    const char *best[1];
    char buf[64];
    size_t len = strcspn(word, "=");       /* --formt=json: the name */
    if (len >= sizeof buf) len = sizeof buf - 1;
    memcpy(buf, word, len);
    buf[len] = '\0';
    if (suggest_closest(buf, cands, n, best, 1)) {
        fprintf(stderr, "nf-preflight: unknown %s '%s'; did you mean '%s'?\n", what, buf, best[0]);
        fprintf(stderr, "Try 'nf-preflight --help'.\n");
        return EXIT_USAGE;
    }
    fprintf(stderr, "nf-preflight: unknown %s '%s'\nTry 'nf-preflight --help'.\n", what, buf);
    return EXIT_USAGE;
}

/* -1 when option `a` applies to `command`, else the usage error's exit code
 * after its message (unknown option, or one of another command). */
static int option_applies(const char *a, const char *command)
{
    unsigned bit = 0;
    for (size_t k = 0; k < NCOMMANDS; k++)
        if (!strcmp(commands[k], command)) bit = 1u << k;
    for (size_t k = 0; k < NOPTIONS; k++) {
        if (!is_opt(a, option_specs[k].name)) continue;
        if (option_specs[k].commands & bit) return -1;
        fprintf(stderr, "nf-preflight: %s does not apply to '%s' (it is an option of:", option_specs[k].name, command);
        for (size_t c = 0; c < NCOMMANDS; c++)
            if (option_specs[k].commands & (1u << c)) fprintf(stderr, " %s", commands[c]);
        fprintf(stderr, ")\nTry 'nf-preflight --help'.\n");
        return EXIT_USAGE;
    }
    const char *names[NOPTIONS];
    for (size_t k = 0; k < NOPTIONS; k++) names[k] = option_specs[k].name;
    return unknown_word("option", a, names, NOPTIONS);
}

/* Splits a --select/--ignore value (a comma list) into `vec`, checking that
 * every word covers a rule. The words point into `copy` (np_malloc'd, kept
 * until the run ends). -1, or the usage error's exit code. */
static int add_selectors(StrVec *vec, const char *opt, const char *value, char **copy)
{
    if (!(*copy = np_strdup(value))) return EXIT_IO;
    for (char *w = *copy; w;) {
        char *comma = strchr(w, ',');
        if (comma) *comma = '\0';
        if (*w) {
            int covers = 0;
            for (size_t r = 0; r < rule_count && !covers; r++) covers = rule_selected(&rule_table[r], w);
            if (!covers) {
                const char *names[2 * RULE_COUNT];
                for (size_t r = 0; r < rule_count; r++) {
                    names[2 * r] = rule_table[r].name;
                    names[2 * r + 1] = rule_table[r].id;
                }
                char what[32];
                snprintf(what, sizeof what, "rule in %s", opt);
                return unknown_word(what, w, names, 2 * rule_count);
            }
            vec->items[vec->len++] = w;
        }
        w = comma ? comma + 1 : NULL;
    }
    return -1;
}

/* argv[1] when it is no command but looks like a misspelt one: not an
 * option, no file or directory of that name, and close to a command. */
static int misspelt_command(const char *word)
{
    struct stat st;
    if (word[0] == '-' || strchr(word, '/') || stat(word, &st) == 0) return -1;
    const char *best[1];
    if (!suggest_closest(word, commands, NCOMMANDS, best, 1)) return -1;
    return unknown_word("command", word, commands, NCOMMANDS);
}

int cli_main(int argc, char **argv)
{
    if (argc > 1 && !strcmp(argv[1], "lsp")) return lsp_main(argc - 1, argv + 1);
    Options o;
    memset(&o, 0, sizeof o);
    o.fail_on = SEV_ERROR;
    /* each repeatable option gets its own slice of the pool; --select and
     * --ignore words are at most one per two bytes of the arguments */
    size_t bytes = 1;
    for (int k = 1; k < argc; k++) bytes += strlen(argv[k]) + 1;
    StrVec *vecs[] = {&o.paths, &o.configs, &o.params, &o.params_files, &o.envs, &o.cred_files};
    size_t nvecs = sizeof vecs / sizeof vecs[0];
    const char **pool = np_calloc(nvecs * ((size_t)argc + 1) + 2 * bytes, sizeof *pool);
    char **copies = np_calloc((size_t)argc + 1, sizeof *copies);   /* split --select/--ignore values */
    size_t ncopies = 0;
    if (!pool || !copies) {
        np_free(pool);
        np_free(copies);
        return EXIT_IO;
    }
    for (size_t k = 0; k < nvecs; k++) vecs[k]->items = pool + k * ((size_t)argc + 1);
    o.select.items = pool + nvecs * ((size_t)argc + 1);
    o.ignore.items = o.select.items + bytes;

    int i = 1;
    o.command = "check";
    int rc = -1;
    if (argc > 1) {
        for (size_t k = 0; k < NCOMMANDS; k++)
            if (!strcmp(argv[1], commands[k])) { o.command = commands[k]; i = 2; }
        if (i == 1) rc = misspelt_command(argv[1]);
    }
    int options_end = 0;     /* after `--`, every argument is a PATH */
    for (; i < argc && rc < 0; i++) {
        const char *a = argv[i];
        const char *v;
        if (options_end || a[0] != '-' || !strcmp(a, "-")) {
            o.paths.items[o.paths.len++] = a;
            continue;
        }
        if (!strcmp(a, "--")) {
            options_end = 1;
            continue;
        }
        if ((rc = option_applies(a, o.command)) >= 0) break;
        const char *rerr = NULL;
        int ro;
#define VALUE(name, field) \
        else if (is_opt(a, name)) { \
            if (!(v = opt_value(argc, argv, &i, name))) rc = usage_error("%s needs a value", name); \
            else o.field = v; \
        }
#define PUSH(name, vec) \
        else if (is_opt(a, name)) { \
            if (!(v = opt_value(argc, argv, &i, name))) rc = usage_error("%s needs a value", name); \
            else o.vec.items[o.vec.len++] = v; \
        }
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            fputs(usage_text, stdout);
            rc = EXIT_CLEAN;
        } else if (!strcmp(a, "--schema-version")) {
            printf("Nextflow %s\n", schema_nextflow_version());
            rc = EXIT_CLEAN;
        } else if (!strcmp(a, "--version")) {
            printf("nf-preflight %s\n", NFP_VERSION);
            rc = EXIT_CLEAN;
        }
        else if (!strcmp(a, "--tokens")) o.show_tokens = 1;
        else if (!strcmp(a, "--tree")) o.show_tree = 1;
        else if (!strcmp(a, "--exit-zero")) o.exit_zero = 1;
        else if (!strcmp(a, "--clean-env")) o.clean_env = 1;
        else if (!strcmp(a, "--trust-env")) o.trust_env = 1;
        else if (!strcmp(a, "--remote-includes")) o.remote_includes = 1;
        else if (!strcmp(a, "--allow-outside-includes")) o.allow_outside_includes = 1;
        else if (!strcmp(a, "--platform")) o.platform = 1;
        else if (!strcmp(a, "--online")) o.online = 1;
        else if (!strcmp(a, "--insecure")) o.insecure = 1;
        else if (!strcmp(a, "--no-settings")) o.no_settings = 1;
        else if (!strcmp(a, "--write") || !strcmp(a, "-w")) o.write = 1;
        else if (!strcmp(a, "--diff")) o.diff = 1;
        else if (!strcmp(a, "--force")) o.force = 1;
        else if (!strcmp(a, "--strict")) o.strict = 1;
        else if (!strcmp(a, "--allow-local-repository")) o.allow_local_repository = 1;
        else if (!strcmp(a, "--statistics")) o.statistics = 1;
        else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) o.quiet = 1;
        else if (is_opt(a, "--select") || is_opt(a, "--ignore")) {
            int sel = is_opt(a, "--select");
            const char *name = sel ? "--select" : "--ignore";
            if (!(v = opt_value(argc, argv, &i, name))) rc = usage_error("%s needs a value", name);
            else rc = add_selectors(sel ? &o.select : &o.ignore, name, v, &copies[ncopies++]);
        }
        else if (!strcmp(a, "-v") || !strcmp(a, "--verbose")) o.verbose = 1;
        else if (is_opt(a, "--docker-config")) {
            o.docker_config = 1;
            o.docker_config_path = optional_file_value(argc, argv, &i, "--docker-config");
        } else if (is_opt(a, "--auth-file")) {
            o.auth_file = 1;
            o.auth_file_path = optional_file_value(argc, argv, &i, "--auth-file");
        }
        VALUE("--format", format)
        VALUE("--color", color)
        VALUE("--stdin-filename", stdin_filename)
        VALUE("--launch-config", launch_config)
        VALUE("--launch", launch)
        VALUE("--syntax", syntax)
        VALUE("--wave-policy", wave_policy)
        VALUE("--settings", settings_path)
        VALUE("--pipeline", pipeline)
        VALUE("--report", report)
        VALUE("--output", output)
        VALUE("-o", output)
        VALUE("-profile", profile)
        VALUE("--profile", profile)
        PUSH("-c", configs)
        PUSH("--config", configs)
        PUSH("--param", params)
        PUSH("--params-file", params_files)
        PUSH("-params-file", params_files)
        PUSH("--env", envs)
        PUSH("--credentials", cred_files)
        else if (is_opt(a, "--fail-on")) {
            v = opt_value(argc, argv, &i, "--fail-on");
            if (!v || !severity_parse(v, &o.fail_on) || o.fail_on == SEV_NONE)
                rc = usage_error("--fail-on takes error, warning or info, not '%s'", v ? v : "");
            o.fail_on_given = 1;
        } else if ((ro = runopts_parse(&o.run, argc, argv, &i, &rerr)) != RUNOPT_NOT_MINE) {
            if (ro == RUNOPT_USAGE) rc = usage_error("%s", rerr);
        } else if (!strcmp(a, "-")) {
            o.paths.items[o.paths.len++] = a;
        } else if (a[0] == '-') {
            rc = usage_error("unknown option '%s'", a);
        } else {
            o.paths.items[o.paths.len++] = a;
        }
#undef VALUE
#undef PUSH
    }
    if (rc < 0 && o.syntax && strcmp(o.syntax, "v1") && strcmp(o.syntax, "v2"))
        rc = usage_error("--syntax takes v1 or v2, not '%s'", o.syntax);
    o.syntax_flag = o.syntax != NULL;
    /* Without --syntax, follow the parser Nextflow itself would pick. */
    if (rc < 0 && !o.syntax) {
        const char *env_syntax = getenv("NXF_SYNTAX_PARSER");
        int v1 = check_default_syntax_v1(env_syntax, getenv("NXF_VER"));
        if (v1 < 0) rc = usage_error("NXF_SYNTAX_PARSER is '%s'; Nextflow accepts only v1 or v2", env_syntax);
        else if (v1) o.syntax = "v1";
    }
    if (rc < 0 && runopts_conflict(&o.run)) rc = usage_error("%s", runopts_conflict(&o.run));
    if (rc < 0 && o.envs.len) {
        /* NAME=VALUE, or a NAME alone: the config may print that variable */
        for (size_t k = 0; k < o.envs.len && rc < 0; k++) {
            const char *e = o.envs.items[k];
            size_t n = strcspn(e, "=");
            if (!n || strspn(e, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_") < n)
                rc = usage_error("--env takes NAME=VALUE or NAME, not '%s'", e);
        }
    }
    if (rc < 0) {
        if (!strcmp(o.command, "parse")) rc = cmd_parse(&o);
        else if (!strcmp(o.command, "rules")) rc = cmd_rules(&o);
        else if (!strcmp(o.command, "explain")) rc = cmd_explain(&o);
        else if (!strcmp(o.command, "fix")) rc = cmd_fix(&o);
        else if (!strcmp(o.command, "prerun")) rc = cmd_prerun(&o);
        else if (!strcmp(o.command, "config")) rc = cmd_resolved(&o, CHECK_CMD_CONFIG);
        else if (!strcmp(o.command, "images")) rc = cmd_resolved(&o, CHECK_CMD_IMAGES);
        else rc = cmd_resolved(&o, CHECK_CMD_CHECK);
    }
    for (size_t k = 0; k < ncopies; k++) np_free(copies[k]);
    np_free(copies);
    np_free(pool);
    return rc;
}
