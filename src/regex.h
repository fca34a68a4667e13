/* regex — the one module that talks to PCRE2. Java-style regular
 * expressions of configs (selector patterns, replaceAll) and the fixed
 * grammars other modules compile once (image.c's reference grammar), with
 * every allocation on the np_malloc hook so that failure injection reaches
 * PCRE2 too. The Java and PCRE2 dialects agree on what configs write (names,
 * alternations, classes, `.*`, groups). A Regex holds its own match data:
 * one Regex is used by one caller at a time. */
#ifndef NFP_REGEX_H
#define NFP_REGEX_H
#include <stddef.h>

typedef struct Regex Regex;

/* Compiles pat (UTF-8). Returns NULL when the pattern is invalid (*bad = 1)
 * or memory ran out (*bad = 0). */
Regex *regex_new(const char *pat, size_t len, int *bad);
/* The same with flags: REGEX_BYTES matches bytes, not UTF-8 characters (for
 * grammars of ASCII names that must not fail on invalid UTF-8 input). */
#define REGEX_BYTES 0x1
Regex *regex_new_ex(const char *pat, size_t len, unsigned flags, int *bad);
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

/* Unanchored search (a pattern carries its own ^ and $). On a match, group i
 * (0 = the whole match) spans ov[2*i] .. ov[2*i+1] for i < ngroups, both
 * REGEX_UNSET when the group took no part. 1 match, 0 none, -1 failure
 * (memory, match limits). */
#define REGEX_UNSET ((size_t)-1)
int regex_match_groups(Regex *re, const char *s, size_t len, size_t *ov, int ngroups);

/* The longest result regex_replace builds: a replacement repeated at every
 * match of a long text must not exhaust memory. */
#define REGEX_MAX_OUTPUT ((size_t)4 << 20)

/* String.replaceAll (global) / replaceFirst with a `$1` replacement (no
 * backslash escapes). Returns a NUL-terminated np_malloc'd string and its
 * length, or NULL on failure. */
char *regex_replace(Regex *re, const char *s, size_t len, const char *with, size_t withlen, int global,
                    size_t *outlen);

#endif
