/* fuzz_data — the JSON/YAML reader. Every input is read as JSON, as YAML and
 * with autodetection. Invariants: success gives a root and no error text;
 * failure gives no document; every node span lies inside the input; the
 * error offset (when given) lies inside the input (or at its end). */
#include "fuzz_common.h"
#include "data.h"

static void check_spans(const DataNode *n, size_t len, int depth)
{
    FUZZ_REQUIRE(depth <= DATA_MAX_DEPTH + 1);
    FUZZ_REQUIRE(n->start <= n->end && n->end <= len);
    if (n->alias_of) return;   /* shared subtree, checked at its anchor */
    if (n->kind == DATA_ARRAY)
        for (size_t i = 0; i < n->len; i++) check_spans(n->items[i], len, depth + 1);
    if (n->kind == DATA_OBJECT)
        for (size_t i = 0; i < n->len; i++) {
            const DataMember *m = &n->members[i];
            FUZZ_REQUIRE(m->key != NULL);
            FUZZ_REQUIRE(m->key_start <= m->key_end && m->key_end <= len);
            check_spans(m->value, len, depth + 1);
        }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const DataFormat fmts[] = { DATA_JSON, DATA_YAML, DATA_AUTO };
    for (size_t f = 0; f < 3; f++) {
        DataDoc *doc = NULL;
        char *err = NULL;
        size_t at = 0;
        int rc = data_parse_at((const char *)data, size, fmts[f], &doc, &err, &at);
        if (rc == DATA_OK) {
            FUZZ_REQUIRE(doc != NULL && doc->root != NULL && err == NULL);
            check_spans(doc->root, size, 0);
            (void)data_path(doc->root, "a.0.b");
            data_doc_wipe(doc);
            data_doc_free(doc);
        } else {
            FUZZ_REQUIRE(doc == NULL);
            FUZZ_REQUIRE(rc == DATA_ESYNTAX || rc == DATA_ELIMIT || rc == DATA_ENOMEM);
            FUZZ_REQUIRE(at <= size);
            if (rc != DATA_ENOMEM) FUZZ_REQUIRE(err != NULL || alloc_failed());
            np_free(err);
        }
    }
    unsigned line, col;
    data_linecol((const char *)data, size, size, &line, &col);
    FUZZ_REQUIRE(line >= 1 && col >= 1);
    return 0;
}
