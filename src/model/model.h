/* model — the launch model: what a run will do, computed once per check and
 * read by every rule, `images`, and later `prerun` and the language server.
 *
 *   engine     which container engine runs the tasks (config `<engine>.enabled`
 *              and Nextflow's run options), or none;
 *   Wave       on/off, its strategy (conda first: processes with a conda
 *              directive are built by Wave, their container is not pulled);
 *   processes  every process of the pipeline's .nf files with its labels, its
 *              task.ext from the matching selectors in Nextflow's order, its
 *              container directives evaluated with workflow.containerEngine
 *              and task.ext known (one branch of the nf-core ternary);
 *   pulls      for an image host: who pulls (the engine with local logins, the
 *              cloud executor's identity, Wave with Platform credentials by
 *              exact host), the host's class, and the credential source that
 *              covers it;
 *   aborts     launches Nextflow refuses before any task runs.
 *
 * Facts (nextflow-io/nextflow 26.08 2aad02f, seqeralabs/wave 7b8b9f6), each
 * cited where used: Session.getContainerConfig (one engine), ConfigSelectorResolver
 * and ProcessConfigBuilder.applyConfig (selector order, ext merge),
 * WaveClient.resolveAssets/resolveConflicts (strategy), WaveContainerResolver
 * (engines Wave serves, docker:// stripped for Singularity), WaveAssets
 * .validateContainerName (URL-like prefixes). Nothing here prints. */
#ifndef NFP_MODEL_H
#define NFP_MODEL_H
#include <stddef.h>
#include "checks.h"
#include "image.h"
#include "model/graph.h"
#include "pipeline.h"
#include "registry.h"

/* Who pulls an image. */
typedef enum ModelPuller {
    MODEL_PULL_ENGINE = 0,   /* the engine on the compute node, with its local logins */
    MODEL_PULL_WAVE,         /* Wave, with the Platform workspace's credentials (exact host) */
    MODEL_PULL_EXECUTOR,     /* the engine with the cloud executor's identity */
    MODEL_PULL_NONE          /* not pulled (reason says why) */
} ModelPuller;

typedef struct ModelProcess {
    const PipeProcess *def;     /* the definition (name, labels, place) */
    const char *name;
    Value *ext;                 /* task.ext after the selectors (a scope, arena) */
    const char *container_selector; /* selector whose `container` replaces the directive, or NULL */
    const char *container_uncertain;/* a qualified-name selector that may replace it, or NULL */
    int has_directive;          /* the process has a `container` directive */
    int conda;                  /* conda for this process: 1 set, 0 not, -1 cannot tell */
    int wave_builds;            /* Wave builds it from conda (strategy conda first) */
    const GraphInvocation *const *invocations; /* its invocations (qualified names) when the
                                   include graph is known; none: never invoked, or not known */
    size_t ninvocations;
} ModelProcess;

typedef struct LaunchModel {
    Arena *arena;
    /* engine */
    ImageEngine engine;         /* for naming; docker when none is enabled */
    const char *engine_name;    /* "docker" … "shifter", "apple-container", "smolvm"; NULL none */
    int engine_enabled;
    const char *engine_option;  /* "-with-docker" when a run option turned it on, else NULL */
    const Prov *engine_prov;    /* where <engine>.enabled was set */
    const char *engines_enabled[9];  /* every engine enabled (more than one: Nextflow aborts) */
    size_t nengines_enabled;
    EngineOptions eopt[IMAGE_ENGINE_SHIFTER + 1];
    /* Wave */
    int wave;                   /* 1 on, 0 off, -1 unknown */
    int wave_engine_unsupported;/* Wave on with an engine Wave does not serve */
    int conda_first;            /* wave.strategy puts conda before container */
    const char *strategy;       /* the strategy as text ("container,dockerfile,conda" default) */
    int freeze_no_repo;         /* wave.freeze on, no wave.build.repository, no wave.mirror:
                                   Wave refuses every request that carries a container image */
    const Prov *freeze_prov;    /* where wave.freeze is set */
    /* executor */
    const char *executor;       /* process.executor, or NULL (local) */
    /* the pipeline */
    PipelineScan scan;          /* processes, directives, evaluated candidates (owned) */
    int scanned;                /* a pipeline directory was scanned */
    ModelProcess *procs;        /* parallel to scan.procs */
    size_t nprocs;
    /* the workflow include graph (model/graph.h) */
    int graph_known;            /* every qualified name a run can give is known */
    const char *graph_why;      /* when not: why (for -v notes), or NULL without a pipeline */
    GraphInvocation *invocations;
    size_t ninvocations;
    /* top-level withName: selectors that match no declared name, include
     * alias or qualified name (patterns with ':' only when graph_known) */
    const Entry **unmatched;
    size_t nunmatched;
} LaunchModel;

/* Builds the model for `in` (scanning in->pipeline_dir when set). A pipeline
 * directory that cannot be read becomes a config-error warning. Returns 0,
 * or -1 when memory ran out. Always call model_free. */
int  model_build(const CheckInput *in, LaunchModel *m, DiagList *diags);
void model_free(LaunchModel *m);
/* Hands the .nf Sources over (they must outlive diagnostics pointing at them). */
int  model_take_sources(LaunchModel *m, Source ***out, size_t *n);

/* The class of a registry host, the operator's settings applied
 * (private_registries: login; public_registries: public). */
RegistryClass model_host_class(const CheckInput *in, const char *host);

/* Who pulls an image on `host` (NULL for a download or file) for a process
 * whose container Wave builds from conda (wave_builds), and which credential
 * source covers it. */
typedef struct ModelPull {
    ModelPuller by;
    const char *reason;        /* MODEL_PULL_NONE: why; otherwise a short why of the puller */
    const char *cred_source;   /* what covers the host ("Platform credential 'x'", "docker config
                                  (…)", "AWS Batch instance role", "Wave's own"), or NULL */
    int covered;               /* 1 when a credential source covers the host */
    const Credential *invalid; /* Wave's pick for the host is a Platform credential whose
                                  status is INVALID: Wave logs in with it anyway (not covered) */
} ModelPull;
int model_pull(const LaunchModel *m, const CheckInput *in, const char *host, int wave_builds,
               ModelPull *out);
const char *model_puller_str(ModelPuller p);   /* "engine", "wave", "executor", "none" */
/* model_host_class as it matters to the puller `by`: a loopback registry
 * needs a login only for Wave (which cannot reach it); to the engine it is
 * unknown, unless the settings list it as private. */
RegistryClass model_pull_class(const CheckInput *in, const char *host, ModelPuller by);

#endif
