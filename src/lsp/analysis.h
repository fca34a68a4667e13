/* analysis — one launch checked for the language server: the launch rooted at
 * a config file (usually a pipeline's nextflow.config), resolved through the
 * editor's buffers and the file cache, run through the check pipeline, and
 * kept (Config, diagnostics, settings) for the requests that follow: code
 * actions, hover and code lenses read the same result the diagnostics came
 * from. */
#ifndef NFP_LSP_ANALYSIS_H
#define NFP_LSP_ANALYSIS_H
#include "creds.h"
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
    int syntax_v1;
} LspOptions;

void lsp_options_free(LspOptions *o);

typedef struct Analysis {
    char *root;               /* normalized path of the launch's config */
    Config *cfg;
    DiagList diags;           /* final findings (suppressions, settings applied; sorted) */
    Settings *settings;
    CredList creds;
    int have_creds;
    ResolveOptions ropt;
    const char **profiles;    /* ropt.profiles (np_malloc'd array) */
    char *dir;                /* root's directory (project and launch dir) */
} Analysis;

/* Checks the launch rooted at `root` (normalized path). Returns 0, or -1 when
 * memory ran out (the analysis is then empty but safe to free). */
int analysis_run(Analysis *a, const char *root, const LspOptions *opt, Files *files);
void analysis_free(Analysis *a);

/* Index of the Source in a->cfg whose normalized path is `path`, or -1. */
long analysis_source_index(const Analysis *a, const char *path);

/* The config file whose launch `path` belongs to: `path` itself when it is
 * named nextflow.config, else the nearest nextflow.config in a parent
 * directory up to the repository root (a directory holding `.git`) or
 * `stop_dir`; else `path` itself. np_malloc'd normalized path. */
char *analysis_launch_root(const char *path, const char *stop_dir);

#endif
