#include "lsp/analysis.h"
#include "alloc.h"
#include "checks.h"
#include "credsrc.h"
#include "rules.h"
#include "redact.h"
#include "strbuf.h"
#include "suppress.h"
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

void lsp_options_free(LspOptions *o)
{
    for (size_t i = 0; i < o->nprofiles; i++) np_free(o->profiles[i]);
    for (size_t i = 0; i < o->ncredentials; i++) np_free(o->credentials[i]);
    np_free(o->profiles);
    np_free(o->credentials);
    memset(o, 0, sizeof *o);
    o->wave_severity = DIAG_DEFAULT_SEV;
}

void analysis_free(Analysis *a)
{
    diag_list_free(&a->diags);
    config_free(a->cfg);
    settings_free(a->settings);
    creds_list_free(&a->creds);
    np_free(a->profiles);
    np_free(a->root);
    np_free(a->dir);
    memset(a, 0, sizeof *a);
}

long analysis_source_index(const Analysis *a, const char *path)
{
    for (size_t i = 0; a->cfg && path && i < a->cfg->nsources; i++) {
        const Source *s = a->cfg->sources[i];
        if (!s->path) continue;
        char *n = files_normalize(s->path);
        int same = n && !strcmp(n, path);
        np_free(n);
        if (same) return (long)i;
    }
    return -1;
}

static int exists(const char *dir, const char *name)
{
    char buf[4096];
    struct stat st;
    int n = snprintf(buf, sizeof buf, "%s/%s", dir, name);
    return n > 0 && (size_t)n < sizeof buf && stat(buf, &st) == 0;
}

char *analysis_launch_root(const char *path, const char *stop_dir)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    if (!strcmp(base, "nextflow.config")) return np_strdup(path);
    char *dir = np_strdup(path);
    if (!dir) return NULL;
    for (;;) {
        char *slash = strrchr(dir, '/');
        if (!slash) break;
        if (slash == dir) slash[1] = '\0';
        else *slash = '\0';
        if (exists(dir, "nextflow.config")) {
            StrBuf b = STRBUF_INIT;
            strbuf_printf(&b, "%s%snextflow.config", dir, strcmp(dir, "/") ? "/" : "");
            np_free(dir);
            char *r = strbuf_failed(&b) ? NULL : strbuf_take(&b);
            strbuf_free(&b);
            return r;
        }
        if (exists(dir, ".git") || (stop_dir && !strcmp(dir, stop_dir)) || !strcmp(dir, "/")) break;
    }
    np_free(dir);
    return np_strdup(path);
}

/* Settings: .nf-preflight.yml near the root (through the file cache), then
 * the editor's options over it. */
static int load_settings(Analysis *a, const LspOptions *opt, Files *files)
{
    char *found = NULL;
    if (!opt->no_settings && settings_find(a->root, &found) == 1) {
        int err;
        Source *s = files_load(files, found, NULL, &err);
        char *msg = NULL;
        if (s && settings_parse(found, s->text, s->len, &a->settings, &msg) != 0) {
            /* a broken settings file is shown as a finding on the launch */
            diag_add(&a->diags, NULL, 0, 0, SEV_ERROR, "config-error", "%s", msg ? msg : "out of memory");
            a->settings = NULL;
        }
        np_free(msg);
        source_free(s);
    }
    np_free(found);
    if (!a->settings && !(a->settings = settings_new())) return -1;
    if (opt->wave_severity != DIAG_DEFAULT_SEV) {
        const Rule *r = rule_find("wave-not-enabled");
        if (r) a->settings->rule_sev[r - rule_table] = opt->wave_severity;
    }
    return 0;
}

/* The check pipeline the CLI runs for `check FILE`, in the CLI's order.
 * TODO(check_run): replace by the shared entry once src/check/ lands. */
static int run_checks(Analysis *a, const LspOptions *opt, Files *files)
{
    Layer layer = {0};
    layer.path = a->root;
    a->cfg = resolve_config(&layer, 1, &a->ropt, &a->diags);
    if (!a->cfg) return -1;
    int required_failed = 0;
    CredSourceOptions cso = {(const char *const *)opt->credentials, opt->ncredentials, 0, 0, NULL, 0, NULL, 0,
                             a->cfg, a->settings};
    int have = credsrc_load(&cso, &a->creds, &a->diags, &required_failed);
    if (have < 0) return -1;
    a->have_creds = have;
    for (size_t i = 0; a->ropt.syntax_v1 && i < a->diags.len; i++)
        if (!strcmp(a->diags.items[i].rule, "v2-incompatible")) a->diags.items[i].sev = SEV_INFO;
    CheckInput in = {a->cfg, a->ropt.launch_dir, a->settings, NULL, have ? &a->creds : NULL, 0, 0, 0};
    secrets_check(&in, &a->diags);
    if (!a->cfg->syntax_errors && !a->cfg->io_error) {
        wave_check(&in, &a->diags);
        schema_check(&in, &a->diags);
        images_check(&in, &a->diags);
    }
    if (suppress_apply(&a->diags, a->cfg->sources, a->cfg->trees, a->cfg->nsources) < 0) a->diags.oom = 1;
    redact_diag_messages(&a->diags, &a->cfg->secrets);   /* the editor shows secrets nowhere either */
    settings_apply(a->settings, &a->diags, NULL);
    (void)files;
    return a->diags.oom ? -1 : 0;
}

/* Drops what Nextflow's own language server reports when both run. */
static void defer_to_nextflow(DiagList *diags)
{
    size_t o = 0;
    for (size_t i = 0; i < diags->len; i++) {
        Diag *d = &diags->items[i];
        if (!strcmp(d->rule, "syntax-error") || !strcmp(d->rule, "v2-incompatible") ||
            !strcmp(d->rule, "unknown-option")) {
            np_free(d->message);
            for (size_t k = 0; k < d->nedits; k++) np_free(d->edits[k].text);
            np_free(d->edits);
            continue;
        }
        diags->items[o++] = *d;
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
    if (load_settings(a, opt, files) != 0) return -1;

    size_t np = opt->profiles_set ? opt->nprofiles : a->settings->profiles.len;
    a->profiles = np_calloc(np + 1, sizeof *a->profiles);
    if (!a->profiles) return -1;
    for (size_t i = 0; i < np; i++)
        a->profiles[i] = opt->profiles_set ? opt->profiles[i] : a->settings->profiles.items[i];
    a->ropt.profiles = a->profiles;
    a->ropt.nprofiles = np;
    a->ropt.profiles_given = opt->profiles_set || a->settings->profiles.len;
    a->ropt.syntax_v1 = opt->syntax_v1;
    a->ropt.project_dir = a->dir;
    a->ropt.launch_dir = a->dir;
    a->ropt.load = files_load;
    a->ropt.load_ctx = files;
    a->ropt.parse = files_parse;
    a->ropt.parse_ctx = files;
    int rc = run_checks(a, opt, files);
    if (opt->defer_to_nextflow) defer_to_nextflow(&a->diags);
    diag_sort(&a->diags);
    return rc;
}
