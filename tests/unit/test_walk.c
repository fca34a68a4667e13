/* walk: the one config iterator visits what the resolver applies (if/else,
 * try/catch/finally, legacy dotted targets and commands, trailing closures,
 * profiles, chained assignments) with full paths; and a secret assigned in
 * finally (or catch) is both resolved and reported by hardcoded-secret. */
#include "alloc.h"
#include "checks.h"
#include "parse.h"
#include "resolve.h"
#include "tap.h"
#include "walk.h"

#include <stdio.h>
#include <string.h>

/* ---- the iterator alone ---- */

typedef struct Seen {
    char lines[64][160];
    size_t n;
    int depth, max_depth, enters, exits;
} Seen;

static int on_enter(void *ctx, const WalkPath *p, const Node *block)
{
    Seen *s = ctx;
    (void)p;
    (void)block;
    s->enters++;
    if (++s->depth > s->max_depth) s->max_depth = s->depth;
    return 1;
}

static void on_exit(void *ctx, const WalkPath *p, const Node *block)
{
    Seen *s = ctx;
    (void)p;
    (void)block;
    s->exits++;
    s->depth--;
}

static int on_assign(void *ctx, const WalkPath *p, const Node *stmt, const Node *value)
{
    Seen *s = ctx;
    if (s->n == 64) return 0;
    char *o = s->lines[s->n++];
    size_t k = 0;
    for (int i = 0; i < p->n && k + 40 < 160; i++)
        k += (size_t)snprintf(o + k, 160 - k, "%s%.*s", i ? "." : "", (int)p->lens[i], p->segs[i]);
    snprintf(o + k, 160 - k, " outer=%d where=%u%s%s%s%s", p->outer, p->where, p->profile ? " profile=" : "",
             p->profile ? p->profile : "", p->selector ? " sel" : "", stmt->kind == N_COMMAND ? " cmd" : "");
    (void)value;
    return 1;
}

static int has(const Seen *s, const char *line)
{
    for (size_t i = 0; i < s->n; i++)
        if (!strcmp(s->lines[i], line)) return 1;
    return 0;
}

static void test_iterator(void)
{
    const char *text =
        "a.b = 1\n"
        "if (x) { c = 2 } else { d.e = 3 }\n"
        "try { t = 1 } catch (Exception e) { k = 2 } finally { f.g = 3 }\n"
        "process {\n"
        "    cpus 4\n"
        "    withName: FOO { memory = '1 GB' }\n"
        "}\n"
        "env(x) { HOME = '/h' }\n"
        "p = q = 5\n"
        "profiles { test { docker.enabled = true }\n params.x = 1 }\n"   /* no profile: v1 applies it at the top */
        "def v = 1\n"
        "cpus 2\n";                       /* a top-level command is code, not config */
    Arena *a = arena_new();
    Source *src = source_from_memory("t.config", NULL, text, strlen(text));
    DiagList d = {0};
    Node *tree = a && src ? parse_config(a, src, &d, NULL) : NULL;
    CHECK(tree != NULL);
    Seen s;
    memset(&s, 0, sizeof s);
    WalkVisitor v = {on_enter, on_exit, on_assign};
    CHECK(walk_config(tree, &v, &s) == 0);
    CHECK(has(&s, "a.b outer=0 where=0"));
    CHECK(has(&s, "c outer=0 where=1"));
    CHECK(has(&s, "d.e outer=0 where=1"));
    CHECK(has(&s, "t outer=0 where=2"));
    CHECK(has(&s, "k outer=0 where=4"));
    CHECK(has(&s, "f.g outer=0 where=8"));
    CHECK(has(&s, "process.cpus outer=1 where=0 cmd"));
    CHECK(has(&s, "process.memory outer=1 where=0 sel"));
    CHECK(has(&s, "env.HOME outer=1 where=16"));
    CHECK(has(&s, "q outer=0 where=0") && has(&s, "p outer=0 where=0"));
    CHECK(has(&s, "docker.enabled outer=0 where=0 profile=test"));
    CHECK(has(&s, "profiles.params.x outer=1 where=32"));
    CHECK(!has(&s, "cpus outer=0 where=0 cmd"));
    CHECK_MSG(s.n == 13, "%zu assignments", s.n);
    for (size_t i = 0; i < s.n; i++) fprintf(stderr, "  %s\n", s.lines[i]);
    CHECK(s.enters == 4 && s.exits == 4 && s.depth == 0 && s.max_depth == 2);
    diag_list_free(&d);
    arena_free(a);
    source_free(src);
}

/* ---- the product: resolved and reported ---- */

static void test_secret_in_finally_and_catch(void)
{
    const char *text =
        "try {\n"
        "    wave.enabled = true\n"
        "} catch (Exception e) {\n"
        "    tower.accessToken = 'eyJhbGciOiJIUzI1NiJ9catchcatchcatch'\n"
        "} finally {\n"
        "    tower.accessToken = 'eyJhbGciOiJIUzI1NiJ9finallyfinally'\n"
        "}\n";
    Layer L;
    memset(&L, 0, sizeof L);
    L.text = text;
    L.len = strlen(text);
    L.name = "s.config";
    ResolveOptions o;
    memset(&o, 0, sizeof o);
    o.clean_env = 1;
    DiagList d = {0};
    Config *cfg = resolve_config(&L, 1, &o, &d);
    CHECK(cfg != NULL);
    /* resolved: the finally body is applied (the catch body only when the try fails) */
    const Prov *prov = NULL;
    const Value *tok = cfg ? config_lookup(cfg, "tower.accessToken", &prov) : NULL;
    CHECK(tok && tok->kind == V_STRING && tok->len == 34 && !memcmp(tok->s, "eyJhbGciOiJIUzI1NiJ9finallyfinally", 34));
    Settings *st = settings_new();
    CheckInput in = {.cfg = cfg, .settings = st};
    size_t before = d.len;
    secrets_check(&in, &d);
    size_t found = 0, at_finally = 0, at_catch = 0;
    size_t fin = (size_t)(strstr(text, "'eyJhbGciOiJIUzI1NiJ9finally") - text);
    size_t cat = (size_t)(strstr(text, "'eyJhbGciOiJIUzI1NiJ9catch") - text);
    for (size_t i = before; i < d.len; i++) {
        if (strcmp(d.items[i].rule, "hardcoded-secret") != 0) continue;
        found++;
        at_finally += d.items[i].start == fin;
        at_catch += d.items[i].start == cat;
    }
    /* reported: both, where they are written */
    CHECK_MSG(found == 2 && at_finally == 1 && at_catch == 1, "found %zu, finally %zu, catch %zu", found,
              at_finally, at_catch);
    settings_free(st);
    diag_list_free(&d);
    config_free(cfg);
}

int main(void)
{
    test_iterator();
    test_secret_in_finally_and_catch();
    TEST_MAIN_END();
}
