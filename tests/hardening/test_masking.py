"""Masking gaps (issue 15, item 4): every secret option of Nextflow's schema,
params and env names that say token/password/secret/key, a token-shaped value
that check reports as hardcoded-secret whatever its name, `user:password@` in
any URL (config values, includeConfig, TOWER_API_ENDPOINT) and a secret whose
string is cut short by an unterminated ${ — each a canary that must appear in
no output of any command and format (stdout and stderr), the language server's
hover included. Also the other side: names that only look alike
(tokenDuration, token_file, max_tokens, the process `secret` directive) are
printed and not reported, and a secret below the floor (SECRET_MIN_LEN) does
not mangle the words of a message. A secret built by an expression ('a' + 'b',
a GString, a list joined, a method call, over two lines) is masked in every
literal piece."""
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "lsp"))
from testlib import Checks, nfp_binary, write_file  # noqa: E402
from lspclient import Client  # noqa: E402

NFP = nfp_binary()
check = Checks()

# the secret options of Nextflow's schema (ConfigOption fields holding a
# token, key or password; src/redact.c secret_option_name), and names that
# say they hold one
SCHEMA_SECRETS = [
    "tower.accessToken", "tower.refreshToken", "registry.apiKey", "agent.apiKey", "mail.smtp.password",
    "aws.accessKey", "aws.secretKey", "aws.client.proxyPassword", "azure.activeDirectory.servicePrincipalSecret",
    "azure.batch.accountKey", "azure.batch.pools.p1.password", "azure.registry.password",
    "azure.storage.accountKey", "azure.storage.sasToken", "k8s.client.token", "k8s.client.clientKey",
]
NAMED_SECRETS = [
    "params.api_token", "params.db_password", "params.hf_token", "params.openai_api_key", "params.clientSecret",
    "params.GITHUB_TOKEN", "env.MY_PASSWORD", "env.SERVICE_SECRET", "env.AWS_SECRET_ACCESS_KEY",
]
CANARIES = {}
lines = ["wave.enabled = true", "process.container = 'quay.io/org/tool:1.0'"]
for i, name in enumerate(SCHEMA_SECRETS + NAMED_SECRETS):
    canary = "CANARYopt%02dSECRET" % i
    CANARIES[name] = canary
    lines.append("%s = '%s'" % (name, canary))
lines.append("env { BLOCK_PASSWORD = 'CANARYenvblockPASS' }")
CANARIES["env block"] = "CANARYenvblockPASS"
lines.append("params.creds = [token: 'CANARYmapTOKEN0', user: 'bob']")
CANARIES["map key"] = "CANARYmapTOKEN0"
# token-shaped under names that say nothing: check reports it, so it is masked
SHAPED = "ghp_CANARYshapedTOKEN0123456789"
lines.append("params.gh = '%s'" % SHAPED)
lines.append("params.glued = \"x-${params.gh}\"")
CANARIES["token-shaped"] = "CANARYshapedTOKEN"
# passwords in URLs, whatever the option
lines.append("params.reg = 'https://robot:CANARYurlPASS1@registry.example.org/v2'")
lines.append("tower.endpoint = 'https://bob:CANARYendpointPASS@tower.example.org/api'")
lines.append("// a comment https://ci:CANARYcommentPASS@git.example.org/x.git")
lines.append("includeConfig 'https://u:CANARYincludePASS@127.0.0.1:9/x.config'")
CANARIES.update(url="CANARYurlPASS1", endpoint="CANARYendpointPASS", comment="CANARYcommentPASS",
                include="CANARYincludePASS")
CONFIG = "\n".join(lines) + "\n"

# look-alikes that are not secrets: printed, never reported
LOOKALIKES = "\n".join([
    "wave.enabled = true",
    "azure.storage.tokenDuration = '12h'",
    "params.token_file = '/data/tokens-LOOKfile.txt'",
    "params.max_tokens = 'LOOKmaxTokens'",
    "params.tokenizer = 'LOOKtokenizer-base'",
    "params.sort_key = 'LOOKsortKeyValue'",
    "process.secret = 'LOOK_ACCESS_KEY_NAME'",
    "process { withName: FOO { secret = ['LOOK_OTHER_SECRET'] } }",
    "azure.batch.accountKey = ''",
]) + "\n"

# an unterminated ${ inside a secret: the lexer's error, the snippet masked
UNTERMINATED = [
    "wave.enabled = true\ntower.accessToken = \"CANARYuntermA0${x\nprocess.cpus = 2\n",
    "wave.enabled = true\nparams.api_token = \"\"\"CANARYuntermB0${\n",
    "wave.enabled = true\naws.secretKey = 'CANARYuntermC0\n",
]


def run(args, env=None, **kw):
    return subprocess.run([NFP] + args, capture_output=True, text=True, env=env, timeout=60, **kw)


def all_outputs(path, extra=()):
    """Every command and format over path: (name, completed process)."""
    runs = []
    for fmt in ("text", "gcc", "json", "sarif", "github", "markdown"):
        runs.append(["check", "-v", "--no-settings", "--format", fmt] + list(extra) + [path])
    runs.append(["check", "--statistics", "--no-settings", path])
    for fmt in ("flat", "canonical", "json"):
        runs.append(["config", "--no-settings", "--format", fmt] + list(extra) + [path])
    for fmt in ("text", "json"):
        runs.append(["images", "--no-settings", "--format", fmt] + list(extra) + [path])
    runs.append(["parse", "--tree", path])
    runs.append(["parse", "--tokens", path])
    env = dict(os.environ, NO_COLOR="1")
    for args in runs:
        yield " ".join(args[:5]), run(args, env=env)
    # fix prints the user's own file back; its messages must not carry one
    p = run(["fix", "--no-settings", path], env=env)
    yield "fix (stderr)", subprocess.CompletedProcess(p.args, p.returncode, "", p.stderr)


def no_canary(path, canaries, extra=()):
    outs = {}
    for name, p in all_outputs(path, extra):
        outs[name] = p.stdout + p.stderr
        check(p.returncode in (0, 1, 3), "%s exited %d: %s" % (name, p.returncode, p.stderr[-300:]))
        leaked = [k for k, c in canaries.items() if c in p.stdout or c in p.stderr]
        check(not leaked, "%s shows %s" % (name, leaked))
    return outs


with tempfile.TemporaryDirectory() as d:
    cfg = write_file(d, "main/nextflow.config", CONFIG)
    outs = no_canary(cfg, CANARIES)
    outs.update(no_canary(cfg, CANARIES, ["--remote-includes"]))
    flat = run(["config", "--no-settings", cfg]).stdout
    for name in SCHEMA_SECRETS + NAMED_SECRETS:
        check("%s = '<redacted>'" % name in flat, "config shows %s as <redacted>" % name)
    check("params.reg = 'https://robot:***@registry.example.org/v2'" in flat,
          "a URL password shows as ***: %r" % [x for x in flat.splitlines() if "reg" in x])
    check("tower.endpoint = 'https://bob:***@tower.example.org/api'" in flat, "the endpoint's password is ***")
    check("params.gh = '<redacted>'" in flat, "a token-shaped value is masked in config")
    js = run(["config", "--no-settings", "--format", "json", cfg]).stdout
    check("https://robot:***@registry.example.org/v2" in js, "config --format json masks the URL password")
    text = run(["check", "--no-settings", "--format", "text", cfg], env=dict(os.environ, NO_COLOR="1")).stdout
    check("'gh' holds a secret" in text, "check reports the token-shaped value: %s" % text[-500:])
    check("https://u:***@127.0.0.1:9/x.config" in text, "the include's message masks its password")

    # snippets: each secret line with a syntax error after it, alone in a file,
    # so the text report shows that line
    for i, line in enumerate(l for l in CONFIG.splitlines() if "CANARY" in l or "ghp_" in l):
        path = write_file(d, "snip%d/nextflow.config" % i, line + " )\n")
        p = run(["check", "--no-settings", "--format", "text", path], env=dict(os.environ, NO_COLOR="1"))
        check(" | " in p.stdout, "line %d has a snippet: %s" % (i, p.stdout))
        leaked = [k for k, c in CANARIES.items() if c in p.stdout or c in p.stderr]
        check(not leaked, "the snippet of %r shows %s" % (line, leaked))

    # a secret built by an expression: every literal piece is masked in the
    # snippets, not only the first (each case ends in a syntax error so the
    # report shows its last line); the line after a secret stays visible
    expr_cases = [
        "tower.accessToken = 'CANARYexprA1' + 'CANARYexprA2'",
        "params.api_token = 'ghp_' + 'CANARYexprB2xxxxxxxxxxxx'",
        "aws.secretKey = \"pre-${'CANARYexprC1'}\" + 'CANARYexprC2'",
        "params.db_password = ['CANARYexprD1', 'CANARYexprD2'].join('')",
        "env { MY_PASSWORD = 'CANARYexprE1'.concat('CANARYexprE2') }",
        "params.creds = [token: 'CANARYexprF1' + 'CANARYexprF2', user: 'bob']",
        "aws.secretKey = 'CANARYexprG1' +\n    'CANARYexprG2'",
        "params.hf_token = 'CANARYexprH1' + 'CANARYexprH2'\nparams.after = 'VISIBLEafter'",
        "params.gh_token = ('CANARYexprI1'\n    + 'CANARYexprI2')",
    ]
    for i, text in enumerate(expr_cases):
        path = write_file(d, "expr%d/nextflow.config" % i, text + " )\n")
        pieces = {"piece%d" % k: "CANARYexpr%s%d" % ("ABCDEFGHI"[i], k) for k in (1, 2)}
        no_canary(path, pieces)
        p = run(["check", "--no-settings", "--format", "text", path], env=dict(os.environ, NO_COLOR="1"))
        check(" | " in p.stdout, "expression case %d has a snippet: %s" % (i, p.stdout))
        if "VISIBLEafter" in text:
            check("VISIBLEafter" in p.stdout, "the statement after a secret is not masked: %s" % p.stdout)

    # values derived from a secret written in the config (issue 15, item 2's
    # last sentence): reversed, cut, cased, interpolated, in an image name
    derived = write_file(d, "derived/nextflow.config", "\n".join([
        "tower.accessToken = 'CANARYderivedSECRET01'",
        "params.api_token = 'CANARYderivedPARAM01'",
        "params.rev = tower.accessToken.reverse()",
        "params.cut = tower.accessToken.substring(3)",
        "params.low = params.api_token.toLowerCase()",
        "params.glue = \"k=${params.api_token.take(12)}\"",
        "process.container = \"quay.io/org/${tower.accessToken.toLowerCase()}:1\"",
        "wave.enabled = true", ""]))
    pieces = {"rev": "10TERCESdevired", "cut": "ARYderivedSECRET", "low": "canaryderived", "glue": "CANARYderive",
              "image": "canaryderivedsecret"}
    no_canary(derived, dict(pieces, secret="CANARYderived"), ["--syntax", "v1"])
    flat = run(["config", "--no-settings", "--syntax", "v1", derived]).stdout
    for key in ("rev", "cut", "low", "glue"):
        check("params.%s = '<redacted>'" % key in flat, "a value derived from a secret is masked: params.%s" % key)

    # TOWER_API_ENDPOINT with a password, and a token of the environment
    plain = write_file(d, "plain/nextflow.config", "wave.enabled = true\nprocess.container = 'quay.io/a/b:1'\n")
    env = dict(os.environ, TOWER_ACCESS_TOKEN="CANARYenvTOKEN0123",
               TOWER_API_ENDPOINT="http://bob:CANARYenvEndpointPASS@127.0.0.1:9/api", NO_COLOR="1")
    for fmt in ("text", "json", "sarif", "markdown"):
        p = run(["check", "-v", "--platform", "--no-settings", "--format", fmt, plain], env=env)
        out = p.stdout + p.stderr
        check("CANARYenv" not in out, "--platform %s: no token or endpoint password: %s" % (fmt, out[-400:]))
        check("127.0.0.1" in out, "--platform %s: the endpoint is still named" % fmt)

    # the floor: a one-letter token does not turn "connect" into "c*nnect"
    env_short = dict(env, TOWER_ACCESS_TOKEN="o", TOWER_API_ENDPOINT="http://127.0.0.1:9/api")
    p = run(["check", "--platform", "--no-settings", "--format", "gcc", plain], env=env_short)
    check("connect" in p.stdout + p.stderr and "c*nnect" not in p.stdout + p.stderr,
          "a token below the floor leaves words whole: %s" % (p.stdout + p.stderr)[-300:])
    short = write_file(d, "short/nextflow.config", "tower.accessToken = 'e'\nwave.enabled = true\n")
    p = run(["check", "-v", "--no-settings", "--format", "gcc", short])
    check("Wave is on: wave.enabled" in p.stdout, "a secret below the floor is not searched for: %s" % p.stdout)

    # unterminated interpolation inside a secret
    for i, text in enumerate(UNTERMINATED):
        path = write_file(d, "unterm%d/nextflow.config" % i, text)
        canary = "CANARYunterm%s0" % "ABC"[i]
        no_canary(path, {"unterminated": canary})
        p = run(["check", "--no-settings", "--format", "text", path], env=dict(os.environ, NO_COLOR="1"))
        check("syntax-error" in p.stdout and " | " in p.stdout, "case %d has a snippet: %s" % (i, p.stdout))

    # look-alikes: shown, and no hardcoded-secret finding
    look = write_file(d, "look/nextflow.config", LOOKALIKES)
    p = run(["check", "--no-settings", "--format", "gcc", look])
    check("hardcoded-secret" not in p.stdout, "look-alike names are not secrets: %s" % p.stdout)
    flat = run(["config", "--no-settings", look]).stdout
    for word in ("LOOKfile", "LOOKmaxTokens", "LOOKtokenizer", "LOOKsortKeyValue", "LOOK_ACCESS_KEY_NAME",
                 "LOOK_OTHER_SECRET", "tokenDuration = '12h'", "accountKey = ''"):
        check(word in flat, "config prints the look-alike %s" % word)

    # the language server's hover: the value is masked too
    c = Client(NFP)
    c.initialize(os.path.dirname(cfg))
    c.open(cfg, CONFIG)
    diags = c.diagnostics(cfg, timeout=30) or []
    check(all(all(v not in x["message"] for v in CANARIES.values()) for x in diags),
          "no LSP message shows a canary")
    cfg_lines = CONFIG.split("\n")

    def hover(prefix):
        line = next(i for i, s in enumerate(cfg_lines) if s.startswith(prefix))
        col = cfg_lines[line].index("=") - 2
        hv = c.request("textDocument/hover", {"textDocument": {"uri": "file://" + cfg},
                                              "position": {"line": line, "character": col}})
        return ((hv or {}).get("result") or {}).get("contents", {}).get("value", "")

    for prefix in ("params.api_token", "env.MY_PASSWORD", "azure.storage.sasToken", "params.gh ", "params.glued"):
        md = hover(prefix)
        check("<redacted>" in md and "CANARY" not in md, "hover on %s: %r" % (prefix, md))
    md = hover("params.reg")
    check("robot:***@registry" in md and "CANARY" not in md, "hover masks a URL password: %r" % md)
    check(c.close() == 0, "language server exits cleanly")

    # the language server on secrets built by expressions: no piece in its
    # diagnostics or in the hover of the option
    expr_text = "\n".join(expr_cases[:4] + ["wave.enabled = true", ""])
    epath = write_file(d, "exprlsp/nextflow.config", expr_text)
    c = Client(NFP)
    c.initialize(os.path.dirname(epath))
    c.open(epath, expr_text)
    diags = c.diagnostics(epath, timeout=30) or []
    check(all("CANARYexpr" not in x["message"] for x in diags), "no LSP message shows a piece: %r" % diags)
    for line, prefix in enumerate(("tower.accessToken", "params.api_token", "aws.secretKey", "params.db_password")):
        hv = c.request("textDocument/hover", {"textDocument": {"uri": "file://" + epath},
                                              "position": {"line": line, "character": len(prefix) - 2}})
        md = ((hv or {}).get("result") or {}).get("contents", {}).get("value", "")
        check("<redacted>" in md and "CANARYexpr" not in md, "hover on %s built by an expression: %r" % (prefix, md))
    check(c.close() == 0, "language server exits cleanly (expressions)")

check.finish()
