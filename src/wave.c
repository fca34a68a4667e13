/* wave — the Wave, Fusion and Platform-token rules (nextflow-config.md §5.4,
 * §6, §7; seqera-wave-credentials.md §0, §4). Wave is on only when
 * wave.enabled resolves to the boolean true (WaveFactory compares with
 * `== true`); Fusion's own check uses Groovy truth. */
#include "checks.h"
#include "alloc.h"
#include "fix.h"
#include "image.h"
#include "registry.h"
#include "suggest.h"
#include "walk.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

/* ---------------- small helpers ---------------- */

static const Node *tree_of(const Config *cfg, const Source *src)
{
    for (size_t i = 0; src && i < cfg->nsources; i++)
        if (cfg->sources[i] == src) return cfg->trees[i];
    return NULL;
}

static const char *env_get(const Config *cfg, const char *name)
{
    const Value *v = cfg->env ? value_get(cfg->env, name) : NULL;
    return v && v->kind == V_STRING && v->len ? v->s : NULL;
}

/* Where a diagnostic about `prov` goes: the assignment, else the start of the
 * first config file. */
static const Source *at_src(const Config *cfg, const Prov *p, size_t *s, size_t *e)
{
    if (p && p->src) {
        *s = p->start;
        *e = p->end;
        return p->src;
    }
    *s = *e = 0;
    return cfg->nsources ? cfg->sources[0] : NULL;
}

/* "FILE:LINE" and ", in profile 'x'" of an assignment. */
static void describe_prov(StrBuf *b, const Prov *p)
{
    if (!p || !p->src) {
        strbuf_puts(b, "on the command line");
        return;
    }
    unsigned l, c;
    source_linecol(p->src, p->start, &l, &c);
    strbuf_printf(b, "%s:%u", p->src->name, l);
    if (p->profile) strbuf_printf(b, ", in profile '%s'", p->profile);
}

static void describe_value(StrBuf *b, const Value *v)
{
    if (!v) { strbuf_puts(b, "unset"); return; }
    if (v->kind == V_STRING) {
        strbuf_putc(b, '\'');
        strbuf_append(b, v->s, v->len > 40 ? 40 : v->len);
        if (v->len > 40) strbuf_puts(b, "...");
        strbuf_putc(b, '\'');
        return;
    }
    if (v->kind == V_SCOPE || v->kind == V_MAP || v->kind == V_LIST) {
        strbuf_puts(b, v->kind == V_LIST ? "a list" : "a block of settings");
        return;
    }
    if (!value_to_string(b, v)) strbuf_puts(b, value_kind_name(v->kind));
}

/* Groovy truth of a looked-up value: 1, 0, or -1 when unknown; absent is 0. */
static int truth(const Value *v)
{
    return v ? value_truth(v) : 0;
}

/* "'a', 'b' and 'c'" */
static void name_list(StrBuf *b, const char *const *names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        strbuf_printf(b, "%s'%s'", i == 0 ? "" : i + 1 == n ? " and " : ", ", names[i]);
}

/* How to turn Wave on for this launch: -with-wave always; an unselected
 * profile that turns Wave on only when it changes nothing else that matters
 * (a profile named `wave` first); profiles that also change the architecture
 * or the engine are named as such, never suggested. */
static void wave_on_hint(const Config *cfg, StrBuf *b)
{
    FixWaveProfiles wp;
    fix_wave_profiles(cfg, &wp);
    const char *const *clean = wp.clean, *const *platform = wp.platform;
    size_t nclean = wp.nclean, nplatform = wp.nplatform;
    if (nclean) {
        strbuf_printf(b, "; profile%s ", nclean > 1 ? "s" : "");
        name_list(b, clean, nclean);
        strbuf_printf(b, " turn%s it on: add -profile %s, or run with -with-wave", nclean > 1 ? "" : "s", clean[0]);
    }
    else
        strbuf_puts(b, "; run with -with-wave, or set wave.enabled = true");
    if (nplatform) {
        strbuf_printf(b, " (profile%s ", nplatform > 1 ? "s" : "");
        name_list(b, platform, nplatform);
        strbuf_printf(b, " also turn%s Wave on but change%s the architecture or the container engine)",
                      nplatform > 1 ? "" : "s", nplatform > 1 ? "" : "s");
    }
}

/* In a Platform run whose compute environment has a Wave containers toggle
 * (prerun: the platforms whose ComputeConfig schema has `waveEnabled`), the
 * toggle turns Wave on unless the deciding `wave.enabled = false` sits above
 * it: in the launch form's Nextflow config (configText), the one layer
 * Platform puts over the compute environment's settings (docs/platform.md,
 * "How the configuration is layered"). */
static int toggle_would_enable(const CheckInput *in, const Prov *wp)
{
    if (!in->compute_wave_toggle) return 0;
    if (!wp || !wp->src || !wp->src->name) return 1;
    const char *above = "#configText";
    size_t n = strlen(wp->src->name), k = strlen(above);
    return !(n >= k && !strcmp(wp->src->name + n - k, above));
}

/* The hint for such a run: the switch is in Platform, not in a file. */
static void compute_env_hint(const CheckInput *in, StrBuf *b)
{
    const char *name = in->compute_env_name ? in->compute_env_name : "NAME";
    strbuf_printf(b, "; enable Wave containers on this run's compute environment '%s' (Platform: Compute "
                     "Environments > %s > Wave containers) or launch on one that has it on; the launch form's "
                     "Nextflow config can also set wave.enabled = true", name, name);
}

/* ---------------- fixes ---------------- */

/* Attaches the edit `fix` would make when it lies in `src` (the source the
 * diagnostic points at). Only the unambiguous cases: flipping the deciding
 * literal, or adding the setting when it is not set anywhere. */
static void attach_wave_fix(DiagList *diags, Diag *d, const Config *cfg, const Source *src, int absent)
{
    if (!d || !src) return;
    Edit e;
    FixHow how;
    int st = fix_wave_step(cfg, src, 0, &e, &how);
    if (st == FIX_STEP_OOM) { diags->oom = 1; return; }
    if (st != FIX_STEP_EDIT) return;
    if (absent || how == FIX_HOW_FLIP) diag_add_edit(diags, d, e.start, e.end, e.text);
    np_free(e.text);
}

/* For a non-boolean literal: the boolean it was meant to be. */
static void attach_boolean_fix(DiagList *diags, Diag *d, const Config *cfg, const Prov *p, const Value *v)
{
    if (!d || !p || !p->src) return;
    const char *with = NULL;
    if (v->kind == V_STRING) {
        if (v->len == 4 && !strncasecmp(v->s, "true", 4)) with = "true";
        else if (v->len == 5 && !strncasecmp(v->s, "false", 5)) with = "false";
    } else if (v->kind == V_INT) {
        with = v->i ? "true" : "false";
    }
    const Node *val = with ? fix_assignment_value(tree_of(cfg, p->src), p->start, p->end) : NULL;
    if (val && fix_is_literal(val)) diag_add_edit(diags, d, val->start, val->end, with);
}

/* ---------------- private registries (for the token rule's severity) ---------------- */

static int private_in_scope(const Value *scope, const EngineOptions *opt, int depth)
{
    if (!scope || depth > 16) return 0;
    for (size_t i = 0; i < scope->nentries; i++) {
        const Entry *e = &scope->entries[i];
        if (!e->val) continue;
        if (e->val->kind == V_SCOPE) {
            if (private_in_scope(e->val, opt, depth + 1)) return 1;
        } else if (!strcmp(e->key, "container") && e->val->kind == V_STRING && e->val->len) {
            char *raw = np_strndup(e->val->s, e->val->len);
            int status = 0;
            char *host = raw ? image_registry_host(raw, opt, &status, NULL) : NULL;
            /* an unknown host counts as one that needs a login (issue 13 will refine) */
            RegistryClass cls = host ? registry_class(host) : REGISTRY_CLASS_PUBLIC;
            int priv = cls == REGISTRY_CLASS_LOGIN || cls == REGISTRY_CLASS_UNKNOWN;
            np_free(host);
            np_free(raw);
            if (priv) return 1;
        }
    }
    return 0;
}

static int references_private_registry(const Config *cfg)
{
    EngineOptions opt;
    memset(&opt, 0, sizeof opt);
    opt.engine = IMAGE_ENGINE_DOCKER;
    const Value *reg = config_lookup(cfg, "docker.registry", NULL);
    char *regs = reg && reg->kind == V_STRING ? np_strndup(reg->s, reg->len) : NULL;
    opt.registry = regs;
    int r = private_in_scope(value_get(cfg->root, "process"), &opt, 0);
    np_free(regs);
    return r;
}

/* ---------------- the rules ---------------- */

static const char *const strategies[] = {"container", "dockerfile", "conda"};

static void check_strategy(const Config *cfg, DiagList *diags)
{
    const Prov *p = NULL;
    const Value *v = config_lookup(cfg, "wave.strategy", &p);
    if (!v || v->kind == V_DYNAMIC || value_is_dynamic_deep(v)) return;
    /* a list of names, or one comma-separated string */
    const char *items[32];
    size_t lens[32], n = 0;
    if (v->kind == V_STRING) {
        size_t st = 0;
        for (size_t i = 0; i <= v->len && n < 32; i++) {
            if (i == v->len || v->s[i] == ',') {
                /* Groovy's tokenize(',') drops empty tokens: 'conda,,container' and '' are fine */
                if (i > st) {
                    items[n] = v->s + st;
                    lens[n] = i - st;
                    n++;
                }
                st = i + 1;
            }
        }
    } else if (v->kind == V_LIST) {
        for (size_t i = 0; i < v->nitems && n < 32; i++) {
            const Value *it = v->items[i];
            if (!it || it->kind != V_STRING) {
                size_t s, e;
                const Source *src = at_src(cfg, p, &s, &e);
                diag_add(diags, src, s, e, DIAG_DEFAULT_SEV, RULE_WAVE_INVALID_STRATEGY,
                         "wave.strategy item %zu is not a string; use names from: container, dockerfile, conda", i + 1);
                return;
            }
            items[n] = it->s;
            lens[n] = it->len;
            n++;
        }
    } else {
        size_t s, e;
        const Source *src = at_src(cfg, p, &s, &e);
        diag_add(diags, src, s, e, DIAG_DEFAULT_SEV, RULE_WAVE_INVALID_STRATEGY,
                 "wave.strategy must be a list or a comma-separated string of container, dockerfile, conda");
        return;
    }
    for (size_t k = 0; k < n; k++) {
        const char *w = items[k];
        size_t len = lens[k];
        while (len && isspace((unsigned char)*w)) { w++; len--; }
        while (len && isspace((unsigned char)w[len - 1])) len--;
        int ok = 0;
        for (size_t j = 0; j < 3; j++) ok |= strlen(strategies[j]) == len && !memcmp(strategies[j], w, len);
        if (ok) continue;
        char word[64];
        size_t wl = len < sizeof word - 1 ? len : sizeof word - 1;
        memcpy(word, w, wl);
        word[wl] = '\0';
        const char *best[1];
        size_t nb = suggest_closest(word, strategies, 3, best, 1);
        size_t s, e;
        const Source *src = at_src(cfg, p, &s, &e);
        Diag *d = diag_add(diags, src, s, e, DIAG_DEFAULT_SEV, RULE_WAVE_INVALID_STRATEGY,
                           "'%s' is not a Wave strategy%s%s%s; Nextflow accepts container, dockerfile and conda",
                           word, nb ? " (did you mean '" : "", nb ? best[0] : "", nb ? "'?)" : "");
        (void)d;
    }
}

/* FileHelper.getUrlProtocol: `file:/...`, or ^[a-zA-Z][a-zA-Z0-9]*://.+ */
static int has_scheme(const char *s, size_t len)
{
    size_t i = 0;
    if (len >= 6 && !memcmp(s, "file:/", 6)) return 1;
    if (!len || !isalpha((unsigned char)s[0])) return 0;
    while (i < len && isalnum((unsigned char)s[i])) i++;
    return i + 3 < len && s[i] == ':' && s[i + 1] == '/' && s[i + 2] == '/';
}

/* WaveConfig.validateConfig throws when the plugin reads the config, so with
 * Wave on the run aborts: an error; with Wave unknown, a warning. */
static void check_repositories(const Config *cfg, int wave_on, DiagList *diags)
{
    static const char *const keys[] = {"wave.build.repository", "wave.build.cacheRepository"};
    for (size_t k = 0; k < 2; k++) {
        const Prov *p = NULL;
        const Value *v = config_lookup(cfg, keys[k], &p);
        if (!v || v->kind != V_STRING || !has_scheme(v->s, v->len)) continue;
        const char *rest = memchr(v->s, ':', v->len);
        size_t skip = rest ? (size_t)(rest - v->s) + 3 : 0;
        size_t s, e;
        const Source *src = at_src(cfg, p, &s, &e);
        diag_add(diags, src, s, e, wave_on ? SEV_ERROR : SEV_WARNING, RULE_WAVE_REPOSITORY_HAS_SCHEME,
                 "%s must be a registry path without a scheme: use '%.*s'; the Wave plugin stops the run with "
                 "\"Config setting '%s' should not include any protocol prefix\"", keys[k],
                 (int)(v->len - skip), v->s + skip, keys[k]);
    }
}

/* Values the Wave plugin refuses when it reads the config or builds a
 * request, aborting the run: an error with Wave on, a warning when whether
 * Wave is on is unknown. */
static void check_enumerated(const Config *cfg, int wave_on, DiagList *diags)
{
    Severity sev = wave_on ? SEV_ERROR : SEV_WARNING;
    const Prov *p = NULL;
    size_t s, e;
    const Source *src;
    /* WaveScanConfig: `opts.mode as ScanMode`, Enum.valueOf: case-sensitive */
    const Value *v = config_lookup(cfg, "wave.scan.mode", &p);
    if (v && v->kind == V_STRING && !((v->len == 4 && !memcmp(v->s, "none", 4)) ||
                                      (v->len == 5 && !memcmp(v->s, "async", 5)) ||
                                      (v->len == 8 && !memcmp(v->s, "required", 8)))) {
        src = at_src(cfg, p, &s, &e);
        diag_add(diags, src, s, e, sev, RULE_CONFIG_ERROR,
                 "wave.scan.mode is '%.*s': the Wave plugin accepts none, async or required (exactly so; "
                 "io.seqera.wave.api.ScanMode) and fails otherwise", (int)(v->len > 40 ? 40 : v->len), v->s);
    }
    /* WaveBuildCompressionConfig: BuildCompression.Mode.valueOf(mode.toLowerCase()) when set */
    v = config_lookup(cfg, "wave.build.compression.mode", &p);
    if (v && v->kind == V_STRING && v->len) {
        char low[16] = {0};
        for (size_t i = 0; i < v->len && i < sizeof low - 1; i++) low[i] = (char)tolower((unsigned char)v->s[i]);
        if (v->len >= sizeof low || (strcmp(low, "gzip") && strcmp(low, "estargz") && strcmp(low, "zstd"))) {
            src = at_src(cfg, p, &s, &e);
            diag_add(diags, src, s, e, sev, RULE_CONFIG_ERROR,
                     "wave.build.compression.mode is '%.*s': the Wave plugin accepts gzip, estargz or zstd and "
                     "fails otherwise", (int)(v->len > 40 ? 40 : v->len), v->s);
        }
    }
    /* WaveConfig.validateConfig: the endpoint's protocol must be http or https */
    v = config_lookup(cfg, "wave.endpoint", &p);
    if (v && v->kind == V_STRING && v->len &&
        !((v->len > 7 && !memcmp(v->s, "http://", 7)) || (v->len > 8 && !memcmp(v->s, "https://", 8)))) {
        src = at_src(cfg, p, &s, &e);
        diag_add(diags, src, s, e, sev, RULE_CONFIG_ERROR,
                 "wave.endpoint is '%.*s': the Wave plugin stops the run with \"Endpoint URL should start with "
                 "'http:' or 'https:' protocol prefix\"", (int)(v->len > 60 ? 60 : v->len), v->s);
    }
    /* PlatformHelper.getWorkspaceId: `as Long`, outside Platform runs */
    v = config_lookup(cfg, "tower.workspaceId", &p);
    if (v && v->kind == V_STRING && v->len && !env_get(cfg, "TOWER_WORKFLOW_ID")) {
        int blanks = isspace((unsigned char)v->s[0]) || isspace((unsigned char)v->s[v->len - 1]);
        size_t i = (v->s[0] == '-' || v->s[0] == '+') ? 1 : 0;   /* Long.valueOf takes a sign */
        size_t digits = strspn(v->s + i, "0123456789");
        if (!blanks && (!digits || i + digits != v->len)) {   /* blanks: not judged here */
            src = at_src(cfg, p, &s, &e);
            diag_add(diags, src, s, e, sev, RULE_CONFIG_ERROR,
                     "tower.workspaceId is '%.*s', not a number: Wave stops the run with \"Invalid Seqera Platform "
                     "workspace ID\"", (int)(v->len > 40 ? 40 : v->len), v->s);
        }
    }
}

/* Where `name` comes in the strategy Nextflow applies (WaveConfig.parseStrategy:
 * an unset or empty value is the default container,dockerfile,conda): its
 * position, -1 when absent, -2 when the strategy cannot be known here. */
static int strategy_rank(const Value *v, const char *name)
{
    size_t nlen = strlen(name);
    if (!v || v->kind == V_NULL || (v->kind == V_STRING && !v->len) || (v->kind == V_LIST && !v->nitems)) {
        for (int i = 0; i < 3; i++)
            if (!strcmp(strategies[i], name)) return i;
        return -1;
    }
    if (v->kind == V_DYNAMIC || value_is_dynamic_deep(v)) return -2;
    int rank = 0;
    for (size_t i = 0, st = 0; v->kind == V_STRING && i <= v->len; i++) {
        if (i < v->len && v->s[i] != ',') continue;
        const char *w = v->s + st;
        size_t len = i - st;
        st = i + 1;
        if (!len) continue;                 /* tokenize(',') drops empty tokens */
        while (len && isspace((unsigned char)*w)) { w++; len--; }
        while (len && isspace((unsigned char)w[len - 1])) len--;
        if (len == nlen && !memcmp(w, name, len)) return rank;
        rank++;
    }
    for (size_t i = 0; v->kind == V_LIST && i < v->nitems; i++)
        if (v->items[i] && v->items[i]->kind == V_STRING && v->items[i]->len == nlen && !memcmp(v->items[i]->s, name, nlen))
            return (int)i;
    return v->kind == V_STRING || v->kind == V_LIST ? -1 : -2;
}

/* wave.freeze without wave.build.repository: Nextflow sends the request
 * (WaveClient checks only mirror); the Wave service decides
 * (ContainerController.handleRequest): it rejects a frozen container image or
 * container file without a custom repository ("Attribute `buildRepository`
 * must be specified when using freeze mode"), and builds conda packages into
 * its default public repository when it has one (hosted Wave:
 * community.wave.seqera.io). Which request a process sends follows the
 * strategy (WaveClient.resolveConflicts): the first of its entries the process
 * has. */
static void check_freeze_repository(const Config *cfg, const Prov *fp, DiagList *diags)
{
    const Value *strategy = config_lookup(cfg, "wave.strategy", NULL);
    const Value *endpoint = config_lookup(cfg, "wave.endpoint", NULL);
    int container = strategy_rank(strategy, "container"), conda = strategy_rank(strategy, "conda");
    if (container == -2 || conda == -2) return;
    int hosted = !endpoint || (endpoint->kind == V_STRING &&
                               (!endpoint->len || (endpoint->len >= 22 && !strncmp(endpoint->s, "https://wave.seqera.io", 22) &&
                                                   strspn(endpoint->s + 22, "/") == endpoint->len - 22)));
    size_t s, e;
    const Source *src = at_src(cfg, fp, &s, &e);
    if (container >= 0 && (conda < 0 || container < conda)) {
        diag_add(diags, src, s, e, DIAG_DEFAULT_SEV, RULE_WAVE_FREEZE_REQUIRES_REPOSITORY,
                 "wave.freeze is on without wave.build.repository, and the strategy sends each process's container "
                 "image to Wave first: the Wave service rejects such requests (\"Attribute `buildRepository` must be "
                 "specified when using freeze mode\"); set wave.build.repository, or put conda first "
                 "(wave.strategy = 'conda,container') so Wave builds from the conda packages");
    } else if (conda >= 0 && !hosted) {
        diag_add(diags, src, s, e, SEV_WARNING, RULE_WAVE_FREEZE_REQUIRES_REPOSITORY,
                 "wave.freeze is on without wave.build.repository and wave.endpoint is not hosted Wave: this Wave "
                 "service builds conda packages without a repository only when it has a default public repository, "
                 "else it rejects the request (\"Attribute `buildRepository` must be specified when using freeze mode\")");
    }
}

static void check_freeze_mirror(const Config *cfg, DiagList *diags)
{
    const Prov *fp = NULL, *mp = NULL, *rp = NULL;
    const Value *freeze = config_lookup(cfg, "wave.freeze", &fp);
    const Value *mirror = config_lookup(cfg, "wave.mirror", &mp);
    const Value *repo = config_lookup(cfg, "wave.build.repository", &rp);
    int have_repo = repo && (repo->kind == V_DYNAMIC || (repo->kind == V_STRING && repo->len) ||
                             (repo->kind != V_STRING && repo->kind != V_NULL));
    size_t s, e;
    const Source *src;
    if (truth(freeze) == 1 && !have_repo && truth(mirror) != 1) check_freeze_repository(cfg, fp, diags);
    if (truth(mirror) == 1 && !have_repo) {
        src = at_src(cfg, mp, &s, &e);
        diag_add(diags, src, s, e, DIAG_DEFAULT_SEV, RULE_WAVE_MIRROR_REQUIRES_REPOSITORY,
                 "wave.mirror is on but wave.build.repository is not set; Nextflow stops with \"Wave configuration "
                 "setting 'wave.mirror' requires the use of 'wave.build.repository' to define the target registry\"");
    }
    if (truth(mirror) == 1 && truth(freeze) == 1) {
        src = at_src(cfg, mp, &s, &e);
        StrBuf b = STRBUF_INIT;
        describe_prov(&b, fp);
        diag_add(diags, src, s, e, DIAG_DEFAULT_SEV, RULE_WAVE_MIRROR_FREEZE_CONFLICT,
                 "wave.mirror and wave.freeze are both on (freeze set at %s); Nextflow rejects the combination",
                 strbuf_cstr(&b));
        strbuf_free(&b);
    }
}

static void check_token(const Config *cfg, const Prov *wp, DiagList *diags)
{
    const char *reason = NULL;
    if (env_get(cfg, "TOWER_WORKFLOW_ID")) {
        if (env_get(cfg, "TOWER_ACCESS_TOKEN")) return;
        reason = config_lookup(cfg, "tower.accessToken", NULL)
                     ? "TOWER_WORKFLOW_ID is set (a Platform run), so tower.accessToken in the config is ignored "
                       "and TOWER_ACCESS_TOKEN is not set"
                     : "TOWER_WORKFLOW_ID is set (a Platform run) and TOWER_ACCESS_TOKEN is not set";
    } else {
        const Value *t = config_lookup(cfg, "tower.accessToken", NULL);
        if (t) {
            /* the config key wins even when empty (PlatformHelper) */
            if (t->kind == V_DYNAMIC || value_is_dynamic_deep(t)) return;
            if (t->kind == V_STRING && t->len) return;
            if (t->kind != V_STRING && t->kind != V_NULL) return;
            reason = "tower.accessToken is set but empty, and the config value is used even then";
        } else {
            if (env_get(cfg, "TOWER_ACCESS_TOKEN")) return;
            reason = "neither tower.accessToken nor TOWER_ACCESS_TOKEN is set";
        }
    }
    int priv = references_private_registry(cfg);
    size_t s, e;
    const Source *src = at_src(cfg, wp, &s, &e);
    diag_add(diags, src, s, e, priv ? SEV_WARNING : DIAG_DEFAULT_SEV, RULE_WAVE_PLATFORM_TOKEN_MISSING,
             "Wave is on but %s: Wave cannot use the workspace's registry credentials%s", reason,
             priv ? ", and images on private registries are referenced" : "; public images still work");
}

int wave_status(const Config *cfg, const Prov **prov, int *disabled_env)
{
    const Prov *wp = NULL;
    const Value *wv = cfg && cfg->root ? config_lookup(cfg, "wave.enabled", &wp) : NULL;
    int disabled = cfg && env_get(cfg, "NXF_DISABLE_WAVE_SERVICE") != NULL;
    if (prov) *prov = wv ? wp : NULL;
    if (disabled_env) *disabled_env = disabled;
    if (!wv || disabled) return 0;
    if (wv->kind == V_DYNAMIC) return -1;
    return wv->kind == V_BOOL && wv->b;
}

void wave_check(const CheckInput *in, DiagList *diags)
{
    const Config *cfg = in ? in->cfg : NULL;
    if (!cfg || !cfg->root) return;
    const Prov *wp = NULL;
    const Value *wv = config_lookup(cfg, "wave.enabled", &wp);
    int dynamic = wv && wv->kind == V_DYNAMIC;
    /* on as written: NXF_DISABLE_WAVE_SERVICE has its own finding below */
    int on = wv && wv->kind == V_BOOL && wv->b;
    int disabled_env = 0;
    wave_status(cfg, NULL, &disabled_env);
    /* null and 0 leave Wave off exactly as an unset value does (WaveFactory:
     * wave.enabled == true): they are reported as wave-not-enabled */
    int off_value = wv && (wv->kind == V_NULL || (wv->kind == V_INT && wv->i == 0));
    int nonbool = wv && !dynamic && wv->kind != V_BOOL && !off_value;
    /* the repository's (or the operator's) Wave policy: how loud "Wave is off" is */
    WavePolicy policy = in->settings ? in->settings->wave : WAVE_RECOMMENDED;
    Severity not_enabled_sev = policy == WAVE_REQUIRED ? SEV_ERROR : DIAG_DEFAULT_SEV;
    size_t s, e;
    const Source *src = at_src(cfg, wp, &s, &e);
    StrBuf b = STRBUF_INIT;

    if (in->verbose) {
        if (!wv) {
            strbuf_puts(&b, "Wave is off: wave.enabled is not set for this launch (the default is false)");
        } else {
            strbuf_printf(&b, "Wave is %s: wave.enabled = ", on && !disabled_env ? "on" : dynamic ? "unknown" : "off");
            if (dynamic) strbuf_append(&b, wv->s, wv->len > 60 ? 60 : wv->len);
            else describe_value(&b, wv);
            strbuf_puts(&b, " set at ");
            describe_prov(&b, wp);
            for (const Prov *o = wp ? wp->overrode : NULL; o; o = o->overrode) {
                strbuf_puts(&b, "; it overrides the assignment at ");
                describe_prov(&b, o);
                break;
            }
        }
        Diag *d = diag_add(diags, src, s, e, DIAG_DEFAULT_SEV, RULE_WAVE_STATUS, "%s", strbuf_cstr(&b));
        if (d) d->note = 1;     /* asked-for explanation, never a finding */
        b.len = 0;
    }

    if (dynamic) {
        diag_add(diags, wv->src ? wv->src : src, wv->src ? wv->start : s, wv->src ? wv->end : e, DIAG_DEFAULT_SEV,
                 RULE_DYNAMIC_VALUE,
                 "wave.enabled is computed when the pipeline runs (%s): whether Wave is on cannot be known before the launch",
                 wv->why ? wv->why : "dynamic");
    } else if (nonbool) {
        describe_value(&b, wv);
        int str_false = wv->kind == V_STRING && wv->len == 5 && !strncasecmp(wv->s, "false", 5);
        Diag *d = diag_add(diags, src, s, e, DIAG_DEFAULT_SEV, RULE_WAVE_ENABLED_NOT_BOOLEAN,
                           "wave.enabled is %s, not a boolean: Nextflow leaves Wave off unless it is the boolean true%s",
                           strbuf_cstr(&b),
                           str_false ? " (and Fusion's check reads the string 'false' as true)"
                                     : wv->kind == V_STRING ? "; write it without quotes" : "");
        attach_boolean_fix(diags, d, cfg, wp, wv);
        b.len = 0;
    } else if (!on && policy != WAVE_OFF) {
        if (wv) {
            strbuf_printf(&b, "Wave is not enabled for this launch: wave.enabled is %s at ",
                          wv->kind == V_NULL ? "null" : wv->kind == V_INT ? "0" : "false");
            describe_prov(&b, wp);
        } else {
            strbuf_puts(&b, "Wave is not enabled for this launch: wave.enabled is not set");
        }
        if (toggle_would_enable(in, wp)) compute_env_hint(in, &b);
        else wave_on_hint(cfg, &b);
        Diag *d = diag_add(diags, src, s, e, not_enabled_sev, RULE_WAVE_NOT_ENABLED, "%s", strbuf_cstr(&b));
        attach_wave_fix(diags, d, cfg, src, wv == NULL);
        b.len = 0;
    } else if (disabled_env && policy != WAVE_OFF) {
        diag_add(diags, src, s, e, not_enabled_sev, RULE_WAVE_NOT_ENABLED,
                 "wave.enabled is true, but NXF_DISABLE_WAVE_SERVICE is set in the environment, which turns Wave off");
    }

    /* Fusion: Nextflow aborts unless wave.enabled is truthy (its own check) */
    const Prov *fp = NULL;
    const Value *fv = config_lookup(cfg, "fusion.enabled", &fp);
    if (truth(fv) == 1 && !dynamic && truth(wv) == 0 && !disabled_env) {
        size_t fs, fe;
        const Source *fsrc = at_src(cfg, fp, &fs, &fe);
        Diag *d = diag_add(diags, fsrc, fs, fe, DIAG_DEFAULT_SEV, RULE_FUSION_REQUIRES_WAVE,
                           "fusion.enabled is on but Wave is not: Nextflow aborts the run with \"Fusion feature "
                           "requires enabling Wave service\"; add wave.enabled = true");
        /* edits belong to the diagnostic's own file: offered when fix's edit lands there */
        attach_wave_fix(diags, d, cfg, fsrc, wv == NULL);
    }

    /* the rest matters once Wave may be on */
    if (truth(wv) != 0 && !disabled_env) {
        check_freeze_mirror(cfg, diags);
        check_strategy(cfg, diags);
        check_repositories(cfg, on, diags);
        check_enumerated(cfg, on, diags);
    }
    if (on && !disabled_env) check_token(cfg, wp, diags);
    if (strbuf_failed(&b)) diags->oom = 1;
    strbuf_free(&b);
}
