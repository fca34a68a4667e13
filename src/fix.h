/* fix — turning Wave on with the smallest edit: edits are spliced into the
 * original bytes, the result is parsed and resolved again and compared before
 * anyone sees it, and files are written atomically. */
#ifndef NFP_FIX_H
#define NFP_FIX_H
#include "diag.h"
#include "resolve.h"
#include "strbuf.h"

typedef struct FixRequest {
    const Layer *layers;          /* the launch as resolved (all layers, lowest first) */
    size_t nlayers;
    size_t target;                /* index of the layer to patch (the highest the user named) */
    const char *launch_path;      /* when set, the target is the configText of this launch file */
    const ResolveOptions *ropt;
    int write;                    /* --write: replace the file atomically */
    int diff;                     /* --diff: print a unified diff instead of the text */
    int force;                    /* --force: write a read-only or hard-linked file too */
    /* From the launch model, for an edit that would make a launch fail: an
     * image of the pipeline that a Singularity or Apptainer run would hand Wave
     * with a URL-like prefix, a profile that turns such an engine on, and one
     * that turns Wave on with the author's settings (each NULL when none). */
    const char *singularity_url_image, *singularity_profile, *wave_profile;
} FixRequest;

/* Runs `nf-preflight fix`. Appends what to print on stdout to `out` (patched
 * text, a diff, or nothing with --write), diagnostics to `diags` (the
 * "turned Wave on in FILE" note only once the text is ready or written, never
 * before a write that fails), and returns
 * an exit code (0 done or nothing to do, 1 refused: syntax errors or the patch
 * did not verify, 3 I/O). *err receives an np_malloc'd message for exit 3.
 * Diagnostics about the checked texts keep a copy of their source in
 * diags (diag_copy_keep_source), so they print with file, line and column. */
int fix_command(const FixRequest *req, StrBuf *out, DiagList *diags, char **err);

/* ---- the pieces, for wave.c and the tests ---- */

typedef enum FixHow {
    FIX_HOW_NONE = 0,
    FIX_HOW_FLIP,        /* the deciding `enabled = false` / 'true' literal becomes `true` */
    FIX_HOW_INSERT,      /* `enabled = true` added inside a top-level wave { } block */
    FIX_HOW_APPEND       /* a `wave { enabled = true }` block appended at the end */
} FixHow;

enum {
    FIX_STEP_OOM = -1,
    FIX_STEP_ON = 0,     /* wave.enabled already resolves to the boolean true */
    FIX_STEP_EDIT,       /* *edit is the next edit of the target */
    FIX_STEP_DYNAMIC     /* wave.enabled is computed at run time: no edit offered */
};

/* One step toward wave.enabled resolving to true in `cfg`, as an edit of
 * `target` (one of cfg->sources): flips the deciding assignment when it is a
 * literal in `target`, else adds `enabled = true` to the last top-level wave
 * block of `target` when the deciding assignment is elsewhere (or absent),
 * else appends a block at its end (always, with force_append). The edit's
 * text is np_malloc'd. */
int fix_wave_step(const Config *cfg, const Source *target, int force_append, Edit *edit, FixHow *how);

/* The profiles of cfg, not selected, that turn Wave on (`wave.enabled =
 * true` outside selectors, wherever walk.h looks): `clean` those that change
 * nothing else that matters (a profile named `wave` first), `platform` those
 * that also change the architecture or turn a container engine on (nf-core's
 * arm64); `singularity` every profile that turns Singularity or Apptainer
 * on. Names point into cfg; at most 16 of each. */
typedef struct FixWaveProfiles {
    const char *clean[16], *platform[16];
    size_t nclean, nplatform;
    const char *singularity[16];  /* profiles (selected or not) that turn Singularity or Apptainer on */
    size_t nsingularity;
} FixWaveProfiles;
void fix_wave_profiles(const Config *cfg, FixWaveProfiles *out);

/* The value node of the assignment statement with exactly the span
 * [start, end) in `tree` (`a = v`, `a.b = v` or legacy `a v`), or NULL. */
const Node *fix_assignment_value(const Node *tree, size_t start, size_t end);
/* 1 when `value` is a literal that can be replaced by `true` without losing
 * code: a boolean, number, null or a string without interpolation. */
int fix_is_literal(const Node *value);

typedef struct FixResult {
    char  *text;         /* patched text (np_malloc'd; a copy of the input when unchanged) */
    size_t len;
    int    changed;
    FixHow how;          /* the first edit made */
    char  *summary;      /* what the edits were, for the user (np_malloc'd; NULL when unchanged) */
} FixResult;

/* The verified fix of one text layer: `layers[target]` must be a text layer
 * holding the bytes to patch. Returns 0 (res filled), 1 refused (diags say
 * why), 3 with *err for I/O or memory. Adds no diagnostic when it succeeds:
 * res->summary says what changed. */
int fix_config_text(const Layer *layers, size_t nlayers, size_t target, const ResolveOptions *ropt,
                    FixResult *res, DiagList *diags, char **err);
void fix_result_free(FixResult *res);

#endif
