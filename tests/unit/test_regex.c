/* regex: the compile-once face other modules use instead of PCRE2 (groups,
 * groups that take no part, byte mode on invalid UTF-8), next to the Java
 * style whole match and replaceAll of configs. */
#include "alloc.h"
#include "regex.h"
#include "tap.h"

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

int main(void)
{
    test_groups();
    test_replace();
    TEST_MAIN_END();
}
