/* summary — the launch in one line: the container engine, whether Wave is on
 * and what decided it, how many images on how many hosts, and how many of
 * those hosts a credential covers. check_run fills one LaunchSummary per
 * `check` run from what the rule families computed (wave_status, the image
 * inventory and its credential cross-check); the text, markdown and JSON
 * reports and the language server's code lens all render that one struct
 * with the functions below, so they cannot disagree.
 *
 * Nothing from the environment is shown: a value of the environment has no
 * field here (Wave's endpoint, image names and hosts are counted, never
 * named); NXF_DISABLE_WAVE_SERVICE is named, not its value. File and
 * profile names are repository text: the line shows them on one line, cut
 * to a bounded length, with control characters made visible. */
#ifndef NFP_CHECK_SUMMARY_H
#define NFP_CHECK_SUMMARY_H
#include <stddef.h>
#include "checks.h"
#include "images.h"
#include "strbuf.h"

/* Why Wave is on or off. */
typedef enum SummaryWaveWhy {
    SUMMARY_WAVE_NOT_SET = 0,     /* wave.enabled is not set: off, Nextflow's default */
    SUMMARY_WAVE_SET,             /* set at wave_file:wave_line (in profile wave_profile) */
    SUMMARY_WAVE_NO_SOURCE,       /* set by something without a file (the command line) */
    SUMMARY_WAVE_DISABLED_ENV     /* wave.enabled is true but NXF_DISABLE_WAVE_SERVICE is set */
} SummaryWaveWhy;

/* The strings point into the run's Config and CheckLaunch: valid while the
 * CheckResult that holds the summary is. */
typedef struct LaunchSummary {
    int known;                    /* the launch resolved and its checks ran; when 0
                                     nothing below is filled and nothing is shown */
    const char *const *profiles;  /* the selected profiles (-profile, the launch's,
                                     the settings') */
    size_t nprofiles;
    const char *engine;           /* the enabled container engine ("docker" …), or
                                     NULL when none is */
    int wave;                     /* 1 on, 0 off, -1 decided when the pipeline runs */
    SummaryWaveWhy wave_why;
    const char *wave_file;        /* SUMMARY_WAVE_SET: the file's display name */
    unsigned wave_line;
    const char *wave_profile;     /*   the profile whose body set it, or NULL */
    const char *wave_option;      /* SUMMARY_WAVE_NO_SOURCE: the run option that set it
                                     ("-with-wave"), or NULL */
    size_t images;                /* distinct images the launch's engine may use */
    size_t dynamic_images;        /*   of which named only when the pipeline runs */
    size_t hosts;                 /* distinct registry and download hosts of those */
    int creds_checked;            /* a credential source was given */
    size_t hosts_covered;         /* registry hosts a credential covers (for whoever
                                     pulls: Wave or the engine) */
    size_t hosts_missing;         /* registry hosts that need a login and have no
                                     usable credential: the pulls that would fail */
    size_t hosts_unknown;         /* registry hosts Wave pulls from without a known
                                     credential while the Platform ones were not read */
} LaunchSummary;

/* The longest line launch_summary_line writes, in bytes, before its cut. */
#define LAUNCH_SUMMARY_MAX 160

/* Fills *s from the checks' results: Wave from wave_status on in->cfg, the
 * engine, images and credential coverage from the inventory (after
 * images_crosscheck), the profiles as given. Returns 0, or -1 when memory
 * ran out (s->known stays 0). */
int launch_summary_fill(LaunchSummary *s, const CheckInput *in, const ImageInventory *inv,
                        const char *const *profiles, size_t nprofiles);

/* Appends the one line, without a newline: "launch[ PATH][ -profile a,b]:
 * engine docker; Wave on (conf/wave.config:3, profile 'wave'); 41 images
 * (2 dynamic) on 3 hosts; credentials: 2 covered, 1 missing". `path` names
 * the launch when a command checks several (NULL: not shown). Long names
 * are cut until the line fits in LAUNCH_SUMMARY_MAX bytes (plus a closing
 * ellipsis if even that fails). Nothing for a summary that is not known. */
void launch_summary_line(StrBuf *out, const LaunchSummary *s, const char *path);

/* Appends the summary as a JSON object (see docs/user-guide.md, "JSON
 * output"), "null" for a summary that is not known. */
void launch_summary_json(StrBuf *out, const LaunchSummary *s, const char *path);

#endif
