/* runopts — Nextflow's `run` options that change what a launch pulls, with
 * Nextflow's own spelling: -with-docker [IMAGE], -without-docker,
 * -with-podman [IMAGE], -with-singularity [IMAGE], -with-apptainer [IMAGE],
 * -with-charliecloud [IMAGE], -with-conda [ENV], -with-wave [ENDPOINT],
 * -with-fusion [true|false], -with-tower [ENDPOINT].
 *
 * Nextflow applies them after the config files and profiles, overriding them
 * (nf-cli-v1 ConfigCmdAdapter.configRunOptions; optional values as
 * Launcher.normalizeArgs fills them: '-' when absent, 'true' for
 * -with-fusion). runopts_apply does the same on a resolved Config: the keys
 * it sets carry a provenance with no source ("on the command line") that
 * records the assignment it overrode. Nothing here prints. */
#ifndef NFP_MODEL_RUNOPTS_H
#define NFP_MODEL_RUNOPTS_H
#include "config.h"

/* Each string is NULL when the option was not given, "-" when it was given
 * without a value, else the value (an image, an endpoint, a conda spec). */
typedef struct RunOptions {
    const char *with_docker, *with_podman, *with_singularity, *with_apptainer, *with_charliecloud;
    int without_docker;
    const char *with_conda;
    const char *with_wave;
    const char *with_fusion;     /* "true" when given without a value */
    const char *with_tower;
} RunOptions;

enum { RUNOPT_NOT_MINE = 0, RUNOPT_TAKEN = 1, RUNOPT_USAGE = -1 };

/* Looks at argv[*i]. When it is one of the options above, consumes it and
 * its optional value (the next argument, unless there is none, it starts
 * with '-', or it names an existing file or directory: that is the PATH to
 * check), advances *i past what it used and returns RUNOPT_TAKEN. `-opt=VALUE`
 * is accepted too. Returns RUNOPT_NOT_MINE for anything else, RUNOPT_USAGE
 * (with *err a static sentence) for a repeated option. */
int runopts_parse(RunOptions *ro, int argc, char **argv, int *i, const char **err);

/* NULL, or a static sentence for options Nextflow refuses together
 * (-with-docker with -without-docker). */
const char *runopts_conflict(const RunOptions *ro);

/* 1 when any option was given. */
int runopts_any(const RunOptions *ro);

/* The run option that turned `engine` ("docker", ...) on, e.g. "-with-docker",
 * or NULL. */
const char *runopts_engine_option(const RunOptions *ro, const char *engine);

/* Applies the options to cfg as Nextflow does. Returns 0, or -1 when memory
 * ran out. ro may be NULL. */
int runopts_apply(Config *cfg, const RunOptions *ro);

#endif
