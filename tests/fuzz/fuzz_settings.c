/* fuzz_settings — .nf-preflight.yml text (issue 15: a settings file found
 * next to the checked files is the repository's). Invariants: success gives
 * settings and no error; failure gives a "NAME:LINE:COL" message unless
 * memory ran out; a platform endpoint, when set, is an http(s) URL. */
#include "fuzz_common.h"
#include "settings.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    Settings *s = NULL;
    char *err = NULL;
    int rc = settings_parse("fuzz.nf-preflight.yml", (const char *)data, size, &s, &err);
    if (rc == 0) {
        FUZZ_REQUIRE(s != NULL && err == NULL);
        if (s->platform_endpoint)
            FUZZ_REQUIRE(!strncmp(s->platform_endpoint, "http://", 7) || !strncmp(s->platform_endpoint, "https://", 8));
        FUZZ_REQUIRE(!s->found_upward);
    } else {
        FUZZ_REQUIRE(s == NULL);
        FUZZ_REQUIRE(alloc_failed() || (err && !strncmp(err, "fuzz.nf-preflight.yml", 21)));
    }
    np_free(err);
    settings_free(s);
    return 0;
}
