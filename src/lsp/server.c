/* server — the language server's state and message handlers. One thread:
 * messages are handled in order; re-checking is deferred while more input is
 * already waiting, so a burst of keystrokes costs one check. */
#include "lsp/lsp.h"
#include "alloc.h"
#include "check/targets.h"
#include "edit.h"
#include "images.h"
#include "jsonw.h"
#include "lsp/analysis.h"
#include "lsp/files.h"
#include "lsp/rpc.h"
#include "lsp/text.h"
#include "parse.h"
#include "redact.h"
#include "report.h"
#include "rules.h"
#include "walk.h"

#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { ST_NEW = 0, ST_RUNNING, ST_SHUTDOWN };

typedef struct Server {
    int out_fd;
    RpcReader rd;
    int state;
    int exiting, exit_code;
    int oom;
    PosEncoding enc;
    Files files;
    LspOptions opt;
    Analysis *an;
    size_t nan;
    int dirty;
    char *last_problem;       /* the last launch problem shown, so it is said once */
    unsigned long checks;
    double last_check_ms, total_check_ms, total_publish_ms;
} Server;

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* ---------------- output ---------------- */

static void send(Server *s, StrBuf *b)
{
    if (strbuf_failed(b)) { s->oom = 1; return; }
    if (rpc_write(s->out_fd, b->data, b->len) != 0) s->exiting = 1;   /* the client is gone */
}

/* One outgoing message: a JSON writer over its own buffer. */
typedef struct Msg {
    StrBuf buf;
    JsonW w;
} Msg;

/* Starts {"jsonrpc":"2.0", — the caller writes the members and calls finish(). */
static JsonW *msg_begin(Msg *o)
{
    memset(o, 0, sizeof *o);
    jw_init(&o->w, &o->buf);
    jw_obj(&o->w);
    jw_kstr(&o->w, "jsonrpc", "2.0");
    return &o->w;
}

/* Starts the answer to m, up to "result": — the caller writes the value. */
static JsonW *begin_result(Msg *o, const RpcMessage *m)
{
    JsonW *w = msg_begin(o);
    jw_key(w, "id");
    jw_raw(w, m->id, m->id_len);
    jw_key(w, "result");
    return w;
}

/* Starts a notification, up to "params": — the caller writes the value. */
static JsonW *notify_begin(Msg *o, const char *method)
{
    JsonW *w = msg_begin(o);
    jw_kstr(w, "method", method);
    jw_key(w, "params");
    return w;
}

static void finish(Server *s, Msg *o)
{
    jw_obj_end(&o->w);
    send(s, &o->buf);
    strbuf_free(&o->buf);
}

/* The error answer to m (NULL, or a message without a usable id: the id is null). */
static void reply_error(Server *s, const RpcMessage *m, int code, const char *msg)
{
    Msg o;
    JsonW *w = msg_begin(&o);
    jw_key(w, "id");
    if (m && m->id) jw_raw(w, m->id, m->id_len);
    else jw_null(w);
    jw_key(w, "error");
    jw_obj(w);
    jw_kint(w, "code", code);
    jw_kstr(w, "message", msg);
    jw_obj_end(w);
    finish(s, &o);
}

static void reply_null(Server *s, const RpcMessage *m)
{
    Msg o;
    jw_null(begin_result(&o, m));
    finish(s, &o);
}

static void show_message(Server *s, int type, const char *text)
{
    Msg o;
    JsonW *w = notify_begin(&o, "window/showMessage");
    jw_obj(w);
    jw_kint(w, "type", type);
    jw_kstr(w, "message", text);
    jw_obj_end(w);
    finish(s, &o);
}

/* ---------------- settings ---------------- */

/* Strings of an array, or of one comma-separated string. */
static int read_strings(const DataNode *n, char ***out, size_t *nout, int split_commas)
{
    *out = NULL;
    *nout = 0;
    if (!n) return 0;
    size_t cap = n->kind == DATA_ARRAY ? n->len : n->kind == DATA_STRING ? n->text_len + 1 : 0;
    if (n->kind != DATA_ARRAY && n->kind != DATA_STRING) return -2;
    char **v = np_calloc(cap + 1, sizeof *v);
    if (!v) return -1;
    *out = v;
    if (n->kind == DATA_ARRAY) {
        for (size_t i = 0; i < n->len; i++) {
            const char *str = data_str(n->items[i]);
            if (!str) return -2;
            if (!*str) continue;
            if (!(v[(*nout)++] = np_strdup(str))) return -1;
        }
        return 0;
    }
    const char *p = n->text;
    while (*p) {
        const char *e = split_commas ? strchr(p, ',') : NULL;
        size_t len = e ? (size_t)(e - p) : strlen(p);
        while (len && *p == ' ') { p++; len--; }
        while (len && p[len - 1] == ' ') len--;
        if (len && !(v[(*nout)++] = np_strndup(p, len))) return -1;
        if (!e) break;
        p = e + 1;
    }
    return 0;
}

/* Reads the editor's settings object ({"nf-preflight": {...}} or the inner
 * object itself). Unknown members are ignored (editors send their whole
 * configuration); a known member with a wrong type is said once. */
static int read_options(Server *s, const DataNode *root, LspOptions *o)
{
    lsp_options_init(o);
    if (!root || root->kind != DATA_OBJECT) return 0;
    const DataNode *inner = data_get(root, "nf-preflight");
    if (!inner) inner = data_get(root, "nfPreflight");
    if (inner && inner->kind == DATA_OBJECT) root = inner;
    const char *bad = NULL;
    const DataNode *n;
    int rc;
    if ((n = data_get(root, "profiles"))) {
        if ((rc = read_strings(n, &o->profiles, &o->nprofiles, 1)) == -1) return -1;
        if (rc == -2) bad = "profiles";
        else o->profiles_set = 1;
    }
    if ((n = data_get(root, "credentials"))) {
        if ((rc = read_strings(n, &o->credentials, &o->ncredentials, 0)) == -1) return -1;
        if (rc == -2) bad = "credentials";
    }
    if ((n = data_get(root, "wavePolicy"))) {
        const char *v = data_str(n);
        if (v && !strcmp(v, "required")) o->wave_severity = SEV_ERROR;
        else if (v && !strcmp(v, "recommended")) o->wave_severity = SEV_WARNING;
        else if (v && !strcmp(v, "off")) o->wave_severity = SEV_NONE;
        else bad = "wavePolicy (required, recommended or off)";
    }
    if ((n = data_get(root, "deferToNextflowServer")) && !data_bool(n, &o->defer_to_nextflow))
        bad = "deferToNextflowServer";
    int use = 1;
    if ((n = data_get(root, "useSettingsFile")) && !data_bool(n, &use)) bad = "useSettingsFile";
    o->no_settings = !use;
    if ((n = data_get(root, "syntax"))) {
        const char *v = data_str(n);
        if (v && (!strcmp(v, "v1") || !strcmp(v, "v2"))) o->syntax_v1 = !strcmp(v, "v1");
        else bad = "syntax (v1 or v2)";
    }
    if (bad) {
        StrBuf m = STRBUF_INIT;
        strbuf_printf(&m, "nf-preflight: ignoring the setting %s: wrong value", bad);
        show_message(s, 2, strbuf_cstr(&m));
        strbuf_free(&m);
    }
    return 0;
}

/* ---------------- checking ---------------- */

static int is_config_doc(const OpenDoc *d)
{
    size_t n = d->path ? strlen(d->path) : 0;
    return n > 7 && !strcmp(d->path + n - 7, ".config");
}

static void drop_analyses(Server *s)
{
    for (size_t i = 0; i < s->nan; i++) analysis_free(&s->an[i]);
    np_free(s->an);
    s->an = NULL;
    s->nan = 0;
}

static Analysis *analysis_for(Server *s, const char *root)
{
    for (size_t i = 0; i < s->nan; i++)
        if (!strcmp(s->an[i].root, root)) return &s->an[i];
    return NULL;
}

/* Re-checks every launch an open config belongs to. */
static void recheck(Server *s)
{
    double t0 = now_ms();
    drop_analyses(s);
    s->dirty = 0;
    s->an = np_calloc(s->files.ndocs + 1, sizeof *s->an);
    if (!s->an) { s->oom = 1; return; }
    for (size_t i = 0; i < s->files.ndocs; i++) {
        OpenDoc *d = &s->files.docs[i];
        if (!is_config_doc(d)) continue;
        /* the launch a file belongs to is found as the CLI finds it (up to the
         * repository root), not bounded by the editor's workspace folder: an
         * editor opened on conf/ still checks conf/base.config inside the
         * launch of the nextflow.config above it */
        char *root = launch_root_of(d->path);
        if (!root) { s->oom = 1; return; }
        if (!analysis_for(s, root)) {
            Analysis *a = &s->an[s->nan++];
            if (analysis_run(a, root, &s->opt, &s->files) != 0) s->oom = 1;
            if (a->res.status != CHECK_OK && a->res.message &&
                (!s->last_problem || strcmp(s->last_problem, a->res.message))) {
                np_free(s->last_problem);
                s->last_problem = np_strdup(a->res.message);
                show_message(s, 1, a->res.message);
            }
        }
        np_free(root);
    }
    s->checks++;
    s->last_check_ms = now_ms() - t0;
    s->total_check_ms += s->last_check_ms;
}

/* The LSP Position of byte `off` of text. */
static void write_position(JsonW *w, const Server *s, const char *text, size_t len, size_t off)
{
    unsigned long l, c;
    text_position(text, len, off, s->enc, &l, &c);
    jw_obj(w);
    jw_kint(w, "line", (long long)l);
    jw_kint(w, "character", (long long)c);
    jw_obj_end(w);
}

static void write_range(JsonW *w, const Server *s, const char *text, size_t len, size_t start, size_t end)
{
    jw_obj(w);
    jw_key(w, "start");
    write_position(w, s, text, len, start);
    jw_key(w, "end");
    write_position(w, s, text, len, end);
    jw_obj_end(w);
}

static void write_diag(JsonW *w, const Server *s, const Diag *d, const char *text, size_t len)
{
    const Rule *r = rule_find(d->rule);
    jw_obj(w);
    jw_key(w, "range");
    write_range(w, s, text, len, d->src ? d->start : 0, d->src ? d->end : 0);
    jw_kint(w, "severity", d->sev == SEV_ERROR ? 1 : d->sev == SEV_WARNING ? 2 : 3);
    if (r) {
        jw_kstr(w, "code", r->id);
        StrBuf url = STRBUF_INIT;
        jw_key(w, "codeDescription");
        jw_obj(w);
        jw_kstr(w, "href", report_rule_url(&url, r));
        jw_obj_end(w);
        strbuf_free(&url);
    }
    jw_kstr(w, "source", "nf-preflight");
    jw_kstr(w, "message", d->message ? d->message : "");
    jw_key(w, "data");
    jw_obj(w);
    jw_kstr(w, "rule", d->rule);
    jw_obj_end(w);
    jw_obj_end(w);
}

/* Where a document's findings come from: its launch and its Source there. */
typedef struct DocView {
    Analysis *an;
    const Source *src;        /* NULL when the launch does not read the document */
    int is_root;
} DocView;

static DocView view_of(Server *s, const OpenDoc *d)
{
    DocView v = {0};
    if (!d || !d->path) return v;
    for (size_t i = 0; i < s->nan; i++) {
        long k = analysis_source_index(&s->an[i], d->path);
        if (k < 0) continue;
        v.an = &s->an[i];
        v.src = s->an[i].cfg->sources[k];
        v.is_root = !strcmp(s->an[i].root, d->path);
        return v;
    }
    return v;
}

static int diag_belongs(const Diag *d, const DocView *v)
{
    return d->sev != SEV_NONE && (d->src == v->src || (!d->src && v->is_root));
}

/* Syntax findings of a config no checked launch reads (e.g. a profile's
 * include whose profile is not selected): it is parsed on its own, and
 * launch-level rules are not run on it, since it is not a launch. */
static void parse_only(Server *s, JsonW *w, const OpenDoc *d)
{
    Source *src = source_from_memory(d->path, d->path, d->text, d->len);
    Arena *arena = arena_new();
    DiagList diags = {0};
    if (src && arena) parse_config(arena, src, &diags, NULL);
    else s->oom = 1;
    diag_sort(&diags);
    for (size_t i = 0; !s->opt.defer_to_nextflow && i < diags.len; i++)
        write_diag(w, s, &diags.items[i], d->text, d->len);
    diag_list_free(&diags);
    arena_free(arena);
    source_free(src);
}

static void publish(Server *s, OpenDoc *d, int clear)
{
    Msg o;
    JsonW *w = notify_begin(&o, "textDocument/publishDiagnostics");
    jw_obj(w);
    jw_kstr(w, "uri", d->uri);
    if (!clear) jw_kint(w, "version", d->version);
    jw_key(w, "diagnostics");
    jw_arr(w);
    if (!clear) {
        DocView v = view_of(s, d);
        if (v.an) {
            for (size_t i = 0; i < v.an->diags.len; i++) {
                const Diag *g = &v.an->diags.items[i];
                if (diag_belongs(g, &v)) write_diag(w, s, g, v.src->text, v.src->len);
            }
        } else {
            parse_only(s, w, d);
        }
    }
    jw_arr_end(w);
    jw_obj_end(w);
    finish(s, &o);
    d->published = !clear;
}

static void refresh(Server *s)
{
    recheck(s);
    double t0 = now_ms();
    for (size_t i = 0; i < s->files.ndocs && !s->exiting; i++)
        if (is_config_doc(&s->files.docs[i])) publish(s, &s->files.docs[i], 0);
    s->total_publish_ms += now_ms() - t0;
}

static void ensure_fresh(Server *s)
{
    if (s->dirty) refresh(s);
}

/* ---------------- helpers over params ---------------- */

static const char *param_uri(const DataNode *params)
{
    return data_get_str(data_get(params, "textDocument"), "uri");
}

/* Byte offset of an LSP Position in text; 0 when the position is unusable. */
static int read_position(const Server *s, const DataNode *pos, const char *text, size_t len, size_t *off)
{
    long long line, ch;
    if (!data_int(data_get(pos, "line"), &line) || !data_int(data_get(pos, "character"), &ch) || line < 0 || ch < 0)
        return 0;
    *off = text_offset(text, len, (unsigned long)line, (unsigned long)ch, s->enc);
    return 1;
}

/* The open document params.textDocument.uri names, or NULL. */
static OpenDoc *named_doc(Server *s, const RpcMessage *m)
{
    const char *uri = param_uri(m->params);
    return uri ? files_doc(&s->files, uri) : NULL;
}

/* ---------------- lifecycle ---------------- */

static void on_initialize(Server *s, const RpcMessage *m)
{
    const DataNode *p = m->params;
    const DataNode *encs = data_path(p, "capabilities.general.positionEncodings");
    s->enc = POS_UTF16;
    for (size_t i = 0; encs && encs->kind == DATA_ARRAY && i < encs->len; i++) {
        const char *e = data_str(encs->items[i]);
        if (e && !strcmp(e, "utf-8")) s->enc = POS_UTF8;
    }
    if (read_options(s, data_get(p, "initializationOptions"), &s->opt) != 0) s->oom = 1;

    Msg o;
    JsonW *w = begin_result(&o, m);
    jw_obj(w);
    jw_key(w, "capabilities");
    jw_obj(w);
    jw_kstr(w, "positionEncoding", s->enc == POS_UTF8 ? "utf-8" : "utf-16");
    jw_key(w, "textDocumentSync");
    jw_obj(w);
    jw_kbool(w, "openClose", 1);
    jw_kint(w, "change", 2);                   /* incremental */
    jw_key(w, "save");
    jw_obj(w);
    jw_kbool(w, "includeText", 0);
    jw_obj_end(w);
    jw_obj_end(w);
    jw_key(w, "codeActionProvider");
    jw_obj(w);
    jw_key(w, "codeActionKinds");
    jw_arr(w);
    jw_str(w, "quickfix");
    jw_arr_end(w);
    jw_obj_end(w);
    jw_kbool(w, "hoverProvider", 1);
    jw_key(w, "codeLensProvider");
    jw_obj(w);
    jw_kbool(w, "resolveProvider", 0);
    jw_obj_end(w);
    jw_obj_end(w);
    jw_key(w, "serverInfo");
    jw_obj(w);
    jw_kstr(w, "name", "nf-preflight");
    jw_kstr(w, "version", NFP_VERSION);
    jw_obj_end(w);
    jw_obj_end(w);
    finish(s, &o);
    s->state = ST_RUNNING;
}

/* ---------------- text synchronisation ---------------- */

static void on_did_open(Server *s, const RpcMessage *m)
{
    const DataNode *td = data_get(m->params, "textDocument");
    const char *uri = data_get_str(td, "uri");
    const DataNode *text = data_get(td, "text");
    long long version = 0;
    data_int(data_get(td, "version"), &version);
    if (!uri || !text || text->kind != DATA_STRING) return;
    if (!files_open(&s->files, uri, text->text, text->text_len, version)) { s->oom = 1; return; }
    s->dirty = 1;
}

static void on_did_change(Server *s, const RpcMessage *m)
{
    OpenDoc *d = named_doc(s, m);
    const DataNode *changes = data_get(m->params, "contentChanges");
    if (!d || !changes || changes->kind != DATA_ARRAY) return;
    for (size_t i = 0; i < changes->len; i++) {
        const DataNode *c = changes->items[i];
        const DataNode *text = data_get(c, "text");
        if (!text || text->kind != DATA_STRING) continue;
        const DataNode *range = data_get(c, "range");
        size_t start = 0, end = d->len;
        if (range) {
            if (!read_position(s, data_get(range, "start"), d->text, d->len, &start) ||
                !read_position(s, data_get(range, "end"), d->text, d->len, &end))
                continue;
            if (end < start) { size_t t = start; start = end; end = t; }
        }
        if (text_splice(&d->text, &d->len, start, end, text->text, text->text_len) != 0) { s->oom = 1; return; }
    }
    long long version;
    if (data_int(data_get(data_get(m->params, "textDocument"), "version"), &version)) d->version = version;
    s->dirty = 1;
}

static void on_did_save(Server *s, const RpcMessage *m)
{
    OpenDoc *d = named_doc(s, m);
    if (d && d->path) files_forget(&s->files, d->path);
    s->dirty = 1;
}

static void on_did_close(Server *s, const RpcMessage *m)
{
    const char *uri = param_uri(m->params);
    OpenDoc *d = uri ? files_doc(&s->files, uri) : NULL;
    if (!d) return;
    if (d->published) publish(s, d, 1);
    files_close(&s->files, uri);
    s->dirty = 1;
}

static void on_did_change_configuration(Server *s, const RpcMessage *m)
{
    LspOptions o;
    if (read_options(s, data_get(m->params, "settings"), &o) != 0) { s->oom = 1; lsp_options_free(&o); return; }
    drop_analyses(s);                   /* they point into the old options */
    lsp_options_free(&s->opt);
    s->opt = o;
    s->dirty = 1;
}

static void on_did_change_watched(Server *s, const RpcMessage *m)
{
    const DataNode *ch = data_get(m->params, "changes");
    for (size_t i = 0; ch && ch->kind == DATA_ARRAY && i < ch->len; i++) {
        char *raw = uri_to_path(data_get_str(ch->items[i], "uri"));
        char *p = raw ? path_normalize(raw) : NULL;
        if (p) files_forget(&s->files, p);
        np_free(raw);
        np_free(p);
    }
    s->dirty = 1;
}

/* ---------------- code actions ---------------- */

static void write_text_edit(JsonW *w, const Server *s, const Source *src, size_t start, size_t end, const char *text)
{
    jw_obj(w);
    jw_key(w, "range");
    write_range(w, s, src->text, src->len, start, end);
    jw_kstr(w, "newText", text);
    jw_obj_end(w);
}

/* The URI under which the client knows a Source (its open document's URI
 * when open, else a file URI of its path). np_malloc'd. */
static char *uri_of(Server *s, const Source *src)
{
    if (!src->path) return NULL;
    char *p = path_normalize(src->path);
    OpenDoc *d = p ? files_doc_by_path(&s->files, p) : NULL;
    char *u = d ? np_strdup(d->uri) : p ? path_to_uri(p) : NULL;
    np_free(p);
    return u;
}

static void action_begin(JsonW *w, const Server *s, const char *title, const Diag *d, const Source *src, int preferred)
{
    jw_obj(w);
    jw_kstr(w, "title", title);
    jw_kstr(w, "kind", "quickfix");
    if (preferred) jw_kbool(w, "isPreferred", 1);
    jw_key(w, "diagnostics");
    jw_arr(w);
    write_diag(w, s, d, src->text, src->len);
    jw_arr_end(w);
    jw_key(w, "edit");
    jw_obj(w);
    jw_key(w, "changes");
    jw_obj(w);
}

static void action_end(JsonW *w)
{
    jw_obj_end(w);   /* changes */
    jw_obj_end(w);   /* edit */
    jw_obj_end(w);   /* action */
}

/* The innermost statement containing byte `off`, when it starts its line
 * (only blanks before it), so a suppression comment can go on the line
 * above; NULL otherwise. */
static const Node *statement_at(const Node *n, size_t off, const Source *src, int depth)
{
    if (!n || depth > 200) return NULL;
    for (size_t i = 0; i < n->nkids; i++) {
        const Node *k = n->kids[i];
        if (!k || off < k->start || off >= k->end) continue;
        const Node *inner = NULL;
        if (k->kind == N_BLOCK || k->kind == N_SELECTOR) inner = statement_at(k, off, src, depth + 1);
        if (inner) return inner;
        for (size_t j = edit_line_start(src->text, k->start); j < k->start; j++)
            if (src->text[j] != ' ' && src->text[j] != '\t') return NULL;
        return k;
    }
    return NULL;
}

static void suppress_actions(Server *s, JsonW *w, const char *uri, const Diag *d, const Node *tree)
{
    const Source *src = d->src;
    StrBuf title = STRBUF_INIT, text = STRBUF_INIT;
    const Node *st = d->end > d->start ? statement_at(tree, d->start, src, 0) : NULL;
    if (st) {
        size_t ls = edit_line_start(src->text, st->start);
        strbuf_printf(&title, "Suppress %s here (comment above)", d->rule);
        strbuf_append(&text, src->text + ls, st->start - ls);
        strbuf_printf(&text, "// nf-preflight: ignore[%s]\n", d->rule);
        action_begin(w, s, strbuf_cstr(&title), d, src, 0);
        jw_key(w, uri);
        jw_arr(w);
        write_text_edit(w, s, src, ls, ls, strbuf_cstr(&text));
        jw_arr_end(w);
        action_end(w);
    }
    title.len = text.len = 0;
    strbuf_printf(&title, "Suppress %s in this file", d->rule);
    strbuf_printf(&text, "// nf-preflight: file-ignore[%s]\n", d->rule);
    action_begin(w, s, strbuf_cstr(&title), d, src, 0);
    jw_key(w, uri);
    jw_arr(w);
    write_text_edit(w, s, src, 0, 0, strbuf_cstr(&text));
    jw_arr_end(w);
    action_end(w);
    strbuf_free(&title);
    strbuf_free(&text);
}

static void on_code_action(Server *s, const RpcMessage *m)
{
    ensure_fresh(s);
    OpenDoc *d = named_doc(s, m);
    const DataNode *range = data_get(m->params, "range");
    long long l0, l1;
    if (!d || !data_int(data_path(range, "start.line"), &l0) || !data_int(data_path(range, "end.line"), &l1)) {
        reply_error(s, m, RPC_INVALID_PARAMS, "codeAction needs an open textDocument and a range");
        return;
    }
    DocView v = view_of(s, d);
    Msg o;
    JsonW *w = begin_result(&o, m);
    jw_arr(w);
    for (size_t i = 0; v.an && i < v.an->diags.len; i++) {
        const Diag *g = &v.an->diags.items[i];
        if (!diag_belongs(g, &v) || !g->src) continue;
        unsigned long gl0, gl1, c;
        text_position(g->src->text, g->src->len, g->start, s->enc, &gl0, &c);
        text_position(g->src->text, g->src->len, g->end, s->enc, &gl1, &c);
        if ((long long)gl1 < l0 || (long long)gl0 > l1) continue;      /* lines do not meet */
        if (g->nedits) {
            char *target = uri_of(s, g->src);
            if (target) {
                action_begin(w, s, !strcmp(g->rule, "wave-not-enabled") ? "Enable Wave" : "Apply the fix", g, g->src, 1);
                jw_key(w, target);
                jw_arr(w);
                for (size_t k = 0; k < g->nedits; k++)
                    write_text_edit(w, s, g->src, g->edits[k].start, g->edits[k].end, g->edits[k].text);
                jw_arr_end(w);
                action_end(w);
            }
            np_free(target);
        }
        if (strcmp(g->rule, "syntax-error")) {
            long k = analysis_source_index(v.an, d->path);
            suppress_actions(s, w, d->uri, g, k >= 0 ? v.an->cfg->trees[k] : NULL);
        }
    }
    jw_arr_end(w);
    finish(s, &o);
}

/* ---------------- hover ---------------- */

typedef struct HoverFind {
    size_t off;
    StrBuf key;
    const char *profile;
    int in_selector;
    size_t start, end;
    int found;
} HoverFind;

static int hover_visit(void *ctx, const WalkPath *p, const Node *assign, const Node *value)
{
    HoverFind *h = ctx;
    const Node *target = assign->a;
    if (!target || h->off < target->start || h->off > target->end) return 1;
    for (int i = 0; i < p->n; i++) {
        if (i) strbuf_putc(&h->key, '.');
        strbuf_append(&h->key, p->segs[i], p->lens[i]);
    }
    h->profile = p->profile;
    h->in_selector = p->in_selector;
    h->start = target->start;
    h->end = target->end;
    h->found = 1;
    return 0;
}

static void source_line_ref(StrBuf *b, const Analysis *a, const Prov *pv)
{
    if (!pv->src) { strbuf_puts(b, "the command line"); return; }
    unsigned line, col;
    source_linecol(pv->src, pv->start, &line, &col);
    const char *name = pv->src->path ? pv->src->path : pv->src->name;
    size_t dl = strlen(a->dir);
    if (!strncmp(name, a->dir, dl) && name[dl] == '/') name += dl + 1;
    strbuf_printf(b, "`%s:%u`", name, line);
    if (pv->profile) strbuf_printf(b, " (profile `%s`)", pv->profile);
}

static void on_hover(Server *s, const RpcMessage *m)
{
    ensure_fresh(s);
    OpenDoc *d = named_doc(s, m);
    size_t off;
    if (!d || !read_position(s, data_get(m->params, "position"), d->text, d->len, &off)) {
        reply_error(s, m, RPC_INVALID_PARAMS, "hover needs an open textDocument and a position");
        return;
    }
    DocView v = view_of(s, d);
    long k = v.an ? analysis_source_index(v.an, d->path) : -1;
    HoverFind h = {off, STRBUF_INIT, NULL, 0, 0, 0, 0};
    if (k >= 0 && v.an->cfg->trees[k]) walk_assignments(v.an->cfg->trees[k], hover_visit, &h);
    if (!h.found || strbuf_failed(&h.key)) {
        strbuf_free(&h.key);
        reply_null(s, m);
        return;
    }
    const Config *cfg = v.an->cfg;
    const char *key = strbuf_cstr(&h.key);
    StrBuf md = STRBUF_INIT;
    const Prov *pv = NULL;
    const Value *val = h.in_selector ? NULL : config_lookup(cfg, key, &pv);
    strbuf_printf(&md, "**%s**", key);
    if (h.in_selector) {
        strbuf_puts(&md, " inside a process selector: `nf-preflight config` shows the per-process values.");
    } else if (!val) {
        strbuf_puts(&md, " is not set for this launch");
        if (h.profile && !config_profile_applied(cfg, h.profile))
            strbuf_printf(&md, ": this assignment is in profile `%s`, which is not selected", h.profile);
        strbuf_putc(&md, '.');
    } else {
        StrBuf vb = STRBUF_INIT;
        const char *last = strrchr(key, '.');
        last = last ? last + 1 : key;
        if (redact_entry(&cfg->secrets, last, strlen(last), val)) strbuf_puts(&vb, SECRET_REDACTED);
        else value_print_canonical(&vb, val);
        redact_userinfo_from(&vb, 0);
        if (vb.len > 300) { vb.len = 300; strbuf_puts(&vb, "…"); }
        strbuf_puts(&md, " = `");
        strbuf_append(&md, vb.data ? vb.data : "", vb.len);
        strbuf_puts(&md, "`");
        strbuf_free(&vb);
        strbuf_puts(&md, v.an->nprofiles ? " for profiles " : " for the default profiles");
        for (size_t i = 0; i < v.an->nprofiles; i++)
            strbuf_printf(&md, "%s`%s`", i ? ", " : "", v.an->profiles[i]);
        strbuf_puts(&md, "\n\nSet by (last wins):\n");
        int n = 0;
        for (const Prov *p = pv; p && n < 20; p = p->overrode, n++) {
            strbuf_printf(&md, "%s ", n ? "\n- overrides" : "- ");
            source_line_ref(&md, v.an, p);
        }
        if (h.profile && !config_profile_applied(cfg, h.profile))
            strbuf_printf(&md, "\n\nThis assignment is in profile `%s`, which is not selected.", h.profile);
    }
    Msg o;
    JsonW *w = begin_result(&o, m);
    jw_obj(w);
    jw_key(w, "contents");
    jw_obj(w);
    jw_kstr(w, "kind", "markdown");
    jw_kstr(w, "value", strbuf_cstr(&md));
    jw_obj_end(w);
    jw_key(w, "range");
    write_range(w, s, d->text, d->len, h.start, h.end);
    jw_obj_end(w);
    finish(s, &o);
    strbuf_free(&md);
    strbuf_free(&h.key);
}

/* ---------------- code lens ---------------- */

/* A lens on the first line (an empty range at 0:0). */
static void lens(JsonW *w, const Server *s, const char *title)
{
    jw_obj(w);
    jw_key(w, "range");
    write_range(w, s, "", 0, 0, 0);
    jw_key(w, "command");
    jw_obj(w);
    jw_kstr(w, "title", title);
    jw_kstr(w, "command", "");
    jw_obj_end(w);
    jw_obj_end(w);
}

/* The launch summary, the line `nf-preflight check` prints first
 * (check/summary.h): one struct, one renderer. */
static void launch_lenses(Server *s, JsonW *w, const Analysis *a)
{
    if (!a->res.summary.known) return;   /* not resolved (syntax errors): nothing to say */
    StrBuf t = STRBUF_INIT;
    launch_summary_line(&t, &a->res.summary, NULL);
    if (strbuf_failed(&t)) s->oom = 1;
    else lens(w, s, strbuf_cstr(&t));
    strbuf_free(&t);
}

static void on_code_lens(Server *s, const RpcMessage *m)
{
    ensure_fresh(s);
    OpenDoc *d = named_doc(s, m);
    if (!d) {
        reply_error(s, m, RPC_INVALID_PARAMS, "codeLens needs an open textDocument");
        return;
    }
    DocView v = view_of(s, d);
    Msg o;
    JsonW *w = begin_result(&o, m);
    jw_arr(w);
    const char *base = d->path ? strrchr(d->path, '/') : NULL;
    if (v.an && v.is_root && base && !strcmp(base, "/nextflow.config")) launch_lenses(s, w, v.an);
    jw_arr_end(w);
    finish(s, &o);
}

/* nf-preflight/stats: counters for tests and bench/ (not part of the LSP). */
static void on_stats(Server *s, const RpcMessage *m)
{
    ensure_fresh(s);
    Msg o;
    JsonW *w = begin_result(&o, m);
    jw_obj(w);
    jw_kint(w, "checks", (long long)s->checks);
    jw_kint(w, "lastCheckMicros", (long long)(s->last_check_ms * 1000));
    jw_kint(w, "totalCheckMicros", (long long)(s->total_check_ms * 1000));
    jw_kint(w, "totalPublishMicros", (long long)(s->total_publish_ms * 1000));
    jw_kint(w, "diskReads", (long long)s->files.disk_reads);
    jw_kint(w, "cacheHits", (long long)s->files.cache_hits);
    jw_kint(w, "bufferLoads", (long long)s->files.buffer_loads);
    jw_kint(w, "parses", (long long)s->files.parses);
    jw_kint(w, "parseHits", (long long)s->files.parse_hits);
    jw_obj_end(w);
    finish(s, &o);
}

/* ---------------- dispatch ---------------- */

typedef struct Handler {
    const char *method;
    void (*fn)(Server *, const RpcMessage *);
    int is_request;
} Handler;

static const Handler handlers[] = {
    {"textDocument/didOpen", on_did_open, 0},
    {"textDocument/didChange", on_did_change, 0},
    {"textDocument/didSave", on_did_save, 0},
    {"textDocument/didClose", on_did_close, 0},
    {"workspace/didChangeConfiguration", on_did_change_configuration, 0},
    {"workspace/didChangeWatchedFiles", on_did_change_watched, 0},
    {"textDocument/codeAction", on_code_action, 1},
    {"textDocument/hover", on_hover, 1},
    {"textDocument/codeLens", on_code_lens, 1},
    {"nf-preflight/stats", on_stats, 1},
};

static void dispatch(Server *s, const RpcMessage *m)
{
    const char *method = m->method;
    int request = m->id != NULL;
    if (!strcmp(method, "exit")) {
        s->exiting = 1;
        s->exit_code = s->state == ST_SHUTDOWN ? 0 : 1;
        return;
    }
    if (s->state == ST_NEW) {
        if (!strcmp(method, "initialize") && request) on_initialize(s, m);
        else if (request) reply_error(s, m, RPC_SERVER_NOT_INITIALIZED, "the server is not initialized");
        return;
    }
    if (s->state == ST_SHUTDOWN) {
        if (request) reply_error(s, m, RPC_INVALID_REQUEST, "the server is shutting down");
        return;
    }
    if (!strcmp(method, "initialize")) {
        if (request) reply_error(s, m, RPC_INVALID_REQUEST, "initialize was already received");
        return;
    }
    if (!strcmp(method, "shutdown")) {
        if (!request) return;
        s->state = ST_SHUTDOWN;
        reply_null(s, m);
        return;
    }
    if (!strcmp(method, "initialized")) return;
    for (size_t i = 0; i < sizeof handlers / sizeof handlers[0]; i++) {
        if (strcmp(method, handlers[i].method)) continue;
        if (handlers[i].is_request != request) {
            if (request) reply_error(s, m, RPC_INVALID_REQUEST, "this method is a notification");
            return;
        }
        if (!m->params || m->params->kind != DATA_OBJECT) {
            if (request) reply_error(s, m, RPC_INVALID_PARAMS, "params must be an object");
            return;
        }
        handlers[i].fn(s, m);
        return;
    }
    /* unknown: requests get an error; notifications ($/cancelRequest, …) are dropped */
    if (request) reply_error(s, m, RPC_METHOD_NOT_FOUND, "method not found");
}

int lsp_serve(int in_fd, int out_fd, size_t max_message)
{
    Server s;
    memset(&s, 0, sizeof s);
    s.out_fd = out_fd;
    s.exit_code = 1;
    lsp_options_init(&s.opt);
    rpc_reader_init(&s.rd, in_fd, max_message);
    while (!s.exiting && !s.oom) {
        if (s.dirty && s.state == ST_RUNNING && !rpc_pending(&s.rd)) refresh(&s);
        if (s.oom) break;
        const char *body;
        size_t len;
        RpcRead r = rpc_read(&s.rd, &body, &len);
        if (r == RPC_READ_EOF) break;
        if (r == RPC_READ_NOMEM) { s.oom = 1; break; }
        if (r == RPC_READ_BAD_HEADER) {
            reply_error(&s, NULL, RPC_PARSE_ERROR, "bad message header: Content-Length is required");
            continue;
        }
        if (r == RPC_READ_TOO_LARGE) {
            reply_error(&s, NULL, RPC_INVALID_REQUEST, "message too large");
            continue;
        }
        RpcMessage m;
        int rc = rpc_decode(body, len, &m);
        if (rc == -1) s.oom = 1;
        else if (rc == RPC_PARSE_ERROR) reply_error(&s, NULL, rc, "parse error: the message is not valid JSON");
        else if (rc) reply_error(&s, &m, rc, "invalid request");
        else if (!m.is_response) dispatch(&s, &m);
        rpc_message_free(&m);
    }
    int code = s.oom ? 3 : s.exit_code;
    drop_analyses(&s);
    np_free(s.last_problem);
    files_free(&s.files);
    lsp_options_free(&s.opt);
    rpc_reader_free(&s.rd);
    images_cleanup();
    return code;
}

int lsp_main(int argc, char **argv)
{
    size_t max_message = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--stdio")) continue;       /* what generic clients pass */
        if (!strncmp(argv[i], "--max-message-size=", 19)) {
            char *end;
            unsigned long long v = strtoull(argv[i] + 19, &end, 10);
            if (*end || !v || argv[i][19] == '-') {
                fprintf(stderr, "nf-preflight: lsp: --max-message-size takes a number of bytes\n");
                return 2;
            }
            max_message = (size_t)v;
            continue;
        }
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            fputs("usage: nf-preflight lsp [--stdio] [--max-message-size=BYTES]\n\nA Language Server Protocol server on standard input and output;\n"
                  "messages over BYTES (default 64 MiB) are refused.\n"
                  "Editor set-up: docs/editors.md.\n", stdout);
            return 0;
        }
        fprintf(stderr, "nf-preflight: lsp: unknown option '%s'\nTry 'nf-preflight lsp --help'.\n", argv[i]);
        return 2;
    }
    /* a client that goes away must not kill us mid-write: writes fail instead */
    signal(SIGPIPE, SIG_IGN);
#if defined(__GLIBC__)
    /* A check allocates and frees the same few megabytes after every
     * keystroke: keeping them in the heap (not trimmed, not mmap'd per
     * block) saves the page faults of mapping them again each time. */
    mallopt(M_MMAP_THRESHOLD, 64 * 1024 * 1024);
    mallopt(M_TRIM_THRESHOLD, 256 * 1024 * 1024);
#endif
    return lsp_serve(0, 1, max_message);
}
