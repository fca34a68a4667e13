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
} FixRequest;

/* Runs `nf-preflight fix`. Appends what to print on stdout to `out` (patched
 * text, a diff, or nothing with --write), diagnostics to `diags`, and returns
 * an exit code (0 done or nothing to do, 1 refused: syntax errors or the patch
 * did not verify, 3 I/O). *err receives an np_malloc'd message for exit 3. */
int fix_command(const FixRequest *req, StrBuf *out, DiagList *diags, char **err);

#endif
