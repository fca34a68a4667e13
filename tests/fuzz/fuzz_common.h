/* fuzz_common.h — small helpers shared by the libFuzzer targets.
 *
 * FUZZ_REQUIRE aborts on a broken invariant, so libFuzzer (and the replay
 * driver used by tests/hardening) records the input as a crash. Inputs are
 * copied into a NUL-terminated np_malloc'd buffer because several APIs take C
 * strings; the copy also lets ASan catch reads past the end. */
#ifndef NFP_FUZZ_COMMON_H
#define NFP_FUZZ_COMMON_H
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "alloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_REQUIRE(cond) do { \
    if (!(cond)) { \
        fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #cond); \
        abort(); \
    } \
} while (0)

/* NUL-terminated copy of the input, or NULL when memory ran out. */
static inline char *fuzz_cstr(const uint8_t *data, size_t size)
{
    char *s = np_malloc(size + 1);
    if (!s) return NULL;
    if (size) memcpy(s, data, size);
    s[size] = '\0';
    return s;
}

#endif
