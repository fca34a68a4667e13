/* prerun_repo — brings a launch's pipeline repository onto this machine for
 * prerun, when it is not here already: a shallow `git clone` at the launch's
 * revision when `git` is on PATH, otherwise the configuration files read
 * over HTTPS on demand (the resolver's load hook), so that includeConfig is
 * followed exactly as the resolver follows it for a local pipeline.
 *
 * The repository URL and the revision come from the launch: untrusted.
 * - Only https:// URLs; file:// URLs only when the operator allows local
 *   repositories (RepoFetch.allow_local), and no loopback or link-local
 *   literal host without it either.
 * - git runs with an empty environment of its own: no system or global git
 *   configuration, no credential helper, no ~/.netrc (HOME is a private empty
 *   directory), no terminal prompt, no hooks or templates, symlinks checked
 *   out as plain files, only the https (and, when allowed, file) transport;
 *   it is killed when the time runs out or nf-preflight dies, and no file it
 *   writes may exceed REPO_MAX_FILE_BYTES.
 * - The checkout lives in a private (0700) temporary directory that is
 *   removed by repo_checkout_free, and also when nf-preflight is killed: a
 *   small guardian process removes it when nf-preflight's end of a pipe
 *   closes, however nf-preflight ends.
 * No printing: failures are a code and a sentence. */
#ifndef NFP_PRERUN_REPO_H
#define NFP_PRERUN_REPO_H
#include <stddef.h>
#include <sys/types.h>
#include "source.h"

#define REPO_TIMEOUT_MS      60000L
#define REPO_MAX_FILE_BYTES  ((long)512 * 1024 * 1024)
#define REPO_MAX_CONFIG_BYTES ((size_t)4 * 1024 * 1024)

enum {
    REPO_OK = 0,
    REPO_UNAVAILABLE,     /* could not be fetched: fail open */
    REPO_REFUSED,         /* the URL or revision is not one nf-preflight fetches */
    REPO_NOMEM
};

typedef struct RepoFetch {
    const char *url;           /* the launch's pipeline (untrusted) */
    const char *revision;      /* the launch's revision (untrusted), or NULL: the default branch */
    int allow_local;           /* operator: file:// URLs and loopback hosts too */
    int insecure;              /* operator --insecure: TLS not verified (git and HTTPS) */
    long timeout_ms;           /* <= 0: REPO_TIMEOUT_MS */
    const char *git;           /* the git program; NULL: searched on PATH */
    int no_git;                /* 1: do not use git even when found (the HTTPS way only) */
} RepoFetch;

typedef struct RepoCheckout {
    char *root;                /* the private temporary directory */
    char *dir;                 /* the pipeline directory to check (inside root) */
    char *raw_base;            /* HTTPS way: files of dir are read from raw_base + path; NULL after git */
    int insecure;
    int via_git;               /* 1: dir is a git checkout; 0: the HTTPS way (configs only) */
    char *root_config;         /* HTTPS way: nextflow.config, read by repo_fetch */
    size_t root_config_len;
    char *read_error;          /* HTTPS way: the first file that could not be read for a reason
                                  other than its absence (network), or NULL: when set, nothing
                                  the check found can be trusted (repo_load) */
    int guard_fd;              /* write end of the guardian's pipe, or -1 */
    pid_t guardian;
} RepoCheckout;

/* Fetches f->url at f->revision. REPO_OK with *out filled, or another code
 * with *err (np_malloc'd) saying what failed; *out is always fit for
 * repo_checkout_free. */
int repo_fetch(const RepoFetch *f, RepoCheckout *out, char **err);
/* Removes the temporary directory and releases everything. */
void repo_checkout_free(RepoCheckout *c);

/* The resolver's load hook (ResolveLoad) for the HTTPS way: `ctx` is the
 * RepoCheckout; a path inside its dir is fetched from raw_base (a 404 is
 * SOURCE_ENOENT; another failure SOURCE_EIO and read_error), anything else
 * is read from disk. */
Source *repo_load(void *ctx, const char *path, const char *name, int *err);

/* The URL prefix a repository's files are read from over HTTPS at
 * `revision` (raw.githubusercontent.com, GitLab's and Bitbucket's /raw/
 * paths); NULL when the host is not one of those or memory ran out
 * (*nomem says which). Exposed for the unit test. */
char *repo_raw_base(const char *url, const char *revision, int *nomem);

/* The git program on PATH (np_malloc'd), or NULL. */
char *repo_find_git(void);

#endif
