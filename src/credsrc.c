/* credsrc — the credential sources of one run (credsrc.h). Secrets are never
 * kept: creds.c drops them while parsing, and every buffer that held a file
 * or an API answer is overwritten with zeros before it is freed.
 * Facts: research/seqera-wave-credentials.md §2.1 (which token/workspace/
 * endpoint apply, the Platform-run rule), §3 (the API), §5 (local files). */
#include "credsrc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alloc.h"
#include "http.h"
#include "redact.h"
#include "platform.h"

static int unavailable(DiagList *diags, int required, int *required_failed, const char *fmt, const char *a,
                       const char *b)
{
    if (required) *required_failed = 1;
    return diag_add(diags, NULL, 0, 0, DIAG_DEFAULT_SEV, RULE_CREDENTIALS_UNAVAILABLE, fmt, a, b ? b : "") ? 0 : -1;
}

static int load_inventory_file(CredList *list, const char *path, DiagList *diags, int *required_failed)
{
    char *err = NULL;
    int lr = creds_load_file(list, path, &err);
    if (lr == CREDS_ENOMEM) { np_free(err); return -1; }
    if (lr != CREDS_OK) {
        list->platform_unread = 1;   /* an inventory lists Platform credentials */
        int r = unavailable(diags, 1, required_failed, "credentials file: %s%s", err ? err : creds_strerror(lr), NULL);
        np_free(err);
        return r;
    }
    return 0;
}

/* ---------------- environment as the config saw it ---------------- */

static const char *env_get(const Config *cfg, const char *name)
{
    if (cfg && cfg->env) {
        const Value *v = value_get(cfg->env, name);
        if (v && v->kind == V_STRING) return v->s;
        return NULL;
    }
    return getenv(name);
}

static const char *creds_env(const char *name, void *ctx)
{
    return env_get((const Config *)ctx, name);
}

/* tower.* from config: the text when it is a known string; *present says
 * whether the key exists at all; *dynamic when it cannot be known. */
static const char *tower_value(Arena *a, const Config *cfg, const char *key, int *present, int *dynamic)
{
    *present = 0;
    *dynamic = 0;
    if (!cfg) return NULL;
    const Value *v = config_lookup(cfg, key, NULL);
    if (!v) return NULL;
    *present = 1;
    if (v->kind == V_STRING) return arena_strndup(a, v->s, v->len);
    if (v->kind == V_INT) return arena_printf(a, "%lld", v->i);
    if (v->kind == V_DYNAMIC || v->kind == V_CLOSURE) *dynamic = 1;
    return NULL;
}

static int load_platform(const CredSourceOptions *opt, CredList *list, DiagList *diags, int *required_failed)
{
    const Config *cfg = opt->cfg;
    Arena *a = arena_new();
    if (!a) return -1;
    int platform_run = env_get(cfg, "TOWER_WORKFLOW_ID") != NULL;
    int present = 0, dynamic = 0, ep_present = 0, ep_dynamic = 0;
    const char *token = NULL, *workspace = NULL, *endpoint = NULL;
    const char *token_from = "TOWER_ACCESS_TOKEN";

    /* token and workspace: in a Platform run only the environment counts */
    if (!platform_run) {
        token = tower_value(a, cfg, "tower.accessToken", &present, &dynamic);
        if (present && !dynamic) token_from = "tower.accessToken";
        if (!present || dynamic) token = env_get(cfg, "TOWER_ACCESS_TOKEN");
        int wp = 0, wd = 0;
        workspace = tower_value(a, cfg, "tower.workspaceId", &wp, &wd);
        if (!workspace) workspace = env_get(cfg, "TOWER_WORKSPACE_ID");
    } else {
        token = env_get(cfg, "TOWER_ACCESS_TOKEN");
        workspace = env_get(cfg, "TOWER_WORKSPACE_ID");
    }
    if (!workspace && opt->settings) workspace = opt->settings->platform_workspace;
    /* endpoint: tower.endpoint (- or empty = unset), then the environment,
     * then the settings; the repository's ones are marked untrusted */
    const char *env_endpoint = env_get(cfg, "TOWER_API_ENDPOINT");
    const char *endpoint_from = "tower.endpoint";
    endpoint = tower_value(a, cfg, "tower.endpoint", &ep_present, &ep_dynamic);
    if (endpoint && (!*endpoint || !strcmp(endpoint, "-"))) endpoint = NULL;
    int endpoint_untrusted = endpoint != NULL;
    if (!endpoint && (endpoint = env_endpoint)) endpoint_untrusted = 0;
    if (!endpoint && opt->settings && opt->settings->platform_endpoint) {
        endpoint = opt->settings->platform_endpoint;
        endpoint_from = opt->settings->path ? opt->settings->path : "the settings";
        endpoint_untrusted = opt->settings->found_upward;
    }

    int rc = 0;
    /* every way out below but the last is a Platform inventory not read */
    list->platform_unread = 1;
    /* The operator's token never goes where the repository says: a token
     * from the environment is sent only to an endpoint the operator named
     * too (TOWER_API_ENDPOINT, --settings FILE). */
    if (token && *token && !strcmp(token_from, "TOWER_ACCESS_TOKEN") && endpoint_untrusted &&
        !(env_endpoint && platform_same_endpoint(env_endpoint, endpoint))) {
        char *shown = platform_endpoint_display(endpoint);
        rc = diag_add(diags, NULL, 0, 0, DIAG_DEFAULT_SEV, RULE_CREDENTIALS_UNAVAILABLE,
                      "--platform: %s names the endpoint %s, which comes from the repository: the token from "
                      "TOWER_ACCESS_TOKEN is sent only to an endpoint the operator names; not contacted "
                      "(set TOWER_API_ENDPOINT to it to allow it)",
                      endpoint_from, shown ? shown : "(unshown)") ? 0 : -1;
        np_free(shown);
        *required_failed = 1;
        arena_free(a);
        return rc;
    }
    if (!token || !*token) {
        rc = unavailable(diags, 1, required_failed,
                         "--platform: no access token (%s%s)",
                         platform_run ? "TOWER_ACCESS_TOKEN is not set; in a Platform run (TOWER_WORKFLOW_ID set) "
                                        "only the environment counts"
                         : dynamic ? "tower.accessToken cannot be known before the run and TOWER_ACCESS_TOKEN is not set"
                                   : "set TOWER_ACCESS_TOKEN or tower.accessToken",
                         NULL);
        arena_free(a);
        return rc;
    }
    PlatformConfig pc;
    memset(&pc, 0, sizeof pc);
    pc.endpoint = endpoint;
    pc.access_token = token;
    pc.workspace_id = workspace;
    pc.insecure = opt->insecure;
    char *body = NULL, *err = NULL;
    int prc = platform_list_credentials(&pc, &body, &err);
    if (prc == PLATFORM_ERR_NOMEM) {
        np_free(err);
        arena_free(a);
        return -1;
    }
    if (prc != PLATFORM_OK) {
        /* Platform down or refusing is not the pipeline's fault: fail open
         * (a warning, no exit 3), and nothing is claimed about credentials */
        if (err) mask_token(err, token);   /* short tokens are below its floor */
        rc = unavailable(diags, 0, required_failed,
                         "--platform: registry credentials were not checked: %s (token from %s)",
                         err ? err : "the credentials list could not be fetched", token_from);
        np_free(err);
        arena_free(a);
        return rc;
    }
    np_free(err);
    size_t blen = strlen(body);
    const char *origin = arena_printf(a, "Platform %s%s%s", endpoint ? endpoint : PLATFORM_DEFAULT_ENDPOINT,
                                      workspace ? " workspace " : " personal workspace",
                                      workspace ? workspace : "");
    if (!origin) { np_free_wiped(body, blen); arena_free(a); return -1; }
    char *lerr = NULL;
    int lr = creds_load_text(list, body, blen, origin, &lerr);
    np_free_wiped(body, blen);
    if (lr == CREDS_ENOMEM) rc = -1;
    else if (lr != CREDS_OK) {
        if (lerr) mask_token(lerr, token);
        rc = unavailable(diags, 0, required_failed, "--platform: registry credentials were not checked: %s%s",
                         lerr ? lerr : creds_strerror(lr), NULL);
    } else {
        list->platform_unread = 0;
    }
    np_free(lerr);
    arena_free(a);
    return rc;
}

static int load_docker_config(const CredSourceOptions *opt, CredList *list, DiagList *diags, int *required_failed)
{
    char *path = opt->docker_config_path ? np_strdup(opt->docker_config_path)
                                         : creds_docker_config_path(creds_env, (void *)opt->cfg);
    if (!path) {
        if (opt->docker_config_path) return -1;
        return unavailable(diags, 1, required_failed, "--docker-config: %s%s",
                           "no default location (neither DOCKER_CONFIG nor HOME is set)", NULL);
    }
    char *err = NULL;
    int rc = creds_load_docker_config(list, path, &err);
    int r = 0;
    if (rc == CREDS_ENOMEM) r = -1;
    else if (rc != CREDS_OK)
        r = unavailable(diags, 1, required_failed, "--docker-config: %s%s", err ? err : path,
                        err ? "" : ": cannot be read");
    np_free(err);
    np_free(path);
    return r;
}

static int load_auth_files(const CredSourceOptions *opt, CredList *list, DiagList *diags, int *required_failed)
{
    char *err = NULL;
    if (opt->auth_file_path) {
        int rc = creds_load_auth_file(list, opt->auth_file_path, &err);
        int r = 0;
        if (rc == CREDS_ENOMEM) r = -1;
        else if (rc != CREDS_OK)
            r = unavailable(diags, 1, required_failed, "--auth-file: %s%s", err ? err : opt->auth_file_path,
                            err ? "" : ": cannot be read");
        np_free(err);
        return r;
    }
    /* default locations, in the order podman/skopeo read them; all that exist */
    CredPath *paths = NULL;
    size_t n = 0;
    if (creds_auth_file_paths(creds_env, (void *)opt->cfg, (unsigned long)getuid(), &paths, &n) != CREDS_OK)
        return -1;
    size_t loaded = 0;
    int r = 0;
    StrBuf tried = STRBUF_INIT;
    for (size_t i = 0; i < n && r == 0; i++) {
        err = NULL;
        int rc = paths[i].kind == CRED_PATH_AUTH_JSON ? creds_load_auth_file(list, paths[i].path, &err)
                                                      : creds_load_docker_config(list, paths[i].path, &err);
        strbuf_printf(&tried, "%s%s", i ? ", " : "", paths[i].path);
        if (rc == CREDS_OK) loaded++;
        else if (rc == CREDS_ENOMEM) r = -1;
        else if (rc != CREDS_ENOENT)
            r = unavailable(diags, 1, required_failed, "--auth-file: %s%s", err ? err : paths[i].path,
                            err ? "" : ": cannot be read");
        np_free(err);
    }
    if (r == 0 && !loaded) {
        if (strbuf_failed(&tried)) r = -1;
        else r = unavailable(diags, 1, required_failed, "--auth-file: no registry auth file found (looked at %s)",
                             n ? strbuf_cstr(&tried) : "no default location: HOME and XDG variables unset", NULL);
    }
    strbuf_free(&tried);
    creds_paths_free(paths, n);
    return r;
}

/* A settings `credentials:` entry: ~ is HOME, relative paths are relative to
 * the settings file's directory. */
static char *settings_path(const CredSourceOptions *opt, const char *p)
{
    const Settings *s = opt->settings;
    if (p[0] == '~' && (p[1] == '/' || !p[1])) {
        const char *home = env_get(opt->cfg, "HOME");
        if (!home) return np_strdup(p);
        size_t n = strlen(home) + strlen(p) + 1;
        char *out = np_malloc(n);
        if (out) snprintf(out, n, "%s%s", home, p + 1);
        return out;
    }
    if (p[0] != '/' && s && s->dir) {
        size_t n = strlen(s->dir) + strlen(p) + 2;
        char *out = np_malloc(n);
        if (out) snprintf(out, n, "%s/%s", s->dir, p);
        return out;
    }
    return np_strdup(p);
}

int credsrc_load(const CredSourceOptions *opt, CredList *list, DiagList *diags, int *required_failed)
{
    *required_failed = 0;
    size_t nsettings = opt->settings ? opt->settings->credentials.len : 0;
    int requested = opt->nfiles || opt->platform || opt->platform_text || opt->platform_unread ||
                    opt->docker_config || opt->auth_file || nsettings;
    if (!requested) return 0;
    /* the caller could not fetch them and says so itself */
    if (opt->platform_unread) list->platform_unread = 1;
    if (opt->platform_text) {
        char *err = NULL;
        int lr = creds_load_text(list, opt->platform_text, opt->platform_text_len,
                                 opt->platform_text_origin ? opt->platform_text_origin : "Platform", &err);
        if (lr == CREDS_ENOMEM) { np_free(err); return -1; }
        if (lr != CREDS_OK) list->platform_unread = 1;
        int r = lr == CREDS_OK ? 0 : unavailable(diags, 0, required_failed,
                                                 "Platform credentials: registry credentials were not checked: %s%s",
                                                 err ? err : creds_strerror(lr), NULL);
        np_free(err);
        if (r != 0) return -1;
    }
    for (size_t i = 0; i < opt->nfiles; i++)
        if (load_inventory_file(list, opt->files[i], diags, required_failed) != 0) return -1;
    for (size_t i = 0; i < nsettings; i++) {
        char *p = settings_path(opt, opt->settings->credentials.items[i]);
        if (!p) return -1;
        int rc = load_inventory_file(list, p, diags, required_failed);
        np_free(p);
        if (rc != 0) return -1;
    }
    if (opt->platform && load_platform(opt, list, diags, required_failed) != 0) return -1;
    if (opt->docker_config && load_docker_config(opt, list, diags, required_failed) != 0) return -1;
    if (opt->auth_file && load_auth_files(opt, list, diags, required_failed) != 0) return -1;
    return 1;
}
