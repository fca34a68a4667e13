/* images — every container image a launch can use: from the resolved config
 * (process.container, selectors, profiles, wave.build.*) and from the
 * `container` directives of a pipeline's .nf files; each with the name the
 * active engine uses and the registry host Wave looks up credentials for.
 *
 * Rules: invalid-image-reference, missing-registry-credentials,
 * credential-host-mismatch, quay-robot-username, freeze-repository-credentials
 * (the credential rules only when a credential source was given). */
#ifndef NFP_IMAGES_H
#define NFP_IMAGES_H
#include "checks.h"
#include "image.h"
#include "model/model.h"
#include "strbuf.h"

typedef enum InvOrigin {
    INV_CONFIG = 0,     /* process.container / selectors in the resolved config */
    INV_SCRIPT,         /* a `container` directive in a .nf file */
    INV_WAVE_BUILD      /* wave.build.*Image */
} InvOrigin;

/* One image of the inventory. Strings live in the inventory's arena. */
typedef struct InvImage {
    const char *image;      /* as written or evaluated; the source text when dynamic */
    const char *resolved;   /* the name the engine uses; NULL when dynamic */
    const char *host;       /* Wave registry host, or the download host; NULL when none */
    int host_class;         /* RegistryClass (settings registries applied), -1 without host */
    const char *kind;       /* "registry", "download", "file", "library", "shub", "other", "dynamic" */
    const Source *src;      /* where it is set (NULL when unknown) */
    size_t start, end;
    const char *selector;   /* config: "process", "withName:FOO", "withLabel:x", a wave.build key */
    const char *process;    /* script: process name */
    InvOrigin origin;
    unsigned engines;       /* engines that may use it: bit (1u << ImageEngine) */
    ImageEngine engine;     /* engine `resolved` was computed for */
    int active;             /* the active engine may use it */
    int dynamic;
    const char *why;        /* dynamic: reason */
    const char *invalid;    /* invalid-image-reference reason, or NULL */
    const char *host_note;  /* why there is no registry host, or NULL */
    const char *probe;      /* --online verdict ("public", "needs-auth", ...) or NULL */
    const char *overridden_by; /* script: the config selector whose container replaces it */
    /* the launch model's view (active images only) */
    ModelPull pull;          /* who pulls it and which credential source covers the host */
    int pulled;              /* 1 when the run pulls it (active, not replaced, not built by Wave) */
    const char *processes;   /* the process(es) that use it, comma-separated, or NULL */
    const char *null_param;  /* the name holds "null" from this unset param */
    const char *aborts;      /* why Nextflow stops the run on this image, or NULL */
    Severity aborts_sev;     /* the rule's default (error), or a warning when the launch may
                                still avoid it (a param set nowhere nf-preflight sees may come with it) */
    const char *aborts_cause;/* images refused for one cause share it ("https://host"): one
                                finding per cause; NULL: one finding per image */
    size_t proc_index;       /* script: 1 + index into the model's processes; 0 otherwise */
} InvImage;

/* wave.build.repository / cacheRepository. */
typedef struct InvRepo {
    const char *key;        /* "wave.build.repository" */
    const char *value;
    const char *host;       /* NULL when Wave rejects the name */
    const Source *src;
    size_t start, end;
} InvRepo;

typedef struct ImageInventory {
    Arena *arena;
    InvImage *items;
    size_t len, cap;
    const LaunchModel *model;    /* the model the inventory reads (in->model or own_model) */
    LaunchModel own_model;
    const char *next_overridden_by; /* while adding a script image: the selector replacing it */
    ImageEngine engine;          /* active engine (docker when none is enabled) */
    int engine_enabled;          /* 1 when <engine>.enabled is true */
    EngineOptions eopt[IMAGE_ENGINE_SHIFTER + 1];
    int wave_enabled;            /* wave.enabled: 1, 0, -1 unknown */
    InvRepo repos[2];
    size_t nrepos;
    size_t nf_files, nprocesses; /* pipeline scan statistics */
    /* profiles not selected for this run that set a container or turn on a
     * container engine (names in the Config; at most 16 kept) */
    const char *unselected[16];
    size_t nunselected, more_unselected;
    /* images_crosscheck's verdict per registry host (hosts of valid, named
     * images): covered by a credential for whoever pulls, or missing one
     * that a pull needs (the host needs a login, and --online did not find
     * it public); a public host without a credential is neither; unknown:
     * Wave pulls there and the Platform credentials could not be read */
    size_t hosts_covered, hosts_missing, hosts_unknown;
    const char *strategy_shown;  /* the model's wave.strategy as printed (images_report:
                                    environment texts shown as their source) */
} ImageInventory;

/* Builds the inventory for `in` (scanning in->pipeline_dir when set) and adds
 * invalid-image-reference diagnostics. The .nf Sources that diagnostics point
 * to are kept until images_cleanup(). Returns 0, or -1 when memory ran out. */
int  images_inventory(const CheckInput *in, ImageInventory *inv, DiagList *diags);
void images_inventory_free(ImageInventory *inv);

/* The credential rules over an inventory (no-op when in->creds is NULL);
 * probes anonymously when in->online. Returns 0, or -1 when memory ran out. */
int  images_crosscheck(const CheckInput *in, ImageInventory *inv, DiagList *diags);

/* `nf-preflight images`: appends the inventory in `format` ("text" or "json")
 * to out; diagnostics (e.g. invalid-image-reference) to diags. Returns 0, or
 * -1 when memory ran out. */
int images_report(const CheckInput *in, const char *format, StrBuf *out, DiagList *diags);

/* Takes over Sources that diagnostics point into (the launch model's .nf
 * files) until images_cleanup(). Returns 0, or -1 when memory ran out (the
 * Sources are then freed). */
int images_adopt_sources(Source **srcs, size_t n);

/* Releases the .nf Sources kept for diagnostics (call after the last report). */
void images_cleanup(void);

#endif
