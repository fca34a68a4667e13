/* registry — container registry hosts: the one place that knows how a host
 * is written, when two spellings name the same registry, how Wave compares
 * them, and which registries serve public images.
 *
 * Two comparisons live here and must not be confused:
 *   - Wave's: a Platform credential is used for an image when its
 *     keys.registry (empty/NULL = "docker.io") equals the image's registry
 *     host byte for byte (registry_wave_match). No lowercasing, no scheme or
 *     port stripping, no Docker Hub aliasing.
 *     (seqeralabs/wave CredentialServiceImpl.findRegistryCreds:
 *      `(it.registry ?: DOCKER_IO) == matchingRegistryName`;
 *      research/seqera-wave-credentials.md §0 item 1, §2.3 item 4)
 *   - A human's: two texts name the same registry when their canonical forms
 *     (registry_canonical) are equal. Used to explain a near miss
 *     ("credential-host-mismatch") and for local docker/podman logins.
 *
 * A `host` argument is registry text as found in an image name, a credential
 * or an auth file key: "quay.io", "Quay.io:443", "https://index.docker.io/v1/",
 * "[::1]:5000". NULL or "" reads as "docker.io" everywhere (as Wave reads an
 * empty keys.registry). Nothing here allocates or prints. */
#ifndef NFP_REGISTRY_H
#define NFP_REGISTRY_H
#include <stddef.h>

/* Wave's host when an image name has no registry segment, and the key an
 * unset credential registry stands for. */
#define REGISTRY_DOCKER_HUB "docker.io"

/* ---- Wave's exact match ---- */

/* 1 when Wave uses a credential whose keys.registry is `cred_registry` for an
 * image whose Wave host is `image_host`: exact bytes, NULL/"" = docker.io. */
int registry_wave_match(const char *cred_registry, const char *image_host);

/* ---- Canonical form ---- */

/* What registry_canonical changed; the bits explain a near miss. */
enum {
    REGISTRY_DIFF_EMPTY        = 1 << 0,  /* NULL/empty: taken as docker.io */
    REGISTRY_DIFF_SCHEME       = 1 << 1,  /* "https://..." */
    REGISTRY_DIFF_PATH         = 1 << 2,  /* "/v1/", "/org" after the host */
    REGISTRY_DIFF_CASE         = 1 << 3,  /* upper-case letters */
    REGISTRY_DIFF_DOCKER_ALIAS = 1 << 4,  /* index.docker.io, registry-1.docker.io, registry.hub.docker.com */
    REGISTRY_DIFF_BLANKS       = 1 << 5,  /* leading/trailing white space */
    REGISTRY_DIFF_PORT         = 1 << 6,  /* a default port: ":443", or ":80" after http:// */
    REGISTRY_DIFF_TRUNCATED    = 1 << 7   /* did not fit in the buffer */
};

/* registry_canonical flags */
#define REGISTRY_KEEP_DEFAULT_PORT 0x1  /* docker's own key lookup: the port is part of the key */

/* Writes the canonical form of `host` into buf (always NUL-terminated when
 * bufsz > 0): blanks, a URL scheme and anything from the first '/' after the
 * host removed, lower case, the Docker Hub aliases as "docker.io", a default
 * port removed (unless REGISTRY_KEEP_DEFAULT_PORT); any other port kept.
 * Returns the REGISTRY_DIFF_* bits of what differed from the text. */
unsigned registry_canonical(const char *host, unsigned flags, char *buf, size_t bufsz);

/* 1 when `a` and `b` have the same canonical form (default ports ignored).
 * *why (may be NULL) gets the REGISTRY_DIFF_* bits of both sides. Note this
 * is also 1 for Wave-equal texts: callers ask registry_wave_match first. */
int registry_same(const char *a, const char *b, unsigned *why);

/* Comma-separated words for the bits, e.g. "URL scheme, path", written into
 * buf (always NUL-terminated when bufsz > 0); returns buf. */
const char *registry_diff_describe(unsigned bits, char *buf, size_t bufsz);

/* ---- Docker Hub ---- */

/* 1 for docker.io and its aliases index.docker.io, registry-1.docker.io,
 * registry.hub.docker.com (any case, scheme, path, default port), and for
 * NULL/"" (research/seqera-wave-credentials.md §5.3). */
int registry_is_docker_hub(const char *host);

/* The host that serves the registry v2 API for an image host: Docker Hub's
 * "docker.io" and "index.docker.io" are served by "registry-1.docker.io"
 * (research §5.3, §7); any other host serves itself. Returns `host` or a
 * static string. */
const char *registry_api_host(const char *host);

/* ---- Host classes ---- */

/* Who runs a registry; the table in registry.c gives each entry's source. */
typedef enum RegistryProvider {
    REGISTRY_PROVIDER_OTHER = 0, REGISTRY_PROVIDER_LOCAL, REGISTRY_PROVIDER_ECR,
    REGISTRY_PROVIDER_ECR_PUBLIC, REGISTRY_PROVIDER_ACR, REGISTRY_PROVIDER_GAR,
    REGISTRY_PROVIDER_GCR, REGISTRY_PROVIDER_GITLAB, REGISTRY_PROVIDER_DOCKERHUB,
    REGISTRY_PROVIDER_QUAY, REGISTRY_PROVIDER_GHCR, REGISTRY_PROVIDER_SEQERA,
    REGISTRY_PROVIDER_MCR, REGISTRY_PROVIDER_GALAXY, REGISTRY_PROVIDER_NVCR
} RegistryProvider;

/* Whether pulling from a registry needs a login. */
typedef enum RegistryClass {
    REGISTRY_CLASS_LOGIN = 0,  /* known to refuse anonymous pulls (or loopback: Wave cannot reach it) */
    REGISTRY_CLASS_DOCKERHUB,  /* Docker Hub: public repositories pull anonymously, but Wave's
                                  pooled anonymous pulls are rate limited; private ones need a login */
    REGISTRY_CLASS_PUBLIC,     /* serves public images anonymously */
    REGISTRY_CLASS_UNKNOWN     /* not in the table */
} RegistryClass;

/* Both compare case-insensitively and ignore a scheme, a path and a port. */
RegistryProvider registry_provider(const char *host);
RegistryClass registry_class(const char *host);
/* "private" (LOGIN), "dockerhub", "public", "unknown". */
const char *registry_class_str(RegistryClass cls);
/* "other", "local", "ecr", "ecr-public", "acr", "gar", "gcr", "gitlab",
 * "dockerhub", "quay", "ghcr", "seqera", "mcr", "galaxy", "nvcr". */
const char *registry_provider_str(RegistryProvider p);

#endif
