/* prerun — a Seqera Platform run as its pre-run script sees it: the run's
 * launch (GET /workflow/{id}/launch), its compute environment (embedded in
 * the launch, else GET /compute-envs/{id}) and the workspace's credentials
 * (GET /credentials), all with the run's workspace id, and the config layers
 * Platform builds from them. No printing: every problem is a code and a
 * sentence for the front end (cli.c `prerun`).
 *
 * The layers, lowest first (Platform's documented order of priority,
 * research/nextflow-wave-source-facts.md "Platform runs" and
 * seqera-wave-credentials.md §4.3; how Platform injects each one physically
 * was not established from a source, so each is a layer of its own):
 *   1. the pipeline's nextflow.config (the front end's PATH);
 *   2. the compute environment's Global Nextflow config (`nextflowConfig`);
 *   3. the settings Platform derives from the compute environment: its
 *      "Enable Wave containers" and "Fusion v2" toggles (`waveEnabled`,
 *      `fusion2Enabled`) as `wave.enabled = true` / `fusion.enabled = true`;
 *   4. the launch form's Nextflow config (`configText`), with the launch's
 *      `configProfiles` as -profile and `paramsText` as params (check_run
 *      reads these from the launch document itself). */
#ifndef NFP_PRERUN_H
#define NFP_PRERUN_H
#include <stddef.h>
#include "check/check.h"
#include "platform.h"

enum {
    PRERUN_OK = 0,
    PRERUN_UNAVAILABLE,   /* Platform could not be asked or did not answer usefully: fail open */
    PRERUN_NOMEM
};

#define PRERUN_MAX_LAYERS 2

typedef struct PrerunRun {
    char *launch_json;            /* the GET /workflow/{id}/launch answer: check_run's launch document */
    size_t launch_len;
    char *creds_json;             /* the GET /credentials answer, or NULL (creds_error says why) */
    size_t creds_len;
    char *creds_error;
    /* from the launch (NULL when absent) */
    char *pipeline;               /* repository URL or local path */
    char *revision;
    char *syntax_parser;          /* "v1" / "v2" */
    char *ce_id, *ce_name, *ce_platform, *ce_credentials_id;
    char *ce_nextflow_config;
    int wave_enabled, fusion_enabled;   /* the compute environment's toggles */
    int ce_fetched;               /* the compute environment came from GET /compute-envs/{id} */
    /* layers 2 and 3 above, for CheckRequest.platform_layers */
    CheckTextLayer layers[PRERUN_MAX_LAYERS];
    size_t nlayers;
    char *layer_names[PRERUN_MAX_LAYERS];
    char *toggles_text;
} PrerunRun;

/* Fetches the run `workflow_id` with `pc` (token, endpoint and workspace
 * from the operator: TOWER_*). PRERUN_OK, or PRERUN_UNAVAILABLE with *err
 * saying what failed (np_malloc'd, token redacted), or PRERUN_NOMEM. A
 * credentials list that cannot be fetched is not a failure: creds_error.
 * Always leaves *run fit for prerun_run_free. */
int prerun_fetch(const PlatformConfig *pc, const char *workflow_id, PrerunRun *run, char **err);
void prerun_run_free(PrerunRun *run);

/* The launch's pipeline as a local directory, when it is one: an absolute
 * path naming an existing directory, which Nextflow runs as it is (a file:
 * URL is a repository Nextflow clones: prerun_repo.h). np_malloc'd, or NULL. */
char *prerun_local_pipeline(const char *pipeline);

/* 1 when compute environments of `platform` ("aws-batch", ...) have an
 * "Enable Wave containers" toggle: their ComputeConfig in the API contract
 * has `waveEnabled` (AWS Batch and Cloud, Google Batch and Cloud, Azure
 * Batch and Cloud, EKS, GKE, local). Unknown or NULL: 0. */
int prerun_wave_toggle(const char *platform);

#endif
