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

/* What every whole match of a Java pattern must hold, read from its text
 * without compiling it, so that most subjects get a cheap no before the
 * regex runs. For each top-level alternative (one enclosing group is looked
 * through): the plain characters at the start, at the end, and the runs of
 * plain characters outside any group and class, in order, that no
 * quantifier makes optional. A pattern the reading is unsure of (an escape,
 * an inline flag or other `(?` group, a nested class, more alternatives or
 * runs than it keeps) has no filter: every subject may match. It points
 * into the pattern text, which must outlive it; it allocates nothing. */
#define REGEX_FILTER_ALTS 4
#define REGEX_FILTER_RUNS 6
typedef struct RegexFilterAlt {
    const char *run[REGEX_FILTER_RUNS];   /* in match order */
    size_t runlen[REGEX_FILTER_RUNS];
    size_t nruns;
    int leads, trails;   /* run[0] starts every match; run[nruns-1] ends it */
} RegexFilterAlt;
typedef struct RegexFilter {
    RegexFilterAlt alt[REGEX_FILTER_ALTS];
    size_t nalts;        /* 0: no filter */
} RegexFilter;

void regex_filter_init(RegexFilter *f, const char *pat, size_t len);
/* 0 when no whole match of the pattern can be s; 1 when one may be. */
int regex_filter_may_match(const RegexFilter *f, const char *s, size_t len);
/* When every match ends with SEP followed by one fixed text holding no SEP
 * (`.*:FASTQC` ends with ':' 'FASTQC'), that text: the subject's part after
 * its last SEP is exactly it. Returns 1 and sets *seg, *seglen; else 0. */
int regex_filter_last_segment(const RegexFilter *f, char sep, const char **seg, size_t *seglen);
/* 1 when every match contains c (in a run the filter keeps). */
int regex_filter_requires(const RegexFilter *f, char c);

/* The longest result regex_replace builds: a replacement repeated at every
 * match of a long text must not exhaust memory. */
#define REGEX_MAX_OUTPUT ((size_t)4 << 20)

/* String.replaceAll (global) / replaceFirst with a `$1` replacement (no
 * backslash escapes). Returns a NUL-terminated np_malloc'd string and its
 * length, or NULL on failure. */
char *regex_replace(Regex *re, const char *s, size_t len, const char *with, size_t withlen, int global,
                    size_t *outlen);

#endif
