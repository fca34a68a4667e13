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

ok.finish()
