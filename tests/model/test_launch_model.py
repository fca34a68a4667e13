"""The launch model (src/model/): one small pipeline directory per case of
issue 13, written by the test, checked through `images --format json` and
`check --format json`."""
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from testlib import Checks, nfp_binary, write_file  # noqa: E402

nfp = nfp_binary()
check = Checks()
tmp = []   # every pipeline directory written, removed at the end


def pipeline(files):
    d = tempfile.mkdtemp(prefix="nfp-model-")
    tmp.append(d)
    open(os.path.join(d, ".git"), "w").close()   # no settings search above
    for name, text in files.items():
        write_file(d, name, text)
    return d


def run(*args):
    p = subprocess.run([nfp, *args], capture_output=True, text=True, env={**os.environ, "NO_COLOR": "1"})
    return p.returncode, p.stdout, p.stderr


def images(d, *extra):
    rc, out, err = run("images", d, "--format", "json", *extra)
    return json.loads(out), err


def active_rows(d, *extra):
    """The `images` rows the launch model marks active, in the order listed."""
    inv, _ = images(d, *extra)
    return [i for i in inv["images"] if i["active"]]


def active(d, *extra):
    return [i["image"] for i in active_rows(d, *extra)]


def diags(d, *extra):
    rc, out, err = run("check", d, "--format", "json", *extra)
    return rc, json.loads(out)["diagnostics"]


NFCORE = ("process FASTQC {\n"
          "    conda \"${moduleDir}/environment.yml\"\n"
          "    container \"${ workflow.containerEngine == 'singularity' && !task.ext.singularity_pull_docker_container ?\n"
          "        'https://depot.galaxyproject.org/singularity/fastqc:0.12.1--hdfd78af_0' :\n"
          "        'biocontainers/fastqc:0.12.1--hdfd78af_0' }\"\n"
          "    script: 'true'\n}\n")
try:
    # 1. engine from config and from Nextflow's run options
    d = pipeline({"nextflow.config": "process.container = 'quay.io/org/tool:1'\ndocker.enabled = false\n"})
    inv, _ = images(d)
    check(inv["engine_enabled"] is False, f"engine off {inv['engine']}")
    inv, _ = images(d, "-with-docker")
    check(inv["engine"] == "docker" and inv["engine_enabled"] and inv["engine_option"] == "-with-docker",
          f"-with-docker {inv['engine']} {inv.get('engine_option')}")
    inv, _ = images(d, "-with-singularity", "-with-wave")
    check(inv["engine"] == "singularity" and inv["wave"] is True, f"-with-singularity -with-wave {inv}")
    inv, _ = images(d, "-with-docker", "ghcr.io/org/other:2")
    check([i["image"] for i in inv["images"]] == ["ghcr.io/org/other:2"], f"-with-docker IMAGE {inv['images']}")
    rc, _, err = run("check", d, "-with-docker", "-without-docker")
    check(rc == 2 and "-without-docker" in err, f"conflicting run options rc {rc}")

    # 2. workflow.containerEngine and task.ext: one branch per process
    d = pipeline({"nextflow.config": "singularity.enabled = true\n", "modules/fastqc/main.nf": NFCORE})
    got = active(d)
    check(got == ["https://depot.galaxyproject.org/singularity/fastqc:0.12.1--hdfd78af_0"], f"singularity {got}")
    d = pipeline({"nextflow.config": "singularity.enabled = true\n"
                  "process { withName: 'FASTQC' { ext.singularity_pull_docker_container = true } }\n",
                  "modules/fastqc/main.nf": NFCORE})
    got = active(d)
    check(got == ["biocontainers/fastqc:0.12.1--hdfd78af_0"], f"ext from selector {got}")
    # bactopia: container "${task.ext.container}", ext.container a closure over ext.image/ext.docker
    d = pipeline({"nextflow.config": "singularity.enabled = true\nparams.singularity_pull_docker_container = false\n"
                  "process {\n"
                  "  withName: '.*' { ext.container = { -> workflow.containerEngine == 'singularity' && "
                  "!params.singularity_pull_docker_container ? task.ext.image : task.ext.docker } }\n"
                  "  withName: 'AMR' { ext.docker = 'quay.io/bactopia/amr:1'; "
                  "ext.image = 'https://depot.galaxyproject.org/singularity/amr:1' }\n}\n",
                  "modules/amr/main.nf": "process AMR {\n    container \"${task.ext.container}\"\n    script: 'true'\n}\n"})
    got = active(d)
    check(got == ["https://depot.galaxyproject.org/singularity/amr:1"], f"bactopia singularity {got}")
    inv, _ = images(d, "-with-docker")
    # -with-docker adds docker.enabled; two engines on is itself an abort, so turn singularity off
    d2 = pipeline({"nextflow.config": open(os.path.join(d, "nextflow.config")).read().replace(
        "singularity.enabled = true", "docker.enabled = true"), "modules/amr/main.nf":
        open(os.path.join(d, "modules/amr/main.nf")).read()})
    got = active(d2)
    check(got == ["quay.io/bactopia/amr:1"], f"bactopia docker {got}")

    # 3. Wave's strategy: conda first + a conda directive -> built by Wave, not pulled
    d = pipeline({"nextflow.config": "docker.enabled = true\nwave.enabled = true\nwave.strategy = 'conda,container'\n",
                  "modules/fastqc/main.nf": NFCORE})
    act = active_rows(d)
    check(len(act) == 1 and act[0]["pulled_by"] == "none" and "conda" in act[0]["pull_reason"], f"strategy {act}")
    inv, _ = images(d, "-c", os.devnull)
    # default strategy: the container is pulled by Wave
    d = pipeline({"nextflow.config": "docker.enabled = true\nwave.enabled = true\ndocker.registry = 'quay.io'\n",
                  "modules/fastqc/main.nf": NFCORE})
    act = active_rows(d)
    check(len(act) == 1 and act[0]["pulled_by"] == "wave", f"default strategy {act}")

    # 4. who pulls and with what
    creds = os.path.join(d, "creds.yml")
    with open(creds, "w") as f:
        f.write("credentials:\n  - registry: quay.io\n    name: quay-robot\n    user: org+robot\n    provider: container-reg\n")
    act = active_rows(d, "--credentials", creds)[0]
    check(act["host"] == "quay.io" and "quay-robot" in (act["credential_source"] or ""), f"wave credential {act}")
    d = pipeline({"nextflow.config": "docker.enabled = true\nprocess.executor = 'awsbatch'\n"
                  "process.container = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/tool:1'\n"})
    inv, _ = images(d)
    i0 = inv["images"][0]
    check(i0["pulled_by"] == "executor" and "instance role" in i0["credential_source"], f"awsbatch ECR {i0}")
    rc, ds = diags(d, "--credentials", creds)
    check(not [x for x in ds if x["rule"] == "missing-registry-credentials"], f"executor identity covers ECR {ds}")
    dockercfg = os.path.join(d, "config.json")
    with open(dockercfg, "w") as f:
        f.write('{"auths": {"https://index.docker.io/v1/": {"auth": "dXNlcjpwYXNz"}}}')
    d = pipeline({"nextflow.config": "docker.enabled = true\nprocess.container = 'team/tool:1.0'\n"})
    inv, _ = images(d, "--docker-config=" + dockercfg)
    i0 = inv["images"][0]
    check(i0["pulled_by"] == "engine" and "local login" in (i0["credential_source"] or ""), f"docker login {i0}")

    # 5. host classes: only a host known to need a login makes a missing credential an error
    d = pipeline({"nextflow.config": "docker.enabled = true\nwave.enabled = true\n"
                  "process { withName: A { container = 'registry.example.net/t/a:1' }\n"
                  "          withName: B { container = 'quay.io/t/b:1' }\n"
                  "          withName: C { container = 'community.wave.seqera.io/library/c:1' } }\n",
                  "main.nf": "".join("process %s {\n    script: 'true'\n}\n" % n for n in "ABC")})
    rc, ds = diags(d, "--credentials", creds)
    miss = {x["message"].split("'")[1]: x["severity"] for x in ds if x["rule"] == "missing-registry-credentials"}
    check(miss == {"registry.example.net": "warning"}, f"host classes {miss}")
    check(not [x for x in ds if x["severity"] == "error"], f"no error for public/unknown hosts {ds}")
    # private ECR never serves anonymous pulls, but on a Platform AWS Batch compute
    # environment Wave logs in with its keys (seqeralabs/wave CredentialServiceImpl.groovy:84-86,
    # findComputeCreds0 :111-121): `check` does not know the compute environment, so a
    # warning that says so (tester F19)
    with open(os.path.join(d, "nextflow.config"), "a") as f:
        f.write("process { withName: A { container = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/t/a:1' } }\n")
    rc, ds = diags(d, "--credentials", creds)
    miss = {x["message"].split("'")[1]: x["severity"] for x in ds if x["rule"] == "missing-registry-credentials"}
    check(miss == {"123456789012.dkr.ecr.eu-west-1.amazonaws.com": "warning"} and rc == 0, f"private ECR {miss} rc {rc}")
    check(any("AWS Batch compute environment" in x["message"] for x in ds), f"ECR names the compute environment {ds}")
    # a host known to need a login that no compute environment covers stays an error
    with open(os.path.join(d, "nextflow.config"), "a") as f:
        f.write("process { withName: A { container = 'localhost:5000/t/a:1' } }\n")
    rc, ds = diags(d, "--credentials", creds)
    miss = {x["message"].split("'")[1]: x["severity"] for x in ds if x["rule"] == "missing-registry-credentials"}
    check(miss == {"localhost:5000": "error"} and rc == 1, f"loopback registry with Wave {miss} rc {rc}")
    # Wave off, a local login source given: the engine pulls; gcr.io is public, a
    # loopback registry is unknown to the engine (only Wave cannot reach it)
    d = pipeline({"nextflow.config": "docker.enabled = true\n"
                  "process { withName: A { container = 'localhost:5000/t/a:1' }\n"
                  "          withName: B { container = 'gcr.io/google-containers/b:1' } }\n",
                  "main.nf": "".join("process %s {\n    script: 'true'\n}\n" % n for n in "AB")})
    rc, ds = diags(d, "--docker-config=" + dockercfg)
    miss = {x["message"].split("'")[1]: x["severity"] for x in ds if x["rule"] == "missing-registry-credentials"}
    check(miss == {"localhost:5000": "warning", "gcr.io": "info"}, f"engine host classes {miss}")

    # 6. runs Nextflow aborts
    d = pipeline({"nextflow.config": "docker.enabled = true\nwave.enabled = true\n",
                  "main.nf": "process A {\n    container 'oras://ghcr.io/org/a:1'\n    script: 'true'\n}\n"
                             "process B {\n    container \"${params.registry}/tool:1\"\n    script: 'true'\n}\n"})
    rc, ds = diags(d)
    ab = [x["message"] for x in ds if x["rule"] == "launch-aborts"]
    check(any("URL-like prefix" in m for m in ab), f"oras with Wave {ab}")
    check(any("params.registry" in m and "null/tool:1" in m for m in ab), f"null param {ab}")
    sev = {x["severity"] for x in ds if x["rule"] == "launch-aborts" and "null/tool:1" in x["message"]}
    check(sev == {"warning"}, f"a param nf-preflight sees set nowhere may come with the launch: a warning {sev}")
    check(rc == 1, f"aborts are errors: rc {rc}")
    d = pipeline({"nextflow.config": "charliecloud.enabled = true\nwave.enabled = true\n"})
    rc, ds = diags(d)
    check(any(x["rule"] == "launch-aborts" and "charliecloud" in x["message"] for x in ds), f"wave+charliecloud {ds}")
    d = pipeline({"nextflow.config": "docker.enabled = true\nsingularity.enabled = true\n"})
    rc, ds = diags(d)
    check(any(x["rule"] == "launch-aborts" and "more than one" in x["message"] for x in ds), f"two engines {ds}")
    # a selector's URL-like image is refused only when a process takes it: one
    # that matches no process (or only an alias the model does not know) is
    # never handed to Wave (tester F3/F3b)
    d = pipeline({"nextflow.config": "docker.enabled = true\nwave.enabled = true\n"
                                     "process {\n    withName: 'NOPE' { container = 'oras://ghcr.io/org/n:1' }\n"
                                     "    withName: 'A' { container = 'oras://ghcr.io/org/a:1' }\n}\n",
                  "main.nf": "process A {\n    script: 'true'\n}\n"})
    rc, ds = diags(d)
    ab = [x["message"] for x in ds if x["rule"] == "launch-aborts"]
    check(any("ghcr.io/org/a:1" in m for m in ab), f"selector taken by process A aborts {ab}")
    check(not any("ghcr.io/org/n:1" in m for m in ab), f"selector matching no process does not abort {ab}")
    # a param declared by a script is not null
    d = pipeline({"nextflow.config": "docker.enabled = true\n",
                  "main.nf": "params.registry = 'quay.io'\n"
                             "process B {\n    container \"${params.registry}/tool:1\"\n    script: 'true'\n}\n"})
    rc, ds = diags(d)
    check(not [x for x in ds if x["rule"] == "launch-aborts"], f"declared param {ds}")

    # 7. selectors that match nothing; a profile value replaced by a later assignment
    d = pipeline({"nextflow.config": "process { withName: 'FASTQCC' { cpus = 2 }\n"
                                     "          withName: 'NOPE.*|FAST.*' { cpus = 2 }\n"
                                     "          withName: 'NOPE|.*_RAW' { cpus = 2 }\n"
                                     "          withName: 'NOPE.*|NADA' { cpus = 2 }\n"
                                     "          withName: 'TRIM_RAW' { cpus = 2 }\n"
                                     "          withName: 'FASTQC' { cpus = 1 } }\n"
                                     "profiles { docker { docker.enabled = true } }\n"
                                     "docker.enabled = false\n",
                  "main.nf": "include { TRIM as TRIM_RAW } from './modules/trim'\n",
                  "modules/fastqc/main.nf": NFCORE,
                  "modules/trim/main.nf": "process TRIM {\n    script: 'true'\n}\n"})
    rc, ds = diags(d, "-profile", "docker")
    sel = [x["message"] for x in ds if x["rule"] == "selector-matches-nothing"]
    # alternatives of names, prefixes and suffixes match without a regular expression
    check(len(sel) == 2 and "FASTQCC" in sel[0] and "NOPE.*|NADA" in sel[1], f"unmatched selectors {sel}")
    ov = [x for x in ds if x["rule"] == "profile-setting-overridden"]
    check(len(ov) == 1 and "docker.enabled" in ov[0]["message"] and "'docker'" in ov[0]["message"], f"override {ov}")
    rc, ds = diags(d)
    check(not [x for x in ds if x["rule"] == "profile-setting-overridden"], f"override without the profile {ds}")
    # the same value written again is no override worth a word (HealthOmics-methylseq's omics.config)
    with open(os.path.join(d, "nextflow.config"), "a") as f:
        f.write("docker.enabled = true\n")
    rc, ds = diags(d, "-profile", "docker")
    check(not [x for x in ds if x["rule"] == "profile-setting-overridden"], f"same value again {ds}")
    # Nextflow skips the selector check when configProcessNamesValidation is false
    with open(os.path.join(d, "nextflow.config"), "a") as f:
        f.write("nextflow.enable.configProcessNamesValidation = false\n")
    rc, ds = diags(d)
    check(not [x for x in ds if x["rule"] == "selector-matches-nothing"], f"validation off {ds}")
    # a pattern with ':' that also matches the declared name ('(.+:)?X') replaces the directive
    d = pipeline({"nextflow.config": "singularity.enabled = true\n"
                                     "process { withName: '(.+:)?FASTQC' { container = 'quay.io/org/fastqc:2' } }\n",
                  "modules/fastqc/main.nf": NFCORE})
    got = active(d)
    check(got == ["quay.io/org/fastqc:2"], f"(.+:)? selector replaces the directive {got}")

    # 7b. fully qualified names from the include graph: aliases and workflow nesting
    graph_files = {
        "nextflow.config": "singularity.enabled = true\n"
                           "process {\n"
                           "    withName: '.*:SUB:TRIM' { container = 'quay.io/org/trim:2' }\n"
                           "    withName: 'PIPE:FASTQC_RAW' { container = 'quay.io/org/fastqc:raw' }\n"
                           "    withName: 'PIPE:SING' { ext.singularity_pull_docker_container = true }\n"
                           "    withName: '.*:FASTQC' { cpus = 2 }\n"
                           "    withName: 'FASTQC_RAW' { cpus = 2 }\n"
                           "    withName: 'PIPE:NOPE:.*' { cpus = 1 }\n"
                           "}\n",
        "main.nf": "include { PIPE } from './workflows/pipe'\n\nworkflow {\n    PIPE()\n}\n",
        "workflows/pipe.nf": "include { FASTQC } from '../modules/fastqc'\n"
                             "include { FASTQC as FASTQC_RAW } from '../modules/fastqc'\n"
                             "include { SING } from '../modules/sing/main.nf'\n"
                             "include { SUB } from '../subworkflows/sub'\n"
                             "workflow PIPE {\n    main:\n    FASTQC(Channel.of(1))\n    FASTQC_RAW(Channel.of(2))\n"
                             "    SING()\n    SUB()\n}\n",
        "subworkflows/sub/main.nf": "include { TRIM } from '../../modules/trim'\nworkflow SUB {\n    TRIM()\n}\n",
        "modules/fastqc/main.nf": "process FASTQC {\n    container 'quay.io/org/fastqc:1'\n    script: 'true'\n}\n",
        "modules/trim/main.nf": "process TRIM {\n    container 'quay.io/org/trim:1'\n    script: 'true'\n}\n",
        "modules/sing/main.nf": NFCORE.replace("FASTQC", "SING"),
    }
    d = pipeline(graph_files)
    inv, _ = images(d)
    check(inv["include_graph"] == {"known": True}, f"graph known {inv['include_graph']}")
    names = {p["name"]: p.get("qualified_names") for p in inv["processes"]}
    check(names == {"FASTQC": ["PIPE:FASTQC", "PIPE:FASTQC_RAW"], "TRIM": ["PIPE:SUB:TRIM"], "SING": ["PIPE:SING"]},
          f"qualified names {names}")
    act = sorted(i["image"] for i in inv["images"] if i["active"])
    # '.*:SUB:TRIM' replaces TRIM's directive; 'PIPE:FASTQC_RAW' only one of FASTQC's two
    # invocations, so its directive stays; PIPE:SING's ext picks the registry image
    check("quay.io/org/trim:1" not in act and "quay.io/org/fastqc:1" in act, f"qualified selectors {act}")
    check("biocontainers/fastqc:0.12.1--hdfd78af_0" in act and
          not [a for a in act if a.startswith("https://")], f"ext from a qualified selector {act}")
    rc, ds = diags(d)
    sel = [x["message"] for x in ds if x["rule"] == "selector-matches-nothing"]
    check(len(sel) == 1 and "PIPE:NOPE:.*" in sel[0], f"unmatched qualified selector {sel}")
    # an include path that is not a plain string: the graph is not known, nothing is guessed
    graph_files["workflows/pipe.nf"] = graph_files["workflows/pipe.nf"].replace(
        "'../subworkflows/sub'", "\"${projectDir}/subworkflows/sub\"")
    d = pipeline(graph_files)
    inv, _ = images(d)
    check(inv["include_graph"]["known"] is False and "plain string" in inv["include_graph"]["why"],
          f"graph unknown {inv['include_graph']}")
    act = sorted(i["image"] for i in inv["images"] if i["active"])
    check("quay.io/org/trim:1" in act, f"qualified selector uncertain without the graph {act}")
    rc, ds = diags(d)
    check(not [x for x in ds if x["rule"] == "selector-matches-nothing"], f"no finding without the graph {ds}")

    # 7c. a selector that takes one invocation of a process: whether the task has
    # conda is each invocation's own answer (conda first: Wave builds from it)
    foo = ("process FOO {\n    conda 'bioconda::star=2.7.11b'\n"
           "    container 'https://depot.galaxyproject.org/singularity/star:1'\n    script: 'true'\n}\n")
    files = {"nextflow.config": "singularity.enabled = true\n"
                                "wave { enabled = true\n strategy = 'conda,container' }\n"
                                "process { withName: '.*FOO_ALIAS' { conda = 'bioconda::star=2.6.1d'\n"
                                "    container = 'https://depot.galaxyproject.org/singularity/star:2' } }\n",
             "main.nf": "include { FOO } from './modules/foo'\ninclude { FOO as FOO_ALIAS } from './modules/foo'\n"
                        "workflow {\n    FOO()\n    FOO_ALIAS()\n}\n",
             "modules/foo/main.nf": foo}
    d = pipeline(files)
    inv, _ = images(d)
    p = [x for x in inv["processes"] if x["name"] == "FOO"][0]
    check(p["qualified_names"] == ["FOO", "FOO_ALIAS"] and p["conda"] is True and p["wave_builds"] is True,
          f"every invocation has conda {p}")
    rc, ds = diags(d)
    check(not [x for x in ds if x["rule"] == "launch-aborts"], f"conda-built invocations abort nothing {ds}")
    # without conda of its own, FOO's plain invocation hands its https:// image to Wave
    files["modules/foo/main.nf"] = foo.replace("    conda 'bioconda::star=2.7.11b'\n", "")
    d = pipeline(files)
    inv, _ = images(d)
    p = [x for x in inv["processes"] if x["name"] == "FOO"][0]
    check(p["conda"] is None and p["wave_builds"] is False, f"conda on one invocation only {p}")
    rc, ds = diags(d)
    ab = [x["message"] for x in ds if x["rule"] == "launch-aborts"]
    check(len(ab) == 1 and "star:1" in ab[0], f"the plain invocation aborts {ab}")
finally:
    for d in tmp:
        shutil.rmtree(d, ignore_errors=True)

check.finish()
