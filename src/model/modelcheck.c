/* modelcheck — rules over the launch model as a whole (checks.h):
 * launch-aborts for the engine set-up, selector-matches-nothing,
 * profile-setting-overridden. Per-image aborts are raised by images.c,
 * which owns the image list. */
#include "checks.h"
#include "model/model.h"

#include <string.h>

#include "alloc.h"
#include <stdio.h>

static int engines_abort(const CheckInput *in, const LaunchModel *m, DiagList *diags)
{
    const Prov *p = m->engine_prov;
    const Source *src = p ? p->src : NULL;
    size_t s = p ? p->start : 0, e = p ? p->end : 0;
    if (m->nengines_enabled > 1) {
        StrBuf b = STRBUF_INIT;
        for (size_t i = 0; i < m->nengines_enabled; i++)
            strbuf_printf(&b, "%s%s", i ? ", " : "", m->engines_enabled[i]);
        Diag *d = strbuf_failed(&b) ? NULL
            : diag_add(diags, src, s, e, DIAG_DEFAULT_SEV, RULE_LAUNCH_ABORTS,
                       "more than one container engine is enabled (%s): Nextflow stops with "
                       "'Cannot enable more than one container engine'", strbuf_cstr(&b));
        strbuf_free(&b);
        if (!d) return -1;
    }
    if (m->wave_engine_unsupported) {
        const Prov *wp = NULL;
        config_lookup(in->cfg, "wave.enabled", &wp);
        if (!diag_add(diags, wp ? wp->src : src, wp ? wp->start : s, wp ? wp->end : e, DIAG_DEFAULT_SEV,
                      RULE_LAUNCH_ABORTS, "Wave is on with %s%s%s, which Wave does not support: the first task fails "
                      "with \"Wave does not support '%s' container engine\"", m->engine_name,
                      m->engine_option ? " from " : "", m->engine_option ? m->engine_option : "", m->engine_name))
            return -1;
    }
    return 0;
}

/* Session.validateConfig0 warns for every withName: selector that matches
 * no process; the model found them (declared names and include aliases).
 * Session.checkConfig skips the check when
 * nextflow.enable.configProcessNamesValidation is false. */
static int unmatched_selectors(const CheckInput *in, const LaunchModel *m, DiagList *diags)
{
    const Value *on = in->cfg ? config_lookup(in->cfg, "nextflow.enable.configProcessNamesValidation", NULL) : NULL;
    if (on && value_truth(on) == 0) return 0;
    for (size_t i = 0; i < m->nunmatched; i++) {
        const Entry *e = m->unmatched[i];
        const Prov *pv = e->prov;
        if (!diag_add(diags, pv ? pv->src : NULL, pv ? pv->start : 0, pv ? pv->end : 0, DIAG_DEFAULT_SEV,
                      RULE_SELECTOR_MATCHES_NOTHING,
                      "selector withName: '%.*s' matches no process of the pipeline (%zu processes): Nextflow "
                      "warns \"There's no process matching config selector\" and its settings apply to nothing",
                      (int)(e->keylen - 9), e->key + 9, m->nprocs))
            return -1;
    }
    return 0;
}

/* The keys whose profile value matters to the launch model: scopes walked
 * one level (wave and fusion settings) and single keys. */
static const char *const model_scopes[] = {"wave", "fusion"};
static const char *const model_keys[] = {
    "process.container", "process.conda", "process.executor",
    "docker.enabled", "podman.enabled", "singularity.enabled", "apptainer.enabled", "charliecloud.enabled",
    "sarus.enabled", "shifter.enabled", "docker.registry", "podman.registry", "singularity.registry",
    "apptainer.registry", "charliecloud.registry",
};

/* The value text of an assignment span ("docker.enabled = true" -> "true"):
 * after the first lone '=', blanks trimmed; the whole span when there is none. */
static void assigned_text(const Prov *p, const char **text, size_t *len)
{
    const char *s = p->src->text + p->start, *e = p->src->text + (p->end <= p->src->len ? p->end : p->src->len);
    if (s > e) s = e;
    for (const char *q = s; q < e; q++)
        if (*q == '=' && (q + 1 >= e || q[1] != '=') && (q == s || !strchr("=!<>", q[-1]))) {
            s = q + 1;
            break;
        }
    while (s < e && (*s == ' ' || *s == '\t')) s++;
    while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' || e[-1] == '\r' || e[-1] == ';')) e--;
    *text = s;
    *len = (size_t)(e - s);
}

static int overridden_one(const CheckInput *in, const char *key, const Prov *p, DiagList *diags)
{
    if (!p || !p->src || p->profile) return 0;
    const Prov *o = p->overrode;
    int guard = 0;
    while (o && !(o->profile && config_profile_applied(in->cfg, o->profile)) && guard++ < 64) o = o->overrode;
    if (!o || !o->src || guard >= 64) return 0;
    /* the same value written again changes nothing the profile set */
    const char *a, *b;
    size_t alen, blen;
    assigned_text(p, &a, &alen);
    assigned_text(o, &b, &blen);
    if (alen == blen && !memcmp(a, b, alen)) return 0;
    unsigned line = 0, col = 0;
    source_linecol(o->src, o->start, &line, &col);
    return diag_add(diags, p->src, p->start, p->end, DIAG_DEFAULT_SEV, RULE_PROFILE_SETTING_OVERRIDDEN,
                    "%s set here replaces the value from the selected profile '%s' (%s:%u), so that profile "
                    "does not change it", key, o->profile, o->src->name, line) ? 0 : -1;
}

static int overridden_settings(const CheckInput *in, DiagList *diags)
{
    if (!in->cfg || !in->cfg->root) return 0;
    for (size_t i = 0; i < sizeof model_keys / sizeof model_keys[0]; i++) {
        const Prov *p = NULL;
        if (config_lookup(in->cfg, model_keys[i], &p) && overridden_one(in, model_keys[i], p, diags) != 0) return -1;
    }
    char key[160];
    for (size_t s = 0; s < sizeof model_scopes / sizeof model_scopes[0]; s++) {
        const Value *scope = value_get(in->cfg->root, model_scopes[s]);
        if (!scope || scope->kind != V_SCOPE) continue;
        for (size_t i = 0; i < scope->nentries; i++) {
            const Entry *e = &scope->entries[i];
            if (!e->val || e->val->kind == V_SCOPE) continue;
            snprintf(key, sizeof key, "%s.%.*s", model_scopes[s], (int)(e->keylen > 120 ? 120 : e->keylen), e->key);
            if (overridden_one(in, key, e->prov, diags) != 0) return -1;
        }
    }
    return 0;
}

void model_check(const CheckInput *in, DiagList *diags)
{
    LaunchModel own;
    const LaunchModel *m = in->model;
    if (!m) {
        if (model_build(in, &own, diags) != 0) { model_free(&own); diags->oom = 1; return; }
        m = &own;
    }
    if (engines_abort(in, m, diags) != 0 || unmatched_selectors(in, m, diags) != 0 ||
        overridden_settings(in, diags) != 0)
        diags->oom = 1;
    if (m == &own) model_free(&own);
}
