/* registry — container registry hosts. See registry.h for the contract. */
#include "registry.h"

#include <stdio.h>
#include <string.h>

static int is_digit(char c) { return c >= '0' && c <= '9'; }
static int is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static char to_lower(char c) { return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c; }
static int is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static int mem_ieq(const char *s, size_t n, const char *lit)
{
    size_t ln = strlen(lit);
    if (n != ln) return 0;
    for (size_t i = 0; i < n; i++)
        if (to_lower(s[i]) != lit[i]) return 0;
    return 1;
}

static int starts_with_ci(const char *s, size_t n, const char *lit)
{
    size_t ln = strlen(lit);
    return n >= ln && mem_ieq(s, ln, lit);
}

static int ends_with_ci(const char *s, size_t n, const char *lit)
{
    size_t ln = strlen(lit);
    return n >= ln && mem_ieq(s + n - ln, ln, lit);
}

/* ------------------------------------------------------------------------ */
/* Reading host text */

/* One host text taken apart; all pointers into the caller's string. */
typedef struct HostParts {
    const char *name;     /* host name without port (IPv6 keeps its brackets) */
    size_t name_len;
    const char *port;     /* digits after ':' or NULL */
    size_t port_len;
    int http;             /* written with http:// */
    unsigned bits;        /* REGISTRY_DIFF_EMPTY/BLANKS/SCHEME/PATH seen while splitting */
} HostParts;

static HostParts host_split(const char *text)
{
    HostParts p = { REGISTRY_DOCKER_HUB, sizeof REGISTRY_DOCKER_HUB - 1, NULL, 0, 0, 0 };
    const char *s = text ? text : "";
    size_t n = strlen(s);
    while (n && is_blank(*s)) { s++; n--; p.bits |= REGISTRY_DIFF_BLANKS; }
    while (n && is_blank(s[n - 1])) { n--; p.bits |= REGISTRY_DIFF_BLANKS; }
    /* a URL scheme: letters, '+', '-', '.' then "://" */
    for (size_t i = 0; i + 2 < n; i++) {
        if (i > 0 && s[i] == ':' && s[i + 1] == '/' && s[i + 2] == '/') {
            p.http = mem_ieq(s, i, "http");
            s += i + 3;
            n -= i + 3;
            p.bits |= REGISTRY_DIFF_SCHEME;
            break;
        }
        if (!is_alpha(s[i]) && s[i] != '+' && s[i] != '-' && s[i] != '.')
            break;
    }
    const char *slash = memchr(s, '/', n);
    if (slash) {
        n = (size_t)(slash - s);
        p.bits |= REGISTRY_DIFF_PATH;
    }
    if (n == 0) {
        p.bits |= REGISTRY_DIFF_EMPTY;
        return p;
    }
    p.name = s;
    p.name_len = n;
    const char *colon = NULL;
    if (s[0] == '[') {
        const char *close = memchr(s, ']', n);
        if (close && (size_t)(close - s) + 1 < n && close[1] == ':') colon = close + 1;
    } else {
        colon = memchr(s, ':', n);
    }
    if (colon) {
        p.name_len = (size_t)(colon - s);
        p.port = colon + 1;
        p.port_len = n - p.name_len - 1;
    }
    return p;
}

/* A port that adds nothing to the address: 443 (HTTPS, what registries
 * speak), or 80 when the text said http://. A plain ":80" is kept: without
 * a scheme the client speaks HTTPS to port 80, a different endpoint. */
static int default_port(const HostParts *p)
{
    if (!p->port) return 0;
    return (p->port_len == 3 && memcmp(p->port, "443", 3) == 0) ||
           (p->http && p->port_len == 2 && memcmp(p->port, "80", 2) == 0);
}

/* research/seqera-wave-credentials.md §5.3: docker.io, index.docker.io,
 * registry-1.docker.io (the v2 API host) and the legacy
 * registry.hub.docker.com all name Docker Hub. */
static int name_is_docker_hub(const char *h, size_t n)
{
    return mem_ieq(h, n, "docker.io") || mem_ieq(h, n, "index.docker.io") ||
           mem_ieq(h, n, "registry-1.docker.io") || mem_ieq(h, n, "registry.hub.docker.com");
}

/* ------------------------------------------------------------------------ */
/* Comparisons */

int registry_wave_match(const char *cred_registry, const char *image_host)
{
    /* CredentialServiceImpl: (keys.registry ?: 'docker.io') == host */
    const char *a = (cred_registry && *cred_registry) ? cred_registry : REGISTRY_DOCKER_HUB;
    const char *b = (image_host && *image_host) ? image_host : REGISTRY_DOCKER_HUB;
    return strcmp(a, b) == 0;
}

unsigned registry_canonical(const char *host, unsigned flags, char *buf, size_t bufsz)
{
    HostParts p = host_split(host);
    unsigned bits = p.bits;
    int drop_port = default_port(&p) && !(flags & REGISTRY_KEEP_DEFAULT_PORT);
    if (drop_port) bits |= REGISTRY_DIFF_PORT;
    size_t written_len = p.port ? p.name_len + 1 + p.port_len : p.name_len;
    for (size_t i = 0; !(bits & REGISTRY_DIFF_EMPTY) && i < written_len; i++)
        if (p.name[i] >= 'A' && p.name[i] <= 'Z') bits |= REGISTRY_DIFF_CASE;
    int hub = name_is_docker_hub(p.name, p.name_len) && (!p.port || drop_port);
    if (hub && !mem_ieq(p.name, p.name_len, REGISTRY_DOCKER_HUB)) bits |= REGISTRY_DIFF_DOCKER_ALIAS;

    /* the canonical text: "docker.io" for the hub, else name[:port] lowered */
    const char *src = hub ? REGISTRY_DOCKER_HUB : p.name;
    size_t src_len = hub ? sizeof REGISTRY_DOCKER_HUB - 1 : drop_port ? p.name_len : written_len;
    size_t o = 0;
    for (size_t i = 0; i < src_len; i++) {
        if (bufsz && o + 1 < bufsz) buf[o++] = to_lower(src[i]);
        else bits |= REGISTRY_DIFF_TRUNCATED;
    }
    if (bufsz) buf[o] = '\0';
    return bits;
}

int registry_same(const char *a, const char *b, unsigned *why)
{
    char ca[512], cb[512];
    unsigned ba = registry_canonical(a, 0, ca, sizeof ca);
    unsigned bb = registry_canonical(b, 0, cb, sizeof cb);
    if (why) *why = 0;
    if ((ba | bb) & REGISTRY_DIFF_TRUNCATED) return 0;
    if (strcmp(ca, cb) != 0) return 0;
    if (why) *why = ba | bb;
    return 1;
}

const char *registry_diff_describe(unsigned bits, char *buf, size_t bufsz)
{
    static const struct { unsigned bit; const char *word; } words[] = {
        {REGISTRY_DIFF_EMPTY, "empty"},           {REGISTRY_DIFF_SCHEME, "URL scheme"},
        {REGISTRY_DIFF_PATH, "path"},             {REGISTRY_DIFF_CASE, "letter case"},
        {REGISTRY_DIFF_DOCKER_ALIAS, "Docker Hub alias"}, {REGISTRY_DIFF_BLANKS, "white space"},
        {REGISTRY_DIFF_PORT, "default port"},     {REGISTRY_DIFF_TRUNCATED, "too long"},
    };
    if (!bufsz) return buf;
    buf[0] = '\0';
    size_t o = 0;
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
        if (!(bits & words[i].bit)) continue;
        int w = snprintf(buf + o, bufsz - o, "%s%s", o ? ", " : "", words[i].word);
        if (w < 0 || (size_t)w >= bufsz - o) break;
        o += (size_t)w;
    }
    return buf;
}

int registry_is_docker_hub(const char *host)
{
    HostParts p = host_split(host);
    return name_is_docker_hub(p.name, p.name_len) && (!p.port || default_port(&p));
}

const char *registry_api_host(const char *host)
{
    /* Docker Hub's image names say docker.io (or index.docker.io); its v2 API
     * answers at registry-1.docker.io (research §5.3). */
    if (host && (!strcmp(host, "docker.io") || !strcmp(host, "index.docker.io")))
        return "registry-1.docker.io";
    return host;
}

/* ------------------------------------------------------------------------ */
/* Host classes */

/* Wave's private-ECR pattern ^<digits>.dkr.ecr.<region>.amazonaws.com
 * (prefix match, AwsEcrService; research/seqera-wave-credentials.md §2.3 item 7). */
static int is_ecr_private(const char *h, size_t n)
{
    size_t i = 0;
    while (i < n && is_digit(h[i])) i++;
    if (i == 0 || !starts_with_ci(h + i, n - i, ".dkr.ecr.")) return 0;
    i += 9;
    size_t r = i;
    while (i < n && ((to_lower(h[i]) >= 'a' && to_lower(h[i]) <= 'z') || is_digit(h[i]) || h[i] == '-'))
        i++;
    return i > r && starts_with_ci(h + i, n - i, ".amazonaws.com");
}

/* Exact host names. Each entry's source is in its comment; the section
 * numbers are those of research/seqera-wave-credentials.md. */
static const struct { const char *name; RegistryProvider provider; } exact_hosts[] = {
    /* §1 table and §7: ECR Public allows anonymous (rate-limited) pulls. */
    {"public.ecr.aws", REGISTRY_PROVIDER_ECR_PUBLIC},
    /* §1: legacy Google Container Registry (service-account keys); regional
     * hosts are matched by suffix below. */
    {"gcr.io", REGISTRY_PROVIDER_GCR},
    /* §1: GitLab.com's registry host (deploy or personal tokens). */
    {"registry.gitlab.com", REGISTRY_PROVIDER_GITLAB},
    /* §7: Quay and GHCR hand out anonymous tokens for public repositories. */
    {"quay.io", REGISTRY_PROVIDER_QUAY},
    {"ghcr.io", REGISTRY_PROVIDER_GHCR},
    /* image-reference-cases.tsv: community.wave.seqera.io is the Seqera
     * Containers public registry; wave.seqera.io serves Wave's own augmented
     * images (nextflow-config.md §5.4), pulled with Wave's tokens. */
    {"community.wave.seqera.io", REGISTRY_PROVIDER_SEQERA},
    {"wave.seqera.io", REGISTRY_PROVIDER_SEQERA},
    /* Microsoft Artifact Registry: public images only, no login (issue 13 item 5). */
    {"mcr.microsoft.com", REGISTRY_PROVIDER_MCR},
    /* nextflow-config.md §5.3: depot.galaxyproject.org serves plain https
     * .sif downloads (nf-core singularity images). */
    {"depot.galaxyproject.org", REGISTRY_PROVIDER_GALAXY},
    /* NVIDIA NGC: the public catalog (nvcr.io/nvidia/..., used by nf-core's
     * parabricks modules) pulls anonymously (issue 13 item 5). */
    {"nvcr.io", REGISTRY_PROVIDER_NVCR},
};

RegistryProvider registry_provider(const char *host)
{
    HostParts p = host_split(host);
    const char *h = p.name;
    size_t n = p.name_len;
    /* Loopback: hosted Wave cannot reach it at all (§8, wave PR #1074). */
    if (mem_ieq(h, n, "localhost") || (n == 5 && memcmp(h, "[::1]", 5) == 0) ||
        mem_ieq(h, n, "0.0.0.0") || starts_with_ci(h, n, "127."))
        return REGISTRY_PROVIDER_LOCAL;
    if (is_ecr_private(h, n)) return REGISTRY_PROVIDER_ECR;
    /* §1: ACR login servers are <name>.azurecr.io, token-scoped. */
    if (ends_with_ci(h, n, ".azurecr.io")) return REGISTRY_PROVIDER_ACR;
    /* §1: Artifact Registry hosts are <location>-docker.pkg.dev. */
    if (ends_with_ci(h, n, "-docker.pkg.dev")) return REGISTRY_PROVIDER_GAR;
    /* §1: us.gcr.io, eu.gcr.io, asia.gcr.io. */
    if (ends_with_ci(h, n, ".gcr.io")) return REGISTRY_PROVIDER_GCR;
    if (name_is_docker_hub(h, n)) return REGISTRY_PROVIDER_DOCKERHUB;
    for (size_t i = 0; i < sizeof exact_hosts / sizeof exact_hosts[0]; i++)
        if (mem_ieq(h, n, exact_hosts[i].name)) return exact_hosts[i].provider;
    return REGISTRY_PROVIDER_OTHER;
}

RegistryClass registry_class(const char *host)
{
    switch (registry_provider(host)) {
    case REGISTRY_PROVIDER_DOCKERHUB:
        /* Anonymous pulls work for public repos, but Wave's anonymous pulls share
         * one egress pool and hit the rate limit (§2.3 item 9, nf-core/scrnaseq#199). */
        return REGISTRY_CLASS_DOCKERHUB;
    case REGISTRY_PROVIDER_ECR_PUBLIC:
    case REGISTRY_PROVIDER_QUAY:
    case REGISTRY_PROVIDER_GHCR:
    case REGISTRY_PROVIDER_SEQERA:
    case REGISTRY_PROVIDER_MCR:
    case REGISTRY_PROVIDER_GALAXY:
    case REGISTRY_PROVIDER_NVCR:
    /* gcr.io and its regional hosts serve public images anonymously (Google's
     * own gcr.io/google-containers, gcr.io/distroless; issue 13 item 5), as
     * quay.io does; private repositories there need a login like anywhere. */
    case REGISTRY_PROVIDER_GCR:
        return REGISTRY_CLASS_PUBLIC;
    case REGISTRY_PROVIDER_ECR:      /* §7: Basic challenge, no anonymous access at all */
    case REGISTRY_PROVIDER_LOCAL:    /* §8, wave PR #1074: hosted Wave cannot reach loopback */
        return REGISTRY_CLASS_LOGIN;
    /* Private by default but each can be opened to anonymous pulls: an Artifact
     * Registry repository with allUsers as reader, an ACR with anonymous pull
     * enabled, a public GitLab project's registry. nextflow#5627 (§8) is a
     * private GAR repository. Not knowing, a missing credential is a warning
     * (issue 13 item 5) that --online can settle. */
    case REGISTRY_PROVIDER_ACR:
    case REGISTRY_PROVIDER_GAR:
    case REGISTRY_PROVIDER_GITLAB:
    case REGISTRY_PROVIDER_OTHER:
        break;
    }
    return REGISTRY_CLASS_UNKNOWN;
}

const char *registry_class_str(RegistryClass cls)
{
    switch (cls) {
    case REGISTRY_CLASS_LOGIN:     return "private";
    case REGISTRY_CLASS_DOCKERHUB: return "dockerhub";
    case REGISTRY_CLASS_PUBLIC:    return "public";
    case REGISTRY_CLASS_UNKNOWN:   return "unknown";
    }
    return "unknown";
}

const char *registry_provider_str(RegistryProvider p)
{
    switch (p) {
    case REGISTRY_PROVIDER_OTHER:      return "other";
    case REGISTRY_PROVIDER_LOCAL:      return "local";
    case REGISTRY_PROVIDER_ECR:        return "ecr";
    case REGISTRY_PROVIDER_ECR_PUBLIC: return "ecr-public";
    case REGISTRY_PROVIDER_ACR:        return "acr";
    case REGISTRY_PROVIDER_GAR:        return "gar";
    case REGISTRY_PROVIDER_GCR:        return "gcr";
    case REGISTRY_PROVIDER_GITLAB:     return "gitlab";
    case REGISTRY_PROVIDER_DOCKERHUB:  return "dockerhub";
    case REGISTRY_PROVIDER_QUAY:       return "quay";
    case REGISTRY_PROVIDER_GHCR:       return "ghcr";
    case REGISTRY_PROVIDER_SEQERA:     return "seqera";
    case REGISTRY_PROVIDER_MCR:        return "mcr";
    case REGISTRY_PROVIDER_GALAXY:     return "galaxy";
    case REGISTRY_PROVIDER_NVCR:       return "nvcr";
    }
    return "unknown";
}
