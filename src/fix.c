/* Placeholder until the fix module lands. */
#include "fix.h"
#include "alloc.h"

int fix_command(const FixRequest *req, StrBuf *out, DiagList *diags, char **err)
{
    (void)req; (void)out; (void)diags;
    *err = np_strdup("fix is not implemented yet");
    return 3;
}
