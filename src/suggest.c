#include "suggest.h"
#include <string.h>

size_t suggest_distance(const char *a, const char *b, size_t max)
{
    size_t n = strlen(a), m = strlen(b);
    if ((n > m ? n - m : m - n) > max) return max + 1;
    if (m > 63 || n > 63) return strcmp(a, b) ? max + 1 : 0;   /* names are short */
    size_t prev2[64], prev[64], cur[64];
    for (size_t j = 0; j <= m; j++) prev[j] = j;
    for (size_t i = 1; i <= n; i++) {
        cur[0] = i;
        size_t row_min = cur[0];
        for (size_t j = 1; j <= m; j++) {
            size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            size_t v = prev[j] + 1;
            if (cur[j - 1] + 1 < v) v = cur[j - 1] + 1;
            if (prev[j - 1] + cost < v) v = prev[j - 1] + cost;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && prev2[j - 2] + 1 < v)
                v = prev2[j - 2] + 1;
            cur[j] = v;
            if (v < row_min) row_min = v;
        }
        if (row_min > max) return max + 1;
        memcpy(prev2, prev, sizeof prev);
        memcpy(prev, cur, sizeof cur);
    }
    return prev[m];
}

size_t suggest_closest(const char *word, const char *const *candidates, size_t ncand,
                       const char **out, size_t nout)
{
    size_t max = strlen(word) / 3;
    if (max < 1) max = 1;
    if (max > 3) max = 3;
    size_t dist[16];
    size_t k = 0;
    if (nout > 16) nout = 16;
    for (size_t i = 0; i < ncand; i++) {
        size_t d = suggest_distance(word, candidates[i], max);
        if (d > max || d == 0) continue;
        /* keep the list sorted by distance; skip duplicates */
        int dup = 0;
        for (size_t j = 0; j < k; j++) dup |= strcmp(out[j], candidates[i]) == 0;
        if (dup) continue;
        size_t pos = k;
        while (pos > 0 && dist[pos - 1] > d) pos--;
        if (pos >= nout) continue;
        size_t last = k < nout ? k : nout - 1;
        for (size_t j = last; j > pos; j--) { out[j] = out[j - 1]; dist[j] = dist[j - 1]; }
        out[pos] = candidates[i];
        dist[pos] = d;
        if (k < nout) k++;
    }
    return k;
}
