/* units: the one table of memory and duration spellings, checked against
 * what Nextflow's NumberDelegatingMetaClass, Duration(String) and
 * MemoryUnit(String) accept (sources in src/units.h). The spellings the
 * resolver and the schema used to disagree on (secs, mins, g, zb) are here. */
#include "tap.h"
#include "units.h"

#include <limits.h>
#include <string.h>

static int dur(const char *s, long long *out) { return units_parse_duration(s, strlen(s), out); }
static int mem(const char *s, long long *out) { return units_parse_memory(s, strlen(s), out); }

static void test_suffix(void)
{
    /* duration names in any case first: `m` is minutes */
    CHECK(units_suffix("m", 1) == UNIT_DURATION && units_suffix("H", 1) == UNIT_DURATION);
    CHECK(units_suffix("hours", 5) == UNIT_DURATION && units_suffix("Millis", 6) == UNIT_DURATION);
    /* not in Duration.UNITS: `10.secs` and `5.mins` are no durations */
    CHECK(units_suffix("secs", 4) == UNIT_NONE && units_suffix("mins", 4) == UNIT_NONE);
    /* memory names in any case; single letters other than B are not units */
    CHECK(units_suffix("GB", 2) == UNIT_MEMORY && units_suffix("gb", 2) == UNIT_MEMORY);
    CHECK(units_suffix("b", 1) == UNIT_MEMORY && units_suffix("zb", 2) == UNIT_MEMORY);
    CHECK(units_suffix("g", 1) == UNIT_NONE && units_suffix("k", 1) == UNIT_NONE);
    CHECK(units_suffix("parsec", 6) == UNIT_NONE && units_suffix("", 0) == UNIT_NONE);

    UnitKind k;
    long long v = 0;
    CHECK(units_scale("GB", 2, 1, 2, 0, &k, &v) == UNITS_OK && k == UNIT_MEMORY && v == 2LL << 30);
    CHECK(units_scale("h", 1, 0, 0, 1.5, &k, &v) == UNITS_OK && k == UNIT_DURATION && v == 5400000);
    CHECK(units_scale("EB", 2, 1, 7, 0, &k, &v) == UNITS_OK && v == 7LL << 60);
    CHECK(units_scale("EB", 2, 1, 8, 0, &k, &v) == UNITS_OVERFLOW);     /* 2^63 */
    CHECK(units_scale("zb", 2, 1, 1, 0, &k, &v) == UNITS_OVERFLOW && k == UNIT_MEMORY);
    CHECK(units_scale("zb", 2, 1, 0, 0, &k, &v) == UNITS_OK && v == 0);
    CHECK(units_scale("secs", 4, 1, 1, 0, &k, &v) == UNITS_INVALID);
}

static void test_duration_strings(void)
{
    long long v = 0;
    CHECK(dur("2h", &v) == UNITS_OK && v == 7200000);
    CHECK(dur("1d 2h", &v) == UNITS_OK && v == 93600000);
    CHECK(dur("2h30m", &v) == UNITS_OK && v == 9000000);
    CHECK(dur("30 min", &v) == UNITS_OK && v == 1800000);
    CHECK(dur("10.m", &v) == UNITS_OK && v == 600000);
    CHECK(dur("1.5s", &v) == UNITS_OK && v == 1500);
    CHECK(dur("100ms", &v) == UNITS_OK && v == 100);
    CHECK(dur("2h ", &v) == UNITS_OK && v == 7200000);         /* the rest is trimmed */
    CHECK(dur("05:10:30", &v) == UNITS_OK && v == 18630000);   /* legacy hh:mm:ss */
    /* Duration's names are case-sensitive and have no plural abbreviations */
    CHECK(dur("10 secs", NULL) == UNITS_INVALID);
    CHECK(dur("5 mins", NULL) == UNITS_INVALID);
    CHECK(dur("2H", NULL) == UNITS_INVALID);
    CHECK(dur("1d 2x", NULL) == UNITS_INVALID);
    CHECK(dur(" 2h", NULL) == UNITS_INVALID);                  /* the first group is anchored */
    CHECK(dur("forever", NULL) == UNITS_INVALID && dur("", NULL) == UNITS_INVALID);
    CHECK(dur("2 GB", NULL) == UNITS_INVALID && dur("123:10:30", NULL) == UNITS_INVALID);
    CHECK(dur("99999999999999999999d", NULL) == UNITS_OVERFLOW);
}

static void test_memory_strings(void)
{
    long long v = 0;
    CHECK(mem("8 GB", &v) == UNITS_OK && v == 8LL << 30);
    CHECK(mem("8GB", &v) == UNITS_OK && v == 8LL << 30);
    CHECK(mem("8.GB", &v) == UNITS_OK && v == 8LL << 30);
    CHECK(mem("1.5 GB", &v) == UNITS_OK && v == 3LL << 29);
    CHECK(mem("8 G", &v) == UNITS_OK && v == 8LL << 30);       /* a missing B is added */
    CHECK(mem("8 g", &v) == UNITS_OK && v == 8LL << 30);       /* the letter in any case */
    CHECK(mem("8 kB", &v) == UNITS_OK && v == 8LL << 10);
    CHECK(mem("512", &v) == UNITS_OK && v == 512);
    CHECK(mem("512 B", &v) == UNITS_OK && v == 512);
    CHECK(mem(".5 KB", &v) == UNITS_OK && v == 512);
    CHECK(mem("1 EB", &v) == UNITS_OK && v == 1LL << 60);
    CHECK(mem("1 ZB", NULL) == UNITS_OVERFLOW);                 /* valid; Nextflow clamps */
    CHECK(mem("1 zB", NULL) == UNITS_OVERFLOW);
    /* the optional B is upper case only */
    CHECK(mem("8 gb", NULL) == UNITS_INVALID);
    CHECK(mem("8 Kb", NULL) == UNITS_INVALID);
    CHECK(mem("1.5", NULL) == UNITS_INVALID);                   /* bytes are Long.parseLong */
    CHECK(mem("8 X", NULL) == UNITS_INVALID && mem("8 parsecs", NULL) == UNITS_INVALID);
    CHECK(mem("1.2.3 GB", NULL) == UNITS_INVALID && mem(". GB", NULL) == UNITS_INVALID);
    CHECK(mem("", NULL) == UNITS_INVALID && mem("lots", NULL) == UNITS_INVALID);
    CHECK(mem(" 8 GB", NULL) == UNITS_INVALID && mem("8 GB ", NULL) == UNITS_INVALID);
    CHECK(mem("99999999999999999999", NULL) == UNITS_INVALID);
}

int main(void)
{
    test_suffix();
    test_duration_strings();
    test_memory_strings();
    TEST_MAIN_END();
}
