/* check — the one check pipeline. Every front end (the `check`, `images`,
 * `config` and `fix` commands of cli.c, and the future `prerun` and `lsp`)
 * fills a CheckRequest and calls check_run, which runs, in this order:
 *
 *   1. prepare the launch: tool settings discovery, config layers (files, a
 *      pipeline directory, stdin or an in-memory text, -c files, a Platform
 *      run's compute environment layers, a Platform launch's configText,
 *      --launch-config), params (launch paramsText,
 *      --params-file, --param), profiles (-profile, the launch's, the
 *      settings');
 *   2. resolve the launch into a Config;
 *   3. load credentials (check and images);
 *   4. run the command's rule families;
 *   5. inline suppressions, then `#` suppressions of a YAML launch file;
 *   6. the severity policy: launch-dependent default severities (legacy
 *      parser: v2-incompatible is a note for later), then the settings file
 *      (per-rule severities, ignore, per-file-ignores), which wins; then
 *      the request's choice of files and rules (report_files, --select,
 *      --ignore);
 *   7. secret scrubbing: a secret value copied into a message is replaced;
 *   8. sort; then count what fails the run at the --fail-on level.
 *
 * For `check`, step 4 also fills the launch summary (summary.h) from what
 * the families computed: Wave's status, the image inventory and its
 * credential cross-check.
 *
 * For `fix`, steps 2-4 are the fixer's own resolve-and-verify (fix.h) on the
 * prepared launch. check_run never prints and never exits: problems come back
 * as a status and a message; everything else is in the CheckResult. */
#ifndef NFP_CHECK_CHECK_H
#define NFP_CHECK_CHECK_H
#include <stddef.h>
#include "config.h"
#include "diag.h"
#include "model/runopts.h"
#include "resolve.h"
#include "fix.h"
#include "settings.h"
#include "strbuf.h"
#include "check/summary.h"

typedef enum CheckCommand {
    CHECK_CMD_CHECK = 0,   /* every rule family; unused suppressions are reported */
    CHECK_CMD_IMAGES,      /* the image inventory (result->output) and its rules */
    CHECK_CMD_CONFIG,      /* resolve only: result->config is the printers' input */
    CHECK_CMD_FIX,         /* turn Wave on: result->output is the patched text or diff */
    CHECK_CMD_SYNTAX       /* the syntax of the PATHs alone (includes not followed, no
                              launch rules): a config that its pipeline's launch does
                              not read (a profile's include when the profile is not
                              selected) is not a launch of its own */
} CheckCommand;

/* An in-memory config layer (a Platform run's compute environment config). */
typedef struct CheckTextLayer {
    const char *name;              /* display name in findings */
    const char *text;
    size_t len;
} CheckTextLayer;

typedef struct CheckRequest {
    CheckCommand command;

    /* --- the launch, as Nextflow would see it --- */
    const char *const *paths;      /* config files, pipeline directories, "-" for stdin */
    size_t npaths;
    const char *stdin_name;        /* display name for "-" (default "<stdin>") */
    const char *text;              /* an in-memory config layer applied after `paths` */
    size_t text_len;               /*   (an editor's buffer); NULL when none */
    const char *text_name;         /*   its display name; relative includes resolve against */
    const char *text_dir;          /*   text_dir, also projectDir when no PATH is given
                                      (default: the current directory) */
    const char *const *configs;    /* -c FILE, applied after the above */
    size_t nconfigs;
    const char *launch_path;       /* --launch FILE: Platform launch JSON/YAML */
    const char *launch_text;       /* the launch document already in memory (prerun: the
                                      GET /workflow/{id}/launch answer); launch_path is
                                      then only its display name */
    size_t launch_text_len;
    const CheckTextLayer *platform_layers; /* applied after the -c files and before the
                                      launch's configText (prerun: the compute
                                      environment's nextflowConfig, then its Wave/Fusion
                                      toggles) */
    size_t nplatform_layers;
    const char *launch_config_path;/* --launch-config FILE */
    const char *const *params_files;
    size_t nparams_files;
    const char *const *params;     /* NAME=VALUE */
    size_t nparams;
    const char *const *env;        /* NAME=VALUE seen by the config, or NAME that may print */
    size_t nenv;
    int clean_env;
    int trust_env;                 /* config code may print every environment value */
    const char *profiles;          /* "a,b" (-profile), or NULL */
    int syntax_v1;                 /* legacy parser semantics */
    int syntax_undecided;          /* nothing named the parser (check_syntax_choice):
                                      v2-incompatible findings are warnings that
                                      name the Nextflow version they depend on */
    int remote_includes;           /* fetch http(s) includeConfig files */
    int allow_outside_includes;    /* read includes outside the project (resolve.h) */
    int ignore_includes;           /* do not follow includeConfig at all (fuzzers;
                                      a view of one buffer) */
    ResolveLoad load;              /* reads the config files instead of the disk (an
                                      editor's open buffers and file cache); NULL: disk */
    void *load_ctx;
    ResolveParse parse;            /* parses them (an editor's parse cache); NULL:
                                      parse_config */
    void *parse_ctx;
    const RunOptions *run;         /* Nextflow run options (-with-docker, -with-wave, ...),
                                      applied over the resolved config; NULL when none */

    /* --- tool settings --- */
    const char *settings_path;     /* --settings FILE; NULL: the nearest .nf-preflight.yml */
    int no_settings;
    const char *wave_policy;       /* --wave-policy required|recommended|off, over the settings' `wave:` */

    /* --- credentials (check, images) --- */
    const char *const *cred_files;
    size_t ncred_files;
    int platform;
    const char *platform_creds_text;   /* a GET /credentials answer already fetched (prerun) */
    size_t platform_creds_len;
    const char *platform_creds_origin; /* its name in findings */
    int platform_creds_unread;         /* prerun could not list them (it says so): unknown, not empty */
    const char *compute_platform;      /* the run's compute environment: platform ("aws-batch")
                                          and credentialsId, for Wave's fallback to the compute
                                          environment's cloud credentials (images.c) */
    const char *compute_credentials_id;
    const char *compute_env_name;      /* its name, for messages */
    int compute_wave_toggle;           /* its kind has an "Enable Wave containers" toggle (prerun) */
    int docker_config;
    const char *docker_config_path;
    int auth_file;
    const char *auth_file_path;
    int online;                    /* probe registries for anonymous pulls */
    int insecure;                  /* TLS verification off (the front end says so loudly) */

    /* --- what to report (after suppressions and the settings file) --- */
    const char *const *report_files; /* normalized paths (targets.h): only findings in
                                        these files and those about the run as a
                                        whole are kept; NULL: every finding */
    size_t nreport_files;
    const char *const *select;     /* --select: rule selectors (rule_selected); only
                                      the findings they cover are kept; NULL: all */
    size_t nselect;
    const char *const *ignore;     /* --ignore: findings they cover are dropped (wins
                                      over select); syntax errors are always kept */
    size_t nignore;

    /* --- what to say --- */
    int verbose;                   /* explain where settings come from (info notes) */
    int notes;                     /* add those notes as data (JSON) without -v; notes
                                      never count toward the fail-on level */
    Severity fail_on;              /* SEV_NONE: the settings' fail-on (default error) */
    const char *images_format;     /* images: "text" (default) or "json" */
    int fix_write, fix_diff;       /* fix: --write, --diff */
    int fix_force;                 /* fix --force: write a read-only or hard-linked file too */

    /* --- how --- */
    int read_ahead;                /* read a pipeline directory's .nf files on a second
                                      thread while the config resolves (pipeline.h);
                                      0 keeps every allocation on the calling thread,
                                      as the allocation-failure test needs */
} CheckRequest;

typedef enum CheckStatus {
    CHECK_OK = 0,
    CHECK_BAD_REQUEST = 2,         /* the request cannot run (message says why) */
    CHECK_IO = 3                   /* something could not be read, fetched or allocated */
} CheckStatus;

typedef struct CheckLaunch CheckLaunch;

typedef struct CheckResult {
    CheckStatus status;
    char *message;                 /* why, for a status other than CHECK_OK (np_malloc'd) */
    int usage_hint;                /* the message is about how the tool was called */

    Config *config;                /* the resolved launch; NULL for fix or when it failed */
    DiagList diags;                /* final diagnostics: suppressed, settings applied,
                                      scrubbed, sorted */
    const Settings *settings;      /* the settings used (never NULL once prepared) */
    const char *settings_dir;      /* directory of the settings file, or NULL */
    const char *settings_skipped;  /* a settings file found next to the files but not
                                      used (owned by another user), or NULL */
    const char *no_pipeline_config;/* the pipeline directory checked without a
                                      nextflow.config (it has none), or NULL */
    StrBuf output;                 /* images: the inventory; fix: the text or diff */
    size_t failing;                /* diagnostics at or above the fail-on level (notes
                                      excluded); the front end maps it to an exit code */
    FixRequest fix_request;        /* the fix of this launch (fix.h): what `fix` runs, and
                                      what an editor's quick fix can run; valid until
                                      check_result_free */
    int fix_status;                /* fix: 0 done or nothing to do, 1 refused, 3 I/O */
    int incomplete;                /* a required credential source failed or a layer
                                      could not be read: results are incomplete (exit 3) */
    CheckLaunch *launch;           /* the prepared launch (layers, options); owned */
    LaunchSummary summary;         /* check: the launch in one line (summary.h), filled
                                      from what the rule families found; known only when
                                      the launch resolved without syntax errors */
} CheckResult;

/* Runs the pipeline for `req`. Always fills *res (free it with
 * check_result_free, whatever the status). Returns res->status. */
CheckStatus check_run(const CheckRequest *req, CheckResult *res);
void check_result_free(CheckResult *res);

/* The config parser a launch runs under, first that decides: --syntax
 * (`flag`), NXF_SYNTAX_PARSER, a Platform launch's syntaxParser (v1 or v2;
 * anything else is ignored), NXF_VER (v1 for a release before 26.04, the
 * first stable release whose default is the strict parser; v2 from
 * 26.01.1-edge on, changelog "Enable v2 syntax parser by default (#6643)").
 * Any of them may be NULL. When none decides, the answer is v2 (Nextflow's
 * default today) and *decided is 0: a launcher running an older Nextflow
 * would use v1. Returns 1 for v1, 0 for v2, -1 when NXF_SYNTAX_PARSER is set
 * to anything but v1 or v2. */
int check_syntax_choice(const char *flag, const char *nxf_syntax_parser, const char *launch_parser,
                        const char *nxf_ver, int *decided);
/* check_syntax_choice without --syntax and a launch: the parser Nextflow
 * picks on this machine (1 v1, 0 v2, -1 bad NXF_SYNTAX_PARSER). */
int check_default_syntax_v1(const char *nxf_syntax_parser, const char *nxf_ver);

#endif
