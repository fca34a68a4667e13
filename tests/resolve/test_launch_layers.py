"""Launch-payload layering (issue: resolve as Nextflow does; research
seqera-wave-credentials.md §4.3): the pipeline's nextflow.config, then -c
files in order, then the launch's configText; the launch's configProfiles and
paramsText apply unless -profile / --params-file / --param say otherwise."""
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from testlib import Checks  # noqa: E402

NFP = os.environ["NFP"]
check = Checks()


def config(args):
    p = subprocess.run([NFP, "config", "--format", "canonical", "--no-settings", "--clean-env"] + args,
                       capture_output=True, text=True)
    lines = dict(l.split(" = ", 1) for l in p.stdout.splitlines() if " = " in l)
    return p.returncode, lines, p.stderr


with tempfile.TemporaryDirectory() as d:
    pipe = os.path.join(d, "pipeline")
    os.makedirs(pipe)
    with open(os.path.join(pipe, "nextflow.config"), "w") as f:
        f.write("params.outdir = 'results'\nparams.genome = 'GRCh38'\n"
                "process.cpus = 1\nwave.enabled = false\n"
                "profiles {\n  test { params.genome = 'test-genome' }\n  big { process.cpus = 16 }\n}\n")
    extra = os.path.join(d, "extra.config")
    with open(extra, "w") as f:
        f.write("process.cpus = 4\nprocess.memory = '8 GB'\n")
    launch = os.path.join(d, "launch.json")
    with open(launch, "w") as f:
        json.dump({"launch": {"configProfiles": ["test"],
                              "configText": "wave.enabled = true\nprocess.cpus = 8\n",
                              "paramsText": "{\"outdir\": \"s3://bucket/out\"}"}}, f)

    rc, c, err = config([pipe])
    check(rc == 0 and c.get("wave.enabled") == "false" and c.get("process.cpus") == "1", "pipeline alone: %s" % c)

    # -c is above the pipeline config
    rc, c, err = config([pipe, "-c", extra])
    check(c.get("process.cpus") == "4" and c.get("process.memory") == "'8 GB'", "-c layer: %s" % c)

    # the launch's configText is above -c; its profiles and params apply
    rc, c, err = config([pipe, "-c", extra, "--launch", launch])
    check(c.get("wave.enabled") == "true", "configText not applied: %s" % c)
    check(c.get("process.cpus") == "8", "configText not above -c: %s" % c.get("process.cpus"))
    check(c.get("process.memory") == "'8 GB'", "-c value lost under configText")
    check(c.get("params.genome") == "'test-genome'", "configProfiles not applied: %s" % c.get("params.genome"))
    check(c.get("params.outdir") == "'s3://bucket/out'", "paramsText not applied: %s" % c.get("params.outdir"))

    # -profile overrides configProfiles; --param overrides paramsText
    rc, c, err = config([pipe, "--launch", launch, "-profile", "big", "--param", "outdir=/local"])
    check(c.get("params.genome") == "'GRCh38'", "configProfiles applied despite -profile")
    check(c.get("process.cpus") == "8", "configText must stay above a profile of the pipeline config")
    check(c.get("params.outdir") == "'/local'", "--param not above paramsText: %s" % c.get("params.outdir"))

    # --params-file over paramsText, --param over --params-file
    pf = os.path.join(d, "params.yml")
    with open(pf, "w") as f:
        f.write("outdir: from-file\ngenome: file-genome\n")
    rc, c, err = config([pipe, "--launch", launch, "--params-file", pf])
    check(c.get("params.outdir") == "'from-file'" and c.get("params.genome") == "'file-genome'",
          "--params-file not above paramsText and config: %s" % c)
    rc, c, err = config([pipe, "--params-file", pf, "--param", "genome=cli"])
    check(c.get("params.genome") == "'cli'", "--param not above --params-file")

    # --launch-config: pasted config text as the top layer
    text = os.path.join(d, "pasted.config")
    with open(text, "w") as f:
        f.write("wave { enabled = true }\n")
    rc, c, err = config([pipe, "-c", extra, "--launch-config", text])
    check(c.get("wave.enabled") == "true" and c.get("process.cpus") == "4", "--launch-config layer: %s" % c)

    # a launch file that is not a launch: clear error, exit 3
    bad = os.path.join(d, "bad.json")
    with open(bad, "w") as f:
        f.write("{\"launch\": [1, 2")
    rc, c, err = config([pipe, "--launch", bad])
    check(rc == 3 and "bad.json:" in err, "bad launch file: rc %d %s" % (rc, err.strip()))

check.finish()
