/* prerun — see prerun.h. */
#include "prerun.h"
#include "alloc.h"
#include "data.h"
#include "strbuf.h"

#include <string.h>
#include <sys/stat.h>

void prerun_run_free(PrerunRun *run)
{
    if (!run) return;
    np_free_wiped(run->launch_json, run->launch_len);
    np_free_wiped(run->creds_json, run->creds_len);
    np_free(run->creds_error);
    np_free(run->pipeline);
    np_free(run->revision);
    np_free(run->syntax_parser);
    np_free(run->ce_id);
    np_free(run->ce_name);
    np_free(run->ce_platform);
    np_free(run->ce_credentials_id);
    np_free(run->ce_nextflow_config);
    np_free(run->toggles_text);
    for (size_t i = 0; i < PRERUN_MAX_LAYERS; i++) np_free(run->layer_names[i]);
    memset(run, 0, sizeof *run);
}

/* A copy of the string member `key` of `obj`; 1 when absent or not a string
 * (left NULL), 0 when memory ran out. */
static int copy_str(const DataNode *obj, const char *key, char **out)
{
    const DataNode *n = data_get(obj, key);
    if (!n || n->kind != DATA_STRING) return 1;
    return (*out = np_strndup(n->text, n->text_len)) != NULL;
}

/* The compute environment's fields: id, name, platform and credentialsId on
 * the object itself, the rest under `config` (ComputeEnv_ComputeConfig_). */
static int read_compute_env(const DataNode *ce, PrerunRun *run)
{
    if (!ce || ce->kind != DATA_OBJECT) return 1;
    if ((!run->ce_id && !copy_str(ce, "id", &run->ce_id)) || (!run->ce_name && !copy_str(ce, "name", &run->ce_name)) ||
        (!run->ce_platform && !copy_str(ce, "platform", &run->ce_platform)) ||
        (!run->ce_credentials_id && !copy_str(ce, "credentialsId", &run->ce_credentials_id)))
        return 0;
    const DataNode *config = data_get(ce, "config");
    if (!config || config->kind != DATA_OBJECT) return 1;
    if (!copy_str(config, "nextflowConfig", &run->ce_nextflow_config)) return 0;
    int b = 0;
    if (data_bool(data_get(config, "waveEnabled"), &b)) run->wave_enabled = b;
    if (data_bool(data_get(config, "fusion2Enabled"), &b)) run->fusion_enabled = b;
    return 1;
}

/* 1 when the compute environment object carries its configuration. */
static int has_config(const DataNode *ce)
{
    return data_is(data_get(ce, "config"), DATA_OBJECT);
}

static int fail(char **err, int code, const char *what, char *why)
{
    StrBuf b = STRBUF_INIT;
    strbuf_printf(&b, "%s: %s", what, why ? why : "out of memory");
    np_free(why);
    *err = strbuf_take(&b);
    return *err ? code : PRERUN_NOMEM;
}

/* Turns the compute environment's settings into layers 2 and 3. */
static int build_layers(PrerunRun *run)
{
    StrBuf who = STRBUF_INIT;
    strbuf_printf(&who, "compute-env '%s'", run->ce_name ? run->ce_name : run->ce_id ? run->ce_id : "?");
    if (strbuf_failed(&who)) return 0;
    const char *w = strbuf_cstr(&who);
    int ok = 1;
    if (run->ce_nextflow_config && *run->ce_nextflow_config) {
        StrBuf n = STRBUF_INIT;
        strbuf_printf(&n, "%s#nextflowConfig", w);
        char *name = strbuf_take(&n);
        if (!name) ok = 0;
        else {
            run->layer_names[run->nlayers] = name;
            run->layers[run->nlayers++] = (CheckTextLayer){name, run->ce_nextflow_config,
                                                           strlen(run->ce_nextflow_config)};
        }
    }
    if (ok && (run->wave_enabled || run->fusion_enabled)) {
        StrBuf t = STRBUF_INIT, n = STRBUF_INIT;
        if (run->wave_enabled) strbuf_puts(&t, "wave.enabled = true\n");
        if (run->fusion_enabled) strbuf_puts(&t, "fusion.enabled = true\n");
        strbuf_printf(&n, "%s#%s", w, run->wave_enabled && run->fusion_enabled ? "waveEnabled,fusion2Enabled"
                                      : run->wave_enabled ? "waveEnabled" : "fusion2Enabled");
        run->toggles_text = strbuf_take(&t);
        char *name = strbuf_take(&n);
        if (!run->toggles_text || !name) { np_free(name); ok = 0; }
        else {
            run->layer_names[run->nlayers] = name;
            run->layers[run->nlayers++] = (CheckTextLayer){name, run->toggles_text, strlen(run->toggles_text)};
        }
    }
    strbuf_free(&who);
    return ok;
}

/* Parses a Platform answer; NULL (with *err) when it is not a JSON object. */
static DataDoc *parse_answer(const char *body, size_t len, const char *what, char **err)
{
    DataDoc *doc = NULL;
    char *perr = NULL;
    int rc = data_parse(body, len, DATA_JSON, &doc, &perr);
    if (rc == DATA_OK && doc->root->kind == DATA_OBJECT) { np_free(perr); return doc; }
    data_doc_free(doc);
    if (rc == DATA_ENOMEM) { np_free(perr); *err = NULL; return NULL; }
    StrBuf b = STRBUF_INIT;
    strbuf_printf(&b, "the %s answer is not a JSON object%s%s", what, perr ? ": " : "", perr ? perr : "");
    np_free(perr);
    *err = strbuf_take(&b);
    return NULL;
}

int prerun_fetch(const PlatformConfig *pc, const char *workflow_id, PrerunRun *run, char **err)
{
    memset(run, 0, sizeof *run);
    *err = NULL;
    char *why = NULL, *body = NULL;
    /* the launch and the workspace's credentials do not depend on each
     * other: asked at once (the compute environment needs the launch) */
    PlatformGet gets[2];
    int rc = platform_get_workflow_launch(&gets[0], workflow_id);
    int rc2 = platform_get_credentials(&gets[1]);
    if (rc == PLATFORM_ERR_NOMEM || rc2 != PLATFORM_OK) {
        platform_get_free(&gets[0]);
        platform_get_free(&gets[1]);
        return PRERUN_NOMEM;
    }
    if (rc == PLATFORM_OK) platform_get_all(pc, gets, 2);
    else gets[0].code = rc;
    /* the credentials are kept whatever happens to the launch: one place frees them */
    int creds_rc = gets[1].code;
    char *creds_body = gets[1].body, *creds_why = gets[1].err;
    gets[1].body = gets[1].err = NULL;
    platform_get_free(&gets[1]);
    if (creds_rc == PLATFORM_OK) {
        run->creds_json = creds_body;
        run->creds_len = strlen(creds_body);
        np_free(creds_why);
    } else {
        np_free(creds_body);
        run->creds_error = creds_why;
    }
    rc = gets[0].code;
    body = gets[0].body;
    why = gets[0].err;
    gets[0].body = gets[0].err = NULL;
    platform_get_free(&gets[0]);
    if (rc == PLATFORM_ERR_NOMEM || creds_rc == PLATFORM_ERR_NOMEM) { np_free(why); np_free(body); return PRERUN_NOMEM; }
    if (rc != PLATFORM_OK) {
        if (!why && rc == PLATFORM_ERR_CONFIG) why = np_strdup("no Platform identifier given");
        return fail(err, PRERUN_UNAVAILABLE, "the run's launch could not be read", why);
    }
    if (creds_rc != PLATFORM_OK && !run->creds_error &&
        !(run->creds_error = np_strdup("the credentials could not be listed"))) {
        np_free(body);
        return PRERUN_NOMEM;
    }
    run->launch_json = body;
    run->launch_len = strlen(body);

    DataDoc *doc = parse_answer(run->launch_json, run->launch_len, "workflow launch", &why);
    if (!doc) return why ? fail(err, PRERUN_UNAVAILABLE, "the run's launch could not be read", why) : PRERUN_NOMEM;
    const DataNode *launch = data_get(doc->root, "launch");
    if (!launch || launch->kind != DATA_OBJECT) {
        data_doc_free(doc);
        return fail(err, PRERUN_UNAVAILABLE, "the run's launch could not be read",
                    np_strdup("the answer has no \"launch\" object"));
    }
    const DataNode *ce = data_get(launch, "computeEnv");
    int ok = copy_str(launch, "pipeline", &run->pipeline) && copy_str(launch, "revision", &run->revision) &&
             copy_str(launch, "syntaxParser", &run->syntax_parser) && read_compute_env(ce, run);
    int need_ce = ok && run->ce_id && !has_config(ce);
    data_doc_free(doc);
    if (!ok) return PRERUN_NOMEM;

    /* an embedded compute environment without its configuration: ask for it */
    if (need_ce) {
        rc = platform_describe_compute_env(pc, run->ce_id, &body, &why);
        if (rc == PLATFORM_ERR_NOMEM) { np_free(why); return PRERUN_NOMEM; }
        if (rc != PLATFORM_OK)
            return fail(err, PRERUN_UNAVAILABLE, "the run's compute environment could not be read", why);
        doc = parse_answer(body, strlen(body), "compute environment", &why);
        np_free(body);
        if (!doc)
            return why ? fail(err, PRERUN_UNAVAILABLE, "the run's compute environment could not be read", why)
                       : PRERUN_NOMEM;
        ok = read_compute_env(data_get(doc->root, "computeEnv"), run);
        data_doc_free(doc);
        if (!ok) return PRERUN_NOMEM;
        run->ce_fetched = 1;
    }
    /* without the credentials the registry cross-check is skipped
     * (creds_error), the rest still runs */
    return build_layers(run) ? PRERUN_OK : PRERUN_NOMEM;
}

char *prerun_local_pipeline(const char *pipeline)
{
    if (!pipeline) return NULL;
    /* a file: URL is a git repository to clone, as Nextflow does with it
     * (prerun_repo.h, --allow-local-repository); a plain path is run as it is */
    const char *p = pipeline;
    if (p[0] != '/') return NULL;
    struct stat st;
    if (stat(p, &st) != 0 || !S_ISDIR(st.st_mode)) return NULL;
    return np_strdup(p);
}

int prerun_wave_toggle(const char *platform)
{
    /* the ComputeConfig discriminator values whose schema has waveEnabled
     * (seqera-api-1.181.0-subset.yaml) */
    static const char *const with_toggle[] = {"aws-batch",   "aws-cloud",    "azure-batch",
                                              "azure-cloud", "eks-platform", "gke-platform",
                                              "google-batch", "google-cloud", "local-platform"};
    if (!platform) return 0;
    for (size_t i = 0; i < sizeof with_toggle / sizeof with_toggle[0]; i++)
        if (!strcmp(platform, with_toggle[i])) return 1;
    return 0;
}
