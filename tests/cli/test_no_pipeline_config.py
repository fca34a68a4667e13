"""A pipeline directory without nextflow.config (tester F5): Nextflow reads
the pipeline's nextflow.config only when it exists (nf-cli-v1
ConfigCmdAdapter: `if( base.exists() )`), so a directory of .nf scripts
without one is a valid launch. check, images and config run with no pipeline
config layer (the scripts' container directives are still inventoried; -v
says the file is absent); a directory with neither a nextflow.config nor a
.nf script is not a pipeline: exit 2 (a PATH that cannot be checked) with a
clear message. prerun: tests/integration/test_prerun_uncertain.py."""
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from testlib import Checks, nfp_binary, write_file  # noqa: E402

NFP = nfp_binary()
check = Checks()


def run(args):
    env = dict(os.environ, NO_COLOR="1")
    env.pop("TOWER_ACCESS_TOKEN", None)
    p = subprocess.run([NFP] + args, capture_output=True, text=True, env=env, timeout=60)
    return p.returncode, p.stdout, p.stderr


with tempfile.TemporaryDirectory() as top:
    pipe = os.path.join(top, "pipe")
    write_file(pipe, "hello.nf", "process HELLO {\n    container 'quay.io/biocontainers/fastqc:0.12.1--hdfd78af_0'\n"
                                 "    script:\n    \"echo hi\"\n}\nworkflow { HELLO() }\n")
    write_file(pipe, "conf/params.config", "params.x = 1\n")

    rc, out, err = run(["check", "--no-settings", "--format", "gcc", pipe])
    check(rc == 0, "check: exit 0: %d %s %s" % (rc, out, err))
    check("config-error" not in out + err and "no such file" not in out + err, "check: no read error: %s %s" % (out, err))
    check("[wave-not-enabled]" in out, "check: the launch is still checked (Wave off): %s" % out)

    rc, out, err = run(["check", "--no-settings", "-v", pipe])
    check("has no nextflow.config" in err, "check -v: says the file is absent: %s" % err)

    rc, out, err = run(["images", "--no-settings", "-v", pipe])   # -v: the per-image rows
    check(rc == 0 and "quay.io/biocontainers/fastqc:0.12.1--hdfd78af_0" in out and "hello.nf" in out,
          "images: the .nf container is inventoried: %d %s %s" % (rc, out, err))

    rc, out, err = run(["config", "--no-settings", pipe, "-c", os.path.join(pipe, "conf/params.config")])
    check(rc == 0 and "params.x = 1" in out, "config: the -c layer alone: %d %s %s" % (rc, out, err))

    # neither nextflow.config nor a .nf script: not a pipeline, exit 2
    empty = os.path.join(top, "empty")
    write_file(empty, "README.md", "nothing\n")
    rc, out, err = run(["check", "--no-settings", empty])
    check(rc == 2 and "is not a pipeline directory" in err and "nextflow.config" in err,
          "no pipeline: exit 2 with a clear message: %d %s" % (rc, err))
check.finish()
