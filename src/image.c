/* image — container image names. See image.h for the contract and the
 * research notes each rule is taken from. */
#include "image.h"
#include "alloc.h"
#include "regex.h"
#include "registry.h"
#include "strbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

/* ------------------------------------------------------------------------ */
/* The grammar of distribution/reference, restated from
 * research/seqera-wave-credentials.md §6 (regexp.go):
 *   path component = lowercase alphanumerics joined by exactly one of
 *                    "." "_" "__" or a run of "-";
 *   domain         = DNS name (letters, digits, inner hyphens; upper case
 *                    allowed) or a bracketed IPv6 literal (hex and ":" only),
 *                    then an optional ":port";
 *   tag            = [A-Za-z0-9_] then up to 127 of [A-Za-z0-9_.-];
 *   digest         = algorithm components joined by [-_+.] ":" >= 32 hex.
 * Groups of RE_REFERENCE: 1 domain, 2 path, 3 tag, 4 digest. A single pattern
 * with the optional domain first gives the same split as distribution's
 * two-step match: the path cannot contain ':' or '@', so the name text is the
 * same either way and the domain is preferred whenever it can match. */
#define P_ALNUM   "[a-z0-9]+"
#define P_SEP     "(?:[._]|__|-+)"
#define P_PCOMP   P_ALNUM "(?:" P_SEP P_ALNUM ")*"
#define P_DCOMP   "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
#define P_IPV6    "\\[[a-fA-F0-9:]+\\]"
#define P_HOST    "(?:" P_DCOMP "(?:\\." P_DCOMP ")*|" P_IPV6 ")"
#define P_DOMAIN  P_HOST "(?::[0-9]+)?"
#define P_TAG     "[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}"
#define P_DIGEST  "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9A-Fa-f]{32,}"

static const char RE_REFERENCE_SRC[] =
    "^(?:(" P_DOMAIN ")/)?(" P_PCOMP "(?:/" P_PCOMP ")*)(?::(" P_TAG "))?(?:@(" P_DIGEST "))?$";
static const char RE_DOMAIN_SRC[] = "^" P_DOMAIN "$";
static const char RE_DIGEST_SRC[] = "^" P_DIGEST "$";

/* distribution: the path (without domain) may not exceed this. */
#define NAME_TOTAL_LENGTH_MAX 255

enum { RE_REFERENCE, RE_DOMAIN, RE_DIGEST, RE_COUNT };
static const char *const re_src[RE_COUNT] = { RE_REFERENCE_SRC, RE_DOMAIN_SRC, RE_DIGEST_SRC };
/* Compiled once, on first use (regex.c owns PCRE2 and its allocator hooks). */
static Regex *re_code[RE_COUNT];

void image_cleanup(void)
{
    for (int i = 0; i < RE_COUNT; i++) {
        regex_free(re_code[i]);
        re_code[i] = NULL;
    }
}

/* Matches pattern `which` against s[0..n). Returns 1 on match (ov[2*i],
 * ov[2*i+1] filled for groups 0..ngroups-1, REGEX_UNSET when a group did not
 * take part), 0 on no match, -1 on allocation failure (the patterns are
 * constant and known to compile; a failed compile is retried next time). */
static int re_match(int which, const char *s, size_t n, size_t *ov, int ngroups)
{
    if (!re_code[which]) {
        int bad;
        re_code[which] = regex_new_ex(re_src[which], strlen(re_src[which]), REGEX_BYTES, &bad);
        if (!re_code[which]) return -1;
    }
    return regex_match_groups(re_code[which], s, n, ov, ngroups);
}

/* ------------------------------------------------------------------------ */
/* Small string helpers */

static int is_lower_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }
static int is_upper(char c) { return c >= 'A' && c <= 'Z'; }
static int is_digit(char c) { return c >= '0' && c <= '9'; }
static char to_lower(char c) { return is_upper(c) ? (char)(c - 'A' + 'a') : c; }

static int mem_has(const char *s, size_t n, char c) { return n && memchr(s, c, n) != NULL; }

static int mem_has_upper(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (is_upper(s[i])) return 1;
    return 0;
}

static int mem_eq(const char *s, size_t n, const char *lit)
{
    return strlen(lit) == n && memcmp(s, lit, n) == 0;
}

static int mem_ieq(const char *s, size_t n, const char *lit)
{
    if (strlen(lit) != n) return 0;
    for (size_t i = 0; i < n; i++)
        if (to_lower(s[i]) != lit[i]) return 0;
    return 1;
}

static int starts_with(const char *s, size_t n, const char *lit)
{
    size_t k = strlen(lit);
    return n >= k && memcmp(s, lit, k) == 0;
}

static int ends_with_ci(const char *s, size_t n, const char *lit)
{
    size_t k = strlen(lit);
    return n >= k && mem_ieq(s + n - k, k, lit);
}

/* Duplicates s[0..n) or returns NULL (OOM). */
static char *dupn(const char *s, size_t n) { return np_strndup(s, n); }

/* ------------------------------------------------------------------------ */
/* Classification */

/* Nextflow's IMAGE_URL_PREFIX: ^[^/:. ]+:// (research/nextflow-config.md §5.3).
 * Returns the scheme length (without "://") or 0. */
static size_t url_scheme_len(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && s[i] != '/' && s[i] != ':' && s[i] != '.' && s[i] != ' ') i++;
    if (i == 0 || n - i < 3 || memcmp(s + i, "://", 3) != 0) return 0;
    return i;
}

ImageKind image_classify(const char *ref, size_t len)
{
    if (!ref) return IMAGE_KIND_REFERENCE;
    if (starts_with(ref, len, "file://")) return IMAGE_KIND_FILE;
    size_t sl = url_scheme_len(ref, len);
    if (sl) {
        if (mem_eq(ref, sl, "docker")) return IMAGE_KIND_DOCKER;
        if (mem_eq(ref, sl, "docker-daemon")) return IMAGE_KIND_DOCKER_DAEMON;
        if (mem_eq(ref, sl, "oras")) return IMAGE_KIND_ORAS;
        if (mem_eq(ref, sl, "library")) return IMAGE_KIND_LIBRARY;
        if (mem_eq(ref, sl, "shub")) return IMAGE_KIND_SHUB;
        if (mem_eq(ref, sl, "http") || mem_eq(ref, sl, "https")) return IMAGE_KIND_HTTP;
        return IMAGE_KIND_OTHER_SCHEME;
    }
    /* Local image files: Singularity/Apptainer take absolute paths as files and
     * resolve other names against the launch dir (nextflow-config.md §5.3). We
     * cannot see the launch dir here, so relative names count as files only when
     * they are spelled as paths or carry an image-file extension. */
    if (starts_with(ref, len, "/") || starts_with(ref, len, "./") ||
        starts_with(ref, len, "../") || starts_with(ref, len, "~/"))
        return IMAGE_KIND_FILE;
    if (!mem_has(ref, len, ':') && !mem_has(ref, len, '@') &&
        (ends_with_ci(ref, len, ".sif") || ends_with_ci(ref, len, ".simg") ||
         ends_with_ci(ref, len, ".img")))
        return IMAGE_KIND_FILE;
    return IMAGE_KIND_REFERENCE;
}

const char *image_kind_str(ImageKind k)
{
    switch (k) {
    case IMAGE_KIND_REFERENCE:     return "reference";
    case IMAGE_KIND_DOCKER:        return "docker";
    case IMAGE_KIND_DOCKER_DAEMON: return "docker-daemon";
    case IMAGE_KIND_ORAS:          return "oras";
    case IMAGE_KIND_LIBRARY:       return "library";
    case IMAGE_KIND_SHUB:          return "shub";
    case IMAGE_KIND_HTTP:          return "http";
    case IMAGE_KIND_FILE:          return "file";
    case IMAGE_KIND_OTHER_SCHEME:  return "other-scheme";
    }
    return "unknown";
}

/* ------------------------------------------------------------------------ */
/* Errors */

static const char OOM_REASON[] = "out of memory";

/* Stores a formatted message in out->error. Returns IMAGE_INVALID, or
 * IMAGE_ENOMEM when even the message could not be allocated. */
static int fail(ImageRef *out, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
static int fail(ImageRef *out, const char *fmt, ...)
{
    StrBuf b = STRBUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    strbuf_vprintf(&b, fmt, ap);
    va_end(ap);
    if (strbuf_failed(&b)) {
        strbuf_free(&b);
        return IMAGE_ENOMEM;
    }
    np_free(out->error);
    out->error = strbuf_take(&b);
    return out->error ? IMAGE_INVALID : IMAGE_ENOMEM;
}

/* Longest piece of user text quoted inside a message. */
#define QMAX 80
#define QLEN(n) ((int)((n) > QMAX ? QMAX : (n)))

/* Explains why a DNS-name/IPv6 host[:port] is not a valid domain. */
static void explain_domain(const char *d, size_t n, char *buf, size_t bufsz)
{
    size_t hostlen = n;
    const char *port = NULL;
    size_t portlen = 0;
    if (n && d[0] == '[') {
        const char *close = memchr(d, ']', n);
        if (!close) { snprintf(buf, bufsz, "IPv6 registry host '%.*s' lacks a closing ']'", QLEN(n), d); return; }
        hostlen = (size_t)(close - d) + 1;
        for (size_t i = 1; i + 1 < hostlen; i++) {
            char c = d[i];
            if (!(is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':')) {
                snprintf(buf, bufsz, "IPv6 registry host '%.*s' may hold only hex digits and ':' "
                         "(no zone id, no embedded IPv4)", QLEN(hostlen), d);
                return;
            }
        }
        if (hostlen < n) {
            if (d[hostlen] != ':') { snprintf(buf, bufsz, "invalid registry host '%.*s'", QLEN(n), d); return; }
            port = d + hostlen + 1;
            portlen = n - hostlen - 1;
        }
    } else {
        const char *colon = memchr(d, ':', n);
        if (colon) {
            hostlen = (size_t)(colon - d);
            port = colon + 1;
            portlen = n - hostlen - 1;
        }
        size_t start = 0;
        for (size_t i = 0; i <= hostlen; i++) {
            if (i < hostlen && d[i] != '.') {
                char c = d[i];
                if (!(is_lower_alnum(c) || is_upper(c) || c == '-')) {
                    snprintf(buf, bufsz, "registry host '%.*s' contains '%c', which is not allowed in a host name",
                             QLEN(hostlen), d, c);
                    return;
                }
                continue;
            }
            size_t ln = i - start;
            if (ln == 0) {
                snprintf(buf, bufsz, "registry host '%.*s' has an empty label", QLEN(hostlen), d);
                return;
            }
            if (d[start] == '-' || d[i - 1] == '-') {
                snprintf(buf, bufsz, "registry host label '%.*s' starts or ends with '-'", QLEN(ln), d + start);
                return;
            }
            start = i + 1;
        }
    }
    if (port) {
        int ok = portlen > 0;
        for (size_t i = 0; i < portlen; i++)
            if (!is_digit(port[i])) ok = 0;
        if (!ok) {
            snprintf(buf, bufsz, "registry port '%.*s' must be a number", QLEN(portlen), port);
            return;
        }
    }
    snprintf(buf, bufsz, "invalid registry host '%.*s'", QLEN(n), d);
}

/* Explains why one path component is invalid; returns 0 when it is valid. */
static int explain_component(const char *c, size_t n, char *buf, size_t bufsz)
{
    if (n == 0) {
        snprintf(buf, bufsz, "empty path component (a '//', or a '/' at the start or end of the name)");
        return 1;
    }
    for (size_t i = 0; i < n; i++) {
        if (is_upper(c[i])) {
            snprintf(buf, bufsz, "path component '%.*s' must be lowercase", QLEN(n), c);
            return 1;
        }
        if (!is_lower_alnum(c[i]) && c[i] != '.' && c[i] != '_' && c[i] != '-') {
            snprintf(buf, bufsz, "path component '%.*s' contains invalid character '%c'", QLEN(n), c, c[i]);
            return 1;
        }
    }
    if (!is_lower_alnum(c[0]) || !is_lower_alnum(c[n - 1])) {
        snprintf(buf, bufsz, "path component '%.*s' must start and end with a lowercase letter or digit",
                 QLEN(n), c);
        return 1;
    }
    for (size_t i = 0; i < n;) {
        if (is_lower_alnum(c[i])) { i++; continue; }
        size_t j = i;
        while (j < n && !is_lower_alnum(c[j])) j++;
        const char *sep = c + i;
        size_t sl = j - i;
        int ok = mem_eq(sep, sl, ".") || mem_eq(sep, sl, "_") || mem_eq(sep, sl, "__");
        if (!ok) {
            ok = 1;
            for (size_t k = 0; k < sl; k++)
                if (sep[k] != '-') ok = 0;
        }
        if (!ok) {
            snprintf(buf, bufsz, "path component '%.*s' has separator '%.*s'; allowed are '.', '_', '__' "
                     "or a run of '-'", QLEN(n), c, QLEN(sl), sep);
            return 1;
        }
        i = j;
    }
    return 0;
}

/* Finds the most specific reason the grammar rejects s[0..n). Writes a detail
 * sentence to buf (empty when nothing specific was found). Returns -1 on OOM. */
static int diagnose(const char *s, size_t n, ImageKind kind, char *buf, size_t bufsz)
{
    buf[0] = '\0';
    size_t sl = url_scheme_len(s, n);
    if (sl) {
        snprintf(buf, bufsz, "'%.*s://' is a URL scheme, not part of an image reference", QLEN(sl), s);
        return 0;
    }
    if (kind == IMAGE_KIND_FILE && n && (s[0] == '/' || s[0] == '.' || s[0] == '~')) {
        snprintf(buf, bufsz, "'%.*s' is a local file path, not a registry reference", QLEN(n), s);
        return 0;
    }
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            snprintf(buf, bufsz, "contains whitespace");
            return 0;
        }
        if (c < 0x20 || c == 0x7f) {
            snprintf(buf, bufsz, "contains control character 0x%02x", c);
            return 0;
        }
        if (c >= 0x80) {
            snprintf(buf, bufsz, "contains a non-ASCII character");
            return 0;
        }
    }

    /* name[:tag] @ digest */
    const char *at = memchr(s, '@', n);
    size_t nt = at ? (size_t)(at - s) : n;
    /* tag: first ':' after the last '/' (skipping a bracketed IPv6 host) */
    size_t from = 0;
    for (size_t i = nt; i > 0; i--)
        if (s[i - 1] == '/') { from = i; break; }
    if (from == 0 && nt && s[0] == '[') {
        const char *close = memchr(s, ']', nt);
        if (close) from = (size_t)(close - s) + 1;
    }
    const char *colon = nt > from ? memchr(s + from, ':', nt - from) : NULL;
    size_t nn = colon ? (size_t)(colon - s) : nt;   /* name length */

    /* components of the name */
    size_t ncomp = 1;
    for (size_t i = 0; i < nn; i++)
        if (s[i] == '/') ncomp++;
    size_t pos = 0;
    if (nn == 0) {
        snprintf(buf, bufsz, "missing repository name");
        return 0;
    }
    if (ncomp >= 2) {
        const char *slash = memchr(s, '/', nn);
        size_t fl = (size_t)(slash - s);
        size_t ov[2];
        int dm = re_match(RE_DOMAIN, s, fl, ov, 1);
        if (dm < 0) return -1;
        if (dm == 1) {
            pos = fl + 1;          /* a valid domain */
        } else if (mem_has(s, fl, ':') || mem_has(s, fl, '[') || mem_has(s, fl, ']') ||
                   (mem_has(s, fl, '.') && explain_component(s, fl, buf, bufsz))) {
            explain_domain(s, fl, buf, bufsz);
            return 0;
        }
        buf[0] = '\0';
    } else if (s[0] == '[') {
        snprintf(buf, bufsz, "an IPv6 registry host must be followed by '/' and a repository path");
        return 0;
    }
    while (pos <= nn) {
        const char *end = memchr(s + pos, '/', nn - pos);
        size_t cl = end ? (size_t)(end - (s + pos)) : nn - pos;
        if (explain_component(s + pos, cl, buf, bufsz)) return 0;
        pos += cl + 1;
        if (!end) break;
    }

    if (colon) {
        const char *tag = colon + 1;
        size_t tl = nt - nn - 1;
        if (tl == 0) { snprintf(buf, bufsz, "empty tag after ':'"); return 0; }
        if (tl > 128) { snprintf(buf, bufsz, "tag longer than 128 characters (%zu)", tl); return 0; }
        if (!(is_lower_alnum(tag[0]) || is_upper(tag[0]) || tag[0] == '_')) {
            snprintf(buf, bufsz, "tag '%.*s' must start with a letter, digit or '_'", QLEN(tl), tag);
            return 0;
        }
        for (size_t i = 0; i < tl; i++) {
            char c = tag[i];
            if (!(is_lower_alnum(c) || is_upper(c) || c == '_' || c == '.' || c == '-')) {
                snprintf(buf, bufsz, "tag '%.*s' contains invalid character '%c'", QLEN(tl), tag, c);
                return 0;
            }
        }
    }
    if (at) {
        const char *dg = at + 1;
        size_t dl = n - nt - 1;
        if (dl == 0) { snprintf(buf, bufsz, "empty digest after '@'"); return 0; }
        size_t ov[2];
        int m = re_match(RE_DIGEST, dg, dl, ov, 1);
        if (m < 0) return -1;
        if (!m) {
            snprintf(buf, bufsz, "invalid digest '%.*s' (expected algorithm:hex with at least 32 hex digits)",
                     QLEN(dl), dg);
            return 0;
        }
    }
    return 0;
}

/* go-digest validation after the grammar accepted `algorithm:hex`
 * (seqera-wave-credentials.md §6). Only sha256 counts as registered: the
 * upstream tests (and our TSV) treat sha512 as unsupported. */
static int validate_digest(ImageRef *out, const char *d, size_t n)
{
    const char *colon = memchr(d, ':', n);
    size_t al = (size_t)(colon - d);
    const char *hex = colon + 1;
    size_t hl = n - al - 1;
    if (mem_eq(d, al, "sha256")) {
        if (hl != 64)
            return fail(out, "invalid checksum digest length: sha256 needs 64 hex digits, found %zu", hl);
        for (size_t i = 0; i < hl; i++)
            if (!is_lower_alnum(hex[i]) || (hex[i] > 'f'))
                return fail(out, "invalid checksum digest format: sha256 hex digits must be lowercase");
        return IMAGE_OK;
    }
    /* go-digest checks its own (lowercase) digest pattern before reporting the
     * algorithm as unsupported. */
    for (size_t i = 0; i < al; i++)
        if (is_upper(d[i]))
            return fail(out, "invalid checksum digest format: algorithm '%.*s' must be lowercase",
                        QLEN(al), d);
    return fail(out, "unsupported digest algorithm '%.*s' (only sha256 is accepted)", QLEN(al), d);
}

/* distribution Parse (raw) on s[0..n): fills out->norm_domain, norm_path,
 * tag, digest. */
static int parse_raw(const char *s, size_t n, ImageKind kind, ImageRef *out)
{
    if (n == 0) return fail(out, "repository name must have at least one component");
    size_t ov[10];
    int m = re_match(RE_REFERENCE, s, n, ov, 5);
    if (m < 0) return IMAGE_ENOMEM;
    if (m == 0) {
        /* Parse reports upper case only when lowercasing makes the whole
         * reference match. */
        char *low = dupn(s, n);
        if (!low) return IMAGE_ENOMEM;
        for (size_t i = 0; i < n; i++) low[i] = to_lower(low[i]);
        size_t ov2[2];
        int lm = re_match(RE_REFERENCE, low, n, ov2, 1);
        np_free(low);
        if (lm < 0) return IMAGE_ENOMEM;
        if (lm == 1) return fail(out, "repository name must be lowercase");
        char detail[320];
        if (diagnose(s, n, kind, detail, sizeof detail) < 0) return IMAGE_ENOMEM;
        if (detail[0]) return fail(out, "invalid reference format: %s", detail);
        return fail(out, "invalid reference format");
    }
    size_t pl = ov[5] - ov[4];
    if (pl > NAME_TOTAL_LENGTH_MAX)
        return fail(out, "repository name must not be more than %d characters (path has %zu)",
                    NAME_TOTAL_LENGTH_MAX, pl);
    if (ov[8] != REGEX_UNSET) {
        int rc = validate_digest(out, s + ov[8], ov[9] - ov[8]);
        if (rc != IMAGE_OK) return rc;
    }
    if (ov[2] != REGEX_UNSET) out->norm_domain = dupn(s + ov[2], ov[3] - ov[2]);
    else out->norm_domain = dupn("", 0);
    out->norm_path = dupn(s + ov[4], pl);
    if (!out->norm_domain || !out->norm_path) return IMAGE_ENOMEM;
    if (ov[6] != REGEX_UNSET && !(out->tag = dupn(s + ov[6], ov[7] - ov[6]))) return IMAGE_ENOMEM;
    if (ov[8] != REGEX_UNSET && !(out->digest = dupn(s + ov[8], ov[9] - ov[8]))) return IMAGE_ENOMEM;
    return IMAGE_OK;
}

/* Docker's rule for "the first component is a registry": exactly "localhost",
 * or it contains '.' or ':', or it has upper case (splitDockerDomain, §6). */
static int docker_first_is_domain(const char *s, size_t n)
{
    return mem_eq(s, n, "localhost") || mem_has(s, n, '.') || mem_has(s, n, ':') || mem_has_upper(s, n);
}

static int is_hex64(const char *s, size_t n)
{
    if (n != 64) return 0;
    for (size_t i = 0; i < n; i++)
        if (!(is_digit(s[i]) || (s[i] >= 'a' && s[i] <= 'f'))) return 0;
    return 1;
}

/* ParseNormalizedNamed on s[0..n). */
static int parse_normalized(const char *s, size_t n, ImageKind kind, ImageRef *out)
{
    if (n == 0) return fail(out, "invalid reference format: empty image reference");
    if (is_hex64(s, n))
        return fail(out, "invalid repository name (%.*s), cannot specify 64-byte hexadecimal strings",
                    (int)n, s);

    const char *slash = memchr(s, '/', n);
    const char *wdom = "";           /* as written */
    size_t wdl = 0;
    const char *rem = s;             /* remainder after the domain */
    size_t rl = n;
    const char *dom = "docker.io";
    size_t dl = 9;
    if (slash && docker_first_is_domain(s, (size_t)(slash - s))) {
        wdom = s;
        wdl = (size_t)(slash - s);
        rem = slash + 1;
        rl = n - wdl - 1;
        if (!mem_eq(s, wdl, "index.docker.io")) { dom = s; dl = wdl; }
    }
    int add_library = mem_eq(dom, dl, "docker.io") && !mem_has(rem, rl, '/');

    /* the remote name (up to the first ':') must be lowercase */
    const char *tc = memchr(rem, ':', rl);
    size_t remote_len = tc ? (size_t)(tc - rem) : rl;
    if (mem_has_upper(rem, remote_len))
        return fail(out, "invalid reference format: repository name (%s%.*s) must be lowercase",
                    add_library ? "library/" : "", (int)remote_len, rem);

    StrBuf full = STRBUF_INIT;
    strbuf_append(&full, dom, dl);
    strbuf_putc(&full, '/');
    if (add_library) strbuf_puts(&full, "library/");
    strbuf_append(&full, rem, rl);
    if (strbuf_failed(&full)) { strbuf_free(&full); return IMAGE_ENOMEM; }
    int rc = parse_raw(full.data, full.len, kind, out);
    strbuf_free(&full);
    if (rc != IMAGE_OK) return rc;

    /* The written path is the remainder minus ":tag" and "@digest". */
    size_t wpl = rl;
    if (out->tag) wpl -= strlen(out->tag) + 1;
    if (out->digest) wpl -= strlen(out->digest) + 1;
    out->domain = dupn(wdom, wdl);
    out->path = dupn(rem, wpl);
    if (!out->domain || !out->path) return IMAGE_ENOMEM;
    return IMAGE_OK;
}

void image_ref_free(ImageRef *r)
{
    if (!r) return;
    np_free(r->domain);
    np_free(r->path);
    np_free(r->norm_domain);
    np_free(r->norm_path);
    np_free(r->tag);
    np_free(r->digest);
    np_free(r->error);
    memset(r, 0, sizeof *r);
}

/* On failure frees the partial fields (keeping kind and error). */
static void drop_fields(ImageRef *r)
{
    np_free(r->domain);
    np_free(r->path);
    np_free(r->norm_domain);
    np_free(r->norm_path);
    np_free(r->tag);
    np_free(r->digest);
    r->domain = r->path = r->norm_domain = r->norm_path = r->tag = r->digest = NULL;
}

int image_parse_ex(const char *ref, size_t len, unsigned flags, ImageRef *out, const char **reason)
{
    memset(out, 0, sizeof *out);
    if (reason) *reason = NULL;
    if (!ref) { ref = ""; len = 0; }
    out->kind = image_classify(ref, len);
    int rc;
    const char *s = ref;
    size_t n = len;

    if (memchr(ref, '\0', len)) {
        rc = fail(out, "invalid reference format: contains a NUL byte");
        goto done;
    }
    if (flags & IMAGE_PARSE_STRIP_SCHEME) {
        switch (out->kind) {
        case IMAGE_KIND_DOCKER:
        case IMAGE_KIND_DOCKER_DAEMON:
        case IMAGE_KIND_ORAS: {
            size_t sl = url_scheme_len(ref, len) + 3;
            s += sl;
            n -= sl;
            break;
        }
        case IMAGE_KIND_REFERENCE:
            break;
        default:
            rc = fail(out, "not a registry reference: %s",
                      out->kind == IMAGE_KIND_HTTP ? "an http(s) download" :
                      out->kind == IMAGE_KIND_FILE ? "a local image file" :
                      out->kind == IMAGE_KIND_LIBRARY ? "a Sylabs library:// image" :
                      out->kind == IMAGE_KIND_SHUB ? "a Singularity Hub shub:// image" :
                      "an unknown URL scheme");
            if (rc == IMAGE_INVALID) rc = IMAGE_NOT_REFERENCE;
            goto done;
        }
    }
    if (flags & IMAGE_PARSE_RAW) {
        rc = parse_raw(s, n, out->kind, out);
        if (rc == IMAGE_OK) {
            out->domain = np_strdup(out->norm_domain);
            out->path = np_strdup(out->norm_path);
            if (!out->domain || !out->path) rc = IMAGE_ENOMEM;
        }
    } else {
        rc = parse_normalized(s, n, out->kind, out);
    }
    /* the grammar sees "docker.io//abs/x.sif"; say what the user wrote */
    if (rc == IMAGE_INVALID && out->kind == IMAGE_KIND_FILE && len &&
        (ref[0] == '/' || ref[0] == '.' || ref[0] == '~' || starts_with(ref, len, "file://")))
        rc = fail(out, "invalid reference format: '%.*s' is a local file path, not a registry reference",
                  QLEN(len), ref);
done:
    if (rc != IMAGE_OK) {
        drop_fields(out);
        if (rc == IMAGE_ENOMEM) {
            np_free(out->error);
            out->error = NULL;
        }
        if (reason) *reason = out->error ? out->error : OOM_REASON;
    }
    return rc;
}

int image_parse(const char *ref, size_t len, ImageRef *out, const char **reason)
{
    return image_parse_ex(ref, len, 0, out, reason);
}

char *image_ref_format(const ImageRef *r, int normalized)
{
    const char *d = normalized ? r->norm_domain : r->domain;
    const char *p = normalized ? r->norm_path : r->path;
    if (!p) return NULL;
    StrBuf b = STRBUF_INIT;
    if (d && *d) {
        strbuf_puts(&b, d);
        strbuf_putc(&b, '/');
    }
    strbuf_puts(&b, p);
    if (r->tag) { strbuf_putc(&b, ':'); strbuf_puts(&b, r->tag); }
    if (r->digest) { strbuf_putc(&b, '@'); strbuf_puts(&b, r->digest); }
    if (strbuf_failed(&b)) { strbuf_free(&b); return NULL; }
    char *res = strbuf_take(&b);
    return res ? res : np_strdup("");
}

/* ------------------------------------------------------------------------ */
/* Per-engine naming: ContainerHandler (research/nextflow-config.md §5.3) */

static const char *const engine_names[] = {
    "docker", "podman", "singularity", "apptainer", "charliecloud", "sarus", "shifter"
};

const char *image_engine_str(ImageEngine e)
{
    if ((unsigned)e < sizeof engine_names / sizeof engine_names[0]) return engine_names[e];
    return "unknown";
}

int image_engine_from_name(const char *name, ImageEngine *out)
{
    if (!name) return 0;
    for (size_t i = 0; i < sizeof engine_names / sizeof engine_names[0]; i++) {
        if (strcmp(name, engine_names[i]) == 0) {
            *out = (ImageEngine)i;
            return 1;
        }
    }
    return 0;
}

/* isAbsoluteDockerName: there is a '/', and the text before the first '/'
 * contains '.' or ':'. No localhost rule (unlike Docker). */
static int nf_is_absolute(const char *img)
{
    const char *slash = strchr(img, '/');
    if (!slash) return 0;
    size_t n = (size_t)(slash - img);
    return mem_has(img, n, '.') || mem_has(img, n, ':');
}

/* Appends reg without trailing '/' characters, then one '/'. */
static void put_registry(StrBuf *b, const char *reg)
{
    size_t n = strlen(reg);
    while (n > 0 && reg[n - 1] == '/') n--;
    strbuf_append(b, reg, n);
    strbuf_putc(b, '/');
}

static char *take_or_null(StrBuf *b)
{
    if (strbuf_failed(b)) { strbuf_free(b); return NULL; }
    char *r = strbuf_take(b);
    return r ? r : np_strdup("");
}

/* overrideRegistryName (NF 25.10, nextflow#6150): strip an optional
 * "scheme://", drop the first segment if it contains '.' or ':', prefix the
 * registry, put the scheme back. */
static char *nf_override_registry(const char *img, const char *reg)
{
    StrBuf b = STRBUF_INIT;
    const char *rest = img;
    size_t sl = url_scheme_len(img, strlen(img));
    if (sl) {
        rest = img + sl + 3;
        strbuf_append(&b, img, sl + 3);
    }
    const char *slash = strchr(rest, '/');
    if (slash && (mem_has(rest, (size_t)(slash - rest), '.') || mem_has(rest, (size_t)(slash - rest), ':')))
        rest = slash + 1;
    put_registry(&b, reg);
    strbuf_puts(&b, rest);
    return take_or_null(&b);
}

/* normalizeDockerImageName */
static char *nf_docker_name(const char *img, const EngineOptions *opt)
{
    const char *reg = opt->registry;
    if (!reg || !*reg) return np_strdup(img);
    if (nf_is_absolute(img))
        return opt->registry_override ? nf_override_registry(img, reg) : np_strdup(img);
    StrBuf b = STRBUF_INIT;
    strbuf_puts(&b, reg);
    if (reg[strlen(reg) - 1] != '/') strbuf_putc(&b, '/');
    strbuf_puts(&b, img);
    return take_or_null(&b);
}

/* base_dir/rel (rel itself when absolute or base_dir is NULL). */
static char *join_path(const char *base, const char *rel)
{
    if (!base || rel[0] == '/') return np_strdup(rel);
    StrBuf b = STRBUF_INIT;
    strbuf_puts(&b, base);
    if (b.len && b.data[b.len - 1] != '/') strbuf_putc(&b, '/');
    strbuf_puts(&b, rel);
    return take_or_null(&b);
}

/* 1 = base_dir/img exists (*path set), 0 = no, -1 = OOM. */
static int local_file(const char *img, const EngineOptions *opt, char **path)
{
    *path = NULL;
    if (!opt->base_dir) return 0;
    char *p = join_path(opt->base_dir, img);
    if (!p) return -1;
    struct stat st;
    if (stat(p, &st) == 0) { *path = p; return 1; }
    np_free(p);
    return 0;
}

/* normalizeSingularityImageName / normalizeApptainerImageName */
static char *nf_singularity_name(const char *img, const EngineOptions *opt)
{
    if (img[0] == '/') return np_strdup(img);
    if (strncmp(img, "file://", 7) == 0) return join_path(opt->base_dir, img + 7);
    if (url_scheme_len(img, strlen(img))) return np_strdup(img);   /* registry NOT applied */
    char *p;
    int lf = local_file(img, opt, &p);
    if (lf < 0) return NULL;
    if (lf) return p;
    char *d = nf_docker_name(img, opt);
    if (!d) return NULL;
    StrBuf b = STRBUF_INIT;
    strbuf_puts(&b, "docker://");
    strbuf_puts(&b, d);
    np_free(d);
    return take_or_null(&b);
}

/* Charliecloud: /abs as is; docker:// stripped; a local file wins; ':latest'
 * when there is no ':' at all; then the registry rule. The research gives the
 * order "strip, :latest, local file, registry"; the file is looked up before
 * ':latest' is added since a file name with ':latest' appended cannot exist. */
static char *nf_charliecloud_name(const char *img, const EngineOptions *opt)
{
    if (img[0] == '/') return np_strdup(img);
    if (strncmp(img, "docker://", 9) == 0) img += 9;
    char *p;
    int lf = local_file(img, opt, &p);
    if (lf < 0) return NULL;
    if (lf) return p;
    char *tmp = NULL;
    if (!strchr(img, ':')) {
        StrBuf b = STRBUF_INIT;
        strbuf_puts(&b, img);
        strbuf_puts(&b, ":latest");
        if (!(tmp = take_or_null(&b))) return NULL;
        img = tmp;
    }
    char *r = nf_docker_name(img, opt);
    np_free(tmp);
    return r;
}

/* normalizeShifterImageName: Groovy tokenize(':') drops empty tokens. */
static char *nf_shifter_name(const char *img)
{
    size_t tokens = 0;
    for (const char *p = img; *p;) {
        if (*p == ':') { p++; continue; }
        tokens++;
        while (*p && *p != ':') p++;
    }
    if (tokens == 3) return np_strdup(img);
    StrBuf b = STRBUF_INIT;
    if (tokens <= 1) {
        strbuf_puts(&b, "docker:");
        strbuf_puts(&b, img);
        strbuf_puts(&b, ":latest");
    } else if (strncmp(img, "docker:", 7) != 0) {
        strbuf_puts(&b, "docker:");
        strbuf_puts(&b, img);
    } else {
        strbuf_puts(&b, img);
        strbuf_puts(&b, ":latest");
    }
    return take_or_null(&b);
}

char *image_engine_name(const char *raw, const EngineOptions *opt)
{
    if (!raw || !*raw || !opt) return NULL;
    switch (opt->engine) {
    case IMAGE_ENGINE_SINGULARITY:
    case IMAGE_ENGINE_APPTAINER:
        return nf_singularity_name(raw, opt);
    case IMAGE_ENGINE_CHARLIECLOUD:
        return nf_charliecloud_name(raw, opt);
    case IMAGE_ENGINE_SHIFTER:
        return nf_shifter_name(raw);
    case IMAGE_ENGINE_DOCKER:
    case IMAGE_ENGINE_PODMAN:
    case IMAGE_ENGINE_SARUS:
        break;
    }
    return nf_docker_name(raw, opt);
}

int image_engine_pulls_to_cache(const char *name, const EngineOptions *opt)
{
    if (!name || !opt || !opt->enabled) return 0;
    switch (opt->engine) {
    case IMAGE_ENGINE_SINGULARITY:
    case IMAGE_ENGINE_APPTAINER:
        if (!url_scheme_len(name, strlen(name))) return 0;
        if (opt->oci_mode && strncmp(name, "docker://", 9) == 0) return 0;
        return 1;
    case IMAGE_ENGINE_CHARLIECLOUD:
        return name[0] != '/';
    default:
        return 0;
    }
}

/* ------------------------------------------------------------------------ */
/* Wave's ContainerCoordinates.parse (research/seqera-wave-credentials.md §2.2) */

/* Groovy String.isInteger(): Integer.valueOf(text.trim()) succeeds, i.e. an
 * optional sign, decimal digits, and a value that fits in 32 bits. */
static int groovy_is_integer(const char *s, size_t n)
{
    while (n && (unsigned char)s[0] <= ' ') { s++; n--; }
    while (n && (unsigned char)s[n - 1] <= ' ') n--;
    long long limit = 2147483647LL;
    if (n && (s[0] == '+' || s[0] == '-')) {
        if (s[0] == '-') limit = 2147483648LL;
        s++; n--;
    }
    if (!n) return 0;
    long long v = 0;
    for (size_t i = 0; i < n; i++) {
        if (!is_digit(s[i])) return 0;
        v = v * 10 + (s[i] - '0');
        if (v > limit) return 0;
    }
    return 1;
}

/* image_wave_host with *why naming what Wave's parser refuses (a static
 * phrase) when it returns NULL. */
static char *wave_host_why(const char *name, int *status, const char **why)
{
    *status = IMAGE_HOST_REJECTED;
    *why = "Wave rejects an empty name";
    if (!name || !*name) return NULL;
    *why = "Wave rejects a name with a space";
    if (strchr(name, ' ')) return NULL;
    /* StringUtils.getUrlProtocol: ^([a-zA-Z0-9]*)://(.+) over the whole text */
    size_t i = 0;
    while ((name[i] >= 'a' && name[i] <= 'z') || (name[i] >= 'A' && name[i] <= 'Z') || is_digit(name[i])) i++;
    if (i > 0 && strncmp(name + i, "://", 3) == 0 && name[i + 3] && !strpbrk(name + i + 3, "\n\r")) {
        *why = "Wave rejects a URL-like prefix other than oras://";
        if (!mem_eq(name, i, "oras")) return NULL;
        name += 7;
    }
    /* tokenize('/'): non-empty segments */
    const char *first = NULL, *last = NULL;
    size_t fl = 0, ll = 0;
    for (const char *p = name; *p;) {
        if (*p == '/') { p++; continue; }
        const char *q = p;
        while (*q && *q != '/') q++;
        if (!first) { first = p; fl = (size_t)(q - p); }
        last = p;
        ll = (size_t)(q - p);
        p = q;
    }
    *why = "Wave rejects a name with nothing between its slashes";
    if (!first) return NULL;
    /* the reference starts at the first '@' of the last segment, else its first ':' */
    const char *cut = memchr(last, '@', ll);
    if (!cut) cut = memchr(last, ':', ll);
    size_t reflen = 6;    /* the default reference "latest" */
    if (cut) {
        reflen = ll - (size_t)(cut - last) - 1;
        if (first == last) fl = (size_t)(cut - last);
    }
    const char *reg = REGISTRY_DOCKER_HUB;
    size_t rgl = sizeof REGISTRY_DOCKER_HUB - 1;
    if (mem_has(first, fl, '.') || mem_has(first, fl, ':')) { reg = first; rgl = fl; }
    const char *colon = memchr(reg, ':', rgl);
    *why = reg[0] == '[' ? "Wave rejects an IPv6 registry host (it reads what follows the first ':' as a port)"
                         : "Wave rejects a registry port that is not a number";
    if (colon && !groovy_is_integer(colon + 1, rgl - (size_t)(colon - reg) - 1)) return NULL;
    *why = "Wave rejects an empty tag or digest";
    if (reflen == 0) return NULL;
    *why = NULL;
    char *res = dupn(reg, rgl);
    *status = res ? IMAGE_HOST_OK : IMAGE_HOST_ENOMEM;
    return res;
}

char *image_wave_host(const char *name, int *status)
{
    int st_local;
    const char *why;
    return wave_host_why(name, status ? status : &st_local, &why);
}

char *image_registry_host(const char *raw, const EngineOptions *opt, int *status, const char **reason)
{
    int st_local;
    const char *why_local;
    if (!status) status = &st_local;
    if (!reason) reason = &why_local;
    *reason = NULL;
    if (!raw || !*raw) {
        *status = IMAGE_HOST_REJECTED;
        *reason = "empty image name";
        return NULL;
    }
    if (opt && (opt->engine == IMAGE_ENGINE_CHARLIECLOUD || opt->engine == IMAGE_ENGINE_SHIFTER)) {
        /* WaveContainerResolver: "Wave does not support '<engine>' container engine" (§5.4) */
        *status = IMAGE_HOST_NO_WAVE;
        *reason = "Wave does not support this container engine";
        return NULL;
    }
    char *name = opt ? image_engine_name(raw, opt) : np_strdup(raw);
    if (!name) {
        *status = IMAGE_HOST_ENOMEM;
        *reason = OOM_REASON;
        return NULL;
    }
    const char *n = name;
    int singularity_like = !opt || opt->engine == IMAGE_ENGINE_SINGULARITY ||
                           opt->engine == IMAGE_ENGINE_APPTAINER;
    if (singularity_like) {
        /* the nf-wave resolver strips docker:// and lets local files bypass
         * Wave; a file:// name may have lost its file look after resolution,
         * so the raw text is classified too */
        ImageKind k = image_classify(n, strlen(n));
        if (k == IMAGE_KIND_DOCKER) {
            n += 9;
        } else if (k == IMAGE_KIND_FILE || image_classify(raw, strlen(raw)) == IMAGE_KIND_FILE) {
            *status = IMAGE_HOST_NOT_REGISTRY;
            *reason = "a local image file: no registry credential applies";
        } else if (k == IMAGE_KIND_HTTP) {
            *status = IMAGE_HOST_NOT_REGISTRY;
            *reason = "an http(s) download, not a registry image: no registry credential applies";
        } else if (k == IMAGE_KIND_LIBRARY || k == IMAGE_KIND_SHUB) {
            *status = IMAGE_HOST_NOT_REGISTRY;
            *reason = "a library:// or shub:// image, not an OCI registry: no registry credential applies";
        }
        if (*reason) {
            np_free(name);
            return NULL;
        }
    }
    const char *why = NULL;
    char *host = wave_host_why(n, status, &why);
    np_free(name);
    if (!host) *reason = *status == IMAGE_HOST_ENOMEM ? OOM_REASON : why;
    return host;
}
