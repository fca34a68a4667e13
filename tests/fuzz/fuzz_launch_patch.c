/* fuzz_launch_patch — `fix --launch` patching (issue 15): for any launch
 * document that parses, replacing its configText keeps every other member.
 * Invariants: the patched document parses again, holds exactly the new
 * text, the same profiles and params (JSON stays JSON); every byte before the old
 * configText value is kept, and for JSON every byte after it too. */
#include "fuzz_common.h"
#include "launch.h"

static int same(const char *a, size_t an, const char *b, size_t bn)
{
    if (!a || !b) return !a && !b;
    return an == bn && !memcmp(a, b, an);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char text[] = "wave {\n    enabled = true\n}\nprocess.container = 'quay.io/a/b:1'\n";
    const char *doc = (const char *)data;
    LaunchInfo in, out;
    memset(&in, 0, sizeof in);
    memset(&out, 0, sizeof out);
    char *err = NULL;
    if (launch_parse("fuzz-launch.json", doc, size, &in, &err) != 0) {
        np_free(err);
        launch_info_free(&in);
        return 0;
    }
    StrBuf b = STRBUF_INIT;
    int rc = launch_patch_config_text("fuzz-launch.json", doc, size, &in, text, sizeof text - 1, &b, &err);
    if (rc == 0 && !strbuf_failed(&b)) {
        FUZZ_REQUIRE(err == NULL);
        const char *pd = strbuf_cstr(&b);
        char *err2 = NULL;
        int prc = launch_parse("fuzz-launch.json", pd, b.len, &out, &err2);
        FUZZ_REQUIRE(prc == 0 || alloc_failed());
        if (prc == 0) {
            FUZZ_REQUIRE(same(out.config_text, out.config_len, text, sizeof text - 1));
            FUZZ_REQUIRE(out.nprofiles == in.nprofiles);
            for (size_t i = 0; i < in.nprofiles; i++) FUZZ_REQUIRE(!strcmp(out.profiles[i], in.profiles[i]));
            FUZZ_REQUIRE(same(out.params_text, out.params_len, in.params_text, in.params_len));
            /* the format may go from YAML to JSON: a flow-style YAML document
             * whose only non-JSON part was the old value is JSON once patched */
            if (!in.is_yaml) FUZZ_REQUIRE(!out.is_yaml);
        }
        if (in.config_text && in.text_start <= in.text_end && in.text_end <= size) {
            FUZZ_REQUIRE(b.len >= in.text_start && !memcmp(pd, doc, in.text_start));
            if (in.text_style == LAUNCH_STYLE_JSON) {
                size_t tail = size - in.text_end;
                FUZZ_REQUIRE(b.len >= tail && !memcmp(pd + b.len - tail, doc + in.text_end, tail));
            }
        }
        np_free(err2);
    } else {
        FUZZ_REQUIRE(rc != 0 ? (err != NULL || alloc_failed()) : 1);
    }
    np_free(err);
    strbuf_free(&b);
    launch_info_free(&out);
    launch_info_free(&in);
    return 0;
}
