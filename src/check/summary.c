/* The launch summary (see summary.h). */
#include "check/summary.h"
#include "alloc.h"
#include "source.h"

#include <stdlib.h>
#include <string.h>

/* ---------------- filling ---------------- */

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* How many distinct strings v[0..n) holds (sorts v). */
static size_t distinct(const char **v, size_t n)
{
    if (!n) return 0;
    qsort(v, n, sizeof *v, cmp_str);
    size_t d = 1;
    for (size_t i = 1; i < n; i++) d += strcmp(v[i - 1], v[i]) != 0;
    return d;
}

/* Engine, images, hosts and credential coverage: what the image inventory
 * and its cross-check found. The one place these come from, so that the
 * launch model can take its place. */
static int from_inventory(LaunchSummary *s, const ImageInventory *inv)
{
    s->engine = inv->engine_enabled ? image_engine_str(inv->engine) : NULL;
    const char **names = inv->len ? np_malloc(inv->len * sizeof *names) : NULL;
    const char **hosts = inv->len ? np_malloc(inv->len * sizeof *hosts) : NULL;
    if (inv->len && (!names || !hosts)) {
        np_free(names);
        np_free(hosts);
        return -1;
    }
    size_t nnames = 0, nhosts = 0;
    const char **dyn = names;       /* dynamic images first, named ones after */
    for (size_t i = 0; i < inv->len; i++)
        if (inv->items[i].active && inv->items[i].dynamic) dyn[nnames++] = inv->items[i].image;
    s->dynamic_images = distinct(dyn, nnames);
    size_t ndyn = nnames;
    for (size_t i = 0; i < inv->len; i++) {
        const InvImage *im = &inv->items[i];
        if (!im->active || im->dynamic) continue;
        names[nnames++] = im->resolved ? im->resolved : im->image;
        if (im->host) hosts[nhosts++] = im->host;
    }
    /* names is NULL for an empty inventory: no offset from it */
    s->images = s->dynamic_images + (nnames > ndyn ? distinct(names + ndyn, nnames - ndyn) : 0);
    s->hosts = distinct(hosts, nhosts);
    s->hosts_covered = inv->hosts_covered;
    s->hosts_missing = inv->hosts_missing;
    s->hosts_unknown = inv->hosts_unknown;
    np_free(names);
    np_free(hosts);
    return 0;
}

/* `name` relative to `dir` when it lies below it (an editor names files by
 * their absolute paths), else as it is. */
static const char *below(const char *name, const char *dir)
{
    size_t n = dir ? strlen(dir) : 0;
    while (n > 1 && dir[n - 1] == '/') n--;
    if (n && name && !strncmp(name, dir, n) && name[n] == '/' && name[n + 1]) return name + n + 1;
    return name;
}

int launch_summary_fill(LaunchSummary *s, const CheckInput *in, const ImageInventory *inv,
                        const char *const *profiles, size_t nprofiles)
{
    memset(s, 0, sizeof *s);
    const Prov *wp = NULL;
    int disabled_env = 0;
    s->wave = wave_status(in->cfg, &wp, &disabled_env);
    if (disabled_env) {
        s->wave_why = SUMMARY_WAVE_DISABLED_ENV;
    } else if (wp && wp->src) {
        unsigned col;
        s->wave_why = SUMMARY_WAVE_SET;
        s->wave_file = below(wp->src->name, in->launch_dir);
        source_linecol(wp->src, wp->start, &s->wave_line, &col);
        s->wave_profile = wp->profile;
    } else {
        s->wave_why = wp ? SUMMARY_WAVE_NO_SOURCE : SUMMARY_WAVE_NOT_SET;
        /* runopts_apply sets wave.enabled for -with-wave alone */
        if (wp && in->run && in->run->with_wave) s->wave_option = "-with-wave";
    }
    if (from_inventory(s, inv) != 0) {
        memset(s, 0, sizeof *s);
        return -1;
    }
    s->profiles = profiles;
    s->nprofiles = nprofiles;
    s->creds_checked = in->creds != NULL;
    s->known = 1;
    return 0;
}

/* ---------------- the line ---------------- */

/* Repository text on one line, at most `max` bytes of it: the head, or the
 * tail when `tail` (the end of a long path says more), an ellipsis where
 * it was cut; never a partial UTF-8 character, a control character shown
 * as an escape. */
static void put_cut(StrBuf *b, const char *s, size_t max, int tail)
{
    size_t n = strlen(s);
    if (n <= max) {
        strbuf_put_visible(b, s, n, 0);
        return;
    }
    if (tail) {
        const char *p = s + n - max;
        while (*p && ((unsigned char)*p & 0xC0) == 0x80) p++;     /* a character's start */
        strbuf_puts(b, "\xE2\x80\xA6");
        strbuf_put_visible(b, p, strlen(p), 0);
    } else {
        size_t k = max;
        while (k && ((unsigned char)s[k] & 0xC0) == 0x80) k--;
        strbuf_put_visible(b, s, k, 0);
        strbuf_puts(b, "\xE2\x80\xA6");
    }
}

static const char *plural(size_t n)
{
    return n == 1 ? "" : "s";
}

/* How much of each name a line shows, in bytes: repository text (file and
 * profile names) and the PATH are cut to these, halved until the line fits. */
typedef struct Caps {
    size_t path, profiles, file, profile;
} Caps;

static void put_wave(StrBuf *b, const LaunchSummary *s, const Caps *cap)
{
    strbuf_puts(b, s->wave == 1 ? "Wave on" : s->wave == 0 ? "Wave off" : "Wave decided at run time");
    switch (s->wave_why) {
    case SUMMARY_WAVE_NOT_SET: strbuf_puts(b, " (not set)"); break;
    case SUMMARY_WAVE_NO_SOURCE: strbuf_printf(b, " (%s)", s->wave_option ? s->wave_option : "command line"); break;
    case SUMMARY_WAVE_DISABLED_ENV: strbuf_puts(b, " (NXF_DISABLE_WAVE_SERVICE is set)"); break;
    case SUMMARY_WAVE_SET:
        strbuf_puts(b, " (");
        put_cut(b, s->wave_file ? s->wave_file : "", cap->file, 1);
        strbuf_printf(b, ":%u", s->wave_line);
        if (s->wave_profile) {
            strbuf_puts(b, ", profile '");
            put_cut(b, s->wave_profile, cap->profile, 0);
            strbuf_putc(b, '\'');
        }
        strbuf_putc(b, ')');
        break;
    }
}

static void build_line(StrBuf *b, const LaunchSummary *s, const char *path, const Caps *cap)
{
    strbuf_puts(b, "launch");
    if (path) {
        strbuf_putc(b, ' ');
        put_cut(b, path, cap->path, 1);
    }
    if (s->nprofiles) {
        /* as the operator would write it on Nextflow's command line */
        StrBuf names = STRBUF_INIT;
        for (size_t i = 0; i < s->nprofiles; i++) strbuf_printf(&names, "%s%s", i ? "," : "", s->profiles[i]);
        strbuf_puts(b, " -profile ");
        put_cut(b, strbuf_cstr(&names), cap->profiles, 0);
        if (strbuf_failed(&names)) b->failed = 1;
        strbuf_free(&names);
    }
    strbuf_puts(b, ": ");
    if (s->engine) strbuf_printf(b, "engine %s; ", s->engine);
    else strbuf_puts(b, "no container engine; ");
    put_wave(b, s, cap);
    if (!s->images) strbuf_puts(b, "; no images");
    else strbuf_printf(b, "; %zu image%s", s->images, plural(s->images));
    if (s->dynamic_images) strbuf_printf(b, " (%zu dynamic)", s->dynamic_images);
    if (s->hosts) strbuf_printf(b, " on %zu host%s", s->hosts, plural(s->hosts));
    if (s->creds_checked) {
        strbuf_printf(b, "; credentials: %zu covered, %zu missing", s->hosts_covered, s->hosts_missing);
        if (s->hosts_unknown) strbuf_printf(b, ", %zu unknown", s->hosts_unknown);
    } else strbuf_puts(b, "; credentials not checked");
}

void launch_summary_line(StrBuf *out, const LaunchSummary *s, const char *path)
{
    if (!s || !s->known) return;
    StrBuf b = STRBUF_INIT;
    Caps cap = {32, 32, 48, 24};
    for (int round = 0; round < 4; round++) {
        b.len = 0;
        build_line(&b, s, path, &cap);
        if (b.len <= LAUNCH_SUMMARY_MAX) break;
        cap = (Caps){cap.path / 2, cap.profiles / 2, cap.file / 2, cap.profile / 2};
    }
    if (strbuf_failed(&b)) {
        out->failed = 1;
    } else {
        /* the names are cut to almost nothing by now: this only guards the sum */
        const char *t = strbuf_cstr(&b);
        size_t n = b.len;
        if (n > LAUNCH_SUMMARY_MAX) {
            n = LAUNCH_SUMMARY_MAX;
            while (n && ((unsigned char)t[n] & 0xC0) == 0x80) n--;
        }
        strbuf_append(out, t, n);
        if (n < b.len) strbuf_puts(out, "\xE2\x80\xA6");
    }
    strbuf_free(&b);
}

/* ---------------- JSON ---------------- */

static void json_cstr(StrBuf *b, const char *s)
{
    if (s) strbuf_json_str(b, s, strlen(s));
    else strbuf_puts(b, "null");
}

void launch_summary_json(StrBuf *out, const LaunchSummary *s, const char *path)
{
    if (!s || !s->known) {
        strbuf_puts(out, "null");
        return;
    }
    static const char *const why[] = {"not-set", "set", "command-line", "disabled-by-environment"};
    strbuf_puts(out, "{\"path\":");
    json_cstr(out, path);
    strbuf_puts(out, ",\"profiles\":[");
    for (size_t i = 0; i < s->nprofiles; i++) {
        if (i) strbuf_putc(out, ',');
        json_cstr(out, s->profiles[i]);
    }
    strbuf_puts(out, "],\"engine\":");
    json_cstr(out, s->engine);
    strbuf_printf(out, ",\"wave\":{\"enabled\":%s,\"why\":\"%s\"",
                  s->wave == 1 ? "true" : s->wave == 0 ? "false" : "null", why[s->wave_why]);
    if (s->wave_why == SUMMARY_WAVE_SET) {
        strbuf_puts(out, ",\"path\":");
        json_cstr(out, s->wave_file);
        strbuf_printf(out, ",\"line\":%u,\"profile\":", s->wave_line);
        json_cstr(out, s->wave_profile);
    }
    strbuf_printf(out, "},\"images\":%zu,\"dynamic_images\":%zu,\"hosts\":%zu,\"credentials\":", s->images,
                  s->dynamic_images, s->hosts);
    if (s->creds_checked)
        strbuf_printf(out, "{\"covered\":%zu,\"missing\":%zu,\"unknown\":%zu}", s->hosts_covered, s->hosts_missing,
                      s->hosts_unknown);
    else strbuf_puts(out, "null");
    strbuf_puts(out, ",\"text\":");
    StrBuf line = STRBUF_INIT;
    launch_summary_line(&line, s, path);
    if (strbuf_failed(&line)) out->failed = 1;
    else strbuf_json_str(out, line.len ? strbuf_cstr(&line) : "", line.len);
    strbuf_free(&line);
    strbuf_putc(out, '}');
}
