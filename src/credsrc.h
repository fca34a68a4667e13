/* credsrc — loads the credential sources a run asks for (--credentials FILE,
 * --platform or an answer of the Platform API already fetched, --docker-config
 * [FILE], --auth-file [FILE], and the settings' `credentials:`) into one CredList. Failures become `credentials-unavailable`
 * diagnostics; *required_failed tells the CLI to exit 3 (not when Platform
 * itself could not be read: that fails open). A Platform source not read
 * sets list->platform_unread. */
#ifndef NFP_CREDSRC_H
#define NFP_CREDSRC_H
#include "creds.h"
#include "diag.h"
#include "config.h"
#include "settings.h"

typedef struct CredSourceOptions {
    const char *const *files;      /* --credentials FILE (repeatable) */
    size_t nfiles;
    int platform;                  /* --platform */
    int docker_config;             /* --docker-config given */
    const char *docker_config_path;/* its FILE, or NULL for the default location */
    int auth_file;                 /* --auth-file given */
    const char *auth_file_path;    /* its FILE, or NULL for the default locations */
    int insecure;                  /* --insecure (said loudly by the CLI) */
    const Config *cfg;             /* for tower.* settings and the config's environment */
    const Settings *settings;
    const char *platform_text;     /* a GET /credentials answer already fetched, or NULL */
    size_t platform_text_len;
    const char *platform_text_origin; /* its name in findings */
    int platform_unread;           /* the caller could not fetch them (and says so): unknown, not empty */
} CredSourceOptions;

/* Returns 1 when at least one source was requested (and so `list` is
 * meaningful), 0 when none was, -1 when memory ran out. */
int credsrc_load(const CredSourceOptions *opt, CredList *list, DiagList *diags, int *required_failed);

#endif
