/* regex — see regex.h. */
#include "regex.h"
#include "alloc.h"

#include <pcre2.h>
#include <stdint.h>
#include <string.h>

/* The patterns most configs write (literals, `.`, `.*`, groups of literal
 * alternatives such as `.*:(FASTQC|MULTIQC)`, a final `$`) are matched
 * here without PCRE2: compiling and running PCRE2 costs more than the
 * whole match of such a pattern against a process name. Java's answer for
 * them is the existence of a whole match, which this search finds by
 * trying every way (bounded; past the bound, or for a subject with a line
 * terminator or a non-ASCII byte, PCRE2 answers). */
enum { GL_LIT, GL_ANY, GL_STAR, GL_ALT };
#define GL_MAX_OPS 64
#define GL_BUDGET 20000

typedef struct GlobOp {
    int kind;
    size_t at, len;          /* GL_LIT: the text in pat; GL_ALT: its alternatives alts[at, at + len) */
} GlobOp;

typedef struct GlobAlt {
    size_t at, len;          /* in pat */
} GlobAlt;

struct Regex {
    pcre2_general_context *gc;
    pcre2_compile_context *cc;
    pcre2_match_context *mc;
    pcre2_code *code;        /* NULL until PCRE2 is needed (pcre_ready) */
    pcre2_match_data *md;
    char *pat;               /* a glob pattern's text (np_malloc), for PCRE2 later */
    size_t patlen;
    unsigned flags;
    GlobOp *ops;             /* non-NULL: a glob pattern (np_malloc) */
    size_t nops;
    GlobAlt *alts;           /* np_malloc */
};

static void *re_alloc(PCRE2_SIZE n, void *ud) { (void)ud; return np_malloc(n); }
static void re_release(void *p, void *ud) { (void)ud; np_free(p); }

/* Compiles pat with PCRE2 into re. Returns 0; -1 when memory ran out or the
 * pattern is invalid (*bad = 1). */
static int pcre_compile_into(Regex *re, const char *pat, size_t len, int *bad)
{
    re->gc = pcre2_general_context_create(re_alloc, re_release, NULL);
    re->cc = re->gc ? pcre2_compile_context_create(re->gc) : NULL;
    re->mc = re->gc ? pcre2_match_context_create(re->gc) : NULL;
    if (!re->cc || !re->mc) return -1;
    pcre2_set_match_limit(re->mc, REGEX_MATCH_LIMIT);
    pcre2_set_depth_limit(re->mc, REGEX_DEPTH_LIMIT);
    int errc;
    PCRE2_SIZE erroff;
    re->code = pcre2_compile((PCRE2_SPTR)pat, len, (re->flags & REGEX_BYTES) ? 0 : PCRE2_UTF, &errc, &erroff, re->cc);
    if (!re->code) {
        *bad = errc != PCRE2_ERROR_NOMEMORY;
        return -1;
    }
    re->md = pcre2_match_data_create_from_pattern(re->code, re->gc);
    return re->md ? 0 : -1;
}

/* PCRE2 for a glob pattern, on first need. 0, or -1 when memory ran out. */
static int pcre_ready(Regex *re)
{
    if (re->md) return 0;
    if (re->code || re->gc) return -1;   /* an earlier attempt failed */
    int bad = 0;
    return pcre_compile_into(re, re->pat, re->patlen, &bad);
}

static int glob_meta(char c)
{
    return strchr("\\^$.|?*+()[]{}", c) != NULL;
}

static int glob_quantifier(const char *p, size_t i, size_t len)
{
    return i < len && strchr("?*+{", p[i]) != NULL;
}

/* Reads pat as a glob pattern into re. 1 when it is one, 0 when not, -1 when
 * memory ran out. */
static int glob_compile(Regex *re, const char *pat, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)pat[i] >= 0x80 || pat[i] == '\0') return 0;
    GlobOp *ops = np_malloc(GL_MAX_OPS * sizeof *ops);
    GlobAlt *alts = np_malloc((len + 1) * sizeof *alts);
    if (!ops || !alts) { np_free(ops); np_free(alts); return -1; }
    size_t n = 0, nalts = 0, i = 0;
    int ok = 1;
    while (i < len && ok) {
        if (n == GL_MAX_OPS) { ok = 0; break; }
        char c = pat[i];
        if (c == '.') {
            int star = i + 1 < len && pat[i + 1] == '*';
            size_t next = i + 1 + (size_t)star;
            if (glob_quantifier(pat, next, len)) { ok = 0; break; }   /* .*? .*+ .? .{2} */
            ops[n++] = (GlobOp){star ? GL_STAR : GL_ANY, 0, 0};
            i = next;
        } else if (c == '(') {
            if (i + 1 < len && pat[i + 1] == '?') { ok = 0; break; }
            size_t first = nalts, j = i + 1, start = j;
            for (;; j++) {
                if (j >= len) { ok = 0; break; }
                if (pat[j] == '|' || pat[j] == ')') {
                    alts[nalts++] = (GlobAlt){start, j - start};
                    start = j + 1;
                    if (pat[j] == ')') break;
                } else if (glob_meta(pat[j])) {
                    ok = 0;
                    break;
                }
            }
            if (!ok || glob_quantifier(pat, j + 1, len)) { ok = 0; break; }
            ops[n++] = (GlobOp){GL_ALT, first, nalts - first};
            i = j + 1;
        } else if (c == '$' && i + 1 == len) {
            i++;   /* the end, which a whole match reaches anyway */
        } else if (!glob_meta(c)) {
            size_t start = i;
            while (i < len && !glob_meta(pat[i])) i++;
            if (glob_quantifier(pat, i, len)) { ok = 0; break; }
            ops[n++] = (GlobOp){GL_LIT, start, i - start};
        } else {
            ok = 0;
        }
    }
    if (!ok) { np_free(ops); np_free(alts); return 0; }
    re->pat = np_malloc(len + 1);
    if (!re->pat) { np_free(ops); np_free(alts); return -1; }
    memcpy(re->pat, pat, len);
    re->pat[len] = '\0';
    re->patlen = len;
    re->ops = ops;
    re->nops = n;
    re->alts = alts;
    return 1;
}

/* 1 when ops[k, nops) match s[pos, n) whole, 0 when not, -2 past the budget. */
static int glob_match(const Regex *re, size_t k, const char *s, size_t pos, size_t n, long *budget)
{
    for (; k < re->nops; k++) {
        if (--*budget < 0) return -2;
        const GlobOp *op = &re->ops[k];
        if (op->kind == GL_LIT) {
            if (n - pos < op->len || memcmp(s + pos, re->pat + op->at, op->len)) return 0;
            pos += op->len;
        } else if (op->kind == GL_ANY) {
            if (pos >= n) return 0;
            pos++;
        } else if (op->kind == GL_STAR) {
            if (k + 1 == re->nops) return 1;   /* the rest, whatever it is */
            /* every place the rest may start; a literal next starts there */
            const GlobOp *next = &re->ops[k + 1];
            for (size_t p = pos; p <= n; p++) {
                if (next->kind == GL_LIT) {
                    const char *hit = p < n ? memchr(s + p, re->pat[next->at], n - p) : NULL;
                    if (!hit) return 0;
                    p = (size_t)(hit - s);
                }
                int r = glob_match(re, k + 1, s, p, n, budget);
                if (r) return r;
            }
            return 0;
        } else {
            for (size_t a = op->at; a < op->at + op->len; a++) {
                const GlobAlt *alt = &re->alts[a];
                if (n - pos < alt->len || memcmp(s + pos, re->pat + alt->at, alt->len)) continue;
                int r = glob_match(re, k + 1, s, pos + alt->len, n, budget);
                if (r) return r;
            }
            return 0;
        }
    }
    return pos == n;
}

Regex *regex_new(const char *pat, size_t len, int *bad)
{
    return regex_new_ex(pat, len, 0, bad);
}

Regex *regex_new_ex(const char *pat, size_t len, unsigned flags, int *bad)
{
    *bad = 0;
    Regex *re = np_calloc(1, sizeof *re);
    if (!re) return NULL;
    re->flags = flags;
    int glob = glob_compile(re, pat, len);
    if (glob == 1) return re;
    if (glob < 0 || pcre_compile_into(re, pat, len, bad) != 0) {
        regex_free(re);
        return NULL;
    }
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
    np_free(re->pat);
    np_free(re->ops);
    np_free(re->alts);
    np_free(re);
}

int regex_matches_whole(Regex *re, const char *s, size_t len)
{
    if (re->ops) {
        /* '.' matches no line terminator and one character of several bytes:
         * such subjects go to PCRE2 */
        size_t i = 0;
        while (i < len && (unsigned char)s[i] < 0x80 && s[i] != '\n' && s[i] != '\r') i++;
        if (i == len) {
            long budget = GL_BUDGET;
            int r = glob_match(re, 0, s, 0, len, &budget);
            if (r != -2) return r;
        }
        if (pcre_ready(re) != 0) return -1;
    }
    int rc = pcre2_match(re->code, (PCRE2_SPTR)s, len, 0, PCRE2_ANCHORED | PCRE2_ENDANCHORED, re->md, re->mc);
    if (rc >= 0) return 1;
    if (rc == PCRE2_ERROR_NOMATCH) return 0;
    return rc == PCRE2_ERROR_NOMEMORY ? -1 : REGEX_LIMIT;
}

int regex_match_groups(Regex *re, const char *s, size_t len, size_t *ov, int ngroups)
{
    if (pcre_ready(re) != 0) return -1;
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
    if (pcre_ready(re) != 0) return NULL;
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

/* ---------------- literal filter (regex.h) ---------------- */

static int filter_meta(char c)
{
    return c && strchr("\\^$.|?*+()[]{}", c) != NULL;
}

/* Reads one alternative p[0, len) (no '|' outside its groups and classes)
 * into *a. Returns 0 when unsure. */
static int filter_alt(RegexFilterAlt *a, const char *p, size_t len)
{
    memset(a, 0, sizeof *a);
    size_t depth = 0, i = 0;
    while (i < len) {
        char c = p[i];
        if (c == '\\') return 0;                       /* escapes: not read */
        if (c == '[') {
            /* a class: to its end ('[' inside is Java's nested class, ']'
             * first is a member in some dialects: not read) */
            size_t j = i + 1;
            if (j < len && p[j] == '^') j++;
            if (j < len && p[j] == ']') return 0;
            while (j < len && p[j] != ']') {
                if (p[j] == '[' || p[j] == '\\') return 0;
                j++;
            }
            if (j >= len) return 0;
            i = j + 1;
            continue;
        }
        if (c == '(') {
            if (i + 1 < len && p[i + 1] == '?') return 0;   /* flags, look-arounds, (?:…) */
            depth++;
            i++;
            continue;
        }
        if (c == ')') {
            if (!depth) return 0;
            depth--;
            i++;
            continue;
        }
        if (c == '{' && depth == 0) {
            /* a quantifier's bounds are not a run */
            const char *close = memchr(p + i, '}', len - i);
            if (!close) return 0;
            i = (size_t)(close - p) + 1;
            continue;
        }
        if (depth || filter_meta(c)) { i++; continue; }
        /* a run of plain characters at the top */
        size_t at = i;
        while (i < len && !filter_meta(p[i])) i++;
        size_t keep = i - at;
        int quantified = i < len && strchr("?*+{", p[i]) != NULL;
        if (quantified) {
            /* the quantifier takes the last character (all its UTF-8 bytes) */
            keep--;
            while (keep && ((unsigned char)p[at + keep] & 0xC0) == 0x80) keep--;
        }
        if (!keep) continue;
        if (a->nruns == REGEX_FILTER_RUNS) return 0;
        if (at == 0 && !a->nruns) a->leads = 1;
        a->run[a->nruns] = p + at;
        a->runlen[a->nruns] = keep;
        a->nruns++;
        /* the run ends the match: nothing after it but a final '$' */
        a->trails = !quantified && (i == len || (i + 1 == len && p[i] == '$'));
    }
    if (depth) return 0;
    if (a->nruns && a->trails && !(p + len == a->run[a->nruns - 1] + a->runlen[a->nruns - 1] ||
                                   p + len == a->run[a->nruns - 1] + a->runlen[a->nruns - 1] + 1))
        a->trails = 0;
    return a->nruns > 0;   /* an alternative with no run may match anything */
}

void regex_filter_init(RegexFilter *f, const char *pat, size_t len)
{
    memset(f, 0, sizeof *f);
    /* one group around the whole pattern: its alternatives are the pattern's */
    if (len >= 2 && pat[0] == '(' && pat[1] != '?' && pat[len - 1] == ')') {
        size_t depth = 0, i = 0;
        int in_class = 0, whole = 1;
        for (; i < len; i++) {
            char c = pat[i];
            if (c == '\\') { whole = 0; break; }
            if (in_class) { in_class = c != ']'; continue; }
            if (c == '[') in_class = 1;
            else if (c == '(') depth++;
            else if (c == ')' && --depth == 0) break;
        }
        if (whole && i == len - 1) pat++, len -= 2;
    }
    /* split at the top-level '|' */
    size_t depth = 0, start = 0, n = 0;
    int in_class = 0;
    for (size_t i = 0; i <= len; i++) {
        char c = i < len ? pat[i] : '|';
        if (i < len && c == '\\') return;
        if (in_class) { in_class = c != ']'; continue; }
        if (c == '[') in_class = 1;
        else if (c == '(') depth++;
        else if (c == ')') { if (!depth) return; depth--; }
        else if (c == '|' && depth == 0) {
            if (n == REGEX_FILTER_ALTS || !filter_alt(&f->alt[n], pat + start, i - start)) {
                memset(f, 0, sizeof *f);
                return;
            }
            n++;
            start = i + 1;
        }
    }
    f->nalts = in_class || depth ? 0 : n;
}

/* The first occurrence of needle in hay[0, n), or NULL. */
static const char *find(const char *hay, size_t n, const char *needle, size_t len)
{
    if (len > n) return NULL;
    const char *end = hay + (n - len) + 1;
    for (const char *p = hay; p < end && (p = memchr(p, needle[0], (size_t)(end - p))) != NULL; p++)
        if (!memcmp(p, needle, len)) return p;
    return NULL;
}

static int alt_may_match(const RegexFilterAlt *a, const char *s, size_t n)
{
    size_t from = 0, to = n, r0 = 0, r1 = a->nruns;
    if (a->leads) {
        if (n < a->runlen[0] || memcmp(s, a->run[0], a->runlen[0])) return 0;
        from = a->runlen[0];
        r0 = 1;
    }
    if (a->trails && r1 > r0) {
        size_t tl = a->runlen[r1 - 1];
        if (to - from < tl || memcmp(s + n - tl, a->run[r1 - 1], tl)) return 0;
        to = n - tl;
        r1--;
    } else if (a->trails) {
        /* the one run both starts and ends every match */
        size_t tl = a->runlen[0];
        if (memcmp(s + n - tl, a->run[0], tl)) return 0;
    }
    /* the runs between, in order, each after the one before (the earliest
     * place of each leaves the most room for the rest) */
    for (size_t r = r0; r < r1; r++) {
        const char *at = find(s + from, to - from, a->run[r], a->runlen[r]);
        if (!at) return 0;
        from = (size_t)(at - s) + a->runlen[r];
    }
    return 1;
}

int regex_filter_may_match(const RegexFilter *f, const char *s, size_t len)
{
    if (!f->nalts) return 1;
    for (size_t i = 0; i < f->nalts; i++)
        if (alt_may_match(&f->alt[i], s, len)) return 1;
    return 0;
}

int regex_filter_last_segment(const RegexFilter *f, char sep, const char **seg, size_t *seglen)
{
    if (f->nalts != 1 || !f->alt[0].trails) return 0;
    const RegexFilterAlt *a = &f->alt[0];
    const char *run = a->run[a->nruns - 1];
    size_t len = a->runlen[a->nruns - 1];
    const char *last = NULL;
    for (size_t i = 0; i < len; i++)
        if (run[i] == sep) last = run + i;
    if (!last || last + 1 == run + len) return 0;
    *seg = last + 1;
    *seglen = (size_t)(run + len - *seg);
    return 1;
}

int regex_filter_requires(const RegexFilter *f, char c)
{
    if (!f->nalts) return 0;
    for (size_t i = 0; i < f->nalts; i++) {
        int has = 0;
        for (size_t r = 0; r < f->alt[i].nruns && !has; r++) has = memchr(f->alt[i].run[r], c, f->alt[i].runlen[r]) != NULL;
        if (!has) return 0;
    }
    return 1;
}
