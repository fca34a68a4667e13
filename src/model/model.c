/* model — the launch model (model.h). */
#include "model/model.h"

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
            int bad = 0;
            /* a pattern that needs a ':' is never matched against a declared
             * name (nor an alias): its tail decides, no need to compile it */
            if (s->colon_required) continue;
            if (!(s->re = regex_new(p, len, &bad))) {
                if (!bad) { *out = sel; *n = k; return -1; }
                s->bad = 1;
            }
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
static int selector_matches(const Selector *s, const char *text, size_t n)
{
    switch (s->how) {
    case SM_LITERAL: case SM_SUFFIX: case SM_PREFIX:
        return simple_matches(s->how, s->pat, s->len, text, n);
    case SM_ALT:
        for (size_t i = 0; i < s->nalts; i++)
            if (simple_matches(s->alts[i].how, s->alts[i].text, s->alts[i].len, text, n)) return 1;
        return 0;
    default: return s->bad || !s->re ? 0 : regex_matches_whole(s->re, text, n);
    }
}

static int selector_matches_text(const Selector *s, const char *text)
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

/* Builds task.ext, the selector container and conda of every process. */
static int apply_selectors(const CheckInput *in, LaunchModel *m, PipeEvalEnv *envs, DiagList *diags)
{
    const Value *proc = cfg_get(in->cfg, "process", NULL);
    Selector *sel = NULL;
    size_t nsel = 0;
    if (selectors_compile(proc, &sel, &nsel) != 0) { selectors_free(sel, nsel); return -1; }
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
    if (nsel && (!hit || !order)) { np_free(hit); np_free(order); selectors_free(sel, nsel); return -1; }
    size_t nlabel = 0, nordered = 0;
    for (size_t i = 0; i < nsel; i++)
        if (sel[i].kind == SEL_LABEL) order[nordered++] = i;
    nlabel = nordered;
    for (size_t i = 0; i < nsel; i++)
        if (sel[i].kind == SEL_NAME) order[nordered++] = i;
    const Value *defaults_ext = proc && (proc->kind == V_SCOPE || proc->kind == V_MAP) ? value_get(proc, "ext") : NULL;
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
        /* then the names, least to most specific */
        size_t name_len = strlen(def->name);
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
        /* process-wide defaults fill what no selector set */
        if (defaults_ext && (defaults_ext->kind == V_SCOPE || defaults_ext->kind == V_MAP))
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
     * name; include aliases count (an aliased include is a process too) */
    for (size_t i = 0; i < nsel && rc == 0; i++) {
        if (sel[i].kind != SEL_NAME || sel[i].qualified || sel[i].bad || hit[i] || !sel[i].len) continue;
        for (size_t a = 0; a < m->scan.naliases && !hit[i]; a++) {
            int x = selector_matches_text(&sel[i], m->scan.aliases[a]);
            if (x == -1) { rc = -1; break; }
            hit[i] = x == REGEX_LIMIT || ((x > 0) ^ sel[i].negated);
        }
        if (hit[i] || rc) continue;
        if (!m->unmatched && !(m->unmatched = arena_alloc(m->arena, nsel * sizeof *m->unmatched))) { rc = -1; break; }
        m->unmatched[m->nunmatched++] = sel[i].entry;
    }
    np_free(hit);
    np_free(order);
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
    rc = apply_selectors(in, m, envs, diags);
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
            out->cred_source = c->name ? arena_printf(m->arena, "Platform credential '%s' (%s)", c->name, c->source)
                                       : arena_printf(m->arena, "Platform credential (%s)", c->source);
        } else if (ce) {
            out->cred_source = arena_printf(m->arena, "the compute environment's credential '%s' (%s)",
                                            ce->name ? ce->name : ce->id, ce->source);
        }
        if ((c || ce) && !out->cred_source) return -1;
        out->covered = c || ce;
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
