/* suggest — "did you mean" by edit distance, for profiles, options and rules. */
#ifndef NFP_SUGGEST_H
#define NFP_SUGGEST_H
#include <stddef.h>

/* Optimal string alignment distance (Damerau: adjacent swaps cost 1), capped:
 * returns max+1 as soon as the distance must exceed `max`. Case-sensitive. */
size_t suggest_distance(const char *a, const char *b, size_t max);

/* Writes up to `nout` candidates closest to `word` (distance at most a third
 * of the word's length, at least 1, at most 3) into out, best first.
 * Returns how many were written. */
size_t suggest_closest(const char *word, const char *const *candidates, size_t ncand,
                       const char **out, size_t nout);

#endif
