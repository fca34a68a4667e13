#include "params.h"
#include "alloc.h"
#include "source.h"
#include "strbuf.h"
#include <string.h>

Value *params_from_data(Arena *a, const DataNode *n)
{
    if (!n) return value_new(a, V_NULL);
    switch (n->kind) {
    case DATA_NULL: return value_new(a, V_NULL);
    case DATA_BOOL: return value_bool(a, n->boolean);
    case DATA_INT: return value_int(a, n->integer);
    case DATA_FLOAT: {
        Value *v = value_new(a, V_DECIMAL);
        if (!v) return NULL;
        v->f = n->number;
        v->s = arena_strndup(a, n->text ? n->text : "0", n->text ? n->text_len : 1);
        v->len = n->text ? n->text_len : 1;
        return v;
    }
    case DATA_STRING: return value_string(a, n->text, n->text_len);
    case DATA_ARRAY: {
        Value *l = value_new(a, V_LIST);
        if (!l) return NULL;
        for (size_t i = 0; i < n->len; i++) {
            Value *item = params_from_data(a, n->items[i]);
            if (!item || !value_list_push(a, l, item)) return NULL;
        }
        return l;
    }
    case DATA_OBJECT: {
        Value *m = value_new(a, V_SCOPE);
        if (!m) return NULL;
        for (size_t i = 0; i < n->len; i++) {
            Value *v = params_from_data(a, n->members[i].value);
            if (!v || !value_set(a, m, n->members[i].key, n->members[i].key_len, v, NULL)) return NULL;
        }
        return m;
    }
    }
    return NULL;
}

int params_merge_text(Arena *a, Value *params, const char *name, const char *text, size_t len, char **err)
{
    DataDoc *doc = NULL;
    char *perr = NULL;
    *err = NULL;
    if (data_parse(text, len, DATA_AUTO, &doc, &perr) != DATA_OK) {
        StrBuf b = STRBUF_INIT;
        strbuf_printf(&b, "%s:%s", name, perr ? perr : " out of memory");
        *err = strbuf_take(&b);
        np_free(perr);
        return -1;
    }
    int rc = 0;
    if (doc->root && doc->root->kind == DATA_OBJECT) {
        Value *v = params_from_data(a, doc->root);
        if (!v || !value_merge(a, params, v)) rc = -1;
    } else if (doc->root && doc->root->kind != DATA_NULL) {
        StrBuf b = STRBUF_INIT;
        strbuf_printf(&b, "%s: params file must hold a mapping of names to values", name);
        *err = strbuf_take(&b);
        rc = -1;
    }
    data_doc_free(doc);
    return rc;
}

int params_merge_file(Arena *a, Value *params, const char *path, char **err)
{
    int e;
    Source *src = source_load(path, NULL, &e);
    if (!src) {
        StrBuf b = STRBUF_INIT;
        strbuf_printf(&b, "%s: %s", path, source_strerror(e));
        *err = strbuf_take(&b);
        return -1;
    }
    int rc = params_merge_text(a, params, path, src->text, src->len, err);
    source_free(src);
    return rc;
}
