/* regex: the compile-once face other modules use instead of PCRE2 (groups,
 * groups that take no part, byte mode on invalid UTF-8), next to the Java
 * style whole match and replaceAll of configs. */
#include "alloc.h"
#include "regex.h"
#include "tap.h"

#include <stdio.h>
#include <string.h>

static void test_groups(void)
{
    int bad = 0;
    const char *pat = "^(?:([a-z.]+)/)?([a-z]+)(?::([0-9]+))?$";
    Regex *re = regex_new_ex(pat, strlen(pat), REGEX_BYTES, &bad);
    CHECK(re != NULL && bad == 0);
    if (!re) return;
    size_t ov[8];
    const char *s = "quay.io/tool:12";
    CHECK(regex_match_groups(re, s, strlen(s), ov, 4) == 1);
    CHECK(ov[0] == 0 && ov[1] == strlen(s));
    CHECK(ov[2] == 0 && ov[3] == 7 && ov[4] == 8 && ov[5] == 12 && ov[6] == 13 && ov[7] == 15);
    CHECK(regex_match_groups(re, "tool", 4, ov, 4) == 1);
    CHECK(ov[2] == REGEX_UNSET && ov[3] == REGEX_UNSET && ov[6] == REGEX_UNSET);   /* no domain, no tag */
    CHECK(regex_match_groups(re, "Tool", 4, ov, 4) == 0);
    /* bytes mode: invalid UTF-8 is just no match, not an error */
    CHECK(regex_match_groups(re, "a\xff", 2, ov, 1) == 0);
    regex_free(re);

    /* the UTF-8 mode of config patterns rejects invalid UTF-8 subjects as a failure */
    re = regex_new("a.", 2, &bad);
    CHECK(re && regex_match_groups(re, "xa\xc3\xa9", 4, ov, 1) == 1 && ov[0] == 1 && ov[1] == 4);
    CHECK(re && regex_matches_whole(re, "ab", 2) == 1 && regex_matches_whole(re, "abc", 3) == 0);
    regex_free(re);
    CHECK(regex_new("(", 1, &bad) == NULL && bad == 1);
}

static void test_replace(void)
{
    int bad;
    Regex *re = regex_new("o+", 2, &bad);
    size_t n = 0;
    char *out = re ? regex_replace(re, "foo boo", 7, "0", 1, 1, &n) : NULL;
    CHECK(out && n == 5 && !strcmp(out, "f0 b0"));
    np_free(out);
    regex_free(re);
}

/* A deterministic stream of small numbers (no libc rand: the same run everywhere). */
static unsigned next_rand(unsigned *state)
{
    *state = *state * 1103515245u + 12345u;
    return (*state >> 16) & 0x7fff;
}

/* A pattern of the shapes configs write, over a small alphabet so that
 * subjects often match: literals, '.', '.*', literal alternation groups, a
 * final '$', and now and then something outside them ('+', '?', a class,
 * a nested group, a top-level '|'), which PCRE2 answers. */
static size_t random_pattern(unsigned *st, char *out, size_t cap)
{
    static const char *const pieces[] = {"A", "B", ":", "AB", ".", ".*", ".*:", "(A|B)", "(AB|A)", "(|B)",
                                         "(A:|B)", "A+", "B?", "[AB]", "((A|B):)?", "$", "|"};
    size_t n = 0, k = 1 + next_rand(st) % 6;
    for (size_t i = 0; i < k; i++) {
        unsigned r = next_rand(st) % 100;
        const char *p = pieces[r < 85 ? r % 11 : 11 + r % 6];
        size_t len = strlen(p);
        if (n + len >= cap) break;
        memcpy(out + n, p, len);
        n += len;
    }
    out[n] = '\0';
    return n;
}

static size_t random_subject(unsigned *st, char *out, size_t cap)
{
    static const char alphabet[] = "AAB:";
    size_t n = next_rand(st) % 9;
    if (n >= cap) n = cap - 1;
    for (size_t i = 0; i < n; i++) out[i] = alphabet[next_rand(st) % 4];
    out[n] = '\0';
    return n;
}

/* The patterns matched without PCRE2 give PCRE2's answer: each pattern is
 * also compiled as (?:PATTERN), which only PCRE2 reads, and both answer
 * every subject. The literal filter never says no to a subject PCRE2
 * matches. */
static void test_glob_and_filter_agree_with_pcre(void)
{
    unsigned st = 7;
    size_t disagree = 0, filter_wrong = 0, compared = 0, filtered = 0;
    for (int t = 0; t < 3000; t++) {
        char pat[64], wrapped[80], subj[16];
        size_t len = random_pattern(&st, pat, sizeof pat);
        int wl = snprintf(wrapped, sizeof wrapped, "(?:%s)", pat);
        int bad1 = 0, bad2 = 0;
        Regex *fast = regex_new(pat, len, &bad1), *slow = regex_new(wrapped, (size_t)wl, &bad2);
        CHECK((fast == NULL) == (slow == NULL) && bad1 == bad2);
        RegexFilter f;
        regex_filter_init(&f, pat, len);
        for (int k = 0; k < 20 && fast && slow; k++) {
            size_t n = random_subject(&st, subj, sizeof subj);
            int a = regex_matches_whole(fast, subj, n), b = regex_matches_whole(slow, subj, n);
            compared++;
            if (a != b) {
                if (!disagree) fprintf(stderr, "# '%s' on '%s': %d, PCRE2 %d\n", pat, subj, a, b);
                disagree++;
            }
            int may = regex_filter_may_match(&f, subj, n);
            filtered += !may;
            if (b == 1 && !may) {
                if (!filter_wrong) fprintf(stderr, "# filter of '%s' rejects '%s'\n", pat, subj);
                filter_wrong++;
            }
        }
        regex_free(fast);
        regex_free(slow);
    }
    CHECK(compared > 30000);
    CHECK(disagree == 0);
    CHECK(filter_wrong == 0);
    CHECK(filtered > 1000);   /* the filter does say no */
}

/* What the filter reads from the shapes nf-core configs write. */
static void test_filter_shapes(void)
{
    RegexFilter f;
    const char *seg;
    size_t seglen;
    const char *p = ".*:BAM_DEDUP_STATS_SAMTOOLS_UMI(COLLAPSE|TOOLS)_GENOME:BAM_STATS_SAMTOOLS:.*";
    regex_filter_init(&f, p, strlen(p));
    CHECK(f.nalts == 1 && f.alt[0].nruns == 2 && !f.alt[0].leads && !f.alt[0].trails);
    CHECK(regex_filter_requires(&f, ':'));
    const char *no = "NFCORE:BAM_DEDUP_STATS_SAMTOOLS_UMITOOLS_TRANSCRIPTOME:BAM_STATS_SAMTOOLS:X";
    CHECK(!regex_filter_may_match(&f, no, strlen(no)));
    CHECK(!regex_filter_last_segment(&f, ':', &seg, &seglen));

    p = "NFCORE_RNASEQ:RNASEQ:.*:FASTQ_QC:.*:BOWTIE2_ALIGN$";
    regex_filter_init(&f, p, strlen(p));
    CHECK(f.nalts == 1 && f.alt[0].leads && f.alt[0].trails);
    CHECK(regex_filter_last_segment(&f, ':', &seg, &seglen) && seglen == 13 && !memcmp(seg, "BOWTIE2_ALIGN", 13));
    CHECK(!regex_filter_may_match(&f, "NFCORE_RNASEQ:RNASEQ:X:FASTQ_QC:Y:BOWTIE2_ALIGN_PE", 50));

    /* one group around alternatives is looked through */
    p = "(BEDTOOLS_GENOMECOV_(FW|REV)|.*:BEDCLIP_(FORWARD|REVERSE):UCSC_BEDCLIP)";
    regex_filter_init(&f, p, strlen(p));
    CHECK(f.nalts == 2 && !regex_filter_requires(&f, ':'));
    CHECK(!regex_filter_may_match(&f, "FASTQC", 6));
    CHECK(regex_filter_may_match(&f, "BEDTOOLS_GENOMECOV_FW", 21));

    /* unsure: no filter (every subject may match) */
    static const char *const unsure[] = {"(?i)fastqc", "A\\.B", "[[:alpha:]]+X", "(A|B", "A|B|C|D|E"};
    for (size_t i = 0; i < sizeof unsure / sizeof *unsure; i++) {
        regex_filter_init(&f, unsure[i], strlen(unsure[i]));
        CHECK(f.nalts == 0 && regex_filter_may_match(&f, "anything", 8));
    }
    /* a quantifier takes the whole last character of a run, not its last byte */
    p = "X\xc3\xa9?Y";
    regex_filter_init(&f, p, strlen(p));
    CHECK(regex_filter_may_match(&f, "XY", 2));
    /* a bound's digits are no run */
    p = "A{2}3";
    regex_filter_init(&f, p, strlen(p));
    CHECK(regex_filter_may_match(&f, "AA3", 3));
}

int main(void)
{
    test_groups();
    test_replace();
    test_glob_and_filter_agree_with_pcre();
    test_filter_shapes();
    TEST_MAIN_END();
}
