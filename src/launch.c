#include "launch.h"
#include "alloc.h"
#include "data.h"
#include "edit.h"
#include "source.h"

#include <string.h>

/* "NAME:LINE:COL: message" for an offset in text. */
static char *located(const char *name, const char *text, size_t len, size_t off, const char *what)
{
    unsigned line = 1, col = 1;
    data_linecol(text, len, off, &line, &col);
    StrBuf b = STRBUF_INIT;
    strbuf_printf(&b, "%s:%u:%u: %s", name, line, col, what);
    return strbuf_take(&b);
}

static char *dup_bytes(const char *s, size_t n)
{
    char *p = np_malloc(n + 1);
    if (!p) return NULL;
    if (n) memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

void launch_info_free(LaunchInfo *info)
{
    if (!info) return;
    np_free(info->config_text);
    for (size_t i = 0; i < info->nprofiles; i++) np_free(info->profiles[i]);
    np_free(info->profiles);
    np_free(info->params_text);
    memset(info, 0, sizeof *info);
}

static int push_profile(LaunchInfo *out, const char *s, size_t n)
{
    while (n && (*s == ' ' || *s == '\t')) { s++; n--; }
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t')) n--;
    if (!n) return 1;                       /* empty names are dropped, as -profile does */
    char **v = np_realloc(out->profiles, (out->nprofiles + 1) * sizeof *v);
    if (!v) return 0;
    out->profiles = v;
    if (!(v[out->nprofiles] = dup_bytes(s, n))) return 0;
    out->nprofiles++;
    return 1;
}

static LaunchTextStyle style_of(const DataDoc *doc, const DataNode *n, const char *text)
{
    if (doc->format == DATA_JSON) return LAUNCH_STYLE_JSON;
    if (n->alias_of) return LAUNCH_STYLE_YAML_ALIAS;
    switch (text[n->start]) {
    case '|': return LAUNCH_STYLE_YAML_LITERAL;
    case '>': return LAUNCH_STYLE_YAML_FOLDED;
    case '"': return LAUNCH_STYLE_YAML_DOUBLE;
    case '\'': return LAUNCH_STYLE_YAML_SINGLE;
    case '*': return LAUNCH_STYLE_YAML_ALIAS;
    default: return LAUNCH_STYLE_YAML_PLAIN;
    }
}

int launch_parse(const char *name, const char *text, size_t len, LaunchInfo *out, char **err)
{
    memset(out, 0, sizeof *out);
    *err = NULL;
    DataDoc *doc = NULL;
    char *perr = NULL;
    size_t eoff = 0;
    int rc = data_parse_at(text, len, DATA_AUTO, &doc, &perr, &eoff);
    if (rc != DATA_OK) {
        if (rc == DATA_ENOMEM) { np_free(perr); return -1; }
        StrBuf b = STRBUF_INIT;
        strbuf_printf(&b, "%s:%s", name, perr ? perr : " not a JSON or YAML document");
        np_free(perr);
        *err = strbuf_take(&b);
        return -1;
    }
    const DataNode *root = doc->root;
    const DataNode *obj = root;
    const char *problem = NULL;
    size_t where = root ? root->start : 0;
    if (!data_is(root, DATA_OBJECT)) {
        problem = "a launch file must hold a JSON or YAML object";
        goto bad;
    }
    const DataNode *wrapped = data_get(root, "launch");
    if (wrapped) {
        if (!data_is(wrapped, DATA_OBJECT)) {
            problem = "'launch' must be an object";
            where = wrapped->start;
            goto bad;
        }
        obj = wrapped;
        out->shape = LAUNCH_SHAPE_WRAPPED;
    }
    out->is_yaml = doc->format == DATA_YAML;
    out->obj_start = obj->start;
    out->obj_end = obj->end;
    out->obj_is_flow = text[obj->start] == '{';
    out->nmembers = obj->len;
    out->first_key_start = obj->len ? obj->members[0].key_start : obj->start + 1;

    const DataNode *ct = data_get(obj, "configText");
    if (ct && ct->kind == DATA_STRING) {
        out->config_text = dup_bytes(ct->text, ct->text_len);
        if (!out->config_text) goto oom;
        out->config_len = ct->text_len;
        out->text_start = ct->start;
        out->text_end = ct->end;
        out->text_style = style_of(doc, ct, text);
    } else if (ct && ct->kind != DATA_NULL) {
        problem = "configText must be a string";
        where = ct->start;
        goto bad;
    }
    const DataNode *cp = data_get(obj, "configProfiles");
    if (cp && cp->kind == DATA_ARRAY) {
        for (size_t i = 0; i < cp->len; i++) {
            const DataNode *it = cp->items[i];
            if (it->kind != DATA_STRING) {
                problem = "configProfiles must be a list of profile names";
                where = it->start;
                goto bad;
            }
            if (!push_profile(out, it->text, it->text_len)) goto oom;
        }
    } else if (cp && cp->kind == DATA_STRING) {
        /* lenient: "a,b" as -profile takes it */
        const char *s = cp->text;
        size_t n = cp->text_len, st = 0;
        for (size_t i = 0; i <= n; i++) {
            if (i == n || s[i] == ',') {
                if (!push_profile(out, s + st, i - st)) goto oom;
                st = i + 1;
            }
        }
    } else if (cp && cp->kind != DATA_NULL) {
        problem = "configProfiles must be a list of profile names";
        where = cp->start;
        goto bad;
    }
    const DataNode *pt = data_get(obj, "paramsText");
    if (pt && pt->kind == DATA_STRING) {
        if (!(out->params_text = dup_bytes(pt->text, pt->text_len))) goto oom;
        out->params_len = pt->text_len;
    } else if (pt && pt->kind != DATA_NULL) {
        problem = "paramsText must be a string holding JSON or YAML";
        where = pt->start;
        goto bad;
    }
    data_doc_free(doc);
    return 0;

bad:
    *err = located(name, text, len, where, problem);
    data_doc_free(doc);
    launch_info_free(out);
    return -1;
oom:
    data_doc_free(doc);
    launch_info_free(out);
    return -1;
}

int launch_read(const char *path, LaunchInfo *out, char **err)
{
    int e;
    memset(out, 0, sizeof *out);
    Source *s = source_load(path, NULL, &e);
    if (!s) {
        StrBuf b = STRBUF_INIT;
        strbuf_printf(&b, "%s: %s", path, source_strerror(e));
        *err = strbuf_take(&b);
        return -1;
    }
    int rc = launch_parse(path, s->text, s->len, out, err);
    source_free(s);
    return rc;
}

/* ---------------- writing configText back ---------------- */

void launch_yaml_quote(StrBuf *b, const char *s, size_t n)
{
    strbuf_putc(b, '"');
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        switch (c) {
        case '"': strbuf_puts(b, "\\\""); continue;
        case '\\': strbuf_puts(b, "\\\\"); continue;
        case '\n': strbuf_puts(b, "\\n"); continue;
        case '\r': strbuf_puts(b, "\\r"); continue;
        case '\t': strbuf_puts(b, "\\t"); continue;
        case 0: strbuf_puts(b, "\\0"); continue;
        default: break;
        }
        if (c < 0x20 || c == 0x7f) {
            strbuf_printf(b, "\\x%02x", c);
        } else if (c == 0xc2 && i + 1 < n && (unsigned char)s[i + 1] == 0x85) {
            strbuf_puts(b, "\\N");          /* NEL is a line break to YAML 1.1 readers */
            i++;
        } else if (c == 0xe2 && i + 2 < n && (unsigned char)s[i + 1] == 0x80 &&
                   ((unsigned char)s[i + 2] == 0xa8 || (unsigned char)s[i + 2] == 0xa9)) {
            strbuf_puts(b, (unsigned char)s[i + 2] == 0xa8 ? "\\L" : "\\P");
            i += 2;
        } else if (c == 0xef && i + 2 < n && (unsigned char)s[i + 1] == 0xbb && (unsigned char)s[i + 2] == 0xbf) {
            strbuf_puts(b, "\\uFEFF");
            i += 2;
        } else {
            strbuf_putc(b, (char)c);
        }
    }
    strbuf_putc(b, '"');
}

/* 1 when `text` can be written as a literal block scalar unchanged. */
static int block_representable(const char *t, size_t n)
{
    if (n == 0) return 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)t[i];
        if (c == '\n' || c == '\t') continue;
        if (c < 0x20 || c == 0x7f) return 0;            /* includes CR: a block would lose it */
        if (c == 0xc2 && i + 1 < n && (unsigned char)t[i + 1] == 0x85) return 0;
        if (c == 0xe2 && i + 2 < n && (unsigned char)t[i + 1] == 0x80 &&
            ((unsigned char)t[i + 2] == 0xa8 || (unsigned char)t[i + 2] == 0xa9)) return 0;
        if (c == 0xef && i + 2 < n && (unsigned char)t[i + 1] == 0xbb && (unsigned char)t[i + 2] == 0xbf) return 0;
    }
    return 1;
}

/* A literal block replacing the old block span [s, e) of doc: the old
 * header's comment and the blank lines after the old content are kept.
 * Returns 0 when the text cannot be written as a block here. */
static int yaml_block(StrBuf *b, const char *doc, size_t s, size_t e, const char *t, size_t n)
{
    if (!block_representable(t, n)) return 0;
    const char *nl = edit_newline(doc, e);
    /* header line: indicator(s), then maybe spaces and a comment */
    size_t h = s;
    while (h < e && doc[h] != '\n' && doc[h] != '\r') h++;
    const char *comment = NULL;
    size_t clen = 0;
    for (size_t i = s; i < h; i++) {
        if (doc[i] == '#' && i > s && (doc[i - 1] == ' ' || doc[i - 1] == '\t')) {
            size_t k = i;
            while (k > s && (doc[k - 1] == ' ' || doc[k - 1] == '\t')) k--;
            comment = doc + k;
            clen = h - k;
            break;
        }
    }
    /* indentation of the old content */
    size_t i = h;
    size_t indent = 0, last_content_end = 0;
    int found = 0;
    while (i < e) {
        if (doc[i] == '\r') i++;
        if (i < e && doc[i] == '\n') i++;
        size_t ls = i, sp = 0;
        while (i < e && doc[i] == ' ') { i++; sp++; }
        int content = 0;
        while (i < e && doc[i] != '\n' && doc[i] != '\r') { if (doc[i] != ' ' && doc[i] != '\t') content = 1; i++; }
        if (content) {
            if (!found) { indent = sp; found = 1; }
            last_content_end = i;
        }
        (void)ls;
    }
    if (!found || indent == 0 || indent > 9) return 0;
    /* the blank lines after the old content, kept unless the new value keeps
     * its trailing newlines (they would become part of it) */
    size_t tail = last_content_end;
    if (tail < e && doc[tail] == '\r') tail++;
    if (tail < e && doc[tail] == '\n') tail++;

    size_t trailing = 0;
    while (trailing < n && t[n - 1 - trailing] == '\n') trailing++;
    if (trailing == n) return 0;                       /* only newlines: keep it simple */
    const char *chomp = trailing == 0 ? "-" : trailing == 1 ? "" : "+";
    /* the first line decides the indentation unless told: spaces there need an indicator */
    size_t first = 0;
    while (first < n && t[first] == '\n') first++;
    int need_indicator = t[first] == ' ';

    strbuf_putc(b, '|');
    if (need_indicator) strbuf_printf(b, "%zu", indent);
    strbuf_puts(b, chomp);
    if (comment) strbuf_append(b, comment, clen);
    strbuf_puts(b, nl);
    size_t ls = 0;
    for (size_t k = 0; k <= n; k++) {
        if (k == n || t[k] == '\n') {
            if (k == n && ls == n) break;              /* after the final newline */
            if (k > ls) {
                for (size_t sp = 0; sp < indent; sp++) strbuf_putc(b, ' ');
                strbuf_append(b, t + ls, k - ls);
            }
            strbuf_puts(b, nl);
            ls = k + 1;
        }
    }
    if (trailing < 2) strbuf_append(b, doc + tail, e - tail);
    return 1;
}

static int same_strings(char *const *a, size_t na, char *const *b, size_t nb)
{
    if (na != nb) return 0;
    for (size_t i = 0; i < na; i++)
        if (strcmp(a[i], b[i])) return 0;
    return 1;
}

/* Parses the candidate and compares what it carries with what was asked for. */
static int verify(const char *name, const StrBuf *cand, const LaunchInfo *info, const char *t, size_t n)
{
    LaunchInfo again;
    char *err = NULL;
    if (launch_parse(name, cand->data ? cand->data : "", cand->len, &again, &err) != 0) {
        np_free(err);
        return 0;
    }
    int ok = again.config_text && again.config_len == n && memcmp(again.config_text, t, n) == 0 &&
             same_strings(again.profiles, again.nprofiles, info->profiles, info->nprofiles) &&
             (again.params_text == NULL) == (info->params_text == NULL) &&
             (!info->params_text || (again.params_len == info->params_len &&
                                     memcmp(again.params_text, info->params_text, info->params_len) == 0));
    launch_info_free(&again);
    return ok;
}

static int splice_one(StrBuf *out, const char *doc, size_t len, size_t s, size_t e, const StrBuf *repl)
{
    strbuf_append(out, doc, s);
    strbuf_append(out, repl->data ? repl->data : "", repl->len);
    strbuf_append(out, doc + e, len - e);
    return !strbuf_failed(out);
}

int launch_patch_config_text(const char *name, const char *doc, size_t len, const LaunchInfo *info,
                             const char *text, size_t tlen, StrBuf *out, char **err)
{
    *err = NULL;
    StrBuf repl = STRBUF_INIT, cand = STRBUF_INIT;
    int ok = 0;
    if (info->config_text) {
        size_t s = info->text_start, e = info->text_end;
        if (!info->is_yaml) {
            strbuf_json_str(&repl, text, tlen);
            ok = splice_one(&cand, doc, len, s, e, &repl) && verify(name, &cand, info, text, tlen);
        } else {
            if (info->text_style == LAUNCH_STYLE_YAML_LITERAL || info->text_style == LAUNCH_STYLE_YAML_FOLDED) {
                if (yaml_block(&repl, doc, s, e, text, tlen))
                    ok = splice_one(&cand, doc, len, s, e, &repl) && verify(name, &cand, info, text, tlen);
                if (!ok) {
                    strbuf_free(&repl);
                    strbuf_free(&cand);
                    /* a double-quoted scalar in place of a block: keep the line
                     * break that ended the block, so the next key stays put */
                    size_t h = e;
                    while (h > s && (doc[h - 1] == '\n' || doc[h - 1] == '\r' || doc[h - 1] == ' ')) h--;
                    launch_yaml_quote(&repl, text, tlen);
                    strbuf_puts(&repl, edit_newline(doc, len));
                    size_t keep = h;
                    while (keep < e && doc[keep] != '\n') keep++;
                    if (keep < e) keep++;
                    /* blank lines that followed the block stay */
                    ok = splice_one(&cand, doc, len, s, keep, &repl) && verify(name, &cand, info, text, tlen);
                }
            } else {
                launch_yaml_quote(&repl, text, tlen);
                ok = splice_one(&cand, doc, len, s, e, &repl) && verify(name, &cand, info, text, tlen);
            }
        }
    } else {
        /* add the member in front of the first one, in the object's own layout */
        const char *nl = edit_newline(doc, len);
        size_t at = info->first_key_start;
        size_t ls = edit_line_start(doc, at);
        if (info->obj_is_flow) {
            strbuf_puts(&repl, "\"configText\": ");
            strbuf_json_str(&repl, text, tlen);
            if (info->nmembers) {
                int own_line = 1;
                for (size_t i = ls; i < at; i++) own_line &= doc[i] == ' ' || doc[i] == '\t';
                strbuf_putc(&repl, ',');
                if (own_line) { strbuf_puts(&repl, nl); strbuf_append(&repl, doc + ls, at - ls); }
                else strbuf_putc(&repl, ' ');
            }
        } else {
            strbuf_puts(&repl, "configText: ");
            launch_yaml_quote(&repl, text, tlen);
            strbuf_puts(&repl, nl);
            for (size_t i = ls; i < at; i++) strbuf_putc(&repl, ' ');
        }
        ok = splice_one(&cand, doc, len, at, at, &repl) && verify(name, &cand, info, text, tlen);
    }
    if (ok) strbuf_append(out, cand.data, cand.len);
    else if (!strbuf_failed(&repl) && !strbuf_failed(&cand)) {
        StrBuf b = STRBUF_INIT;
        strbuf_printf(&b, "%s: could not write configText back without changing other fields", name);
        *err = strbuf_take(&b);
    }
    int failed = strbuf_failed(out);
    strbuf_free(&repl);
    strbuf_free(&cand);
    return ok && !failed ? 0 : -1;
}
