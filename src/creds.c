/* creds — loading credential inventories and Wave's host matching.
 * Research: seqera-wave-credentials.md §0 (exact-host rule), §2.3 (lookup),
 * §3.2/§3.3 (API and tw list shapes), §5 (docker/containers auth files). */
#include "creds.h"
#include "alloc.h"
#include "data.h"
#include "registry.h"
#include "source.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------------ */
/* list plumbing                                                             */

typedef struct Load {
    CredList *list;
    const char *text;
    size_t len;
    const char *origin;
    char **err;
    int rc;
} Load;

static void load_err(Load *ld, int rc, size_t off, int with_pos, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;

static void load_err(Load *ld, int rc, size_t off, int with_pos, const char *fmt, ...)
{
    if (ld->rc != CREDS_OK) return;
    ld->rc = rc;
    if (!ld->err) return;
    if (rc == CREDS_ENOMEM) {
        *ld->err = np_strdup("out of memory");
        return;
    }
    char body[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(body, sizeof body, fmt, ap);
    va_end(ap);
    size_t n = strlen(ld->origin) + strlen(body) + 48;
    *ld->err = np_malloc(n);
    if (!*ld->err) return;
    if (with_pos) {
        unsigned line, col;
        data_linecol(ld->text, ld->len, off, &line, &col);
        snprintf(*ld->err, n, "%s:%u:%u: %s", ld->origin, line, col, body);
    } else {
        snprintf(*ld->err, n, "%s: %s", ld->origin, body);
    }
}

static void load_oom(Load *ld) { load_err(ld, CREDS_ENOMEM, 0, 0, "out of memory"); }

/* Arena copy of s (NULL stays NULL); 0 when memory ran out. */
static int dup_opt(Load *ld, const char *s, const char **out)
{
    *out = NULL;
    if (!s) return 1;
    char *p = arena_strdup(ld->list->arena, s);
    if (!p) { load_oom(ld); return 0; }
    *out = p;
    return 1;
}

static Credential *new_cred(Load *ld, CredOrigin origin, size_t start, size_t end)
{
    CredList *l = ld->list;
    Credential *ni = np_grow(l->items, l->len, &l->cap, sizeof *ni, 8);
    if (!ni) { load_oom(ld); return NULL; }
    l->items = ni;
    Credential *c = &l->items[l->len++];
    memset(c, 0, sizeof *c);
    c->origin = origin;
    c->start = start;
    c->end = end;
    return c;
}

static int set_source(Load *ld, Credential *c, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static int set_source(Load *ld, Credential *c, const char *fmt, ...)
{
    char body[320];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(body, sizeof body, fmt, ap);
    va_end(ap);
    c->source = arena_printf(ld->list->arena, "%s: %s", ld->origin, body);
    if (!c->source) { load_oom(ld); return 0; }
    return 1;
}

/* A text field: absent or null -> NULL; string -> its text; numbers -> their
 * literal (YAML `id: 12`); anything else is an error. */
static int field_text(Load *ld, const DataNode *obj, const char *key, const char **out)
{
    *out = NULL;
    const DataNode *n = data_get(obj, key);
    if (!n || n->kind == DATA_NULL) return 1;
    if (n->kind == DATA_STRING || n->kind == DATA_INT || n->kind == DATA_FLOAT) {
        if (n->text_len != strlen(n->text)) {
            load_err(ld, CREDS_EFORMAT, n->start, 1, "'%s' contains a NUL character", key);
            return 0;
        }
        return dup_opt(ld, n->text, out);
    }
    load_err(ld, CREDS_EFORMAT, n->start, 1, "'%s' must be a string, not %s", key, data_kind_name(n->kind));
    return 0;
}

/* ------------------------------------------------------------------------ */
/* Platform API / tw / simple inventory                                      */

static int nonempty_str(const DataNode *n) { return n && n->kind == DATA_STRING && n->text_len > 0; }

/* A string member of a Platform entry kept for messages only: one line, cut
 * to `cap` bytes (the contract allows 4096); NULL when absent or not a
 * string, which is no reason to refuse the list. 0 when memory ran out. */
static int message_text(Load *ld, const DataNode *e, const char *key, size_t cap, const char **out)
{
    *out = NULL;
    const DataNode *n = data_get(e, key);
    if (!n || n->kind != DATA_STRING || !n->text_len) return 1;
    size_t len = n->text_len > cap ? cap : n->text_len;
    char *p = arena_printf(ld->list->arena, "%.*s%s", (int)len, n->text, len < n->text_len ? "..." : "");
    if (!p) { load_oom(ld); return 0; }
    for (char *q = p; *q; q++)
        if ((unsigned char)*q < 0x20 || *q == 0x7f) *q = ' ';
    *out = p;
    return 1;
}

static int load_platform_entry(Load *ld, const DataNode *e, CredOrigin origin, const char *where)
{
    if (e->kind != DATA_OBJECT) {
        load_err(ld, CREDS_EFORMAT, e->start, 1, "%s must be an object, not %s", where, data_kind_name(e->kind));
        return 0;
    }
    Credential *c = new_cred(ld, origin, e->start, e->end);
    if (!c) return 0;
    const DataNode *keys = data_get(e, "keys");
    if (keys && keys->kind != DATA_OBJECT && keys->kind != DATA_NULL) {
        load_err(ld, CREDS_EFORMAT, keys->start, 1, "'keys' must be an object, not %s", data_kind_name(keys->kind));
        return 0;
    }
    if (!field_text(ld, e, "name", &c->name) || !field_text(ld, e, "id", &c->id) ||
        !field_text(ld, e, "provider", &c->provider))
        return 0;
    if (keys && keys->kind == DATA_OBJECT) {
        /* Platform shape: the host and user live in keys (research §3.2) */
        if (!field_text(ld, keys, "registry", &c->registry) || !field_text(ld, keys, "userName", &c->user))
            return 0;
        if (!c->provider && !field_text(ld, keys, "discriminator", &c->provider)) return 0;
        if (nonempty_str(data_get(keys, "assumeRoleArn"))) c->flags |= CRED_ASSUME_ROLE;
    } else {
        /* simple inventory: {registry, name, user} */
        if (!field_text(ld, e, "registry", &c->registry)) return 0;
        static const char *const user_keys[] = {"user", "userName", "username"};
        for (size_t i = 0; i < 3 && !c->user; i++)
            if (!field_text(ld, e, user_keys[i], &c->user)) return 0;
        if (!c->provider && origin == CRED_FROM_INVENTORY) c->provider = "container-reg";
    }
    if (c->provider && strcmp(c->provider, "container-reg") == 0 && (!c->registry || !c->registry[0]))
        c->flags |= CRED_REGISTRY_UNSET;
    int deleted = 0;
    if (data_bool(data_get(e, "deleted"), &deleted) && deleted) c->flags |= CRED_DELETED;
    /* Credentials.Status (contract 1.181.0): AVAILABLE or INVALID, the
     * latter with Platform's `message` and `lastValidated` */
    const char *status = data_get_str(e, "status");
    if (status && strcmp(status, "INVALID") == 0) {
        c->flags |= CRED_INVALID;
        if (!message_text(ld, e, "message", CREDS_STATUS_MESSAGE_MAX, &c->status_message) ||
            !message_text(ld, e, "lastValidated", 40, &c->last_validated))
            return 0;
    }
    return set_source(ld, c, "%s", where);
}

static int has_keys_object(const DataNode *arr)
{
    for (size_t i = 0; i < arr->len; i++)
        if (data_is(data_get(arr->items[i], "keys"), DATA_OBJECT)) return 1;
    return 0;
}

static int load_platform_list(Load *ld, const DataNode *arr, CredOrigin origin, const char *prefix,
                              const char *workspace)
{
    const char *ws = NULL;
    if (!dup_opt(ld, workspace, &ws)) return 0;
    for (size_t i = 0; i < arr->len; i++) {
        char where[64];
        snprintf(where, sizeof where, "%s[%zu]", prefix, i);
        if (!load_platform_entry(ld, arr->items[i], origin, where)) return 0;
        ld->list->items[ld->list->len - 1].workspace = ws;
    }
    return 1;
}

/* ------------------------------------------------------------------------ */
/* docker config.json / containers-auth.json                                 */

static int b64val(int ch)
{
    if (ch >= 'A' && ch <= 'Z') return ch - 'A';
    if (ch >= 'a' && ch <= 'z') return ch - 'a' + 26;
    if (ch >= '0' && ch <= '9') return ch - '0' + 52;
    if (ch == '+') return 62;
    if (ch == '/') return 63;
    return -1;
}

/* The user name in an `auth` value (base64 of "user:password"), decoding only
 * up to the first ':' so that the password is never materialised beyond the
 * last partial group, which is wiped. NULL when it cannot be decoded or has
 * no ':' or an empty user (docker rejects those). */
static const char *auth_user(Load *ld, const char *auth, size_t len, int *ok)
{
    *ok = 1;
    char user[257];
    size_t un = 0;
    unsigned char grp[3];
    int found = 0, bad = 0;
    for (size_t i = 0; i + 4 <= len && !found && !bad; i += 4) {
        int v[4];
        int pad = 0;
        for (int k = 0; k < 4; k++) {
            char ch = auth[i + k];
            if (ch == '=' && k >= 2) { v[k] = 0; pad++; continue; }
            v[k] = b64val((unsigned char)ch);
            if (v[k] < 0 || pad) bad = 1;
        }
        if (bad) break;
        grp[0] = (unsigned char)((v[0] << 2) | (v[1] >> 4));
        grp[1] = (unsigned char)(((v[1] & 15) << 4) | (v[2] >> 2));
        grp[2] = (unsigned char)(((v[2] & 3) << 6) | v[3]);
        for (int k = 0; k < 3 - pad; k++) {
            if (grp[k] == ':') { found = 1; break; }
            if (un == sizeof user - 1 || grp[k] == '\0') { bad = 1; break; }
            user[un++] = (char)grp[k];
        }
    }
    memset(grp, 0, sizeof grp);
    const char *res = NULL;
    if (found && !bad && un > 0) {
        user[un] = '\0';
        res = arena_strdup(ld->list->arena, user);
        if (!res) { load_oom(ld); *ok = 0; }
    }
    memset(user, 0, sizeof user);
    return res;
}

/* 1 when `s` is standard base64 as Go's decoder takes it (CR and LF are
 * skipped, '=' only as the padding of the last group). Nothing is decoded. */
static int b64_valid(const char *s, size_t len)
{
    size_t n = 0, pad = 0;
    for (size_t i = 0; i < len; i++) {
        char ch = s[i];
        if (ch == '\r' || ch == '\n') continue;
        if (ch == '=') { pad++; n++; continue; }
        if (pad || b64val((unsigned char)ch) < 0) return 0;
        n++;
    }
    return n % 4 == 0 && pad <= 2;
}

/* An auths entry that docker itself would refuse, or that holds no login, is
 * reported at its position instead of being counted (docker's decodeAuth:
 * `auth` must be base64 of "user:password" with a non-empty user). Entries
 * without any secret are logins only through a credsStore. */
static int check_auth_entry(Load *ld, const DataMember *m, const DataNode *v, const char *label, int have_store)
{
    const DataNode *auth = data_get(v, "auth");
    if (auth && auth->kind != DATA_STRING && auth->kind != DATA_NULL) {
        load_err(ld, CREDS_EFORMAT, auth->start, 1, "%s[\"%s\"].auth must be a string, not %s", label, m->key,
                 data_kind_name(auth->kind));
        return 0;
    }
    if (nonempty_str(auth)) {
        int ok;
        const char *user = auth_user(ld, auth->text, auth->text_len, &ok);
        if (!ok) return 0;
        if (!user || !b64_valid(auth->text, auth->text_len)) {
            load_err(ld, CREDS_EFORMAT, auth->start, 1,
                     "%s[\"%s\"].auth is not the base64 of \"user:password\" with a user name; docker refuses "
                     "this file", label, m->key);
            return 0;
        }
        return 1;
    }
    if (!have_store && !nonempty_str(data_get(v, "password")) && !nonempty_str(data_get(v, "identitytoken")) &&
        !nonempty_str(data_get(v, "registrytoken"))) {
        load_err(ld, CREDS_EFORMAT, v->start, 1,
                 "%s[\"%s\"] holds no login (%s, no password or token, and no credsStore to keep one)",
                 label, m->key, auth ? "an empty auth" : "no auth");
        return 0;
    }
    return 1;
}

static int load_auths(Load *ld, const DataNode *auths, CredOrigin origin, const char *label, int have_store)
{
    for (size_t i = 0; i < auths->len; i++) {
        const DataMember *m = &auths->members[i];
        const DataNode *v = m->value;
        if (v->kind != DATA_OBJECT) {
            load_err(ld, CREDS_EFORMAT, v->start, 1, "%s[\"%s\"] must be an object, not %s", label, m->key,
                     data_kind_name(v->kind));
            return 0;
        }
        if (!check_auth_entry(ld, m, v, label, have_store)) return 0;
        Credential *c = new_cred(ld, origin, m->key_start, v->end);
        if (!c) return 0;
        c->provider = "container-reg";
        if (!dup_opt(ld, m->key, &c->registry)) return 0;
        if (!field_text(ld, v, "username", &c->user)) return 0;
        const DataNode *auth = data_get(v, "auth");
        if (nonempty_str(auth) || nonempty_str(data_get(v, "password")) ||
            nonempty_str(data_get(v, "identitytoken")) || nonempty_str(data_get(v, "registrytoken")))
            c->flags |= CRED_INLINE_SECRET;
        else
            c->flags |= CRED_NO_SECRET;
        if (!c->user && nonempty_str(auth)) {
            int ok;
            c->user = auth_user(ld, auth->text, auth->text_len, &ok);
            if (!ok) return 0;
        }
        if (!set_source(ld, c, "%s[\"%s\"]", label, m->key)) return 0;
    }
    return 1;
}

static int load_auth_doc(Load *ld, const DataNode *root, CredOrigin origin, int allow_legacy)
{
    const DataNode *auths = data_get(root, "auths");
    const DataNode *helpers = data_get(root, "credHelpers");
    const DataNode *store = data_get(root, "credsStore");
    if (!auths && !helpers && !store && allow_legacy && root->len > 0) {
        /* legacy ~/.dockercfg: the auth map is the top level (research §5.1).
         * Only when every member looks like an auth entry, so that a modern
         * config with nothing but e.g. "proxies" is not misread. */
        int legacy = 1;
        for (size_t i = 0; i < root->len && legacy; i++) {
            const DataNode *v = root->members[i].value;
            legacy = v->kind == DATA_OBJECT && (data_get(v, "auth") || data_get(v, "email"));
        }
        if (legacy) return load_auths(ld, root, origin, "", 0);
    }
    if (auths && auths->kind != DATA_NULL) {
        if (auths->kind != DATA_OBJECT) {
            load_err(ld, CREDS_EFORMAT, auths->start, 1, "\"auths\" must be an object, not %s", data_kind_name(auths->kind));
            return 0;
        }
        int have_store = (store && store->kind == DATA_STRING && store->text_len > 0) ||
                         (helpers && helpers->kind == DATA_OBJECT && helpers->len > 0);
        if (!load_auths(ld, auths, origin, "auths", have_store)) return 0;
    }
    if (helpers && helpers->kind != DATA_NULL) {
        if (helpers->kind != DATA_OBJECT) {
            load_err(ld, CREDS_EFORMAT, helpers->start, 1, "\"credHelpers\" must be an object, not %s",
                     data_kind_name(helpers->kind));
            return 0;
        }
        for (size_t i = 0; i < helpers->len; i++) {
            const DataMember *m = &helpers->members[i];
            if (m->value->kind != DATA_STRING) {
                load_err(ld, CREDS_EFORMAT, m->value->start, 1, "credHelpers[\"%s\"] must be a string", m->key);
                return 0;
            }
            Credential *c = new_cred(ld, origin, m->key_start, m->value->end);
            if (!c) return 0;
            c->provider = "container-reg";
            c->flags |= CRED_HELPER;
            if (!dup_opt(ld, m->key, &c->registry) || !dup_opt(ld, m->value->text, &c->helper) ||
                !set_source(ld, c, "credHelpers[\"%s\"]", m->key))
                return 0;
        }
    }
    if (store && store->kind != DATA_NULL) {
        if (store->kind != DATA_STRING) {
            load_err(ld, CREDS_EFORMAT, store->start, 1, "\"credsStore\" must be a string");
            return 0;
        }
        if (store->text_len > 0) {
            CredList *l = ld->list;
            if (!dup_opt(ld, store->text, &l->creds_store_name) || !dup_opt(ld, ld->origin, &l->creds_store_source))
                return 0;
            l->creds_store = 1;
        }
    }
    return 1;
}

/* ------------------------------------------------------------------------ */
/* entry points                                                              */

typedef enum DocKind { DOC_AUTODETECT, DOC_DOCKER, DOC_AUTH_FILE } DocKind;

static int load_root(Load *ld, const DataNode *root, DocKind kind)
{
    if (kind != DOC_AUTODETECT) {
        if (root->kind != DATA_OBJECT) {
            load_err(ld, CREDS_EFORMAT, root->start, 1, "expected a JSON object with \"auths\", found %s",
                     data_kind_name(root->kind));
            return 0;
        }
        return load_auth_doc(ld, root, kind == DOC_DOCKER ? CRED_FROM_DOCKER_CONFIG : CRED_FROM_AUTH_FILE, 1);
    }
    if (root->kind == DATA_ARRAY)
        return load_platform_list(ld, root, has_keys_object(root) ? CRED_FROM_PLATFORM_API : CRED_FROM_INVENTORY,
                                  "", NULL);
    if (root->kind == DATA_OBJECT) {
        const DataNode *list = data_get(root, "credentials");
        if (list) {
            const DataNode *wsref = data_get(root, "workspaceRef");
            if (wsref && wsref->kind != DATA_STRING && wsref->kind != DATA_NULL) {
                load_err(ld, CREDS_EFORMAT, wsref->start, 1, "'workspaceRef' must be a string");
                return 0;
            }
            if (list->kind == DATA_ARRAY) {
                CredOrigin o = wsref ? CRED_FROM_TW
                                     : has_keys_object(list) ? CRED_FROM_PLATFORM_API : CRED_FROM_INVENTORY;
                return load_platform_list(ld, list, o, "credentials", data_str(wsref));
            }
            if (list->kind == DATA_OBJECT)   /* GET /credentials/{id}: {"credentials": {...}} */
                return load_platform_entry(ld, list, CRED_FROM_PLATFORM_API, "credentials");
            load_err(ld, CREDS_EFORMAT, list->start, 1, "'credentials' must be a list, not %s",
                     data_kind_name(list->kind));
            return 0;
        }
        if (data_get(root, "auths") || data_get(root, "credHelpers") || data_get(root, "credsStore"))
            return load_auth_doc(ld, root, CRED_FROM_DOCKER_CONFIG, 0);
    }
    load_err(ld, CREDS_EFORMAT, root->start, 1,
             "not a credentials document: expected {\"credentials\": [...]} (Platform API or tw -o json), "
             "a list of {registry, name, user}, or a docker config with \"auths\"");
    return 0;
}

static int load_doc_text(CredList *list, const char *text, size_t len, const char *origin,
                         DocKind kind, char **err)
{
    if (err) *err = NULL;
    Load ld = {list, text, len, origin ? origin : "<credentials>", err, CREDS_OK};
    if (!list->arena) {
        list->arena = arena_new();
        if (!list->arena) { load_oom(&ld); return ld.rc; }
    }
    DataDoc *doc = NULL;
    char *perr = NULL;
    int prc = data_parse(text, len, kind == DOC_AUTODETECT ? DATA_AUTO : DATA_JSON, &doc, &perr);
    if (prc != DATA_OK) {
        if (prc == DATA_ENOMEM) load_oom(&ld);
        else if (err) {
            ld.rc = CREDS_ESYNTAX;
            size_t n = strlen(ld.origin) + (perr ? strlen(perr) : 0) + 4;
            *err = np_malloc(n);
            if (*err) snprintf(*err, n, "%s:%s", ld.origin, perr ? perr : " invalid document");
        } else {
            ld.rc = CREDS_ESYNTAX;
        }
        np_free(perr);
        return ld.rc;
    }
    size_t old_len = list->len;
    int old_store = list->creds_store;
    const char *old_name = list->creds_store_name, *old_src = list->creds_store_source;
    if (!load_root(&ld, doc->root, kind)) {
        list->len = old_len;          /* all or nothing */
        list->creds_store = old_store;
        list->creds_store_name = old_name;
        list->creds_store_source = old_src;
    }
    data_doc_wipe(doc);   /* the document held whatever secrets the input had */
    data_doc_free(doc);
    return ld.rc;
}

int creds_load_text(CredList *list, const char *text, size_t len, const char *origin, char **err)
{
    return load_doc_text(list, text, len, origin, DOC_AUTODETECT, err);
}

static int load_file(CredList *list, const char *path, DocKind kind, char **err)
{
    if (err) *err = NULL;
    int serr = 0;
    Source *s = source_load(path, path, &serr);
    if (!s) {
        int rc = serr == SOURCE_ENOENT ? CREDS_ENOENT : serr == SOURCE_ENOMEM ? CREDS_ENOMEM : CREDS_EIO;
        if (err) {
            const char *why = source_strerror(serr);
            size_t n = strlen(path) + strlen(why) + 4;
            *err = np_malloc(n);
            if (*err) snprintf(*err, n, "%s: %s", path, why);
        }
        return rc;
    }
    int rc = load_doc_text(list, s->text, s->len, path, kind, err);
    memset(s->text, 0, s->len);   /* the file may hold secrets */
    source_free(s);
    return rc;
}

int creds_load_docker_config(CredList *list, const char *path, char **err)
{
    return load_file(list, path, DOC_DOCKER, err);
}

int creds_load_auth_file(CredList *list, const char *path, char **err)
{
    return load_file(list, path, DOC_AUTH_FILE, err);
}

int creds_load_file(CredList *list, const char *path, char **err)
{
    return load_file(list, path, DOC_AUTODETECT, err);
}

void creds_list_free(CredList *list)
{
    if (!list) return;
    np_free(list->items);
    arena_free(list->arena);
    memset(list, 0, sizeof *list);
}

/* ------------------------------------------------------------------------ */
/* default file locations (research §5.1, §5.2)                              */

static const char *env_of(CredsGetenv get, void *ctx, const char *name)
{
    const char *v = get ? get(name, ctx) : getenv(name);
    return v && *v ? v : NULL;
}

static char *join2(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    char *p = np_malloc(la + lb + 2);
    if (!p) return NULL;
    memcpy(p, a, la);
    size_t o = la;
    if (la == 0 || a[la - 1] != '/') p[o++] = '/';
    memcpy(p + o, b, lb + 1);
    return p;
}

char *creds_docker_config_path(CredsGetenv get, void *ctx)
{
    const char *dc = env_of(get, ctx, "DOCKER_CONFIG");
    if (dc) return join2(dc, "config.json");
    const char *home = env_of(get, ctx, "HOME");
    return home ? join2(home, ".docker/config.json") : NULL;
}

int creds_auth_file_paths(CredsGetenv get, void *ctx, unsigned long uid, CredPath **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    CredPath *p = np_calloc(4, sizeof *p);
    if (!p) return CREDS_ENOMEM;
    size_t k = 0;
    int oom = 0;
    const char *override = env_of(get, ctx, "REGISTRY_AUTH_FILE");
    const char *home = env_of(get, ctx, "HOME");
    /* 1. override, else the primary (runtime) file */
    if (override) {
        p[k].path = np_strdup(override);
    } else {
        const char *xrd = env_of(get, ctx, "XDG_RUNTIME_DIR");
        if (xrd) {
            p[k].path = join2(xrd, "containers/auth.json");
        } else {
            char buf[64];
            snprintf(buf, sizeof buf, "/run/containers/%lu/auth.json", uid);
            p[k].path = np_strdup(buf);
        }
    }
    p[k].kind = CRED_PATH_AUTH_JSON;
    oom |= !p[k++].path;
    /* 2. ${XDG_CONFIG_HOME:-$HOME/.config}/containers/auth.json, only without override */
    if (!override) {
        const char *xch = env_of(get, ctx, "XDG_CONFIG_HOME");
        char *path = xch ? join2(xch, "containers/auth.json")
                   : home ? join2(home, ".config/containers/auth.json") : NULL;
        if (xch || home) {
            p[k].path = path;
            p[k].kind = CRED_PATH_AUTH_JSON;
            oom |= !p[k++].path;
        }
    }
    /* 3. docker's config.json */
    if (env_of(get, ctx, "DOCKER_CONFIG") || home) {
        p[k].path = creds_docker_config_path(get, ctx);
        p[k].kind = CRED_PATH_DOCKER_CONFIG;
        oom |= !p[k++].path;
    }
    /* 4. legacy ~/.dockercfg */
    if (home) {
        p[k].path = join2(home, ".dockercfg");
        p[k].kind = CRED_PATH_DOCKERCFG;
        oom |= !p[k++].path;
    }
    if (oom) {
        creds_paths_free(p, k);
        return CREDS_ENOMEM;
    }
    *out = p;
    *n = k;
    return CREDS_OK;
}

void creds_paths_free(CredPath *paths, size_t n)
{
    if (!paths) return;
    for (size_t i = 0; i < n; i++) np_free(paths[i].path);
    np_free(paths);
}

/* ------------------------------------------------------------------------ */
/* matching (research §0, §2.3, §5.3)                                        */

int creds_is_wave_registry(const Credential *c)
{
    return c && c->origin <= CRED_FROM_INVENTORY && c->provider &&
           strcmp(c->provider, "container-reg") == 0 && !(c->flags & CRED_DELETED);
}

const char *creds_wave_host(const Credential *c)
{
    if (!c) return NULL;
    return (c->flags & CRED_REGISTRY_UNSET) || !c->registry ? "docker.io" : c->registry;
}

const Credential *creds_match(const CredList *list, const char *host)
{
    if (!list || !host) return NULL;
    for (size_t i = 0; i < list->len; i++) {
        const Credential *c = &list->items[i];
        if (creds_is_wave_registry(c) && registry_wave_match(creds_wave_host(c), host)) return c;
    }
    return NULL;
}

const Credential *creds_compute_fallback(const CredList *list, const char *compute_platform,
                                         const char *credentials_id, const char *host)
{
    if (!list || !compute_platform || !credentials_id || !host || strcmp(compute_platform, "aws-batch") != 0)
        return NULL;
    RegistryProvider p = registry_provider(host);
    if (p != REGISTRY_PROVIDER_ECR && p != REGISTRY_PROVIDER_ECR_PUBLIC) return NULL;
    for (size_t i = 0; i < list->len; i++) {
        const Credential *c = &list->items[i];
        if (c->origin != CRED_FROM_PLATFORM_API || !c->id || strcmp(c->id, credentials_id) != 0) continue;
        if (!c->provider || strcmp(c->provider, "aws") != 0 || (c->flags & (CRED_DELETED | CRED_ASSUME_ROLE)))
            return NULL;
        return c;
    }
    return NULL;
}

int creds_compute_identity_pulls(const char *compute_platform, const char *host)
{
    if (!compute_platform || !host) return 0;
    RegistryProvider p = registry_provider(host);
    if (!strcmp(compute_platform, "aws-batch")) return p == REGISTRY_PROVIDER_ECR;
    if (!strcmp(compute_platform, "google-batch")) return p == REGISTRY_PROVIDER_GAR || p == REGISTRY_PROVIDER_GCR;
    return 0;
}

size_t creds_match_count(const CredList *list, const char *host)
{
    size_t n = 0;
    if (!list || !host) return 0;
    for (size_t i = 0; i < list->len; i++) {
        const Credential *c = &list->items[i];
        if (creds_is_wave_registry(c) && registry_wave_match(creds_wave_host(c), host)) n++;
    }
    return n;
}

const Credential *creds_match_alias(const CredList *list, const char *host, unsigned *why)
{
    if (why) *why = 0;
    if (!list || !host || creds_match(list, host)) return NULL;
    for (size_t i = 0; i < list->len; i++) {
        const Credential *c = &list->items[i];
        if (creds_is_wave_registry(c) && registry_same(creds_wave_host(c), host, why)) return c;
    }
    return NULL;
}

const Credential *creds_match_local(const CredList *list, const char *host)
{
    if (!list || !host) return NULL;
    /* docker and podman compare the host with its port as written
     * (research/seqera-wave-credentials.md §5.1, §5.2) */
    char want[512], have[512];
    registry_canonical(host, REGISTRY_KEEP_DEFAULT_PORT, want, sizeof want);
    for (size_t i = 0; i < list->len; i++) {
        const Credential *c = &list->items[i];
        if (c->origin != CRED_FROM_DOCKER_CONFIG && c->origin != CRED_FROM_AUTH_FILE) continue;
        registry_canonical(c->registry, REGISTRY_KEEP_DEFAULT_PORT, have, sizeof have);
        if (strcmp(want, have) == 0) return c;
    }
    return NULL;
}

const char *creds_origin_name(CredOrigin o)
{
    switch (o) {
    case CRED_FROM_PLATFORM_API: return "Platform API";
    case CRED_FROM_TW: return "tw credentials list";
    case CRED_FROM_INVENTORY: return "credentials file";
    case CRED_FROM_DOCKER_CONFIG: return "docker config";
    case CRED_FROM_AUTH_FILE: return "containers auth file";
    }
    return "?";
}

const char *creds_strerror(int rc)
{
    switch (rc) {
    case CREDS_OK: return "ok";
    case CREDS_ENOENT: return "no such file";
    case CREDS_EIO: return "read error";
    case CREDS_ESYNTAX: return "syntax error";
    case CREDS_EFORMAT: return "not a credentials document";
    case CREDS_ENOMEM: return "out of memory";
    }
    return "unknown error";
}
