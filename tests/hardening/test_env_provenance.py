"""Config code cannot print the environment (issue 15, item 2). A value read
with System.getenv('X'), env('X'), System.getenv() or a v1 bare name, and
every string, list or map derived from one (substring, reverse, case, split,
replace, take, concatenation, GStrings, casts, map keys), shows as its source
`env('X')` in every command and format, never as its text. Such values still
decide booleans, numbers and branches. The operator may let a name print with
--env NAME or --trust-env; a short list of harmless names (HOME, USER, PWD…)
prints; a secret-named variable (TOWER_ACCESS_TOKEN) never does. Evaluation
growth (issue 15, item 8) is bounded: recursion that fans out, string
doubling, a list holding itself, huge replacements finish at once with a
dynamic value."""
import os
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from testlib import Checks, nfp_binary, write_file  # noqa: E402

NFP = nfp_binary()
check = Checks()
CANARY = "Zq8Kw3Lp5xVb"
TOKEN = "tok9Rm2Qx7Hs4Wd"
# what a leak of the canary would look like after the transformations below
LEAKS = [CANARY, CANARY[::-1], CANARY.lower(), CANARY.upper(), CANARY[2:], CANARY[:6], "Zq8K", "Vb5x",
         TOKEN, TOKEN[::-1], TOKEN[3:]]

CONFIG = """\
params.a = System.getenv('NFP_CANARY')
params.b = System.getenv('NFP_CANARY').reverse()
params.c = "${System.getenv()}"
params.d = env('NFP_CANARY').substring(2).toLowerCase()
params.e = System.getenv('NFP_CANARY').split('5')
params.f = System.getenv('NFP_CANARY').size() > 3
params.g = System.getenv('NFP_CANARY').take(6)
params.h = [(System.getenv('NFP_CANARY')): 1]
params.i = System.getenv('NFP_CANARY').toUpperCase() as String
params.j = System.getenv('NFP_CANARY').replace('Zq8', 'x') + '-suffix'
params.k = System.getenv('TOWER_ACCESS_TOKEN').reverse()
params.l = System.getenv().collect { k, v -> v }
params.home = System.getenv('HOME')
wave.enabled = System.getenv('NFP_CANARY').size() == %d
wave.strategy = System.getenv('NFP_CANARY')
process.container = "quay.io/org/${System.getenv('NFP_CANARY')}:1"
process { withName: 'A' { container = System.getenv('NFP_CANARY').toUpperCase() } }
includeConfig "${System.getenv('NFP_CANARY')}.config"
docker.registry = System.getenv('NFP_CANARY').take(2)
""" % len(CANARY)

OUTPUTS = [["check", "--format", "text"], ["check", "--format", "json"], ["check", "--format", "sarif"],
           ["check", "--format", "gcc"], ["check", "--format", "github"], ["check", "--format", "text", "-v"],
           ["config"], ["config", "--format", "json"], ["config", "--format", "flat"], ["images"],
           ["images", "--format", "json"]]


def run(args, cwd, extra_env=None):
    env = dict(os.environ, NO_COLOR="1", NFP_CANARY=CANARY, TOWER_ACCESS_TOKEN=TOKEN, HOME=cwd)
    env.update(extra_env or {})
    t0 = time.time()
    try:
        p = subprocess.run([NFP] + args, cwd=cwd, capture_output=True, text=True, timeout=30,
                           stdin=subprocess.DEVNULL, env=env)
    except subprocess.TimeoutExpired:
        return None, 30.0
    return p, time.time() - t0


def leaked(out):
    return [x for x in LEAKS if x in out]


with tempfile.TemporaryDirectory() as d:
    write_file(d, "nextflow.config", CONFIG)
    write_file(d, "v1.config", "params.a = NFP_CANARY.reverse()\nparams.b = \"${NFP_CANARY}\"\n")
    for args in OUTPUTS:
        for layer, syntax in (("nextflow.config", "v2"), ("v1.config", "v1")):
            p, _ = run(args + ["--no-settings", "--syntax", syntax, layer], d)
            if not check(p is not None, "%s %s finishes" % (args, layer)):
                continue
            out = p.stdout + p.stderr
            check(not leaked(out), "%s %s: no text of the environment: %s in %s" % (args, layer, leaked(out), out[:600]))
            check(p.returncode != 3, "%s %s: not exit 3 (%d): %s" % (args, layer, p.returncode, p.stderr[:300]))

    p, _ = run(["config", "--no-settings", "nextflow.config"], d)
    out = p.stdout if p else ""
    check("params.a = env('NFP_CANARY')" in out, "a value of the environment shows as its source: %s" % out[:300])
    check("params.c = System.getenv()" in out, "the whole environment shows as System.getenv()")
    check("params.f = true" in out, "a boolean derived from the environment is a plain value")
    check("wave.enabled = true" in out, "a comparison with the environment still decides")
    check("params.home = '%s'" % d in out, "HOME is on the allow-list")
    check("params.k = env('TOWER_ACCESS_TOKEN')" in out, "a value derived from the token shows as its source")

    # the operator's allowances
    p, _ = run(["config", "--no-settings", "--env", "NFP_CANARY", "nextflow.config"], d)
    check(p is not None and "params.a = '%s'" % CANARY in p.stdout and "params.b = '%s'" % CANARY[::-1] in p.stdout,
          "--env NAME lets that variable print")
    check(p is not None and "params.c = System.getenv()" in p.stdout, "--env NAME allows that name only")
    p, _ = run(["config", "--no-settings", "--env", "NFP_CANARY=other", "nextflow.config"], d)
    check(p is not None and "params.a = 'other'" in p.stdout, "--env NAME=VALUE prints the operator's value")
    p, _ = run(["config", "--no-settings", "--trust-env", "nextflow.config"], d)
    check(p is not None and "params.a = '%s'" % CANARY in p.stdout, "--trust-env lets every variable print")
    check(p is not None and not [x for x in (TOKEN, TOKEN[::-1]) if x in p.stdout + p.stderr],
          "--trust-env never prints a secret-named variable or what derives from it")
    p, _ = run(["config", "--no-settings", "--env", "BAD NAME", "nextflow.config"], d)
    check(p is not None and p.returncode == 2, "--env with a malformed name is a usage error")

    # item 8: evaluation growth is bounded and named
    write_file(d, "grow.config", """\
def f(n) { f(n) + f(n) }
def g(n) { n == 0 ? 'xxxxxxxxxxxxxxxx' : g(n - 1) + g(n - 1) }
def s = 'x' * 1000000
def t = s + s
params.a = f(1)
params.b = g(40)
params.c = "${t}${t}".size()
params.d = 'a'.replace('a', 'b' * 1000000).replace('b', 'c' * 1000000)
params.e = ('a' * 1000000).replaceAll('a', 'b' * 100000)
params.f = (1..100000).collect { s }.join(',').size()
params.g = "${(1..100000).collect { s }}".size()
params.h = { def l = [1]; l << l; "${l}" }.call()
params.ok = 'fine'
""")
    for args in (["config"], ["check", "--format", "gcc"]):
        p, took = run(args + ["--no-settings", "--syntax", "v1", "grow.config"], d)
        check(p is not None and took < 10 and p.returncode != 3,
              "%s: growth finishes (%.1f s, exit %s)" % (args[0], took, p and p.returncode))
    p, _ = run(["config", "--no-settings", "--syntax", "v1", "grow.config"], d)
    out = p.stdout if p else ""
    check("params.ok = 'fine'" in out, "the run goes on after bounded growth")
    for k in "abcdefgh":
        check(("params.%s = dynamic(" % k) in out, "params.%s becomes dynamic: %s" % (k, out[:800]))

check.finish()
