/* schema_table — every core Nextflow config option, its accepted types and
 * its history.
 *
 * Source: the Nextflow configuration reference for Nextflow 26.04
 * (docs/reference/config.mdx and docs/reference/config/<scope>.mdx of
 * nextflow-io/nextflow, per-scope pages as of the 26.04 release line, plus
 * docs/reference/process/directives.mdx and docs/reference/feature-flags.mdx),
 * and the notes in ../shared/research/nextflow-config.md §5, §6 and §9 (hidden
 * options, core-plugin scopes, undocumented Wave options). Written by hand.
 * Options the docs mark as added after 26.04 (26.08, 26.10) are listed with
 * that version in `since` so configs written for newer releases are not
 * reported as unknown.
 *
 * Brought to nextflow-io/nextflow 26.08.0-edge (commit 2aad02f) for the Wave,
 * Platform (tower) and Seqera scopes against their @ConfigOption classes
 * (nf-wave WaveConfig/RetryOpts, nf-tower TowerConfig/TowerRetryPolicy,
 * nf-seqera ExecutorOpts) and docs/migrations/25-10.mdx.
 *
 * Types are what the documentation states or implies (a boolean default, a
 * duration or memory default, "list of"); where the reference does not pin a
 * type down the option accepts any value (ST_ANY), so option-type never
 * guesses. */
#include "schema.h"

#define B   ST_BOOL
#define I   ST_INT
#define F   (ST_FLOAT | ST_INT)
#define S   ST_STRING
#define D   ST_DURATION
#define M   ST_MEMORY
#define L   ST_LIST
#define MP  ST_MAP
#define C   ST_CLOSURE
#define ANY ST_ANY

/* Plain option; option with a `since` version; deprecated option. */
#define O(p, t)            {p, (t), 0, NULL, NULL, NULL}
#define OV(p, t, v)        {p, (t), 0, v, NULL, NULL}
#define OM(p)              {p, ANY, SO_MAPVALUED, NULL, NULL, NULL}
#define OMV(p, v)          {p, ANY, SO_MAPVALUED, v, NULL, NULL}
#define OMT(p, t)          {p, (t), SO_MAPVALUED, NULL, NULL, NULL}
#define OH(p)              {p, ANY, SO_HIDDEN, NULL, NULL, NULL}
#define OD(p, t, dv, repl) {p, (t), 0, NULL, dv, repl}

/* Process directives are repeated under `process` and `agent`. Every
 * directive can also be a closure evaluated per task. */
#define DIRECTIVES(s) \
    OMT(s ".accelerator", I | MP | C), \
    O(s ".afterScript", S | C), \
    OMT(s ".arch", S | MP | C), \
    O(s ".array", I | C), \
    O(s ".beforeScript", S | C), \
    O(s ".cache", B | S | C), \
    O(s ".clusterOptions", S | L | C), \
    O(s ".conda", S | L | C), \
    O(s ".container", S | C), \
    O(s ".containerOptions", S | C), \
    O(s ".cpus", I | C), \
    O(s ".debug", B | C), \
    OD(s ".echo", B | C, "22.04", s ".debug"), \
    OMT(s ".disk", M | MP | C), \
    O(s ".errorStrategy", S | C), \
    O(s ".executor", S | C), \
    OM(s ".ext"), \
    O(s ".fair", B | C), \
    OM(s ".hints"), \
    O(s ".label", S | L), \
    O(s ".machineType", S | C), \
    O(s ".maxErrors", I | C), \
    O(s ".maxForks", I | C), \
    O(s ".maxRetries", I | C), \
    O(s ".maxSubmitAwait", D | C), \
    O(s ".memory", M | C), \
    O(s ".module", S | L | C), \
    OV(s ".package", S | L | MP | C, "26.08"), \
    O(s ".penv", S | C), \
    OM(s ".pod"), \
    OM(s ".publishDir"), \
    O(s ".queue", S | L | C), \
    OM(s ".resourceLabels"), \
    OM(s ".resourceLimits"), \
    O(s ".scratch", B | S | C), \
    O(s ".secret", S | L | C), \
    O(s ".shell", S | L | C), \
    O(s ".spack", S | L | C), \
    O(s ".stageInMode", S | C), \
    O(s ".stageOutMode", S | C), \
    O(s ".storeDir", S | C), \
    O(s ".tag", S | C), \
    O(s ".time", D | C), \
    OD(s ".validExitStatus", ANY, "", "the errorStrategy directive")

/* Container engines share most options. */
#define ENGINE_COMMON(s) \
    O(s ".enabled", B), \
    O(s ".envWhitelist", S | L)

#define RETRY_POLICY(s) \
    O(s ".delay", D), \
    O(s ".jitter", F), \
    O(s ".maxAttempts", I), \
    O(s ".maxDelay", D)

const SchemaOption schema_options[] = {
    /* ---- unscoped (docs/reference/config/unscoped.mdx) ---- */
    O("bucketDir", S),
    O("cleanup", B),
    OV("outputDir", S, "24.10"),
    O("resume", B | S),
    O("workDir", S),
    /* hidden CLI options the runtime validator accepts (research §9) */
    OH("cacheable"), OH("dumpChannels"), OH("dumpHashes"), OH("libDir"), OH("outputFormat"),
    OH("poolSize"), OH("preview"), OH("runName"), OH("stubRun"),

    /* ---- free-form and DSL scopes ---- */
    OM("params"),
    OM("env"),
    OM("plugins"),

    /* ---- process / agent directives ---- */
    DIRECTIVES("process"),
    DIRECTIVES("agent"),

    /* ---- appleContainer (26.04) ---- */
    OV("appleContainer.enabled", B, "26.04"),
    OV("appleContainer.engineOptions", S, "26.04"),
    OV("appleContainer.envWhitelist", S | L, "26.04"),
    OV("appleContainer.kill", B | S, "26.04"),
    OV("appleContainer.registry", S, "26.04"),
    OV("appleContainer.remove", B, "26.04"),
    OV("appleContainer.runOptions", S, "26.04"),
    OV("appleContainer.temp", S, "26.04"),
    OV("appleContainer.tty", B, "26.04"),
    OV("appleContainer.writableInputMounts", B, "26.04"),

    /* ---- apptainer ---- */
    O("apptainer.autoMounts", B),
    O("apptainer.cacheDir", S),
    ENGINE_COMMON("apptainer"),
    O("apptainer.engineOptions", S),
    O("apptainer.libraryDir", S),
    O("apptainer.noHttps", B),
    OV("apptainer.ociAutoPull", B, "24.04"),
    O("apptainer.pullTimeout", D),
    O("apptainer.registry", S),
    OV("apptainer.resourceLimits", B, "26.10"),
    O("apptainer.runOptions", S),

    /* ---- aws ---- */
    O("aws.accessKey", S),
    O("aws.profile", S),
    O("aws.region", S),
    O("aws.secretKey", S),
    O("aws.batch.cliPath", S),
    O("aws.batch.delayBetweenAttempts", D),
    O("aws.batch.executionRole", S),
    OV("aws.batch.forceGlacierTransfer", B, "26.04"),
    O("aws.batch.jobRole", S),
    O("aws.batch.logsGroup", S),
    O("aws.batch.maxParallelTransfers", I),
    O("aws.batch.maxSpotAttempts", I),
    O("aws.batch.maxTransferAttempts", I),
    O("aws.batch.platformType", S),
    O("aws.batch.retryMode", S),
    O("aws.batch.schedulingPriority", I),
    O("aws.batch.shareIdentifier", S),
    OV("aws.batch.terminateUnschedulableJobs", B, "25.04"),
    O("aws.batch.volumes", S | L),
    O("aws.client.anonymous", B),
    O("aws.client.connectionTimeout", I),
    O("aws.client.endpoint", S),
    O("aws.client.maxConnections", I),
    O("aws.client.maxDownloadHeapMemory", M),
    O("aws.client.maxErrorRetry", I),
    OV("aws.client.minimumPartSize", M, "25.10"),
    OV("aws.client.multipartThreshold", M, "25.10"),
    OD("aws.client.protocol", S, "25.10", NULL),
    O("aws.client.proxyHost", S),
    O("aws.client.proxyPassword", S),
    O("aws.client.proxyPort", I),
    OV("aws.client.proxyScheme", S, "25.10"),
    O("aws.client.proxyUsername", S),
    OV("aws.client.requesterPays", B, "25.10"),
    O("aws.client.s3Acl", S),
    O("aws.client.s3PathStyleAccess", B),
    OD("aws.client.signerOverride", S, "25.10", NULL),
    OD("aws.client.socketSendBufferSizeHint", I, "25.10", NULL),
    OD("aws.client.socketRecvBufferSizeHint", I, "25.10", NULL),
    O("aws.client.socketTimeout", I),
    O("aws.client.storageClass", S),
    O("aws.client.storageEncryption", S),
    O("aws.client.storageKmsKeyId", S),
    OV("aws.client.targetThroughputInGbps", F, "25.10"),
    OD("aws.client.userAgent", S, "25.10", NULL),
    OD("aws.client.uploadChunkSize", M, "25.10", NULL),
    OD("aws.client.uploadMaxAttempts", I, "25.10", NULL),
    OD("aws.client.uploadMaxThreads", I, "25.10", NULL),
    OD("aws.client.uploadRetrySleep", D, "25.10", NULL),
    O("aws.client.uploadStorageClass", S),

    /* ---- azure ---- */
    O("azure.activeDirectory.servicePrincipalId", S),
    O("azure.activeDirectory.servicePrincipalSecret", S),
    O("azure.activeDirectory.tenantId", S),
    O("azure.azcopy.blobTier", S),
    O("azure.azcopy.blockSize", I | S),
    O("azure.batch.accountKey", S),
    O("azure.batch.accountName", S),
    O("azure.batch.allowPoolCreation", B),
    O("azure.batch.autoPoolMode", B),
    O("azure.batch.copyToolInstallMode", S),
    O("azure.batch.deleteJobsOnCompletion", B),
    O("azure.batch.deletePoolsOnCompletion", B),
    O("azure.batch.deleteTasksOnCompletion", B),
    O("azure.batch.endpoint", S),
    OV("azure.batch.jobMaxWallClockTime", D, "25.04"),
    O("azure.batch.location", S),
    OV("azure.batch.poolIdentityClientId", S, "25.10"),
    O("azure.batch.pools.*.autoScale", B),
    O("azure.batch.pools.*.fileShareRootPath", S),
    O("azure.batch.pools.*.lowPriority", B),
    O("azure.batch.pools.*.maxVmCount", I),
    O("azure.batch.pools.*.mountOptions", S),
    O("azure.batch.pools.*.offer", S),
    O("azure.batch.pools.*.privileged", B),
    O("azure.batch.pools.*.publisher", S),
    O("azure.batch.pools.*.runAs", S),
    O("azure.batch.pools.*.scaleFormula", S),
    O("azure.batch.pools.*.scaleInterval", D),
    O("azure.batch.pools.*.schedulePolicy", S),
    O("azure.batch.pools.*.sku", S),
    OV("azure.batch.pools.*.startTask.privileged", B, "25.04"),
    OV("azure.batch.pools.*.startTask.script", S, "25.04"),
    O("azure.batch.pools.*.virtualNetwork", S),
    O("azure.batch.pools.*.vmCount", I),
    O("azure.batch.pools.*.vmType", S),
    O("azure.batch.terminateJobsOnCompletion", B),
    O("azure.managedIdentity.clientId", S),
    O("azure.managedIdentity.system", B),
    O("azure.registry.managedIdentityResourceId", S),
    O("azure.registry.password", S),
    O("azure.registry.server", S),
    O("azure.registry.userName", S),
    RETRY_POLICY("azure.retryPolicy"),
    O("azure.storage.accountKey", S),
    O("azure.storage.accountName", S),
    O("azure.storage.fileShares.*.mountOptions", S),
    O("azure.storage.fileShares.*.mountPath", S),
    O("azure.storage.sasToken", S),
    O("azure.storage.tokenDuration", D),

    /* ---- charliecloud ---- */
    O("charliecloud.cacheDir", S),
    ENGINE_COMMON("charliecloud"),
    O("charliecloud.pullTimeout", D),
    OD("charliecloud.readOnlyInputs", B, "", "charliecloud.writableInputMounts (inverted)"),
    O("charliecloud.registry", S),
    O("charliecloud.runOptions", S),
    O("charliecloud.temp", S),
    O("charliecloud.writableInputMounts", B),
    O("charliecloud.writeFake", B),

    /* ---- cloudcache (core plugin nf-cloudcache; research §9) ---- */
    O("cloudcache.enabled", B),
    O("cloudcache.path", S),

    /* ---- conda ---- */
    O("conda.cacheDir", S),
    O("conda.channels", S | L),
    O("conda.createOptions", S),
    O("conda.createTimeout", D),
    O("conda.enabled", B),
    O("conda.useMamba", B),
    O("conda.useMicromamba", B),

    /* ---- dag ---- */
    O("dag.depth", I),
    O("dag.direction", S),
    O("dag.enabled", B),
    O("dag.file", S),
    O("dag.overwrite", B),
    O("dag.verbose", B),

    /* ---- docker ---- */
    OV("docker.cpuLimits", B, "26.10"),
    ENGINE_COMMON("docker"),
    O("docker.engineOptions", S),
    O("docker.fixOwnership", B),
    O("docker.legacy", B),
    O("docker.mountFlags", S),
    O("docker.registry", S),
    OV("docker.registryOverride", B, "25.10"),
    O("docker.remove", B),
    O("docker.runOptions", S),
    O("docker.sudo", B),
    O("docker.temp", S),
    O("docker.tty", B),
    OD("docker.userEmulation", B, "", "docker.runOptions = '-u $(id -u):$(id -g)'"),
    O("docker.writableInputMounts", B),

    /* ---- executor ---- */
    OV("executor.account", S, "24.04"),
    O("executor.cpus", I),
    OD("executor.awscli", S, "", "aws.batch.cliPath"),
    O("executor.dumpInterval", D),
    O("executor.exitReadTimeout", D),
    O("executor.jobName", S | C),
    O("executor.killBatchSize", I),
    O("executor.memory", M),
    O("executor.name", S),
    O("executor.perCpuMemAllocation", B),
    OV("executor.onlyJobState", B, "26.04"),
    O("executor.perJobMemLimit", B),
    O("executor.perTaskReserve", B),
    O("executor.pollInterval", D),
    O("executor.queueGlobalStatus", B),
    O("executor.queueSize", I),
    O("executor.queueStatInterval", D),
    O("executor.submitRateLimit", S),
    RETRY_POLICY("executor.retry"),
    O("executor.retry.reason", S),
    OD("executor.submit.retry.reason", S, "25.10", "executor.retry.reason"),

    /* ---- fusion ---- */
    OV("fusion.cacheSize", M, "24.04"),
    O("fusion.containerConfigUrl", S),
    O("fusion.enabled", B),
    O("fusion.exportStorageCredentials", B),
    OD("fusion.exportAwsAccessKeys", B, "", "fusion.exportStorageCredentials"),
    O("fusion.logLevel", S),
    O("fusion.logOutput", S),
    O("fusion.privileged", B),
    OV("fusion.snapshots", B, "25.04"),
    O("fusion.tags", S | B),

    /* ---- google ---- */
    O("google.enableRequesterPaysBuckets", B),
    O("google.httpConnectTimeout", D),
    O("google.httpReadTimeout", D),
    O("google.location", S),
    O("google.project", S),
    O("google.batch.allowedLocations", S | L),
    OV("google.batch.autoRetryExitCodes", L | I, "24.10"),
    OV("google.batch.bootDiskImage", S, "24.10"),
    O("google.batch.bootDiskSize", M),
    O("google.batch.cpuPlatform", S),
    OV("google.batch.gcsfuseOptions", S | L, "25.04"),
    O("google.batch.installOpsAgent", B),
    OV("google.batch.instanceFlexibility", B, "26.10"),
    OV("google.batch.logsPath", S, "26.04"),
    O("google.batch.maxSpotAttempts", I),
    O("google.batch.network", S),
    O("google.batch.networkTags", S | L),
    O("google.batch.serviceAccountEmail", S),
    O("google.batch.spot", B),
    O("google.batch.subnetwork", S),
    O("google.batch.usePrivateAddress", B),
    OV("google.storage.retryPolicy.maxAttempts", I, "24.10"),
    OV("google.storage.retryPolicy.maxDelay", D, "24.10"),
    OV("google.storage.retryPolicy.multiplier", F, "24.10"),
    /* the Cloud Life Sciences executor is gone (Google shut the API down) */
    {"google.lifeSciences", ANY, SO_MAPVALUED, NULL, "", "nothing: the Google Life Sciences executor was removed; use the google-batch executor (google.batch.*)"},
    OD("google.region", S, "", "google.location"),
    OD("google.zone", S, "", "google.location"),

    /* ---- k8s ---- */
    O("k8s.autoMountHostPaths", B),
    O("k8s.cleanup", B),
    OM("k8s.client"),
    OV("k8s.clientRefreshInterval", D, "26.04"),
    O("k8s.computeResourceType", S),
    O("k8s.context", S),
    OV("k8s.cpuLimits", B, "24.04"),
    O("k8s.fetchNodeName", B),
    OMV("k8s.fuseDevicePlugin", "24.04"),
    O("k8s.httpConnectTimeout", D),
    O("k8s.httpReadTimeout", D),
    O("k8s.imagePullPolicy", S),
    O("k8s.launchDir", S),
    O("k8s.namespace", S),
    OM("k8s.pod"),
    O("k8s.projectDir", S),
    O("k8s.runAsUser", I),
    OM("k8s.securityContext"),
    O("k8s.serviceAccount", S),
    O("k8s.storageClaimName", S),
    O("k8s.storageMountPath", S),
    O("k8s.storageSubPath", S),
    O("k8s.workDir", S),
    O("k8s.debug.yaml", B),
    RETRY_POLICY("k8s.retryPolicy"),

    /* ---- lineage ---- */
    O("lineage.enabled", B),
    O("lineage.store.location", S),

    /* ---- mail (any Java Mail property under mail.smtp / mail.transport) ---- */
    O("mail.debug", B),
    O("mail.from", S),
    OM("mail.smtp"),
    OM("mail.transport"),

    /* ---- manifest ---- */
    OD("manifest.author", S, "24.10", "manifest.contributors"),
    OV("manifest.contributors", L, "24.10"),
    OD("manifest.defaultBranch", S, "26.04", "nothing: Nextflow detects the default branch of a remote pipeline"),
    O("manifest.description", S),
    O("manifest.docsUrl", S),
    O("manifest.doi", S | L),
    O("manifest.gitmodules", B | S | L),
    O("manifest.homePage", S),
    O("manifest.icon", S),
    O("manifest.license", S),
    O("manifest.mainScript", S),
    O("manifest.name", S),
    O("manifest.nextflowVersion", S),
    O("manifest.organization", S),
    O("manifest.recurseSubmodules", B),
    O("manifest.version", S),

    /* ---- nextflow (feature flags, retry policy) ---- */
    OD("nextflow.enable.configProcessNamesValidation", B, "25.10", "nothing: the strict parser validates process selectors without false warnings"),
    OD("nextflow.enable.dsl", I | F, "22.12", "nothing: DSL2 is the only DSL"),
    O("nextflow.enable.moduleBinaries", B),
    O("nextflow.enable.strict", B),
    OV("nextflow.preview.output", B, "24.04"),
    OV("nextflow.preview.package", B, "26.08"),
    O("nextflow.preview.recursion", B),
    OD("nextflow.preview.topic", B, "25.04", "nothing: topic channels no longer need a flag"),
    OV("nextflow.preview.types", B, "25.10"),
    RETRY_POLICY("nextflow.retryPolicy"),
    OD("nextflow.publish.retryPolicy.delay", D, "24.10", "nextflow.retryPolicy.delay"),
    OD("nextflow.publish.retryPolicy.jitter", F, "24.10", "nextflow.retryPolicy.jitter"),
    OD("nextflow.publish.retryPolicy.maxAttempts", I, "24.10", "nextflow.retryPolicy.maxAttempts"),
    OD("nextflow.publish.retryPolicy.maxDelay", D, "24.10", "nextflow.retryPolicy.maxDelay"),

    /* ---- notification ---- */
    OM("notification.attributes"),
    O("notification.enabled", B),
    O("notification.from", S),
    O("notification.template", S | L),
    O("notification.to", S | L),

    /* ---- packages (preview, 26.08) ---- */
    OV("packages.autoDetect", B, "26.08"),
    OV("packages.provider", S, "26.08"),

    /* ---- podman ---- */
    ENGINE_COMMON("podman"),
    O("podman.engineOptions", S),
    O("podman.mountFlags", S),
    O("podman.registry", S),
    O("podman.remove", B),
    O("podman.runOptions", S),
    O("podman.temp", S),

    /* ---- registry (module and plugin registry, 26.04) ---- */
    OV("registry.apiKey", S, "26.04"),
    OV("registry.url", S | L, "26.04"),

    /* ---- report / timeline / trace ---- */
    O("report.enabled", B),
    O("report.file", S),
    O("report.overwrite", B),
    O("timeline.enabled", B),
    O("timeline.file", S),
    O("timeline.overwrite", B),
    OV("trace.directory", S, "26.10"),
    O("trace.enabled", B),
    O("trace.fields", S | L),
    O("trace.file", S),
    O("trace.overwrite", B),
    O("trace.raw", B),
    O("trace.sep", S),

    /* ---- sarus ---- */
    ENGINE_COMMON("sarus"),
    O("sarus.runOptions", S),
    O("sarus.tty", B),

    /* ---- seqera (Seqera executor, preview, 26.04) ---- */
    OV("seqera.executor.autoLabels", B | S | L, "26.04"),   /* ExecutorOpts; no tower.autoLabels exists */
    OV("seqera.executor.computeEnvId", S, "26.04"),
    OV("seqera.executor.endpoint", S, "26.04"),
    OV("seqera.executor.keyPairName", S, "26.04"),
    OV("seqera.executor.predictionModel", S, "26.04"),
    OMV("seqera.executor.providerConfig", "26.04"),
    OV("seqera.executor.provider", S, "26.04"),
    OV("seqera.executor.region", S, "26.04"),
    OV("seqera.executor.shellEnabled", B, "26.04"),
    OV("seqera.executor.strategy", S, "26.04"),
    OMV("seqera.executor.taskEnvironment", "26.04"),
    OV("seqera.executor.machineRequirement.capacityMode", S, "26.04"),
    OV("seqera.executor.machineRequirement.diskAllocation", S, "26.04"),
    OV("seqera.executor.machineRequirement.diskEncrypted", B, "26.04"),
    OV("seqera.executor.machineRequirement.diskIops", I, "26.04"),
    OV("seqera.executor.machineRequirement.diskMountPath", S, "26.04"),
    OV("seqera.executor.machineRequirement.diskSize", M, "26.04"),
    OV("seqera.executor.machineRequirement.diskThroughputMiBps", I, "26.04"),
    OV("seqera.executor.machineRequirement.diskType", S, "26.04"),
    OV("seqera.executor.machineRequirement.machineTypes", S | L, "26.04"),
    OV("seqera.executor.machineRequirement.maxSpotAttempts", I, "26.04"),
    OV("seqera.executor.machineRequirement.onDemandCostRatio", F, "26.10"),
    OV("seqera.executor.machineRequirement.provisioning", S, "26.04"),
    OV("seqera.executor.schedulingRequirement.maxCpusPerUser", I, "26.04"),
    OV("seqera.executor.httpClient.connectTimeout", D, "26.04"),
    OV("seqera.executor.httpClient.requestTimeout", D, "26.04"),
    OV("seqera.executor.retryPolicy.delay", D, "26.04"),
    OV("seqera.executor.retryPolicy.jitter", F, "26.04"),
    OV("seqera.executor.retryPolicy.maxAttempts", I, "26.04"),
    OV("seqera.executor.retryPolicy.maxDelay", D, "26.04"),
    OV("seqera.executor.retryPolicy.multiplier", F, "26.04"),

    /* ---- shifter ---- */
    ENGINE_COMMON("shifter"),

    /* ---- singularity ---- */
    O("singularity.autoMounts", B),
    O("singularity.cacheDir", S),
    ENGINE_COMMON("singularity"),
    O("singularity.engineOptions", S),
    O("singularity.libraryDir", S),
    O("singularity.noHttps", B),
    OV("singularity.ociAutoPull", B, "24.04"),
    OV("singularity.ociMode", B, "24.04"),
    O("singularity.pullTimeout", D),
    O("singularity.registry", S),
    OV("singularity.resourceLimits", B, "26.10"),
    O("singularity.runOptions", S),

    /* ---- smolvm (26.10) ---- */
    OV("smolvm.enabled", B, "26.10"),
    OV("smolvm.engineOptions", S, "26.10"),
    OV("smolvm.envWhitelist", S | L, "26.10"),
    OV("smolvm.network", B, "26.10"),
    OV("smolvm.registry", S, "26.10"),
    OV("smolvm.runOptions", S, "26.10"),
    OV("smolvm.temp", S, "26.10"),
    OV("smolvm.tty", B, "26.10"),
    OV("smolvm.writableInputMounts", B, "26.10"),

    /* ---- spack ---- */
    O("spack.cacheDir", S),
    O("spack.checksum", B),
    O("spack.createTimeout", D),
    O("spack.enabled", B),
    O("spack.parallelBuilds", I),

    /* ---- tower (Seqera Platform; research §6.3) ---- */
    O("tower.accessToken", S),
    O("tower.computeEnvId", S),
    O("tower.enabled", B),
    O("tower.endpoint", S),
    OV("tower.httpConnectTimeout", D, "26.04"),
    OV("tower.httpReadTimeout", D, "26.04"),
    {"tower.refreshToken", S, SO_HIDDEN, NULL, NULL, NULL},
    OM("tower.reports"),
    RETRY_POLICY("tower.retryPolicy"),
    O("tower.retryPolicy.multiplier", F),                    /* TowerRetryPolicy */
    /* still read when retryPolicy does not set them (TowerRetryPolicy) */
    OD("tower.maxRetries", I, "", "tower.retryPolicy.maxAttempts"),
    OD("tower.backOffDelay", D, "", "tower.retryPolicy.delay"),
    OD("tower.backOffBase", F, "", "tower.retryPolicy.multiplier"),
    O("tower.workspaceId", S | I),

    /* ---- wave (research §6.1; docs/reference/config/wave.mdx) ---- */
    {"wave.enabled", B, SO_NOTYPE, NULL, NULL, NULL},   /* wave-enabled-not-boolean reports it */
    O("wave.endpoint", S),
    OV("wave.freeze", B, "23.10"),
    OV("wave.mirror", B, "24.10"),
    O("wave.strategy", S | L),
    {"wave.bundleProjectResources", B, SO_HIDDEN, NULL, NULL, NULL},
    {"wave.containerConfigUrl", S | L, SO_HIDDEN, NULL, NULL, NULL},
    {"wave.preserveFileTimestamp", B, SO_HIDDEN, NULL, NULL, NULL},
    {"wave.tokens.cache.maxDuration", D, SO_HIDDEN, NULL, NULL, NULL},
    O("wave.build.cacheRepository", S),
    OV("wave.build.compression.force", B, "25.10"),
    OV("wave.build.compression.level", I, "25.10"),
    OV("wave.build.compression.mode", S, "25.10"),
    OV("wave.build.conda.baseImage", S, "24.04"),
    O("wave.build.conda.basePackages", S),                   /* WaveConfig: String */
    O("wave.build.conda.commands", L),                       /* List<String>; `as List` splits a String into characters */
    O("wave.build.conda.mambaImage", S),
    {"wave.build.maxDuration", D, SO_HIDDEN, NULL, NULL, NULL},
    O("wave.build.repository", S),
    OD("wave.build.spack.basePackages", S | L, "", "nothing: Wave no longer builds Spack images"),
    OD("wave.build.spack.commands", S | L, "", "nothing: Wave no longer builds Spack images"),
    OV("wave.build.template", S, "26.04"),
    O("wave.httpClient.connectTimeout", D),
    OV("wave.httpClient.maxRate", S, "25.04"),
    RETRY_POLICY("wave.retryPolicy"),
    O("wave.retryPolicy.multiplier", F),                     /* nf-wave RetryOpts */
    OD("wave.retry.delay", D, "", "wave.retryPolicy.delay"),
    OD("wave.retry.jitter", F, "", "wave.retryPolicy.jitter"),
    OD("wave.retry.maxAttempts", I, "", "wave.retryPolicy.maxAttempts"),
    OD("wave.retry.maxDelay", D, "", "wave.retryPolicy.maxDelay"),
    OV("wave.scan.allowedLevels", S | L, "24.10"),
    OV("wave.scan.mode", S, "24.10"),

    /* ---- workflow (24.10) ---- */
    OV("workflow.failOnIgnore", B, "24.10"),
    O("workflow.onComplete", C),
    O("workflow.onError", C),
    O("workflow.output.contentType", S | B),
    OV("workflow.output.copyAttributes", B, "25.04"),
    O("workflow.output.enabled", B),
    O("workflow.output.ignoreErrors", B),
    O("workflow.output.mode", S),
    O("workflow.output.overwrite", B | S),
    O("workflow.output.storageClass", S),
    OM("workflow.output.tags"),
    OD("workflow.output.retryPolicy.delay", D, "25.10", "nextflow.retryPolicy.delay"),
    OD("workflow.output.retryPolicy.jitter", F, "25.10", "nextflow.retryPolicy.jitter"),
    OD("workflow.output.retryPolicy.maxAttempts", I, "25.10", "nextflow.retryPolicy.maxAttempts"),
    OD("workflow.output.retryPolicy.maxDelay", D, "25.10", "nextflow.retryPolicy.maxDelay"),
};

const size_t schema_noption = sizeof schema_options / sizeof schema_options[0];

/* Scopes of third-party plugins seen in real configs: their options are the
 * plugin's business. */
const char *const schema_plugin_scopes[] = {
    "validation",      /* nf-schema, nf-validation */
    "prov",            /* nf-prov */
    "co2footprint",    /* nf-co2footprint */
    "slack",           /* nf-slack */
    "quilt",           /* nf-quilt */
    "float",           /* nf-float */
    "weblog",          /* nf-weblog */
    NULL
};

const char *schema_nextflow_version(void)
{
    return "26.08.0-edge (nextflow-io/nextflow 2aad02f)";
}
