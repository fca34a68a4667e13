/* mask — in-place masking of a known token (mask.h). */
#include "mask.h"
#include <string.h>

size_t mask_token(char *msg, const char *secret)
{
    if (!msg || !secret || strlen(secret) < SECRET_MIN_LEN) return 0;
    size_t slen = strlen(secret), count = 0;
    size_t mark = slen < 3 ? slen : 3;
    char *r = msg, *w = msg;
    /* w never passes r because the marker is never longer than the secret. */
    while (*r) {
        if (*r == *secret && strncmp(r, secret, slen) == 0) {
            memset(w, '*', mark);
            w += mark;
            r += slen;
            count++;
        } else {
            *w++ = *r++;
        }
    }
    *w = '\0';
    return count;
}
