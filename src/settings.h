/* settings — the tool's own configuration file, `.nf-preflight.yml` (or
 * `.nf-preflight.yaml`), read with libyaml. It changes rule severities,
 * ignores rules everywhere or per file glob, sets the failure threshold and
 * gives credential/registry/platform hints to the checks.
 *
 *   rules: {wave-not-enabled: error, NFP013: off}   # name or id: error|warning|info|off
 *   ignore: [dynamic-value]
 *   per-file-ignores: {"conf/test*.config": [unknown-option]}
 *   fail-on: warning                                # error (default) | warning | info
 *   profiles: [docker, test]
 *   credentials: [~/.config/registries.json]
 *   registries: {public: [quay.io], private: [registry.example.org]}
 *   platform: {endpoint: https://api.cloud.seqera.io, workspace: 12345}
 *   wave: recommended                               # required | recommended (default) | off
 *
 * Unknown keys and bad values are errors ("FILE:LINE:COL: ..."); the CLI turns
 * them into exit code 2. `syntax-error` can never be turned off or ignored. */
#ifndef NFP_SETTINGS_H
#define NFP_SETTINGS_H
#include <stddef.h>
#include "diag.h"

typedef struct StrList {
    char  **items;
    size_t  len;
} StrList;

typedef struct PerFileIgnore {
    char *glob;               /* fnmatch pattern, relative to the settings file's directory */
    unsigned char *rules;     /* rule_count flags, indexed like rule_table */
} PerFileIgnore;

/* How much Wave matters to a repository: wave-not-enabled is an error, a
 * warning, or not reported (a repository of institutional profiles). */
typedef enum WavePolicy { WAVE_RECOMMENDED = 0, WAVE_REQUIRED, WAVE_OFF } WavePolicy;

/* "required", "recommended" or "off"; 0 when the text is none of them. */
int wave_policy_parse(const char *text, WavePolicy *out);

typedef struct Settings {
    char *path;               /* file read (as given); NULL for built-in defaults */
    char *dir;                /* its directory; NULL for defaults */
    Severity *rule_sev;       /* rule_count entries; DIAG_DEFAULT_SEV = not overridden */
    unsigned char *ignored;   /* rule_count flags from `ignore:` */
    PerFileIgnore *per_file;
    size_t nper_file;
    Severity fail_on;         /* SEV_ERROR unless `fail-on:` says otherwise */
    StrList profiles;
    StrList credentials;
    StrList public_registries;
    StrList private_registries;
    char *platform_endpoint;  /* NULL when unset */
    char *platform_workspace; /* numeric id as text; NULL when unset */
    WavePolicy wave;          /* `wave:`; the CLI's --wave-policy overrides it */
    int found_upward;         /* 1: found next to the checked files (the repository's,
                                 untrusted); 0: given with --settings, or defaults */
} Settings;

/* Built-in defaults (nothing overridden). NULL when memory ran out. */
Settings *settings_new(void);

/* Parses settings text. `name` is the file name used in messages and whose
 * directory anchors per-file-ignores globs. Returns 0 and sets *out, or -1
 * and sets *err to an np_malloc'd "NAME:LINE:COL: ..." message (*err is NULL
 * when memory ran out). */
int settings_parse(const char *name, const char *text, size_t len, Settings **out, char **err);
/* Reads and parses a file; errors as settings_parse ("NAME: cannot read ..."). */
int settings_load(const char *path, Settings **out, char **err);
void settings_free(Settings *s);

/* Looks for .nf-preflight.yml, then .nf-preflight.yaml, in start_dir (a
 * directory, or a file whose directory is used) and each parent, stopping
 * after the first directory that contains a `.git` entry (the repository
 * root) or after the filesystem root. Returns 1 and sets *found_path
 * (absolute, np_malloc'd), 0 when there is none, -1 when memory ran out,
 * SETTINGS_NOT_OWNED (with *found_path) when the nearest one is owned by
 * neither the invoking user nor root: it must not be used (a shared
 * directory could hold anyone's). */
#define SETTINGS_NOT_OWNED 2
int settings_find(const char *start_dir, char **found_path);

/* Applies the settings to a diagnostic list: per-rule severities, `off`,
 * `ignore:` and `per-file-ignores:`. Diagnostics with a Source are matched
 * against the globs by their own file (includes get their own ignores);
 * diagnostics without one by `path` (the checked file; may be NULL).
 * syntax-error diagnostics are never changed or dropped. Returns the number
 * of diagnostics dropped. */
size_t settings_apply(const Settings *s, DiagList *diags, const char *path);

/* True when `sev` is at or above the fail-on threshold. */
int settings_fails(const Settings *s, Severity sev);

#endif
