/* fuzz_launch — Platform launch payloads (JSON or YAML). Invariants: on
 * success the configText span lies inside the document and, when a config
 * text was decoded, it lexes losslessly like any other config; on failure an
 * error message is given unless memory ran out. */
#include "fuzz_common.h"
#include "launch.h"
#include "lex.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    LaunchInfo info;
    memset(&info, 0, sizeof info);
    char *err = NULL;
    int rc = launch_parse("fuzz-launch.json", (const char *)data, size, &info, &err);
    if (rc == 0) {
        FUZZ_REQUIRE(err == NULL);
        if (info.config_text) {
            FUZZ_REQUIRE(info.text_start <= info.text_end && info.text_end <= size);
            Lexer lx;
            lex_init(&lx, info.config_text, 0, info.config_len);
            size_t pos = 0;
            for (;;) {
                Token t = lex_next(&lx);
                if (t.kind == TK_EOF) break;
                FUZZ_REQUIRE(t.start == pos && t.end > t.start);
                pos = t.end;
            }
            FUZZ_REQUIRE(pos == info.config_len);
        }
        for (size_t i = 0; i < info.nprofiles; i++) FUZZ_REQUIRE(info.profiles[i] != NULL);
    } else {
        FUZZ_REQUIRE(err != NULL || alloc_failed());
    }
    np_free(err);
    launch_info_free(&info);
    return 0;
}
