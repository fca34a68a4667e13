/* Placeholder until the images rule family lands. */
#include "images.h"

void images_check(const CheckInput *in, DiagList *diags)
{
    (void)in;
    (void)diags;
}

int images_report(const CheckInput *in, const char *format, StrBuf *out, DiagList *diags)
{
    (void)in; (void)format; (void)diags;
    strbuf_puts(out, "{\"images\":[]}\n");
    return 0;
}
