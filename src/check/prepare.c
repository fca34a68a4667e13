#include "check/prepare.h"
#include "alloc.h"
#include "http.h"
#include "params.h"
#include "source.h"
#include "strbuf.h"

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* An np_malloc'd message (NULL when memory ran out, which the caller reports
 * as such). */
static char *message_of(const char *fmt, const char *a, const char *b)
{
    StrBuf m = STRBUF_INIT;
    strbuf_printf(&m, fmt, a, b ? b : "");
    return strbuf_take(&m);
}

static CheckStatus fail(char **message, int *usage_hint, CheckStatus st, int hint, char *text)
{
    *message = text;
    *usage_hint = hint;
    return st;
}

void check_launch_free(CheckLaunch *l)
{
    np_free(l->launch_config_text);
    np_free(l->profile_copy);
    np_free(l->profiles);
    if (l->have_info) launch_info_free(&l->info);
    settings_free(l->settings);
    np_free(l->settings_skipped);
    arena_free(l->arena);
    memset(l, 0, sizeof *l);
}

static int is_dir(const char *p)
{
    struct stat st;
    return strcmp(p, "-") && stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* 1 when the directory holds a Nextflow script (a *.nf file) at its top:
 * something `nextflow run` can launch without a nextflow.config. */
static int has_nf_script(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) return 0;
    int found = 0;
    for (struct dirent *e; !found && (e = readdir(d));) {
        size_t n = strlen(e->d_name);
        found = n > 3 && !strcmp(e->d_name + n - 3, ".nf");
    }
    closedir(d);
    return found;
}

/* Reads a whole file ("-": stdin) into an np_malloc'd NUL-terminated copy. */
static char *read_text(const char *path, size_t *len, char **message)
{
    int err;
    Source *s = source_load(path, NULL, &err);
    if (!s) {
        *message = message_of("%s: %s", path, source_strerror(err));
        return NULL;
    }
    char *t = np_malloc(s->len + 1);
    if (t) { memcpy(t, s->text, s->len + 1); *len = s->len; }
    source_free(s);
    return t;
}

/* Splits "a,b" into profile names as Nextflow does (ConfigBuilder:
 * `profile.tokenize(',')`): empty parts are dropped, blanks are kept, so
 * 'test, docker' names ' docker', which no profile is (unknown-profile). */
static int split_profiles(CheckLaunch *l, const char *spec)
{
    size_t n = strlen(spec);
    l->profile_copy = np_strdup(spec);
    l->profiles = np_calloc(n + 1, sizeof *l->profiles);
    if (!l->profile_copy || !l->profiles) return 0;
    char *p = l->profile_copy;
    while (*p) {
        char *comma = strchr(p, ',');
        if (comma) *comma = '\0';
        if (*p) l->profiles[l->nprofiles++] = p;
        if (!comma) break;
        p = comma + 1;
    }
    return 1;
}

static int add_layer(CheckLaunch *l, const char *path, const char *text, size_t len, const char *name,
                     const char *base_dir)
{
    if (l->nlayers >= CHECK_MAX_LAYERS) return 0;
    Layer *L = &l->layers[l->nlayers++];
    memset(L, 0, sizeof *L);
    L->path = path;
    L->text = text;
    L->len = len;
    L->name = name;
    L->base_dir = base_dir ? base_dir : l->cwd;
    return 1;
}

/* Fetches a remote include (only with --remote-includes): a timeout and a
 * size cap, and a non-2xx answer is an error. */
static int fetch_remote(void *ctx, const char *url, char **body, size_t *len, char **err)
{
    const CheckLaunch *l = ctx;
    HttpRequest req;
    memset(&req, 0, sizeof req);
    req.url = url;
    req.insecure = l->req->insecure;
    req.max_body = 4u * 1024 * 1024;
    HttpResponse resp;
    memset(&resp, 0, sizeof resp);
    int rc = http_get(&req, &resp, err);
    if (rc != HTTP_OK) { http_response_free(&resp); return -1; }
    if (resp.status < 200 || resp.status >= 300) {
        StrBuf b = STRBUF_INIT;
        strbuf_printf(&b, "HTTP status %ld", resp.status);
        *err = strbuf_take(&b);
        http_response_free(&resp);
        return -1;
    }
    *body = resp.body;
    *len = resp.body_len;
    resp.body = NULL;
    http_response_free(&resp);
    return 0;
}

/* The absolute directory of the file `name` names (in l's arena; NULL when
 * memory ran out). */
static const char *name_dir(CheckLaunch *l, const char *name)
{
    const char *slash = strrchr(name, '/');
    if (!slash) return l->cwd;
    if (slash == name) return "/";
    int n = (int)(slash - name);
    return name[0] == '/' ? arena_strndup(l->arena, name, (size_t)n) : arena_printf(l->arena, "%s/%.*s", l->cwd, n, name);
}

/* Tool settings: --settings FILE, or the nearest .nf-preflight.yml from the
 * first PATH (standard input: the file --stdin-filename names; else the
 * current directory) up to the repository root. */
static CheckStatus load_settings(const CheckRequest *req, CheckLaunch *l, char **message, int *usage_hint)
{
    char *err = NULL;
    if (req->settings_path && !req->no_settings) {
        if (settings_load(req->settings_path, &l->settings, &err) != 0)
            return fail(message, usage_hint, err ? CHECK_BAD_REQUEST : CHECK_IO, 0, err);
    } else if (!req->no_settings) {
        char *found = NULL;
        int from_stdin = req->npaths && !strcmp(req->paths[0], "-");
        const char *start = req->npaths && !from_stdin ? req->paths[0]
                            : from_stdin && req->stdin_name ? name_dir(l, req->stdin_name)
                            : req->text_dir ? req->text_dir : ".";
        if (!start) return fail(message, usage_hint, CHECK_IO, 0, NULL);
        int rc = settings_find(start, &found);
        if (rc < 0) return fail(message, usage_hint, CHECK_IO, 0, NULL);
        if (rc == SETTINGS_NOT_OWNED) {
            l->settings_skipped = found;     /* the front end says so */
            found = NULL;
        }
        if (rc == 1) {
            rc = settings_load(found, &l->settings, &err);
            np_free(found);
            if (rc != 0) return fail(message, usage_hint, err ? CHECK_BAD_REQUEST : CHECK_IO, 0, err);
            l->settings->found_upward = 1;   /* the repository's: its endpoint is not trusted */
        }
    }
    if (!l->settings && !(l->settings = settings_new())) return fail(message, usage_hint, CHECK_IO, 0, NULL);
    if (req->wave_policy && !wave_policy_parse(req->wave_policy, &l->settings->wave)) {
        StrBuf b = STRBUF_INIT;
        strbuf_printf(&b, "--wave-policy takes required, recommended or off, not '%s'", req->wave_policy);
        return fail(message, usage_hint, CHECK_BAD_REQUEST, 1, strbuf_take(&b));
    }
    return CHECK_OK;
}

/* The config layers, lowest first: PATHs (a directory means its
 * nextflow.config), the in-memory text, -c files, a Platform run's layers,
 * the launch's configText, --launch-config. */
static CheckStatus add_layers(const CheckRequest *req, CheckLaunch *l, char **message, int *usage_hint)
{
    static const char too_many[] = "too many config layers";
    int stdin_ok = req->command == CHECK_CMD_CHECK || req->command == CHECK_CMD_FIX;
    char *err = NULL;
    for (size_t i = 0; i < req->npaths; i++) {
        const char *p = req->paths[i];
        if (!strcmp(p, "-")) {
            if (!stdin_ok)
                return fail(message, usage_hint, CHECK_BAD_REQUEST, 1, np_strdup("standard input is not supported here"));
            size_t len = 0;
            char *text = read_text("-", &len, message);
            if (!text) return fail(message, usage_hint, CHECK_IO, 0, *message);
            /* kept in the arena: "-" may be given twice (the second read is empty) */
            const char *kept = arena_strndup(l->arena, text, len);
            np_free(text);
            if (!kept) return fail(message, usage_hint, CHECK_IO, 0, NULL);
            /* standard input stands for the file --stdin-filename names: its
             * includes resolve against that file's directory */
            const char *dir = req->stdin_name ? name_dir(l, req->stdin_name) : l->cwd;
            if (!dir) return fail(message, usage_hint, CHECK_IO, 0, NULL);
            if (!add_layer(l, NULL, kept, len, req->stdin_name ? req->stdin_name : "<stdin>", dir))
                return fail(message, usage_hint, CHECK_BAD_REQUEST, 0, np_strdup(too_many));
            continue;
        }
        const char *path = p;
        if (is_dir(p)) {
            l->pipeline_dir = p;
            size_t plen = strlen(p);
            while (plen > 1 && p[plen - 1] == '/') plen--;      /* "samples/" → "samples" */
            if (!(path = arena_printf(l->arena, "%.*s/nextflow.config", (int)plen, p)))
                return fail(message, usage_hint, CHECK_IO, 0, NULL);
            /* Nextflow reads the pipeline's nextflow.config only when it
             * exists (ConfigCmdAdapter: `if( base.exists() )`): a directory
             * of .nf scripts without one launches with no pipeline config.
             * fix still names the file it would write. */
            struct stat st;
            if (req->command != CHECK_CMD_FIX && stat(path, &st) != 0 && errno == ENOENT) {
                if (!has_nf_script(p)) {
                    StrBuf b = STRBUF_INIT;
                    strbuf_printf(&b, "%s is not a pipeline directory: it has neither a nextflow.config nor a .nf "
                                  "script", p);
                    return fail(message, usage_hint, CHECK_BAD_REQUEST, 0, strbuf_take(&b));
                }
                l->no_pipeline_config = 1;
                continue;
            }
        }
        if (!add_layer(l, path, NULL, 0, NULL, NULL))
            return fail(message, usage_hint, CHECK_BAD_REQUEST, 0, np_strdup(too_many));
    }
    if (req->text && !add_layer(l, NULL, req->text, req->text_len, req->text_name ? req->text_name : "<text>",
                                req->text_dir))
        return fail(message, usage_hint, CHECK_BAD_REQUEST, 0, np_strdup(too_many));
    for (size_t i = 0; i < req->nconfigs; i++)
        if (!add_layer(l, req->configs[i], NULL, 0, NULL, NULL))
            return fail(message, usage_hint, CHECK_BAD_REQUEST, 0, np_strdup(too_many));

    for (size_t i = 0; i < req->nplatform_layers; i++) {
        const CheckTextLayer *t = &req->platform_layers[i];
        if (!add_layer(l, NULL, t->text, t->len, t->name, NULL))
            return fail(message, usage_hint, CHECK_BAD_REQUEST, 0, np_strdup(too_many));
    }
    /* a launch payload: configText on top; its profiles and params unless overridden */
    if (req->launch_path) {
        int rc = req->launch_text
                     ? launch_parse(req->launch_path, req->launch_text, req->launch_text_len, &l->info, &err)
                     : launch_read(req->launch_path, &l->info, &err);
        if (rc != 0) return fail(message, usage_hint, CHECK_IO, 0, err);
        l->have_info = 1;
        if (l->info.config_text) {
            const char *name = arena_printf(l->arena, "%s#configText", req->launch_path);
            if (!name) return fail(message, usage_hint, CHECK_IO, 0, NULL);
            if (!add_layer(l, NULL, l->info.config_text, l->info.config_len, name, NULL))
                return fail(message, usage_hint, CHECK_BAD_REQUEST, 0, np_strdup(too_many));
        }
    }
    if (req->launch_config_path) {
        size_t len = 0;
        l->launch_config_text = read_text(req->launch_config_path, &len, message);
        if (!l->launch_config_text) return fail(message, usage_hint, CHECK_IO, 0, *message);
        if (!add_layer(l, NULL, l->launch_config_text, len, req->launch_config_path, NULL))
            return fail(message, usage_hint, CHECK_BAD_REQUEST, 0, np_strdup(too_many));
    }
    return CHECK_OK;
}

/* Params: the launch's paramsText, then --params-file, then --param. */
static CheckStatus add_params(const CheckRequest *req, CheckLaunch *l, char **message, int *usage_hint)
{
    char *err = NULL;
    if (l->have_info && l->info.params_text &&
        params_merge_text(l->arena, l->cli_params, req->launch_path, l->info.params_text, l->info.params_len,
                          &err) != 0)
        return fail(message, usage_hint, CHECK_IO, 0, err);
    for (size_t i = 0; i < req->nparams_files; i++)
        if (params_merge_file(l->arena, l->cli_params, req->params_files[i], &err) != 0)
            return fail(message, usage_hint, CHECK_IO, 0, err);
    for (size_t i = 0; i < req->nparams; i++) {
        /* Nextflow: "Invalid parameter name" for an empty name or first segment
         * (CmdRun.addParam); `--param name` alone is the text 'true' (Launcher) */
        const char *pa = req->params[i];
        if (!*pa || *pa == '=' || *pa == '.') {
            StrBuf b = STRBUF_INIT;
            strbuf_printf(&b, "invalid parameter name in --param '%s'", pa);
            return fail(message, usage_hint, CHECK_BAD_REQUEST, 1, strbuf_take(&b));
        }
        if (!resolve_add_cli_param(l->arena, l->cli_params, pa, req->syntax_v1))
            return fail(message, usage_hint, CHECK_IO, 0, NULL);
    }
    return CHECK_OK;
}

/* The size of a regular file; 0 for anything else (the reader refuses it
 * with its own message) or a file that cannot be stat'ed. */
static size_t regular_file_bytes(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size < 0) return 0;
    return (unsigned long long)st.st_size > SIZE_MAX ? SIZE_MAX : (size_t)st.st_size;
}

/* Adds `bytes` to *total; 0 when that goes over SOURCE_MAX_TOTAL_BYTES. */
static int within_total(size_t *total, size_t bytes)
{
    if (bytes > SOURCE_MAX_TOTAL_BYTES - *total) return 0;
    *total += bytes;
    return 1;
}

/* The config layers and params the operator names (files by their size,
 * before they are read; texts already read by their length) must fit in
 * SOURCE_MAX_TOTAL_BYTES together: a launch over it is refused whole, at
 * once. Sets ropt.params_bytes, which includes count against later. */
static CheckStatus check_input_total(const CheckRequest *req, CheckLaunch *l, char **message, int *usage_hint)
{
    size_t total = 0, params = 0;
    const char *over = NULL;
    for (size_t i = 0; i < l->nlayers && !over; i++) {
        const Layer *L = &l->layers[i];
        if (!within_total(&total, L->path ? regular_file_bytes(L->path) : L->len))
            over = L->path ? L->path : L->name;
    }
    if (!over && l->have_info && l->info.params_text) {
        params += l->info.params_len;
        if (!within_total(&total, l->info.params_len)) over = req->launch_path;
    }
    for (size_t i = 0; i < req->nparams_files && !over; i++) {
        size_t bytes = regular_file_bytes(req->params_files[i]);
        params += bytes;
        if (!within_total(&total, bytes)) over = req->params_files[i];
    }
    if (over) {
        StrBuf b = STRBUF_INIT;
        strbuf_printf(&b, "%s: the config and params named for this launch are over the %zu MiB cap for all "
                      "input together (from this file on)", over, SOURCE_MAX_TOTAL_BYTES >> 20);
        return fail(message, usage_hint, CHECK_IO, 0, strbuf_take(&b));
    }
    l->ropt.params_bytes = params;
    return CHECK_OK;
}

/* Profiles: -profile, else the launch's configProfiles, else the settings'. */
static int pick_profiles(const CheckRequest *req, CheckLaunch *l)
{
    const char *const *from = NULL;
    size_t n = 0;
    if (req->profiles) {
        if (!split_profiles(l, req->profiles)) return 0;
        l->ropt.profiles_given = 1;
        return 1;
    }
    if (l->have_info && l->info.nprofiles) {
        from = (const char *const *)l->info.profiles;
        n = l->info.nprofiles;
    } else if (l->settings->profiles.len) {
        from = (const char *const *)l->settings->profiles.items;
        n = l->settings->profiles.len;
    }
    if (!n) return 1;
    l->profiles = np_calloc(n, sizeof *l->profiles);
    if (!l->profiles) return 0;
    for (size_t i = 0; i < n; i++) l->profiles[l->nprofiles++] = from[i];
    l->ropt.profiles_given = 1;
    return 1;
}

/* projectDir: the pipeline directory, else the first layer's directory (a
 * file's, standard input's named file's, the in-memory text's text_dir),
 * else the launch directory; absolute unless the request gave text_dir
 * relative. */
static const char *project_dir(CheckLaunch *l)
{
    if (l->pipeline_dir)
        return l->pipeline_dir[0] == '/' ? l->pipeline_dir : arena_printf(l->arena, "%s/%s", l->cwd, l->pipeline_dir);
    if (l->nlayers && l->layers[0].path) return name_dir(l, l->layers[0].path);
    return l->nlayers ? l->layers[0].base_dir : l->cwd;
}

CheckStatus check_launch_prepare(const CheckRequest *req, CheckLaunch *l, char **message, int *usage_hint)
{
    memset(l, 0, sizeof *l);
    *message = NULL;
    *usage_hint = 0;
    l->req = req;
    if (!getcwd(l->cwd, sizeof l->cwd)) memcpy(l->cwd, ".", 2);
    l->arena = arena_new();
    l->cli_params = l->arena ? value_new(l->arena, V_SCOPE) : NULL;
    if (!l->cli_params) return fail(message, usage_hint, CHECK_IO, 0, NULL);

    CheckStatus st = load_settings(req, l, message, usage_hint);
    if (st == CHECK_OK) st = add_layers(req, l, message, usage_hint);
    if (st == CHECK_OK) st = check_input_total(req, l, message, usage_hint);
    if (st == CHECK_OK) st = add_params(req, l, message, usage_hint);
    if (st != CHECK_OK) return st;
    if (!pick_profiles(req, l)) return fail(message, usage_hint, CHECK_IO, 0, NULL);

    l->ropt.profiles = l->profiles;
    l->ropt.nprofiles = l->nprofiles;
    l->ropt.syntax_v1 = req->syntax_v1;
    l->ropt.env = req->env;
    l->ropt.nenv = req->nenv;
    l->ropt.clean_env = req->clean_env;
    l->ropt.trust_env = req->trust_env;
    l->ropt.cli_params = l->cli_params;
    l->ropt.remote_includes = req->remote_includes;
    l->ropt.allow_outside_includes = req->allow_outside_includes;
    l->ropt.ignore_includes = req->ignore_includes;
    l->ropt.launch_dir = l->cwd;
    l->ropt.fetch = fetch_remote;
    l->ropt.fetch_ctx = l;
    l->ropt.load = req->load;
    l->ropt.load_ctx = req->load_ctx;
    l->ropt.parse = req->parse;
    l->ropt.parse_ctx = req->parse_ctx;
    if (!(l->ropt.project_dir = project_dir(l))) return fail(message, usage_hint, CHECK_IO, 0, NULL);

    /* fix may patch a launch file's configText alone; a pipeline without
     * nextflow.config is checked with no config layer */
    if (l->nlayers == 0 && !l->no_pipeline_config && !(req->command == CHECK_CMD_FIX && req->launch_path))
        return fail(message, usage_hint, CHECK_BAD_REQUEST, 1,
                    np_strdup("nothing to check: give a PATH (or - for standard input)"));
    return CHECK_OK;
}
