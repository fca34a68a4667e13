/* Placeholder until credential sources land. */
#include "credsrc.h"

int credsrc_load(const CredSourceOptions *opt, CredList *list, DiagList *diags, int *required_failed)
{
    (void)opt; (void)list; (void)diags;
    *required_failed = 0;
    return 0;
}
