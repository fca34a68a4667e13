#include "cli.h"
#include "alloc.h"
#include "arena.h"
#include "checks.h"
#include "credsrc.h"
#include "diag.h"
#include "fix.h"
#include "images.h"
#include "launch.h"
#include "params.h"
#include "parse.h"
#include "report.h"
#include "resolve.h"
#include "rules.h"
#include "schema.h"
#include "redact.h"
#include "settings.h"
#include "source.h"
#include "strbuf.h"
#include "suppress.h"

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
    const char *stdin_filename;
    const char *format;
    const char *color;
    const char *output;
    const char *settings_path;
    const char *docker_config_path;
    const char *auth_file_path;
    int no_settings;
    int clean_env;
    int remote_includes;
    int platform, docker_config, auth_file, online, insecure;
    int dump_tokens, dump_tree;
    int exit_zero;
    int verbose;
    int write, diff;
    int fail_on_given;
    Severity fail_on;
} Options;

static const char usage_text[] =
    "usage: nf-preflight COMMAND [OPTIONS] PATH...\n"
    "\n"
    "Checks Nextflow configuration before a launch: syntax, Wave, container images\n"
    "and registry credentials. PATH is a config file, a pipeline directory (its\n"
    "nextflow.config and .nf files) or - for standard input.\n"
    "\n"
    "commands:\n"
    "  check PATH...         report problems (the default command)\n"
    "  fix PATH|-            turn Wave on with a minimal edit (--write, --diff, --launch)\n"
    "  config PATH           print the resolved config (--format flat|canonical|json)\n"
    "  images PATH           list container images and registry hosts (--format text|json)\n"
    "  parse FILE            dump tokens (--tokens) or the syntax tree (--tree)\n"
    "  rules                 list every rule\n"
    "  explain RULE          describe one rule\n"
    "\n"
    "resolving (as Nextflow does):\n"
    "  -profile, --profile A,B   selected profiles (default: standard)\n"
    "  -c, --config FILE         extra config file, applied after PATH (repeatable)\n"
    "  --launch FILE             Platform launch JSON/YAML: its configText, configProfiles\n"
    "                            and paramsText are applied on top\n"
    "  --launch-config FILE      config text pasted into a Platform launch\n"
    "  --params-file FILE        params from JSON or YAML\n"
    "  --param NAME=VALUE        a command-line param (repeatable)\n"
    "  --env NAME=VALUE          environment variable seen by the config (repeatable)\n"
    "  --clean-env               start from an empty environment\n"
    "  --syntax v1|v2            legacy or strict semantics (default: $NXF_SYNTAX_PARSER, else v2)\n"
    "  --remote-includes         fetch http(s) includeConfig files\n"
    "\n"
    "credentials:\n"
    "  --credentials FILE        inventory: tw/Platform JSON or a {registry,name,user} list\n"
    "  --platform                ask the Platform API (TOWER_API_ENDPOINT, TOWER_ACCESS_TOKEN,\n"
    "                            TOWER_WORKSPACE_ID)\n"
    "  --docker-config[=FILE]    docker config.json\n"
    "  --auth-file[=FILE]        containers auth.json\n"
    "  --online                  ask registries whether anonymous pulls work\n"
    "  --insecure                do not verify TLS certificates (not recommended)\n"
    "\n"
    "output:\n"
    "  --format FMT              check: text, gcc, json, sarif or github\n"
    "  --color WHEN              auto, always or never\n"
    "  -o, --output FILE         write the report to FILE\n"
    "  --stdin-filename NAME     name to show for standard input\n"
    "  --fail-on LEVEL           error (default), warning or info\n"
    "  --exit-zero               exit 0 even with findings\n"
    "  --settings FILE           tool settings (default: nearest .nf-preflight.yml)\n"
    "  --no-settings             ignore .nf-preflight.yml files\n"
    "  -v, --verbose             explain where settings come from\n"
    "  --schema-version          print the Nextflow version the option schema describes\n"
    "  --version, --help\n"
    "\n"
    "exit status: 0 clean, 1 findings at or above --fail-on, 2 usage error,\n"
    "3 could not read or write something.\n";

static int usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, "nf-preflight: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nTry 'nf-preflight --help'.\n");
    return EXIT_USAGE;
}

/* Writes the whole buffer to -o FILE or stdout. */
static int write_output(const Options *o, StrBuf *b)
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

static int is_dir(const char *p)
{
    struct stat st;
    return strcmp(p, "-") && stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* ---------------- the launch: layers, params, profiles ---------------- */

typedef struct Launch {
    Arena *arena;
    Layer layers[64];
    size_t nlayers;
    const char *pipeline_dir;
    char *primary_path;           /* owned when PATH was a directory */
    LaunchInfo info;
    int have_info;
    char *launch_config_text;     /* owned */
    const char **profiles;
    size_t nprofiles;
    char *profile_copy;
    Value *cli_params;
    Settings *settings;
    ResolveOptions ropt;
    char cwd[4096];
} Launch;

static void launch_free(Launch *l)
{
    np_free(l->primary_path);
    np_free(l->launch_config_text);
    np_free(l->profile_copy);
    np_free(l->profiles);
    if (l->have_info) launch_info_free(&l->info);
    settings_free(l->settings);
    arena_free(l->arena);
}

static char *read_text(const char *path, size_t *len)
{
    int err;
    Source *s = source_load(path, NULL, &err);
    if (!s) {
        fprintf(stderr, "nf-preflight: %s: %s\n", path, source_strerror(err));
        return NULL;
    }
    char *t = np_malloc(s->len + 1);
    if (t) { memcpy(t, s->text, s->len + 1); *len = s->len; }
    source_free(s);
    return t;
}

/* Splits "a,b" into profile names (empty parts dropped, as Nextflow does). */
static int split_profiles(Launch *l, const char *spec)
{
    l->profile_copy = np_strdup(spec);
    l->profiles = np_calloc(strlen(spec) + 1, sizeof *l->profiles);
    if (!l->profile_copy || !l->profiles) return 0;
    for (char *tok = strtok(l->profile_copy, ","); tok; tok = strtok(NULL, ",")) {
        while (*tok == ' ') tok++;
        if (*tok) l->profiles[l->nprofiles++] = tok;
    }
    return 1;
}

static int add_layer(Launch *l, const char *path, const char *text, size_t len, const char *name)
{
    if (l->nlayers >= sizeof l->layers / sizeof l->layers[0]) {
        fprintf(stderr, "nf-preflight: too many config layers\n");
        return 0;
    }
    Layer *L = &l->layers[l->nlayers++];
    memset(L, 0, sizeof *L);
    L->path = path;
    L->text = text;
    L->len = len;
    L->name = name;
    L->base_dir = l->cwd;
    return 1;
}

/* Builds everything the resolver needs from the options. Returns an exit
 * code; EXIT_CLEAN means the launch is ready. */
static int launch_prepare(const Options *o, Launch *l, int allow_stdin)
{
    memset(l, 0, sizeof *l);
    if (!getcwd(l->cwd, sizeof l->cwd)) strcpy(l->cwd, ".");
    l->arena = arena_new();
    l->cli_params = l->arena ? value_new(l->arena, V_SCOPE) : NULL;
    if (!l->cli_params) return EXIT_IO;

    /* tool settings: --settings, or the nearest .nf-preflight.yml */
    char *err = NULL;
    if (o->settings_path && !o->no_settings) {
        if (settings_load(o->settings_path, &l->settings, &err) != 0) {
            fprintf(stderr, "nf-preflight: %s\n", err ? err : "out of memory");
            np_free(err);
            return EXIT_USAGE;
        }
    } else if (!o->no_settings) {
        char *found = NULL;
        const char *start = o->paths.len && strcmp(o->paths.items[0], "-") ? o->paths.items[0] : ".";
        if (settings_find(start, &found) == 1) {
            int rc = settings_load(found, &l->settings, &err);
            np_free(found);
            if (rc != 0) {
                fprintf(stderr, "nf-preflight: %s\n", err ? err : "out of memory");
                np_free(err);
                return EXIT_USAGE;
            }
        }
    }
    if (!l->settings && !(l->settings = settings_new())) return EXIT_IO;

    /* layer 1: the pipeline's config (a directory means its nextflow.config) */
    for (size_t i = 0; i < o->paths.len; i++) {
        const char *p = o->paths.items[i];
        if (!strcmp(p, "-")) {
            if (!allow_stdin) return usage_error("%s", "standard input is not supported here");
            size_t len = 0;
            char *text = read_text("-", &len);
            if (!text) return EXIT_IO;
            l->launch_config_text = text;     /* owned buffer; reuses the field */
            if (!add_layer(l, NULL, text, len, o->stdin_filename ? o->stdin_filename : "<stdin>")) return EXIT_USAGE;
            continue;
        }
        if (is_dir(p)) {
            l->pipeline_dir = p;
            size_t n = strlen(p) + 20;
            l->primary_path = np_malloc(n);
            if (!l->primary_path) return EXIT_IO;
            size_t plen = strlen(p);
            while (plen > 1 && p[plen - 1] == '/') plen--;      /* "samples/" → "samples" */
            snprintf(l->primary_path, n, "%.*s/nextflow.config", (int)plen, p);
            if (!add_layer(l, l->primary_path, NULL, 0, NULL)) return EXIT_USAGE;
        } else if (!add_layer(l, p, NULL, 0, NULL)) {
            return EXIT_USAGE;
        }
    }
    for (size_t i = 0; i < o->configs.len; i++)
        if (!add_layer(l, o->configs.items[i], NULL, 0, NULL)) return EXIT_USAGE;

    /* launch payload: configText on top; its profiles and params unless overridden */
    if (o->launch) {
        if (launch_read(o->launch, &l->info, &err) != 0) {
            fprintf(stderr, "nf-preflight: %s\n", err ? err : "out of memory");
            np_free(err);
            return EXIT_IO;
        }
        l->have_info = 1;
        if (l->info.config_text) {
            const char *name = arena_printf(l->arena, "%s#configText", o->launch);
            if (!add_layer(l, NULL, l->info.config_text, l->info.config_len, name)) return EXIT_USAGE;
        }
    }
    if (o->launch_config) {
        size_t len = 0;
        char *text = read_text(o->launch_config, &len);
        if (!text) return EXIT_IO;
        np_free(l->launch_config_text);
        l->launch_config_text = text;
        if (!add_layer(l, NULL, text, len, o->launch_config)) return EXIT_USAGE;
    }

    /* params: launch paramsText, then --params-file, then --param */
    if (l->have_info && l->info.params_text &&
        params_merge_text(l->arena, l->cli_params, o->launch, l->info.params_text, l->info.params_len, &err) != 0) {
        fprintf(stderr, "nf-preflight: %s\n", err ? err : "out of memory");
        np_free(err);
        return EXIT_IO;
    }
    for (size_t i = 0; i < o->params_files.len; i++) {
        if (params_merge_file(l->arena, l->cli_params, o->params_files.items[i], &err) != 0) {
            fprintf(stderr, "nf-preflight: %s\n", err ? err : "out of memory");
            np_free(err);
            return EXIT_IO;
        }
    }
    int v1 = o->syntax && !strcmp(o->syntax, "v1");
    for (size_t i = 0; i < o->params.len; i++)
        if (!resolve_add_cli_param(l->arena, l->cli_params, o->params.items[i], v1)) return EXIT_IO;

    /* profiles: -profile, else the launch's configProfiles, else settings */
    if (o->profile) {
        if (!split_profiles(l, o->profile)) return EXIT_IO;
        l->ropt.profiles_given = 1;
    } else if (l->have_info && l->info.nprofiles) {
        l->profiles = np_calloc(l->info.nprofiles, sizeof *l->profiles);
        if (!l->profiles) return EXIT_IO;
        for (size_t i = 0; i < l->info.nprofiles; i++) l->profiles[l->nprofiles++] = l->info.profiles[i];
        l->ropt.profiles_given = 1;
    } else if (l->settings->profiles.len) {
        l->profiles = np_calloc(l->settings->profiles.len, sizeof *l->profiles);
        if (!l->profiles) return EXIT_IO;
        for (size_t i = 0; i < l->settings->profiles.len; i++)
            l->profiles[l->nprofiles++] = l->settings->profiles.items[i];
        l->ropt.profiles_given = 1;
    }
    l->ropt.profiles = l->profiles;
    l->ropt.nprofiles = l->nprofiles;
    l->ropt.syntax_v1 = v1;
    l->ropt.env = o->envs.items;
    l->ropt.nenv = o->envs.len;
    l->ropt.clean_env = o->clean_env;
    l->ropt.cli_params = l->cli_params;
    l->ropt.remote_includes = o->remote_includes;
    l->ropt.launch_dir = l->cwd;
    if (l->pipeline_dir) {
        l->ropt.project_dir = l->pipeline_dir[0] == '/' ? l->pipeline_dir
                              : arena_printf(l->arena, "%s/%s", l->cwd, l->pipeline_dir);
    } else if (l->nlayers && l->layers[0].path) {
        const char *p = l->layers[0].path;
        const char *slash = strrchr(p, '/');
        const char *dir = slash ? arena_strndup(l->arena, p, (size_t)(slash - p)) : ".";
        if (slash == p) dir = "/";
        l->ropt.project_dir = dir[0] == '/' ? dir : !strcmp(dir, ".") ? l->cwd
                              : arena_printf(l->arena, "%s/%s", l->cwd, dir);
    } else {
        l->ropt.project_dir = l->cwd;
    }
    if (l->nlayers == 0 && !(allow_stdin == 2 && o->launch))
        return usage_error("%s", "nothing to check: give a PATH (or - for standard input)");
    return EXIT_CLEAN;
}

/* ---------------- remote includes ---------------- */

#include "http.h"

static int fetch_remote(void *ctx, const char *url, char **body, size_t *len, char **err)
{
    const Options *o = ctx;
    HttpRequest req;
    memset(&req, 0, sizeof req);
    req.url = url;
    req.insecure = o->insecure;
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
        if (o->dump_tokens) parse_dump_tokens(&out, src);
        if (o->dump_tree || !o->dump_tokens) {
            Node *root = parse_config(arena, src, &diags, NULL);
            if (root) parse_dump_tree(&out, src, root);
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

static int findings_exit(const Options *o, const Settings *s, const DiagList *d)
{
    if (o->exit_zero) return EXIT_CLEAN;
    Severity level = o->fail_on_given ? o->fail_on : s ? s->fail_on : SEV_ERROR;
    for (size_t i = 0; i < d->len; i++)
        if (d->items[i].sev != SEV_NONE && d->items[i].sev >= level) return EXIT_FINDINGS;
    return EXIT_CLEAN;
}

/* Prints diagnostics to stderr in gcc form (for commands whose stdout is data). */
static void diags_to_stderr(DiagList *diags)
{
    if (!diags->len) return;
    diag_sort(diags);
    StrBuf b = STRBUF_INIT;
    report_emit(&b, REPORT_GCC, diags, NULL);
    fwrite(strbuf_cstr(&b), 1, b.len, stderr);
    strbuf_free(&b);
}

/* `# nf-preflight: …` comments of a YAML launch file apply to the whole launch. */
static long yaml_suppressions(const Options *o, DiagList *diags)
{
    int err;
    Source *yaml = source_load(o->launch, NULL, &err);
    if (!yaml) return 0;
    long r = suppress_apply_yaml(diags, yaml, NULL);
    source_free(yaml);     /* diagnostics about it hold their own copy */
    return r;
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

typedef enum { RUN_CHECK, RUN_CONFIG, RUN_IMAGES } RunKind;

static int cmd_resolved(Options *o, RunKind kind)
{
    ReportFormat fmt = isatty(1) && !o->output ? REPORT_TEXT : REPORT_GCC;
    if (kind == RUN_CHECK && o->format && !report_format_parse(o->format, &fmt))
        return usage_error("unknown format '%s' (text, gcc, json, sarif, github)", o->format);
    if (kind == RUN_CONFIG && o->format && strcmp(o->format, "flat") && strcmp(o->format, "canonical") &&
        strcmp(o->format, "json"))
        return usage_error("unknown config format '%s' (flat, canonical, json)", o->format);
    if (kind == RUN_IMAGES && o->format && strcmp(o->format, "text") && strcmp(o->format, "json"))
        return usage_error("unknown images format '%s' (text, json)", o->format);
    int color = report_color_decide(o->color, isatty(1) && !o->output);
    if (color < 0) return usage_error("unknown --color value '%s' (auto, always, never)", o->color);
    if (o->insecure) fprintf(stderr, "nf-preflight: WARNING: --insecure: TLS certificates are NOT verified\n");

    Launch l;
    int rc = launch_prepare(o, &l, kind == RUN_CHECK);
    if (rc != EXIT_CLEAN) { launch_free(&l); return rc; }
    l.ropt.fetch = fetch_remote;
    l.ropt.fetch_ctx = o;

    DiagList diags = {0};
    CredList creds = CREDLIST_INIT;
    Config *cfg = resolve_config(l.layers, l.nlayers, &l.ropt, &diags);
    StrBuf out = STRBUF_INIT;
    if (!cfg) { rc = EXIT_IO; goto done; }

    int required_failed = 0;
    CredSourceOptions cso = {o->cred_files.items, o->cred_files.len, o->platform, o->docker_config,
                             o->docker_config_path, o->auth_file, o->auth_file_path, o->insecure, cfg, l.settings};
    int have_creds = 0;
    if (kind != RUN_CONFIG) have_creds = credsrc_load(&cso, &creds, &diags, &required_failed);
    if (have_creds < 0) { rc = EXIT_IO; goto done; }

    /* Under the legacy parser (--syntax v1, NXF_SYNTAX_PARSER=v1) the launch
     * accepts these constructs: they are a note for later, not a warning now.
     * A severity from the settings file still wins (applied below). */
    for (size_t i = 0; l.ropt.syntax_v1 && i < diags.len; i++)
        if (!strcmp(diags.items[i].rule, "v2-incompatible")) diags.items[i].sev = SEV_INFO;

    /* JSON output always says where Wave is set (verbose detail is data there). */
    int verbose = o->verbose || (kind == RUN_CHECK && fmt == REPORT_JSON);
    CheckInput in = {cfg, l.ropt.launch_dir, l.settings, l.pipeline_dir, have_creds ? &creds : NULL, verbose,
                     o->online, o->insecure};
    if (kind == RUN_CHECK) {
        /* secrets first and always: it also masks secret spans for the report */
        secrets_check(&in, &diags);
        if (!cfg->syntax_errors && !cfg->io_error) {
            wave_check(&in, &diags);
            schema_check(&in, &diags);
            images_check(&in, &diags);
        }
        if (suppress_apply(&diags, cfg->sources, cfg->trees, cfg->nsources) < 0) diags.oom = 1;
        redact_diag_messages(&diags, &cfg->secrets);   /* reports show secrets nowhere */
        if (l.have_info && l.info.is_yaml && l.info.config_text && yaml_suppressions(o, &diags) < 0)
            diags.oom = 1;
        settings_apply(l.settings, &diags, NULL);
        diag_sort(&diags);
        char *repo = repository_root(o->paths.len ? o->paths.items[0] : ".");
        ReportOptions ropt = {color, repo ? repo : l.settings->dir};
        report_emit(&out, fmt, &diags, &ropt);
        np_free(repo);
        rc = write_output(o, &out);
        if (rc == EXIT_CLEAN) rc = findings_exit(o, l.settings, &diags);
    } else if (kind == RUN_CONFIG) {
        if (!o->format || !strcmp(o->format, "flat")) config_print_flat(&out, cfg);
        else if (!strcmp(o->format, "canonical")) config_print_canonical(&out, cfg);
        else config_print_json(&out, cfg);
        redact_diag_messages(&diags, &cfg->secrets);   /* reports show secrets nowhere */
        settings_apply(l.settings, &diags, NULL);
        diags_to_stderr(&diags);
        rc = write_output(o, &out);
        if (rc == EXIT_CLEAN && (cfg->syntax_errors || diag_count(&diags, SEV_ERROR))) rc = EXIT_FINDINGS;
    } else {
        /* images_report fails only when memory ran out */
        if (images_report(&in, o->format ? o->format : "text", &out, &diags) != 0) diags.oom = 1;
        redact_diag_messages(&diags, &cfg->secrets);   /* reports show secrets nowhere */
        settings_apply(l.settings, &diags, NULL);
        diags_to_stderr(&diags);
        if (!diags.oom) rc = write_output(o, &out);
        if (rc == EXIT_CLEAN && diag_count(&diags, SEV_ERROR)) rc = EXIT_FINDINGS;
    }
    if (rc != EXIT_IO && (cfg->io_error || required_failed)) rc = EXIT_IO;
    if (diags.oom) { fprintf(stderr, "nf-preflight: out of memory\n"); rc = EXIT_IO; }
done:
    strbuf_free(&out);
    creds_list_free(&creds);
    config_free(cfg);
    diag_list_free(&diags);
    images_cleanup();
    launch_free(&l);
    return rc;
}

static int cmd_fix(Options *o)
{
    if (o->paths.len == 0 && !o->launch) return usage_error("%s", "fix needs a FILE, - or --launch FILE");
    if (o->write && o->diff) return usage_error("%s", "--write and --diff cannot be combined");
    Launch l;
    int rc = launch_prepare(o, &l, 2);   /* 2: a launch file alone is enough */
    if (rc != EXIT_CLEAN) { launch_free(&l); return rc; }
    if (o->write && o->paths.len && !strcmp(o->paths.items[0], "-") && !o->launch) {
        launch_free(&l);
        return usage_error("%s", "--write needs a file, not standard input");
    }
    FixRequest req = {l.layers, l.nlayers, l.nlayers ? l.nlayers - 1 : 0, o->launch, &l.ropt, o->write, o->diff};
    StrBuf out = STRBUF_INIT;
    DiagList diags = {0};
    char *err = NULL;
    rc = fix_command(&req, &out, &diags, &err);
    diags_to_stderr(&diags);
    if (err) fprintf(stderr, "nf-preflight: %s\n", err);
    np_free(err);
    if (rc != EXIT_IO) {
        int wrc = write_output(o, &out);
        if (wrc) rc = wrc;
    }
    strbuf_free(&out);
    diag_list_free(&diags);
    launch_free(&l);
    return rc;
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

static const char *const commands[] = {"check", "fix", "config", "images", "parse", "rules", "explain"};

int cli_main(int argc, char **argv)
{
    Options o;
    memset(&o, 0, sizeof o);
    o.fail_on = SEV_ERROR;
    const char **pool = np_calloc((size_t)argc * 8 + 8, sizeof *pool);
    if (!pool) return EXIT_IO;
    /* each repeatable option gets its own slice of the pool */
    StrVec *vecs[] = {&o.paths, &o.configs, &o.params, &o.params_files, &o.envs, &o.cred_files};
    for (size_t k = 0; k < sizeof vecs / sizeof vecs[0]; k++) vecs[k]->items = pool + k * ((size_t)argc + 1);

    int i = 1;
    o.command = "check";
    if (argc > 1) {
        for (size_t k = 0; k < sizeof commands / sizeof commands[0]; k++)
            if (!strcmp(argv[1], commands[k])) { o.command = commands[k]; i = 2; }
    }
    int rc = -1;
    for (; i < argc && rc < 0; i++) {
        const char *a = argv[i];
        const char *v;
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
        else if (!strcmp(a, "--tokens")) o.dump_tokens = 1;
        else if (!strcmp(a, "--tree")) o.dump_tree = 1;
        else if (!strcmp(a, "--exit-zero")) o.exit_zero = 1;
        else if (!strcmp(a, "--clean-env")) o.clean_env = 1;
        else if (!strcmp(a, "--remote-includes")) o.remote_includes = 1;
        else if (!strcmp(a, "--platform")) o.platform = 1;
        else if (!strcmp(a, "--online")) o.online = 1;
        else if (!strcmp(a, "--insecure")) o.insecure = 1;
        else if (!strcmp(a, "--no-settings")) o.no_settings = 1;
        else if (!strcmp(a, "--write") || !strcmp(a, "-w")) o.write = 1;
        else if (!strcmp(a, "--diff")) o.diff = 1;
        else if (!strcmp(a, "-v") || !strcmp(a, "--verbose")) o.verbose = 1;
        else if (!strcmp(a, "--docker-config")) o.docker_config = 1;
        else if (!strncmp(a, "--docker-config=", 16)) { o.docker_config = 1; o.docker_config_path = a + 16; }
        else if (!strcmp(a, "--auth-file")) o.auth_file = 1;
        else if (!strncmp(a, "--auth-file=", 12)) { o.auth_file = 1; o.auth_file_path = a + 12; }
        VALUE("--format", format)
        VALUE("--color", color)
        VALUE("--stdin-filename", stdin_filename)
        VALUE("--launch-config", launch_config)
        VALUE("--launch", launch)
        VALUE("--syntax", syntax)
        VALUE("--settings", settings_path)
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
    /* Without --syntax, follow the parser Nextflow itself would pick. */
    const char *env_syntax = getenv("NXF_SYNTAX_PARSER");
    if (rc < 0 && !o.syntax && env_syntax && *env_syntax) {
        if (strcmp(env_syntax, "v1") && strcmp(env_syntax, "v2"))
            rc = usage_error("NXF_SYNTAX_PARSER is '%s'; Nextflow accepts only v1 or v2", env_syntax);
        else
            o.syntax = env_syntax;
    }
    if (rc < 0 && o.envs.len) {
        for (size_t k = 0; k < o.envs.len && rc < 0; k++)
            if (!strchr(o.envs.items[k], '=')) rc = usage_error("--env takes NAME=VALUE, not '%s'", o.envs.items[k]);
    }
    if (rc < 0) {
        if (!strcmp(o.command, "parse")) rc = cmd_parse(&o);
        else if (!strcmp(o.command, "rules")) rc = cmd_rules(&o);
        else if (!strcmp(o.command, "explain")) rc = cmd_explain(&o);
        else if (!strcmp(o.command, "fix")) rc = cmd_fix(&o);
        else if (!strcmp(o.command, "config")) rc = cmd_resolved(&o, RUN_CONFIG);
        else if (!strcmp(o.command, "images")) rc = cmd_resolved(&o, RUN_IMAGES);
        else rc = cmd_resolved(&o, RUN_CHECK);
    }
    np_free(pool);
    return rc;
}
