/* images — every container image a launch can use: from the resolved config
 * (process.container, selectors, profiles, wave.build.*) and from the
 * `container` directives of a pipeline's .nf files; each with the name the
 * active engine uses and the registry host Wave looks up credentials for. */
#ifndef NFP_IMAGES_H
#define NFP_IMAGES_H
#include "checks.h"
#include "strbuf.h"

/* `nf-preflight images`: appends the inventory in `format` ("text" or "json")
 * to out; diagnostics (e.g. invalid-image-reference) to diags. Returns 0, or
 * -1 when memory ran out. */
int images_report(const CheckInput *in, const char *format, StrBuf *out, DiagList *diags);

#endif
