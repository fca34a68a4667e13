/* Placeholder until the secrets rule family lands. */
#include "checks.h"

void secrets_check(const CheckInput *in, DiagList *diags)
{
    (void)in;
    (void)diags;
}
