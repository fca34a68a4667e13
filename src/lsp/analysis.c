#include "lsp/analysis.h"
#include "alloc.h"
#include "check/targets.h"
#include "rules.h"
#include "strbuf.h"
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void lsp_options_init(LspOptions *o)
{
    memset(o, 0, sizeof *o);
    o->wave_severity = DIAG_DEFAULT_SEV;
    /* the parser the user's own `nextflow run` would pick (an invalid
     * NXF_SYNTAX_PARSER is the CLI's usage error; here it means v2) */
    o->syntax_v1 = check_default_syntax_v1(getenv("NXF_SYNTAX_PARSER"), getenv("NXF_VER")) == 1;
}

void lsp_options_free(LspOptions *o)
{
    for (size_t i = 0; i < o->nprofiles; i++) np_free(o->profiles[i]);
    for (size_t i = 0; i < o->ncredentials; i++) np_free(o->credentials[i]);
    np_free(o->profiles);
    np_free(o->credentials);
    lsp_options_init(o);
}

void analysis_free(Analysis *a)
{
    diag_list_free(&a->diags);        /* before the Config its diagnostics point into */
    check_result_free(&a->res);
    np_free(a->root);
    np_free(a->dir);
    memset(a, 0, sizeof *a);
}

long analysis_source_index(const Analysis *a, const char *path)
{
    for (size_t i = 0; a->cfg && path && i < a->cfg->nsources; i++) {
        const Source *s = a->cfg->sources[i];
        if (!s->path) continue;
        char *n = path_normalize(s->path);
        int same = n && !strcmp(n, path);
        np_free(n);
        if (same) return (long)i;
    }
    return -1;
}

/* The editor's options over the pipeline's findings: the Wave policy sets
 * the severity of wave-not-enabled (or drops it), and syntax and
 * unknown-option findings go when Nextflow's own server reports them. */
static int keep(Diag *d, const LspOptions *opt)
{
    if (opt->defer_to_nextflow && (!strcmp(d->rule, "syntax-error") || !strcmp(d->rule, "v2-incompatible") ||
                                   !strcmp(d->rule, "unknown-option")))
        return 0;
    if (!strcmp(d->rule, "wave-not-enabled") && opt->wave_severity != DIAG_DEFAULT_SEV) {
        if (opt->wave_severity == SEV_NONE) return 0;
        d->sev = opt->wave_severity;
    }
    return 1;
}

static void apply_options(DiagList *diags, const LspOptions *opt)
{
    size_t o = 0;
    for (size_t i = 0; i < diags->len; i++) {
        Diag *d = &diags->items[i];
        if (keep(d, opt)) { diags->items[o++] = *d; continue; }
        np_free(d->message);
        for (size_t k = 0; k < d->nedits; k++) np_free(d->edits[k].text);
        np_free(d->edits);
    }
    diags->len = o;
}

int analysis_run(Analysis *a, const char *root, const LspOptions *opt, Files *files)
{
    memset(a, 0, sizeof *a);
    a->root = np_strdup(root);
    a->dir = np_strdup(root);
    if (!a->root || !a->dir) return -1;
    char *slash = strrchr(a->dir, '/');
    if (slash && slash != a->dir) *slash = '\0';
    else if (slash) slash[1] = '\0';

    StrBuf profiles = STRBUF_INIT;
    for (size_t i = 0; opt->profiles_set && i < opt->nprofiles; i++)
        strbuf_printf(&profiles, "%s%s", i ? "," : "", opt->profiles[i]);
    if (strbuf_failed(&profiles)) return -1;
    const char *paths[1] = {a->root};
    CheckRequest req;
    memset(&req, 0, sizeof req);
    req.command = CHECK_CMD_CHECK;
    req.paths = paths;
    req.npaths = 1;
    req.profiles = opt->profiles_set ? strbuf_cstr(&profiles) : NULL;
    req.syntax_v1 = opt->syntax_v1;
    req.no_settings = opt->no_settings;
    req.cred_files = (const char *const *)opt->credentials;
    req.ncred_files = opt->ncredentials;
    req.fail_on = SEV_NONE;
    req.load = files_load;              /* the open buffers and the caches */
    req.load_ctx = files;
    req.parse = files_parse;
    req.parse_ctx = files;
    /* launchDir is where a run starts: for an editor, the pipeline's
     * directory; the server's own directory is restored afterwards */
    int here = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    int moved = chdir(a->dir) == 0;     /* else it stays: every path here is absolute */
    check_run(&req, &a->res);
    if (moved && here >= 0 && fchdir(here) != 0) { /* nothing better to do */ }
    if (here >= 0) close(here);
    strbuf_free(&profiles);
    a->cfg = a->res.config;
    a->settings = a->res.settings;
    a->diags = a->res.diags;
    memset(&a->res.diags, 0, sizeof a->res.diags);
    if (a->settings && !opt->profiles_set) {
        a->profiles = (const char *const *)a->settings->profiles.items;
        a->nprofiles = a->settings->profiles.len;
    } else if (opt->profiles_set) {
        a->profiles = (const char *const *)opt->profiles;
        a->nprofiles = opt->nprofiles;
    }
    apply_options(&a->diags, opt);
    return a->diags.oom ? -1 : 0;
}
