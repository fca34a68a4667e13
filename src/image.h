/* image — container image names: the distribution/reference grammar (regex.h),
 * the per-engine naming Nextflow applies before a task runs, and the registry
 * host Wave uses to pick a Platform credential.
 *
 * Sources (restated in ../shared/research, cited per function below):
 *   research/seqera-wave-credentials.md §0, §2.2, §2.3, §5.3, §6, §7
 *   research/nextflow-config.md §5.3
 *   research/image-reference-cases.tsv (conformance rows, see tests/unit)
 *
 * Nothing here prints. The compiled patterns are cached in static storage on
 * first use (not thread-safe); image_cleanup() releases them. */
#ifndef NFP_IMAGE_H
#define NFP_IMAGE_H
#include <stddef.h>

/* What kind of thing an image string names. Everything but IMAGE_KIND_REFERENCE
 * is a form Singularity/Apptainer (and Wave, for oras://) accept but Docker does not. */
typedef enum ImageKind {
    IMAGE_KIND_REFERENCE = 0,  /* registry reference: [domain/]path[:tag][@digest] */
    IMAGE_KIND_DOCKER,         /* docker://<reference> (Singularity/Apptainer) */
    IMAGE_KIND_DOCKER_DAEMON,  /* docker-daemon://<reference> */
    IMAGE_KIND_ORAS,           /* oras://<reference> (SIF in an OCI registry; Wave accepts) */
    IMAGE_KIND_LIBRARY,        /* library:// (Sylabs library, not an OCI registry) */
    IMAGE_KIND_SHUB,           /* shub:// (Singularity Hub) */
    IMAGE_KIND_HTTP,           /* http:// or https:// download (e.g. depot.galaxyproject.org .sif) */
    IMAGE_KIND_FILE,           /* file://, /abs, ./rel, ../rel, ~/x, or a name ending .sif .simg .img */
    IMAGE_KIND_OTHER_SCHEME    /* any other "<scheme>://" prefix */
} ImageKind;

/* Result codes of image_parse / image_parse_ex. */
enum {
    IMAGE_OK = 0,
    IMAGE_INVALID = 1,        /* not a valid reference; *reason says why */
    IMAGE_NOT_REFERENCE = 2,  /* IMAGE_PARSE_STRIP_SCHEME only: a download, file, library:// or shub:// form */
    IMAGE_ENOMEM = -1         /* allocation failed (or the pattern could not be compiled) */
};

/* A parsed reference. All strings are owned (np_malloc) and freed by
 * image_ref_free. domain/path are "as written" by Docker's split rule
 * (domain "" when the name has none); norm_domain/norm_path are what
 * distribution's ParseNormalizedNamed returns (docker.io default, "library/"
 * for one-component Docker Hub names, index.docker.io -> docker.io).
 * In raw mode (IMAGE_PARSE_RAW) both pairs hold distribution Parse's output.
 * tag and digest are NULL when absent. error holds the text *reason points to
 * after a failure. */
typedef struct ImageRef {
    ImageKind kind;
    char *domain, *path;
    char *norm_domain, *norm_path;
    char *tag, *digest;
    char *error;
} ImageRef;

/* Flags for image_parse_ex. */
#define IMAGE_PARSE_RAW          0x1  /* distribution Parse: no docker.io defaulting */
#define IMAGE_PARSE_STRIP_SCHEME 0x2  /* accept docker://, docker-daemon://, oras:// prefixes */

/* Parses `len` bytes of `ref` with Docker semantics (ParseNormalizedNamed).
 * Returns IMAGE_OK, IMAGE_INVALID or IMAGE_ENOMEM. On failure *reason (if
 * reason is non-NULL) is a sentence valid until image_ref_free(out): it starts
 * with distribution's own error text ("invalid reference format",
 * "repository name must be lowercase", "invalid checksum digest length", ...)
 * and, where the grammar says more, adds the precise cause after ": ".
 * out->kind is set even on failure. Always call image_ref_free(out). */
int  image_parse(const char *ref, size_t len, ImageRef *out, const char **reason);
int  image_parse_ex(const char *ref, size_t len, unsigned flags, ImageRef *out,
                    const char **reason);
void image_ref_free(ImageRef *r);
/* "domain/path[:tag][@digest]"; normalized != 0 uses norm_domain/norm_path.
 * Returns an np_malloc'd string or NULL on OOM. */
char *image_ref_format(const ImageRef *r, int normalized);

/* Classification only (no grammar check). */
ImageKind   image_classify(const char *ref, size_t len);
const char *image_kind_str(ImageKind k);     /* "reference", "docker", "oras", ... */

/* Releases the cached compiled patterns; the next parse compiles them again. */
void image_cleanup(void);

/* ---- Per-engine naming (research/nextflow-config.md §5.3) ---- */

typedef enum ImageEngine {
    IMAGE_ENGINE_DOCKER = 0,
    IMAGE_ENGINE_PODMAN,
    IMAGE_ENGINE_SINGULARITY,
    IMAGE_ENGINE_APPTAINER,
    IMAGE_ENGINE_CHARLIECLOUD,
    IMAGE_ENGINE_SARUS,
    IMAGE_ENGINE_SHIFTER
} ImageEngine;

typedef struct EngineOptions {
    ImageEngine engine;
    const char *registry;   /* `<engine>.registry`; NULL or "" = unset */
    int registry_override;  /* `<engine>.registryOverride` (documented for docker, NF >= 25.10) */
    int oci_mode;           /* `singularity.ociMode`: docker:// images run as-is, no SIF cache */
    int enabled;            /* `<engine>.enabled`: only changes image_engine_pulls_to_cache */
    const char *base_dir;   /* launch dir for file:// and existing local image files;
                               NULL = never look at the file system */
} EngineOptions;

/* "docker" ... "shifter" <-> enum. image_engine_from_name returns 0 when unknown. */
const char *image_engine_str(ImageEngine e);
int image_engine_from_name(const char *name, ImageEngine *out);

/* The image name Nextflow hands to the engine for `raw` (ContainerHandler):
 * registry prefixing, registryOverride, docker:// for singularity/apptainer,
 * :latest for charliecloud/shifter. Before any SIF cache path substitution.
 * Returns np_malloc'd text, or NULL for NULL/empty raw or OOM. */
char *image_engine_name(const char *raw, const EngineOptions *opt);
/* 1 when an enabled singularity/apptainer/charliecloud would download `name`
 * (an image_engine_name result) into its cache dir and run the local file. */
int image_engine_pulls_to_cache(const char *name, const EngineOptions *opt);

/* ---- Wave host rule (research/seqera-wave-credentials.md §0, §2.2) ---- */

enum {
    IMAGE_HOST_OK = 0,
    IMAGE_HOST_NOT_REGISTRY = 1,  /* local file, http(s) download, library://, shub:// */
    IMAGE_HOST_REJECTED = 2,      /* Wave's parser refuses the name */
    IMAGE_HOST_NO_WAVE = 3,       /* engine Wave does not support (charliecloud, shifter) */
    IMAGE_HOST_ENOMEM = -1
};

/* Emulates Wave's ContainerCoordinates.parse on a final image name and returns
 * the registry string it will compare (byte for byte) with each credential's
 * keys.registry: "docker.io" when there is no registry segment, otherwise the
 * first segment exactly as written (case and port kept, index.docker.io kept).
 * NULL with *status set (IMAGE_HOST_REJECTED / IMAGE_HOST_ENOMEM) otherwise. */
char *image_wave_host(const char *name, int *status);

/* The host Wave will look up a credential for when `raw` is a task's container
 * under `opt` (engine naming first, then docker:// stripped for
 * singularity/apptainer, then image_wave_host). opt may be NULL (name used as
 * is). On NULL return *status says why and *reason (if non-NULL) is a static
 * sentence. */
char *image_registry_host(const char *raw, const EngineOptions *opt, int *status,
                          const char **reason);

#endif
