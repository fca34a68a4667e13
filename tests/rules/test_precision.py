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
from testlib import Checks, write_file  # noqa: E402

NFP = os.environ.get("NFP")
ok = Checks()
work = tempfile.mkdtemp(prefix="nfp-precision-")


def write(name, text):
    return write_file(work, name, text)


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

# --- item 5: the option schema at nextflow-io/nextflow 26.08.0-edge (2aad02f)
rc, out, err = run("--schema-version")
ok(rc == 0 and "26.08" in out, "--schema-version names the source version: %r" % out)
p = write("schema/nextflow.config",
          "profiles {\n    docker {\n        docker.enabled = true\n        fixOwnership = true\n"
          "        zzqq = 1\n    }\n}\n"
          "tower.maxRetries = 3\ntower.backOffDelay = '1s'\ntower.backOffBase = 2\n"
          "tower.retryPolicy.multiplier = 2\nwave.retryPolicy.multiplier = 1.5\n"
          "nextflow.enable.configProcessNamesValidation = false\nseqera.executor.autoLabels = true\n"
          "tower.autoLabels = true\nwave.build.conda.commands = 'RUN x'\nwave.build.conda.basePackages = 'conda-forge::procps-ng'\n")
rc, fs = findings("-profile", "docker", p)
unknown = [m for r, s, m in fs if r == "unknown-option"]
ok(any("'fixOwnership'" in m and "docker.fixOwnership" in m for m in unknown),
   "a lone unknown name at the top of a profile is reported, with its did-you-mean: %r" % unknown)
ok(any("'zzqq'" in m for m in unknown), "... and without one (ConfigValidator.validateOption): %r" % unknown)
ok(any("'tower.autoLabels'" in m for m in unknown), "tower.autoLabels does not exist (TowerConfig): %r" % unknown)
ok(not any("multiplier" in m or "seqera.executor.autoLabels" in m for m in unknown),
   "retryPolicy.multiplier (RetryOpts, TowerRetryPolicy) and seqera.executor.autoLabels are known: %r" % unknown)
dep = [m for r, s, m in fs if r == "deprecated-option"]
ok(sum(1 for k in ("tower.maxRetries", "tower.backOffDelay", "tower.backOffBase") if any(k in m for m in dep)) == 3,
   "legacy tower retry options are deprecated, not unknown: %r" % dep)
ok(any("configProcessNamesValidation" in m and "25.10" in m for m in dep), "configProcessNamesValidation deprecated 25.10: %r" % dep)
types = [m for r, s, m in fs if r == "option-type"]
ok(any("wave.build.conda.commands" in m for m in types) and not any("basePackages" in m for m in types),
   "conda.commands is a List, basePackages a String (WaveConfig): %r" % types)


def wave_on(name, body, env=TOKEN):
    return findings(write("on-%s/nextflow.config" % name, "wave.enabled = true\n" + body), env=env)[1]


for key, bad, good in (("wave.scan.mode", "'Required'", "'required'"),
                       ("wave.build.compression.mode", "'lz4'", "'ZSTD'"),
                       ("wave.endpoint", "'wave.example.org'", "'https://wave.example.org'"),
                       ("tower.workspaceId", "'my-workspace'", "'12345'")):
    fs = wave_on(key + "-bad", "%s = %s\n" % (key, bad))
    ok(any(r == "config-error" and s == "error" and key in m for r, s, m in fs),
       "%s = %s aborts the run with Wave on: %r" % (key, bad, fs))
    fs = wave_on(key + "-good", "%s = %s\n" % (key, good))
    ok(not any(key in m for r, s, m in fs if s in ("error", "warning")), "%s = %s is fine: %r" % (key, good, fs))
fs = findings(write("off-scan/nextflow.config", "wave.scan.mode = 'Required'\n"))[1]
ok(not any("wave.scan.mode" in m for r, s, m in fs), "with Wave off the Wave plugin never reads it: %r" % fs)

# --- item 6: severities follow the run's outcome
fs = wave_on("scheme", "wave.build.repository = 'https://quay.io/org/repo'\n")
ok(("wave-repository-has-scheme", "error") in [(r, s) for r, s, _ in fs],
   "a repository with a scheme makes WaveConfig.validateConfig throw: error: %r" % fs)
fs = wave_on("scheme-plus", "wave.build.repository = 'a+b://quay.io/org/repo'\n")
ok("wave-repository-has-scheme" not in rules(fs), "getUrlProtocol takes only [a-zA-Z][a-zA-Z0-9]*: %r" % fs)
for lit in ("null", "0"):
    fs = findings(write("enabled-%s/nextflow.config" % lit, "wave.enabled = %s\n" % lit))[1]
    ok(("wave-not-enabled", "warning") in [(r, s) for r, s, _ in fs] and "wave-enabled-not-boolean" not in rules(fs),
       "wave.enabled = %s leaves Wave off like an unset value: %r" % (lit, fs))

# --- item 7: how to turn Wave on, and how much it matters (WaveFactory: Wave is on only
#     with wave.enabled == true; -with-wave is a CmdRun option)
rc, fs = findings("-profile", "docker", TEMPLATE)
hint = [m for r, s, m in fs if r == "wave-not-enabled"]
ok(len(hint) == 1, "Wave state reported once per launch: %r" % hint)
ok(hint and "profile 'wave' turns it on: add -profile wave, or run with -with-wave" in hint[0],
   "suggests the wave profile and -with-wave: %r" % hint)
ok(hint and "-profile arm64" not in hint[0] and "'arm64' also turns Wave on but changes" in hint[0],
   "never suggests arm64 (it also changes the architecture): %r" % hint)
ok([(x[1]) for x in fs if x[0] == "wave-not-enabled"] == ["warning"], "recommended (default): a warning: %r" % fs)
only_arm = write("only-arm/nextflow.config",
                 "profiles {\n    arm64 {\n        process.arch = 'arm64'\n        wave.enabled = true\n    }\n"
                 "    gpu {\n        docker.enabled = true\n        wave.enabled = true\n    }\n}\n")
rc, fs = findings(only_arm)
hint = [m for r, s, m in fs if r == "wave-not-enabled"]
ok(hint and "-profile" not in hint[0].split("(")[0] and "-with-wave" in hint[0],
   "no profile suggested when every Wave profile changes the platform: %r" % hint)
rc, fs = findings("--wave-policy", "required", "-profile", "docker", TEMPLATE)
ok(rc == 1 and ("wave-not-enabled", "error") in [(r, s) for r, s, _ in fs], "--wave-policy required: an error: %r" % fs)
rc, fs = findings("--wave-policy", "off", "-profile", "docker", TEMPLATE)
ok("wave-not-enabled" not in rules(fs), "--wave-policy off: not reported: %r" % fs)
repo = os.path.join(work, "institutional")
write("institutional/.nf-preflight.yml", "wave: off\n")
cfg = write("institutional/conf/site.config", "process.executor = 'slurm'\n")
rc, fs = findings(cfg)
ok("wave-not-enabled" not in rules(fs), "`wave: off` in .nf-preflight.yml silences it for the repository: %r" % fs)
write("institutional/.nf-preflight.yml", "wave: sometimes\n")
rc, out, err = run("check", cfg)
ok(rc == 2 and "'wave'" in err, "a bad `wave:` value is a settings error: rc %d %s" % (rc, err))
rc, out, err = run("check", "--wave-policy", "maybe", cfg)
ok(rc == 2, "a bad --wave-policy is a usage error: rc %d" % rc)

# --- item 2 (part): the strict parser binds no environment variables
#     (ConfigResolveVisitor.DynamicVariablesVisitor: "`HOME` is not defined (hint: use env('...'))")
p = write("bare-env/nextflow.config", 'workDir = "$HOME/work"\nparams.ok = env("HOME")\n')
rc, fs = findings("--wave-policy", "off", p)
ok(any(r == "v2-incompatible" and "`HOME` is not defined" in m for r, s, m in fs), "v2: bare $HOME is reported: %r" % fs)
ok(not any("`env`" in m for r, s, m in fs), "env('HOME') is fine: %r" % fs)
rc, fs = findings("--wave-policy", "off", "--syntax", "v1", p)
ok(not any("is not defined" in m for r, s, m in fs), "v1 binds the environment: nothing: %r" % fs)

# --- item 2: what the strict parser rejects aborts the run: an error under v2, info under v1
#     (ConfigAstBuilder: invalid statements; VariableScopeVisitor: undefined names and
#     checkConfigInclude; ConfigDsl: the names a config binds: params, projectDir,
#     launchDir, baseDir, env()). Releases before 26.04 default to v1 (NXF_VER).
p = write("strict/nextflow.config",
          "manifest.version = '1.0'\n"
          "params.outdir = 'results'\n"
          "params.tag = \"v${manifest.version}\"\n"          # a config setting read as a variable
          "process.cpus = foo\n"                               # an undefined name
          "process {\n    includeConfig 'conf/extra.config'\n}\n"  # include inside a block
          "profiles {\n    test { includeConfig 'conf/extra.config' }\n}\n"   # fine: in a profile
          "params.fine = \"${params.outdir}/${projectDir}/${launchDir}/${env('USER')}\"\n"
          "process.memory = { bar * 2 }\n")                    # process closures: per task, fine
write("strict/conf/extra.config", "process.cpus = 2\n")


def strict_findings(fs):
    return sorted((s, m.split(" ")[0]) for r, s, m in fs if r == "v2-incompatible")


rc, fs = findings("--wave-policy", "off", p)
got = strict_findings(fs)
ok(got == [("error", "`foo`"), ("error", "`manifest`"), ("error", "an")],
   "v2: manifest read back, foo undefined, include in a block are errors, nothing else: %r" % got)
ok(any("includeConfig inside a config block" in m for r, s, m in fs), "the include is named: %r" % fs)
ok(rc == 1, "v2: exit 1 (got %d)" % rc)
rc, fs = findings("--wave-policy", "off", "--syntax", "v1", p)
ok([s for s, _ in strict_findings(fs)] == ["info"] and rc == 0,
   "v1: the include in a block is a note only, no undefined-name finding, exit 0: %r rc %d" % (strict_findings(fs), rc))
for ver, want in (("25.10.2", 0), ("24.04.4-edge", 0), ("26.04.0", 1), ("26.10.1", 1)):
    rc, fs = findings("--wave-policy", "off", p, env={"NXF_VER": ver})
    ok(rc == want, "NXF_VER=%s: exit %d (the release's default parser), got %d" % (ver, want, rc))

# --- tester F15: hardcoded-secret only where a secret is written. A value made
#     of shell references is exported to the task's shell, which expands it from
#     the launch environment (TaskProcessor.bashEnvironmentScript: `export
#     NAME="$value"`); placeholder text holds no secret. Real secrets still count.
p = write("secrets/nextflow.config",
          "env.GITHUB_TOKEN = '$GITHUB_TOKEN'\n"
          "env.HF_TOKEN = '${HF_TOKEN}'\n"
          "env.PAIR_TOKEN = '${USER_NAME}:${USER_PASSWORD}'\n"
          "aws.accessKey = 'your-access-key'\n"
          "aws.secretKey = '<your-secret-key>'\n"
          "params.api_token = 'changeme'\n"
          "params.db_password = 'REPLACE_ME_LATER'\n"
          "params.my_secret = 'xxxxxxxxxxxx'\n"
          "params.other_secret = 'XXXX-XXXX-XXXX'\n"
          "params.insert_key = 'insert_your_key_here'\n"
          # real ones: still reported (line 11 on)
          "env.REAL_TOKEN = 'a8f3kq92mzx7'\n"
          "tower.accessToken = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abc'\n"
          "params.gh = 'ghp_abcdefghijklmnopqrstuvwxyz012345'\n"
          "env.MIXED_TOKEN = '$PREFIX-a8f3kq92mzx7'\n"
          "params.yourpass_password = 'yourmom12345'\n")
rc, out, err = run("check", "--wave-policy", "off", "--format", "gcc", p)
lines = sorted(int(l.split(":")[1]) for l in out.splitlines() if "[hardcoded-secret]" in l)
ok(lines == [11, 12, 13, 14, 15], "hardcoded-secret on the real secrets only (lines 11-15): %r\n%s" % (lines, out))

ok.finish()
