/* fuzz_image — container image names: Docker and raw reference grammar,
 * scheme stripping, per-engine naming and the Wave registry host rule.
 * Invariants: a successful parse formats back to a string that parses again
 * to the same normalised name (round trip), and every result code is one the
 * header documents. */
#include "fuzz_common.h"
#include "image.h"
#include "registry.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = fuzz_cstr(data, size);
    if (!s) return 0;
    const char *reason = NULL;
    ImageRef ref = {0};
    int rc = image_parse(s, size, &ref, &reason);
    FUZZ_REQUIRE(rc == IMAGE_OK || rc == IMAGE_INVALID || rc == IMAGE_ENOMEM);
    if (rc == IMAGE_INVALID) FUZZ_REQUIRE(reason != NULL);
    if (rc == IMAGE_OK) {
        char *norm = image_ref_format(&ref, 1);
        if (norm) {
            ImageRef again = {0};
            int rc2 = image_parse(norm, strlen(norm), &again, NULL);
            FUZZ_REQUIRE(rc2 == IMAGE_OK || rc2 == IMAGE_ENOMEM);
            if (rc2 == IMAGE_OK) {
                char *norm2 = image_ref_format(&again, 1);
                if (norm2) FUZZ_REQUIRE(strcmp(norm, norm2) == 0);
                np_free(norm2);
            }
            image_ref_free(&again);
            np_free(norm);
        }
        char *asis = image_ref_format(&ref, 0);
        np_free(asis);
    }
    image_ref_free(&ref);

    for (unsigned flags = 1; flags <= 3; flags++) {
        ImageRef r = {0};
        int rc3 = image_parse_ex(s, size, flags, &r, &reason);
        FUZZ_REQUIRE(rc3 == IMAGE_OK || rc3 == IMAGE_INVALID ||
                     rc3 == IMAGE_NOT_REFERENCE || rc3 == IMAGE_ENOMEM);
        image_ref_free(&r);
    }
    (void)image_classify(s, size);

    /* Engine naming and the Wave host work on C strings (stop at a NUL). */
    int status = 0;
    char *host = image_wave_host(s, &status);
    np_free(host);
    for (int e = IMAGE_ENGINE_DOCKER; e <= IMAGE_ENGINE_SHIFTER; e++) {
        EngineOptions eo = {0};
        eo.engine = (ImageEngine)e;
        eo.registry = (e & 1) ? "registry.example.org" : NULL;
        eo.registry_override = e == IMAGE_ENGINE_DOCKER;
        eo.oci_mode = e == IMAGE_ENGINE_SINGULARITY;
        eo.enabled = 1;
        char *name = image_engine_name(s, &eo);
        if (name) {
            (void)image_engine_pulls_to_cache(name, &eo);
            np_free(name);
        }
        const char *why = NULL;
        char *h = image_registry_host(s, &eo, &status, &why);
        if (h) {
            char canon[128];
            (void)registry_class(h);
            (void)registry_provider(h);
            (void)registry_same(h, "docker.io", NULL);
            (void)registry_canonical(h, 0, canon, sizeof canon);
            FUZZ_REQUIRE(registry_wave_match(h, h));
        }
        np_free(h);
    }
    np_free(s);
    return 0;
}
