#include "fix.h"
#include "alloc.h"
#include "edit.h"
#include "launch.h"
#include "parse.h"
#include "walk.h"

#include <stdio.h>
#include <string.h>

/* ---------------- profiles that would turn Wave on (wave.c's hint, fix's refusal) ---------------- */

static int is_true_literal(const Node *v)
{
    return v && v->kind == N_BOOL && v->text && !strcmp(v->text, "true");
}

/* Whether an assignment of `value` to the setting at `p` is the one looked
 * for. The profile scans below see every place walk.h visits (blocks, dotted
 * and legacy targets, if/else and try/catch/finally bodies, call blocks) but
 * not process selectors: a setting for some processes only is not the
 * profile turning Wave on, nor the whole launch's platform. */
typedef int (*PathMatch)(const WalkPath *p, const Node *value);

/* wave.enabled = true */
static int match_wave_on(const WalkPath *p, const Node *value)
{
    return p->n == 2 && walk_seg_is(p, 0, "wave") && walk_seg_is(p, 1, "enabled") && is_true_literal(value);
}

/* Settings that change what runs besides Wave: the architecture
 * (process.arch) or a container/package engine turned on. A profile with
 * them is never offered as the way to turn Wave on (nf-core's arm64). */
static int match_platform_change(const WalkPath *p, const Node *value)
{
    static const char *const engines[] = {"docker", "podman", "singularity", "apptainer", "charliecloud",
                                          "shifter", "sarus", "udocker", "conda", "spack", "appleContainer", NULL};
    if (p->n != 2) return 0;
    if (walk_seg_is(p, 0, "process") && walk_seg_is(p, 1, "arch")) return 1;
    if (!walk_seg_is(p, 1, "enabled") || !is_true_literal(value)) return 0;
    for (size_t i = 0; engines[i]; i++)
        if (walk_seg_is(p, 0, engines[i])) return 1;
    return 0;
}

/* singularity.enabled / apptainer.enabled = true */
static int match_singularity_on(const WalkPath *p, const Node *value)
{
    return p->n == 2 && (walk_seg_is(p, 0, "singularity") || walk_seg_is(p, 0, "apptainer")) &&
           walk_seg_is(p, 1, "enabled") && is_true_literal(value);
}

/* walk callback: stops the walk (returns 0) at a plain assignment or legacy
 * command outside selectors that the PathMatch in ctx accepts. */
static int stops_at_match(void *ctx, const WalkPath *p, const Node *stmt, const Node *value)
{
    PathMatch match = *(const PathMatch *)ctx;
    int plain = stmt->kind == N_COMMAND || stmt->op == TK_ASSIGN;
    return !(plain && !p->selector && match(p, value));
}

/* 1 when a profile body makes an assignment `match` accepts somewhere. */
static int profile_sets(const Node *body, PathMatch match)
{
    WalkVisitor v = {NULL, NULL, stops_at_match};
    return walk_config(body, &v, &match);
}

void fix_wave_profiles(const Config *cfg, FixWaveProfiles *out)
{
    memset(out, 0, sizeof *out);
    const size_t max = sizeof out->clean / sizeof out->clean[0];
    for (size_t i = 0; i < cfg->nprofiles; i++) {
        const ProfileDecl *d = &cfg->profiles[i];
        int seen = 0;
        for (size_t k = 0; k < out->nclean; k++) seen |= !strcmp(out->clean[k], d->name);
        for (size_t k = 0; k < out->nplatform; k++) seen |= !strcmp(out->platform[k], d->name);
        if (out->nsingularity < max && profile_sets(d->body, match_singularity_on)) {
            int dup = 0;
            for (size_t k = 0; k < out->nsingularity; k++) dup |= !strcmp(out->singularity[k], d->name);
            if (!dup) out->singularity[out->nsingularity++] = d->name;
        }
        if (seen || config_profile_applied(cfg, d->name) || !profile_sets(d->body, match_wave_on)) continue;
        int changes = profile_sets(d->body, match_platform_change);
        if (changes && out->nplatform < max) out->platform[out->nplatform++] = d->name;
        else if (!changes && out->nclean < max) {
            /* a profile named `wave` first */
            if (!strcmp(d->name, "wave") && out->nclean) {
                out->clean[out->nclean++] = out->clean[0];
                out->clean[0] = d->name;
            } else {
                out->clean[out->nclean++] = d->name;
            }
        }
    }
}

/* ---------------- finding things in the tree ---------------- */

typedef struct StmtAt {
    size_t start, end;
    const Node *value;
} StmtAt;

/* walk callback: stops at the assignment statement with exactly the span. */
static int stmt_at(void *ctx, const WalkPath *p, const Node *stmt, const Node *value)
{
    StmtAt *want = ctx;
    (void)p;
    if (stmt->start != want->start || stmt->end != want->end) return 1;
    want->value = stmt->kind == N_ASSIGN && stmt->op != TK_ASSIGN ? NULL : value;
    return 0;
}

const Node *fix_assignment_value(const Node *tree, size_t start, size_t end)
{
    StmtAt want = {start, end, NULL};
    walk_assignments(tree, stmt_at, &want);
    return want.value;
}

int fix_is_literal(const Node *v)
{
    if (!v) return 0;
    switch (v->kind) {
    case N_BOOL: case N_INT: case N_FLOAT: case N_NULL: case N_STRING:
        return 1;
    case N_GSTRING:
        for (size_t i = 0; i < v->nkids; i++)
            if (v->kids[i]->kind != N_STRING) return 0;
        return 1;
    default:
        return 0;
    }
}

static const Node *tree_of(const Config *cfg, const Source *src)
{
    for (size_t i = 0; i < cfg->nsources; i++)
        if (cfg->sources[i] == src) return cfg->trees[i];
    return NULL;
}

static int all_space(const char *t, size_t a, size_t b)
{
    for (size_t i = a; i < b; i++)
        if (t[i] != ' ' && t[i] != '\t') return 0;
    return 1;
}

static size_t leading_ws_end(const char *t, size_t ls, size_t len)
{
    while (ls < len && (t[ls] == ' ' || t[ls] == '\t')) ls++;
    return ls;
}

/* ---------------- the three kinds of edit ---------------- */

static char *make_text(const char *a, const char *b, const char *c, const char *d, const char *e)
{
    StrBuf s = STRBUF_INIT;
    const char *parts[] = {a, b, c, d, e};
    for (int i = 0; i < 5; i++)
        if (parts[i]) strbuf_puts(&s, parts[i]);
    if (strbuf_failed(&s)) { strbuf_free(&s); return NULL; }
    strbuf_cstr(&s);
    return s.data ? strbuf_take(&s) : np_strdup("");
}

static int plan_append(const Source *src, Edit *e)
{
    const char *t = src->text;
    size_t len = src->len;
    const char *nl = edit_newline(t, len);
    const char *unit = edit_indent_unit(t, len);
    int final_nl = edit_has_final_newline(t, len);
    StrBuf b = STRBUF_INIT;
    if (len) {
        if (!final_nl) strbuf_puts(&b, nl);
        /* a blank line between the old last line and the block */
        size_t end = len;
        if (final_nl) {
            if (end && t[end - 1] == '\n') end--;
            if (end && t[end - 1] == '\r') end--;
        }
        if (!all_space(t, edit_line_start(t, end), end)) strbuf_puts(&b, nl);
    }
    strbuf_printf(&b, "wave {%s%senabled = true%s}", nl, unit, nl);
    if (final_nl) strbuf_puts(&b, nl);
    if (strbuf_failed(&b)) { strbuf_free(&b); return 0; }
    e->start = e->end = len;
    e->text = strbuf_take(&b);
    return e->text != NULL;
}

/* The last `wave { … }` block directly at the top of the file. */
static const Node *top_wave_block(const Node *tree)
{
    const Node *found = NULL;
    for (size_t i = 0; tree && i < tree->nkids; i++) {
        const Node *s = tree->kids[i];
        if (s->kind == N_BLOCK && s->a && s->a->nkids == 1 && s->text && !strcmp(s->text, "wave"))
            found = s;
    }
    return found;
}

/* Adds `enabled = true` as the last statement of the block, indented like
 * the block's other statements. 0 when the block's braces cannot be found
 * (the caller appends instead), -1 when memory ran out. */
static int plan_insert(const Source *src, const Node *blk, Edit *e)
{
    const char *t = src->text;
    size_t len = src->len;
    if (blk->end == 0 || blk->end > len || t[blk->end - 1] != '}') return 0;
    size_t rb = blk->end - 1;
    size_t lb = blk->a->end;
    while (lb < rb && t[lb] != '{') lb++;
    if (lb >= rb) return 0;
    const Node *first = NULL, *last = NULL;
    for (size_t i = 0; i < blk->nkids; i++) {
        if (blk->kids[i]->kind == N_EMPTY) continue;
        if (!first) first = blk->kids[i];
        last = blk->kids[i];
    }
    const char *nl = edit_newline(t, len);
    int oneline = 1;
    for (size_t i = lb; i < rb; i++)
        if (t[i] == '\n' || t[i] == '\r') oneline = 0;
    if (oneline) {
        if (last) {
            e->start = e->end = last->end;
            e->text = make_text("; enabled = true", NULL, NULL, NULL, NULL);
        } else if (all_space(t, lb + 1, rb)) {
            e->start = lb + 1;
            e->end = rb;
            e->text = make_text(" enabled = true ", NULL, NULL, NULL, NULL);
        } else {
            e->start = e->end = rb;
            e->text = make_text(t[rb - 1] == ' ' ? "" : " ", "enabled = true ", NULL, NULL, NULL);
        }
        return e->text ? 1 : -1;
    }
    /* indentation: the first statement's when it starts its line, else the
     * first non-blank line inside the block, else the block's plus one step */
    size_t bls = edit_line_start(t, blk->start);
    char block_indent[256] = "", indent[256] = "";
    size_t bw = leading_ws_end(t, bls, len) - bls;
    if (bw >= sizeof block_indent) return 0;
    memcpy(block_indent, t + bls, bw);
    block_indent[bw] = '\0';
    int have = 0;
    if (first) {
        size_t ls = edit_line_start(t, first->start);
        if (ls > lb && all_space(t, ls, first->start) && first->start - ls < sizeof indent) {
            memcpy(indent, t + ls, first->start - ls);
            indent[first->start - ls] = '\0';
            have = 1;
        }
    }
    if (!have) {
        size_t i = lb;
        while (i < rb && t[i] != '\n') i++;
        while (i < rb && !have) {
            size_t ls = i + 1;
            size_t we = leading_ws_end(t, ls, rb);
            if (we < rb && t[we] != '\n' && t[we] != '\r' && we - ls < sizeof indent) {
                memcpy(indent, t + ls, we - ls);
                indent[we - ls] = '\0';
                have = 1;
            }
            i = ls;
            while (i < rb && t[i] != '\n') i++;
        }
    }
    if (!have) {
        const char *unit = edit_indent_unit(t, len);
        if (bw + strlen(unit) >= sizeof indent) return 0;
        snprintf(indent, sizeof indent, "%s%s", block_indent, unit);
    }
    size_t rls = edit_line_start(t, rb);
    if (rls > lb && all_space(t, rls, rb)) {
        e->start = e->end = rls;
        e->text = make_text(indent, "enabled = true", nl, NULL, NULL);
    } else {
        /* `x = 1 }`: the brace moves to its own line; the spaces before it go */
        size_t p = rb;
        while (p > lb + 1 && (t[p - 1] == ' ' || t[p - 1] == '\t')) p--;
        e->start = p;
        e->end = rb;
        e->text = make_text(nl, indent, "enabled = true", nl, block_indent);
    }
    return e->text ? 1 : -1;
}

int fix_wave_step(const Config *cfg, const Source *target, int force_append, Edit *edit, FixHow *how)
{
    memset(edit, 0, sizeof *edit);
    *how = FIX_HOW_NONE;
    const Prov *prov = NULL;
    const Value *v = config_lookup(cfg, "wave.enabled", &prov);
    if (v && v->kind == V_BOOL && v->b) return FIX_STEP_ON;
    if (v && v->kind == V_DYNAMIC) return FIX_STEP_DYNAMIC;
    const Node *tree = tree_of(cfg, target);
    if (!force_append && tree) {
        if (v && prov && prov->src == target) {
            const Node *val = fix_assignment_value(tree, prov->start, prov->end);
            if (val && fix_is_literal(val)) {
                edit->start = val->start;
                edit->end = val->end;
                edit->text = np_strdup("true");
                *how = FIX_HOW_FLIP;
                return edit->text ? FIX_STEP_EDIT : FIX_STEP_OOM;
            }
        } else {
            const Node *blk = top_wave_block(tree);
            int r = blk ? plan_insert(target, blk, edit) : 0;
            if (r < 0) return FIX_STEP_OOM;
            if (r > 0) { *how = FIX_HOW_INSERT; return FIX_STEP_EDIT; }
        }
    }
    if (!plan_append(target, edit)) return FIX_STEP_OOM;
    *how = FIX_HOW_APPEND;
    return FIX_STEP_EDIT;
}

/* ---------------- verifying ---------------- */

/* The canonical print of everything but wave.enabled (an emptied wave scope
 * goes too). Changes cfg->root: call last. NULL when memory ran out. */
static char *canonical_without_wave(Config *cfg)
{
    Entry *we = value_entry(cfg->root, "wave", 4);
    if (we && we->val && (we->val->kind == V_SCOPE || we->val->kind == V_MAP)) {
        value_remove(we->val, "enabled", 7);
        if (we->val->nentries == 0) value_remove(cfg->root, "wave", 4);
    }
    StrBuf b = STRBUF_INIT;
    config_print_canonical(&b, cfg);
    if (strbuf_failed(&b)) { strbuf_free(&b); return NULL; }
    strbuf_cstr(&b);
    return b.data ? strbuf_take(&b) : np_strdup("");
}

static int wave_on(const Config *cfg)
{
    const Value *v = config_lookup(cfg, "wave.enabled", NULL);
    return v && v->kind == V_BOOL && v->b;
}

/* The layer's Source: the last text source with the layer's name. */
static const Source *target_source(const Config *cfg, const char *name)
{
    const Source *found = NULL;
    for (size_t i = 0; i < cfg->nsources; i++)
        if (!cfg->sources[i]->path && !strcmp(cfg->sources[i]->name, name)) found = cfg->sources[i];
    return found;
}

/* Copies a diagnostic into `to`, which keeps its text alive for reporting. */
static void relocate(DiagList *to, const Diag *d)
{
    diag_copy_keep_source(to, d);
}

static void where(StrBuf *b, const Source *src, size_t off)
{
    unsigned l, c;
    source_linecol(src, off, &l, &c);
    strbuf_printf(b, "%s:%u", src->name, l);
}

void fix_result_free(FixResult *res)
{
    if (!res) return;
    np_free(res->text);
    np_free(res->summary);
    memset(res, 0, sizeof *res);
}

#define FIX_MAX_STEPS 6

typedef struct Attempt {
    Config *cfg;
    DiagList diags;
} Attempt;

static void attempt_free(Attempt *a)
{
    config_free(a->cfg);
    diag_list_free(&a->diags);
    memset(a, 0, sizeof *a);
}

static int run(Attempt *a, Layer *layers, size_t n, const ResolveOptions *ropt)
{
    memset(a, 0, sizeof *a);
    a->cfg = resolve_config(layers, n, ropt, &a->diags);
    return a->cfg && !a->diags.oom;
}

/* Everything checked before a patch may be shown: Wave on, no syntax errors,
 * no new errors, every other key unchanged. Consumes both configs' roots.
 * Returns 1 when it holds, 0 when not (with *why), -1 when memory ran out. */
static int verified(Attempt *orig, Attempt *patched, const char **why)
{
    if (patched->cfg->syntax_errors) { *why = "the patched text does not parse"; return 0; }
    if (!wave_on(patched->cfg)) { *why = "wave.enabled still does not resolve to true"; return 0; }
    if (diag_count(&patched->diags, SEV_ERROR) > diag_count(&orig->diags, SEV_ERROR)) {
        *why = "the patched text has errors the original did not have";
        return 0;
    }
    char *a = canonical_without_wave(orig->cfg);
    char *b = canonical_without_wave(patched->cfg);
    int rc = a && b ? !strcmp(a, b) : -1;
    if (rc == 0) *why = "the patch would change other settings";
    np_free(a);
    np_free(b);
    return rc;
}

int fix_config_text(const Layer *in_layers, size_t nlayers, size_t target, const ResolveOptions *ropt,
                    FixResult *res, DiagList *diags, char **err)
{
    memset(res, 0, sizeof *res);
    *err = NULL;
    const Layer *tl = &in_layers[target];
    const char *name = tl->name ? tl->name : "<config text>";
    Layer *layers = np_malloc(nlayers * sizeof *layers);
    if (!layers) return 3;
    memcpy(layers, in_layers, nlayers * sizeof *layers);
    layers[target].path = NULL;
    layers[target].name = name;

    Attempt orig, cur;
    memset(&cur, 0, sizeof cur);
    char *text = NULL;
    int rc = 3;
    const char *why = NULL;
    StrBuf summary = STRBUF_INIT;

    if (!run(&orig, layers, nlayers, ropt)) goto done;
    if (orig.cfg->io_error) {
        for (size_t i = 0; i < orig.diags.len; i++)
            if (orig.diags.items[i].sev == SEV_ERROR) relocate(diags, &orig.diags.items[i]);
        StrBuf b = STRBUF_INIT;
        strbuf_puts(&b, "a config file could not be read; nothing was patched");
        *err = strbuf_take(&b);
        goto done;
    }
    if (orig.cfg->syntax_errors) {
        for (size_t i = 0; i < orig.diags.len; i++)
            if (orig.diags.items[i].sev == SEV_ERROR) relocate(diags, &orig.diags.items[i]);
        diag_add(diags, NULL, 0, 0, SEV_ERROR, RULE_SYNTAX_ERROR,
                 "%s: not patched: the configuration has syntax errors", name);
        rc = 1;
        goto done;
    }
    const Source *tsrc = target_source(orig.cfg, name);
    if (!tsrc) { *err = np_strdup("internal error: the patch target was not read"); goto done; }

    /* the text being built, and the first step on the original */
    StrBuf tb = STRBUF_INIT;
    strbuf_append(&tb, tl->text ? tl->text : "", tl->len);
    strbuf_cstr(&tb);
    if (strbuf_failed(&tb)) { strbuf_free(&tb); goto done; }
    size_t tlen = tb.len;
    text = tb.data ? strbuf_take(&tb) : np_strdup("");
    if (!text) goto done;

    Edit e;
    FixHow how, first_how = FIX_HOW_NONE;
    int st = fix_wave_step(orig.cfg, tsrc, 0, &e, &how);
    if (st == FIX_STEP_OOM) goto done;
    if (st == FIX_STEP_ON) {
        res->text = text;
        res->len = tlen;
        text = NULL;
        rc = 0;
        goto done;
    }
    if (st == FIX_STEP_DYNAMIC) {
        const Prov *p = NULL;
        const Value *v = config_lookup(orig.cfg, "wave.enabled", &p);
        StrBuf b = STRBUF_INIT;
        if (p && p->src) { where(&b, p->src, p->start); strbuf_puts(&b, ": "); }
        diag_add(diags, NULL, 0, 0, SEV_ERROR, RULE_DYNAMIC_VALUE,
                 "%swave.enabled is computed when the pipeline runs (%s); nf-preflight will not override it. "
                 "Set what it depends on, or write `enabled = true` yourself",
                 strbuf_cstr(&b), v && v->why ? v->why : "dynamic");
        strbuf_free(&b);
        rc = 1;
        goto done;
    }

    /* apply steps until Wave is on (each step re-resolves the text) */
    int ok = 0;
    for (int force = 0; force < 2 && !ok; force++) {
        if (force) {
            /* fall back to one block appended to the original */
            np_free(text);
            text = NULL;
            tlen = 0;
            attempt_free(&cur);
            st = fix_wave_step(orig.cfg, tsrc, 1, &e, &how);
            if (st != FIX_STEP_EDIT) goto done;
            strbuf_free(&summary);
        }
        const Source *src = tsrc;
        const char *base = force ? tl->text : text;
        size_t blen = force ? tl->len : tlen;
        for (int stepn = 0; stepn < FIX_MAX_STEPS; stepn++) {
            if (stepn > 0) {
                st = fix_wave_step(cur.cfg, src, 0, &e, &how);
                if (st == FIX_STEP_OOM) goto done;
                if (st != FIX_STEP_EDIT) break;
                base = text;
                blen = tlen;
            }
            if (first_how == FIX_HOW_NONE || force) first_how = how;
            /* describe it before the source goes away */
            if (summary.len) strbuf_puts(&summary, "; ");
            if (how == FIX_HOW_FLIP) {
                strbuf_puts(&summary, "set the value at ");
                where(&summary, src, e.start);
                strbuf_puts(&summary, " to true");
            } else if (how == FIX_HOW_INSERT) {
                strbuf_puts(&summary, "added `enabled = true` to the wave block at ");
                where(&summary, src, e.start);
            } else {
                strbuf_printf(&summary, "appended a `wave { enabled = true }` block at the end of %s", name);
            }
            StrBuf nb = STRBUF_INIT;
            int sp = edit_splice(base, blen, &e, 1, &nb);
            np_free(e.text);
            e.text = NULL;
            if (sp != 0) { strbuf_free(&nb); goto done; }
            strbuf_cstr(&nb);
            size_t nlen = nb.len;
            char *next = strbuf_take(&nb);
            if (!next) goto done;
            np_free(text);
            text = next;
            tlen = nlen;
            layers[target].text = text;
            layers[target].len = tlen;
            attempt_free(&cur);
            if (!run(&cur, layers, nlayers, ropt)) goto done;
            if (cur.cfg->syntax_errors) break;
            src = target_source(cur.cfg, name);
            if (!src) break;
            if (wave_on(cur.cfg)) { ok = 1; break; }
            if (force) break;
        }
        if (ok) {
            int v = verified(&orig, &cur, &why);
            if (v < 0) goto done;
            ok = v;
            if (!ok) {
                /* verification consumed the roots: resolve the original again */
                attempt_free(&orig);
                layers[target].text = tl->text;
                layers[target].len = tl->len;
                if (!run(&orig, layers, nlayers, ropt)) goto done;
                tsrc = target_source(orig.cfg, name);
                if (!tsrc) goto done;
            }
        }
    }
    if (!ok) {
        diag_add(diags, NULL, 0, 0, SEV_ERROR, RULE_WAVE_NOT_ENABLED,
                 "%s: not patched: no edit turns Wave on without side effects (%s)", name,
                 why ? why : "wave.enabled still does not resolve to true");
        rc = 1;
        goto done;
    }
    /* a second fix must have nothing to do: wave_on(cur) above is exactly that */
    strbuf_cstr(&summary);
    if (strbuf_failed(&summary) || !(res->summary = strbuf_take(&summary))) goto done;
    res->text = text;
    res->len = tlen;
    res->changed = 1;
    res->how = first_how;
    text = NULL;
    rc = 0;

done:
    if (rc == 3 && !*err) *err = np_strdup("out of memory");
    np_free(text);
    strbuf_free(&summary);
    attempt_free(&cur);
    attempt_free(&orig);
    np_free(layers);
    return rc;
}

/* ---------------- the command ---------------- */

static char *dir_of_path(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash) return np_strdup(".");
    if (slash == path) return np_strdup("/");
    return np_strndup(path, (size_t)(slash - path));
}

int fix_command(const FixRequest *req, StrBuf *out, DiagList *diags, char **err)
{
    *err = NULL;
    if ((!req->nlayers && !req->launch_path) || (req->nlayers && req->target >= req->nlayers)) {
        *err = np_strdup("nothing to fix: give a config FILE, - or --launch FILE");
        return 3;
    }
    Layer *layers = np_calloc(req->nlayers + 1, sizeof *layers);
    if (!layers) { *err = np_strdup("out of memory"); return 3; }
    memcpy(layers, req->layers, req->nlayers * sizeof *layers);
    size_t n = req->nlayers, t = req->target;

    char *filebytes = NULL, *dir = NULL, *tname = NULL;
    size_t filelen = 0;
    struct stat st;
    memset(&st, 0, sizeof st);
    LaunchInfo li;
    memset(&li, 0, sizeof li);
    int have_li = 0;
    const char *write_path = NULL, *display = NULL;
    FixResult res;
    memset(&res, 0, sizeof res);
    StrBuf newdoc = STRBUF_INIT;
    int rc = 3;

    if (req->launch_path) {
        if (edit_read_file(req->launch_path, &filebytes, &filelen, &st, err) != 0) goto done;
        if (launch_parse(req->launch_path, filebytes, filelen, &li, err) != 0) goto done;
        have_li = 1;
        StrBuf nb = STRBUF_INIT;
        strbuf_printf(&nb, "%s#configText", req->launch_path);
        if (!(tname = strbuf_take(&nb))) goto done;
        size_t found = n;
        for (size_t i = 0; i < n; i++)
            if (!layers[i].path && layers[i].name && !strcmp(layers[i].name, tname)) found = i;
        if (found == n) {                  /* no configText yet: it becomes the top layer */
            layers[n].base_dir = n ? req->layers[t].base_dir : ".";
            n++;
        }
        t = found;
        layers[t].path = NULL;
        layers[t].text = li.config_text ? li.config_text : "";
        layers[t].len = li.config_text ? li.config_len : 0;
        layers[t].name = tname;
        write_path = display = req->launch_path;
    } else if (layers[t].path) {
        if (edit_read_file(layers[t].path, &filebytes, &filelen, &st, err) != 0) goto done;
        if (!(dir = dir_of_path(layers[t].path))) goto done;
        write_path = layers[t].path;
        display = layers[t].name ? layers[t].name : layers[t].path;
        layers[t].name = display;
        layers[t].text = filebytes;
        layers[t].len = filelen;
        layers[t].base_dir = dir;
        layers[t].path = NULL;
    } else {
        display = layers[t].name ? layers[t].name : "<config text>";
        if (req->write) {
            StrBuf b = STRBUF_INIT;
            strbuf_printf(&b, "--write needs a config file or --launch FILE; %s is text", display);
            *err = strbuf_take(&b);
            goto done;
        }
    }

    rc = fix_config_text(layers, n, t, req->ropt, &res, diags, err);
    if (rc != 0) goto done;
    /* A bare `wave.enabled = true` keeps the default strategy (container
     * first, WaveConfig.groovy:88): a Singularity or Apptainer run then hands
     * Wave each https:// image of the nf-core ternary, and Nextflow refuses it
     * (WaveAssets.validateContainerName :83-88). When a profile turns such an
     * engine on and the pipeline has such images (the launch model found
     * req->singularity_url_image), the edit would make that launch fail: it
     * is not made; a profile that turns Wave on with the author's settings
     * (nf-core's `wave`: strategy conda,container) is named instead. */
    if (res.changed && req->singularity_url_image && req->singularity_profile) {
        StrBuf way = STRBUF_INIT;
        if (req->wave_profile) strbuf_printf(&way, "launch with -profile %s instead", req->wave_profile);
        else strbuf_puts(&way, "set wave.strategy = 'conda,container' too, or turn Wave on for Docker runs only");
        diag_add(diags, NULL, 0, 0, SEV_WARNING, RULE_WAVE_NOT_ENABLED,
                 "%s: not patched: with -profile %s, wave.enabled = true alone would hand Wave '%.60s', which "
                 "Nextflow refuses (a URL-like prefix); %s", display, req->singularity_profile,
                 req->singularity_url_image, strbuf_failed(&way) ? "" : strbuf_cstr(&way));
        strbuf_free(&way);
        rc = 1;
        goto done;
    }
    rc = 3;

    const char *old = have_li || write_path ? filebytes : layers[t].text;
    size_t oldlen = have_li || write_path ? filelen : layers[t].len;
    const char *neu = res.text;
    size_t neulen = res.len;
    if (have_li && res.changed) {
        char *perr = NULL;
        if (launch_patch_config_text(req->launch_path, filebytes, filelen, &li, res.text, res.len, &newdoc, &perr) != 0) {
            if (!perr) goto done;
            diag_add(diags, NULL, 0, 0, SEV_ERROR, RULE_WAVE_NOT_ENABLED, "%s", perr);
            np_free(perr);
            rc = 1;
            goto done;
        }
        neu = newdoc.data ? newdoc.data : "";
        neulen = newdoc.len;
    } else if (have_li) {
        neu = filebytes;
        neulen = filelen;
    }

    if (!res.changed) {
        if (!req->write && !req->diff) strbuf_append(out, old, oldlen);
        rc = strbuf_failed(out) ? 3 : 0;
        if (rc) *err = np_strdup("out of memory");
        goto done;
    }
    if (req->write) {
        char *notice = NULL;
        if (edit_write_atomic(write_path, filebytes, filelen, &st, neu, neulen, req->force, &notice, err) != 0) {
            if (!*err) *err = np_strdup("out of memory");
            goto done;
        }
        if (notice) diag_add(diags, NULL, 0, 0, SEV_WARNING, RULE_WAVE_STATUS, "%s", notice);
        np_free(notice);
        rc = 0;
    } else if (req->diff) {
        if (edit_unified_diff(display, old, oldlen, display, neu, neulen, out) != 0) goto done;
        rc = 0;
    } else {
        strbuf_append(out, neu, neulen);
        rc = strbuf_failed(out) ? 3 : 0;
    }
    /* said only now: a write that failed above turned nothing on */
    if (rc == 0)
        diag_add(diags, NULL, 0, 0, SEV_INFO, RULE_WAVE_STATUS, "turned Wave on in %s%s: %s", display,
                 req->write ? " (written)" : "", res.summary ? res.summary : "");

done:
    if (rc == 3 && !*err) *err = np_strdup("out of memory");
    strbuf_free(&newdoc);
    fix_result_free(&res);
    if (have_li) launch_info_free(&li);
    np_free(filebytes);
    np_free(dir);
    np_free(tname);
    np_free(layers);
    return rc;
}
