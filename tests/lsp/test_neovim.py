"""A real client: Neovim's built-in LSP client (headless) runs
`nf-preflight lsp` on a config, gets the diagnostics, applies the Enable-Wave
code action and writes the file (tests/lsp/nvim_client.lua). Skips when
nvim is not installed (Debian package `neovim`, in scripts/install-deps.sh)."""
import json
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from testlib import Checks  # noqa: E402

NFP = os.environ["NFP"]
nvim = shutil.which("nvim")
if not nvim:
    print("skipped: nvim is not installed (apt-get install neovim)")
    sys.exit(77)
check = Checks()

CONFIG = """// Prüfung — ein Test 😀
params.outdir = 'résultats'
process.container = 'quay.io/biocontainers/fastqc:0.12.1--hdfd78af_0'
docker.enabled = true
"""

with tempfile.TemporaryDirectory() as tmp:
    path = os.path.join(tmp, "nextflow.config")
    with open(path, "w", encoding="utf-8") as f:
        f.write(CONFIG)
    os.mkdir(os.path.join(tmp, ".git"))
    out = os.path.join(tmp, "result.json")
    env = dict(os.environ, NFP=NFP, NFP_LSP_FILE=path, NFP_LSP_OUT=out, HOME=tmp,
               XDG_CONFIG_HOME=tmp, XDG_DATA_HOME=tmp, XDG_STATE_HOME=tmp, XDG_CACHE_HOME=tmp)
    p = subprocess.run([nvim, "--headless", "--clean", "-n", "-c", "luafile " + os.path.join(HERE, "nvim_client.lua")],
                       env=env, capture_output=True, text=True, timeout=120, cwd=tmp)
    check(p.returncode == 0, "nvim ended cleanly (status %d): %s %s" % (p.returncode, p.stdout[-500:], p.stderr[-500:]))
    res = json.load(open(out)) if os.path.exists(out) else {}
    check(not res.get("error"), "the Lua client ran without error: %r" % res.get("error"))
    check(res.get("client_started") and res.get("got_diagnostics"), "Neovim received diagnostics: %r" % res)
    check(res.get("before") == ["NFP009"], "the finding is wave-not-enabled (NFP009): %r" % res.get("before"))
    check("Enable Wave" in (res.get("actions") or []), "Neovim lists the Enable Wave action: %r" % res.get("actions"))
    check(res.get("applied") and res.get("after_ok") and "NFP009" not in (res.get("after") or ["NFP009"]),
          "after applying it the finding is gone: %r" % res.get("after"))
    check("**docker.enabled** = `true`" in (res.get("hover") or ""), "hover through Neovim: %r" % res.get("hover"))
    written = open(path, encoding="utf-8").read()
    check(written.startswith(CONFIG) and "wave {\n    enabled = true\n}" in written,
          "the written file keeps the text and gains the Wave block: %r" % written)
    r = subprocess.run([NFP, "check", "--format", "json", "--no-settings", path], capture_output=True, text=True)
    rules = [d["rule"] for d in json.loads(r.stdout)["diagnostics"]] if r.stdout else None
    check(r.returncode == 0 and "wave-not-enabled" not in (rules or []),
          "the CLI agrees on the saved file: %d %r" % (r.returncode, rules))
check.finish()
