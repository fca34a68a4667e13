/* regex — see regex.h. */
#include "regex.h"
#include "alloc.h"

#include <pcre2.h>
#include <stdint.h>
#include <string.h>

struct Regex {
    pcre2_general_context *gc;
    pcre2_compile_context *cc;
    pcre2_match_context *mc;
    pcre2_code *code;
    pcre2_match_data *md;
};

static void *re_alloc(PCRE2_SIZE n, void *ud) { (void)ud; return np_malloc(n); }
static void re_release(void *p, void *ud) { (void)ud; np_free(p); }

Regex *regex_new(const char *pat, size_t len, int *bad)
{
    return regex_new_ex(pat, len, 0, bad);
}

Regex *regex_new_ex(const char *pat, size_t len, unsigned flags, int *bad)
{
    *bad = 0;
    Regex *re = np_calloc(1, sizeof *re);
    if (!re) return NULL;
    re->gc = pcre2_general_context_create(re_alloc, re_release, NULL);
    re->cc = re->gc ? pcre2_compile_context_create(re->gc) : NULL;
    re->mc = re->gc ? pcre2_match_context_create(re->gc) : NULL;
    if (!re->cc || !re->mc) { regex_free(re); return NULL; }
    pcre2_set_match_limit(re->mc, REGEX_MATCH_LIMIT);
    pcre2_set_depth_limit(re->mc, REGEX_DEPTH_LIMIT);
    int errc;
    PCRE2_SIZE erroff;
    re->code = pcre2_compile((PCRE2_SPTR)pat, len, (flags & REGEX_BYTES) ? 0 : PCRE2_UTF, &errc, &erroff, re->cc);
    if (!re->code) {
        *bad = errc != PCRE2_ERROR_NOMEMORY;
        regex_free(re);
        return NULL;
    }
    re->md = pcre2_match_data_create_from_pattern(re->code, re->gc);
    if (!re->md) { regex_free(re); return NULL; }
    return re;
}

void regex_free(Regex *re)
{
    if (!re) return;
    pcre2_match_data_free(re->md);
    pcre2_code_free(re->code);
    pcre2_compile_context_free(re->cc);
    pcre2_match_context_free(re->mc);
    pcre2_general_context_free(re->gc);
    np_free(re);
}

int regex_matches_whole(Regex *re, const char *s, size_t len)
{
    int rc = pcre2_match(re->code, (PCRE2_SPTR)s, len, 0, PCRE2_ANCHORED | PCRE2_ENDANCHORED, re->md, re->mc);
    if (rc >= 0) return 1;
    if (rc == PCRE2_ERROR_NOMATCH) return 0;
    return rc == PCRE2_ERROR_NOMEMORY ? -1 : REGEX_LIMIT;
}

int regex_match_groups(Regex *re, const char *s, size_t len, size_t *ov, int ngroups)
{
    int rc = pcre2_match(re->code, (PCRE2_SPTR)s, len, 0, 0, re->md, NULL);
    if (rc < 0) return rc == PCRE2_ERROR_NOMATCH ? 0 : -1;
    const PCRE2_SIZE *o = pcre2_get_ovector_pointer(re->md);
    uint32_t have = pcre2_get_ovector_count(re->md);
    for (int i = 0; i < ngroups; i++) {
        int set = (uint32_t)i < have && o[2 * i] != PCRE2_UNSET;
        ov[2 * i] = set ? (size_t)o[2 * i] : REGEX_UNSET;
        ov[2 * i + 1] = set ? (size_t)o[2 * i + 1] : REGEX_UNSET;
    }
    return 1;
}

char *regex_replace(Regex *re, const char *s, size_t len, const char *with, size_t withlen, int global,
                    size_t *outlen)
{
    PCRE2_SIZE cap = len * 2 + withlen * 4 + 64;
    for (int tries = 0; tries < 4; tries++) {
        PCRE2_UCHAR *buf = np_malloc(cap);
        if (!buf) return NULL;
        PCRE2_SIZE n = cap;
        int rc = pcre2_substitute(re->code, (PCRE2_SPTR)s, len, 0,
                                  (global ? PCRE2_SUBSTITUTE_GLOBAL : 0) | PCRE2_SUBSTITUTE_OVERFLOW_LENGTH,
                                  re->md, re->mc, (PCRE2_SPTR)with, withlen, buf, &n);
        if (rc >= 0) {
            *outlen = n;
            return (char *)buf;    /* pcre2_substitute terminates the result */
        }
        np_free(buf);
        if (rc != PCRE2_ERROR_NOMEMORY || n >= REGEX_MAX_OUTPUT) return NULL;
        cap = n + 1;               /* the length it needs, zero included */
    }
    return NULL;
}
