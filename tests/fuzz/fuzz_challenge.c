/* fuzz_challenge — a registry's WWW-Authenticate header (issue 15: what a
 * registry answers is untrusted). Invariants: a parsed challenge has a
 * scheme; a token URL exists exactly when there is a realm (or memory ran
 * out), starts with the realm, asks for pull on the repository only, and
 * the realm's host, when there is one, holds no '@', '/' or upper case. */
#include "fuzz_common.h"
#include "http.h"
#include "probe.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *h = fuzz_cstr(data, size);
    if (!h) return 0;
    ProbeChallenge c;
    int rc = probe_parse_challenge(h, &c);
    FUZZ_REQUIRE(rc == 0 || rc == -1 || rc == -2);
    if (rc == 0) {
        FUZZ_REQUIRE(c.scheme != NULL);
        char *url = probe_token_url(&c, "org/tool");
        if (c.realm && *c.realm) {
            FUZZ_REQUIRE(url != NULL || alloc_failed());
            if (url) {
                FUZZ_REQUIRE(!strncmp(url, c.realm, strlen(c.realm)));
                FUZZ_REQUIRE(strstr(url, "scope=repository%3Aorg%2Ftool%3Apull") ||
                             strstr(url, "scope=repository:org/tool:pull"));
            }
            char *host = http_url_host(c.realm);
            for (const char *q = host; q && *q; q++)
                FUZZ_REQUIRE(*q != '@' && *q != '/' && !(*q >= 'A' && *q <= 'Z'));
            np_free(host);
        }
        np_free(url);
    }
    probe_challenge_free(&c);
    np_free(h);
    return 0;
}
