/* checks — what every rule family gets to look at, and the entry point of
 * each family. The CLI resolves the launch once and hands the same CheckInput
 * to every family; each family adds diagnostics and never prints. */
#ifndef NFP_CHECKS_H
#define NFP_CHECKS_H
#include "creds.h"
#include "diag.h"
#include "config.h"
#include "model/runopts.h"
#include "settings.h"

struct LaunchModel;

typedef struct CheckInput {
    const Config *cfg;              /* resolved launch (all layers, profiles, params) */
    const char *launch_dir;         /* where the run is launched (relative paths), or NULL */
    const Settings *settings;       /* tool settings (never NULL; defaults when no file) */
    const char *pipeline_dir;       /* PATH when it is a pipeline directory, else NULL */
    const CredList *creds;          /* credentials from every requested source, or NULL
                                       when no source was requested */
    int verbose;                    /* add info diagnostics that explain where things are set */
    int online;                     /* --online: probe registries for anonymous pulls */
    int insecure;                   /* --insecure: TLS verification off (said loudly by the CLI) */
    const char *compute_platform;   /* a Platform run's compute environment platform
                                       ("aws-batch"), or NULL */
    const char *compute_credentials_id; /* its credentialsId, or NULL */
    const char *compute_env_name;   /* its name (or id), or NULL */
    int compute_wave_toggle;        /* 1: that compute environment has a Wave containers toggle,
                                       so "turn Wave on" means the toggle, not a config edit */
    struct PipelineRead *pipeline_ahead; /* pipeline_dir's .nf files being read ahead
                                       (pipeline.h), or NULL: read them when needed */
    const RunOptions *run;          /* Nextflow run options (-with-docker ...), already applied
                                       to cfg; NULL when none were parsed */
    const struct LaunchModel *model; /* the launch model (model/model.h) built once for the
                                       run, or NULL: a family that needs it builds its own */
} CheckInput;

/* Launch-model rules: launch-aborts (engines), selector-matches-nothing,
 * profile-setting-overridden (src/model/modelcheck.c). */
void model_check(const CheckInput *in, DiagList *diags);
/* Wave, Fusion and Platform-token rules (src/wave.c). */
void wave_check(const CheckInput *in, DiagList *diags);
/* Whether Wave is on for the launch, as the Wave rules decide it: 1 when
 * wave.enabled is the boolean true (WaveFactory compares with `== true`)
 * and NXF_DISABLE_WAVE_SERVICE is not set, -1 when wave.enabled is computed
 * when the pipeline runs, else 0. *prov (may be NULL) gets where
 * wave.enabled was set (NULL when it is not); *disabled_env (may be NULL)
 * 1 when the environment variable turns Wave off. */
int wave_status(const Config *cfg, const Prov **prov, int *disabled_env);
/* Option schema: unknown-option, option-type, deprecated-option (src/schema.c). */
void schema_check(const CheckInput *in, DiagList *diags);
/* Images and registry credentials: images_inventory and images_crosscheck
 * (images.h), which check.c runs and reads for the launch summary. */
/* Secrets written into config text (src/secrets.c). */
void secrets_check(const CheckInput *in, DiagList *diags);

#endif
