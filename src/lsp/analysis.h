/* analysis — one launch checked for the language server: the launch rooted at
 * a config file (usually a pipeline's nextflow.config), run through the one
 * check pipeline (check_run, as `nf-preflight check FILE` does) with the
 * resolver reading through the editor's buffers and the file and parse
 * caches (the request's load and parse hooks), and kept (Config, diagnostics, settings) for
 * the requests that follow: code actions, hover and code lenses read the same
 * result the diagnostics came from. */
#ifndef NFP_LSP_ANALYSIS_H
#define NFP_LSP_ANALYSIS_H
#include "check/check.h"
#include "diag.h"
#include "lsp/files.h"
#include "resolve.h"
#include "settings.h"

/* The editor's settings (initializationOptions, didChangeConfiguration);
 * they win over .nf-preflight.yml where both say something. */
typedef struct LspOptions {
    char **profiles;          /* selected profiles; profiles_set says they were given */
    size_t nprofiles;
    int profiles_set;
    char **credentials;       /* credential inventory files */
    size_t ncredentials;
    Severity wave_severity;   /* wave-not-enabled: error (required), warning, SEV_NONE (off);
                                 DIAG_DEFAULT_SEV when not set */
    int defer_to_nextflow;    /* leave syntax and unknown-option findings to Nextflow's server */
    int no_settings;          /* ignore .nf-preflight.yml */
    int syntax_v1;            /* legacy parser: the settings, else as the CLI (check_default_syntax_v1) */
} LspOptions;

/* The defaults: what the editor's settings do not say. */
void lsp_options_init(LspOptions *o);
void lsp_options_free(LspOptions *o);

typedef struct Analysis {
    char *root;               /* normalized path of the launch's config */
    char *dir;                /* root's directory (project and launch dir) */
    CheckResult res;          /* what check_run returned (owns the Config) */
    const Config *cfg;        /* res.config; NULL when the launch could not be prepared */
    DiagList diags;           /* res.diags after the editor's options (Wave policy,
                                 deferring to Nextflow's server) */
    const Settings *settings; /* res.settings */
    const char *const *profiles; /* the selected profiles (the options' or the settings') */
    size_t nprofiles;
} Analysis;

/* Checks the launch rooted at `root` (normalized path). Returns 0, or -1 when
 * memory ran out (the analysis is then safe to free). A launch that cannot
 * be prepared (a broken .nf-preflight.yml) leaves cfg NULL and the reason in
 * res.message. */
int analysis_run(Analysis *a, const char *root, const LspOptions *opt, Files *files);
void analysis_free(Analysis *a);

/* Index of the Source in a->cfg whose normalized path is `path`, or -1. */
long analysis_source_index(const Analysis *a, const char *path);

#endif
