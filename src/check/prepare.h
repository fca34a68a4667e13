/* prepare — step 1 of the check pipeline: turns a CheckRequest into what the
 * resolver needs (config layers, params, profiles, resolver options) and finds
 * and reads the tool settings. No printing: a problem is a status and an
 * np_malloc'd message. Used by check.c; other front ends go through check_run. */
#ifndef NFP_CHECK_PREPARE_H
#define NFP_CHECK_PREPARE_H
#include "arena.h"
#include "check/check.h"
#include "launch.h"
#include "resolve.h"
#include "settings.h"

#define CHECK_MAX_LAYERS 64

struct CheckLaunch {
    Arena *arena;
    Layer layers[CHECK_MAX_LAYERS];    /* lowest first */
    size_t nlayers;
    const char *pipeline_dir;          /* a PATH that is a directory, else NULL */
    int no_pipeline_config;            /* that directory has .nf scripts and no
                                          nextflow.config (Nextflow reads none) */
    LaunchInfo info;                   /* --launch payload, when have_info */
    int have_info;
    char *launch_config_text;          /* --launch-config text (owned) */
    const char **profiles;
    size_t nprofiles;
    char *profile_copy;
    Value *cli_params;
    Settings *settings;
    char *settings_skipped;       /* a settings file found but not used: owned by
                                     another user (np_malloc'd), or NULL */
    ResolveOptions ropt;
    const CheckRequest *req;           /* for the remote-include fetcher */
    char cwd[4096];
};

/* Fills `l` from `req`. Returns CHECK_OK, or another status with *message
 * (np_malloc'd; NULL when memory ran out) and *usage_hint set when the
 * problem is in how the tool was called. Always leaves `l` fit for
 * check_launch_free. */
CheckStatus check_launch_prepare(const CheckRequest *req, CheckLaunch *l, char **message, int *usage_hint);
void check_launch_free(CheckLaunch *l);

#endif
