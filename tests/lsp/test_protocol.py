"""`nf-preflight lsp` spoken to over pipes: framing, the lifecycle, diagnostics
on open and after incremental edits (UTF-16 and UTF-8 positions on lines with
non-ASCII text), code actions applied and checked, hover, code lenses,
settings, the include cache, malformed input and exit codes."""
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
sys.path.insert(0, HERE)
from testlib import Checks  # noqa: E402
from lspclient import Client, position  # noqa: E402

NFP = os.environ["NFP"]
check = Checks()

MAIN = """// Grüße — pipeline config 😀
params.greeting = 'héllo 😀'
includeConfig 'conf/base.config'
docker.enabled = true
process.container = 'quay.io/biocontainers/fastqc:0.12.1--hdfd78af_0'
docker { runOptions = '-e X=ü😀'; enabledd = true }
profiles {
    wave { wave.enabled = true }
}
"""
BASE = """process {
    cpus = 2
    memry = '2 GB'
}
"""


def rules_of(diags):
    return sorted(d["data"]["rule"] for d in diags)


def apply_edits(text, edits, utf8=False):
    """Applies LSP TextEdits (positions in UTF-16 or UTF-8 units) to a str."""
    def index(pos):
        lines = text.split("\n")
        start = sum(len(l) + 1 for l in lines[:pos["line"]])
        line = lines[pos["line"]] if pos["line"] < len(lines) else ""
        units = 0
        for i, ch in enumerate(line):
            if units >= pos["character"]:
                return start + i
            units += len(ch.encode("utf-8")) if utf8 else len(ch.encode("utf-16-le")) // 2
        return start + len(line)
    spans = sorted(((index(e["range"]["start"]), index(e["range"]["end"]), e["newText"]) for e in edits),
                   reverse=True)
    for s, e, t in spans:
        text = text[:s] + t + text[e:]
    return text


def change(c, path, version, changes):
    c.notify("textDocument/didChange", {"textDocument": {"uri": "file://" + path, "version": version},
                                        "contentChanges": changes})


def whole(c, path, version, text):
    change(c, path, version, [{"text": text}])


def cli_launch_line(root, *args):
    """The launch summary `nf-preflight check --format text` prints first for root's nextflow.config."""
    p = subprocess.run([NFP, "check", "--format", "text", "--exit-zero"] + list(args) + ["nextflow.config"],
                       cwd=root, capture_output=True, text=True, timeout=60)
    return p.stdout.split("\n")[0]


def code_actions(c, path, line):
    r = c.request("textDocument/codeAction", {
        "textDocument": {"uri": "file://" + path},
        "range": {"start": {"line": line, "character": 0}, "end": {"line": line, "character": 0}},
        "context": {"diagnostics": []}})
    return r["result"] if r and "result" in r else None


with tempfile.TemporaryDirectory() as tmp:
    root = os.path.realpath(tmp)
    os.makedirs(os.path.join(root, "conf"))
    os.mkdir(os.path.join(root, ".git"))          # the repository root bounds the search
    main = os.path.join(root, "nextflow.config")
    base = os.path.join(root, "conf", "base.config")
    with open(main, "w", encoding="utf-8") as f:
        f.write(MAIN)
    with open(base, "w", encoding="utf-8") as f:
        f.write(BASE)

    # ---- lifecycle before initialize; initialize; UTF-16 by default ----
    c = Client(NFP, cwd="/")
    r = c.request("textDocument/hover", {"textDocument": {"uri": "file://" + main},
                                         "position": {"line": 0, "character": 0}})
    check(r and r.get("error", {}).get("code") == -32002, "request before initialize: ServerNotInitialized: %r" % r)
    r = c.initialize(root)
    caps = r["result"]["capabilities"] if r and "result" in r else {}
    check(caps.get("positionEncoding") == "utf-16", "UTF-16 is the default encoding: %r" % caps)
    check(caps.get("textDocumentSync", {}).get("change") == 2, "incremental sync offered")
    check(caps.get("hoverProvider") is True and "codeActionProvider" in caps and "codeLensProvider" in caps,
          "hover, code actions and code lenses offered")
    r = c.request("initialize", {"capabilities": {}})
    check(r and r.get("error", {}).get("code") == -32600, "a second initialize is refused")

    # ---- diagnostics on open, UTF-16 columns ----
    c.open(main, MAIN)
    diags = c.diagnostics(main)
    check(diags is not None, "diagnostics published on open")
    diags = diags or []
    check(rules_of(diags) == ["unknown-option", "wave-not-enabled"],
          "nextflow.config: wave-not-enabled and the unknown option, not base.config's: %r" % rules_of(diags))
    unk = [d for d in diags if d["data"]["rule"] == "unknown-option"]
    idx = MAIN.index("enabledd")
    if check(len(unk) == 1, "one unknown-option"):
        check(unk[0]["range"]["start"] == position(MAIN, idx), "UTF-16 start after an astral character: %r vs %r"
              % (unk[0]["range"]["start"], position(MAIN, idx)))
        check(unk[0]["range"]["end"] == position(MAIN, idx + len("enabledd")), "UTF-16 end")
        check(unk[0]["code"] == "NFP011" and unk[0]["source"] == "nf-preflight", "rule id as code")
        check(unk[0]["codeDescription"]["href"].endswith("docs/rules.md#nfp011-unknown-option"),
              "codeDescription links the rule's section: %r" % unk[0].get("codeDescription"))
        check(unk[0]["severity"] == 2, "a warning is severity 2")
    wave = [d for d in diags if d["data"]["rule"] == "wave-not-enabled"]

    # ---- an included file: its own findings, from the same launch ----
    c.open(base, BASE)
    bd = c.diagnostics(base) or []
    check(rules_of(bd) == ["unknown-option"] and bd[0]["range"]["start"] == {"line": 2, "character": 4},
          "base.config gets its unknown option at 3:5 and no launch-level finding: %r" % bd)

    # ---- incremental edits with UTF-16 ranges ----
    # insert non-ASCII text before the finding on its line
    line6 = MAIN.split("\n")[5]
    ins_at = position(MAIN, MAIN.index("'-e X"))
    change(c, main, 2, [{"range": {"start": ins_at, "end": ins_at}, "text": "'😀ß' + "}])
    text = MAIN.replace("'-e X", "'😀ß' + '-e X", 1)
    d2 = c.diagnostics(main, version=2) or []
    unk = [d for d in d2 if d["data"]["rule"] == "unknown-option"]
    check(len(unk) == 1 and unk[0]["range"]["start"] == position(text, text.index("enabledd")),
          "after an incremental insert the finding moves by UTF-16 units: %r" % unk)
    # fix the typo with a range covering the extra 'd' (computed in UTF-16 units)
    at = text.index("enabledd") + len("enabled")
    change(c, main, 3, [{"range": {"start": position(text, at), "end": position(text, at + 1)}, "text": ""}])
    text = text[:at] + text[at + 1:]
    d3 = c.diagnostics(main, version=3) or []
    check(rules_of(d3) == ["wave-not-enabled"], "fixing the typo by a ranged delete clears it: %r" % rules_of(d3))
    # two changes in one notification, applied in order
    change(c, main, 4, [{"range": {"start": {"line": 1, "character": 0}, "end": {"line": 1, "character": 0}},
                         "text": "wavee.enabled = true\n"},
                        {"range": {"start": {"line": 1, "character": 0}, "end": {"line": 1, "character": 5}},
                         "text": "fusio"}])
    text = text.replace("params.greeting", "fusio.enabled = true\nparams.greeting", 1)
    d4 = c.diagnostics(main, version=4) or []
    unk = [d for d in d4 if d["data"]["rule"] == "unknown-option"]
    check(len(unk) == 1 and unk[0]["range"]["start"] == {"line": 1, "character": 0} and "fusio" in unk[0]["message"],
          "several changes apply in order: %r" % unk)
    whole(c, main, 5, MAIN)
    text = MAIN
    check(rules_of(c.diagnostics(main, version=5) or []) == ["unknown-option", "wave-not-enabled"],
          "a full-text change replaces the buffer")

    # ---- the include cache: an edit of nextflow.config reads no file again ----
    s1 = c.request("nf-preflight/stats", {})["result"]
    whole(c, main, 6, MAIN + "\n// edited\n")
    c.diagnostics(main, version=6)
    s2 = c.request("nf-preflight/stats", {})["result"]
    check(s2["checks"] > s1["checks"] and s2["diskReads"] == s1["diskReads"],
          "a re-check reads no unchanged file from disk: %r -> %r" % (s1, s2))
    # a changed file on disk is read again
    with open(base, "w", encoding="utf-8") as f:
        f.write(BASE.replace("cpus = 2", "cpus = 4 // changed on disk"))
    c.settle()
    c.notify("textDocument/didClose", {"textDocument": {"uri": "file://" + base}})
    cleared = c.wait_notification("textDocument/publishDiagnostics", 20,
                                  lambda p: p["uri"] == "file://" + base)
    check(cleared and cleared["params"]["diagnostics"] == [], "didClose clears the document's diagnostics")
    whole(c, main, 7, MAIN)
    c.diagnostics(main, version=7)
    s3 = c.request("nf-preflight/stats", {})["result"]
    check(s3["diskReads"] == s2["diskReads"] + 1, "a file changed on disk is read again: %r" % s3)

    # ---- code action: Enable Wave ----
    acts = code_actions(c, main, 0) or []
    enable = [a for a in acts if a["title"] == "Enable Wave"]
    if check(len(enable) == 1, "an Enable Wave action on line 1: %r" % [a["title"] for a in acts]):
        a = enable[0]
        check(a["kind"] == "quickfix" and a.get("isPreferred") is True, "a preferred quickfix")
        check(a["diagnostics"][0]["data"]["rule"] == "wave-not-enabled", "it names the finding it fixes")
        edits = a["edit"]["changes"]["file://" + main]
        fixed = apply_edits(MAIN, edits)
        check("enabled = true" in fixed and fixed != MAIN, "the edit turns Wave on: %r" % edits)
        whole(c, main, 8, fixed)
        d8 = c.diagnostics(main, version=8) or []
        check("wave-not-enabled" not in rules_of(d8), "applying Enable Wave removes the finding: %r" % rules_of(d8))
        whole(c, main, 9, MAIN)
        c.diagnostics(main, version=9)
    sup = [a for a in acts if a["title"] == "Suppress wave-not-enabled in this file"]
    if check(len(sup) == 1, "a suppress-in-file action"):
        sup_text = apply_edits(MAIN, sup[0]["edit"]["changes"]["file://" + main])
        check(sup_text.startswith("// nf-preflight: file-ignore[wave-not-enabled]\n"), "the comment goes on top")
        whole(c, main, 10, sup_text)
        d10 = c.diagnostics(main, version=10) or []
        check(rules_of(d10) == ["unknown-option"], "the suppression removes only that finding: %r" % rules_of(d10))
    # a statement-level suppression for a finding on line 6
    whole(c, main, 11, MAIN)
    c.diagnostics(main, version=11)
    acts = code_actions(c, main, 5) or []
    here = [a for a in acts if a["title"].startswith("Suppress unknown-option here")]
    if check(len(here) == 1, "a suppress-here action for the unknown option: %r" % [a["title"] for a in acts]):
        t = apply_edits(MAIN, here[0]["edit"]["changes"]["file://" + main])
        check("// nf-preflight: ignore[unknown-option]\ndocker {" in t, "the comment stands above the statement")
        whole(c, main, 12, t)
        d12 = c.diagnostics(main, version=12) or []
        check(rules_of(d12) == ["wave-not-enabled"], "the line suppression removes it: %r" % rules_of(d12))
    whole(c, main, 13, MAIN)
    c.diagnostics(main, version=13)

    # ---- hover ----
    hv = c.request("textDocument/hover", {"textDocument": {"uri": "file://" + main},
                                          "position": {"line": 3, "character": 3}})
    val = (hv or {}).get("result") or {}
    md = val.get("contents", {}).get("value", "")
    check("**docker.enabled** = `true`" in md and "nextflow.config:4" in md,
          "hover shows the resolved value and where it was set: %r" % md)
    check(val.get("range") == {"start": {"line": 3, "character": 0}, "end": {"line": 3, "character": 14}},
          "hover range is the option's name: %r" % val.get("range"))
    hv = c.request("textDocument/hover", {"textDocument": {"uri": "file://" + main},
                                          "position": {"line": 7, "character": 14}})
    md = ((hv or {}).get("result") or {}).get("contents", {}).get("value", "")
    check("profile `wave`, which is not selected" in md, "hover in an unselected profile says so: %r" % md)
    hv = c.request("textDocument/hover", {"textDocument": {"uri": "file://" + main},
                                          "position": {"line": 0, "character": 3}})
    check(hv and hv.get("result") is None, "hover on a comment is null")

    # ---- code lens ----
    r = c.request("textDocument/codeLens", {"textDocument": {"uri": "file://" + main}})
    titles = [l["command"]["title"] for l in (r or {}).get("result") or []]
    check(titles == [cli_launch_line(root)] and
          titles[0] == "launch: engine docker; Wave off (not set); 1 image on 1 host; credentials not checked",
          "one lens, the line `check` prints first: %r" % titles)

    # ---- settings: didChangeConfiguration (profiles, Wave policy) ----
    c.settle()
    c.notify("workspace/didChangeConfiguration", {"settings": {"nf-preflight": {"wavePolicy": "required"}}})
    d = c.diagnostics(main) or []
    w = [x for x in d if x["data"]["rule"] == "wave-not-enabled"]
    check(len(w) == 1 and w[0]["severity"] == 1, "wavePolicy required makes it an error: %r" % w)
    c.settle()
    c.notify("workspace/didChangeConfiguration", {"settings": {"nf-preflight": {"profiles": ["wave"]}}})
    d = c.diagnostics(main) or []
    check("wave-not-enabled" not in rules_of(d), "profiles from the settings are selected: %r" % rules_of(d))
    r = c.request("textDocument/codeLens", {"textDocument": {"uri": "file://" + main}})
    titles = [l["command"]["title"] for l in (r or {}).get("result") or []]
    check(titles == [cli_launch_line(root, "-profile", "wave")] and
          "Wave on (nextflow.config:8, profile 'wave')" in titles[0] and titles[0].startswith("launch -profile wave: "),
          "the lens follows the profiles and names the file and line that turn Wave on: %r" % titles)
    c.settle()
    c.notify("workspace/didChangeConfiguration", {"settings": {"nf-preflight": {"deferToNextflowServer": True}}})
    d = c.diagnostics(main) or []
    check(rules_of(d) == ["wave-not-enabled"], "deferToNextflowServer leaves unknown options out: %r" % rules_of(d))
    whole(c, main, 14, MAIN + "\nwave {\n")
    d = c.diagnostics(main, version=14) or []
    check("syntax-error" not in rules_of(d), "... and syntax errors: %r" % rules_of(d))
    c.settle()
    c.notify("workspace/didChangeConfiguration", {"settings": {"nf-preflight": {"wavePolicy": 7}}})
    m = c.wait_notification("window/showMessage", 20)
    check(m and "wavePolicy" in m["params"]["message"], "a wrong setting is said: %r" % m)
    c.settle()
    c.notify("workspace/didChangeConfiguration", {"settings": {}})
    d = c.diagnostics(main) or []
    check("syntax-error" in rules_of(d), "settings reset: syntax errors back")

    # ---- malformed input ----
    c.settle()
    c.send_raw(b"Content-Length: 9\r\n\r\n{not json")
    m = c.next_reply()
    check(m and m.get("error", {}).get("code") == -32700 and m.get("id") is None, "invalid JSON: -32700: %r" % m)
    c.send({"jsonrpc": "2.0", "id": 77, "method": 5})
    m = c.wait_response(77)
    check(m and m["error"]["code"] == -32600, "a non-string method: -32600 with the id echoed: %r" % m)
    c.send_raw(b"Content-Length: 5\r\n\r\n[1,2]")
    m = c.next_reply()
    check(m and m["error"]["code"] == -32600, "an array is not a request: %r" % m)
    c.send_raw(b"X-Nothing: 1\r\n\r\n")
    m = c.next_reply()
    check(m and m["error"]["code"] == -32700, "a header without Content-Length: %r" % m)
    r = c.request("no/such/method", {})
    check(r and r["error"]["code"] == -32601, "unknown method: -32601")
    c.notify("$/cancelRequest", {"id": 1})
    c.notify("textDocument/didChange", {"textDocument": {"uri": "file:///nowhere"}, "contentChanges": 3})
    c.notify("textDocument/didOpen", {"textDocument": {"uri": 5}})
    r = c.request("textDocument/hover", {"textDocument": {"uri": "file://" + main},
                                         "position": {"line": -1, "character": "x"}})
    check(r and r["error"]["code"] == -32602, "bad hover params: -32602")
    # two messages in one write, and one split in small pieces
    b1 = json.dumps({"jsonrpc": "2.0", "id": 90, "method": "nf-preflight/stats", "params": {}}).encode()
    b2 = json.dumps({"jsonrpc": "2.0", "id": 91, "method": "nf-preflight/stats", "params": {}}).encode()
    c.send_raw(b"Content-Length: %d\r\n\r\n%sContent-Length: %d\r\n\r\n%s" % (len(b1), b1, len(b2), b2))
    check(c.wait_response(90) is not None and c.wait_response(91) is not None, "two messages in one write")
    framed = b"content-length: %d\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n%s" % (
        len(b1.replace(b"90", b"92")), b1.replace(b"90", b"92"))
    for i in range(0, len(framed), 7):
        c.send_raw(framed[i:i + 7])
    check(c.wait_response(92) is not None, "a message split over many writes, header names in any case")

    # ---- shutdown then exit: 0; requests after shutdown refused ----
    r = c.request("shutdown", None)
    check(r and "result" in r and r["result"] is None, "shutdown answers null")
    r = c.request("textDocument/codeLens", {"textDocument": {"uri": "file://" + main}})
    check(r and r["error"]["code"] == -32600, "requests after shutdown: -32600")
    c.notify("exit", None)
    check(c.proc.wait(timeout=20) == 0, "exit after shutdown: status 0")

    # ---- exit without shutdown: 1; end of input: 1 ----
    c = Client(NFP)
    c.initialize(root)
    c.notify("exit", None)
    check(c.proc.wait(timeout=20) == 1, "exit without shutdown: status 1")
    c = Client(NFP)
    c.initialize(root)
    c.proc.stdin.close()
    check(c.proc.wait(timeout=20) == 1, "end of input without exit: status 1")

    # ---- UTF-8 negotiated; options at initialize; size limit ----
    c = Client(NFP, extra_args=["--max-message-size=2000"])
    r = c.initialize(root, utf8=True, options={"nf-preflight": {"profiles": "wave"}})
    check(r["result"]["capabilities"]["positionEncoding"] == "utf-8", "UTF-8 when the client offers it")
    c.open(main, MAIN)
    d = c.diagnostics(main) or []
    unk = [x for x in d if x["data"]["rule"] == "unknown-option"]
    check("wave-not-enabled" not in rules_of(d), "initializationOptions profiles apply: %r" % rules_of(d))
    check(unk and unk[0]["range"]["start"] == position(MAIN, MAIN.index("enabledd"), utf8=True),
          "UTF-8 columns count bytes: %r" % unk)
    c.send_raw(b"Content-Length: 5000\r\n\r\n" + b" " * 5000)
    m = c.next_reply()
    check(m and m["error"]["code"] == -32600 and "too large" in m["error"]["message"], "an oversized message: %r" % m)
    check(c.request("nf-preflight/stats", {}) is not None, "the stream stays in step after it")
    check(c.close() == 0, "clean exit")

    # ---- a config no launch reads is parsed on its own ----
    lonely = os.path.join(root, "conf", "lonely.config")
    c = Client(NFP)
    c.initialize(root)
    c.open(lonely, "process {\n    cpus = \n}\n")
    d = c.diagnostics(lonely) or []
    check(rules_of(d) == ["syntax-error"], "an unreached config gets its syntax findings only: %r" % rules_of(d))

    # ---- a device as an include is never read (it would never end) ----
    dev_dir = os.path.join(root, "dev")
    os.mkdir(dev_dir)
    dp = os.path.join(dev_dir, "nextflow.config")
    c.open(dp, "includeConfig '/dev/zero'\nwave.enabled = true\n")
    d = c.diagnostics(dp, timeout=30)
    check(d is not None and "include-not-read" in rules_of(d), "includeConfig '/dev/zero' is refused: %r" % d)

    # ---- secrets: hover and messages never show them ----
    secret_dir = os.path.join(root, "secret")
    os.mkdir(secret_dir)
    sp = os.path.join(secret_dir, "nextflow.config")
    token = "eyJzZWNyZXQiOiJ0b3Bfc2VjcmV0In0"
    stext = "tower.accessToken = '%s'\nprocess.container = 'quay.io/%s/x:1'\n" % (token, token)
    c.open(sp, stext)
    d = c.diagnostics(sp) or []
    check(d and all(token not in x["message"] for x in d), "no message repeats the token: %r" % d)
    hv = c.request("textDocument/hover", {"textDocument": {"uri": "file://" + sp},
                                          "position": {"line": 0, "character": 8}})
    md = ((hv or {}).get("result") or {}).get("contents", {}).get("value", "")
    check("<redacted>" in md and token not in md, "hover hides a secret value: %r" % md)
    check(c.close() == 0, "clean exit")

# ---- an editor opened on a subfolder: an included file still belongs to the
# launch above it (the search walks up to the repository root, as the CLI does),
# so no launch-level finding is put on it ----
with tempfile.TemporaryDirectory() as tmp:
    root = os.path.realpath(tmp)
    os.makedirs(os.path.join(root, "conf"))
    os.mkdir(os.path.join(root, ".git"))
    with open(os.path.join(root, "nextflow.config"), "w", encoding="utf-8") as f:
        f.write("includeConfig 'conf/base.config'\n")
    sub = os.path.join(root, "conf", "base.config")
    with open(sub, "w", encoding="utf-8") as f:
        f.write("process.cpus = 2\n")
    c = Client(NFP, cwd=os.path.join(root, "conf"))
    c.initialize(os.path.join(root, "conf"))
    c.open(sub, "process.cpus = 2\n")
    d = c.diagnostics(sub)
    check(d is not None and "wave-not-enabled" not in rules_of(d),
          "workspace root conf/: base.config gets no wave-not-enabled: %r" % d)
    check(c.close() == 0, "clean exit")

# ---- the default parser is the one the user's `nextflow run` picks ----
# (NXF_SYNTAX_PARSER, else NXF_VER before 26.04 means v1): a strict-parser
# rejection is an error (LSP severity 1) under v2 and a note (3) under v1
with tempfile.TemporaryDirectory() as root:
    vp = os.path.join(root, "nextflow.config")
    vtext = "def x = 1\nwave.enabled = true\n"
    base_env = {k: v for k, v in os.environ.items() if k not in ("NXF_SYNTAX_PARSER", "NXF_VER")}
    for extra, want in (({}, 1), ({"NXF_SYNTAX_PARSER": "v1"}, 3), ({"NXF_VER": "25.10.2"}, 3)):
        c = Client(NFP, env=dict(base_env, **extra))
        c.initialize(root)
        c.open(vp, vtext)
        d = [x for x in (c.diagnostics(vp) or []) if x.get("data", {}).get("rule") == "v2-incompatible"]
        check([x.get("severity") for x in d] == [want],
              "with %r the def is severity %d: %r" % (extra, want, [x.get("severity") for x in d]))
        check(c.close() == 0, "clean exit")

check.finish()
