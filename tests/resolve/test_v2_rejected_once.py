#!/usr/bin/env python3
"""One strict-syntax finding per rejected statement (tester F8). Nextflow's
strict parser records one error for a whole top-level if, try/catch or
variable declaration and does not visit its body (nf-lang
ConfigAstBuilder.invalidStatement, called for ConfigInvalid*StmtAlt), so
what stands inside (a nested if, a println in a catch, an undefined name)
is not reported again, and a file included only from inside such a
statement is not read under v2: its strict-syntax findings are notes, not
errors."""
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from testlib import Checks, nfp_binary, write_file  # noqa: E402

NFP = nfp_binary()
check = Checks()


def v2_findings(pipe, *extra):
    env = {k: v for k, v in os.environ.items() if k not in ("NXF_SYNTAX_PARSER", "NXF_VER")}
    env["NO_COLOR"] = "1"
    p = subprocess.run([NFP, "check", "--no-settings", "--format", "gcc"] + list(extra) + [pipe],
                       capture_output=True, text=True, timeout=60, env=env)
    return p.returncode, [l for l in p.stdout.splitlines() if l.endswith("[v2-incompatible]")]


with tempfile.TemporaryDirectory() as tmp:
    # the nf-core idiom: try/catch around a remote include, a println inside
    pipe = os.path.join(tmp, "trycatch")
    write_file(pipe, "nextflow.config",
               "wave.enabled = true\n"
               "try {\n"
               "    includeConfig 'conf/custom.config'\n"
               "} catch (Exception e) {\n"
               "    System.err.println(\"WARNING: Could not load config\")\n"
               "}\n")
    write_file(pipe, "conf/custom.config", "process.cpus = 2\n")
    rc, hits = v2_findings(pipe)
    check(len(hits) == 1 and "nextflow.config:2:1: error:" in hits[0], "try/catch: one finding: %r" % hits)
    check(hits and hits[0].count("ry-catch") + hits[0].count("ry/catch") == 1 and
          "a try/catch block among config statements is not supported by the strict (v2) config syntax" in hits[0],
          "try/catch: one clear sentence: %r" % hits)

    # an if nested in an if, an undefined name inside: one finding
    pipe = os.path.join(tmp, "nested")
    write_file(pipe, "nextflow.config",
               "wave.enabled = true\n"
               "if (params.a) {\n"
               "    if (params.b) {\n"
               "        process.cpus = HOME\n"
               "    }\n"
               "}\n"
               "def x = 'a'\n")
    rc, hits = v2_findings(pipe, "--param", "a=true", "--param", "b=true")
    check(len(hits) == 2 and ":2:1: error:" in hits[0] and ":7:1: error:" in hits[1],
          "nested if: one finding for it, one for the def: %r" % hits)

    # a file included only from inside a rejected if: not read under v2
    pipe = os.path.join(tmp, "include")
    write_file(pipe, "nextflow.config",
               "wave.enabled = true\n"
               "if (params.illumina) {\n"
               "    includeConfig 'conf/illumina.config'\n"
               "}\n")
    write_file(pipe, "conf/illumina.config", "def y = 1\nprocess.cpus = 2\n")
    rc, hits = v2_findings(pipe, "--param", "illumina=true")
    errors = [h for h in hits if ": error: " in h]
    check(len(errors) == 1 and "nextflow.config:2:1:" in errors[0], "include in if: one error: %r" % hits)
    inner = [h for h in hits if "illumina.config:1:1:" in h]
    check(len(inner) == 1 and ": info: " in inner[0] and "not read under v2" in inner[0],
          "the included file's finding is a note: %r" % hits)
    # the same file included at the top level is read: its finding is an error
    write_file(pipe, "nextflow.config", "wave.enabled = true\nincludeConfig 'conf/illumina.config'\n")
    rc, hits = v2_findings(pipe)
    check(len(hits) == 1 and "illumina.config:1:1: error:" in hits[0], "top-level include: error: %r" % hits)
check.finish()
