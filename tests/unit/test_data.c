/* Unit tests for src/data.c: strict JSON with exact error positions, YAML 1.2
 * core-schema typing, anchors/aliases and their expansion cap, depth limits,
 * byte spans, lookups, and allocation-failure handling. */
#include "alloc.h"
#include "data.h"
#include "tap.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

static DataDoc *parse_ok(const char *text, size_t len, DataFormat fmt)
{
    DataDoc *d = NULL;
    char *err = NULL;
    int rc = data_parse(text, len, fmt, &d, &err);
    CHECK_MSG(rc == DATA_OK, "parse of <%.60s> failed: %s", text, err ? err : "(no message)");
    np_free(err);
    return d;
}

/* The text of the bytes a span covers, for comparing spans readably. */
static char span_buf[256];
static const char *span(const char *text, size_t start, size_t end)
{
    size_t n = end - start < sizeof span_buf - 1 ? end - start : sizeof span_buf - 1;
    memcpy(span_buf, text + start, n);
    span_buf[n] = '\0';
    return span_buf;
}

/* ---- JSON errors: every message is checked whole, position included ---- */

static const struct { const char *in; int rc; const char *msg; } json_errors[] = {
    {"", DATA_ESYNTAX, "1:1: unexpected end of input, expected a JSON value"},
    {"   \n  ", DATA_ESYNTAX, "2:3: unexpected end of input, expected a JSON value"},
    {"[1,]", DATA_ESYNTAX, "1:4: unexpected ']', expected a JSON value"},
    {"[1 2]", DATA_ESYNTAX, "1:4: unexpected '2', expected ',' or ']' after an array element"},
    {"{\"a\" 1}", DATA_ESYNTAX, "1:6: unexpected '1', expected ':' after the object key"},
    {"{\"a\":1,}", DATA_ESYNTAX, "1:8: unexpected '}', expected a string key"},
    {"{'a':1}", DATA_ESYNTAX, "1:2: unexpected ''', expected a string key or '}'"},
    {"{\"a\":1", DATA_ESYNTAX, "1:7: unexpected end of input, expected ',' or '}' after an object member"},
    {"[01]", DATA_ESYNTAX, "1:2: leading zeros are not allowed in numbers"},
    {"[1.]", DATA_ESYNTAX, "1:4: unexpected ']', expected a digit after '.'"},
    {"[1e+]", DATA_ESYNTAX, "1:5: unexpected ']', expected a digit in the exponent"},
    {"[-]", DATA_ESYNTAX, "1:3: unexpected ']', expected a digit"},
    {"[+1]", DATA_ESYNTAX, "1:2: unexpected '+', expected a JSON value"},
    {"[.5]", DATA_ESYNTAX, "1:2: unexpected '.', expected a JSON value"},
    {"[NaN]", DATA_ESYNTAX, "1:2: unexpected 'N', expected a JSON value"},
    {"\"abc", DATA_ESYNTAX, "1:1: unterminated string"},
    {"[\"a\tb\"]", DATA_ESYNTAX, "1:4: control character U+0009 must be escaped in a string"},
    {"\"\\x\"", DATA_ESYNTAX, "1:2: invalid escape '\\x' in string"},
    {"\"\\u12g4\"", DATA_ESYNTAX, "1:2: invalid \\u escape (needs 4 hex digits)"},
    {"\"\\ud800\"", DATA_ESYNTAX, "1:2: unpaired high surrogate \\uD800"},
    {"\"\\ud800\\u0041\"", DATA_ESYNTAX, "1:2: unpaired high surrogate \\uD800"},
    {"\"\\udc00\"", DATA_ESYNTAX, "1:2: unpaired low surrogate \\uDC00"},
    {"\"\xff\"", DATA_ESYNTAX, "1:2: invalid UTF-8 byte 0xFF in string"},
    {"\"\xc0\xaf\"", DATA_ESYNTAX, "1:2: invalid UTF-8 byte 0xC0 in string"},         /* overlong '/' */
    {"\"\xed\xa0\x80\"", DATA_ESYNTAX, "1:2: invalid UTF-8 byte 0xED in string"},     /* encoded surrogate */
    {"{\n  \"a\": tru\n}", DATA_ESYNTAX, "2:8: invalid literal (expected 'true')"},
    {"[1] x", DATA_ESYNTAX, "1:5: unexpected 'x', expected end of input after the JSON value"},
    {"{}{}", DATA_ESYNTAX, "1:3: unexpected '{', expected end of input after the JSON value"},
    {"\r\n\r\n  x", DATA_ESYNTAX, "3:3: unexpected 'x', expected a JSON value"},
    {"\r\r[", DATA_ESYNTAX, "3:2: unexpected end of input, expected a JSON value"},
    {"[\x01]", DATA_ESYNTAX, "1:2: unexpected byte 0x01, expected a JSON value"},
};

static void test_json_errors(void)
{
    for (size_t i = 0; i < sizeof json_errors / sizeof json_errors[0]; i++) {
        DataDoc *d = (DataDoc *)1;
        char *err = NULL;
        int rc = data_parse(json_errors[i].in, strlen(json_errors[i].in), DATA_JSON, &d, &err);
        CHECK_MSG(rc == json_errors[i].rc, "case %zu <%s>: rc %d", i, json_errors[i].in, rc);
        CHECK(d == NULL);
        CHECK_STR(err, json_errors[i].msg);
        np_free(err);
    }
    /* A NUL byte outside a string is an error at its exact offset. */
    DataDoc *d;
    char *err = NULL;
    size_t off = 0;
    int rc = data_parse_at("[1,\0]", 5, DATA_JSON, &d, &err, &off);
    CHECK(rc == DATA_ESYNTAX);
    CHECK(off == 3);
    CHECK_STR(err, "1:4: unexpected byte 0x00, expected a JSON value");
    np_free(err);
}

/* ---- JSON values ---- */

static void test_json_values(void)
{
    const char *t = "{\"s\":\"a\\\"\\\\\\/\\b\\f\\n\\r\\t\",\"u\":\"\\u00e9\\ud83d\\ude00\",\"z\":\"x\\u0000y\","
                    "\"i\":9223372036854775807,\"big\":9223372036854775808,\"neg\":-42,\"m0\":-0,"
                    "\"f\":1.5E-2,\"e\":1e3,\"t\":true,\"n\":null,\"raw\":\"\xc3\xa9\xf0\x9f\x98\x80\"}";
    DataDoc *d = parse_ok(t, strlen(t), DATA_JSON);
    if (!d) return;
    CHECK(d->format == DATA_JSON);
    CHECK_STR(data_get_str(d->root, "s"), "a\"\\/\b\f\n\r\t");
    CHECK_STR(data_get_str(d->root, "u"), "\xc3\xa9\xf0\x9f\x98\x80");   /* é + U+1F600 */
    CHECK_STR(data_get_str(d->root, "raw"), "\xc3\xa9\xf0\x9f\x98\x80");
    DataNode *z = data_get(d->root, "z");
    CHECK(z && z->text_len == 3 && memcmp(z->text, "x\0y", 3) == 0);
    long long iv = 0;
    CHECK(data_int(data_get(d->root, "i"), &iv) && iv == 9223372036854775807LL);
    DataNode *big = data_get(d->root, "big");   /* beyond int64: kept as a double, literal kept */
    CHECK(big && big->kind == DATA_FLOAT && big->number > 9.2e18);
    CHECK_STR(big ? big->text : NULL, "9223372036854775808");
    CHECK(data_int(data_get(d->root, "neg"), &iv) && iv == -42);
    CHECK(data_int(data_get(d->root, "m0"), &iv) && iv == 0);
    double fv = 0;
    CHECK(data_float(data_get(d->root, "f"), &fv) && fabs(fv - 0.015) < 1e-12);
    CHECK(data_is(data_get(d->root, "e"), DATA_FLOAT));
    CHECK(data_float(data_get(d->root, "e"), &fv) && fv == 1000.0);
    CHECK(data_float(data_get(d->root, "neg"), &fv) && fv == -42.0);   /* ints read as floats too */
    int bv = 0;
    CHECK(data_bool(data_get(d->root, "t"), &bv) && bv == 1);
    CHECK(data_is(data_get(d->root, "n"), DATA_NULL));
    CHECK(!data_int(data_get(d->root, "s"), &iv));          /* wrong kind -> 0 */
    CHECK(data_str(data_get(d->root, "i")) == NULL);
    CHECK(data_get(d->root, "missing") == NULL);
    data_doc_free(d);

    /* top-level scalars are JSON documents too (RFC 8259), BOM ignored */
    d = parse_ok("\xEF\xBB\xBF 42 ", 7, DATA_JSON);
    CHECK(d && d->root->kind == DATA_INT && d->root->integer == 42 && d->root->start == 4);
    data_doc_free(d);
}

static void test_json_spans(void)
{
    const char *t = "{\n  \"name\": \"quay\",\n  \"list\": [1, {\"k\": null}],\n  \"name\": \"last\"\n}";
    DataDoc *d = parse_ok(t, strlen(t), DATA_JSON);
    if (!d) return;
    CHECK(d->root->start == 0 && d->root->end == strlen(t));
    CHECK(d->root->len == 3);                       /* duplicate keys are all kept, in order */
    const DataMember *m = &d->root->members[0];
    CHECK_STR(span(t, m->key_start, m->key_end), "\"name\"");
    CHECK_STR(span(t, m->value->start, m->value->end), "\"quay\"");
    CHECK_STR(data_get_str(d->root, "name"), "last");   /* the last duplicate wins */
    const DataMember *last = data_get_member(d->root, "name");
    CHECK(last == &d->root->members[2]);
    DataNode *list = data_get(d->root, "list");
    CHECK_STR(list ? span(t, list->start, list->end) : NULL, "[1, {\"k\": null}]");
    DataNode *k = data_path(d->root, "list.1.k");
    CHECK(data_is(k, DATA_NULL));
    CHECK_STR(k ? span(t, k->start, k->end) : NULL, "null");
    CHECK(list && list->weight == 4);   /* list, 1, {..}, null */
    CHECK(data_path(d->root, "list.2") == NULL);
    CHECK(data_path(d->root, "list.x") == NULL);
    CHECK(data_path(d->root, "name.x") == NULL);
    CHECK(data_at(list, 0) && data_at(list, 0)->integer == 1);
    data_doc_free(d);
}

static char *repeat(char ch, size_t n)
{
    char *p = np_malloc(n + 1);
    memset(p, ch, n);
    p[n] = '\0';
    return p;
}

static void test_depth(void)
{
    /* 100000 '[' must fail cleanly at the first level over the limit. */
    char *deep = repeat('[', 100000);
    for (int f = 0; f < 2; f++) {
        DataDoc *d;
        char *err = NULL;
        size_t off = 0;
        int rc = data_parse_at(deep, 100000, f ? DATA_YAML : DATA_JSON, &d, &err, &off);
        CHECK(rc == DATA_ELIMIT);
        CHECK(off == DATA_MAX_DEPTH);
        CHECK_STR(err, "1:513: nesting deeper than 512 levels");
        np_free(err);
    }
    np_free(deep);
    /* exactly the limit is fine in both formats */
    char *ok = np_malloc(2 * DATA_MAX_DEPTH + 1);
    memset(ok, '[', DATA_MAX_DEPTH);
    memset(ok + DATA_MAX_DEPTH, ']', DATA_MAX_DEPTH);
    ok[2 * DATA_MAX_DEPTH] = '\0';
    DataDoc *d = parse_ok(ok, 2 * DATA_MAX_DEPTH, DATA_JSON);
    CHECK(d && d->root->weight == DATA_MAX_DEPTH);
    data_doc_free(d);
    d = parse_ok(ok, 2 * DATA_MAX_DEPTH, DATA_YAML);
    CHECK(d && d->root->weight == DATA_MAX_DEPTH);
    data_doc_free(d);
    np_free(ok);
}

/* ---- YAML ---- */

static const struct { const char *value; DataKind kind; long long i; double f; } yaml_types[] = {
    {"true", DATA_BOOL, 1, 0}, {"True", DATA_BOOL, 1, 0}, {"TRUE", DATA_BOOL, 1, 0},
    {"false", DATA_BOOL, 0, 0}, {"FALSE", DATA_BOOL, 0, 0},
    {"yes", DATA_STRING, 0, 0}, {"on", DATA_STRING, 0, 0}, {"tRue", DATA_STRING, 0, 0},   /* 1.1 only */
    {"~", DATA_NULL, 0, 0}, {"null", DATA_NULL, 0, 0}, {"NULL", DATA_NULL, 0, 0}, {"", DATA_NULL, 0, 0},
    {"nULL", DATA_STRING, 0, 0},
    {"0", DATA_INT, 0, 0}, {"-12", DATA_INT, -12, 0}, {"+12", DATA_INT, 12, 0},
    {"012", DATA_INT, 12, 0},                                   /* 1.2: decimal, not octal */
    {"0o17", DATA_INT, 15, 0}, {"0x1F", DATA_INT, 31, 0}, {"0x", DATA_STRING, 0, 0},
    {"1_000", DATA_STRING, 0, 0}, {"0b101", DATA_STRING, 0, 0}, {"1:20", DATA_STRING, 0, 0},
    {"9223372036854775807", DATA_INT, 9223372036854775807LL, 0},
    {"99999999999999999999", DATA_FLOAT, 0, 1e20},
    {"1.5", DATA_FLOAT, 0, 1.5}, {".5", DATA_FLOAT, 0, 0.5}, {"1.", DATA_FLOAT, 0, 1.0},
    {"-1e3", DATA_FLOAT, 0, -1000.0}, {"1E+2", DATA_FLOAT, 0, 100.0}, {"1e", DATA_STRING, 0, 0},
    {".", DATA_STRING, 0, 0}, {"3.14.15", DATA_STRING, 0, 0},
    {".inf", DATA_FLOAT, 0, INFINITY}, {"-.Inf", DATA_FLOAT, 0, -INFINITY}, {"+.INF", DATA_FLOAT, 0, INFINITY},
    {"1.10", DATA_FLOAT, 0, 1.1},
    {"'true'", DATA_STRING, 0, 0}, {"\"12\"", DATA_STRING, 0, 0}, {"!!str 12", DATA_STRING, 0, 0},
    {"! 12", DATA_STRING, 0, 0}, {"|\n  12\n", DATA_STRING, 0, 0},
    {"quay.io/org/img:1.0", DATA_STRING, 0, 0},
};

static void test_yaml_types(void)
{
    for (size_t i = 0; i < sizeof yaml_types / sizeof yaml_types[0]; i++) {
        char doc[128];
        snprintf(doc, sizeof doc, "v: %s", yaml_types[i].value);
        DataDoc *d = parse_ok(doc, strlen(doc), DATA_YAML);
        if (!d) continue;
        DataNode *v = data_get(d->root, "v");
        CHECK_MSG(v && v->kind == yaml_types[i].kind, "<%s>: kind %s", yaml_types[i].value,
                  v ? data_kind_name(v->kind) : "none");
        if (v && v->kind == DATA_INT) CHECK_MSG(v->integer == yaml_types[i].i, "<%s>", yaml_types[i].value);
        if (v && v->kind == DATA_BOOL) CHECK(v->boolean == (int)yaml_types[i].i);
        if (v && v->kind == DATA_FLOAT) CHECK_MSG(v->number == yaml_types[i].f || fabs(v->number - yaml_types[i].f) < 1e-9 * fabs(yaml_types[i].f),
                                                 "<%s>: %g", yaml_types[i].value, v->number);
        data_doc_free(d);
    }
    DataDoc *d = parse_ok("v: .nan", 7, DATA_YAML);
    CHECK(d && data_get(d->root, "v")->kind == DATA_FLOAT && isnan(data_get(d->root, "v")->number));
    CHECK_STR(d ? data_get(d->root, "v")->text : NULL, ".nan");   /* the literal is kept */
    data_doc_free(d);
}

static void test_yaml_spans(void)
{
    /* UTF-8 before the nodes: spans are bytes, not characters (libyaml counts characters). */
    const char *t = "\xEF\xBB\xBF# caf\xc3\xa9\nn\xc3\xa9: \"\xf0\x9f\x98\x80\"\nlist:\n  - a\n  - {k: 1}\nempty:\nlast: z\n";
    DataDoc *d = parse_ok(t, strlen(t), DATA_YAML);
    if (!d) return;
    CHECK(d->format == DATA_YAML);
    CHECK(d->root->kind == DATA_OBJECT && d->root->len == 4);
    const DataMember *m = &d->root->members[0];
    CHECK_STR(m->key, "n\xc3\xa9");
    CHECK_STR(span(t, m->key_start, m->key_end), "n\xc3\xa9");
    CHECK_STR(span(t, m->value->start, m->value->end), "\"\xf0\x9f\x98\x80\"");
    DataNode *list = data_get(d->root, "list");
    /* a block collection ends with its last child, not at the next key */
    CHECK_STR(list ? span(t, list->start, list->end) : NULL, "- a\n  - {k: 1}");
    DataNode *k = data_path(d->root, "list.1.k");
    CHECK(k && k->kind == DATA_INT && k->integer == 1);
    CHECK_STR(k ? span(t, k->start, k->end) : NULL, "1");
    DataNode *empty = data_get(d->root, "empty");
    CHECK(data_is(empty, DATA_NULL) && empty->start == empty->end);
    CHECK_STR(span(t, d->root->members[3].key_start, d->root->members[3].value->end), "last: z");
    CHECK_STR(span(t, d->root->start, d->root->end), "n\xc3\xa9: \"\xf0\x9f\x98\x80\"\nlist:\n  - a\n  - {k: 1}\nempty:\nlast: z");
    data_doc_free(d);
}

static const struct { const char *in; int rc; const char *msg; } yaml_errors[] = {
    {"a: b: c", DATA_ESYNTAX, "1:5: mapping values are not allowed in this context"},
    {"k: [1, 2\n", DATA_ESYNTAX, "2:1: did not find expected ',' or ']' (while parsing a flow sequence at 1:4)"},
    {"\xc3\xa9\xc3\xa9: ]", DATA_ESYNTAX, "1:7: did not find expected node content (while parsing a block node at 1:7)"},
    {"k: \"\xff\"", DATA_ESYNTAX, "1:5: invalid leading UTF-8 octet (#FF)"},
    {"a: 1\nb: *nope\n", DATA_ESYNTAX, "2:4: alias '*nope' refers to an unknown anchor"},
    {"a: 1\n---\nb: 2\n", DATA_ESYNTAX, "2:1: more than one YAML document in the stream"},
    {"? [a, b]\n: c\n", DATA_ESYNTAX, "1:3: mapping keys that are collections are not supported"},
    /* an anchor cannot be used inside itself: no cycles */
    {"a: &x [1, *x]", DATA_ESYNTAX, "1:11: alias '*x' refers to an unknown anchor"},
};

static void test_yaml_errors(void)
{
    for (size_t i = 0; i < sizeof yaml_errors / sizeof yaml_errors[0]; i++) {
        DataDoc *d = (DataDoc *)1;
        char *err = NULL;
        int rc = data_parse(yaml_errors[i].in, strlen(yaml_errors[i].in), DATA_YAML, &d, &err);
        CHECK_MSG(rc == yaml_errors[i].rc, "case %zu: rc %d", i, rc);
        CHECK(d == NULL);
        CHECK_STR(err, yaml_errors[i].msg);
        np_free(err);
    }
}

static void test_yaml_anchors(void)
{
    const char *t = "base: &b {registry: quay.io, user: bot}\ncopy: *b\nname: &n hub\nnames: [*n, *n]\n";
    DataDoc *d = parse_ok(t, strlen(t), DATA_YAML);
    if (!d) return;
    DataNode *base = data_get(d->root, "base"), *copy = data_get(d->root, "copy");
    CHECK(copy && copy->kind == DATA_OBJECT && copy->alias_of == base);
    CHECK_STR(data_get_str(copy, "registry"), "quay.io");
    CHECK_STR(copy ? span(t, copy->start, copy->end) : NULL, "*b");   /* the alias's own span */
    CHECK_STR(data_path(d->root, "names.1") ? data_str(data_path(d->root, "names.1")) : NULL, "hub");
    /* expanded weight counts aliased subtrees again: root + 4 values (3 + 3 + 1 + 3) */
    CHECK(d->root->weight == 1 + 3 + 3 + 1 + 3);
    data_doc_free(d);

    /* anchors may be redefined; an alias refers to the latest definition */
    const char *r = "a: &x 1\nb: &x 2\nc: *x\n";
    d = parse_ok(r, strlen(r), DATA_YAML);
    CHECK(d && data_get(d->root, "c")->integer == 2);
    data_doc_free(d);
}

static void test_billion_laughs(void)
{
    const char *t =
        "a: &a [x, x, x, x, x, x, x, x, x]\n"
        "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
        "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
        "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
        "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
        "f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
        "g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]\n"
        "h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]\n"
        "i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]\n";
    DataDoc *d;
    char *err = NULL;
    int rc = data_parse(t, strlen(t), DATA_YAML, &d, &err);
    CHECK(rc == DATA_ELIMIT);
    CHECK(err && strstr(err, "aliases expand to more than 1000000 nodes"));
    /* level g holds 9^6 x's: the cap trips while reading line 7 */
    CHECK(err && strncmp(err, "7:", 2) == 0);
    np_free(err);
    /* a few levels are fine */
    d = parse_ok(t, (size_t)(strstr(t, "d:") - t), DATA_YAML);
    CHECK(d && d->root->len == 3);
    data_doc_free(d);
}

static void test_auto(void)
{
    static const struct { const char *in; DataFormat fmt; } cases[] = {
        {"{\"a\": 1}", DATA_JSON}, {"  [1, 2]", DATA_JSON},
        {"{a: 1}", DATA_YAML},     /* flow YAML, not JSON */
        {"a: 1", DATA_YAML}, {"- x", DATA_YAML},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        DataDoc *d = parse_ok(cases[i].in, strlen(cases[i].in), DATA_AUTO);
        CHECK_MSG(d && d->format == cases[i].fmt, "<%s>", cases[i].in);
        data_doc_free(d);
    }
    /* JSON-looking text that is neither: the JSON message is reported */
    DataDoc *d;
    char *err = NULL;
    CHECK(data_parse("{\"a\": [1,, 2]}", 14, DATA_AUTO, &d, &err) == DATA_ESYNTAX);
    CHECK_STR(err, "1:10: unexpected ',', expected a JSON value");
    np_free(err);
    /* An empty YAML stream is a null document */
    d = parse_ok("", 0, DATA_AUTO);
    CHECK(d && d->root->kind == DATA_NULL);
    data_doc_free(d);
}

static void test_wipe(void)
{
    const char *t = "{\"password\": \"CANARY-123\", \"n\": 12345}";
    DataDoc *d = parse_ok(t, strlen(t), DATA_JSON);
    if (!d) return;
    DataNode *pw = data_get(d->root, "password");
    const char *txt = pw->text;
    data_doc_wipe(d);
    CHECK(txt[0] == '\0' && memchr(txt, 'C', 10) == NULL);
    CHECK(d->root->members[0].key[0] == '\0');
    data_doc_free(d);
}

/* Fail every allocation in turn: the parser must return ENOMEM (or succeed
 * once enough allocations pass) and never crash or leak (valgrind checks). */
static void test_alloc_failures(void)
{
    const char *docs[] = {
        "{\"credentials\": [{\"name\": \"a\", \"keys\": {\"registry\": \"quay.io\"}}, 1, 2.5, [true, null]]}",
        "a: &x {k: [1, 2, \"s\"]}\nb: *x\nc: {d: e}\n",
    };
    for (int f = 0; f < 2; f++) {
        int succeeded = 0;
        for (unsigned long n = 1; n < 200 && !succeeded; n++) {
            alloc_fail_at(n);
            DataDoc *d = NULL;
            char *err = NULL;
            int rc = data_parse(docs[f], strlen(docs[f]), f ? DATA_YAML : DATA_JSON, &d, &err);
            alloc_fail_at(0);
            CHECK_MSG(rc == DATA_OK || rc == DATA_ENOMEM, "fail at %lu: rc %d", n, rc);
            if (rc == DATA_OK) {
                succeeded = 1;
                CHECK(d && d->root->kind == DATA_OBJECT);
            } else {
                CHECK(d == NULL);
            }
            data_doc_free(d);
            np_free(err);
        }
        CHECK(succeeded);
    }
}

int main(void)
{
    test_json_errors();
    test_json_values();
    test_json_spans();
    test_depth();
    test_yaml_types();
    test_yaml_spans();
    test_yaml_errors();
    test_yaml_anchors();
    test_billion_laughs();
    test_auto();
    test_wipe();
    test_alloc_failures();
    TEST_MAIN_END();
}
