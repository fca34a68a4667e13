"""Launch-model findings of the tester's report, each on a small pipeline
directory written here: what Wave or the engine really refuses, said once
per cause with its real reason (F14, F17, F4's launch-aborts per host), no
`fix` edit that makes a launch fail (F4); F19 is in test_launch_model.py."""
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from testlib import Checks, nfp_binary, write_file  # noqa: E402

NFP = nfp_binary()
check = Checks()


def findings(d, *args, env_extra=None):
    env = dict(os.environ, NO_COLOR="1", NXF_SYNTAX_PARSER="", TOWER_ACCESS_TOKEN="x")
    env.update(env_extra or {})
    p = subprocess.run([NFP, "check", "--no-settings", "--format", "json", *args, d], capture_output=True,
                       text=True, env=env, timeout=120)
    return p.returncode, json.loads(p.stdout)["diagnostics"]


def of_rule(ds, rule):
    return [x for x in ds if x["rule"] == rule]


PROC = "process %s {\n%s    script: 'true'\n}\n"

with tempfile.TemporaryDirectory() as tmp:
    # ---- F14: nf-core's wave profile (freeze, conda first, no build repository) and a
    # process with only a container: the request carries containerImage + freeze, which
    # Wave refuses (seqeralabs/wave ContainerController.groovy:267-269) ----
    d = os.path.join(tmp, "f14")
    write_file(d, "nextflow.config", "docker.enabled = true\n"
               "wave { enabled = true\n freeze = true\n strategy = 'conda,container' }\n")
    write_file(d, "main.nf", PROC % ("BCL", "    container 'quay.io/org/bcl:1'\n") +
               PROC % ("CONDA", "    conda 'bioconda::fastqc=0.12.1'\n    container 'quay.io/org/fastqc:1'\n") +
               PROC % ("BCL2", "    container 'quay.io/org/bcl2:1'\n"))
    rc, ds = findings(d)
    fr = of_rule(ds, "wave-freeze-requires-repository")
    check(len(fr) == 1 and "BCL has no conda" in fr[0]["message"] and "1 more alike" in fr[0]["message"]
          and fr[0]["severity"] == "warning" and fr[0]["path"].endswith("main.nf") and fr[0]["line"] == 2,
          "one warning for the processes Wave refuses, at the first one's container: %r" % fr)
    check(not any("CONDA" in x["message"] for x in fr), "a process built from conda is not refused: %r" % fr)
    check(len(fr) == 1 and len(fr[0]["message"]) <= 240, "one short line: %r" % fr)
    # a build repository, or freeze off: nothing
    rc, ds = findings(d, "-c", write_file(d, "repo.config", "wave.build.repository = 'quay.io/org/builds'\n"))
    check(not of_rule(ds, "wave-freeze-requires-repository"), "with a repository: %r" % ds)
    rc, ds = findings(d, "-c", write_file(d, "nofreeze.config", "wave.freeze = false\n"))
    check(not of_rule(ds, "wave-freeze-requires-repository"), "freeze off: %r" % ds)
    # container first: the config rule's single error, not one per process as well
    rc, ds = findings(d, "-c", write_file(d, "cfirst.config", "wave.strategy = 'container,conda'\n"))
    fr = of_rule(ds, "wave-freeze-requires-repository")
    check(len(fr) == 1 and fr[0]["severity"] == "error" and fr[0]["path"].endswith("nextflow.config"),
          "container first stays one config error: %r" % fr)

    # ---- F17: a docker:// image under the docker engine ----
    d = os.path.join(tmp, "f17")
    write_file(d, "nextflow.config", "docker.enabled = true\n"
               "process.container = 'docker://quay.io/biocontainers/fastqc:0.12.1--hdfd78af_0'\n")
    write_file(d, "main.nf", PROC % ("A", ""))
    # Wave off: Docker gets the name unchanged (ContainerHandler.normalizeDockerImageName) and refuses it
    rc, ds = findings(d)
    inv = of_rule(ds, "invalid-image-reference")
    check(len(inv) == 1 and "Docker refuses a URL-like prefix" in inv[0]["message"] and rc == 1,
          "docker:// under docker without Wave: %r" % ds)
    # podman takes transports such as docker://
    rc, ds = findings(d, "-c", write_file(d, "podman.config", "docker.enabled = false\npodman.enabled = true\n"))
    check(not of_rule(ds, "invalid-image-reference"), "podman accepts docker://: %r" % ds)
    # Wave on: Nextflow refuses it before Wave sees it: one finding, that one
    rc, ds = findings(d, "-with-wave")
    errs = [x for x in ds if x["severity"] == "error"]
    check(len(errs) == 1 and errs[0]["rule"] == "launch-aborts" and "URL-like prefix" in errs[0]["message"],
          "one cause, one error (launch-aborts): %r" % errs)
    # a name Wave's parser refuses says which part
    write_file(d, "nextflow.config", "docker.enabled = true\nprocess.container = '[fe80::1]:5000/tool:1'\n")
    rc, ds = findings(d, "-with-wave")
    inv = of_rule(ds, "invalid-image-reference")
    check(len(inv) == 1 and "IPv6 registry host" in inv[0]["message"] and "bad scheme" not in inv[0]["message"],
          "the reason found, not a list of possible ones: %r" % inv)

    # ---- F4: `fix` must not make a launch that fails. nf-core's ternary gives Singularity an
    # https:// image; with a bare wave.enabled = true (default strategy, container first) a
    # -profile singularity run hands it to Wave and Nextflow refuses it
    # (WaveAssets.validateContainerName). No edit; the pipeline's wave profile is named ----
    d = os.path.join(tmp, "f4")
    ternary = ("    container \"${ workflow.containerEngine == 'singularity' ? "
               "'https://depot.galaxyproject.org/singularity/%s:1' : 'biocontainers/%s:1' }\"\n")
    write_file(d, "main.nf", PROC % ("FASTQC", ternary % ("fastqc", "fastqc")) +
               PROC % ("TRIM", ternary % ("trim", "trim")))
    base = ("profiles {\n    docker { docker.enabled = true }\n    singularity { singularity.enabled = true }\n"
            "    wave { wave.enabled = true\n wave.strategy = 'conda,container' }\n}\n")
    write_file(d, "nextflow.config", base)
    env = dict(os.environ, NO_COLOR="1", NXF_SYNTAX_PARSER="")
    p = subprocess.run([NFP, "fix", "--no-settings", "--write", d], capture_output=True, text=True, env=env, timeout=60)
    with open(os.path.join(d, "nextflow.config")) as f:
        text = f.read()
    check(p.returncode == 1 and text == base and "not patched" in p.stderr and "-profile wave" in p.stderr
          and "-profile singularity" in p.stderr, "fix refuses the breaking edit: %d %r" % (p.returncode, p.stderr))
    # what it would have written does fail: the check says so, once per host
    rc, ds = findings(d, "-profile", "singularity", "-with-wave")
    ab = of_rule(ds, "launch-aborts")
    check(len(ab) == 1 and "1 more from https://depot.galaxyproject.org" in ab[0]["message"],
          "one launch-aborts per host, counting the others: %r" % ab)
    # a pipeline whose Singularity images are registry names: the edit is safe and made
    d = os.path.join(tmp, "f4b")
    write_file(d, "main.nf", PROC % ("FASTQC", "    container 'quay.io/biocontainers/fastqc:1'\n"))
    write_file(d, "nextflow.config", base)
    p = subprocess.run([NFP, "fix", "--no-settings", "--write", d], capture_output=True, text=True, env=env, timeout=60)
    with open(os.path.join(d, "nextflow.config")) as f:
        text = f.read()
    check(p.returncode == 0 and "enabled = true" in text[len(base):], "a safe edit is still made: %r" % p.stderr)

    # ---- F12: an include written './conf/x.config' is reported as conf/x.config ----
    d = os.path.join(tmp, "f12")
    write_file(d, "nextflow.config", "includeConfig './conf/x.config'\n")
    write_file(d, "conf/x.config", "wave.enabled = 'true'\n")
    rc, ds = findings(d)
    nb = of_rule(ds, "wave-enabled-not-boolean")
    check(len(nb) == 1 and "/./" not in nb[0]["path"] and nb[0]["path"].endswith("f12/conf/x.config"),
          "no '/./' in the path: %r" % nb)

check.finish()
