/* regex — Java-style regular expressions of configs (selector patterns,
 * replaceAll) through PCRE2, with every allocation on the np_malloc hook so
 * that failure injection reaches PCRE2 too. The two dialects agree on what
 * configs write (names, alternations, classes, `.*`, groups). */
#ifndef NFP_REGEX_H
#define NFP_REGEX_H
#include <stddef.h>

typedef struct Regex Regex;

/* Compiles pat (UTF-8). Returns NULL when the pattern is invalid (*bad = 1)
 * or memory ran out (*bad = 0). */
Regex *regex_new(const char *pat, size_t len, int *bad);
void   regex_free(Regex *re);

/* The work one match may do (PCRE2 match and depth limits): a pattern with
 * catastrophic backtracking, such as `(A+)+$`, stops there instead of
 * running for minutes. */
#define REGEX_MATCH_LIMIT 1000000u
#define REGEX_DEPTH_LIMIT 10000u
#define REGEX_LIMIT (-2)

/* Java's String.matches / Matcher.matches: the whole subject must match.
 * 1 or 0; -1 when memory ran out, REGEX_LIMIT when the match needed more
 * work than the limits allow (the answer is unknown). */
int regex_matches_whole(Regex *re, const char *s, size_t len);

/* String.replaceAll (global) / replaceFirst with a `$1` replacement (no
 * backslash escapes). Returns a NUL-terminated np_malloc'd string and its
 * length, or NULL on failure. */
char *regex_replace(Regex *re, const char *s, size_t len, const char *with, size_t withlen, int global,
                    size_t *outlen);

#endif
