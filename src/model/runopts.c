/* runopts — Nextflow's run options applied to a resolved config (runopts.h).
 * Facts: nextflow-io/nextflow modules/nf-cli-v1 ConfigCmdAdapter.groovy
 * (configRunOptions, configContainer), Launcher.groovy (normalizeArgs),
 * CmdRun.groovy (option names, the -with/-without conflicts). */
#include "model/runopts.h"

#include <stddef.h>
#include <string.h>
#include <sys/stat.h>

#include "alloc.h"

typedef struct OptSpec {
    const char *name;
    size_t field;          /* offsetof the const char * field */
    const char *bare;      /* value when given without one */
} OptSpec;

#define F(x) offsetof(RunOptions, x)
static const OptSpec specs[] = {
    {"-with-docker", F(with_docker), "-"},
    {"-with-podman", F(with_podman), "-"},
    {"-with-singularity", F(with_singularity), "-"},
    {"-with-apptainer", F(with_apptainer), "-"},
    {"-with-charliecloud", F(with_charliecloud), "-"},
    {"-with-conda", F(with_conda), "-"},
    {"-with-wave", F(with_wave), "-"},
    {"-with-fusion", F(with_fusion), "true"},
    {"-with-tower", F(with_tower), "-"},
};
#undef F

static const char **field_of(RunOptions *ro, const OptSpec *s)
{
    return (const char **)(void *)((char *)ro + s->field);
}

static int names_a_path(const char *a)
{
    struct stat st;
    return !strcmp(a, "-") || stat(a, &st) == 0;
}

int runopts_parse(RunOptions *ro, int argc, char **argv, int *i, const char **err)
{
    const char *a = argv[*i];
    *err = NULL;
    if (!strcmp(a, "-without-docker")) {
        if (ro->without_docker) { *err = "-without-docker given twice"; return RUNOPT_USAGE; }
        ro->without_docker = 1;
        return RUNOPT_TAKEN;
    }
    for (size_t k = 0; k < sizeof specs / sizeof specs[0]; k++) {
        size_t n = strlen(specs[k].name);
        if (strncmp(a, specs[k].name, n) != 0 || (a[n] != '\0' && a[n] != '=')) continue;
        const char **slot = field_of(ro, &specs[k]);
        if (*slot) { *err = "a run option was given twice"; return RUNOPT_USAGE; }
        if (a[n] == '=') {
            *slot = a[n + 1] ? a + n + 1 : specs[k].bare;
        } else if (*i + 1 < argc && argv[*i + 1][0] != '-' && argv[*i + 1][0] && !names_a_path(argv[*i + 1])) {
            *slot = argv[++*i];
        } else {
            *slot = specs[k].bare;
        }
        return RUNOPT_TAKEN;
    }
    return RUNOPT_NOT_MINE;
}

const char *runopts_conflict(const RunOptions *ro)
{
    if (ro && ro->with_docker && ro->without_docker)
        return "-with-docker and -without-docker cannot be given together (Nextflow refuses the run)";
    return NULL;
}

int runopts_any(const RunOptions *ro)
{
    if (!ro) return 0;
    if (ro->without_docker) return 1;
    for (size_t k = 0; k < sizeof specs / sizeof specs[0]; k++)
        if (*field_of((RunOptions *)ro, &specs[k])) return 1;
    return 0;
}

const char *runopts_engine_option(const RunOptions *ro, const char *engine)
{
    if (!ro || !engine) return NULL;
    for (size_t k = 0; k < 5; k++)   /* the five container engines lead the table */
        if (*field_of((RunOptions *)ro, &specs[k]) && !strcmp(specs[k].name + 6, engine)) return specs[k].name;
    return NULL;
}

/* The scope `key` of `parent`, created when absent. NULL when it holds
 * something else than a scope or map (Nextflow then refuses the option) or
 * memory ran out (*oom set). */
static Value *child_scope(Config *cfg, Value *parent, const char *key, int *oom)
{
    Entry *e = value_entry(parent, key, strlen(key));
    if (e && e->val && (e->val->kind == V_SCOPE || e->val->kind == V_MAP)) return e->val;
    if (e && e->val && e->val->kind != V_NULL) return NULL;
    Value *s = value_new(cfg->arena, V_SCOPE);
    if (!s || !value_set(cfg->arena, parent, key, strlen(key), s, NULL)) { *oom = 1; return NULL; }
    return s;
}

/* scope.key = v, with a command-line provenance that remembers what it
 * replaced. */
static int set_key(Config *cfg, const char *scope, const char *key, Value *v)
{
    int oom = 0;
    if (!v) return -1;
    Value *s = child_scope(cfg, cfg->root, scope, &oom);
    if (!s) return oom ? -1 : 0;
    Prov *p = arena_alloc(cfg->arena, sizeof *p);
    if (!p) return -1;
    Entry *old = value_entry(s, key, strlen(key));
    p->overrode = old ? old->prov : NULL;
    return value_set(cfg->arena, s, key, strlen(key), v, p) ? 0 : -1;
}

static int set_string(Config *cfg, const char *scope, const char *key, const char *text)
{
    return set_key(cfg, scope, key, value_string(cfg->arena, text, strlen(text)));
}

/* configContainer: <engine>.enabled = true; process.container = IMAGE, or
 * the engine scope's `image` setting when no image was given. */
static int config_container(Config *cfg, const char *engine, const char *image)
{
    if (set_key(cfg, engine, "enabled", value_bool(cfg->arena, 1)) != 0) return -1;
    if (strcmp(image, "-") != 0) return set_string(cfg, "process", "container", image);
    const Value *es = value_get(cfg->root, engine);
    const Value *img = es && (es->kind == V_SCOPE || es->kind == V_MAP) ? value_get(es, "image") : NULL;
    if (img && value_truth(img) == 1 && img->kind == V_STRING) {
        Value *copy = value_string(cfg->arena, img->s, img->len);
        return set_key(cfg, "process", "container", copy);
    }
    return 0;
}

int runopts_apply(Config *cfg, const RunOptions *ro)
{
    if (!ro || !cfg || !cfg->root || !runopts_any(ro)) return 0;
    /* the order of configRunOptions */
    if (ro->with_conda) {
        if (strcmp(ro->with_conda, "-") && set_string(cfg, "process", "conda", ro->with_conda) != 0) return -1;
        if (set_key(cfg, "conda", "enabled", value_bool(cfg->arena, 1)) != 0) return -1;
    }
    if (ro->with_tower) {
        if (set_key(cfg, "tower", "enabled", value_bool(cfg->arena, 1)) != 0) return -1;
        if (strcmp(ro->with_tower, "-") && set_string(cfg, "tower", "endpoint", ro->with_tower) != 0) return -1;
    }
    if (ro->with_wave) {
        if (set_key(cfg, "wave", "enabled", value_bool(cfg->arena, 1)) != 0) return -1;
        if (strcmp(ro->with_wave, "-") && set_string(cfg, "wave", "endpoint", ro->with_wave) != 0) return -1;
    }
    if (ro->with_fusion &&
        set_key(cfg, "fusion", "enabled", value_bool(cfg->arena, !strcmp(ro->with_fusion, "true"))) != 0)
        return -1;
    if (ro->without_docker) {
        const Value *d = value_get(cfg->root, "docker");
        if (d && (d->kind == V_SCOPE || d->kind == V_MAP) &&
            set_key(cfg, "docker", "enabled", value_bool(cfg->arena, 0)) != 0)
            return -1;
    }
    static const char *const engines[] = {"docker", "podman", "singularity", "apptainer", "charliecloud"};
    const char *vals[] = {ro->with_docker, ro->with_podman, ro->with_singularity, ro->with_apptainer,
                          ro->with_charliecloud};
    for (size_t k = 0; k < 5; k++)
        if (vals[k] && config_container(cfg, engines[k], vals[k]) != 0) return -1;
    return 0;
}
