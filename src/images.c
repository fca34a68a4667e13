/* images — the image inventory and the registry-credential rules (images.h).
 * Facts: research/nextflow-config.md §5, research/seqera-wave-credentials.md
 * §0, §2, §7. */
#include "images.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "alloc.h"
#include "creds.h"
#include "parse.h"
#include "pipeline.h"
#include "probe.h"
#include "regex.h"
#include "registry.h"
#include "walk.h"
#include "redact.h"

#define PROBE_HOST_BUDGET_MS 15000L   /* total probing time per registry host */
#define PROBE_PER_IMAGE_MS    8000L
#define PROBE_MAX_PER_HOST    3       /* distinct images asked per host */

/* ---------------- .nf sources kept for diagnostics ---------------- */

static Source **pool;
static size_t npool, cappool;

static int pool_add(Source **s, size_t n)
{
    if (npool + n > cappool) {
        size_t nc = cappool ? cappool : 16;
        while (nc < npool + n) nc *= 2;
        Source **np = np_realloc(pool, nc * sizeof *np);
        if (!np) return -1;
        pool = np;
        cappool = nc;
    }
    memcpy(pool + npool, s, n * sizeof *s);
    npool += n;
    return 0;
}

int images_adopt_sources(Source **srcs, size_t n)
{
    if (!n || pool_add(srcs, n) == 0) return 0;
    for (size_t i = 0; i < n; i++) source_free(srcs[i]);
    return -1;
}

void images_cleanup(void)
{
    for (size_t i = 0; i < npool; i++) source_free(pool[i]);
    np_free(pool);
    pool = NULL;
    npool = cappool = 0;
}

/* ---------------- inventory ---------------- */

static const Value *cfg_get(const Config *cfg, const char *key, const Prov **prov)
{
    if (prov) *prov = NULL;
    return cfg ? config_lookup(cfg, key, prov) : NULL;
}

/* A non-empty string setting into *out (NULL when unset or not a string).
 * Returns -1 when memory ran out. */
static int cfg_string(Arena *a, const Config *cfg, const char *key, const Prov **prov, const char **out)
{
    *out = NULL;
    const Value *v = cfg_get(cfg, key, prov);
    if (!v || v->kind != V_STRING || !v->len) return 0;
    *out = arena_strndup(a, v->s, v->len);
    return *out ? 0 : -1;
}

static InvImage *inv_push(ImageInventory *inv)
{
    InvImage *ni = np_grow(inv->items, inv->len, &inv->cap, sizeof *ni, 32);
    if (!ni) return NULL;
    inv->items = ni;
    InvImage *im = &inv->items[inv->len++];
    memset(im, 0, sizeof *im);
    im->host_class = -1;
    return im;
}

static int lowest_engine(unsigned mask)
{
    for (int e = 0; e <= IMAGE_ENGINE_SHIFTER; e++)
        if (mask & (1u << e)) return e;
    return 0;
}

/* Host of an http(s) URL ("https://h:1/x" → "h:1") into *out (NULL when
 * there is none). Returns -1 when memory ran out. */
static int url_host(Arena *a, const char *url, const char **out)
{
    *out = NULL;
    const char *p = strstr(url, "://");
    if (!p) return 0;
    p += 3;
    const char *at = NULL;
    size_t n = strcspn(p, "/?#");
    for (size_t i = 0; i < n; i++) if (p[i] == '@') at = p + i;
    if (at) { n -= (size_t)(at + 1 - p); p = at + 1; }
    if (!n) return 0;
    *out = arena_strndup(a, p, n);
    return *out ? 0 : -1;
}

static const char *kind_name(ImageKind k)
{
    switch (k) {
    case IMAGE_KIND_REFERENCE: case IMAGE_KIND_DOCKER: case IMAGE_KIND_DOCKER_DAEMON: case IMAGE_KIND_ORAS:
        return "registry";
    case IMAGE_KIND_HTTP: return "download";
    case IMAGE_KIND_FILE: return "file";
    case IMAGE_KIND_LIBRARY: return "library";
    case IMAGE_KIND_SHUB: return "shub";
    default: return "other";
    }
}

/* 1 when `name` starts with a URL-like prefix (StringUtils.URL_PROTOCOL:
 * ^[A-Za-z0-9]*://.+). */
static int url_like(const char *name)
{
    size_t i = 0;
    while ((name[i] >= 'a' && name[i] <= 'z') || (name[i] >= 'A' && name[i] <= 'Z') || (name[i] >= '0' && name[i] <= '9'))
        i++;
    return !strncmp(name + i, "://", 3) && name[i + 3];
}

/* Fills resolved name, kind, host, validity of a non-dynamic image. */
static int inv_classify(const CheckInput *in, ImageInventory *inv, InvImage *im, DiagList *diags)
{
    Arena *a = inv->arena;
    const char *raw = im->image;
    size_t len = strlen(raw);
    ImageKind k = image_classify(raw, len);
    im->kind = kind_name(k);
    const EngineOptions *eo = &inv->eopt[im->engine];
    if (im->origin == INV_WAVE_BUILD) {
        im->resolved = raw;
    } else {
        char *r = image_engine_name(raw, eo);
        if (!r) return len ? -1 : 0;
        im->resolved = arena_strdup(a, r);
        np_free(r);
        if (!im->resolved) return -1;
    }
    if (k == IMAGE_KIND_HTTP) {
        if (url_host(a, raw, &im->host) != 0) return -1;
        im->host_note = "an http(s) download, not a registry image";
    } else if (strcmp(im->kind, "registry") != 0) {
        im->host_note = k == IMAGE_KIND_FILE ? "a local image file" : "not an OCI registry image";
    } else {
        /* grammar check of what was written */
        ImageRef ref;
        const char *reason = NULL;
        int rc = image_parse_ex(raw, len, IMAGE_PARSE_STRIP_SCHEME, &ref, &reason);
        if (rc == IMAGE_ENOMEM) { image_ref_free(&ref); return -1; }
        if (rc == IMAGE_INVALID) {
            im->invalid = arena_strdup(a, reason ? reason : "invalid reference format");
            if (!im->invalid) { image_ref_free(&ref); return -1; }
        }
        image_ref_free(&ref);
        int st = 0;
        const char *why = NULL;
        char *h;
        if (im->origin == INV_WAVE_BUILD) {
            h = image_wave_host(raw, &st);
            if (!h && st != IMAGE_HOST_ENOMEM) why = "Wave rejects this image name";
        } else {
            h = image_registry_host(raw, eo, &st, &why);
            if (!h && st == IMAGE_HOST_NO_WAVE) {
                /* charliecloud/shifter: no Wave; the engine pulls from the registry itself */
                const char *n = im->resolved;
                if (!strncmp(n, "docker://", 9)) n += 9;
                h = image_wave_host(n, &st);
            }
        }
        if (!h && st == IMAGE_HOST_ENOMEM) return -1;
        if (h) {
            im->host = arena_strdup(a, h);
            np_free(h);
            if (!im->host) return -1;
        } else {
            im->host_note = why;
            /* a URL-like name handed to Wave never reaches it: Nextflow
             * refuses it first (launch-aborts, inv_model_view) */
            if (!im->invalid && st == IMAGE_HOST_REJECTED && inv->wave_enabled == 1 && !url_like(im->resolved))
                im->invalid = why;
        }
        /* Without Wave, Docker gets the name as Nextflow wrote it
         * (ContainerHandler.normalizeDockerImageName keeps any scheme; only the
         * Singularity and Apptainer handlers strip docker://) and refuses it:
         * "invalid reference format". Podman accepts transports. */
        if (!im->invalid && inv->wave_enabled == 0 && inv->model->engine_name &&
            !strcmp(inv->model->engine_name, "docker") && url_like(im->resolved))
            im->invalid = "Docker refuses a URL-like prefix (\"invalid reference format\"); Nextflow strips docker:// "
                          "only for Singularity and Apptainer";
        if (im->invalid && !im->overridden_by) {   /* a replaced directive is never used */
            Diag *d = diag_add(diags, im->src, im->start, im->end, DIAG_DEFAULT_SEV, RULE_INVALID_IMAGE_REFERENCE,
                               "container image '%s' is not a valid reference: %s", raw, im->invalid);
            if (!d) return -1;
        }
    }
    if (im->host) im->host_class = (int)model_host_class(in, im->host);
    return 0;
}

/* Adds one candidate (config or script) to the inventory. */
static int inv_add(const CheckInput *in, ImageInventory *inv, const PipeCandidate *c, const Source *src,
                   InvOrigin origin, const char *selector, const char *process, DiagList *diags)
{
    InvImage *im = inv_push(inv);
    if (!im) return -1;
    im->overridden_by = inv->next_overridden_by;
    im->origin = origin;
    im->selector = selector;
    im->process = process;
    im->src = src;
    im->start = c->start;
    im->end = c->end;
    im->engines = c->engines;
    im->active = !im->overridden_by && (c->engines & (1u << inv->engine)) != 0;
    im->engine = im->active ? inv->engine : (ImageEngine)lowest_engine(c->engines);
    im->image = arena_strndup(inv->arena, c->text, c->len);
    if (!im->image) return -1;
    if (c->dynamic) {
        im->dynamic = 1;
        /* the reason may live in the scan's arena, which goes before output */
        im->why = c->why ? arena_strdup(inv->arena, c->why) : NULL;
        if (c->why && !im->why) return -1;
        im->kind = "dynamic";
        if (in->verbose) {
            Diag *d = diag_add(diags, src, c->start, c->end, DIAG_DEFAULT_SEV, RULE_DYNAMIC_VALUE,
                               "container image cannot be known before the run (%s)", c->why ? c->why : "dynamic");
            if (!d) return -1;
            d->note = 1;        /* asked-for explanation, never a finding */
        }
        return 0;
    }
    return inv_classify(in, inv, im, diags);
}

/* A container value from the resolved config. */
static int inv_config_value(const CheckInput *in, ImageInventory *inv, const Value *v, const Prov *prov,
                            const char *selector, DiagList *diags)
{
    const Source *src = prov ? prov->src : NULL;
    size_t ps = prov ? prov->start : 0, pe = prov ? prov->end : 0;
    PipeCandidate c;
    memset(&c, 0, sizeof c);
    c.engines = PIPE_ENGINES_ALL;
    c.start = ps;
    c.end = pe;
    switch (v->kind) {
    case V_STRING:
        if (!v->len) return 0;
        c.text = v->s;
        c.len = v->len;
        return inv_add(in, inv, &c, src, INV_CONFIG, selector, NULL, diags);
    case V_CLOSURE: {
        const Value *params = in->cfg ? value_get(in->cfg->root, "params") : NULL;
        if (v->src && v->end > v->start) {
            Node *e = parse_expression_range(inv->arena, v->src, v->start, v->end, NULL);
            if (!e) return -1;
            PipeCandidate *cands = NULL;
            int n = pipeline_eval(inv->arena, v->src, e, params, NULL, NULL, 0, &cands);
            if (n < 0) return -1;
            for (int i = 0; i < n; i++)
                if (inv_add(in, inv, &cands[i], v->src, INV_CONFIG, selector, NULL, diags) != 0) return -1;
            return 0;
        }
        c.dynamic = 1;
        c.why = "closure";
        c.text = v->s ? v->s : "{ ... }";
        c.len = v->s ? v->len : 7;
        return inv_add(in, inv, &c, src, INV_CONFIG, selector, NULL, diags);
    }
    case V_DYNAMIC:
        c.dynamic = 1;
        c.why = v->why ? v->why : "dynamic";
        c.text = v->s ? v->s : "";
        c.len = v->s ? v->len : 0;
        if (v->src) { src = v->src; c.start = v->start; c.end = v->end; }
        return inv_add(in, inv, &c, src, INV_CONFIG, selector, NULL, diags);
    default:
        return 0;
    }
}

/* process scope: `container` and every selector scope inside it. */
static int inv_process_scope(const CheckInput *in, ImageInventory *inv, const Value *scope,
                             const char *selector, int depth, DiagList *diags)
{
    if (!scope || (scope->kind != V_SCOPE && scope->kind != V_MAP) || depth > 8) return 0;
    for (size_t i = 0; i < scope->nentries; i++) {
        const Entry *e = &scope->entries[i];
        if (!e->val) continue;
        if (e->keylen == 9 && !memcmp(e->key, "container", 9)) {
            if (inv_config_value(in, inv, e->val, e->prov, selector, diags) != 0) return -1;
        } else if (e->val->kind == V_SCOPE &&
                   (!strncmp(e->key, "withName:", 9) || !strncmp(e->key, "withLabel:", 10) || e->key[0] == '$')) {
            const char *sel = depth == 0 ? arena_strndup(inv->arena, e->key, e->keylen)
                                         : arena_printf(inv->arena, "%s > %.*s", selector, (int)e->keylen, e->key);
            if (!sel) return -1;
            if (inv_process_scope(in, inv, e->val, sel, depth + 1, diags) != 0) return -1;
        }
    }
    return 0;
}

static const char *const wave_build_images[] = {
    "wave.build.conda.mambaImage", "wave.build.conda.baseImage",
    "wave.build.spack.builderImage", "wave.build.spack.runnerImage",
};

/* The engine, its naming options and Wave's state come from the launch model. */
static void inv_engine_setup(ImageInventory *inv)
{
    const LaunchModel *m = inv->model;
    memcpy(inv->eopt, m->eopt, sizeof inv->eopt);
    inv->engine = m->engine;
    inv->engine_enabled = m->engine_enabled;
    inv->wave_enabled = m->wave;
}

/* walk_assignments callback: notes a profile that is not selected and sets
 * `…container` or `<engine>.enabled`. */
static int note_container_profile(void *ctx, const WalkPath *path, const Node *assign, const Node *value)
{
    (void)assign;
    (void)value;
    void **args = ctx;
    ImageInventory *inv = args[0];
    const Config *cfg = args[1];
    if (!path->profile || path->n < 1 || config_profile_applied(cfg, path->profile)) return 1;
    int sets = walk_seg_is(path, path->n - 1, "container");
    ImageEngine e;
    if (!sets && path->n >= 2 && walk_seg_is(path, path->n - 1, "enabled")) {
        char name[32];
        size_t len = path->lens[path->n - 2];
        if (len < sizeof name) {
            memcpy(name, path->segs[path->n - 2], len);
            name[len] = '\0';
            sets = image_engine_from_name(name, &e);
        }
    }
    if (!sets) return 1;
    for (size_t i = 0; i < inv->nunselected; i++)
        if (!strcmp(inv->unselected[i], path->profile)) return 1;
    if (inv->nunselected < sizeof inv->unselected / sizeof inv->unselected[0]) inv->unselected[inv->nunselected++] = path->profile;
    else inv->more_unselected++;
    return 1;
}

/* "A, B, C and 4 more" of the processes for which `use` says 1. */
static const char *process_list(Arena *a, const LaunchModel *m, int (*use)(const ModelProcess *, const void *),
                                const void *ctx, size_t *count, int *all_wave_built)
{
    StrBuf b = STRBUF_INIT;
    size_t n = 0;
    *all_wave_built = 1;
    for (size_t p = 0; p < m->nprocs; p++) {
        if (!use(&m->procs[p], ctx)) continue;
        if (!m->procs[p].wave_builds) *all_wave_built = 0;
        if (n < 8) strbuf_printf(&b, "%s%s", n ? ", " : "", m->procs[p].name);
        n++;
    }
    if (n > 8) strbuf_printf(&b, " and %zu more", n - 8);
    *count = n;
    if (!n) *all_wave_built = 0;
    const char *r = strbuf_failed(&b) ? NULL : arena_strdup(a, n ? strbuf_cstr(&b) : "");
    strbuf_free(&b);
    return r;
}

static int uses_default_container(const ModelProcess *mp, const void *ctx)
{
    (void)ctx;
    return !mp->has_directive && !mp->container_selector;
}

static int uses_selector_container(const ModelProcess *mp, const void *ctx)
{
    return mp->container_selector && !strcmp(mp->container_selector, (const char *)ctx);
}

/* The name Nextflow hands to Wave for an active image, or NULL when Wave is
 * not asked (a local Singularity file goes to the default resolver). */
static const char *wave_request_name(const ImageInventory *inv, const InvImage *im)
{
    ImageEngine e = inv->engine;
    if (e == IMAGE_ENGINE_SINGULARITY || e == IMAGE_ENGINE_APPTAINER) {
        /* WaveContainerResolver: only docker:// is stripped; files stay local */
        const char *n = im->image;
        if (!strncmp(n, "docker://", 9)) return n + 9;
        if (n[0] == '/' || !strncmp(n, "file://", 7)) return NULL;
        return n;
    }
    return im->resolved ? im->resolved : im->image;   /* docker-like: after engine naming */
}

/* The process of an image that hands Wave its container image because it
 * has no conda directive (strategy conda first), or NULL: a script image's own
 * process, or the first process known to take a config image. Processes whose
 * conda cannot be told are left out. */
static const char *container_only_process(const LaunchModel *m, const InvImage *im)
{
    if (im->origin == INV_SCRIPT && im->proc_index)
        return m->procs[im->proc_index - 1].conda == 0 ? m->procs[im->proc_index - 1].name : NULL;
    if (im->origin != INV_CONFIG || !m->scanned || !im->selector || strchr(im->selector, '>')) return NULL;
    int dflt = !strcmp(im->selector, "process");
    for (size_t p = 0; p < m->nprocs; p++) {
        const ModelProcess *mp = &m->procs[p];
        if (mp->conda == 0 && (dflt ? uses_default_container(mp, NULL) : uses_selector_container(mp, im->selector)))
            return mp->name;
    }
    return NULL;
}

/* wave.freeze without a build repository, conda first: a process without
 * conda still sends its container image, which Wave refuses (model.c cites
 * the Wave source). One finding for the cause, at the first such image; the
 * container-first strategy is wave-freeze-requires-repository's own error.
 * A warning: whether those processes run is not known here. */
static int freeze_refusals(const ImageInventory *inv, const InvImage *first, const char *proc, size_t more,
                           DiagList *diags)
{
    const Prov *fp = inv->model->freeze_prov;
    const char *req = wave_request_name(inv, first);
    unsigned line = 0, col = 0;
    if (fp && fp->src) source_linecol(fp->src, fp->start, &line, &col);
    char at[32] = "", more_text[80] = "";
    if (fp && fp->src) snprintf(at, sizeof at, ":%u", line);
    if (more) snprintf(more_text, sizeof more_text, "; %zu more alike (`images -v`)", more);
    return diag_add(diags, first->src, first->start, first->end, SEV_WARNING, RULE_WAVE_FREEZE_REQUIRES_REPOSITORY,
                    "%s has no conda directive: its container '%s' goes to Wave with wave.freeze on%s%s%s%s and no "
                    "wave.build.repository, which Wave refuses (\"... freeze mode [2]\")%s",
                    proc, req ? req : first->image, fp && fp->src ? " (" : "",
                    fp && fp->src ? fp->src->name : "", at, fp && fp->src ? ")" : "", more_text) ? 0 : -1;
}

/* launch-aborts: one finding per cause, at its first image, with the count
 * of the other distinct images it refuses (`images -v` lists them). */
static int aborts_report(const ImageInventory *inv, DiagList *diags)
{
    char *done = inv->len ? np_calloc(inv->len, 1) : NULL;
    if (inv->len && !done) return -1;
    int rc = 0;
    for (size_t i = 0; i < inv->len && rc == 0; i++) {
        const InvImage *im = &inv->items[i];
        if (!im->aborts || done[i]) continue;
        size_t more = 0;
        for (size_t j = i + 1; im->aborts_cause && j < inv->len; j++) {
            const InvImage *o = &inv->items[j];
            if (done[j] || !o->aborts || !o->aborts_cause || strcmp(o->aborts_cause, im->aborts_cause)) continue;
            done[j] = 1;
            int seen = 0;   /* the same image of another process is no new one */
            for (size_t k = i; k < j && !seen; k++)
                seen = inv->items[k].aborts && !strcmp(inv->items[k].aborts, o->aborts);
            more += !seen;
        }
        char count[48] = "";
        if (more) snprintf(count, sizeof count, "; %zu more from ", more);
        if (!diag_add(diags, im->src, im->start, im->end, im->aborts_sev, RULE_LAUNCH_ABORTS, "%s%s%s%s", im->aborts,
                      count, more ? im->aborts_cause : "", more ? " (`images -v`)" : ""))
            rc = -1;
    }
    np_free(done);
    return rc;
}

/* Who pulls each image, for which processes, and what Nextflow refuses. */
static int inv_model_view(const CheckInput *in, ImageInventory *inv, DiagList *diags)
{
    const LaunchModel *m = inv->model;
    const InvImage *frozen_first = NULL;   /* images Wave refuses for freeze without a repository */
    const char *frozen_proc = NULL;
    size_t frozen = 0;
    for (size_t i = 0; i < inv->len; i++) {
        InvImage *im = &inv->items[i];
        int wave_built = 0;
        int used_by_none = 0;    /* a config image no process of the scanned pipeline takes */
        if (im->origin == INV_SCRIPT && im->proc_index) {
            const ModelProcess *mp = &m->procs[im->proc_index - 1];
            im->processes = mp->name;
            wave_built = mp->wave_builds;
        } else if (im->origin == INV_CONFIG && m->scanned && im->selector) {
            size_t n = 0;
            if (!strcmp(im->selector, "process"))
                im->processes = process_list(inv->arena, m, uses_default_container, NULL, &n, &wave_built);
            else if (!strchr(im->selector, '>'))
                im->processes = process_list(inv->arena, m, uses_selector_container, im->selector, &n, &wave_built);
            if (!im->processes && !strchr(im->selector, '>')) return -1;
            if (im->processes && !*im->processes) im->processes = NULL;
            used_by_none = !strchr(im->selector, '>') && n == 0;
        }
        if (!im->active || im->overridden_by || im->dynamic) continue;
        if (wave_built) {
            if (model_pull(m, in, im->host, 1, &im->pull) != 0) return -1;
            continue;
        }
        /* runs Nextflow refuses; an image that no process takes is never
         * handed over, so it cannot stop the run (tester F3b: its selector
         * matches no process; F3: an alias selector, which the model matches
         * per invocation when the include graph is known, and which may still
         * take a process when the graph is not) */
        if (!used_by_none && inv->wave_enabled == 1 && !m->wave_engine_unsupported && im->origin != INV_WAVE_BUILD) {
            const char *req = wave_request_name(inv, im);
            if (req && url_like(req)) {
                /* WaveAssets.validateContainerName: one cause per scheme and host */
                im->aborts = arena_printf(inv->arena, "Nextflow refuses to hand '%s' to Wave (a URL-like prefix)", req);
                im->aborts_sev = DIAG_DEFAULT_SEV;
                size_t head = strstr(req, "://") - req + 3;
                im->aborts_cause = arena_strndup(inv->arena, req, head + strcspn(req + head, "/"));
                if (!im->aborts_cause) return -1;
            }
        }
        /* A param set nowhere that nf-preflight sees may still come with the
         * launch (-params-file, Platform's paramsText), and without the
         * include graph a module's process may never run: a warning, not
         * the error of a launch that surely fails. */
        if (!im->aborts && !used_by_none && im->null_param) {
            im->aborts = arena_printf(inv->arena, "the image name '%s' holds 'null' from %s, which is set nowhere "
                                      "nf-preflight can see (config, command line or scripts): no registry serves it "
                                      "unless the launch sets it",
                                      im->resolved ? im->resolved : im->image, im->null_param);
            im->aborts_sev = SEV_WARNING;
        }
        if (im->aborts) {
            im->pull.by = MODEL_PULL_NONE;
            im->pull.reason = "Nextflow stops before the pull";
            continue;
        }
        if (strcmp(im->kind, "registry") != 0 || im->invalid) {
            if (model_pull(m, in, NULL, 0, &im->pull) != 0) return -1;
            if (!strcmp(im->kind, "download")) im->pull.reason = "downloaded over http(s) by the engine";
            else if (!strcmp(im->kind, "file")) im->pull.reason = "a local image file";
            continue;
        }
        im->pulled = 1;
        if (model_pull(m, in, im->host, 0, &im->pull) != 0) return -1;
        const char *proc = m->freeze_no_repo && m->conda_first && im->pull.by == MODEL_PULL_WAVE
                         ? container_only_process(m, im) : NULL;
        if (proc) im->pull.reason = "refused by Wave: wave.freeze without wave.build.repository";
        if (proc && !frozen++) {
            frozen_first = im;
            frozen_proc = proc;
        }
    }
    if (aborts_report(inv, diags) != 0) return -1;
    return frozen ? freeze_refusals(inv, frozen_first, frozen_proc, frozen - 1, diags) : 0;
}

int images_inventory(const CheckInput *in, ImageInventory *inv, DiagList *diags)
{
    memset(inv, 0, sizeof *inv);
    inv->arena = arena_new();
    if (!inv->arena) return -1;
    if (in->model) {
        inv->model = in->model;
    } else {
        inv->model = &inv->own_model;   /* set first: images_inventory_free frees even a failed build */
        if (model_build(in, &inv->own_model, diags) != 0) return -1;
    }
    inv_engine_setup(inv);
    const Config *cfg = in->cfg;

    /* config: process.container and selectors (profiles already applied) */
    const Value *proc = cfg && cfg->root ? value_get(cfg->root, "process") : NULL;
    /* and the profiles left out that would add containers or an engine */
    if (cfg) {
        void *args[2] = {inv, (void *)cfg};
        for (size_t i = 0; i < cfg->nsources; i++)
            if (cfg->trees[i]) walk_assignments(cfg->trees[i], note_container_profile, args);
    }
    if (inv_process_scope(in, inv, proc, "process", 0, diags) != 0) return -1;

    /* wave.build images (Wave pulls them itself: no engine naming) */
    for (size_t i = 0; i < sizeof wave_build_images / sizeof *wave_build_images; i++) {
        const Prov *prov = NULL;
        const Value *v = cfg_get(cfg, wave_build_images[i], &prov);
        if (!v || v->kind != V_STRING || !v->len) continue;
        PipeCandidate c;
        memset(&c, 0, sizeof c);
        c.text = v->s;
        c.len = v->len;
        c.engines = PIPE_ENGINES_ALL;
        if (prov) { c.start = prov->start; c.end = prov->end; }
        if (inv_add(in, inv, &c, prov ? prov->src : NULL, INV_WAVE_BUILD, wave_build_images[i], NULL, diags) != 0)
            return -1;
    }
    /* wave.build repositories */
    static const char *const repo_keys[] = {"wave.build.repository", "wave.build.cacheRepository"};
    for (size_t i = 0; i < 2; i++) {
        const Prov *prov = NULL;
        const char *s = NULL;
        if (cfg_string(inv->arena, cfg, repo_keys[i], &prov, &s) != 0) return -1;
        if (!s) continue;
        InvRepo *r = &inv->repos[inv->nrepos++];
        r->key = repo_keys[i];
        r->value = s;
        r->src = prov ? prov->src : NULL;
        r->start = prov ? prov->start : 0;
        r->end = prov ? prov->end : 0;
        int st = 0;
        char *h = image_wave_host(s, &st);
        if (!h && st == IMAGE_HOST_ENOMEM) return -1;
        if (h) {
            r->host = arena_strdup(inv->arena, h);
            np_free(h);
            if (!r->host) return -1;
        }
    }

    /* the pipeline's .nf files, evaluated by the model per process */
    const LaunchModel *m = inv->model;
    if (m->scanned) {
        inv->nf_files = m->scan.nsources;
        inv->nprocesses = m->scan.nprocesses;
        for (size_t i = 0; i < m->scan.len; i++) {
            const PipeImage *pi = &m->scan.items[i];
            const ModelProcess *mp = &m->procs[pi->proc];
            const char *proc_name = arena_strdup(inv->arena, pi->process ? pi->process : "");
            inv->next_overridden_by = mp->container_selector;
            int rc = proc_name ? inv_add(in, inv, &pi->c, pi->src, INV_SCRIPT, NULL, proc_name, diags) : -1;
            inv->next_overridden_by = NULL;
            if (rc != 0) return -1;
            InvImage *im = &inv->items[inv->len - 1];
            im->proc_index = pi->proc + 1;
            if (pi->c.null_param && !(im->null_param = arena_strdup(inv->arena, pi->c.null_param))) return -1;
            /* selectors outrank directives (nextflow-config.md §4.6) */
            if (mp->container_selector) {
                im->overridden_by = mp->container_selector;
                im->active = 0;
            }
        }
    }
    return inv_model_view(in, inv, diags);
}

void images_inventory_free(ImageInventory *inv)
{
    if (inv->model == &inv->own_model) {
        /* keep the .nf sources alive for the diagnostics that point into them */
        Source **srcs = NULL;
        size_t nsrc = 0;
        model_take_sources(&inv->own_model, &srcs, &nsrc);
        images_adopt_sources(srcs, nsrc);
        np_free(srcs);
        model_free(&inv->own_model);
    }
    np_free(inv->items);
    arena_free(inv->arena);
    memset(inv, 0, sizeof *inv);
}

/* ---------------- cross-check ---------------- */

static const char *class_words(RegistryClass cls)
{
    switch (cls) {
    case REGISTRY_CLASS_DOCKERHUB: return "Docker Hub: public images pull anonymously, rate limited";
    case REGISTRY_CLASS_PUBLIC: return "public registry: none needed for public images";
    case REGISTRY_CLASS_UNKNOWN: return "not known to need a login; --online can ask";
    default: return "needs a login: the pull fails without one";
    }
}

/* Only a host known to need a login makes a missing credential an error. */
static Severity class_severity(RegistryClass cls)
{
    return cls == REGISTRY_CLASS_LOGIN ? SEV_ERROR : cls == REGISTRY_CLASS_PUBLIC ? SEV_INFO : SEV_WARNING;
}

static long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long)ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

typedef struct ProbeTally {
    size_t asked, pub, auth, notfound, error;
    StrBuf detail;
} ProbeTally;

/* Probes up to PROBE_MAX_PER_HOST distinct images of one host, anonymously,
 * within PROBE_HOST_BUDGET_MS. */
static int probe_host(const CheckInput *in, ImageInventory *inv, const char *host, const size_t *idx, size_t n,
                      ProbeTally *t)
{
    long t0 = now_ms();
    for (size_t i = 0; i < n && t->asked < PROBE_MAX_PER_HOST; i++) {
        InvImage *im = &inv->items[idx[i]];
        int dup = 0;
        for (size_t j = 0; j < i; j++)
            if (!strcmp(inv->items[idx[j]].resolved, im->resolved)) dup = 1;
        if (dup) continue;
        long left = PROBE_HOST_BUDGET_MS - (now_ms() - t0);
        if (left <= 0) break;
        ImageRef ref;
        const char *reason = NULL;
        int rc = image_parse_ex(im->resolved, strlen(im->resolved), IMAGE_PARSE_STRIP_SCHEME, &ref, &reason);
        if (rc == IMAGE_ENOMEM) { image_ref_free(&ref); return -1; }
        if (rc != IMAGE_OK) { image_ref_free(&ref); continue; }
        const char *path = ref.domain && *ref.domain ? ref.path : ref.norm_path;
        const char *reference = ref.digest ? ref.digest : ref.tag ? ref.tag : "latest";
        ProbeOptions po = {0, left < PROBE_PER_IMAGE_MS ? left : PROBE_PER_IMAGE_MS, in->insecure};
        ProbeResult pr;
        memset(&pr, 0, sizeof pr);
        char *err = NULL;
        probe_anonymous_pull_ex(host, path, reference, registry_provider(host) == REGISTRY_PROVIDER_LOCAL, &po, &pr, &err);
        t->asked++;
        switch (pr.verdict) {
        case PROBE_PUBLIC: t->pub++; break;
        case PROBE_NEEDS_AUTH: t->auth++; break;
        case PROBE_NOT_FOUND: t->notfound++; break;
        default: t->error++; break;
        }
        im->probe = probe_verdict_name(pr.verdict);
        for (size_t j = i + 1; j < n; j++)
            if (!strcmp(inv->items[idx[j]].resolved, im->resolved)) inv->items[idx[j]].probe = im->probe;
        strbuf_printf(&t->detail, "%s%s: %s", t->asked > 1 ? "; " : "", im->resolved, im->probe);
        if (pr.verdict == PROBE_ERROR && (err || pr.detail)) strbuf_printf(&t->detail, " (%s)", err ? err : pr.detail);
        np_free(err);
        ProbeVerdict verdict = pr.verdict;
        probe_result_free(&pr);
        image_ref_free(&ref);
        if (verdict == PROBE_ERROR && now_ms() - t0 >= PROBE_HOST_BUDGET_MS) break;
    }
    return strbuf_failed(&t->detail) ? -1 : 0;
}

/* The images of a per-host message: the first (the diagnostic stands at its
 * place) and how many more; `images -v` lists them all, so the message stays
 * one short line. */
static void list_images(StrBuf *b, const ImageInventory *inv, const size_t *idx, size_t n)
{
    size_t distinct = 0;
    for (size_t i = 0; i < n; i++) {
        int seen = 0;
        for (size_t j = 0; j < i && !seen; j++)
            seen = !strcmp(inv->items[idx[j]].resolved, inv->items[idx[i]].resolved);
        distinct += !seen;
    }
    if (!n) return;
    strbuf_puts(b, inv->items[idx[0]].resolved);
    if (distinct > 1) strbuf_printf(b, " and %zu more (`images -v` lists them)", distinct - 1);
}

static int has_local_source(const CredList *l)
{
    if (l->creds_store) return 1;
    for (size_t i = 0; i < l->len; i++)
        if (l->items[i].origin == CRED_FROM_DOCKER_CONFIG || l->items[i].origin == CRED_FROM_AUTH_FILE) return 1;
    return 0;
}

static int mismatch_diag(DiagList *diags, const Source *src, size_t s, size_t e, const Credential *c,
                         unsigned why, const char *host, const char *what)
{
    char bits[128];
    registry_diff_describe(why, bits, sizeof bits);
    return diag_add(diags, src, s, e, DIAG_DEFAULT_SEV, RULE_CREDENTIAL_HOST_MISMATCH,
                    "credential %s%s%s(%s) is stored for registry '%s' but Wave looks up '%s' exactly "
                    "(differs by %s), so it will not be used for %s",
                    c->name ? "'" : "", c->name ? c->name : "", c->name ? "' " : "", c->source,
                    c->registry ? c->registry : "docker.io", host, bits, what) ? 0 : -1;
}

/* Wave's pick for `host` is a credential Platform marks INVALID: Wave still
 * logs in with it (ModelPull.invalid). An error only where the host needs a
 * login; *missing counts the pulls that fail. */
static int invalid_diag(const CheckInput *in, DiagList *diags, const InvImage *first, const char *host,
                        const char *imgs, size_t *missing)
{
    const Credential *c = first->pull.invalid;
    int login = model_pull_class(in, host, first->pull.by) == REGISTRY_CLASS_LOGIN;
    *missing += login;
    StrBuf why = STRBUF_INIT;
    if (c->last_validated) strbuf_printf(&why, " (last validated %s)", c->last_validated);
    if (c->status_message) strbuf_printf(&why, ": \"%s\"", c->status_message);
    int rc = strbuf_failed(&why) ||
             !diag_add(diags, first->src, first->start, first->end, login ? SEV_ERROR : SEV_WARNING,
                       RULE_REGISTRY_CREDENTIAL_INVALID,
                       "Platform credential %s%s%s(%s) for host '%s' is INVALID in Platform%s; Wave still logs in "
                       "with it (the first credential for the host, whatever its status) %s: %s",
                       c->name ? "'" : "", c->name ? c->name : "", c->name ? "' " : "", c->source, host,
                       strbuf_cstr(&why),
                       login ? "and the host needs a login, so the pull fails"
                             : "and a rejected login may fail the pull",
                       imgs) ? -1 : 0;
    strbuf_free(&why);
    return rc;
}

int images_crosscheck(const CheckInput *in, ImageInventory *inv, DiagList *diags)
{
    if (!in->creds) return 0;
    int rc = 0;
    size_t *idx = inv->len ? np_malloc(inv->len * sizeof *idx) : NULL;
    char *done = inv->len ? np_calloc(inv->len, 1) : NULL;
    if (inv->len && (!idx || !done)) { np_free(idx); np_free(done); return -1; }

    for (size_t i = 0; i < inv->len && rc == 0; i++) {
        const InvImage *first = &inv->items[i];
        if (done[i] || !first->pulled || !first->host) continue;
        /* the group of images the run pulls from this host */
        size_t n = 0;
        for (size_t j = i; j < inv->len; j++) {
            const InvImage *im = &inv->items[j];
            if (done[j] || !im->pulled || !im->host || strcmp(im->host, first->host) != 0) continue;
            done[j] = 1;
            idx[n++] = j;
        }
        const char *host = first->host;
        if (first->pull.covered) {
            inv->hosts_covered++;
            continue;
        }
        /* Wave pulls with Platform credentials nobody could read: unknown,
         * not missing (credentials-unavailable said why) */
        if (first->pull.by == MODEL_PULL_WAVE && in->creds->platform_unread) {
            inv->hosts_unknown++;
            continue;
        }
        StrBuf imgs = STRBUF_INIT;
        list_images(&imgs, inv, idx, n);
        if (first->pull.invalid) {
            rc = strbuf_failed(&imgs) ? -1 : invalid_diag(in, diags, first, host, strbuf_cstr(&imgs), &inv->hosts_missing);
            strbuf_free(&imgs);
            continue;
        }
        /* the engine pulls with local logins: without a local source (docker
         * config, auth file) there is nothing to compare, and Platform
         * credentials are not needed (issue 13 item 4) */
        if (first->pull.by != MODEL_PULL_WAVE && !has_local_source(in->creds)) {
            strbuf_free(&imgs);
            continue;
        }
        unsigned why = 0;
        const Credential *alias = creds_match_alias(in->creds, host, &why);
        if (alias) {
            /* the credential is stored under another spelling: not used */
            inv->hosts_missing += first->host_class == REGISTRY_CLASS_LOGIN;
            rc = mismatch_diag(diags, first->src, first->start, first->end, alias, why, host,
                               strbuf_cstr(&imgs));
            strbuf_free(&imgs);
            continue;
        }
        RegistryClass cls = model_pull_class(in, host, first->pull.by);
        Severity sev = class_severity(cls);
        StrBuf note = STRBUF_INIT;
        if (in->online) {
            ProbeTally t;
            memset(&t, 0, sizeof t);
            if (probe_host(in, inv, host, idx, n, &t) != 0) rc = -1;
            if (t.asked) {
                if (t.pub == t.asked) {
                    sev = SEV_INFO;
                    strbuf_printf(&note, "; an anonymous pull works (probe: %s), so none is needed for these images",
                                  strbuf_cstr(&t.detail));
                } else {
                    strbuf_printf(&note, "; probe: %s", strbuf_cstr(&t.detail));
                }
            }
            strbuf_free(&t.detail);
        }
        /* Wave falls back to a Platform run's AWS Batch compute environment
         * keys for an ECR host (seqeralabs/wave CredentialServiceImpl.groovy:
         * 84-86, findComputeCreds0 :111-121): with the compute environment
         * unknown (check, before `tw launch`) the pull may work */
        int needs_one = sev == SEV_ERROR;   /* counted as missing even when the compute environment may cover it */
        RegistryProvider prov = registry_provider(host);
        if (first->pull.by == MODEL_PULL_WAVE && !in->compute_platform && sev == SEV_ERROR &&
            (prov == REGISTRY_PROVIDER_ECR || prov == REGISTRY_PROVIDER_ECR_PUBLIC)) {
            sev = SEV_WARNING;
            strbuf_puts(&note, "; unless a Platform AWS Batch compute environment runs it (Wave then uses its keys)");
        }
        const Credential *local = first->pull.by == MODEL_PULL_WAVE ? creds_match_local(in->creds, host) : NULL;
        if (local)
            strbuf_printf(&note, "; a local login exists (%s) but Wave only uses Platform credentials", local->source);
        inv->hosts_missing += needs_one && sev != SEV_INFO;
        if (strbuf_failed(&note) || strbuf_failed(&imgs)) rc = -1;
        else if (!diag_add(diags, first->src, first->start, first->end, sev, RULE_MISSING_REGISTRY_CREDENTIALS,
                           "no %s for host '%s' (%s): %s%s",
                           first->pull.by == MODEL_PULL_WAVE ? "Platform credential (Wave pulls)"
                                                             : "local login (the engine pulls)",
                           host, class_words(cls), strbuf_cstr(&imgs), strbuf_cstr(&note)))
            rc = -1;
        strbuf_free(&note);
        strbuf_free(&imgs);
    }
    np_free(idx);
    np_free(done);
    if (rc != 0) return rc;

    /* wave.build.repository / cacheRepository: Wave pushes there */
    if (inv->wave_enabled != 0) {
        for (size_t i = 0; i < inv->nrepos; i++) {
            const InvRepo *r = &inv->repos[i];
            if (!r->host || creds_match(in->creds, r->host) || in->creds->platform_unread) continue;
            unsigned why = 0;
            const Credential *alias = creds_match_alias(in->creds, r->host, &why);
            if (alias) {
                if (mismatch_diag(diags, r->src, r->start, r->end, alias, why, r->host, r->key) != 0) return -1;
                continue;
            }
            if (!diag_add(diags, r->src, r->start, r->end, DIAG_DEFAULT_SEV, RULE_FREEZE_REPOSITORY_CREDENTIALS,
                          "no registry credential for host '%s' of %s = '%s': Wave cannot push images there",
                          r->host, r->key, r->value))
                return -1;
        }
    }

    /* quay.io credentials should be robot accounts */
    for (size_t i = 0; i < in->creds->len; i++) {
        const Credential *c = &in->creds->items[i];
        if (!creds_is_wave_registry(c) || !c->user || strchr(c->user, '+')) continue;
        char canon[256];
        registry_canonical(c->registry, 0, canon, sizeof canon);
        if (strcmp(canon, "quay.io") != 0) continue;
        if (!diag_add(diags, NULL, 0, 0, DIAG_DEFAULT_SEV, RULE_QUAY_ROBOT_USERNAME,
                      "quay.io credential %s%s%s(%s) has user '%s', not a robot account name "
                      "like 'namespace+robot'",
                      c->name ? "'" : "", c->name ? c->name : "", c->name ? "' " : "", c->source, c->user))
            return -1;
    }
    return 0;
}

/* ---------------- output ---------------- */

static void json_opt_str(StrBuf *b, const char *key, const char *v)
{
    strbuf_printf(b, ",\"%s\":", key);
    if (v) strbuf_json_str(b, v, strlen(v));
    else strbuf_puts(b, "null");
}

static void engines_json(StrBuf *b, unsigned mask)
{
    strbuf_putc(b, '[');
    int first = 1;
    for (int e = 0; e <= IMAGE_ENGINE_SHIFTER; e++) {
        if (!(mask & (1u << e))) continue;
        if (!first) strbuf_putc(b, ',');
        first = 0;
        strbuf_printf(b, "\"%s\"", image_engine_str((ImageEngine)e));
    }
    strbuf_putc(b, ']');
}

static const char *origin_name(InvOrigin o)
{
    return o == INV_SCRIPT ? "script" : o == INV_WAVE_BUILD ? "wave-build" : "config";
}

static void report_json(const ImageInventory *inv, StrBuf *out)
{
    const LaunchModel *m = inv->model;
    strbuf_printf(out, "{\"engine\":\"%s\",\"engine_enabled\":%s,\"wave\":%s,\"wave_strategy\":",
                  image_engine_str(inv->engine), inv->engine_enabled ? "true" : "false",
                  m->wave == 1 ? "true" : m->wave == 0 ? "false" : "null");
    const char *strategy = inv->strategy_shown ? inv->strategy_shown : m->strategy;
    strbuf_json_str(out, strategy, strlen(strategy));
    json_opt_str(out, "engine_option", m->engine_option);
    strbuf_puts(out, ",\"unselected_profiles\":[");
    for (size_t i = 0; i < inv->nunselected; i++) {
        if (i) strbuf_putc(out, ',');
        strbuf_json_str(out, inv->unselected[i], strlen(inv->unselected[i]));
    }
    strbuf_puts(out, "],\"images\":[");
    for (size_t i = 0; i < inv->len; i++) {
        const InvImage *im = &inv->items[i];
        unsigned line = 0, col = 0;
        if (im->src) source_linecol(im->src, im->start, &line, &col);
        strbuf_puts(out, i ? ",\n" : "\n");
        strbuf_puts(out, "{\"image\":");
        strbuf_json_str(out, im->image, strlen(im->image));
        json_opt_str(out, "resolved", im->resolved);
        json_opt_str(out, "host", im->host);
        json_opt_str(out, "host_class", im->host_class >= 0 ? registry_class_str((RegistryClass)im->host_class) : NULL);
        json_opt_str(out, "kind", im->kind);
        json_opt_str(out, "path", im->src ? im->src->name : NULL);
        if (im->src) strbuf_printf(out, ",\"line\":%u,\"column\":%u", line, col);
        else strbuf_puts(out, ",\"line\":null,\"column\":null");
        strbuf_printf(out, ",\"dynamic\":%s", im->dynamic ? "true" : "false");
        if (im->dynamic) json_opt_str(out, "why", im->why);
        if (im->process) json_opt_str(out, "process", im->process);
        else json_opt_str(out, "selector", im->selector);
        json_opt_str(out, "origin", origin_name(im->origin));
        json_opt_str(out, "engine", image_engine_str(im->engine));
        strbuf_puts(out, ",\"engines\":");
        engines_json(out, im->engines);
        strbuf_printf(out, ",\"active\":%s", im->active ? "true" : "false");
        if (im->invalid) json_opt_str(out, "invalid", im->invalid);
        if (!im->host && im->host_note) json_opt_str(out, "host_note", im->host_note);
        if (im->probe) json_opt_str(out, "probe", im->probe);
        if (im->overridden_by) json_opt_str(out, "overridden_by", im->overridden_by);
        if (im->active && !im->overridden_by && !im->dynamic) {
            json_opt_str(out, "pulled_by", model_puller_str(im->pull.by));
            json_opt_str(out, "pull_reason", im->pull.reason);
            json_opt_str(out, "credential_source", im->pull.cred_source);
        }
        json_opt_str(out, "processes", im->processes);
        if (im->aborts) json_opt_str(out, "aborts", im->aborts);
        strbuf_putc(out, '}');
    }
    /* the model's processes: what each one runs, for scripts and recall figures */
    strbuf_puts(out, inv->len ? "\n],\"processes\":[" : "],\"processes\":[");
    for (size_t p = 0; p < m->nprocs; p++) {
        const ModelProcess *mp = &m->procs[p];
        unsigned line = 0, col = 0;
        if (mp->def->src) source_linecol(mp->def->src, mp->def->start, &line, &col);
        size_t active = 0, dynamic = 0;
        for (size_t i = 0; i < inv->len; i++) {
            const InvImage *im = &inv->items[i];
            if (im->proc_index != p + 1 || !im->active) continue;
            if (im->dynamic) dynamic++;
            else active++;
        }
        strbuf_puts(out, p ? ",\n" : "\n");
        strbuf_puts(out, "{\"name\":");
        strbuf_json_str(out, mp->name, strlen(mp->name));
        json_opt_str(out, "path", mp->def->src ? mp->def->src->name : NULL);
        strbuf_printf(out, ",\"line\":%u,\"has_directive\":%s,\"active_images\":%zu,\"dynamic_images\":%zu",
                      line, mp->has_directive ? "true" : "false", active, dynamic);
        json_opt_str(out, "container_selector", mp->container_selector);
        if (m->graph_known) {
            /* the fully qualified names a run can give it (model/graph.h) */
            strbuf_puts(out, ",\"qualified_names\":[");
            for (size_t q = 0; q < mp->ninvocations; q++) {
                strbuf_puts(out, q ? "," : "");
                strbuf_json_str(out, mp->invocations[q]->qualified, strlen(mp->invocations[q]->qualified));
            }
            strbuf_putc(out, ']');
        }
        strbuf_printf(out, ",\"conda\":%s,\"wave_builds\":%s}",
                      mp->conda == 1 ? "true" : mp->conda == 0 ? "false" : "null", mp->wave_builds ? "true" : "false");
    }
    strbuf_puts(out, m->nprocs ? "\n],\"include_graph\":" : "],\"include_graph\":");
    /* known: every qualified name is listed; else why not (null without a pipeline) */
    if (!m->scanned) strbuf_puts(out, "null");
    else if (m->graph_known) strbuf_puts(out, "{\"known\":true}");
    else {
        strbuf_puts(out, "{\"known\":false,\"why\":");
        const char *why = m->graph_why ? m->graph_why : "not read";
        strbuf_json_str(out, why, strlen(why));
        strbuf_putc(out, '}');
    }
    strbuf_puts(out, ",\"repositories\":[");
    for (size_t i = 0; i < inv->nrepos; i++) {
        const InvRepo *r = &inv->repos[i];
        strbuf_puts(out, i ? "," : "");
        strbuf_puts(out, "{\"key\":");
        strbuf_json_str(out, r->key, strlen(r->key));
        json_opt_str(out, "repository", r->value);
        json_opt_str(out, "host", r->host);
        strbuf_putc(out, '}');
    }
    strbuf_puts(out, "]}\n");
}

static size_t utf8_width(const char *s)
{
    size_t w = 0;
    for (; *s; s++) if (((unsigned char)*s & 0xC0) != 0x80) w++;
    return w;
}

/* One line per registry host the run pulls from: class, images, who pulls,
 * and what covers it; then what is not pulled and why, grouped. */
static void host_summary(const CheckInput *in, const ImageInventory *inv, StrBuf *out)
{
    char *done = inv->len ? np_calloc(inv->len, 1) : NULL;
    if (inv->len && !done) { out->failed = 1; return; }
    int header = 0;
    for (size_t i = 0; i < inv->len; i++) {
        const InvImage *f = &inv->items[i];
        if (done[i] || !f->pulled || !f->host) continue;
        size_t n = 0;
        for (size_t j = i; j < inv->len; j++) {
            const InvImage *im = &inv->items[j];
            if (done[j] || !im->pulled || !im->host || strcmp(im->host, f->host)) continue;
            int dup = 0;
            for (size_t k = i; k < j; k++)
                if (inv->items[k].pulled && inv->items[k].host && !strcmp(inv->items[k].host, f->host) &&
                    !strcmp(inv->items[k].resolved, im->resolved))
                    dup = 1;
            done[j] = 1;
            n += !dup;
        }
        if (!header) {
            strbuf_puts(out, "hosts pulled from:\n");
            header = 1;
        }
        strbuf_printf(out, "  %s (%s): %zu image%s, pulled by %s, %s\n", f->host,
                      registry_class_str(model_host_class(in, f->host)), n, n == 1 ? "" : "s",
                      model_puller_str(f->pull.by),
                      f->pull.cred_source ? f->pull.cred_source
                      : !in->creds ? "credentials not checked"
                      : f->pull.by == MODEL_PULL_WAVE && in->creds->platform_unread ? "Platform credentials not read"
                      : "no credential covers it");
    }
    size_t wave_built = 0, downloads = 0, aborts = 0, replaced = 0, dynamic = 0, other_engine = 0, invalid = 0;
    for (size_t i = 0; i < inv->len; i++) {
        const InvImage *im = &inv->items[i];
        if (im->dynamic) dynamic++;
        else if (im->overridden_by) replaced++;
        else if (!im->active) other_engine++;
        else if (im->aborts) aborts++;
        else if (im->invalid) invalid++;
        else if (!im->pulled && im->pull.by == MODEL_PULL_NONE && im->pull.reason && strstr(im->pull.reason, "conda")) wave_built++;
        else if (!im->pulled) downloads++;
    }
    if (wave_built) strbuf_printf(out, "  built by Wave from conda (not pulled): %zu\n", wave_built);
    if (downloads) strbuf_printf(out, "  downloads and local files (no registry): %zu\n", downloads);
    if (invalid) {
        /* few and each a failed pull: named here, not only under -v */
        strbuf_printf(out, "  invalid references (no engine can pull them): %zu:", invalid);
        size_t shown = 0;
        for (size_t i = 0; i < inv->len && shown < 3; i++) {
            const InvImage *im = &inv->items[i];
            if (im->dynamic || im->overridden_by || !im->active || im->aborts || !im->invalid) continue;
            strbuf_puts(out, shown++ ? ", " : " ");
            strbuf_put_visible(out, im->image, strlen(im->image), 0);
        }
        if (invalid > shown) strbuf_printf(out, " and %zu more", invalid - shown);
        strbuf_putc(out, '\n');
    }
    if (aborts) strbuf_printf(out, "  Nextflow stops the run on: %zu (see launch-aborts)\n", aborts);
    if (replaced) strbuf_printf(out, "  directives replaced by config selectors: %zu\n", replaced);
    if (other_engine) strbuf_printf(out, "  for other engines only: %zu\n", other_engine);
    if (dynamic) strbuf_printf(out, "  known only at run time: %zu\n", dynamic);
    np_free(done);
}

static void report_text(const CheckInput *in, const ImageInventory *inv, StrBuf *out)
{
    strbuf_printf(out, "engine: %s%s", image_engine_str(inv->engine),
                  inv->engine_enabled ? "" : " (none enabled; docker naming)");
    const char *reg = inv->eopt[inv->engine].registry;
    if (reg) { strbuf_puts(out, ", registry: "); strbuf_put_visible(out, reg, strlen(reg), 0); }
    strbuf_printf(out, "; %zu image%s\n", inv->len, inv->len == 1 ? "" : "s");
    if (inv->nunselected && !inv->engine_enabled) {    /* with an engine on, the list would only distract */
        strbuf_printf(out, "profile%s not selected that set containers or a container engine: ",
                      inv->nunselected + inv->more_unselected > 1 ? "s" : "");
        for (size_t i = 0; i < inv->nunselected; i++) {
            strbuf_puts(out, i ? ", " : "");
            strbuf_put_visible(out, inv->unselected[i], strlen(inv->unselected[i]), 0);
        }
        if (inv->more_unselected) strbuf_printf(out, " and %zu more", inv->more_unselected);
        strbuf_puts(out, " (add -profile ");
        strbuf_put_visible(out, inv->unselected[0], strlen(inv->unselected[0]), 0);
        strbuf_puts(out, " to include one)\n");
    }
    host_summary(in, inv, out);
    if (!in->verbose) {
        if (inv->len) strbuf_puts(out, "(-v lists every image)\n");
        for (size_t i = 0; i < inv->nrepos; i++)
            strbuf_printf(out, "repository %s = %s (host %s)\n", inv->repos[i].key, inv->repos[i].value,
                          inv->repos[i].host ? inv->repos[i].host : "-");
        return;
    }
    if (!inv->len && !inv->nrepos) return;

    enum { C_IMAGE, C_HOST, C_KIND, C_WHERE, C_FOR, NCOL };
    static const char *const head[NCOL] = {"IMAGE", "HOST", "KIND", "WHERE", "FOR"};
    size_t w[NCOL];
    for (int c = 0; c < NCOL; c++) w[c] = strlen(head[c]);
    StrBuf cell = STRBUF_INIT;
    char **cells = np_calloc(inv->len * NCOL + 1, sizeof *cells);
    if (!cells) { out->failed = 1; return; }
    for (size_t i = 0; i < inv->len; i++) {
        const InvImage *im = &inv->items[i];
        for (int c = 0; c < NCOL; c++) {
            cell.len = 0;
            switch (c) {
            case C_IMAGE:
                if (im->dynamic) strbuf_printf(&cell, "(dynamic: %s) %s", im->why ? im->why : "?", im->image);
                else strbuf_puts(&cell, im->resolved ? im->resolved : im->image);
                if (!im->dynamic && im->resolved && strcmp(im->resolved, im->image))
                    strbuf_printf(&cell, "  [%s]", im->image);
                break;
            case C_HOST:
                strbuf_puts(&cell, im->host ? im->host : "-");
                if (im->host_class >= 0) strbuf_printf(&cell, " (%s)", registry_class_str((RegistryClass)im->host_class));
                break;
            case C_KIND:
                strbuf_puts(&cell, im->kind ? im->kind : "-");
                if (im->overridden_by) strbuf_printf(&cell, " (replaced by %s)", im->overridden_by);
                else if (!im->active) strbuf_printf(&cell, " (%s only)", image_engine_str(im->engine));
                if (im->invalid) strbuf_puts(&cell, " INVALID");
                if (im->probe) strbuf_printf(&cell, " probe:%s", im->probe);
                break;
            case C_WHERE:
                if (im->src) {
                    unsigned line = 0, col = 0;
                    source_linecol(im->src, im->start, &line, &col);
                    strbuf_printf(&cell, "%s:%u:%u", im->src->name, line, col);
                } else {
                    strbuf_puts(&cell, "-");
                }
                break;
            default:
                strbuf_puts(&cell, im->process ? im->process : im->selector ? im->selector : "-");
                break;
            }
            /* one line per cell, nothing a terminal would act on: newlines
             * become spaces, control characters escapes */
            StrBuf shown = STRBUF_INIT;
            strbuf_put_visible(&shown, strbuf_cstr(&cell), cell.len, 0);
            cells[i * NCOL + c] = strbuf_take(&shown);
            if (!cells[i * NCOL + c]) out->failed = 1;
            else if (utf8_width(cells[i * NCOL + c]) > w[c]) w[c] = utf8_width(cells[i * NCOL + c]);
        }
    }
    if (cell.failed) out->failed = 1;
    strbuf_free(&cell);
    if (inv->len && !out->failed) {
        for (int c = 0; c < NCOL; c++)
            strbuf_printf(out, "%s%-*s", c ? "  " : "", c == NCOL - 1 ? 0 : (int)w[c], head[c]);
        strbuf_putc(out, '\n');
        for (size_t i = 0; i < inv->len; i++) {
            for (int c = 0; c < NCOL; c++) {
                const char *s = cells[i * NCOL + c];
                strbuf_puts(out, c ? "  " : "");
                strbuf_puts(out, s);
                if (c != NCOL - 1)
                    for (size_t k = utf8_width(s); k < w[c]; k++) strbuf_putc(out, ' ');
            }
            strbuf_putc(out, '\n');
        }
    }
    for (size_t i = 0; i < inv->len * NCOL; i++) np_free(cells[i]);
    np_free(cells);
    for (size_t i = 0; i < inv->nrepos; i++) {
        const char *parts[] = {"repository ", inv->repos[i].key, " = ", inv->repos[i].value, " (host ",
                               inv->repos[i].host ? inv->repos[i].host : "-", ")\n"};
        for (size_t k = 0; k < sizeof parts / sizeof parts[0]; k++) {
            if (k % 2) strbuf_put_visible(out, parts[k], strlen(parts[k]), 0);
            else strbuf_puts(out, parts[k]);
        }
    }
}

/* The engine's registry (docker.registry …) when it comes from the
 * environment: the image names it prefixes and the header show its source,
 * however short it is. Returns the shown text, or NULL when it is not from
 * the environment. */
static const char *registry_from_env(const CheckInput *in, const ImageInventory *inv)
{
    char key[64];
    snprintf(key, sizeof key, "%s.registry", image_engine_str(inv->engine));
    const Value *v = cfg_get(in->cfg, key, NULL);
    const char *env = value_env_of(v);
    if (!env) return NULL;
    StrBuf b = STRBUF_INIT;
    value_print_env(&b, env);
    const char *shown = b.failed ? NULL : arena_strdup(inv->arena, strbuf_cstr(&b));
    strbuf_free(&b);
    return shown ? shown : "env(…)";
}

/* field, or the same with its leading `registry/` shown as `shown/`. */
static const char *without_registry(ImageInventory *inv, const char *field, const char *registry, const char *shown)
{
    size_t n = registry ? strlen(registry) : 0;
    if (!field || !n || strncmp(field, registry, n) || field[n] != '/') return field;
    const char *f = arena_printf(inv->arena, "%s%s", shown, field + n);
    return f ? f : shown;
}

int images_report(const CheckInput *in, const char *format, StrBuf *out, DiagList *diags)
{
    ImageInventory inv;
    int rc = images_inventory(in, &inv, diags);
    if (rc == 0) rc = images_crosscheck(in, &inv, diags);
    /* a secret value inside an image name is not printed, a text from the
     * environment shows as its source (both stay in the checks) */
    const char *reg_shown = rc == 0 ? registry_from_env(in, &inv) : NULL;
    for (size_t i = 0; rc == 0 && i < inv.len; i++) {
        InvImage *im = &inv.items[i];
        const char **fields[] = {&im->image, &im->resolved, &im->host, &im->why, &im->invalid, &im->host_note};
        for (size_t f = 0; f < sizeof fields / sizeof fields[0]; f++) {
            if (reg_shown) *fields[f] = without_registry(&inv, *fields[f], inv.eopt[inv.engine].registry, reg_shown);
            *fields[f] = redact_env_field(&in->cfg->secrets, in->cfg->arena,
                                          redact_field(&in->cfg->secrets, *fields[f]));
        }
    }
    if (rc == 0 && reg_shown) inv.eopt[inv.engine].registry = reg_shown;
    if (rc == 0)
        inv.strategy_shown = redact_env_field(&in->cfg->secrets, in->cfg->arena,
                                              redact_field(&in->cfg->secrets, inv.model->strategy));
    if (rc == 0) {
        if (format && !strcmp(format, "json")) report_json(&inv, out);
        else report_text(in, &inv, out);
        if (strbuf_failed(out)) rc = -1;
    }
    images_inventory_free(&inv);
    return rc;
}
