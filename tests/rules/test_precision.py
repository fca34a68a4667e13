#!/usr/bin/env python3
"""Rule precision (issue 14): each finding must be what Nextflow 26.x and Wave
really do. Every case writes its own config into a temporary directory, runs
`nf-preflight` on it and asserts the findings (rule, severity) or the resolved
values; the Nextflow/Wave source each expectation comes from is named beside it."""
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from testlib import Checks  # noqa: E402

NFP = os.environ.get("NFP")
ok = Checks()
work = tempfile.mkdtemp(prefix="nfp-precision-")


def write(name, text):
    path = os.path.join(work, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)
    return path


def run(*args, env=None):
    e = {k: v for k, v in os.environ.items() if k not in ("NXF_SYNTAX_PARSER", "TOWER_ACCESS_TOKEN")}
    e.update(env or {})
    p = subprocess.run([NFP] + list(args), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       text=True, timeout=60, env=e, cwd=work)
    return p.returncode, p.stdout, p.stderr


def findings(*args, env=None):
    """(exit code, [(rule, severity, message)]) of `check --format json`."""
    rc, out, err = run("check", "--format", "json", *args, env=env)
    try:
        doc = json.loads(out)
    except ValueError:
        ok(False, "check %s: no JSON (rc %d): %s" % (args, rc, err[-400:]))
        return rc, []
    diags = doc.get("diagnostics", doc) if isinstance(doc, dict) else doc
    return rc, [(d.get("rule"), d.get("severity"), d.get("message", "")) for d in diags]


def rules(fs, severity=None):
    return [r for r, s, _ in fs if severity is None or s == severity]


def resolved(path, *args):
    rc, out, err = run("config", "--clean-env", *args, path)
    vals = {}
    for line in out.splitlines():
        k, sep, v = line.partition(" = ")
        if sep:
            vals[k] = v
    return rc, vals, err


# --- item 3: Groovy 4 number literals (GroovyLexer.g4 / nf-lang ConfigLexer.g4:
#     DecimalFloatingPointLiteral : Digits? Dot Digits ExponentPart? FloatTypeSuffix?)
p = write("literals/nextflow.config",
          "params.ratio = .80\nparams.sci = .5e2\n"
          "process {\n    _cpu_starved = { task -> task.previousTrace['%cpu'] / task.cpus >= .80 }\n}\n")
rc, vals, err = resolved(p)
ok(rc == 0 and vals.get("params.ratio") == "0.80", "`.80` resolves to 0.80: rc %d %r %s" % (rc, vals, err))
ok(vals.get("params.sci") == "5E+1", "`.5e2` is BigDecimal 5E+1: %r" % vals)
rc, fs = findings(p)
ok("syntax-error" not in rules(fs), "`.80` is no syntax error: %r" % fs)

# --- item 4: command-line params take the config's type.
#     v2: ConfigDsl.assign/asDeclaredType (nextflow/config/parser/v2/ConfigDsl.groovy);
#     v1: CmdRun.parseParamValue (nf-cli-v1); `--name` alone is 'true' (Launcher.normalizeArgs)
p = write("params/nextflow.config",
          "params.wave = false\nparams.n = 2\nparams.s = 'x'\nwave.enabled = params.wave\n"
          "profiles {\n    p {\n        params.pw = false\n    }\n}\n")
for arg in ("wave=true", "wave=TRUE", "wave"):
    rc, vals, err = resolved(p, "--param", arg)
    ok(vals.get("wave.enabled") == "true" and vals.get("params.wave") == "true",
       "v2 --param %s against params.wave = false is boolean true: %r" % (arg, vals))
    rc, fs = findings(p, "--param", arg)
    ok("wave-enabled-not-boolean" not in rules(fs) and "wave-not-enabled" not in rules(fs),
       "v2 --param %s turns Wave on: %r" % (arg, fs))
rc, vals, err = resolved(p, "--param", "wave=yes", "--param", "n=3", "--param", "s=4", "--param", "pw=False",
                         "-profile", "p")
ok(vals.get("params.wave") == "'yes'", "v2: 'yes' is no boolean, stays a string: %r" % vals)
ok(vals.get("params.n") == "3" and vals.get("params.s") == "'4'", "v2: number default -> 3, string default -> '4': %r" % vals)
ok(vals.get("params.pw") == "false", "v2: a profile's params.pw = false declares it too: %r" % vals)
rc, fs = findings(p, "--param", "wave=yes")
ok("wave-enabled-not-boolean" in rules(fs, "error"), "v2 --param wave=yes leaves a string in wave.enabled: %r" % fs)
rc, vals, err = resolved(p, "--syntax", "v1", "--param", "wave=True", "--param", "n=2.5", "--param", "s=-3",
                         "--param", "u=1e5", "--param", "undeclared=FALSE")
ok(vals.get("params.wave") == "true" and vals.get("params.undeclared") == "false",
   "v1: true/false in any case are booleans, declared or not: %r" % vals)
ok(vals.get("params.n") == "2.5" and vals.get("params.s") == "-3" and vals.get("params.u") == "'1e5'",
   "v1: -?\\d+(\\.\\d+)? is a number, 1e5 a string: %r" % vals)
rc, vals, err = resolved(p, "--param", "undeclared=true")
ok(vals.get("params.undeclared") == "'true'", "v2: an undeclared param stays the text 'true': %r" % vals)
for bad in ("=x", "", ".a=1"):
    rc, out, err = run("check", "--param", bad, p)
    ok(rc == 2 and "invalid parameter name" in err, "--param %r is a usage error: rc %d %s" % (bad, rc, err))

# --- item 1: wave.freeze without wave.build.repository. Nextflow sends the request
#     (WaveClient checks only mirror); the Wave service (ContainerController.handleRequest)
#     rejects a frozen container image without a custom repository, and builds conda
#     packages into its default public repository (hosted Wave: community.wave.seqera.io).
TEMPLATE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "nfcore-template")
TOKEN = {"TOWER_ACCESS_TOKEN": "x"}
rc, fs = findings("-profile", "docker,wave", TEMPLATE, env=TOKEN)
ok(rc == 0 and not rules(fs, "error") and not rules(fs, "warning"),
   "nf-core template -profile docker,wave: no error or warning: rc %d %r" % (rc, fs))
ok("wave-freeze-requires-repository" not in rules(fs), "template wave profile: freeze with conda first passes: %r" % fs)


def freeze_case(name, body):
    return findings(write("freeze-%s/nextflow.config" % name, "wave.enabled = true\nwave.freeze = true\n" + body),
                    env=TOKEN)[1]


fs = freeze_case("default", "")
ok(("wave-freeze-requires-repository", "error") in [(r, s) for r, s, _ in fs],
   "freeze with the default strategy (container first) is an error: %r" % fs)
ok(any("Wave service rejects" in m for r, s, m in fs if r == "wave-freeze-requires-repository"),
   "the message names the Wave service: %r" % fs)
fs = freeze_case("container-first", "wave.strategy = 'container,conda'\n")
ok("wave-freeze-requires-repository" in rules(fs, "error"), "container before conda: error: %r" % fs)
fs = freeze_case("conda-first", "wave.strategy = ['conda', 'container']\n")
ok("wave-freeze-requires-repository" not in rules(fs), "conda before container on hosted Wave: nothing: %r" % fs)
fs = freeze_case("repo", "wave.build.repository = 'quay.io/org/frozen'\n")
ok("wave-freeze-requires-repository" not in rules(fs), "with a repository: nothing: %r" % fs)
fs = freeze_case("private-wave", "wave.strategy = 'conda'\nwave.endpoint = 'https://wave.example.org'\n")
ok("wave-freeze-requires-repository" in rules(fs, "warning") and "wave-freeze-requires-repository" not in rules(fs, "error"),
   "conda on a self-hosted Wave: a warning (its default public repository is unknown): %r" % fs)
fs = freeze_case("empty-items", "wave.strategy = 'conda,,container'\n")
ok("wave-invalid-strategy" not in rules(fs) and "wave-freeze-requires-repository" not in rules(fs),
   "'conda,,container': tokenize drops the empty item: %r" % fs)
fs = freeze_case("blank-item", "wave.strategy = 'conda, ,container'\n")
ok("wave-invalid-strategy" in rules(fs, "error"), "a blank item is invalid (trimmed to ''): %r" % fs)

ok.finish()
