/* Placeholder until the wave rule family lands. */
#include "checks.h"

void wave_check(const CheckInput *in, DiagList *diags)
{
    (void)in;
    (void)diags;
}
