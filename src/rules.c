#include "rules.h"
#include <string.h>

/* Ids are stable: add new rules at the end, never renumber or reuse an id. */
const Rule rule_table[] = {
    {"NFP001", "syntax-error", SEV_ERROR, 0,
     "The file is not valid Nextflow configuration.",
     "The text cannot be parsed as a Nextflow config in either the strict (v2) or the legacy\n"
     "Groovy (v1) syntax. Nextflow stops at launch with 'Config parsing failed'. Syntax errors\n"
     "cannot be suppressed, and `fix` never patches a file that has them.\n\n"
     "Example:\n    process {\n        cpus = 2\n    // missing '}'\n"},
    {"NFP002", "v2-incompatible", SEV_WARNING, 0,
     "Legacy Groovy construct that the strict (v2) config parser rejects.",
     "Nextflow 26.04 parses configs with the strict syntax by default. `if`/`else`, `try`/`catch`,\n"
     "`def` variables and functions, `import`, directive-style settings without `=` and\n"
     "reading environment variables as bare names work only with NXF_SYNTAX_PARSER=v1.\n\n"
     "Example:\n    def check_max(obj, type) { ... }   // v2: syntax error\n"
     "Use `process.resourceLimits`, `env('X')` and a conditional `includeConfig` instead.\n"},
    {"NFP003", "include-not-found", SEV_ERROR, 0,
     "An includeConfig names a file that does not exist.",
     "Relative includes resolve against the directory of the including file, not the launch\n"
     "directory. Nextflow fails with 'Config file does not exist'.\n\n"
     "Example:\n    includeConfig 'conf/missing.config'\n"},
    {"NFP004", "include-cycle", SEV_ERROR, 0,
     "Config files include each other in a cycle.",
     "An includeConfig chain that comes back to a file already being read never ends in\n"
     "Nextflow. The include that closes the cycle is reported and skipped.\n\n"
     "Example:\n    // a.config\n    includeConfig 'b.config'\n    // b.config\n    includeConfig 'a.config'\n"},
    {"NFP005", "include-remote-skipped", SEV_INFO, 0,
     "A remote (http/https) includeConfig was not fetched.",
     "Remote includes are fetched only with --remote-includes, so that nf-preflight never uses\n"
     "the network unless asked. Settings in the remote file are not part of this check.\n\n"
     "Example:\n    includeConfig 'https://raw.githubusercontent.com/nf-core/configs/master/nfcore_custom.config'\n"},
    {"NFP006", "include-remote-failed", SEV_ERROR, 0,
     "A remote includeConfig could not be fetched.",
     "With --remote-includes the URL is fetched with a timeout and a size cap; a network\n"
     "error, a non-2xx answer or an oversized body is reported here.\n\n"
     "Example:\n    includeConfig 'https://example.org/missing.config'\n"},
    {"NFP007", "unknown-profile", SEV_ERROR, 0,
     "A profile given with -profile is not defined in any profiles block.",
     "Nextflow aborts with 'Unknown configuration profile'. The message suggests the closest\n"
     "declared names.\n\n"
     "Example:\n    nf-preflight check -profile dokcer .\n"},
    {"NFP008", "config-error", SEV_ERROR, 0,
     "The configuration fails when Nextflow evaluates it.",
     "Evaluation errors that Nextflow reports at launch: assigning below a non-map value,\n"
     "an empty includeConfig argument, selectors outside the process scope, plugins blocks\n"
     "below the top level.\n\n"
     "Example:\n    process.container = 'x'\n    process.container.foo = 1\n"},
    {"NFP009", "wave-not-enabled", SEV_WARNING, 1,
     "Wave is not enabled for this launch.",
     "Wave is on only when `wave.enabled` resolves to the boolean true for the selected\n"
     "profiles and launch settings. Without it, workspace registry credentials are not used\n"
     "and private images fail late at pull time. `nf-preflight fix` adds the setting.\n\n"
     "Example:\n    wave {\n        enabled = true\n    }\n"},
    {"NFP010", "wave-enabled-not-boolean", SEV_ERROR, 1,
     "wave.enabled is set to a value that is not a boolean.",
     "Nextflow leaves Wave off unless the value is the boolean true: `enabled = 'true'` (a\n"
     "string) does not turn it on.\n\n"
     "Example:\n    wave.enabled = 'true'   // use: wave.enabled = true\n"},
    {"NFP011", "unknown-option", SEV_WARNING, 0,
     "An option that Nextflow does not know; probably a typo.",
     "Legacy Nextflow ignores unknown options silently and the strict parser only warns at run\n"
     "time. The message suggests the closest valid names. Options under params, env,\n"
     "map-valued options, selectors and plugin scopes are not checked.\n\n"
     "Example:\n    wave.enable = true   // did you mean 'wave.enabled'?\n"},
    {"NFP012", "option-type", SEV_WARNING, 0,
     "An option is assigned a literal of the wrong type.",
     "Nextflow converts or rejects the value at run time.\n\n"
     "Example:\n    process.cpus = 'four'\n"},
    {"NFP013", "deprecated-option", SEV_INFO, 0,
     "An option is deprecated; the message names its replacement.",
     "Deprecated options keep working for a while, then are removed.\n\n"
     "Example:\n    process.cache = 'deep'   // fine\n    baseDir                  // use projectDir\n"},
    {"NFP014", "fusion-requires-wave", SEV_ERROR, 1,
     "Fusion is enabled but Wave is not.",
     "Nextflow aborts the run with 'Fusion feature requires enabling Wave service'.\n\n"
     "Example:\n    fusion.enabled = true\n    wave.enabled = true   // required\n"},
    {"NFP015", "wave-freeze-requires-repository", SEV_ERROR, 0,
     "wave.freeze is on but wave.build.repository is not set.",
     "Freezing builds images into a repository you own; Wave needs to know which.\n\n"
     "Example:\n    wave.freeze = true\n    wave.build.repository = 'quay.io/org/wave'\n"},
    {"NFP016", "wave-mirror-requires-repository", SEV_ERROR, 0,
     "wave.mirror is on but wave.build.repository is not set.",
     "Mirroring copies images into wave.build.repository; without it Nextflow fails.\n\n"
     "Example:\n    wave.mirror = true\n    wave.build.repository = 'quay.io/org/mirror'\n"},
    {"NFP017", "wave-mirror-freeze-conflict", SEV_ERROR, 0,
     "wave.mirror and wave.freeze are both on.",
     "Nextflow rejects the combination: mirror mode cannot be used with freeze.\n\n"
     "Example:\n    wave.mirror = true\n    wave.freeze = true   // remove one\n"},
    {"NFP018", "wave-invalid-strategy", SEV_ERROR, 0,
     "wave.strategy names something other than conda, container or dockerfile.",
     "Nextflow rejects unknown strategy names when the run starts.\n\n"
     "Example:\n    wave.strategy = 'conda,containers'   // 'container'\n"},
    {"NFP019", "wave-repository-has-scheme", SEV_WARNING, 0,
     "A Wave repository setting starts with a URL scheme.",
     "wave.build.repository and cacheRepository take a registry path such as\n"
     "'quay.io/org/repo', not 'https://quay.io/org/repo'.\n\n"
     "Example:\n    wave.build.repository = 'https://quay.io/org/repo'\n"},
    {"NFP020", "wave-platform-token-missing", SEV_INFO, 0,
     "Wave is on but no Platform access token is available.",
     "Without tower.accessToken or TOWER_ACCESS_TOKEN Wave cannot use the workspace's\n"
     "registry credentials, so only public images can be pulled. In a Platform run\n"
     "(TOWER_WORKFLOW_ID set) only the environment counts.\n\n"
     "Example:\n    export TOWER_ACCESS_TOKEN=...   # or tower.accessToken = secrets.TOKEN\n"},
    {"NFP021", "invalid-image-reference", SEV_ERROR, 0,
     "A container image reference is not a valid reference.",
     "Docker's distribution reference grammar: lower-case repository path, optional registry\n"
     "host with port, tag of at most 128 characters, digest algorithm:hex.\n\n"
     "Example:\n    process.container = 'Quay.io/Biocontainers/FastQC'\n"},
    {"NFP022", "missing-registry-credentials", SEV_WARNING, 0,
     "No credential matches a registry host that images are pulled from.",
     "Wave matches workspace credentials by the exact registry host. Private registries\n"
     "(ECR, ACR, Artifact Registry, GitLab...) fail without one (error); Docker Hub works\n"
     "anonymously but hits rate limits (warning); well-known public hosts are info.\n\n"
     "Example:\n    process.container = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/tool:1.0'\n"},
    {"NFP023", "credential-host-mismatch", SEV_WARNING, 0,
     "A credential exists under an alias of the host that Wave will not match.",
     "Wave compares the registry host exactly: 'index.docker.io' is not 'docker.io', a port or\n"
     "scheme changes the host, and so does case.\n\n"
     "Example:\n    credential registry: https://quay.io   image host: quay.io\n"},
    {"NFP024", "quay-robot-username", SEV_WARNING, 0,
     "A quay.io credential's user is not a robot account name.",
     "Quay robot accounts are named 'namespace+robotname'; a personal login with a password\n"
     "often fails for organisation repositories.\n\n"
     "Example:\n    user: alice   -> expected something like myorg+wave\n"},
    {"NFP025", "freeze-repository-credentials", SEV_WARNING, 0,
     "No credential for the host of wave.build.repository or cacheRepository.",
     "Wave pushes frozen or cached images there with workspace credentials.\n\n"
     "Example:\n    wave.build.repository = 'quay.io/org/frozen'   # needs a quay.io credential\n"},
    {"NFP026", "credentials-unavailable", SEV_WARNING, 0,
     "A credential source could not be read.",
     "The Platform API answered with an error or could not be reached, or a credentials file\n"
     "is unreadable. The cross-check is incomplete; with a required source the exit code is 3.\n\n"
     "Example:\n    TOWER_ACCESS_TOKEN expired -> 401 from GET /credentials\n"},
    {"NFP027", "unused-suppression", SEV_INFO, 0,
     "A suppression comment matched no diagnostic.",
     "Stale suppressions hide future problems; remove them.\n\n"
     "Example:\n    // nf-preflight: ignore[wave-not-enabled]   (but Wave is on)\n"},
    {"NFP028", "hardcoded-secret", SEV_WARNING, 0,
     "A token or secret key is written into the config text.",
     "Config files are committed and shared; use secrets.NAME, env('X') or the environment.\n"
     "The value is never printed.\n\n"
     "Example:\n    tower.accessToken = 'eyJ...'   // use env('TOWER_ACCESS_TOKEN')\n"},
    {"NFP029", "dynamic-value", SEV_INFO, 0,
     "A setting that matters here cannot be known before the run.",
     "The resolver never guesses: a value computed by a closure, an unknown variable or an\n"
     "unsupported method stays dynamic, and checks that depend on it say so.\n\n"
     "Example:\n    wave.enabled = params.use_wave   // params.use_wave not set\n"},
    {"NFP030", "wave-status", SEV_INFO, 0,
     "Where wave.enabled is set for this launch (verbose output).",
     "With --verbose, `check` says whether Wave is on and which assignment decides it: the\n"
     "file and line, and the profile when the assignment is inside one. `fix` uses the same\n"
     "rule to say what it changed.\n\n"
     "Example:\n    nextflow.config:42: info: Wave is on: wave.enabled = true (profile 'wave') [wave-status]\n"},
};

const size_t rule_count = sizeof rule_table / sizeof rule_table[0];

const Rule *rule_find(const char *name)
{
    if (!name) return NULL;
    for (size_t i = 0; i < rule_count; i++)
        if (!strcmp(rule_table[i].name, name) || !strcmp(rule_table[i].id, name))
            return &rule_table[i];
    return NULL;
}
