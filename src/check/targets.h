/* targets — which launches the PATHs of one command line are. Several PATHs
 * are several launches, never layers of one (layers are `-c FILE`):
 *
 *   - a directory is its pipeline's launch (its nextflow.config and .nf files);
 *   - a config file below a pipeline (the nearest nextflow.config in a parent
 *     directory, up to the repository root: a directory holding `.git`)
 *     belongs to that pipeline's launch, and only its own findings are
 *     reported: an included file is checked as Nextflow reads it;
 *   - any other config file (nextflow.config itself, a file outside every
 *     pipeline) is a launch of its own;
 *   - "-" is standard input, named by --stdin-filename: it stands for that
 *     file, so it belongs where the named file would (its includes resolve
 *     against the named file's directory, not the working directory).
 *
 * PATHs of one pipeline share one launch, checked once. Nothing here prints. */
#ifndef NFP_CHECK_TARGETS_H
#define NFP_CHECK_TARGETS_H
#include <stddef.h>
#include "source.h"

/* Lexically normalized absolute form of `path` (`.` and `..` segments and
 * repeated slashes removed; a relative path is taken from the current
 * directory). np_malloc'd; NULL when memory ran out. */
char *path_normalize(const char *path);

/* The config file whose launch `path` (normalized) belongs to: `path` itself
 * when it is named nextflow.config (unless its folder is an nf-test folder,
 * holding a `*.nf.test`: then the launch above, if any), else the nearest nextflow.config in a
 * parent directory up to the repository root (a directory holding `.git`);
 * else `path` itself. The CLI and the language server both ask this (an
 * editor's workspace folder does not bound it). np_malloc'd normalized path. */
char *launch_root_of(const char *path);

/* 1 when path names a Nextflow script (`.nf`): never parsed as a config. */
int targets_is_script(const char *path);

typedef struct TargetLaunch {
    char *path;           /* the PATH to check: a directory, a config file, or "-"
                             for unnamed standard input (np_malloc'd) */
    char *root;           /* normalized path of its config file; NULL for "-" */
    int whole;            /* a PATH names the launch itself: all its findings */
    char **files;         /* the normalized files the PATHs name (np_malloc'd,
                             nfiles of them); unless whole, only their findings
                             are reported */
    char **names;         /*   and each one's PATH as given (--stdin-filename for "-") */
    size_t nfiles;
    int has_stdin;        /* standard input stands for the file `stdin_file` */
} TargetLaunch;

typedef struct TargetPlan {
    TargetLaunch *launches;
    size_t len;
    char *stdin_file;     /* normalized --stdin-filename, or NULL */
} TargetPlan;

/* Groups `paths` into launches, in the order of their first PATH.
 * `stdin_name` is --stdin-filename (may be NULL). Returns 0, or -1 when
 * memory ran out (the plan is then safe to free). */
int targets_plan(const char *const *paths, size_t npaths, const char *stdin_name, TargetPlan *plan);
void targets_plan_free(TargetPlan *plan);

/* A ResolveLoad hook that reads standard input's text in place of the file it
 * is named after (ctx: a StdinStandIn), and the disk for every other file. */
typedef struct StdinStandIn {
    const char *file;     /* normalized path the text stands for */
    const char *name;     /* its display name (--stdin-filename as given) */
    const char *text;
    size_t len;
} StdinStandIn;
Source *targets_load(void *ctx, const char *path, const char *name, int *err);

#endif
