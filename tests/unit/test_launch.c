/* launch: reading the three payload shapes in JSON and YAML, the errors, and
 * writing configText back while every other byte stays. */
#include "alloc.h"
#include "launch.h"
#include "tap.h"

#include <string.h>

static int parse(const char *doc, LaunchInfo *li, char **err)
{
    return launch_parse("l", doc, strlen(doc), li, err);
}

/* Patches doc with `text` and returns the new document (static). */
static const char *patch(const char *doc, const char *text)
{
    static char buf[4096];
    LaunchInfo li;
    char *err = NULL;
    if (parse(doc, &li, &err) != 0) { np_free(err); return "(parse failed)"; }
    StrBuf out = STRBUF_INIT;
    int rc = launch_patch_config_text("l", doc, strlen(doc), &li, text, strlen(text), &out, &err);
    launch_info_free(&li);
    if (rc != 0) {
        snprintf(buf, sizeof buf, "(error: %s)", err ? err : "oom");
        np_free(err);
    } else {
        snprintf(buf, sizeof buf, "%s", strbuf_cstr(&out));
    }
    strbuf_free(&out);
    return buf;
}

static void test_read_shapes(void)
{
    LaunchInfo li;
    char *err = NULL;
    /* the POST /workflow/launch body */
    const char *req = "{\"launch\": {\"configText\": \"a = 1\\n\", \"configProfiles\": [\"test\", \"docker\"],"
                      " \"paramsText\": \"x: 1\"}}";
    CHECK(parse(req, &li, &err) == 0);
    CHECK(li.shape == LAUNCH_SHAPE_WRAPPED && !li.is_yaml && li.text_style == LAUNCH_STYLE_JSON);
    CHECK(li.config_len == 6 && !memcmp(li.config_text, "a = 1\n", 6));
    CHECK(li.nprofiles == 2 && !strcmp(li.profiles[1], "docker"));
    CHECK(li.params_text && !strcmp(li.params_text, "x: 1"));
    CHECK(!memcmp(req + li.text_start, "\"a = 1\\n\"", li.text_end - li.text_start));
    launch_info_free(&li);
    /* tw pipelines export: description/icon around a launch object */
    CHECK(parse("{\"description\": \"d\", \"icon\": null, \"launch\": {\"pipeline\": \"p\"}}", &li, &err) == 0);
    CHECK(li.shape == LAUNCH_SHAPE_WRAPPED && li.config_text == NULL && li.nmembers == 1);
    launch_info_free(&li);
    /* a bare launch object in YAML, profiles as a comma string */
    CHECK(parse("configText: |\n  a = 1\nconfigProfiles: 'a, b'\n", &li, &err) == 0);
    CHECK(li.shape == LAUNCH_SHAPE_BARE && li.is_yaml && li.text_style == LAUNCH_STYLE_YAML_LITERAL);
    CHECK(li.nprofiles == 2 && !strcmp(li.profiles[0], "a") && !strcmp(li.profiles[1], "b"));
    launch_info_free(&li);
    /* configText: null is absent */
    CHECK(parse("{\"configText\": null}", &li, &err) == 0 && li.config_text == NULL);
    launch_info_free(&li);
}

static void test_read_errors(void)
{
    LaunchInfo li;
    char *err = NULL;
    CHECK(parse("[1, 2]", &li, &err) == -1);
    CHECK_STR(err, "l:1:1: a launch file must hold a JSON or YAML object");
    np_free(err);
    CHECK(parse("{\"launch\": {\"configText\": 42}}", &li, &err) == -1);
    CHECK_STR(err, "l:1:27: configText must be a string");
    np_free(err);
    CHECK(parse("a: [1\n", &li, &err) == -1 && err && !strncmp(err, "l:", 2));
    np_free(err);
    CHECK(parse("configProfiles: [1]\n", &li, &err) == -1 && err && strstr(err, "configProfiles"));
    np_free(err);
}

static void test_patch(void)
{
    /* JSON: the literal is re-encoded, everything else stays */
    CHECK_STR(patch("{\n  \"launch\": {\n    \"configText\": \"a = 1\",\n    \"x\": 1\n  }\n}\n", "a = 1\nwave.enabled = \"x\"\n"),
              "{\n  \"launch\": {\n    \"configText\": \"a = 1\\nwave.enabled = \\\"x\\\"\\n\",\n    \"x\": 1\n  }\n}\n");
    /* JSON without configText: added in front of the first member, on its own line */
    CHECK_STR(patch("{\n  \"pipeline\": \"p\"\n}\n", "w\n"), "{\n  \"configText\": \"w\\n\",\n  \"pipeline\": \"p\"\n}\n");
    CHECK_STR(patch("{}", "w"), "{\"configText\": \"w\"}");
    /* YAML literal block stays a literal block with its indentation and the blank line after it */
    CHECK_STR(patch("a: 1\nconfigText: |  # cfg\n    x = 1\n\nb: 2\n", "x = 1\ny = 2\n"),
              "a: 1\nconfigText: |  # cfg\n    x = 1\n    y = 2\n\nb: 2\n");
    /* no final newline: strip chomping */
    CHECK_STR(patch("configText: |\n  x = 1\nb: 2\n", "x = 1\ny = 2"), "configText: |-\n  x = 1\n  y = 2\nb: 2\n");
    /* a text a block cannot hold (CR) becomes a double-quoted scalar */
    CHECK_STR(patch("configText: |\n  x = 1\nb: 2\n", "x = 1\r\n"), "configText: \"x = 1\\r\\n\"\nb: 2\n");
    /* single-quoted and plain become double-quoted; a trailing comment stays */
    CHECK_STR(patch("configText: 'a'  # c\n", "a\nb"), "configText: \"a\\nb\"  # c\n");
    CHECK_STR(patch("configText: a\n", "\"q\" \\ \t"), "configText: \"\\\"q\\\" \\\\ \\t\"\n");
    /* YAML without configText: a new first key at the same indentation */
    CHECK_STR(patch("launch:\n  pipeline: p\n", "w\n"), "launch:\n  configText: \"w\\n\"\n  pipeline: p\n");
    /* CRLF YAML documents get CRLF for the new line */
    CHECK_STR(patch("pipeline: p\r\n", "w"), "configText: \"w\"\r\npipeline: p\r\n");
}

static void test_yaml_quote(void)
{
    StrBuf b = STRBUF_INIT;
    const char s[] = "a\x01\x7f\xc2\x85\xe2\x80\xa8z";
    launch_yaml_quote(&b, s, sizeof s - 1);
    CHECK_STR(strbuf_cstr(&b), "\"a\\x01\\x7f\\N\\Lz\"");
    strbuf_free(&b);
}

int main(void)
{
    test_read_shapes();
    test_read_errors();
    test_patch();
    test_yaml_quote();
    TEST_MAIN_END();
}
