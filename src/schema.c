/* Placeholder until the schema rule family lands. */
#include "checks.h"

void schema_check(const CheckInput *in, DiagList *diags)
{
    (void)in;
    (void)diags;
}
