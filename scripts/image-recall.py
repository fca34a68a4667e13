#!/usr/bin/env python3
"""Per-pipeline image recall of the launch model on the shared corpus.

For every pipeline directory of ../shared/corpus (or the directory given) and
for the docker and singularity profiles' engines (-with-docker,
-with-singularity, so a pipeline without such profiles is measured too), runs
`nf-preflight images DIR --format json` and counts, over the processes that
have a `container` directive:
  present  processes with a directive
  found    processes for which the model yields exactly one image to use
           (active for the engine, known before the run)
  several  processes left with more than one candidate
  dynamic  processes whose image is known only at run time

Usage: scripts/image-recall.py [--write] [NF_PREFLIGHT] [CORPUS_DIR]
With --write the table replaces the block between the recall markers of
docs/conformance.md; otherwise it is printed."""
import json
import os
import subprocess
import sys

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
args = [a for a in sys.argv[1:] if a != "--write"]
write = "--write" in sys.argv[1:]
nfp = args[0] if args else os.path.join(root, "build", "nf-preflight")
corpus = args[1] if len(args) > 1 else os.path.join(root, "..", "shared", "corpus")
if not os.path.isdir(corpus):
    print(f"image-recall: no corpus at {corpus}", file=sys.stderr)
    sys.exit(77)


def measure(path, option):
    p = subprocess.run([nfp, "images", path, "--format", "json", option], capture_output=True, text=True,
                       env={**os.environ, "NXF_SYNTAX_PARSER": ""}, timeout=300)
    try:
        procs = [x for x in json.loads(p.stdout)["processes"] if x["has_directive"]]
    except (ValueError, KeyError):
        return None
    return (len(procs), sum(1 for x in procs if x["active_images"] == 1 and not x["dynamic_images"]),
            sum(1 for x in procs if x["active_images"] > 1), sum(1 for x in procs if x["dynamic_images"]))


rows = []
totals = {"docker": [0, 0], "singularity": [0, 0]}
for name in sorted(os.listdir(corpus)):
    path = os.path.join(corpus, name)
    if not os.path.isdir(path) or name == "LICENSES":
        continue
    cells = [name.replace("__", "/")]
    for engine in ("docker", "singularity"):
        m = measure(path, "-with-" + engine)
        if m is None:
            cells.append("(no output)")
            continue
        present, found, several, dynamic = m
        totals[engine][0] += found
        totals[engine][1] += present
        extra = []
        if several:
            extra.append(f"{several} several")
        if dynamic:
            extra.append(f"{dynamic} dynamic")
        cells.append(f"{found} / {present}" + (f" ({', '.join(extra)})" if extra else ""))
    rows.append(cells)

out = ["| pipeline | docker: found / present | singularity: found / present |", "|---|---|---|"]
out += ["| " + " | ".join(r) + " |" for r in rows]
out.append("| **all** | **%d / %d** | **%d / %d** |" % (totals["docker"][0], totals["docker"][1],
                                                        totals["singularity"][0], totals["singularity"][1]))
table = "\n".join(out) + "\n"
if not write:
    sys.stdout.write(table)
    sys.exit(0)
doc = os.path.join(root, "docs", "conformance.md")
text = open(doc).read()
begin, end = "<!-- image-recall:begin -->\n", "<!-- image-recall:end -->\n"
if begin not in text:
    text += ("\n## Image recall of the launch model\n\n"
             "Produced by `scripts/image-recall.py --write` on the shared corpus: per pipeline, the processes\n"
             "with a `container` directive for which the launch model yields exactly one image to use under\n"
             "the engine (`-with-docker`, `-with-singularity`), out of all processes with a directive.\n"
             "'several' are processes left with more than one candidate (a condition the model cannot\n"
             "decide), 'dynamic' those whose image is known only at run time.\n\n" + begin + end)
a, b = text.index(begin) + len(begin), text.index(end)
text = text[:a] + table + text[b:]
with open(doc, "w") as f:
    f.write(text)
print("wrote docs/conformance.md")
