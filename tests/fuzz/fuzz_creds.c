/* fuzz_creds — the credential inventory reader (Platform API answers,
 * `tw credentials list`, simple inventories, docker config.json).
 * Invariants: on failure the list is unchanged (the loader's contract) and an
 * error message is given; on success every entry's span lies inside the text,
 * and matching functions work on whatever was loaded. */
#include "fuzz_common.h"
#include "creds.h"
#include "registry.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    CredList list = CREDLIST_INIT;
    char *err = NULL;
    int rc = creds_load_text(&list, (const char *)data, size, "fuzz.json", &err);
    if (rc != CREDS_OK) {
        FUZZ_REQUIRE(list.len == 0);
        FUZZ_REQUIRE(err != NULL || rc == CREDS_ENOMEM);
        np_free(err);
    } else {
        FUZZ_REQUIRE(err == NULL);
        for (size_t i = 0; i < list.len; i++) {
            const Credential *c = &list.items[i];
            FUZZ_REQUIRE(c->start <= c->end && c->end <= size);
            (void)creds_is_wave_registry(c);
            char buf[256];
            (void)registry_canonical(c->registry, 0, buf, sizeof buf);
        }
        static const char *const hosts[] = { "docker.io", "quay.io", "ghcr.io",
                                             "123456789012.dkr.ecr.eu-west-1.amazonaws.com" };
        for (size_t h = 0; h < 4; h++) {
            unsigned why = 0;
            (void)creds_match(&list, hosts[h]);
            (void)creds_match_count(&list, hosts[h]);
            (void)creds_match_alias(&list, hosts[h], &why);
            (void)creds_match_local(&list, hosts[h]);
        }
    }
    creds_list_free(&list);
    return 0;
}
