#include "params.h"
#include "alloc.h"
#include "source.h"
#include "strbuf.h"
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

static int equals_nocase(const char *s, size_t len, const char *word)
{
    size_t n = strlen(word);
    if (len != n) return 0;
    for (size_t i = 0; i < n; i++)
        if (tolower((unsigned char)s[i]) != word[i]) return 0;
    return 1;
}

/* A number in the text: 1 integer, 2 decimal, 0 neither. `groovy_forms`
 * admits what Groovy's String.isInteger/isBigDecimal accept beyond the v1
 * pattern -?\d+(\.\d+)? : a plus sign, surrounding blanks, `.5`, an exponent. */
static int number_form(const char *s, size_t len, int groovy_forms)
{
    size_t i = 0, digits = 0, frac = 0;
    if (groovy_forms) {
        while (len && isspace((unsigned char)s[len - 1])) len--;
        while (i < len && isspace((unsigned char)s[i])) i++;
    }
    if (i < len && (s[i] == '-' || (groovy_forms && s[i] == '+'))) i++;
    for (; i < len && isdigit((unsigned char)s[i]); i++) digits++;
    if (i < len && s[i] == '.') {
        for (i++; i < len && isdigit((unsigned char)s[i]); i++) frac++;
        if (!frac || (!digits && !groovy_forms)) return 0;
    }
    if (!digits && !frac) return 0;
    int decimal = frac > 0;
    if (groovy_forms && i < len && (s[i] == 'e' || s[i] == 'E')) {
        size_t j = i + 1, ed = 0;
        if (j < len && (s[j] == '+' || s[j] == '-')) j++;
        for (; j < len && isdigit((unsigned char)s[j]); j++) ed++;
        if (!ed) return 0;
        i = j;
        decimal = 1;
    }
    return i == len ? 1 + decimal : 0;
}

/* The integer or decimal value of text already known to be of that form;
 * an integer too large for 64 bits stays a decimal (Groovy: BigInteger). */
static Value *number_value(Arena *a, const char *text, size_t len, int form)
{
    char buf[128];
    if (len >= sizeof buf) return NULL;
    memcpy(buf, text, len);
    buf[len] = '\0';
    if (form == 1) {
        char *end;
        errno = 0;
        long long x = strtoll(buf, &end, 10);
        if (!errno) return value_int(a, x);
    }
    Value *v = value_new(a, V_DECIMAL);
    if (!v) return NULL;
    v->f = strtod(buf, NULL);
    v->s = arena_strndup(a, text, len);
    v->len = v->s ? len : 0;
    return v->s ? v : NULL;
}

Value *params_cli_value_v1(Arena *a, const char *text, size_t len)
{
    if (equals_nocase(text, len, "true") || equals_nocase(text, len, "false"))
        return value_bool(a, tolower((unsigned char)text[0]) == 't');
    int form = number_form(text, len, 0);
    Value *v = form ? number_value(a, text, len, form) : NULL;
    return v ? v : value_string(a, text, len);
}

Value *params_as_declared_type(Arena *a, Value *cli, const Value *declared)
{
    if (!cli || cli->kind != V_STRING || cli->nitems || !declared) return cli;
    if (declared->kind == V_BOOL) {
        if (equals_nocase(cli->s, cli->len, "true")) return value_bool(a, 1);
        if (equals_nocase(cli->s, cli->len, "false")) return value_bool(a, 0);
    } else if (declared->kind == V_INT || declared->kind == V_DECIMAL) {
        int form = number_form(cli->s, cli->len, 1);
        Value *v = form ? number_value(a, cli->s, cli->len, form) : NULL;
        if (v) return v;
    }
    return cli;
}

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
