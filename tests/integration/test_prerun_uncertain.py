#!/usr/bin/env python3
"""`prerun` does not BLOCK on what it cannot know or what is not an error:
a launch profile that the config read does not define while an include was
not read (Nextflow checks profile names after every include is read) is a
warning, not a BLOCK, and with everything read it still blocks (tester F1/F7);
a pipeline without nextflow.config is checked with no pipeline config, not
blocked (F5); when nothing names the config parser (no --syntax,
NXF_SYNTAX_PARSER, launch syntaxParser or NXF_VER) the launcher's Nextflow
decides, and Platform's launcher may run one before 26.04 (legacy parser by
default): strict-syntax findings are warnings saying so, not a BLOCK (F6)."""
import os
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True   # keep the source tree clean
sys.path.insert(0, os.path.dirname(HERE))
sys.path.insert(0, HERE)
from testlib import Checks, write_file  # noqa: E402
from test_prerun import has, prerun, start_double  # noqa: E402

check = Checks()


def main():
    tmp = tempfile.mkdtemp(prefix="nfp-prerun-unc-")
    double, base = start_double(tmp)
    try:
        # wfProfile selects the launch profile 'platform' (configProfiles)
        remote = os.path.join(tmp, "remote")
        write_file(remote, "nextflow.config",
                   "includeConfig 'https://raw.githubusercontent.com/nf-core/configs/master/nfcore_custom.config'\n"
                   "wave.enabled = true\n")
        rc, out, err = prerun(base, "wfProfile", "--pipeline", remote)
        check(rc == 0 and out and not out[0].startswith("nf-preflight: BLOCK"), "remote include: no BLOCK: %r" % out)
        check(has(out, "warning:", "'platform'", "[unknown-profile]"), "remote include: a warning: %r" % out)

        local = os.path.join(tmp, "local")
        write_file(local, "nextflow.config", "wave.enabled = true\n")
        rc, out, err = prerun(base, "wfProfile", "--pipeline", local)
        check(rc == 1 and has(out, "error:", "'platform'", "[unknown-profile]"), "all read: BLOCK: %r" % out)

        # F5: .nf scripts and no nextflow.config (wfWaveCe: Wave on in the
        # compute environment): checked, not blocked, no read error
        noconf = os.path.join(tmp, "noconf")
        write_file(noconf, "main.nf", "process A {\n  container 'quay.io/biocontainers/fastqc:0.12.1--hdfd78af_0'\n"
                                      "  script:\n  'true'\n}\nworkflow { A() }\n")
        rc, out, err = prerun(base, "wfWaveCe", "--pipeline", noconf)
        check(rc == 0 and out and out[0] == "nf-preflight: PASS", "no nextflow.config: PASS: %r %r" % (out, err))

        # F6: a v2-only construct; wfWaveCe has no syntaxParser
        legacy = os.path.join(tmp, "legacy")
        write_file(legacy, "nextflow.config", "def x = 'a'\nprocess.cpus = 2\n")
        env = {k: "" for k in ("NXF_VER",)}
        rc, out, err = prerun(base, "wfWaveCe", "--pipeline", legacy, extra_env=env)
        check(rc == 0 and out and out[0].startswith("nf-preflight: WARN"), "undecided parser: WARN: %r" % out)
        check(has(out, "warning:", "[v2-incompatible]", "Nextflow 26.04 or later"), "undecided: says why: %r" % out)
        rc, out, err = prerun(base, "wfWaveCe", "--pipeline", legacy, extra_env={"NXF_VER": "26.04.0"})
        check(rc == 1 and has(out, "error:", "[v2-incompatible]"), "NXF_VER 26.04.0: BLOCK: %r" % out)
        rc, out, err = prerun(base, "wfWaveCe", "--pipeline", legacy, extra_env={"NXF_VER": "25.04.8"})
        check(rc == 0 and has(out, "info:", "[v2-incompatible]"), "NXF_VER 25.04.8: a note: %r" % out)
        rc, out, err = prerun(base, "wfWaveCe", "--pipeline", legacy, "--syntax", "v2", extra_env=env)
        check(rc == 1 and has(out, "error:", "[v2-incompatible]"), "--syntax v2: BLOCK: %r" % out)
    finally:
        double.kill()
        double.wait()
    check.finish()


if __name__ == "__main__":
    main()
