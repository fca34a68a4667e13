/* model — the launch model (model.h). */
#include "model/model.h"

#include <ctype.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "alloc.h"
#include "regex.h"

/* ---------------- engine, Wave, executor ---------------- */

static const Value *cfg_get(const Config *cfg, const char *key, const Prov **prov)
{
    if (prov) *prov = NULL;
    return cfg && cfg->root ? config_lookup(cfg, key, prov) : NULL;
}

/* `as boolean` of a config value: Groovy truth (DockerConfig & co.). */
static int cfg_truth(const Config *cfg, const char *key, const Prov **prov)
{
    const Value *v = cfg_get(cfg, key, prov);
    return v ? value_truth(v) : 0;
}

static int cfg_string(Arena *a, const Config *cfg, const char *key, const char **out)
{
    *out = NULL;
    const Value *v = cfg_get(cfg, key, NULL);
    if (!v || v->kind != V_STRING || !v->len) return 0;
    *out = arena_strndup(a, v->s, v->len);
    return *out ? 0 : -1;
}

/* The engines Nextflow knows, in Session.getContainerConfig's order: config
 * scope and the name workflow.containerEngine reports. */
static const struct { const char *scope, *name; int image_engine; } engines[] = {
    {"docker", "docker", IMAGE_ENGINE_DOCKER},
    {"podman", "podman", IMAGE_ENGINE_PODMAN},
    {"sarus", "sarus", IMAGE_ENGINE_SARUS},
    {"shifter", "shifter", IMAGE_ENGINE_SHIFTER},
    {"singularity", "singularity", IMAGE_ENGINE_SINGULARITY},
    {"apptainer", "apptainer", IMAGE_ENGINE_APPTAINER},
    {"charliecloud", "charliecloud", IMAGE_ENGINE_CHARLIECLOUD},
    {"appleContainer", "apple-container", IMAGE_ENGINE_DOCKER},   /* docker-style naming */
    {"smolvm", "smolvm", IMAGE_ENGINE_DOCKER},
};

static int setup_engine(const CheckInput *in, LaunchModel *m)
{
    const Config *cfg = in->cfg;
    char key[64];
    for (int e = IMAGE_ENGINE_DOCKER; e <= IMAGE_ENGINE_SHIFTER; e++) {
        const char *name = image_engine_str((ImageEngine)e);
        EngineOptions *eo = &m->eopt[e];
        memset(eo, 0, sizeof *eo);
        eo->engine = (ImageEngine)e;
        snprintf(key, sizeof key, "%s.registry", name);
        if (cfg_string(m->arena, cfg, key, &eo->registry) != 0) return -1;
        snprintf(key, sizeof key, "%s.registryOverride", name);
        eo->registry_override = cfg_truth(cfg, key, NULL) == 1;
        snprintf(key, sizeof key, "%s.ociMode", name);
        eo->oci_mode = cfg_truth(cfg, key, NULL) == 1;
        eo->base_dir = in->launch_dir;
    }
    int chosen = -1;
    for (size_t i = 0; i < sizeof engines / sizeof engines[0]; i++) {
        const Prov *prov = NULL;
        snprintf(key, sizeof key, "%s.enabled", engines[i].scope);
        if (cfg_truth(cfg, key, &prov) != 1) continue;
        if (engines[i].image_engine >= 0 && !strcmp(engines[i].scope, image_engine_str((ImageEngine)engines[i].image_engine)))
            m->eopt[engines[i].image_engine].enabled = 1;
        m->engines_enabled[m->nengines_enabled++] = engines[i].name;
        if (chosen < 0) {
            chosen = (int)i;
            m->engine_prov = prov;
        }
    }
    m->engine = chosen < 0 ? IMAGE_ENGINE_DOCKER : (ImageEngine)engines[chosen].image_engine;
    m->engine_enabled = chosen >= 0;
    m->engine_name = chosen < 0 ? NULL : engines[chosen].name;
    m->engine_option = m->engine_name ? runopts_engine_option(in->run, m->engine_name) : NULL;

    /* WaveFactory: on only for the boolean true */
    const Value *w = cfg_get(cfg, "wave.enabled", NULL);
    m->wave = !w ? 0 : w->kind == V_BOOL ? w->b != 0 : w->kind == V_DYNAMIC ? -1 : 0;
    /* WaveContainerResolver: DOCKER_LIKE docker, podman, sarus, apple-container,
     * smolvm; SINGULARITY_LIKE singularity, apptainer; anything else throws
     * "Wave does not support '<engine>' container engine". */
    m->wave_engine_unsupported = m->wave == 1 && m->engine_name &&
        (!strcmp(m->engine_name, "charliecloud") || !strcmp(m->engine_name, "shifter"));

    /* wave.strategy (WaveConfig default: container, dockerfile, conda) */
    const Value *st = cfg_get(cfg, "wave.strategy", NULL);
    StrBuf b = STRBUF_INIT;
    if (st && st->kind == V_STRING) strbuf_append(&b, st->s, st->len);
    else if (st && st->kind == V_LIST)
        for (size_t i = 0; i < st->nitems; i++)
            if (st->items[i] && st->items[i]->kind == V_STRING) {
                if (b.len) strbuf_putc(&b, ',');
                strbuf_append(&b, st->items[i]->s, st->items[i]->len);
            }
    int conda_at = -1, container_at = -1, pos = 0;
    const char *p = b.data ? b.data : "";
    while (*p) {
        while (*p == ' ' || *p == ',') p++;
        size_t n = strcspn(p, ",");
        size_t t = n;
        while (t && p[t - 1] == ' ') t--;
        if (t == 5 && !strncmp(p, "conda", 5) && conda_at < 0) conda_at = pos;
        if (t == 9 && !strncmp(p, "container", 9) && container_at < 0) container_at = pos;
        if (t) pos++;
        p += n;
    }
    if (!pos) {   /* empty value or items: the default */
        conda_at = 2;
        container_at = 0;
    }
    m->conda_first = conda_at >= 0 && (container_at < 0 || conda_at < container_at);
    /* WaveClient.makeRequest sends freeze and buildRepository as configured;
     * the Wave service refuses a request with a containerImage, freeze on and
     * no custom build repository (seqeralabs/wave 7b8b9f6
     * ContainerController.groovy:267-269, "... freeze mode [2]"; isCustomRepo
     * (null) is false, ValidationServiceImpl.groovy:109-111). A dynamic
     * repository may be one: no claim then. */
    const Value *repo = cfg_get(cfg, "wave.build.repository", NULL);
    m->freeze_no_repo = m->wave == 1 && cfg_truth(cfg, "wave.freeze", &m->freeze_prov) == 1 &&
        cfg_truth(cfg, "wave.mirror", NULL) == 0 && (!repo || repo->kind == V_NULL || (repo->kind == V_STRING && !repo->len));
    m->strategy = arena_strdup(m->arena, pos ? strbuf_cstr(&b) : "container,dockerfile,conda");
    int failed = strbuf_failed(&b) || !m->strategy;
    strbuf_free(&b);
    if (failed) return -1;
    return cfg_string(m->arena, cfg, "process.executor", &m->executor);
}

/* ---------------- selectors ---------------- */

typedef enum SelKind { SEL_LABEL, SEL_NAME } SelKind;
typedef enum SelMatch {
    SM_LITERAL, SM_SUFFIX, SM_PREFIX,   /* NAME, .*NAME, NAME.* */
    SM_ALT,                             /* A|B.*|.*C: alternatives of those three forms */
    SM_REGEX
} SelMatch;

typedef struct SelAlt {      /* one alternative of an SM_ALT pattern */
    SelMatch how;
    const char *text;
    size_t len;
} SelAlt;

typedef struct Selector {
    const Entry *entry;      /* process.'withName:X' and its scope */
    SelKind kind;
    int negated;
    SelMatch how;
    const char *pat;         /* literal or suffix text */
    size_t len;
    Regex *re;
    RegexFilter filter;      /* SM_REGEX: what every match holds, a cheap no before the regex */
    int reads;               /* sets what the model reads (see mark_read): with the include graph,
                                a selector that sets nothing of it is matched only until it hits */
    SelAlt *alts;            /* SM_ALT: the alternatives (np_malloc) */
    size_t nalts;
    int bad;                 /* not a valid pattern: Nextflow stops with PatternSyntaxException */
    /* a pattern with ':' can only match a fully qualified name, which ends
     * with ":" and the process's own name: its last segment decides which
     * processes it may reach (tail_*; tail_any when that cannot be told) */
    int qualified;
    const char *tail;
    size_t tail_len;
    Regex *tail_re;
    size_t tail_prefix;      /* tail `LIT.*`: the literal's length (no regex needed) */
    int tail_any;
    int limit_reported;      /* a match hit the regex work limit and was reported */
    int colon_required;      /* every match contains ':', so no declared name (which never
                                has one) matches: no regex run needed for those */
} Selector;


static int has_meta(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        switch (s[i]) {
        case '\\': case '^': case '$': case '.': case '|': case '?': case '*': case '+':
        case '(': case ')': case '[': case ']': case '{': case '}':
            return 1;
        default:
            break;
        }
    return 0;
}

/* The form of a pattern that needs no regular expression: NAME, .*NAME or
 * NAME.*, with the literal part in text and textlen. 0 when it is none of them. */
static int simple_form(const char *p, size_t len, SelMatch *how, const char **text, size_t *textlen)
{
    *text = p;
    *textlen = len;
    if (!has_meta(p, len)) { *how = SM_LITERAL; return 1; }
    if (len > 2 && p[0] == '.' && p[1] == '*' && !has_meta(p + 2, len - 2)) {
        *how = SM_SUFFIX;
        *text = p + 2;
        *textlen = len - 2;
        return 1;
    }
    if (len > 2 && p[len - 2] == '.' && p[len - 1] == '*' && !has_meta(p, len - 2)) {
        *how = SM_PREFIX;
        *textlen = len - 2;
        return 1;
    }
    return 0;
}

/* 1 when text matches the simple form `how` of literal lit. */
static int simple_matches(SelMatch how, const char *lit, size_t litlen, const char *text, size_t n)
{
    switch (how) {
    case SM_LITERAL: return n == litlen && !memcmp(text, lit, n);
    case SM_SUFFIX: return n >= litlen && !memcmp(text + n - litlen, lit, litlen);
    default: return n >= litlen && !memcmp(text, lit, litlen);
    }
}

/* Splits a pattern with '|' into alternatives when each is a simple form
 * (*out np_malloc'd, *n of them). Returns 1 when it did, 0 when the pattern
 * is not of that shape, -1 when memory ran out. */
static int simple_alternatives(const char *p, size_t len, SelAlt **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    size_t count = 1;
    for (size_t i = 0; i < len; i++) count += p[i] == '|';
    if (count < 2) return 0;
    SelAlt *alts = np_malloc(count * sizeof *alts);
    if (!alts) return -1;
    const char *end = p + len;
    for (size_t k = 0; k < count; k++) {
        const char *bar = memchr(p, '|', (size_t)(end - p));
        size_t pl = bar ? (size_t)(bar - p) : (size_t)(end - p);
        if (!pl || !simple_form(p, pl, &alts[k].how, &alts[k].text, &alts[k].len)) {
            np_free(alts);
            return 0;
        }
        p = bar ? bar + 1 : end;
    }
    *out = alts;
    *n = count;
    return 1;
}

/* `LIT.*` with no other metacharacter: the length of LIT, else 0 for "not that form". */
static size_t prefix_form(const char *p, size_t len)
{
    SelMatch how;
    const char *t;
    size_t tl;
    return simple_form(p, len, &how, &t, &tl) && how == SM_PREFIX ? tl : 0;
}

/* 1 when every text the pattern matches contains ':': a ':' outside any
 * group and character class that no quantifier makes optional, and no
 * alternation at the top. Conservative: 0 when unsure. */
static int colon_required(const char *p, size_t len)
{
    int depth = 0, in_class = 0, found = 0;
    for (size_t i = 0; i < len; i++) {
        char c = p[i];
        if (c == '\\') { i++; continue; }
        if (in_class) { in_class = c != ']'; continue; }
        if (c == '[') in_class = 1;
        else if (c == '(') depth++;
        else if (c == ')') depth--;
        else if (c == '|' && depth == 0) return 0;
        else if (c == ':' && depth == 0 && !(i + 1 < len && strchr("?*{", p[i + 1]))) found = 1;
    }
    return found && depth == 0 && !in_class;
}

/* Compiles an SM_REGEX selector's pattern once (s->bad when it is not a
 * valid one). Returns 0, -1 when memory ran out. */
static int selector_regex(Selector *s)
{
    int bad = 0;
    if (s->re || s->bad) return 0;
    if ((s->re = regex_new(s->pat, s->len, &bad)) != NULL) return 0;
    s->bad = bad;
    return bad ? 0 : -1;
}

/* Compiles the top-level withLabel:/withName: selectors of the process scope
 * (ConfigSelectorResolver: the key after the prefix, trimmed, a leading '!'
 * negates, Java's Pattern.matches on the whole name). */
static int selectors_compile(const Value *proc, Selector **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    if (!proc || (proc->kind != V_SCOPE && proc->kind != V_MAP)) return 0;
    Selector *sel = proc->nentries ? np_calloc(proc->nentries, sizeof *sel) : NULL;
    if (proc->nentries && !sel) return -1;
    size_t k = 0;
    for (size_t i = 0; i < proc->nentries; i++) {
        const Entry *e = &proc->entries[i];
        int alt;
        int label = !strncmp(e->key, "withLabel:", 10), name = !strncmp(e->key, "withName:", 9);
        if ((!label && !name) || !e->val || (e->val->kind != V_SCOPE && e->val->kind != V_MAP)) continue;
        Selector *s = &sel[k++];
        s->entry = e;
        s->kind = label ? SEL_LABEL : SEL_NAME;
        const char *p = e->key + (label ? 10 : 9);
        size_t len = e->keylen - (size_t)(p - e->key);
        while (len && (*p == ' ' || *p == '\t')) p++, len--;
        while (len && (p[len - 1] == ' ' || p[len - 1] == '\t')) len--;
        if (len && *p == '!') {
            s->negated = 1;
            p++, len--;
            while (len && (*p == ' ' || *p == '\t')) p++, len--;
        }
        s->pat = p;
        s->len = len;
        const char *colon = s->kind == SEL_NAME ? memchr(p, ':', len) : NULL;
        if (colon) {
            const char *last = p + len;
            while (last > p && last[-1] != ':') last--;
            s->qualified = 1;
            s->colon_required = colon_required(p, len);
            s->tail = last;
            s->tail_len = (size_t)(p + len - last);
            int depth = 0;
            for (const char *q = p; q < p + len; q++) depth += *q == '(' ? 1 : *q == ')' ? -1 : 0;
            /* a ':' inside a group or a negation: the tail means nothing alone */
            if (s->negated || depth || memchr(last, ')', s->tail_len) || memchr(p, '|', len)) s->tail_any = 1;
            else if (s->tail_len > 2 && (s->tail_prefix = prefix_form(last, s->tail_len))) {
                /* GATK4_.* : a prefix */
            } else if (has_meta(last, s->tail_len)) {
                int bad = 0;
                if (!(s->tail_re = regex_new(last, s->tail_len, &bad))) {
                    if (!bad) { *out = sel; *n = k; return -1; }
                    s->tail_any = 1;
                }
            }
        }
        if (simple_form(p, len, &s->how, &s->pat, &s->len)) {
            /* NAME, .*NAME, NAME.* */
        } else if ((alt = simple_alternatives(p, len, &s->alts, &s->nalts)) != 0) {
            if (alt < 0) { *out = sel; *n = k; return -1; }
            s->how = SM_ALT;
        } else {
            s->how = SM_REGEX;
            regex_filter_init(&s->filter, p, len);
            /* a pattern that needs a ':' is never matched against a declared
             * name (nor an alias): it is compiled when a qualified name first
             * passes its filter (selector_regex), if ever */
            if (s->colon_required) continue;
            if (selector_regex(s) != 0) { *out = sel; *n = k; return -1; }
        }
    }
    *out = sel;
    *n = k;
    return 0;
}

static void selectors_free(Selector *sel, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        regex_free(sel[i].re);
        regex_free(sel[i].tail_re);
        np_free(sel[i].alts);
    }
    np_free(sel);
}

/* 1 match, 0 not, -1 out of memory, REGEX_LIMIT when the pattern needed
 * more work than allowed (whether it matches is unknown). */
static int selector_matches(Selector *s, const char *text, size_t n)
{
    switch (s->how) {
    case SM_LITERAL: case SM_SUFFIX: case SM_PREFIX:
        return simple_matches(s->how, s->pat, s->len, text, n);
    case SM_ALT:
        for (size_t i = 0; i < s->nalts; i++)
            if (simple_matches(s->alts[i].how, s->alts[i].text, s->alts[i].len, text, n)) return 1;
        return 0;
    default:
        if (s->bad) return 0;
        /* most selector regexes hold literals every match starts with,
         * ends with or contains: a cheap no first */
        if (!regex_filter_may_match(&s->filter, text, n)) return 0;
        if (selector_regex(s) != 0) return -1;
        return s->bad ? 0 : regex_matches_whole(s->re, text, n);
    }
}

static int selector_matches_text(Selector *s, const char *text)
{
    return selector_matches(s, text, strlen(text));
}

/* Applies one selector's settings to a process (ProcessConfigBuilder
 * .applyConfigSettings: ext keys merged, other directives replaced). */
static int apply_settings(LaunchModel *m, ModelProcess *mp, const Selector *s)
{
    const Value *scope = s->entry->val;
    for (size_t i = 0; i < scope->nentries; i++) {
        const Entry *e = &scope->entries[i];
        if (!e->val) continue;
        if (!strcmp(e->key, "ext") && (e->val->kind == V_SCOPE || e->val->kind == V_MAP)) {
            for (size_t k = 0; k < e->val->nentries; k++) {
                const Entry *x = &e->val->entries[k];
                if (!value_set(m->arena, mp->ext, x->key, x->keylen, x->val, x->prov)) return -1;
            }
        } else if (!strcmp(e->key, "container")) {
            mp->container_selector = s->entry->key;
            if (e->val->kind == V_NULL) mp->container_selector = NULL;
        } else if (!strcmp(e->key, "conda")) {
            int t = value_truth(e->val);
            mp->conda = t < 0 ? -1 : t;
        }
    }
    return 0;
}

/* 1 when a qualified-name selector may reach a process called `name`
 * (its tail matches the name, or the match is too costly to tell), -1 out
 * of memory. */
static int qualified_may_match(const Selector *s, const char *name, size_t n)
{
    if (s->tail_any) return 1;
    if (s->tail_prefix) return n >= s->tail_prefix && !memcmp(name, s->tail, s->tail_prefix);
    if (s->tail_re) {
        int x = regex_matches_whole(s->tail_re, name, n);
        return x == REGEX_LIMIT ? 1 : x;
    }
    return n == s->tail_len && !memcmp(name, s->tail, n);
}

/* A selector that may apply (a qualified name the model does not know):
 * what it sets becomes unknown rather than wrong. */
static int apply_uncertain(ModelProcess *mp, const Selector *s, PipeEvalEnv *env, const Value **maybe)
{
    const Value *scope = s->entry->val;
    for (size_t i = 0; i < scope->nentries; i++) {
        const Entry *e = &scope->entries[i];
        if (!e->val) continue;
        if (!strcmp(e->key, "ext") && (e->val->kind == V_SCOPE || e->val->kind == V_MAP)) {
            maybe[env->next_maybe++] = e->val;   /* read only when a directive asks for its keys */
        } else if (!strcmp(e->key, "container")) {
            mp->container_uncertain = s->entry->key;
        } else if (!strcmp(e->key, "conda")) {
            mp->conda = -1;
        }
    }
    return 0;
}

/* Applies selector s to a process by its match result x (a
 * selector_matches_text result, the negation not yet applied). A match that
 * needed more regular-expression work than allowed is unknown: what the
 * selector sets becomes unknown, and the selector is reported once where it is
 * written (Java's matcher backtracks the same way at launch). */
static int apply_match(LaunchModel *m, ModelProcess *mp, Selector *s, int x, PipeEvalEnv *env,
                       const Value **maybe, DiagList *diags)
{
    if (x == REGEX_LIMIT) {
        if (!s->limit_reported) {
            s->limit_reported = 1;
            const Entry *ce = value_entry(s->entry->val, "container", 9);
            const Prov *pv = ce && ce->prov ? ce->prov : s->entry->prov;
            if (!diag_add(diags, pv ? pv->src : NULL, pv ? pv->start : 0, pv ? pv->end : 0, SEV_WARNING,
                          RULE_DYNAMIC_VALUE,
                          "selector '%.*s' needs more regular-expression work than allowed to match process '%s' "
                          "(catastrophic backtracking); whether it applies is unknown, so what it sets is unknown "
                          "and the process's own container directive is kept",
                          (int)(s->entry->keylen > 200 ? 200 : s->entry->keylen), s->entry->key, mp->name))
                return -1;
        }
        return apply_uncertain(mp, s, env, maybe);
    }
    if (x < 0) return -1;
    return ((x > 0) ^ s->negated) ? apply_settings(m, mp, s) : 0;
}

/* The name selectors that may match a name, found without trying each:
 * those whose every match ends with one exact last segment (a plain name
 * NAME; a pattern with ':' whose tail after its last ':' is plain, such as
 * '.*:FASTQC' or 'WF:FASTQC') are looked up by that segment, the others
 * are tried in turn. One index serves names without ':' (declared names and
 * include aliases), another fully qualified names. */
typedef struct KeyedSel {
    const char *key;
    size_t len;
    size_t sel;
} KeyedSel;

typedef struct NameIndex {
    KeyedSel *keyed;         /* by key, then config order (np_malloc) */
    size_t nkeyed;
    size_t *others;          /* config order (np_malloc) */
    size_t nothers;
} NameIndex;

static int keyed_cmp(const void *x, const void *y)
{
    const KeyedSel *a = x, *b = y;
    size_t n = a->len < b->len ? a->len : b->len;
    int c = memcmp(a->key, b->key, n);
    if (c) return c;
    if (a->len != b->len) return a->len < b->len ? -1 : 1;
    return a->sel < b->sel ? -1 : a->sel > b->sel;
}

/* Fills ix for names with ':' (qualified) or without. Returns 0, -1 when
 * memory ran out. */
static int index_build(const Selector *sel, size_t nsel, int qualified, NameIndex *ix)
{
    memset(ix, 0, sizeof *ix);
    if (!nsel) return 0;
    ix->keyed = np_malloc(nsel * sizeof *ix->keyed);
    ix->others = np_malloc(nsel * sizeof *ix->others);
    if (!ix->keyed || !ix->others) return -1;
    for (size_t i = 0; i < nsel; i++) {
        const Selector *s = &sel[i];
        if (s->kind != SEL_NAME || s->bad) continue;   /* an invalid pattern matches nothing */
        const char *key = NULL;
        size_t len = 0;
        if (s->negated) {
            /* '!NAME' matches nearly everything: tried */
        } else if (!qualified) {
            /* a match needs a ':' the name does not have */
            if (s->colon_required || (s->how == SM_REGEX && regex_filter_requires(&s->filter, ':'))) continue;
            if (s->how == SM_LITERAL) key = s->pat, len = s->len;
        } else if (s->how == SM_LITERAL && !s->qualified) {
            continue;   /* a plain name has no ':' */
        } else if (s->how == SM_LITERAL || (s->how == SM_SUFFIX && s->qualified)) {
            /* NAME or .*NAME with a ':': the name's last segment is the text
             * after the last ':' */
            const char *c = s->pat + s->len;
            while (c > s->pat && c[-1] != ':') c--;
            if (c > s->pat && c < s->pat + s->len) key = c, len = (size_t)(s->pat + s->len - c);
        } else if (s->how == SM_REGEX) {
            regex_filter_last_segment(&s->filter, ':', &key, &len);
        }
        if (key) ix->keyed[ix->nkeyed++] = (KeyedSel){key, len, i};
        else ix->others[ix->nothers++] = i;
    }
    if (ix->nkeyed > 1) qsort(ix->keyed, ix->nkeyed, sizeof *ix->keyed, keyed_cmp);
    return 0;
}

static void index_free(NameIndex *ix)
{
    np_free(ix->keyed);
    np_free(ix->others);
}

/* The selectors of ix that apply to `name` (config order) appended to
 * seq[*n]; hit[] marks them, limit[] those whose match hit the regex work
 * limit. Returns 0, -1 when memory ran out. */
static int index_matches(Selector *sel, const NameIndex *ix, const char *name, size_t *seq, size_t *n, char *hit,
                         char *limit)
{
    size_t len = strlen(name);
    const char *colon = strrchr(name, ':');
    const char *seg = colon ? colon + 1 : name;
    size_t seglen = len - (size_t)(seg - name);
    /* the first keyed selector whose key is seg */
    size_t lo = 0, hi = ix->nkeyed;
    KeyedSel probe = {seg, seglen, 0};
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (keyed_cmp(&ix->keyed[mid], &probe) < 0) lo = mid + 1;
        else hi = mid;
    }
    size_t k = lo, o = 0;
    for (;;) {
        int keyed_left = k < ix->nkeyed && ix->keyed[k].len == seglen && !memcmp(ix->keyed[k].key, seg, seglen);
        if (!keyed_left && o >= ix->nothers) break;
        size_t i = keyed_left && (o >= ix->nothers || ix->keyed[k].sel < ix->others[o]) ? ix->keyed[k++].sel
                                                                                         : ix->others[o++];
        /* what sets nothing the model reads matters only for "matches nothing" */
        if (!sel[i].reads && hit[i]) continue;
        int x = selector_matches(&sel[i], name, len);
        if (x == -1) return -1;
        if (x == REGEX_LIMIT) {
            if (sel[i].reads) limit[i] = 1;
            else hit[i] = 1;   /* an unknown match is not "matches nothing" */
        } else if ((x > 0) ^ sel[i].negated) {
            hit[i] = 1;
            if (sel[i].reads) seq[(*n)++] = i;
        }
    }
    return 0;
}

/* The two indexes and the scratch room apply_by_invocations works in. */
typedef struct NamePasses {
    NameIndex plain, qualified;
    size_t *first, *other, *base;   /* 3 * nsel each */
    char *limit, *partial;          /* nsel each */
} NamePasses;

static int passes_init(NamePasses *np, const Selector *sel, size_t nsel)
{
    memset(np, 0, sizeof *np);
    size_t room = 3 * nsel + 1;
    np->first = np_malloc(room * sizeof *np->first);
    np->other = np_malloc(room * sizeof *np->other);
    np->base = np_malloc(room * sizeof *np->base);
    np->limit = np_malloc(nsel + 1);
    np->partial = np_malloc(nsel + 1);
    if (!np->first || !np->other || !np->base || !np->limit || !np->partial) return -1;
    if (index_build(sel, nsel, 0, &np->plain) != 0 || index_build(sel, nsel, 1, &np->qualified) != 0) return -1;
    return 0;
}

static void passes_free(NamePasses *np)
{
    index_free(&np->plain);
    index_free(&np->qualified);
    np_free(np->first);
    np_free(np->other);
    np_free(np->base);
    np_free(np->limit);
    np_free(np->partial);
}

/* One invocation's whole sequence into seq (ProcessConfigBuilder.applyConfig):
 * the declared name's selectors (base[0, nbase), the same for every
 * invocation), then the simple name's when it differs, then the fully
 * qualified name's when it differs from both. Returns the count, or -1 when
 * memory ran out. */
static long invocation_sequence(Selector *sel, NamePasses *np, const char *declared, const GraphInvocation *inv,
                                size_t nbase, size_t *seq, char *hit)
{
    size_t n = nbase;
    memcpy(seq, np->base, nbase * sizeof *seq);
    int simple_differs = strcmp(inv->simple, declared) != 0;
    if (simple_differs && index_matches(sel, &np->plain, inv->simple, seq, &n, hit, np->limit) != 0) return -1;
    if (strcmp(inv->qualified, inv->simple) && strcmp(inv->qualified, declared) &&
        index_matches(sel, &np->qualified, inv->qualified, seq, &n, hit, np->limit) != 0)
        return -1;
    return (long)n;
}

/* The conda truth selector s sets (1, 0, -1 cannot tell), or -2 when it
 * sets none. */
static int selector_conda(const Selector *s)
{
    const Entry *e = value_entry(s->entry->val, "conda", 5);
    if (!e || !e->val) return -2;
    int t = value_truth(e->val);
    return t < 0 ? -1 : t;
}

/* The conda an invocation ends with: `before` (the process's own and its
 * label selectors'), then each selector of its sequence that sets one. */
static int sequence_conda(const Selector *sel, const size_t *seq, size_t n, int before)
{
    int c = before;
    for (size_t k = 0; k < n; k++) {
        int t = selector_conda(&sel[seq[k]]);
        if (t != -2) c = t;
    }
    return c;
}

/* 1 when selector i is in seq[0, n). */
static int in_sequence(const size_t *seq, size_t n, size_t i)
{
    for (size_t k = 0; k < n; k++)
        if (seq[k] == i) return 1;
    return 0;
}

/* The name selectors of a process whose invocations the include graph gives
 * (inv[0, ninv)): a selector that applies to every invocation, in the same
 * place among the others, applies; one that applies to some is uncertain
 * (what it sets becomes unknown); hit[] marks every selector that applied
 * to an invocation. The declared name's pass is worked out once; each
 * invocation's simple and qualified names are looked up (NameIndex), never
 * tried against every selector. Returns 0, or -1 when memory ran out. */
static int apply_by_invocations(LaunchModel *m, ModelProcess *mp, Selector *sel, size_t nsel, NamePasses *np,
                                const GraphInvocation *const *inv, size_t ninv, PipeEvalEnv *env, char *hit,
                                DiagList *diags)
{
    memset(np->limit, 0, nsel);
    memset(np->partial, 0, nsel);
    char *limit = np->limit, *partial = np->partial;
    size_t *first = np->first, *other = np->other;
    size_t nbase = 0;
    /* the declared name's pass is the same for every invocation: once */
    if (index_matches(sel, &np->plain, mp->name, np->base, &nbase, hit, limit) != 0) return -1;
    long nfirst = invocation_sequence(sel, np, mp->name, inv[0], nbase, first, hit);
    if (nfirst < 0) return -1;
    /* whether a task has conda is what the model reads of it: each
     * invocation's own answer, the same for all or unknown */
    int conda_before = mp->conda, conda = sequence_conda(sel, first, (size_t)nfirst, conda_before);
    for (size_t v = 1; v < ninv; v++) {
        long nother = invocation_sequence(sel, np, mp->name, inv[v], nbase, other, hit);
        if (nother < 0) return -1;
        if (sequence_conda(sel, other, (size_t)nother, conda_before) != conda) conda = -1;
        /* the same sequence, or every difference is uncertain */
        if (nother == nfirst && !memcmp(first, other, (size_t)nfirst * sizeof *first)) continue;
        for (long k = 0; k < nfirst; k++)
            if (!in_sequence(other, (size_t)nother, first[k])) partial[first[k]] = 1;
        for (long k = 0; k < nother; k++)
            if (!in_sequence(first, (size_t)nfirst, other[k])) partial[other[k]] = 1;
        /* the common ones in another order: none of them is certain */
        size_t a = 0, b = 0;
        int reordered = 0;
        while (a < (size_t)nfirst && b < (size_t)nother && !reordered) {
            if (partial[first[a]]) a++;
            else if (partial[other[b]]) b++;
            else if (first[a] != other[b]) reordered = 1;
            else a++, b++;
        }
        if (reordered)
            for (long k = 0; k < nfirst; k++) partial[first[k]] = 1;
    }
    /* what stays uncertain may set ext keys: room for them */
    size_t nuncertain = 0;
    for (size_t i = 0; i < nsel; i++) nuncertain += partial[i] || limit[i];
    const Value **maybe = NULL;
    if (nuncertain) {
        if (!(maybe = arena_alloc(m->arena, (env->next_maybe + nuncertain) * sizeof *maybe))) return -1;
        if (env->next_maybe) memcpy(maybe, env->ext_maybe, env->next_maybe * sizeof *maybe);
        env->ext_maybe = maybe;
    }
    int rc = 0;
    for (long k = 0; k < nfirst && rc == 0; k++)
        if (!partial[first[k]] && !limit[first[k]]) rc = apply_settings(m, mp, &sel[first[k]]);
    for (size_t i = 0; i < nsel && rc == 0; i++) {
        if (limit[i]) {
            hit[i] = 1;   /* an unknown match is not "matches nothing" */
            rc = apply_match(m, mp, &sel[i], REGEX_LIMIT, env, maybe, diags);
        } else if (partial[i]) {
            rc = apply_uncertain(mp, &sel[i], env, maybe);
        }
    }
    /* a selector applied to some invocations left conda unknown above; each
     * invocation's answer says more (unless a match was itself unknown) */
    int conda_unknown = 0;
    for (size_t i = 0; i < nsel; i++) conda_unknown |= limit[i] && selector_conda(&sel[i]) != -2;
    if (rc == 0 && !conda_unknown) mp->conda = conda;
    return rc;
}

/* The task.ext keys the container directives (and the conditions around
 * them) name as task.ext.KEY, found in one pass over their text (keys point
 * into the sources); any when some read cannot be told (task.ext[...],
 * task.ext?.x, task.ext alone). ext_reads_scan returns 0, -1 when memory ran
 * out. */
typedef struct ExtRead {
    const char *key;
    size_t len;
} ExtRead;

typedef struct ExtReads {
    ExtRead *read;           /* np_malloc */
    size_t n, cap;
    int any;
} ExtReads;

static int ext_reads_scan(ExtReads *r, const Source *src, const Node *expr)
{
    const char *t = src->text + expr->start, *end = src->text + expr->end;
    while (!r->any && t + 8 <= end && (t = memchr(t, 't', (size_t)(end - t))) != NULL) {
        if ((size_t)(end - t) < 8 || memcmp(t, "task.ext", 8)) { t++; continue; }
        t += 8;
        if (t >= end || *t != '.') { r->any = 1; break; }
        const char *k = ++t;
        while (t < end && (isalnum((unsigned char)*t) || *t == '_')) t++;
        if (t == k) { r->any = 1; break; }
        ExtRead *nr = np_grow(r->read, r->n, &r->cap, sizeof *nr, 16);
        if (!nr) return -1;
        r->read = nr;
        r->read[r->n++] = (ExtRead){k, (size_t)(t - k)};
    }
    return 0;
}

static int ext_read(const ExtReads *r, const char *key, size_t len)
{
    if (r->any) return 1;
    for (size_t i = 0; i < r->n; i++)
        if (r->read[i].len == len && !memcmp(r->read[i].key, key, len)) return 1;
    return 0;
}

/* 1 when an ext scope sets a read key to a closure, which reads task.ext
 * itself (any key may then be read). */
static int ext_closure_read(const ExtReads *r, const Value *ext)
{
    for (size_t k = 0; ext && (ext->kind == V_SCOPE || ext->kind == V_MAP) && k < ext->nentries; k++)
        if (ext->entries[k].val && ext->entries[k].val->kind == V_CLOSURE &&
            ext_read(r, ext->entries[k].key, ext->entries[k].keylen))
            return 1;
    return 0;
}

/* Marks the selectors that set what the model reads (apply_settings):
 * container, conda, or an ext key a container directive may read. */
static int mark_read(const LaunchModel *m, Selector *sel, size_t nsel, const Value *defaults_ext)
{
    ExtReads r;
    memset(&r, 0, sizeof r);
    int rc = 0;
    for (size_t d = 0; d < m->scan.ndirs && rc == 0; d++) {
        const PipeDirective *dir = &m->scan.dirs[d];
        rc = ext_reads_scan(&r, dir->src, dir->expr);
        for (size_t g = 0; g < dir->nguards && rc == 0; g++) rc = ext_reads_scan(&r, dir->src, dir->guards[g]);
    }
    if (rc == 0) {
        r.any |= ext_closure_read(&r, defaults_ext);
        for (size_t i = 0; i < nsel && !r.any; i++) r.any = ext_closure_read(&r, value_get(sel[i].entry->val, "ext"));
        for (size_t i = 0; i < nsel; i++) {
            const Value *scope = sel[i].entry->val;
            for (size_t k = 0; k < scope->nentries && !sel[i].reads; k++) {
                const Entry *e = &scope->entries[k];
                if (!strcmp(e->key, "container") || !strcmp(e->key, "conda")) sel[i].reads = 1;
                else if (!strcmp(e->key, "ext") && e->val && (e->val->kind == V_SCOPE || e->val->kind == V_MAP))
                    for (size_t x = 0; x < e->val->nentries && !sel[i].reads; x++)
                        sel[i].reads = ext_read(&r, e->val->entries[x].key, e->val->entries[x].keylen);
            }
        }
    }
    np_free(r.read);
    return rc;
}

/* Builds task.ext, the selector container and conda of every process. */
static int apply_selectors(const CheckInput *in, LaunchModel *m, PipeEvalEnv *envs,
                           const GraphInvocation *const *inv, const size_t *inv0, const size_t *ninv, DiagList *diags)
{
    const Value *proc = cfg_get(in->cfg, "process", NULL);
    Selector *sel = NULL;
    size_t nsel = 0;
    if (selectors_compile(proc, &sel, &nsel) != 0) { selectors_free(sel, nsel); return -1; }
    /* with the include graph, name selectors are looked up per name */
    NamePasses passes;
    int have_passes = m->graph_known && m->ninvocations;
    const Value *defaults_ext = proc && (proc->kind == V_SCOPE || proc->kind == V_MAP) ? value_get(proc, "ext") : NULL;
    if (have_passes && (passes_init(&passes, sel, nsel) != 0 || mark_read(m, sel, nsel, defaults_ext) != 0)) {
        passes_free(&passes);
        selectors_free(sel, nsel);
        return -1;
    }
    int any_bad = 0;
    size_t nuncertain = 0;   /* selectors that may apply without being known to: qualified names
                                and regular expressions (which can hit the work limit) */
    for (size_t i = 0; i < nsel; i++) {
        any_bad |= sel[i].bad;
        nuncertain += sel[i].qualified || sel[i].how == SM_REGEX;
    }
    char *hit = nsel ? np_calloc(nsel, 1) : NULL;
    /* the label selectors, then the name selectors, each in config order */
    size_t *order = nsel ? np_malloc(nsel * sizeof *order) : NULL;
    if (nsel && (!hit || !order)) {
        np_free(hit);
        np_free(order);
        if (have_passes) passes_free(&passes);
        selectors_free(sel, nsel);
        return -1;
    }
    size_t nlabel = 0, nordered = 0;
    for (size_t i = 0; i < nsel; i++)
        if (sel[i].kind == SEL_LABEL) order[nordered++] = i;
    nlabel = nordered;
    for (size_t i = 0; i < nsel; i++)
        if (sel[i].kind == SEL_NAME) order[nordered++] = i;
    const Value *default_conda = proc && (proc->kind == V_SCOPE || proc->kind == V_MAP) ? value_get(proc, "conda") : NULL;
    int rc = 0;
    for (size_t p = 0; p < m->nprocs && rc == 0; p++) {
        ModelProcess *mp = &m->procs[p];
        const PipeProcess *def = mp->def;
        if (!(mp->ext = value_new(m->arena, V_SCOPE))) { rc = -1; break; }
        const Value **maybe = nuncertain ? arena_alloc(m->arena, nuncertain * sizeof *maybe) : NULL;
        if (nuncertain && !maybe) { rc = -1; break; }
        envs[p].ext_maybe = maybe;
        mp->conda = def->conda;
        /* labels first (a process without labels matches as label '') */
        for (size_t o = 0; o < nlabel && rc == 0; o++) {
            size_t i = order[o];
            /* matched by any label: 1, else unknown (REGEX_LIMIT) or 0 */
            int on = def->nlabels ? 0 : selector_matches_text(&sel[i], "");
            for (size_t l = 0; l < def->nlabels && on != 1 && on != -1; l++) {
                int x = selector_matches_text(&sel[i], def->labels[l]);
                if (x != 0) on = x;
            }
            rc = apply_match(m, mp, &sel[i], on, &envs[p], maybe, diags);
        }
        /* then the names, least to most specific: by the include graph
         * when it gives this process's invocations */
        size_t name_len = strlen(def->name);
        if (rc == 0 && have_passes && ninv[p]) {
            rc = apply_by_invocations(m, mp, sel, nsel, &passes, inv + inv0[p], ninv[p], &envs[p], hit, diags);
        } else {
            for (size_t o = nlabel; o < nsel && rc == 0; o++) {
                size_t i = order[o];
                /* ProcessConfigBuilder.applyConfig tries the declared name first:
                 * a pattern with ':' may match it too ('(.+:)?FASTQC') */
                int x = sel[i].colon_required ? 0
                      : sel[i].how == SM_LITERAL ? sel[i].len == name_len && !memcmp(sel[i].pat, def->name, name_len)
                      : selector_matches(&sel[i], def->name, name_len);
                if (x == 0 && !sel[i].negated && !sel[i].qualified) continue;   /* the common case: no match */
                if (sel[i].qualified && x != REGEX_LIMIT && x != -1 && !((x > 0) ^ sel[i].negated)) {
                    int q = qualified_may_match(&sel[i], def->name, name_len);
                    if (q < 0) { rc = -1; break; }
                    if (q) rc = apply_uncertain(mp, &sel[i], &envs[p], maybe);
                    continue;
                }
                /* an unknown match is not reported as matching nothing */
                if (x == REGEX_LIMIT || (x >= 0 && ((x > 0) ^ sel[i].negated))) hit[i] = 1;
                rc = apply_match(m, mp, &sel[i], x, &envs[p], maybe, diags);
            }
        }
        /* process-wide defaults fill what no selector set */
        if (rc == 0 && defaults_ext && (defaults_ext->kind == V_SCOPE || defaults_ext->kind == V_MAP))
            for (size_t k = 0; k < defaults_ext->nentries && rc == 0; k++) {
                const Entry *x = &defaults_ext->entries[k];
                if (!value_entry(mp->ext, x->key, x->keylen) &&
                    !value_set(m->arena, mp->ext, x->key, x->keylen, x->val, x->prov))
                    rc = -1;
            }
        if (mp->conda == 0 && default_conda) {
            int t = value_truth(default_conda);
            mp->conda = t < 0 ? -1 : t;
        }
        envs[p].ext = mp->ext;
        /* task.ext is known only when every selector that might apply was matched */
        envs[p].ext_known = !any_bad && !def->labels_unknown;
    }
    /* Session.validateConfig0: a withName: selector must match some process
     * name (ScriptMeta.allProcessNames: the declared names, the include
     * aliases and the fully qualified names of the invoked processes). A
     * pattern with ':' is checked only when the include graph gives every
     * qualified name a run can have. When the walk stopped at a cap, the
     * process may be in a file not read. */
    for (size_t i = 0; i < nsel && rc == 0 && !m->scan.capped; i++) {
        if (sel[i].kind != SEL_NAME || (sel[i].qualified && !m->graph_known) || sel[i].bad || hit[i] || !sel[i].len)
            continue;
        for (size_t a = 0; a < m->scan.naliases && !hit[i]; a++) {
            int x = selector_matches_text(&sel[i], m->scan.aliases[a]);
            if (x == -1) { rc = -1; break; }
            hit[i] = x == REGEX_LIMIT || ((x > 0) ^ sel[i].negated);
        }
        /* every declared name (the per-process pass above skipped what it
         * need not apply), then the qualified names */
        for (size_t p = 0; m->graph_known && p < m->nprocs && !hit[i] && rc == 0; p++) {
            int x = selector_matches_text(&sel[i], m->procs[p].name);
            if (x == -1) rc = -1;
            hit[i] = x == REGEX_LIMIT || ((x > 0) ^ sel[i].negated);
        }
        for (size_t q = 0; m->graph_known && q < m->ninvocations && !hit[i] && rc == 0; q++) {
            int x = selector_matches_text(&sel[i], m->invocations[q].qualified);
            if (x == -1) rc = -1;
            hit[i] = x == REGEX_LIMIT || ((x > 0) ^ sel[i].negated);
        }
        /* a pattern compiled only now may turn out invalid: not "matches nothing" */
        if (hit[i] || rc || sel[i].bad) continue;
        if (!m->unmatched && !(m->unmatched = arena_alloc(m->arena, nsel * sizeof *m->unmatched))) { rc = -1; break; }
        m->unmatched[m->nunmatched++] = sel[i].entry;
    }
    np_free(hit);
    np_free(order);
    if (have_passes) passes_free(&passes);
    selectors_free(sel, nsel);
    return rc;
}

/* ---------------- build ---------------- */

int model_build(const CheckInput *in, LaunchModel *m, DiagList *diags)
{
    memset(m, 0, sizeof *m);
    if (!(m->arena = arena_new())) return -1;
    if (setup_engine(in, m) != 0) return -1;
    if (!in->pipeline_dir) return 0;

    const Value *params = cfg_get(in->cfg, "params", NULL);
    char *err = NULL;
    m->scan.defer = 1;
    /* the .nf files may have been read ahead while the config resolved (check_run) */
    int rc = in->pipeline_ahead ? pipeline_scan_ahead(&m->scan, in->pipeline_ahead, params, &err)
                                : pipeline_scan_dir(&m->scan, in->pipeline_dir, params, &err);
    if (rc == -2) {
        Diag *d = diag_add(diags, NULL, 0, 0, SEV_WARNING, RULE_CONFIG_ERROR, "%s",
                           err ? err : "cannot read the pipeline directory");
        np_free(err);
        return d ? 0 : -1;
    }
    np_free(err);
    if (rc != 0) return -1;
    m->scanned = 1;
    if (m->scan.capped) {
        /* the walk stopped at a cap (pipeline.h): what it did not read is not checked */
        char cap[48];
        if (m->scan.capped == PIPE_CAP_FILES) snprintf(cap, sizeof cap, "%d files", PIPE_MAX_FILES);
        else snprintf(cap, sizeof cap, "%zu MiB", PIPE_MAX_TOTAL_BYTES >> 20);
        if (!diag_add(diags, NULL, 0, 0, DIAG_DEFAULT_SEV, RULE_NOT_CHECKED,
                      "the pipeline's .nf files were not all read: more than %s of them in all; '%s' and the "
                      "files after it (in name order) were not checked", cap, m->scan.first_unread))
            return -1;
    }
    m->nprocs = m->scan.nprocs;
    if (!m->nprocs) return 0;
    m->procs = arena_alloc(m->arena, m->nprocs * sizeof *m->procs);
    PipeEvalEnv *envs = np_calloc(m->nprocs, sizeof *envs);
    if (!m->procs || !envs) { np_free(envs); return -1; }
    Value *no_params = params ? NULL : value_new(m->arena, V_SCOPE);
    for (size_t p = 0; p < m->nprocs; p++) {
        m->procs[p].def = &m->scan.procs[p];
        m->procs[p].name = m->scan.procs[p].name;
        envs[p].params = params ? params : no_params;
    }
    for (size_t d = 0; d < m->scan.ndirs; d++) m->procs[m->scan.dirs[d].process].has_directive = 1;
    /* the qualified names, from the main script (manifest.mainScript) */
    const char *main_script = NULL;
    if (cfg_string(m->arena, in->cfg, "manifest.mainScript", &main_script) != 0) { np_free(envs); return -1; }
    int g = graph_invocations(&m->scan, in->pipeline_dir, main_script && *main_script ? main_script : "main.nf",
                              m->arena, &m->invocations, &m->ninvocations, &m->graph_why);
    if (g < 0) { np_free(envs); return -1; }
    m->graph_known = g == 1;
    /* each process's invocations, grouped */
    size_t *inv0 = np_calloc(m->nprocs, sizeof *inv0), *ninv = np_calloc(m->nprocs, sizeof *ninv);
    const GraphInvocation **byproc = m->ninvocations ? arena_alloc(m->arena, m->ninvocations * sizeof *byproc) : NULL;
    if (!inv0 || !ninv || (m->ninvocations && !byproc)) { np_free(envs); np_free(inv0); np_free(ninv); return -1; }
    for (size_t q = 0; q < m->ninvocations; q++) ninv[m->invocations[q].proc]++;
    for (size_t p = 1; p < m->nprocs; p++) inv0[p] = inv0[p - 1] + ninv[p - 1];
    for (size_t p = 0; p < m->nprocs; p++) {
        m->procs[p].invocations = byproc ? byproc + inv0[p] : NULL;
        ninv[p] = 0;
    }
    for (size_t q = 0; q < m->ninvocations; q++) {
        size_t p = m->invocations[q].proc;
        byproc[inv0[p] + ninv[p]++] = &m->invocations[q];
    }
    for (size_t p = 0; p < m->nprocs; p++) m->procs[p].ninvocations = ninv[p];
    rc = apply_selectors(in, m, envs, byproc, inv0, ninv, diags);
    np_free(inv0);
    np_free(ninv);
    if (rc == 0) rc = pipeline_scan_evaluate(&m->scan, envs);
    np_free(envs);
    if (rc != 0) return -1;
    /* WaveClient.resolveConflicts: the first strategy item the task has wins */
    for (size_t p = 0; p < m->nprocs; p++)
        m->procs[p].wave_builds = m->wave == 1 && m->conda_first && m->procs[p].conda == 1;
    return 0;
}

void model_free(LaunchModel *m)
{
    pipeline_scan_free(&m->scan);
    arena_free(m->arena);
    memset(m, 0, sizeof *m);
}

int model_take_sources(LaunchModel *m, Source ***out, size_t *n)
{
    return pipeline_scan_take_sources(&m->scan, out, n);
}

/* ---------------- hosts and pullers ---------------- */

static int host_in(const StrList *l, const char *host)
{
    for (size_t i = 0; l && i < l->len; i++)
        if (l->items[i] && !strcasecmp(l->items[i], host)) return 1;
    return 0;
}

RegistryClass model_host_class(const CheckInput *in, const char *host)
{
    if (in && in->settings) {
        if (host_in(&in->settings->private_registries, host)) return REGISTRY_CLASS_LOGIN;
        if (host_in(&in->settings->public_registries, host)) return REGISTRY_CLASS_PUBLIC;
    }
    return registry_class(host);
}

RegistryClass model_pull_class(const CheckInput *in, const char *host, ModelPuller by)
{
    RegistryClass cls = model_host_class(in, host);
    /* loopback is in the login class because hosted Wave cannot reach it;
     * the engine on the node pulls from it, and many such registries take
     * anonymous pulls */
    if (cls == REGISTRY_CLASS_LOGIN && by != MODEL_PULL_WAVE && registry_provider(host) == REGISTRY_PROVIDER_LOCAL &&
        !(in && in->settings && host_in(&in->settings->private_registries, host)))
        return REGISTRY_CLASS_UNKNOWN;
    return cls;
}

const char *model_puller_str(ModelPuller p)
{
    switch (p) {
    case MODEL_PULL_ENGINE: return "engine";
    case MODEL_PULL_WAVE: return "wave";
    case MODEL_PULL_EXECUTOR: return "executor";
    default: return "none";
    }
}

int model_pull(const LaunchModel *m, const CheckInput *in, const char *host, int wave_builds, ModelPull *out)
{
    memset(out, 0, sizeof *out);
    const CredList *creds = in ? in->creds : NULL;
    if (wave_builds) {
        out->by = MODEL_PULL_NONE;
        out->reason = "built by Wave from the conda directive (wave.strategy puts conda first)";
        return 0;
    }
    if (!host) {
        out->by = MODEL_PULL_NONE;
        out->reason = "not a registry image";
        return 0;
    }
    if (m->wave == 1 && !m->wave_engine_unsupported) {
        out->by = MODEL_PULL_WAVE;
        out->reason = "Wave pulls with the Platform workspace's credentials for this exact host";
        if (registry_provider(host) == REGISTRY_PROVIDER_SEQERA) {
            /* RegistryCredentialsProviderImpl: Wave's own registries use Wave's credentials */
            out->cred_source = "Wave's own credentials";
            out->covered = 1;
            return 0;
        }
        const Credential *c = creds ? creds_match(creds, host) : NULL;
        /* a Platform run on AWS Batch: Wave logs in to ECR with the compute
         * environment's AWS keys (creds_compute_fallback) */
        const Credential *ce = c ? NULL : creds_compute_fallback(creds, in ? in->compute_platform : NULL,
                                                                 in ? in->compute_credentials_id : NULL, host);
        if (c) {
            /* Wave takes the first credential for the host whatever its status
             * (CredentialServiceImpl.findRegistryCreds reads id, provider and
             * registry only): one Platform marks INVALID is still used, and
             * the compute environment's keys are not tried */
            const char *invalid = c->flags & CRED_INVALID ? ", marked INVALID by Platform" : "";
            out->cred_source = c->name ? arena_printf(m->arena, "Platform credential '%s' (%s)%s", c->name, c->source,
                                                      invalid)
                                       : arena_printf(m->arena, "Platform credential (%s)%s", c->source, invalid);
            if (c->flags & CRED_INVALID) out->invalid = c;
        } else if (ce) {
            out->cred_source = arena_printf(m->arena, "the compute environment's credential '%s' (%s)",
                                            ce->name ? ce->name : ce->id, ce->source);
        }
        if ((c || ce) && !out->cred_source) return -1;
        out->covered = (c && !out->invalid) || ce;
        return 0;
    }
    /* Wave off: the executor pulls with its cloud identity where it has one
     * (AWS Batch's instance role for ECR, Google Batch's service account for
     * Artifact Registry and GCR): the config's executor, or a Platform run's
     * compute environment */
    const char *platform = in && in->compute_platform ? in->compute_platform
                         : m->executor && !strcmp(m->executor, "awsbatch") ? "aws-batch"
                         : m->executor && !strcmp(m->executor, "google-batch") ? "google-batch" : NULL;
    if (creds_compute_identity_pulls(platform, host)) {
        int aws = !strcmp(platform, "aws-batch");
        out->by = MODEL_PULL_EXECUTOR;
        out->reason = aws ? "AWS Batch pulls ECR images with the compute environment's instance role"
                          : "Google Batch pulls Artifact Registry images with its service account";
        out->cred_source = aws ? "the AWS Batch instance role" : "the Google Batch service account";
        out->covered = 1;
        return 0;
    }
    out->by = MODEL_PULL_ENGINE;
    out->reason = "the container engine pulls with the compute node's local logins";
    const Credential *c = creds ? creds_match_local(creds, host) : NULL;
    if (c) {
        out->cred_source = arena_printf(m->arena, "local login (%s)", c->source);
        if (!out->cred_source) return -1;
        out->covered = 1;
    }
    return 0;
}
