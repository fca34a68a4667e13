#!/usr/bin/env python3
"""Latency of `nf-preflight lsp` from a didChange to the publishDiagnostics of
that version, on nf-core/sarek's nextflow.config (../shared/corpus), median of
EDITS edits (default 20), beside the CLI's `check` of the same file measured
in the same run (median of the same number of runs) and the server's own
counters (check time inside the server, files read from disk).

Each edit types one character into a comment and is sent as an incremental
change, as an editor does on a keystroke; the next edit is sent after the
diagnostics of the previous one arrived.

Usage: bench/lsp_latency.py [BINARY] [CONFIG]   (defaults: build/nf-preflight,
../shared/corpus/nf-core__sarek/nextflow.config)"""
import os
import statistics
import subprocess
import sys
import time

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(root, "tests", "lsp"))
from lspclient import Client  # noqa: E402

binary = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else os.path.join(root, "build", "nf-preflight")
config = os.path.realpath(sys.argv[2] if len(sys.argv) > 2 else
                          os.path.join(root, "..", "shared", "corpus", "nf-core__sarek", "nextflow.config"))
edits = int(os.environ.get("EDITS", "20"))
if not os.path.exists(config):
    print("lsp latency: %s absent, skipped" % config)
    sys.exit(0)

text = open(config, encoding="utf-8").read()
lines = text.split("\n")
# a line comment to type into (keeps the config valid, so every edit is fully checked)
line_no = next(i for i, l in enumerate(lines) if l.lstrip().startswith("//"))
col = len(lines[line_no].encode("utf-16-le")) // 2

c = Client(binary, cwd=os.path.dirname(config), extra_args=[])
c.initialize(os.path.dirname(config))
c.open(config, text)
first = c.diagnostics(config, timeout=60)
s0 = c.request("nf-preflight/stats", {})["result"]
lat = []
for k in range(edits):
    version = k + 2
    pos = {"line": line_no, "character": col + k}
    t0 = time.perf_counter()
    c.notify("textDocument/didChange", {"textDocument": {"uri": "file://" + config, "version": version},
                                        "contentChanges": [{"range": {"start": pos, "end": pos}, "text": "x"}]})
    d = c.diagnostics(config, version=version, timeout=60)
    lat.append((time.perf_counter() - t0) * 1000)
    if d is None:
        print("no diagnostics for version %d" % version)
        sys.exit(1)
s1 = c.request("nf-preflight/stats", {})["result"]
c.close()

cli = []
for _ in range(edits):
    t0 = time.perf_counter()
    subprocess.run([binary, "check", "--format", "gcc", config], stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, cwd=os.path.dirname(config))
    cli.append((time.perf_counter() - t0) * 1000)

checks = s1["checks"] - s0["checks"]
inside = (s1["totalCheckMicros"] - s0["totalCheckMicros"]) / 1000 / max(checks, 1)
print("lsp didChange -> publishDiagnostics on %s: median %.1f ms over %d edits (min %.1f, max %.1f)"
      % (os.path.relpath(config, os.path.join(root, "..")), statistics.median(lat), edits, min(lat), max(lat)))
print("  inside the server: %.1f ms per check (mean), %d checks, %d files read from disk during the edits, "
      "%d cached file loads, %d findings" % (inside, checks, s1["diskReads"] - s0["diskReads"],
                                             s1["cacheHits"] - s0["cacheHits"], len(first or [])))
print("cli `check` of the same file, same run: median %.1f ms over %d runs (process start included)"
      % (statistics.median(cli), edits))
