/* tap.h — the smallest test harness that tells you what failed and where.
 * CHECK(cond) records a failure with file:line and goes on; TEST_MAIN ends with
 * a "N passed, N failed" line and a non-zero exit when anything failed. */
#ifndef NFP_TAP_H
#define NFP_TAP_H
#include <stdio.h>
#include <string.h>

static int tap_pass, tap_fail;

#define CHECK(cond) do { \
    if (cond) tap_pass++; \
    else { tap_fail++; fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); } \
} while (0)

#define CHECK_MSG(cond, ...) do { \
    if (cond) tap_pass++; \
    else { tap_fail++; fprintf(stderr, "%s:%d: CHECK failed: %s: ", __FILE__, __LINE__, #cond); \
           fprintf(stderr, __VA_ARGS__); fputc('\n', stderr); } \
} while (0)

#define CHECK_STR(a, b) do { \
    const char *tap_a = (a), *tap_b = (b); \
    if (tap_a && tap_b && strcmp(tap_a, tap_b) == 0) tap_pass++; \
    else { tap_fail++; fprintf(stderr, "%s:%d: CHECK_STR failed: %s\n  got:      %s\n  expected: %s\n", \
           __FILE__, __LINE__, #a, tap_a ? tap_a : "(null)", tap_b ? tap_b : "(null)"); } \
} while (0)

#define TEST_MAIN_END() do { \
    printf("%d passed, %d failed\n", tap_pass, tap_fail); \
    return tap_fail ? 1 : 0; \
} while (0)

#endif
